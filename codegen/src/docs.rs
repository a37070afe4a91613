//! Documentation: Smithy models carry HTML (AWS's do) or CommonMark; rustdoc wants Markdown,
//! one `#[doc]` attribute per line.

use proc_macro2::TokenStream;
use quote::quote;

/// `#[doc = " ..."]` attributes for documentation text, HTML or Markdown.
pub fn attrs(documentation: &str) -> TokenStream {
    lines_to_attrs(&markdown(documentation))
}

/// `#[doc]` attributes for text that is already Markdown.
pub fn lines_to_attrs(markdown: &str) -> TokenStream {
    let lines = markdown.lines().map(|line| if line.is_empty() { String::new() } else { format!(" {line}") });
    quote! { #( #[doc = #lines] )* }
}

/// Converts documentation to rustdoc Markdown: HTML is translated, code blocks are marked as
/// plain text (rustdoc would otherwise compile them as Rust doctests), and blank runs and
/// trailing spaces are folded.
pub fn markdown(documentation: &str) -> String {
    let converted = if documentation.contains('<') {
        htmd::convert(documentation).unwrap_or_else(|_| documentation.to_owned())
    } else {
        documentation.to_owned()
    };
    let mut out = String::new();
    let mut in_code = false;
    let mut blank_run = 0;
    for line in converted.lines() {
        let line = line.trim_end();
        if let Some(info) = line.trim_start().strip_prefix("```") {
            let fence = if !in_code && info.trim().is_empty() { "```text" } else { line.trim_start() };
            in_code = !in_code;
            out.push_str(fence);
            out.push('\n');
            blank_run = 0;
            continue;
        }
        if line.is_empty() && !in_code {
            blank_run += 1;
            continue;
        }
        if blank_run > 0 && !out.is_empty() {
            out.push('\n');
        }
        blank_run = 0;
        out.push_str(line);
        out.push('\n');
    }
    if in_code {
        out.push_str("```\n");
    }
    out.trim_end().to_owned()
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
    fn plain_text_is_kept() {
        assert_eq!(markdown("Just text.\n\n\n\nMore."), "Just text.\n\nMore.");
    }
}
