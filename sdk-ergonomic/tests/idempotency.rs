//! A write of the Client API's gateway carries an `idempotency-key`: a fresh one per call, the
//! same on every attempt of that call, which makes it safe to send again after a timeout or a
//! broken connection (the gateway answers a repeated key with the first result). A write
//! without one (the Manager API's) is still sent once.

use crate::common::bounded;
use crate::common::faulty::{FaultyServer, Reply, client_at};
use mm_sdk::extras::back_office::BalanceAdjustment;
use mm_sdk::{ErrorKind, LoginToken, MultiMarkets};
use serde_json::json;

/// `delete_api`: a write under `/api`, which the spec gives an idempotency key.
async fn delete_key(mm: &MultiMarkets) -> Result<(), mm_sdk::Error> {
    mm.api_keys()
        .delete(&LoginToken::new("login-token"), 42)
        .await
}

fn success() -> serde_json::Value {
    json!({"code": "0", "ok": true, "fail": false, "msg": "success", "data": null})
}

/// A key is a UUID v4, as the gateway's caching expects something unique per call.
fn assert_uuid(key: &str) {
    let parsed = uuid::Uuid::parse_str(key).unwrap_or_else(|e| panic!("{key:?}: {e}"));
    assert_eq!(parsed.get_version_num(), 4, "{key}");
}

#[tokio::test]
async fn a_write_cut_off_before_its_answer_is_sent_again_with_the_same_key() {
    bounded(async {
        let envelope = success();
        // The first attempt reaches the server and its answer is lost; then a timeout; then
        // the gateway's "too fast" for a key still being processed; then the answer.
        let server = FaultyServer::start(move |n| match n {
            0 => Reply::Close(Vec::new()),
            1 => Reply::Stall(Vec::new()),
            2 => Reply::json(&json!({
                "code": "GATEWAY_CODE_018", "bizCode": "G", "ok": false, "fail": true,
                "msg": "The request frequency is too fast, please try again later"
            })),
            _ => Reply::json(&envelope),
        })
        .await;
        let mm = client_at(&server.url());
        // Three attempts by the test client's policy: the third is refused as "too fast".
        let error = delete_key(&mm).await.unwrap_err();
        assert!(
            matches!(error.kind(), ErrorKind::Api(api) if api.code == "GATEWAY_CODE_018"),
            "{error:?}"
        );
        let received = server.requests();
        assert_eq!(received.len(), 3, "every attempt was sent");
        let keys: Vec<_> = received
            .iter()
            .map(|r| {
                r.header("idempotency-key")
                    .expect("every attempt has a key")
            })
            .collect();
        assert_uuid(keys[0]);
        assert!(keys.iter().all(|k| *k == keys[0]), "{keys:?}");
        // The trace id too is the call's, not the attempt's.
        let traces: Vec<_> = received.iter().map(|r| r.header("trace")).collect();
        assert!(traces.iter().all(|t| *t == traces[0]));

        // The next call succeeds at its first attempt, with a key of its own.
        delete_key(&mm).await.unwrap();
        let received = server.requests();
        assert_eq!(received.len(), 4);
        let fresh = received[3].header("idempotency-key").unwrap();
        assert_uuid(fresh);
        assert_ne!(fresh, keys[0], "each call has its own key");
    })
    .await;
}

#[tokio::test]
async fn reads_and_writes_without_a_key_behave_as_before() {
    bounded(async {
        // A read of the Client API has no key: the gateway needs none to repeat it.
        let server = FaultyServer::start(|_| {
            Reply::json(&json!({"code": "0", "ok": true, "data": {"list": []}}))
        })
        .await;
        let mm = client_at(&server.url());
        let _ = mm
            .sign_up()
            .third_login_config(mm_sdk::extras::sign_up::SocialProvider::Google)
            .await;
        assert_eq!(server.requests()[0].header("idempotency-key"), None);

        // A Manager write has none either (upstream documents the key for the Client API's
        // gateway only): a connection closed before its answer fails it at once.
        let server = FaultyServer::start(|_| Reply::Close(Vec::new())).await;
        let mm = client_at(&server.url());
        let bonus = BalanceAdjustment::new("86000020", "USDT", 5.into()).account_id(1);
        let error = mm.back_office().adjust_balance(&bonus).await.unwrap_err();
        assert_eq!(error.kind(), &ErrorKind::Transport { connect: false });
        let received = server.requests();
        assert_eq!(received.len(), 1, "a write without a key is sent once");
        assert_eq!(received[0].header("idempotency-key"), None);
    })
    .await;
}
