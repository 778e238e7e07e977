//! Customers and keys made on a sandbox through the SDK's flows, as an integrator makes them:
//! where the sandbox tests of several crates start. The client is one of
//! `mm_sdk::sandbox::builder`, or any other with the Manager token.

use std::fmt::Debug;

use mm_sdk::extras::Device;
use mm_sdk::extras::api_keys::{ApiKeyGrant, Confirmation};
use mm_sdk::extras::back_office::Registration;
use mm_sdk::extras::sign_up::{VerifyCodeKind, VerifyCodeRequest};
use mm_sdk::extras::web_iframe::{LoginName, LoginSession};
use mm_sdk::ids::CustomerNo;
use mm_sdk::{MultiMarkets, Password, VerifyCode};

/// The password of every customer of [`registration`].
pub fn password() -> Password {
    Password::from_plain("correct horse battery staple")
}

/// A registration by `email` (a Chinese customer of group 1) with [`password`] and one USDT
/// account of `trade_type` (`"1"`, `"2"`...).
pub fn registration(email: &str, trade_type: &str) -> Registration {
    Registration::email(email, "+86", password(), "CN", 1).account("USDT", trade_type)
}

/// Logs in the customer of [`registration`] `email`, from mobile web.
pub async fn login(mm: &MultiMarkets, email: &str) -> LoginSession {
    mm.web_iframe()
        .login(
            &LoginName::Email(email.into()),
            &password(),
            Device::MobileWeb,
        )
        .await
        .unwrap_or_else(|e| panic!("`{email}` logs in: {e}"))
}

/// Registers the customer of [`registration`] and logs them in: their customer number and
/// session.
pub async fn customer(
    mm: &MultiMarkets,
    email: &str,
    trade_type: &str,
) -> (CustomerNo, LoginSession) {
    let customer_no = mm
        .back_office()
        .register_customer(registration(email, trade_type))
        .await
        .unwrap_or_else(|e| panic!("`{email}` registers: {e}"));
    (customer_no, login(mm, email).await)
}

/// An Open API key tagged `tag` for the customer `email` signed in as `session`, confirmed
/// by email with `verify_code` (the sandbox's is `Config::verify_code`).
pub async fn api_key(
    mm: &MultiMarkets,
    email: &str,
    session: &LoginSession,
    verify_code: &str,
    tag: &str,
) -> ApiKeyGrant {
    let ticket = mm
        .sign_up()
        .send_verify_code(&VerifyCodeRequest::to(VerifyCodeKind::EmailCommon, email))
        .await
        .unwrap_or_else(|e| panic!("a code is sent to `{email}`: {e}"));
    let confirmation = Confirmation::new().email(VerifyCode::new(verify_code), ticket);
    mm.api_keys()
        .create(&session.token, tag, &confirmation)
        .await
        .unwrap_or_else(|e| panic!("`{email}` gets an Open API key: {e}"))
}

/// An API error's code as upstream's tables print it (`bizCode` then `code`); fails the test,
/// naming what came, for anything else.
pub fn api_code<T: Debug>(result: Result<T, mm_sdk::Error>) -> String {
    match result {
        Err(error) => match error.code() {
            Some(code) => code.to_string(),
            None => panic!("expected an API error with a code, got {error:?}"),
        },
        Ok(value) => panic!("expected an API error, got {value:?}"),
    }
}
