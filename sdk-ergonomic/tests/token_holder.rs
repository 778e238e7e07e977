//! The token holder renews once per expiry, however many tasks ask at once.

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use common::*;
use mm_sdk::auth2::{TokenHolder, Tokens};
use mm_sdk::{AccessToken, Error, MultiMarkets, RefreshToken};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

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

async fn refresh_server(delay: Duration) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/cats-gateway-auth2/auth2/refresh"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(example("auth2/refresh_token.response.json"))
                .set_delay(delay),
        )
        .mount(&server)
        .await;
    server
}

fn refreshed() -> String {
    example("auth2/refresh_token.response.json")["data"]["accessToken"]
        .as_str()
        .unwrap()
        .to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_concurrent_callers_of_a_due_pair_cause_one_refresh() {
    let server = refresh_server(Duration::from_millis(50)).await;
    let lifetime = Duration::from_secs(1);
    let holder = Arc::new(TokenHolder::new(
        client_for(&server),
        tokens("stale"),
        lifetime,
    ));
    tokio::time::sleep(lifetime).await;

    for token in access_from_a_thousand_tasks(&holder).await {
        assert_eq!(token, refreshed());
    }
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
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
    let server = refresh_server(Duration::from_millis(50)).await;
    let holder = Arc::new(TokenHolder::new(
        client_for(&server),
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
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
    // Fresh now: no further refresh.
    assert_eq!(
        holder.access_token().await.unwrap().expose_secret(),
        refreshed()
    );
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}

#[tokio::test]
async fn renews_when_due_and_not_before() {
    let server = refresh_server(Duration::ZERO).await;
    let lifetime = Duration::from_millis(300);
    let holder = TokenHolder::new(client_for(&server), tokens("first"), lifetime);

    assert_eq!(
        holder.access_token().await.unwrap().expose_secret(),
        "first"
    );
    assert_eq!(server.received_requests().await.unwrap().len(), 0);

    tokio::time::sleep(lifetime).await;
    assert_eq!(
        holder.access_token().await.unwrap().expose_secret(),
        refreshed()
    );
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
    assert_eq!(
        holder.tokens().await.refresh.expose_secret(),
        example("auth2/refresh_token.response.json")["data"]["refreshToken"]
            .as_str()
            .unwrap()
    );
}

/// Answers refresh number `n` (from 1) with the pair `access-n` / `refresh-n`.
struct Rotating(AtomicUsize);

impl Respond for Rotating {
    fn respond(&self, _: &Request) -> ResponseTemplate {
        let n = self.0.fetch_add(1, Ordering::SeqCst) + 1;
        let mut body = example("auth2/refresh_token.response.json");
        body["data"]["accessToken"] = format!("access-{n}").into();
        body["data"]["refreshToken"] = format!("refresh-{n}").into();
        ResponseTemplate::new(200)
            .set_body_json(body)
            .set_delay(Duration::from_millis(50))
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_refresh_per_expiry_over_several_expiries() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/cats-gateway-auth2/auth2/refresh"))
        .respond_with(Rotating(AtomicUsize::new(0)))
        .mount(&server)
        .await;
    let lifetime = Duration::from_secs(1);
    let holder = Arc::new(TokenHolder::new(
        client_for(&server),
        tokens("access-0"),
        lifetime,
    ));

    for expiry in 1..=3 {
        tokio::time::sleep(lifetime).await;
        for token in access_from_a_thousand_tasks(&holder).await {
            assert_eq!(token, format!("access-{expiry}"));
        }
        let received = server.received_requests().await.unwrap();
        assert_eq!(received.len(), expiry, "refreshes after expiry {expiry}");
        // Each refresh sent the refresh token the one before returned.
        let sent = json_body(received.last().unwrap());
        assert_eq!(
            sent["refreshToken"],
            format!("refresh-{}", expiry - 1).as_str()
        );
    }
}
