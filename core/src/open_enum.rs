//! The enums of the generated types: a named variant for each value a spec lists, and
//! `Unknown` for any other, kept as it was received.
//!
//! Upstream adds values to its lists without notice. A closed enum would refuse a whole answer
//! for one new value; these decode it, keep it, and send it back unchanged. They are
//! `#[non_exhaustive]`, so a regeneration that adds a variant breaks no `match`.

/// The impls of a string enum of the specs: `as_str`, `From<&str>`, `From<String>`, `FromStr`,
/// `Display`, serde (as the string), and `schemars::JsonSchema` under the caller's
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
                $crate::__private::deserialize_str(deserializer, |value: &str| Self::from(value))
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

/// Reads a string without copying it when the input lends it, and makes `T` of it.
pub fn deserialize_str<'de, D, T>(deserializer: D, make: fn(&str) -> T) -> Result<T, D::Error>
where
    D: serde::Deserializer<'de>,
{
    struct Visitor<T>(fn(&str) -> T);

    impl<T> serde::de::Visitor<'_> for Visitor<T> {
        type Value = T;

        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a string")
        }

        fn visit_str<E: serde::de::Error>(self, value: &str) -> Result<T, E> {
            Ok((self.0)(value))
        }
    }

    deserializer.deserialize_str(Visitor(make))
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

    #[test]
    fn a_value_of_another_kind_is_refused() {
        let error = serde_json::from_str::<Side>("1").unwrap_err();
        assert!(error.to_string().contains("a string"), "{error}");
    }
}
