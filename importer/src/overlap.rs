//! Runs of words our text shares with upstream's: what `cargo xtask prose-check` looks for, so
//! that no sentence of upstream's docs or exports reaches ours. Words are compared in lower
//! case, as runs of letters and digits (`isn't` is one word, punctuation and markup are not
//! words), so a copied sentence is found whatever its quoting, case or line breaks.

use std::collections::HashSet;
use std::hash::{DefaultHasher, Hash, Hasher};

/// How many words in a row make a copied run.
pub const RUN: usize = 8;

/// Every run of [`RUN`] words of upstream's texts, hashed.
#[derive(Debug, Default)]
pub struct Upstream {
    runs: HashSet<u64>,
}

impl Upstream {
    /// Adds the runs of `text`; a line break or a quote ends a run, so that runs do not join
    /// two fields of an export.
    pub fn add(&mut self, text: &str) {
        for piece in text.split(['\n', '"']) {
            let words = words(piece);
            for run in words.windows(RUN) {
                self.runs.insert(hash(run));
            }
        }
    }

    /// How many distinct runs were added.
    pub fn len(&self) -> usize {
        self.runs.len()
    }

    /// Whether none were.
    pub fn is_empty(&self) -> bool {
        self.runs.is_empty()
    }

    /// The longest run of `text` shared with upstream's, if it shares one: its words joined by
    /// spaces. A line break ends a run, as in upstream's texts.
    pub fn shared(&self, text: &str) -> Option<String> {
        text.split('\n')
            .filter_map(|piece| self.shared_in(&words(piece)).map(|run| run.join(" ")))
            .max_by_key(|run| run.split(' ').count())
    }

    /// The longest run of `words` shared with upstream's.
    fn shared_in<'w>(&self, words: &'w [String]) -> Option<&'w [String]> {
        let mut best: Option<&[String]> = None;
        let mut start = None;
        for (i, run) in words.windows(RUN).enumerate() {
            if self.runs.contains(&hash(run)) {
                let from = *start.get_or_insert(i);
                let shared = &words[from..i + RUN];
                if best.is_none_or(|b| shared.len() > b.len()) {
                    best = Some(shared);
                }
            } else {
                start = None;
            }
        }
        best
    }
}

/// The words of `text`, in lower case.
fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !(c.is_alphanumeric() || c == '\''))
        .map(|word| word.trim_matches('\'').to_lowercase())
        .filter(|word| !word.is_empty())
        .collect()
}

fn hash(run: &[String]) -> u64 {
    let mut hasher = DefaultHasher::new();
    run.hash(&mut hasher);
    hasher.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn upstream() -> Upstream {
        let mut upstream = Upstream::default();
        upstream.add(
            "description: \"Query the list of positions held by the customer, a page at a time\"",
        );
        upstream
    }

    #[test]
    fn a_copied_run_is_found_whatever_its_case_and_punctuation() {
        let ours = "Lists *Positions* held by the Customer, a page at a time (paged).";
        assert_eq!(
            upstream().shared(ours).as_deref(),
            Some("positions held by the customer a page at a time")
        );
    }

    #[test]
    fn seven_shared_words_are_not_a_copy() {
        assert_eq!(
            upstream().shared("Which positions held by the customer, a page."),
            None
        );
    }

    #[test]
    fn a_run_does_not_join_two_quoted_texts() {
        let mut upstream = Upstream::default();
        upstream.add("\"one two three four\" \"five six seven eight\"");
        assert_eq!(upstream.len(), 0);
        assert_eq!(
            upstream.shared("one two three four five six seven eight"),
            None
        );
    }
}
