//! A callback receiver for an external wallet and a white label's own message channel, driven
//! by the sandbox playing the platform: a balance query, an adjustment, the same adjustment
//! delivered twice and a hundred times at once, an adjustment slower than the deadline (the
//! platform cancels it and the cancel reverses it), a cancel that overtakes its adjustment,
//! and signed email and SMS messages, one of them forged. The wallet's balance shows that
//! every adjustment moved money once or not at all.
//!
//! The wallet and the message channel are plain `async fn`s; the receiver is a tower service,
//! mounted here in an axum application under `/callbacks` (any framework that mounts a tower
//! service of `http` requests does as well).
//!
//! ```sh
//! cargo run -p mm-sdk --features callbacks --example webhook_receiver
//! ```

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use mm_sdk::Decimal;
use mm_sdk::callbacks::message_sign::MessageSignVerifier;
use mm_sdk::callbacks::receiver::{
    Adjustment, AdjustmentCancel, MessageHandler, Receiver, Refusal, Reversal, WasApplied,
    WebhookContext, WebhookHandler,
};
use mm_sdk::callbacks::store::{MemoryStore, StoreOptions};
use mm_sdk::callbacks::types::{
    EmailMessage, OperationType, SmsMessage, UserAmount, UserAmountQuery,
};
use mm_sdk_sandbox::platform::{self, Platform};
use rsa::pkcs8::{DecodePrivateKey, EncodePublicKey};
use secrecy::SecretString;

/// The white label's message key: a throwaway test key, never to be used anywhere real. The
/// back office is given its public half; the receiver keeps the private one.
const MESSAGE_KEY: &str = include_str!("../tests/fixtures/open_api_key.pkcs8.b64");
const COMPANY_ID: i64 = 421;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    // 1. The integrator's side: a wallet, a message channel, and the receiver around them,
    //    served over HTTP. A short deadline, so the slow adjustment below shows quickly.
    let wallet = Arc::new(Wallet::with("86000001", Decimal::new(1_000, 0)));
    let receiver = Receiver::builder()
        .webhooks(
            Arc::new(MemoryStore::new(StoreOptions::default())),
            wallet.clone(),
        )
        .messages(
            Arc::new(Outbox),
            MessageSignVerifier::new(&SecretString::from(MESSAGE_KEY.trim()))?,
        )
        .company_id(COMPANY_ID)
        .deadline(Duration::from_millis(500))
        .build();
    let app = axum::Router::new()
        .route("/health", axum::routing::get(|| async { "ok" }))
        .nest_service("/callbacks", receiver);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let base = url::Url::parse(&format!("http://{}/callbacks/", listener.local_addr()?))?;
    tokio::spawn(async move { axum::serve(listener, app).await });

    // 2. The platform's side, played by the sandbox.
    let der = BASE64.decode(MESSAGE_KEY.trim())?;
    let public_key = rsa::PrivateKey::from_pkcs8_der(&der)?
        .to_public_key()
        .to_public_key_der()?;
    let platform = Platform::new(base.clone(), COMPANY_ID)
        .cancel_attempts(20, Duration::from_millis(100))
        .message_key(&BASE64.encode(public_key.as_bytes()))?;

    let balance = platform.balance("86000001", "USD").await?;
    println!("balance query: {}", balance.body["data"]);

    let open = platform::Adjustment::new("86000001", "USD", Decimal::new(12_550, 2), "adj-1");
    let settled = platform.adjust(&open).await;
    println!("adjustment 125.50: applied {}", settled.applied());

    let [first, again] = platform.deliver_twice(&open).await;
    println!(
        "the same adjustment twice: {} then {} (the first answer again)",
        first?.code(),
        again?.code()
    );

    let burst = platform::Adjustment::new("86000001", "USD", Decimal::new(1, 0), "adj-2");
    let answers = platform.deliver_concurrently(&burst, 100).await;
    let applied = answers
        .iter()
        .filter(|a| a.as_ref().is_ok_and(platform::Reply::is_success))
        .count();
    println!("one adjustment 100 times at once: {applied} answered applied, applied once");

    let slow = platform::Adjustment::new("86000001", "USD", Decimal::new(50, 0), "slow-3");
    let settled = platform.adjust(&slow).await;
    let cancel = settled.cancel_settled().map(platform::Reply::code);
    println!(
        "a slow adjustment: answered {} at the deadline; its cancel, sent {} time(s), settled with {cancel:?}",
        settled.adjustment.as_ref().map_or("nothing", |r| r.code()),
        settled.cancels.len(),
    );

    let overtaken = platform::Adjustment::new("86000001", "USD", Decimal::new(7, 0), "adj-4");
    let (cancels, late) = platform.cancel_first(&overtaken).await;
    println!(
        "a cancel before its adjustment: {:?}, then the adjustment: {}",
        cancels
            .last()
            .and_then(|c| c.as_ref().ok())
            .map(platform::Reply::code),
        late?.code()
    );

    let email = platform
        .email("someone@example.com", "Code", "Your code is 847999.")
        .await?;
    let sms = platform.sms("18321956010", "Your code is 847999.").await?;
    println!("messages: email {}, SMS {}", email.code(), sms.code());
    let forger = Platform::new(base, COMPANY_ID).message_key(FORGED_PUBLIC_KEY)?;
    let forged = forger.sms("18321956010", "Send me your password").await?;
    println!(
        "a message signed with another key: HTTP {} {}",
        forged.status,
        forged.code()
    );

    // 3. What moved: 125.50 and 1 (once each); the slow 50 was applied, then reversed; the
    //    overtaken 7 never.
    let left = wallet.balance("86000001");
    println!("the wallet holds {left}");
    let expected = Decimal::new(1_000, 0) - Decimal::new(12_550, 2) - Decimal::new(1, 0);
    if left != expected || forged.status != 401 {
        return Err(format!("expected {expected} and a refused forgery").into());
    }
    Ok(())
}

/// The public half of a key the white label never configured (the docs' example pair).
const FORGED_PUBLIC_KEY: &str = "MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQCa7PS812qm7RMiONbErVCl7fjNtb1gYgQOsaxVOmp/wa0EH8W8QZ3VrtzwF9FbPe9crtES5RHUkV4LNaApk+WDnF6dQ217UnC+S2wb30S7rPMtHBi7DeyRfOqZkDGbsonTM0WW/WMM2eHNBbF4rfAKImzFe2ZkAl2GMHzHXc4aVQIDAQAB";

/// An external wallet: balances, and a ledger of the adjustments it applied, by
/// `requestUniqueNo`, so that a reversal gives back exactly what was taken.
#[derive(Default)]
struct Wallet {
    balances: Mutex<HashMap<String, Decimal>>,
    ledger: Mutex<HashMap<String, (String, Decimal)>>,
}

impl Wallet {
    fn with(user: &str, balance: Decimal) -> Self {
        let wallet = Self::default();
        wallet.lock_balances().insert(user.to_owned(), balance);
        wallet
    }

    fn balance(&self, user: &str) -> Decimal {
        self.lock_balances().get(user).copied().unwrap_or_default()
    }

    fn lock_balances(&self) -> std::sync::MutexGuard<'_, HashMap<String, Decimal>> {
        self.balances.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn lock_ledger(&self) -> std::sync::MutexGuard<'_, HashMap<String, (String, Decimal)>> {
        self.ledger.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl WebhookHandler for Wallet {
    async fn user_amount(
        &self,
        _: &WebhookContext,
        query: &UserAmountQuery,
    ) -> Result<UserAmount, Refusal> {
        let amount = self.balance(&query.user_name);
        Ok(UserAmount::new(
            amount,
            i32::try_from(amount.scale()).unwrap_or(0),
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
        let key = adjustment.request_unique_no();
        if key.starts_with("slow-") {
            // A ledger that takes longer than the receiver's deadline.
            tokio::time::sleep(Duration::from_secs(1)).await;
        }
        let request = adjustment.request();
        // Opening a position takes credit; closing gives it back; an abnormal loss comes with a
        // negative amount.
        let change = match request.operation_type {
            OperationType::OpenPosition => -adjustment.amount(),
            _ => adjustment.amount(),
        };
        let user = request.user_name.to_string();
        // The locks are taken after the last `.await`: a std guard held across one would make
        // the future not `Send`, which the compiler refuses.
        let mut balances = self.lock_balances();
        let balance = balances.entry(user.clone()).or_default();
        if *balance + change < Decimal::ZERO {
            return Err(Refusal::new("INSUFFICIENT", "not enough credit"));
        }
        *balance += change;
        self.lock_ledger().insert(key.to_owned(), (user, change));
        Ok(())
    }

    async fn reverse(
        &self,
        _: &WebhookContext,
        cancel: &AdjustmentCancel,
        _applied: WasApplied,
    ) -> Result<Reversal, Refusal> {
        // From the ledger, not from the cancel's fields.
        let Some((user, change)) = self
            .lock_ledger()
            .remove(cancel.reverse_request_unique_no())
        else {
            return Ok(Reversal::NotApplied);
        };
        *self.lock_balances().entry(user).or_default() -= change;
        Ok(Reversal::Reversed)
    }
}

/// A message channel that prints what it would send.
struct Outbox;

impl MessageHandler for Outbox {
    async fn email(&self, message: &EmailMessage) -> Result<(), Refusal> {
        println!(
            "  outbox: email \"{}\" to {}",
            message.title, message.to_user
        );
        Ok(())
    }

    async fn sms(&self, message: &SmsMessage) -> Result<(), Refusal> {
        println!("  outbox: SMS to {}", message.to_user);
        Ok(())
    }
}
