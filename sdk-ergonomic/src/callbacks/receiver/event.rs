//! What a callback carries once read: the typed events and their exact amounts.

use std::fmt::{self, Write as _};

use mm_sdk_core::Decimal;

use super::super::paths;
use super::super::store::Fingerprint;
use super::super::types::{
    CreditAdjustment, CreditAdjustmentCancel, EmailMessage, SmsMessage, UserAmountQuery,
};

/// The five callbacks, by path.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Callback {
    /// `/get-user-amount`: a balance query.
    UserAmount,
    /// `/external-system-credit-limit-adjustment`: an adjustment.
    Adjustment,
    /// `/cancel-external-system-credit-limit-adjustment`: the cancel of an adjustment.
    Cancel,
    /// `/messages/email`: an email to send.
    Email,
    /// `/messages/sms`: a text message to send.
    Sms,
}

impl Callback {
    /// All five.
    pub const ALL: [Callback; 5] = [
        Callback::UserAmount,
        Callback::Adjustment,
        Callback::Cancel,
        Callback::Email,
        Callback::Sms,
    ];

    /// The callback served at `path` (exactly one of [`paths`](super::super::paths)).
    pub fn from_path(path: &str) -> Option<Callback> {
        Self::ALL
            .into_iter()
            .find(|callback| callback.path() == path)
    }

    /// Its path.
    pub fn path(self) -> &'static str {
        match self {
            Callback::UserAmount => paths::GET_USER_AMOUNT,
            Callback::Adjustment => paths::CREDIT_LIMIT_ADJUSTMENT,
            Callback::Cancel => paths::CANCEL_CREDIT_LIMIT_ADJUSTMENT,
            Callback::Email => paths::EMAIL_MESSAGE,
            Callback::Sms => paths::SMS_MESSAGE,
        }
    }

    /// A message callback, answered `{"msg","code"}` rather than with the envelope.
    pub fn is_message(self) -> bool {
        matches!(self, Callback::Email | Callback::Sms)
    }
}

/// The headers every webhook carries.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct WebhookContext {
    /// The platform's trace id of the request (`trace`); the answer repeats it.
    pub trace: String,
    /// The company (white label) the user belongs to (`companyId`).
    pub company_id: i64,
    /// When the platform sent the request, in milliseconds since the Unix epoch (`timestamp`).
    pub timestamp: i64,
}

impl WebhookContext {
    /// A context, for testing a handler.
    pub fn new(trace: impl Into<String>, company_id: i64, timestamp: i64) -> Self {
        Self {
            trace: trace.into(),
            company_id,
            timestamp,
        }
    }
}

/// A callback, read and checked: what the handler gets.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum Event {
    /// A balance query.
    UserAmount(WebhookContext, UserAmountQuery),
    /// An adjustment.
    Adjustment(WebhookContext, Adjustment),
    /// The cancel of an adjustment.
    Cancel(WebhookContext, AdjustmentCancel),
    /// An email, its `sign` verified.
    Email(EmailMessage),
    /// A text message, its `sign` verified.
    Sms(SmsMessage),
}

impl Event {
    /// Which callback it came by.
    pub fn callback(&self) -> Callback {
        match self {
            Event::UserAmount(..) => Callback::UserAmount,
            Event::Adjustment(..) => Callback::Adjustment,
            Event::Cancel(..) => Callback::Cancel,
            Event::Email(_) => Callback::Email,
            Event::Sms(_) => Callback::Sms,
        }
    }

    /// The platform's trace id: the `trace` header of a webhook, the `trace` field of a
    /// message.
    pub fn trace(&self) -> &str {
        match self {
            Event::UserAmount(cx, _) | Event::Adjustment(cx, _) | Event::Cancel(cx, _) => &cx.trace,
            Event::Email(message) => &message.trace,
            Event::Sms(message) => &message.trace,
        }
    }
}

/// An adjustment whose amount is exact: `amount` written with at most `amountDigits` places,
/// scaled to exactly `amountDigits`.
#[derive(Debug, Clone)]
pub struct Adjustment {
    request: CreditAdjustment,
}

impl Adjustment {
    /// Checks `request`'s amount against `raw_amount`, the text it came as.
    pub(super) fn new(
        mut request: CreditAdjustment,
        raw_amount: &str,
    ) -> Result<Self, AmountError> {
        request.amount = exact_amount(raw_amount, request.amount_digits)?;
        Ok(Self { request })
    }

    /// The request as it came, its `amount` the exact one.
    pub fn request(&self) -> &CreditAdjustment {
        &self.request
    }

    /// The change, with exactly `amountDigits` decimal places; its sign follows
    /// `operationType`.
    pub fn amount(&self) -> Decimal {
        self.request.amount
    }

    /// Its idempotency key.
    pub fn request_unique_no(&self) -> &str {
        &self.request.request_unique_no
    }

    /// What tells a repeat from another request reusing its key: the fields that say what
    /// money moves (not `requestTime` or `ip`, which a repeat may change).
    pub fn fingerprint(&self) -> Fingerprint {
        let r = &self.request;
        let mut canonical = String::with_capacity(128);
        // Each text length-prefixed, so that no two lists of fields write the same text.
        for text in [
            r.third_server_code.as_str(),
            r.user_name.as_str(),
            r.currency.as_str(),
        ] {
            let _ = write!(canonical, "{}:{text};", text.len());
        }
        let _ = write!(
            canonical,
            "{};{};{};{};{}",
            r.biz_type, r.operation_type, r.amount, r.amount_digits, r.order_id
        );
        Fingerprint::of(canonical.as_bytes())
    }
}

/// A cancel whose amount is exact, as for [`Adjustment`].
#[derive(Debug, Clone)]
pub struct AdjustmentCancel {
    request: CreditAdjustmentCancel,
}

impl AdjustmentCancel {
    /// Checks `request`'s amount against `raw_amount`, the text it came as.
    pub(super) fn new(
        mut request: CreditAdjustmentCancel,
        raw_amount: &str,
    ) -> Result<Self, AmountError> {
        request.amount = exact_amount(raw_amount, request.amount_digits)?;
        Ok(Self { request })
    }

    /// The request as it came, its `amount` the exact one.
    pub fn request(&self) -> &CreditAdjustmentCancel {
        &self.request
    }

    /// The adjustment's amount, with exactly `amountDigits` decimal places.
    pub fn amount(&self) -> Decimal {
        self.request.amount
    }

    /// The `requestUniqueNo` of the adjustment to cancel.
    pub fn reverse_request_unique_no(&self) -> &str {
        &self.request.reverse_request_unique_no
    }

    /// The cancel's own key.
    pub fn request_unique_no(&self) -> &str {
        &self.request.request_unique_no
    }
}

/// Why `amount` and `amountDigits` do not make an exact decimal.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum AmountError {
    /// `amountDigits` is negative.
    #[error("amountDigits is negative")]
    NegativeDigits,
    /// `amountDigits` is more than a decimal holds (28).
    #[error("amountDigits is more than 28")]
    TooManyDigits,
    /// `amount` is not a plain decimal (`-?digits[.digits]`), or too large.
    #[error("amount is not a plain decimal number within range")]
    NotADecimal,
    /// `amount` is written with more decimal places than `amountDigits`.
    #[error("amount has {places} decimal places, more than amountDigits ({digits})")]
    TooManyPlaces {
        /// Its places.
        places: u32,
        /// `amountDigits`.
        digits: u32,
    },
}

/// The most decimal places a [`Decimal`] holds.
const MAX_DIGITS: u32 = 28;

/// `text` (`-?[0-9]+(\.[0-9]+)?`) as a decimal with exactly `digits` places, without
/// rounding: more places than `digits` is an error, fewer are padded with zeros.
pub fn exact_amount(text: &str, digits: i32) -> Result<Decimal, AmountError> {
    let digits = u32::try_from(digits).map_err(|_| AmountError::NegativeDigits)?;
    if digits > MAX_DIGITS {
        return Err(AmountError::TooManyDigits);
    }
    let unsigned = text.strip_prefix('-').unwrap_or(text);
    let (whole, fraction) = match unsigned.split_once('.') {
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (unsigned, None),
    };
    let plain = |part: &str| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit());
    if !plain(whole) || !fraction.is_none_or(plain) {
        return Err(AmountError::NotADecimal);
    }
    let places = fraction.map_or(0, str::len);
    let places = u32::try_from(places).map_err(|_| AmountError::NotADecimal)?;
    if places > digits {
        return Err(AmountError::TooManyPlaces { places, digits });
    }
    let mut amount = Decimal::from_str_exact(text).map_err(|_| AmountError::NotADecimal)?;
    let exact = amount;
    amount.rescale(digits);
    // `rescale` settles for fewer places when the mantissa cannot hold them.
    if amount.scale() != digits || amount != exact {
        return Err(AmountError::NotADecimal);
    }
    Ok(amount)
}

impl fmt::Display for Callback {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.path())
    }
}
