//! A local HTTP server answering the benchmarked operations with fixed envelopes, counting the
//! connections it accepts so that connection reuse can be checked.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::thread::JoinHandle;

use axum::Router;
use axum::body::Bytes;
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
    shutdown: Option<oneshot::Sender<()>>,
    thread: Option<JoinHandle<std::io::Result<()>>>,
}

impl Server {
    /// Starts a server on an ephemeral port of 127.0.0.1.
    pub fn start() -> std::io::Result<Self> {
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
                    axum::serve(listener, router())
                        .with_graceful_shutdown(async {
                            let _ = stop.await;
                        })
                        .await
                })
            })?;
        Ok(Self {
            addr,
            connections,
            shutdown: Some(shutdown),
            thread: Some(thread),
        })
    }

    /// `http://127.0.0.1:<port>`, the base URL of every API.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
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

fn router() -> Router {
    let user_info = Bytes::from_static(fixtures::USER_INFO.as_bytes());
    let login = Bytes::from_static(fixtures::LOGIN.as_bytes());
    let page = Bytes::from(fixtures::customer_page(fixtures::LARGE_PAGE_ROWS));
    // Each handler reads the whole request, so that the connection stays reusable.
    Router::new()
        .route(
            USER_INFO_PATH,
            post(move |_: Bytes| json(user_info.clone())),
        )
        .route(LOGIN_PATH, post(move |_: Bytes| json(login.clone())))
        .route(CUSTOMER_LIST_PATH, post(move |_: Bytes| json(page.clone())))
}

async fn json(body: Bytes) -> impl IntoResponse {
    ([(CONTENT_TYPE, "application/json")], body)
}
