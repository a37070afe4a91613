//! Lower: the AST to the model IR. Adds the prelude, merges `apply`, flattens mixins, turns
//! Smithy 1.0 idioms into their 2.0 meaning, types the known traits and checks references.
//! Every pass reports into one [`Sink`] and goes on, so all problems surface together.

use std::collections::{BTreeMap, BTreeSet};

use indexmap::IndexMap;
use serde_json::{json, Value};

use crate::ast;
use crate::load::{AstShape, Entry, IdlVersion, Loaded};
use crate::model::{Kind, Member, Members, Model, Operation, Resource, Service, Shape, Simple};
use crate::prelude;
use crate::problem::{path, Sink};
use crate::shape_id::ShapeId;
use crate::traits::{ids, Traits};

mod check;
mod mixins;

/// Lowers a loaded model. The result is complete only when `sink` holds no problems.
pub fn lower(mut loaded: Loaded, sink: &mut Sink) -> Model {
    let mut model = Model::default();
    let mut mixin_refs = BTreeMap::new();
    let mut applies = Vec::new();
    for entry in std::mem::take(&mut loaded.entries) {
        if let AstShape::Apply(apply) = entry.shape {
            applies.push((entry.id, entry.path, apply.traits));
            continue;
        }
        if entry.id.namespace == prelude::NAMESPACE {
            sink.report(Some(&entry.id), entry.path, "the smithy.api namespace belongs to the prelude");
            continue;
        }
        if entry.id.namespace == crate::service::SYNTHETIC_NAMESPACE {
            sink.report(Some(&entry.id), entry.path, "the smithy.synthetic namespace is reserved for the generator");
            continue;
        }
        let (shape, mixins) = lower_entry(entry, sink);
        if !mixins.is_empty() {
            mixin_refs.insert(shape.id.clone(), mixins);
        }
        model.shapes.insert(shape.id.clone(), shape);
    }
    for shape in prelude::shapes(loaded.version) {
        model.shapes.insert(shape.id.clone(), shape);
    }
    // An `apply` may name a member a shape only gets from a mixin: those wait until the
    // mixins are flattened, the rest go first so that mixins pass applied traits on.
    let deferred: Vec<_> = applies.into_iter().filter_map(|a| apply(&mut model, a, false, sink)).collect();
    mixins::flatten(&mut model, &mixin_refs, sink);
    for pending in deferred {
        apply(&mut model, pending, true, sink);
    }
    type_traits(&mut model, sink);
    legacy_enums(&mut model, sink);
    implied_defaults(&mut model, loaded.version);
    check::references(&model, &loaded.unreadable, sink);
    model
}

/// Converts one entry, returning the shape and the mixins it names.
fn lower_entry(entry: Entry, sink: &mut Sink) -> (Shape, Vec<(ShapeId, String)>) {
    let Entry { id, path: at, shape } = entry;
    let mut cx = EntryCx { id: &id, path: &at, sink };
    let (kind, traits, mixins) = match shape {
        AstShape::Simple(simple, s) => (Kind::Simple(simple), s.traits, s.mixins),
        AstShape::List(l) => (Kind::List(cx.element(l.member, "member")), l.traits, l.mixins),
        AstShape::Set(l) => {
            let mut traits = l.traits;
            // A set is a list whose items are unique; that is all 2.0 keeps of it.
            traits.0.entry(ids::UNIQUE_ITEMS.to_owned()).or_insert(json!({}));
            (Kind::List(cx.element(l.member, "member")), traits, l.mixins)
        }
        AstShape::Map(m) => {
            let key = cx.element(m.key, "key");
            let value = cx.element(m.value, "value");
            (Kind::Map { key, value }, m.traits, m.mixins)
        }
        AstShape::Structure(a) => (Kind::Structure(cx.members(a.members)), a.traits, a.mixins),
        AstShape::Union(a) => (Kind::Union(cx.members(a.members)), a.traits, a.mixins),
        AstShape::Enum(a) => (Kind::Enum(cx.members(a.members)), a.traits, a.mixins),
        AstShape::IntEnum(a) => (Kind::IntEnum(cx.members(a.members)), a.traits, a.mixins),
        AstShape::Operation(o) => {
            let input = o.input.map_or_else(prelude::unit, |r| cx.target(&r.target, "input.target"));
            let output = o.output.map_or_else(prelude::unit, |r| cx.target(&r.target, "output.target"));
            let errors = cx.refs(&o.errors, "errors");
            (Kind::Operation(Operation { input, output, errors }), o.traits, o.mixins)
        }
        AstShape::Resource(r) => {
            let resource = cx.resource(&r);
            (Kind::Resource(resource), r.traits, r.mixins)
        }
        AstShape::Service(s) => {
            let service = cx.service(&s);
            (Kind::Service(service), s.traits, s.mixins)
        }
        AstShape::Apply(_) => unreachable!("apply entries are split off before lowering"),
    };
    let mixins = mixins
        .iter()
        .enumerate()
        .filter_map(|(i, r)| {
            let at = format!("{}.mixins[{i}]", cx.path);
            ShapeId::parse(&r.target).map_err(|m| cx.sink.report(Some(cx.id), &at, m)).ok().map(|t| (t, at))
        })
        .collect();
    (Shape { id: id.clone(), path: at, kind, traits: Traits::from_raw(traits.0) }, mixins)
}

/// What converting one entry needs: where it is, and where problems go.
struct EntryCx<'a> {
    id: &'a ShapeId,
    path: &'a str,
    sink: &'a mut Sink,
}

impl EntryCx<'_> {
    /// Parses a target ID, reporting a malformed one; a placeholder keeps lowering going.
    fn target(&mut self, target: &str, property: &str) -> ShapeId {
        ShapeId::parse(target).unwrap_or_else(|message| {
            self.sink.report(Some(self.id), format!("{}.{property}", self.path), message);
            prelude::unit()
        })
    }

    fn refs(&mut self, refs: &[ast::Ref], property: &str) -> Vec<ShapeId> {
        refs.iter().enumerate().map(|(i, r)| self.target(&r.target, &format!("{property}[{i}].target"))).collect()
    }

    fn member(&mut self, name: &str, member_path: String, member: ast::Member) -> Member {
        let target = ShapeId::parse(&member.target).unwrap_or_else(|message| {
            self.sink.report(Some(&self.id.with_member(name)), format!("{member_path}.target"), message);
            prelude::unit()
        });
        Member {
            id: self.id.with_member(name),
            name: name.to_owned(),
            path: member_path,
            target,
            traits: Traits::from_raw(member.traits.0),
        }
    }

    /// A list's or map's single member. One that is absent may come from a mixin; a
    /// placeholder marks it, and the reference check reports it if it is still missing.
    fn element(&mut self, member: Option<ast::Member>, name: &str) -> Member {
        let member_path = format!("{}.{name}", self.path);
        match member {
            Some(member) => self.member(name, member_path, member),
            None => Member {
                id: self.id.with_member(name),
                name: name.to_owned(),
                path: member_path,
                target: missing_member(),
                traits: Traits::default(),
            },
        }
    }

    fn members(&mut self, members: ast::UniqueMap<ast::Member>) -> Members {
        members
            .0
            .into_iter()
            .map(|(name, member)| {
                let member_path = path::member(self.id, &name);
                if let Err(message) = ShapeId::parse(&format!("a#B${name}")) {
                    self.sink.report(Some(self.id), &member_path, format!("bad member name: {message}"));
                }
                let member = self.member(&name, member_path, member);
                (name, member)
            })
            .collect()
    }

    fn resource(&mut self, r: &ast::Resource) -> Resource {
        let mut operations = Vec::new();
        let lifecycle = [
            ("create", &r.create),
            ("put", &r.put),
            ("read", &r.read),
            ("update", &r.update),
            ("delete", &r.delete),
            ("list", &r.list),
        ];
        for (property, reference) in lifecycle {
            if let Some(reference) = reference {
                operations.push((property, self.target(&reference.target, &format!("{property}.target"))));
            }
        }
        operations.extend(self.refs(&r.operations, "operations").into_iter().map(|id| ("operations", id)));
        let collection = self.refs(&r.collection_operations, "collectionOperations");
        operations.extend(collection.into_iter().map(|id| ("collectionOperations", id)));
        let identifiers = r
            .identifiers
            .0
            .iter()
            .map(|(name, reference)| {
                (name.clone(), self.target(&reference.target, &format!("identifiers.{name}.target")))
            })
            .collect();
        Resource { identifiers, operations, resources: self.refs(&r.resources, "resources") }
    }

    fn service(&mut self, s: &ast::Service) -> Service {
        let rename = s
            .rename
            .0
            .iter()
            .filter_map(|(from, to)| {
                let id = ShapeId::parse(from)
                    .map_err(|m| self.sink.report(Some(self.id), format!("{}.rename", self.path), m))
                    .ok()?;
                Some((id, to.clone()))
            })
            .collect();
        Service {
            version: s.version.clone(),
            operations: self.refs(&s.operations, "operations"),
            resources: self.refs(&s.resources, "resources"),
            errors: self.refs(&s.errors, "errors"),
            rename,
        }
    }
}

/// The placeholder target of a list or map member the model did not write.
pub(crate) fn missing_member() -> ShapeId {
    ShapeId::new("smithy.synthetic", "MissingMember")
}

/// An `apply` entry: what it names, where it is, the traits it adds.
type Apply = (ShapeId, String, ast::UniqueMap<Value>);

/// Merges an `apply` entry's traits into the shape or member it names. A member that is not
/// there yet is handed back when `last_try` is false, and reported when it is true.
fn apply(model: &mut Model, entry: Apply, last_try: bool, sink: &mut Sink) -> Option<Apply> {
    let (target, at, traits) = entry;
    let Some(shape) = model.shapes.get_mut(&target.root()) else {
        sink.report(Some(&target), at, format!("apply targets {target}, which does not exist"));
        return None;
    };
    let owner = match &target.member {
        None => &mut shape.traits,
        Some(name) => match shape.kind.members_mut().into_iter().find(|m| &m.name == name) {
            Some(member) => &mut member.traits,
            None if !last_try => return Some((target, at, traits)),
            None => {
                let message = format!("apply targets member `{name}`, which {} does not have", target.root());
                sink.report(Some(&target), at, message);
                return None;
            }
        },
    };
    for (id, value) in traits.0 {
        match owner.raw.get(&id) {
            // A member found only on the last try came from a mixin: what it holds was
            // inherited, and an `apply` overrides inherited traits, as Smithy's own does.
            Some(_) if last_try => {
                owner.raw.insert(id, value);
            }
            Some(existing) if *existing != value => {
                let message = format!("apply sets trait {id}, which the shape already has with another value");
                sink.report(Some(&target), path::on_trait(&at, &id), message);
            }
            _ => {
                owner.raw.insert(id, value);
            }
        }
    }
    None
}

/// Reads the known traits of every shape and member.
fn type_traits(model: &mut Model, sink: &mut Sink) {
    for shape in model.shapes.values_mut() {
        shape.traits.type_known(&shape.id, &shape.path, sink);
        for member in shape.kind.members_mut() {
            member.traits.type_known(&member.id, &member.path, sink);
        }
    }
}

/// Turns string shapes with the Smithy 1.0 `@enum` trait into enum shapes, as 2.0 does.
fn legacy_enums(model: &mut Model, sink: &mut Sink) {
    for shape in model.shapes.values_mut() {
        let (Kind::Simple(Simple::String), Some(definitions)) = (&shape.kind, &shape.traits.known.legacy_enum) else {
            continue;
        };
        let trait_path = path::on_trait(&shape.path, ids::ENUM);
        let mut members = Members::new();
        for (i, definition) in definitions.iter().enumerate() {
            let name = definition.name.clone().unwrap_or_else(|| identifier_from_value(&definition.value));
            let at = format!("{trait_path}[{i}]");
            if members.contains_key(&name) {
                sink.report(
                    Some(&shape.id),
                    at,
                    format!("enum value `{}` gives the name `{name}` twice", definition.value),
                );
                continue;
            }
            let mut raw = IndexMap::new();
            raw.insert(ids::ENUM_VALUE.to_owned(), Value::String(definition.value.clone()));
            if let Some(doc) = &definition.documentation {
                raw.insert(ids::DOCUMENTATION.to_owned(), Value::String(doc.clone()));
            }
            // Smithy's own conversion makes the `internal` tag the `@internal` trait.
            if definition.tags.iter().any(|tag| tag == "internal") {
                raw.insert(ids::INTERNAL.to_owned(), Value::Object(serde_json::Map::new()));
            }
            let id = shape.id.with_member(&name);
            let mut traits = Traits::from_raw(raw);
            traits.type_known(&id, &at, sink);
            members.insert(name.clone(), Member { id, name, path: at, target: prelude::unit(), traits });
        }
        shape.kind = Kind::Enum(members);
    }
}

/// A Smithy identifier for an unnamed 1.0 enum value: `t2.micro` becomes `t2_micro`.
fn identifier_from_value(value: &str) -> String {
    let mut name: String = value.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '_' }).collect();
    if !name.starts_with(|c: char| c.is_ascii_alphabetic()) {
        name.insert_str(0, "V_");
    }
    name
}

/// Gives members the defaults their targets imply: in 1.0 a member targeting an unboxed
/// boolean or number is never null (its zero is the default); in 2.0 a member targeting a
/// shape with `@default` shares it. `@default(null)` on a member says the opposite: the
/// member has no default, whatever its target's, so it is optional (unless `@required`).
fn implied_defaults(model: &mut Model, version: IdlVersion) {
    let no_default = remove_null_defaults(model);
    let mut implied = BTreeMap::new();
    for shape in model.shapes.values() {
        let Kind::Structure(members) = &shape.kind else {
            continue;
        };
        for member in members.values() {
            let known = &member.traits.known;
            let Some(target) = model.get(&member.target) else {
                continue;
            };
            if known.default.is_some() || known.required || no_default.contains(&member.id) {
                continue;
            }
            let zero = match target.kind {
                Kind::Simple(Simple::Boolean) => Some(json!(false)),
                Kind::Simple(s) if s.is_number() && !matches!(s, Simple::BigInteger | Simple::BigDecimal) => {
                    Some(json!(0))
                }
                _ => None,
            };
            let default = match version {
                IdlVersion::V1 if !known.boxed && !target.traits.known.boxed => zero,
                _ => target.traits.known.default.clone(),
            };
            if let Some(default) = default {
                implied.insert(member.id.clone(), default);
            }
        }
    }
    for (member_id, default) in implied {
        let Some(shape) = model.shapes.get_mut(&member_id.root()) else {
            continue;
        };
        if let Some(member) = shape.kind.members_mut().into_iter().find(|m| m.id == member_id) {
            member.traits.raw.insert(ids::DEFAULT.to_owned(), default.clone());
            member.traits.known.default = Some(default);
        }
    }
}

/// Takes `@default(null)` off every member and returns those members, so that nothing
/// downstream (types, serde, validation, the client's "leave out a default" rule) sees a
/// default and the target's own default is not implied either.
fn remove_null_defaults(model: &mut Model) -> BTreeSet<ShapeId> {
    let mut removed = BTreeSet::new();
    for shape in model.shapes.values_mut() {
        for member in shape.kind.members_mut() {
            if member.traits.known.default.as_ref().is_some_and(Value::is_null) {
                member.traits.raw.shift_remove(ids::DEFAULT);
                member.traits.known.default = None;
                removed.insert(member.id.clone());
            }
        }
    }
    removed
}

/// The IDs of every shape that is a mixin.
pub(crate) fn mixin_ids(model: &Model) -> BTreeSet<ShapeId> {
    model.shapes.values().filter(|s| s.traits.has(ids::MIXIN)).map(|s| s.id.clone()).collect()
}
