//! The Message API's `sign` (`mm_sdk::callbacks::message_sign`): made as the platform makes it
//! (`toUser@timestamp@trace`, RSA PKCS#1 v1.5 under the white label's public key, base64),
//! then checked, and each way of getting it wrong refused with its own error.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use mm_sdk::callbacks::message_sign::{InvalidMessageKey, MessageSignVerifier, SignError};
use rsa::pkcs1::EncodeRsaPrivateKey;
use rsa::pkcs8::{DecodePrivateKey, EncodePrivateKey, LineEnding};
use rsa::rand_core::{Infallible, TryCryptoRng, TryRng};
use rsa::{PrivateKey, PublicKey};
use secrecy::SecretString;

/// The docs' example key pair ("Custom message API", "Public and private key rules"), as
/// printed there: base64 PKCS#8 with its line breaks turned into spaces.
const DOCS_PRIVATE_KEY: &str = "MIICdgIBADANBgkqhkiG9w0BAQEFAASCAmAwggJcAgEAAoGBAJrs9LzXaqbtEyI41sStUKXt+M21 vWBiBA6xrFU6an/BrQQfxbxBndWu3PAX0Vs971yu0RLlEdSRXgs1oCmT5YOcXp1DbXtScL5LbBvf RLus8y0cGLsN7JF86pmQMZuyidMzRZb9YwzZ4c0FsXit8AoibMV7ZmQCXYYwfMddzhpVAgMBAAEC gYAo3sP9oXKQUNCQYaA+yF4TOAE/+2bXK2RYoASPg1afF2/WO6+FZ2YE/hlo+U+Qm3ku4StkqauX gTXnDSGQdmTAdxh9YO3Aj81qn6VK6tlGkzWcKfcO+NqNyp3AwfF9aSackBi/rLH8GNNQZtoNBy8z Q6KBD2sQQRITuMu7hi4VwQJBANoY3Fi9rIgs3t4JifVMtyZC6Fpi9bEoCLEizZchwTr24P4mcbni 4uV9O0mI9OaqI9nAlet0KVhRaoMxi/ES2nECQQC12ZhxVzHe+wfCyyx/fPMXSr7cwmM1F3lk5IRa /hCXpVc9ncd/n12TNS7lJwVhqc+tBhWP6i3PSEH0hiyp0QglAkEAh/WNj4iWgMGwIazCovezCRgW rxoX3dt+J6bxkTCKvA5hTi57IQ1usu9xwTKusQkJllp3WzOr/pGqm6SMf7loEQJAbf6dJ8lfIAnl atzsIH0aqPcMNYna6i01v2I98LAGp0NaXqnGFxr1ReqAYBlXNvi45mZsum0iomOJiXdzIpCOhQJA AoXt2DlMSrXGIM0j/j56jUKOH0DNsadGned6SORnBiPjGr38eZwTxAIkxsoaPXS+9XJcQ5neWkwc 46caWU1H1Q==";

/// The `sign` of the docs' SMS example, made by the platform with that pair's public key.
const DOCS_SIGN: &str = "Zni/VixZVrxAt2GzIgRetSFub4Kk1C7JQsURlbXDJmHllv4Vr1SfJC66dnk0OPdylf4qlT9UQle+pAcbNKEBjMHkgeucaAG82syPNi18StNTWx+DNPvl1VvUGGJQQw6I7QClaEIefccyXUDqW78+gEIq8i5VNm/eop0bBoPu8Ao=";
const DOCS_TO_USER: &str = "18321956010";
const DOCS_TIMESTAMP: i64 = 1651118320014;
const DOCS_TRACE: &str = "aaaaaaaaaabbbbbbbbbb11111";

/// The white label's key in the other tests: a 1024-bit key made with OpenSSL.
const WHITE_LABEL_KEY: &str = include_str!("fixtures/open_api_key.pkcs8.b64");

const TO_USER: &str = "someone@example.com";
const TRACE: &str = "5f0c3c6e2c8a4b7f9d1e2a3b4c5d6e7f";
const NOW_MS: i64 = 1_750_000_000_000;

fn at(ms: i64) -> SystemTime {
    UNIX_EPOCH + Duration::from_millis(u64::try_from(ms).unwrap())
}

fn secret(text: &str) -> SecretString {
    SecretString::from(text.to_owned())
}

fn white_label_key() -> PrivateKey {
    let der = BASE64.decode(WHITE_LABEL_KEY.trim()).unwrap();
    PrivateKey::from_pkcs8_der(&der).unwrap()
}

fn docs_key() -> PrivateKey {
    let der = BASE64.decode(DOCS_PRIVATE_KEY.replace(' ', "")).unwrap();
    PrivateKey::from_pkcs8_der(&der).unwrap()
}

fn verifier() -> MessageSignVerifier {
    MessageSignVerifier::new(&secret(WHITE_LABEL_KEY)).unwrap()
}

/// A deterministic generator for the padding, so that every run encrypts the same bytes.
struct TestRng(u64);

impl TryRng for TestRng {
    type Error = Infallible;

    fn try_next_u32(&mut self) -> Result<u32, Infallible> {
        Ok((self.try_next_u64()? >> 32) as u32)
    }

    fn try_next_u64(&mut self) -> Result<u64, Infallible> {
        // SplitMix64.
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        Ok(z ^ (z >> 31))
    }

    fn try_fill_bytes(&mut self, dest: &mut [u8]) -> Result<(), Infallible> {
        for chunk in dest.chunks_mut(8) {
            let bytes = self.try_next_u64()?.to_le_bytes();
            chunk.copy_from_slice(&bytes[..chunk.len()]);
        }
        Ok(())
    }
}

impl TryCryptoRng for TestRng {}

/// The platform's side: `toUser@timestamp@trace` encrypted for `key`, base64.
fn platform_sign(key: &PublicKey, to_user: &str, timestamp: i64, trace: &str, seed: u64) -> String {
    let text = format!("{to_user}@{timestamp}@{trace}");
    let block = key
        .pkcs1v15_encrypt_with_rng(&mut TestRng(seed), text.as_bytes())
        .unwrap();
    BASE64.encode(block)
}

fn sign(timestamp: i64, seed: u64) -> String {
    platform_sign(
        &white_label_key().to_public_key(),
        TO_USER,
        timestamp,
        TRACE,
        seed,
    )
}

#[test]
fn the_docs_example_verifies() {
    let verifier = MessageSignVerifier::new(&secret(DOCS_PRIVATE_KEY)).unwrap();
    let now = at(DOCS_TIMESTAMP + 1_500);
    verifier
        .verify(DOCS_TO_USER, DOCS_TIMESTAMP, DOCS_TRACE, DOCS_SIGN, now)
        .unwrap();
    // The docs' email example shows the same sign with another recipient: it cannot match.
    let verifier = MessageSignVerifier::new(&secret(DOCS_PRIVATE_KEY)).unwrap();
    assert_eq!(
        verifier.verify(
            "18321956010@163.com",
            DOCS_TIMESTAMP,
            DOCS_TRACE,
            DOCS_SIGN,
            now
        ),
        Err(SignError::Mismatch)
    );
}

#[test]
fn a_sign_made_like_the_platform_verifies() {
    verifier()
        .verify(TO_USER, NOW_MS, TRACE, &sign(NOW_MS, 1), at(NOW_MS + 2_000))
        .unwrap();
}

#[test]
fn keys_are_read_as_pem_or_base64_der_in_pkcs8_or_pkcs1() {
    let key = white_label_key();
    let pkcs8_pem = key.to_pkcs8_pem(LineEnding::LF).unwrap();
    let pkcs1_pem = key.to_pkcs1_pem(LineEnding::LF).unwrap();
    let pkcs1_der = BASE64.encode(key.to_pkcs1_der().unwrap().as_bytes());
    for text in [
        pkcs8_pem.as_str(),
        pkcs1_pem.as_str(),
        &pkcs1_der,
        WHITE_LABEL_KEY,
    ] {
        let verifier = MessageSignVerifier::new(&secret(text)).unwrap();
        verifier
            .verify(TO_USER, NOW_MS, TRACE, &sign(NOW_MS, 2), at(NOW_MS))
            .unwrap();
    }
}

#[test]
fn what_is_not_a_usable_key_is_refused() {
    // A well-formed 512-bit key (`openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:512`).
    let small = "MIIBVQIBADANBgkqhkiG9w0BAQEFAASCAT8wggE7AgEAAkEAsP76N8mJGvilb+ZG/njUtsUCiBGzjQZ+Jz7BrKkXePN18uyFmXRbEjNdWKpSnUmCrdWJubx9h+s1OVy5MEg0kQIDAQABAkAuPzFaCkrMxVNU3bKHI0NRTkDPFPD5VEz6LCem2bfMXkFdxOY2vcP/nSfyTtufNBOpfBQuAfNlZufLV9CJnM0BAiEA5CVcGEVL2aQ91tmRWsnrRNxlFU2maXhMo9ZqjIDzxTkCIQDGmvC0MjFQnOJWIINhsvYl71e7nJx8XD9Zj3E/2+uCGQIhAKU5QTb6iHH39ijwq8naTZ4zFqmU8J2VV7uXftZ+VQxRAiAoFiX3eRoTF1dn4vAhzCl6xrCCob3ELCptPVKyfQUwIQIhAINpFmmC3ft4o/reI4pv51SDRMLAcqXmgpnrVilyB7re";
    for text in [
        "",
        "not base64!",
        "aGVsbG8=",
        "-----BEGIN PRIVATE KEY-----\nxx\n",
        small,
    ] {
        assert_eq!(
            MessageSignVerifier::new(&secret(text)).unwrap_err(),
            InvalidMessageKey
        );
    }
}

#[test]
fn a_changed_field_is_a_mismatch() {
    let verifier = verifier();
    let sign = sign(NOW_MS, 4);
    let now = at(NOW_MS);
    for (to_user, timestamp, trace) in [
        ("someone@example.org", NOW_MS, TRACE),
        (TO_USER, NOW_MS + 1, TRACE),
        (TO_USER, NOW_MS, "5f0c3c6e2c8a4b7f9d1e2a3b4c5d6e70"),
    ] {
        assert_eq!(
            verifier.verify(to_user, timestamp, trace, &sign, now),
            Err(SignError::Mismatch)
        );
    }
    // Refusals remember nothing: the genuine message still passes.
    verifier.verify(TO_USER, NOW_MS, TRACE, &sign, now).unwrap();
}

#[test]
fn a_sign_for_another_key_is_a_mismatch_and_a_block_of_another_size_undecryptable() {
    // Same size, other key: its padding is wrong under this key, which decrypts it to unrelated
    // bytes (implicit rejection) rather than failing, so it fails like a changed field.
    let other = platform_sign(&docs_key().to_public_key(), TO_USER, NOW_MS, TRACE, 5);
    assert_eq!(
        verifier().verify(TO_USER, NOW_MS, TRACE, &other, at(NOW_MS)),
        Err(SignError::Mismatch)
    );
    // Well-formed base64 that is no RSA block of this key's size, shorter or longer.
    let long = BASE64.encode([7u8; 200]);
    for sign in ["aGVsbG8=", long.as_str()] {
        assert_eq!(
            verifier().verify(TO_USER, NOW_MS, TRACE, sign, at(NOW_MS)),
            Err(SignError::Undecryptable)
        );
    }
}

#[test]
fn garbage_is_not_base64() {
    for garbage in ["***", "Zni/Vix", "Zm9v YmFy"] {
        assert_eq!(
            verifier().verify(TO_USER, NOW_MS, TRACE, garbage, at(NOW_MS)),
            Err(SignError::NotBase64)
        );
    }
}

#[test]
fn an_old_or_future_timestamp_is_refused_before_any_decryption() {
    let verifier = verifier();
    let window = verifier.window();
    assert_eq!(window, Duration::from_secs(300));
    let signed = sign(NOW_MS, 6);
    let stale = verifier.verify(TO_USER, NOW_MS, TRACE, &signed, at(NOW_MS + 300_001));
    assert_eq!(
        stale,
        Err(SignError::Stale {
            age: Duration::from_millis(300_001),
            window
        })
    );
    let future = verifier.verify(TO_USER, NOW_MS, TRACE, &signed, at(NOW_MS - 300_001));
    assert_eq!(
        future,
        Err(SignError::Future {
            ahead: Duration::from_millis(300_001),
            window
        })
    );
    // The window's edges are in.
    verifier
        .verify(TO_USER, NOW_MS, TRACE, &signed, at(NOW_MS + 300_000))
        .unwrap();
    let early = sign(NOW_MS, 7);
    verifier
        .verify(TO_USER, NOW_MS, TRACE, &early, at(NOW_MS - 300_000))
        .unwrap();
    // Checked first: garbage with a stale timestamp is stale.
    assert!(matches!(
        verifier.verify(TO_USER, NOW_MS, TRACE, "***", at(NOW_MS + 600_000)),
        Err(SignError::Stale { .. })
    ));
    // A narrower window, from the builder.
    let narrow = MessageSignVerifier::builder()
        .window(Duration::from_secs(10))
        .build(&secret(WHITE_LABEL_KEY))
        .unwrap();
    assert!(matches!(
        narrow.verify(TO_USER, NOW_MS, TRACE, &signed, at(NOW_MS + 10_001)),
        Err(SignError::Stale { .. })
    ));
}

#[test]
fn a_replay_is_refused() {
    let verifier = verifier();
    let first = sign(NOW_MS, 8);
    verifier
        .verify(TO_USER, NOW_MS, TRACE, &first, at(NOW_MS))
        .unwrap();
    assert_eq!(
        verifier.verify(TO_USER, NOW_MS, TRACE, &first, at(NOW_MS + 60_000)),
        Err(SignError::Replayed)
    );
    // Once the window has passed, the same sign is stale rather than forgotten.
    assert!(matches!(
        verifier.verify(TO_USER, NOW_MS, TRACE, &first, at(NOW_MS + 300_001)),
        Err(SignError::Stale { .. })
    ));
    // Another encryption of the same text is another message (the padding is random).
    verifier
        .verify(TO_USER, NOW_MS, TRACE, &sign(NOW_MS, 9), at(NOW_MS))
        .unwrap();
}

#[test]
fn debug_and_errors_show_no_key_and_no_recipient() {
    let verifier = verifier();
    let shown = format!("{verifier:?}");
    assert!(shown.contains("1024-bit"), "{shown}");
    let compact = WHITE_LABEL_KEY.trim();
    for piece in compact.as_bytes().chunks(16) {
        let piece = std::str::from_utf8(piece).unwrap();
        assert!(!shown.contains(piece), "{shown}");
    }
    let errors = [
        verifier.verify(TO_USER, NOW_MS + 1, TRACE, &sign(NOW_MS, 10), at(NOW_MS)),
        verifier.verify(TO_USER, NOW_MS, TRACE, "***", at(NOW_MS)),
        verifier.verify(TO_USER, NOW_MS, TRACE, "aGVsbG8=", at(NOW_MS)),
        verifier.verify(TO_USER, NOW_MS, TRACE, "***", at(NOW_MS + 600_000)),
    ];
    for error in errors {
        let error = error.unwrap_err();
        for text in [error.to_string(), format!("{error:?}")] {
            assert!(!text.contains(TO_USER), "{text}");
            assert!(!text.contains("someone"), "{text}");
        }
    }
    assert!(!format!("{:?}", InvalidMessageKey).contains(compact));
}

#[test]
fn the_verifier_is_shareable() {
    fn shareable<T: Send + Sync + 'static>() {}
    shareable::<MessageSignVerifier>();
}
