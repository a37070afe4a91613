//! Part 3 of `cargo xtask bench`: a generated server under load beside a hand-written hyper
//! server that answers the same bytes, in turns, each round starting fresh processes. The
//! scenarios: restJson1 (chime-local, UpdateUser), awsJson1_0 (json-local's DynamoDB,
//! PutItem), and one operation in two protocols on one server (json-local's Stations,
//! PutReadings, over rpcv2Cbor and over awsJson1_0), whose ratio is the cost of the protocol.

use std::fs;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};

use anyhow::{bail, Context, Result};
use base64::Engine as _;
use serde_json::{json, Value};

use super::{
    json_output, mib, put_readings, ratio, Tools, ACCESS_KEY, ACCOUNT_ID, SECRET_KEY, UPDATE_USER_BODY, USER_ID,
};

/// What one scenario loads: a request, and the generated server that answers it.
pub(super) struct Scenario {
    /// The protocol, for the table's title.
    protocol: &'static str,
    /// The operation, for the table's title.
    operation: &'static str,
    /// Which generated server answers it.
    server: Ours,
    path: String,
    /// The request body, any bytes (loadgen is given it as base64).
    body: Vec<u8>,
    /// `NAME:VALUE` headers beyond loadgen's own.
    headers: &'static [&'static str],
    signing_name: &'static str,
}

/// The generated servers the scenarios run.
#[derive(Clone, Copy)]
enum Ours {
    /// chime-local (restJson1), seeded with clients/seed.json.
    Chime,
    /// json-local's DynamoDB (awsJson1_0), with the table `Bench` keyed by `pk`.
    DynamoDb,
    /// json-local's Stations (rpcv2Cbor and awsJson1_0).
    Stations,
}

/// PutItem's body: a small item of two attributes, as a typical write.
const PUT_ITEM_BODY: &str = r#"{"TableName":"Bench","Item":{"pk":{"S":"k1"},"n":{"N":"1"}}}"#;

impl Scenario {
    /// restJson1: UpdateUser on chime-local.
    pub(super) fn rest_json1() -> Self {
        Scenario {
            protocol: "restJson1",
            operation: "UpdateUser",
            server: Ours::Chime,
            path: format!("/accounts/{ACCOUNT_ID}/users/{USER_ID}"),
            body: UPDATE_USER_BODY.into(),
            headers: &[],
            signing_name: "chime",
        }
    }

    /// awsJson1_0: DynamoDB PutItem on json-local.
    pub(super) fn aws_json1_0() -> Self {
        Scenario {
            protocol: "awsJson1_0",
            operation: "DynamoDB PutItem",
            server: Ours::DynamoDb,
            path: "/".to_owned(),
            body: PUT_ITEM_BODY.into(),
            headers: &["x-amz-target:DynamoDB_20120810.PutItem", "content-type:application/x-amz-json-1.0"],
            signing_name: "dynamodb",
        }
    }

    /// rpcv2Cbor: Stations PutReadings (ten readings) on json-local.
    pub(super) fn rpc_v2_cbor() -> Self {
        Scenario {
            protocol: "rpcv2Cbor",
            operation: STATIONS_OPERATION,
            server: Ours::Stations,
            path: "/service/Stations/operation/PutReadings".to_owned(),
            body: put_readings::cbor_body(),
            headers: &["smithy-protocol:rpc-v2-cbor", "content-type:application/cbor", "accept:application/cbor"],
            signing_name: "stations",
        }
    }

    /// awsJson1_0: the same PutReadings, as JSON, on the same json-local Stations.
    pub(super) fn stations_aws_json1_0() -> Self {
        Scenario {
            protocol: "awsJson1_0",
            operation: STATIONS_OPERATION,
            server: Ours::Stations,
            path: "/".to_owned(),
            body: put_readings::json_body(),
            headers: &["x-amz-target:Stations.PutReadings", "content-type:application/x-amz-json-1.0"],
            signing_name: "stations",
        }
    }

    /// The generated server, with SigV4 and validation or without either.
    fn ours(&self, root: &Path, tools: &Tools, auth_and_validation: bool) -> Command {
        match self.server {
            Ours::Chime => chime_local(root, tools, auth_and_validation),
            Ours::DynamoDb => json_local(tools, &["dynamodb", "--table", "Bench:pk"], auth_and_validation),
            Ours::Stations => json_local(tools, &["stations"], auth_and_validation),
        }
    }
}

/// The operation of the two Stations scenarios, for their titles and the ratio table.
const STATIONS_OPERATION: &str = "Stations PutReadings";

/// json-local serving `service_args` (the service and its options), with SigV4 and
/// validation or without either.
fn json_local(tools: &Tools, service_args: &[&str], auth_and_validation: bool) -> Command {
    let mut command = Command::new(&tools.json_local);
    command.args(service_args).args(["--listen", "127.0.0.1:0"]);
    if auth_and_validation {
        command.arg("--credentials").arg(format!("{ACCESS_KEY}:{SECRET_KEY}"));
    } else {
        command.args(["--no-auth", "--no-validation"]);
    }
    command.env_remove("AWS_ACCESS_KEY_ID").env_remove("AWS_SECRET_ACCESS_KEY");
    command
}

/// A server process under test, stopped when dropped.
pub(super) struct Running {
    child: Child,
    /// `host:port`, from the server's first line.
    pub(super) address: String,
}

impl Running {
    /// Starts `command`, which must print `listening on http://HOST:PORT` first.
    pub(super) fn start(mut command: Command) -> Result<Self> {
        let mut child = command.stdout(Stdio::piped()).spawn().with_context(|| format!("cannot run {command:?}"))?;
        let stdout = child.stdout.take().context("no stdout")?;
        let mut line = String::new();
        BufReader::new(stdout).read_line(&mut line)?;
        let Some(address) = line.trim().strip_prefix("listening on http://") else {
            let _ = child.kill();
            bail!("{command:?} printed {line:?} instead of its address");
        };
        Ok(Self { address: address.to_owned(), child })
    }

    /// The CPU time (user and system, every thread) the process has used so far, in
    /// microseconds, from /proc (clock ticks of 10 ms).
    fn cpu_us(&self) -> u64 {
        let stat = fs::read_to_string(format!("/proc/{}/stat", self.child.id())).unwrap_or_default();
        // The fields after the command name, which is in parentheses and may hold spaces.
        let fields: Vec<&str> =
            stat.rsplit_once(')').map(|(_, rest)| rest.split_whitespace().collect()).unwrap_or_default();
        let ticks = |index: usize| fields.get(index).and_then(|field| field.parse::<u64>().ok()).unwrap_or(0);
        // utime and stime are fields 14 and 15 of stat(5); the list starts at field 3.
        (ticks(11) + ticks(12)) * 10_000
    }

    /// The most memory the process has held (VmHWM), in KiB.
    fn peak_rss_kib(&self) -> u64 {
        let status = fs::read_to_string(format!("/proc/{}/status", self.child.id())).unwrap_or_default();
        status
            .lines()
            .find_map(|line| line.strip_prefix("VmHWM:"))
            .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
            .unwrap_or(0)
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// chime-local, with SigV4 and validation or without either; `--quiet`, so that the figures do
/// not include writing its request log.
pub(super) fn chime_local(root: &Path, tools: &Tools, auth_and_validation: bool) -> Command {
    let mut command = Command::new(&tools.chime_local);
    command.args(["--listen", "127.0.0.1:0", "--quiet", "--seed"]).arg(root.join("clients/seed.json"));
    if auth_and_validation {
        command.arg("--credentials").arg(format!("{ACCESS_KEY}:{SECRET_KEY}"));
    } else {
        command.args(["--no-auth", "--no-validation"]);
    }
    command.env_remove("AWS_ACCESS_KEY_ID").env_remove("AWS_SECRET_ACCESS_KEY");
    command
}

/// The scenario's three servers in turns, each round starting a fresh process: load with
/// `loadgen`. The hand-written server answers with the bytes the generated one answered.
pub(super) fn server(root: &Path, tools: &Tools, quick: bool, scenario: &Scenario) -> Result<Value> {
    println!("== server: {} ({})", scenario.operation, scenario.protocol);
    let (rounds, seconds) = if quick { (1, "3") } else { (5, "3") };
    // The generated server's answer (its content type and its body as base64), which the
    // hand-written one is given.
    let mut response = None;
    let names = ["SigV4 + validation", "no SigV4, no validation", "hand-written hyper"];
    let mut runs: Vec<Vec<Value>> = vec![Vec::new(); names.len()];
    for round in 0..rounds {
        for (index, name) in names.iter().enumerate() {
            let command = match index {
                0 => scenario.ours(root, tools, true),
                1 => scenario.ours(root, tools, false),
                _ => {
                    let mut command = tools.tool("baseline");
                    let (content_type, body): &(String, String) =
                        response.as_ref().context("no generated server's response to copy")?;
                    command.args(["--listen", "127.0.0.1:0", "--content-type", content_type]);
                    command.args(["--response-base64", body]);
                    command
                }
            };
            let server = Running::start(command)?;
            let cpu_before = server.cpu_us();
            let mut load = tools.tool("loadgen");
            load.args(["--addr", &server.address, "--path", &scenario.path]);
            load.arg("--body-base64").arg(base64::engine::general_purpose::STANDARD.encode(&scenario.body));
            for header in scenario.headers {
                load.args(["--header", header]);
            }
            load.args(["--connections", "16", "--seconds", seconds, "--warmup", "1"]);
            if index == 0 {
                load.args(["--sign", &format!("{ACCESS_KEY}:{SECRET_KEY}"), "--signing-name", scenario.signing_name]);
            }
            let mut figures = json_output(&mut load)?;
            figures["peak_rss_kib"] = server.peak_rss_kib().into();
            let completed = figures["completed"].as_f64().unwrap_or(0.0).max(1.0);
            figures["server_cpu_us_per_request"] = ((server.cpu_us() - cpu_before) as f64 / completed).into();
            drop(server);
            if figures["status"] != 200 || figures["errors"] != 0 {
                bail!("{name}: the load was not answered with 200: {figures}");
            }
            if index == 0 {
                let text = |key: &str| figures[key].as_str().map(str::to_owned);
                response = text("content_type").zip(text("body_base64"));
            }
            println!("-- round {}: {name}: {} req/s", round + 1, figures["rps"]);
            runs[index].push(figures);
        }
    }
    let ours = match scenario.server {
        Ours::Chime => "chime-local",
        Ours::DynamoDb => "json-local dynamodb",
        Ours::Stations => "json-local stations",
    };
    let rows = names
        .iter()
        .zip(runs)
        .map(|(name, runs)| {
            let pick = |key: &str| median(runs.iter().filter_map(|run| run[key].as_f64()));
            let server = if name.starts_with("hand-written") { (*name).to_owned() } else { format!("{ours}, {name}") };
            json!({
                "server": server,
                "rps": pick("rps"),
                "p50_us": pick("p50_us"),
                "p99_us": pick("p99_us"),
                "server_cpu_us_per_request": pick("server_cpu_us_per_request"),
                "peak_rss_kib": runs.iter().filter_map(|run| run["peak_rss_kib"].as_u64()).max().unwrap_or(0),
                "runs": runs,
            })
        })
        .collect();
    Ok(json!({
        "protocol": scenario.protocol,
        "operation": scenario.operation,
        "connections": 16,
        "request_body_bytes": scenario.body.len(),
        "rows": Value::Array(rows),
    }))
}

/// The median of some figures; 0 when there are none.
fn median(values: impl Iterator<Item = f64>) -> f64 {
    let mut values: Vec<f64> = values.collect();
    values.sort_by(f64::total_cmp);
    match values.len() {
        0 => 0.0,
        n if n % 2 == 1 => values[n / 2],
        n => (values[n / 2 - 1] + values[n / 2]) / 2.0,
    }
}

/// The scenario's table, each server against the hand-written one.
pub(super) fn server_table(figures: &Value) -> String {
    let rows = figures["rows"].as_array().cloned().unwrap_or_default();
    let baseline = rows.last().and_then(|row| row["rps"].as_f64()).unwrap_or(0.0);
    let baseline_cpu = rows.last().and_then(|row| row["server_cpu_us_per_request"].as_f64()).unwrap_or(0.0);
    let mut table = format!(
        "### Server, {} ({}, {} bytes of request body): loopback, 16 keep-alive connections, closed loop; \
         median of the rounds\n\n\
         | server | requests/s | p50 | p99 | peak RSS | server CPU per request | req/s vs hand-written | CPU vs hand-written |\n\
         |---|---:|---:|---:|---:|---:|---:|---:|\n",
        figures["operation"].as_str().unwrap_or_default(),
        figures["protocol"].as_str().unwrap_or_default(),
        figures["request_body_bytes"],
    );
    for row in rows {
        let rps = row["rps"].as_f64().unwrap_or(0.0);
        let cpu = row["server_cpu_us_per_request"].as_f64().unwrap_or(0.0);
        table += &format!(
            "| {} | {:.0} | {:.0} µs | {:.0} µs | {} | {cpu:.1} µs | {:.2} | {:.2}x |\n",
            row["server"].as_str().unwrap_or_default(),
            rps,
            row["p50_us"].as_f64().unwrap_or(0.0),
            row["p99_us"].as_f64().unwrap_or(0.0),
            mib(&row["peak_rss_kib"]),
            ratio(rps, baseline),
            ratio(cpu, baseline_cpu),
        );
    }
    table.trim_end().to_owned()
}

/// The same operation on the same server in two protocols: each row's requests/s and server
/// CPU per request in `cbor`'s scenario against `json`'s.
pub(super) fn protocol_table(cbor: &Value, json: &Value) -> String {
    let mut table = format!(
        "### Server, {}: {} ({} bytes of request body) against {} ({} bytes), same server\n\n\
         | server | requests/s, {1} | {3} | ratio | CPU per request, {1} | {3} | ratio |\n\
         |---|---:|---:|---:|---:|---:|---:|\n",
        cbor["operation"].as_str().unwrap_or_default(),
        cbor["protocol"].as_str().unwrap_or_default(),
        cbor["request_body_bytes"],
        json["protocol"].as_str().unwrap_or_default(),
        json["request_body_bytes"],
    );
    let rows = |figures: &Value| figures["rows"].as_array().cloned().unwrap_or_default();
    for (cbor, json) in rows(cbor).iter().zip(rows(json)) {
        let figure = |row: &Value, key: &str| row[key].as_f64().unwrap_or(0.0);
        let (cbor_rps, json_rps) = (figure(cbor, "rps"), figure(&json, "rps"));
        let cpu = "server_cpu_us_per_request";
        let (cbor_cpu, json_cpu) = (figure(cbor, cpu), figure(&json, cpu));
        table += &format!(
            "| {} | {cbor_rps:.0} | {json_rps:.0} | {:.2} | {cbor_cpu:.1} µs | {json_cpu:.1} µs | {:.2}x |\n",
            cbor["server"].as_str().unwrap_or_default(),
            ratio(cbor_rps, json_rps),
            ratio(cbor_cpu, json_cpu),
        );
    }
    table.trim_end().to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A scenario's figures with one row per (server, requests/s, CPU µs per request).
    fn figures(protocol: &str, bytes: u64, rows: &[(&str, f64, f64)]) -> Value {
        let rows: Vec<Value> = rows
            .iter()
            .map(|(server, rps, cpu)| json!({ "server": server, "rps": rps, "server_cpu_us_per_request": cpu }))
            .collect();
        json!({ "protocol": protocol, "operation": "Op", "request_body_bytes": bytes, "rows": rows })
    }

    #[test]
    fn the_protocol_table_divides_row_by_row() {
        let cbor = figures("rpcv2Cbor", 700, &[("ours", 30_000.0, 30.0), ("hand-written hyper", 90_000.0, 9.0)]);
        let json = figures("awsJson1_0", 900, &[("ours", 40_000.0, 24.0), ("hand-written hyper", 90_000.0, 10.0)]);
        let table = protocol_table(&cbor, &json);
        assert!(
            table.starts_with("### Server, Op: rpcv2Cbor (700 bytes of request body) against awsJson1_0 (900 bytes)")
        );
        assert!(table.contains("| server | requests/s, rpcv2Cbor | awsJson1_0 | ratio | CPU per request, rpcv2Cbor |"));
        assert!(table.contains("| ours | 30000 | 40000 | 0.75 | 30.0 µs | 24.0 µs | 1.25x |"), "{table}");
        assert!(table.contains("| hand-written hyper | 90000 | 90000 | 1.00 | 9.0 µs | 10.0 µs | 0.90x |"), "{table}");
    }
}
