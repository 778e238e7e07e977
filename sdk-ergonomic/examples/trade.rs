//! Isolated-margin contract trading: a customer opens a position, sees it, closes it, and the
//! balance moves by exactly its profit or loss; then a deposit and a withdrawal proposal, and
//! the typed errors of an order for an unknown product and of a withdrawal beyond the balance.
//!
//! ```sh
//! cargo run -p mm-sdk --example trade --features client-auth,client-trade,client-funds,manager,sandbox
//! ```

mod common;

use mm_sdk::client::funds::{CreateCustomerDepositReqDto, CreateWithdrawProposalRequest};
use mm_sdk::client::trade::{OrderAddMarketOrderRequest, PositionQueryPositionPageRequest};
use mm_sdk::enums::{EntryType, OrderDirection, OrderType, TradeType};
use mm_sdk::extras::Device;
use mm_sdk::extras::back_office::{BalanceAdjustment, Registration};
use mm_sdk::extras::web_iframe::LoginName;
use mm_sdk::ids::SymbolId;
use mm_sdk::manager::funds::GetBalanceRequest;
use mm_sdk::{Decimal, ErrorKind, MultiMarkets, Password, Timestamp};

/// The isolated-margin contract's trade type ("Game ID"): one value for the Client API's
/// orders, positions and proposals and the Manager API's balances, products and adjustments.
const TRADE_TYPE: TradeType = TradeType::CfdIsolatedMargin;

/// Open a position at the market.
const OPEN: OrderType = OrderType::MarketOpen;
/// Close a position at the market.
const CLOSE: OrderType = OrderType::MarketClose;
/// `direction`: buy.
const BUY: OrderDirection = OrderDirection::Buy;
/// `direction`: sell.
const SELL: OrderDirection = OrderDirection::Sell;
/// `entryType`: the order is sized by quantity (`requestNum` contracts).
const BY_QUANTITY: EntryType = EntryType::ByQuantity;

/// The account's currency, and the digits it is kept with.
const CURRENCY: &str = "USDT";
const CURRENCY_DIGITS: i32 = 6;
/// The customer group registered customers join, and their proposals are filed under.
const CUSTOMER_GROUP: i64 = 1;
/// The leverage of the position (`crossLevelNum`).
const LEVERAGE: i32 = 10;
/// A product id the company does not list.
const UNKNOWN_PRODUCT: SymbolId = SymbolId::new(999_999);

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let common::Connection { mm, sandbox } = common::connect().await?;
    let email = format!("trader-{}@example.com", std::process::id());
    let password = Password::from_plain("a password the customer chose");
    // The customer's calls: trading, and deposits and withdrawals.
    let trade = mm.client().trade();
    let funds = mm.client().funds();

    // 1. A customer with a USDT account for the isolated-margin contract, logged in.
    let registration = Registration::email(&email, "+86", password.clone(), "CN", CUSTOMER_GROUP)
        .account(CURRENCY, TRADE_TYPE.to_string());
    let customer_no = mm.back_office().register_customer(registration).await?;
    if sandbox.is_some() {
        // A credit moves money: this example makes one only in the sandbox.
        let credit = BalanceAdjustment::new(&customer_no, CURRENCY, Decimal::new(1000, 0))
            .trade_type(TRADE_TYPE)
            .remark("trading funds");
        mm.back_office().adjust_balance(&credit).await?;
    }
    let session = mm
        .web_iframe()
        .login(&LoginName::Email(email), &password, Device::MobileWeb)
        .await?;
    let token = &session.token;
    let before = balance(&mm, &customer_no).await?;
    println!("customer {customer_no} holds {before} {CURRENCY}");
    if before.is_zero() {
        println!("nothing to trade with: fund the account and run again");
        return Ok(());
    }

    // 2. A product of the trade type, from the company's product list.
    let products = mm.back_office().products(Some(TRADE_TYPE)).await?;
    let Some(product) = products.iter().find(|p| p.trade_type == Some(TRADE_TYPE)) else {
        println!("the company lists no product of trade type {TRADE_TYPE}");
        return Ok(());
    };
    let name = product.symbol_code.clone().unwrap_or_default();

    // 3. Buy 1 at the market with leverage 10: the margin is taken from the balance.
    let buy = order(product.symbol_id, OPEN, BUY).cross_level_num(LEVERAGE);
    let opened = trade.order_add_market_order(token, &buy).await?;
    let position_id = opened.position_id.ok_or("the order opened no position")?;
    println!(
        "bought 1 {name} at {}: position {position_id}, balance {} with the margin taken",
        opened.execute_price.unwrap_or_default(),
        balance(&mm, &customer_no).await?
    );

    // 4. The open positions, with what closing each now would realise.
    let open = PositionQueryPositionPageRequest::new(TRADE_TYPE);
    let positions = trade.position_query_position_page(token, &open).await?;
    for position in positions.iter() {
        println!(
            "open: position {} of {} at {}, profit if closed now {}",
            position
                .position_id
                .map(|id| id.to_string())
                .unwrap_or_default(),
            position.symbol_name.as_deref().unwrap_or_default(),
            position.open_price.unwrap_or_default(),
            position.profit.unwrap_or_default()
        );
    }

    // 5. Close it: sell the whole position. The margin comes back with the profit or loss.
    let sell = order(product.symbol_id, CLOSE, SELL).position_id(position_id);
    let closed = trade.order_add_market_order(token, &sell).await?;
    let after = balance(&mm, &customer_no).await?;
    println!(
        "sold at {}: profit {}, balance {before} -> {after}",
        closed.execute_price.unwrap_or_default(),
        closed.profit.unwrap_or_default()
    );

    // 6. A deposit proposal, paid through its payment channel outside the API, and a
    //    withdrawal proposal, which takes its amount from the balance when it is made.
    let pay_in = CreateCustomerDepositReqDto::new(
        CURRENCY,
        CUSTOMER_GROUP,
        "web",           // the client the payment is made from,
        "bank-transfer", // the payment channel's code,
        "bank",          // its type,
        CURRENCY,        // the currency paid in,
        "merchant-1",    // and the merchant it pays
        TRADE_TYPE,
    )
    .deposit_amount(Decimal::new(50, 0));
    let proposal = funds.create_deposit_proposal(token, &pay_in).await?;
    println!(
        "deposit proposal {}: waiting for its payment",
        proposal.proposal_no.unwrap_or_default()
    );
    let proposal = funds
        .create_withdraw_proposal(token, &withdraw(Decimal::new(100, 0)))
        .await?;
    println!(
        "withdrawal proposal {} of {}: balance {}",
        proposal.proposal_no.unwrap_or_default(),
        proposal.amount.unwrap_or_default(),
        balance(&mm, &customer_no).await?
    );

    // 7. Refusals are typed errors carrying upstream's code.
    let unknown = order(UNKNOWN_PRODUCT, OPEN, BUY);
    let refused = trade.order_add_market_order(token, &unknown).await;
    println!("an order for an unknown product: {}", refusal(refused));
    let too_much = withdraw(balance(&mm, &customer_no).await? + Decimal::ONE);
    let refused = funds.create_withdraw_proposal(token, &too_much).await;
    println!("a withdrawal beyond the balance: {}", refusal(refused));
    Ok(())
}

/// A market order of one contract of `symbol_id`: `order_type` [`OPEN`] or [`CLOSE`],
/// `direction` [`BUY`] or [`SELL`].
fn order(
    symbol_id: SymbolId,
    order_type: OrderType,
    direction: OrderDirection,
) -> OrderAddMarketOrderRequest {
    OrderAddMarketOrderRequest::new(
        CURRENCY,
        CURRENCY_DIGITS,
        order_type,
        direction,
        BY_QUANTITY,
        Decimal::ONE, // the quantity: one contract
        // What the client showed, for the record: market orders fill at the quote.
        Decimal::ZERO,
        Timestamp::now(), // when the order was requested
        symbol_id,
        TRADE_TYPE,
    )
    .source("mm-sdk example") // the order's source
}

/// A withdrawal of `amount` USDT to a bank account.
fn withdraw(amount: Decimal) -> CreateWithdrawProposalRequest {
    CreateWithdrawProposalRequest::new(CUSTOMER_GROUP, TRADE_TYPE, "bank")
        .account_currency(CURRENCY)
        .amount(amount)
        .bank_account_name("A. Trader")
        .bank_card_no("6222000000000000")
}

/// The customer's USDT balance of the trade type, from the Manager API.
async fn balance(mm: &MultiMarkets, customer_no: &str) -> Result<Decimal, mm_sdk::Error> {
    let request = GetBalanceRequest::new(customer_no, TRADE_TYPE);
    let accounts = mm.manager().funds().get_balance(&request).await?;
    Ok(accounts
        .iter()
        .find(|a| a.currency == CURRENCY)
        .map_or(Decimal::ZERO, |a| a.balance))
}

/// Upstream's code, its category and the message of a refused call.
fn refusal<T>(result: Result<T, mm_sdk::Error>) -> String {
    match result {
        Err(error) => match (error.code(), error.kind()) {
            (Some(code), ErrorKind::Api(api)) => {
                let category = code
                    .category()
                    .map_or("undocumented".into(), |c| c.to_string());
                format!("{code} ({category}): {}", api.msg)
            }
            _ => format!("not an API refusal: {error}"),
        },
        Ok(_) => "accepted".into(),
    }
}
