//! The public surface of an area, one block per operation: what a reviewer reads in the
//! snapshot of the generated code, at any number of operations.

use std::fmt::Write;

use crate::model::{Encoding, EnvelopeKind, Model, Source, per_call_type};

/// Each operation of `model`: its request, credential, effect, method signature and
/// headers, by group in the order of their first operation.
pub fn surface(model: &Model) -> String {
    let mut out = format!("{} (x-mm-api: {})\n", model.title, model.api.as_str());
    let mut groups: Vec<&str> = Vec::new();
    for op in &model.operations {
        if !groups.contains(&op.group.as_str()) {
            groups.push(&op.group);
        }
    }
    for group in groups {
        let _ = write!(out, "\n== group `{group}`\n");
        for op in model.operations.iter().filter(|op| op.group == group) {
            let _ = writeln!(out, "\n{} {} {}", op.id, op.method, op.path);
            let mut parameters = Vec::new();
            match per_call_type(op.credential) {
                Some(_) if op.open_api.is_some() => {
                    parameters.push("access: impl Into<ClientAccess>".to_owned());
                }
                Some(secret) => parameters.push(format!("token: &{secret}")),
                None => {}
            }
            for (argument, required) in crate::generate::arguments_in_order(op) {
                let ty = if required { "&str" } else { "Option<&str>" };
                parameters.push(format!("{argument}: {ty}"));
            }
            if !op.body.empty {
                parameters.push(format!("body: &{}", op.body.rust_type));
            }
            let returns = if op.returns_nothing { "()" } else { &op.data };
            let method = format!("mm.{}().{group}().{}", model.api.as_str(), op.id);
            let _ = writeln!(
                out,
                "  {method}({}) -> Result<{returns}>",
                parameters.join(", ")
            );
            let _ = writeln!(
                out,
                "  credential {}, {}{}{}",
                op.credential.as_str(),
                op.effect.as_str(),
                if op.deprecated { ", deprecated" } else { "" },
                op.paging
                    .as_ref()
                    .map(|paging| format!(", paged by {paging}"))
                    .unwrap_or_default(),
            );
            let describe = |name: &str, source: &Source, argument: &str, required: bool| {
                let source = match source {
                    Source::Filled(source) => format!("{source:?}"),
                    Source::Request => "the request".to_owned(),
                    Source::Fixed(value) => format!("{value:?}"),
                    Source::Argument(_) => format!("argument `{argument}`"),
                };
                let optional = if required { "" } else { "?" };
                format!("{name}{optional} <- {source}")
            };
            let headers: Vec<String> = op
                .headers
                .iter()
                .map(|h| describe(&h.name, &h.source, &h.argument, h.required))
                .collect();
            let headers = if headers.is_empty() {
                "none".to_owned()
            } else {
                headers.join(", ")
            };
            let _ = writeln!(out, "  headers: {headers}");
            if let Some(route) = &op.open_api {
                let headers: Vec<String> = route
                    .headers
                    .iter()
                    .map(|h| describe(&h.name, &h.source, &h.argument, h.required))
                    .collect();
                let _ = writeln!(
                    out,
                    "  or with an Open API key: {} {}, headers: {}",
                    op.method,
                    route.path,
                    headers.join(", ")
                );
            }
            if !op.query.is_empty() {
                let query: Vec<String> = op
                    .query
                    .iter()
                    .map(|q| describe(&q.name, &q.source, &q.argument, q.required))
                    .collect();
                let _ = writeln!(out, "  query: {}", query.join(", "));
            }
            if op.encoding != Encoding::Json || op.envelope != EnvelopeKind::Platform {
                let request = match op.encoding {
                    Encoding::None => "no request",
                    Encoding::Traced => "a traced request ({trace, data})",
                    Encoding::Multipart => "a multipart request",
                    _ => "a JSON request",
                };
                let envelope = match op.envelope {
                    EnvelopeKind::Quote => "the quote envelope ({ret, msg, trace, data})",
                    _ => "the platform's envelope",
                };
                let _ = writeln!(out, "  {request}, {envelope}");
            }
        }
    }
    out
}
