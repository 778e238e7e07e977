//! The answers: the envelope of the webhooks, `{"msg","code"}` of the messages.

use bytes::Bytes;
use http::header::{ALLOW, CONTENT_TYPE, HeaderValue};
use http::{Response, StatusCode};
use mm_sdk_core::Envelope;
use serde::Serialize;
use serde_json::Value;

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
        match serde_json::to_value(data) {
            Ok(data) => {
                Self::envelope(StatusCode::OK, trace, codes::SUCCESS, "Success", Some(data))
            }
            Err(_) => Self::failure(trace, codes::HANDLER_FAILED, "the answer cannot be written"),
        }
    }

    /// A webhook's failure: `code`, `msg`, `ok: false`, `fail: true`, no `data`. The status is
    /// the one [`codes`](super::codes) gives `code` (200 for a code it does not know).
    pub fn failure(trace: &str, code: &str, msg: &str) -> Answer {
        Self::envelope(codes::status(code), trace, code, msg, None)
    }

    /// A message callback's answer: `{"msg","code"}`; success is `code` `"200"`.
    pub fn message(code: &str, msg: &str) -> Answer {
        let status = codes::status(code);
        let body = MessageAnswer {
            code: code.to_owned(),
            msg: clip(msg),
        };
        Self::json(status, code, &body)
    }

    /// A message callback's success: `{"msg":"success","code":"200"}`.
    pub fn message_success() -> Answer {
        Self::message(codes::MESSAGE_SUCCESS, "success")
    }

    /// An answer kept by the store (an envelope), sent again with this request's `trace`.
    pub(super) fn stored(trace: &str, mut answer: Value) -> Answer {
        let code = match answer.get("code").and_then(Value::as_str) {
            Some(code) => code.to_owned(),
            None => {
                return Self::failure(trace, codes::STORE_FAILED, "a stored answer is unreadable");
            }
        };
        if let Some(object) = answer.as_object_mut() {
            object.insert("trace".to_owned(), Value::String(trace.to_owned()));
        }
        Self::json(StatusCode::OK, &code, &answer)
    }

    fn envelope(
        status: StatusCode,
        trace: &str,
        code: &str,
        msg: &str,
        data: Option<Value>,
    ) -> Answer {
        let ok = code == codes::SUCCESS;
        let envelope = Envelope {
            msg: clip(msg),
            fail: !ok,
            trace: trace.to_owned(),
            code: code.to_owned(),
            data,
            biz_code: String::new(),
            tm: None,
            msg_params: None,
            ok,
            class: None,
        };
        Self::json(status, code, &envelope)
    }

    fn json<T: Serialize>(status: StatusCode, code: &str, body: &T) -> Answer {
        // Serializing these plain structures cannot fail; an empty object would do if it did.
        let body = serde_json::to_vec(body).unwrap_or_else(|_| b"{}".to_vec());
        Answer {
            status,
            code: code.to_owned(),
            body: Bytes::from(body),
            allow_post: status == StatusCode::METHOD_NOT_ALLOWED,
        }
    }

    /// With this status in place of the one the code gives.
    pub(super) fn with_status(mut self, status: StatusCode) -> Answer {
        self.status = status;
        self.allow_post = status == StatusCode::METHOD_NOT_ALLOWED;
        self
    }

    /// The envelope in the store's form (what a repeat is answered with).
    pub(super) fn to_value(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or(Value::Null)
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
