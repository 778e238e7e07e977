//! Money and quantities are decimals in every spec: each field named like one
//! (`mm_sdk_importer::money::is_money_name`) is `format: decimal`, or says in `x-mm-not-money`
//! what it holds instead; and a decimal reads the same, exactly, whether upstream sends it as a
//! JSON string or as a JSON number.

use std::collections::BTreeSet;

use axum::http::header::CONTENT_TYPE;
use mm_sdk::client::trade::{PositionQueryPositionDetailData, PositionQueryPositionDetailRequest};
use mm_sdk::streams::types::DataPush;
use mm_sdk::{Decimal, Endpoints, Environment, ErrorKind, LoginToken, MultiMarkets, RetryPolicy};
use mm_sdk_importer::money::is_money_name;
use mm_sdk_importer::not_money::NOT_MONEY;
use mm_sdk_test_support::server::Served;
use mm_sdk_tests::{bounded, workspace_root};
use serde_yaml_ng::Value;
use url::Url;

/// Every spec under `openapi/`: the APIs', the streams' and the callbacks'.
fn specs() -> Vec<(String, Value)> {
    let root = workspace_root().join("openapi");
    let mut files: Vec<String> = std::fs::read_dir(&root)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".yaml"))
        .collect();
    files.sort();
    files.extend([
        "streams/asyncapi.yaml".into(),
        "callbacks/callbacks.yaml".into(),
    ]);
    files
        .into_iter()
        .map(|file| {
            let text = std::fs::read_to_string(root.join(&file))
                .unwrap_or_else(|e| panic!("openapi/{file}: {e}"));
            let value =
                serde_yaml_ng::from_str(&text).unwrap_or_else(|e| panic!("openapi/{file}: {e}"));
            (file, value)
        })
        .collect()
}

/// A field named like money, where it is.
#[derive(Debug)]
struct Field {
    /// The spec, under `openapi/`.
    file: String,
    /// The component it is in (`components.schemas`), if it is in one.
    component: Option<String>,
    /// Its path in the component (`list[].price`), or in the document.
    path: String,
    /// What the spec makes of it.
    verdict: Verdict,
}

#[derive(Debug, PartialEq, Eq)]
enum Verdict {
    /// `format: decimal`.
    Decimal,
    /// `x-mm-not-money`, with its reason.
    NotMoney(String),
    /// Neither: a string or a number the SDK would read as text or through a float.
    Unmarked(String),
}

/// The verdict on `property`, named like money; `None` where it holds no text or number (an
/// integer, a coded value, a secret, an object).
fn verdict(property: &Value) -> Option<Verdict> {
    if let Some(reason) = property.get("x-mm-not-money") {
        return Some(Verdict::NotMoney(
            reason.as_str().unwrap_or_default().to_owned(),
        ));
    }
    let value = if property["type"] == "array" {
        &property["items"]
    } else {
        property
    };
    let ty = value["type"].as_str()?;
    let format = value["format"].as_str();
    let candidate = matches!(ty, "string" | "number")
        && value.get("enum").is_none()
        && !matches!(format, Some("password" | "binary"));
    if !candidate {
        return None;
    }
    Some(if format == Some("decimal") {
        Verdict::Decimal
    } else {
        Verdict::Unmarked(format!("type: {ty}, format: {}", format.unwrap_or("none")))
    })
}

/// Every field named like money in `schema`, found at `path` (of component `component`).
fn collect(file: &str, component: Option<&str>, schema: &Value, path: &str, out: &mut Vec<Field>) {
    let Some(map) = schema.as_mapping() else {
        if let Some(items) = schema.as_sequence() {
            for item in items {
                collect(file, component, item, path, out);
            }
        }
        return;
    };
    for (key, child) in map {
        let key = key.as_str().unwrap_or_default();
        match key {
            "properties" => {
                for (name, property) in child.as_mapping().into_iter().flatten() {
                    let name = name.as_str().unwrap_or_default();
                    let field = if path.is_empty() {
                        name.to_owned()
                    } else {
                        format!("{path}.{name}")
                    };
                    if is_money_name(name)
                        && let Some(verdict) = verdict(property)
                    {
                        out.push(Field {
                            file: file.to_owned(),
                            component: component.map(str::to_owned),
                            path: field.clone(),
                            verdict,
                        });
                    }
                    collect(file, component, property, &field, out);
                }
            }
            "items" => collect(file, component, child, &format!("{path}[]"), out),
            "additionalProperties" => collect(file, component, child, &format!("{path}{{}}"), out),
            "allOf" | "anyOf" | "oneOf" => collect(file, component, child, path, out),
            "schemas" if path == "components" => {
                for (name, schema) in child.as_mapping().into_iter().flatten() {
                    collect(file, name.as_str(), schema, "", out);
                }
            }
            // Elsewhere in a document (paths, messages, responses), the path says where.
            _ if component.is_none() => {
                let at = if path.is_empty() {
                    key.to_owned()
                } else {
                    format!("{path}/{key}")
                };
                collect(file, None, child, &at, out);
            }
            _ => {}
        }
    }
}

fn money_fields() -> Vec<Field> {
    let mut fields = Vec::new();
    for (file, spec) in specs() {
        collect(&file, None, &spec, "", &mut fields);
    }
    fields
}

#[test]
fn every_field_named_like_money_is_a_decimal_or_says_why_not() {
    let fields = money_fields();
    let unmarked: Vec<String> = fields
        .iter()
        .filter_map(|f| match &f.verdict {
            Verdict::Unmarked(what) => Some(format!(
                "openapi/{} {} {}: {what}",
                f.file,
                f.component.as_deref().unwrap_or("-"),
                f.path
            )),
            _ => None,
        })
        .collect();
    assert!(
        unmarked.is_empty(),
        "fields named like money that are neither `format: decimal` nor `x-mm-not-money` \
         (mark them, or add an exception to importer/src/not_money.rs for an imported spec):\n{}",
        unmarked.join("\n")
    );
    let mut files: Vec<&str> = fields.iter().map(|f| f.file.as_str()).collect();
    files.dedup();
    println!("{:<32} {:>8} {:>10}", "spec", "decimals", "exceptions");
    for file in &files {
        let count = |decimal: bool| {
            fields
                .iter()
                .filter(|f| f.file == *file && (f.verdict == Verdict::Decimal) == decimal)
                .count()
        };
        println!("{file:<32} {:>8} {:>10}", count(true), count(false));
    }
    let decimals = fields
        .iter()
        .filter(|f| f.verdict == Verdict::Decimal)
        .count();
    let exceptions = fields.len() - decimals;
    println!("{:<32} {decimals:>8} {exceptions:>10}", "all");
    // Money is found in the APIs, the streams and the callbacks alike.
    for spec in [
        "client.yaml",
        "manager.yaml",
        "client-trade-contract.yaml",
        "manager-contract.yaml",
        "streams/asyncapi.yaml",
        "callbacks/callbacks.yaml",
    ] {
        assert!(
            fields
                .iter()
                .any(|f| f.file == spec && f.verdict == Verdict::Decimal),
            "no decimal found in openapi/{spec}"
        );
    }
}

#[test]
fn each_exception_says_why_and_the_imported_ones_are_the_importers() {
    let fields = money_fields();
    let mut imported = BTreeSet::new();
    for field in &fields {
        let Verdict::NotMoney(reason) = &field.verdict else {
            continue;
        };
        assert!(
            !reason.trim().is_empty(),
            "openapi/{} {}: `x-mm-not-money` without a reason",
            field.file,
            field.path
        );
        imported.insert((
            field.file.trim_end_matches(".yaml").to_owned(),
            field.component.clone().unwrap_or_default(),
            field.path.clone(),
            reason.clone(),
        ));
    }
    // The hand-kept specs have none today: each exception is the importer's, and each of the
    // importer's is in the spec it names, with its reason.
    let listed: BTreeSet<_> = NOT_MONEY
        .iter()
        .map(|e| {
            (
                e.area.to_owned(),
                e.schema.to_owned(),
                e.field.to_owned(),
                e.reason.to_owned(),
            )
        })
        .collect();
    assert_eq!(imported, listed);
    println!("{} fields named like money are not money:", listed.len());
    for (area, schema, field, reason) in &listed {
        println!("  {area} {schema} {field}: {reason}");
    }
}

/// Where the exceptions point is where the import wrote them: `x-mm-not-money` only on a field
/// the rule finds, never on one it would leave alone.
#[test]
fn no_exception_is_on_a_field_the_rule_leaves_alone() {
    fn walk(file: &str, value: &Value, found: &mut Vec<String>) {
        match value {
            Value::Mapping(map) => {
                if let Some(Value::Mapping(properties)) = map.get("properties") {
                    for (name, property) in properties {
                        let name = name.as_str().unwrap_or_default();
                        if property.get("x-mm-not-money").is_some() && !is_money_name(name) {
                            found.push(format!("openapi/{file}: {name}"));
                        }
                    }
                }
                map.values().for_each(|v| walk(file, v, found));
            }
            Value::Sequence(items) => items.iter().for_each(|v| walk(file, v, found)),
            _ => {}
        }
    }
    let mut found = Vec::new();
    for (file, spec) in specs() {
        walk(&file, &spec, &mut found);
    }
    assert!(found.is_empty(), "{found:#?}");
}

/// The position detail the Client API answers with `data`, from a server that sends exactly
/// that text.
async fn position(data: &str) -> Result<PositionQueryPositionDetailData, mm_sdk::Error> {
    let body = format!(
        r#"{{"msg":"Success","fail":false,"trace":"t","code":"0","data":{data},"ok":true}}"#
    );
    let app = axum::Router::new().fallback(move || {
        let body = body.clone();
        async move { ([(CONTENT_TYPE, "application/json")], body) }
    });
    let served = Served::start(app).await;
    let base = Url::parse(&served.base_url()).unwrap();
    let mm = MultiMarkets::builder(Environment::custom(Endpoints::same_host(base)))
        .company_id("421")
        .retry(RetryPolicy::NEVER)
        .build()
        .unwrap();
    let request = PositionQueryPositionDetailRequest::new(2023022819827_i64, 2_i64);
    mm.client()
        .trade()
        .position_query_position_detail(&LoginToken::new("token"), &request)
        .await
}

#[tokio::test]
async fn a_quantity_reads_the_same_exact_decimal_from_a_string_or_a_number() {
    bounded(async {
        // Upstream sends position quantities as numbers (`"openNum": 0.1`) though the schema
        // says strings; prices as strings.
        for (string, number, exact) in [
            ("\"0.1\"", "0.1", "0.1"),
            (
                "\"123456789.123456789\"",
                "123456789.123456789",
                "123456789.123456789",
            ),
            ("\"0.100000\"", "0.100000", "0.100000"),
            ("\"-16.8\"", "-16.8", "-16.8"),
            ("\"11210000000\"", "11210000000", "11210000000"),
            ("\"0.00000015\"", "1.5e-7", "0.00000015"),
        ] {
            let expected = Decimal::from_str_exact(exact).unwrap();
            for json in [string, number] {
                let data = format!(r#"{{"openNum":{json},"openVolume":{json},"profit":{json}}}"#);
                let read = position(&data)
                    .await
                    .unwrap_or_else(|e| panic!("{data}: {e}"));
                for (field, value) in [
                    ("openNum", read.open_num),
                    ("openVolume", read.open_volume),
                    ("profit", read.profit),
                ] {
                    assert_eq!(value, Some(expected), "{field} from {json}");
                    // Digit for digit: the scale is kept too.
                    assert_eq!(
                        value.map(|v| v.to_string()).as_deref(),
                        Some(exact),
                        "{field} from {json}"
                    );
                }
            }
        }
    })
    .await;
}

#[tokio::test]
async fn a_money_field_that_holds_no_decimal_is_an_error_naming_it() {
    bounded(async {
        for json in ["\"-\"", "\"26.61%\"", "true", "\"\""] {
            let data = format!(r#"{{"openPrice":"22.18","openNum":{json}}}"#);
            let error = position(&data).await.unwrap_err();
            match error.kind() {
                ErrorKind::Decode { path, message } => {
                    assert_eq!(path, "data.openNum", "{json}");
                    assert!(message.contains("decimal"), "{json}: {message}");
                }
                other => panic!("{json}: expected a decode error, got {other}"),
            }
        }
    })
    .await;
}

#[test]
fn a_data_push_reads_its_numbers_digit_for_digit() {
    // 18 significant digits: more than an `f64` holds.
    let frame =
        r#"{"eventType":"account_adjust","data":{"id":"212","amount":1234567890.12345678}}"#;
    let DataPush::AccountAdjust(adjust) = DataPush::decode(frame).unwrap() else {
        panic!("an account adjustment");
    };
    let amount = adjust.amount.map(|a| a.get().to_string());
    assert_eq!(amount.as_deref(), Some("1234567890.12345678"));
}
