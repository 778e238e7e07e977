//! The browser half of Auth2: the authorization page's URL, and the redirect back.

use url::Url;

use mm_sdk_core::AuthCode;
use mm_sdk_core::Locale;

/// The URL of the trading UI page where a user authorizes a third-party app:
/// `<trading UI>/<locale>/auth2/code?appId=…&thirdAppType=…&url=<redirect>`, with the
/// redirect URL percent-encoded as a query value (`https%3A%2F%2F…`).
pub fn authorization_url(
    trading_ui: &Url,
    locale: &Locale,
    app_id: &str,
    third_app_type: &str,
    redirect: &Url,
) -> Url {
    crate::ui::page_url(
        trading_ui,
        &[locale.as_str(), "auth2", "code"],
        &[
            ("appId", app_id),
            ("thirdAppType", third_app_type),
            ("url", redirect.as_str()),
        ],
    )
}

/// What the trading UI sends back: `<redirect>?code=…&app=…`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Authorization {
    /// The single-use authorization code, to exchange for tokens.
    pub code: AuthCode,
    /// The `app` parameter: the trading UI's name (`headline` in the docs).
    pub app: String,
}

/// Why a redirect back from the authorization page was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RedirectError {
    /// Not a URL at all.
    #[error("the redirect is not a valid URL: {0}")]
    NotAUrl(String),
    /// A URL other than the configured redirect URL (scheme, host, port or path differ, or a
    /// query parameter of the configured URL is missing or changed).
    #[error("the redirect does not match the configured redirect URL (its {0} differs)")]
    Mismatch(&'static str),
    /// A parameter that must be there is not, or is empty.
    #[error("the redirect has no `{0}` parameter")]
    Missing(&'static str),
    /// A parameter given more than once: the URL was tampered with.
    #[error("the redirect has the `{0}` parameter more than once")]
    Repeated(&'static str),
}

/// Parses the URL the user's browser was sent back to, checking that it is the configured
/// `redirect` URL (so a tampered or foreign URL is refused) and that it carries exactly one
/// non-empty `code` and `app`.
///
/// # What you must check yourself
///
/// Upstream documents no `state` parameter for the authorization page, so the SDK cannot
/// generate one and have it come back: by itself this check cannot tell whether *this*
/// browser started the flow (login CSRF: an attacker could make your user's browser arrive
/// with the attacker's code). Bind the flow to the user's session yourself:
///
/// 1. Before sending the user to [`authorization_url`], store a fresh random nonce in their
///    session (or in an HTTP-only, `Secure`, `SameSite=Lax` cookie).
/// 2. When the redirect arrives, refuse it unless that nonce is present in the session, and
///    delete it so that it serves once.
///
/// You may also put the nonce in the redirect URL itself (`https://app.example/cb?flow=<nonce>`):
/// every query parameter of the configured `redirect` must come back unchanged, or this
/// returns [`RedirectError::Mismatch`]. That only helps if the trading UI keeps the redirect
/// URL's own query, which upstream does not document; the session check works either way.
pub fn parse_redirect(redirect: &Url, received: &str) -> Result<Authorization, RedirectError> {
    let received = Url::parse(received).map_err(|e| RedirectError::NotAUrl(e.to_string()))?;
    if received.scheme() != redirect.scheme() {
        return Err(RedirectError::Mismatch("scheme"));
    }
    if received.host() != redirect.host()
        || received.port_or_known_default() != redirect.port_or_known_default()
    {
        return Err(RedirectError::Mismatch("host"));
    }
    if received.path() != redirect.path() {
        return Err(RedirectError::Mismatch("path"));
    }
    let pairs: Vec<(String, String)> = received.query_pairs().into_owned().collect();
    for (name, value) in redirect.query_pairs() {
        if !pairs.iter().any(|(n, v)| *n == name && *v == value) {
            return Err(RedirectError::Mismatch("query"));
        }
    }
    let one = |name: &'static str| -> Result<String, RedirectError> {
        let mut values = pairs.iter().filter(|(n, _)| n == name).map(|(_, v)| v);
        match (values.next(), values.next()) {
            (Some(_), Some(_)) => Err(RedirectError::Repeated(name)),
            (Some(value), None) if !value.is_empty() => Ok(value.clone()),
            _ => Err(RedirectError::Missing(name)),
        }
    };
    Ok(Authorization {
        code: AuthCode::new(one("code")?),
        app: one("app")?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn redirect() -> Url {
        Url::parse("https://www.hg.com/login").unwrap()
    }

    #[test]
    fn builds_the_docs_authorization_url() {
        let url = authorization_url(
            &Url::parse("https://www.headline.net").unwrap(),
            &Locale::en_us(),
            "088b591f5fd735be62608a272f4d971f",
            "HG",
            &redirect(),
        );
        assert_eq!(
            url.as_str(),
            "https://www.headline.net/en-US/auth2/code?appId=088b591f5fd735be62608a272f4d971f\
             &thirdAppType=HG&url=https%3A%2F%2Fwww.hg.com%2Flogin"
        );
    }

    #[test]
    fn encodes_what_would_break_the_query() {
        let url = authorization_url(
            &Url::parse("https://ui.example/base/?x=1#f").unwrap(),
            &Locale::zh_cn(),
            "a&b",
            "H G",
            &Url::parse("https://hg.example/cb?next=/a&b=c").unwrap(),
        );
        assert_eq!(
            url.as_str(),
            "https://ui.example/base/zh-CN/auth2/code?appId=a%26b&thirdAppType=H+G\
             &url=https%3A%2F%2Fhg.example%2Fcb%3Fnext%3D%2Fa%26b%3Dc"
        );
    }

    #[test]
    fn parses_the_docs_redirect() {
        let got = parse_redirect(
            &redirect(),
            "https://www.hg.com/login?code=e06a0a7f-9332-4e5a-a539-e2dc976fd08e&app=headline",
        )
        .unwrap();
        assert_eq!(
            got.code.expose_secret(),
            "e06a0a7f-9332-4e5a-a539-e2dc976fd08e"
        );
        assert_eq!(got.app, "headline");
    }

    #[test]
    fn refuses_tampered_and_incomplete_redirects() {
        let cases = [
            (
                "not a url",
                RedirectError::NotAUrl("relative URL without a base".into()),
            ),
            (
                "http://www.hg.com/login?code=c&app=a",
                RedirectError::Mismatch("scheme"),
            ),
            (
                "https://evil.example/login?code=c&app=a",
                RedirectError::Mismatch("host"),
            ),
            (
                "https://www.hg.com:8443/login?code=c&app=a",
                RedirectError::Mismatch("host"),
            ),
            (
                "https://www.hg.com/login/x?code=c&app=a",
                RedirectError::Mismatch("path"),
            ),
            (
                "https://www.hg.com/login?app=a",
                RedirectError::Missing("code"),
            ),
            (
                "https://www.hg.com/login?code=&app=a",
                RedirectError::Missing("code"),
            ),
            (
                "https://www.hg.com/login?code=c",
                RedirectError::Missing("app"),
            ),
            (
                "https://www.hg.com/login?code=c&code=d&app=a",
                RedirectError::Repeated("code"),
            ),
        ];
        for (received, expected) in cases {
            assert_eq!(
                parse_redirect(&redirect(), received).unwrap_err(),
                expected,
                "{received}"
            );
        }
    }

    #[test]
    fn keeps_the_redirects_own_query() {
        let redirect = Url::parse("https://hg.example/cb?tenant=7").unwrap();
        assert!(parse_redirect(&redirect, "https://hg.example/cb?tenant=7&code=c&app=a").is_ok());
        assert_eq!(
            parse_redirect(&redirect, "https://hg.example/cb?tenant=8&code=c&app=a").unwrap_err(),
            RedirectError::Mismatch("query")
        );
    }
}
