//! The README's section on the import (`openapi/README.md`, "Imported from upstream's
//! exports"): what was imported from each export into which area, how the exports are
//! converted, the rewrites counted, and the operations skipped and why.

use std::fmt::Write as _;

use crate::area::{Area, PageFields};
use crate::counts::Counts;
use crate::export::Export;
use crate::import::Skipped;
use crate::prose::Coverage;
use crate::skip::Skip;
use crate::sources::Pin;

/// Where the section starts.
pub const SECTION_START: &str = "<!-- import: written by `cargo xtask import` -->";
/// Where the section ends.
pub const SECTION_END: &str = "<!-- end of import -->";

/// What the import made of one export.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportCount {
    /// The export.
    pub export: &'static Export,
    /// The revision it was read at, where that is known.
    pub pin: Option<Pin>,
    /// Its operations.
    pub operations: usize,
    /// How many of them were imported from it.
    pub imported: usize,
    /// How many were skipped, for any reason.
    pub skipped: usize,
    /// How many of those a hand-kept spec has.
    pub hand_kept: usize,
    /// How many another operation decides: a newer export's, an earlier one of the same
    /// export, the correct path of a typo.
    pub elsewhere: usize,
    /// How many are left out of the SDK, each with why.
    pub left_out: usize,
}

impl ExportCount {
    pub(crate) fn new(export: &'static Export, pin: Option<Pin>) -> Self {
        ExportCount {
            export,
            pin,
            operations: 0,
            imported: 0,
            skipped: 0,
            hand_kept: 0,
            elsewhere: 0,
            left_out: 0,
        }
    }

    /// Counts one more operation skipped for `skip`.
    pub(crate) fn add_skipped(&mut self, skip: &Skip) {
        self.skipped += 1;
        match skip {
            Skip::HandKept { .. } => self.hand_kept += 1,
            Skip::Newer { .. } | Skip::Repeated { .. } | Skip::SlashTypo { .. } => {
                self.elsewhere += 1;
            }
            _ => self.left_out += 1,
        }
    }
}

/// The section, from its start marker to its end marker and a line break.
pub(crate) fn section(
    exports: &[ExportCount],
    areas: &[Area],
    skipped: &[Skipped],
    counts: &Counts,
    (coverage, unused): (Coverage, &[String]),
) -> String {
    let mut section = String::new();
    section.push_str(SECTION_START);
    section.push_str("\n## Imported from upstream's exports\n\n");
    section.push_str(
        "Upstream publishes its API reference as OpenAPI exports in git repositories: the \
         Client and Manager (\"Business\") exports, kept up to date in \
         `CTradeExchange/multimarkets-api-swagger` (English and Chinese editions), the Manager \
         API's extended file (`CTradeExchange/multimarkets-api-postman`, linked from the docs' \
         \"Manager API > More...\"), and, in the docs' GitBook source \
         (`ctradeex/etbmatkets-docs`, `.gitbook/assets/`), the Auth2 export and the Manager \
         API's quant variant, which nothing newer replaces. `openapi/import/sources.yaml` pins \
         each to a revision of its repository. `cargo xtask import --refresh` reads each from a \
         git directory of its repository at that revision (`git show REV:PATH`) into \
         `openapi/upstream/`, which is not committed (their text is upstream's), and `cargo \
         xtask import` converts them into the area specs listed below, with their examples \
         under `examples/<area>/`, and writes `openapi/import/inventory.yaml`: every operation \
         of every export, by method and path, with what was made of it, which the tests hold \
         against the specs. Do not edit those files by hand: an operation that needs care \
         moves to a hand-kept spec (`client.yaml`, `manager.yaml`, `auth2.yaml`), and the next \
         import skips it, since the hand-kept specs keep priority.\n\n\
         Where two exports define one operation (the same method and path as our specs write \
         it), the one committed last wins and the other's is skipped; `cargo xtask \
         upstream-diff` lists what the other says differently. So the Client API is the union \
         of its two editions: an operation only the Chinese edition has is imported from it, \
         described in our words.\n\n",
    );
    section.push_str(
        "| export | revision | API | operations | imported from it | in a hand-kept spec | \
         decided by another operation | left out (why below) |\n|---|---|---|---|---|---|---|---|\n",
    );
    for row in exports {
        let revision = row.pin.as_ref().map_or_else(
            || "–".to_owned(),
            |pin| {
                format!(
                    "`{}` `{}`, {}",
                    pin.repository,
                    &pin.revision[..pin.revision.len().min(7)],
                    pin.committed.get(..10).unwrap_or(&pin.committed)
                )
            },
        );
        let _ = writeln!(
            section,
            "| `{}` | {revision} | {} (`x-mm-api: {}`) | {} | {} | {} | {} | {} |",
            row.export.file,
            row.export.name,
            row.export.api,
            row.operations,
            row.imported,
            row.hand_kept,
            row.elsewhere,
            row.left_out
        );
    }
    section.push_str(
        "\n| area | API | operations | upstream tags | examples |\n|---|---|---|---|---|\n",
    );
    for area in areas {
        let tags: Vec<String> = area
            .upstream_tags
            .iter()
            .map(|tag| format!("`{tag}`"))
            .collect();
        let _ = writeln!(
            section,
            "| `{}.yaml` | {} | {} | {} | {} examples from upstream, {} written from the schema |",
            area.name,
            area.api,
            area.operations,
            tags.join(", "),
            area.from_upstream,
            area.from_schema
        );
    }
    section.push_str(CONVERTED);
    section
        .push_str("Rewrites, counted over the whole import:\n\n| rewrite | count |\n|---|---|\n");
    for (what, count) in counts.iter() {
        let _ = writeln!(section, "| {what} | {count} |");
    }
    words(&mut section, coverage, unused);
    paging(&mut section, areas);
    elsewhere(&mut section, skipped);
    section.push_str(
        "\nSkipped operations (those another operation decides are counted above; each is in the \
         inventory):\n\n| export | method + path (upstream's) | title (upstream's where English) | why |\n|---|---|---|---|\n",
    );
    for skip in skipped.iter().filter(|s| !is_elsewhere(&s.skip)) {
        let _ = writeln!(
            section,
            "| {} | {} `{}` | `{}` | {} |",
            skip.export.name,
            skip.method,
            skip.path,
            skip.title.replace('|', "/").replace('`', "'"),
            skip.reason.replace('|', "/")
        );
    }
    section.push_str(SECTION_END);
    section.push('\n');
    section
}

fn is_elsewhere(skip: &Skip) -> bool {
    matches!(
        skip,
        Skip::Newer { .. } | Skip::Repeated { .. } | Skip::SlashTypo { .. }
    )
}

/// The operations another operation decides, counted per export and what decides them; the
/// typos listed.
fn elsewhere(section: &mut String, skipped: &[Skipped]) {
    let mut rows: Vec<(&str, String, usize)> = Vec::new();
    for skip in skipped {
        let by = match &skip.skip {
            Skip::Newer { export, .. } => format!("the newer {} export", export.name),
            Skip::Repeated { .. } => "an earlier path of the same export".to_owned(),
            Skip::SlashTypo {
                corrected, export, ..
            } => format!(
                "a typo of `{} {corrected}`, which the {} export writes correctly",
                skip.method, export.name
            ),
            _ => continue,
        };
        match rows
            .iter_mut()
            .find(|(name, b, _)| *name == skip.export.name && *b == by)
        {
            Some((_, _, count)) => *count += 1,
            None => rows.push((skip.export.name, by, 1)),
        }
    }
    if rows.is_empty() {
        return;
    }
    section.push_str(
        "\nOperations another operation decides (the same method and path as ours in a newer \
         export, or earlier in the same export, or a typo of another's path): skipped, the \
         specs follow the other.\n\n| export | decided by | operations |\n|---|---|---|\n",
    );
    for (export, by, count) in rows {
        let _ = writeln!(section, "| {export} | {by} | {count} |");
    }
}

/// How the exports are converted.
const CONVERTED: &str = "\nHow the exports are converted:\n\n\
     - Paths: as the hand-kept specs write them, from the host root. The Client API's get \
     `/api` (the export's server), except the Open API's (signed with `apiKey`/`signature`), \
     which get `/openapi-c`, and the few upstream already writes with `/api/`. The Manager \
     API's get `/openapi-b`; the extended file's and the quant variant's `/global` is dropped \
     first, as `manager.yaml` does (the gateway rule is `/openapi-b/{bizType}`). The Auth2 \
     API's get `/cats-gateway-auth2`.\n\
     - Tags and areas: one tag per operation, upstream's first (its slug, e.g. \
     `Customer/Basic` → `customer-basic`; an English slug for a Chinese tag); the Manager \
     export has none, so its tag is the bizType's service module (`config`, `customer`, \
     `fund`, `message`, `report`, `tradeapi`), or module and service where the importer's \
     table says (the webhook service). Areas group whole tags, about 30 operations each, and \
     hold the operations of one group where they can; an area may hold operations of several \
     exports of one API, whose components are then read as one namespace (a component the \
     later export describes otherwise keeps its own, renamed). A component named as one of \
     another spec of the same API is named after its group too (`IndexFieldOrderDto`): an \
     API's types share one namespace.\n\
     - Groups (`x-mm-group`): an operation the specs already have keeps its group; a new \
     one gets its tag's (the table `TAGS` of the importer), which follows upstream's docs \
     menu. The `group` header, upstream's routing group of the trading service, is sent as \
     `tradeApi`, its one documented value, on every operation that lists it.\n\
     - `operationId`: upstream's are missing, repeated or wrong, so they are not used. An \
     operation the specs already have keeps its id. A new one's is the snake_case of the \
     bizType's method (the last path segment); where two new operations of an API share it, \
     or a kept or hand-kept one has it, the service (without its `...Service` suffix, or the \
     previous path segment) is put before it, then the module, then a number, in the order \
     of the paths.\n\
     - Summaries and descriptions: written from the path, the tag and upstream's title where \
     it is English (the English edition's, where both editions have the operation); an \
     operation whose title upstream gives in Chinese only gets a title in our words (the \
     importer's table `TITLES`), never a copy of upstream's.\n\
     - `x-mm-credential`, by the headers upstream lists: `apiKey`/`signature` → \
     `open-api-signature`; `token` (any case) → \
     `client-login` on the Client API, `manager-token` on the Manager API; none → `none`. \
     Many Client operations list no headers at all upstream, though the gateway needs \
     `companyId` on every call and a login for anything done on a customer's behalf: those \
     under `/api` get the headers of upstream's \"Global Unified Request Header\" (`companyId`, \
     `token`, `lang`, `trace`, `version`; not `group`, a routing choice of the caller), so \
     they take the customer's login token (`client-login`): a public operation called with a \
     token still works, a private one called without fails. A Manager `POST` that lists no \
     headers (the extended file's risk settings) gets `trace`, `companyId` and `token`, as \
     its siblings do: the gateway cannot tell whose call it is without them.\n\
     - Idempotency: upstream's Global Unified Request Header documents `idempotency-key`: the \
     gateway caches the answer to a key for 24 hours, per bizType, version, group and company, \
     and refuses concurrent requests with the same key (`GGATEWAY_CODE_018`, retried). Every \
     write under `/api` carries it (`x-mm-headers` source `idempotency-key`): a fresh key per \
     call, the same on each attempt, so such a write is retried after a timeout like a read. \
     Upstream documents it for the Client API's gateway only: the Open API (`/openapi-c`), the \
     Manager and the Auth2 APIs get none, and their writes are retried only when they surely \
     never left.\n\
     - The quant variant's `accessToken` header is an argument of the call, and its operations \
     `none`: the export does not say that it carries the Manager token.\n\
     - `x-mm-effect`, by the first word of the bizType's method: `read` for `get`, `query`, \
     `list`, `find`, `search`, `check`, `select`, `count`, `page`, `detail`, `info`, \
     `calc`/`compute`, ...; `write` for `add`, `update`, `delete`, `create`, `save`, `set`, \
     `submit`, `apply`, `cancel`, `send`, `bind`, `transfer`, `withdraw`, `verify`, \
     `login`, ...; for any other first word, `read` when a word of the name is `list`, \
     `page`, `detail`, `info`, `query`, `record`, `report` or `statistics`, else `write` \
     (retrying a write only when it surely never left is the safe default).\n\
     - Responses: upstream's envelope is recognised in all its shapes (a `BaseResult*` \
     component, an inline envelope with every field or some of them, or a bare record, \
     which is the data) and spelled out as `<Operation>Response` in the convention's shape; \
     its `data` is upstream's data schema (named `<Operation>Data` when inline). An \
     envelope field is required only where upstream marks it so.\n\
     - Schemas: OpenAPI 3.1 constructs rewritten for 3.0 (type arrays → `nullable`, \
     `type: 'null'`, `const` → one-value `enum`, `examples` dropped, `$ref` siblings \
     dropped, `format: long` → `int64`, `refType` dropped); names made PascalCase as typify \
     spells them (`BaseResult«BasePageVo«...»»` → `BaseResultBasePageVo...`) and unique. \
     String formats, non-string enums and validation keywords are dropped, so that every \
     value keeps a plain type. Upstream's prose (descriptions and titles of operations and \
     fields) is not copied.\n\
     - Money: every non-integer number, and every string field named as money or a quantity \
     (a price, amount, fee, balance, margin, profit or loss, equity, commission, interest, \
     rate or ratio, volume, quantity, lots, shares, ...: the importer's `money.rs`), is \
     `format: decimal`, an exact `Decimal` read from a JSON string or number. A field so \
     named that holds something else (a percentage with its `%` sign, a `-` for none) stays a \
     string and says why in `x-mm-not-money`: the importer's `not_money.rs` lists each by \
     area, component and field, and the import refuses one whose field is gone.\n\
     - Interface version: every operation documents the `version` header as `0.0.1` (the \
     SDK's default) but `getSymbolDetail`, whose export says `0.0.2`, and `telegramVerify`, \
     whose export says `0.0.1` but whose release note in upstream's API changelog (2.4.3) says \
     `0.0.2`: the changelog is the specific word (the importer's `headers.rs`, `VERSIONS`). \
     Such an operation declares the header with that one value, and the SDK always sends it.\n\
     - Upstream's answers as evidence: every answer upstream's export shows for an operation \
     is kept exactly as written under `examples/<area>/upstream/` and listed on the operation \
     in `x-mm-upstream-examples` (an operation of a hand-kept spec, which the import does not \
     write, in `import/answers.yaml`, its files under `examples/<spec>/upstream/`) (`file`; `answer`: `success` or `failure`, read as the SDK \
     reads an envelope; `shows: data` where upstream shows the data without its envelope; \
     where upstream's text is not JSON, `as-written` names that text, `file` its smallest \
     repair and `repaired` what the repair removed). `tests/tests/upstream_answers.rs` decodes \
     each one unchanged through its operation: where one disagrees with its schema, the type \
     is made to accept it, and the answer stays as upstream wrote it.\n\
     - The examples the specs reference (what the sandbox answers and Prism checks): \
     upstream's, where they are JSON (comments and trailing commas removed) and \
     fit the schema; fields the schema does not declare and `null`s it does not admit are \
     left out, numbers in decimal string fields written as strings, missing envelope fields \
     filled in, and a bare answer put in the envelope; \
     each operation's description says what was changed. Otherwise a minimal example is \
     written from the schema.\n\
     - Skipped: what is not an operation of the platform's API (the Global Unified Request \
     Header, the External Settlement webhooks the integrator implements, the endpoints of \
     upstream's robot service and of its WordPress site's mail plug-in, the operations \
     upstream marks as having no downstream service), what a hand-kept spec has, what another \
     operation decides, and the shapes the conventions leave to a person (file uploads, \
     parameters outside the headers, methods other than `POST`): the importer's \
     `skip.rs`.\n\n";

/// The paging the import found: each form of `x-mm-paging` it wrote, with how many operations
/// have it, and the operations with page fields it wrote none for, with why.
fn paging(section: &mut String, areas: &[Area]) {
    let mut forms: Vec<(&str, usize)> = Vec::new();
    let mut unpaged = Vec::new();
    for area in areas {
        for fields in &area.page_fields {
            match fields {
                PageFields::Paged { paging, .. } => {
                    match forms.iter_mut().find(|(form, _)| *form == paging.as_str()) {
                        Some((_, count)) => *count += 1,
                        None => forms.push((paging.as_str(), 1)),
                    }
                }
                PageFields::Unpaged { id, why } => unpaged.push((area, id, why)),
            }
        }
    }
    forms.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let _ = write!(
        section,
        "\nPaging (`x-mm-paging`, see \"Paging\" above): an operation whose request has a page \
         number ({}) and a page size ({}), both integers, and whose answer holds a list of rows \
         (the data itself, or a field of it named {}, beside the count of all rows, {}, or of \
         pages, {}, or neither) gets `x-mm-paging`, with `first: 1`: upstream's examples ask for \
         page 1 first, and its descriptions of the page number say it defaults to 1. The forms \
         written, with how many operations have each:\n\n\
         | `x-mm-paging` | operations |\n|---|---|\n",
        names(&crate::paging::PAGE),
        names(&crate::paging::SIZE),
        names(&crate::paging::ROWS),
        names(&crate::paging::TOTAL),
        names(&crate::paging::PAGES),
    );
    for (form, count) in forms {
        let _ = writeln!(section, "| `{form}` | {count} |");
    }
    section.push_str(
        "\nOperations whose request has page fields but which have no `x-mm-paging` (their \
         description says why too):\n\n| spec | operation | why |\n|---|---|---|\n",
    );
    for (area, id, why) in unpaged {
        let _ = writeln!(
            section,
            "| `{}` | `{id}` | {} |",
            area.file(),
            why.replace('|', "/")
        );
    }
}

/// `names` quoted and listed: "`a`, `b` or `c`".
fn names(names: &[&str]) -> String {
    let quoted: Vec<String> = names.iter().map(|name| format!("`{name}`")).collect();
    match quoted.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
        _ => quoted.concat(),
    }
}

/// The README `text` with its section replaced by `section` (or, where it has none, added at
/// its end).
pub fn replace_section(text: &str, section: &str) -> String {
    match (text.find(SECTION_START), text.find(SECTION_END)) {
        (Some(start), Some(end)) => {
            let end = end + SECTION_END.len();
            let end = if text[end..].starts_with('\n') {
                end + 1
            } else {
                end
            };
            format!("{}{section}{}", &text[..start], &text[end..])
        }
        _ => format!(
            "{}\n{section}",
            text.trim_end_matches('\n').to_owned() + "\n"
        ),
    }
}

/// How much of the imported specs is described in words written here
/// (`openapi/import/prose/`), and how much by its facts alone.
fn words(section: &mut String, coverage: Coverage, unused: &[String]) {
    let share = |written: usize, facts: usize| {
        let all = written + facts;
        if all == 0 {
            "–".to_owned()
        } else {
            format!("{:.1} %", facts as f64 * 100.0 / all as f64)
        }
    };
    let _ = write!(
        section,
        "\nWords: every title, description and field sentence of the imported specs is ours, \
         from `openapi/import/prose/` (`operations.yaml` by path, `fields.yaml` by wire name), \
         which the import reads and never writes. What it does not cover is described by its \
         facts alone: an operation by a title made from its name, a field by its wire name and \
         type. `cargo xtask prose-check` finds any run of eight words shared with upstream's \
         text.\n\n| described | in words written here | by facts alone | facts-only share |\n\
         |---|---|---|---|\n\
         | operations | {} | {} | {} |\n| fields | {} | {} | {} |\n",
        coverage.operations_written,
        coverage.operations_facts_only,
        share(coverage.operations_written, coverage.operations_facts_only),
        coverage.fields_written,
        coverage.fields_facts_only,
        share(coverage.fields_written, coverage.fields_facts_only),
    );
    if !unused.is_empty() {
        let names: Vec<String> = unused.iter().map(|name| format!("`{name}`")).collect();
        let _ = writeln!(
            section,
            "\nSentences of `fields.yaml` no imported field uses (upstream dropped or renamed \
             the field): {}.",
            names.join(", ")
        );
    }
}
