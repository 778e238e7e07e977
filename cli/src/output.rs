//! How an answer is printed: its JSON as the server wrote it, on one line (the default when
//! standard output is not a terminal, what `jq` and JSON lines take), or a table (the default
//! on a terminal).

use std::io::{IsTerminal, Write};

use serde_json::Value;
use serde_json::value::RawValue;

/// The chosen format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Format {
    Json,
    Table,
}

impl Format {
    /// `--output`, or by whether standard output is a terminal.
    pub(crate) fn choose(flag: Option<&str>) -> Self {
        match flag {
            Some("json") => Self::Json,
            Some("table") => Self::Table,
            _ if std::io::stdout().is_terminal() => Self::Table,
            _ => Self::Json,
        }
    }
}

/// Prints `data` to standard output.
pub(crate) fn print(data: &RawValue, format: Format) -> std::io::Result<()> {
    let mut out = std::io::stdout().lock();
    match format {
        Format::Json => writeln!(out, "{}", data.get()),
        Format::Table => {
            let value: Value = serde_json::from_str(data.get()).map_err(std::io::Error::other)?;
            write!(out, "{}", table(&value))
        }
    }
}

/// Writes `json` as one line of JSON lines to standard output; `Ok(false)` once the reader
/// has gone (`mm ... | head`), where the output ends without an error.
pub(crate) fn json_line(json: &str) -> std::io::Result<bool> {
    // Standard output is line-buffered: the line goes out whole, at once.
    match writeln!(std::io::stdout().lock(), "{json}") {
        Ok(()) => Ok(true),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(false),
        Err(e) => Err(e),
    }
}

/// The rows of a page: the list at `path` (fields from `data`; none: `data` is the list),
/// each as the server wrote it.
pub(crate) fn rows(page: &RawValue, path: &[&str]) -> Result<Vec<Box<RawValue>>, String> {
    let mut here: Box<RawValue> = page.to_owned();
    for field in path {
        let fields: std::collections::HashMap<String, Box<RawValue>> =
            serde_json::from_str(here.get())
                .map_err(|e| format!("a page is not an object with `{field}`: {e}"))?;
        here = fields
            .get(*field)
            .cloned()
            .ok_or_else(|| format!("a page has no `{field}`"))?;
    }
    if here.get() == "null" {
        return Ok(Vec::new());
    }
    serde_json::from_str(here.get()).map_err(|e| format!("a page's rows are not a list: {e}"))
}

/// A list of objects as one row each under their keys; an object as `key  value` lines;
/// anything else as its JSON.
fn table(value: &Value) -> String {
    let cell = |v: &Value| match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    };
    match value {
        Value::Array(rows) if rows.iter().all(Value::is_object) && !rows.is_empty() => {
            let mut columns: Vec<&str> = Vec::new();
            for row in rows.iter().filter_map(Value::as_object) {
                for key in row.keys() {
                    if !columns.contains(&key.as_str()) {
                        columns.push(key);
                    }
                }
            }
            let cells: Vec<Vec<String>> = rows
                .iter()
                .map(|row| columns.iter().map(|c| cell(&row[*c])).collect())
                .collect();
            let widths: Vec<usize> = columns
                .iter()
                .enumerate()
                .map(|(i, c)| {
                    cells
                        .iter()
                        .map(|r| r[i].chars().count())
                        .chain([c.len()])
                        .max()
                        .unwrap_or(0)
                })
                .collect();
            let line = |items: Vec<&str>| {
                let mut text = items
                    .iter()
                    .zip(&widths)
                    .map(|(item, width)| format!("{item:<width$}"))
                    .collect::<Vec<_>>()
                    .join("  ");
                text.truncate(text.trim_end().len());
                text + "\n"
            };
            let mut text = line(columns.clone());
            for row in &cells {
                text.push_str(&line(row.iter().map(String::as_str).collect()));
            }
            text
        }
        Value::Object(fields) => {
            let width = fields.keys().map(String::len).max().unwrap_or(0);
            fields
                .iter()
                .map(|(k, v)| format!("{k:<width$}  {}", cell(v)).trim_end().to_owned() + "\n")
                .collect()
        }
        other => format!("{}\n", cell(other)),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn rows_line_up_under_every_key_any_row_has() {
        let text = table(&json!([{"id": 1, "name": "EURUSD"}, {"id": 22, "digits": 5}]));
        assert_eq!(text, "id  name    digits\n1   EURUSD\n22          5\n");
    }

    #[test]
    fn an_object_is_one_line_per_field() {
        assert_eq!(table(&json!({"a": "x", "long": null})), "a     x\nlong\n");
    }
}
