//! Auth2: third-party login through a MultiMarkets white-label account.
//!
//! 1. Send the user to [`Auth2Login::authorization_url`]; they confirm on the trading UI.
//! 2. Their browser comes back to your redirect URL: [`Auth2Login::parse_redirect`] checks it
//!    and takes out the code.
//! 3. [`Auth2Login::exchange_code`] trades the code (with your app id and secret) for tokens.
//! 4. [`Auth2Login::user_info`] tells who the user is, to bind them to your own account.
//! 5. [`Auth2Login::refresh`] renews the tokens; [`TokenHolder`] does it for you.
//!
//! Each step that calls the API calls the generated method of `mm.auth2().login()`, filling
//! what the configuration knows (the app id and secret) and keeping the tokens secret.

mod redirect;
mod token_holder;

use mm_sdk_core::{AccessToken, AuthCode, Error, ErrorKind, LoginToken, RefreshToken};
use url::Url;

use crate::auth2::login::{
    AccessTokenRequest, AuthCodeRequest, RefreshTokenRequest, TokenPair, UserInfo, UserInfoRequest,
};
pub use redirect::{Authorization, RedirectError, authorization_url, parse_redirect};
pub use token_holder::TokenHolder;

/// An access token and the refresh token that renews it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tokens {
    /// Authorizes [`Auth2Login::user_info`].
    pub access: AccessToken,
    /// Renews both tokens with [`Auth2Login::refresh`]; replaced by every refresh.
    pub refresh: RefreshToken,
}

impl From<TokenPair> for Tokens {
    fn from(pair: TokenPair) -> Self {
        Self {
            access: AccessToken::new(pair.access_token.expose_secret()),
            refresh: RefreshToken::new(pair.refresh_token.expose_secret()),
        }
    }
}

/// Third-party login; get it from [`MultiMarkets::auth2_login`](crate::MultiMarkets::auth2_login).
#[derive(Debug, Clone, Copy)]
pub struct Auth2Login<'a> {
    pub(crate) mm: &'a crate::MultiMarkets,
}

impl Auth2Login<'_> {
    /// The trading UI page where the user authorizes your app (step 1), for the configured
    /// app id and locale. `redirect` is where the user's browser is sent back with the code.
    pub fn authorization_url(&self, third_app_type: &str, redirect: &Url) -> Result<Url, Error> {
        let app = self.mm.app_credentials()?;
        Ok(authorization_url(
            self.mm.trading_ui(),
            self.mm.lang(),
            &app.app_id,
            third_app_type,
            redirect,
        ))
    }

    /// Checks the URL the browser came back to and takes out the code (step 2). See
    /// [`parse_redirect`] for what is checked, and what you must check yourself.
    pub fn parse_redirect(&self, redirect: &Url, received: &str) -> Result<Authorization, Error> {
        parse_redirect(redirect, received)
            .map_err(|e| Error::new(ErrorKind::InvalidInput(e.to_string())).with_source(e))
    }

    /// Exchanges an authorization code for tokens (step 3), with the configured app id and
    /// secret. A code is single-use, so a failed exchange is never retried blindly.
    #[doc(alias = "access_token")]
    pub async fn exchange_code(&self, code: &AuthCode) -> Result<Tokens, Error> {
        let app = self.mm.app_credentials()?;
        let body = AccessTokenRequest::new(
            app.app_id.as_str(),
            app.app_secret.expose_secret(),
            code.expose_secret(),
        );
        let pair = self.mm.auth2().login().access_token(&body).await?;
        Ok(pair.into())
    }

    /// Who the user behind an access token is (step 4): customer number, account id and
    /// the third-party ids already bound.
    pub async fn user_info(&self, access: &AccessToken) -> Result<UserInfo, Error> {
        let body = UserInfoRequest::new(access.expose_secret());
        self.mm.auth2().login().user_info(access, &body).await
    }

    /// Renews the tokens (step 5). Keep the returned pair: the refresh token rotates.
    ///
    /// The docs require a `token` header here without saying which token; this sends the
    /// access token being renewed.
    #[doc(alias = "refresh_token")]
    pub async fn refresh(&self, tokens: &Tokens) -> Result<Tokens, Error> {
        let body = RefreshTokenRequest::new(tokens.refresh.expose_secret());
        let pair = self
            .mm
            .auth2()
            .login()
            .refresh_token(&tokens.access, &body)
            .await?;
        Ok(pair.into())
    }

    /// Issues an authorization code for the logged-in trading user, with the configured app
    /// id (what the trading UI calls when the user confirms the authorization page).
    #[doc(alias = "auth_code")]
    pub async fn issue_code(
        &self,
        login: &LoginToken,
        third_app_type: &str,
    ) -> Result<AuthCode, Error> {
        let app = self.mm.app_credentials()?;
        let body = AuthCodeRequest::new(app.app_id.as_str(), third_app_type);
        let code = self.mm.auth2().login().auth_code(login, &body).await?;
        Ok(AuthCode::new(code))
    }
}
