//! The client: one connection pool, three APIs.

use std::sync::Arc;

use mm_sdk_generated as generated;

use crate::call::RetryPolicy;
use crate::config::{AppCredentials, Builder, Environment, Settings};
use crate::error::{Error, ErrorKind};
use crate::secret::ManagerToken;

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
    settings: Arc<Settings>,
    client: generated::client::Client,
    manager: generated::manager::Client,
    auth2: generated::auth2::Client,
}

impl MultiMarkets {
    /// Starts configuring a client for `environment`.
    pub fn builder(environment: Environment) -> Builder {
        Builder::new(environment)
    }

    pub(crate) fn from_parts(http: reqwest::Client, settings: Arc<Settings>) -> Self {
        // The generated clients append paths (`/api/...`) to the base, which must not end in `/`.
        let base = |url: &url::Url| url.as_str().trim_end_matches('/').to_owned();
        let endpoints = &settings.endpoints;
        Self {
            inner: Arc::new(Inner {
                client: generated::client::Client::new_with_client(
                    &base(&endpoints.client),
                    http.clone(),
                ),
                manager: generated::manager::Client::new_with_client(
                    &base(&endpoints.manager),
                    http.clone(),
                ),
                auth2: generated::auth2::Client::new_with_client(&base(&endpoints.auth2), http),
                settings,
            }),
        }
    }

    /// The Client API: customer login and token exchange.
    pub fn client(&self) -> crate::client_api::ClientApi<'_> {
        crate::client_api::ClientApi { mm: self }
    }

    /// The URL that opens the trading UI in an iframe, signed in as the customer of `session`
    /// (web iframe single sign-on). See [`crate::iframe`].
    pub fn iframe_url(&self, session: &crate::client_api::LoginSession) -> url::Url {
        let settings = self.settings();
        crate::iframe::iframe_url(
            &settings.endpoints.trading_ui,
            &settings.lang,
            &session.token,
        )
    }

    /// The Manager API: customers and funds, with the configured manager token.
    pub fn manager(&self) -> crate::manager_api::ManagerApi<'_> {
        crate::manager_api::ManagerApi { mm: self }
    }

    /// The Auth2 API: third-party login.
    pub fn auth2(&self) -> crate::auth2::Auth2Api<'_> {
        crate::auth2::Auth2Api { mm: self }
    }

    pub(crate) fn settings(&self) -> &Settings {
        &self.inner.settings
    }

    pub(crate) fn company_id(&self) -> &str {
        &self.inner.settings.company_id
    }

    pub(crate) fn retry(&self) -> RetryPolicy {
        self.inner.settings.retry
    }

    pub(crate) fn client_client(&self) -> &generated::client::Client {
        &self.inner.client
    }

    pub(crate) fn manager_client(&self) -> &generated::manager::Client {
        &self.inner.manager
    }

    pub(crate) fn auth2_client(&self) -> &generated::auth2::Client {
        &self.inner.auth2
    }

    pub(crate) fn app_credentials(&self) -> Result<&AppCredentials, Error> {
        self.inner.settings.app.as_ref().ok_or_else(|| {
            ErrorKind::InvalidInput(
                "Auth2 app credentials are not configured (`Builder::app_credentials`)".into(),
            )
            .into()
        })
    }

    pub(crate) fn open_api_key(&self) -> Result<&crate::OpenApiKey, Error> {
        self.inner.settings.open_api_key.as_ref().ok_or_else(|| {
            ErrorKind::InvalidInput(
                "no Open API key is configured (`Builder::open_api_key`)".into(),
            )
            .into()
        })
    }

    pub(crate) fn manager_token(&self) -> Result<&ManagerToken, Error> {
        self.inner.settings.manager_token.as_ref().ok_or_else(|| {
            ErrorKind::InvalidInput(
                "the Manager API token is not configured (`Builder::manager_token`)".into(),
            )
            .into()
        })
    }
}
