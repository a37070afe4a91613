//! Emit: one function per concern, each reading the service view and returning tokens or
//! text. None of them touches shared state or the disk.

pub mod bindings;
pub mod client;
pub mod defaults;
pub mod messages;
pub mod protocol;
pub mod server;
pub mod service;
pub mod types;
pub mod validate;
pub mod wire;

use proc_macro2::TokenStream;
use quote::quote;

use crate::docs;
use crate::naming::Names;
use crate::service::ServiceView;
use crate::GenerateOptions;

/// The crate root: service documentation and the module list.
pub fn lib_rs(view: &ServiceView) -> TokenStream {
    let protocol =
        view.service.traits.known.rest_json1.then(|| quote! { pub mod client; mod protocol; pub mod server; });
    let known = &view.service.traits.known;
    let title = known.title.clone().unwrap_or_else(|| view.service.id.name.clone());
    let mut text = format!("{title} (version {}), generated from its Smithy model.", service_version(view));
    if let Some(documentation) = &known.documentation {
        text = format!("{text}\n\n{}", docs::markdown(documentation));
    }
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
        mod validation;
    }
}

/// The items of `types.rs`.
pub fn types_rs(view: &ServiceView, names: &Names) -> TokenStream {
    let types = wire::TypeMap { view, names };
    let items = types::types_module(&types);
    quote! {
        //! The shapes of the service's model as Rust types, with their restJson1 JSON form.
        #items
    }
}

/// The items of `protocol.rs`, when the service speaks restJson1.
pub fn protocol_rs(view: &ServiceView, names: &Names) -> Option<TokenStream> {
    protocol::protocol_module(&wire::TypeMap { view, names })
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

/// The generated crate's `Cargo.toml`.
pub fn cargo_toml(view: &ServiceView, crate_name: &str, options: &GenerateOptions) -> String {
    let description = format!(
        "Rust types for the {} service (version {}), generated from its Smithy model.",
        view.service.id.name,
        service_version(view)
    );
    format!(
        "{header}\n[package]\nname = {name}\nversion = \"0.1.0\"\nedition = \"2021\"\ndescription = {description}\npublish = false\n\n[dependencies]\nsmithy-runtime = {{ path = {runtime} }}\n",
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
