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
    /// Any other deployment: production ([`Environment::production`]), a white-label brand's
    /// own hosts, a local sandbox; see [`Environment::custom`].
    Custom(Box<Endpoints>),
}

impl Environment {
    /// A deployment at `endpoints`.
    pub fn custom(endpoints: Endpoints) -> Self {
        Self::Custom(Box::new(endpoints))
    }

    /// The production deployment: the Client API (and Open API) and the Manager API at
    /// upstream's documented production host, with the Auth2 gateway and the trading UI of
    /// your white label, which upstream does not document (they are per brand).
    pub fn production(auth2: Url, trading_ui: Url) -> Self {
        Self::custom(
            Endpoints::same_host(fixed(PRODUCTION))
                .auth2(auth2)
                .trading_ui(trading_ui),
        )
    }

    /// The base URLs of this environment.
    pub fn endpoints(&self) -> Endpoints {
        match self {
            Environment::PreRelease => Endpoints::same_host(fixed("https://prewppc-3.cmfbl.com"))
                .manager(fixed("https://pre-api-test.cmfbl.com"))
                .auth2(fixed("https://prepc-real.headline.net"))
                .trading_ui(fixed(HEADLINE)),
            Environment::Custom(endpoints) => (**endpoints).clone(),
        }
    }
}

/// The trading UI of the pre-release deployment.
const HEADLINE: &str = "https://www.headline.net";

/// Upstream's production host of the Client API, the Open API and the Manager API.
pub(crate) const PRODUCTION: &str = "https://api.multimarkets.org";

fn fixed(url: &str) -> Url {
    Url::parse(url).unwrap_or_else(|e| unreachable!("`{url}` is a valid URL: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_documented_deployments_have_their_hosts() {
        let brand = |host: &str| Url::parse(host).unwrap();
        let production = Environment::production(
            brand("https://auth.brand.example"),
            brand("https://brand.example"),
        )
        .endpoints();
        assert_eq!(production.client.as_str(), "https://api.multimarkets.org/");
        assert_eq!(production.manager.as_str(), "https://api.multimarkets.org/");
        assert_eq!(production.auth2.as_str(), "https://auth.brand.example/");
        let pre = Environment::PreRelease.endpoints();
        assert_eq!(pre.client.as_str(), "https://prewppc-3.cmfbl.com/");
        assert_eq!(pre.trading_ui.as_str(), "https://www.headline.net/");
    }
}
