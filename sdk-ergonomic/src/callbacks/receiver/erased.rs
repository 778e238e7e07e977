//! The handlers and the store as the receiver holds them: behind `dyn`, so that one
//! `Receiver` type serves any of them. Their public traits are written with `async fn`, which a
//! trait object cannot call; these mirrors box each future instead, and every implementation
//! of a public trait is one of them.

use futures::future::BoxFuture;

use super::super::store::{
    AdjustmentStore, Begin, Cancel, Claim, Fingerprint, Outcome, ReverseClaim, StoreError,
    StoredAnswer,
};
use super::super::types::{EmailMessage, SmsMessage, UserAmount, UserAmountQuery};
use super::event::{Adjustment, AdjustmentCancel, WebhookContext};
use super::handler::{MessageHandler, Refusal, Reversal, WasApplied, WebhookHandler};

/// [`WebhookHandler`] behind `dyn`.
pub(super) trait ErasedWebhookHandler: Send + Sync {
    fn user_amount<'a>(
        &'a self,
        cx: &'a WebhookContext,
        query: &'a UserAmountQuery,
    ) -> BoxFuture<'a, Result<UserAmount, Refusal>>;

    fn apply<'a>(
        &'a self,
        cx: &'a WebhookContext,
        adjustment: &'a Adjustment,
        retry: bool,
    ) -> BoxFuture<'a, Result<(), Refusal>>;

    fn reverse<'a>(
        &'a self,
        cx: &'a WebhookContext,
        cancel: &'a AdjustmentCancel,
        applied: WasApplied,
    ) -> BoxFuture<'a, Result<Reversal, Refusal>>;
}

impl<H: WebhookHandler> ErasedWebhookHandler for H {
    fn user_amount<'a>(
        &'a self,
        cx: &'a WebhookContext,
        query: &'a UserAmountQuery,
    ) -> BoxFuture<'a, Result<UserAmount, Refusal>> {
        Box::pin(WebhookHandler::user_amount(self, cx, query))
    }

    fn apply<'a>(
        &'a self,
        cx: &'a WebhookContext,
        adjustment: &'a Adjustment,
        retry: bool,
    ) -> BoxFuture<'a, Result<(), Refusal>> {
        Box::pin(WebhookHandler::apply(self, cx, adjustment, retry))
    }

    fn reverse<'a>(
        &'a self,
        cx: &'a WebhookContext,
        cancel: &'a AdjustmentCancel,
        applied: WasApplied,
    ) -> BoxFuture<'a, Result<Reversal, Refusal>> {
        Box::pin(WebhookHandler::reverse(self, cx, cancel, applied))
    }
}

/// [`MessageHandler`] behind `dyn`.
pub(super) trait ErasedMessageHandler: Send + Sync {
    fn email<'a>(&'a self, message: &'a EmailMessage) -> BoxFuture<'a, Result<(), Refusal>>;

    fn sms<'a>(&'a self, message: &'a SmsMessage) -> BoxFuture<'a, Result<(), Refusal>>;
}

impl<H: MessageHandler> ErasedMessageHandler for H {
    fn email<'a>(&'a self, message: &'a EmailMessage) -> BoxFuture<'a, Result<(), Refusal>> {
        Box::pin(MessageHandler::email(self, message))
    }

    fn sms<'a>(&'a self, message: &'a SmsMessage) -> BoxFuture<'a, Result<(), Refusal>> {
        Box::pin(MessageHandler::sms(self, message))
    }
}

/// [`AdjustmentStore`] behind `dyn`; its `Debug` is the store's.
pub(super) trait ErasedStore: Send + Sync + std::fmt::Debug {
    fn begin<'a>(
        &'a self,
        request_unique_no: &'a str,
        fingerprint: &'a Fingerprint,
    ) -> BoxFuture<'a, Result<Begin, StoreError>>;

    fn finish<'a>(
        &'a self,
        claim: &'a Claim,
        outcome: Outcome,
    ) -> BoxFuture<'a, Result<(), StoreError>>;

    fn cancel<'a>(
        &'a self,
        reverse_request_unique_no: &'a str,
        cancel_request_unique_no: &'a str,
    ) -> BoxFuture<'a, Result<Cancel, StoreError>>;

    fn finish_cancel<'a>(
        &'a self,
        claim: &'a ReverseClaim,
        answer: StoredAnswer,
    ) -> BoxFuture<'a, Result<(), StoreError>>;
}

impl<S: AdjustmentStore> ErasedStore for S {
    fn begin<'a>(
        &'a self,
        request_unique_no: &'a str,
        fingerprint: &'a Fingerprint,
    ) -> BoxFuture<'a, Result<Begin, StoreError>> {
        Box::pin(AdjustmentStore::begin(self, request_unique_no, fingerprint))
    }

    fn finish<'a>(
        &'a self,
        claim: &'a Claim,
        outcome: Outcome,
    ) -> BoxFuture<'a, Result<(), StoreError>> {
        Box::pin(AdjustmentStore::finish(self, claim, outcome))
    }

    fn cancel<'a>(
        &'a self,
        reverse_request_unique_no: &'a str,
        cancel_request_unique_no: &'a str,
    ) -> BoxFuture<'a, Result<Cancel, StoreError>> {
        Box::pin(AdjustmentStore::cancel(
            self,
            reverse_request_unique_no,
            cancel_request_unique_no,
        ))
    }

    fn finish_cancel<'a>(
        &'a self,
        claim: &'a ReverseClaim,
        answer: StoredAnswer,
    ) -> BoxFuture<'a, Result<(), StoreError>> {
        Box::pin(AdjustmentStore::finish_cancel(self, claim, answer))
    }
}
