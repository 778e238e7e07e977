//! Reading back what the criterion benches measured, for the summary table.

use std::path::Path;

/// The median time, in nanoseconds, criterion estimated for `function` of `group` in its last
/// run, from `<criterion home>/<group>/<function>/new/estimates.json`.
pub fn median_ns(home: &Path, group: &str, function: &str) -> Result<f64, String> {
    let path = home
        .join(group)
        .join(function)
        .join("new")
        .join("estimates.json");
    let text = std::fs::read_to_string(&path).map_err(|e| {
        format!(
            "{}: {e} (run `cargo bench -p mm-sdk-bench` first)",
            path.display()
        )
    })?;
    let estimates: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    estimates["median"]["point_estimate"]
        .as_f64()
        .ok_or_else(|| format!("{}: no median.point_estimate", path.display()))
}
