//! The Manager API: customers, their trading accounts and balances, and the company's basic
//! data.

use rust_decimal::Decimal;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::context::{Call, Shared};
use crate::envelope::Failure;
use crate::examples;
use crate::model::money::{self, Entry};
use crate::model::state::{Account, Customer};
use crate::streams;

/// The longest `thirdServerCode` the docs allow.
const MAX_THIRD_SERVER_CODE: usize = 50;

/// Every Manager call but `authorize` carries the Manager token.
pub(crate) fn check_token(shared: &Shared, call: &Call<'_>) -> Result<(), Failure> {
    if call.token()? == shared.config.manager_token {
        Ok(())
    } else {
        Err(Failure::login_expired())
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Authorize {
    app_id: String,
    app_secret: String,
}

/// `authorize`: the company record, with the Manager token, for the right app credentials.
pub(crate) fn authorize(shared: &Shared, call: &Call<'_>) -> Result<Value, Failure> {
    let request: Authorize = call.body()?;
    let app = &shared.config.manager_app;
    if request.app_id != app.id || request.app_secret != app.secret {
        return Err(Failure::no_access());
    }
    let config = &shared.config;
    let id = config.company_id.parse::<i64>().unwrap_or_default();
    Ok(json!({
        "code": format!("sandbox{id}"), "startNumber": 86_000_001, "tradeTypes": "1,2,5",
        "timezone": 8, "bgImage": null, "publicKey": null, "bizName": "Sandbox",
        "updateBy": null, "appId": app.id, "logo": null, "id": id, "lang": "en-US",
        "adminPassword": null, "adImage": null, "adminRoleId": null, "adminUserId": null,
        "tradeTypeList": [], "strId": id.to_string(), "endNumber": 86_999_999,
        "updateTime": null, "stpLoginUser": null, "initProgress": null, "revision": 1,
        "token": config.manager_token, "demoInitialAmount": null, "stpAccount": null,
        "codeMd5": null, "stpPassword": null, "createBy": null, "createTime": null,
        "domain": null, "name": "Sandbox", "appSecret": "", "dataSourceType": null,
        "dbPassword": null, "status": 1, "companyType": "real", "associationCompanyId": null,
    }))
}

/// `customer_group`: the one default group (id 1) every registration may use.
pub(crate) fn customer_group(shared: &Shared, call: &Call<'_>) -> Result<Value, Failure> {
    check_token(shared, call)?;
    Ok(json!([{
        "id": 1, "name": "Default", "openAccountType": 1, "type": 0, "tradeType": 1,
        "assets": "USDT",
    }]))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Register {
    email: Option<String>,
    phone: Option<String>,
    phone_area: Option<String>,
    pwd: String,
    country: String,
    customer_group_id: i64,
    register_source: i32,
    #[serde(default)]
    trade_type_currency_list: Vec<TradeTypeCurrency>,
    remark: Option<String>,
    third_server_code: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct TradeTypeCurrency {
    all_currency: String,
    trade_type: String,
}

/// `register_customer` (`addCusAndOpenAccountAndKyc`): a new customer with a trading account
/// per requested currency; its customer number is the answer. Emits the Data Push events
/// `register` and one `open_account` per account.
pub(crate) fn register_customer(shared: &Shared, call: &Call<'_>) -> Result<Value, Failure> {
    check_token(shared, call)?;
    let request: Register = call.body()?;
    let is_md5_hex = request.pwd.len() == 32
        && request
            .pwd
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
    if !is_md5_hex {
        return Err(Failure::invalid(
            "`pwd` must be the password's MD5 digest in lower-case hex (32 characters)",
        ));
    }
    let email = request.email.filter(|e| !e.is_empty());
    let phone = request.phone.filter(|p| !p.is_empty());
    if email.is_none() && phone.is_none() {
        return Err(Failure::email_or_phone());
    }
    if request
        .third_server_code
        .as_ref()
        .is_some_and(|code| code.chars().count() > MAX_THIRD_SERVER_CODE)
    {
        return Err(Failure::invalid(
            "`thirdServerCode` is longer than 50 characters",
        ));
    }
    let mut wanted = Vec::new();
    for entry in &request.trade_type_currency_list {
        let trade_type = entry.trade_type.parse::<i32>().map_err(|_| {
            Failure::invalid(format!(
                "`tradeType` `{}` is not a number",
                entry.trade_type
            ))
        })?;
        for currency in entry.all_currency.split(',').map(str::trim) {
            wanted.push((trade_type, currency.to_owned()));
        }
    }
    let customer = shared.change(|state, now| {
        if email.is_some() && state.customers.iter().any(|c| c.email == email) {
            return Err(Failure::email_exists());
        }
        if phone.is_some() && state.customers.iter().any(|c| c.phone == phone) {
            return Err(Failure::phone_exists());
        }
        let first_account = state.next_account_id();
        let customer = Customer {
            id: state.customers.len() as i64 + 1,
            customer_no: state.next_customer_no(),
            email,
            phone_area: phone
                .as_ref()
                .map(|_| request.phone_area.unwrap_or_else(|| "+86".into())),
            phone,
            pwd_md5: request.pwd,
            country: request.country,
            customer_group_id: request.customer_group_id,
            register_source: request.register_source,
            third_server_code: request.third_server_code,
            remark: request.remark,
            create_time: now,
            accounts: wanted
                .into_iter()
                .zip(first_account..)
                .map(|((trade_type, currency), account_id)| Account {
                    account_id,
                    trade_type,
                    currency,
                    balance: Decimal::ZERO,
                    ledger: Vec::new(),
                    create_time: now,
                })
                .collect(),
        };
        state.customers.push(customer.clone());
        Ok(customer)
    })?;
    streams::events::registered(shared, &customer);
    Ok(Value::String(customer.customer_no))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct CustomerList {
    customer_no: Option<String>,
}

/// `customer_list`: the customers, oldest first (the one asked for, if the call names one).
pub(crate) fn customers(shared: &Shared, call: &Call<'_>) -> Result<Vec<Value>, Failure> {
    check_token(shared, call)?;
    let request: CustomerList = call.body()?;
    let company_id = shared.company_id();
    shared.read(|state| {
        let rows = state
            .customers
            .iter()
            .filter(|c| {
                request
                    .customer_no
                    .as_ref()
                    .is_none_or(|no| &c.customer_no == no)
            })
            .map(|c| customer_summary(c, company_id));
        Ok(rows.collect())
    })
}

fn customer_summary(customer: &Customer, company_id: i64) -> Value {
    let mut record = examples::data("manager/customer_list.response.json")["records"][0].clone();
    examples::overwrite(&mut record, customer_fields(customer, company_id));
    record
}

/// The fields the customer records of `customer_list` and `customer_info` share.
fn customer_fields(customer: &Customer, company_id: i64) -> Value {
    json!({
        "id": customer.id,
        "customerNo": customer.customer_no,
        "companyId": company_id,
        "email": customer.email.clone().unwrap_or_default(),
        "phone": customer.phone.clone().unwrap_or_default(),
        "phoneArea": customer.phone_area.clone().unwrap_or_default(),
        "customerGroupId": customer.customer_group_id,
        "registerSource": customer.register_source,
        "remark": customer.remark.clone().unwrap_or_default(),
        "createTime": customer.create_time,
        "updateTime": customer.create_time,
        "status": 1,
    })
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct CustomerInfo {
    customer_no: String,
}

/// `customer_info`: one customer's profile.
pub(crate) fn customer_info(shared: &Shared, call: &Call<'_>) -> Result<Value, Failure> {
    check_token(shared, call)?;
    let request: CustomerInfo = call.body()?;
    let company_id = shared.company_id();
    shared.read(|state| {
        let customer = state
            .customer(&request.customer_no)
            .ok_or_else(|| Failure::not_found(format!("customer {}", request.customer_no)))?;
        let mut info = examples::data("manager/customer_info.response.json").clone();
        examples::overwrite(&mut info, customer_fields(customer, company_id));
        examples::overwrite(
            &mut info,
            json!({
                "country": customer.country,
                "registerTime": customer.create_time,
                "thirdServerCode": customer.third_server_code.clone().unwrap_or_default(),
            }),
        );
        Ok(info)
    })
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct GetBalance {
    customer_no: String,
    trade_type: i32,
}

/// `get_balance`: the customer's trading accounts of one trading mode.
pub(crate) fn get_balance(shared: &Shared, call: &Call<'_>) -> Result<Value, Failure> {
    check_token(shared, call)?;
    let request: GetBalance = call.body()?;
    let company_id = shared.company_id();
    shared.read(|state| {
        let customer = state
            .customer(&request.customer_no)
            .ok_or_else(|| Failure::not_found(format!("customer {}", request.customer_no)))?;
        let template = &examples::data("manager/get_balance.response.json")[0];
        let accounts = customer
            .accounts
            .iter()
            .filter(|a| a.trade_type == request.trade_type)
            .map(|account| {
                let mut row = template.clone();
                let balance = money::amount(account.balance);
                examples::overwrite(
                    &mut row,
                    json!({
                        "accountId": account.account_id, "currency": account.currency,
                        "tradeType": account.trade_type, "customerNo": customer.customer_no,
                        "customerId": customer.id, "companyId": company_id,
                        "balance": balance, "available": balance, "equity": balance,
                        "netAssets": balance, "createTime": account.create_time,
                        "activateTime": account.create_time, "firstDepositTime": null,
                        "notWithdrawAmount": "0.000000",
                    }),
                );
                row
            })
            .collect::<Vec<_>>();
        Ok(Value::Array(accounts))
    })
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct BalanceUpdate {
    customer_no: String,
    account_id: Option<i64>,
    account_currency: String,
    trade_type: i32,
    amount: Decimal,
}

/// `balance_update`: adds `amount` (negative to deduct) to one account, under the state's
/// lock, so concurrent updates all count. A deduction below zero is refused. Emits the Data
/// Push event `account_adjust`.
pub(crate) fn balance_update(shared: &Shared, call: &Call<'_>) -> Result<Value, Failure> {
    check_token(shared, call)?;
    let request: BalanceUpdate = call.body()?;
    let account = shared.change(|state, now| {
        let account = state
            .existing_customer_mut(&request.customer_no)?
            .account_mut(
                request.account_id,
                request.trade_type.into(),
                Some(&request.account_currency),
            )?;
        account.post(Entry::Adjustment, request.amount, None, now)?;
        Ok(account.clone())
    })?;
    streams::events::adjusted(shared, &request.customer_no, &account, request.amount);
    Ok(Value::Bool(true))
}
