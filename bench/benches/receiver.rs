//! The callback receiver's cost per callback (`mm_sdk::callbacks::receiver::Receiver`) against
//! a bare axum handler doing the visible work of the same callback: the `trace`, `companyId`
//! and `timestamp` headers checked, the body parsed into `CreditAdjustment`, the same envelope
//! answered (byte for byte, checked before measuring). The wallet behind the receiver answers
//! `Ok` at once and the bare handler calls no wallet, so the difference is the SDK's.
//!
//! - `receiver_{fresh,repeat}_direct`: `Receiver::handle(Request<Bytes>)` against a bare
//!   `async fn(Request<Bytes>) -> Response<Bytes>`; no router, no socket.
//! - `receiver_{fresh,repeat}_router`: each side's axum `Router` (the receiver, a tower
//!   service, at the adjustment's path with `route_service`, against `post(handler)` with
//!   `axum::Json`) called with `oneshot`, the body collected.
//! - `receiver_{fresh,repeat}_loopback`: each router served by `axum::serve` on 127.0.0.1, one
//!   reused `reqwest::Client` on a current-thread runtime (see `serve`).
//! - `receiver_parts`: the steps of the receiver's path, alone, to see where its time goes.
//!
//! After each pair of criterion benches, an "alternating" line: the same two calls in
//! alternating chunks (see `alternate`), the ratio least disturbed by the rest of the machine.
//!
//! "fresh": a new `requestUniqueNo` every call (the store claims, the handler runs, the store
//! records the answer). "repeat": the same adjustment every call (answered from the store).
//!
//! The in-process calls run inside a task of a two-worker runtime, as `axum::serve` runs a
//! handler: work that has to wait moves to a task of its own, and spawning from outside the
//! runtime (what criterion's `to_async` does) would add a cross-thread wake-up that a server
//! does not pay.
//! Requests are built before the clock starts, a chunk at a time. The fresh benches' store
//! keeps entries for no time (`retention(ZERO)`) and is pruned between chunks, untimed, once it
//! holds more than `PRUNE_ABOVE` entries: it stays below that size (tens of MB) instead of
//! growing with criterion's millions of iterations.

use std::future::Future;
use std::hint::black_box;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::{Body, Bytes};
use axum::http::header::CONTENT_TYPE;
use axum::http::{HeaderMap, HeaderValue, Method, Request, Response, StatusCode};
use axum::routing::post;
use axum::{Json, body};
use criterion::{Criterion, criterion_group, criterion_main};
use futures::FutureExt;
use mm_sdk::callbacks::paths;
use mm_sdk::callbacks::receiver::{
    Adjustment, AdjustmentCancel, Answer, Callback, DEFAULT_DEADLINE, Event, Receiver, Refusal,
    Reversal, WasApplied, WebhookContext, WebhookHandler,
};
use mm_sdk::callbacks::store::{
    AdjustmentStore, Begin, MemoryStore, Outcome, StoreOptions, StoredAnswer,
};
use mm_sdk::callbacks::types::{CreditAdjustment, Empty, UserAmount, UserAmountQuery};
use serde::Serialize;
use serde_json::{Map, Value};
use tokio::runtime::Runtime;
use tower::ServiceExt;

const TRACE: &str = "t-0f6c2a9e4b7d41c8a3e5";
const COMPANY: &str = "421";
const TIMESTAMP: &str = "1764820800000";
/// Requests built per chunk, before its clock starts.
const CHUNK: u64 = 1_000;
/// Fresh benches prune their store, untimed, once it holds more entries than this.
const PRUNE_ABOVE: usize = 20_000;

/// A wallet that moves nothing and answers at once.
#[derive(Debug)]
struct Wallet;

impl WebhookHandler for Wallet {
    async fn user_amount(
        &self,
        _cx: &WebhookContext,
        _query: &UserAmountQuery,
    ) -> Result<UserAmount, Refusal> {
        Err(Refusal::new("NOT_BENCHED", "not benched"))
    }

    async fn apply(
        &self,
        _cx: &WebhookContext,
        _adjustment: &Adjustment,
        _retry: bool,
    ) -> Result<(), Refusal> {
        Ok(())
    }

    async fn reverse(
        &self,
        _cx: &WebhookContext,
        _cancel: &AdjustmentCancel,
        _applied: WasApplied,
    ) -> Result<Reversal, Refusal> {
        Ok(Reversal::NotApplied)
    }
}

/// The receiver's side: its store (kept to prune it) and the receiver.
struct Side {
    store: Arc<MemoryStore>,
    receiver: Receiver,
}

impl Side {
    /// For fresh adjustments: entries kept for no time, so that `prune` empties the store, and
    /// no pruning of its own in the timed calls.
    fn fresh() -> Self {
        let day = Duration::from_secs(24 * 60 * 60);
        Self::new(
            StoreOptions::default()
                .retention(Duration::ZERO)
                .prune_every(day),
        )
    }

    fn new(options: StoreOptions) -> Self {
        let store = Arc::new(MemoryStore::new(options));
        let receiver = Receiver::builder()
            .webhooks(Arc::clone(&store), Arc::new(Wallet))
            .build();
        Self { store, receiver }
    }

    /// Between chunks of fresh adjustments: keeps the store bounded.
    fn prune(&self) {
        if self.store.len() > PRUNE_ABOVE {
            // MemoryStore's futures are ready at once.
            let pruned = self.store.prune().now_or_never();
            assert!(matches!(pruned, Some(Ok(_))), "the memory store prunes");
        }
    }
}

/// The body of an adjustment, as the platform sends it.
fn adjustment_body(key: &str) -> Bytes {
    let body = serde_json::json!({
        "thirdServerCode": "wallet-7731", "userName": "86000001", "currency": "USD",
        "bizType": 1, "operationType": "OPEN_POSITION", "amount": "125.50", "amountDigits": 2,
        "orderId": 908_123_456_789_i64, "requestUniqueNo": key, "requestTime": 1_764_820_800_000_i64,
        "ip": "203.0.113.7", "metadata": "{\"symbol\":\"EURUSD\"}"
    });
    Bytes::from(serde_json::to_vec(&body).expect("JSON"))
}

/// Distinct adjustment bodies, one per call.
#[derive(Debug, Default)]
struct Keys(u64);

impl Keys {
    fn next_body(&mut self) -> Bytes {
        self.0 += 1;
        adjustment_body(&format!("bench-{:032x}", self.0))
    }
}

fn webhook_headers() -> HeaderMap {
    let mut headers = HeaderMap::new();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    headers.insert("trace", HeaderValue::from_static(TRACE));
    headers.insert("companyId", HeaderValue::from_static(COMPANY));
    headers.insert("timestamp", HeaderValue::from_static(TIMESTAMP));
    headers
}

fn request(body: Bytes) -> Request<Bytes> {
    let mut request = Request::new(body);
    *request.method_mut() = Method::POST;
    *request.uri_mut() = paths::CREDIT_LIMIT_ADJUSTMENT.parse().expect("a path");
    *request.headers_mut() = webhook_headers();
    request
}

fn router_request(body: Bytes) -> Request<Body> {
    request(body).map(Body::from)
}

// ---- The bare side: what an integrator writes with axum alone. ----

/// The headers the receiver checks, as a careful hand-written handler reads them.
fn bare_headers(headers: &HeaderMap) -> Option<(&str, i64, i64)> {
    let text = |name: &str| headers.get(name)?.to_str().ok().map(str::trim);
    let trace = text("trace").filter(|t| !t.is_empty() && t.len() <= 128)?;
    let company_id = text("companyId")?.parse().ok()?;
    let timestamp = text("timestamp")?.parse().ok()?;
    Some((trace, company_id, timestamp))
}

/// The platform's envelope, written by hand: the same bytes as the receiver's.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct BareEnvelope<'a> {
    msg: &'a str,
    fail: bool,
    trace: &'a str,
    code: &'a str,
    data: Option<Empty>,
    biz_code: &'a str,
    tm: Option<i64>,
    msg_params: Option<Value>,
    ok: bool,
}

fn bare_answer(trace: &str, adjustment: &CreditAdjustment) -> (StatusCode, Bytes) {
    // The handler's work: none (the receiver's wallet does none either).
    black_box(adjustment);
    let envelope = BareEnvelope {
        msg: "Success",
        fail: false,
        trace,
        code: "0",
        data: Some(Empty::from(Map::new())),
        biz_code: "",
        tm: None,
        msg_params: None,
        ok: true,
    };
    let body = serde_json::to_vec(&envelope).expect("an envelope serializes");
    (StatusCode::OK, Bytes::from(body))
}

fn bare_refusal(code: &str) -> (StatusCode, Bytes) {
    (
        StatusCode::BAD_REQUEST,
        Bytes::from(format!(r#"{{"code":"{code}","ok":false}}"#)),
    )
}

fn json_response<B: From<Bytes>>((status, body): (StatusCode, Bytes)) -> Response<B> {
    let mut response = Response::new(B::from(body));
    *response.status_mut() = status;
    response
        .headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    response
}

/// The bare handler without a router: same request and response types as `Receiver::handle`.
async fn bare_handle(request: Request<Bytes>) -> Response<Bytes> {
    if request.method() != Method::POST || request.uri().path() != paths::CREDIT_LIMIT_ADJUSTMENT {
        return json_response(bare_refusal("NOT_FOUND"));
    }
    let Some((trace, _company, _timestamp)) = bare_headers(request.headers()) else {
        return json_response(bare_refusal("BAD_HEADER"));
    };
    match serde_json::from_slice::<CreditAdjustment>(request.body()) {
        Ok(adjustment) => json_response(bare_answer(trace, &adjustment)),
        Err(_) => json_response(bare_refusal("BAD_JSON")),
    }
}

/// The bare axum handler: `axum::Json` parses the body.
async fn bare_axum(headers: HeaderMap, Json(adjustment): Json<CreditAdjustment>) -> Response<Body> {
    match bare_headers(&headers) {
        Some((trace, _company, _timestamp)) => json_response(bare_answer(trace, &adjustment)),
        None => json_response(bare_refusal("BAD_HEADER")),
    }
}

fn bare_router() -> Router {
    Router::new().route(paths::CREDIT_LIMIT_ADJUSTMENT, post(bare_axum))
}

/// The receiver's router: the same single route, served by the receiver as a tower service.
fn receiver_router(receiver: Receiver) -> Router {
    Router::new().route_service(paths::CREDIT_LIMIT_ADJUSTMENT, receiver)
}

// ---- Measuring. ----

fn runtime() -> Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a tokio runtime")
}

/// Times `iters` calls of `call`, each on an input from `make`, inside a task of `runtime`.
/// Inputs are made a chunk at a time before the clock starts; `between` runs after each chunk,
/// untimed.
fn time_calls<T, F, Fut>(
    runtime: &Runtime,
    iters: u64,
    mut make: impl FnMut() -> T,
    call: &F,
    mut between: impl FnMut(),
) -> Duration
where
    T: Send + 'static,
    F: Fn(T) -> Fut + Clone + Send + 'static,
    Fut: Future + Send + 'static,
{
    let mut total = Duration::ZERO;
    let mut left = iters;
    while left > 0 {
        let n = left.min(CHUNK);
        let inputs: Vec<T> = (0..n).map(|_| make()).collect();
        let call = call.clone();
        let task = runtime.spawn(async move {
            let start = Instant::now();
            for input in inputs {
                black_box(call(input).await);
            }
            start.elapsed()
        });
        total += runtime.block_on(task).expect("the timed task completes");
        between();
        left -= n;
    }
    total
}

/// Criterion measures one side, then the other; on a shared machine that can tilt a ratio.
/// This alternates chunks of `CHUNK` calls of the two sides, in alternating order, for
/// `ROUNDS` rounds after one of warm-up, so that whatever else runs disturbs both alike, and
/// prints each side's median time per call over its chunks and the median of the rounds'
/// ratios (each round's two chunks ran back to back, so their ratio is the least drifted).
fn alternate<T, A, FA, B, FB>(
    name: &str,
    runtime: &Runtime,
    mut make: impl FnMut() -> T,
    bare: &A,
    receiver: &B,
    mut between: impl FnMut(),
) where
    T: Send + 'static,
    A: Fn(T) -> FA + Clone + Send + 'static,
    FA: Future + Send + 'static,
    B: Fn(T) -> FB + Clone + Send + 'static,
    FB: Future + Send + 'static,
{
    const ROUNDS: usize = 40;
    let mut rounds = Vec::with_capacity(ROUNDS);
    for round in 0..=ROUNDS {
        let (bared, received) = if round % 2 == 0 {
            let bared = time_calls(runtime, CHUNK, &mut make, bare, || {});
            (
                bared,
                time_calls(runtime, CHUNK, &mut make, receiver, &mut between),
            )
        } else {
            let received = time_calls(runtime, CHUNK, &mut make, receiver, &mut between);
            (time_calls(runtime, CHUNK, &mut make, bare, || {}), received)
        };
        if round > 0 {
            rounds.push((bared.as_secs_f64(), received.as_secs_f64()));
        }
    }
    // The value at fraction `at` of the sorted values (0.5: the median).
    let quantile = |mut values: Vec<f64>, at: f64| {
        values.sort_by(f64::total_cmp);
        values[((values.len() - 1) as f64 * at).round() as usize]
    };
    let per_call = |seconds: f64| seconds * 1e6 / CHUNK as f64;
    let bare = per_call(quantile(rounds.iter().map(|r| r.0).collect(), 0.5));
    let receiver = per_call(quantile(rounds.iter().map(|r| r.1).collect(), 0.5));
    let added = quantile(rounds.iter().map(|r| per_call(r.1 - r.0)).collect(), 0.5);
    let ratios: Vec<f64> = rounds.iter().map(|r| r.1 / r.0).collect();
    let (low, ratio, high) = (
        quantile(ratios.clone(), 0.25),
        quantile(ratios.clone(), 0.5),
        quantile(ratios, 0.75),
    );
    println!(
        "alternating {name}: bare axum {bare:.2} µs, receiver {receiver:.2} µs, \
         receiver adds {added:.2} µs, receiver / bare {ratio:.3} (median of {ROUNDS} rounds' \
         ratios; quartiles {low:.3} to {high:.3})"
    );
}

async fn oneshot(router: Router, request: Request<Body>) -> (StatusCode, Bytes) {
    let response = router.oneshot(request).await.expect("a router never fails");
    let status = response.status();
    let body = body::to_bytes(response.into_body(), usize::MAX)
        .await
        .expect("an in-memory body");
    (status, body)
}

/// Both sides answer a fresh adjustment, and its repeat, with the same status and bytes.
fn check_sides(runtime: &Runtime, side: &Side) {
    let json = |body: &[u8]| serde_json::from_slice::<Value>(body).expect("a JSON answer");
    let receiver = side.receiver.clone();
    runtime.block_on(async move {
        let body = adjustment_body("bench-check");
        let bare = bare_handle(request(body.clone())).await;
        let fresh = receiver.handle(request(body.clone())).await;
        assert_eq!(fresh.status(), bare.status());
        assert_eq!(fresh.body(), bare.body(), "the same envelope on both sides");
        let repeat = receiver.handle(request(body.clone())).await;
        assert_eq!(repeat.status(), bare.status());
        assert_eq!(repeat.body(), bare.body(), "the same envelope, repeated");
        let router = receiver_router(receiver);
        let routed = oneshot(router, router_request(body.clone())).await;
        let bare_routed = oneshot(bare_router(), router_request(body)).await;
        assert_eq!(routed.0, bare_routed.0);
        assert_eq!(json(&routed.1), json(&bare_routed.1));
        assert_eq!(&bare_routed.1, bare.body());
    });
}

fn in_process(c: &mut Criterion) {
    let runtime = runtime();
    let side = Side::fresh();
    check_sides(&runtime, &side);

    // Fresh adjustments.
    let receiver = side.receiver.clone();
    let handle = move |request: Request<Bytes>| {
        let receiver = receiver.clone();
        async move { receiver.handle(request).await }
    };
    let mut keys = Keys::default();
    let mut group = c.benchmark_group("receiver_fresh_direct");
    group.bench_function("bare_axum", |b| {
        b.iter_custom(|iters| {
            time_calls(
                &runtime,
                iters,
                || request(keys.next_body()),
                &bare_handle,
                || {},
            )
        })
    });
    group.bench_function("receiver", |b| {
        b.iter_custom(|iters| {
            time_calls(
                &runtime,
                iters,
                || request(keys.next_body()),
                &handle,
                || side.prune(),
            )
        })
    });
    group.finish();
    alternate(
        "fresh, direct",
        &runtime,
        || request(keys.next_body()),
        &bare_handle,
        &handle,
        || side.prune(),
    );

    let bare = bare_router();
    let bare_call = move |request: Request<Body>| oneshot(bare.clone(), request);
    let routed = receiver_router(side.receiver.clone());
    let routed_call = move |request: Request<Body>| oneshot(routed.clone(), request);
    let mut group = c.benchmark_group("receiver_fresh_router");
    group.bench_function("bare_axum", |b| {
        b.iter_custom(|iters| {
            time_calls(
                &runtime,
                iters,
                || router_request(keys.next_body()),
                &bare_call,
                || {},
            )
        })
    });
    group.bench_function("receiver", |b| {
        b.iter_custom(|iters| {
            time_calls(
                &runtime,
                iters,
                || router_request(keys.next_body()),
                &routed_call,
                || side.prune(),
            )
        })
    });
    group.finish();
    alternate(
        "fresh, router",
        &runtime,
        || router_request(keys.next_body()),
        &bare_call,
        &routed_call,
        || side.prune(),
    );

    // The same adjustment again and again, in a store that keeps it (applied once, here).
    let side = Side::new(StoreOptions::default());
    check_sides(&runtime, &side);
    let repeat = adjustment_body("bench-check");
    let receiver = side.receiver.clone();
    let handle = move |request: Request<Bytes>| {
        let receiver = receiver.clone();
        async move { receiver.handle(request).await }
    };
    let routed = receiver_router(side.receiver.clone());
    let routed_call = move |request: Request<Body>| oneshot(routed.clone(), request);
    let mut group = c.benchmark_group("receiver_repeat_direct");
    group.bench_function("bare_axum", |b| {
        b.iter_custom(|iters| {
            time_calls(
                &runtime,
                iters,
                || request(repeat.clone()),
                &bare_handle,
                || {},
            )
        })
    });
    group.bench_function("receiver", |b| {
        b.iter_custom(|iters| {
            time_calls(&runtime, iters, || request(repeat.clone()), &handle, || {})
        })
    });
    group.finish();
    alternate(
        "repeat, direct",
        &runtime,
        || request(repeat.clone()),
        &bare_handle,
        &handle,
        || {},
    );

    let mut group = c.benchmark_group("receiver_repeat_router");
    group.bench_function("bare_axum", |b| {
        b.iter_custom(|iters| {
            time_calls(
                &runtime,
                iters,
                || router_request(repeat.clone()),
                &bare_call,
                || {},
            )
        })
    });
    group.bench_function("receiver", |b| {
        b.iter_custom(|iters| {
            time_calls(
                &runtime,
                iters,
                || router_request(repeat.clone()),
                &routed_call,
                || {},
            )
        })
    });
    group.finish();
    alternate(
        "repeat, router",
        &runtime,
        || router_request(repeat.clone()),
        &bare_call,
        &routed_call,
        || {},
    );
}

/// Serves each router on a port of 127.0.0.1, both from one thread and current-thread runtime
/// of their own (as `bench/src/server.rs` does): the server never competes with the client for
/// a runtime's workers, and the two sides are served alike, on the same thread wherever the
/// scheduler puts it. Runs until the process ends.
///
/// The client has a current-thread runtime of its own too: with a runtime of two workers, its
/// connection's tasks land on either, and how many cross-CPU wake-ups a round trip takes (each
/// tens of µs on a virtual machine) changed from run to run, moving the ratio far more than
/// the receiver's few µs.
fn serve<const N: usize>(routers: [Router; N]) -> [SocketAddr; N] {
    let listeners = routers.map(|router| {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a loopback port");
        listener.set_nonblocking(true).expect("non-blocking");
        (listener, router)
    });
    let addrs = listeners
        .each_ref()
        .map(|(listener, _)| listener.local_addr().expect("its address"));
    std::thread::Builder::new()
        .name("bench-callbacks".into())
        .spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("a server runtime");
            runtime.block_on(async move {
                let served = listeners.map(|(listener, router)| {
                    let listener = tokio::net::TcpListener::from_std(listener).expect("a listener");
                    tokio::spawn(async move { axum::serve(listener, router).await })
                });
                for server in served {
                    let _ = server.await;
                }
            })
        })
        .expect("a server thread");
    addrs
}

fn loopback(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a client runtime");
    let side = Side::fresh();
    let [bare_addr, receiver_addr] = serve([bare_router(), receiver_router(side.receiver.clone())]);
    let path = paths::CREDIT_LIMIT_ADJUSTMENT;
    let (bare_url, receiver_url) = (
        format!("http://{bare_addr}{path}"),
        format!("http://{receiver_addr}{path}"),
    );
    let client = reqwest::Client::builder()
        .tcp_nodelay(true)
        .build()
        .expect("a client");
    let caller = move |url: &'static str| {
        let client = client.clone();
        move |body: Bytes| {
            let sent = client
                .post(url)
                .headers(webhook_headers())
                .body(body)
                .send();
            async move {
                let response = sent.await.expect("the server answers");
                assert_eq!(response.status(), StatusCode::OK);
                response.bytes().await.expect("the answer's body")
            }
        }
    };
    let bare_call = caller(bare_url.leak());
    let receiver_call = caller(receiver_url.leak());
    let first = adjustment_body("bench-check");
    let answers = runtime.block_on(async {
        (
            bare_call(first.clone()).await,
            receiver_call(first.clone()).await,
        )
    });
    assert_eq!(answers.0, answers.1, "the same envelope on both sides");

    // Repeats first: the fresh calls' pruning would forget the adjustment repeated.
    let mut group = c.benchmark_group("receiver_repeat_loopback");
    group.bench_function("bare_axum", |b| {
        b.iter_custom(|iters| time_calls(&runtime, iters, || first.clone(), &bare_call, || {}))
    });
    group.bench_function("receiver", |b| {
        b.iter_custom(|iters| time_calls(&runtime, iters, || first.clone(), &receiver_call, || {}))
    });
    group.finish();
    alternate(
        "repeat, loopback",
        &runtime,
        || first.clone(),
        &bare_call,
        &receiver_call,
        || {},
    );

    let mut keys = Keys::default();
    let mut group = c.benchmark_group("receiver_fresh_loopback");
    group.bench_function("bare_axum", |b| {
        b.iter_custom(|iters| time_calls(&runtime, iters, || keys.next_body(), &bare_call, || {}))
    });
    group.bench_function("receiver", |b| {
        b.iter_custom(|iters| {
            time_calls(
                &runtime,
                iters,
                || keys.next_body(),
                &receiver_call,
                || side.prune(),
            )
        })
    });
    group.finish();
    alternate(
        "fresh, loopback",
        &runtime,
        || keys.next_body(),
        &bare_call,
        &receiver_call,
        || side.prune(),
    );
}

/// The receiver's path in steps, each alone (the bare side's parse for comparison).
fn parts(c: &mut Criterion) {
    let runtime = runtime();
    let side = Side::fresh();
    let headers = webhook_headers();
    let body = adjustment_body("bench-check");
    let mut group = c.benchmark_group("receiver_parts");

    group.bench_function("parse_bare", |b| {
        b.iter(|| {
            let (trace, ..) = bare_headers(black_box(&headers)).expect("headers");
            let adjustment: CreditAdjustment =
                serde_json::from_slice(black_box(&body)).expect("an adjustment");
            (trace.len(), adjustment)
        })
    });
    let parse = |body: &[u8]| {
        side.receiver
            .parse(Callback::Adjustment, &Method::POST, &headers, body)
            .expect("an adjustment")
    };
    group.bench_function("parse_receiver", |b| b.iter(|| parse(black_box(&body))));
    let Event::Adjustment(_, adjustment) = parse(&body) else {
        unreachable!("an adjustment parses as one");
    };
    group.bench_function("fingerprint", |b| {
        b.iter(|| black_box(&adjustment).fingerprint())
    });
    group.bench_function("answer_bare", |b| {
        b.iter(|| bare_answer(black_box(TRACE), adjustment.request()))
    });
    // What the receiver does for an applied adjustment: the envelope, and the same bytes kept
    // for the store.
    group.bench_function("answer_receiver_and_stored", |b| {
        b.iter(|| {
            let answer = Answer::success(black_box(TRACE), &Empty::from(Map::new()));
            let stored = StoredAnswer::new(answer.body().clone());
            (answer, stored)
        })
    });

    // The store's two steps for a fresh key, with the stored answer made beforehand.
    let stored = StoredAnswer::new(
        Answer::success(TRACE, &Empty::from(Map::new()))
            .body()
            .clone(),
    );
    let fingerprint = adjustment.fingerprint();
    let store = Arc::clone(&side.store);
    let begin_finish = move |(key, answer): (String, StoredAnswer)| {
        let store = Arc::clone(&store);
        let fingerprint = fingerprint.clone();
        async move {
            match store.begin(&key, &fingerprint).await {
                Ok(Begin::Claimed(claim)) => store
                    .finish(&claim, Outcome::Applied(answer))
                    .await
                    .expect("finished"),
                _ => unreachable!("a fresh key is claimed"),
            }
        }
    };
    let mut n = 0_u64;
    group.bench_function("store_begin_finish", |b| {
        b.iter_custom(|iters| {
            time_calls(
                &runtime,
                iters,
                || {
                    n += 1;
                    (format!("parts-{n:032x}"), stored.clone())
                },
                &begin_finish,
                || side.prune(),
            )
        })
    });

    // What `process` costs an event that finishes at once (polled in place), and one that has
    // to wait (a task of its own, awaited within the deadline).
    let awaited = |()| async {};
    group.bench_function("task_await_inline", |b| {
        b.iter_custom(|iters| time_calls(&runtime, iters, || (), &awaited, || {}))
    });
    let spawned = |()| async {
        tokio::time::timeout(DEFAULT_DEADLINE, tokio::spawn(async {}))
            .await
            .expect("in time")
            .expect("no panic")
    };
    group.bench_function("task_spawn_with_deadline", |b| {
        b.iter_custom(|iters| time_calls(&runtime, iters, || (), &spawned, || {}))
    });

    // Everything after parsing, for a fresh adjustment: spawn, store, wallet, store, answer.
    let receiver = side.receiver.clone();
    let process = move |event: Event| {
        let receiver = receiver.clone();
        async move { receiver.process(event).await }
    };
    let mut keys = Keys::default();
    group.bench_function("process_fresh", |b| {
        b.iter_custom(|iters| {
            time_calls(
                &runtime,
                iters,
                || parse(&keys.next_body()),
                &process,
                || side.prune(),
            )
        })
    });
    group.finish();
}

criterion_group!(benches, in_process, loopback, parts);
criterion_main!(benches);
