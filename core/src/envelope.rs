//! The envelope every MultiMarkets response comes in.

use serde::{Deserialize, Serialize};

/// The envelope around every response of the Client, Manager and Auth2 APIs:
/// `{msg, fail, trace, code, data, bizCode, tm, msgParams, ok}`.
///
/// Business failures arrive with HTTP 200 and `ok: false` (and usually `data: null`), so a
/// decoded envelope is not yet a success ([`Envelope::is_success`]); `mm-sdk` turns it into
/// `Result<T, Error>`.
///
/// No field must be present: a server that leaves some out (upstream marks them optional in
/// places, and the Open API's gateway sends no `ok`) still gets its answer decoded, with the
/// text fields empty, the flags false and `ok` `None`. The generated operations return
/// `Envelope<T>` in place of the per-operation envelope schemas of the specs, with `T` the
/// type of that operation's `data`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Envelope<T> {
    /// Human-readable result message ("Success" on success); empty when left out.
    #[serde(default)]
    pub msg: String,
    /// True when the call failed; false when left out.
    #[serde(default)]
    pub fail: bool,
    /// Server-side trace id of the call, for support requests; empty when left out.
    #[serde(default)]
    pub trace: String,
    /// Result code: "0" on success, an error code otherwise; empty when left out.
    #[serde(default)]
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
    /// The server's word on success; `None` when left out (then `code` decides). Not the
    /// whole answer: see [`Envelope::is_success`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ok: Option<bool>,
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

impl<T> Envelope<T> {
    /// True when the envelope reports a success, and says so: `fail` is not `true`, and
    /// either `ok` is `true` with `code` `"0"` or left out, or `ok` is left out and `code` is
    /// `"0"`. So `ok: true` with an error code is a failure, without `ok` the code decides,
    /// and an answer with neither is not taken for a success.
    pub fn is_success(&self) -> bool {
        let zero = self.code == crate::codes::SUCCESS;
        !self.fail
            && match self.ok {
                Some(ok) => ok && (zero || self.code.is_empty()),
                None => zero,
            }
    }
}

impl<T> QuoteEnvelope<T> {
    /// The `ret` of a success.
    pub const SUCCESS: i64 = 200;

    /// The same answer as an [`Envelope`]: when `ret` is 200 a success (`ok`, `code` `"0"`),
    /// otherwise a failure whose `code` is the text of `ret`.
    pub fn into_envelope(self) -> Envelope<T> {
        let ok = self.ret == Self::SUCCESS;
        Envelope {
            msg: self.msg,
            fail: !ok,
            trace: self.trace,
            code: if ok {
                crate::codes::SUCCESS.to_owned()
            } else {
                self.ret.to_string()
            },
            data: self.data,
            biz_code: String::new(),
            tm: None,
            msg_params: None,
            ok: Some(ok),
            class: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn envelope(json: &str) -> Envelope<u32> {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn no_field_is_needed_and_the_missing_ones_read_as_empty() {
        let full = envelope(r#"{"ok": true, "code": "0", "data": 7}"#);
        assert_eq!((full.ok, full.data), (Some(true), Some(7)));
        assert!(full.is_success());
        assert_eq!((full.msg.as_str(), full.trace.as_str()), ("", ""));
        assert_eq!((full.fail, full.tm), (false, None));

        let bare = envelope(r#"{"data": 7}"#);
        assert_eq!(
            (bare.ok, bare.code.as_str(), bare.data),
            (None, "", Some(7))
        );
        // Decoded, but with nothing that says it succeeded.
        assert!(!bare.is_success());
    }

    #[test]
    fn success_needs_ok_or_code_zero_and_fail_not_true() {
        for success in [
            r#"{"ok": true, "code": "0"}"#,
            r#"{"ok": true, "fail": false}"#,
            r#"{"code": "0"}"#,
            r#"{"code": "0", "fail": false}"#,
        ] {
            assert!(envelope(success).is_success(), "{success}");
        }
        for failure in [
            r#"{"ok": false, "code": "0"}"#,
            r#"{"ok": true, "fail": true, "code": "0"}"#,
            r#"{"ok": true, "code": "50004", "bizCode": "PASS_TO_CREDIT"}"#,
            r#"{"code": "00012001"}"#,
            r#"{"fail": true}"#,
            r#"{"ok": false}"#,
            r#"{"data": 7}"#,
            r#"{"fail": false}"#,
        ] {
            assert!(!envelope(failure).is_success(), "{failure}");
        }
    }

    #[test]
    fn a_left_out_ok_stays_left_out_when_written() {
        let written = serde_json::to_value(envelope(r#"{"code": "0", "data": 7}"#)).unwrap();
        assert_eq!(written.get("ok"), None);
        assert_eq!(written["data"], 7);
        let written = serde_json::to_value(envelope(r#"{"ok": false, "code": "G500"}"#)).unwrap();
        assert_eq!(written["ok"], false);
    }

    #[test]
    fn a_quote_envelope_reads_as_an_envelope() {
        let ok: QuoteEnvelope<u32> = serde_json::from_str(r#"{"ret": 200, "data": 7}"#).unwrap();
        let ok = ok.into_envelope();
        assert!(ok.is_success());
        assert_eq!((ok.ok, ok.fail), (Some(true), false));
        assert_eq!((ok.code.as_str(), ok.data), ("0", Some(7)));

        let failed: QuoteEnvelope<u32> =
            serde_json::from_str(r#"{"ret": 402, "msg": "bad token", "trace": "t"}"#).unwrap();
        let failed = failed.into_envelope();
        assert!(!failed.is_success());
        assert_eq!((failed.ok, failed.fail), (Some(false), true));
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
