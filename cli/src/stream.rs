//! `mm stream market-data|open-messages|data-push`: a stream's events as JSON lines (one
//! `{"event": ..., "data": ...}` per line, flushed as each arrives) until interrupted, or
//! until `--count` events.

use clap::{Arg, ArgAction, ArgMatches, Command};
use futures::{Stream, StreamExt};
use mm_sdk::enums::{TradeMode, TradeType};
use mm_sdk::ids::SymbolId;
use mm_sdk::streams::{Product, StreamError};
use mm_sdk::{Error, ErrorKind, MultiMarkets};
use serde::Serialize;

/// `mm stream`.
pub(crate) fn command() -> Command {
    let count = Arg::new("count")
        .long("count")
        .value_name("N")
        .value_parser(clap::value_parser!(u64))
        .help("Stop after N events (default: run until interrupted)");
    Command::new("stream")
        .about("Print a stream's events as JSON lines until interrupted")
        .subcommand_required(true)
        .arg_required_else_help(true)
        .subcommand(
            Command::new("market-data")
                .about("Ticker quotes of products: the snapshot, then each push")
                .arg(
                    Arg::new("product")
                        .long("product")
                        .value_name("SYMBOL:TRADE_TYPE:TRADE_MODE")
                        .required(true)
                        .action(ArgAction::Append)
                        .help("A product by its symbol id, trade type and trade mode codes, as a product listing gives them (`2:3:1`); repeat for more"),
                )
                .arg(count.clone()),
        )
        .subcommand(
            Command::new("open-messages")
                .about("A customer's trade and asset messages, with the configured Open API key")
                .arg(
                    Arg::new("app-id")
                        .long("app-id")
                        .value_name("ID")
                        .required(true)
                        .help("The application the Open API key belongs to"),
                )
                .arg(
                    Arg::new("assets")
                        .long("assets")
                        .value_name("TRADE_TYPE")
                        .value_parser(clap::value_parser!(i64))
                        .action(ArgAction::Append)
                        .help("Also subscribe to the asset messages of this trade type code; repeat for more"),
                )
                .arg(count.clone()),
        )
        .subcommand(
            Command::new("data-push")
                .about("The white label's business events, with the configured Manager token")
                .arg(
                    Arg::new("group")
                        .long("group")
                        .value_name("NAME")
                        .help("The consumer group, shared by processes that split the events"),
                )
                .arg(count),
        )
}

fn input(message: String) -> Error {
    Error::from(ErrorKind::InvalidInput(message))
}

fn stream_error(error: &StreamError) -> Error {
    Error::from(ErrorKind::Config(format!("the stream: {error}")))
}

/// `SYMBOL:TRADE_TYPE:TRADE_MODE` as a product.
fn product(text: &str) -> Result<Product, Error> {
    let codes: Vec<i64> = text
        .split(':')
        .map(str::parse)
        .collect::<Result<_, _>>()
        .map_err(|_| {
            input(format!(
                "--product {text}: not SYMBOL:TRADE_TYPE:TRADE_MODE codes"
            ))
        })?;
    let [symbol, trade_type, trade_mode] = codes[..] else {
        return Err(input(format!(
            "--product {text}: three codes, SYMBOL:TRADE_TYPE:TRADE_MODE"
        )));
    };
    Ok(Product {
        symbol_id: SymbolId::new(symbol),
        trade_type: TradeType::from(trade_type),
        trade_mode: TradeMode::from(trade_mode),
    })
}

/// Runs `mm stream <which>` with `mm`; returns once interrupted or `--count` events are
/// printed.
pub(crate) async fn run(matches: &ArgMatches, mm: &MultiMarkets) -> Result<(), Error> {
    let Some((which, matches)) = matches.subcommand() else {
        return Err(input(
            "mm stream market-data|open-messages|data-push".into(),
        ));
    };
    let count = matches.get_one::<u64>("count").copied();
    match which {
        "market-data" => {
            let products = matches
                .get_many::<String>("product")
                .into_iter()
                .flatten()
                .map(|p| product(p))
                .collect::<Result<Vec<_>, _>>()?;
            let (quotes, events) = mm
                .market_data()
                .connect()
                .await
                .map_err(|e| stream_error(&e))?;
            quotes
                .subscribe_tickers(products)
                .await
                .map_err(|e| stream_error(&e))?;
            let printed = print(events, count).await;
            quotes.close().await;
            printed
        }
        "open-messages" => {
            let app = matches
                .get_one::<String>("app-id")
                .cloned()
                .unwrap_or_default();
            let (messages, events) = mm
                .open_messages(app)
                .connect()
                .await
                .map_err(|e| stream_error(&e))?;
            let assets: Vec<TradeType> = matches
                .get_many::<i64>("assets")
                .into_iter()
                .flatten()
                .map(|code| TradeType::from(*code))
                .collect();
            if !assets.is_empty() {
                messages
                    .subscribe_assets(assets)
                    .await
                    .map_err(|e| stream_error(&e))?;
            }
            let printed = print(events, count).await;
            messages.close().await;
            printed
        }
        _ => {
            let mut builder = mm.data_push();
            if let Some(group) = matches.get_one::<String>("group") {
                builder = builder.group(group);
            }
            let (push, events) = builder.connect().await.map_err(|e| stream_error(&e))?;
            let printed = print(events, count).await;
            push.close().await;
            printed
        }
    }
}

/// Prints each event as a JSON line until Ctrl-C, `count` events, or the stream's end; a
/// fatal stream error ends it as an error.
async fn print<E: Serialize>(
    events: impl Stream<Item = Result<E, StreamError>> + Unpin,
    count: Option<u64>,
) -> Result<(), Error> {
    let mut events = events;
    let mut printed = 0;
    let interrupted = tokio::signal::ctrl_c();
    tokio::pin!(interrupted);
    while count.is_none_or(|n| printed < n) {
        let event = tokio::select! {
            _ = &mut interrupted => return Ok(()),
            event = events.next() => event,
        };
        let Some(event) = event else { return Ok(()) };
        let event = match event {
            Ok(event) => event,
            Err(e) if e.is_fatal() => return Err(stream_error(&e)),
            // Reconnecting: said on standard error, the stream goes on.
            Err(e) => {
                eprintln!("warning: {e}");
                continue;
            }
        };
        let line = serde_json::to_string(&event)
            .map_err(|e| input(format!("an event cannot be written as JSON: {e}")))?;
        match crate::output::json_line(&line) {
            Ok(true) => printed += 1,
            Ok(false) => return Ok(()),
            Err(e) => return Err(input(format!("cannot print: {e}"))),
        }
    }
    Ok(())
}
