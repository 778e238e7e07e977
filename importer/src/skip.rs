//! Which operations of an export the import leaves out, and why: what is no operation of the
//! platform's API (a pseudo-operation, a webhook, another service's endpoint, an operation
//! upstream marks as answered by nothing), what a hand-kept spec or a newer export already
//! has, upstream's typos, and the shapes the conventions leave to a person.

use std::collections::BTreeMap;

use serde_yaml_ng::Value;

use crate::export::{Export, Operation, our_path};

/// The operations of the hand-kept specs: (METHOD, path) → (spec file, `operationId`).
pub(crate) type Kept = BTreeMap<(String, String), (String, String)>;

/// An operation by API, METHOD and path as our specs write it.
pub(crate) type Key = (String, String, String);

/// Why an operation of an export is not imported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Skip {
    /// The Client export's "Global Unified Request Header": it documents the common headers.
    PseudoOperation,
    /// External Settlement: the platform calls it on the integrator's system. `callback` is
    /// its `operationId` in the callback spec, where that describes it.
    Webhook {
        /// Its `operationId` in `callbacks/callbacks.yaml`.
        callback: Option<String>,
    },
    /// An endpoint of another of upstream's services, not of the API's gateway.
    NotTheApi {
        /// What it is.
        what: &'static str,
    },
    /// Upstream marks it as having no service behind it.
    NoDownstream,
    /// A hand-kept spec has it.
    HandKept {
        /// The spec's file.
        spec: String,
        /// Its `operationId` there.
        id: String,
    },
    /// A newer export defines the same operation: it is taken from there.
    Newer {
        /// The newer export.
        export: &'static Export,
        /// The operation's path there, as upstream writes it.
        path: String,
    },
    /// An earlier operation of the same export is the same one (two of upstream's paths that
    /// are one path of ours).
    Repeated {
        /// The earlier one's path, as upstream writes it.
        path: String,
    },
    /// Upstream's slash in place of the dot before the bizType's method, in a path another
    /// export writes correctly.
    SlashTypo {
        /// The path as it should be, as upstream writes it.
        corrected: String,
        /// The export that writes it so.
        export: &'static Export,
    },
    /// A `multipart/form-data` upload.
    FileUpload,
    /// Parameters outside the headers (`name` in place, each).
    Parameters(Vec<String>),
    /// A method other than `POST`.
    Method(String),
}

impl Skip {
    /// What kind of reason it is, as the inventory writes it.
    pub fn code(&self) -> &'static str {
        match self {
            Skip::PseudoOperation => "pseudo-operation",
            Skip::Webhook { .. } => "webhook",
            Skip::NotTheApi { .. } => "not-the-api",
            Skip::NoDownstream => "no-downstream",
            Skip::HandKept { .. } => "hand-kept",
            Skip::Newer { .. } => "newer-export",
            Skip::Repeated { .. } => "repeated",
            Skip::SlashTypo { .. } => "slash-typo",
            Skip::FileUpload => "file-upload",
            Skip::Parameters(_) => "parameters",
            Skip::Method(_) => "method",
        }
    }

    /// Whether it is left out for what it is, whatever the specs and the other exports have:
    /// `upstream-diff` does not report such an operation as added.
    pub fn is_intrinsic(&self) -> bool {
        !matches!(
            self,
            Skip::HandKept { .. }
                | Skip::Newer { .. }
                | Skip::Repeated { .. }
                | Skip::SlashTypo { .. }
        )
    }

    /// Why, in a sentence (the README's table), for operation `method path` as our specs write
    /// it.
    pub fn why(&self, method: &str, path: &str) -> String {
        match self {
            Skip::PseudoOperation => "the \"Global Unified Request Header\" pseudo-operation: it \
                 documents the common headers, it is not an endpoint"
                .into(),
            Skip::Webhook { callback } => {
                let received = callback
                    .as_ref()
                    .map(|id| {
                        format!(
                            "; it is `{id}` in `callbacks/callbacks.yaml` (`mm_sdk::callbacks`)"
                        )
                    })
                    .unwrap_or_default();
                format!(
                    "External Settlement: the platform calls this on the integrator's system (a \
                     webhook the integrator implements), it is not an operation of the \
                     platform's API{received}"
                )
            }
            Skip::NotTheApi { what } => format!("not an operation of the platform's API: {what}"),
            Skip::NoDownstream => "upstream marks it as having no downstream service: no \
                 server answers it"
                .into(),
            Skip::HandKept { spec, id } => format!(
                "already in the hand-kept `{spec}` as `{id}` (`{method} {path}`), which keeps \
                 priority"
            ),
            Skip::Newer {
                export,
                path: theirs,
            } => format!(
                "the newer {} export (`{}`) defines the same operation (`{method} {theirs}`): \
                 it is taken from there",
                export.name, export.file
            ),
            Skip::Repeated { path: first } => {
                format!("the same method and path as `{method} {first}`, earlier in this export")
            }
            Skip::SlashTypo { corrected, export } => format!(
                "upstream's typo (a `/` for the `.` before the method) of `{method} \
                 {corrected}`, which the {} export (`{}`) writes correctly: it is taken from \
                 there",
                export.name, export.file
            ),
            Skip::FileUpload => "a `multipart/form-data` file upload: which fields are files \
                 is for a person to say, in a hand-kept spec"
                .into(),
            Skip::Parameters(other) => format!(
                "`{method}` with parameters outside the headers ({}): which parameter carries \
                 the request, and which the call takes, is for a person to say, in a hand-kept \
                 spec",
                other.join(", ")
            ),
            Skip::Method(method) => {
                format!("`{method}`: the conventions have `POST` operations only")
            }
        }
    }
}

/// Endpoints of upstream's other services that its exports list beside the API's: a prefix of
/// upstream's path, and what they are.
const NOT_THE_API: [(&str, &str); 3] = [
    (
        "/cats-robot/",
        "an endpoint of upstream's robot service (its market-making robots, their customers and \
         symbols), outside the Manager API's gateway",
    ),
    (
        "/placeOrderBook",
        "the configuration of upstream's order-book maker robot, outside the Manager API's \
         gateway",
    ),
    (
        "/wp-json/",
        "the mail plug-in of upstream's WordPress site, on a host of its own",
    ),
];

/// The mark upstream puts in the title of an operation no service answers ("the downstream
/// interface does not exist").
const NO_DOWNSTREAM_MARK: &str = "下游接口不存在";

/// The tag of the External Settlement webhooks, in the English and the Chinese exports.
const WEBHOOK_TAGS: [&str; 2] = ["External Settlement", "外部结算接口"];

/// What the import knows when it decides on an operation.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Known<'a> {
    /// The callback spec, which names the webhooks.
    pub(crate) callbacks: Option<&'a Value>,
    /// The hand-kept specs' operations.
    pub(crate) kept: &'a Kept,
    /// The operations decided on before this one (those of the newer exports, and the earlier
    /// ones of its own), with the export and upstream's path of the first.
    pub(crate) seen: &'a BTreeMap<Key, (&'static Export, String)>,
    /// Every operation of every export, with the newest export that defines it.
    pub(crate) defined: &'a BTreeMap<Key, &'static Export>,
}

/// Why the import leaves out `op`, if it does.
pub(crate) fn skip(op: &Operation, known: &Known) -> Option<Skip> {
    let method = op.method.as_str();
    let path = op.path.as_str();
    if let Some(skip) = what_it_is(op, known.callbacks) {
        return Some(skip);
    }
    if let Some((spec, id)) = known.kept.get(&(method.to_owned(), path.to_owned())) {
        return Some(Skip::HandKept {
            spec: spec.clone(),
            id: id.clone(),
        });
    }
    let key = (
        op.export().api.to_owned(),
        method.to_owned(),
        path.to_owned(),
    );
    if let Some((export, first)) = known.seen.get(&key) {
        return Some(if std::ptr::eq(*export, op.export()) {
            Skip::Repeated {
                path: first.clone(),
            }
        } else {
            Skip::Newer {
                export,
                path: first.clone(),
            }
        });
    }
    if let Some(corrected) = slash_corrected(op.upstream_path) {
        let ours = our_path(op.export(), &corrected, op.op);
        let key = (op.export().api.to_owned(), method.to_owned(), ours);
        if let Some(export) = known.defined.get(&key) {
            return Some(Skip::SlashTypo { corrected, export });
        }
    }
    shape(op)
}

/// Why the import leaves out `op` for what it is (a pseudo-operation, a webhook, another
/// service's endpoint, one upstream marks as unanswered, a shape the conventions do not take),
/// whatever the specs and the other exports have.
pub(crate) fn intrinsic(op: &Operation) -> Option<Skip> {
    what_it_is(op, None).or_else(|| shape(op))
}

/// `op` left out for not being an operation of the platform's API.
fn what_it_is(op: &Operation, callbacks: Option<&Value>) -> Option<Skip> {
    if op.method == "HEAD" && op.upstream_path == "/" {
        return Some(Skip::PseudoOperation);
    }
    if op.tags().iter().any(|tag| WEBHOOK_TAGS.contains(tag)) {
        let callback = callbacks.and_then(|spec| callback_id(spec, op.upstream_path));
        return Some(Skip::Webhook { callback });
    }
    if let Some((_, what)) = NOT_THE_API
        .iter()
        .find(|(prefix, _)| op.upstream_path.starts_with(prefix))
    {
        return Some(Skip::NotTheApi { what });
    }
    if op.title().contains(NO_DOWNSTREAM_MARK) {
        return Some(Skip::NoDownstream);
    }
    None
}

/// `op` left out for a shape the conventions leave to a person.
fn shape(op: &Operation) -> Option<Skip> {
    if op.request_content().get("multipart/form-data").is_some() {
        return Some(Skip::FileUpload);
    }
    let other: Vec<String> = op
        .other_parameters()
        .into_iter()
        .map(|p| {
            format!(
                "`{}` in {}",
                p["name"].as_str().unwrap_or("?"),
                p["in"].as_str().unwrap_or("?")
            )
        })
        .collect();
    if !other.is_empty() {
        return Some(Skip::Parameters(other));
    }
    if op.method != "POST" {
        return Some(Skip::Method(op.method.clone()));
    }
    None
}

/// `path` with its typo corrected, where it has upstream's: the method after a `/` that should
/// be a `.` (`.../fund.app.DepositAppDubboService/queryDepositProposal`).
fn slash_corrected(path: &str) -> Option<String> {
    let (service_path, method) = path.rsplit_once('/')?;
    let service = service_path.rsplit('/').next()?;
    let is_service = service.contains('.') && service.ends_with("Service");
    let is_method = !method.is_empty() && !method.contains('.');
    (is_service && is_method).then(|| format!("{service_path}.{method}"))
}

/// The `operationId` of the callback at `path` in the callback spec `spec`, if it describes it.
fn callback_id(spec: &Value, path: &str) -> Option<String> {
    spec["paths"][path]["post"]["operationId"]
        .as_str()
        .map(str::to_owned)
}
