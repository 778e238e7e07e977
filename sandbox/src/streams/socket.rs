//! The WebSocket handshake, done by hand so the sandbox keeps the raw socket, and the socket
//! every stream reads and writes through, which suffers the faults tests inject.

use std::future::{Future, pending};
use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::extract::Request;
use axum::http::header::{
    CONNECTION, HeaderValue, SEC_WEBSOCKET_ACCEPT, SEC_WEBSOCKET_KEY, SEC_WEBSOCKET_VERSION,
    UPGRADE,
};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use futures::{FutureExt, SinkExt, StreamExt};
use hyper::upgrade::{OnUpgrade, Upgraded};
use hyper_util::rt::TokioIo;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::sync::watch;
use tokio_tungstenite::WebSocketStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::handshake::derive_accept_key;
use tokio_tungstenite::tungstenite::protocol::frame::CloseFrame;
use tokio_tungstenite::tungstenite::protocol::{Role, WebSocketConfig};

use super::Registration;
use crate::context::Shared;
use crate::hub::{Stream, StreamFault};

/// The largest frame or message a client may send: requests are small.
const MAX_INCOMING: usize = 1 << 20;
/// The longest reason a close frame holds (125 bytes of payload, 2 of them the code).
const MAX_CLOSE_REASON: usize = 123;
/// How long a closing connection waits for the client's close frame before dropping the
/// socket (so the client reads the close frame rather than a reset).
const CLOSE_GRACE: Duration = Duration::from_secs(1);

/// An accepted WebSocket handshake: the `101` to answer and the connection it upgrades to.
#[derive(Debug)]
pub(crate) struct Handshake {
    response: Response,
    on_upgrade: OnUpgrade,
}

/// A refused handshake: its HTTP status and why, as the body.
#[derive(Debug)]
pub(crate) struct Refusal(StatusCode, &'static str);

impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        refuse(self.0, self.1)
    }
}

/// Checks that `request` opens a WebSocket (RFC 6455 §4.2.1) and prepares the `101` answer;
/// a request that does not is answered `400`.
pub(crate) fn accept(request: &mut Request) -> Result<Handshake, Refusal> {
    let headers = request.headers();
    let key = headers.get(SEC_WEBSOCKET_KEY).map(HeaderValue::as_bytes);
    let is_websocket = has_token(headers, &CONNECTION, "upgrade")
        && has_token(headers, &UPGRADE, "websocket")
        && headers
            .get(SEC_WEBSOCKET_VERSION)
            .is_some_and(|v| v.as_bytes() == b"13");
    let (true, Some(key)) = (is_websocket, key) else {
        return Err(Refusal(
            StatusCode::BAD_REQUEST,
            "not a WebSocket handshake (RFC 6455, version 13)",
        ));
    };
    let accept = derive_accept_key(key);
    let Ok(accept) = HeaderValue::from_str(&accept) else {
        return Err(Refusal(StatusCode::BAD_REQUEST, "bad Sec-WebSocket-Key"));
    };
    let Some(on_upgrade) = request.extensions_mut().remove::<OnUpgrade>() else {
        return Err(Refusal(
            StatusCode::UPGRADE_REQUIRED,
            "this connection cannot be upgraded",
        ));
    };
    let mut response = Response::new(Body::empty());
    *response.status_mut() = StatusCode::SWITCHING_PROTOCOLS;
    let headers = response.headers_mut();
    headers.insert(CONNECTION, HeaderValue::from_static("upgrade"));
    headers.insert(UPGRADE, HeaderValue::from_static("websocket"));
    headers.insert(SEC_WEBSOCKET_ACCEPT, accept);
    Ok(Handshake {
        response,
        on_upgrade,
    })
}

/// An HTTP refusal of a handshake, with the reason as its body.
pub(crate) fn refuse(status: StatusCode, why: &'static str) -> Response {
    (status, why).into_response()
}

/// Whether a comma-separated header lists `token` (case-insensitively).
fn has_token(headers: &HeaderMap, name: &axum::http::HeaderName, token: &str) -> bool {
    headers
        .get_all(name)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|t| t.trim().eq_ignore_ascii_case(token))
}

impl Handshake {
    /// Answers `101` and serves the upgraded connection in its own task, which ends when
    /// `serve` returns or the sandbox is dropped.
    pub(crate) fn spawn<F, Fut>(self, registration: Registration, serve: F) -> Response
    where
        F: FnOnce(Socket) -> Fut + Send + 'static,
        Fut: Future<Output = ()> + Send + 'static,
    {
        let Self {
            response,
            on_upgrade,
        } = self;
        tokio::spawn(async move {
            let mut shutdown = registration.shared.streams.shutdown_signal();
            let upgraded = tokio::select! {
                biased;
                () = stopped(&mut shutdown) => return,
                upgraded = on_upgrade => match upgraded {
                    Ok(upgraded) => upgraded,
                    Err(_) => return,
                },
            };
            let config = WebSocketConfig::default()
                .max_message_size(Some(MAX_INCOMING))
                .max_frame_size(Some(MAX_INCOMING));
            let ws = WebSocketStream::from_raw_socket(
                TokioIo::new(upgraded),
                Role::Server,
                Some(config),
            )
            .await;
            let socket = Socket {
                ws,
                registration,
                shutdown,
                kick: None,
                peer_closed: false,
            };
            serve(socket).await;
        });
        response
    }
}

/// What a connection received.
#[derive(Debug)]
pub(crate) enum Incoming {
    /// A text or binary frame's payload: a request.
    Frame(Vec<u8>),
    /// A WebSocket ping (answered by the WebSocket layer): the client is alive.
    Ping,
    /// The client closed the connection, it broke, or the sandbox is stopping.
    Gone,
    /// The kick signal of [`Socket::set_kick`] turned `true`: another connection takes the
    /// place of this one.
    Kicked,
}

/// The connection is over (closed, broken, cut by a fault, or the sandbox is stopping).
#[derive(Debug)]
pub(crate) struct Gone;

/// An upgraded connection: everything a stream sends goes through [`Socket::send`], where
/// injected faults strike.
pub(crate) struct Socket {
    ws: WebSocketStream<TokioIo<Upgraded>>,
    registration: Registration,
    shutdown: watch::Receiver<bool>,
    kick: Option<watch::Receiver<bool>>,
    /// The client sent a close frame.
    peer_closed: bool,
}

impl std::fmt::Debug for Socket {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Socket")
            .field("stream", &self.registration.stream)
            .field("id", &self.registration.id)
            .finish_non_exhaustive()
    }
}

/// Resolves once the sandbox is stopping.
async fn stopped(shutdown: &mut watch::Receiver<bool>) {
    // An error means the sender is gone, which also means stopping.
    let _ = shutdown.wait_for(|stop| *stop).await;
}

/// Resolves once the connection is told to give way to another (never without a signal).
async fn kicked(kick: &mut Option<watch::Receiver<bool>>) {
    if let Some(kick) = kick
        && kick.wait_for(|k| *k).await.is_ok()
    {
        return;
    }
    pending().await
}

impl Socket {
    /// What every handler shares.
    pub(crate) fn shared(&self) -> &Arc<Shared> {
        &self.registration.shared
    }

    /// Lets `kick` end the connection: [`Socket::recv`] answers [`Incoming::Kicked`], and a
    /// stalled connection gives up, once it turns `true`.
    pub(crate) fn set_kick(&mut self, kick: watch::Receiver<bool>) {
        self.kick = Some(kick);
    }

    /// Whether the kick signal is `true` already.
    pub(crate) fn is_kicked(&self) -> bool {
        self.kick.as_ref().is_some_and(|kick| *kick.borrow())
    }

    /// Resolves once the sandbox is stopping ([`Incoming::Gone`]) or the connection is
    /// kicked ([`Incoming::Kicked`]).
    pub(crate) async fn interrupted(&mut self) -> Incoming {
        tokio::select! {
            biased;
            () = stopped(&mut self.shutdown) => Incoming::Gone,
            () = kicked(&mut self.kick) => Incoming::Kicked,
        }
    }

    /// The next frame from the client, or why there will be none. Cancel-safe.
    pub(crate) async fn recv(&mut self) -> Incoming {
        loop {
            if self.peer_closed {
                // The WebSocket layer queued the close reply: send it before leaving.
                let _ = tokio::time::timeout(CLOSE_GRACE, self.ws.flush()).await;
                return Incoming::Gone;
            }
            let message = tokio::select! {
                biased;
                () = stopped(&mut self.shutdown) => return Incoming::Gone,
                () = kicked(&mut self.kick) => return Incoming::Kicked,
                message = self.ws.next() => message,
            };
            match message {
                Some(Ok(Message::Text(text))) => {
                    self.registration.record_request();
                    return Incoming::Frame(text.as_bytes().to_vec());
                }
                Some(Ok(Message::Binary(bytes))) => {
                    self.registration.record_request();
                    return Incoming::Frame(bytes.to_vec());
                }
                Some(Ok(Message::Ping(_))) => return Incoming::Ping,
                Some(Ok(Message::Pong(_) | Message::Frame(_))) => {}
                Some(Ok(Message::Close(_))) => self.peer_closed = true,
                Some(Err(_)) | None => return Incoming::Gone,
            }
        }
    }

    /// A frame the client already sent, if any, without waiting.
    pub(crate) fn try_recv(&mut self) -> Option<Incoming> {
        self.recv().now_or_never()
    }

    /// Sends one frame, unless an injected fault strikes it first.
    pub(crate) async fn send(&mut self, message: Message) -> Result<(), Gone> {
        match self.registration.take_fault() {
            None => {}
            Some(StreamFault::DropMidFrame) => {
                self.cut(&message).await;
                return Err(Gone);
            }
            Some(StreamFault::Stall) => {
                self.stall().await;
                return Err(Gone);
            }
            Some(StreamFault::DropAfterFrame) => {
                // The frame goes out whole, then the connection ends: the sender cannot know
                // whether it was read, so it counts as not delivered.
                let _ = self.write(message).await;
                let io = self.ws.get_mut();
                let _ = io.shutdown().await;
                return Err(Gone);
            }
            Some(StreamFault::MalformedFrame) => {
                let garbage = match self.registration.stream {
                    Stream::MarketData => "p(1,2",
                    Stream::OpenMessages | Stream::DataPush => "{\"eventType\":",
                };
                self.write(Message::text(garbage)).await?;
            }
        }
        self.write(message).await
    }

    async fn write(&mut self, message: Message) -> Result<(), Gone> {
        tokio::select! {
            biased;
            () = stopped(&mut self.shutdown) => Err(Gone),
            sent = self.ws.send(message) => sent.map_err(|_| Gone),
        }
    }

    /// Sends a close frame with `code` and `reason` (cut to the 123 bytes a close frame
    /// holds), then waits briefly for the client's.
    pub(crate) async fn close(mut self, code: u16, reason: &str) {
        let mut end = reason.len().min(MAX_CLOSE_REASON);
        while !reason.is_char_boundary(end) {
            end -= 1;
        }
        let reason = &reason[..end];
        let frame = CloseFrame {
            code: code.into(),
            reason: reason.into(),
        };
        if self.send(Message::Close(Some(frame))).await.is_err() {
            return;
        }
        let drain = async { while let Some(Ok(_)) = self.ws.next().await {} };
        let _ = tokio::time::timeout(CLOSE_GRACE, drain).await;
    }

    /// [`StreamFault::DropMidFrame`]: the first half of the frame's bytes, then the end of the
    /// TCP connection.
    async fn cut(&mut self, message: &Message) {
        // Whatever the WebSocket layer still holds (a queued pong) goes first, whole.
        let _ = self.ws.flush().await;
        let bytes = encode(message);
        let io = self.ws.get_mut();
        let _ = io.write_all(&bytes[..bytes.len() / 2]).await;
        let _ = io.flush().await;
        let _ = io.shutdown().await;
    }

    /// [`StreamFault::Stall`]: sends nothing and handles nothing until the client goes away
    /// (its bytes are read and dropped, so its leaving is seen), another connection takes the
    /// place of this one, or the sandbox stops.
    async fn stall(&mut self) {
        let mut sink = [0_u8; 4096];
        loop {
            tokio::select! {
                biased;
                () = stopped(&mut self.shutdown) => return,
                () = kicked(&mut self.kick) => return,
                read = self.ws.get_mut().read(&mut sink) => match read {
                    Ok(n) if n > 0 => {}
                    _ => return,
                },
            }
        }
    }
}

/// A message as one unmasked, final server frame: `[0x80 | opcode, len]` for len < 126,
/// `[.., 126, len_be16]` below 65536, `[.., 127, len_be64]` above; then the payload.
fn encode(message: &Message) -> Vec<u8> {
    let (opcode, payload): (u8, Vec<u8>) = match message {
        Message::Text(text) => (0x1, text.as_bytes().to_vec()),
        Message::Binary(bytes) => (0x2, bytes.to_vec()),
        Message::Ping(bytes) => (0x9, bytes.to_vec()),
        Message::Pong(bytes) => (0xA, bytes.to_vec()),
        Message::Close(frame) => {
            let payload = frame.as_ref().map_or_else(Vec::new, |frame| {
                let mut payload = u16::from(frame.code).to_be_bytes().to_vec();
                payload.extend_from_slice(frame.reason.as_bytes());
                payload
            });
            (0x8, payload)
        }
        Message::Frame(_) => (0x2, Vec::new()),
    };
    let mut bytes = vec![0x80 | opcode];
    let len = payload.len();
    match u16::try_from(len) {
        Ok(short) if short < 126 => bytes.push(short as u8),
        Ok(medium) => {
            bytes.push(126);
            bytes.extend_from_slice(&medium.to_be_bytes());
        }
        Err(_) => {
            bytes.push(127);
            bytes.extend_from_slice(&(len as u64).to_be_bytes());
        }
    }
    bytes.extend_from_slice(&payload);
    bytes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_are_encoded_as_rfc_6455_says() {
        assert_eq!(encode(&Message::text("hi")), [0x81, 2, b'h', b'i']);
        let medium = encode(&Message::text("x".repeat(300)));
        assert_eq!(medium[..4], [0x81, 126, 1, 44]);
        assert_eq!(medium.len(), 304);
        let long = encode(&Message::binary(vec![0; 70_000]));
        assert_eq!(long[..10], [0x82, 127, 0, 0, 0, 0, 0, 1, 0x11, 0x70]);
        assert_eq!(encode(&Message::Pong("pong".into()))[..2], [0x8A, 4]);
    }
}
