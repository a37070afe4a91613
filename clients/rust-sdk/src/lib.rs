//! What the SDK tests share: a local server process (chime-local or json-local) started on a
//! free port with one access key, and stopped with SIGTERM, which must end it cleanly.

use std::process::Stdio;

use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

/// A local server process and the endpoint it announced.
pub struct LocalServer {
    child: Child,
    /// `http://HOST:PORT`, from its `listening on ...` line.
    pub url: String,
}

impl LocalServer {
    /// Starts the binary that the environment variable `binary_env` names, with `args`, on
    /// a free port, accepting only `access_key_id:secret` (the test's own `AWS_*` variables
    /// are not passed on, so they cannot add a key).
    pub async fn start(binary_env: &str, args: &[&str], access_key_id: &str, secret: &str) -> Self {
        let binary = std::env::var(binary_env).unwrap_or_else(|_| panic!("set {binary_env} to the server binary"));
        let mut command = Command::new(binary);
        command
            .args(args)
            .args(["--listen", "127.0.0.1:0", "--credentials"])
            .arg(format!("{access_key_id}:{secret}"))
            .stdout(Stdio::piped())
            .kill_on_drop(true);
        for (key, _) in std::env::vars().filter(|(key, _)| key.starts_with("AWS_")) {
            command.env_remove(key);
        }
        let mut child = command.spawn().expect("the server starts");
        let stdout = child.stdout.take().expect("piped stdout");
        let line = BufReader::new(stdout).lines().next_line().await.expect("reads stdout").expect("a first line");
        let url = line.strip_prefix("listening on ").expect("the listening line").to_owned();
        LocalServer { child, url }
    }

    /// SIGTERM, then the exit status, which must be success (a clean shutdown).
    pub async fn stop(mut self) {
        let pid = self.child.id().expect("running");
        let status = std::process::Command::new("kill").args(["-TERM", &pid.to_string()]).status().expect("kill");
        assert!(status.success());
        let exit = self.child.wait().await.expect("exits");
        assert!(exit.success(), "the server exited with {exit}");
    }
}
