//! An answer's `data` that upstream has been seen to send in another JSON shape than its
//! schema declares.

use std::fmt;
use std::marker::PhantomData;

use serde::de::value::{MapAccessDeserializer, SeqAccessDeserializer};
use serde::de::{self, Deserialize, Deserializer, IntoDeserializer, Visitor};
use serde::{Serialize, Serializer};

/// The JSON shapes a schema declares: the second parameter of [`OrOther`].
pub mod shape {
    /// A JSON shape, as a type.
    pub trait Shape: sealed::Sealed {
        /// Which one.
        #[doc(hidden)]
        const KIND: Kind;
    }

    #[doc(hidden)]
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum Kind {
        Object,
        Array,
        Boolean,
        String,
        Number,
    }

    mod sealed {
        pub trait Sealed {}
    }

    macro_rules! shapes {
        ($($(#[$doc:meta])* $name:ident => $kind:ident,)*) => {$(
            $(#[$doc])*
            #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
            pub struct $name;

            impl sealed::Sealed for $name {}

            impl Shape for $name {
                const KIND: Kind = Kind::$kind;
            }
        )*};
    }

    shapes! {
        /// A JSON object.
        Object => Object,
        /// A JSON array.
        Array => Array,
        /// `true` or `false`.
        Boolean => Boolean,
        /// A JSON string.
        Text => String,
        /// A JSON number.
        Number => Number,
    }
}

use shape::{Kind, Shape};

/// The `data` of an operation whose schema declares one JSON shape (`S`: an object, a list,
/// ...) while upstream's own answers show another (a boolean where an object is declared, a
/// list where a page is). It reads either without failing: the declared shape as `T`, exactly
/// (money included), anything else kept as the JSON it came as. The specs list the shapes
/// seen in `x-mm-other-shapes` on the envelope's `data`.
#[derive(Debug, Clone, PartialEq)]
pub struct OrOther<T, S> {
    value: Result<T, serde_json::Value>,
    shape: PhantomData<fn() -> S>,
}

impl<T, S> OrOther<T, S> {
    /// The data in its declared shape.
    pub fn declared(value: T) -> Self {
        Self {
            value: Ok(value),
            shape: PhantomData,
        }
    }

    /// Data of another shape, as it came.
    pub fn other(value: serde_json::Value) -> Self {
        Self {
            value: Err(value),
            shape: PhantomData,
        }
    }

    /// The data, if it came in its declared shape.
    pub fn as_declared(&self) -> Option<&T> {
        self.value.as_ref().ok()
    }

    /// The data, if it came in another shape.
    pub fn as_other(&self) -> Option<&serde_json::Value> {
        self.value.as_ref().err()
    }

    /// The declared shape as `Ok`, any other as `Err` with the JSON it came as.
    pub fn into_result(self) -> Result<T, serde_json::Value> {
        self.value
    }
}

impl<T: Serialize, S> Serialize for OrOther<T, S> {
    fn serialize<Z: Serializer>(&self, serializer: Z) -> Result<Z::Ok, Z::Error> {
        match &self.value {
            Ok(value) => value.serialize(serializer),
            Err(value) => value.serialize(serializer),
        }
    }
}

impl<'de, T: Deserialize<'de>, S: Shape> Deserialize<'de> for OrOther<T, S> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        // By the JSON kind that comes, without buffering it: the declared shape is read by
        // `T` from the input itself, so a decimal in it keeps its text.
        deserializer.deserialize_any(ByKind::<T, S>(PhantomData))
    }
}

struct ByKind<T, S>(PhantomData<fn() -> (T, S)>);

impl<T, S> ByKind<T, S> {
    fn other<E>(value: serde_json::Value) -> Result<OrOther<T, S>, E> {
        Ok(OrOther::other(value))
    }
}

impl<'de, T: Deserialize<'de>, S: Shape> Visitor<'de> for ByKind<T, S> {
    type Value = OrOther<T, S>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_map<A: de::MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        let from = MapAccessDeserializer::new(map);
        if S::KIND == Kind::Object {
            T::deserialize(from).map(OrOther::declared)
        } else {
            serde_json::Value::deserialize(from).map(OrOther::other)
        }
    }

    fn visit_seq<A: de::SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        let from = SeqAccessDeserializer::new(seq);
        if S::KIND == Kind::Array {
            T::deserialize(from).map(OrOther::declared)
        } else {
            serde_json::Value::deserialize(from).map(OrOther::other)
        }
    }

    fn visit_bool<E: de::Error>(self, value: bool) -> Result<Self::Value, E> {
        if S::KIND == Kind::Boolean {
            T::deserialize(value.into_deserializer()).map(OrOther::declared)
        } else {
            Self::other(value.into())
        }
    }

    fn visit_i64<E: de::Error>(self, value: i64) -> Result<Self::Value, E> {
        if S::KIND == Kind::Number {
            T::deserialize(value.into_deserializer()).map(OrOther::declared)
        } else {
            Self::other(value.into())
        }
    }

    fn visit_u64<E: de::Error>(self, value: u64) -> Result<Self::Value, E> {
        if S::KIND == Kind::Number {
            T::deserialize(value.into_deserializer()).map(OrOther::declared)
        } else {
            Self::other(value.into())
        }
    }

    fn visit_f64<E: de::Error>(self, value: f64) -> Result<Self::Value, E> {
        if S::KIND == Kind::Number {
            T::deserialize(value.into_deserializer()).map(OrOther::declared)
        } else {
            Self::other(value.into())
        }
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<Self::Value, E> {
        if S::KIND == Kind::String {
            T::deserialize(value.into_deserializer()).map(OrOther::declared)
        } else {
            Self::other(value.into())
        }
    }

    fn visit_string<E: de::Error>(self, value: String) -> Result<Self::Value, E> {
        if S::KIND == Kind::String {
            T::deserialize(value.into_deserializer()).map(OrOther::declared)
        } else {
            Self::other(value.into())
        }
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Self::other(serde_json::Value::Null)
    }
}

/// The declared shape, or any JSON value.
#[cfg(feature = "json-schema")]
impl<T: schemars::JsonSchema, S> schemars::JsonSchema for OrOther<T, S> {
    fn schema_name() -> String {
        format!("OrOther_{}", T::schema_name())
    }

    fn is_referenceable() -> bool {
        false
    }

    fn json_schema(generator: &mut schemars::r#gen::SchemaGenerator) -> schemars::schema::Schema {
        schemars::schema::SchemaObject {
            subschemas: Some(Box::new(schemars::schema::SubschemaValidation {
                any_of: Some(vec![
                    generator.subschema_for::<T>(),
                    schemars::schema::Schema::Bool(true),
                ]),
                ..Default::default()
            })),
            ..Default::default()
        }
        .into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Decimal;

    #[derive(Debug, PartialEq, serde::Deserialize, serde::Serialize)]
    struct Page {
        #[serde(with = "crate::exact_decimal")]
        total: Decimal,
        rows: Vec<u32>,
    }

    type Data = OrOther<Page, shape::Object>;

    #[test]
    fn the_declared_shape_reads_exactly_and_any_other_is_kept() {
        let page: Data = serde_json::from_str(r#"{"total": 0.10, "rows": [1, 2]}"#).unwrap();
        let declared = page.as_declared().unwrap();
        assert_eq!(declared.total.to_string(), "0.10");
        assert_eq!(declared.rows, [1, 2]);
        for other in ["[]", "true", "-1", r#""343434""#, "[{\"a\": 1}]"] {
            let read: Data = serde_json::from_str(other).unwrap();
            assert_eq!(
                read.as_other(),
                Some(&serde_json::from_str::<serde_json::Value>(other).unwrap()),
                "{other}"
            );
            assert_eq!(
                serde_json::to_string(&read).unwrap(),
                other.replace(' ', "")
            );
        }
        // A declared shape that does not read is an error, not another shape.
        assert!(serde_json::from_str::<Data>(r#"{"total": "x", "rows": []}"#).is_err());
        let flag: OrOther<bool, shape::Boolean> = serde_json::from_str("false").unwrap();
        assert_eq!(flag.into_result(), Ok(false));
        let flag: OrOther<bool, shape::Boolean> =
            serde_json::from_str(r#"{"secret": "x"}"#).unwrap();
        assert!(flag.as_other().is_some_and(serde_json::Value::is_object));
        let list: OrOther<Vec<u8>, shape::Array> = serde_json::from_str("[1]").unwrap();
        assert_eq!(list.into_result(), Ok(vec![1]));
    }
}
