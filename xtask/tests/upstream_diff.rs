//! `cargo xtask upstream-diff` on a fixture: a small export in upstream's 3.1 style
//! (`fixtures/upstream-diff/export.yaml`) and what the import made of an earlier version of it
//! (`fixtures/upstream-diff/specs/`), with one change of every kind.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The Client API export the fixture is a version of.
const EXPORT: &str = "MultiMarkets-ClientAPI.openapi.en.yaml";

const CUSTOMER_INFO: &str =
    "customer_info (POST /api/global/customer.app.CustomerWebApiService.getCustomerInfo)";

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/upstream-diff")
}

/// Runs the tool on the fixture's export and specs with the acknowledgements `ack`.
fn upstream_diff(export: &Path, ack: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .arg("upstream-diff")
        .arg(export)
        .args(["--as", EXPORT, "--specs"])
        .arg(fixtures().join("specs"))
        .arg("--ack")
        .arg(ack)
        .output()
        .expect("the xtask binary runs")
}

/// Writes `text` to a file of this test's own and returns its path.
fn scratch(name: &str, text: &str) -> PathBuf {
    let path = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("upstream-diff-{name}"));
    std::fs::write(&path, text).expect("the scratch file is written");
    path
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
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
    let ack = scratch("none.yaml", "[]\n");
    let output = upstream_diff(&fixtures().join("export.yaml"), &ack);
    let report = stdout(&output);
    assert!(!output.status.success(), "{report}");
    assert!(
        stderr(&output).contains("12 differences not acknowledged"),
        "{}",
        stderr(&output)
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
    let ack = scratch("none-2.yaml", "[]\n");
    let report = stdout(&upstream_diff(&fixtures().join("export.yaml"), &ack));
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
    let output = upstream_diff(
        &fixtures().join("export.yaml"),
        &fixtures().join("ack.yaml"),
    );
    let report = stdout(&output);
    assert!(output.status.success(), "{report}{}", stderr(&output));
    assert!(!report.contains("Not acknowledged"), "{report}");
    assert!(
        report.contains("field-added                   2                0"),
        "{report}"
    );
}

#[test]
fn fails_on_a_stale_acknowledgement() {
    let acks = std::fs::read_to_string(fixtures().join("ack.yaml")).unwrap();
    let stale = "- export: MultiMarkets-ClientAPI.openapi.en.yaml
  operation: now
  kind: field-removed
  field: data.later
  why: Upstream no longer sends it.
";
    let ack = scratch("stale.yaml", &format!("{acks}{stale}"));
    let output = upstream_diff(&fixtures().join("export.yaml"), &ack);
    let report = stdout(&output);
    assert!(!output.status.success(), "{report}");
    assert!(
        report.contains("entry 12: now field-removed data.later"),
        "{report}"
    );
    assert!(
        stderr(&output).contains("0 differences not acknowledged and 1 stale"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn names_the_file_and_entry_of_bad_input() {
    let export = scratch("broken.yaml", "openapi: 3.1.0\npaths: [unclosed\n");
    let output = upstream_diff(&export, &fixtures().join("ack.yaml"));
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert!(
        stderr(&output).starts_with(&export.display().to_string()),
        "{}",
        stderr(&output)
    );

    let ack = scratch(
        "typo.yaml",
        "- export: MultiMarkets-ClientAPI.openapi.en.yaml\n  operation: now\n  kind: field-gone\n  \
         field: data.now\n  why: A typo.\n",
    );
    let output = upstream_diff(&fixtures().join("export.yaml"), &ack);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("typo.yaml: entry 1: `kind` is `field-gone`"),
        "{}",
        stderr(&output)
    );

    let output = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .arg("upstream-diff")
        .arg(fixtures().join("export.yaml"))
        .output()
        .unwrap();
    assert!(
        stderr(&output).contains("is not one of the importer's exports"),
        "{}",
        stderr(&output)
    );
}
