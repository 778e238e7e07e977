//! Market data: subscribe to two products' tickers, print a few pushes, then fetch the last
//! hour of one-minute K-lines.
//!
//! ```sh
//! cargo run -p mm-sdk --example market_data --features streams,sandbox
//! ```
//!
//! With no `MM_COMPANY_ID` it runs against an in-process sandbox (guest feed, sandbox
//! products); with one, against the configured environment's guest feed.

mod common;

use futures::StreamExt;
use mm_sdk::enums::{TradeMode, TradeType};
use mm_sdk::ids::SymbolId;
use mm_sdk::streams::{Bars, KlineType, MarketEvent, Product};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let common::Connection {
        mm,
        sandbox: _sandbox,
    } = common::connect().await?;

    // Products are keyed by symbol id, trade type and trade mode: a product listing (the Open
    // API's `open_symbol_base_info`, the Manager API's `product_list`) gives each product's
    // `symbol_id`, `trade_type` and `deal_mode`, its trade mode. These two are in the
    // sandbox's catalogue.
    let usdchf = Product {
        symbol_id: SymbolId::new(2),
        trade_type: TradeType::LeveragedCrossMargin,
        trade_mode: TradeMode::MarketMaker,
    };
    let gbpusd = Product {
        symbol_id: SymbolId::new(4),
        ..usdchf
    };

    let (quotes, mut events) = mm.market_data().connect().await?;
    quotes.subscribe_tickers([usdchf, gbpusd]).await?;

    let mut pushes = 0;
    while let Some(event) = events.next().await {
        match event? {
            MarketEvent::TickerSnapshot(ticks) => println!("snapshot of {} products", ticks.len()),
            MarketEvent::Ticker(tick) => {
                println!(
                    "{} #{}: last {} bid {} ask {}",
                    tick.product.symbol_id, tick.seq, tick.price, tick.bid, tick.ask
                );
                pushes += 1;
                if pushes == 6 {
                    break;
                }
            }
            other => println!("{other:?}"),
        }
    }

    let history = quotes
        .klines(usdchf, KlineType::Minute1, Bars::Latest(60))
        .await?;
    let closes: Vec<_> = history
        .kline_list
        .iter()
        .filter_map(|bar| bar.close_price)
        .collect();
    println!(
        "{} one-minute bars; first close {:?}, last close {:?}",
        closes.len(),
        closes.first(),
        closes.last()
    );
    quotes.close().await;
    Ok(())
}
