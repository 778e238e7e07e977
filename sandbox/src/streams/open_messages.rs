//! The Open API message stream (`/openapi-c/openMsg/{appId}`): `ping`, `login`,
//! `subscribe_asset`, `cancel_subscribe_asset` and `logout` requests carrying a token of
//! `open_msg_token`, each answered `{msgCode, timestamp, trace, seqId, content:{code, msg}}`,
//! and the `trade` messages of [`Sandbox::emit_trade_message`](crate::Sandbox) for the
//! sessions subscribed to their trading mode.

use std::collections::BTreeSet;
use std::sync::Arc;

use axum::extract::{Path, Request, State};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};
use tokio::sync::broadcast::error::RecvError;
use tokio::time::{Instant, sleep_until};
use tokio_tungstenite::tungstenite::Message;

use super::Registration;
use super::socket::{self, Incoming, Socket};
use crate::context::Shared;
use crate::hub::Stream;
use crate::hub::outbox::Trade;

/// At most this many trading modes in one `tradeTypes`.
const MAX_TRADE_TYPES: usize = 16;

/// `GET /openapi-c/openMsg/{appId}`: any app id; the token is checked by `login`.
pub(crate) async fn handshake(
    State(shared): State<Arc<Shared>>,
    Path(_app_id): Path<String>,
    mut request: Request,
) -> Response {
    match socket::accept(&mut request) {
        Ok(handshake) => handshake.spawn(Registration::new(&shared, Stream::OpenMessages), serve),
        Err(refusal) => refusal.into_response(),
    }
}

/// One session: answers requests, forwards the trade messages it subscribed to, closes
/// after `logout` (1000) or [`Config::open_messages_heartbeat_timeout`] of silence (4000).
///
/// [`Config::open_messages_heartbeat_timeout`]: crate::Config::open_messages_heartbeat_timeout
async fn serve(mut socket: Socket) {
    let shared = socket.shared().clone();
    let timeout = shared.config.open_messages_heartbeat_timeout;
    let mut trades = shared.streams.messages.subscribe();
    let mut session = Session::default();
    let mut heard = Instant::now();
    loop {
        let outgoing = tokio::select! {
            biased;
            incoming = socket.recv() => match incoming {
                Incoming::Frame(request) => {
                    heard = Instant::now();
                    let (reply, logout) = session.answer(&shared, &request);
                    if socket.send(Message::text(reply.to_string())).await.is_err() {
                        return;
                    }
                    if logout {
                        socket.close(1000, "logout").await;
                        return;
                    }
                    continue;
                }
                Incoming::Ping => {
                    heard = Instant::now();
                    continue;
                }
                Incoming::Gone | Incoming::Kicked => return,
            },
            trade = trades.recv() => match trade {
                Ok(trade) if session.wants(&trade) => trade.frame.clone(),
                Ok(_) | Err(RecvError::Lagged(_)) => continue,
                Err(RecvError::Closed) => return,
            },
            () = sleep_until(heard + timeout) => {
                socket.close(4000, "heartbeat timeout").await;
                return;
            }
        };
        if socket.send(Message::text(outgoing)).await.is_err() {
            return;
        }
    }
}

/// What a session has done: logged in, subscribed to some trading modes.
#[derive(Debug, Default)]
struct Session {
    logged_in: bool,
    trade_types: BTreeSet<i64>,
}

/// The `content` of an answer.
fn content(code: &str, msg: &str) -> Value {
    json!({ "code": code, "msg": msg })
}

impl Session {
    fn wants(&self, trade: &Trade) -> bool {
        self.logged_in
            && match trade.trade_type {
                Some(trade_type) => self.trade_types.contains(&trade_type),
                None => !self.trade_types.is_empty(),
            }
    }

    /// The answer to one request, and whether it was an accepted `logout`.
    fn answer(&mut self, shared: &Shared, frame: &[u8]) -> (Value, bool) {
        let now = shared.now_ms();
        let request = match serde_json::from_slice::<Value>(frame) {
            Ok(request @ Value::Object(_)) => request,
            _ => {
                let content = content("400", "bad request: not a JSON object");
                return (reply("error", now, &Value::Null, content), false);
            }
        };
        let head = request.get("head");
        let Some(msg_type) = head.and_then(|h| h.get("msgType")).and_then(Value::as_str) else {
            let content = content("400", "bad request: `head.msgType` is missing");
            return (reply("error", now, &request, content), false);
        };
        let token = head
            .and_then(|h| h.get("token"))
            .and_then(Value::as_str)
            .unwrap_or_default();
        let token_valid = shared.read(|state| state.msg_token_valid(token, now));
        let mut logout = false;
        let outcome = match msg_type {
            _ if !token_valid => Err(("401", "token invalid".to_owned())),
            "login" => {
                self.logged_in = true;
                Ok(())
            }
            _ if !self.logged_in => Err(("401", "token invalid".to_owned())),
            "ping" => Ok(()),
            "subscribe_asset" => trade_types(&request, true).map(|types| {
                self.trade_types.extend(types);
            }),
            "cancel_subscribe_asset" => trade_types(&request, false).map(|types| {
                if types.is_empty() {
                    self.trade_types.clear();
                }
                for trade_type in types {
                    self.trade_types.remove(&trade_type);
                }
            }),
            "logout" => {
                self.logged_in = false;
                self.trade_types.clear();
                logout = true;
                Ok(())
            }
            other => Err(("400", format!("bad request: unknown msgType `{other}`"))),
        };
        let content = match outcome {
            Ok(()) => content("0", "success"),
            Err((code, msg)) => content(code, &msg),
        };
        let msg_code = if msg_type == "ping" { "pong" } else { msg_type };
        (reply(msg_code, now, &request, content), logout)
    }
}

/// `{msgCode, timestamp, trace, seqId, content}`, `trace` and `seqId` echoed from `request`.
fn reply(msg_code: &str, now: i64, request: &Value, content: Value) -> Value {
    json!({
        "msgCode": msg_code, "timestamp": now,
        "trace": request.get("trace").cloned().unwrap_or(Value::Null),
        "seqId": request.get("seqId").cloned().unwrap_or(Value::Null),
        "content": content,
    })
}

/// The trading modes of `data.tradeTypes` (`"1,2"`; a number is accepted too). Required
/// when `required`; absent otherwise means none.
fn trade_types(request: &Value, required: bool) -> Result<Vec<i64>, (&'static str, String)> {
    let bad = |why: &str| ("400", format!("bad request: {why}"));
    let listed = match request.get("data").and_then(|d| d.get("tradeTypes")) {
        Some(Value::String(list)) => list.clone(),
        Some(Value::Number(n)) => n.to_string(),
        None | Some(Value::Null) if !required => return Ok(Vec::new()),
        _ => return Err(bad("`data.tradeTypes` must list trading modes, as \"1,2\"")),
    };
    let types = listed
        .split(',')
        .map(|t| t.trim().parse::<i64>())
        .collect::<Result<Vec<_>, _>>()
        .map_err(|_| bad("`data.tradeTypes` must be numbers separated by commas"))?;
    if types.len() > MAX_TRADE_TYPES {
        return Err(bad("too many trading modes in `data.tradeTypes`"));
    }
    Ok(types)
}
