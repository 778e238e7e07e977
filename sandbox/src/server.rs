//! The HTTP server: one listener for the three APIs and the trading UI's pages, the header
//! checks every operation shares, and the handle that runs and stops it.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Json;
use axum::body::Bytes;
use axum::extract::State as Shared_;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::serve::ListenerExt;
use rust_decimal::Decimal;
use serde_json::Value;
use tokio::net::TcpListener;
use tokio::sync::oneshot;

use crate::config::Config;
use crate::context::{Answer, Call, Shared};
use crate::envelope::{Failure, envelope};
use crate::idempotency::Claim;
use crate::spec::{Operation, Request, operations};
use crate::state::State;
use crate::streams::{self, Hub};
use crate::{
    auth2_api, client_api, examples, funds, manager_api, open_api, quote, trading, trading_ui,
};

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

/// A running sandbox. Dropping it stops the server and ends every stream connection.
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
            streams: Hub::default(),
            replays: Default::default(),
        });
        let listener = TcpListener::bind(addr)
            .await
            .map_err(|source| StartError::Bind { addr, source })?;
        let addr = listener
            .local_addr()
            .map_err(|source| StartError::Bind { addr, source })?;
        let app = streams::routes()
            .fallback(dispatch)
            .with_state(shared.clone());
        // Small frames go out at once: with Nagle's algorithm, a stream's second small frame
        // waits for the client's delayed ACK (40 ms on Linux), which on a paused test clock
        // lets virtual time run on for seconds.
        let listener = listener.tap_io(|tcp| {
            let _ = tcp.set_nodelay(true);
        });
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

    /// What the handlers share (for the streams' methods of `Sandbox`).
    pub(crate) fn shared(&self) -> &Shared {
        &self.shared
    }

    /// Where the sandbox listens.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:<port>`: the base URL of the Client, Manager and Auth2 APIs and of
    /// the trading UI's pages alike (their paths do not overlap). The streams are at the same
    /// address, as `ws://127.0.0.1:<port>/apiQuote/quote` and so on.
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

    /// The current balance of a trading account, in its currency (margin held and amounts
    /// withdrawn taken out), or `None` if there is no such account: lets tests check what the
    /// API reports against what the sandbox holds, exactly.
    pub fn balance(&self, customer_no: &str, account_id: i64) -> Option<Decimal> {
        let state = self.shared.lock();
        let customer = state.customer(customer_no)?;
        let account = customer
            .accounts
            .iter()
            .find(|a| a.account_id == account_id)?;
        Some(account.balance)
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        self.shared.streams.shut_down();
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

async fn dispatch(
    Shared_(shared): Shared_<Arc<Shared>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let operation = shared
        .operations
        .get(uri.path())
        .filter(|operation| operation.method == method);
    if method == Method::GET && operation.is_none() {
        return trading_ui::page(&shared, &uri);
    }
    let trace = format!("x-{}", uuid::Uuid::new_v4());
    let Some(operation) = operation else {
        return if method == Method::POST {
            let body = envelope(&trace, Err(Failure::no_such_operation(uri.path())));
            Json(body).into_response()
        } else {
            StatusCode::METHOD_NOT_ALLOWED.into_response()
        };
    };
    let call = Call {
        headers: &headers,
        query: uri.query(),
        body: &body,
    };
    let body = if operation.credential == quote::CREDENTIAL {
        quote::answer(&shared, operation, &call)
    } else {
        envelope(&trace, answer(&shared, operation, &call, uri.path()))
    };
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

/// The answer to one call: the headers checked, then its model or its examples; a call of the
/// Client API's gateway that carries an `idempotency-key` gets the first answer to its key
/// again instead.
fn answer(
    shared: &Shared,
    operation: &Operation,
    call: &Call<'_>,
    path: &str,
) -> Result<Value, Failure> {
    let run = || {
        check_headers(&shared.config, operation, call)
            .and_then(|()| handle(shared, operation, call))
    };
    let key = call
        .header("idempotency-key")
        .filter(|key| operation.api == "client" && path.starts_with("/api/") && !key.is_empty());
    let Some(key) = key else {
        return run();
    };
    let company = call.header("companyid").unwrap_or_default();
    match shared.replays.claim(company, path, key, shared.now_ms()) {
        Claim::Repeat(answer) => answer,
        Claim::First => {
            let answer = run();
            shared
                .replays
                .keep(company, path, key, &answer, shared.now_ms());
            answer
        }
    }
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

/// A stateful model of one operation.
type Model = fn(&Shared, &Call<'_>) -> Result<Value, Failure>;

/// The operations with a stateful model, by API and `operationId`; every other one is
/// answered from its spec.
const MODELS: &[((&str, &str), Model)] = &[
    (("client", "login"), client_api::login),
    (
        ("client", "replacement_token"),
        client_api::replacement_token,
    ),
    (("client", "send_verify_code"), open_api::send_verify_code),
    (("client", "apply_api"), open_api::apply_api),
    (
        ("client", "set_api_permissions"),
        open_api::set_api_permissions,
    ),
    (("client", "delete_api"), open_api::delete_api),
    (("client", "open_msg_token"), open_api::open_msg_token),
    (("client", "order_add_market_order"), trading::place_order),
    (
        ("client", "order_close_trade_pbo_order"),
        trading::cancel_order,
    ),
    (
        ("client", "cfd_wbw_order_query_order_detail"),
        trading::order,
    ),
    (("client", "order_query_order_page"), trading::orders),
    (
        ("client", "position_query_position_page"),
        trading::positions,
    ),
    (
        ("client", "position_query_position_detail"),
        trading::position,
    ),
    (
        ("client", "order_query_capital_flow_list"),
        trading::capital_flow,
    ),
    (("client", "create_deposit_proposal"), funds::create_deposit),
    (("client", "query_deposit_proposal"), funds::deposit),
    (("client", "query_deposit_page_list"), funds::deposits),
    (
        ("client", "create_withdraw_proposal"),
        funds::create_withdrawal,
    ),
    (("client", "query_withdraw_page_list"), funds::withdrawals),
    (
        ("client", "open_customer_info"),
        open_api::open_customer_info,
    ),
    (("manager", "authorize"), manager_api::authorize),
    (("manager", "customer_group"), manager_api::customer_group),
    (("manager", "customer_list"), manager_api::customer_list),
    (
        ("manager", "register_customer"),
        manager_api::register_customer,
    ),
    (("manager", "customer_info"), manager_api::customer_info),
    (("manager", "get_balance"), manager_api::get_balance),
    (("manager", "balance_update"), manager_api::balance_update),
    (("auth2", "auth_code"), auth2_api::auth_code),
    (("auth2", "access_token"), auth2_api::access_token),
    (("auth2", "user_info"), auth2_api::user_info),
    (("auth2", "refresh_token"), auth2_api::refresh_token),
];

/// The operations the sandbox models statefully, as (API, `operationId`): the rest are
/// answered from their specs.
pub fn modelled_operations() -> impl Iterator<Item = (&'static str, &'static str)> {
    MODELS.iter().map(|(key, _)| *key)
}

/// Every operation of the specs with a documented successful answer, as (API, `operationId`):
/// the sandbox can answer any such operation without a model of its own.
pub fn answerable_from_examples() -> Result<Vec<(&'static str, String)>, String> {
    Ok(operations()?
        .into_values()
        .filter(|op| examples::first_success(op.examples.iter().map(String::as_str)).is_some())
        .map(|op| (op.api, op.id))
        .collect())
}

fn handle(shared: &Shared, operation: &Operation, call: &Call<'_>) -> Result<Value, Failure> {
    let key = (operation.api, operation.id.as_str());
    match MODELS.iter().find(|(modelled, _)| *modelled == key) {
        Some((_, model)) => model(shared, call),
        None => documented(shared, operation, call),
    }
}

/// An operation without a stateful model: its credential checked as the spec says, then
/// the `data` of its first documented successful answer. One without such an example is
/// answered as upstream answers an interface it has not opened.
pub(crate) fn documented(
    shared: &Shared,
    operation: &Operation,
    call: &Call<'_>,
) -> Result<Value, Failure> {
    match operation.request {
        Request::Json => drop(call.body::<Value>()?),
        Request::Multipart => check_multipart(call)?,
        Request::None => {}
    }
    for name in &operation.required_query {
        if call.query(name).is_none_or(|value| value.is_empty()) {
            return Err(Failure::invalid(format!(
                "the query parameter `{name}` is missing"
            )));
        }
    }
    match operation.credential.as_str() {
        "manager-token" => manager_api::check_token(shared, call)?,
        "open-api-signature" => drop(open_api::verify(shared, call)?),
        "client-login" => drop(client_api::signed_in(shared, call)?),
        _ => {}
    }
    examples::first_success(operation.examples.iter().map(String::as_str))
        .cloned()
        .ok_or_else(|| Failure::not_open(operation.api, &operation.id))
}

/// A multipart body: its content type names a boundary and the body holds its parts.
fn check_multipart(call: &Call<'_>) -> Result<(), Failure> {
    let boundary = call
        .header("content-type")
        .and_then(|value| value.strip_prefix("multipart/form-data; boundary="))
        .ok_or_else(|| Failure::invalid("the body is not multipart/form-data"))?;
    let closing = format!("--{boundary}--");
    if call
        .body
        .windows(closing.len())
        .any(|window| window == closing.as_bytes())
    {
        Ok(())
    } else {
        Err(Failure::invalid("the multipart body is not closed"))
    }
}
