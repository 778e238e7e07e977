//! The envelope every MultiMarkets response comes in.

use serde::{Deserialize, Serialize};

/// The envelope around every response of the Client, Manager and Auth2 APIs:
/// `{msg, fail, trace, code, data, bizCode, tm, msgParams, ok}`.
///
/// Business failures arrive with HTTP 200 and `ok: false` (and usually `data: null`), so a
/// decoded envelope is not yet a success; `mm-sdk` turns it into `Result<T, Error>`.
///
/// Only `ok` and `code` are needed to tell success from failure, so only they must be
/// present: a server that leaves out the others (upstream marks them optional in places)
/// still gets its answer decoded, with the text fields empty and the flags false.
/// The generated operations return `Envelope<T>` in place of the per-operation envelope
/// schemas of the specs, with `T` the type of that operation's `data`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Envelope<T> {
    /// Human-readable result message ("Success" on success); empty when left out.
    #[serde(default)]
    pub msg: String,
    /// True when the call failed; false when left out (then `ok` decides).
    #[serde(default)]
    pub fail: bool,
    /// Server-side trace id of the call, for support requests; empty when left out.
    #[serde(default)]
    pub trace: String,
    /// Result code: "0" on success, an error code otherwise.
    pub code: String,
    /// The operation's result; `None` when the server sent `null` or left it out.
    pub data: Option<T>,
    /// Business error code; empty on success or when left out.
    #[serde(default)]
    pub biz_code: String,
    /// Server processing time in milliseconds; `None` when left out.
    #[serde(default)]
    pub tm: Option<i64>,
    /// Values substituted into `msg`: an array or a comma-separated string (the docs
    /// disagree); `None` when `null` or left out.
    pub msg_params: Option<serde_json::Value>,
    /// True when the call succeeded.
    pub ok: bool,
    /// The Java class name of the server's result object, which some Manager API responses
    /// carry; of no use to clients, kept so that nothing received is lost.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub class: Option<String>,
}

/// The envelope of the Manager API's quote service (`/quote-b-api/...`,
/// `/quote-stock-b-api/...`): `{ret, msg, trace, data}`, `ret` 200 for success.
///
/// Only `ret` is needed; the call reads it as it reads an [`Envelope`] (see
/// [`QuoteEnvelope::into_envelope`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QuoteEnvelope<T> {
    /// The result code: 200 for success.
    pub ret: i64,
    /// Human-readable result message; empty when left out.
    #[serde(default)]
    pub msg: String,
    /// The trace id of the call, as the request carried it; empty when left out.
    #[serde(default)]
    pub trace: String,
    /// The result; `None` when `null` or left out.
    #[serde(default = "none")]
    pub data: Option<T>,
}

fn none<T>() -> Option<T> {
    None
}

impl<T> QuoteEnvelope<T> {
    /// The `ret` of a success.
    pub const SUCCESS: i64 = 200;

    /// The same answer as an [`Envelope`]: `ok` when `ret` is 200, `code` the text of `ret`.
    pub fn into_envelope(self) -> Envelope<T> {
        let ok = self.ret == Self::SUCCESS;
        Envelope {
            msg: self.msg,
            fail: !ok,
            trace: self.trace,
            code: self.ret.to_string(),
            data: self.data,
            biz_code: String::new(),
            tm: None,
            msg_params: None,
            ok,
            class: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_ok_and_code_are_needed() {
        let envelope: Envelope<u32> =
            serde_json::from_str(r#"{"ok": true, "code": "0", "data": 7}"#).unwrap();
        assert!(envelope.ok);
        assert_eq!(envelope.data, Some(7));
        assert_eq!((envelope.msg.as_str(), envelope.trace.as_str()), ("", ""));
        assert_eq!((envelope.fail, envelope.tm), (false, None));

        for missing in [r#"{"code": "0", "data": 7}"#, r#"{"ok": true, "data": 7}"#] {
            let refused = serde_json::from_str::<Envelope<u32>>(missing).unwrap_err();
            assert!(refused.to_string().contains("missing field"), "{refused}");
        }
    }

    #[test]
    fn a_quote_envelope_reads_as_an_envelope() {
        let ok: QuoteEnvelope<u32> = serde_json::from_str(r#"{"ret": 200, "data": 7}"#).unwrap();
        let ok = ok.into_envelope();
        assert!(ok.ok && !ok.fail);
        assert_eq!((ok.code.as_str(), ok.data), ("200", Some(7)));

        let failed: QuoteEnvelope<u32> =
            serde_json::from_str(r#"{"ret": 402, "msg": "bad token", "trace": "t"}"#).unwrap();
        let failed = failed.into_envelope();
        assert!(!failed.ok && failed.fail);
        assert_eq!(
            (
                failed.code.as_str(),
                failed.msg.as_str(),
                failed.trace.as_str()
            ),
            ("402", "bad token", "t")
        );
        assert!(serde_json::from_str::<QuoteEnvelope<u32>>(r#"{"data": 7}"#).is_err());
    }
}
