//! The binary's request log: a line on standard error per handled request, with the request ID
//! the client got in `x-amzn-requestid`, the operation, the access key that signed it and the
//! outcome; none with `--quiet`.
#![allow(clippy::unwrap_used)]

mod common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::Stdio;
use std::time::{Duration, SystemTime};

use aws_credential_types::Credentials;
use aws_sigv4::http_request::{sign, SignableBody, SignableRequest, SigningSettings};
use aws_sigv4::sign::v4;
use aws_smithy_runtime_api::client::identity::Identity;
use common::{start_with_stderr, Running, KEY};

/// `POST target` with a JSON `body`, signed now with [`KEY`]; the status and the request ID
/// of the answer.
fn post_signed(server: &Running, target: &str, body: &str) -> (u16, String) {
    let host = server.address();
    let headers = [("host", host), ("content-type", "application/json")];
    let identity: Identity = Credentials::new(KEY.0, KEY.1, None, None, "request-log").into();
    let params = v4::SigningParams::builder()
        .identity(&identity)
        .region("us-east-1")
        .name("chime")
        .time(SystemTime::now())
        .settings(SigningSettings::default())
        .build()
        .unwrap()
        .into();
    let url = format!("http://{host}{target}");
    let signable =
        SignableRequest::new("POST", url, headers.into_iter(), SignableBody::Bytes(body.as_bytes())).unwrap();
    let (instructions, _) = sign(signable, &params).unwrap().into_parts();
    let (signed, _) = instructions.into_parts();

    let mut request = format!("POST {target} HTTP/1.1\r\n");
    for (name, value) in headers {
        request.push_str(&format!("{name}: {value}\r\n"));
    }
    for header in signed {
        request.push_str(&format!("{}: {}\r\n", header.name(), header.value()));
    }
    request.push_str(&format!("content-length: {}\r\nconnection: close\r\n\r\n{body}", body.len()));

    let mut stream = TcpStream::connect(host).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    stream.write_all(request.as_bytes()).unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    let status = response.split(' ').nth(1).and_then(|code| code.parse().ok()).unwrap_or(0);
    let request_id = response
        .lines()
        .find_map(|line| {
            let (name, value) = line.split_once(':')?;
            name.eq_ignore_ascii_case("x-amzn-requestid").then(|| value.trim().to_owned())
        })
        .unwrap_or_else(|| panic!("no request ID in {response:?}"));
    (status, request_id)
}

/// Stops the server (SIGTERM) and returns what it wrote to standard error.
fn stop(mut server: Running) -> String {
    let mut stderr = server.child.stderr.take().unwrap();
    assert!(server.signal("-TERM").success());
    let mut text = String::new();
    stderr.read_to_string(&mut text).unwrap();
    text
}

#[test]
fn each_handled_request_is_one_line_with_its_request_id_and_access_key() {
    let server = start_with_stderr(&[], Stdio::piped());
    let (status, created) = post_signed(&server, "/accounts", r#"{"Name":"Logged"}"#);
    assert_eq!(status, 201);
    let (status, missing) = post_signed(&server, "/accounts/no-such-account", r#"{"Name":"x"}"#);
    assert_eq!(status, 404);
    let log = stop(server);

    let lines: Vec<&str> = log.lines().filter(|line| line.contains(" key=")).collect();
    assert_eq!(
        lines,
        [
            format!("chime-local: {created} CreateAccount key={} -> ok", KEY.0),
            format!("chime-local: {missing} UpdateAccount key={} -> NotFoundException", KEY.0),
        ],
        "{log}"
    );
}

#[test]
fn quiet_logs_no_request() {
    let server = start_with_stderr(&["--quiet"], Stdio::piped());
    let (status, created) = post_signed(&server, "/accounts", r#"{"Name":"Unlogged"}"#);
    assert_eq!(status, 201);
    let log = stop(server);
    assert!(!log.contains(&created) && !log.contains(" key="), "{log}");
    assert_eq!(log, "chime-local: stopped\n", "only the shutdown is reported");
}
