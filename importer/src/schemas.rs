//! The converter of upstream's schemas into ours: OpenAPI 3.1 rewritten into the 3.0 the
//! codegen takes, names made PascalCase as typify spells them and unique in the API, every
//! rewrite counted.

use std::collections::{BTreeMap, BTreeSet};

use heck::ToPascalCase;
use serde_yaml_ng::{Mapping, Value};

use crate::counts::Counts;
use crate::money::{self, Place};
use crate::not_money::NotMoney;
use crate::value::{map, s};

/// A schema name made valid and unique: PascalCase as typify spells it, so that the name
/// the codegen looks up is the name typify gives.
fn schema_name(raw: &str) -> String {
    let decoded = raw.replace("%C2%AB", "«").replace("%C2%BB", "»");
    let cleaned: String = decoded
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' })
        .collect();
    let mut name = cleaned
        .split_whitespace()
        .map(|w| w.to_pascal_case())
        .collect::<String>()
        .to_pascal_case();
    if name.is_empty() || name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert_str(0, "Schema");
    }
    if [
        "Error", "Result", "Option", "Vec", "String", "Box", "Value", "Map", "Self", "Default",
    ]
    .contains(&name.as_str())
    {
        name.push_str("Schema");
    }
    name
}

/// The state of converting one area's schemas.
#[derive(Debug)]
pub(crate) struct Schemas<'a> {
    /// Upstream's components of the exports being converted (their union, see
    /// [`crate::union`]).
    upstream: &'a Mapping,
    /// The renames of the export whose operation is being converted: its component names that
    /// the union gives another name.
    renames: Option<&'a BTreeMap<String, String>>,
    /// Upstream name → ours, for the components of this area.
    names: BTreeMap<String, String>,
    /// Our components, by name.
    pub(crate) out: BTreeMap<String, Value>,
    /// Upstream components still to convert.
    pending: Vec<String>,
    /// The names the API's other specs use.
    taken: BTreeSet<String>,
    /// What a name `taken` holds is prefixed with here: the group's name in PascalCase.
    qualifier: String,
    /// The components of `out` whose money fields are marked ([`Schemas::mark_money`]).
    marked: BTreeSet<String>,
}

impl<'a> Schemas<'a> {
    /// A converter of upstream's components `upstream`. A component named as one of `taken`
    /// (the names the API's other specs use) is named with `qualifier` before it.
    pub(crate) fn new(upstream: &'a Mapping, taken: BTreeSet<String>, qualifier: String) -> Self {
        Schemas {
            upstream,
            renames: None,
            names: BTreeMap::new(),
            out: BTreeMap::new(),
            pending: Vec::new(),
            taken,
            qualifier,
            marked: BTreeSet::new(),
        }
    }
}

impl<'a> Schemas<'a> {
    /// Reads the schemas of an operation of the export whose components the union renames by
    /// `renames` (none: its names are the union's).
    pub(crate) fn reading(&mut self, renames: Option<&'a BTreeMap<String, String>>) {
        self.renames = renames;
    }
}

impl Schemas<'_> {
    /// Our name for upstream's component `raw` (converted later).
    fn reference(&mut self, raw: &str) -> String {
        if let Some(name) = self.names.get(raw) {
            return name.clone();
        }
        let mut base = schema_name(raw);
        if self.taken.contains(&base) {
            base.insert_str(0, &self.qualifier);
        }
        let mut name = base.clone();
        let mut n = 2;
        while self.names.values().any(|v| *v == name) || self.out.contains_key(&name) {
            name = format!("{base}{n}");
            n += 1;
        }
        self.names.insert(raw.to_owned(), name.clone());
        self.pending.push(raw.to_owned());
        name
    }

    /// A name of our own not taken by anything.
    pub(crate) fn own(&mut self, base: &str) -> String {
        let mut name = base.to_owned();
        let mut n = 2;
        while self.names.values().any(|v| *v == name) || self.out.contains_key(&name) {
            name = format!("{base}{n}");
            n += 1;
        }
        self.out.insert(name.clone(), Value::Null);
        name
    }

    /// Converts the upstream components referred to since the last call.
    pub(crate) fn drain(&mut self, counts: &mut Counts) {
        // The union's components refer to each other by the union's names already.
        let renames = self.renames.take();
        while let Some(raw) = self.pending.pop() {
            let Some(name) = self.names.get(&raw).cloned() else {
                continue;
            };
            let schema = self
                .upstream
                .get(raw.as_str())
                .cloned()
                .unwrap_or_else(|| map(vec![("type", s("object"))]));
            let converted = self.convert(&schema, counts);
            self.out.insert(name, converted);
        }
        self.renames = renames;
    }

    /// One upstream schema, rewritten into OpenAPI 3.0 as the codegen takes it.
    pub(crate) fn convert(&mut self, schema: &Value, counts: &mut Counts) -> Value {
        let Some(input) = schema.as_mapping() else {
            return map(vec![]);
        };
        if let Some(r) = input.get("$ref").and_then(Value::as_str) {
            if input.len() > 1 {
                counts.add("`$ref` with sibling keywords → the `$ref` alone");
            }
            let raw = r.strip_prefix("#/components/schemas/").unwrap_or(r);
            let raw = self
                .renames
                .and_then(|renames| renames.get(raw))
                .map_or(raw, String::as_str);
            let name = self.reference(raw);
            return map(vec![("$ref", s(format!("#/components/schemas/{name}")))]);
        }
        let mut out = Mapping::new();
        let mut nullable = input.get("nullable").and_then(Value::as_bool) == Some(true);
        // `type`: a 3.1 array, `'null'`, or a plain type.
        let mut ty: Option<String> = None;
        match input.get("type") {
            Some(Value::Sequence(types)) => {
                counts.add("type array → `type` + `nullable`");
                let names: Vec<&str> = types.iter().filter_map(Value::as_str).collect();
                nullable |= names.contains(&"null");
                let rest: Vec<&str> = names.into_iter().filter(|t| *t != "null").collect();
                match rest.as_slice() {
                    [one] => ty = Some((*one).to_owned()),
                    [] => {}
                    _ => counts.add("type array of several types → untyped"),
                }
            }
            Some(Value::String(t)) if t == "null" => {
                counts.add("`type: 'null'` → nullable enum [null]");
                return map(vec![
                    ("type", s("string")),
                    ("nullable", Value::Bool(true)),
                    ("enum", Value::Sequence(vec![Value::Null])),
                ]);
            }
            Some(Value::String(t)) => ty = Some(t.clone()),
            _ => {}
        }
        if ty.is_none() && input.contains_key("properties") {
            ty = Some("object".into());
        }
        if ty.is_none() && input.contains_key("items") {
            ty = Some("array".into());
        }
        if let Some(t) = &ty {
            out.insert(s("type"), s(t.clone()));
        }
        // `format`. Every non-integer number is a decimal: amounts, prices and rates are
        // most of them, and none may go through `f64` (`openapi/README.md`, "Conventions").
        if ty.as_deref() == Some("number") {
            counts.add("`type: number` → `format: decimal`");
            out.insert(s("format"), s("decimal"));
        }
        if let Some(format) = input.get("format").and_then(Value::as_str) {
            match (ty.as_deref(), format) {
                (Some("integer"), "int32" | "int64") => {
                    out.insert(s("format"), s(format));
                }
                (Some("integer"), "long") => {
                    counts.add("`format: long` → `int64`");
                    out.insert(s("format"), s("int64"));
                }
                (Some("number"), _) => {}
                (Some("integer"), _) => counts.add("unknown integer format dropped"),
                _ => counts.add("string format dropped (the value stays a string)"),
            }
        }
        if nullable {
            out.insert(s("nullable"), Value::Bool(true));
        }
        // `const` and `enum`: string values only (typify makes an enum of them).
        let mut values: Option<Vec<Value>> = None;
        if let Some(c) = input.get("const") {
            counts.add("`const` → single-value `enum`");
            values = Some(vec![c.clone()]);
        }
        if let Some(Value::Sequence(e)) = input.get("enum") {
            values = Some(e.clone());
        }
        if let Some(values) = values {
            let strings = ty.as_deref() == Some("string")
                && values.iter().all(|v| v.is_string())
                && !values.is_empty();
            if strings {
                let mut unique: Vec<Value> = Vec::new();
                for v in values {
                    if !unique.contains(&v) {
                        unique.push(v);
                    }
                }
                out.insert(s("enum"), Value::Sequence(unique));
            } else {
                counts.add("non-string `enum` dropped (the type is kept)");
            }
        }
        // Objects.
        if let Some(Value::Mapping(properties)) = input.get("properties") {
            let mut props = Mapping::new();
            for (key, value) in properties {
                let mut converted = self.convert(value, counts);
                if is_field_less_object(&converted) {
                    // Upstream writes `{}` where it does not describe a value: its other pages
                    // show such a field as a list (`accountList`) or an object. Kept as any
                    // JSON, which decodes either.
                    counts.add("field without fields (`type: object`, no properties) → any JSON");
                    converted = map(vec![]);
                }
                mark_secret(key.as_str().unwrap_or_default(), &mut converted, counts);
                props.insert(key.clone(), converted);
            }
            if let Some(Value::Sequence(required)) = input.get("required") {
                let required: Vec<Value> = required
                    .iter()
                    .filter(|r| props.contains_key(*r))
                    .cloned()
                    .collect::<Vec<_>>();
                let mut unique: Vec<Value> = Vec::new();
                for r in required {
                    if !unique.contains(&r) {
                        unique.push(r);
                    }
                }
                if !unique.is_empty() {
                    out.insert(s("required"), Value::Sequence(unique));
                }
            }
            out.insert(s("properties"), Value::Mapping(props));
        } else if ty.as_deref() == Some("object") {
            out.insert(s("properties"), Value::Mapping(Mapping::new()));
        }
        match input.get("additionalProperties") {
            Some(Value::Mapping(m)) if !m.is_empty() => {
                let converted = self.convert(&Value::Mapping(m.clone()), counts);
                out.insert(s("additionalProperties"), converted);
            }
            _ => {}
        }
        // Arrays.
        if ty.as_deref() == Some("array") {
            let items = match input.get("items") {
                Some(items @ Value::Mapping(_)) => self.convert(items, counts),
                _ => {
                    counts.add("array without `items` → `items: {}`");
                    map(vec![])
                }
            };
            out.insert(s("items"), items);
        }
        for key in ["allOf", "anyOf", "oneOf"] {
            if let Some(Value::Sequence(branches)) = input.get(key) {
                let branches = branches.iter().map(|b| self.convert(b, counts)).collect();
                out.insert(s(key), Value::Sequence(branches));
            }
        }
        if input.contains_key("refType") {
            counts.add("non-standard `refType` dropped");
        }
        if input.contains_key("examples") {
            counts.add("schema `examples` dropped (the example files carry examples)");
        }
        if input.contains_key("description") || input.contains_key("title") {
            counts.add("upstream's schema prose (`description`/`title`) left out");
            write_codes(input, &mut out, counts);
        }
        if input
            .keys()
            .filter_map(Value::as_str)
            .any(|k| k.starts_with("x-"))
        {
            counts.add("vendor extensions (`x-apifox-*`, ...) dropped");
        }
        keep_rules(input, ty.as_deref(), &mut out, counts);
        for key in [
            "default",
            "pattern",
            "exclusiveMinimum",
            "exclusiveMaximum",
            "readOnly",
            "writeOnly",
            "deprecated",
        ] {
            if input.contains_key(key) {
                counts.add("other keywords (`default`, `pattern`, `deprecated`, ...) dropped");
                break;
            }
        }
        Value::Mapping(out)
    }

    /// Marks the money fields of the components converted since the last call
    /// ([`crate::money`]): the components of area `area`, whose exceptions are among
    /// `not_money`.
    pub(crate) fn mark_money(&mut self, area: &str, not_money: &[NotMoney], counts: &mut Counts) {
        for (name, schema) in &mut self.out {
            // A name reserved for a component still to come is marked once it comes.
            if schema.is_null() || !self.marked.insert(name.clone()) {
                continue;
            }
            let place = Place {
                area,
                schema: name,
                not_money,
            };
            money::mark(&place, schema, counts);
        }
    }

    /// Our schema (for the example checks and generation).
    pub(crate) fn ours<'v>(&'v self, schema: &'v Value) -> &'v Value {
        let mut current = schema;
        for _ in 0..16 {
            match current
                .get("$ref")
                .and_then(Value::as_str)
                .and_then(|r| r.strip_prefix("#/components/schemas/"))
                .and_then(|n| self.out.get(n))
            {
                Some(next) => current = next,
                None => return current,
            }
        }
        current
    }
}

impl Schemas<'_> {
    /// Upstream's `schema` converted as the import converts it, with the components it needs.
    pub(crate) fn converted(&mut self, schema: &Value) -> Value {
        let mut counts = Counts::default();
        let converted = self.convert(schema, &mut counts);
        self.drain(&mut counts);
        converted
    }

    /// The converted component `reference` (`#/components/schemas/<name>`) names.
    pub(crate) fn component(&self, reference: &str) -> Option<&Value> {
        let name = reference.strip_prefix("#/components/schemas/")?;
        self.out.get(name)
    }
}

/// A plain string field named like a secret becomes `format: password`, so that the SDK
/// redacts it wherever it is printed (the codegen refuses a spec that leaves one plain).
/// Whether `schema` is an object without properties or additional properties: a shape upstream
/// left undescribed.
fn is_field_less_object(schema: &Value) -> bool {
    let Some(schema) = schema.as_mapping() else {
        return false;
    };
    schema.get("type").and_then(Value::as_str) == Some("object")
        && schema
            .get("properties")
            .and_then(Value::as_mapping)
            .is_some_and(Mapping::is_empty)
        && !schema.contains_key("additionalProperties")
}

fn mark_secret(name: &str, schema: &mut Value, counts: &mut Counts) {
    let Some(schema) = schema.as_mapping_mut() else {
        return;
    };
    let plain_string = schema.get("type").and_then(Value::as_str) == Some("string")
        && !schema.contains_key("enum")
        && !schema.contains_key("format");
    if plain_string && mm_sdk_codegen::is_secret_name(name) {
        counts.add(
            "string named like a secret (`pwd`, `token`, `verifyCode`, ...) → `format: password`",
        );
        schema.insert(s("format"), s("password"));
    }
}

/// Upstream's validation rules that `input`, of type `ty`, states and the runtime checks
/// before sending a request (`mm_sdk_core::Rule`), copied into `out`: integer bounds of a
/// number, lengths of text, sizes of a list and whether its items differ. A rule on another
/// type, or a bound that is not an integer, means nothing a request can be checked against and
/// is dropped (counted).
fn keep_rules(input: &Mapping, ty: Option<&str>, out: &mut Mapping, counts: &mut Counts) {
    let keys: &[&str] = match ty {
        Some("integer" | "number") => &["minimum", "maximum"],
        Some("string") => &["minLength", "maxLength"],
        Some("array") => &["minItems", "maxItems", "uniqueItems"],
        _ => &[],
    };
    for key in [
        "minimum",
        "maximum",
        "minLength",
        "maxLength",
        "minItems",
        "maxItems",
        "uniqueItems",
    ] {
        let Some(value) = input.get(key) else {
            continue;
        };
        let usable = match value {
            Value::Bool(_) => key == "uniqueItems",
            Value::Number(number) => key != "uniqueItems" && (number.is_i64() || number.is_u64()),
            _ => false,
        };
        if usable && keys.contains(&key) {
            counts.add("validation rules (`minimum`, `maxLength`, `minItems`, ...) kept");
            out.insert(s(key), value.clone());
        } else {
            counts.add("validation rule on another type, or not an integer, dropped");
        }
    }
}

/// Writes the codes `input`'s description or title lists with their meanings
/// ([`crate::enums::documented_codes`]) as `x-mm-codes` on `out`, a code or a list of codes
/// (on its items): numbers where the field is an integer, text where it is text.
fn write_codes(input: &Mapping, out: &mut Mapping, counts: &mut Counts) {
    let text: Vec<&str> = ["description", "title"]
        .iter()
        .filter_map(|key| input.get(*key).and_then(Value::as_str))
        .collect();
    let codes = crate::enums::documented_codes(&text.join(" "));
    if codes.is_empty() {
        return;
    }
    let target = if out.get("type").and_then(Value::as_str) == Some("array") {
        match out.get_mut("items").and_then(Value::as_mapping_mut) {
            Some(items) => items,
            None => return,
        }
    } else {
        out
    };
    let codes: Vec<Value> = match target.get("type").and_then(Value::as_str) {
        Some("integer") if codes.iter().all(|c| c.parse::<i64>().is_ok()) => codes
            .iter()
            .filter_map(|c| c.parse::<i64>().ok())
            .map(Value::from)
            .collect(),
        Some("integer" | "string") => codes.into_iter().map(Value::from).collect(),
        _ => return,
    };
    counts.add("codes listed in upstream's description → `x-mm-codes`");
    target.insert(
        Value::from(crate::enums::CODES_EXTENSION),
        Value::Sequence(codes),
    );
}
