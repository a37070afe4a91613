//! Event-stream cases (`smithy.test#eventStreamTests`) as tests, one per case, running the
//! case on each side it applies to (`appliesTo`), through the generated client and server:
//!
//! - the client calls the operation with the case's initial request params and its `request`
//!   events as the input's stream, over a recording transport whose canned response is the
//!   case's initial response followed by the frames (`bytes`) of its `response` events. The
//!   request must match the initial request, and its body must be one message per `request`
//!   event, each with the event's typed headers and body. When the case describes the
//!   response (events, initial response or params, or a failure), what the client reads must
//!   meet the expectation: the output's members are the initial response params, and the
//!   stream yields the `response` events' params;
//! - the server, when the case has `request` events or an initial request, is sent the
//!   initial request (else the operation's `@http` method and path) with the `request`
//!   events' frames as its body; the input it calls the operation with must hold the initial
//!   request params, and its stream must yield the events' params, or fail as expected. When
//!   the case has `response` events or an initial response, the output built from the
//!   initial response params with those events as its stream is written as a response, which
//!   must match the initial response and hold one message per event.
//!
//! A failure expectation is met by a call that returns an error, a server that refuses the
//! request, a stream that ends with an error, or a modeled exception read from the stream
//! (the runtime delivers those as the union's variant, the stream's last item); an `errorId`
//! must name that exception or the operation's error. The checks are in
//! `smithy_protocol_test::events`.

use proc_macro2::TokenStream;
use quote::quote;
use serde_json::Value;

use super::cases::{initial, EventCase, EventStreamCase, Expectation, RequestCase, ResponseCase};
use super::{opt, pairs, strs, values, CaseKind, Emitter};
use crate::emit::service::error_ident;
use crate::emit::streaming::{is_event_stream, streaming_member};
use crate::emit::types::is_optional;
use crate::emit::wire::TypeMap;
use crate::model::{Kind, Member};
use crate::protocol::Route;
use crate::service::OperationView;
use crate::shape_id::ShapeId;

impl Emitter<'_> {
    /// The test of one event-stream case.
    pub(super) fn event_stream_case(&mut self, op: &OperationView, case: &EventStreamCase) {
        let body = Sides::new(self.types, op, case).and_then(|sides| sides.test());
        self.push(&case.id, CaseKind::EventStream, body);
    }
}

/// A case with what it runs through.
struct Sides<'a> {
    types: &'a TypeMap<'a>,
    op: &'a OperationView,
    case: &'a EventStreamCase,
    /// The events the client sends, in order.
    requests: Vec<&'a EventCase>,
    /// The events the server sends, in order.
    responses: Vec<&'a EventCase>,
    input_stream: Option<&'a Member>,
    output_stream: Option<&'a Member>,
}

/// The event-stream member of the structure `id`, if it has one.
fn event_member<'a>(types: &TypeMap<'a>, id: &ShapeId) -> Option<&'a Member> {
    let Kind::Structure(members) = &types.view.shape(id).kind else { return None };
    streaming_member(types, members).filter(|member| is_event_stream(types, &member.target))
}

impl<'a> Sides<'a> {
    fn new(types: &'a TypeMap<'a>, op: &'a OperationView, case: &'a EventStreamCase) -> Result<Self, String> {
        let of = |direction: &str| case.events.iter().filter(|e| e.direction == direction).collect::<Vec<_>>();
        let (requests, responses) = (of("request"), of("response"));
        if requests.len() + responses.len() != case.events.len() {
            return Err("an event's type is neither request nor response".to_owned());
        }
        let (input_stream, output_stream) = (event_member(types, &op.input), event_member(types, &op.output));
        let sides = Self { types, op, case, requests, responses, input_stream, output_stream };
        if sides.input_stream.is_none() && !sides.requests.is_empty() {
            return Err("the case has request events, but the operation's input has no event stream".to_owned());
        }
        if sides.output_stream.is_none() && !sides.responses.is_empty() {
            return Err("the case has response events, but the operation's output has no event stream".to_owned());
        }
        Ok(sides)
    }

    fn test(&self) -> Result<TokenStream, String> {
        let applies_to = self.case.applies_to.as_deref();
        let client = if applies_to == Some("server") { TokenStream::new() } else { self.client()? };
        let server = if applies_to == Some("client") { TokenStream::new() } else { self.server()? };
        let expectation = match self.error_id() {
            None if !self.fails() => quote! { Expectation::Success },
            None => quote! { Expectation::Failure { error_id: ::std::option::Option::None } },
            Some(id) => quote! { Expectation::Failure { error_id: ::std::option::Option::Some(#id) } },
        };
        Ok(quote! {
            let mut problems = Problems::default();
            #[allow(unused_variables)]
            let expectation = #expectation;
            #client
            #server
            problems.finish();
        })
    }

    fn fails(&self) -> bool {
        matches!(self.case.expectation, Some(Expectation::Failure(_)))
    }

    fn error_id(&self) -> Option<&str> {
        match &self.case.expectation {
            Some(Expectation::Failure(failure)) => failure.error_id.as_deref(),
            _ => None,
        }
    }

    fn client(&self) -> Result<TokenStream, String> {
        let (types, case) = (self.types, self.case);
        let params = case.initial_request_params.as_ref().unwrap_or(&Value::Null);
        let input = values::filled_structure(types, &self.op.input, params)?;
        let set_stream = match self.input_stream {
            Some(member) => set_stream(types, &quote! { input }, member, &self.values(&self.requests, member, true)?),
            None => TokenStream::new(),
        };
        let method = types.names.method_ident(&self.op.id);
        let trait_ident = types.names.service_ident();
        let canned = self.canned()?;
        let initial_request = match &case.initial_request {
            Some(document) => {
                let expected = super::expected_request(&initial::<RequestCase>(case, document)?);
                quote! { problems.check("client, the initial request", check_request(&request, &#expected)); }
            }
            None => TokenStream::new(),
        };
        let written = expected_messages(&self.requests);
        let reads = !self.responses.is_empty()
            || case.initial_response.is_some()
            || case.initial_response_params.is_some()
            || self.fails();
        let (result, read) =
            if reads { (quote! { result }, self.client_read()?) } else { (quote! { _ }, TokenStream::new()) };
        Ok(quote! {{
            #[allow(unused_mut)]
            let mut input = #input;
            #set_stream
            let (client, recorder) = client("example.com", #canned);
            let #result = block_on(<crate::client::Client as crate::service::#trait_ident>::#method(&client, input));
            match recorder.request() {
                ::std::option::Option::None => problems.check("client", ::std::result::Result::Err("the client sent no request".to_owned())),
                ::std::option::Option::Some(request) => {
                    #initial_request
                    problems.check("client, the request's events", check_written(request.body(), &[#(#written),*]));
                }
            }
            #read
        }})
    }

    /// What the client read, against the expectation (`result` is the call's).
    fn client_read(&self) -> Result<TokenStream, String> {
        let types = self.types;
        let (ty, expected) = self.expected(self.output_stream, &self.responses)?;
        let op_error = match self.op_error() {
            Some(variant) => {
                let error_enum = error_ident(&self.op.id);
                quote! { ::std::matches!(error, crate::error::#error_enum::#variant(_)) }
            }
            None => quote! { false },
        };
        let compare = match &self.case.initial_response_params {
            Some(params) => {
                let expected = values::filled_structure(types, &self.op.output, params)?;
                let forget = crate::emit::metadata::forget(&quote! { output });
                quote! {
                    let expected_output = #expected;
                    #forget
                    problems.check("client, the output", same_debug(&output, &expected_output));
                }
            }
            None => TokenStream::new(),
        };
        let read = self.read(self.output_stream, &quote! { output })?;
        Ok(quote! {
            let expected: ::std::vec::Vec<#ty> = ::std::vec![#(#expected),*];
            let (read, failure) = match result {
                ::std::result::Result::Err(error) => {
                    let expected_error = #op_error;
                    (::std::vec::Vec::new(), ::std::option::Option::Some(Failure { what: ::std::format!("the call failed: {error:?}"), expected_error }))
                }
                ::std::result::Result::Ok(output) => {
                    #[allow(unused_mut, unused_variables)]
                    let mut output = output;
                    #read
                    #compare
                    read
                }
            };
            problems.check("client, reading", check_outcome(&read, &expected, failure.as_ref(), expectation));
        })
    }

    /// The client's canned response: the initial response, then the response events' frames.
    fn canned(&self) -> Result<TokenStream, String> {
        let frames = frames(&self.responses)?;
        let (code, headers, body, media_type) = match &self.case.initial_response {
            Some(document) => {
                let response: ResponseCase = initial(self.case, document)?;
                (response.code, pairs(&response.headers), opt(&response.body), opt(&response.body_media_type))
            }
            None => (200, quote! { &[] }, opt(&None), opt(&None)),
        };
        Ok(quote! { event_response(#code, #headers, #body, #media_type, &[#(#frames),*]).unwrap() })
    }

    fn server(&self) -> Result<TokenStream, String> {
        let case = self.case;
        let reads =
            !self.requests.is_empty() || case.initial_request.is_some() || case.initial_request_params.is_some();
        let writes =
            !self.responses.is_empty() || case.initial_response.is_some() || case.initial_response_params.is_some();
        if !reads && self.fails() {
            return Err("the case expects a failure, but the server only writes here".to_owned());
        }
        let read = if reads { self.server_read()? } else { TokenStream::new() };
        let write = if writes { self.server_write()? } else { TokenStream::new() };
        Ok(quote! { #read #write })
    }

    /// The server is sent the initial request with the request events' frames.
    fn server_read(&self) -> Result<TokenStream, String> {
        let (types, case) = (self.types, self.case);
        let (method, uri, host, query, mut headers) = match &case.initial_request {
            Some(document) => {
                let request: RequestCase = initial(case, document)?;
                (request.method, request.uri, request.host, request.query_params, request.headers)
            }
            None => match types.view.route(self.op) {
                Some(Route::Http(http)) if http.uri.contains('{') => {
                    return Err("the operation's URI has labels, and the case gives no initial request".to_owned());
                }
                Some(Route::Http(http)) => {
                    let (path, query) = http.uri.split_once('?').unwrap_or((&http.uri, ""));
                    let query = query.split('&').filter(|q| !q.is_empty()).map(str::to_owned).collect();
                    (http.method.clone(), path.to_owned(), None, query, indexmap::IndexMap::new())
                }
                Some(Route::Target(target)) => {
                    let headers = indexmap::IndexMap::from([("X-Amz-Target".to_owned(), target)]);
                    ("POST".to_owned(), "/".to_owned(), None, Vec::new(), headers)
                }
                Some(Route::Path(path)) => ("POST".to_owned(), path, None, Vec::new(), indexmap::IndexMap::new()),
                None => return Err("the operation has no route to send the events to".to_owned()),
            },
        };
        let frames = frames(&self.requests)?;
        if !frames.is_empty() && !headers.keys().any(|name| name.eq_ignore_ascii_case("content-type")) {
            headers.insert("Content-Type".to_owned(), "application/vnd.amazon.eventstream".to_owned());
        }
        let (host, query, headers) = (opt(&host), strs(&query), pairs(&headers));
        let (ty, expected) = self.expected(self.input_stream, &self.requests)?;
        let input = types.names.type_ident(&self.op.input);
        let compare = match &case.initial_request_params {
            Some(params) => {
                let expected = values::filled_structure(types, &self.op.input, params)?;
                quote! {
                    let expected_input = #expected;
                    problems.check("server, the input", same_debug(&actual, &expected_input));
                }
            }
            None => TokenStream::new(),
        };
        let read = self.read(self.input_stream, &quote! { actual })?;
        Ok(quote! {{
            let fake = Fake::default();
            let body = frames_body(&[#(#frames),*]).unwrap();
            let request = request(#method, #uri, #host, #query, #headers, &body).unwrap();
            let response = serve(&fake, request);
            let expected: ::std::vec::Vec<#ty> = ::std::vec![#(#expected),*];
            let captured = fake.input.lock().unwrap().take();
            let (read, failure) = match captured {
                ::std::option::Option::None => {
                    let what = ::std::format!(
                        "the server answered {} without calling the operation: {}",
                        response.status(),
                        ::std::string::String::from_utf8_lossy(response.body()),
                    );
                    (::std::vec::Vec::new(), ::std::option::Option::Some(Failure { what, expected_error: false }))
                }
                ::std::option::Option::Some(captured) => {
                    #[allow(unused_mut)]
                    let mut actual = *captured.downcast::<crate::types::#input>().unwrap();
                    #read
                    #compare
                    read
                }
            };
            problems.check("server, reading", check_outcome(&read, &expected, failure.as_ref(), expectation));
        }})
    }

    /// The server writes the initial response params with the response events as the stream.
    fn server_write(&self) -> Result<TokenStream, String> {
        let (types, case) = (self.types, self.case);
        let params = case.initial_response_params.as_ref().unwrap_or(&Value::Null);
        let output = values::filled_structure(types, &self.op.output, params)?;
        let set_stream = match self.output_stream {
            Some(member) => set_stream(types, &quote! { value }, member, &self.values(&self.responses, member, true)?),
            None => TokenStream::new(),
        };
        let response = super::streams::written_response(types, &self.op.output);
        let initial_response = match &case.initial_response {
            Some(document) => {
                let expected = super::expected_response(&initial::<ResponseCase>(case, document)?);
                quote! { problems.check("server, the initial response", check_response(&response, &#expected)); }
            }
            None => TokenStream::new(),
        };
        let written = expected_messages(&self.responses);
        Ok(quote! {{
            #[allow(unused_mut)]
            let mut value = #output;
            #set_stream
            let response = #response;
            #initial_response
            problems.check("server, the response's events", check_written(response.body(), &[#(#written),*]));
        }})
    }

    /// Takes the stream out of `holder` (the rest is then compared) and reads it whole:
    /// `let read = (events, failure);`.
    fn read(&self, stream: Option<&Member>, holder: &TokenStream) -> Result<TokenStream, String> {
        let Some(member) = stream else {
            return Ok(quote! { let read = (::std::vec::Vec::new(), ::std::option::Option::None); });
        };
        let field = self.types.names.field_ident(&member.id);
        let unwrap = is_optional(member).then(|| quote! { .unwrap_or_default() });
        let union = self.types.names.type_ident(&member.target);
        let matcher = match self.exception(member)? {
            Some(variant) => {
                quote! { |event: &crate::types::#union| ::std::matches!(event, crate::types::#union::#variant(_)) }
            }
            None => quote! { |_: &crate::types::#union| false },
        };
        Ok(quote! {
            let stream = ::std::mem::take(&mut #holder.#field) #unwrap;
            let read = read_stream(stream, #matcher);
        })
    }

    /// The type of a stream's events and the events a side must read from it.
    fn expected(
        &self,
        stream: Option<&Member>,
        events: &[&EventCase],
    ) -> Result<(TokenStream, Vec<TokenStream>), String> {
        match stream {
            Some(member) => {
                let union = self.types.names.type_ident(&member.target);
                Ok((quote! { crate::types::#union }, self.values(events, member, false)?))
            }
            None => Ok((quote! { () }, Vec::new())),
        }
    }

    /// The events' values, of the stream `member`'s union; an event without params (an
    /// unmodeled one) cannot be written, and is not among those read.
    fn values(&self, events: &[&EventCase], member: &Member, writing: bool) -> Result<Vec<TokenStream>, String> {
        let mut values = Vec::new();
        for event in events {
            match &event.params {
                Some(params) => values.push(values::union(self.types, &member.target, params)?),
                None if writing => return Err("an event without params (unmodeled) cannot be written".to_owned()),
                None => {}
            }
        }
        Ok(values)
    }

    /// The variant of the stream `member`'s union that the case's `errorId` names; an
    /// `errorId` that names no error of the operation or its streams is an error.
    fn exception(&self, member: &Member) -> Result<Option<proc_macro2::Ident>, String> {
        let Some(id) = self.error_id() else { return Ok(None) };
        let Kind::Union(members) = &self.types.view.shape(&member.target).kind else { return Ok(None) };
        let found = members.values().find(|m| m.target.to_string() == id);
        // The other direction's stream may be the one that has it.
        let elsewhere = [self.input_stream, self.output_stream].into_iter().flatten().any(|stream| {
            let shape = self.types.view.shape(&stream.target);
            matches!(&shape.kind, Kind::Union(ms) if ms.values().any(|m| m.target.to_string() == id))
        });
        if found.is_none() && !elsewhere && self.op_error().is_none() {
            return Err(format!("errorId {id} names no error of the operation or of its event streams"));
        }
        Ok(found.map(|m| self.types.names.variant_ident(&m.id)))
    }

    /// The variant of the operation's error that the case's `errorId` names.
    fn op_error(&self) -> Option<proc_macro2::Ident> {
        let id = self.error_id()?;
        let error = self.op.errors.iter().find(|error| error.to_string() == id)?;
        Some(self.types.names.type_ident(error))
    }
}

/// `holder.stream = EventStream::from_events(values)`, in an `Option` when the member is one.
fn set_stream(types: &TypeMap<'_>, holder: &TokenStream, member: &Member, values: &[TokenStream]) -> TokenStream {
    let field = types.names.field_ident(&member.id);
    let mut stream = quote! { ::smithy_runtime::EventStream::from_events(::std::vec![#(#values),*]) };
    if is_optional(member) {
        stream = quote! { ::std::option::Option::Some(#stream) };
    }
    quote! { #holder.#field = #stream; }
}

/// The events' frames (`bytes`), which every event to be read must give.
fn frames(events: &[&EventCase]) -> Result<Vec<String>, String> {
    events
        .iter()
        .map(|event| event.bytes.clone().ok_or_else(|| "an event to be read has no bytes".to_owned()))
        .collect()
}

/// What each event's message must look like.
fn expected_messages(events: &[&EventCase]) -> Vec<TokenStream> {
    events
        .iter()
        .map(|event| {
            let headers = Value::Object(event.headers.clone()).to_string();
            let (forbid, require) = (strs(&event.forbid_headers), strs(&event.require_headers));
            let (body, media_type) = (opt(&event.body), opt(&event.body_media_type));
            quote! {
                ExpectedMessage {
                    headers: #headers,
                    forbid_headers: #forbid,
                    require_headers: #require,
                    body: #body,
                    body_media_type: #media_type,
                }
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use crate::protocol_tests::{generate, CaseKind};
    use crate::{GenerateOptions, ShapeId};

    const MODEL: &str = r#"{"smithy": "2.0", "shapes": {
        "ex#Svc": {"type": "service", "version": "1", "operations": [{"target": "ex#Chat"}],
            "traits": {"aws.protocols#restJson1": {}}},
        "ex#Chat": {"type": "operation", "input": {"target": "ex#ChatInput"}, "output": {"target": "ex#ChatOutput"},
            "traits": {"smithy.api#http": {"method": "POST", "uri": "/chat"}, "smithy.test#eventStreamTests": [
                {"id": "Tick", "protocol": "aws.protocols#restJson1", "events": [{"type": "request",
                    "params": {"tick": {"seq": 1}}, "headers": {"seq": {"integer": 1}}, "bytes": "AAAA"}]},
                {"id": "Oops", "protocol": "aws.protocols#restJson1", "appliesTo": "client", "events": [{"type": "response",
                    "params": {"oops": {}}, "bytes": "AAAA"}], "expectation": {"failure": {"errorId": "ex#Oops"}}},
                {"id": "Nowhere", "protocol": "aws.protocols#restJson1", "events": [{"type": "response",
                    "params": {"tick": {}}, "bytes": "AAAA"}], "expectation": {"failure": {"errorId": "ex#Missing"}}},
                {"id": "Other", "protocol": "aws.protocols#awsJson1_0", "events": []}
            ]}},
        "ex#ChatInput": {"type": "structure", "members": {
            "stream": {"target": "ex#Events", "traits": {"smithy.api#httpPayload": {}}}}},
        "ex#ChatOutput": {"type": "structure", "members": {
            "stream": {"target": "ex#Events", "traits": {"smithy.api#httpPayload": {}}}}},
        "ex#Events": {"type": "union", "traits": {"smithy.api#streaming": {}}, "members": {
            "tick": {"target": "ex#Tick"}, "oops": {"target": "ex#Oops"}}},
        "ex#Tick": {"type": "structure", "members": {
            "seq": {"target": "smithy.api#Integer", "traits": {"smithy.api#eventHeader": {}}}}},
        "ex#Oops": {"type": "structure", "members": {"message": {"target": "smithy.api#String"}},
            "traits": {"smithy.api#error": "client"}}
    }}"#;

    #[test]
    fn event_stream_cases_become_one_test_each() {
        let options = GenerateOptions {
            service: Some(ShapeId::parse("ex#Svc").unwrap()),
            crate_name: Some("protocol-svc".to_owned()),
            runtime_path: "/runtime".to_owned(),
            exclude_operations: Vec::new(),
        };
        let suite = generate(MODEL, &options, "/protocol-test").unwrap();
        let cases: Vec<(&str, CaseKind, Option<&str>)> =
            suite.cases.iter().map(|c| (c.id.as_str(), c.kind, c.test.as_deref())).collect();
        assert_eq!(
            cases,
            [
                ("Tick", CaseKind::EventStream, Some("event_stream_tick")),
                ("Oops", CaseKind::EventStream, Some("event_stream_oops")),
                ("Nowhere", CaseKind::EventStream, Some("event_stream_nowhere")),
            ]
        );
        let tests: String = suite.files["src/protocol_tests.rs"].split_whitespace().collect();
        let test = |name: &str| {
            let start = tests.find(&format!("fn{name}()")).unwrap();
            tests[start..].split("#[test]").next().unwrap().to_owned()
        };
        // Both sides of a case without appliesTo: the client writes the event, the server reads it.
        let tick = test("event_stream_tick");
        assert!(tick.contains(r#"problems.check("client,therequest'sevents",check_written("#), "{tick}");
        assert!(tick.contains(r#"frames_body(&["AAAA"])"#), "{tick}");
        assert!(tick.contains(r#"problems.check("server,reading",check_outcome("#), "{tick}");
        // A client-only failure of a modeled exception: the client reads it and nothing else runs.
        let oops = test("event_stream_oops");
        assert!(oops.contains(r#"error_id:::std::option::Option::Some("ex#Oops")"#), "{oops}");
        assert!(oops.contains("::std::matches!(event,crate::types::Events::Oops(_))"), "{oops}");
        assert!(!oops.contains("serve("), "{oops}");
        // An errorId that names no error cannot be expressed, and the test says so.
        let nowhere = test("event_stream_nowhere");
        assert!(nowhere.contains("errorIdex#Missingnamesnoerror"), "{nowhere}");
    }
}
