//! Which imported operations page through results, and how (`x-mm-paging`), found from their
//! converted request and answer.
//!
//! An operation pages when its request has a page number and a page size (integer fields of
//! the names in [`PAGE`] and [`SIZE`]) and its answer holds a list of rows: the data itself, or
//! a field of the data named as in [`ROWS`], beside the count of all rows ([`TOTAL`]) or of
//! pages ([`PAGES`]), or neither. Pages count from 1: upstream's examples ask for page 1 first,
//! and its descriptions of the page number say it defaults to 1. An operation with both page
//! fields whose answer is no such list is left without `x-mm-paging`, and the README says why.

use serde_yaml_ng::Value;

use crate::counts::Counts;
use crate::schemas::Schemas;
use crate::value::{map, s};

/// Names of the request field holding the page's number.
pub(crate) const PAGE: [&str; 5] = ["current", "pageNum", "pageNo", "page", "currentPage"];
/// Names of the request field holding the page's size.
pub(crate) const SIZE: [&str; 2] = ["size", "pageSize"];
/// Names of the field of the data holding the page's rows.
pub(crate) const ROWS: [&str; 4] = ["records", "list", "rows", "items"];
/// Names of the field of the data holding the number of rows in all.
pub(crate) const TOTAL: [&str; 2] = ["total", "totalCount"];
/// Names of the field of the data holding the number of pages.
pub(crate) const PAGES: [&str; 3] = ["pages", "totalPage", "totalPages"];

/// The number of the first page.
const FIRST: u64 = 1;

/// What an operation's request and answer say of paging.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Found {
    /// No page fields in the request.
    NotPaged,
    /// It pages as this says.
    Paged(Paging),
    /// The request has page fields, but the operation cannot be paged: why.
    Unpaged(String),
}

/// How an operation pages: the value of its `x-mm-paging`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Paging {
    page: &'static str,
    size: &'static str,
    /// The field of the data holding the rows; none where the data is the rows.
    rows: Option<&'static str>,
    /// What the answer counts: the key (`total` or `pages`) and the field of the data.
    count: Option<(&'static str, &'static str)>,
}

impl Paging {
    /// `x-mm-paging` as the spec writes it.
    pub(crate) fn value(&self) -> Value {
        let mut entries = vec![
            ("page", s(self.page)),
            ("size", s(self.size)),
            ("first", Value::from(FIRST)),
            ("items", s(data_path(self.rows))),
        ];
        if let Some((key, field)) = self.count {
            entries.push((key, s(data_path(Some(field)))));
        }
        map(entries)
    }

    /// `x-mm-paging` in one line, as the README shows it.
    pub(crate) fn text(&self) -> String {
        let mut text = format!(
            "{{page: {}, size: {}, first: {FIRST}, items: {}",
            self.page,
            self.size,
            data_path(self.rows)
        );
        if let Some((key, field)) = self.count {
            text.push_str(&format!(", {key}: {}", data_path(Some(field))));
        }
        text + "}"
    }

    /// The rewrite, as the README's table counts it.
    fn rewrite(&self) -> &'static str {
        match (self.rows, self.count) {
            (None, _) => "`x-mm-paging`: the data is the list of rows, with no count",
            (Some(_), Some(("total", _))) => {
                "`x-mm-paging`: rows in a page object, beside the count of all rows"
            }
            (Some(_), Some(_)) => "`x-mm-paging`: rows in a page object, beside the count of pages",
            (Some(_), None) => "`x-mm-paging`: rows in a page object, with no count",
        }
    }
}

fn data_path(field: Option<&str>) -> String {
    field.map_or_else(|| "data".to_owned(), |field| format!("data.{field}"))
}

/// How operation of `request` schema and `response` envelope pages, counted in `counts`.
/// `returns_nothing`: its successful answers carry no data.
pub(crate) fn find(
    request: &Value,
    response: &Value,
    returns_nothing: bool,
    schemas: &Schemas,
    counts: &mut Counts,
) -> Found {
    let found = classify(request, response, returns_nothing, schemas);
    match &found {
        Found::NotPaged => {}
        Found::Paged(paging) => counts.add(paging.rewrite()),
        Found::Unpaged(_) => {
            counts.add("page fields in the request, no page in the answer → no `x-mm-paging`")
        }
    }
    found
}

fn classify(request: &Value, response: &Value, returns_nothing: bool, schemas: &Schemas) -> Found {
    let request = resolve(request, schemas);
    let field = |names: &[&'static str]| {
        names
            .iter()
            .find_map(|name| Some((*name, request["properties"].get(*name)?)))
    };
    let (Some((page, page_schema)), Some((size, size_schema))) = (field(&PAGE), field(&SIZE))
    else {
        return Found::NotPaged;
    };
    let why = |what: String| {
        Found::Unpaged(format!(
            "its request has page fields (`{page}`, `{size}`), but {what}"
        ))
    };
    if !is(page_schema, "integer", schemas) || !is(size_schema, "integer", schemas) {
        return why("they are not integers".into());
    }
    if returns_nothing {
        return why("its successful answers carry no data".into());
    }
    let data = resolve(&response["properties"]["data"], schemas);
    if data["type"].as_str() == Some("array") {
        return Found::Paged(Paging {
            page,
            size,
            rows: None,
            count: None,
        });
    }
    let Some(fields) = data["properties"].as_mapping() else {
        return why("its answer describes no data".into());
    };
    let of_type = |names: &[&'static str], ty: &str| {
        names.iter().copied().find(|name| {
            fields
                .get(*name)
                .is_some_and(|field| is(field, ty, schemas))
        })
    };
    let Some(rows) = of_type(&ROWS, "array") else {
        return match ROWS.iter().find(|name| fields.contains_key(**name)) {
            Some(name) => why(format!("its answer's `{name}` is not a list")),
            None => why(format!(
                "its answer has no list of rows ({})",
                ROWS.map(|name| format!("`{name}`")).join(", ")
            )),
        };
    };
    let count = of_type(&TOTAL, "integer")
        .map(|field| ("total", field))
        .or_else(|| of_type(&PAGES, "integer").map(|field| ("pages", field)));
    Found::Paged(Paging {
        page,
        size,
        rows: Some(rows),
        count,
    })
}

/// Whether `schema` is of type `ty`.
fn is(schema: &Value, ty: &str, schemas: &Schemas) -> bool {
    resolve(schema, schemas)["type"].as_str() == Some(ty)
}

/// `schema` with its `$ref`s followed, and the value branch taken of `anyOf` a value and null
/// (an envelope's `data`).
fn resolve<'v>(schema: &'v Value, schemas: &'v Schemas) -> &'v Value {
    let schema = schemas.ours(schema);
    match schema["anyOf"].as_sequence().map(Vec::as_slice) {
        Some([value, null]) if null["enum"] == Value::Sequence(vec![Value::Null]) => {
            schemas.ours(value)
        }
        _ => schema,
    }
}
