//! `cargo xtask`: the project's commands.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

// The generator allocates and frees millions of small token and syntax-tree nodes: mimalloc
// does that in about two thirds of the time the system allocator takes.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
use xtask::bench::{self, Part};
use xtask::clients::{self, RealClient};
use xtask::codegen_job::{self, Job};
use xtask::{conformance, corpus, hardening, test_pipeline, workspace_root};

#[derive(Parser)]
#[command(name = "cargo xtask", about = "Project commands for the Rust-native Smithy code generator")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Generate a Rust crate from a Smithy model. With no --model and no --out,
    /// regenerates generated/chime from model/chime.json and every golden fixture crate.
    Codegen {
        /// The model: a JSON AST or IDL file, or a folder of them; repeatable
        /// [default: model/chime.json].
        #[arg(long)]
        model: Vec<PathBuf>,
        /// The directory of the crate to write [default: generated/chime].
        #[arg(long)]
        out: Option<PathBuf>,
        /// The service's shape ID, when the model defines more than one.
        #[arg(long)]
        service: Option<String>,
        /// The crate's package name [default: the service's SDK ID in kebab case].
        #[arg(long)]
        crate_name: Option<String>,
        /// Leave this operation out of the crate (repeatable), e.g. one with an event stream.
        #[arg(long = "exclude-operation", value_name = "SHAPE_ID")]
        exclude_operations: Vec<String>,
        /// Write nothing; fail with a diff if the files on disk are not what would be written.
        #[arg(long)]
        check: bool,
    },
    /// Run every check and test: fmt, clippy, generated-code freshness, cargo test, the real
    /// clients, 30 s of each fuzz target, and (when ../shared is present; required under
    /// CI=true) the full Chime model build and the protocol compliance suite.
    Test,
    /// Run the real AWS clients (boto3, the AWS CLI, aws-sdk-chime, @aws-sdk/client-chime)
    /// against chime-local, and boto3 and the AWS CLI against json-local (DynamoDB, CloudWatch
    /// Logs), installing what they need under target/ and clients/node.
    Clients {
        /// Run only these clients (repeatable) [default: all].
        #[arg(long, value_enum)]
        only: Vec<RealClient>,
    },
    /// Generate the Smithy protocol compliance suite's restJson1, awsJson1_0, awsJson1_1 and
    /// rpcv2Cbor services with every case as a Rust test, run them, and fail on any failure
    /// not in xtask/conformance-known-gaps.txt.
    Conformance {
        /// The suite, a Smithy JSON AST [default: $SMITHY_PROTOCOL_TESTS, else
        /// ../shared/protocol-tests/smithy-aws-protocol-tests.json].
        #[arg(long)]
        suite: Option<PathBuf>,
        /// The rpcv2Cbor suite's .smithy sources: a folder with rpcv2Cbor/ and
        /// shared-types.smithy [default: $SMITHY_RPCV2_PROTOCOL_TESTS, else
        /// ../shared/smithy/protocol-tests].
        #[arg(long)]
        rpcv2_suite: Option<PathBuf>,
        /// Keep the generated crates in this directory instead of a temporary one.
        #[arg(long)]
        keep: Option<PathBuf>,
        /// Only the services of this protocol (repeatable): restJson1, awsJson1_0,
        /// awsJson1_1, rpcv2Cbor [default: all].
        #[arg(long = "protocol")]
        protocols: Vec<String>,
    },
    /// Run the fuzz targets of fuzz/ (cargo-fuzz, installed when missing) for a bounded time
    /// each, after replaying the kept regression inputs.
    Fuzz {
        /// How long each target runs.
        #[arg(long, default_value_t = 300)]
        seconds: u64,
        /// Run only these targets (repeatable): model, request, idl, cbor, event_stream [default: all].
        #[arg(long)]
        target: Vec<String>,
    },
    /// Run chime-local's load test in release mode for a long time: concurrent clients, no
    /// error, no lost update, flat memory.
    Soak {
        /// How long the clients run.
        #[arg(long, default_value_t = 600)]
        seconds: u64,
        /// How many clients run at once.
        #[arg(long, default_value_t = 32)]
        clients: u64,
    },
    /// Benchmarks side by side: generator time, compile time, server throughput and client
    /// overhead, each beside its baseline (JSON parse, aws-sdk-chime, a hand-written hyper
    /// handler). Prints a table; raw figures go to target/bench/results.json.
    Bench {
        /// Run only these parts (repeatable) [default: all].
        #[arg(long, value_enum)]
        only: Vec<Part>,
        /// Debug builds only, one short server round: a quick look, not the published figures.
        #[arg(long)]
        quick: bool,
    },
    /// Generate every model of a folder (AWS's published models by default) with the release
    /// generator, optionally clippy every crate, and report per model and per protocol.
    Corpus {
        /// The folder of Smithy JSON AST models [default: ../shared/models/aws].
        #[arg(long)]
        dir: Option<PathBuf>,
        /// Only models of this protocol (repeatable): restJson1, awsJson1_0, ... [default: all].
        #[arg(long = "protocol")]
        protocols: Vec<String>,
        /// Which generated crates to compile with clippy -D warnings: all, none, or N (the
        /// first N of xtask/corpus-sample.txt, then the others).
        #[arg(long, default_value = "none")]
        build: corpus::Build,
    },
    /// The release generator's half of `corpus`: generate a folder in this process and print
    /// a JSON report.
    #[command(hide = true)]
    CorpusGenerate {
        /// The folder of models.
        #[arg(long)]
        dir: PathBuf,
        /// Where the crates go.
        #[arg(long)]
        out: PathBuf,
        /// Only models of these protocols.
        #[arg(long = "protocol")]
        protocols: Vec<String>,
    },
    /// Write a Smithy model (IDL and JSON AST files, folders of them) as one JSON AST
    /// document, as `smithy ast` does: mixins kept unless --flatten, apply merged, no prelude.
    Ast {
        /// A model file or folder; repeatable.
        #[arg(long, required = true)]
        model: Vec<PathBuf>,
        /// The file to write [default: standard output].
        #[arg(long)]
        out: Option<PathBuf>,
        /// Flatten mixins into the shapes that use them, and drop the mixins.
        #[arg(long)]
        flatten: bool,
    },
    /// Run Smithy's loader tests (../shared/smithy/idl/loader-tests) against the IDL front end.
    IdlTests {
        /// The loader-tests folder [default: $SMITHY_LOADER_TESTS, else
        /// ../shared/smithy/idl/loader-tests].
        #[arg(long)]
        dir: Option<PathBuf>,
        /// Also print why each known gap fails.
        #[arg(long)]
        verbose: bool,
    },
    /// The IDL part of the benchmark alone, in this process (see `bench --only idl`).
    #[command(hide = true)]
    IdlBench,
    /// Read and parse a JSON file, nothing else: the floor of the generator benchmark.
    #[command(hide = true)]
    ParseJson {
        /// The JSON file.
        file: PathBuf,
    },
}

fn main() -> ExitCode {
    let result = match Cli::parse().command {
        Command::Codegen { model, out, service, crate_name, exclude_operations, check } => {
            let root = workspace_root();
            if model.len() > 1 {
                let out = out.unwrap_or_else(|| root.join("generated/chime"));
                let job = Job { model: model[0].clone(), out, crate_name, service, exclude_operations };
                codegen_job::run_with_models(&model, &job, check)
            } else {
                let defaults = model.is_empty() && out.is_none() && service.is_none() && crate_name.is_none();
                let jobs = if defaults && exclude_operations.is_empty() {
                    codegen_job::default_jobs()
                } else {
                    Ok(vec![Job {
                        model: model.into_iter().next().unwrap_or_else(|| root.join("model/chime.json")),
                        out: out.unwrap_or_else(|| root.join("generated/chime")),
                        crate_name,
                        service,
                        exclude_operations,
                    }])
                };
                jobs.and_then(|jobs| if check { codegen_job::check(&jobs) } else { codegen_job::write(&jobs) })
            }
        }
        Command::Test => test_pipeline::run(),
        Command::Clients { only } => clients::run(&only),
        Command::Conformance { suite, rpcv2_suite, keep, protocols } => {
            conformance::run(&conformance::Options { suite, rpcv2_suite, keep, protocols })
        }
        Command::Fuzz { seconds, target } => hardening::fuzz(seconds, &target),
        Command::Soak { seconds, clients } => hardening::soak(seconds, clients),
        Command::Bench { only, quick } => bench::run(&bench::Options { only, quick }),
        Command::Corpus { dir, protocols, build } => {
            corpus::run(&corpus::Options { dir: dir.unwrap_or_else(corpus::default_dir), protocols, build })
        }
        Command::CorpusGenerate { dir, out, protocols } => corpus::generate_folder(&dir, &out, &protocols),
        Command::Ast { model, out, flatten } => xtask::ast::run(&model, out.as_deref(), flatten),
        Command::IdlTests { dir, verbose } => xtask::idl_tests::run(dir, verbose),
        Command::IdlBench => {
            std::env::current_exe().map_err(anyhow::Error::from).and_then(|exe| xtask::idl_bench::run(&exe)).map(|_| ())
        }
        Command::ParseJson { file } => bench::parse_json(&file),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The golden gate: `cargo test` fails when a generated crate is stale, naming the fix.
    #[test]
    fn generated_code_is_fresh() {
        let jobs = codegen_job::default_jobs().unwrap();
        if let Err(error) = codegen_job::check(&jobs) {
            panic!("{error:#}");
        }
    }
}
