//! What the codegen says about each operation: the facts of its spec that sending it needs.
//!
//! Every generated operation is a `static` [`Operation`]. A [`Call`](crate::Call) sends any
//! of them; nothing about an operation is written twice, in the SDK or anywhere else.

use std::fmt;

use http::{HeaderName, Method};
pub use mm_sdk_facts::{Api, Credential, Effect, Encoding, EnvelopeKind, Source};

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
    /// How it pages through results, if it does (the spec's `x-mm-paging`).
    pub paging: Option<&'a Paging>,
    /// Upstream's validation rules on its request (the spec's `minimum`, `maxLength`...),
    /// checked before it is sent.
    pub rules: &'a [crate::Rule],
    /// The operation's request and response types, erased: lets tools drive any operation
    /// from JSON.
    pub codec: &'a dyn Codec,
    /// Where an Open API key may authenticate it instead of a customer's login (the spec's
    /// `x-mm-credential: [client-login, open-api-signature]`): its route there.
    pub open_api: Option<&'a OpenApiRoute<'a>>,
}

/// The Open API's route to an operation a customer's login or an Open API key may
/// authenticate: the same request and answer under another path, with the Open API's headers
/// (the API key, the timestamp and the signature instead of the token).
#[derive(Debug)]
pub struct OpenApiRoute<'a> {
    /// The path from the host root (`/openapi-c/global/...`).
    pub path: &'a str,
    /// Every request header there.
    pub headers: &'a [Header],
}

impl<'a> Operation<'a> {
    /// The operation as its Open API route sends it, signed with an Open API key; `None` for
    /// one without that route.
    pub fn through_open_api(&self) -> Option<Operation<'a>> {
        let route = self.open_api?;
        Some(Operation {
            api: self.api,
            id: self.id,
            group: self.group,
            method: self.method.clone(),
            path: route.path,
            headers: route.headers,
            query: self.query,
            encoding: self.encoding,
            envelope: self.envelope,
            credential: Credential::OpenApiSignature,
            effect: self.effect,
            returns_nothing: self.returns_nothing,
            paging: self.paging,
            rules: self.rules,
            codec: self.codec,
            open_api: None,
        })
    }

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

    /// `json` read through the operation's request type and written again as it goes on the
    /// wire ([`Codec::request`]); a body that does not fit is [`ErrorKind::InvalidInput`]
    /// naming the operation. What a call or a pager driven by JSON sends.
    ///
    /// [`ErrorKind::InvalidInput`]: crate::ErrorKind::InvalidInput
    pub(crate) fn request_from_json(&self, json: &[u8]) -> Result<Vec<u8>, crate::Error> {
        self.codec.request(json).map_err(|e| {
            crate::Error::new(crate::ErrorKind::InvalidInput(format!(
                "the body does not fit the request type of `{}`: {e}",
                self.id
            )))
        })
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

/// How an operation pages through results (the spec's `x-mm-paging`): which request fields
/// number and size a page, and where the answer's `data` has the rows and their count.
#[derive(Debug)]
pub struct Paging {
    /// The request field holding the page's number.
    pub page: &'static str,
    /// The request field holding the page's size.
    pub size: &'static str,
    /// The number of the first page (1 or 0).
    pub first: u64,
    /// The fields from `data` to the page's rows (none: `data` is the list).
    pub items: &'static [&'static str],
    /// What the answer counts, and where.
    pub count: Count,
}

/// What a paged answer counts, the fields from `data` to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Count {
    /// The rows of every page (`total`).
    Rows(&'static [&'static str]),
    /// The pages (`pages`).
    Pages(&'static [&'static str]),
    /// Nothing: the last page is the first one with fewer rows than the page size.
    Absent,
}

/// An operation's request and response types, behind JSON: what the tests and the
/// conformance runs use to send every operation from its documented examples.
pub trait Codec: Sync {
    /// `json` read as the request type and written again as it goes on the wire.
    fn request(&self, json: &[u8]) -> Result<Vec<u8>, serde_json::Error>;
    /// A response body decoded as the call decodes it, its `data` written back as JSON.
    fn response(&self, op: &Operation<'_>, body: &[u8]) -> Result<serde_json::Value, crate::Error>;
    /// A response body checked as the call decodes it, its `data` then kept as the server
    /// wrote it: no field the types lack dropped, no number rewritten (`null` for an answer
    /// without data).
    fn response_as_sent(
        &self,
        op: &Operation<'_>,
        body: &[u8],
    ) -> Result<Box<serde_json::value::RawValue>, crate::Error>;
}
