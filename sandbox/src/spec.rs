//! What the specs say of each operation: read from the embedded `openapi/*.yaml` at start-up,
//! so the sandbox and the specs cannot disagree about paths, headers, credentials or answers.

use std::collections::HashMap;

use openapiv3::{OpenAPI, Parameter, ReferenceOr};
use serde::Deserialize;
use serde_json::Value;

use crate::embedded::SPECS;
use crate::page::Paging;
use crate::schema::Schemas;

/// One operation of the specs.
#[derive(Debug, Clone)]
pub(crate) struct Operation {
    /// The API (`x-mm-api`): `client`, `manager` or `auth2` (operation ids are unique only
    /// within one).
    pub(crate) api: &'static str,
    /// The `operationId`.
    pub(crate) id: String,
    /// `GET` or `POST`.
    pub(crate) method: axum::http::Method,
    /// How the request comes: a JSON body, a multipart body, or none.
    pub(crate) request: Request,
    /// The query parameters marked `required`.
    pub(crate) required_query: Vec<String>,
    /// The headers marked `required`, lower-cased (header names are case-insensitive).
    pub(crate) required_headers: Vec<String>,
    /// Its `x-mm-credential`.
    pub(crate) credential: String,
    /// Its documented response examples, as paths under `openapi/examples/`.
    pub(crate) examples: Vec<String>,
    /// How it pages, if it does: its `x-mm-paging`.
    pub(crate) paging: Option<Paging>,
}

/// How an operation's request comes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Request {
    /// A JSON body.
    Json,
    /// A `multipart/form-data` body.
    Multipart,
    /// No body (a `GET`: what it needs is in the query).
    None,
}

/// Every operation of the specs by path.
pub(crate) fn operations() -> Result<HashMap<String, Operation>, String> {
    let mut by_path = HashMap::new();
    let mut signed_routes = Vec::new();
    for (area, text) in SPECS {
        let file = format!("openapi/{area}.yaml");
        // Read once as JSON, which the paged answers' schemas are read from, then as OpenAPI.
        let json: Value = serde_yaml_ng::from_str(text).map_err(|e| format!("{file}: {e}"))?;
        let spec = OpenAPI::deserialize(&json).map_err(|e| format!("{file}: {e}"))?;
        let schemas = Schemas::of(&json);
        let api = match spec.extensions.get("x-mm-api").and_then(|v| v.as_str()) {
            Some("client") => "client",
            Some("manager") => "manager",
            Some("auth2") => "auth2",
            _ => return Err(format!("{file}: no `x-mm-api`")),
        };
        let routes = OpenApiRoutes::of(&spec);
        for (path, item) in &spec.paths.paths {
            let ReferenceOr::Item(item) = item else {
                return Err(format!("{file}: {path} is a reference"));
            };
            let (method, post) = match (&item.get, &item.post) {
                (Some(get), None) => (axum::http::Method::GET, get),
                (None, Some(post)) => (axum::http::Method::POST, post),
                _ => return Err(format!("{file}: {path} needs one GET or one POST")),
            };
            let request = match &post.request_body {
                Some(ReferenceOr::Item(body))
                    if body.content.contains_key("multipart/form-data") =>
                {
                    Request::Multipart
                }
                Some(_) => Request::Json,
                None => Request::None,
            };
            let id = post
                .operation_id
                .clone()
                .ok_or_else(|| format!("{file}: {path} has no operationId"))?;
            let mut required_headers = Vec::new();
            let mut required_query = Vec::new();
            // The required headers of one allowed value (`group: tradeApi`, an operation's
            // own `version`): its Open API route requires them too.
            let mut fixed = Vec::new();
            for parameter in item.parameters.iter().chain(&post.parameters) {
                let parameter = resolve(&spec, parameter)
                    .ok_or_else(|| format!("{file}: {path}: unresolved parameter"))?;
                match parameter {
                    Parameter::Header { parameter_data, .. } if parameter_data.required => {
                        let name = parameter_data.name.to_ascii_lowercase();
                        if is_fixed(&parameter_data.format) {
                            fixed.push(name.clone());
                        }
                        required_headers.push(name);
                    }
                    Parameter::Query { parameter_data, .. } if parameter_data.required => {
                        required_query.push(parameter_data.name.clone());
                    }
                    _ => {}
                }
            }
            // One credential, or the pair of an operation an Open API key may call too.
            let (credential, open_api) = match post.extensions.get("x-mm-credential") {
                Some(Value::String(name)) => (name.clone(), false),
                Some(Value::Array(pair))
                    if pair.len() == 2
                        && pair[0] == "client-login"
                        && pair[1] == "open-api-signature" =>
                {
                    ("client-login".to_owned(), true)
                }
                _ => ("none".to_owned(), false),
            };
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
            let answer = &json["paths"][path][method.as_str().to_ascii_lowercase()]["responses"]["200"]
                ["content"]["application/json"]["schema"];
            let paging = post
                .extensions
                .get("x-mm-paging")
                .map(|extension| paging_of(schemas, answer, extension))
                .transpose()
                .map_err(|e| format!("{file}: {path}: {e}"))?;
            let operation = Operation {
                api,
                id,
                method,
                request,
                required_query,
                required_headers,
                credential,
                examples,
                paging,
            };
            if open_api {
                let route = routes
                    .as_ref()
                    .ok_or_else(|| format!("{file}: {path}: no `x-mm-open-api` at the root"))?;
                let (signed_path, signed) = route
                    .signed(path, &operation, &fixed)
                    .ok_or_else(|| format!("{file}: {path}: not under `x-mm-open-api`'s `from`"))?;
                signed_routes.push((signed_path, signed));
            }
            by_path.insert(path.clone(), operation);
        }
    }
    // An Open API route that a hand-kept Open API operation has too is answered by that one.
    for (path, operation) in signed_routes {
        by_path.entry(path).or_insert(operation);
    }
    Ok(by_path)
}

/// A spec's `x-mm-open-api`: its gateway operations' paths under `from` are reached under `to`
/// with an API key's signature, with these headers required.
struct OpenApiRoutes {
    from: String,
    to: String,
    required: Vec<String>,
}

impl OpenApiRoutes {
    fn of(spec: &OpenAPI) -> Option<Self> {
        let routes = spec.extensions.get("x-mm-open-api")?;
        let required = routes["headers"]
            .as_array()?
            .iter()
            .filter(|header| header["required"] == Value::Bool(true))
            .filter_map(|header| header["name"].as_str())
            .map(str::to_ascii_lowercase)
            .collect();
        Some(Self {
            from: routes["from"].as_str()?.to_owned(),
            to: routes["to"].as_str()?.to_owned(),
            required,
        })
    }

    /// The Open API route of `operation` at `path`: the same operation, signed, with the
    /// route's required headers and the operation's `fixed` ones.
    fn signed(
        &self,
        path: &str,
        operation: &Operation,
        fixed: &[String],
    ) -> Option<(String, Operation)> {
        let rest = path.strip_prefix(&self.from)?;
        let mut required_headers = self.required.clone();
        required_headers.extend(fixed.iter().filter(|h| !self.required.contains(h)).cloned());
        let signed = Operation {
            credential: "open-api-signature".to_owned(),
            required_headers,
            ..operation.clone()
        };
        Some((format!("{}{rest}", self.to), signed))
    }
}

/// Whether a header's schema allows one value.
fn is_fixed(format: &openapiv3::ParameterSchemaOrContent) -> bool {
    matches!(
        format,
        openapiv3::ParameterSchemaOrContent::Schema(ReferenceOr::Item(schema))
            if matches!(
                &schema.schema_kind,
                openapiv3::SchemaKind::Type(openapiv3::Type::String(string))
                    if string.enumeration.len() == 1
            )
    )
}

/// The paging facts of an operation whose `x-mm-paging` is `extension` and whose successful
/// answer (the envelope) has the schema `answer`.
fn paging_of<'a>(
    schemas: Schemas<'a>,
    answer: &'a Value,
    extension: &Value,
) -> Result<Paging, String> {
    let mut paging = Paging::from_extension(extension)?;
    let data = schemas
        .at(answer, &["data"])
        .ok_or("the answer's schema has no `data`")?;
    let rows = schemas
        .at(data, &paging.items)
        .map(|rows| schemas.resolve(rows))
        .and_then(|rows| rows.get("items"))
        .ok_or("the answer's schema has no list of rows at `items`")?;
    if let Some((_, holder)) = paging.items.split_last() {
        let holder = schemas.at(data, holder).unwrap_or(data);
        paging.echoed = [&paging.page, &paging.size]
            .into_iter()
            .filter(|field| schemas.has_field(holder, field))
            .cloned()
            .collect();
    }
    paging.schema_row = schemas.sample(rows, "row");
    Ok(paging)
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
