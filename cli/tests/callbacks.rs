//! `mm callbacks trigger` against the SDK's callback receiver (`mm_sdk::callbacks::receiver`,
//! as `examples/webhook_receiver.rs` serves it): an adjustment triggered twice with one
//! idempotency key moves the wallet once, and the second delivery is answered as applied.

use std::sync::{Arc, Mutex};

use mm_sdk::Decimal;
use mm_sdk::callbacks::receiver::{
    Adjustment, AdjustmentCancel, Receiver, Refusal, Reversal, WasApplied, WebhookContext,
    WebhookHandler,
};
use mm_sdk::callbacks::store::{MemoryStore, StoreOptions};
use mm_sdk::callbacks::types::{UserAmount, UserAmountQuery};
use mm_sdk_test_support::bounded;
use mm_sdk_test_support::server::Served;
use serde_json::Value;

mod common;

/// A wallet of one user that counts what it applies.
#[derive(Default)]
struct Wallet {
    balance: Mutex<Decimal>,
    applied: Mutex<Vec<String>>,
}

impl WebhookHandler for Wallet {
    async fn user_amount(
        &self,
        _: &WebhookContext,
        query: &UserAmountQuery,
    ) -> Result<UserAmount, Refusal> {
        let balance = *self.balance.lock().unwrap();
        Ok(UserAmount::new(
            balance,
            2,
            query.currency.as_str(),
            query.user_name.as_str(),
        ))
    }

    async fn apply(
        &self,
        _: &WebhookContext,
        adjustment: &Adjustment,
        _retry: bool,
    ) -> Result<(), Refusal> {
        *self.balance.lock().unwrap() -= adjustment.amount();
        self.applied
            .lock()
            .unwrap()
            .push(adjustment.request_unique_no().to_owned());
        Ok(())
    }

    async fn reverse(
        &self,
        _: &WebhookContext,
        _: &AdjustmentCancel,
        _: WasApplied,
    ) -> Result<Reversal, Refusal> {
        Ok(Reversal::NotApplied)
    }
}

async fn trigger(args: &[&str]) -> (Option<i32>, Value, String) {
    let output = common::mm(&[&["callbacks", "trigger"], args].concat(), None, &[]).await;
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    let printed = serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("mm printed JSON ({e}): {stderr}"));
    (output.status.code(), printed, stderr)
}

#[tokio::test(flavor = "multi_thread")]
async fn an_adjustment_triggered_twice_is_applied_once() {
    bounded(async {
        let wallet = Arc::new(Wallet {
            balance: Mutex::new(Decimal::new(1_000, 0)),
            ..Wallet::default()
        });
        let receiver = Receiver::builder()
            .webhooks(
                Arc::new(MemoryStore::new(StoreOptions::default())),
                wallet.clone(),
            )
            .company_id(421)
            .build();
        let served = Served::start(axum::Router::new().nest_service("/callbacks", receiver)).await;
        let to = format!("{}/callbacks/", served.base_url().trim_end_matches('/'));
        let args = [
            "adjustment",
            "--to",
            &to,
            "--user",
            "86000001",
            "--currency",
            "USD",
            "--amount",
            "125.50",
            "--request-no",
            "adj-cli-1",
        ];
        let (status, first, stderr) = trigger(&args).await;
        assert_eq!(status, Some(0), "{stderr}");
        assert_eq!(first["applied"], true, "{first}");
        assert_eq!(first["answer"]["status"], 200, "{first}");
        let (status, again, stderr) = trigger(&args).await;
        assert_eq!(status, Some(0), "{stderr}");
        assert_eq!(
            again["applied"], true,
            "a repeat is answered as applied: {again}"
        );
        assert_eq!(*wallet.applied.lock().unwrap(), ["adj-cli-1"]);
        assert_eq!(*wallet.balance.lock().unwrap(), Decimal::new(87_450, 2));

        let (status, balance, stderr) = trigger(&[
            "balance",
            "--to",
            &to,
            "--user",
            "86000001",
            "--currency",
            "USD",
        ])
        .await;
        assert_eq!(status, Some(0), "{stderr}");
        assert_eq!(balance["answer"]["status"], 200, "{balance}");
    })
    .await;
}
