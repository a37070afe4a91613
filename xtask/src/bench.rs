//! `cargo xtask bench`: our generator, generated crate, server and client, each measured beside
//! what a user would otherwise have (the JSON parse alone, aws-sdk-chime, a hand-written hyper
//! handler) in the same run, so the ratios hold even on a noisy machine.
//!
//! The measuring tools are the binaries of `bench/` (its own workspace, so aws-sdk-chime stays
//! out of the main build): `proc-stats` (wall time and peak memory of a process), `loadgen`,
//! `baseline` and `client-bench`. This module builds everything, runs the parts, prints the
//! table and writes the raw figures to `target/bench/results.json` (and the table to
//! `target/bench/results.md`).

use std::env;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use anyhow::{bail, Context, Result};
use clap::ValueEnum;
use serde_json::{json, Value};

use crate::process::{cargo, checked};

mod put_readings;
mod server;

use crate::{conformance, full_model, workspace_root};
use server::{chime_local, Running, Scenario};

/// One part of the benchmark.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Part {
    /// Generator wall time and peak memory, beside parsing the JSON alone.
    Generator,
    /// Lines of code and cold build times, beside aws-sdk-chime.
    Compile,
    /// The generated servers under load (restJson1, awsJson1_0, and one operation over
    /// rpcv2Cbor and awsJson1_0), beside a hand-written hyper handler.
    Server,
    /// Our client's calls/s and CPU per call, beside aws-sdk-chime's.
    Client,
    /// The IDL front end: assembling .smithy models, beside loading their JSON AST.
    Idl,
}

/// How `cargo xtask bench` runs.
#[derive(Debug, Clone)]
pub struct Options {
    /// The parts to run; all when empty.
    pub only: Vec<Part>,
    /// Debug builds only, one server round, shorter load: a quick look, not the figures.
    pub quick: bool,
}

const ACCESS_KEY: &str = "AKIDBENCH";
const SECRET_KEY: &str = "bench-secret";
const ACCOUNT_ID: &str = "12a3456b-7c89-012d-3456-78901e23fg45";
const USER_ID: &str = "1ab2345c-67de-8901-f23g-45h678901j2k";
const UPDATE_USER_BODY: &str = r#"{"LicenseType":"Basic"}"#;
/// The version of aws-sdk-chime measured against (the one `clients/rust-sdk` tests).
const SDK_VERSION: &str = "1.121.0";

/// Runs the chosen parts, prints the table and writes the figures.
pub fn run(options: &Options) -> Result<()> {
    let root = workspace_root();
    let wants = |part| options.only.is_empty() || options.only.contains(&part);
    let out_dir = root.join("target/bench");
    fs::create_dir_all(&out_dir)?;
    let started = Instant::now();
    // The compile part builds from source alone: run by itself, it needs no tools.
    let needs_tools = [Part::Generator, Part::Server, Part::Client, Part::Idl].into_iter().any(wants);
    let built = if needs_tools { Some(Tools::build(&root)?) } else { None };
    let tools_seconds = started.elapsed().as_secs_f64();
    let tools = || built.as_ref().context("the bench tools were not built");
    let mut results = serde_json::Map::new();
    results.insert("machine".into(), machine());
    results.insert("quick".into(), options.quick.into());
    let mut table = Vec::new();
    if wants(Part::Generator) {
        let figures = generator(&root, tools()?)?;
        table.push(generator_table(&figures));
        results.insert("generator".into(), figures);
    }
    if wants(Part::Compile) {
        let figures = compile(&root, options.quick)?;
        table.push(compile_table(&figures));
        results.insert("compile".into(), figures);
    }
    if wants(Part::Server) {
        let scenarios = [
            ("server", Scenario::rest_json1()),
            ("server_aws_json", Scenario::aws_json1_0()),
            ("server_rpcv2_cbor", Scenario::rpc_v2_cbor()),
            ("server_stations_aws_json", Scenario::stations_aws_json1_0()),
        ];
        for (key, scenario) in scenarios {
            let figures = server::server(&root, tools()?, options.quick, &scenario)?;
            table.push(server::server_table(&figures));
            results.insert(key.into(), figures);
        }
        table.push(server::protocol_table(&results["server_rpcv2_cbor"], &results["server_stations_aws_json"]));
    }
    if wants(Part::Client) {
        let figures = client(&root, tools()?, options.quick)?;
        table.push(client_table(&figures));
        results.insert("client".into(), figures);
    }
    if wants(Part::Idl) {
        let figures = crate::idl_bench::run(&tools()?.xtask)?;
        table.push(crate::idl_bench::table(&figures));
        results.insert("idl".into(), figures);
    }
    let total_seconds = started.elapsed().as_secs_f64();
    results.insert("seconds".into(), json!({ "total": total_seconds, "building_tools": tools_seconds }));
    let results = Value::Object(results);
    let markdown = format!(
        "{}\n\n{}\n\nThe whole run took {:.1} minutes, {:.1} of them building the release tools.\n",
        machine_line(&results["machine"]),
        table.join("\n\n"),
        total_seconds / 60.0,
        tools_seconds / 60.0
    );
    println!("\n{markdown}");
    fs::write(out_dir.join("results.json"), serde_json::to_string_pretty(&results)? + "\n")?;
    fs::write(out_dir.join("results.md"), &markdown)?;
    println!("raw figures: {}", out_dir.join("results.json").display());
    Ok(())
}

/// The binaries the parts run.
struct Tools {
    xtask: PathBuf,
    chime_local: PathBuf,
    json_local: PathBuf,
    bench: PathBuf,
}

impl Tools {
    /// Release builds of the generator (this xtask), chime-local and the bench tools.
    fn build(root: &Path) -> Result<Self> {
        println!("== building the generator, chime-local and the bench tools (release)");
        let target = env::var_os("CARGO_TARGET_DIR").map_or_else(|| root.join("target"), PathBuf::from);
        checked(
            cargo()
                .args(["build", "--release", "-p", "xtask", "-p", "chime-local", "-p", "json-local"])
                .current_dir(root),
        )?;
        let bench_target = target.join("bench");
        checked(
            cargo()
                .args(["build", "--release", "--manifest-path"])
                .arg(root.join("bench/Cargo.toml"))
                .env("CARGO_TARGET_DIR", &bench_target),
        )?;
        Ok(Self {
            xtask: target.join("release/xtask"),
            chime_local: target.join("release/chime-local"),
            json_local: target.join("release/json-local"),
            bench: bench_target.join("release"),
        })
    }

    fn tool(&self, name: &str) -> Command {
        Command::new(self.bench.join(name))
    }
}

/// Runs a tool and parses the JSON line it prints.
fn json_output(command: &mut Command) -> Result<Value> {
    let output = command.stderr(Stdio::inherit()).output().with_context(|| format!("cannot run {command:?}"))?;
    if !output.status.success() {
        bail!("{command:?} failed ({})", output.status);
    }
    let text = String::from_utf8_lossy(&output.stdout);
    let line = text.lines().last().unwrap_or_default();
    serde_json::from_str(line).with_context(|| format!("{command:?} printed {text:?}"))
}

fn scratch(name: &str) -> Result<PathBuf> {
    let dir = env::temp_dir().join(format!("smithy-bench-{name}-{}", std::process::id()));
    if dir.exists() {
        fs::remove_dir_all(&dir)?;
    }
    fs::create_dir_all(&dir)?;
    Ok(dir)
}

// ---------------------------------------------------------------------------------------------
// 1. Generator

/// Each model: the generator's wall time and peak memory, and the JSON parse alone.
fn generator(root: &Path, tools: &Tools) -> Result<Value> {
    println!("== generator");
    let mut models = vec![("chime.json (6 operations)", root.join("model/chime.json"), None)];
    match full_model() {
        Some(path) => models.push(("full Chime model (62 operations)", path, None)),
        None => println!("-- skipped the full Chime model: ../shared/models is not beside the checkout"),
    }
    match conformance::suite_path(None) {
        Some(path) => {
            models.push(("protocol tests, RestJson", path, Some("aws.protocoltests.restjson#RestJson")));
        }
        None => println!("-- skipped the protocol-test model: ../shared/protocol-tests is not beside the checkout"),
    }
    let dir = scratch("generator")?;
    let mut rows = Vec::new();
    for (index, (name, model, service)) in models.into_iter().enumerate() {
        let out = dir.join(format!("crate{index}"));
        let mut generate = tools.tool("proc-stats");
        generate.args(["--runs", "20", "--"]).arg(&tools.xtask).arg("codegen").arg("--model").arg(&model);
        generate.arg("--out").arg(&out).args(["--crate-name", "bench-generated"]);
        if let Some(service) = service {
            generate.args(["--service", service]);
        }
        // Event-stream operations are refused until they are generated; the rest is measured.
        let text = fs::read_to_string(&model).with_context(|| format!("cannot read {}", model.display()))?;
        let service_id = service.map(codegen::ShapeId::parse).transpose().map_err(|e| anyhow::anyhow!(e))?;
        for operation in codegen::refused_event_stream_operations(&text, service_id.as_ref()) {
            generate.arg("--exclude-operation").arg(operation.to_string());
        }
        let generated = json_output(&mut generate)?;
        let parsed = json_output(
            tools.tool("proc-stats").args(["--runs", "20", "--"]).arg(&tools.xtask).arg("parse-json").arg(&model),
        )?;
        let bytes = fs::metadata(&model)?.len();
        let lines = rust_lines(&out.join("src"))?;
        println!("-- {name}: {} ms (parse alone {} ms)", generated["median_ms"], parsed["median_ms"]);
        rows.push(json!({
            "model": name,
            "model_bytes": bytes,
            "generated_lines": lines,
            "generate": generated,
            "parse_only": parsed,
        }));
    }
    let _ = fs::remove_dir_all(&dir);
    Ok(Value::Array(rows))
}

fn generator_table(figures: &Value) -> String {
    let mut table = String::from(
        "### Generator (release binary, median of 20 runs; parse = read + serde_json of the same file, same binary)\n\n\
         | model | JSON | Rust lines out | generate: wall | CPU | peak RSS | parse alone: wall | CPU | peak RSS \
         | generate / parse (wall) |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n",
    );
    for row in figures.as_array().into_iter().flatten() {
        let generate = row["generate"]["median_ms"].as_f64().unwrap_or(0.0);
        let parse = row["parse_only"]["median_ms"].as_f64().unwrap_or(0.0);
        table += &format!(
            "| {} | {} KiB | {} | {:.1} ms | {:.1} ms | {} | {:.1} ms | {:.1} ms | {} | {:.1}x |\n",
            row["model"].as_str().unwrap_or_default(),
            row["model_bytes"].as_u64().unwrap_or(0) / 1024,
            row["generated_lines"],
            generate,
            row["generate"]["median_cpu_ms"].as_f64().unwrap_or(0.0),
            mib(&row["generate"]["max_rss_kib"]),
            parse,
            row["parse_only"]["median_cpu_ms"].as_f64().unwrap_or(0.0),
            mib(&row["parse_only"]["max_rss_kib"]),
            ratio(generate, parse),
        );
    }
    table.trim_end().to_owned()
}

fn mib(kib: &Value) -> String {
    format!("{:.1} MiB", kib.as_f64().unwrap_or(0.0) / 1024.0)
}

fn ratio(a: f64, b: f64) -> f64 {
    if b > 0.0 {
        a / b
    } else {
        0.0
    }
}

/// Lines of every `.rs` file under `dir`.
fn rust_lines(dir: &Path) -> Result<u64> {
    let mut lines = 0;
    if !dir.exists() {
        return Ok(0);
    }
    for entry in fs::read_dir(dir).with_context(|| format!("cannot read {}", dir.display()))? {
        let path = entry?.path();
        if path.is_dir() {
            lines += rust_lines(&path)?;
        } else if path.extension().is_some_and(|ext| ext == "rs") {
            lines += fs::read_to_string(&path)?.lines().count() as u64;
        }
    }
    Ok(lines)
}

// ---------------------------------------------------------------------------------------------
// 2. Compile time and size

/// Our crate from the full model and aws-sdk-chime, each built from a cold target directory,
/// debug then release, in turns.
fn compile(root: &Path, quick: bool) -> Result<Value> {
    println!("== compile time");
    let Some(model) = full_model() else {
        println!("-- skipped: the full Chime model is not beside the checkout");
        return Ok(Value::Null);
    };
    let dir = scratch("compile")?;
    let ours = dir.join("chime-full");
    crate::codegen_job::write(&[crate::codegen_job::Job {
        model,
        out: ours.clone(),
        crate_name: Some("chime-full".into()),
        service: None,
        exclude_operations: Vec::new(),
    }])?;
    // The versions the workspace tests with (cargo drops the entries it does not need).
    fs::copy(root.join("Cargo.lock"), ours.join("Cargo.lock"))?;
    let sdk = dir.join("sdk");
    fs::create_dir_all(sdk.join("src"))?;
    fs::write(
        sdk.join("Cargo.toml"),
        format!(
            "[package]\nname = \"sdk-build\"\nversion = \"0.1.0\"\nedition = \"2021\"\npublish = false\n\n[workspace]\n\n\
             [dependencies]\naws-sdk-chime = {{ version = \"={SDK_VERSION}\", default-features = false, \
             features = [\"default-https-client\", \"rt-tokio\"] }}\n"
        ),
    )?;
    fs::write(sdk.join("src/lib.rs"), "//! Builds aws-sdk-chime.\npub use aws_sdk_chime;\n")?;
    fs::copy(root.join("clients/rust-sdk/Cargo.lock"), sdk.join("Cargo.lock"))?;
    // Downloads are not build time.
    for crate_dir in [&ours, &sdk] {
        checked(cargo().arg("fetch").current_dir(crate_dir))?;
    }
    let sdk_source = sdk_source_dir(&sdk)?;
    let lines = json!({
        "ours": rust_lines(&ours.join("src"))?,
        "ours_runtime": rust_lines(&root.join("runtime/src"))?,
        "sdk": rust_lines(&sdk_source.join("src"))?,
    });
    let profiles: &[&str] = if quick { &["debug"] } else { &["debug", "release"] };
    // Ours three times: as generated (client, server, TLS), client only with TLS, which is
    // what aws-sdk-chime is (rustls), and client only without TLS, to tell what TLS costs.
    let variants: [(&str, &PathBuf, &[&str]); 4] = [
        ("ours", &ours, &[]),
        (CLIENT_ONLY, &ours, &["--no-default-features", "--features", "client,tls"]),
        (CLIENT_ONLY_NO_TLS, &ours, &["--no-default-features", "--features", "client"]),
        ("aws-sdk-chime", &sdk, &[]),
    ];
    let mut builds = Vec::new();
    for profile in profiles {
        for (name, crate_dir, features) in variants {
            let target = dir.join(format!("target-{name}-{profile}"));
            let mut command = cargo();
            // --timings: what each crate of the build took, to tell the crate from its dependencies.
            command.args(["build", "--timings"]).args(features).current_dir(crate_dir).env("CARGO_TARGET_DIR", &target);
            if *profile == "release" {
                command.arg("--release");
            }
            let started = Instant::now();
            checked(command.stdout(Stdio::null()).stderr(Stdio::null()))?;
            let seconds = started.elapsed().as_secs_f64();
            let units = unit_seconds(&target.join("cargo-timings/cargo-timing.html"));
            let own = |unit: &str| units.get(unit).and_then(Value::as_f64).unwrap_or(0.0);
            let (crate_alone, runtime) = if name == "aws-sdk-chime" {
                (own("aws-sdk-chime"), 0.0)
            } else {
                (own("chime-full"), own("smithy-runtime"))
            };
            println!("-- {name} {profile}: {seconds:.1} s (the crate itself {crate_alone:.1} s)");
            builds.push(json!({
                "crate": name,
                "profile": profile,
                "seconds": seconds,
                "crate_alone_seconds": crate_alone,
                "runtime_seconds": runtime,
                "units": units,
            }));
            let _ = fs::remove_dir_all(&target);
        }
    }
    let _ = fs::remove_dir_all(&dir);
    Ok(json!({ "lines": lines, "builds": builds, "features": {
        "ours": "default (client, server and tls)",
        CLIENT_ONLY: "--no-default-features --features client,tls",
        CLIENT_ONLY_NO_TLS: "--no-default-features --features client",
        "aws-sdk-chime": "default-features = false, features = [\"default-https-client\", \"rt-tokio\"]",
    } }))
}

/// The name of the client-only build of our crate in the figures (with TLS, like the SDK's).
const CLIENT_ONLY: &str = "ours, client only";

/// The name of the client-only build of our crate without TLS (plain http only).
const CLIENT_ONLY_NO_TLS: &str = "ours, client only, no TLS";

/// Seconds per crate of a build, from the report `cargo build --timings` writes (the data
/// its HTML page draws from); empty when the report cannot be read.
fn unit_seconds(report: &Path) -> serde_json::Map<String, Value> {
    let html = fs::read_to_string(report).unwrap_or_default();
    let data = html
        .split_once("const UNIT_DATA = ")
        .and_then(|(_, rest)| rest.split_once(";\n"))
        .and_then(|(json, _)| serde_json::from_str::<Value>(json).ok());
    let mut units = serde_json::Map::new();
    for unit in data.as_ref().and_then(Value::as_array).into_iter().flatten() {
        if let (Some(name), Some(seconds)) = (unit["name"].as_str(), unit["duration"].as_f64()) {
            // A crate built twice (a build script, or for the host) counts each time.
            let total = units.get(name).and_then(Value::as_f64).unwrap_or(0.0) + seconds;
            units.insert(name.to_owned(), total.into());
        }
    }
    units
}

/// Where cargo unpacked aws-sdk-chime's source.
fn sdk_source_dir(sdk: &Path) -> Result<PathBuf> {
    let metadata = json_output(cargo().args(["metadata", "--format-version", "1"]).current_dir(sdk))?;
    let manifest = metadata["packages"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|package| package["name"] == "aws-sdk-chime")
        .and_then(|package| package["manifest_path"].as_str())
        .context("cargo metadata does not list aws-sdk-chime")?;
    Ok(Path::new(manifest).parent().map(Path::to_path_buf).unwrap_or_default())
}

fn compile_table(figures: &Value) -> String {
    if figures.is_null() {
        return "### Compile time: skipped (no full model)".into();
    }
    let seconds = |name: &str, profile: &str, key: &str| {
        figures["builds"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|build| build["crate"] == name && build["profile"] == profile)
            .and_then(|build| build[key].as_f64())
    };
    let mut table = format!(
        "### Compile (full Chime model, clean `cargo build`, cold target directory, dependencies included)\n\n\
         | | ours (chime-full) | ours, client only (TLS) | ours, client only, no TLS | aws-sdk-chime {SDK_VERSION} | SDK / ours | SDK / ours client only | client only: TLS / no TLS |\n\
         |---|---:|---:|---:|---:|---:|---:|---:|\n\
         | lines of Rust in the crate | {} (+ {} in smithy-runtime) | the same | the same | {} | {:.1}x | | |\n",
        figures["lines"]["ours"],
        figures["lines"]["ours_runtime"],
        figures["lines"]["sdk"],
        ratio(figures["lines"]["sdk"].as_f64().unwrap_or(0.0), figures["lines"]["ours"].as_f64().unwrap_or(0.0)),
    );
    let cell = |value: Option<f64>| value.map_or_else(|| "-".to_owned(), |v| format!("{v:.1} s"));
    let ratio_cell = |sdk: Option<f64>, ours: Option<f64>| match (sdk, ours) {
        (Some(sdk), Some(ours)) => format!("{:.1}x", ratio(sdk, ours)),
        _ => "-".to_owned(),
    };
    for (what, key) in [("`cargo build`", "seconds"), ("the crate itself (cargo --timings),", "crate_alone_seconds")] {
        for profile in ["debug", "release"] {
            let [ours, client, plain, sdk] = ["ours", CLIENT_ONLY, CLIENT_ONLY_NO_TLS, "aws-sdk-chime"]
                .map(|name| seconds(name, profile, key).filter(|s| *s > 0.0));
            if sdk.is_none() {
                continue;
            }
            // The crate alone is shown with the runtime beside it: a dependency, like the
            // SDK's aws-smithy-* crates, but written for it.
            let ours_cell = |name: &str, value: Option<f64>| match seconds(name, profile, "runtime_seconds") {
                Some(runtime) if key == "crate_alone_seconds" => {
                    format!("{} (+ {runtime:.1} s smithy-runtime)", cell(value))
                }
                _ => cell(value),
            };
            table += &format!(
                "| {what} {profile} | {} | {} | {} | {} | {} | {} | {} |\n",
                ours_cell("ours", ours),
                ours_cell(CLIENT_ONLY, client),
                ours_cell(CLIENT_ONLY_NO_TLS, plain),
                cell(sdk),
                ratio_cell(sdk, ours),
                ratio_cell(sdk, client),
                // How much longer TLS makes the client-only build: 1.1x is a tenth more.
                ratio_cell(client, plain)
            );
        }
    }
    table.trim_end().to_owned()
}

// ---------------------------------------------------------------------------------------------
// 4. Client

fn client(root: &Path, tools: &Tools, quick: bool) -> Result<Value> {
    println!("== client");
    let server = Running::start(chime_local(root, tools, true))?;
    let (rounds, seconds) = if quick { ("1", "2") } else { ("3", "4") };
    let figures = json_output(tools.tool("client-bench").args([
        "--url",
        &format!("http://{}", server.address),
        "--credentials",
        &format!("{ACCESS_KEY}:{SECRET_KEY}"),
        "--rounds",
        rounds,
        "--seconds",
        seconds,
        "--concurrency",
        "8",
    ]))?;
    drop(server);
    Ok(figures)
}

fn client_table(figures: &Value) -> String {
    let mut table = format!(
        "### Client (UpdateUser against one chime-local with SigV4, {} calls in flight, clients in turns)\n\n\
         | client | calls/s | CPU per call (client process) |\n|---|---:|---:|\n",
        figures["concurrency"]
    );
    for name in ["ours", "aws-sdk-chime"] {
        table += &format!(
            "| {name} | {:.0} | {:.0} µs |\n",
            figures[name]["calls_per_s"].as_f64().unwrap_or(0.0),
            figures[name]["cpu_us_per_call"].as_f64().unwrap_or(0.0)
        );
    }
    let ours = figures["ours"]["calls_per_s"].as_f64().unwrap_or(0.0);
    let sdk = figures["aws-sdk-chime"]["calls_per_s"].as_f64().unwrap_or(0.0);
    let ours_cpu = figures["ours"]["cpu_us_per_call"].as_f64().unwrap_or(0.0);
    let sdk_cpu = figures["aws-sdk-chime"]["cpu_us_per_call"].as_f64().unwrap_or(0.0);
    table += &format!(
        "| ours / aws-sdk-chime | {:.2}x | {:.2}x (lower is better) |\n",
        ratio(ours, sdk),
        ratio(ours_cpu, sdk_cpu)
    );
    table.trim_end().to_owned()
}

// ---------------------------------------------------------------------------------------------
// The machine

fn machine() -> Value {
    let cpuinfo = fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let cpu = cpuinfo
        .lines()
        .find_map(|line| line.strip_prefix("model name"))
        .map(|rest| rest.trim_start_matches([' ', '\t', ':']));
    let memory = fs::read_to_string("/proc/meminfo").unwrap_or_default();
    let memory_kib: u64 = memory
        .lines()
        .find_map(|line| line.strip_prefix("MemTotal:"))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0);
    let output = |program: &str, args: &[&str]| {
        Command::new(program)
            .args(args)
            .output()
            .ok()
            .map(|output| String::from_utf8_lossy(&output.stdout).trim().to_owned())
            .unwrap_or_default()
    };
    json!({
        "date": output("date", &["-u", "+%Y-%m-%d %H:%M UTC"]),
        "cpu": cpu.unwrap_or("unknown"),
        "cores": std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1),
        "memory_gib": memory_kib / (1024 * 1024),
        "os": output("uname", &["-sr"]),
        "rustc": output("rustc", &["-V"]),
        "load_average": fs::read_to_string("/proc/loadavg").unwrap_or_default().split(' ').take(3).collect::<Vec<_>>().join(" "),
    })
}

fn machine_line(machine: &Value) -> String {
    format!(
        "Run {} on {} ({} cores, {} GiB), {}, {}; load average at the start: {}.",
        machine["date"].as_str().unwrap_or_default(),
        machine["cpu"].as_str().unwrap_or_default(),
        machine["cores"],
        machine["memory_gib"],
        machine["os"].as_str().unwrap_or_default(),
        machine["rustc"].as_str().unwrap_or_default(),
        machine["load_average"].as_str().unwrap_or_default(),
    )
}

/// `cargo xtask parse-json FILE`: reads and parses a JSON file and nothing else, the floor
/// the generator's time is compared with.
pub fn parse_json(path: &Path) -> Result<()> {
    let text = fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let value: Value = serde_json::from_str(&text).with_context(|| format!("{} is not JSON", path.display()))?;
    // Keep the parse from being optimised away.
    if value.is_null() {
        println!("null");
    }
    Ok(())
}
