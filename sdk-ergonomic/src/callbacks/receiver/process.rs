//! From an [`Event`] to its [`Answer`]: the store around the handler, run to its end even
//! past the deadline, the answer bounded by the deadline.

use std::panic::AssertUnwindSafe;
use std::sync::Arc;

use futures::FutureExt;
use http::StatusCode;
use serde_json::Map;
use tokio::time::Instant;
use tracing::{error, warn};

use super::super::store::{Begin, Cancel, Outcome, ReverseClaim, StoreError};
use super::super::types::{Empty, UserAmount};
use super::answer::Answer;
use super::codes;
use super::event::{Adjustment, AdjustmentCancel, Callback, Event, WebhookContext};
#[cfg(feature = "test-failpoints")]
use super::failpoint::{self, Point};
use super::handler::{Refusal, Reversal, WasApplied};
use super::{Inner, Webhooks};

/// Runs `event` and waits for its answer until `inner`'s deadline: past it, answers
/// [`codes::DEADLINE`] and leaves the work to finish and record its outcome.
///
/// The work is first polled here: most events finish without waiting (a store in memory, a
/// handler that answers at once), and are answered with no task and no timer. Work that has
/// to wait moves, as it is, to a Tokio task of its own, awaited until the deadline; a pending
/// future is moved, never dropped, so nothing stops half-way.
pub(super) async fn process(inner: &Arc<Inner>, event: Event) -> Answer {
    let started = Instant::now();
    let callback = event.callback();
    let trace = event.trace().to_owned();
    let mut work = {
        let inner = Arc::clone(inner);
        Box::pin(AssertUnwindSafe(async move { run(&inner, event).await }).catch_unwind())
    };
    let finished = match (&mut work).now_or_never() {
        Some(finished) => finished,
        // Outside a Tokio runtime there is nothing to spawn on, nor a timer: finish it here.
        None => match tokio::runtime::Handle::try_current() {
            Err(_) => work.await,
            Ok(runtime) => {
                let task = runtime.spawn(work);
                match tokio::time::timeout_at(started + inner.deadline, task).await {
                    // A task is only cancelled when the runtime shuts down: answered as a panic.
                    Ok(joined) => joined.unwrap_or_else(|cancelled| Err(Box::new(cancelled))),
                    Err(_) => {
                        warn!(
                            %callback, %trace, deadline = ?inner.deadline,
                            "no answer within the deadline; the work goes on and records its \
                             outcome"
                        );
                        return failure(
                            callback,
                            &trace,
                            codes::DEADLINE,
                            "not done within the deadline; still being processed",
                        );
                    }
                }
            }
        },
    };
    finished.unwrap_or_else(|_| {
        error!(
            %callback, %trace,
            "the callback's handler panicked (or its task was cancelled as the runtime shut \
             down); nothing was recorded"
        );
        failure(
            callback,
            &trace,
            codes::HANDLER_FAILED,
            "the handler failed",
        )
    })
}

/// A failure in the shape of `callback`'s answers.
fn failure(callback: Callback, trace: &str, code: &str, msg: &str) -> Answer {
    if callback.is_message() {
        Answer::message(code, msg)
    } else {
        Answer::failure(trace, code, msg)
    }
}

/// A handler's refusal: 200, unless it is [uncertain](Refusal::uncertain).
fn refused(callback: Callback, trace: &str, refusal: &Refusal) -> Answer {
    let answer = failure(callback, trace, refusal.code(), refusal.msg());
    if refusal.is_certain() {
        answer.with_status(StatusCode::OK)
    } else {
        answer
    }
}

async fn run(inner: &Inner, event: Event) -> Answer {
    let callback = event.callback();
    match (event, &inner.webhooks, &inner.messages) {
        (Event::UserAmount(cx, query), Some(webhooks), _) => {
            match webhooks.handler.user_amount(&cx, &query).await {
                Ok(amount) => user_amount(&cx, amount),
                Err(refusal) => refused(callback, &cx.trace, &refusal),
            }
        }
        (Event::Adjustment(cx, adjustment), Some(webhooks), _) => {
            adjust(webhooks, &cx, &adjustment).await
        }
        (Event::Cancel(cx, cancel), Some(webhooks), _) => {
            cancel_adjustment(webhooks, &cx, &cancel).await
        }
        (Event::Email(message), _, Some(messages)) => {
            match messages.handler.email(&message).await {
                Ok(()) => Answer::message_success(),
                Err(refusal) => refused(callback, "", &refusal),
            }
        }
        (Event::Sms(message), _, Some(messages)) => match messages.handler.sms(&message).await {
            Ok(()) => Answer::message_success(),
            Err(refusal) => refused(callback, "", &refusal),
        },
        // An event for a handler this receiver does not have (made by hand): as `parse` would.
        (event, _, _) => failure(
            callback,
            event.trace(),
            codes::UNKNOWN_PATH,
            "not served here",
        ),
    }
}

/// The balance, written with exactly `amountDigits` places.
fn user_amount(cx: &WebhookContext, mut amount: UserAmount) -> Answer {
    let digits = u32::try_from(amount.amount_digits)
        .ok()
        .filter(|d| *d <= 28);
    match digits {
        Some(digits) if amount.amount.scale() <= digits => {
            amount.amount.rescale(digits);
            Answer::success(&cx.trace, &amount)
        }
        _ => {
            error!(
                trace = %cx.trace,
                "the balance handler answered an amount with more places than its amountDigits"
            );
            Answer::failure(
                &cx.trace,
                codes::HANDLER_FAILED,
                "the balance cannot be written",
            )
        }
    }
}

async fn adjust(webhooks: &Webhooks, cx: &WebhookContext, adjustment: &Adjustment) -> Answer {
    let key = adjustment.request_unique_no();
    let begin = webhooks.store.begin(key, &adjustment.fingerprint()).await;
    match begin {
        Ok(Begin::Claimed(claim)) => {
            #[cfg(feature = "test-failpoints")]
            failpoint::reach(Point::Claimed, key).await;
            let applied = webhooks
                .handler
                .apply(cx, adjustment, claim.is_retry())
                .await;
            let (answer, outcome) = match applied {
                Ok(()) => {
                    let answer = Answer::success(&cx.trace, &Empty::from(Map::new()));
                    let stored = answer.to_stored();
                    (answer, Outcome::Applied(stored))
                }
                Err(refusal) if refusal.is_certain() => {
                    let answer = refused(Callback::Adjustment, &cx.trace, &refusal);
                    let stored = answer.to_stored();
                    (answer, Outcome::NotApplied(stored))
                }
                // Left to its lease: a repeat retries it, a cancel reverses it if applied.
                Err(refusal) => return refused(Callback::Adjustment, &cx.trace, &refusal),
            };
            #[cfg(feature = "test-failpoints")]
            failpoint::reach(Point::Applied, key).await;
            match webhooks.store.finish(&claim, outcome).await {
                Ok(()) => answer,
                Err(e) => store_failed(cx, &e),
            }
        }
        Ok(Begin::Answered(stored)) => Answer::stored(&cx.trace, stored),
        Ok(Begin::InProgress) => Answer::failure(
            &cx.trace,
            codes::IN_PROGRESS,
            "this adjustment is being applied by another request",
        ),
        Ok(Begin::Cancelled) => Answer::failure(
            &cx.trace,
            codes::CANCELLED,
            "this adjustment was cancelled; it is never applied",
        ),
        Err(StoreError::Conflict { .. }) => Answer::failure(
            &cx.trace,
            codes::CONFLICT,
            "this requestUniqueNo was first used for another adjustment",
        ),
        Err(e) => store_failed(cx, &e),
    }
}

async fn cancel_adjustment(
    webhooks: &Webhooks,
    cx: &WebhookContext,
    cancel: &AdjustmentCancel,
) -> Answer {
    let decision = webhooks
        .store
        .cancel(
            cancel.reverse_request_unique_no(),
            cancel.request_unique_no(),
        )
        .await;
    match decision {
        Ok(Cancel::Reverse(claim)) => reverse(webhooks, cx, cancel, &claim, WasApplied::Yes).await,
        Ok(Cancel::ReverseIfApplied(claim)) => {
            reverse(webhooks, cx, cancel, &claim, WasApplied::Maybe).await
        }
        Ok(Cancel::Answered(stored)) => Answer::stored(&cx.trace, stored),
        Ok(Cancel::NotApplied) => not_applied(cx),
        Ok(Cancel::NeverArrived) => Answer::failure(
            &cx.trace,
            codes::NEVER_ARRIVED,
            "the adjustment never arrived; it is refused should it come",
        ),
        Ok(Cancel::InProgress) => Answer::failure(
            &cx.trace,
            codes::IN_PROGRESS,
            "this adjustment is being applied or reversed by another request",
        ),
        Err(e) => store_failed(cx, &e),
    }
}

async fn reverse(
    webhooks: &Webhooks,
    cx: &WebhookContext,
    cancel: &AdjustmentCancel,
    claim: &ReverseClaim,
    applied: WasApplied,
) -> Answer {
    let answer = match webhooks.handler.reverse(cx, cancel, applied).await {
        Ok(Reversal::Reversed) => Answer::success(&cx.trace, &Empty::from(Map::new())),
        Ok(_) => not_applied(cx),
        // Not recorded: the platform repeats the cancel, which reverses once the lease is out.
        Err(refusal) => return refused(Callback::Cancel, &cx.trace, &refusal),
    };
    match webhooks
        .store
        .finish_cancel(claim, answer.to_stored())
        .await
    {
        Ok(()) => answer,
        Err(e) => store_failed(cx, &e),
    }
}

fn not_applied(cx: &WebhookContext) -> Answer {
    Answer::failure(
        &cx.trace,
        codes::NOT_APPLIED,
        "the adjustment was received but not applied",
    )
}

fn store_failed(cx: &WebhookContext, e: &StoreError) -> Answer {
    error!(trace = %cx.trace, error = %e, "the adjustment store failed");
    Answer::failure(
        &cx.trace,
        codes::STORE_FAILED,
        "the receiver could not record it",
    )
}
