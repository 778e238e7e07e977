//! The runtime under the MultiMarkets SDK. Use the `mm-sdk` crate: it re-exports what a user
//! needs of this one (errors, secrets, configuration, retries, error codes); the rest serves the
//! generated crates.
//!
//! The generated crates describe every operation as a static [`Operation`]: its API, path,
//! headers and where each header's value comes from, its credential, whether it may be
//! retried. Each method makes a [`Call`] of one, sent through one [`Runtime`] when awaited:
//! headers from the [`Config`], the call's options and the credentials, a trace id, the Open
//! API signature, retries, the envelope turned into `Result<Data, Error>`, and a `tracing`
//! span per call.

#![deny(missing_docs)]

mod access;
mod backoff;
mod call;
pub mod codes;
mod config;
mod conversion;
mod credentials;
mod decode;
pub mod enums;
mod envelope;
mod error;
mod execute;
pub mod ids;
mod limiter;
mod locale;
mod metadata;
mod money;
mod open_api_sign;
mod open_enum;
mod operation;
mod or_other;
mod pager;
mod raw;
mod retry;
mod rules;
mod runtime;
mod secret;
mod text;
mod time;
mod trace;
mod upload;

pub use access::ClientAccess;
pub use backoff::Backoff;
pub use call::{BoxFuture, Call, WithMetadata};
pub use codes::ErrorCode;
pub use config::{
    AppCredentials, Builder, Config, Endpoints, EnvVariable, Environment, FromConfig,
};
pub use conversion::ConversionError;
pub use decode::{EmptyBody, Types, decode};
pub use envelope::{Envelope, QuoteEnvelope};
pub use error::{ApiError, BODY_EXCERPT_LIMIT, Error, ErrorKind};
pub use limiter::Limiter;
pub use locale::{InvalidLocale, Locale};
pub use metadata::{Metadata, RateLimit, Response};
pub use money::{Decimal, DecimalNumber, exact_decimal, exact_decimal_option};
pub use open_api_sign::{InvalidPrivateKey, OpenApiKey, payload as open_api_payload};
pub use operation::{
    Api, Codec, Count, Credential, Effect, Encoding, EnvelopeKind, Header, OpenApiRoute, Operation,
    Paging, QueryParam, Source,
};
pub use or_other::{OrOther, shape};
pub use pager::Pager;
pub use raw::RawCall;
pub use retry::RetryPolicy;
pub use rules::{BrokenRule, Check, Rule};
pub use runtime::{MAX_RESPONSE_BYTES, Runtime};
pub use secret::{
    AccessToken, AppSecret, AuthCode, CaptchaToken, GoogleToken, LoginToken, ManagerToken,
    OpenApiPrivateKey, QuoteToken, RefreshToken, SecretText, SendToken, SessionToken,
    SocialLoginToken, VerifyCode,
};
pub use text::TextOrNumber;
pub use time::{OutOfRange, Timestamp};
pub use trace::TraceId;
pub use upload::Upload;

/// What the generated crates use; not part of the SDK's API.
#[doc(hidden)]
pub mod __private {
    pub use http::Method;

    /// The TLS configuration every connection of the SDK uses (its provider by feature), for
    /// the sandbox's own HTTP client.
    pub use crate::config::tls::client_config as tls_client_config;

    pub use crate::open_enum::{deserialize_code, deserialize_text_code};
    #[cfg(feature = "json-schema")]
    pub use crate::open_enum::{int_enum_schema, string_enum_schema};
}
