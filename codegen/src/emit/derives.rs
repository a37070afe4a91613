//! Which standard traits a model type can derive beyond `Clone` and `PartialEq`: `Eq` and
//! `Hash` need every value inside to have them, which floats, documents and streams do not.

use std::collections::BTreeSet;

use crate::emit::wire::TypeMap;
use crate::model::{Kind, Simple};
use crate::shape_id::ShapeId;

/// The structures and unions of a view whose values are `Eq` and `Hash` all the way down.
pub struct Equatable(BTreeSet<ShapeId>);

impl Equatable {
    /// Works out the set for every structure and union of the view. Recursive shapes start
    /// as equatable and lose it when a member does, until nothing changes: a cycle through
    /// equatable members stays equatable.
    pub fn of(types: &TypeMap<'_>) -> Self {
        let aggregates = types
            .view
            .shapes
            .iter()
            .filter(|id| matches!(types.view.shape(id).kind, Kind::Structure(_) | Kind::Union(_)));
        let mut set = Self(aggregates.cloned().collect());
        loop {
            let lost: Vec<ShapeId> = set.0.iter().filter(|id| !set.members_equatable(types, id)).cloned().collect();
            if lost.is_empty() {
                return set;
            }
            for id in lost {
                set.0.remove(&id);
            }
        }
    }

    /// Whether values of the structure or union `id` can derive `Eq` and `Hash`.
    pub fn contains(&self, id: &ShapeId) -> bool {
        self.0.contains(id)
    }

    fn members_equatable(&self, types: &TypeMap<'_>, id: &ShapeId) -> bool {
        match &types.view.shape(id).kind {
            Kind::Structure(members) | Kind::Union(members) => {
                members.values().all(|member| self.value_equatable(types, &member.target))
            }
            _ => true,
        }
    }

    /// Whether a value of shape `target`, where a member holds it, is `Eq` and `Hash`.
    fn value_equatable(&self, types: &TypeMap<'_>, target: &ShapeId) -> bool {
        let shape = types.view.shape(target);
        match &shape.kind {
            Kind::Simple(Simple::Float | Simple::Double | Simple::Document) => false,
            Kind::Simple(Simple::Blob) => !shape.traits.known.streaming,
            Kind::Simple(_) | Kind::Enum(_) | Kind::IntEnum(_) => true,
            Kind::List(member) => self.value_equatable(types, &member.target),
            Kind::Map { key, value } => {
                self.value_equatable(types, &key.target) && self.value_equatable(types, &value.target)
            }
            Kind::Structure(_) | Kind::Union(_) => shape.traits.known.unit_type || self.0.contains(target),
            Kind::Operation(_) | Kind::Resource(_) | Kind::Service(_) => true,
        }
    }
}
