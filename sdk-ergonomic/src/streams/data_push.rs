//! Manager Data Push (`/openapi-b/ws`): the white label's business events (registrations,
//! deposits, positions, balance changes...), with the Manager token.

use std::collections::VecDeque;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::Arc;
use std::time::Duration;

use mm_sdk_core::Runtime;
use tokio::sync::mpsc;
use tokio::time::Instant;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::http::Request;
use tokio_tungstenite::tungstenite::protocol::CloseFrame;
use url::Url;

use super::supervisor::{self, Control, Link, Protocol, Reconnect};
use super::types::DataPush as Push;
use super::{Events, Options, Overflow, StreamError, excerpt, socket};

use super::types::protocol::data_push::{HEARTBEAT_PERIOD, RETENTION, TAKEN_OVER};

/// Frames remembered to recognise an event sent again after a reconnection.
const REMEMBERED: usize = 64;

/// Whether events may have been missed while the connection was down.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Gap {
    /// None: the group's events produced meanwhile are delivered now.
    None,
    /// Possible: the connection has no group, so the server starts from "now".
    NoGroup,
    /// Possible: the connection was down longer than the server keeps events.
    RetentionExceeded {
        /// How long it was down.
        offline: Duration,
    },
}

/// What the Data Push stream yields.
///
/// Serialized as `{"event": "<variant in snake case>", "data": ...}`: what `mm stream` prints,
/// one per line.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(tag = "event", content = "data", rename_all = "snake_case")]
#[non_exhaustive]
pub enum DataPushEvent {
    /// A business event (boxed: payloads are large, the other variants small).
    Event(Box<Push>),
    /// The connection was restored; see [`Gap`].
    Reconnected {
        /// Whether events may have been missed.
        gap: Gap,
    },
    /// The consumer fell behind and events were dropped; only with [`Overflow::DropOldest`],
    /// which is not the default here.
    Lagged {
        /// Events dropped.
        missed: u64,
    },
}

/// Opens the Data Push stream: [`MultiMarkets::data_push`](crate::MultiMarkets::data_push).
#[derive(Debug, Clone)]
pub struct DataPushBuilder {
    runtime: Arc<Runtime>,
    group: Option<String>,
    options: Options,
}

impl DataPushBuilder {
    pub(crate) fn new(runtime: Arc<Runtime>) -> Self {
        Self {
            runtime,
            group: None,
            options: Options::default(),
        }
    }

    /// The subscription's group (the `group` handshake header): the server keeps the group's
    /// events for 168 hours and delivers those produced while it was offline on reconnection.
    /// Use a stable name, and one connection per group.
    pub fn group(mut self, group: impl Into<String>) -> Self {
        self.group = Some(group.into());
        self
    }

    /// Buffering and reconnection; Data Push applies backpressure by default.
    pub fn options(mut self, options: Options) -> Self {
        self.options = options;
        self
    }

    /// Connects; fails if the first connection cannot be made (a refused Manager token is
    /// [`StreamError::Refused`] with status 401). Every connection, the first and each
    /// reconnection, sends the client's Manager token as it is then: after
    /// [`MultiMarkets::rotate_manager_token`](crate::MultiMarkets::rotate_manager_token), the
    /// next reconnection uses the new one (the open connection goes on with the old).
    pub async fn connect(self) -> Result<(DataPush, Events<DataPushEvent>), StreamError> {
        if self.runtime.manager_token_header().is_none() {
            return Err(missing_token());
        }
        let protocol = Feed {
            url: socket::ws_url(&self.runtime.config().endpoints().manager, "/openapi-b/ws")?,
            runtime: self.runtime.clone(),
            group: self.group,
            offline_since: None,
            recent: VecDeque::with_capacity(REMEMBERED),
            checking: 0,
        };
        let (control, events) = supervisor::start(protocol, self.options, self.runtime).await?;
        Ok((DataPush { control }, events))
    }
}

/// The handle of a Data Push stream. Cheap to clone; the connection closes when every clone
/// and the event stream are dropped, or on [`DataPush::close`].
#[derive(Debug, Clone)]
pub struct DataPush {
    control: mpsc::Sender<Control<Never>>,
}

/// Data Push takes no commands: it is subscribed by connecting.
#[derive(Debug)]
pub(crate) enum Never {}

impl DataPush {
    /// Closes the connection cleanly and waits until it is closed.
    pub async fn close(self) {
        supervisor::shut_down(&self.control).await;
    }
}

/// The runtime's error for a Data Push without a Manager token configured.
fn missing_token() -> StreamError {
    let error = mm_sdk_core::ErrorKind::MissingCredential(mm_sdk_core::Credential::ManagerToken);
    StreamError::Call(Arc::new(error.into()))
}

#[derive(Debug)]
struct Feed {
    url: Url,
    /// Read for the Manager token at each connection: a rotated token is the one sent.
    runtime: Arc<Runtime>,
    group: Option<String>,
    offline_since: Option<Instant>,
    /// Hashes of the last frames received, newest last.
    recent: VecDeque<u64>,
    /// Frames still to compare with `recent` after a reconnection.
    checking: usize,
}

impl Feed {
    /// Whether `frame` repeats one received just before the connection was lost: the server
    /// cannot know whether the last frames it wrote were read, so it may send them again.
    /// Events carry their record's id and times, so an identical frame is the same event.
    fn is_repeat(&mut self, frame: &str) -> bool {
        let mut hasher = DefaultHasher::new();
        frame.hash(&mut hasher);
        let hash = hasher.finish();
        if self.checking > 0 {
            self.checking -= 1;
            if self.recent.contains(&hash) {
                return true;
            }
        }
        if self.recent.len() == REMEMBERED {
            self.recent.pop_front();
        }
        self.recent.push_back(hash);
        false
    }
}

impl Protocol for Feed {
    type Event = DataPushEvent;
    type Command = Never;

    const HEARTBEAT: Duration = HEARTBEAT_PERIOD;
    const OVERFLOW: Overflow = Overflow::Backpressure;

    async fn request(&mut self) -> Result<Request<()>, StreamError> {
        let token = self
            .runtime
            .manager_token_header()
            .ok_or_else(missing_token)?;
        let token = token.to_str().map_err(|_| {
            StreamError::Config("the Manager token is not visible ASCII".to_owned())
        })?;
        let mut headers = vec![("token", token)];
        if let Some(group) = &self.group {
            headers.push(("group", group.as_str()));
        }
        socket::request(&self.url, &headers)
    }

    fn connected(&mut self, link: &mut Link<DataPushEvent>, reconnect: bool) {
        let offline = self.offline_since.take().map(|since| since.elapsed());
        if !reconnect {
            return;
        }
        self.checking = self.recent.len();
        let gap = match (&self.group, offline) {
            (None, _) => Gap::NoGroup,
            (Some(_), Some(offline)) if offline > RETENTION => Gap::RetentionExceeded { offline },
            (Some(_), _) => Gap::None,
        };
        link.event(DataPushEvent::Reconnected { gap });
    }

    fn heartbeat(&mut self, link: &mut Link<DataPushEvent>) {
        link.send(Message::text("ping"));
    }

    fn command(&mut self, command: Never, _link: &mut Link<DataPushEvent>) {
        match command {}
    }

    fn frame(&mut self, frame: Message, link: &mut Link<DataPushEvent>) {
        let Message::Text(text) = frame else { return };
        if self.is_repeat(text.as_str()) {
            tracing::debug!("Data Push event repeated after a reconnection; dropped");
            return;
        }
        match Push::decode(text.as_str()) {
            Ok(push) => link.event(DataPushEvent::Event(Box::new(push))),
            Err(e) => link.error(StreamError::Decode {
                stream: "Data Push",
                reason: e.to_string(),
                excerpt: excerpt(text.as_str()),
            }),
        }
    }

    fn server_closed(&mut self, frame: Option<&CloseFrame>) -> (StreamError, Reconnect) {
        match (frame, &self.group) {
            (Some(frame), Some(group)) if u16::from(frame.code) == TAKEN_OVER => (
                StreamError::Kicked {
                    group: group.clone(),
                },
                Reconnect::No,
            ),
            _ => (
                StreamError::Disconnected(match frame {
                    Some(frame) => {
                        format!("closed by the server ({}: {})", frame.code, frame.reason)
                    }
                    None => "closed by the server".to_owned(),
                }),
                Reconnect::Yes,
            ),
        }
    }

    fn disconnected(&mut self) {
        self.offline_since.get_or_insert_with(Instant::now);
    }

    fn lagged(missed: u64) -> DataPushEvent {
        DataPushEvent::Lagged { missed }
    }
}
