//! The configuration read from `MM_*` environment variables.

use std::ffi::OsString;
use std::time::Duration;

use url::Url;

use super::{Builder, Endpoints, Environment, FromConfig};
use crate::error::{Error, ErrorKind};
use crate::locale::Locale;
use crate::open_api_sign::OpenApiKey;
use crate::secret::{AppSecret, ManagerToken, QuoteToken};

/// An environment variable [`Builder::from_env`] reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct EnvVariable {
    /// Its name.
    pub name: &'static str,
    /// Whether its value is a secret (never repeated in an error).
    pub secret: bool,
}

const fn plain(name: &'static str) -> EnvVariable {
    EnvVariable {
        name,
        secret: false,
    }
}

const fn secret(name: &'static str) -> EnvVariable {
    EnvVariable { name, secret: true }
}

const COMPANY_ID: EnvVariable = plain("MM_COMPANY_ID");
const ENVIRONMENT: EnvVariable = plain("MM_ENVIRONMENT");
const BASE_URL: EnvVariable = plain("MM_BASE_URL");
const CLIENT_URL: EnvVariable = plain("MM_CLIENT_URL");
const MANAGER_URL: EnvVariable = plain("MM_MANAGER_URL");
const AUTH2_URL: EnvVariable = plain("MM_AUTH2_URL");
const TRADING_UI_URL: EnvVariable = plain("MM_TRADING_UI_URL");
const LANG: EnvVariable = plain("MM_LANG");
const API_VERSION: EnvVariable = plain("MM_API_VERSION");
const MANAGER_TOKEN: EnvVariable = secret("MM_MANAGER_TOKEN");
const QUOTE_TOKEN: EnvVariable = secret("MM_QUOTE_TOKEN");
const APP_ID: EnvVariable = plain("MM_APP_ID");
const APP_SECRET: EnvVariable = secret("MM_APP_SECRET");
const OPEN_API_KEY: EnvVariable = plain("MM_OPEN_API_KEY");
const OPEN_API_PRIVATE_KEY: EnvVariable = secret("MM_OPEN_API_PRIVATE_KEY");
const RECV_WINDOW_MS: EnvVariable = plain("MM_RECV_WINDOW_MS");
const TIMEOUT_MS: EnvVariable = plain("MM_TIMEOUT_MS");
const CONNECT_TIMEOUT_MS: EnvVariable = plain("MM_CONNECT_TIMEOUT_MS");
const RETRY_MAX_ATTEMPTS: EnvVariable = plain("MM_RETRY_MAX_ATTEMPTS");
const USER_AGENT: EnvVariable = plain("MM_USER_AGENT");
const ALLOW_INSECURE_HTTP: EnvVariable = plain("MM_ALLOW_INSECURE_HTTP");

impl EnvVariable {
    /// Every variable [`Builder::from_env`] reads, in the order its table lists them.
    pub const ALL: &'static [EnvVariable] = &[
        COMPANY_ID,
        ENVIRONMENT,
        BASE_URL,
        CLIENT_URL,
        MANAGER_URL,
        AUTH2_URL,
        TRADING_UI_URL,
        LANG,
        API_VERSION,
        MANAGER_TOKEN,
        QUOTE_TOKEN,
        APP_ID,
        APP_SECRET,
        OPEN_API_KEY,
        OPEN_API_PRIVATE_KEY,
        RECV_WINDOW_MS,
        TIMEOUT_MS,
        CONNECT_TIMEOUT_MS,
        RETRY_MAX_ATTEMPTS,
        USER_AGENT,
        ALLOW_INSECURE_HTTP,
    ];
}

impl<T: FromConfig> Builder<T> {
    /// A builder set from the process's `MM_*` environment variables; change what you like
    /// before [`build`](Builder::build). A variable that is unset leaves the default; one
    /// that is set but cannot be used (not a URL, not a number, a key that is not a key, one
    /// of a pair without the other) is an [`ErrorKind::Config`] naming it, whose message
    /// never repeats a secret.
    ///
    #[doc = include_str!("env.md")]
    pub fn from_env() -> Result<Self, Error> {
        Self::from_lookup(|name| std::env::var_os(name))
    }

    /// [`from_env`](Builder::from_env) with the variables looked up by `lookup`.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<OsString>) -> Result<Self, Error> {
        let read = Reader { lookup: &lookup };
        let company_id = read
            .text(COMPANY_ID)?
            .ok_or_else(|| read.missing(COMPANY_ID, "it gives the company id"))?;
        let (auth2, trading_ui) = (read.url(AUTH2_URL)?, read.url(TRADING_UI_URL)?);
        let mut endpoints = match (read.url(BASE_URL)?, read.text(ENVIRONMENT)?) {
            (Some(_), Some(_)) => {
                return Err(config(format!(
                    "`{}` and `{}` are both set: set one",
                    BASE_URL.name, ENVIRONMENT.name
                )));
            }
            (Some(base), None) => Endpoints::same_host(base),
            (None, None) => Environment::PreRelease.endpoints(),
            (None, Some(name)) if name == "pre-release" => Environment::PreRelease.endpoints(),
            // Upstream documents no production host of the Auth2 API or the trading UI.
            (None, Some(name)) if name == "production" => match (&auth2, &trading_ui) {
                (Some(auth2), Some(ui)) => {
                    Environment::production(auth2.clone(), ui.clone()).endpoints()
                }
                (None, _) => {
                    return Err(read.missing(AUTH2_URL, "production needs your Auth2 host"));
                }
                (_, None) => {
                    return Err(read.missing(TRADING_UI_URL, "production needs your trading UI"));
                }
            },
            (None, Some(name)) => {
                return Err(read.malformed(ENVIRONMENT, &name, "`pre-release` or `production`"));
            }
        };
        if let Some(url) = read.url(CLIENT_URL)? {
            endpoints = endpoints.client(url);
        }
        if let Some(url) = read.url(MANAGER_URL)? {
            endpoints = endpoints.manager(url);
        }
        if let Some(url) = auth2 {
            endpoints = endpoints.auth2(url);
        }
        if let Some(url) = trading_ui {
            endpoints = endpoints.trading_ui(url);
        }
        let mut builder = Self::new(Environment::custom(endpoints)).company_id(company_id);
        if let Some(tag) = read.text(LANG)? {
            let lang = tag
                .parse::<Locale>()
                .map_err(|_| read.malformed(LANG, &tag, "a language tag like `en-US`"))?;
            builder = builder.lang(lang);
        }
        if let Some(version) = read.text(API_VERSION)? {
            builder = builder.api_version(version);
        }
        if let Some(token) = read.text(MANAGER_TOKEN)? {
            builder = builder.manager_token(ManagerToken::new(token));
        }
        if let Some(token) = read.text(QUOTE_TOKEN)? {
            builder = builder.quote_token(QuoteToken::new(token));
        }
        if let Some((id, secret)) = read.pair(APP_ID, APP_SECRET)? {
            builder = builder.app_credentials(id, AppSecret::new(secret));
        }
        if let Some((id, private_key)) = read.pair(OPEN_API_KEY, OPEN_API_PRIVATE_KEY)? {
            let key = OpenApiKey::new(id, &private_key).map_err(|_| {
                read.malformed(
                    OPEN_API_PRIVATE_KEY,
                    &private_key,
                    "a base64 PKCS#8 RSA private key",
                )
            })?;
            builder = builder.open_api_key(key);
        }
        if let Some(window) = read.millis(RECV_WINDOW_MS)? {
            builder = builder.recv_window(window);
        }
        if let Some(timeout) = read.millis(TIMEOUT_MS)? {
            builder = builder.timeout(timeout);
        }
        if let Some(timeout) = read.millis(CONNECT_TIMEOUT_MS)? {
            builder = builder.connect_timeout(timeout);
        }
        if let Some(text) = read.text(RETRY_MAX_ATTEMPTS)? {
            let attempts = text
                .parse::<u32>()
                .ok()
                .filter(|n| *n >= 1)
                .ok_or_else(|| {
                    read.malformed(RETRY_MAX_ATTEMPTS, &text, "a whole number from 1")
                })?;
            builder = builder.retry(crate::RetryPolicy::default().max_attempts(attempts));
        }
        if let Some(product) = read.text(USER_AGENT)? {
            builder = builder.user_agent(product);
        }
        if let Some(text) = read.text(ALLOW_INSECURE_HTTP)? {
            let allow = match text.as_str() {
                "true" => true,
                "false" => false,
                _ => return Err(read.malformed(ALLOW_INSECURE_HTTP, &text, "`true` or `false`")),
            };
            builder = builder.allow_insecure_http(allow);
        }
        Ok(builder)
    }
}

/// Reads variables, each error naming the variable.
struct Reader<'a> {
    lookup: &'a dyn Fn(&str) -> Option<OsString>,
}

impl Reader<'_> {
    /// The variable's text; `None` when unset or empty. Every value goes into a header or a
    /// URL: one holding a control character (a line break) is refused here, named.
    fn text(&self, variable: EnvVariable) -> Result<Option<String>, Error> {
        match (self.lookup)(variable.name) {
            None => Ok(None),
            Some(value) => match value.into_string() {
                Ok(text) if text.is_empty() => Ok(None),
                Ok(text) if text.chars().any(char::is_control) => Err(config(format!(
                    "the environment variable `{}` holds a control character (a line break?)",
                    variable.name
                ))),
                Ok(text) => Ok(Some(text)),
                Err(_) => Err(config(format!(
                    "the environment variable `{}` is not valid UTF-8",
                    variable.name
                ))),
            },
        }
    }

    fn url(&self, variable: EnvVariable) -> Result<Option<Url>, Error> {
        self.text(variable)?
            .map(|text| {
                Url::parse(&text).map_err(|_| self.malformed(variable, &text, "an absolute URL"))
            })
            .transpose()
    }

    /// A duration in whole milliseconds, at least 1 (a zero limit would fail every call).
    fn millis(&self, variable: EnvVariable) -> Result<Option<Duration>, Error> {
        self.text(variable)?
            .map(|text| {
                text.parse::<u64>()
                    .ok()
                    .filter(|ms| *ms >= 1)
                    .map(Duration::from_millis)
                    .ok_or_else(|| {
                        self.malformed(variable, &text, "a whole number of milliseconds from 1")
                    })
            })
            .transpose()
    }

    /// Two variables that go together: both or neither.
    fn pair(
        &self,
        first: EnvVariable,
        second: EnvVariable,
    ) -> Result<Option<(String, String)>, Error> {
        match (self.text(first)?, self.text(second)?) {
            (Some(a), Some(b)) => Ok(Some((a, b))),
            (None, None) => Ok(None),
            (Some(_), None) => Err(self.missing(second, &format!("`{}` is set", first.name))),
            (None, Some(_)) => Err(self.missing(first, &format!("`{}` is set", second.name))),
        }
    }

    fn missing(&self, variable: EnvVariable, why: &str) -> Error {
        config(format!(
            "the environment variable `{}` is not set, and must be: {why}",
            variable.name
        ))
    }

    fn malformed(&self, variable: EnvVariable, value: &str, expected: &str) -> Error {
        let shown = if variable.secret {
            String::from("its value")
        } else {
            format!("`{}`", value.escape_debug())
        };
        config(format!(
            "the environment variable `{}` holds {shown}, which is not {expected}",
            variable.name
        ))
    }
}

fn config(why: String) -> Error {
    ErrorKind::Config(why).into()
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;
    use crate::config::Config;
    use crate::open_api_sign::tests::TEST_KEY;

    fn from(vars: &[(&str, &str)]) -> Result<Builder<Config>, Error> {
        let vars: HashMap<String, OsString> = vars
            .iter()
            .map(|(name, value)| ((*name).to_owned(), OsString::from(value)))
            .collect();
        Builder::from_lookup(|name| vars.get(name).cloned())
    }

    /// A value of every variable but `MM_ENVIRONMENT` (which `MM_BASE_URL` excludes).
    fn every_variable() -> Vec<(&'static str, &'static str)> {
        vec![
            ("MM_COMPANY_ID", "421"),
            ("MM_BASE_URL", "http://127.0.0.1:9/"),
            ("MM_CLIENT_URL", "http://127.0.0.1:1/"),
            ("MM_MANAGER_URL", "http://127.0.0.1:2/"),
            ("MM_AUTH2_URL", "http://127.0.0.1:3/"),
            ("MM_TRADING_UI_URL", "https://ui.example/"),
            ("MM_LANG", "zh-CN"),
            ("MM_API_VERSION", "0.0.2"),
            ("MM_MANAGER_TOKEN", "manager-secret"),
            ("MM_QUOTE_TOKEN", "quote-secret"),
            ("MM_APP_ID", "app"),
            ("MM_APP_SECRET", "app-secret"),
            ("MM_OPEN_API_KEY", "key-id"),
            ("MM_OPEN_API_PRIVATE_KEY", TEST_KEY),
            ("MM_RECV_WINDOW_MS", "5000"),
            ("MM_TIMEOUT_MS", "1500"),
            ("MM_CONNECT_TIMEOUT_MS", "700"),
            ("MM_RETRY_MAX_ATTEMPTS", "5"),
            ("MM_USER_AGENT", "desk/2"),
            ("MM_ALLOW_INSECURE_HTTP", "true"),
        ]
    }

    #[test]
    fn the_documented_table_lists_every_variable_read() {
        let documented: Vec<&str> = include_str!("env.md")
            .lines()
            .filter_map(|line| line.strip_prefix("| `"))
            .filter_map(|rest| rest.split('`').next())
            .collect();
        let read: Vec<&str> = EnvVariable::ALL.iter().map(|v| v.name).collect();
        assert_eq!(documented, read);
        let mut given: Vec<&str> = every_variable().iter().map(|(name, _)| *name).collect();
        given.push("MM_ENVIRONMENT");
        given.sort_unstable();
        let mut read = read;
        read.sort_unstable();
        assert_eq!(given, read, "the tests below give every variable");
    }

    #[test]
    fn every_documented_variable_is_read() {
        let config = from(&every_variable()).unwrap().build().unwrap();
        let endpoints = config.endpoints();
        assert_eq!(endpoints.client.as_str(), "http://127.0.0.1:1/");
        assert_eq!(endpoints.manager.as_str(), "http://127.0.0.1:2/");
        assert_eq!(endpoints.auth2.as_str(), "http://127.0.0.1:3/");
        assert_eq!(endpoints.trading_ui.as_str(), "https://ui.example/");
        assert_eq!(config.company_id(), "421");
        assert_eq!(config.lang().as_str(), "zh-CN");
        assert_eq!(config.api_version, "0.0.2");
        let credentials = &config.credentials;
        assert_eq!(
            credentials
                .manager_token
                .as_ref()
                .map(|t| t.expose_secret()),
            Some("manager-secret")
        );
        assert_eq!(
            config.quote_token().map(|t| t.expose_secret()),
            Some("quote-secret")
        );
        let app = config.app_credentials().unwrap();
        assert_eq!(
            (app.app_id.as_str(), app.app_secret.expose_secret()),
            ("app", "app-secret")
        );
        assert_eq!(
            credentials.open_api_key.as_ref().map(|k| k.api_key()),
            Some("key-id")
        );
        assert_eq!(config.recv_window, Some(Duration::from_millis(5000)));
        assert_eq!(config.timeout(), Some(Duration::from_millis(1500)));
        assert_eq!(config.connect_timeout(), Duration::from_millis(700));
        assert_eq!(config.retry().attempts(), 5);
        assert!(
            config
                .user_agent()
                .to_str()
                .unwrap()
                .starts_with("desk/2 mm-sdk/")
        );
        // `MM_ALLOW_INSECURE_HTTP=true`: an http base URL off loopback builds.
        let mut remote = every_variable();
        remote.retain(|(name, _)| !name.ends_with("_URL"));
        remote.push(("MM_BASE_URL", "http://api.example/"));
        from(&remote).unwrap().build().unwrap();
        remote.retain(|(name, _)| *name != "MM_ALLOW_INSECURE_HTTP");
        assert!(from(&remote).unwrap().build().is_err());
        // `MM_ENVIRONMENT`: production needs the brand's own Auth2 host and trading UI.
        let config = from(&[
            ("MM_COMPANY_ID", "1"),
            ("MM_ENVIRONMENT", "production"),
            ("MM_AUTH2_URL", "https://auth.brand.example/"),
            ("MM_TRADING_UI_URL", "https://brand.example/"),
        ])
        .unwrap()
        .build()
        .unwrap();
        assert_eq!(
            config.endpoints().client.as_str(),
            "https://api.multimarkets.org/"
        );
        assert_eq!(
            config.endpoints().auth2.as_str(),
            "https://auth.brand.example/"
        );
        let text = from(&[("MM_COMPANY_ID", "1"), ("MM_ENVIRONMENT", "production")])
            .unwrap_err()
            .to_string();
        assert!(text.contains("`MM_AUTH2_URL` is not set"), "{text}");
    }

    #[test]
    fn a_missing_or_malformed_variable_is_named_and_a_secret_never_repeated() {
        let message = |vars: &[(&str, &str)]| from(vars).unwrap_err().to_string();
        assert!(message(&[]).contains("`MM_COMPANY_ID` is not set"));
        let base = [("MM_COMPANY_ID", "1")];
        for (name, bad) in [
            ("MM_ENVIRONMENT", "staging"),
            ("MM_BASE_URL", "not a url"),
            ("MM_CLIENT_URL", "/relative"),
            ("MM_MANAGER_URL", "::"),
            ("MM_AUTH2_URL", "auth2"),
            ("MM_TRADING_UI_URL", "ui"),
            ("MM_LANG", "en_US"),
            ("MM_RECV_WINDOW_MS", "5s"),
            ("MM_TIMEOUT_MS", "-1"),
            ("MM_RECV_WINDOW_MS", "0"),
            ("MM_CONNECT_TIMEOUT_MS", "1.5"),
            ("MM_RETRY_MAX_ATTEMPTS", "0"),
            ("MM_ALLOW_INSECURE_HTTP", "yes"),
        ] {
            let text = message(&[base[0], (name, bad)]);
            assert!(text.contains(&format!("`{name}`")), "{name}: {text}");
            assert!(
                text.contains(&bad.escape_debug().to_string()),
                "{name}: {text}"
            );
        }
        let text = message(&[
            base[0],
            ("MM_OPEN_API_KEY", "id"),
            ("MM_OPEN_API_PRIVATE_KEY", "hunter2-not-a-key"),
        ]);
        assert!(text.contains("`MM_OPEN_API_PRIVATE_KEY`"), "{text}");
        assert!(!text.contains("hunter2"), "{text}");
        // A value that cannot go into a header is refused by name, and a secret not repeated.
        for name in [
            "MM_MANAGER_TOKEN",
            "MM_COMPANY_ID",
            "MM_USER_AGENT",
            "MM_API_VERSION",
        ] {
            let text = message(&[base[0], (name, "line\nbreak-secret")]);
            assert!(text.contains(&format!("`{name}`")), "{name}: {text}");
            assert!(!text.contains("break-secret"), "{name}: {text}");
        }
        let text = message(&[base[0], ("MM_APP_SECRET", "s3cret")]);
        assert!(text.contains("`MM_APP_ID` is not set"), "{text}");
        assert!(!text.contains("s3cret"), "{text}");
        let text = message(&[
            base[0],
            ("MM_ENVIRONMENT", "production"),
            ("MM_BASE_URL", "https://x.example/"),
        ]);
        assert!(text.contains("both set"), "{text}");
    }
}
