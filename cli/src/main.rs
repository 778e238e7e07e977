//! `mm`: every operation of the MultiMarkets specs as a command, sent through `mm-sdk`'s one
//! call path. The command tree is data (`commands.json`, generated from the specs), so 400
//! commands cost no compile time.

mod callbacks;
mod config;
mod flows;
mod output;
mod profile;
mod run;
mod stream;
mod table;
mod tree;

use std::process::ExitCode;

fn main() -> ExitCode {
    let table = match table::load() {
        Ok(table) => table,
        Err(message) => {
            eprintln!("error: {message}");
            return ExitCode::from(run::EXIT_OTHER);
        }
    };
    let mut command = tree::build(table);
    let matches = command.clone().get_matches();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::from(run::EXIT_OTHER);
        }
    };
    ExitCode::from(runtime.block_on(run::run(table, &mut command, &matches)))
}
