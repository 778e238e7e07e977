//! The Data Push events the sandbox produces itself, with the fields of upstream's examples
//! (`data_push_register.json`, `data_push_open_account.json`,
//! `data_push_account_adjust.json`, `data_push_deposit.json`).

use rust_decimal::Decimal;
use serde_json::{Value, json};

use crate::context::Shared;
use crate::model::money::number;
use crate::model::proposals::{Deposit, deposit_no};
use crate::model::state::{Account, Customer};

/// A customer registered through the Manager API: `register`, then one `open_account` per
/// trading account opened with it.
pub(crate) fn registered(shared: &Shared, customer: &Customer) {
    let now = shared.now_ms();
    let log = &shared.streams.log;
    log.append(now, "register", register(shared, customer));
    for account in &customer.accounts {
        log.append(now, "open_account", open_account(shared, customer, account));
    }
}

fn register(shared: &Shared, customer: &Customer) -> Value {
    let code = customer.third_server_code.clone().unwrap_or_default();
    json!({
        "companyId": shared.company_id(),
        "country": customer.country,
        "createTime": customer.create_time,
        "customerGroupId": customer.customer_group_id,
        "customerNo": customer.customer_no,
        "ext2": code,
        "ext4": code,
        "id": customer.id.to_string(),
        "kycAuditRemark": "Company has not opened KYC certification, directly passed",
        "kycAuditStatus": 2,
        "language": "en-US",
        "optional": 0,
        "phone": customer.phone.clone().unwrap_or_default(),
        "phoneArea": customer.phone_area.clone().unwrap_or_default(),
        "email": customer.email.clone().unwrap_or_default(),
        "emailArea": "",
        "registerSource": customer.register_source,
        "registerType": if customer.email.is_some() { 1 } else { 2 },
        "status": 1,
    })
}

fn open_account(shared: &Shared, customer: &Customer, account: &Account) -> Value {
    json!({
        "activateStatus": 1,
        "companyId": shared.company_id(),
        "createTime": account.create_time,
        "currency": 1,
        "currencyCode": account.currency,
        "customerId": customer.id,
        "customerNo": customer.customer_no,
        "digits": 6,
        "id": account.account_id.to_string(),
        "status": 2,
        "tradeType": account.trade_type,
        "type": 1,
        "updateTime": account.create_time,
    })
}

/// A balance changed through the Manager API (`balance_update`): `account_adjust`.
pub(crate) fn adjusted(shared: &Shared, customer_no: &str, account: &Account, amount: Decimal) {
    let now = shared.now_ms();
    let id = shared.streams.next_proposal();
    let data = json!({
        "accountCurrency": account.currency,
        "accountId": account.account_id,
        "amount": number(amount),
        "businessType": 60301,
        "checkBy": "admin",
        "checkStatus": 2,
        "companyId": shared.company_id(),
        "createBy": "admin",
        "createTime": now,
        "customerNo": customer_no,
        "id": id.to_string(),
        "proposalNo": format!("A{id:014}"),
        "revision": 2,
        "tradeType": account.trade_type,
        "updateBy": "admin",
        "updateTime": now,
        "withdraw": false,
    });
    shared.streams.log.append(now, "account_adjust", data);
}

/// The `deposit` event of a paid deposit proposal ([`Sandbox::simulate_deposit`](crate::Sandbox)).
pub(crate) fn deposit(shared: &Shared, deposit: &Deposit) -> Value {
    let holder = &deposit.holder;
    let amount = number(deposit.amount);
    json!({
        "accountId": holder.account_id,
        "actualAmount": amount,
        "blockchainName": "",
        "checkStatus": 2,
        "companyId": shared.company_id(),
        "country": holder.country,
        "createBy": holder.customer_no,
        "createTime": holder.create_time,
        "customerNo": holder.customer_no,
        "depositCurrency": holder.currency,
        "depositFee": 0,
        "depositFrom": "H5",
        "depositStatus": 2,
        "finalAmount": amount,
        "fromPaymentAmount": amount,
        "id": deposit.seq.to_string(),
        "intendAmount": amount,
        "notifyStatus": true,
        "paymentChannelClientType": "mobile",
        "paymentCode": deposit.channel_code,
        "paymentCurrency": deposit.payment_currency,
        "paymentStatus": 2,
        "paymentType": deposit.channel_type,
        "proposalNo": deposit_no(deposit.seq),
        "queryMaxCount": 20,
        "revision": 3,
        "toPaymentAmount": amount,
        "toPaymentRate": 1.0,
        "tradeType": holder.trade_type,
        "updateBy": "admin",
        "updateTime": holder.create_time,
    })
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;
    use crate::embedded::EXAMPLES;
    use crate::model::proposals::Holder;

    /// The field names of an upstream example, wherever it lives (`manager/` or `streams/`
    /// under `openapi/examples/`); `None` if it is nowhere.
    fn example_fields(file: &str) -> Option<BTreeSet<String>> {
        let (_, text) = EXAMPLES
            .iter()
            .find(|(name, _)| name.rsplit('/').next() == Some(file))?;
        let example: Value = serde_json::from_str(text).ok()?;
        Some(example["data"].as_object()?.keys().cloned().collect())
    }

    fn fields(value: &Value) -> BTreeSet<String> {
        value
            .as_object()
            .map(|o| o.keys().cloned().collect())
            .unwrap_or_default()
    }

    fn customer() -> Customer {
        Customer {
            id: 1,
            customer_no: "86000001".into(),
            email: Some("a@example.com".into()),
            phone_area: None,
            phone: None,
            pwd_md5: String::new(),
            country: "CN".into(),
            customer_group_id: 1,
            register_source: 4,
            third_server_code: None,
            remark: None,
            create_time: 0,
            accounts: vec![Account {
                account_id: 1_000_001,
                trade_type: 1,
                currency: "USDT".into(),
                balance: Decimal::ZERO,
                ledger: Vec::new(),
                create_time: 0,
            }],
        }
    }

    #[test]
    fn payloads_have_the_fields_of_upstreams_examples() {
        let shared = Shared::for_tests();
        let customer = customer();
        let account = &customer.accounts[0];
        let deposit = Deposit {
            seq: 1,
            holder: Holder {
                customer_no: "86000001".into(),
                customer_group_id: 1,
                country: "CN".into(),
                account_id: account.account_id,
                trade_type: account.trade_type,
                currency: account.currency.clone(),
                remark: None,
                create_time: 0,
            },
            payment_currency: "USDT".into(),
            amount: Decimal::ONE,
            channel_code: "sandbox".into(),
            channel_type: "bank".into(),
            paid: true,
        };
        let built = [
            ("data_push_register.json", register(&shared, &customer)),
            (
                "data_push_open_account.json",
                open_account(&shared, &customer, account),
            ),
            ("data_push_deposit.json", super::deposit(&shared, &deposit)),
        ];
        for (file, payload) in built {
            let expected = example_fields(file).unwrap_or_else(|| panic!("no example {file}"));
            assert_eq!(fields(&payload), expected, "{file}");
        }
        adjusted(&shared, "86000001", account, Decimal::new(5, 0));
        let event = shared
            .streams
            .log
            .next(0, shared.now_ms())
            .expect("appended");
        let event: Value = serde_json::from_str(&event.frame).expect("JSON");
        assert_eq!(event["eventType"], "account_adjust");
        let expected = example_fields("data_push_account_adjust.json").expect("the example");
        assert_eq!(fields(&event["data"]), expected);
    }
}
