//! Shorthands for writing YAML values in the order they are to be written.

use serde_yaml_ng::{Mapping, Value};

/// A mapping of `entries`, in their order.
pub(crate) fn map(entries: Vec<(&str, Value)>) -> Value {
    let mut m = Mapping::new();
    for (k, v) in entries {
        m.insert(Value::from(k), v);
    }
    Value::Mapping(m)
}

/// A string.
pub(crate) fn s(text: impl Into<String>) -> Value {
    Value::String(text.into())
}

/// The names an object schema lists as `required` (none where it lists none).
pub(crate) fn required_names(schema: &Value) -> impl Iterator<Item = &str> {
    schema["required"]
        .as_sequence()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
}
