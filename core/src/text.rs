//! Text that a server sometimes sends as a JSON number.

use std::fmt;

/// A field upstream declares as text or as an integer, whose answers have been seen to carry
/// the other (`"sendType": 3` where the schema says a string, `"subjectId":
/// "1504110734228991000"` where it says an integer). It reads a JSON string or number and
/// keeps its text (a number's as serde reads it: `3`, `1.5`; an integer keeps every digit),
/// and is written as a JSON string. The specs mark such a field `format: text-or-number` and
/// say which answer showed it.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TextOrNumber(String);

impl TextOrNumber {
    /// The text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The text, owned.
    pub fn into_string(self) -> String {
        self.0
    }
}

impl fmt::Display for TextOrNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::str::FromStr for TextOrNumber {
    type Err = std::convert::Infallible;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Ok(Self(text.to_owned()))
    }
}

impl From<String> for TextOrNumber {
    fn from(text: String) -> Self {
        Self(text)
    }
}

impl From<&str> for TextOrNumber {
    fn from(text: &str) -> Self {
        Self(text.to_owned())
    }
}

impl From<i64> for TextOrNumber {
    fn from(number: i64) -> Self {
        Self(number.to_string())
    }
}

impl AsRef<str> for TextOrNumber {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl PartialEq<str> for TextOrNumber {
    fn eq(&self, other: &str) -> bool {
        self.0 == other
    }
}

impl PartialEq<&str> for TextOrNumber {
    fn eq(&self, other: &&str) -> bool {
        self.0 == *other
    }
}

impl serde::Serialize for TextOrNumber {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> serde::Deserialize<'de> for TextOrNumber {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;

        impl serde::de::Visitor<'_> for Visitor {
            type Value = TextOrNumber;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string or a number")
            }

            fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<TextOrNumber, E> {
                Ok(TextOrNumber(text.to_owned()))
            }

            fn visit_string<E: serde::de::Error>(self, text: String) -> Result<TextOrNumber, E> {
                Ok(TextOrNumber(text))
            }

            fn visit_i64<E: serde::de::Error>(self, number: i64) -> Result<TextOrNumber, E> {
                Ok(TextOrNumber(number.to_string()))
            }

            fn visit_u64<E: serde::de::Error>(self, number: u64) -> Result<TextOrNumber, E> {
                Ok(TextOrNumber(number.to_string()))
            }

            fn visit_i128<E: serde::de::Error>(self, number: i128) -> Result<TextOrNumber, E> {
                Ok(TextOrNumber(number.to_string()))
            }

            fn visit_u128<E: serde::de::Error>(self, number: u128) -> Result<TextOrNumber, E> {
                Ok(TextOrNumber(number.to_string()))
            }

            fn visit_f64<E: serde::de::Error>(self, number: f64) -> Result<TextOrNumber, E> {
                Ok(TextOrNumber(number.to_string()))
            }
        }

        deserializer.deserialize_any(Visitor)
    }
}

#[cfg(feature = "json-schema")]
impl schemars::JsonSchema for TextOrNumber {
    fn schema_name() -> String {
        "TextOrNumber".to_owned()
    }

    fn json_schema(_: &mut schemars::r#gen::SchemaGenerator) -> schemars::schema::Schema {
        schemars::schema::SchemaObject {
            instance_type: Some(schemars::schema::InstanceType::String.into()),
            format: Some("text-or-number".to_owned()),
            ..Default::default()
        }
        .into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_string_or_a_number_and_writes_a_string() {
        for (json, text) in [
            (r#""3""#, "3"),
            ("3", "3"),
            ("-1", "-1"),
            ("1504110734228991000", "1504110734228991000"),
            ("18446744073709551615", "18446744073709551615"),
            ("1.5", "1.5"),
            (r#""K683312403240189952""#, "K683312403240189952"),
        ] {
            let read: TextOrNumber = serde_json::from_str(json).unwrap();
            assert_eq!(read, text, "{json}");
            assert_eq!(
                serde_json::to_string(&read).unwrap(),
                serde_json::to_string(text).unwrap()
            );
        }
        let error = serde_json::from_str::<TextOrNumber>("true").unwrap_err();
        assert!(
            error.to_string().contains("a string or a number"),
            "{error}"
        );
        assert!(serde_json::from_str::<TextOrNumber>("null").is_err());
    }
}
