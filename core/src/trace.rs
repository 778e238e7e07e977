//! Trace ids: the `trace` header every request carries.

use std::fmt;

/// The id sent in a request's `trace` header: fresh (a random UUID) for every call, or the
/// caller's own ([`Call::trace_id`](crate::Call::trace_id)), the same on each of its attempts.
///
/// Every [`Error`](crate::Error) keeps the trace id of the request it came from: quote it in
/// support requests, upstream logs calls under it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TraceId(String);

impl TraceId {
    /// A new random trace id (UUID v4, hyphenated, lower case).
    ///
    /// Its bits come from `fastrand`'s per-thread generator, not from the operating system:
    /// an id must be unique, not secret, and a system call for each would be a good part of
    /// a call's own cost.
    pub fn random() -> Self {
        let bytes = fastrand::u128(..).to_le_bytes();
        let id = uuid::Builder::from_random_bytes(bytes).into_uuid();
        let mut text = uuid::Uuid::encode_buffer();
        Self(id.hyphenated().encode_lower(&mut text).to_owned())
    }

    /// A caller's own id, already checked to be a header value.
    pub(crate) fn given(id: String) -> Self {
        Self(id)
    }

    /// The id as sent on the wire.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The id as a header value.
    pub(crate) fn header_value(&self) -> http::HeaderValue {
        // A UUID is visible ASCII, and a caller's id was checked: always a valid header value.
        http::HeaderValue::from_str(&self.0)
            .unwrap_or_else(|e| unreachable!("a trace id is a valid header value: {e}"))
    }
}

impl fmt::Display for TraceId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn random_ids_are_uuids_and_differ() {
        let (a, b) = (TraceId::random(), TraceId::random());
        assert_ne!(a, b);
        let parsed = uuid::Uuid::parse_str(a.as_str()).unwrap();
        assert_eq!(parsed.get_version_num(), 4);
        assert_eq!(a.to_string(), parsed.hyphenated().to_string());
    }
}
