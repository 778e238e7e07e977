//! A response body read as its operation says: the envelope opened into the data, or into the
//! error it reports; and the erased request and response types tools drive operations with.

use std::marker::PhantomData;

use serde::Serialize;
use serde::de::{DeserializeOwned, IgnoredAny, IntoDeserializer};
use serde_json::value::RawValue;

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

    fn response_as_sent(&self, op: &Operation<'_>, body: &[u8]) -> Result<Box<RawValue>, Error> {
        decode::<T>(body, op)?;
        if op.returns_nothing {
            return Ok(RawValue::NULL.to_owned());
        }
        match decode::<Box<RawValue>>(body, op) {
            Err(e) if matches!(e.kind(), ErrorKind::MissingData) => Ok(RawValue::NULL.to_owned()),
            data => data,
        }
    }
}

impl<B, T> std::fmt::Debug for Types<B, T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(std::any::type_name::<Self>())
    }
}

/// Turns an envelope into its data, or the API error it reports ([`Envelope::is_success`]).
/// With `data_optional` (an operation that returns nothing) a success without data is its
/// whole answer.
fn open<T: DeserializeOwned>(envelope: Envelope<T>, data_optional: bool) -> Result<T, Error> {
    if envelope.is_success() {
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
        && !envelope.is_success()
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
    use crate::codes::{Category, ErrorCode};
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
            rules: &[],
            codec: &Types::<serde_json::Value, ()>::NEW,
            open_api: None,
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

    fn api_error(body: &str) -> Error {
        let error = decode::<i64>(body.as_bytes(), &PLAIN).unwrap_err();
        assert!(matches!(error.kind(), ErrorKind::Api(_)), "{error}");
        error
    }

    #[test]
    fn an_envelope_without_ok_is_read_by_its_code() {
        assert_eq!(
            decode::<i64>(br#"{"code":"0","data":5}"#, &PLAIN).unwrap(),
            5
        );
        let refused = api_error(r#"{"code":"00012001","message":"bad sign","data":null}"#);
        assert_eq!(refused.code(), Some(ErrorCode::OPEN_API_00012001));
        assert!(refused.is_auth() && !refused.is_retryable());
        let ErrorKind::Api(api) = refused.kind() else {
            unreachable!()
        };
        assert_eq!((api.code.as_str(), api.biz_code.as_str()), ("00012001", ""));
        // A failure's data need not have the success type.
        let busy = api_error(r#"{"code":"GATEWAY_CODE_018","bizCode":"G","data":"x"}"#);
        assert_eq!(busy.code(), Some(ErrorCode::GGATEWAY_CODE_018));
        assert!(busy.is_retryable());
    }

    #[test]
    fn ok_true_with_an_error_code_is_a_failure() {
        let body = r#"{"ok":true,"fail":false,"code":"50004","bizCode":"PASS_TO_CREDIT",
            "msg":"exists","data":null}"#;
        let error = api_error(body);
        assert_eq!(error.code(), Some(ErrorCode::PASS_TO_CREDIT50004));
        assert!(
            error
                .to_string()
                .starts_with("API error 50004 (bizCode PASS_TO_CREDIT): exists [")
        );
        // Even with data of the success type.
        let error = api_error(r#"{"ok":true,"code":"E000029","bizCode":"CFD","data":5}"#);
        assert_eq!(error.code(), Some(ErrorCode::CFDWBWE000029));
        assert_eq!(error.code().unwrap().category(), Some(Category::Trading));
    }

    #[test]
    fn an_undocumented_code_reaches_the_caller_unchanged() {
        let error = api_error(r#"{"ok":false,"code":"NEW_9","bizCode":"ZZ","msg":"new"}"#);
        let code = error.code().unwrap();
        assert_eq!(code.as_str(), "ZZNEW_9");
        assert_eq!((code.category(), code.meaning()), (None, None));
        assert_eq!(code.to_string().parse::<ErrorCode>().unwrap(), code);
        assert!(!error.is_retryable() && !error.is_auth());
        assert_eq!(error.to_string(), "API error NEW_9 (bizCode ZZ): new");
        // A failure without any code has none to give.
        assert_eq!(api_error(r#"{"ok":false}"#).code(), None);
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
