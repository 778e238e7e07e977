//! Which fields hold secrets: the rule the importer applies when it writes a spec, and the
//! check every spec passes, so a secret never reaches a generated type as a plain `String`.

use heck::ToSnakeCase;

/// Whether a string field named `name` holds a secret and must be `format: password` (a
/// [`SecretText`](https://docs.rs/mm-sdk-core) in Rust, redacted in `Debug`): a password, a
/// token, a secret, a private key, or a one-time code sent to the user. A name ending in `type`
/// names a kind, not the value (`tokenType`).
pub fn is_secret_name(name: &str) -> bool {
    let snake = name.to_snake_case();
    let words: Vec<&str> = snake.split('_').filter(|w| !w.is_empty()).collect();
    let (Some(first), Some(last)) = (words.first(), words.last()) else {
        return false;
    };
    if *last == "type" {
        return false;
    }
    let has = |word: &str| words.contains(&word);
    ["pwd", "password", "secret", "token"]
        .iter()
        .any(|w| has(w))
        || (has("private") && has("key"))
        || (*last == "code"
            && ["verify", "google", "sms", "email", "phone", "captcha"].contains(first))
        || (*first == "verify" && has("code"))
}

/// The schema of a secret, as typify matches it to give it `mm_sdk_core::SecretText`: a
/// string of `format: password`.
pub(crate) fn secret_schema() -> schemars::schema::SchemaObject {
    schemars::schema::SchemaObject {
        instance_type: Some(schemars::schema::InstanceType::String.into()),
        format: Some("password".to_owned()),
        ..Default::default()
    }
}

#[cfg(test)]
mod tests {
    use super::is_secret_name;

    #[test]
    fn secrets_by_name() {
        for name in [
            "pwd",
            "loginPwd",
            "adminPassword",
            "appSecret",
            "secretKeyMd5",
            "accessToken",
            "oauth_token_secret",
            "rToken",
            "privateKey",
            "googleCode",
            "smsVerifyCode",
            "verifyCodeSMS",
            "emailCode",
        ] {
            assert!(is_secret_name(name), "{name} is a secret");
        }
    }

    #[test]
    fn not_secrets_by_name() {
        for name in [
            "tokenType",
            "verifyCodeType",
            "countryCode",
            "inviteCode",
            "keyword",
            "publicKey",
            "passwordless_type",
            "",
        ] {
            assert!(!is_secret_name(name), "{name} is not a secret");
        }
    }
}
