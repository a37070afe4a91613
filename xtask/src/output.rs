//! Putting a generated crate on disk: all of it or none of it, and a readable diff when the
//! files on disk are not what the generator would write.

use std::collections::BTreeSet;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use codegen::render::TOML_HEADER;
use codegen::Files;

/// Writes `files` as the whole content of `out`, atomically: the new tree is written beside
/// `out` and swapped in by renames, so a failure at any point leaves either the old tree or
/// the new one, never a mix. Files the generator no longer writes are removed. Does nothing
/// when the tree already holds exactly these files, so timestamps (and builds) stay put.
pub fn write_atomically(out: &Path, files: &Files) -> Result<()> {
    write_all_atomically(&[(out.to_path_buf(), files.clone())])
}

/// Writes several crates as one change: every new tree is written (and synced to disk) beside
/// its directory first, and only when all of them are complete are they swapped in. A failure
/// while writing leaves every directory exactly as it was; a failure while swapping puts back
/// the ones already swapped.
pub fn write_all_atomically(trees: &[(PathBuf, Files)]) -> Result<()> {
    let mut changed = Vec::new();
    for (out, files) in trees {
        recover_interrupted_swap(out)?;
        if !differences(out, files)?.is_empty() {
            refuse_foreign_directory(out)?;
            changed.push((out.as_path(), files));
        }
    }
    let mut staged = Vec::new();
    for (out, files) in &changed {
        let staging = sibling(out, "new");
        staged.push(staging.clone());
        if let Err(error) = stage(out, &staging, files) {
            // Best effort: the error that matters is the one being returned.
            for staging in &staged {
                let _ = fs::remove_dir_all(staging);
            }
            return Err(error);
        }
    }
    let mut swapped: Vec<&Path> = Vec::new();
    for (out, _) in &changed {
        if let Err(error) = swap(out) {
            for out in swapped.iter().rev() {
                let _ = unswap(out);
            }
            for (out, _) in &changed {
                let _ = fs::remove_dir_all(sibling(out, "new"));
            }
            return Err(error);
        }
        swapped.push(*out);
    }
    for out in swapped {
        remove_if_present(&sibling(out, "old"))?;
    }
    Ok(())
}

/// Writes the tree that is to replace `out` into `staging`, synced to disk.
fn stage(out: &Path, staging: &Path, files: &Files) -> Result<()> {
    let parent = out.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    fs::create_dir_all(parent).with_context(|| format!("cannot create {}", parent.display()))?;
    remove_if_present(staging)?;
    write_tree(staging, files)
}

/// Moves `out` aside as its backup and its staged tree into its place.
fn swap(out: &Path) -> Result<()> {
    let (staging, backup) = (sibling(out, "new"), sibling(out, "old"));
    remove_if_present(&backup)?;
    if out.exists() {
        fs::rename(out, &backup).with_context(|| format!("cannot move {} aside", out.display()))?;
    }
    if let Err(error) = fs::rename(&staging, out) {
        if backup.exists() {
            fs::rename(&backup, out).with_context(|| format!("cannot restore {}", out.display()))?;
        }
        return Err(error).with_context(|| format!("cannot move the new tree into {}", out.display()));
    }
    Ok(())
}

/// Undoes [`swap`]: the new tree goes away and the backup comes back.
fn unswap(out: &Path) -> Result<()> {
    let backup = sibling(out, "old");
    remove_if_present(out)?;
    if backup.exists() {
        fs::rename(&backup, out).with_context(|| format!("cannot restore {}", out.display()))?;
    }
    Ok(())
}

/// The staging or backup directory next to `out`.
fn sibling(out: &Path, role: &str) -> PathBuf {
    let name = out.file_name().map_or_else(|| "generated".into(), |n| n.to_string_lossy().into_owned());
    out.with_file_name(format!(".{name}.{role}"))
}

/// A swap interrupted between its two renames leaves `out` missing and its backup beside it:
/// put the backup back before anything else.
fn recover_interrupted_swap(out: &Path) -> Result<()> {
    let backup = sibling(out, "old");
    if !out.exists() && backup.exists() {
        fs::rename(&backup, out)
            .with_context(|| format!("cannot restore {} from {}", out.display(), backup.display()))?;
    }
    Ok(())
}

/// Refuses to replace a non-empty directory that the generator did not write, so that a
/// mistaken `--out` cannot wipe someone's work.
fn refuse_foreign_directory(out: &Path) -> Result<()> {
    if !out.exists() {
        return Ok(());
    }
    let marker = fs::read_to_string(out.join("Cargo.toml")).unwrap_or_default();
    let empty = fs::read_dir(out).map(|mut entries| entries.next().is_none()).unwrap_or(false);
    if !empty && !marker.starts_with(TOML_HEADER) {
        bail!(
            "{} exists and was not written by `cargo xtask codegen` (its Cargo.toml lacks the @generated header); \
             refusing to replace it",
            out.display()
        );
    }
    Ok(())
}

fn remove_if_present(path: &Path) -> Result<()> {
    match fs::remove_dir_all(path) {
        Err(error) if error.kind() != io::ErrorKind::NotFound => {
            Err(error).with_context(|| format!("cannot remove {}", path.display()))
        }
        _ => Ok(()),
    }
}

fn write_tree(root: &Path, files: &Files) -> Result<()> {
    for (relative, content) in files {
        let path = root.join(relative);
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
        }
        // Synced, so that the tree swapped in is on disk whole, even after a power cut.
        let written = fs::File::create(&path).and_then(|mut file| {
            io::Write::write_all(&mut file, content.as_bytes())?;
            file.sync_all()
        });
        written.with_context(|| format!("cannot write {}", path.display()))?;
    }
    Ok(())
}

/// How the files under `out` differ from `files`: one entry per file, with a unified diff
/// for changed ones. Build output (`target/`) is not the generator's and is ignored.
pub fn differences(out: &Path, files: &Files) -> Result<Vec<String>> {
    let on_disk = list_files(out)?;
    let mut found = Vec::new();
    for (relative, expected) in files {
        let path = out.join(relative);
        match fs::read_to_string(&path) {
            Ok(actual) if actual == *expected => {}
            Ok(actual) => {
                let diff = similar::TextDiff::from_lines(&actual, expected);
                let shown = format!(
                    "{}",
                    diff.unified_diff().context_radius(3).header(&path.display().to_string(), "generator")
                );
                found.push(format!("{} is stale:\n{shown}", path.display()));
            }
            Err(_) => found.push(format!("{} is missing", path.display())),
        }
    }
    for relative in on_disk.difference(&files.keys().cloned().collect()) {
        found.push(format!("{} is not written by the generator any more", out.join(relative).display()));
    }
    Ok(found)
}

/// Every file under `root` by relative path with `/` separators, `target/` excluded.
fn list_files(root: &Path) -> Result<BTreeSet<String>> {
    let mut found = BTreeSet::new();
    let mut pending = vec![root.to_path_buf()];
    while let Some(dir) = pending.pop() {
        let entries = match fs::read_dir(&dir) {
            Ok(entries) => entries,
            Err(error) if error.kind() == io::ErrorKind::NotFound => continue,
            Err(error) => return Err(error).with_context(|| format!("cannot read {}", dir.display())),
        };
        for entry in entries {
            let path = entry?.path();
            let relative = path.strip_prefix(root).unwrap_or(&path);
            let relative = relative.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/");
            if relative == "target" || relative == "Cargo.lock" {
                continue;
            }
            if path.is_dir() {
                pending.push(path);
            } else {
                found.insert(relative);
            }
        }
    }
    Ok(found)
}
