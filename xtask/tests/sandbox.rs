//! `cargo xtask sandbox` runs the sandbox's binary: it prints where it listens, and answers
//! there.

use std::process::Stdio;
use std::time::Duration;

use mm_sdk_test_support::bounded_for;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::Command;

/// Long enough for `cargo run` to build the sandbox first, as on a fresh checkout.
const FIRST_RUN_LIMIT: Duration = Duration::from_secs(900);

#[tokio::test]
async fn sandbox_prints_its_base_urls_and_serves_them() {
    bounded_for(FIRST_RUN_LIMIT, async {
        // On Unix, xtask becomes `cargo run`, which becomes the sandbox: killing the child
        // (here, or when the test fails and drops it) stops the sandbox.
        let mut child = Command::new(env!("CARGO_BIN_EXE_xtask"))
            .args(["sandbox", "--port", "0"])
            .stdout(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .unwrap();
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let manager_line = loop {
            let line = lines.next_line().await.unwrap();
            let line = line.expect("the banner names the Manager API's URL before it ends");
            if line.contains("Manager API") {
                break line;
            }
        };
        let base = manager_line
            .split_whitespace()
            .find(|word| word.starts_with("http://127.0.0.1:"))
            .unwrap()
            .trim_end_matches("/openapi-b/...")
            .to_owned();
        let answer: serde_json::Value = reqwest::Client::new()
            .post(format!(
                "{base}/openapi-b/customer.admin.WhiteCustomerAdminApiService.page"
            ))
            .header("trace", "t-1")
            .header("companyId", "421")
            .header("token", "sandbox-manager-token")
            .header("version", "0.0.1")
            .json(&serde_json::json!({}))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        child.kill().await.unwrap();
        assert_eq!(answer["code"], "0", "{answer}");
        assert_eq!(answer["data"]["total"], 0, "{answer}");
    })
    .await;
}
