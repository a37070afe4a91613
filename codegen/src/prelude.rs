//! The Smithy prelude: the `smithy.api` shapes every model may target without defining.

use indexmap::IndexMap;
use serde_json::{json, Value};

use crate::load::IdlVersion;
use crate::model::{Kind, Shape, Simple};
use crate::shape_id::ShapeId;
use crate::traits::{ids, Traits};

/// The prelude's namespace.
pub const NAMESPACE: &str = "smithy.api";

/// The ID of `smithy.api#Unit`, the empty input, output or union member.
pub fn unit() -> ShapeId {
    ShapeId::new(NAMESPACE, "Unit")
}

/// The prelude's shapes as the given IDL version defines them.
pub fn shapes(version: IdlVersion) -> Vec<Shape> {
    // In 1.0, the capitalised number shapes were boxed (nullable) and everything else was
    // not; in 2.0 the Primitive* shapes carry the default that made them non-null.
    let boxed = |name: &str, simple: Simple| {
        let traits = match version {
            IdlVersion::V1 => vec![(ids::BOX, json!({}))],
            IdlVersion::V2 => vec![],
        };
        shape(name, Kind::Simple(simple), traits)
    };
    let primitive = |name: &str, simple: Simple, zero: Value| {
        let traits = match version {
            IdlVersion::V1 => vec![],
            IdlVersion::V2 => vec![(ids::DEFAULT, zero)],
        };
        shape(name, Kind::Simple(simple), traits)
    };
    vec![
        shape("String", Kind::Simple(Simple::String), vec![]),
        shape("Blob", Kind::Simple(Simple::Blob), vec![]),
        shape("BigInteger", Kind::Simple(Simple::BigInteger), vec![]),
        shape("BigDecimal", Kind::Simple(Simple::BigDecimal), vec![]),
        shape("Timestamp", Kind::Simple(Simple::Timestamp), vec![]),
        shape("Document", Kind::Simple(Simple::Document), vec![]),
        boxed("Boolean", Simple::Boolean),
        boxed("Byte", Simple::Byte),
        boxed("Short", Simple::Short),
        boxed("Integer", Simple::Integer),
        boxed("Long", Simple::Long),
        boxed("Float", Simple::Float),
        boxed("Double", Simple::Double),
        primitive("PrimitiveBoolean", Simple::Boolean, json!(false)),
        primitive("PrimitiveByte", Simple::Byte, json!(0)),
        primitive("PrimitiveShort", Simple::Short, json!(0)),
        primitive("PrimitiveInteger", Simple::Integer, json!(0)),
        primitive("PrimitiveLong", Simple::Long, json!(0)),
        primitive("PrimitiveFloat", Simple::Float, json!(0)),
        primitive("PrimitiveDouble", Simple::Double, json!(0)),
        shape("Unit", Kind::Structure(IndexMap::new()), vec![(ids::UNIT_TYPE, json!({}))]),
    ]
}

fn shape(name: &str, kind: Kind, traits: Vec<(&str, Value)>) -> Shape {
    let id = ShapeId::new(NAMESPACE, name);
    let raw = traits.into_iter().map(|(id, value)| (id.to_owned(), value)).collect();
    Shape { path: format!("(prelude {id})"), id, kind, traits: Traits::from_raw(raw) }
}
