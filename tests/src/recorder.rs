//! A local HTTP server that records every request and answers each path with the body it was
//! told: what the wire tests send the operations to. It stops when dropped, never blocking.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use mm_sdk_test_support::server::Served;
use serde_json::Value;

/// One request the server received.
#[derive(Debug, Clone)]
pub struct Received {
    /// Its method.
    pub method: Method,
    /// Its path.
    pub path: String,
    /// Its query parameters, decoded, in order.
    pub query: Vec<(String, String)>,
    /// Its headers.
    pub headers: HeaderMap,
    /// Its body.
    pub body: Bytes,
}

#[derive(Debug, Default)]
struct Shared {
    answers: HashMap<String, Value>,
    received: Vec<Received>,
}

/// The server; dropping it stops it.
#[derive(Debug)]
pub struct Recorder {
    server: Served,
    shared: Arc<Mutex<Shared>>,
}

impl Recorder {
    /// Starts a server on a free loopback port.
    pub async fn start() -> Self {
        let shared = Arc::new(Mutex::new(Shared::default()));
        let app = axum::Router::new()
            .fallback(record)
            .with_state(shared.clone());
        let server = Served::start(app).await;
        Self { server, shared }
    }

    /// `http://127.0.0.1:<port>`.
    pub fn base_url(&self) -> url::Url {
        url::Url::parse(&self.server.base_url()).expect("a socket address is a URL")
    }

    /// Answers requests to `path` with `body` (HTTP 200, JSON) from now on.
    pub fn answer(&self, path: &str, body: Value) {
        self.lock().answers.insert(path.to_owned(), body);
    }

    /// The requests received since the last call, oldest first.
    pub fn take(&self) -> Vec<Received> {
        std::mem::take(&mut self.lock().received)
    }

    fn lock(&self) -> MutexGuard<'_, Shared> {
        self.shared.lock().unwrap_or_else(|e| e.into_inner())
    }
}

async fn record(
    State(shared): State<Arc<Mutex<Shared>>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let mut shared = shared.lock().unwrap_or_else(|e| e.into_inner());
    let path = uri.path().to_owned();
    let answer = shared.answers.get(&path).cloned();
    let query = url::form_urlencoded::parse(uri.query().unwrap_or_default().as_bytes())
        .into_owned()
        .collect();
    shared.received.push(Received {
        method,
        path,
        query,
        headers,
        body,
    });
    match answer {
        Some(body) => axum::Json(body).into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}
