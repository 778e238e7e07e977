//! `openapi/README.md` accounts for every operation of upstream's four exports: each has an
//! `operationId` in the specs, or the reason it has none, which may only be that it is not an
//! operation of the platform (the Global Unified Request Header pseudo-operation, or a call the
//! platform makes on the integrator). The counts are upstream's: a change to an export or to
//! the import shows here.

use std::collections::{BTreeMap, BTreeSet};

use mm_sdk_tests::{areas, workspace_root};

/// Per export (as the README's tables name its API): operations upstream lists, and how many
/// of them must be typed calls.
const EXPECTED: [(&str, &str, usize, usize); 4] = [
    (
        "MultiMarkets-ClientAPI.openapi.en.yaml",
        "Client API",
        322,
        316,
    ),
    (
        "MultiMarkets-BusinessAPI-EN.openapi-20240830.yaml",
        "Manager API",
        41,
        41,
    ),
    ("MultiMarkets-Auth2Api.openapi.en.yaml", "Auth2 API", 4, 4),
    (
        "UTGL量化相关API.openapi.json",
        "Manager API, quant variant",
        12,
        12,
    ),
];

/// The reasons an operation may have no `operationId`.
const NOT_OPERATIONS: [&str; 2] = [
    "the \"Global Unified Request Header\" pseudo-operation",
    "External Settlement: the platform calls this on the integrator's system",
];

fn cells(line: &str) -> Vec<String> {
    line.trim()
        .trim_matches('|')
        .split(" | ")
        .map(|cell| cell.trim().to_owned())
        .collect()
}

#[test]
fn every_operation_of_the_exports_has_an_operation_id_or_the_reason_it_has_none() {
    let readme = std::fs::read_to_string(workspace_root().join("openapi/README.md")).unwrap();
    let section = readme
        .split("## Imported from upstream's exports")
        .nth(1)
        .expect("the import's section");

    // The summary table: operations, imported, skipped, per export.
    let mut summary = BTreeMap::new();
    for line in section.lines().filter(|l| l.starts_with("| `")) {
        let row = cells(line);
        if let [export, _, operations, imported, skipped] = row.as_slice()
            && let (Ok(operations), Ok(imported), Ok(skipped)) = (
                operations.parse::<usize>(),
                imported.parse::<usize>(),
                skipped.parse::<usize>(),
            )
        {
            let export = export.trim_matches('`').to_owned();
            summary.insert(export, (operations, imported, skipped));
        }
    }

    // The skipped operations, by the API column: with an id where the reason names one.
    let specs: BTreeMap<String, BTreeSet<String>> = areas()
        .into_iter()
        .map(|loaded| {
            let file = loaded
                .area
                .spec
                .file_name()
                .unwrap()
                .to_string_lossy()
                .into_owned();
            let ids = loaded
                .model
                .operations
                .into_iter()
                .map(|op| op.id)
                .collect();
            (file, ids)
        })
        .collect();
    let mut with_id: BTreeMap<String, usize> = BTreeMap::new();
    let mut without_id: BTreeMap<String, usize> = BTreeMap::new();
    let mut problems = Vec::new();
    let skipped = section
        .split("Skipped operations:")
        .nth(1)
        .expect("the skipped operations");
    for line in skipped
        .lines()
        .filter(|l| l.starts_with("| ") && !l.starts_with("| export"))
    {
        let row = cells(line);
        let [api, what, _, why] = row.as_slice() else {
            problems.push(format!("a row of {} cells: {line}", row.len()));
            continue;
        };
        if let Some(rest) = why.strip_prefix("already in the hand-kept `") {
            // "already in the hand-kept `<spec>` as `<id>` (...)"
            let mut parts = rest.split('`');
            let (spec, id) = (
                parts.next().unwrap_or_default(),
                parts.nth(1).unwrap_or_default(),
            );
            if !specs.get(spec).is_some_and(|ids| ids.contains(id)) {
                problems.push(format!(
                    "{api} {what}: `{id}` is not an operation of `{spec}`"
                ));
            }
            *with_id.entry(api.clone()).or_default() += 1;
        } else if why.starts_with("the same method and path as ") {
            *with_id.entry(api.clone()).or_default() += 1;
        } else if NOT_OPERATIONS.iter().any(|reason| why.starts_with(reason)) {
            *without_id.entry(api.clone()).or_default() += 1;
        } else {
            problems.push(format!("{api} {what}: no operationId, because {why}"));
        }
    }

    for (export, api, operations, typed) in EXPECTED {
        let Some(&(listed, imported, skipped)) = summary.get(export) else {
            problems.push(format!("{export}: not in the summary table"));
            continue;
        };
        let with_id = with_id.get(api).copied().unwrap_or_default();
        let without_id = without_id.get(api).copied().unwrap_or_default();
        if listed != operations || imported + skipped != operations {
            problems.push(format!(
                "{export}: {listed} operations ({imported} imported, {skipped} skipped), \
                 upstream lists {operations}"
            ));
        }
        if with_id + without_id != skipped {
            problems.push(format!(
                "{export}: {skipped} skipped, {} rows in the table",
                with_id + without_id
            ));
        }
        if imported + with_id != typed {
            problems.push(format!(
                "{export}: {} operations with an operationId, expected {typed}",
                imported + with_id
            ));
        }
    }

    // The imported ones are the area specs' operations.
    let imported: usize = summary.values().map(|(_, imported, _)| imported).sum();
    let in_areas: usize = specs
        .iter()
        .filter(|(file, _)| !["client.yaml", "manager.yaml", "auth2.yaml"].contains(&file.as_str()))
        .map(|(_, ids)| ids.len())
        .sum();
    if imported != in_areas {
        problems.push(format!(
            "{imported} imported, {in_areas} operations in the area specs"
        ));
    }

    // Upstream's deprecated operations are marked so in the table of operations.
    let deprecated = readme
        .lines()
        .filter(|l| l.contains("(deprecated)"))
        .count();
    if deprecated != 5 {
        problems.push(format!(
            "{deprecated} operations marked deprecated, upstream marks 5"
        ));
    }

    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
