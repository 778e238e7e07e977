//! Every operation of the specs through `mm`, from its documented example, against one `mm
//! sandbox` (a child process, logging each request and answer with `--log`): once with each
//! scalar field as a flag (the rest in `--body`), once with the whole example as `--body`. Both
//! requests must be the one the SDK sends for the same example, and what `mm` prints must be
//! the answer's `data`. No code per operation: the command table says which field has which
//! flag.

use std::collections::BTreeMap;
use std::process::Stdio;
use std::time::Duration;

use futures::StreamExt;
use mm_sdk::sandbox::Config;
use mm_sdk_core::{Encoding, Runtime};
use mm_sdk_test_support::{bounded_for, sandbox as support};
use mm_sdk_tests::every_operation::{Sendable, TOKEN, sendable};
use serde_json::{Map, Value};

mod common;

/// Headers that differ between any two calls: the trace id, the idempotency key, the time of
/// sending and an Open API signature (over that time; the sandbox checks it), and what the
/// body's length depends on (a traced body's trace).
const PER_CALL_HEADERS: [&str; 5] = [
    "trace",
    "idempotency-key",
    "timestamp",
    "signature",
    "content-length",
];

/// One run of `mm`: its arguments, its standard input, and what came of it.
struct Run {
    args: Vec<String>,
    stdin: Option<String>,
    status: Option<i32>,
    stdout: Vec<u8>,
    stderr: String,
}

impl Run {
    async fn of(args: Vec<String>, stdin: Option<String>, env: &[(&str, &str)]) -> Self {
        let arguments: Vec<&str> = args.iter().map(String::as_str).collect();
        let mut env = env.to_vec();
        env.push(("MM_LOGIN_TOKEN", TOKEN));
        let output = common::mm(&arguments, stdin.as_deref(), &env).await;
        Self {
            args,
            stdin,
            status: output.status.code(),
            stdout: output.stdout,
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }

    fn describe(&self) -> String {
        format!(
            "mm {}\nstdin: {}\nexit: {:?}\nstdout: {}\nstderr: {}",
            self.args.join(" "),
            self.stdin.as_deref().unwrap_or("(none)"),
            self.status,
            String::from_utf8_lossy(&self.stdout),
            self.stderr
        )
    }
}

/// The operation's entry in the command table `mm` is built from.
fn command<'t>(table: &'t Value, sendable: &Sendable) -> &'t Value {
    table["commands"]
        .as_array()
        .expect("commands")
        .iter()
        .find(|c| c["api"] == sendable.op.api.as_str() && c["id"] == sendable.op.id)
        .unwrap_or_else(|| panic!("`{}` is not in the command table", sendable.op.id))
}

/// `"<api> <operationId>"`, unique across the specs.
fn name(api: &str, id: &str) -> String {
    format!("{api} {id}")
}

/// The operation's first request example, as a tool gives it (a traced one's `data`).
fn request(sendable: &Sendable) -> Value {
    match sendable.op.encoding {
        Encoding::Traced => sendable.requests[0]["data"].clone(),
        _ => sendable.requests[0].clone(),
    }
}

/// A flag's text for a JSON value, when one flag can carry it.
fn flag_text(value: &Value) -> Option<String> {
    match value {
        Value::String(text) => Some(text.clone()),
        Value::Number(number) => Some(number.to_string()),
        Value::Bool(flag) => Some(flag.to_string()),
        _ => None,
    }
}

/// The two command lines of `sendable`: by flags, by body. Each is its arguments and its
/// standard input.
fn command_lines(
    url: &str,
    command: &Value,
    sendable: &Sendable,
    request: &Value,
) -> [(Vec<String>, Option<String>); 2] {
    let mut base: Vec<String> = vec![
        "--sandbox".into(),
        url.into(),
        command["api"].as_str().unwrap().into(),
        command["group"].as_str().unwrap().into(),
        command["command"].as_str().unwrap().into(),
    ];
    let values = sendable.header_values();
    for argument in command["arguments"].as_array().unwrap() {
        let index = usize::try_from(argument["index"].as_u64().unwrap()).unwrap();
        if let Some(Some(value)) = values.get(index) {
            base.push(format!("--{}", argument["flag"].as_str().unwrap()));
            base.push(value.clone());
        }
    }
    let by_body = if sendable.model.body.empty {
        (base.clone(), None)
    } else {
        let mut args = base.clone();
        args.extend(["--body".to_owned(), "-".to_owned()]);
        (args, Some(request.to_string()))
    };
    let mut args = base;
    let mut rest = Map::new();
    if let Value::Object(fields) = request {
        for (name, value) in fields {
            let flag = command["fields"]
                .as_array()
                .unwrap()
                .iter()
                .find(|f| f["name"] == name.as_str())
                .and_then(|f| f["flag"].as_str());
            match (flag, flag_text(value)) {
                (Some(flag), Some(text)) => {
                    args.push(format!("--{flag}"));
                    args.push(text);
                }
                _ => {
                    rest.insert(name.clone(), value.clone());
                }
            }
        }
    }
    let stdin = (!rest.is_empty()).then(|| {
        args.extend(["--body".to_owned(), "-".to_owned()]);
        Value::Object(rest).to_string()
    });
    [(args, stdin), by_body]
}

/// An answer as `mm sandbox --log` writes it.
#[derive(Debug, serde::Deserialize)]
struct Logged {
    api: String,
    operation: String,
    request: LoggedRequest,
    answer: Value,
}

#[derive(Debug, serde::Deserialize)]
struct LoggedRequest {
    path: String,
    query: Option<String>,
    headers: BTreeMap<String, String>,
    body: String,
}

/// Every answer of the log so far.
fn read_log(path: &std::path::Path) -> Vec<Logged> {
    std::fs::read_to_string(path)
        .expect("the answer log")
        .lines()
        .map(|line| serde_json::from_str(line).expect("a line of the log is an answer"))
        .collect()
}

/// `mm sandbox --log log`, killed when dropped, and its URL.
async fn mm_sandbox(log: &std::path::Path) -> (tokio::process::Child, String) {
    use tokio::io::AsyncBufReadExt;
    let mut child = tokio::process::Command::new(env!("CARGO_BIN_EXE_mm"))
        .arg("sandbox")
        .arg("--log")
        .arg(log)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .expect("mm sandbox starts");
    let stdout = child.stdout.take().expect("stdout");
    let mut url = String::new();
    tokio::io::BufReader::new(stdout)
        .read_line(&mut url)
        .await
        .expect("mm sandbox prints its URL");
    (child, url.trim().to_owned())
}

/// What two clients must agree on: the path, the query, the headers but those of one call,
/// and the body as JSON (a traced body's `data`, its trace being one call's; a multipart
/// body with its boundary, one call's, named `BOUNDARY`).
fn sent(
    answer: &Logged,
    encoding: Encoding,
) -> (String, Option<Value>, BTreeMap<String, String>, Value) {
    let request = &answer.request;
    let mut headers = request.headers.clone();
    headers.retain(|name, _| !PER_CALL_HEADERS.contains(&name.as_str()));
    let boundary = headers
        .get("content-type")
        .and_then(|t| t.split_once("boundary="))
        .map(|(_, b)| b.to_owned());
    let mut text = request.body.clone();
    if let Some(boundary) = boundary {
        text = text.replace(&boundary, "BOUNDARY");
        headers.insert(
            "content-type".into(),
            "multipart/form-data; boundary=BOUNDARY".into(),
        );
    }
    let body: Value = if text.is_empty() {
        Value::Null
    } else {
        serde_json::from_str(&text).unwrap_or(Value::String(text))
    };
    let body = match encoding {
        Encoding::Traced => body["data"].clone(),
        _ => body,
    };
    // A quote request's query carries `{trace, data}` as JSON: its data is compared.
    let query = request.query.as_deref().map(|query| {
        let pairs: Map<String, Value> = url::form_urlencoded::parse(query.as_bytes())
            .map(|(name, value)| {
                let value = match serde_json::from_str::<Value>(&value) {
                    Ok(Value::Object(mut object)) => {
                        object.remove("trace");
                        Value::Object(object)
                    }
                    _ => Value::String(value.into_owned()),
                };
                (name.into_owned(), value)
            })
            .collect();
        Value::Object(pairs)
    });
    (request.path.clone(), query, headers, body)
}

#[tokio::test(flavor = "multi_thread")]
async fn every_operation_from_flags_and_from_a_body_sends_what_the_sdk_sends() {
    bounded_for(Duration::from_secs(900), async {
        let dir = std::env::temp_dir().join(format!("mm-every-operation-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let log = dir.join("answers.jsonl");
        let (_sandbox, url) = mm_sandbox(&log).await;
        let base: url::Url = url.parse().expect("a URL");
        let config = Config::default();
        // An Open API key, for the operations of the Open API: the second one of a customer,
        // since `delete_api`'s example deletes the first.
        let mm = mm_sdk::sandbox::builder_at(base.clone(), &config)
            .build()
            .unwrap();
        let email = "every@example.com";
        let (_, session) = support::customer(&mm, email, "1").await;
        let code = config.verify_code.clone();
        let first = support::api_key(&mm, email, &session, &code, "first").await;
        assert_eq!(first.key.id, 1, "the key `delete_api`'s example deletes");
        let grant = support::api_key(&mm, email, &session, &code, "second").await;
        let key_id = grant.key.api_key.clone();
        let private_key = grant.private_key.expose_secret().to_owned();
        let env = [
            ("MM_OPEN_API_KEY", key_id.as_str()),
            ("MM_OPEN_API_PRIVATE_KEY", private_key.as_str()),
        ];
        let runtime: Runtime = mm_sdk::sandbox::builder_at(base, &config)
            .open_api_key(grant.open_api_key().unwrap())
            .build()
            .unwrap();
        let table: Value = serde_json::from_str(include_str!("../src/commands.json")).unwrap();
        let areas = mm_sdk_tests::areas();
        let operations = sendable(&areas);
        // The log is written before each answer is sent: what is in it now is the setup's.
        let setup = read_log(&log).len();
        // Four operations at a time; each one's three calls one after the other, so that its
        // answers, told apart by operation, come in the order sent.
        let runs: BTreeMap<String, Vec<Run>> = futures::stream::iter(&operations)
            .map(|sendable| {
                let (table, url, env, runtime) = (&table, &url, &env, &runtime);
                async move {
                    let command = command(table, sendable);
                    let _ = sendable.send(runtime, 0, TOKEN).await;
                    let mut runs = Vec::new();
                    for (args, stdin) in command_lines(url, command, sendable, &request(sendable)) {
                        runs.push(Run::of(args, stdin, env).await);
                    }
                    (name(sendable.op.api.as_str(), sendable.op.id), runs)
                }
            })
            .buffer_unordered(4)
            .collect()
            .await;
        let mut answers: BTreeMap<String, Vec<Logged>> = BTreeMap::new();
        for answer in read_log(&log).into_iter().skip(setup) {
            let key = name(&answer.api, &answer.operation);
            answers.entry(key).or_default().push(answer);
        }
        let mut failures = Vec::new();
        let mut flags_sent = 0;
        for sendable in &operations {
            let name = name(sendable.op.api.as_str(), sendable.op.id);
            let runs = &runs[&name];
            flags_sent += runs[0].args.iter().filter(|a| a.starts_with("--")).count();
            let [sdk, by_flags, by_body] = answers.get(&name).map_or(&[][..], Vec::as_slice) else {
                failures.push(format!(
                    "{name}: not three answers for three calls\n{}\n{}",
                    runs[0].describe(),
                    runs[1].describe()
                ));
                continue;
            };
            let expected = sent(sdk, sendable.op.encoding);
            for (run, answer) in runs.iter().zip([by_flags, by_body]) {
                let got = sent(answer, sendable.op.encoding);
                if got != expected {
                    failures.push(format!(
                        "{name}: mm sent\n{got:?}\nthe SDK sent\n{expected:?}\n{}",
                        run.describe()
                    ));
                    continue;
                }
                let envelope = &answer.answer;
                let succeeded = envelope["ok"] == Value::Bool(true) || envelope["ret"] == 200;
                if succeeded {
                    let printed: Result<Value, _> = serde_json::from_slice(&run.stdout);
                    let data = envelope.get("data").unwrap_or(&Value::Null);
                    match printed {
                        Ok(printed) if run.status == Some(0) && printed == *data => {}
                        _ => failures.push(format!(
                            "{name}: mm did not print the answer's data {data}\n{}",
                            run.describe()
                        )),
                    }
                } else if run.status == Some(0) {
                    failures.push(format!(
                        "{name}: refused ({envelope}), yet mm exited 0\n{}",
                        run.describe()
                    ));
                }
            }
        }
        assert!(
            failures.is_empty(),
            "{} of {} operations:\n\n{}",
            failures.len(),
            mm_sdk_generated::operations().count(),
            failures.join("\n\n")
        );
        assert!(flags_sent > 1000, "only {flags_sent} flags were given");
        std::fs::remove_dir_all(&dir).ok();
    })
    .await;
}
