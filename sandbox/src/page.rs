//! One page of a list, as upstream's paged queries ask for it (`current` from 1, `size` rows)
//! and answer it (`{current, size, total, records}`).

use serde_json::{Value, json};

use crate::envelope::Failure;

/// The most rows one page holds: the Manager docs' limit for `customer_list`, applied to every
/// paged query.
const MAX_SIZE: i64 = 2000;
/// The rows of a page when the query does not say: upstream's default.
const DEFAULT_SIZE: i64 = 20;

/// The page a query asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Page {
    current: i64,
    size: i64,
}

impl Page {
    /// Page `current` (1 by default) of `size` rows (20 by default); a size outside 1 to 2000
    /// or a page before the first is refused.
    pub(crate) fn new(current: Option<i64>, size: Option<i64>) -> Result<Self, Failure> {
        let page = Self {
            current: current.unwrap_or(1),
            size: size.unwrap_or(DEFAULT_SIZE),
        };
        if !(1..=MAX_SIZE).contains(&page.size) || page.current < 1 {
            return Err(Failure::invalid(format!(
                "`size` must be 1 to {MAX_SIZE} and `current` at least 1"
            )));
        }
        Ok(page)
    }

    /// This page's rows of `rows`.
    pub(crate) fn rows<T>(self, rows: impl IntoIterator<Item = T>) -> impl Iterator<Item = T> {
        let skip = usize::try_from((self.current - 1).saturating_mul(self.size));
        // `size` is at most `MAX_SIZE`, so it fits.
        let size = usize::try_from(self.size).unwrap_or(usize::MAX);
        rows.into_iter().skip(skip.unwrap_or(usize::MAX)).take(size)
    }

    /// The answer: this page's `records` of `total` rows.
    pub(crate) fn answer(self, total: usize, records: Vec<Value>) -> Value {
        json!({
            "current": self.current, "size": self.size, "total": total, "records": records,
        })
    }
}

/// Whether `time` is within `[start, end]` (a query's `startTime` and `endTime`), either end
/// open when not given.
pub(crate) fn within(time: i64, start: Option<i64>, end: Option<i64>) -> bool {
    start.is_none_or(|s| time >= s) && end.is_none_or(|e| time <= e)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_skip_and_take_rows() {
        let page = Page::new(Some(2), Some(3)).expect("a page");
        assert_eq!(page.rows(1..=10).collect::<Vec<_>>(), [4, 5, 6]);
        let first = Page::new(None, None).expect("the default page");
        assert_eq!(first.rows(1..=30).count(), 20);
        assert!(Page::new(Some(0), None).is_err());
        assert!(Page::new(None, Some(2001)).is_err());
        let far = Page::new(Some(i64::MAX), Some(2000)).expect("a page");
        assert_eq!(far.rows(1..=10).count(), 0);
    }
}
