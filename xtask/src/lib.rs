//! The project's commands, as a library so that tests can call them: generation jobs, the
//! atomic writer, the freshness check, the test pipeline, fuzzing and the soak test.

pub mod bench;
pub mod clients;
pub mod codegen_job;
pub mod conformance;
pub mod hardening;
pub mod output;
pub mod test_pipeline;

use std::path::{Path, PathBuf};

/// The workspace root: the parent of this crate's directory.
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().map_or_else(|| PathBuf::from("."), Path::to_path_buf)
}
