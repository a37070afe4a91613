//! The parser's cursor and its smallest productions: whitespace rules, shape IDs, node
//! values and traits. Statements and shapes are in `parser.rs`.

use super::diag::Span;
use super::lexer::{Tok, Token};
use super::syntax::{Name, Node, NodeKind, TraitApp};

/// A syntax error: where and what.
pub type SyntaxError = (Span, String);

/// A result of the parser.
pub type PResult<T> = Result<T, SyntaxError>;

/// How deeply node values may nest: far beyond any real model, well within the stack.
const MAX_DEPTH: usize = 64;

/// The cursor over one file's tokens.
pub struct Cursor {
    tokens: Vec<Token>,
    pos: usize,
    depth: usize,
}

impl Cursor {
    /// A cursor at the first token; `tokens` ends with [`Tok::Eof`].
    pub fn new(tokens: Vec<Token>) -> Self {
        Self { tokens, pos: 0, depth: 0 }
    }

    /// The current token.
    pub fn peek(&self) -> &Token {
        &self.tokens[self.pos.min(self.tokens.len() - 1)]
    }

    /// The token `n` places ahead.
    pub fn peek_at(&self, n: usize) -> &Token {
        &self.tokens[(self.pos + n).min(self.tokens.len() - 1)]
    }

    /// Moves past the current token and returns its span.
    pub fn bump(&mut self) -> Span {
        let span = self.peek().span;
        if self.pos < self.tokens.len() - 1 {
            self.pos += 1;
        }
        span
    }

    /// Moves past the current token, handing over its text (the token is never read again;
    /// taking it saves a copy of every identifier and string).
    fn take(&mut self) -> (Tok, Span) {
        let span = self.peek().span;
        if self.pos >= self.tokens.len() - 1 {
            return (self.peek().tok.clone(), span);
        }
        let tok = std::mem::replace(&mut self.tokens[self.pos].tok, Tok::Space);
        self.pos += 1;
        (tok, span)
    }

    /// An error at the current token; at a token the lexer could not make, the lexer's.
    pub fn error<T>(&self, what: &str) -> PResult<T> {
        let token = self.peek();
        if let Tok::Error(message) = &token.tok {
            return Err((token.span, message.clone()));
        }
        Err((token.span, format!("expected {what} but found {}", token.describe())))
    }

    /// Whether the current token is the punctuation `p`.
    pub fn at_punct(&self, p: &str) -> bool {
        matches!(&self.peek().tok, Tok::Punct(q) if *q == p)
    }

    /// Whether the current token is the identifier `word`.
    pub fn at_word(&self, word: &str) -> bool {
        matches!(&self.peek().tok, Tok::Ident(w) if w == word)
    }

    /// Consumes the punctuation `p` or fails.
    pub fn expect(&mut self, p: &str) -> PResult<Span> {
        if self.at_punct(p) {
            return Ok(self.bump());
        }
        self.error(&format!("`{p}`"))
    }

    /// Skips spaces and tabs only.
    pub fn sp(&mut self) {
        while self.peek().tok == Tok::Space {
            self.bump();
        }
    }

    /// Requires at least one space or tab, then skips them.
    pub fn sp1(&mut self) -> PResult<()> {
        if self.peek().tok != Tok::Space {
            return self.error("a space");
        }
        self.sp();
        Ok(())
    }

    /// Skips whitespace, line breaks, comments (documentation comments too) and commas.
    pub fn ws(&mut self) {
        while matches!(self.peek().tok, Tok::Space | Tok::Newline | Tok::Comment | Tok::DocComment(_) | Tok::Punct(","))
        {
            self.bump();
        }
    }

    /// Skips whitespace like [`Cursor::ws`], keeping the documentation comments' lines.
    pub fn ws_docs(&mut self) -> Option<(String, Span)> {
        let mut lines: Vec<String> = Vec::new();
        let mut span: Option<Span> = None;
        loop {
            match &self.peek().tok {
                Tok::DocComment(text) => {
                    let text = text.strip_prefix(' ').unwrap_or(text);
                    lines.push(text.to_owned());
                    let at = self.peek().span;
                    span = Some(span.map_or(at, |s| Span::new(s.start, at.end)));
                }
                Tok::Space | Tok::Newline | Tok::Comment | Tok::Punct(",") => {}
                _ => break,
            }
            self.bump();
        }
        span.map(|span| (lines.join("\n"), span))
    }

    /// A line break: spaces (and a comma, which is whitespace), then a comment or line
    /// break or the end of the file. What follows is left to the caller, which knows
    /// whether a documentation comment there means anything.
    pub fn br(&mut self) -> PResult<()> {
        self.sp();
        if self.at_punct(",") {
            self.bump();
            self.sp();
        }
        match self.peek().tok {
            Tok::Newline | Tok::Comment | Tok::Eof => Ok(()),
            // On the statement's own line it documents nothing: a plain comment.
            Tok::DocComment(_) => {
                self.bump();
                Ok(())
            }
            _ => self.error("a line break"),
        }
    }

    /// Requires whitespace (a space, line break or comment) here.
    pub fn ws1(&mut self) -> PResult<()> {
        if !matches!(self.peek().tok, Tok::Space | Tok::Newline | Tok::Comment | Tok::DocComment(_) | Tok::Punct(",")) {
            return self.error("whitespace");
        }
        self.ws();
        Ok(())
    }

    /// An absolute shape ID without a member, as a `use` statement needs.
    pub fn absolute_root_id(&mut self) -> PResult<Name> {
        let mut name = self.namespace()?;
        self.expect("#")?;
        let local = self.identifier()?;
        name.text.push('#');
        name.text.push_str(&local.text);
        name.span.end = local.span.end;
        if self.at_punct("$") {
            return Err((self.peek().span, "a use statement cannot use a member".to_owned()));
        }
        Ok(name)
    }

    /// An identifier.
    pub fn identifier(&mut self) -> PResult<Name> {
        if !matches!(self.peek().tok, Tok::Ident(_)) {
            return self.error("an identifier");
        }
        match self.take() {
            (Tok::Ident(text), span) => Ok(Name { text, span }),
            (_, span) => Err((span, "expected an identifier".to_owned())),
        }
    }

    /// A namespace: identifiers joined by dots, with nothing between them.
    pub fn namespace(&mut self) -> PResult<Name> {
        let mut name = self.identifier()?;
        while self.at_punct(".") {
            self.bump();
            let next = self.identifier()?;
            name.text.push('.');
            name.text.push_str(&next.text);
            name.span.end = next.span.end;
        }
        Ok(name)
    }

    /// A shape ID, relative or absolute, with an optional member: no whitespace inside.
    pub fn shape_id(&mut self) -> PResult<Name> {
        let mut name = self.namespace()?;
        if self.at_punct("#") {
            self.bump();
            let local = self.identifier()?;
            name.text.push('#');
            name.text.push_str(&local.text);
            name.span.end = local.span.end;
        } else if name.text.contains('.') {
            return self.error("`#`");
        }
        if self.at_punct("$") {
            self.bump();
            let member = self.identifier()?;
            name.text.push('$');
            name.text.push_str(&member.text);
            name.span.end = member.span.end;
        }
        Ok(name)
    }

    /// A node value.
    pub fn node(&mut self) -> PResult<Node> {
        if self.depth >= MAX_DEPTH {
            return Err((self.peek().span, format!("node values nest more than {MAX_DEPTH} levels deep")));
        }
        self.depth += 1;
        let node = self.node_inner();
        self.depth -= 1;
        node
    }

    fn node_inner(&mut self) -> PResult<Node> {
        let start = self.peek().span;
        let kind = match &self.peek().tok {
            Tok::Str(_) | Tok::TextBlock(_) | Tok::Number(_) => match self.take().0 {
                Tok::Number(n) => NodeKind::Number(n),
                Tok::Str(s) | Tok::TextBlock(s) => NodeKind::Str(s),
                _ => NodeKind::Null,
            },
            Tok::Punct("[") => {
                self.bump();
                self.ws();
                let mut items = Vec::new();
                while !self.at_punct("]") {
                    items.push(self.node()?);
                    self.ws();
                }
                self.bump();
                NodeKind::Array(items)
            }
            Tok::Punct("{") => {
                self.bump();
                self.ws();
                let mut entries = Vec::new();
                while !self.at_punct("}") {
                    entries.push(self.object_entry()?);
                    self.ws();
                }
                self.bump();
                NodeKind::Object(entries)
            }
            Tok::Ident(_) => {
                let id = self.shape_id()?;
                match id.text.as_str() {
                    "true" => NodeKind::Bool(true),
                    "false" => NodeKind::Bool(false),
                    "null" => NodeKind::Null,
                    _ => NodeKind::Id(id.text),
                }
            }
            _ => return self.error("a node value (string, text block, number, identifier, `{` or `[`)"),
        };
        let end = self.tokens[self.pos.saturating_sub(1)].span.end;
        Ok(Node { kind, span: Span::new(start.start, end.max(start.start)) })
    }

    /// A node object key: an identifier or a quoted string.
    pub fn object_key(&mut self) -> PResult<Name> {
        match &self.peek().tok {
            Tok::Str(_) => match self.take() {
                (Tok::Str(text), span) => Ok(Name { text, span }),
                (_, span) => Err((span, "expected an object key".to_owned())),
            },
            Tok::Ident(_) => self.identifier(),
            _ => self.error("an object key (an identifier or a quoted string)"),
        }
    }

    fn object_entry(&mut self) -> PResult<(Name, Node)> {
        let key = self.object_key()?;
        self.ws();
        self.expect(":")?;
        self.ws();
        Ok((key, self.node()?))
    }

    /// Trait applications before a shape, member or in an apply block, each followed by
    /// whitespace.
    pub fn traits(&mut self) -> PResult<Vec<TraitApp>> {
        let mut traits = Vec::new();
        while self.at_punct("@") {
            traits.push(self.trait_app()?);
            self.ws();
        }
        Ok(traits)
    }

    /// One trait application: `@id`, `@id(value)` or `@id(key: value, ...)`.
    pub fn trait_app(&mut self) -> PResult<TraitApp> {
        let at = self.expect("@")?;
        let mut id = self.shape_id()?;
        id.span.start = at.start;
        if !self.at_punct("(") {
            return Ok(TraitApp { id, value: None });
        }
        let open = self.bump();
        self.ws();
        if self.at_punct(")") {
            self.bump();
            return Ok(TraitApp { id, value: None });
        }
        // `(key: value ...)` is a structure; anything else is one node value.
        let is_key = matches!(self.peek().tok, Tok::Str(_) | Tok::Ident(_)) && {
            let mut n = 1;
            while matches!(self.peek_at(n).tok, Tok::Space | Tok::Newline | Tok::Comment | Tok::DocComment(_)) {
                n += 1;
            }
            matches!(self.peek_at(n).tok, Tok::Punct(":"))
        };
        let value = if is_key {
            let mut entries = Vec::new();
            while !self.at_punct(")") {
                entries.push(self.object_entry()?);
                self.ws();
            }
            NodeKind::Object(entries)
        } else {
            let node = self.node()?;
            self.ws();
            if !self.at_punct(")") {
                return self.error("`)`");
            }
            node.kind
        };
        let close = self.bump();
        Ok(TraitApp { id, value: Some(Node { kind: value, span: Span::new(open.start, close.end) }) })
    }
}
