//! What the local server answers: the documented example envelopes, and a large customer page
//! built from the documented customer row.

use serde_json::{Value, json};

/// The documented `user_info` success envelope (Auth2).
pub const USER_INFO: &str = include_str!("../../openapi/examples/auth2/user_info.response.json");

/// The documented `login` success envelope (Client API).
pub const LOGIN: &str = include_str!("../../openapi/examples/client/login.response.json");

/// The documented `customer_list` envelope, whose one row is the template of the large page.
const CUSTOMER_LIST: &str =
    include_str!("../../openapi/examples/manager/customer_list.response.json");

/// Rows of the large customer page: about 1 MB of JSON.
pub const LARGE_PAGE_ROWS: usize = 1400;

/// A successful `customer_list` envelope with `rows` customers, each the documented row with
/// every field filled with a distinct, realistic value (the documented row holds only `""` and
/// `0`, which would make decoding unrealistically cheap).
pub fn customer_page(rows: usize) -> Vec<u8> {
    let documented: Value =
        serde_json::from_str(CUSTOMER_LIST).expect("the documented customer_list example is JSON");
    let template = &documented["data"]["records"][0];
    let records: Vec<Value> = (0..rows).map(|i| customer_row(template, i)).collect();
    let envelope = json!({
        "msg": "Success",
        "fail": false,
        "trace": "x-25h47h2-l48dy-ssxh0o1-88471-1678261704",
        "code": "0",
        "data": {"current": 1, "records": records, "size": rows, "total": rows * 10},
        "bizCode": "",
        "tm": 76220395,
        "msgParams": null,
        "ok": true,
    });
    serde_json::to_vec(&envelope).expect("a JSON value serializes")
}

/// The documented row with its fields filled for customer `i`: strings get a value of the
/// documented shape, numbers a plausible id or millisecond timestamp, and every fourth optional
/// text field is `null` as upstream sends for unset fields.
fn customer_row(template: &Value, i: usize) -> Value {
    let fields = template
        .as_object()
        .expect("the documented customer row is an object");
    let i64_i = i as i64;
    let row = fields
        .iter()
        .map(|(name, documented)| {
            let value = match (name.as_str(), documented) {
                ("customerNo", _) => json!(format!("{}", 86_000_000 + i)),
                ("email", _) => json!(format!("customer{i}@example.com")),
                ("phone", _) => json!(format!("135{:08}", i)),
                ("phoneArea", _) => json!("+86"),
                ("companyId", _) => json!(421),
                ("id", _) => json!(1000 + i64_i),
                (_, Value::Number(_)) if name.ends_with("Time") => {
                    json!(1_648_777_706_117_i64 + i64_i * 86_400_000)
                }
                (_, Value::Number(_)) => json!(i64_i % 5),
                (_, Value::String(_)) if i % 4 == 3 => Value::Null,
                (_, Value::String(_)) => json!(format!("{name}-{i}")),
                (_, other) => other.clone(),
            };
            (name.clone(), value)
        })
        .collect();
    Value::Object(row)
}
