//! What the specs say each operation requires of a request: read from `openapi/*.yaml` at
//! start-up, so the sandbox and the specs cannot disagree about headers.

use std::collections::HashMap;

use openapiv3::{OpenAPI, Parameter, ReferenceOr};

const SPECS: [(&str, &str); 3] = [
    ("client", include_str!("../../openapi/client.yaml")),
    ("manager", include_str!("../../openapi/manager.yaml")),
    ("auth2", include_str!("../../openapi/auth2.yaml")),
];

/// One operation of the specs.
#[derive(Debug, Clone)]
pub(crate) struct Operation {
    /// The API: `client`, `manager` or `auth2` (operation ids are unique only within one).
    pub(crate) api: &'static str,
    /// The `operationId`.
    pub(crate) id: String,
    /// The headers marked `required`, lower-cased (header names are case-insensitive).
    pub(crate) required_headers: Vec<String>,
}

/// Every operation of the three specs by path (all of them are `POST`).
pub(crate) fn operations() -> Result<HashMap<String, Operation>, String> {
    let mut by_path = HashMap::new();
    for (api, text) in SPECS {
        let file = format!("{api}.yaml");
        let spec: OpenAPI =
            serde_yaml_ng::from_str(text).map_err(|e| format!("openapi/{file}: {e}"))?;
        for (path, item) in &spec.paths.paths {
            let ReferenceOr::Item(item) = item else {
                return Err(format!("openapi/{file}: {path} is a reference"));
            };
            let Some(post) = &item.post else { continue };
            let id = post
                .operation_id
                .clone()
                .ok_or_else(|| format!("openapi/{file}: {path} has no operationId"))?;
            let mut required_headers = Vec::new();
            for parameter in item.parameters.iter().chain(&post.parameters) {
                let parameter = resolve(&spec, parameter)
                    .ok_or_else(|| format!("openapi/{file}: {path}: unresolved parameter"))?;
                if let Parameter::Header { parameter_data, .. } = parameter
                    && parameter_data.required
                {
                    required_headers.push(parameter_data.name.to_ascii_lowercase());
                }
            }
            by_path.insert(
                path.clone(),
                Operation {
                    api,
                    id,
                    required_headers,
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
