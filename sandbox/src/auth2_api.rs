//! The Auth2 API: authorization codes, access and refresh tokens, and the user they identify.

use serde::Deserialize;
use serde_json::{Value, json};

use crate::context::{Call, Shared};
use crate::envelope::Failure;
use crate::examples;
use crate::model::state::{AuthCode, Grant, State, new_token, signed_in};

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct CodeRequest {
    app_id: String,
}

/// `auth_code`: what the trading UI calls when a signed-in customer authorizes an app.
pub(crate) fn auth_code(shared: &Shared, call: &Call<'_>) -> Result<Value, Failure> {
    let request: CodeRequest = call.body()?;
    let token = call.token()?.to_owned();
    issue_code(shared, &token, &request.app_id).map(Value::String)
}

/// Issues an authorization code to `app_id` for the customer signed in with `token` (a login
/// or session token).
pub(crate) fn issue_code(shared: &Shared, token: &str, app_id: &str) -> Result<String, Failure> {
    if app_id != shared.config.auth2_app.id {
        return Err(Failure::no_access());
    }
    let expires_ms = shared.expiry(shared.config.auth_code_ttl);
    shared.change(|state, now| {
        let customer_no = signed_in(state, token, now).ok_or_else(Failure::login_expired)?;
        let code = new_token();
        state.auth_codes.insert(
            code.clone(),
            AuthCode {
                customer_no,
                app_id: app_id.to_owned(),
                expires_ms,
            },
        );
        Ok(code)
    })
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct TokenRequest {
    app_id: String,
    app_secret: String,
    code: String,
}

/// `access_token`: exchanges a code, once, for an access and a refresh token.
pub(crate) fn access_token(shared: &Shared, call: &Call<'_>) -> Result<Value, Failure> {
    let request: TokenRequest = call.body()?;
    let app = &shared.config.auth2_app;
    if request.app_id != app.id || request.app_secret != app.secret {
        return Err(Failure::no_access());
    }
    shared.change(|state, now| {
        let code = state
            .auth_codes
            .get(&request.code)
            .filter(|c| c.expires_ms > now && c.app_id == request.app_id)
            .cloned()
            .ok_or_else(|| {
                Failure::invalid("the authorization code is unknown, used or expired")
            })?;
        state.auth_codes.remove(&request.code);
        Ok(grant(shared, state, &code.customer_no, &code.app_id))
    })
}

/// Issues a token pair and answers with it.
fn grant(shared: &Shared, state: &mut State, customer_no: &str, app_id: &str) -> Value {
    let (access, refresh) = (new_token(), new_token());
    let grant = |ttl, access_token: Option<String>| Grant {
        customer_no: customer_no.to_owned(),
        app_id: app_id.to_owned(),
        expires_ms: shared.expiry(ttl),
        access_token,
    };
    state
        .access_tokens
        .insert(access.clone(), grant(shared.config.access_token_ttl, None));
    state.refresh_tokens.insert(
        refresh.clone(),
        grant(shared.config.refresh_token_ttl, Some(access.clone())),
    );
    json!({ "accessToken": access, "refreshToken": refresh })
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct UserRequest {
    access_token: String,
}

/// `user_info`: the customer an access token identifies.
pub(crate) fn user_info(shared: &Shared, call: &Call<'_>) -> Result<Value, Failure> {
    let request: UserRequest = call.body()?;
    let now = shared.now_ms();
    shared.read(|state| {
        let grant = state
            .access_tokens
            .get(&request.access_token)
            .filter(|g| g.expires_ms > now)
            .ok_or_else(Failure::login_expired)?;
        let customer = state
            .customer(&grant.customer_no)
            .ok_or_else(|| Failure::not_found(format!("customer {}", grant.customer_no)))?;
        let mut user = examples::data("auth2/user_info.response.json").clone();
        examples::overwrite(
            &mut user,
            json!({
                "customerNo": customer.customer_no, "email": customer.email,
                "accountId": customer.accounts.first().map_or(0, |a| a.account_id),
                "thirdUserId": "", "thirdLoginSource": "",
            }),
        );
        Ok(user)
    })
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RefreshRequest {
    refresh_token: String,
}

/// `refresh_token`: a new token pair for a valid refresh token. Rotation: the refresh token
/// used and the access token issued with it stop working.
pub(crate) fn refresh_token(shared: &Shared, call: &Call<'_>) -> Result<Value, Failure> {
    let request: RefreshRequest = call.body()?;
    shared.change(|state, now| {
        let old = state
            .refresh_tokens
            .get(&request.refresh_token)
            .filter(|g| g.expires_ms > now)
            .cloned()
            .ok_or_else(Failure::login_expired)?;
        state.refresh_tokens.remove(&request.refresh_token);
        if let Some(access) = &old.access_token {
            state.access_tokens.remove(access);
        }
        Ok(grant(shared, state, &old.customer_no, &old.app_id))
    })
}
