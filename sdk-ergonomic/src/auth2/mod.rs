//! Auth2: third-party login through a MultiMarkets white-label account.
//!
//! 1. Send the user to [`Auth2Api::authorization_url`]; they confirm on the trading UI.
//! 2. Their browser comes back to your redirect URL: [`Auth2Api::parse_redirect`] checks it and
//!    takes out the code.
//! 3. [`Auth2Api::exchange_code`] trades the code (with your app id and secret) for tokens.
//! 4. [`Auth2Api::user_info`] tells who the user is, to bind them to your own account.
//! 5. [`Auth2Api::refresh`] renews the tokens; [`TokenHolder`] does it for you.

mod redirect;
mod token_holder;

use mm_sdk_core::{AccessToken, AuthCode, Error, ErrorKind, LoginToken, RefreshToken};

use url::Url;

pub use mm_sdk_generated::auth2::types::UserInfo;
pub use mm_sdk_generated::auth2::*;
pub use redirect::{Authorization, RedirectError, authorization_url, parse_redirect};
pub use token_holder::TokenHolder;

/// An access token and the refresh token that renews it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tokens {
    /// Authorizes [`Auth2Api::user_info`].
    pub access: AccessToken,
    /// Renews both tokens with [`Auth2Api::refresh`]; replaced by every refresh.
    pub refresh: RefreshToken,
}

impl From<types::TokenPair> for Tokens {
    fn from(pair: types::TokenPair) -> Self {
        Self {
            access: AccessToken::new(pair.access_token),
            refresh: RefreshToken::new(pair.refresh_token),
        }
    }
}

/// The Auth2 API; get it from [`MultiMarkets::auth2`](crate::MultiMarkets::auth2). Its four
/// operations are the hand-written methods below.
#[derive(Debug, Clone, Copy)]
pub struct Auth2Api<'a> {
    pub(crate) mm: &'a crate::MultiMarkets,
}

impl Auth2Api<'_> {
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
        let body = types::AccessTokenRequest {
            app_id: app.app_id.clone(),
            app_secret: app.app_secret.expose_secret().to_owned(),
            code: code.expose_secret().to_owned(),
        };
        let pair = calls::access_token(self.mm.runtime(), &body).await?;
        Ok(pair.into())
    }

    /// Who the user behind an access token is (step 4): customer number, account id and
    /// the third-party ids already bound.
    pub async fn user_info(&self, access: &AccessToken) -> Result<UserInfo, Error> {
        let body = types::UserInfoRequest {
            access_token: access.expose_secret().to_owned(),
        };
        calls::user_info(self.mm.runtime(), access, &body).await
    }

    /// Renews the tokens (step 5). Keep the returned pair: the refresh token rotates.
    ///
    /// The docs require a `token` header here without saying which token; this sends the
    /// access token being renewed.
    #[doc(alias = "refresh_token")]
    pub async fn refresh(&self, tokens: &Tokens) -> Result<Tokens, Error> {
        let body = types::RefreshTokenRequest {
            refresh_token: tokens.refresh.expose_secret().to_owned(),
        };
        let pair = calls::refresh_token(self.mm.runtime(), &tokens.access, &body).await?;
        Ok(pair.into())
    }

    /// Issues an authorization code for the logged-in trading user (what the trading UI
    /// calls when the user confirms the authorization page).
    pub async fn auth_code(
        &self,
        login: &LoginToken,
        third_app_type: &str,
    ) -> Result<AuthCode, Error> {
        let app = self.mm.app_credentials()?;
        let body = types::AuthCodeRequest {
            app_id: app.app_id.clone(),
            third_app_type: third_app_type.to_owned(),
        };
        let code = calls::auth_code(self.mm.runtime(), login, &body).await?;
        Ok(AuthCode::new(code))
    }
}
