//! A program of a user's own, with `mm-sdk` and every one of its features in its tree. Its
//! serde types read numbers as serde promises, whatever the SDK enables in the crates they
//! share: the SDK turns on no feature that changes how `serde_json` reads numbers
//! (`arbitrary_precision` would). `tests/numbers.rs` shows it, and `scripts/features.sh`
//! checks the feature graph of this crate built alone.

use serde::Deserialize;

/// A reading that is a count, a measure or a word: an untagged enum, which serde reads
/// buffered.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(untagged)]
pub enum Reading {
    /// A whole number.
    Count(u64),
    /// Any other number.
    Measure(f64),
    /// A word.
    Word(String),
}

/// An event told apart by its `kind`: an internally tagged enum, also read buffered.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Event {
    /// A price.
    Price {
        /// The price.
        value: f64,
    },
    /// A volume.
    Volume {
        /// The volume.
        value: u64,
    },
}

/// A record whose fields beyond `id` are another type's: a flattened field.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Record {
    /// Its id.
    pub id: u32,
    /// The rest of its fields.
    #[serde(flatten)]
    pub figures: Figures,
}

/// The figures of a [`Record`].
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Figures {
    /// A price.
    pub price: f64,
    /// A signed count.
    pub change: i64,
}
