//! Market-data push parsing alone: the SDK's one-pass parser ([`QuotePush::parse`]) against
//! what an integrator would write by hand.
//!
//! The baseline strips the `p(` prefix and the `);` suffix, `split`s the rest on `,` into a
//! `Vec<&str>`, checks the field count, and parses each field with `str::parse` (integers) or
//! [`Decimal::from_str_exact`] (prices and volumes), the same decimal parser the SDK uses. A depth
//! push is split on `;` into its header and two sides, and each side on `)(` into levels.
//!
//! The inputs are deterministic: [`ticker_pushes`] and [`depth_pushes`] give the same frames on
//! every run, so both sides and every run parse the same bytes.

use mm_sdk::streams::{DepthPush, QuotePush, TickerPush};
use rust_decimal::Decimal;

/// A parsing failure, as text: the inputs are generated valid, so any failure is a bug.
pub type Result<T> = std::result::Result<T, String>;

/// How many distinct pushes each benchmark iteration parses.
pub const PUSHES: usize = 1_000;

/// How many levels each side of a generated depth push has.
pub const DEPTH_LEVELS: usize = 5;

/// A ticker push, as an integrator would declare it: the same fields as [`TickerPush`], with
/// the product's three numbers inline.
#[derive(Debug, Clone, PartialEq)]
pub struct Ticker {
    /// `symbol_id`.
    pub symbol_id: u64,
    /// `trade_type`.
    pub trade_type: u32,
    /// `trade_mode`.
    pub trade_mode: u32,
    /// `seq`.
    pub seq: u64,
    /// `tick_time`.
    pub tick_time: u64,
    /// `price`.
    pub price: Decimal,
    /// `price_bid1`.
    pub bid: Decimal,
    /// `price_ask1`.
    pub ask: Decimal,
    /// `volume_bid1`.
    pub bid_volume: Decimal,
    /// `volume_ask1`.
    pub ask_volume: Decimal,
}

/// One level of a hand-parsed order book.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Level {
    /// The level's price.
    pub price: Decimal,
    /// The volume at that price.
    pub volume: Decimal,
}

/// A depth push, as an integrator would declare it: the same fields as [`DepthPush`].
#[derive(Debug, Clone, PartialEq)]
pub struct Depth {
    /// `symbol_id`.
    pub symbol_id: u64,
    /// `trade_type`.
    pub trade_type: u32,
    /// `trade_mode`.
    pub trade_mode: u32,
    /// `seq`.
    pub seq: u64,
    /// `tick_time`.
    pub tick_time: u64,
    /// The bid levels, best first.
    pub bids: Vec<Level>,
    /// The ask levels, best first.
    pub asks: Vec<Level>,
}

/// Parses a ticker push with the SDK.
pub fn sdk_ticker(text: &str) -> Result<TickerPush> {
    match QuotePush::parse(text) {
        Ok(QuotePush::Ticker(push)) => Ok(push),
        Ok(other) => Err(format!("not a ticker push: {other:?}")),
        Err(e) => Err(e.to_string()),
    }
}

/// Parses a depth push with the SDK.
pub fn sdk_depth(text: &str) -> Result<DepthPush> {
    match QuotePush::parse(text) {
        Ok(QuotePush::Depth(push)) => Ok(push),
        Ok(other) => Err(format!("not a depth push: {other:?}")),
        Err(e) => Err(e.to_string()),
    }
}

/// Parses a ticker push by hand: strip, split on `,`, count, parse each field.
pub fn baseline_ticker(text: &str) -> Result<Ticker> {
    let inner = text
        .strip_prefix("p(")
        .and_then(|rest| rest.strip_suffix(");"))
        .ok_or("not a ticker push")?;
    let fields: Vec<&str> = inner.split(',').collect();
    if fields.len() != 10 {
        return Err(format!("expected 10 fields, got {}", fields.len()));
    }
    Ok(Ticker {
        symbol_id: integer(fields[0])?,
        trade_type: integer(fields[1])?,
        trade_mode: integer(fields[2])?,
        seq: integer(fields[3])?,
        tick_time: integer(fields[4])?,
        price: decimal(fields[5])?,
        bid: decimal(fields[6])?,
        ask: decimal(fields[7])?,
        bid_volume: decimal(fields[8])?,
        ask_volume: decimal(fields[9])?,
    })
}

/// Parses a depth push by hand: split on `;` into the header and the two sides, the header on
/// `,`, and each side on `)(` into levels.
pub fn baseline_depth(text: &str) -> Result<Depth> {
    let parts: Vec<&str> = text.split(';').collect();
    // `pd(…);bids;asks;` splits into four parts, the last one empty.
    if parts.len() != 4 || !parts[3].is_empty() {
        return Err(format!("expected 3 `;`-terminated parts, got {parts:?}"));
    }
    let header = parts[0]
        .strip_prefix("pd(")
        .and_then(|rest| rest.strip_suffix(')'))
        .ok_or("not a depth push")?;
    let fields: Vec<&str> = header.split(',').collect();
    if fields.len() != 5 {
        return Err(format!("expected 5 header fields, got {}", fields.len()));
    }
    Ok(Depth {
        symbol_id: integer(fields[0])?,
        trade_type: integer(fields[1])?,
        trade_mode: integer(fields[2])?,
        seq: integer(fields[3])?,
        tick_time: integer(fields[4])?,
        bids: levels(parts[1])?,
        asks: levels(parts[2])?,
    })
}

/// `(p,v)(p,v)…` (or nothing) into levels.
fn levels(side: &str) -> Result<Vec<Level>> {
    if side.is_empty() {
        return Ok(Vec::new());
    }
    let inner = side
        .strip_prefix('(')
        .and_then(|rest| rest.strip_suffix(')'))
        .ok_or_else(|| format!("not a list of levels: {side:?}"))?;
    inner
        .split(")(")
        .map(|level| {
            let (price, volume) = level
                .split_once(',')
                .ok_or_else(|| format!("not a level: {level:?}"))?;
            Ok(Level {
                price: decimal(price)?,
                volume: decimal(volume)?,
            })
        })
        .collect()
}

fn integer<T: std::str::FromStr>(field: &str) -> Result<T> {
    field
        .parse()
        .map_err(|_| format!("not an integer: {field:?}"))
}

fn decimal(field: &str) -> Result<Decimal> {
    Decimal::from_str_exact(field).map_err(|e| format!("not a decimal: {field:?}: {e}"))
}

/// A small deterministic generator (xorshift64*), so the inputs need no dependency and are the
/// same on every run.
#[derive(Debug)]
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// A number in `0..n`.
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// Renders `units` hundred-thousandths as a price with 5 decimals: `108_123` as `1.08123`.
fn price(units: u64) -> String {
    format!("{}.{:05}", units / 100_000, units % 100_000)
}

/// Renders `cents` hundredths as a volume with 2 decimals (`0.50`, `1250.75`).
fn volume(cents: u64) -> String {
    format!("{}.{:02}", cents / 100, cents % 100)
}

/// A market being quoted: a product and a random walk of its mid price and clock.
#[derive(Debug)]
struct Market {
    rng: Rng,
    /// The mid price, in hundred-thousandths.
    mid: u64,
    seq: u64,
    /// Milliseconds since the epoch.
    time: u64,
}

impl Market {
    fn new(seed: u64) -> Self {
        Market {
            rng: Rng(seed),
            mid: 108_250,
            seq: 48_213_907,
            time: 1_750_000_000_000,
        }
    }

    /// Moves the market on by one quote: a later time, the next sequence number, a new mid.
    fn step(&mut self) -> (u64, u64, u64) {
        self.seq += 1;
        self.time += 1 + self.rng.below(250);
        self.mid = (self.mid + self.rng.below(21))
            .saturating_sub(10)
            .max(1_000);
        let symbol_id = [1123, 1124, 1127, 2051][self.rng.below(4) as usize];
        (symbol_id, self.seq, self.time)
    }

    fn volume(&mut self) -> String {
        volume(1 + self.rng.below(500_000))
    }
}

/// `count` distinct ticker pushes such as
/// `p(1123,1,1,48213908,1750000000137,1.08251,1.08247,1.08255,1520.50,87.25);`.
pub fn ticker_pushes(count: usize) -> Vec<String> {
    let mut market = Market::new(0x7ac3_e1b0_55ed_0001);
    (0..count)
        .map(|_| {
            let (symbol_id, seq, time) = market.step();
            let last = market.mid - 5 + market.rng.below(11);
            let half_spread = 1 + market.rng.below(15);
            format!(
                "p({symbol_id},1,1,{seq},{time},{},{},{},{},{});",
                price(last),
                price(market.mid - half_spread),
                price(market.mid + half_spread),
                market.volume(),
                market.volume(),
            )
        })
        .collect()
}

/// `count` distinct depth pushes with [`DEPTH_LEVELS`] levels a side, such as
/// `pd(1123,1,1,48213908,1750000000137);(1.08247,1520.50)…;(1.08255,87.25)…;`.
pub fn depth_pushes(count: usize) -> Vec<String> {
    let mut market = Market::new(0x7ac3_e1b0_55ed_0002);
    (0..count)
        .map(|_| {
            let (symbol_id, seq, time) = market.step();
            let mut text = format!("pd({symbol_id},1,1,{seq},{time});");
            let half_spread = 1 + market.rng.below(15);
            let mut bid = market.mid - half_spread;
            let mut ask = market.mid + half_spread;
            for _ in 0..DEPTH_LEVELS {
                text += &format!("({},{})", price(bid), market.volume());
                bid -= 1 + market.rng.below(5);
            }
            text.push(';');
            for _ in 0..DEPTH_LEVELS {
                text += &format!("({},{})", price(ask), market.volume());
                ask += 1 + market.rng.below(5);
            }
            text.push(';');
            text
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    /// Equal values written the same way: `from_str_exact` keeps the scale, so both sides must
    /// have kept the same digits, not just the same number.
    fn same(a: Decimal, b: Decimal) -> bool {
        a == b && a.scale() == b.scale()
    }

    fn same_levels(baseline: &[Level], sdk: &[mm_sdk::streams::Level]) -> bool {
        baseline.len() == sdk.len()
            && baseline
                .iter()
                .zip(sdk)
                .all(|(b, s)| same(b.price, s.price) && same(b.volume, s.volume))
    }

    #[test]
    fn inputs_are_distinct_and_deterministic() {
        let tickers = ticker_pushes(PUSHES);
        assert_eq!(tickers.len(), PUSHES);
        assert_eq!(tickers.iter().collect::<HashSet<_>>().len(), PUSHES);
        assert_eq!(tickers, ticker_pushes(PUSHES));
        let depths = depth_pushes(PUSHES);
        assert_eq!(depths.len(), PUSHES);
        assert_eq!(depths.iter().collect::<HashSet<_>>().len(), PUSHES);
        assert_eq!(depths, depth_pushes(PUSHES));
    }

    #[test]
    fn baseline_and_sdk_agree_on_every_ticker() {
        for text in ticker_pushes(PUSHES) {
            let b = baseline_ticker(&text).unwrap_or_else(|e| panic!("baseline, {text:?}: {e}"));
            let s = sdk_ticker(&text).unwrap_or_else(|e| panic!("sdk, {text:?}: {e}"));
            assert_eq!(
                (b.symbol_id, b.trade_type, b.trade_mode, b.seq, b.tick_time),
                (
                    s.product.symbol_id,
                    s.product.trade_type,
                    s.product.trade_mode,
                    s.seq,
                    s.tick_time
                ),
                "{text}"
            );
            assert!(
                same(b.price, s.price)
                    && same(b.bid, s.bid)
                    && same(b.ask, s.ask)
                    && same(b.bid_volume, s.bid_volume)
                    && same(b.ask_volume, s.ask_volume),
                "{text}: {b:?} against {s:?}"
            );
            assert!(b.bid < b.ask, "{text}");
            // The numbers are the ones written: rendering them gives the push back.
            assert_eq!(
                format!(
                    "p({},{},{},{},{},{},{},{},{},{});",
                    b.symbol_id,
                    b.trade_type,
                    b.trade_mode,
                    b.seq,
                    b.tick_time,
                    b.price,
                    b.bid,
                    b.ask,
                    b.bid_volume,
                    b.ask_volume
                ),
                text
            );
        }
    }

    #[test]
    fn baseline_and_sdk_agree_on_every_depth_push() {
        for text in depth_pushes(PUSHES) {
            let b = baseline_depth(&text).unwrap_or_else(|e| panic!("baseline, {text:?}: {e}"));
            let s = sdk_depth(&text).unwrap_or_else(|e| panic!("sdk, {text:?}: {e}"));
            assert_eq!(
                (b.symbol_id, b.trade_type, b.trade_mode, b.seq, b.tick_time),
                (
                    s.product.symbol_id,
                    s.product.trade_type,
                    s.product.trade_mode,
                    s.seq,
                    s.tick_time
                ),
                "{text}"
            );
            assert_eq!(b.bids.len(), DEPTH_LEVELS, "{text}");
            assert_eq!(b.asks.len(), DEPTH_LEVELS, "{text}");
            assert!(same_levels(&b.bids, &s.bids), "{text}: {b:?} against {s:?}");
            assert!(same_levels(&b.asks, &s.asks), "{text}: {b:?} against {s:?}");
        }
    }

    #[test]
    fn baseline_rejects_what_it_should() {
        assert!(baseline_ticker("p(1,1,1,1,1,1,1,1,1);").is_err());
        assert!(baseline_ticker("p(1,1,1,1,1,1,1,1,1,1,1);").is_err());
        assert!(baseline_ticker("p(1,1,1,1,1,x,1,1,1,1);").is_err());
        assert!(baseline_ticker("pt(1,1,1,1,1,1,1,1);").is_err());
        assert!(baseline_depth("pd(1,1,1,1,1);(1,1)(2;(3,3);").is_err());
        assert!(baseline_depth("pd(1,1,1,1);;;").is_err());
        let empty = baseline_depth("pd(1,1,1,1,1);;;").expect("parses");
        assert!(empty.bids.is_empty() && empty.asks.is_empty());
    }
}
