//! A response body read as its operation says: the envelope opened into the data, or into the
//! error it reports; and the erased request and response types tools drive operations with.

use std::marker::PhantomData;

use serde::Serialize;
use serde::de::{DeserializeOwned, IgnoredAny, IntoDeserializer};

use crate::envelope::{Envelope, QuoteEnvelope};
use crate::error::{ApiError, Error, ErrorKind, excerpt};
use crate::operation::{Codec, EnvelopeKind, Operation};

/// The body of an operation that takes no parameters: `{}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct EmptyBody;

impl Serialize for EmptyBody {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        serializer.serialize_map(Some(0))?.end()
    }
}

/// Any JSON value, ignored: the request of an operation without one, as tools write it
/// (`{}`).
impl<'de> serde::Deserialize<'de> for EmptyBody {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        IgnoredAny::deserialize(deserializer).map(|_| EmptyBody)
    }
}

/// Decodes a response body of `op`: the operation's data, or the error the body amounts to.
///
/// The data of an operation whose successful answer carries none (`x-mm-returns: nothing`)
/// is read from nothing (`()`), whatever `data` holds.
pub fn decode<T: DeserializeOwned>(body: &[u8], op: &Operation<'_>) -> Result<T, Error> {
    if op.returns_nothing {
        return match envelope::<IgnoredAny>(body, op.envelope) {
            Ok(envelope) => open(envelope, true).and_then(|_| from_nothing()),
            Err(e) => Err(undecodable::<IgnoredAny>(body, op.envelope, e)),
        };
    }
    match envelope::<T>(body, op.envelope) {
        Ok(envelope) => open(envelope, false),
        Err(e) => Err(undecodable::<T>(body, op.envelope, e)),
    }
}

fn envelope<T: DeserializeOwned>(
    body: &[u8],
    kind: EnvelopeKind,
) -> Result<Envelope<T>, serde_json::Error> {
    match kind {
        EnvelopeKind::Platform => serde_json::from_slice::<Envelope<T>>(body),
        EnvelopeKind::Quote => {
            serde_json::from_slice::<QuoteEnvelope<T>>(body).map(QuoteEnvelope::into_envelope)
        }
    }
}

/// `T` read from no value: `()` or an `Option`.
fn from_nothing<T: DeserializeOwned>() -> Result<T, Error> {
    T::deserialize(().into_deserializer()).map_err(|e: serde::de::value::Error| {
        ErrorKind::Decode {
            path: "data".into(),
            message: e.to_string(),
        }
        .into()
    })
}

/// An operation's request type `B` and data type `T`, as its [`Operation::codec`].
pub struct Types<B, T>(PhantomData<fn() -> (B, T)>);

impl<B, T> Types<B, T> {
    /// The codec of `B` and `T`.
    pub const NEW: Self = Self(PhantomData);
}

impl<B, T> Codec for Types<B, T>
where
    B: Serialize + DeserializeOwned,
    T: Serialize + DeserializeOwned,
{
    fn request(&self, json: &[u8]) -> Result<Vec<u8>, serde_json::Error> {
        serde_json::to_vec(&serde_json::from_slice::<B>(json)?)
    }

    fn response(&self, op: &Operation<'_>, body: &[u8]) -> Result<serde_json::Value, Error> {
        serde_json::to_value(decode::<T>(body, op)?).map_err(|e| {
            ErrorKind::Decode {
                path: "data".into(),
                message: e.to_string(),
            }
            .into()
        })
    }
}

impl<B, T> std::fmt::Debug for Types<B, T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(std::any::type_name::<Self>())
    }
}

/// Turns an envelope into its data, or the API error it reports. With `data_optional` (an
/// operation that returns nothing) a success without data is its whole answer.
fn open<T: DeserializeOwned>(envelope: Envelope<T>, data_optional: bool) -> Result<T, Error> {
    if envelope.ok && !envelope.fail {
        return match envelope.data {
            Some(data) => Ok(data),
            None if data_optional => from_nothing(),
            None => Err(ErrorKind::MissingData.into()),
        };
    }
    Err(Error::new(ErrorKind::Api(ApiError {
        code: envelope.code,
        biz_code: envelope.biz_code,
        msg: envelope.msg,
        msg_params: envelope.msg_params,
        server_trace: envelope.trace,
    })))
}

fn undecodable<T: DeserializeOwned>(
    body: &[u8],
    kind: EnvelopeKind,
    e: serde_json::Error,
) -> Error {
    // A failure's `data` need not have the success type (upstream puts the bizType string
    // there): a failure envelope is an API error whatever its `data`.
    if let Ok(envelope) = envelope::<serde_json::Value>(body, kind)
        && (!envelope.ok || envelope.fail)
        && let Err(error) = open(envelope, false)
    {
        return error;
    }
    let kind = if serde_json::from_slice::<IgnoredAny>(body).is_err() {
        ErrorKind::NotJson {
            status: 200,
            body: excerpt(body),
        }
    } else {
        // Decode again to learn where it failed; `e` only knows line and column.
        let mut de = serde_json::Deserializer::from_slice(body);
        let located = match kind {
            EnvelopeKind::Platform => {
                serde_path_to_error::deserialize::<_, Envelope<T>>(&mut de).map(drop)
            }
            EnvelopeKind::Quote => {
                serde_path_to_error::deserialize::<_, QuoteEnvelope<T>>(&mut de).map(drop)
            }
        };
        let path = match located {
            Err(located) => located.path().to_string(),
            Ok(()) => String::from("."),
        };
        ErrorKind::Decode {
            path,
            message: e.to_string(),
        }
    };
    Error::new(kind).with_source(e)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::operation::{Credential, Encoding};

    const fn operation(returns_nothing: bool) -> Operation<'static> {
        Operation {
            api: crate::Api::Client,
            id: "test",
            group: "test",
            method: http::Method::POST,
            path: "/test",
            headers: &[],
            query: &[],
            encoding: Encoding::Json,
            envelope: EnvelopeKind::Platform,
            credential: Credential::None,
            effect: crate::Effect::Read,
            returns_nothing,
            paging: None,
            codec: &Types::<serde_json::Value, ()>::NEW,
        }
    }
    static PLAIN: Operation<'static> = operation(false);
    static NOTHING: Operation<'static> = operation(true);

    fn envelope(ok: bool, data: &str) -> String {
        format!(
            r#"{{"msg":"m","fail":{},"trace":"t","code":"{}","data":{data},"bizCode":"",
            "tm":1,"msgParams":null,"ok":{ok},"extra":[1]}}"#,
            !ok,
            if ok { "0" } else { "G500" }
        )
    }

    fn kind(body: &str) -> ErrorKind {
        decode::<i64>(body.as_bytes(), &PLAIN)
            .unwrap_err()
            .kind()
            .clone()
    }

    #[test]
    fn decode_tells_data_failures_and_garbage_apart() {
        assert_eq!(
            decode::<i64>(envelope(true, "5").as_bytes(), &PLAIN).unwrap(),
            5
        );
        assert_eq!(kind(&envelope(true, "null")), ErrorKind::MissingData);
        assert!(
            matches!(kind(&envelope(false, r#""x""#)), ErrorKind::Api(api) if api.code == "G500")
        );
        assert!(
            matches!(kind(&envelope(true, r#""x""#)), ErrorKind::Decode { path, .. } if path == "data")
        );
        assert_eq!(
            kind(r#"{"msg":"#),
            ErrorKind::NotJson {
                status: 200,
                body: r#"{"msg":"#.into()
            }
        );
    }

    #[test]
    fn an_operation_that_returns_nothing_succeeds_with_any_data_or_none() {
        for data in ["null", r#"{"a":1}"#, r#""text""#] {
            decode::<()>(envelope(true, data).as_bytes(), &NOTHING).unwrap();
        }
        let failure = decode::<()>(envelope(false, "null").as_bytes(), &NOTHING).unwrap_err();
        assert!(matches!(failure.kind(), ErrorKind::Api(api) if api.code == "G500"));
    }
}
