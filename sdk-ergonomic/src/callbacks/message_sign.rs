//! The `sign` of the Message API: how a white label's own email or SMS endpoint knows that a
//! message comes from the platform.
//!
//! The white label gives the platform an RSA public key (the docs' keys are 1024-bit); for each
//! message the platform encrypts `toUser@timestamp@trace` with it and sends the result, base64,
//! as `sign`, next to those fields. The receiver decrypts `sign` with its private key and
//! compares (the docs' "Custom message API" page, "Authentication"), then answers
//! `{"msg":"success","code":"200"}`.
//!
//! **Padding: PKCS#1 v1.5** (`RSA/ECB/PKCS1Padding`, Java's default for `"RSA"`). The docs do
//! not name it, but their example settles it: their `sign` decrypts with their example private
//! key under PKCS#1 v1.5 (block type 2) to their SMS example's
//! `18321956010@1651118320014@aaaaaaaaaabbbbbbbbbb11111` (`openssl pkeyutl -decrypt -pkeyopt
//! rsa_padding_mode:pkcs1`), and not at all under OAEP. The integration tests keep that
//! example.
//!
//! **What it proves.** Anyone holding the *public* key can make a valid `sign`, so it
//! authenticates the platform only as long as that key stays between you and the platform:
//! treat it as a secret too, and serve the endpoint over TLS. On top of the docs, [`verify`]
//! refuses a timestamp outside a window (5 minutes either way by default) and a `sign` already
//! accepted within it, so a captured request cannot be replayed.
//!
//! **Answer every refusal alike.** [`SignError`] tells *you* why (log it), but telling the
//! caller why would help it probe the key: answer all refusals with one failure. The
//! decryption itself gives nothing away either, in its result or its timing: constant-time
//! arithmetic with blinding, and PKCS#1 v1.5 implicit rejection (a block whose padding is wrong
//! decrypts to unrelated bytes, which fail the comparison like a changed field).
//!
//! [`verify`]: MessageSignVerifier::verify

use std::collections::{HashSet, VecDeque};
use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, SystemTime};

use super::{millis, unix_millis};

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use rsa::PrivateKey;
use rsa::pkcs1::DecodeRsaPrivateKey;
use rsa::pkcs8::DecodePrivateKey;
use rsa::traits::PublicKeyParts;
use secrecy::zeroize::Zeroizing;
use secrecy::{ExposeSecret, SecretString};
use subtle::ConstantTimeEq;

/// The smallest key accepted: the docs' keys are 1024-bit.
const MIN_KEY_BITS: u32 = 1024;

/// Checks the `sign` of the platform's message callbacks with the white label's private key.
///
/// One per key, shared by all requests (`Send + Sync`): it remembers the signs it accepted,
/// to refuse replays. Its `Debug` shows the key's size, never the key.
pub struct MessageSignVerifier {
    key: PrivateKey,
    window: Duration,
    seen: Mutex<Seen>,
}

/// Options of a [`MessageSignVerifier`]; [`MessageSignVerifier::builder`] starts with the
/// defaults.
#[derive(Debug, Clone)]
pub struct Builder {
    window: Duration,
    capacity: usize,
}

/// The private key given to [`Builder::build`] is not an RSA private key of at least 1024 bits
/// in a form it reads.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "the message private key is not an RSA private key of at least 1024 bits (PKCS#8 or PKCS#1, \
     PEM or base64 DER)"
)]
pub struct InvalidMessageKey;

/// Why a message's `sign` was refused. Log it; answer the platform the same for all (see the
/// [module docs](self)). No variant holds the key, the decrypted text or the recipient.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SignError {
    /// `sign` is not standard base64.
    #[error("the sign is not base64")]
    NotBase64,
    /// `sign` is not one RSA block of this key: too short, too long, or out of range.
    #[error("the sign is not an RSA block of this key")]
    Undecryptable,
    /// `sign` does not decrypt to `toUser@timestamp@trace` of the message: a field was
    /// changed, or the sign was altered or made with another public key (a block whose padding
    /// is wrong decrypts to unrelated bytes rather than failing, so that how it fails cannot be
    /// told apart from outside, not even by its timing).
    #[error("the sign does not match the message's toUser, timestamp and trace")]
    Mismatch,
    /// `timestamp` is older than the window allows.
    #[error("the message's timestamp is {age:?} old, more than the {window:?} allowed")]
    Stale {
        /// How old it is.
        age: Duration,
        /// The window.
        window: Duration,
    },
    /// `timestamp` is further ahead of this machine's clock than the window allows.
    #[error("the message's timestamp is {ahead:?} ahead, more than the {window:?} allowed")]
    Future {
        /// How far ahead it is.
        ahead: Duration,
        /// The window.
        window: Duration,
    },
    /// This very `sign` was already accepted within the window.
    #[error("the sign was already accepted: a replay")]
    Replayed,
}

impl MessageSignVerifier {
    /// Starts with a window of 5 minutes and room for 65,536 remembered signs.
    pub fn builder() -> Builder {
        Builder {
            window: Duration::from_secs(5 * 60),
            capacity: 65_536,
        }
    }

    /// A verifier with the default options.
    pub fn new(private_key: &SecretString) -> Result<Self, InvalidMessageKey> {
        Self::builder().build(private_key)
    }

    /// Accepts a message whose `sign` is `toUser@timestamp@trace` encrypted for this key,
    /// sent within the window around `now`, and not seen before; remembers it.
    ///
    /// `timestamp` is the message's, in milliseconds, as it came. The checks run cheapest
    /// first: the timestamp before any RSA work.
    pub fn verify(
        &self,
        to_user: &str,
        timestamp: i64,
        trace: &str,
        sign: &str,
        now: SystemTime,
    ) -> Result<(), SignError> {
        let now_ms = unix_millis(now);
        self.check_window(timestamp, now_ms)?;
        let sign = sign.trim();
        // One RSA block in base64: anything longer cannot be one, and is not decoded.
        if sign.len() > self.key.size().div_ceil(3) * 4 {
            return Err(SignError::Undecryptable);
        }
        let ciphertext = BASE64.decode(sign).map_err(|_| SignError::NotBase64)?;
        // Constant time and blinded (rsa 0.10), with implicit rejection: a wrong padding
        // yields bytes derived from the key and the block, which then fail the comparison, so
        // neither the answer nor its timing tells a bad padding from a changed field.
        let plain = Zeroizing::new(
            self.key
                .pkcs1v15_decrypt(&ciphertext)
                .map_err(|_| SignError::Undecryptable)?,
        );
        let expected = Zeroizing::new(format!("{to_user}@{timestamp}@{trace}"));
        if !bool::from(plain.as_slice().ct_eq(expected.as_bytes())) {
            return Err(SignError::Mismatch);
        }
        let expires = timestamp.saturating_add(millis(self.window));
        self.seen
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(ciphertext, expires, now_ms)
    }

    /// The accepted distance between the message's timestamp and this machine's clock.
    pub fn window(&self) -> Duration {
        self.window
    }

    fn check_window(&self, timestamp: i64, now_ms: i64) -> Result<(), SignError> {
        let window = self.window;
        let limit = millis(window);
        let diff = now_ms.saturating_sub(timestamp);
        if diff > limit {
            return Err(SignError::Stale {
                age: Duration::from_millis(diff.unsigned_abs()),
                window,
            });
        }
        if diff < limit.saturating_neg() {
            return Err(SignError::Future {
                ahead: Duration::from_millis(diff.unsigned_abs()),
                window,
            });
        }
        Ok(())
    }
}

impl fmt::Debug for MessageSignVerifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MessageSignVerifier")
            .field(
                "key",
                &format_args!("<{}-bit RSA key>", self.key.n().bit_width()),
            )
            .field("window", &self.window)
            .finish_non_exhaustive()
    }
}

impl Builder {
    /// How far the message's timestamp may be from this machine's clock, either way (default 5
    /// minutes). Signs are remembered this long after their timestamp, to refuse replays.
    pub fn window(mut self, window: Duration) -> Self {
        self.window = window;
        self
    }

    /// How many accepted signs are remembered at most (default 65,536). Beyond it the oldest
    /// is forgotten before its time, and could be replayed: size it above the messages the
    /// platform sends you in one window.
    pub fn capacity(mut self, capacity: usize) -> Self {
        self.capacity = capacity;
        self
    }

    /// The verifier for `private_key`: the white label's RSA private key as PEM (`BEGIN
    /// PRIVATE KEY`, PKCS#8, or `BEGIN RSA PRIVATE KEY`, PKCS#1) or as base64 DER (PKCS#8 or
    /// PKCS#1, whitespace allowed, as the docs print their example).
    pub fn build(
        self,
        private_key: &SecretString,
    ) -> Result<MessageSignVerifier, InvalidMessageKey> {
        let key = parse_private_key(private_key.expose_secret())?;
        if key.n().bit_width() < MIN_KEY_BITS {
            return Err(InvalidMessageKey);
        }
        Ok(MessageSignVerifier {
            key,
            window: self.window,
            seen: Mutex::new(Seen::new(self.capacity)),
        })
    }
}

/// Reads PEM (PKCS#8 or PKCS#1) or base64 DER (PKCS#8, then PKCS#1).
fn parse_private_key(text: &str) -> Result<PrivateKey, InvalidMessageKey> {
    let text = text.trim();
    if text.starts_with("-----BEGIN RSA PRIVATE KEY-----") {
        return PrivateKey::from_pkcs1_pem(text).map_err(|_| InvalidMessageKey);
    }
    if text.starts_with("-----BEGIN") {
        return PrivateKey::from_pkcs8_pem(text).map_err(|_| InvalidMessageKey);
    }
    let compact = Zeroizing::new(
        text.chars()
            .filter(|c| !c.is_ascii_whitespace())
            .collect::<String>(),
    );
    let der = Zeroizing::new(
        BASE64
            .decode(compact.as_bytes())
            .map_err(|_| InvalidMessageKey)?,
    );
    PrivateKey::from_pkcs8_der(&der)
        .or_else(|_| PrivateKey::from_pkcs1_der(&der))
        .map_err(|_| InvalidMessageKey)
}

/// The signs accepted and not yet expired, oldest first, at most `capacity` of them.
struct Seen {
    capacity: usize,
    order: VecDeque<(i64, Arc<[u8]>)>,
    set: HashSet<Arc<[u8]>>,
}

impl Seen {
    fn new(capacity: usize) -> Self {
        Self {
            capacity,
            order: VecDeque::new(),
            set: HashSet::new(),
        }
    }

    /// Remembers `sign` until `expires` (ms), or refuses it as a replay.
    fn insert(&mut self, sign: Vec<u8>, expires: i64, now_ms: i64) -> Result<(), SignError> {
        // Expiry times are nearly in insertion order (timestamps within one window): an entry
        // kept a little past its time behind a later one only refuses replays longer.
        while self.order.front().is_some_and(|(at, _)| *at < now_ms) {
            self.forget_oldest();
        }
        let sign: Arc<[u8]> = sign.into();
        if self.set.contains(&sign) {
            return Err(SignError::Replayed);
        }
        if self.capacity == 0 {
            return Ok(());
        }
        while self.order.len() >= self.capacity {
            self.forget_oldest();
        }
        self.set.insert(Arc::clone(&sign));
        self.order.push_back((expires, sign));
        Ok(())
    }

    fn forget_oldest(&mut self) {
        if let Some((_, sign)) = self.order.pop_front() {
            self.set.remove(&sign);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seen_refuses_a_replay_and_forgets_after_expiry() {
        let mut seen = Seen::new(8);
        assert_eq!(seen.insert(vec![1], 100, 0), Ok(()));
        assert_eq!(seen.insert(vec![1], 100, 50), Err(SignError::Replayed));
        assert_eq!(seen.insert(vec![1], 300, 101), Ok(()));
    }

    #[test]
    fn seen_stays_within_its_capacity() {
        let mut seen = Seen::new(2);
        for i in 0..5u8 {
            assert_eq!(seen.insert(vec![i], 1_000, 0), Ok(()));
        }
        assert_eq!(seen.order.len(), 2);
        assert_eq!(seen.set.len(), 2);
        assert_eq!(seen.insert(vec![4], 1_000, 0), Err(SignError::Replayed));
    }
}
