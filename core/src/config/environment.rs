//! Where the APIs are: upstream's documented deployments, or any other.

use url::Url;

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

/// Which MultiMarkets deployment to talk to.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Environment {
    /// The pre-release test deployment upstream's docs use in their examples.
    PreRelease,
    /// The production deployment at upstream's documented API host. Upstream documents the
    /// Client, Open API and Manager addresses only: the Auth2 gateway is assumed on the same
    /// host, and the trading UI is the Headline site; a white label with hosts of its own
    /// moves them with [`Environment::custom`].
    Production,
    /// Any other deployment (a white-label brand's own hosts, a local sandbox); see
    /// [`Environment::custom`].
    Custom(Box<Endpoints>),
}

impl Environment {
    /// A deployment at `endpoints`.
    pub fn custom(endpoints: Endpoints) -> Self {
        Self::Custom(Box::new(endpoints))
    }

    /// The environment named `name` as [`from_env`](crate::Builder::from_env) reads it:
    /// `pre-release` or `production`.
    pub fn from_name(name: &str) -> Option<Self> {
        match name {
            "pre-release" => Some(Self::PreRelease),
            "production" => Some(Self::Production),
            _ => None,
        }
    }

    /// The base URLs of this environment.
    pub fn endpoints(&self) -> Endpoints {
        match self {
            Environment::PreRelease => Endpoints::same_host(fixed("https://prewppc-3.cmfbl.com"))
                .manager(fixed("https://pre-api-test.cmfbl.com"))
                .auth2(fixed("https://prepc-real.headline.net"))
                .trading_ui(fixed(HEADLINE)),
            Environment::Production => Endpoints::same_host(fixed("https://api.multimarkets.org"))
                .trading_ui(fixed(HEADLINE)),
            Environment::Custom(endpoints) => (**endpoints).clone(),
        }
    }
}

/// The trading UI of both documented deployments.
const HEADLINE: &str = "https://www.headline.net";

fn fixed(url: &str) -> Url {
    Url::parse(url).unwrap_or_else(|e| unreachable!("`{url}` is a valid URL: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_documented_deployments_have_their_hosts() {
        let production = Environment::Production.endpoints();
        assert_eq!(production.client.as_str(), "https://api.multimarkets.org/");
        assert_eq!(production.manager.as_str(), "https://api.multimarkets.org/");
        let pre = Environment::PreRelease.endpoints();
        assert_eq!(pre.client.as_str(), "https://prewppc-3.cmfbl.com/");
        assert_eq!(pre.trading_ui.as_str(), "https://www.headline.net/");
        assert_eq!(
            Environment::from_name("production"),
            Some(Environment::Production)
        );
        assert_eq!(Environment::from_name("prod"), None);
    }
}
