//! The error-code spec, `openapi/codes/error-codes.yaml`: every code upstream documents, with
//! how it arrives, its category, whether it is transient and its meaning. It becomes the table
//! behind `mm_sdk_core::codes` (an `ErrorCode` constant per code, and the entries the runtime
//! looks codes up in) and the Markdown table of that module's docs.
//!
//! The spec lives outside `openapi/*.yaml` so that nothing takes it for an area's OpenAPI
//! spec.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use mm_sdk_facts::Category;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use serde::Deserialize;

use crate::generate::banner;
use crate::{Error, Problem};

/// The error-code spec, relative to the workspace root.
pub const ERROR_CODES_SPEC: &str = "openapi/codes/error-codes.yaml";

/// The generated table of `mm_sdk_core::codes`, relative to the workspace root.
pub(crate) const TABLE: &str = "core/src/codes/table.rs";

/// The Markdown table the module's docs include, relative to the workspace root.
pub(crate) const DOCS: &str = "core/src/codes/table.md";

/// Where a code may be documented (an entry's `api`), with the prefix of the constant of a
/// key that starts with a digit.
const APIS: [(&str, &str); 6] = [
    ("gateway", "GATEWAY"),
    ("client", "CLIENT"),
    ("manager", "MANAGER"),
    ("open-api", "OPEN_API"),
    ("auth2", "AUTH2"),
    ("market-data", "MARKET_DATA"),
];

/// One entry as the spec writes it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEntry {
    code: String,
    wire: Wire,
    api: String,
    category: String,
    retry: bool,
    meaning: String,
    // Provenance: kept in the spec, rendered nowhere.
    #[serde(default, rename = "source")]
    _source: Option<String>,
    #[serde(default, rename = "note")]
    _note: Option<String>,
}

/// How a code arrives in an envelope.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Wire {
    #[serde(default)]
    biz_code: Option<String>,
    code: String,
}

/// One checked entry.
#[derive(Debug)]
struct Entry {
    key: String,
    /// The name of its `ErrorCode` constant.
    constant: String,
    /// Empty when the code arrives without a `bizCode`.
    biz_code: String,
    code: String,
    category: Category,
    transient: bool,
    meaning: String,
}

/// The files made from the error-code spec of the workspace at `root`: the Rust table and the
/// Markdown table; none when the workspace has no such spec.
pub(crate) fn files(root: &Path) -> Result<Vec<(PathBuf, String)>, Error> {
    let path = root.join(ERROR_CODES_SPEC);
    let Some(text) = crate::spec::read_if_present(&path)? else {
        return Ok(Vec::new());
    };
    let entries = parse(&path, &text)?;
    Ok(vec![
        (PathBuf::from(TABLE), rust_table(&path, &entries)?),
        (PathBuf::from(DOCS), markdown_table(&entries)),
    ])
}

/// The entries of `text` (the contents of `path`), checked and sorted by key.
fn parse(path: &Path, text: &str) -> Result<Vec<Entry>, Error> {
    let raw: Vec<RawEntry> =
        serde_path_to_error::deserialize(serde_yaml_ng::Deserializer::from_str(text))
            .map_err(|e| crate::spec::syntax_error(path, e))?;
    let mut by_key: BTreeMap<String, Entry> = BTreeMap::new();
    let mut first_of_wire: BTreeMap<(String, String), String> = BTreeMap::new();
    let mut first_of_constant: BTreeMap<String, String> = BTreeMap::new();
    for (index, raw) in raw.into_iter().enumerate() {
        let invalid = |field: &str, what: String| Error::Invalid {
            path: path.to_owned(),
            pointer: format!("/{index}/{field}"),
            problem: Problem::ErrorCode {
                code: raw.code.clone(),
                what,
            },
        };
        let entry = check(&raw).map_err(|(field, what)| invalid(field, what))?;
        if by_key.contains_key(&entry.key) {
            return Err(invalid("code", "is listed twice".into()));
        }
        if let Some(first) = first_of_constant.insert(entry.constant.clone(), entry.key.clone()) {
            return Err(invalid(
                "code",
                format!("its constant `{}` is also `{first}`'s", entry.constant),
            ));
        }
        let wire = (entry.biz_code.clone(), entry.code.clone());
        if let Some(first) = first_of_wire.insert(wire, entry.key.clone()) {
            return Err(invalid(
                "wire",
                format!("`{first}` arrives the same way: each code needs a wire of its own"),
            ));
        }
        by_key.insert(entry.key.clone(), entry);
    }
    Ok(by_key.into_values().collect())
}

/// `raw` checked, or the field at fault and what is wrong with it.
fn check(raw: &RawEntry) -> Result<Entry, (&'static str, String)> {
    let key = raw.code.as_str();
    if key.is_empty() || !key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
        return Err((
            "code",
            "a key must be letters, digits and `_`, and not empty".into(),
        ));
    }
    let Some((_, prefix)) = APIS.iter().find(|(name, _)| *name == raw.api) else {
        let known: Vec<&str> = APIS.iter().map(|(name, _)| *name).collect();
        return Err((
            "api",
            format!("`{}` is not one of {}", raw.api, known.join(", ")),
        ));
    };
    let Some(category) = Category::from_name(&raw.category) else {
        let known: Vec<&str> = Category::ALL.iter().map(|c| c.as_str()).collect();
        return Err((
            "category",
            format!("`{}` is not one of {}", raw.category, known.join(", ")),
        ));
    };
    let meaning = raw.meaning.trim();
    if meaning.is_empty() || meaning.contains('\n') {
        return Err(("meaning", "must be one line of text, not empty".into()));
    }
    let biz_code = raw.wire.biz_code.clone().unwrap_or_default();
    let code = raw.wire.code.as_str();
    if raw.wire.biz_code.as_deref() == Some("") || code.is_empty() {
        return Err((
            "wire",
            "`biz_code` (when given) and `code` must not be empty".into(),
        ));
    }
    // The key is the module then the code; a family may stand for a longer module than the
    // one sent (`CFDWBW` for `CFD`), and a few codes come whole whatever the module.
    let concatenated = format!("{biz_code}{code}") == key;
    let family = key.starts_with(biz_code.as_str()) && key.ends_with(code);
    if !(concatenated || family || key == code) {
        return Err((
            "wire",
            format!("bizCode `{biz_code}` and code `{code}` do not make the key `{key}`"),
        ));
    }
    let constant = if key.starts_with(|c: char| c.is_ascii_digit()) {
        format!("{prefix}_{key}")
    } else {
        key.to_owned()
    };
    Ok(Entry {
        key: key.to_owned(),
        constant,
        biz_code,
        code: code.to_owned(),
        category,
        transient: raw.retry,
        meaning: meaning.to_owned(),
    })
}

/// `core/src/codes/table.rs`: a constant per code and the entries, sorted by key.
fn rust_table(path: &Path, entries: &[Entry]) -> Result<String, Error> {
    let constants = entries.iter().map(|entry| {
        let Entry { key, .. } = entry;
        let name = format_ident!("{}", entry.constant);
        let doc = format!(" `{key}` ({}): {}", wire_and_kind(entry), entry.meaning);
        quote! {
            #[doc = #doc]
            pub const #name: ErrorCode = ErrorCode::documented(#key);
        }
    });
    let rows = entries.iter().map(|entry| {
        let Entry {
            key,
            biz_code,
            code,
            transient,
            meaning,
            ..
        } = entry;
        let category = format_ident!("{}", format!("{:?}", entry.category));
        quote! {
            Entry {
                key: #key,
                biz_code: #biz_code,
                code: #code,
                category: Category::#category,
                transient: #transient,
                meaning: #meaning,
            },
        }
    });
    let count = proc_macro2::Literal::usize_unsuffixed(entries.len());
    let tokens: TokenStream = quote! {
        use super::{Category, Entry, ErrorCode};

        impl ErrorCode {
            #(#constants)*
        }

        /// Every documented code, sorted by key.
        pub(super) static ENTRIES: [Entry; #count] = [#(#rows)*];
    };
    let file: syn::File = syn::parse2(tokens).map_err(|e| Error::Generate {
        path: path.to_owned(),
        message: format!("the table of error codes is not valid Rust: {e}"),
    })?;
    Ok(format!(
        "{}\n{}",
        banner(source(), "//"),
        prettyplease::unparse(&file)
    ))
}

/// `core/src/codes/table.md`: one row per code, linked to its constant.
fn markdown_table(entries: &[Entry]) -> String {
    let mut table = format!(
        "<!-- @generated by `cargo xtask codegen` from openapi/{}; do not edit. -->\n\n\
         | code | arrives as | category | transient | meaning |\n\
         |---|---|---|---|---|\n",
        source()
    );
    for entry in entries {
        let wire = if entry.biz_code.is_empty() {
            format!("`{}`", entry.code)
        } else {
            format!("`{}` + `{}`", entry.biz_code, entry.code)
        };
        let _ = writeln!(
            table,
            "| [`{}`](ErrorCode::{}) | {wire} | {} | {} | {} |",
            entry.key,
            entry.constant,
            entry.category,
            if entry.transient { "yes" } else { "no" },
            markdown_text(&entry.meaning),
        );
    }
    table
}

/// The spec's path under `openapi/`, as the banners name it.
fn source() -> &'static str {
    ERROR_CODES_SPEC
        .strip_prefix("openapi/")
        .unwrap_or(ERROR_CODES_SPEC)
}

/// How an entry arrives and what kind it is, for its constant's docs.
fn wire_and_kind(entry: &Entry) -> String {
    let wire = if entry.biz_code.is_empty() {
        format!("code `{}`", entry.code)
    } else {
        format!("bizCode `{}` + code `{}`", entry.biz_code, entry.code)
    };
    let transient = if entry.transient { ", transient" } else { "" };
    format!("arrives as {wire}; {}{transient}", entry.category)
}

/// `text` as literal text in a Markdown table cell: nothing in it is markup.
pub(crate) fn markdown_text(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(
            c,
            '\\' | '|' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '&'
        ) {
            escaped.push('\\');
        }
        escaped.push(c);
    }
    escaped
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(yaml: &str) -> Result<Vec<Entry>, String> {
        parse(Path::new("codes.yaml"), yaml).map_err(|e| e.to_string())
    }

    const G005: &str = r#"
- code: "GGATEWAY_CODE_005"
  wire: {biz_code: "G", code: "GATEWAY_CODE_005"}
  api: gateway
  category: authentication
  retry: false
  meaning: "The session has lapsed."
"#;

    #[test]
    fn entries_are_sorted_by_key_and_keys_with_a_digit_first_are_named_by_their_api() {
        let yaml = format!(
            "{G005}{}",
            r#"
- code: "00012005"
  wire: {code: "00012005"}
  api: open-api
  category: rate-limit
  retry: true
  meaning: "Too many calls with one key."
  source: "a page"
- code: "CFDWBWE000029"
  wire: {biz_code: "CFD", code: "E000029"}
  api: open-api
  category: trading
  retry: false
  meaning: "An order was refused."
  note: "sent with the shorter module"
"#
        );
        let entries = parsed(&yaml).unwrap();
        let keys: Vec<(&str, &str, &str, &str)> = entries
            .iter()
            .map(|e| {
                (
                    e.key.as_str(),
                    e.constant.as_str(),
                    e.biz_code.as_str(),
                    e.code.as_str(),
                )
            })
            .collect();
        assert_eq!(
            keys,
            [
                ("00012005", "OPEN_API_00012005", "", "00012005"),
                ("CFDWBWE000029", "CFDWBWE000029", "CFD", "E000029"),
                (
                    "GGATEWAY_CODE_005",
                    "GGATEWAY_CODE_005",
                    "G",
                    "GATEWAY_CODE_005"
                ),
            ]
        );
        assert_eq!(entries[0].category, Category::RateLimit);
        assert!(entries[0].transient && !entries[2].transient);

        let table = rust_table(Path::new("codes.yaml"), &entries).unwrap();
        assert!(table.starts_with(
            "// @generated by `cargo xtask codegen` from openapi/codes/error-codes.yaml.\n"
        ));
        assert!(
            table.contains(
                "pub const OPEN_API_00012005: ErrorCode = ErrorCode::documented(\"00012005\");"
            ),
            "{table}"
        );
        assert!(table.contains("category: Category::RateLimit"), "{table}");
        assert!(
            table.contains("pub(super) static ENTRIES: [Entry; 3] = ["),
            "{table}"
        );

        let docs = markdown_table(&entries);
        assert!(
            docs.contains(
                "| [`00012005`](ErrorCode::OPEN_API_00012005) | `00012005` | rate-limit | yes | \
                 Too many calls with one key. |\n"
            ),
            "{docs}"
        );
        assert!(
            docs.contains("| [`CFDWBWE000029`](ErrorCode::CFDWBWE000029) | `CFD` + `E000029` |"),
            "{docs}"
        );
    }

    #[test]
    fn a_bad_entry_is_refused_naming_it_and_where_it_is() {
        let cases = [
            (
                format!("{G005}{G005}"),
                "at /1/code: error code `GGATEWAY_CODE_005`: is listed twice",
            ),
            (
                G005.replace("authentication", "login"),
                "at /0/category: error code `GGATEWAY_CODE_005`: `login` is not one of \
                 authentication, validation",
            ),
            (
                G005.replace("The session has lapsed.", " "),
                "at /0/meaning: error code `GGATEWAY_CODE_005`: must be one line of text, not empty",
            ),
            (
                G005.replace("gateway\n", "gate\n"),
                "at /0/api: error code `GGATEWAY_CODE_005`: `gate` is not one of gateway",
            ),
            (
                G005.replace("code: \"GATEWAY_CODE_005\"", "code: \"GATEWAY_CODE_006\""),
                "at /0/wire: error code `GGATEWAY_CODE_005`: bizCode `G` and code \
                 `GATEWAY_CODE_006` do not make the key",
            ),
            (
                format!(
                    "{G005}{}",
                    G005.replace(
                        "- code: \"GGATEWAY_CODE_005\"",
                        "- code: \"GATEWAY_CODE_005\""
                    )
                ),
                "at /1/wire: error code `GATEWAY_CODE_005`: `GGATEWAY_CODE_005` arrives the same \
                 way",
            ),
            (
                G005.replace("GGATEWAY_CODE_005\"\n", "G GATEWAY\"\n"),
                "at /0/code: error code `G GATEWAY`: a key must be letters, digits and `_`",
            ),
        ];
        for (yaml, expected) in cases {
            let error = parsed(&yaml).unwrap_err();
            assert!(
                error.starts_with("codes.yaml: ") && error.contains(expected),
                "{error}\nexpected: {expected}"
            );
        }
    }

    #[test]
    fn a_malformed_entry_is_refused_with_its_place() {
        let error = parsed(&G005.replace("  retry: false\n", "")).unwrap_err();
        assert!(error.contains("codes.yaml:2:3"), "{error}");
        assert!(error.contains("missing field `retry`"), "{error}");
        let error = parsed(&format!("{G005}  spelling: \"x\"\n")).unwrap_err();
        assert!(error.contains("unknown field `spelling`"), "{error}");
        assert!(error.contains("(at /0/spelling)"), "{error}");
    }

    #[test]
    fn meanings_are_plain_text_in_the_docs() {
        assert_eq!(
            markdown_text("a | b [c] <d> `e` *f* g_h"),
            r"a \| b \[c\] \<d\> \`e\` \*f\* g\_h"
        );
    }
}
