use std::borrow::Cow;
use std::path::PathBuf;

/// Why a spec could not be loaded or turned into Rust.
///
/// Every variant names the spec file and, where there is one, the place in it: a YAML
/// line/column for syntax errors and a JSON pointer (RFC 6901) for structural ones.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The spec file could not be read.
    #[error("{}: cannot read: {source}", path.display())]
    Read {
        /// The spec file.
        path: PathBuf,
        /// What the OS said.
        source: std::io::Error,
    },

    /// The file is not YAML, or not an OpenAPI 3.0 document of the expected shape.
    #[error("{}{}: {message}{}", path.display(), location.map(|(l, c)| format!(":{l}:{c}")).unwrap_or_default(), at(pointer))]
    Syntax {
        /// The spec file.
        path: PathBuf,
        /// 1-based line and column, when the parser knows them.
        location: Option<(usize, usize)>,
        /// JSON pointer to the value that failed, when known.
        pointer: Option<String>,
        /// What the parser said.
        message: String,
    },

    /// The document parsed but breaks a rule the generator relies on.
    #[error("{}: at {pointer}: {problem}", path.display())]
    Invalid {
        /// The spec file.
        path: PathBuf,
        /// JSON pointer to the offending value.
        pointer: String,
        /// What is wrong there.
        problem: Problem,
    },

    /// progenitor rejected the document.
    #[error("{}: progenitor cannot generate a client: {message}", path.display())]
    Generate {
        /// The spec file.
        path: PathBuf,
        /// What progenitor said.
        message: String,
    },
}

/// A rule of [`crate::load`] that a spec broke.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Problem {
    /// Only OpenAPI 3.0.x is supported by progenitor.
    #[error("unsupported OpenAPI version `{0}` (expected 3.0.x)")]
    Version(String),
    /// A `$ref` that points nowhere in this document.
    #[error("unknown $ref `{0}`")]
    UnknownRef(String),
    /// A `$ref` to another document; specs must be self-contained.
    #[error("external $ref `{0}` is not supported; use `#/components/...`")]
    ExternalRef(String),
    /// An operation without an `operationId`: the generated method name comes from it.
    #[error("missing operationId")]
    MissingOperationId,
    /// An `operationId` that is not snake_case.
    #[error("operationId `{0}` is not snake_case ([a-z][a-z0-9_]*)")]
    OperationIdCase(String),
    /// Two operations with one `operationId`.
    #[error("duplicate operationId `{id}` (first used at {first})")]
    DuplicateOperationId {
        /// The repeated id.
        id: String,
        /// Pointer to the operation that used it first.
        first: String,
    },
    /// An envelope's `data` schema that cannot be mapped to a Rust type.
    #[error(
        "envelope `data` must admit null: `anyOf: [{{$ref: <PascalCase schema>}}, \
         {{type: string, nullable: true, enum: [null]}}]`, a nullable string, integer, number, \
         boolean or array of those, or an untyped schema"
    )]
    EnvelopeData,
    /// An example's `externalValue` names a file that does not exist.
    #[error("example file `{0}` does not exist")]
    MissingExample(String),
    /// An `x-mm-*` extension that is missing or has a value it cannot have.
    #[error("`{name}` must be {expected}")]
    Extension {
        /// The extension.
        name: &'static str,
        /// What it must be.
        expected: Cow<'static, str>,
    },
    /// An operation without exactly one tag: its tag names the trait it is a method of.
    #[error("an operation needs exactly one tag")]
    OneTag,
    /// An operation's tag that the spec's `tags` do not declare.
    #[error("tag `{0}` is not declared in the spec's `tags`")]
    UndeclaredTag(String),
    /// A parameter that is neither a header nor in the query (a path or cookie parameter):
    /// the APIs take nothing there.
    #[error("only header and query parameters are supported; put the value in the request")]
    NotAHeader,
    /// A header name that is not letters, digits, `-` and `_`.
    #[error("header name `{0}` has a character a header name cannot have")]
    HeaderName(String),
    /// An optional header with a single allowed value: say whether to send it.
    #[error("a header with a single allowed value must be required")]
    OptionalFixedHeader,
    /// Headers that do not fit the operation's credential.
    #[error("{0}")]
    CredentialHeaders(&'static str),
    /// A request body that is not a JSON `$ref` to a component schema.
    #[error(
        "the request body must be `application/json` with a `$ref` to `#/components/schemas/...`"
    )]
    Body,
    /// `openapi/README.md` lacks the markers of its generated table.
    #[error("{0}")]
    Streams(String),
    /// A callback of `openapi/callbacks/callbacks.yaml` the receiver could not take.
    #[error("{0}")]
    Callback(String),

    /// A file part of which the codegen writes lacks the markers of that part.
    #[error("the marker `{0}` of the generated part, or its end, is missing")]
    Markers(String),
    /// An API's groups declared in two of its specs.
    #[error("`x-mm-groups` is declared here and in {0}: each API declares its groups once")]
    GroupsDeclaredTwice(String),
    /// An API none of whose specs declares its groups.
    #[error("no spec of the `{0}` API declares its groups (`x-mm-groups`)")]
    NoGroups(String),
    /// An operation of a group its API does not declare.
    #[error("group `{group}` is not declared in `x-mm-groups` of {declared_in}")]
    UndeclaredGroup {
        /// The group named.
        group: String,
        /// The spec that declares the API's groups.
        declared_in: String,
    },
    /// Two types of one API with one name: they would clash in a group module.
    #[error("type `{name}` is also made by {first}: type names must differ within an API")]
    TypeNameClash {
        /// The name.
        name: String,
        /// The spec that made it first.
        first: String,
    },
    /// A group declared with no operation: its module and feature would be empty.
    #[error("group `{0}` has no operation: give it one, or remove it from `x-mm-groups`")]
    EmptyGroup(String),
    /// A group whose handle would have the name of one of its types.
    #[error("the group's handle `{0}` has the name of a type of the group")]
    HandleNameClash(String),
    /// A spec file name that cannot name an area crate.
    #[error("`{0}` cannot name an area: use lower-case letters, digits and `-`, and not `all`")]
    AreaName(String),
    /// A 200 response that is not a JSON `$ref` to an envelope schema.
    #[error("the 200 response must be `application/json` with a `$ref` to an envelope schema")]
    Response,
    /// A body or an answer whose schema is written in place: the types are made from the
    /// components only, so it would get none.
    #[error(
        "a body or an answer must be a `$ref` to `#/components/schemas/...`: types are made \
         from the components only"
    )]
    SchemaInPlace,
    /// `x-mm-paging` naming a request field or a place in the answer that is not there, or
    /// not of the type a pager reads it as.
    #[error("`x-mm-paging` `{key}`: {what}")]
    PagingField {
        /// The extension's key at fault (`page`, `items`, ...).
        key: &'static str,
        /// What is wrong with what it names.
        what: String,
    },
    /// An entry of the error-code spec that cannot be used.
    #[error("error code `{code}`: {what}")]
    ErrorCode {
        /// The entry's key.
        code: String,
        /// What is wrong with it.
        what: String,
    },
    /// An entry of the spec of coded values that cannot be used.
    #[error("enum `{name}`: {what}")]
    Enum {
        /// The concept's name.
        name: String,
        /// What is wrong with it.
        what: String,
    },
    /// A field whose codes upstream documents (`x-mm-codes`) that is neither an enum nor says
    /// why not.
    #[error(
        "upstream documents its codes ({codes}): name their concept in `x-mm-enum`, or say why \
         they are not one in `x-mm-not-enum`"
    )]
    UntypedCodes {
        /// The codes, as JSON.
        codes: String,
    },
    /// An entry of the spec of ids that cannot be used.
    #[error("id `{name}`: {what}")]
    Id {
        /// The id's name.
        name: String,
        /// What is wrong with it.
        what: String,
    },
    /// An entry of the spec of time fields that cannot be used.
    #[error("{0}")]
    Times(String),
    /// A field whose `x-mm-enum` cannot type it.
    #[error("`x-mm-enum: {name}` {what}")]
    EnumField {
        /// The concept the field names.
        name: String,
        /// What is wrong.
        what: String,
    },
    /// A string field whose name says it holds a secret, without `format: password`.
    #[error(
        "`{0}` names a secret: give it `format: password` so that it is redacted wherever it is \
         printed"
    )]
    SecretNotMarked(String),
    /// A validation rule of a request (`minimum`, `maxLength`...) the runtime cannot check.
    #[error("a validation rule of the request: {0}")]
    Rule(String),
}

fn at(pointer: &Option<String>) -> String {
    pointer
        .as_deref()
        .map(|p| format!(" (at {})", if p.is_empty() { "/" } else { p }))
        .unwrap_or_default()
}
