//! The enums of the generated types: a named variant for each value a spec lists, and
//! `Unknown` for any other, kept as it was received.
//!
//! Upstream adds values to its lists without notice. A closed enum would refuse a whole answer
//! for one new value; these decode it, keep it, and send it back unchanged. They are
//! `#[non_exhaustive]`, so a regeneration that adds a variant breaks no `match`.

/// The impls of a string enum of the specs: `as_str`, `From<&str>`, `From<String>`, `FromStr`,
/// `Display`, serde (as the string; read from a string, or from an integer as its text, which
/// upstream sends for some text codes), and `schemars::JsonSchema` under the caller's
/// `json-schema` feature. The codegen writes the enum itself (its docs, a unit variant per
/// value, `Unknown(String)`) and this after it:
///
/// ```
/// #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
/// pub enum Strategy {
///     FixTotalAmount,
///     Unknown(String),
/// }
/// mm_sdk_core::__string_enum_impls!(Strategy { FixTotalAmount = "fix_total_amount" });
///
/// assert_eq!(Strategy::from("fix_total_amount"), Strategy::FixTotalAmount);
/// assert_eq!(Strategy::from("new").as_str(), "new");
/// ```
#[doc(hidden)]
#[macro_export]
macro_rules! __string_enum_impls {
    ($name:ident { $( $variant:ident = $value:literal ),+ $(,)? }) => {
        impl $name {
            /// The value as the API spells it.
            pub fn as_str(&self) -> &str {
                match self {
                    $( Self::$variant => $value, )+
                    Self::Unknown(value) => value,
                }
            }
        }

        impl ::std::convert::From<&str> for $name {
            fn from(value: &str) -> Self {
                match value {
                    $( $value => Self::$variant, )+
                    other => Self::Unknown(other.to_owned()),
                }
            }
        }

        impl ::std::convert::From<::std::string::String> for $name {
            fn from(value: ::std::string::String) -> Self {
                match value.as_str() {
                    $( $value => Self::$variant, )+
                    _ => Self::Unknown(value),
                }
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = ::std::convert::Infallible;
            fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
                Ok(Self::from(value))
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                $crate::__private::deserialize_text_code(deserializer, |value: &str| Self::from(value))
            }
        }

        #[cfg(feature = "json-schema")]
        impl ::schemars::JsonSchema for $name {
            fn schema_name() -> ::std::string::String {
                ::std::string::String::from(stringify!($name))
            }
            fn json_schema(_: &mut ::schemars::r#gen::SchemaGenerator) -> ::schemars::schema::Schema {
                $crate::__private::string_enum_schema(&[$($value),+])
            }
        }
    };
}

/// The impls of an integer enum of the specs (a list of codes upstream sends as numbers):
/// `code`, `From<i64>`, `i64::from`, `Display` (the code), serde (as the number; read from a
/// number or from a string of one, which upstream sends for some fields), and
/// `schemars::JsonSchema` under the caller's `json-schema` feature. The codegen writes the enum
/// (its docs, a unit variant per code, `Unknown(i64)`) and this after it:
///
/// ```
/// #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
/// pub enum Side {
///     Buy,
///     Sell,
///     Unknown(i64),
/// }
/// mm_sdk_core::__int_enum_impls!(Side { Buy = 1, Sell = 2 });
///
/// assert_eq!(Side::from(2), Side::Sell);
/// assert_eq!(Side::from(7).code(), 7);
/// ```
#[doc(hidden)]
#[macro_export]
macro_rules! __int_enum_impls {
    ($name:ident { $( $variant:ident = $value:literal ),+ $(,)? }) => {
        impl $name {
            /// The code as the API sends it.
            pub const fn code(&self) -> i64 {
                match self {
                    $( Self::$variant => $value, )+
                    Self::Unknown(code) => *code,
                }
            }
        }

        impl ::std::convert::From<i64> for $name {
            fn from(code: i64) -> Self {
                match code {
                    $( $value => Self::$variant, )+
                    other => Self::Unknown(other),
                }
            }
        }

        /// A code written as a plain integer literal (`2`) reads as one, as a code in an `i64`.
        impl ::std::convert::From<i32> for $name {
            fn from(code: i32) -> Self {
                Self::from(i64::from(code))
            }
        }

        impl ::std::convert::From<$name> for i64 {
            fn from(value: $name) -> i64 {
                value.code()
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                ::std::fmt::Display::fmt(&self.code(), f)
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_i64(self.code())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                $crate::__private::deserialize_code(deserializer).map(Self::from)
            }
        }

        #[cfg(feature = "json-schema")]
        impl ::schemars::JsonSchema for $name {
            fn schema_name() -> ::std::string::String {
                ::std::string::String::from(stringify!($name))
            }
            fn json_schema(_: &mut ::schemars::r#gen::SchemaGenerator) -> ::schemars::schema::Schema {
                $crate::__private::int_enum_schema(&[$($value),+])
            }
        }
    };
}

/// Reads an integer code: a JSON integer, or a string holding one (upstream quotes some codes).
pub fn deserialize_code<'de, D>(deserializer: D) -> Result<i64, D::Error>
where
    D: serde::Deserializer<'de>,
{
    struct Visitor;

    impl serde::de::Visitor<'_> for Visitor {
        type Value = i64;

        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("an integer code, or a string holding one")
        }

        fn visit_i64<E: serde::de::Error>(self, code: i64) -> Result<i64, E> {
            Ok(code)
        }

        fn visit_u64<E: serde::de::Error>(self, code: u64) -> Result<i64, E> {
            i64::try_from(code)
                .map_err(|_| E::invalid_value(serde::de::Unexpected::Unsigned(code), &self))
        }

        fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<i64, E> {
            text.parse()
                .map_err(|_| E::invalid_value(serde::de::Unexpected::Str(text), &self))
        }
    }

    deserializer.deserialize_any(Visitor)
}

/// The schema of an integer enum: an integer, one of `codes` as far as this SDK knows (any
/// other is kept as `Unknown`).
#[cfg(feature = "json-schema")]
pub fn int_enum_schema(codes: &[i64]) -> schemars::schema::Schema {
    schemars::schema::SchemaObject {
        instance_type: Some(schemars::schema::InstanceType::Integer.into()),
        enum_values: Some(codes.iter().map(|c| serde_json::Value::from(*c)).collect()),
        ..Default::default()
    }
    .into()
}

/// Reads a string without copying it when the input lends it, and makes `T` of it.
pub fn deserialize_str<'de, D, T>(deserializer: D, make: fn(&str) -> T) -> Result<T, D::Error>
where
    D: serde::Deserializer<'de>,
{
    deserializer.deserialize_str(Text {
        make,
        numbers: false,
    })
}

/// Reads a text code: as `deserialize_str`, and an integer as its text too, since upstream
/// sends some text codes as numbers (`3` where its schema says `"3"`).
pub fn deserialize_text_code<'de, D, T>(deserializer: D, make: fn(&str) -> T) -> Result<T, D::Error>
where
    D: serde::Deserializer<'de>,
{
    deserializer.deserialize_any(Text {
        make,
        numbers: true,
    })
}

/// The visitor of a string, and of an integer where `numbers` says so.
struct Text<T> {
    make: fn(&str) -> T,
    numbers: bool,
}

impl<T> serde::de::Visitor<'_> for Text<T> {
    type Value = T;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.numbers {
            "a string, or an integer code"
        } else {
            "a string"
        })
    }

    fn visit_str<E: serde::de::Error>(self, value: &str) -> Result<T, E> {
        Ok((self.make)(value))
    }

    fn visit_i64<E: serde::de::Error>(self, value: i64) -> Result<T, E> {
        if self.numbers {
            Ok((self.make)(&value.to_string()))
        } else {
            Err(E::invalid_type(serde::de::Unexpected::Signed(value), &self))
        }
    }

    fn visit_u64<E: serde::de::Error>(self, value: u64) -> Result<T, E> {
        if self.numbers {
            Ok((self.make)(&value.to_string()))
        } else {
            Err(E::invalid_type(
                serde::de::Unexpected::Unsigned(value),
                &self,
            ))
        }
    }
}

/// The schema of a string enum: a string, one of `values` as far as this SDK knows (any other
/// is kept as `Unknown`).
#[cfg(feature = "json-schema")]
pub fn string_enum_schema(values: &[&str]) -> schemars::schema::Schema {
    schemars::schema::SchemaObject {
        instance_type: Some(schemars::schema::InstanceType::String.into()),
        enum_values: Some(values.iter().map(|v| serde_json::Value::from(*v)).collect()),
        ..Default::default()
    }
    .into()
}

#[cfg(test)]
mod tests {
    #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
    pub enum Side {
        Buy,
        Sell,
        Unknown(String),
    }
    crate::__string_enum_impls!(Side { Buy = "buy", Sell = "sell" });

    #[test]
    fn known_and_unknown_values_round_trip_unchanged() {
        let decoded: Vec<Side> = serde_json::from_str(r#"["buy","sell","short"]"#).unwrap();
        assert_eq!(
            decoded,
            [Side::Buy, Side::Sell, Side::Unknown("short".into())]
        );
        assert_eq!(
            serde_json::to_string(&decoded).unwrap(),
            r#"["buy","sell","short"]"#
        );
        assert_eq!("sell".parse::<Side>(), Ok(Side::Sell));
        assert_eq!(Side::Unknown("x".into()).to_string(), "x");
    }

    crate::__string_enum_impls!(Channel { Email = "1", Sms = "2" });
    #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
    pub enum Channel {
        Email,
        Sms,
        Unknown(String),
    }

    #[test]
    fn a_text_code_sent_as_a_number_reads_as_its_text_and_goes_back_as_text() {
        let decoded: Vec<Channel> = serde_json::from_str(r#"["1", 2, 3]"#).unwrap();
        assert_eq!(
            decoded,
            [Channel::Email, Channel::Sms, Channel::Unknown("3".into())]
        );
        assert_eq!(serde_json::to_string(&decoded).unwrap(), r#"["1","2","3"]"#);
        let wrong = serde_json::from_str::<Channel>("true").unwrap_err();
        assert!(
            wrong.to_string().contains("a string, or an integer code"),
            "{wrong}"
        );
    }

    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
    pub enum Direction {
        Either,
        Buy,
        Sell,
        Unknown(i64),
    }
    crate::__int_enum_impls!(Direction { Either = -1, Buy = 1, Sell = 2 });

    #[test]
    fn known_and_unknown_codes_round_trip_as_numbers() {
        let decoded: Vec<Direction> = serde_json::from_str(r#"[1, 2, -1, 9, "2"]"#).unwrap();
        assert_eq!(
            decoded,
            [
                Direction::Buy,
                Direction::Sell,
                Direction::Either,
                Direction::Unknown(9),
                Direction::Sell
            ]
        );
        // A quoted code is written back as the number the spec says the field is.
        assert_eq!(serde_json::to_string(&decoded).unwrap(), "[1,2,-1,9,2]");
        assert_eq!(i64::from(Direction::Unknown(9)), 9);
        assert_eq!(Direction::Sell.to_string(), "2");
    }

    #[test]
    fn a_code_that_is_not_an_integer_is_refused() {
        for wrong in [r#""buy""#, "1.5", "true", "18446744073709551615"] {
            let error = serde_json::from_str::<Direction>(wrong).unwrap_err();
            assert!(
                error.to_string().contains("an integer code"),
                "{wrong}: {error}"
            );
        }
    }

    #[test]
    fn a_value_of_another_kind_is_refused() {
        for wrong in ["true", "1.5", "null", "[]", "{}"] {
            let error = serde_json::from_str::<Side>(wrong).unwrap_err();
            assert!(error.to_string().contains("a string"), "{wrong}: {error}");
        }
    }
}
