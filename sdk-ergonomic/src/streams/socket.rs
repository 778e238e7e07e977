//! Opening a WebSocket: the URL from the configured endpoints, the configuration's TLS (the
//! one the HTTP calls use) and `User-Agent`, the handshake bounded in time.

use std::time::Duration;

use mm_sdk_core::Config;
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::http::header::USER_AGENT;
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

/// Connects with `config`'s TLS, sending its `User-Agent`, and completes the handshake
/// within `timeout`.
pub(crate) async fn connect(
    mut request: Request<()>,
    config: &Config,
    timeout: Duration,
) -> Result<Socket, StreamError> {
    request
        .headers_mut()
        .insert(USER_AGENT, config.user_agent().clone());
    let frames = WebSocketConfig::default()
        .max_message_size(Some(MAX_FRAME))
        .max_frame_size(Some(MAX_FRAME));
    let connecting = tokio_tungstenite::connect_async_tls_with_config(
        request,
        Some(frames),
        true,
        Some(Connector::Rustls(config.tls())),
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
