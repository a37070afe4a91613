//! Smithy shape IDs: `namespace#Name` and `namespace#Name$member`.

use std::fmt;

/// The absolute ID of a shape, or of a member when `member` is set.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ShapeId {
    /// The namespace, such as `com.amazonaws.chime`.
    pub namespace: String,
    /// The shape's name within its namespace, such as `User`.
    pub name: String,
    /// The member name, for a member ID such as `com.amazonaws.chime#User$UserId`.
    pub member: Option<String>,
}

impl ShapeId {
    /// Parses an absolute shape ID, explaining what is wrong when it is not one.
    pub fn parse(text: &str) -> Result<Self, String> {
        let (namespace, rest) =
            text.split_once('#').ok_or_else(|| format!("`{text}` is not an absolute shape ID (namespace#Name)"))?;
        let (name, member) = match rest.split_once('$') {
            Some((name, member)) => (name, Some(member)),
            None => (rest, None),
        };
        let namespace_ok = !namespace.is_empty() && namespace.split('.').all(is_identifier);
        if !namespace_ok || !is_identifier(name) || !member.is_none_or(is_identifier) {
            return Err(format!("`{text}` is not a valid shape ID"));
        }
        Ok(Self { namespace: namespace.to_owned(), name: name.to_owned(), member: member.map(str::to_owned) })
    }

    /// The ID of the shape `name` in `namespace`.
    pub fn new(namespace: &str, name: &str) -> Self {
        Self { namespace: namespace.to_owned(), name: name.to_owned(), member: None }
    }

    /// The ID of member `member` of this shape.
    pub fn with_member(&self, member: &str) -> Self {
        Self { member: Some(member.to_owned()), ..self.root() }
    }

    /// This ID without its member part.
    pub fn root(&self) -> Self {
        Self { member: None, ..self.clone() }
    }
}

impl fmt::Display for ShapeId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}#{}", self.namespace, self.name)?;
        if let Some(member) = &self.member {
            write!(f, "${member}")?;
        }
        Ok(())
    }
}

/// Smithy's identifier grammar: `(_+[A-Za-z0-9]|[A-Za-z])[A-Za-z0-9_]*`.
fn is_identifier(text: &str) -> bool {
    let body = text.trim_start_matches('_');
    let Some(first) = body.chars().next() else {
        return false;
    };
    let leading_underscores = body.len() != text.len();
    (first.is_ascii_alphabetic() || (leading_underscores && first.is_ascii_digit()))
        && body.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_shape_and_member_ids() {
        let id = ShapeId::parse("com.amazonaws.chime#User$UserId").unwrap();
        assert_eq!((id.namespace.as_str(), id.name.as_str()), ("com.amazonaws.chime", "User"));
        assert_eq!(id.member.as_deref(), Some("UserId"));
        assert_eq!(id.to_string(), "com.amazonaws.chime#User$UserId");
        assert_eq!(ShapeId::parse("smithy.api#String").unwrap().root().to_string(), "smithy.api#String");
    }

    #[test]
    fn rejects_malformed_ids() {
        for bad in ["String", "#String", "a..b#C", "a#", "a#1B", "a#B$", "a#B$c-d", "a b#C"] {
            assert!(ShapeId::parse(bad).is_err(), "{bad} should be rejected");
        }
        assert!(ShapeId::parse("a#_1B").is_ok());
    }
}
