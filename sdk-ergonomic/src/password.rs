//! Passwords as upstream expects them: the MD5 digest of the plain password, in lower-case hex.

use std::fmt;

use md5::{Digest, Md5};
use secrecy::{ExposeSecret, SecretString};

/// A customer password in the form the APIs take (`pwd`, `loginPwd`): 32 lower-case hex
/// characters, the MD5 digest of the plain password.
///
/// The digest stands in for the password on the wire, so it is as secret as the password:
/// it never appears in `Debug` output, logs or errors.
///
/// ```
/// use mm_sdk::Password;
///
/// let from_plain = Password::from_plain("123456");
/// let from_hash = Password::from_md5_hex("E10ADC3949BA59ABBE56E057F20F883E").unwrap();
/// assert_eq!(from_plain, from_hash);
/// assert_eq!(format!("{from_plain:?}"), "Password(<redacted>)");
/// ```
#[derive(Clone)]
pub struct Password(SecretString);

impl Password {
    /// Hashes a plain password (its UTF-8 bytes) into the form upstream expects.
    pub fn from_plain(plain: &str) -> Self {
        Self(hex::encode(Md5::digest(plain.as_bytes())).into())
    }

    /// Takes a password that is already an MD5 hex digest (either case; sent in lower case).
    pub fn from_md5_hex(digest: &str) -> Result<Self, InvalidPasswordHash> {
        if digest.len() == 32 && digest.bytes().all(|b| b.is_ascii_hexdigit()) {
            Ok(Self(digest.to_ascii_lowercase().into()))
        } else {
            Err(InvalidPasswordHash { len: digest.len() })
        }
    }

    /// The digest as sent on the wire. Keep it out of logs.
    pub fn expose_md5_hex(&self) -> &str {
        self.0.expose_secret()
    }
}

impl PartialEq for Password {
    fn eq(&self, other: &Self) -> bool {
        self.expose_md5_hex() == other.expose_md5_hex()
    }
}

impl Eq for Password {}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password(<redacted>)")
    }
}

/// [`Password::from_md5_hex`] got something that is not 32 hex characters.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("a password hash must be 32 hex characters (an MD5 digest); got {len} characters")]
pub struct InvalidPasswordHash {
    len: usize,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_like_upstream() {
        // RFC 1321 test vectors.
        assert_eq!(
            Password::from_plain("").expose_md5_hex(),
            "d41d8cd98f00b204e9800998ecf8427e"
        );
        assert_eq!(
            Password::from_plain("message digest").expose_md5_hex(),
            "f96b697d7cb7938d525a2f31aaf161d0"
        );
    }

    #[test]
    fn rejects_what_is_not_a_digest_without_echoing_it() {
        for bad in [
            "abc",
            "zz483e80a7a0bd9ef71d8cf973673924",
            "dc483e80a7a0bd9ef71d8cf9736739241",
        ] {
            let message = Password::from_md5_hex(bad).unwrap_err().to_string();
            assert_eq!(
                message,
                format!(
                    "a password hash must be 32 hex characters (an MD5 digest); got {} characters",
                    bad.len()
                )
            );
        }
        assert!(Password::from_md5_hex("dc483e80a7a0bd9ef71d8cf973673924").is_ok());
    }
}
