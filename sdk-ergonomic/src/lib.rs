//! The MultiMarkets SDK: one typed client for the Client, Manager and Auth2 APIs of the
//! MultiMarkets white-label trading platform (trading UI: "Headline"), its three WebSocket
//! streams and the callbacks it sends.
//!
//! Read this page top to bottom: it walks through every flow the SDK supports.
//!
//! # Pick what you compile
//!
//! Nothing is compiled by default: each API, and each group of the Client API, is a cargo
//! feature. `full` enables everything.
//!
//! ```toml
//! [dependencies]
//! mm-sdk = { version = "0.1", features = ["auth2", "client-auth"] }   # third-party login, web iframe
//! # mm-sdk = { version = "0.1", features = ["manager"] }             # the operator's back office
//! # mm-sdk = { version = "0.1", features = ["full"] }                # everything
//! ```
//!
//! | feature | what it compiles |
//! |---|---|
//! | `client` | every group of the Client API, or one at a time: `client-auth`, `client-customer`, `client-basic`, `client-message`, `client-funds`, `client-trade`, `client-index`, `client-credit-card`, `client-market-maker`, `client-open-api` |
//! | `manager` | the Manager API ([`manager`]) |
//! | `auth2` | the Auth2 API ([`auth2`]) |
//! | `streams` | the WebSocket streams ([`streams`]) |
//! | `callbacks` | receiving the platform's callbacks ([`callbacks`]); `sqlite` and `postgres` add durable stores |
//! | `json-schema` | `schemars::JsonSchema` on the generated types |
//! | `full` | all of the above but `json-schema` and the stores |
//! | `sandbox` | a local sandbox of the platform for your tests ([`sandbox`]); not in `full` |
//!
//! The README maps upstream's docs menu to modules and features.
//!
//! # Try it without an account
//!
//! Each flow below has an example in `sdk-ergonomic/examples/` that runs against a local
//! sandbox of the three APIs when no real environment is configured:
//! `cargo run -p mm-sdk --example web_iframe --features full,sandbox`. The sandbox
//! (`cargo xtask sandbox`, or [`sandbox`] in your own tests) keeps customers, tokens,
//! balances, orders and positions as upstream does and answers with upstream's error codes.
//!
//! # Configure once, share everywhere
//!
//! [`MultiMarkets`] is cheap to clone and `Send + Sync`; all clones and all three APIs share one
//! connection pool. The company id is required; everything else has a default.
//!
//! ```no_run
//! use mm_sdk::{AppSecret, Environment, Locale, ManagerToken, MultiMarkets};
//!
//! # fn main() -> Result<(), mm_sdk::Error> {
//! let mm = MultiMarkets::builder(Environment::PreRelease)
//!     .company_id("421")
//!     .lang(Locale::en_us())
//!     .manager_token(ManagerToken::new("token issued by your operator"))
//!     .app_credentials("088b591f5fd735be62608a272f4d971f", AppSecret::new("app secret"))
//!     .build()?;
//! # Ok(()) }
//! ```
//!
//! Every request gets the headers its spec declares, filled from the configuration: a fresh
//! `trace` id (a UUID), the company id under the header name the endpoint expects, `lang` and
//! `Version` where it takes them, and its credential; you never write headers. Every
//! value that goes into a header is checked by `build()`: a token holding a line break fails
//! there with [`ErrorKind::Config`], naming the setting, not on the first call.
//!
//! [`MultiMarkets::from_env`] builds the same from `MM_*` variables (every one is listed at
//! [`Builder::from_env`]). The builder also takes your own `reqwest::Client`
//! ([`Builder::http_client`]) and your application's name for the `User-Agent`; the Manager
//! token and the Open API key can be replaced while calls are in flight
//! ([`MultiMarkets::rotate_manager_token`]). The runtime, the flows and the streams read this
//! one [`Config`] ([`MultiMarkets::config`]).
//!
//! # Every operation is a method of its group
//!
//! Upstream groups its operations (its docs' menu); so does the SDK. Each API is a module
//! ([`client`], [`manager`], [`auth2`]) and a handle (`mm.client()`); each group is a module
//! of it (`mm_sdk::client::trade`) holding a handle whose inherent methods are the group's
//! operations (`mm.client().trade()`) and every type they take and return. A method is named
//! by its operation's `operationId` and documents its credential, whether it is retried, and
//! its headers. A request is made with `new`, which takes the required fields (leaving one
//! out does not compile), and a method per optional field:
//!
//! ```no_run
//! # #[cfg(feature = "manager")]
//! # async fn run(mm: mm_sdk::MultiMarkets) -> Result<(), mm_sdk::Error> {
//! use mm_sdk::manager::funds::GetBalanceRequest;
//!
//! let request = GetBalanceRequest::new("86021976", 1);
//! let accounts = mm.manager().funds().get_balance(&request).await?;
//! # Ok(()) }
//! ```
//!
//! A required field cannot be forgotten:
//!
//! ```compile_fail
//! use mm_sdk::manager::funds::GetBalanceRequest;
//!
//! // error[E0061]: `new` takes the customer number and the trade type
//! let request = GetBalanceRequest::new("86021976");
//! ```
//!
//! **Why this shape.** Three others were weighed. *One handle per API with every operation
//! on it* puts about 300 methods on one page, with names that only make sense in a group
//! (`update`, `info`). *A trait per group* (what earlier versions generated) hides the methods
//! until a prelude is imported, and rustdoc lists them apart from the type. *A request value
//! per operation with `.send()`* (as aws-sdk-rust does) doubles the generated types and
//! spreads one call over a builder and a future. Inherent methods on a group handle are found
//! in rustdoc and by the editor with no import, read as upstream's docs read, and cost nothing
//! at run time: a group handle is a reference to the client's runtime.
//!
//! **Where things live stays put.** A path names an API, a group and a type, never the crate
//! the code is compiled in: the generated code is split into crates for build time, and a
//! re-split changes no path. Each operation's group is recorded in its spec (`x-mm-group`)
//! and kept when the specs are imported again. The README's "Compatibility" says what a
//! regeneration may change.
//!
//! # Results and errors
//!
//! Every response is an envelope `{msg, fail, trace, code, data, bizCode, tm, msgParams, ok}`.
//! The SDK hands you `data` on success, and an [`Error`] otherwise: a failure envelope (HTTP 200
//! with `ok: false`, `fail: true` or a `code` other than `"0"`) is [`ErrorKind::Api`], and
//! [`Error::code`] gives its [`ErrorCode`] as upstream's docs print it, to compare with the
//! documented codes (`ErrorCode::GGATEWAY_CODE_005`) and to ask its category and meaning
//! ([`codes`] lists them all). Every error keeps the operation and the trace id it was sent with
//! ([`Error::trace`]), for support requests. [`Error::is_retryable`] and [`Error::is_auth`]
//! answer the usual questions. Reads are retried on transient failures ([`RetryPolicy`]).
//!
//! **Upstream's rules, before sending.** Where upstream states a rule on a request field (a
//! minimum, a length, a list size, distinct items), a call that breaks it fails at once with
//! [`ErrorKind::BrokenRule`]: a [`BrokenRule`] names the field (`orders[2].quantity`), the
//! [`Check`] and what was found, and nothing is sent. The platform would refuse the request
//! too, after a round trip and with a code to look up.
//!
//! **Idempotency keys.** Upstream's gateway for the Client API (`/api`) documents an
//! `idempotency-key` header: it keeps the answer to a key for 24 hours and gives it again to a
//! repeated request, and refuses a concurrent one with the same key (`GGATEWAY_CODE_018`,
//! which is retried). Every write under `/api` (orders, withdrawals, registration, login...)
//! carries one: a fresh key per call, the same on each attempt, so such a write is retried
//! after a timeout or a broken connection like a read, and applied once. The method's docs say
//! so ("Retried: yes ... with the same idempotency key"). The other writes (the Manager API's
//! balance updates, the Open API's orders, the Auth2 code exchange) have no such guarantee
//! upstream and are only retried when the request certainly never left this machine.
//!
//! **One call, your way.** A method returns a [`Call`], sent when awaited. Before that, its
//! options change this call only: your own idempotency key (the same one after your process
//! restarts, so the gateway still recognises the write), a trace id, a deadline over every
//! attempt and a timeout per attempt, a retry policy, an extra header, and where the operation
//! takes them the language, company id, Manager token or Open API key. An option the
//! operation cannot take fails the call before anything is sent. [`Call::with_metadata`]
//! answers a [`Response`]: the data, and the status, headers, trace ids and
//! [`RateLimit`] of the answer; a call that does not ask pays nothing for it.
//!
//! ```no_run
//! # #[cfg(feature = "manager")]
//! # async fn run(mm: mm_sdk::MultiMarkets) -> Result<(), mm_sdk::Error> {
//! use std::time::Duration;
//! use mm_sdk::manager::customer::CustomerListRequest;
//!
//! let page = mm.manager().customer().customer_list(&CustomerListRequest::new())
//!     .deadline(Duration::from_secs(10))
//!     .with_metadata()
//!     .await?;
//! println!("{:?} calls left this minute", page.metadata.rate_limit());
//! # Ok(()) }
//! ```
//!
//! Retries wait by one [`Backoff`] (exponential, capped, with full jitter), the same the
//! streams reconnect by. A read waits out a server's
//! `Retry-After` of up to [`RetryPolicy::MAX_RETRY_AFTER`]; a longer one fails at once, with
//! [`Error::retry_after`] saying how long. A response body larger than [`MAX_RESPONSE_BYTES`]
//! is [`ErrorKind::TooLarge`], read no further. `RELIABILITY.md` lists the faults tested.
//!
//! **Money** is never a float: amounts, prices, balances and rates are [`Decimal`]s (or
//! [`DecimalNumber`]s where upstream sends a JSON number), decoded digit for digit from the
//! strings or numbers upstream sends, and sent back as it expects.
//!
//! # Walkthrough: trading
//!
//! A customer trades with their login token (from [`extras::web_iframe`]'s login, or their
//! own sign-in). The group `mm.client().trade()` has every trading mode upstream offers; two
//! place a market order of a contract, and the trade type decides which to use:
//!
//! - `order_add_market_order` (upstream's "Isolated Margin Contract", trade type 2): each
//!   position holds its own margin, so a loss is bounded by it. The sandbox models this one.
//! - `cfd_mm_order_add_market_order` ("Full Margin Contract", the cross-margin mode): every
//!   position draws on the account's whole balance.
//!
//! Use the one of the trade type the customer's account was opened for; the same pair exists
//! for positions (`position_query_position_page`, `cfd_mm_position_query_position_page`),
//! orders and trade records.
//!
//! ```no_run
//! # #[cfg(feature = "client-trade")]
//! # async fn run(mm: mm_sdk::MultiMarkets, token: mm_sdk::LoginToken) -> Result<(), mm_sdk::Error> {
//! use mm_sdk::Decimal;
//! use mm_sdk::client::trade::{OrderAddMarketOrderRequest, PositionQueryPositionPageRequest};
//!
//! let trade = mm.client().trade();
//! let now: i64 = 1_700_000_000_000; // the request time, in epoch milliseconds
//! // Open: buy (direction 1) one contract of symbol 720 at the market (business type 1), by
//! // quantity (entry type 1), in a USDT account with 6 digits, trade type 2.
//! let buy = OrderAddMarketOrderRequest::new(
//!     "USDT", 6, 1, 1, 1_i64, Decimal::ONE, Decimal::ZERO, now, 720, 2,
//! )
//! .source("my app")
//! .cross_level_num(10);
//! let opened = trade.order_add_market_order(&token, &buy).await?;
//! let position = opened.position_id.expect("a market order opens a position");
//! // List the open positions, with what closing each now would realise.
//! let open = PositionQueryPositionPageRequest::new(2);
//! for row in trade.position_query_position_page(&token, &open).await?.iter() {
//!     println!("{:?} at {:?}, profit now {:?}", row.symbol_name, row.open_price, row.profit);
//! }
//! // Close: sell (direction 2) the whole position (business type 2).
//! let sell = OrderAddMarketOrderRequest::new(
//!     "USDT", 6, 2, 2, 1_i64, Decimal::ONE, Decimal::ZERO, now, 720, 2,
//! )
//! .position_id(position);
//! let closed = trade.order_add_market_order(&token, &sell).await?;
//! println!("closed at {:?}, profit {:?}", closed.execute_price, closed.profit);
//! # Ok(()) }
//! ```
//!
//! Funds move through proposals: `mm.client().funds().create_deposit_proposal` records a
//! deposit that is paid through its channel outside the API, and `create_withdraw_proposal`
//! takes its amount from the balance at once and waits for the operator's review. The
//! operator reads and adjusts balances with `mm.manager().funds()` or
//! [`extras::back_office`]. `examples/trade.rs` runs all of this on the sandbox.
//!
//! # Flows
//!
//! What takes several operations or a secret is written by hand in [`extras`], on top of the
//! generated methods: a handle per flow, got from [`MultiMarkets`].
//!
//! ## Auth2 login for third-party systems
//!
//! Your users log in to your platform with their white-label account. See
//! [`extras::auth2_login`].
//!
//! ```no_run
//! # #[cfg(feature = "auth2")]
//! # async fn run(mm: mm_sdk::MultiMarkets, received: &str) -> Result<(), mm_sdk::Error> {
//! use std::time::Duration;
//! use mm_sdk::extras::auth2_login::TokenHolder;
//!
//! let login = mm.auth2_login();
//! let redirect = url::Url::parse("https://www.hg.com/login").unwrap();
//! // 1. Send the user's browser here.
//! let authorize = login.authorization_url("HG", &redirect)?;
//! // 2. The browser comes back to `redirect?code=…&app=headline`.
//! let authorization = login.parse_redirect(&redirect, received)?;
//! // 3. Exchange the code for tokens (app id and secret come from the configuration).
//! let tokens = login.exchange_code(&authorization.code).await?;
//! // 4. Who is it? Bind `user.customer_no` to your own account.
//! let user = login.user_info(&tokens.access).await?;
//! // 5. Keep the tokens fresh, with one refresh at a time however many tasks use them.
//! let holder = TokenHolder::new(mm.clone(), tokens, Duration::from_secs(30 * 60));
//! let access = holder.access_token().await?;
//! # Ok(()) }
//! ```
//!
//! ## Web iframe single sign-on
//!
//! Your users open the trading UI inside your page without logging in again. See
//! [`extras::web_iframe`].
//!
//! ```no_run
//! # #[cfg(feature = "client-auth")]
//! # async fn run(mm: mm_sdk::MultiMarkets) -> Result<(), mm_sdk::Error> {
//! use mm_sdk::Password;
//! use mm_sdk::extras::Device;
//! use mm_sdk::extras::web_iframe::LoginName;
//!
//! let iframe = mm.web_iframe();
//! // 1. Once per user: register and bind them (see `BackOffice::register_customer`).
//! // 2. Whenever they open the trading UI: log in for a one-time token…
//! let name = LoginName::CustomerNo("86021976".into());
//! let session = iframe.login(&name, &Password::from_plain("their password"), Device::MobileWeb).await?;
//! // 3. …and point the iframe at this URL (`https://<trading UI>/<locale>/home?tsource=<token>`).
//! let src = iframe.url(&session);
//! // 4. The trading UI exchanges the one-time token for the session's access token:
//! let access = iframe.exchange_one_time_token(&session.token).await?;
//! # Ok(()) }
//! ```
//!
//! ## The operator's back office
//!
//! The Manager API, with the configured [`ManagerToken`] (get one with
//! [`BackOffice::authorize`](extras::back_office::BackOffice::authorize)). See
//! [`extras::back_office`] and [`manager`].
//!
//! ```no_run
//! # #[cfg(feature = "manager")]
//! # async fn run(mm: mm_sdk::MultiMarkets) -> Result<(), mm_sdk::Error> {
//! use futures::TryStreamExt;
//! use mm_sdk::extras::back_office::{BalanceAdjustment, ProfilePart};
//! use mm_sdk::manager::basic_data::CompanyCurrencyRequest;
//! use mm_sdk::manager::customer::{CustomerGroupRequest, CustomerListRequest};
//! use mm_sdk::manager::funds::GetBalanceRequest;
//!
//! let office = mm.back_office();
//! // What the company offers: customer groups, currencies, products.
//! let groups = mm.manager().customer().customer_group(&CustomerGroupRequest::new()).await?;
//! let currencies = mm.manager().basic_data().company_currency(&CompanyCurrencyRequest::new()).await?;
//! let products = office.products(Some(mm_sdk::enums::TradeType::CfdCrossMargin)).await?;
//! // Its customers, 500 a page (every paged operation has a `_pages` method), and one
//! // customer's details and balances.
//! let every = CustomerListRequest::new().size(500);
//! let customers: Vec<_> = mm.manager().customer().customer_list_pages(&every).items().try_collect().await?;
//! let first = &customers[0];
//! let detail = office.customer_info(first.id, &first.customer_no, ProfilePart::BaseInfo).await?;
//! let request = GetBalanceRequest::new(first.customer_no.as_str(), 1);
//! let balances = mm.manager().funds().get_balance(&request).await?;
//! // A 25 USDT bonus. Moves money: never retried once it may have reached the server.
//! let bonus = BalanceAdjustment::new(&first.customer_no, "USDT", mm_sdk::Decimal::new(25, 0))
//!     .remark("welcome");
//! office.adjust_balance(&bonus).await?;
//! # Ok(()) }
//! ```
//!
//! Market data over HTTP comes from the Manager API's quote service, which takes a token of
//! its own: configure it with [`Builder::quote_token`] and call the group
//! `mm.manager().quote()`; the SDK writes the request's trace and reads the service's own
//! envelope.
//!
//! ```no_run
//! # #[cfg(feature = "manager")]
//! # async fn run(mm: mm_sdk::MultiMarkets) -> Result<(), mm_sdk::Error> {
//! use mm_sdk::manager::quote::{QuoteSymbol, QuoteSymbols};
//!
//! let symbols = QuoteSymbols::new(vec![QuoteSymbol::new("EURUSD")]);
//! let books = mm.manager().quote().quote_depth_ticks(&symbols).await?;
//! # Ok(()) }
//! ```
//!
//! ## Customers who register themselves
//!
//! A verification code by email or SMS, then the registration; social login starts with
//! `third_login_config` and `google_verify`. See [`extras::sign_up`].
//!
//! ## API keys and the Open API
//!
//! A logged-in customer creates an API key ([`extras::api_keys`]); the calls of the group
//! `mm.client().open_api()` are then signed with it (SHA1withRSA over the body and a
//! timestamp, done by the SDK) instead of a login token.
//!
//! ```no_run
//! # #[cfg(feature = "client-open-api")]
//! # use mm_sdk::client::open_api::ContractOrderRequest;
//! # #[cfg(all(feature = "client-customer", feature = "client-open-api"))]
//! # async fn run(mm: mm_sdk::MultiMarkets, session: mm_sdk::LoginToken, order: ContractOrderRequest) -> Result<(), mm_sdk::Error> {
//! use mm_sdk::{Environment, MultiMarkets, VerifyCode};
//! use mm_sdk::client::open_api::SymbolBaseListRequest;
//! use mm_sdk::extras::api_keys::{ApiKeyChanges, ApiPermissionCode, Confirmation};
//!
//! // 1. Create the key, confirmed by a verification code; store `grant.private_key`.
//! let confirmation = Confirmation::new().google(VerifyCode::new("123456"));
//! let grant = mm.api_keys().create(&session, "my bot", &confirmation).await?;
//! // 2. Allow contract trading (`set_permissions`; `delete` removes a key).
//! let changes = ApiKeyChanges::new().enable(ApiPermissionCode::ContractTrade);
//! mm.api_keys().set_permissions(&session, grant.key.id, &changes, &confirmation).await?;
//! // 3. A client that signs with it.
//! let key = grant.open_api_key().expect("a PKCS#8 key");
//! let open = MultiMarkets::builder(Environment::PreRelease).company_id("421").open_api_key(key).build()?;
//! // 4. The order process: products, the account to trade with, the order. The calls are
//! //    signed with the key, afresh on every attempt.
//! let signed = open.client().open_api();
//! let symbols = signed.open_symbol_base_info(&SymbolBaseListRequest::new(1)).await?;
//! let customer = signed.open_customer_info().await?;
//! let executed = signed.open_contract_order(&order).await?;
//! // 5. The token for the message WebSocket that reports the trade.
//! let push_token = signed.open_msg_token().await?;
//! # Ok(()) }
//! ```
//!
//! The other signing scheme of the docs ("Access > Sign": an MD5 signature and an RSA-encrypted
//! body) is required by no documented endpoint; [`access_sign`] implements it for integrations
//! told to use it.
//!
//! # What the specs do not have yet
//!
//! [`MultiMarkets::call_raw`] sends a [`RawCall`] of any path and JSON body through the same
//! runtime (headers, signature, retries, envelope, errors) and returns the `data` as JSON.
//!
//! # Receiving the platform's callbacks
//!
//! The platform also calls *your* server: the credit-limit webhooks of an external wallet,
//! and the email and SMS messages of a white label's own channels. `callbacks::receiver`
//! takes each request (a tower `Service` that axum, hyper and their kin mount, whatever their
//! version, or an `http::Request` read already), refuses what is malformed with a typed
//! answer before your code sees it, calls your handler (plain `async fn`s) with typed values
//! (`callbacks::types`, from `openapi/callbacks/callbacks.yaml`) and exact amounts, and
//! answers within the platform's 3 s. Underneath, `callbacks::store` applies
//! each adjustment once however often and in whatever order it and its cancel arrive (in
//! memory, or durably in SQLite or PostgreSQL with the `sqlite` and `postgres` features), and
//! `callbacks::message_sign` checks a message's `sign`. Compiled with the feature `callbacks`.
//!
//! # Live data over WebSocket
//!
//! Market data, a customer's trade messages and the operator's business events are streams
//! (the feature `streams`): each `connect()` gives a handle (subscribe, query, close) and a
//! `futures::Stream` of typed events. Heartbeats, reconnection with resubscription,
//! upstream's limits and a bounded buffer are the SDK's job; see `streams` for what each
//! stream guarantees. The streams run on the client's configuration, as the calls do: its TLS,
//! its `User-Agent`, its connect timeout, the same [`Backoff`] as call retries between
//! reconnections, and its credentials as they are at each connection (Data Push reconnects
//! with a Manager token replaced by [`MultiMarkets::rotate_manager_token`]).
//!
//! # Secrets
//!
//! Passwords ([`Password`], sent as the MD5 digest upstream expects), tokens, app secrets,
//! verification codes and their tickets ([`VerifyCode`], [`SendToken`]) and API private keys
//! ([`OpenApiPrivateKey`], [`OpenApiKey`]) are `secrecy` types: their `Debug` is redacted,
//! and the SDK never logs them. So is every secret field of a generated request or answer (a
//! token, a code, a password's digest, a key: `format: password` in the specs): a
//! [`SecretText`], read and written as the plain string the API uses, shown to you only by
//! `expose_secret`.
//!
//! One place outside the SDK sees them: the WebSocket library (`tungstenite`) writes each
//! handshake verbatim to its `log` trace level, token headers and query included. Keep
//! `tungstenite` below trace level wherever its logs are kept.
//!
//! # Tracing
//!
//! Each call runs in a `tracing` span `mm_sdk.call` with the operation, the trace id, the
//! number of attempts and the last HTTP status; each attempt ends with a `debug` event giving
//! its number, status and duration in milliseconds (and the error, when it failed).
#![deny(missing_docs)]

pub mod access_sign;
#[cfg(feature = "callbacks")]
pub mod callbacks;
pub mod extras;
mod multimarkets;
mod password;
#[cfg(feature = "sandbox")]
pub mod sandbox;
#[cfg(feature = "streams")]
pub mod streams;
#[cfg(any(feature = "client-auth", feature = "auth2"))]
mod ui;

use mm_sdk_generated as generated;

#[doc(inline)]
pub use generated::auth2;
#[doc(inline)]
pub use generated::client;
#[doc(inline)]
pub use generated::manager;

pub use mm_sdk_core::codes;
pub use mm_sdk_core::enums;
pub use mm_sdk_core::ids;
pub use mm_sdk_core::{
    AccessToken, Api, ApiError, AppCredentials, AppSecret, AuthCode, BODY_EXCERPT_LIMIT, Backoff,
    BoxFuture, BrokenRule, Call, CaptchaToken, Check, ClientAccess, Config, ConversionError,
    Credential, Decimal, DecimalNumber, Effect, Endpoints, EnvVariable, Environment, Error,
    ErrorCode, ErrorKind, GoogleToken, InvalidLocale, InvalidPrivateKey, Limiter, Locale,
    LoginToken, MAX_RESPONSE_BYTES, ManagerToken, Metadata, OpenApiKey, OpenApiPrivateKey, Pager,
    QuoteToken, RateLimit, RawCall, RefreshToken, Response, RetryPolicy, SecretText, SendToken,
    SessionToken, SocialLoginToken, TextOrNumber, Timestamp, TraceId, Upload, VerifyCode,
    WithMetadata, exact_decimal, exact_decimal_option,
};
pub use multimarkets::{Builder, MultiMarkets};
pub use password::{InvalidPasswordHash, Password};
