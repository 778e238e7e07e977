//! The receiver as a `tower_service::Service` of `http::Request<B>`, for any request body `B`
//! of http-body 1: the vocabulary axum (0.7 and 0.8), hyper 1 (through hyper-util) and the
//! frameworks built on tower share, whatever their own major version. A body is read up to
//! the receiver's limit and no further, and only for a request that can be served.

use std::convert::Infallible;
use std::error::Error;
use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::Bytes;
use futures::future::BoxFuture;
use http::{Method, Request, Response};
use http_body::{Body, Frame, SizeHint};
use http_body_util::{BodyExt, LengthLimitError, Limited};
use tower_service::Service;
use tracing::debug;

use super::parse::trace_echo;
use super::{Answer, Reason, Receiver, Rejection};

/// Serves every path: a request at none of the callbacks' paths is answered 404
/// ([`codes::UNKNOWN_PATH`](super::codes::UNKNOWN_PATH)), so the receiver can be an
/// application's fallback as well as the service of a few routes or of a nested prefix (which
/// the framework strips). Answers as [`Receiver::handle`] does, and never fails.
impl<B> Service<Request<B>> for Receiver
where
    B: Body + Send + 'static,
    B::Data: Send,
    B::Error: Into<Box<dyn Error + Send + Sync>>,
{
    type Response = Response<AnswerBody>;
    type Error = Infallible;
    type Future = BoxFuture<'static, Result<Response<AnswerBody>, Infallible>>;

    /// Always ready: each request waits on its own work only.
    fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, request: Request<B>) -> Self::Future {
        let receiver = self.clone();
        Box::pin(async move { Ok(receiver.serve(request).await) })
    }
}

impl Receiver {
    /// Answers a request whose body is still to be read.
    async fn serve<B>(&self, request: Request<B>) -> Response<AnswerBody>
    where
        B: Body,
        B::Error: Into<Box<dyn Error + Send + Sync>>,
    {
        let (parts, body) = request.into_parts();
        let callback = match Self::route(&parts) {
            Ok(callback) => callback,
            Err(unknown) => return answer_response(unknown),
        };
        // A callback not served here, or not POSTed, is refused whatever it carries: its body
        // is left unread.
        let body = if self.serves(callback) && parts.method == Method::POST {
            match read(body, self.body_limit()).await {
                Ok(body) => body,
                Err(reason) => {
                    debug!(%callback, %reason, "callback refused");
                    let rejection =
                        Rejection::new(reason, Some(callback), trace_echo(&parts.headers));
                    return answer_response(rejection.answer());
                }
            }
        } else {
            Bytes::new()
        };
        let answer = self
            .handle_callback(callback, &parts.method, &parts.headers, &body)
            .await;
        answer_response(answer)
    }
}

/// The body, at most `limit` bytes of it: [`Reason::TooLarge`] past them (before reading
/// anything when the body announces a larger size), [`Reason::MalformedJson`] when the body
/// fails before its end.
async fn read<B>(body: B, limit: usize) -> Result<Bytes, Reason>
where
    B: Body,
    B::Error: Into<Box<dyn Error + Send + Sync>>,
{
    let too_large = Reason::TooLarge { limit };
    if body.size_hint().lower() > u64::try_from(limit).unwrap_or(u64::MAX) {
        return Err(too_large);
    }
    match Limited::new(body, limit).collect().await {
        Ok(collected) => Ok(collected.to_bytes()),
        Err(error) if error.is::<LengthLimitError>() => Err(too_large),
        Err(error) => {
            debug!(%error, "a callback's body could not be read");
            Err(Reason::MalformedJson(
                "the body could not be read".to_owned(),
            ))
        }
    }
}

fn answer_response(answer: Answer) -> Response<AnswerBody> {
    answer.into_response().map(|json| AnswerBody(Some(json)))
}

/// The body of the service's answers: the answer's JSON, in one frame.
#[derive(Debug, Clone)]
pub struct AnswerBody(Option<Bytes>);

impl Body for AnswerBody {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(
        self: Pin<&mut Self>,
        _: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        Poll::Ready(self.get_mut().0.take().map(|json| Ok(Frame::data(json))))
    }

    fn is_end_stream(&self) -> bool {
        self.0.is_none()
    }

    fn size_hint(&self) -> SizeHint {
        let length = self.0.as_ref().map_or(0, Bytes::len);
        SizeHint::with_exact(u64::try_from(length).unwrap_or(u64::MAX))
    }
}
