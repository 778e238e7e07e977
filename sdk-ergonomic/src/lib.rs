//! The MultiMarkets SDK: one typed client for the Client, Manager and Auth2 APIs of the
//! MultiMarkets white-label trading platform (trading UI: "Headline").
//!
//! Read this page top to bottom: it walks through every flow the SDK supports.
//!
//! # Try it without an account
//!
//! Each flow below has an example in `sdk-ergonomic/examples/` (`web_iframe`, `auth2_login`,
//! `manager_funds`) that runs against a local sandbox of the three APIs when no real
//! environment is configured: `cargo run -p mm-sdk --example web_iframe`. The sandbox
//! (`cargo xtask sandbox`, or the `mm-sdk-sandbox` crate in your own tests) keeps customers,
//! tokens and balances as upstream does and answers with upstream's error codes.
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
//! # Every operation is a method
//!
//! Each operation of the specs is one `async` method of its API's handle ([`MultiMarkets::client`],
//! [`MultiMarkets::manager`], [`MultiMarkets::auth2`]), named by its `operationId`, taking the
//! operation's request body (from `types`) and returning its `data`. The methods come from one
//! trait per tag of the spec (e.g. [`manager_api::CustomerOperations`]); bring them all into
//! scope with the prelude. Each method's documentation says what it needs and does:
//! its credential, whether it is retried, its headers.
//!
//! ```no_run
//! # async fn run(mm: mm_sdk::MultiMarkets) -> Result<(), mm_sdk::Error> {
//! use mm_sdk::manager_api::types::GetBalanceRequest;
//! use mm_sdk::prelude::*;
//!
//! let request = GetBalanceRequest { customer_no: "86021976".into(), trade_type: 1 };
//! let accounts = mm.manager().get_balance(&request).await?;
//! # Ok(()) }
//! ```
//!
//! **The naming rule.** A method named by an `operationId` sends exactly that operation. It is
//! generated, unless the spec marks the operation `x-mm-curated: <name>`: then `mm-sdk`
//! writes that method by hand, on top of the generated call, with typed arguments (secrets,
//! enums, builders such as [`manager_api::Registration`]), and the generated one is left out so
//! that each operation is called one way. A method with another name is a flow that adds
//! meaning over operations: a stream ([`manager_api::ManagerApi::customers`]), a token holder,
//! a URL. The shorthands of earlier versions (`balances`, `customer_page`, `dictionaries`,
//! `customer_groups`) remain as deprecated aliases.
//!
//! **Credentials.** What authenticates an operation is said once, in its spec: nothing, the
//! customer's login token (the method takes a [`LoginToken`]), the configured Manager token,
//! the configured Auth2 app credentials, an Auth2 access token, or a signature with the
//! configured Open API key. An operation whose configured credential is missing fails with
//! [`ErrorKind::MissingCredential`] and sends nothing.
//!
//! # Results and errors
//!
//! Every response is an envelope `{msg, fail, trace, code, data, bizCode, tm, msgParams, ok}`.
//! The SDK hands you `data` on success, and an [`Error`] otherwise: a failure envelope (HTTP 200
//! with `ok: false`) is [`ErrorKind::Api`], with the documented meaning of its code from
//! [`codes`]. Every error keeps the operation and the trace id it was sent with
//! ([`Error::trace`]), for support requests. [`Error::is_retryable`] and [`Error::is_auth`]
//! answer the usual questions. Reads are retried on transient failures ([`RetryPolicy`]).
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
//! A read waits out a server's
//! `Retry-After` of up to [`RetryPolicy::MAX_RETRY_AFTER`]; a longer one fails at once, with
//! [`Error::retry_after`] saying how long. A response body larger than [`MAX_RESPONSE_BYTES`]
//! is [`ErrorKind::TooLarge`], read no further. `RELIABILITY.md` lists the faults tested.
//!
//! **Money** is never a float: amounts, prices, balances and rates are [`Decimal`]s (or
//! [`DecimalNumber`]s where upstream sends a JSON number), decoded digit for digit from the
//! strings or numbers upstream sends, and sent back as it expects.
//!
//! # Flow: Auth2 login for third-party systems
//!
//! Your users log in to your platform with their white-label account. See [`auth2`].
//!
//! ```no_run
//! # async fn run(mm: mm_sdk::MultiMarkets, received: &str) -> Result<(), mm_sdk::Error> {
//! use std::time::Duration;
//! use mm_sdk::auth2::TokenHolder;
//!
//! let redirect = url::Url::parse("https://www.hg.com/login").unwrap();
//! // 1. Send the user's browser here.
//! let authorize = mm.auth2().authorization_url("HG", &redirect)?;
//! // 2. The browser comes back to `redirect?code=…&app=headline`.
//! let authorization = mm.auth2().parse_redirect(&redirect, received)?;
//! // 3. Exchange the code for tokens (app id and secret come from the configuration).
//! let tokens = mm.auth2().exchange_code(&authorization.code).await?;
//! // 4. Who is it? Bind `user.customer_no` to your own account.
//! let user = mm.auth2().user_info(&tokens.access).await?;
//! // 5. Keep the tokens fresh, with one refresh at a time however many tasks use them.
//! let holder = TokenHolder::new(mm.clone(), tokens, Duration::from_secs(30 * 60));
//! let access = holder.access_token().await?;
//! # Ok(()) }
//! ```
//!
//! # Flow: web iframe single sign-on
//!
//! Your users open the trading UI inside your page without logging in again. See [`iframe`].
//!
//! ```no_run
//! # async fn run(mm: mm_sdk::MultiMarkets) -> Result<(), mm_sdk::Error> {
//! use mm_sdk::Password;
//! use mm_sdk::client_api::{Device, LoginName};
//!
//! // 1. Once per user: register and bind them (Manager API; see `ManagerApi::register_customer`).
//! // 2. Whenever they open the trading UI: log in for a one-time token…
//! let name = LoginName::CustomerNo("86021976".into());
//! let session = mm.client().login(&name, &Password::from_plain("their password"), Device::MobileWeb).await?;
//! // 3. …and point the iframe at this URL (`https://<trading UI>/<locale>/home?tsource=<token>`).
//! let src = mm.iframe_url(&session);
//! // 4. The trading UI exchanges the one-time token for the session's access token:
//! let access = mm.client().exchange_one_time_token(&session.token).await?;
//! # Ok(()) }
//! ```
//!
//! # Flow: the operator's back office
//!
//! The Manager API, with the configured [`ManagerToken`] (get one with
//! [`ManagerApi::authorize`](manager_api::ManagerApi::authorize)). See [`manager_api`].
//!
//! ```no_run
//! # async fn run(mm: mm_sdk::MultiMarkets) -> Result<(), mm_sdk::Error> {
//! use futures::TryStreamExt;
//! use mm_sdk::manager_api::types::{CompanyCurrencyRequest, CustomerGroupRequest, GetBalanceRequest};
//! use mm_sdk::manager_api::{BalanceAdjustment, ProfilePart};
//! use mm_sdk::prelude::*;
//!
//! // What the company offers: customer groups, currencies, products.
//! let groups = mm.manager().customer_group(&CustomerGroupRequest::default()).await?;
//! let currencies = mm.manager().company_currency(&CompanyCurrencyRequest::default()).await?;
//! let products = mm.manager().products(Some(1)).await?;
//! // Its customers, page by page, and one customer's details and balances.
//! let customers: Vec<_> = mm.manager().customers(500).try_collect().await?;
//! let first = &customers[0];
//! let detail = mm.manager().customer_info(first.id, &first.customer_no, ProfilePart::BaseInfo).await?;
//! let request = GetBalanceRequest { customer_no: first.customer_no.clone(), trade_type: 1 };
//! let balances = mm.manager().get_balance(&request).await?;
//! // A 25 USDT bonus. Moves money: never retried once it may have reached the server.
//! let bonus = BalanceAdjustment::new(&first.customer_no, "USDT", mm_sdk::Decimal::new(25, 0))
//!     .remark("welcome");
//! mm.manager().update_balance(&bonus).await?;
//! # Ok(()) }
//! ```
//!
//! Market data over HTTP comes from the Manager API's quote service, which takes a token of
//! its own: configure it with [`Builder::quote_token`] and call the `quote_*` (forex, crypto)
//! and `stock_*` methods; the SDK writes the request's trace and reads the service's own
//! envelope.
//!
//! ```no_run
//! # async fn run(mm: mm_sdk::MultiMarkets) -> Result<(), mm_sdk::Error> {
//! use mm_sdk::manager_api::types::{QuoteSymbol, QuoteSymbols};
//! use mm_sdk::prelude::*;
//!
//! let symbols = QuoteSymbols { symbol_list: vec![QuoteSymbol { code: "EURUSD".into() }] };
//! let books = mm.manager().quote_depth_ticks(&symbols).await?;
//! # Ok(()) }
//! ```
//!
//! # Flow: customers who register themselves
//!
//! A verification code by email or SMS, then the registration (Client API). Social login
//! starts with [`ClientApi::third_login_config`](client_api::ClientApi::third_login_config)
//! and [`ClientApi::google_verify`](client_api::ClientApi::google_verify).
//!
//! ```no_run
//! # async fn run(mm: mm_sdk::MultiMarkets, code_from_the_user: String) -> Result<(), mm_sdk::Error> {
//! use mm_sdk::{Password, VerifyCode};
//! use mm_sdk::client_api::{SignUp, VerifyCodeKind, VerifyCodeRequest};
//!
//! let email = "someone@example.com";
//! let ticket = mm.client()
//!     .send_verify_code(&VerifyCodeRequest::to(VerifyCodeKind::EmailRegister, email))
//!     .await?;
//! let sign_up = SignUp::email(email, VerifyCode::new(code_from_the_user), ticket, "CN")
//!     .password(Password::from_plain("their password"));
//! let customer = mm.client().register_customer(sign_up, "203.0.113.10".parse().unwrap()).await?;
//! # Ok(()) }
//! ```
//!
//! # Flow: API keys and the Open API
//!
//! A logged-in customer creates an API key; the Open API calls are then signed with it
//! (SHA1withRSA over the body and a timestamp, done by the SDK) instead of a login token.
//!
//! ```no_run
//! # use mm_sdk::client_api::{ContractOrderRequest, LoginSession};
//! # async fn run(mm: mm_sdk::MultiMarkets, session: LoginSession, order: ContractOrderRequest) -> Result<(), mm_sdk::Error> {
//! use mm_sdk::{Environment, MultiMarkets, VerifyCode};
//! use mm_sdk::client_api::{ApiKeyChanges, ApiPermissionCode, Confirmation};
//! use mm_sdk::client_api::types::SymbolBaseListRequest;
//! use mm_sdk::prelude::*;
//!
//! // 1. Create the key, confirmed by a verification code; store `grant.private_key`.
//! let confirmation = Confirmation::new().google(VerifyCode::new("123456"));
//! let grant = mm.client().apply_api(&session.token, "my bot", &confirmation).await?;
//! // 2. Allow contract trading (`set_api_permissions`; `delete_api` removes a key).
//! let changes = ApiKeyChanges::new().enable(ApiPermissionCode::ContractTrade);
//! mm.client().set_api_permissions(&session.token, grant.key.id, &changes, &confirmation).await?;
//! // 3. A client that signs with it.
//! let key = grant.open_api_key().expect("a PKCS#8 key");
//! let open = MultiMarkets::builder(Environment::PreRelease).company_id("421").open_api_key(key).build()?;
//! // 4. The order process: products, the account to trade with, the order. The calls are
//! //    signed with the key, afresh on every attempt.
//! let group = SymbolBaseListRequest { customer_group_id: 1 };
//! let symbols = open.client().open_symbol_base_info(&group).await?;
//! let customer = open.client().open_customer_info().await?;
//! let executed = open.client().open_contract_order(&order).await?;
//! // 5. The token for the message WebSocket that reports the trade.
//! let push_token = open.client().open_msg_token().await?;
//! # Ok(()) }
//! ```
//!
//! The other signing scheme of the docs ("Access > Sign": an MD5 signature and an RSA-encrypted
//! body) is required by no documented endpoint; [`access_sign`] implements it for integrations
//! told to use it.
//!
//! # Receiving the platform's callbacks
//!
//! The platform also calls *your* server: the credit-limit webhooks of an external wallet,
//! and the email and SMS messages of a white label's own channels. [`callbacks::receiver`]
//! takes each request (an `http::Request`, or an axum `Router` with the `axum` feature), refuses
//! what is malformed with a typed answer before your code sees it, calls your handler with
//! typed values ([`callbacks::types`], from `openapi/callbacks/callbacks.yaml`) and exact
//! amounts, and answers within the platform's 3 s. Underneath, [`callbacks::store`] applies
//! each adjustment once however often and in whatever order it and its cancel arrive (in
//! memory, or durably in SQLite or PostgreSQL with the `sqlite` and `postgres` features), and
//! [`callbacks::message_sign`] checks a message's `sign`.
//!
//! # Flow: live data over WebSocket
//!
//! Market data, a customer's trade messages and the operator's business events are streams:
//! each `connect()` gives a handle (subscribe, query, close) and a `futures::Stream` of typed
//! events. Heartbeats, reconnection with resubscription, upstream's limits and a bounded
//! buffer are the SDK's job; see [`streams`] for what each stream guarantees.
//!
//! ```no_run
//! # async fn run(mm: mm_sdk::MultiMarkets) -> Result<(), mm_sdk::streams::StreamError> {
//! use futures::StreamExt;
//! use mm_sdk::streams::{Bars, DataPushEvent, KlineType, MarketEvent, Product};
//!
//! // Tickers and K-lines (examples/market_data.rs).
//! let usdchf = Product { symbol_id: 2, trade_type: 3, trade_mode: 1 };
//! let (quotes, mut ticks) = mm.market_data().connect().await?;
//! quotes.subscribe_tickers([usdchf]).await?;
//! if let Some(MarketEvent::Ticker(tick)) = ticks.next().await.transpose()? {
//!     println!("{} bid {} ask {}", tick.seq, tick.bid, tick.ask);
//! }
//! let hour = quotes.klines(usdchf, KlineType::Minute1, Bars::Latest(60)).await?;
//!
//! // The operator's events, none missed across restarts (examples/data_push.rs).
//! let (_push, mut events) = mm.data_push().group("back-office").connect().await?;
//! while let Some(event) = events.next().await {
//!     if let DataPushEvent::Event(event) = event? {
//!         println!("{}", event.event_type());
//!     }
//! }
//! # Ok(()) }
//! ```
//!
//! # Secrets
//!
//! Passwords ([`Password`], sent as the MD5 digest upstream expects), tokens, app secrets,
//! verification codes and their tickets ([`VerifyCode`], [`SendToken`]) and API private keys
//! ([`OpenApiPrivateKey`], [`OpenApiKey`]) are `secrecy` types: their `Debug` is redacted,
//! and the SDK never logs them.
//!
//! # Tracing
//!
//! Each call runs in a `tracing` span `mm_sdk.call` with the operation, the trace id, the
//! number of attempts and the last HTTP status; each attempt ends with a `debug` event giving
//! its number, status and duration in milliseconds (and the error, when it failed).
#![deny(missing_docs)]

pub mod access_sign;
pub mod auth2;
pub mod callbacks;
pub mod client_api;
mod config;
pub mod iframe;
mod locale;
pub mod manager_api;
mod multimarkets;
mod password;
pub mod streams;
mod ui;

pub use config::{AppCredentials, Builder, Environment};
pub use locale::{InvalidLocale, Locale};
pub use mm_sdk_core::codes;
pub use mm_sdk_core::{
    AccessToken, ApiError, AppSecret, AuthCode, BODY_EXCERPT_LIMIT, CaptchaToken, Credential,
    Decimal, DecimalNumber, Effect, Endpoints, Error, ErrorKind, GoogleToken, InvalidPrivateKey,
    LoginToken, MAX_RESPONSE_BYTES, ManagerToken, OpenApiKey, OpenApiPrivateKey, QuoteToken,
    RefreshToken, RetryPolicy, SendToken, SessionToken, SocialLoginToken, TraceId, Upload,
    VerifyCode,
};
pub use multimarkets::MultiMarkets;
pub use password::{InvalidPasswordHash, Password};

/// Every area of the specs (`openapi/<area>.yaml`), by name: its request and response types
/// (`mm_sdk::areas::client_trade_contract::types::OrderAddMarketOrderRequest`), its
/// operations' metadata (`operations`) and functions (`calls`). The methods themselves are on
/// the API's handle (`mm.client()`, `mm.manager()`), through [`prelude`].
pub use mm_sdk_generated as areas;

/// The operation traits of every API, so that every operation is a method of its handle:
/// `use mm_sdk::prelude::*;`.
pub mod prelude {
    pub use mm_sdk_generated::prelude::*;
}
