//! What the sandbox remembers, and the rules its money follows: customers, tokens and
//! accounts ([`state`]), balances and their ledger ([`money`]), the quoted products and their
//! prices ([`quotes`]), the isolated-margin contract's orders and positions ([`book`]), and
//! deposit and withdrawal proposals ([`proposals`]). Plain data and its rules: nothing here
//! knows of requests, answers or connections.

pub(crate) mod book;
pub(crate) mod money;
pub(crate) mod proposals;
pub(crate) mod quotes;
pub(crate) mod state;
