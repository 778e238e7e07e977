//! The examples of an imported operation: upstream's, made JSON (comments and trailing commas
//! removed) and fitted to the schema, or else written from the schema; and the text of an
//! example file.

use std::collections::BTreeSet;

use rust_decimal::Decimal;
use serde_yaml_ng::{Mapping, Value};

use crate::Error;
use crate::counts::Counts;
use crate::envelope::FIELDS as ENVELOPE;
use crate::schemas::Schemas;
use crate::value::{map, required_names, s};

/// The text of the example file `path` holding `value`: pretty JSON and a line break.
pub(crate) fn json_text(path: &str, value: &Value) -> Result<String, Error> {
    let text =
        serde_json::to_string_pretty(value).map_err(|e| Error::new(format!("{path}: {e}")))?;
    Ok(text + "\n")
}

/// Upstream's text, made JSON: a line of prose before it, comments and trailing commas
/// removed. Returns the value and what was repaired.
fn repair(text: &str) -> Option<(Value, Vec<&'static str>)> {
    let mut repaired = Vec::new();
    if text.trim().is_empty() {
        return None;
    }
    // A sentence before the JSON ("Balance is in the balance field\n{...").
    let mut text = text;
    if let Some(start) = text.find(['{', '[']) {
        let before = &text[..start];
        let prose = !before.trim().is_empty();
        if prose && before.contains('\n') && !before.contains(['"', '}', ']', ':']) {
            repaired.push("the prose before the JSON removed");
            text = &text[start..];
        }
    }
    // Upstream sometimes flattens a text's line breaks into runs of spaces: a line comment
    // then ends at the next such run, not at the end of the text.
    let flattened = !text.contains('\n');
    // Comments outside strings.
    let mut out = String::new();
    let mut chars = text.chars().peekable();
    let mut in_string = false;
    let mut comments = false;
    while let Some(c) = chars.next() {
        if in_string {
            out.push(c);
            if c == '\\' {
                out.extend(chars.next());
            } else if c == '"' {
                in_string = false;
            }
            continue;
        }
        match (c, chars.peek()) {
            ('"', _) => {
                in_string = true;
                out.push(c);
            }
            ('/', Some('/')) => {
                comments = true;
                while let Some(c) = chars.next() {
                    if c == '\n' {
                        out.push('\n');
                        break;
                    }
                    if flattened && c == ' ' && chars.peek() == Some(&' ') {
                        out.push(' ');
                        break;
                    }
                }
            }
            ('/', Some('*')) => {
                comments = true;
                chars.next();
                let mut previous = ' ';
                for c in chars.by_ref() {
                    if previous == '*' && c == '/' {
                        break;
                    }
                    previous = c;
                }
            }
            _ => out.push(c),
        }
    }
    if comments {
        repaired.push("comments removed");
    }
    // Trailing commas before `}` or `]`.
    let mut result = String::new();
    let mut in_string = false;
    let mut trailing = false;
    let bytes: Vec<char> = out.chars().collect();
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        if in_string {
            result.push(c);
            if c == '\\' && i + 1 < bytes.len() {
                result.push(bytes[i + 1]);
                i += 1;
            } else if c == '"' {
                in_string = false;
            }
        } else if c == '"' {
            in_string = true;
            result.push(c);
        } else if c == ',' {
            let next = bytes[i + 1..].iter().find(|c| !c.is_whitespace());
            if matches!(next, Some('}') | Some(']')) {
                trailing = true;
            } else {
                result.push(c);
            }
        } else {
            result.push(c);
        }
        i += 1;
    }
    if trailing {
        repaired.push("trailing commas removed");
    }
    let json: serde_json::Value = serde_json::from_str(&result).ok()?;
    // Keep the order of the members: read it again as YAML where that works.
    let value = serde_yaml_ng::from_str::<Value>(&result)
        .ok()
        .filter(|v| serde_json::to_value(v).ok().as_ref() == Some(&json))
        .or_else(|| serde_yaml_ng::to_value(&json).ok())?;
    Some((value, repaired))
}

/// An example as given: a value, or JSON text (repaired).
fn example_value(raw: &Value) -> Result<(Value, Vec<&'static str>), &'static str> {
    match raw {
        Value::String(text) if text.trim().is_empty() => Err("empty"),
        Value::String(text) => {
            repair(text).ok_or("not valid JSON even with comments and trailing commas removed")
        }
        Value::Null => Err("missing"),
        other => Ok((other.clone(), Vec::new())),
    }
}

/// `value` fitted to `schema`: fields the schema does not declare, and `null` where it does
/// not admit one (on optional fields), are left out (they would not survive the typed round
/// trip); anything else that does not fit fails.
fn fit(
    value: &Value,
    schema: &Value,
    schemas: &Schemas,
    depth: usize,
    changes: &mut BTreeSet<String>,
) -> Result<Value, String> {
    if depth > 32 {
        return Err("too deep".into());
    }
    let schema = schemas.ours(schema);
    let nullable = schema["nullable"].as_bool() == Some(true);
    if let Some(Value::Sequence(branches)) = schema.get("anyOf").or(schema.get("oneOf")) {
        let mut last = String::from("no branch");
        for branch in branches {
            let mut c = BTreeSet::new();
            match fit(value, branch, schemas, depth + 1, &mut c) {
                Ok(v) => {
                    changes.extend(c);
                    return Ok(v);
                }
                Err(e) => last = e,
            }
        }
        return Err(last);
    }
    if let Some(Value::Sequence(branches)) = schema.get("allOf")
        && let [one] = branches.as_slice()
    {
        return fit(value, one, schemas, depth + 1, changes);
    }
    if value.is_null() {
        return if nullable {
            Ok(Value::Null)
        } else {
            Err("null where the schema admits none".into())
        };
    }
    if let Some(Value::Sequence(values)) = schema.get("enum")
        && !values.contains(value)
    {
        return Err(format!("{value:?} is not one of the enum's values"));
    }
    match schema["type"].as_str() {
        None => Ok(value.clone()),
        Some("string") if schema["format"].as_str() == Some("decimal") => match value {
            Value::String(text) if is_decimal(text) => Ok(value.clone()),
            Value::String(text) => Err(format!("`{text}` is not a decimal")),
            // Upstream sends some decimals as numbers; the SDK writes them as strings.
            Value::Number(number) => {
                changes.insert(
                    "numbers in decimal fields written as strings, as the SDK writes them".into(),
                );
                Ok(s(number.to_string()))
            }
            _ => Err("not a decimal".into()),
        },
        Some("string") if schema["format"].as_str() == Some("text-or-number") => match value {
            Value::String(_) => Ok(value.clone()),
            Value::Number(number) => {
                changes.insert(
                    "numbers in text-or-number fields written as strings, as the SDK writes them"
                        .into(),
                );
                Ok(s(number.to_string()))
            }
            _ => Err("neither text nor a number".into()),
        },
        Some("string") => value
            .is_string()
            .then(|| value.clone())
            .ok_or_else(|| "not a string".into()),
        Some("boolean") => value
            .is_bool()
            .then(|| value.clone())
            .ok_or_else(|| "not a boolean".into()),
        Some("integer") => {
            let Some(n) = value.as_i64() else {
                return Err("not an integer".into());
            };
            if schema["format"].as_str() == Some("int32") && i32::try_from(n).is_err() {
                return Err("outside int32".into());
            }
            // Beyond 2^53 JavaScript tools (the conformance mock among them) cannot read an
            // integer exactly: upstream's examples of that size are such tools' rounded output.
            const EXACT_IN_JAVASCRIPT: u64 = (1 << 53) - 1;
            if n.unsigned_abs() > EXACT_IN_JAVASCRIPT {
                let mut shorter = n;
                while shorter.unsigned_abs() > EXACT_IN_JAVASCRIPT {
                    shorter /= 10;
                }
                changes.insert(format!(
                    "the integer `{n}`, beyond what JavaScript reads exactly, shortened to `{shorter}`"
                ));
                return Ok(Value::Number(shorter.into()));
            }
            Ok(value.clone())
        }
        Some("number") => value
            .is_number()
            .then(|| value.clone())
            .ok_or_else(|| "not a number".into()),
        Some("array") => {
            let Some(items) = value.as_sequence() else {
                return Err("not an array".into());
            };
            items
                .iter()
                .map(|item| fit(item, &schema["items"], schemas, depth + 1, changes))
                .collect::<Result<Vec<_>, _>>()
                .map(Value::Sequence)
        }
        Some("object") => {
            let Some(object) = value.as_mapping() else {
                return Err("not an object".into());
            };
            let properties = schema["properties"]
                .as_mapping()
                .cloned()
                .unwrap_or_default();
            let free = properties.is_empty() && schema.get("additionalProperties").is_none();
            if free {
                return Ok(value.clone());
            }
            let required: Vec<&str> = required_names(schema).collect();
            let mut out = Mapping::new();
            for (key, field) in object {
                let name = key.as_str().unwrap_or_default();
                match properties.get(key) {
                    Some(property) => {
                        let property_schema = schemas.ours(property);
                        let admits_null = property_schema["nullable"].as_bool() == Some(true)
                            || property_schema.get("anyOf").is_some()
                            || property_schema.get("type").is_none();
                        if field.is_null() && !admits_null && !required.contains(&name) {
                            changes.insert(format!(
                                "`null` fields the schema does not admit left out (`{name}`)"
                            ));
                            continue;
                        }
                        let empty = field.as_sequence().is_some_and(Vec::is_empty)
                            || (field.as_mapping().is_some_and(Mapping::is_empty)
                                && property_schema["properties"]
                                    .as_mapping()
                                    .is_none_or(Mapping::is_empty));
                        // (An envelope's `data` stays: it is what the call returns.)
                        let data = depth == 0 && name == "data";
                        if empty && !required.contains(&name) && !data {
                            // The typed round trip leaves an empty optional list or map out.
                            changes.insert(format!(
                                "empty optional lists and maps left out (`{name}`)"
                            ));
                            continue;
                        }
                        let fitted = fit(field, property, schemas, depth + 1, changes)
                            .map_err(|e| format!("`{name}`: {e}"))?;
                        out.insert(key.clone(), fitted);
                    }
                    None => match schema.get("additionalProperties") {
                        Some(extra @ Value::Mapping(_)) => {
                            let fitted = fit(field, extra, schemas, depth + 1, changes)
                                .map_err(|e| format!("`{name}`: {e}"))?;
                            out.insert(key.clone(), fitted);
                        }
                        _ => {
                            changes.insert(format!(
                                "fields the schema does not declare left out (`{name}`)"
                            ));
                        }
                    },
                }
            }
            for r in &required {
                if !out.contains_key(*r) {
                    return Err(format!("required `{r}` missing"));
                }
            }
            Ok(Value::Mapping(out))
        }
        Some(other) => Err(format!("unknown type {other}")),
    }
}

/// Whether `text` is a decimal as the SDK reads one (`12.50`, `-3`, `1.5e-7`).
pub(crate) fn is_decimal(text: &str) -> bool {
    if text.contains(['e', 'E']) {
        Decimal::from_scientific(text).is_ok()
    } else {
        Decimal::from_str_exact(text).is_ok()
    }
}

/// A minimal valid value of `schema`: required fields only.
fn generate(schema: &Value, schemas: &Schemas, depth: usize) -> Value {
    // A schema that is one of itself (`anyOf: [{$ref: <itself>}]`) would never end.
    if depth > 64 {
        return Value::Null;
    }
    let schema = schemas.ours(schema);
    if let Some(Value::Sequence(branches)) = schema
        .get("anyOf")
        .or(schema.get("oneOf"))
        .or(schema.get("allOf"))
    {
        return branches
            .first()
            .map_or(Value::Null, |b| generate(b, schemas, depth + 1));
    }
    if let Some(Value::Sequence(values)) = schema.get("enum") {
        return values.first().cloned().unwrap_or(Value::Null);
    }
    if depth > 12 {
        return Value::Null;
    }
    // The least value its rules allow: a number at its minimum, text of at least its
    // minimum length, a list of as many items as it needs.
    let bound = |key: &str| schema[key].as_i64();
    let least = bound("minimum")
        .unwrap_or(0)
        .min(bound("maximum").unwrap_or(i64::MAX));
    match schema["type"].as_str() {
        Some("string") if schema["format"].as_str() == Some("decimal") => s(least.to_string()),
        Some("string") => {
            let length = |key: &str| schema[key].as_u64().and_then(|n| usize::try_from(n).ok());
            let mut text = String::from("string");
            if let Some(minimum) = length("minLength") {
                while text.len() < minimum {
                    text.push('x');
                }
            }
            if let Some(maximum) = length("maxLength") {
                text.truncate(maximum);
            }
            s(text)
        }
        Some("integer" | "number") => Value::from(least),
        Some("boolean") => Value::Bool(false),
        Some("array") => {
            let count = schema["minItems"].as_u64().unwrap_or(0).min(16);
            let item = generate(&schema["items"], schemas, depth + 1);
            // Items that must differ (`uniqueItems`) end with their index.
            let nth = |index: u64| match &item {
                Value::String(text) if index > 0 => {
                    let digits = index.to_string();
                    let keep = text.chars().count().saturating_sub(digits.len());
                    s(format!(
                        "{}{digits}",
                        text.chars().take(keep).collect::<String>()
                    ))
                }
                Value::Number(number) if index > 0 => {
                    Value::from(number.as_i64().unwrap_or(0).saturating_add_unsigned(index))
                }
                _ => item.clone(),
            };
            Value::Sequence((0..count).map(nth).collect())
        }
        Some("object") => {
            let mut out = Mapping::new();
            let properties = schema["properties"]
                .as_mapping()
                .cloned()
                .unwrap_or_default();
            for r in schema["required"].as_sequence().into_iter().flatten() {
                if let Some(p) = properties.get(r) {
                    out.insert(r.clone(), generate(p, schemas, depth + 1));
                }
            }
            Value::Mapping(out)
        }
        _ => Value::Null,
    }
}

/// The first validation rule (`minimum`, `maxLength`, `minItems`...) of `schema` that
/// `value` breaks, said in a few words, or `None`. Only requests are held to the rules (an
/// answer is evidence of what a server sends, whatever its schema says).
fn broken_rule(value: &Value, schema: &Value, schemas: &Schemas, depth: usize) -> Option<String> {
    if depth > 32 {
        return None;
    }
    let schema = schemas.ours(schema);
    if let Some(Value::Sequence(branches)) = schema.get("allOf") {
        return branches
            .iter()
            .find_map(|branch| broken_rule(value, branch, schemas, depth + 1));
    }
    let number = match value {
        Value::Number(number) => number.as_f64(),
        Value::String(text) => text.trim().parse::<f64>().ok(),
        _ => None,
    };
    if let Some(number) = number {
        if let Some(minimum) = schema["minimum"].as_f64()
            && number < minimum
        {
            return Some(format!("{number} is below the minimum {minimum}"));
        }
        if let Some(maximum) = schema["maximum"].as_f64()
            && number > maximum
        {
            return Some(format!("{number} is above the maximum {maximum}"));
        }
    }
    match value {
        Value::String(text) => {
            let length = text.chars().count() as u64;
            if let Some(minimum) = schema["minLength"].as_u64()
                && length < minimum
            {
                return Some(format!("text of {length} characters, under {minimum}"));
            }
            if let Some(maximum) = schema["maxLength"].as_u64()
                && length > maximum
            {
                return Some(format!("text of {length} characters, over {maximum}"));
            }
            None
        }
        Value::Sequence(items) => {
            let count = items.len() as u64;
            if let Some(minimum) = schema["minItems"].as_u64()
                && count < minimum
            {
                return Some(format!("a list of {count} items, under {minimum}"));
            }
            if let Some(maximum) = schema["maxItems"].as_u64()
                && count > maximum
            {
                return Some(format!("a list of {count} items, over {maximum}"));
            }
            if schema["uniqueItems"].as_bool() == Some(true)
                && items
                    .iter()
                    .enumerate()
                    .any(|(index, item)| items[..index].contains(item))
            {
                return Some("a list with a repeated item".into());
            }
            items
                .iter()
                .find_map(|item| broken_rule(item, &schema["items"], schemas, depth + 1))
        }
        Value::Mapping(fields) => {
            let properties = schema["properties"].as_mapping()?;
            fields.iter().find_map(|(name, field)| {
                let property = properties.get(name)?;
                broken_rule(field, property, schemas, depth + 1)
                    .map(|why| format!("`{}`: {why}", name.as_str().unwrap_or_default()))
            })
        }
        _ => None,
    }
}

/// The request example: upstream's (repaired and fitted) if it fits the schema, else one
/// written from the schema. The flag says whether it is upstream's.
pub(crate) fn request_example(
    media: &Value,
    schema: &Value,
    schemas: &Schemas,
    notes: &mut Vec<String>,
    counts: &mut Counts,
) -> (Value, bool) {
    let raw = media.get("example").cloned().unwrap_or(Value::Null);
    let empty_body = schemas.ours(schema)["properties"]
        .as_mapping()
        .is_some_and(Mapping::is_empty)
        && schemas.ours(schema)["type"].as_str() == Some("object");
    match example_value(&raw) {
        Ok((value, repaired)) => {
            let mut changes = BTreeSet::new();
            match fit(&value, schema, schemas, 0, &mut changes) {
                Ok(_) if empty_body && value.as_mapping().is_some_and(|m| !m.is_empty()) => {
                    counts.add("request example: written from the schema (upstream's has fields the empty body does not)");
                    notes.push("upstream's request example has fields although the body has none: `{}` is used".into());
                    (Value::Mapping(Mapping::new()), false)
                }
                Ok(fitted) if broken_rule(&fitted, schema, schemas, 0).is_some() => {
                    let broken = broken_rule(&fitted, schema, schemas, 0).unwrap_or_default();
                    counts
                        .add("request example: written from the schema (upstream's breaks a rule)");
                    notes.push(format!(
                        "upstream's request example breaks its schema's rule ({broken}), which the \
                         SDK refuses to send; a minimal one is written from the schema"
                    ));
                    (generate(schema, schemas, 0), false)
                }
                Ok(fitted) => {
                    counts.add("request example: upstream's");
                    let mut what: Vec<String> = repaired.iter().map(|r| (*r).to_owned()).collect();
                    what.extend(changes);
                    if !what.is_empty() {
                        counts.add("request example: upstream's, repaired");
                        notes.push(format!(
                            "the request example is upstream's with {}",
                            what.join(", ")
                        ));
                    }
                    (fitted, true)
                }
                Err(why) => {
                    counts
                        .add("request example: written from the schema (upstream's does not fit)");
                    notes.push(format!("upstream's request example does not fit its schema ({why}); a minimal one is written from the schema"));
                    (generate(schema, schemas, 0), false)
                }
            }
        }
        Err(why) => {
            if why != "empty" && why != "missing" {
                counts.add("request example: written from the schema (upstream's is not JSON)");
                notes.push(format!(
                    "upstream's request example is {why}; a minimal one is written from the schema"
                ));
            } else {
                counts.add("request example: written from the schema (none upstream)");
            }
            (generate(schema, schemas, 0), false)
        }
    }
}

/// Upstream's answers as its export gives them: the values of the media type's `examples`, in
/// their order, then its `example`.
fn raw_answers(media: &Value) -> Vec<Value> {
    let mut raws: Vec<Value> = media["examples"]
        .as_mapping()
        .into_iter()
        .flatten()
        .map(|(_, e)| e.get("value").cloned().unwrap_or(Value::Null))
        .collect();
    if let Some(example) = media.get("example") {
        raws.push(example.clone());
    }
    raws
}

/// Whether `value` is an envelope (two of `code`, `ok` and `msg`), not bare data.
fn is_envelope(value: &Value) -> bool {
    value.as_mapping().is_some_and(|m| {
        ["code", "ok", "msg"]
            .iter()
            .filter(|k| m.contains_key(**k))
            .count()
            >= 2
    })
}

/// Whether `value` is the quote service's envelope (`{ret, msg, trace, data}`).
fn is_quote_envelope(value: &Value) -> bool {
    value.as_mapping().is_some_and(|m| m.contains_key("ret"))
}

/// Whether answer `value` reports a success, read as the SDK reads an envelope: `fail` not
/// `true`, and `ok` `true` with code `0` or none, or no `ok` and code `0`; a quote envelope's
/// `ret` 200; bare data is a success.
fn reports_success(value: &Value) -> bool {
    if is_quote_envelope(value) {
        return value["ret"].as_i64() == Some(200);
    }
    if !is_envelope(value) {
        return true;
    }
    let code_zero = value["code"].as_str() == Some("0") || value["code"].as_i64() == Some(0);
    let code_empty = value.get("code").is_none() || value["code"].as_str() == Some("");
    value["fail"].as_bool() != Some(true)
        && match value["ok"].as_bool() {
            Some(ok) => ok && (code_zero || code_empty),
            None => code_zero,
        }
}

/// One of upstream's answers to an operation, kept as upstream wrote it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Verbatim {
    /// Upstream's text where the export gives the example as text, else its value as JSON.
    pub(crate) text: String,
    /// Its value (once repaired, where it needs a repair).
    pub(crate) value: Value,
    /// Where the text is not JSON: what the smallest repair that makes it JSON (`value`)
    /// removed (comments, trailing commas, a line of prose).
    pub(crate) repaired: Option<Vec<&'static str>>,
    /// Whether it reports a success ([`reports_success`]).
    pub(crate) success: bool,
    /// Whether upstream shows the bare `data` instead of the whole envelope.
    pub(crate) bare: bool,
}

/// Upstream's answers to an operation (`media`, its 200 response's media type), each as
/// upstream wrote it: evidence of what a server sends, which the tests decode unchanged.
/// An empty one, and one that is not JSON even once repaired, is left out and counted.
pub(crate) fn upstream_answers(media: &Value, counts: &mut Counts) -> Vec<Verbatim> {
    let mut out = Vec::new();
    for raw in raw_answers(media) {
        let (value, text, repaired) = match &raw {
            Value::Null => continue,
            Value::String(text) if text.trim().is_empty() => continue,
            // JSON as written needs no repair, so the repair names nothing.
            Value::String(text) => match repair(text) {
                Some((value, what)) => {
                    let repaired = (!what.is_empty()).then_some(what);
                    (value, text.clone(), repaired)
                }
                None => {
                    counts.add("upstream's answer left out: not JSON even once repaired");
                    continue;
                }
            },
            other => match json_text("an answer", other) {
                Ok(text) => (other.clone(), text, None),
                Err(_) => continue,
            },
        };
        let bare = !is_envelope(&value) && !is_quote_envelope(&value);
        let success = reports_success(&value);
        counts.add(
            "upstream's answer kept as written (`x-mm-upstream-examples`, `import/answers.yaml`)",
        );
        if repaired.is_some() {
            counts.add("upstream's answer kept as written, not JSON: a repaired copy beside it");
        }
        out.push(Verbatim {
            text,
            value,
            repaired,
            success,
            bare,
        });
    }
    out
}

/// The response examples: upstream's that fit (a success first), else a success written from
/// the schema. Each with a name and whether it is upstream's.
pub(crate) fn response_examples(
    media: &Value,
    envelope: &Value,
    schemas: &Schemas,
    notes: &mut Vec<String>,
    counts: &mut Counts,
    returns_nothing: &mut bool,
) -> Vec<(String, Value, bool)> {
    let raws = raw_answers(media);
    let mut successes = Vec::new();
    let mut failures = Vec::new();
    let mut problems = Vec::new();
    for raw in raws {
        let (mut value, repaired) = match example_value(&raw) {
            Ok(v) => v,
            Err(why) => {
                if why != "empty" && why != "missing" {
                    problems.push(format!("one is {why}"));
                }
                continue;
            }
        };
        let mut what: Vec<String> = repaired.iter().map(|r| (*r).to_owned()).collect();
        let is_envelope = is_envelope(&value);
        if !is_envelope {
            value = map(vec![("data", value)]);
            what.push("wrapped in the envelope (upstream shows the bare data)".into());
        }
        // The envelope fields the SDK reads must be there.
        if value["ok"].as_bool().is_some() && value["ok"].as_bool() == value["fail"].as_bool() {
            problems.push("one says both `ok` and `fail` alike".to_owned());
            continue;
        }
        // A success says `ok: true` and not `fail: true` (as the SDK and the sandbox read it).
        let ok = value["ok"].as_bool().unwrap_or_else(|| {
            value["code"].as_str() == Some("0") || value["code"].as_i64() == Some(0) || !is_envelope
        }) && value["fail"].as_bool() != Some(true);
        let mut filled = Vec::new();
        let defaults: [(&str, Value); 8] = [
            ("msg", s(if ok { "Success" } else { "Failure" })),
            ("fail", Value::Bool(!ok)),
            ("trace", s("x-example")),
            ("code", s(if ok { "0" } else { "G500" })),
            ("bizCode", s("")),
            ("tm", Value::from(1)),
            ("msgParams", Value::Null),
            ("ok", Value::Bool(ok)),
        ];
        let mut out = Mapping::new();
        for field in ENVELOPE {
            let current = value.get(field).cloned();
            let default = defaults
                .iter()
                .find(|(f, _)| *f == field)
                .map(|(_, v)| v.clone());
            let fine = match (field, &current) {
                ("data", _) => true,
                ("msgParams", Some(_)) => true,
                (_, Some(v)) => match field {
                    "fail" | "ok" => v.is_bool(),
                    "tm" => v.as_i64().is_some(),
                    _ => v.is_string(),
                },
                (_, None) => false,
            };
            let v = if fine {
                current.unwrap_or(Value::Null)
            } else {
                if is_envelope {
                    filled.push(field);
                }
                default.unwrap_or(Value::Null)
            };
            out.insert(s(field), v);
        }
        if !filled.is_empty() {
            what.push(format!(
                "envelope fields `{}` filled in",
                filled.join("`, `")
            ));
        }
        let value = Value::Mapping(out);
        let mut changes = BTreeSet::new();
        match fit(&value, envelope, schemas, 0, &mut changes) {
            Ok(fitted) => {
                what.extend(changes);
                if !what.is_empty() {
                    counts.add("response example: upstream's, repaired");
                    notes.push(format!(
                        "a response example is upstream's with {}",
                        what.join(", ")
                    ));
                }
                if ok {
                    successes.push(fitted);
                } else {
                    failures.push(fitted);
                }
            }
            Err(why) => problems.push(format!("one does not fit its schema ({why})")),
        }
    }
    let mut out = Vec::new();
    let (with_data, without): (Vec<Value>, Vec<Value>) =
        successes.into_iter().partition(|s| !s["data"].is_null());
    let successes = if with_data.is_empty() && !without.is_empty() {
        *returns_nothing = true;
        counts.add("`x-mm-returns: nothing` (upstream's successes carry `data: null`)");
        notes.push(
            "upstream's successful answers carry no data, so the method returns nothing".into(),
        );
        without
    } else {
        if !without.is_empty() {
            notes.push(
                "upstream's successful answers without data are left out (the others carry data)"
                    .into(),
            );
        }
        with_data
    };
    if successes.is_empty() {
        counts.add("response example: success written from the schema");
        let data = match generate(&envelope["properties"]["data"], schemas, 0) {
            // Untyped data: an empty object, as a success carries data.
            Value::Null => Value::Mapping(Mapping::new()),
            data => data,
        };
        let success = map(vec![
            ("msg", s("Success")),
            ("fail", Value::Bool(false)),
            ("trace", s("x-example")),
            ("code", s("0")),
            ("data", data),
            ("bizCode", s("")),
            ("tm", Value::from(1)),
            ("msgParams", Value::Null),
            ("ok", Value::Bool(true)),
        ]);
        let why = if problems.is_empty() {
            "upstream shows no successful answer".to_owned()
        } else {
            format!("of upstream's response examples, {}", problems.join("; "))
        };
        notes.push(format!(
            "{why}: the success example is written from the schema"
        ));
        out.push(("success".to_owned(), success, false));
    } else {
        if !problems.is_empty() {
            notes.push(format!(
                "of upstream's response examples, {} (left out)",
                problems.join("; ")
            ));
        }
        for (index, success) in successes.into_iter().enumerate() {
            counts.add("response example: upstream's success");
            let name = if index == 0 {
                "success".to_owned()
            } else {
                format!("success_{}", index + 1)
            };
            out.push((name, success, true));
        }
    }
    for (index, failure) in failures.into_iter().enumerate() {
        counts.add("response example: upstream's failure");
        out.push((format!("failure_{}", index + 1), failure, true));
    }
    out
}
