//! Paging as each paged operation's `x-mm-paging` states it (openapi/README.md, "Paging"):
//! which page a request asks for, and the answer that carries that page of a list of rows,
//! counted where the operation's answer counts. The one paging code of the sandbox: a model's
//! rows and the rows made from an operation's examples go through it alike.

use serde_json::{Map, Value};

use crate::envelope::Failure;

/// The most rows one page holds: the Manager docs' limit for `customer_list`, applied to every
/// paged operation.
const MAX_SIZE: usize = 2000;
/// The rows of a page when the request does not say: the Manager docs' default for
/// `customer_list`, applied to every paged operation.
const DEFAULT_SIZE: usize = 20;

/// What a paged answer counts, at which fields of its `data`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Count {
    /// Every page's rows together (`total`).
    Rows(Vec<String>),
    /// The pages (`pages`).
    Pages(Vec<String>),
    /// Nothing: a client stops at the first page shorter than its size.
    Absent,
}

/// How an operation pages: its `x-mm-paging`, and what its spec's answer schema adds.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Paging {
    /// The request field holding the page's number.
    pub(crate) page: String,
    /// The request field holding the page's size.
    pub(crate) size: String,
    /// The first page's number.
    pub(crate) first: i64,
    /// The fields from the answer's `data` to its rows (none: `data` is the list of rows).
    pub(crate) items: Vec<String>,
    /// What the answer counts.
    pub(crate) count: Count,
    /// Of the request's page and size fields, those the answer's object holding the rows
    /// has too (upstream's page objects repeat them): the answer sets them to the page's.
    pub(crate) echoed: Vec<String>,
    /// A row as the answer's schema describes it: what the rows of an operation answered from
    /// its examples are made from when no example shows one.
    pub(crate) schema_row: Value,
}

/// The page a request asks for: the rows from `skip` on, `size` of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Page {
    number: i64,
    size: usize,
    skip: usize,
}

impl Paging {
    /// The facts of `extension`, an operation's `x-mm-paging`: `{page, size, first, items}` and
    /// `total` or `pages` (paths from the envelope, so starting with `data`). `echoed` and
    /// `schema_row` start empty.
    pub(crate) fn from_extension(extension: &Value) -> Result<Self, String> {
        let text = |name: &str| {
            extension
                .get(name)
                .and_then(Value::as_str)
                .ok_or_else(|| format!("`x-mm-paging` has no `{name}`"))
        };
        let path = |name: &str| -> Result<Vec<String>, String> {
            let path = text(name)?;
            let mut fields = path.split('.');
            match fields.next() {
                Some("data") => Ok(fields.map(str::to_owned).collect()),
                _ => Err(format!(
                    "`x-mm-paging` `{name}` {path:?} does not start at `data`"
                )),
            }
        };
        let count = match (extension.get("total"), extension.get("pages")) {
            (Some(_), None) => Count::Rows(path("total")?),
            (None, Some(_)) => Count::Pages(path("pages")?),
            (None, None) => Count::Absent,
            (Some(_), Some(_)) => return Err("`x-mm-paging` has both `total` and `pages`".into()),
        };
        Ok(Self {
            page: text("page")?.to_owned(),
            size: text("size")?.to_owned(),
            first: extension
                .get("first")
                .and_then(Value::as_i64)
                .ok_or("`x-mm-paging` has no integer `first`")?,
            items: path("items")?,
            count,
            echoed: Vec::new(),
            schema_row: Value::Null,
        })
    }

    /// The rows at `items` of `data` (a documented answer's), if it has them.
    pub(crate) fn rows_of<'a>(&self, data: &'a Value) -> Option<&'a Vec<Value>> {
        self.items
            .iter()
            .try_fold(data, |value, field| value.get(field))?
            .as_array()
    }

    /// The answer to `request` for a list of `rows`: `template` (the data of the documented
    /// answer) with the asked page of the rows at `items`, the count where the operation has
    /// one, and the page's number and size in the fields that repeat them.
    pub(crate) fn answer(
        &self,
        request: &Value,
        template: &Value,
        rows: Vec<Value>,
    ) -> Result<Value, Failure> {
        let page = self.page_of(request)?;
        let total = rows.len();
        let rows: Vec<Value> = rows.into_iter().skip(page.skip).take(page.size).collect();
        let mut data = template.clone();
        match &self.count {
            Count::Rows(path) => put(&mut data, path, Value::from(total)),
            Count::Pages(path) => put(&mut data, path, Value::from(total.div_ceil(page.size))),
            Count::Absent => {}
        }
        let holder: &[String] = self.items.split_last().map_or(&[], |(_, up)| up);
        for field in &self.echoed {
            let value = if *field == self.page {
                Value::from(page.number)
            } else {
                Value::from(page.size)
            };
            put(
                &mut data,
                &[holder, std::slice::from_ref(field)].concat(),
                value,
            );
        }
        put(&mut data, &self.items, Value::Array(rows));
        Ok(data)
    }

    /// The page `request` asks for. A missing number is the first page, and so is a number
    /// before it (upstream's examples ask for page 0 of pages counted from 1); a missing size,
    /// or 0 (upstream's examples again), is [`DEFAULT_SIZE`]. Anything else that is not a
    /// page of 1 to [`MAX_SIZE`] rows is refused.
    fn page_of(&self, request: &Value) -> Result<Page, Failure> {
        let field = |name: &str| -> Result<Option<i64>, Failure> {
            match request.get(name) {
                None | Some(Value::Null) => Ok(None),
                Some(value) => value.as_i64().map(Some).ok_or_else(|| {
                    Failure::invalid(format!("`{name}` is not a whole number: {value}"))
                }),
            }
        };
        let number = field(&self.page)?.unwrap_or(self.first).max(self.first);
        let size = match field(&self.size)? {
            None | Some(0) => DEFAULT_SIZE,
            Some(size) => usize::try_from(size)
                .ok()
                .filter(|size| *size <= MAX_SIZE)
                .ok_or_else(|| {
                    Failure::invalid(format!("`{}` must be 1 to {MAX_SIZE}", self.size))
                })?,
        };
        // A page beyond every list is an empty one.
        let skip = usize::try_from(number - self.first)
            .ok()
            .and_then(|index| index.checked_mul(size))
            .unwrap_or(usize::MAX);
        Ok(Page { number, size, skip })
    }
}

/// Sets the field at `path` of `data` to `value`, making each object on the way that is not
/// one yet; an empty path replaces `data`.
fn put(data: &mut Value, path: &[String], value: Value) {
    let Some((last, up)) = path.split_last() else {
        *data = value;
        return;
    };
    let mut at = data;
    for field in up {
        at = object(at).entry(field.clone()).or_insert(Value::Null);
    }
    object(at).insert(last.clone(), value);
}

/// `value` as an object, made an empty one first if it is not.
fn object(value: &mut Value) -> &mut Map<String, Value> {
    if !value.is_object() {
        *value = Value::Object(Map::new());
    }
    match value {
        Value::Object(map) => map,
        _ => unreachable!("just made an object"),
    }
}

/// Whether `time` is within `[start, end]` (a query's `startTime` and `endTime`), either end
/// open when not given.
pub(crate) fn within(time: i64, start: Option<i64>, end: Option<i64>) -> bool {
    start.is_none_or(|s| time >= s) && end.is_none_or(|e| time <= e)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn paging(extension: Value) -> Paging {
        Paging::from_extension(&extension).expect("paging facts")
    }

    fn records() -> Paging {
        let mut paging = paging(json!({
            "page": "current", "size": "size", "first": 1,
            "items": "data.records", "total": "data.total",
        }));
        paging.echoed = vec!["current".into(), "size".into()];
        paging
    }

    fn numbers(count: i64) -> Vec<Value> {
        (1..=count).map(Value::from).collect()
    }

    #[test]
    fn a_page_is_cut_counted_and_numbered_into_the_documented_answer() {
        let template = json!({"records": [], "total": 0, "current": 0, "size": 0, "orders": []});
        let answer = records()
            .answer(&json!({"current": 2, "size": 3}), &template, numbers(10))
            .expect("a page");
        assert_eq!(
            answer,
            json!({"records": [4, 5, 6], "total": 10, "current": 2, "size": 3, "orders": []})
        );
    }

    #[test]
    fn the_first_page_and_the_default_size_stand_in_for_what_is_missing_or_zero() {
        let paging = records();
        for request in [
            json!({}),
            json!({"current": 0, "size": 0}),
            json!({"size": null}),
        ] {
            let answer = paging
                .answer(&request, &json!({}), numbers(30))
                .expect("a page");
            assert_eq!(answer["records"], json!(numbers(20)), "{request}");
            assert_eq!(answer["current"], 1, "{request}");
        }
        let beyond = paging.answer(
            &json!({"current": i64::MAX, "size": 2000}),
            &json!({}),
            numbers(3),
        );
        assert_eq!(beyond.expect("a page")["records"], json!([]));
    }

    #[test]
    fn sizes_and_numbers_that_are_not_pages_are_refused() {
        let paging = records();
        for request in [
            json!({"size": 2001}),
            json!({"size": -1}),
            json!({"size": "10"}),
            json!({"current": 1.5}),
        ] {
            assert!(
                paging.answer(&request, &json!({}), numbers(3)).is_err(),
                "{request}"
            );
        }
    }

    #[test]
    fn pages_are_counted_where_the_answer_counts_pages_and_a_bare_list_is_the_data() {
        let pages = paging(json!({
            "page": "current", "size": "size", "first": 1,
            "items": "data.list", "pages": "data.totalPage",
        }));
        let answer = pages
            .answer(
                &json!({"current": 3, "size": 10}),
                &Value::Null,
                numbers(25),
            )
            .expect("a page");
        assert_eq!(answer, json!({"list": numbers(25)[20..], "totalPage": 3}));

        let bare = paging(json!({"page": "current", "size": "size", "first": 1, "items": "data"}));
        assert_eq!(bare.count, Count::Absent);
        let answer = bare
            .answer(&json!({"current": 2, "size": 4}), &json!([]), numbers(5))
            .expect("a page");
        assert_eq!(answer, json!([5]));
    }

    #[test]
    fn facts_that_are_not_paging_are_refused() {
        for extension in [
            json!({"page": "current", "size": "size", "first": 1}),
            json!({"page": "current", "size": "size", "first": 1, "items": "records"}),
            json!({"page": "current", "size": "size", "items": "data"}),
            json!({
                "page": "current", "size": "size", "first": 1, "items": "data.records",
                "total": "data.total", "pages": "data.pages",
            }),
        ] {
            assert!(Paging::from_extension(&extension).is_err(), "{extension}");
        }
    }
}
