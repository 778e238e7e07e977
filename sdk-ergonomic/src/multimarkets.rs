//! The client: one runtime (one connection pool), three APIs.

use std::sync::Arc;

use mm_sdk_core::{Error, ErrorKind, Handle, Runtime, api};
use url::Url;

use crate::config::{AppCredentials, Builder, Environment};
use crate::locale::Locale;

/// A client for the MultiMarkets Client, Manager and Auth2 APIs.
///
/// Cheap to clone (an `Arc`), `Send + Sync`: build one and share it; every clone and every API
/// uses the same connection pool.
#[derive(Debug, Clone)]
pub struct MultiMarkets {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    runtime: Runtime,
    app: Option<AppCredentials>,
    lang: Locale,
    trading_ui: Url,
}

impl MultiMarkets {
    /// Starts configuring a client for `environment`.
    pub fn builder(environment: Environment) -> Builder {
        Builder::new(environment)
    }

    pub(crate) fn new(
        runtime: Runtime,
        app: Option<AppCredentials>,
        lang: Locale,
        trading_ui: Url,
    ) -> Self {
        Self {
            inner: Arc::new(Inner {
                runtime,
                app,
                lang,
                trading_ui,
            }),
        }
    }

    /// The Client API: customers' login, registration, API keys, and the Open API.
    pub fn client(&self) -> crate::client_api::ClientApi<'_> {
        crate::client_api::ClientApi { mm: self }
    }

    /// The Manager API: customers and funds, with the configured Manager token.
    pub fn manager(&self) -> crate::manager_api::ManagerApi<'_> {
        crate::manager_api::ManagerApi { mm: self }
    }

    /// The Auth2 API: third-party login.
    pub fn auth2(&self) -> crate::auth2::Auth2Api<'_> {
        crate::auth2::Auth2Api { mm: self }
    }

    /// The URL that opens the trading UI in an iframe, signed in as the customer of `session`
    /// (web iframe single sign-on). See [`crate::iframe`].
    pub fn iframe_url(&self, session: &crate::client_api::LoginSession) -> Url {
        crate::iframe::iframe_url(&self.inner.trading_ui, &self.inner.lang, &session.token)
    }

    /// The market-data stream (tickers, depth, trades, K-lines) on the Client API's host.
    /// See [`crate::streams`].
    pub fn market_data(&self) -> crate::streams::MarketDataBuilder {
        crate::streams::MarketDataBuilder::new(self.endpoints().client.clone())
    }

    /// The Open API message stream of application `app_id` (a customer's trade events), with
    /// the configured Open API key. See [`crate::streams`].
    pub fn open_messages(&self, app_id: impl Into<String>) -> crate::streams::OpenMessagesBuilder {
        let base = self.endpoints().client.clone();
        crate::streams::OpenMessagesBuilder::new(self.clone(), base, app_id.into())
    }

    /// The Manager Data Push stream (business events), with the configured Manager token.
    /// See [`crate::streams`].
    pub fn data_push(&self) -> crate::streams::DataPushBuilder {
        let settings = self.inner.runtime.settings();
        crate::streams::DataPushBuilder::new(
            settings.endpoints.manager.clone(),
            settings.manager_token.clone(),
        )
    }

    fn endpoints(&self) -> &mm_sdk_core::Endpoints {
        &self.inner.runtime.settings().endpoints
    }

    pub(crate) fn runtime(&self) -> &Runtime {
        &self.inner.runtime
    }

    pub(crate) fn lang(&self) -> &Locale {
        &self.inner.lang
    }

    pub(crate) fn trading_ui(&self) -> &Url {
        &self.inner.trading_ui
    }

    pub(crate) fn app_credentials(&self) -> Result<&AppCredentials, Error> {
        self.inner
            .app
            .as_ref()
            .ok_or_else(|| ErrorKind::MissingCredential(mm_sdk_core::Credential::Auth2App).into())
    }
}

/// Each API's handle reaches the runtime: every generated operation trait of that API is
/// implemented for it.
macro_rules! handles {
    ($($handle:ident => $api:ident),+) => {$(
        impl Handle for $handle<'_> {
            type Api = api::$api;

            fn runtime(&self) -> &Runtime {
                self.mm.runtime()
            }
        }
    )+};
}

use crate::auth2::Auth2Api;
use crate::client_api::ClientApi;
use crate::manager_api::ManagerApi;

handles!(ClientApi => Client, ManagerApi => Manager, Auth2Api => Auth2);
