//! Every `code` the receiver answers with, and the HTTP status that goes with it: the one place
//! they are chosen (the [module docs](super) tabulate them).
//!
//! Upstream documents only success (`"0"` for webhooks, `"200"` for messages) and the cancel's
//! `US_0000001` and `US_0000002`; the rest are the SDK's, prefixed `RCV_` so that they cannot be
//! mistaken for upstream's. A request the receiver could not read gets a 4xx status; an answer
//! of the protocol (success, refusal, "try again") gets 200, as upstream's own failures do; a
//! failure on the receiver's side gets 500.

use http::StatusCode;

/// Success of a webhook.
pub const SUCCESS: &str = "0";
/// Success of a message callback (`{"msg":"success","code":"200"}`).
pub const MESSAGE_SUCCESS: &str = "200";
/// A cancel whose adjustment was received but not applied (upstream's code).
pub const NOT_APPLIED: &str = "US_0000001";
/// A cancel whose adjustment never arrived (upstream's code).
pub const NEVER_ARRIVED: &str = "US_0000002";

/// The body is not JSON.
pub const MALFORMED_JSON: &str = "RCV_MALFORMED_JSON";
/// A field is missing or of the wrong type; the `msg` names its JSON path.
pub const INVALID_FIELD: &str = "RCV_INVALID_FIELD";
/// `amount` and `amountDigits` do not make an exact decimal.
pub const INVALID_AMOUNT: &str = "RCV_INVALID_AMOUNT";
/// A required header (`trace`, `companyId`, `timestamp`) is missing.
pub const MISSING_HEADER: &str = "RCV_MISSING_HEADER";
/// A header is present but unreadable, or names another company than the receiver's.
pub const INVALID_HEADER: &str = "RCV_INVALID_HEADER";
/// The body is larger than the receiver's limit.
pub const TOO_LARGE: &str = "RCV_TOO_LARGE";
/// Not a POST.
pub const METHOD_NOT_ALLOWED: &str = "RCV_METHOD_NOT_ALLOWED";
/// No callback is served at this path (or its handler is not configured).
pub const UNKNOWN_PATH: &str = "RCV_UNKNOWN_PATH";
/// A message's `sign` was refused, whatever the reason (bad, stale, replayed): one answer for
/// all, so that it is no oracle.
pub const BAD_SIGN: &str = "RCV_BAD_SIGN";

/// The handler refused without a code of its own (or with `"0"`).
pub const REFUSED: &str = "RCV_REFUSED";
/// Another request is applying or reversing this adjustment right now: ask again.
pub const IN_PROGRESS: &str = "RCV_IN_PROGRESS";
/// The adjustment's cancel came first: it is never applied.
pub const CANCELLED: &str = "RCV_CANCELLED";
/// The `requestUniqueNo` was first used for a request with other content.
pub const CONFLICT: &str = "RCV_CONFLICT";
/// The answer was not ready within the receiver's deadline; the work goes on and its outcome
/// is recorded for the repeat or the cancel.
pub const DEADLINE: &str = "RCV_DEADLINE";
/// The adjustment store failed.
pub const STORE_FAILED: &str = "RCV_STORE_FAILED";
/// The handler panicked, or gave an answer that cannot be sent.
pub const HANDLER_FAILED: &str = "RCV_HANDLER_FAILED";

/// The HTTP status that goes with `code`: 200 for every answer of the protocol (including an
/// integrator's own refusal codes).
pub(super) fn status(code: &str) -> StatusCode {
    match code {
        MALFORMED_JSON | INVALID_FIELD | INVALID_AMOUNT | MISSING_HEADER | INVALID_HEADER => {
            StatusCode::BAD_REQUEST
        }
        TOO_LARGE => StatusCode::PAYLOAD_TOO_LARGE,
        METHOD_NOT_ALLOWED => StatusCode::METHOD_NOT_ALLOWED,
        UNKNOWN_PATH => StatusCode::NOT_FOUND,
        BAD_SIGN => StatusCode::UNAUTHORIZED,
        STORE_FAILED | HANDLER_FAILED => StatusCode::INTERNAL_SERVER_ERROR,
        _ => StatusCode::OK,
    }
}
