//! The one place that decides Rust names: types, fields, enum variants, methods. Nothing
//! else turns a model string into an identifier. Collisions are problems, reported with
//! both shapes, never resolved silently by a rename the user did not ask for.

use std::collections::BTreeMap;

use heck::{ToSnakeCase, ToUpperCamelCase};
use proc_macro2::{Ident, Span};

use crate::model::Kind;
use crate::problem::Sink;
use crate::service::ServiceView;
use crate::shape_id::ShapeId;

/// The name of the catch-all variant of generated enums and unions.
pub const UNKNOWN_VARIANT: &str = "Unknown";

/// Rust names for everything a service view emits.
#[derive(Debug, Clone, Default)]
pub struct Names {
    types: BTreeMap<ShapeId, String>,
    fields: BTreeMap<ShapeId, String>,
    variants: BTreeMap<ShapeId, String>,
    methods: BTreeMap<ShapeId, String>,
    service: String,
}

impl Names {
    /// Names every type, member and operation of the view, reporting collisions.
    pub fn new(view: &ServiceView, sink: &mut Sink) -> Self {
        let mut names = Self { service: service_name(view), ..Self::default() };
        let mut taken: BTreeMap<String, String> = BTreeMap::new();
        // Names later issues will need are claimed now, so a model that would collide with
        // them fails today instead of changing meaning later.
        taken.insert(names.service.clone(), format!("the service trait of {}", view.service.id));
        for op in &view.operations {
            let error = type_ident_text(&format!("{}Error", op.id.name));
            if let Some(first) = taken.insert(error.clone(), format!("the error type of operation {}", op.id)) {
                let message = format!("its error type name `{error}` is already used by {first}");
                sink.report(Some(&op.id), crate::problem::path::shape(&op.id), message);
            }
            names.methods.insert(op.id.clone(), field_ident_text(&op.id.name));
        }
        let Kind::Service(service) = &view.service.kind else {
            return names;
        };
        for id in &view.shapes {
            let shape = view.shape(id);
            if !matches!(shape.kind, Kind::Structure(_) | Kind::Union(_) | Kind::Enum(_) | Kind::IntEnum(_)) {
                continue;
            }
            let model_name = service.rename.get(id).unwrap_or(&id.name);
            let name = type_ident_text(model_name);
            if let Some(first) = taken.insert(name.clone(), id.to_string()) {
                let message = format!(
                    "its Rust type name `{name}` is already used by {first}; give one a `rename` in the service"
                );
                sink.report(Some(id), &shape.path, message);
            }
            names.types.insert(id.clone(), name);
            names.name_members(view, id, sink);
        }
        names
    }

    fn name_members(&mut self, view: &ServiceView, id: &ShapeId, sink: &mut Sink) {
        let shape = view.shape(id);
        let (members, variants) = match &shape.kind {
            Kind::Structure(members) => (members, false),
            Kind::Union(members) | Kind::Enum(members) | Kind::IntEnum(members) => (members, true),
            _ => return,
        };
        let mut taken: BTreeMap<String, &str> = BTreeMap::new();
        for member in members.values() {
            let name = if variants { variant_ident_text(&member.name) } else { field_ident_text(&member.name) };
            if let Some(first) = taken.insert(name.clone(), &member.name) {
                let message = format!("members `{first}` and `{}` both become the Rust name `{name}`", member.name);
                sink.report(Some(&member.id), &member.path, message);
            }
            let table = if variants { &mut self.variants } else { &mut self.fields };
            table.insert(member.id.clone(), name);
        }
    }

    /// The type that a structure, union, enum or intEnum becomes.
    pub fn type_ident(&self, id: &ShapeId) -> Ident {
        ident(self.types.get(&id.root()).map_or("UnnamedShape", String::as_str))
    }

    /// The field a structure member becomes.
    pub fn field_ident(&self, member: &ShapeId) -> Ident {
        ident(self.fields.get(member).map_or("unnamed_member", String::as_str))
    }

    /// The variant a union, enum or intEnum member becomes.
    pub fn variant_ident(&self, member: &ShapeId) -> Ident {
        ident(self.variants.get(member).map_or("UnnamedVariant", String::as_str))
    }

    /// The method an operation becomes.
    pub fn method_ident(&self, operation: &ShapeId) -> Ident {
        ident(self.methods.get(operation).map_or("unnamed_operation", String::as_str))
    }

    /// The service trait's name.
    pub fn service_ident(&self) -> Ident {
        ident(&self.service)
    }
}

/// The service trait is named by the SDK ID when the model has one (`Chime`), else by the
/// service shape.
fn service_name(view: &ServiceView) -> String {
    let known = &view.service.traits.known;
    let base = known.aws_service.as_ref().map_or(&view.service.id.name, |s| &s.sdk_id);
    type_ident_text(&base.replace([' ', '-'], "_"))
}

/// The default crate name for a service: its SDK ID or shape name, in kebab case.
pub fn crate_name(view: &ServiceView) -> String {
    let name = service_name(view).trim_end_matches('_').to_snake_case().replace('_', "-");
    // Cargo refuses keywords and the standard crates' names as package names.
    if KEYWORDS.contains(&name.as_str()) || ["std", "core", "alloc", "test", "proc-macro"].contains(&name.as_str()) {
        format!("{name}-api")
    } else {
        name
    }
}

/// Rust's keywords, strict and reserved, of every edition.
const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern", "false", "fn",
    "for", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return", "self", "Self",
    "static", "struct", "super", "trait", "true", "type", "unsafe", "use", "where", "while", "abstract", "become",
    "box", "do", "final", "gen", "macro", "override", "priv", "try", "typeof", "unsized", "virtual", "yield",
];

/// Keywords that cannot be raw identifiers; they take a trailing underscore instead.
const NOT_RAW: &[&str] = &["crate", "self", "Self", "super"];

/// `UpperCamelCase`, never starting with a digit, never a keyword.
fn type_ident_text(name: &str) -> String {
    let mut text = identifier_chars(&name.to_upper_camel_case());
    if text.is_empty() || text.starts_with(|c: char| c.is_ascii_digit()) {
        text.insert(0, 'V');
    }
    unkeyword(text)
}

fn variant_ident_text(name: &str) -> String {
    let text = type_ident_text(name);
    // The catch-all keeps its name; a model value that would take it steps aside.
    if text == UNKNOWN_VARIANT {
        return format!("{UNKNOWN_VARIANT}Value");
    }
    text
}

/// `snake_case`, never starting with a digit; keywords become raw identifiers.
fn field_ident_text(name: &str) -> String {
    let mut text = identifier_chars(&name.to_snake_case());
    if text.is_empty() || text.starts_with(|c: char| c.is_ascii_digit()) {
        text.insert(0, '_');
    }
    unkeyword(text)
}

/// Only ASCII letters, digits and underscores: model names are Smithy identifiers already,
/// but a service's `rename` values are free text.
fn identifier_chars(text: &str) -> String {
    text.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '_').collect()
}

fn unkeyword(text: String) -> String {
    if NOT_RAW.contains(&text.as_str()) {
        format!("{text}_")
    } else if KEYWORDS.contains(&text.as_str()) {
        format!("r#{text}")
    } else {
        text
    }
}

/// An identifier from text this module produced.
fn ident(text: &str) -> Ident {
    match text.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => Ident::new(text, Span::call_site()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keywords_become_raw_or_suffixed() {
        assert_eq!(field_ident_text("type"), "r#type");
        assert_eq!(field_ident_text("self"), "self_");
        assert_eq!(type_ident_text("Self"), "Self_");
        assert_eq!(field_ident_text("crate"), "crate_");
        assert_eq!(ident("r#type").to_string(), "r#type");
    }

    #[test]
    fn case_conversion_and_digits() {
        assert_eq!(field_ident_text("IsAlexaForBusinessEnabled"), "is_alexa_for_business_enabled");
        assert_eq!(field_ident_text("E164PhoneNumber"), "e164_phone_number");
        assert_eq!(type_ident_text("ARN"), "Arn");
        assert_eq!(variant_ident_text("t2_micro"), "T2Micro");
        assert_eq!(variant_ident_text("UNKNOWN"), "UnknownValue");
        assert_eq!(field_ident_text("_1st"), "_1st");
    }
}
