//! A bad model gets a located, readable error for every problem, never a panic.

#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

use codegen::{generate, GenerateOptions};

fn options() -> GenerateOptions {
    GenerateOptions {
        service: None,
        crate_name: None,
        runtime_path: "../runtime".into(),
        exclude_operations: Vec::new(),
    }
}

/// Generates `model` and returns the problem report, failing if generation succeeded.
fn problems(model: &str) -> String {
    match generate(model, &options()) {
        Ok(_) => panic!("the model should have been rejected"),
        Err(problems) => problems.to_string(),
    }
}

/// A one-service model with the given extra shapes, reaching `ex#Thing` from an operation.
fn model_with(shapes: &str) -> String {
    format!(
        r#"{{"smithy": "2.0", "shapes": {{
            "ex#Svc": {{"type": "service", "version": "1", "operations": [{{"target": "ex#Op"}}]}},
            "ex#Op": {{"type": "operation", "input": {{"target": "ex#Thing"}}}},
            {shapes}
        }}}}"#
    )
}

#[test]
fn malformed_json_gives_line_and_column() {
    let report = problems("{\"smithy\": \"2.0\", \"shapes\": {");
    assert!(report.contains("the file is not valid JSON"), "{report}");
    assert!(report.contains("line 1 column"), "{report}");
}

#[test]
fn json_that_is_not_a_model_is_named_as_such() {
    let report = problems(r#"{"openapi": "3.0.0"}"#);
    assert!(report.contains("not a Smithy JSON AST model"), "{report}");
    let report = problems("[1, 2]");
    assert!(report.contains("not a Smithy JSON AST model"), "{report}");
}

#[test]
fn unsupported_version_is_reported() {
    let report = problems(r#"{"smithy": "3.0", "shapes": {}}"#);
    assert!(report.contains("unsupported Smithy version `3.0`"), "{report}");
    assert!(report.contains("(at $.smithy)"), "{report}");
}

#[test]
fn dangling_target_names_member_and_path() {
    let report = problems(&model_with(
        r#""ex#Thing": {"type": "structure", "members": {"PrimaryEmail": {"target": "ex#Email"}}}"#,
    ));
    assert!(
        report.contains(
            "ex#Thing$PrimaryEmail: target ex#Email does not exist (at $.shapes[\"ex#Thing\"].members.PrimaryEmail.target)"
        ),
        "{report}"
    );
}

#[test]
fn unknown_shape_type_is_reported() {
    let report = problems(&model_with(r#""ex#Thing": {"type": "strukture", "members": {}}"#));
    assert!(report.contains("ex#Thing: unknown shape type `strukture` (at $.shapes[\"ex#Thing\"].type)"), "{report}");
}

#[test]
fn trait_value_of_the_wrong_type_is_reported_at_the_trait() {
    let report = problems(&model_with(
        r#""ex#Thing": {"type": "structure", "members": {
            "Name": {"target": "smithy.api#String", "traits": {"smithy.api#length": {"min": "one"}}}
        }}"#,
    ));
    assert!(report.contains("ex#Thing$Name: trait smithy.api#length has a malformed value"), "{report}");
    assert!(report.contains(r#"members.Name.traits["smithy.api#length"].min"#), "{report}");
}

#[test]
fn annotation_trait_with_a_scalar_is_reported() {
    let report = problems(&model_with(
        r#""ex#Thing": {"type": "structure", "members": {
            "Name": {"target": "smithy.api#String", "traits": {"smithy.api#required": true}}
        }}"#,
    ));
    assert!(report.contains("trait smithy.api#required is an annotation"), "{report}");
}

#[test]
fn duplicate_member_is_reported() {
    let report = problems(&model_with(
        r#""ex#Thing": {"type": "structure", "members": {
            "Name": {"target": "smithy.api#String"},
            "Name": {"target": "smithy.api#Integer"}
        }}"#,
    ));
    assert!(report.contains("`Name` is defined more than once"), "{report}");
    assert!(report.contains("(at $.shapes[\"ex#Thing\"].members)"), "{report}");
}

#[test]
fn two_members_with_the_same_rust_name_are_reported() {
    let report = problems(&model_with(
        r#""ex#Thing": {"type": "structure", "members": {
            "fooBar": {"target": "smithy.api#String"},
            "FooBar": {"target": "smithy.api#String"}
        }}"#,
    ));
    assert!(report.contains("members `fooBar` and `FooBar` both become the Rust name `foo_bar`"), "{report}");
}

#[test]
fn two_shapes_with_the_same_rust_name_are_reported() {
    let report = problems(&model_with(
        r#""ex#Thing": {"type": "structure", "members": {
            "A": {"target": "ex#user_name"}, "B": {"target": "ex#UserName"}
        }},
        "ex#user_name": {"type": "structure", "members": {}},
        "ex#UserName": {"type": "structure", "members": {}}"#,
    ));
    assert!(report.contains("its Rust type name `UserName` is already used by"), "{report}");
}

#[test]
fn wrong_shape_types_in_references_are_reported() {
    let report = problems(
        r#"{"smithy": "2.0", "shapes": {
            "ex#Svc": {"type": "service", "operations": [{"target": "ex#NotAnOp"}]},
            "ex#NotAnOp": {"type": "string"},
            "ex#Op": {"type": "operation", "input": {"target": "ex#NotAnOp"}, "errors": [{"target": "ex#Plain"}]},
            "ex#Plain": {"type": "structure", "members": {"Op": {"target": "ex#Op"}}}
        }}"#,
    );
    assert!(report.contains("ex#Svc: ex#NotAnOp is a simple shape, not an operation"), "{report}");
    assert!(report.contains("ex#Op: input ex#NotAnOp is a simple shape, not a structure"), "{report}");
    assert!(report.contains("ex#Plain is listed as an error but is not a structure with @error"), "{report}");
    assert!(
        report.contains("ex#Plain$Op: target ex#Op is an operation; a member must target a data shape"),
        "{report}"
    );
}

#[test]
fn every_problem_is_reported_at_once() {
    let report = problems(&model_with(
        r#""ex#Thing": {"type": "structure", "members": {
            "A": {"target": "ex#Missing1"},
            "B": {"target": "ex#Missing2"}
        }},
        "ex#Other": {"type": "list"},
        "ex#Bad": {"type": "integer", "traits": {"smithy.api#range": {"min": "x"}}}"#,
    ));
    assert!(report.starts_with("the model has 4 problems:"), "{report}");
    for needle in ["ex#Missing1", "ex#Missing2", "a list needs a `member` member", "smithy.api#range"] {
        assert!(report.contains(needle), "missing {needle}: {report}");
    }
}

#[test]
fn malformed_shape_ids_are_reported() {
    let report = problems(&model_with(
        r#""ex#Thing": {"type": "structure", "members": {"A": {"target": "NoNamespace"}}},
        "bad id": {"type": "string"}"#,
    ));
    assert!(report.contains("`NoNamespace` is not an absolute shape ID"), "{report}");
    assert!(report.contains("`bad id` is not an absolute shape ID"), "{report}");
}

#[test]
fn a_model_without_a_service_or_with_several_is_explained() {
    let report = problems(r#"{"smithy": "2.0", "shapes": {"ex#A": {"type": "string"}}}"#);
    assert!(report.contains("the model defines no service shape"), "{report}");
    let report = problems(r#"{"smithy": "2.0", "shapes": {"ex#A": {"type": "service"}, "ex#B": {"type": "service"}}}"#);
    assert!(report.contains("the model defines 2 services (ex#A, ex#B); choose one with --service"), "{report}");
}

#[test]
fn mixin_problems_are_reported() {
    let report = problems(&model_with(
        r#""ex#Thing": {"type": "structure", "mixins": [{"target": "ex#NotMixin"}, {"target": "ex#Nowhere"}], "members": {}},
        "ex#NotMixin": {"type": "structure", "members": {}},
        "ex#Loop1": {"type": "structure", "mixins": [{"target": "ex#Loop2"}], "traits": {"smithy.api#mixin": {}}, "members": {}},
        "ex#Loop2": {"type": "structure", "mixins": [{"target": "ex#Loop1"}], "traits": {"smithy.api#mixin": {}}, "members": {}}"#,
    ));
    assert!(report.contains("ex#NotMixin is used as a mixin but has no @mixin trait"), "{report}");
    assert!(report.contains("mixin ex#Nowhere does not exist"), "{report}");
    assert!(report.contains("mixins form a cycle"), "{report}");
}

#[test]
fn apply_to_a_missing_shape_is_reported() {
    let report = problems(&model_with(
        r#""ex#Thing": {"type": "structure", "members": {}},
        "ex#Ghost": {"type": "apply", "traits": {"smithy.api#documentation": "boo"}},
        "ex#Thing$Ghost": {"type": "apply", "traits": {"smithy.api#documentation": "boo"}}"#,
    ));
    assert!(report.contains("apply targets ex#Ghost, which does not exist"), "{report}");
    assert!(report.contains("apply targets member `Ghost`, which ex#Thing does not have"), "{report}");
}

#[test]
fn a_default_that_does_not_fit_its_type_is_reported() {
    let report = problems(&model_with(
        r#""ex#Thing": {"type": "structure", "members": {
            "Count": {"target": "smithy.api#Integer", "traits": {"smithy.api#default": "ten"}}
        }}"#,
    ));
    assert!(report.contains("ex#Thing$Count: default value \"ten\" does not fit an integer"), "{report}");
}

#[test]
fn defining_prelude_shapes_is_reported() {
    let report = problems(&model_with(
        r#""ex#Thing": {"type": "structure", "members": {}},
        "smithy.api#String": {"type": "string"}"#,
    ));
    assert!(report.contains("the smithy.api namespace belongs to the prelude"), "{report}");
}

/// Whatever the bytes, the generator answers with problems or files, never a panic.
#[test]
fn truncations_of_a_real_model_never_panic() {
    let model = include_str!("../../model/chime.json");
    for end in (0..model.len()).step_by(97) {
        if model.is_char_boundary(end) {
            let _ = generate(&model[..end], &options());
        }
    }
    assert!(generate(model, &options()).is_ok());
}

#[test]
fn a_shape_that_cannot_be_read_is_reported_once() {
    let report = problems(&model_with(
        r#""ex#Thing": {"type": "structure", "members": {"Size": {"target": "ex#Size"}}},
        "ex#Size": {"type": "integer", "members": 3}"#,
    ));
    assert!(report.starts_with("the model has 1 problem:"), "{report}");
    assert!(report.contains("ex#Size: malformed shape: unknown field `members`"), "{report}");
}

#[test]
fn enum_values_must_be_unique() {
    let report = problems(&model_with(
        r#""ex#Thing": {"type": "structure", "members": {"Color": {"target": "ex#Color"}}},
        "ex#Color": {"type": "enum", "members": {
            "RED": {"target": "smithy.api#Unit", "traits": {"smithy.api#enumValue": "red"}},
            "CRIMSON": {"target": "smithy.api#Unit", "traits": {"smithy.api#enumValue": "red"}}
        }}"#,
    ));
    assert!(report.contains("members `RED` and `CRIMSON` of ex#Color have the same value `red`"), "{report}");
}

#[test]
fn a_list_that_contains_itself_is_reported_not_a_stack_overflow() {
    let report = problems(&model_with(
        r#""ex#Thing": {"type": "structure", "members": {"L": {"target": "ex#L"}, "M": {"target": "ex#M"}}},
        "ex#L": {"type": "list", "member": {"target": "ex#L"}},
        "ex#M": {"type": "map", "key": {"target": "smithy.api#String"}, "value": {"target": "ex#M"}}"#,
    ));
    assert!(report.contains("ex#L: a list contains itself with no structure or union in between"), "{report}");
    assert!(report.contains("ex#M: a map contains itself with no structure or union in between"), "{report}");
}

#[test]
fn lists_nested_absurdly_deep_are_reported() {
    let mut shapes = vec![r#""ex#Thing": {"type": "structure", "members": {"L": {"target": "ex#L0"}}}"#.to_owned()];
    for i in 0..5000 {
        shapes.push(format!(r#""ex#L{i}": {{"type": "list", "member": {{"target": "ex#L{}"}}}}"#, i + 1));
    }
    shapes.push(r#""ex#L5000": {"type": "string"}"#.to_owned());
    let report = problems(&model_with(&shapes.join(",")));
    assert!(report.contains("lists and maps nest more than 64 levels deep here"), "{}", &report[..300]);
}

#[test]
fn a_member_id_is_not_a_target() {
    let report = problems(&model_with(
        r#""ex#Thing": {"type": "structure", "members": {"A": {"target": "ex#Thing$B"}, "B": {"target": "smithy.api#String"}}}"#,
    ));
    assert!(report.contains("target ex#Thing$B is a member ID; a member must target a shape"), "{report}");
}

#[test]
fn operations_sharing_a_name_across_namespaces_are_reported() {
    let report = problems(
        r#"{"smithy": "2.0", "shapes": {
            "ex#Svc": {"type": "service", "operations": [{"target": "ex#Op"}, {"target": "other#Op"}]},
            "ex#Op": {"type": "operation"},
            "other#Op": {"type": "operation"}
        }}"#,
    );
    assert!(report.contains("another operation of the service is also named Op"), "{report}");
}

#[test]
fn empty_enums_and_unions_and_reversed_bounds_are_reported() {
    let report = problems(&model_with(
        r#""ex#Thing": {"type": "structure", "members": {
            "E": {"target": "ex#E"}, "U": {"target": "ex#U"},
            "S": {"target": "smithy.api#String", "traits": {"smithy.api#length": {"min": 5, "max": 1}}},
            "N": {"target": "smithy.api#Integer", "traits": {"smithy.api#range": {"min": 5, "max": 1}}}
        }},
        "ex#E": {"type": "enum", "members": {}},
        "ex#U": {"type": "union", "members": {}}"#,
    ));
    assert!(report.contains("ex#E: an enum must have at least one member"), "{report}");
    assert!(report.contains("ex#U: a union must have at least one member"), "{report}");
    assert!(report.contains("@length has min 5 above max 1"), "{report}");
    assert!(report.contains("@range has min 5 above max 1"), "{report}");
}

#[test]
fn two_members_with_one_json_name_are_reported() {
    let report = problems(&model_with(
        r#""ex#Thing": {"type": "structure", "members": {
            "b": {"target": "smithy.api#String"},
            "c": {"target": "smithy.api#String", "traits": {"smithy.api#jsonName": "b"}}
        }}"#,
    ));
    assert!(report.contains("members `b` and `c` both have the JSON name `b`"), "{report}");
}

#[test]
fn a_service_of_another_protocol_is_refused() {
    let report = problems(
        r#"{"smithy": "2.0", "shapes": {"ex#Svc": {"type": "service", "traits": {"aws.protocols#restXml": {}}}}}"#,
    );
    assert!(
        report.contains(
            "the service speaks aws.protocols#restXml; this generator writes restJson1, awsJson1_0, awsJson1_1, rpcv2Cbor only"
        ),
        "{report}"
    );
}

#[test]
fn a_shape_defined_twice_is_located_and_the_rest_still_checked() {
    let report = problems(&model_with(
        r#""ex#Thing": {"type": "structure", "members": {"A": {"target": "ex#Nope"}}},
        "ex#Thing": {"type": "structure", "members": {}}"#,
    ));
    assert!(report.contains("ex#Thing: the shape is defined more than once (at $.shapes[\"ex#Thing\"])"), "{report}");
    assert!(report.contains("target ex#Nope does not exist"), "{report}");
}

#[test]
fn a_missing_service_operation_is_located_at_its_index() {
    let report = problems(
        r#"{"smithy": "2.0", "shapes": {"ex#Svc": {"type": "service", "operations": [{"target": "ex#Gone"}]}}}"#,
    );
    assert!(report.contains("(at $.shapes[\"ex#Svc\"].operations[0].target)"), "{report}");
}

#[test]
fn a_problem_inherited_through_a_mixin_is_reported_once() {
    let report = problems(&model_with(
        r#""ex#Thing": {"type": "structure", "mixins": [{"target": "ex#M"}], "members": {}},
        "ex#Other": {"type": "structure", "mixins": [{"target": "ex#M"}], "members": {}},
        "ex#M": {"type": "structure", "traits": {"smithy.api#mixin": {}}, "members": {
            "a": {"target": "smithy.api#String", "traits": {"smithy.api#length": {"min": "x"}}}
        }}"#,
    ));
    assert!(report.starts_with("the model has 1 problem:"), "{report}");
}

#[test]
fn a_pattern_regress_cannot_compile_is_a_located_problem() {
    let report = problems(&model_with(
        r#""ex#Thing": {"type": "structure", "members": {
            "A": {"target": "smithy.api#String", "traits": {"smithy.api#pattern": "([a-z"}}
        }}"#,
    ));
    assert!(report.contains("ex#Thing$A: @pattern `([a-z` is not a valid ECMA-262 regular expression"), "{report}");
    assert!(report.contains(r#"(at $.shapes["ex#Thing"].members.A.traits["smithy.api#pattern"])"#), "{report}");
}

/// A restJson1 service with one operation whose `@http` trait and input are given.
fn rest_json_with(http: &str, members: &str) -> String {
    format!(
        r#"{{"smithy": "2.0", "shapes": {{
            "ex#Svc": {{"type": "service", "version": "1", "operations": [{{"target": "ex#Op"}}],
                       "traits": {{"aws.protocols#restJson1": {{}}}}}},
            "ex#Op": {{"type": "operation", "input": {{"target": "ex#OpInput"}}, "traits": {{{http}}}}},
            "ex#OpInput": {{"type": "structure", "members": {{{members}}}}}
        }}}}"#
    )
}

#[test]
fn rest_json_operations_need_http_and_matching_labels() {
    let report = problems(&rest_json_with("", ""));
    assert!(report.contains("ex#Op: restJson1 needs an @http trait on every operation"), "{report}");

    let http = r#""smithy.api#http": {"method": "GET", "uri": "/things/{Id}"}"#;
    let member =
        r#""Name": {"target": "smithy.api#String", "traits": {"smithy.api#required": {}, "smithy.api#httpLabel": {}}}"#;
    let report = problems(&rest_json_with(http, member));
    assert!(
        report.contains("ex#OpInput$Name: is an @httpLabel, but the @http uri `/things/{Id}` has no label {Name}"),
        "{report}"
    );
    assert!(report.contains("(at $.shapes[\"ex#OpInput\"].members.Name)"), "{report}");
    assert!(
        report.contains("the @http uri `/things/{Id}` has label {Id}, but no input member is that @httpLabel"),
        "{report}"
    );

    let http = r#""smithy.api#http": {"method": "GET", "uri": "/"}, "smithy.api#endpoint": {"hostPrefix": "{Host}."}"#;
    let report = problems(&rest_json_with(http, ""));
    assert!(report.contains("hostPrefix has label {Host}, but no input member is that @hostLabel"), "{report}");
}

/// A restJson1 service with one plain operation and two with event streams.
/// Event streams in rpcv2Cbor, which the generator does not write yet either way.
const EVENT_STREAMS: &str = r#"{"smithy": "2.0", "shapes": {
    "ex#Svc": {"type": "service", "version": "1", "traits": {"smithy.protocols#rpcv2Cbor": {}},
        "operations": [{"target": "ex#Plain"}, {"target": "ex#Chat"}, {"target": "ex#Listen"}]},
    "ex#Plain": {"type": "operation", "traits": {"smithy.api#http": {"method": "GET", "uri": "/plain"}}},
    "ex#Chat": {"type": "operation", "input": {"target": "ex#ChatIn"},
        "traits": {"smithy.api#http": {"method": "POST", "uri": "/chat"}}},
    "ex#ChatIn": {"type": "structure", "members": {
        "events": {"target": "ex#Events", "traits": {"smithy.api#httpPayload": {}}}}},
    "ex#Listen": {"type": "operation", "output": {"target": "ex#ListenOut"},
        "traits": {"smithy.api#http": {"method": "GET", "uri": "/listen"}}},
    "ex#ListenOut": {"type": "structure", "members": {
        "stream": {"target": "ex#Events", "traits": {"smithy.api#httpPayload": {}}}}},
    "ex#Events": {"type": "union", "traits": {"smithy.api#streaming": {}}, "members": {
        "text": {"target": "ex#Text"}}},
    "ex#Text": {"type": "structure", "members": {"value": {"target": "smithy.api#String"}}}
}}"#;

#[test]
fn every_event_stream_is_refused_with_its_member_and_the_flag_that_leaves_it_out() {
    let report = problems(EVENT_STREAMS);
    assert!(report.contains("operation ex#Chat has an event stream: its input member `events`"), "{report}");
    assert!(report.contains("operation ex#Listen has an event stream: its output member `stream`"), "{report}");
    assert!(report.contains("--exclude-operation ex#Chat"), "{report}");
    assert!(report.contains(r#"(at $.shapes["ex#ChatIn"].members.events)"#), "{report}");
}

#[test]
fn restjson1_event_streams_are_generated_and_their_binding_problems_reported() {
    let rest = EVENT_STREAMS.replace("smithy.protocols#rpcv2Cbor", "aws.protocols#restJson1");
    let files = generate(&rest, &options()).unwrap();
    assert!(files["src/types.rs"].contains("::smithy_runtime::EventStream<crate::types::Events>"));
    assert!(files["src/protocol.rs"].contains("impl ::smithy_runtime::event_stream::Event for crate::types::Events"));
    // Not the payload, and a union member that is not a structure: both located.
    let unbound = rest
        .replace(
            r#""events": {"target": "ex#Events", "traits": {"smithy.api#httpPayload": {}}}"#,
            r#""events": {"target": "ex#Events"}"#,
        )
        .replace(
            r#""text": {"target": "ex#Text"}"#,
            r#""text": {"target": "ex#Text"}, "raw": {"target": "smithy.api#String"}"#,
        );
    let report = problems(&unbound);
    assert!(report.contains("a @streaming union (an event stream) member must be the @httpPayload"), "{report}");
    assert!(report.contains(r#"(at $.shapes["ex#ChatIn"].members.events)"#), "{report}");
    assert!(report.contains("a member of a @streaming union must target a structure"), "{report}");
    assert!(report.contains(r#"(at $.shapes["ex#Events"].members.raw)"#), "{report}");
}

#[test]
fn aws_json_event_streams_are_generated_for_outputs_and_refused_for_inputs() {
    let json = EVENT_STREAMS.replace("smithy.protocols#rpcv2Cbor", "aws.protocols#awsJson1_0");
    let report = problems(&json);
    assert!(report.contains("operation ex#Chat has an event stream: its input member `events`"), "{report}");
    assert!(!report.contains("ex#Listen"), "{report}");
    let excluded = codegen::refused_event_stream_operations(&json, None);
    assert_eq!(excluded.iter().map(ToString::to_string).collect::<Vec<_>>(), ["ex#Chat"]);
    let files = generate(&json, &GenerateOptions { exclude_operations: excluded, ..options() }).unwrap();
    assert!(files["src/protocol.rs"].contains("rpc_event_stream"));
}

#[test]
fn excluding_the_event_stream_operations_generates_the_rest() {
    let excluded = codegen::refused_event_stream_operations(EVENT_STREAMS, None);
    assert_eq!(excluded.iter().map(ToString::to_string).collect::<Vec<_>>(), ["ex#Chat", "ex#Listen"]);
    let options = GenerateOptions { exclude_operations: excluded, ..options() };
    let files = generate(EVENT_STREAMS, &options).unwrap();
    let service = &files["src/service.rs"];
    assert!(service.contains("fn plain(") && !service.contains("fn chat(") && !service.contains("fn listen("));
}

#[test]
fn excluding_an_operation_the_service_lacks_is_reported() {
    let options =
        GenerateOptions { exclude_operations: vec![codegen::ShapeId::parse("ex#Nope").unwrap()], ..options() };
    let report = generate(EVENT_STREAMS, &options).unwrap_err().to_string();
    assert!(report.contains("--exclude-operation ex#Nope: the service ex#Svc has no such operation"), "{report}");
}

#[test]
fn waiters_that_cannot_work_are_reported_at_the_waiter() {
    let acceptor = r#"{"state": "success", "matcher": {"success": true}}"#;
    let bad_path = r#"{"state": "success", "matcher": {"output": {"path": "Status ==", "expected": "x", "comparator": "stringEquals"}}}"#;
    let model = format!(
        r#"{{"smithy": "2.0", "shapes": {{
            "ex#Svc": {{"type": "service", "version": "1", "operations": [{{"target": "ex#Op"}}]}},
            "ex#Op": {{"type": "operation", "traits": {{"smithy.waiters#waitable": {{
                "Empty": {{"acceptors": []}},
                "Reversed": {{"acceptors": [{acceptor}], "minDelay": 10, "maxDelay": 5}},
                "BadPath": {{"acceptors": [{bad_path}]}},
                "Ready": {{"acceptors": [{acceptor}]}},
                "READY": {{"acceptors": [{acceptor}]}}
            }}}}}}
        }}}}"#
    );
    let report = problems(&model);
    assert!(report.contains("waiter Empty has no acceptor"), "{report}");
    assert!(report.contains("waiter Reversed needs 1 <= minDelay <= maxDelay, not 10 and 5"), "{report}");
    assert!(report.contains("waiter BadPath: the JMESPath expression \"Status ==\" does not parse"), "{report}");
    assert!(report.contains(r#"traits["smithy.waiters#waitable"].BadPath.acceptors[0].matcher"#), "{report}");
    assert!(
        report.contains("waiter READY: another waiter or an operation's method is already named wait_until_ready"),
        "{report}"
    );

    let malformed = model.replace(r#""state": "success""#, r#""state": "done""#);
    let report = problems(&malformed);
    assert!(report.contains("trait smithy.waiters#waitable has a malformed value: unknown variant `done`"), "{report}");
    assert!(report.contains(".Reversed.acceptors[0].state"), "{report}");
}
