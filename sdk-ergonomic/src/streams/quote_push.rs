//! The text pushes of the market-data WebSocket: tickers (`p(…);`), trades (`pt(…);`) and
//! order-book depth (`pd(…);(…)…;(…)…;`), parsed into typed values.
//!
//! Pushes are the hot path of a market-data stream: a busy connection carries thousands a
//! second, one per text frame. So the parser is hand-written and makes a single pass over the
//! bytes of the frame with a small cursor, slicing each field out of the frame in place: no
//! `split`, no `String` and no vector of fields. The only allocations are the two
//! [`Vec<Level>`](Level) of a depth push, sized up front. Prices and volumes are parsed without
//! loss with [`Decimal::from_str_exact`]; integers are parsed digit by digit with checked
//! arithmetic, so an overlong number is an error, never a wrapped value.
//!
//! The grammars, as upstream documents them (ASCII whitespace is allowed around every token,
//! and the final `;` may be left out):
//!
//! ```text
//! p(symbol_id,trade_type,trade_mode,seq,tick_time,price,price_bid1,price_ask1,volume_bid1,volume_ask1);
//! pt(symbol_id,trade_type,trade_mode,seq,tick_time,price,volume,trade_direction);
//! pd(symbol_id,trade_type,trade_mode,seq,tick_time);(bid_price1,bid_volume1)…;(ask_price1,ask_volume1)…;
//! ```
//!
//! A frame that is not a push (such as the JSON reply to a subscription) can be told apart
//! without parsing with [`is_push`]. A push that does not parse gives a [`PushError`] saying what
//! was expected, at which byte, with an excerpt of the text there.

use std::fmt;

use mm_sdk_core::enums::{TradeMode, TradeType};
use mm_sdk_core::ids::SymbolId;
use rust_decimal::Decimal;

/// The product a quote is for: upstream keys every quote by these three values. A product
/// listing gives all three: its `symbolId`, `tradeType` and `dealMode` (the trade mode).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
pub struct Product {
    /// The product id (`symbol_id`).
    pub symbol_id: SymbolId,
    /// The line of business (`trade_type`).
    pub trade_type: TradeType,
    /// How the product's orders are executed (`trade_mode`); the docs' examples also send
    /// `0`, kept as [`TradeMode::Unknown`].
    pub trade_mode: TradeMode,
}

/// A ticker push (`p(…);`): the last price and the best bid and ask.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct TickerPush {
    /// The product quoted.
    pub product: Product,
    /// The quote's sequence number.
    pub seq: u64,
    /// The quote's timestamp, as upstream sends it.
    pub tick_time: u64,
    /// The latest transaction price.
    pub price: Decimal,
    /// The best bid price (`price_bid1`).
    pub bid: Decimal,
    /// The best ask price (`price_ask1`).
    pub ask: Decimal,
    /// The volume at the best bid (`volume_bid1`).
    pub bid_volume: Decimal,
    /// The volume at the best ask (`volume_ask1`).
    pub ask_volume: Decimal,
}

/// A trade push (`pt(…);`): one transaction.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct TradePush {
    /// The product traded.
    pub product: Product,
    /// The quote's sequence number.
    pub seq: u64,
    /// The quote's timestamp, as upstream sends it.
    pub tick_time: u64,
    /// The transaction price.
    pub price: Decimal,
    /// The transaction volume.
    pub volume: Decimal,
    /// Which side took the trade.
    pub direction: TradeDirection,
}

/// The direction of a trade (`trade_direction`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum TradeDirection {
    /// `0`: upstream's default value, no direction given.
    Unspecified,
    /// `1`: a buy.
    Buy,
    /// `2`: a sell.
    Sell,
    /// Any other code, kept as sent.
    Other(u32),
}

/// Written as its code, as upstream sends it.
impl serde::Serialize for TradeDirection {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_u32(match self {
            Self::Unspecified => 0,
            Self::Buy => 1,
            Self::Sell => 2,
            Self::Other(code) => *code,
        })
    }
}

impl TradeDirection {
    fn from_code(code: u32) -> Self {
        match code {
            0 => Self::Unspecified,
            1 => Self::Buy,
            2 => Self::Sell,
            other => Self::Other(other),
        }
    }
}

/// One price level of an order book: a price and the volume offered at it.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct Level {
    /// The level's price.
    pub price: Decimal,
    /// The volume at that price.
    pub volume: Decimal,
}

/// A depth push (`pd(…);…;…;`): the order book's levels, best first.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct DepthPush {
    /// The product quoted.
    pub product: Product,
    /// The quote's sequence number.
    pub seq: u64,
    /// The quote's timestamp, as upstream sends it.
    pub tick_time: u64,
    /// The bid levels, in the order sent (best first); may be empty.
    pub bids: Vec<Level>,
    /// The ask levels, in the order sent (best first); may be empty.
    pub asks: Vec<Level>,
}

/// One push of the market-data WebSocket.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum QuotePush {
    /// A ticker push, `p(…);`.
    Ticker(TickerPush),
    /// A trade push, `pt(…);`.
    Trade(TradePush),
    /// A depth push, `pd(…);…;…;`.
    Depth(DepthPush),
}

/// Why a push could not be parsed: what was expected, at which byte offset, and a short excerpt
/// of the text around it (at most 32 chars; pushes carry no secrets).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{context}: expected {expected} at byte {offset} {}", Near(.excerpt))]
pub struct PushError {
    context: &'static str,
    expected: &'static str,
    offset: usize,
    excerpt: String,
}

impl PushError {
    /// The byte offset in the text where parsing failed.
    pub fn offset(&self) -> usize {
        self.offset
    }

    /// What the parser expected at [`offset`](Self::offset), e.g. ``a decimal for `price` ``.
    pub fn expected(&self) -> &'static str {
        self.expected
    }
}

/// The longest excerpt a [`PushError`] keeps, in chars.
const EXCERPT_CHARS: usize = 32;

/// Renders an excerpt: quoted and escaped, or "(end of text)" when there is none.
struct Near<'a>(&'a str);

impl fmt::Display for Near<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() {
            f.write_str("(end of text)")
        } else {
            write!(f, "near {:?}", self.0)
        }
    }
}

impl QuotePush {
    /// Parses one push frame: a ticker, trade or depth push, with optional ASCII whitespace
    /// around every token and an optional final `;`.
    pub fn parse(text: &str) -> Result<QuotePush, PushError> {
        let mut cur = Cursor {
            text,
            pos: 0,
            context: "quote push",
        };
        cur.skip_ws();
        let rest = cur.rest();
        if rest.starts_with(b"pt(") {
            cur.pos += 3;
            cur.context = "trade push";
            cur.trade().map(QuotePush::Trade)
        } else if rest.starts_with(b"pd(") {
            cur.pos += 3;
            cur.context = "depth push";
            cur.depth().map(QuotePush::Depth)
        } else if rest.starts_with(b"p(") {
            cur.pos += 2;
            cur.context = "ticker push";
            cur.ticker().map(QuotePush::Ticker)
        } else {
            Err(cur.error(cur.pos, "`p(`, `pt(` or `pd(`"))
        }
    }

    /// The product the push is for.
    pub fn product(&self) -> Product {
        match self {
            QuotePush::Ticker(push) => push.product,
            QuotePush::Trade(push) => push.product,
            QuotePush::Depth(push) => push.product,
        }
    }

    /// The push's sequence number.
    pub fn seq(&self) -> u64 {
        match self {
            QuotePush::Ticker(push) => push.seq,
            QuotePush::Trade(push) => push.seq,
            QuotePush::Depth(push) => push.seq,
        }
    }
}

/// True when a text frame looks like a push (starts, after whitespace, with `p(`, `pt(` or
/// `pd(`), so the caller can tell pushes from JSON replies without parsing.
pub fn is_push(text: &str) -> bool {
    let rest = text.trim_ascii_start().as_bytes();
    rest.starts_with(b"p(") || rest.starts_with(b"pt(") || rest.starts_with(b"pd(")
}

/// Preallocate at most this many levels per side from the count of `(` ahead: a garbage frame
/// full of `(` must not reserve 32 bytes per byte of input before failing.
const MAX_PREALLOCATED_LEVELS: usize = 256;

/// The parser's position in the frame. Every position it stops at is a char boundary: it only
/// ever steps over ASCII bytes, or over a whole token that ends at an ASCII byte or the end.
#[derive(Debug)]
struct Cursor<'a> {
    text: &'a str,
    pos: usize,
    /// What is being parsed, for error messages: "ticker push", …
    context: &'static str,
}

impl<'a> Cursor<'a> {
    fn rest(&self) -> &'a [u8] {
        self.text.as_bytes().get(self.pos..).unwrap_or_default()
    }

    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.pos).copied()
    }

    fn skip_ws(&mut self) {
        while self.peek().is_some_and(|b| b.is_ascii_whitespace()) {
            self.pos += 1;
        }
    }

    fn error(&self, offset: usize, expected: &'static str) -> PushError {
        let mut start = offset.min(self.text.len());
        while !self.text.is_char_boundary(start) {
            start -= 1;
        }
        let rest = self.text.get(start..).unwrap_or_default();
        let end = rest
            .char_indices()
            .nth(EXCERPT_CHARS)
            .map_or(rest.len(), |(i, _)| i);
        PushError {
            context: self.context,
            expected,
            offset,
            excerpt: rest.get(..end).unwrap_or_default().to_owned(),
        }
    }

    /// Skips whitespace, then consumes `byte` or fails expecting `expected`.
    fn expect(&mut self, byte: u8, expected: &'static str) -> Result<(), PushError> {
        self.skip_ws();
        if self.peek() == Some(byte) {
            self.pos += 1;
            Ok(())
        } else {
            Err(self.error(self.pos, expected))
        }
    }

    fn comma(&mut self) -> Result<(), PushError> {
        self.expect(b',', "`,`")
    }

    /// Skips whitespace, then takes the bytes up to the next delimiter (`,` `(` `)` `;`),
    /// whitespace or the end: one field, as its offset and text (possibly empty).
    fn token(&mut self) -> (usize, &'a str) {
        self.skip_ws();
        let start = self.pos;
        while self
            .peek()
            .is_some_and(|b| !matches!(b, b',' | b'(' | b')' | b';') && !b.is_ascii_whitespace())
        {
            self.pos += 1;
        }
        (start, self.text.get(start..self.pos).unwrap_or_default())
    }

    fn u64_field(&mut self, expected: &'static str) -> Result<u64, PushError> {
        let (start, token) = self.token();
        parse_u64(token).ok_or_else(|| self.error(start, expected))
    }

    fn u32_field(&mut self, expected: &'static str) -> Result<u32, PushError> {
        let (start, token) = self.token();
        parse_u64(token)
            .and_then(|n| u32::try_from(n).ok())
            .ok_or_else(|| self.error(start, expected))
    }

    /// A run of digits that fits an `i64` (ids and codes are non-negative).
    fn i64_field(&mut self, expected: &'static str) -> Result<i64, PushError> {
        let (start, token) = self.token();
        parse_u64(token)
            .and_then(|n| i64::try_from(n).ok())
            .ok_or_else(|| self.error(start, expected))
    }

    fn decimal_field(&mut self, expected: &'static str) -> Result<Decimal, PushError> {
        let (start, token) = self.token();
        if token.is_empty() {
            return Err(self.error(start, expected));
        }
        Decimal::from_str_exact(token).map_err(|_| self.error(start, expected))
    }

    /// `symbol_id,trade_type,trade_mode,seq,tick_time`, the fields every push starts with.
    fn header(&mut self) -> Result<(Product, u64, u64), PushError> {
        let symbol_id = SymbolId::new(self.i64_field("a number for `symbol_id`")?);
        self.comma()?;
        let trade_type = TradeType::from(self.i64_field("a number for `trade_type`")?);
        self.comma()?;
        let trade_mode = TradeMode::from(self.i64_field("a number for `trade_mode`")?);
        self.comma()?;
        let seq = self.u64_field("a u64 for `seq`")?;
        self.comma()?;
        let tick_time = self.u64_field("a u64 for `tick_time`")?;
        let product = Product {
            symbol_id,
            trade_type,
            trade_mode,
        };
        Ok((product, seq, tick_time))
    }

    /// After the closing `)` of a ticker or trade push: an optional `;`, then nothing but
    /// whitespace.
    fn finish(&mut self) -> Result<(), PushError> {
        self.skip_ws();
        let expected = if self.peek() == Some(b';') {
            self.pos += 1;
            self.skip_ws();
            "end of text"
        } else {
            "`;` or end of text"
        };
        match self.peek() {
            None => Ok(()),
            Some(_) => Err(self.error(self.pos, expected)),
        }
    }

    fn ticker(&mut self) -> Result<TickerPush, PushError> {
        let (product, seq, tick_time) = self.header()?;
        self.comma()?;
        let price = self.decimal_field("a decimal for `price`")?;
        self.comma()?;
        let bid = self.decimal_field("a decimal for `price_bid1`")?;
        self.comma()?;
        let ask = self.decimal_field("a decimal for `price_ask1`")?;
        self.comma()?;
        let bid_volume = self.decimal_field("a decimal for `volume_bid1`")?;
        self.comma()?;
        let ask_volume = self.decimal_field("a decimal for `volume_ask1`")?;
        self.expect(b')', "`)`")?;
        self.finish()?;
        Ok(TickerPush {
            product,
            seq,
            tick_time,
            price,
            bid,
            ask,
            bid_volume,
            ask_volume,
        })
    }

    fn trade(&mut self) -> Result<TradePush, PushError> {
        let (product, seq, tick_time) = self.header()?;
        self.comma()?;
        let price = self.decimal_field("a decimal for `price`")?;
        self.comma()?;
        let volume = self.decimal_field("a decimal for `volume`")?;
        self.comma()?;
        let direction = self.u32_field("a u32 for `trade_direction`")?;
        self.expect(b')', "`)`")?;
        self.finish()?;
        Ok(TradePush {
            product,
            seq,
            tick_time,
            price,
            volume,
            direction: TradeDirection::from_code(direction),
        })
    }

    fn depth(&mut self) -> Result<DepthPush, PushError> {
        let (product, seq, tick_time) = self.header()?;
        self.expect(b')', "`)`")?;
        self.expect(b';', "`;`")?;
        let bids = self.levels(Side::Bids)?;
        let asks = self.levels(Side::Asks)?;
        Ok(DepthPush {
            product,
            seq,
            tick_time,
            bids,
            asks,
        })
    }

    /// One side of a depth push: `(price,volume)` levels up to and including its `;`. The ask
    /// side may also end at the end of the text, and must be followed only by whitespace.
    fn levels(&mut self, side: Side) -> Result<Vec<Level>, PushError> {
        let (price, volume, expected) = match side {
            Side::Bids => (
                "a decimal for a bid price",
                "a decimal for a bid volume",
                "`(` or `;`",
            ),
            Side::Asks => (
                "a decimal for an ask price",
                "a decimal for an ask volume",
                "`(`, `;` or end of text",
            ),
        };
        let count = self
            .rest()
            .iter()
            .take_while(|&&b| b != b';')
            .filter(|&&b| b == b'(')
            .count();
        let mut levels = Vec::with_capacity(count.min(MAX_PREALLOCATED_LEVELS));
        loop {
            self.skip_ws();
            match self.peek() {
                Some(b'(') => {
                    self.pos += 1;
                    let price = self.decimal_field(price)?;
                    self.comma()?;
                    let volume = self.decimal_field(volume)?;
                    self.expect(b')', "`)`")?;
                    levels.push(Level { price, volume });
                }
                Some(b';') => {
                    self.pos += 1;
                    if side == Side::Asks {
                        self.skip_ws();
                        if self.peek().is_some() {
                            return Err(self.error(self.pos, "end of text"));
                        }
                    }
                    return Ok(levels);
                }
                None if side == Side::Asks => return Ok(levels),
                _ => return Err(self.error(self.pos, expected)),
            }
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Side {
    Bids,
    Asks,
}

/// A non-empty run of ASCII digits as a `u64`; `None` for anything else, including overflow.
fn parse_u64(token: &str) -> Option<u64> {
    if token.is_empty() {
        return None;
    }
    token.bytes().try_fold(0u64, |n, b| {
        let digit = b.wrapping_sub(b'0');
        if digit > 9 {
            return None;
        }
        n.checked_mul(10)?.checked_add(u64::from(digit))
    })
}

#[cfg(test)]
mod tests {
    use std::fmt::Write as _;

    use super::*;

    fn dec(s: &str) -> Decimal {
        Decimal::from_str_exact(s).unwrap()
    }

    fn level(price: &str, volume: &str) -> Level {
        Level {
            price: dec(price),
            volume: dec(volume),
        }
    }

    const PRODUCT: Product = Product {
        symbol_id: SymbolId::new(1123),
        trade_type: TradeType::CfdCrossMargin,
        trade_mode: TradeMode::Unknown(0),
    };

    fn docs_ticker() -> QuotePush {
        QuotePush::Ticker(TickerPush {
            product: PRODUCT,
            seq: 1232312,
            tick_time: 34545435345,
            price: dec("6.23"),
            bid: dec("6.23"),
            ask: dec("6.24"),
            bid_volume: dec("123"),
            ask_volume: dec("234"),
        })
    }

    fn docs_trade() -> QuotePush {
        QuotePush::Trade(TradePush {
            product: PRODUCT,
            seq: 1232312,
            tick_time: 34545435345,
            price: dec("6.23"),
            volume: dec("1000"),
            direction: TradeDirection::Buy,
        })
    }

    fn depth(bids: Vec<Level>, asks: Vec<Level>) -> QuotePush {
        QuotePush::Depth(DepthPush {
            product: PRODUCT,
            seq: 1232312,
            tick_time: 34545435345,
            bids,
            asks,
        })
    }

    fn parse(text: &str) -> QuotePush {
        QuotePush::parse(text).unwrap_or_else(|e| panic!("{text:?} should parse: {e}"))
    }

    fn parse_err(text: &str) -> PushError {
        match QuotePush::parse(text) {
            Ok(push) => panic!("{text:?} should not parse, got {push:?}"),
            Err(error) => error,
        }
    }

    #[track_caller]
    fn assert_error(text: &str, offset: usize, expected: &str) {
        let error = parse_err(text);
        assert_eq!(
            (error.offset(), error.expected()),
            (offset, expected),
            "{text:?}: {error}"
        );
    }

    /// The canonical rendering of a push, as the fuzz target writes it.
    fn render(push: &QuotePush) -> String {
        let mut out = String::new();
        match push {
            QuotePush::Ticker(t) => {
                let Product {
                    symbol_id,
                    trade_type,
                    trade_mode,
                } = t.product;
                write!(
                    out,
                    "p({symbol_id},{trade_type},{trade_mode},{},{},{},{},{},{},{});",
                    t.seq, t.tick_time, t.price, t.bid, t.ask, t.bid_volume, t.ask_volume
                )
            }
            QuotePush::Trade(t) => {
                let Product {
                    symbol_id,
                    trade_type,
                    trade_mode,
                } = t.product;
                let direction = match t.direction {
                    TradeDirection::Unspecified => 0,
                    TradeDirection::Buy => 1,
                    TradeDirection::Sell => 2,
                    TradeDirection::Other(code) => code,
                };
                write!(
                    out,
                    "pt({symbol_id},{trade_type},{trade_mode},{},{},{},{},{direction});",
                    t.seq, t.tick_time, t.price, t.volume
                )
            }
            QuotePush::Depth(d) => {
                let Product {
                    symbol_id,
                    trade_type,
                    trade_mode,
                } = d.product;
                write!(
                    out,
                    "pd({symbol_id},{trade_type},{trade_mode},{},{});",
                    d.seq, d.tick_time
                )
                .unwrap();
                for side in [&d.bids, &d.asks] {
                    for Level { price, volume } in side {
                        write!(out, "({price},{volume})").unwrap();
                    }
                    out.push(';');
                }
                Ok(())
            }
        }
        .unwrap();
        out
    }

    #[test]
    fn ticker_docs_example() {
        let text = "p(1123,1,0,1232312,34545435345,6.23,6.23,6.24,123,234);";
        assert_eq!(parse(text), docs_ticker());
    }

    #[test]
    fn trade_docs_example() {
        let text = "pt(1123,1,0,1232312,34545435345,6.23,1000,1);";
        assert_eq!(parse(text), docs_trade());
    }

    #[test]
    fn depth_docs_examples() {
        assert_eq!(
            parse("pd(1123,1,0,1232312,34545435345);(6.23,123)(6.22,256);(6.24,111)(6.25,222);"),
            depth(
                vec![level("6.23", "123"), level("6.22", "256")],
                vec![level("6.24", "111"), level("6.25", "222")],
            )
        );
        assert_eq!(
            parse(
                "pd(1123,1,0,1232312,34545435345) ;(6.23,123)(6.22,256);(6.24,111)(6.25,222)(6.25,333);"
            ),
            depth(
                vec![level("6.23", "123"), level("6.22", "256")],
                vec![
                    level("6.24", "111"),
                    level("6.25", "222"),
                    level("6.25", "333")
                ],
            )
        );
        assert_eq!(
            parse("pd(1123,1,0,1232312,34545435345);;(6.24,111)( 6.25,222)(6.25,333);"),
            depth(
                vec![],
                vec![
                    level("6.24", "111"),
                    level("6.25", "222"),
                    level("6.25", "333")
                ],
            )
        );
    }

    #[test]
    fn depth_with_empty_ask_side_or_both_sides_empty() {
        assert_eq!(
            parse("pd(1123,1,0,1232312,34545435345);(6.23,123)(6.22,256);;"),
            depth(vec![level("6.23", "123"), level("6.22", "256")], vec![])
        );
        assert_eq!(
            parse("pd(1123,1,0,1232312,34545435345);;;"),
            depth(vec![], vec![])
        );
    }

    #[test]
    fn eighteen_significant_digits_parse_exactly() {
        let text = "p(1123,1,0,1232312,34545435345,1234567890.12345678,0.000000000000000001,\
                    999999999999999999,1234567890.12345678,12345678.9012345678);";
        let QuotePush::Ticker(ticker) = parse(text) else {
            panic!("not a ticker");
        };
        assert_eq!(ticker.price, dec("1234567890.12345678"));
        assert_eq!(ticker.price.to_string(), "1234567890.12345678");
        assert_eq!(ticker.bid.to_string(), "0.000000000000000001");
        assert_eq!(ticker.ask.to_string(), "999999999999999999");
        assert_eq!(ticker.ask_volume.to_string(), "12345678.9012345678");
        // Trailing zeros are kept as sent: the scale is the wire's.
        let QuotePush::Trade(trade) = parse("pt(1,1,0,1,1,6.2300,1000.0,0);") else {
            panic!("not a trade");
        };
        assert_eq!(trade.price.to_string(), "6.2300");
        assert_eq!(trade.volume.to_string(), "1000.0");
    }

    #[test]
    fn whitespace_around_every_token() {
        assert_eq!(
            parse(" \t\r\np( 1123 ,\t1 , 0,1232312 ,34545435345, 6.23 ,6.23,6.24 , 123,234 ) ; \n"),
            docs_ticker()
        );
        assert_eq!(
            parse("\npt(\n1123\n,1,0,1232312,34545435345,6.23,1000,\t1\t)\t;\t"),
            docs_trade()
        );
        assert_eq!(
            parse(
                "  pd( 1123 ,1,0,1232312,34545435345 ) ; ( 6.23 , 123 ) ( 6.22,256 ) ; \
                 (6.24,111)\n(6.25,222) ;\r\n"
            ),
            depth(
                vec![level("6.23", "123"), level("6.22", "256")],
                vec![level("6.24", "111"), level("6.25", "222")],
            )
        );
    }

    #[test]
    fn final_semicolon_may_be_missing() {
        assert_eq!(
            parse("p(1123,1,0,1232312,34545435345,6.23,6.23,6.24,123,234)"),
            docs_ticker()
        );
        assert_eq!(
            parse("pt(1123,1,0,1232312,34545435345,6.23,1000,1)  "),
            docs_trade()
        );
        assert_eq!(
            parse("pd(1123,1,0,1232312,34545435345);(6.23,123);(6.24,111) "),
            depth(vec![level("6.23", "123")], vec![level("6.24", "111")])
        );
        assert_eq!(
            parse("pd(1123,1,0,1232312,34545435345);(6.23,123);"),
            depth(vec![level("6.23", "123")], vec![])
        );
        assert_eq!(
            parse("pd(1123,1,0,1232312,34545435345);;"),
            depth(vec![], vec![])
        );
    }

    #[test]
    fn trade_directions() {
        for (code, direction) in [
            ("0", TradeDirection::Unspecified),
            ("1", TradeDirection::Buy),
            ("2", TradeDirection::Sell),
            ("3", TradeDirection::Other(3)),
            ("4294967295", TradeDirection::Other(u32::MAX)),
        ] {
            let QuotePush::Trade(trade) = parse(&format!("pt(1,1,0,1,1,6.23,1000,{code});")) else {
                panic!("not a trade");
            };
            assert_eq!(trade.direction, direction);
        }
    }

    #[test]
    fn integer_limits() {
        let push = parse("pt(9223372036854775807,4294967295,0,18446744073709551615,0,1,1,0);");
        assert_eq!(
            push.product(),
            Product {
                symbol_id: SymbolId::new(i64::MAX),
                trade_type: TradeType::Unknown(4_294_967_295),
                trade_mode: TradeMode::Unknown(0),
            }
        );
        assert_eq!(push.seq(), u64::MAX);
        // Leading zeros are digits like any other.
        assert_eq!(
            parse("pt(0001123,1,0,1232312,34545435345,6.23,1000,01);"),
            docs_trade()
        );
    }

    #[test]
    fn overlong_integers_are_errors() {
        // i64::MAX + 1.
        assert_error(
            "p(9223372036854775808,1,0,1,1,1,1,1,1,1);",
            2,
            "a number for `symbol_id`",
        );
        assert_error(
            "p(1,1,0,99999999999999999999999999,1,1,1,1,1,1);",
            8,
            "a u64 for `seq`",
        );
        // i64::MAX + 1: ids and codes are i64.
        assert_error(
            "p(1,9223372036854775808,0,1,1,1,1,1,1,1);",
            4,
            "a number for `trade_type`",
        );
        assert_error(
            "pt(1,1,0,1,1,1,1,4294967296);",
            17,
            "a u32 for `trade_direction`",
        );
    }

    #[test]
    fn accessors() {
        let pushes = [
            docs_ticker(),
            docs_trade(),
            depth(vec![], vec![level("1", "2")]),
        ];
        for push in pushes {
            assert_eq!(push.product(), PRODUCT);
            assert_eq!(push.seq(), 1232312);
        }
    }

    #[test]
    fn error_message_says_what_where_and_near() {
        let error = parse_err("p(1123,1,0,1232312,34545435345,6.2x,6.23,6.24,123,234);");
        assert_eq!(error.offset(), 31);
        assert_eq!(error.expected(), "a decimal for `price`");
        assert_eq!(
            error.to_string(),
            "ticker push: expected a decimal for `price` at byte 31 \
             near \"6.2x,6.23,6.24,123,234);\""
        );
        let error = parse_err("pt(1123,1,0,1232312,34545435345,6.23,1000,1");
        assert_eq!(
            error.to_string(),
            "trade push: expected `)` at byte 43 (end of text)"
        );
    }

    #[test]
    fn excerpt_is_at_most_32_chars_and_cut_on_char_boundaries() {
        let text = format!("p(1,1,0,1,1,{},1,1,1,1);", "é".repeat(40));
        let error = parse_err(&text);
        assert_eq!(error.offset(), 12);
        assert_eq!(error.excerpt, "é".repeat(32));
        let error = parse_err("ticker ééé");
        assert_eq!((error.offset(), error.excerpt.as_str()), (0, "ticker ééé"));
        let error = parse_err(&format!("{}pz", " ".repeat(100)));
        assert_eq!((error.offset(), error.excerpt.as_str()), (100, "pz"));
    }

    #[test]
    fn unknown_prefix() {
        let expected = "`p(`, `pt(` or `pd(`";
        assert_error("", 0, expected);
        assert_error("   ", 3, expected);
        assert_error(r#"{"ret":200,"cmd_id":14001}"#, 0, expected);
        assert_error("  q(1,1,0,1,1);", 2, expected);
        assert_error("p (1,1,0,1,1,1,1,1,1,1);", 0, expected);
        assert_error("pk(1,1,0,1,1,1,1,1);", 0, expected);
        assert_error("P(1,1,0,1,1,1,1,1,1,1);", 0, expected);
        assert_eq!(
            parse_err("hello").to_string(),
            "quote push: expected `p(`, `pt(` or `pd(` at byte 0 near \"hello\""
        );
    }

    #[test]
    fn malformed_fields() {
        // Empty fields.
        assert_error("p(,1,0,1,1,1,1,1,1,1);", 2, "a number for `symbol_id`");
        assert_error("p(1,1,0,1,1,,1,1,1,1);", 12, "a decimal for `price`");
        assert_error("p(1,1,0,1,1,1,1,1,1, );", 21, "a decimal for `volume_ask1`");
        // Signs, fractions and junk in integers.
        assert_error("p(-1,1,0,1,1,1,1,1,1,1);", 2, "a number for `symbol_id`");
        assert_error("p(+1,1,0,1,1,1,1,1,1,1);", 2, "a number for `symbol_id`");
        assert_error("p(1,1.0,0,1,1,1,1,1,1,1);", 4, "a number for `trade_type`");
        assert_error("p(1,1,0x1,1,1,1,1,1,1,1);", 6, "a number for `trade_mode`");
        assert_error("p(1,1,0,1,1e3,1,1,1,1,1);", 10, "a u64 for `tick_time`");
        // Whitespace inside a token splits it.
        assert_error("p(1,1,0,12 34,1,1,1,1,1,1);", 11, "`,`");
        // Decimals `from_str_exact` rejects.
        assert_error("p(1,1,0,1,1,abc,1,1,1,1);", 12, "a decimal for `price`");
        assert_error(
            "p(1,1,0,1,1,1,1e3,1,1,1);",
            14,
            "a decimal for `price_bid1`",
        );
        assert_error(
            "p(1,1,0,1,1,1,1,1.2.3,1,1);",
            16,
            "a decimal for `price_ask1`",
        );
        assert_error(
            "p(1,1,0,1,1,1,1,1,1.12345678901234567890123456789,1);",
            18,
            "a decimal for `volume_bid1`",
        );
        assert_error("pt(1,1,0,1,1,1,x,1);", 15, "a decimal for `volume`");
        assert_error("pt(1,1,0,1,1,1,1,buy);", 17, "a u32 for `trade_direction`");
    }

    #[test]
    fn missing_and_extra_fields() {
        // Nine ticker fields: a `,` was due where the `)` is.
        assert_error("p(1,1,0,1,1,1,1,1,1);", 19, "`,`");
        // Eleven: a `)` was due where the tenth `,` is.
        assert_error("p(1,1,0,1,1,1,1,1,1,1,1);", 21, "`)`");
        assert_error("pt(1,1,0,1,1,1,1);", 16, "`,`");
        assert_error("pt(1,1,0,1,1,1,1,1,1);", 18, "`)`");
        assert_error("pd(1,1,0,1);;;", 10, "`,`");
        assert_error("pd(1,1,0,1,1,1);;;", 12, "`)`");
        // Cut short.
        assert_error("p(1,1,0,1,1,1,1,1,1,1", 21, "`)`");
        assert_error("pt(", 3, "a number for `symbol_id`");
        assert_error("pd(1,1,0,1,1", 12, "`)`");
    }

    #[test]
    fn trailing_garbage() {
        assert_error("p(1,1,0,1,1,1,1,1,1,1);x", 23, "end of text");
        assert_error("p(1,1,0,1,1,1,1,1,1,1); ;", 24, "end of text");
        assert_error("p(1,1,0,1,1,1,1,1,1,1) x", 23, "`;` or end of text");
        assert_error(
            "pt(1,1,0,1,1,1,1,1);pt(1,1,0,1,1,1,1,1);",
            20,
            "end of text",
        );
        assert_error("pd(1,1,0,1,1);;; x", 17, "end of text");
        assert_error("pd(1,1,0,1,1);;(1,1);(2,2)", 21, "end of text");
    }

    #[test]
    fn malformed_depth() {
        // The header's `;` is not optional.
        assert_error("pd(1,1,0,1,1)(1,1);(2,2);", 13, "`;`");
        assert_error("pd(1,1,0,1,1)", 13, "`;`");
        // The bid side must end with `;`.
        assert_error("pd(1,1,0,1,1);", 14, "`(` or `;`");
        assert_error("pd(1,1,0,1,1);(1,1)", 19, "`(` or `;`");
        assert_error("pd(1,1,0,1,1);(1,1)x;;", 19, "`(` or `;`");
        assert_error("pd(1,1,0,1,1);;(1,1)x", 20, "`(`, `;` or end of text");
        // Levels are exactly `(price,volume)`.
        assert_error("pd(1,1,0,1,1);(1);;", 16, "`,`");
        assert_error("pd(1,1,0,1,1);(1,1,1);;", 18, "`)`");
        assert_error("pd(1,1,0,1,1);(,1);;", 15, "a decimal for a bid price");
        assert_error("pd(1,1,0,1,1);(1,);;", 17, "a decimal for a bid volume");
        assert_error("pd(1,1,0,1,1);;(x,1);", 16, "a decimal for an ask price");
        assert_error("pd(1,1,0,1,1);;(1,1", 19, "`)`");
        assert_error("pd(1,1,0,1,1);;(1,y)", 18, "a decimal for an ask volume");
    }

    #[test]
    fn is_push_tells_pushes_from_json() {
        for push in [
            "p(1123,1,0,1232312,34545435345,6.23,6.23,6.24,123,234);",
            "pt(1123,1,0,1232312,34545435345,6.23,1000,1);",
            " \n\tpd(1123,1,0,1232312,34545435345);;;",
            "p(",
        ] {
            assert!(is_push(push), "{push:?}");
        }
        for not in [
            r#"{"ret":200,"msg":"ok","cmd_id":14001,"seq_id":123,"data":{}}"#,
            r#"  {"cmd_id":14000}"#,
            "",
            "  ",
            "p",
            "pt",
            "p (",
            "px(",
            "ping",
        ] {
            assert!(!is_push(not), "{not:?}");
        }
    }

    /// What the fuzz target checks, on random edits of valid pushes: no panic, errors point at a
    /// char boundary inside the text, a successful parse starts with its tag and survives a
    /// canonical render and reparse, and `is_push` agrees.
    #[test]
    fn random_edits_never_panic_and_what_parses_round_trips() {
        const SEEDS: [&str; 6] = [
            "p(1123,1,0,1232312,34545435345,6.23,6.23,6.24,123,234);",
            "pt(1123,1,0,1232312,34545435345,6.23,1000,1);",
            "pd(1123,1,0,1232312,34545435345);(6.23,123)(6.22,256);(6.24,111)(6.25,222);",
            "pd(1123,1,0,1232312,34545435345) ;(6.23,123)(6.22,256);(6.24,111)(6.25,222)(6.25,333);",
            "pd(1123,1,0,1232312,34545435345);;(6.24,111)( 6.25,222)(6.25,333);",
            "p(18446744073709551615,4294967295,0,1,1,1234567890.12345678,-0.5,1_000,0.0,-0)",
        ];
        const ALPHABET: &[u8] = b"0123456789.,;() \t-+_ptdxe9";
        let mut rng = fastrand::Rng::with_seed(0x5eed_cafe);
        let mut parsed = 0;
        for _ in 0..50_000 {
            let mut bytes = SEEDS[rng.usize(..SEEDS.len())].as_bytes().to_vec();
            for _ in 0..rng.usize(1..4) {
                let at = rng.usize(..=bytes.len());
                match rng.u8(..4) {
                    0 if at < bytes.len() => {
                        bytes.remove(at);
                    }
                    1 if at < bytes.len() => bytes[at] = ALPHABET[rng.usize(..ALPHABET.len())],
                    2 => bytes.insert(at, ALPHABET[rng.usize(..ALPHABET.len())]),
                    _ => bytes.truncate(at),
                }
            }
            let Ok(text) = std::str::from_utf8(&bytes) else {
                continue;
            };
            let push = match QuotePush::parse(text) {
                Ok(push) => push,
                Err(error) => {
                    assert!(text.is_char_boundary(error.offset()), "{text:?}: {error}");
                    continue;
                }
            };
            parsed += 1;
            assert!(is_push(text), "{text:?}");
            let tag = match push {
                QuotePush::Ticker(_) => "p(",
                QuotePush::Trade(_) => "pt(",
                QuotePush::Depth(_) => "pd(",
            };
            assert!(text.trim_ascii_start().starts_with(tag), "{text:?}");
            let rendered = render(&push);
            assert_eq!(QuotePush::parse(&rendered).as_ref(), Ok(&push), "{text:?}");
        }
        // The edits keep a fair share of pushes valid, so the round trip is exercised.
        assert!(parsed > 1_000, "only {parsed} edited pushes parsed");
    }
}
