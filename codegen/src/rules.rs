//! Upstream's validation rules on a request, read from its schema: what
//! `mm_sdk_core::Rule` checks before a call is sent. The types never carry them (`generate`
//! takes them out of the schemas typify sees), so a field is a plain value and the rules are
//! data the runtime reads.

use std::collections::BTreeSet;

use openapiv3::{OpenAPI, ReferenceOr, Schema, SchemaKind, Type};

pub use mm_sdk_facts::Check;

/// One rule on one place of a request body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rule {
    /// The field names from the body's top; `[]` for every item of a list.
    pub at: Vec<String>,
    /// What must hold there.
    pub check: Check,
}

/// Every rule of a request whose schema is `schema`, in the order of its fields, those of
/// the schemas it refers to included. `allOf` branches apply to the same place; `anyOf` and
/// `oneOf` branches are alternatives, whose rules would hold only for the branch a value
/// takes, so they are not read. A bound no integer can state (`minimum: 0.5`), or an
/// exclusive one, is refused.
pub fn read(spec: &OpenAPI, schema: &Schema) -> Result<Vec<Rule>, String> {
    let mut rules = Vec::new();
    walk(
        spec,
        schema,
        &mut Vec::new(),
        &mut BTreeSet::new(),
        &mut rules,
    )?;
    Ok(rules)
}

fn walk<'a>(
    spec: &'a OpenAPI,
    schema: &'a Schema,
    at: &mut Vec<String>,
    seen: &mut BTreeSet<&'a str>,
    rules: &mut Vec<Rule>,
) -> Result<(), String> {
    let mut rule = |check| {
        rules.push(Rule {
            at: at.clone(),
            check,
        })
    };
    match &schema.schema_kind {
        SchemaKind::Type(Type::Integer(integer)) => {
            if integer.exclusive_minimum || integer.exclusive_maximum {
                return Err(format!(
                    "`{}` has an exclusive bound: state the integer it allows",
                    at.join(".")
                ));
            }
            if let Some(minimum) = integer.minimum {
                rule(Check::Minimum(minimum));
            }
            if let Some(maximum) = integer.maximum {
                rule(Check::Maximum(maximum));
            }
        }
        SchemaKind::Type(Type::Number(number)) => {
            let bound = |value: f64, exclusive: bool, what: &str| {
                if exclusive || value.fract() != 0.0 || value.abs() > 2f64.powi(53) {
                    Err(format!(
                        "the {what} {value} of `{}` is not an inclusive integer, which is all a \
                         rule states",
                        at.join(".")
                    ))
                } else {
                    Ok(value as i64)
                }
            };
            if let Some(minimum) = number.minimum {
                rule(Check::Minimum(bound(
                    minimum,
                    number.exclusive_minimum,
                    "minimum",
                )?));
            }
            if let Some(maximum) = number.maximum {
                rule(Check::Maximum(bound(
                    maximum,
                    number.exclusive_maximum,
                    "maximum",
                )?));
            }
        }
        SchemaKind::Type(Type::String(string)) => {
            if let Some(length) = string.min_length {
                rule(Check::MinLength(length as u64));
            }
            if let Some(length) = string.max_length {
                rule(Check::MaxLength(length as u64));
            }
        }
        SchemaKind::Type(Type::Array(array)) => {
            if let Some(count) = array.min_items {
                rule(Check::MinItems(count as u64));
            }
            if let Some(count) = array.max_items {
                rule(Check::MaxItems(count as u64));
            }
            if array.unique_items {
                rule(Check::UniqueItems);
            }
            if let Some(items) = &array.items {
                at.push("[]".into());
                walk_ref(spec, items, at, seen, rules)?;
                at.pop();
            }
        }
        SchemaKind::Type(Type::Object(object)) => {
            for (name, property) in &object.properties {
                at.push(name.clone());
                walk_ref(spec, property, at, seen, rules)?;
                at.pop();
            }
        }
        SchemaKind::AllOf { all_of } => {
            for branch in all_of {
                walk_ref(spec, branch, at, seen, rules)?;
            }
        }
        _ => {}
    }
    Ok(())
}

/// [`walk`] of a schema or of the component a reference names (`Box`ed or not, as openapiv3
/// keeps a property's and a branch's).
fn walk_ref<'a, S: std::borrow::Borrow<Schema>>(
    spec: &'a OpenAPI,
    schema: &'a ReferenceOr<S>,
    at: &mut Vec<String>,
    seen: &mut BTreeSet<&'a str>,
    rules: &mut Vec<Rule>,
) -> Result<(), String> {
    match schema {
        ReferenceOr::Item(schema) => walk(spec, schema.borrow(), at, seen, rules),
        ReferenceOr::Reference { reference } => reference_to(spec, reference, at, seen, rules),
    }
}

/// The rules of the component `reference` names, at `at`; a component met again inside
/// itself (a tree) is read once, at its first place.
fn reference_to<'a>(
    spec: &'a OpenAPI,
    reference: &'a str,
    at: &mut Vec<String>,
    seen: &mut BTreeSet<&'a str>,
    rules: &mut Vec<Rule>,
) -> Result<(), String> {
    let name = reference
        .strip_prefix("#/components/schemas/")
        .ok_or_else(|| format!("`{reference}` is not a component schema"))?;
    if !seen.insert(name) {
        return Ok(());
    }
    let schema = spec
        .components
        .as_ref()
        .and_then(|components| components.schemas.get(name))
        .ok_or_else(|| format!("no component schema `{name}`"))?;
    walk_ref(spec, schema, at, seen, rules)?;
    seen.remove(name);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules(spec: &str) -> Result<Vec<(String, Check)>, String> {
        let spec: OpenAPI = serde_yaml_ng::from_str(spec).unwrap();
        let ReferenceOr::Item(request) = &spec.components.as_ref().unwrap().schemas["Request"]
        else {
            panic!("Request is written in place");
        };
        Ok(read(&spec, request)?
            .into_iter()
            .map(|rule| (rule.at.join("."), rule.check))
            .collect())
    }

    const HEAD: &str = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n";

    #[test]
    fn every_rule_of_the_request_and_its_components_is_read_with_its_place() {
        let spec = format!(
            "{HEAD}components:
  schemas:
    Request:
      type: object
      properties:
        pageSize: {{type: integer, minimum: 1, maximum: 100}}
        nickname: {{type: string, minLength: 2, maxLength: 20, nullable: true}}
        orders:
          type: array
          minItems: 1
          uniqueItems: true
          items: {{$ref: '#/components/schemas/Order'}}
        volume: {{type: number, maximum: 3}}
    Order:
      allOf:
        - type: object
          properties:
            volume: {{type: number, minimum: 1}}
            children: {{type: array, items: {{$ref: '#/components/schemas/Order'}}}}
"
        );
        assert_eq!(
            rules(&spec).unwrap(),
            [
                ("pageSize".into(), Check::Minimum(1)),
                ("pageSize".into(), Check::Maximum(100)),
                ("nickname".into(), Check::MinLength(2)),
                ("nickname".into(), Check::MaxLength(20)),
                ("orders".into(), Check::MinItems(1)),
                ("orders".into(), Check::UniqueItems),
                ("orders.[].volume".into(), Check::Minimum(1)),
                ("volume".into(), Check::Maximum(3)),
            ]
        );
    }

    #[test]
    fn a_bound_that_is_not_an_integer_is_refused_with_its_field() {
        let spec = format!(
            "{HEAD}components:
  schemas:
    Request:
      type: object
      properties:
        price: {{type: number, minimum: 0.5}}
"
        );
        let error = rules(&spec).unwrap_err();
        assert!(error.contains("`price`"), "{error}");
        let spec = format!(
            "{HEAD}components:
  schemas:
    Request:
      type: object
      properties:
        above: {{type: integer, minimum: 0, exclusiveMinimum: true}}
"
        );
        let error = rules(&spec).unwrap_err();
        assert!(error.contains("`above` has an exclusive bound"), "{error}");
    }
}
