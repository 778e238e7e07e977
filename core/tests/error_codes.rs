//! Every code of `openapi/codes/error-codes.yaml`, read here with a YAML parser of its own,
//! is an `ErrorCode` with the spec's category, retry and meaning, and is found from the
//! `bizCode` and `code` it arrives with.

use mm_sdk_core::codes::{Category, ErrorCode};
use mm_sdk_core::{ApiError, Error, ErrorKind};
use serde_yaml_ng::Value;

fn spec() -> Vec<Value> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../openapi/codes/error-codes.yaml"
    );
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_yaml_ng::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn text<'a>(entry: &'a Value, field: &str) -> &'a str {
    entry[field]
        .as_str()
        .unwrap_or_else(|| panic!("`{field}` of {entry:?}"))
}

#[test]
fn every_code_of_the_spec_is_an_error_code_with_its_category() {
    let entries = spec();
    assert_eq!(ErrorCode::documented_codes().len(), entries.len());
    for entry in &entries {
        let key = text(entry, "code");
        let code = ErrorCode::from_key(key.to_owned());
        assert!(code.is_documented(), "{key}");
        assert_eq!(code.as_str(), key);
        assert_eq!(
            code.category().map(Category::as_str),
            Some(text(entry, "category")),
            "{key}"
        );
        assert_eq!(
            code.is_transient(),
            entry["retry"].as_bool().unwrap(),
            "{key}"
        );
        assert_eq!(code.meaning(), Some(text(entry, "meaning")), "{key}");

        // As a failure envelope carries it.
        let wire = &entry["wire"];
        let biz_code = wire["biz_code"].as_str().unwrap_or_default();
        let error = Error::new(ErrorKind::Api(
            ApiError::new(text(wire, "code"), "refused").biz_code(biz_code),
        ));
        assert_eq!(error.code().as_ref(), Some(&code), "{key}");
        assert_eq!(error.is_retryable(), code.is_transient(), "{key}");
        assert_eq!(
            error.is_auth(),
            code.category() == Some(Category::Authentication),
            "{key}"
        );
    }
}

#[test]
fn every_documented_code_is_in_the_spec() {
    let keys: Vec<String> = spec().iter().map(|e| text(e, "code").to_owned()).collect();
    for code in ErrorCode::documented_codes() {
        assert!(keys.iter().any(|k| k == code.as_str()), "{code}");
    }
}
