//! The token holder renews once per expiry, however many tasks ask at once.
//!
//! These tests run a thousand tasks on a multi-threaded runtime against a refresh endpoint
//! that answers slowly. They use a small server of their own rather than wiremock's
//! `MockServer`: dropping that one verifies its expectations with a blocking `block_on`
//! inside the runtime, which once held a run of this suite spinning for 16 minutes. This
//! server's drop only signals its task to stop.

use std::sync::Arc;
use std::time::Duration;

use crate::common::*;
use axum::extract::State;
use mm_sdk::extras::auth2_login::{TokenHolder, Tokens};
use mm_sdk::{AccessToken, Error, MultiMarkets, RefreshToken};
use mm_sdk_test_support::server::Served;
use serde_json::Value;
use tokio::sync::Mutex;
use url::Url;

// One client shared by every task and thread; one holder shared behind an `Arc`.
const _: () = {
    const fn shared<T: Send + Sync + Clone + 'static>() {}
    const fn shared_behind_arc<T: Send + Sync + 'static>() {}
    shared::<MultiMarkets>();
    shared_behind_arc::<TokenHolder>();
    shared_behind_arc::<Error>();
};

fn tokens(access: &str) -> Tokens {
    Tokens {
        access: AccessToken::new(access),
        refresh: RefreshToken::new("refresh-0"),
    }
}

/// How the refresh endpoint answers refresh number `n` (from 1).
type Answer = fn(usize) -> Value;

/// A local Auth2 refresh endpoint: every refresh is recorded and answered `delay` later.
struct RefreshServer {
    server: Served,
    received: Arc<Mutex<Vec<Value>>>,
}

#[derive(Clone)]
struct Shared {
    delay: Duration,
    answer: Answer,
    received: Arc<Mutex<Vec<Value>>>,
}

impl RefreshServer {
    async fn start(delay: Duration, answer: Answer) -> Self {
        let received = Arc::new(Mutex::new(Vec::new()));
        let shared = Shared {
            delay,
            answer,
            received: received.clone(),
        };
        let app = axum::Router::new()
            .route(
                "/cats-gateway-auth2/auth2/refresh",
                axum::routing::post(refresh),
            )
            .with_state(shared);
        let server = Served::start(app).await;
        Self { server, received }
    }

    fn client(&self) -> MultiMarkets {
        let base = Url::parse(&self.server.base_url()).unwrap();
        builder_at(&base).build().unwrap()
    }

    /// The bodies of the refreshes received so far.
    async fn received(&self) -> Vec<Value> {
        self.received.lock().await.clone()
    }
}

async fn refresh(State(shared): State<Shared>, body: axum::Json<Value>) -> axum::Json<Value> {
    let n = {
        let mut received = shared.received.lock().await;
        received.push(body.0);
        received.len()
    };
    tokio::time::sleep(shared.delay).await;
    axum::Json((shared.answer)(n))
}

/// The docs' example answer, whatever the refresh.
fn documented(_: usize) -> Value {
    example("auth2/refresh_token.response.json")
}

/// Refresh number `n` answered with the pair `access-n` / `refresh-n`.
fn rotating(n: usize) -> Value {
    let mut body = example("auth2/refresh_token.response.json");
    body["data"]["accessToken"] = format!("access-{n}").into();
    body["data"]["refreshToken"] = format!("refresh-{n}").into();
    body
}

fn refreshed() -> String {
    example("auth2/refresh_token.response.json")["data"]["accessToken"]
        .as_str()
        .unwrap()
        .to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_concurrent_callers_of_a_due_pair_cause_one_refresh() {
    bounded(async {
        let server = RefreshServer::start(Duration::from_millis(50), documented).await;
        let lifetime = Duration::from_secs(1);
        let holder = Arc::new(TokenHolder::new(server.client(), tokens("stale"), lifetime));
        tokio::time::sleep(lifetime).await;

        for token in access_from_a_thousand_tasks(&holder).await {
            assert_eq!(token, refreshed());
        }
        assert_eq!(server.received().await.len(), 1);
    })
    .await;
}

/// The access tokens 1,000 concurrent tasks got from `holder`.
async fn access_from_a_thousand_tasks(holder: &Arc<TokenHolder>) -> Vec<String> {
    let tasks: Vec<_> = (0..1000)
        .map(|_| {
            let holder = holder.clone();
            tokio::spawn(async move { holder.access_token().await })
        })
        .collect();
    let mut tokens = Vec::new();
    for task in tasks {
        tokens.push(task.await.unwrap().unwrap().expose_secret().to_owned());
    }
    tokens
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_refresh_per_expiry_under_concurrency() {
    bounded(async {
        let server = RefreshServer::start(Duration::from_millis(50), documented).await;
        let holder = Arc::new(TokenHolder::new(
            server.client(),
            tokens("stale"),
            Duration::from_secs(3600),
        ));

        // Every task was refused the same stale token at once: one refresh serves them all.
        let stale = AccessToken::new("stale");
        let tasks: Vec<_> = (0..1000)
            .map(|_| {
                let (holder, stale) = (holder.clone(), stale.clone());
                tokio::spawn(async move { holder.refresh_rejected(&stale).await })
            })
            .collect();
        for task in tasks {
            assert_eq!(task.await.unwrap().unwrap().expose_secret(), refreshed());
        }
        assert_eq!(server.received().await.len(), 1);
        // Fresh now: no further refresh.
        assert_eq!(
            holder.access_token().await.unwrap().expose_secret(),
            refreshed()
        );
        assert_eq!(server.received().await.len(), 1);
    })
    .await;
}

#[tokio::test]
async fn renews_when_due_and_not_before() {
    bounded(async {
        let server = RefreshServer::start(Duration::ZERO, documented).await;
        let lifetime = Duration::from_millis(300);
        let holder = TokenHolder::new(server.client(), tokens("first"), lifetime);

        assert_eq!(
            holder.access_token().await.unwrap().expose_secret(),
            "first"
        );
        assert_eq!(server.received().await.len(), 0);

        tokio::time::sleep(lifetime).await;
        assert_eq!(
            holder.access_token().await.unwrap().expose_secret(),
            refreshed()
        );
        assert_eq!(server.received().await.len(), 1);
        assert_eq!(
            holder.tokens().await.refresh.expose_secret(),
            example("auth2/refresh_token.response.json")["data"]["refreshToken"]
                .as_str()
                .unwrap()
        );
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_refresh_per_expiry_over_several_expiries() {
    bounded(async {
        let server = RefreshServer::start(Duration::from_millis(50), rotating).await;
        let lifetime = Duration::from_secs(1);
        let holder = Arc::new(TokenHolder::new(
            server.client(),
            tokens("access-0"),
            lifetime,
        ));

        for expiry in 1..=3 {
            tokio::time::sleep(lifetime).await;
            for token in access_from_a_thousand_tasks(&holder).await {
                assert_eq!(token, format!("access-{expiry}"));
            }
            let received = server.received().await;
            assert_eq!(received.len(), expiry, "refreshes after expiry {expiry}");
            // Each refresh sent the refresh token the one before returned.
            let sent = received.last().unwrap();
            assert_eq!(
                sent["refreshToken"],
                format!("refresh-{}", expiry - 1).as_str()
            );
        }
    })
    .await;
}
