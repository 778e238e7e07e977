//! Deposit and withdrawal proposals as the sandbox keeps them, per customer, and their
//! numbers. `funds` makes and shows them.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// Every customer's proposals.
#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub(crate) struct Proposals {
    /// Oldest first.
    pub(crate) deposits: Vec<Deposit>,
    /// Oldest first.
    pub(crate) withdrawals: Vec<Withdrawal>,
}

impl Proposals {
    /// The sequence number of the next deposit.
    pub(crate) fn next_deposit(&self) -> u64 {
        self.deposits.len() as u64 + 1
    }

    /// The sequence number of the next withdrawal.
    pub(crate) fn next_withdrawal(&self) -> u64 {
        self.withdrawals.len() as u64 + 1
    }
}

/// A deposit proposal's number, from its sequence number (`D00000000000001`); the Data Push
/// `deposit` event carries the same.
pub(crate) fn deposit_no(seq: u64) -> String {
    format!("D{seq:014}")
}

/// A withdrawal proposal's number, from its sequence number (`W00000000000001`).
pub(crate) fn withdrawal_no(seq: u64) -> String {
    format!("W{seq:014}")
}

/// What a proposal is about: whose account, when, and the customer's details it records.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Holder {
    pub(crate) customer_no: String,
    pub(crate) customer_group_id: i64,
    pub(crate) country: String,
    pub(crate) account_id: i64,
    pub(crate) trade_type: i32,
    /// The account's currency.
    pub(crate) currency: String,
    pub(crate) remark: Option<String>,
    pub(crate) create_time: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Deposit {
    pub(crate) seq: u64,
    pub(crate) holder: Holder,
    /// The payment channel's currency.
    pub(crate) payment_currency: String,
    pub(crate) amount: Decimal,
    pub(crate) channel_code: String,
    pub(crate) channel_type: String,
    /// Paid, and credited to the account.
    pub(crate) paid: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Withdrawal {
    pub(crate) seq: u64,
    pub(crate) holder: Holder,
    /// The currency paid out.
    pub(crate) withdraw_currency: String,
    pub(crate) amount: Decimal,
    pub(crate) method: String,
    pub(crate) withdraw_type: Option<i32>,
    pub(crate) bank_account_name: Option<String>,
    pub(crate) bank_name: Option<String>,
    pub(crate) bank_card_no: Option<String>,
    pub(crate) blockchain_name: Option<String>,
}
