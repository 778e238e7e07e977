//! What every request handler shares: the configuration, the state, the sandbox's clock, the
//! streams' hub, and the request being answered. The handlers, the streams and the server use
//! it; it uses only what lies below it (`model`, `hub` and the plain modules).

use std::collections::HashMap;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use axum::http::HeaderMap;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::config::Config;
use crate::envelope::Failure;
use crate::hub::Hub;
use crate::idempotency::Replays;
use crate::model::state::State;
use crate::spec::Operation;

/// What every request handler shares.
#[derive(Debug)]
pub(crate) struct Shared {
    pub(crate) config: Config,
    pub(crate) operations: HashMap<String, Operation>,
    pub(crate) state: Mutex<State>,
    pub(crate) answers: Mutex<Vec<Answer>>,
    /// The file of [`Config::answer_log`], open for appending.
    pub(crate) answer_log: Option<Mutex<std::fs::File>>,
    pub(crate) clock_offset_ms: AtomicI64,
    /// The WebSocket streams' counts, faults, feeds and Data Push log.
    pub(crate) streams: Hub,
    /// The answers kept for the Client API's idempotency keys.
    pub(crate) replays: Replays,
}

/// One answer the sandbox gave to an API call, with the request it answered.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Answer {
    /// The API: `client`, `manager` or `auth2`.
    pub api: &'static str,
    /// The operation's `operationId`.
    pub operation: String,
    /// The request, as it arrived.
    pub request: Request,
    /// The envelope sent.
    pub body: Value,
}

impl Answer {
    /// The answer as one JSON object: `api`, `operation`, `request` (`path`, `query`,
    /// `headers`, and `body`, its text) and `answer` (the envelope sent).
    pub fn to_json(&self) -> Value {
        serde_json::json!({
            "api": self.api,
            "operation": self.operation,
            "request": {
                "path": self.request.path,
                "query": self.request.query,
                "headers": self.request.headers,
                "body": String::from_utf8_lossy(&self.request.body),
            },
            "answer": self.body,
        })
    }
}

/// A request the sandbox received, kept with its [`Answer`]: lets a test compare what two
/// clients sent for the same call.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Request {
    /// The path, from the host's root.
    pub path: String,
    /// The query string, undecoded, when there is one.
    pub query: Option<String>,
    /// Every header, by lower-case name (a repeated header's values joined by `, `).
    pub headers: std::collections::BTreeMap<String, String>,
    /// The body as sent.
    pub body: Vec<u8>,
}

impl Shared {
    /// A sandbox's shared parts, its clock not moved, nothing answered yet.
    pub(crate) fn new(
        config: Config,
        operations: HashMap<String, Operation>,
        state: State,
        answer_log: Option<std::fs::File>,
    ) -> Self {
        Self {
            config,
            operations,
            state: Mutex::new(state),
            answers: Mutex::default(),
            answer_log: answer_log.map(Mutex::new),
            clock_offset_ms: AtomicI64::new(0),
            streams: Hub::default(),
            replays: Replays::default(),
        }
    }

    /// A default configuration and an empty state, for unit tests.
    #[cfg(test)]
    pub(crate) fn for_tests() -> Self {
        Self::new(Config::default(), HashMap::new(), State::default(), None)
    }

    /// The company id as upstream's answers carry it: a number.
    pub(crate) fn company_id(&self) -> i64 {
        self.config.company_id.parse().unwrap_or_default()
    }

    /// Milliseconds since the Unix epoch on the sandbox's clock.
    pub(crate) fn now_ms(&self) -> i64 {
        let wall = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX));
        wall.saturating_add(self.clock_offset_ms.load(Ordering::SeqCst))
    }

    /// `now + ttl` in milliseconds.
    pub(crate) fn expiry(&self, ttl: Duration) -> i64 {
        self.now_ms()
            .saturating_add(i64::try_from(ttl.as_millis()).unwrap_or(i64::MAX))
    }

    pub(crate) fn lock(&self) -> MutexGuard<'_, State> {
        // A handler that panicked cannot have left the state half-changed: every change is
        // made after all its checks passed.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Reads the state.
    pub(crate) fn read<R>(&self, f: impl FnOnce(&State) -> R) -> R {
        f(&self.lock())
    }

    /// Changes the state under one lock (so concurrent updates are never lost), then saves
    /// it if a state file is configured. `f` must check everything before changing anything.
    pub(crate) fn change<R>(
        &self,
        f: impl FnOnce(&mut State, i64) -> Result<R, Failure>,
    ) -> Result<R, Failure> {
        let now = self.now_ms();
        let mut state = self.lock();
        state.expire(now);
        let result = f(&mut state, now)?;
        if let Some(path) = &self.config.state_file
            && let Err(e) = state.save(path)
        {
            eprintln!("sandbox: {e}");
        }
        Ok(result)
    }
}

/// One API request: its headers, query string and body.
#[derive(Debug)]
pub(crate) struct Call<'a> {
    pub(crate) headers: &'a HeaderMap,
    pub(crate) query: Option<&'a str>,
    pub(crate) body: &'a [u8],
    /// Whether it came by an operation's Open API route: signed with an API key, whose
    /// customer it acts for, instead of carrying a login token.
    pub(crate) open_api: bool,
}

impl Call<'_> {
    /// A header's value; header names are case-insensitive (`Companyid` is `companyId`).
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// The `token` header, which the operation's checks already required.
    pub(crate) fn token(&self) -> Result<&str, Failure> {
        self.header("token").ok_or_else(Failure::token_missing)
    }

    /// A query parameter's value, decoded.
    pub(crate) fn query(&self, name: &str) -> Option<String> {
        url::form_urlencoded::parse(self.query?.as_bytes())
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.into_owned())
    }

    /// The JSON body as the operation's request type.
    pub(crate) fn body<T: DeserializeOwned>(&self) -> Result<T, Failure> {
        serde_json::from_slice(self.body).map_err(Failure::invalid)
    }
}
