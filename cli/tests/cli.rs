//! `mm` as a user runs it: errors exit with their class's code and name what is wrong; no
//! secret reaches the output; help comes from the specs. (Every operation from flags and
//! from a body: `every_operation.rs`.)

use std::process::Output;

use mm_sdk::sandbox::{Config, Sandbox};
use mm_sdk_test_support::bounded;

use common::mm;

mod common;

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
async fn a_missing_login_token_is_a_configuration_error() {
    bounded(async {
        let args = [
            "--sandbox",
            "http://127.0.0.1:9/",
            "client",
            "trade",
            "cfd-mm-order-add-market-order",
            "--body",
            "-",
        ];
        let missing = mm(&args, Some("{}"), &[]).await;
        assert_eq!(missing.status.code(), Some(3), "{missing:?}");
        assert!(String::from_utf8_lossy(&missing.stderr).contains("MM_LOGIN_TOKEN"));
    })
    .await;
}

/// Secrets given every way `mm` takes them (the environment, a variable a profile names,
/// standard input, a prompt refused, the command line refused), and calls the sandbox refuses:
/// no sentinel reaches standard output or error, the config file or the completions.
#[tokio::test(flavor = "multi_thread")]
async fn no_secret_reaches_the_output_the_config_file_or_the_completions() {
    bounded(async {
        let sandbox = Sandbox::start(Config::default()).await.unwrap();
        let url = sandbox.base_url().to_string();
        let company = sandbox.config().company_id.clone();
        let dir = std::env::temp_dir().join(format!("mm-cli-{}", std::process::id()));
        let file = dir.join("config.toml");
        let file_text = file.to_string_lossy().into_owned();
        let sentinels = [
            ("MY_MANAGER_TOKEN", "sentinel-manager-6b1e"),
            ("MM_APP_SECRET", "sentinel-app-secret-27c4"),
            ("MM_LOGIN_TOKEN", "sentinel-login-9a3f"),
            ("MM_QUOTE_TOKEN", "sentinel-quote-d05e"),
        ];
        let mut env = vec![("MM_CONFIG", file_text.as_str()), ("MM_APP_ID", "app")];
        env.extend(sentinels);
        let mut outputs = Vec::new();
        let mut run = async |args: &[&str], stdin: Option<&str>| {
            let output = mm(args, stdin, &env).await;
            let code = output.status.code();
            outputs.push(output);
            code
        };
        let profile = ["--profile", "work", "profile", "set"];
        for setting in [["base_url", url.as_str()], ["company_id", company.as_str()]] {
            assert_eq!(run(&[&profile[..], &setting].concat(), None).await, Some(0));
        }
        let by_reference = [
            &profile[..],
            &["manager_token", "--from-env", "MY_MANAGER_TOKEN"],
        ];
        assert_eq!(run(&by_reference.concat(), None).await, Some(0));
        // A secret on the command line, or piped without --plain-text: refused, not written.
        let app_secret = sentinels[1].1;
        let on_the_line = [&profile[..], &["app_secret", app_secret]].concat();
        assert_eq!(run(&on_the_line, None).await, Some(3));
        let piped = [&profile[..], &["app_secret"]].concat();
        assert_eq!(run(&piped, Some(app_secret)).await, Some(3));
        assert_eq!(
            run(&["--profile", "work", "profile", "show"], None).await,
            Some(0)
        );

        // Calls the sandbox refuses: a Manager token, a login token, a quote token it does
        // not know; an Open API key that is not one.
        let manager = [
            "--profile",
            "work",
            "manager",
            "products",
            "product-list",
            "--company-id",
            &company,
        ];
        assert_eq!(run(&manager, None).await, Some(5));
        let client = [
            "--profile",
            "work",
            "client",
            "customer",
            "find-customer-info",
        ];
        assert_ne!(run(&client, None).await, Some(0));
        let quote = [
            "--profile",
            "work",
            "manager",
            "quote",
            "quote-depth-ticks",
            "--body",
            "-",
        ];
        assert_ne!(
            run(&quote, Some(r#"{"symbol_list":[{"code":"EURUSD"}]}"#)).await,
            Some(0)
        );
        for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
            assert_eq!(run(&["completions", shell], None).await, Some(0));
        }
        assert_eq!(run(&["--help"], None).await, Some(0));

        let written = std::fs::read_to_string(&file).expect("the profile was written");
        assert!(written.contains("MY_MANAGER_TOKEN"), "{written}");
        std::fs::remove_dir_all(&dir).ok();
        for (_, secret) in sentinels {
            assert!(!written.contains(secret), "the config file holds {secret}");
            for output in &outputs {
                for stream in [&output.stdout, &output.stderr] {
                    let text = String::from_utf8_lossy(stream);
                    assert!(!text.contains(secret), "{secret} was printed: {text}");
                }
            }
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

/// A successful run's standard output, a JSON value per line.
fn json_lines(output: &Output) -> Vec<serde_json::Value> {
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(|line| serde_json::from_str(line).expect("each line is JSON"))
        .collect()
}

/// `text` with each trace id (a UUID, upstream's `x-` prefix or not) as `[trace]`, and the
/// sandbox's port as `[port]`: what differs between two runs.
fn redact(text: &str, port: Option<u16>) -> String {
    let mut out = String::new();
    for (i, word) in text.split(' ').enumerate() {
        if i > 0 {
            out.push(' ');
        }
        let bare = word.trim_end_matches([')', ',', '\n']);
        let id = bare.trim_start_matches("x-");
        if id.len() == 36 && id.chars().all(|c| c.is_ascii_hexdigit() || c == '-') {
            out.push_str(&word.replace(bare, "[trace]"));
        } else {
            out.push_str(word);
        }
    }
    match port {
        Some(port) => out.replace(&port.to_string(), "[port]"),
        None => out,
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn help_of_a_few_commands_as_users_read_it() {
    bounded(async {
        for (name, args) in [
            ("mm", &["--help"][..]),
            (
                "operation",
                &["manager", "products", "get-symbol-detail", "--help"],
            ),
            ("group", &["client", "trade", "--help"]),
            ("profile_set", &["profile", "set", "--help"]),
            ("callbacks_trigger", &["callbacks", "trigger", "--help"]),
        ] {
            let output = mm(args, None, &[]).await;
            assert!(output.status.success(), "{output:?}");
            insta::assert_snapshot!(
                format!("help_{name}"),
                String::from_utf8_lossy(&output.stdout)
            );
        }
    })
    .await;
}

/// A case of the error output: its snapshot's name, the arguments, standard input, the
/// environment.
type Case<'a> = (
    &'a str,
    Vec<&'a str>,
    Option<&'a str>,
    &'a [(&'a str, &'a str)],
);

#[tokio::test(flavor = "multi_thread")]
async fn error_output_names_the_class_the_code_and_the_trace() {
    bounded(async {
        let sandbox = Sandbox::start(Config::default()).await.unwrap();
        let url = sandbox.base_url().to_string();
        let port = sandbox.base_url().port();
        let cases: [Case<'_>; 6] = [
            (
                "usage_unknown_flag",
                vec!["manager", "products", "product-list", "--nope"],
                None,
                &[],
            ),
            (
                "usage_not_an_integer",
                vec![
                    "manager",
                    "products",
                    "get-symbol-detail",
                    "--symbol-id",
                    "two",
                ],
                None,
                &[],
            ),
            (
                "input_body_not_json",
                vec![
                    "--sandbox",
                    &url,
                    "manager",
                    "products",
                    "product-list",
                    "--body",
                    "-",
                ],
                Some("{not json"),
                &[],
            ),
            (
                "config_no_login_token",
                vec![
                    "--sandbox",
                    &url,
                    "client",
                    "customer",
                    "find-customer-info",
                ],
                None,
                &[],
            ),
            (
                "refused_unknown_login_token",
                vec![
                    "--sandbox",
                    &url,
                    "client",
                    "customer",
                    "find-customer-info",
                ],
                None,
                &[("MM_LOGIN_TOKEN", "not-a-session")],
            ),
            (
                "unreachable",
                vec![
                    "--sandbox",
                    "http://127.0.0.1:9/",
                    "manager",
                    "products",
                    "product-list",
                    "--company-id",
                    "1",
                ],
                None,
                &[],
            ),
        ];
        for (name, args, stdin, env) in cases {
            let output = mm(&args, stdin, env).await;
            let shown = format!(
                "exit: {:?}\nstdout: {}\nstderr:\n{}",
                output.status.code(),
                String::from_utf8_lossy(&output.stdout),
                redact(&String::from_utf8_lossy(&output.stderr), port)
            );
            insta::assert_snapshot!(format!("error_{name}"), shown);
        }
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_market_data_stream_prints_its_events_as_json_lines() {
    bounded(async {
        let sandbox = Sandbox::start(Config::default()).await.unwrap();
        let url = sandbox.base_url().to_string();
        let args = [
            "--sandbox",
            &url,
            "stream",
            "market-data",
            "--product",
            "2:3:1",
            "--count",
            "3",
        ];
        let lines = json_lines(&mm(&args, None, &[]).await);
        assert_eq!(lines.len(), 3, "{lines:?}");
        assert_eq!(lines[0]["event"], "ticker_snapshot", "{lines:?}");
        assert_eq!(lines[0]["data"][0]["symbol_id"], 2);
        for push in &lines[1..] {
            assert_eq!(push["event"], "ticker", "{push}");
            assert_eq!(push["data"]["product"]["symbol_id"], 2, "{push}");
            // Prices as the push wrote them: decimal strings, never floats.
            assert!(push["data"]["bid"].is_string(), "{push}");
        }
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn all_pages_of_a_paged_operation_are_printed_as_json_lines() {
    bounded(async {
        let sandbox = Sandbox::start(Config::default()).await.unwrap();
        let client = mm_sdk::sandbox::builder(&sandbox).build().unwrap();
        let mut registered = Vec::new();
        for n in 0..5 {
            let email = format!("pages-{n}@example.com");
            let registration = mm_sdk_test_support::sandbox::registration(&email, "1");
            let customer = client
                .back_office()
                .register_customer(registration)
                .await
                .unwrap();
            registered.push(customer.to_string());
        }
        let url = sandbox.base_url().to_string();
        let args = [
            "--sandbox",
            &url,
            "manager",
            "customer",
            "customer-list",
            "--size",
            "2",
            "--all",
        ];
        let rows = json_lines(&mm(&args, None, &[]).await);
        let mut listed: Vec<String> = rows
            .iter()
            .map(|row| row["customerNo"].as_str().unwrap_or_default().to_owned())
            .collect();
        listed.sort();
        registered.sort();
        assert_eq!(
            listed, registered,
            "three pages of two, every customer once"
        );
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_flows_register_adjust_a_balance_and_sign_into_the_iframe() {
    bounded(async {
        let sandbox = Sandbox::start(Config::default()).await.unwrap();
        let url = sandbox.base_url().to_string();
        let password = "a password typed, not in argv";
        let flows = ["--sandbox", url.as_str(), "flows"];
        let email = "flows@example.com";
        let register = [
            &flows[..],
            &["register", "--email", email, "--account", "USDT:1"],
        ]
        .concat();
        let registered = mm(&register, Some(password), &[]).await;
        assert_eq!(registered.status.code(), Some(0), "{registered:?}");
        let printed: serde_json::Value = serde_json::from_slice(&registered.stdout).unwrap();
        let customer_no = printed["customerNo"]
            .as_str()
            .expect("a customer number")
            .to_owned();

        let adjust = [
            &flows[..],
            &[
                "adjust-balance",
                "--customer-no",
                &customer_no,
                "--currency",
                "USDT",
                "--amount",
                "25.50",
            ],
        ]
        .concat();
        let adjusted = mm(&adjust, None, &[]).await;
        assert_eq!(adjusted.status.code(), Some(0), "{adjusted:?}");
        let client = mm_sdk::sandbox::builder(&sandbox).build().unwrap();
        let request = mm_sdk::manager::funds::GetBalanceRequest::new(customer_no.as_str(), 1);
        let balances = client
            .manager()
            .funds()
            .get_balance(&request)
            .await
            .unwrap();
        assert_eq!(balances[0].balance, "25.50".parse().unwrap());

        let iframe = [&flows[..], &["iframe-url", "--email", email]].concat();
        let signed_in = mm(&iframe, Some(password), &[]).await;
        assert_eq!(signed_in.status.code(), Some(0), "{signed_in:?}");
        let printed: serde_json::Value = serde_json::from_slice(&signed_in.stdout).unwrap();
        assert!(
            printed["url"].as_str().unwrap().contains("/home?tsource="),
            "{printed}"
        );
        // The wrong password: refused.
        let refused = mm(&iframe, Some("not it"), &[]).await;
        assert_eq!(refused.status.code(), Some(5), "{refused:?}");
        for output in [&registered, &signed_in, &refused] {
            assert!(!String::from_utf8_lossy(&output.stderr).contains(password));
        }
    })
    .await;
}
