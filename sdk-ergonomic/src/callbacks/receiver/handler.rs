//! What the integrator writes: the code behind each callback.

use super::super::types::{EmailMessage, SmsMessage, UserAmount, UserAmountQuery};
use super::codes;
use super::event::{Adjustment, AdjustmentCancel, WebhookContext};

/// The webhooks of an external wallet: the balance, and moving money.
///
/// Implement each method as a plain `async fn` (its future must be `Send`: the receiver may
/// finish it on a Tokio task of its own):
///
/// ```
/// use mm_sdk::Decimal;
/// use mm_sdk::callbacks::receiver::{
///     Adjustment, AdjustmentCancel, Refusal, Reversal, WasApplied, WebhookContext, WebhookHandler,
/// };
/// use mm_sdk::callbacks::types::{UserAmount, UserAmountQuery};
///
/// /// A wallet that shows an empty balance and takes no adjustment.
/// struct Closed;
///
/// impl WebhookHandler for Closed {
///     async fn user_amount(
///         &self,
///         _: &WebhookContext,
///         query: &UserAmountQuery,
///     ) -> Result<UserAmount, Refusal> {
///         let (currency, user) = (query.currency.clone(), query.user_name.clone());
///         Ok(UserAmount::new(Decimal::ZERO, 2, currency, user))
///     }
///
///     async fn apply(&self, _: &WebhookContext, _: &Adjustment, _: bool) -> Result<(), Refusal> {
///         Err(Refusal::new("CLOSED", "this wallet takes no adjustment"))
///     }
///
///     async fn reverse(
///         &self,
///         _: &WebhookContext,
///         _: &AdjustmentCancel,
///         _: WasApplied,
///     ) -> Result<Reversal, Refusal> {
///         Ok(Reversal::NotApplied)
///     }
/// }
/// ```
///
/// The receiver runs each call to its end (on a task of its own once it has to wait), even
/// when it answers the platform before (see the [module docs](super) on deadlines): a call is
/// never dropped half-way.
pub trait WebhookHandler: Send + Sync + 'static {
    /// The balance of `query.userName`'s account in `query.currency`.
    fn user_amount(
        &self,
        cx: &WebhookContext,
        query: &UserAmountQuery,
    ) -> impl Future<Output = Result<UserAmount, Refusal>> + Send;

    /// Moves the money of `adjustment`. Called at most once per `requestUniqueNo` (through
    /// the store), except after a claim ran out unfinished: then `retry` is true, and an
    /// earlier call may have moved it already; check your ledger. `Ok` records it applied;
    /// [`Refusal::new`] records it not applied (nothing moved); [`Refusal::uncertain`]
    /// records nothing.
    fn apply(
        &self,
        cx: &WebhookContext,
        adjustment: &Adjustment,
        retry: bool,
    ) -> impl Future<Output = Result<(), Refusal>> + Send;

    /// Gives back the money of adjustment `cancel.reverseRequestUniqueNo`, as your ledger
    /// recorded it (not from the cancel's fields). Called once per adjustment; again only if
    /// this call refused (nothing recorded; the platform repeats the cancel) or ran out its
    /// claim unfinished. `applied` says whether the receiver knows it applied
    /// ([`WasApplied::Yes`]) or only that an attempt ran out unfinished
    /// ([`WasApplied::Maybe`]: reverse only what your ledger shows, and answer
    /// [`Reversal::NotApplied`] if nothing).
    fn reverse(
        &self,
        cx: &WebhookContext,
        cancel: &AdjustmentCancel,
        applied: WasApplied,
    ) -> impl Future<Output = Result<Reversal, Refusal>> + Send;
}

/// The message callbacks of a white label's own email and SMS channels. Each message reaches
/// it once: its `sign` was verified and is refused as a replay from then on. Implement each
/// method as a plain `async fn`, like [`WebhookHandler`]'s.
pub trait MessageHandler: Send + Sync + 'static {
    /// Sends an email.
    fn email(&self, message: &EmailMessage) -> impl Future<Output = Result<(), Refusal>> + Send;

    /// Sends a text message.
    fn sms(&self, message: &SmsMessage) -> impl Future<Output = Result<(), Refusal>> + Send;
}

/// Whether the adjustment to reverse is known to have been applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum WasApplied {
    /// It was: reverse it.
    Yes,
    /// An attempt to apply it ran out its claim unfinished: it may or may not have moved
    /// money. Reverse only what your ledger shows; it will not be applied from now on.
    Maybe,
}

/// How a reversal ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Reversal {
    /// The money was given back: answered with success.
    Reversed,
    /// Your ledger shows it never applied: answered `US_0000001`.
    NotApplied,
}

/// A handler's "no": answered with a failure `code` and `msg`. Neither is logged by the
/// receiver; keep secrets out of them, since the platform sees them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    code: String,
    msg: String,
    certain: bool,
}

impl Refusal {
    /// Refused, nothing done. An empty `code`, or `"0"` (success), is answered as
    /// [`codes::REFUSED`].
    pub fn new(code: impl Into<String>, msg: impl Into<String>) -> Self {
        let mut code = code.into();
        if code.is_empty() || code == codes::SUCCESS || code == codes::MESSAGE_SUCCESS {
            code = codes::REFUSED.to_owned();
        }
        Self {
            code,
            msg: msg.into(),
            certain: true,
        }
    }

    /// Failed without knowing whether money moved (a ledger that did not answer): the
    /// adjustment's claim is left to run out, after which a repeat retries it and a cancel
    /// reverses it with [`WasApplied::Maybe`]. Answered [`codes::HANDLER_FAILED`].
    pub fn uncertain(msg: impl Into<String>) -> Self {
        Self {
            code: codes::HANDLER_FAILED.to_owned(),
            msg: msg.into(),
            certain: false,
        }
    }

    /// The code answered.
    pub fn code(&self) -> &str {
        &self.code
    }

    /// The message answered.
    pub fn msg(&self) -> &str {
        &self.msg
    }

    /// Whether it is certain that nothing was done ([`Refusal::new`]).
    pub fn is_certain(&self) -> bool {
        self.certain
    }
}
