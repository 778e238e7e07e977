//! Upstream's times: milliseconds since the Unix epoch (UTC), as one type.

use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// A moment as upstream sends it: whole milliseconds since the Unix epoch, UTC (`createTime`,
/// `openTime`, `requestTime`...). On the wire it stays the number; it reads from a number or
/// from text holding one.
///
/// It converts to and from the standard library's [`SystemTime`]; for the time crates, go
/// through the milliseconds: `chrono::DateTime::from_timestamp_millis(t.as_millis())`,
/// `time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(t.as_millis()) * 1_000_000)`,
/// `jiff::Timestamp::from_millisecond(t.as_millis())`.
///
/// ```
/// use std::time::{Duration, UNIX_EPOCH};
/// use mm_sdk_core::Timestamp;
///
/// let opened = Timestamp::from_millis(1_700_000_000_123);
/// assert_eq!(opened.to_system_time(), UNIX_EPOCH + Duration::from_millis(1_700_000_000_123));
/// assert_eq!(Timestamp::try_from(opened.to_system_time()), Ok(opened));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Timestamp(i64);

impl Timestamp {
    /// The moment `millis` milliseconds after the Unix epoch (before it, when negative).
    pub const fn from_millis(millis: i64) -> Self {
        Self(millis)
    }

    /// The milliseconds since the Unix epoch.
    pub const fn as_millis(self) -> i64 {
        self.0
    }

    /// Now, by this machine's clock, to the millisecond.
    pub fn now() -> Self {
        Self::try_from(SystemTime::now()).unwrap_or(Self(i64::MAX))
    }

    /// The same moment as a [`SystemTime`].
    pub fn to_system_time(self) -> SystemTime {
        let offset = Duration::from_millis(self.0.unsigned_abs());
        if self.0 >= 0 {
            UNIX_EPOCH + offset
        } else {
            UNIX_EPOCH - offset
        }
    }
}

/// A [`SystemTime`] too far from the epoch for milliseconds in an `i64` (about 292 million
/// years).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OutOfRange;

impl fmt::Display for OutOfRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the time is too far from 1970 for milliseconds in an i64")
    }
}

impl std::error::Error for OutOfRange {}

/// To the millisecond, rounding toward the epoch.
impl TryFrom<SystemTime> for Timestamp {
    type Error = OutOfRange;

    fn try_from(time: SystemTime) -> Result<Self, OutOfRange> {
        let millis = |d: Duration| i64::try_from(d.as_millis()).map_err(|_| OutOfRange);
        match time.duration_since(UNIX_EPOCH) {
            Ok(after) => millis(after).map(Self),
            Err(before) => millis(before.duration()).map(|m| Self(-m)),
        }
    }
}

impl From<Timestamp> for SystemTime {
    fn from(time: Timestamp) -> Self {
        time.to_system_time()
    }
}

impl From<i64> for Timestamp {
    fn from(millis: i64) -> Self {
        Self(millis)
    }
}

impl From<Timestamp> for i64 {
    fn from(time: Timestamp) -> Self {
        time.0
    }
}

impl PartialEq<i64> for Timestamp {
    fn eq(&self, millis: &i64) -> bool {
        self.0 == *millis
    }
}

/// The milliseconds, as upstream writes them.
impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl serde::Serialize for Timestamp {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_i64(self.0)
    }
}

impl<'de> serde::Deserialize<'de> for Timestamp {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        crate::open_enum::deserialize_code(deserializer).map(Self)
    }
}

#[cfg(feature = "json-schema")]
impl schemars::JsonSchema for Timestamp {
    fn schema_name() -> String {
        "Timestamp".to_owned()
    }

    fn json_schema(generator: &mut schemars::r#gen::SchemaGenerator) -> schemars::schema::Schema {
        <i64 as schemars::JsonSchema>::json_schema(generator)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_time_reads_from_a_number_or_its_text_and_goes_back_as_the_number() {
        let times: Vec<Timestamp> =
            serde_json::from_str(r#"[1700000000123, "1700000000124"]"#).unwrap();
        assert_eq!(times, [1_700_000_000_123, 1_700_000_000_124]);
        assert_eq!(
            serde_json::to_string(&times).unwrap(),
            "[1700000000123,1700000000124]"
        );
    }

    #[test]
    fn a_time_before_the_epoch_converts_both_ways() {
        let before = Timestamp::from_millis(-1_500);
        assert_eq!(
            before.to_system_time(),
            UNIX_EPOCH - Duration::from_millis(1_500)
        );
        assert_eq!(Timestamp::try_from(before.to_system_time()), Ok(before));
    }

    #[test]
    fn now_is_after_the_sdk_was_written() {
        assert!(Timestamp::now() > Timestamp::from_millis(1_764_979_200_000));
    }
}
