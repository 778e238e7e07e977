//! How the examples connect: to the environment named by `MM_*` variables when `MM_COMPANY_ID`
//! is set, else to a sandbox started in-process (`mm_sdk::sandbox`), so that every example
//! runs on a fresh machine with no account.
//!
//! | variable | what |
//! |---|---|
//! | `MM_COMPANY_ID` | your white-label company id (setting it selects the real environment) |
//! | `MM_BASE_URL` | a base URL for all three APIs; the pre-release hosts when unset |
//! | `MM_MANAGER_TOKEN` | the Manager API token |
//! | `MM_APP_ID`, `MM_APP_SECRET` | the Auth2 application's credentials |

#![allow(dead_code)] // Each example uses part of this.

use mm_sdk::sandbox::{Config, Sandbox};
use mm_sdk::{AppSecret, Endpoints, Environment, ManagerToken, MultiMarkets};

/// A configured client, and the sandbox it talks to if no real environment was configured.
pub struct Connection {
    pub mm: MultiMarkets,
    /// Kept alive for as long as the example runs.
    pub sandbox: Option<Sandbox>,
}

pub async fn connect() -> Result<Connection, Box<dyn std::error::Error>> {
    match std::env::var("MM_COMPANY_ID") {
        Ok(company_id) => real(company_id),
        Err(_) => sandboxed().await,
    }
}

fn real(company_id: String) -> Result<Connection, Box<dyn std::error::Error>> {
    let environment = match std::env::var("MM_BASE_URL") {
        Ok(base) => {
            let base = url::Url::parse(&base)?;
            Environment::custom(
                Endpoints::same_host(base).trading_ui(url::Url::parse("https://www.headline.net")?),
            )
        }
        Err(_) => Environment::PreRelease,
    };
    let mut builder = MultiMarkets::builder(environment).company_id(company_id);
    if let Ok(token) = std::env::var("MM_MANAGER_TOKEN") {
        builder = builder.manager_token(ManagerToken::new(token));
    }
    if let (Ok(id), Ok(secret)) = (std::env::var("MM_APP_ID"), std::env::var("MM_APP_SECRET")) {
        builder = builder.app_credentials(id, AppSecret::new(secret));
    }
    let mm = builder.build()?;
    println!("using the configured environment (MM_COMPANY_ID is set)");
    Ok(Connection { mm, sandbox: None })
}

async fn sandboxed() -> Result<Connection, Box<dyn std::error::Error>> {
    let sandbox = Sandbox::start(Config::default()).await?;
    let mm = mm_sdk::sandbox::builder(&sandbox).build()?;
    println!(
        "no MM_COMPANY_ID: using a local sandbox at {}",
        sandbox.base_url()
    );
    Ok(Connection {
        mm,
        sandbox: Some(sandbox),
    })
}
