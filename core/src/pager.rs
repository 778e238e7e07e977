//! Every page of a paged operation, one call each: the request sent again with the next page
//! number, until the answer's count is reached, or, where it has none, a page comes back
//! shorter than the page size.

use std::marker::PhantomData;
use std::time::Duration;

use bytes::Bytes;
use futures::stream::{self, Stream, StreamExt};
use serde::de::{DeserializeOwned, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::access::{ClientAccess, Sent};
use crate::call::Slot;
use crate::decode::decode;
use crate::error::{Error, ErrorKind};
use crate::execute::Args;
use crate::locale::Locale;
use crate::open_api_sign::OpenApiKey;
use crate::operation::{Count, Operation, Paging};
use crate::retry::RetryPolicy;
use crate::runtime::Runtime;
use crate::secret::ManagerToken;

/// Every page of a paged operation, as [`pages`](Pager::pages) or as the rows of them all,
/// [`items`](Pager::items). `T` is the operation's data (a page), `I` a row.
///
/// The request's own page number is where it starts (the first page when it has none), and
/// its page size is kept ([`DEFAULT_PAGE_SIZE`](Pager::DEFAULT_PAGE_SIZE) when it has none).
/// It stops after the last page the answers count, or, where they count nothing, after a page
/// shorter than the size. Each page is one call, made with the options set here (the same as
/// a [`Call`](crate::Call)'s) and retried as the operation's calls are; the first failure ends
/// the stream after its `Err`.
#[must_use = "a pager sends nothing until its stream is polled"]
pub struct Pager<'a, T, I> {
    runtime: &'a Runtime,
    op: Sent<'a>,
    token: Option<&'a str>,
    arguments: Vec<Option<&'a str>>,
    request: Result<Map<String, Value>, Error>,
    options: Slot<'a>,
    data: PhantomData<fn() -> (T, I)>,
}

impl<T, I> std::fmt::Debug for Pager<'_, T, I> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The request may hold secrets: not shown.
        f.debug_struct("Pager")
            .field("operation", &self.op.id)
            .finish_non_exhaustive()
    }
}

/// Where a pager is between pages.
struct Cursor<'a> {
    runtime: &'a Runtime,
    op: Sent<'a>,
    paging: &'a Paging,
    token: Option<&'a str>,
    arguments: Vec<Option<&'a str>>,
    options: Slot<'a>,
    request: Map<String, Value>,
    /// The number of the next page.
    page: u64,
    size: u64,
    /// The rows counted so far, those of the pages before the start page included.
    rows: u64,
    done: bool,
}

impl<T, I> Pager<'_, T, I> {
    /// The page size asked for when the request sets none.
    pub const DEFAULT_PAGE_SIZE: u64 = 50;
}

impl<'a, T, I> Pager<'a, T, I>
where
    T: DeserializeOwned + Send + 'a,
    I: DeserializeOwned + Send + 'a,
{
    /// The pages of `op` from `body`, authenticated by `token` where the operation takes one
    /// per call: what the generated `_pages` methods make.
    #[doc(hidden)]
    pub fn new<B: Serialize + ?Sized>(
        runtime: &'a Runtime,
        op: &'a Operation<'a>,
        token: Option<&'a str>,
        arguments: Vec<Option<&'a str>>,
        body: &B,
    ) -> Self {
        let request = match serde_json::to_value(body) {
            Ok(Value::Object(map)) => Ok(map),
            Ok(_) => Err(invalid(op, "a paged request is a JSON object".into())),
            Err(e) => Err(invalid(
                op,
                format!("the request body cannot be written as JSON: {e}"),
            )),
        };
        Self {
            runtime,
            op: Sent::Static(op),
            token,
            arguments,
            request,
            options: Slot::default(),
            data: PhantomData,
        }
    }

    /// The pages of `op` from a JSON body read through the operation's request type, as
    /// [`Call::json`](crate::Call::json) reads it: what tools use to page any operation.
    #[doc(hidden)]
    pub fn json(
        runtime: &'a Runtime,
        op: &'a Operation<'a>,
        token: Option<&'a str>,
        arguments: Vec<Option<&'a str>>,
        json: &[u8],
    ) -> Self {
        let request =
            op.request_from_json(json)
                .and_then(|bytes| match serde_json::from_slice(&bytes) {
                    Ok(Value::Object(map)) => Ok(map),
                    _ => Err(invalid(op, "a paged request is a JSON object".into())),
                });
        Self {
            runtime,
            op: Sent::Static(op),
            token,
            arguments,
            request,
            options: Slot::default(),
            data: PhantomData,
        }
    }

    /// The pages of `op`, an operation a customer's login or an Open API key may
    /// authenticate, as `access` chooses: what the generated `_pages` methods of such
    /// operations make.
    #[doc(hidden)]
    pub fn client<B: Serialize + ?Sized>(
        runtime: &'a Runtime,
        op: &'a Operation<'a>,
        access: ClientAccess<'a>,
        arguments: Vec<Option<&'a str>>,
        body: &B,
    ) -> Self {
        let mut pager = Self::new(runtime, op, None, arguments, body);
        match pager.op.choose(access) {
            Ok((chosen, login)) => {
                pager.op = chosen;
                pager.token = login;
            }
            Err(error) => pager.request = Err(error.with_operation(op.id)),
        }
        pager
    }

    crate::call::call_options!();

    /// Every page, in order.
    pub fn pages(self) -> impl Stream<Item = Result<T, Error>> + Send + 'a {
        self.rows_and_pages().map(|page| page.map(|(data, _)| data))
    }

    /// Every row of every page, in order.
    pub fn items(self) -> impl Stream<Item = Result<I, Error>> + Send + 'a {
        self.rows_and_pages()
            .map(|page| match page {
                Ok((_, rows)) => stream::iter(rows.into_iter().map(Ok)).left_stream(),
                Err(error) => stream::once(async { Err(error) }).right_stream(),
            })
            .flatten()
    }

    fn rows_and_pages(self) -> impl Stream<Item = Result<(T, Vec<I>), Error>> + Send + 'a {
        let start = self.start();
        stream::unfold(start, |cursor| async move {
            let mut cursor = match cursor {
                Ok(cursor) if !cursor.done => cursor,
                Ok(_) => return None,
                // The error once, then the end.
                Err(Some(error)) => return Some((Err(error), Err(None))),
                Err(None) => return None,
            };
            match cursor.next::<T, I>().await {
                Ok(page) => Some((Ok(page), Ok(cursor))),
                Err(error) => Some((Err(error), Err(None))),
            }
        })
    }

    fn start(self) -> Result<Cursor<'a>, Option<Error>> {
        let paging = self
            .op
            .paging
            .ok_or_else(|| invalid(&self.op, "the operation does not page".into()))?;
        let request = self.request?;
        let number = |field: &str| -> Result<Option<u64>, Error> {
            match request.get(field) {
                None | Some(Value::Null) => Ok(None),
                Some(value) => value.as_u64().map(Some).ok_or_else(|| {
                    invalid(
                        &self.op,
                        format!("the request's `{field}` is not a page number or size: {value}"),
                    )
                }),
            }
        };
        let page = number(paging.page)?
            .unwrap_or(paging.first)
            .max(paging.first);
        let size = number(paging.size)?;
        let mut request = request;
        let size = match size {
            Some(0) => {
                return Err(
                    invalid(&self.op, format!("the request's `{}` is 0", paging.size)).into(),
                );
            }
            Some(size) => size,
            None => {
                request.insert(paging.size.to_owned(), Value::from(Self::DEFAULT_PAGE_SIZE));
                Self::DEFAULT_PAGE_SIZE
            }
        };
        Ok(Cursor {
            runtime: self.runtime,
            op: self.op,
            paging,
            token: self.token,
            arguments: self.arguments,
            options: self.options,
            request,
            page,
            size,
            rows: (page - paging.first) * size,
            done: false,
        })
    }
}

impl Cursor<'_> {
    /// Fetches the cursor's page, and moves past it.
    async fn next<T: DeserializeOwned + Send, I: DeserializeOwned + Send>(
        &mut self,
    ) -> Result<(T, Vec<I>), Error> {
        self.request
            .insert(self.paging.page.to_owned(), Value::from(self.page));
        let body = serde_json::to_vec(&self.request)
            .map_err(|e| invalid(&self.op, format!("the request cannot be written: {e}")))?;
        let mut page = None;
        let mut read = |body: &[u8], op: &Operation<'_>| {
            page = Some(read_page::<T, I>(body, op)?);
            Ok(())
        };
        let args = Args {
            token: self.token,
            arguments: &self.arguments,
            extra_query: &[],
        };
        self.runtime
            .execute(
                &self.op,
                &args,
                self.options.get(),
                Bytes::from(body),
                &mut read,
            )
            .await?;
        let (data, rows, count) = page.ok_or_else(|| Error::new(ErrorKind::MissingData))?;
        self.rows += rows.len() as u64;
        self.page += 1;
        // A short page is the last whatever the count says; a full one is, when the count
        // says so.
        let short = (rows.len() as u64) < self.size;
        self.done = short
            || match (self.paging.count, count) {
                (Count::Rows(_), Some(total)) => self.rows >= total,
                (Count::Pages(_), Some(pages)) => self.page - self.paging.first >= pages,
                _ => false,
            };
        Ok((data, rows))
    }
}

/// A page's data, its rows and its count, from one answer, each read from the answer's text
/// (so that money in the rows is read exactly, as in the data).
fn read_page<T: DeserializeOwned, I: DeserializeOwned>(
    body: &[u8],
    op: &Operation<'_>,
) -> Result<(T, Vec<I>, Option<u64>), Error> {
    // The envelope opened: an API error, or the data.
    let data = decode::<T>(body, op)?;
    let paging = op.paging.ok_or(ErrorKind::MissingData)?;
    let rows = at::<Vec<I>>(body, paging.items)
        .map_err(|e| decode_error(paging.items, &e))?
        .unwrap_or_default();
    let count = match paging.count {
        // A count that is not one counts nothing: the short page ends the stream.
        Count::Rows(path) | Count::Pages(path) => at::<Value>(body, path)
            .ok()
            .flatten()
            .as_ref()
            .and_then(count_of),
        Count::Absent => None,
    };
    Ok((data, rows, count))
}

/// What is at `path` (object keys) in the `data` of the answer `body`, read as `V`; `None`
/// where a key is absent or a value on the way is `null`.
fn at<V: DeserializeOwned>(body: &[u8], path: &[&str]) -> Result<Option<V>, serde_json::Error> {
    let path: Vec<&str> = std::iter::once("data")
        .chain(path.iter().copied())
        .collect();
    let mut de = serde_json::Deserializer::from_slice(body);
    let found = Seek::<V> {
        path: &path,
        found: PhantomData,
    }
    .deserialize(&mut de)?;
    de.end()?;
    Ok(found)
}

/// Reads the value at `path` as `V`, and skips everything else.
struct Seek<'p, V> {
    path: &'p [&'p str],
    found: PhantomData<fn() -> V>,
}

impl<'de, V: DeserializeOwned> DeserializeSeed<'de> for Seek<'_, V> {
    type Value = Option<V>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Option<V>, D::Error> {
        match self.path.split_first() {
            None => Option::<V>::deserialize(deserializer),
            Some((key, rest)) => deserializer.deserialize_any(SeekIn {
                key,
                rest: Seek {
                    path: rest,
                    found: PhantomData,
                },
            }),
        }
    }
}

/// An object, in which the value of `key` is read by `rest`.
struct SeekIn<'p, V> {
    key: &'p str,
    rest: Seek<'p, V>,
}

impl<'de, V: DeserializeOwned> Visitor<'de> for SeekIn<'_, V> {
    type Value = Option<V>;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "an object with `{}`, or null", self.key)
    }

    fn visit_unit<E: serde::de::Error>(self) -> Result<Option<V>, E> {
        Ok(None)
    }

    fn visit_none<E: serde::de::Error>(self) -> Result<Option<V>, E> {
        Ok(None)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Option<V>, A::Error> {
        let (mut rest, mut found) = (Some(self.rest), None);
        while let Some(key) = map.next_key::<String>()? {
            match rest.take() {
                Some(seed) if key == self.key => found = map.next_value_seed(seed)?,
                other => {
                    rest = other;
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(found)
    }
}

/// A count as upstream writes it: a number, or a string of digits.
fn count_of(value: &Value) -> Option<u64> {
    value
        .as_u64()
        .or_else(|| value.as_str().and_then(|text| text.parse().ok()))
}

fn decode_error(path: &[&str], e: &serde_json::Error) -> Error {
    let mut at = String::from("data");
    for field in path {
        at.push('.');
        at.push_str(field);
    }
    ErrorKind::Decode {
        path: at,
        message: e.to_string(),
    }
    .into()
}

fn invalid(op: &Operation<'_>, why: String) -> Error {
    Error::new(ErrorKind::InvalidInput(why)).with_operation(op.id)
}
