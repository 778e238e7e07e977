//! Files sent in a `multipart/form-data` request (the spec's `type: string, format: binary`).
//!
//! A request is written as JSON first, whatever its encoding (that is what lets tools drive
//! every operation from JSON examples); a multipart request's JSON is then cut into parts by
//! [`form`]. An [`Upload`] is written as `{"fileName", "contentType", "content"}` with the
//! content in base64 in that JSON, and becomes a file part again.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use bytes::Bytes;
use serde::{Deserialize, Serialize};

use crate::error::{Error, ErrorKind};

/// A file to upload: its name, its media type and its content.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "json-schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Upload {
    /// The file name the server is told.
    pub file_name: String,
    /// Its media type (`image/jpeg`); `application/octet-stream` when `None`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content_type: Option<String>,
    /// The file's bytes (in base64 in the JSON form).
    #[serde(with = "base64_bytes")]
    #[cfg_attr(feature = "json-schema", schemars(with = "String"))]
    pub content: Bytes,
}

impl Upload {
    /// An upload of `content` named `file_name`, of media type `content_type`.
    pub fn new(
        file_name: impl Into<String>,
        content_type: impl Into<String>,
        content: impl Into<Bytes>,
    ) -> Self {
        Self {
            file_name: file_name.into(),
            content_type: Some(content_type.into()),
            content: content.into(),
        }
    }
}

impl std::fmt::Debug for Upload {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The content may be a passport scan: its size is enough.
        f.debug_struct("Upload")
            .field("file_name", &self.file_name)
            .field("content_type", &self.content_type)
            .field("bytes", &self.content.len())
            .finish()
    }
}

impl std::str::FromStr for Upload {
    type Err = serde_json::Error;

    /// An upload from its JSON form (what typify's generated code asks of a `format: binary`
    /// string type).
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        serde_json::from_str(text)
    }
}

impl std::fmt::Display for Upload {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ({} bytes)", self.file_name, self.content.len())
    }
}

mod base64_bytes {
    use super::*;

    pub fn serialize<S: serde::Serializer>(
        bytes: &Bytes,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&STANDARD.encode(bytes))
    }

    pub fn deserialize<'de, D: serde::Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Bytes, D::Error> {
        let text = String::deserialize(deserializer)?;
        STANDARD
            .decode(text)
            .map(Bytes::from)
            .map_err(serde::de::Error::custom)
    }
}

/// The `Content-Type` and the body of the multipart request whose JSON is `json`, written
/// whole so that it is sent with its length and again as it is on each attempt.
pub(crate) async fn multipart(json: &[u8]) -> Result<(String, Bytes), Error> {
    use futures::TryStreamExt as _;
    let form = form(json)?;
    let content_type = format!("multipart/form-data; boundary={}", form.boundary());
    let chunks: Vec<Bytes> = form.into_stream().try_collect().await.map_err(|e| {
        Error::new(ErrorKind::InvalidInput(format!(
            "the multipart body cannot be written: {e}"
        )))
    })?;
    Ok((content_type, chunks.concat().into()))
}

/// The parts of a multipart request whose JSON is `json`: a text part per string, number or
/// boolean field, a file part per [`Upload`], nothing for a `null`. Fails naming the field
/// that fits no part.
fn form(json: &[u8]) -> Result<reqwest::multipart::Form, Error> {
    let invalid = |message: String| Error::new(ErrorKind::InvalidInput(message));
    let fields: serde_json::Map<String, serde_json::Value> = serde_json::from_slice(json)
        .map_err(|e| invalid(format!("a multipart request must be a JSON object: {e}")))?;
    let mut form = reqwest::multipart::Form::new();
    for (name, value) in fields {
        use serde_json::Value;
        let text = match value {
            Value::Null => continue,
            Value::String(text) => text,
            Value::Number(number) => number.to_string(),
            Value::Bool(flag) => flag.to_string(),
            value @ Value::Object(_) => {
                let upload: Upload = serde_json::from_value(value).map_err(|e| {
                    invalid(format!("the field `{name}` is not a file to upload: {e}"))
                })?;
                let part = reqwest::multipart::Part::stream(upload.content)
                    .file_name(upload.file_name)
                    .mime_str(
                        upload
                            .content_type
                            .as_deref()
                            .unwrap_or("application/octet-stream"),
                    )
                    .map_err(|_| {
                        invalid(format!("the field `{name}` has an invalid media type"))
                    })?;
                form = form.part(name, part);
                continue;
            }
            Value::Array(_) => {
                return Err(invalid(format!(
                    "the field `{name}` is a list, which a form part cannot carry"
                )));
            }
        };
        form = form.text(name, text);
    }
    Ok(form)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_upload_round_trips_through_json_and_hides_its_content() {
        let upload = Upload::new("id.jpg", "image/jpeg", &b"\xff\xd8\xff"[..]);
        let json = serde_json::to_string(&upload).unwrap();
        assert_eq!(
            json,
            r#"{"fileName":"id.jpg","contentType":"image/jpeg","content":"/9j/"}"#
        );
        assert_eq!(json.parse::<Upload>().unwrap(), upload);
        assert_eq!(
            format!("{upload:?}"),
            r#"Upload { file_name: "id.jpg", content_type: Some("image/jpeg"), bytes: 3 }"#
        );
    }

    #[test]
    fn a_field_that_fits_no_part_is_named() {
        let error = form(br#"{"userPhone": "1", "tags": [1]}"#).unwrap_err();
        assert!(error.to_string().contains("`tags` is a list"), "{error}");
        let error = form(br#"{"object": {"fileName": "a"}}"#).unwrap_err();
        assert!(
            error.to_string().contains("`object` is not a file"),
            "{error}"
        );
        assert!(form(b"[1]").is_err());
        assert!(form(br#"{"userPhone": "1", "n": 2, "b": true, "x": null}"#).is_ok());
    }
}
