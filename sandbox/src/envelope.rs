//! The envelope every answer travels in, and the documented failures the sandbox answers with.

use serde_json::{Value, json};

/// A documented failure: the envelope's `bizCode`, `code` and `msg`.
///
/// Upstream's tables print each error as one key, `bizCode` followed by `code`
/// (`GGATEWAY_CODE_005` is `bizCode` `G`, `code` `GATEWAY_CODE_005`); the failure examples
/// show the two apart, and so does the sandbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Failure {
    /// The envelope's `bizCode`: the module, `G` for the gateway, `US` for customers, `FS`
    /// for funds, `CFDWBW` for isolated-margin contract trading.
    pub(crate) biz_code: &'static str,
    /// The envelope's `code`.
    pub(crate) code: &'static str,
    /// The envelope's `msg`: the table's text, with what went wrong where that helps.
    pub(crate) msg: String,
}

impl Failure {
    /// `key` is the table's key: the `bizCode` module prefix, then the `code`.
    fn new(key: &'static str, msg: impl Into<String>) -> Self {
        let (biz_code, code) = ["G", "US", "FS", "CFDWBW"]
            .into_iter()
            .find_map(|module| key.strip_prefix(module).map(|code| (module, code)))
            .unwrap_or(("", key));
        Self {
            biz_code,
            code,
            msg: msg.into(),
        }
    }

    /// `GGATEWAY_CODE_001`: the `token` header is missing.
    pub(crate) fn token_missing() -> Self {
        Self::new("GGATEWAY_CODE_001", "TOKEN is null")
    }

    /// `GGATEWAY_CODE_018`: a request with the same idempotency key is still being answered.
    pub(crate) fn too_fast() -> Self {
        Self::new(
            "GGATEWAY_CODE_018",
            "The request frequency is too fast, please try again later",
        )
    }

    /// `GGATEWAY_CODE_003`: the company id header is missing.
    pub(crate) fn company_missing() -> Self {
        Self::new("GGATEWAY_CODE_003", "Company ID cannot be null")
    }

    /// `GGATEWAY_CODE_005`: the token is unknown or expired.
    pub(crate) fn login_expired() -> Self {
        Self::new(
            "GGATEWAY_CODE_005",
            "Login info is expired, please login again",
        )
    }

    /// `GGATEWAY_CODE_009`: another required header is missing or malformed.
    pub(crate) fn header(name: &str, what: &str) -> Self {
        Self::new(
            "GGATEWAY_CODE_009",
            format!("Head request cannot be null: `{name}` {what}"),
        )
    }

    /// `GGATEWAY_CODE_010`: no operation at this path.
    pub(crate) fn no_such_operation(path: &str) -> Self {
        Self::new(
            "GGATEWAY_CODE_010",
            format!("Downstream port does not exist: {path}"),
        )
    }

    /// `GGATEWAY_CODE_015`: the body is not the operation's request shape.
    pub(crate) fn invalid(why: impl std::fmt::Display) -> Self {
        Self::new(
            "GGATEWAY_CODE_015",
            format!("The request parameter is invalid: {why}"),
        )
    }

    /// `GGATEWAY_CODE_019`: credentials that do not grant this call.
    pub(crate) fn no_access() -> Self {
        Self::new("GGATEWAY_CODE_019", "No access rights")
    }

    /// `GGATEWAY_CODE_201`: an operation the sandbox does not model.
    pub(crate) fn not_open(api: &str, operation: &str) -> Self {
        Self::new(
            "GGATEWAY_CODE_201",
            format!("The interface is not open in the sandbox: {api} `{operation}`"),
        )
    }

    /// `MSP_VERIFY_CODE_ERROR`: a verification code or ticket that does not check out.
    pub(crate) fn verify_code() -> Self {
        Self {
            biz_code: "MS",
            code: "P_VERIFY_CODE_ERROR",
            msg: "Invalid verification code".into(),
        }
    }

    /// `00012001`: an Open API signature that does not verify.
    pub(crate) fn signature() -> Self {
        Self::new("00012001", "Signature verification failed")
    }

    /// `00012002`: a `timestamp` outside the `recvWindow`.
    pub(crate) fn time_window() -> Self {
        Self::new("00012002", "Request has exceeded the time window")
    }

    /// `00012003`: an unknown `apiKey`.
    pub(crate) fn unknown_api_key() -> Self {
        Self::new("00012003", "The requested API key does not exist")
    }

    /// `00012006`: an expired `apiKey`.
    pub(crate) fn api_key_expired() -> Self {
        Self::new("00012006", "API key has expired")
    }

    /// `USCUSTOMER_API_0000003`: the customer or account does not exist.
    pub(crate) fn not_found(what: impl std::fmt::Display) -> Self {
        Self::new("USCUSTOMER_API_0000003", format!("Data not exist: {what}"))
    }

    /// `USCUSTOMER_API_0000102`: unknown login name or wrong password (which, is not said).
    pub(crate) fn wrong_password() -> Self {
        Self::new("USCUSTOMER_API_0000102", "Account number or password wrong")
    }

    /// `USCUSTOMER_API_0000105`: a registration with neither email nor phone.
    pub(crate) fn email_or_phone() -> Self {
        Self::new(
            "USCUSTOMER_API_0000105",
            "Should fill in at least mobile or email, or both",
        )
    }

    /// `USCUSTOMER_API_0000106`: the phone number is registered already.
    pub(crate) fn phone_exists() -> Self {
        Self::new("USCUSTOMER_API_0000106", "Mobile number already exist")
    }

    /// `USCUSTOMER_API_0000107`: the email is registered already.
    pub(crate) fn email_exists() -> Self {
        Self::new("USCUSTOMER_API_0000107", "Email exist already")
    }

    /// `USCUSTOMER_API_0000111`: a company other than the sandbox's.
    pub(crate) fn unknown_company() -> Self {
        Self::new("USCUSTOMER_API_0000111", "Company not exist, or suspended")
    }

    /// `USCUSTOMER_API_0000128`: a one-time token that is unknown, spent or expired.
    pub(crate) fn token_verification() -> Self {
        Self::new("USCUSTOMER_API_0000128", "Token verification failed")
    }

    /// `FS540013`: a deduction larger than the balance (a Manager debit, an order's margin).
    pub(crate) fn insufficient_balance() -> Self {
        Self::new(
            "FS540013",
            "Redemption failed, asset account balance is insufficient",
        )
    }

    /// `FS52005`: a withdrawal larger than the balance.
    pub(crate) fn withdrawal_exceeds_balance() -> Self {
        Self::new(
            "FS52005",
            "Withdrawal amount cannot exceed available amount to withdraw",
        )
    }

    /// `FS404`: no such deposit or withdrawal proposal.
    pub(crate) fn no_proposal(proposal_no: &str) -> Self {
        Self::new(
            "FS404",
            format!("Data is not found: proposal {proposal_no}"),
        )
    }

    /// `CFDWBWE000007`: an order whose values do not check out.
    pub(crate) fn order_invalid(why: impl std::fmt::Display) -> Self {
        Self::new(
            "CFDWBWE000007",
            format!("Parameter validation failed: {why}"),
        )
    }

    /// `CFDWBWE000008`: no such position (of this customer).
    pub(crate) fn no_position(position_id: i64) -> Self {
        Self::new(
            "CFDWBWE000008",
            format!("Position does not exist: {position_id}"),
        )
    }

    /// `CFDWBWE000013`: a product the sandbox does not quote under this trade type.
    pub(crate) fn unknown_product(symbol_id: i64, trade_type: i64) -> Self {
        Self::new(
            "CFDWBWE000013",
            format!("Product not configured: symbol {symbol_id} of trade type {trade_type}"),
        )
    }

    /// `CFDWBWE000023`: a close of another quantity than the position's.
    pub(crate) fn close_quantity(position_quantity: impl std::fmt::Display) -> Self {
        Self::new(
            "CFDWBWE000023",
            format!(
                "Closing position amount does not meet the rules: the sandbox closes whole \
                 positions, of {position_quantity}"
            ),
        )
    }

    /// `CFDWBWE000029`: a leverage above the most the sandbox allows.
    pub(crate) fn leverage(max: u32) -> Self {
        Self::new(
            "CFDWBWE000029",
            format!("Exceeds maximum leverage: at most {max}"),
        )
    }
}

/// The envelope of `result`: on success `code` `"0"`, `msg` `"Success"`, `ok: true`; on
/// failure HTTP 200 all the same, with `ok: false`, `fail: true`, `data: null`.
pub(crate) fn envelope(trace: &str, result: Result<Value, Failure>) -> Value {
    match result {
        Ok(data) => json!({
            "msg": "Success", "fail": false, "trace": trace, "code": "0", "data": data,
            "bizCode": "", "tm": 1, "msgParams": null, "ok": true,
        }),
        Err(f) => json!({
            "msg": f.msg, "fail": true, "trace": trace, "code": f.code, "data": null,
            "bizCode": f.biz_code, "tm": 1, "msgParams": null, "ok": false,
        }),
    }
}
