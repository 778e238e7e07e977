//! The fields that carry a moment as upstream sends it (milliseconds since the Unix epoch),
//! `openapi/codes/times.yaml`: by wire name, with the places where a field of such a name holds
//! something else. Every integer field so named, in every spec, becomes
//! `mm_sdk_core::Timestamp` ([`mark`]).

use std::collections::BTreeSet;
use std::path::Path;

use openapiv3::{SchemaKind, Type};
use serde::Deserialize;

use crate::{Error, Problem};

/// The spec of the time fields, relative to the workspace root.
pub const TIMES_SPEC: &str = "openapi/codes/times.yaml";

/// The extension [`mark`] gives a field.
pub(crate) const EXTENSION: &str = "x-mm-time";

/// The spec as read.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Times {
    /// The wire names.
    fields: BTreeSet<String>,
    /// The places (`<spec>:<Component>.<field>`) where such a name holds something else.
    #[serde(default)]
    except: Vec<Exception>,
}

/// A place where a field named like a time is not one, and why.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Exception {
    place: String,
    why: String,
}

/// The time fields of the workspace at `root`; none when it has no spec of them.
pub(crate) fn times(root: &Path) -> Result<Times, Error> {
    let path = root.join(TIMES_SPEC);
    let Some(text) = crate::spec::read_if_present(&path)? else {
        return Ok(Times::default());
    };
    let times: Times =
        serde_path_to_error::deserialize(serde_yaml_ng::Deserializer::from_str(&text))
            .map_err(|e| crate::spec::syntax_error(&path, e))?;
    for (index, exception) in times.except.iter().enumerate() {
        if exception.why.trim().is_empty() || !exception.place.contains(':') {
            return Err(Error::Invalid {
                path: path.clone(),
                pointer: format!("/except/{index}"),
                problem: Problem::Times(
                    "needs a `place` (`<spec>:<Component>.<field>`) and why it is no time".into(),
                ),
            });
        }
    }
    Ok(times)
}

/// Marks every integer property of `spec`'s components (the spec `openapi/<stem>.yaml`) named
/// like a time with [`EXTENSION`], but the places excepted; returns the excepted places it
/// met, so that an exception that finds no field can be refused.
pub(crate) fn mark(spec: &mut crate::Spec, stem: &str, times: &Times) -> BTreeSet<String> {
    let mut met = BTreeSet::new();
    crate::generate::each_property(spec, &mut |component, name, property| {
        let integer = matches!(property.schema_kind, SchemaKind::Type(Type::Integer(_)));
        let extensions = &mut property.schema_data.extensions;
        if times.is_time(stem, component, name, integer, &mut met)
            && !extensions.contains_key(crate::enums::EXTENSION)
            && !extensions.contains_key(crate::ids::EXTENSION)
        {
            extensions.insert(EXTENSION.to_owned(), "unix-ms".into());
        }
    });
    met
}

impl Times {
    /// Whether the field `name` of `component` (of the spec `stem`) is a time: an integer
    /// named like one, in no excepted place. An excepted place it is in goes into `met`.
    pub(crate) fn is_time(
        &self,
        stem: &str,
        component: &str,
        name: &str,
        integer: bool,
        met: &mut BTreeSet<String>,
    ) -> bool {
        if !integer || !self.fields.contains(name) {
            return false;
        }
        let place = format!("{stem}:{component}.{name}");
        if self.except.iter().any(|e| e.place == place) {
            met.insert(place);
            return false;
        }
        true
    }
}

/// Refuses an exception of `times` that no spec met (`met`, every spec's [`mark`]): the field
/// moved or went, and the entry would outlive it.
pub(crate) fn check_exceptions(
    root: &Path,
    times: &Times,
    met: &BTreeSet<String>,
) -> Result<(), Error> {
    match times.except.iter().position(|e| !met.contains(&e.place)) {
        None => Ok(()),
        Some(index) => Err(Error::Invalid {
            path: root.join(TIMES_SPEC),
            pointer: format!("/except/{index}"),
            problem: Problem::Times(format!(
                "`{}` is no integer field of that name: remove the entry",
                times.except[index].place
            )),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SPEC: &str = r##"openapi: 3.0.3
info: {title: Test, version: 0.1.0}
paths: {}
components:
  schemas:
    Session:
      type: object
      properties:
        createTime: {type: integer, format: int64}
        startTime: {type: integer, format: int32}
        updateTime: {type: string}
        rows:
          type: array
          items:
            type: object
            properties:
              openTime: {type: integer, format: int64}
"##;

    fn marked(except: &str) -> (crate::Spec, BTreeSet<String>, Times) {
        let mut spec = crate::parse(Path::new("openapi/test.yaml"), SPEC).unwrap();
        let times: Times = serde_yaml_ng::from_str(&format!(
            "fields: [createTime, startTime, updateTime, openTime]\nexcept: {except}"
        ))
        .unwrap();
        let met = mark(&mut spec, "test", &times);
        (spec, met, times)
    }

    fn is_time(spec: &crate::Spec, pointer: &str) -> bool {
        let document = serde_json::to_value(&spec.openapi).unwrap();
        document.pointer(pointer).unwrap().get(EXTENSION).is_some()
    }

    #[test]
    fn integer_fields_of_the_names_are_times_but_the_places_excepted() {
        let except = r#"[{place: "test:Session.startTime", why: "seconds into the day"}]"#;
        let (spec, met, times) = marked(except);
        let session = "/components/schemas/Session/properties";
        assert!(is_time(&spec, &format!("{session}/createTime")));
        assert!(!is_time(&spec, &format!("{session}/startTime")));
        assert!(
            !is_time(&spec, &format!("{session}/updateTime")),
            "text is no time"
        );
        assert!(is_time(
            &spec,
            &format!("{session}/rows/items/properties/openTime")
        ));
        assert!(check_exceptions(Path::new("."), &times, &met).is_ok());
    }

    #[test]
    fn an_exception_that_finds_no_field_is_refused() {
        let except = r#"[{place: "test:Session.endTime", why: "seconds into the day"}]"#;
        let (_, met, times) = marked(except);
        let error = check_exceptions(Path::new("."), &times, &met)
            .unwrap_err()
            .to_string();
        assert!(error.contains("test:Session.endTime"), "{error}");
    }
}
