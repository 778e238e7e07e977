//! Opening a WebSocket: the URL from the configured endpoints, TLS as on the HTTP side
//! (rustls with the platform's certificate verifier), the handshake bounded in time.

use std::sync::{Arc, OnceLock};
use std::time::Duration;

use rustls_platform_verifier::BuilderVerifierExt;
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::http::{HeaderName, HeaderValue, Request};
use tokio_tungstenite::tungstenite::{self, protocol::WebSocketConfig};
use tokio_tungstenite::{Connector, MaybeTlsStream, WebSocketStream};
use url::Url;

use super::StreamError;

/// An open WebSocket.
pub(crate) type Socket = WebSocketStream<MaybeTlsStream<TcpStream>>;

/// Largest frame accepted: a K-line reply of 1,000 bars is about 200 kB; anything far larger
/// is not a frame of these APIs.
const MAX_FRAME: usize = 4 << 20;

/// The WebSocket URL of `path` on the host of `base` (`https` becomes `wss`, `http` `ws`).
pub(crate) fn ws_url(base: &Url, path: &str) -> Result<Url, StreamError> {
    let mut url = base.clone();
    let scheme = match base.scheme() {
        "https" => "wss",
        "http" => "ws",
        other => {
            return Err(StreamError::Config(format!(
                "endpoint `{base}` has scheme `{other}`; a stream needs http or https"
            )));
        }
    };
    url.set_scheme(scheme)
        .map_err(|()| StreamError::Config(format!("cannot use `{base}` for a WebSocket")))?;
    url.set_path(path);
    url.set_query(None);
    Ok(url)
}

/// A handshake request for `url` with extra `headers`.
pub(crate) fn request(
    url: &Url,
    headers: &[(&'static str, &str)],
) -> Result<Request<()>, StreamError> {
    let mut request = url
        .as_str()
        .into_client_request()
        .map_err(|e| StreamError::Config(format!("not a WebSocket URL: {e}")))?;
    for (name, value) in headers {
        let value = HeaderValue::from_str(value).map_err(|_| {
            StreamError::Config(format!(
                "the `{name}` header value is not a valid HTTP header value"
            ))
        })?;
        request
            .headers_mut()
            .insert(HeaderName::from_static(name), value);
    }
    Ok(request)
}

/// Connects and completes the handshake within `timeout`.
pub(crate) async fn connect(
    request: Request<()>,
    timeout: Duration,
) -> Result<Socket, StreamError> {
    let config = WebSocketConfig::default()
        .max_message_size(Some(MAX_FRAME))
        .max_frame_size(Some(MAX_FRAME));
    let connector = Connector::Rustls(tls()?);
    let connecting = tokio_tungstenite::connect_async_tls_with_config(
        request,
        Some(config),
        true,
        Some(connector),
    );
    match tokio::time::timeout(timeout, connecting).await {
        Ok(Ok((socket, _response))) => Ok(socket),
        Ok(Err(tungstenite::Error::Http(response))) => Err(StreamError::Refused {
            status: response.status().as_u16(),
        }),
        Ok(Err(e)) => Err(StreamError::Connect(redact(&e))),
        Err(_) => Err(StreamError::Connect(format!(
            "no handshake within {} ms",
            timeout.as_millis()
        ))),
    }
}

/// A connection error's text, without the request's URL (whose query may hold a token).
fn redact(error: &tungstenite::Error) -> String {
    match error {
        tungstenite::Error::Url(_) => "the URL cannot be used for a WebSocket".to_owned(),
        other => other.to_string(),
    }
}

/// One TLS configuration for every stream: rustls (aws-lc-rs) with the platform's verifier,
/// as reqwest uses on the HTTP side.
fn tls() -> Result<Arc<rustls::ClientConfig>, StreamError> {
    static TLS: OnceLock<Result<Arc<rustls::ClientConfig>, String>> = OnceLock::new();
    TLS.get_or_init(|| {
        let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
        let config = rustls::ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .and_then(|builder| builder.with_platform_verifier())
            .map_err(|e| format!("cannot set up TLS: {e}"))?
            .with_no_client_auth();
        Ok(Arc::new(config))
    })
    .clone()
    .map_err(StreamError::Config)
}
