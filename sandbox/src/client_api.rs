//! The Client API: a customer's login, and the one-time exchange of its token.

use serde::Deserialize;
use serde_json::{Value, json};

use crate::context::{Call, Shared};
use crate::envelope::Failure;
use crate::examples;
use crate::model::state::{Customer, LoginToken, Session, new_token};

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Login {
    #[serde(rename = "type")]
    type_: i32,
    login_name: String,
    phone_area: Option<String>,
    login_pwd: Option<String>,
}

/// `login`: checks the MD5 password and issues a login token, which the web iframe carries as
/// `tsource` and which can be exchanged once.
pub(crate) fn login(shared: &Shared, call: &Call<'_>) -> Result<Value, Failure> {
    let request: Login = call.body()?;
    let Some(pwd) = request.login_pwd else {
        return Err(Failure::invalid(
            "`loginPwd` is required: the sandbox models password login only",
        ));
    };
    let ttl = shared.expiry(shared.config.login_token_ttl);
    shared.change(|state, now| {
        let matches = |c: &&Customer| match request.type_ {
            1 => c.email.as_deref() == Some(request.login_name.as_str()),
            2 => {
                c.phone.as_deref() == Some(request.login_name.as_str())
                    && (request.phone_area.is_none() || c.phone_area == request.phone_area)
            }
            3 => c.customer_no == request.login_name,
            _ => false,
        };
        if !(1..=3).contains(&request.type_) {
            return Err(Failure::invalid(format!(
                "`type` {} is not 1 (email), 2 (phone) or 3 (customer number)",
                request.type_
            )));
        }
        let customer = state
            .customers
            .iter()
            .find(matches)
            .filter(|c| c.pwd_md5.eq_ignore_ascii_case(&pwd))
            .ok_or_else(Failure::wrong_password)?
            .clone();
        let token = new_token();
        state.login_tokens.insert(
            token.clone(),
            LoginToken {
                customer_no: customer.customer_no.clone(),
                expires_ms: ttl,
                exchanged: false,
            },
        );
        Ok(login_data(
            &customer,
            &shared.config.company_id,
            &token,
            now,
        ))
    })
}

/// The login response's `data`: the documented example's shape with this customer's values.
fn login_data(customer: &Customer, company_id: &str, token: &str, now: i64) -> Value {
    let mut data = examples::data("client/login.response.json").clone();
    examples::overwrite(
        &mut data,
        json!({
            "token": token,
            "rToken": new_token().replace('-', ""),
            "id": customer.id,
            "customerNo": customer.customer_no,
            "customerGroupId": customer.customer_group_id,
            "country": customer.country,
            "email": customer.email,
            "phone": customer.phone,
            "phoneArea": customer.phone_area,
            "registerSource": customer.register_source,
            "thirdServerCode": customer.third_server_code.clone().unwrap_or_default(),
            "companyId": company_id.parse::<i64>().unwrap_or_default(),
            "registerTime": customer.create_time,
            "createTime": customer.create_time,
            "loginTime": now,
            "accountList": [],
        }),
    );
    data
}

/// `replacement_token` (`/global/thirdExt/randomKey`): exchanges a login token, once, for a
/// session token. A second exchange, an unknown or an expired token is refused.
pub(crate) fn replacement_token(shared: &Shared, call: &Call<'_>) -> Result<Value, Failure> {
    let (_, session) = exchange(shared, call.token()?)?;
    Ok(Value::String(session))
}

/// The customer whose login or session token the call carries; an unknown or expired one is
/// refused as upstream refuses an expired login. A call by an operation's Open API route acts
/// for its API key's customer, once its signature is checked.
pub(crate) fn signed_in(shared: &Shared, call: &Call<'_>) -> Result<String, Failure> {
    if call.open_api {
        return crate::open_api::verify(shared, call);
    }
    let token = call.token()?;
    let now = shared.now_ms();
    shared
        .read(|state| crate::model::state::signed_in(state, token, now))
        .ok_or_else(Failure::login_expired)
}

/// Spends a login token; returns its customer number and the new session token.
pub(crate) fn exchange(shared: &Shared, one_time: &str) -> Result<(String, String), Failure> {
    shared.change(|state, now| {
        let login = state
            .login_tokens
            .get_mut(one_time)
            .filter(|t| !t.exchanged && t.expires_ms > now)
            .ok_or_else(Failure::token_verification)?;
        login.exchanged = true;
        let customer_no = login.customer_no.clone();
        let session = new_token();
        state.sessions.insert(
            session.clone(),
            Session {
                customer_no: customer_no.clone(),
            },
        );
        Ok((customer_no, session))
    })
}
