//! The receiving end of the callbacks: requests in, answers out, money moved once.
//!
//! A [`Receiver`] serves the five paths of [`paths`](super::paths). It reads each request
//! into a typed [`Event`] (or refuses it with a typed [`Rejection`] before any handler sees
//! it), drives the [`AdjustmentStore`] around your [`WebhookHandler`] so that every
//! adjustment moves money at most once whatever order and number of times it and its cancel
//! arrive, checks each message's `sign` before your [`MessageHandler`] sees it, and writes the
//! answer the platform expects.
//!
//! It holds no server: it is a `tower_service::Service` of `http::Request<B>`, for any body
//! `B` of http-body 1, answering an `http::Response` ([`AnswerBody`]). That is what axum (0.7
//! or 0.8), hyper 1 (through hyper-util's `TowerToHyperService`) and the frameworks built on
//! tower mount, whichever of their versions the application uses; the SDK depends on none of
//! them. The service reads no more of a body than the [limit](ReceiverBuilder::body_limit).
//!
//! ```no_run
//! # use std::sync::Arc;
//! # use mm_sdk::callbacks::receiver::*;
//! # use mm_sdk::callbacks::store::{MemoryStore, StoreOptions};
//! # async fn run(wallet: Arc<impl WebhookHandler>) -> std::io::Result<()> {
//! let receiver = Receiver::builder()
//!     .webhooks(Arc::new(MemoryStore::new(StoreOptions::default())), wallet)
//!     .build();
//! // In axum, under a prefix (stripped before the receiver sees the path): the platform is
//! // given `https://your.host/callbacks/` as the receiver's URL. `fallback_service(receiver)`
//! // serves the paths at the root instead.
//! let app = axum::Router::new().nest_service("/callbacks", receiver);
//! let listener = tokio::net::TcpListener::bind("0.0.0.0:8443").await?;
//! axum::serve(listener, app).await
//! # }
//! ```
//!
//! Without tower, [`Receiver::handle`] answers an `http::Request<Bytes>` whose body was read
//! already (reading more than [`Receiver::body_limit`] is wasted: such a body is refused); with
//! other request types, route the paths yourself and call [`Receiver::handle_callback`], or
//! the steps it is made of: [`Receiver::parse`], then [`Receiver::process`], or
//! [`Rejection::answer`].
//!
//! # Deadlines: answered in time, never dropped half-way
//!
//! The platform waits 3 s for an adjustment's answer, then cancels it. The receiver answers
//! within its [deadline](ReceiverBuilder::deadline) (2.5 s by default, leaving the rest for the
//! network). Each event (store, then handler, then store) is first run in place, and most
//! finish there; one that has to wait (a database, a ledger across the network) moves to a
//! Tokio task of its own, and when that task has not answered by the deadline, the platform
//! gets [`codes::DEADLINE`] while the task goes on. Dropping it instead could stop a handler
//! between two writes of a money movement; finishing it means its outcome is recorded, so the
//! platform's repeat gets the recorded answer and its cancel reverses what was applied (a
//! cancel arriving while the task still runs is answered [`codes::IN_PROGRESS`]; the platform
//! repeats it). A handler that
//! panics is answered [`codes::HANDLER_FAILED`] and records nothing: its claim runs out after
//! the store's lease, and the cancel then reverses with [`WasApplied::Maybe`]. [`Receiver::handle`]
//! must run in a Tokio runtime with its timer (axum's is); outside one, events run inline
//! without a deadline.
//!
//! # Answers
//!
//! Webhooks are answered with the platform's envelope (`code`, `msg`, `ok`, `fail`, `trace`
//! repeating the request's `trace` header, `data`); messages with `{"msg","code"}`. All codes
//! are in [`codes`]; the SDK's own start with `RCV_`:
//!
//! | what arrived | status | `code` |
//! |---|---|---|
//! | a balance query, answered | 200 | `0`, `data` the [`UserAmount`](super::types::UserAmount) |
//! | an adjustment, applied (or a repeat of one) | 200 | `0`, `data` `{}` |
//! | an adjustment the handler refused (or a repeat) | 200 | the handler's code (default `RCV_REFUSED`) |
//! | an adjustment being applied by another request | 200 | `RCV_IN_PROGRESS` |
//! | an adjustment after its cancel | 200 | `RCV_CANCELLED`, never applied |
//! | a `requestUniqueNo` reused with other content | 200 | `RCV_CONFLICT` |
//! | a cancel, reversed (or a repeat) | 200 | `0` |
//! | a cancel of an adjustment received, not applied | 200 | `US_0000001` |
//! | a cancel of an adjustment never received | 200 | `US_0000002`, and the adjustment is refused should it come |
//! | a cancel while its adjustment is applied or reversed | 200 | `RCV_IN_PROGRESS` |
//! | a message, handed to the handler | 200 | `200` (`msg` `success`) |
//! | a message the handler refused | 200 | the handler's code (default `RCV_REFUSED`) |
//! | not answered within the deadline | 200 | `RCV_DEADLINE`; the work goes on |
//! | body not JSON | 400 | `RCV_MALFORMED_JSON` |
//! | a field missing or of the wrong type | 400 | `RCV_INVALID_FIELD`, `msg` naming its JSON path |
//! | `amount` with more places than `amountDigits`, negative `amountDigits`, not a plain decimal | 400 | `RCV_INVALID_AMOUNT` |
//! | `trace`, `companyId` or `timestamp` header missing | 400 | `RCV_MISSING_HEADER` |
//! | such a header unreadable, repeated, or another company than [`ReceiverBuilder::company_id`] | 400 | `RCV_INVALID_HEADER` |
//! | body over the [limit](ReceiverBuilder::body_limit) (64 KiB by default) | 413 | `RCV_TOO_LARGE` |
//! | not a POST | 405 (`Allow: POST`) | `RCV_METHOD_NOT_ALLOWED` |
//! | no callback at this path, or its handler not configured | 404 | `RCV_UNKNOWN_PATH` |
//! | a message `sign` bad, stale, or replayed (all alike) | 401 | `RCV_BAD_SIGN` |
//! | the handler panicked, or [`Refusal::uncertain`] | 500 | `RCV_HANDLER_FAILED` |
//! | the store failed | 500 | `RCV_STORE_FAILED` |
//!
//! Nothing that is refused reaches a handler. The `msg` of a refusal names the header or the
//! JSON path at fault, never a secret; a refused `sign` says why only in the receiver's log.
//!
//! **The webhooks carry no signature** upstream: anyone who can reach the URL can send one.
//! Serve them over TLS on a path or network only the platform reaches, and set
//! [`ReceiverBuilder::company_id`].
//!
//! # Test hook
//!
//! With the `test-failpoints` feature (never in a production build: it is in no other
//! feature), `MM_SDK_TEST_FAILPOINT` serves tests of a receiver that dies half-way through an
//! adjustment. Set to `adjustment-claimed` (claimed, before the handler) or
//! `adjustment-applied` (the handler has answered, before the outcome is recorded), optionally
//! followed by `:` and a prefix of `requestUniqueNo`, it makes every matching adjustment print
//! `mm-sdk test failpoint <point> reached: <requestUniqueNo>` on standard error and stop there
//! for good, so that the test can kill the process at that very point. It is read once; never
//! set it in production.

mod answer;
pub mod codes;
mod erased;
mod event;
#[cfg(feature = "test-failpoints")]
mod failpoint;
mod handler;
mod parse;
mod process;
mod service;

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http::{HeaderMap, Method, Request, Response, request};
use tracing::{debug, warn};

use super::message_sign::MessageSignVerifier;
use super::store::AdjustmentStore;
use erased::{ErasedMessageHandler, ErasedStore, ErasedWebhookHandler};

pub use answer::Answer;
pub use event::{
    Adjustment, AdjustmentCancel, AmountError, Callback, Event, WebhookContext, exact_amount,
};
pub use handler::{MessageHandler, Refusal, Reversal, WasApplied, WebhookHandler};
pub use parse::{Reason, Rejection};
pub use service::AnswerBody;

/// The default deadline: well within the platform's 3 s, with room for the network.
pub const DEFAULT_DEADLINE: Duration = Duration::from_millis(2_500);

/// The default body limit: the callbacks' bodies are well under 2 KiB.
pub const DEFAULT_BODY_LIMIT: usize = 64 * 1024;

/// The receiver of the platform's callbacks. Cheap to clone (the clones share everything),
/// `Send + Sync`.
#[derive(Clone)]
pub struct Receiver {
    inner: Arc<Inner>,
}

/// A [`Receiver`] in the making, from [`Receiver::builder`].
#[derive(Debug)]
pub struct ReceiverBuilder {
    inner: Inner,
}

struct Inner {
    webhooks: Option<Webhooks>,
    messages: Option<Messages>,
    deadline: Duration,
    body_limit: usize,
    company_id: Option<i64>,
}

struct Webhooks {
    store: Arc<dyn ErasedStore>,
    handler: Arc<dyn ErasedWebhookHandler>,
}

struct Messages {
    handler: Arc<dyn ErasedMessageHandler>,
    verifier: MessageSignVerifier,
}

impl Receiver {
    /// Starts with no callback served, the default deadline and body limit.
    pub fn builder() -> ReceiverBuilder {
        ReceiverBuilder {
            inner: Inner {
                webhooks: None,
                messages: None,
                deadline: DEFAULT_DEADLINE,
                body_limit: DEFAULT_BODY_LIMIT,
                company_id: None,
            },
        }
    }

    /// Answers one request: routes it by path, reads it, runs it, within the deadline. Never
    /// fails: every problem is an answer (see the [module docs](self)).
    pub async fn handle(&self, request: Request<Bytes>) -> Response<Bytes> {
        let (parts, body) = request.into_parts();
        let answer = match Self::route(&parts) {
            Ok(callback) => {
                self.handle_callback(callback, &parts.method, &parts.headers, &body)
                    .await
            }
            Err(unknown) => unknown,
        };
        answer.into_response()
    }

    /// The callback at the request's path, or the answer to a path that has none.
    fn route(parts: &request::Parts) -> Result<Callback, Answer> {
        Callback::from_path(parts.uri.path()).ok_or_else(|| {
            debug!(path = parts.uri.path(), "no callback at this path");
            let trace = parse::trace_echo(&parts.headers);
            Rejection::new(Reason::UnknownPath, None, trace).answer()
        })
    }

    /// Answers one request of `callback`, routed by the caller: [`parse`](Self::parse), then
    /// [`process`](Self::process) or the rejection's answer.
    pub async fn handle_callback(
        &self,
        callback: Callback,
        method: &Method,
        headers: &HeaderMap,
        body: &[u8],
    ) -> Answer {
        match self.parse(callback, method, headers, body) {
            Ok(event) => self.process(event).await,
            Err(rejection) => {
                match rejection.reason() {
                    Reason::BadSign(why) => warn!(%callback, %why, "message sign refused"),
                    reason => debug!(%callback, %reason, "callback refused"),
                }
                rejection.answer()
            }
        }
    }

    /// Reads a request of `callback`: method, size, headers, JSON, amounts and, for a
    /// message, its `sign` (which it then remembers, to refuse a replay). No handler runs.
    pub fn parse(
        &self,
        callback: Callback,
        method: &Method,
        headers: &HeaderMap,
        body: &[u8],
    ) -> Result<Event, Rejection> {
        let limits = parse::Limits {
            body_limit: self.inner.body_limit,
            company_id: self.inner.company_id,
            webhooks: self.inner.webhooks.is_some(),
            verifier: self.inner.messages.as_ref().map(|m| &m.verifier),
        };
        parse::parse(&limits, callback, method, headers, body)
    }

    /// Runs an event through the store and its handler and gives the answer, within the
    /// deadline counted from this call (see the [module docs](self) on deadlines).
    pub async fn process(&self, event: Event) -> Answer {
        process::process(&self.inner, event).await
    }

    /// The longest a request waits for its answer.
    pub fn deadline(&self) -> Duration {
        self.inner.deadline
    }

    /// The largest body accepted, in bytes.
    pub fn body_limit(&self) -> usize {
        self.inner.body_limit
    }

    /// Whether `callback` is served (its handler configured).
    pub fn serves(&self, callback: Callback) -> bool {
        if callback.is_message() {
            self.inner.messages.is_some()
        } else {
            self.inner.webhooks.is_some()
        }
    }
}

impl ReceiverBuilder {
    /// Serves the three webhooks of an external wallet: `handler` moves the money, `store`
    /// makes sure it moves once. Both are shared: keep a clone of either to look into it.
    pub fn webhooks<S: AdjustmentStore, H: WebhookHandler>(
        mut self,
        store: Arc<S>,
        handler: Arc<H>,
    ) -> Self {
        self.inner.webhooks = Some(Webhooks { store, handler });
        self
    }

    /// Serves the email and SMS callbacks: `verifier` checks each `sign`, `handler` sends.
    pub fn messages<H: MessageHandler>(
        mut self,
        handler: Arc<H>,
        verifier: MessageSignVerifier,
    ) -> Self {
        self.inner.messages = Some(Messages { handler, verifier });
        self
    }

    /// How long a request waits for its answer (default [`DEFAULT_DEADLINE`]): keep it under
    /// the platform's 3 s by the network's round trip.
    pub fn deadline(mut self, deadline: Duration) -> Self {
        self.inner.deadline = deadline;
        self
    }

    /// The largest body accepted, in bytes (default [`DEFAULT_BODY_LIMIT`]).
    pub fn body_limit(mut self, limit: usize) -> Self {
        self.inner.body_limit = limit;
        self
    }

    /// Refuses webhooks whose `companyId` header is not `company_id` (by default any is
    /// accepted).
    pub fn company_id(mut self, company_id: i64) -> Self {
        self.inner.company_id = Some(company_id);
        self
    }

    /// The receiver.
    pub fn build(self) -> Receiver {
        Receiver {
            inner: Arc::new(self.inner),
        }
    }
}

impl fmt::Debug for Receiver {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.inner.fmt(f)
    }
}

impl fmt::Debug for Inner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Receiver")
            .field("webhooks", &self.webhooks)
            .field("messages", &self.messages)
            .field("deadline", &self.deadline)
            .field("body_limit", &self.body_limit)
            .field("company_id", &self.company_id)
            .finish()
    }
}

impl fmt::Debug for Webhooks {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Webhooks")
            .field("store", &self.store)
            .finish_non_exhaustive()
    }
}

impl fmt::Debug for Messages {
    /// The verifier shows its key's size, never the key.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Messages")
            .field("verifier", &self.verifier)
            .finish_non_exhaustive()
    }
}
