//! The lexer: IDL text to tokens with byte spans. Whitespace, line breaks and comments are
//! tokens too, because the IDL's grammar is sensitive to them in places (a line break must
//! end a statement; a shape name must follow its type on the same line).

use super::diag::Span;

/// What a token is.
#[derive(Debug, Clone, PartialEq)]
pub enum Tok {
    /// An identifier, keywords included: `(ALPHA / "_") *(ALPHA / DIGIT / "_")`.
    Ident(String),
    /// A number, kept as written (already checked against the grammar).
    Number(String),
    /// A quoted string, escapes decoded.
    Str(String),
    /// A text block, incidental whitespace stripped and escapes decoded.
    TextBlock(String),
    /// One punctuation character, or `:=`.
    Punct(&'static str),
    /// Spaces and tabs.
    Space,
    /// A line break.
    Newline,
    /// A `//` comment, up to (not including) the line break.
    Comment,
    /// A `///` documentation comment's text after the slashes.
    DocComment(String),
    /// Where the lexer stopped on malformed text, with its message; the parser reports it
    /// unless it finds a syntax error earlier in the file.
    Error(String),
    /// The end of the text.
    Eof,
}

/// A token and where it is.
#[derive(Debug, Clone, PartialEq)]
pub struct Token {
    /// What it is.
    pub tok: Tok,
    /// Its bytes in the source.
    pub span: Span,
}

impl Token {
    /// How a message names the token: `identifier 'foo'`, `'{'`, `end of file`.
    pub fn describe(&self) -> String {
        match &self.tok {
            Tok::Ident(name) => format!("identifier `{name}`"),
            Tok::Number(text) => format!("number `{text}`"),
            Tok::Str(_) => "a string".to_owned(),
            Tok::TextBlock(_) => "a text block".to_owned(),
            Tok::Punct(p) => format!("`{p}`"),
            Tok::Space => "a space".to_owned(),
            Tok::Newline => "a line break".to_owned(),
            Tok::Comment => "a comment".to_owned(),
            Tok::DocComment(_) => "a documentation comment".to_owned(),
            Tok::Error(message) => message.clone(),
            Tok::Eof => "end of file".to_owned(),
        }
    }
}

/// A lexing error: where and what.
pub type LexError = (Span, String);

/// Splits `text` into tokens, ending with [`Tok::Eof`], or with [`Tok::Error`] where the
/// text stops making tokens.
pub fn lex(text: &str) -> Vec<Token> {
    match lex_strict(text) {
        Ok(tokens) => tokens,
        Err((mut tokens, (span, message))) => {
            tokens.push(Token { tok: Tok::Error(message), span });
            tokens
        }
    }
}

fn lex_strict(text: &str) -> Result<Vec<Token>, (Vec<Token>, LexError)> {
    let mut tokens = Vec::new();
    match lex_into(text, &mut tokens) {
        Ok(()) => Ok(tokens),
        Err(error) => Err((tokens, error)),
    }
}

fn lex_into(text: &str, tokens: &mut Vec<Token>) -> Result<(), LexError> {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let start = i;
        let c = bytes[i];
        let tok = match c {
            b' ' | b'\t' => {
                while i < bytes.len() && matches!(bytes[i], b' ' | b'\t') {
                    i += 1;
                }
                Tok::Space
            }
            b'\n' => {
                i += 1;
                Tok::Newline
            }
            b'\r' if bytes.get(i + 1) == Some(&b'\n') => {
                i += 2;
                Tok::Newline
            }
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                let end = text[i..].find(['\n', '\r']).map_or(bytes.len(), |n| i + n);
                let body = &text[i..end];
                i = end;
                match body.strip_prefix("///") {
                    Some(doc) => Tok::DocComment(doc.to_owned()),
                    None => Tok::Comment,
                }
            }
            b'"' => {
                let (tok, end) = string(text, i)?;
                i = end;
                tok
            }
            b'-' | b'0'..=b'9' => {
                let (number, end) = number(text, i)?;
                i = end;
                Tok::Number(number)
            }
            b'A'..=b'Z' | b'a'..=b'z' | b'_' => {
                while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
                    i += 1;
                }
                if text[start..i].bytes().all(|b| b == b'_') {
                    return Err((
                        Span::new(i, i + 1),
                        "expected a letter or digit after `_` in an identifier".to_owned(),
                    ));
                }
                Tok::Ident(text[start..i].to_owned())
            }
            b':' if bytes.get(i + 1) == Some(&b'=') => {
                i += 2;
                Tok::Punct(":=")
            }
            _ => {
                let punct = match c {
                    b'{' => "{",
                    b'}' => "}",
                    b'[' => "[",
                    b']' => "]",
                    b'(' => "(",
                    b')' => ")",
                    b':' => ":",
                    b',' => ",",
                    b'=' => "=",
                    b'@' => "@",
                    b'$' => "$",
                    b'#' => "#",
                    b'.' => ".",
                    _ => {
                        let ch = text[i..].chars().next().unwrap_or('?');
                        return Err((
                            Span::new(i, i + ch.len_utf8()),
                            format!("unexpected character `{}`", ch.escape_debug()),
                        ));
                    }
                };
                i += 1;
                Tok::Punct(punct)
            }
        };
        tokens.push(Token { tok, span: Span::new(start, i) });
    }
    tokens.push(Token { tok: Tok::Eof, span: Span::new(bytes.len(), bytes.len()) });
    Ok(())
}

/// Reads `-?int[.digits][e[+-]digits]` at `start`; the grammar's errors are reported where the
/// number starts.
fn number(text: &str, start: usize) -> Result<(String, usize), LexError> {
    let bytes = text.as_bytes();
    let digits = |mut i: usize| {
        let from = i;
        while i < bytes.len() && bytes[i].is_ascii_digit() {
            i += 1;
        }
        (i, i > from)
    };
    let mut i = start;
    if bytes[i] == b'-' {
        i += 1;
    }
    let (after, any) = digits(i);
    let fail =
        |end: usize, why: &str| Err((Span::new(start, end), format!("invalid number `{}`: {why}", &text[start..end])));
    if !any {
        return fail(i, "`-` must be followed by a digit");
    }
    i = after;
    if bytes.get(i) == Some(&b'.') {
        let (after, any) = digits(i + 1);
        if !any {
            return fail(i + 1, "`.` must be followed by a digit");
        }
        i = after;
    }
    if matches!(bytes.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(bytes.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        let (after, any) = digits(i);
        if !any {
            return fail(i, "an exponent must be followed by a digit");
        }
        i = after;
    }
    Ok((text[start..i].to_owned(), i))
}

/// Reads a quoted string or a text block starting at the `"` at `start`.
fn string(text: &str, start: usize) -> Result<(Tok, usize), LexError> {
    let block = text[start..].starts_with("\"\"\"");
    let open = if block { 3 } else { 1 };
    let bytes = text.as_bytes();
    let mut i = start + open;
    // Find the closing quote(s), skipping escaped characters.
    let end = loop {
        match bytes.get(i) {
            None => {
                return Err((
                    Span::new(text.len(), text.len()),
                    "unclosed string: expected `\"` before the end of file".to_owned(),
                ))
            }
            Some(b'\\') => i += 2,
            Some(b'"') if !block => break i,
            Some(b'"') if text[i..].starts_with("\"\"\"") => break i,
            Some(_) => i += 1,
        }
    };
    let raw = &text[start + open..end.min(text.len())];
    let at = Span::new(start, end + open);
    let value = if block {
        let Some(body) = raw.strip_prefix('\n').or_else(|| raw.strip_prefix("\r\n")) else {
            let why =
                if raw.is_empty() { "a text block is empty" } else { "a text block must start with a line break" };
            return Err((at, why.to_owned()));
        };
        unescape(&strip_incidental(&body.replace("\r\n", "\n")), at)?
    } else {
        unescape(&raw.replace("\r\n", "\n"), at)?
    };
    Ok((if block { Tok::TextBlock(value) } else { Tok::Str(value) }, end + open))
}

/// The spec's incidental-whitespace rule for text blocks: the smallest indentation of the
/// non-blank lines (and of the closing line, which counts even when blank) is removed from
/// every line, and trailing spaces are removed.
fn strip_incidental(body: &str) -> String {
    let lines: Vec<&str> = body.split('\n').collect();
    let last = lines.len() - 1;
    let indent = |line: &str| line.len() - line.trim_start_matches([' ', '\t']).len();
    let min = lines
        .iter()
        .enumerate()
        .filter(|(n, line)| *n == last || !line.trim().is_empty())
        .map(|(_, line)| indent(line))
        .min()
        .unwrap_or(0);
    let mut out: Vec<String> = Vec::with_capacity(lines.len());
    for (n, line) in lines.iter().enumerate() {
        let line = if line.trim().is_empty() { "" } else { line.get(min..).unwrap_or("") };
        // A closing line with only whitespace ends the text with a line break and no more.
        let line = if n == last && line.trim().is_empty() { "" } else { line };
        out.push(line.trim_end_matches([' ', '\t']).to_owned());
    }
    out.join("\n")
}

/// Decodes the escapes of a quoted string or text block.
fn unescape(raw: &str, at: Span) -> Result<String, LexError> {
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('"') => out.push('"'),
            Some('\\') => out.push('\\'),
            Some('/') => out.push('/'),
            Some('b') => out.push('\u{8}'),
            Some('f') => out.push('\u{c}'),
            Some('n') => out.push('\n'),
            Some('r') => out.push('\r'),
            Some('t') => out.push('\t'),
            Some('\n') => {}
            Some('u') => {
                let hex: String = chars.by_ref().take(4).collect();
                if hex.len() < 4 {
                    return Err((at, "unclosed unicode escape in a string".to_owned()));
                }
                let digits = hex.chars().all(|c| c.is_ascii_hexdigit());
                let Some(code) = u32::from_str_radix(&hex, 16).ok().filter(|_| digits) else {
                    return Err((at, format!("invalid unicode escape `\\u{hex}` in a string")));
                };
                out.push(char::from_u32(code).unwrap_or('\u{fffd}'));
            }
            Some(other) => return Err((at, format!("invalid escape `\\{}` in a string", other.escape_debug()))),
            None => return Err((at, "a string ends in a lone `\\`".to_owned())),
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn block(text: &str) -> String {
        match lex(text).first().map(|t| t.tok.clone()) {
            Some(Tok::TextBlock(s)) => s,
            other => panic!("not a text block: {other:?}"),
        }
    }

    #[test]
    fn text_blocks_lose_incidental_whitespace() {
        assert_eq!(block("\"\"\"\n    Hello\n    \"\"\""), "Hello\n");
        assert_eq!(block("\"\"\"\n    Hello\"\"\""), "Hello");
        assert_eq!(block("\"\"\"\n    Hi \\\n    there\"\"\""), "Hi there");
        assert_eq!(block("\"\"\"\n    Hello\n\n    there\n    \"\"\""), "Hello\n\nthere\n");
        assert_eq!(block("\"\"\"\n  a\n    b\n         \"\"\""), "a\n  b\n");
    }

    #[test]
    fn numbers_follow_the_grammar() {
        for bad in ["1.", "1.0e+", "-"] {
            assert!(matches!(lex(bad).last().map(|t| &t.tok), Some(Tok::Error(_))), "{bad}");
        }
        assert_eq!(lex("-1.5e10").first().map(|t| t.tok.clone()), Some(Tok::Number("-1.5e10".into())));
    }
}
