//! What each connection of a stream takes from the client's runtime, seen by a WebSocket
//! server of the test's own that records every handshake: the `User-Agent`, the Manager token
//! as it is at each (re)connection, the waits of the SDK's backoff between attempts, the
//! configured connect timeout; and a failed token call of Open API messages, kept whole.

use std::time::Duration;

use futures::StreamExt;
use mm_sdk::streams::{DataPushEvent, Events, Gap, Options, StreamError};
use mm_sdk::{Backoff, ErrorKind, ManagerToken, OpenApiKey};
use tokio::net::TcpListener;
use tokio::sync::{mpsc, oneshot};
use tokio::time::Instant;
use tokio_tungstenite::tungstenite::handshake::server::{ErrorResponse, Request, Response};
use tokio_tungstenite::tungstenite::http::{HeaderMap, StatusCode};
use url::Url;
use wiremock::MockServer;

use crate::common::{MANAGER_TOKEN, bounded, builder_at, builder_for, failure, mount};

/// How the server answers one connection.
#[derive(Debug, Clone, Copy)]
enum Answer {
    /// Completes the handshake; the connection lives as long as its [`Handshake`].
    Open,
    /// Refuses the handshake with this HTTP status.
    Refuse(u16),
}

/// A handshake the server received.
#[derive(Debug)]
struct Handshake {
    /// When its request arrived.
    at: Instant,
    path: String,
    headers: HeaderMap,
    /// Held while the connection stays open: dropping the handshake drops the connection.
    _open: Option<oneshot::Sender<()>>,
}

impl Handshake {
    fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .unwrap_or_else(|| panic!("no `{name}` header"))
            .to_str()
            .unwrap()
    }
}

/// A WebSocket server on loopback that answers the n-th connection with the n-th answer (the
/// last one for every later connection) and hands each handshake to the test.
struct Server {
    url: Url,
    handshakes: mpsc::UnboundedReceiver<Handshake>,
}

impl Server {
    async fn start(answers: Vec<Answer>) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = Url::parse(&format!("http://{}", listener.local_addr().unwrap())).unwrap();
        let (seen, handshakes) = mpsc::unbounded_channel();
        tokio::spawn(async move {
            let mut n = 0;
            while let Ok((stream, _)) = listener.accept().await {
                let answer = answers[n.min(answers.len() - 1)];
                n += 1;
                tokio::spawn(answer_one(stream, answer, seen.clone()));
            }
        });
        Self { url, handshakes }
    }

    async fn next(&mut self) -> Handshake {
        tokio::time::timeout(Duration::from_secs(40), self.handshakes.recv())
            .await
            .expect("no handshake within 40 s")
            .expect("the server ended")
    }
}

// The handshake callback's error type is tungstenite's, an unboxed response.
#[allow(clippy::result_large_err)]
async fn answer_one(
    stream: tokio::net::TcpStream,
    answer: Answer,
    seen: mpsc::UnboundedSender<Handshake>,
) {
    let mut request_seen = None;
    let callback = |request: &Request, response: Response| {
        request_seen = Some((
            Instant::now(),
            request.uri().path().to_owned(),
            request.headers().clone(),
        ));
        match answer {
            Answer::Open => Ok(response),
            Answer::Refuse(status) => {
                let mut refusal = ErrorResponse::new(None);
                *refusal.status_mut() = StatusCode::from_u16(status).unwrap();
                Err(refusal)
            }
        }
    };
    let accepted = tokio_tungstenite::accept_hdr_async(stream, callback).await;
    let Some((at, path, headers)) = request_seen else {
        return;
    };
    let Ok(mut socket) = accepted else {
        let _ = seen.send(Handshake {
            at,
            path,
            headers,
            _open: None,
        });
        return;
    };
    let (open, dropped) = oneshot::channel();
    let _ = seen.send(Handshake {
        at,
        path,
        headers,
        _open: Some(open),
    });
    // Reads (which answers pings) until the test drops the handshake, then hangs up without
    // a close frame, as a broken connection does.
    tokio::select! {
        _ = dropped => {}
        () = async { while let Some(Ok(_)) = socket.next().await {} } => {}
    }
}

/// The next item, failing the test if none comes within 40 s.
async fn next<E: std::fmt::Debug>(events: &mut Events<E>) -> Result<E, StreamError> {
    tokio::time::timeout(Duration::from_secs(40), events.next())
        .await
        .expect("no item within 40 s")
        .expect("the stream ended")
}

fn ms(millis: u64) -> Duration {
    Duration::from_millis(millis)
}

#[tokio::test]
async fn every_handshake_carries_the_clients_user_agent() {
    bounded(async {
        let mut server = Server::start(vec![Answer::Open]).await;
        let mm = builder_at(&server.url)
            .user_agent("desk/2.1")
            .build()
            .unwrap();
        let expected = format!("desk/2.1 mm-sdk/{}", env!("CARGO_PKG_VERSION"));
        assert_eq!(mm.config().user_agent().to_str().unwrap(), expected);

        let (_quotes, _events) = mm.market_data().connect().await.unwrap();
        let quotes = server.next().await;
        assert_eq!(quotes.path, "/apiQuote/quote_guest");
        assert_eq!(quotes.header("user-agent"), expected);

        let (_push, _events) = mm.data_push().connect().await.unwrap();
        let push = server.next().await;
        assert_eq!(push.path, "/openapi-b/ws");
        assert_eq!(push.header("user-agent"), expected);
    })
    .await;
}

#[tokio::test]
async fn data_push_reconnects_with_the_manager_token_rotated_meanwhile() {
    bounded(async {
        let mut server = Server::start(vec![Answer::Open]).await;
        let mm = builder_at(&server.url).build().unwrap();
        let (_push, mut events) = mm
            .data_push()
            .group("desk")
            .options(Options::default().reconnect(ms(1), ms(5)))
            .connect()
            .await
            .unwrap();
        let first = server.next().await;
        assert_eq!(first.header("token"), MANAGER_TOKEN);
        assert_eq!(first.header("group"), "desk");

        mm.rotate_manager_token(&ManagerToken::new("rotated-token-7d1f"))
            .unwrap();
        // The open connection keeps the token it was opened with; the server now drops it.
        drop(first);
        let lost = next(&mut events).await;
        assert!(
            matches!(lost, Err(StreamError::Disconnected(_))),
            "{lost:?}"
        );
        let second = server.next().await;
        assert_eq!(second.header("token"), "rotated-token-7d1f");
        assert_eq!(second.header("group"), "desk");
        assert_eq!(
            next(&mut events).await,
            Ok(DataPushEvent::Reconnected { gap: Gap::None })
        );
    })
    .await;
}

#[tokio::test(start_paused = true)]
async fn reconnection_waits_stay_within_the_backoff_bounds() {
    bounded(async {
        // Open, then four refusals (a 503 is not fatal: the stream tries again), then open.
        let mut answers = vec![Answer::Open];
        answers.extend([Answer::Refuse(503); 4]);
        answers.push(Answer::Open);
        let mut server = Server::start(answers).await;
        let mm = builder_at(&server.url).build().unwrap();
        let (first, max) = (Duration::from_secs(1), Duration::from_secs(4));
        let backoff = Backoff::new(first, max);
        let (_push, mut events) = mm
            .data_push()
            .options(Options::default().reconnect(first, max))
            .connect()
            .await
            .unwrap();

        let connection = server.next().await;
        let mut last = Instant::now();
        drop(connection);
        let mut waits = Vec::new();
        for _ in 0..5 {
            let attempt = server.next().await;
            waits.push(attempt.at - last);
            last = attempt.at;
        }
        // On the paused clock a wait is exactly the drawn delay, rounded up to tokio's
        // millisecond timer tick.
        for (n, wait) in (1..).zip(&waits) {
            assert!(
                *wait <= backoff.bound(n) + ms(1),
                "wait {n} is {wait:?}, above its bound {:?}",
                backoff.bound(n)
            );
        }
        assert!(
            waits.iter().any(|wait| *wait >= ms(1)),
            "the stream waits before trying again: {waits:?}"
        );

        assert!(matches!(
            next(&mut events).await,
            Err(StreamError::Disconnected(_))
        ));
        for _ in 0..4 {
            assert_eq!(
                next(&mut events).await,
                Err(StreamError::Refused { status: 503 })
            );
        }
        assert_eq!(
            next(&mut events).await,
            Ok(DataPushEvent::Reconnected { gap: Gap::NoGroup })
        );
    })
    .await;
}

#[tokio::test]
async fn the_configured_connect_timeout_bounds_a_handshake_unless_the_options_set_one() {
    bounded(async {
        // Takes each connection and never answers its handshake.
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = Url::parse(&format!("http://{}", listener.local_addr().unwrap())).unwrap();
        tokio::spawn(async move {
            let mut held = Vec::new();
            while let Ok((stream, _)) = listener.accept().await {
                held.push(stream);
            }
        });
        let mm = builder_at(&url).connect_timeout(ms(150)).build().unwrap();
        let error = mm.market_data().connect().await.unwrap_err();
        assert_eq!(
            error,
            StreamError::Connect("no handshake within 150 ms".into())
        );
        let error = mm
            .data_push()
            .options(Options::default().connect_timeout(ms(250)))
            .connect()
            .await
            .unwrap_err();
        assert_eq!(
            error,
            StreamError::Connect("no handshake within 250 ms".into())
        );
    })
    .await;
}

/// The test key of `open_api.rs`.
const TEST_KEY: &str = include_str!("fixtures/open_api_key.pkcs8.b64");

#[tokio::test]
async fn a_failed_token_call_is_the_stream_errors_typed_source() {
    bounded(async {
        let server = MockServer::start().await;
        mount(
            &server,
            "/openapi-c/global/getMsgPushToken",
            failure("OPEN_API_SIGN_ERR", "signature does not match"),
        )
        .await;
        let key = OpenApiKey::new("1710e1f6b4b54c15bea72e8669966591", TEST_KEY).unwrap();
        let mm = builder_for(&server).open_api_key(key).build().unwrap();

        let error = mm.open_messages("sdk-app").connect().await.unwrap_err();
        let StreamError::Call(call) = &error else {
            panic!("expected the failed call, got {error:?}");
        };
        assert_eq!(call.operation(), Some("open_msg_token"));
        let ErrorKind::Api(api) = call.kind() else {
            panic!("expected the API's failure, got {call:?}");
        };
        assert_eq!(
            (api.code.as_str(), api.msg.as_str()),
            ("OPEN_API_SIGN_ERR", "signature does not match")
        );
        let source = std::error::Error::source(&error)
            .and_then(|source| source.downcast_ref::<mm_sdk::Error>())
            .expect("the call's error is the source");
        assert!(std::ptr::eq(source, call.as_ref()));
        assert!(
            error.to_string().contains("signature does not match"),
            "{error}"
        );
        assert!(!error.is_fatal(), "the next reconnection calls again");
        assert_eq!(error.clone(), error, "equal to itself, by the call's kind");
        // Nothing but the token call was sent: no handshake without a token.
        let received = server.received_requests().await.unwrap();
        assert_eq!(received.len(), 1, "{received:?}");
    })
    .await;
}
