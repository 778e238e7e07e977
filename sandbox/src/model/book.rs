//! The isolated-margin contract's orders and positions, and the rules they follow: a buy fills
//! at the ask and a sell at the bid of the product's quote; an opening order takes its margin,
//! the fill's value over the leverage, from the balance; a close gives the margin back with
//! the position's profit or loss. Contracts are of size 1 and amounts are in the account's
//! currency, with no fee and no interest.

use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};

use super::money::ACCOUNT_DIGITS;
use super::quotes::Quote;

/// The leverage of an order that names none: that of upstream's example position.
pub(crate) const DEFAULT_LEVERAGE: u32 = 20;
/// The highest leverage: upstream's example position allows `1-100`.
pub(crate) const MAX_LEVERAGE: u32 = 100;
/// The first order id handed out; upstream's look like `14460002`.
const FIRST_ORDER_ID: i64 = 14_460_001;
/// The first position id handed out; upstream's look like `2023022819810`.
const FIRST_POSITION_ID: i64 = 2_023_022_800_001;

/// Every order and position, of every customer.
#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub(crate) struct Book {
    /// Oldest first.
    pub(crate) orders: Vec<Order>,
    /// Oldest first; closed ones stay, with how they closed.
    pub(crate) positions: Vec<Position>,
}

impl Book {
    pub(crate) fn next_order_id(&self) -> i64 {
        FIRST_ORDER_ID + self.orders.len() as i64
    }

    pub(crate) fn next_position_id(&self) -> i64 {
        FIRST_POSITION_ID + self.positions.len() as i64
    }

    /// The customer's order `id`.
    pub(crate) fn order(&self, customer_no: &str, id: i64) -> Option<&Order> {
        self.orders
            .iter()
            .find(|o| o.id == id && o.customer_no == customer_no)
    }

    /// The customer's position `id`, open or closed.
    pub(crate) fn position(&self, customer_no: &str, id: i64) -> Option<&Position> {
        self.positions
            .iter()
            .find(|p| p.id == id && p.customer_no == customer_no)
    }
}

/// An order's side (`direction`): 1 buys, 2 sells.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) enum Side {
    Buy,
    Sell,
}

impl Side {
    pub(crate) fn from_direction(direction: i32) -> Option<Self> {
        match direction {
            1 => Some(Self::Buy),
            2 => Some(Self::Sell),
            _ => None,
        }
    }

    pub(crate) fn direction(self) -> i32 {
        match self {
            Self::Buy => 1,
            Self::Sell => 2,
        }
    }

    pub(crate) fn opposite(self) -> Self {
        match self {
            Self::Buy => Self::Sell,
            Self::Sell => Self::Buy,
        }
    }

    /// What an order of this side fills at: a buy at the ask, a sell at the bid.
    pub(crate) fn fill_price(self, quote: &Quote) -> Decimal {
        match self {
            Self::Buy => quote.ask(),
            Self::Sell => quote.bid(),
        }
    }

    /// Whether a limit order of this side at `limit` fills at `price`: a buy at or below its
    /// limit, a sell at or above.
    pub(crate) fn accepts(self, limit: Decimal, price: Decimal) -> bool {
        match self {
            Self::Buy => price <= limit,
            Self::Sell => price >= limit,
        }
    }
}

/// What an order does (`bizType`): the three the sandbox models.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) enum Kind {
    /// 1: opens a position at the market.
    MarketOpen,
    /// 2: closes a position at the market.
    MarketClose,
    /// 10: opens a position at a limit price or better, resting until it can.
    Limit,
}

impl Kind {
    pub(crate) fn from_biz_type(biz_type: i32) -> Option<Self> {
        match biz_type {
            1 => Some(Self::MarketOpen),
            2 => Some(Self::MarketClose),
            10 => Some(Self::Limit),
            _ => None,
        }
    }

    pub(crate) fn biz_type(self) -> i32 {
        match self {
            Self::MarketOpen => 1,
            Self::MarketClose => 2,
            Self::Limit => 10,
        }
    }
}

/// Where an order stands (`status`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) enum Status {
    /// 1, "order received": a limit order waiting for its price.
    Resting,
    /// 2, "order executed".
    Executed,
    /// 4, "order cancelled".
    Cancelled,
}

impl Status {
    pub(crate) fn code(self) -> i32 {
        match self {
            Self::Resting => 1,
            Self::Executed => 2,
            Self::Cancelled => 4,
        }
    }
}

/// The product an order or position is of, as it was quoted when the order was placed.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Symbol {
    pub(crate) id: i64,
    pub(crate) trade_type: i64,
    pub(crate) name: String,
    /// Decimal places of its prices.
    pub(crate) digits: u32,
}

impl Symbol {
    /// Product `id` under `trade_type`, quoted as `quote`.
    pub(crate) fn new(id: i64, trade_type: i64, quote: &Quote) -> Self {
        Self {
            id,
            trade_type,
            name: quote.product.code.clone(),
            digits: quote.product.digits,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Order {
    pub(crate) id: i64,
    pub(crate) customer_no: String,
    pub(crate) account_id: i64,
    pub(crate) symbol: Symbol,
    pub(crate) kind: Kind,
    pub(crate) side: Side,
    pub(crate) status: Status,
    pub(crate) quantity: Decimal,
    /// `requestPrice` as sent: upstream records it (in points).
    pub(crate) request_price: String,
    /// A limit order's limit.
    pub(crate) limit: Option<Decimal>,
    pub(crate) leverage: u32,
    /// The margin it took (an opening order's; a resting one holds it until it is cancelled).
    pub(crate) margin: Decimal,
    pub(crate) execute_price: Option<Decimal>,
    /// The position it opened or closed.
    pub(crate) position_id: Option<i64>,
    /// A close's realised profit or loss.
    pub(crate) profit: Option<Decimal>,
    /// As sent: the sandbox neither checks nor triggers them.
    pub(crate) stop_loss: Option<String>,
    pub(crate) take_profit: Option<String>,
    pub(crate) remark: Option<String>,
    pub(crate) request_time: i64,
    pub(crate) create_time: i64,
    pub(crate) update_time: i64,
    pub(crate) execute_time: Option<i64>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Position {
    pub(crate) id: i64,
    /// The order that opened it.
    pub(crate) order_id: i64,
    pub(crate) customer_no: String,
    pub(crate) account_id: i64,
    pub(crate) symbol: Symbol,
    pub(crate) side: Side,
    pub(crate) quantity: Decimal,
    pub(crate) open_price: Decimal,
    pub(crate) leverage: u32,
    /// What it holds of the balance until it closes.
    pub(crate) margin: Decimal,
    pub(crate) stop_loss: Option<String>,
    pub(crate) take_profit: Option<String>,
    pub(crate) remark: Option<String>,
    pub(crate) open_time: i64,
    pub(crate) close: Option<Close>,
}

/// How a position closed.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Close {
    pub(crate) order_id: i64,
    pub(crate) price: Decimal,
    pub(crate) profit: Decimal,
    pub(crate) time: i64,
}

impl Position {
    /// What closing it at `price` realises: how far the price moved its way, times its
    /// quantity, rounded (half away from zero) to the account's decimals; `None` if that
    /// overflows.
    pub(crate) fn profit_at(&self, price: Decimal) -> Option<Decimal> {
        let moved = match self.side {
            Side::Buy => price.checked_sub(self.open_price)?,
            Side::Sell => self.open_price.checked_sub(price)?,
        };
        let profit = moved.checked_mul(self.quantity)?;
        Some(profit.round_dp_with_strategy(ACCOUNT_DIGITS, RoundingStrategy::MidpointAwayFromZero))
    }
}

/// The margin `quantity` contracts at `price` hold at `leverage`: their value over the
/// leverage, rounded up to the account's decimals; `None` if that overflows.
pub(crate) fn margin(price: Decimal, quantity: Decimal, leverage: u32) -> Option<Decimal> {
    let value = price.checked_mul(quantity)?;
    let margin = value.checked_div(Decimal::from(leverage))?;
    Some(margin.round_dp_with_strategy(ACCOUNT_DIGITS, RoundingStrategy::AwayFromZero))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decimal(text: &str) -> Decimal {
        Decimal::from_str_exact(text).expect("a decimal")
    }

    fn position(side: Side, open: &str, quantity: &str) -> Position {
        Position {
            id: 1,
            order_id: 1,
            customer_no: "86000001".into(),
            account_id: 1,
            symbol: Symbol {
                id: 969,
                trade_type: 2,
                name: "BTC/USDT_PRD".into(),
                digits: 3,
            },
            side,
            quantity: decimal(quantity),
            open_price: decimal(open),
            leverage: 20,
            margin: Decimal::ZERO,
            stop_loss: None,
            take_profit: None,
            remark: None,
            open_time: 0,
            close: None,
        }
    }

    #[test]
    fn margin_is_the_value_over_the_leverage_rounded_up() {
        assert_eq!(
            margin(decimal("651.12"), decimal("2"), 20),
            Some(decimal("65.112"))
        );
        assert_eq!(
            margin(decimal("1"), decimal("1"), 3),
            Some(decimal("0.333334"))
        );
        assert_eq!(margin(Decimal::MAX, decimal("2"), 1), None);
    }

    #[test]
    fn profit_is_the_move_in_the_positions_favour() {
        let long = position(Side::Buy, "100.005", "3");
        assert_eq!(long.profit_at(decimal("100.007")), Some(decimal("0.006")));
        assert_eq!(long.profit_at(decimal("100.001")), Some(decimal("-0.012")));
        let short = position(Side::Sell, "100.005", "0.5");
        assert_eq!(short.profit_at(decimal("100.001")), Some(decimal("0.002")));
        let tiny = position(Side::Buy, "1.00001", "0.05");
        assert_eq!(
            tiny.profit_at(decimal("1.00002")),
            Some(decimal("0.000001"))
        );
    }

    #[test]
    fn limits_fill_at_their_price_or_better() {
        assert!(Side::Buy.accepts(decimal("10"), decimal("9.99")));
        assert!(!Side::Buy.accepts(decimal("10"), decimal("10.01")));
        assert!(Side::Sell.accepts(decimal("10"), decimal("10")));
        assert!(!Side::Sell.accepts(decimal("10"), decimal("9.99")));
    }
}
