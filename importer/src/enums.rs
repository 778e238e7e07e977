//! Coded values. Where upstream's description of a field lists codes with their meanings
//! (`1-Buy; 2-Sell;`), the import writes the codes as a fact, `x-mm-codes` (`documented_codes`
//! finds them). Each such field carries one of the platform's shared coded values
//! (`mm_sdk_core::enums`), `x-mm-enum` with its concept, or says why it is not one,
//! `x-mm-not-enum`; the codegen refuses a field with codes and neither, and a concept that
//! lacks one of its codes. Both are listed, by area, component and field, in
//! `openapi/import/enums.yaml`, so that a re-import keeps them; the import refuses an entry that
//! no longer finds its field (upstream moved, renamed or retyped it), so none outlives its
//! place.

use std::sync::LazyLock;

use regex::Regex;
use serde::Deserialize;
use serde_yaml_ng::Value;

use crate::Error;
use crate::area::Area;
use crate::money;

/// The extension the codegen reads: the name of the field's enum.
const EXTENSION: &str = "x-mm-enum";

/// The extension that says why a field with codes is not an enum.
const NOT_EXTENSION: &str = "x-mm-not-enum";

/// The extension that lists the codes upstream documents for a field.
pub(crate) const CODES_EXTENSION: &str = "x-mm-codes";

/// One code of a list in a description: at the start or after a separator, a number
/// (`-1`, `12`) or a constant (`LIMIT`), a dash, colon or equals sign, then a word.
static CODE: LazyLock<Regex> = LazyLock::new(|| {
    #[allow(clippy::unwrap_used)] // A constant pattern, tested below.
    Regex::new(
        r"(?:^|[\s;,；，(（:：、])(-?\d{1,3}|[A-Z][A-Z_]{1,30})\s*[-:：=－—]\s*[^\s;,；，\d]",
    )
    .unwrap()
});

/// The codes a description lists with their meanings (`1-Buy; 2-Sell;` → `1`, `2`), in the
/// order written, each once; none unless it lists two or more.
pub(crate) fn documented_codes(description: &str) -> Vec<String> {
    let mut codes: Vec<String> = Vec::new();
    for found in CODE.captures_iter(description) {
        let code = found[1].to_owned();
        if !codes.contains(&code) {
            codes.push(code);
        }
    }
    if codes.len() < 2 {
        codes.clear();
    }
    codes
}

/// A field that carries a shared coded value.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EnumField {
    /// The area spec: `openapi/<area>.yaml`.
    pub area: String,
    /// The component (`components.schemas`), as the import names it.
    pub schema: String,
    /// The field's path in the component, as [`crate::not_money::NotMoney::field`] writes it
    /// (`direction`, `list[].direction`).
    pub field: String,
    /// The concept: an enum of `openapi/codes/enums.yaml`; or none, with `not`.
    #[serde(rename = "enum", default)]
    pub name: Option<String>,
    /// Why a field with codes is not an enum, in a sentence (`x-mm-not-enum`).
    #[serde(default)]
    pub not: Option<String>,
}

/// The entries of `text` (the contents of `openapi/import/enums.yaml`); each names a concept
/// or says why not, never both.
pub fn parse(text: &str) -> Result<Vec<EnumField>, Error> {
    let fields: Vec<EnumField> = serde_yaml_ng::from_str(text)
        .map_err(|e| Error::new(format!("openapi/import/enums.yaml: {e}")))?;
    for entry in &fields {
        if entry.name.is_some() == entry.not.is_some() {
            return Err(Error::new(format!(
                "openapi/import/enums.yaml: `{}` of `{}` in `openapi/{}.yaml` needs either \
                 `enum` (its concept) or `not` (why it is not one)",
                entry.field, entry.schema, entry.area
            )));
        }
    }
    Ok(fields)
}

/// Marks each field of `fields` in `areas` with its concept: the field itself, or the items of
/// a list of codes. Refuses an entry whose field is not there, or is neither a number nor a
/// string nor a list of either.
pub(crate) fn apply(fields: &[EnumField], areas: &mut [Area]) -> Result<(), Error> {
    for entry in fields {
        let missing = |what: &str| {
            Error::new(format!(
                "openapi/import/enums.yaml: `{}` of `{}` in `openapi/{}.yaml` {what}: upstream \
                 has moved, renamed or retyped it; remove the entry or give the field's new place",
                entry.field, entry.schema, entry.area
            ))
        };
        let schema = areas
            .iter_mut()
            .find(|area| area.name == entry.area)
            .and_then(|area| area.spec["components"]["schemas"].get_mut(entry.schema.as_str()))
            .ok_or_else(|| missing("has no component"))?;
        let mut marked = None;
        money::visit_fields(schema, &mut |field, _, property| {
            if field != entry.field || marked.is_some() {
                return;
            }
            let target = if property["type"].as_str() == Some("array") {
                &mut property["items"]
            } else {
                property
            };
            let coded = matches!(target["type"].as_str(), Some("integer" | "string"));
            if coded && let Some(map) = target.as_mapping_mut() {
                match (&entry.name, &entry.not) {
                    (Some(name), _) => map.insert(EXTENSION.into(), Value::from(name.clone())),
                    (None, Some(why)) => map.insert(NOT_EXTENSION.into(), Value::from(why.clone())),
                    (None, None) => None,
                };
            }
            marked = Some(coded);
        });
        match marked {
            Some(true) => {}
            Some(false) => {
                return Err(missing(
                    "is not a code (a number, a string or a list of them)",
                ));
            }
            None => return Err(missing("is not there")),
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::documented_codes;

    #[test]
    fn a_list_of_codes_is_found_in_upstreams_ways_of_writing_it() {
        for (text, codes) in [
            ("1-Buy; 2-Sell;", &["1", "2"][..]),
            ("Status 0: off, 1: on, -1: all", &["0", "1", "-1"]),
            ("Type (1: Margin Ratio, 2: Leverage Range)", &["1", "2"]),
            ("来源：1=H5，2=PC", &["1", "2"]),
            ("LIMIT - at a price; MARKET - now", &["LIMIT", "MARKET"]),
        ] {
            assert_eq!(documented_codes(text), codes, "{text}");
        }
    }

    #[test]
    fn one_code_a_time_or_a_range_is_not_a_list() {
        for text in [
            "Only 1-Buy here",
            "Opens 09:30 to 16:00",
            "Dates as yyyy-MM-dd",
            "Page size, 1-100",
            "Product ID",
        ] {
            assert_eq!(documented_codes(text), Vec::<String>::new(), "{text}");
        }
    }
}
