//! Event streams: each `@streaming` union gets an implementation of the runtime's
//! `event_stream::Event`, which makes its members messages and back. The JSON protocols share
//! one form (the runtime's `event_stream::json`): a member's name is its `:event-type` (or
//! `:exception-type` for an `@error` structure), `@eventHeader` members are typed headers,
//! an `@eventPayload` member is the payload, and the rest are the payload as a JSON object.

use heck::ToShoutySnakeCase;
use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use crate::emit::types::json_name;
use crate::emit::wire::TypeMap;
use crate::model::{Kind, Member, Simple};
use crate::problem::Sink;
use crate::shape_id::ShapeId;
use crate::traits::TimestampFormat;

/// The trait that binds a member to a message header.
const EVENT_HEADER: &str = "smithy.api#eventHeader";

/// The trait that makes a member the whole message payload.
const EVENT_PAYLOAD: &str = "smithy.api#eventPayload";

/// Whether the service has an event stream (then its crate turns on the runtime's HTTP/2).
pub fn any(view: &crate::service::ServiceView) -> bool {
    view.shapes.iter().any(|id| view.shape(id).is_event_stream())
}

/// The `Event` implementations of every event-stream union of the service.
pub fn event_items(types: &TypeMap<'_>) -> TokenStream {
    let items = crate::emit::streaming::event_stream_unions(types).into_iter().map(|id| union_events(types, id));
    quote! { #(#items)* }
}

/// Reports event-stream unions the generator cannot write: a member that does not target a
/// structure (Smithy requires one), and more than one `@eventPayload` in an event.
pub fn check(types: &TypeMap<'_>, sink: &mut Sink) {
    for id in crate::emit::streaming::event_stream_unions(types) {
        let Kind::Union(members) = &types.view.shape(id).kind else { continue };
        for member in members.values() {
            let Kind::Structure(fields) = &types.view.shape(&member.target).kind else {
                let problem = "a member of a @streaming union must target a structure";
                sink.report(Some(&member.id), member.path.clone(), problem);
                continue;
            };
            if fields.values().filter(|f| f.traits.has(EVENT_PAYLOAD)).count() > 1 {
                let problem = "an event structure can have one @eventPayload member at most";
                sink.report(Some(&member.target), member.path.clone(), problem);
            }
        }
    }
}

/// `impl Event` for the union `id`, with a private constant describing each member.
fn union_events(types: &TypeMap<'_>, id: &ShapeId) -> TokenStream {
    let Kind::Union(members) = &types.view.shape(id).kind else { return TokenStream::new() };
    let ident = types.names.type_ident(id);
    let members: Vec<&Member> = members.values().collect();
    let shapes = members.iter().map(|m| event_shape(types, m));
    let consts: Vec<Ident> = members.iter().map(|m| shape_const(m)).collect();
    let variants: Vec<Ident> = members.iter().map(|m| types.names.variant_ident(&m.id)).collect();
    let names = members.iter().map(|m| m.name.as_str());
    let exceptions: Vec<bool> = members.iter().map(|m| is_exception(types, m)).collect();
    let exception_variants = variants.iter().zip(&exceptions).filter(|(_, e)| **e).map(|(v, _)| v);
    let is_exception = if exceptions.iter().any(|e| *e) {
        quote! { ::std::matches!(self, #(Self::#exception_variants(_))|*) }
    } else {
        quote! { false }
    };
    let runtime = quote! { ::smithy_runtime::event_stream };
    quote! {
        impl crate::types::#ident {
            #(#shapes)*
        }
        impl #runtime::Event for crate::types::#ident {
            fn to_message(&self) -> ::std::result::Result<#runtime::Message, #runtime::EventStreamError> {
                match self {
                    #(Self::#variants(value) => #runtime::json::write_event(&Self::#consts, value),)*
                    Self::Unknown => ::std::result::Result::Err(#runtime::EventStreamError::new(
                        #runtime::ErrorKind::Message,
                        "an Unknown event cannot be sent",
                    )),
                }
            }
            fn from_message(
                message: &#runtime::Message,
            ) -> ::std::result::Result<::std::option::Option<Self>, #runtime::EventStreamError> {
                let exception = match #runtime::string_header(message, ":message-type") {
                    ::std::option::Option::Some("event") => false,
                    ::std::option::Option::Some("exception") => true,
                    _ => return ::std::result::Result::Err(#runtime::EventStreamError::new(
                        #runtime::ErrorKind::Message,
                        "a message that is neither an event nor an exception (its :message-type string header)",
                    )),
                };
                let type_header = if exception { ":exception-type" } else { ":event-type" };
                let ::std::option::Option::Some(name) = #runtime::string_header(message, type_header) else {
                    return ::std::result::Result::Err(#runtime::EventStreamError::new(
                        #runtime::ErrorKind::Message,
                        ::std::format!("a message without a string {type_header} header"),
                    ));
                };
                ::std::result::Result::Ok(::std::option::Option::Some(match (exception, name) {
                    #((#exceptions, #names) => Self::#variants(#runtime::json::read_event(&Self::#consts, message)?),)*
                    // An event this version does not know is skipped; an exception ends the stream.
                    (false, _) => return ::std::result::Result::Ok(::std::option::Option::None),
                    (true, other) => return ::std::result::Result::Err(#runtime::unmodeled_exception(other, message)),
                }))
            }
            fn is_exception(&self) -> bool {
                #is_exception
            }
        }
    }
}

/// The constant that describes member `member`'s messages.
fn shape_const(member: &Member) -> Ident {
    format_ident!("EVENT_{}", member.name.to_shouty_snake_case())
}

/// Whether a union member is one of the stream's modeled exceptions.
fn is_exception(types: &TypeMap<'_>, member: &Member) -> bool {
    types.view.shape(&member.target).traits.known.error.is_some()
}

/// `const EVENT_X: EventShape = ...;` for one member of an event-stream union.
fn event_shape(types: &TypeMap<'_>, member: &Member) -> TokenStream {
    let runtime = quote! { ::smithy_runtime::event_stream::json };
    let ident = shape_const(member);
    let name = &member.name;
    let exception = is_exception(types, member);
    let fields: Vec<&Member> = match &types.view.shape(&member.target).kind {
        Kind::Structure(fields) => fields.values().collect(),
        _ => Vec::new(),
    };
    let headers = fields.iter().filter(|f| f.traits.has(EVENT_HEADER)).map(|f| {
        let (key, header) = (json_name(f), f.name.as_str());
        let kind = header_kind(types, f);
        quote! { (#key, #header, #runtime::HeaderKind::#kind) }
    });
    let payload = match fields.iter().find(|f| f.traits.has(EVENT_PAYLOAD)) {
        Some(f) => {
            let key = json_name(f);
            let kind = match &types.view.shape(&f.target).kind {
                Kind::Simple(Simple::Blob) => quote! { Blob },
                Kind::Simple(Simple::String) | Kind::Enum(_) => quote! { String },
                _ => quote! { Json },
            };
            quote! { ::std::option::Option::Some((#key, #runtime::PayloadKind::#kind)) }
        }
        None => quote! { ::std::option::Option::None },
    };
    let body = fields.iter().any(|f| !f.traits.has(EVENT_HEADER) && !f.traits.has(EVENT_PAYLOAD));
    let doc = format!(" How the `{name}` member travels as a message.");
    quote! {
        #[doc = #doc]
        const #ident: #runtime::EventShape = #runtime::EventShape {
            name: #name,
            exception: #exception,
            headers: &[#(#headers),*],
            payload: #payload,
            body: #body,
        };
    }
}

/// The header kind of an `@eventHeader` member.
fn header_kind(types: &TypeMap<'_>, member: &Member) -> TokenStream {
    match &types.view.shape(&member.target).kind {
        Kind::Simple(Simple::Boolean) => quote! { Boolean },
        Kind::Simple(Simple::Byte) => quote! { Byte },
        Kind::Simple(Simple::Short) => quote! { Short },
        Kind::Simple(Simple::Integer) | Kind::IntEnum(_) => quote! { Integer },
        Kind::Simple(Simple::Long) => quote! { Long },
        Kind::Simple(Simple::Blob) => quote! { Blob },
        Kind::Simple(Simple::Timestamp) => {
            let format = match types.timestamp_format(member, TimestampFormat::EpochSeconds) {
                TimestampFormat::EpochSeconds => quote! { EpochSeconds },
                TimestampFormat::DateTime => quote! { DateTime },
                TimestampFormat::HttpDate => quote! { HttpDate },
            };
            quote! { Timestamp(::smithy_runtime::DateTimeFormat::#format) }
        }
        _ => quote! { String },
    }
}
