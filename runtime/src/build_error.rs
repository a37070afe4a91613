//! The error of a generated builder's `build()`.

use std::fmt;

/// A structure's builder was asked to build with `@required` members left unset; it names
/// every one of them, by the setter that sets it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuildError {
    shape: &'static str,
    missing: Vec<&'static str>,
}

impl BuildError {
    /// The error for `shape`, from the list of its required members with `Some(setter)` for
    /// each one left unset. Generated builders call this.
    pub fn missing(shape: &'static str, members: impl IntoIterator<Item = Option<&'static str>>) -> Self {
        Self { shape, missing: members.into_iter().flatten().collect() }
    }

    /// The Rust name of the structure that could not be built.
    pub fn shape(&self) -> &'static str {
        self.shape
    }

    /// The setters of the required members left unset, in the model's order.
    pub fn missing_members(&self) -> &[&'static str] {
        &self.missing
    }
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let noun = if self.missing.len() == 1 { "member is" } else { "members are" };
        write!(f, "cannot build {}: required {noun} not set: ", self.shape)?;
        for (i, member) in self.missing.iter().enumerate() {
            let separator = if i == 0 { "" } else { ", " };
            write!(f, "{separator}`{member}`")?;
        }
        Ok(())
    }
}

impl std::error::Error for BuildError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_every_unset_member() {
        let error = BuildError::missing("Account", [Some("aws_account_id"), None, Some("name")]);
        assert_eq!(error.missing_members(), ["aws_account_id", "name"]);
        assert_eq!(error.to_string(), "cannot build Account: required members are not set: `aws_account_id`, `name`");
        let one = BuildError::missing("User", [Some("user_id")]);
        assert_eq!(one.to_string(), "cannot build User: required member is not set: `user_id`");
    }
}
