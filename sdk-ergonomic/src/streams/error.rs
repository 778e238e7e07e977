//! [`StreamError`]: why a stream, or one request on it, failed.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use super::ReplyCode;

/// Why a stream, or one request on it, failed.
///
/// Items of an event stream are `Result<Event, StreamError>`: an `Err` item reports something
/// that went wrong (a lost connection, a frame that could not be decoded, a subscription the
/// server refused) and the stream goes on; the stream ends after a fatal error
/// ([`StreamError::is_fatal`]) or a close.
///
/// `Clone`: an item can be kept and passed on. `PartialEq`: two errors are equal when they say
/// the same thing; [`StreamError::Call`]s are compared by their [`ErrorKind`](crate::ErrorKind)
/// (the operation and trace id of each call differ).
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum StreamError {
    /// The configuration cannot open this stream (a missing credential, a bad endpoint).
    Config(String),
    /// The connection could not be made.
    Connect(String),
    /// The server refused the handshake with this HTTP status (401: the credential).
    Refused {
        /// The HTTP status of the refusal.
        status: u16,
    },
    /// The connection was lost; the stream reconnects.
    Disconnected(String),
    /// Nothing was heard for three heartbeat periods; the stream reconnects.
    Stalled {
        /// How long nothing was heard.
        silent_for: Duration,
    },
    /// A frame could not be decoded; the stream goes on with the next one.
    Decode {
        /// Which stream.
        stream: &'static str,
        /// What was wrong.
        reason: String,
        /// The frame's first characters (frames of these streams carry no secrets, but the
        /// excerpt is short anyway).
        excerpt: String,
    },
    /// The server answered a market-data request with an error code.
    Rejected {
        /// The request: `ticker subscription`, `K-line query`, ...
        request: &'static str,
        /// Upstream's code.
        code: ReplyCode,
        /// The server's message.
        message: String,
    },
    /// The server refused an Open API message request (`content.code` not `0`).
    Refusal {
        /// The request's `msgType`.
        request: String,
        /// The server's code (`401`: the token is not valid).
        code: String,
        /// The server's message.
        message: String,
    },
    /// More products than a market-data connection may subscribe; nothing was sent.
    TooManyProducts {
        /// Upstream's limit (100).
        limit: usize,
        /// The products the subscription would hold.
        requested: usize,
    },
    /// A K-line query for more bars than upstream allows; nothing was sent.
    TooManyBars {
        /// Upstream's limit (1,000).
        limit: u32,
        /// The bars asked for.
        requested: u32,
    },
    /// Another connection with the same Data Push group took over; this one is closed.
    Kicked {
        /// The group.
        group: String,
    },
    /// The stream is closed: a request on a closed handle.
    Closed,
    /// An API call the connection needs failed: the Open API messages' token
    /// (`open_msg_token`), fetched before every connection. The call's [`Error`](crate::Error)
    /// is kept whole, and is also this error's `source()`. Not fatal: the next reconnection
    /// calls again.
    Call(Arc<crate::Error>),
}

impl StreamError {
    /// A request whose connection was lost before its answer came.
    pub(crate) fn answer_lost() -> Self {
        StreamError::Disconnected("the connection was lost before the answer".to_owned())
    }

    /// Whether the stream ends with this error rather than reconnecting: a refused
    /// credential, a taken-over group, a configuration problem.
    pub fn is_fatal(&self) -> bool {
        matches!(
            self,
            StreamError::Config(_)
                | StreamError::Refused { status: 400..=499 }
                | StreamError::Kicked { .. }
                | StreamError::Closed
        )
    }
}

impl fmt::Display for StreamError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Config(why) => write!(f, "stream configuration: {why}"),
            Self::Connect(why) => write!(f, "cannot connect: {why}"),
            Self::Refused { status } => {
                write!(f, "the server refused the connection with HTTP {status}")
            }
            Self::Disconnected(why) => write!(f, "connection lost: {why}"),
            Self::Stalled { silent_for } => {
                write!(
                    f,
                    "the server went silent for {} ms",
                    silent_for.as_millis()
                )
            }
            Self::Decode {
                stream,
                reason,
                excerpt,
            } => write!(
                f,
                "cannot decode a {stream} frame: {reason} (frame starts: {excerpt:?})"
            ),
            Self::Rejected {
                request,
                code,
                message,
            } => write!(f, "market data refused `{request}`: {code} ({message})"),
            Self::Refusal {
                request,
                code,
                message,
            } => write!(
                f,
                "Open API messages refused `{request}`: code {code} ({message})"
            ),
            Self::TooManyProducts { limit, requested } => write!(
                f,
                "a market-data connection subscribes at most {limit} products; this would be \
                 {requested}"
            ),
            Self::TooManyBars { limit, requested } => write!(
                f,
                "a K-line query returns 1 to {limit} bars; {requested} were asked for"
            ),
            Self::Kicked { group } => write!(
                f,
                "Data Push group `{group}` was taken over by another connection"
            ),
            Self::Closed => f.write_str("the stream is closed"),
            Self::Call(error) => write!(f, "a call the connection needs failed: {error}"),
        }
    }
}

impl std::error::Error for StreamError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            // The call's error itself, not its `Arc`: `downcast_ref::<mm_sdk::Error>` finds it.
            Self::Call(error) => Some(error.as_ref()),
            _ => None,
        }
    }
}

impl PartialEq for StreamError {
    fn eq(&self, other: &Self) -> bool {
        // Exhaustive on `self`: a new variant cannot be forgotten here.
        match self {
            Self::Config(a) => matches!(other, Self::Config(b) if a == b),
            Self::Connect(a) => matches!(other, Self::Connect(b) if a == b),
            Self::Refused { status } => matches!(other, Self::Refused { status: b } if status == b),
            Self::Disconnected(a) => matches!(other, Self::Disconnected(b) if a == b),
            Self::Stalled { silent_for } => {
                matches!(other, Self::Stalled { silent_for: b } if silent_for == b)
            }
            Self::Decode {
                stream,
                reason,
                excerpt,
            } => matches!(other, Self::Decode { stream: s, reason: r, excerpt: e }
                if (stream, reason, excerpt) == (s, r, e)),
            Self::Rejected {
                request,
                code,
                message,
            } => matches!(other, Self::Rejected { request: r, code: c, message: m }
                if (request, code, message) == (r, c, m)),
            Self::Refusal {
                request,
                code,
                message,
            } => matches!(other, Self::Refusal { request: r, code: c, message: m }
                if (request, code, message) == (r, c, m)),
            Self::TooManyProducts { limit, requested } => {
                matches!(other, Self::TooManyProducts { limit: l, requested: r }
                    if (limit, requested) == (l, r))
            }
            Self::TooManyBars { limit, requested } => {
                matches!(other, Self::TooManyBars { limit: l, requested: r }
                    if (limit, requested) == (l, r))
            }
            Self::Kicked { group } => matches!(other, Self::Kicked { group: g } if group == g),
            Self::Closed => matches!(other, Self::Closed),
            Self::Call(a) => matches!(other, Self::Call(b) if a.kind() == b.kind()),
        }
    }
}

// Every field compares reflexively: `ErrorKind`'s `PartialEq` holds no float (its JSON values
// are `Eq`).
impl Eq for StreamError {}
