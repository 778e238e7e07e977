//! The generated code: reviewable as a snapshot of each area's public surface (one block per
//! operation: request, credential, effect, signature, headers), deterministic, and sensitive
//! to every change of a spec. `cargo xtask codegen --check` is the byte-for-byte guard.

use mm_sdk_tests::areas;

#[test]
fn each_area_surface_matches_its_snapshot() {
    for loaded in areas() {
        insta::assert_snapshot!(
            loaded.area.name.as_str(),
            mm_sdk_codegen::surface(&loaded.model)
        );
    }
}

#[test]
fn generation_is_deterministic() {
    for loaded in areas() {
        let first = mm_sdk_codegen::generate(&loaded.spec, &loaded.model).unwrap();
        let again = mm_sdk_codegen::load(&loaded.spec.path).unwrap();
        let model = mm_sdk_codegen::model_of(&again).unwrap();
        let second = mm_sdk_codegen::generate(&again, &model).unwrap();
        assert!(first == second, "{}: two runs differ", loaded.area.name);
    }
}

#[test]
fn a_one_character_spec_change_changes_the_output() {
    for loaded in areas() {
        let text = std::fs::read_to_string(&loaded.spec.path).unwrap();
        let at = text.find("summary: ").expect("an operation summary") + "summary: ".len();
        let mut changed = text.clone();
        let replacement = if text[at..].starts_with('Z') {
            "Y"
        } else {
            "Z"
        };
        changed.replace_range(at..at + 1, replacement);
        let changed = mm_sdk_codegen::parse(&loaded.spec.path, &changed).unwrap();
        let model = mm_sdk_codegen::model_of(&changed).unwrap();
        assert_ne!(
            mm_sdk_codegen::generate(&loaded.spec, &loaded.model).unwrap(),
            mm_sdk_codegen::generate(&changed, &model).unwrap(),
            "{}: a changed summary must show in the generated code",
            loaded.area.name
        );
    }
}
