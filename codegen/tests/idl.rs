//! The IDL front end end to end: the IDL rendering of our model generates the same crate as
//! its JSON AST, and problems are placed at file, line and column.

use codegen::idl::{self, Source};
use codegen::GenerateOptions;

fn source(name: &str, text: &str) -> Source {
    Source { name: name.to_owned(), text: text.to_owned() }
}

fn options() -> GenerateOptions {
    GenerateOptions {
        service: None,
        crate_name: None,
        runtime_path: "../../runtime".to_owned(),
        exclude_operations: Vec::new(),
    }
}

#[test]
fn chime_smithy_and_chime_json_generate_the_same_crate() {
    let json = include_str!("../../model/chime.json");
    let idl_text = include_str!("../../model/chime.smithy");
    let from_json = codegen::generate(json, &options()).unwrap_or_else(|p| panic!("{p}"));
    let from_idl = codegen::generate_sources(&[source("model/chime.smithy", idl_text)], &options())
        .unwrap_or_else(|d| panic!("{d}"));
    assert_eq!(from_json.keys().collect::<Vec<_>>(), from_idl.keys().collect::<Vec<_>>());
    for (path, text) in &from_json {
        assert!(from_idl.get(path) == Some(text), "{path} differs between chime.json and chime.smithy");
    }
}

#[test]
fn a_json_ast_file_and_an_idl_file_make_one_model() {
    let json =
        r#"{"smithy": "2.0", "shapes": {"a.b#Name": {"type": "string", "traits": {"smithy.api#length": {"max": 3}}}}}"#;
    let idl_text = "$version: \"2\"\nnamespace a.b\n\nstructure Person {\n    name: Name\n}\n";
    let assembly = idl::assemble(&[source("names.json", json), source("person.smithy", idl_text)])
        .unwrap_or_else(|d| panic!("{d}"));
    let shapes = &assembly.document["shapes"];
    assert_eq!(shapes["a.b#Person"]["members"]["name"]["target"], "a.b#Name");
    assert_eq!(shapes["a.b#Name"]["type"], "string");
}

#[test]
fn a_syntax_error_does_not_hide_problems_in_other_files() {
    let broken = "namespace a.b\n\nstructure Broken {\n    x: String\n";
    let dangling = "namespace a.b\n\nstructure Fine {\n    y: Missing\n}\n";
    let diagnostics = idl::assemble(&[source("broken.smithy", broken), source("dangling.smithy", dangling)])
        .err()
        .unwrap_or_else(|| panic!("both files are wrong"));
    let shown = diagnostics.to_string();
    assert!(shown.contains("--> broken.smithy:5:1"), "{shown}");
    assert!(shown.contains("--> dangling.smithy:4:8"), "{shown}");
    assert!(shown.contains("4 |     y: Missing\n  |        ^^^^^^^"), "{shown}");
}

#[test]
fn a_problem_the_lowering_finds_is_placed_in_the_idl() {
    // The lowering, not the front end, refuses a list member that targets an operation.
    let text = "$version: \"2\"\nnamespace a.b\n\noperation Op {}\n\nlist Ops {\n    member: Op\n}\n";
    let diagnostics = idl::check(&[source("ops.smithy", text)]).err().unwrap_or_else(|| panic!("refused"));
    let located = diagnostics.0.iter().find(|d| d.location.as_ref().is_some_and(|l| l.file == "ops.smithy"));
    let at = located.and_then(|d| d.location.as_ref()).unwrap_or_else(|| panic!("not located: {diagnostics}"));
    assert_eq!((at.line, at.column), (7, 5), "{diagnostics}");
}

#[test]
fn built_in_trait_packages_resolve_without_other_files() {
    let text =
        "$version: \"2\"\nnamespace a.b\n\nuse aws.protocols#restJson1\nuse smithy.framework#ValidationException\n\n\
                @restJson1\nservice S {\n    version: \"1\"\n    operations: [Op]\n}\n\n\
                @http(method: \"POST\", uri: \"/op\")\noperation Op {\n    errors: [ValidationException]\n}\n";
    let assembly = idl::check(&[source("s.smithy", text)]).unwrap_or_else(|d| panic!("{d}"));
    let shapes = &assembly.document["shapes"];
    assert!(shapes["a.b#S"]["traits"]["aws.protocols#restJson1"].is_object());
    // A built-in shape the model refers to is written; the trait definitions are not.
    assert!(shapes["smithy.framework#ValidationException"].is_object());
    assert!(shapes.get("aws.protocols#restJson1").is_none());
}

#[test]
fn documentation_comments_and_text_blocks_become_strings() {
    let text = "$version: \"2\"\nnamespace a.b\n\n/// First line\n///   indented\n@since(\"\"\"\n    one\n      two\n    \"\"\")\nstring S\n";
    let assembly = idl::assemble(&[source("d.smithy", text)]).unwrap_or_else(|d| panic!("{d}"));
    let traits = &assembly.document["shapes"]["a.b#S"]["traits"];
    assert_eq!(traits["smithy.api#documentation"], "First line\n  indented");
    assert_eq!(traits["smithy.api#since"], "one\n  two\n");
}

#[test]
fn mixed_versions_keep_the_meaning_of_1_0_primitives() {
    let old = "namespace a.b\n\nstructure Old {\n    count: PrimitiveInteger\n    maybe: Integer\n}\n";
    let new = "$version: \"2\"\nnamespace a.b\n\nstructure New {\n    old: Old\n}\n";
    let assembly =
        idl::assemble(&[source("old.smithy", old), source("new.smithy", new)]).unwrap_or_else(|d| panic!("{d}"));
    let members = &assembly.document["shapes"]["a.b#Old"]["members"];
    assert_eq!(assembly.document["smithy"], "2.0");
    assert_eq!(members["count"]["traits"]["smithy.api#default"], 0);
    assert!(members["maybe"].get("traits").is_none());
}

#[test]
fn a_trait_value_of_the_wrong_type_is_placed_at_the_trait() {
    let text = "$version: \"2\"\nnamespace a.b\n\n@length(min: \"one\")\nstring Name\n";
    let diagnostics = idl::check(&[source("t.smithy", text)]).err().unwrap_or_else(|| panic!("refused"));
    let shown = diagnostics.to_string();
    assert!(shown.contains("smithy.api#length"), "{shown}");
    assert!(shown.contains("--> t.smithy:4:1"), "{shown}");
}

#[test]
fn deeply_nested_values_are_refused_not_a_stack_overflow() {
    let text = format!("namespace a.b\n\n@tags({}{})\nstring S\n", "[".repeat(100_000), "]".repeat(100_000));
    let diagnostics = idl::assemble(&[source("deep.smithy", &text)]).err().unwrap_or_else(|| panic!("refused"));
    assert!(diagnostics.to_string().contains("nest more than"), "{diagnostics}");
}

#[test]
fn metadata_merges_across_files_and_conflicts_are_located() {
    let a = "metadata tags = [\"a\"]\nmetadata owner = \"team\"\nnamespace a.b\n";
    let b = "metadata tags = [\"b\"]\nmetadata owner = \"team\"\n";
    let assembly = idl::assemble(&[source("a.smithy", a), source("b.smithy", b)]).unwrap_or_else(|d| panic!("{d}"));
    assert_eq!(assembly.document["metadata"]["tags"], serde_json::json!(["a", "b"]));
    assert_eq!(assembly.document["metadata"]["owner"], "team");
    let c = "metadata owner = \"someone else\"\n";
    let diagnostics =
        idl::assemble(&[source("a.smithy", a), source("c.smithy", c)]).err().unwrap_or_else(|| panic!("conflict"));
    assert!(diagnostics.to_string().contains("--> c.smithy:1:1"), "{diagnostics}");
}

#[test]
fn apply_and_forward_references_cross_files() {
    let a = "$version: \"2\"\nnamespace a.b\n\napply Later$name @required\napply Later @sensitive\n";
    let b = "$version: \"2\"\nnamespace a.b\n\nstructure Later {\n    name: Name\n}\n\nstring Name\n";
    let assembly = idl::assemble(&[source("a.smithy", a), source("b.smithy", b)]).unwrap_or_else(|d| panic!("{d}"));
    let later = &assembly.document["shapes"]["a.b#Later"];
    assert!(later["traits"]["smithy.api#sensitive"].is_object());
    assert!(later["members"]["name"]["traits"]["smithy.api#required"].is_object());
    assert_eq!(later["members"]["name"]["target"], "a.b#Name");
}

#[test]
fn a_problem_in_a_json_source_is_placed_at_its_shape() {
    let json = "{\n  \"smithy\": \"2.0\",\n  \"shapes\": {\n    \"a.b#S\": {\n      \"type\": \"structure\",\n      \
                \"members\": { \"x\": { \"target\": \"a.b#Nope\" } }\n    }\n  }\n}\n";
    let idl_text = "$version: \"2\"\nnamespace a.b\n\nstring Fine\n";
    let diagnostics = idl::check(&[source("s.json", json), source("fine.smithy", idl_text)])
        .err()
        .unwrap_or_else(|| panic!("a dangling target"));
    assert!(diagnostics.to_string().contains("--> s.json:4:5"), "{diagnostics}");
}

#[test]
fn trait_values_are_checked_against_built_in_trait_shapes() {
    let text = "$version: \"2\"\nnamespace a.b\nuse smithy.test#httpRequestTests\nuse aws.protocols#restJson1\n\n\
                @restJson1\nservice S { version: \"1\", operations: [Op] }\n\n\
                @httpRequestTests([{id: \"x\", protocol: restJson1, method: \"POST\", uri: \"/op\", headers: {h: 2}}])\n\
                operation Op {}\n";
    let diagnostics = idl::assemble(&[source("t.smithy", text)]).err().unwrap_or_else(|| panic!("refused"));
    let shown = diagnostics.to_string();
    assert!(shown.contains("$[0].headers.h: expected a string"), "{shown}");
    assert!(shown.contains("--> t.smithy:9:1"), "{shown}");
}

#[test]
fn private_prelude_shapes_do_not_resolve_from_other_namespaces() {
    let text = "$version: \"2\"\nnamespace a.b\n\nstructure S {\n    name: NonEmptyString\n}\n";
    let diagnostics = idl::assemble(&[source("p.smithy", text)]).err().unwrap_or_else(|| panic!("refused"));
    assert!(diagnostics.to_string().contains("resolves to `a.b#NonEmptyString`"), "{diagnostics}");
}

#[test]
fn an_apply_on_a_member_a_mixin_gives_overrides_its_inherited_traits() {
    let text = "$version: \"2\"\nnamespace a.b\n\n@mixin\nstructure M {\n    /// inherited\n    c: String\n}\n\n\
                structure S with [M] {}\n\napply S$c @documentation(\"mine\")\n";
    let assembly = idl::check(&[source("m.smithy", text)]).unwrap_or_else(|d| panic!("{d}"));
    assert_eq!(assembly.document["shapes"]["a.b#S$c"]["traits"]["smithy.api#documentation"], "mine");
}

#[test]
fn each_broken_statement_of_a_file_is_reported() {
    let text = "$version: \"2\"\nnamespace a.b\n\nstructure A {\n    x String\n}\n\nstring Fine\n\n\
                structure B {\n    y: Fine\n    z: = 1\n}\n\nlist L {\n    member: Fine\n}\n";
    let diagnostics = idl::assemble(&[source("two.smithy", text)]).err().unwrap_or_else(|| panic!("refused"));
    let shown = diagnostics.to_string();
    assert!(shown.contains("--> two.smithy:5:7"), "{shown}");
    assert!(shown.contains("--> two.smithy:12:8"), "{shown}");
    // `Fine` parsed, so B's and L's references to it are not reported as well.
    assert_eq!(diagnostics.errors().count(), 2, "{shown}");
}

#[test]
fn the_same_shape_from_idl_and_from_json_is_one_shape() {
    let idl_text = "namespace a.b\n\noperation GetFoo {}\n";
    let json = r#"{"smithy": "2.0", "shapes": {"a.b#GetFoo": {"type": "operation",
        "input": {"target": "smithy.api#Unit"}, "output": {"target": "smithy.api#Unit"}, "errors": []}}}"#;
    let assembly =
        idl::assemble(&[source("op.smithy", idl_text), source("op.json", json)]).unwrap_or_else(|d| panic!("{d}"));
    assert_eq!(assembly.document["shapes"]["a.b#GetFoo"]["type"], "operation");
    let other = r#"{"smithy": "2.0", "shapes": {"a.b#GetFoo": {"type": "operation", "errors": [{"target": "a.b#E"}]},
        "a.b#E": {"type": "structure", "traits": {"smithy.api#error": "client"}}}}"#;
    let diagnostics = idl::assemble(&[source("op.smithy", idl_text), source("other.json", other)])
        .err()
        .unwrap_or_else(|| panic!("two different definitions"));
    assert!(diagnostics.to_string().contains("defined more than once (first at op.smithy:3:11)"), "{diagnostics}");
}
