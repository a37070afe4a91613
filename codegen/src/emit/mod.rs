//! Emit: one function per concern, each reading the service view and returning tokens or
//! text. None of them touches shared state or the disk.

pub mod bindings;
pub mod builders;
pub mod client;
pub mod debug;
pub mod defaults;
pub mod derives;
pub mod events;
pub mod fluent;
pub mod messages;
pub mod metadata;
pub mod paginate;
pub mod paginators;
pub mod request;
pub mod request_head;
pub mod rpc_events;
pub mod server;
pub mod service;
pub mod streaming;
pub mod types;
pub mod validate;
pub mod waiters;
pub mod wire;

use proc_macro2::TokenStream;
use quote::quote;

use crate::docs;
use crate::naming::Names;
use crate::service::ServiceView;
use crate::GenerateOptions;

/// The cargo feature of the generated crate (and of the runtime) that compiles the client.
pub const CLIENT_FEATURE: &str = "client";

/// The cargo feature of the generated crate (and of the runtime) that compiles the server.
pub const SERVER_FEATURE: &str = "server";

/// The cargo feature of a generated crate with event streams that turns on HTTP/2.
pub const HTTP2_FEATURE: &str = "http2";

/// The cargo feature of the generated crate that turns on TLS: https in the client's default
/// transport (trusting Mozilla's roots) and `serve_tls` on the server.
pub const TLS_FEATURE: &str = "tls";

/// The attribute on every item only the client uses. Each side of the API is a cargo feature
/// (both on by default), so a crate that only calls the API does not compile the server and
/// its dependencies, and the other way round; these helpers are where an item is put on a side.
pub fn client_only() -> TokenStream {
    quote! { #[cfg(feature = #CLIENT_FEATURE)] }
}

/// The attribute on every item only the server uses (see [`client_only`]).
pub fn server_only() -> TokenStream {
    quote! { #[cfg(feature = #SERVER_FEATURE)] }
}

/// The attribute on protocol items both sides use but the model types alone do not (the
/// separate JSON bodies of messages), so a crate built with neither feature has no dead code.
pub fn either_side() -> TokenStream {
    quote! { #[cfg(any(feature = #CLIENT_FEATURE, feature = #SERVER_FEATURE))] }
}

/// The crate root: service documentation, what each feature compiles, and the module list.
pub fn lib_rs(view: &ServiceView) -> TokenStream {
    let rest_json1 = view.protocol.is_some();
    let (client_only, server_only) = (client_only(), server_only());
    let protocol = rest_json1.then(|| {
        quote! {
            #client_only
            pub mod client;
            mod protocol;
            #server_only
            pub mod server;
        }
    });
    let known = &view.service.traits.known;
    let title = known.title.clone().unwrap_or_else(|| view.service.id.name.clone());
    let mut text = format!("{title} (version {}), generated from its Smithy model.", service_version(view));
    if let Some(documentation) = &known.documentation {
        text = format!("{text}\n\n{}", docs::markdown(documentation));
    }
    text = format!("{text}\n\n{}", features_doc(rest_json1));
    let lines = text.lines().map(|line| if line.is_empty() { String::new() } else { format!(" {line}") });
    quote! {
        #( #![doc = #lines] )*
        #![warn(missing_docs)]
        // The documentation is the model author's prose and the types mirror the model's
        // nesting: these lints would judge the model, not the generator.
        #![allow(
            clippy::doc_lazy_continuation,
            clippy::doc_overindented_list_items,
            clippy::tabs_in_doc_comments,
            clippy::needless_doctest_main,
            clippy::type_complexity
        )]

        pub mod error;
        pub mod service;
        pub mod types;
        #protocol
        #server_only
        mod validation;
    }
}

/// The crate documentation's section on cargo features. Module names are plain code, not
/// links: a link to a module its feature leaves out would be broken.
fn features_doc(rest_json1: bool) -> String {
    let intro = "# Features\n\n\
         The model types (`types`), the errors (`error`) and the service trait (`service`) are always \
         compiled. Each side of the API is a cargo feature; both are on by default:";
    if !rest_json1 {
        return format!(
            "{intro}\n\n\
             - `{SERVER_FEATURE}`: input validation (`validate()` on every operation input).\n\
             - `{CLIENT_FEATURE}`: nothing yet: the service declares no protocol, and this generator writes \
             clients and servers for restJson1, awsJson1_0 and awsJson1_1 services."
        );
    }
    format!(
        "{intro}\n\n\
         - `{CLIENT_FEATURE}`: the `client` module (the service trait implemented over HTTP, with SigV4 \
         signing and retries) and the writing of requests and reading of responses.\n\
         - `{SERVER_FEATURE}`: the `server` module (routing, SigV4 verification, the `tower::Service` \
         and `serve`), the reading of requests and writing of responses, and input validation \
         (`validate()` on every operation input).\n\
         - `{TLS_FEATURE}` (on by default too): `https://` endpoints for the client (rustls, trusting \
         Mozilla's root certificates) and `serve_tls` for the server; `native-roots` makes the client \
         trust the platform's root certificates as well.\n\n\
         A crate that only calls the API can depend on this one with `default-features = false, \
         features = [\"{CLIENT_FEATURE}\"]`, and one that only serves it with `default-features = false, \
         features = [\"{SERVER_FEATURE}\"]`: the other side, and the dependencies only it needs, are then \
         not compiled."
    )
}

/// The items of `types.rs`.
pub fn types_rs(view: &ServiceView, names: &Names) -> TokenStream {
    let types = wire::TypeMap { view, names };
    let items = types::types_module(&types);
    let protocol = view.protocol.map_or("restJson1", |p| p.name());
    let form = if view.protocol == Some(crate::protocol::Protocol::RpcV2Cbor) { "CBOR" } else { "JSON" };
    let doc = format!(" The shapes of the service's model as Rust types, with their {protocol} {form} form.");
    quote! {
        #![doc = #doc]
        #items
    }
}

/// The items of `protocol.rs`, when the service speaks restJson1.
pub fn protocol_rs(view: &ServiceView, names: &Names) -> Option<TokenStream> {
    request::protocol_module(&wire::TypeMap { view, names })
}

/// The items of `service.rs`.
pub fn service_rs(view: &ServiceView, names: &Names) -> TokenStream {
    service::service_module(&wire::TypeMap { view, names })
}

/// The items of `error.rs`.
pub fn error_rs(view: &ServiceView, names: &Names) -> TokenStream {
    service::error_module(&wire::TypeMap { view, names })
}

/// The items of `validation.rs`.
pub fn validation_rs(view: &ServiceView, names: &Names) -> TokenStream {
    validate::validation_module(&wire::TypeMap { view, names })
}

fn service_version(view: &ServiceView) -> &str {
    match &view.service.kind {
        crate::model::Kind::Service(service) => &service.version,
        _ => "",
    }
}

/// The generated crate's `Cargo.toml`. Each side's feature turns on the runtime's feature of
/// the same name; the runtime's defaults are off so that those features decide. A crate with
/// a protocol also has `tls` (on by default: the SDKs speak https) and `native-roots`.
pub fn cargo_toml(view: &ServiceView, crate_name: &str, options: &GenerateOptions) -> String {
    let description = format!(
        "Rust types for the {} service (version {}), generated from its Smithy model.",
        view.service.id.name,
        service_version(view)
    );
    // Without a protocol there is no client or server to speak TLS.
    let (tls_default, tls_features) = match view.protocol {
        Some(_) => (
            format!(", \"{TLS_FEATURE}\""),
            format!(
                "# https for the client (trusting Mozilla's root certificates) and serve_tls for the server.\n\
                 {TLS_FEATURE} = [\"smithy-runtime/tls\", \"smithy-runtime/webpki-roots\"]\n\
                 # The client also trusts the platform's root certificates.\n\
                 native-roots = [\"{TLS_FEATURE}\", \"smithy-runtime/native-roots\"]\n"
            ),
        ),
        None => (String::new(), String::new()),
    };
    // The runtime's JMESPath only for a crate that has waiters.
    let client_features = match crate::emit::waiters::any(view) {
        true => format!("\"smithy-runtime/{CLIENT_FEATURE}\", \"smithy-runtime/waiters\""),
        false => format!("\"smithy-runtime/{CLIENT_FEATURE}\""),
    };
    // The event-stream codec, and HTTP/2 (event streams both ways at once), only for a crate
    // that has event streams.
    let events = crate::emit::events::any(view);
    let runtime_features = if events { ", features = [\"event-stream\"]" } else { "" };
    let (http2_default, http2_feature) = match events {
        true => (
            format!(", \"{HTTP2_FEATURE}\""),
            format!(
                "# HTTP/2 beside HTTP/1.1 on both sides, for event streams both ways at once.\n\
                 {HTTP2_FEATURE} = [\"smithy-runtime/http2\"]\n"
            ),
        ),
        false => (String::new(), String::new()),
    };
    format!(
        "{header}\n[package]\nname = {name}\nversion = \"0.1.0\"\nedition = \"2021\"\ndescription = {description}\npublish = false\n\n\
         [features]\ndefault = [\"{CLIENT_FEATURE}\", \"{SERVER_FEATURE}\"{tls_default}{http2_default}]\n\
         {CLIENT_FEATURE} = [{client_features}]\n{SERVER_FEATURE} = [\"smithy-runtime/{SERVER_FEATURE}\"]\n\
         {tls_features}{http2_feature}\n\
         [dependencies]\nsmithy-runtime = {{ path = {runtime}, default-features = false{runtime_features} }}\n",
        header = crate::render::TOML_HEADER,
        name = toml_string(crate_name),
        description = toml_string(&description),
        runtime = toml_string(&options.runtime_path),
    )
}

/// A TOML basic string; JSON's escapes are a subset TOML accepts.
fn toml_string(text: &str) -> String {
    serde_json::Value::String(text.to_owned()).to_string()
}
