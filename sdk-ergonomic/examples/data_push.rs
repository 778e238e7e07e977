//! Manager Data Push: follow the white label's customer and deposit events.
//!
//! ```sh
//! cargo run -p mm-sdk --example data_push --features streams,manager,sandbox
//! ```
//!
//! With no `MM_COMPANY_ID` it runs against an in-process sandbox, where it registers a
//! customer and has them pay in, then prints the events that produces; with one, it prints
//! the configured environment's events until it has seen a few.

mod common;

use futures::StreamExt;
use mm_sdk::extras::back_office::Registration;
use mm_sdk::manager::funds::GetBalanceRequest;
use mm_sdk::streams::DataPushEvent;
use mm_sdk::streams::types::DataPush;
use mm_sdk::{Decimal, Password};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let common::Connection { mm, sandbox } = common::connect().await?;

    // A stable group: events produced while this program is down are delivered when it
    // connects again (for up to 168 hours).
    let (push, mut events) = mm.data_push().group("data-push-example").connect().await?;

    if let Some(sandbox) = &sandbox {
        let registration = Registration::email(
            "follow-me@example.com",
            "+86",
            Password::from_plain("a password the customer chose"),
            "CN",
            1,
        )
        .account("USDT", "1");
        let customer_no = mm.back_office().register_customer(registration).await?;
        // Its perpetual-contract account (trade type 1), to pay into.
        let accounts = mm
            .manager()
            .funds()
            .get_balance(&GetBalanceRequest::new(customer_no.as_str(), 1))
            .await?;
        // The customer pays in through the trading UI (the sandbox stands in for it).
        if let Some(account) = accounts.first() {
            sandbox.simulate_deposit(&customer_no, account.account_id, Decimal::new(250, 0))?;
        }
    }

    let mut seen = 0;
    while let Some(event) = events.next().await {
        match event? {
            DataPushEvent::Event(event) => match *event {
                DataPush::Register(customer) => {
                    println!("registered: customer {:?}", customer.customer_no)
                }
                DataPush::Deposit(deposit) => println!(
                    "deposit {:?}: {:?} {:?} to account {:?}",
                    deposit.proposal_no,
                    deposit.final_amount,
                    deposit.deposit_currency,
                    deposit.account_id
                ),
                other => println!("{} event", other.event_type()),
            },
            DataPushEvent::Reconnected { gap } => println!("reconnected; gap: {gap:?}"),
            other => println!("{other:?}"),
        }
        seen += 1;
        if seen == 3 {
            break;
        }
    }
    push.close().await;
    Ok(())
}
