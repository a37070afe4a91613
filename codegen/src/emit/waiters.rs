//! Waiters: `client.wait_until_table_exists().table_name(t).wait(max_wait)` for every waiter of
//! a `@waitable` operation. The runtime's `client::waiter` calls and matches; this writes,
//! per waiter, its acceptors as data, its input setters, and how the model types look to
//! JMESPath (`Searchable`, keyed by member names).

use std::collections::BTreeSet;

use proc_macro2::TokenStream;
use quote::quote;

use crate::emit::fluent::{call_ident, construction_error, setters};
use crate::emit::service::error_ident;
use crate::emit::wire::TypeMap;
use crate::model::Kind;
use crate::naming::{waiter_method_ident, waiter_type_ident};
use crate::problem::{path, Sink};
use crate::service::{OperationView, ServiceView};
use crate::shape_id::ShapeId;
use crate::traits::ids;
use crate::traits::waitable::{AcceptorState, Comparator, Matcher, PathMatcher, Waiter};

/// The waiters of the service: each with its name and operation, in operation order.
fn waiters(view: &ServiceView) -> Vec<(&str, &OperationView, &Waiter)> {
    let mut all = Vec::new();
    for op in &view.operations {
        let Some(waitable) = &view.shape(&op.id).traits.known.waitable else {
            continue;
        };
        all.extend(waitable.iter().map(|(name, waiter)| (name.as_str(), op, waiter)));
    }
    all
}

/// Whether the service has a waiter: its crate's client then needs the runtime's `waiters`.
pub fn any(view: &ServiceView) -> bool {
    !waiters(view).is_empty()
}

/// Reports every waiter the generated code could not honour: no acceptor, delays out of
/// order, a JMESPath expression that does not parse, an input that streams (a waiter calls
/// again with the same input), or a name another client method has.
pub fn check(types: &TypeMap<'_>, sink: &mut Sink) {
    let mut methods: BTreeSet<String> =
        types.view.operations.iter().map(|op| types.names.method_ident(&op.id).to_string()).collect();
    for (name, op, waiter) in waiters(types.view) {
        let at = format!("{}.{name}", path::on_trait(&types.view.shape(&op.id).path, ids::WAITABLE));
        let mut report = |at: String, message: String| sink.report(Some(&op.id), at, message);
        if waiter.acceptors.is_empty() {
            report(at.clone(), format!("waiter {name} has no acceptor"));
        }
        if waiter.min_delay < 1 || waiter.min_delay > waiter.max_delay {
            let (min, max) = (waiter.min_delay, waiter.max_delay);
            report(at.clone(), format!("waiter {name} needs 1 <= minDelay <= maxDelay, not {min} and {max}"));
        }
        for (index, acceptor) in waiter.acceptors.iter().enumerate() {
            if let Matcher::Output(path) | Matcher::InputOutput(path) = &acceptor.matcher {
                if let Err(error) = jmespath::compile(&path.path) {
                    let message =
                        format!("waiter {name}: the JMESPath expression {:?} does not parse: {error}", path.path);
                    report(format!("{at}.acceptors[{index}].matcher"), message);
                }
            }
        }
        let input = &types.view.shape(&op.input).kind;
        if matches!(input, Kind::Structure(members) if crate::emit::streaming::holds_stream(types, members)) {
            report(
                at.clone(),
                format!("waiter {name}: the input of {} streams, so it cannot be sent again", op.id.name),
            );
        }
        // Smithy requires waiter names unique regardless of case; two that make one method
        // (or one with an operation's name) would not compile.
        let method = waiter_method_ident(name);
        if !methods.insert(method.to_string()) {
            report(at, format!("waiter {name}: another waiter or an operation's method is already named {method}"));
        }
    }
}

/// The waiters' builders and the client methods that start them, for `client::fluent`.
pub fn waiter_items(types: &TypeMap<'_>) -> TokenStream {
    let all = waiters(types.view);
    if all.is_empty() {
        return TokenStream::new();
    }
    let builders = all.iter().map(|(name, op, waiter)| builder(types, name, op, waiter));
    let entry_points = all.iter().map(|(name, op, waiter)| {
        let method = waiter_method_ident(name);
        let ty = waiter_type_ident(name);
        let call = call_ident(op);
        let doc = waiter_doc(name, op, waiter);
        let deprecated = waiter.deprecated.then(|| quote! { #[deprecated] });
        quote! {
            #doc
            #deprecated
            pub fn #method(&self) -> #ty {
                #ty::new(#call::new(::std::clone::Clone::clone(self)))
            }
        }
    });
    let searchable = searchable_impls(types, &all);
    quote! {
        impl crate::client::Client {
            #(#entry_points)*
        }
        #(#builders)*
        #searchable
    }
}

/// The client method's documentation: what the waiter does, then the model's words on it
/// (HTML or Markdown, converted as every other doc comment is).
fn waiter_doc(name: &str, op: &OperationView, waiter: &Waiter) -> TokenStream {
    let mut text = format!(
        "Waiter {name}: calls {} until the model's acceptors end the wait; set the input's members, then \
         `wait(max_wait)`.",
        op.id.name
    );
    let model_doc = waiter.documentation.as_deref().map(crate::docs::markdown).unwrap_or_default();
    if !model_doc.trim().is_empty() {
        text = format!("{text}\n\n{model_doc}");
    }
    crate::docs::lines_to_attrs(&text)
}

/// `{Name}Waiter`: the operation's fluent call, the delays, and `wait`.
fn builder(types: &TypeMap<'_>, name: &str, op: &OperationView, waiter: &Waiter) -> TokenStream {
    let ty = waiter_type_ident(name);
    let call = call_ident(op);
    let trait_ident = types.names.service_ident();
    let method = types.names.method_ident(&op.id);
    let output = types.names.type_ident(&op.output);
    let error = error_ident(&op.id);
    let setters = setters(types, op, &quote! { self.call.input });
    let build = match construction_error(types, op) {
        Some(to_error) => quote! {
            self.call.input.build().map_err(#to_error).map_err(|error| {
                ::smithy_runtime::client::waiter::WaiterError::Operation { waiter: #name, error }
            })?
        },
        None => quote! { self.call.input.build() },
    };
    let acceptors = waiter.acceptors.iter().map(|acceptor| {
        let state = match acceptor.state {
            AcceptorState::Success => quote! { Success },
            AcceptorState::Failure => quote! { Failure },
            AcceptorState::Retry => quote! { Retry },
        };
        let matcher = matcher(&acceptor.matcher);
        quote! {
            ::smithy_runtime::client::waiter::Acceptor {
                state: ::smithy_runtime::client::waiter::AcceptorState::#state,
                matcher: #matcher,
            },
        }
    });
    let (min_delay, max_delay) = (waiter.min_delay, waiter.max_delay);
    let doc = format!(" The {name} waiter: set the input's members, then [`wait`](Self::wait).");
    let result = quote! {
        ::std::result::Result<
            ::smithy_runtime::client::waiter::WaitFinished<crate::types::#output, crate::error::#error>,
            ::smithy_runtime::client::waiter::WaiterError<crate::types::#output, crate::error::#error>,
        >
    };
    quote! {
        #[doc = #doc]
        #[derive(Debug)]
        pub struct #ty {
            call: #call,
            min_delay: ::std::time::Duration,
            max_delay: ::std::time::Duration,
        }
        impl #ty {
            const ACCEPTORS: &'static [::smithy_runtime::client::waiter::Acceptor] = &[#(#acceptors)*];
            fn new(call: #call) -> Self {
                Self {
                    call,
                    min_delay: ::std::time::Duration::from_secs(#min_delay),
                    max_delay: ::std::time::Duration::from_secs(#max_delay),
                }
            }
            #(#setters)*
            /// Runs each call with these overrides of the client's retries and timeouts.
            pub fn config_override(mut self, overrides: ::smithy_runtime::client::CallConfig) -> Self {
                self.call = self.call.config_override(overrides);
                self
            }
            /// The shortest pause between calls, instead of the model's `minDelay`.
            pub fn min_delay(mut self, delay: ::std::time::Duration) -> Self {
                self.min_delay = delay;
                self
            }
            /// The longest pause between calls, instead of the model's `maxDelay`.
            pub fn max_delay(mut self, delay: ::std::time::Duration) -> Self {
                self.max_delay = delay;
                self
            }
            /// Calls the operation until an acceptor ends the wait, pausing between calls with
            /// exponential backoff and jitter, for at most `max_wait`. An error no acceptor
            /// expects ends the wait with that error; so does a `@required` member left unset.
            pub async fn wait(self, max_wait: ::std::time::Duration) -> #result {
                let input = #build;
                let client = self.call.client.with_call_config(&self.call.overrides);
                let spec = ::smithy_runtime::client::waiter::WaiterSpec {
                    name: #name,
                    acceptors: Self::ACCEPTORS,
                    min_delay: self.min_delay,
                    max_delay: self.max_delay,
                };
                let code: fn(&crate::error::#error) -> &str = crate::error::#error::code;
                ::smithy_runtime::client::waiter::wait(&spec, max_wait, input, code, |input| {
                    <crate::client::Client as crate::service::#trait_ident>::#method(&client, input)
                })
                .await
            }
        }
    }
}

/// A matcher as runtime data.
fn matcher(matcher: &Matcher) -> TokenStream {
    let path_matcher = |variant: TokenStream, path: &PathMatcher| {
        let (expression, expected) = (&path.path, &path.expected);
        let comparator = match path.comparator {
            Comparator::StringEquals => quote! { StringEquals },
            Comparator::BooleanEquals => quote! { BooleanEquals },
            Comparator::AllStringEquals => quote! { AllStringEquals },
            Comparator::AnyStringEquals => quote! { AnyStringEquals },
        };
        quote! {
            ::smithy_runtime::client::waiter::Matcher::#variant {
                path: #expression,
                expected: #expected,
                comparator: ::smithy_runtime::client::waiter::Comparator::#comparator,
            }
        }
    };
    match matcher {
        Matcher::Output(path) => path_matcher(quote! { Output }, path),
        Matcher::InputOutput(path) => path_matcher(quote! { InputOutput }, path),
        Matcher::Success(success) => quote! { ::smithy_runtime::client::waiter::Matcher::Success(#success) },
        Matcher::ErrorType(name) => quote! { ::smithy_runtime::client::waiter::Matcher::ErrorType(#name) },
    }
}

/// `Searchable` for every structure, union and enum the waiters' inputs and outputs reach.
fn searchable_impls(types: &TypeMap<'_>, waiters: &[(&str, &OperationView, &Waiter)]) -> TokenStream {
    let mut reached = BTreeSet::new();
    let mut pending: Vec<ShapeId> =
        waiters.iter().flat_map(|(_, op, _)| [op.input.clone(), op.output.clone()]).collect();
    while let Some(id) = pending.pop() {
        if reached.insert(id.clone()) {
            pending.extend(types.view.shape(&id).kind.members().into_iter().map(|m| m.target.clone()));
        }
    }
    // Only the shapes that are generated types (not `Unit`, say).
    let impls = reached.iter().filter(|id| types.view.shapes.contains(*id)).filter_map(|id| searchable(types, id));
    quote! { #(#impls)* }
}

/// One type's `Searchable`, or `None` for a shape that is not a generated type.
fn searchable(types: &TypeMap<'_>, id: &ShapeId) -> Option<TokenStream> {
    let shape = types.view.shape(id);
    let searchable = quote! { ::smithy_runtime::client::waiter::Searchable };
    let json = quote! { ::smithy_runtime::serde_json };
    let body = match &shape.kind {
        Kind::Structure(members) => {
            let entries = members.values().map(|member| {
                let (name, field) = (&member.name, types.names.field_ident(&member.id));
                quote! { object.insert(#name.to_owned(), #searchable::to_search_value(&self.#field)); }
            });
            let object = if members.is_empty() {
                quote! { let object }
            } else {
                quote! { let mut object }
            };
            quote! {
                #object = #json::Map::new();
                #(#entries)*
                #json::Value::Object(object)
            }
        }
        Kind::Union(members) => {
            let arms = members.values().map(|member| {
                let (name, variant) = (&member.name, types.names.variant_ident(&member.id));
                if types.view.shape(&member.target).traits.known.unit_type {
                    quote! { Self::#variant => (#name, #json::Value::Object(#json::Map::new())), }
                } else {
                    quote! { Self::#variant(value) => (#name, #searchable::to_search_value(value)), }
                }
            });
            quote! {
                let (name, value) = match self {
                    #(#arms)*
                    Self::Unknown => return #json::Value::Null,
                };
                #json::Value::Object(::std::iter::once((name.to_owned(), value)).collect())
            }
        }
        Kind::Enum(_) => quote! { #json::Value::String(self.as_str().to_owned()) },
        Kind::IntEnum(_) => quote! { #json::Value::from(self.as_i32()) },
        _ => return None,
    };
    let ident = types.names.type_ident(id);
    Some(quote! {
        impl #searchable for crate::types::#ident {
            fn to_search_value(&self) -> #json::Value {
                #body
            }
        }
    })
}
