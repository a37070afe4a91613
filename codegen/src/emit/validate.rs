//! Validators: `impl Validate` for every structure and union whose values have constraints
//! to check, and an inherent `validate()` on every operation input. Each check is a call
//! into `smithy_runtime::validation`, which owns the messages.

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

use crate::emit::types::json_name;
use crate::emit::wire::TypeMap;
use crate::model::{Kind, Member, Simple};
use crate::problem::{path, Sink};
use crate::shape_id::ShapeId;
use crate::traits::{ids, Length, Range};

/// Reports every `@pattern` in the view that is not a valid ECMA-262 regular expression.
pub fn check(types: &TypeMap<'_>, sink: &mut Sink) {
    for id in &types.view.shapes {
        let shape = types.view.shape(id);
        let owners = std::iter::once((&shape.id, &shape.path, &shape.traits))
            .chain(shape.kind.members().into_iter().map(|m| (&m.id, &m.path, &m.traits)));
        for (owner, at, traits) in owners {
            if let Some(source) = &traits.known.pattern {
                if let Err(error) = smithy_runtime::validation::compile_pattern(source) {
                    let message = format!("@pattern `{source}` is not a valid ECMA-262 regular expression: {error}");
                    sink.report(Some(owner), path::on_trait(at, ids::PATTERN), message);
                }
            }
        }
    }
}

/// The items of `validation.rs`.
pub fn validation_module(types: &TypeMap<'_>) -> TokenStream {
    let mut emitter = Emitter { types, patterns: BTreeMap::new(), validated: validated_shapes(types) };
    let mut impls = Vec::new();
    for id in &types.view.shapes {
        let shape = types.view.shape(id);
        let is_input = types.view.operations.iter().any(|op| &op.input == id);
        if !is_input && !emitter.validated.contains(id) {
            continue;
        }
        let body = match &shape.kind {
            Kind::Structure(members) => emitter.structure_body(members.values()),
            Kind::Union(members) => emitter.union_body(members.values()),
            _ => continue,
        };
        let ident = types.names.type_ident(id);
        let unused = body.is_empty().then(|| quote! { let _ = (path, out); });
        impls.push(quote! {
            impl ::smithy_runtime::validation::Validate for crate::types::#ident {
                fn validate_at(
                    &self,
                    path: &::smithy_runtime::validation::Path<'_>,
                    out: &mut ::std::vec::Vec<::smithy_runtime::validation::Violation>,
                ) {
                    #unused
                    #body
                }
            }
        });
        if is_input {
            impls.push(quote! {
                impl crate::types::#ident {
                    /// Checks every constraint of the model on this input and returns every
                    /// violation, each with its path.
                    pub fn validate(&self) -> ::std::result::Result<(), ::smithy_runtime::validation::ValidationErrors> {
                        ::smithy_runtime::validation::Validate::validate(self)
                    }
                }
            });
        }
    }
    let patterns = emitter.patterns.iter().map(|(source, ident)| {
        quote! { static #ident: ::smithy_runtime::validation::Pattern = ::smithy_runtime::validation::Pattern::new(#source); }
    });
    quote! {
        //! Constraint validation of the model's types: every `@length`, `@pattern`, `@range`,
        //! `@uniqueItems` and enum value set, through nested structures, lists, maps and unions.
        #(#patterns)*
        #(#impls)*
    }
}

/// Shapes reachable from an operation input: only those are validated.
fn input_closure(types: &TypeMap<'_>) -> BTreeSet<ShapeId> {
    let mut seen = BTreeSet::new();
    let mut stack: Vec<ShapeId> = types.view.operations.iter().map(|op| op.input.clone()).collect();
    while let Some(id) = stack.pop() {
        if seen.insert(id.clone()) {
            stack.extend(types.view.shape(&id).kind.members().into_iter().map(|m| m.target.clone()));
        }
    }
    seen
}

/// Structures and unions reachable from an input that hold, at any depth, a value with a
/// constraint.
fn validated_shapes(types: &TypeMap<'_>) -> BTreeSet<ShapeId> {
    let reachable = input_closure(types);
    let mut validated = BTreeSet::new();
    loop {
        let before = validated.len();
        for id in &reachable {
            let shape = types.view.shape(id);
            if let Kind::Structure(members) | Kind::Union(members) = &shape.kind {
                if members.values().any(|m| member_needs_checks(types, m, &validated)) {
                    validated.insert(id.clone());
                }
            }
        }
        if validated.len() == before {
            return validated;
        }
    }
}

fn member_needs_checks(types: &TypeMap<'_>, member: &Member, validated: &BTreeSet<ShapeId>) -> bool {
    let target = types.view.shape(&member.target);
    let constrained = [&member.traits, &target.traits].iter().any(|t| {
        let k = &t.known;
        k.length.is_some() || k.pattern.is_some() || k.range.is_some() || k.unique_items
    });
    constrained
        || match &target.kind {
            Kind::Enum(_) | Kind::IntEnum(_) => true,
            // An event stream's events arrive after the handler starts; they are not checked.
            Kind::Union(_) if target.is_event_stream() => false,
            Kind::Structure(_) | Kind::Union(_) => validated.contains(&member.target),
            Kind::List(element) => member_needs_checks(types, element, validated),
            Kind::Map { key, value } => {
                member_needs_checks(types, key, validated) || member_needs_checks(types, value, validated)
            }
            _ => false,
        }
}

struct Emitter<'a> {
    types: &'a TypeMap<'a>,
    /// Pattern sources to the statics that compile them, one per distinct pattern.
    patterns: BTreeMap<String, proc_macro2::Ident>,
    validated: BTreeSet<ShapeId>,
}

impl Emitter<'_> {
    fn structure_body<'m>(&mut self, members: impl Iterator<Item = &'m Member>) -> TokenStream {
        let mut statements = Vec::new();
        for member in members {
            let checks = self.checks(member);
            if checks.is_empty() {
                continue;
            }
            let field = self.types.names.field_ident(&member.id);
            let name = segment_name(member);
            let binding = if crate::emit::types::is_optional(member) {
                quote! { if let ::std::option::Option::Some(value) = &self.#field }
            } else {
                quote! { let value = &self.#field; }
            };
            statements.push(if crate::emit::types::is_optional(member) {
                quote! { #binding { let path = path.name(#name); #checks } }
            } else {
                quote! { { #binding let path = path.name(#name); #checks } }
            });
        }
        quote! { #(#statements)* }
    }

    fn union_body<'m>(&mut self, members: impl Iterator<Item = &'m Member>) -> TokenStream {
        let mut arms = Vec::new();
        for member in members {
            let checks = self.checks(member);
            if checks.is_empty() {
                continue;
            }
            let variant = self.types.names.variant_ident(&member.id);
            let name = segment_name(member);
            arms.push((quote! { Self::#variant(value) }, quote! { { let path = path.name(#name); #checks } }));
        }
        if arms.is_empty() {
            return TokenStream::new();
        }
        if let [(pattern, body)] = arms.as_slice() {
            // One member with constraints: `if let`, as clippy's single_match asks.
            return quote! { if let #pattern = self #body };
        }
        let arms = arms.iter().map(|(pattern, body)| quote! { #pattern => #body });
        quote! {
            match self {
                #(#arms)*
                _ => {}
            }
        }
    }

    /// Statements that check `value` (a reference to the member's value) at `path`.
    fn checks(&mut self, member: &Member) -> TokenStream {
        let target = self.types.view.shape(&member.target).clone();
        let known = |f: fn(&crate::traits::Known) -> bool| f(&member.traits.known) || f(&target.traits.known);
        let length = member.traits.known.length.or(target.traits.known.length);
        let pattern = member.traits.known.pattern.clone().or_else(|| target.traits.known.pattern.clone());
        let range = member.traits.known.range.clone().or_else(|| target.traits.known.range.clone());
        let mut out = Vec::new();
        match &target.kind {
            Kind::Simple(Simple::String) => {
                if let Some(length) = length {
                    let (min, max) = length_bounds(length);
                    out.push(quote! { ::smithy_runtime::validation::string_length(value, #min, #max, &path, out); });
                }
                if let Some(source) = pattern {
                    let ident = self.pattern(&source);
                    out.push(quote! { ::smithy_runtime::validation::pattern(value, &#ident, &path, out); });
                }
            }
            Kind::Simple(Simple::Blob) => {
                if let Some(length) = length {
                    let (min, max) = length_bounds(length);
                    out.push(
                        quote! { ::smithy_runtime::validation::length(value.as_ref().len(), #min, #max, &path, out); },
                    );
                }
            }
            Kind::Simple(simple) if simple.is_number() => {
                if let Some(range) = range {
                    out.push(range_check(*simple, &range));
                }
            }
            Kind::Enum(values) | Kind::IntEnum(values) => {
                let ty = self.types.value_type(&member.target);
                // The message lists the values a caller may send: `@internal` ones are valid
                // but not advertised.
                let listed = values.values().filter(|v| !v.traits.has(ids::INTERNAL));
                let (check, listed) = if matches!(target.kind, Kind::Enum(_)) {
                    let listed = listed.filter_map(|v| v.traits.raw.get(ids::ENUM_VALUE)?.as_str());
                    (quote! { enum_value }, quote! { &[#(#listed),*] })
                } else {
                    let listed = listed.filter_map(|v| v.traits.raw.get(ids::ENUM_VALUE)?.as_i64()?.try_into().ok());
                    let listed: Vec<i32> = listed.collect();
                    (quote! { int_enum_value }, quote! { &[#(#listed),*] })
                };
                let all_listed = values.values().all(|v| !v.traits.has(ids::INTERNAL));
                let listed = if all_listed {
                    quote! { #ty::VALUES }
                } else {
                    listed
                };
                out.push(quote! {
                    ::smithy_runtime::validation::#check(value.is_known(), #listed, &path, out);
                });
            }
            // An event stream is not a value to check (see `member_needs_checks`).
            Kind::Union(_) if target.is_event_stream() => {}
            Kind::Structure(_) | Kind::Union(_) if self.validated.contains(&member.target) => {
                out.push(quote! { ::smithy_runtime::validation::Validate::validate_at(value, &path, out); });
            }
            Kind::List(element) => {
                if let Some(length) = length {
                    let (min, max) = length_bounds(length);
                    out.push(quote! { ::smithy_runtime::validation::length(value.len(), #min, #max, &path, out); });
                }
                if known(|k| k.unique_items) {
                    out.push(quote! { ::smithy_runtime::validation::unique_items(value, &path, out); });
                }
                let item_checks = self.checks(element);
                if !item_checks.is_empty() {
                    let item = if target.traits.known.sparse {
                        quote! { let ::std::option::Option::Some(value) = item else { continue }; }
                    } else {
                        quote! { let value = item; }
                    };
                    out.push(quote! {
                        for (index, item) in value.iter().enumerate() {
                            #item
                            let path = path.index(index);
                            #item_checks
                        }
                    });
                }
            }
            Kind::Map { key, value } => {
                if let Some(length) = length {
                    let (min, max) = length_bounds(length);
                    out.push(quote! { ::smithy_runtime::validation::length(value.len(), #min, #max, &path, out); });
                }
                // A key is checked at the map's own path: keys do not extend it.
                let key_checks = self.checks(key);
                let value_checks = self.checks(value);
                if !key_checks.is_empty() || !value_checks.is_empty() {
                    let entry = if target.traits.known.sparse {
                        quote! { let ::std::option::Option::Some(value) = entry else { continue }; }
                    } else {
                        quote! { let value = entry; }
                    };
                    let key_block = (!key_checks.is_empty()).then(|| {
                        quote! {
                            {
                                let value = key;
                                #key_checks
                            }
                        }
                    });
                    // The value's binding and path only where its checks use them.
                    let loop_head = if value_checks.is_empty() {
                        quote! { for key in value.keys() }
                    } else {
                        quote! { for (key, entry) in value }
                    };
                    let value_part = (!value_checks.is_empty()).then(|| {
                        quote! {
                            #entry
                            let path = path.name(::std::convert::AsRef::<str>::as_ref(key));
                            #value_checks
                        }
                    });
                    out.push(quote! {
                        #loop_head {
                            #key_block
                            #value_part
                        }
                    });
                }
            }
            _ => {}
        }
        quote! { #(#out)* }
    }

    fn pattern(&mut self, source: &str) -> proc_macro2::Ident {
        let next = self.patterns.len();
        self.patterns.entry(source.to_owned()).or_insert_with(|| format_ident!("PATTERN_{}", next)).clone()
    }
}

/// The path segment of a member: its wire name in a body, its member name when it is bound
/// to the URI, a header or the query (as the Smithy protocol tests expect).
fn segment_name(member: &Member) -> String {
    if member.traits.known.binds_outside_body() {
        member.name.clone()
    } else {
        json_name(member).to_owned()
    }
}

fn length_bounds(length: Length) -> (TokenStream, TokenStream) {
    let bound = |b: Option<u64>| match b {
        Some(n) => quote! { ::std::option::Option::Some(#n) },
        None => quote! { ::std::option::Option::None },
    };
    (bound(length.min), bound(length.max))
}

/// A `@range` check: integers compare as `i64` when the bounds are whole, everything else
/// as `f64` (big numbers too, which is approximate beyond 2^53).
fn range_check(simple: Simple, range: &Range) -> TokenStream {
    let whole = |n: &Option<serde_json::Number>| n.as_ref().is_none_or(|n| n.is_i64());
    let integer = matches!(simple, Simple::Byte | Simple::Short | Simple::Integer | Simple::Long);
    let as_integer = integer && whole(&range.min) && whole(&range.max);
    let bound = |n: &Option<serde_json::Number>| match n {
        None => quote! { ::std::option::Option::None },
        Some(n) => {
            let text = n.to_string();
            let literal = if as_integer {
                Literal::i64_suffixed(n.as_i64().unwrap_or_default())
            } else {
                Literal::f64_suffixed(n.as_f64().unwrap_or_default())
            };
            quote! { ::std::option::Option::Some((#literal, #text)) }
        }
    };
    let (min, max) = (bound(&range.min), bound(&range.max));
    let value = match simple {
        Simple::Long if as_integer => quote! { *value },
        _ if as_integer => quote! { i64::from(*value) },
        Simple::Double => quote! { *value },
        Simple::Byte | Simple::Short | Simple::Integer | Simple::Float => quote! { f64::from(*value) },
        // Deliberately lossy: a long beyond 2^53 compared with a fractional bound.
        Simple::Long => quote! { { #[allow(clippy::cast_precision_loss)] let v = *value as f64; v } },
        _ => quote! { value.as_str().parse::<f64>().unwrap_or(f64::NAN) },
    };
    quote! { ::smithy_runtime::validation::range(#value, #min, #max, &path, out); }
}
