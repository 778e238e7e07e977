//! Isolated-margin contract trading: a customer opens a position, sees it, closes it, and the
//! balance moves by exactly its profit or loss; then a deposit and a withdrawal proposal, and
//! the typed errors of an order for an unknown product and of a withdrawal beyond the balance.
//!
//! ```sh
//! cargo run -p mm-sdk --example trade
//! ```

mod common;

use mm_sdk::client_api::{Device, LoginName};
use mm_sdk::manager_api::types::GetBalanceRequest;
use mm_sdk::manager_api::{BalanceAdjustment, Registration};
// Every operation is a method of its API's handle, from the traits in the prelude.
use mm_sdk::areas::client_funds_deposit::types as deposit;
use mm_sdk::areas::client_funds_withdrawal::types as withdrawal;
use mm_sdk::areas::client_trade_contract::types as contract;
use mm_sdk::prelude::*;
use mm_sdk::{Decimal, DecimalNumber, ErrorKind, MultiMarkets, Password};

/// The isolated-margin contract's trade type ("Game ID"), as its docs say to send it.
const TRADE_TYPE: i64 = 2;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let common::Connection { mm, sandbox } = common::connect().await?;
    let email = format!("trader-{}@example.com", std::process::id());
    let password = Password::from_plain("a password the customer chose");

    // 1. A customer with a USDT account for the isolated-margin contract, logged in.
    let registration =
        Registration::email(&email, "+86", password.clone(), "CN", 1).account("USDT", "2");
    let customer_no = mm.manager().register_customer(registration).await?;
    if sandbox.is_some() {
        // A credit moves money: this example makes one only in the sandbox.
        let credit = BalanceAdjustment::new(&customer_no, "USDT", Decimal::new(1000, 0))
            .trade_type(TRADE_TYPE as i32)
            .remark("trading funds");
        mm.manager().update_balance(&credit).await?;
    }
    let session = mm
        .client()
        .login(&LoginName::Email(email), &password, Device::MobileWeb)
        .await?;
    let token = &session.token;
    let before = balance(&mm, &customer_no).await?;
    println!("customer {customer_no} holds {before} USDT");
    if before.is_zero() {
        println!("nothing to trade with: fund the account and run again");
        return Ok(());
    }

    // 2. A product of the trade type, from the company's product list.
    let products = mm.manager().products(Some(TRADE_TYPE as i32)).await?;
    let Some(product) = products
        .iter()
        .find(|p| p.trade_type == Some(TRADE_TYPE as i32))
    else {
        println!("the company lists no product of trade type {TRADE_TYPE}");
        return Ok(());
    };
    let name = product.symbol_code.clone().unwrap_or_default();

    // 3. Buy 1 at the market with leverage 10: the margin is taken from the balance.
    let buy = order(product.symbol_id, 1, 1)
        .cross_level_num(10)
        .try_into()?;
    let opened = mm
        .client()
        .order_add_market_order(token, None, &buy)
        .await?;
    let position_id = opened.position_id.ok_or("the order opened no position")?;
    println!(
        "bought 1 {name} at {}: position {position_id}, balance {} with the margin taken",
        opened.execute_price.unwrap_or_default(),
        balance(&mm, &customer_no).await?
    );

    // 4. The open positions, with what closing each now would realise.
    let open = contract::PositionQueryPositionPageRequest::builder()
        .trade_type(TRADE_TYPE)
        .try_into()?;
    let positions = mm
        .client()
        .position_query_position_page(token, None, &open)
        .await?;
    for position in positions.iter() {
        println!(
            "open: position {} of {} at {}, profit if closed now {}",
            position.position_id.unwrap_or_default(),
            position.symbol_name.as_deref().unwrap_or_default(),
            position.open_price.as_deref().unwrap_or_default(),
            position.profit.as_deref().unwrap_or_default()
        );
    }

    // 5. Close it: sell the whole position. The margin comes back with the profit or loss.
    let sell = order(product.symbol_id, 2, 2)
        .position_id(position_id)
        .try_into()?;
    let closed = mm
        .client()
        .order_add_market_order(token, None, &sell)
        .await?;
    let after = balance(&mm, &customer_no).await?;
    println!(
        "sold at {}: profit {}, balance {before} -> {after}",
        closed.execute_price.unwrap_or_default(),
        closed.profit.unwrap_or_default()
    );

    // 6. A deposit proposal, paid through its payment channel outside the API, and a
    //    withdrawal proposal, which takes its amount from the balance when it is made.
    let pay_in = deposit::CreateCustomerDepositReqDto::builder()
        .trade_type(TRADE_TYPE)
        .customer_group_id(1)
        .account_currency("USDT".to_owned())
        .payment_channel_code("bank-transfer".to_owned())
        .payment_channel_type("bank".to_owned())
        .payment_merchant_no("merchant-1".to_owned())
        .deposit_amount(DecimalNumber::from(Decimal::new(50, 0)))
        .try_into()?;
    let proposal = mm.client().create_deposit_proposal(token, &pay_in).await?;
    println!(
        "deposit proposal {}: waiting for its payment",
        proposal.proposal_no.unwrap_or_default()
    );
    let proposal = mm
        .client()
        .create_withdraw_proposal(token, &withdraw(Decimal::new(100, 0))?)
        .await?;
    println!(
        "withdrawal proposal {} of {}: balance {}",
        proposal.proposal_no.unwrap_or_default(),
        proposal.amount.unwrap_or_default(),
        balance(&mm, &customer_no).await?
    );

    // 7. Refusals are typed errors carrying upstream's code.
    let unknown = order(999_999, 1, 1).try_into()?;
    let refused = mm
        .client()
        .order_add_market_order(token, None, &unknown)
        .await;
    println!("an order for an unknown product: {}", refusal(refused));
    let too_much = withdraw(balance(&mm, &customer_no).await? + Decimal::ONE)?;
    let refused = mm.client().create_withdraw_proposal(token, &too_much).await;
    println!("a withdrawal beyond the balance: {}", refusal(refused));
    Ok(())
}

/// An order of one contract of `symbol_id`: `biz_type` 1 opens at the market, 2 closes;
/// `direction` 1 buys, 2 sells.
fn order(
    symbol_id: i64,
    biz_type: i32,
    direction: i32,
) -> contract::builder::OrderAddMarketOrderRequest {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64);
    contract::OrderAddMarketOrderRequest::builder()
        .trade_type(TRADE_TYPE)
        .biz_type(biz_type)
        .direction(direction)
        .symbol_id(symbol_id)
        .request_time(now)
        // What the client showed, for the record: market orders fill at the quote.
        .request_price("0".to_owned())
        .request_num("1".to_owned())
        .account_currency("USDT".to_owned())
        .account_digits(6)
        // By quantity.
        .entry_type(1_i64)
        .source("mm-sdk example".to_owned())
}

/// A withdrawal of `amount` USDT to a bank account.
fn withdraw(
    amount: Decimal,
) -> Result<withdrawal::CreateWithdrawProposalRequest, withdrawal::error::ConversionError> {
    withdrawal::CreateWithdrawProposalRequest::builder()
        .trade_type(TRADE_TYPE)
        .customer_group_id(1)
        .account_currency("USDT".to_owned())
        .amount(DecimalNumber::from(amount))
        .withdraw_method("bank".to_owned())
        .bank_account_name("A. Trader".to_owned())
        .bank_card_no("6222000000000000".to_owned())
        .try_into()
}

/// The customer's USDT balance of the trade type, from the Manager API.
async fn balance(mm: &MultiMarkets, customer_no: &str) -> Result<Decimal, mm_sdk::Error> {
    let request = GetBalanceRequest {
        customer_no: customer_no.to_owned(),
        trade_type: TRADE_TYPE as i32,
    };
    let accounts = mm.manager().get_balance(&request).await?;
    Ok(accounts
        .iter()
        .find(|a| a.currency == "USDT")
        .map_or(Decimal::ZERO, |a| a.balance))
}

/// Upstream's code and message of a refused call.
fn refusal<T>(result: Result<T, mm_sdk::Error>) -> String {
    match result {
        Err(error) => match error.kind() {
            ErrorKind::Api(api) => format!("{}{}: {}", api.biz_code, api.code, api.msg),
            _ => format!("not an API refusal: {error}"),
        },
        Ok(_) => "accepted".into(),
    }
}
