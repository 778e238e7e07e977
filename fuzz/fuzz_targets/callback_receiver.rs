//! Any request to the callback receiver, read as `Receiver::parse` reads it: any path among
//! the five, method, headers and body.
//!
//! - never a panic;
//! - an event is of the callback it came by, from a POST within the body limit, and an
//!   adjustment's or a cancel's amount is exactly the text sent, with `amountDigits` places;
//! - a rejection is of that callback, answered with a 4xx status and a JSON body carrying its
//!   code and a bounded `msg`; a refused `sign` says nothing of why.

#![no_main]

use std::sync::{Arc, LazyLock};

use http::{HeaderMap, HeaderName, HeaderValue, Method};
use libfuzzer_sys::fuzz_target;
use mm_sdk::Decimal;
use mm_sdk::callbacks::message_sign::MessageSignVerifier;
use mm_sdk::callbacks::receiver::{
    Adjustment, AdjustmentCancel, Callback, Event, MessageHandler, Reason, Receiver, Refusal,
    Reversal, WasApplied, WebhookContext, WebhookHandler,
};
use mm_sdk::callbacks::store::{MemoryStore, StoreOptions};
use mm_sdk::callbacks::types::{EmailMessage, SmsMessage, UserAmount, UserAmountQuery};
use secrecy::SecretString;

const BODY_LIMIT: usize = 4096;

/// Never called: parsing runs no handler.
struct Nobody;

impl WebhookHandler for Nobody {
    async fn user_amount(
        &self,
        _: &WebhookContext,
        _: &UserAmountQuery,
    ) -> Result<UserAmount, Refusal> {
        unreachable!("parse ran a handler")
    }

    async fn apply(&self, _: &WebhookContext, _: &Adjustment, _: bool) -> Result<(), Refusal> {
        unreachable!("parse ran a handler")
    }

    async fn reverse(
        &self,
        _: &WebhookContext,
        _: &AdjustmentCancel,
        _: WasApplied,
    ) -> Result<Reversal, Refusal> {
        unreachable!("parse ran a handler")
    }
}

impl MessageHandler for Nobody {
    async fn email(&self, _: &EmailMessage) -> Result<(), Refusal> {
        unreachable!("parse ran a handler")
    }

    async fn sms(&self, _: &SmsMessage) -> Result<(), Refusal> {
        unreachable!("parse ran a handler")
    }
}

static RECEIVER: LazyLock<Receiver> = LazyLock::new(|| {
    let key = include_str!("../../sdk-ergonomic/tests/fixtures/open_api_key.pkcs8.b64");
    let verifier = MessageSignVerifier::new(&SecretString::from(key.to_owned())).unwrap();
    Receiver::builder()
        .webhooks(
            Arc::new(MemoryStore::new(StoreOptions::default())),
            Arc::new(Nobody),
        )
        .messages(Arc::new(Nobody), verifier)
        .body_limit(BODY_LIMIT)
        .build()
});

fuzz_target!(|input: (u8, &str, &[u8])| {
    let (selector, head, body) = input;
    let callback = Callback::ALL[usize::from(selector) % Callback::ALL.len()];
    let method = if selector & 0x80 == 0 {
        Method::POST
    } else {
        Method::PUT
    };
    let mut headers = HeaderMap::new();
    // Well-formed webhook headers unless the fuzzer asks otherwise; then its own, line by line.
    if selector & 0x40 == 0 {
        headers.insert("trace", HeaderValue::from_static("fuzz-trace"));
        headers.insert("companyid", HeaderValue::from_static("421"));
        headers.insert("timestamp", HeaderValue::from_static("1764817200000"));
    }
    for line in head.lines() {
        let Some((name, value)) = line.split_once(':') else {
            continue;
        };
        if let (Ok(name), Ok(value)) = (
            HeaderName::from_bytes(name.trim().as_bytes()),
            HeaderValue::from_str(value.trim()),
        ) {
            headers.append(name, value);
        }
    }

    match RECEIVER.parse(callback, &method, &headers, body) {
        Ok(event) => {
            assert_eq!(event.callback(), callback);
            assert_eq!(method, Method::POST);
            assert!(body.len() <= BODY_LIMIT);
            let json: serde_json::Value = serde_json::from_slice(body).expect("parsed, so JSON");
            let sent = match &json["amount"] {
                serde_json::Value::String(text) => text.clone(),
                other => other.to_string(),
            };
            let (amount, digits) = match &event {
                Event::Adjustment(_, a) => (a.amount(), a.request().amount_digits),
                Event::Cancel(_, c) => (c.amount(), c.request().amount_digits),
                _ => return,
            };
            assert_eq!(i64::from(amount.scale()), i64::from(digits));
            assert_eq!(Decimal::from_str_exact(&sent).ok(), Some(amount), "{sent}");
        }
        Err(rejection) => {
            assert_eq!(rejection.callback(), Some(callback));
            let answer = rejection.answer();
            assert!(answer.status().is_client_error(), "{:?}", answer.status());
            assert_eq!(answer.code(), rejection.code());
            let body: serde_json::Value =
                serde_json::from_slice(answer.body()).expect("a JSON answer");
            assert_eq!(body["code"], rejection.code());
            let msg = body["msg"].as_str().expect("a msg");
            assert!(msg.chars().count() <= 259, "{msg}");
            if let Reason::BadSign(_) = rejection.reason() {
                assert_eq!(msg, "the sign was refused");
            }
        }
    }
});
