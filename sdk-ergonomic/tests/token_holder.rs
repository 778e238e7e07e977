//! The token holder renews once per expiry, however many tasks ask at once.

mod common;

use std::sync::Arc;
use std::time::Duration;

use common::*;
use mm_sdk::auth2::{TokenHolder, Tokens};
use mm_sdk::{AccessToken, RefreshToken};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

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

    let tasks: Vec<_> = (0..1000)
        .map(|_| {
            let holder = holder.clone();
            tokio::spawn(async move { holder.access_token().await })
        })
        .collect();
    for task in tasks {
        assert_eq!(task.await.unwrap().unwrap().expose_secret(), refreshed());
    }
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
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
