//! One parsed IDL file to JSON AST shapes: every reference resolved, traits merged, members
//! and properties in the JSON AST's form. Elided member targets are left for the assembler,
//! which sees every source.

use serde_json::{json, Map, Value};

use super::diag::{Diagnostic, Location};
use super::resolve::{merge_trait, Scope};
use super::syntax::{Body, File, MemberDef, Name, NodeKind, Property, PropertyValue, ShapeDef, TraitApp, Version};

/// A converted shape: its absolute ID, JSON, where it was written and its members' places.
#[derive(Debug, Clone)]
pub struct Converted {
    /// The absolute shape ID.
    pub id: String,
    /// The shape as the JSON AST writes it.
    pub json: Map<String, Value>,
    /// Where its name is.
    pub at: Location,
    /// Members whose target was elided (`$name`), to fill in from a resource or mixin.
    pub elided: Vec<(String, Location)>,
    /// Each member's place, by member name.
    pub members: Vec<(String, Location)>,
    /// The IDL version of its file.
    pub version: Version,
    /// The resource named by `for`, whose identifiers and properties elided members take.
    pub for_resource: Option<String>,
    /// Where each trait was applied: (member name, or empty for the shape; trait ID).
    pub traits_at: TraitPlaces,
}

/// Where traits were applied, by (member name or empty, trait ID).
pub type TraitPlaces = Vec<((String, String), Location)>;

/// An `apply` statement with its target and traits resolved.
#[derive(Debug, Clone)]
pub struct ResolvedApply {
    /// The shape or member ID.
    pub target: String,
    /// Absolute trait IDs and values.
    pub traits: Vec<(String, Value)>,
    /// Where the statement is.
    pub at: Location,
}

/// Converts every shape and apply statement of `file`.
pub fn file(scope: &Scope<'_>, file: &File, diags: &mut Vec<Diagnostic>) -> (Vec<Converted>, Vec<ResolvedApply>) {
    let mut shapes = Vec::new();
    for shape in &file.shapes {
        let first = diags.len();
        if let Some(converted) = convert_shape(scope, file.version, shape, diags) {
            shapes.push(converted);
        }
        // Every problem found in a shape names it, as the lowering's problems do.
        let id = crate::shape_id::ShapeId::parse(&scope.own(&shape.name.text)).ok();
        for diagnostic in diags.iter_mut().skip(first).filter(|d| d.shape.is_none()) {
            diagnostic.shape.clone_from(&id);
        }
    }
    let mut applies = Vec::new();
    for apply in &file.applies {
        let target = scope.target(&apply.target, diags);
        let traits = apply
            .traits
            .iter()
            .filter_map(|t| {
                let (id, value) = trait_value(scope, t, diags)?;
                Some((id, value))
            })
            .collect();
        applies.push(ResolvedApply { target, traits, at: scope.at(apply.target.span) });
    }
    (shapes, applies)
}

/// A trait application as (absolute ID, JSON value); an annotation trait is `[]` when its
/// shape is a list and `{}` otherwise, as Smithy coerces it.
pub fn trait_value(scope: &Scope<'_>, app: &TraitApp, diags: &mut Vec<Diagnostic>) -> Option<(String, Value)> {
    let (id, found) = scope.resolve(&app.id.text);
    if !found {
        diags.push(scope.error(app.id.span, format!("unknown trait `{}` (resolved as `{id}`)", app.id.text)));
        return None;
    }
    let value = match &app.value {
        Some(node) => scope.node(node, diags),
        None => match scope.symbols.get(&id).map(|d| d.kind.as_str()) {
            Some("list" | "set") => json!([]),
            _ => json!({}),
        },
    };
    Some((id, value))
}

fn traits_json(
    scope: &Scope<'_>,
    version: Version,
    (owner, at): (&str, &mut TraitPlaces),
    traits: &[TraitApp],
    diags: &mut Vec<Diagnostic>,
) -> Map<String, Value> {
    let mut map = Map::new();
    for app in traits {
        let Some((id, value)) = trait_value(scope, app, diags) else { continue };
        at.push(((owner.to_owned(), id.clone()), scope.at(app.id.span)));
        if id == "smithy.api#mixin" && version == Version::V1 {
            diags.push(scope.error(app.id.span, "mixins can only be used in Smithy 2.0 or later (the file is 1.0)"));
        }
        if let Err(message) = merge_trait(&mut map, &id, value) {
            diags.push(scope.error(app.id.span, message));
        }
    }
    map
}

fn convert_shape(
    scope: &Scope<'_>,
    version: Version,
    shape: &ShapeDef,
    diags: &mut Vec<Diagnostic>,
) -> Option<Converted> {
    let id = scope.own(&shape.name.text);
    if let Some(used) = scope.uses.get(&shape.name.text) {
        if *used != id {
            let message = format!("shape name `{}` conflicts with imported shape `{used}`", shape.name.text);
            diags.push(scope.error(shape.name.span, message));
        }
    }
    let kind = shape.kind.text.as_str();
    let mut json = Map::new();
    json.insert("type".to_owned(), Value::String(kind.to_owned()));
    let mut converted = Converted {
        id: id.clone(),
        json: Map::new(),
        at: scope.at(shape.name.span),
        elided: Vec::new(),
        members: Vec::new(),
        version,
        for_resource: shape.for_resource.as_ref().map(|r| scope.target(r, diags)),
        traits_at: Vec::new(),
    };
    match &shape.body {
        Body::Empty => {}
        Body::Members(members) => {
            let members = members_json(scope, version, kind, &shape.mixins, members, &mut converted, diags);
            match kind {
                "list" | "set" | "map" => {
                    for (name, member) in members {
                        json.insert(name, member);
                    }
                }
                _ => {
                    json.insert("members".to_owned(), Value::Object(members));
                }
            }
        }
        Body::Properties(properties) => properties_json(scope, version, kind, &id, properties, &mut json, diags),
    }
    if !shape.mixins.is_empty() {
        let mixins = shape.mixins.iter().map(|m| json!({ "target": scope.target(m, diags) })).collect();
        json.insert("mixins".to_owned(), Value::Array(mixins));
    }
    let traits = traits_json(scope, version, ("", &mut converted.traits_at), &shape.traits, diags);
    if traits.contains_key("smithy.api#mixin") {
        mixin_rules(scope, &shape.name, &json, diags);
    }
    if !traits.is_empty() {
        json.insert("traits".to_owned(), Value::Object(traits));
    }
    converted.json = json;
    Some(converted)
}

fn members_json(
    scope: &Scope<'_>,
    version: Version,
    kind: &str,
    mixins: &[Name],
    members: &[MemberDef],
    converted: &mut Converted,
    diags: &mut Vec<Diagnostic>,
) -> Map<String, Value> {
    let mut out = Map::new();
    for member in members {
        let name = &member.name.text;
        if out.contains_key(name) {
            diags.push(scope.error(member.name.span, format!("found conflicting member name `{name}`")));
            continue;
        }
        let allowed: &[&str] = match kind {
            "list" | "set" => &["member"],
            "map" => &["key", "value"],
            _ => &[],
        };
        if !allowed.is_empty() && !allowed.contains(&name.as_str()) {
            diags.push(scope.error(member.name.span, format!("a {kind} cannot have a member named `{name}`")));
            continue;
        }
        let mut traits = traits_json(scope, version, (name, &mut converted.traits_at), &member.traits, diags);
        let at = scope.at(member.name.span);
        let mut value_refused = false;
        let target = match (&member.target, kind) {
            (Some(target), _) => Value::String(scope.target(target, diags)),
            (None, "enum" | "intEnum") => Value::String("smithy.api#Unit".to_owned()),
            (None, _) => {
                converted.elided.push((name.clone(), at.clone()));
                Value::Null
            }
        };
        if let Some(node) = &member.assigned {
            let value = scope.node(node, diags);
            let id = match kind {
                "enum" | "intEnum" => "smithy.api#enumValue",
                _ => "smithy.api#default",
            };
            let ok = match kind {
                "enum" => check_enum_value(&value, true),
                "intEnum" => check_enum_value(&value, false),
                _ => Ok(()),
            };
            match ok {
                Ok(()) => {
                    if let Err(message) = merge_trait(&mut traits, id, value) {
                        diags.push(scope.error(node.span, message));
                    }
                }
                Err(message) => {
                    value_refused = true;
                    diags.push(scope.error(node.span, message));
                }
            }
        }
        if kind == "enum" && !traits.contains_key("smithy.api#enumValue") {
            traits.insert("smithy.api#enumValue".to_owned(), Value::String(name.clone()));
        }
        if kind == "intEnum" && !traits.contains_key("smithy.api#enumValue") && mixins.is_empty() && !value_refused {
            diags.push(scope.error(member.name.span, "an intEnum member needs an integer value (`= 1`)"));
        }
        let mut json = Map::new();
        json.insert("target".to_owned(), target);
        if !traits.is_empty() {
            json.insert("traits".to_owned(), Value::Object(traits));
        }
        converted.members.push((name.clone(), at));
        out.insert(name.clone(), Value::Object(json));
    }
    let required: &[&str] = match kind {
        "list" | "set" => &["member"],
        "map" => &["key", "value"],
        _ => &[],
    };
    let missing: Vec<&str> = required.iter().copied().filter(|r| !out.contains_key(*r)).collect();
    if !missing.is_empty() && mixins.is_empty() {
        let message = format!(
            "missing required member{} of a {kind}: {}",
            if missing.len() == 1 { "" } else { "s" },
            missing.join(", ")
        );
        diags.push(Diagnostic::error(Some(converted.at.clone()), None, message));
    }
    if matches!(kind, "enum" | "intEnum") && out.is_empty() && mixins.is_empty() {
        diags.push(Diagnostic::error(
            Some(converted.at.clone()),
            None,
            format!("{kind} must have at least one member"),
        ));
    }
    out
}

fn check_enum_value(value: &Value, string: bool) -> Result<(), String> {
    match value {
        Value::String(_) if string => Ok(()),
        _ if string => Err(format!("enum members can only be assigned string values, but found {value}")),
        Value::Number(n) if n.is_f64() => {
            Err(format!("intEnum members do not support floating point values ({value})"))
        }
        Value::Number(n) if n.as_i64().is_some_and(|v| i32::try_from(v).is_ok()) => Ok(()),
        Value::Number(_) => Err(format!("intEnum members must fit within an integer, but found {value}")),
        _ => Err(format!("intEnum members require integer values, but found {value}")),
    }
}

/// How each property of a service, resource or operation is written in the JSON AST.
#[derive(Clone, Copy, PartialEq)]
enum Form {
    /// `{"target": id}`.
    Ref,
    /// `[{"target": id}, ...]`.
    Refs,
    /// `{name: {"target": id}, ...}`.
    NamedRefs,
    /// Kept as the node value (strings, `rename`).
    Plain,
}

fn property_form(kind: &str, key: &str) -> Option<Form> {
    Some(match (kind, key) {
        ("service", "version") => Form::Plain,
        ("service", "rename") => Form::Plain,
        ("service", "operations" | "resources" | "errors") => Form::Refs,
        ("resource", "identifiers" | "properties") => Form::NamedRefs,
        ("resource", "create" | "put" | "read" | "update" | "delete" | "list") => Form::Ref,
        ("resource", "operations" | "collectionOperations" | "resources") => Form::Refs,
        ("operation", "input" | "output") => Form::Ref,
        ("operation", "errors") => Form::Refs,
        _ => return None,
    })
}

fn properties_json(
    scope: &Scope<'_>,
    version: Version,
    kind: &str,
    id: &str,
    properties: &[Property],
    json: &mut Map<String, Value>,
    diags: &mut Vec<Diagnostic>,
) {
    for Property { key, value } in properties {
        let Some(form) = property_form(kind, &key.text) else {
            diags.push(scope.error(key.span, format!("unknown property `{}` for {id}", key.text)));
            continue;
        };
        if json.contains_key(&key.text) {
            diags.push(scope.error(key.span, format!("duplicate {kind} property `{}` for `{id}`", key.text)));
            continue;
        }
        if kind == "resource" && key.text == "properties" && version == Version::V1 {
            diags.push(scope.error(key.span, "resource properties can only be used with Smithy version 2 or later"));
        }
        let node = match value {
            PropertyValue::Inline(name) => {
                json.insert(key.text.clone(), json!({ "target": scope.own(&name.text) }));
                continue;
            }
            PropertyValue::Node(node) => node,
        };
        let reference = |node: &super::syntax::Node, diags: &mut Vec<Diagnostic>| match &node.kind {
            NodeKind::Id(text) => {
                let name = Name { text: text.clone(), span: node.span };
                Some(json!({ "target": scope.target(&name, diags) }))
            }
            _ => {
                diags.push(scope.error(node.span, format!("`{}` must be a shape ID", key.text)));
                None
            }
        };
        let converted = match (form, &node.kind) {
            (Form::Plain, _) => scope.node(node, diags),
            (Form::Ref, _) => match reference(node, diags) {
                Some(value) => value,
                None => continue,
            },
            (Form::Refs, NodeKind::Array(items)) => {
                Value::Array(items.iter().filter_map(|item| reference(item, diags)).collect())
            }
            (Form::NamedRefs, NodeKind::Object(entries)) => Value::Object(
                entries.iter().filter_map(|(name, item)| Some((name.text.clone(), reference(item, diags)?))).collect(),
            ),
            (Form::Refs, _) => {
                diags.push(scope.error(node.span, format!("`{}` must be a list of shape IDs", key.text)));
                continue;
            }
            (Form::NamedRefs, _) => {
                diags.push(scope.error(node.span, format!("`{}` must be an object of shape IDs", key.text)));
                continue;
            }
        };
        json.insert(key.text.clone(), converted);
    }
}

/// What a mixin operation or resource may not have.
fn mixin_rules(scope: &Scope<'_>, name: &Name, json: &Map<String, Value>, diags: &mut Vec<Diagnostic>) {
    let unit = json!({ "target": "smithy.api#Unit" });
    let kind = json.get("type").and_then(Value::as_str);
    if kind == Some("operation") && ["input", "output"].iter().any(|k| json.get(*k).is_some_and(|v| *v != unit)) {
        let message = "an operation with the mixin trait must target smithy.api#Unit for its input and output";
        diags.push(scope.error(name.span, message));
    }
    let defines = |key: &str| json.get(key).is_some_and(|p| p.as_object().is_some_and(|p| !p.is_empty()));
    if kind == Some("resource") && (defines("properties") || defines("identifiers")) {
        diags.push(scope.error(name.span, "a resource with the mixin trait may not define identifiers or properties"));
    }
}
