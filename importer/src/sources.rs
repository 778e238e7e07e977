//! Where the exports come from: `openapi/import/sources.yaml` pins each export the import reads
//! to a file of one of upstream's repositories at one revision, with the time of that revision's
//! commit (which decides which of two exports defining one operation is the newer). The file:
//!
//! ```yaml
//! repositories:
//!   - repository: CTradeExchange/multimarkets-api-swagger # owner/name on GitHub
//!     env: MM_SWAGGER_REPO    # the variable naming a git directory of it, for --refresh
//! exports:
//!   - file: MultiMarkets-ClientAPI.openapi.en.yaml       # one of the importer's exports
//!     api: client             # as the importer reads it: checked
//!     language: en            # as the importer reads it: checked
//!     repository: CTradeExchange/multimarkets-api-swagger
//!     path: MultiMarkets-ClientAPI.openapi.en.yaml       # in the repository
//!     revision: 3bd7552194ae74e2df70c53054d8869e066faa16 # a full commit id
//!     committed: 2026-08-18T04:46:08Z                    # that commit's time, in UTC
//! ```
//!
//! Every export of [`EXPORTS`] is pinned exactly once.

use serde_yaml_ng::{Mapping, Value};

use crate::Error;
use crate::export::{self, EXPORTS, Export};

/// Where an export was read: a file of one of upstream's repositories at one revision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pin {
    /// The repository, `owner/name` on GitHub.
    pub repository: String,
    /// The file's path in it.
    pub path: String,
    /// The commit, 40 hexadecimal digits.
    pub revision: String,
    /// The commit's time in UTC, `YYYY-MM-DDTHH:MM:SSZ` (so that two compare as text).
    pub committed: String,
}

/// One of upstream's repositories.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Repository {
    /// `owner/name` on GitHub.
    pub name: String,
    /// The environment variable that names a git directory of it (bare or not).
    pub env: String,
}

/// An export and where it is read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    /// The importer's export.
    pub export: &'static Export,
    /// Where it is read.
    pub pin: Pin,
}

/// The sources file, read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sources {
    /// The repositories the exports are read from.
    pub repositories: Vec<Repository>,
    /// One per export of [`EXPORTS`], in the file's order.
    pub exports: Vec<Source>,
}

impl Sources {
    /// The sources file `file`, read as `value` (see the module's documentation).
    pub fn parse(file: &str, value: &Value) -> Result<Sources, Error> {
        let at = |what: String| Error::new(format!("{file}: {what}"));
        let repositories = list(value, "repositories")
            .map_err(at)?
            .iter()
            .enumerate()
            .map(|(index, entry)| {
                repository(entry).map_err(|e| at(format!("repositories, entry {}: {e}", index + 1)))
            })
            .collect::<Result<Vec<_>, Error>>()?;
        let mut exports: Vec<Source> = Vec::new();
        for (index, entry) in list(value, "exports").map_err(at)?.iter().enumerate() {
            let source = source(entry, &repositories)
                .map_err(|e| at(format!("exports, entry {}: {e}", index + 1)))?;
            if exports.iter().any(|s| s.export == source.export) {
                return Err(at(format!(
                    "exports, entry {}: `{}` is pinned twice",
                    index + 1,
                    source.export.file
                )));
            }
            exports.push(source);
        }
        if let Some(missing) = EXPORTS
            .iter()
            .find(|e| !exports.iter().any(|s| s.export == *e))
        {
            return Err(at(format!(
                "`{}` is not pinned: every export the import reads is",
                missing.file
            )));
        }
        Ok(Sources {
            repositories,
            exports,
        })
    }

    /// The source of `export`.
    pub fn of(&self, export: &Export) -> Option<&Source> {
        self.exports.iter().find(|s| s.export == export)
    }

    /// The repository named `name`.
    pub fn repository(&self, name: &str) -> Option<&Repository> {
        self.repositories.iter().find(|r| r.name == name)
    }
}

fn list<'v>(value: &'v Value, key: &str) -> Result<&'v Vec<Value>, String> {
    value[key]
        .as_sequence()
        .filter(|l| !l.is_empty())
        .ok_or_else(|| format!("`{key}` is not a non-empty list"))
}

fn repository(entry: &Value) -> Result<Repository, String> {
    let fields = mapping(entry, &["repository", "env"])?;
    let name = text(fields, "repository")?;
    if name.split('/').count() != 2 || name.split('/').any(str::is_empty) {
        return Err(format!("`repository` is `{name}`, not `owner/name`"));
    }
    let env = text(fields, "env")?;
    if !env
        .chars()
        .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
    {
        return Err(format!(
            "`env` is `{env}`, not an environment variable's name"
        ));
    }
    Ok(Repository { name, env })
}

fn source(entry: &Value, repositories: &[Repository]) -> Result<Source, String> {
    let fields = mapping(
        entry,
        &[
            "file",
            "api",
            "language",
            "repository",
            "path",
            "revision",
            "committed",
        ],
    )?;
    let file = text(fields, "file")?;
    let export = export::find(&file).ok_or_else(|| {
        format!(
            "`file` is `{file}`, not one of the importer's exports ({})",
            export::files()
        )
    })?;
    for (key, expected) in [("api", export.api), ("language", export.language)] {
        let given = text(fields, key)?;
        if given != expected {
            return Err(format!(
                "`{key}` is `{given}`, but the importer reads `{file}` as `{expected}`"
            ));
        }
    }
    let repository = text(fields, "repository")?;
    if !repositories.iter().any(|r| r.name == repository) {
        return Err(format!(
            "`repository` is `{repository}`, which `repositories` does not list"
        ));
    }
    let revision = text(fields, "revision")?;
    if revision.len() != 40
        || !revision
            .chars()
            .all(|c| c.is_ascii_digit() || ('a'..='f').contains(&c))
    {
        return Err(format!(
            "`revision` is `{revision}`, not a full commit id (40 lower-case hexadecimal digits)"
        ));
    }
    let committed = text(fields, "committed")?;
    if !is_utc_time(&committed) {
        return Err(format!(
            "`committed` is `{committed}`, not a time in UTC written `YYYY-MM-DDTHH:MM:SSZ`"
        ));
    }
    Ok(Source {
        export,
        pin: Pin {
            repository,
            path: text(fields, "path")?,
            revision,
            committed,
        },
    })
}

/// The mapping `entry`, with no key but `keys`.
fn mapping<'v>(entry: &'v Value, keys: &[&str]) -> Result<&'v Mapping, String> {
    let fields = entry.as_mapping().ok_or("not a mapping")?;
    if let Some(key) = fields
        .keys()
        .find(|k| !k.as_str().is_some_and(|k| keys.contains(&k)))
    {
        return Err(format!("unknown key {key:?} (known: {})", keys.join(", ")));
    }
    Ok(fields)
}

fn text(fields: &Mapping, key: &str) -> Result<String, String> {
    match fields.get(key).and_then(Value::as_str) {
        Some(text) if !text.trim().is_empty() => Ok(text.to_owned()),
        Some(_) | None => Err(format!("`{key}` is not a non-empty string")),
    }
}

/// Whether `text` is written `YYYY-MM-DDTHH:MM:SSZ`.
fn is_utc_time(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.len() == 20
        && bytes.iter().enumerate().all(|(i, b)| match i {
            4 | 7 => *b == b'-',
            10 => *b == b'T',
            13 | 16 => *b == b':',
            19 => *b == b'Z',
            _ => b.is_ascii_digit(),
        })
}
