//! Where a command's settings come from, highest first: `--sandbox` (the sandbox's address
//! and credentials), the environment's `MM_*` variables, then a profile of the config file.
//! Every value goes through the SDK's `Builder::from_lookup`, so the names, the checks and the
//! errors are the SDK's.
//!
//! A profile's keys are the variables' names without `MM_`, in lower case (`company_id`,
//! `manager_token`). A secret is kept there as the name of a variable holding it
//! (`manager_token = { env = "MY_TOKEN" }`), or as its text only when the user asked for that
//! (`mm profile set --plain-text`); the file is then readable by its owner alone.

use std::ffi::OsString;
use std::io::{IsTerminal, Read};
use std::path::PathBuf;

use mm_sdk_core::{Builder, EnvVariable, Error, ErrorKind, FromConfig, OpenApiKey, Runtime};
use toml_edit::{DocumentMut, Item, Value};

/// A setting: its variable's name, and whether its value is a secret.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Variable {
    pub(crate) name: &'static str,
    pub(crate) secret: bool,
}

/// The customer's login token, which the operations that take one per call need; `mm`'s
/// own variable (the SDK takes it per call, not from its configuration).
pub(crate) const LOGIN_TOKEN: Variable = Variable {
    name: "MM_LOGIN_TOKEN",
    secret: true,
};

/// Every variable a profile may set: the SDK's (`Builder::from_env`'s table), then `mm`'s.
pub(crate) fn variables() -> impl Iterator<Item = Variable> {
    EnvVariable::ALL
        .iter()
        .map(|v| Variable {
            name: v.name,
            secret: v.secret,
        })
        .chain([LOGIN_TOKEN])
}

/// A variable's key in a profile: `MM_COMPANY_ID` → `company_id`.
pub(crate) fn key_of(variable: Variable) -> String {
    variable.name.trim_start_matches("MM_").to_ascii_lowercase()
}

/// The variable a profile key stands for.
pub(crate) fn variable_of(key: &str) -> Option<Variable> {
    variables().find(|v| key_of(*v) == key)
}

/// A problem with the configuration; its message never holds a secret.
pub(crate) fn problem(message: impl Into<String>) -> Error {
    Error::from(ErrorKind::Config(message.into()))
}

/// The config file: `$MM_CONFIG`, else `mm/config.toml` in `$XDG_CONFIG_HOME` or
/// `$HOME/.config`.
pub(crate) fn path() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("MM_CONFIG") {
        return Some(path.into());
    }
    let base = std::env::var_os("XDG_CONFIG_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".config")))?;
    Some(base.join("mm").join("config.toml"))
}

/// The config file's contents, empty when it does not exist.
pub(crate) fn read() -> Result<(PathBuf, DocumentMut), Error> {
    let path = path().ok_or_else(|| problem("no config file: set MM_CONFIG or HOME"))?;
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => return Err(problem(format!("{}: {e}", path.display()))),
    };
    // The parser's message quotes the line it failed on, which may hold a secret: only
    // where is said.
    let document = text.parse::<DocumentMut>().map_err(|e| {
        let place = e
            .span()
            .map(|span| {
                let line = text[..span.start].lines().count().max(1);
                format!(" at line {line}")
            })
            .unwrap_or_default();
        problem(format!("{}: not valid TOML{place}", path.display()))
    })?;
    Ok((path, document))
}

/// The profile to use: `--profile`, else `$MM_PROFILE`, else `default`; and whether it was
/// named (a named profile must exist).
pub(crate) fn profile_name(flag: Option<&str>) -> (String, bool) {
    match flag
        .map(str::to_owned)
        .or_else(|| std::env::var("MM_PROFILE").ok())
    {
        Some(name) => (name, true),
        None => ("default".to_owned(), false),
    }
}

/// The settings of one command.
#[derive(Debug)]
pub(crate) struct Settings {
    /// The profile's name and its table, if the file has it.
    profile: String,
    table: Option<toml_edit::Table>,
    /// `--sandbox`'s address.
    sandbox: Option<url::Url>,
}

impl Settings {
    /// The settings of `profile` (`$MM_PROFILE`, else `default`), with `--sandbox`'s address.
    pub(crate) fn load(profile: Option<&str>, sandbox: Option<&str>) -> Result<Self, Error> {
        let sandbox = sandbox
            .map(|url| {
                url.parse()
                    .map_err(|e| problem(format!("--sandbox {url}: not a URL: {e}")))
            })
            .transpose()?;
        let (profile, named) = profile_name(profile);
        let (path, document) = read()?;
        let table = document
            .get("profiles")
            .and_then(|p| p.get(&profile))
            .and_then(Item::as_table)
            .cloned();
        if table.is_none() && named {
            return Err(problem(format!(
                "profile `{profile}` is not in {}",
                path.display()
            )));
        }
        if let Some(table) = &table {
            for (key, _) in table {
                if variable_of(key).is_none() {
                    return Err(problem(format!(
                        "profile `{profile}` in {}: `{key}` is not a setting (`mm profile keys` lists them)",
                        path.display()
                    )));
                }
            }
        }
        Ok(Self {
            profile,
            table,
            sandbox,
        })
    }

    /// `variable`'s value: the environment's, else the profile's (its text, or the variable
    /// it names).
    pub(crate) fn lookup(&self, variable: &str) -> Option<OsString> {
        if let Some(value) = std::env::var_os(variable) {
            return Some(value);
        }
        let key = key_of(variables().find(|v| v.name == variable)?);
        match self.table.as_ref()?.get(&key)? {
            Item::Value(Value::String(text)) => Some(text.value().into()),
            Item::Value(Value::InlineTable(reference)) => {
                std::env::var_os(reference.get("env")?.as_str()?)
            }
            _ => None,
        }
    }

    /// The runtime every call goes through.
    pub(crate) fn runtime(&self) -> Result<Runtime, Error> {
        self.builder()?.build()
    }

    /// A client, for the streams.
    pub(crate) fn client(&self) -> Result<mm_sdk::MultiMarkets, Error> {
        self.builder()?.build()
    }

    fn builder<T: FromConfig>(&self) -> Result<Builder<T>, Error> {
        let Some(url) = &self.sandbox else {
            return Builder::<T>::from_lookup(|name| self.lookup(name)).map_err(|e| self.named(e));
        };
        // The sandbox gives the address and every credential but an Open API key, which is
        // a customer's: that one comes from the environment or the profile.
        let mut builder =
            mm_sdk::sandbox::builder_at(url.clone(), &mm_sdk::sandbox::Config::default());
        let [id, key] = ["MM_OPEN_API_KEY", "MM_OPEN_API_PRIVATE_KEY"].map(|n| self.lookup(n));
        if let (Some(id), Some(key)) = (id, key) {
            let key =
                OpenApiKey::new(id.to_string_lossy(), &key.to_string_lossy()).map_err(|_| {
                    problem("MM_OPEN_API_PRIVATE_KEY: not a base64 PKCS#8 RSA private key")
                })?;
            builder = builder.open_api_key(key);
        }
        Ok(builder)
    }

    /// The customer's login token: the environment's or the profile's, else asked for on a
    /// terminal (never echoed).
    pub(crate) fn login_token(&self) -> Result<String, Error> {
        if let Some(token) = self.lookup(LOGIN_TOKEN.name) {
            return Ok(token.to_string_lossy().into_owned());
        }
        if std::io::stdin().is_terminal() {
            return rpassword::prompt_password("customer login token (MM_LOGIN_TOKEN): ")
                .map_err(|e| problem(format!("reading the login token: {e}")));
        }
        Err(problem(
            "this operation takes the customer's login token: set MM_LOGIN_TOKEN, or `login_token` in the profile",
        ))
    }

    /// `error`, saying which profile was read when it is a configuration error.
    fn named(&self, error: Error) -> Error {
        match (error.kind(), &self.table) {
            (ErrorKind::Config(message), Some(_)) => {
                problem(format!("{message} (profile `{}`)", self.profile))
            }
            _ => error,
        }
    }
}

/// A secret's text from standard input (a pipe) or a prompt that does not echo (a
/// terminal): never from the command line, where shell history and `ps` would keep it.
pub(crate) fn read_secret(key: &str) -> Result<String, Error> {
    let text = if std::io::stdin().is_terminal() {
        rpassword::prompt_password(format!("{key}: "))
            .map_err(|e| problem(format!("reading {key}: {e}")))?
    } else {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .map_err(|e| problem(format!("reading {key} from standard input: {e}")))?;
        text
    };
    let text = text.trim_end_matches(['\r', '\n']).to_owned();
    if text.is_empty() {
        return Err(problem(format!("{key}: nothing was given")));
    }
    Ok(text)
}
