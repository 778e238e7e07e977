//! What the local server answers: the documented example envelopes, and a large customer page
//! built from the documented customer row; and, for decoding alone, a large positions page
//! built from the documented position row.

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

/// The documented Manager `query_position_page` envelope, whose one row is the template of the
/// large positions page.
const POSITION_PAGE: &str =
    include_str!("../../openapi/examples/manager-admin/query_position_page.response.json");

/// Fields of a position row (`QueryPositionPageDataItem`) that the documented row leaves out:
/// the large page fills them too, as a full row from upstream would.
const UNDOCUMENTED_POSITION_FIELDS: [&str; 7] = [
    "closeFreeDigits",
    "margin",
    "minVolume",
    "profit",
    "remark",
    "source",
    "thirdPartyOrder",
];

/// The money fields of a position row (16 of its 36 fields; `Decimal` in the SDK, `String` in
/// the baseline).
pub const POSITION_MONEY_FIELDS: [&str; 16] = [
    "closeFee",
    "closeNum",
    "closePrice",
    "closeVolume",
    "margin",
    "minVolume",
    "openFee",
    "openMargin",
    "openNum",
    "openPrice",
    "profit",
    "stopLoss",
    "stopLossDecimal",
    "takeProfit",
    "takeProfitDecimal",
    "volume",
];

/// The money fields of [`POSITION_MONEY_FIELDS`] the large page sends as JSON numbers
/// (`12.5`), as upstream sends some amounts; the others are strings (`"12.50"`).
pub const POSITION_NUMBER_FIELDS: [&str; 5] =
    ["margin", "openMargin", "profit", "stopLoss", "takeProfit"];

/// Rows of the large positions page: about 1.1 MB of JSON (over 1 MiB).
pub const POSITION_PAGE_ROWS: usize = 1500;

/// The instruments the positions are in: name, id, price digits, contract size, account
/// digits, and a price in units of the last digit.
const INSTRUMENTS: [(&str, i64, u32, i64, u32, i64); 6] = [
    ("EUR/USD", 810, 5, 100_000, 2, 108_345),
    ("GBP/USD", 811, 5, 100_000, 2, 126_912),
    ("USD/JPY", 812, 3, 100_000, 2, 151_274),
    ("XAU/USD", 1352, 3, 100, 2, 1_939_880),
    ("BTC/USDT", 967, 2, 1, 4, 6_712_345),
    ("AXS/USDT", 968, 3, 1, 4, 7_050),
];

/// A successful `query_position_page` envelope (Manager API) with `rows` positions, each the
/// documented row plus the fields it leaves out, every field filled with a distinct, realistic
/// value: prices, quantities, fees, margins and profits (some negative), of the scales
/// upstream uses; [`POSITION_NUMBER_FIELDS`] as JSON numbers, the other money fields as
/// strings; every fourth remark and third-party order id `null`.
pub fn position_page(rows: usize) -> Vec<u8> {
    let documented: Value = serde_json::from_str(POSITION_PAGE)
        .expect("the documented query_position_page example is JSON");
    let template = documented["data"][0]
        .as_object()
        .expect("the documented position row is an object");
    let names: Vec<&str> = template
        .keys()
        .map(String::as_str)
        .chain(UNDOCUMENTED_POSITION_FIELDS)
        .collect();
    let records: Vec<Value> = (0..rows).map(|i| position_row(&names, i)).collect();
    let envelope = json!({
        "msg": "Success",
        "fail": false,
        "trace": "x-00d1c642-3c96-4b00-abcc-ad16569658d4-1669277642254",
        "code": "0",
        "data": records,
        "bizCode": "C",
        "tm": 16,
        "msgParams": null,
        "ok": true,
    });
    serde_json::to_vec(&envelope).expect("a JSON value serializes")
}

/// Position `i`, with the fields `names`.
fn position_row(names: &[&str], i: usize) -> Value {
    let (symbol, symbol_id, digits, contract_size, account_digits, price) =
        INSTRUMENTS[i % INSTRUMENTS.len()];
    let n = i as i64;
    let buy = i.is_multiple_of(2);
    let sign = if buy { 1 } else { -1 };
    let open_price = price + (n * 37 % 2001) - 1000;
    let close_price = open_price + (n * 53 % 801) - 400;
    // Lots in hundredths: 0.01 to 5.00; every third position partly closed.
    let lots = n * 7 % 500 + 1;
    let closed = if i.is_multiple_of(3) { lots / 2 } else { 0 };
    let open_time = 1_700_000_000_000 + n * 61_237;
    let protected = i % 5 != 4;
    let distance = 200 + n % 300;
    let account = |units: i64| fixed(units, account_digits);
    let at_price = |units: i64| fixed(units, digits);
    let row = names
        .iter()
        .map(|&name| {
            let value = match name {
                "symbolId" => json!(symbol_id),
                "symbolName" => json!(symbol),
                "orderId" => json!(24_153_319 + n),
                "dealId" => json!(13_394_059 + n),
                "positionId" => json!(2_022_122_620_993 + n),
                "direction" => json!(if buy { 1 } else { 2 }),
                "openTime" => json!(open_time),
                "closeTime" => json!(if closed > 0 {
                    open_time + 3_600_000 + n
                } else {
                    0
                }),
                "openContractSize" => json!(contract_size),
                "openSymbolDigits" | "closeSymbolDigits" => json!(digits),
                "openAccountDigits" | "closeAccountDigits" => json!(account_digits),
                "closeFreeDigits" => json!(account_digits.to_string()),
                "marginSetType" => json!(if i.is_multiple_of(7) { "2" } else { "1" }),
                "status" => json!(if closed > 0 { "2" } else { "1" }),
                "source" => json!(["web", "api", "ios", "android"][i % 4]),
                "remark" if i % 4 == 3 => Value::Null,
                "remark" => json!(format!("hedge of order {}", 24_000_000 + n)),
                "thirdPartyOrder" if i % 4 == 1 => Value::Null,
                "thirdPartyOrder" => json!(format!("EXT-{:08}", 5_000_000 + n)),
                "openPrice" => json!(at_price(open_price)),
                "closePrice" => json!(at_price(close_price)),
                "openVolume" => json!(fixed(lots, 2)),
                "volume" => json!(fixed(lots - closed, 2)),
                "closeVolume" => json!(fixed(closed, 2)),
                "minVolume" => json!("0.01"),
                "openNum" => json!(lots.to_string()),
                "closeNum" => json!(closed.to_string()),
                "openFee" => json!(account(lots * 35 + n % 17)),
                "closeFee" => json!(account(closed * 35 + if closed > 0 { n % 13 } else { 0 })),
                "stopLossDecimal" => json!(at_price(if protected { distance } else { 0 })),
                "takeProfitDecimal" => json!(at_price(if protected { 2 * distance } else { 0 })),
                "openMargin" => number(&account(lots * 517 + n % 100)),
                "margin" => number(&account((lots - closed) * 517 + n % 90)),
                // Long positions gain when the price rises, short ones when it falls.
                "profit" => number(&fixed(sign * (close_price - open_price) * lots / 10, 2)),
                "stopLoss" => number(&at_price(if protected {
                    open_price - sign * distance
                } else {
                    0
                })),
                "takeProfit" => number(&at_price(if protected {
                    open_price + sign * 2 * distance
                } else {
                    0
                })),
                other => panic!("no value for the position field `{other}`"),
            };
            (name.to_owned(), value)
        })
        .collect();
    Value::Object(row)
}

/// `units` of `10^-scale` as decimal text with `scale` digits after the point (`-1234, 2` is
/// `"-12.34"`).
fn fixed(units: i64, scale: u32) -> String {
    let one = 10_i64.pow(scale);
    let sign = if units < 0 { "-" } else { "" };
    let (whole, fraction) = (units.abs() / one, units.abs() % one);
    if scale == 0 {
        format!("{sign}{whole}")
    } else {
        format!("{sign}{whole}.{fraction:0width$}", width = scale as usize)
    }
}

/// A decimal's text as a JSON number, as upstream sends some amounts: `serde_json` writes it
/// with the fewest digits that read back the same (`"1.08340"` is sent as `1.0834`), and a
/// whole amount as an integer (`0`, not `0.0`).
fn number(text: &str) -> Value {
    let value: f64 = text.parse().expect("decimal text is a number");
    if value.fract() == 0.0 {
        json!(value as i64)
    } else {
        json!(value)
    }
}
