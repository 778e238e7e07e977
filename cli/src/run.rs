//! What a command does: build the request from `--body` and the flags, send it through the
//! SDK's call path (`mm_sdk::Call::json`, the operation's own types), print the answer's
//! `data` as the server wrote it once its type has read it; or the raw call, the sandbox, the
//! completions.

use std::collections::BTreeMap;
use std::io::Read;

use clap::ArgMatches;
use mm_sdk::{Api, Error, ErrorKind, RawCall};
use mm_sdk_core::Call;
use serde_json::value::RawValue;

use crate::config::Settings;
use crate::output::{self, Format};
use crate::table::{Command, Field, Table};

/// Exit codes, one per class of failure (the README lists them).
pub(crate) const EXIT_OTHER: u8 = 1;
/// The command line is wrong: clap's own code.
pub(crate) const EXIT_USAGE: u8 = 2;
/// The configuration or a credential is missing or wrong.
pub(crate) const EXIT_CONFIG: u8 = 3;
/// The request does not fit the operation (a value of the wrong type, a broken rule).
pub(crate) const EXIT_INPUT: u8 = 4;
/// The platform refused the credentials.
pub(crate) const EXIT_AUTH: u8 = 5;
/// The platform answered with an error code.
pub(crate) const EXIT_REFUSED: u8 = 6;
/// Too many requests.
pub(crate) const EXIT_RATE_LIMITED: u8 = 7;
/// The platform could not be reached, or did not answer in time.
pub(crate) const EXIT_UNREACHABLE: u8 = 8;
/// The answer could not be read.
pub(crate) const EXIT_ANSWER: u8 = 9;

/// Runs the command `matches` chose; returns the exit code.
pub(crate) async fn run(table: &Table, root: &mut clap::Command, matches: &ArgMatches) -> u8 {
    let format = Format::choose(matches.get_one::<String>("output").map(String::as_str));
    let profile = matches.get_one::<String>("profile").map(String::as_str);
    let sandbox = matches.get_one::<String>("sandbox").map(String::as_str);
    let outcome = match matches.subcommand() {
        Some(("completions", sub)) => {
            if let Some(shell) = sub.get_one::<clap_complete::Shell>("shell") {
                clap_complete::generate(*shell, root, "mm", &mut std::io::stdout());
            }
            return 0;
        }
        Some(("sandbox", sub)) => return serve_sandbox(sub).await,
        Some(("profile", sub)) => {
            let (name, _) = crate::config::profile_name(profile);
            return match crate::profile::run(sub, &name) {
                Ok(text) => {
                    print!("{text}");
                    0
                }
                Err(error) => report(&error),
            };
        }
        Some(("stream", sub)) => {
            let streamed = match Settings::load(profile, sandbox).and_then(|s| s.client()) {
                Ok(mm) => crate::stream::run(sub, &mm).await,
                Err(error) => Err(error),
            };
            return streamed.map_or_else(|error| report(&error), |()| 0);
        }
        Some(("flows", sub)) => match Settings::load(profile, sandbox).and_then(|s| s.client()) {
            Ok(mm) => crate::flows::run(sub, &mm)
                .await
                .map_err(Failure::Call)
                .and_then(|done| as_raw(&done)),
            Err(error) => Err(Failure::Call(error)),
        },
        Some(("callbacks", sub)) => crate::callbacks::run(sub)
            .await
            .map_err(Failure::Call)
            .and_then(|answers| as_raw(&answers)),
        Some(("api", sub)) => match Settings::load(profile, sandbox) {
            Ok(settings) => raw(sub, &settings).await,
            Err(error) => Err(Failure::Call(error)),
        },
        Some((api, sub)) => {
            let Some((group, sub)) = sub.subcommand() else {
                return EXIT_USAGE;
            };
            let Some((name, sub)) = sub.subcommand() else {
                return EXIT_USAGE;
            };
            let Some(command) = table
                .commands
                .iter()
                .find(|c| c.api == api && c.group == group && c.command == name)
            else {
                return EXIT_USAGE;
            };
            let settings = match Settings::load(profile, sandbox) {
                Ok(settings) => settings,
                Err(error) => return report(&error),
            };
            if command.paged && sub.get_flag("all") {
                return every_row(command, sub, &settings)
                    .await
                    .map_or_else(|failure| failure.report(), |()| 0);
            }
            operation(command, sub, &settings).await
        }
        None => return EXIT_USAGE,
    };
    match outcome {
        Ok(data) => match output::print(&data, format) {
            Ok(()) => 0,
            // A closed pipe (`mm ... | head`) is not a failure of the call.
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => 0,
            Err(e) => {
                eprintln!("error: cannot print the answer: {e}");
                EXIT_OTHER
            }
        },
        Err(failure) => failure.report(),
    }
}

/// Why a command failed.
#[derive(Debug)]
enum Failure {
    /// The command line: a flag's value, the body's file.
    Usage(String),
    /// The call.
    Call(Error),
}

impl Failure {
    /// Prints it; its exit code.
    fn report(self) -> u8 {
        match self {
            Self::Usage(message) => {
                eprintln!("error: {message}");
                EXIT_USAGE
            }
            Self::Call(error) => report(&error),
        }
    }
}

impl From<Error> for Failure {
    fn from(error: Error) -> Self {
        Self::Call(error)
    }
}

/// What a call of one operation of the table needs: the operation, its body, its arguments,
/// the login token where it takes one, the runtime.
struct Prepared {
    op: &'static mm_sdk_core::Operation<'static>,
    body: Vec<u8>,
    arguments: Vec<Option<String>>,
    token: Option<String>,
    runtime: mm_sdk_core::Runtime,
}

impl Prepared {
    fn new(command: &Command, matches: &ArgMatches, settings: &Settings) -> Result<Self, Failure> {
        let Some(op) = mm_sdk_generated::operations()
            .find(|op| op.api.as_str() == command.api && op.id == command.id)
        else {
            return Err(Failure::Usage(format!(
                "`{} {}` is not compiled into this `mm`",
                command.api, command.id
            )));
        };
        let body = body(command, matches)?;
        let mut arguments: Vec<Option<String>> = Vec::new();
        for argument in &command.arguments {
            if arguments.len() <= argument.index {
                arguments.resize(argument.index + 1, None);
            }
            arguments[argument.index] = matches
                .get_one::<String>(&format!("arg:{}", argument.index))
                .cloned();
        }
        // The customer's login token never goes on the command line (where shell history and
        // `ps` would keep it): the environment, the profile or a prompt gives it.
        let token = if command.per_call_token {
            Some(settings.login_token()?)
        } else {
            None
        };
        Ok(Self {
            op,
            body,
            arguments,
            token,
            runtime: settings.runtime()?,
        })
    }

    fn arguments(&self) -> Vec<Option<&str>> {
        self.arguments.iter().map(Option::as_deref).collect()
    }
}

/// One operation of the table.
async fn operation(
    command: &Command,
    matches: &ArgMatches,
    settings: &Settings,
) -> Result<Box<RawValue>, Failure> {
    let call = Prepared::new(command, matches, settings)?;
    let token = call.token.as_deref();
    Ok(
        Call::json(&call.runtime, call.op, token, call.arguments(), &call.body)
            .data_as_sent()
            .await?,
    )
}

/// `--all`: every row of every page, one line of JSON each, as the server wrote it; the
/// pages and rows so far on standard error when it is a terminal.
async fn every_row(
    command: &Command,
    matches: &ArgMatches,
    settings: &Settings,
) -> Result<(), Failure> {
    use futures::StreamExt;
    use std::io::IsTerminal;
    let call = Prepared::new(command, matches, settings)?;
    let Some(paging) = call.op.paging else {
        return Err(Failure::Usage(format!("`{}` does not page", command.id)));
    };
    let pager = mm_sdk_core::Pager::<Box<RawValue>, serde::de::IgnoredAny>::json(
        &call.runtime,
        call.op,
        call.token.as_deref(),
        call.arguments(),
        &call.body,
    );
    let progress = std::io::stderr().is_terminal();
    let (mut pages, mut rows) = (0_u64, 0_u64);
    let mut stream = std::pin::pin!(pager.pages());
    while let Some(page) = stream.next().await {
        let page = page?;
        for row in output::rows(&page, paging.items).map_err(Failure::Usage)? {
            match output::json_line(row.get()) {
                Ok(true) => rows += 1,
                Ok(false) => return Ok(()),
                Err(e) => return Err(Failure::Usage(format!("cannot print: {e}"))),
            }
        }
        pages += 1;
        if progress {
            eprint!("\r{pages} page(s), {rows} row(s)");
        }
    }
    if progress {
        eprintln!();
    }
    Ok(())
}

/// The request: `--body` (or `{}`), each field flag set over it, its value typed by the
/// field's schema. Numbers keep the digits typed (no float on the way).
fn body(command: &Command, matches: &ArgMatches) -> Result<Vec<u8>, Failure> {
    // Raw values: the body's numbers go on as they were written.
    let mut body: BTreeMap<String, Box<RawValue>> = BTreeMap::new();
    if let Some(source) = matches.get_one::<String>("body") {
        let text = read_body(source)?;
        body = serde_json::from_str(&text)
            .map_err(|e| Failure::Usage(format!("--body {source}: not a JSON object: {e}")))?;
    }
    for field in &command.fields {
        let Some(flag) = &field.flag else { continue };
        let Some(text) = matches.get_one::<String>(&format!("field:{}", field.name)) else {
            continue;
        };
        body.insert(field.name.clone(), flag_value(field, flag, text)?);
    }
    serde_json::to_vec(&body).map_err(|e| Failure::Usage(format!("the request: {e}")))
}

/// A flag's text as the field's JSON value, written as the request will carry it: a string
/// stays text; an integer, a number or a boolean must read as one. A number keeps the digits
/// typed (`0.1000000000000000055` is sent as typed, never through a float).
fn flag_value(field: &Field, flag: &str, text: &str) -> Result<Box<RawValue>, Failure> {
    let wrong = |what: &str| Failure::Usage(format!("--{flag} {text}: not {what}"));
    let json = match field.kind.as_str() {
        "integer" => text
            .parse::<i64>()
            .map_err(|_| wrong("an integer"))?
            .to_string(),
        // JSON's number syntax, checked by reading it; the text itself is sent.
        "number" => {
            serde_json::from_str::<serde_json::Number>(text).map_err(|_| wrong("a number"))?;
            text.to_owned()
        }
        "boolean" => text
            .parse::<bool>()
            .map_err(|_| wrong("true or false"))?
            .to_string(),
        _ => serde_json::Value::String(text.to_owned()).to_string(),
    };
    RawValue::from_string(json).map_err(|e| Failure::Usage(format!("--{flag} {text}: {e}")))
}

fn read_body(source: &str) -> Result<String, Failure> {
    let mut text = String::new();
    let read = if source == "-" {
        std::io::stdin().read_to_string(&mut text).map(|_| ())
    } else {
        std::fs::read_to_string(source).map(|t| text = t)
    };
    read.map_err(|e| Failure::Usage(format!("--body {source}: {e}")))?;
    Ok(text)
}

/// `mm api <api> <path> [--body FILE]`: a path the specs lack, through the SDK's raw call.
async fn raw(matches: &ArgMatches, settings: &Settings) -> Result<Box<RawValue>, Failure> {
    let api = match matches.get_one::<String>("api").map(String::as_str) {
        Some("manager") => Api::Manager,
        Some("auth2") => Api::Auth2,
        _ => Api::Client,
    };
    let path = matches
        .get_one::<String>("path")
        .cloned()
        .unwrap_or_default();
    let mut call = RawCall::post(api, path);
    if let Some(source) = matches.get_one::<String>("body") {
        let text = read_body(source)?;
        let body = serde_json::from_str(&text)
            .map_err(|e| Failure::Usage(format!("--body {source}: not JSON: {e}")))?;
        call = call.json(body);
    }
    if api == Api::Manager {
        call = call.as_manager();
    }
    let runtime = settings.runtime()?;
    let data = Call::raw(&runtime, &call, mm_sdk_generated::raw_headers(api)).await?;
    as_raw(&data)
}

/// `value` as the JSON text printed.
fn as_raw(value: &serde_json::Value) -> Result<Box<RawValue>, Failure> {
    serde_json::value::to_raw_value(value)
        .map_err(|e| Failure::Usage(format!("the answer cannot be written as JSON: {e}")))
}

/// `mm sandbox`: runs until interrupted.
async fn serve_sandbox(matches: &ArgMatches) -> u8 {
    let config = mm_sdk::sandbox::Config {
        state_file: matches.get_one::<String>("state").map(Into::into),
        answer_log: matches.get_one::<String>("log").map(Into::into),
        ..Default::default()
    };
    let port = matches.get_one::<u16>("port").copied().unwrap_or(0);
    let addr = std::net::SocketAddr::from(([127, 0, 0, 1], port));
    let sandbox = match mm_sdk::sandbox::Sandbox::start_on(addr, config).await {
        Ok(sandbox) => sandbox,
        Err(e) => {
            eprintln!("error: the sandbox did not start: {e}");
            return EXIT_OTHER;
        }
    };
    println!("{}", sandbox.base_url());
    eprintln!(
        "sandbox running; send commands to it with `mm --sandbox {}`; Ctrl-C stops it",
        sandbox.base_url()
    );
    let _ = tokio::signal::ctrl_c().await;
    0
}

/// Prints `error` (its message says upstream's code and its meaning, and the trace id) and
/// returns its class's exit code.
fn report(error: &Error) -> u8 {
    eprintln!("error: {error}");
    match error.kind() {
        ErrorKind::Config(_) | ErrorKind::MissingCredential(_) => EXIT_CONFIG,
        ErrorKind::InvalidInput(_) | ErrorKind::BrokenRule(_) => EXIT_INPUT,
        ErrorKind::RateLimited { .. } => EXIT_RATE_LIMITED,
        ErrorKind::Api(_) | ErrorKind::KeyBanned { .. } => {
            match error.code().and_then(|c| c.category()) {
                Some(mm_sdk_core::codes::Category::Authentication) => EXIT_AUTH,
                _ => EXIT_REFUSED,
            }
        }
        ErrorKind::Transport { .. } | ErrorKind::Timeout | ErrorKind::Deadline { .. } => {
            EXIT_UNREACHABLE
        }
        ErrorKind::Status { .. }
        | ErrorKind::NotJson { .. }
        | ErrorKind::Decode { .. }
        | ErrorKind::MissingData
        | ErrorKind::TooLarge { .. } => EXIT_ANSWER,
        _ => EXIT_OTHER,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(kind: &str) -> Field {
        Field {
            name: "requestNum".into(),
            flag: Some("request-num".into()),
            kind: kind.into(),
            format: None,
            concept: None,
            values: Vec::new(),
            codes: Vec::new(),
            required: false,
            doc: None,
        }
    }

    fn sent(kind: &str, text: &str) -> Result<String, String> {
        match flag_value(&field(kind), "request-num", text) {
            Ok(raw) => Ok(raw.get().to_owned()),
            Err(Failure::Usage(message)) => Err(message),
            Err(Failure::Call(error)) => Err(error.to_string()),
        }
    }

    #[test]
    fn a_decimal_flag_is_sent_with_the_digits_typed() {
        // More digits than a float holds: sent as typed, not rounded.
        assert_eq!(
            sent("number", "0.1000000000000000055511151231257827"),
            Ok("0.1000000000000000055511151231257827".into())
        );
        assert_eq!(sent("number", "-12.50"), Ok("-12.50".into()));
        for not_json in ["+1", "1.", ".5", "1e", "0x10", "NaN", "1,5"] {
            assert_eq!(
                sent("number", not_json),
                Err(format!("--request-num {not_json}: not a number"))
            );
        }
    }

    #[test]
    fn integers_booleans_and_strings_are_typed_by_the_schema() {
        assert_eq!(sent("integer", "42"), Ok("42".into()));
        assert_eq!(
            sent("integer", "4.2"),
            Err("--request-num 4.2: not an integer".into())
        );
        assert_eq!(sent("boolean", "true"), Ok("true".into()));
        assert_eq!(
            sent("boolean", "yes"),
            Err("--request-num yes: not true or false".into())
        );
        assert_eq!(
            sent("string", "a \"quoted\" name"),
            Ok(r#""a \"quoted\" name""#.into())
        );
    }
}
