//! The project's commands, as a library so that tests can call them: generation jobs, the
//! atomic writer, the freshness check, the test pipeline, fuzzing and the soak test.

pub mod ast;
pub mod bench;
pub mod clients;
pub mod codegen_job;
pub mod conformance;
pub mod corpus;
pub mod hardening;
pub mod idl_bench;
pub mod idl_tests;
pub mod output;
pub mod process;
pub mod test_pipeline;

use std::path::{Path, PathBuf};

/// The full 62-operation Chime model: `$SMITHY_FULL_MODEL`, else the one CI has beside the
/// checkout (`../shared/models`); `None` when that file does not exist.
pub fn full_model() -> Option<PathBuf> {
    let path = std::env::var_os("SMITHY_FULL_MODEL")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace_root().join("../shared/models/chime-2018-05-01.json"));
    path.exists().then_some(path)
}

/// The workspace root: the parent of this crate's directory.
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().map_or_else(|| PathBuf::from("."), Path::to_path_buf)
}
