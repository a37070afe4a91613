//! A Rust-native Smithy code generator: from a Smithy model (JSON AST, or IDL through the
//! [`idl`] front end) to the files of a Rust crate, with no I/O. The pipeline is
//!
//! ```text
//! idl     .smithy and JSON AST files -> one JSON AST document (only for generate_sources)
//! load    JSON text -> ast            (every malformed shape reported with its JSON path)
//! lower   ast -> model IR             (prelude, apply, mixins, 1.0 idioms, typed traits)
//! service IR -> service view          (operations, synthetic I/O, closure, boxing)
//! naming  view -> Rust names          (one place, collisions reported)
//! emit    view -> tokens and text     (one function per concern)
//! render  tokens -> formatted source
//! ```
//!
//! [`generate`] runs it all on one JSON AST, [`generate_sources`] on any mix of IDL and JSON
//! AST files; both return the crate's files by relative path, and the caller decides where
//! and how they reach the disk.

pub mod ast;
pub mod docs;
pub mod emit;
pub mod idl;
pub mod load;
pub mod lower;
pub mod model;
pub mod naming;
pub mod prelude;
pub mod problem;
pub mod protocol;
pub mod protocol_tests;
pub mod render;
pub mod service;
pub mod shape_id;
pub mod traits;

use std::collections::BTreeMap;

pub use problem::{Problem, Problems};
pub use shape_id::ShapeId;

use problem::Sink;

/// What to generate and how the crate refers to its runtime.
#[derive(Debug, Clone)]
pub struct GenerateOptions {
    /// The service to generate, when the model has more than one.
    pub service: Option<ShapeId>,
    /// The crate's package name; by default the service's SDK ID in kebab case.
    pub crate_name: Option<String>,
    /// The `path` of the `smithy-runtime` dependency, as written into `Cargo.toml`.
    pub runtime_path: String,
    /// Operations to leave out of the crate, as smithy-build's filters do: the way to
    /// generate a service whose other operations use what the generator cannot write yet.
    pub exclude_operations: Vec<ShapeId>,
}

/// The files of a generated crate, by path relative to the crate's root.
pub type Files = BTreeMap<String, String>;

/// Generates a crate from a Smithy JSON AST. Returns every problem the model has when it
/// has any; never panics on a bad model.
pub fn generate(model_json: &str, options: &GenerateOptions) -> Result<Files, Problems> {
    let mut sink = Sink::default();
    let Some(loaded) = load::load(model_json, &mut sink) else {
        return sink.finish(Files::new());
    };
    let model = lower::lower(loaded, &mut sink);
    if !sink.is_empty() {
        return sink.finish(Files::new());
    }
    let Some(view) = service::view(model, options.service.as_ref(), &options.exclude_operations, &mut sink) else {
        return sink.finish(Files::new());
    };
    let names = naming::Names::new(&view, &mut sink);
    let types = emit::wire::TypeMap { view: &view, names: &names };
    emit::defaults::check(&types, &mut sink);
    emit::validate::check(&types, &mut sink);
    emit::streaming::check(&types, &mut sink);
    emit::events::check(&types, &mut sink);
    emit::paginate::check(&types, &mut sink);
    emit::waiters::check(&types, &mut sink);
    if !sink.is_empty() {
        return sink.finish(Files::new());
    }
    let crate_name = options.crate_name.clone().unwrap_or_else(|| naming::crate_name(&view));
    let mut files = Files::new();
    files.insert("Cargo.toml".to_owned(), emit::cargo_toml(&view, &crate_name, options));
    // Each file is emitted and rendered on its own (the emitters share only the read-only
    // view), so the files are made in parallel, the largest first.
    let jobs: [render::Job<'_>; 8] = [
        ("src/protocol.rs", &|| emit::protocol_rs(&view, &names)),
        ("src/types.rs", &|| Some(emit::types_rs(&view, &names))),
        ("src/error.rs", &|| Some(emit::error_rs(&view, &names))),
        ("src/validation.rs", &|| Some(emit::validation_rs(&view, &names))),
        ("src/server.rs", &|| emit::server::server_module(&types)),
        ("src/service.rs", &|| Some(emit::service_rs(&view, &names))),
        ("src/client.rs", &|| emit::client::client_module(&types, &crate_name)),
        ("src/lib.rs", &|| Some(emit::lib_rs(&view))),
    ];
    for (path, rendered) in render::in_parallel(&jobs) {
        match rendered {
            Some(Ok(text)) => {
                files.insert(path.to_owned(), text);
            }
            Some(Err(message)) => sink.report(None, "$", message),
            None => {}
        }
    }
    sink.finish(files)
}

/// The operations of a model's service (`service`, or its only one) that have an event
/// stream [`generate`] refuses (event streams are written for restJson1, not yet for the RPC
/// protocols): the list to pass as [`GenerateOptions::exclude_operations`] to generate the
/// rest. Empty when the model cannot be read (then [`generate`] reports why).
pub fn refused_event_stream_operations(model_json: &str, service: Option<&ShapeId>) -> Vec<ShapeId> {
    let mut sink = Sink::default();
    let Some(loaded) = load::load(model_json, &mut sink) else {
        return Vec::new();
    };
    let model = lower::lower(loaded, &mut sink);
    service::find_service(&model, service)
        .map(|s| service::refused_event_stream_operations(&model, s))
        .unwrap_or_default()
}

/// Generates a crate from Smithy sources: IDL files, JSON AST files, or both, assembled with
/// the built-in prelude and trait packages into one model. Problems are placed at their file,
/// line and column where the sources say.
pub fn generate_sources(sources: &[idl::Source], options: &GenerateOptions) -> Result<Files, idl::Diagnostics> {
    generate_assembled(&idl::assemble(sources)?, options)
}

/// Generates a crate from a model [`idl::assemble`] made, for a caller that shows the
/// assembly's warnings first; problems are placed through its source map.
pub fn generate_assembled(assembly: &idl::Assembly, options: &GenerateOptions) -> Result<Files, idl::Diagnostics> {
    generate(&assembly.document.to_string(), options).map_err(|problems| idl::locate(problems, &assembly.source_map))
}
