//! The one way every operation is sent: trace id, tracing span, retries where safe, and the
//! envelope turned into `Result<Data, Error>`.

use std::future::Future;
use std::time::{Duration, SystemTime};

use mm_sdk_generated::Envelope;
use progenitor_client::ResponseValue;
use serde::de::DeserializeOwned;
use tracing::Instrument;

use crate::error::{ApiError, Error, ErrorKind, excerpt};
use crate::trace::TraceId;

/// What a generated builder's `send()` returns.
pub(crate) type Sent<T> = Result<ResponseValue<Envelope<T>>, progenitor_client::Error<()>>;

/// Whether an operation may be sent again after a failure that may have reached the server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Idempotency {
    /// A read: repeating it changes nothing.
    Read,
    /// Changes state (registration, login, balance updates, orders): sent again only when the
    /// first attempt certainly never left this machine.
    Write,
}

/// How often and how patiently safe retries happen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts in all, the first included; 1 disables retries.
    pub max_attempts: u32,
    /// Delay before the first retry; doubled for each further one.
    pub base_delay: Duration,
}

impl RetryPolicy {
    /// The longest `Retry-After` a read waits for before trying again. A server that asks for
    /// longer gets no retry: the call fails at once, and [`Error::retry_after`] says how long
    /// the server asked to wait.
    pub const MAX_RETRY_AFTER: Duration = Duration::from_secs(10);

    /// How long to wait before the attempt after `attempts` failed ones, or `None` to give up:
    /// the exponential backoff, or the server's `Retry-After` when that is longer.
    fn delay(&self, attempts: u32, retry_after: Option<Duration>) -> Option<Duration> {
        if attempts >= self.max_attempts {
            return None;
        }
        let backoff = self
            .base_delay
            .saturating_mul(2u32.saturating_pow(attempts.saturating_sub(1)));
        match retry_after {
            Some(wait) if wait > Self::MAX_RETRY_AFTER => None,
            Some(wait) => Some(wait.max(backoff)),
            None => Some(backoff),
        }
    }
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_attempts: 3,
            base_delay: Duration::from_millis(200),
        }
    }
}

/// Sends one operation and returns its `data`: `attempt(trace)` builds and sends the request
/// with the given trace id (the same for every attempt of this call).
pub(crate) async fn call<T, F, Fut>(
    operation: &'static str,
    idempotency: Idempotency,
    retry: RetryPolicy,
    mut attempt: F,
) -> Result<T, Error>
where
    T: DeserializeOwned,
    F: FnMut(&TraceId) -> Fut,
    Fut: Future<Output = Sent<T>>,
{
    let trace = TraceId::random();
    let span = tracing::info_span!("mm_sdk.call", operation, trace = %trace);
    async {
        let mut attempts = 0;
        loop {
            attempts += 1;
            let error = match attempt(&trace).await {
                Ok(response) => match open(response.into_inner()) {
                    Ok(data) => return Ok(data),
                    Err(error) => error,
                },
                Err(error) => from_progenitor::<T>(error).await,
            };
            let safe = match error.kind() {
                ErrorKind::Transport { connect: true } => true,
                _ => idempotency == Idempotency::Read && error.is_retryable(),
            };
            let Some(delay) = retry.delay(attempts, error.retry_after()).filter(|_| safe) else {
                tracing::debug!(error = %error.kind(), attempts, "call failed");
                return Err(error.with_call(operation, &trace));
            };
            tracing::debug!(error = %error.kind(), attempts, ?delay, "retrying");
            tokio::time::sleep(delay).await;
        }
    }
    .instrument(span)
    .await
}

/// Decodes a response body as [`call`] does: the operation's data, or the error the body
/// amounts to. The entry point of the envelope fuzz target.
#[cfg(any(test, feature = "fuzzing"))]
pub fn decode<T: DeserializeOwned>(body: &[u8]) -> Result<T, Error> {
    match serde_json::from_slice::<Envelope<T>>(body) {
        Ok(envelope) => open(envelope),
        Err(e) => Err(undecodable::<T>(body, e)),
    }
}

/// Turns an envelope into its data, or the API error it reports.
fn open<T>(envelope: Envelope<T>) -> Result<T, Error> {
    if envelope.ok && !envelope.fail {
        return envelope.data.ok_or_else(|| ErrorKind::MissingData.into());
    }
    Err(Error::new(ErrorKind::Api(ApiError {
        code: envelope.code,
        biz_code: envelope.biz_code,
        msg: envelope.msg,
        msg_params: envelope.msg_params,
        server_trace: envelope.trace,
    })))
}

async fn from_progenitor<T: DeserializeOwned>(error: progenitor_client::Error<()>) -> Error {
    use progenitor_client::Error as E;
    match error {
        E::InvalidRequest(why) | E::Custom(why) => Error::new(ErrorKind::InvalidInput(why)),
        E::CommunicationError(e) | E::InvalidUpgrade(e) | E::ResponseBodyError(e) => {
            from_reqwest(e)
        }
        E::InvalidResponsePayload(body, e) => undecodable::<T>(&body, e),
        E::ErrorResponse(response) => Error::new(ErrorKind::Status {
            status: response.status().as_u16(),
            body: String::new(),
        })
        .with_retry_after(retry_after(response.headers())),
        E::UnexpectedResponse(response) => {
            let status = response.status().as_u16();
            let wait = retry_after(response.headers());
            match read_excerpt(response).await {
                Ok(body) => Error::new(ErrorKind::Status { status, body }).with_retry_after(wait),
                Err(e) => from_reqwest(e),
            }
        }
    }
}

/// The error for a 200 body that is not an `Envelope<T>`; `e` is why decoding failed.
fn undecodable<T: DeserializeOwned>(body: &[u8], e: serde_json::Error) -> Error {
    // A failure's `data` need not have the success type (upstream puts the bizType string
    // there): a failure envelope is an API error whatever its `data`.
    if let Ok(envelope) = serde_json::from_slice::<Envelope<serde_json::Value>>(body)
        && (!envelope.ok || envelope.fail)
        && let Err(error) = open(envelope)
    {
        return error;
    }
    let kind = if serde_json::from_slice::<serde::de::IgnoredAny>(body).is_err() {
        ErrorKind::NotJson {
            status: 200,
            body: excerpt(body),
        }
    } else {
        // Decode again to learn where it failed; `e` only knows line and column.
        let mut de = serde_json::Deserializer::from_slice(body);
        let path = match serde_path_to_error::deserialize::<_, Envelope<T>>(&mut de) {
            Err(located) => located.path().to_string(),
            Ok(_) => String::from("."),
        };
        ErrorKind::Decode {
            path,
            message: e.to_string(),
        }
    };
    Error::new(kind).with_source(e)
}

/// The wait a `Retry-After` header asks for: delay-seconds or an HTTP date.
fn retry_after(headers: &reqwest::header::HeaderMap) -> Option<Duration> {
    let value = headers
        .get(reqwest::header::RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let when = httpdate::parse_http_date(value).ok()?;
    Some(
        when.duration_since(SystemTime::now())
            .unwrap_or(Duration::ZERO),
    )
}

fn from_reqwest(error: reqwest::Error) -> Error {
    let too_large = std::iter::successors(std::error::Error::source(&error), |e| e.source())
        .find_map(|e| e.downcast_ref::<mm_sdk_generated::ResponseTooLarge>());
    let kind = if let Some(too_large) = too_large {
        ErrorKind::TooLarge {
            limit: too_large.limit,
        }
    } else if error.is_timeout() {
        ErrorKind::Timeout
    } else {
        ErrorKind::Transport {
            connect: error.is_connect(),
        }
    };
    Error::new(kind).with_source(error)
}

/// Reads no more of an unexpected body than the excerpt keeps.
async fn read_excerpt(mut response: reqwest::Response) -> Result<String, reqwest::Error> {
    let mut body = Vec::new();
    while body.len() < crate::error::BODY_EXCERPT_LIMIT {
        match response.chunk().await? {
            Some(chunk) => body.extend_from_slice(&chunk),
            None => break,
        }
    }
    Ok(excerpt(&body))
}

#[cfg(test)]
mod tests {
    use super::*;

    const POLICY: RetryPolicy = RetryPolicy {
        max_attempts: 4,
        base_delay: Duration::from_millis(100),
    };

    #[test]
    fn backoff_doubles_and_stops_after_max_attempts() {
        let delays: Vec<_> = (1..=4)
            .map(|attempts| POLICY.delay(attempts, None))
            .collect();
        let ms = Duration::from_millis;
        assert_eq!(delays, [Some(ms(100)), Some(ms(200)), Some(ms(400)), None]);
    }

    #[test]
    fn retry_after_lengthens_the_wait_up_to_the_cap() {
        let s = Duration::from_secs;
        assert_eq!(POLICY.delay(1, Some(s(3))), Some(s(3)));
        // Never shorter than the backoff.
        assert_eq!(
            POLICY.delay(3, Some(s(0))),
            Some(Duration::from_millis(400))
        );
        assert_eq!(
            POLICY.delay(1, Some(RetryPolicy::MAX_RETRY_AFTER)),
            Some(RetryPolicy::MAX_RETRY_AFTER)
        );
        // Longer than the cap: give up now rather than hold the caller.
        assert_eq!(POLICY.delay(1, Some(s(11))), None);
        assert_eq!(POLICY.delay(4, Some(s(1))), None);
    }

    #[test]
    fn decode_tells_data_failures_and_garbage_apart() {
        let envelope = |ok: bool, data: &str| {
            format!(
                r#"{{"msg":"m","fail":{},"trace":"t","code":"{}","data":{data},"bizCode":"",
                "tm":1,"msgParams":null,"ok":{ok},"extra":[1]}}"#,
                !ok,
                if ok { "0" } else { "G500" }
            )
        };
        assert_eq!(decode::<i64>(envelope(true, "5").as_bytes()).unwrap(), 5);
        let kind = |body: &str| decode::<i64>(body.as_bytes()).unwrap_err().kind().clone();
        assert_eq!(kind(&envelope(true, "null")), ErrorKind::MissingData);
        assert!(
            matches!(kind(&envelope(false, r#""x""#)), ErrorKind::Api(api) if api.code == "G500")
        );
        assert!(
            matches!(kind(&envelope(true, r#""x""#)), ErrorKind::Decode { path, .. } if path == "data")
        );
        assert_eq!(
            kind(r#"{"msg":"#),
            ErrorKind::NotJson {
                status: 200,
                body: r#"{"msg":"#.into()
            }
        );
    }

    #[test]
    fn retry_after_reads_seconds_and_http_dates() {
        let header = |value: &str| {
            let mut headers = reqwest::header::HeaderMap::new();
            headers.insert(reqwest::header::RETRY_AFTER, value.parse().unwrap());
            retry_after(&headers)
        };
        assert_eq!(header("7"), Some(Duration::from_secs(7)));
        assert_eq!(header(" 0 "), Some(Duration::ZERO));
        // A date in the past means now.
        assert_eq!(
            header("Wed, 21 Oct 2015 07:28:00 GMT"),
            Some(Duration::ZERO)
        );
        let later = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(3600));
        let wait = header(&later).unwrap();
        assert!(wait > Duration::from_secs(3500) && wait <= Duration::from_secs(3600));
        assert_eq!(header("soon"), None);
        assert_eq!(header("-1"), None);
        assert_eq!(retry_after(&reqwest::header::HeaderMap::new()), None);
    }
}
