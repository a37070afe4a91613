//! Running other programs from the xtask commands: one way to find cargo, one way to run a
//! command that must succeed.

use std::process::Command;

use anyhow::{bail, Context, Result};

/// A `cargo` command: the cargo running this xtask (`$CARGO`), else the one on PATH.
pub fn cargo() -> Command {
    Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
}

/// Runs `command`, failing with the command line when it cannot start or does not succeed.
pub fn checked(command: &mut Command) -> Result<()> {
    let status = command.status().with_context(|| format!("cannot run {command:?}"))?;
    if !status.success() {
        bail!("{command:?} failed ({status})");
    }
    Ok(())
}
