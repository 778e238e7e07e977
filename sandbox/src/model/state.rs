//! Everything the sandbox remembers, and how it is kept across restarts.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::book::Book;
use super::money::{Entry, Flow};
use super::proposals::Proposals;
use crate::envelope::Failure;

/// The first customer number handed out; upstream's numbers look like `86021976`.
const FIRST_CUSTOMER_NO: u64 = 86_000_001;
/// The first trading-account id handed out.
const FIRST_ACCOUNT_ID: i64 = 1_000_001;

/// The sandbox's whole memory. Serialized as JSON with `--state FILE`.
#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub(crate) struct State {
    pub(crate) customers: Vec<Customer>,
    /// Login tokens by value: what `login` issues and the iframe's `tsource` carries.
    pub(crate) login_tokens: HashMap<String, LoginToken>,
    /// Session tokens by value: what the one-time exchange issues.
    pub(crate) sessions: HashMap<String, Session>,
    /// Auth2 authorization codes by value.
    pub(crate) auth_codes: HashMap<String, AuthCode>,
    /// Auth2 access tokens by value.
    pub(crate) access_tokens: HashMap<String, Grant>,
    /// Auth2 refresh tokens by value.
    pub(crate) refresh_tokens: HashMap<String, Grant>,
    /// Tickets of sent verification codes (`sendToken`) by value, with their expiry.
    pub(crate) send_tokens: HashMap<String, i64>,
    /// Open API keys by `apiKey`.
    pub(crate) api_keys: HashMap<String, ApiKey>,
    /// Tokens of the Open API message stream (`open_msg_token`) by value.
    pub(crate) msg_tokens: HashMap<String, MsgToken>,
    /// The isolated-margin contract's orders and positions.
    pub(crate) book: Book,
    /// Deposit and withdrawal proposals.
    pub(crate) proposals: Proposals,
}

/// A token `open_msg_token` issued: what the message stream's `login` carries.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct MsgToken {
    pub(crate) customer_no: String,
    pub(crate) expires_ms: i64,
}

/// An Open API key a customer applied for.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct ApiKey {
    pub(crate) id: i64,
    pub(crate) customer_no: String,
    pub(crate) tag: String,
    /// Permission code and status (1 on, 2 off), as `permissionDTOList` carries them.
    pub(crate) permissions: Vec<(String, i32)>,
    pub(crate) created_ms: i64,
    pub(crate) expires_ms: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Customer {
    pub(crate) id: i64,
    pub(crate) customer_no: String,
    pub(crate) email: Option<String>,
    pub(crate) phone_area: Option<String>,
    pub(crate) phone: Option<String>,
    /// The password as upstream receives it: lower-case hex MD5.
    pub(crate) pwd_md5: String,
    pub(crate) country: String,
    pub(crate) customer_group_id: i64,
    pub(crate) register_source: i32,
    pub(crate) third_server_code: Option<String>,
    pub(crate) remark: Option<String>,
    pub(crate) create_time: i64,
    pub(crate) accounts: Vec<Account>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Account {
    pub(crate) account_id: i64,
    pub(crate) trade_type: i32,
    pub(crate) currency: String,
    /// What the customer can spend: margin held by orders and positions and the amounts of
    /// withdrawal proposals are taken out of it. Changed only by [`Account::post`].
    pub(crate) balance: Decimal,
    /// Every change of `balance`, oldest first.
    #[serde(default)]
    pub(crate) ledger: Vec<Flow>,
    pub(crate) create_time: i64,
}

impl Account {
    /// Adds `amount` (negative to take money out) to the balance and records it in the
    /// ledger; returns the new balance. A balance that would go below zero is refused
    /// (`FS540013`) and nothing changes. Every change of a balance goes through here, so none
    /// goes unrecorded.
    pub(crate) fn post(
        &mut self,
        entry: Entry,
        amount: Decimal,
        order_id: Option<i64>,
        now: i64,
    ) -> Result<Decimal, Failure> {
        let after = self
            .balance
            .checked_add(amount)
            .ok_or_else(|| Failure::invalid("the balance would overflow"))?;
        if after < Decimal::ZERO {
            return Err(Failure::insufficient_balance());
        }
        self.balance = after;
        if !amount.is_zero() {
            self.ledger.push(Flow {
                entry,
                amount,
                after,
                order_id,
                time: now,
            });
        }
        Ok(after)
    }
}

impl Customer {
    /// The trading account a request means: `account_id` when it gives one, else the first
    /// of `trade_type` (in `currency`, when it gives one).
    pub(crate) fn account_mut(
        &mut self,
        account_id: Option<i64>,
        trade_type: i64,
        currency: Option<&str>,
    ) -> Result<&mut Account, Failure> {
        if let Some(id) = account_id {
            return self.account_by_id_mut(id);
        }
        self.accounts
            .iter_mut()
            .find(|a| {
                i64::from(a.trade_type) == trade_type && currency.is_none_or(|c| a.currency == c)
            })
            .ok_or_else(|| Failure::not_found("trading account"))
    }

    /// The customer's trading account `account_id`.
    pub(crate) fn account_by_id_mut(&mut self, account_id: i64) -> Result<&mut Account, Failure> {
        self.accounts
            .iter_mut()
            .find(|a| a.account_id == account_id)
            .ok_or_else(|| Failure::not_found(format!("trading account {account_id}")))
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct LoginToken {
    pub(crate) customer_no: String,
    pub(crate) expires_ms: i64,
    /// Set once `/global/thirdExt/randomKey` has exchanged it: it cannot be exchanged again.
    pub(crate) exchanged: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Session {
    pub(crate) customer_no: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct AuthCode {
    pub(crate) customer_no: String,
    pub(crate) app_id: String,
    pub(crate) expires_ms: i64,
}

/// What an Auth2 access or refresh token grants: one customer's identity to one app.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Grant {
    pub(crate) customer_no: String,
    pub(crate) app_id: String,
    pub(crate) expires_ms: i64,
    /// For a refresh token: the access token issued with it (revoked when it is used).
    pub(crate) access_token: Option<String>,
}

impl State {
    /// Reads `path`, or starts empty when it does not exist yet.
    pub(crate) fn load(path: &Path) -> Result<Self, String> {
        match std::fs::read(path) {
            Ok(bytes) => serde_json::from_slice(&bytes)
                .map_err(|e| format!("{}: not a sandbox state file: {e}", path.display())),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Self::default()),
            Err(e) => Err(format!("{}: cannot read: {e}", path.display())),
        }
    }

    /// Writes the state to `path` atomically (a temporary file renamed over it).
    pub(crate) fn save(&self, path: &Path) -> Result<(), String> {
        let bytes = serde_json::to_vec_pretty(self).map_err(|e| e.to_string())?;
        let temporary = PathBuf::from(format!("{}.tmp", path.display()));
        std::fs::write(&temporary, bytes)
            .and_then(|()| std::fs::rename(&temporary, path))
            .map_err(|e| format!("{}: cannot write: {e}", path.display()))
    }

    pub(crate) fn customer(&self, customer_no: &str) -> Option<&Customer> {
        self.customers.iter().find(|c| c.customer_no == customer_no)
    }

    pub(crate) fn customer_mut(&mut self, customer_no: &str) -> Option<&mut Customer> {
        self.customers
            .iter_mut()
            .find(|c| c.customer_no == customer_no)
    }

    /// The customer `customer_no`, or the failure upstream answers for an unknown one.
    pub(crate) fn existing_customer_mut(
        &mut self,
        customer_no: &str,
    ) -> Result<&mut Customer, Failure> {
        self.customer_mut(customer_no)
            .ok_or_else(|| Failure::not_found(format!("customer {customer_no}")))
    }

    /// The customer who holds trading account `account_id`, of trade type `trade_type`.
    pub(crate) fn account_owner(&self, account_id: i64, trade_type: i64) -> Option<String> {
        self.customers
            .iter()
            .find(|c| {
                c.accounts
                    .iter()
                    .any(|a| a.account_id == account_id && i64::from(a.trade_type) == trade_type)
            })
            .map(|c| c.customer_no.clone())
    }

    pub(crate) fn next_customer_no(&self) -> String {
        (FIRST_CUSTOMER_NO + self.customers.len() as u64).to_string()
    }

    pub(crate) fn next_account_id(&self) -> i64 {
        let opened: usize = self.customers.iter().map(|c| c.accounts.len()).sum();
        FIRST_ACCOUNT_ID + opened as i64
    }

    /// Forgets tokens and codes that have expired, so the state file does not grow forever.
    pub(crate) fn expire(&mut self, now_ms: i64) {
        self.login_tokens.retain(|_, t| t.expires_ms > now_ms);
        self.auth_codes.retain(|_, c| c.expires_ms > now_ms);
        self.access_tokens.retain(|_, g| g.expires_ms > now_ms);
        self.refresh_tokens.retain(|_, g| g.expires_ms > now_ms);
        self.send_tokens.retain(|_, expires| *expires > now_ms);
        self.msg_tokens.retain(|_, t| t.expires_ms > now_ms);
    }

    /// Whether `token` is a message-stream token that is still valid at `now_ms`.
    pub(crate) fn msg_token_valid(&self, token: &str, now_ms: i64) -> bool {
        self.msg_tokens
            .get(token)
            .is_some_and(|t| t.expires_ms > now_ms)
    }
}

/// The customer a Client API token (a login or session token) belongs to, if it is valid.
pub(crate) fn signed_in(state: &State, token: &str, now: i64) -> Option<String> {
    if let Some(login) = state.login_tokens.get(token).filter(|t| t.expires_ms > now) {
        return Some(login.customer_no.clone());
    }
    state.sessions.get(token).map(|s| s.customer_no.clone())
}

/// A fresh random token, as upstream's look (a UUID).
pub(crate) fn new_token() -> String {
    uuid::Uuid::new_v4().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decimal(text: &str) -> Decimal {
        Decimal::from_str_exact(text).expect("a decimal")
    }

    #[test]
    fn a_post_below_zero_changes_nothing() {
        let mut account = Account {
            account_id: 1,
            trade_type: 2,
            currency: "USDT".into(),
            balance: decimal("10"),
            ledger: Vec::new(),
            create_time: 0,
        };
        let after = account
            .post(Entry::MarginTaken, decimal("-9.5"), Some(7), 1)
            .expect("covered");
        assert_eq!(after, decimal("0.5"));
        let refused = account.post(Entry::Withdrawal, decimal("-0.500001"), None, 2);
        assert_eq!(refused, Err(Failure::insufficient_balance()));
        assert_eq!(account.balance, decimal("0.5"));
        assert_eq!(account.ledger.len(), 1);
        assert_eq!(account.ledger[0].order_id, Some(7));
    }
}
