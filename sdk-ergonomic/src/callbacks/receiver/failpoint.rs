//! A test hook: `MM_SDK_TEST_FAILPOINT` pauses an adjustment for good at a point between its
//! claim and the record of its outcome, so that a test can kill the process right there (not
//! at a moment guessed by timing) and check that the platform's repeats and cancel, served by
//! other receivers, settle the adjustment. See the receiver's docs, "Test hook".
//!
//! The variable is read once, at the first adjustment; unset (as anywhere but in such a test),
//! each point costs a load and a comparison.

use std::sync::OnceLock;

/// The environment variable that chooses a failpoint.
pub(super) const VARIABLE: &str = "MM_SDK_TEST_FAILPOINT";

/// Where an adjustment can be paused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Point {
    /// Claimed, before the handler applies it: nothing moved, nothing recorded.
    Claimed,
    /// The handler has answered, before the outcome is recorded: the money moved (if the
    /// handler applied it), the store does not know.
    Applied,
}

impl Point {
    fn name(self) -> &'static str {
        match self {
            Self::Claimed => "adjustment-claimed",
            Self::Applied => "adjustment-applied",
        }
    }
}

/// The failpoint chosen: a point, and the prefix of the `requestUniqueNo`s it pauses.
#[derive(Debug, PartialEq, Eq)]
struct Chosen {
    point: Point,
    prefix: String,
}

/// `adjustment-claimed` or `adjustment-applied`, then optionally `:` and a prefix of the
/// keys to pause (all keys without one). Anything else chooses nothing.
fn parse(value: &str) -> Option<Chosen> {
    let (name, prefix) = value.split_once(':').unwrap_or((value, ""));
    let point = [Point::Claimed, Point::Applied]
        .into_iter()
        .find(|point| point.name() == name)?;
    Some(Chosen {
        point,
        prefix: prefix.to_owned(),
    })
}

fn chosen() -> Option<&'static Chosen> {
    static CHOSEN: OnceLock<Option<Chosen>> = OnceLock::new();
    CHOSEN
        .get_or_init(|| {
            let value = std::env::var(VARIABLE).ok()?;
            let chosen = parse(&value);
            if chosen.is_none() {
                tracing::warn!("{VARIABLE}={value:?} names no failpoint; none is set");
            }
            chosen
        })
        .as_ref()
}

/// Pauses for ever if `point` is the chosen failpoint and `request_unique_no` has its prefix,
/// after saying so on standard error (`mm-sdk test failpoint <point> reached: <key>`), which
/// the test waits for before it kills the process.
pub(super) async fn reach(point: Point, request_unique_no: &str) {
    if let Some(chosen) = chosen()
        && chosen.point == point
        && request_unique_no.starts_with(&chosen.prefix)
    {
        eprintln!(
            "mm-sdk test failpoint {} reached: {request_unique_no}",
            point.name()
        );
        std::future::pending::<()>().await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_prefixes_are_read_and_anything_else_chooses_nothing() {
        assert_eq!(
            parse("adjustment-applied:crash-"),
            Some(Chosen {
                point: Point::Applied,
                prefix: "crash-".into()
            })
        );
        assert_eq!(
            parse("adjustment-claimed"),
            Some(Chosen {
                point: Point::Claimed,
                prefix: String::new()
            })
        );
        for nothing in ["", "adjustment", "Adjustment-applied", "applied:x"] {
            assert_eq!(parse(nothing), None, "{nothing}");
        }
    }
}
