//! The Smithy protocol compliance suite as Rust tests: every case, in the service's protocol,
//! of a service's `smithy.test#httpRequestTests`, `httpResponseTests`,
//! `httpMalformedRequestTests` and `eventStreamTests` becomes a `#[test]` in the generated
//! crate (`src/protocol_tests.rs`, compiled under `cfg(test)`), the way smithy-rs turns them
//! into tests of the crates it writes:
//!
//! - client request: the client writes the case's `params` as the expected request;
//! - client response: the client reads the case's response as the expected output or error;
//! - server request: the server reads the case's request into the expected input;
//! - server response: the server writes the expected output or error as the case's response;
//! - malformed request: the server answers each expansion of the case's `testParameters`
//!   with the case's status, headers and body;
//! - event stream (`eventStreamTests`): the client and the server each write and read the
//!   case's events and initial messages (see `events`).
//!
//! `appliesTo` limits a case to the client or the server. A body is sent as the case's text,
//! or decoded from base64 when the case's media type is CBOR (`case_body`). The checks
//! themselves live in the `smithy-protocol-test` crate.

mod cases;
mod events;
mod fake;
mod streams;
mod values;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use serde_json::Value;

use cases::{read, EventStreamCase, MalformedCase, RequestCase, ResponseCase};

use crate::emit::service::error_ident;
use crate::emit::wire::TypeMap;
use crate::problem::Sink;
use crate::service::ServiceView;
use crate::shape_id::ShapeId;
use crate::{naming, Files, GenerateOptions, Problems};

/// What a case checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum CaseKind {
    /// The client writes a request.
    ClientRequest,
    /// The client reads a response.
    ClientResponse,
    /// The server reads a request.
    ServerRequest,
    /// The server writes a response.
    ServerResponse,
    /// The server rejects a malformed request.
    Malformed,
    /// An event-stream case: each side it applies to writes and reads its events.
    EventStream,
}

impl CaseKind {
    /// Every kind, in report order.
    pub const ALL: [CaseKind; 6] = [
        Self::ClientRequest,
        Self::ClientResponse,
        Self::ServerRequest,
        Self::ServerResponse,
        Self::Malformed,
        Self::EventStream,
    ];

    /// The kind as written in reports and the known-gaps list: `client-request`.
    pub fn label(self) -> &'static str {
        match self {
            Self::ClientRequest => "client-request",
            Self::ClientResponse => "client-response",
            Self::ServerRequest => "server-request",
            Self::ServerResponse => "server-response",
            Self::Malformed => "malformed-request",
            Self::EventStream => "event-stream",
        }
    }
}

/// One case of the suite as a test.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Case {
    /// The case's `id`.
    pub id: String,
    /// What it checks.
    pub kind: CaseKind,
    /// The test function's name inside `protocol_tests` (`None` when skipped).
    pub test: Option<String>,
    /// Why it is not run, when it is not.
    pub skipped: Option<String>,
}

/// A generated crate with its protocol tests.
#[derive(Debug, Clone)]
pub struct Suite {
    /// The crate's files, `src/protocol_tests.rs` included.
    pub files: Files,
    /// Every case, in the order of the tests.
    pub cases: Vec<Case>,
}

/// Generates the crate for `options` and its protocol tests; `support_path` is the path of
/// the `smithy-protocol-test` crate, written into the crate's dev-dependencies.
///
/// Operations with event streams, which the generator refuses, are left out of the crate,
/// and every case of theirs is counted as skipped.
pub fn generate(model_json: &str, options: &GenerateOptions, support_path: &str) -> Result<Suite, Problems> {
    let mut sink = Sink::default();
    let Some(loaded) = crate::load::load(model_json, &mut sink) else {
        return sink.finish(Suite { files: Files::new(), cases: Vec::new() });
    };
    let model = crate::lower::lower(loaded, &mut sink);
    let mut options = options.clone();
    options.exclude_operations.extend(crate::refused_event_stream_operations(model_json, options.service.as_ref()));
    let mut files = crate::generate(model_json, &options)?;
    let Some(view) = crate::service::view(model, options.service.as_ref(), &options.exclude_operations, &mut sink)
    else {
        return sink.finish(Suite { files, cases: Vec::new() });
    };
    let names = naming::Names::new(&view, &mut sink);
    let types = TypeMap { view: &view, names: &names };
    let mut emitter = Emitter { types: &types, cases: Vec::new(), tests: Vec::new() };
    emitter.collect();
    for id in &options.exclude_operations {
        emitter.skip_every_case(id);
    }
    let tests = &emitter.tests;
    let fake = fake::fake_service(&types);
    let tokens = quote! {
        //! The protocol compliance suite's cases for this service, one test each.
        #![allow(unused_imports, clippy::all, missing_docs)]
        use ::smithy_protocol_test::{block_on, case_body, check_request, check_response, expand, request, response, ExpectedRequest, ExpectedResponse, Recorder};
        use ::smithy_protocol_test::events::{check_outcome, check_written, event_response, frames_body, read_stream, same_debug, Expectation, ExpectedMessage, Failure, Problems};
        #fake
        #(#tests)*
    };
    match crate::render::rust_file("src/protocol_tests.rs", tokens) {
        Ok(text) => {
            files.insert("src/protocol_tests.rs".to_owned(), text);
        }
        Err(message) => sink.report(None, "$", message),
    }
    if let Some(lib) = files.get_mut("src/lib.rs") {
        lib.push_str("#[cfg(test)]\nmod protocol_tests;\n");
    }
    if let Some(manifest) = files.get_mut("Cargo.toml") {
        manifest.push_str(&format!("\n[dev-dependencies]\nsmithy-protocol-test = {{ path = {support_path:?} }}\n"));
    }
    sink.finish(Suite { files, cases: emitter.cases })
}

struct Emitter<'a> {
    types: &'a TypeMap<'a>,
    cases: Vec<Case>,
    tests: Vec<TokenStream>,
}

/// A slice of string literals.
fn strs(items: &[String]) -> TokenStream {
    quote! { &[#(#items),*] }
}

/// A slice of string pairs.
fn pairs(items: &indexmap::IndexMap<String, String>) -> TokenStream {
    let keys = items.keys();
    let values = items.values();
    quote! { &[#((#keys, #values)),*] }
}

fn opt(value: &Option<String>) -> TokenStream {
    match value {
        Some(v) => quote! { ::std::option::Option::Some(#v) },
        None => quote! { ::std::option::Option::None },
    }
}

/// Whether a JSON value holds a float that is not equal to itself.
fn has_nan(value: &Value) -> bool {
    match value {
        Value::String(s) => s == "NaN",
        Value::Array(items) => items.iter().any(has_nan),
        Value::Object(entries) => entries.values().any(has_nan),
        _ => false,
    }
}

/// Compares `actual` with `expected`: by `==`, or by their debug text when a NaN makes `==`
/// useless.
fn compare(nan: bool) -> TokenStream {
    if nan {
        quote! { assert_eq!(::std::format!("{actual:?}"), ::std::format!("{expected:?}")); }
    } else {
        quote! { assert_eq!(actual, expected); }
    }
}

impl Emitter<'_> {
    fn collect(&mut self) {
        let view: &ServiceView = self.types.view;
        let protocol = self.protocol();
        for op in &view.operations {
            let shape = view.shape(&op.id);
            for case in read::<RequestCase>(&shape.traits.raw, "smithy.test#httpRequestTests") {
                let Some(case) = self.readable(case, CaseKind::ClientRequest) else { continue };
                if case.protocol != protocol {
                    continue;
                }
                if case.applies_to.as_deref() != Some("server") {
                    self.client_request(op, &case);
                }
                if case.applies_to.as_deref() != Some("client") {
                    self.server_request(op, &case);
                }
            }
            for case in read::<ResponseCase>(&shape.traits.raw, "smithy.test#httpResponseTests") {
                let Some(case) = self.readable(case, CaseKind::ClientResponse) else { continue };
                if case.protocol != protocol {
                    continue;
                }
                self.response_case(op, None, &case);
            }
            for case in read::<MalformedCase>(&shape.traits.raw, "smithy.test#httpMalformedRequestTests") {
                let Some(case) = self.readable(case, CaseKind::Malformed) else { continue };
                if case.protocol == protocol {
                    self.malformed(&case);
                }
            }
            for case in read::<EventStreamCase>(&shape.traits.raw, "smithy.test#eventStreamTests") {
                let Some(case) = self.readable(case, CaseKind::EventStream) else { continue };
                if case.protocol == protocol {
                    self.event_stream_case(op, &case);
                }
            }
        }
        for error in view.errors() {
            let shape = view.shape(error);
            // An error's cases run through the first operation that lists it.
            let Some(op) = view.operations.iter().find(|op| op.errors.contains(error)) else { continue };
            for case in read::<ResponseCase>(&shape.traits.raw, "smithy.test#httpResponseTests") {
                let Some(case) = self.readable(case, CaseKind::ClientResponse) else { continue };
                if case.protocol == protocol {
                    self.response_case(op, Some(error), &case);
                }
            }
        }
    }

    /// The case, or a failing test named by its id when it does not read.
    /// Counts every case of an operation left out of the crate as skipped.
    fn skip_every_case(&mut self, operation: &ShapeId) {
        let Some(shape) = self.types.view.model.get(operation) else { return };
        let (request, response) = (CaseKind::ClientRequest, CaseKind::ServerRequest);
        self.skip_cases(shape, "smithy.test#httpRequestTests", &[request, response]);
        self.skip_cases(shape, "smithy.test#httpResponseTests", &[CaseKind::ClientResponse, CaseKind::ServerResponse]);
        self.skip_cases(shape, "smithy.test#httpMalformedRequestTests", &[CaseKind::Malformed]);
        self.skip_cases(shape, "smithy.test#eventStreamTests", &[CaseKind::EventStream]);
    }

    /// The trait ID of the protocol whose cases run: the service's (none for a service
    /// without one, whose crate has no client or server to test).
    fn protocol(&self) -> &'static str {
        self.types.view.protocol.map_or("", crate::protocol::Protocol::trait_id)
    }

    /// Counts the protocol's cases of one test trait as skipped, once per kind: their
    /// operation is left out of the crate (an event stream in a protocol that has none yet).
    fn skip_cases(&mut self, shape: &crate::model::Shape, test_trait: &str, kinds: &[CaseKind]) {
        let Some(Value::Array(cases)) = shape.traits.raw.get(test_trait) else { return };
        for case in cases {
            if case.get("protocol").and_then(Value::as_str) != Some(self.protocol()) {
                continue;
            }
            let id = case.get("id").and_then(Value::as_str).unwrap_or_default();
            for kind in kinds {
                let skipped = Some("the operation is left out (event streams in this protocol)".to_owned());
                self.cases.push(Case { id: id.to_owned(), kind: *kind, test: None, skipped });
            }
        }
    }

    fn readable<T>(&mut self, case: Result<T, (String, String)>, kind: CaseKind) -> Option<T> {
        match case {
            Ok(case) => Some(case),
            Err((id, message)) => {
                self.push(&id, kind, Err(message));
                None
            }
        }
    }

    fn push(&mut self, id: &str, kind: CaseKind, body: Result<TokenStream, String>) {
        let mut name = format!("{}_{}", kind.label().replace('-', "_"), heck::ToSnakeCase::to_snake_case(id));
        while self.cases.iter().any(|c| c.test.as_deref() == Some(name.as_str())) {
            name.push('_');
        }
        let ident = format_ident!("{}", name);
        let body = body.unwrap_or_else(|message| {
            let message = format!("the case cannot be expressed: {message}");
            quote! { panic!(#message); }
        });
        self.tests.push(quote! {
            #[test]
            fn #ident() {
                #body
            }
        });
        self.cases.push(Case { id: id.to_owned(), kind, test: Some(name), skipped: None });
    }

    fn client_request(&mut self, op: &crate::service::OperationView, case: &RequestCase) {
        let body = values::structure(self.types, &op.input, &case.params).map(|input| {
            let method = self.types.names.method_ident(&op.id);
            let trait_ident = self.types.names.service_ident();
            let host = case.host.clone().unwrap_or_else(|| "example.com".to_owned());
            let expected = expected_request(case);
            quote! {
                use crate::service::*;
                let input = #input;
                let (client, recorder) = client(#host, response(200, &[], b"{}").unwrap());
                // Through the trait: on the client, `#method()` is the fluent call.
                let _ = block_on(<crate::client::Client as crate::service::#trait_ident>::#method(&client, input));
                let request = recorder.request().expect("the client sent no request");
                let expected = #expected;
                if let ::std::result::Result::Err(problems) = check_request(&request, &expected) {
                    panic!("{problems}");
                }
            }
        });
        self.push(&case.id, CaseKind::ClientRequest, body);
    }

    /// The headers a server-request case is sent with: the case's own, and for an RPC
    /// protocol the `X-Amz-Target` of the case's operation when the case gives none. Cases
    /// written for clients (and some for servers) leave the header out, and without it no
    /// awsJson server can tell which operation the request is for; the header's own routing
    /// is checked by the cases that give it.
    fn server_headers(
        &self,
        op: &crate::service::OperationView,
        case: &RequestCase,
    ) -> indexmap::IndexMap<String, String> {
        let mut headers = case.headers.clone();
        let has_target = headers.keys().any(|name| name.eq_ignore_ascii_case("x-amz-target"));
        if let (Some(crate::protocol::Route::Target(target)), false) = (self.types.view.route(op), has_target) {
            headers.insert("X-Amz-Target".to_owned(), target);
        }
        headers
    }

    fn server_request(&mut self, op: &crate::service::OperationView, case: &RequestCase) {
        let nan = has_nan(&case.params);
        let body = values::structure(self.types, &op.input, &case.params).map(|expected| {
            let input = self.types.names.type_ident(&op.input);
            let (method, uri, host) = (&case.method, &case.uri, opt(&case.host));
            let query = strs(&case.query_params);
            let headers = pairs(&self.server_headers(op, case));
            let request_body = case.body.clone().unwrap_or_default();
            let media_type = opt(&case.body_media_type);
            let compare = streams::compare(self.types, &op.input, nan);
            quote! {
                let fake = Fake::default();
                let body = case_body(#request_body, #media_type, #headers).unwrap();
                let request = request(#method, #uri, #host, #query, #headers, &body).unwrap();
                let response = serve(&fake, request);
                let captured = fake.input.lock().unwrap().take().unwrap_or_else(|| {
                    panic!("the server did not call the operation; it answered {} {}", response.status(), ::std::string::String::from_utf8_lossy(response.body()))
                });
                let actual = *captured.downcast::<crate::types::#input>().unwrap();
                let expected = #expected;
                #compare
            }
        });
        self.push(&case.id, CaseKind::ServerRequest, body);
    }

    fn response_case(&mut self, op: &crate::service::OperationView, error: Option<&ShapeId>, case: &ResponseCase) {
        let shape = error.unwrap_or(&op.output);
        let value = values::structure(self.types, shape, &case.params);
        let ident = self.types.names.type_ident(shape);
        let nan = has_nan(&case.params);
        if case.applies_to.as_deref() != Some("server") {
            let body = value.clone().map(|expected| {
                let output = self.types.names.type_ident(&op.output);
                let error_enum = error_ident(&op.id);
                let canned = canned_response(case);
                let compare = streams::compare(self.types, shape, nan);
                let read_response = streams::read_response(self.types, &op.output);
                // The canned response's status and request ID are not members.
                let forget = crate::emit::metadata::forget(&quote! { actual });
                let check = match error {
                    None => quote! {
                        let mut actual = result.unwrap();
                        #forget
                        #compare
                    },
                    Some(_) => quote! {
                        let mut actual = match result {
                            ::std::result::Result::Err(crate::error::#error_enum::#ident(actual)) => actual,
                            other => panic!("expected the {} error, got {other:?}", stringify!(#ident)),
                        };
                        #forget
                        #compare
                    },
                };
                quote! {
                    let canned = #canned;
                    let expected = #expected;
                    let result = #read_response(
                        canned,
                        crate::types::#output::from_response,
                        crate::error::#error_enum::from_response,
                    );
                    #check
                }
            });
            self.push(&case.id, CaseKind::ClientResponse, body);
        }
        if case.applies_to.as_deref() != Some("client") {
            let body = value.map(|value| {
                let expected = expected_response(case);
                let response = streams::written_response(self.types, shape);
                quote! {
                    let value = #value;
                    let response = #response;
                    let expected = #expected;
                    if let ::std::result::Result::Err(problems) = check_response(&response, &expected) {
                        panic!("{problems}");
                    }
                }
            });
            self.push(&case.id, CaseKind::ServerResponse, body);
        }
    }

    fn malformed(&mut self, case: &MalformedCase) {
        let names: Vec<&String> = case.test_parameters.keys().collect();
        let count = case.test_parameters.values().map(Vec::len).max().unwrap_or(0);
        let expansions: Vec<TokenStream> = if names.is_empty() {
            vec![quote! { &[] }]
        } else {
            (0..count)
                .map(|i| {
                    let values = case.test_parameters.values().map(|v| v.get(i).cloned().unwrap_or_default());
                    let names = names.iter();
                    quote! { &[#((#names, #values)),*] }
                })
                .collect()
        };
        let request = &case.request;
        let (method, uri, host) = (&request.method, &request.uri, opt(&request.host));
        let query = &request.query_params;
        let header_names = request.headers.keys();
        let header_values = request.headers.values();
        let body = request.body.clone().unwrap_or_default();
        let code = case.response.code;
        let response_names = case.response.headers.keys();
        let response_values = case.response.headers.values();
        let (expected_body, media_type, regex) = match &case.response.body {
            Some(b) => {
                (opt(&b.assertion.contents), opt(&Some(b.media_type.clone())), b.assertion.message_regex.clone())
            }
            None => (opt(&None), opt(&None), None),
        };
        let regex_check = regex.map(|regex| {
            let message = format!("the case asks for a message matching {regex}, which these tests cannot check");
            quote! { problems.push(#message.to_owned()); }
        });
        let body = quote! {
            let expansions: &[&[(&str, &str)]] = &[#(#expansions),*];
            let mut problems = ::std::vec::Vec::new();
            for parameters in expansions {
                let x = |text: &str| expand(text, parameters);
                let query: ::std::vec::Vec<::std::string::String> = [#(#query),*].iter().map(|q: &&str| x(q)).collect();
                let query: ::std::vec::Vec<&str> = query.iter().map(::std::string::String::as_str).collect();
                let headers: ::std::vec::Vec<(::std::string::String, ::std::string::String)> =
                    [#((#header_names, #header_values)),*].iter().map(|(n, v): &(&str, &str)| (x(n), x(v))).collect();
                let headers: ::std::vec::Vec<(&str, &str)> = headers.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
                let request = match request(#method, &x(#uri), #host, &query, &headers, x(#body).as_bytes()) {
                    ::std::result::Result::Ok(request) => request,
                    ::std::result::Result::Err(e) => { problems.push(::std::format!("{parameters:?}: {e}")); continue; }
                };
                let response = serve(&Fake::default(), request);
                let response_headers: ::std::vec::Vec<(::std::string::String, ::std::string::String)> =
                    [#((#response_names, #response_values)),*].iter().map(|(n, v): &(&str, &str)| (x(n), x(v))).collect();
                let response_headers: ::std::vec::Vec<(&str, &str)> = response_headers.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
                let expected_body: ::std::option::Option<::std::string::String> = #expected_body.map(|b: &str| x(b));
                let expected = ExpectedResponse {
                    code: #code,
                    headers: &response_headers,
                    body: expected_body.as_deref(),
                    body_media_type: #media_type,
                    ..ExpectedResponse::default()
                };
                if let ::std::result::Result::Err(p) = check_response(&response, &expected) {
                    problems.push(::std::format!("{parameters:?}:\n{p}"));
                }
                #regex_check
            }
            if !problems.is_empty() {
                panic!("{}", problems.join("\n"));
            }
        };
        self.push(&case.id, CaseKind::Malformed, Ok(body));
    }
}

fn expected_request(case: &RequestCase) -> TokenStream {
    let (method, uri) = (&case.method, &case.uri);
    let resolved_host = opt(&case.resolved_host);
    let query = strs(&case.query_params);
    let forbid_query = strs(&case.forbid_query_params);
    let require_query = strs(&case.require_query_params);
    let headers = pairs(&case.headers);
    let forbid_headers = strs(&case.forbid_headers);
    let require_headers = strs(&case.require_headers);
    let body = opt(&case.body);
    let media_type = opt(&case.body_media_type);
    quote! {
        ExpectedRequest {
            method: #method,
            uri: #uri,
            resolved_host: #resolved_host,
            query_params: #query,
            forbid_query_params: #forbid_query,
            require_query_params: #require_query,
            headers: #headers,
            forbid_headers: #forbid_headers,
            require_headers: #require_headers,
            body: #body,
            body_media_type: #media_type,
        }
    }
}

fn expected_response(case: &ResponseCase) -> TokenStream {
    let code = case.code;
    let headers = pairs(&case.headers);
    let forbid_headers = strs(&case.forbid_headers);
    let require_headers = strs(&case.require_headers);
    let body = opt(&case.body);
    let media_type = opt(&case.body_media_type);
    quote! {
        ExpectedResponse {
            code: #code,
            headers: #headers,
            forbid_headers: #forbid_headers,
            require_headers: #require_headers,
            body: #body,
            body_media_type: #media_type,
        }
    }
}

fn canned_response(case: &ResponseCase) -> TokenStream {
    let code = case.code;
    let headers = pairs(&case.headers);
    let body = case.body.clone().unwrap_or_default();
    let media_type = opt(&case.body_media_type);
    quote! { response(#code, #headers, &case_body(#body, #media_type, #headers).unwrap()).unwrap() }
}
