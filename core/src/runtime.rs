//! The runtime: one HTTP client and the configuration every call reads, checked once.

use std::fmt;
use std::time::Duration;

use http::HeaderValue;
use url::Url;

use crate::error::{Error, ErrorKind};
use crate::open_api_sign::OpenApiKey;
use crate::operation::Api;
use crate::retry::RetryPolicy;
use crate::secret::{ManagerToken, QuoteToken};

/// The most bytes a response body may have. No documented response comes near it; a body past
/// it (a misbehaving gateway, a hostile server) fails with
/// [`ErrorKind::TooLarge`] instead of filling memory.
pub const MAX_RESPONSE_BYTES: usize = 16 * 1024 * 1024;

/// Base URLs of the three APIs and of the trading UI.
///
/// Start from [`Endpoints::same_host`] and move what lives elsewhere:
/// `Endpoints::same_host(base).manager(manager_host)`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Endpoints {
    /// Client API (and Open API) host, e.g. `https://prewppc-3.cmfbl.com`; the operations'
    /// paths (`/api/...`, `/openapi-c/...`) are appended to it.
    pub client: Url,
    /// Manager API host; paths (`/openapi-b/...`) are appended to it.
    pub manager: Url,
    /// Auth2 API host; paths (`/cats-gateway-auth2/...`) are appended to it.
    pub auth2: Url,
    /// The trading UI ("Headline"), where users authorize apps and the iframe points.
    pub trading_ui: Url,
}

impl Endpoints {
    /// All three APIs and the trading UI at one base URL, as a local sandbox serves them.
    pub fn same_host(base: Url) -> Self {
        Self {
            client: base.clone(),
            manager: base.clone(),
            auth2: base.clone(),
            trading_ui: base,
        }
    }

    /// The same endpoints with the Client API (and Open API) at `url`.
    pub fn client(mut self, url: Url) -> Self {
        self.client = url;
        self
    }

    /// The same endpoints with the Manager API at `url`.
    pub fn manager(mut self, url: Url) -> Self {
        self.manager = url;
        self
    }

    /// The same endpoints with the Auth2 API at `url`.
    pub fn auth2(mut self, url: Url) -> Self {
        self.auth2 = url;
        self
    }

    /// The same endpoints with the trading UI at `url`.
    pub fn trading_ui(mut self, url: Url) -> Self {
        self.trading_ui = url;
        self
    }
}

/// What the runtime reads of the configuration: built by `mm-sdk`'s `Builder`, not part of
/// the SDK's API.
#[doc(hidden)]
#[derive(Debug, Clone)]
pub struct Settings {
    /// Where the APIs are.
    pub endpoints: Endpoints,
    /// The white-label company id.
    pub company_id: String,
    /// The `lang` header.
    pub lang: String,
    /// The `Version` header.
    pub api_version: String,
    /// The Manager API token, for the operations that need it.
    pub manager_token: Option<ManagerToken>,
    /// The quote service's token, for the Manager API's market-data queries.
    pub quote_token: Option<QuoteToken>,
    /// The Open API key, for the signed operations.
    pub open_api_key: Option<OpenApiKey>,
    /// The Open API `recvWindow`: how long after its timestamp a signed request is valid.
    pub recv_window: Option<Duration>,
    /// Retries of failed calls.
    pub retry: RetryPolicy,
}

/// Sends every operation: one connection pool and the configuration's header values, checked
/// and encoded once. Build it with [`Runtime::new`]; share it (the SDK's client holds it in an
/// `Arc`).
pub struct Runtime {
    pub(crate) http: reqwest::Client,
    pub(crate) retry: RetryPolicy,
    bases: [String; 3],
    pub(crate) company_id: HeaderValue,
    pub(crate) lang: HeaderValue,
    pub(crate) version: HeaderValue,
    pub(crate) manager_token: Option<HeaderValue>,
    pub(crate) open_api: Option<(OpenApiKey, HeaderValue)>,
    pub(crate) recv_window: Option<HeaderValue>,
    settings: Settings,
}

impl Runtime {
    /// Checks `settings` and prepares every header value they give. Fails with
    /// [`ErrorKind::Config`] naming the setting when one cannot be sent in a header (a control
    /// character, a line break); the message never repeats a secret.
    pub fn new(http: reqwest::Client, settings: Settings) -> Result<Self, Error> {
        let company_id = config_header("company id", &settings.company_id)?;
        if settings.company_id.is_empty() {
            return Err(ErrorKind::Config("the company id is empty".into()).into());
        }
        let lang = config_header("language", &settings.lang)?;
        let version = config_header("API version", &settings.api_version)?;
        let manager_token = settings
            .manager_token
            .as_ref()
            .map(|token| secret_header("Manager token", token.expose_secret()))
            .transpose()?;
        let open_api = settings
            .open_api_key
            .as_ref()
            .map(|key| {
                Ok::<_, Error>((
                    key.clone(),
                    config_header("Open API key id", key.api_key())?,
                ))
            })
            .transpose()?;
        let recv_window = settings
            .recv_window
            .map(|window| HeaderValue::from(u64::try_from(window.as_millis()).unwrap_or(u64::MAX)));
        // Paths are written from the host root: the base must not end in `/`.
        let base = |url: &Url| url.as_str().trim_end_matches('/').to_owned();
        let endpoints = &settings.endpoints;
        Ok(Self {
            http,
            retry: settings.retry,
            bases: [
                base(&endpoints.client),
                base(&endpoints.manager),
                base(&endpoints.auth2),
            ],
            company_id,
            lang,
            version,
            manager_token,
            open_api,
            recv_window,
            settings,
        })
    }

    /// The settings it was built with.
    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// The URL of `path` on `api`'s host.
    pub(crate) fn url(&self, api: Api, path: &str) -> String {
        let base = match api {
            Api::Client => &self.bases[0],
            Api::Manager => &self.bases[1],
            Api::Auth2 => &self.bases[2],
        };
        let mut url = String::with_capacity(base.len() + path.len());
        url.push_str(base);
        url.push_str(path);
        url
    }
}

impl fmt::Debug for Runtime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // `settings` redacts its secrets itself.
        f.debug_struct("Runtime")
            .field("settings", &self.settings)
            .finish_non_exhaustive()
    }
}

/// A configured value as a header value, or the configuration error that names it.
fn config_header(what: &str, value: &str) -> Result<HeaderValue, Error> {
    HeaderValue::from_str(value).map_err(|_| {
        ErrorKind::Config(format!(
            "the {what} `{}` cannot be sent in an HTTP header: it holds a control character \
             or a line break",
            value.escape_debug()
        ))
        .into()
    })
}

/// A configured secret as a sensitive header value; the error does not repeat it.
fn secret_header(what: &str, value: &str) -> Result<HeaderValue, Error> {
    let mut header = HeaderValue::from_str(value).map_err(|_| {
        Error::from(ErrorKind::Config(format!(
            "the {what} cannot be sent in an HTTP header: it holds a control character or a \
             line break"
        )))
    })?;
    header.set_sensitive(true);
    Ok(header)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings() -> Settings {
        Settings {
            endpoints: Endpoints::same_host(Url::parse("http://127.0.0.1:1/").unwrap()),
            company_id: "421".into(),
            lang: "en-US".into(),
            api_version: "0.0.1".into(),
            manager_token: None,
            quote_token: None,
            open_api_key: None,
            recv_window: None,
            retry: RetryPolicy::default(),
        }
    }

    #[test]
    fn a_token_with_a_line_break_is_refused_without_repeating_it() {
        let mut bad = settings();
        bad.manager_token = Some(ManagerToken::new("secret-part\r\nX-Injected: 1"));
        let error = Runtime::new(reqwest::Client::new(), bad).unwrap_err();
        assert!(matches!(error.kind(), ErrorKind::Config(_)), "{error:?}");
        let shown = format!("{error} {error:?}");
        assert!(shown.contains("Manager token"), "{shown}");
        assert!(!shown.contains("secret-part"), "{shown}");
    }

    #[test]
    fn a_company_id_with_a_line_break_is_refused_by_name() {
        let mut bad = settings();
        bad.company_id = "421\n".into();
        let error = Runtime::new(reqwest::Client::new(), bad).unwrap_err();
        assert_eq!(
            error.to_string(),
            "invalid configuration: the company id `421\\n` cannot be sent in an HTTP header: \
             it holds a control character or a line break"
        );
    }

    #[test]
    fn paths_are_appended_to_the_host() {
        let runtime = Runtime::new(reqwest::Client::new(), settings()).unwrap();
        assert_eq!(
            runtime.url(Api::Manager, "/openapi-b/x"),
            "http://127.0.0.1:1/openapi-b/x"
        );
    }
}
