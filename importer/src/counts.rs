//! What the import's rewrites did, counted over the whole import (the README's table of
//! rewrites).

use std::collections::BTreeMap;

/// How many times each rewrite was made, by what it is.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Counts(BTreeMap<&'static str, usize>);

impl Counts {
    /// Counts one more `what`.
    pub(crate) fn add(&mut self, what: &'static str) {
        *self.0.entry(what).or_default() += 1;
    }

    /// Each rewrite and its count, sorted by what it is.
    pub fn iter(&self) -> impl Iterator<Item = (&'static str, usize)> + '_ {
        self.0.iter().map(|(what, count)| (*what, *count))
    }
}
