//! The summary table: one row per measure, the baseline and the SDK side by side.

use std::fmt;

/// One line of the table.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    what: String,
    baseline: Option<String>,
    sdk: String,
    /// SDK / baseline for a comparison, the SDK's own value otherwise: what a target checks.
    measured: f64,
    target: Option<Target>,
}

/// A target a measure should meet.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Target {
    /// The ratio (or value) must be at most this.
    AtMost(f64),
    /// The ratio (or value) must be at least this.
    AtLeast(f64),
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Target::AtMost(limit) => write!(f, "≤ {limit}"),
            Target::AtLeast(limit) => write!(f, "≥ {limit}"),
        }
    }
}

/// How a value is printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// Nanoseconds, printed in the most readable of ns, µs, ms, s.
    Nanos,
    /// Seconds.
    Seconds,
    /// Requests per second.
    PerSecond,
    /// A count, with one decimal (averages).
    Count,
    /// A whole number (operations, lines).
    Whole,
}

impl Unit {
    /// `value` in this unit, as printed.
    pub fn format(self, value: f64) -> String {
        match self {
            Unit::Nanos => nanos(value),
            Unit::Seconds => format!("{value:.2} s"),
            Unit::PerSecond => format!("{value:.0}/s"),
            Unit::Count => format!("{value:.1}"),
            Unit::Whole => format!("{value:.0}"),
        }
    }
}

fn nanos(ns: f64) -> String {
    if ns < 1e3 {
        format!("{ns:.0} ns")
    } else if ns < 1e6 {
        format!("{:.1} µs", ns / 1e3)
    } else if ns < 1e9 {
        format!("{:.2} ms", ns / 1e6)
    } else {
        format!("{:.2} s", ns / 1e9)
    }
}

impl Row {
    /// A measure taken of both sides, compared by ratio.
    pub fn compare(what: impl Into<String>, baseline: f64, sdk: f64, unit: Unit) -> Self {
        Self {
            what: what.into(),
            baseline: Some(unit.format(baseline)),
            sdk: unit.format(sdk),
            measured: sdk / baseline,
            target: None,
        }
    }

    /// A measure of the SDK (or its tooling) alone.
    pub fn alone(what: impl Into<String>, value: f64, unit: Unit) -> Self {
        Self {
            what: what.into(),
            baseline: None,
            sdk: unit.format(value),
            measured: value,
            target: None,
        }
    }

    /// A measure of both sides shown as text, with no ratio (e.g. connection counts).
    pub fn text(what: impl Into<String>, baseline: String, sdk: String) -> Self {
        Self {
            what: what.into(),
            baseline: Some(baseline),
            sdk,
            measured: f64::NAN,
            target: None,
        }
    }

    /// The same row, with a target for its ratio (or, without a baseline, its value).
    pub fn target(mut self, target: Target) -> Self {
        self.target = Some(target);
        self
    }

    /// Whether the row meets its target; `None` without one.
    pub fn met(&self) -> Option<bool> {
        Some(match self.target? {
            Target::AtMost(limit) => self.measured <= limit,
            Target::AtLeast(limit) => self.measured >= limit,
        })
    }

    fn cells(&self) -> [String; 6] {
        let ratio = match &self.baseline {
            Some(_) if self.measured.is_finite() => format!("{:.3}", self.measured),
            _ => String::new(),
        };
        let met = match self.met() {
            None => "",
            Some(true) => "yes",
            Some(false) => "NO",
        };
        [
            self.what.clone(),
            self.baseline.clone().unwrap_or_default(),
            self.sdk.clone(),
            ratio,
            self.target.map(|t| t.to_string()).unwrap_or_default(),
            met.to_owned(),
        ]
    }
}

/// The table in Markdown, its columns padded so that it also reads well in a terminal.
pub fn render(rows: &[Row]) -> String {
    let header = [
        "measure",
        "baseline",
        "SDK",
        "SDK / baseline",
        "target",
        "met",
    ]
    .map(String::from);
    let body: Vec<[String; 6]> = rows.iter().map(Row::cells).collect();
    let mut widths = header.clone().map(|h| h.chars().count());
    for cells in &body {
        for (width, cell) in widths.iter_mut().zip(cells) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let line = |cells: &[String]| {
        let padded: Vec<String> = cells
            .iter()
            .zip(widths)
            .map(|(cell, width)| format!("{cell:width$}"))
            .collect();
        format!("| {} |\n", padded.join(" | "))
    };
    let rule = widths.map(|width| "-".repeat(width));
    let mut out = line(&header);
    out.push_str(&line(&rule));
    for cells in &body {
        out.push_str(&line(cells));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_ratios_targets_and_verdicts() {
        let rows = [
            Row::compare("p50", 100_000.0, 104_000.0, Unit::Nanos).target(Target::AtMost(1.05)),
            Row::compare("rps", 1000.0, 900.0, Unit::PerSecond).target(Target::AtLeast(0.95)),
            Row::alone("codegen", 0.5, Unit::Seconds).target(Target::AtMost(1.0)),
            Row::text("connections", "16".into(), "16".into()),
        ];
        assert_eq!(rows[0].met(), Some(true));
        assert_eq!(rows[1].met(), Some(false));
        assert_eq!(rows[2].met(), Some(true));
        assert_eq!(rows[3].met(), None);
        let expected = "\
| measure     | baseline | SDK      | SDK / baseline | target | met |
| ----------- | -------- | -------- | -------------- | ------ | --- |
| p50         | 100.0 µs | 104.0 µs | 1.040          | ≤ 1.05 | yes |
| rps         | 1000/s   | 900/s    | 0.900          | ≥ 0.95 | NO  |
| codegen     |          | 0.50 s   |                | ≤ 1    | yes |
| connections | 16       | 16       |                |        |     |
";
        assert_eq!(render(&rows), expected);
    }
}
