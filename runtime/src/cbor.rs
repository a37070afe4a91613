//! CBOR bodies (RFC 8949), as the rpcv2Cbor protocol carries them.
//!
//! **Writing** is serde: the model types serialize through `ciborium`, whose serializer is
//! not human-readable, so the [wire adapters](crate::wire) write the CBOR forms (blobs as
//! byte strings, timestamps as tag 1 epoch seconds, non-finite floats as floats).
//!
//! **Reading** turns the body into the JSON data model first ([`to_json`]): byte strings become
//! base64 text, tag 1 timestamps become epoch seconds (or the date-time text a member's format
//! asks for), non-finite floats become `"NaN"`/`"Infinity"`/`"-Infinity"`. The result is read
//! by the same code as a JSON body, so the required-member report, the placeholders and the
//! typed reading are one implementation for every protocol. Given the model's
//! [`Node`] the reading is strict, as a server must be: a value of the
//! wrong major type, a key twice in one map, a union member the model does not define, a tag
//! other than a timestamp's, are refused. Without one it is lenient, as a client is.
//!
//! Both ways are bounded by the input: nesting beyond [`MAX_DEPTH`], a length beyond the
//! bytes left, and anything after the top-level item are errors; nothing is allocated for a
//! declared length the body cannot hold.

use std::fmt;

use aws_smithy_types::date_time::Format;
use aws_smithy_types::DateTime;
use ciborium_ll::{Decoder, Header};
use serde::Serialize;
use serde_json::{Map, Number, Value};

use crate::node::{Node, Placeholder};

pub mod big_number;

/// The media type of CBOR bodies.
pub const CONTENT_TYPE: &str = "application/cbor";

/// How deep arrays and maps may nest, as serde_json bounds JSON.
pub const MAX_DEPTH: usize = 128;

/// The tag of a timestamp as epoch seconds.
const EPOCH_TAG: u64 = 1;

/// Why a CBOR body could not be read, with where in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CborError {
    /// The byte offset the problem was found at.
    pub offset: usize,
    /// What is wrong, for a person.
    pub message: String,
}

impl fmt::Display for CborError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (at byte {})", self.message, self.offset)
    }
}

impl std::error::Error for CborError {}

/// A structure without members, as the body of an rpcv2Cbor message: an empty map.
#[derive(Debug, Clone, Copy, Default)]
pub struct EmptyMap;

impl Serialize for EmptyMap {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap as _;
        serializer.serialize_map(Some(0))?.end()
    }
}

/// Writes a value as CBOR.
pub fn to_vec<T: Serialize + ?Sized>(value: &T) -> Result<Vec<u8>, String> {
    let mut out = Vec::with_capacity(256);
    ciborium::into_writer(value, &mut out).map_err(|error| error.to_string())?;
    Ok(out)
}

/// Reads a CBOR body into the JSON data model (see the module documentation); `node` is what
/// the model says the body is (strict reading), `None` to read whatever is there.
pub fn to_json(body: &[u8], node: Option<&Node>) -> Result<Value, CborError> {
    let mut reader = Reader { decoder: Decoder::from(body), len: body.len() };
    let value = reader.item(node, 0)?;
    let offset = reader.offset();
    if offset != body.len() {
        return Err(CborError { offset, message: "the body goes on after its CBOR value".to_owned() });
    }
    Ok(value)
}

/// Reads a message body as [`to_json`] does, where an empty body is an empty map: what both
/// sides take for a structure sent without members.
pub fn body_to_json(body: &[u8], node: Option<&Node>) -> Result<Value, CborError> {
    if body.is_empty() {
        return Ok(Value::Object(Map::new()));
    }
    to_json(body, node)
}

/// A body being read.
struct Reader<'b> {
    decoder: Decoder<&'b [u8]>,
    len: usize,
}

/// What a leaf of the model accepts, named for messages.
fn expected(placeholder: Placeholder) -> &'static str {
    match placeholder {
        Placeholder::String => "a text string",
        Placeholder::Blob => "a byte string",
        Placeholder::Number => "a number",
        Placeholder::Boolean => "a boolean",
        Placeholder::Null => "a value",
        Placeholder::Text(_) | Placeholder::DateTime => "a timestamp (tag 1)",
    }
}

impl Reader<'_> {
    fn offset(&mut self) -> usize {
        self.decoder.offset()
    }

    fn error<T>(&mut self, message: impl Into<String>) -> Result<T, CborError> {
        Err(CborError { offset: self.offset(), message: message.into() })
    }

    fn pull(&mut self) -> Result<Header, CborError> {
        let offset = self.offset();
        self.decoder.pull().map_err(|error| CborError {
            offset,
            message: match error {
                ciborium_ll::Error::Io(_) => "the body ends inside a CBOR value".to_owned(),
                ciborium_ll::Error::Syntax(_) => "the body is not well-formed CBOR".to_owned(),
            },
        })
    }

    /// The bytes left after the current position.
    fn left(&mut self) -> usize {
        self.len - self.offset()
    }

    /// One item, checked against `node` when there is one.
    fn item(&mut self, node: Option<&Node>, depth: usize) -> Result<Value, CborError> {
        let header = self.pull()?;
        self.value(header, node, depth)
    }

    fn value(&mut self, header: Header, node: Option<&Node>, depth: usize) -> Result<Value, CborError> {
        let leaf = match node {
            Some(Node::Leaf(placeholder)) => Some(*placeholder),
            _ => None,
        };
        // Null stands for an absent member anywhere (sparse collections, unset members);
        // whether that is allowed is the required-member check's to say.
        if let Header::Simple(ciborium_ll::simple::NULL | ciborium_ll::simple::UNDEFINED) = header {
            return Ok(Value::Null);
        }
        if let (Some(placeholder), false) = (leaf, self.leaf_accepts(leaf, &header)) {
            return self.error(format!("expected {}, found {}", expected(placeholder), describe(&header)));
        }
        match header {
            Header::Positive(n) => Ok(Value::from(n)),
            Header::Negative(n) => match i64::try_from(n) {
                // CBOR's negative integers are -1 - n.
                Ok(n) => Ok(Value::from(-1 - n)),
                Err(_) => self.error("the integer is below the range of a 64-bit integer"),
            },
            Header::Float(f) => Ok(float(f)),
            Header::Simple(ciborium_ll::simple::FALSE) => Ok(Value::Bool(false)),
            Header::Simple(ciborium_ll::simple::TRUE) => Ok(Value::Bool(true)),
            Header::Simple(other) => self.error(format!("simple value {other} has no meaning here")),
            Header::Break => self.error("a break outside an indefinite-length item"),
            Header::Bytes(len) => {
                let bytes = self.bytes(len)?;
                Ok(Value::String(aws_smithy_types::base64::encode(bytes)))
            }
            Header::Text(len) => self.text(len).map(Value::String),
            Header::Tag(tag) => self.tagged(tag, node, leaf, depth),
            Header::Array(len) => self.array(len, node, depth),
            Header::Map(len) => self.map(len, node, depth),
        }
    }

    /// Whether a leaf of the model takes an item with this header (a tag is looked into
    /// by [`Self::tagged`]).
    fn leaf_accepts(&self, leaf: Option<Placeholder>, header: &Header) -> bool {
        let number = matches!(header, Header::Positive(_) | Header::Negative(_) | Header::Float(_));
        match leaf {
            None | Some(Placeholder::Null) => true,
            Some(Placeholder::String) => matches!(header, Header::Text(_)),
            Some(Placeholder::Blob) => matches!(header, Header::Bytes(_)),
            Some(Placeholder::Boolean) => {
                matches!(header, Header::Simple(ciborium_ll::simple::FALSE | ciborium_ll::simple::TRUE))
            }
            // Numbers, intEnums and epoch-seconds timestamps (tagged or not), big numbers.
            Some(Placeholder::Number) => {
                number
                    || matches!(
                        header,
                        Header::Tag(
                            EPOCH_TAG
                                | big_number::POSITIVE_BIGNUM
                                | big_number::NEGATIVE_BIGNUM
                                | big_number::DECIMAL_FRACTION
                        )
                    )
            }
            Some(Placeholder::Text(_) | Placeholder::DateTime) => number || matches!(header, Header::Tag(EPOCH_TAG)),
        }
    }

    /// A tagged item: a timestamp (tag 1 over a number) is the only tag the protocol sends.
    /// Read leniently, any other tag is skipped for its content.
    fn tagged(
        &mut self,
        tag: u64,
        node: Option<&Node>,
        leaf: Option<Placeholder>,
        depth: usize,
    ) -> Result<Value, CborError> {
        if matches!(tag, big_number::POSITIVE_BIGNUM | big_number::NEGATIVE_BIGNUM | big_number::DECIMAL_FRACTION)
            && matches!(leaf, None | Some(Placeholder::Number | Placeholder::Null))
        {
            return self.big_number(tag).map(Value::String);
        }
        if tag != EPOCH_TAG {
            if node.is_some() {
                return self.error(format!("tag {tag} is not expected here"));
            }
            // A tag nests its content: tags without end must meet the limit as arrays do.
            let depth = self.deeper(depth)?;
            return self.item(None, depth);
        }
        let header = self.pull()?;
        let seconds = match header {
            Header::Positive(_) | Header::Negative(_) | Header::Float(_) => self.value(header, None, depth)?,
            other => return self.error(format!("a timestamp (tag 1) holds a number, found {}", describe(&other))),
        };
        match leaf {
            Some(Placeholder::DateTime) => self.timestamp_text(&seconds, Format::DateTime),
            Some(Placeholder::Text(_)) => self.timestamp_text(&seconds, Format::HttpDate),
            _ => Ok(seconds),
        }
    }

    /// A big number (see [`big_number`]) as the decimal text a `bigInteger` or `bigDecimal`
    /// member reads (a member of another number type refuses a text).
    fn big_number(&mut self, tag: u64) -> Result<String, CborError> {
        if tag != big_number::DECIMAL_FRACTION {
            return self.bignum(tag);
        }
        if self.pull()? != Header::Array(Some(2)) {
            return self.error("a decimal fraction (tag 4) holds an array of exponent and mantissa");
        }
        let exponent = match self.pull()? {
            Header::Positive(n) => i128::from(n),
            Header::Negative(n) => -1 - i128::from(n),
            _ => return self.error("a decimal fraction's exponent is an integer"),
        };
        let mantissa = match self.pull()? {
            Header::Positive(n) => n.to_string(),
            Header::Negative(n) => format!("-{}", big_number::increment_decimal(&n.to_string())),
            Header::Tag(tag @ (big_number::POSITIVE_BIGNUM | big_number::NEGATIVE_BIGNUM)) => self.bignum(tag)?,
            _ => return self.error("a decimal fraction's mantissa is an integer"),
        };
        Ok(format!("{mantissa}e{exponent}"))
    }

    /// A bignum (tag 2, or tag 3 for -1 - n) as decimal digits.
    fn bignum(&mut self, tag: u64) -> Result<String, CborError> {
        let magnitude = match self.pull()? {
            Header::Bytes(len) => self.bytes(len)?,
            _ => return self.error(format!("a bignum (tag {tag}) holds a byte string")),
        };
        let digits = big_number::bytes_to_decimal(&magnitude);
        if tag == big_number::NEGATIVE_BIGNUM {
            return Ok(format!("-{}", big_number::increment_decimal(&digits)));
        }
        Ok(digits)
    }

    /// Epoch seconds as the text a member of a text timestamp format reads.
    fn timestamp_text(&mut self, seconds: &Value, format: Format) -> Result<Value, CborError> {
        let instant = match seconds {
            Value::Number(n) => DateTime::from_str(&n.to_string(), Format::EpochSeconds).ok(),
            _ => None,
        };
        match instant.and_then(|instant| instant.fmt(format).ok()) {
            Some(text) => Ok(Value::String(text)),
            None => self.error(format!("{seconds} is not a timestamp that can be written")),
        }
    }

    fn bytes(&mut self, len: Option<usize>) -> Result<Vec<u8>, CborError> {
        let Some(len) = len else {
            let mut out = Vec::new();
            while let Some(chunk) = self.chunk(|header| matches!(header, Header::Bytes(Some(_))))? {
                out.extend(self.bytes(Some(chunk))?);
            }
            return Ok(out);
        };
        if len > self.left() {
            return self.error(format!("a byte string of {len} bytes is longer than the body"));
        }
        self.definite(len)
    }

    /// The `len` bytes of a definite-length string, which the body holds (checked before):
    /// read in one copy, straight from the body.
    fn definite(&mut self, len: usize) -> Result<Vec<u8>, CborError> {
        use ciborium_io::Read as _;
        let mut out = vec![0; len];
        match self.decoder.read_exact(&mut out) {
            Ok(()) => Ok(out),
            Err(_) => self.error("the body ends inside a string"),
        }
    }

    fn text(&mut self, len: Option<usize>) -> Result<String, CborError> {
        let Some(len) = len else {
            let mut out = String::new();
            while let Some(chunk) = self.chunk(|header| matches!(header, Header::Text(Some(_))))? {
                out.push_str(&self.text(Some(chunk))?);
            }
            return Ok(out);
        };
        if len > self.left() {
            return self.error(format!("a text string of {len} bytes is longer than the body"));
        }
        let offset = self.offset();
        String::from_utf8(self.definite(len)?)
            .map_err(|_| CborError { offset, message: "a text string is not UTF-8".to_owned() })
    }

    /// The length of the next chunk of an indefinite-length string, `None` at its break. RFC
    /// 8949 (3.2.3) has each chunk be a definite-length string of the same type; ciborium-ll
    /// alone would also take nested indefinite-length chunks, which are not well-formed.
    fn chunk(&mut self, is_chunk: fn(&Header) -> bool) -> Result<Option<usize>, CborError> {
        match self.pull()? {
            Header::Break => Ok(None),
            header @ (Header::Bytes(Some(len)) | Header::Text(Some(len))) if is_chunk(&header) => Ok(Some(len)),
            other => self.error(format!("an indefinite-length string holds {} as a chunk", describe(&other))),
        }
    }

    /// The nesting check every array and map passes.
    fn deeper(&mut self, depth: usize) -> Result<usize, CborError> {
        if depth >= MAX_DEPTH {
            return self.error(format!("the body nests deeper than {MAX_DEPTH} levels"));
        }
        Ok(depth + 1)
    }

    /// Whether an indefinite-length item goes on (its break is consumed when not).
    fn more(&mut self, len: Option<usize>, read: usize) -> Result<Option<Header>, CborError> {
        match len {
            Some(len) if read >= len => Ok(None),
            Some(_) => self.pull().map(Some),
            None => match self.pull()? {
                Header::Break => Ok(None),
                header => Ok(Some(header)),
            },
        }
    }

    fn array(&mut self, len: Option<usize>, node: Option<&Node>, depth: usize) -> Result<Value, CborError> {
        let item = match node {
            None => None,
            Some(Node::List(item)) => Some(*item),
            Some(Node::Leaf(Placeholder::Null)) => None,
            Some(_) => return self.error("expected a map, found an array"),
        };
        let depth = self.deeper(depth)?;
        // Every item takes at least a byte: a declared length cannot reserve more than that.
        let mut items = Vec::with_capacity(len.unwrap_or(0).min(self.left()));
        while let Some(header) = self.more(len, items.len())? {
            items.push(self.value(header, item, depth)?);
        }
        Ok(Value::Array(items))
    }

    fn map(&mut self, len: Option<usize>, node: Option<&Node>, depth: usize) -> Result<Value, CborError> {
        if let Some(Node::List(_)) = node {
            return self.error("expected an array, found a map");
        }
        let depth = self.deeper(depth)?;
        let mut entries = Map::new();
        let mut read = 0;
        while let Some(header) = self.more(len, read)? {
            read += 1;
            let key = match header {
                Header::Text(len) => self.text(len)?,
                other => return self.error(format!("a map key must be a text string, found {}", describe(&other))),
            };
            let inner = self.member(node, &key)?;
            let value = self.item(inner, depth)?;
            if entries.insert(key.clone(), value).is_some() {
                return self.error(format!("the key `{key}` appears twice in one map"));
            }
        }
        Ok(Value::Object(entries))
    }

    /// What the model says the value under `key` is; an unknown member of a union is an error
    /// (an unknown member of a structure is skipped, as a newer client may send one).
    fn member<'n>(&mut self, node: Option<&'n Node>, key: &str) -> Result<Option<&'n Node>, CborError> {
        Ok(match node {
            Some(Node::Structure(fields)) => fields.iter().find(|f| f.name == key).map(|f| f.node),
            Some(Node::Union(fields)) => match fields.iter().find(|f| f.name == key) {
                Some(field) => Some(field.node),
                None if key == "__type" => None,
                None => return self.error(format!("the union has no member `{key}`")),
            },
            Some(Node::Map(item)) => Some(*item),
            _ => None,
        })
    }
}

/// A float in the JSON data model: a number, or the text restJson1 uses for the values JSON
/// numbers cannot hold (which the float adapter reads).
fn float(f: f64) -> Value {
    if f.is_nan() {
        Value::from("NaN")
    } else if f == f64::INFINITY {
        Value::from("Infinity")
    } else if f == f64::NEG_INFINITY {
        Value::from("-Infinity")
    } else {
        Number::from_f64(f).map_or(Value::Null, Value::Number)
    }
}

/// An item's kind, for messages.
fn describe(header: &Header) -> &'static str {
    match header {
        Header::Positive(_) | Header::Negative(_) => "an integer",
        Header::Float(_) => "a float",
        Header::Simple(ciborium_ll::simple::FALSE | ciborium_ll::simple::TRUE) => "a boolean",
        Header::Simple(_) => "a simple value",
        Header::Tag(_) => "a tagged item",
        Header::Break => "a break",
        Header::Bytes(_) => "a byte string",
        Header::Text(_) => "a text string",
        Header::Array(_) => "an array",
        Header::Map(_) => "a map",
    }
}
