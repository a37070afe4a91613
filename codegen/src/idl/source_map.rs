//! Where each shape and member of an assembled model was written, so that a problem the
//! lowering finds by JSON path is shown at its file, line and column.

use std::collections::BTreeMap;

use super::convert::Converted;
use super::diag::Location;

/// Shape and member IDs to their places in the sources.
#[derive(Debug, Clone, Default)]
pub struct SourceMap {
    places: BTreeMap<String, Location>,
}

impl SourceMap {
    /// Records a shape and its members.
    pub(super) fn insert(&mut self, id: &str, converted: &Converted) {
        self.places.insert(id.to_owned(), converted.at.clone());
        for (name, at) in &converted.members {
            self.places.insert(format!("{id}${name}"), at.clone());
        }
        for ((member, trait_id), at) in &converted.traits_at {
            let owner = if member.is_empty() { id.to_owned() } else { format!("{id}${member}") };
            self.places.insert(format!("{owner}@{trait_id}"), at.clone());
        }
    }

    /// The place of a shape or member ID.
    pub fn get(&self, id: &str) -> Option<&Location> {
        self.places.get(id)
    }

    /// The place a JSON path such as `$.shapes["a#B"].members.c.traits[...]` points into:
    /// the member when the path names one that is known, else the shape.
    pub fn locate(&self, path: &str) -> Option<&Location> {
        let rest = path.strip_prefix("$.shapes[\"")?;
        let (id, rest) = rest.split_once("\"]")?;
        let member = if let Some(after) = rest.strip_prefix(".members.") {
            Some(after.split(['.', '[']).next().unwrap_or(after).to_owned())
        } else if let Some(after) = rest.strip_prefix(".members[\"") {
            after.split_once("\"]").map(|(name, _)| name.to_owned())
        } else {
            ["member", "key", "value"].into_iter().find(|m| rest.starts_with(&format!(".{m}"))).map(str::to_owned)
        };
        let owner = match &member {
            Some(m) => format!("{id}${m}"),
            None => id.to_owned(),
        };
        let on_trait = rest.split_once(".traits[\"").and_then(|(_, t)| t.split_once("\"]")).map(|(t, _)| t);
        on_trait
            .and_then(|t| self.places.get(&format!("{owner}@{t}")))
            .or_else(|| self.places.get(&owner))
            .or_else(|| self.places.get(id))
    }
}
