//! Adapters: writing and reading a value in a form other than its own serde form.
//!
//! An adapter is a type that says how to (de)serialize values of another type:
//! [`crate::wire::Base64`] writes a `Blob` as a base64 string. Adapters compose the way values
//! nest (`Vec<Option<wire::Base64>>` for a sparse list of blobs), so one type owns each wire
//! format however deeply the value sits in lists and maps. Generated structs name an adapter
//! in a plain serde attribute, `#[serde(with = "::smithy_runtime::adapter::As::<A>")]`, and
//! hand-written (de)serializers use [`SerializeAsWrap`] and [`DeserializeAsWrap`].
//!
//! This is the part of the `serde_with` crate that generated code used, with the same names
//! and the same behaviour. It replaces that crate to keep its `serde_as` proc macro (darling,
//! and a second major version of syn) out of every generated crate's build. Only the
//! compositions the generator emits are here: `Option`, `Box`, `Vec` and `BTreeMap`.

use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{Deserialize, Deserializer, MapAccess, Visitor};
use serde::ser::{Serialize, Serializer};

/// Writes values of type `T` in the form the implementing adapter stands for.
pub trait SerializeAs<T> {
    /// Writes `value` to `serializer`.
    fn serialize_as<S: Serializer>(value: &T, serializer: S) -> Result<S::Ok, S::Error>;
}

/// Reads values of type `T` from the form the implementing adapter stands for.
pub trait DeserializeAs<'de, T> {
    /// Reads a value from `deserializer`.
    fn deserialize_as<D: Deserializer<'de>>(deserializer: D) -> Result<T, D::Error>;
}

/// Names adapter `A` where serde wants a module: `#[serde(with = "As::<A>")]` makes serde call
/// `As::<A>::serialize` and `As::<A>::deserialize` for the field.
pub struct As<A>(PhantomData<A>);

impl<A> As<A> {
    /// Writes `value` through adapter `A`.
    pub fn serialize<T, S: Serializer>(value: &T, serializer: S) -> Result<S::Ok, S::Error>
    where
        A: SerializeAs<T>,
    {
        A::serialize_as(value, serializer)
    }

    /// Reads a value through adapter `A`.
    pub fn deserialize<'de, T, D: Deserializer<'de>>(deserializer: D) -> Result<T, D::Error>
    where
        A: DeserializeAs<'de, T>,
    {
        A::deserialize_as(deserializer)
    }
}

/// A borrowed value that serializes through adapter `A`, for places that need a
/// [`Serialize`] value (a map entry, a list element).
pub struct SerializeAsWrap<'a, T, A> {
    value: &'a T,
    adapter: PhantomData<A>,
}

impl<'a, T, A> SerializeAsWrap<'a, T, A> {
    /// Wraps `value`.
    pub fn new(value: &'a T) -> Self {
        Self { value, adapter: PhantomData }
    }
}

impl<T, A: SerializeAs<T>> Serialize for SerializeAsWrap<'_, T, A> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        A::serialize_as(self.value, serializer)
    }
}

/// A value deserialized through adapter `A`, for places that need a [`Deserialize`] type
/// (a map value, a list element).
// Transparent, so a `Vec` of these turns into a `Vec<T>` in place (see the `Vec` adapter).
#[repr(transparent)]
pub struct DeserializeAsWrap<T, A> {
    value: T,
    adapter: PhantomData<A>,
}

impl<T, A> DeserializeAsWrap<T, A> {
    /// The value read.
    pub fn into_inner(self) -> T {
        self.value
    }
}

impl<'de, T, A: DeserializeAs<'de, T>> Deserialize<'de> for DeserializeAsWrap<T, A> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        A::deserialize_as(deserializer).map(|value| Self { value, adapter: PhantomData })
    }
}

/// The adapter that uses a type's own serde form: the keys of a map whose values need one.
pub struct Identity;

impl<T: Serialize> SerializeAs<T> for Identity {
    fn serialize_as<S: Serializer>(value: &T, serializer: S) -> Result<S::Ok, S::Error> {
        value.serialize(serializer)
    }
}

impl<'de, T: Deserialize<'de>> DeserializeAs<'de, T> for Identity {
    fn deserialize_as<D: Deserializer<'de>>(deserializer: D) -> Result<T, D::Error> {
        T::deserialize(deserializer)
    }
}

/// `None` is JSON null; `Some` holds a value written through `A`.
impl<T, A: SerializeAs<T>> SerializeAs<Option<T>> for Option<A> {
    fn serialize_as<S: Serializer>(value: &Option<T>, serializer: S) -> Result<S::Ok, S::Error> {
        match value {
            Some(value) => serializer.serialize_some(&SerializeAsWrap::<T, A>::new(value)),
            None => serializer.serialize_none(),
        }
    }
}

/// JSON null reads as `None`, anything else through `A`.
impl<'de, T, A: DeserializeAs<'de, T>> DeserializeAs<'de, Option<T>> for Option<A> {
    fn deserialize_as<D: Deserializer<'de>>(deserializer: D) -> Result<Option<T>, D::Error> {
        // serde's own `Option` reading (null or unit is `None`) over the wrapped value.
        let value = Option::<DeserializeAsWrap<T, A>>::deserialize(deserializer)?;
        Ok(value.map(DeserializeAsWrap::into_inner))
    }
}

/// A boxed (recursive) value is written as the value itself.
impl<T, A: SerializeAs<T>> SerializeAs<Box<T>> for Box<A> {
    fn serialize_as<S: Serializer>(value: &Box<T>, serializer: S) -> Result<S::Ok, S::Error> {
        A::serialize_as(value, serializer)
    }
}

/// A boxed (recursive) value is read as the value itself.
impl<'de, T, A: DeserializeAs<'de, T>> DeserializeAs<'de, Box<T>> for Box<A> {
    fn deserialize_as<D: Deserializer<'de>>(deserializer: D) -> Result<Box<T>, D::Error> {
        A::deserialize_as(deserializer).map(Box::new)
    }
}

/// A JSON array with every element written through `A`.
impl<T, A: SerializeAs<T>> SerializeAs<Vec<T>> for Vec<A> {
    fn serialize_as<S: Serializer>(value: &Vec<T>, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(value.iter().map(SerializeAsWrap::<T, A>::new))
    }
}

/// A JSON array with every element read through `A`.
impl<'de, T, A: DeserializeAs<'de, T>> DeserializeAs<'de, Vec<T>> for Vec<A> {
    fn deserialize_as<D: Deserializer<'de>>(deserializer: D) -> Result<Vec<T>, D::Error> {
        // serde's own `Vec` reading over wrapped elements; the wrapper has `T`'s layout, so
        // unwrapping reuses the allocation instead of copying the list.
        let values = Vec::<DeserializeAsWrap<T, A>>::deserialize(deserializer)?;
        Ok(values.into_iter().map(DeserializeAsWrap::into_inner).collect())
    }
}

/// A JSON object with every key written through `KA` and every value through `VA`.
impl<K, V, KA: SerializeAs<K>, VA: SerializeAs<V>> SerializeAs<BTreeMap<K, V>> for BTreeMap<KA, VA> {
    fn serialize_as<S: Serializer>(value: &BTreeMap<K, V>, serializer: S) -> Result<S::Ok, S::Error> {
        let entries = value.iter().map(|(k, v)| (SerializeAsWrap::<K, KA>::new(k), SerializeAsWrap::<V, VA>::new(v)));
        serializer.collect_map(entries)
    }
}

/// A JSON object with every key read through `KA` and every value through `VA`; a repeated
/// key keeps its last value, as serde's own maps do.
impl<'de, K: Ord, V, KA: DeserializeAs<'de, K>, VA: DeserializeAs<'de, V>> DeserializeAs<'de, BTreeMap<K, V>>
    for BTreeMap<KA, VA>
{
    fn deserialize_as<D: Deserializer<'de>>(deserializer: D) -> Result<BTreeMap<K, V>, D::Error> {
        deserializer.deserialize_map(MapVisitor::<K, V, KA, VA>(PhantomData))
    }
}

/// Reads a JSON object into a `BTreeMap` entry by entry. (Going through serde's own
/// `BTreeMap` would need an ordered wrapper key and a second map.)
struct MapVisitor<K, V, KA, VA>(PhantomData<(K, V, KA, VA)>);

impl<'de, K: Ord, V, KA: DeserializeAs<'de, K>, VA: DeserializeAs<'de, V>> Visitor<'de> for MapVisitor<K, V, KA, VA> {
    type Value = BTreeMap<K, V>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The words of serde's own maps, so error messages do not change with the adapter.
        f.write_str("a map")
    }

    fn visit_map<M: MapAccess<'de>>(self, mut access: M) -> Result<Self::Value, M::Error> {
        let mut map = BTreeMap::new();
        while let Some((key, value)) = access.next_entry::<DeserializeAsWrap<K, KA>, DeserializeAsWrap<V, VA>>()? {
            map.insert(key.into_inner(), value.into_inner());
        }
        Ok(map)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::{Base64, EpochSeconds};
    use crate::{Blob, DateTime};

    type SparseBlobs = Vec<Option<Base64>>;
    type TimeMap = BTreeMap<Identity, EpochSeconds>;

    fn to_json<T, A: SerializeAs<T>>(value: &T) -> String {
        serde_json::to_string(&SerializeAsWrap::<T, A>::new(value)).unwrap()
    }

    fn from_json<T, A: for<'de> DeserializeAs<'de, T>>(json: &str) -> Result<T, serde_json::Error> {
        serde_json::from_str::<DeserializeAsWrap<T, A>>(json).map(DeserializeAsWrap::into_inner)
    }

    #[test]
    fn lists_adapt_every_element_and_keep_nulls_where_sparse() {
        let blobs = vec![Some(Blob::new(b"a".to_vec())), None];
        assert_eq!(to_json::<_, SparseBlobs>(&blobs), r#"["YQ==",null]"#);
        assert_eq!(from_json::<_, SparseBlobs>(r#"["YQ==",null]"#).unwrap(), blobs);
        assert!(from_json::<Vec<Blob>, Vec<Base64>>(r#"["YQ==",null]"#).is_err(), "a dense list refuses null");
        let err = from_json::<Vec<Blob>, Vec<Base64>>("{}").unwrap_err();
        assert!(err.to_string().contains("expected a sequence"), "{err}");
    }

    #[test]
    fn maps_adapt_values_and_keep_the_last_of_a_repeated_key() {
        let map = BTreeMap::from([("b".to_owned(), DateTime::from_secs(2)), ("a".to_owned(), DateTime::from_secs(1))]);
        assert_eq!(to_json::<_, TimeMap>(&map), r#"{"a":1,"b":2}"#);
        let read = from_json::<BTreeMap<String, DateTime>, TimeMap>(r#"{"b":2,"a":0,"a":1}"#).unwrap();
        assert_eq!(read, map);
        let err = from_json::<BTreeMap<String, DateTime>, TimeMap>("[]").unwrap_err();
        assert!(err.to_string().contains("expected a map"), "{err}");
    }

    #[test]
    fn options_and_boxes_wrap_the_inner_adapter() {
        assert_eq!(to_json::<Option<DateTime>, Option<EpochSeconds>>(&None), "null");
        assert_eq!(from_json::<Option<DateTime>, Option<EpochSeconds>>("null").unwrap(), None);
        let boxed = Box::new(DateTime::from_secs(3));
        assert_eq!(to_json::<_, Box<EpochSeconds>>(&boxed), "3");
        assert_eq!(from_json::<Box<DateTime>, Box<EpochSeconds>>("3").unwrap(), boxed);
    }

    #[derive(serde::Serialize, serde::Deserialize, PartialEq, Debug)]
    struct Field {
        #[serde(default, skip_serializing_if = "Option::is_none", with = "As::<Option<EpochSeconds>>")]
        at: Option<DateTime>,
    }

    #[test]
    fn as_names_an_adapter_in_a_serde_attribute() {
        let field = Field { at: Some(DateTime::from_secs(4)) };
        assert_eq!(serde_json::to_string(&field).unwrap(), r#"{"at":4}"#);
        assert_eq!(serde_json::from_str::<Field>(r#"{"at":4}"#).unwrap(), field);
        assert_eq!(serde_json::from_str::<Field>("{}").unwrap(), Field { at: None });
        assert_eq!(serde_json::from_str::<Field>(r#"{"at":null}"#).unwrap(), Field { at: None });
    }
}
