//! Documentation: Smithy models carry HTML (AWS's do) or CommonMark; rustdoc wants Markdown,
//! one `#[doc]` attribute per line.

use proc_macro2::TokenStream;
use quote::quote;

/// `#[doc = " ..."]` attributes for the model's documentation, HTML or Markdown, or for the
/// fallback sentence when there is none (or it converts to nothing), so that every public
/// item has a doc comment.
pub fn attrs(documentation: Option<&str>, fallback: impl FnOnce() -> String) -> TokenStream {
    let text = documentation.map(markdown).filter(|text| !text.trim().is_empty());
    lines_to_attrs(&text.unwrap_or_else(fallback))
}

/// `#[doc]` attributes for text that is already Markdown.
pub fn lines_to_attrs(markdown: &str) -> TokenStream {
    let lines = markdown.lines().map(|line| if line.is_empty() { String::new() } else { format!(" {line}") });
    quote! { #( #[doc = #lines] )* }
}

/// Converts documentation to rustdoc Markdown: HTML is translated, code blocks are marked as
/// plain text (rustdoc would otherwise compile them as Rust doctests), bare URLs and stray
/// brackets are made inert for rustdoc's link checks, and blank runs and trailing spaces
/// are folded.
pub fn markdown(documentation: &str) -> String {
    // A lone CR is a line break to Markdown but an error in a Rust doc comment; tabs draw
    // a clippy warning.
    let documentation = documentation.replace("\r\n", "\n").replace('\r', "\n").replace('\t', "    ");
    let converted = if documentation.contains('<') {
        CONVERTER
            .with(|converter| converter.convert(&prepare_html(&documentation)))
            .unwrap_or_else(|_| documentation.clone())
    } else {
        documentation
    };
    let mut out = String::new();
    let mut in_fence = false;
    let mut in_indented = false;
    let mut blank_run = 0;
    let mut after_list_item = false;
    for line in converted.lines() {
        let line = line.trim_end();
        // Every code block of the model is shown as text: none of it is Rust for this crate
        // to compile as a doctest, whatever language the model says it is.
        let fence = line.trim_start();
        if fence.starts_with("```") || fence.starts_with("~~~") {
            close_indented(&mut out, &mut in_indented);
            push_line(&mut out, &mut blank_run, if in_fence { "```" } else { "```text" });
            in_fence = !in_fence;
            continue;
        }
        if in_fence {
            out.push_str(line);
            out.push('\n');
            continue;
        }
        if line.is_empty() {
            blank_run += 1;
            continue;
        }
        // A line indented four spaces after a blank line is a CommonMark code block, unless it
        // continues a list item; it is fenced so it is shown, not compiled.
        let indented = line.starts_with("    ") || line.starts_with('\t');
        if indented && (in_indented || (blank_run > 0 && !after_list_item)) {
            if !in_indented {
                push_line(&mut out, &mut blank_run, "```text");
                in_indented = true;
            }
            out.push_str(line.trim_start());
            out.push('\n');
            continue;
        }
        close_indented(&mut out, &mut in_indented);
        after_list_item = is_list_item(line) || (after_list_item && indented);
        push_line(&mut out, &mut blank_run, &inert_links(line));
    }
    close_indented(&mut out, &mut in_indented);
    if in_fence {
        out.push_str("```\n");
    }
    out.trim_end().to_owned()
}

thread_local! {
    /// One converter per thread: building one sets up every element handler, which cost
    /// more than converting a typical documentation string.
    static CONVERTER: htmd::HtmlToMarkdown = htmd::HtmlToMarkdown::new();
}

/// HTML tags htmd does not know, turned into ones it does: AWS's `<note>` and `<important>`
/// become a bold label, and a `<pre>` without `<code>` keeps its preformatting.
fn prepare_html(html: &str) -> String {
    let mut text = html
        .replace("<note>", "<p><b>Note:</b></p>")
        .replace("</note>", "")
        .replace("<important>", "<p><b>Important:</b></p>")
        .replace("</important>", "");
    if !text.contains("<pre><code") {
        text = text.replace("<pre>", "<pre><code>").replace("</pre>", "</code></pre>");
    }
    text
}

fn push_line(out: &mut String, blank_run: &mut usize, line: &str) {
    if *blank_run > 0 && !out.is_empty() {
        out.push('\n');
    }
    *blank_run = 0;
    out.push_str(line);
    out.push('\n');
}

fn close_indented(out: &mut String, in_indented: &mut bool) {
    if *in_indented {
        out.push_str("```\n");
        *in_indented = false;
    }
}

fn is_list_item(line: &str) -> bool {
    let trimmed = line.trim_start();
    let ordered = trimmed.split_once(". ").is_some_and(|(n, _)| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
    trimmed.starts_with("- ") || trimmed.starts_with("* ") || trimmed.starts_with("+ ") || ordered
}

/// Wraps bare URLs in `<...>` (rustdoc warns about bare ones) and escapes a `[` that does not
/// open a Markdown link (rustdoc would take `[Name]` for an intra-doc link). Inline code is
/// left alone.
fn inert_links(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut in_code = false;
    let mut rest = line;
    while let Some(c) = rest.chars().next() {
        if c == '`' {
            in_code = !in_code;
        }
        if !in_code && (rest.starts_with("http://") || rest.starts_with("https://")) && !preceded_by_link(&out) {
            let end = rest.find(|c: char| c.is_whitespace() || c == '>' || c == ')').unwrap_or(rest.len());
            let url = rest[..end].trim_end_matches(['.', ',', ';', ':']);
            out.push('<');
            out.push_str(url);
            out.push('>');
            rest = &rest[url.len()..];
            continue;
        }
        if !in_code && c == '[' && !out.ends_with('\\') && !opens_link(rest) {
            out.push_str("\\[");
            rest = &rest[1..];
            continue;
        }
        if !in_code && c == ']' && !out.ends_with('\\') && !closes_link(&out, rest) {
            out.push_str("\\]");
            rest = &rest[1..];
            continue;
        }
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    out
}

/// Whether a URL here is already the target of a link or an autolink.
fn preceded_by_link(before: &str) -> bool {
    before.ends_with("](") || before.ends_with('<') || before.ends_with("]: ")
}

/// Whether `[` at the start of `rest` opens `[text](target)`.
fn opens_link(rest: &str) -> bool {
    let mut depth = 0;
    for (i, c) in rest.char_indices() {
        match c {
            '[' => depth += 1,
            ']' => {
                depth -= 1;
                if depth == 0 {
                    return rest[i + 1..].starts_with('(');
                }
            }
            _ => {}
        }
    }
    false
}

/// Whether `]` at the start of `rest` closes a link's text: followed by `(`, with an
/// unescaped `[` before it.
fn closes_link(before: &str, rest: &str) -> bool {
    rest[1..].starts_with('(') && before.contains('[')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_becomes_markdown() {
        let md = markdown(
            "<p>Updates the <code>Name</code> of an <a href=\"https://example.com\">account</a>.</p><p>Second.</p>",
        );
        assert_eq!(md, "Updates the `Name` of an [account](https://example.com).\n\nSecond.");
    }

    #[test]
    fn lists_and_code_blocks() {
        let md = markdown("<ul><li>one</li><li>two</li></ul><pre><code>let x = 1;</code></pre>");
        assert!(md.contains("one") && md.contains("two"), "{md}");
        assert!(md.contains("```text\nlet x = 1;\n```"), "{md}");
    }

    #[test]
    fn indented_blocks_are_fenced_as_text() {
        let md = markdown("Call it like this:\n\n    GET /things HTTP/1.1\n    Host: x\n\nDone.");
        assert_eq!(md, "Call it like this:\n\n```text\nGET /things HTTP/1.1\nHost: x\n```\n\nDone.");
    }

    #[test]
    fn bare_urls_and_stray_brackets_are_inert() {
        assert_eq!(markdown("See https://example.com/a."), "See <https://example.com/a>.");
        assert_eq!(markdown("Use [Name] or [a link](https://x.io)."), "Use \\[Name\\] or [a link](https://x.io).");
        assert_eq!(markdown("Code `a[0]` stays."), "Code `a[0]` stays.");
    }

    #[test]
    fn aws_tags_and_bare_pre_survive() {
        let md = markdown("<note><p>Careful.</p></note><pre>a  b</pre>");
        assert!(md.starts_with("**Note:**\n\nCareful."), "{md}");
        assert!(md.contains("```text\na  b\n```"), "{md}");
    }

    #[test]
    fn every_fence_becomes_text_and_control_characters_go() {
        assert_eq!(markdown("```rust\nfn main() {}\n```"), "```text\nfn main() {}\n```");
        assert_eq!(markdown("~~~\nx\n~~~"), "```text\nx\n```");
        assert_eq!(markdown("a\rb\tc"), "a\nb    c");
    }

    #[test]
    fn empty_documentation_takes_the_fallback() {
        let attrs = attrs(Some("<p></p>"), || "Fallback.".to_owned()).to_string();
        assert!(attrs.contains("Fallback."), "{attrs}");
    }

    #[test]
    fn plain_text_is_kept() {
        assert_eq!(markdown("Just text.\n\n\n\nMore."), "Just text.\n\nMore.");
    }
}
