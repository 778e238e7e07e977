//! Newtypes for the credentials and tokens the APIs use: redacted in `Debug`, never logged.

use std::fmt;

use secrecy::{ExposeSecret, SecretString};

macro_rules! secret_string {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        ///
        /// Its `Debug` output is redacted; read it with `expose_secret` only to send it.
        #[derive(Clone)]
        pub struct $name(SecretString);

        impl $name {
            /// Wraps a value.
            pub fn new(value: impl Into<String>) -> Self {
                Self(SecretString::from(value.into()))
            }

            /// The value itself. Keep it out of logs.
            pub fn expose_secret(&self) -> &str {
                self.0.expose_secret()
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(concat!(stringify!($name), "(<redacted>)"))
            }
        }

        impl PartialEq for $name {
            fn eq(&self, other: &Self) -> bool {
                self.expose_secret() == other.expose_secret()
            }
        }

        impl Eq for $name {}
    };
}

secret_string!(
    /// A customer's login token (the `token` header of the Client API, and the one-time
    /// `tsource` token of the web iframe).
    LoginToken
);
secret_string!(
    /// The Manager API token issued to a white-label operator (the `Token` header).
    ManagerToken
);
secret_string!(
    /// The token of the Manager API's quote service (the `token` query parameter of
    /// `/quote-b-api/...` and `/quote-stock-b-api/...`), issued apart from the Manager token.
    QuoteToken
);
secret_string!(
    /// The secret half of an Auth2 application's credentials (`appSecret`).
    AppSecret
);
secret_string!(
    /// An Auth2 access token.
    AccessToken
);
secret_string!(
    /// An Auth2 refresh token.
    RefreshToken
);
secret_string!(
    /// An Auth2 authorization code, as received on the redirect URL.
    AuthCode
);
secret_string!(
    /// The access token the trading UI obtains for a one-time token
    /// (`/global/thirdExt/randomKey`).
    SessionToken
);
secret_string!(
    /// A verification code the customer received by email or SMS, or read from their Google
    /// authenticator: it confirms logins, registrations and API-key changes.
    VerifyCode
);
secret_string!(
    /// The ticket returned when a verification code was sent; it goes with the code
    /// (`sendToken`, `phoneSendToken`, `emailSendToken`).
    SendToken
);
secret_string!(
    /// A Google sign-in credential: the `idToken` of the web SDK or the `accessToken` of the
    /// mobile SDKs.
    GoogleToken
);
secret_string!(
    /// The token `google_verify` issues for the next step of a social login.
    SocialLoginToken
);
secret_string!(
    /// A Google reCAPTCHA token obtained in the browser (the `captcha` header).
    CaptchaToken
);
secret_string!(
    /// The `privateKey` of an Open API key pair, as `apply_api` returns it (base64 PKCS#8):
    /// shown once, store it safely. Turn it into a signing key with
    /// [`OpenApiKey::new`](crate::OpenApiKey::new).
    OpenApiPrivateKey
);

secret_string!(
    /// A secret of a generated request or answer: a password's digest, a verification code
    /// or its ticket, a token, a key (a field the specs mark `format: password`). Read as a
    /// JSON string and written back as one; `Debug` never shows it.
    SecretText
);

impl serde::Serialize for SecretText {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.expose_secret())
    }
}

impl<'de> serde::Deserialize<'de> for SecretText {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        crate::open_enum::deserialize_str(deserializer, |value: &str| SecretText::new(value))
    }
}

impl From<String> for SecretText {
    fn from(value: String) -> Self {
        Self::new(value)
    }
}

impl From<&str> for SecretText {
    fn from(value: &str) -> Self {
        Self::new(value)
    }
}

impl Default for SecretText {
    fn default() -> Self {
        Self::new(String::new())
    }
}

#[cfg(feature = "json-schema")]
impl schemars::JsonSchema for SecretText {
    fn schema_name() -> String {
        "SecretText".to_owned()
    }

    fn json_schema(_: &mut schemars::r#gen::SchemaGenerator) -> schemars::schema::Schema {
        schemars::schema::SchemaObject {
            instance_type: Some(schemars::schema::InstanceType::String.into()),
            format: Some("password".to_owned()),
            ..Default::default()
        }
        .into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_secret_field_reads_and_writes_a_plain_string_and_hides_it_from_debug() {
        let text: SecretText =
            serde_json::from_str(r#""e10adc3949ba59abbe56e057f20f883e""#).unwrap();
        assert_eq!(format!("{text:?}"), "SecretText(<redacted>)");
        assert_eq!(
            serde_json::to_string(&text).unwrap(),
            r#""e10adc3949ba59abbe56e057f20f883e""#
        );
        assert!(serde_json::from_str::<SecretText>("12").is_err());
    }

    #[test]
    fn debug_is_redacted() {
        let token = AccessToken::new("6f60d5e7-9b31-429c-84f1-a0a927d40961");
        assert_eq!(format!("{token:?}"), "AccessToken(<redacted>)");
        assert_eq!(
            token.expose_secret(),
            "6f60d5e7-9b31-429c-84f1-a0a927d40961"
        );
    }
}
