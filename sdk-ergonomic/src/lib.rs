//! The MultiMarkets SDK.
#![deny(missing_docs)]

mod call;
mod error;
mod locale;
mod password;
mod trace;

pub use error::{ApiError, BODY_EXCERPT_LIMIT, Error, ErrorKind};
pub use locale::{InvalidLocale, Locale};
pub use password::{InvalidPasswordHash, Password};
pub use trace::TraceId;

/// The documented error codes.
pub mod codes {
    /// What upstream documents `code` to mean, if known.
    pub fn meaning(_code: &str) -> Option<&'static str> {
        None
    }
    pub(crate) fn is_transient(_code: &str) -> bool {
        false
    }
    pub(crate) fn is_auth(_code: &str) -> bool {
        false
    }
}
