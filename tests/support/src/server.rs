//! An axum router served on a free loopback port: the small servers tests stand up of their
//! own. Dropping it stops the server without blocking (unlike a mock server that checks its
//! expectations on drop).

use std::net::SocketAddr;

use tokio::net::TcpListener;
use tokio::sync::oneshot;

/// A router being served; dropping it stops the server.
#[derive(Debug)]
pub struct Served {
    addr: SocketAddr,
    _stop: oneshot::Sender<()>,
}

impl Served {
    /// Serves `app` on `127.0.0.1` at a free port, on the current runtime.
    pub async fn start(app: axum::Router) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("a free loopback port");
        let addr = listener.local_addr().expect("a bound address");
        let (stop, stopped) = oneshot::channel::<()>();
        tokio::spawn(async move {
            let _ = axum::serve(listener, app)
                .with_graceful_shutdown(async {
                    let _ = stopped.await;
                })
                .await;
        });
        Self { addr, _stop: stop }
    }

    /// Where it listens.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:<port>`.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }
}
