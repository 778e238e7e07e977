//! Configuration: where the APIs are, who is calling, and how patiently.

use std::fmt;

use std::time::Duration;

use mm_sdk_core::{
    AppSecret, Endpoints, Error, ErrorKind, ManagerToken, OpenApiKey, QuoteToken, RetryPolicy,
    Runtime, Settings,
};
use url::Url;

use crate::locale::Locale;

/// Which MultiMarkets deployment to talk to.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Environment {
    /// The pre-release test deployment the upstream docs use in all their examples.
    PreRelease,
    /// Any other deployment (a white-label brand's production hosts, a local sandbox); see
    /// [`Environment::custom`].
    Custom(Box<Endpoints>),
}

impl Environment {
    /// A deployment at `endpoints`.
    pub fn custom(endpoints: Endpoints) -> Self {
        Self::Custom(Box::new(endpoints))
    }

    /// The base URLs of this environment.
    pub fn endpoints(&self) -> Endpoints {
        match self {
            Environment::PreRelease => Endpoints::same_host(url("https://prewppc-3.cmfbl.com"))
                .manager(url("https://pre-api-test.cmfbl.com"))
                .auth2(url("https://prepc-real.headline.net"))
                .trading_ui(url("https://www.headline.net")),
            Environment::Custom(endpoints) => (**endpoints).clone(),
        }
    }
}

fn url(fixed: &str) -> Url {
    Url::parse(fixed).unwrap_or_else(|e| unreachable!("`{fixed}` is a valid URL: {e}"))
}

/// An Auth2 application's credentials, issued by the white-label operator.
#[derive(Debug, Clone)]
pub struct AppCredentials {
    /// `appId`.
    pub app_id: String,
    /// `appSecret`.
    pub app_secret: AppSecret,
}

/// Builds a [`MultiMarkets`](crate::MultiMarkets) client; start with
/// [`MultiMarkets::builder`](crate::MultiMarkets::builder).
#[derive(Clone)]
#[must_use]
pub struct Builder {
    environment: Environment,
    company_id: Option<String>,
    lang: Locale,
    api_version: String,
    manager_token: Option<ManagerToken>,
    quote_token: Option<QuoteToken>,
    app: Option<AppCredentials>,
    open_api_key: Option<OpenApiKey>,
    recv_window: Option<Duration>,
    timeout: Duration,
    connect_timeout: Duration,
    retry: RetryPolicy,
    allow_insecure_http: bool,
}

impl fmt::Debug for Builder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Builder")
            .field("environment", &self.environment)
            .field("company_id", &self.company_id)
            .field("lang", &self.lang)
            .field("api_version", &self.api_version)
            .field("manager_token", &self.manager_token)
            .field("quote_token", &self.quote_token)
            .field("app", &self.app)
            .field("open_api_key", &self.open_api_key)
            .field("recv_window", &self.recv_window)
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("retry", &self.retry)
            .field("allow_insecure_http", &self.allow_insecure_http)
            .finish()
    }
}

impl Builder {
    pub(crate) fn new(environment: Environment) -> Self {
        Self {
            environment,
            company_id: None,
            lang: Locale::en_us(),
            api_version: "0.0.1".into(),
            manager_token: None,
            quote_token: None,
            app: None,
            open_api_key: None,
            recv_window: None,
            timeout: Duration::from_secs(30),
            connect_timeout: Duration::from_secs(10),
            retry: RetryPolicy::default(),
            allow_insecure_http: false,
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

    /// The Manager API token, needed for every Manager call.
    pub fn manager_token(mut self, token: ManagerToken) -> Self {
        self.manager_token = Some(token);
        self
    }

    /// The token of the Manager API's quote service (market data over HTTP), issued apart
    /// from the Manager token; needed only for those queries.
    pub fn quote_token(mut self, token: QuoteToken) -> Self {
        self.quote_token = Some(token);
        self
    }

    /// The Auth2 application's credentials, needed to exchange codes for tokens.
    pub fn app_credentials(mut self, app_id: impl Into<String>, app_secret: AppSecret) -> Self {
        self.app = Some(AppCredentials {
            app_id: app_id.into(),
            app_secret,
        });
        self
    }

    /// The Open API key pair, needed for the Open API calls (they are signed with it).
    pub fn open_api_key(mut self, key: OpenApiKey) -> Self {
        self.open_api_key = Some(key);
        self
    }

    /// The Open API's `recvWindow`: how long after its timestamp the server accepts a signed
    /// request. Not sent by default, which leaves the server's own window.
    pub fn recv_window(mut self, window: Duration) -> Self {
        self.recv_window = Some(window);
        self
    }

    /// Limit for a whole request, response body included; 30 s by default.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Limit for establishing a connection; 10 s by default.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Retries of failed calls; see [`RetryPolicy`]. Only reads are retried after a failure
    /// that may have reached the server.
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

    /// Checks the configuration and builds the client. Every value that goes into a header
    /// is checked here, so a bad one fails now, naming the setting, and never on a call.
    pub fn build(self) -> Result<crate::MultiMarkets, Error> {
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
        if let Some(app) = &self.app
            && app.app_id.is_empty()
        {
            return Err(invalid("the Auth2 app id is empty".into()));
        }
        let http = reqwest::Client::builder()
            .timeout(self.timeout)
            .connect_timeout(self.connect_timeout)
            // The APIs do not redirect; following one could carry credentials elsewhere.
            .redirect(reqwest::redirect::Policy::none())
            .https_only(!self.allow_insecure_http && all_https(&endpoints))
            .build()
            .map_err(|e| invalid(format!("cannot build the HTTP client: {e}")))?;
        let trading_ui = endpoints.trading_ui.clone();
        let runtime = Runtime::new(
            http,
            Settings {
                endpoints,
                company_id,
                lang: self.lang.as_str().to_owned(),
                api_version: self.api_version,
                manager_token: self.manager_token,
                quote_token: self.quote_token,
                open_api_key: self.open_api_key,
                recv_window: self.recv_window,
                retry: self.retry,
            },
        )?;
        Ok(crate::MultiMarkets::new(
            runtime, self.app, self.lang, trading_ui,
        ))
    }
}

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
             `allow_insecure_http(true)` if you really mean it"
        )),
        other => Err(format!(
            "the {name} base URL `{url}` has scheme `{other}`; expected https"
        )),
    }
}
