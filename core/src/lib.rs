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
mod envelope;
mod error;
mod handle;
mod money;
mod open_api_sign;
mod operation;
mod retry;
mod runtime;
mod secret;
mod trace;
mod upload;

pub use call::{Args, EmptyBody, Nothing, Types, call, call_json, decode};
pub use envelope::{Envelope, QuoteEnvelope};
pub use error::{ApiError, BODY_EXCERPT_LIMIT, Error, ErrorKind};
pub use handle::{Handle, api};
pub use money::{Decimal, DecimalNumber};
pub use open_api_sign::{InvalidPrivateKey, OpenApiKey, payload as open_api_payload};
pub use operation::{
    Api, Codec, Credential, Effect, Encoding, EnvelopeKind, Header, Operation, QueryParam, Source,
};
pub use retry::RetryPolicy;
pub use runtime::{Endpoints, MAX_RESPONSE_BYTES, Runtime, Settings};
pub use secret::{
    AccessToken, AppSecret, AuthCode, CaptchaToken, GoogleToken, LoginToken, ManagerToken,
    OpenApiPrivateKey, QuoteToken, RefreshToken, SendToken, SessionToken, SocialLoginToken,
    VerifyCode,
};
pub use trace::TraceId;
pub use upload::Upload;

/// What the generated crates use; not part of the SDK's API.
#[doc(hidden)]
pub mod __private {
    pub use http::Method;
}
