//! Parsing a spec and checking the rules the generator relies on.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use openapiv3::OpenAPI;
use serde_yaml_ng::Value;

use crate::error::{Error, Problem};

/// A parsed and checked OpenAPI document.
#[derive(Debug, Clone)]
pub struct Spec {
    /// Where it was read from (used in error messages and in the generated file's header).
    pub path: PathBuf,
    /// The typed document, as progenitor consumes it.
    pub openapi: OpenAPI,
}

/// Reads and checks the spec at `path`. See [`parse`].
pub fn load(path: &Path) -> Result<Spec, Error> {
    let text = std::fs::read_to_string(path).map_err(|source| Error::Read {
        path: path.to_owned(),
        source,
    })?;
    parse(path, &text)
}

/// The text of the file at `path`, or `None` when there is none: the specs a workspace may
/// leave out (a test's has no streams and no error codes).
pub(crate) fn read_if_present(path: &Path) -> Result<Option<String>, Error> {
    match std::fs::read_to_string(path) {
        Ok(text) => Ok(Some(text)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(source) => Err(Error::Read {
            path: path.to_owned(),
            source,
        }),
    }
}

/// Parses `text` (the contents of `path`) and checks it.
///
/// Beyond being well-formed OpenAPI 3.0, a spec must be self-contained (every `$ref` is local
/// and resolves), give every operation a unique snake_case `operationId`, point every example
/// `externalValue` at an existing file (relative to the spec), and mark every string field
/// named like a secret `format: password` ([`is_secret_name`](crate::is_secret_name)).
pub fn parse(path: &Path, text: &str) -> Result<Spec, Error> {
    let openapi: OpenAPI =
        serde_path_to_error::deserialize(serde_yaml_ng::Deserializer::from_str(text))
            .map_err(|e| syntax_error(path, e))?;
    // A second, untyped view of the same text: `$ref` and `externalValue` can sit anywhere.
    let raw: Value = serde_yaml_ng::from_str(text).map_err(|e| Error::Syntax {
        path: path.to_owned(),
        location: e.location().map(|l| (l.line(), l.column())),
        pointer: None,
        message: strip_location(e.to_string()),
    })?;

    let invalid = |pointer: String, problem: Problem| Error::Invalid {
        path: path.to_owned(),
        pointer,
        problem,
    };

    if !openapi.openapi.starts_with("3.0.") {
        return Err(invalid(
            "/openapi".into(),
            Problem::Version(openapi.openapi.clone()),
        ));
    }

    let mut first_use: BTreeMap<&str, String> = BTreeMap::new();
    for (route, method, operation) in openapi.operations() {
        let pointer = format!("/paths/{}/{method}", escape(route));
        let Some(id) = operation.operation_id.as_deref() else {
            return Err(invalid(pointer, Problem::MissingOperationId));
        };
        if !is_snake_case(id) {
            return Err(invalid(
                format!("{pointer}/operationId"),
                Problem::OperationIdCase(id.into()),
            ));
        }
        if let Some(first) = first_use.insert(id, pointer.clone()) {
            return Err(invalid(
                format!("{pointer}/operationId"),
                Problem::DuplicateOperationId {
                    id: id.into(),
                    first,
                },
            ));
        }
    }

    let base = path.parent().unwrap_or(Path::new(""));
    walk(&raw, &mut String::new(), &mut |pointer, key, value| {
        if key == "properties" {
            return secrets_marked(pointer, value).map_err(|(at, problem)| invalid(at, problem));
        }
        let Some(target) = value.as_str() else {
            return Ok(());
        };
        match key {
            "$ref" => match target.strip_prefix('#') {
                Some(local) if resolve(&raw, local).is_some() => Ok(()),
                Some(_) => Err(invalid(pointer.into(), Problem::UnknownRef(target.into()))),
                None => Err(invalid(pointer.into(), Problem::ExternalRef(target.into()))),
            },
            "externalValue" if !target.contains("://") && !base.join(target).is_file() => Err(
                invalid(pointer.into(), Problem::MissingExample(target.into())),
            ),
            _ => Ok(()),
        }
    })?;

    Ok(Spec {
        path: path.to_owned(),
        openapi,
    })
}

/// Every plain string among `properties` whose name says it holds a secret is
/// `format: password`.
fn secrets_marked(pointer: &str, properties: &Value) -> Result<(), (String, Problem)> {
    let Some(properties) = properties.as_mapping() else {
        return Ok(());
    };
    for (name, schema) in properties {
        let name = key_text(name);
        let plain_string = schema["type"].as_str() == Some("string")
            && schema.get("enum").is_none()
            && schema["format"].as_str() != Some("password");
        if plain_string && crate::is_secret_name(&name) {
            let at = format!("{pointer}/{}", escape(&name));
            return Err((at, Problem::SecretNotMarked(name)));
        }
    }
    Ok(())
}

pub(crate) fn syntax_error(
    path: &Path,
    error: serde_path_to_error::Error<serde_yaml_ng::Error>,
) -> Error {
    let pointer = pointer_of(error.path());
    // The YAML parser prefixes its message with the dotted path; the pointer says it better.
    let dotted = format!("{}: ", error.path());
    let inner = error.into_inner();
    let message = strip_location(inner.to_string());
    Error::Syntax {
        path: path.to_owned(),
        location: inner.location().map(|l| (l.line(), l.column())),
        pointer,
        message: message.strip_prefix(&dotted).unwrap_or(&message).to_owned(),
    }
}

/// The YAML parser appends " at line L column C" to its messages; the error carries the
/// location separately, so drop it from the text.
fn strip_location(mut message: String) -> String {
    if let Some(at) = message.find(" at line ") {
        message.truncate(at);
    }
    message
}

/// The JSON pointer of the deepest value the deserializer knew it was in.
fn pointer_of(path: &serde_path_to_error::Path) -> Option<String> {
    use serde_path_to_error::Segment;
    let mut pointer = String::new();
    for segment in path.iter() {
        let token = match segment {
            Segment::Seq { index } => index.to_string(),
            Segment::Map { key } | Segment::Enum { variant: key } => escape(key),
            Segment::Unknown => break,
        };
        pointer.push('/');
        pointer.push_str(&token);
    }
    (!pointer.is_empty()).then_some(pointer)
}

/// Calls `visit(pointer, key, value)` for every mapping entry in `value`, depth first.
fn walk<E>(
    value: &Value,
    pointer: &mut String,
    visit: &mut impl FnMut(&str, &str, &Value) -> Result<(), E>,
) -> Result<(), E> {
    let len = pointer.len();
    match value {
        Value::Mapping(map) => {
            for (key, child) in map {
                let key = key_text(key);
                pointer.push('/');
                pointer.push_str(&escape(&key));
                visit(pointer, &key, child)?;
                walk(child, pointer, visit)?;
                pointer.truncate(len);
            }
        }
        Value::Sequence(items) => {
            for (index, child) in items.iter().enumerate() {
                pointer.push('/');
                pointer.push_str(&index.to_string());
                walk(child, pointer, visit)?;
                pointer.truncate(len);
            }
        }
        Value::Tagged(tagged) => walk(&tagged.value, pointer, visit)?,
        _ => {}
    }
    Ok(())
}

/// Resolves a JSON pointer (the part of a `$ref` after `#`) in `root`.
fn resolve<'a>(root: &'a Value, pointer: &str) -> Option<&'a Value> {
    if pointer.is_empty() {
        return Some(root);
    }
    let mut node = root;
    for token in pointer.strip_prefix('/')?.split('/') {
        let token = token.replace("~1", "/").replace("~0", "~");
        node = match node {
            Value::Mapping(map) => map.iter().find(|(k, _)| key_text(k) == token)?.1,
            Value::Sequence(items) => items.get(token.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    Some(node)
}

fn key_text(key: &Value) -> String {
    match key {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        other => serde_yaml_ng::to_string(other)
            .unwrap_or_default()
            .trim_end()
            .to_owned(),
    }
}

/// Escapes one JSON pointer token (RFC 6901).
pub(crate) fn escape(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

pub(crate) fn is_snake_case(id: &str) -> bool {
    let mut chars = id.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}
