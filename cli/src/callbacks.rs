//! `mm callbacks trigger <kind> --to URL`: the platform's side of a webhook or a message
//! callback, sent to the user's receiver as the sandbox's platform model sends it (upstream's
//! headers, an adjustment's deadline and cancels, a message's signature), and the receiver's
//! answers printed.

use clap::{Arg, ArgMatches, Command};
use mm_sdk::Decimal;
use mm_sdk::sandbox::platform::{Adjustment, DeliveryError, Platform, Reply};
use mm_sdk_core::{Error, ErrorKind};
use serde_json::{Value, json};

use crate::tree::option;

/// The kinds `trigger` sends, with what each is.
const KINDS: [(&str, &str); 5] = [
    ("balance", "a balance query (get-user-amount)"),
    (
        "adjustment",
        "an adjustment, cancelled as upstream does when it is not applied in time",
    ),
    ("cancel", "the cancel of an adjustment"),
    ("email", "an email message callback, signed"),
    ("sms", "a text message callback, signed"),
];

/// `mm callbacks`.
pub(crate) fn command() -> Command {
    let kinds = KINDS
        .iter()
        .map(|(kind, about)| clap::builder::PossibleValue::new(*kind).help(*about));
    Command::new("callbacks")
        .about("Play the platform: send webhooks and message callbacks to your receiver")
        .subcommand_required(true)
        .arg_required_else_help(true)
        .subcommand(
            Command::new("trigger")
                .about("Send one callback to the receiver at --to and print its answers")
                .arg(
                    Arg::new("kind")
                        .required(true)
                        .value_parser(clap::builder::PossibleValuesParser::new(kinds)),
                )
                .arg(option("to", "URL", "The receiver's base URL; the callback's path is appended").required(true))
                .arg(option("company-id", "ID", "The company the platform sends as (header `companyId`)").default_value("421"))
                .arg(option("user", "NAME", "The user: a platform user id, or the address or phone of a message").default_value("86000001"))
                .arg(option("currency", "CODE", "The account's currency").default_value("USD"))
                .arg(option("amount", "DECIMAL", "An adjustment's amount").default_value("1"))
                .arg(
                    option("operation-type", "TYPE", "An adjustment's operation")
                        .value_parser(["OPEN_POSITION", "NORMAL_CLOSE", "ABNORMAL_OVERTRADING"])
                        .default_value("OPEN_POSITION"),
                )
                .arg(option("request-no", "KEY", "An adjustment's idempotency key (requestUniqueNo); fresh when absent: give the same one to deliver it again"))
                .arg(option("title", "TEXT", "An email's title").default_value("Your code"))
                .arg(option("content", "TEXT", "A message's text").default_value("Your code is 847999."))
                .arg(option("message-key", "BASE64", "The white label's RSA public key (base64 DER) a message is signed with"))
                .arg(option("deadline-ms", "MS", "How long to wait for an answer (upstream: 3000)").default_value("3000")),
        )
}

fn usage(message: String) -> Error {
    Error::from(ErrorKind::InvalidInput(message))
}

/// Runs `mm callbacks trigger`; the receiver's answers as JSON.
pub(crate) async fn run(matches: &ArgMatches) -> Result<Value, Error> {
    let Some(("trigger", matches)) = matches.subcommand() else {
        return Err(usage("mm callbacks trigger <kind> --to URL".into()));
    };
    let get = |name: &str| matches.get_one::<String>(name).cloned().unwrap_or_default();
    let to: url::Url = get("to")
        .parse()
        .map_err(|e| usage(format!("--to {}: not a URL: {e}", get("to"))))?;
    let company: i64 = get("company-id")
        .parse()
        .map_err(|_| usage(format!("--company-id {}: not a number", get("company-id"))))?;
    let deadline: u64 = get("deadline-ms").parse().map_err(|_| {
        usage(format!(
            "--deadline-ms {}: not a number",
            get("deadline-ms")
        ))
    })?;
    let mut platform =
        Platform::new(to, company).deadline(std::time::Duration::from_millis(deadline));
    if let Some(key) = matches.get_one::<String>("message-key") {
        platform = platform
            .message_key(key)
            .map_err(|e| usage(format!("--message-key: {e}")))?;
    }
    let user = get("user");
    let adjustment = || -> Result<Adjustment, Error> {
        let amount: Decimal = get("amount")
            .parse()
            .map_err(|_| usage(format!("--amount {}: not a decimal", get("amount"))))?;
        let key = matches
            .get_one::<String>("request-no")
            .cloned()
            .unwrap_or_else(|| format!("mm-{}", uuid::Uuid::new_v4().simple()));
        let mut adjustment = Adjustment::new(user.as_str(), get("currency"), amount, key);
        adjustment.operation_type = get("operation-type");
        Ok(adjustment)
    };
    Ok(match get("kind").as_str() {
        "balance" => json!({ "answer": reply(platform.balance(&user, &get("currency")).await) }),
        "adjustment" => {
            let adjustment = adjustment()?;
            let settlement = platform.adjust(&adjustment).await;
            json!({
                "requestUniqueNo": adjustment.request_unique_no,
                "applied": settlement.applied(),
                "answer": reply(settlement.adjustment),
                "cancels": settlement.cancels.into_iter().map(reply).collect::<Vec<_>>(),
            })
        }
        "cancel" => {
            let adjustment = adjustment()?;
            let cancels = platform.cancel(&adjustment, "cancelled with mm").await;
            json!({ "cancels": cancels.into_iter().map(reply).collect::<Vec<_>>() })
        }
        "email" | "sms" if matches.get_one::<String>("message-key").is_none() => {
            return Err(usage(
                "a message is signed: give the white label's public key with --message-key".into(),
            ));
        }
        "email" => json!({
            "answer": reply(platform.email(&user, &get("title"), &get("content")).await),
        }),
        _ => json!({ "answer": reply(platform.sms(&user, &get("content")).await) }),
    })
}

/// One exchange: the receiver's status and answer, or why there was none.
fn reply(reply: Result<Reply, DeliveryError>) -> Value {
    match reply {
        Ok(reply) => json!({ "status": reply.status, "body": reply.body }),
        Err(error) => json!({ "error": error.to_string() }),
    }
}
