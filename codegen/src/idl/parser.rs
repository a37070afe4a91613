//! The parser: tokens to the syntax tree of one file, by recursive descent over the spec's
//! ABNF. After a syntax error in a shape or apply statement it resumes at the next line that
//! starts a statement (the IDL has no separator token; a statement keyword at the start of a
//! line is the most trustworthy place), so each broken statement is reported once; other
//! files are parsed whatever happens in this one.

use super::diag::Span;
use super::lexer::{self, Tok};
use super::node::{Cursor, PResult, SyntaxError};
use super::syntax::{
    Apply, Body, File, MemberDef, Name, Node, NodeKind, Property, PropertyValue, ShapeDef, TraitApp, Version,
};

/// The simple shape type names.
pub const SIMPLE_TYPES: &[&str] = &[
    "blob",
    "boolean",
    "document",
    "string",
    "byte",
    "short",
    "integer",
    "long",
    "float",
    "double",
    "bigInteger",
    "bigDecimal",
    "timestamp",
];

/// Every shape type name.
const SHAPE_TYPES: &[&str] = &[
    "blob",
    "boolean",
    "document",
    "string",
    "byte",
    "short",
    "integer",
    "long",
    "float",
    "double",
    "bigInteger",
    "bigDecimal",
    "timestamp",
    "enum",
    "intEnum",
    "list",
    "set",
    "map",
    "structure",
    "union",
    "service",
    "resource",
    "operation",
];

/// Parses one IDL file; the first syntax error fails it.
pub fn parse(text: &str) -> PResult<File> {
    let (file, mut errors) = parse_recovering(text);
    if errors.is_empty() {
        return Ok(file);
    }
    Err(errors.swap_remove(0))
}

/// Parses one IDL file, going on after a syntax error in a shape or apply statement at the
/// next line that starts a statement, so that one file reports each of its broken
/// statements. The file holds every statement that parsed. An error before the shapes
/// (control, metadata, namespace, use) or a malformed token ends the file.
pub fn parse_recovering(text: &str) -> (File, Vec<SyntaxError>) {
    let tokens = lexer::lex(text);
    let mut p = Parser { c: Cursor::new(tokens), version: Version::V1 };
    let mut file = File {
        version: Version::V1,
        input_suffix: "Input".to_owned(),
        output_suffix: "Output".to_owned(),
        metadata: Vec::new(),
        namespace: None,
        uses: Vec::new(),
        shapes: Vec::new(),
        applies: Vec::new(),
        warnings: Vec::new(),
    };
    let mut errors = Vec::new();
    if let Err(error) = p.file(&mut file, &mut errors) {
        errors.push(error);
    }
    (file, errors)
}

/// How many syntax errors one file reports before the rest is likely noise.
const MAX_ERRORS: usize = 20;

struct Parser {
    c: Cursor,
    version: Version,
}

impl Parser {
    fn file(&mut self, file: &mut File, errors: &mut Vec<SyntaxError>) -> PResult<()> {
        self.c.ws();
        self.control_section(file)?;
        while self.c.at_word("metadata") {
            let start = self.c.bump();
            if self.c.peek().tok != Tok::Space {
                return self.c.error("a space after `metadata`");
            }
            self.c.sp();
            let mut key = self.c.object_key()?;
            key.span.start = start.start;
            self.c.sp();
            self.c.expect("=")?;
            self.c.sp();
            let value = self.c.node()?;
            self.c.br()?;
            self.c.ws();
            file.metadata.push((key, value));
        }
        if matches!(self.c.peek().tok, Tok::Eof) {
            return Ok(());
        }
        if !self.c.at_word("namespace") {
            return self.c.error("a namespace statement");
        }
        self.c.bump();
        self.c.sp1()?;
        let namespace = self.c.namespace()?;
        self.c.br()?;
        file.namespace = Some(namespace);
        let mut docs = self.c.ws_docs();
        while self.c.at_word("use") {
            self.c.bump();
            self.c.sp1()?;
            let id = self.c.absolute_root_id()?;
            self.c.br()?;
            file.uses.push(id);
            docs = self.c.ws_docs();
        }
        loop {
            if matches!(self.c.peek().tok, Tok::Eof) {
                return Ok(());
            }
            if let Err(error) = self.statement(file, docs) {
                errors.push(error);
                if errors.len() >= MAX_ERRORS || !self.recover() {
                    return Ok(());
                }
            }
            docs = self.c.ws_docs();
        }
    }

    /// Skips to the next line that starts with what starts a statement (a shape type,
    /// `apply`, `@`, `///`), leaving the cursor there. False at the end of the file or at a
    /// malformed token, past which nothing can be read.
    fn recover(&mut self) -> bool {
        let starts_statement = |tok: &Tok| match tok {
            Tok::Ident(word) => word == "apply" || SHAPE_TYPES.contains(&word.as_str()),
            Tok::Punct("@") | Tok::DocComment(_) => true,
            _ => false,
        };
        loop {
            match self.c.peek().tok {
                Tok::Eof | Tok::Error(_) => return false,
                Tok::Newline if starts_statement(&self.c.peek_at(1).tok) => {
                    self.c.bump();
                    return true;
                }
                _ => {
                    self.c.bump();
                }
            }
        }
    }

    fn control_section(&mut self, file: &mut File) -> PResult<()> {
        let mut seen: Vec<String> = Vec::new();
        while self.c.at_punct("$") {
            self.c.bump();
            let key = self.c.object_key()?;
            self.c.sp();
            self.c.expect(":")?;
            self.c.sp();
            let value = self.c.node()?;
            self.c.br()?;
            self.c.ws();
            if seen.contains(&key.text) {
                return Err((value.span, format!("the control statement `{}` is written twice", key.text)));
            }
            seen.push(key.text.clone());
            let text = match &value.kind {
                NodeKind::Str(s) => Some(s.clone()),
                _ => None,
            };
            match key.text.as_str() {
                "version" => {
                    let Some(text) = text else {
                        return Err((value.span, "the $version control statement must have a string value".to_owned()));
                    };
                    self.version = match text.as_str() {
                        "1" | "1.0" => Version::V1,
                        "2" | "2.0" => Version::V2,
                        other => {
                            let end = Span::new(value.span.end, value.span.end);
                            return Err((end, format!("unsupported Smithy version `{other}`")));
                        }
                    };
                    file.version = self.version;
                }
                "operationInputSuffix" | "operationOutputSuffix" => {
                    let Some(text) = text else {
                        return Err((value.span, format!("${} must have a string value", key.text)));
                    };
                    if key.text == "operationInputSuffix" {
                        file.input_suffix = text;
                    } else {
                        file.output_suffix = text;
                    }
                }
                other => file.warnings.push((key.span, format!("unknown control statement `${other}` is ignored"))),
            }
        }
        Ok(())
    }

    fn statement(&mut self, file: &mut File, docs: Option<(String, Span)>) -> PResult<()> {
        // A documentation comment before `apply` is only a comment.
        let mut traits = doc_trait(docs);
        if self.c.at_word("apply") {
            self.apply(file)?;
            return self.c.br();
        }
        let written = self.c.traits()?;
        if !written.is_empty() && self.c.at_word("apply") {
            return Err((self.c.peek().span, "traits cannot be applied to an apply statement".to_owned()));
        }
        traits.extend(written);
        let kind = self.c.identifier()?;
        let shape = self.shape(kind, traits, &mut file.shapes, (&file.input_suffix, &file.output_suffix))?;
        file.shapes.push(shape);
        self.c.br()
    }

    fn apply(&mut self, file: &mut File) -> PResult<()> {
        self.c.bump();
        self.c.sp1()?;
        let target = self.c.shape_id()?;
        self.c.ws1()?;
        let traits = if self.c.at_punct("{") {
            self.c.bump();
            self.c.ws();
            let traits = self.c.traits()?;
            self.c.expect("}")?;
            traits
        } else if self.c.at_punct("@") {
            vec![self.c.trait_app()?]
        } else {
            return self.c.error("`@` or `{`");
        };
        file.applies.push(Apply { target, traits });
        Ok(())
    }

    /// The rest of a shape statement after its type keyword.
    fn shape(
        &mut self,
        kind: Name,
        traits: Vec<TraitApp>,
        out: &mut Vec<ShapeDef>,
        suffixes: (&str, &str),
    ) -> PResult<ShapeDef> {
        let word = kind.text.clone();
        let word = word.as_str();
        if !SHAPE_TYPES.contains(&word) {
            return Err((kind.span, format!("unknown shape type `{word}`")));
        }
        match (word, self.version) {
            ("enum" | "intEnum", Version::V1) => {
                return Err((kind.span, format!("{word} shapes cannot be used in Smithy version 1.0")))
            }
            ("set", Version::V2) => {
                return Err((kind.span, "set shapes cannot be used in Smithy version 2.0".to_owned()))
            }
            _ => {}
        }
        if self.c.peek().tok != Tok::Space {
            return self.c.error("a space after the shape type");
        }
        self.c.sp();
        let name = self.c.identifier()?;
        if self.c.at_punct("#") || self.c.at_punct(".") || self.c.at_punct("$") {
            return self.c.error("a line break");
        }
        let mut shape = ShapeDef { kind, name, traits, mixins: Vec::new(), for_resource: None, body: Body::Empty };
        let aggregate = matches!(word, "structure" | "union" | "list" | "set" | "map");
        self.c.sp();
        if aggregate && self.c.at_word("for") {
            shape.for_resource = Some(self.for_resource()?);
            self.c.sp();
        }
        if self.c.at_word("with") {
            shape.mixins = self.mixins()?;
        }
        if SIMPLE_TYPES.contains(&word) {
            return Ok(shape);
        }
        self.c.ws();
        shape.body = match word {
            "service" | "resource" => Body::Properties(self.properties(None)?),
            "operation" => {
                let name = shape.name.text.clone();
                Body::Properties(self.properties(Some((&name, suffixes, out)))?)
            }
            _ => Body::Members(self.members(word == "enum" || word == "intEnum")?),
        };
        Ok(shape)
    }

    fn for_resource(&mut self) -> PResult<Name> {
        let at = self.c.bump();
        if self.version == Version::V1 {
            return Err((at, "structures can only be bound to resources with Smithy version 2 or later".to_owned()));
        }
        self.c.sp1()?;
        self.c.shape_id()
    }

    fn mixins(&mut self) -> PResult<Vec<Name>> {
        let at = self.c.bump();
        if self.version == Version::V1 {
            return Err((at, "mixins can only be used with Smithy version 2 or later".to_owned()));
        }
        self.c.ws();
        self.c.expect("[")?;
        self.c.ws();
        let mut mixins = vec![self.c.shape_id()?];
        self.c.ws();
        while !self.c.at_punct("]") {
            mixins.push(self.c.shape_id()?);
            self.c.ws();
        }
        self.c.bump();
        Ok(mixins)
    }

    fn members(&mut self, enum_like: bool) -> PResult<Vec<MemberDef>> {
        self.c.expect("{")?;
        let mut members = Vec::new();
        loop {
            let mut traits = doc_trait(self.c.ws_docs());
            if self.c.at_punct("}") {
                self.c.bump();
                return Ok(members);
            }
            if matches!(self.c.peek().tok, Tok::Eof) {
                return self.c.error("`}`");
            }
            traits.extend(self.c.traits()?);
            let (name, target) = if enum_like {
                (self.c.identifier()?, None)
            } else if self.c.at_punct("$") {
                let dollar = self.c.bump();
                if self.version == Version::V1 {
                    return Err((dollar, "members can only elide targets in IDL version 2 or later".to_owned()));
                }
                let mut name = self.c.identifier()?;
                name.span.start = dollar.start;
                (name, None)
            } else {
                let name = self.c.identifier()?;
                self.c.sp();
                self.c.expect(":")?;
                self.c.sp();
                (name, Some(self.c.shape_id()?))
            };
            self.c.sp();
            let mut assigned = None;
            if self.c.at_punct("=") {
                let at = self.c.bump();
                if self.version == Version::V1 {
                    return Err((at, "default values (`=`) are only supported in IDL version 2 or later".to_owned()));
                }
                self.c.sp();
                assigned = Some(self.c.node()?);
                self.c.br()?;
            }
            members.push(MemberDef { name, target, traits, assigned });
        }
    }

    /// The properties of a service, resource or operation; an operation's `input := {...}`
    /// defines a structure, pushed to `out`.
    fn properties(&mut self, operation: Option<(&str, (&str, &str), &mut Vec<ShapeDef>)>) -> PResult<Vec<Property>> {
        self.c.expect("{")?;
        self.c.ws();
        let mut properties = Vec::new();
        let mut operation = operation;
        while !self.c.at_punct("}") {
            if matches!(self.c.peek().tok, Tok::Eof) {
                return self.c.error("`}`");
            }
            let key = self.c.object_key()?;
            self.c.ws();
            if self.c.at_punct(":=") {
                let at = self.c.bump();
                let Some((name, (input_suffix, output_suffix), out)) = operation.as_mut() else {
                    return Err((at, "`:=` defines an operation's input or output only".to_owned()));
                };
                let suffix = match key.text.as_str() {
                    "input" => *input_suffix,
                    "output" => *output_suffix,
                    _ => return Err((at, format!("`:=` cannot define the operation property `{}`", key.text))),
                };
                if self.version == Version::V1 {
                    return Err((at, "inline operation input and output need Smithy version 2 or later".to_owned()));
                }
                let name = format!("{name}{suffix}");
                let shape = self.inline_structure(&key, name)?;
                let id = Name { text: shape.name.text.clone(), span: shape.name.span };
                out.push(shape);
                properties.push(Property { key, value: PropertyValue::Inline(id) });
            } else {
                self.c.ws();
                self.c.expect(":")?;
                self.c.ws();
                let value = self.c.node()?;
                properties.push(Property { key, value: PropertyValue::Node(value) });
            }
            let before = self.c.peek().span;
            self.c.ws();
            if !self.c.at_punct("}") && self.c.peek().span == before {
                return self.c.error("whitespace or `}`");
            }
        }
        self.c.bump();
        Ok(properties)
    }

    fn inline_structure(&mut self, key: &Name, name: String) -> PResult<ShapeDef> {
        let mut traits = doc_trait(self.c.ws_docs());
        traits.extend(self.c.traits()?);
        // An inline structure is marked as what it is, as Smithy's loader does.
        let role = Name { text: format!("smithy.api#{}", key.text), span: key.span };
        traits.push(TraitApp { id: role, value: None });
        let kind = Name { text: "structure".to_owned(), span: key.span };
        let mut shape = ShapeDef {
            kind,
            name: Name { text: name, span: key.span },
            traits,
            mixins: Vec::new(),
            for_resource: None,
            body: Body::Empty,
        };
        if self.c.at_word("for") {
            shape.for_resource = Some(self.for_resource()?);
            self.c.ws();
        }
        if self.c.at_word("with") {
            shape.mixins = self.mixins()?;
            self.c.ws();
        }
        shape.body = Body::Members(self.members(false)?);
        Ok(shape)
    }
}

/// A documentation comment as the `@documentation` trait it stands for.
fn doc_trait(docs: Option<(String, Span)>) -> Vec<TraitApp> {
    docs.map(|(text, span)| TraitApp {
        id: Name { text: "smithy.api#documentation".to_owned(), span },
        value: Some(Node { kind: NodeKind::Str(text), span }),
    })
    .into_iter()
    .collect()
}
