//! The generated server: the route table from each operation's `@http` trait, and the
//! dispatcher that reads an input, calls the service trait and writes the answer. Everything
//! that does not depend on the model (body limit, SigV4, routing, panics, serving) is in the
//! runtime's `service` module.

use std::collections::BTreeMap;

use heck::ToShoutySnakeCase;
use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use crate::emit::service::error_status;
use crate::emit::streaming;
use crate::emit::types::json_name;
use crate::emit::wire::TypeMap;
use crate::model::{Kind, Simple};
use crate::protocol::{Protocol, Route};
use crate::service::OperationView;
use crate::shape_id::ShapeId;
use crate::traits::PathSegment;

/// The Smithy framework's validation error.
const FRAMEWORK_VALIDATION: &str = "smithy.framework#ValidationException";

/// The items of `server.rs`, for a restJson1 service.
pub fn server_module(types: &TypeMap<'_>) -> Option<TokenStream> {
    let protocol = types.view.protocol?;
    let trait_ident = types.names.service_ident();
    let indices = 0..types.view.operations.len();
    let runners: Vec<_> = types.view.operations.iter().map(|op| types.names.method_ident(&op.id)).collect();
    let runner_fns = types.view.operations.iter().map(|op| runner(types, op));
    let dispatch = if streaming::service_streams(types) {
        streaming_dispatch(types)
    } else {
        quote! {
            fn dispatch<'a>(
                &'a self,
                request: ::smithy_runtime::service::Routed<'a>,
            ) -> ::smithy_runtime::service::BoxFuture<'a, ::smithy_runtime::http::Response<::smithy_runtime::bytes::Bytes>> {
                ::std::boxed::Box::pin(async move {
                    match request.operation {
                        #( #indices => self.#runners(&request).await, )*
                        _ => ::smithy_runtime::response::internal_error("the router chose an operation the dispatcher lacks"),
                    }
                })
            }
        }
    };
    let unauthorized = option_tokens(auth_error(types, 401).map(|id| {
        let ident = error_static(types, Some(id));
        quote! { #ident }
    }));
    let forbidden = option_tokens(auth_error(types, 403).map(|id| {
        let ident = error_static(types, Some(id));
        quote! { #ident }
    }));
    let error_statics = error_statics(types);
    let name = protocol.name();
    let doc = format!(" Routes {name} requests to an implementation of [`{trait_ident}`]; see [`server`].");
    let module_doc = [
        format!(" The service over HTTP: a `tower::Service` that routes {name} requests to any"),
        " implementation of the service trait, validates each input before the handler sees".to_owned(),
        " it, and writes outputs and errors the way the protocol says.".to_owned(),
    ];
    let server_doc = format!(" A {name} server: a `tower::Service<http::Request<B>>` usable with hyper, axum and");
    let router = router(types, protocol);
    let tls = super::TLS_FEATURE;
    Some(quote! {
        #( #![doc = #module_doc] )*
        pub use ::smithy_runtime::service::{serve, RequestContext, ServerConfig};
        #[cfg(feature = #tls)]
        pub use ::smithy_runtime::{service::serve_tls, tls::server_config_from_pem_files};
        pub use ::smithy_runtime::sigv4::Verifier;

        use crate::service::#trait_ident;

        #(#error_statics)*

        #router

        #[doc = #doc]
        #[derive(::std::fmt::Debug)]
        pub struct Operations<S>(S);

        #[doc = #server_doc]
        /// tower middleware, or with [`serve`].
        pub type Server<S> = ::smithy_runtime::service::Server<Operations<S>>;

        /// A server answering with `service`.
        pub fn server<S: #trait_ident>(service: S, config: ServerConfig) -> Server<S> {
            ::smithy_runtime::service::Server::new(Operations(service), config)
        }

        impl<S: #trait_ident> ::smithy_runtime::service::Dispatch for Operations<S> {
            fn router(&self) -> &::smithy_runtime::router::Router {
                &ROUTER
            }

            fn auth_errors(&self) -> ::smithy_runtime::service::AuthErrors {
                ::smithy_runtime::service::AuthErrors { unauthorized: #unauthorized, forbidden: #forbidden }
            }

            #dispatch
        }

        impl<S: #trait_ident> Operations<S> {
            #(#runner_fns)*
        }
    })
}

/// `operation_for` and the router of a service of RPC protocols (awsJson's `X-Amz-Target`,
/// rpcv2Cbor's path; a service that speaks several tells them apart by their headers).
/// `operation_for` reads what the first protocol names operations by.
fn rpc_router(types: &TypeMap<'_>, first: Protocol) -> TokenStream {
    let names = types.view.operations.iter().map(|op| op.id.name.as_str());
    let service = &types.view.service.id.name;
    let protocols = types.view.protocols.iter().map(|p| p.runtime_value());
    let operation_for = if first == Protocol::RpcV2Cbor {
        quote! {
            /// The name of the operation a request path names (`/service/{S}/operation/{O}`,
            /// after any prefix), for logs and metrics, or to check a path.
            pub fn operation_for(path: &str) -> ::std::option::Option<&'static str> {
                let rest = path.rsplit_once(concat!("/service/", #service, "/operation/"))?.1;
                OPERATION_NAMES.iter().copied().find(|name| *name == rest)
            }
        }
    } else {
        quote! {
            /// The name of the operation an `X-Amz-Target` header value names (for logs and
            /// metrics, or to check a target).
            pub fn operation_for(target: &str) -> ::std::option::Option<&'static str> {
                let operation = target.strip_prefix(#service)?.strip_prefix('.')?;
                OPERATION_NAMES.iter().copied().find(|name| *name == operation)
            }
        }
    };
    quote! {
        /// The operations' names, in the order the dispatcher numbers them.
        static OPERATION_NAMES: &[&str] = &[#(#names),*];

        #operation_for

        /// The router, built on first use.
        static ROUTER: ::std::sync::LazyLock<::smithy_runtime::router::Router> =
            ::std::sync::LazyLock::new(|| {
                ::smithy_runtime::router::Router::rpc(
                    &[#(#protocols),*],
                    ::smithy_runtime::protocol::aws_json::Targets { service: #service, operations: OPERATION_NAMES },
                )
            });
    }
}

/// The route table, `operation_for` and the router: by URI pattern for restJson1, by
/// `X-Amz-Target` for awsJson. `OPERATION_NAMES` numbers the operations as the dispatcher does.
fn router(types: &TypeMap<'_>, protocol: Protocol) -> TokenStream {
    let names = types.view.operations.iter().map(|op| op.id.name.as_str());
    if protocol.is_rpc() {
        return rpc_router(types, protocol);
    }
    let routes = types.view.operations.iter().map(|op| route(types, op));
    quote! {
        /// The operations' routes, in the order the dispatcher numbers them.
        static ROUTES: &[::smithy_runtime::router::Route] = &[#(#routes),*];

        /// The operations' names, in the order of [`ROUTES`].
        static OPERATION_NAMES: &[&str] = &[#(#names),*];

        /// The name of the operation a request with this method and URI is routed to (for
        /// logs and metrics, or to check a route).
        pub fn operation_for(
            method: &::smithy_runtime::http::Method,
            uri: &::smithy_runtime::http::Uri,
        ) -> ::std::result::Result<&'static str, ::smithy_runtime::router::RouteError> {
            let matched = ROUTER.route(method, uri.path(), uri.query())?;
            OPERATION_NAMES.get(matched.operation).copied().ok_or(::smithy_runtime::router::RouteError::NotFound)
        }

        /// The router over [`ROUTES`], built on first use.
        static ROUTER: ::std::sync::LazyLock<::smithy_runtime::router::Router> =
            ::std::sync::LazyLock::new(|| ::smithy_runtime::router::Router::new(ROUTES));
    }
}

fn option_tokens(value: Option<TokenStream>) -> TokenStream {
    match value {
        Some(value) => quote! { ::std::option::Option::Some(#value) },
        None => quote! { ::std::option::Option::None },
    }
}

/// An operation's route from its `@http` trait (resolving made sure it has one).
fn route(types: &TypeMap<'_>, op: &OperationView) -> TokenStream {
    let router = quote! { ::smithy_runtime::router };
    let Some(Route::Http(http)) = types.view.route(op) else {
        return quote! { #router::Route { method: "", path: &[], query: &[] } };
    };
    let method = &http.method;
    let segments = http.path_segments().into_iter().map(|segment| match segment {
        PathSegment::Literal(text) => quote! { #router::Segment::Literal(#text) },
        PathSegment::Label { name, greedy: false } => quote! { #router::Segment::Label(#name) },
        PathSegment::Label { name, greedy: true } => quote! { #router::Segment::Greedy(#name) },
    });
    let query = http.query_literals().into_iter().map(|(key, value)| {
        let value = option_tokens(value.map(|v| quote! { #v }));
        quote! { #router::QueryLiteral { key: #key, value: #value } }
    });
    quote! { #router::Route { method: #method, path: &[#(#segments),*], query: &[#(#query),*] } }
}

/// The dispatcher of a service with streaming operations: the server calls
/// `dispatch_streaming`, which hands streamed inputs over unread and sends streamed outputs as
/// they are read; `dispatch` reads its answer whole.
fn streaming_dispatch(types: &TypeMap<'_>) -> TokenStream {
    let arms = types.view.operations.iter().enumerate().map(|(index, op)| {
        let index = proc_macro2::Literal::usize_unsuffixed(index);
        let runner = types.names.method_ident(&op.id);
        if streaming::operation_streams(types, op) {
            quote! { #index => self.#runner(&request).await, }
        } else {
            quote! { #index => self.#runner(&request).await.map(::smithy_runtime::ByteStream::from), }
        }
    });
    let streamed_inputs: Vec<proc_macro2::Literal> = types
        .view
        .operations
        .iter()
        .enumerate()
        .filter(|(_, op)| streaming::input_streams(types, op))
        .map(|(index, _)| proc_macro2::Literal::usize_unsuffixed(index))
        .collect();
    let streams_input = (!streamed_inputs.is_empty()).then(|| {
        quote! {
            fn streams_input(&self, operation: usize) -> bool {
                [#(#streamed_inputs),*].contains(&operation)
            }
        }
    });
    quote! {
        #streams_input

        fn dispatch<'a>(
            &'a self,
            request: ::smithy_runtime::service::Routed<'a>,
        ) -> ::smithy_runtime::service::BoxFuture<'a, ::smithy_runtime::http::Response<::smithy_runtime::bytes::Bytes>> {
            // The whole answer, for a caller that wants one; the server streams.
            ::std::boxed::Box::pin(async move {
                ::smithy_runtime::service::collect_response(self.dispatch_streaming(request).await).await
            })
        }

        fn dispatch_streaming<'a>(
            &'a self,
            request: ::smithy_runtime::service::Routed<'a>,
        ) -> ::smithy_runtime::service::BoxFuture<'a, ::smithy_runtime::http::Response<::smithy_runtime::ByteStream>> {
            ::std::boxed::Box::pin(async move {
                match request.operation {
                    #(#arms)*
                    _ => ::smithy_runtime::response::internal_error("the router chose an operation the dispatcher lacks")
                        .map(::smithy_runtime::ByteStream::from),
                }
            })
        }
    }
}

/// The method that answers one routed operation whose input or output streams.
fn streaming_runner(types: &TypeMap<'_>, op: &OperationView) -> TokenStream {
    let method = types.names.method_ident(&op.id);
    let input = types.names.type_ident(&op.input);
    let output = types.names.type_ident(&op.output);
    let error = crate::emit::service::error_ident(&op.id);
    let validation = error_static(types, validation_error(types, op));
    let body = if streaming::input_streams(types, op) {
        quote! { request.take_stream() }
    } else {
        quote! { request.body }
    };
    let write_output = if streaming::output_streams(types, op) {
        quote! { crate::types::#output::into_response }
    } else {
        quote! { |output: crate::types::#output| output.into_response().map(::smithy_runtime::ByteStream::from) }
    };
    let doc = format!(" Answers a request routed to {}.", op.id.name);
    if crate::emit::rpc_events::is_rpc_event_output(types, op) {
        // An RPC service answers in the protocol the request came in.
        return quote! {
            #[doc = #doc]
            async fn #method(
                &self,
                request: &::smithy_runtime::service::Routed<'_>,
            ) -> ::smithy_runtime::http::Response<::smithy_runtime::ByteStream> {
                ::smithy_runtime::server::answer_rpc_streaming(
                    &request.parts,
                    crate::types::#input::from_request(&request.parts, #body),
                    &#validation,
                    |input| self.0.#method(input),
                    crate::types::#output::into_response,
                    crate::error::#error::into_response,
                )
                .await
            }
        };
    }
    quote! {
        #[doc = #doc]
        async fn #method(
            &self,
            request: &::smithy_runtime::service::Routed<'_>,
        ) -> ::smithy_runtime::http::Response<::smithy_runtime::ByteStream> {
            ::smithy_runtime::server::answer_streaming(
                crate::types::#input::from_request(&request.parts, #body),
                &#validation,
                |input| self.0.#method(input),
                #write_output,
                crate::error::#error::into_response,
            )
            .await
        }
    }
}

/// The method that answers one routed operation.
fn runner(types: &TypeMap<'_>, op: &OperationView) -> TokenStream {
    if streaming::operation_streams(types, op) {
        return streaming_runner(types, op);
    }
    let method = types.names.method_ident(&op.id);
    let input = types.names.type_ident(&op.input);
    let output = types.names.type_ident(&op.output);
    let error = crate::emit::service::error_ident(&op.id);
    let validation = error_static(types, validation_error(types, op));
    // An RPC service answers in the protocol the request came in.
    let answer = if types.view.protocol.is_some_and(Protocol::is_rpc) {
        quote! { answer_rpc }
    } else {
        quote! { answer }
    };
    let doc = format!(" Answers a request routed to {}.", op.id.name);
    quote! {
        #[doc = #doc]
        async fn #method(
            &self,
            request: &::smithy_runtime::service::Routed<'_>,
        ) -> ::smithy_runtime::http::Response<::smithy_runtime::bytes::Bytes> {
            ::smithy_runtime::server::#answer(
                &request.parts,
                request.body,
                &#validation,
                crate::types::#input::from_request,
                |input| self.0.#method(input),
                crate::types::#output::into_response,
                crate::error::#error::into_response,
            )
            .await
        }
    }
}

/// The error shape a validation failure of `op` is answered with: the framework's
/// ValidationException when the operation declares it, else its own validation or bad-request
/// error; with none of those, the framework's shape (`ValidationException`, as AWS's services
/// answer). Another 400 error would say something false: DynamoDB's first 400 error of
/// PutItem is ConditionalCheckFailedException, of GetItem a throttling error clients retry.
fn validation_error<'v>(types: &TypeMap<'_>, op: &'v OperationView) -> Option<&'v ShapeId> {
    let declared = |pick: &dyn Fn(&ShapeId) -> bool| op.errors.iter().find(|id| pick(id));
    declared(&|id| id.to_string() == FRAMEWORK_VALIDATION)
        .or_else(|| declared(&|id| id.name == "ValidationException" && error_status(types, id) == 400))
        .or_else(|| declared(&|id| id.name == "BadRequestException" && error_status(types, id) == 400))
}

/// The service's error with this status (401 or 403), first by shape ID.
fn auth_error<'v>(types: &TypeMap<'v>, status: u16) -> Option<&'v ShapeId> {
    types.view.errors().into_iter().find(|id| error_status(types, id) == status)
}

/// The static describing an error shape the framework answers with; `None` is the framework's
/// ValidationException for operations that declare no 400 error.
fn error_static(types: &TypeMap<'_>, id: Option<&ShapeId>) -> Ident {
    match id {
        Some(id) => format_ident!(
            "ERROR_{}",
            types.names.type_ident(id).to_string().trim_start_matches("r#").to_shouty_snake_case()
        ),
        None => format_ident!("DEFAULT_VALIDATION_ERROR"),
    }
}

/// One static per error shape the framework answers with (validation and auth failures),
/// shared by every operation that uses it.
fn error_statics(types: &TypeMap<'_>) -> Vec<TokenStream> {
    let mut used: BTreeMap<String, Option<&ShapeId>> = BTreeMap::new();
    let chosen = types.view.operations.iter().map(|op| validation_error(types, op));
    let auth = [401, 403].into_iter().filter_map(|status| auth_error(types, status)).map(Some);
    for id in chosen.chain(auth) {
        used.insert(error_static(types, id).to_string(), id);
    }
    used.into_values()
        .map(|id| {
            let ident = error_static(types, id);
            let shape = match id {
                Some(id) => error_shape(types, id),
                None => quote! {
                    ::smithy_runtime::response::ErrorShape {
                        code: "ValidationException",
                        status: 400,
                        message_member: ::std::option::Option::Some("message"),
                        is_framework_validation: true,
                    }
                },
            };
            let doc = format!(" The `{}` error, as the framework answers with it.", ident);
            quote! {
                #[doc = #doc]
                static #ident: ::smithy_runtime::response::ErrorShape = #shape;
            }
        })
        .collect()
}

/// An `ErrorShape` describing a modeled error.
fn error_shape(types: &TypeMap<'_>, id: &ShapeId) -> TokenStream {
    let code = types.view.protocol.map_or_else(|| id.name.clone(), |protocol| protocol.error_code(id));
    let status = error_status(types, id);
    let message = types.view.shape(id).kind.members().into_iter().find(|m| {
        m.name.eq_ignore_ascii_case("message")
            && matches!(types.view.shape(&m.target).kind, Kind::Simple(Simple::String))
            && !m.traits.known.binds_outside_body()
    });
    let message = option_tokens(message.map(|m| {
        let name = json_name(m);
        quote! { #name }
    }));
    let framework = id.to_string() == FRAMEWORK_VALIDATION;
    quote! {
        ::smithy_runtime::response::ErrorShape {
            code: #code,
            status: #status,
            message_member: #message,
            is_framework_validation: #framework,
        }
    }
}
