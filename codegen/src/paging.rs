//! How an operation pages through results (`x-mm-paging`), read from its spec and checked
//! against the request and the answer it names: a pager made from it can only name fields that
//! are there, with the types it reads them as.
//!
//! The extension is `{page, size, first, items}` and at most one of `total` or `pages`:
//!
//! - `page` and `size`: integer fields of the request body, the page's number and its size;
//! - `first`: the number of the first page, `1` or `0`;
//! - `items`: where the page's rows are, a path in the answer from `data` (`data.records`, or
//!   `data` where the data is the list of rows), leading to an array;
//! - `total` or `pages`: where the answer counts all rows or all pages (`data.total`), leading
//!   to an integer; without either, the last page is the first one shorter than `size`.

use std::fmt;

use openapiv3::{OpenAPI, ReferenceOr, Schema, SchemaKind, Type};
use serde_json::Value;

use crate::error::Problem;
use crate::model::component;

/// A place in the answer's `data`: the names of the fields leading there, none for `data`
/// itself. Written `data.records` in the spec and wherever it is shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataPath(Vec<String>);

impl DataPath {
    /// The field names from `data` on, in order; empty for `data` itself.
    pub fn fields(&self) -> &[String] {
        &self.0
    }

    /// `data.records` as the spec writes it, if it is such a path: `data`, then field names
    /// each after a `.`.
    fn parse(text: &str) -> Option<Self> {
        let mut parts = text.split('.');
        if parts.next() != Some("data") {
            return None;
        }
        let fields: Vec<String> = parts.map(str::to_owned).collect();
        fields
            .iter()
            .all(|field| !field.is_empty())
            .then_some(DataPath(fields))
    }
}

impl fmt::Display for DataPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("data")?;
        for field in &self.0 {
            write!(f, ".{field}")?;
        }
        Ok(())
    }
}

/// What an answer says of how much there is in all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Count {
    /// The number of rows in all (`total`).
    Rows(DataPath),
    /// The number of pages (`pages`).
    Pages(DataPath),
    /// Nothing: the last page is the first one with fewer rows than the page size.
    Absent,
}

impl Count {
    /// Where the count is, if the answer has one.
    pub fn path(&self) -> Option<&DataPath> {
        match self {
            Count::Rows(path) | Count::Pages(path) => Some(path),
            Count::Absent => None,
        }
    }
}

/// The path of the count, or `none`.
impl fmt::Display for Count {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.path() {
            Some(path) => write!(f, "{path}"),
            None => f.write_str("none"),
        }
    }
}

/// How an operation pages through results (`x-mm-paging`), checked against its request and
/// its answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paging {
    /// The request field holding the page's number (an integer).
    pub page: String,
    /// The request field holding the page's size (an integer).
    pub size: String,
    /// The number of the first page: 1 or 0.
    pub first: u32,
    /// Where the page's rows are in the answer (an array).
    pub items: DataPath,
    /// What the answer counts, and where: all rows, all pages, or nothing.
    pub total: Count,
}

/// In a few words: `current/size from 1 into data.records, total data.total`.
impl fmt::Display for Paging {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}/{} from {} into {}, ",
            self.page, self.size, self.first, self.items
        )?;
        match &self.total {
            Count::Rows(path) => write!(f, "total {path}"),
            Count::Pages(path) => write!(f, "pages {path}"),
            Count::Absent => f.write_str("no count"),
        }
    }
}

/// The keys the extension may have.
const KEYS: [&str; 6] = ["page", "size", "first", "items", "total", "pages"];

type Found<T> = Result<T, (String, Problem)>;

/// The paging `extension` says, if any, checked against the `request` schema (the body's,
/// absent for an operation without one) and the answer's `data` schema (`data`, absent for an
/// operation that returns nothing).
pub(crate) fn read(
    spec: &OpenAPI,
    extension: Option<&Value>,
    request: Option<&Schema>,
    data: Option<&ReferenceOr<Box<Schema>>>,
) -> Found<Option<Paging>> {
    let Some(extension) = extension else {
        return Ok(None);
    };
    let paging = shape(extension).ok_or((
        "/x-mm-paging".into(),
        Problem::Extension {
            name: "x-mm-paging",
            expected: "`{page, size, first, items}` and at most one of `total` or `pages`: \
                       `page` and `size` request fields, `first` 1 or 0, the others paths in \
                       the answer from `data` (`data.records`)"
                .into(),
        },
    ))?;

    for (key, field) in [("page", &paging.page), ("size", &paging.size)] {
        let integer = request
            .and_then(|request| property(spec, request, field))
            .is_some_and(is_integer);
        if !integer {
            return Err(wrong(
                key,
                format!("the request has no integer field `{field}`"),
            ));
        }
    }
    let Some(data) = data.and_then(|data| resolve(spec, data)) else {
        return Err(wrong(
            "items",
            "the operation's answer has no `data` (`x-mm-returns: nothing`)".into(),
        ));
    };
    let is_array = |schema: &Schema| matches!(schema.schema_kind, SchemaKind::Type(Type::Array(_)));
    if !follow(spec, data, &paging.items).is_some_and(is_array) {
        return Err(wrong(
            "items",
            format!("`{}` does not lead to an array in the answer", paging.items),
        ));
    }
    let (key, path) = match &paging.total {
        Count::Rows(path) => ("total", path),
        Count::Pages(path) => ("pages", path),
        Count::Absent => return Ok(Some(paging)),
    };
    if !follow(spec, data, path).is_some_and(is_integer) {
        return Err(wrong(
            key,
            format!("`{path}` does not lead to an integer in the answer"),
        ));
    }
    Ok(Some(paging))
}

fn wrong(key: &'static str, what: String) -> (String, Problem) {
    (
        format!("/x-mm-paging/{key}"),
        Problem::PagingField { key, what },
    )
}

/// The extension's value as [`Paging`], if it has the shape the module's documentation says.
fn shape(value: &Value) -> Option<Paging> {
    let map = value.as_object()?;
    if map.keys().any(|key| !KEYS.contains(&key.as_str())) {
        return None;
    }
    let text = |key: &str| map.get(key)?.as_str().filter(|text| !text.is_empty());
    let path = |key: &str| DataPath::parse(text(key)?);
    let total = match (map.contains_key("total"), map.contains_key("pages")) {
        (false, false) => Count::Absent,
        (true, false) => Count::Rows(path("total")?),
        (false, true) => Count::Pages(path("pages")?),
        (true, true) => return None,
    };
    Some(Paging {
        page: text("page")?.to_owned(),
        size: text("size")?.to_owned(),
        first: map
            .get("first")?
            .as_u64()
            .filter(|first| *first <= 1)
            .and_then(|first| u32::try_from(first).ok())?,
        items: path("items")?,
        total,
    })
}

/// The schema `path` leads to from `data`, through object fields.
fn follow<'a>(spec: &'a OpenAPI, data: &'a Schema, path: &DataPath) -> Option<&'a Schema> {
    path.fields()
        .iter()
        .try_fold(data, |schema, field| property(spec, schema, field))
}

/// Field `name` of object `schema`, resolved.
fn property<'a>(spec: &'a OpenAPI, schema: &'a Schema, name: &str) -> Option<&'a Schema> {
    match &schema.schema_kind {
        SchemaKind::Type(Type::Object(object)) => resolve(spec, object.properties.get(name)?),
        _ => None,
    }
}

fn is_integer(schema: &Schema) -> bool {
    matches!(schema.schema_kind, SchemaKind::Type(Type::Integer(_)))
}

/// `schema` with its `$ref`s followed, and the value branch taken of `anyOf` a value and
/// null (the spelling of a nullable object).
fn resolve<'a>(spec: &'a OpenAPI, schema: &'a ReferenceOr<Box<Schema>>) -> Option<&'a Schema> {
    let schema = match schema {
        ReferenceOr::Item(schema) => &**schema,
        ReferenceOr::Reference { reference } => component(spec, reference)?,
    };
    let SchemaKind::AnyOf { any_of } = &schema.schema_kind else {
        return Some(schema);
    };
    let mut values = any_of.iter().filter_map(|branch| {
        let branch = match branch {
            ReferenceOr::Item(item) => item,
            ReferenceOr::Reference { reference } => component(spec, reference)?,
        };
        (!crate::envelope::is_null(branch)).then_some(branch)
    });
    match (values.next(), values.next()) {
        (Some(value), None) => Some(value),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `POST /<id>`, paged as `paging` says, answered with the envelope `response`.
    fn operation(id: &str, paging: &str, response: &str) -> String {
        format!(
            "  /{id}:\n    post:\n      operationId: {id}\n      tags: [pages]\n      \
             x-mm-group: pages\n      x-mm-credential: none\n      x-mm-effect: read\n      \
             x-mm-paging: {paging}\n      requestBody:\n        content:\n          \
             application/json:\n            schema: {{$ref: '#/components/schemas/PageRequest'}}\n      \
             responses:\n        '200':\n          description: ok\n          content:\n            \
             application/json:\n              schema: {{$ref: '#/components/schemas/{response}'}}\n"
        )
    }

    /// The envelope `name` around `data`.
    fn envelope(name: &str, data: &str) -> String {
        format!(
            "    {name}:\n      type: object\n      properties:\n        msg: {{type: string}}\n        \
             fail: {{type: boolean}}\n        trace: {{type: string}}\n        code: {{type: string}}\n        \
             data: {data}\n        bizCode: {{type: string}}\n        tm: {{type: integer}}\n        \
             msgParams: {{nullable: true}}\n        ok: {{type: boolean}}\n"
        )
    }

    /// The paging of each operation.
    const PAGINGS: [(&str, &str, &str); 4] = [
        (
            "rows_and_total",
            "{page: current, size: size, first: 1, items: data.records, total: data.total}",
            "RowsResponse",
        ),
        (
            "rows_and_pages",
            "{page: current, size: size, first: 1, items: data.list, pages: data.totalPage}",
            "RowsResponse",
        ),
        (
            "rows_only",
            "{page: current, size: size, first: 0, items: data.page.records}",
            "RowsResponse",
        ),
        (
            "bare_list",
            "{page: current, size: size, first: 1, items: data}",
            "ListResponse",
        ),
    ];

    /// A spec with one operation of each paging style: rows beside the count of all, beside
    /// the count of pages, without a count (two fields down), and the data itself the rows.
    fn spec() -> String {
        let mut spec = "openapi: 3.0.3\ninfo: {title: Test, version: 0.1.0}\nx-mm-api: manager\n\
                        x-mm-headers: {trace: trace}\ntags: [{name: pages}]\npaths:\n"
            .to_owned();
        for (id, paging, response) in PAGINGS {
            spec.push_str(&operation(id, paging, response));
        }
        spec.push_str(
            "components:\n  schemas:\n    PageRequest:\n      type: object\n      properties:\n        \
             current: {type: integer, format: int32}\n        size: {type: integer, format: int64}\n    \
             Rows:\n      type: object\n      properties:\n        total: {type: integer}\n        \
             totalPage: {type: integer}\n        records: {type: array, items: {type: string}}\n        \
             list: {type: array, items: {type: string}}\n        \
             page: {$ref: '#/components/schemas/RowsAgain'}\n    \
             RowsAgain: {$ref: '#/components/schemas/Rows'}\n",
        );
        spec.push_str(&envelope(
            "RowsResponse",
            "{anyOf: [{$ref: '#/components/schemas/Rows'}, {type: string, nullable: true, enum: [null]}]}",
        ));
        spec.push_str(&envelope(
            "ListResponse",
            "{type: array, nullable: true, items: {type: string}}",
        ));
        spec
    }

    fn paging_of(spec: &str) -> Result<Vec<Paging>, String> {
        let spec = crate::parse(std::path::Path::new("openapi/test.yaml"), spec)
            .map_err(|e| e.to_string())?;
        let model = crate::model_of(&spec).map_err(|e| e.to_string())?;
        Ok(model
            .operations
            .into_iter()
            .filter_map(|op| op.paging)
            .collect())
    }

    fn path(fields: &[&str]) -> DataPath {
        DataPath(fields.iter().map(|f| (*f).to_owned()).collect())
    }

    #[test]
    fn each_style_is_read_into_its_fact() {
        let paging = paging_of(&spec()).unwrap();
        let facts: Vec<(u32, DataPath, Count)> = paging
            .iter()
            .map(|p| (p.first, p.items.clone(), p.total.clone()))
            .collect();
        assert_eq!(
            facts,
            [
                (1, path(&["records"]), Count::Rows(path(&["total"]))),
                (1, path(&["list"]), Count::Pages(path(&["totalPage"]))),
                (0, path(&["page", "records"]), Count::Absent),
                (1, path(&[]), Count::Absent),
            ]
        );
        assert!(
            paging
                .iter()
                .all(|p| p.page == "current" && p.size == "size")
        );
        assert_eq!(
            paging[0].to_string(),
            "current/size from 1 into data.records, total data.total"
        );
        assert_eq!(
            paging[3].to_string(),
            "current/size from 1 into data, no count"
        );
    }

    #[test]
    fn a_malformed_extension_is_refused() {
        let spec = spec();
        let line = PAGINGS[0].1;
        for broken in [
            "{page: current, size: size, first: 1, items: records, total: data.total}",
            "{page: current, size: size, first: 1, items: data..records, total: data.total}",
            "{page: current, size: size, first: 2, items: data.records, total: data.total}",
            "{page: current, size: size, items: data.records, total: data.total}",
            "{page: current, size: size, first: 1, items: data.records, total: data.total, pages: data.totalPage}",
            "{page: current, size: size, first: 1, rows: data.records}",
        ] {
            let error = paging_of(&spec.replacen(line, broken, 1)).unwrap_err();
            assert!(
                error
                    .contains("at /paths/~1rows_and_total/post/x-mm-paging: `x-mm-paging` must be"),
                "{broken}: {error}"
            );
        }
    }
}
