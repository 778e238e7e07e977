//! The stream spec's examples: each is valid against its message's schema (the independent
//! validator of the HTTP specs' contract test), and decodes through the SDK's own decoders.

use mm_sdk::streams::QuotePush;
use mm_sdk::streams::types::{DataPush, OpenMessage, OpenMessageRequest, QuoteReply, QuoteRequest};
use mm_sdk_tests::workspace_root;
use serde_json::{Value, json};

fn spec() -> Value {
    let path = workspace_root().join(mm_sdk_codegen::STREAMS_SPEC);
    let text = std::fs::read_to_string(&path).unwrap();
    serde_yaml_ng::from_str(&text).unwrap()
}

#[test]
fn every_stream_example_is_valid_and_decodes() {
    let spec = spec();
    let components = spec["components"].clone();
    let folder = workspace_root().join("openapi/streams");
    let messages = spec["components"]["messages"].as_object().unwrap();
    let mut checked = 0;
    for (name, message) in messages {
        let files = message["x-mm-examples"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        assert!(!files.is_empty(), "message `{name}` has no example");
        let root = json!({ "allOf": [message["payload"]], "components": components });
        let validator = jsonschema::draft7::new(&root).unwrap_or_else(|e| panic!("{name}: {e}"));
        for file in files {
            let file = file.as_str().unwrap();
            let text = std::fs::read_to_string(folder.join(file)).unwrap();
            let example: Value = if file.ends_with(".json") {
                serde_json::from_str(&text).unwrap_or_else(|e| panic!("{file}: {e}"))
            } else {
                Value::String(text.trim_end_matches('\n').to_owned())
            };
            let problems: Vec<String> = validator
                .iter_errors(&example)
                .map(|e| format!("{} at {}", e, e.instance_path()))
                .collect();
            assert!(problems.is_empty(), "{file} ({name}): {problems:?}");
            decodes(name, message, file, &example);
            checked += 1;
        }
    }
    assert!(checked >= 40, "only {checked} examples");
}

/// The SDK's decoder for the message accepts the example.
fn decodes(name: &str, message: &Value, file: &str, example: &Value) {
    if let Some(event_type) = message["x-mm-event-type"].as_str() {
        let event =
            DataPush::decode(&example.to_string()).unwrap_or_else(|e| panic!("{file}: {e}"));
        assert_eq!(event.event_type(), event_type, "{file}");
        assert!(
            !matches!(event, DataPush::Other { .. }),
            "{file} decoded as an unknown event"
        );
        // Written back as a frame (what `mm stream data-push` prints), it reads as the same
        // event.
        let written = serde_json::to_string(&event).unwrap();
        assert_eq!(
            DataPush::decode(&written).unwrap(),
            event,
            "{file}: {written}"
        );
    } else if let Value::String(text) = example {
        if text != "ping" {
            QuotePush::parse(text).unwrap_or_else(|e| panic!("{file}: {e}"));
        }
    } else if example.get("ret").is_some() {
        serde_json::from_value::<QuoteReply>(example.clone())
            .unwrap_or_else(|e| panic!("{file}: {e}"));
    } else if example.get("cmd_id").is_some() {
        serde_json::from_value::<QuoteRequest>(example.clone())
            .unwrap_or_else(|e| panic!("{file}: {e}"));
    } else if example.get("head").is_some() {
        serde_json::from_value::<OpenMessageRequest>(example.clone())
            .unwrap_or_else(|e| panic!("{file}: {e}"));
    } else if example.get("msgCode").is_some() {
        serde_json::from_value::<OpenMessage>(example.clone())
            .unwrap_or_else(|e| panic!("{file}: {e}"));
    } else {
        panic!("{file} ({name}): no decoder for this example");
    }
}

/// Serde reads a struct from a JSON array too, its fields in order: a Data Push frame that is
/// not an object is refused instead of read as an event named by its first element (a case
/// the fuzz target `data_push_frame` found).
#[test]
fn a_data_push_frame_that_is_not_an_object_is_refused() {
    for frame in [
        r#"["deposit", {}]"#,
        r#"[ "][ "]  "#,
        r#""deposit""#,
        "null",
        "",
    ] {
        let error = DataPush::decode(frame).unwrap_err().to_string();
        assert!(
            error.contains("a Data Push frame, a JSON object"),
            "{frame}: {error}"
        );
    }
    // Whitespace before the object is JSON's own.
    let event = DataPush::decode(" \n\t{\"eventType\":\"new_kind\",\"data\":{}}").unwrap();
    assert_eq!(event.event_type(), "new_kind");
}
