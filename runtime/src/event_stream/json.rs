//! Events of the JSON protocols (restJson1, awsJson1_0/1_1): an event structure's members
//! bound to `@eventHeader`s become typed headers, an `@eventPayload` member is the whole
//! payload, and the other members are the payload as a JSON object, written as the
//! structure's body would be.
//!
//! The generated [`Event`](super::Event) implementations describe each event with an
//! [`EventShape`] and go through the event structure's JSON form: headers are taken out of it
//! (writing) or put into it (reading), so the rules for each member's JSON stay in one place.

use aws_smithy_types::DateTime;
use bytes::Bytes;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{Map, Value};

use super::{ErrorKind, EventStreamError, Header, HeaderValue, Message};
use crate::DateTimeFormat;

/// How an `@eventHeader` member's value is a header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HeaderKind {
    /// `boolean`: a boolean header.
    Boolean,
    /// `byte`: a byte header.
    Byte,
    /// `short`: an int16 header.
    Short,
    /// `integer` (and `intEnum`): an int32 header.
    Integer,
    /// `long`: an int64 header.
    Long,
    /// `blob`: a byte-array header (base64 in the structure's JSON).
    Blob,
    /// `string` (and `enum`): a string header.
    String,
    /// `timestamp`: a timestamp header; the format is the member's in the structure's JSON.
    Timestamp(DateTimeFormat),
}

/// How an `@eventPayload` member is the payload.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PayloadKind {
    /// A blob: its bytes (`application/octet-stream`).
    Blob,
    /// A string: its UTF-8 text (`text/plain`).
    String,
    /// A structure, union or document: its JSON (`application/json`).
    Json,
}

/// One event (or exception) member of a `@streaming` union, as its messages carry it.
#[derive(Debug, Clone, Copy)]
pub struct EventShape {
    /// The union member's name: the `:event-type` (or `:exception-type`) header.
    pub name: &'static str,
    /// Whether it targets an `@error` structure, so its messages are exceptions.
    pub exception: bool,
    /// The `@eventHeader` members: their key in the structure's JSON, their header name (the
    /// member name) and kind.
    pub headers: &'static [(&'static str, &'static str, HeaderKind)],
    /// The `@eventPayload` member, if there is one: its key in the JSON and kind.
    pub payload: Option<(&'static str, PayloadKind)>,
    /// Whether the structure has members that go in a JSON payload (neither headers nor an
    /// `@eventPayload`); an event without any has an empty payload and no `:content-type`.
    pub body: bool,
}

/// An output without members besides its event stream, as the JSON of its initial message:
/// `{}`.
#[derive(Debug, Clone, Copy)]
pub struct NoMembers;

impl Serialize for NoMembers {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap as _;
        serializer.serialize_map(Some(0))?.end()
    }
}

/// The initial message of an RPC protocol's event stream (`initial-request` or
/// `initial-response`): the other members of the input or output, as JSON of `content_type`.
pub fn initial_message<S: Serialize>(
    event_type: &str,
    content_type: &str,
    members: &S,
) -> Result<Message, EventStreamError> {
    let payload = serde_json::to_vec(members)
        .map_err(|error| message_error(format!("cannot write the {event_type} message: {error}")))?;
    Ok(Message::new_from_parts(
        vec![
            Header::new(":message-type", HeaderValue::String("event".into())),
            Header::new(":event-type", HeaderValue::String(event_type.to_owned().into())),
            Header::new(":content-type", HeaderValue::String(content_type.to_owned().into())),
        ],
        payload,
    ))
}

/// `value` (the event structure) as a message of `shape`.
pub fn write_event<S: Serialize>(shape: &EventShape, value: &S) -> Result<Message, EventStreamError> {
    let mut object = match serde_json::to_value(value) {
        Ok(Value::Object(object)) => object,
        Ok(_) => Map::new(),
        Err(error) => return Err(message_error(format!("cannot write event `{}`: {error}", shape.name))),
    };
    let (message_type, type_header) =
        if shape.exception { ("exception", ":exception-type") } else { ("event", ":event-type") };
    let mut headers = vec![
        Header::new(":message-type", HeaderValue::String(message_type.into())),
        Header::new(type_header, HeaderValue::String(shape.name.into())),
    ];
    for (key, name, kind) in shape.headers {
        match object.remove(*key) {
            None | Some(Value::Null) => {}
            Some(value) => headers.push(Header::new(*name, header_value(&value, *kind, name)?)),
        }
    }
    let (content_type, payload) = match shape.payload {
        None if !shape.body => return Ok(Message::new_from_parts(headers, Bytes::new())),
        None => ("application/json", Bytes::from(Value::Object(object).to_string())),
        Some((key, kind)) => payload_bytes(object.remove(key), kind, key)?,
    };
    headers.push(Header::new(":content-type", HeaderValue::String(content_type.into())));
    Ok(Message::new_from_parts(headers, payload))
}

/// The event structure of `shape` that `message` holds.
pub fn read_event<D: DeserializeOwned>(shape: &EventShape, message: &Message) -> Result<D, EventStreamError> {
    let mut object = match shape.payload {
        None if message.payload().is_empty() => Map::new(),
        None => match serde_json::from_slice(message.payload()) {
            Ok(Value::Object(object)) => object,
            Ok(_) => return Err(message_error(format!("the payload of event `{}` is not a JSON object", shape.name))),
            Err(error) => {
                return Err(message_error(format!("the payload of event `{}` is not JSON: {error}", shape.name)))
            }
        },
        Some((key, kind)) => {
            let mut object = Map::new();
            if let Some(value) = payload_value(message.payload(), kind, key)? {
                object.insert(key.to_owned(), value);
            }
            object
        }
    };
    for (key, name, kind) in shape.headers {
        if let Some(header) = message.headers().iter().find(|h| h.name().as_str() == *name) {
            object.insert((*key).to_owned(), json_value(header.value(), *kind, name)?);
        }
    }
    serde_json::from_value(Value::Object(object))
        .map_err(|error| message_error(format!("event `{}` does not match the model: {error}", shape.name)))
}

/// A member's JSON value as the header of `kind`.
fn header_value(value: &Value, kind: HeaderKind, name: &str) -> Result<HeaderValue, EventStreamError> {
    let wrong = || message_error(format!("header `{name}`: {value} is not a {kind:?}"));
    let int = || value.as_i64().ok_or_else(wrong);
    Ok(match kind {
        HeaderKind::Boolean => HeaderValue::Bool(value.as_bool().ok_or_else(wrong)?),
        HeaderKind::Byte => HeaderValue::Byte(int()?.try_into().map_err(|_| wrong())?),
        HeaderKind::Short => HeaderValue::Int16(int()?.try_into().map_err(|_| wrong())?),
        HeaderKind::Integer => HeaderValue::Int32(int()?.try_into().map_err(|_| wrong())?),
        HeaderKind::Long => HeaderValue::Int64(int()?),
        HeaderKind::String => HeaderValue::String(value.as_str().ok_or_else(wrong)?.to_owned().into()),
        HeaderKind::Blob => {
            let text = value.as_str().ok_or_else(wrong)?;
            HeaderValue::ByteArray(crate::base64_decode(text).map_err(|_| wrong())?.into())
        }
        HeaderKind::Timestamp(format) => HeaderValue::Timestamp(timestamp_from_json(value, format).ok_or_else(wrong)?),
    })
}

/// A header of `kind` as the member's JSON value.
fn json_value(value: &HeaderValue, kind: HeaderKind, name: &str) -> Result<Value, EventStreamError> {
    let wrong = || message_error(format!("header `{name}` is not a {kind:?} header"));
    Ok(match (kind, value) {
        (HeaderKind::Boolean, HeaderValue::Bool(b)) => Value::Bool(*b),
        (HeaderKind::Byte, HeaderValue::Byte(n)) => Value::from(*n),
        (HeaderKind::Short, HeaderValue::Int16(n)) => Value::from(*n),
        (HeaderKind::Integer, HeaderValue::Int32(n)) => Value::from(*n),
        (HeaderKind::Long, HeaderValue::Int64(n)) => Value::from(*n),
        (HeaderKind::String, HeaderValue::String(s)) => Value::String(s.as_str().to_owned()),
        (HeaderKind::Blob, HeaderValue::ByteArray(bytes)) => Value::String(aws_smithy_types::base64::encode(bytes)),
        (HeaderKind::Timestamp(format), HeaderValue::Timestamp(time)) => timestamp_to_json(time, format)
            .ok_or_else(|| message_error(format!("header `{name}`: the timestamp cannot be written as {format:?}")))?,
        _ => return Err(wrong()),
    })
}

/// The payload member's JSON value as the payload, with its content type.
fn payload_bytes(
    value: Option<Value>,
    kind: PayloadKind,
    key: &str,
) -> Result<(&'static str, Bytes), EventStreamError> {
    let value = value.filter(|v| !v.is_null());
    Ok(match kind {
        PayloadKind::Json => ("application/json", value.map(|v| Bytes::from(v.to_string())).unwrap_or_default()),
        PayloadKind::String => {
            let text = value.as_ref().map(|v| v.as_str().map(str::to_owned));
            let text = text.map(|t| t.ok_or_else(|| message_error(format!("payload `{key}` is not a string"))));
            ("text/plain", text.transpose()?.map(Bytes::from).unwrap_or_default())
        }
        PayloadKind::Blob => {
            let bytes = match value {
                None => Bytes::new(),
                Some(Value::String(text)) => crate::base64_decode(&text)
                    .map_err(|_| message_error(format!("payload `{key}` is not base64")))?
                    .into(),
                Some(_) => return Err(message_error(format!("payload `{key}` is not a blob"))),
            };
            ("application/octet-stream", bytes)
        }
    })
}

/// The payload as the payload member's JSON value (`None` for an empty JSON payload).
fn payload_value(payload: &[u8], kind: PayloadKind, key: &str) -> Result<Option<Value>, EventStreamError> {
    Ok(match kind {
        PayloadKind::Blob => Some(Value::String(aws_smithy_types::base64::encode(payload))),
        PayloadKind::String => match std::str::from_utf8(payload) {
            Ok(text) => Some(Value::String(text.to_owned())),
            Err(_) => return Err(message_error(format!("payload `{key}` is not UTF-8"))),
        },
        PayloadKind::Json if payload.is_empty() => None,
        PayloadKind::Json => Some(
            serde_json::from_slice(payload).map_err(|e| message_error(format!("payload `{key}` is not JSON: {e}")))?,
        ),
    })
}

fn timestamp_from_json(value: &Value, format: DateTimeFormat) -> Option<DateTime> {
    match (format, value) {
        // A header keeps milliseconds, and seconds as a float are off by a little: the nearest
        // millisecond is the one meant (else an echoed timestamp would lose one each time).
        (DateTimeFormat::EpochSeconds, Value::Number(n)) => {
            Some(DateTime::from_millis((n.as_f64()? * 1000.0).round() as i64))
        }
        (_, Value::String(text)) => DateTime::from_str(text, format).ok(),
        _ => None,
    }
}

fn timestamp_to_json(time: &DateTime, format: DateTimeFormat) -> Option<Value> {
    match format {
        DateTimeFormat::EpochSeconds if time.subsec_nanos() == 0 => Some(Value::from(time.secs())),
        DateTimeFormat::EpochSeconds => serde_json::Number::from_f64(time.as_secs_f64()).map(Value::Number),
        _ => time.fmt(format).ok().map(Value::String),
    }
}

fn message_error(message: String) -> EventStreamError {
    EventStreamError::new(ErrorKind::Message, message)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, PartialEq, serde::Serialize, serde::Deserialize)]
    struct Tick {
        #[serde(rename = "Seq")]
        seq: i32,
        #[serde(rename = "text")]
        text: String,
        #[serde(rename = "At", default, skip_serializing_if = "Option::is_none")]
        at: Option<i64>,
    }

    const TICK: EventShape = EventShape {
        name: "tick",
        exception: false,
        headers: &[
            ("Seq", "Seq", HeaderKind::Integer),
            ("At", "At", HeaderKind::Timestamp(DateTimeFormat::EpochSeconds)),
        ],
        payload: None,
        body: true,
    };

    #[test]
    fn headers_come_out_of_the_payload_and_go_back_in() {
        let tick = Tick { seq: 7, text: "hi".into(), at: Some(1_700_000_000) };
        let message = write_event(&TICK, &tick).unwrap();
        assert_eq!(message.payload().as_ref(), br#"{"text":"hi"}"#);
        let names: Vec<&str> = message.headers().iter().map(|h| h.name().as_str()).collect();
        assert_eq!(names, [":message-type", ":event-type", "Seq", "At", ":content-type"]);
        assert_eq!(read_event::<Tick>(&TICK, &message).unwrap(), tick);
    }

    #[test]
    fn an_epoch_timestamp_header_keeps_its_milliseconds_through_the_json() {
        const AT: EventShape = EventShape {
            name: "at",
            exception: false,
            headers: &[("At", "At", HeaderKind::Timestamp(DateTimeFormat::EpochSeconds))],
            payload: None,
            body: false,
        };
        let time = DateTime::from_millis(1_767_225_600_004);
        let message = Message::new(&b"{}"[..]).add_header(Header::new("At", HeaderValue::Timestamp(time)));
        let value: Value = read_event(&AT, &message).unwrap();
        let again = write_event(&AT, &value).unwrap();
        let header = again.headers().iter().find(|h| h.name().as_str() == "At").unwrap();
        assert_eq!(header.value(), &HeaderValue::Timestamp(time));
        // Headers alone: no payload, and so no content type.
        assert!(again.payload().is_empty());
        assert!(again.headers().iter().all(|h| h.name().as_str() != ":content-type"));
    }

    #[test]
    fn a_header_of_the_wrong_type_is_refused() {
        let message = Message::new(&b"{}"[..]).add_header(Header::new("Seq", HeaderValue::String("7".into())));
        let error = read_event::<Tick>(&TICK, &message).unwrap_err();
        assert!(error.to_string().contains("header `Seq`"), "{error}");
    }
}
