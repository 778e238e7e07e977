//! The Manager API's customer and funds calls: list every customer page by page, read a
//! customer's balances, and credit their account.
//!
//! ```sh
//! cargo run -p mm-sdk --example manager_funds --features manager,sandbox
//! ```

mod common;

use futures::TryStreamExt;
use mm_sdk::enums::TradeType;
use mm_sdk::extras::back_office::{BalanceAdjustment, Registration};
use mm_sdk::manager::customer::CustomerListRequest;
use mm_sdk::manager::funds::GetBalanceRequest;
use mm_sdk::{Decimal, Password};

/// The perpetual-contract accounts' trade type.
const PERPETUAL: TradeType = TradeType::CfdCrossMargin;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let common::Connection { mm, sandbox } = common::connect().await?;
    // The flows of the back office (registration, paging, adjustments) and the generated
    // operations of the Manager API, a method per operation of each group.
    let office = mm.back_office();
    let funds = mm.manager().funds();

    if sandbox.is_some() {
        // An empty sandbox: register a few customers to list.
        for n in 0..3 {
            let email = format!("funds-{n}@example.com");
            let password = Password::from_plain("a password the customer chose");
            let registration = Registration::email(email, "+86", password, "CN", 1)
                .account("USDT", PERPETUAL.to_string());
            office.register_customer(registration).await?;
        }
    }

    // Every customer, fetched a page at a time as the stream is read.
    let every = CustomerListRequest::new().size(100);
    let customers: Vec<_> = mm
        .manager()
        .customer()
        .customer_list_pages(&every)
        .items()
        .try_collect()
        .await?;
    println!("{} customers", customers.len());
    let Some(first) = customers.first() else {
        return Ok(());
    };

    // Balances of the first customer's perpetual-contract accounts.
    let accounts = GetBalanceRequest::new(first.customer_no.as_str(), PERPETUAL);
    let before = funds.get_balance(&accounts).await?;
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
        office.adjust_balance(&bonus).await?;
        let after = funds.get_balance(&accounts).await?;
        println!("after the credit: {}", after[0].balance);
    }
    Ok(())
}
