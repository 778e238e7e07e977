//! `mm flows`: the SDK's hand-written flows (`mm_sdk::extras`) as commands, each several
//! operations or a URL no single operation gives. A password is read from standard input or a
//! prompt, never from the command line.

use clap::{Arg, ArgAction, ArgMatches, Command};
use mm_sdk::enums::TradeType;
use mm_sdk::extras::Device;
use mm_sdk::extras::back_office::{BalanceAdjustment, Registration};
use mm_sdk::extras::web_iframe::LoginName;
use mm_sdk::{Decimal, Error, ErrorKind, MultiMarkets, Password};
use serde_json::{Value, json};

use crate::tree::option;

/// `mm flows`.
pub(crate) fn command() -> Command {
    Command::new("flows")
        .about("The SDK's flows: registration, balance adjustment, the web iframe's URL, third-party sign-in")
        .subcommand_required(true)
        .arg_required_else_help(true)
        .subcommand(
            Command::new("register")
                .about("Register a customer by email with one or more trading accounts (Manager API); the password is read from standard input or a prompt")
                .arg(option("email", "ADDRESS", "The customer's email").required(true))
                .arg(option("area", "CODE", "The area code upstream files the customer under").default_value("+86"))
                .arg(option("country", "ISO", "The customer's country, an ISO code").default_value("CN"))
                .arg(
                    option("group", "ID", "The customer group")
                        .value_parser(clap::value_parser!(i64))
                        .default_value("1"),
                )
                .arg(
                    option("account", "CURRENCY:TRADE_TYPE", "A trading account to open (`USDT:1`); repeat for more")
                        .action(ArgAction::Append)
                        .required(true),
                ),
        )
        .subcommand(
            Command::new("adjust-balance")
                .about("Credit (or, negative, debit) a customer's account (Manager API)")
                .arg(option("customer-no", "NO", "The customer's number").required(true))
                .arg(option("currency", "CODE", "The account's currency").required(true))
                .arg(option("amount", "DECIMAL", "The amount, sent digit for digit").required(true).allow_negative_numbers(true))
                .arg(
                    option("trade-type", "CODE", "The account's trade type code")
                        .value_parser(clap::value_parser!(i64))
                        .default_value("1"),
                )
                .arg(option("remark", "TEXT", "A remark kept with the adjustment"))
                .arg(
                    Arg::new("not-withdrawable")
                        .long("not-withdrawable")
                        .action(ArgAction::SetTrue)
                        .help("The amount may be traded with but not withdrawn"),
                ),
        )
        .subcommand(
            Command::new("iframe-url")
                .about("Sign a customer in by email and print the trading UI's URL for an iframe; the password is read from standard input or a prompt. The URL carries the session: give it to that customer's browser only")
                .arg(option("email", "ADDRESS", "The customer's email").required(true)),
        )
        .subcommand(
            Command::new("auth2-url")
                .about("The trading UI page where a user authorizes your app (third-party sign-in, step 1), for the configured app id")
                .arg(option("third-app-type", "TYPE", "Your application's type, as the white label registered it").required(true))
                .arg(option("redirect", "URL", "Where the browser is sent back with the code").required(true)),
        )
}

fn input(message: String) -> Error {
    Error::from(ErrorKind::InvalidInput(message))
}

fn password() -> Result<Password, Error> {
    crate::config::read_secret("password").map(|text| Password::from_plain(&text))
}

/// Runs `mm flows <flow>` with `mm`; what to print.
pub(crate) async fn run(matches: &ArgMatches, mm: &MultiMarkets) -> Result<Value, Error> {
    let Some((flow, matches)) = matches.subcommand() else {
        return Err(input("mm flows <flow>".into()));
    };
    let get = |name: &str| matches.get_one::<String>(name).cloned().unwrap_or_default();
    match flow {
        "register" => {
            let mut registration = Registration::email(
                get("email"),
                get("area"),
                password()?,
                get("country"),
                matches.get_one::<i64>("group").copied().unwrap_or(1),
            );
            for account in matches.get_many::<String>("account").into_iter().flatten() {
                let Some((currency, trade_type)) = account.split_once(':') else {
                    return Err(input(format!(
                        "--account {account}: not CURRENCY:TRADE_TYPE"
                    )));
                };
                registration = registration.account(currency, trade_type);
            }
            let customer = mm.back_office().register_customer(registration).await?;
            Ok(json!({ "customerNo": customer.to_string() }))
        }
        "adjust-balance" => {
            let amount: Decimal = get("amount")
                .parse()
                .map_err(|_| input(format!("--amount {}: not a decimal", get("amount"))))?;
            let trade_type = matches.get_one::<i64>("trade-type").copied().unwrap_or(1);
            let mut adjustment =
                BalanceAdjustment::new(get("customer-no"), get("currency"), amount)
                    .trade_type(TradeType::from(trade_type))
                    .withdrawable(!matches.get_flag("not-withdrawable"));
            if let Some(remark) = matches.get_one::<String>("remark") {
                adjustment = adjustment.remark(remark);
            }
            mm.back_office().adjust_balance(&adjustment).await?;
            Ok(json!({ "adjusted": true }))
        }
        "iframe-url" => {
            let session = mm
                .web_iframe()
                .login(&LoginName::Email(get("email")), &password()?, Device::PcWeb)
                .await?;
            Ok(json!({ "url": mm.web_iframe().url(&session).as_str() }))
        }
        _ => {
            let redirect = get("redirect")
                .parse()
                .map_err(|e| input(format!("--redirect {}: not a URL: {e}", get("redirect"))))?;
            let url = mm
                .auth2_login()
                .authorization_url(&get("third-app-type"), &redirect)?;
            Ok(json!({ "url": url.as_str() }))
        }
    }
}
