//! The model of one of upstream's exports: which export it is, and its operations as the
//! importer reads them (method, upstream's path and ours, tag, title, header parameters,
//! request body, answer), with the `$ref`s into its components resolved. The import and
//! `upstream-diff` both read an export through it, so they see the same operations.

use serde_yaml_ng::{Mapping, Value};

use crate::Error;
use crate::envelope::FIELDS as ENVELOPE;
use crate::sources::Pin;
use crate::value::required_names;

/// One of upstream's exports.
#[derive(Debug, PartialEq, Eq)]
pub struct Export {
    /// Its file under `openapi/upstream/`, where `cargo xtask import --refresh` writes it (the
    /// name it has in upstream's repository).
    pub file: &'static str,
    /// A short name for the README and the descriptions.
    pub name: &'static str,
    /// `x-mm-api` of the specs made from it.
    pub api: &'static str,
    /// The language of its titles and descriptions (`en`, `zh`).
    pub language: &'static str,
    /// How its paths become ours.
    pub paths: PathRule,
}

/// How the paths of an export become ours: what its server URL carries, and what upstream
/// writes in the paths that the gateway does not take.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PathRule {
    /// The Client API: `/api`, or `/openapi-c` for the Open API's signed operations.
    Client,
    /// The Manager API: `/openapi-b`.
    Manager,
    /// The Manager API from a file that writes `/global` before the bizType: dropped, as
    /// `manager.yaml` does (the gateway rule is `/openapi-b/{bizType}`).
    ManagerGlobal,
    /// The Auth2 API: `/cats-gateway-auth2`.
    Auth2,
}

/// The exports the importer knows, in the order the README lists them. Which one an operation
/// two of them define is imported from is decided by their revisions: the newer wins (see
/// [`crate::import()`]).
pub const EXPORTS: [Export; 6] = [
    Export {
        file: "MultiMarkets-ClientAPI.openapi.en.yaml",
        name: "Client API",
        api: "client",
        language: "en",
        paths: PathRule::Client,
    },
    Export {
        file: "MultiMarkets-ClientAPI.openapi.yaml",
        name: "Client API, Chinese edition",
        api: "client",
        language: "zh",
        paths: PathRule::Client,
    },
    Export {
        file: "MultiMarkets-BusinessAPI.openapi.en.yaml",
        name: "Manager API",
        api: "manager",
        language: "en",
        paths: PathRule::Manager,
    },
    Export {
        file: "multimarkets-api-postman.json",
        name: "Manager API, extended file",
        api: "manager",
        language: "zh",
        paths: PathRule::ManagerGlobal,
    },
    Export {
        file: "MultiMarkets-Auth2Api.openapi.en.yaml",
        name: "Auth2 API",
        api: "auth2",
        language: "en",
        paths: PathRule::Auth2,
    },
    Export {
        file: "UTGL量化相关API.openapi.json",
        name: "Manager API, quant variant",
        api: "manager",
        language: "zh",
        paths: PathRule::ManagerGlobal,
    },
];

/// The export whose file is `file`.
pub fn find(file: &str) -> Option<&'static Export> {
    EXPORTS.iter().find(|export| export.file == file)
}

/// The files of the exports, for messages.
pub fn files() -> String {
    EXPORTS
        .iter()
        .map(|export| export.file)
        .collect::<Vec<_>>()
        .join(", ")
}

/// The methods the importer reads of a path item.
const METHODS: [&str; 6] = ["GET", "POST", "PUT", "DELETE", "HEAD", "PATCH"];

/// The text of an export (or of a spec) as YAML, or else as JSON (which YAML does not always
/// read: the quant variant's export is JSON). `name` is what an error names it by.
pub fn parse(name: &str, text: &str) -> Result<Value, Error> {
    match serde_yaml_ng::from_str(text) {
        Ok(value) => Ok(value),
        Err(yaml) => {
            let json: serde_json::Value =
                serde_json::from_str(text).map_err(|_| Error::new(format!("{name}: {yaml}")))?;
            serde_yaml_ng::to_value(json).map_err(|e| Error::new(e.to_string()))
        }
    }
}

/// One of upstream's exports, read: which one it is, its document, and the revision it was
/// read at (where the caller knows it).
#[derive(Debug)]
pub struct Document {
    export: &'static Export,
    value: Value,
    pin: Option<Pin>,
}

/// What a missing part of a document reads as.
static NULL: Value = Value::Null;

impl Document {
    /// `value`, a version of export `export`.
    pub fn new(export: &'static Export, value: Value) -> Self {
        Document {
            export,
            value,
            pin: None,
        }
    }

    /// The same document, read at revision `pin` of upstream's repository: the import takes
    /// an operation two exports define from the one committed last.
    pub fn pinned(mut self, pin: Pin) -> Self {
        self.pin = Some(pin);
        self
    }

    /// The revision it was read at, where the caller gave it.
    pub fn pin(&self) -> Option<&Pin> {
        self.pin.as_ref()
    }

    /// Which export it is.
    pub fn export(&self) -> &'static Export {
        self.export
    }

    /// The document as read.
    pub fn value(&self) -> &Value {
        &self.value
    }

    /// Its operations that the importer reads, in the export's order.
    pub fn operations(&self) -> Vec<Operation<'_>> {
        let mut operations = Vec::new();
        for (path, item) in self.value["paths"].as_mapping().into_iter().flatten() {
            let Some(upstream_path) = path.as_str() else {
                continue;
            };
            for (method, op) in item.as_mapping().into_iter().flatten() {
                let method = method.as_str().unwrap_or_default().to_ascii_uppercase();
                if METHODS.contains(&method.as_str()) {
                    operations.push(Operation {
                        document: self,
                        path: our_path(self.export, upstream_path, op),
                        method,
                        upstream_path,
                        op,
                    });
                }
            }
        }
        operations
    }

    /// Upstream's components (`components.schemas`), if it has any.
    pub(crate) fn components(&self) -> Option<&Mapping> {
        self.value["components"]["schemas"].as_mapping()
    }

    /// The header parameters of its "Global Unified Request Header" (the Client export's
    /// `HEAD /` pseudo-operation): the headers upstream says every call takes.
    pub(crate) fn global_headers(&self) -> Vec<&Value> {
        self.value["paths"]["/"]["head"]["parameters"]
            .as_sequence()
            .into_iter()
            .flatten()
            .filter(|p| p["in"].as_str() == Some("header"))
            .collect()
    }

    /// What `schema` is once its `$ref`s into the components are followed (at most 8, in case
    /// they loop); a `$ref` to a component it lacks stays as it is.
    pub(crate) fn resolve<'v>(&'v self, schema: &'v Value) -> &'v Value {
        let mut current = schema;
        for _ in 0..8 {
            match current.get("$ref").and_then(Value::as_str) {
                Some(r) => match r
                    .strip_prefix("#/components/schemas/")
                    .and_then(|n| self.components().and_then(|c| c.get(n)))
                {
                    Some(next) => current = next,
                    None => return current,
                },
                None => return current,
            }
        }
        current
    }
}

/// An operation of an export.
#[derive(Debug, Clone)]
pub struct Operation<'a> {
    /// The export it is in.
    pub document: &'a Document,
    /// Upper case.
    pub method: String,
    /// As upstream writes it.
    pub upstream_path: &'a str,
    /// As our specs write it ([`our_path`]).
    pub path: String,
    /// Upstream's operation object.
    pub op: &'a Value,
}

impl<'a> Operation<'a> {
    /// The export it is in.
    pub fn export(&self) -> &'static Export {
        self.document.export
    }

    /// Upstream's title (its `summary`), trimmed.
    pub fn title(&self) -> &'a str {
        self.op["summary"].as_str().unwrap_or_default().trim()
    }

    /// Upstream's tags.
    pub fn tags(&self) -> Vec<&'a str> {
        self.op["tags"]
            .as_sequence()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect()
    }

    /// Upstream's first tag; for the untagged exports, `module:<service module>` or `auth2`.
    pub fn upstream_tag(&self) -> String {
        if let Some(tag) = self.op["tags"]
            .as_sequence()
            .and_then(|t| t.first())
            .and_then(Value::as_str)
        {
            return tag.to_owned();
        }
        if self.export().api == "auth2" {
            return "auth2".into();
        }
        let path = self.upstream_path;
        let last = path.rsplit('/').next().unwrap_or_default();
        let module = if last.contains('.') {
            last.split('.').next().unwrap_or_default()
        } else {
            path.trim_start_matches('/')
                .split('/')
                .next()
                .unwrap_or_default()
        };
        format!("module:{module}")
    }

    /// The header parameters upstream lists.
    pub fn header_parameters(&self) -> Vec<&'a Value> {
        self.parameters()
            .filter(|p| p["in"].as_str() == Some("header"))
            .collect()
    }

    /// The parameters upstream lists outside the headers (query, path, cookie).
    pub fn other_parameters(&self) -> Vec<&'a Value> {
        self.parameters()
            .filter(|p| p["in"].as_str() != Some("header"))
            .collect()
    }

    fn parameters(&self) -> impl Iterator<Item = &'a Value> {
        self.op["parameters"].as_sequence().into_iter().flatten()
    }

    /// The media types of the request body.
    pub fn request_content(&self) -> &'a Value {
        &self.op["requestBody"]["content"]
    }

    /// The JSON request body's media type object (null when there is none).
    pub fn request_media(&self) -> &'a Value {
        &self.request_content()["application/json"]
    }

    /// The JSON request body's schema, when it is one.
    pub fn request_schema(&self) -> Option<&'a Value> {
        Some(&self.request_media()["schema"]).filter(|s| s.is_mapping())
    }

    /// The answer's media type object: the first of the 200 response (null when there is
    /// none).
    pub fn response_media(&self) -> &'a Value {
        self.op["responses"]["200"]["content"]
            .as_mapping()
            .and_then(|m| m.values().next())
            .unwrap_or(&NULL)
    }

    /// Upstream's answer, its envelope recognised.
    pub fn answer(&self) -> Answer<'a> {
        let schema = self.response_media().get("schema").unwrap_or(&NULL);
        let resolved = self.document.resolve(schema);
        let empty = Mapping::new();
        let properties = resolved["properties"].as_mapping().unwrap_or(&empty);
        if is_envelope(properties) {
            let shape = if schema.get("$ref").is_some() {
                EnvelopeShape::Component
            } else if ENVELOPE.iter().all(|f| properties.contains_key(*f)) {
                EnvelopeShape::Inline
            } else {
                EnvelopeShape::InlinePartial
            };
            let required = required_names(resolved)
                .filter(|r| ENVELOPE.contains(r) && properties.contains_key(*r))
                .map(str::to_owned)
                .collect();
            let data = resolved["properties"].get("data");
            Answer::Envelope {
                shape,
                required,
                data,
            }
        } else if schema.is_null() {
            Answer::None
        } else {
            Answer::Bare(schema)
        }
    }

    /// Whether upstream marks it deprecated.
    pub fn deprecated(&self) -> bool {
        self.op["deprecated"].as_bool() == Some(true)
    }
}

/// Upstream's answer to an operation, as the import reads it.
#[derive(Debug)]
pub enum Answer<'a> {
    /// Upstream describes none.
    None,
    /// Upstream's envelope around the data.
    Envelope {
        /// How upstream writes it.
        shape: EnvelopeShape,
        /// The envelope's fields upstream marks required.
        required: Vec<String>,
        /// The schema of its `data`, if it has one.
        data: Option<&'a Value>,
    },
    /// A record without the envelope: it is the data.
    Bare(&'a Value),
}

impl<'a> Answer<'a> {
    /// Upstream's schema of the data: the `data` of its envelope, or the whole answer when it
    /// is a bare record; `None` when upstream describes no data.
    pub fn data(&self) -> Option<&'a Value> {
        match self {
            Answer::None => None,
            Answer::Envelope { data, .. } => *data,
            Answer::Bare(data) => Some(data),
        }
    }
}

/// How upstream writes its envelope.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EnvelopeShape {
    /// A `$ref` to a component (`BaseResult«...»`).
    Component,
    /// In place, with every field.
    Inline,
    /// In place, with some of its fields.
    InlinePartial,
}

/// Whether an answer with these `properties` is upstream's envelope, in one of its shapes:
/// three of its fields or more (its partial inline envelopes have as few as three); anything
/// else is a bare record, which is the data.
fn is_envelope(properties: &Mapping) -> bool {
    ENVELOPE
        .iter()
        .filter(|field| properties.contains_key(**field))
        .count()
        >= 3
}

/// The path as our specs write it: from the host root, with the gateway prefix the export's
/// server URL carries ([`PathRule`]).
pub fn our_path(export: &Export, path: &str, op: &Value) -> String {
    match export.paths {
        PathRule::Client => {
            let signed = header_names(op)
                .iter()
                .any(|h| h.eq_ignore_ascii_case("apiKey") || h.eq_ignore_ascii_case("signature"));
            if signed {
                // The Open API operations live under `/openapi-c` (as in client.yaml).
                format!("/openapi-c{path}")
            } else if path.starts_with("/api/") {
                // Upstream already writes the gateway prefix for these.
                path.to_owned()
            } else {
                format!("/api{path}")
            }
        }
        PathRule::ManagerGlobal => {
            let path = path.strip_prefix("/global").unwrap_or(path);
            format!("/openapi-b{path}")
        }
        PathRule::Manager => format!("/openapi-b{path}"),
        PathRule::Auth2 => format!("/cats-gateway-auth2{path}"),
    }
}

fn header_names(op: &Value) -> Vec<String> {
    op["parameters"]
        .as_sequence()
        .into_iter()
        .flatten()
        .filter(|p| p["in"].as_str() == Some("header"))
        .filter_map(|p| p["name"].as_str().map(str::to_owned))
        .collect()
}
