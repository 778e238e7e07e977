//! Upstream's validation rules on a request (its spec's `minimum`, `maxLength`, `minItems`...),
//! checked before a call is sent: a request the platform would refuse fails at once, naming the
//! field and the rule, instead of after a round trip with a code to look up.
//!
//! The codegen writes an operation's rules as data ([`Operation::rules`](crate::Operation)),
//! and they are checked on the JSON the call would send, so a rule holds whatever type a field
//! has in Rust (an enum's code, a decimal sent as text).

use std::fmt;

use serde_json::Value;

pub use mm_sdk_facts::Check;
use mm_sdk_facts::counted;

/// One of upstream's rules on one place of a request body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rule {
    /// Where: the field names from the body's top; `[]` stands for every item of a list.
    pub at: &'static [&'static str],
    /// What must hold there.
    pub check: Check,
}

impl Rule {
    /// A rule: what the generated code writes.
    pub const fn new(at: &'static [&'static str], check: Check) -> Self {
        Self { at, check }
    }
}

/// A request that breaks one of upstream's rules: the field (as a path like
/// `orders[2].quantity`), the rule, and what was found. What was found is a number, a length
/// or a count, never the text itself, which may be a secret.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct BrokenRule {
    /// The field, from the body's top: `pageSize`, `orders[2].quantity`.
    pub field: String,
    /// The rule it breaks.
    pub check: Check,
    /// What the request has there: `0`, `3 characters long`, `a list of 0 items`.
    pub found: String,
}

impl fmt::Display for BrokenRule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "`{}` must be {} (upstream's rule), and is {}",
            self.field, self.check, self.found
        )
    }
}

/// The first rule of `rules` that `body` breaks, in the rules' order, then the body's.
pub(crate) fn first_broken(rules: &[Rule], body: &Value) -> Option<BrokenRule> {
    rules.iter().find_map(|rule| {
        let mut field = String::new();
        broken(rule.check, rule.at, body, &mut field)
    })
}

fn broken(check: Check, at: &[&str], value: &Value, field: &mut String) -> Option<BrokenRule> {
    match at.split_first() {
        None => {
            let found = violation(check, value)?;
            Some(BrokenRule {
                field: field.clone(),
                check,
                found,
            })
        }
        Some((&"[]", rest)) => {
            let items = value.as_array()?;
            let len = field.len();
            items.iter().enumerate().find_map(|(index, item)| {
                field.truncate(len);
                field.push_str(&format!("[{index}]"));
                broken(check, rest, item, field)
            })
        }
        Some((name, rest)) => {
            let inner = value.as_object()?.get(*name)?;
            if !field.is_empty() {
                field.push('.');
            }
            field.push_str(name);
            broken(check, rest, inner, field)
        }
    }
}

/// What `value` has that breaks `check`, or `None` where it holds (or does not apply).
fn violation(check: Check, value: &Value) -> Option<String> {
    match check {
        Check::Minimum(bound) => {
            let number = number(value)?;
            (number < rust_decimal::Decimal::from(bound)).then(|| number.to_string())
        }
        Check::Maximum(bound) => {
            let number = number(value)?;
            (number > rust_decimal::Decimal::from(bound)).then(|| number.to_string())
        }
        Check::MinLength(bound) => {
            let length = characters(value)?;
            (length < bound).then(|| format!("{} long", counted(length, "character")))
        }
        Check::MaxLength(bound) => {
            let length = characters(value)?;
            (length > bound).then(|| format!("{} long", counted(length, "character")))
        }
        Check::MinItems(bound) => {
            let count = items(value)?;
            (count < bound).then(|| format!("a list of {}", counted(count, "item")))
        }
        Check::MaxItems(bound) => {
            let count = items(value)?;
            (count > bound).then(|| format!("a list of {}", counted(count, "item")))
        }
        Check::UniqueItems => {
            let list = value.as_array()?;
            let repeated = list
                .iter()
                .enumerate()
                .find(|(index, item)| list[..*index].contains(item))?;
            Some(format!(
                "a list whose item {} repeats an earlier one",
                repeated.0
            ))
        }
        // The facts crate is released with this one: a check it adds is handled here too.
        _ => None,
    }
}

/// A JSON number, or text holding one (a decimal sent as a string), exactly.
fn number(value: &Value) -> Option<rust_decimal::Decimal> {
    match value {
        Value::Number(number) => {
            if let Some(integer) = number.as_i64() {
                Some(integer.into())
            } else if let Some(integer) = number.as_u64() {
                Some(integer.into())
            } else {
                rust_decimal::Decimal::from_f64_retain(number.as_f64()?)
            }
        }
        Value::String(text) => text.trim().parse().ok(),
        _ => None,
    }
}

/// The length of text in characters, as upstream counts a string's length.
fn characters(value: &Value) -> Option<u64> {
    value.as_str().map(|text| text.chars().count() as u64)
}

fn items(value: &Value) -> Option<u64> {
    value.as_array().map(|list| list.len() as u64)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn first(rules: &[Rule], body: Value) -> Option<String> {
        first_broken(rules, &body).map(|broken| broken.to_string())
    }

    #[test]
    fn a_number_below_its_minimum_is_named_with_the_rule() {
        let rules = [Rule::new(&["pageSize"], Check::Minimum(1))];
        assert_eq!(
            first(&rules, json!({"pageSize": 0})).as_deref(),
            Some("`pageSize` must be at least 1 (upstream's rule), and is 0")
        );
        assert_eq!(first(&rules, json!({"pageSize": 1})), None);
        // Absent, or of another type: the types' concern, not the rule's.
        assert_eq!(first(&rules, json!({})), None);
        assert_eq!(first(&rules, json!({"pageSize": null})), None);
    }

    #[test]
    fn numbers_sent_as_text_are_compared_exactly() {
        let rules = [Rule::new(&["amount"], Check::Maximum(3))];
        assert_eq!(first(&rules, json!({"amount": "3.00"})), None);
        assert_eq!(
            first(&rules, json!({"amount": "3.0000000000000000001"})).as_deref(),
            Some("`amount` must be at most 3 (upstream's rule), and is 3.0000000000000000001")
        );
        assert_eq!(first(&rules, json!({"amount": 2.5})), None);
        assert!(first(&rules, json!({"amount": 3.5})).is_some());
        assert!(first(&rules, json!({"amount": u64::MAX})).is_some());
    }

    #[test]
    fn text_is_measured_in_characters_and_never_shown() {
        let rules = [
            Rule::new(&["nickname"], Check::MinLength(2)),
            Rule::new(&["nickname"], Check::MaxLength(4)),
        ];
        assert_eq!(first(&rules, json!({"nickname": "éèêë"})), None);
        let long = first(&rules, json!({"nickname": "hunter2"})).unwrap();
        assert_eq!(
            long,
            "`nickname` must be at most 4 characters long (upstream's rule), and is 7 \
             characters long"
        );
        assert!(!long.contains("hunter2"));
        assert!(first(&rules, json!({"nickname": "x"})).is_some());
    }

    #[test]
    fn rules_inside_lists_name_the_item() {
        let rules = [
            Rule::new(&["orders"], Check::MinItems(1)),
            Rule::new(&["orders", "[]", "legs", "[]", "volume"], Check::Minimum(1)),
            Rule::new(&["ids"], Check::UniqueItems),
        ];
        assert_eq!(
            first(&rules, json!({"orders": []})).as_deref(),
            Some(
                "`orders` must be a list of at least 1 item (upstream's rule), and is a list of 0 items"
            )
        );
        let body = json!({"orders": [
            {"legs": [{"volume": 2}]},
            {"legs": [{"volume": 1}, {"volume": 0}]},
        ]});
        let broken = first_broken(&rules, &body).unwrap();
        assert_eq!(broken.field, "orders[1].legs[1].volume");
        assert_eq!(broken.found, "0");
        assert_eq!(
            first(&rules, json!({"orders": [{}], "ids": [1, 2, 1]})).as_deref(),
            Some(
                "`ids` must be a list of distinct items (upstream's rule), and is a list whose \
                 item 2 repeats an earlier one"
            )
        );
    }
}
