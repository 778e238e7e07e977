//! The web iframe: the trading UI embedded in your page, signed in with a one-time token.

use url::Url;

use crate::locale::Locale;
use mm_sdk_core::LoginToken;

/// The trading UI's URL that signs the user in with a one-time login token:
/// `<trading UI>/<locale>/home?tsource=<token>`.
///
/// The URL carries a credential: hand it to the user's browser only (an `iframe`'s `src`),
/// never log it. The token is spent when the trading UI opens.
pub fn iframe_url(trading_ui: &Url, locale: &Locale, one_time: &LoginToken) -> Url {
    crate::ui::page_url(
        trading_ui,
        &[locale.as_str(), "home"],
        &[("tsource", one_time.expose_secret())],
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builds_the_docs_iframe_url() {
        let url = iframe_url(
            &Url::parse("https://www.headline.net").unwrap(),
            &Locale::zh_cn(),
            &LoginToken::new("10e87b3b-1278-43f3-a0cb-16cfba88ca4aapp"),
        );
        assert_eq!(
            url.as_str(),
            "https://www.headline.net/zh-CN/home?tsource=10e87b3b-1278-43f3-a0cb-16cfba88ca4aapp"
        );
    }

    #[test]
    fn encodes_a_token_that_would_break_the_url() {
        let url = iframe_url(
            &Url::parse("https://ui.example/brand/?old=1#x").unwrap(),
            &Locale::en_us(),
            &LoginToken::new("a&b=c d#e"),
        );
        assert_eq!(
            url.as_str(),
            "https://ui.example/brand/en-US/home?tsource=a%26b%3Dc+d%23e"
        );
    }
}
