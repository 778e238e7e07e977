//! The verdict on the differences between an export and the specs: which are acknowledged,
//! which are not, which acknowledgements are stale; and the report printed.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use super::ack::Ack;
use super::difference::{Difference, Kind};
use crate::Error;
use crate::export::Export;

/// How the report names what it compares, and what it shows.
#[derive(Debug, Clone, Copy)]
pub struct Shown<'a> {
    /// The export's file.
    pub export: &'a str,
    /// The folder of the specs.
    pub specs: &'a str,
    /// The acknowledgements file.
    pub ack: &'a str,
    /// Whether the acknowledged differences are listed too.
    pub all: bool,
}

/// An acknowledgement, or one of its fields or headers, that matches no difference.
#[derive(Debug)]
struct Stale<'a> {
    ack: &'a Ack,
    subject: Option<&'a str>,
}

/// The differences sorted into acknowledged and not, and the stale acknowledgements.
#[derive(Debug)]
pub struct Verdict<'a> {
    export: &'static Export,
    /// Those of operations the specs follow another export for: that export's decisions.
    decided: Vec<Difference>,
    acknowledged: Vec<Difference>,
    unacknowledged: Vec<Difference>,
    stale: Vec<Stale<'a>>,
}

impl<'a> Verdict<'a> {
    /// `differences` between export `export` and the specs, sorted by `acks` (those of other
    /// exports are left alone); a difference another export decides needs no acknowledgement.
    pub fn new(export: &'static Export, differences: Vec<Difference>, acks: &'a [Ack]) -> Self {
        let acks: Vec<&Ack> = acks.iter().filter(|a| a.export == export.file).collect();
        let mut used: BTreeSet<(usize, Option<&str>)> = BTreeSet::new();
        let (decided, differences): (Vec<Difference>, Vec<Difference>) = differences
            .into_iter()
            .partition(|difference| difference.decided_by.is_some());
        let (acknowledged, unacknowledged) = differences.into_iter().partition(|difference| {
            let before = used.len();
            for ack in &acks {
                if let Some(subject) = ack.covers(difference) {
                    used.insert((ack.entry, subject));
                }
            }
            used.len() > before
        });
        let mut stale = Vec::new();
        for ack in acks {
            let subjects: Vec<Option<&str>> = if ack.subjects.is_empty() {
                vec![None]
            } else {
                ack.subjects.iter().map(|s| Some(s.as_str())).collect()
            };
            for subject in subjects {
                if !used.contains(&(ack.entry, subject)) {
                    stale.push(Stale { ack, subject });
                }
            }
        }
        Verdict {
            export,
            decided,
            acknowledged,
            unacknowledged,
            stale,
        }
    }

    /// What is printed: the differences another export decides, grouped by that export, the
    /// differences not acknowledged (all with `--all`) per operation, the stale
    /// acknowledgements, and the count of each kind.
    pub fn report(&self, shown: &Shown) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "{} ({} export) against the specs of {}, acknowledgements in {}",
            shown.export, self.export.name, shown.specs, shown.ack
        );
        let mut deciders: Vec<&str> = self.decided.iter().filter_map(|d| d.decided_by).collect();
        deciders.dedup();
        deciders.sort_unstable();
        deciders.dedup();
        for decider in deciders {
            let decided: Vec<&Difference> = self
                .decided
                .iter()
                .filter(|d| d.decided_by == Some(decider))
                .collect();
            write_group(
                &mut out,
                &format!("Decided by the newer `{decider}`, which the specs follow (not failing)"),
                &decided,
            );
        }
        if shown.all {
            let acknowledged: Vec<&Difference> = self.acknowledged.iter().collect();
            write_group(&mut out, "Acknowledged", &acknowledged);
        }
        let unacknowledged: Vec<&Difference> = self.unacknowledged.iter().collect();
        write_group(&mut out, "Not acknowledged", &unacknowledged);
        if !self.stale.is_empty() {
            out.push_str("\nStale acknowledgements (they match no difference: remove them):\n");
            for Stale { ack, subject } in &self.stale {
                let subject = subject.map(|s| format!(" {s}")).unwrap_or_default();
                let _ = writeln!(
                    out,
                    "  entry {}: {} {}{subject}",
                    ack.entry, ack.operation, ack.kind
                );
            }
        }
        let _ = writeln!(
            out,
            "\n{:<18} {:>12} {:>12} {:>16}",
            "kind", "decided", "acknowledged", "not acknowledged"
        );
        for kind in Kind::ALL {
            let count = |list: &[Difference]| list.iter().filter(|d| d.kind == kind).count();
            let _ = writeln!(
                out,
                "{kind:<18} {:>12} {:>12} {:>16}",
                count(&self.decided),
                count(&self.acknowledged),
                count(&self.unacknowledged)
            );
        }
        out
    }

    /// Success when every difference is acknowledged and every acknowledgement is used.
    pub fn outcome(&self, ack: &str) -> Result<(), Error> {
        if self.unacknowledged.is_empty() && self.stale.is_empty() {
            return Ok(());
        }
        Err(Error::new(format!(
            "{} differences not acknowledged and {} stale acknowledgements in {ack}: change the \
             specs, or acknowledge each difference with why",
            self.unacknowledged.len(),
            self.stale.len(),
        )))
    }
}

/// Writes `differences` under `title`, one line each, grouped per operation.
fn write_group(out: &mut String, title: &str, differences: &[&Difference]) {
    if differences.is_empty() {
        return;
    }
    let _ = writeln!(out, "\n{title}:");
    let mut current = None;
    for difference in differences {
        let difference = *difference;
        if current != Some(&difference.operation) {
            let _ = writeln!(out, "  {}", difference.operation);
            current = Some(&difference.operation);
        }
        let _ = writeln!(out, "    {difference}");
    }
}
