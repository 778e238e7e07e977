//! `cargo xtask sandbox [--port N] [--state FILE]`: runs the local sandbox until interrupted
//! and prints what a client needs to reach it.

use std::net::SocketAddr;
use std::path::PathBuf;

use mm_sdk_sandbox::{Config, Sandbox};

pub(crate) fn run(args: &[&str]) -> Result<(), String> {
    let mut port = 0u16;
    let mut config = Config::default();
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match *arg {
            "--port" => {
                let value = args.next().ok_or("`--port` needs a port number")?;
                port = value
                    .parse()
                    .map_err(|_| format!("`--port {value}`: not a port number"))?;
            }
            "--state" => {
                let value = args.next().ok_or("`--state` needs a file name")?;
                config.state_file = Some(PathBuf::from(value));
            }
            other => {
                return Err(format!(
                    "unknown argument `{other}`; usage: cargo xtask sandbox [--port N] [--state FILE]"
                ));
            }
        }
    }
    let runtime = tokio::runtime::Runtime::new().map_err(|e| format!("cannot start tokio: {e}"))?;
    runtime.block_on(async {
        let sandbox = Sandbox::start_on(SocketAddr::from(([127, 0, 0, 1], port)), config)
            .await
            .map_err(|e| e.to_string())?;
        print_banner(&sandbox);
        // Serve until the process is interrupted (Ctrl-C).
        std::future::pending::<()>().await;
        Ok(())
    })
}

fn print_banner(sandbox: &Sandbox) {
    let base = sandbox.base_url();
    let base = base.as_str().trim_end_matches('/');
    let config = sandbox.config();
    println!("MultiMarkets sandbox listening; Ctrl-C stops it.");
    println!();
    println!("  Client API   {base}/api/...  and Open API {base}/openapi-c/...");
    println!("  Manager API  {base}/openapi-b/...");
    println!("  Auth2 API    {base}/cats-gateway-auth2/...");
    println!("  trading UI   {base}/en-US/home?tsource=...");
    println!();
    println!("  company id       {}", config.company_id);
    println!("  manager token    {}", config.manager_token);
    println!("  quote token      {}", config.quote_token);
    println!(
        "  manager app      {} / {}",
        config.manager_app.id, config.manager_app.secret
    );
    println!(
        "  auth2 app        {} / {}",
        config.auth2_app.id, config.auth2_app.secret
    );
    match &config.state_file {
        Some(path) => println!("  state file       {}", path.display()),
        None => println!("  state            in memory (`--state FILE` keeps it)"),
    }
}
