//! Auth2 login for a third-party platform: send the user to the trading UI to authorize your
//! app, take the code from the redirect back, exchange it for tokens, read who the user is,
//! and keep the tokens fresh.
//!
//! ```sh
//! cargo run -p mm-sdk --example auth2_login --features auth2,client-auth,manager,sandbox
//! ```
//!
//! Against a real environment the example prints the authorization URL and asks for the URL
//! the browser was redirected to; with the sandbox it plays the browser itself.

mod common;

use std::time::Duration;

use mm_sdk::Password;
use mm_sdk::extras::Device;
use mm_sdk::extras::auth2_login::TokenHolder;
use mm_sdk::extras::back_office::Registration;
use mm_sdk::extras::web_iframe::LoginName;
use url::Url;

/// Your platform's callback, registered with the operator for your app.
const REDIRECT: &str = "https://platform.example/multimarkets/callback";

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let common::Connection { mm, sandbox } = common::connect().await?;
    let redirect = Url::parse(REDIRECT)?;
    let login = mm.auth2_login();

    // 1. Send the user's browser to the authorization page.
    let authorize = login.authorization_url("mall-x", &redirect)?;
    println!("authorization page: {authorize}");

    // 2. The trading UI redirects back to your callback with `code` and `app`.
    let came_back = match &sandbox {
        Some(_) => play_the_browser(&mm, authorize).await?,
        None => ask_for_the_redirect()?,
    };
    let authorization = login.parse_redirect(&redirect, &came_back)?;

    // 3. Your backend exchanges the code (once) for tokens, and reads who the user is.
    let tokens = login.exchange_code(&authorization.code).await?;
    let user = login.user_info(&tokens.access).await?;
    println!("signed in: customer {}", user.customer_no);

    // 4. Keep the tokens in a holder: it refreshes them when they are due, one refresh at a
    //    time however many tasks ask.
    let holder = TokenHolder::new(mm.clone(), tokens, Duration::from_secs(60 * 60));
    let access = holder.access_token().await?;
    let fresh = holder.refresh_rejected(&access).await?;
    let user = login.user_info(&fresh).await?;
    println!("after a refresh: still customer {}", user.customer_no);
    Ok(())
}

/// With the sandbox: a customer signs in and approves on the authorization page. (The
/// sandbox's `token` parameter stands for the browser's session with the trading UI.)
async fn play_the_browser(
    mm: &mm_sdk::MultiMarkets,
    mut authorize: Url,
) -> Result<String, Box<dyn std::error::Error>> {
    let email = format!("auth2-{}@example.com", std::process::id());
    let password = Password::from_plain("a password the customer chose");
    let registration =
        Registration::email(&email, "+86", password.clone(), "CN", 1).account("USDT", "1");
    mm.back_office().register_customer(registration).await?;
    let session = mm
        .web_iframe()
        .login(&LoginName::Email(email), &password, Device::PcWeb)
        .await?;
    authorize
        .query_pairs_mut()
        .append_pair("token", session.token.expose_secret());
    let browser = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()?;
    let response = browser.get(authorize).send().await?;
    let location = response
        .headers()
        .get(reqwest::header::LOCATION)
        .ok_or("the authorization page did not redirect")?;
    Ok(location.to_str()?.to_owned())
}

fn ask_for_the_redirect() -> Result<String, Box<dyn std::error::Error>> {
    println!("open it, authorize, and paste the URL you were sent back to:");
    let mut line = String::new();
    std::io::stdin().read_line(&mut line)?;
    Ok(line.trim().to_owned())
}
