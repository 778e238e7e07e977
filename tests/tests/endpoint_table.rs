//! `openapi/README.md` lists every documented endpoint; it must agree with the specs.

use std::collections::BTreeSet;

use mm_sdk_codegen::APIS;
use mm_sdk_tests::{load_spec, workspace_root};

/// (spec file name, operationId) of every table row that names an operation.
fn listed() -> BTreeSet<(String, String)> {
    let readme = std::fs::read_to_string(workspace_root().join("openapi/README.md")).unwrap();
    readme
        .lines()
        .filter_map(|line| {
            let cells: Vec<&str> = line
                .trim()
                .strip_prefix('|')?
                .split('|')
                .map(str::trim)
                .collect();
            // | docs page | method + path | operationId | spec file | note |
            let operation = cells.get(2)?.strip_prefix('`')?.strip_suffix('`')?;
            let spec = cells.get(3)?.strip_prefix('`')?.strip_suffix('`')?;
            Some((spec.to_owned(), operation.to_owned()))
        })
        .collect()
}

fn in_specs() -> BTreeSet<(String, String)> {
    APIS.iter()
        .flat_map(|api| {
            let file = api.spec.rsplit('/').next().unwrap().to_owned();
            load_spec(api)
                .openapi
                .operations()
                .filter_map(|(_, _, op)| op.operation_id.clone())
                .map(move |id| (file.clone(), id))
                .collect::<Vec<_>>()
        })
        .collect()
}

#[test]
fn every_operation_is_in_the_endpoint_table_and_nothing_else() {
    let (listed, in_specs) = (listed(), in_specs());
    let missing: Vec<_> = in_specs.difference(&listed).collect();
    let unknown: Vec<_> = listed.difference(&in_specs).collect();
    assert!(
        missing.is_empty(),
        "operations missing from openapi/README.md: {missing:?}"
    );
    assert!(
        unknown.is_empty(),
        "openapi/README.md lists operations no spec has: {unknown:?}"
    );
}
