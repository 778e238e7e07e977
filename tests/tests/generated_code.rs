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
        let first = mm_sdk_codegen::generate(&loaded.spec, &loaded.model)
            .unwrap()
            .code;
        let again = mm_sdk_codegen::load(&loaded.spec.path).unwrap();
        let model = mm_sdk_codegen::model_of(&again).unwrap();
        let second = mm_sdk_codegen::generate(&again, &model).unwrap().code;
        assert!(first == second, "{}: two runs differ", loaded.area.name);
    }
}

#[test]
fn a_one_character_spec_change_changes_the_output() {
    for loaded in areas() {
        let mut changed = mm_sdk_codegen::load(&loaded.spec.path).unwrap();
        let summary = changed
            .openapi
            .paths
            .paths
            .values_mut()
            .find_map(|item| match item {
                openapiv3::ReferenceOr::Item(item) => [
                    &mut item.get,
                    &mut item.put,
                    &mut item.post,
                    &mut item.delete,
                    &mut item.patch,
                ]
                .into_iter()
                .find_map(|operation| operation.as_mut()?.summary.as_mut()),
                openapiv3::ReferenceOr::Reference { .. } => None,
            })
            .expect("an operation with a summary");
        let first = if summary.starts_with('Z') { 'Y' } else { 'Z' };
        *summary = std::iter::once(first)
            .chain(summary.chars().skip(1))
            .collect();
        let model = mm_sdk_codegen::model_of(&changed).unwrap();
        assert_ne!(
            mm_sdk_codegen::generate(&loaded.spec, &loaded.model)
                .unwrap()
                .code,
            mm_sdk_codegen::generate(&changed, &model).unwrap().code,
            "{}: a changed summary must show in the generated code",
            loaded.area.name
        );
    }
}
