//! The ids that cross operations: one type each, shared by every operation that sends or
//! returns it, so that an id read from one call goes into another as it is, and an account id
//! cannot be passed where a symbol id is wanted.
//!
//! Each is a plain value (`Copy` where it is a number), written on the wire as upstream sends
//! it: a number, or text for the customer number. A number id also reads from text holding a
//! number, which upstream sends for some fields. Generated from `openapi/codes/ids.yaml`; the
//! codegen gives a field of that wire name and type its id (the field's doc says which).
//!
//! # Every id
//!
#![doc = include_str!("ids/table.md")]

#[allow(clippy::all)]
#[rustfmt::skip] // Generated and formatted by `cargo xtask codegen`; `--check` compares bytes.
mod table;

pub use table::*;

/// The impls of a number id: `new`, `get`, `From<i64>`, `From<i32>`, `i64::from`,
/// `PartialEq<i64>`, `Display`, `FromStr`, serde (as the number; read from a number or a string of one) and
/// `schemars::JsonSchema` under the caller's `json-schema` feature. The codegen writes the
/// struct (`pub struct SymbolId(i64);` with its docs and derives) and this after it:
///
/// ```
/// #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
/// pub struct SymbolId(i64);
/// mm_sdk_core::__int_id_impls!(SymbolId);
///
/// assert_eq!(SymbolId::from(7).get(), 7);
/// assert_eq!("7".parse::<SymbolId>().map(|id| id.to_string()), Ok("7".to_owned()));
/// ```
#[doc(hidden)]
#[macro_export]
macro_rules! __int_id_impls {
    ($name:ident) => {
        impl $name {
            /// The id of this number.
            pub const fn new(id: i64) -> Self {
                Self(id)
            }

            /// The number.
            pub const fn get(self) -> i64 {
                self.0
            }
        }

        impl ::std::convert::From<i64> for $name {
            fn from(id: i64) -> Self {
                Self(id)
            }
        }

        /// An id written as a plain integer literal (`2`) reads as one.
        impl ::std::convert::From<i32> for $name {
            fn from(id: i32) -> Self {
                Self(i64::from(id))
            }
        }

        impl ::std::convert::From<$name> for i64 {
            fn from(id: $name) -> i64 {
                id.0
            }
        }

        impl ::std::cmp::PartialEq<i64> for $name {
            fn eq(&self, number: &i64) -> bool {
                self.0 == *number
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                ::std::fmt::Display::fmt(&self.0, f)
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = ::std::num::ParseIntError;
            fn from_str(text: &str) -> ::std::result::Result<Self, Self::Err> {
                text.parse().map(Self)
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_i64(self.0)
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::std::result::Result<Self, D::Error> {
                $crate::__private::deserialize_code(deserializer).map(Self)
            }
        }

        #[cfg(feature = "json-schema")]
        impl ::schemars::JsonSchema for $name {
            fn schema_name() -> ::std::string::String {
                ::std::string::String::from(stringify!($name))
            }
            fn json_schema(
                generator: &mut ::schemars::r#gen::SchemaGenerator,
            ) -> ::schemars::schema::Schema {
                <i64 as ::schemars::JsonSchema>::json_schema(generator)
            }
        }
    };
}

/// The impls of a text id: `new`, `as_str`, `From<&str>`, `From<String>`, `String::from`,
/// `Deref<Target = str>` (and `AsRef<str>`, `Borrow<str>`), `PartialEq<str>`, `Display`,
/// `FromStr`, serde (as the text; read from text, or from a number as its digits) and
/// `schemars::JsonSchema` under the caller's `json-schema` feature. The codegen writes the
/// struct (`pub struct CustomerNo(String);`) and this after it:
///
/// ```
/// #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
/// pub struct CustomerNo(String);
/// mm_sdk_core::__text_id_impls!(CustomerNo);
///
/// assert_eq!(CustomerNo::from("86000012").as_str(), "86000012");
/// ```
#[doc(hidden)]
#[macro_export]
macro_rules! __text_id_impls {
    ($name:ident) => {
        impl $name {
            /// The id of this text.
            pub fn new(id: impl ::std::convert::Into<::std::string::String>) -> Self {
                Self(id.into())
            }

            /// The text.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl ::std::convert::From<&str> for $name {
            fn from(id: &str) -> Self {
                Self(id.to_owned())
            }
        }

        impl ::std::convert::From<::std::string::String> for $name {
            fn from(id: ::std::string::String) -> Self {
                Self(id)
            }
        }

        impl ::std::convert::From<&::std::string::String> for $name {
            fn from(id: &::std::string::String) -> Self {
                Self(id.clone())
            }
        }

        impl ::std::convert::From<&$name> for $name {
            fn from(id: &$name) -> Self {
                id.clone()
            }
        }

        impl ::std::convert::From<$name> for ::std::string::String {
            fn from(id: $name) -> ::std::string::String {
                id.0
            }
        }

        /// The text, wherever a `&str` is wanted.
        impl ::std::ops::Deref for $name {
            type Target = str;
            fn deref(&self) -> &str {
                &self.0
            }
        }

        impl ::std::convert::AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl ::std::borrow::Borrow<str> for $name {
            fn borrow(&self) -> &str {
                &self.0
            }
        }

        impl ::std::cmp::PartialEq<str> for $name {
            fn eq(&self, text: &str) -> bool {
                self.0 == text
            }
        }

        impl ::std::cmp::PartialEq<::std::string::String> for $name {
            fn eq(&self, text: &::std::string::String) -> bool {
                self.0 == *text
            }
        }

        impl ::std::cmp::PartialEq<&str> for $name {
            fn eq(&self, text: &&str) -> bool {
                self.0 == *text
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = ::std::convert::Infallible;
            fn from_str(text: &str) -> ::std::result::Result<Self, Self::Err> {
                Ok(Self::from(text))
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(&self.0)
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::std::result::Result<Self, D::Error> {
                $crate::__private::deserialize_text_code(deserializer, |id: &str| Self::from(id))
            }
        }

        #[cfg(feature = "json-schema")]
        impl ::schemars::JsonSchema for $name {
            fn schema_name() -> ::std::string::String {
                ::std::string::String::from(stringify!($name))
            }
            fn json_schema(
                generator: &mut ::schemars::r#gen::SchemaGenerator,
            ) -> ::schemars::schema::Schema {
                <::std::string::String as ::schemars::JsonSchema>::json_schema(generator)
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_number_id_reads_from_a_number_or_its_text_and_goes_back_as_the_number() {
        let ids: Vec<SymbolId> = serde_json::from_str(r#"[100216, "100217"]"#).unwrap();
        assert_eq!(ids, [SymbolId::new(100216), SymbolId::from(100217)]);
        assert_eq!(serde_json::to_string(&ids).unwrap(), "[100216,100217]");
        let wrong = serde_json::from_str::<SymbolId>(r#""EURUSD""#).unwrap_err();
        assert!(wrong.to_string().contains("integer"), "{wrong}");
    }

    #[test]
    fn a_text_id_reads_from_text_or_a_number_and_goes_back_as_text() {
        let ids: Vec<CustomerNo> = serde_json::from_str(r#"["86000012", 86000013]"#).unwrap();
        assert_eq!(
            ids,
            [CustomerNo::from("86000012"), CustomerNo::new("86000013")]
        );
        assert_eq!(
            serde_json::to_string(&ids).unwrap(),
            r#"["86000012","86000013"]"#
        );
    }
}
