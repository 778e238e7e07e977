//! A call of any path, for what the specs do not have yet: the same runtime as every
//! operation (its headers, signature, retries, envelope and errors), with JSON in and out.

use std::fmt;

use http::Method;

use crate::call::Options;
use crate::error::{Error, ErrorKind};
use crate::execute::{Answered, Args, Read};
use crate::operation::{
    Api, Credential, Effect, Encoding, EnvelopeKind, Header, Operation, Source,
};
use crate::runtime::Runtime;
use crate::secret::{AccessToken, LoginToken};

/// A request to any path of one of the APIs, sent as the generated operations are: the
/// headers the API's spec fills (trace, company id, language, version, the credential), the
/// Open API signature when asked for, retries by its effect, and the platform's envelope
/// read into the `data` or an [`Error`].
///
/// Use it for an operation upstream has and the specs do not yet; everything else has a
/// typed method. It is a write unless marked [`read`](RawCall::read): a write is sent again
/// only when it certainly never left this machine, except a write of the Client API's
/// gateway (`/api/...`, not signed), which carries an idempotency key as the generated ones
/// do and is retried like a read (the gateway answers a repeated key with the first result).
/// The quote service, whose envelope is another, is not reachable this way. A header the
/// SDK does not fill (the trading gateway's `group`, say) is an option of the call:
/// `mm.call_raw(&raw).header("group", "tradeApi")`.
#[derive(Clone)]
#[must_use]
pub struct RawCall {
    api: Api,
    method: Method,
    path: String,
    effect: Effect,
    credential: Credential,
    token: Option<Token>,
    query: Vec<(String, String)>,
    body: Option<serde_json::Value>,
}

#[derive(Clone)]
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
            query: Vec::new(),
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

    /// A query parameter, added to those given before.
    pub fn query(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.query.push((name.into(), value.into()));
        self
    }

    /// Marks the call a read: retried on transient failures, as a read operation is.
    pub fn read(mut self) -> Self {
        self.effect = Effect::Read;
        self
    }

    /// Authenticates it with a customer's login token (the Client and Auth2 APIs).
    pub fn login_token(mut self, token: &LoginToken) -> Self {
        self.credential = Credential::ClientLogin;
        self.token = Some(Token::Login(token.clone()));
        self
    }

    /// Authenticates it with an Auth2 access token (the Auth2 API).
    pub fn access_token(mut self, token: &AccessToken) -> Self {
        self.credential = Credential::Auth2Access;
        self.token = Some(Token::Access(token.clone()));
        self
    }

    /// Authenticates it as the Manager API's operator: with the configured Manager token, or
    /// the call's own ([`Call::manager_token`](crate::Call::manager_token)).
    pub fn as_manager(mut self) -> Self {
        self.credential = Credential::ManagerToken;
        self.token = None;
        self
    }

    /// Signs it with the configured Open API key (the Client API's `/openapi-c/...`):
    /// SHA1withRSA over the body and a timestamp, afresh on every attempt.
    pub fn signed(mut self) -> Self {
        self.credential = Credential::OpenApiSignature;
        self.token = None;
        self
    }

    /// Sends it through `runtime` with the headers of `template` that its credential and
    /// path call for (the API's `x-mm-headers`, as the generated crates give them); the
    /// answer's `data` (`null` when a success carries none) goes to `read`.
    pub(crate) async fn send(
        &self,
        runtime: &Runtime,
        template: &[Header],
        options: &Options<'_>,
        read: &mut Read<'_>,
    ) -> Result<Answered, Error> {
        let invalid = |why: String| Error::new(ErrorKind::InvalidInput(why)).with_operation("raw");
        if !self.path.starts_with('/') || self.path.contains(['?', '#']) {
            return Err(invalid(format!(
                "the path `{}` must start with `/` and hold no query or fragment (give query \
                 parameters with `RawCall::query`)",
                self.path.escape_debug()
            )));
        }
        if !self.fits_its_api() {
            return Err(invalid(format!(
                "{} does not authenticate calls of the {} API",
                self.credential.describe(),
                self.api
            )));
        }
        let extra_query: Vec<(&str, &str)> = self
            .query
            .iter()
            .map(|(name, value)| (name.as_str(), value.as_str()))
            .collect();
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
            // A success without `data` is a success here too: see `data`.
            returns_nothing: false,
            paging: None,
            rules: &[],
            codec: &crate::decode::Types::<serde_json::Value, serde_json::Value>::NEW,
            open_api: None,
        };
        let body = match &self.body {
            Some(_) if !has_body => return Err(invalid("a `GET` carries no body".into())),
            Some(body) => serde_json::to_vec(body),
            None => Ok(b"{}".to_vec()),
        }
        .map_err(|e| invalid(format!("the body cannot be written as JSON: {e}")))?;
        let token = self.token.as_ref().map(|token| match token {
            Token::Login(token) => token.expose_secret(),
            Token::Access(token) => token.expose_secret(),
        });
        let args = Args {
            token,
            arguments: &[],
            extra_query: &extra_query,
        };
        runtime
            .execute(&op, &args, options, bytes::Bytes::from(body), read)
            .await
    }

    /// The `data` of a raw call's answer: what a success carries, `null` when it carries none
    /// (the caller reads what there is).
    pub(crate) fn data(body: &[u8], op: &Operation<'_>) -> Result<serde_json::Value, Error> {
        match crate::decode::decode::<serde_json::Value>(body, op) {
            Err(e) if *e.kind() == ErrorKind::MissingData => Ok(serde_json::Value::Null),
            other => other,
        }
    }

    /// Whether its credential authenticates calls of its API: a login token the Client and
    /// Auth2 APIs (Auth2's code is issued for a signed-in customer), an access token the
    /// Auth2 API, the Manager token the Manager API, the signature the Client API.
    fn fits_its_api(&self) -> bool {
        match self.credential {
            Credential::None => true,
            Credential::ClientLogin => matches!(self.api, Api::Client | Api::Auth2),
            Credential::Auth2Access => self.api == Api::Auth2,
            Credential::ManagerToken => self.api == Api::Manager,
            Credential::OpenApiSignature => self.api == Api::Client,
            _ => false,
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
            // What upstream's gateway documents the key for: its `/api` routes, not signed.
            Source::IdempotencyKey => {
                self.effect == Effect::Write
                    && self.api == Api::Client
                    && self.path.starts_with("/api/")
                    && self.credential != Credential::OpenApiSignature
            }
            Source::Trace | Source::CompanyId | Source::Lang | Source::Version => true,
            Source::Fixed(_) | Source::Argument(_) | Source::Request => false,
        }
    }
}

impl fmt::Debug for RawCall {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The body and the query's values may hold secrets (a password's digest, a code).
        f.debug_struct("RawCall")
            .field("api", &self.api)
            .field("method", &self.method)
            .field("path", &self.path)
            .field("effect", &self.effect)
            .field("credential", &self.credential)
            .field(
                "query",
                &self.query.iter().map(|(n, _)| n).collect::<Vec<_>>(),
            )
            .field("body", &self.body.as_ref().map(|_| "<json>"))
            .finish()
    }
}
