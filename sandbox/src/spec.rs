//! What the specs say of each operation: read from the embedded `openapi/*.yaml` at start-up,
//! so the sandbox and the specs cannot disagree about paths, headers, credentials or answers.

use std::collections::HashMap;

use openapiv3::{OpenAPI, Parameter, ReferenceOr};

use crate::embedded::SPECS;

/// One operation of the specs.
#[derive(Debug, Clone)]
pub(crate) struct Operation {
    /// The API (`x-mm-api`): `client`, `manager` or `auth2` (operation ids are unique only
    /// within one).
    pub(crate) api: &'static str,
    /// The `operationId`.
    pub(crate) id: String,
    /// The headers marked `required`, lower-cased (header names are case-insensitive).
    pub(crate) required_headers: Vec<String>,
    /// Its `x-mm-credential`.
    pub(crate) credential: String,
    /// Its documented response examples, as paths under `openapi/examples/`.
    pub(crate) examples: Vec<String>,
}

/// Every operation of the specs by path (all of them are `POST`).
pub(crate) fn operations() -> Result<HashMap<String, Operation>, String> {
    let mut by_path = HashMap::new();
    for (area, text) in SPECS {
        let file = format!("openapi/{area}.yaml");
        let spec: OpenAPI = serde_yaml_ng::from_str(text).map_err(|e| format!("{file}: {e}"))?;
        let api = match spec.extensions.get("x-mm-api").and_then(|v| v.as_str()) {
            Some("client") => "client",
            Some("manager") => "manager",
            Some("auth2") => "auth2",
            _ => return Err(format!("{file}: no `x-mm-api`")),
        };
        for (path, item) in &spec.paths.paths {
            let ReferenceOr::Item(item) = item else {
                return Err(format!("{file}: {path} is a reference"));
            };
            let Some(post) = &item.post else { continue };
            let id = post
                .operation_id
                .clone()
                .ok_or_else(|| format!("{file}: {path} has no operationId"))?;
            let mut required_headers = Vec::new();
            for parameter in item.parameters.iter().chain(&post.parameters) {
                let parameter = resolve(&spec, parameter)
                    .ok_or_else(|| format!("{file}: {path}: unresolved parameter"))?;
                if let Parameter::Header { parameter_data, .. } = parameter
                    && parameter_data.required
                {
                    required_headers.push(parameter_data.name.to_ascii_lowercase());
                }
            }
            let credential = post
                .extensions
                .get("x-mm-credential")
                .and_then(|v| v.as_str())
                .unwrap_or("none")
                .to_owned();
            let examples = post
                .responses
                .responses
                .values()
                .filter_map(ReferenceOr::as_item)
                .filter_map(|response| response.content.get("application/json"))
                .flat_map(|media| media.examples.values())
                .filter_map(ReferenceOr::as_item)
                .filter_map(|example| example.external_value.as_deref())
                .filter_map(|value| value.strip_prefix("examples/"))
                .map(str::to_owned)
                .collect();
            by_path.insert(
                path.clone(),
                Operation {
                    api,
                    id,
                    required_headers,
                    credential,
                    examples,
                },
            );
        }
    }
    Ok(by_path)
}

fn resolve<'a>(spec: &'a OpenAPI, parameter: &'a ReferenceOr<Parameter>) -> Option<&'a Parameter> {
    match parameter {
        ReferenceOr::Item(parameter) => Some(parameter),
        ReferenceOr::Reference { reference } => {
            let name = reference.strip_prefix("#/components/parameters/")?;
            match spec.components.as_ref()?.parameters.get(name)? {
                ReferenceOr::Item(parameter) => Some(parameter),
                ReferenceOr::Reference { .. } => None,
            }
        }
    }
}
