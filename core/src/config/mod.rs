//! Configuration: where the APIs are, who is calling, with which credentials, and how
//! patiently. One [`Config`], checked once by its [`Builder`], read by every call and stream.

mod env;
mod environment;
pub(crate) mod tls;

use std::fmt;
use std::marker::PhantomData;
use std::sync::Arc;
use std::time::Duration;

use http::HeaderValue;
use url::Url;

pub use env::EnvVariable;
pub use environment::{Endpoints, Environment};

use crate::error::{Error, ErrorKind};
use crate::locale::Locale;
use crate::open_api_sign::OpenApiKey;
use crate::retry::RetryPolicy;
use crate::secret::{AppSecret, ManagerToken, QuoteToken};

/// An Auth2 application's credentials, issued by the white-label operator.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct AppCredentials {
    /// `appId`.
    pub app_id: String,
    /// `appSecret`.
    pub app_secret: AppSecret,
}

/// The credentials a configuration starts with; the Manager token and the Open API key can be
/// replaced later without a rebuild (`rotate_*` on the client).
#[derive(Debug, Clone, Default)]
pub(crate) struct Credentials {
    pub(crate) manager_token: Option<ManagerToken>,
    pub(crate) quote_token: Option<QuoteToken>,
    pub(crate) app: Option<AppCredentials>,
    pub(crate) open_api_key: Option<OpenApiKey>,
}

/// A checked configuration: what [`Builder::build`] makes, and what the runtime, the flows
/// and the streams read.
#[derive(Clone)]
pub struct Config {
    pub(crate) endpoints: Endpoints,
    company_id_text: String,
    pub(crate) company_id: HeaderValue,
    pub(crate) lang: Locale,
    pub(crate) lang_header: HeaderValue,
    pub(crate) api_version: HeaderValue,
    pub(crate) credentials: Credentials,
    pub(crate) recv_window: Option<Duration>,
    pub(crate) retry: RetryPolicy,
    timeout: Option<Duration>,
    pub(crate) connect_timeout: Duration,
    pub(crate) user_agent: HeaderValue,
    pub(crate) http: reqwest::Client,
    pub(crate) tls: Arc<rustls::ClientConfig>,
}

impl Config {
    /// Where the APIs and the trading UI are.
    pub fn endpoints(&self) -> &Endpoints {
        &self.endpoints
    }

    /// The white-label company id.
    pub fn company_id(&self) -> &str {
        &self.company_id_text
    }

    /// The language of answers and of the trading UI.
    pub fn lang(&self) -> &Locale {
        &self.lang
    }

    /// The Auth2 application's credentials, when configured.
    pub fn app_credentials(&self) -> Option<&AppCredentials> {
        self.credentials.app.as_ref()
    }

    /// The quote service's token, when configured.
    pub fn quote_token(&self) -> Option<&QuoteToken> {
        self.credentials.quote_token.as_ref()
    }

    /// Retries of failed calls.
    pub fn retry(&self) -> RetryPolicy {
        self.retry
    }

    /// The limit of one attempt of a request; `None` when the HTTP client was supplied (its
    /// own limit applies).
    pub fn timeout(&self) -> Option<Duration> {
        self.timeout
    }

    /// How long a connection may take to establish (the streams' handshake included).
    pub fn connect_timeout(&self) -> Duration {
        self.connect_timeout
    }

    /// The `User-Agent` every request and stream handshake carries.
    pub fn user_agent(&self) -> &HeaderValue {
        &self.user_agent
    }

    /// The TLS configuration of every connection, HTTP and WebSocket alike.
    #[doc(hidden)]
    pub fn tls(&self) -> Arc<rustls::ClientConfig> {
        self.tls.clone()
    }
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The credentials redact themselves.
        f.debug_struct("Config")
            .field("endpoints", &self.endpoints)
            .field("company_id", &self.company_id)
            .field("lang", &self.lang)
            .field("api_version", &self.api_version)
            .field("credentials", &self.credentials)
            .field("recv_window", &self.recv_window)
            .field("retry", &self.retry)
            .field("connect_timeout", &self.connect_timeout)
            .field("user_agent", &self.user_agent)
            .finish_non_exhaustive()
    }
}

/// What a [`Builder`] builds: the SDK's client, or the configuration alone.
pub trait FromConfig: Sized {
    /// The value for a checked configuration.
    fn from_config(config: Config) -> Self;
}

impl FromConfig for Config {
    fn from_config(config: Config) -> Self {
        config
    }
}

/// Builds a client (`mm_sdk::MultiMarkets::builder`) or a [`Config`]: each setting has a
/// method, every one but the company id has a default, and [`build`](Builder::build) checks
/// them all at once, so that a bad value fails there, named, and never on a call.
#[must_use]
pub struct Builder<T = Config> {
    environment: Environment,
    company_id: Option<String>,
    lang: Locale,
    api_version: String,
    credentials: Credentials,
    recv_window: Option<Duration>,
    timeout: Option<Duration>,
    connect_timeout: Option<Duration>,
    retry: RetryPolicy,
    allow_insecure_http: bool,
    user_agent: Option<String>,
    http: Option<reqwest::Client>,
    builds: PhantomData<fn() -> T>,
}

impl<T> Clone for Builder<T> {
    fn clone(&self) -> Self {
        Self {
            environment: self.environment.clone(),
            company_id: self.company_id.clone(),
            lang: self.lang.clone(),
            api_version: self.api_version.clone(),
            credentials: self.credentials.clone(),
            recv_window: self.recv_window,
            timeout: self.timeout,
            connect_timeout: self.connect_timeout,
            retry: self.retry,
            allow_insecure_http: self.allow_insecure_http,
            user_agent: self.user_agent.clone(),
            http: self.http.clone(),
            builds: PhantomData,
        }
    }
}

impl<T> fmt::Debug for Builder<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Builder")
            .field("environment", &self.environment)
            .field("company_id", &self.company_id)
            .field("lang", &self.lang)
            .field("api_version", &self.api_version)
            .field("credentials", &self.credentials)
            .field("recv_window", &self.recv_window)
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("retry", &self.retry)
            .field("allow_insecure_http", &self.allow_insecure_http)
            .field("user_agent", &self.user_agent)
            .field("http", &self.http.as_ref().map(|_| "<supplied>"))
            .finish()
    }
}

/// The default limit of a whole request, its answer included.
const TIMEOUT: Duration = Duration::from_secs(30);
/// The default limit of establishing a connection.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

impl<T: FromConfig> Builder<T> {
    /// A builder for `environment`, every setting at its default.
    pub fn new(environment: Environment) -> Self {
        Self {
            environment,
            company_id: None,
            lang: Locale::en_us(),
            api_version: "0.0.1".into(),
            credentials: Credentials::default(),
            recv_window: None,
            timeout: None,
            connect_timeout: None,
            retry: RetryPolicy::default(),
            allow_insecure_http: false,
            user_agent: None,
            http: None,
            builds: PhantomData,
        }
    }

    /// The white-label company id (required): sent as `companyId`, `Companyid` or `company`,
    /// as each endpoint spells it.
    pub fn company_id(mut self, company_id: impl Into<String>) -> Self {
        self.company_id = Some(company_id.into());
        self
    }

    /// The `lang` header and the trading UI's locale; `en-US` by default.
    pub fn lang(mut self, lang: Locale) -> Self {
        self.lang = lang;
        self
    }

    /// The `Version` header; `0.0.1` (the docs' value) by default.
    pub fn api_version(mut self, version: impl Into<String>) -> Self {
        self.api_version = version.into();
        self
    }

    /// The Manager API token, needed for every Manager call; replace it later with the
    /// client's `rotate_manager_token`.
    pub fn manager_token(mut self, token: ManagerToken) -> Self {
        self.credentials.manager_token = Some(token);
        self
    }

    /// The token of the Manager API's quote service (market data over HTTP), issued apart
    /// from the Manager token; needed only for those queries.
    pub fn quote_token(mut self, token: QuoteToken) -> Self {
        self.credentials.quote_token = Some(token);
        self
    }

    /// The Auth2 application's credentials, needed to exchange codes for tokens.
    pub fn app_credentials(mut self, app_id: impl Into<String>, app_secret: AppSecret) -> Self {
        self.credentials.app = Some(AppCredentials {
            app_id: app_id.into(),
            app_secret,
        });
        self
    }

    /// The Open API key pair, needed for the Open API calls (they are signed with it);
    /// replace it later with the client's `rotate_open_api_key`.
    pub fn open_api_key(mut self, key: OpenApiKey) -> Self {
        self.credentials.open_api_key = Some(key);
        self
    }

    /// The Open API's `recvWindow`: how long after its timestamp the server accepts a signed
    /// request. Not sent by default, which leaves the server's own window.
    pub fn recv_window(mut self, window: Duration) -> Self {
        self.recv_window = Some(window);
        self
    }

    /// Limit for one attempt of a request, its answer included; 30 s by default. A call can
    /// set its own, and a deadline over all its attempts.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Limit for establishing a connection, HTTP or WebSocket; 10 s by default. With a
    /// supplied HTTP client ([`http_client`](Self::http_client)) it limits the streams'
    /// connections only.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// Retries of failed calls; see [`RetryPolicy`]. Only reads, and writes the server
    /// deduplicates, are retried after a failure that may have reached the server.
    pub fn retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    /// Allows plain `http://` base URLs on hosts other than loopback. Off by default:
    /// credentials would cross the network in clear text.
    pub fn allow_insecure_http(mut self, allow: bool) -> Self {
        self.allow_insecure_http = allow;
        self
    }

    /// Names your application in the `User-Agent`, before the SDK's own product token:
    /// `my-app/1.2 mm-sdk/<version>`.
    pub fn user_agent(mut self, product: impl Into<String>) -> Self {
        self.user_agent = Some(product.into());
        self
    }

    /// Sends every HTTP request through `client`: your proxy, connection pool settings, root
    /// certificates and timeouts. Its settings are then yours: [`timeout`](Self::timeout)
    /// cannot be set besides (the build says so), redirects follow its policy (the APIs never
    /// redirect; consider `redirect::Policy::none()`), and plain `http://` is refused by the
    /// base URL check all the same. The streams' WebSockets do not go through it: they keep
    /// the SDK's TLS and connect directly (no proxy).
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// Checks the configuration and builds. Every value that goes into a header is checked
    /// here, so a bad one fails now, naming the setting, and never on a call.
    pub fn build(self) -> Result<T, Error> {
        let invalid = |why: String| Error::from(ErrorKind::Config(why));
        let company_id = self
            .company_id
            .filter(|id| !id.is_empty())
            .ok_or_else(|| invalid("a company id is required (`Builder::company_id`)".into()))?;
        let endpoints = self.environment.endpoints();
        for (name, base) in [
            ("client", &endpoints.client),
            ("manager", &endpoints.manager),
            ("auth2", &endpoints.auth2),
            ("trading_ui", &endpoints.trading_ui),
        ] {
            check_base_url(name, base, self.allow_insecure_http).map_err(invalid)?;
        }
        if let Some(app) = &self.credentials.app
            && app.app_id.is_empty()
        {
            return Err(invalid("the Auth2 app id is empty".into()));
        }
        if let Some(token) = &self.credentials.manager_token {
            secret_header("Manager token", token.expose_secret())?;
        }
        if let Some(key) = &self.credentials.open_api_key {
            config_header("Open API key id", key.api_key())?;
        }
        let product = match &self.user_agent {
            Some(product) => format!("{product} {SDK}"),
            None => SDK.to_owned(),
        };
        let user_agent = config_header("user agent", &product)?;
        let tls = tls::client_config().map_err(invalid)?;
        // The limit of an attempt: the SDK's, or none of its own beside a supplied client.
        let timeout = self.http.is_none().then(|| self.timeout.unwrap_or(TIMEOUT));
        let http = match self.http {
            Some(client) => {
                if self.timeout.is_some() {
                    return Err(invalid(
                        "the timeout of a supplied HTTP client is its own: set it on its \
                         `reqwest::ClientBuilder`, not on this builder"
                            .into(),
                    ));
                }
                client
            }
            None => reqwest::Client::builder()
                .timeout(self.timeout.unwrap_or(TIMEOUT))
                .connect_timeout(self.connect_timeout.unwrap_or(CONNECT_TIMEOUT))
                // The APIs do not redirect; following one could carry credentials elsewhere.
                .redirect(reqwest::redirect::Policy::none())
                .https_only(!self.allow_insecure_http && all_https(&endpoints))
                .tls_backend_preconfigured((*tls).clone())
                .build()
                .map_err(|e| invalid(format!("cannot build the HTTP client: {e}")))?,
        };
        let config = Config {
            company_id: config_header("company id", &company_id)?,
            company_id_text: company_id,
            lang_header: config_header("language", self.lang.as_str())?,
            lang: self.lang,
            api_version: config_header("API version", &self.api_version)?,
            endpoints,
            credentials: self.credentials,
            recv_window: self.recv_window,
            retry: self.retry,
            timeout,
            connect_timeout: self.connect_timeout.unwrap_or(CONNECT_TIMEOUT),
            user_agent,
            http,
            tls,
        };
        Ok(T::from_config(config))
    }
}

/// The SDK's product token in the `User-Agent`.
const SDK: &str = concat!("mm-sdk/", env!("CARGO_PKG_VERSION"));

fn all_https(endpoints: &Endpoints) -> bool {
    [&endpoints.client, &endpoints.manager, &endpoints.auth2]
        .iter()
        .all(|url| url.scheme() == "https")
}

/// A base URL must be `https://`, or `http://` on a loopback host (a local sandbox), unless
/// insecure HTTP is allowed explicitly.
fn check_base_url(name: &str, url: &Url, allow_insecure_http: bool) -> Result<(), String> {
    let loopback = match url.host() {
        Some(url::Host::Domain(host)) => host == "localhost",
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    };
    match url.scheme() {
        "https" => Ok(()),
        "http" if loopback || allow_insecure_http => Ok(()),
        "http" => Err(format!(
            "the {name} base URL `{url}` is plain http on a non-loopback host; use https, or \
             `allow_insecure_http(true)` (`MM_ALLOW_INSECURE_HTTP=true`) if you really mean it"
        )),
        other => Err(format!(
            "the {name} base URL `{url}` has scheme `{other}`; expected https"
        )),
    }
}

/// A configured value as a header value, or the configuration error that names it.
pub(crate) fn config_header(what: &str, value: &str) -> Result<HeaderValue, Error> {
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
pub(crate) fn secret_header(what: &str, value: &str) -> Result<HeaderValue, Error> {
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

    fn local() -> Builder<Config> {
        Builder::new(Environment::custom(Endpoints::same_host(
            Url::parse("http://127.0.0.1:1/").unwrap(),
        )))
        .company_id("421")
    }

    #[test]
    fn a_token_with_a_line_break_is_refused_without_repeating_it() {
        let error = local()
            .manager_token(ManagerToken::new("secret-part\r\nX-Injected: 1"))
            .build()
            .unwrap_err();
        assert!(matches!(error.kind(), ErrorKind::Config(_)), "{error:?}");
        let shown = format!("{error} {error:?}");
        assert!(shown.contains("Manager token"), "{shown}");
        assert!(!shown.contains("secret-part"), "{shown}");
    }

    #[test]
    fn a_company_id_with_a_line_break_is_refused_by_name() {
        let error = local().company_id("421\n").build().unwrap_err();
        assert_eq!(
            error.to_string(),
            "invalid configuration: the company id `421\\n` cannot be sent in an HTTP header: \
             it holds a control character or a line break"
        );
    }

    #[test]
    fn the_user_agent_names_the_application_then_the_sdk() {
        let config = local().user_agent("desk/2.1").build().unwrap();
        assert_eq!(
            config.user_agent().to_str().unwrap(),
            format!("desk/2.1 mm-sdk/{}", env!("CARGO_PKG_VERSION"))
        );
        let config = local().build().unwrap();
        assert_eq!(config.user_agent().to_str().unwrap(), SDK);
    }

    #[test]
    fn a_timeout_beside_a_supplied_client_is_refused() {
        let error = local()
            .http_client(reqwest::Client::new())
            .timeout(Duration::from_secs(1))
            .build()
            .unwrap_err();
        assert!(
            error.to_string().contains("supplied HTTP client"),
            "{error}"
        );
        // The connect timeout then limits the streams' connections.
        let config = local()
            .http_client(reqwest::Client::new())
            .connect_timeout(Duration::from_secs(2))
            .build()
            .unwrap();
        assert_eq!(config.timeout(), None);
        assert_eq!(config.connect_timeout(), Duration::from_secs(2));
    }

    #[test]
    fn the_company_id_is_kept_as_given() {
        let config = local().company_id("公司").build().unwrap();
        assert_eq!(config.company_id(), "公司");
    }

    #[test]
    fn plain_http_off_loopback_is_refused() {
        let error = Builder::<Config>::new(Environment::custom(Endpoints::same_host(
            Url::parse("http://example.com/").unwrap(),
        )))
        .company_id("1")
        .build()
        .unwrap_err();
        assert!(error.to_string().contains("plain http"), "{error}");
    }
}
