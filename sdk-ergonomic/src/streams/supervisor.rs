//! The task behind every stream: connect, keep the heartbeat, pace requests, reconnect with
//! the SDK's [`Backoff`](mm_sdk_core::Backoff), and hand events to the consumer through the
//! bounded [`Buffer`]. It runs on the client's [`Runtime`]: its TLS, its `User-Agent`, its
//! connect timeout (unless the stream's [`Options`] set one).
//!
//! What differs between the three streams (frames, heartbeat, what to send again after a
//! reconnection) is a [`Protocol`]; this loop is the same for all of them.

use std::collections::VecDeque;
use std::sync::Arc;
use std::time::Duration;

use futures::{SinkExt, StreamExt};
use mm_sdk_core::Runtime;
use tokio::sync::{mpsc, oneshot};
use tokio::time::{Instant, sleep_until, timeout};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::http::Request;
use tokio_tungstenite::tungstenite::protocol::CloseFrame;
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;

use super::buffer::{Buffer, Overflow};
use super::socket::{self, Socket};
use super::{Events, Options, StreamError};

/// What the consumer receives.
pub(crate) type Item<E> = Result<E, StreamError>;

/// A stream's wire protocol, driven by [`run`].
pub(crate) trait Protocol: Send + 'static {
    /// What the consumer receives.
    type Event: Send + 'static;
    /// What the handle asks for.
    type Command: Send + 'static;

    /// Upstream's heartbeat period.
    const HEARTBEAT: Duration;
    /// What a full buffer does unless the options say otherwise.
    const OVERFLOW: Overflow;
    /// Most requests sent in any one second, if upstream limits them.
    const REQUESTS_PER_SECOND: Option<usize> = None;

    /// The handshake request of a (re)connection.
    fn request(&mut self) -> impl Future<Output = Result<Request<()>, StreamError>> + Send;
    /// A connection is up (`reconnect` after the first): log in, subscribe again.
    fn connected(&mut self, link: &mut Link<Self::Event>, reconnect: bool);
    /// Time for a heartbeat.
    fn heartbeat(&mut self, link: &mut Link<Self::Event>);
    /// A command from the handle; `link.online` says whether frames can go out now.
    fn command(&mut self, command: Self::Command, link: &mut Link<Self::Event>);
    /// A text or binary frame from the server.
    fn frame(&mut self, frame: Message, link: &mut Link<Self::Event>);
    /// The server closed the connection with this frame: the error to report, and whether
    /// reconnecting makes sense.
    fn server_closed(&mut self, frame: Option<&CloseFrame>) -> (StreamError, Reconnect) {
        (
            StreamError::Disconnected(match frame {
                Some(frame) => format!("closed by the server ({}: {})", frame.code, frame.reason),
                None => "closed by the server".to_owned(),
            }),
            Reconnect::Yes,
        )
    }
    /// The connection is gone (any reason): fail what waits for an answer on it.
    fn disconnected(&mut self);
    /// The handle is closing: frames to send before the close frame (a logout).
    fn closing(&mut self, _link: &mut Link<Self::Event>) {}
    /// The event telling the consumer that `missed` events were dropped.
    fn lagged(missed: u64) -> Self::Event;
}

/// Whether the supervisor reconnects after the server closed a connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Reconnect {
    Yes,
    No,
}

/// What a [`Protocol`] call produces: frames to send and items for the consumer.
#[derive(Debug)]
pub(crate) struct Link<E> {
    /// Whether a connection is up, so that queued frames go out now.
    pub(crate) online: bool,
    outbox: Vec<Message>,
    items: Vec<Item<E>>,
}

impl<E> Link<E> {
    fn new(online: bool) -> Self {
        Self {
            online,
            outbox: Vec::new(),
            items: Vec::new(),
        }
    }

    /// Sends `frame` (dropped when offline: [`Protocol::connected`] sends the state again).
    pub(crate) fn send(&mut self, frame: Message) {
        if self.online {
            self.outbox.push(frame);
        }
    }

    /// Hands `event` to the consumer.
    pub(crate) fn event(&mut self, event: E) {
        self.items.push(Ok(event));
    }

    /// Hands a non-fatal error to the consumer; the stream goes on.
    pub(crate) fn error(&mut self, error: StreamError) {
        self.items.push(Err(error));
    }
}

/// A message from a handle to its task.
#[derive(Debug)]
pub(crate) enum Control<C> {
    Command(C),
    /// Close the connection cleanly; answered once it is closed.
    Close(oneshot::Sender<()>),
}

/// Runs `protocol` until the handle closes, every handle and the consumer are dropped, or a
/// fatal error. `ready` learns the outcome of the first connection.
pub(crate) async fn run<P: Protocol>(
    mut protocol: P,
    mut control: mpsc::Receiver<Control<P::Command>>,
    buffer: Arc<Buffer<Item<P::Event>>>,
    options: Options,
    runtime: Arc<Runtime>,
    ready: oneshot::Sender<Result<(), StreamError>>,
) {
    let mut ready = Some(ready);
    let mut failures: u32 = 0;
    let mut connected_before = false;
    let connect_timeout = options
        .connect_timeout
        .unwrap_or_else(|| runtime.config().connect_timeout());
    loop {
        let connection = match protocol.request().await {
            Ok(request) => socket::connect(request, runtime.config(), connect_timeout).await,
            Err(e) => Err(e),
        };
        let outcome = match connection {
            Ok(socket) => {
                if let Some(ready) = ready.take() {
                    let _ = ready.send(Ok(()));
                }
                failures = 0;
                let outcome = connected(
                    &mut protocol,
                    socket,
                    &mut control,
                    &buffer,
                    connected_before,
                )
                .await;
                connected_before = true;
                protocol.disconnected();
                outcome
            }
            Err(e) => {
                if let Some(ready) = ready.take() {
                    // The first connection fails fast: a wrong URL or credential shows at once.
                    let _ = ready.send(Err(e));
                    buffer.end();
                    return;
                }
                let reconnect = if e.is_fatal() {
                    Reconnect::No
                } else {
                    Reconnect::Yes
                };
                Outcome::Lost(e, reconnect)
            }
        };
        match outcome {
            Outcome::Closed => break,
            Outcome::Lost(error, Reconnect::No) => {
                buffer.push(Err(error));
                break;
            }
            Outcome::Lost(error, Reconnect::Yes) => {
                tracing::debug!(error = %error, "stream disconnected; reconnecting");
                buffer.push(Err(error));
            }
        }
        failures = failures.saturating_add(1);
        if !wait_to_reconnect(
            &mut protocol,
            &mut control,
            &buffer,
            options.reconnect.delay(failures),
        )
        .await
        {
            break;
        }
    }
    buffer.end();
}

enum Outcome {
    /// Closed on purpose: by the handle, or because nobody listens any more.
    Closed,
    /// Lost: report the error, then reconnect or not.
    Lost(StreamError, Reconnect),
}

/// Waits `delay` before the next attempt while still taking commands (they change what is
/// sent on reconnection). False when the stream should end instead.
async fn wait_to_reconnect<P: Protocol>(
    protocol: &mut P,
    control: &mut mpsc::Receiver<Control<P::Command>>,
    buffer: &Buffer<Item<P::Event>>,
    delay: Duration,
) -> bool {
    let deadline = Instant::now() + delay;
    loop {
        if buffer.is_closed() {
            return false;
        }
        tokio::select! {
            () = sleep_until(deadline) => return true,
            message = control.recv() => match message {
                None => return false,
                Some(Control::Close(done)) => {
                    let _ = done.send(());
                    return false;
                }
                Some(Control::Command(command)) => {
                    let mut link = Link::new(false);
                    protocol.command(command, &mut link);
                    deliver(buffer, link.items);
                }
            },
        }
    }
}

/// Drives one connection until it is lost or closed.
async fn connected<P: Protocol>(
    protocol: &mut P,
    socket: Socket,
    control: &mut mpsc::Receiver<Control<P::Command>>,
    buffer: &Buffer<Item<P::Event>>,
    reconnect: bool,
) -> Outcome {
    let (mut sink, mut frames) = socket.split();
    let mut pacer = Pacer::new(P::REQUESTS_PER_SECOND);
    let idle_limit = P::HEARTBEAT * 3;
    let send_limit = P::HEARTBEAT;

    // One link for the connection's life: its vectors keep their capacity, so a push costs
    // no allocation here.
    let mut link = Link::new(true);
    protocol.connected(&mut link, reconnect);
    if let Err(e) = flush(&mut sink, &mut pacer, buffer, &mut link, send_limit).await {
        return Outcome::Lost(e, Reconnect::Yes);
    }

    let mut heartbeat = tokio::time::interval_at(Instant::now() + P::HEARTBEAT, P::HEARTBEAT);
    heartbeat.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut last_heard = Instant::now();
    loop {
        let backpressured = buffer.overflow() == Overflow::Backpressure && buffer.is_full();
        tokio::select! {
            frame = frames.next(), if !backpressured => {
                last_heard = Instant::now();
                match frame {
                    Some(Ok(frame @ (Message::Text(_) | Message::Binary(_)))) => {
                        protocol.frame(frame, &mut link);
                    }
                    Some(Ok(Message::Close(frame))) => {
                        let (error, again) = protocol.server_closed(frame.as_ref());
                        return Outcome::Lost(error, again);
                    }
                    // Pings are answered by tungstenite on the next write; pongs only prove
                    // the connection is alive.
                    Some(Ok(_)) => {}
                    Some(Err(e)) => {
                        return Outcome::Lost(StreamError::Disconnected(e.to_string()), Reconnect::Yes);
                    }
                    None => {
                        return Outcome::Lost(
                            StreamError::Disconnected("connection closed".to_owned()),
                            Reconnect::Yes,
                        );
                    }
                }
            }
            () = buffer.room(), if backpressured => continue,
            message = control.recv() => match message {
                Some(Control::Command(command)) => protocol.command(command, &mut link),
                Some(Control::Close(done)) => {
                    close(protocol, &mut sink, &mut pacer, buffer, send_limit).await;
                    let _ = done.send(());
                    return Outcome::Closed;
                }
                None => {
                    close(protocol, &mut sink, &mut pacer, buffer, send_limit).await;
                    return Outcome::Closed;
                }
            },
            _ = heartbeat.tick() => {
                if buffer.is_closed() {
                    close(protocol, &mut sink, &mut pacer, buffer, send_limit).await;
                    return Outcome::Closed;
                }
                let silent = last_heard.elapsed();
                if silent >= idle_limit {
                    return Outcome::Lost(StreamError::Stalled { silent_for: silent }, Reconnect::Yes);
                }
                protocol.heartbeat(&mut link);
                // A protocol-level ping too: every server must answer it, so a live but quiet
                // connection is never mistaken for a stalled one.
                link.send(Message::Ping(Default::default()));
            }
        }
        if let Err(e) = flush(&mut sink, &mut pacer, buffer, &mut link, send_limit).await {
            return Outcome::Lost(e, Reconnect::Yes);
        }
    }
}

type Sink = futures::stream::SplitSink<Socket, Message>;

/// Hands the link's items to the consumer and sends its frames, paced, each within `limit`;
/// the link is left empty.
async fn flush<E>(
    sink: &mut Sink,
    pacer: &mut Pacer,
    buffer: &Buffer<Item<E>>,
    link: &mut Link<E>,
    limit: Duration,
) -> Result<(), StreamError> {
    deliver(buffer, link.items.drain(..));
    for frame in link.outbox.drain(..) {
        let counted = matches!(frame, Message::Text(_) | Message::Binary(_));
        if counted {
            pacer.ready().await;
        }
        match timeout(limit, sink.send(frame)).await {
            Ok(Ok(())) => {}
            Ok(Err(e)) => return Err(StreamError::Disconnected(e.to_string())),
            Err(_) => return Err(StreamError::Stalled { silent_for: limit }),
        }
    }
    Ok(())
}

fn deliver<E>(buffer: &Buffer<Item<E>>, items: impl IntoIterator<Item = Item<E>>) {
    for item in items {
        buffer.push(item);
    }
}

/// Sends the protocol's goodbye and a close frame, and waits briefly for the server's.
async fn close<P: Protocol>(
    protocol: &mut P,
    sink: &mut Sink,
    pacer: &mut Pacer,
    buffer: &Buffer<Item<P::Event>>,
    limit: Duration,
) {
    let mut link = Link::new(true);
    protocol.closing(&mut link);
    link.send(Message::Close(Some(CloseFrame {
        code: CloseCode::Normal,
        reason: "closed by the client".into(),
    })));
    let _ = flush(
        sink,
        pacer,
        buffer,
        &mut link,
        limit.min(Duration::from_secs(2)),
    )
    .await;
    let _ = timeout(Duration::from_secs(2), sink.close()).await;
}

/// Keeps requests under a per-second limit by waiting before a request that would exceed it.
#[derive(Debug)]
struct Pacer {
    limit: Option<usize>,
    sent: VecDeque<Instant>,
}

impl Pacer {
    fn new(limit: Option<usize>) -> Self {
        Self {
            limit,
            sent: VecDeque::new(),
        }
    }

    async fn ready(&mut self) {
        let Some(limit) = self.limit else { return };
        let window = Duration::from_secs(1);
        if self.sent.len() >= limit
            && let Some(oldest) = self.sent.pop_front()
        {
            // A little past the window's end, so the server's count agrees whatever its
            // clock's granularity.
            sleep_until(oldest + window + Duration::from_millis(5)).await;
        }
        self.sent.push_back(Instant::now());
    }
}

/// Sends the command `command` builds around a reply channel to the task behind `control`,
/// and waits for the reply.
pub(crate) async fn ask<C, T>(
    control: &mpsc::Sender<Control<C>>,
    command: impl FnOnce(oneshot::Sender<T>) -> C,
) -> Result<T, StreamError> {
    let (done, answer) = oneshot::channel();
    control
        .send(Control::Command(command(done)))
        .await
        .map_err(|_| StreamError::Closed)?;
    answer.await.map_err(|_| StreamError::answer_lost())
}

/// Asks the task behind `control` to close cleanly, and waits until it has.
pub(crate) async fn shut_down<C>(control: &mpsc::Sender<Control<C>>) {
    let (done, closed) = oneshot::channel();
    if control.send(Control::Close(done)).await.is_ok() {
        let _ = closed.await;
    }
}

/// Starts the task on `runtime` and waits for its first connection: the handle's channel and
/// the events.
pub(crate) async fn start<P: Protocol>(
    protocol: P,
    options: Options,
    runtime: Arc<Runtime>,
) -> Result<(mpsc::Sender<Control<P::Command>>, Events<P::Event>), StreamError> {
    let buffer = Buffer::new(options.buffer, options.overflow.unwrap_or(P::OVERFLOW));
    let (control, commands) = mpsc::channel(64);
    let (ready, first) = oneshot::channel();
    tokio::spawn(run(
        protocol,
        commands,
        buffer.clone(),
        options,
        runtime,
        ready,
    ));
    match first.await {
        Ok(Ok(())) => Ok((control, Events::new(buffer, P::lagged))),
        Ok(Err(e)) => Err(e),
        Err(_) => Err(StreamError::Disconnected(
            "the stream's task ended".to_owned(),
        )),
    }
}
