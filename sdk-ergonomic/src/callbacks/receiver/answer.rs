//! The answers: the envelope of the webhooks, `{"msg","code"}` of the messages.

use std::borrow::Cow;

use bytes::Bytes;
use http::header::{ALLOW, CONTENT_TYPE, HeaderValue};
use http::{Response, StatusCode};
use mm_sdk_core::Envelope;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::super::store::StoredAnswer;
use super::super::types::MessageAnswer;
use super::codes;

/// The most characters of a `msg` sent: a message names a field or a header, no more.
const MSG_LIMIT: usize = 256;

/// An answer to the platform: an HTTP status and a JSON body.
#[derive(Debug, Clone, PartialEq)]
pub struct Answer {
    status: StatusCode,
    code: String,
    body: Bytes,
    allow_post: bool,
}

impl Answer {
    /// A webhook's success: `code` `"0"`, `ok: true`, and `data`.
    pub fn success<T: Serialize>(trace: &str, data: &T) -> Answer {
        let envelope = Self::envelope(trace, codes::SUCCESS, "Success", Some(data));
        match serde_json::to_vec(&envelope) {
            Ok(body) => Self::from_body(StatusCode::OK, codes::SUCCESS, body),
            Err(_) => Self::failure(trace, codes::HANDLER_FAILED, "the answer cannot be written"),
        }
    }

    /// A webhook's failure: `code`, `msg`, `ok: false`, `fail: true`, no `data`. The status is
    /// the one [`codes`](super::codes) gives `code` (200 for a code it does not know).
    pub fn failure(trace: &str, code: &str, msg: &str) -> Answer {
        let envelope = Self::envelope::<()>(trace, code, msg, None);
        Self::json(codes::status(code), code, &envelope)
    }

    /// A message callback's answer: `{"msg","code"}`; success is `code` `"200"`.
    pub fn message(code: &str, msg: &str) -> Answer {
        let status = codes::status(code);
        let body = MessageAnswer::new(code, clip(msg));
        Self::json(status, code, &body)
    }

    /// A message callback's success: `{"msg":"success","code":"200"}`.
    pub fn message_success() -> Answer {
        Self::message(codes::MESSAGE_SUCCESS, "success")
    }

    /// An answer kept by the store (an envelope), sent again with this request's `trace`: as
    /// kept when the trace is the same, else rewritten with this one.
    pub(super) fn stored(trace: &str, answer: StoredAnswer) -> Answer {
        /// What a repeat needs of the stored envelope.
        #[derive(Deserialize)]
        struct Head<'a> {
            #[serde(borrow)]
            code: Cow<'a, str>,
            #[serde(borrow, default)]
            trace: Cow<'a, str>,
        }
        let unreadable =
            || Self::failure(trace, codes::STORE_FAILED, "a stored answer is unreadable");
        let Ok(head) = serde_json::from_slice::<Head<'_>>(answer.as_bytes()) else {
            return unreadable();
        };
        if head.trace == trace {
            return Self::from_body(StatusCode::OK, &head.code, answer.as_bytes().clone());
        }
        match serde_json::from_slice::<Map<String, Value>>(answer.as_bytes()) {
            Ok(mut envelope) => {
                envelope.insert("trace".to_owned(), Value::String(trace.to_owned()));
                Self::json(StatusCode::OK, &head.code, &envelope)
            }
            Err(_) => unreadable(),
        }
    }

    /// The envelope, borrowing `data`.
    fn envelope<'d, T>(trace: &str, code: &str, msg: &str, data: Option<&'d T>) -> Envelope<&'d T> {
        let ok = code == codes::SUCCESS;
        Envelope {
            msg: clip(msg),
            fail: !ok,
            trace: trace.to_owned(),
            code: code.to_owned(),
            data,
            biz_code: String::new(),
            tm: None,
            msg_params: None,
            ok: Some(ok),
            class: None,
        }
    }

    fn json<T: Serialize>(status: StatusCode, code: &str, body: &T) -> Answer {
        // Serializing these plain structures cannot fail; an empty object would do if it did.
        let body = serde_json::to_vec(body).unwrap_or_else(|_| b"{}".to_vec());
        Self::from_body(status, code, body)
    }

    fn from_body(status: StatusCode, code: &str, body: impl Into<Bytes>) -> Answer {
        Answer {
            status,
            code: code.to_owned(),
            body: body.into(),
            allow_post: status == StatusCode::METHOD_NOT_ALLOWED,
        }
    }

    /// With this status in place of the one the code gives.
    pub(super) fn with_status(mut self, status: StatusCode) -> Answer {
        self.status = status;
        self.allow_post = status == StatusCode::METHOD_NOT_ALLOWED;
        self
    }

    /// The answer as the store keeps it, for its repeats (the same bytes, shared).
    pub(super) fn to_stored(&self) -> StoredAnswer {
        StoredAnswer::new(self.body.clone())
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The body's `code`.
    pub fn code(&self) -> &str {
        &self.code
    }

    /// Whether it is a success (`"0"`, or `"200"` for a message).
    pub fn is_success(&self) -> bool {
        self.code == codes::SUCCESS || self.code == codes::MESSAGE_SUCCESS
    }

    /// The JSON body.
    pub fn body(&self) -> &Bytes {
        &self.body
    }

    /// As an HTTP response: `Content-Type: application/json`, and `Allow: POST` with a 405.
    pub fn into_response(self) -> Response<Bytes> {
        let mut response = Response::new(self.body);
        *response.status_mut() = self.status;
        let headers = response.headers_mut();
        headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        if self.allow_post {
            headers.insert(ALLOW, HeaderValue::from_static("POST"));
        }
        response
    }
}

impl From<Answer> for Response<Bytes> {
    fn from(answer: Answer) -> Self {
        answer.into_response()
    }
}

/// `msg` cut to [`MSG_LIMIT`] characters.
fn clip(msg: &str) -> String {
    match msg.char_indices().nth(MSG_LIMIT) {
        Some((end, _)) => format!("{}...", &msg[..end]),
        None => msg.to_owned(),
    }
}
