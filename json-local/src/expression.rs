//! DynamoDB's expression language, the part json-local understands: condition, filter and key
//! condition expressions (comparisons, `BETWEEN`, `IN`, `AND`/`OR`/`NOT`, `attribute_exists`,
//! `attribute_not_exists`, `begins_with`, `contains`, `size`) and update expressions (`SET`
//! with `+`/`-`, `if_not_exists` and `list_append`; `REMOVE`; `ADD` of numbers and sets).
//! Names (`#n`) and values (`:v`) are substituted while parsing, so an evaluation needs only
//! the item.

use std::cmp::Ordering;
use std::collections::BTreeMap;

use fixture_dynamodb::types::AttributeValue;

/// An item: attribute names to values.
pub type Item = BTreeMap<String, AttributeValue>;

/// One step of a document path: a map key or a list index.
#[derive(Debug, Clone, PartialEq)]
pub enum Step {
    /// `name` or `#alias`.
    Key(String),
    /// `[n]`.
    Index(usize),
}

/// A document path such as `a.b[2]`, its first step always a key.
pub type Path = Vec<Step>;

/// A value in an expression.
#[derive(Debug, Clone)]
pub enum Operand {
    /// An attribute of the item.
    Path(Path),
    /// A `:value`.
    Value(AttributeValue),
    /// `size(path)`.
    Size(Path),
    /// `if_not_exists(path, operand)`.
    IfNotExists(Path, Box<Operand>),
    /// `list_append(a, b)`.
    ListAppend(Box<Operand>, Box<Operand>),
    /// `a + b` or, with `false`, `a - b`.
    Arithmetic(Box<Operand>, bool, Box<Operand>),
}

/// A condition (also a filter or a key condition).
#[derive(Debug, Clone)]
pub enum Condition {
    /// `a OP b` with OP one of `=`, `<>`, `<`, `<=`, `>`, `>=`.
    Compare(Operand, String, Operand),
    /// `a BETWEEN b AND c`.
    Between(Operand, Operand, Operand),
    /// `a IN (b, c, ...)`.
    In(Operand, Vec<Operand>),
    /// `attribute_exists(path)`, or with `false` `attribute_not_exists(path)`.
    Exists(Path, bool),
    /// `begins_with(path, prefix)`.
    BeginsWith(Operand, Operand),
    /// `contains(path, operand)`.
    Contains(Operand, Operand),
    /// `a AND b`.
    And(Box<Condition>, Box<Condition>),
    /// `a OR b`.
    Or(Box<Condition>, Box<Condition>),
    /// `NOT a`.
    Not(Box<Condition>),
}

/// One action of an update expression.
#[derive(Debug, Clone)]
pub enum Action {
    /// `SET path = value`.
    Set(Path, Operand),
    /// `REMOVE path`.
    Remove(Path),
    /// `ADD path value`: adds to a number or a set.
    Add(Path, Operand),
    /// `DELETE path value`: takes elements out of a set.
    Delete(Path, Operand),
}

/// What an expression may refer to: `ExpressionAttributeNames` and `ExpressionAttributeValues`.
#[derive(Debug, Clone, Copy)]
pub struct Substitutions<'a> {
    /// `#name` to attribute name.
    pub names: Option<&'a BTreeMap<String, String>>,
    /// `:value` to value.
    pub values: Option<&'a Item>,
}

/// Parses a condition expression.
pub fn parse_condition(text: &str, subs: Substitutions<'_>) -> Result<Condition, String> {
    let mut parser = Parser::new(text, subs)?;
    let condition = parser.or()?;
    parser.end()?;
    Ok(condition)
}

/// Parses an update expression.
pub fn parse_update(text: &str, subs: Substitutions<'_>) -> Result<Vec<Action>, String> {
    let mut parser = Parser::new(text, subs)?;
    let mut actions = Vec::new();
    while parser.peek().is_some() {
        let clause = parser.word()?.to_ascii_uppercase();
        loop {
            let path = parser.path()?;
            actions.push(match clause.as_str() {
                "SET" => {
                    parser.expect("=")?;
                    Action::Set(path, parser.value()?)
                }
                "REMOVE" => Action::Remove(path),
                "ADD" => Action::Add(path, parser.operand()?),
                "DELETE" => Action::Delete(path, parser.operand()?),
                other => return Err(format!("Invalid UpdateExpression: Syntax error; token: \"{other}\"")),
            });
            if !parser.eat(",") {
                break;
            }
        }
    }
    if actions.is_empty() {
        return Err("Invalid UpdateExpression: The expression can not be empty;".into());
    }
    Ok(actions)
}

/// Splits an expression into tokens: words, `#names`, `:values`, numbers and punctuation.
fn tokenize(text: &str) -> Result<Vec<String>, String> {
    let mut tokens = Vec::new();
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
        } else if c.is_alphanumeric() || c == '_' || c == '#' || c == ':' {
            let start = i;
            i += 1;
            while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
            tokens.push(chars[start..i].iter().collect());
        } else {
            let two: String = chars[i..(i + 2).min(chars.len())].iter().collect();
            if ["<>", "<=", ">="].contains(&two.as_str()) {
                tokens.push(two);
                i += 2;
            } else if "=<>(),.[]+-".contains(c) {
                tokens.push(c.to_string());
                i += 1;
            } else {
                return Err(format!("Invalid expression: Syntax error; token: \"{c}\""));
            }
        }
    }
    Ok(tokens)
}

/// A recursive-descent parser over the tokens.
struct Parser<'a> {
    tokens: Vec<String>,
    at: usize,
    subs: Substitutions<'a>,
}

impl<'a> Parser<'a> {
    fn new(text: &str, subs: Substitutions<'a>) -> Result<Self, String> {
        Ok(Parser { tokens: tokenize(text)?, at: 0, subs })
    }

    fn peek(&self) -> Option<&str> {
        self.tokens.get(self.at).map(String::as_str)
    }

    fn peek_upper(&self) -> Option<String> {
        self.peek().map(str::to_ascii_uppercase)
    }

    fn eat(&mut self, token: &str) -> bool {
        let matches = self.peek().is_some_and(|next| next.eq_ignore_ascii_case(token));
        if matches {
            self.at += 1;
        }
        matches
    }

    fn expect(&mut self, token: &str) -> Result<(), String> {
        if self.eat(token) {
            Ok(())
        } else {
            Err(format!("Invalid expression: Syntax error; expected \"{token}\", found {:?}", self.peek()))
        }
    }

    fn end(&self) -> Result<(), String> {
        match self.peek() {
            None => Ok(()),
            Some(token) => Err(format!("Invalid expression: Syntax error; token: \"{token}\"")),
        }
    }

    fn word(&mut self) -> Result<String, String> {
        let token = self.peek().ok_or("Invalid expression: unexpected end of expression")?.to_owned();
        self.at += 1;
        Ok(token)
    }

    fn or(&mut self) -> Result<Condition, String> {
        let mut left = self.and()?;
        while self.eat("OR") {
            left = Condition::Or(Box::new(left), Box::new(self.and()?));
        }
        Ok(left)
    }

    fn and(&mut self) -> Result<Condition, String> {
        let mut left = self.not()?;
        while self.eat("AND") {
            left = Condition::And(Box::new(left), Box::new(self.not()?));
        }
        Ok(left)
    }

    fn not(&mut self) -> Result<Condition, String> {
        if self.eat("NOT") {
            return Ok(Condition::Not(Box::new(self.not()?)));
        }
        if self.eat("(") {
            let inner = self.or()?;
            self.expect(")")?;
            return Ok(inner);
        }
        let function = self.peek().map(str::to_owned);
        if self.tokens.get(self.at + 1).is_some_and(|next| next == "(") {
            let call = |parser: &mut Self| -> Result<Option<Condition>, String> {
                Ok(Some(match function.as_deref() {
                    Some("attribute_exists") => Condition::Exists(parser.path()?, true),
                    Some("attribute_not_exists") => Condition::Exists(parser.path()?, false),
                    Some("begins_with") => {
                        let path = parser.operand()?;
                        parser.expect(",")?;
                        Condition::BeginsWith(path, parser.operand()?)
                    }
                    Some("contains") => {
                        let path = parser.operand()?;
                        parser.expect(",")?;
                        Condition::Contains(path, parser.operand()?)
                    }
                    _ => return Ok(None),
                }))
            };
            let start = self.at;
            self.at += 2;
            if let Some(condition) = call(self)? {
                self.expect(")")?;
                return Ok(condition);
            }
            self.at = start;
        }
        let left = self.operand()?;
        match self.peek_upper().as_deref() {
            Some("BETWEEN") => {
                self.at += 1;
                let low = self.operand()?;
                self.expect("AND")?;
                Ok(Condition::Between(left, low, self.operand()?))
            }
            Some("IN") => {
                self.at += 1;
                self.expect("(")?;
                let mut options = vec![self.operand()?];
                while self.eat(",") {
                    options.push(self.operand()?);
                }
                self.expect(")")?;
                Ok(Condition::In(left, options))
            }
            Some(op @ ("=" | "<>" | "<" | "<=" | ">" | ">=")) => {
                let op = op.to_owned();
                self.at += 1;
                Ok(Condition::Compare(left, op, self.operand()?))
            }
            _ => Err(format!("Invalid expression: Syntax error; token: {:?}", self.peek())),
        }
    }

    /// The right-hand side of a SET: an operand, possibly `a + b` or `a - b`.
    fn value(&mut self) -> Result<Operand, String> {
        let left = self.operand()?;
        if self.eat("+") {
            return Ok(Operand::Arithmetic(Box::new(left), true, Box::new(self.operand()?)));
        }
        if self.eat("-") {
            return Ok(Operand::Arithmetic(Box::new(left), false, Box::new(self.operand()?)));
        }
        Ok(left)
    }

    fn operand(&mut self) -> Result<Operand, String> {
        let token = self.peek().ok_or("Invalid expression: unexpected end of expression")?.to_owned();
        if let Some(name) = token.strip_prefix(':') {
            self.at += 1;
            let value = self.subs.values.and_then(|values| values.get(&token)).cloned().ok_or_else(|| {
                format!("Invalid expression: An expression attribute value used in expression is not defined; attribute value: :{name}")
            })?;
            return Ok(Operand::Value(value));
        }
        if self.tokens.get(self.at + 1).is_some_and(|next| next == "(") {
            match token.as_str() {
                "size" => {
                    self.at += 2;
                    let path = self.path()?;
                    self.expect(")")?;
                    return Ok(Operand::Size(path));
                }
                "if_not_exists" => {
                    self.at += 2;
                    let path = self.path()?;
                    self.expect(",")?;
                    let fallback = self.value()?;
                    self.expect(")")?;
                    return Ok(Operand::IfNotExists(path, Box::new(fallback)));
                }
                "list_append" => {
                    self.at += 2;
                    let first = self.value()?;
                    self.expect(",")?;
                    let second = self.value()?;
                    self.expect(")")?;
                    return Ok(Operand::ListAppend(Box::new(first), Box::new(second)));
                }
                _ => return Err(format!("Invalid expression: Invalid function name; function: {token}")),
            }
        }
        Ok(Operand::Path(self.path()?))
    }

    fn name(&mut self) -> Result<String, String> {
        let token = self.word()?;
        if token.starts_with('#') {
            return self.subs.names.and_then(|names| names.get(&token)).cloned().ok_or_else(|| {
                format!("Invalid expression: An expression attribute name used in the document path is not defined; attribute name: {token}")
            });
        }
        if token.chars().next().is_some_and(|c| c.is_alphabetic() || c == '_') {
            Ok(token)
        } else {
            Err(format!("Invalid expression: Syntax error; token: \"{token}\""))
        }
    }

    fn path(&mut self) -> Result<Path, String> {
        let mut path = vec![Step::Key(self.name()?)];
        loop {
            if self.eat(".") {
                path.push(Step::Key(self.name()?));
            } else if self.eat("[") {
                let index = self.word()?.parse().map_err(|_| "Invalid expression: a list index must be a number")?;
                self.expect("]")?;
                path.push(Step::Index(index));
            } else {
                return Ok(path);
            }
        }
    }
}

/// The value at `path` in `item`, if there is one.
pub fn get<'i>(item: &'i Item, path: &[Step]) -> Option<&'i AttributeValue> {
    let (Step::Key(first), rest) = path.split_first()? else { return None };
    let mut value = item.get(first)?;
    for step in rest {
        value = match (step, value) {
            (Step::Key(key), AttributeValue::M(map)) => map.get(key)?,
            (Step::Index(index), AttributeValue::L(list)) => list.get(*index)?,
            _ => return None,
        };
    }
    Some(value)
}

/// Sets the value at `path`; the parent must exist.
pub fn set(item: &mut Item, path: &[Step], value: AttributeValue) -> Result<(), String> {
    let missing = || "The document path provided in the update expression is invalid for update".to_owned();
    let Some((last, parents)) = path.split_last() else { return Err(missing()) };
    if parents.is_empty() {
        let Step::Key(key) = last else { return Err(missing()) };
        item.insert(key.clone(), value);
        return Ok(());
    }
    let parent = get_mut(item, parents).ok_or_else(missing)?;
    match (last, parent) {
        (Step::Key(key), AttributeValue::M(map)) => {
            map.insert(key.clone(), value);
        }
        (Step::Index(index), AttributeValue::L(list)) => match list.get_mut(*index) {
            Some(slot) => *slot = value,
            None => list.push(value),
        },
        _ => return Err(missing()),
    }
    Ok(())
}

/// Removes the value at `path`, if there is one.
pub fn remove(item: &mut Item, path: &[Step]) {
    let Some((last, parents)) = path.split_last() else { return };
    if parents.is_empty() {
        if let Step::Key(key) = last {
            item.remove(key);
        }
        return;
    }
    match (last, get_mut(item, parents)) {
        (Step::Key(key), Some(AttributeValue::M(map))) => {
            map.remove(key);
        }
        (Step::Index(index), Some(AttributeValue::L(list))) if *index < list.len() => {
            list.remove(*index);
        }
        _ => {}
    }
}

fn get_mut<'i>(item: &'i mut Item, path: &[Step]) -> Option<&'i mut AttributeValue> {
    let (Step::Key(first), rest) = path.split_first()? else { return None };
    let mut value = item.get_mut(first)?;
    for step in rest {
        value = match (step, value) {
            (Step::Key(key), AttributeValue::M(map)) => map.get_mut(key)?,
            (Step::Index(index), AttributeValue::L(list)) => list.get_mut(*index)?,
            _ => return None,
        };
    }
    Some(value)
}

/// The value of an operand for `item`; `None` when it names an attribute the item lacks.
pub fn resolve(operand: &Operand, item: &Item) -> Result<Option<AttributeValue>, String> {
    Ok(match operand {
        Operand::Path(path) => get(item, path).cloned(),
        Operand::Value(value) => Some(value.clone()),
        Operand::Size(path) => get(item, path).and_then(size).map(|n| AttributeValue::N(n.to_string())),
        Operand::IfNotExists(path, fallback) => match get(item, path) {
            Some(value) => Some(value.clone()),
            None => resolve(fallback, item)?,
        },
        Operand::ListAppend(first, second) => match (resolve(first, item)?, resolve(second, item)?) {
            (Some(AttributeValue::L(mut a)), Some(AttributeValue::L(b))) => {
                a.extend(b);
                Some(AttributeValue::L(a))
            }
            _ => return Err("Invalid UpdateExpression: Incorrect operand type for operator or function; operator or function: list_append".into()),
        },
        Operand::Arithmetic(left, plus, right) => match (resolve(left, item)?, resolve(right, item)?) {
            (Some(AttributeValue::N(a)), Some(AttributeValue::N(b))) => {
                Some(AttributeValue::N(add_numbers(&a, &b, *plus)?))
            }
            _ => return Err("Invalid UpdateExpression: Incorrect operand type for operator or function; operator: ADD".into()),
        },
    })
}

/// `a + b` (or `a - b`) of two number texts, exact for integers.
pub fn add_numbers(a: &str, b: &str, plus: bool) -> Result<String, String> {
    if let (Ok(x), Ok(y)) = (a.parse::<i128>(), b.parse::<i128>()) {
        return Ok(if plus { x + y } else { x - y }.to_string());
    }
    match (a.parse::<f64>(), b.parse::<f64>()) {
        (Ok(x), Ok(y)) => Ok(if plus { x + y } else { x - y }.to_string()),
        _ => Err(format!("A value provided cannot be converted into a number: {a}, {b}")),
    }
}

fn size(value: &AttributeValue) -> Option<usize> {
    Some(match value {
        AttributeValue::S(s) => s.chars().count(),
        AttributeValue::B(b) => b.as_ref().len(),
        AttributeValue::Ss(v) | AttributeValue::Ns(v) => v.len(),
        AttributeValue::Bs(v) => v.len(),
        AttributeValue::M(m) => m.len(),
        AttributeValue::L(l) => l.len(),
        _ => return None,
    })
}

/// How two scalar values order: strings by code point, numbers numerically, binaries by
/// byte; `None` for values of different types or that do not order.
pub fn compare(a: &AttributeValue, b: &AttributeValue) -> Option<Ordering> {
    match (a, b) {
        (AttributeValue::S(a), AttributeValue::S(b)) => Some(a.cmp(b)),
        (AttributeValue::N(a), AttributeValue::N(b)) => a.parse::<f64>().ok()?.partial_cmp(&b.parse::<f64>().ok()?),
        (AttributeValue::B(a), AttributeValue::B(b)) => Some(a.as_ref().cmp(b.as_ref())),
        _ => None,
    }
}

fn equal(a: &AttributeValue, b: &AttributeValue) -> bool {
    compare(a, b).map_or_else(|| a == b, |ordering| ordering == Ordering::Equal)
}

/// Whether `item` satisfies `condition`.
pub fn evaluate(condition: &Condition, item: &Item) -> Result<bool, String> {
    Ok(match condition {
        Condition::Compare(left, op, right) => {
            let (Some(a), Some(b)) = (resolve(left, item)?, resolve(right, item)?) else { return Ok(op == "<>") };
            match op.as_str() {
                "=" => equal(&a, &b),
                "<>" => !equal(&a, &b),
                _ => compare(&a, &b).is_some_and(|ordering| match op.as_str() {
                    "<" => ordering == Ordering::Less,
                    "<=" => ordering != Ordering::Greater,
                    ">" => ordering == Ordering::Greater,
                    _ => ordering != Ordering::Less,
                }),
            }
        }
        Condition::Between(value, low, high) => {
            match (resolve(value, item)?, resolve(low, item)?, resolve(high, item)?) {
                (Some(v), Some(l), Some(h)) => {
                    compare(&v, &l).is_some_and(Ordering::is_ge) && compare(&v, &h).is_some_and(Ordering::is_le)
                }
                _ => false,
            }
        }
        Condition::In(value, options) => match resolve(value, item)? {
            Some(v) => {
                let mut found = false;
                for option in options {
                    found |= resolve(option, item)?.is_some_and(|o| equal(&v, &o));
                }
                found
            }
            None => false,
        },
        Condition::Exists(path, exists) => get(item, path).is_some() == *exists,
        Condition::BeginsWith(value, prefix) => match (resolve(value, item)?, resolve(prefix, item)?) {
            (Some(AttributeValue::S(s)), Some(AttributeValue::S(p))) => s.starts_with(&p),
            (Some(AttributeValue::B(s)), Some(AttributeValue::B(p))) => s.as_ref().starts_with(p.as_ref()),
            _ => false,
        },
        Condition::Contains(value, part) => match (resolve(value, item)?, resolve(part, item)?) {
            (Some(AttributeValue::S(s)), Some(AttributeValue::S(p))) => s.contains(&p),
            (Some(AttributeValue::Ss(set)), Some(AttributeValue::S(p))) => set.contains(&p),
            (Some(AttributeValue::Ns(set)), Some(AttributeValue::N(p))) => set.contains(&p),
            (Some(AttributeValue::L(list)), Some(p)) => list.iter().any(|v| equal(v, &p)),
            _ => false,
        },
        Condition::And(a, b) => evaluate(a, item)? && evaluate(b, item)?,
        Condition::Or(a, b) => evaluate(a, item)? || evaluate(b, item)?,
        Condition::Not(a) => !evaluate(a, item)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(text: &str) -> AttributeValue {
        AttributeValue::S(text.into())
    }

    #[test]
    fn conditions_substitute_names_and_values() {
        let names = BTreeMap::from([("#n".to_owned(), "name".to_owned())]);
        let values = Item::from([(":p".to_owned(), s("Al")), (":x".to_owned(), AttributeValue::N("3".into()))]);
        let subs = Substitutions { names: Some(&names), values: Some(&values) };
        let item = Item::from([("name".to_owned(), s("Alice")), ("n".to_owned(), AttributeValue::N("5".into()))]);
        let holds = |text: &str| evaluate(&parse_condition(text, subs).unwrap(), &item).unwrap();
        assert!(holds("begins_with(#n, :p) AND n > :x"));
        assert!(!holds("attribute_not_exists(#n)"));
        assert!(holds("NOT (n < :x) OR attribute_exists(missing)"));
        assert!(holds("n BETWEEN :x AND n"));
        assert!(parse_condition("#undefined = :p", subs).is_err());
    }

    #[test]
    fn updates_set_add_and_remove() {
        let values = Item::from([(":one".to_owned(), AttributeValue::N("1".into()))]);
        let subs = Substitutions { names: None, values: Some(&values) };
        let actions = parse_update("SET a = if_not_exists(a, :one) + :one, b = :one REMOVE c", subs).unwrap();
        assert_eq!(actions.len(), 3);
        let Action::Set(_, value) = &actions[0] else { panic!("{actions:?}") };
        assert_eq!(resolve(value, &Item::new()).unwrap(), Some(AttributeValue::N("2".into())));
    }
}
