//! The credential of an operation (`x-mm-credential`): what authenticates it, by the headers it
//! takes; and the Open API's route to the Client operations an API key may call
//! (`x-mm-open-api`).

use serde_yaml_ng::Value;

use crate::value::{map, s};

/// Where the Client API's gateway routes by bizType (`/global/{bizType}` in upstream's
/// exports, `/api/global/` in our paths).
const GATEWAY: &str = "/global/";

/// The credential, from the headers an operation of `api` at `upstream_path` takes: one name,
/// or, for a Client operation on a customer's behalf under the gateway's `/global/{bizType}`,
/// the pair `[client-login, open-api-signature]`: upstream's Open API Request page puts every
/// such bizType under `/openapi-c/global/{bizType}` as well, signed with an API key.
pub(crate) fn credential(api: &str, upstream_path: &str, headers: &[String]) -> Value {
    let has = |name: &str| headers.iter().any(|h| h.eq_ignore_ascii_case(name));
    if has("apiKey") || has("signature") {
        s("open-api-signature")
    } else if has("token") {
        match api {
            "client" if upstream_path.starts_with(GATEWAY) => {
                Value::Sequence(vec![s("client-login"), s("open-api-signature")])
            }
            "client" => s("client-login"),
            "auth2" => s("auth2-access"),
            _ => s("manager-token"),
        }
    } else {
        s("none")
    }
}

/// The root's `x-mm-open-api` of a Client area: the Open API route of its gateway operations,
/// with the headers of upstream's Open API Request page (required: company, trace, timestamp,
/// key and signature; optional: time window, version and language). An operation's own fixed
/// headers (its `group`, its own `version`) go there too.
pub(crate) fn open_api_routes() -> Value {
    let header = |name: &str, required: bool| {
        map(vec![("name", s(name)), ("required", Value::Bool(required))])
    };
    map(vec![
        ("from", s(format!("/api{GATEWAY}"))),
        ("to", s(format!("/openapi-c{GATEWAY}"))),
        (
            "headers",
            Value::Sequence(vec![
                header("companyId", true),
                header("trace", true),
                header("timestamp", true),
                header("apiKey", true),
                header("signature", true),
                header("recvWindow", false),
                header("version", false),
                header("lang", false),
            ]),
        ),
    ])
}

/// The credential as a description names it: `client-login`, or `client-login or
/// open-api-signature` for the pair.
pub(crate) fn spelled(credential: &Value) -> String {
    match credential {
        Value::Sequence(names) => names
            .iter()
            .filter_map(Value::as_str)
            .collect::<Vec<_>>()
            .join(" or "),
        other => other.as_str().unwrap_or_default().to_owned(),
    }
}
