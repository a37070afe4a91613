//! `@paginated`, resolved: which input member carries the page token and the page size, and
//! which output members (a path through nested structures) hold the next token and the
//! items. The operation's trait is merged over the service's, as Smithy says; paths that do
//! not lead anywhere are problems of the model, reported with where the trait is.

use crate::emit::wire::TypeMap;
use crate::model::{Kind, Member};
use crate::problem::{path, Sink};
use crate::service::OperationView;
use crate::traits::{ids, Paginated};

/// An operation's pagination, with every name resolved to its member.
pub struct Pagination<'a> {
    /// The input member the next page's token goes in.
    pub input_token: &'a Member,
    /// The output members leading to the next token, outermost first.
    pub output_token: Vec<&'a Member>,
    /// The output members leading to the items, outermost first; `None` without `items`
    /// and without a single top-level list or map to take for them.
    pub items: Option<Vec<&'a Member>>,
    /// The input member that limits a page's size, if the trait names one.
    pub page_size: Option<&'a Member>,
}

/// The operation's `@paginated` merged over the service's, when the operation has one.
fn merged(types: &TypeMap<'_>, op: &OperationView) -> Option<Paginated> {
    let own = types.view.shape(&op.id).traits.known.paginated.clone()?;
    let service = types.view.service.traits.known.paginated.clone().unwrap_or_default();
    Some(Paginated {
        input_token: own.input_token.or(service.input_token),
        output_token: own.output_token.or(service.output_token),
        items: own.items.or(service.items),
        page_size: own.page_size.or(service.page_size),
    })
}

/// The resolved pagination of `op`, or why it cannot be resolved; `Ok(None)` when the
/// operation is not paginated.
pub fn resolve<'a>(types: &TypeMap<'a>, op: &OperationView) -> Result<Option<Pagination<'a>>, String> {
    let Some(paginated) = merged(types, op) else {
        return Ok(None);
    };
    let (Some(input_token), Some(output_token)) = (&paginated.input_token, &paginated.output_token) else {
        return Err("@paginated needs both inputToken and outputToken (on the operation or the service)".into());
    };
    let input_token = input_member(types, op, input_token)?;
    let output_token = output_path(types, op, output_token)?;
    let items = match paginated.items.as_deref() {
        Some(items) => Some(output_path(types, op, items)?),
        None => only_collection(types, op).map(|member| vec![member]),
    };
    if let Some(items) = &items {
        let target = &types.view.shape(&items[items.len() - 1].target).kind;
        if !matches!(target, Kind::List(_) | Kind::Map { .. }) {
            return Err("@paginated items must lead to a list or a map".into());
        }
    }
    let page_size = paginated.page_size.as_deref().map(|name| input_member(types, op, name)).transpose()?;
    let token_type = types.value_type(&input_token.target).to_string();
    let output_type = types.value_type(&output_token[output_token.len() - 1].target).to_string();
    if token_type != output_type {
        return Err(format!(
            "@paginated tokens differ in type: the input's is {token_type}, the output's {output_type}"
        ));
    }
    Ok(Some(Pagination { input_token, output_token, items, page_size }))
}

/// Without an `items` property (Chime's ListAccounts has none), the items are the output's
/// only top-level list or map, when it has exactly one: what boto3's paginator
/// configurations name as the result key for such operations.
fn only_collection<'a>(types: &TypeMap<'a>, op: &OperationView) -> Option<&'a Member> {
    let Kind::Structure(members) = &types.view.shape(&op.output).kind else {
        return None;
    };
    let collections: Vec<&Member> = members
        .values()
        .filter(|member| matches!(types.view.shape(&member.target).kind, Kind::List(_) | Kind::Map { .. }))
        .collect();
    match collections[..] {
        [only] => Some(only),
        _ => None,
    }
}

fn input_member<'a>(types: &TypeMap<'a>, op: &OperationView, name: &str) -> Result<&'a Member, String> {
    match &types.view.shape(&op.input).kind {
        Kind::Structure(members) => members.get(name).ok_or_else(|| format!("the input has no member `{name}`")),
        _ => Err("the input is not a structure".into()),
    }
}

/// The members along `a.b.c` from the output structure.
fn output_path<'a>(types: &TypeMap<'a>, op: &OperationView, dotted: &str) -> Result<Vec<&'a Member>, String> {
    let mut at = &op.output;
    let mut members = Vec::new();
    for name in dotted.split('.') {
        let Kind::Structure(fields) = &types.view.shape(at).kind else {
            return Err(format!("`{dotted}` goes through a shape that is not a structure"));
        };
        let member = fields.get(name).ok_or_else(|| format!("the output has no member `{dotted}`"))?;
        at = &member.target;
        members.push(member);
    }
    Ok(members)
}

/// Reports every paginated operation whose trait does not resolve.
pub fn check(types: &TypeMap<'_>, sink: &mut Sink) {
    for op in &types.view.operations {
        if let Err(message) = resolve(types, op) {
            let shape = types.view.shape(&op.id);
            sink.report(Some(&op.id), path::on_trait(&shape.path, ids::PAGINATED), message);
        }
    }
}
