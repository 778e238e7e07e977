//! `mm` as a user runs it: errors exit with their class's code and name what is wrong; no
//! secret reaches the output; help comes from the specs. (Every operation from flags and
//! from a body: `every_operation.rs`.)

use std::process::{Output, Stdio};

use mm_sdk::sandbox::{Config, Sandbox};
use mm_sdk_test_support::bounded;
use serde_json::Value;

/// Runs `mm` with `args` (and `stdin`, `env`); the caller's time bound kills it if it hangs.
async fn mm(args: &[&str], stdin: Option<&str>, env: &[(&str, &str)]) -> Output {
    use tokio::io::AsyncWriteExt;
    let mut command = tokio::process::Command::new(env!("CARGO_BIN_EXE_mm"));
    command
        .args(args)
        .env_remove("MM_LOGIN_TOKEN")
        .env("MM_CONFIG", "/nonexistent/mm/config.toml")
        .envs(env.iter().copied())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    let mut child = command.spawn().expect("mm starts");
    let mut input = child.stdin.take().expect("stdin");
    if let Some(text) = stdin {
        input
            .write_all(text.as_bytes())
            .await
            .expect("stdin written");
    }
    drop(input);
    child.wait_with_output().await.expect("mm ends")
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
async fn a_flag_of_the_wrong_type_is_a_usage_error_naming_the_flag() {
    bounded(async {
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
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_missing_login_token_is_a_configuration_error_and_a_given_one_is_never_printed() {
    bounded(async {
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
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn help_shows_the_spec_and_completions_cover_every_command() {
    bounded(async {
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
    })
    .await;
}
