//! What is committed under `generated/` and in `openapi/README.md`'s table is what the specs
//! generate now: the check of `cargo xtask codegen --check`, as a test.

use mm_sdk_tests::workspace_root;

#[test]
fn generated_files_are_up_to_date() {
    let root = workspace_root();
    let files = mm_sdk_codegen::files(&root).unwrap_or_else(|e| panic!("{e}"));
    let stale: Vec<String> = files
        .iter()
        .filter(|(path, fresh)| {
            std::fs::read_to_string(root.join(path)).ok().as_deref() != Some(fresh.as_str())
        })
        .map(|(path, _)| path.display().to_string())
        .collect();
    assert!(
        stale.is_empty(),
        "stale generated files; run `cargo xtask codegen`: {stale:?}"
    );
}
