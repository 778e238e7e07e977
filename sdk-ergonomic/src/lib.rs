//! The MultiMarkets SDK.
#![deny(missing_docs)]

pub mod auth2;
mod call;
pub mod client_api;
pub mod codes;
mod config;
mod error;
pub mod iframe;
mod locale;
mod multimarkets;
mod password;
mod secret;
mod trace;

pub use call::RetryPolicy;
pub use config::{AppCredentials, Builder, Endpoints, Environment};
pub use error::{ApiError, BODY_EXCERPT_LIMIT, Error, ErrorKind};
pub use locale::{InvalidLocale, Locale};
pub use multimarkets::MultiMarkets;
pub use password::{InvalidPasswordHash, Password};
pub use secret::{
    AccessToken, AppSecret, AuthCode, LoginToken, ManagerToken, RefreshToken, SessionToken,
};
pub use trace::TraceId;
