//! The words of the specs' `x-mm-*` facts, shared by the codegen (which reads them from the
//! specs) and the runtime (which acts on them): which API, which credential, whether a call
//! may be repeated, where each header's value comes from, how a request is written and which
//! envelope its answer comes in; and the categories of the error codes. Nothing here sends
//! anything.

#![deny(missing_docs)]

use std::fmt;

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
    pub const ALL: &'static [Api] = &[Api::Client, Api::Manager, Api::Auth2];

    /// Its position in [`Api::ALL`], to index what is kept per API.
    pub const fn index(self) -> usize {
        match self {
            Api::Client => 0,
            Api::Manager => 1,
            Api::Auth2 => 2,
        }
    }

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
        Self::ALL.iter().copied().find(|api| api.as_str() == name)
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
    /// A customer's login token (`LoginToken`), given to each call.
    ClientLogin,
    /// The operator's Manager token, from the configuration.
    ManagerToken,
    /// The Auth2 application's id and secret, from the configuration, in the body.
    Auth2App,
    /// An Auth2 access token (`AccessToken`), given to each call.
    Auth2Access,
    /// A SHA1withRSA signature with the configured Open API key.
    OpenApiSignature,
    /// The configured quote token of the Manager API's market-data service (a token of its
    /// own, not the Manager token), sent as a query parameter.
    QuoteToken,
}

impl Credential {
    /// Every credential.
    pub const ALL: &'static [Credential] = &[
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
        Self::ALL.iter().copied().find(|c| c.as_str() == name)
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
        self.per_call_secret().is_some()
    }

    /// The runtime's secret type a call passes, for a credential given per call.
    pub fn per_call_secret(self) -> Option<&'static str> {
        match self {
            Credential::ClientLogin => Some("LoginToken"),
            Credential::Auth2Access => Some("AccessToken"),
            _ => None,
        }
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
    pub const ALL: &'static [Effect] = &[Effect::Read, Effect::Write];

    /// `read` or `write`, as the specs' `x-mm-effect` spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            Effect::Read => "read",
            Effect::Write => "write",
        }
    }

    /// The effect the specs' `x-mm-effect` spells `name`.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|e| e.as_str() == name)
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

/// How the request is written (the spec's request media type and shape).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Encoding {
    /// The request as JSON.
    Json,
    /// `{"trace": <the call's trace id>, "data": <the request as JSON>}`: the quote service's
    /// requests carry their trace inside (the spec's request schema is exactly `trace` and
    /// `data`).
    Traced,
    /// `multipart/form-data`: one part per field of the request, a text part for a string,
    /// number or boolean and a file part for an `Upload`.
    Multipart,
    /// No request at all (a `GET` whose parameters are its arguments): no body is sent.
    None,
}

/// The envelope a successful answer comes in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EnvelopeKind {
    /// The platform's `{code, ok, msg, data, ...}` (`Envelope`).
    Platform,
    /// The quote service's `{ret, msg, trace, data}`
    /// (`QuoteEnvelope`), `ret` 200 for success.
    Quote,
}

/// What kind of failure an error code reports (the `category` of an entry of
/// `openapi/codes/error-codes.yaml`), for deciding how to react without knowing each code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Category {
    /// A session, token, key, signature, password or one-time code was missing, refused or
    /// has expired; or the caller may not do this.
    Authentication,
    /// A value of the request is missing or invalid.
    Validation,
    /// Balances, limits or payments stand in the way (not enough funds, say).
    Funds,
    /// The trading rules refuse the order or the position change.
    Trading,
    /// Too many calls, or too many attempts, in a period.
    RateLimit,
    /// The server or a service behind it failed.
    Server,
    /// What the call names does not exist.
    NotFound,
    /// What the call names is in a state that does not allow it (already done, locked,
    /// still in progress).
    State,
}

impl Category {
    /// Every category.
    pub const ALL: &'static [Category] = &[
        Category::Authentication,
        Category::Validation,
        Category::Funds,
        Category::Trading,
        Category::RateLimit,
        Category::Server,
        Category::NotFound,
        Category::State,
    ];

    /// As the error-code spec spells it: `authentication`, `validation`, `funds`, `trading`,
    /// `rate-limit`, `server`, `not-found` or `state`.
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Authentication => "authentication",
            Category::Validation => "validation",
            Category::Funds => "funds",
            Category::Trading => "trading",
            Category::RateLimit => "rate-limit",
            Category::Server => "server",
            Category::NotFound => "not-found",
            Category::State => "state",
        }
    }

    /// The category the error-code spec spells `name`.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|c| c.as_str() == name)
    }
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a rule asks of a value. A value of another JSON type than the rule's, or absent, is
/// not its concern: the types say what may be sent, the rules only narrow it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Check {
    /// A number (or a number sent as text) at least this.
    Minimum(i64),
    /// A number (or a number sent as text) at most this.
    Maximum(i64),
    /// Text of at least this many characters.
    MinLength(u64),
    /// Text of at most this many characters.
    MaxLength(u64),
    /// A list of at least this many items.
    MinItems(u64),
    /// A list of at most this many items.
    MaxItems(u64),
    /// A list whose items all differ.
    UniqueItems,
}

impl fmt::Display for Check {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Minimum(bound) => write!(f, "at least {bound}"),
            Self::Maximum(bound) => write!(f, "at most {bound}"),
            Self::MinLength(bound) => write!(f, "at least {} long", counted(*bound, "character")),
            Self::MaxLength(bound) => write!(f, "at most {} long", counted(*bound, "character")),
            Self::MinItems(bound) => write!(f, "a list of at least {}", counted(*bound, "item")),
            Self::MaxItems(bound) => write!(f, "a list of at most {}", counted(*bound, "item")),
            Self::UniqueItems => f.write_str("a list of distinct items"),
        }
    }
}

/// `count` and `what`, plural unless one: `1 item`, `2 items` (in [`Check`]'s words, and in
/// the runtime's report of what it found).
#[doc(hidden)]
pub fn counted(count: u64, what: &str) -> String {
    if count == 1 {
        format!("1 {what}")
    } else {
        format!("{count} {what}s")
    }
}
