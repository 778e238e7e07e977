//! The error codes upstream documents, with their meaning.
//!
//! Upstream's tables print each error as one key, the envelope's `bizCode` followed by its
//! `code`: `GGATEWAY_CODE_005` arrives as `bizCode` `G` and `code` `GATEWAY_CODE_005`. Codes
//! documented without a module (`F999999`, the Open API's `00012001`) are matched on `code`
//! alone.
//!
//! [`Error::is_auth`](crate::Error::is_auth) and
//! [`Error::is_retryable`](crate::Error::is_retryable) are derived from this table. Codes not
//! listed here still reach you, unchanged, in [`ApiError::code`](crate::ApiError::code).

/// The `code` of a successful call.
pub const SUCCESS: &str = "0";

/// What a documented code means, and how to react to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Code {
    /// The key as upstream's tables print it: `bizCode` then `code`.
    pub code: &'static str,
    /// Upstream's description.
    pub meaning: &'static str,
    /// The credentials (token, API key, signature) were refused or have expired.
    pub auth: bool,
    /// Transient: the same call may succeed later.
    pub transient: bool,
}

const fn code(code: &'static str, meaning: &'static str, auth: bool, transient: bool) -> Code {
    Code {
        code,
        meaning,
        auth,
        transient,
    }
}

/// Every documented code: the gateway's (shared by the Client and Manager APIs) and the Open
/// API's.
pub const ALL: &[Code] = &[
    code("G500", "System error", false, true),
    code("GGATEWAY_CODE_001", "TOKEN is null", true, false),
    code("GGATEWAY_CODE_002", "Invalid business type", false, false),
    code(
        "GGATEWAY_CODE_003",
        "Company ID cannot be null",
        false,
        false,
    ),
    code(
        "GGATEWAY_CODE_004",
        "Link sign cannot be null",
        false,
        false,
    ),
    code(
        "GGATEWAY_CODE_005",
        "Login info is expired, please login again",
        true,
        false,
    ),
    code("GGATEWAY_CODE_006", "Request params is null", false, false),
    code(
        "GGATEWAY_CODE_008",
        "Business type cannot be null",
        false,
        false,
    ),
    code(
        "GGATEWAY_CODE_009",
        "Head request cannot be null",
        false,
        false,
    ),
    code(
        "GGATEWAY_CODE_010",
        "Downstream port does not exist",
        false,
        false,
    ),
    code(
        "GGATEWAY_CODE_011",
        "Downstream service is abnormal",
        false,
        true,
    ),
    code(
        "GGATEWAY_CODE_012",
        "Downstream service is unavailable",
        false,
        true,
    ),
    code(
        "GGATEWAY_CODE_013",
        "The downstream service returned an empty result",
        false,
        true,
    ),
    code("GGATEWAY_CODE_014", "Request expired", false, false),
    code(
        "GGATEWAY_CODE_015",
        "The request parameter is invalid",
        false,
        false,
    ),
    code(
        "GGATEWAY_CODE_016",
        "The interface does not support this request type",
        false,
        false,
    ),
    code(
        "GGATEWAY_CODE_017",
        "Login info is expired, please login again",
        true,
        false,
    ),
    code(
        "GGATEWAY_CODE_018",
        "The request frequency is too fast, please try again later",
        false,
        true,
    ),
    code("GGATEWAY_CODE_019", "No access rights", true, false),
    code("GGATEWAY_CODE_101", "Invalid account info", false, false),
    code(
        "GGATEWAY_CODE_102",
        "Data is abnormal, please try again later",
        false,
        true,
    ),
    code(
        "GGATEWAY_CODE_103",
        "The uploaded file format is not supported",
        false,
        false,
    ),
    code(
        "GGATEWAY_CODE_104",
        "The interface parameters are abnormal",
        false,
        false,
    ),
    code("GGATEWAY_CODE_902", "Service time out", false, true),
    code(
        "F999999",
        "Illegal request parameters (e.g. a failed captcha)",
        false,
        false,
    ),
    code("00012001", "Signature verification failed", true, false),
    code(
        "00012002",
        "Request has exceeded the time window",
        false,
        false,
    ),
    code(
        "00012003",
        "The requested API key does not exist",
        true,
        false,
    ),
    code(
        "00012004",
        "No permission for the current API request",
        true,
        false,
    ),
    code("00012005", "Request too frequent", false, true),
    code("00012006", "API key has expired", true, false),
    code("00012007", "Illegal IP address", true, false),
];

/// The documented entry for an envelope's `bizCode` and `code`, if there is one.
pub fn lookup(biz_code: &str, code: &str) -> Option<&'static Code> {
    let with_module = |c: &&Code| {
        !biz_code.is_empty()
            && c.code
                .strip_prefix(biz_code)
                .is_some_and(|rest| rest == code)
    };
    ALL.iter()
        .find(with_module)
        .or_else(|| ALL.iter().find(|c| c.code == code))
}

/// Upstream's description of an envelope's `bizCode` and `code`, if documented.
pub fn meaning(biz_code: &str, code: &str) -> Option<&'static str> {
    lookup(biz_code, code).map(|c| c.meaning)
}

pub(crate) fn is_auth(biz_code: &str, code: &str) -> bool {
    lookup(biz_code, code).is_some_and(|c| c.auth)
}

pub(crate) fn is_transient(biz_code: &str, code: &str) -> bool {
    lookup(biz_code, code).is_some_and(|c| c.transient)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_found_as_upstream_sends_them() {
        // The gateway's expired session, as the Client API's failure examples split it.
        assert!(is_auth("G", "GATEWAY_CODE_005"));
        // Documented without a module.
        assert_eq!(meaning("G", "F999999").map(|m| m.is_empty()), Some(false));
        assert!(is_auth("", "00012001"));
        // Sent whole in `code` with no `bizCode`.
        assert!(is_auth("", "GGATEWAY_CODE_005"));
        assert_eq!(lookup("G", "UNDOCUMENTED"), None);
    }

    #[test]
    fn codes_are_unique() {
        for (i, a) in ALL.iter().enumerate() {
            assert!(
                ALL[i + 1..].iter().all(|b| b.code != a.code),
                "{} twice",
                a.code
            );
        }
    }
}
