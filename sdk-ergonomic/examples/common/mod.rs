//! How the examples connect: to the environment the `MM_*` variables describe when
//! `MM_COMPANY_ID` is set (`MultiMarkets::from_env`; every variable is listed at
//! `mm_sdk::Builder::from_env`), else to a sandbox started in-process (`mm_sdk::sandbox`), so
//! that every example runs on a fresh machine with no account.

#![allow(dead_code)] // Each example uses part of this.

use mm_sdk::MultiMarkets;
use mm_sdk::sandbox::{Config, Sandbox};

/// A configured client, and the sandbox it talks to if no real environment was configured.
pub struct Connection {
    pub mm: MultiMarkets,
    /// Kept alive for as long as the example runs.
    pub sandbox: Option<Sandbox>,
}

pub async fn connect() -> Result<Connection, Box<dyn std::error::Error>> {
    if std::env::var_os("MM_COMPANY_ID").is_some() {
        let mm = MultiMarkets::from_env()?;
        println!("using the configured environment (MM_COMPANY_ID is set)");
        return Ok(Connection { mm, sandbox: None });
    }
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
