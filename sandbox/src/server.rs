//! The HTTP server: one listener for the three APIs and the trading UI's pages, the header
//! checks every operation shares, and the handle that runs and stops it.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use axum::Json;
use axum::body::Bytes;
use axum::extract::State as Shared_;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use serde::de::DeserializeOwned;
use serde_json::Value;
use tokio::net::TcpListener;
use tokio::sync::oneshot;

use crate::config::Config;
use crate::envelope::{Failure, envelope};
use crate::spec::{Operation, operations};
use crate::state::State;
use crate::{auth2_api, client_api, manager_api, open_api, trading_ui};

/// Why the sandbox could not start.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StartError {
    /// The listening address could not be bound.
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        /// The address asked for.
        addr: SocketAddr,
        /// What the operating system said.
        source: std::io::Error,
    },
    /// The state file or the embedded specs could not be read.
    #[error("{0}")]
    Load(String),
}

/// A running sandbox. Dropping it stops the server.
#[derive(Debug)]
pub struct Sandbox {
    addr: SocketAddr,
    shared: Arc<Shared>,
    stop: Option<oneshot::Sender<()>>,
}

impl Sandbox {
    /// Starts a sandbox on `127.0.0.1` at a free port.
    pub async fn start(config: Config) -> Result<Self, StartError> {
        Self::start_on(SocketAddr::from(([127, 0, 0, 1], 0)), config).await
    }

    /// Starts a sandbox listening on `addr`.
    pub async fn start_on(addr: SocketAddr, config: Config) -> Result<Self, StartError> {
        let state = match &config.state_file {
            Some(path) => State::load(path).map_err(StartError::Load)?,
            None => State::default(),
        };
        let shared = Arc::new(Shared {
            operations: operations().map_err(StartError::Load)?,
            config,
            state: Mutex::new(state),
            answers: Mutex::new(Vec::new()),
            clock_offset_ms: AtomicI64::new(0),
        });
        let listener = TcpListener::bind(addr)
            .await
            .map_err(|source| StartError::Bind { addr, source })?;
        let addr = listener
            .local_addr()
            .map_err(|source| StartError::Bind { addr, source })?;
        let app = axum::Router::new()
            .fallback(dispatch)
            .with_state(shared.clone());
        let (stop, stopped) = oneshot::channel::<()>();
        tokio::spawn(async move {
            let server = axum::serve(listener, app).with_graceful_shutdown(async {
                let _ = stopped.await;
            });
            if let Err(e) = server.await {
                eprintln!("sandbox server stopped: {e}");
            }
        });
        Ok(Self {
            addr,
            shared,
            stop: Some(stop),
        })
    }

    /// Where the sandbox listens.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:<port>`: the base URL of the Client, Manager and Auth2 APIs and of
    /// the trading UI's pages alike (their paths do not overlap).
    pub fn base_url(&self) -> url::Url {
        url::Url::parse(&format!("http://{}", self.addr))
            .unwrap_or_else(|e| unreachable!("a socket address makes a URL: {e}"))
    }

    /// The configuration it runs with: the company id and credentials to use.
    pub fn config(&self) -> &Config {
        &self.shared.config
    }

    /// Moves the sandbox's clock forward, so tests can expire tokens and codes without
    /// waiting.
    pub fn advance_clock(&self, by: Duration) {
        let ms = i64::try_from(by.as_millis()).unwrap_or(i64::MAX);
        self.shared.clock_offset_ms.fetch_add(ms, Ordering::SeqCst);
    }

    /// Every answer given so far, oldest first, when [`Config::record_answers`] is on: lets
    /// contract tests check each against the specs.
    pub fn answers(&self) -> Vec<Answer> {
        self.shared
            .answers
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// The current balance of a trading account, in its currency, or `None` if there is no
    /// such account: lets tests check what the API reports against what the sandbox holds.
    pub fn balance(&self, customer_no: &str, account_id: i64) -> Option<f64> {
        let state = self.shared.lock();
        let customer = state.customer(customer_no)?;
        let account = customer
            .accounts
            .iter()
            .find(|a| a.account_id == account_id)?;
        Some(account.balance_micros as f64 / crate::state::MICROS)
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

/// What every request handler shares.
#[derive(Debug)]
pub(crate) struct Shared {
    pub(crate) config: Config,
    operations: HashMap<String, Operation>,
    state: Mutex<State>,
    answers: Mutex<Vec<Answer>>,
    clock_offset_ms: AtomicI64,
}

/// One answer the sandbox gave to an API call.
#[derive(Debug, Clone, PartialEq)]
pub struct Answer {
    /// The API: `client`, `manager` or `auth2`.
    pub api: &'static str,
    /// The operation's `operationId`.
    pub operation: String,
    /// The envelope sent.
    pub body: Value,
}

impl Shared {
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

    fn lock(&self) -> MutexGuard<'_, State> {
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

/// One API request: its headers and body.
#[derive(Debug)]
pub(crate) struct Call<'a> {
    headers: &'a HeaderMap,
    body: &'a [u8],
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

    /// The JSON body as the operation's request type.
    pub(crate) fn body<T: DeserializeOwned>(&self) -> Result<T, Failure> {
        serde_json::from_slice(self.body).map_err(Failure::invalid)
    }
}

async fn dispatch(
    Shared_(shared): Shared_<Arc<Shared>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if method == Method::GET {
        return trading_ui::page(&shared, &uri);
    }
    let trace = format!("x-{}", uuid::Uuid::new_v4());
    let Some(operation) = shared.operations.get(uri.path()) else {
        return if method == Method::POST {
            let body = envelope(&trace, Err(Failure::no_such_operation(uri.path())));
            Json(body).into_response()
        } else {
            StatusCode::METHOD_NOT_ALLOWED.into_response()
        };
    };
    let call = Call {
        headers: &headers,
        body: &body,
    };
    let result = check_headers(&shared.config, operation, &call)
        .and_then(|()| handle(&shared, operation, &call));
    let body = envelope(&trace, result);
    if shared.config.record_answers {
        let answer = Answer {
            api: operation.api,
            operation: operation.id.clone(),
            body: body.clone(),
        };
        shared
            .answers
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(answer);
    }
    Json(body).into_response()
}

/// The checks every operation shares: the headers its spec marks required are present, and
/// well formed where the sandbox can tell.
fn check_headers(config: &Config, operation: &Operation, call: &Call<'_>) -> Result<(), Failure> {
    for name in &operation.required_headers {
        let value = call.header(name);
        match name.as_str() {
            "token" if value.is_none_or(str::is_empty) => return Err(Failure::token_missing()),
            "companyid" | "company" => match value {
                None | Some("") => return Err(Failure::company_missing()),
                Some(id) if !id.bytes().all(|b| b.is_ascii_digit()) => {
                    return Err(Failure::invalid(format!(
                        "company id `{id}` is not a number"
                    )));
                }
                Some(id) if id != config.company_id => return Err(Failure::unknown_company()),
                Some(_) => {}
            },
            "trace" => match value {
                None | Some("") => return Err(Failure::header("trace", "is missing")),
                Some(trace) if trace.len() > 128 => {
                    return Err(Failure::header("trace", "is longer than 128 characters"));
                }
                Some(_) => {}
            },
            _ if value.is_none_or(str::is_empty) => {
                return Err(Failure::header(name, "is missing"));
            }
            _ => {}
        }
    }
    Ok(())
}

fn handle(shared: &Shared, operation: &Operation, call: &Call<'_>) -> Result<Value, Failure> {
    match (operation.api, operation.id.as_str()) {
        ("client", "login") => client_api::login(shared, call),
        ("client", "replacement_token") => client_api::replacement_token(shared, call),
        ("manager", "authorize") => manager_api::authorize(shared, call),
        ("manager", id @ ("universal_dictionaries" | "company_currency" | "product_list")) => {
            manager_api::check_token(shared, call)?;
            manager_api::documented_data(id)
        }
        ("manager", "customer_group") => manager_api::customer_group(shared, call),
        ("manager", "customer_list") => manager_api::customer_list(shared, call),
        ("manager", "register_customer") => manager_api::register_customer(shared, call),
        ("manager", "customer_info") => manager_api::customer_info(shared, call),
        ("manager", "get_balance") => manager_api::get_balance(shared, call),
        ("manager", "balance_update") => manager_api::balance_update(shared, call),
        ("client", "send_verify_code") => open_api::send_verify_code(shared, call),
        ("client", "apply_api") => open_api::apply_api(shared, call),
        ("client", "set_api_permissions") => open_api::set_api_permissions(shared, call),
        ("client", "delete_api") => open_api::delete_api(shared, call),
        ("client", id) if id.starts_with("open_") => open_api::open_call(shared, call, id),
        ("auth2", "auth_code") => auth2_api::auth_code(shared, call),
        ("auth2", "access_token") => auth2_api::access_token(shared, call),
        ("auth2", "user_info") => auth2_api::user_info(shared, call),
        ("auth2", "refresh_token") => auth2_api::refresh_token(shared, call),
        (api, id) => Err(Failure::not_open(api, id)),
    }
}
