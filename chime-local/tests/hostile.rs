//! A hostile-request corpus against the chime-local binary over real TCP: truncated JSON, wrong
//! types, out-of-range numbers, deep nesting, 100 MB bodies, invalid UTF-8 in labels, headers
//! and body, duplicate keys, missing or wrong Content-Type, oversized batches, awkward labels,
//! unsigned, forged and stale signatures, and malformed HTTP. Each case must get its own 4xx
//! (never a 5xx, never a hang), the process must survive them all, and the data file must be
//! byte-identical afterwards: no hostile request changes the stored state.
#![allow(clippy::unwrap_used)]

mod common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, SystemTime};

use aws_credential_types::Credentials;
use aws_sigv4::http_request::{sign, SignableBody, SignableRequest, SigningSettings};
use aws_sigv4::sign::v4;
use aws_smithy_runtime_api::client::identity::Identity;
use common::{start, ACCOUNT, ALICE, BOB, KEY, SEED};

/// What a case must be answered with: the status and the `X-Amzn-Errortype` (empty for
/// requests refused by the HTTP layer before the service sees them).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Expect(u16, &'static str);

const MALFORMED: Expect = Expect(400, "SerializationException");
const INVALID: Expect = Expect(400, "BadRequestException");
const MEDIA_TYPE: Expect = Expect(415, "UnsupportedMediaTypeException");
const UNAUTHORIZED: Expect = Expect(401, "UnauthorizedClientException");
const FORBIDDEN: Expect = Expect(403, "ForbiddenException");
const NOT_FOUND: Expect = Expect(404, "NotFoundException");
const NO_ROUTE: Expect = Expect(404, "UnknownOperationException");
const WRONG_METHOD: Expect = Expect(405, "UnknownOperationException");
const TOO_LARGE: Expect = Expect(413, "RequestEntityTooLargeException");
const BAD_HTTP: Expect = Expect(400, "");

/// How a case's bytes go on the wire.
enum Send {
    /// All at once.
    Bytes(Vec<u8>),
    /// The head, then `length` bytes of body streamed while the answer is read.
    Stream { head: Vec<u8>, length: usize },
}

struct Case {
    name: String,
    send: Send,
    expect: Expect,
}

fn case(name: impl Into<String>, bytes: Vec<u8>, expect: Expect) -> Case {
    Case { name: name.into(), send: Send::Bytes(bytes), expect }
}

/// A request under construction; `sign` or `unsigned` turns it into bytes.
#[derive(Clone)]
struct Request {
    method: &'static str,
    target: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

const HOST: &str = "chime-local.test";

impl Request {
    fn post(target: impl Into<String>, body: impl Into<Vec<u8>>) -> Self {
        Self::new("POST", target, body).header("content-type", "application/json")
    }

    fn new(method: &'static str, target: impl Into<String>, body: impl Into<Vec<u8>>) -> Self {
        Request { method, target: target.into(), headers: vec![("host".into(), HOST.into())], body: body.into() }
    }

    fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.retain(|(n, _)| n != name);
        self.headers.push((name.into(), value.into()));
        self
    }

    fn without(mut self, name: &str) -> Self {
        self.headers.retain(|(n, _)| n != name);
        self
    }

    /// Signed now with the accepted key.
    fn sign(self) -> Vec<u8> {
        self.sign_as(KEY, SystemTime::now(), &[])
    }

    /// Signed with `key` at `time`; `extra` headers are added afterwards, unsigned, as bytes.
    fn sign_as(self, key: (&str, &str), time: SystemTime, extra: &[(&str, &[u8])]) -> Vec<u8> {
        let identity: Identity = Credentials::new(key.0, key.1, None, None, "hostile").into();
        let params = v4::SigningParams::builder()
            .identity(&identity)
            .region("us-east-1")
            .name("chime")
            .time(time)
            .settings(SigningSettings::default())
            .build()
            .unwrap()
            .into();
        let signable = SignableRequest::new(
            self.method,
            format!("http://{HOST}{}", self.target),
            self.headers.iter().map(|(n, v)| (n.as_str(), v.as_str())),
            SignableBody::Bytes(&self.body),
        )
        .unwrap();
        let (instructions, _) = sign(signable, &params).unwrap().into_parts();
        let (signed, _) = instructions.into_parts();
        let mut request = self.clone();
        for header in signed {
            request = request.header(header.name(), header.value());
        }
        request.bytes(extra)
    }

    fn unsigned(self) -> Vec<u8> {
        self.bytes(&[])
    }

    /// HTTP/1.1 with `Content-Length` and `Connection: close`.
    fn bytes(&self, extra: &[(&str, &[u8])]) -> Vec<u8> {
        let mut out = format!("{} {} HTTP/1.1\r\n", self.method, self.target).into_bytes();
        for (name, value) in &self.headers {
            out.extend_from_slice(format!("{name}: {value}\r\n").as_bytes());
        }
        for (name, value) in extra {
            out.extend_from_slice(format!("{name}: ").as_bytes());
            out.extend_from_slice(value);
            out.extend_from_slice(b"\r\n");
        }
        out.extend_from_slice(format!("content-length: {}\r\nconnection: close\r\n\r\n", self.body.len()).as_bytes());
        out.extend_from_slice(&self.body);
        out
    }
}

/// One operation: where it goes and a body that would change the seed's state if accepted,
/// so that a hostile variant wrongly accepted shows in the data file.
struct Operation {
    name: &'static str,
    target: String,
    body: String,
}

fn operations() -> Vec<Operation> {
    vec![
        Operation { name: "CreateAccount", target: "/accounts".into(), body: r#"{"Name":"Hostile"}"#.into() },
        Operation {
            name: "UpdateAccount",
            target: format!("/accounts/{ACCOUNT}"),
            body: r#"{"Name":"Hostile","DefaultLicense":"Basic"}"#.into(),
        },
        Operation {
            name: "UpdateUser",
            target: format!("/accounts/{ACCOUNT}/users/{ALICE}"),
            body: r#"{"LicenseType":"Basic","UserType":"SharedDevice","AlexaForBusinessMetadata":{"IsAlexaForBusinessEnabled":true}}"#.into(),
        },
        Operation {
            name: "BatchUpdateUser",
            target: format!("/accounts/{ACCOUNT}/users"),
            body: format!(r#"{{"UpdateUserRequestItems":[{{"UserId":"{ALICE}","LicenseType":"Basic"}}]}}"#),
        },
    ]
}

/// Where a value can go in each operation's body, as a template with `$` for the value, and
/// the JSON the slot takes (`"s"` string, `"b"` boolean, `"{}"` object, `"[]"` array).
fn slots() -> Vec<(&'static str, String, &'static str, &'static str)> {
    let account = format!("/accounts/{ACCOUNT}");
    let user = format!("/accounts/{ACCOUNT}/users/{ALICE}");
    let users = format!("/accounts/{ACCOUNT}/users");
    vec![
        ("CreateAccount Name", "/accounts".into(), r#"{"Name":$}"#, "s"),
        ("UpdateAccount Name", account.clone(), r#"{"Name":$}"#, "s"),
        ("UpdateAccount DefaultLicense", account, r#"{"Name":"Hostile","DefaultLicense":$}"#, "s"),
        ("UpdateUser LicenseType", user.clone(), r#"{"LicenseType":$}"#, "s"),
        ("UpdateUser UserType", user.clone(), r#"{"LicenseType":"Basic","UserType":$}"#, "s"),
        (
            "UpdateUser AlexaForBusinessMetadata",
            user.clone(),
            r#"{"LicenseType":"Basic","AlexaForBusinessMetadata":$}"#,
            "{}",
        ),
        (
            "UpdateUser IsAlexaForBusinessEnabled",
            user,
            r#"{"AlexaForBusinessMetadata":{"IsAlexaForBusinessEnabled":$}}"#,
            "b",
        ),
        ("BatchUpdateUser items", users.clone(), r#"{"UpdateUserRequestItems":$}"#, "[]"),
        ("BatchUpdateUser item", users.clone(), r#"{"UpdateUserRequestItems":[$]}"#, "{}"),
        ("BatchUpdateUser UserId", users, r#"{"UpdateUserRequestItems":[{"UserId":$,"LicenseType":"Basic"}]}"#, "s"),
    ]
}

fn corpus() -> Vec<Case> {
    let mut cases = Vec::new();
    let operations = operations();

    // Truncated JSON: every proper prefix of every operation's body.
    for op in &operations {
        for cut in 1..op.body.len() {
            let request = Request::post(&op.target, &op.body.as_bytes()[..cut]);
            cases.push(case(format!("{} body cut at {cut}", op.name), request.sign(), MALFORMED));
        }
    }

    // Wrong types and hostile numbers in every slot (none of Chime's members is a number).
    let values = [
        "5",
        "true",
        "false",
        "{}",
        "[]",
        "1e999",
        "-1e999",
        "1e-999",
        "123456789012345678901234567890",
        "-0",
        "0.5",
        "NaN",
        "Infinity",
        "-Infinity",
        "0x10",
        "01",
        "+1",
        ".5",
        "1.",
        "'single'",
    ];
    for (slot, target, template, kind) in slots() {
        let own_type = |value: &str| match kind {
            "b" => value == "true" || value == "false",
            other => value == other,
        };
        for value in values.into_iter().filter(|v| !own_type(v)) {
            let body = template.replace('$', value);
            cases.push(case(format!("{slot} = {value}"), Request::post(&target, body).sign(), MALFORMED));
        }
    }
    for body in ["[]", "\"Hostile\"", "5", "true", "null", "1e999", "[{\"Name\":\"Hostile\"}]"] {
        cases.push(case(format!("CreateAccount body {body}"), Request::post("/accounts", body).sign(), MALFORMED));
    }

    // Nesting 10,000 levels deep (and 100,000), in the body and in members, known or not.
    for depth in [10_000, 100_000] {
        for (kind, open, close) in [("arrays", "[", "]"), ("objects", "{\"a\":", "}")] {
            let deep = format!("{}1{}", open.repeat(depth), close.repeat(depth));
            for (slot, target, template, _) in slots() {
                let body = template.replace('$', &deep);
                cases.push(case(
                    format!("{slot} = {kind} nested {depth} deep"),
                    Request::post(&target, body).sign(),
                    MALFORMED,
                ));
            }
            cases.push(case(
                format!("body of {kind} nested {depth} deep"),
                Request::post("/accounts", deep.clone()).sign(),
                MALFORMED,
            ));
            let unknown = format!(r#"{{"Name":"Hostile","Unknown":{deep}}}"#);
            cases.push(case(
                format!("unknown member of {kind} nested {depth} deep"),
                Request::post("/accounts", unknown).sign(),
                MALFORMED,
            ));
        }
    }

    // 100 MB bodies: declared (refused before reading), and streamed chunk by chunk.
    const HUNDRED_MB: usize = 100 * 1024 * 1024;
    for op in &operations {
        let head = format!(
            "POST {} HTTP/1.1\r\nhost: {HOST}\r\ncontent-type: application/json\r\n\
             content-length: {HUNDRED_MB}\r\nconnection: close\r\n\r\n",
            op.target
        )
        .into_bytes();
        cases.push(Case {
            name: format!("{} declared 100 MB body", op.name),
            send: Send::Stream { head, length: HUNDRED_MB },
            expect: TOO_LARGE,
        });
    }
    let chunked = format!(
        "POST /accounts/{ACCOUNT} HTTP/1.1\r\nhost: {HOST}\r\ncontent-type: application/json\r\n\
         transfer-encoding: chunked\r\nconnection: close\r\n\r\n"
    );
    cases.push(Case {
        name: "chunked 100 MB body".into(),
        send: Send::Stream { head: chunked.into_bytes(), length: HUNDRED_MB },
        expect: TOO_LARGE,
    });

    // Invalid UTF-8: percent-encoded in labels, raw in the request line, headers and body.
    for bad in ["%FF", "%C3%28", "%C0%AF", "%ED%A0%80", "%F8%88%80%80%80", "a%80b"] {
        let targets = [
            format!("/accounts/{bad}"),
            format!("/accounts/{bad}/users"),
            format!("/accounts/{ACCOUNT}/users/{bad}"),
            format!("/accounts/{bad}/users/{ALICE}"),
        ];
        for target in targets {
            cases.push(case(format!("label {target}"), Request::post(&target, "{}").sign(), MALFORMED));
        }
    }
    for target in [b"/accounts/\xff".as_slice(), b"/accounts/\xc3\x28/users", b"/acc\x00ounts"] {
        let mut bytes = b"POST ".to_vec();
        bytes.extend_from_slice(target);
        bytes.extend_from_slice(format!(" HTTP/1.1\r\nhost: {HOST}\r\ncontent-length: 0\r\n\r\n").as_bytes());
        cases.push(case(format!("raw bytes in the request line {target:?}"), bytes, BAD_HTTP));
    }
    let create = Request::post("/accounts", r#"{"Name":"Hostile"}"#);
    let now = SystemTime::now();
    for (header, value, expect) in [
        ("content-type", b"application/json\xff".as_slice(), MEDIA_TYPE),
        ("content-type", b"\xc3\x28", MEDIA_TYPE),
        ("x-amz-date", b"2024\xff0501T120000Z", UNAUTHORIZED),
        ("authorization", b"AWS4-HMAC-SHA256 Credential=\xff", UNAUTHORIZED),
    ] {
        let request = create.clone().without(header).without("content-type");
        let request =
            if header == "content-type" { request } else { request.header("content-type", "application/json") };
        let bytes = if header == "x-amz-date" || header == "authorization" {
            // Replace the signature's own header with the broken one.
            let signed = String::from_utf8(request.sign()).unwrap();
            let kept: Vec<&str> = signed.split("\r\n").filter(|l| !l.starts_with(&format!("{header}:"))).collect();
            let mut bytes = kept.join("\r\n").into_bytes();
            let end = bytes.windows(4).position(|w| w == b"\r\n\r\n").unwrap() + 2;
            let mut line = format!("{header}: ").into_bytes();
            line.extend_from_slice(value);
            line.extend_from_slice(b"\r\n");
            bytes.splice(end..end, line);
            bytes
        } else {
            request.sign_as(KEY, now, &[(header, value)])
        };
        cases.push(case(format!("invalid UTF-8 in header {header}"), bytes, expect));
    }
    for (slot, target, template, _) in slots() {
        for bad in [b"\"\xff\"".as_slice(), b"\"\xc3\x28\"", b"\"\xed\xa0\x80\"", b"\"\\ud800\"", b"\xff"] {
            let (before, after) = template.split_once('$').unwrap();
            let body = [before.as_bytes(), bad, after.as_bytes()].concat();
            cases.push(case(format!("{slot} = invalid UTF-8 {bad:?}"), Request::post(&target, body).sign(), MALFORMED));
        }
    }

    // Duplicate JSON keys, at the top and inside nested structures.
    for (name, target, body) in [
        ("CreateAccount Name", "/accounts".to_owned(), r#"{"Name":"Hostile","Name":"Again"}"#.to_owned()),
        ("UpdateAccount Name", format!("/accounts/{ACCOUNT}"), r#"{"Name":"Hostile","Name":"Again"}"#.into()),
        (
            "UpdateAccount DefaultLicense",
            format!("/accounts/{ACCOUNT}"),
            r#"{"DefaultLicense":"Basic","DefaultLicense":"Plus"}"#.into(),
        ),
        (
            "UpdateUser LicenseType",
            format!("/accounts/{ACCOUNT}/users/{ALICE}"),
            r#"{"LicenseType":"Basic","LicenseType":"Plus"}"#.into(),
        ),
        (
            "UpdateUser metadata",
            format!("/accounts/{ACCOUNT}/users/{ALICE}"),
            r#"{"AlexaForBusinessMetadata":{"IsAlexaForBusinessEnabled":true,"IsAlexaForBusinessEnabled":false}}"#
                .into(),
        ),
        (
            "UpdateUser AlexaForBusinessMetadata twice",
            format!("/accounts/{ACCOUNT}/users/{ALICE}"),
            r#"{"AlexaForBusinessMetadata":{},"AlexaForBusinessMetadata":{"IsAlexaForBusinessEnabled":true}}"#.into(),
        ),
        (
            "BatchUpdateUser items",
            format!("/accounts/{ACCOUNT}/users"),
            format!(
                r#"{{"UpdateUserRequestItems":[],"UpdateUserRequestItems":[{{"UserId":"{ALICE}","LicenseType":"Basic"}}]}}"#
            ),
        ),
        (
            "BatchUpdateUser UserId",
            format!("/accounts/{ACCOUNT}/users"),
            format!(r#"{{"UpdateUserRequestItems":[{{"UserId":"{ALICE}","UserId":"{BOB}","LicenseType":"Basic"}}]}}"#),
        ),
    ] {
        cases.push(case(format!("duplicate key: {name}"), Request::post(&target, body).sign(), MALFORMED));
    }

    // Missing or wrong Content-Type on a body.
    let media_types = [
        None,
        Some(""),
        Some("text/plain"),
        Some("application/xml"),
        Some("application/x-www-form-urlencoded"),
        Some("application/hal+json"),
        Some("application/jsonx"),
        Some("json"),
        Some("multipart/form-data; boundary=x"),
        Some("application/x-amz-json-1.1"),
    ];
    for op in &operations {
        for media_type in media_types {
            let request = Request::post(&op.target, op.body.as_str()).without("content-type");
            let request = match media_type {
                Some(value) => request.header("content-type", value),
                None => request,
            };
            cases.push(case(format!("{} Content-Type {media_type:?}", op.name), request.sign(), MEDIA_TYPE));
        }
    }

    // Batches over the limit of 20 items.
    for count in [21, 22, 100, 1000] {
        let item = format!(r#"{{"UserId":"{ALICE}","LicenseType":"Basic"}}"#);
        let body = format!(r#"{{"UpdateUserRequestItems":[{}]}}"#, vec![item; count].join(","));
        let request = Request::post(format!("/accounts/{ACCOUNT}/users"), body);
        cases.push(case(format!("batch of {count} items"), request.sign(), INVALID));
    }

    // Constraint violations the typed input would otherwise carry to the handler.
    for (name, target, body) in [
        ("empty Name", "/accounts".to_owned(), r#"{"Name":""}"#.to_owned()),
        ("blank Name", "/accounts".into(), r#"{"Name":"   "}"#.into()),
        ("101-character Name", "/accounts".into(), format!(r#"{{"Name":"{}"}}"#, "x".repeat(101))),
        ("missing Name", "/accounts".into(), "{}".into()),
        ("null Name", "/accounts".into(), r#"{"Name":null}"#.into()),
        ("unknown license", format!("/accounts/{ACCOUNT}"), r#"{"DefaultLicense":"Gold"}"#.into()),
        ("unknown user type", format!("/accounts/{ACCOUNT}/users/{ALICE}"), r#"{"UserType":"Robot"}"#.into()),
        (
            "item without UserId",
            format!("/accounts/{ACCOUNT}/users"),
            r#"{"UpdateUserRequestItems":[{"LicenseType":"Basic"}]}"#.into(),
        ),
        ("missing items", format!("/accounts/{ACCOUNT}/users"), "{}".into()),
    ] {
        cases.push(case(format!("invalid: {name}"), Request::post(&target, body).sign(), INVALID));
    }

    // Labels with %2F, empty segments and other awkward spellings.
    for (target, expect) in [
        (format!("/accounts/{ACCOUNT}%2Fx"), NOT_FOUND),
        (format!("/accounts/{ACCOUNT}%2F"), NOT_FOUND),
        ("/accounts/%2F".to_owned(), NOT_FOUND),
        (format!("/accounts/{ACCOUNT}/users/{ALICE}%2F..%2F{BOB}"), NOT_FOUND),
        (format!("/accounts/..%2F{ACCOUNT}/users/{ALICE}"), NOT_FOUND),
        (format!("/accounts/{ACCOUNT}%00"), NOT_FOUND),
        ("/accounts/%20".to_owned(), INVALID),
        (format!("/accounts/{ACCOUNT}/users/%09"), INVALID),
        ("/accounts//users".to_owned(), NO_ROUTE),
        (format!("/accounts//users/{ALICE}"), NO_ROUTE),
        (format!("/accounts/{ACCOUNT}/users/"), NO_ROUTE),
        ("/accounts/".to_owned(), NO_ROUTE),
        (format!("//accounts/{ACCOUNT}"), NO_ROUTE),
        (format!("/accounts/{ACCOUNT}//users"), NO_ROUTE),
        (format!("/accounts/{ACCOUNT}/users/{ALICE}/extra"), NO_ROUTE),
        (format!("/accounts/../accounts/{ACCOUNT}"), NO_ROUTE),
        ("/".to_owned(), NO_ROUTE),
        ("/nothing/here".to_owned(), NO_ROUTE),
    ] {
        let request = Request::post(&target, r#"{"Name":"Hostile","LicenseType":"Basic"}"#);
        cases.push(case(format!("label {target}"), request.sign(), expect));
    }
    for method in ["GET", "PUT", "DELETE", "PATCH", "OPTIONS"] {
        for op in &operations {
            // GET on CreateAccount's and BatchUpdateUser's paths is ListAccounts and ListUsers.
            if method == "GET" && matches!(op.name, "CreateAccount" | "BatchUpdateUser") {
                continue;
            }
            let request = Request::new(method, &op.target, op.body.as_str()).header("content-type", "application/json");
            cases.push(case(format!("{method} {}", op.name), request.sign(), WRONG_METHOD));
        }
    }

    // Unsigned, forged and stale signatures.
    let sixteen_minutes = Duration::from_secs(16 * 60);
    for op in &operations {
        let request = || Request::post(&op.target, op.body.as_str());
        let name = op.name;
        cases.push(case(format!("{name} unsigned"), request().unsigned(), UNAUTHORIZED));
        let garbage = request().header("authorization", "AWS4-HMAC-SHA256 nonsense").unsigned();
        cases.push(case(format!("{name} garbage Authorization"), garbage, UNAUTHORIZED));
        let basic = request().header("authorization", "Basic QUtJRExPQ0FMOmxvY2FsLXNlY3JldA==").unsigned();
        cases.push(case(format!("{name} Basic auth"), basic, UNAUTHORIZED));
        cases.push(case(
            format!("{name} unknown key"),
            request().sign_as(("AKIDOTHER", KEY.1), now, &[]),
            UNAUTHORIZED,
        ));
        cases.push(case(format!("{name} wrong secret"), request().sign_as((KEY.0, "guess"), now, &[]), FORBIDDEN));
        let replayed = request().sign_as(KEY, now - sixteen_minutes, &[]);
        cases.push(case(format!("{name} signed 16 minutes ago (replayed)"), replayed, FORBIDDEN));
        let ahead = request().sign_as(KEY, now + sixteen_minutes, &[]);
        cases.push(case(format!("{name} signed 16 minutes ahead"), ahead, FORBIDDEN));
        let a_day_ago = request().sign_as(KEY, now - Duration::from_secs(86_400), &[]);
        cases.push(case(format!("{name} signed a day ago"), a_day_ago, FORBIDDEN));
        let signed = String::from_utf8(request().sign()).unwrap();
        let tampered = signed.replace("Hostile", "Hostilf").replace("Basic", "Basid");
        cases.push(case(format!("{name} body changed after signing"), tampered.into_bytes(), FORBIDDEN));
        let moved = signed.replacen(&op.target, &format!("{}?extra=1", op.target), 1);
        cases.push(case(format!("{name} query added after signing"), moved.into_bytes(), FORBIDDEN));
        let undated: String =
            signed.split("\r\n").filter(|l| !l.starts_with("x-amz-date:")).collect::<Vec<_>>().join("\r\n");
        cases.push(case(format!("{name} X-Amz-Date removed"), undated.into_bytes(), UNAUTHORIZED));
    }

    // HTTP the server's parser refuses before the service sees it.
    for (name, bytes) in [
        ("not HTTP", b"HELLO\r\n\r\n".to_vec()),
        ("HTTP/9.9", b"POST /accounts HTTP/9.9\r\nhost: x\r\n\r\n".to_vec()),
        ("header without a colon", b"POST /accounts HTTP/1.1\r\nhost x\r\n\r\n".to_vec()),
        ("non-numeric Content-Length", b"POST /accounts HTTP/1.1\r\nhost: x\r\ncontent-length: abc\r\n\r\n".to_vec()),
        ("negative Content-Length", b"POST /accounts HTTP/1.1\r\nhost: x\r\ncontent-length: -5\r\n\r\n".to_vec()),
        (
            "two Content-Lengths",
            b"POST /accounts HTTP/1.1\r\nhost: x\r\ncontent-length: 2\r\ncontent-length: 3\r\n\r\n{}".to_vec(),
        ),
        ("space in the target", b"POST /acc ounts HTTP/1.1\r\nhost: x\r\n\r\n".to_vec()),
    ] {
        cases.push(case(format!("HTTP: {name}"), bytes, BAD_HTTP));
    }
    let bad_chunk = b"POST /accounts HTTP/1.1\r\nhost: x\r\ntransfer-encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n";
    cases.push(case("HTTP: bad chunk size", bad_chunk.to_vec(), MALFORMED));
    let huge_header = Request::post("/accounts", "{}").header("x-huge", &"a".repeat(1 << 20)).unsigned();
    cases.push(case("HTTP: a 1 MB header", huge_header, Expect(431, "")));
    cases
}

/// The status line's code and the `X-Amzn-Errortype` of a raw HTTP response.
fn parse_response(response: &[u8]) -> Option<(u16, String)> {
    let head_end = response.windows(4).position(|w| w == b"\r\n\r\n")?;
    let head = String::from_utf8_lossy(&response[..head_end]);
    let mut lines = head.split("\r\n");
    let status = lines.next()?.split(' ').nth(1)?.parse().ok()?;
    let error_type = lines
        .filter_map(|line| line.split_once(':'))
        .find(|(name, _)| name.eq_ignore_ascii_case("x-amzn-errortype"))
        .map(|(_, value)| value.trim().to_owned())
        .unwrap_or_default();
    Some((status, error_type))
}

/// Sends one case on a fresh connection and reads the answer; a silence of 10 s is a hang.
fn send(address: &str, case: &Case) -> Result<(u16, String), String> {
    let mut stream = TcpStream::connect(address).map_err(|e| e.to_string())?;
    stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let writer = match &case.send {
        Send::Bytes(bytes) => {
            stream.write_all(bytes).map_err(|e| format!("write: {e}"))?;
            None
        }
        Send::Stream { head, length } => {
            stream.write_all(head).map_err(|e| format!("write: {e}"))?;
            let mut body = stream.try_clone().unwrap();
            let chunked = String::from_utf8_lossy(head).contains("chunked");
            let length = *length;
            // Streamed from another thread until the server stops reading or it is all sent.
            Some(std::thread::spawn(move || {
                let chunk = vec![b'['; 64 * 1024];
                let mut sent = 0;
                while sent < length {
                    let written = if chunked {
                        body.write_all(format!("{:x}\r\n", chunk.len()).as_bytes())
                            .and_then(|()| body.write_all(&chunk))
                            .and_then(|()| body.write_all(b"\r\n"))
                    } else {
                        body.write_all(&chunk)
                    };
                    if written.is_err() {
                        break;
                    }
                    sent += chunk.len();
                }
            }))
        }
    };
    let mut response = Vec::new();
    let mut buffer = [0; 8192];
    // Read until the head is complete and the server closes (every case asks it to).
    loop {
        match stream.read(&mut buffer) {
            Ok(0) => break,
            Ok(n) => response.extend_from_slice(&buffer[..n]),
            Err(e) if parse_response(&response).is_some() && e.kind() == std::io::ErrorKind::ConnectionReset => break,
            Err(e) => return Err(format!("read after {} bytes: {e}", response.len())),
        }
        if writer.is_some() && parse_response(&response).is_some() {
            break;
        }
    }
    let _ = stream.shutdown(std::net::Shutdown::Both);
    if let Some(writer) = writer {
        writer.join().unwrap();
    }
    parse_response(&response).ok_or_else(|| format!("no HTTP response: {:?}", String::from_utf8_lossy(&response)))
}

#[test]
fn every_hostile_request_gets_its_4xx_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("state.json");
    let mut server = start(&["--data", data.to_str().unwrap(), "--seed", SEED]);
    let before = std::fs::read(&data).unwrap();
    let cases = corpus();
    assert!(cases.len() >= 200, "only {} cases", cases.len());

    let mut failures = Vec::new();
    for case in &cases {
        match send(server.address(), case) {
            Ok((status, error_type)) if (status, error_type.as_str()) == (case.expect.0, case.expect.1) => {}
            Ok((status, error_type)) => {
                failures.push(format!("{}: got {status} {error_type:?}, expected {:?}", case.name, case.expect))
            }
            Err(error) => failures.push(format!("{}: {error}", case.name)),
        }
        assert!(server.is_alive(), "chime-local died on {}", case.name);
    }
    assert!(failures.is_empty(), "{} of {} cases failed:\n{}", failures.len(), cases.len(), failures.join("\n"));
    assert!(std::fs::read(&data).unwrap() == before, "a hostile request changed the stored state");

    // The control: each operation's intact body, signed, is accepted and does change the
    // state, so the corpus's variants were one mistake away from being accepted.
    for op in operations() {
        let (status, error_type) =
            send(server.address(), &case("", Request::post(&op.target, op.body).sign(), MALFORMED)).unwrap();
        assert!(status == 200 || status == 201, "{}: {status} {error_type}", op.name);
    }
    assert!(std::fs::read(&data).unwrap() != before, "the intact requests changed nothing");
    println!("hostile corpus: {} cases, each answered with its 4xx; state unchanged", cases.len());
}
