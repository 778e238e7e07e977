//! The language tags the trading UI and the `lang` header take.

use std::fmt;
use std::str::FromStr;

/// A language tag such as `en-US` or `zh-CN`: the trading UI's URL prefix and the `lang`
/// header.
///
/// Checked to be a plain tag (ASCII letters and digits in hyphen-separated parts), so it can
/// be put into a URL path and a header as it is.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Locale(String);

impl Locale {
    /// English (United States), `en-US`.
    pub fn en_us() -> Self {
        Self("en-US".into())
    }

    /// Chinese (China), `zh-CN`.
    pub fn zh_cn() -> Self {
        Self("zh-CN".into())
    }

    /// The tag as sent.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl FromStr for Locale {
    type Err = InvalidLocale;

    fn from_str(tag: &str) -> Result<Self, InvalidLocale> {
        let valid = !tag.is_empty()
            && tag.len() <= 35
            && tag
                .split('-')
                .all(|part| !part.is_empty() && part.bytes().all(|b| b.is_ascii_alphanumeric()));
        if valid {
            Ok(Self(tag.to_owned()))
        } else {
            Err(InvalidLocale(tag.to_owned()))
        }
    }
}

impl fmt::Display for Locale {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A string that is not a language tag like `en-US`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not a language tag like `en-US` or `zh-CN`")]
pub struct InvalidLocale(String);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_tags_and_rejects_what_would_break_a_url() {
        for ok in ["en-US", "zh-CN", "zh-Hant-TW", "ja"] {
            assert_eq!(ok.parse::<Locale>().unwrap().as_str(), ok);
        }
        for bad in ["", "en_US", "en-", "../home", "en US", "zh-CN/home?x="] {
            let error = bad.parse::<Locale>().unwrap_err();
            assert_eq!(
                error.to_string(),
                format!("`{bad}` is not a language tag like `en-US` or `zh-CN`")
            );
        }
    }
}
