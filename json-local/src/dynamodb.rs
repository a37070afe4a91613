//! A local DynamoDB (awsJson1_0) over in-memory tables: CreateTable, DescribeTable, PutItem,
//! GetItem, UpdateItem, DeleteItem, Query and DescribeEndpoints, as an implementation of the
//! generated [`DynamoDb`] trait. Items are kept by the table's key schema (a partition key
//! and an optional sort key), queries come back in sort-key order.

use std::cmp::Ordering;
use std::collections::{BTreeMap, HashMap};
use std::sync::{Mutex, MutexGuard};

use fixture_dynamodb::error::{
    CreateTableError, DeleteItemError, DescribeEndpointsError, DescribeTableError, GetItemError, PutItemError,
    QueryError, UpdateItemError,
};
use fixture_dynamodb::service::DynamoDb;
use fixture_dynamodb::types::{
    AttributeDefinition, AttributeValue, BillingMode, ConditionalCheckFailedException, CreateTableInput,
    CreateTableOutput, DeleteItemInput, DeleteItemOutput, DescribeEndpointsInput, DescribeEndpointsOutput,
    DescribeTableInput, DescribeTableOutput, Endpoint, GetItemInput, GetItemOutput, KeySchemaElement, KeyType,
    PutItemInput, PutItemOutput, QueryInput, QueryOutput, ResourceInUseException, ResourceNotFoundException,
    ReturnValue, ReturnValuesOnConditionCheckFailure, ScalarAttributeType, TableDescription, TableStatus,
    UpdateItemInput, UpdateItemOutput,
};
use smithy_runtime::error::Unhandled;
use smithy_runtime::serde_json::json;

use crate::expression::{self, Action, Item, Substitutions};

/// A local DynamoDB: tables by name, each with its items.
#[derive(Debug)]
pub struct DynamoDbLocal {
    tables: Mutex<HashMap<String, Table>>,
    /// What DescribeEndpoints answers with: the server's own address.
    address: String,
}

/// A table: its description as CreateTable made it, its key attribute names and its items.
#[derive(Debug)]
struct Table {
    description: TableDescription,
    partition_key: String,
    sort_key: Option<String>,
    /// Items by their key's text (`partition` and `sort` rendered so that equal keys are equal).
    items: BTreeMap<(String, String), Item>,
}

/// Why a request failed, before it becomes an operation's error.
#[derive(Debug)]
enum Failure {
    /// ResourceNotFoundException.
    NotFound,
    /// ResourceInUseException.
    InUse(String),
    /// ConditionalCheckFailedException, with the item when asked for.
    ConditionFailed(Option<Item>),
    /// The unmodeled ValidationException the real service sends for a bad request.
    Validation(String),
    /// This service's own failure: an output it could not build.
    Internal(smithy_runtime::BuildError),
}

impl From<smithy_runtime::BuildError> for Failure {
    fn from(error: smithy_runtime::BuildError) -> Self {
        Failure::Internal(error)
    }
}

impl Failure {
    fn unhandled(self) -> Unhandled {
        match self {
            Failure::Validation(message) => Unhandled::new("ValidationException", Some(message), 400),
            Failure::Internal(error) => Unhandled::internal(error),
            other => Unhandled::new("InternalServerError", Some(format!("{other:?}")), 500),
        }
    }
}

impl From<String> for Failure {
    fn from(message: String) -> Self {
        Failure::Validation(message)
    }
}

impl DynamoDbLocal {
    /// An empty service whose DescribeEndpoints names `address` (`host:port`).
    pub fn new(address: impl Into<String>) -> Self {
        DynamoDbLocal { tables: Mutex::new(HashMap::new()), address: address.into() }
    }

    /// Creates table `name`, keyed by the string attribute `key`, on demand, as a CreateTable
    /// call would.
    pub fn create_string_keyed_table(&self, name: &str, key: &str) -> Result<(), String> {
        let input = CreateTableInput::builder()
            .attribute_definitions(vec![AttributeDefinition::builder()
                .attribute_name(key.to_owned())
                .attribute_type(ScalarAttributeType::S)
                .build()
                .map_err(|error| error.to_string())?])
            .table_name(name.to_owned())
            .key_schema(vec![KeySchemaElement::builder()
                .attribute_name(key.to_owned())
                .key_type(KeyType::Hash)
                .build()
                .map_err(|error| error.to_string())?])
            .billing_mode(BillingMode::PayPerRequest)
            .build()
            .map_err(|error| error.to_string())?;
        self.op_create_table(input).map(|_| ()).map_err(|failure| format!("cannot create table {name}: {failure:?}"))
    }

    fn tables(&self) -> MutexGuard<'_, HashMap<String, Table>> {
        // A panic while the lock was held cannot leave a table half-changed: every change
        // is computed first and stored with one insert.
        self.tables.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Runs `change` on the table `name`, or fails with ResourceNotFoundException.
    fn with_table<T>(&self, name: &str, change: impl FnOnce(&mut Table) -> Result<T, Failure>) -> Result<T, Failure> {
        let mut tables = self.tables();
        change(tables.get_mut(name).ok_or(Failure::NotFound)?)
    }
}

impl Table {
    /// The key of `item` (a full item, or a key map when `exact`), checked against the schema.
    fn key_of(&self, item: &Item, exact: bool) -> Result<(String, String), Failure> {
        let part = |name: &str| -> Result<String, Failure> {
            let value = item.get(name).ok_or_else(|| {
                if exact {
                    Failure::Validation("The provided key element does not match the schema".into())
                } else {
                    Failure::Validation(format!(
                        "One or more parameter values were invalid: Missing the key {name} in the item"
                    ))
                }
            })?;
            let wanted = self.key_type(name);
            key_text(value, &wanted).ok_or_else(|| {
                Failure::Validation(format!(
                    "One or more parameter values were invalid: Type mismatch for key {name} expected: {wanted} actual: {}",
                    type_name(value)
                ))
            })
        };
        let key_count = 1 + usize::from(self.sort_key.is_some());
        if exact && item.len() != key_count {
            return Err(Failure::Validation("The provided key element does not match the schema".into()));
        }
        let sort = match &self.sort_key {
            Some(name) => part(name)?,
            None => String::new(),
        };
        Ok((part(&self.partition_key)?, sort))
    }

    /// The declared type (`S`, `N` or `B`) of key attribute `name`.
    fn key_type(&self, name: &str) -> String {
        self.description
            .attribute_definitions
            .iter()
            .flatten()
            .find(|definition| definition.attribute_name == name)
            .map_or_else(|| "S".to_owned(), |definition| definition.attribute_type.as_str().to_owned())
    }
}

/// A key value as text that is equal exactly when the values are: numbers normalised.
fn key_text(value: &AttributeValue, wanted: &str) -> Option<String> {
    match (value, wanted) {
        (AttributeValue::S(s), "S") => Some(s.clone()),
        (AttributeValue::N(n), "N") => n.parse::<f64>().ok().map(|number| number.to_string()),
        (AttributeValue::B(b), "B") => Some(b.as_ref().iter().map(|byte| format!("{byte:02x}")).collect()),
        _ => None,
    }
}

fn type_name(value: &AttributeValue) -> &'static str {
    match value {
        AttributeValue::S(_) => "S",
        AttributeValue::N(_) => "N",
        AttributeValue::B(_) => "B",
        AttributeValue::Ss(_) => "SS",
        AttributeValue::Ns(_) => "NS",
        AttributeValue::Bs(_) => "BS",
        AttributeValue::M(_) => "M",
        AttributeValue::L(_) => "L",
        AttributeValue::Null(_) => "NULL",
        AttributeValue::Bool(_) => "BOOL",
        _ => "unknown",
    }
}

/// Checks `condition` (a ConditionExpression) against the stored item, if any.
fn check_condition(
    condition: Option<&str>,
    subs: Substitutions<'_>,
    stored: Option<&Item>,
    on_failure: Option<&ReturnValuesOnConditionCheckFailure>,
) -> Result<(), Failure> {
    let Some(text) = condition else { return Ok(()) };
    let parsed = expression::parse_condition(text, subs)?;
    let empty = Item::new();
    if expression::evaluate(&parsed, stored.unwrap_or(&empty))? {
        return Ok(());
    }
    let item = match on_failure {
        Some(ReturnValuesOnConditionCheckFailure::AllOld) => stored.cloned(),
        _ => None,
    };
    Err(Failure::ConditionFailed(item))
}

/// The attributes ReturnValues asks for: the old or new item, whole or only what changed.
fn returned(which: Option<&ReturnValue>, old: Option<&Item>, new: &Item, changed: &[String]) -> Option<Item> {
    let only_changed = |item: &Item| -> Item {
        item.iter().filter(|(name, _)| changed.contains(name)).map(|(k, v)| (k.clone(), v.clone())).collect()
    };
    match which {
        Some(ReturnValue::AllOld) => old.cloned(),
        Some(ReturnValue::AllNew) => Some(new.clone()),
        Some(ReturnValue::UpdatedOld) => old.map(only_changed),
        Some(ReturnValue::UpdatedNew) => Some(only_changed(new)),
        _ => None,
    }
}

/// Applies an update expression to `item`; returns the top-level attributes it touched.
fn apply_update(item: &mut Item, actions: &[Action], keys: &[&str]) -> Result<Vec<String>, Failure> {
    let before = item.clone();
    let mut changed = Vec::new();
    for action in actions {
        let (Action::Set(path, _) | Action::Remove(path) | Action::Add(path, _) | Action::Delete(path, _)) = action;
        if let Some(expression::Step::Key(top)) = path.first() {
            if keys.contains(&top.as_str()) {
                return Err(Failure::Validation(format!(
                    "One or more parameter values were invalid: Cannot update attribute {top}. This attribute is part of the key"
                )));
            }
            changed.push(top.clone());
        }
        match action {
            Action::Set(path, value) => {
                let value = expression::resolve(value, &before)?.ok_or_else(|| {
                    "The provided expression refers to an attribute that does not exist in the item".to_owned()
                })?;
                expression::set(item, path, value)?;
            }
            Action::Remove(path) => expression::remove(item, path),
            Action::Add(path, value) | Action::Delete(path, value) => {
                let adding = matches!(action, Action::Add(..));
                let value = expression::resolve(value, &before)?
                    .ok_or_else(|| Failure::Validation("ADD needs a value".into()))?;
                let merged = merge(expression::get(item, path).cloned(), value, adding)?;
                match merged {
                    Some(merged) => expression::set(item, path, merged)?,
                    None => expression::remove(item, path),
                }
            }
        }
    }
    Ok(changed)
}

/// ADD (a number added, set elements added) or DELETE (set elements taken out) on `current`.
fn merge(
    current: Option<AttributeValue>,
    value: AttributeValue,
    adding: bool,
) -> Result<Option<AttributeValue>, String> {
    fn union(mut set: Vec<String>, more: Vec<String>, adding: bool) -> Vec<String> {
        if adding {
            for element in more {
                if !set.contains(&element) {
                    set.push(element);
                }
            }
        } else {
            set.retain(|element| !more.contains(element));
        }
        set
    }
    let non_empty = |set: Vec<String>, make: fn(Vec<String>) -> AttributeValue| (!set.is_empty()).then(|| make(set));
    Ok(match (current, value) {
        (None, AttributeValue::N(n)) if adding => Some(AttributeValue::N(n)),
        (Some(AttributeValue::N(a)), AttributeValue::N(b)) if adding => {
            Some(AttributeValue::N(expression::add_numbers(&a, &b, true)?))
        }
        (None, set @ (AttributeValue::Ss(_) | AttributeValue::Ns(_))) => adding.then_some(set),
        (Some(AttributeValue::Ss(a)), AttributeValue::Ss(b)) => non_empty(union(a, b, adding), AttributeValue::Ss),
        (Some(AttributeValue::Ns(a)), AttributeValue::Ns(b)) => non_empty(union(a, b, adding), AttributeValue::Ns),
        _ => return Err("Invalid UpdateExpression: Incorrect operand type for operator or function".into()),
    })
}

fn subs<'a>(
    names: &'a Option<BTreeMap<String, String>>,
    values: &'a Option<BTreeMap<String, AttributeValue>>,
) -> Substitutions<'a> {
    Substitutions { names: names.as_ref(), values: values.as_ref() }
}

/// The seconds since the epoch, as DynamoDB's CreationDateTime.
fn now() -> smithy_runtime::DateTime {
    let since = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
    smithy_runtime::DateTime::from_secs(i64::try_from(since.as_secs()).unwrap_or(i64::MAX))
}

/// The operations, each failing with a [`Failure`] that the trait's methods turn into the
/// operation's error.
impl DynamoDbLocal {
    fn op_create_table(&self, input: CreateTableInput) -> Result<CreateTableOutput, Failure> {
        let key = |wanted: KeyType| {
            input.key_schema.iter().find(|element| element.key_type == wanted).map(|e| e.attribute_name.clone())
        };
        let Some(partition_key) = key(KeyType::Hash) else {
            return Err(Failure::Validation("Invalid KeySchema: no HASH key".into()));
        };
        let arn = format!("arn:aws:dynamodb:local:000000000000:table/{}", input.table_name);
        let description = json!({
            "TableName": input.table_name,
            "TableArn": arn,
            "TableId": smithy_runtime::new_uuid(),
            "TableStatus": "ACTIVE",
            "ItemCount": 0,
            "TableSizeBytes": 0,
            "BillingModeSummary": {"BillingMode": input.billing_mode.as_ref().map_or("PROVISIONED", |m| m.as_str())},
        });
        let mut description: TableDescription = smithy_runtime::serde_json::from_value(description)
            .map_err(|error| Failure::Validation(format!("cannot describe the table: {error}")))?;
        description.attribute_definitions = Some(input.attribute_definitions);
        description.key_schema = Some(input.key_schema.clone());
        description.creation_date_time = Some(now());
        description.table_status = Some(TableStatus::Active);
        let table = Table {
            description: description.clone(),
            partition_key,
            sort_key: key(KeyType::Range),
            items: BTreeMap::new(),
        };
        let mut tables = self.tables();
        if tables.contains_key(&input.table_name) {
            return Err(Failure::InUse(format!("Table already exists: {}", input.table_name)));
        }
        tables.insert(input.table_name, table);
        Ok(CreateTableOutput::builder().table_description(description).build())
    }

    fn op_describe_table(&self, input: DescribeTableInput) -> Result<DescribeTableOutput, Failure> {
        let table = self.with_table(&input.table_name, |table| {
            let mut description = table.description.clone();
            description.item_count = Some(i64::try_from(table.items.len()).unwrap_or(i64::MAX));
            Ok(description)
        })?;
        Ok(DescribeTableOutput::builder().table(table).build())
    }

    fn op_put_item(&self, input: PutItemInput) -> Result<PutItemOutput, Failure> {
        let subs = subs(&input.expression_attribute_names, &input.expression_attribute_values);
        let old = self.with_table(&input.table_name, |table| {
            let key = table.key_of(&input.item, false)?;
            let stored = table.items.get(&key);
            check_condition(
                input.condition_expression.as_deref(),
                subs,
                stored,
                input.return_values_on_condition_check_failure.as_ref(),
            )?;
            Ok(table.items.insert(key, input.item.clone()))
        })?;
        let attributes = returned(input.return_values.as_ref(), old.as_ref(), &input.item, &[]);
        Ok(PutItemOutput::builder().set_attributes(attributes).build())
    }

    fn op_get_item(&self, input: GetItemInput) -> Result<GetItemOutput, Failure> {
        let item =
            self.with_table(&input.table_name, |table| Ok(table.items.get(&table.key_of(&input.key, true)?).cloned()))?;
        let item = match (item, input.projection_expression.as_deref()) {
            (Some(item), Some(projection)) => {
                Some(project(&item, projection, input.expression_attribute_names.as_ref())?)
            }
            (item, _) => item,
        };
        Ok(GetItemOutput::builder().set_item(item).build())
    }

    fn op_update_item(&self, input: UpdateItemInput) -> Result<UpdateItemOutput, Failure> {
        let subs = subs(&input.expression_attribute_names, &input.expression_attribute_values);
        let actions = match input.update_expression.as_deref() {
            Some(text) => expression::parse_update(text, subs).map_err(Failure::Validation)?,
            None => Vec::new(),
        };
        let attributes = self.with_table(&input.table_name, |table| {
            let key = table.key_of(&input.key, true)?;
            let old = table.items.get(&key).cloned();
            check_condition(
                input.condition_expression.as_deref(),
                subs,
                old.as_ref(),
                input.return_values_on_condition_check_failure.as_ref(),
            )?;
            let mut new = old.clone().unwrap_or_else(|| input.key.clone());
            let keys: Vec<&str> = input.key.keys().map(String::as_str).collect();
            let changed = apply_update(&mut new, &actions, &keys)?;
            let attributes = returned(input.return_values.as_ref(), old.as_ref(), &new, &changed);
            table.items.insert(key, new);
            Ok(attributes)
        })?;
        Ok(UpdateItemOutput::builder().set_attributes(attributes).build())
    }

    fn op_delete_item(&self, input: DeleteItemInput) -> Result<DeleteItemOutput, Failure> {
        let subs = subs(&input.expression_attribute_names, &input.expression_attribute_values);
        let old = self.with_table(&input.table_name, |table| {
            let key = table.key_of(&input.key, true)?;
            check_condition(
                input.condition_expression.as_deref(),
                subs,
                table.items.get(&key),
                input.return_values_on_condition_check_failure.as_ref(),
            )?;
            Ok(table.items.remove(&key))
        })?;
        let attributes = match input.return_values {
            Some(ReturnValue::AllOld) => old,
            _ => None,
        };
        Ok(DeleteItemOutput::builder().set_attributes(attributes).build())
    }

    fn op_query(&self, input: QueryInput) -> Result<QueryOutput, Failure> {
        let subs = subs(&input.expression_attribute_names, &input.expression_attribute_values);
        let parse = |text: &Option<String>| {
            text.as_deref().map(|text| expression::parse_condition(text, subs)).transpose().map_err(Failure::Validation)
        };
        let Some(key_condition) = parse(&input.key_condition_expression)? else {
            return Err(Failure::Validation(
                "Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.".into(),
            ));
        };
        let filter = parse(&input.filter_expression)?;
        let (mut matched, sort_key, partition_key) = self.with_table(&input.table_name, |table| {
            let mut matched = Vec::new();
            for item in table.items.values() {
                if expression::evaluate(&key_condition, item)? {
                    matched.push(item.clone());
                }
            }
            Ok((matched, table.sort_key.clone(), table.partition_key.clone()))
        })?;
        if let Some(sort_key) = &sort_key {
            matched.sort_by(|a, b| match (a.get(sort_key), b.get(sort_key)) {
                (Some(a), Some(b)) => expression::compare(a, b).unwrap_or(Ordering::Equal),
                _ => Ordering::Equal,
            });
        }
        if input.scan_index_forward == Some(false) {
            matched.reverse();
        }
        let key_names: Vec<&String> = std::iter::once(&partition_key).chain(sort_key.as_ref()).collect();
        let key_of = |item: &Item| -> Item {
            item.iter().filter(|(name, _)| key_names.contains(name)).map(|(k, v)| (k.clone(), v.clone())).collect()
        };
        if let Some(start) = &input.exclusive_start_key {
            if let Some(at) = matched.iter().position(|item| &key_of(item) == start) {
                matched.drain(..=at);
            }
        }
        let limit = input.limit.and_then(|limit| usize::try_from(limit).ok()).unwrap_or(usize::MAX);
        let more = matched.len() > limit;
        matched.truncate(limit);
        let scanned_count = i32::try_from(matched.len()).unwrap_or(i32::MAX);
        let last_evaluated_key = more.then(|| matched.last().map(key_of)).flatten();
        let mut items = Vec::new();
        for item in matched {
            if let Some(filter) = &filter {
                if !expression::evaluate(filter, &item).map_err(Failure::Validation)? {
                    continue;
                }
            }
            items.push(item);
        }
        Ok(QueryOutput::builder()
            .count(i32::try_from(items.len()).unwrap_or(i32::MAX))
            .items(items)
            .scanned_count(scanned_count)
            .set_last_evaluated_key(last_evaluated_key)
            .build())
    }

    fn op_describe_endpoints(&self, _input: DescribeEndpointsInput) -> Result<DescribeEndpointsOutput, Failure> {
        Ok(DescribeEndpointsOutput::builder()
            .endpoints(vec![Endpoint::builder().address(self.address.clone()).cache_period_in_minutes(1440).build()?])
            .build()?)
    }
}

impl DynamoDb for DynamoDbLocal {
    async fn create_table(&self, input: CreateTableInput) -> Result<CreateTableOutput, CreateTableError> {
        self.op_create_table(input).map_err(fail)
    }

    async fn describe_table(&self, input: DescribeTableInput) -> Result<DescribeTableOutput, DescribeTableError> {
        self.op_describe_table(input).map_err(fail)
    }

    async fn put_item(&self, input: PutItemInput) -> Result<PutItemOutput, PutItemError> {
        self.op_put_item(input).map_err(fail)
    }

    async fn get_item(&self, input: GetItemInput) -> Result<GetItemOutput, GetItemError> {
        self.op_get_item(input).map_err(fail)
    }

    async fn update_item(&self, input: UpdateItemInput) -> Result<UpdateItemOutput, UpdateItemError> {
        self.op_update_item(input).map_err(fail)
    }

    async fn delete_item(&self, input: DeleteItemInput) -> Result<DeleteItemOutput, DeleteItemError> {
        self.op_delete_item(input).map_err(fail)
    }

    async fn query(&self, input: QueryInput) -> Result<QueryOutput, QueryError> {
        self.op_query(input).map_err(fail)
    }

    async fn describe_endpoints(
        &self,
        input: DescribeEndpointsInput,
    ) -> Result<DescribeEndpointsOutput, DescribeEndpointsError> {
        self.op_describe_endpoints(input).map_err(fail)
    }
}

/// The attributes of `item` a ProjectionExpression names (top-level names only).
fn project(item: &Item, projection: &str, names: Option<&BTreeMap<String, String>>) -> Result<Item, Failure> {
    let mut kept = Item::new();
    for part in projection.split(',').map(str::trim) {
        let name = match part.strip_prefix('#') {
            Some(_) => names.and_then(|names| names.get(part)).cloned().ok_or_else(|| {
                Failure::Validation(format!("Invalid ProjectionExpression: An expression attribute name used in the document path is not defined; attribute name: {part}"))
            })?,
            None => part.to_owned(),
        };
        if let Some(value) = item.get(&name) {
            kept.insert(name, value.clone());
        }
    }
    Ok(kept)
}

/// An operation's error enum, built from a [`Failure`] with the variants it has.
trait FromFailure: Sized {
    /// The error for `failure`, or `None` when the operation does not list it.
    fn modeled(failure: &Failure) -> Option<Self>;
    /// The unmodeled error (ValidationException, or an internal error).
    fn unhandled(error: Unhandled) -> Self;
}

fn fail<E: FromFailure>(failure: Failure) -> E {
    E::modeled(&failure).unwrap_or_else(|| E::unhandled(failure.unhandled()))
}

fn not_found() -> ResourceNotFoundException {
    ResourceNotFoundException::builder().message("Requested resource not found").build()
}

fn condition_failed(item: &Option<Item>) -> ConditionalCheckFailedException {
    ConditionalCheckFailedException::builder().message("The conditional request failed").set_item(item.clone()).build()
}

/// Implements [`FromFailure`]: `not_found`, `in_use` and `condition` name the variants the
/// operation's error has.
macro_rules! from_failure {
    ($error:ident { $($kind:ident),* }) => {
        impl FromFailure for $error {
            fn modeled(failure: &Failure) -> Option<Self> {
                $( if let Some(error) = from_failure!(@$kind $error, failure) { return Some(error); } )*
                None
            }
            fn unhandled(error: Unhandled) -> Self {
                $error::Unhandled(error)
            }
        }
    };
    (@not_found $error:ident, $failure:ident) => {
        matches!($failure, Failure::NotFound).then(|| $error::ResourceNotFoundException(not_found()))
    };
    (@in_use $error:ident, $failure:ident) => {
        match $failure {
            Failure::InUse(message) => Some($error::ResourceInUseException(ResourceInUseException::builder().message(message.clone()).build())),
            _ => None,
        }
    };
    (@condition $error:ident, $failure:ident) => {
        match $failure {
            Failure::ConditionFailed(item) => Some($error::ConditionalCheckFailedException(condition_failed(item))),
            _ => None,
        }
    };
}

from_failure!(CreateTableError { in_use });
from_failure!(DescribeTableError { not_found });
from_failure!(PutItemError { not_found, condition });
from_failure!(GetItemError { not_found });
from_failure!(UpdateItemError { not_found, condition });
from_failure!(DeleteItemError { not_found, condition });
from_failure!(QueryError { not_found });

impl FromFailure for DescribeEndpointsError {
    fn modeled(_failure: &Failure) -> Option<Self> {
        None
    }
    fn unhandled(error: Unhandled) -> Self {
        DescribeEndpointsError::Unhandled(error)
    }
}
