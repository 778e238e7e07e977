//! What `cargo xtask upstream-diff` computes, on two fixtures: a small export in upstream's 3.1
//! style (`fixtures/upstream-diff/export.yaml`) against what the import made of an earlier version
//! of it (`fixtures/upstream-diff/specs/`), with one change of every kind; and the import's
//! fixture exports (`fixtures/import/`) against what the import makes of them, where the two
//! agree.

mod common;

use std::path::{Path, PathBuf};

use common::{CLIENT, MANAGER, document, exports, fixtures, hand_kept, import, read};
use mm_sdk_importer::diff::{self, Ack, Shown, Verdict};
use mm_sdk_importer::export::{self, Document};
use mm_sdk_importer::spec::Spec;

const CUSTOMER_INFO: &str =
    "customer_info (POST /api/global/customer.app.CustomerWebApiService.getCustomerInfo)";

fn diff_fixtures() -> PathBuf {
    fixtures().join("upstream-diff")
}

/// A comparison's report and outcome (the message it fails with).
struct Run {
    report: String,
    outcome: Result<(), String>,
}

/// Compares `upstream` (read from a file named `file`) with `specs`, acknowledgements `ack`
/// read from a file named `ack_file`.
fn compare(upstream: &Document, file: &str, specs: &[Spec], ack_file: &str, ack: &str) -> Run {
    let ack_value = serde_yaml_ng::from_str(ack).unwrap_or_else(|e| panic!("{ack_file}: {e}"));
    let acks = Ack::parse_all(ack_file, &ack_value).unwrap_or_else(|e| panic!("{e}"));
    let differences = diff::compare(upstream, specs, None).unwrap_or_else(|e| panic!("{e}"));
    let verdict = Verdict::new(upstream.export(), differences, &acks);
    let report = verdict.report(&Shown {
        export: file,
        specs: "specs",
        ack: ack_file,
        all: false,
    });
    Run {
        report,
        outcome: verdict.outcome(ack_file).map_err(|e| e.to_string()),
    }
}

/// The fixture's specs (`fixtures/upstream-diff/specs/`), by file name.
fn fixture_specs() -> Vec<Spec> {
    let dir = diff_fixtures().join("specs");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|path| Spec::new(path.display().to_string(), read(&path)))
        .collect()
}

/// Compares the fixture's export with the fixture's specs, acknowledgements `ack`.
fn upstream_diff(export: &Path, ack_file: &str, ack: &str) -> Run {
    let upstream = Document::new(
        export::find(CLIENT).unwrap_or_else(|| panic!("{CLIENT} is an export")),
        read(export),
    );
    compare(&upstream, "export.yaml", &fixture_specs(), ack_file, ack)
}

/// The fixture's acknowledgements file.
fn fixture_acks() -> String {
    std::fs::read_to_string(diff_fixtures().join("ack.yaml")).unwrap_or_else(|e| panic!("{e}"))
}

/// The lines under `operation`'s heading in the report.
fn lines_of(report: &str, operation: &str) -> Vec<String> {
    report
        .lines()
        .skip_while(|line| line.trim() != operation)
        .skip(1)
        .take_while(|line| line.starts_with("    "))
        .map(|line| line.trim().to_owned())
        .collect()
}

#[test]
fn reports_every_kind_of_difference_and_fails() {
    let run = upstream_diff(&diff_fixtures().join("export.yaml"), "none.yaml", "[]\n");
    let report = run.report;
    let Err(message) = run.outcome else {
        panic!("no failure: {report}");
    };
    assert!(
        message.contains("12 differences not acknowledged"),
        "{message}"
    );

    assert_eq!(
        lines_of(&report, CUSTOMER_INFO),
        [
            "field-added body.nickName: string, optional",
            "field-added data.accounts[].currency: string, optional",
            "field-removed body.legacyFlag: boolean, optional",
            "field-retyped body.customerNo: upstream integer, ours string",
            "field-required body.email: upstream required, ours optional",
            "header-added lang: optional upstream",
            "header-removed version: optional in ours",
            "header-required trace: upstream required, ours optional",
            "header-spelling Companyid: upstream `Companyid`, ours `companyId`",
        ],
        "{report}"
    );
    let added = lines_of(
        &report,
        "POST /api/global/message.app.NoticeService.markRead",
    );
    assert_eq!(added.len(), 1, "{report}");
    assert!(added[0].starts_with("added-operation: "), "{report}");
    let removed = [
        "cancel_order (POST /api/global/tradeapi.app.OrderApiService.cancelOrder)",
        "open_customer_info (POST /openapi-c/global/customer.app.CustomerWebApiService.findCustomerInfo)",
    ];
    for operation in removed {
        let lines = lines_of(&report, operation);
        assert_eq!(lines.len(), 1, "{operation}: {report}");
        assert!(lines[0].starts_with("removed-operation: "), "{report}");
    }
}

#[test]
fn normalises_what_the_import_normalises() {
    let report = upstream_diff(&diff_fixtures().join("export.yaml"), "none.yaml", "[]\n").report;
    // `format: long` ~ int64, 3.1 type arrays ~ `nullable`, `number` ~ `format: decimal`, the
    // three envelope shapes, a `$ref` cycle, `/openapi-c` for the signed operation, the
    // webhook the import skips, and the spec of another API.
    for absent in [
        "customerId",
        "minBalance",
        "data.balance",
        "data.remark",
        "referrer",
        "query_order_page",
        "now (POST",
        "open_symbol_base_info",
        "external-system-adjustment",
        "query_capital_flow_list",
    ] {
        assert!(
            !report.contains(absent),
            "`{absent}` is reported:\n{report}"
        );
    }
}

#[test]
fn passes_when_every_difference_is_acknowledged() {
    let run = upstream_diff(
        &diff_fixtures().join("export.yaml"),
        "ack.yaml",
        &fixture_acks(),
    );
    let report = run.report;
    assert_eq!(run.outcome, Ok(()), "{report}");
    assert!(!report.contains("Not acknowledged"), "{report}");
    assert!(
        report.contains(&format!(
            "{:<18} {:>12} {:>12} {:>16}",
            "field-added", 0, 2, 0
        )),
        "{report}"
    );
}

#[test]
fn fails_on_a_stale_acknowledgement() {
    let stale = "- export: MultiMarkets-ClientAPI.openapi.en.yaml
  operation: now
  kind: field-removed
  field: data.later
  why: Upstream no longer sends it.
";
    let acks = format!("{}{stale}", fixture_acks());
    let run = upstream_diff(&diff_fixtures().join("export.yaml"), "stale.yaml", &acks);
    let report = run.report;
    assert!(
        report.contains("entry 12: now field-removed data.later"),
        "{report}"
    );
    let Err(message) = run.outcome else {
        panic!("no failure: {report}");
    };
    assert!(
        message.contains("0 differences not acknowledged and 1 stale"),
        "{message}"
    );
}

#[test]
fn names_the_file_and_entry_of_bad_input() {
    let error = export::parse("broken.yaml", "openapi: 3.1.0\npaths: [unclosed\n")
        .map(|_| ())
        .unwrap_err();
    assert!(error.to_string().starts_with("broken.yaml: "), "{error}");

    let typo: serde_yaml_ng::Value = serde_yaml_ng::from_str(
        "- export: MultiMarkets-ClientAPI.openapi.en.yaml\n  operation: now\n  kind: field-gone\n  \
         field: data.now\n  why: A typo.\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let error = Ack::parse_all("typo.yaml", &typo).map(|_| ()).unwrap_err();
    assert!(
        error
            .to_string()
            .contains("typo.yaml: entry 1: `kind` is `field-gone`"),
        "{error}"
    );

    // A file not named as one of the importer's exports is none of them (the command asks
    // for `--as`).
    assert!(export::find("export.yaml").is_none());
}

/// The import's fixture specs as they would be in `openapi/`: the hand-kept ones, and the areas
/// the import makes of the fixture exports.
fn imported_specs() -> Vec<Spec> {
    let output = import(&exports(), &[]);
    let mut specs: Vec<Spec> = hand_kept()
        .into_iter()
        .chain(common::as_specs(&output))
        .map(|spec| Spec::new(format!("openapi/{}", spec.file), spec.value))
        .collect();
    specs.sort_by(|a, b| a.file.cmp(&b.file));
    specs
}

#[test]
fn an_export_against_what_the_import_made_of_it() {
    let specs = imported_specs();

    // What the import made agrees with the export, but for the hand-kept spec's operations.
    let client = compare(
        &document("client-export.yaml", CLIENT),
        "client-export.yaml",
        &specs,
        "none.yaml",
        "[]\n",
    );
    insta::assert_snapshot!("diff-client", client.report);
    assert_eq!(
        lines_of(&client.report, CUSTOMER_INFO),
        [
            "header-added companyId: required upstream",
            "header-added lang: optional upstream",
            "header-added token: optional upstream",
            "header-added trace: optional upstream",
            "header-added version: optional upstream",
        ],
        "{}",
        client.report
    );
    assert_eq!(
        lines_of(&client.report, "now (POST /api/global/thirdExt/serverTime)"),
        ["removed-operation: in openapi/client.yaml, not in the export"],
        "{}",
        client.report
    );
    // The `group` header upstream marks optional is compared as the import writes it.
    let no_lines: [&str; 0] = [];
    assert_eq!(
        lines_of(
            &client.report,
            "spot_order_query_order_list (POST \
             /api/global/tradeapi.app.SpotOrderApiService.queryOrderList)"
        ),
        no_lines,
        "{}",
        client.report
    );
    assert_eq!(
        client.outcome.as_ref().map_err(String::as_str),
        Err(
            "6 differences not acknowledged and 0 stale acknowledgements in none.yaml: change \
             the specs, or acknowledge each difference with why"
        )
    );

    let manager = compare(
        &document("manager-export.yaml", MANAGER),
        "manager-export.yaml",
        &specs,
        "none.yaml",
        "[]\n",
    );
    insta::assert_snapshot!("diff-manager", manager.report);
    assert_eq!(manager.outcome, Ok(()), "{}", manager.report);
}
