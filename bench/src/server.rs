//! A local HTTP server answering the benchmarked operations with fixed envelopes, counting the
//! connections it accepts so that connection reuse can be checked.

use std::collections::{BTreeMap, BTreeSet};
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::JoinHandle;

use axum::Router;
use axum::body::Bytes;
use axum::http::HeaderMap;
use axum::http::header::CONTENT_TYPE;
use axum::response::IntoResponse;
use axum::routing::post;
use axum::serve::ListenerExt;
use tokio::sync::oneshot;

use crate::fixtures;

/// Path of the Auth2 `user_info` operation.
pub const USER_INFO_PATH: &str = "/cats-gateway-auth2/auth2/user";
/// Path of the Client API `login` operation.
pub const LOGIN_PATH: &str = "/api/login/customer.app.CustomerWebApiService.login";
/// Path of the Manager API `customer_list` operation.
pub const CUSTOMER_LIST_PATH: &str = "/openapi-b/customer.admin.WhiteCustomerAdminApiService.page";

/// The server, running on its own thread and runtime so that it never competes with the
/// measured client for a runtime's workers. Stops when dropped.
#[derive(Debug)]
pub struct Server {
    addr: SocketAddr,
    connections: Arc<AtomicU64>,
    /// The header names of the requests to each path, when started to record them.
    headers: Option<Headers>,
    shutdown: Option<oneshot::Sender<()>>,
    thread: Option<JoinHandle<std::io::Result<()>>>,
}

/// The names of the headers each path was sent, lower case.
type Headers = Arc<Mutex<BTreeMap<String, BTreeSet<String>>>>;

impl Server {
    /// Starts a server on an ephemeral port of 127.0.0.1.
    pub fn start() -> std::io::Result<Self> {
        Self::start_with(None)
    }

    /// Starts a server that also records the names of the headers each path is sent (see
    /// [`Server::header_names`]): for the tests, never while measuring.
    pub fn start_recording() -> std::io::Result<Self> {
        Self::start_with(Some(Headers::default()))
    }

    fn start_with(headers: Option<Headers>) -> std::io::Result<Self> {
        let recorded = headers.clone();
        let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
        listener.set_nonblocking(true)?;
        let addr = listener.local_addr()?;
        let connections = Arc::new(AtomicU64::new(0));
        let counter = Arc::clone(&connections);
        let (shutdown, stop) = oneshot::channel::<()>();
        let thread = std::thread::Builder::new()
            .name("bench-server".into())
            .spawn(move || {
                let runtime = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()?;
                runtime.block_on(async move {
                    let listener = tokio::net::TcpListener::from_std(listener)?.tap_io(
                        move |stream: &mut tokio::net::TcpStream| {
                            counter.fetch_add(1, Ordering::Relaxed);
                            // As any production server: no Nagle delay on small answers.
                            let _ = stream.set_nodelay(true);
                        },
                    );
                    axum::serve(listener, router(recorded))
                        .with_graceful_shutdown(async {
                            let _ = stop.await;
                        })
                        .await
                })
            })?;
        Ok(Self {
            addr,
            connections,
            headers,
            shutdown: Some(shutdown),
            thread: Some(thread),
        })
    }

    /// `http://127.0.0.1:<port>`, the base URL of every API.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The names of the headers `path` has been sent (empty unless started recording).
    pub fn header_names(&self, path: &str) -> BTreeSet<String> {
        self.headers
            .as_ref()
            .and_then(|headers| {
                headers
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .get(path)
                    .cloned()
            })
            .unwrap_or_default()
    }

    /// Connections accepted so far.
    pub fn connections(&self) -> u64 {
        self.connections.load(Ordering::Relaxed)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn router(headers: Option<Headers>) -> Router {
    let user_info = Bytes::from_static(fixtures::USER_INFO.as_bytes());
    let login = Bytes::from_static(fixtures::LOGIN.as_bytes());
    let page = Bytes::from(fixtures::customer_page(fixtures::LARGE_PAGE_ROWS));
    let answers = [
        (USER_INFO_PATH, user_info),
        (LOGIN_PATH, login),
        (CUSTOMER_LIST_PATH, page),
    ];
    // Each handler reads the whole request, so that the connection stays reusable. Only a
    // recording server looks at the headers: a measured one does the same work for both sides.
    answers
        .into_iter()
        .fold(Router::new(), |router, (path, answer)| match &headers {
            None => router.route(path, post(move |_: Bytes| json(answer.clone()))),
            Some(headers) => {
                let headers = Arc::clone(headers);
                router.route(
                    path,
                    post(move |sent: HeaderMap, _: Bytes| {
                        headers
                            .lock()
                            .unwrap_or_else(PoisonError::into_inner)
                            .entry(path.to_owned())
                            .or_default()
                            .extend(sent.keys().map(|name| name.as_str().to_owned()));
                        json(answer.clone())
                    }),
                )
            }
        })
}

async fn json(body: Bytes) -> impl IntoResponse {
    ([(CONTENT_TYPE, "application/json")], body)
}
