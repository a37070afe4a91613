//! `cargo xtask clients`: the real AWS clients, unmodified, against chime-local (restJson1)
//! and json-local (DynamoDB over awsJson1_0, CloudWatch Logs over awsJson1_1, CloudWatch over
//! rpcv2Cbor, Bedrock Runtime's event streams over restJson1).
//!
//! Each client's tests live under `clients/` in its own language and start their own
//! chime-local or json-local (the binaries built here, named by `CHIME_LOCAL` and
//! `JSON_LOCAL`). This command installs what
//! they need where the project owns it (a virtual environment and a node_modules folder under
//! the repository, the Rust SDK in its own target directory), runs them, and sums up.

use std::fmt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::{bail, Result};
use clap::ValueEnum;

use crate::process::{cargo, checked};
use crate::test_pipeline::in_ci;
use crate::workspace_root;

/// A real client whose tests run against chime-local or json-local.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RealClient {
    /// boto3, the AWS SDK for Python.
    Boto3,
    /// The AWS CLI (`aws chime ...`).
    AwsCli,
    /// aws-sdk-chime and aws-sdk-bedrockruntime, the official AWS SDK for Rust.
    RustSdk,
    /// @aws-sdk/client-chime, the AWS SDK for JavaScript v3, on Node.
    JsSdk,
    /// The README's chime-local example, run as written with the AWS CLI and boto3.
    Readme,
    /// boto3 (client and resource API) against json-local's DynamoDB and CloudWatch Logs.
    Boto3Json,
    /// The AWS CLI (`aws dynamodb ...`, `aws logs ...`) against json-local.
    AwsCliJson,
    /// boto3 against json-local's CloudWatch, over Smithy RPC v2 CBOR.
    Boto3Cbor,
}

impl RealClient {
    /// Every client, in the order they run.
    pub const ALL: [RealClient; 8] = [
        RealClient::Boto3,
        RealClient::AwsCli,
        RealClient::JsSdk,
        RealClient::RustSdk,
        RealClient::Readme,
        RealClient::Boto3Json,
        RealClient::AwsCliJson,
        RealClient::Boto3Cbor,
    ];

    /// The local server its tests run against.
    fn server(self) -> &'static str {
        match self {
            RealClient::Boto3Json | RealClient::AwsCliJson | RealClient::Boto3Cbor => "json-local",
            _ => "chime-local",
        }
    }
}

impl fmt::Display for RealClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            RealClient::Boto3 => "boto3",
            RealClient::AwsCli => "AWS CLI",
            RealClient::RustSdk => "aws-sdk-chime and aws-sdk-bedrockruntime (Rust)",
            RealClient::JsSdk => "@aws-sdk/client-chime (Node)",
            RealClient::Readme => "the README example (AWS CLI and boto3)",
            RealClient::Boto3Json => "boto3 (DynamoDB, CloudWatch Logs, Bedrock Runtime)",
            RealClient::AwsCliJson => "AWS CLI (dynamodb, logs)",
            RealClient::Boto3Cbor => "boto3 (CloudWatch over rpcv2Cbor)",
        })
    }
}

/// How one client's run ended.
enum Outcome {
    Passed,
    /// Its tests ran and failed.
    Failed(String),
    /// It could not be set up here (no Python, no npm, no network); a failure under CI.
    Unavailable(String),
}

/// Builds chime-local and json-local, runs the chosen clients' tests (all when `only` is empty) and fails
/// when any fails, or, under CI, when any cannot be set up.
pub fn run(only: &[RealClient]) -> Result<()> {
    let root = workspace_root();
    let servers = build_servers(&root)?;
    let chosen: Vec<RealClient> =
        RealClient::ALL.into_iter().filter(|client| only.is_empty() || only.contains(client)).collect();
    let mut problems = Vec::new();
    let mut passed = 0;
    for client in chosen {
        println!("-- {client} against {}", client.server());
        match run_client(client, &root, &servers) {
            Outcome::Passed => passed += 1,
            Outcome::Failed(why) => problems.push(format!("{client}: {why}")),
            Outcome::Unavailable(why) if in_ci() => problems.push(format!("{client}: cannot be set up: {why}")),
            Outcome::Unavailable(why) => println!("-- skipped {client}: cannot be set up here: {why}"),
        }
    }
    println!("-- real clients: {passed} passed, {} failed", problems.len());
    if !problems.is_empty() {
        bail!("real clients against chime-local and json-local:\n  {}", problems.join("\n  "));
    }
    Ok(())
}

fn run_client(client: RealClient, root: &Path, servers: &Servers) -> Outcome {
    let setup = match client {
        RealClient::Boto3
        | RealClient::AwsCli
        | RealClient::Readme
        | RealClient::Boto3Json
        | RealClient::AwsCliJson
        | RealClient::Boto3Cbor => python_environment(root),
        RealClient::JsSdk => node_modules(root),
        RealClient::RustSdk => build_rust_sdk_tests(root),
    };
    let runner = match setup {
        Ok(runner) => runner,
        Err(error) => return Outcome::Unavailable(format!("{error:#}")),
    };
    let mut command = match client {
        RealClient::Boto3 => python_tests(&runner, root, "test_boto3.py"),
        RealClient::AwsCli => python_tests(&runner, root, "test_aws_cli.py"),
        RealClient::Boto3Json => python_modules(&runner, root, &["test_dynamodb", "test_logs", "test_bedrock"]),
        RealClient::AwsCliJson => python_tests(&runner, root, "test_json_aws_cli.py"),
        RealClient::Boto3Cbor => python_modules(&runner, root, &["test_cloudwatch_cbor"]),
        RealClient::JsSdk => {
            let mut command = Command::new(runner);
            command.args(["--test", "clients/node/"]);
            command
        }
        RealClient::RustSdk => rust_sdk_command(root, "test"),
        RealClient::Readme => return readme_example(root, &runner),
    };
    command.current_dir(root).env("CHIME_LOCAL", &servers.chime_local).env("JSON_LOCAL", &servers.json_local);
    match command.status() {
        Ok(status) if status.success() => Outcome::Passed,
        Ok(status) => Outcome::Failed(format!("its tests failed ({status})")),
        Err(error) => Outcome::Failed(format!("cannot run its tests: {error}")),
    }
}

/// Runs the README's chime-local example as a user pastes it (with the virtual environment's
/// `aws` and `python3` first on PATH and no AWS settings of our own), and checks that each
/// of its three calls printed what the README promises.
fn readme_example(root: &Path, python: &Path) -> Outcome {
    let readme = match std::fs::read_to_string(root.join("README.md")) {
        Ok(readme) => readme,
        Err(error) => return Outcome::Failed(format!("cannot read README.md: {error}")),
    };
    let Some(script) = first_sh_block_after(&readme, "## chime-local") else {
        return Outcome::Failed("README.md has no ```sh block under its chime-local heading".into());
    };
    let bin = python.parent().unwrap_or(Path::new("."));
    let path = std::env::var_os("PATH").unwrap_or_default();
    let path = std::env::join_paths(std::iter::once(bin.to_path_buf()).chain(std::env::split_paths(&path)));
    let mut command = Command::new("bash");
    command.args(["-euo", "pipefail", "-c", &script]).current_dir(root);
    for (key, _) in std::env::vars_os().filter(|(key, _)| key.to_string_lossy().starts_with("AWS_")) {
        command.env_remove(key);
    }
    if let Ok(path) = path {
        command.env("PATH", path);
    }
    // Its own process group: if the script stops half-way, the chime-local it started in the
    // background is stopped with it instead of holding port 8080.
    std::os::unix::process::CommandExt::process_group(&mut command, 0);
    let output = command.stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().and_then(|child| {
        let group = format!("-{}", child.id());
        let output = child.wait_with_output();
        let _ = Command::new("kill").args(["-TERM", "--", &group]).stderr(Stdio::null()).status();
        output
    });
    let output = match output {
        Ok(output) => output,
        Err(error) => return Outcome::Failed(format!("cannot run bash: {error}")),
    };
    let stdout = String::from_utf8_lossy(&output.stdout);
    print!("{stdout}");
    eprint!("{}", String::from_utf8_lossy(&output.stderr));
    let expected = [r#""Name": "Acme Rockets""#, r#""Name": "Renamed""#, "'LicenseType': 'Basic'"];
    match expected.iter().find(|text| !stdout.contains(**text)) {
        _ if !output.status.success() => Outcome::Failed(format!("the example failed ({})", output.status)),
        Some(missing) => Outcome::Failed(format!("the example's output lacks {missing}")),
        None => Outcome::Passed,
    }
}

/// The body of the first ```sh fenced block after the line that starts with `heading`.
fn first_sh_block_after(markdown: &str, heading: &str) -> Option<String> {
    let mut lines = markdown.lines().skip_while(|line| !line.starts_with(heading));
    lines.find(|line| *line == "```sh")?;
    let body: Vec<&str> = lines.take_while(|line| *line != "```").collect();
    Some(body.join("\n") + "\n")
}

/// The local servers the clients' tests start.
struct Servers {
    chime_local: PathBuf,
    json_local: PathBuf,
}

/// `cargo build -p chime-local -p json-local`, returning the binaries' paths.
fn build_servers(root: &Path) -> Result<Servers> {
    checked(cargo().args(["build", "--package", "chime-local", "--package", "json-local"]).current_dir(root))?;
    let target = std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| root.join("target"), PathBuf::from);
    Ok(Servers { chime_local: target.join("debug/chime-local"), json_local: target.join("debug/json-local") })
}

/// A virtual environment under target/ with boto3 and the AWS CLI at the pinned versions of
/// clients/python/requirements.txt; returns its interpreter.
fn python_environment(root: &Path) -> Result<PathBuf> {
    let venv = root.join("target/clients/venv");
    let python = venv.join("bin/python");
    if !python.exists() {
        checked(Command::new("python3").args(["-m", "venv"]).arg(&venv))?;
    }
    let requirements = root.join("clients/python/requirements.txt");
    checked(
        Command::new(&python)
            .args(["-m", "pip", "install", "--quiet", "--disable-pip-version-check", "-r"])
            .arg(requirements),
    )?;
    Ok(python)
}

fn python_tests(python: &Path, root: &Path, file: &str) -> Command {
    let mut command = Command::new(python);
    command.args(["-m", "unittest", "discover", "--verbose", "-s"]).arg(root.join("clients/python")).args(["-p", file]);
    command
}

/// `python -m unittest` of these modules of clients/python.
fn python_modules(python: &Path, root: &Path, modules: &[&str]) -> Command {
    let mut command = Command::new(python);
    command.args(["-m", "unittest", "--verbose"]).args(modules).env("PYTHONPATH", root.join("clients/python"));
    command
}

/// `npm ci` in clients/node (the lock file pins every package); returns the node binary.
fn node_modules(root: &Path) -> Result<PathBuf> {
    checked(Command::new("npm").args(["ci", "--no-audit", "--no-fund"]).current_dir(root.join("clients/node")))?;
    Ok(PathBuf::from("node"))
}

/// Builds the Rust SDK's tests (their own workspace and target directory, so the SDK's
/// build never touches the main workspace's).
fn build_rust_sdk_tests(root: &Path) -> Result<PathBuf> {
    checked(rust_sdk_command(root, "test").arg("--no-run"))?;
    Ok(PathBuf::from("cargo"))
}

fn rust_sdk_command(root: &Path, subcommand: &str) -> Command {
    let mut command = cargo();
    command
        .arg(subcommand)
        .arg("--manifest-path")
        .arg(root.join("clients/rust-sdk/Cargo.toml"))
        .env("CARGO_TARGET_DIR", root.join("target/rust-sdk"));
    command
}
