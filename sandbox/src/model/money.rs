//! Money: a balance is an exact decimal, every change of one is an entry of its account's
//! ledger (what the capital flow lists), and amounts go on the wire as upstream writes them.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The decimals of every trading account's amounts: upstream shows balances with 6.
pub(crate) const ACCOUNT_DIGITS: u32 = 6;

/// `value` as upstream writes a balance: a string with the account's 6 decimals
/// (`"7.250000"`).
pub(crate) fn amount(value: Decimal) -> String {
    format!("{:.6}", value.round_dp(ACCOUNT_DIGITS))
}

/// `value` as a JSON number (`12.5`), for the fields upstream sends as numbers. A `Value`
/// holds a number as an `f64`, whose shortest text is the decimal's own up to 15 significant
/// digits: more than the sandbox's amounts ever have.
pub(crate) fn number(value: Decimal) -> Value {
    // A decimal's text never has an exponent.
    value
        .to_string()
        .parse::<serde_json::Number>()
        .map(Value::Number)
        .unwrap_or_else(|e| unreachable!("a decimal is a JSON number: {e}"))
}

/// Why a balance changed, as the capital flow names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) enum Entry {
    /// A deposit paid through the trading UI.
    Deposit,
    /// A withdrawal proposal, which takes its amount when it is made.
    Withdrawal,
    /// A Manager `balance_update`.
    Adjustment,
    /// Margin an opening order takes.
    MarginTaken,
    /// Margin a close or a cancel gives back.
    MarginReleased,
    /// A closed position's profit or loss.
    Profit,
}

impl Entry {
    /// Upstream's `businessType` and `businessType1` for a change of `amount`, with their
    /// English names (the capital flow's table in the Client API's export).
    pub(crate) fn kind(self, amount: Decimal) -> (i32, i32, &'static str, &'static str) {
        match self {
            Self::Deposit => (1, 1001, "Deposit", "Front-end deposit"),
            Self::Withdrawal => (2, 2001, "Withdrawal", "Front-end withdrawal"),
            Self::Adjustment if amount.is_sign_negative() => {
                (4, 4002, "Limit adjustment", "Limit adjustment_withdrawal")
            }
            Self::Adjustment => (4, 4001, "Limit adjustment", "Limit adjustment_deposit"),
            Self::MarginTaken => (5, 5001, "Freeze", "Freeze"),
            Self::MarginReleased => (5, 5002, "Freeze", "Unfreeze"),
            Self::Profit => (6, 6004, "Transaction", "Market close profit and loss"),
        }
    }
}

/// One change of an account's balance.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Flow {
    pub(crate) entry: Entry,
    /// Positive when money came in, negative when it went out.
    pub(crate) amount: Decimal,
    /// The balance after the change.
    pub(crate) after: Decimal,
    /// The order that made it, for trading entries.
    pub(crate) order_id: Option<i64>,
    pub(crate) time: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decimal(text: &str) -> Decimal {
        Decimal::from_str_exact(text).expect("a decimal")
    }

    #[test]
    fn amounts_are_written_with_six_decimals_and_numbers_with_their_digits() {
        assert_eq!(amount(decimal("7.25")), "7.250000");
        assert_eq!(amount(decimal("0.0000004")), "0.000000");
        assert_eq!(amount(decimal("-1.5")), "-1.500000");
        assert_eq!(number(decimal("12.5")), serde_json::json!(12.5));
        assert_eq!(number(decimal("50")).to_string(), "50");
    }
}
