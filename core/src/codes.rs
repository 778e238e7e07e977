//! The error codes upstream documents: what each means, what kind of failure it is, and
//! whether trying again later may help.
//!
//! An [`ErrorCode`] is upstream's key for an error as its docs print it: the envelope's
//! `bizCode` followed by its `code` (`GGATEWAY_CODE_005` arrives as `bizCode` `G` and `code`
//! `GATEWAY_CODE_005`). Each documented key is a constant of the same name
//! (`ErrorCode::GGATEWAY_CODE_005`); a key that starts with a digit, which no Rust name can,
//! takes the name of where it is documented in front: `ErrorCode::OPEN_API_00012001`,
//! `ErrorCode::MARKET_DATA_500`, `ErrorCode::CLIENT_300`.
//!
//! [`Error::code`](crate::Error::code) reads the key from a failure's `bizCode` and `code`
//! ([`ErrorCode::from_wire`]), so that each documented code compares equal to its constant
//! however it arrives: `bizCode` `CFD` with `code` `E000029` is
//! `ErrorCode::CFDWBWE000029`; the Open API's `code` `00012001` with no `bizCode` is
//! `ErrorCode::OPEN_API_00012001`. A code the table does not list is kept as it came, so a new
//! code of upstream's still reaches you unchanged.
//!
//! [`Error::is_auth`](crate::Error::is_auth) and
//! [`Error::is_retryable`](crate::Error::is_retryable) are read from the table below
//! (generated from `openapi/codes/error-codes.yaml`; the meanings are the SDK's own words).
//!
//! # Every documented code
//!
#![doc = include_str!("codes/table.md")]

use std::borrow::Cow;
use std::fmt;

pub use mm_sdk_facts::Category;

#[allow(clippy::all)]
#[rustfmt::skip] // Generated and formatted by `cargo xtask codegen`; `--check` compares bytes.
mod table;

/// The `code` of a successful call.
pub const SUCCESS: &str = "0";

/// An error code: upstream's key as its docs print it (`bizCode`, then `code`), documented or
/// not.
///
/// Compare it with the constants (`ErrorCode::GGATEWAY_CODE_005`); ask the table what it
/// means with [`category`](Self::category), [`is_transient`](Self::is_transient) and
/// [`meaning`](Self::meaning), which answer `None` and `false` for a code the table does not
/// list. Displays as its key.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ErrorCode(Cow<'static, str>);

/// A documented code: its key, how it arrives, and what the spec says of it.
#[derive(Debug)]
struct Entry {
    key: &'static str,
    /// Empty when it arrives without a `bizCode`.
    biz_code: &'static str,
    code: &'static str,
    category: Category,
    transient: bool,
    meaning: &'static str,
}

impl ErrorCode {
    /// A code of the table, by its key.
    const fn documented(key: &'static str) -> Self {
        Self(Cow::Borrowed(key))
    }

    /// The code whose key is `key`, as upstream's docs print it (`"GGATEWAY_CODE_005"`,
    /// `"00012001"`). An undocumented key is kept as given.
    pub fn from_key(key: impl Into<Cow<'static, str>>) -> Self {
        let key = key.into();
        match entry(&key) {
            Some(entry) => Self::documented(entry.key),
            None => Self(key),
        }
    }

    /// The code of a failure envelope's `bizCode` and `code`.
    ///
    /// The first rule that applies decides:
    /// 1. a documented code that arrives exactly so (`CFD` + `E000029` is `CFDWBWE000029`,
    ///    `""` + `00012001` is `00012001`);
    /// 2. the documented key `bizCode` + `code` (`CFDWBW` + `E000029`);
    /// 3. `code` alone, when it is a documented key and `bizCode` is empty or begins it: the
    ///    whole key sent in `code` (`""` + `GGATEWAY_CODE_005`);
    /// 4. otherwise the undocumented key `bizCode` + `code`, kept as it came.
    pub fn from_wire(biz_code: &str, code: &str) -> Self {
        let arrives_so = table::ENTRIES
            .iter()
            .find(|entry| entry.biz_code == biz_code && entry.code == code);
        if let Some(entry) = arrives_so {
            return Self::documented(entry.key);
        }
        let key = format!("{biz_code}{code}");
        if let Some(entry) = entry(&key) {
            return Self::documented(entry.key);
        }
        match entry(code) {
            Some(entry) if entry.key.starts_with(biz_code) => Self::documented(entry.key),
            _ => Self(Cow::Owned(key)),
        }
    }

    /// The key, as upstream's docs print it.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// True when the table lists this code.
    pub fn is_documented(&self) -> bool {
        self.entry().is_some()
    }

    /// What kind of failure it is; `None` for a code the table does not list.
    pub fn category(&self) -> Option<Category> {
        self.entry().map(|entry| entry.category)
    }

    /// True when the same call may succeed later (a rate limit, work still in progress, a
    /// fault of the servers); false for a code the table does not list.
    pub fn is_transient(&self) -> bool {
        self.entry().is_some_and(|entry| entry.transient)
    }

    /// What the code means, in a sentence; `None` for a code the table does not list.
    pub fn meaning(&self) -> Option<&'static str> {
        self.entry().map(|entry| entry.meaning)
    }

    /// Every documented code, ordered by key.
    pub fn documented_codes() -> impl ExactSizeIterator<Item = ErrorCode> {
        table::ENTRIES
            .iter()
            .map(|entry| Self::documented(entry.key))
    }

    fn entry(&self) -> Option<&'static Entry> {
        entry(&self.0)
    }
}

/// The documented code whose key is `key`.
fn entry(key: &str) -> Option<&'static Entry> {
    table::ENTRIES
        .binary_search_by(|entry| entry.key.cmp(key))
        .ok()
        .map(|at| &table::ENTRIES[at])
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("ErrorCode").field(&self.as_str()).finish()
    }
}

impl std::str::FromStr for ErrorCode {
    type Err = std::convert::Infallible;

    /// [`ErrorCode::from_key`]: every key is a code, documented or not.
    fn from_str(key: &str) -> Result<Self, Self::Err> {
        Ok(Self::from_key(key.to_owned()))
    }
}

impl PartialEq<str> for ErrorCode {
    fn eq(&self, key: &str) -> bool {
        self.as_str() == key
    }
}

impl PartialEq<&str> for ErrorCode {
    fn eq(&self, key: &&str) -> bool {
        self.as_str() == *key
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_code_arrives_split_as_the_docs_say_and_equals_its_constant() {
        let expired = ErrorCode::from_wire("G", "GATEWAY_CODE_005");
        assert_eq!(expired, ErrorCode::GGATEWAY_CODE_005);
        assert_eq!(expired.as_str(), "GGATEWAY_CODE_005");
        assert_eq!(expired.category(), Some(Category::Authentication));
        assert!(!expired.is_transient());

        // The trading family is keyed CFDWBW but sent with bizCode CFD.
        let refused = ErrorCode::from_wire("CFD", "E000029");
        assert_eq!(refused, ErrorCode::CFDWBWE000029);
        assert_eq!(refused.to_string(), "CFDWBWE000029");
        // ... and with the whole module too.
        assert_eq!(
            ErrorCode::from_wire("CFDWBW", "E000029"),
            ErrorCode::CFDWBWE000029
        );
        assert_eq!(
            ErrorCode::from_wire("CFD", "500"),
            ErrorCode::CFDWBW500,
            "a number is read with its module"
        );
        assert_eq!(ErrorCode::from_wire("G", "500"), ErrorCode::G500);
        assert_eq!(ErrorCode::from_wire("US", "500"), ErrorCode::US500);
    }

    #[test]
    fn open_api_codes_arrive_whole_and_take_the_api_name() {
        let signature = ErrorCode::from_wire("", "00012001");
        assert_eq!(signature, ErrorCode::OPEN_API_00012001);
        assert_eq!(signature.as_str(), "00012001");
        assert_eq!(signature.category(), Some(Category::Authentication));
        let too_fast = ErrorCode::from_wire("", "00012005");
        assert_eq!(too_fast, ErrorCode::OPEN_API_00012005);
        assert_eq!(too_fast.category(), Some(Category::RateLimit));
        assert!(too_fast.is_transient());
    }

    #[test]
    fn a_whole_key_in_code_is_found_but_a_number_needs_its_module() {
        assert_eq!(
            ErrorCode::from_wire("", "GGATEWAY_CODE_005"),
            ErrorCode::GGATEWAY_CODE_005
        );
        assert_eq!(
            ErrorCode::from_wire("G", "GGATEWAY_CODE_005"),
            ErrorCode::GGATEWAY_CODE_005
        );
        // 500 alone is the market data's; under an unknown module it is another code.
        let other = ErrorCode::from_wire("XYZ", "500");
        assert_eq!(other.as_str(), "XYZ500");
        assert!(!other.is_documented());
        assert_eq!(ErrorCode::from_wire("", "500"), ErrorCode::MARKET_DATA_500);
    }

    #[test]
    fn an_unknown_code_is_kept_as_it_came() {
        let unknown = ErrorCode::from_wire("ZZ", "NEW_CODE_1");
        assert_eq!(unknown.as_str(), "ZZNEW_CODE_1");
        assert_eq!(
            (
                unknown.category(),
                unknown.meaning(),
                unknown.is_transient()
            ),
            (None, None, false)
        );
        let again: ErrorCode = unknown.to_string().parse().unwrap();
        assert_eq!(again, unknown);
        assert_eq!(again, "ZZNEW_CODE_1");
        assert_eq!(format!("{again:?}"), r#"ErrorCode("ZZNEW_CODE_1")"#);

        let documented: ErrorCode = "FS52002".parse().unwrap();
        assert_eq!(documented, ErrorCode::FS52002);
        assert!(documented.meaning().is_some_and(|m| !m.is_empty()));
    }

    #[test]
    fn the_table_is_sorted_and_every_entry_is_reachable_by_key_and_by_wire() {
        assert!(table::ENTRIES.windows(2).all(|w| w[0].key < w[1].key));
        assert_eq!(ErrorCode::documented_codes().len(), table::ENTRIES.len());
        for entry in &table::ENTRIES {
            let code = ErrorCode::from_key(entry.key);
            assert_eq!(code.category(), Some(entry.category), "{}", entry.key);
            assert_eq!(
                ErrorCode::from_wire(entry.biz_code, entry.code),
                code,
                "{entry:?}"
            );
        }
    }
}
