//! What every generated test shares: a stand-in implementation of the service trait for the
//! server, and a client over a recording transport.

use proc_macro2::TokenStream;
use quote::quote;

use crate::emit::service::error_ident;
use crate::emit::wire::TypeMap;

/// A stand-in implementation of the service trait: it keeps the input it was called with
/// and answers with an `Unhandled` error (501).
pub(super) fn fake_service(types: &TypeMap<'_>) -> TokenStream {
    let trait_ident = types.names.service_ident();
    let methods = types.view.operations.iter().map(|op| {
        let method = types.names.method_ident(&op.id);
        let input = types.names.type_ident(&op.input);
        let output = types.names.type_ident(&op.output);
        let error = error_ident(&op.id);
        quote! {
            async fn #method(&self, input: crate::types::#input) -> ::std::result::Result<crate::types::#output, crate::error::#error> {
                *self.input.lock().unwrap() = ::std::option::Option::Some(::std::boxed::Box::new(input));
                ::std::result::Result::Err(crate::error::#error::Unhandled(::smithy_runtime::error::Unhandled::new(
                    "NotImplemented",
                    ::std::option::Option::None,
                    501,
                )))
            }
        }
    });
    quote! {
        /// Captures the input of the operation the server called.
        #[derive(Default, Clone)]
        struct Fake {
            input: ::std::sync::Arc<::std::sync::Mutex<::std::option::Option<::std::boxed::Box<dyn ::std::any::Any + Send>>>>,
        }
        impl crate::service::#trait_ident for Fake {
            #(#methods)*
        }
        /// Sends `request` to the generated server over `fake`.
        fn serve(fake: &Fake, request: ::smithy_runtime::http::Request<::smithy_runtime::bytes::Bytes>) -> ::smithy_runtime::http::Response<::smithy_runtime::bytes::Bytes> {
            use ::smithy_runtime::client::Transport as _;
            let server = crate::server::server(fake.clone(), crate::server::ServerConfig::new());
            block_on(::smithy_runtime::client::ServiceTransport::new(server).send(request)).unwrap()
        }
        /// A client that records its request and answers with `canned`.
        fn client(host: &str, canned: ::smithy_runtime::http::Response<::smithy_runtime::bytes::Bytes>) -> (crate::client::Client, ::std::sync::Arc<Recorder>) {
            let recorder = ::std::sync::Arc::new(Recorder::new(canned));
            let config = crate::client::Config::new()
                .endpoint_url(::std::format!("https://{host}"))
                .region("us-east-1")
                .retry(crate::client::RetryConfig::disabled())
                // The suite's fixed token for members the case leaves unset.
                .idempotency_token_provider(|| ::std::string::String::from("00000000-0000-4000-8000-000000000000"))
                .transport(recorder.clone());
            (crate::client::Client::new(config).unwrap(), recorder)
        }
    }
}
