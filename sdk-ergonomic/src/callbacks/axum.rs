//! The [`Receiver`] as an axum [`Router`] (feature `axum`).
//!
//! ```no_run
//! # async fn run(receiver: mm_sdk::callbacks::receiver::Receiver) -> std::io::Result<()> {
//! let app = mm_sdk::callbacks::axum::router(receiver);
//! let listener = tokio::net::TcpListener::bind("0.0.0.0:8443").await?;
//! axum::serve(listener, app).await
//! # }
//! ```
//!
//! The router serves the paths of the callbacks the receiver is configured for, every method
//! (a GET is answered 405 in the callbacks' own shape), and reads no more of a body than the
//! receiver's limit. It has no fallback, so it can be merged into an application's router
//! (`app.merge(router)`) or nested under a prefix.

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::rejection::BytesRejection;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{HeaderMap, Method, StatusCode};
use axum::response::Response;
use axum::routing::any;

use super::receiver::{Callback, Reason, Receiver, Rejection, trace_echo};

/// A router serving `receiver`'s callbacks at their [`paths`](super::paths).
pub fn router(receiver: Receiver) -> Router {
    let mut router = Router::new();
    for callback in Callback::ALL {
        if receiver.serves(callback) {
            let serve = move |State(receiver): State<Receiver>,
                              method: Method,
                              headers: HeaderMap,
                              body: Result<Bytes, BytesRejection>| {
                serve(receiver, callback, method, headers, body)
            };
            router = router.route(callback.path(), any(serve));
        }
    }
    router
        .layer(DefaultBodyLimit::max(receiver.body_limit()))
        .with_state(receiver)
}

async fn serve(
    receiver: Receiver,
    callback: Callback,
    method: Method,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let answer = match body {
        Ok(body) => {
            receiver
                .handle_callback(callback, &method, &headers, &body)
                .await
        }
        Err(rejection) => {
            let reason = if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
                Reason::TooLarge {
                    limit: receiver.body_limit(),
                }
            } else {
                Reason::MalformedJson("the body could not be read".to_owned())
            };
            Rejection::new(reason, Some(callback), trace_echo(&headers)).answer()
        }
    };
    let (parts, body) = answer.into_response().into_parts();
    Response::from_parts(parts, Body::from(body))
}
