//! The running sandbox: one listener for the three APIs, the trading UI's pages and the
//! streams, and the handle that configures, inspects, drives and stops it.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use axum::http::{HeaderMap, HeaderValue};
use axum::serve::ListenerExt;
use rust_decimal::Decimal;
use serde_json::Value;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::time::Instant;

use crate::config::Config;
use crate::context::{Answer, Call, Shared};
use crate::hub::{Stream, StreamFault};
use crate::model::state::State;
use crate::spec::operations;
use crate::streams::events;
use crate::{funds, router};

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
        let answer_log = match &config.answer_log {
            Some(path) => Some(
                std::fs::OpenOptions::new()
                    .create(true)
                    .append(true)
                    .open(path)
                    .map_err(|e| StartError::Load(format!("{}: {e}", path.display())))?,
            ),
            None => None,
        };
        let shared = Arc::new(Shared::new(
            config,
            operations().map_err(StartError::Load)?,
            state,
            answer_log,
        ));
        let listener = TcpListener::bind(addr)
            .await
            .map_err(|source| StartError::Bind { addr, source })?;
        let addr = listener
            .local_addr()
            .map_err(|source| StartError::Bind { addr, source })?;
        let app = router::app(shared.clone());
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
    pub fn balance(
        &self,
        customer_no: &str,
        account_id: impl Into<mm_sdk_core::ids::AccountId>,
    ) -> Option<Decimal> {
        let account_id = account_id.into().get();
        let state = self.shared.lock();
        let customer = state.customer(customer_no)?;
        let account = customer
            .accounts
            .iter()
            .find(|a| a.account_id == account_id)?;
        Some(account.balance)
    }

    /// Every row paged operation `operation` of `api` (`client`, `manager`, `auth2`) holds for
    /// `request`, its JSON body (page fields aside), asked with `token` (a customer's login
    /// token, or the Manager token for the Manager API): in order, what a client walking all
    /// its pages sees, each row once. Lets tests check the pages against what the sandbox
    /// holds. Errors as a `String` for an operation that does not page, or a call it refuses.
    pub fn rows(
        &self,
        api: &str,
        operation: &str,
        token: &str,
        request: &Value,
    ) -> Result<Vec<Value>, String> {
        let paged = self
            .shared
            .operations
            .values()
            .find(|op| {
                // Its own route, which takes the login token: not its Open API route.
                op.api == api
                    && op.id == operation
                    && op.paging.is_some()
                    && op.credential != "open-api-signature"
            })
            .ok_or_else(|| format!("{api} `{operation}` is not a paged operation"))?;
        let mut headers = HeaderMap::new();
        let token = HeaderValue::from_str(token).map_err(|e| format!("the token: {e}"))?;
        headers.insert("token", token);
        let body = serde_json::to_vec(request).map_err(|e| format!("the request: {e}"))?;
        let call = Call {
            headers: &headers,
            query: None,
            body: &body,
            open_api: false,
        };
        router::rows(&self.shared, paged, &call).map_err(|failure| failure.msg)
    }

    /// Makes the next frame the sandbox sends on `stream` suffer `fault`, on every connection
    /// of that stream open now (a stream with no open connection is left alone).
    pub fn inject(&self, stream: Stream, fault: StreamFault) {
        self.shared.streams.inject(stream, fault);
    }

    /// Handshakes completed so far on the stream (reconnections count).
    pub fn stream_connections(&self, stream: Stream) -> usize {
        self.shared.streams.handshakes(stream)
    }

    /// Connections of the stream open now (a client that closed or dropped its handle is no
    /// longer counted once the sandbox has seen the connection end).
    pub fn open_stream_connections(&self, stream: Stream) -> usize {
        self.shared.streams.open_connections(stream)
    }

    /// `tokio::time::Instant`s at which the sandbox received each request frame on the
    /// stream, oldest first (for pacing checks). A request frame is a text or binary frame
    /// (market-data requests, Open API messages, Data Push `ping`s), not a control frame.
    pub fn stream_requests(&self, stream: Stream) -> Vec<Instant> {
        self.shared.streams.requests(stream)
    }

    /// Answers the next market-data request with this `ret` code and message instead of
    /// processing it (for error-mapping tests): 201, 202, 203 or 500. Calls queue up: each
    /// answers one request, on whichever connection sends it.
    pub fn fail_next_quote_request(&self, ret: i32, msg: &str) {
        self.shared.streams.fail_next_quote_request(ret, msg);
    }

    /// Appends a Data Push event to the log, delivered to every group (a group that has never
    /// connected yet is not owed it).
    pub fn emit_data_push(&self, event_type: &str, data: Value) {
        let shared = &self.shared;
        shared.streams.log.append(shared.now_ms(), event_type, data);
    }

    /// A customer pays in through the trading UI: credits the account, records a paid
    /// deposit proposal (listed by `query_deposit_page_list`) and emits a `deposit` event
    /// (payload shaped like `data_push_deposit.json`, with the proposal's number). Errors as a
    /// `String` for an unknown customer or account, or an amount that is not positive.
    pub fn simulate_deposit(
        &self,
        customer_no: &str,
        account_id: impl Into<mm_sdk_core::ids::AccountId>,
        amount: Decimal,
    ) -> Result<(), String> {
        let account_id = account_id.into().get();
        if amount <= Decimal::ZERO {
            return Err(format!("a deposit is a positive amount, not {amount}"));
        }
        let shared = &self.shared;
        let deposit = shared
            .change(|state, now| funds::pay_in(state, customer_no, account_id, amount, now))
            .map_err(|failure| failure.msg)?;
        let data = events::deposit(shared, &deposit);
        shared.streams.log.append(shared.now_ms(), "deposit", data);
        Ok(())
    }

    /// Sends a `trade` message (content as given) to the subscribed Open API sessions: the
    /// logged-in ones subscribed to the content's `tradeType` (every subscribed one when it
    /// has none).
    pub fn emit_trade_message(&self, content: Value) {
        let shared = &self.shared;
        shared.streams.messages.send(shared.now_ms(), content);
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
