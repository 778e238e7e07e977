//! A local, stateful stand-in for the MultiMarkets Client, Manager and Auth2 APIs and their
//! WebSocket streams, so the SDK can be seen working, and tested, with no account and no
//! network.
//!
//! ```no_run
//! # async fn run() -> Result<(), mm_sdk_sandbox::StartError> {
//! let sandbox = mm_sdk_sandbox::Sandbox::start(mm_sdk_sandbox::Config::default()).await?;
//! println!("listening at {}", sandbox.base_url());
//! # Ok(()) }
//! ```
//!
//! From the command line, `cargo run -p mm-sdk-sandbox -- [--port N] [--state FILE]` (or
//! `cargo xtask sandbox`, which runs it) starts one and prints its base URL and credentials.
//! In an integrator's tests, `mm-sdk`'s `sandbox` feature starts one and configures a client
//! for it (`mm_sdk::sandbox`).
//!
//! # What it speaks
//!
//! Upstream's wire format: the paths of `openapi/*.yaml`, all `POST` with JSON bodies, every
//! answer an HTTP 200 envelope `{msg, fail, trace, code, data, bizCode, tm, msgParams, ok}`,
//! and the error codes of upstream's tables. One base URL serves the three APIs and the two
//! trading-UI pages the flows visit (see [`Sandbox::base_url`]), and the three WebSocket
//! streams (`ws://` at the same address):
//!
//! - **Market data**, `GET /apiQuote/quote?token=…`, `/apiQuote/quote_stock?token=…` (a
//!   token of a Client API `login`, or the session token it was exchanged for; without a
//!   valid one the handshake is refused with HTTP 401) and `/apiQuote/quote_guest` (no
//!   token). The sandbox sets `TCP_NODELAY`, so small frames are not held back; a test client
//!   on a paused clock should set it too. Requests are JSON text frames
//!   `{cmd_id, seq_id, ext, data}`, answered `{ret, msg, cmd_id: cmd_id + 1, seq_id, ext,
//!   data}` (`ret` 200, `msg` `ok` on success): 14000 subscribes to tickers and 14010 to the
//!   market (each replaces the connection's previous subscription of its kind and answers a
//!   snapshot `tick_list`), 14006 cancels (`cancel_type` 0 all, 1 ticker, 2 market, 3
//!   nothing), 14008 is the heartbeat, 14012 queries K-lines (the whole 14013 answer, error
//!   or not, is zlib-compressed in a binary frame). Every [`Config::quote_interval`] each
//!   subscribed product ticks once and its pushes follow, one text frame each:
//!   `p(symbol_id,trade_type,trade_mode,seq,tick_time,price,bid,ask,bid_volume,ask_volume);`
//!   for tickers, `pd(symbol_id,trade_type,trade_mode,seq,tick_time);(bid,vol)…;(ask,vol)…;`
//!   (`depth_level` levels, 1 if absent) and
//!   `pt(symbol_id,trade_type,trade_mode,seq,tick_time,price,volume,direction);` for the
//!   market. The products are those of the docs' `product_list` example, each identified by
//!   `symbol_id` and `trade_type` together (USDCHF is 2 and 3); `seq` counts each product's
//!   ticks from 1, across connections, and all pushes of a tick share it; `tick_time` is in
//!   milliseconds on the sandbox's clock; prices walk deterministically within 50 points of
//!   a base price, so the `n`-th tick of a product is always the same. Errors: 201 for a
//!   frame that is not a JSON object with `cmd_id`, `seq_id` and `ext` (what is known is
//!   echoed, 0 and `""` otherwise), 202 for bad data (unknown product or `cmd_id`, more than
//!   100 products, `query_kline_num` 0 or above 1000), 500 "request frequency too fast" for
//!   the 51st request within a second; a connection with no 14008 for
//!   [`Config::quote_heartbeat_timeout`] is closed with code 4000 "heartbeat timeout".
//! - **Open API messages**, `GET /openapi-c/openMsg/{appId}` (any app id). Requests
//!   `{head:{msgType, token, sendTime, lang}, data, device, seqId, trace}` with `msgType`
//!   `ping`, `login`, `subscribe_asset` (`data.tradeTypes` `"1,2"`),
//!   `cancel_subscribe_asset` (all without `tradeTypes`) and `logout`; the token is one
//!   `open_msg_token` issued, valid for [`Config::msg_token_ttl`]. Every request is
//!   answered `{msgCode: msgType ("pong" for ping), timestamp, trace, seqId, content: {code:
//!   "0", msg: "success"}}`; one before `login`, or whose token is unknown or expired, gets
//!   `content: {code: "401", msg: "token invalid"}` and the connection stays open; a frame
//!   that is not a request gets `msgCode` `error` and code `"400"`. After `logout` the
//!   sandbox closes the connection (1000). [`Sandbox::emit_trade_message`] sends
//!   `{msgCode: "trade", timestamp, trace, seqId, content}` to the logged-in sessions
//!   subscribed to the content's `tradeType`. A session silent for
//!   [`Config::open_messages_heartbeat_timeout`] is closed with 4000 "heartbeat timeout".
//! - **Manager Data Push**, `GET /openapi-b/ws` with the headers `token` (the Manager token,
//!   else HTTP 401) and optionally `group`. Frames are text `{"data":{…},"eventType":"…"}`; a
//!   `ping` text is answered with a WebSocket pong (payload `pong`); a connection silent for
//!   [`Config::data_push_heartbeat_timeout`] is closed with 4000 "heartbeat timeout".
//!
//! Tests can break the streams on purpose with [`Sandbox::inject`]: the next frame the
//! sandbox sends on every open connection of a stream is cut in half before the TCP
//! connection is dropped ([`StreamFault::DropMidFrame`]), never sent, the connection going
//! silent until the client leaves ([`StreamFault::Stall`]), sent whole before the connection
//! is dropped and then, for Data Push, sent again on the next connection
//! ([`StreamFault::DropAfterFrame`]), or preceded by a frame that is not valid for the stream
//! ([`StreamFault::MalformedFrame`]). [`Sandbox::fail_next_quote_request`]
//! makes a market-data request fail with a chosen `ret`; [`Sandbox::stream_connections`] and
//! [`Sandbox::stream_requests`] count handshakes and time requests. All the streams' timing
//! is `tokio::time`, so tests on a paused clock run heartbeat timeouts in no time.
//!
//! # What it keeps
//!
//! - The answer to each `idempotency-key` of a Client API call under `/api`, for 24 hours on
//!   its clock, per company, path and key, as upstream's gateway documents it: a repeat gets
//!   the first answer without the operation running again, and a repeat while the first is
//!   still being answered gets `GGATEWAY_CODE_018`.
//! - Customers registered through the Manager API by email or phone, with a trading account
//!   per requested currency. A second registration of an email answers
//!   `USCUSTOMER_API_0000107`, of a phone number `USCUSTOMER_API_0000106`. Passwords are kept
//!   and checked in their MD5 form.
//! - Login (`USCUSTOMER_API_0000102` for a wrong password) issues a login token; the trading
//!   UI exchanges it once (`/global/thirdExt/randomKey`); a second use, an unknown or an
//!   expired token answers `USCUSTOMER_API_0000128`.
//! - Auth2: codes are single-use and expire (an unknown, used or expired code answers
//!   `GGATEWAY_CODE_015`); access tokens expire (`GGATEWAY_CODE_005`); a refresh rotates both
//!   tokens, revoking the old pair; user info returns the bound customer.
//! - Balances, exact decimals (written with 6 decimals, as upstream does): every update is
//!   applied under one lock, so concurrent updates are never lost, and is an entry of the
//!   account's capital flow; a deduction below zero answers `FS540013`.
//! - The isolated-margin contract (Client API, tag `Trade/Isolated Margin Contract`), for the
//!   customer of the call's login token. `order_add_market_order` opens a position at the
//!   market (`bizType` 1), closes a whole one (2, naming its `positionId`, on the opposite
//!   `direction`), or places a limit order (10, `requestPrice` in points as the docs say):
//!   one the quote meets fills at once, another rests holding its margin until
//!   `order_close_trade_pbo_order` ("Cancel limit order") cancels it; the sandbox never fills
//!   it later. Orders are by quantity (`entryType` 1). A buy fills at the ask and a sell at
//!   the bid (1 point either side of the price) of the product's quote as the market-data
//!   stream last pushed it, so a client trades at the prices it sees. Prices move only while
//!   a connection subscribes to the product: with none, a position opened and closed at once
//!   loses the 2-point spread, every time. Margin, the fill's value over the
//!   leverage (`crossLevelNum`, 1 to 100, 20 when absent, as upstream's example position
//!   has), rounded up to 6 decimals, is taken from the balance when a position opens and
//!   given back when it closes, with its profit or loss: the price's move its way times its
//!   quantity, rounded half away from zero to 6 decimals. Contracts are of size 1; there is
//!   no fee, interest or exchange rate, and stop loss and take profit are recorded, never
//!   triggered; a loss beyond what the balance then holds takes it to zero. Positions (page
//!   and detail; an open one's `profit` is what closing it now would realise), orders (page
//!   and detail) and the capital flow (every change of the balance, with upstream's business
//!   types: 1 deposit, 2 withdrawal, 4 Manager adjustment, 5 margin taken and given back, 6
//!   profit and loss) list what happened. A call by an operation's Open API route acts for
//!   its API key's customer instead, once its signature is checked. The Manager API's
//!   `cfd_wbw_order_add_market_order` places the same orders for the customer who holds its
//!   `accountId`: the position it opens is theirs, and their Client API lists it.
//!
//!   Its errors are the isolated-margin module's (`CFDWBW`) of upstream's Open API error
//!   table, the one table of trading codes: `CFDWBWE000013` "Product not configured" for a
//!   product the sandbox does not quote under the trade type, `CFDWBWE000008` "Position does
//!   not exist" for one that is not the customer's open position, `CFDWBWE000023` for a
//!   partial close, `CFDWBWE000029` for a leverage above 100, `CFDWBWE000007` "Parameter
//!   validation failed" for other values that do not check out (business type, side,
//!   quantity, limit price, cancelling an order that does not rest). No trading code is
//!   documented for an unknown order or a margin beyond the balance: the first answers the
//!   gateway's `USCUSTOMER_API_0000003` "Data not exist", as an unknown customer or account
//!   does, the second `FS540013`, as every other overdraft.
//! - Deposit and withdrawal proposals (Client API, `client-funds-*`), per customer.
//!   `create_deposit_proposal` records one waiting for a payment (the sandbox has no payment
//!   page: [`Sandbox::simulate_deposit`] records a paid one and credits the balance);
//!   `query_deposit_page_list` lists them and `query_deposit_proposal` finds one by number
//!   (`FS404` "Data is not found" for another). `create_withdraw_proposal` takes its amount
//!   from the balance at once and waits for a review the sandbox never makes; an amount above
//!   the balance answers `FS52005`, the funds module's code for a withdrawal larger than what
//!   can be withdrawn. `query_withdraw_page_list` lists them.
//! - The Data Push event log: `register` and one `open_account` per account when
//!   `register_customer` succeeds, `account_adjust` when `balance_update` does, `deposit` for
//!   [`Sandbox::simulate_deposit`], and whatever [`Sandbox::emit_data_push`] adds, each with
//!   its time on the sandbox's clock. Each named group has a cursor, the next event to
//!   deliver: a group seen for the first time starts at the end of the log (upstream: "pushed
//!   from the new time point"), a connection without `group` gets a fresh anonymous one.
//!   While a group has a connection its events are written in log order, and the cursor
//!   moves past an event only once its frame was written and flushed, so an event whose
//!   frame was cut is delivered again on the group's next connection; events older than 168
//!   hours are skipped. A second connection of a group closes the first with 4001 ("group
//!   `<g>` taken over by another connection") and takes over the cursor. The log and the
//!   cursors live in memory only, even with a state file.
//! - Open API message tokens (`open_msg_token`, `/global/getMsgPushToken`): a fresh
//!   `<uuid>app` per call, valid for [`Config::msg_token_ttl`].
//!
//! Every header an operation's spec marks required is checked: a missing `token` answers
//! `GGATEWAY_CODE_001`, a missing company id `GGATEWAY_CODE_003` (another company
//! `USCUSTOMER_API_0000111`), a missing `trace` or other header `GGATEWAY_CODE_009`, a token
//! that is not valid `GGATEWAY_CODE_005`, a body of the wrong shape `GGATEWAY_CODE_015`.
//! - Open API keys: `applyApi`, `editApiPermission` and `delApi` need a signed-in customer and
//!   a verification code, which is always [`Config::verify_code`] (the sandbox sends no mail;
//!   a wrong one answers `MS` `P_VERIFY_CODE_ERROR`). The Open API calls check the key
//!   (`00012003` unknown, `00012006` expired), the time window (`00012002`) and the
//!   SHA1withRSA signature (`00012001`). Every key shares the key pair of the docs' `applyApi`
//!   example: a sandbox key, never to be used elsewhere.
//!
//! Every other operation of the specs ([`modelled_operations`] lists the modelled ones) is
//! answered from its spec: its credential is checked as its `x-mm-credential` says (the
//! Manager token, a signed-in customer's token, the Open API signature), then it answers with
//! the `data` of its first documented successful example. An operation with no such example
//! answers `GGATEWAY_CODE_201`, "the interface is not open". The specs and examples are
//! embedded at build time, so a new operation is served with no change here.
//!
//! # Pages
//!
//! Every paged operation (its spec's `x-mm-paging`) answers by pages, as its paging facts
//! say and through one code whatever holds its rows. The request's page number (`current`)
//! counts from the facts' first page, and a number before it (some of upstream's examples
//! send 0) is the first page; its size (`size`) is 20 when missing or 0 (the Manager docs'
//! default for `customer_list`), and one above 2000 is refused (`GGATEWAY_CODE_015`). The
//! answer is the documented example's `data` with that page's rows at the facts' `items`,
//! the count where they name one (`total`, every row; or `pages`), and the page's number and
//! size in the fields of the page object that repeat them.
//!
//! A modelled list (customers, orders, positions, the capital flow, proposals) pages the
//! rows the sandbox holds for the call. Every other paged operation holds 25 rows, the same on
//! every call: the first row of its documented answer or, where that shows none, one written
//! from the row's schema (each field at a coded field's first value, 1 for a number, `false`,
//! an empty list, or a text field's own name); row `i`, from 0, is that row with `i` added to
//! each id-like field (`id`, and each name ending in `Id` or `No` but `companyId`): to a
//! number, to a text of digits as a number (`86000335` becomes `86000338` in row 3), and to
//! other text as `-i` appended. [`Sandbox::rows`] lists what an operation holds for a request,
//! so a test can compare a walk over the pages with it.
//!
//! State lives in memory, or in the JSON file of [`Config::state_file`] across restarts.
//!
//! # Playing the platform
//!
//! The platform also calls the integrator: [`platform::Platform`] sends its webhooks and
//! message callbacks to a receiver's URL as upstream does (an adjustment's cancel after a
//! timeout or a failure, repeated until answered), and the deliveries a network makes now and
//! then (a repeat, a burst of copies, a cancel that overtakes its adjustment), so that a
//! receiver can be tried with no account. `examples/webhook_receiver.rs` of `mm-sdk` drives
//! one.
//!
//! # How it is built
//!
//! Dependencies run one way, downwards: a module uses modules of its own layer or of the
//! layers below it, never one above. From the bottom up:
//!
//! 1. **Plain pieces**: the configuration, the answer envelope and its failures, the embedded
//!    specs and examples, the specs' schemas, paging, the idempotency keys' memory, and
//!    [`platform`] (the platform's calls to a receiver, which stands alone).
//! 2. **Model** (`model`): what the sandbox remembers and the rules its money follows:
//!    customers, tokens and accounts, ledgers, quoted products and prices, orders and
//!    positions, proposals. Plain data and its rules, knowing nothing of requests.
//! 3. **Hub** (`hub`): what the streams share across connections: counts, injected faults,
//!    the quote feed, the messages' outbox, the Data Push log.
//! 4. **Context** (`context`): what every handler is given: configuration, state, clock,
//!    hub, and the request being answered.
//! 5. **Handlers**: one module per API or concern (`client_api`, `manager_api`, `auth2_api`,
//!    `open_api`, `funds`, `trading`, `trading_ui`, `quote`, `documented` for the operations
//!    answered from their examples) and `streams`, the WebSocket connections.
//! 6. **Router** (`router`): every request to its handler, headers checked, idempotency keys
//!    honoured.
//! 7. **Server** ([`Sandbox`]): the listener, and the handle tests drive it with.

// The layers, from the bottom up: a module uses only modules of its own layer or of the
// layers listed before it (the crate docs' "How it is built" says what each layer holds).

mod config;
mod embedded;
mod envelope;
mod examples;
mod idempotency;
mod page;
pub mod platform;
mod schema;
mod spec;

mod model;

mod hub;

mod context;

mod auth2_api;
mod client_api;
mod documented;
mod funds;
mod manager_api;
mod open_api;
mod quote;
mod streams;
mod trading;
mod trading_ui;

mod router;

mod server;

pub use config::{Config, Credentials};
pub use context::{Answer, Request};
pub use hub::{Stream, StreamFault};
pub use router::modelled_operations;
pub use rust_decimal::Decimal;
pub use server::{Sandbox, StartError};
