//! The credential of an operation (`x-mm-credential`): what authenticates it, by the headers it
//! takes.

/// The credential, from the headers an operation of `api` takes.
pub(crate) fn credential(api: &str, headers: &[String]) -> &'static str {
    let has = |name: &str| headers.iter().any(|h| h.eq_ignore_ascii_case(name));
    if has("apiKey") || has("signature") {
        "open-api-signature"
    } else if has("token") {
        match api {
            "client" => "client-login",
            "auth2" => "auth2-access",
            _ => "manager-token",
        }
    } else {
        "none"
    }
}
