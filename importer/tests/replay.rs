//! The replay's report, as a golden test: the fixture Client export, then a later version of
//! it written here (`fixtures/replay/`) with one change of each kind the report sorts.

mod common;

use common::{CLIENT, callbacks, document, exports, fixtures, hand_kept, read};
use mm_sdk_importer::Input;
use mm_sdk_importer::diff::Change;
use mm_sdk_importer::export::{self, Document};
use mm_sdk_importer::replay;

fn newer() -> Document {
    let export = export::find(CLIENT).expect("an export");
    Document::new(
        export,
        read(&fixtures().join("replay/client-export.newer.yaml")),
    )
}

#[test]
fn golden_step_report() {
    let hand_kept = hand_kept();
    let callbacks = callbacks();
    let older = exports();
    let input = Input {
        exports: &older,
        hand_kept: &hand_kept,
        specs: &hand_kept,
        callbacks: Some(&callbacks),
        not_money: &[],
        enums: &[],
        prose: &mm_sdk_importer::prose::Prose::default(),
    };
    let output = mm_sdk_importer::import(&input).unwrap_or_else(|e| panic!("{e}"));
    let changes =
        replay::changes(&output, &hand_kept, &older[0], &newer()).unwrap_or_else(|e| panic!("{e}"));
    // One of each: the breaking ones are what users wrote that stops compiling.
    let major: Vec<String> = changes
        .iter()
        .filter(|d| d.change == Change::Major)
        .map(|d| format!("{} {}", d.kind, d.subject.as_deref().unwrap_or("")))
        .collect();
    assert_eq!(
        major,
        [
            "field-added body.symbol",
            "field-retyped body.orderId",
            "field-nullable data.customerNo",
            "field-values data.level",
            "removed-operation ",
            "field-required body.nickName"
        ]
    );
    insta::assert_snapshot!(
        "step",
        replay::report("client-export.yaml", "client-export.newer.yaml", &changes)
    );
}

#[test]
fn a_revision_that_is_not_an_export_is_refused() {
    for (text, why) in [
        (
            "<html><head><title>503 Service Temporarily Unavailable</title></head></html>",
            "not an OpenAPI document (its text is not a YAML or JSON map)",
        ),
        (
            r#"{"success":false,"errorCode":"500","errorMessage":"Internal Error"}"#,
            "not an OpenAPI document (no `openapi` version)",
        ),
        (
            "openapi: 3.0.1\ninfo: {title: x, version: '1'}\npaths: {}\n",
            "an OpenAPI document without a single path",
        ),
    ] {
        let value = export::parse("revision", text).unwrap_or(serde_yaml_ng::Value::Null);
        assert_eq!(replay::refusal(&value).as_deref(), Some(why), "{text}");
    }
    let export = document("client-export.yaml", CLIENT);
    assert_eq!(replay::refusal(export.value()), None);
}
