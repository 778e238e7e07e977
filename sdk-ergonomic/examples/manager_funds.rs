//! The Manager API's customer and funds calls: list every customer page by page, read a
//! customer's balances, and credit their account.
//!
//! ```sh
//! cargo run -p mm-sdk --example manager_funds
//! ```

mod common;

use futures::TryStreamExt;
use mm_sdk::manager_api::types::GetBalanceRequest;
use mm_sdk::manager_api::{BalanceAdjustment, Registration};
use mm_sdk::{Decimal, Password};
// Every operation is a method of its API's handle, from the traits in the prelude.
use mm_sdk::prelude::*;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let common::Connection { mm, sandbox } = common::connect().await?;
    let manager = mm.manager();

    if sandbox.is_some() {
        // An empty sandbox: register a few customers to list.
        for n in 0..3 {
            let email = format!("funds-{n}@example.com");
            let password = Password::from_plain("a password the customer chose");
            let registration =
                Registration::email(email, "+86", password, "CN", 1).account("USDT", "1");
            manager.register_customer(registration).await?;
        }
    }

    // Every customer, fetched a page at a time as the stream is read.
    let customers: Vec<_> = manager.customers(100).try_collect().await?;
    println!("{} customers", customers.len());
    let Some(first) = customers.first() else {
        return Ok(());
    };

    // Balances of the first customer's perpetual-contract accounts (trade type 1).
    let accounts = GetBalanceRequest {
        customer_no: first.customer_no.clone(),
        trade_type: 1,
    };
    let before = manager.get_balance(&accounts).await?;
    for account in &before {
        println!(
            "account {} {}: {}",
            account.account_id, account.currency, account.balance
        );
    }

    if sandbox.is_some() {
        // Credit 25 USDT as a withdrawable bonus. Moves money: never retried automatically.
        let bonus = BalanceAdjustment::new(&first.customer_no, "USDT", Decimal::new(25, 0))
            .remark("welcome bonus");
        manager.update_balance(&bonus).await?;
        let after = manager.get_balance(&accounts).await?;
        println!("after the credit: {}", after[0].balance);
    }
    Ok(())
}
