//! `cargo xtask upstream-diff` as a command, on the library's fixture (an export, the specs the
//! import made of an earlier version of it, and acknowledgements; see
//! `importer/tests/upstream_diff.rs`, which tests the report itself): its exit status, its
//! messages, and how it names the files.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The Client API export the fixture is a version of.
const EXPORT: &str = "MultiMarkets-ClientAPI.openapi.en.yaml";

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../importer/tests/fixtures/upstream-diff")
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

#[test]
fn fails_on_a_difference_not_acknowledged() {
    let ack = scratch("none.yaml", "[]\n");
    let output = upstream_diff(&fixtures().join("export.yaml"), &ack);
    let report = stdout(&output);
    assert_eq!(output.status.code(), Some(1), "{report}");
    assert!(
        report.starts_with(&format!(
            "{} (Client API export) against the specs of {}, acknowledgements in {}",
            fixtures().join("export.yaml").display(),
            fixtures().join("specs").display(),
            ack.display()
        )),
        "{report}"
    );
    assert!(
        stderr(&output).contains(&format!(
            "12 differences not acknowledged and 0 stale acknowledgements in {}",
            ack.display()
        )),
        "{}",
        stderr(&output)
    );
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
