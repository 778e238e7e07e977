//! Open API keys (verification codes, `applyApi`, `editApiPermission`, `delApi`) and the Open
//! API calls they sign, with the signature checked as the docs' "Sign" page describes.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use rsa::RsaPublicKey;
use rsa::pkcs1v15::{Signature, VerifyingKey};
use rsa::pkcs8::DecodePublicKey;
use rsa::signature::Verifier;
use serde::Deserialize;
use serde_json::value::RawValue;
use serde_json::{Value, json};
use sha1::Sha1;

use crate::context::{Call, Shared};
use crate::envelope::Failure;
use crate::examples;
use crate::model::state::{ApiKey, MsgToken, new_token, signed_in};

/// Accepted distance between `timestamp` and the sandbox's clock when `recvWindow` is absent.
const DEFAULT_RECV_WINDOW_MS: i64 = 5000;

/// `send_verify_code`: a ticket (`sendToken`) to send back with the code. The sandbox sends
/// nothing: the code is always [`Config::verify_code`](crate::Config::verify_code).
pub(crate) fn send_verify_code(shared: &Shared, call: &Call<'_>) -> Result<Value, Failure> {
    call.body::<Value>()?;
    let expires = shared.expiry(shared.config.login_token_ttl);
    shared.change(|state, _| {
        let ticket = new_token();
        state.send_tokens.insert(ticket.clone(), expires);
        Ok(json!({ "token": ticket }))
    })
}

/// The verification fields `applyApi` and `editApiPermission` carry.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Confirmation {
    google_code: Option<String>,
    phone_code: Option<String>,
    phone_send_token: Option<String>,
    email_code: Option<String>,
    email_send_token: Option<String>,
}

impl Confirmation {
    /// At least one code, each with its ticket where it needs one, all correct.
    fn check(&self, shared: &Shared, state: &crate::model::state::State) -> Result<(), Failure> {
        let code = shared.config.verify_code.as_str();
        let ticket = |t: &Option<String>| {
            t.as_ref()
                .is_some_and(|t| state.send_tokens.contains_key(t))
        };
        let checks = [
            self.google_code.as_ref().map(|c| c == code),
            self.phone_code
                .as_ref()
                .map(|c| c == code && ticket(&self.phone_send_token)),
            self.email_code
                .as_ref()
                .map(|c| c == code && ticket(&self.email_send_token)),
        ];
        let given: Vec<bool> = checks.into_iter().flatten().collect();
        if given.is_empty() || given.contains(&false) {
            return Err(Failure::verify_code());
        }
        Ok(())
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Apply {
    tag: String,
    #[serde(flatten)]
    confirmation: Confirmation,
}

/// `apply_api`: a new key for the signed-in customer. Every key the sandbox issues uses the
/// key pair of the docs' `applyApi` example, so never use one outside the sandbox.
pub(crate) fn apply_api(shared: &Shared, call: &Call<'_>) -> Result<Value, Failure> {
    let request: Apply = call.body()?;
    let token = call.token()?.to_owned();
    let ttl = shared.config.api_key_ttl;
    let expires = shared.expiry(ttl);
    let company_id: i64 = shared.config.company_id.parse().unwrap_or_default();
    shared.change(|state, now| {
        let customer_no = signed_in(state, &token, now).ok_or_else(Failure::login_expired)?;
        request.confirmation.check(shared, state)?;
        let customer_id = state.customer(&customer_no).map_or(0, |c| c.id);
        let key = ApiKey {
            id: state.api_keys.len() as i64 + 1,
            customer_no,
            tag: request.tag,
            permissions: vec![
                ("ready_only".into(), 1),
                ("trade".into(), 2),
                ("contract_trade".into(), 2),
                ("captial_out".into(), 2),
            ],
            created_ms: now,
            expires_ms: expires,
        };
        let api_key = new_token().replace('-', "");
        let mut data = examples::data("client/apply_api.response.json").clone();
        examples::overwrite(
            &mut data,
            json!({
                "apiKey": api_key, "id": key.id, "tag": key.tag, "customerNo": key.customer_no,
                "customerId": customer_id, "companyId": company_id, "createTime": now,
                "updateTime": now, "expiredTime": expires, "withdrawTime": now,
                "validityDays": ttl.as_secs() / 86_400, "permissionDTOList": permissions(&key),
            }),
        );
        state.api_keys.insert(api_key, key);
        Ok(data)
    })
}

fn permissions(key: &ApiKey) -> Value {
    let template = examples::data("client/apply_api.response.json")["permissionDTOList"].clone();
    let mut list = template.as_array().cloned().unwrap_or_default();
    for entry in &mut list {
        let status = key
            .permissions
            .iter()
            .find(|(code, _)| entry["code"] == code.as_str())
            .map(|(_, status)| *status);
        if let Some(status) = status {
            entry["status"] = status.into();
        }
    }
    Value::Array(list)
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Edit {
    id: i64,
    tag: Option<String>,
    permission_list: Option<Vec<Permission>>,
    #[serde(flatten)]
    confirmation: Confirmation,
}

#[derive(Deserialize)]
struct Permission {
    code: String,
    status: i32,
}

/// `set_api_permissions` (`editApiPermission`): changes a key of the signed-in customer.
pub(crate) fn set_api_permissions(shared: &Shared, call: &Call<'_>) -> Result<Value, Failure> {
    let request: Edit = call.body()?;
    let token = call.token()?.to_owned();
    shared.change(|state, now| {
        let customer_no = signed_in(state, &token, now).ok_or_else(Failure::login_expired)?;
        request.confirmation.check(shared, state)?;
        let key = state
            .api_keys
            .values_mut()
            .find(|k| k.id == request.id && k.customer_no == customer_no)
            .ok_or_else(|| Failure::not_found(format!("API key {}", request.id)))?;
        if let Some(tag) = request.tag {
            key.tag = tag;
        }
        for permission in request.permission_list.into_iter().flatten() {
            match key
                .permissions
                .iter_mut()
                .find(|(code, _)| *code == permission.code)
            {
                Some((_, status)) => *status = permission.status,
                None => key.permissions.push((permission.code, permission.status)),
            }
        }
        Ok(Value::Null)
    })
}

#[derive(Deserialize)]
struct Delete {
    id: i64,
}

/// `delete_api` (`delApi`): removes a key of the signed-in customer; it stops working at once.
pub(crate) fn delete_api(shared: &Shared, call: &Call<'_>) -> Result<Value, Failure> {
    let request: Delete = call.body()?;
    let token = call.token()?.to_owned();
    shared.change(|state, now| {
        let customer_no = signed_in(state, &token, now).ok_or_else(Failure::login_expired)?;
        let before = state.api_keys.len();
        state
            .api_keys
            .retain(|_, k| !(k.id == request.id && k.customer_no == customer_no));
        if state.api_keys.len() == before {
            return Err(Failure::not_found(format!("API key {}", request.id)));
        }
        Ok(Value::Null)
    })
}

/// `open_msg_token`: a fresh token for the message WebSocket (`/openapi-c/openMsg/{appId}`),
/// once the signature checks out. Each call issues another, valid for
/// [`Config::msg_token_ttl`](crate::Config::msg_token_ttl) on the sandbox's clock; it looks
/// like the docs' (`<uuid>app`).
pub(crate) fn open_msg_token(shared: &Shared, call: &Call<'_>) -> Result<Value, Failure> {
    let customer_no = verify(shared, call)?;
    let expires_ms = shared.expiry(shared.config.msg_token_ttl);
    shared.change(|state, _| {
        let token = format!("{}app", new_token());
        state.msg_tokens.insert(
            token.clone(),
            MsgToken {
                customer_no,
                expires_ms,
            },
        );
        Ok(Value::String(token))
    })
}

/// `open_customer_info`: the key's customer, once the signature checks out.
pub(crate) fn open_customer_info(shared: &Shared, call: &Call<'_>) -> Result<Value, Failure> {
    let customer_no = verify(shared, call)?;
    shared.read(|state| {
        let customer = state
            .customer(&customer_no)
            .ok_or_else(|| Failure::not_found(format!("customer {customer_no}")))?;
        let company_id = shared.config.company_id.parse::<i64>().unwrap_or_default();
        Ok(json!({
            "id": customer.id, "companyId": company_id,
            "customerGroupId": customer.customer_group_id,
            "customerNo": customer.customer_no, "email": customer.email,
            "phone": customer.phone, "phoneArea": customer.phone_area,
            "country": customer.country, "accountList": [],
        }))
    })
}

/// Checks an Open API request's key, time window and SHA1withRSA signature of the body's
/// fields and the timestamp; returns the key's customer number.
pub(crate) fn verify(shared: &Shared, call: &Call<'_>) -> Result<String, Failure> {
    let api_key = call.header("apiKey").unwrap_or_default();
    let (customer_no, expires_ms) = shared.read(|state| {
        state
            .api_keys
            .get(api_key)
            .map(|k| (k.customer_no.clone(), k.expires_ms))
            .ok_or_else(Failure::unknown_api_key)
    })?;
    let now = shared.now_ms();
    if expires_ms <= now {
        return Err(Failure::api_key_expired());
    }
    let timestamp = call.header("timestamp").unwrap_or_default();
    let window = match call.header("recvWindow") {
        Some(w) => w
            .parse::<i64>()
            .map_err(|_| Failure::header("recvWindow", "is not a number of milliseconds"))?,
        None => DEFAULT_RECV_WINDOW_MS,
    };
    let sent_at = timestamp
        .parse::<i64>()
        .map_err(|_| Failure::header("timestamp", "is not milliseconds since the epoch"))?;
    if (now - sent_at).abs() > window {
        return Err(Failure::time_window());
    }
    let body: &RawValue = serde_json::from_slice(call.body).map_err(Failure::invalid)?;
    let signature = BASE64
        .decode(call.header("signature").unwrap_or_default())
        .ok()
        .and_then(|bytes| Signature::try_from(bytes.as_slice()).ok())
        .ok_or_else(Failure::signature)?;
    let message = format!("{}{timestamp}", canonical(body).map_err(Failure::invalid)?);
    VERIFYING_KEY
        .verify(message.as_bytes(), &signature)
        .map_err(|_| Failure::signature())?;
    Ok(customer_no)
}

/// The public half of the sandbox's one key pair (`pubKey` of the docs' example), decoded once.
static VERIFYING_KEY: LazyLock<VerifyingKey<Sha1>> = LazyLock::new(|| {
    let example = examples::data("client/apply_api.response.json");
    let der = BASE64
        .decode(example["pubKey"].as_str().unwrap_or_default())
        .unwrap_or_default();
    let key = RsaPublicKey::from_public_key_der(&der)
        .unwrap_or_else(|e| unreachable!("the docs' example public key is valid: {e}"));
    VerifyingKey::new(key)
});

/// The signed form of a body, per the docs' "Sign" page: fields sorted by name, nulls
/// dropped, `{name:value,...}` with strings unquoted, nested values alike, and numbers as the
/// client wrote them: the platform checks the text it received.
fn canonical(raw: &RawValue) -> Result<String, serde_json::Error> {
    let text = raw.get();
    Ok(if text.starts_with('{') {
        let fields: BTreeMap<String, &RawValue> = serde_json::from_str(text)?;
        let fields = fields
            .into_iter()
            .filter(|(_, value)| value.get() != "null")
            .map(|(name, value)| Ok(format!("{name}:{}", canonical(value)?)))
            .collect::<Result<Vec<_>, serde_json::Error>>()?;
        format!("{{{}}}", fields.join(","))
    } else if text.starts_with('[') {
        let items: Vec<&RawValue> = serde_json::from_str(text)?;
        let items = items
            .into_iter()
            .map(canonical)
            .collect::<Result<Vec<_>, _>>()?;
        format!("[{}]", items.join(","))
    } else if text.starts_with('"') {
        serde_json::from_str(text)?
    } else {
        text.to_owned()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_form_matches_the_docs_example() {
        let body: &RawValue = serde_json::from_str(
            r#"{"companyId": 1, "lang": "zh-CN", "customerNo": "86001308", "x": null,
                "amount": 0.10}"#,
        )
        .unwrap();
        assert_eq!(
            canonical(body).unwrap(),
            "{amount:0.10,companyId:1,customerNo:86001308,lang:zh-CN}"
        );
    }
}
