//! Money without loss: amounts, prices, balances and rates are [`Decimal`]s, decoded from JSON
//! strings and JSON numbers alike, digit for digit, never through `f64`, and without turning
//! on `serde_json`'s `arbitrary_precision` in the user's program (a feature that, once on,
//! changes how every crate of the program reads numbers).
//!
//! Upstream sends most amounts as strings (`"0.100000"`) and some as numbers (`50.0`). A
//! schema says which a field is: `type: string, format: decimal` is a [`Decimal`] (sent as a
//! string), `type: number, format: decimal` a [`DecimalNumber`] (sent as a JSON number,
//! written digit for digit). Either is read from the value's own text, which `serde_json`
//! hands over as a [`RawValue`]: a generated field of type `Decimal` carries
//! `#[serde(with = "mm_sdk_core::exact_decimal")]` (or [`exact_decimal_option`]), and
//! `DecimalNumber` reads itself so.
//!
//! A `RawValue` is the text `serde_json` reads, so the SDK reads every answer from its bytes.
//! Inside a type that serde buffers first (`untagged` or internally tagged enums, `flatten`)
//! there is no text: a decimal there is refused with an error rather than read through `f64`,
//! and the code generator refuses a spec that would put one there. Read from a
//! `serde_json::Value`, a number is what the `Value` holds, an `f64`: exact to 15 significant
//! digits.

use std::fmt;
use std::str::FromStr;

pub use rust_decimal::Decimal;
use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::value::RawValue;

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
        // A decimal's text is a JSON number (digits, a sign, a point; never an exponent),
        // written as it is.
        RawValue::from_string(self.0.to_string())
            .map_err(serde::ser::Error::custom)?
            .serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for DecimalNumber {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        exact_decimal::deserialize(deserializer).map(Self)
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

/// The decimal a JSON value's text `raw` holds: a number (`12.5`, `1.5e-7`) or a string of
/// one (`"12.5"`), digit for digit.
fn parse(raw: &str) -> Result<Decimal, String> {
    let text = match raw
        .strip_prefix('"')
        .and_then(|rest| rest.strip_suffix('"'))
    {
        // A decimal's text has no character JSON escapes; one that has is no decimal.
        Some(inner) if !inner.contains('\\') => inner,
        Some(_) => return Err(format!("{raw} is not a decimal")),
        None => raw,
    };
    let parsed = if text.contains(['e', 'E']) {
        Decimal::from_scientific(text)
    } else {
        Decimal::from_str_exact(text)
    };
    parsed.map_err(|e| format!("{raw} is not a decimal: {e}"))
}

/// The value's text, or why there is none: a decimal is read from `serde_json`'s reading of
/// the document itself.
fn raw<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Box<RawValue>, D::Error> {
    Box::<RawValue>::deserialize(deserializer).map_err(|e| {
        D::Error::custom(format!(
            "a decimal is read from the JSON text itself (not inside an untagged, internally \
             tagged or flattened type): {e}"
        ))
    })
}

/// Serde functions for a [`Decimal`] field that reads a JSON string or number exactly and
/// writes a string: `#[serde(with = "mm_sdk_core::exact_decimal")]`. What every generated
/// `Decimal` field uses; for a type of your own that holds upstream's amounts.
pub mod exact_decimal {
    use super::*;

    /// Writes `value` as a JSON string of its digits (`"12.50"`).
    pub fn serialize<S: Serializer>(value: &Decimal, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(value)
    }

    /// Reads a JSON string or number exactly.
    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Decimal, D::Error> {
        let raw = raw(deserializer)?;
        parse(raw.get()).map_err(D::Error::custom)
    }
}

/// [`exact_decimal`] for an `Option<Decimal>` field: `null` (or, with `#[serde(default)]`, no
/// field) is `None`. `#[serde(default, with = "mm_sdk_core::exact_decimal_option")]`.
pub mod exact_decimal_option {
    use super::*;

    /// Writes `Some` as [`exact_decimal`] does, `None` as `null`.
    pub fn serialize<S: Serializer>(
        value: &Option<Decimal>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        match value {
            Some(value) => serializer.collect_str(value),
            None => serializer.serialize_none(),
        }
    }

    /// Reads `null` as `None`, and a JSON string or number exactly.
    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<Decimal>, D::Error> {
        let Some(raw) = Option::<Box<RawValue>>::deserialize(deserializer)? else {
            return Ok(None);
        };
        parse(raw.get()).map(Some).map_err(D::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;
    use serde_json::json;

    use super::*;

    fn decimal(text: &str) -> Decimal {
        Decimal::from_str_exact(text).unwrap()
    }

    #[derive(Debug, Deserialize, Serialize)]
    struct Amounts {
        #[serde(with = "exact_decimal")]
        text: Decimal,
        #[serde(default, with = "exact_decimal_option")]
        maybe: Option<Decimal>,
        number: DecimalNumber,
        #[serde(default)]
        maybe_number: Option<DecimalNumber>,
    }

    const CASES: [(&str, &str); 10] = [
        ("\"0.1\"", "0.1"),
        ("0.1", "0.1"),
        ("\"0.100000\"", "0.100000"),
        ("0.100000", "0.100000"),
        ("50.0", "50.0"),
        // 18 significant digits, which an f64 cannot hold.
        ("1234567890.12345678", "1234567890.12345678"),
        ("\"1234567890.12345678\"", "1234567890.12345678"),
        // A large balance in minor units.
        ("11210000000", "11210000000"),
        ("\"99999999999999999999.99\"", "99999999999999999999.99"),
        ("-0.00000001", "-0.00000001"),
    ];

    #[test]
    fn strings_and_numbers_decode_exactly_into_every_kind_of_field() {
        for (json, expected) in CASES {
            let body = format!(
                r#"{{"text":{json},"maybe":{json},"number":{json},"maybe_number":{json}}}"#
            );
            let amounts: Amounts = serde_json::from_str(&body).unwrap();
            for (field, value) in [
                ("text", amounts.text),
                ("maybe", amounts.maybe.unwrap()),
                ("number", amounts.number.0),
                ("maybe_number", amounts.maybe_number.unwrap().0),
            ] {
                assert_eq!(value, decimal(expected), "{json} as {field}");
                assert_eq!(
                    value.to_string(),
                    expected,
                    "{json} as {field} keeps its scale"
                );
            }
        }
    }

    #[test]
    fn scientific_numbers_decode_exactly() {
        let amounts: Amounts =
            serde_json::from_str(r#"{"text":1.5e-7,"number":2E+3,"maybe":"1e2"}"#).unwrap();
        assert_eq!(amounts.text, decimal("0.00000015"));
        assert_eq!(amounts.number.0, decimal("2000"));
        assert_eq!(amounts.maybe, Some(decimal("100")));
    }

    #[test]
    fn absent_and_null_are_none() {
        let amounts: Amounts =
            serde_json::from_str(r#"{"text":"1","maybe":null,"number":2}"#).unwrap();
        assert_eq!((amounts.maybe, amounts.maybe_number), (None, None));
    }

    #[test]
    fn decimals_encode_as_upstream_expects() {
        let amount = decimal("1234567890.12345678");
        let amounts = Amounts {
            text: amount,
            maybe: None,
            number: DecimalNumber(amount),
            maybe_number: Some(DecimalNumber(decimal("0.10"))),
        };
        assert_eq!(
            serde_json::to_string(&amounts).unwrap(),
            r#"{"text":"1234567890.12345678","maybe":null,"number":1234567890.12345678,"maybe_number":0.10}"#
        );
        assert_eq!(
            serde_json::to_string(&decimal("-0.50")).unwrap(),
            "\"-0.50\""
        );
    }

    #[test]
    fn what_is_not_a_decimal_is_refused_naming_the_value() {
        for json in [
            "\"\"",
            "\"abc\"",
            "true",
            "null",
            "\"1e400\"",
            "1e400",
            "\"1\\u0030\"",
            "[1]",
        ] {
            let body = format!(r#"{{"text":{json},"number":1}}"#);
            let error = serde_json::from_str::<Amounts>(&body)
                .unwrap_err()
                .to_string();
            assert!(error.contains("decimal"), "{json}: {error}");
            let number = serde_json::from_str::<DecimalNumber>(json).unwrap_err();
            assert!(number.to_string().contains("decimal"), "{json}: {number}");
        }
    }

    #[test]
    fn a_decimal_in_buffered_content_is_an_error_not_a_rounded_value() {
        // Only ever decoded, to see it fail.
        #[allow(dead_code)]
        #[derive(Debug, Deserialize)]
        #[serde(untagged)]
        enum Either {
            Amount(DecimalNumber),
        }
        let error = serde_json::from_str::<Either>("1234567890.12345678").unwrap_err();
        assert!(error.to_string().contains("untagged"), "{error}");
        #[allow(dead_code)]
        #[derive(Debug, Deserialize)]
        struct Flat {
            #[serde(flatten)]
            amounts: Amounts,
        }
        let error = serde_json::from_str::<Flat>(r#"{"text":"1","number":2}"#).unwrap_err();
        assert!(error.to_string().contains("JSON text itself"), "{error}");
    }

    #[test]
    fn from_a_value_a_number_is_the_values_f64() {
        let value = json!({"text": "1234567890.12345678", "number": 0.25});
        let amounts: Amounts = serde_json::from_value(value).unwrap();
        assert_eq!(amounts.text, decimal("1234567890.12345678"));
        assert_eq!(amounts.number.0, decimal("0.25"));
    }
}
