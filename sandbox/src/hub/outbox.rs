//! The Open API messages' outbox: where the `trade` messages of
//! [`Sandbox::emit_trade_message`](crate::Sandbox::emit_trade_message) wait for every session
//! to pick them up.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use serde_json::{Value, json};
use tokio::sync::broadcast;

/// How many trade messages a slow session may fall behind before it misses some.
const OUTBOX_CAPACITY: usize = 1024;

/// A `trade` message on its way to the sessions.
#[derive(Debug)]
pub(crate) struct Trade {
    /// The content's `tradeType`, if it has one.
    pub(crate) trade_type: Option<i64>,
    pub(crate) frame: String,
}

/// The trade messages sent, for every session to pick up.
#[derive(Debug)]
pub(crate) struct Outbox {
    sender: broadcast::Sender<Arc<Trade>>,
    seq: AtomicU64,
}

impl Default for Outbox {
    fn default() -> Self {
        Self {
            sender: broadcast::channel(OUTBOX_CAPACITY).0,
            seq: AtomicU64::new(1),
        }
    }
}

impl Outbox {
    /// Sends `{msgCode:"trade", timestamp, trace, seqId, content}` to the sessions subscribed
    /// to the content's `tradeType`.
    pub(crate) fn send(&self, now_ms: i64, content: Value) {
        let trade_type = content.get("tradeType").and_then(|t| match t {
            Value::String(s) => s.trim().parse().ok(),
            other => other.as_i64(),
        });
        let seq = self.seq.fetch_add(1, Ordering::Relaxed);
        let frame = json!({
            "msgCode": "trade", "timestamp": now_ms,
            "trace": format!("x-{now_ms}-{seq}"), "seqId": seq, "content": content,
        })
        .to_string();
        // No session listening is not an error: the message is simply not delivered.
        let _ = self.sender.send(Arc::new(Trade { trade_type, frame }));
    }

    /// The trade messages sent from now on.
    pub(crate) fn subscribe(&self) -> broadcast::Receiver<Arc<Trade>> {
        self.sender.subscribe()
    }
}
