//! The signed and encrypted request form of the Client and Manager APIs, as their "Access >
//! Sign" pages describe it: an upper-case MD5 `signature` over the body's fields and the
//! timestamp, then the whole body RSA-encrypted with the company's public key.
//!
//! **No documented endpoint requires it.** Every endpoint page and every example of the docs
//! sends plain JSON authenticated by a token, and that is what the SDK's calls send. This
//! module is for integrations that the operator tells to use the encrypted form; send the
//! result yourself, with a `timestamp` header equal to the `timestamp` given here and a
//! `trace` header that starts with `x-` (the Manager docs: that prefix marks an encrypted
//! body). The Open API's own SHA1withRSA signature is another scheme, applied by the SDK
//! itself (see [`OpenApiKey`](crate::OpenApiKey)).
//!
//! The steps, with `T` the timestamp in milliseconds:
//!
//! 1. The body carries `timestamp` = `T` (as the server's verifier reads it from the body).
//! 2. **A**: the top-level fields other than `signature` whose value is a number or a
//!    non-empty string, sorted by name (ASCII), written `name=value` and joined with `&`.
//! 3. **C** = `timestamp=T` + `&` + A, so the timestamp occurs twice.
//! 4. `signature` = MD5 of C, 32 upper-case hex digits; it is added to the body.
//! 5. **E**: the body as JSON, URL-encoded (`application/x-www-form-urlencoded` bytes, as
//!    Java's `URLEncoder` writes them; the server URL-decodes after decrypting).
//! 6. **F**: E cut into pieces of 100 characters, each encrypted with RSA PKCS#1 v1.5 under
//!    the company public key and base64-encoded, joined with `,`.
//! 7. The request body is `{"data": F}`.
//!
//! Where the docs are loose (the English page's "concatenate A and B", "if the length of F
//! exceeds 100") this follows the page's own worked example, its Chinese version and the
//! linked Java demo (`CTradeExchange/multimarket-demo`). The docs do not say how a number is
//! written in A; it is written as JSON writes it (`1`, `1.5`), which is what Java prints for
//! the integers and plain decimals of every documented body.
//!
//! ```
//! use mm_sdk::access_sign;
//! use serde_json::json;
//!
//! // The Sign page's example.
//! let body = json!({"a": 1, "b": 2, "c": "3"});
//! let body = body.as_object().unwrap();
//! assert_eq!(
//!     access_sign::string_to_sign(body, 11111131331),
//!     "timestamp=11111131331&a=1&b=2&c=3&timestamp=11111131331"
//! );
//! assert_eq!(access_sign::signature(body, 11111131331), "43FFFF236AC1FE30AF4ED37A1CFF7C9D");
//! ```

use std::fmt;

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use md5::{Digest, Md5};
use rsa::PublicKey;
use rsa::pkcs8::DecodePublicKey;
use rsa::traits::PublicKeyParts;
use serde_json::{Map, Value};

use mm_sdk_core::{Error, ErrorKind};

/// How many characters of the URL-encoded body each RSA block carries (step 6).
pub const SEGMENT_LEN: usize = 100;

/// The smallest key accepted: a segment plus PKCS#1 v1.5 padding must fit in one block.
const MIN_KEY_BITS: u32 = 1024;

/// The company's RSA public key that encrypts request bodies: base64 of its X.509
/// `SubjectPublicKeyInfo` DER, as the Manager API's `authorize` returns it (`publicKey`).
#[derive(Clone, PartialEq, Eq)]
pub struct CompanyPublicKey(PublicKey);

/// The text given to [`CompanyPublicKey::from_base64`] is not a base64 X.509 RSA public key
/// of at least 1024 bits.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "the company public key is not a base64-encoded X.509 RSA public key of at least 1024 bits"
)]
pub struct InvalidPublicKey;

impl CompanyPublicKey {
    /// Reads a base64 X.509 `SubjectPublicKeyInfo` (e.g. `MIGfMA0GCSqGSIb3DQEBAQUAA4GN...`).
    pub fn from_base64(key: &str) -> Result<Self, InvalidPublicKey> {
        let der = BASE64.decode(key.trim()).map_err(|_| InvalidPublicKey)?;
        let key = PublicKey::from_public_key_der(&der).map_err(|_| InvalidPublicKey)?;
        if key.n().bit_width() < MIN_KEY_BITS {
            return Err(InvalidPublicKey);
        }
        Ok(Self(key))
    }
}

impl fmt::Debug for CompanyPublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "CompanyPublicKey({} bits)", self.0.n().bit_width())
    }
}

/// String **C** of the docs: `timestamp=T&` followed by the body's signed fields (step 2),
/// `timestamp=T` among them whatever the body's own `timestamp` says.
pub fn string_to_sign(body: &Map<String, Value>, timestamp: u64) -> String {
    let mut fields: Vec<(&str, String)> = body
        .iter()
        .filter(|(name, _)| *name != "signature" && *name != "timestamp")
        .filter_map(|(name, value)| match value {
            Value::Number(n) => Some((name.as_str(), n.to_string())),
            Value::String(s) if !s.is_empty() => Some((name.as_str(), s.clone())),
            _ => None,
        })
        .collect();
    fields.push(("timestamp", timestamp.to_string()));
    fields.sort_by(|a, b| a.0.cmp(b.0));
    let mut out = format!("timestamp={timestamp}");
    for (name, value) in fields {
        out.push('&');
        out.push_str(name);
        out.push('=');
        out.push_str(&value);
    }
    out
}

/// The `signature` field (step 4): MD5 of [`string_to_sign`], 32 upper-case hex digits.
pub fn signature(body: &Map<String, Value>, timestamp: u64) -> String {
    hex::encode_upper(Md5::digest(string_to_sign(body, timestamp).as_bytes()))
}

/// The body as it is encrypted (steps 1 to 4): `body` with `timestamp` set to `timestamp` and
/// `signature` added.
pub fn signed_body(body: &Map<String, Value>, timestamp: u64) -> Map<String, Value> {
    let signature = signature(body, timestamp);
    let mut signed = body.clone();
    signed.insert("timestamp".into(), Value::from(timestamp));
    signed.insert("signature".into(), Value::String(signature));
    signed
}

/// String **E** (step 5): `body` as JSON, fields sorted by name, URL-encoded.
pub fn url_encoded_json(body: &Map<String, Value>) -> String {
    // Sorted whatever the map's own order: the same body always gives the same text.
    let sorted: std::collections::BTreeMap<&String, &Value> = body.iter().collect();
    let json = serde_json::to_string(&sorted)
        .unwrap_or_else(|e| unreachable!("JSON values always serialise: {e}"));
    url::form_urlencoded::byte_serialize(json.as_bytes()).collect()
}

/// The request body to send in place of `body`: `{"data": F}` (steps 1 to 7), encrypted for
/// `key`. Encryption is randomised (PKCS#1 v1.5), so the result differs on every call; only the
/// holder of the company's private key can read it.
pub fn seal(
    body: &Map<String, Value>,
    timestamp: u64,
    key: &CompanyPublicKey,
) -> Result<Value, Error> {
    let plain = url_encoded_json(&signed_body(body, timestamp));
    let mut sealed = Vec::new();
    // URL-encoded text is ASCII, so byte chunks are character chunks.
    for segment in plain.as_bytes().chunks(SEGMENT_LEN) {
        let block = key
            .0
            .pkcs1v15_encrypt(segment)
            .map_err(|e| Error::from(ErrorKind::InvalidInput(format!("RSA encryption: {e}"))))?;
        sealed.push(BASE64.encode(block));
    }
    Ok(serde_json::json!({ "data": sealed.join(",") }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn object(value: Value) -> Map<String, Value> {
        match value {
            Value::Object(map) => map,
            _ => unreachable!(),
        }
    }

    #[test]
    fn only_numbers_and_non_empty_strings_are_signed() {
        let body = object(json!({
            "z": "", "n": null, "o": {"x": 1}, "l": [1], "t": true, "signature": "old",
            "m": 0, "f": 1.5, "timestamp": 5
        }));
        assert_eq!(
            string_to_sign(&body, 9),
            "timestamp=9&f=1.5&m=0&timestamp=9"
        );
    }

    #[test]
    fn a_timestamp_in_the_body_is_replaced() {
        let signed = signed_body(&object(json!({"timestamp": 1, "a": "b"})), 2);
        assert_eq!(signed["timestamp"], json!(2));
        assert_eq!(
            signed["signature"],
            json!(signature(&object(json!({"a": "b"})), 2))
        );
    }
}
