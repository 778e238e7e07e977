//! The one way every call is sent: headers from the configuration, the call's options and
//! the credentials table, a trace id, the Open API signature, retries where safe, a deadline,
//! a bounded response body, and a `tracing` span with one event per attempt.
//!
//! Nothing here is generic: the call's data is read by the `read` callback its [`Call`]
//! passes, so the retry loop is compiled once for all operations.
//!
//! [`Call`]: crate::Call

use std::future::Future;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use bytes::Bytes;
use http::header::{ACCEPT, CONTENT_LENGTH, CONTENT_TYPE, HOST, USER_AGENT};
use http::{HeaderMap, HeaderName, HeaderValue, StatusCode};
use tracing::Instrument;

use crate::call::Options;
use crate::credentials::{PerCall as CallCredentials, Resolved};
use crate::error::{Error, ErrorKind, excerpt};
use crate::metadata::{Metadata, RateLimit};
use crate::operation::{Credential, Encoding, Operation, Source};
use crate::retry::RetryPolicy;
use crate::runtime::{MAX_RESPONSE_BYTES, Runtime};
use crate::trace::TraceId;

/// What a call passes besides its body and options: the values only the caller knows.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Args<'a> {
    /// The token of an operation that takes one per call (a login or access token).
    pub(crate) token: Option<&'a str>,
    /// The value of each header and query parameter whose source is [`Source::Argument`],
    /// by index; `None` leaves an optional one out.
    pub(crate) arguments: &'a [Option<&'a str>],
    /// Query parameters the operation does not declare, sent as they are (a raw call's).
    pub(crate) extra_query: &'a [(&'a str, &'a str)],
}

/// Reads a successful answer's body into the call's data.
pub(crate) type Read<'r> = dyn FnMut(&[u8], &Operation<'_>) -> Result<(), Error> + Send + 'r;

/// What a successful call's answer said besides its data.
#[derive(Debug)]
pub(crate) struct Answered {
    status: StatusCode,
    headers: HeaderMap,
    /// Kept only for a caller who asked for the metadata.
    trace: Option<TraceId>,
    envelope_trace: Option<String>,
    attempts: u32,
}

impl Answered {
    pub(crate) fn into_metadata(self) -> Metadata {
        let trace = self.trace.unwrap_or_else(TraceId::random);
        let metadata = Metadata::new(self.status, self.headers, trace, self.attempts);
        match self.envelope_trace {
            Some(trace) => metadata.with_envelope_trace(trace),
            None => metadata,
        }
    }
}

/// The values drawn or resolved once per call and repeated on each of its attempts.
struct PerCall {
    trace: TraceId,
    trace_header: HeaderValue,
    idempotency: Option<HeaderValue>,
    /// The call's own language and company id; `None` sends the configuration's.
    lang: Option<HeaderValue>,
    company_id: Option<HeaderValue>,
    credential: Resolved,
    retry: RetryPolicy,
    attempt_timeout: Option<Duration>,
    extra_headers: Vec<(HeaderName, HeaderValue)>,
    metadata: bool,
}

/// How one attempt ended.
struct Attempt {
    /// The HTTP status, if a response arrived.
    status: Option<StatusCode>,
    result: Result<Success, Error>,
}

/// A 2xx answer whose body was read into the data.
struct Success {
    status: StatusCode,
    headers: HeaderMap,
    envelope_trace: Option<String>,
}

/// What each attempt of a call sends, made once.
struct Prepared {
    url: reqwest::Url,
    /// The fields an Open API signature covers.
    signed: Option<String>,
    body: Option<Bytes>,
    /// A multipart body's own type, with its boundary.
    content_type: Option<HeaderValue>,
}

impl Prepared {
    /// The request of one attempt, stamped with its time (and signature).
    fn request(
        &mut self,
        runtime: &Runtime,
        op: &Operation<'_>,
        args: &Args<'_>,
        call: &PerCall,
    ) -> Result<reqwest::Request, Error> {
        let mut request = reqwest::Request::new(op.method.clone(), self.url.clone());
        *request.headers_mut() = runtime.headers(op, args, call)?;
        runtime.stamp(op, call, request.headers_mut(), self.signed.as_deref())?;
        if let Some(content_type) = &self.content_type {
            request
                .headers_mut()
                .insert(CONTENT_TYPE, content_type.clone());
        }
        if let Some(body) = &self.body {
            *request.body_mut() = Some(body.clone().into());
        }
        if let Some(limit) = call.attempt_timeout {
            *request.timeout_mut() = Some(limit);
        }
        Ok(request)
    }
}

impl Runtime {
    /// Sends `op` with the JSON `body` until an attempt succeeds or no retry is safe; each
    /// 2xx body goes to `read`, whose error (a failure envelope) may itself be retried.
    pub(crate) async fn execute(
        &self,
        op: &Operation<'_>,
        args: &Args<'_>,
        options: &Options<'_>,
        body: Bytes,
        read: &mut Read<'_>,
    ) -> Result<Answered, Error> {
        let call = self
            .per_call(op, args, options)
            .map_err(|e| e.with_operation(op.id))?;
        follows_rules(op, &body)?;
        let span = tracing::info_span!(
            "mm_sdk.call",
            operation = op.id,
            trace = %call.trace,
            attempts = tracing::field::Empty,
            status = tracing::field::Empty,
        );
        // The attempts are boxed apart from this future, which is part of the call's: two
        // allocations of under a kilobyte each cost less than one above it (the allocator's
        // slower path for large blocks). Each branch makes its future where it awaits it: one
        // kept in a local would take its room twice.
        let result = match options.deadline {
            None => {
                Box::pin(
                    self.attempts(op, args, &call, body, read, None)
                        .instrument(span),
                )
                .await
            }
            Some(limit) => {
                let deadline = Some(tokio::time::Instant::now() + limit);
                let attempts = self
                    .attempts(op, args, &call, body, read, deadline)
                    .instrument(span);
                match Box::pin(tokio::time::timeout(limit, attempts)).await {
                    Ok(result) => result,
                    Err(_) => Err(ErrorKind::Deadline { limit }.into()),
                }
            }
        };
        result.map_err(|e| e.with_call(op.id, &call.trace))
    }

    /// Resolves what the call sends on every attempt, checking the caller's options against
    /// what the operation takes.
    fn per_call(
        &self,
        op: &Operation<'_>,
        args: &Args<'_>,
        options: &Options<'_>,
    ) -> Result<PerCall, Error> {
        let invalid = |why: String| Error::new(ErrorKind::InvalidInput(why));
        let declares = |source: Source| op.headers.iter().any(|h| h.source == source);
        // An option's value as a header value; `shown` says whether the error may repeat it
        // (not a header's value, which may be a secret).
        let option_header = |what: &str, value: &str, shown: bool| {
            if value.is_empty() {
                return Err(invalid(format!("the {what} is empty")));
            }
            HeaderValue::from_str(value).map_err(|_| {
                let value = if shown {
                    format!(" `{}`", value.escape_debug())
                } else {
                    String::new()
                };
                invalid(format!(
                    "the {what}{value} cannot be sent in an HTTP header: it holds a control \
                     character or a line break"
                ))
            })
        };
        let config = self.config();
        let trace = match &options.trace {
            Some(id) => {
                option_header("trace id", id, true)?;
                TraceId::given(id.clone())
            }
            None => TraceId::random(),
        };
        let idempotency = match &options.idempotency_key {
            Some(_) if !op.is_idempotent() => {
                return Err(invalid(format!(
                    "`{}` takes no idempotency key (only the Client gateway's writes do)",
                    op.id
                )));
            }
            Some(key) => Some(option_header("idempotency key", key, true)?),
            None => op.is_idempotent().then(|| TraceId::random().header_value()),
        };
        let lang = match &options.lang {
            Some(_) if !declares(Source::Lang) => {
                return Err(invalid(format!("`{}` takes no language", op.id)));
            }
            Some(lang) => Some(option_header("language", lang.as_str(), true)?),
            None => None,
        };
        let company_id = match &options.company_id {
            Some(_) if !declares(Source::CompanyId) => {
                return Err(invalid(format!("`{}` takes no company id", op.id)));
            }
            Some(id) => Some(option_header("company id", id, true)?),
            None => None,
        };
        if options.manager_token.is_some() && op.credential != Credential::ManagerToken {
            return Err(invalid(format!(
                "`{}` is not authenticated by a Manager token",
                op.id
            )));
        }
        if options.open_api_key.is_some() && op.credential != Credential::OpenApiSignature {
            let why = if op.open_api.is_some() {
                "is sent with the customer's login here: pass `ClientAccess::OpenApiKey` to sign \
                 it with a key"
            } else {
                "is not signed with an Open API key"
            };
            return Err(invalid(format!("`{}` {why}", op.id)));
        }
        // An operation that sends no credential (one whose token travels in its body) has
        // none resolved.
        let sends_credential = [Source::Credential, Source::ApiKey, Source::Signature]
            .into_iter()
            .any(declares)
            || op.query.iter().any(|q| q.source == Source::Credential);
        let credential = if !sends_credential {
            Resolved::Nothing
        } else {
            self.credentials.resolve(
                op.credential,
                &CallCredentials {
                    token: args.token.filter(|_| op.credential.is_per_call()),
                    manager_token: options.manager_token,
                    open_api_key: options.open_api_key,
                },
            )?
        };
        let mut extra_headers = Vec::with_capacity(options.headers.len());
        for (name, value) in &options.headers {
            let header = HeaderName::try_from(name.as_str())
                .map_err(|_| invalid(format!("`{}` is not a header name", name.escape_debug())))?;
            if op.headers.iter().any(|h| h.name == header.as_str()) {
                return Err(invalid(format!(
                    "`{}` declares the `{header}` header, which the SDK fills: use the call's \
                     option for it",
                    op.id
                )));
            }
            if [ACCEPT, CONTENT_TYPE, USER_AGENT, HOST, CONTENT_LENGTH].contains(&header) {
                return Err(invalid(format!(
                    "the SDK sets the `{header}` header of every request"
                )));
            }
            let mut value = option_header(&format!("`{header}` header's value"), value, false)?;
            // It may be a secret: kept out of `Debug`.
            value.set_sensitive(true);
            extra_headers.push((header, value));
        }
        Ok(PerCall {
            trace_header: trace.header_value(),
            trace,
            idempotency,
            lang,
            company_id,
            credential,
            retry: options.retry.unwrap_or(config.retry),
            attempt_timeout: options.attempt_timeout,
            extra_headers,
            metadata: options.metadata,
        })
    }

    async fn attempts(
        &self,
        op: &Operation<'_>,
        args: &Args<'_>,
        call: &PerCall,
        body: Bytes,
        read: &mut Read<'_>,
        deadline: Option<tokio::time::Instant>,
    ) -> Result<Answered, Error> {
        let mut prepared = self.prepare(op, args, call, body)?;
        // A multipart body is written once, and sent as it is on every attempt.
        if op.encoding == Encoding::Multipart
            && let Some(json) = prepared.body.take()
        {
            // Boxed: a rare path's state would otherwise be part of every call's.
            let (content_type, body) = Box::pin(crate::upload::multipart(&json)).await?;
            let content_type = HeaderValue::try_from(content_type)
                .map_err(|_| Error::new(ErrorKind::InvalidInput("multipart boundary".into())))?;
            prepared.body = Some(body);
            prepared.content_type = Some(content_type);
        }
        let span = tracing::Span::current();
        let mut attempt = 0u32;
        loop {
            attempt += 1;
            // An Open API key's limiter counts every attempt, as the platform does. Boxed: a
            // rare path's state would otherwise be part of every call's.
            if let Resolved::Signed(key) = &call.credential
                && let Some(limiter) = key.key.limiter()
            {
                Box::pin(limiter.until_ready()).await;
            }
            // Made and sent in one expression: a request kept in a local would take its room
            // in this future's state for the whole call.
            let sent = self.http().execute(prepared.request(self, op, args, call)?);
            // The clock is read only for an attempt's debug event.
            let started = tracing::enabled!(tracing::Level::DEBUG).then(Instant::now);
            let Attempt { status, result } = self.attempt(op, call, sent, read).await;
            let duration_ms = started.map(|started| started.elapsed().as_secs_f64() * 1e3);
            span.record("attempts", attempt);
            if let Some(status) = status {
                span.record("status", status.as_u16());
            }
            let error = match result {
                Ok(success) => {
                    tracing::debug!(
                        attempt,
                        status = success.status.as_u16(),
                        duration_ms,
                        "attempt succeeded"
                    );
                    return Ok(Answered {
                        status: success.status,
                        headers: success.headers,
                        trace: call.metadata.then(|| call.trace.clone()),
                        envelope_trace: success.envelope_trace,
                        attempts: attempt,
                    });
                }
                Err(error) => error,
            };
            tracing::debug!(attempt, status = status.map(|s| s.as_u16()), duration_ms, error = %error.kind(), "attempt failed");
            let safe = op.may_retry(&error);
            let Some(delay) = call
                .retry
                .delay(attempt, error.retry_after())
                .filter(|_| safe)
            else {
                return Err(error);
            };
            // A wait that would outlast the call's deadline ends the call with what it has.
            if deadline.is_some_and(|deadline| tokio::time::Instant::now() + delay >= deadline) {
                return Err(error);
            }
            tracing::debug!(?delay, "retrying");
            tokio::time::sleep(delay).await;
        }
    }

    /// What every attempt of a call sends.
    fn prepare(
        &self,
        op: &Operation<'_>,
        args: &Args<'_>,
        call: &PerCall,
        body: Bytes,
    ) -> Result<Prepared, Error> {
        let signed = match call.credential {
            Resolved::Signed(_) => Some(crate::open_api_sign::fields(&body).map_err(|e| {
                Error::new(ErrorKind::InvalidInput(format!(
                    "the request body cannot be signed: {e}"
                )))
            })?),
            _ => None,
        };
        let request = match op.encoding {
            Encoding::Traced => traced(&call.trace, &body),
            _ => body,
        };
        let url = self.url_of(op, args, call, &request)?;
        Ok(Prepared {
            url,
            signed,
            body: op.has_body().then_some(request),
            content_type: None,
        })
    }

    /// One attempt: await the request `sent`, read the body within the limit, decode it.
    ///
    /// It takes the request's future rather than the request, which would be held (and take
    /// its room) until the attempt ends.
    async fn attempt(
        &self,
        op: &Operation<'_>,
        call: &PerCall,
        sent: impl Future<Output = Result<reqwest::Response, reqwest::Error>>,
        read: &mut Read<'_>,
    ) -> Attempt {
        let mut response = match sent.await {
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
            match read_body(&mut response).await {
                Ok(body) => read(&body, op).map(|()| Success {
                    status,
                    headers: std::mem::take(response.headers_mut()),
                    envelope_trace: call.metadata.then(|| envelope_trace(&body)).flatten(),
                }),
                Err(e) => Err(e),
            }
        } else {
            let wait = retry_after(response.headers());
            let rate_limit = RateLimit::from_headers(response.headers());
            match read_excerpt(&mut response).await {
                Ok(body) => Err(Error::new(match status.as_u16() {
                    429 => ErrorKind::RateLimited { body },
                    418 => ErrorKind::KeyBanned { body },
                    status => ErrorKind::Status { status, body },
                })
                .with_retry_after(wait)
                .with_rate_limit(rate_limit)),
                Err(e) => Err(from_reqwest(e)),
            }
        };
        Attempt {
            status: Some(status),
            result,
        }
    }

    /// Every header of `op` that is the same on each attempt.
    fn headers(
        &self,
        op: &Operation<'_>,
        args: &Args<'_>,
        call: &PerCall,
    ) -> Result<HeaderMap, Error> {
        // Room for what the HTTP client adds (`Host`, `Content-Length`): a full map would grow,
        // copying every header, on each request.
        let mut headers = HeaderMap::with_capacity(op.headers.len() + call.extra_headers.len() + 5);
        headers.insert(ACCEPT, HeaderValue::from_static("application/json"));
        let config = self.config();
        headers.insert(USER_AGENT, copy(&config.user_agent));
        if op.encoding != Encoding::Multipart && op.has_body() {
            headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        }
        for header in op.headers {
            let value = match header.source {
                Source::Trace => Some(call.trace_header.clone()),
                Source::IdempotencyKey => call.idempotency.clone(),
                Source::CompanyId => {
                    Some(copy(call.company_id.as_ref().unwrap_or(&config.company_id)))
                }
                Source::Lang => Some(copy(call.lang.as_ref().unwrap_or(&config.lang_header))),
                Source::Version => Some(copy(&config.api_version)),
                Source::Credential => match &call.credential {
                    Resolved::Header(value) => Some(value.clone()),
                    _ => None,
                },
                Source::ApiKey => match &call.credential {
                    Resolved::Signed(key) => Some(key.api_key.clone()),
                    _ => return Err(ErrorKind::MissingCredential(op.credential).into()),
                },
                Source::RecvWindow => self.recv_window.as_ref().map(copy),
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
        for (name, value) in &call.extra_headers {
            headers.append(name.clone(), value.clone());
        }
        Ok(headers)
    }

    /// The headers that change with every attempt: the timestamp, and the signature over it.
    fn stamp(
        &self,
        op: &Operation<'_>,
        call: &PerCall,
        headers: &mut HeaderMap,
        signed: Option<&str>,
    ) -> Result<(), Error> {
        let now = unix_millis();
        for header in op.headers {
            match header.source {
                Source::Timestamp => {
                    headers.insert(header.header_name(), HeaderValue::from(now));
                }
                Source::Signature => {
                    let Resolved::Signed(key) = &call.credential else {
                        return Err(ErrorKind::MissingCredential(op.credential).into());
                    };
                    let fields = signed.unwrap_or("null");
                    let signature = HeaderValue::try_from(key.key.sign_fields(fields, now))
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
        call: &PerCall,
        request: &[u8],
    ) -> Result<reqwest::Url, Error> {
        let mut url = self.url(op.api, op.path).ok_or_else(|| {
            Error::new(ErrorKind::Config(format!(
                "the {} API has no URL in this configuration",
                op.api
            )))
        })?;
        let mut pairs = Vec::with_capacity(op.query.len());
        for param in op.query {
            let value = match param.source {
                Source::Request => Some(std::str::from_utf8(request).map_err(|_| {
                    Error::new(ErrorKind::InvalidInput("the request is not UTF-8".into()))
                })?),
                Source::Argument(index) => args.arguments.get(index).copied().flatten(),
                Source::Credential => match &call.credential {
                    Resolved::Query(token) => Some(token.expose_secret()),
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
}

/// A header value of the configuration (or of the call) for one request: a copy, not a
/// clone. A clone shares the value's buffer, whose count every request on every thread would
/// then change (one contended cache line per header); a copy of a few bytes costs less.
pub(crate) fn copy(value: &HeaderValue) -> HeaderValue {
    let mut copy = HeaderValue::from_bytes(value.as_bytes()).unwrap_or_else(|_| value.clone());
    copy.set_sensitive(value.is_sensitive());
    copy
}

/// A header argument of a call as a header value, kept out of `Debug` (an argument may be a
/// token); the error names the header, never the value.
fn argument(name: &str, value: &str) -> Result<HeaderValue, Error> {
    let mut value = HeaderValue::from_str(value).map_err(|_| {
        Error::from(ErrorKind::InvalidInput(format!(
            "the `{name}` header's value cannot be sent: it holds a control character or a \
             line break"
        )))
    })?;
    value.set_sensitive(true);
    Ok(value)
}

/// Fails, naming the field and the rule, when the JSON `body` of `op` breaks one of its
/// rules; reads the body only for an operation that has rules.
fn follows_rules(op: &Operation<'_>, body: &[u8]) -> Result<(), Error> {
    if op.rules.is_empty() {
        return Ok(());
    }
    // A body that is not JSON (none is, from a generated call) has nothing a rule can read.
    let Ok(json) = serde_json::from_slice::<serde_json::Value>(body) else {
        return Ok(());
    };
    match crate::rules::first_broken(op.rules, &json) {
        None => Ok(()),
        Some(broken) => Err(Error::new(ErrorKind::BrokenRule(broken)).with_operation(op.id)),
    }
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

/// The envelope's own `trace`, read only for a caller who asked for the metadata.
fn envelope_trace(body: &[u8]) -> Option<String> {
    #[derive(serde::Deserialize)]
    struct Traced {
        trace: Option<String>,
    }
    serde_json::from_slice::<Traced>(body).ok()?.trace
}

/// Milliseconds since the Unix epoch, as the `timestamp` header wants.
fn unix_millis() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
}

/// A 2xx body, read whole unless it is larger than [`MAX_RESPONSE_BYTES`].
///
/// Read chunk by chunk rather than by `Response::bytes`, whose future is several times the
/// size of this one: it is part of every call's allocation. A body of one chunk (most) is
/// kept as it came, without a copy.
async fn read_body(response: &mut reqwest::Response) -> Result<Bytes, Error> {
    let too_large = || {
        Error::new(ErrorKind::TooLarge {
            limit: MAX_RESPONSE_BYTES,
        })
    };
    let declared = response.content_length();
    // Dropping the response closes the connection without reading the body.
    if declared.is_some_and(|length| length > MAX_RESPONSE_BYTES as u64) {
        return Err(too_large());
    }
    let Some(first) = response.chunk().await.map_err(from_reqwest)? else {
        return Ok(Bytes::new());
    };
    let Some(second) = response.chunk().await.map_err(from_reqwest)? else {
        return if first.len() > MAX_RESPONSE_BYTES {
            Err(too_large())
        } else {
            Ok(first)
        };
    };
    // hyper reads no more than a declared length.
    let room = declared.map_or(first.len() + second.len(), |length| {
        usize::try_from(length).unwrap_or(MAX_RESPONSE_BYTES)
    });
    let mut body = Vec::with_capacity(room.min(MAX_RESPONSE_BYTES));
    let push = |body: &mut Vec<u8>, chunk: &[u8]| {
        if body.len() + chunk.len() > MAX_RESPONSE_BYTES {
            return Err(too_large());
        }
        body.extend_from_slice(chunk);
        Ok(())
    };
    push(&mut body, &first)?;
    push(&mut body, &second)?;
    while let Some(chunk) = response.chunk().await.map_err(from_reqwest)? {
        push(&mut body, &chunk)?;
    }
    Ok(Bytes::from(body))
}

/// The wait a `Retry-After` header asks for: delay-seconds or an HTTP date.
fn retry_after(headers: &HeaderMap) -> Option<Duration> {
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
async fn read_excerpt(response: &mut reqwest::Response) -> Result<String, reqwest::Error> {
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

    #[test]
    fn retry_after_reads_seconds_and_http_dates() {
        let header = |value: &str| {
            let mut headers = HeaderMap::new();
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
        assert_eq!(retry_after(&HeaderMap::new()), None);
    }

    #[test]
    fn the_envelope_trace_is_read_when_there_is_one() {
        assert_eq!(
            envelope_trace(br#"{"trace":"t1","ok":true}"#).as_deref(),
            Some("t1")
        );
        assert_eq!(envelope_trace(br#"{"ok":true}"#), None);
        assert_eq!(envelope_trace(b"not json"), None);
    }
}
