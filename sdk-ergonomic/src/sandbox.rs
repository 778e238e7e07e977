//! A local sandbox of the platform for your own tests (feature `sandbox`): a stateful
//! stand-in for the Client, Manager and Auth2 APIs and the three streams, running in your
//! test's process, with no account and no network.
//!
//! [`Sandbox::start`] starts one on a free loopback port; [`builder`] configures a client for
//! it, to which you add what your test needs (a timeout, a retry policy, an Open API key).
//! The sandbox keeps customers, tokens, balances, orders and positions as upstream does and
//! refuses with upstream's error codes; the `mm-sdk-sandbox` crate's docs list what it
//! models. Dropping the [`Sandbox`] stops it.
//!
//! ```
//! use mm_sdk::sandbox::{Config, Sandbox};
//!
//! # #[cfg(feature = "manager")]
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! use mm_sdk::extras::back_office::Registration;
//! use mm_sdk::Password;
//!
//! let sandbox = Sandbox::start(Config::default()).await?;
//! let mm = mm_sdk::sandbox::builder(&sandbox).build()?;
//! let password = Password::from_plain("a password");
//! let registration = Registration::email("ada@example.com", "+44", password, "GB", 1)
//!     .account("USDT", "2");
//! let customer_no = mm.back_office().register_customer(registration).await?;
//! assert_eq!(customer_no, "86000001"); // the sandbox numbers its customers from 86000001
//! # Ok(()) }
//! # #[cfg(not(feature = "manager"))]
//! # fn main() {}
//! ```
//!
//! An Open API key is a customer's, so the sandbox has none to start with: apply for one
//! with `mm.api_keys()` (feature `client-customer`), confirming with [`Config::verify_code`],
//! and add it with [`Builder::open_api_key`].

pub use mm_sdk_sandbox::{
    Answer, Config, Credentials, Request, Sandbox, StartError, Stream, StreamFault, platform,
};

use url::Url;

use crate::{AppSecret, Builder, Endpoints, Environment, ManagerToken, QuoteToken};

/// A client configuration pointed at `sandbox`: all three APIs, the streams and the trading
/// UI at its address, with its company id, its Manager token, its quote token and its Auth2
/// application's credentials.
pub fn builder(sandbox: &Sandbox) -> Builder {
    builder_at(sandbox.base_url(), sandbox.config())
}

/// [`builder`] for a sandbox running elsewhere (`mm sandbox`, another process) at `base_url`
/// with `config`'s credentials; builds a [`MultiMarkets`](crate::MultiMarkets) or, for one call path alone, a
/// [`Runtime`](mm_sdk_core::Runtime).
pub fn builder_at<T: mm_sdk_core::FromConfig>(
    base_url: Url,
    config: &Config,
) -> mm_sdk_core::Builder<T> {
    mm_sdk_core::Builder::new(Environment::custom(Endpoints::same_host(base_url)))
        .company_id(config.company_id.as_str())
        .manager_token(ManagerToken::new(config.manager_token.as_str()))
        .quote_token(QuoteToken::new(config.quote_token.as_str()))
        .app_credentials(
            config.auth2_app.id.as_str(),
            AppSecret::new(config.auth2_app.secret.as_str()),
        )
}
