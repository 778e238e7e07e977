//! Signing for the Client API's Open API (`/openapi-c/...`): SHA1withRSA over the body's
//! fields and the timestamp, as the docs' "Open API > Sign" page describes.

use std::fmt;

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use rsa::PrivateKey;
use rsa::pkcs8::DecodePrivateKey;
use rsa::traits::PublicKeyParts;
use std::collections::BTreeMap;

use serde_json::value::RawValue;
use sha1::Sha1;

use crate::limiter::Limiter;

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
    limiter: Option<Limiter>,
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
            limiter: None,
        })
    }

    /// The `apiKey` header value.
    pub fn api_key(&self) -> &str {
        &self.api_key
    }

    /// Makes every call signed with this key (and its clones) wait its turn under `limiter`:
    /// `Limiter::open_api_key()` keeps to the rate upstream documents for a key. Without one
    /// (the default) calls are sent at once, and the platform's `429` is retried by the call's
    /// retry policy.
    #[must_use]
    pub fn with_limiter(mut self, limiter: Limiter) -> Self {
        self.limiter = Some(limiter);
        self
    }

    /// The limiter calls signed with this key wait on, if any.
    pub fn limiter(&self) -> Option<&Limiter> {
        self.limiter.as_ref()
    }

    /// The `signature` header for the JSON `body` sent at `timestamp` (ms): base64 of
    /// SHA1withRSA over [`payload`]. Fails only if `body` is not JSON.
    ///
    /// # Panics
    ///
    /// If the operating system's random number generator fails: the private-key operation is
    /// blinded with fresh randomness each time, and is not done without it.
    pub fn sign(&self, body: &[u8], timestamp: u64) -> Result<String, serde_json::Error> {
        Ok(self.sign_fields(&fields(body)?, timestamp))
    }

    /// The signature over `fields` (the body as [`fields`] writes it) at `timestamp`.
    pub(crate) fn sign_fields(&self, fields: &str, timestamp: u64) -> String {
        let mut payload = String::with_capacity(fields.len() + 13);
        payload.push_str(fields);
        payload.push_str(&timestamp.to_string());
        // The key was read whole and is at least 1024 bits, room enough for a SHA-1 digest
        // and its padding: the randomness is all that can fail.
        let signature = self
            .key
            .pkcs1v15_sign::<Sha1>(payload.as_bytes())
            .unwrap_or_else(|e| panic!("signing with the Open API key failed: {e}"));
        BASE64.encode(signature)
    }
}

impl fmt::Debug for OpenApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OpenApiKey")
            .field("api_key", &self.api_key)
            .field("private_key", &"<redacted>")
            .field("limiter", &self.limiter)
            .finish()
    }
}

/// What is signed: the JSON body's fields sorted by name, written `{name:value,...}` without
/// any quotes or spaces and without the fields whose value is `null`, then the timestamp.
///
/// The docs' example: `{"companyId":1,"lang":"zh-CN","customerNo":"86001308"}` at
/// `1650361143685` gives `{companyId:1,customerNo:86001308,lang:zh-CN}1650361143685`. The docs
/// do not cover nested values; they are written by the same rule (objects as `{k:v}`,
/// arrays as `[a,b]`). Numbers are written as the body writes them (`0.10` stays `0.10`),
/// since the server signs the text it received.
pub fn payload(body: &[u8], timestamp: u64) -> Result<String, serde_json::Error> {
    let mut out = fields(body)?;
    out.push_str(&timestamp.to_string());
    Ok(out)
}

/// The body as signed, without the timestamp.
pub(crate) fn fields(body: &[u8]) -> Result<String, serde_json::Error> {
    let raw: &RawValue = serde_json::from_slice(body)?;
    let mut out = String::with_capacity(body.len());
    write_value(&mut out, raw)?;
    Ok(out)
}

fn write_value(out: &mut String, raw: &RawValue) -> Result<(), serde_json::Error> {
    let text = raw.get();
    match text.as_bytes().first() {
        Some(b'{') => {
            // Sorted by name; a name given twice is its last value, as JSON readers take it.
            let map: BTreeMap<String, &RawValue> = serde_json::from_str(text)?;
            out.push('{');
            let fields = map.into_iter().filter(|(_, value)| value.get() != "null");
            for (i, (name, value)) in fields.enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&name);
                out.push(':');
                write_value(out, value)?;
            }
            out.push('}');
        }
        Some(b'[') => {
            let items: Vec<&RawValue> = serde_json::from_str(text)?;
            out.push('[');
            for (i, item) in items.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_value(out, item)?;
            }
            out.push(']');
        }
        Some(b'"') => out.push_str(&serde_json::from_str::<String>(text)?),
        // A number, `true`, `false` or `null`, as written.
        _ => out.push_str(text),
    }
    Ok(())
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    #[test]
    fn payload_matches_the_docs_example() {
        let body = br#"{"companyId":1,"lang":"zh-CN","customerNo":"86001308"}"#;
        assert_eq!(
            payload(body, 1650361143685).unwrap(),
            "{companyId:1,customerNo:86001308,lang:zh-CN}1650361143685"
        );
    }

    #[test]
    fn payload_drops_nulls_and_sorts_nested_values() {
        let body = br#"{"b": null, "a": {"y": true, "x": [1, "s"]}, "c": 1.5}"#;
        assert_eq!(payload(body, 7).unwrap(), "{a:{x:[1,s],y:true},c:1.5}7");
    }

    #[test]
    fn payload_keeps_numbers_and_strings_as_sent() {
        let body = br#"{"amount": 0.10, "big": 1234567890.12345678, "note": "a\"b", "e": 1E+2}"#;
        assert_eq!(
            payload(body, 7).unwrap(),
            "{amount:0.10,big:1234567890.12345678,e:1E+2,note:a\"b}7"
        );
        assert!(payload(b"{\"a\":", 7).is_err());
    }

    /// Key and signature made with OpenSSL, independently of this code:
    /// `openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:1024` (1024 bits, like the
    /// docs' keys), then `openssl dgst -sha1 -sign` over the docs' payload.
    pub(crate) const TEST_KEY: &str = "MIICdgIBADANBgkqhkiG9w0BAQEFAASCAmAwggJcAgEAAoGBAKszlnuF4jaTvYzUErAACBPUsbHBe5LmEcUzyLGuF/hPFodDfDAU+94yIP79bwFouGEFkkbBw7PCFcFGr3I9r/vTjjdOOBa6hy6bs7I3ONQT/QEIWEV/Qapo5w6qZ9T8Ku/heckguluzU27V9b/vC27RsgrAV9FHYR2Ha0u7QJ05AgMBAAECgYASvutTSy2h3Dt9GBuTue0ofrmWRSFKzHZVqX3oNq/ZOI+27+TBPwr1IXgLc6Sb+uN1fC6wILdVD4NiTmMXlzmVo5PDGU8KplVfCU5ROdOMIpMV54G20uHWq7i37ahiO7eJrdrsvvyGvKbEFqbl4wgi1xidOapJwJWp4UXQNc1HIQJBANIDCUYT3ZtFO8YrM4ZgFpuer9mCPAJaVJOsDUeIo3j3ILgeZRQhc8Et8KGUDn0lGDDHglEK+BN8IzR0JA2Ks2sCQQDQsOY3cNp235SzYU4rHHOeo6a1jnZYWXAtJ3fiJbCnGVw9dLLAENp9gjhf8MzGKXt41matP5kr7Jh4pgy47j7rAkEAridcamOQ8vDf1779lGJcfSKD+yCXuO/FkUwtGvQBdA+jb2utMJtpDXqWQLexqC+5tsHLnH83J5la7GWffCdYDwJAbwFps5vH2OtcgX4EwlHD/mI2TuSUdrI8RQh1cEl0Ca4nrljgq+FLFu+pZP8FLXLrRn9k5kqqAv86qxJIOiYgOQJAEhl6S6TZvtsxH8xgHDOYVj2ufBGiFtcGI14E0NMjlJCTWzz7uQFfC8tl5ij4De9SA1yQ2nMEydWahITiQZ/TlQ==";
    const OPENSSL_SIGNATURE: &str = "P3AuNv1A/Frec+Bs35hQ3KAcVRaTtW8m+5MaOKoh/k9CtPxq8bKwvL1hy+QbnJrSxcPqxieN240YrzhQl/QVRdGHaiYMr1KnSIyJC71rUm6kPO3bHgL36puAW3qLNLAU1qsXZExrRW/aErKkk9/nsdebG0JJKVBPZJMjjbp4krs=";

    #[test]
    fn signs_like_openssl() {
        let key = OpenApiKey::new("1710e1f6b4b54c15bea72e8669966591", TEST_KEY).unwrap();
        let body = br#"{"companyId": 1, "lang": "zh-CN", "customerNo": "86001308"}"#;
        assert_eq!(key.sign(body, 1650361143685).unwrap(), OPENSSL_SIGNATURE);
        assert!(!format!("{key:?}").contains(&TEST_KEY[40..80]));
    }

    /// Upstream's own signing demo (`CTradeExchange/sign-demo`, `SignTest`): its published
    /// test key pair and the payload it signs, `{quantity:1,symbol:abc}1589966902000`. The
    /// demo prints no signature; PKCS#1 v1.5 signatures are deterministic, so the expected
    /// one was made with OpenSSL (`openssl dgst -sha1 -sign`) over the same payload and key,
    /// and the demo's public key verifies it, as the demo's `doCheck` does.
    const DEMO_KEY: &str = "MIICdwIBADANBgkqhkiG9w0BAQEFAASCAmEwggJdAgEAAoGBAMElXgnHKpoM/y/5R7edOjcK52tAHjLaKExjxRJnTb03gIZfXLJ+SKhcU6wmvS/fpyOhQ2xLtM4cxWbKzECl+8pEn7OBRAw7KTFQCCIcbXTuGE8w3yF59PH56gzrQ/S1CRVIBBYFFKEdds0MKaenAbipPkecxrnly35bA1RwstQNAgMBAAECgYAOTu1bfhSq2uGgtS/Z61zfrQAd0t8p1z17Az0bMunwZYcw7SmZ038gcc6FB02mmUPxgMXU5Prc9gatqcJd263+WgQqSWCSBzMS1FK6t5RHHw6JK9SoAdan3GL5dbCeeprJbXFtXrnc6nRc6NOrPlI7VH8j+OKNj0Rh7Zqee/AbJQJBAOdx/rheoByOOgSXsSpiLcB6bS/zjXWJeR1kEwn3gM+g3D/vhoQKrJEcjy45b2dzDpxUjuEEGCflmAcKujy8S/cCQQDVoyu2jdFfI/RtKAq9eS5uOl7zzL19L/TuTT9lEIsjTBBQArH7GDYFZ2eeUQbXceR9GIU3OWg5SYwpcUty8XcbAkBO/jlR8/nxxRlIN/3f2WKEL0TU+OtvElykC2P0IuVz+BM0PyxKJNqBLJ4xyKidRkfWU4XwhtU3yMT6ok6uLBZBAkEAhStVUFJOtNOgxXo0V692NdfE4Iw7ghGmx/T3E3SghrwfXwCPGUoaQnwWpyUy8pFYMHJcd/Qc97jU2fB5a4kBCQJBAJi6wHIMK8wWaoegZpnSyPC66a7EoaxHR04IEZIlXvR1RVORYv9Xghx/VuHBjhMP0LtTWQ61Tc04acLvZDNq8FM=";
    const DEMO_PUBLIC_KEY: &str = "MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDBJV4JxyqaDP8v+Ue3nTo3CudrQB4y2ihMY8USZ029N4CGX1yyfkioXFOsJr0v36cjoUNsS7TOHMVmysxApfvKRJ+zgUQMOykxUAgiHG107hhPMN8hefTx+eoM60P0tQkVSAQWBRShHXbNDCmnpwG4qT5HnMa55ct+WwNUcLLUDQIDAQAB";
    const DEMO_SIGNATURE: &str = "oXe1qyV/sbayecjhePbj8AKbZqK/fJGWHlFN6duDN2s4861YMQTOZnO51NHFcMd2cCwWvyf4bHZ8dCfK6xYSqGkUWExEkpyfS/Lr9mTUcYMgYxvGsLy2CfspKVUBhXb6GS0xBiOqDeiDiJbty7IBQWVkh5rqwqPDf/06m9YSjNw=";

    #[test]
    fn reproduces_upstreams_signing_demo() {
        use rsa::pkcs1v15::{Signature, VerifyingKey};
        use rsa::pkcs8::DecodePublicKey;
        use rsa::signature::Verifier;

        let key = OpenApiKey::new("demo", DEMO_KEY).unwrap();
        // The body as a client writes it, fields in any order: the payload sorts them.
        let body = br#"{"symbol": "abc", "quantity": 1}"#;
        assert_eq!(
            payload(body, 1589966902000).unwrap(),
            "{quantity:1,symbol:abc}1589966902000"
        );
        let signature = key.sign(body, 1589966902000).unwrap();
        assert_eq!(signature, DEMO_SIGNATURE);

        let public =
            rsa::PublicKey::from_public_key_der(&BASE64.decode(DEMO_PUBLIC_KEY).unwrap()).unwrap();
        let verifying = VerifyingKey::<Sha1>::new(public);
        let signature = Signature::try_from(BASE64.decode(signature).unwrap().as_slice()).unwrap();
        verifying
            .verify(b"{quantity:1,symbol:abc}1589966902000", &signature)
            .unwrap();
        assert!(
            verifying
                .verify(b"{quantity:2,symbol:abc}1589966902000", &signature)
                .is_err()
        );
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
