//! `cargo xtask sandbox` starts a server, prints where it listens, and answers there.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

#[tokio::test]
async fn sandbox_prints_its_base_urls_and_serves_them() {
    bounded(async {
        let mut child = Command::new(env!("CARGO_BIN_EXE_xtask"))
            .args(["sandbox", "--port", "0"])
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let manager_line = lines
            .by_ref()
            .map(Result::unwrap)
            .find(|line| line.contains("Manager API"))
            .expect("the banner names the Manager API's URL");
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
        child.kill().unwrap();
        child.wait().unwrap();
        assert_eq!(answer["code"], "0", "{answer}");
        assert_eq!(answer["data"]["total"], 0, "{answer}");
    })
    .await;
}

/// Runs `test` to its end, or fails once it has taken a minute: no test hangs.
async fn bounded<T>(test: impl std::future::Future<Output = T>) -> T {
    let limit = std::time::Duration::from_secs(60);
    match tokio::time::timeout(limit, test).await {
        Ok(output) => output,
        Err(_) => panic!("the test did not finish within {limit:?}"),
    }
}
