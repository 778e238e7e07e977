//! The command tree, built from the table at run time: `mm <api> <group> <command>`, one flag
//! per scalar field of the request and per argument of the call.

use clap::{Arg, ArgAction, Command};

use crate::table::{Command as Operation, Field, Table};

/// `mm` and every subcommand.
pub(crate) fn build(table: &Table) -> Command {
    let mut root = Command::new("mm")
        .about("The MultiMarkets platform from the command line: every operation of the Client, Manager and Auth2 APIs is a command.")
        .version(env!("CARGO_PKG_VERSION"))
        .subcommand_required(true)
        .arg_required_else_help(true)
        .arg(
            Arg::new("output")
                .long("output")
                .short('o')
                .global(true)
                .value_parser(["json", "table"])
                .help("How to print the answer: `json` (the default when the output is not a terminal) or `table`"),
        )
        .arg(
            Arg::new("profile")
                .long("profile")
                .global(true)
                .value_name("NAME")
                .help("The config file's profile to use (default: $MM_PROFILE, else `default`); `mm profile` edits it"),
        )
        .arg(
            Arg::new("sandbox")
                .long("sandbox")
                .global(true)
                .value_name("URL")
                .help("Send to a running `mm sandbox` at URL (with its default credentials) instead of the configured environment"),
        );
    for api in ["client", "manager", "auth2"] {
        let mut api_command = Command::new(api)
            .about(match api {
                "client" => "The Client API: what a customer does",
                "manager" => "The Manager API: what the white label's back office does",
                _ => "The Auth2 API: third-party sign-in",
            })
            .subcommand_required(true)
            .arg_required_else_help(true);
        let mut groups: Vec<&str> = table
            .commands
            .iter()
            .filter(|c| c.api == api)
            .map(|c| c.group.as_str())
            .collect();
        groups.sort_unstable();
        groups.dedup();
        // A group's operations are made when clap reaches the group (`defer`): a call builds
        // the flags of its own group only, not of 400 operations.
        let operations: fn(Command) -> Command = match api {
            "client" => |group| operations("client", group),
            "manager" => |group| operations("manager", group),
            _ => |group| operations("auth2", group),
        };
        for group in groups {
            let group_command = Command::new(group.to_owned())
                .about(format!("The {api} API's `{group}` operations"))
                .subcommand_required(true)
                .arg_required_else_help(true)
                .defer(operations);
            api_command = api_command.subcommand(group_command);
        }
        root = root.subcommand(api_command);
    }
    root.subcommand(
        Command::new("api")
            .about("Call a path the specs do not describe yet, through the SDK's raw call")
            .arg(
                Arg::new("api")
                    .required(true)
                    .value_parser(["client", "manager", "auth2"]),
            )
            .arg(
                Arg::new("path")
                    .required(true)
                    .help("The path from the host root: /api/global/..."),
            )
            .arg(body_arg()),
    )
    .subcommand(
        Command::new("sandbox")
            .about("Run the local sandbox until interrupted; point commands at it with --sandbox")
            .arg(
                Arg::new("port")
                    .long("port")
                    .value_parser(clap::value_parser!(u16))
                    .help("Listen on 127.0.0.1:PORT (a free port when absent)"),
            )
            .arg(
                Arg::new("state")
                    .long("state")
                    .value_name("FILE")
                    .help("Keep the sandbox's state in FILE across restarts"),
            )
            .arg(
                Arg::new("log")
                    .long("log")
                    .value_name("FILE")
                    .help("Append every request and its answer to FILE, a line of JSON each"),
            ),
    )
    .subcommand(profile())
    .subcommand(crate::flows::command())
    .subcommand(crate::stream::command())
    .subcommand(crate::callbacks::command())
    .subcommand(
        Command::new("completions")
            .about("Print the shell completions of every command")
            .arg(
                Arg::new("shell")
                    .required(true)
                    .value_parser(clap::value_parser!(clap_complete::Shell)),
            ),
    )
}

/// `mm profile`: the config file's profiles.
fn profile() -> Command {
    Command::new("profile")
        .about("Show or set the settings of a profile of the config file ($MM_CONFIG, else ~/.config/mm/config.toml)")
        .subcommand_required(true)
        .arg_required_else_help(true)
        .subcommand(Command::new("keys").about("List the settings a profile may hold, with their environment variables"))
        .subcommand(Command::new("show").about("Print the profile; a secret is shown only as where it comes from"))
        .subcommand(
            Command::new("set")
                .about("Set one setting; a secret is read from standard input or a prompt, never from the command line")
                .arg(Arg::new("key").required(true).help("The setting: `mm profile keys` lists them"))
                .arg(Arg::new("value").help("Its value (not for a secret)"))
                .arg(
                    Arg::new("from-env")
                        .long("from-env")
                        .value_name("VAR")
                        .help("Keep only the name of the variable that holds the value"),
                )
                .arg(
                    Arg::new("plain-text")
                        .long("plain-text")
                        .action(ArgAction::SetTrue)
                        .help("Write a secret's text to the file (readable by you alone)"),
                ),
        )
}

/// The commands of `api`'s group `group`.
fn operations(api: &str, group: Command) -> Command {
    let name = group.get_name().to_owned();
    // `main` has read the table before building the tree.
    let Ok(table) = crate::table::load() else {
        return group;
    };
    table
        .commands
        .iter()
        .filter(|c| c.api == api && c.group == name)
        .fold(group, |group, op| group.subcommand(operation(op)))
}

/// An option taking one value: `--name VALUE`, with its help.
pub(crate) fn option(name: &'static str, value: &'static str, help: &'static str) -> Arg {
    Arg::new(name)
        .long(name)
        .value_name(value)
        .help(help)
        .action(ArgAction::Set)
}

fn body_arg() -> Arg {
    Arg::new("body").long("body").value_name("FILE").help(
        "The whole request as JSON, from FILE or `-` for standard input; flags set fields over it",
    )
}

/// One operation's command: its summary, description and documented example as help.
fn operation(op: &Operation) -> Command {
    let mut long = String::new();
    if let Some(description) = &op.description {
        long.push_str(description);
    }
    long.push_str(&format!("\n\n{} {}", op.method, op.path));
    if let Some(example) = &op.example {
        long.push_str("\n\nDocumented example (--body):\n");
        long.push_str(&serde_json::to_string_pretty(example).unwrap_or_default());
    }
    let mut command = Command::new(op.command.clone())
        .about(op.summary.clone().unwrap_or_default())
        .long_about(long)
        .arg(body_arg());
    if op.paged {
        command =
            command.arg(Arg::new("all").long("all").action(ArgAction::SetTrue).help(
                "Every row of every page, from the request's page on, one line of JSON each",
            ));
    }
    for argument in &op.arguments {
        command = command.arg(
            Arg::new(format!("arg:{}", argument.index))
                .long(argument.flag.clone())
                .allow_negative_numbers(true)
                .help(argument.doc.clone().unwrap_or_default())
                .required(argument.required),
        );
    }
    for field in &op.fields {
        if let Some(flag) = &field.flag {
            command = command.arg(field_arg(field, flag));
        }
    }
    command
}

fn field_arg(field: &Field, flag: &str) -> Arg {
    let mut help = field.doc.clone().unwrap_or_default();
    let kind = match (field.kind.as_str(), field.format.as_deref()) {
        (_, Some("decimal")) => "decimal".to_owned(),
        (kind, _) => kind.to_owned(),
    };
    help.push_str(&format!(" [{kind}"));
    if let Some(concept) = &field.concept {
        let codes: Vec<String> = field
            .codes
            .iter()
            .map(|c| format!("{} {}", c.code, c.name))
            .collect();
        help.push_str(&format!(", {concept}: {}", codes.join(", ")));
    }
    if field.required {
        help.push_str(", required unless in --body");
    }
    help.push(']');
    let mut arg = Arg::new(format!("field:{}", field.name))
        .long(flag.to_owned())
        .value_name(kind.to_uppercase())
        .help(help)
        // `--parent-code -1`: a negative number is a value, not a flag.
        .allow_negative_numbers(true)
        .action(ArgAction::Set);
    if !field.values.is_empty() {
        let values: Vec<String> = field
            .values
            .iter()
            .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_owned))
            .collect();
        arg = arg.value_parser(clap::builder::PossibleValuesParser::new(values));
    }
    arg
}
