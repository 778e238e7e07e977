//! A local, stateful stand-in for the MultiMarkets Client, Manager and Auth2 APIs, so the SDK
//! can be seen working, and tested, with no account and no network.
//!
//! ```no_run
//! # async fn run() -> Result<(), mm_sdk_sandbox::StartError> {
//! let sandbox = mm_sdk_sandbox::Sandbox::start(mm_sdk_sandbox::Config::default()).await?;
//! println!("listening at {}", sandbox.base_url());
//! # Ok(()) }
//! ```
//!
//! `cargo xtask sandbox` runs one from the command line.
//!
//! # What it speaks
//!
//! Upstream's wire format: the paths of `openapi/*.yaml`, all `POST` with JSON bodies, every
//! answer an HTTP 200 envelope `{msg, fail, trace, code, data, bizCode, tm, msgParams, ok}`,
//! and the error codes of upstream's tables. One base URL serves the three APIs and the two
//! trading-UI pages the flows visit (see [`Sandbox::base_url`]).
//!
//! # What it keeps
//!
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
//! - Balances: every update is applied under one lock, so concurrent updates are never lost;
//!   a deduction below zero answers `FS540013`.
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
//! State lives in memory, or in the JSON file of [`Config::state_file`] across restarts.

mod auth2_api;
mod client_api;
mod config;
mod context;
mod envelope;
mod examples;
mod manager_api;
mod open_api;
mod server;
mod spec;
mod state;
mod trading_ui;

pub use config::{Config, Credentials};
pub use context::Answer;
pub use server::{Sandbox, StartError, answerable_from_examples, modelled_operations};

/// The specs and examples, embedded by the build script.
mod embedded {
    include!(concat!(env!("OUT_DIR"), "/embedded.rs"));
}
