//! Every paged operation walked page by page against the sandbox, from its documented example:
//! whatever form its pages take (a total, a count of pages, a bare list), the walk sees every
//! row the sandbox holds for it exactly once, in order. No operation is named here: the
//! operations are those whose generated static says they page.

use std::collections::HashSet;
use std::time::Duration;

use futures::TryStreamExt;
use mm_sdk::extras::back_office::BalanceAdjustment;
use mm_sdk::extras::web_iframe::LoginSession;
use mm_sdk::ids::CustomerNo;
use mm_sdk::manager::customer::CustomerListRequest;
use mm_sdk::{Decimal, Endpoints, Environment, ManagerToken, MultiMarkets, RetryPolicy};
use mm_sdk_core::{Api, Builder, Call, Credential, Encoding, Operation, Pager, Runtime};
use mm_sdk_sandbox::{Config, Sandbox};
use mm_sdk_test_support::sandbox::{self as support, registration};
use mm_sdk_tests::bounded;
use mm_sdk_tests::contract::Contract;
use mm_sdk_tests::every_operation::{Sendable, sendable};
use serde_json::{Value, json};

/// The paged operations of the specs (`x-mm-paging`): fewer means one was lost on the way.
const PAGED: usize = 40;
/// The page size of every walk.
const PAGE_SIZE: u64 = 10;
/// The rows every paged operation holds at least: two pages and a half.
const AT_LEAST: usize = 25;
/// The seeded customer's account: the isolated-margin contract's trade type.
const TRADE_TYPE: i64 = 2;
/// A product quoted under that trade type in the docs' `product_list` (BTC/USDT_PRD).
const SYMBOL: i64 = 969;

/// Rows for the operations the sandbox answers from its model, made through the API: 25
/// customers, and for the one signed in 25 open positions (so 25 orders, and a capital flow
/// of their margins), 25 deposit and 25 withdrawal proposals. Returns the signed-in one.
async fn seed(mm: &MultiMarkets, runtime: &Runtime, all: &[Sendable]) -> LoginSession {
    let (customer_no, session) =
        support::customer(mm, "pages@example.com", &TRADE_TYPE.to_string()).await;
    let back_office = mm.back_office();
    for n in 1..AT_LEAST {
        let email = format!("customer{n}@example.com");
        let registered = back_office.register_customer(registration(&email, "1"));
        registered
            .await
            .unwrap_or_else(|e| panic!("`{email}` registers: {e}"));
    }
    let credit = BalanceAdjustment::new(&customer_no, "USDT", Decimal::new(10_000_000, 0))
        .trade_type(mm_sdk::enums::TradeType::from(TRADE_TYPE));
    back_office.adjust_balance(&credit).await.unwrap();
    let token = session.token.expose_secret();
    let account = json!({"tradeType": TRADE_TYPE, "accountCurrency": "USDT", "customerGroupId": 1});
    for _ in 0..AT_LEAST {
        let open = json!({
            "bizType": 1, "direction": 1, "symbolId": SYMBOL, "requestNum": "1",
            "requestPrice": "0", "entryType": 1, "accountDigits": 6, "source": "pages",
        });
        send(
            runtime,
            all,
            "order_add_market_order",
            token,
            [&account, &open],
        )
        .await;
        let deposit = json!({
            "depositAmount": 50, "paymentCurrency": "USDT", "paymentChannelCode": "bank",
        });
        send(
            runtime,
            all,
            "create_deposit_proposal",
            token,
            [&account, &deposit],
        )
        .await;
        let withdrawal = json!({"amount": 1, "withdrawMethod": "bank"});
        send(
            runtime,
            all,
            "create_withdraw_proposal",
            token,
            [&account, &withdrawal],
        )
        .await;
    }
    session
}

/// Sends Client API operation `id` as the customer signed in with `token`: its first
/// documented example with `fields` set.
async fn send(runtime: &Runtime, all: &[Sendable], id: &str, token: &str, fields: [&Value; 2]) {
    let sendable = all
        .iter()
        .find(|s| s.op.api == Api::Client && s.op.id == id)
        .unwrap_or_else(|| panic!("no operation `{id}`"));
    let mut body = sendable.requests[0].clone();
    for (name, value) in fields.iter().filter_map(|f| f.as_object()).flatten() {
        body[name] = value.clone();
    }
    let values = sendable.header_values();
    let arguments: Vec<Option<&str>> = values.iter().map(Option::as_deref).collect();
    let body = serde_json::to_vec(&body).expect("JSON");
    Call::json(runtime, sendable.op, Some(token), arguments, &body)
        .await
        .unwrap_or_else(|e| panic!("`{id}`: {e}"));
}

/// The request a walk of `sendable` sends: its first documented example, asking for pages of
/// [`PAGE_SIZE`] rows from the first (some examples ask for page 0 of pages counted from 1),
/// and for the seeded account's trade type where it names one (the example's is a stand-in).
fn walk_request(sendable: &Sendable) -> Value {
    let paging = sendable.op.paging.expect("a paged operation");
    let mut request = match sendable.op.encoding {
        Encoding::Traced => sendable.requests[0]["data"].clone(),
        _ => sendable.requests[0].clone(),
    };
    let Value::Object(fields) = &mut request else {
        panic!("`{}`: a paged request is an object", sendable.op.id);
    };
    fields.remove(paging.page);
    fields.insert(paging.size.to_owned(), PAGE_SIZE.into());
    if let Some(trade_type) = fields.get_mut("tradeType") {
        *trade_type = TRADE_TYPE.into();
    }
    request
}

/// Every row of every page of `sendable`, walked with `token` where it takes one per call,
/// and how many rows each page had.
async fn walk(
    runtime: &Runtime,
    sendable: &Sendable,
    token: &str,
    request: &Value,
) -> (Vec<Value>, Vec<usize>) {
    let values = sendable.header_values();
    let op: &Operation<'_> = sendable.op;
    let token = op.credential.is_per_call().then_some(token);
    let pager = || {
        let arguments: Vec<Option<&str>> = values.iter().map(Option::as_deref).collect();
        Pager::<Value, Value>::new(runtime, op, token, arguments, request)
    };
    let failed = |e: mm_sdk_core::Error| -> ! { panic!("`{}`: the walk failed: {e}", op.id) };
    let rows: Vec<Value> = pager()
        .items()
        .try_collect()
        .await
        .unwrap_or_else(|e| failed(e));
    let pages: Vec<Value> = pager()
        .pages()
        .try_collect()
        .await
        .unwrap_or_else(|e| failed(e));
    let items = op.paging.expect("a paged operation").items;
    let sizes = pages
        .iter()
        .map(|data| {
            let list = items
                .iter()
                .try_fold(data, |value, field| value.get(*field));
            list.and_then(Value::as_array).map_or(0, Vec::len)
        })
        .collect();
    (rows, sizes)
}

#[tokio::test]
async fn every_paged_operation_streams_every_row_the_sandbox_holds_once() {
    bounded(async {
        let sandbox = Sandbox::start(Config {
            record_answers: true,
            ..Config::default()
        })
        .await
        .unwrap();
        let config = sandbox.config();
        let mm = mm_sdk::sandbox::builder(&sandbox)
            .retry(
                RetryPolicy::default()
                    .max_attempts(2)
                    .base_delay(Duration::from_millis(1)),
            )
            .build()
            .unwrap();
        let runtime = Builder::<Runtime>::new(Environment::custom(Endpoints::same_host(
            sandbox.base_url(),
        )))
        .company_id(config.company_id.as_str())
        .manager_token(ManagerToken::new(config.manager_token.as_str()))
        .build()
        .unwrap();
        let areas = mm_sdk_tests::areas();
        let all = sendable(&areas);
        let session = seed(&mm, &runtime, &all).await;
        let login = session.token.expose_secret();

        let paged: Vec<&Operation<'_>> = mm_sdk_generated::operations()
            .filter(|op| op.paging.is_some())
            .collect();
        assert!(
            paged.len() >= PAGED,
            "only {} paged operations",
            paged.len()
        );
        for op in paged {
            let sendable = all
                .iter()
                .find(|s| s.op.api == op.api && s.op.id == op.id)
                .unwrap_or_else(|| panic!("`{}` has no documented example", op.id));
            let request = walk_request(sendable);
            let (rows, pages) = walk(&runtime, sendable, login, &request).await;

            assert!(rows.len() >= AT_LEAST, "`{}`: {} rows", op.id, rows.len());
            // Pages of the size asked for, but the last.
            let size = PAGE_SIZE as usize;
            let (last, full) = pages.split_last().expect("a page");
            assert!(
                full.iter().all(|rows| *rows == size) && *last <= size,
                "`{}`: pages of {pages:?} rows",
                op.id
            );
            assert_eq!(pages.iter().sum::<usize>(), rows.len(), "`{}`", op.id);
            let distinct: HashSet<String> = rows.iter().map(Value::to_string).collect();
            assert_eq!(distinct.len(), rows.len(), "`{}`: a row came twice", op.id);
            let token = match op.credential {
                Credential::ManagerToken => config.manager_token.as_str(),
                _ => login,
            };
            let held = sandbox
                .rows(op.api.as_str(), op.id, token, &request)
                .unwrap_or_else(|e| panic!("`{}`: {e}", op.id));
            assert_eq!(rows, held, "`{}`: the pages are not the rows held", op.id);
        }

        // The typed method walks the same rows.
        let every = CustomerListRequest::new().size(PAGE_SIZE as i32);
        let typed: Vec<CustomerNo> = mm
            .manager()
            .customer()
            .customer_list_pages(&every)
            .items()
            .map_ok(|customer| customer.customer_no)
            .try_collect()
            .await
            .unwrap();
        let held = sandbox
            .rows(
                "manager",
                "customer_list",
                &config.manager_token,
                &serde_json::json!({}),
            )
            .unwrap();
        let held: Vec<&str> = held
            .iter()
            .filter_map(|row| row["customerNo"].as_str())
            .collect();
        assert_eq!(typed.len(), AT_LEAST);
        assert_eq!(typed, held);

        // Every page answered matches its operation's spec.
        let contract = Contract::load();
        for answer in sandbox.answers() {
            if let Err(problems) = contract.check(answer.api, &answer.operation, &answer.body) {
                panic!(
                    "the sandbox answered against the spec: {problems}\n{:#}",
                    answer.body
                );
            }
        }
    })
    .await;
}
