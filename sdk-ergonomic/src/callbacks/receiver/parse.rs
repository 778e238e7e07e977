//! From an HTTP request to a typed [`Event`], or a typed [`Rejection`] that nothing reaches the
//! handler with.

use std::borrow::Cow;
use std::time::SystemTime;

use http::{HeaderMap, Method};
use serde::Deserialize;
use serde::de::{DeserializeOwned, IgnoredAny};
use serde_json::value::RawValue;

use super::super::message_sign::{MessageSignVerifier, SignError};
use super::super::types::{
    CreditAdjustment, CreditAdjustmentCancel, EmailMessage, OperationType, SmsMessage,
};
use super::answer::Answer;
use super::codes;
use super::event::{Adjustment, AdjustmentCancel, AmountError, Callback, Event, WebhookContext};

/// The longest `trace` header accepted.
const TRACE_LIMIT: usize = 128;

/// A request refused before any handler saw it: why, and the answer to give.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{callback_path}: {reason}")]
pub struct Rejection {
    reason: Reason,
    callback: Option<Callback>,
    callback_path: &'static str,
    trace: String,
}

/// Why a request was refused. Its text names what is wrong (a header, a JSON path), never a
/// secret; a refused `sign` says why only here (log it), never in the answer.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Reason {
    /// No callback is served at this path, or its handler is not configured.
    #[error("no callback is served at this path")]
    UnknownPath,
    /// Not a POST.
    #[error("method {0} not allowed: callbacks are POSTed")]
    MethodNotAllowed(Method),
    /// The body is longer than the limit.
    #[error("the body is larger than {limit} bytes")]
    TooLarge {
        /// The receiver's limit.
        limit: usize,
    },
    /// A required header is missing.
    #[error("the header {0} is missing")]
    MissingHeader(&'static str),
    /// A header is unreadable, or names another company than the receiver serves.
    #[error("the header {name} is invalid: {problem}")]
    InvalidHeader {
        /// The header.
        name: &'static str,
        /// What is wrong with it.
        problem: &'static str,
    },
    /// The body is not JSON.
    #[error("the body is not JSON: {0}")]
    MalformedJson(String),
    /// A field is missing or of the wrong type.
    #[error("field {path}: {problem}")]
    InvalidField {
        /// Its JSON path (`amountDigits`, `.` for the whole body).
        path: String,
        /// What is wrong with it.
        problem: String,
    },
    /// `amount` and `amountDigits` do not make an exact decimal.
    #[error("{0}")]
    InvalidAmount(AmountError),
    /// A message's `sign` was refused.
    #[error("the sign was refused: {0}")]
    BadSign(SignError),
}

impl Rejection {
    pub(crate) fn new(reason: Reason, callback: Option<Callback>, trace: &str) -> Self {
        Self {
            reason,
            callback,
            callback_path: callback.map_or("callback", Callback::path),
            trace: trace.to_owned(),
        }
    }

    /// Why.
    pub fn reason(&self) -> &Reason {
        &self.reason
    }

    /// The callback it came by, when its path was one.
    pub fn callback(&self) -> Option<Callback> {
        self.callback
    }

    /// The `code` answered (see [`codes`](super::codes)).
    pub fn code(&self) -> &'static str {
        match &self.reason {
            Reason::UnknownPath => codes::UNKNOWN_PATH,
            Reason::MethodNotAllowed(_) => codes::METHOD_NOT_ALLOWED,
            Reason::TooLarge { .. } => codes::TOO_LARGE,
            Reason::MissingHeader(_) => codes::MISSING_HEADER,
            Reason::InvalidHeader { .. } => codes::INVALID_HEADER,
            Reason::MalformedJson(_) => codes::MALFORMED_JSON,
            Reason::InvalidField { .. } => codes::INVALID_FIELD,
            Reason::InvalidAmount(_) => codes::INVALID_AMOUNT,
            Reason::BadSign(_) => codes::BAD_SIGN,
        }
    }

    /// The answer: the envelope for a webhook (or an unknown path), `{"msg","code"}` for a
    /// message.
    pub fn answer(&self) -> Answer {
        // Every refused sign is answered alike: no padding oracle, no replay oracle.
        let msg = match &self.reason {
            Reason::BadSign(_) => "the sign was refused".to_owned(),
            reason => reason.to_string(),
        };
        match self.callback {
            Some(callback) if callback.is_message() => Answer::message(self.code(), &msg),
            _ => Answer::failure(&self.trace, self.code(), &msg),
        }
    }
}

/// What parsing needs of the receiver's configuration.
pub(super) struct Limits<'a> {
    pub body_limit: usize,
    pub company_id: Option<i64>,
    pub webhooks: bool,
    pub verifier: Option<&'a MessageSignVerifier>,
}

/// Reads one request of `callback` (routed by the caller).
pub(super) fn parse(
    limits: &Limits<'_>,
    callback: Callback,
    method: &Method,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<Event, Rejection> {
    let echo = trace_echo(headers);
    let reject = |reason| Rejection::new(reason, Some(callback), echo);
    let configured = if callback.is_message() {
        limits.verifier.is_some()
    } else {
        limits.webhooks
    };
    if !configured {
        return Err(reject(Reason::UnknownPath));
    }
    if method != Method::POST {
        return Err(reject(Reason::MethodNotAllowed(method.clone())));
    }
    if body.len() > limits.body_limit {
        return Err(reject(Reason::TooLarge {
            limit: limits.body_limit,
        }));
    }
    let context = if callback.is_message() {
        None
    } else {
        Some(webhook_context(headers, limits.company_id).map_err(reject)?)
    };
    match (callback, context) {
        (Callback::UserAmount, Some(cx)) => Ok(Event::UserAmount(cx, typed(body).map_err(reject)?)),
        (Callback::Adjustment, Some(cx)) => {
            let request: CreditAdjustment = typed(body).map_err(reject)?;
            // The type keeps a value it does not know; money does not move on one: which
            // way the amount goes depends on the operation type.
            if let OperationType::Unknown(value) = &request.operation_type {
                return Err(reject(Reason::InvalidField {
                    path: "operationType".into(),
                    problem: format!(
                        "unknown value {value:?}: only an operation type whose effect on the \
                         balance is known is applied"
                    ),
                }));
            }
            let adjustment = Adjustment::new(request, &raw_amount(body))
                .map_err(|e| reject(Reason::InvalidAmount(e)))?;
            Ok(Event::Adjustment(cx, adjustment))
        }
        (Callback::Cancel, Some(cx)) => {
            let request: CreditAdjustmentCancel = typed(body).map_err(reject)?;
            let cancel = AdjustmentCancel::new(request, &raw_amount(body))
                .map_err(|e| reject(Reason::InvalidAmount(e)))?;
            Ok(Event::Cancel(cx, cancel))
        }
        (Callback::Email, _) => {
            let message: EmailMessage = typed(body).map_err(reject)?;
            verify(
                limits,
                &message.to_user,
                message.timestamp,
                &message.trace,
                &message.sign,
            )
            .map_err(reject)?;
            Ok(Event::Email(message))
        }
        (Callback::Sms, _) => {
            let message: SmsMessage = typed(body).map_err(reject)?;
            verify(
                limits,
                &message.to_user,
                message.timestamp,
                &message.trace,
                &message.sign,
            )
            .map_err(reject)?;
            Ok(Event::Sms(message))
        }
        // A webhook always has its context (above).
        _ => Err(reject(Reason::UnknownPath)),
    }
}

/// The trace to repeat in a refusal: the `trace` header's, when it is readable.
pub(crate) fn trace_echo(headers: &HeaderMap) -> &str {
    headers
        .get("trace")
        .and_then(|value| value.to_str().ok())
        .filter(|trace| trace.len() <= TRACE_LIMIT)
        .unwrap_or("")
}

/// The `trace`, `companyId` and `timestamp` headers.
fn webhook_context(headers: &HeaderMap, company: Option<i64>) -> Result<WebhookContext, Reason> {
    let trace = header(headers, "trace")?;
    if trace.is_empty() || trace.len() > TRACE_LIMIT {
        return Err(Reason::InvalidHeader {
            name: "trace",
            problem: "empty, or longer than 128 characters",
        });
    }
    let company_id = integer(headers, "companyId")?;
    if company.is_some_and(|expected| expected != company_id) {
        return Err(Reason::InvalidHeader {
            name: "companyId",
            problem: "another company than this receiver serves",
        });
    }
    let timestamp = integer(headers, "timestamp")?;
    Ok(WebhookContext {
        trace: trace.to_owned(),
        company_id,
        timestamp,
    })
}

fn header<'h>(headers: &'h HeaderMap, name: &'static str) -> Result<&'h str, Reason> {
    let mut values = headers.get_all(name).iter();
    let value = values.next().ok_or(Reason::MissingHeader(name))?;
    if values.next().is_some() {
        return Err(Reason::InvalidHeader {
            name,
            problem: "repeated",
        });
    }
    value
        .to_str()
        .map(str::trim)
        .map_err(|_| Reason::InvalidHeader {
            name,
            problem: "not visible ASCII",
        })
}

fn integer(headers: &HeaderMap, name: &'static str) -> Result<i64, Reason> {
    header(headers, name)?
        .parse()
        .map_err(|_| Reason::InvalidHeader {
            name,
            problem: "not an integer",
        })
}

/// The body as a `T`: a body that is not JSON is [`Reason::MalformedJson`], JSON of another
/// shape [`Reason::InvalidField`] with the path of the first field at fault.
fn typed<T: DeserializeOwned>(body: &[u8]) -> Result<T, Reason> {
    // Read once; a body refused is read again to say where it is wrong (tracking the path
    // costs every body that much more).
    serde_json::from_slice(body).map_err(|_| refusal::<T>(body))
}

/// Why `body` is not a `T`.
fn refusal<T: DeserializeOwned>(body: &[u8]) -> Reason {
    // A wrong field stops the read, so the rest may not be JSON either: that comes first, as
    // any JSON reader would say.
    if let Err(syntax) = serde_json::from_slice::<IgnoredAny>(body) {
        return Reason::MalformedJson(syntax.to_string());
    }
    let mut json = serde_json::Deserializer::from_slice(body);
    match serde_path_to_error::deserialize::<_, T>(&mut json) {
        Err(e) => Reason::InvalidField {
            path: e.path().to_string(),
            problem: e.into_inner().to_string(),
        },
        // Not reached (the same read refused it above); said of the whole body if it were.
        Ok(_) => Reason::InvalidField {
            path: ".".to_owned(),
            problem: "not the expected shape".to_owned(),
        },
    }
}

/// The text `amount` came as (a string's content, or a number's digits), before any
/// rounding; empty when it is neither. Read from a body that [`typed`] accepted.
fn raw_amount(body: &[u8]) -> Cow<'_, str> {
    #[derive(Deserialize)]
    struct Amount<'a> {
        #[serde(borrow)]
        amount: Option<&'a RawValue>,
    }
    let raw = serde_json::from_slice::<Amount<'_>>(body)
        .ok()
        .and_then(|body| body.amount)
        .map(RawValue::get);
    match raw {
        Some(text) if text.starts_with('"') => serde_json::from_str::<&str>(text)
            .map(Cow::Borrowed)
            .or_else(|_| serde_json::from_str::<String>(text).map(Cow::Owned))
            .unwrap_or_default(),
        Some(text) if text.starts_with(|c: char| c == '-' || c.is_ascii_digit()) => {
            Cow::Borrowed(text)
        }
        _ => Cow::Borrowed(""),
    }
}

fn verify(
    limits: &Limits<'_>,
    to_user: &str,
    timestamp: i64,
    trace: &str,
    sign: &str,
) -> Result<(), Reason> {
    let verifier = limits.verifier.ok_or(Reason::UnknownPath)?;
    verifier
        .verify(to_user, timestamp, trace, sign, SystemTime::now())
        .map_err(Reason::BadSign)
}
