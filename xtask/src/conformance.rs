//! `cargo xtask conformance`: the Smithy protocol compliance suite, generated into Rust tests
//! and run. Each restJson1, awsJson1_0, awsJson1_1 and rpcv2Cbor service of the suite becomes
//! a crate with its cases as tests (see `codegen::protocol_tests`); `cargo test` runs them,
//! and the outcome is compared with the documented known gaps
//! (`xtask/conformance-known-gaps.txt`).
//!
//! The cases come from two places: the JSON AST of the smithy-aws-protocol-tests package
//! (`--suite`), and the `.smithy` sources of smithy-protocol-tests (`--rpcv2-suite`), where
//! the rpcv2Cbor service lives; those are read through the IDL front end, as any model.

use std::collections::{BTreeMap, BTreeSet};
use std::env;
use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use codegen::protocol_tests::{self, Case, CaseKind};
use codegen::{GenerateOptions, ShapeId};

use crate::{output, workspace_root};

/// Where a service's cases are read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// The JSON AST of smithy-aws-protocol-tests (`--suite`).
    AwsJson,
    /// The `.smithy` sources of smithy-protocol-tests (`--rpcv2-suite`).
    SmithyIdl,
}

/// A service of the compliance suite in a protocol the generator writes.
#[derive(Debug, Clone, Copy)]
pub struct Service {
    /// Its shape ID.
    pub id: &'static str,
    /// The protocol its cases are run in, as the report names it.
    pub protocol: &'static str,
    /// Where it is defined.
    pub source: Source,
}

const fn service(id: &'static str, protocol: &'static str, source: Source) -> Service {
    Service { id, protocol, source }
}

/// The services of the compliance suite that are run, in report order.
pub const SERVICES: &[Service] = &[
    service("aws.protocoltests.restjson#RestJson", "restJson1", Source::AwsJson),
    service("aws.protocoltests.restjson.validation#RestJsonValidation", "restJson1", Source::AwsJson),
    service("aws.protocoltests.json10#JsonRpc10", "awsJson1_0", Source::AwsJson),
    service("aws.protocoltests.json10#QueryCompatibleJsonRpc10", "awsJson1_0", Source::AwsJson),
    service("aws.protocoltests.json#JsonProtocol", "awsJson1_1", Source::AwsJson),
    service("smithy.protocoltests.rpcv2Cbor#RpcV2Protocol", "rpcv2Cbor", Source::SmithyIdl),
    service("aws.protocoltests.rpcv2cbor#QueryCompatibleRpcV2Protocol", "rpcv2Cbor", Source::AwsJson),
    service("aws.protocoltests.rpcv2cbor#NonQueryCompatibleRpcV2Protocol", "rpcv2Cbor", Source::AwsJson),
];

/// The environment variable naming the suite when `--suite` does not.
pub const SUITE_ENV: &str = "SMITHY_PROTOCOL_TESTS";

/// Where the suite is looked for by default, relative to the workspace root.
pub const DEFAULT_SUITE: &str = "../shared/protocol-tests/smithy-aws-protocol-tests.json";

/// The environment variable naming the `.smithy` suite when `--rpcv2-suite` does not.
pub const RPCV2_SUITE_ENV: &str = "SMITHY_RPCV2_PROTOCOL_TESTS";

/// Where the `.smithy` suite is looked for by default, relative to the workspace root: the
/// smithy-protocol-tests model folder, with `rpcv2Cbor/` and `shared-types.smithy`.
pub const DEFAULT_RPCV2_SUITE: &str = "../shared/smithy/protocol-tests";

/// The known gaps, relative to the workspace root.
const KNOWN_GAPS: &str = "xtask/conformance-known-gaps.txt";

/// The suite's path: `--suite`, else `$SMITHY_PROTOCOL_TESTS`, else the default beside the
/// checkout; `None` when that file does not exist.
pub fn suite_path(explicit: Option<PathBuf>) -> Option<PathBuf> {
    let path = explicit
        .or_else(|| env::var_os(SUITE_ENV).map(PathBuf::from))
        .unwrap_or_else(|| workspace_root().join(DEFAULT_SUITE));
    path.exists().then_some(path)
}

/// The `.smithy` suite's folder: `--rpcv2-suite`, else `$SMITHY_RPCV2_PROTOCOL_TESTS`, else
/// the default beside the checkout; `None` when it has no `rpcv2Cbor` folder.
pub fn rpcv2_suite_path(explicit: Option<PathBuf>) -> Option<PathBuf> {
    let path = explicit
        .or_else(|| env::var_os(RPCV2_SUITE_ENV).map(PathBuf::from))
        .unwrap_or_else(|| workspace_root().join(DEFAULT_RPCV2_SUITE));
    path.join("rpcv2Cbor").is_dir().then_some(path)
}

/// The rpcv2Cbor suite of the `.smithy` folder `dir` as one JSON AST document: every file
/// of `rpcv2Cbor/` with `shared-types.smithy`, assembled by the IDL front end.
pub fn rpcv2_document(dir: &Path) -> Result<String> {
    let sources = crate::ast::sources(&[dir.join("rpcv2Cbor"), dir.join("shared-types.smithy")])?;
    match codegen::idl::assemble(&sources) {
        Ok(assembly) => Ok(assembly.document.to_string()),
        Err(diagnostics) => bail!("the rpcv2Cbor suite in {} does not assemble:\n{diagnostics}", dir.display()),
    }
}

/// The models the services are read from, loaded once.
#[derive(Debug, Default)]
pub struct Models {
    aws_json: Option<String>,
    smithy_idl: Option<String>,
}

impl Models {
    /// Loads what `services` need from the suites `suite` and `rpcv2_suite` (or their
    /// defaults); fails naming the flag when a needed suite is missing.
    pub fn load(services: &[Service], suite: Option<PathBuf>, rpcv2_suite: Option<PathBuf>) -> Result<Self> {
        let mut models = Models::default();
        if services.iter().any(|s| s.source == Source::AwsJson) {
            let Some(path) = suite_path(suite.clone()) else {
                let wanted = suite.unwrap_or_else(|| workspace_root().join(DEFAULT_SUITE));
                bail!(
                    "the Smithy protocol test suite was not found at {}\n\
                     supply it with `cargo xtask conformance --suite PATH` or the {SUITE_ENV} environment variable: \
                     a Smithy JSON AST of the smithy-aws-protocol-tests package (build it with \
                     `smithy build` from the smithy repository's smithy-aws-protocol-tests project, \
                     or take the model JSON from a smithy-rs checkout's build output)",
                    wanted.display()
                );
            };
            let text = fs::read_to_string(&path).with_context(|| format!("cannot read {}", path.display()))?;
            models.aws_json = Some(text);
        }
        if services.iter().any(|s| s.source == Source::SmithyIdl) {
            let Some(dir) = rpcv2_suite_path(rpcv2_suite.clone()) else {
                let wanted = rpcv2_suite.unwrap_or_else(|| workspace_root().join(DEFAULT_RPCV2_SUITE));
                bail!(
                    "the rpcv2Cbor protocol tests were not found in {} (no rpcv2Cbor folder)\n\
                     supply them with `cargo xtask conformance --rpcv2-suite DIR` or the {RPCV2_SUITE_ENV} \
                     environment variable: the smithy repository's smithy-protocol-tests/model folder, \
                     with rpcv2Cbor/ and shared-types.smithy",
                    wanted.display()
                );
            };
            models.smithy_idl = Some(rpcv2_document(&dir)?);
        }
        Ok(models)
    }

    /// The model `service` is defined in.
    pub fn of(&self, service: &Service) -> Result<&str> {
        let model = match service.source {
            Source::AwsJson => &self.aws_json,
            Source::SmithyIdl => &self.smithy_idl,
        };
        model.as_deref().with_context(|| format!("{}: its suite was not loaded", service.id))
    }
}

/// What `cargo xtask conformance` runs.
#[derive(Debug, Default, Clone)]
pub struct Options {
    /// The JSON AST suite (`--suite`).
    pub suite: Option<PathBuf>,
    /// The `.smithy` suite's folder (`--rpcv2-suite`).
    pub rpcv2_suite: Option<PathBuf>,
    /// Where to keep the generated crates (`--keep`).
    pub keep: Option<PathBuf>,
    /// Only the services of these protocols (`--protocol`); all when empty.
    pub protocols: Vec<String>,
}

/// The outcome of one case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    Passed,
    Failed,
    Skipped,
}

/// Generates every service's crate with its tests, runs them, prints the summary and fails
/// on any failure that is not a known gap (or a known gap that passes now).
pub fn run(options: &Options) -> Result<()> {
    let services: Vec<Service> = SERVICES
        .iter()
        .filter(|s| options.protocols.is_empty() || options.protocols.iter().any(|p| p == s.protocol))
        .copied()
        .collect();
    if services.is_empty() {
        let known: BTreeSet<&str> = SERVICES.iter().map(|s| s.protocol).collect();
        bail!("no service of the suite speaks {:?}; the protocols are {known:?}", options.protocols);
    }
    let models = Models::load(&services, options.suite.clone(), options.rpcv2_suite.clone())?;
    let known = known_gaps()?;
    let scratch = match &options.keep {
        Some(dir) => dir.clone(),
        None => env::temp_dir().join(format!("smithy-conformance-{}", std::process::id())),
    };
    let result = run_services(&services, &models, &scratch);
    if options.keep.is_none() {
        let _ = fs::remove_dir_all(&scratch);
    }
    let results = result?;
    report(&results, &known, options.protocols.is_empty())
}

/// One case with its outcome.
struct CaseResult {
    service: String,
    protocol: &'static str,
    case: Case,
    outcome: Outcome,
    output: String,
}

fn run_services(services: &[Service], models: &Models, scratch: &Path) -> Result<Vec<CaseResult>> {
    let root = workspace_root().canonicalize().context("cannot resolve the workspace root")?;
    let target = root.join("target/full-model");
    let mut results = Vec::new();
    for service in services {
        let id = service.id;
        let name = id.rsplit('#').next().unwrap_or(id).to_lowercase();
        let out = scratch.join(&name);
        let options = GenerateOptions {
            service: Some(ShapeId::parse(id).map_err(|message| anyhow::anyhow!("{id}: {message}"))?),
            crate_name: Some(format!("protocol-{name}")),
            runtime_path: root.join("runtime").to_string_lossy().into_owned(),
            exclude_operations: Vec::new(),
        };
        let support = root.join("protocol-test").to_string_lossy().into_owned();
        let suite = protocol_tests::generate(models.of(service)?, &options, &support)
            .map_err(|problems| anyhow::anyhow!("{id}: {problems}"))?;
        output::write_atomically(&out, &suite.files)?;
        // The workspace's lock file pins the dependencies to the versions already built.
        fs::copy(root.join("Cargo.lock"), out.join("Cargo.lock")).context("cannot copy Cargo.lock")?;
        println!("== {id}: {} cases, generated into {}", suite.cases.len(), out.display());
        let outputs = cargo_test(&out, &target)?;
        for case in suite.cases {
            let (outcome, output) = match &case.test {
                None => (Outcome::Skipped, String::new()),
                Some(test) => match outputs.get(test.as_str()) {
                    Some((true, _)) => (Outcome::Passed, String::new()),
                    Some((false, output)) => (Outcome::Failed, output.clone()),
                    None => (Outcome::Failed, "the test did not run".to_owned()),
                },
            };
            results.push(CaseResult { service: id.to_owned(), protocol: service.protocol, case, outcome, output });
        }
    }
    Ok(results)
}

/// Runs the crate's tests; returns each test's pass/fail and its captured output.
fn cargo_test(crate_dir: &Path, target: &Path) -> Result<BTreeMap<String, (bool, String)>> {
    let output = crate::process::cargo()
        .args(["test", "--lib", "--no-fail-fast", "--", "--test-threads", "4"])
        .current_dir(crate_dir)
        .env("CARGO_TARGET_DIR", target)
        .output()
        .context("cannot run cargo test")?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    let results = parse_libtest(&stdout);
    if results.is_empty() {
        bail!(
            "cargo test in {} ran no tests ({}):\n{}",
            crate_dir.display(),
            output.status,
            String::from_utf8_lossy(&output.stderr)
        );
    }
    Ok(results)
}

/// Reads libtest's `test NAME ... ok|FAILED` lines and the `---- NAME stdout ----` sections.
fn parse_libtest(stdout: &str) -> BTreeMap<String, (bool, String)> {
    let mut results = BTreeMap::new();
    for line in stdout.lines() {
        let Some(rest) = line.strip_prefix("test protocol_tests::") else { continue };
        if let Some((name, status)) = rest.split_once(" ... ") {
            results.insert(name.to_owned(), (status == "ok", String::new()));
        }
    }
    let mut current: Option<String> = None;
    for line in stdout.lines() {
        if let Some(name) = line.strip_prefix("---- protocol_tests::").and_then(|l| l.strip_suffix(" stdout ----")) {
            current = Some(name.to_owned());
            continue;
        }
        if line == "failures:" || line.starts_with("test result:") {
            current = None;
            continue;
        }
        if let Some((_, output)) = current.as_ref().and_then(|name| results.get_mut(name)) {
            output.push_str(line);
            output.push('\n');
        }
    }
    results
}

/// A known gap: a case that fails for a documented reason.
type KnownGaps = BTreeMap<(String, String), String>;

/// Reads `xtask/conformance-known-gaps.txt`: `kind id: reason` per line, `#` comments.
fn known_gaps() -> Result<KnownGaps> {
    let path = workspace_root().join(KNOWN_GAPS);
    let text = fs::read_to_string(&path).with_context(|| format!("cannot read {}", path.display()))?;
    parse_known_gaps(&text).with_context(|| format!("in {}", path.display()))
}

fn parse_known_gaps(text: &str) -> Result<KnownGaps> {
    let mut gaps = KnownGaps::new();
    let kinds: BTreeSet<&str> = CaseKind::ALL.iter().map(|k| k.label()).collect();
    for (number, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let parsed = line.split_once(':').and_then(|(case, reason)| {
            let (kind, id) = case.trim().split_once(' ')?;
            let reason = reason.trim();
            (kinds.contains(kind) && !reason.is_empty()).then(|| ((kind.to_owned(), id.trim().to_owned()), reason))
        });
        let Some((key, reason)) = parsed else {
            bail!("line {}: expected `kind id: reason` with kind one of {kinds:?}, got `{line}`", number + 1);
        };
        gaps.insert(key, reason.to_owned());
    }
    Ok(gaps)
}

/// Prints the summary; `every_service` says whether every service ran (a known gap naming no
/// case that ran is stale only then).
fn report(results: &[CaseResult], known: &KnownGaps, every_service: bool) -> Result<()> {
    println!();
    println!("{:<18} {:>7} {:>7} {:>8}", "kind", "passed", "failed", "skipped");
    for kind in CaseKind::ALL {
        let count = |outcome| results.iter().filter(|r| r.case.kind == kind && r.outcome == outcome).count();
        let (passed, failed, skipped) = (count(Outcome::Passed), count(Outcome::Failed), count(Outcome::Skipped));
        println!("{:<18} {passed:>7} {failed:>7} {skipped:>8}", kind.label());
    }
    println!();
    let mut protocols: Vec<&str> = results.iter().map(|r| r.protocol).collect();
    protocols.dedup();
    for protocol in protocols {
        let count = |outcome| results.iter().filter(|r| r.protocol == protocol && r.outcome == outcome).count();
        let (passed, failed, skipped) = (count(Outcome::Passed), count(Outcome::Failed), count(Outcome::Skipped));
        println!("{protocol}: {passed} passed, {failed} failed, {skipped} skipped");
    }
    let mut unexpected = Vec::new();
    let mut known_failures = Vec::new();
    let mut seen = BTreeSet::new();
    for result in results.iter().filter(|r| r.outcome == Outcome::Failed) {
        let key = (result.case.kind.label().to_owned(), result.case.id.clone());
        seen.insert(key.clone());
        match known.get(&key) {
            Some(reason) => known_failures.push(format!("  {} {} ({reason})", key.0, key.1)),
            None => unexpected.push(result),
        }
    }
    let now_passing: Vec<String> = known
        .keys()
        .filter(|key| {
            !seen.contains(*key)
                && results
                    .iter()
                    .any(|r| r.case.kind.label() == key.0 && r.case.id == key.1 && r.outcome == Outcome::Passed)
        })
        .map(|(kind, id)| format!("  {kind} {id}"))
        .collect();
    let missing: Vec<String> = known
        .keys()
        .filter(|key| every_service && !results.iter().any(|r| r.case.kind.label() == key.0 && r.case.id == key.1))
        .map(|(kind, id)| format!("  {kind} {id}"))
        .collect();
    for result in &unexpected {
        println!(
            "\n---- {} {} ({}):\n{}",
            result.case.kind.label(),
            result.case.id,
            result.service,
            result.output.trim_end()
        );
    }
    if !known_failures.is_empty() {
        println!("\nknown gaps ({}):\n{}", known_failures.len(), known_failures.join("\n"));
    }
    if !unexpected.is_empty() {
        let ids: Vec<String> = unexpected.iter().map(|r| format!("  {} {}", r.case.kind.label(), r.case.id)).collect();
        println!("\nfailed, not known gaps ({}):\n{}", ids.len(), ids.join("\n"));
    }
    let count = |outcome| results.iter().filter(|r| r.outcome == outcome).count();
    println!(
        "\n{} passed, {} failed ({} known gaps), {} skipped",
        count(Outcome::Passed),
        count(Outcome::Failed),
        known_failures.len(),
        count(Outcome::Skipped)
    );
    if !now_passing.is_empty() {
        println!("known gaps that pass now (remove them from {KNOWN_GAPS}):\n{}", now_passing.join("\n"));
    }
    if !missing.is_empty() {
        println!("known gaps that name no case of the suite (remove them from {KNOWN_GAPS}):\n{}", missing.join("\n"));
    }
    if !unexpected.is_empty() || !now_passing.is_empty() || !missing.is_empty() {
        bail!("{} unexpected failures, {} stale known gaps", unexpected.len(), now_passing.len() + missing.len());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn libtest_output_gives_each_test_its_outcome_and_output() {
        let stdout = "running 2 tests\ntest protocol_tests::a ... ok\ntest protocol_tests::b ... FAILED\n\n\
                      failures:\n\n---- protocol_tests::b stdout ----\nboom\n\nfailures:\n    protocol_tests::b\n\n\
                      test result: FAILED. 1 passed; 1 failed";
        let results = parse_libtest(stdout);
        assert_eq!(results["a"], (true, String::new()));
        assert_eq!(results["b"], (false, "boom\n\n".to_owned()));
    }

    #[test]
    fn services_of_a_protocol_are_listed_together() {
        // The report prints one line per run of a protocol in SERVICES.
        let mut seen = Vec::new();
        for service in SERVICES {
            if seen.last() != Some(&service.protocol) {
                assert!(!seen.contains(&service.protocol), "{} is split in SERVICES", service.protocol);
                seen.push(service.protocol);
            }
        }
        assert_eq!(seen, ["restJson1", "awsJson1_0", "awsJson1_1", "rpcv2Cbor"]);
    }

    #[test]
    fn the_rpcv2_suite_is_a_folder_with_rpcv2cbor_read_through_the_idl() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(rpcv2_suite_path(Some(dir.path().to_path_buf())), None);
        fs::create_dir(dir.path().join("rpcv2Cbor")).unwrap();
        assert_eq!(rpcv2_suite_path(Some(dir.path().to_path_buf())), Some(dir.path().to_path_buf()));
        let service = "$version: \"2.0\"\nnamespace a.b\nuse smithy.protocols#rpcv2Cbor\n@rpcv2Cbor\nservice S { version: \"1\" }\n";
        fs::write(dir.path().join("rpcv2Cbor/main.smithy"), service).unwrap();
        fs::write(dir.path().join("shared-types.smithy"), "$version: \"2.0\"\nnamespace a.shared\nstring Text\n")
            .unwrap();
        let document: serde_json::Value = serde_json::from_str(&rpcv2_document(dir.path()).unwrap()).unwrap();
        assert_eq!(document["shapes"]["a.b#S"]["traits"]["smithy.protocols#rpcv2Cbor"], serde_json::json!({}));
        assert_eq!(document["shapes"]["a.shared#Text"]["type"], "string");
        fs::write(dir.path().join("rpcv2Cbor/bad.smithy"), "namespace a.b\nstructure {").unwrap();
        assert!(rpcv2_document(dir.path()).is_err());
    }

    #[test]
    fn a_missing_suite_is_an_error_naming_its_flag() {
        let dir = tempfile::tempdir().unwrap();
        let rpcv2: Vec<Service> = SERVICES.iter().filter(|s| s.source == Source::SmithyIdl).copied().collect();
        let error = Models::load(&rpcv2, None, Some(dir.path().to_path_buf())).unwrap_err().to_string();
        assert!(error.contains("--rpcv2-suite"), "{error}");
        let json: Vec<Service> = SERVICES.iter().filter(|s| s.source == Source::AwsJson).copied().collect();
        let error = Models::load(&json, Some(dir.path().join("absent.json")), None).unwrap_err().to_string();
        assert!(error.contains("--suite"), "{error}");
    }

    #[test]
    fn known_gaps_need_a_kind_an_id_and_a_reason() {
        let gaps = parse_known_gaps("# comment\nclient-request Foo: because\n").unwrap();
        assert_eq!(gaps[&("client-request".to_owned(), "Foo".to_owned())], "because");
        assert!(parse_known_gaps("client-request Foo:\n").is_err());
        assert!(parse_known_gaps("nonsense Foo: reason\n").is_err());
    }
}
