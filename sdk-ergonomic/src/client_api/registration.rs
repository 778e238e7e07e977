//! Customer self-registration with a verification code.

use std::net::IpAddr;
use std::num::NonZeroU32;

use mm_sdk_core::{CaptchaToken, Error, SendToken, VerifyCode};
use mm_sdk_generated::client::{calls, types};

use super::{ClientApi, Device, invalid};
use crate::locale::Locale;
use crate::password::Password;

/// A customer registering themselves (`CustomerWebApiService.register`): by email or by phone,
/// with the verification code sent there ([`ClientApi::send_verify_code`] with
/// [`VerifyCodeKind::EmailRegister`](super::VerifyCodeKind::EmailRegister) or
/// [`SmsRegister`](super::VerifyCodeKind::SmsRegister)) and its ticket.
///
/// ```
/// use mm_sdk::{Password, SendToken, VerifyCode};
/// use mm_sdk::client_api::{Device, SignUp};
///
/// let sign_up = SignUp::email("someone@example.com", VerifyCode::new("123456"), SendToken::new("ticket"), "CN")
///     .password(Password::from_plain("their password"))
///     .device(Device::PcWeb)
///     .account("USDT", "1");
/// ```
#[derive(Debug, Clone)]
pub struct SignUp {
    login: Login,
    code: VerifyCode,
    send_token: SendToken,
    country: String,
    password: Option<Password>,
    device: Device,
    register_device: Option<String>,
    lang: Option<Locale>,
    customer_group_id: Option<i64>,
    accounts: Vec<(String, String)>,
    enterprise: bool,
    utm: UtmTags,
    third_party: Option<(String, String)>,
    captcha: Option<CaptchaToken>,
}

#[derive(Debug, Clone)]
enum Login {
    Email(String),
    Phone { area: String, number: String },
}

/// The advertising tags of the sign-up link (`utmSource`, ...), all optional.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UtmTags {
    /// `utmSource`: the link's `source`.
    pub source: Option<String>,
    /// `utmMedium`: the link's `medium`.
    pub medium: Option<String>,
    /// `utmCampaign`: the link's `campaign`.
    pub campaign: Option<String>,
    /// `utmContent`: the link's `content` (advertising group).
    pub content: Option<String>,
    /// `utmTerm`: the link's `term` (keyword).
    pub term: Option<String>,
}

impl SignUp {
    /// Registration by email (`type` 1); `country` is an ISO code (`CN`).
    pub fn email(
        email: impl Into<String>,
        code: VerifyCode,
        send_token: SendToken,
        country: impl Into<String>,
    ) -> Self {
        Self::new(Login::Email(email.into()), code, send_token, country.into())
    }

    /// Registration by phone number (`type` 2) without its area code, and the area code
    /// (`+86`).
    pub fn phone(
        area: impl Into<String>,
        number: impl Into<String>,
        code: VerifyCode,
        send_token: SendToken,
        country: impl Into<String>,
    ) -> Self {
        let login = Login::Phone {
            area: area.into(),
            number: number.into(),
        };
        Self::new(login, code, send_token, country.into())
    }

    fn new(login: Login, code: VerifyCode, send_token: SendToken, country: String) -> Self {
        Self {
            login,
            code,
            send_token,
            country,
            password: None,
            device: Device::MobileWeb,
            register_device: None,
            lang: None,
            customer_group_id: None,
            accounts: Vec::new(),
            enterprise: false,
            utm: UtmTags::default(),
            third_party: None,
            captcha: None,
        }
    }

    /// The login password (`pwd`). Upstream does not require one: a customer without a
    /// password logs in by verification code.
    pub fn password(mut self, password: Password) -> Self {
        self.password = Some(password);
        self
    }

    /// Where the customer registers from (`registerSource`); [`Device::MobileWeb`] by default.
    pub fn device(mut self, device: Device) -> Self {
        self.device = device;
        self
    }

    /// The model of the registering device (`registerDevice`).
    pub fn register_device(mut self, model: impl Into<String>) -> Self {
        self.register_device = Some(model.into());
        self
    }

    /// The customer's language (`lang`); upstream's default is `en-US`.
    pub fn lang(mut self, lang: Locale) -> Self {
        self.lang = Some(lang);
        self
    }

    /// The customer group to put the customer in (`customerGroupId`).
    pub fn customer_group(mut self, id: i64) -> Self {
        self.customer_group_id = Some(id);
        self
    }

    /// Opens a trading account in `currency` (`USDT`) for trade type `trade_type` (`"1"`);
    /// call once per account. Without any, the company's default account group is used.
    pub fn account(mut self, currency: impl Into<String>, trade_type: impl Into<String>) -> Self {
        self.accounts.push((currency.into(), trade_type.into()));
        self
    }

    /// Registers an enterprise rather than an individual (`openAccountType` 1).
    pub fn enterprise(mut self) -> Self {
        self.enterprise = true;
        self
    }

    /// The advertising tags of the sign-up link.
    pub fn utm(mut self, tags: UtmTags) -> Self {
        self.utm = tags;
        self
    }

    /// The customer's id in your own system (`thirdServerCode`) and the kind of system
    /// (`thirdServerSource`, e.g. `agent`).
    pub fn third_party(mut self, code: impl Into<String>, source: impl Into<String>) -> Self {
        self.third_party = Some((code.into(), source.into()));
        self
    }

    /// The reCAPTCHA token, for companies that have human verification enabled (`captcha`).
    pub fn captcha(mut self, token: CaptchaToken) -> Self {
        self.captcha = Some(token);
        self
    }

    fn into_body(self) -> Result<types::RegisterCustomerRequest, Error> {
        let (type_, login_name, phone_area) = match self.login {
            Login::Email(email) => (1, email, None),
            Login::Phone { area, number } => (2, number, Some(area)),
        };
        let (third_server_code, third_server_source) = self.third_party.unzip();
        Ok(types::RegisterCustomerRequest {
            country: self.country,
            customer_group_id: self.customer_group_id,
            lang: self.lang.map(|l| l.as_str().to_owned()),
            login_name,
            open_account_type: Some(i32::from(self.enterprise)),
            phone_area,
            pwd: self.password.map(|p| p.expose_md5_hex().to_owned()),
            register_device: self.register_device,
            register_source: positive(self.device.code())?,
            send_token: self.send_token.expose_secret().to_owned(),
            third_server_code,
            third_server_source,
            trade_type_currency_list: self
                .accounts
                .into_iter()
                .map(|(currency, trade_type)| types::TradeTypeCurrency {
                    all_currency: Some(currency),
                    trade_type: Some(trade_type),
                })
                .collect(),
            type_: positive(type_)?,
            utm_campaign: self.utm.campaign,
            utm_content: self.utm.content,
            utm_medium: self.utm.medium,
            utm_source: self.utm.source,
            utm_term: self.utm.term,
            verify_code: self.code.expose_secret().to_owned(),
        })
    }
}

/// The generated body types take these codes as positive integers; every code here is.
fn positive(code: i32) -> Result<NonZeroU32, Error> {
    u32::try_from(code)
        .ok()
        .and_then(NonZeroU32::new)
        .ok_or_else(|| invalid(format!("code {code} is not a positive integer")))
}

impl ClientApi<'_> {
    /// Registers a customer with the verification code sent to their email or phone
    /// (`CustomerWebApiService.register`); `client_ip` is the registering user's IP address,
    /// sent as `X-Forwarded-For` (documented as required, without saying what it carries).
    /// Never retried after a failure that may have reached the server: it could register the
    /// customer twice.
    pub async fn register_customer(
        &self,
        sign_up: SignUp,
        client_ip: IpAddr,
    ) -> Result<types::RegisteredCustomer, Error> {
        let captcha = sign_up.captcha.clone();
        let body = sign_up.into_body()?;
        calls::register_customer(
            self.mm.runtime(),
            &client_ip.to_string(),
            captcha.as_ref().map(CaptchaToken::expose_secret),
            &body,
        )
        .await
    }
}
