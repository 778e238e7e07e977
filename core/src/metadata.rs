//! What a successful call says besides its data, for callers who ask
//! ([`Call::with_metadata`](crate::Call::with_metadata)).

use std::time::Duration;

use http::{HeaderMap, StatusCode};

use crate::trace::TraceId;

/// The data of a successful call and what its answer said besides.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Response<T> {
    /// The answer's `data`, as the call returns it without metadata.
    pub data: T,
    /// The answer's status, headers and ids.
    pub metadata: Metadata,
}

impl<T> Response<T> {
    /// `data` with `metadata`: for tests of code that reads both.
    pub fn new(data: T, metadata: Metadata) -> Self {
        Self { data, metadata }
    }
}

/// The HTTP facts and ids of the answer a successful call got.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Metadata {
    status: StatusCode,
    headers: HeaderMap,
    trace: TraceId,
    envelope_trace: Option<String>,
    attempts: u32,
}

impl Metadata {
    /// The metadata of an answer with `status` and `headers` to the request sent under
    /// `trace`, on attempt `attempts`: for tests of code that reads it.
    pub fn new(status: StatusCode, headers: HeaderMap, trace: TraceId, attempts: u32) -> Self {
        Self {
            status,
            headers,
            trace,
            envelope_trace: None,
            attempts,
        }
    }

    /// The same metadata with the envelope's own `trace`.
    pub fn with_envelope_trace(mut self, trace: impl Into<String>) -> Self {
        self.envelope_trace = Some(trace.into());
        self
    }

    /// The HTTP status of the answer (a 2xx).
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// Every header of the answer.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The `trace` header the request was sent with (the caller's, or a random one).
    pub fn trace(&self) -> &TraceId {
        &self.trace
    }

    /// The trace id the server wrote in the envelope, where it wrote one.
    pub fn envelope_trace(&self) -> Option<&str> {
        self.envelope_trace.as_deref().filter(|t| !t.is_empty())
    }

    /// How many attempts the call took, the successful one included.
    pub fn attempts(&self) -> u32 {
        self.attempts
    }

    /// The rate limit the answer reported, when it carried any of its headers.
    pub fn rate_limit(&self) -> Option<RateLimit> {
        RateLimit::from_headers(&self.headers)
    }
}

/// The caller's allowance in the current rate-limit window, as the gateway reports it in
/// every answer's `x-ratelimit-*` headers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct RateLimit {
    /// Calls allowed per window (`x-ratelimit-limit`).
    pub limit: Option<u64>,
    /// Calls left in the current window (`x-ratelimit-remaining`).
    pub remaining: Option<u64>,
    /// The length of a window (`x-ratelimit-reset`, in seconds).
    pub window: Option<Duration>,
}

impl RateLimit {
    /// The rate limit `headers` report; `None` when they carry none of its headers.
    ///
    /// Upstream's docs spell the remaining count's header `x-ratelimit-remairing`; the
    /// correct spelling is read first and the documented one as well, so either works.
    pub fn from_headers(headers: &HeaderMap) -> Option<Self> {
        let number = |name: &str| {
            headers
                .get(name)
                .and_then(|value| value.to_str().ok())
                .and_then(|value| value.trim().parse::<u64>().ok())
        };
        let limit = number("x-ratelimit-limit");
        let remaining = number("x-ratelimit-remaining").or_else(|| number("x-ratelimit-remairing"));
        let window = number("x-ratelimit-reset").map(Duration::from_secs);
        (limit.is_some() || remaining.is_some() || window.is_some()).then_some(Self {
            limit,
            remaining,
            window,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(*name, http::HeaderValue::from_static(value));
        }
        map
    }

    #[test]
    fn rate_limits_are_read_from_either_spelling() {
        let documented = headers(&[
            ("x-ratelimit-limit", "300"),
            ("x-ratelimit-remairing", "299"),
            ("x-ratelimit-reset", "60"),
        ]);
        assert_eq!(
            RateLimit::from_headers(&documented),
            Some(RateLimit {
                limit: Some(300),
                remaining: Some(299),
                window: Some(Duration::from_secs(60)),
            })
        );
        let correct = headers(&[("x-ratelimit-remaining", "7")]);
        assert_eq!(
            RateLimit::from_headers(&correct).and_then(|r| r.remaining),
            Some(7)
        );
    }

    #[test]
    fn no_or_unreadable_headers_are_no_rate_limit() {
        assert_eq!(RateLimit::from_headers(&HeaderMap::new()), None);
        assert_eq!(
            RateLimit::from_headers(&headers(&[("x-ratelimit-limit", "many")])),
            None
        );
    }
}
