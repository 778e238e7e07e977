//! The market-data feed: the products the sandbox quotes, a deterministic walk of each one's
//! price, and the K-line bars of its history. Nothing here is random: the `n`-th tick of a
//! product and the bar of a product at a time are always the same.

use std::collections::HashMap;
use std::sync::{LazyLock, Mutex};

use rust_decimal::Decimal;
use serde_json::Value;

use crate::examples;

/// How far, in points (units of the last decimal), a price walks from its base either way.
pub(crate) const WALK_LIMIT: i64 = 50;

/// A product the sandbox quotes, identified by `symbol_id` and `trade_type` together (the
/// same id can be listed under several trading modes).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Product {
    pub(crate) symbol_id: u64,
    pub(crate) trade_type: u64,
    pub(crate) code: String,
    /// Decimal places of its prices.
    pub(crate) digits: u32,
    /// Its base price, in points.
    pub(crate) base: i64,
}

impl Product {
    fn new(symbol_id: u64, trade_type: u64, code: String, digits: Option<u32>) -> Self {
        // The docs' example lists no digits: 2 to 5, by id.
        let digits = digits.unwrap_or(2 + (symbol_id % 4) as u32).min(8);
        // A whole base price between 10 and 1999, by id.
        let units = 10 + (mix(symbol_id) % 1990) as i64;
        Self {
            symbol_id,
            trade_type,
            code,
            digits,
            base: units * 10_i64.pow(digits),
        }
    }

    /// `points` as a decimal string with the product's digits (`651.12`).
    pub(crate) fn price(&self, points: i64) -> String {
        let sign = if points < 0 { "-" } else { "" };
        let abs = points.unsigned_abs();
        if self.digits == 0 {
            return format!("{sign}{abs}");
        }
        let scale = 10_u64.pow(self.digits);
        let width = self.digits as usize;
        format!("{sign}{}.{:0width$}", abs / scale, abs % scale)
    }

    /// `points` as a decimal with the product's digits.
    pub(crate) fn decimal(&self, points: i64) -> Decimal {
        Decimal::new(points, self.digits)
    }

    /// A volume for the tick `seq`, depth level `level` (0 for the top or the trade).
    pub(crate) fn volume(&self, seq: u64, level: u64) -> u64 {
        1 + mix(self.symbol_id ^ seq.rotate_left(20) ^ level.rotate_left(40)) % 500
    }

    /// The price the walk moves to at tick `seq`, from `points`.
    fn step(&self, seq: u64, points: i64) -> i64 {
        let step = (mix(self.symbol_id.rotate_left(32) ^ seq) % 5) as i64 - 2;
        (points + step).clamp(self.base - WALK_LIMIT, self.base + WALK_LIMIT)
    }

    /// The price level of the K-line history at `time` (seconds), in points.
    fn level(&self, time: i64) -> i64 {
        let offset = (mix(self.symbol_id.rotate_left(16) ^ time as u64) % 101) as i64 - 50;
        self.base + offset * WALK_LIMIT / 50
    }
}

/// Every product the sandbox knows: those of the docs' `product_list` example, or five of its
/// own (ids 1001 to 1005, trade type 1) should that example be missing.
static PRODUCTS: LazyLock<Vec<Product>> = LazyLock::new(|| {
    let mut products: Vec<Product> = Vec::new();
    let listed = examples::find("manager/product_list.response.json")
        .and_then(Value::as_array)
        .into_iter()
        .flatten();
    for entry in listed {
        let (Some(symbol_id), Some(trade_type)) = (
            entry.get("symbolId").and_then(Value::as_u64),
            entry.get("tradeType").and_then(Value::as_u64),
        ) else {
            continue;
        };
        if products
            .iter()
            .any(|p| p.symbol_id == symbol_id && p.trade_type == trade_type)
        {
            continue;
        }
        let code = entry
            .get("symbolCode")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned();
        let digits = entry
            .get("symbolDigits")
            .and_then(Value::as_u64)
            .and_then(|d| u32::try_from(d).ok());
        products.push(Product::new(symbol_id, trade_type, code, digits));
    }
    if products.is_empty() {
        products = (1001..=1005)
            .map(|id| Product::new(id, 1, format!("SANDBOX{id}"), Some(2)))
            .collect();
    }
    products
});

/// The product `symbol_id` quoted under `trade_type`, if the sandbox knows it.
pub(crate) fn product(symbol_id: u64, trade_type: u64) -> Option<&'static Product> {
    PRODUCTS
        .iter()
        .find(|p| p.symbol_id == symbol_id && p.trade_type == trade_type)
}

/// A product's quote at one tick.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Tick {
    /// Strictly increases with every tick of the product (0 before the first).
    pub(crate) seq: u64,
    /// The last price, in points.
    pub(crate) points: i64,
}

impl Tick {
    /// The bid of depth level `level` (0 is the best), in points: what a sell fills at.
    pub(crate) fn bid(self, level: u64) -> i64 {
        self.points - 1 - level as i64
    }

    /// The ask of depth level `level` (0 is the best), in points: what a buy fills at.
    pub(crate) fn ask(self, level: u64) -> i64 {
        self.points + 1 + level as i64
    }
}

/// A product's quote now: what an order fills at.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Quote {
    pub(crate) product: &'static Product,
    pub(crate) tick: Tick,
}

impl Quote {
    /// The best bid, what a sell fills at.
    pub(crate) fn bid(&self) -> Decimal {
        self.product.decimal(self.tick.bid(0))
    }

    /// The best ask, what a buy fills at.
    pub(crate) fn ask(&self) -> Decimal {
        self.product.decimal(self.tick.ask(0))
    }
}

/// The current tick of every product quoted so far, shared by all connections: a product's
/// `seq` increases across them all.
#[derive(Debug, Default)]
pub(crate) struct Feed {
    ticks: Mutex<HashMap<(u64, u64), Tick>>,
}

impl Feed {
    /// The product's current tick (seq 0 at its base price before its first tick).
    pub(crate) fn current(&self, product: &Product) -> Tick {
        let ticks = self.ticks.lock().unwrap_or_else(|e| e.into_inner());
        ticks
            .get(&(product.symbol_id, product.trade_type))
            .copied()
            .unwrap_or(Tick {
                seq: 0,
                points: product.base,
            })
    }

    /// Moves the product one tick on its walk.
    pub(crate) fn advance(&self, product: &Product) -> Tick {
        let mut ticks = self.ticks.lock().unwrap_or_else(|e| e.into_inner());
        let tick = ticks
            .entry((product.symbol_id, product.trade_type))
            .or_insert(Tick {
                seq: 0,
                points: product.base,
            });
        tick.seq += 1;
        tick.points = product.step(tick.seq, tick.points);
        *tick
    }
}

/// The spacing of K-line bars of `kline_type`, in seconds: 1 minute (1), 5 (2), 15 (3), 30
/// (4), 1 hour (5), 2 (6), 4 (7), 1 day (8), 1 week (9), 30 days (10).
pub(crate) fn kline_spacing(kline_type: u64) -> Option<i64> {
    const MINUTE: i64 = 60;
    const HOUR: i64 = 60 * MINUTE;
    const DAY: i64 = 24 * HOUR;
    Some(match kline_type {
        1 => MINUTE,
        2 => 5 * MINUTE,
        3 => 15 * MINUTE,
        4 => 30 * MINUTE,
        5 => HOUR,
        6 => 2 * HOUR,
        7 => 4 * HOUR,
        8 => DAY,
        9 => 7 * DAY,
        10 => 30 * DAY,
        _ => return None,
    })
}

/// One K-line bar; prices in points.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Bar {
    /// Its start, in seconds.
    pub(crate) timestamp: i64,
    pub(crate) open: i64,
    pub(crate) close: i64,
    pub(crate) high: i64,
    pub(crate) low: i64,
    pub(crate) transactions: u64,
}

/// `count` bars of `spacing` seconds, newest last, the newest being the one that contains
/// `end` (seconds).
pub(crate) fn bars(product: &Product, spacing: i64, end: i64, count: usize) -> Vec<Bar> {
    let newest = end - end.rem_euclid(spacing);
    (0..count)
        .rev()
        .map(|back| {
            let timestamp = newest - back as i64 * spacing;
            let open = product.level(timestamp);
            let close = product.level(timestamp + spacing);
            let wick = mix(product.symbol_id ^ (timestamp as u64).rotate_left(8));
            Bar {
                timestamp,
                open,
                close,
                high: open.max(close) + (wick % 10) as i64,
                low: open.min(close) - (wick / 10 % 10) as i64,
                transactions: 1 + wick % 10_000,
            }
        })
        .collect()
}

/// SplitMix64: a fixed, well-spread hash of `x`.
fn mix(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_docs_products_are_quoted() {
        let usdchf = product(2, 3).expect("USDCHF, trade type 3, is in the example");
        assert_eq!(usdchf.code, "USDCHF");
        assert!(product(2, 99).is_none());
        assert!(PRODUCTS.len() > 100);
    }

    #[test]
    fn prices_are_formatted_with_the_products_digits() {
        let p = Product::new(7, 1, "X".into(), Some(2));
        assert_eq!(p.price(65_112), "651.12");
        assert_eq!(p.price(5), "0.05");
        let q = Product::new(7, 1, "X".into(), Some(0));
        assert_eq!(q.price(42), "42");
    }

    #[test]
    fn the_walk_is_deterministic_and_bounded() {
        let p = product(2, 3).expect("known");
        let (one, two) = (Feed::default(), Feed::default());
        for _ in 0..1000 {
            let (a, b) = (one.advance(p), two.advance(p));
            assert_eq!(a, b);
            assert!((a.points - p.base).abs() <= WALK_LIMIT);
        }
        assert_eq!(one.current(p).seq, 1000);
    }

    #[test]
    fn bars_end_at_the_bar_holding_the_end() {
        let p = product(2, 3).expect("known");
        let bars = bars(p, 60, 1_000_030, 3);
        let times: Vec<i64> = bars.iter().map(|b| b.timestamp).collect();
        assert_eq!(times, [999_900, 999_960, 1_000_020]);
        assert!(bars.iter().all(|b| b.low <= b.open.min(b.close)));
        assert!(bars.iter().all(|b| b.high >= b.open.max(b.close)));
    }
}
