//! The command line: which service, options, serving until SIGINT or SIGTERM.

use std::io::Write;
use std::net::SocketAddr;
use std::time::Duration;

use anyhow::{bail, Context, Result};
use clap::{Parser, ValueEnum};
use smithy_runtime::service::{serve, ServerConfig};
use tokio::net::TcpListener;

use crate::{BedrockLocal, CloudWatchLocal, DynamoDbLocal, LogsLocal, StationsLocal};

/// Run a local DynamoDB (awsJson1_0), CloudWatch Logs (awsJson1_1), CloudWatch (rpcv2Cbor),
/// Stations (rpcv2Cbor and awsJson1_0) or Bedrock Runtime (restJson1 event streams), in memory.
///
/// Requests must be signed with SigV4 by one of the configured credentials: those in
/// AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY and any given with --credentials.
#[derive(Debug, Parser)]
#[command(name = "json-local", version)]
pub struct Args {
    /// The service to serve.
    pub service: Service,
    /// Address to listen on; port 0 picks a free port. The first line of standard output is
    /// `listening on http://HOST:PORT`.
    #[arg(long, default_value = "127.0.0.1:8000")]
    pub listen: SocketAddr,
    /// Accept requests signed with this access key; may be repeated.
    #[arg(long, value_name = "AKID:SECRET", value_parser = parse_credentials, conflicts_with = "no_auth")]
    pub credentials: Vec<(String, String)>,
    /// Accept unsigned requests and do not check signatures at all.
    #[arg(long)]
    pub no_auth: bool,
    /// Do not check the model's constraints on inputs (a required member is still required).
    #[arg(long)]
    pub no_validation: bool,
    /// DynamoDB: create this table at start, keyed by one string attribute; may be repeated
    /// (what a benchmark or a script starts from).
    #[arg(long, value_name = "TABLE:KEY", value_parser = parse_table)]
    pub table: Vec<(String, String)>,
}

/// `TABLE:KEY` as a pair.
fn parse_table(text: &str) -> Result<(String, String), String> {
    match text.split_once(':') {
        Some((table, key)) if !table.is_empty() && !key.is_empty() => Ok((table.to_owned(), key.to_owned())),
        _ => Err("expected TABLE_NAME:KEY_ATTRIBUTE".to_owned()),
    }
}

/// The services json-local serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Service {
    /// DynamoDB: CreateTable, DescribeTable, PutItem, GetItem, UpdateItem, DeleteItem, Query.
    Dynamodb,
    /// CloudWatch Logs: CreateLogGroup, CreateLogStream, PutLogEvents, GetLogEvents.
    Logs,
    /// CloudWatch over Smithy RPC v2 CBOR: PutMetricData, ListMetrics, GetMetricStatistics,
    /// GetMetricData.
    Cloudwatch,
    /// Stations, the test fixture's station log, over Smithy RPC v2 CBOR and awsJson1_0 (SigV4
    /// signing name `stations`): PutReadings, GetReadings, DescribeStation, Ping.
    Stations,
    /// Bedrock Runtime with a toy model that repeats the prompt (signing name `bedrock`):
    /// ConverseStream and InvokeModelWithResponseStream, over event streams.
    Bedrock,
}

/// `AKID:SECRET` as a pair; the secret may itself contain colons.
fn parse_credentials(text: &str) -> Result<(String, String), String> {
    match text.split_once(':') {
        Some((id, secret)) if !id.is_empty() && !secret.is_empty() => Ok((id.to_owned(), secret.to_owned())),
        _ => Err("expected ACCESS_KEY_ID:SECRET_ACCESS_KEY".to_owned()),
    }
}

impl Args {
    /// The server's configuration: SigV4 with every accepted key, unless --no-auth.
    pub fn server_config(&self) -> Result<ServerConfig> {
        let base = ServerConfig::new().validate_input(!self.no_validation);
        if self.no_auth {
            return Ok(base);
        }
        let mut keys = self.credentials.clone();
        if let (Ok(id), Ok(secret)) = (std::env::var("AWS_ACCESS_KEY_ID"), std::env::var("AWS_SECRET_ACCESS_KEY")) {
            if !id.is_empty() && !secret.is_empty() {
                keys.push((id, secret));
            }
        }
        if keys.is_empty() {
            bail!(
                "no credentials to verify signatures with: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, \
                 pass --credentials AKID:SECRET, or pass --no-auth to accept unsigned requests"
            );
        }
        Ok(keys.into_iter().fold(base, |config, (id, secret)| config.access_key(id, secret)))
    }
}

/// How long requests in flight may take to finish once a shutdown signal arrives.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(10);

/// Checks the options, binds, prints `listening on http://HOST:PORT` and serves until SIGINT
/// or SIGTERM.
pub async fn run(args: Args) -> Result<()> {
    let config = args.server_config()?;
    let listener = TcpListener::bind(args.listen).await.with_context(|| format!("cannot listen on {}", args.listen))?;
    let address = listener.local_addr()?;
    let shutdown = shutdown_signal()?;
    {
        let mut stdout = std::io::stdout().lock();
        writeln!(stdout, "listening on http://{address}")?;
        stdout.flush()?;
    }
    match args.service {
        Service::Dynamodb => {
            let service = DynamoDbLocal::new(address.to_string());
            for (table, key) in &args.table {
                service.create_string_keyed_table(table, key).map_err(|message| anyhow::anyhow!(message))?;
            }
            serve(listener, fixture_dynamodb::server::server(service, config), shutdown, SHUTDOWN_GRACE).await;
        }
        Service::Logs => {
            serve(listener, fixture_logs::server::server(LogsLocal::new(), config), shutdown, SHUTDOWN_GRACE).await;
        }
        Service::Cloudwatch => {
            let server = fixture_cloudwatch::server::server(CloudWatchLocal::new(), config);
            serve(listener, server, shutdown, SHUTDOWN_GRACE).await;
        }
        Service::Stations => {
            let server = fixture_rpc_v2_cbor::server::server(StationsLocal::new(), config);
            serve(listener, server, shutdown, SHUTDOWN_GRACE).await;
        }
        Service::Bedrock => {
            let server = fixture_bedrock::server::server(BedrockLocal::new(), config);
            serve(listener, server, shutdown, SHUTDOWN_GRACE).await;
        }
    }
    eprintln!("json-local: stopped");
    Ok(())
}

/// Completes on the first SIGINT or SIGTERM. The handlers are installed before the server
/// announces itself, so a signal sent right after the `listening` line is never missed.
fn shutdown_signal() -> Result<impl std::future::Future<Output = ()>> {
    use tokio::signal::unix::{signal, SignalKind};
    let mut interrupt = signal(SignalKind::interrupt()).context("cannot handle SIGINT")?;
    let mut terminate = signal(SignalKind::terminate()).context("cannot handle SIGTERM")?;
    Ok(async move {
        tokio::select! {
            _ = interrupt.recv() => {}
            _ = terminate.recv() => {}
        }
    })
}
