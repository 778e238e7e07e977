//! The one way every operation is sent: trace id, tracing span, retries where safe, and the
//! envelope turned into `Result<Data, Error>`.

use std::future::Future;
use std::time::Duration;

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
            if !safe || attempts >= retry.max_attempts {
                tracing::debug!(error = %error.kind(), attempts, "call failed");
                return Err(error.with_call(operation, &trace));
            }
            let delay = retry.base_delay * 2u32.saturating_pow(attempts - 1);
            tracing::debug!(error = %error.kind(), attempts, ?delay, "retrying");
            tokio::time::sleep(delay).await;
        }
    }
    .instrument(span)
    .await
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
        E::InvalidResponsePayload(body, e) => {
            // A failure's `data` need not have the success type (upstream puts the bizType
            // string there): a failure envelope is an API error whatever its `data`.
            if let Ok(envelope) = serde_json::from_slice::<Envelope<serde_json::Value>>(&body)
                && (!envelope.ok || envelope.fail)
                && let Err(error) = open(envelope)
            {
                return error;
            }
            let kind = if serde_json::from_slice::<serde::de::IgnoredAny>(&body).is_err() {
                ErrorKind::NotJson {
                    status: 200,
                    body: excerpt(&body),
                }
            } else {
                // Decode again to learn where it failed; `e` only knows line and column.
                let mut de = serde_json::Deserializer::from_slice(&body);
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
        E::ErrorResponse(response) => Error::new(ErrorKind::Status {
            status: response.status().as_u16(),
            body: String::new(),
        }),
        E::UnexpectedResponse(response) => {
            let status = response.status().as_u16();
            match read_excerpt(response).await {
                Ok(body) => Error::new(ErrorKind::Status { status, body }),
                Err(e) => from_reqwest(e),
            }
        }
    }
}

fn from_reqwest(error: reqwest::Error) -> Error {
    let kind = if error.is_timeout() {
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
