//! What every generated operation does to its request before sending it, and to its response
//! before reading it.

use std::fmt;

use futures::TryStreamExt;
use reqwest::ResponseBuilderExt;

/// The most bytes a response body may have. No documented response comes near it; a body past
/// it (a misbehaving gateway, a hostile server) fails with [`ResponseTooLarge`] instead of
/// filling memory.
pub const MAX_RESPONSE_BYTES: usize = 16 * 1024 * 1024;

/// The error a response body fails with when it is larger than [`MAX_RESPONSE_BYTES`]: found
/// in the source chain of the `reqwest::Error` that reading the body returns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ResponseTooLarge {
    /// The limit that was exceeded, in bytes.
    pub limit: usize,
}

impl fmt::Display for ResponseTooLarge {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the response body is larger than {} bytes", self.limit)
    }
}

impl std::error::Error for ResponseTooLarge {}

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// `response` with a body that fails with [`ResponseTooLarge`] once more than `limit` bytes
/// arrive. A success whose `Content-Length` already says so fails at once, without reading.
pub(crate) fn limit_body(response: reqwest::Response, limit: usize) -> reqwest::Response {
    // A declared length within the limit needs no counting: hyper reads no more than it
    // declares. Leaving such a response untouched saves a rebuild on nearly every call.
    if response
        .content_length()
        .is_some_and(|length| length <= limit as u64)
    {
        return response;
    }
    let declared_too_large = response.status().is_success()
        && response
            .content_length()
            .is_some_and(|length| length > limit as u64);
    let mut head = http::Response::builder()
        .status(response.status())
        .version(response.version())
        .url(response.url().clone());
    if let Some(headers) = head.headers_mut() {
        *headers = response.headers().clone();
    }
    let too_large = move || -> BoxError { Box::new(ResponseTooLarge { limit }) };
    let body = if declared_too_large {
        // Dropping `response` closes the connection without reading the body.
        reqwest::Body::wrap_stream(futures::stream::once(async move {
            Err::<bytes::Bytes, _>(too_large())
        }))
    } else {
        let mut received = 0usize;
        reqwest::Body::wrap_stream(response.bytes_stream().map_err(BoxError::from).and_then(
            move |chunk| {
                received = received.saturating_add(chunk.len());
                let checked = if received > limit {
                    Err(too_large())
                } else {
                    Ok(chunk)
                };
                futures::future::ready(checked)
            },
        ))
    };
    match head.body(body) {
        Ok(limited) => limited.into(),
        // Unreachable: status, version and headers come from a valid response.
        Err(e) => unreachable!("a response rebuilt from a valid one is valid: {e}"),
    }
}

/// Implements progenitor's `ClientHooks` for the generated clients.
///
/// progenitor adds the spec's `info.version` to every request as an `api-version` header; it
/// is not part of the MultiMarkets protocol, so it is removed before the request is sent.
/// Every response body is bounded by [`MAX_RESPONSE_BYTES`].
macro_rules! client_hooks {
    ($($api:ident),+) => {$(
        impl progenitor_client::ClientHooks for crate::$api::Client {
            async fn pre<E>(
                &self,
                request: &mut reqwest::Request,
                _info: &progenitor_client::OperationInfo,
            ) -> Result<(), progenitor_client::Error<E>> {
                request.headers_mut().remove("api-version");
                Ok(())
            }

            async fn exec(
                &self,
                request: reqwest::Request,
                _info: &progenitor_client::OperationInfo,
            ) -> reqwest::Result<reqwest::Response> {
                let response = progenitor_client::ClientInfo::client(self).execute(request).await?;
                Ok(limit_body(response, MAX_RESPONSE_BYTES))
            }
        }
    )+};
}

client_hooks!(client, manager, auth2);

#[cfg(test)]
mod tests {
    use super::*;

    fn response(status: u16, body: Vec<u8>, content_length: bool) -> reqwest::Response {
        let mut builder = http::Response::builder().status(status);
        if content_length {
            builder = builder.header("content-length", body.len());
        }
        builder.body(body).unwrap().into()
    }

    fn too_large(error: &reqwest::Error) -> Option<ResponseTooLarge> {
        let mut source = std::error::Error::source(error);
        while let Some(e) = source {
            if let Some(found) = e.downcast_ref::<ResponseTooLarge>() {
                return Some(*found);
            }
            source = e.source();
        }
        None
    }

    #[tokio::test]
    async fn a_body_within_the_limit_passes_unchanged() {
        let limited = limit_body(response(200, b"0123456789".to_vec(), true), 10);
        assert_eq!(limited.headers()["content-length"], "10");
        assert_eq!(&limited.bytes().await.unwrap()[..], b"0123456789");
    }

    #[tokio::test]
    async fn a_body_past_the_limit_fails() {
        let limited = limit_body(response(200, vec![b'x'; 11], false), 10);
        let error = limited.bytes().await.unwrap_err();
        assert_eq!(too_large(&error), Some(ResponseTooLarge { limit: 10 }));
    }

    #[tokio::test]
    async fn a_success_declaring_too_much_fails_without_reading() {
        let limited = limit_body(response(200, vec![b'x'; 11], true), 10);
        let error = limited.bytes().await.unwrap_err();
        assert_eq!(too_large(&error), Some(ResponseTooLarge { limit: 10 }));
    }

    #[tokio::test]
    async fn a_failure_is_read_as_far_as_the_limit() {
        // Only an excerpt of a failure's body is read, so its declared length is no error.
        let chunks = [&b"01234"[..], &b"567890"[..]].map(|c| Ok::<_, BoxError>(c.to_vec()));
        let body = reqwest::Body::wrap_stream(futures::stream::iter(chunks));
        let declared = http::Response::builder()
            .status(502)
            .header("content-length", 11)
            .body(body)
            .unwrap();
        let mut limited = limit_body(declared.into(), 10);
        assert_eq!(limited.status(), 502);
        assert_eq!(&limited.chunk().await.unwrap().unwrap()[..], b"01234");
        let error = limited.chunk().await.unwrap_err();
        assert_eq!(too_large(&error), Some(ResponseTooLarge { limit: 10 }));
    }
}
