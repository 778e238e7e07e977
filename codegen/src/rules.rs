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
    let mut walk = Walk {
        spec,
        at: Vec::new(),
        within: BTreeSet::new(),
        rules: Vec::new(),
    };
    walk.schema(schema)?;
    Ok(walk.rules)
}

/// The walk through a request's schema: where it is, the components it is inside (a
/// component met again inside itself, a tree, is read once, at its first place), and the
/// rules found.
struct Walk<'a> {
    spec: &'a OpenAPI,
    at: Vec<String>,
    within: BTreeSet<&'a str>,
    rules: Vec<Rule>,
}

impl<'a> Walk<'a> {
    fn rule(&mut self, check: Check) {
        self.rules.push(Rule {
            at: self.at.clone(),
            check,
        });
    }

    /// The rules of `schema` or of the component it names (`Box`ed or not, as openapiv3
    /// keeps a property's and a branch's), at `step` below the current place if any.
    fn place<S: std::borrow::Borrow<Schema>>(
        &mut self,
        step: Option<&str>,
        schema: &'a ReferenceOr<S>,
    ) -> Result<(), String> {
        if let Some(step) = step {
            self.at.push(step.to_owned());
        }
        let walked = match schema {
            ReferenceOr::Item(schema) => self.schema(schema.borrow()),
            ReferenceOr::Reference { reference } => {
                if self.within.insert(reference) {
                    let component = crate::model::component(self.spec, reference)
                        .ok_or_else(|| format!("no component schema `{reference}`"))?;
                    let walked = self.schema(component);
                    self.within.remove(reference.as_str());
                    walked
                } else {
                    Ok(())
                }
            }
        };
        if step.is_some() {
            self.at.pop();
        }
        walked
    }

    fn schema(&mut self, schema: &'a Schema) -> Result<(), String> {
        match &schema.schema_kind {
            SchemaKind::Type(Type::Integer(integer)) => {
                if integer.exclusive_minimum || integer.exclusive_maximum {
                    return Err(format!(
                        "`{}` has an exclusive bound: state the integer it allows",
                        self.at.join(".")
                    ));
                }
                if let Some(minimum) = integer.minimum {
                    self.rule(Check::Minimum(minimum));
                }
                if let Some(maximum) = integer.maximum {
                    self.rule(Check::Maximum(maximum));
                }
            }
            SchemaKind::Type(Type::Number(number)) => {
                let bound = |value: f64, exclusive: bool, what: &str| {
                    if exclusive || value.fract() != 0.0 || value.abs() > 2f64.powi(53) {
                        Err(format!(
                            "the {what} {value} of `{}` is not an inclusive integer, which is \
                             all a rule states",
                            self.at.join(".")
                        ))
                    } else {
                        Ok(value as i64)
                    }
                };
                let minimum = number
                    .minimum
                    .map(|minimum| bound(minimum, number.exclusive_minimum, "minimum"))
                    .transpose()?;
                let maximum = number
                    .maximum
                    .map(|maximum| bound(maximum, number.exclusive_maximum, "maximum"))
                    .transpose()?;
                if let Some(minimum) = minimum {
                    self.rule(Check::Minimum(minimum));
                }
                if let Some(maximum) = maximum {
                    self.rule(Check::Maximum(maximum));
                }
            }
            SchemaKind::Type(Type::String(string)) => {
                if let Some(length) = string.min_length {
                    self.rule(Check::MinLength(length as u64));
                }
                if let Some(length) = string.max_length {
                    self.rule(Check::MaxLength(length as u64));
                }
            }
            SchemaKind::Type(Type::Array(array)) => {
                if let Some(count) = array.min_items {
                    self.rule(Check::MinItems(count as u64));
                }
                if let Some(count) = array.max_items {
                    self.rule(Check::MaxItems(count as u64));
                }
                if array.unique_items {
                    self.rule(Check::UniqueItems);
                }
                if let Some(items) = &array.items {
                    self.place(Some("[]"), items)?;
                }
            }
            SchemaKind::Type(Type::Object(object)) => {
                for (name, property) in &object.properties {
                    self.place(Some(name), property)?;
                }
            }
            SchemaKind::AllOf { all_of } => {
                for branch in all_of {
                    self.place(None, branch)?;
                }
            }
            _ => {}
        }
        Ok(())
    }
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
