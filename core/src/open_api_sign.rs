//! Signing for the Client API's Open API (`/openapi-c/...`): SHA1withRSA over the body's
//! fields and the timestamp, as the docs' "Open API > Sign" page describes.

use std::fmt;

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use rsa::PrivateKey;
use rsa::pkcs8::DecodePrivateKey;
use rsa::traits::PublicKeyParts;
use serde_json::Value;
use sha1::Sha1;

/// The smallest key accepted: the platform's keys are 1024-bit.
const MIN_KEY_BITS: u32 = 1024;

/// An Open API key: the `apiKey` and the `privateKey` that `apply_api` returned.
///
/// The private key never appears in `Debug` output. Signing with it takes the same time
/// whatever the key and the payload (rsa's constant-time arithmetic, with blinding).
#[derive(Clone)]
pub struct OpenApiKey {
    api_key: String,
    key: PrivateKey,
}

/// The `privateKey` given to [`OpenApiKey::new`] is not a base64 PKCS#8 RSA key of at least
/// 1024 bits.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "the Open API private key is not a base64-encoded PKCS#8 RSA private key of at least 1024 bits"
)]
pub struct InvalidPrivateKey;

impl OpenApiKey {
    /// Takes the `apiKey` and the base64 PKCS#8 `privateKey` of an API key pair.
    pub fn new(api_key: impl Into<String>, private_key: &str) -> Result<Self, InvalidPrivateKey> {
        let der = BASE64
            .decode(private_key.trim())
            .map_err(|_| InvalidPrivateKey)?;
        let key = PrivateKey::from_pkcs8_der(&der).map_err(|_| InvalidPrivateKey)?;
        if key.n().bit_width() < MIN_KEY_BITS {
            return Err(InvalidPrivateKey);
        }
        Ok(Self {
            api_key: api_key.into(),
            key,
        })
    }

    /// The `apiKey` header value.
    pub fn api_key(&self) -> &str {
        &self.api_key
    }

    /// The `signature` header for `body` sent at `timestamp` (ms): base64 of SHA1withRSA over
    /// the body's non-null fields sorted by name, written `{name:value,...}` without quotes,
    /// followed by the timestamp.
    ///
    /// # Panics
    ///
    /// If the operating system's random number generator fails: the private-key operation is
    /// blinded with fresh randomness each time, and is not done without it.
    pub fn sign(&self, body: &Value, timestamp: u64) -> String {
        // The key was read whole and is at least 1024 bits, room enough for a SHA-1 digest
        // and its padding: the randomness is all that can fail.
        let signature = self
            .key
            .pkcs1v15_sign::<Sha1>(payload(body, timestamp).as_bytes())
            .unwrap_or_else(|e| panic!("signing with the Open API key failed: {e}"));
        BASE64.encode(signature)
    }
}

impl fmt::Debug for OpenApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OpenApiKey")
            .field("api_key", &self.api_key)
            .field("private_key", &"<redacted>")
            .finish()
    }
}

/// What is signed: the body's fields sorted by name, written `{name:value,...}` without any
/// quotes or spaces and without the fields whose value is `null`, then the timestamp.
///
/// The docs' example: `{"companyId":1,"lang":"zh-CN","customerNo":"86001308"}` at
/// `1650361143685` gives `{companyId:1,customerNo:86001308,lang:zh-CN}1650361143685`. The docs
/// do not cover nested values; they are written by the same rule (objects as `{k:v}`,
/// arrays as `[a,b]`).
pub fn payload(body: &Value, timestamp: u64) -> String {
    let mut out = String::new();
    write_value(&mut out, body);
    out.push_str(&timestamp.to_string());
    out
}

fn write_value(out: &mut String, value: &Value) {
    match value {
        Value::Object(map) => {
            let mut fields: Vec<_> = map.iter().filter(|(_, v)| !v.is_null()).collect();
            fields.sort_by(|a, b| a.0.cmp(b.0));
            out.push('{');
            for (i, (name, value)) in fields.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(name);
                out.push(':');
                write_value(out, value);
            }
            out.push('}');
        }
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_value(out, item);
            }
            out.push(']');
        }
        Value::String(s) => out.push_str(s),
        Value::Null => out.push_str("null"),
        other => out.push_str(&other.to_string()),
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn payload_matches_the_docs_example() {
        let body = json!({"companyId": 1, "lang": "zh-CN", "customerNo": "86001308"});
        assert_eq!(
            payload(&body, 1650361143685),
            "{companyId:1,customerNo:86001308,lang:zh-CN}1650361143685"
        );
    }

    #[test]
    fn payload_drops_nulls_and_sorts_nested_values() {
        let body = json!({"b": null, "a": {"y": true, "x": [1, "s"]}, "c": 1.5});
        assert_eq!(payload(&body, 7), "{a:{x:[1,s],y:true},c:1.5}7");
    }

    /// Key and signature made with OpenSSL, independently of this code:
    /// `openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:1024` (1024 bits, like the
    /// docs' keys), then `openssl dgst -sha1 -sign` over the docs' payload.
    pub(crate) const TEST_KEY: &str = "MIICdgIBADANBgkqhkiG9w0BAQEFAASCAmAwggJcAgEAAoGBAKszlnuF4jaTvYzUErAACBPUsbHBe5LmEcUzyLGuF/hPFodDfDAU+94yIP79bwFouGEFkkbBw7PCFcFGr3I9r/vTjjdOOBa6hy6bs7I3ONQT/QEIWEV/Qapo5w6qZ9T8Ku/heckguluzU27V9b/vC27RsgrAV9FHYR2Ha0u7QJ05AgMBAAECgYASvutTSy2h3Dt9GBuTue0ofrmWRSFKzHZVqX3oNq/ZOI+27+TBPwr1IXgLc6Sb+uN1fC6wILdVD4NiTmMXlzmVo5PDGU8KplVfCU5ROdOMIpMV54G20uHWq7i37ahiO7eJrdrsvvyGvKbEFqbl4wgi1xidOapJwJWp4UXQNc1HIQJBANIDCUYT3ZtFO8YrM4ZgFpuer9mCPAJaVJOsDUeIo3j3ILgeZRQhc8Et8KGUDn0lGDDHglEK+BN8IzR0JA2Ks2sCQQDQsOY3cNp235SzYU4rHHOeo6a1jnZYWXAtJ3fiJbCnGVw9dLLAENp9gjhf8MzGKXt41matP5kr7Jh4pgy47j7rAkEAridcamOQ8vDf1779lGJcfSKD+yCXuO/FkUwtGvQBdA+jb2utMJtpDXqWQLexqC+5tsHLnH83J5la7GWffCdYDwJAbwFps5vH2OtcgX4EwlHD/mI2TuSUdrI8RQh1cEl0Ca4nrljgq+FLFu+pZP8FLXLrRn9k5kqqAv86qxJIOiYgOQJAEhl6S6TZvtsxH8xgHDOYVj2ufBGiFtcGI14E0NMjlJCTWzz7uQFfC8tl5ij4De9SA1yQ2nMEydWahITiQZ/TlQ==";
    const OPENSSL_SIGNATURE: &str = "P3AuNv1A/Frec+Bs35hQ3KAcVRaTtW8m+5MaOKoh/k9CtPxq8bKwvL1hy+QbnJrSxcPqxieN240YrzhQl/QVRdGHaiYMr1KnSIyJC71rUm6kPO3bHgL36puAW3qLNLAU1qsXZExrRW/aErKkk9/nsdebG0JJKVBPZJMjjbp4krs=";

    #[test]
    fn signs_like_openssl() {
        let key = OpenApiKey::new("1710e1f6b4b54c15bea72e8669966591", TEST_KEY).unwrap();
        let body = json!({"companyId": 1, "lang": "zh-CN", "customerNo": "86001308"});
        assert_eq!(key.sign(&body, 1650361143685), OPENSSL_SIGNATURE);
        assert!(!format!("{key:?}").contains(&TEST_KEY[40..80]));
    }

    #[test]
    fn rejects_what_is_not_a_key() {
        assert_eq!(
            OpenApiKey::new("k", "not base64!").unwrap_err(),
            InvalidPrivateKey
        );
        assert_eq!(
            OpenApiKey::new("k", "aGVsbG8=").unwrap_err(),
            InvalidPrivateKey
        );
        // A well-formed 512-bit key (`openssl genpkey ... rsa_keygen_bits:512`): too small to
        // trust, refused when read rather than when signing.
        const KEY_512: &str = "MIIBVQIBADANBgkqhkiG9w0BAQEFAASCAT8wggE7AgEAAkEAsP76N8mJGvilb+ZG/njUtsUCiBGzjQZ+Jz7BrKkXePN18uyFmXRbEjNdWKpSnUmCrdWJubx9h+s1OVy5MEg0kQIDAQABAkAuPzFaCkrMxVNU3bKHI0NRTkDPFPD5VEz6LCem2bfMXkFdxOY2vcP/nSfyTtufNBOpfBQuAfNlZufLV9CJnM0BAiEA5CVcGEVL2aQ91tmRWsnrRNxlFU2maXhMo9ZqjIDzxTkCIQDGmvC0MjFQnOJWIINhsvYl71e7nJx8XD9Zj3E/2+uCGQIhAKU5QTb6iHH39ijwq8naTZ4zFqmU8J2VV7uXftZ+VQxRAiAoFiX3eRoTF1dn4vAhzCl6xrCCob3ELCptPVKyfQUwIQIhAINpFmmC3ft4o/reI4pv51SDRMLAcqXmgpnrVilyB7re";
        assert_eq!(
            OpenApiKey::new("k", KEY_512).unwrap_err(),
            InvalidPrivateKey
        );
    }
}
