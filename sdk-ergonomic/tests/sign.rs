//! The Client/Manager "Access > Sign" scheme, checked against the docs' worked examples.
//!
//! The RSA vectors use the key pair the docs publish in their `apply_api` example (a real
//! 1024-bit pair: `openssl pkey -pubout` of its `privateKey` gives its `pubKey`). A body sealed
//! by this code was also decrypted with OpenSSL, piece by piece, and URL-decoded:
//! `base64 -d piece | openssl pkeyutl -decrypt -inkey docs_private.der -keyform DER
//! -pkeyopt rsa_padding_mode:pkcs1`, the pieces concatenated, then URL-decoded, gave the
//! signed JSON below.

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use mm_sdk::access_sign::{self, CompanyPublicKey, InvalidPublicKey};
use rsa::pkcs8::DecodePrivateKey;
use serde_json::{Map, Value, json};

fn object(value: Value) -> Map<String, Value> {
    match value {
        Value::Object(map) => map,
        other => panic!("not an object: {other}"),
    }
}

#[test]
fn the_sign_pages_example() {
    // "a=1&b=2&c=3&timestamp=11111131331" is A, "timestamp=11111131331" is B, C is B&A.
    let body = object(json!({"a": 1, "b": 2, "c": "3"}));
    assert_eq!(
        access_sign::string_to_sign(&body, 11111131331),
        "timestamp=11111131331&a=1&b=2&c=3&timestamp=11111131331"
    );
    // `printf %s <C> | md5sum`, upper-cased.
    assert_eq!(
        access_sign::signature(&body, 11111131331),
        "43FFFF236AC1FE30AF4ED37A1CFF7C9D"
    );
}

#[test]
fn the_java_demos_example() {
    // The demo's `main`: C and the digest it prints, then the JSON it encrypts.
    let body = object(json!({"parentCode": "USDT"}));
    assert_eq!(
        access_sign::string_to_sign(&body, 1722093946335),
        "timestamp=1722093946335&parentCode=USDT&timestamp=1722093946335"
    );
    let signed = access_sign::signed_body(&body, 1722093946335);
    assert_eq!(
        Value::Object(signed.clone()),
        json!({
            "signature": "5EF9837436D52991C79B7C0C4B007DAE",
            "parentCode": "USDT",
            "timestamp": 1722093946335_u64
        })
    );
    assert_eq!(
        access_sign::url_encoded_json(&signed),
        "%7B%22parentCode%22%3A%22USDT%22%2C%22signature%22%3A%225EF9837436D52991C79B7C0C4B007DAE\
         %22%2C%22timestamp%22%3A1722093946335%7D"
    );
}

#[test]
fn url_encoding_is_javas_url_encoder() {
    // Java's `URLEncoder`: `*` stays, `~` is encoded, a space becomes `+`, UTF-8 bytes as %XX.
    let body = object(json!({"name": "越南 盾~*", "signature": "X", "timestamp": 1}));
    assert_eq!(
        access_sign::url_encoded_json(&body),
        "%7B%22name%22%3A%22%E8%B6%8A%E5%8D%97+%E7%9B%BE%7E*%22%2C%22signature%22%3A%22X%22%2C\
         %22timestamp%22%3A1%7D"
    );
    // `printf %s 'timestamp=1&name=越南 盾~*&timestamp=1' | md5sum`
    assert_eq!(
        access_sign::signature(&object(json!({"name": "越南 盾~*"})), 1),
        "466D31F943355196A29DCD620FF3021E"
    );
}

#[test]
fn a_sealed_body_is_the_signed_json_in_100_character_rsa_pieces() {
    let documented = crate::common::example("client/apply_api.response.json")["data"].clone();
    let public = CompanyPublicKey::from_base64(documented["pubKey"].as_str().unwrap()).unwrap();
    let private = rsa::PrivateKey::from_pkcs8_der(
        &BASE64
            .decode(documented["privateKey"].as_str().unwrap())
            .unwrap(),
    )
    .unwrap();

    let body = object(json!({"parentCode": "USDT"}));
    let sealed = access_sign::seal(&body, 1722093946335, &public).unwrap();
    let sealed = object(sealed);
    assert_eq!(sealed.len(), 1, "only `data`: {sealed:?}");
    let pieces: Vec<&str> = sealed["data"].as_str().unwrap().split(',').collect();
    // E is 128 characters: two pieces, of 100 and 28.
    assert_eq!(pieces.len(), 2);
    let plain: Vec<Vec<u8>> = pieces
        .iter()
        .map(|piece| {
            let block = BASE64.decode(piece).unwrap();
            assert_eq!(block.len(), 128, "one RSA block of the 1024-bit key");
            private.pkcs1v15_decrypt(&block).unwrap()
        })
        .collect();
    assert_eq!((plain[0].len(), plain[1].len()), (100, 28));
    let e = String::from_utf8(plain.concat()).unwrap();
    assert_eq!(
        e,
        access_sign::url_encoded_json(&access_sign::signed_body(&body, 1722093946335))
    );

    // Encryption is randomised: the same body seals differently every time.
    let again = access_sign::seal(&body, 1722093946335, &public).unwrap();
    assert_ne!(Value::Object(sealed), again);
}

#[test]
fn only_rsa_public_keys_of_1024_bits_or_more_are_accepted() {
    let documented = crate::common::example("client/apply_api.response.json")["data"].clone();
    // Made with `openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:512`.
    let short = "MFwwDQYJKoZIhvcNAQEBBQADSwAwSAJBAMU5CardoK9nWUorThcBfWV7nqgbWcEt+mC6i9oprw8ulF5rX8NU9Gs4x8OpcELBWnn2X3UogjrDTss+jFyd/r8CAwEAAQ==";
    for bad in [
        "",
        "not base64!",
        short,
        documented["privateKey"].as_str().unwrap(),
    ] {
        assert_eq!(CompanyPublicKey::from_base64(bad), Err(InvalidPublicKey));
    }
    let key = CompanyPublicKey::from_base64(documented["pubKey"].as_str().unwrap()).unwrap();
    assert_eq!(format!("{key:?}"), "CompanyPublicKey(1024 bits)");
}
