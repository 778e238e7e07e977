//! The isolated-margin contract of the Client API (`client-trade-contract.yaml`, tag
//! `Trade/Isolated Margin Contract`): orders of the customer whose login token the call
//! carries open, close and rest as [`book`] says, and the queries list what they did.
//!
//! Upstream closes a position with an order (`bizType` 2 and its `positionId`);
//! `order_close_trade_pbo_order` ("Cancel limit order") cancels a resting limit order.

mod views;

use rust_decimal::Decimal;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::client_api::signed_in;
use crate::context::{Call, Shared};
use crate::envelope::Failure;
use crate::model::book::{self, Close, Kind, Order, Position, Side, Status, Symbol};
use crate::model::money::Entry;
use crate::model::quotes::Quote;
use crate::model::state::State;
use crate::page::within;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct PlaceOrder {
    trade_type: i64,
    account_id: Option<i64>,
    account_currency: String,
    biz_type: i32,
    direction: i32,
    symbol_id: i64,
    position_id: Option<i64>,
    request_time: i64,
    request_price: String,
    request_num: String,
    entry_type: i64,
    cross_level_num: Option<i64>,
    stop_loss: Option<String>,
    take_profit: Option<String>,
    remark: Option<String>,
    /// Where the order comes from: the Client API's request names it (optionally); the
    /// Manager API's has no such field, and its answer none.
    source: Option<String>,
}

/// An order whose values checked out, before anything changes.
struct Ticket {
    kind: Kind,
    side: Side,
    quantity: Decimal,
    leverage: u32,
    quote: Quote,
    /// A limit order's limit.
    limit: Option<Decimal>,
}

impl PlaceOrder {
    fn check(&self, shared: &Shared) -> Result<Ticket, Failure> {
        if self.entry_type != 1 {
            return Err(Failure::order_invalid(
                "the sandbox takes orders by quantity (`entryType` 1) only",
            ));
        }
        let kind = Kind::from_biz_type(self.biz_type).ok_or_else(|| {
            Failure::order_invalid(format!(
                "`bizType` {}: the sandbox models 1 (market open), 2 (market close) and 10 \
                 (limit open)",
                self.biz_type
            ))
        })?;
        let side = Side::from_direction(self.direction).ok_or_else(|| {
            Failure::order_invalid(format!(
                "`direction` {} is not 1 (buy) or 2 (sell)",
                self.direction
            ))
        })?;
        let quantity = Decimal::from_str_exact(&self.request_num)
            .ok()
            .filter(|q| *q > Decimal::ZERO)
            .ok_or_else(|| {
                Failure::order_invalid(format!(
                    "`requestNum` `{}` is not a positive quantity",
                    self.request_num
                ))
            })?;
        let leverage = match self.cross_level_num {
            None => book::DEFAULT_LEVERAGE,
            Some(n) if n < 1 => {
                return Err(Failure::order_invalid(format!(
                    "`crossLevelNum` {n} is not a leverage"
                )));
            }
            Some(n) => u32::try_from(n)
                .ok()
                .filter(|n| *n <= book::MAX_LEVERAGE)
                .ok_or_else(|| Failure::leverage(book::MAX_LEVERAGE))?,
        };
        let quote = shared
            .streams
            .quote(self.symbol_id, self.trade_type)
            .ok_or_else(|| Failure::unknown_product(self.symbol_id, self.trade_type))?;
        let limit = match kind {
            Kind::Limit => Some(self.limit(&quote)?),
            Kind::MarketOpen | Kind::MarketClose => None,
        };
        Ok(Ticket {
            kind,
            side,
            quantity,
            leverage,
            quote,
            limit,
        })
    }

    /// A limit order's limit: `requestPrice` is its price in points (the price times 10 to
    /// the product's digits), as the docs say.
    fn limit(&self, quote: &Quote) -> Result<Decimal, Failure> {
        self.request_price
            .parse::<i64>()
            .ok()
            .filter(|points| *points > 0)
            .map(|points| quote.product.decimal(points))
            .ok_or_else(|| {
                Failure::order_invalid(format!(
                    "`requestPrice` `{}` of a limit order is its price in points (the price \
                     times 10^{}), a positive integer",
                    self.request_price, quote.product.digits
                ))
            })
    }

    fn order(&self, id: i64, customer_no: &str, ticket: &Ticket, now: i64) -> Order {
        Order {
            id,
            customer_no: customer_no.to_owned(),
            // Set once the account is found.
            account_id: 0,
            symbol: Symbol::new(self.symbol_id, self.trade_type, &ticket.quote),
            kind: ticket.kind,
            side: ticket.side,
            status: Status::Executed,
            quantity: ticket.quantity,
            request_price: self.request_price.clone(),
            limit: ticket.limit,
            leverage: ticket.leverage,
            margin: Decimal::ZERO,
            execute_price: None,
            position_id: None,
            profit: None,
            stop_loss: self.stop_loss.clone(),
            take_profit: self.take_profit.clone(),
            remark: self.remark.clone(),
            request_time: self.request_time,
            create_time: now,
            update_time: now,
            execute_time: None,
        }
    }
}

/// `order_add_market_order`: a market order opens a position (`bizType` 1) or closes one
/// (2); a limit order (10) opens one if its price is as good as the quote, else rests until
/// it is cancelled (the sandbox does not fill it later). Opening takes the margin from the
/// balance, closing gives it back with the profit or loss; a margin larger than the balance
/// is refused (`FS540013`).
pub(crate) fn place_order(shared: &Shared, call: &Call<'_>) -> Result<Value, Failure> {
    let customer_no = signed_in(shared, call)?;
    let mut request: PlaceOrder = call.body()?;
    // The Client API's answer names the order's source, empty when the request gave none.
    request.source.get_or_insert_with(String::new);
    place(shared, &customer_no, &request)
}

/// `cfd_wbw_order_add_market_order` of the Manager API: the operator places an order for the
/// customer whose isolated-margin trading account `accountId` is, as that customer's own order
/// would be placed; the position it opens is the customer's, listed by the Client API.
pub(crate) fn manager_place_order(shared: &Shared, call: &Call<'_>) -> Result<Value, Failure> {
    crate::manager_api::check_token(shared, call)?;
    let request: PlaceOrder = call.body()?;
    let account_id = request.account_id.ok_or_else(|| {
        Failure::order_invalid("a Manager order names the customer's trading account (`accountId`)")
    })?;
    let customer_no = shared
        .read(|state| state.account_owner(account_id, request.trade_type))
        .ok_or_else(|| {
            Failure::not_found(format!(
                "trading account {account_id} of trade type {}",
                request.trade_type
            ))
        })?;
    place(shared, &customer_no, &request)
}

/// Places `request` for `customer_no`.
fn place(shared: &Shared, customer_no: &str, request: &PlaceOrder) -> Result<Value, Failure> {
    let ticket = request.check(shared)?;
    shared.change(|state, now| {
        let order = request.order(state.book.next_order_id(), customer_no, &ticket, now);
        match ticket.kind {
            Kind::MarketClose => close(state, request, &ticket, order),
            Kind::MarketOpen | Kind::Limit => open(state, request, &ticket, order),
        }
    })
}

/// Opens a position at the quote, or leaves a limit order resting; either takes its margin.
fn open(
    state: &mut State,
    request: &PlaceOrder,
    ticket: &Ticket,
    mut order: Order,
) -> Result<Value, Failure> {
    let fill = ticket.side.fill_price(&ticket.quote);
    let fills = ticket
        .limit
        .is_none_or(|limit| ticket.side.accepts(limit, fill));
    let price = match ticket.limit {
        Some(limit) if !fills => limit,
        _ => fill,
    };
    let margin = book::margin(price, ticket.quantity, ticket.leverage)
        .ok_or_else(|| Failure::order_invalid("the order's value is too large"))?;
    let position_id = state.book.next_position_id();
    let account = state
        .existing_customer_mut(&order.customer_no)?
        .account_mut(
            request.account_id,
            request.trade_type,
            Some(&request.account_currency),
        )?;
    account.post(
        Entry::MarginTaken,
        -margin,
        Some(order.id),
        order.create_time,
    )?;
    order.account_id = account.account_id;
    order.margin = margin;
    let position = fills.then(|| Position {
        id: position_id,
        order_id: order.id,
        customer_no: order.customer_no.clone(),
        account_id: order.account_id,
        symbol: order.symbol.clone(),
        side: order.side,
        quantity: order.quantity,
        open_price: fill,
        leverage: order.leverage,
        margin,
        stop_loss: order.stop_loss.clone(),
        take_profit: order.take_profit.clone(),
        remark: order.remark.clone(),
        open_time: order.create_time,
        close: None,
    });
    if fills {
        order.execute_price = Some(fill);
        order.execute_time = Some(order.create_time);
        order.position_id = Some(position_id);
    } else {
        order.status = Status::Resting;
    }
    let answer = views::placed(&order, position.as_ref(), request.source.as_deref());
    state.book.orders.push(order);
    state.book.positions.extend(position);
    Ok(answer)
}

/// Closes the whole of an open position at the quote: its margin comes back with its profit
/// or loss. A loss larger than what the balance then holds takes it to zero (upstream resets
/// a negative balance), while the position records the whole loss.
fn close(
    state: &mut State,
    request: &PlaceOrder,
    ticket: &Ticket,
    mut order: Order,
) -> Result<Value, Failure> {
    let position_id = request.position_id.ok_or_else(|| {
        Failure::order_invalid("a closing order (`bizType` 2) names its `positionId`")
    })?;
    let index = state
        .book
        .positions
        .iter()
        .position(|p| {
            p.id == position_id && p.customer_no == order.customer_no && p.close.is_none()
        })
        .ok_or_else(|| Failure::no_position(position_id))?;
    let position = &state.book.positions[index];
    let symbol = &position.symbol;
    if (symbol.id, symbol.trade_type) != (order.symbol.id, order.symbol.trade_type) {
        return Err(Failure::order_invalid(format!(
            "position {position_id} is of symbol {} of trade type {}",
            symbol.id, symbol.trade_type
        )));
    }
    if ticket.side != position.side.opposite() {
        return Err(Failure::order_invalid(
            "a bought position is closed by selling (`direction` 2), a sold one by buying (1)",
        ));
    }
    if ticket.quantity != position.quantity {
        return Err(Failure::close_quantity(position.quantity));
    }
    let price = ticket.side.fill_price(&ticket.quote);
    let profit = position
        .profit_at(price)
        .ok_or_else(|| Failure::order_invalid("the position's profit is too large"))?;
    let (account_id, margin) = (position.account_id, position.margin);
    let account = state
        .existing_customer_mut(&order.customer_no)?
        .account_by_id_mut(account_id)?;
    let now = order.create_time;
    account.post(Entry::MarginReleased, margin, Some(order.id), now)?;
    let realised = profit.max(-account.balance);
    account.post(Entry::Profit, realised, Some(order.id), now)?;
    order.account_id = account_id;
    order.execute_price = Some(price);
    order.execute_time = Some(now);
    order.position_id = Some(position_id);
    order.profit = Some(profit);
    let position = &mut state.book.positions[index];
    position.close = Some(Close {
        order_id: order.id,
        price,
        profit,
        time: now,
    });
    let answer = views::placed(&order, Some(position), request.source.as_deref());
    state.book.orders.push(order);
    Ok(answer)
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct OrderId {
    order_id: i64,
}

/// `order_close_trade_pbo_order` ("Cancel limit order"): cancels a resting limit order and
/// gives its margin back. An order that is not the customer's answers `USCUSTOMER_API_0000003`,
/// one that no longer rests `CFDWBWE000007`.
pub(crate) fn cancel_order(shared: &Shared, call: &Call<'_>) -> Result<Value, Failure> {
    let customer_no = signed_in(shared, call)?;
    let request: OrderId = call.body()?;
    shared.change(|state, now| {
        let order = state
            .book
            .order(&customer_no, request.order_id)
            .ok_or_else(|| Failure::not_found(format!("order {}", request.order_id)))?;
        if order.status != Status::Resting {
            return Err(Failure::order_invalid(format!(
                "order {} is not a resting limit order",
                order.id
            )));
        }
        let (account_id, margin) = (order.account_id, order.margin);
        let account = state
            .existing_customer_mut(&customer_no)?
            .account_by_id_mut(account_id)?;
        account.post(Entry::MarginReleased, margin, Some(request.order_id), now)?;
        if let Some(order) = state
            .book
            .orders
            .iter_mut()
            .find(|o| o.id == request.order_id)
        {
            order.status = Status::Cancelled;
            order.update_time = now;
        }
        Ok(json!({}))
    })
}

/// `cfd_wbw_order_query_order_detail`: one of the customer's orders.
pub(crate) fn order(shared: &Shared, call: &Call<'_>) -> Result<Value, Failure> {
    let customer_no = signed_in(shared, call)?;
    let request: OrderId = call.body()?;
    shared.read(|state| {
        let order = state
            .book
            .order(&customer_no, request.order_id)
            .ok_or_else(|| Failure::not_found(format!("order {}", request.order_id)))?;
        Ok(views::order_detail(order))
    })
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct OrderPage {
    trade_type: i64,
    account_id: Option<i64>,
    biz_type: Option<i32>,
    direction: Option<i32>,
    status: Option<i32>,
    symbol_id: Option<i64>,
    order_ids: Option<String>,
    position_id: Option<i64>,
}

/// `order_query_order_page`: the customer's orders of the trade type, newest first, filtered
/// as asked.
pub(crate) fn orders(shared: &Shared, call: &Call<'_>) -> Result<Vec<Value>, Failure> {
    let customer_no = signed_in(shared, call)?;
    let request: OrderPage = call.body()?;
    let ids: Option<Vec<&str>> = request
        .order_ids
        .as_deref()
        .filter(|ids| !ids.trim().is_empty())
        .map(|ids| ids.split(',').map(str::trim).collect());
    shared.read(|state| {
        let rows = state
            .book
            .orders
            .iter()
            .rev()
            .filter(|o| o.customer_no == customer_no && o.symbol.trade_type == request.trade_type)
            .filter(|o| request.account_id.is_none_or(|id| o.account_id == id))
            .filter(|o| request.biz_type.is_none_or(|t| o.kind.biz_type() == t))
            .filter(|o| request.direction.is_none_or(|d| o.side.direction() == d))
            .filter(|o| request.status.is_none_or(|s| o.status.code() == s))
            .filter(|o| request.symbol_id.is_none_or(|s| o.symbol.id == s))
            .filter(|o| request.position_id.is_none_or(|p| o.position_id == Some(p)))
            .filter(|o| {
                ids.as_ref()
                    .is_none_or(|ids| ids.contains(&o.id.to_string().as_str()))
            })
            .map(views::order_row);
        Ok(rows.collect())
    })
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct PositionPage {
    trade_type: i64,
    account_id: Option<i64>,
    status: Option<i32>,
    order_id: Option<i64>,
    symbol_id: Option<i64>,
    start_time: Option<i64>,
    end_time: Option<i64>,
    sort_type: Option<String>,
}

/// `position_query_position_page`: the customer's open positions of the trade type (closed
/// ones with `status` 2), newest first (oldest with `sortType` `asc`). An open position's
/// `profit` is what closing it now would realise.
pub(crate) fn positions(shared: &Shared, call: &Call<'_>) -> Result<Vec<Value>, Failure> {
    let customer_no = signed_in(shared, call)?;
    let request: PositionPage = call.body()?;
    let status = request.status.unwrap_or(1);
    shared.read(|state| {
        let mut matching: Vec<&Position> = state
            .book
            .positions
            .iter()
            .filter(|p| p.customer_no == customer_no && p.symbol.trade_type == request.trade_type)
            .filter(|p| {
                if p.close.is_some() {
                    status == 2
                } else {
                    status == 1
                }
            })
            .filter(|p| request.account_id.is_none_or(|id| p.account_id == id))
            .filter(|p| request.order_id.is_none_or(|id| p.order_id == id))
            .filter(|p| request.symbol_id.is_none_or(|s| p.symbol.id == s))
            .filter(|p| within(p.open_time, request.start_time, request.end_time))
            .collect();
        if request.sort_type.as_deref() != Some("asc") {
            matching.reverse();
        }
        let rows = matching
            .into_iter()
            .map(|p| views::position(p, profit(shared, p)));
        Ok(rows.collect())
    })
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct PositionId {
    position_id: i64,
}

/// `position_query_position_detail`: one of the customer's positions, open or closed.
pub(crate) fn position(shared: &Shared, call: &Call<'_>) -> Result<Value, Failure> {
    let customer_no = signed_in(shared, call)?;
    let request: PositionId = call.body()?;
    shared.read(|state| {
        let position = state
            .book
            .position(&customer_no, request.position_id)
            .ok_or_else(|| Failure::no_position(request.position_id))?;
        Ok(views::position(position, profit(shared, position)))
    })
}

/// A closed position's realised profit, or what closing an open one would realise now.
fn profit(shared: &Shared, position: &Position) -> Option<Decimal> {
    if let Some(close) = &position.close {
        return Some(close.profit);
    }
    let symbol = &position.symbol;
    let quote = shared.streams.quote(symbol.id, symbol.trade_type)?;
    position.profit_at(position.side.opposite().fill_price(&quote))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct FlowPage {
    trade_type: i64,
    account_id: Option<i64>,
    business_type: Option<i32>,
    operate: Option<i32>,
    start_time: Option<i64>,
    end_time: Option<i64>,
}

/// `order_query_capital_flow_list`: every change of the balances of the customer's accounts
/// of the trade type, newest first: margin taken (`businessType` 5, 5001) and given back
/// (5002), profit and loss (6, 6004), deposits (1), withdrawals (2), Manager adjustments (4).
pub(crate) fn capital_flow(shared: &Shared, call: &Call<'_>) -> Result<Vec<Value>, Failure> {
    let customer_no = signed_in(shared, call)?;
    let request: FlowPage = call.body()?;
    shared.read(|state| {
        let accounts = state
            .customer(&customer_no)
            .into_iter()
            .flat_map(|c| &c.accounts)
            .filter(|a| i64::from(a.trade_type) == request.trade_type)
            .filter(|a| request.account_id.is_none_or(|id| a.account_id == id));
        let mut matching: Vec<_> = accounts
            .flat_map(|a| a.ledger.iter().rev().map(move |f| (a, f)))
            .filter(|(_, f)| {
                request
                    .business_type
                    .is_none_or(|t| t == 0 || f.entry.kind(f.amount).0 == t)
            })
            .filter(|(_, f)| match request.operate {
                Some(1) => f.amount.is_sign_positive(),
                Some(2) => f.amount.is_sign_negative(),
                _ => true,
            })
            .filter(|(_, f)| within(f.time, request.start_time, request.end_time))
            .collect();
        matching.sort_by_key(|(_, f)| std::cmp::Reverse(f.time));
        let rows = matching
            .into_iter()
            .map(|(account, f)| views::flow(&customer_no, account, f));
        Ok(rows.collect())
    })
}
