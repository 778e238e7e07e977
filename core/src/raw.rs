//! A call of any path, for what the specs do not have yet: the same runtime as every
//! operation (its headers, signature, retries, envelope and errors), with JSON in and out.

use http::Method;

use crate::call::{Args, Types, call_json};
use crate::error::{Error, ErrorKind};
use crate::operation::{
    Api, Credential, Effect, Encoding, EnvelopeKind, Header, Operation, Source,
};
use crate::runtime::Runtime;
use crate::secret::{AccessToken, LoginToken};

/// A request to any path of one of the APIs, sent as the generated operations are: the
/// headers the API's spec fills (trace, company id, language, version, the credential), the
/// Open API signature when asked for, retries by its effect, and the envelope read into the
/// `data` or an [`Error`].
///
/// Use it for an operation upstream has and the specs do not yet; everything else has a
/// typed method. It is a write unless marked [`read`](RawCall::read): a write is sent again
/// only when it certainly never left this machine.
#[derive(Debug, Clone)]
#[must_use]
pub struct RawCall {
    api: Api,
    method: Method,
    path: String,
    effect: Effect,
    credential: Credential,
    token: Option<Token>,
    body: Option<serde_json::Value>,
}

#[derive(Debug, Clone)]
enum Token {
    Login(LoginToken),
    Access(AccessToken),
}

impl RawCall {
    /// A `POST` of `path` (from the host root, e.g. `/api/global/...`) on `api`'s host, with
    /// the body `{}` unless [`json`](RawCall::json) gives one.
    pub fn post(api: Api, path: impl Into<String>) -> Self {
        Self::new(api, Method::POST, path.into())
    }

    /// A `GET` of `path` on `api`'s host, without a body.
    pub fn get(api: Api, path: impl Into<String>) -> Self {
        Self::new(api, Method::GET, path.into()).read()
    }

    fn new(api: Api, method: Method, path: String) -> Self {
        Self {
            api,
            method,
            path,
            effect: Effect::Write,
            credential: Credential::None,
            token: None,
            body: None,
        }
    }

    /// The API it goes to.
    pub fn api(&self) -> Api {
        self.api
    }

    /// The JSON body.
    pub fn json(mut self, body: serde_json::Value) -> Self {
        self.body = Some(body);
        self
    }

    /// Marks the call a read: retried on transient failures, as a read operation is.
    pub fn read(mut self) -> Self {
        self.effect = Effect::Read;
        self
    }

    /// Authenticates it with a customer's login token.
    pub fn login_token(mut self, token: &LoginToken) -> Self {
        self.credential = Credential::ClientLogin;
        self.token = Some(Token::Login(token.clone()));
        self
    }

    /// Authenticates it with an Auth2 access token.
    pub fn access_token(mut self, token: &AccessToken) -> Self {
        self.credential = Credential::Auth2Access;
        self.token = Some(Token::Access(token.clone()));
        self
    }

    /// Authenticates it with the configured Manager token.
    pub fn manager_token(mut self) -> Self {
        self.credential = Credential::ManagerToken;
        self.token = None;
        self
    }

    /// Signs it with the configured Open API key (SHA1withRSA over the body and a timestamp,
    /// afresh on every attempt).
    pub fn signed(mut self) -> Self {
        self.credential = Credential::OpenApiSignature;
        self.token = None;
        self
    }

    /// Sends it through `runtime` with the headers of `template` that its credential and
    /// effect call for (the API's `x-mm-headers`, as the generated crates give them), and
    /// returns the answer's `data`.
    #[doc(hidden)]
    pub async fn send(
        &self,
        runtime: &Runtime,
        template: &[Header],
    ) -> Result<serde_json::Value, Error> {
        let invalid = |why: String| Error::new(ErrorKind::InvalidInput(why)).with_operation("raw");
        if !self.path.starts_with('/') || self.path.contains(['?', '#']) {
            return Err(invalid(format!(
                "the path `{}` must start with `/` and hold no query or fragment",
                self.path.escape_debug()
            )));
        }
        let headers: Vec<Header> = template
            .iter()
            .filter(|header| self.sends(header.source))
            .map(|header| Header {
                required: header.source == Source::Credential,
                ..header.clone()
            })
            .collect();
        let has_body = self.method != Method::GET;
        let op = Operation {
            api: self.api,
            id: "raw",
            group: "raw",
            method: self.method.clone(),
            path: &self.path,
            headers: &headers,
            query: &[],
            encoding: if has_body {
                Encoding::Json
            } else {
                Encoding::None
            },
            envelope: EnvelopeKind::Platform,
            credential: self.credential,
            effect: self.effect,
            returns_nothing: false,
            codec: &Types::<serde_json::Value, serde_json::Value>::NEW,
        };
        let body = match &self.body {
            Some(body) if has_body => serde_json::to_vec(body)
                .map_err(|e| invalid(format!("the body cannot be written as JSON: {e}")))?,
            Some(_) => return Err(invalid("a `GET` carries no body".into())),
            None => b"{}".to_vec(),
        };
        let token = self.token.as_ref().map(|token| match token {
            Token::Login(token) => token.expose_secret(),
            Token::Access(token) => token.expose_secret(),
        });
        let args = Args {
            credential: token,
            arguments: &[],
        };
        let data = call_json(runtime, &op, args, &body).await;
        // A success without `data` is a success here: the caller reads what there is.
        match data {
            Err(error) if matches!(error.kind(), ErrorKind::MissingData) => {
                Ok(serde_json::Value::Null)
            }
            other => other,
        }
    }

    /// Whether a header filled from `source` goes with this call.
    fn sends(&self, source: Source) -> bool {
        match source {
            Source::Credential => matches!(
                self.credential,
                Credential::ClientLogin | Credential::Auth2Access | Credential::ManagerToken
            ),
            Source::Timestamp | Source::ApiKey | Source::Signature | Source::RecvWindow => {
                self.credential == Credential::OpenApiSignature
            }
            Source::IdempotencyKey => self.effect == Effect::Write,
            Source::Trace | Source::CompanyId | Source::Lang | Source::Version => true,
            Source::Fixed(_) | Source::Argument(_) | Source::Request => false,
        }
    }
}
