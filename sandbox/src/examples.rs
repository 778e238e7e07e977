//! The documented example bodies (`openapi/examples/`), which give the sandbox's answers their
//! exact upstream shape.

use std::collections::HashMap;
use std::sync::LazyLock;

use serde_json::Value;

/// The examples the sandbox answers from, by name, as embedded in the binary.
const EMBEDDED: [(&str, &str); 10] = [
    (
        "client/login.response.json",
        include_str!("../../openapi/examples/client/login.response.json"),
    ),
    (
        "client/apply_api.response.json",
        include_str!("../../openapi/examples/client/apply_api.response.json"),
    ),
    (
        "client/open_symbol_base_info.response.json",
        include_str!("../../openapi/examples/client/open_symbol_base_info.response.json"),
    ),
    (
        "manager/customer_list.response.json",
        include_str!("../../openapi/examples/manager/customer_list.response.json"),
    ),
    (
        "manager/customer_info.response.json",
        include_str!("../../openapi/examples/manager/customer_info.response.json"),
    ),
    (
        "manager/get_balance.response.json",
        include_str!("../../openapi/examples/manager/get_balance.response.json"),
    ),
    (
        "manager/universal_dictionaries.response.json",
        include_str!("../../openapi/examples/manager/universal_dictionaries.response.json"),
    ),
    (
        "manager/company_currency.response.json",
        include_str!("../../openapi/examples/manager/company_currency.response.json"),
    ),
    (
        "manager/product_list.response.json",
        include_str!("../../openapi/examples/manager/product_list.response.json"),
    ),
    (
        "auth2/user_info.response.json",
        include_str!("../../openapi/examples/auth2/user_info.response.json"),
    ),
];

/// Each embedded example's `data`, parsed once.
static DATA: LazyLock<HashMap<&str, Value>> = LazyLock::new(|| {
    EMBEDDED
        .iter()
        .map(|(name, text)| {
            let mut envelope: Value = serde_json::from_str(text)
                .unwrap_or_else(|e| unreachable!("the embedded example `{name}` is JSON: {e}"));
            (*name, envelope["data"].take())
        })
        .collect()
});

/// The `data` of a documented example response, e.g. `client/login.response.json`.
pub(crate) fn data(name: &str) -> &'static Value {
    DATA.get(name)
        .unwrap_or_else(|| unreachable!("no embedded example `{name}`"))
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
    fn every_embedded_example_has_data() {
        for (name, _) in super::EMBEDDED {
            assert!(!super::data(name).is_null(), "{name}");
        }
    }
}
