//! Web-iframe single sign-on: register a customer through the Manager API, log them in, and
//! build the URL that opens the trading UI in an iframe already signed in.
//!
//! ```sh
//! cargo run -p mm-sdk --example web_iframe --features client-auth,manager,sandbox
//! ```

mod common;

use mm_sdk::Password;
use mm_sdk::extras::Device;
use mm_sdk::extras::back_office::Registration;
use mm_sdk::extras::web_iframe::LoginName;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let common::Connection { mm, sandbox } = common::connect().await?;
    let email = format!("iframe-{}@example.com", std::process::id());
    let password = Password::from_plain("a password the customer chose");

    // 1. Your backend registers the customer, with a USDT account for perpetual contracts.
    let registration =
        Registration::email(&email, "+86", password.clone(), "CN", 1).account("USDT", "1");
    let customer_no = mm.back_office().register_customer(registration).await?;
    println!("registered customer {customer_no}");

    // 2. ... logs them in, which yields a one-time login token ...
    let iframe = mm.web_iframe();
    let session = iframe
        .login(&LoginName::Email(email), &password, Device::MobileWeb)
        .await?;

    // 3. ... and puts this URL in the page's iframe. The token in it is a secret: `Display`
    //    of the URL shows it, so never log it.
    let url = iframe.url(&session);
    println!(
        "iframe URL built for customer {}",
        session.customer.customer_no
    );

    // 4. The trading UI exchanges the one-time token for its session, exactly once. With the
    //    sandbox, play the browser: open the page.
    if sandbox.is_some() {
        let page = reqwest::get(url.as_str())
            .await?
            .error_for_status()?
            .text()
            .await?;
        println!("the trading UI says: {}", page.trim());
        let again = iframe.exchange_one_time_token(&session.token).await;
        let error = again.expect_err("a one-time token works once");
        println!("a second exchange is refused: {error}");
    }
    Ok(())
}
