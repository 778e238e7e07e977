//! Any text frame, parsed as a market-data push: an error or a push, never a panic; errors
//! point inside the text and stay short; a push starts with its tag and survives being
//! rendered in the canonical grammar and parsed again.

#![no_main]

use std::fmt::Write as _;

use libfuzzer_sys::fuzz_target;
use mm_sdk::streams::{Level, Product, QuotePush, TradeDirection, is_push};

/// The push in the canonical grammar: no whitespace, every `;`, decimals as `Display` writes
/// them (which keeps their scale).
fn render(push: &QuotePush) -> String {
    fn header(out: &mut String, tag: &str, product: Product, seq: u64, tick_time: u64) {
        let Product {
            symbol_id,
            trade_type,
            trade_mode,
        } = product;
        write!(
            out,
            "{tag}({symbol_id},{trade_type},{trade_mode},{seq},{tick_time}"
        )
        .unwrap();
    }
    let mut out = String::new();
    match push {
        QuotePush::Ticker(t) => {
            header(&mut out, "p", t.product, t.seq, t.tick_time);
            write!(
                out,
                ",{},{},{},{},{});",
                t.price, t.bid, t.ask, t.bid_volume, t.ask_volume
            )
            .unwrap();
        }
        QuotePush::Trade(t) => {
            header(&mut out, "pt", t.product, t.seq, t.tick_time);
            let direction = match t.direction {
                TradeDirection::Unspecified => 0,
                TradeDirection::Buy => 1,
                TradeDirection::Sell => 2,
                TradeDirection::Other(code) => {
                    assert!(code > 2, "direction {code} has its own variant");
                    code
                }
                other => unimplemented!("render {other:?}"),
            };
            write!(out, ",{},{},{direction});", t.price, t.volume).unwrap();
        }
        QuotePush::Depth(d) => {
            header(&mut out, "pd", d.product, d.seq, d.tick_time);
            out.push_str(");");
            for side in [&d.bids, &d.asks] {
                for Level { price, volume } in side {
                    write!(out, "({price},{volume})").unwrap();
                }
                out.push(';');
            }
        }
        other => unimplemented!("render {other:?}"),
    }
    out
}

fn tag(push: &QuotePush) -> &'static str {
    match push {
        QuotePush::Ticker(_) => "p(",
        QuotePush::Trade(_) => "pt(",
        QuotePush::Depth(_) => "pd(",
        other => unimplemented!("tag of {other:?}"),
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let push = match QuotePush::parse(text) {
        Ok(push) => push,
        Err(error) => {
            assert!(error.offset() <= text.len(), "{error}");
            assert!(text.is_char_boundary(error.offset()), "{error}");
            let shown = error.to_string();
            assert!(shown.contains(error.expected()), "{shown}");
            // A 32-char excerpt, even fully escaped, plus the message around it.
            assert!(shown.len() <= 512, "{shown}");
            return;
        }
    };
    assert!(is_push(text), "{text:?} parsed but is_push says no");
    assert!(
        text.trim_ascii_start().starts_with(tag(&push)),
        "{text:?} parsed as {push:?}"
    );
    let rendered = render(&push);
    let reparsed = QuotePush::parse(&rendered)
        .unwrap_or_else(|error| panic!("{text:?} rendered as {rendered:?}: {error}"));
    assert_eq!(reparsed, push, "{text:?} rendered as {rendered:?}");
    assert_eq!(reparsed.product(), push.product());
    assert_eq!(reparsed.seq(), push.seq());
    // The canonical form is a fixed point.
    assert_eq!(render(&reparsed), rendered);
});
