//! A difference between an export and our specs: its kind, its operation, what it is about and
//! what each side has.

use std::fmt;
use std::str::FromStr;

use crate::export::Export;

/// What kind of difference.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    AddedOperation,
    RemovedOperation,
    FieldAdded,
    FieldRemoved,
    FieldRetyped,
    FieldRequired,
    FieldNullable,
    FieldValues,
    HeaderAdded,
    HeaderRemoved,
    HeaderRequired,
    HeaderSpelling,
    HeaderValue,
    Credential,
}

/// What a difference means for users of the SDK, by the compatibility contract of the README
/// ("Compatibility"): the release a regeneration that takes it needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Change {
    /// Nothing users see changes (the SDK fills a header spelled otherwise).
    Patch,
    /// Something is added: a method, an optional request field, an answer's field.
    Minor,
    /// Something users wrote stops compiling or means something else: a method, field or
    /// argument gone or changed, a request field now required, a field's type changed.
    Major,
}

impl Change {
    pub fn name(self) -> &'static str {
        match self {
            Change::Patch => "patch",
            Change::Minor => "minor",
            Change::Major => "major (breaking)",
        }
    }
}

/// What a difference is about, besides its operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Subject {
    Operation,
    Field,
    Header,
}

impl Kind {
    pub(super) const ALL: [Kind; 14] = [
        Kind::AddedOperation,
        Kind::RemovedOperation,
        Kind::FieldAdded,
        Kind::FieldRemoved,
        Kind::FieldRetyped,
        Kind::FieldRequired,
        Kind::FieldNullable,
        Kind::FieldValues,
        Kind::HeaderAdded,
        Kind::HeaderRemoved,
        Kind::HeaderRequired,
        Kind::HeaderSpelling,
        Kind::HeaderValue,
        Kind::Credential,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Kind::AddedOperation => "added-operation",
            Kind::RemovedOperation => "removed-operation",
            Kind::FieldAdded => "field-added",
            Kind::FieldRemoved => "field-removed",
            Kind::FieldRetyped => "field-retyped",
            Kind::FieldRequired => "field-required",
            Kind::FieldNullable => "field-nullable",
            Kind::FieldValues => "field-values",
            Kind::HeaderAdded => "header-added",
            Kind::HeaderRemoved => "header-removed",
            Kind::HeaderRequired => "header-required",
            Kind::HeaderSpelling => "header-spelling",
            Kind::HeaderValue => "header-value",
            Kind::Credential => "credential",
        }
    }

    /// What a difference of this kind means for users, where nothing else tells more (a
    /// field added to a request is breaking when it is required: `new` takes it).
    pub(super) fn change(self) -> Change {
        match self {
            // A value the SDK sends changes (an operation's own `version`): nothing users
            // wrote, but what the call does.
            Kind::AddedOperation | Kind::FieldAdded | Kind::HeaderValue => Change::Minor,
            Kind::HeaderSpelling => Change::Patch,
            // A header is a method's argument unless the SDK fills it, which the export does
            // not say: taken as the argument it may be.
            _ => Change::Major,
        }
    }

    pub(super) fn subject(self) -> Subject {
        match self {
            Kind::AddedOperation | Kind::RemovedOperation | Kind::Credential => Subject::Operation,
            Kind::FieldAdded
            | Kind::FieldRemoved
            | Kind::FieldRetyped
            | Kind::FieldRequired
            | Kind::FieldNullable
            | Kind::FieldValues => Subject::Field,
            Kind::HeaderAdded
            | Kind::HeaderRemoved
            | Kind::HeaderRequired
            | Kind::HeaderSpelling
            | Kind::HeaderValue => Subject::Header,
        }
    }
}

impl FromStr for Kind {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        Kind::ALL
            .into_iter()
            .find(|kind| kind.name() == text)
            .ok_or_else(|| {
                let names: Vec<&str> = Kind::ALL.iter().map(|k| k.name()).collect();
                format!("`kind` is `{text}`, not one of {}", names.join(", "))
            })
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.name())
    }
}

/// An operation as reported: our `operationId` (when our specs have it), method and path.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct OperationName {
    id: Option<String>,
    method: String,
    path: String,
}

impl OperationName {
    pub(super) fn new(id: Option<&str>, method: &str, path: &str) -> Self {
        OperationName {
            id: id.map(str::to_owned),
            method: method.to_owned(),
            path: path.to_owned(),
        }
    }

    /// Whether an acknowledgement's `operation` (an `operationId` or `METHOD path`) names it.
    pub(super) fn is_named(&self, name: &str) -> bool {
        self.id.as_deref() == Some(name)
            || name
                .split_once(' ')
                .is_some_and(|(method, path)| method == self.method && path == self.path)
    }
}

impl fmt::Display for OperationName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.id {
            Some(id) => write!(f, "{id} ({} {})", self.method, self.path),
            None => write!(f, "{} {}", self.method, self.path),
        }
    }
}

/// A difference found in one operation: its kind, the field or header, what each side has.
#[derive(Debug)]
pub(super) struct Found {
    kind: Kind,
    subject: Option<String>,
    detail: String,
    change: Change,
}

impl Found {
    pub(super) fn new(kind: Kind, subject: Option<String>, detail: String) -> Self {
        Found {
            change: kind.change(),
            kind,
            subject,
            detail,
        }
    }

    /// The same difference, meaning `change` for users.
    pub(super) fn meaning(mut self, change: Change) -> Self {
        self.change = change;
        self
    }

    pub(super) fn of(self, operation: &OperationName) -> Difference {
        Difference {
            operation: operation.clone(),
            kind: self.kind,
            subject: self.subject,
            detail: self.detail,
            change: self.change,
            decided_by: None,
        }
    }
}

/// A difference between the export and our specs.
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Difference {
    /// The operation it is in.
    pub operation: OperationName,
    /// What kind of difference it is.
    pub kind: Kind,
    /// The field or header it is about.
    pub subject: Option<String>,
    /// What each side has.
    pub detail: String,
    /// What it means for users of the SDK.
    pub change: Change,
    /// The export the specs follow for the operation, where it is not the one compared (a
    /// newer one defines it too): the difference is that export's decision.
    pub decided_by: Option<&'static str>,
}

impl Difference {
    /// The same difference, decided by the export `owner` where there is one.
    pub(super) fn decided_by(mut self, owner: Option<&'static Export>) -> Self {
        self.decided_by = owner.map(|export| export.file);
        self
    }
}

impl fmt::Display for Difference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.subject {
            Some(subject) => write!(f, "{} {subject}: {}", self.kind, self.detail),
            None => write!(f, "{}: {}", self.kind, self.detail),
        }
    }
}
