//! The runtime under the MultiMarkets SDK. Use the `mm-sdk` crate: it re-exports what a user
//! needs of this one (errors, secrets, configuration, retries, error codes); the rest serves the
//! generated crates.
//!
//! The generated crates describe every operation as a static [`Operation`]: its API, path,
//! headers and where each header's value comes from, its credential, whether it may be
//! retried. [`call`] sends any of them through one [`Runtime`]: headers from the configuration,
//! a trace id, the Open API signature, retries, the envelope turned into `Result<Data, Error>`,
//! and a `tracing` span per call.

#![deny(missing_docs)]

mod call;
pub mod codes;
mod conversion;
mod envelope;
mod error;
mod money;
mod open_api_sign;
mod open_enum;
mod operation;
mod raw;
mod retry;
mod runtime;
mod secret;
mod trace;
mod upload;

pub use call::{Args, EmptyBody, Nothing, Types, call, call_json, decode};
pub use conversion::ConversionError;
pub use envelope::{Envelope, QuoteEnvelope};
pub use error::{ApiError, BODY_EXCERPT_LIMIT, Error, ErrorKind};
pub use money::{Decimal, DecimalNumber};
pub use open_api_sign::{InvalidPrivateKey, OpenApiKey, payload as open_api_payload};
pub use operation::{
    Api, Codec, Credential, Effect, Encoding, EnvelopeKind, Header, Operation, QueryParam, Source,
};
pub use raw::RawCall;
pub use retry::RetryPolicy;
pub use runtime::{Endpoints, MAX_RESPONSE_BYTES, Runtime, Settings};
pub use secret::{
    AccessToken, AppSecret, AuthCode, CaptchaToken, GoogleToken, LoginToken, ManagerToken,
    OpenApiPrivateKey, QuoteToken, RefreshToken, SecretText, SendToken, SessionToken,
    SocialLoginToken, VerifyCode,
};
pub use trace::TraceId;
pub use upload::Upload;

/// What the generated crates use; not part of the SDK's API.
#[doc(hidden)]
pub mod __private {
    pub use http::Method;

    pub use crate::open_enum::deserialize_str;
    #[cfg(feature = "json-schema")]
    pub use crate::open_enum::string_enum_schema;
}
