//! Upstream's validation rules, checked before sending: for every operation with rules, each
//! rule its documented example reaches is broken in turn (a number past its bound, text or a
//! list of the wrong size, a repeated item), and the call must fail with that field and rule
//! without a request reaching the server. The documented examples themselves keep every rule
//! (`wire.rs` sends them all).

use mm_sdk_core::{Check, ErrorKind, Rule};
use mm_sdk_tests::every_operation::{Sendable, TOKEN, sendable};
use mm_sdk_tests::recorder::Recorder;
use mm_sdk_tests::{areas, bounded};
use serde_json::Value;

use crate::wire::runtime;

/// `request` with the value `rule` governs changed so that it breaks the rule, and the field
/// as the error names it; `None` where the example does not reach the place, or the rule
/// cannot be broken there in a reasonable size.
fn broken(request: &Value, rule: &Rule) -> Option<(Value, String)> {
    let mut request = request.clone();
    let mut field = String::new();
    let mut value = &mut request;
    for step in rule.at {
        if *step == "[]" {
            value = value.as_array_mut()?.first_mut()?;
            field.push_str("[0]");
        } else {
            if !field.is_empty() {
                field.push('.');
            }
            field.push_str(step);
            value = value.as_object_mut()?.get_mut(*step)?;
        }
    }
    // A number keeps its JSON type: a number where it was one, text where it was sent as text.
    let number = |bound: i64, value: &Value| match value {
        Value::String(_) => Some(Value::String(bound.to_string())),
        Value::Number(_) => Some(Value::from(bound)),
        _ => None,
    };
    let replacement = match rule.check {
        Check::Minimum(bound) => number(bound.checked_sub(1)?, value)?,
        Check::Maximum(bound) => number(bound.checked_add(1)?, value)?,
        Check::MinLength(bound) if bound > 0 && value.is_string() => {
            Value::String("x".repeat(bound as usize - 1))
        }
        Check::MaxLength(bound) if bound < 10_000 && value.is_string() => {
            Value::String("x".repeat(bound as usize + 1))
        }
        Check::MinItems(bound) if bound > 0 => {
            let mut list = value.as_array()?.clone();
            list.truncate(bound as usize - 1);
            Value::Array(list)
        }
        Check::MaxItems(bound) if bound < 10_000 => {
            let first = value.as_array()?.first()?.clone();
            Value::Array(vec![first; bound as usize + 1])
        }
        Check::UniqueItems => {
            let first = value.as_array()?.first()?.clone();
            Value::Array(vec![first.clone(), first])
        }
        _ => return None,
    };
    *value = replacement;
    Some((request, field))
}

/// Whether `body` has nothing at `at` (the first item of each list on the way).
fn absent(body: &Value, at: &[&str]) -> bool {
    let mut value = body;
    for step in at {
        let next = if *step == "[]" {
            value.get(0)
        } else {
            value.get(*step)
        };
        match next {
            Some(next) => value = next,
            None => return true,
        }
    }
    false
}

#[tokio::test]
async fn a_request_that_breaks_a_rule_is_refused_before_it_is_sent_naming_the_field() {
    bounded(async {
        let server = Recorder::start().await;
        let runtime = runtime(&server);
        let areas = areas();
        let mut problems = Vec::new();
        let mut refused = 0;
        let mut with_rules = 0;
        for operation in sendable(&areas) {
            if operation.op.rules.is_empty() {
                continue;
            }
            with_rules += 1;
            let traced = operation.op.encoding == mm_sdk_core::Encoding::Traced;
            let example = if traced {
                &operation.requests[0]["data"]
            } else {
                &operation.requests[0]
            };
            for rule in operation.op.rules {
                let Some((request, field)) = broken(example, rule) else {
                    continue;
                };
                let request = if traced {
                    let mut whole = operation.requests[0].clone();
                    whole["data"] = request;
                    whole
                } else {
                    request
                };
                let call = Sendable {
                    op: operation.op,
                    model: operation.model.clone(),
                    requests: vec![request],
                    responses: Vec::new(),
                };
                let context = format!("{} `{}` {field} {:?}", call.op.api, call.op.id, rule.check);
                let result = call.send(&runtime, 0, TOKEN).await;
                match (result, server.take().as_slice()) {
                    // An optional list emptied is left out of the request, which the rule
                    // allows: that alone may be sent.
                    (_, [sent]) => {
                        let body: Value = serde_json::from_slice(&sent.body).unwrap_or_default();
                        let body = if traced { &body["data"] } else { &body };
                        if !(matches!(rule.check, Check::MinItems(1)) && absent(body, rule.at)) {
                            problems.push(format!("{context}: sent"));
                        }
                    }
                    (Err(error), []) => match error.kind() {
                        ErrorKind::BrokenRule(broken)
                            if broken.field == field && broken.check == rule.check =>
                        {
                            refused += 1;
                        }
                        other => problems.push(format!("{context}: failed otherwise: {other:?}")),
                    },
                    (Ok(_), []) => problems.push(format!("{context}: succeeded, sending nothing")),
                    (_, more) => problems.push(format!("{context}: {} requests", more.len())),
                }
            }
        }
        assert!(
            problems.is_empty(),
            "{} problem(s):\n{}",
            problems.len(),
            problems.join("\n")
        );
        // Not vacuous: most operations with rules have examples that reach them.
        assert!(
            with_rules > 0 && refused >= with_rules,
            "{refused} broken rules refused over {with_rules} operations with rules"
        );
    })
    .await;
}
