//! The runtime: one HTTP client, the configuration every call reads, and the credentials
//! table, built once.

use std::fmt;

use http::HeaderValue;

use crate::config::{Config, FromConfig};
use crate::credentials::Table;
use crate::error::Error;
use crate::open_api_sign::OpenApiKey;
use crate::operation::Api;
use crate::secret::ManagerToken;

/// The most bytes a response body may have. No documented response comes near it; a body past
/// it (a misbehaving gateway, a hostile server) fails with
/// [`ErrorKind::TooLarge`](crate::ErrorKind::TooLarge) instead of filling memory.
pub const MAX_RESPONSE_BYTES: usize = 16 * 1024 * 1024;

/// Sends every operation: one connection pool, the configuration's header values checked and
/// encoded once, and the credentials. Build it from a [`Config`] (or with
/// `Builder::<Runtime>::new`); share it (the SDK's client holds it in an `Arc`).
pub struct Runtime {
    config: Config,
    /// By [`Api::index`]: parsed once, as each call's URL is the base with its own path.
    bases: [url::Url; 3],
    pub(crate) credentials: Table,
    pub(crate) recv_window: Option<HeaderValue>,
}

impl Runtime {
    /// The runtime of `config`.
    pub fn new(config: Config) -> Self {
        let endpoints = config.endpoints();
        // In the order of `Api::ALL`.
        let bases = [
            endpoints.client.clone(),
            endpoints.manager.clone(),
            endpoints.auth2.clone(),
        ];
        // The builder checked every credential already: the table cannot refuse one.
        let credentials = Table::new(&config.credentials)
            .unwrap_or_else(|e| unreachable!("the builder checked the credentials: {e}"));
        let recv_window = config
            .recv_window
            .map(|window| HeaderValue::from(u64::try_from(window.as_millis()).unwrap_or(u64::MAX)));
        Self {
            config,
            bases,
            credentials,
            recv_window,
        }
    }

    /// The configuration it was built with (its credentials as they were then).
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// The HTTP client every call goes through.
    pub(crate) fn http(&self) -> &reqwest::Client {
        &self.config.http
    }

    /// Replaces the Manager token for the calls that start from now on; those in flight
    /// finish with the one they started with. Fails with
    /// [`ErrorKind::Config`](crate::ErrorKind::Config) when the token cannot be sent in a
    /// header (the message does not repeat it), leaving the current one in place.
    pub fn rotate_manager_token(&self, token: &ManagerToken) -> Result<(), Error> {
        self.credentials.rotate_manager_token(token)
    }

    /// Replaces the Open API key for the calls that start from now on; those in flight finish
    /// signed with the one they started with.
    pub fn rotate_open_api_key(&self, key: &OpenApiKey) -> Result<(), Error> {
        self.credentials.rotate_open_api_key(key)
    }

    /// The current Manager token as sent in a header, for the streams that authenticate
    /// with it.
    #[doc(hidden)]
    pub fn manager_token_header(&self) -> Option<HeaderValue> {
        self.credentials.manager_token().map(|h| (*h).clone())
    }

    /// The URL of `path` on `api`'s host, after the base's own path; `None` for an API
    /// without a base here (none today).
    ///
    /// The base is copied rather than a URL parsed: parsing reads the host again (its IDNA
    /// mapping included) on every call.
    pub(crate) fn url(&self, api: Api, path: &str) -> Option<url::Url> {
        let mut url = self.bases.get(api.index())?.clone();
        // Paths are written from the host root: the base's own path must not end in `/`.
        let prefix = url.path().trim_end_matches('/');
        let mut full = String::with_capacity(prefix.len() + path.len());
        full.push_str(prefix);
        full.push_str(path);
        url.set_path(&full);
        Some(url)
    }
}

impl FromConfig for Runtime {
    fn from_config(config: Config) -> Self {
        Self::new(config)
    }
}

impl fmt::Debug for Runtime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The configuration redacts its secrets itself.
        f.debug_struct("Runtime")
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{Builder, Endpoints, Environment};

    #[test]
    fn paths_are_appended_to_the_host() {
        let runtime = Builder::<Runtime>::new(Environment::custom(Endpoints::same_host(
            url::Url::parse("http://127.0.0.1:1/").unwrap(),
        )))
        .company_id("421")
        .build()
        .unwrap();
        assert_eq!(
            runtime.url(Api::Manager, "/openapi-b/x").unwrap().as_str(),
            "http://127.0.0.1:1/openapi-b/x"
        );
        // A base with a path of its own keeps it, with or without its last `/`.
        for base in ["http://127.0.0.1:1/gateway/", "http://127.0.0.1:1/gateway"] {
            let runtime = Builder::<Runtime>::new(Environment::custom(Endpoints::same_host(
                url::Url::parse(base).unwrap(),
            )))
            .company_id("421")
            .build()
            .unwrap();
            assert_eq!(
                runtime.url(Api::Client, "/api/x").unwrap().as_str(),
                "http://127.0.0.1:1/gateway/api/x"
            );
        }
    }
}
