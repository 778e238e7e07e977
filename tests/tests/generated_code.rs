//! The generated source of each spec, as a snapshot: a spec or codegen change shows up as a
//! reviewable snapshot diff (`cargo insta review`).

use mm_sdk_codegen::APIS;
use mm_sdk_tests::load_spec;

#[test]
fn generated_source_matches_snapshot() {
    for api in &APIS {
        let source =
            mm_sdk_codegen::generate(&load_spec(api), api.name).unwrap_or_else(|e| panic!("{e}"));
        insta::assert_snapshot!(api.name, source);
    }
}

#[test]
fn generation_is_deterministic() {
    for api in &APIS {
        let spec = load_spec(api);
        let first = mm_sdk_codegen::generate(&spec, api.name).unwrap();
        let second =
            mm_sdk_codegen::generate(&mm_sdk_codegen::load(&spec.path).unwrap(), api.name).unwrap();
        assert!(first == second, "{}: two runs differ", api.spec);
    }
}

#[test]
fn a_one_character_spec_change_changes_the_output() {
    for api in &APIS {
        let spec = load_spec(api);
        let text = std::fs::read_to_string(&spec.path).unwrap();
        let at = text.find("summary: ").expect("an operation summary") + "summary: ".len();
        let mut changed = text.clone();
        let replacement = if text[at..].starts_with('Z') {
            "Y"
        } else {
            "Z"
        };
        changed.replace_range(at..at + 1, replacement);
        let changed = mm_sdk_codegen::parse(&spec.path, &changed).unwrap();
        assert_ne!(
            mm_sdk_codegen::generate(&spec, api.name).unwrap(),
            mm_sdk_codegen::generate(&changed, api.name).unwrap(),
            "{}: a changed summary must show in the generated code",
            api.spec
        );
    }
}
