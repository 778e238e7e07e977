//! The Client API: what a customer does (registration, login, token exchange, verification
//! codes, API keys) and the Open API calls signed with an API key.

mod api_keys;
mod registration;
mod verification;

use mm_sdk_core::{Error, ErrorKind, LoginToken, SessionToken};

use crate::password::Password;

pub use api_keys::{ApiKeyChanges, ApiKeyGrant, ApiPermissionCode, Confirmation};
pub use registration::{SignUp, UtmTags};
pub use verification::{
    GoogleCredential, GoogleVerification, SocialProvider, VerifyCodeKind, VerifyCodeRequest,
};

pub use mm_sdk_generated::client::types::{
    ApiKeyInfo, ApiKeyPermission, ContractOrderRequest, ContractOrderResult, CustomerAccount,
    CustomerInfo, GoogleVerifyResult, LoginData, RegisteredCustomer, SymbolBaseInfo,
    ThirdLoginConfig,
};
pub use mm_sdk_generated::client::*;

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
    CustomerNo(String),
}

/// The device a login or registration is made from (`device`, `registerSource`); the iframe
/// flow logs in as [`Device::MobileWeb`] as the docs' example does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Device {
    /// Mobile web (H5), 1.
    MobileWeb,
    /// PC web, 2.
    PcWeb,
    /// A back-office system, 3.
    System,
    /// Android app, 4.
    Android,
    /// iOS app, 5.
    Ios,
    /// HarmonyOS app, 6.
    HarmonyOs,
    /// Windows client, 7.
    PcWindows,
    /// Mac client, 8.
    PcMac,
    /// Anything else, 9.
    Other,
}

impl Device {
    fn code(self) -> i32 {
        match self {
            Device::MobileWeb => 1,
            Device::PcWeb => 2,
            Device::System => 3,
            Device::Android => 4,
            Device::Ios => 5,
            Device::HarmonyOs => 6,
            Device::PcWindows => 7,
            Device::PcMac => 8,
            Device::Other => 9,
        }
    }
}

/// A successful login.
#[derive(Debug, Clone)]
pub struct LoginSession {
    /// The login token: single-use when handed to the trading UI (`tsource`).
    pub token: LoginToken,
    /// The customer, with `token` and `rToken` emptied (they are secrets; see `token`).
    pub customer: LoginData,
}

/// The Client API; get it from [`MultiMarkets::client`](crate::MultiMarkets::client).
///
/// Every operation of the Client API (and its Open API) is a method of this handle, from the
/// traits of [`mm_sdk::client_api`](crate::client_api) (bring them into scope with
/// `use mm_sdk::prelude::*`); the methods below are the hand-written ones.
#[derive(Debug, Clone, Copy)]
pub struct ClientApi<'a> {
    pub(crate) mm: &'a crate::MultiMarkets,
}

impl ClientApi<'_> {
    /// Logs a customer in with their password. The returned token is what the web iframe
    /// needs. Never retried after a failure that may have reached the server.
    pub async fn login(
        &self,
        name: &LoginName,
        password: &Password,
        device: Device,
    ) -> Result<LoginSession, Error> {
        let (type_, login_name, phone_area) = match name {
            LoginName::Email(email) => (1, email.clone(), None),
            LoginName::Phone { area, number } => (2, number.clone(), area.clone()),
            LoginName::CustomerNo(no) => (3, no.clone(), None),
        };
        let login_pwd = password
            .expose_md5_hex()
            .parse::<types::LoginRequestLoginPwd>()
            .map_err(|_| Error::from(ErrorKind::InvalidInput("malformed password hash".into())))?;
        let body = types::LoginRequest {
            type_,
            device: device.code(),
            login_name,
            phone_area,
            is_third: false,
            third_source: Some(String::new()),
            bind_third_user_id: Some(String::new()),
            login_pwd: Some(login_pwd),
            google_code: None,
            send_token: None,
            verify_code: None,
        };
        let mut customer = calls::login(self.mm.runtime(), None, &body).await?;
        let token = LoginToken::new(std::mem::take(&mut customer.token));
        customer.r_token = None;
        Ok(LoginSession { token, customer })
    }

    /// Exchanges a one-time login token (the iframe's `tsource`) for the session's real
    /// access token (`/global/thirdExt/randomKey`). This is what the trading UI does when it
    /// opens with `?tsource=`; the one-time token is spent by it, so it is never retried.
    #[doc(alias = "replacement_token")]
    pub async fn exchange_one_time_token(
        &self,
        one_time: &LoginToken,
    ) -> Result<SessionToken, Error> {
        let token = calls::replacement_token(self.mm.runtime(), one_time).await?;
        Ok(SessionToken::new(token))
    }
}

fn invalid(why: impl Into<String>) -> Error {
    Error::from(ErrorKind::InvalidInput(why.into()))
}
