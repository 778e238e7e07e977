//! The answers of the isolated-margin contract's operations: orders, positions and the capital
//! flow as upstream's schemas name their fields. Prices carry their product's digits, amounts
//! the account's 6 decimals; a contract is of size 1.

use rust_decimal::Decimal;
use serde_json::{Value, json};

use crate::examples::overwrite;
use crate::model::book::{Kind, Order, Position, Status};
use crate::model::money::{self, ACCOUNT_DIGITS, Flow};
use crate::model::state::Account;

/// `order_add_market_order`'s answer: the order, with the position it opened or closed.
pub(crate) fn placed(order: &Order, position: Option<&Position>, source: Option<&str>) -> Value {
    let mut placed = json!({
        "orderId": order.id,
        "symbolId": order.symbol.id,
        "symbolName": order.symbol.name,
        "digits": order.symbol.digits,
        "direction": order.side.direction(),
        "openOrClose": if order.kind == Kind::MarketClose { 2 } else { 1 },
        "tradeVolume": order.quantity.to_string(),
        "executePrice": price(order.execute_price),
        "stopLoss": order.stop_loss.clone().unwrap_or_else(|| "0".into()),
        "takeProfit": order.take_profit.clone().unwrap_or_else(|| "0".into()),
        "fee": money::amount(Decimal::ZERO),
        "interest": money::amount(Decimal::ZERO),
        "profit": money::amount(order.profit.unwrap_or_default()),
    });
    if let Some(source) = source {
        overwrite(&mut placed, json!({ "source": source }));
    }
    if let Some(position) = position {
        overwrite(
            &mut placed,
            json!({
                "positionId": position.id,
                "openPrice": position.open_price.to_string(),
                "openDirection": position.side.direction(),
            }),
        );
    }
    placed
}

/// A row of `position_query_position_page`, and `position_query_position_detail`'s answer.
/// `profit` is the realised profit of a closed position, or what closing an open one would
/// realise now.
pub(crate) fn position(position: &Position, profit: Option<Decimal>) -> Value {
    let close = position.close.as_ref();
    let quantity = position.quantity.to_string();
    let closed = |value: String| if close.is_some() { value } else { "0".into() };
    json!({
        "positionId": position.id,
        "orderId": position.order_id,
        "status": if close.is_some() { "2" } else { "1" },
        "direction": position.side.direction(),
        "symbolId": position.symbol.id,
        "symbolName": position.symbol.name,
        "openAccountDigits": ACCOUNT_DIGITS,
        "openSymbolDigits": position.symbol.digits,
        "openContractSize": 1,
        "openPrice": position.open_price.to_string(),
        "openNum": quantity,
        "openVolume": quantity,
        "volume": quantity,
        "openMargin": money::amount(position.margin),
        "margin": money::amount(if close.is_some() { Decimal::ZERO } else { position.margin }),
        "openFee": money::amount(Decimal::ZERO),
        "closeAccountDigits": ACCOUNT_DIGITS,
        "closeSymbolDigits": position.symbol.digits,
        "closePrice": price(close.map(|c| c.price)),
        "closeNum": closed(quantity.clone()),
        "closeVolume": closed(quantity.clone()),
        "closeFee": money::amount(Decimal::ZERO),
        "closeTime": close.map_or(0, |c| c.time),
        "profit": money::amount(profit.unwrap_or_default()),
        "stopLoss": position.stop_loss.clone().unwrap_or_else(|| "0".into()),
        "takeProfit": position.take_profit.clone().unwrap_or_else(|| "0".into()),
        "remark": position.remark.clone().unwrap_or_default(),
        "openTime": position.open_time,
    })
}

/// A row of `order_query_order_page`.
pub(crate) fn order_row(order: &Order) -> Value {
    let mut row = order_fields(order);
    overwrite(
        &mut row,
        json!({
            "id": order.id,
            "bizType": order.kind.biz_type(),
            "symbolName": order.symbol.name,
            "accountDigits": ACCOUNT_DIGITS,
            "executeNum": quantity_if(order, Status::Executed),
            "cancelNum": quantity_if(order, Status::Cancelled),
        }),
    );
    row
}

/// `cfd_wbw_order_query_order_detail`'s answer (upstream spells its business type `busiiType`).
pub(crate) fn order_detail(order: &Order) -> Value {
    let mut detail = order_fields(order);
    overwrite(
        &mut detail,
        json!({
            "orderId": order.id,
            "busiiType": order.kind.biz_type(),
            "accountId": order.account_id,
        }),
    );
    detail
}

/// What an order row and an order's detail share.
fn order_fields(order: &Order) -> Value {
    json!({
        "direction": order.side.direction(),
        "status": order.status.code(),
        "symbolId": order.symbol.id,
        "digits": order.symbol.digits,
        "contractSize": 1,
        "requestPrice": order.request_price,
        "requestNum": order.quantity.to_string(),
        "requestTime": order.request_time,
        "executePrice": price(order.execute_price),
        "executeTime": order.execute_time.unwrap_or_default(),
        "fee": money::amount(Decimal::ZERO),
        "positionId": order.position_id.unwrap_or_default(),
        "stopLoss": order.stop_loss.clone().unwrap_or_else(|| "0".into()),
        "takeProfit": order.take_profit.clone().unwrap_or_else(|| "0".into()),
        "remark": order.remark.clone().unwrap_or_default(),
        "createTime": order.create_time,
        "updateTime": order.update_time,
    })
}

/// A row of `order_query_capital_flow_list`.
pub(crate) fn flow(customer_no: &str, account: &Account, flow: &Flow) -> Value {
    let (business_type, subtype, name, subtype_name) = flow.entry.kind(flow.amount);
    let (amount_in, amount_out) = if flow.amount.is_sign_negative() {
        (Decimal::ZERO, -flow.amount)
    } else {
        (flow.amount, Decimal::ZERO)
    };
    let mut row = json!({
        "accountId": account.account_id,
        "customerNo": customer_no,
        "currency": account.currency,
        "digits": ACCOUNT_DIGITS.to_string(),
        "amountIn": money::amount(amount_in),
        "amountOut": money::amount(amount_out),
        "amountAfter": money::amount(flow.after),
        "businessType": business_type,
        "businessType1": subtype,
        "businessTypeName": name,
        "businessType1Name": subtype_name,
        "status": 2,
        "createTime": flow.time,
        "updateTime": flow.time,
    });
    if let Some(order_id) = flow.order_id {
        overwrite(&mut row, json!({ "orderId": order_id }));
    }
    row
}

/// The order's quantity if it is `status`, else `"0"`.
fn quantity_if(order: &Order, status: Status) -> String {
    if order.status == status {
        order.quantity.to_string()
    } else {
        "0".into()
    }
}

/// A price with its product's digits, `"0"` for none (upstream's placeholder).
fn price(price: Option<Decimal>) -> String {
    price.map_or_else(|| "0".into(), |p| p.to_string())
}
