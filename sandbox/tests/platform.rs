//! The sandbox playing the platform against a real receiver (`mm_sdk::callbacks`, a tower
//! service mounted in axum on a loopback port): upstream's protocol for an adjustment and its
//! cancel, the deliveries a network produces (a repeat, a burst, a cancel first), and signed
//! messages.
//! Each test checks what the platform was answered and what the integrator's handler did.

use std::sync::Arc;
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};
use std::time::Duration;

use mm_sdk::Decimal;
use mm_sdk::callbacks::message_sign::MessageSignVerifier;
use mm_sdk::callbacks::receiver::{
    Adjustment, AdjustmentCancel, MessageHandler, Receiver, Refusal, Reversal, WasApplied,
    WebhookContext, WebhookHandler,
};
use mm_sdk::callbacks::store::{MemoryStore, StoreOptions};
use mm_sdk::callbacks::types::{EmailMessage, SmsMessage, UserAmount, UserAmountQuery};
use mm_sdk_sandbox::platform::{self, Platform, Reply};
use mm_sdk_test_support::bounded;

const COMPANY_ID: i64 = 421;
/// The white label's message key: the SDK's test key.
const MESSAGE_KEY: &str = include_str!("../../sdk-ergonomic/tests/fixtures/open_api_key.pkcs8.b64");

/// A handler that counts what it does; adjustments whose key starts with `slow-` take 600 ms.
#[derive(Default)]
struct Counting {
    applied: AtomicU32,
    reversed: AtomicU32,
    /// The sum of the applied amounts still in force, in cents.
    net_cents: AtomicU64,
    messages: AtomicU32,
}

fn cents(amount: Decimal) -> u64 {
    let mut cents = amount * Decimal::ONE_HUNDRED;
    cents.rescale(0);
    u64::try_from(cents.mantissa()).unwrap_or(u64::MAX)
}

impl WebhookHandler for Counting {
    async fn user_amount(
        &self,
        _: &WebhookContext,
        query: &UserAmountQuery,
    ) -> Result<UserAmount, Refusal> {
        Ok(UserAmount::new(
            Decimal::new(4_210_980, 5),
            5,
            query.currency.clone(),
            query.user_name.clone(),
        ))
    }

    async fn apply(
        &self,
        _: &WebhookContext,
        adjustment: &Adjustment,
        _: bool,
    ) -> Result<(), Refusal> {
        if adjustment.request_unique_no().starts_with("slow-") {
            tokio::time::sleep(Duration::from_millis(600)).await;
        }
        self.applied.fetch_add(1, Ordering::SeqCst);
        self.net_cents
            .fetch_add(cents(adjustment.amount()), Ordering::SeqCst);
        Ok(())
    }

    async fn reverse(
        &self,
        _: &WebhookContext,
        cancel: &AdjustmentCancel,
        _: WasApplied,
    ) -> Result<Reversal, Refusal> {
        self.reversed.fetch_add(1, Ordering::SeqCst);
        self.net_cents
            .fetch_sub(cents(cancel.amount()), Ordering::SeqCst);
        Ok(Reversal::Reversed)
    }
}

impl MessageHandler for Counting {
    async fn email(&self, _: &EmailMessage) -> Result<(), Refusal> {
        self.messages.fetch_add(1, Ordering::SeqCst);
        Ok(())
    }

    async fn sms(&self, _: &SmsMessage) -> Result<(), Refusal> {
        self.messages.fetch_add(1, Ordering::SeqCst);
        Ok(())
    }
}

/// A receiver with a 300 ms deadline around `handler`, served on a loopback port, and the
/// platform pointed at it.
async fn receiver_and_platform(handler: Arc<Counting>) -> Platform {
    let verifier = MessageSignVerifier::new(&MESSAGE_KEY.trim().to_owned().into())
        .expect("the test key reads");
    let receiver = Receiver::builder()
        .webhooks(
            Arc::new(MemoryStore::new(StoreOptions::default())),
            handler.clone(),
        )
        .messages(handler, verifier)
        .deadline(Duration::from_millis(300))
        .build();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a loopback port");
    let base = url::Url::parse(&format!("http://{}/", listener.local_addr().unwrap())).unwrap();
    let app = axum::Router::new().fallback_service(receiver);
    tokio::spawn(async move { axum::serve(listener, app).await });
    Platform::new(base, COMPANY_ID).cancel_attempts(30, Duration::from_millis(50))
}

fn code(reply: &Result<Reply, platform::DeliveryError>) -> String {
    match reply {
        Ok(reply) => reply.code().to_owned(),
        Err(error) => format!("no answer: {error}"),
    }
}

#[tokio::test]
async fn an_adjustment_and_its_repeats_move_money_once() {
    bounded(async {
        let handler = Arc::new(Counting::default());
        let platform = receiver_and_platform(handler.clone()).await;
        let adjustment =
            platform::Adjustment::new("86000001", "USD", Decimal::new(12_550, 2), "adj-1");

        let settlement = platform.adjust(&adjustment).await;
        assert!(settlement.applied(), "{:?}", settlement.adjustment);
        assert!(settlement.cancels.is_empty(), "no cancel after a success");
        let [first, second] = platform.deliver_twice(&adjustment).await;
        assert_eq!((code(&first), code(&second)), ("0".into(), "0".into()));
        let burst = platform.deliver_concurrently(&adjustment, 50).await;
        assert!(burst.iter().all(|reply| code(reply) == "0"), "{burst:?}");

        assert_eq!(handler.applied.load(Ordering::SeqCst), 1);
        assert_eq!(handler.net_cents.load(Ordering::SeqCst), 12_550);

        let balance = platform
            .balance("86000001", "USD")
            .await
            .expect("an answer");
        assert_eq!(balance.body["data"]["amount"], "42.10980");
        assert_eq!(balance.body["data"]["amountDigits"], 5);
    })
    .await;
}

#[tokio::test]
async fn a_slow_adjustment_is_cancelled_and_reversed_once() {
    bounded(async {
        let handler = Arc::new(Counting::default());
        let platform = receiver_and_platform(handler.clone()).await;
        let adjustment =
            platform::Adjustment::new("86000001", "USD", Decimal::new(5_000, 2), "slow-1");

        let settlement = platform.adjust(&adjustment).await;
        // Answered at the receiver's deadline, so the platform cancels; the cancel waits
        // (in progress) until the slow apply is done, then reverses it.
        assert_eq!(code(&settlement.adjustment), "RCV_DEADLINE");
        let settled = settlement.cancel_settled().expect("the cancel was settled");
        assert_eq!(settled.code(), "0");
        assert!(
            settlement
                .cancels
                .iter()
                .any(|c| code(c) == "RCV_IN_PROGRESS"),
            "{:?}",
            settlement.cancels
        );
        assert_eq!(handler.applied.load(Ordering::SeqCst), 1);
        assert_eq!(handler.reversed.load(Ordering::SeqCst), 1);
        assert_eq!(handler.net_cents.load(Ordering::SeqCst), 0);

        // The platform repeats a settled cancel: the same answer, nothing reversed again.
        let again = platform.cancel(&adjustment, "repeat").await;
        assert_eq!(again.iter().map(code).collect::<Vec<_>>(), ["0"]);
        assert_eq!(handler.reversed.load(Ordering::SeqCst), 1);
    })
    .await;
}

#[tokio::test]
async fn a_cancel_that_overtakes_its_adjustment_keeps_it_from_being_applied() {
    bounded(async {
        let handler = Arc::new(Counting::default());
        let platform = receiver_and_platform(handler.clone()).await;
        let adjustment = platform::Adjustment::new("86000001", "USD", Decimal::new(7, 0), "adj-2");

        let (cancels, late) = platform.cancel_first(&adjustment).await;
        assert_eq!(cancels.iter().map(code).collect::<Vec<_>>(), ["US_0000002"]);
        assert_eq!(code(&late), "RCV_CANCELLED");
        assert_eq!(handler.applied.load(Ordering::SeqCst), 0);
        assert_eq!(handler.reversed.load(Ordering::SeqCst), 0);
    })
    .await;
}

#[tokio::test]
async fn signed_messages_are_delivered_and_forged_ones_refused() {
    bounded(async {
        use base64::Engine as _;
        use rsa::pkcs8::{DecodePrivateKey, EncodePublicKey};

        let handler = Arc::new(Counting::default());
        let platform = receiver_and_platform(handler.clone()).await;
        let der = base64::engine::general_purpose::STANDARD
            .decode(MESSAGE_KEY.trim())
            .unwrap();
        let public = rsa::RsaPrivateKey::from_pkcs8_der(&der)
            .unwrap()
            .to_public_key()
            .to_public_key_der()
            .unwrap();
        let public = base64::engine::general_purpose::STANDARD.encode(public.as_bytes());
        let signed = platform.clone().message_key(&public).expect("a public key");

        let email = signed.email("someone@example.com", "Code", "847999").await.unwrap();
        let sms = signed.sms("18321956010", "847999").await.unwrap();
        assert_eq!((email.status, email.code()), (200, "200"));
        assert_eq!((sms.status, sms.code()), (200, "200"));

        // Signed with a key the white label never configured (the docs' example pair).
        let forger = platform
            .message_key("MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQCa7PS812qm7RMiONbErVCl7fjNtb1gYgQOsaxVOmp/wa0EH8W8QZ3VrtzwF9FbPe9crtES5RHUkV4LNaApk+WDnF6dQ217UnC+S2wb30S7rPMtHBi7DeyRfOqZkDGbsonTM0WW/WMM2eHNBbF4rfAKImzFe2ZkAl2GMHzHXc4aVQIDAQAB")
            .expect("a public key");
        let forged = forger.sms("18321956010", "847999").await.unwrap();
        assert_eq!((forged.status, forged.code()), (401, "RCV_BAD_SIGN"));
        assert_eq!(handler.messages.load(Ordering::SeqCst), 2);
    })
    .await;
}
