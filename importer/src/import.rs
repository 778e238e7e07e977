//! The import: upstream's exports and the specs there are now in, the area specs with their
//! examples, the inventory and the README's section out.
//!
//! The hand-kept specs (`client.yaml`, `manager.yaml`, `auth2.yaml`) keep priority: an
//! operation whose method and path they already have is skipped, and their `operationId`s are
//! never reused. Where two exports define one operation (the same method and path as our specs
//! write it), the newer export wins: the exports are read in the order of their revisions'
//! commits, the last committed first (those without a revision last, in the order given), and
//! an operation an export read before already defines is skipped. So the Client API is imported
//! from the union of its English and Chinese editions: what only the older one has is imported
//! from it too. An operation the specs already have keeps its group and its `operationId`.
//! Everything returned is derived deterministically from the input: importing twice gives the
//! same output. Upstream's prose (descriptions of operations and fields) is not copied: the
//! titles, descriptions and field sentences are ours ([`crate::prose`]); where we have none yet,
//! the title is made from the operation's name ([`crate::titles`]) and a field's description
//! from its facts.

use std::collections::{BTreeMap, BTreeSet};

use serde_yaml_ng::Value;

use crate::Error;
use crate::area::{self, Area, Evidence, ExampleFile};
use crate::counts::Counts;
use crate::enums::{self, EnumField};
use crate::examples;
use crate::export::{Document, Export, Operation};
use crate::ids::{self, Unnamed};
use crate::inventory::{Entry, ExportInventory, Inventory, Outcome};
use crate::not_money::{self, NotMoney};
use crate::prose::{self, Prose};
use crate::readme::{self, ExportCount};
use crate::skip::{self, Kept, Key, Known, Skip};
use crate::spec::Spec;
use crate::widen::Widening;
use crate::{tags, titles};

/// What the import reads.
#[derive(Debug, Clone, Copy)]
pub struct Input<'a> {
    /// Upstream's exports, each pinned to the revision it was read at where that is known
    /// ([`Document::pinned`]): where two define one operation, the newer is imported.
    pub exports: &'a [Document],
    /// The hand-kept specs, each by its file name in `openapi/` (`client.yaml`): their
    /// operations are skipped, their `operationId`s and component names are not reused.
    pub hand_kept: &'a [Spec],
    /// Every spec there is now (`openapi/*.yaml`), in the order of their files: an operation
    /// they have keeps its group (`x-mm-group`) and its `operationId`, whatever upstream's tag
    /// and the other operations now say.
    pub specs: &'a [Spec],
    /// The callback spec (`callbacks/callbacks.yaml`), which names the webhooks the import
    /// skips.
    pub callbacks: Option<&'a Value>,
    /// The fields named like money that hold something else ([`crate::not_money::NOT_MONEY`]
    /// for the committed specs): each stays a string, with `x-mm-not-money`. The import
    /// refuses one that finds no such field.
    pub not_money: &'a [NotMoney],
    /// The fields that carry a shared coded value (`openapi/import/enums.yaml`): each gets
    /// `x-mm-enum`. The import refuses one that finds no such field.
    pub enums: &'a [EnumField],
    /// The words written here (`openapi/import/prose/`): each operation's title and
    /// description, each field's sentence.
    pub prose: &'a Prose,
}

/// What the import makes.
#[derive(Debug, Clone)]
pub struct Output {
    /// The area specs, by name.
    pub areas: Vec<Area>,
    /// Upstream's answers to the operations of the hand-kept specs, kept as written: the
    /// import changes no hand-kept spec, so they are listed in `openapi/import/answers.yaml`
    /// ([`answers_text`]) and their files are under `examples/<spec>/upstream/`.
    pub hand_kept_answers: Vec<HandKeptAnswers>,
    /// What was made of each export, in the order of the input.
    pub exports: Vec<ExportCount>,
    /// How many operations were imported.
    pub imported: usize,
    /// The operations not imported, and why, export by export in the order of the input.
    pub skipped: Vec<Skipped>,
    /// The rewrites, counted.
    pub counts: Counts,
    /// Every operation of every export, and what was made of it.
    pub inventory: Inventory,
    /// The README's section on the import (`openapi/README.md`, "Imported from upstream's
    /// exports"), markers included: [`crate::readme::replace_section`] puts it in.
    pub readme_section: String,
}

/// Upstream's answers to one operation of a hand-kept spec.
#[derive(Debug, Clone)]
pub struct HandKeptAnswers {
    /// The spec's file (`client.yaml`).
    pub spec: String,
    /// The operation's `operationId` there.
    pub id: String,
    /// Its API (`x-mm-api`).
    pub api: &'static str,
    /// What `x-mm-upstream-examples` would list (see `openapi/README.md`).
    pub entries: Vec<Value>,
    /// Their files.
    pub files: Vec<ExampleFile>,
}

/// The text of `openapi/import/answers.yaml`: every entry of `answers`.
pub fn answers_text(answers: &[HandKeptAnswers]) -> Result<String, Error> {
    let list: Vec<Value> = answers
        .iter()
        .map(|a| {
            crate::value::map(vec![
                ("spec", Value::from(a.spec.clone())),
                ("operation", Value::from(a.id.clone())),
                ("api", Value::from(a.api)),
                ("answers", Value::Sequence(a.entries.clone())),
            ])
        })
        .collect();
    let yaml = serde_yaml_ng::to_string(&list).map_err(|e| Error::new(e.to_string()))?;
    Ok(ANSWERS_HEADER.to_owned() + &yaml)
}

/// What `openapi/import/answers.yaml` starts with.
const ANSWERS_HEADER: &str = "# Written by `cargo xtask import`: upstream's answers to the operations of the hand-kept\n\
     # specs, kept as its exports wrote them under `examples/<spec>/upstream/`, each entry as\n\
     # `x-mm-upstream-examples` has it (see openapi/README.md). Do not edit by hand;\n\
     # `tests/tests/upstream_answers.rs` decodes each one through its operation.\n";

/// An operation of an export that is imported.
#[derive(Debug)]
pub(crate) struct Candidate<'a> {
    pub(crate) operation: Operation<'a>,
    pub(crate) upstream_tag: String,
    /// Ours.
    pub(crate) tag: &'static str,
    pub(crate) area: &'static str,
    /// `x-mm-group`: as the specs have it, or from the tag for a new operation.
    pub(crate) group: String,
    pub(crate) id: String,
    /// Upstream's title where it is English (its own, or an English export's of the same
    /// operation), to quote in the description.
    pub(crate) english_title: Option<String>,
}

/// An operation of an export that is not imported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    /// The export it is in.
    pub export: &'static Export,
    /// Upper case.
    pub method: String,
    /// As upstream writes it.
    pub path: String,
    /// As our specs write it.
    pub ours: String,
    /// What it is, in English: upstream's title where it is English, ours, or the words of
    /// its method.
    pub title: String,
    /// Why it is not imported.
    pub skip: Skip,
    /// The same, in a sentence.
    pub reason: String,
}

/// Imports `input`'s exports (see the module's documentation).
pub fn import(input: &Input) -> Result<Output, Error> {
    let hand_kept = HandKept::of(input.hand_kept);
    let existing = Existing::of(input.specs);
    let Selection {
        mut candidates,
        skipped,
        exports,
        decisions,
        hand_kept_answers,
    } = select(input, &hand_kept.operations, &existing.groups)?;
    name(&mut candidates, &hand_kept.ids, &existing.ids);
    let inventory = inventory(input, &decisions, &candidates, &skipped);
    let mut counts = Counts::default();
    let mut areas = areas(
        &candidates,
        hand_kept.type_names,
        input.not_money,
        &mut counts,
    )?;
    let hand_kept_answers = hand_kept_answers
        .into_iter()
        .filter_map(|(spec, id, api, media)| {
            let answers = examples::upstream_answers(media, &mut counts);
            if answers.is_empty() {
                return None;
            }
            let folder = spec.trim_end_matches(".yaml").to_owned();
            let none = answers.iter().map(|_| Widening::default()).collect();
            let evidence = Evidence::of(&folder, &id, answers, none);
            Some(HandKeptAnswers {
                spec,
                id,
                api,
                entries: evidence.entries,
                files: evidence.files,
            })
        })
        .collect();
    not_money::check_all_used(input.not_money, &areas)?;
    enums::apply(input.enums, &mut areas)?;
    let (coverage, unused) = prose::apply(input.prose, &mut areas);
    let readme_section = readme::section(&exports, &areas, &skipped, &counts, (coverage, &unused));
    Ok(Output {
        areas,
        hand_kept_answers,
        exports,
        imported: candidates.len(),
        skipped,
        counts,
        inventory,
        readme_section,
    })
}

/// What the hand-kept specs have.
#[derive(Debug, Default)]
struct HandKept {
    /// Their operations.
    operations: Kept,
    /// Their `operationId`s, per API.
    ids: BTreeMap<String, BTreeSet<String>>,
    /// Their component names, per API.
    type_names: BTreeMap<String, BTreeSet<String>>,
}

impl HandKept {
    fn of(specs: &[Spec]) -> Self {
        let mut kept = HandKept::default();
        for spec in specs {
            let stem = spec.file.strip_suffix(".yaml").unwrap_or(&spec.file);
            let api = spec.api().unwrap_or(stem).to_owned();
            kept.type_names.entry(api.clone()).or_default().extend(
                spec.value["components"]["schemas"]
                    .as_mapping()
                    .into_iter()
                    .flatten()
                    .filter_map(|(name, _)| name.as_str().map(str::to_owned)),
            );
            for (path, method, op) in spec.operations() {
                let id = op["operationId"].as_str().unwrap_or_default().to_owned();
                kept.operations
                    .insert((method, path.to_owned()), (spec.file.clone(), id.clone()));
                kept.ids.entry(api.clone()).or_default().insert(id);
            }
        }
        kept
    }
}

/// What the specs there are now say of each operation they have, by API, method and path: its
/// group (`x-mm-group`) and its `operationId`. A re-import keeps both, so that a user's path to
/// an operation never moves because upstream re-tagged it or added a namesake.
#[derive(Debug, Default)]
struct Existing {
    groups: BTreeMap<Key, String>,
    ids: BTreeMap<Key, String>,
}

impl Existing {
    fn of(specs: &[Spec]) -> Self {
        let mut existing = Existing::default();
        for spec in specs {
            let api = spec.api().unwrap_or_default();
            for (path, method, op) in spec.operations() {
                let key = (api.to_owned(), method, path.to_owned());
                if let Some(group) = op["x-mm-group"].as_str() {
                    existing.groups.insert(key.clone(), group.to_owned());
                }
                if let Some(id) = op["operationId"].as_str() {
                    existing.ids.insert(key, id.to_owned());
                }
            }
        }
        existing
    }
}

/// What was decided on one operation of an export: imported (the candidate's index) or
/// skipped (the index in the skipped list).
#[derive(Debug, Clone, Copy)]
enum Decision {
    Imported(usize),
    Skipped(usize),
}

/// Every operation of every export, sorted into imported and skipped.
struct Selection<'a> {
    candidates: Vec<Candidate<'a>>,
    skipped: Vec<Skipped>,
    exports: Vec<ExportCount>,
    /// Per export of the input, in its order: what was decided on each operation, in the
    /// export's order.
    decisions: Vec<Vec<Decision>>,
    /// The answers upstream shows to the operations of the hand-kept specs, each operation
    /// once (from the export read first): its spec, `operationId`, API and 200 response's
    /// media type.
    hand_kept_answers: Vec<(String, String, &'static str, &'a Value)>,
}

/// The exports' indices in the order they are read: the last committed first; those without
/// a revision last, in the order given.
fn precedence(exports: &[Document]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..exports.len()).collect();
    order.sort_by(|&a, &b| {
        let committed = |i: usize| exports[i].pin().map(|pin| pin.committed.as_str());
        match (committed(a), committed(b)) {
            (Some(a), Some(b)) => b.cmp(a),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => std::cmp::Ordering::Equal,
        }
        .then(a.cmp(&b))
    });
    order
}

/// Every operation of `exports` with the first export of `order` that defines it, and the
/// English titles of each (from the English exports, in that order).
#[derive(Debug, Default)]
struct Defined {
    by: BTreeMap<Key, &'static Export>,
    english_titles: BTreeMap<Key, String>,
}

impl Defined {
    fn of(exports: &[Document], order: &[usize]) -> Self {
        let mut defined = Defined::default();
        for &i in order {
            for operation in exports[i].operations() {
                let key = key(&operation);
                let title = operation.title();
                if operation.export().language == "en"
                    && !title.is_empty()
                    && titles::is_english(title)
                {
                    defined
                        .english_titles
                        .entry(key.clone())
                        .or_insert_with(|| title.to_owned());
                }
                defined.by.entry(key).or_insert(operation.export());
            }
        }
        defined
    }
}

fn key(operation: &Operation) -> Key {
    (
        operation.export().api.to_owned(),
        operation.method.clone(),
        operation.path.clone(),
    )
}

/// Which operations of the exports are imported, with their tag, area and group, and which are
/// skipped, with why.
fn select<'a>(
    input: &Input<'a>,
    kept: &Kept,
    groups: &BTreeMap<Key, String>,
) -> Result<Selection<'a>, Error> {
    let order = precedence(input.exports);
    let defined = Defined::of(input.exports, &order);
    let mut seen: BTreeMap<Key, (&'static Export, String)> = BTreeMap::new();
    let mut selection = Selection {
        candidates: Vec::new(),
        skipped: Vec::new(),
        exports: Vec::new(),
        decisions: vec![Vec::new(); input.exports.len()],
        hand_kept_answers: Vec::new(),
    };
    for &i in &order {
        let document = &input.exports[i];
        let export = document.export();
        for operation in document.operations() {
            let key = key(&operation);
            let known = Known {
                callbacks: input.callbacks,
                kept,
                seen: &seen,
                defined: &defined.by,
            };
            let skip = skip::skip(&operation, &known);
            seen.entry(key.clone())
                .or_insert_with(|| (export, operation.upstream_path.to_owned()));
            let english_title = defined.english_titles.get(&key).cloned();
            if let Some(skip) = skip {
                if let Skip::HandKept { spec, id } = &skip
                    && !selection
                        .hand_kept_answers
                        .iter()
                        .any(|(s, i, _, _)| s == spec && i == id)
                {
                    selection.hand_kept_answers.push((
                        spec.clone(),
                        id.clone(),
                        export.api,
                        operation.response_media(),
                    ));
                }
                let title = titles::title(&operation.path)
                    .map(str::to_owned)
                    .or(english_title)
                    .unwrap_or_else(|| area::words(crate::ids::last_name(operation.upstream_path)));
                selection.decisions[i].push(Decision::Skipped(selection.skipped.len()));
                selection.skipped.push(Skipped {
                    export,
                    method: operation.method.clone(),
                    path: operation.upstream_path.to_owned(),
                    ours: operation.path.clone(),
                    title,
                    reason: skip.why(&operation.method, &operation.path),
                    skip,
                });
                continue;
            }
            let Some(tag) = tags::of(&operation) else {
                return Err(Error::new(format!(
                    "{}: `{} {}`: upstream tag `{}` has no area",
                    export.file,
                    operation.method,
                    operation.upstream_path,
                    operation.upstream_tag()
                )));
            };
            selection.decisions[i].push(Decision::Imported(selection.candidates.len()));
            selection.candidates.push(Candidate {
                group: groups
                    .get(&key)
                    .cloned()
                    .unwrap_or_else(|| tag.group.to_owned()),
                upstream_tag: operation.upstream_tag(),
                operation,
                tag: tag.tag,
                area: tag.area,
                id: String::new(),
                english_title,
            });
        }
    }
    // The skipped operations and the counts in the order of the input.
    let mut skipped = Vec::new();
    for (document, decisions) in input.exports.iter().zip(&mut selection.decisions) {
        let mut count = ExportCount::new(document.export(), document.pin().cloned());
        for decision in decisions.iter_mut() {
            count.operations += 1;
            match decision {
                Decision::Imported(_) => count.imported += 1,
                Decision::Skipped(index) => {
                    let skip = &selection.skipped[*index];
                    count.add_skipped(&skip.skip);
                    *index = skipped.len();
                    skipped.push(skip.clone());
                }
            }
        }
        selection.exports.push(count);
    }
    selection.skipped = skipped;
    Ok(selection)
}

/// Gives each candidate its `operationId`: the one the specs give it, else one unique in its
/// API with the hand-kept ones (`reserved`) and those kept.
fn name(
    candidates: &mut [Candidate],
    reserved: &BTreeMap<String, BTreeSet<String>>,
    existing: &BTreeMap<Key, String>,
) {
    let unnamed: Vec<Unnamed> = candidates
        .iter()
        .map(|c| Unnamed {
            api: c.operation.export().api,
            method: &c.operation.method,
            path: &c.operation.path,
            upstream_path: c.operation.upstream_path,
            kept: existing.get(&key(&c.operation)).map(String::as_str),
        })
        .collect();
    let ids = ids::assign(&unnamed, reserved);
    for (candidate, id) in candidates.iter_mut().zip(ids) {
        candidate.id = id;
    }
}

/// The inventory: every operation of every export of the input, in their order, with what was
/// made of it.
fn inventory(
    input: &Input,
    decisions: &[Vec<Decision>],
    candidates: &[Candidate],
    skipped: &[Skipped],
) -> Inventory {
    let exports = input
        .exports
        .iter()
        .zip(decisions)
        .map(|(document, decisions)| ExportInventory {
            export: document.export(),
            pin: document.pin().cloned(),
            operations: document
                .operations()
                .iter()
                .zip(decisions)
                .map(|(operation, decision)| Entry {
                    method: operation.method.clone(),
                    path: operation.upstream_path.to_owned(),
                    ours: operation.path.clone(),
                    deprecated: operation.deprecated(),
                    outcome: match *decision {
                        Decision::Imported(index) => Outcome::Imported {
                            id: candidates[index].id.clone(),
                        },
                        Decision::Skipped(index) => Outcome::of(&skipped[index]),
                    },
                })
                .collect(),
        })
        .collect();
    Inventory { exports }
}

/// One spec per area, by name. `type_names` are the component names of each API's hand-kept
/// specs; each area's are added to its API's as it is made. `not_money` are the exceptions to
/// the marking of money fields.
fn areas(
    candidates: &[Candidate],
    mut type_names: BTreeMap<String, BTreeSet<String>>,
    not_money: &[NotMoney],
    counts: &mut Counts,
) -> Result<Vec<Area>, Error> {
    let mut members: BTreeMap<&str, Vec<&Candidate>> = BTreeMap::new();
    for candidate in candidates {
        members.entry(candidate.area).or_default().push(candidate);
    }
    let mut areas = Vec::new();
    for (name, ops) in members {
        let api = ops
            .first()
            .map(|c| c.operation.export().api)
            .unwrap_or_default();
        let taken = type_names.entry(api.to_owned()).or_default();
        areas.push(area::area(name, &ops, taken, not_money, counts)?);
    }
    Ok(areas)
}
