//! Running the chime-local binary as a user does, for the tests that need a real process.
#![allow(dead_code)] // each test crate uses its own part

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use chime::client::{Client, Config, RetryConfig};

/// The seed every test starts from: one account, two users.
pub const SEED: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../clients/seed.json");
/// The seed's account.
pub const ACCOUNT: &str = "12a3456b-7c89-012d-3456-78901e23fg45";
/// The seed's first user (license Pro).
pub const ALICE: &str = "1ab2345c-67de-8901-f23g-45h678901j2k";
/// The seed's second user (license Basic).
pub const BOB: &str = "2bc3456d-78ef-9012-g34h-56i789012k3l";
/// The access key the started processes accept.
pub const KEY: (&str, &str) = ("AKIDLOCAL", "local-secret");

/// A chime-local process and the endpoint from its first line of output.
pub struct Running {
    pub child: Child,
    pub url: String,
}

/// The binary with no credentials from the environment.
pub fn chime_local(args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_chime-local"));
    command.args(args).env_remove("AWS_ACCESS_KEY_ID").env_remove("AWS_SECRET_ACCESS_KEY");
    command
}

/// Starts the binary on a free port, accepting [`KEY`], and waits for its `listening` line.
pub fn start(args: &[&str]) -> Running {
    start_with_stderr(args, Stdio::null())
}

/// [`start`], its standard error going to `stderr` (piped, to read its request log).
pub fn start_with_stderr(args: &[&str], stderr: Stdio) -> Running {
    let credentials = format!("{}:{}", KEY.0, KEY.1);
    let mut child = chime_local(&["--listen", "127.0.0.1:0", "--credentials", &credentials])
        .args(args)
        .stdout(Stdio::piped())
        .stderr(stderr)
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let url = line.trim().strip_prefix("listening on ").unwrap_or_else(|| panic!("first line: {line:?}")).to_owned();
    assert!(url.starts_with("http://127.0.0.1:"), "{url}");
    Running { child, url }
}

impl Running {
    /// A generated client signing with [`KEY`], without retries.
    pub fn client(&self) -> Client {
        let config = Config::new()
            .endpoint_url(&self.url)
            .region("us-east-1")
            .credentials(KEY.0, KEY.1, None)
            .retry(RetryConfig::disabled());
        Client::new(config).unwrap()
    }

    /// `host:port` of the endpoint.
    pub fn address(&self) -> &str {
        self.url.trim_start_matches("http://")
    }

    /// Whether the process is still running.
    pub fn is_alive(&mut self) -> bool {
        self.child.try_wait().unwrap().is_none()
    }

    /// Sends `signal` (as `kill` takes it, e.g. `-TERM`) and waits for the process to end.
    pub fn signal(mut self, signal: &str) -> std::process::ExitStatus {
        let pid = self.child.id().to_string();
        assert!(Command::new("kill").args([signal, &pid]).status().unwrap().success());
        self.child.wait().unwrap()
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        // A failed test must not leave a server behind.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
