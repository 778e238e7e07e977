//! `mm profile`: what the config file's profiles hold, and setting it without a secret
//! reaching the command line, the output, or the file in plain text unasked.

use clap::ArgMatches;
use mm_sdk_core::Error;
use toml_edit::{InlineTable, Item, Table, value};

use crate::config::{self, problem};

/// Runs `mm profile <set|show|keys>` for `profile`; returns what to print.
pub(crate) fn run(matches: &ArgMatches, profile: &str) -> Result<String, Error> {
    match matches.subcommand() {
        Some(("set", sub)) => set(sub, profile),
        Some(("show", _)) => show(profile),
        _ => Ok(keys()),
    }
}

/// Every key, its variable, and whether it is a secret.
fn keys() -> String {
    config::variables()
        .map(|v| {
            let kind = if v.secret { "  (secret)" } else { "" };
            format!("{:<24}{}{kind}\n", config::key_of(v), v.name)
        })
        .collect()
}

/// `mm profile set KEY [VALUE] [--from-env VAR] [--plain-text]`.
fn set(matches: &ArgMatches, profile: &str) -> Result<String, Error> {
    let key = matches.get_one::<String>("key").map_or("", String::as_str);
    let variable = config::variable_of(key).ok_or_else(|| {
        problem(format!(
            "`{key}` is not a setting (`mm profile keys` lists them)"
        ))
    })?;
    let given = matches.get_one::<String>("value");
    let from_env = matches.get_one::<String>("from-env");
    let plain = matches.get_flag("plain-text");
    let item = match (variable.secret, given, from_env) {
        (_, Some(_), Some(_)) => return Err(problem("give a value or --from-env, not both")),
        (_, None, Some(var)) => {
            let mut reference = InlineTable::new();
            reference.insert("env", var.as_str().into());
            Item::Value(reference.into())
        }
        (true, Some(_), None) => {
            return Err(problem(format!(
                "{key} is a secret: it is never taken from the command line, where shell history keeps it; pipe it on standard input or type it at the prompt"
            )));
        }
        (true, None, None) if !plain => {
            return Err(problem(format!(
                "{key} is a secret: keep it in a variable and set `--from-env VAR`, or write its text to the file with --plain-text"
            )));
        }
        (true, None, None) => value(config::read_secret(key)?),
        (false, Some(text), None) => value(text.as_str()),
        (false, None, None) => return Err(problem(format!("{key}: give its value"))),
    };
    let (path, mut document) = config::read()?;
    let profiles = document
        .entry("profiles")
        .or_insert_with(|| {
            let mut table = Table::new();
            table.set_implicit(true);
            Item::Table(table)
        })
        .as_table_mut()
        .ok_or_else(|| problem(format!("{}: `profiles` is not a table", path.display())))?;
    let table = profiles
        .entry(profile)
        .or_insert_with(|| Item::Table(Table::new()))
        .as_table_mut()
        .ok_or_else(|| {
            problem(format!(
                "{}: profile `{profile}` is not a table",
                path.display()
            ))
        })?;
    table.insert(key, item);
    write(&path, &document.to_string())?;
    Ok(format!(
        "{key} set in profile `{profile}` of {}\n",
        path.display()
    ))
}

/// The file, written whole; readable by its owner alone, since it may hold a secret.
fn write(path: &std::path::Path, text: &str) -> Result<(), Error> {
    let failed = |e: std::io::Error| problem(format!("{}: {e}", path.display()));
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(failed)?;
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    use std::io::Write;
    options
        .open(path)
        .and_then(|mut file| file.write_all(text.as_bytes()))
        .map_err(failed)
}

/// The profile, a secret shown only as where it comes from.
fn show(profile: &str) -> Result<String, Error> {
    let (path, document) = config::read()?;
    let Some(table) = document
        .get("profiles")
        .and_then(|p| p.get(profile))
        .and_then(Item::as_table)
    else {
        return Ok(format!(
            "profile `{profile}` is not in {}\n",
            path.display()
        ));
    };
    let mut out = format!("# profile `{profile}` of {}\n", path.display());
    for (key, item) in table {
        let secret = config::variable_of(key).is_none_or(|v| v.secret);
        let shown = match item.as_value() {
            Some(toml_edit::Value::InlineTable(reference)) => {
                reference.get("env").and_then(|v| v.as_str()).map_or_else(
                    || "(not understood)".to_owned(),
                    |var| format!("from ${var}"),
                )
            }
            Some(_) if secret => "(secret, kept in the file)".to_owned(),
            Some(toml_edit::Value::String(text)) => text.value().clone(),
            Some(other) => other.to_string().trim().to_owned(),
            None => "(not understood)".to_owned(),
        };
        out.push_str(&format!("{key} = {shown}\n"));
    }
    Ok(out)
}
