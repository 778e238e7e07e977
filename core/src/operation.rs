//! What the codegen says about each operation: the facts of its spec that sending it needs.
//!
//! Every generated operation is a `static` [`Operation`]. The one [`call`](crate::call) sends
//! any of them; nothing about an operation is written twice, in the SDK or anywhere else.

use std::fmt;

use http::{HeaderName, Method};

/// The three HTTP APIs, each at its own base URL.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Api {
    /// The Client API (`/api/...`) and its Open API (`/openapi-c/...`).
    Client,
    /// The Manager API (`/openapi-b/...`).
    Manager,
    /// The Auth2 API (`/cats-gateway-auth2/...`).
    Auth2,
}

impl Api {
    /// Every API.
    pub const ALL: [Api; 3] = [Api::Client, Api::Manager, Api::Auth2];

    /// `client`, `manager` or `auth2`, as the specs' `x-mm-api` spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            Api::Client => "client",
            Api::Manager => "manager",
            Api::Auth2 => "auth2",
        }
    }

    /// The API the specs' `x-mm-api` spells `name`.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|api| api.as_str() == name)
    }
}

impl fmt::Display for Api {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What authenticates an operation (the spec's `x-mm-credential`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Credential {
    /// Nothing: anyone may call it.
    None,
    /// A customer's login token ([`LoginToken`](crate::LoginToken)), given to each call.
    ClientLogin,
    /// The operator's Manager token, from the configuration.
    ManagerToken,
    /// The Auth2 application's id and secret, from the configuration, in the body.
    Auth2App,
    /// An Auth2 access token ([`AccessToken`](crate::AccessToken)), given to each call.
    Auth2Access,
    /// A SHA1withRSA signature with the configured Open API key.
    OpenApiSignature,
    /// The configured quote token of the Manager API's market-data service (a token of its
    /// own, not the Manager token), sent as a query parameter.
    QuoteToken,
}

impl Credential {
    /// Every credential.
    pub const ALL: [Credential; 7] = [
        Credential::None,
        Credential::ClientLogin,
        Credential::ManagerToken,
        Credential::Auth2App,
        Credential::Auth2Access,
        Credential::OpenApiSignature,
        Credential::QuoteToken,
    ];

    /// As the specs' `x-mm-credential` spells it: `none`, `client-login`, `manager-token`,
    /// `auth2-app`, `auth2-access`, `open-api-signature` or `quote-token`.
    pub fn as_str(self) -> &'static str {
        match self {
            Credential::None => "none",
            Credential::ClientLogin => "client-login",
            Credential::ManagerToken => "manager-token",
            Credential::Auth2App => "auth2-app",
            Credential::Auth2Access => "auth2-access",
            Credential::OpenApiSignature => "open-api-signature",
            Credential::QuoteToken => "quote-token",
        }
    }

    /// The credential the specs' `x-mm-credential` spells `name`.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == name)
    }

    /// How the documentation names it.
    pub fn describe(self) -> &'static str {
        match self {
            Credential::None => "none",
            Credential::ClientLogin => "the customer's login token",
            Credential::ManagerToken => "the configured Manager token",
            Credential::Auth2App => "the configured Auth2 app credentials",
            Credential::Auth2Access => "an Auth2 access token",
            Credential::OpenApiSignature => "a signature with the configured Open API key",
            Credential::QuoteToken => "the configured quote token",
        }
    }

    /// Whether each call passes the credential itself (rather than the configuration).
    pub fn is_per_call(self) -> bool {
        matches!(self, Credential::ClientLogin | Credential::Auth2Access)
    }
}

/// Whether repeating an operation is harmless (the spec's `x-mm-effect`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Effect {
    /// A read: retried after any transient failure.
    Read,
    /// Changes state: sent again only when the first attempt certainly never left this
    /// machine.
    Write,
}

impl Effect {
    /// Every effect.
    pub const ALL: [Effect; 2] = [Effect::Read, Effect::Write];

    /// `read` or `write`, as the specs' `x-mm-effect` spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            Effect::Read => "read",
            Effect::Write => "write",
        }
    }

    /// The effect the specs' `x-mm-effect` spells `name`.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|e| e.as_str() == name)
    }

    /// What the documentation says of its retries.
    pub fn describe(self) -> &'static str {
        match self {
            Effect::Read => "yes, on transient failures (a read)",
            Effect::Write => {
                "only when the request certainly never left this machine (it changes state)"
            }
        }
    }
}

/// Where a request header's value comes from (the spec's `x-mm-headers`, or the call).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Source {
    /// A fresh trace id per call, the same on each of its attempts.
    Trace,
    /// The configured company id.
    CompanyId,
    /// The configured language.
    Lang,
    /// The configured API version.
    Version,
    /// The operation's credential: the Manager token or the token given to the call.
    Credential,
    /// The time of the attempt in milliseconds since the Unix epoch.
    Timestamp,
    /// The configured Open API key's `apiKey`.
    ApiKey,
    /// The Open API signature of the body and the timestamp.
    Signature,
    /// The configured Open API time window in milliseconds; left out when none is set.
    RecvWindow,
    /// A fresh idempotency key per call (a random UUID), the same on each of its attempts:
    /// the gateway answers a repeated key with the first attempt's result, so a write that
    /// carries one may be retried after a timeout.
    IdempotencyKey,
    /// A value fixed by the spec (a header whose schema allows one value).
    Fixed(&'static str),
    /// The call's argument at this index (a header or query parameter the caller gives).
    Argument(usize),
    /// The request itself, as the operation's [`Encoding`] writes it: a query parameter
    /// that carries the request as JSON (the body is then empty).
    Request,
}

impl Source {
    /// The sources the specs' `x-mm-headers` may name, as they spell them.
    pub const FILLED: [(&'static str, Source); 10] = [
        ("trace", Source::Trace),
        ("company-id", Source::CompanyId),
        ("lang", Source::Lang),
        ("version", Source::Version),
        ("credential", Source::Credential),
        ("timestamp", Source::Timestamp),
        ("api-key", Source::ApiKey),
        ("signature", Source::Signature),
        ("recv-window", Source::RecvWindow),
        ("idempotency-key", Source::IdempotencyKey),
    ];

    /// The source the specs' `x-mm-headers` spells `name`.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::FILLED
            .into_iter()
            .find(|(spelling, _)| *spelling == name)
            .map(|(_, source)| source)
    }
}

/// One request header of an operation.
#[derive(Debug, Clone)]
pub struct Header {
    /// The header's name, lower case: hyper sends it so whatever the spec's spelling, and
    /// header names are case-insensitive. Letters, digits, `-` and `_` only (the codegen
    /// checks).
    pub name: &'static str,
    /// Where its value comes from.
    pub source: Source,
    /// Whether the spec requires it; an optional header without a value is left out.
    pub required: bool,
}

impl Header {
    /// A header: what the generated code writes.
    pub const fn new(name: &'static str, source: Source, required: bool) -> Self {
        Self {
            name,
            source,
            required,
        }
    }

    /// The name as a header name.
    pub fn header_name(&self) -> HeaderName {
        HeaderName::from_static(self.name)
    }
}

/// One query parameter of an operation.
#[derive(Debug, Clone)]
pub struct QueryParam {
    /// The parameter's name, as the spec spells it.
    pub name: &'static str,
    /// Where its value comes from: [`Source::Credential`], [`Source::Argument`] or
    /// [`Source::Request`].
    pub source: Source,
    /// Whether the spec requires it; an optional parameter without a value is left out.
    pub required: bool,
}

impl QueryParam {
    /// A query parameter: what the generated code writes.
    pub const fn new(name: &'static str, source: Source, required: bool) -> Self {
        Self {
            name,
            source,
            required,
        }
    }
}

/// How the request is written (the spec's request media type and shape).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Encoding {
    /// The request as JSON.
    Json,
    /// `{"trace": <the call's trace id>, "data": <the request as JSON>}`: the quote service's
    /// requests carry their trace inside (the spec's request schema is exactly `trace` and
    /// `data`).
    Traced,
    /// `multipart/form-data`: one part per field of the request, a text part for a string,
    /// number or boolean and a file part for an [`Upload`](crate::Upload).
    Multipart,
    /// No request at all (a `GET` whose parameters are its arguments): no body is sent.
    None,
}

/// The envelope a successful answer comes in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum EnvelopeKind {
    /// The platform's `{code, ok, msg, data, ...}` ([`Envelope`](crate::Envelope)).
    Platform,
    /// The quote service's `{ret, msg, trace, data}`
    /// ([`QuoteEnvelope`](crate::QuoteEnvelope)), `ret` 200 for success.
    Quote,
}

/// An operation of the specs, as the codegen emits it (a `static`), or a raw call made up
/// at run time ([`RawCall`](crate::RawCall)).
pub struct Operation<'a> {
    /// Which API's base URL the path is appended to.
    pub api: Api,
    /// The `operationId`.
    pub id: &'static str,
    /// The operation's group within its API (the spec's `x-mm-group`).
    pub group: &'static str,
    /// The HTTP method.
    pub method: Method,
    /// The path from the host root.
    pub path: &'a str,
    /// Every request header, in the spec's order.
    pub headers: &'a [Header],
    /// Every query parameter, in the spec's order.
    pub query: &'a [QueryParam],
    /// How the request is written; it goes in the body unless a query parameter carries it
    /// ([`Source::Request`]) or there is none ([`Encoding::None`]).
    pub encoding: Encoding,
    /// The envelope of the answer.
    pub envelope: EnvelopeKind,
    /// What authenticates it.
    pub credential: Credential,
    /// Whether it may be retried.
    pub effect: Effect,
    /// Whether a successful answer carries no `data` (the spec's `x-mm-returns: nothing`).
    pub returns_nothing: bool,
    /// The operation's request and response types, erased: lets tools drive any operation
    /// from JSON.
    pub codec: &'a dyn Codec,
}

impl Operation<'_> {
    /// Whether the request goes in a query parameter rather than in the body.
    pub fn request_in_query(&self) -> bool {
        self.query
            .iter()
            .any(|param| param.source == Source::Request)
    }

    /// Whether a call sends a body: not when the request goes in the query or there is none.
    pub fn has_body(&self) -> bool {
        self.encoding != Encoding::None && !self.request_in_query()
    }

    /// Whether each call carries an idempotency key ([`Source::IdempotencyKey`]): the server
    /// then answers a repeated attempt with the first one's result, so a write too may be
    /// retried after a timeout or a transient failure.
    pub fn is_idempotent(&self) -> bool {
        self.headers
            .iter()
            .any(|header| header.source == Source::IdempotencyKey)
    }

    /// Whether an attempt that failed with `error` may be sent again: always when it never
    /// left this machine; otherwise only a transient failure of a read, or of a write the
    /// server deduplicates by its idempotency key.
    pub fn may_retry(&self, error: &crate::Error) -> bool {
        match error.kind() {
            crate::ErrorKind::Transport { connect: true } => true,
            _ => (self.effect == Effect::Read || self.is_idempotent()) && error.is_retryable(),
        }
    }
}

impl fmt::Debug for Operation<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Operation")
            .field("api", &self.api)
            .field("id", &self.id)
            .field("method", &self.method)
            .field("path", &self.path)
            .field("credential", &self.credential)
            .field("effect", &self.effect)
            .finish_non_exhaustive()
    }
}

/// An operation's request and response types, behind JSON: what the tests and the
/// conformance runs use to send every operation from its documented examples.
pub trait Codec: Sync {
    /// `json` read as the request type and written again as it goes on the wire.
    fn request(&self, json: &[u8]) -> Result<Vec<u8>, serde_json::Error>;
    /// A response body decoded as the call decodes it, its `data` written back as JSON.
    fn response(&self, op: &Operation<'_>, body: &[u8]) -> Result<serde_json::Value, crate::Error>;
}
