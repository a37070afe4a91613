//! The generated client: implements the service trait by writing each input as a request of
//! the service's protocol, sending it through the runtime's client core (SigV4, retries, timeouts, a
//! pluggable transport) and reading the output or the operation's error back.

use heck::ToShoutySnakeCase;
use proc_macro2::TokenStream;
use quote::quote;

use crate::emit::service::error_ident;
use crate::emit::wire::TypeMap;

/// The items of `client.rs`, for a service with a protocol the generator writes.
pub fn client_module(types: &TypeMap<'_>, crate_name: &str) -> Option<TokenStream> {
    let known = &types.view.service.traits.known;
    let protocol = types.view.protocol?;
    let trait_ident = types.names.service_ident();
    let signing_name = signing_name(types);
    let sdk_id = known.aws_service.as_ref().map_or_else(|| types.view.service.id.name.clone(), |s| s.sdk_id.clone());
    let endpoint_env = sdk_id.to_shouty_snake_case();
    let user_agent = format!("{crate_name}/{}", env!("CARGO_PKG_VERSION"));
    let protocols = types.view.protocols.iter().map(|p| p.runtime_value());
    let methods = types.view.operations.iter().map(|op| {
        if crate::emit::streaming::operation_streams(types, op) {
            return streaming_method(types, op);
        }
        let method = types.names.method_ident(&op.id);
        let input = types.names.type_ident(&op.input);
        let output = types.names.type_ident(&op.output);
        let error = error_ident(&op.id);
        quote! {
            async fn #method(
                &self,
                input: crate::types::#input,
            ) -> ::std::result::Result<crate::types::#output, crate::error::#error> {
                ::smithy_runtime::request::call(
                    &self.core,
                    input,
                    crate::types::#input::into_request,
                    crate::types::#output::from_response,
                    crate::error::#error::from_response,
                )
                .await
            }
        }
    });
    let doc = format!(
        " A client of the service: implements [`{trait_ident}`] over HTTP. Configure the endpoint\n \
         URL, region and credentials in a [`Config`], or from the environment with\n \
         [`Client::from_env`] (`AWS_ENDPOINT_URL_{endpoint_env}` or `AWS_ENDPOINT_URL`, `AWS_REGION`,\n \
         `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`)."
    );
    let doc_lines = doc.lines().map(str::to_owned);
    let entry_points = crate::emit::fluent::entry_points(types);
    let fluent = crate::emit::fluent::fluent_module(types);
    let waiter_types = crate::emit::waiters::any(types.view)
        .then(|| quote! { pub use ::smithy_runtime::client::waiter::{WaitFinished, WaiterError}; });
    let module_doc = format!(" The service's client: the service trait implemented over {} HTTP.", protocol.name());
    Some(quote! {
        #![doc = #module_doc]
        pub use ::smithy_runtime::client::{CallConfig, Config, ConfigError, HyperTransport, RetryConfig, Timeouts, Transport};
        pub use ::smithy_runtime::{RequestId, ResponseMetadata};
        #waiter_types

        use crate::service::#trait_ident;

        /// What the client core needs to know about this service.
        static SERVICE: ::smithy_runtime::client::ServiceInfo = ::smithy_runtime::client::ServiceInfo {
            signing_name: #signing_name,
            endpoint_env: #endpoint_env,
            user_agent: #user_agent,
            protocols: &[#(#protocols),*],
        };

        #( #[doc = #doc_lines] )*
        #[derive(::std::fmt::Debug, ::std::clone::Clone)]
        pub struct Client {
            core: ::smithy_runtime::client::ClientCore,
        }

        impl Client {
            /// A client with this configuration.
            pub fn new(config: Config) -> ::std::result::Result<Self, ConfigError> {
                ::std::result::Result::Ok(Self { core: ::smithy_runtime::client::ClientCore::new(config, &SERVICE)? })
            }

            /// A client configured from the standard AWS environment variables.
            pub fn from_env() -> ::std::result::Result<Self, ConfigError> {
                Self::new(Config::from_env())
            }

            /// This client with `overrides` applied, for one fluent call.
            pub(crate) fn with_call_config(&self, overrides: &CallConfig) -> Self {
                Self { core: self.core.with_call_config(overrides) }
            }
        }

        #entry_points

        impl #trait_ident for Client {
            #(#methods)*
        }

        #fluent
    })
}

/// The client method of an operation whose input or output streams: the request goes out
/// with `call_streaming`, and a streamed output is handed over as soon as its head is in.
fn streaming_method(types: &TypeMap<'_>, op: &crate::service::OperationView) -> TokenStream {
    use crate::emit::streaming::{input_streams, output_streams};
    let method = types.names.method_ident(&op.id);
    let input = types.names.type_ident(&op.input);
    let output = types.names.type_ident(&op.output);
    let error = error_ident(&op.id);
    let write = if input_streams(types, op) {
        quote! { crate::types::#input::into_request }
    } else {
        quote! {
            |input: crate::types::#input, context: &::smithy_runtime::request::WriteContext<'_>| {
                input.into_request(context).map(|request| request.map(::smithy_runtime::ByteStream::from))
            }
        }
    };
    let read = if crate::emit::rpc_events::is_rpc_event_output(types, op) {
        quote! { ::smithy_runtime::request::OutputReader::Events(crate::types::#output::from_response) }
    } else if output_streams(types, op) {
        quote! { ::smithy_runtime::request::OutputReader::Stream(crate::types::#output::from_response) }
    } else {
        quote! { ::smithy_runtime::request::OutputReader::Whole(crate::types::#output::from_response) }
    };
    quote! {
        async fn #method(
            &self,
            input: crate::types::#input,
        ) -> ::std::result::Result<crate::types::#output, crate::error::#error> {
            ::smithy_runtime::request::call_streaming(&self.core, input, #write, #read, crate::error::#error::from_response)
                .await
        }
    }
}

/// The SigV4 signing name: `aws.auth#sigv4`'s name, else the endpoint prefix, else the
/// service's name in lower case.
fn signing_name(types: &TypeMap<'_>) -> String {
    let known = &types.view.service.traits.known;
    known
        .sigv4
        .as_ref()
        .map(|s| s.name.clone())
        .or_else(|| known.aws_service.as_ref().and_then(|s| s.endpoint_prefix.clone()))
        .unwrap_or_else(|| types.view.service.id.name.to_lowercase())
}
