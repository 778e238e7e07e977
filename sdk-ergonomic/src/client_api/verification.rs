//! Verification codes and social (third-party) login.

use mm_sdk_core::{CaptchaToken, Error, GoogleToken, SendToken, SocialLoginToken};
use mm_sdk_generated::client::{calls, types};

use super::{ClientApi, invalid};

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

/// A verification code to send with [`ClientApi::send_verify_code`]: what for, and to whom.
#[derive(Debug, Clone)]
pub struct VerifyCodeRequest {
    kind: VerifyCodeKind,
    to_user: Option<String>,
    customer_no: Option<String>,
    customer_id: Option<i64>,
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
    pub fn to_customer(kind: VerifyCodeKind, customer_no: impl Into<String>) -> Self {
        Self::new(kind, None, Some(customer_no.into()))
    }

    fn new(kind: VerifyCodeKind, to_user: Option<String>, customer_no: Option<String>) -> Self {
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
    pub fn customer_id(mut self, id: i64) -> Self {
        self.customer_id = Some(id);
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

/// The Google sign-in credential [`ClientApi::google_verify`] checks.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum GoogleCredential {
    /// The `idToken` of the web Google Identity SDK.
    IdToken(GoogleToken),
    /// The `accessToken` of the mobile SDKs.
    AccessToken(GoogleToken),
}

/// The answer of [`ClientApi::google_verify`].
#[derive(Debug, Clone)]
pub struct GoogleVerification {
    /// The token issued for the next step, if any.
    pub token: Option<SocialLoginToken>,
    /// Whether the credential was valid, what to do next (`action`: `login`, `bind` or
    /// `register`) and the Google user's id, email and phone; `token` emptied (a secret; see
    /// `token`).
    pub result: types::GoogleVerifyResult,
}

impl ClientApi<'_> {
    /// The company's configuration of one social login provider (client id, developer
    /// account), needed to start that provider's login in the front end
    /// (`CustomerThirdLoginService.config`). A read: retried on transient failures.
    pub async fn third_login_config(
        &self,
        provider: SocialProvider,
    ) -> Result<types::ThirdLoginConfig, Error> {
        let body = types::ThirdLoginConfigRequest {
            third_source: Some(provider.as_str().to_owned()),
        };
        calls::third_login_config(self.mm.runtime(), &body).await
    }

    /// Checks a Google sign-in credential against the company's Google configuration and
    /// says what to do next (`googleVerify`). Issues a token for that step, so it is never
    /// retried after a failure that may have reached the server.
    pub async fn google_verify(
        &self,
        credential: &GoogleCredential,
    ) -> Result<GoogleVerification, Error> {
        let body = match credential {
            GoogleCredential::IdToken(token) => types::GoogleVerifyRequest {
                id_token: Some(token.expose_secret().to_owned()),
                access_token: None,
            },
            GoogleCredential::AccessToken(token) => types::GoogleVerifyRequest {
                id_token: None,
                access_token: Some(token.expose_secret().to_owned()),
            },
        };
        let mut result = calls::google_verify(self.mm.runtime(), &body).await?;
        let token = result
            .token
            .take()
            .filter(|t| !t.is_empty())
            .map(SocialLoginToken::new);
        Ok(GoogleVerification { token, result })
    }

    /// Sends a verification code by email or SMS and returns the ticket that goes with it
    /// (`verifyCodeSend`). Upstream sends at most 5 codes per half hour per kind and
    /// recipient, so it is never retried after a failure that may have reached the server.
    ///
    /// ```no_run
    /// # async fn run(mm: mm_sdk::MultiMarkets) -> Result<(), mm_sdk::Error> {
    /// use mm_sdk::client_api::{VerifyCodeKind, VerifyCodeRequest};
    ///
    /// let request = VerifyCodeRequest::to(VerifyCodeKind::EmailRegister, "someone@example.com");
    /// let send_token = mm.client().send_verify_code(&request).await?;
    /// # Ok(()) }
    /// ```
    pub async fn send_verify_code(&self, request: &VerifyCodeRequest) -> Result<SendToken, Error> {
        let runtime = self.mm.runtime();
        let company_id = runtime.settings().company_id.parse::<i64>().map_err(|_| {
            invalid("send_verify_code needs a numeric company id (`Builder::company_id`)")
        })?;
        let body = types::SendVerifyCodeRequest {
            biz_type: request.kind.as_str().to_owned(),
            company_id,
            country: request.country.clone(),
            customer_id: request.customer_id,
            customer_no: request.customer_no.clone(),
            to_user: request.to_user.clone(),
        };
        let captcha = request.captcha.as_ref().map(CaptchaToken::expose_secret);
        let sent = calls::send_verify_code(runtime, captcha, &body).await?;
        Ok(SendToken::new(sent.token))
    }
}
