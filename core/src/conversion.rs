//! The error of a generated type that checks the value it is made from.

use std::borrow::Cow;
use std::fmt;

use crate::error::{Error, ErrorKind};

/// A value refused by a generated type that checks what it holds (a string that must match
/// a pattern, say): what `TryFrom` and `FromStr` of such a type return.
///
/// It converts into [`Error`] (as [`ErrorKind::InvalidInput`]), so `?` works in a function
/// that returns the SDK's error.
#[derive(Clone, PartialEq, Eq)]
pub struct ConversionError(Cow<'static, str>);

impl ConversionError {
    /// What was wrong with the value.
    pub fn message(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ConversionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for ConversionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("ConversionError").field(&self.0).finish()
    }
}

impl std::error::Error for ConversionError {}

impl From<&'static str> for ConversionError {
    fn from(message: &'static str) -> Self {
        Self(Cow::Borrowed(message))
    }
}

impl From<String> for ConversionError {
    fn from(message: String) -> Self {
        Self(Cow::Owned(message))
    }
}

impl From<ConversionError> for Error {
    fn from(error: ConversionError) -> Self {
        Error::new(ErrorKind::InvalidInput(error.0.into_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_conversion_error_is_an_invalid_input_of_the_sdk() {
        let error = Error::from(ConversionError::from("doesn't match pattern"));
        assert_eq!(
            error.kind(),
            &ErrorKind::InvalidInput("doesn't match pattern".into())
        );
    }
}
