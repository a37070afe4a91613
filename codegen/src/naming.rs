//! The one place that decides Rust names: types, fields, enum variants, methods. Nothing
//! else turns a model string into an identifier. A model's own names are kept; a name the
//! generator makes up steps aside when a model shape has it, by one documented rule
//! ([`synthetic_type_name`]). Two model names that become one Rust name are problems,
//! reported with both shapes.

use std::collections::BTreeMap;

use heck::{ToSnakeCase, ToUpperCamelCase};
use proc_macro2::{Ident, Span};

use crate::model::Kind;
use crate::problem::Sink;
use crate::service::{ServiceView, SYNTHETIC_NAMESPACE};
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
    accessors: BTreeMap<ShapeId, String>,
    setters: BTreeMap<ShapeId, (String, String)>,
    service: String,
}

/// The associated function every structure has: `Shape::builder()`.
pub const BUILDER_FN: &str = "builder";

/// The method that ends every builder: `ShapeBuilder::build()`.
pub const BUILD_FN: &str = "build";

/// The methods a fluent call, paginator or waiter has besides its input's setters
/// (`client.op().send()`, `client.wait_until_x().wait(max_wait)`); the setters of every
/// builder step aside for them too, so that a fluent call can forward each setter under the
/// same name.
pub const FLUENT_FNS: [&str; 6] = ["send", "config_override", "into_paginator", "wait", "min_delay", "max_delay"];

/// Methods a structure or builder has, or inherits from a standard trait, that an accessor
/// or setter of the same name would clash with or shadow: the protocol and validation code's
/// inherent methods, and `Clone`, `Default`, `PartialEq`, `Hash`, `Debug`, `Into` and
/// serde's, and `RequestId::response_metadata`. A member called `Hash` or `Default` (both are in AWS's models) gets
/// `hash_member()`, not a `hash()` that hides `Hash::hash`.
const TAKEN_METHODS: [&str; 24] = [
    "validate",
    "validate_at",
    "from_request",
    "into_request",
    "from_response",
    "into_response",
    "clone",
    "clone_from",
    "default",
    "eq",
    "ne",
    "hash",
    "fmt",
    "cmp",
    "partial_cmp",
    "into",
    "to_owned",
    "to_string",
    "serialize",
    "deserialize",
    "type_id",
    "borrow",
    "borrow_mut",
    "response_metadata",
];

impl Names {
    /// Names every type, member and operation of the view. Model shapes keep their names
    /// (two model shapes that become one Rust name are reported); the names the generator
    /// makes up yield to them instead (see [`synthetic_type_name`]), so no model needs its
    /// owner's `rename` to generate.
    pub fn new(view: &ServiceView, sink: &mut Sink) -> Self {
        let mut names = Self { service: service_name(view), ..Self::default() };
        // Error enums live in `error` and the service trait in `service`, apart from the
        // model types of `types`: only the operations' names can make them collide, and
        // operation names are unique in a service.
        for op in &view.operations {
            names.methods.insert(op.id.clone(), field_ident_text(&op.id.name));
        }
        let Kind::Service(service) = &view.service.kind else {
            return names;
        };
        // Every name `types` holds, with what holds it: each type and its `{Name}Body`.
        let mut taken: BTreeMap<String, String> = BTreeMap::new();
        let named = |id: &&ShapeId| {
            matches!(view.shape(id).kind, Kind::Structure(_) | Kind::Union(_) | Kind::Enum(_) | Kind::IntEnum(_))
        };
        let (synthetic, modeled): (Vec<&ShapeId>, Vec<&ShapeId>) =
            view.shapes.iter().filter(named).partition(|id| id.namespace == SYNTHETIC_NAMESPACE);
        for id in modeled {
            let shape = view.shape(id);
            let name = type_ident_text(service.rename.get(id).unwrap_or(&id.name));
            if let Some(first) = taken.insert(name.clone(), id.to_string()) {
                let message = format!(
                    "its Rust type name `{name}` is already used by {first}; give one a `rename` in the service"
                );
                sink.report(Some(id), &shape.path, message);
            }
            // An error bound to headers has a body struct beside it.
            if shape.traits.known.error.is_some() {
                taken.entry(format!("{name}Body")).or_insert_with(|| format!("the body of {id}"));
            }
            names.types.insert(id.clone(), name);
            names.name_members(view, id, sink);
        }
        for id in synthetic {
            let name = synthetic_type_name(&id.name, |candidate| {
                !taken.contains_key(candidate) && !taken.contains_key(&format!("{candidate}Body"))
            });
            taken.insert(format!("{name}Body"), format!("the body of {id}"));
            taken.insert(name.clone(), id.to_string());
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
        if !variants {
            self.name_structure_methods(shape.traits.known.error.is_some(), members);
        }
    }

    /// Names a structure's accessors (`account.name()`) and its builder's setters
    /// (`.name(..)`, `.set_name(..)`). Each is the field's name unless the structure or the
    /// builder already has a method of that name (`builder`, an error's `message`, the
    /// private default helpers, `build`, a fluent call's `send`, the methods of
    /// [`TAKEN_METHODS`], another member's `set_` setter); then `_member`
    /// follows until the name is free. Member order decides, so every run names alike.
    fn name_structure_methods(&mut self, is_error: bool, members: &crate::model::Members) {
        let fields: Vec<(&ShapeId, String)> =
            members.values().map(|m| (&m.id, self.fields.get(&m.id).cloned().unwrap_or_default())).collect();
        let mut taken: std::collections::BTreeSet<String> =
            std::iter::once(BUILDER_FN).chain(TAKEN_METHODS).map(str::to_owned).collect();
        if is_error {
            taken.insert("message".to_owned());
        }
        for (_, field) in &fields {
            taken.extend(default_helper_names(field));
        }
        for (id, field) in &fields {
            self.accessors.insert((*id).clone(), free_name(field, &mut taken));
        }
        let mut taken: std::collections::BTreeSet<String> =
            std::iter::once(BUILD_FN).chain(FLUENT_FNS).chain(TAKEN_METHODS).map(str::to_owned).collect();
        for (id, field) in &fields {
            let plain = free_name(field, &mut taken);
            let set = free_name(&format!("set_{}", field.trim_start_matches("r#")), &mut taken);
            self.setters.insert((*id).clone(), (plain, set));
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

    /// The accessor of a structure member: `account.name()`.
    pub fn accessor_ident(&self, member: &ShapeId) -> Ident {
        ident(self.accessors.get(member).map_or("unnamed_member", String::as_str))
    }

    /// A structure member's two builder setters: the one taking a value (`.name(..)`) and the
    /// one taking an `Option` (`.set_name(..)`).
    pub fn setter_idents(&self, member: &ShapeId) -> (Ident, Ident) {
        match self.setters.get(member) {
            Some((plain, set)) => (ident(plain), ident(set)),
            None => (ident("unnamed_member"), ident("set_unnamed_member")),
        }
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

/// The name of a structure the generator made (`{Operation}Input`, `{Operation}Output`),
/// given which names are still free. It is the plain name unless a model shape has it (or
/// its `{Name}Body`): bedrock-runtime's `ConverseOutput` is a union of the model, so the
/// output of `Converse` becomes `ConverseOperationOutput`; should that be taken too, a
/// number follows (`ConverseOperationOutput2`, ...). The rule depends only on the model, so
/// every run picks the same names.
pub fn synthetic_type_name(plain: &str, is_free: impl Fn(&str) -> bool) -> String {
    let plain = type_ident_text(plain);
    if is_free(&plain) {
        return plain;
    }
    let role = ["Input", "Output"].into_iter().find(|role| plain.ends_with(role)).unwrap_or_default();
    let operation = &plain[..plain.len() - role.len()];
    let base = format!("{operation}Operation{role}");
    std::iter::once(base.clone())
        .chain((2..).map(|n| format!("{base}{n}")))
        .find(|candidate| is_free(candidate))
        .unwrap_or(base)
}

/// The private helpers a structure has for a field with a `@default` (see
/// `emit::types::defaulted_field`).
pub fn default_helper_names(field: &str) -> [String; 3] {
    let base = field.trim_start_matches("r#");
    [format!("default_{base}"), format!("deserialize_{base}"), format!("is_default_{base}")]
}

/// `wanted`, or `wanted` followed by `_member` as often as it takes to be free; the name is
/// then taken.
fn free_name(wanted: &str, taken: &mut std::collections::BTreeSet<String>) -> String {
    let mut name = wanted.to_owned();
    while taken.contains(&name) || taken.contains(&format!("r#{name}")) {
        name.push_str("_member");
    }
    taken.insert(name.clone());
    name
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

/// The client method that starts waiter `name` (a `@waitable` key): `wait_until_{name}`.
pub fn waiter_method_ident(name: &str) -> Ident {
    ident(&format!("wait_until_{}", identifier_chars(&name.to_snake_case())))
}

/// The type of waiter `name`'s builder, in `client::fluent`: `{Name}Waiter`.
pub fn waiter_type_ident(name: &str) -> Ident {
    ident(&format!("{}Waiter", identifier_chars(&name.to_upper_camel_case())))
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
    fn a_synthetic_name_yields_to_a_model_shape() {
        let taken = ["ConverseOutput", "ListThingsInputBody", "PutOperationInput"];
        let free = |name: &str| !taken.contains(&name);
        assert_eq!(synthetic_type_name("ConverseInput", free), "ConverseInput");
        assert_eq!(synthetic_type_name("ConverseOutput", free), "ConverseOperationOutput");
        assert_eq!(
            synthetic_type_name("ListThingsInput", |n| free(n) && free(&format!("{n}Body"))),
            "ListThingsOperationInput"
        );
        assert_eq!(synthetic_type_name("PutInput", |n| n != "PutInput" && free(n)), "PutOperationInput2");
    }

    #[test]
    fn structure_methods_step_aside() {
        let mut taken = ["build".to_owned()].into_iter().collect();
        assert_eq!(free_name("build", &mut taken), "build_member");
        assert_eq!(free_name("set_x", &mut taken), "set_x");
        assert_eq!(free_name("set_x", &mut taken), "set_x_member");
        assert_eq!(free_name("r#type", &mut taken), "r#type");
        assert_eq!(default_helper_names("r#type")[0], "default_type");
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
