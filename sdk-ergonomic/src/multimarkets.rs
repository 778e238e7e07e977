//! The client: one runtime (one connection pool), three APIs, the flows and the streams.

use std::sync::Arc;

use mm_sdk_core::{
    Call, Config, Environment, Error, FromConfig, Locale, ManagerToken, OpenApiKey, RawCall,
    Runtime,
};
use url::Url;

/// Builds a [`MultiMarkets`]: start with [`MultiMarkets::builder`] or
/// [`MultiMarkets::from_env`]'s variables ([`Builder::from_env`]).
pub type Builder = mm_sdk_core::Builder<MultiMarkets>;

/// A client for the MultiMarkets Client, Manager and Auth2 APIs.
///
/// Cheap to clone (an `Arc`), `Send + Sync`: build one and share it; every clone and every API
/// uses the same connection pool.
///
/// - The APIs: [`client`](Self::client), [`manager`](Self::manager), [`auth2`](Self::auth2)
///   (every operation, by group).
/// - The flows over them ([`crate::extras`]): [`auth2_login`](Self::auth2_login),
///   [`web_iframe`](Self::web_iframe), [`sign_up`](Self::sign_up),
///   [`api_keys`](Self::api_keys), [`back_office`](Self::back_office).
/// - The streams ([`crate::streams`]): `market_data`, `open_messages`, `data_push`.
/// - What the specs lack yet: [`call_raw`](Self::call_raw).
/// - Credentials replaced while it runs: [`rotate_manager_token`](Self::rotate_manager_token),
///   [`rotate_open_api_key`](Self::rotate_open_api_key).
#[derive(Debug, Clone)]
pub struct MultiMarkets {
    runtime: Arc<Runtime>,
}

impl FromConfig for MultiMarkets {
    fn from_config(config: Config) -> Self {
        Self {
            runtime: Arc::new(Runtime::new(config)),
        }
    }
}

impl MultiMarkets {
    /// Starts configuring a client for `environment`.
    pub fn builder(environment: Environment) -> Builder {
        Builder::new(environment)
    }

    /// A client configured by the process's `MM_*` environment variables (the table is at
    /// [`Builder::from_env`]); to change a setting besides, start from
    /// `Builder::from_env()?` and call [`build`](Builder::build) yourself.
    pub fn from_env() -> Result<Self, Error> {
        Builder::from_env()?.build()
    }

    /// The Client API: what a customer does, by group (`mm.client().trade()`), each group
    /// compiled with its feature (`client-trade`).
    pub fn client(&self) -> crate::client::Client<'_> {
        crate::client::Client::new(self.runtime())
    }

    /// The Manager API: the operator's back office, by group (`mm.manager().customer()`),
    /// with the configured Manager token; compiled with the feature `manager`.
    pub fn manager(&self) -> crate::manager::Manager<'_> {
        crate::manager::Manager::new(self.runtime())
    }

    /// The Auth2 API: third-party login (`mm.auth2().login()`); compiled with the feature
    /// `auth2`.
    pub fn auth2(&self) -> crate::auth2::Auth2<'_> {
        crate::auth2::Auth2::new(self.runtime())
    }

    /// A call of any path through the same runtime as every operation (headers, signature,
    /// retries, envelope, errors, the call's options), answering the `data` as JSON: for an
    /// operation upstream has and the specs do not yet.
    ///
    /// ```no_run
    /// # async fn run(mm: mm_sdk::MultiMarkets, token: mm_sdk::LoginToken) -> Result<(), mm_sdk::Error> {
    /// use mm_sdk::{Api, RawCall};
    ///
    /// let call = RawCall::post(Api::Client, "/api/global/customer.app.CustomerApiWebService.downgrade")
    ///     .login_token(&token)
    ///     .json(serde_json::json!({"id": 3}));
    /// let data = mm.call_raw(&call).await?;
    /// # Ok(()) }
    /// ```
    pub fn call_raw<'a>(&'a self, call: &'a RawCall) -> Call<'a, serde_json::Value> {
        Call::raw(
            self.runtime(),
            call,
            crate::generated::raw_headers(call.api()),
        )
    }

    /// Replaces the Manager token for the calls and connections that start from now on;
    /// calls in flight finish with the one they started with. A token that cannot be sent in
    /// a header is refused (the error does not repeat it), and the current one stays.
    pub fn rotate_manager_token(&self, token: &ManagerToken) -> Result<(), Error> {
        self.runtime.rotate_manager_token(token)
    }

    /// Replaces the Open API key for the calls that start from now on; calls in flight finish
    /// signed with the one they started with.
    pub fn rotate_open_api_key(&self, key: &OpenApiKey) -> Result<(), Error> {
        self.runtime.rotate_open_api_key(key)
    }

    /// Third-party login with a trading account. See [`crate::extras::auth2_login`].
    #[cfg(feature = "auth2")]
    pub fn auth2_login(&self) -> crate::extras::auth2_login::Auth2Login<'_> {
        crate::extras::auth2_login::Auth2Login { mm: self }
    }

    /// The trading UI in your page, signed in. See [`crate::extras::web_iframe`].
    #[cfg(feature = "client-auth")]
    pub fn web_iframe(&self) -> crate::extras::web_iframe::WebIframe<'_> {
        crate::extras::web_iframe::WebIframe { mm: self }
    }

    /// Customers who register themselves. See [`crate::extras::sign_up`].
    #[cfg(all(feature = "client-auth", feature = "client-message"))]
    pub fn sign_up(&self) -> crate::extras::sign_up::CustomerSignUp<'_> {
        crate::extras::sign_up::CustomerSignUp { mm: self }
    }

    /// A customer's Open API keys. See [`crate::extras::api_keys`].
    #[cfg(feature = "client-customer")]
    pub fn api_keys(&self) -> crate::extras::api_keys::ApiKeys<'_> {
        crate::extras::api_keys::ApiKeys { mm: self }
    }

    /// The operator's customers and funds. See [`crate::extras::back_office`].
    #[cfg(feature = "manager")]
    pub fn back_office(&self) -> crate::extras::back_office::BackOffice<'_> {
        crate::extras::back_office::BackOffice { mm: self }
    }

    /// The market-data stream (tickers, depth, trades, K-lines) on the Client API's host.
    /// See [`crate::streams`].
    #[cfg(feature = "streams")]
    pub fn market_data(&self) -> crate::streams::MarketDataBuilder {
        crate::streams::MarketDataBuilder::new(self.runtime.clone())
    }

    /// The Open API message stream of application `app_id` (a customer's trade events), with
    /// the configured Open API key. See [`crate::streams`].
    #[cfg(all(feature = "streams", feature = "client-open-api"))]
    pub fn open_messages(&self, app_id: impl Into<String>) -> crate::streams::OpenMessagesBuilder {
        crate::streams::OpenMessagesBuilder::new(self.runtime.clone(), app_id.into())
    }

    /// The Manager Data Push stream (business events), with the configured Manager token.
    /// See [`crate::streams`].
    #[cfg(feature = "streams")]
    pub fn data_push(&self) -> crate::streams::DataPushBuilder {
        crate::streams::DataPushBuilder::new(self.runtime.clone())
    }

    pub(crate) fn runtime(&self) -> &Runtime {
        &self.runtime
    }

    /// The configuration it was built with.
    pub fn config(&self) -> &Config {
        self.runtime.config()
    }

    /// The configured language: the `lang` header and the trading UI's locale.
    pub fn lang(&self) -> &Locale {
        self.config().lang()
    }

    /// The configured trading UI ("Headline"), where users authorize apps and the iframe
    /// points.
    pub fn trading_ui(&self) -> &Url {
        &self.config().endpoints().trading_ui
    }

    #[cfg(feature = "auth2")]
    pub(crate) fn app_credentials(&self) -> Result<&mm_sdk_core::AppCredentials, Error> {
        self.config().app_credentials().ok_or_else(|| {
            mm_sdk_core::ErrorKind::MissingCredential(mm_sdk_core::Credential::Auth2App).into()
        })
    }
}
