//! What differs between one of upstream's exports and our specs (`cargo xtask upstream-diff`),
//! for when upstream's docs change (README.md, "When upstream's docs change").
//!
//! The export is read through the model the import reads it by ([`crate::export`]), and what
//! the import would make of it is compared, operation by operation, with what our specs of its
//! API have:
//!
//! - Operations are matched by method and path as our specs write it
//!   ([`crate::export::our_path`]: with `/api`, `/openapi-c`, `/openapi-b` or
//!   `/cats-gateway-auth2`). An operation of the export that no spec of its API has is *added*,
//!   unless the importer leaves it out for what it is (a pseudo-operation, a webhook, another
//!   service's endpoint, a `GET` with query parameters, a file upload), or the inventory says
//!   the import skipped it (a typo of another's path, say). An operation that the export lacks
//!   is *removed* when the specs follow this export for it (below).
//! - Which export the specs follow for an operation is the inventory's word
//!   ([`Inventory::owner`]): the one it was imported from; for a hand-kept operation, the last
//!   committed export that defines it, or, where none does, the last committed export of its
//!   API. Where that is another export (a newer one defines the operation too), what differs
//!   is listed as decided by it, and does not fail the run. Without an inventory, an imported
//!   area spec's operations are its exports', and a hand-kept spec's are every export's.
//! - Fields of the request body (`body.<name>`) and of the answer's `data` (`data.<name>`,
//!   `data.list[].price`, `data.map.*`), flattened through `$ref`s (a cycle stops at the
//!   second visit), are *added*, *removed*, *retyped* or changed in required-ness
//!   (`field-required`); a field upstream may send as null that ours never takes as null
//!   (`field-nullable`: where ours takes null and upstream says it never comes, ours accepts
//!   more, as the import's widening by upstream's answers makes it), and a field whose string
//!   values differ (`field-values`, values added and dropped). Nothing is reported below a
//!   field that is added, removed or retyped.
//!   The export's side is what the import writes: its schemas converted (3.1 type arrays,
//!   `format: long`, every number a decimal) and the `data` of its envelope, recognised in all
//!   the shapes the importer knows and widened to accept upstream's own answers (a field they
//!   leave out is optional, one they send as text is text).
//! - Types are compared as the generated code sees them: nor are
//!   string formats (the importer drops upstream's, and ours, such as `decimal`, only say how
//!   the same string is read); an integer is `int64` unless it says `int32`; a number is
//!   compared with its format (`decimal` for every imported one).
//! - Header parameters are those the import gives the operation (upstream's; under `/api`, the
//!   "Global Unified Request Header"'s where upstream lists none, and `idempotency-key` on a
//!   write, as our spec's `x-mm-effect` says), matched by name case-insensitively: *added*,
//!   *removed*, changed in required-ness, spelled otherwise (`header-spelling`: we keep
//!   upstream's spelling), or fixed to another value (`header-value`: an operation's own
//!   `version`). The credential the import derives from upstream's headers is compared with
//!   ours (`credential`) for the operations of the imported specs; a hand-kept spec's is a
//!   person's reading of the docs, which the headers cannot tell.
//! - Each difference says what it means for users of the SDK ([`Change`]), by the README's
//!   compatibility contract: `minor` for an operation, an optional request field or an answer
//!   field added, a value added, an operation's own header value changed; `patch` for a
//!   header's spelling; `major` (breaking) for the rest.
//!
//! What a person decided to do differently is acknowledged in a file of entries ([`ack`]); the
//! [`Verdict`] sorts the differences into acknowledged and not, finds the stale
//! acknowledgements, and writes the report.
//!
//! Not compared: validation rules, integer value lists (the import keeps string ones only),
//! descriptions and examples, the
//! envelope's fields other than `data`, the `x-mm-*` extensions, and what the importer leaves
//! out (query parameters, other media types, responses other than 200).

pub mod ack;
mod difference;
mod fields;
mod headers;
mod verdict;

use std::collections::{BTreeMap, BTreeSet};

use serde_yaml_ng::{Mapping, Value};

use crate::Error;
use crate::export::{Document, Export, Operation};
use crate::inventory::{Inventory, Outcome};
use crate::schemas::Schemas;
use crate::skip;
use crate::spec::Spec;

pub use ack::Ack;
pub use difference::{Change, Difference, Kind, OperationName};
pub use verdict::{Shown, Verdict};

use difference::Found;

/// One of our specs of the export's API.
#[derive(Debug)]
struct Ours<'s> {
    spec: &'s Spec,
    /// The exports it was imported from; none for a hand-kept spec.
    imported_from: Vec<&'static Export>,
}

impl Ours<'_> {
    /// Whether, without an inventory to say, its operations are described by export `file`,
    /// so that they are removed when it lacks them.
    fn is_of(&self, file: &str) -> bool {
        self.imported_from.is_empty() || self.imported_from.iter().any(|e| e.file == file)
    }

    /// The component `reference` (`#/components/<kind>/<name>`) names.
    fn component(&self, reference: &str) -> Option<&Value> {
        let mut parts = reference.strip_prefix("#/components/")?.splitn(2, '/');
        let (kind, name) = (parts.next()?, parts.next()?);
        self.spec.value["components"][kind].get(name)
    }
}

/// An operation of our specs.
#[derive(Debug)]
struct OurOperation<'s> {
    spec: &'s Ours<'s>,
    id: Option<String>,
    op: &'s Value,
}

/// Our operations by method and path; one spec each.
fn our_operations<'s>(
    specs: &'s [Ours<'s>],
) -> Result<BTreeMap<(String, String), OurOperation<'s>>, Error> {
    let mut operations: BTreeMap<(String, String), OurOperation> = BTreeMap::new();
    for spec in specs {
        for (path, method, op) in spec.spec.operations() {
            let key = (method, path.to_owned());
            if let Some(first) = operations.get(&key) {
                return Err(Error::new(format!(
                    "{} and {} both have `{} {}`",
                    first.spec.spec.file, spec.spec.file, key.0, key.1
                )));
            }
            let id = op["operationId"].as_str().map(str::to_owned);
            operations.insert(key, OurOperation { spec, id, op });
        }
    }
    Ok(operations)
}

/// What differs between the export `upstream` and those of `specs` (our specs, by file) whose
/// API is the export's, sorted; `inventory` says which export the specs follow for each
/// operation, where it is given.
pub fn compare(
    upstream: &Document,
    specs: &[Spec],
    inventory: Option<&Inventory>,
) -> Result<Vec<Difference>, Error> {
    let export = upstream.export();
    let api = export.api;
    let ours: Vec<Ours> = specs
        .iter()
        .filter(|spec| spec.api() == Some(api))
        .map(|spec| Ours {
            spec,
            imported_from: spec.imported_from(),
        })
        .collect();
    let operations = our_operations(&ours)?;
    let owner = |method: &str, path: &str| {
        inventory
            .and_then(|inventory| inventory.owner(api, method, path))
            .filter(|owner| owner.file != export.file)
    };
    let empty = Mapping::new();
    let components = upstream.components().unwrap_or(&empty);
    let mut schemas = Schemas::new(components, BTreeSet::new(), String::new());
    let mut differences = Vec::new();
    let mut matched = BTreeSet::new();
    for theirs in upstream.operations() {
        let key = (theirs.method.clone(), theirs.path.clone());
        match operations.get(&key) {
            Some(our) => {
                let operation = OperationName::new(our.id.as_deref(), &key.0, &key.1);
                let decided_by = owner(&key.0, &key.1);
                let mut found = fields::compare_fields(&theirs, our, &mut schemas);
                found.extend(headers::compare_headers(&theirs, our));
                differences.extend(
                    found
                        .into_iter()
                        .map(|f| f.of(&operation).decided_by(decided_by)),
                );
                matched.insert(key);
            }
            None => differences.extend(added(&theirs, inventory)),
        }
    }
    let follows_this = |method: &str, path: &str, our: &OurOperation| match inventory {
        Some(inventory) => inventory
            .owner(api, method, path)
            .is_some_and(|owner| owner.file == export.file),
        None => our.spec.is_of(export.file),
    };
    differences.extend(removed(&operations, &matched, follows_this));
    differences.sort();
    Ok(differences)
}

/// An operation of the export that our specs lack: added, unless the import leaves it out for
/// what it is, or the inventory says it skipped it.
fn added(theirs: &Operation, inventory: Option<&Inventory>) -> Option<Difference> {
    if skip::intrinsic(theirs).is_some() {
        return None;
    }
    let method = theirs.method.as_str();
    let skipped = inventory
        .and_then(|i| i.outcome(theirs.export().file, method, theirs.upstream_path))
        .is_some_and(|outcome| !matches!(outcome, Outcome::Imported { .. }));
    if skipped {
        return None;
    }
    let summary = theirs.title();
    let detail = format!(
        "upstream's `{method} {}` (\"{summary}\"), in none of our specs",
        theirs.upstream_path
    );
    let operation = OperationName::new(None, method, &theirs.path);
    Some(Found::new(Kind::AddedOperation, None, detail).of(&operation))
}

/// The operations of our specs that the export does not match, where the specs follow this
/// export for them (`follows_this`): removed.
fn removed(
    ours: &BTreeMap<(String, String), OurOperation>,
    matched: &BTreeSet<(String, String)>,
    follows_this: impl Fn(&str, &str, &OurOperation) -> bool,
) -> Vec<Difference> {
    ours.iter()
        .filter(|((method, path), our)| {
            !matched.contains(&(method.clone(), path.clone())) && follows_this(method, path, our)
        })
        .map(|((method, path), our)| {
            let detail = format!("in {}, not in the export", our.spec.spec.file);
            let operation = OperationName::new(our.id.as_deref(), method, path);
            Found::new(Kind::RemovedOperation, None, detail).of(&operation)
        })
        .collect()
}
