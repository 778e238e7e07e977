//! The hand-written baseline: what a careful user would write without the SDK. One shared
//! `reqwest::Client` configured as the SDK configures its own, requests built by hand with the
//! same headers and bodies, `serde_json` into hand-written structs, the envelope checked.

use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::server::{CUSTOMER_LIST_PATH, LOGIN_PATH, USER_INFO_PATH};

/// The envelope every response comes in.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Envelope<T> {
    /// Result message.
    pub msg: String,
    /// True on failure.
    pub fail: bool,
    /// Server trace id.
    pub trace: String,
    /// Result code.
    pub code: String,
    /// The result.
    pub data: Option<T>,
    /// Business error code.
    pub biz_code: String,
    /// Server time in milliseconds.
    pub tm: i64,
    /// Message parameters.
    pub msg_params: Option<serde_json::Value>,
    /// True on success.
    pub ok: bool,
}

/// `user_info`'s data.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UserInfo {
    /// Trading account id.
    pub account_id: i64,
    /// Customer number.
    pub customer_no: String,
    /// Email address.
    pub email: Option<String>,
    /// Bound login sources.
    pub third_login_source: Option<String>,
    /// Bound third-party user ids.
    pub third_user_id: Option<String>,
}

/// `login`'s request body.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
struct LoginRequest<'a> {
    #[serde(rename = "type")]
    type_: i32,
    device: i32,
    login_name: &'a str,
    is_third: bool,
    third_source: &'a str,
    bind_third_user_id: &'a str,
    login_pwd: &'a str,
}

/// `login`'s data.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
#[allow(missing_docs)] // The documented login response, field for field.
pub struct LoginData {
    pub account_list: Vec<serde_json::Value>,
    pub account_remark: Option<String>,
    pub activate_status: Option<i32>,
    pub activate_time: Option<i64>,
    pub assert_pass_status: String,
    pub association_company_id: Option<i64>,
    pub company_id: i64,
    pub company_kyc_status: i32,
    pub company_type: String,
    pub country: String,
    pub create_time: i64,
    pub customer_group_id: i64,
    pub customer_no: String,
    pub deposit: i32,
    pub email: Option<String>,
    pub first_name: Option<String>,
    pub google_id: i64,
    pub id: i64,
    pub id_card: Option<String>,
    pub id_card_type: Option<String>,
    pub is_fund: i32,
    pub kyc_audit_status: i32,
    pub kyc_status: i32,
    pub last_name: Option<String>,
    pub login_pass_status: String,
    pub login_time: i64,
    pub name: Option<String>,
    pub open_account_type: i32,
    pub optional: i32,
    pub pay_pass_status: String,
    pub phone: Option<String>,
    pub phone_area: Option<String>,
    pub r_token: String,
    pub register_source: i32,
    pub register_time: i64,
    pub relation_customer_id: i64,
    pub source: String,
    pub status: i32,
    pub third_intact_msg: Option<String>,
    pub third_login_source: Option<String>,
    pub third_server_code: String,
    pub third_user_id: Option<String>,
    pub token: String,
    #[serde(rename = "type")]
    pub type_: i32,
    pub withdraw: i32,
}

/// `customer_list`'s request body.
#[derive(Debug, Serialize)]
struct CustomerListRequest {
    current: i32,
    size: i32,
}

/// `customer_list`'s data.
#[derive(Debug, Deserialize)]
pub struct CustomerPage {
    /// Page number.
    pub current: i64,
    /// The customers.
    pub records: Vec<Customer>,
    /// Page size.
    pub size: i64,
    /// Customers in all.
    pub total: i64,
}

/// One row of a customer page.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
#[allow(missing_docs)] // The documented customer row, field for field.
pub struct Customer {
    pub agent_customer_no: Option<String>,
    pub company_id: i64,
    pub create_time: Option<i64>,
    pub customer_group_id: Option<i64>,
    pub customer_group_name: Option<String>,
    pub customer_no: String,
    pub customer_type: Option<i32>,
    pub email: Option<String>,
    pub first_account_activate_time: Option<i64>,
    pub first_name: Option<String>,
    pub id: i64,
    pub id_card: Option<String>,
    pub id_card_type: Option<String>,
    pub last_name: Option<String>,
    pub login_time: Option<i64>,
    pub name: Option<String>,
    pub open_account_type: Option<i32>,
    pub phone: Option<String>,
    pub phone_area: Option<String>,
    pub register_source: Option<i32>,
    pub remark: Option<String>,
    pub status: Option<i32>,
    pub tg_user_id: Option<String>,
    pub tg_user_name: Option<String>,
    pub third_account_no: Option<String>,
    pub third_login_source: Option<String>,
    pub third_user_id: Option<String>,
    pub unit_id: Option<i64>,
    pub unit_name: Option<String>,
    pub update_time: Option<i64>,
}

/// `query_position_page`'s data (Manager API): the positions, with no paging fields.
pub type PositionPage = Vec<Position>;

/// One row of a positions page. Every money field is a `String` holding the text upstream
/// sent; the ones upstream sends as JSON numbers go through `string_or_number`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
#[allow(missing_docs)] // The position row of `QueryPositionPageDataItem`, field for field.
pub struct Position {
    pub close_account_digits: i32,
    pub close_fee: String,
    pub close_free_digits: String,
    pub close_num: String,
    pub close_price: String,
    pub close_symbol_digits: i32,
    pub close_time: i64,
    pub close_volume: String,
    pub deal_id: i64,
    pub direction: i32,
    #[serde(deserialize_with = "string_or_number")]
    pub margin: String,
    pub margin_set_type: String,
    pub min_volume: String,
    pub open_account_digits: i32,
    pub open_contract_size: i32,
    pub open_fee: String,
    #[serde(deserialize_with = "string_or_number")]
    pub open_margin: String,
    pub open_num: String,
    pub open_price: String,
    pub open_symbol_digits: i32,
    pub open_time: i64,
    pub open_volume: String,
    pub order_id: i64,
    pub position_id: i64,
    #[serde(deserialize_with = "string_or_number")]
    pub profit: String,
    pub remark: Option<String>,
    pub source: String,
    pub status: String,
    #[serde(deserialize_with = "string_or_number")]
    pub stop_loss: String,
    pub stop_loss_decimal: String,
    pub symbol_id: i64,
    pub symbol_name: String,
    #[serde(deserialize_with = "string_or_number")]
    pub take_profit: String,
    pub take_profit_decimal: String,
    pub third_party_order: Option<String>,
    pub volume: String,
}

/// An amount upstream sends as a JSON string or a JSON number, kept as text: what a
/// hand-written client without `serde_json`'s `arbitrary_precision` writes. A number is read
/// as an `f64` and written back with the fewest digits that read back the same.
fn string_or_number<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    struct Text;

    impl serde::de::Visitor<'_> for Text {
        type Value = String;

        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("an amount, as a string or a number")
        }

        fn visit_str<E: serde::de::Error>(self, value: &str) -> Result<String, E> {
            Ok(value.to_owned())
        }

        fn visit_string<E: serde::de::Error>(self, value: String) -> Result<String, E> {
            Ok(value)
        }

        fn visit_i64<E: serde::de::Error>(self, value: i64) -> Result<String, E> {
            Ok(value.to_string())
        }

        fn visit_u64<E: serde::de::Error>(self, value: u64) -> Result<String, E> {
            Ok(value.to_string())
        }

        fn visit_f64<E: serde::de::Error>(self, value: f64) -> Result<String, E> {
            Ok(value.to_string())
        }
    }

    deserializer.deserialize_any(Text)
}

/// Why a baseline call failed.
#[derive(Debug)]
pub enum Error {
    /// The request could not be sent or the answer not read or decoded.
    Http(reqwest::Error),
    /// The envelope reports a failure.
    Api(String),
}

impl From<reqwest::Error> for Error {
    fn from(e: reqwest::Error) -> Self {
        Self::Http(e)
    }
}

/// The hand-written client.
#[derive(Debug, Clone)]
pub struct Baseline {
    http: reqwest::Client,
    base: String,
    company_id: String,
    version: String,
    lang: String,
    manager_token: String,
}

impl Baseline {
    /// A client of the APIs at `base` (`http://host:port`).
    pub fn new(base: &str, company_id: &str, manager_token: &str) -> Result<Self, Error> {
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(30))
            .connect_timeout(Duration::from_secs(10))
            .redirect(reqwest::redirect::Policy::none())
            .build()?;
        Ok(Self {
            http,
            base: base.to_owned(),
            company_id: company_id.to_owned(),
            version: "0.0.1".into(),
            lang: "en-US".into(),
            manager_token: manager_token.to_owned(),
        })
    }

    /// `user_info` for an access token.
    pub async fn user_info(&self, access_token: &str) -> Result<UserInfo, Error> {
        let request = self
            .post(USER_INFO_PATH)
            .header("company", &self.company_id)
            .json(&serde_json::json!({ "accessToken": access_token }));
        send(request).await
    }

    /// `login` by phone number with an MD5 password digest.
    pub async fn login(&self, phone: &str, password_md5: &str) -> Result<LoginData, Error> {
        let body = LoginRequest {
            type_: 2,
            device: 1,
            login_name: phone,
            is_third: false,
            third_source: "",
            bind_third_user_id: "",
            login_pwd: password_md5,
        };
        let request = self
            .post(LOGIN_PATH)
            .header("version", &self.version)
            .header("companyId", &self.company_id)
            .header("lang", &self.lang)
            // A write of the Client gateway: a fresh key, which a retry would repeat.
            .header("idempotency-key", uuid::Uuid::new_v4().to_string())
            .json(&body);
        send(request).await
    }

    /// One page of customers.
    pub async fn customer_page(&self, current: i32, size: i32) -> Result<CustomerPage, Error> {
        let request = self
            .post(CUSTOMER_LIST_PATH)
            .header("companyId", &self.company_id)
            .header("token", &self.manager_token)
            .header("version", &self.version)
            .header("lang", &self.lang)
            .header("timestamp", unix_millis().to_string())
            .json(&CustomerListRequest { current, size });
        send(request).await
    }

    /// A POST to `path` with what every request carries: `Accept` and a fresh `trace` id.
    fn post(&self, path: &str) -> reqwest::RequestBuilder {
        self.http
            .post(format!("{}{path}", self.base))
            .header(reqwest::header::ACCEPT, "application/json")
            .header("trace", uuid::Uuid::new_v4().to_string())
    }
}

async fn send<T: serde::de::DeserializeOwned>(
    request: reqwest::RequestBuilder,
) -> Result<T, Error> {
    let envelope: Envelope<T> = request.send().await?.error_for_status()?.json().await?;
    open(envelope)
}

/// The envelope's data, or its message as the error.
pub fn open<T>(envelope: Envelope<T>) -> Result<T, Error> {
    match envelope.data {
        Some(data) if envelope.ok && !envelope.fail => Ok(data),
        _ => Err(Error::Api(format!("{}: {}", envelope.code, envelope.msg))),
    }
}

/// Milliseconds since the Unix epoch, as the Manager API's `timestamp` header wants.
fn unix_millis() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_millis())
}
