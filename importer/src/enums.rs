//! The fields of the imported areas that carry one of the platform's shared coded values
//! (`mm_sdk_core::enums`): each gets `x-mm-enum` with its concept. They are listed, by area,
//! component and field, in `openapi/import/enums.yaml`, so that a re-import keeps them; the
//! import refuses an entry that no longer finds its field (upstream moved, renamed or retyped
//! it), so none outlives its place.

use serde::Deserialize;
use serde_yaml_ng::Value;

use crate::Error;
use crate::area::Area;
use crate::money;

/// The extension the codegen reads: the name of the field's enum.
const EXTENSION: &str = "x-mm-enum";

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
    /// The concept: an enum of `openapi/codes/enums.yaml`.
    #[serde(rename = "enum")]
    pub name: String,
}

/// The entries of `text` (the contents of `openapi/import/enums.yaml`).
pub fn parse(text: &str) -> Result<Vec<EnumField>, Error> {
    serde_yaml_ng::from_str(text).map_err(|e| Error::new(format!("openapi/import/enums.yaml: {e}")))
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
                map.insert(EXTENSION.into(), Value::from(entry.name.clone()));
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
