//! The IDL front end under fuzzing: arbitrary bytes and edited real IDL files go through
//! assembly, the JSON loader and the lowering (`codegen::idl::check`), and their diagnostics
//! are rendered. Nothing may panic: a bad model is a list of located problems.

use arbitrary::{Result, Unstructured};
use codegen::idl::{self, Source};

/// Real IDL files the edits start from: our model and the vendored trait packages.
const FILES: &[&str] = &[
    include_str!("../../model/chime.smithy"),
    include_str!("../../codegen/smithy/traits/aws.api.smithy"),
    include_str!("../../codegen/smithy/traits/aws.protocols.smithy"),
    include_str!("../../codegen/smithy/traits/smithy.test.smithy"),
    include_str!("../../codegen/smithy/traits/waiters.smithy"),
];

/// Pieces of IDL syntax an edit inserts: tokens that change what the parser does next.
const PIECES: &[&str] = &[
    "{",
    "}",
    "[",
    "]",
    "(",
    ")",
    ":",
    ":=",
    "=",
    "@",
    "$",
    "#",
    ".",
    ",",
    "\n",
    " ",
    "\"",
    "\"\"\"\n",
    "///",
    "//",
    "\\",
    "\\u",
    "-",
    "1.5e3",
    "apply ",
    "with [",
    "for ",
    "use ",
    "metadata x = ",
    "$version: \"1.0\"\n",
    "$version: \"2\"\n",
    "namespace a.b\n",
    "structure ",
    "enum ",
    "intEnum ",
    "list ",
    "map ",
    "union ",
    "operation ",
    "resource ",
    "service ",
    "set ",
    "string ",
    "@mixin\n",
    "@trait\n",
    "$id",
    "input := ",
];

/// Runs the front end on `data`: its first byte picks the mode.
pub fn idl(data: &[u8]) {
    let Some((&mode, rest)) = data.split_first() else { return };
    let sources = match mode % 4 {
        0 => vec![source("fuzz.smithy", String::from_utf8_lossy(rest).into_owned())],
        1 => match edited(&mut Unstructured::new(rest)) {
            Ok(text) => vec![source("edited.smithy", text)],
            Err(_) => return,
        },
        // Two files, so that resolution across files and duplicate shapes are reached.
        2 => {
            let text = String::from_utf8_lossy(rest);
            let (a, b) = text.split_once('\u{fffd}').unwrap_or((&text, ""));
            vec![source("a.smithy", a.to_owned()), source("b.smithy", b.to_owned())]
        }
        _ => {
            let text = String::from_utf8_lossy(rest).into_owned();
            vec![source("fuzz.json", text), source("chime.smithy", FILES[0].to_owned())]
        }
    };
    match idl::check(&sources) {
        Ok(mut assembly) => {
            idl::flatten(&mut assembly.document);
            let _ = assembly.document.to_string();
        }
        Err(diagnostics) => {
            let _ = diagnostics.to_string();
        }
    }
}

fn source(name: &str, text: String) -> Source {
    Source { name: name.to_owned(), text }
}

/// A real file with a few insertions, deletions and replacements at places the input picks.
fn edited(input: &mut Unstructured<'_>) -> Result<String> {
    let mut text = (*input.choose(FILES)?).to_owned();
    for _ in 0..input.int_in_range(1..=6)? {
        let len = text.len();
        let mut at = input.int_in_range(0..=len)?;
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        let mut end = (at + input.int_in_range(0..=16)?).min(len);
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        let piece = if input.ratio(1, 4)? {
            input.arbitrary::<&str>()?.to_owned()
        } else {
            (*input.choose(PIECES)?).to_owned()
        };
        let deleting = input.ratio(1, 3)?;
        text.replace_range(at..end, if deleting { "" } else { &piece });
    }
    Ok(text)
}
