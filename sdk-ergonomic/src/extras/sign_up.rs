//! Customers who register themselves: a verification code by email or SMS, then the
//! registration; and the first steps of social (third-party) login.
//!
//! ```no_run
//! # async fn run(mm: mm_sdk::MultiMarkets, code_from_the_user: String) -> Result<(), mm_sdk::Error> {
//! use mm_sdk::{Password, VerifyCode};
//! use mm_sdk::extras::sign_up::{SignUp, VerifyCodeKind, VerifyCodeRequest};
//!
//! let email = "someone@example.com";
//! let ticket = mm.sign_up()
//!     .send_verify_code(&VerifyCodeRequest::to(VerifyCodeKind::EmailRegister, email))
//!     .await?;
//! let sign_up = SignUp::email(email, VerifyCode::new(code_from_the_user), ticket, "CN")
//!     .password(Password::from_plain("their password"));
//! let customer = mm.sign_up().register(sign_up, "203.0.113.10".parse().unwrap()).await?;
//! # Ok(()) }
//! ```

use std::net::IpAddr;

use mm_sdk_core::ids::{CustomerId, CustomerNo};
use mm_sdk_core::{CaptchaToken, Error, GoogleToken, SendToken, SocialLoginToken, VerifyCode};

use super::{Device, invalid};
use crate::client::auth::{
    GoogleVerifyRequest, GoogleVerifyResult, RegisterCustomerRequest, RegisteredCustomer,
    ThirdLoginConfig, ThirdLoginConfigRequest, TradeTypeCurrency,
};
use crate::client::message::SendVerifyCodeRequest;
use crate::password::Password;
use mm_sdk_core::Locale;

/// A customer registering themselves (`CustomerWebApiService.register`): by email or by phone,
/// with the verification code sent there ([`CustomerSignUp::send_verify_code`] with
/// [`VerifyCodeKind::EmailRegister`] or [`VerifyCodeKind::SmsRegister`]) and its ticket.
///
/// ```
/// use mm_sdk::{Password, SendToken, VerifyCode};
/// use mm_sdk::extras::Device;
/// use mm_sdk::extras::sign_up::SignUp;
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

    fn into_body(self) -> RegisterCustomerRequest {
        let (type_, login_name, phone_area) = match self.login {
            Login::Email(email) => (1, email, None),
            Login::Phone { area, number } => (2, number, Some(area)),
        };
        let mut body = RegisterCustomerRequest::new(
            self.country,
            login_name,
            self.device.code(),
            self.send_token.expose_secret(),
            type_,
            self.code.expose_secret(),
        )
        .open_account_type(i32::from(self.enterprise))
        .trade_type_currency_list(
            self.accounts
                .into_iter()
                .map(|(currency, trade_type)| {
                    TradeTypeCurrency::new()
                        .all_currency(currency)
                        .trade_type(trade_type)
                })
                .collect::<Vec<_>>(),
        );
        body.customer_group_id = self.customer_group_id;
        body.lang = self.lang.map(|l| l.as_str().to_owned());
        body.phone_area = phone_area;
        body.pwd = self.password.map(|p| p.expose_md5_hex().into());
        body.register_device = self.register_device;
        (body.third_server_code, body.third_server_source) = self.third_party.unzip();
        body.utm_campaign = self.utm.campaign;
        body.utm_content = self.utm.content;
        body.utm_medium = self.utm.medium;
        body.utm_source = self.utm.source;
        body.utm_term = self.utm.term;
        body
    }
}

/// The generated body types take these codes as positive integers; every code here is.
/// What a verification code is for, and whether it goes by email or SMS (`bizType`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum VerifyCodeKind {
    /// `EMAIL_COMMON_VERIFICATION_CODE`: a general-purpose code by email (API-key changes).
    EmailCommon,
    /// `EMAIL_LOGIN_VERIFICATION_CODE`: log in by email code.
    EmailLogin,
    /// `EMAIL_REGISTER_VERIFICATION_CODE`: register by email.
    EmailRegister,
    /// `EMAIL_PASSWORD_VERIFICATION_CODE`: reset a forgotten password by email.
    EmailPassword,
    /// `EMAIL_LOGINED_VERIFICATION_CODE`: a logged-in customer, at their stored email.
    EmailLoggedIn,
    /// `SMS_COMMON_VERIFICATION_CODE`: a general-purpose code by SMS.
    SmsCommon,
    /// `SMS_LOGIN_VERIFICATION_CODE`: log in by SMS code.
    SmsLogin,
    /// `SMS_REGISTER_VERIFICATION_CODE`: register by phone.
    SmsRegister,
    /// `SMS_PASSWORD_VERIFICATION_CODE`: reset a forgotten password by SMS.
    SmsPassword,
    /// `SMS_LOGINED_VERIFICATION_CODE`: a logged-in customer, at their stored phone.
    SmsLoggedIn,
    /// `SMS_TELEGRAM_VERIFICATION_CODE`: a code for a Telegram user (the recipient is their
    /// Telegram user id).
    SmsTelegram,
}

impl VerifyCodeKind {
    /// The `bizType` sent.
    pub fn as_str(self) -> &'static str {
        match self {
            VerifyCodeKind::EmailCommon => "EMAIL_COMMON_VERIFICATION_CODE",
            VerifyCodeKind::EmailLogin => "EMAIL_LOGIN_VERIFICATION_CODE",
            VerifyCodeKind::EmailRegister => "EMAIL_REGISTER_VERIFICATION_CODE",
            VerifyCodeKind::EmailPassword => "EMAIL_PASSWORD_VERIFICATION_CODE",
            VerifyCodeKind::EmailLoggedIn => "EMAIL_LOGINED_VERIFICATION_CODE",
            VerifyCodeKind::SmsCommon => "SMS_COMMON_VERIFICATION_CODE",
            VerifyCodeKind::SmsLogin => "SMS_LOGIN_VERIFICATION_CODE",
            VerifyCodeKind::SmsRegister => "SMS_REGISTER_VERIFICATION_CODE",
            VerifyCodeKind::SmsPassword => "SMS_PASSWORD_VERIFICATION_CODE",
            VerifyCodeKind::SmsLoggedIn => "SMS_LOGINED_VERIFICATION_CODE",
            VerifyCodeKind::SmsTelegram => "SMS_TELEGRAM_VERIFICATION_CODE",
        }
    }
}

/// A verification code to send with [`CustomerSignUp::send_verify_code`]: what for, and to whom.
#[derive(Debug, Clone)]
pub struct VerifyCodeRequest {
    kind: VerifyCodeKind,
    to_user: Option<String>,
    customer_no: Option<CustomerNo>,
    customer_id: Option<CustomerId>,
    country: Option<String>,
    captcha: Option<CaptchaToken>,
}

impl VerifyCodeRequest {
    /// A code for `recipient`: an email address, a phone number, or a Telegram user id,
    /// according to `kind` (`toUser`).
    pub fn to(kind: VerifyCodeKind, recipient: impl Into<String>) -> Self {
        Self::new(kind, Some(recipient.into()), None)
    }

    /// A code sent to the email or phone stored for a customer (`customerNo`).
    pub fn to_customer(kind: VerifyCodeKind, customer_no: impl Into<CustomerNo>) -> Self {
        Self::new(kind, None, Some(customer_no.into()))
    }

    fn new(kind: VerifyCodeKind, to_user: Option<String>, customer_no: Option<CustomerNo>) -> Self {
        Self {
            kind,
            to_user,
            customer_no,
            customer_id: None,
            country: None,
            captcha: None,
        }
    }

    /// The customer's internal id, when known (`customerId`).
    pub fn customer_id(mut self, id: impl Into<CustomerId>) -> Self {
        self.customer_id = Some(id.into());
        self
    }

    /// The recipient's country code, e.g. `CN` (`country`).
    pub fn country(mut self, country: impl Into<String>) -> Self {
        self.country = Some(country.into());
        self
    }

    /// The reCAPTCHA token, for companies that have human verification enabled (`captcha`).
    pub fn captcha(mut self, token: CaptchaToken) -> Self {
        self.captcha = Some(token);
        self
    }
}

/// A social login provider (`thirdSource`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum SocialProvider {
    /// `google`.
    Google,
    /// `facebook`.
    Facebook,
    /// `twitter`.
    Twitter,
    /// `telegram`.
    Telegram,
    /// `apple`.
    Apple,
    /// `metamask`.
    Metamask,
}

impl SocialProvider {
    /// The `thirdSource` sent.
    pub fn as_str(self) -> &'static str {
        match self {
            SocialProvider::Google => "google",
            SocialProvider::Facebook => "facebook",
            SocialProvider::Twitter => "twitter",
            SocialProvider::Telegram => "telegram",
            SocialProvider::Apple => "apple",
            SocialProvider::Metamask => "metamask",
        }
    }
}

/// The Google sign-in credential [`CustomerSignUp::google_verify`] checks.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum GoogleCredential {
    /// The `idToken` of the web Google Identity SDK.
    IdToken(GoogleToken),
    /// The `accessToken` of the mobile SDKs.
    AccessToken(GoogleToken),
}

/// The answer of [`CustomerSignUp::google_verify`].
#[derive(Debug, Clone)]
pub struct GoogleVerification {
    /// The token issued for the next step, if any.
    pub token: Option<SocialLoginToken>,
    /// Whether the credential was valid, what to do next (`action`: `login`, `bind` or
    /// `register`) and the Google user's id, email and phone; `token` emptied (a secret; see
    /// `token`).
    pub result: GoogleVerifyResult,
}

/// Customers who register themselves; get it from
/// [`MultiMarkets::sign_up`](crate::MultiMarkets::sign_up).
#[derive(Debug, Clone, Copy)]
pub struct CustomerSignUp<'a> {
    pub(crate) mm: &'a crate::MultiMarkets,
}

impl CustomerSignUp<'_> {
    /// Sends a verification code by email or SMS and returns the ticket that goes with it
    /// (`mm.client().message().send_verify_code`). Upstream sends at most 5 codes per half
    /// hour per kind and recipient; the call carries an idempotency key, so a retry after a
    /// timeout sends no second code.
    pub async fn send_verify_code(&self, request: &VerifyCodeRequest) -> Result<SendToken, Error> {
        let company_id = self.mm.config().company_id().parse::<i64>().map_err(|_| {
            invalid("send_verify_code needs a numeric company id (`Builder::company_id`)")
        })?;
        let mut body = SendVerifyCodeRequest::new(request.kind.as_str(), company_id);
        body.country = request.country.clone();
        body.customer_id = request.customer_id;
        body.customer_no = request.customer_no.clone();
        body.to_user = request.to_user.clone();
        let captcha = request.captcha.as_ref().map(CaptchaToken::expose_secret);
        let sent = self
            .mm
            .client()
            .message()
            .send_verify_code(captcha, &body)
            .await?;
        Ok(SendToken::new(sent.token.expose_secret()))
    }

    /// Registers a customer with the verification code sent to their email or phone
    /// (`mm.client().auth().register_customer`); `client_ip` is the registering user's IP
    /// address, sent as `X-Forwarded-For` (documented as required, without saying what it
    /// carries).
    #[doc(alias = "register_customer")]
    pub async fn register(
        &self,
        sign_up: SignUp,
        client_ip: IpAddr,
    ) -> Result<RegisteredCustomer, Error> {
        let captcha = sign_up.captcha.clone();
        let body = sign_up.into_body();
        self.mm
            .client()
            .auth()
            .register_customer(
                &client_ip.to_string(),
                captcha.as_ref().map(CaptchaToken::expose_secret),
                &body,
            )
            .await
    }

    /// The company's configuration of one social login provider (client id, developer
    /// account), needed to start that provider's login in the front end
    /// (`mm.client().auth().third_login_config`).
    pub async fn third_login_config(
        &self,
        provider: SocialProvider,
    ) -> Result<ThirdLoginConfig, Error> {
        let body = ThirdLoginConfigRequest::new().third_source(provider.as_str());
        self.mm.client().auth().third_login_config(&body).await
    }

    /// Checks a Google sign-in credential against the company's Google configuration and
    /// says what to do next (`mm.client().auth().google_verify`), keeping the token it issues
    /// secret.
    pub async fn google_verify(
        &self,
        credential: &GoogleCredential,
    ) -> Result<GoogleVerification, Error> {
        let body = match credential {
            GoogleCredential::IdToken(token) => {
                GoogleVerifyRequest::new().id_token(token.expose_secret())
            }
            GoogleCredential::AccessToken(token) => {
                GoogleVerifyRequest::new().access_token(token.expose_secret())
            }
        };
        let mut result = self.mm.client().auth().google_verify(&body).await?;
        let token = result
            .token
            .take()
            .filter(|t| !t.expose_secret().is_empty())
            .map(|t| SocialLoginToken::new(t.expose_secret()));
        Ok(GoogleVerification { token, result })
    }
}
