//! The one error type of the SDK.

use std::fmt;
use std::time::Duration;

use crate::codes::{Category, ErrorCode};
use crate::metadata::RateLimit;
use crate::operation::Credential;
use crate::trace::TraceId;

/// Everything that can go wrong in a call, with the operation and the trace id it happened
/// under.
///
/// Match on [`Error::kind`], or on [`Error::code`] for a failure the API reported; use
/// [`Error::is_retryable`] and [`Error::is_auth`] for the common decisions. `Display` never
/// contains a secret.
pub struct Error(Box<Inner>);

struct Inner {
    kind: ErrorKind,
    operation: Option<&'static str>,
    trace: Option<TraceId>,
    retry_after: Option<Duration>,
    rate_limit: Option<RateLimit>,
    source: Option<Box<dyn std::error::Error + Send + Sync>>,
}

/// What went wrong.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The API answered with a failure envelope: HTTP 200 with `ok: false`, `fail: true` or
    /// a `code` other than `"0"` (see [`Envelope::is_success`](crate::Envelope::is_success)).
    Api(ApiError),
    /// HTTP 429: too many calls in the current window (upstream's gateways allow a number per
    /// window, and 100 a minute per Open API key). May be retried: after
    /// [`Error::retry_after`] where the server says, and [`Error::rate_limit`] tells the
    /// window.
    RateLimited {
        /// The start of the body (at most [`BODY_EXCERPT_LIMIT`] bytes).
        body: String,
    },
    /// HTTP 418: the Open API key is disabled for a while, because calls went on after a 429
    /// (upstream: 5 minutes the first time, longer each time after). Never retried: every
    /// call before the ban ends would lengthen it. [`Error::retry_after`] says how long where
    /// the server does.
    KeyBanned {
        /// The start of the body (at most [`BODY_EXCERPT_LIMIT`] bytes).
        body: String,
    },
    /// The server answered with another non-2xx status.
    Status {
        /// The HTTP status code.
        status: u16,
        /// The start of the body (at most [`BODY_EXCERPT_LIMIT`] bytes), for diagnosis.
        body: String,
    },
    /// A 2xx response whose body is not JSON (a gateway's HTML page, say).
    NotJson {
        /// The HTTP status code.
        status: u16,
        /// The start of the body (at most [`BODY_EXCERPT_LIMIT`] bytes).
        body: String,
    },
    /// JSON that does not have the documented shape.
    Decode {
        /// Where in the body decoding failed, as a path like `data.accountId`.
        path: String,
        /// What the decoder said.
        message: String,
    },
    /// A success envelope without the `data` the operation returns.
    MissingData,
    /// The connection failed or broke.
    Transport {
        /// True when no connection was made, so the request was certainly not sent.
        connect: bool,
    },
    /// No complete response within the configured timeout (or the call's own per-attempt
    /// timeout); may be retried.
    Timeout,
    /// The call's deadline passed before it ended, its retries included.
    Deadline {
        /// The deadline the call was given.
        limit: Duration,
    },
    /// The response body is larger than any response of the APIs can be; reading stopped at
    /// `limit` bytes rather than fill memory.
    TooLarge {
        /// The most bytes a response may have ([`MAX_RESPONSE_BYTES`](crate::MAX_RESPONSE_BYTES)).
        limit: usize,
    },
    /// The SDK refused to send the request: an input of the call is invalid (says which,
    /// and why).
    InvalidInput(String),
    /// The SDK refused to send the request: it breaks one of upstream's validation rules (a
    /// field's minimum, length or list size, from the operation's spec), which the platform
    /// would refuse too.
    BrokenRule(crate::BrokenRule),
    /// The configuration is invalid: found when the client is built, never on a call.
    Config(String),
    /// The operation needs a credential that was not configured.
    MissingCredential(Credential),
}

/// A failure reported by the API in its envelope.
///
/// Read its fields as they came, or its [`error_code`](Self::error_code) as upstream's docs
/// print it; build one with [`ApiError::new`] (to test your own handling of errors).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct ApiError {
    /// The envelope's `code`, as it came (see [`ApiError::error_code`] for the documented
    /// key it belongs to).
    pub code: String,
    /// The envelope's `bizCode`.
    pub biz_code: String,
    /// The envelope's `msg`.
    pub msg: String,
    /// The envelope's `msgParams`.
    pub msg_params: Option<serde_json::Value>,
    /// The envelope's `trace`: the server's own id for the call.
    pub server_trace: String,
}

impl ApiError {
    /// A failure with `code` and `msg`, the other fields empty.
    pub fn new(code: impl Into<String>, msg: impl Into<String>) -> Self {
        Self {
            code: code.into(),
            biz_code: String::new(),
            msg: msg.into(),
            msg_params: None,
            server_trace: String::new(),
        }
    }

    /// The same failure with the envelope's `bizCode`.
    pub fn biz_code(mut self, biz_code: impl Into<String>) -> Self {
        self.biz_code = biz_code.into();
        self
    }

    /// The same failure with the envelope's `msgParams`.
    pub fn msg_params(mut self, params: serde_json::Value) -> Self {
        self.msg_params = Some(params);
        self
    }

    /// The same failure with the envelope's `trace`.
    pub fn server_trace(mut self, trace: impl Into<String>) -> Self {
        self.server_trace = trace.into();
        self
    }

    /// The error code of `bizCode` and `code` ([`ErrorCode::from_wire`]); `None` when the
    /// envelope carried neither.
    pub fn error_code(&self) -> Option<ErrorCode> {
        if self.biz_code.is_empty() && self.code.is_empty() {
            return None;
        }
        Some(ErrorCode::from_wire(&self.biz_code, &self.code))
    }
}

/// How much of an unexpected body an error keeps.
pub const BODY_EXCERPT_LIMIT: usize = 1024;

impl Error {
    /// An error of `kind`, from no call yet.
    pub fn new(kind: ErrorKind) -> Self {
        Self(Box::new(Inner {
            kind,
            operation: None,
            trace: None,
            retry_after: None,
            rate_limit: None,
            source: None,
        }))
    }

    pub(crate) fn with_call(mut self, operation: &'static str, trace: &TraceId) -> Self {
        self.0.operation = Some(operation);
        self.0.trace = Some(trace.clone());
        self
    }

    /// The same error, said of `operation` (its `operationId`).
    pub fn with_operation(mut self, operation: &'static str) -> Self {
        self.0.operation = Some(operation);
        self
    }

    pub(crate) fn with_retry_after(mut self, wait: Option<Duration>) -> Self {
        self.0.retry_after = wait;
        self
    }

    pub(crate) fn with_rate_limit(mut self, rate_limit: Option<RateLimit>) -> Self {
        self.0.rate_limit = rate_limit;
        self
    }

    /// The same error, caused by `source`.
    pub fn with_source(mut self, source: impl std::error::Error + Send + Sync + 'static) -> Self {
        self.0.source = Some(Box::new(source));
        self
    }

    /// What went wrong.
    pub fn kind(&self) -> &ErrorKind {
        &self.0.kind
    }

    /// The operation (its `operationId`) that failed, if the error came from a call.
    pub fn operation(&self) -> Option<&'static str> {
        self.0.operation
    }

    /// The `trace` header the failed request was sent with: quote it in support requests.
    pub fn trace(&self) -> Option<&TraceId> {
        self.0.trace.as_ref()
    }

    /// How long the server asked to wait before trying again (its `Retry-After` header, on a
    /// 429 or 503 say). Reads honour it up to
    /// [`RetryPolicy::MAX_RETRY_AFTER`](crate::RetryPolicy::MAX_RETRY_AFTER); when it is
    /// longer, or the call changes state, the wait is yours to schedule.
    pub fn retry_after(&self) -> Option<Duration> {
        self.0.retry_after
    }

    /// The rate limit the failed answer reported (its `x-ratelimit-*` headers), if it did:
    /// on a [`RateLimited`](ErrorKind::RateLimited) answer, how many calls a window allows and
    /// how long it is.
    pub fn rate_limit(&self) -> Option<RateLimit> {
        self.0.rate_limit
    }

    /// The error code of a failure the API reported ([`ApiError::error_code`]): compare it
    /// with the documented codes (`ErrorCode::GGATEWAY_CODE_005`); `None` for every other
    /// kind of error.
    pub fn code(&self) -> Option<ErrorCode> {
        match &self.0.kind {
            ErrorKind::Api(api) => api.error_code(),
            _ => None,
        }
    }

    /// True when trying again later may succeed: timeouts (a passed deadline too), transport
    /// failures, HTTP 429 ([`RateLimited`](ErrorKind::RateLimited)) and 502/503/504 (never a
    /// 418, [`KeyBanned`](ErrorKind::KeyBanned)), and the API codes the table marks transient
    /// ([`ErrorCode::is_transient`]).
    ///
    /// Whether a retry is *safe* is another matter: an operation that changes state may have
    /// taken effect before the failure.
    pub fn is_retryable(&self) -> bool {
        match &self.0.kind {
            ErrorKind::Timeout
            | ErrorKind::Deadline { .. }
            | ErrorKind::Transport { .. }
            | ErrorKind::RateLimited { .. } => true,
            ErrorKind::Status { status, .. } => matches!(status, 502..=504),
            ErrorKind::Api(api) => api.error_code().is_some_and(|code| code.is_transient()),
            _ => false,
        }
    }

    /// True when the credentials were refused or have expired: HTTP 401/403 and the API codes
    /// of [`Category::Authentication`] (a session, token, key, signature, password or one-time
    /// code refused). Sign in again, or refresh or re-issue the token or key, before trying
    /// again; a wrong password or code needs its owner.
    pub fn is_auth(&self) -> bool {
        match &self.0.kind {
            ErrorKind::Status { status, .. } => matches!(status, 401 | 403),
            ErrorKind::Api(api) => api
                .error_code()
                .is_some_and(|code| code.category() == Some(Category::Authentication)),
            _ => false,
        }
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ErrorKind::Api(api) => {
                write!(f, "API error {}", api.code)?;
                if !api.biz_code.is_empty() {
                    write!(f, " (bizCode {})", api.biz_code)?;
                }
                write!(f, ": {}", api.msg)?;
                if let Some(meaning) = api.error_code().and_then(|code| code.meaning()) {
                    write!(f, " [{meaning}]")?;
                }
                Ok(())
            }
            ErrorKind::RateLimited { body } => {
                write!(f, "HTTP status 429, too many calls: {body:?}")
            }
            ErrorKind::KeyBanned { body } => write!(
                f,
                "HTTP status 418, the Open API key is disabled for a while (calls went on after \
                 a 429): {body:?}"
            ),
            ErrorKind::Status { status, body } => write!(f, "HTTP status {status}: {body:?}"),
            ErrorKind::NotJson { status, body } => {
                write!(
                    f,
                    "HTTP status {status} with a body that is not JSON: {body:?}"
                )
            }
            ErrorKind::Decode { path, message } => {
                write!(f, "unexpected response shape at `{path}`: {message}")
            }
            ErrorKind::MissingData => f.write_str("success response without `data`"),
            ErrorKind::Transport { connect: true } => f.write_str("cannot connect"),
            ErrorKind::Transport { connect: false } => f.write_str("connection failed"),
            ErrorKind::Timeout => f.write_str("timed out"),
            ErrorKind::Deadline { limit } => {
                write!(f, "the call's deadline of {limit:?} passed before it ended")
            }
            ErrorKind::TooLarge { limit } => {
                write!(f, "the response body is larger than {limit} bytes")
            }
            ErrorKind::InvalidInput(why) => write!(f, "invalid input: {why}"),
            ErrorKind::BrokenRule(broken) => write!(f, "invalid request: {broken}"),
            ErrorKind::Config(why) => write!(f, "invalid configuration: {why}"),
            ErrorKind::MissingCredential(credential) => match credential {
                Credential::ManagerToken => f.write_str(
                    "the Manager API token is not configured (`Builder::manager_token`)",
                ),
                Credential::Auth2App => f.write_str(
                    "the Auth2 app credentials are not configured (`Builder::app_credentials`)",
                ),
                Credential::OpenApiSignature => {
                    f.write_str("no Open API key is configured (`Builder::open_api_key`)")
                }
                other => write!(f, "the operation needs {}", other.describe()),
            },
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(operation) = self.0.operation {
            write!(f, "{operation}: ")?;
        }
        write!(f, "{}", self.0.kind)?;
        if let Some(trace) = &self.0.trace {
            write!(f, " (trace {trace})")?;
        }
        Ok(())
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Error")
            .field("kind", &self.0.kind)
            .field("operation", &self.0.operation)
            .field("trace", &self.0.trace)
            .field("retry_after", &self.0.retry_after)
            .field("rate_limit", &self.0.rate_limit)
            .field("source", &self.0.source)
            .finish()
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.0
            .source
            .as_deref()
            .map(|e| e as &(dyn std::error::Error + 'static))
    }
}

impl From<ErrorKind> for Error {
    fn from(kind: ErrorKind) -> Self {
        Self::new(kind)
    }
}

/// The start of `body` as text of at most [`BODY_EXCERPT_LIMIT`] bytes, cut on a character
/// boundary, with each invalid UTF-8 sequence shown as U+FFFD.
pub(crate) fn excerpt(body: &[u8]) -> String {
    let cut = &body[..body.len().min(BODY_EXCERPT_LIMIT)];
    let mut text = String::new();
    let mut chunks = cut.utf8_chunks().peekable();
    while let Some(chunk) = chunks.next() {
        // At the very end of a cut body, an invalid sequence is a character cut in half.
        let cut_in_half = chunks.peek().is_none() && cut.len() < body.len();
        let replaced = !chunk.invalid().is_empty() && !cut_in_half;
        for c in chunk.valid().chars().chain(replaced.then_some('\u{FFFD}')) {
            // U+FFFD is 3 bytes where it stands for 1: the text may outgrow the cut.
            if text.len() + c.len_utf8() > BODY_EXCERPT_LIMIT {
                return text;
            }
            text.push(c);
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_excerpt_keeps_short_text_as_it_is() {
        assert_eq!(excerpt(b"<html>502</html>"), "<html>502</html>");
        assert_eq!(
            excerpt("caf\u{e9} \u{FFFD}".as_bytes()),
            "caf\u{e9} \u{FFFD}"
        );
        assert_eq!(excerpt(b"a\xffb"), "a\u{FFFD}b");
    }

    #[test]
    fn an_excerpt_is_cut_on_a_character_boundary() {
        let body = format!("{}\u{e9}tail", "x".repeat(BODY_EXCERPT_LIMIT - 1));
        assert_eq!(excerpt(body.as_bytes()), "x".repeat(BODY_EXCERPT_LIMIT - 1));
    }

    #[test]
    fn an_api_error_is_judged_by_its_documented_code() {
        let api = |biz_code: &str, code: &str| {
            Error::new(ErrorKind::Api(
                ApiError::new(code, "refused").biz_code(biz_code),
            ))
        };
        let expired = api("G", "GATEWAY_CODE_005");
        assert_eq!(expired.code(), Some(ErrorCode::GGATEWAY_CODE_005));
        assert!(expired.is_auth() && !expired.is_retryable());
        let meaning = ErrorCode::GGATEWAY_CODE_005.meaning().unwrap();
        assert_eq!(
            expired.to_string(),
            format!("API error GATEWAY_CODE_005 (bizCode G): refused [{meaning}]")
        );

        let too_fast = api("G", "GATEWAY_CODE_018");
        assert_eq!(
            too_fast.code().and_then(|c| c.category()),
            Some(Category::RateLimit)
        );
        assert!(too_fast.is_retryable() && !too_fast.is_auth());

        let unknown = api("Q", "X1");
        assert_eq!(unknown.code().unwrap().as_str(), "QX1");
        assert!(!unknown.is_retryable() && !unknown.is_auth());
        assert_eq!(unknown.to_string(), "API error X1 (bizCode Q): refused");

        assert_eq!(Error::new(ErrorKind::Timeout).code(), None);
        let status = Error::new(ErrorKind::Status {
            status: 401,
            body: String::new(),
        });
        assert!(status.is_auth() && status.code().is_none());
    }

    /// Found by the `envelope` fuzz target: invalid bytes grew the excerpt to three times
    /// its limit, since each became a 3-byte U+FFFD.
    #[test]
    fn invalid_utf8_never_grows_an_excerpt_past_the_limit() {
        let text = excerpt(&[0x88; 2 * BODY_EXCERPT_LIMIT]);
        assert_eq!(text, "\u{FFFD}".repeat(BODY_EXCERPT_LIMIT / 3));
        let mut body = br#"{"msg": "Success", "data": ["#.to_vec();
        body.extend(std::iter::repeat_n(0x88, BODY_EXCERPT_LIMIT));
        let text = excerpt(&body);
        assert!(text.len() <= BODY_EXCERPT_LIMIT, "{}", text.len());
        assert!(text.starts_with(r#"{"msg": "Success", "data": ["#));
    }
}
