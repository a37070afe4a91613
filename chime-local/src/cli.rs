//! The command line: options, start-up checks, serving until SIGINT or SIGTERM.

use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use anyhow::{bail, Context, Result};
use chime::server::{serve, serve_tls, server, server_config_from_pem_files, ServerConfig};
use clap::Parser;
use tokio::net::TcpListener;

use crate::log::RequestLog;
use crate::service::{ChimeLocal, DEFAULT_AWS_ACCOUNT_ID};
use crate::store::{State, Store};

/// Run a local Amazon Chime service (CreateAccount, UpdateAccount, UpdateUser, BatchUpdateUser, ListAccounts, ListUsers).
///
/// Requests must be signed with SigV4 by one of the configured credentials: those in
/// AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY and any given with --credentials.
#[derive(Debug, Parser)]
#[command(name = "chime-local", version)]
pub struct Args {
    /// Address to listen on; port 0 picks a free port. The first line of standard output is
    /// `listening on http://HOST:PORT` (`https://` with --tls-cert and --tls-key).
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,
    /// Serve https with this PEM certificate chain (the server's certificate first); needs
    /// --tls-key.
    #[arg(long, value_name = "FILE", requires = "tls_key")]
    pub tls_cert: Option<PathBuf>,
    /// The PEM private key (PKCS#8, PKCS#1 or SEC1) of --tls-cert; needs --tls-cert.
    #[arg(long, value_name = "FILE", requires = "tls_cert")]
    pub tls_key: Option<PathBuf>,
    /// JSON file of initial accounts and users: {"Accounts": [Account...], "Users": [User...]},
    /// with the model's member names. Ignored when --data names a file that exists.
    #[arg(long, value_name = "FILE")]
    pub seed: Option<PathBuf>,
    /// Keep the state in this file (same form as --seed) across restarts. Every change is
    /// written to a temporary file and renamed over it before the request is answered.
    #[arg(long, value_name = "FILE")]
    pub data: Option<PathBuf>,
    /// Accept requests signed with this access key; may be repeated.
    #[arg(long, value_name = "AKID:SECRET", value_parser = parse_credentials, conflicts_with = "no_auth")]
    pub credentials: Vec<(String, String)>,
    /// Accept unsigned requests and do not check signatures at all.
    #[arg(long)]
    pub no_auth: bool,
    /// Do not check inputs against the model's constraints (lengths, patterns, enum values)
    /// before the handlers run; for measuring what validation costs (`cargo xtask bench`).
    #[arg(long)]
    pub no_validation: bool,
    /// The AWS account ID that owns the accounts CreateAccount makes.
    #[arg(long, default_value = DEFAULT_AWS_ACCOUNT_ID)]
    pub aws_account_id: String,
    /// Do not log requests. Without it, each request a handler answers is one line on standard
    /// error: `chime-local: REQUEST-ID OPERATION key=ACCESS-KEY-ID -> ok` (or the error code).
    #[arg(long)]
    pub quiet: bool,
}

/// `AKID:SECRET` as a pair; the secret may itself contain colons.
fn parse_credentials(text: &str) -> Result<(String, String), String> {
    match text.split_once(':') {
        Some((id, secret)) if !id.is_empty() && !secret.is_empty() => Ok((id.to_owned(), secret.to_owned())),
        _ => Err("expected ACCESS_KEY_ID:SECRET_ACCESS_KEY".to_owned()),
    }
}

impl Args {
    /// Every access key the server accepts: the environment's and those given with
    /// --credentials. Empty with --no-auth.
    pub fn accepted_credentials(&self) -> Vec<(String, String)> {
        if self.no_auth {
            return Vec::new();
        }
        let mut keys = self.credentials.clone();
        if let (Ok(id), Ok(secret)) = (std::env::var("AWS_ACCESS_KEY_ID"), std::env::var("AWS_SECRET_ACCESS_KEY")) {
            if !id.is_empty() && !secret.is_empty() {
                keys.push((id, secret));
            }
        }
        keys
    }

    /// The server's configuration: SigV4 with every accepted key, unless --no-auth.
    pub fn server_config(&self) -> Result<ServerConfig> {
        let keys = self.accepted_credentials();
        if keys.is_empty() && !self.no_auth {
            bail!(
                "no credentials to verify signatures with: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, \
                 pass --credentials AKID:SECRET, or pass --no-auth to accept unsigned requests"
            );
        }
        let config = ServerConfig::new().validate_input(!self.no_validation);
        Ok(keys.into_iter().fold(config, |config, (id, secret)| config.access_key(id, secret)))
    }

    /// The store: the data file's state when it exists, else the seed's, else empty.
    pub fn store(&self) -> Result<Store> {
        let seed = match &self.seed {
            Some(path) => State::load(path)?,
            None => State::default(),
        };
        match &self.data {
            Some(path) => Store::persisted(path.clone(), seed),
            None => Ok(Store::in_memory(seed)),
        }
    }
}

/// How long requests in flight may take to finish once a shutdown signal arrives.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(10);

/// Checks the options, binds, prints `listening on http://HOST:PORT` (or `https://`) and
/// serves until SIGINT or SIGTERM.
pub async fn run(args: Args) -> Result<()> {
    let config = args.server_config()?;
    // Read before binding, so that a bad certificate file stops the start-up.
    let tls = match (&args.tls_cert, &args.tls_key) {
        (Some(cert), Some(key)) => Some(server_config_from_pem_files(cert, key)?),
        _ => None,
    };
    let service = RequestLog::new(ChimeLocal::new(args.store()?, args.aws_account_id.clone()), !args.quiet);
    let listener = TcpListener::bind(args.listen).await.with_context(|| format!("cannot listen on {}", args.listen))?;
    let address = listener.local_addr()?;
    let shutdown = shutdown_signal()?;
    {
        let scheme = if tls.is_some() { "https" } else { "http" };
        let mut stdout = std::io::stdout().lock();
        writeln!(stdout, "listening on {scheme}://{address}")?;
        stdout.flush()?;
    }
    let server = server(service, config);
    match tls {
        Some(tls) => serve_tls(listener, server, tls, shutdown, SHUTDOWN_GRACE).await,
        None => serve(listener, server, shutdown, SHUTDOWN_GRACE).await,
    }
    eprintln!("chime-local: stopped");
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
