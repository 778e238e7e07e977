//! The documented example bodies (`openapi/examples/`), embedded by the build script: they
//! give the sandbox's answers their exact upstream shape.

use std::collections::HashMap;
use std::sync::LazyLock;

use serde_json::Value;

use crate::embedded::EXAMPLES;

/// Each example envelope's `data`, and whether it is a success, parsed on first use.
static DATA: LazyLock<HashMap<&str, (bool, Value)>> = LazyLock::new(|| {
    EXAMPLES
        .iter()
        .filter_map(|(name, text)| {
            let mut envelope: Value = serde_json::from_str(text).ok()?;
            // The platform's envelope says `ok: true`; the quote service's, `ret: 200`.
            let ok = envelope.get("ok") == Some(&Value::Bool(true))
                || envelope.get("ret") == Some(&Value::from(200));
            Some((*name, (ok, envelope.get_mut("data")?.take())))
        })
        .collect()
});

/// The `data` of a documented example response, e.g. `client/login.response.json`; `None`
/// if there is no such example or it is not an envelope.
pub(crate) fn find(name: &str) -> Option<&'static Value> {
    DATA.get(name).map(|(_, data)| data)
}

/// The `data` of the first of `names` that is a successful answer.
pub(crate) fn first_success<'a>(
    names: impl IntoIterator<Item = &'a str>,
) -> Option<&'static Value> {
    names
        .into_iter()
        .find_map(|name| DATA.get(name).filter(|(ok, _)| *ok).map(|(_, data)| data))
}

/// The `data` of a documented example response the sandbox relies on.
pub(crate) fn data(name: &str) -> &'static Value {
    find(name).unwrap_or_else(|| unreachable!("no embedded example `{name}`"))
}

/// Sets each field of `fields` (an object) in `target` (an object).
pub(crate) fn overwrite(target: &mut Value, fields: Value) {
    if let (Value::Object(target), Value::Object(fields)) = (target, fields) {
        target.extend(fields);
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_examples_the_sandbox_relies_on_have_data() {
        for name in [
            "client/login.response.json",
            "client/apply_api.response.json",
            "client/open_symbol_base_info.response.json",
            "manager/customer_list.response.json",
            "manager/customer_info.response.json",
            "manager/get_balance.response.json",
            "auth2/user_info.response.json",
        ] {
            assert!(!super::data(name).is_null(), "{name}");
        }
    }
}
