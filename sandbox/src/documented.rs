//! The operations without a stateful model: each is answered from its spec, its credential
//! checked as the spec says, with the `data` of its first documented successful example; a
//! paged one holds [`ROWS`] rows made from its documented row, and answers them by pages.

use serde_json::Value;

use crate::context::{Call, Shared};
use crate::envelope::Failure;
use crate::spec::{Operation, Request};
use crate::{client_api, examples, manager_api, open_api};

/// How many rows a paged operation answered from its examples holds: pages of ten (what a
/// client walking them is tested with) come out two full and one short.
pub(crate) const ROWS: usize = 25;

/// An operation without a stateful model: its credential checked as the spec says, then
/// the `data` of its first documented successful answer. One without such an example is
/// answered as upstream answers an interface it has not opened.
pub(crate) fn answer(
    shared: &Shared,
    operation: &Operation,
    call: &Call<'_>,
) -> Result<Value, Failure> {
    check(shared, operation, call)?;
    data(operation)
        .cloned()
        .ok_or_else(|| Failure::not_open(operation.api, &operation.id))
}

/// Every row of a paged operation without a stateful model, its call checked as [`answer`]
/// checks it: [`ROWS`] of them, the same on every call (see [`numbered`]).
pub(crate) fn rows(
    shared: &Shared,
    operation: &Operation,
    call: &Call<'_>,
) -> Result<Vec<Value>, Failure> {
    check(shared, operation, call)?;
    fixed_rows(operation)
}

/// The data of the first documented successful answer of `operation`, if it has one.
pub(crate) fn data(operation: &Operation) -> Option<&'static Value> {
    examples::first_success(operation.examples.iter().map(String::as_str))
}

/// The rows of paged `operation`: the first row of its documented answer, or, where that
/// lists none, the row its schema describes, made [`ROWS`] distinct rows by [`numbered`].
fn fixed_rows(operation: &Operation) -> Result<Vec<Value>, Failure> {
    let data = data(operation).ok_or_else(|| Failure::not_open(operation.api, &operation.id))?;
    let paging = operation
        .paging
        .as_ref()
        .ok_or_else(|| Failure::invalid(format!("`{}` does not page", operation.id)))?;
    let row = paging
        .rows_of(data)
        .and_then(|rows| rows.first())
        .unwrap_or(&paging.schema_row);
    Ok((0..ROWS).map(|index| numbered(row, index)).collect())
}

/// Row `index` (from 0) of a list made from `row`: `row` itself first, then `row` with
/// `index` added to each of its id-like fields (`id`, and every name ending in `Id` or `No`
/// but `companyId`, the sandbox's one company): to a number, to a string of digits as a number
/// of as many digits at least (a customer number `86001175` becomes `86001176`), and to any
/// other string as `-<index>` appended. Fields that are null are left so.
fn numbered(row: &Value, index: usize) -> Value {
    let mut row = row.clone();
    if index > 0
        && let Value::Object(fields) = &mut row
    {
        for (_, value) in fields.iter_mut().filter(|(name, _)| is_id_like(name)) {
            *value = plus(value, index);
        }
    }
    row
}

fn is_id_like(name: &str) -> bool {
    name != "companyId" && (name == "id" || name.ends_with("Id") || name.ends_with("No"))
}

/// `value` with `index` added, as [`numbered`] says.
fn plus(value: &Value, index: usize) -> Value {
    let step = i64::try_from(index).unwrap_or(i64::MAX);
    match value {
        Value::Number(number) => match number.as_i64() {
            Some(number) => Value::from(number.saturating_add(step)),
            None => Value::from(number.as_f64().unwrap_or_default() + step as f64),
        },
        Value::String(text) => {
            let digits = !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit());
            match text.parse::<u128>() {
                Ok(number) if digits => {
                    let sum = number.saturating_add(index as u128);
                    Value::from(format!("{sum:0width$}", width = text.len()))
                }
                _ => Value::from(format!("{text}-{index}")),
            }
        }
        other => other.clone(),
    }
}

/// The checks of a call without a model: its body's shape, its required query parameters,
/// and its credential as its spec says.
fn check(shared: &Shared, operation: &Operation, call: &Call<'_>) -> Result<(), Failure> {
    match operation.request {
        Request::Json => drop(call.body::<Value>()?),
        Request::Multipart => check_multipart(call)?,
        Request::None => {}
    }
    for name in &operation.required_query {
        if call.query(name).is_none_or(|value| value.is_empty()) {
            return Err(Failure::invalid(format!(
                "the query parameter `{name}` is missing"
            )));
        }
    }
    match operation.credential.as_str() {
        "manager-token" => manager_api::check_token(shared, call)?,
        "open-api-signature" => drop(open_api::verify(shared, call)?),
        "client-login" => drop(client_api::signed_in(shared, call)?),
        _ => {}
    }
    Ok(())
}

/// A multipart body: its content type names a boundary and the body holds its parts.
fn check_multipart(call: &Call<'_>) -> Result<(), Failure> {
    let boundary = call
        .header("content-type")
        .and_then(|value| value.strip_prefix("multipart/form-data; boundary="))
        .ok_or_else(|| Failure::invalid("the body is not multipart/form-data"))?;
    let closing = format!("--{boundary}--");
    if call
        .body
        .windows(closing.len())
        .any(|window| window == closing.as_bytes())
    {
        Ok(())
    } else {
        Err(Failure::invalid("the multipart body is not closed"))
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn rows_are_numbered_in_their_id_like_fields() {
        let row = json!({
            "id": 7, "orderId": "A1", "customerNo": "0086", "companyId": 421, "dealNo": null,
            "name": "x", "price": 1.5,
        });
        assert_eq!(numbered(&row, 0), row);
        assert_eq!(
            numbered(&row, 12),
            json!({
                "id": 19, "orderId": "A1-12", "customerNo": "0098", "companyId": 421,
                "dealNo": null, "name": "x", "price": 1.5,
            })
        );
    }

    #[test]
    fn every_paged_operation_has_distinct_rows_made_from_its_documentation() {
        let operations = crate::spec::operations().expect("the embedded specs");
        let paged: Vec<&Operation> = operations
            .values()
            .filter(|op| op.paging.is_some())
            .collect();
        assert!(paged.len() >= 40, "{} paged operations", paged.len());
        for operation in paged {
            let rows = fixed_rows(operation).expect("rows");
            let mut distinct: Vec<String> = rows.iter().map(Value::to_string).collect();
            distinct.sort();
            distinct.dedup();
            assert_eq!(distinct.len(), ROWS, "`{}`: {:#}", operation.id, rows[0]);
        }
    }
}
