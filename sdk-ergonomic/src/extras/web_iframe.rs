//! The web iframe: the trading UI embedded in your page, signed in with a one-time token.
//!
//! 1. [`WebIframe::login`] logs the customer in (Client API, `mm.client().auth().login`) and
//!    keeps the login token secret.
//! 2. [`WebIframe::url`] is the trading UI's URL for an `iframe`, carrying that token once.
//! 3. The trading UI exchanges it for the session's access token, as
//!    [`WebIframe::exchange_one_time_token`] does.

use mm_sdk_core::ids::CustomerNo;
use mm_sdk_core::{Error, LoginToken, SecretText, SessionToken};
use url::Url;

use super::Device;
use crate::client::auth::{LoginData, LoginRequest};
use crate::password::Password;
use mm_sdk_core::Locale;

/// Who logs in, and how `loginName` is to be read.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum LoginName {
    /// By email address (`type` 1).
    Email(String),
    /// By phone number (`type` 2), with its area code (`+86`) if known.
    Phone {
        /// The area code, e.g. `+86`.
        area: Option<String>,
        /// The number without its area code.
        number: String,
    },
    /// By customer number (`type` 3), as returned by registration.
    CustomerNo(CustomerNo),
}

/// A successful login.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct LoginSession {
    /// The login token: single-use when handed to the trading UI (`tsource`).
    pub token: LoginToken,
    /// The customer, with `token` and `rToken` emptied (they are secrets; see `token`).
    pub customer: LoginData,
}

/// The web iframe flow; get it from [`MultiMarkets::web_iframe`](crate::MultiMarkets::web_iframe).
#[derive(Debug, Clone, Copy)]
pub struct WebIframe<'a> {
    pub(crate) mm: &'a crate::MultiMarkets,
}

impl WebIframe<'_> {
    /// Logs a customer in with their password (`mm.client().auth().login`). The returned
    /// token is what the iframe needs. Retried with the same idempotency key after a timeout:
    /// the gateway answers a repeated key with the first attempt's result.
    pub async fn login(
        &self,
        name: &LoginName,
        password: &Password,
        device: Device,
    ) -> Result<LoginSession, Error> {
        let (type_, login_name, phone_area) = match name {
            LoginName::Email(email) => (1, email.clone(), None),
            LoginName::Phone { area, number } => (2, number.clone(), area.clone()),
            LoginName::CustomerNo(no) => (3, no.to_string(), None),
        };
        let mut body = LoginRequest::new(device.code(), false, login_name, type_)
            .third_source(String::new())
            .bind_third_user_id(String::new())
            .login_pwd(password.expose_md5_hex());
        body.phone_area = phone_area;
        let mut customer = self.mm.client().auth().login(None, &body).await?;
        let token = LoginToken::new(customer.token.expose_secret());
        customer.token = SecretText::default();
        customer.r_token = None;
        Ok(LoginSession { token, customer })
    }

    /// The URL that opens the trading UI in an iframe, signed in as the customer of
    /// `session`: `<trading UI>/<locale>/home?tsource=<token>` (see [`iframe_url`]).
    pub fn url(&self, session: &LoginSession) -> Url {
        iframe_url(self.mm.trading_ui(), self.mm.lang(), &session.token)
    }

    /// Exchanges a one-time login token (the iframe's `tsource`) for the session's real
    /// access token (`mm.client().auth().replacement_token`). This is what the trading UI
    /// does when it opens with `?tsource=`.
    #[doc(alias = "replacement_token")]
    pub async fn exchange_one_time_token(
        &self,
        one_time: &LoginToken,
    ) -> Result<SessionToken, Error> {
        let token = self.mm.client().auth().replacement_token(one_time).await?;
        Ok(SessionToken::new(token))
    }
}

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
