//! `mm-sdk-sandbox [--port N] [--state FILE]`: runs the local sandbox until interrupted and
//! prints what a client needs to reach it. `cargo run -p mm-sdk-sandbox -- ...` builds and
//! runs it; so does `cargo xtask sandbox ...`.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use mm_sdk_sandbox::{Config, Sandbox};

const USAGE: &str = "usage: mm-sdk-sandbox [--port N] [--state FILE]

  --port N        listen on 127.0.0.1:N (a free port when absent or 0)
  --state FILE    keep the state in FILE across restarts (in memory when absent)";

/// What the command line asks for.
#[derive(Debug)]
struct Options {
    port: u16,
    state_file: Option<PathBuf>,
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let options = match parse(&args) {
        Ok(Some(options)) => options,
        Ok(None) => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(message) => {
            eprintln!("{message}\n\n{USAGE}");
            return ExitCode::FAILURE;
        }
    };
    match run(options) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("{message}");
            ExitCode::FAILURE
        }
    }
}

/// The options, or `None` when help was asked for.
fn parse(args: &[String]) -> Result<Option<Options>, String> {
    let mut options = Options {
        port: 0,
        state_file: None,
    };
    let mut args = args.iter().map(String::as_str);
    while let Some(arg) = args.next() {
        match arg {
            "--port" => {
                let value = args.next().ok_or("`--port` needs a port number")?;
                options.port = value
                    .parse()
                    .map_err(|_| format!("`--port {value}`: not a port number"))?;
            }
            "--state" => {
                let value = args.next().ok_or("`--state` needs a file name")?;
                options.state_file = Some(PathBuf::from(value));
            }
            "--help" | "-h" => return Ok(None),
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    Ok(Some(options))
}

fn run(options: Options) -> Result<(), String> {
    let config = Config {
        state_file: options.state_file,
        ..Config::default()
    };
    let runtime = tokio::runtime::Runtime::new().map_err(|e| format!("cannot start tokio: {e}"))?;
    runtime.block_on(async {
        let addr = SocketAddr::from(([127, 0, 0, 1], options.port));
        let sandbox = Sandbox::start_on(addr, config)
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

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn options_are_read_and_mistakes_named() {
        let options = parse(&args(&["--port", "8080", "--state", "s.json"]))
            .expect("valid")
            .expect("not help");
        assert_eq!(options.port, 8080);
        assert_eq!(options.state_file, Some(PathBuf::from("s.json")));
        assert!(parse(&args(&["--help"])).expect("valid").is_none());
        let unknown = parse(&args(&["--prot", "1"])).unwrap_err();
        assert_eq!(unknown, "unknown argument `--prot`");
        let bad = parse(&args(&["--port", "http"])).unwrap_err();
        assert_eq!(bad, "`--port http`: not a port number");
        assert_eq!(
            parse(&args(&["--state"])).unwrap_err(),
            "`--state` needs a file name"
        );
    }
}
