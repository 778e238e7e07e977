//! `mm` as a user runs it, against one in-process sandbox: an operation from flags and from a
//! JSON body sends the same request and prints the same data; errors exit with their class's
//! code and name what is wrong; no secret reaches the output.

use std::process::{Command, Output};

use mm_sdk::sandbox::{Config, Sandbox};
use serde_json::Value;

/// Runs `mm` with `args` (and `stdin`, `env`), bounded by the SDK's call timeouts.
async fn mm(args: &[&str], stdin: Option<&str>, env: &[(&str, &str)]) -> Output {
    let args: Vec<String> = args.iter().map(|s| (*s).to_owned()).collect();
    let stdin = stdin.map(str::to_owned);
    let env: Vec<(String, String)> = env
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    let run = tokio::task::spawn_blocking(move || {
        let mut command = Command::new(env!("CARGO_BIN_EXE_mm"));
        command.args(&args).env_remove("MM_LOGIN_TOKEN").envs(env);
        command.stdin(std::process::Stdio::piped());
        command.stdout(std::process::Stdio::piped());
        command.stderr(std::process::Stdio::piped());
        let mut child = command.spawn().expect("mm starts");
        if let Some(text) = stdin {
            use std::io::Write;
            child
                .stdin
                .take()
                .expect("stdin")
                .write_all(text.as_bytes())
                .expect("stdin written");
        } else {
            drop(child.stdin.take());
        }
        child.wait_with_output().expect("mm ends")
    });
    tokio::time::timeout(std::time::Duration::from_secs(60), run)
        .await
        .expect("mm answers within a minute")
        .expect("mm ran")
}

fn json(output: &Output) -> Value {
    serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is JSON ({e}): {}\nstderr: {}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )
    })
}

#[tokio::test(flavor = "multi_thread")]
async fn flags_and_a_json_body_send_the_same_request_and_print_the_same_data() {
    let sandbox = Sandbox::start(Config::default()).await.unwrap();
    let url = sandbox.base_url().to_string();
    let company = sandbox.config().company_id.clone();
    let by_flags = mm(
        &[
            "--sandbox",
            &url,
            "manager",
            "products",
            "product-list",
            "--company-id",
            &company,
        ],
        None,
        &[],
    )
    .await;
    assert!(by_flags.status.success(), "{by_flags:?}");
    let body = format!(r#"{{"companyId": "{company}"}}"#);
    let by_body = mm(
        &[
            "--sandbox",
            &url,
            "manager",
            "products",
            "product-list",
            "--body",
            "-",
        ],
        Some(&body),
        &[],
    )
    .await;
    assert!(by_body.status.success(), "{by_body:?}");
    let (flags, body) = (json(&by_flags), json(&by_body));
    assert_eq!(flags, body);
    let products = flags.as_array().expect("a list of products");
    assert!(
        products
            .iter()
            .any(|p| p["symbolCode"] == "USDCHF" && p["dealMode"] == 1),
        "the sandbox's catalogue: {flags}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_flag_of_the_wrong_type_is_a_usage_error_naming_the_flag() {
    let output = mm(
        &[
            "--sandbox",
            "http://127.0.0.1:9/",
            "manager",
            "products",
            "get-symbol-detail",
            "--trade-type",
            "two",
        ],
        None,
        &[],
    )
    .await;
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("--trade-type two: not an integer"),
        "{stderr}"
    );
    assert!(output.stdout.is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_missing_login_token_is_a_configuration_error_and_a_given_one_is_never_printed() {
    let sandbox = Sandbox::start(Config::default()).await.unwrap();
    let url = sandbox.base_url().to_string();
    let args = [
        "--sandbox",
        &url,
        "client",
        "trade",
        "cfd-mm-order-add-market-order",
        "--body",
        "-",
    ];
    let body = r#"{"accountCurrency":"USDT","accountId":1,"direction":1,"requestNum":"1","symbolId":2,"tradeType":1,"bizType":1,"requestPrice":"1","requestTime":1}"#;
    let missing = mm(&args, Some(body), &[]).await;
    assert_eq!(missing.status.code(), Some(3), "{missing:?}");
    assert!(String::from_utf8_lossy(&missing.stderr).contains("MM_LOGIN_TOKEN"));

    let sentinel = "sentinel-login-token-5f3a9";
    let refused = mm(&args, Some(body), &[("MM_LOGIN_TOKEN", sentinel)]).await;
    assert!(!refused.status.success(), "{refused:?}");
    for stream in [&refused.stdout, &refused.stderr] {
        assert!(!String::from_utf8_lossy(stream).contains(sentinel));
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn help_shows_the_spec_and_completions_cover_every_command() {
    let help = mm(
        &["manager", "products", "get-symbol-detail", "--help"],
        None,
        &[],
    )
    .await;
    let help = String::from_utf8_lossy(&help.stdout);
    for expected in [
        "POST /openapi-b/config.admin.AdminSymbolDubboService.getSymbolDetail",
        "Documented example (--body):",
        "--symbol-id",
        "--trade-type",
    ] {
        assert!(help.contains(expected), "{expected} not in:\n{help}");
    }
    let completions = mm(&["completions", "bash"], None, &[]).await;
    let completions = String::from_utf8_lossy(&completions.stdout);
    assert!(completions.contains("get-symbol-detail") && completions.contains("product-list"));
}
