//! `openapi/import/inventory.yaml`, written by `cargo xtask import`, accounts for every
//! operation of every export of upstream's the specs are imported from: imported under an
//! `operationId`, in a hand-kept spec, decided by another of upstream's operations, or left out
//! for a reason. These tests hold it against upstream's own counts, the specs (through the
//! importer's own check) and the table in `openapi/README.md`, so a change to an export or to
//! the import shows here.

use std::collections::BTreeMap;

use mm_sdk_importer::inventory::{Inventory, Outcome};
use mm_sdk_importer::sources::Sources;
use mm_sdk_importer::spec::Spec;
use mm_sdk_tests::workspace_root;

/// Per export: the operations upstream lists in it (counted by hand in the export at the
/// revision `openapi/import/sources.yaml` pins, to be counted again when the pin moves), and
/// how many of them are typed calls of the SDK (imported, or in a hand-kept spec).
const EXPECTED: [(&str, usize, usize); 6] = [
    ("MultiMarkets-ClientAPI.openapi.en.yaml", 323, 316),
    ("MultiMarkets-ClientAPI.openapi.yaml", 327, 20),
    ("MultiMarkets-BusinessAPI.openapi.en.yaml", 41, 41),
    ("multimarkets-api-postman.json", 95, 54),
    ("MultiMarkets-Auth2Api.openapi.en.yaml", 4, 4),
    ("UTGL量化相关API.openapi.json", 12, 12),
];

fn yaml(path: &str) -> serde_yaml_ng::Value {
    let file = workspace_root().join(path);
    let text = std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_yaml_ng::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn inventory() -> Inventory {
    let path = "openapi/import/inventory.yaml";
    Inventory::parse(path, &yaml(path)).unwrap_or_else(|e| panic!("{e}"))
}

/// Every spec of the REST APIs, hand-kept and imported.
fn specs() -> Vec<Spec> {
    let dir = workspace_root().join("openapi");
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".yaml"))
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|name| {
            let value = yaml(&format!("openapi/{name}"));
            Spec::new(format!("openapi/{name}"), value)
        })
        .collect()
}

#[test]
fn the_inventory_was_made_from_the_pinned_revisions() {
    let path = "openapi/import/sources.yaml";
    let sources = Sources::parse(path, &yaml(path)).unwrap_or_else(|e| panic!("{e}"));
    for export in &inventory().exports {
        let pinned = sources.of(export.export).map(|source| &source.pin);
        assert_eq!(
            export.pin.as_ref(),
            pinned,
            "{}: the inventory's revision is not the pinned one (import again after moving a pin)",
            export.export.file
        );
    }
}

#[test]
fn the_inventory_agrees_with_the_specs() {
    let problems = mm_sdk_importer::inventory::check(&inventory(), &specs());
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// What one export's operations became: (listed, imported, hand-kept, decided elsewhere,
/// left out).
fn tally(inventory: &Inventory) -> BTreeMap<String, [usize; 5]> {
    inventory
        .exports
        .iter()
        .map(|export| {
            let mut counts = [export.operations.len(), 0, 0, 0, 0];
            for entry in &export.operations {
                let column = match entry.outcome {
                    Outcome::Imported { .. } => 1,
                    Outcome::HandKept { .. } => 2,
                    Outcome::Elsewhere { .. } => 3,
                    Outcome::LeftOut { .. } => 4,
                };
                counts[column] += 1;
            }
            (export.export.file.to_owned(), counts)
        })
        .collect()
}

#[test]
fn every_operation_of_every_export_is_accounted_for_with_upstreams_counts() {
    let tally = tally(&inventory());
    let mut problems = Vec::new();
    for (file, operations, typed) in EXPECTED {
        let Some([listed, imported, hand_kept, _, _]) = tally.get(file) else {
            problems.push(format!("{file}: not in the inventory"));
            continue;
        };
        if *listed != operations {
            problems.push(format!(
                "{file}: {listed} operations, upstream lists {operations}"
            ));
        }
        if imported + hand_kept != typed {
            problems.push(format!(
                "{file}: {} typed calls ({imported} imported, {hand_kept} hand-kept), expected \
                 {typed}",
                imported + hand_kept
            ));
        }
    }
    assert_eq!(tally.len(), EXPECTED.len(), "exports: {:?}", tally.keys());
    // A left-out operation is one the platform does not serve: never a capability dropped
    // for its shape.
    for export in &inventory().exports {
        for entry in &export.operations {
            if let Outcome::LeftOut { code, .. } = &entry.outcome
                && ![
                    "pseudo-operation",
                    "webhook",
                    "not-the-api",
                    "no-downstream",
                ]
                .contains(&code.as_str())
            {
                problems.push(format!(
                    "{}: `{} {}` left out as `{code}`",
                    export.export.file, entry.method, entry.path
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_readme_table_is_the_inventorys_count() {
    let readme = std::fs::read_to_string(workspace_root().join("openapi/README.md")).unwrap();
    let section = readme
        .split("## Imported from upstream's exports")
        .nth(1)
        .expect("the import's section");
    let mut table = BTreeMap::new();
    for line in section.lines().filter(|l| l.starts_with("| `")) {
        let cells: Vec<&str> = line.trim().trim_matches('|').split(" | ").collect();
        if let [export, _, _, counts @ ..] = cells.as_slice()
            && let Ok(counts) = counts
                .iter()
                .map(|c| c.trim().parse::<usize>())
                .collect::<Result<Vec<_>, _>>()
            && counts.len() == 5
        {
            table.insert(export.trim().trim_matches('`').to_owned(), counts);
        }
    }
    let tally: BTreeMap<String, Vec<usize>> = tally(&inventory())
        .into_iter()
        .map(|(file, counts)| (file, counts.to_vec()))
        .collect();
    assert_eq!(table, tally);
}
