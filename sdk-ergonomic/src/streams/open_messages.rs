//! Open API messages (`/openapi-c/openMsg/{appId}`): a customer's trade events, for an Open
//! API key.
//!
//! Every connection first gets a fresh token from the Open API (`open_msg_token`, signed with
//! the client's key as it is then, so a rotated key signs the next reconnection's call), logs
//! in with it, and subscribes again to the asset messages asked for.

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;
use std::time::Duration;

use mm_sdk_core::{Runtime, SecretText};
use tokio::sync::{mpsc, oneshot};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::http::Request;
use url::Url;

use super::supervisor::{self, Control, Link, Protocol};
use super::types;
use super::{Events, Options, Overflow, StreamError, excerpt, socket};
use mm_sdk_core::enums::TradeType;

/// Upstream's device code for a server-side client (every example sends 1).
const DEVICE: i64 = 1;

/// What the Open API message stream yields.
///
/// Serialized as `{"event": "<variant in snake case>", "data": ...}`: what `mm stream` prints,
/// one per line.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(tag = "event", content = "data", rename_all = "snake_case")]
#[non_exhaustive]
pub enum OpenEvent {
    /// A trade event (`msgCode` `trade`): an order filled or failed.
    Trade(Box<types::TradeMessage>),
    /// Any other message the server sends, whole.
    Message(types::OpenMessage),
    /// The connection was restored: logged in and subscribed again.
    Reconnected,
    /// The consumer fell behind and events were dropped; only with [`Overflow::DropOldest`],
    /// which is not the default here.
    Lagged {
        /// Events dropped.
        missed: u64,
    },
}

/// Opens the Open API message stream:
/// [`MultiMarkets::open_messages`](crate::MultiMarkets::open_messages).
#[derive(Debug, Clone)]
pub struct OpenMessagesBuilder {
    runtime: Arc<Runtime>,
    app_id: String,
    options: Options,
}

impl OpenMessagesBuilder {
    pub(crate) fn new(runtime: Arc<Runtime>, app_id: String) -> Self {
        Self {
            runtime,
            app_id,
            options: Options::default(),
        }
    }

    /// Buffering and reconnection; Open API messages apply backpressure by default.
    pub fn options(mut self, options: Options) -> Self {
        self.options = options;
        self
    }

    /// Gets a token, connects and logs in; fails if that cannot be done the first time (a
    /// failed token call is [`StreamError::Call`], holding the call's error).
    pub async fn connect(self) -> Result<(OpenMessages, Events<OpenEvent>), StreamError> {
        let config = self.runtime.config();
        let base = &config.endpoints().client;
        let mut url = base.clone();
        url.path_segments_mut()
            .map_err(|()| StreamError::Config("the Client API endpoint cannot hold a path".into()))?
            .pop_if_empty()
            .extend(["openapi-c", "openMsg", self.app_id.as_str()]);
        let protocol = Session {
            url: socket::ws_url(base, url.path())?,
            lang: config.lang().to_string(),
            runtime: self.runtime.clone(),
            token: SecretText::new(""),
            trade_types: BTreeSet::new(),
            seq: 0,
            pending: HashMap::new(),
        };
        let (control, events) = supervisor::start(protocol, self.options, self.runtime).await?;
        Ok((OpenMessages { control }, events))
    }
}

/// The handle of an Open API message stream. Cheap to clone; the connection logs out and
/// closes when every clone and the event stream are dropped, or on [`OpenMessages::close`].
#[derive(Debug, Clone)]
pub struct OpenMessages {
    control: mpsc::Sender<Control<Command>>,
}

#[derive(Debug)]
pub(crate) enum Command {
    Assets {
        subscribe: bool,
        trade_types: Vec<TradeType>,
        done: oneshot::Sender<Result<(), StreamError>>,
    },
}

impl OpenMessages {
    /// Subscribes to the asset and trade messages of `trade_types` (upstream names
    /// [`TradeType::CfdCrossMargin`], [`TradeType::CfdIsolatedMargin`], [`TradeType::Spot`] and
    /// [`TradeType::Stock`]); resolves when the server
    /// acknowledged it, or at once while disconnected (it is sent on reconnection).
    pub async fn subscribe_assets(
        &self,
        trade_types: impl IntoIterator<Item = TradeType>,
    ) -> Result<(), StreamError> {
        self.assets(true, trade_types.into_iter().collect()).await
    }

    /// Cancels the subscription of `trade_types`.
    pub async fn unsubscribe_assets(
        &self,
        trade_types: impl IntoIterator<Item = TradeType>,
    ) -> Result<(), StreamError> {
        self.assets(false, trade_types.into_iter().collect()).await
    }

    async fn assets(
        &self,
        subscribe: bool,
        trade_types: Vec<TradeType>,
    ) -> Result<(), StreamError> {
        let command = |done| Command::Assets {
            subscribe,
            trade_types,
            done,
        };
        supervisor::ask(&self.control, command).await?
    }

    /// Logs out, closes the connection and waits until it is closed.
    pub async fn close(self) {
        supervisor::shut_down(&self.control).await;
    }
}

#[derive(Debug)]
struct Session {
    /// Signs the token call of each connection with the key configured then.
    runtime: Arc<Runtime>,
    url: Url,
    lang: String,
    /// The message token of the current connection.
    token: SecretText,
    trade_types: BTreeSet<TradeType>,
    seq: i64,
    pending: HashMap<i64, oneshot::Sender<Result<(), StreamError>>>,
}

impl Session {
    fn send(
        &mut self,
        msg_type: types::OpenMessageHeadMsgType,
        data: Option<types::AssetSubscription>,
        link: &mut Link<OpenEvent>,
        done: Option<oneshot::Sender<Result<(), StreamError>>>,
    ) {
        self.seq += 1;
        let send_time = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX));
        let frame = types::OpenMessageRequest {
            head: types::OpenMessageHead {
                msg_type,
                token: self.token.clone(),
                send_time,
                lang: self.lang.clone(),
            },
            data,
            device: DEVICE,
            seq_id: self.seq,
            trace: format!("mm-sdk-{}-{}", send_time, self.seq),
        };
        match serde_json::to_string(&frame) {
            Ok(text) => {
                if let Some(done) = done {
                    self.pending.insert(self.seq, done);
                }
                link.send(Message::text(text));
            }
            Err(e) => link.error(StreamError::Config(format!("cannot encode a request: {e}"))),
        }
    }

    fn subscription(trade_types: &BTreeSet<TradeType>) -> types::AssetSubscription {
        let codes: Vec<String> = trade_types.iter().map(|t| t.code().to_string()).collect();
        types::AssetSubscription {
            trade_types: codes.join(","),
            // For stock, both position profit-and-loss and asset messages.
            subscribe_type: trade_types
                .contains(&TradeType::Stock)
                .then(|| "1,2".to_owned()),
        }
    }
}

impl Protocol for Session {
    type Event = OpenEvent;
    type Command = Command;

    const HEARTBEAT: Duration = super::types::protocol::open_messages::HEARTBEAT_PERIOD;
    const OVERFLOW: Overflow = Overflow::Backpressure;

    async fn request(&mut self) -> Result<Request<()>, StreamError> {
        let token = crate::client::Client::new(&self.runtime)
            .open_api()
            .open_msg_token()
            .await
            .map_err(|e| StreamError::Call(Arc::new(e)))?;
        self.token = SecretText::new(token);
        socket::request(&self.url, &[])
    }

    fn connected(&mut self, link: &mut Link<OpenEvent>, reconnect: bool) {
        if reconnect {
            link.event(OpenEvent::Reconnected);
        }
        self.send(types::OpenMessageHeadMsgType::Login, None, link, None);
        if !self.trade_types.is_empty() {
            let data = Self::subscription(&self.trade_types);
            self.send(
                types::OpenMessageHeadMsgType::SubscribeAsset,
                Some(data),
                link,
                None,
            );
        }
    }

    fn heartbeat(&mut self, link: &mut Link<OpenEvent>) {
        self.send(types::OpenMessageHeadMsgType::Ping, None, link, None);
    }

    fn command(&mut self, command: Command, link: &mut Link<OpenEvent>) {
        let Command::Assets {
            subscribe,
            trade_types,
            done,
        } = command;
        let changed: BTreeSet<TradeType> = trade_types.into_iter().collect();
        let msg_type = if subscribe {
            self.trade_types.extend(changed.iter().copied());
            types::OpenMessageHeadMsgType::SubscribeAsset
        } else {
            self.trade_types.retain(|t| !changed.contains(t));
            types::OpenMessageHeadMsgType::CancelSubscribeAsset
        };
        if !link.online {
            let _ = done.send(Ok(()));
            return;
        }
        let data = Self::subscription(&changed);
        self.send(msg_type, Some(data), link, Some(done));
    }

    fn frame(&mut self, frame: Message, link: &mut Link<OpenEvent>) {
        let Message::Text(text) = frame else { return };
        let message: types::OpenMessage = match serde_json::from_str(text.as_str()) {
            Ok(message) => message,
            Err(e) => {
                return link.error(StreamError::Decode {
                    stream: "Open API messages",
                    reason: e.to_string(),
                    excerpt: excerpt(text.as_str()),
                });
            }
        };
        if message.msg_code == "trade" {
            let content = message.content.clone().unwrap_or_default();
            match serde_json::from_value::<types::TradeMessage>(content) {
                Ok(trade) => link.event(OpenEvent::Trade(Box::new(trade))),
                Err(e) => link.error(StreamError::Decode {
                    stream: "Open API messages",
                    reason: format!("a trade message: {e}"),
                    excerpt: excerpt(text.as_str()),
                }),
            }
            return;
        }
        // An answer to one of our requests: `content` is `{code, msg}`, `code` "0" on success.
        let ack = message
            .content
            .clone()
            .and_then(|content| serde_json::from_value::<types::OpenMessageAck>(content).ok());
        let answered = message.seq_id.and_then(|seq| self.pending.remove(&seq));
        match (ack, answered) {
            (Some(ack), answered) => {
                let code = ack.code;
                let outcome = if code == "0" {
                    Ok(())
                } else {
                    Err(StreamError::Refusal {
                        request: message.msg_code.clone(),
                        code,
                        message: ack.msg.unwrap_or_default(),
                    })
                };
                match (answered, outcome) {
                    (Some(done), outcome) => {
                        let _ = done.send(outcome);
                    }
                    (None, Err(error)) => link.error(error),
                    (None, Ok(())) => {}
                }
            }
            (_, Some(done)) => {
                let _ = done.send(Ok(()));
                link.event(OpenEvent::Message(message));
            }
            (_, None) => link.event(OpenEvent::Message(message)),
        }
    }

    fn disconnected(&mut self) {
        for (_, done) in self.pending.drain() {
            let _ = done.send(Err(StreamError::answer_lost()));
        }
    }

    fn closing(&mut self, link: &mut Link<OpenEvent>) {
        self.send(types::OpenMessageHeadMsgType::Logout, None, link, None);
    }

    fn lagged(missed: u64) -> OpenEvent {
        OpenEvent::Lagged { missed }
    }
}
