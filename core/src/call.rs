//! The one way every operation is sent: headers from the configuration, a trace id, the Open
//! API signature, retries where safe, a bounded response body, the envelope turned into
//! `Result<Data, Error>`, and a `tracing` span with one event per attempt.
//!
//! Only [`call`] and [`decode`] are generic, and thinly: they write the body and read the
//! data. Everything else, the retry loop included, is compiled once for all operations.

use std::marker::PhantomData;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use bytes::Bytes;
use http::header::{ACCEPT, CONTENT_TYPE};
use http::{HeaderMap, HeaderValue};
use serde::Serialize;
use serde::de::{DeserializeOwned, IntoDeserializer};
use tracing::Instrument;

use crate::envelope::{Envelope, QuoteEnvelope};
use crate::error::{ApiError, Error, ErrorKind, excerpt};
use crate::operation::{Codec, Credential, Encoding, EnvelopeKind, Operation, Source};
use crate::runtime::{MAX_RESPONSE_BYTES, Runtime};
use crate::trace::TraceId;

/// What a call passes besides its body: the values only the caller knows.
#[derive(Debug, Clone, Copy, Default)]
pub struct Args<'a> {
    /// The credential of an operation that takes it per call (a login or access token).
    pub credential: Option<&'a str>,
    /// The value of each header and query parameter whose source is [`Source::Argument`],
    /// by index; `None` leaves an optional one out.
    pub arguments: &'a [Option<&'a str>],
    /// Headers the operation does not declare, sent as they are (a raw call's).
    pub extra_headers: &'a [(http::HeaderName, HeaderValue)],
    /// Query parameters the operation does not declare, sent as they are (a raw call's).
    pub extra_query: &'a [(&'a str, &'a str)],
}

impl<'a> Args<'a> {
    /// No credential, no header arguments.
    pub const NONE: Args<'static> = Args::new(None, &[]);

    /// A credential and the arguments, by index: what the generated calls pass.
    pub const fn new(credential: Option<&'a str>, arguments: &'a [Option<&'a str>]) -> Self {
        Self {
            credential,
            arguments,
            extra_headers: &[],
            extra_query: &[],
        }
    }
}

/// The data of an operation whose successful answer carries none (`x-mm-returns: nothing`):
/// whatever `data` holds is read and dropped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Nothing;

impl<'de> serde::Deserialize<'de> for Nothing {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        serde::de::IgnoredAny::deserialize(deserializer).map(|_| Nothing)
    }
}

impl Serialize for Nothing {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_unit()
    }
}

/// The body of an operation that takes no parameters: `{}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct EmptyBody;

impl Serialize for EmptyBody {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        serializer.serialize_map(Some(0))?.end()
    }
}

/// Any JSON value, ignored: the request of an operation without one, as tools write it
/// (`{}`).
impl<'de> serde::Deserialize<'de> for EmptyBody {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        serde::de::IgnoredAny::deserialize(deserializer).map(|_| EmptyBody)
    }
}

/// Sends `op` with `body` and returns its `data`.
pub async fn call<B, T>(
    runtime: &Runtime,
    op: &Operation<'_>,
    args: Args<'_>,
    body: &B,
) -> Result<T, Error>
where
    B: Serialize + ?Sized,
    T: DeserializeOwned + Send,
{
    let body = serde_json::to_vec(body).map_err(|e| {
        Error::new(ErrorKind::InvalidInput(format!(
            "the request body cannot be written as JSON: {e}"
        )))
        .with_operation(op.id)
    })?;
    let mut data = None;
    runtime
        .execute(op, &args, Bytes::from(body), &mut |body| {
            data = Some(decode::<T>(body, op)?);
            Ok(())
        })
        .await?;
    // `execute` returns `Ok` only after `decode` did.
    data.ok_or_else(|| Error::new(ErrorKind::MissingData).with_operation(op.id))
}

/// Sends `op` with a JSON body read through the operation's own request type, and returns its
/// `data` decoded through its response type and written back as JSON: what tools use to drive
/// any operation (the tests send every operation from its documented examples this way).
/// Fails with [`ErrorKind::InvalidInput`] when `json` does not fit the request type.
pub async fn call_json(
    runtime: &Runtime,
    op: &Operation<'_>,
    args: Args<'_>,
    json: &[u8],
) -> Result<serde_json::Value, Error> {
    let body = op.codec.request(json).map_err(|e| {
        Error::new(ErrorKind::InvalidInput(format!(
            "the body does not fit the request type of `{}`: {e}",
            op.id
        )))
        .with_operation(op.id)
    })?;
    let mut data = None;
    runtime
        .execute(op, &args, Bytes::from(body), &mut |body| {
            data = Some(op.codec.response(op, body)?);
            Ok(())
        })
        .await?;
    data.ok_or_else(|| Error::new(ErrorKind::MissingData).with_operation(op.id))
}

/// Decodes a response body of `op` as [`call`] does: the operation's data, or the error the
/// body amounts to.
pub fn decode<T: DeserializeOwned>(body: &[u8], op: &Operation<'_>) -> Result<T, Error> {
    let envelope = match op.envelope {
        EnvelopeKind::Platform => serde_json::from_slice::<Envelope<T>>(body),
        EnvelopeKind::Quote => {
            serde_json::from_slice::<QuoteEnvelope<T>>(body).map(QuoteEnvelope::into_envelope)
        }
    };
    match envelope {
        Ok(envelope) => open(envelope, op.returns_nothing),
        Err(e) => Err(undecodable::<T>(body, op.envelope, e)),
    }
}

/// An operation's request type `B` and data type `T`, as its [`Operation::codec`].
pub struct Types<B, T>(PhantomData<fn() -> (B, T)>);

impl<B, T> Types<B, T> {
    /// The codec of `B` and `T`.
    pub const NEW: Self = Self(PhantomData);
}

impl<B, T> Codec for Types<B, T>
where
    B: Serialize + DeserializeOwned,
    T: Serialize + DeserializeOwned,
{
    fn request(&self, json: &[u8]) -> Result<Vec<u8>, serde_json::Error> {
        serde_json::to_vec(&serde_json::from_slice::<B>(json)?)
    }

    fn response(&self, op: &Operation<'_>, body: &[u8]) -> Result<serde_json::Value, Error> {
        serde_json::to_value(decode::<T>(body, op)?).map_err(|e| {
            ErrorKind::Decode {
                path: "data".into(),
                message: e.to_string(),
            }
            .into()
        })
    }
}

impl<B, T> std::fmt::Debug for Types<B, T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(std::any::type_name::<Self>())
    }
}

type Decoder<'a> = dyn FnMut(&[u8]) -> Result<(), Error> + Send + 'a;

/// The values drawn once per call and repeated on each of its attempts.
struct PerCall<'a> {
    trace: &'a TraceId,
    /// The idempotency key (a random UUID, like a trace id), when the operation carries one.
    idempotency: Option<HeaderValue>,
}

/// How one attempt ended.
struct Attempt {
    /// The HTTP status, if a response arrived.
    status: Option<u16>,
    result: Result<(), Error>,
}

impl Runtime {
    /// Sends `op` with the JSON `body` until an attempt succeeds or no retry is safe; each
    /// 2xx body goes to `decode`, whose error (a failure envelope) may itself be retried.
    pub(crate) async fn execute(
        &self,
        op: &Operation<'_>,
        args: &Args<'_>,
        body: Bytes,
        decode: &mut Decoder<'_>,
    ) -> Result<(), Error> {
        let trace = TraceId::random();
        let span = tracing::info_span!(
            "mm_sdk.call",
            operation = op.id,
            trace = %trace,
            attempts = tracing::field::Empty,
            status = tracing::field::Empty,
        );
        self.attempts(op, args, body, decode, &trace)
            .instrument(span)
            .await
            .map_err(|e| e.with_call(op.id, &trace))
    }

    async fn attempts(
        &self,
        op: &Operation<'_>,
        args: &Args<'_>,
        body: Bytes,
        decode: &mut Decoder<'_>,
        trace: &TraceId,
    ) -> Result<(), Error> {
        // One idempotency key per call: every attempt repeats it, so the server applies the
        // call once however many attempts reach it.
        let call = PerCall {
            trace,
            idempotency: op.is_idempotent().then(|| TraceId::random().header_value()),
        };
        // Checked before anything is sent; built again for each further attempt.
        let mut headers = Some(self.headers(op, args, &call)?);
        let signed = match op.credential {
            Credential::OpenApiSignature => Some(serde_json::from_slice(&body).map_err(|e| {
                Error::new(ErrorKind::InvalidInput(format!(
                    "the request body cannot be signed: {e}"
                )))
            })?),
            _ => None,
        };
        let request = match op.encoding {
            Encoding::Traced => traced(trace, &body),
            _ => body,
        };
        let url = self.url_of(op, args, &request)?;
        let body = op.has_body().then_some(request);
        // A multipart body is written once, and sent as it is on every attempt.
        let (body, multipart) = match (body, op.encoding) {
            (Some(json), Encoding::Multipart) => {
                let (content_type, body) = crate::upload::multipart(&json).await?;
                let content_type = HeaderValue::try_from(content_type).map_err(|_| {
                    Error::new(ErrorKind::InvalidInput("multipart boundary".into()))
                })?;
                (Some(body), Some(content_type))
            }
            (body, _) => (body, None),
        };
        let span = tracing::Span::current();
        let mut attempt = 0u32;
        loop {
            attempt += 1;
            let mut request = reqwest::Request::new(op.method.clone(), url.clone());
            *request.headers_mut() = match headers.take() {
                Some(headers) => headers,
                None => self.headers(op, args, &call)?,
            };
            self.stamp(op, request.headers_mut(), signed.as_ref())?;
            if let Some(content_type) = &multipart {
                request
                    .headers_mut()
                    .insert(CONTENT_TYPE, content_type.clone());
            }
            if let Some(body) = &body {
                *request.body_mut() = Some(body.clone().into());
            }

            let started = Instant::now();
            let Attempt { status, result } = self.attempt(request, decode).await;
            let duration_ms = started.elapsed().as_secs_f64() * 1e3;
            span.record("attempts", attempt);
            if let Some(status) = status {
                span.record("status", status);
            }
            let error = match result {
                Ok(()) => {
                    tracing::debug!(attempt, status, duration_ms, "attempt succeeded");
                    return Ok(());
                }
                Err(error) => error,
            };
            tracing::debug!(attempt, status, duration_ms, error = %error.kind(), "attempt failed");
            let safe = op.may_retry(&error);
            let Some(delay) = self
                .retry
                .delay(attempt, error.retry_after())
                .filter(|_| safe)
            else {
                return Err(error);
            };
            tracing::debug!(?delay, "retrying");
            tokio::time::sleep(delay).await;
        }
    }

    /// One attempt: send, read the body within the limit, decode it.
    async fn attempt(&self, request: reqwest::Request, decode: &mut Decoder<'_>) -> Attempt {
        let response = match self.http.execute(request).await {
            Ok(response) => response,
            Err(e) => {
                return Attempt {
                    status: None,
                    result: Err(from_reqwest(e)),
                };
            }
        };
        let status = response.status();
        let result = if status.is_success() {
            match read_body(response).await {
                Ok(body) => decode(&body),
                Err(e) => Err(e),
            }
        } else {
            let wait = retry_after(response.headers());
            match read_excerpt(response).await {
                Ok(body) => Err(Error::new(ErrorKind::Status {
                    status: status.as_u16(),
                    body,
                })
                .with_retry_after(wait)),
                Err(e) => Err(from_reqwest(e)),
            }
        };
        Attempt {
            status: Some(status.as_u16()),
            result,
        }
    }

    /// Every header of `op` that is the same on each attempt.
    fn headers(
        &self,
        op: &Operation<'_>,
        args: &Args<'_>,
        call: &PerCall<'_>,
    ) -> Result<HeaderMap, Error> {
        let mut headers = HeaderMap::with_capacity(op.headers.len() + 2);
        headers.insert(ACCEPT, HeaderValue::from_static("application/json"));
        if op.encoding != Encoding::Multipart && op.has_body() {
            headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        }
        for header in op.headers {
            let value = match header.source {
                Source::Trace => Some(call.trace.header_value()),
                Source::IdempotencyKey => call.idempotency.clone(),
                Source::CompanyId => Some(self.company_id.clone()),
                Source::Lang => Some(self.lang.clone()),
                Source::Version => Some(self.version.clone()),
                Source::Credential => self.credential(op, args)?,
                Source::ApiKey => Some(self.open_api(op)?.1.clone()),
                Source::RecvWindow => self.recv_window.clone(),
                Source::Fixed(value) => Some(HeaderValue::from_static(value)),
                Source::Argument(index) => args
                    .arguments
                    .get(index)
                    .copied()
                    .flatten()
                    .map(|value| argument(header.name, value))
                    .transpose()?,
                // Set on each attempt by `stamp`.
                Source::Timestamp | Source::Signature => continue,
                Source::Request => {
                    return Err(ErrorKind::Config(format!(
                        "the `{}` header cannot carry the request",
                        header.name
                    ))
                    .into());
                }
            };
            match value {
                Some(value) => {
                    headers.append(header.header_name(), value);
                }
                None if header.required => {
                    return Err(ErrorKind::InvalidInput(format!(
                        "the `{}` header is required and was not given",
                        header.name
                    ))
                    .into());
                }
                None => {}
            }
        }
        for (name, value) in args.extra_headers {
            headers.append(name.clone(), value.clone());
        }
        Ok(headers)
    }

    /// The headers that change with every attempt: the timestamp, and the signature over it.
    fn stamp(
        &self,
        op: &Operation<'_>,
        headers: &mut HeaderMap,
        signed: Option<&serde_json::Value>,
    ) -> Result<(), Error> {
        let now = unix_millis();
        for header in op.headers {
            match header.source {
                Source::Timestamp => {
                    headers.insert(header.header_name(), HeaderValue::from(now));
                }
                Source::Signature => {
                    let key = &self.open_api(op)?.0;
                    let body = signed.unwrap_or(&serde_json::Value::Null);
                    let signature = HeaderValue::try_from(key.sign(body, now))
                        .map_err(|_| Error::new(ErrorKind::InvalidInput("signature".into())))?;
                    headers.insert(header.header_name(), signature);
                }
                _ => {}
            }
        }
        Ok(())
    }

    /// The URL of one call of `op`: the API's base, the path and the query parameters.
    fn url_of(
        &self,
        op: &Operation<'_>,
        args: &Args<'_>,
        request: &[u8],
    ) -> Result<reqwest::Url, Error> {
        let mut url = reqwest::Url::parse(&self.url(op.api, op.path)).map_err(|e| {
            Error::new(ErrorKind::Config(format!(
                "the URL of `{}` is not valid: {e}",
                op.path
            )))
        })?;
        let mut pairs = Vec::with_capacity(op.query.len());
        for param in op.query {
            let value = match param.source {
                Source::Request => Some(std::str::from_utf8(request).map_err(|_| {
                    Error::new(ErrorKind::InvalidInput("the request is not UTF-8".into()))
                })?),
                Source::Argument(index) => args.arguments.get(index).copied().flatten(),
                Source::Credential => match (op.credential, &self.settings().quote_token) {
                    (Credential::QuoteToken, Some(token)) => Some(token.expose_secret()),
                    _ => return Err(ErrorKind::MissingCredential(op.credential).into()),
                },
                _ => {
                    return Err(ErrorKind::Config(format!(
                        "the `{}` query parameter has a source only headers have",
                        param.name
                    ))
                    .into());
                }
            };
            match value {
                Some(value) => pairs.push((param.name, value)),
                None if param.required => {
                    return Err(ErrorKind::InvalidInput(format!(
                        "the `{}` query parameter is required and was not given",
                        param.name
                    ))
                    .into());
                }
                None => {}
            }
        }
        pairs.extend(args.extra_query.iter().copied());
        if !pairs.is_empty() {
            url.query_pairs_mut().extend_pairs(pairs);
        }
        Ok(url)
    }

    /// The value of `op`'s credential header: the Manager token or the token given to the
    /// call; `None` for a credential without a token (the header is then left out).
    fn credential(
        &self,
        op: &Operation<'_>,
        args: &Args<'_>,
    ) -> Result<Option<HeaderValue>, Error> {
        if op.credential == Credential::ManagerToken {
            return match &self.manager_token {
                Some(token) => Ok(Some(token.clone())),
                None => Err(ErrorKind::MissingCredential(op.credential).into()),
            };
        }
        let Some(token) = args.credential.filter(|_| op.credential.is_per_call()) else {
            return Ok(None);
        };
        let mut value = HeaderValue::from_str(token).map_err(|_| {
            Error::new(ErrorKind::InvalidInput(
                "the token cannot be sent in an HTTP header: it holds a control character or \
                 a line break"
                    .into(),
            ))
        })?;
        value.set_sensitive(true);
        Ok(Some(value))
    }

    fn open_api(
        &self,
        op: &Operation<'_>,
    ) -> Result<&(crate::open_api_sign::OpenApiKey, HeaderValue), Error> {
        self.open_api
            .as_ref()
            .ok_or_else(|| ErrorKind::MissingCredential(op.credential).into())
    }
}

/// A header argument of a call as a header value.
fn argument(name: &str, value: &str) -> Result<HeaderValue, Error> {
    HeaderValue::from_str(value).map_err(|_| {
        ErrorKind::InvalidInput(format!(
            "the `{name}` header cannot carry `{}`: it holds a control character or a line \
             break",
            value.escape_debug()
        ))
        .into()
    })
}

/// `{"trace": <trace>, "data": <request>}`: a request of [`Encoding::Traced`].
fn traced(trace: &TraceId, request: &[u8]) -> Bytes {
    let trace = serde_json::to_string(&trace.to_string()).unwrap_or_default();
    let mut body = Vec::with_capacity(request.len() + trace.len() + 20);
    body.extend_from_slice(b"{\"trace\":");
    body.extend_from_slice(trace.as_bytes());
    body.extend_from_slice(b",\"data\":");
    body.extend_from_slice(request);
    body.push(b'}');
    Bytes::from(body)
}

/// Milliseconds since the Unix epoch, as the `timestamp` header wants.
fn unix_millis() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
}

/// Turns an envelope into its data, or the API error it reports. `data_optional` is the
/// operation's `returns_nothing`: a success without data is then its whole answer.
fn open<T: DeserializeOwned>(envelope: Envelope<T>, data_optional: bool) -> Result<T, Error> {
    if envelope.ok && !envelope.fail {
        return match envelope.data {
            Some(data) => Ok(data),
            None if data_optional => {
                T::deserialize(().into_deserializer()).map_err(|e: serde::de::value::Error| {
                    ErrorKind::Decode {
                        path: "data".into(),
                        message: e.to_string(),
                    }
                    .into()
                })
            }
            None => Err(ErrorKind::MissingData.into()),
        };
    }
    Err(Error::new(ErrorKind::Api(ApiError {
        code: envelope.code,
        biz_code: envelope.biz_code,
        msg: envelope.msg,
        msg_params: envelope.msg_params,
        server_trace: envelope.trace,
    })))
}

/// A 2xx body, read whole unless it is larger than [`MAX_RESPONSE_BYTES`].
async fn read_body(mut response: reqwest::Response) -> Result<Bytes, Error> {
    let too_large = || {
        Error::new(ErrorKind::TooLarge {
            limit: MAX_RESPONSE_BYTES,
        })
    };
    match response.content_length() {
        // hyper reads no more than a declared length.
        Some(length) if length <= MAX_RESPONSE_BYTES as u64 => {
            response.bytes().await.map_err(from_reqwest)
        }
        // Dropping the response closes the connection without reading the body.
        Some(_) => Err(too_large()),
        None => {
            let mut body = Vec::new();
            while let Some(chunk) = response.chunk().await.map_err(from_reqwest)? {
                if body.len() + chunk.len() > MAX_RESPONSE_BYTES {
                    return Err(too_large());
                }
                body.extend_from_slice(&chunk);
            }
            Ok(Bytes::from(body))
        }
    }
}

fn undecodable<T: DeserializeOwned>(
    body: &[u8],
    kind: EnvelopeKind,
    e: serde_json::Error,
) -> Error {
    // A failure's `data` need not have the success type (upstream puts the bizType string
    // there): a failure envelope is an API error whatever its `data`.
    let failure = match kind {
        EnvelopeKind::Platform => serde_json::from_slice::<Envelope<serde_json::Value>>(body),
        EnvelopeKind::Quote => serde_json::from_slice::<QuoteEnvelope<serde_json::Value>>(body)
            .map(QuoteEnvelope::into_envelope),
    };
    if let Ok(envelope) = failure
        && (!envelope.ok || envelope.fail)
        && let Err(error) = open(envelope, false)
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
        let located = match kind {
            EnvelopeKind::Platform => {
                serde_path_to_error::deserialize::<_, Envelope<T>>(&mut de).map(drop)
            }
            EnvelopeKind::Quote => {
                serde_path_to_error::deserialize::<_, QuoteEnvelope<T>>(&mut de).map(drop)
            }
        };
        let path = match located {
            Err(located) => located.path().to_string(),
            Ok(()) => String::from("."),
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
    // The URL may carry a secret (the quote token is a query parameter).
    let error = error.without_url();
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

#[cfg(test)]
mod tests {
    use super::*;

    const fn operation(returns_nothing: bool) -> Operation<'static> {
        Operation {
            api: crate::Api::Client,
            id: "test",
            group: "test",
            method: http::Method::POST,
            path: "/test",
            headers: &[],
            query: &[],
            encoding: Encoding::Json,
            envelope: EnvelopeKind::Platform,
            credential: Credential::None,
            effect: crate::Effect::Read,
            returns_nothing,
            codec: &Types::<serde_json::Value, Nothing>::NEW,
        }
    }
    static PLAIN: Operation<'static> = operation(false);
    static NOTHING: Operation<'static> = operation(true);

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
        assert_eq!(
            decode::<i64>(envelope(true, "5").as_bytes(), &PLAIN).unwrap(),
            5
        );
        let kind = |body: &str| {
            decode::<i64>(body.as_bytes(), &PLAIN)
                .unwrap_err()
                .kind()
                .clone()
        };
        assert_eq!(kind(&envelope(true, "null")), ErrorKind::MissingData);
        // An operation that returns nothing succeeds with any data, or none.
        assert_eq!(
            decode::<Nothing>(envelope(true, "null").as_bytes(), &NOTHING).unwrap(),
            Nothing
        );
        assert_eq!(
            decode::<Nothing>(envelope(true, r#"{"a":1}"#).as_bytes(), &NOTHING).unwrap(),
            Nothing
        );
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
