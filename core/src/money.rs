//! Money without loss: amounts, prices, balances and rates are [`Decimal`]s, decoded from JSON
//! strings and JSON numbers alike, digit for digit, never through `f64`.
//!
//! Upstream sends most amounts as strings (`"0.100000"`) and some as numbers (`50.0`). Both
//! decode exactly because the workspace's `serde_json` keeps a number's text
//! (`arbitrary_precision`) and `rust_decimal` reads that text. A schema says which a field is:
//! `type: string, format: decimal` is a [`Decimal`] (sent as a string), `type: number,
//! format: decimal` a [`DecimalNumber`] (sent as a JSON number, written digit for digit).

use std::fmt;
use std::str::FromStr;

pub use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A decimal that travels as a JSON number: upstream expects `"amount": 12.5`, not
/// `"amount": "12.5"`. Decodes from a number or a string, exactly; encodes as a number with
/// the decimal's digits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct DecimalNumber(pub Decimal);

impl DecimalNumber {
    /// The decimal.
    pub fn get(self) -> Decimal {
        self.0
    }
}

impl From<Decimal> for DecimalNumber {
    fn from(value: Decimal) -> Self {
        Self(value)
    }
}

impl From<DecimalNumber> for Decimal {
    fn from(value: DecimalNumber) -> Self {
        value.0
    }
}

impl FromStr for DecimalNumber {
    type Err = rust_decimal::Error;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Decimal::from_str_exact(text).map(Self)
    }
}

impl fmt::Display for DecimalNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl Serialize for DecimalNumber {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        // With `arbitrary_precision`, a `Number` made from text is written as that text.
        serde_json::Number::from_str(&self.0.to_string())
            .map_err(serde::ser::Error::custom)?
            .serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for DecimalNumber {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        <Decimal as Deserialize>::deserialize(deserializer).map(Self)
    }
}

/// A JSON number (upstream's `type: number, format: decimal`); a string of digits is accepted
/// too when decoding, as [`Decimal`] does.
#[cfg(feature = "json-schema")]
impl schemars::JsonSchema for DecimalNumber {
    fn schema_name() -> String {
        "DecimalNumber".to_owned()
    }

    fn is_referenceable() -> bool {
        false
    }

    fn json_schema(_: &mut schemars::r#gen::SchemaGenerator) -> schemars::schema::Schema {
        schemars::schema::SchemaObject {
            instance_type: Some(schemars::schema::InstanceType::Number.into()),
            format: Some("decimal".to_owned()),
            ..Default::default()
        }
        .into()
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn decimal(text: &str) -> Decimal {
        Decimal::from_str_exact(text).unwrap()
    }

    #[test]
    fn strings_and_numbers_decode_exactly() {
        for (json, expected) in [
            ("\"0.1\"", "0.1"),
            ("0.1", "0.1"),
            ("\"0.100000\"", "0.100000"),
            ("50.0", "50.0"),
            // 18 significant digits, which an f64 cannot hold.
            ("1234567890.12345678", "1234567890.12345678"),
            ("\"1234567890.12345678\"", "1234567890.12345678"),
            // A large balance in minor units.
            ("11210000000", "11210000000"),
            ("\"99999999999999999999.99\"", "99999999999999999999.99"),
            ("-0.00000001", "-0.00000001"),
        ] {
            let value: Decimal = serde_json::from_str(json).unwrap();
            assert_eq!(value, decimal(expected), "{json}");
            assert_eq!(value.to_string(), expected, "{json} keeps its scale");
            let number: DecimalNumber = serde_json::from_str(json).unwrap();
            assert_eq!(number.0, decimal(expected), "{json} as a number field");
        }
    }

    #[test]
    fn decimals_encode_as_upstream_expects() {
        let amount = decimal("1234567890.12345678");
        assert_eq!(
            serde_json::to_string(&amount).unwrap(),
            "\"1234567890.12345678\""
        );
        let number = DecimalNumber(amount);
        assert_eq!(
            serde_json::to_string(&number).unwrap(),
            "1234567890.12345678"
        );
        assert_eq!(serde_json::to_value(number).unwrap(), json!(number));
    }

    #[test]
    fn what_is_not_a_decimal_is_refused() {
        for json in ["\"\"", "\"abc\"", "true", "null", "\"1e400\""] {
            assert!(serde_json::from_str::<Decimal>(json).is_err(), "{json}");
        }
    }
}
