//! The public surface of an area, one block per operation: what a reviewer reads in the
//! snapshot of the generated code, at any number of operations.

use std::fmt::Write;

use crate::model::{Model, Source, per_call_type};

/// Each operation of `model`: its request, credential, effect, method signature and
/// headers, grouped by tag.
pub fn surface(model: &Model) -> String {
    let mut out = format!("{} (x-mm-api: {})\n", model.title, model.api.as_str());
    for tag in &model.tags {
        let _ = write!(out, "\n== tag `{}`\n", tag.name);
        for op in model.operations.iter().filter(|op| op.tag == tag.name) {
            let _ = writeln!(out, "\n{} {} {}", op.id, op.method, op.path);
            let mut parameters = Vec::new();
            if let Some(secret) = per_call_type(op.credential) {
                parameters.push(format!("token: &{secret}"));
            }
            for header in &op.headers {
                if let Source::Argument(_) = header.source {
                    let ty = if header.required {
                        "&str"
                    } else {
                        "Option<&str>"
                    };
                    parameters.push(format!("{}: {ty}", header.argument));
                }
            }
            if !op.body.empty {
                parameters.push(format!("body: &{}", op.body.rust_type));
            }
            let returns = if op.returns_nothing { "()" } else { &op.data };
            let method = match &op.curated {
                Some(name) => format!("hand-written as `{name}`; calls::{}", op.id),
                None => format!("method {}", op.id),
            };
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
                    .map(|p| format!(
                        ", paged by {}/{} into {}/{}",
                        p.page, p.size, p.items, p.total
                    ))
                    .unwrap_or_default(),
            );
            let headers: Vec<String> = op
                .headers
                .iter()
                .map(|header| {
                    let source = match &header.source {
                        Source::Filled(source) => format!("{source:?}"),
                        Source::Fixed(value) => format!("{value:?}"),
                        Source::Argument(_) => format!("argument `{}`", header.argument),
                    };
                    let optional = if header.required { "" } else { "?" };
                    format!("{}{optional} <- {source}", header.name)
                })
                .collect();
            let _ = writeln!(out, "  headers: {}", headers.join(", "));
        }
    }
    out
}
