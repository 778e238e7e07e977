//! The Manager's Data Push stream (`/openapi-b/ws`, headers `token` and `group`): the
//! events of the log, in order, to one connection per group; a `ping` text answered by a
//! WebSocket pong.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use tokio::time::{Instant, sleep_until};
use tokio_tungstenite::tungstenite::Message;

use super::Registration;
use super::socket::{self, Incoming, Socket};
use crate::context::Shared;
use crate::hub::Stream;
use crate::hub::event_log::Membership;

/// `GET /openapi-b/ws`: `token` must be the Manager token; `group` names the group whose
/// place in the log the connection takes over.
pub(crate) async fn handshake(State(shared): State<Arc<Shared>>, mut request: Request) -> Response {
    let header = |name: &str| {
        request
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    if header("token").as_deref() != Some(shared.config.manager_token.as_str()) {
        return socket::refuse(
            StatusCode::UNAUTHORIZED,
            "the `token` header must carry the Manager token",
        );
    }
    let group = header("group").filter(|g| !g.is_empty());
    let handshake = match socket::accept(&mut request) {
        Ok(handshake) => handshake,
        Err(refusal) => return refusal.into_response(),
    };
    let registration = Registration::new(&shared, Stream::DataPush);
    let membership = shared.streams.log.join(group);
    handshake.spawn(registration, move |socket| serve(socket, membership))
}

/// Why a connection ended.
enum End {
    /// Another connection took its group: close 4001.
    TakenOver,
    /// Silent for too long: close 4000.
    Silent,
    /// Closed, broken or stopping: nothing more to send.
    Gone,
}

/// One connection: waits for its group's cursor, then delivers every event from it in log
/// order, moving the cursor past an event only once its frame was sent.
async fn serve(mut socket: Socket, membership: Membership) {
    let shared = socket.shared().clone();
    socket.set_kick(membership.kicked.clone());
    let end = deliver(&mut socket, &shared, &membership).await;
    shared.streams.log.leave(&membership);
    match end {
        End::TakenOver => {
            let reason = format!("group {} taken over by another connection", membership.name);
            socket
                .close(mm_sdk_api_streams::protocol::data_push::TAKEN_OVER, &reason)
                .await;
        }
        End::Silent => socket.close(4000, "heartbeat timeout").await,
        End::Gone => {}
    }
}

async fn deliver(socket: &mut Socket, shared: &Shared, membership: &Membership) -> End {
    let log = &shared.streams.log;
    let timeout = shared.config.data_push_heartbeat_timeout;
    let mut appended = log.subscribe();
    // The previous connection of the group, if any, is told to give way: wait for it.
    let mut cursor = tokio::select! {
        biased;
        interrupted = socket.interrupted() => return match interrupted {
            Incoming::Kicked => End::TakenOver,
            _ => End::Gone,
        },
        cursor = membership.cursor.clone().lock_owned() => cursor,
    };
    let mut heard = Instant::now();
    loop {
        if socket.is_kicked() {
            return End::TakenOver;
        }
        appended.borrow_and_update();
        if let Some(event) = log.next(*cursor, shared.now_ms()) {
            // What the client sent before the event was appended comes first: a client that
            // closed or went away is owed nothing more. The yield lets the runtime see what
            // arrived on the socket.
            tokio::task::yield_now().await;
            if let Some(incoming) = socket.try_recv() {
                match answer(socket, incoming, &mut heard).await {
                    Some(end) => return end,
                    None => continue,
                }
            }
            *cursor = event.index;
            if socket.send(Message::text(event.frame)).await.is_err() {
                return End::Gone;
            }
            *cursor = event.index + 1;
            continue;
        }
        tokio::select! {
            biased;
            incoming = socket.recv() => if let Some(end) = answer(socket, incoming, &mut heard).await {
                return end;
            },
            changed = appended.changed() => if changed.is_err() {
                return End::Gone;
            },
            () = sleep_until(heard + timeout) => return End::Silent,
        }
    }
}

/// Handles what the client sent: a `ping` text is answered with a pong; anything shows it is
/// alive. `Some` when the connection ends.
async fn answer(socket: &mut Socket, incoming: Incoming, heard: &mut Instant) -> Option<End> {
    match incoming {
        Incoming::Frame(text) => {
            *heard = Instant::now();
            let pong = Message::Pong("pong".into());
            if text.trim_ascii() == b"ping" && socket.send(pong).await.is_err() {
                return Some(End::Gone);
            }
            None
        }
        Incoming::Ping => {
            *heard = Instant::now();
            None
        }
        Incoming::Kicked => Some(End::TakenOver),
        Incoming::Gone => Some(End::Gone),
    }
}
