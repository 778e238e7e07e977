//! Which fields hold money or a quantity, by their name, and the import's marking of them: a
//! string field so named becomes `format: decimal` (an exact `Decimal` in the SDK, read from a
//! JSON string or number), unless [`crate::not_money`] lists it as named so but holding
//! something else, which the spec then says in `x-mm-not-money`. Every non-integer number is a
//! decimal already (the schema conversion, `schemas.rs`); an integer stays one (it is exact).
//!
//! The rule reads the words of the name (`closePrice`: `close`, `price`): a word of money
//! (`price`, `amount`, `fee`, `balance`, `margin`, `profit`, `equity`, ...), of a quantity
//! (`volume`, `quantity`, `lots`, `shares`, a trailing `num`, ...) or of a rate (`rate`,
//! `ratio`, `proportion`, `percent`) makes it one, unless its last word says it names
//! something about the amount rather than the amount (`priceType`, `feeMethod`,
//! `amountDigits`, `orderId`, `closeTime`, `depositStatus`, `tradeCount`) or a word says it is
//! a currency (`feeCurrency`, `currencyFees`).

use heck::ToSnakeCase;
use serde_yaml_ng::{Mapping, Value};

use crate::counts::Counts;
use crate::not_money::NotMoney;
use crate::value::s;

/// Words that make a name money wherever they stand.
const MONEY: &[&str] = &[
    "amount",
    "amounts",
    "available",
    "balance",
    "balances",
    "bonus",
    "commission",
    "cost",
    "credit",
    "equity",
    "fee",
    "fees",
    "frozen",
    "income",
    "interest",
    "liabilities",
    "loss",
    "margin",
    "nav",
    "pnl",
    "premium",
    "price",
    "prices",
    "profit",
    "spread",
    "swap",
    "turnover",
];

/// Words that make a name a quantity wherever they stand.
const QUANTITY: &[&str] = &[
    "leftover", "lot", "lots", "qty", "quantity", "shares", "vol", "volume", "volumes",
];

/// Words that make a name a rate applied to money (an exchange, interest or margin rate).
const RATE: &[&str] = &["percent", "proportion", "radio", "rate", "ratio"];

/// Two words that together name money or a quantity, though neither does alone.
const PAIRS: &[[&str; 2]] = &[
    ["contract", "size"],
    ["market", "value"],
    ["net", "assets"],
    ["net", "position"],
    ["net", "value"],
    ["purchase", "power"],
];

/// Last words that name something about an amount, not the amount (`priceType`, `feeMethod`).
const NOT_LAST: &[&str] = &[
    "account",
    "address",
    "asset",
    "channel",
    "code",
    "codes",
    "coin",
    "config",
    "count",
    "date",
    "desc",
    "description",
    "digits",
    "direction",
    "flag",
    "format",
    "formula",
    "group",
    "id",
    "ids",
    "key",
    "label",
    "list",
    "message",
    "method",
    "mode",
    "msg",
    "name",
    "names",
    "no",
    "precision",
    "remark",
    "rule",
    "rules",
    "scale",
    "setting",
    "settings",
    "source",
    "state",
    "status",
    "switch",
    "symbol",
    "template",
    "text",
    "time",
    "title",
    "type",
    "types",
    "unit",
    "url",
];

/// Words that make a name a currency wherever they stand (`currencyFees`: the fees' currency).
const CURRENCY: &[&str] = &["currencies", "currency"];

/// Words before a trailing `num` or `number` that make it an identifier (`cardNumber`), not a
/// quantity (`openNum`, `executeNumber`).
const IDENTIFYING: &[&str] = &[
    "account",
    "bank",
    "batch",
    "card",
    "certificate",
    "document",
    "house",
    "id",
    "identity",
    "invoice",
    "license",
    "mobile",
    "order",
    "page",
    "passport",
    "phone",
    "proposal",
    "ref",
    "reference",
    "register",
    "registration",
    "room",
    "seq",
    "sequence",
    "serial",
    "tax",
    "tracking",
    "transaction",
    "vat",
    "version",
    "wallet",
];

/// Whether a field named `name` holds money or a quantity (see the module's documentation).
pub fn is_money_name(name: &str) -> bool {
    let snake = name.to_snake_case();
    let words: Vec<&str> = snake.split('_').filter(|w| !w.is_empty()).collect();
    let Some((&last, before)) = words.split_last() else {
        return false;
    };
    if NOT_LAST.contains(&last) || words.iter().any(|w| CURRENCY.contains(w)) {
        return false;
    }
    let named =
        |word: &&str| MONEY.contains(word) || QUANTITY.contains(word) || RATE.contains(word);
    // A credit card is no credit.
    let credit_card = words.windows(2).any(|pair| pair == ["credit", "card"]);
    if words
        .iter()
        .filter(|w| !(credit_card && **w == "credit"))
        .any(named)
    {
        return true;
    }
    if words.windows(2).any(|pair| PAIRS.iter().any(|p| p == pair)) {
        return true;
    }
    let previous = before.last().copied();
    match last {
        // `newShare`, `preShare`: shares held; `shareLink` is no quantity.
        "share" => true,
        "num" | "number" => previous.is_some_and(|p| !IDENTIFYING.contains(&p)),
        // The card limits: `dailyAtmLimit`, `maxDailyPurchaseLimit`.
        _ => words.contains(&"limit") && (words.contains(&"atm") || words.contains(&"purchase")),
    }
}

/// Where the fields being marked are: the area and the component, to find the exceptions of.
pub(crate) struct Place<'a> {
    pub(crate) area: &'a str,
    pub(crate) schema: &'a str,
    pub(crate) not_money: &'a [NotMoney],
}

/// Marks the money fields of component `schema` at `place` (in place, nested objects and
/// lists included): `format: decimal`, or `x-mm-not-money` where an exception says so.
pub(crate) fn mark(place: &Place, schema: &mut Value, counts: &mut Counts) {
    visit_fields(schema, &mut |field, name, property| {
        if is_money_name(name) {
            mark_field(place, property, field, counts);
        }
    });
}

/// What [`visit_fields`] calls: with a field's path, its name and its schema.
pub(crate) type Visit<'a> = dyn FnMut(&str, &str, &mut Value) + 'a;

/// Calls `visit` with each field of `schema`: its path in it (`price`, `list[].price`,
/// `account.price`, `rates{}.price`), its name and its schema, outer fields first; a branch of
/// `allOf`, `anyOf` or `oneOf` adds nothing to the path.
pub(crate) fn visit_fields(schema: &mut Value, visit: &mut Visit) {
    walk(schema, "", visit);
}

fn walk(schema: &mut Value, path: &str, visit: &mut Visit) {
    let Some(map) = schema.as_mapping_mut() else {
        return;
    };
    if let Some(Value::Mapping(properties)) = map.get_mut("properties") {
        for (key, property) in properties.iter_mut() {
            let name = key.as_str().unwrap_or_default();
            let field = if path.is_empty() {
                name.to_owned()
            } else {
                format!("{path}.{name}")
            };
            visit(&field, name, property);
            walk(property, &field, visit);
        }
    }
    if let Some(items) = map.get_mut("items") {
        walk(items, &format!("{path}[]"), visit);
    }
    if let Some(values) = map.get_mut("additionalProperties") {
        walk(values, &format!("{path}{{}}"), visit);
    }
    for key in ["allOf", "anyOf", "oneOf"] {
        if let Some(Value::Sequence(branches)) = map.get_mut(key) {
            for branch in branches {
                walk(branch, path, visit);
            }
        }
    }
}

/// Marks field `property` (at `field`), named like money: a plain string, or a list of them,
/// becomes a decimal, unless an exception says what it holds instead.
fn mark_field(place: &Place, property: &mut Value, field: &str, counts: &mut Counts) {
    let is_list = property["type"].as_str() == Some("array");
    let value = if is_list {
        &property["items"]
    } else {
        &*property
    };
    if !is_plain_string(value) {
        return;
    }
    let exception = place
        .not_money
        .iter()
        .find(|e| e.area == place.area && e.schema == place.schema && e.field == field);
    let Some(property) = property.as_mapping_mut() else {
        return;
    };
    if let Some(exception) = exception {
        counts.add("named like money but holding something else → `x-mm-not-money` (importer/src/not_money.rs)");
        // The reason reaches the field's documentation too.
        property.insert(
            s("description"),
            s(format!("Text, not a decimal: {}.", exception.reason)),
        );
        property.insert(s("x-mm-not-money"), s(exception.reason));
        return;
    }
    counts.add("string named like money or a quantity → `format: decimal`");
    let target = if is_list {
        property.get_mut("items").and_then(Value::as_mapping_mut)
    } else {
        Some(property)
    };
    if let Some(target) = target {
        *target = with_decimal_format(target);
    }
}

/// A string with no format and no list of values: text of any kind.
fn is_plain_string(schema: &Value) -> bool {
    schema["type"].as_str() == Some("string")
        && schema.get("format").is_none()
        && schema.get("enum").is_none()
}

/// `schema` with `format: decimal` after its `type`, where the import writes a format.
fn with_decimal_format(schema: &Mapping) -> Mapping {
    let mut out = Mapping::new();
    for (key, value) in schema {
        out.insert(key.clone(), value.clone());
        if key.as_str() == Some("type") {
            out.insert(s("format"), s("decimal"));
        }
    }
    out
}

#[cfg(test)]
#[allow(clippy::panic)]
mod tests {
    use super::*;

    #[test]
    fn money_and_quantities_by_name() {
        for name in [
            "price",
            "closePrice",
            "price_ask",
            "amount",
            "withdrawAmount",
            "amountAfter",
            "executeAmountU",
            "fee",
            "closeFee",
            "fees",
            "balance",
            "totalBalance",
            "margin",
            "Margin",
            "freeMargin",
            "marginRadio",
            "profit",
            "takeProfit",
            "takeProfitDecimal",
            "stopLoss",
            "profitLoss",
            "pnl",
            "equity",
            "commission",
            "swap",
            "bonus",
            "totalCredit",
            "interest",
            "available",
            "frozen",
            "liabilitiesPrincipal",
            "exchangeRate",
            "interestProportion",
            "leverRatio",
            "volume",
            "openVolume",
            "sourceExecuteVol",
            "quantity",
            "qty",
            "lots",
            "openNum",
            "executeNumber",
            "shares",
            "newShare",
            "leftover",
            "netValue",
            "positionMarketValue",
            "totalNetAssets",
            "longNetPosition",
            "contractSize",
            "maxDayPurchasePower",
            "dailyAtmLimit",
            "maxDailyPurchaseLimitOfEntity",
            "currentNav",
        ] {
            assert!(is_money_name(name), "{name} is money or a quantity");
        }
    }

    #[test]
    fn names_about_money_that_are_not_money() {
        for name in [
            "priceType",
            "amountType",
            "feeCurrency",
            "currencyFees",
            "profitCurrency",
            "moneyAmountCurrency",
            "amountDigits",
            "exchangeRateDigits",
            "feeFormula",
            "feeMethod",
            "marginSetType",
            "balanceId",
            "priceTime",
            "depositStatus",
            "lotCount",
            "takeProfitMsg",
            "depositRateSerialNo",
            "queryUserAccountBalanceUrl",
            "numberStatisticMode",
            "cardNumber",
            "bankCardNumber",
            "thirdPartyAccountNumber",
            "num",
            "creditCardName",
            "creditCard",
            "shareLink",
            "symbolName",
            "customerNo",
            "weight",
            "slippage",
            "total",
            "",
        ] {
            assert!(!is_money_name(name), "{name} is not money");
        }
    }

    fn yaml(text: &str) -> Value {
        serde_yaml_ng::from_str(text).unwrap_or_else(|e| panic!("{text}: {e}"))
    }

    #[test]
    fn money_strings_become_decimals_nested_ones_and_lists_included() {
        let mut schema = yaml(
            "type: object\n\
             properties:\n  \
               price: {type: string}\n  \
               priceType: {type: string}\n  \
               fee: {type: string, format: password}\n  \
               volume: {type: integer}\n  \
               profit: {type: number, format: decimal}\n  \
               direction: {type: string, enum: [buy]}\n  \
               list:\n    \
                 type: array\n    \
                 items:\n      \
                   type: object\n      \
                   properties:\n        \
                     stopLoss: {type: string, nullable: true}\n  \
               prices: {type: array, items: {type: string}}\n",
        );
        let place = Place {
            area: "client-trade",
            schema: "Order",
            not_money: &[],
        };
        let mut counts = Counts::default();
        mark(&place, &mut schema, &mut counts);
        let properties = &schema["properties"];
        assert_eq!(properties["price"], yaml("{type: string, format: decimal}"));
        assert_eq!(properties["priceType"], yaml("{type: string}"));
        assert_eq!(properties["fee"], yaml("{type: string, format: password}"));
        assert_eq!(properties["volume"], yaml("{type: integer}"));
        let stop_loss = &properties["list"]["items"]["properties"]["stopLoss"];
        assert_eq!(
            *stop_loss,
            yaml("{type: string, format: decimal, nullable: true}")
        );
        // The format follows the type, as the import writes formats.
        let keys: Vec<&str> = stop_loss
            .as_mapping()
            .into_iter()
            .flat_map(Mapping::keys)
            .filter_map(Value::as_str)
            .collect();
        assert_eq!(keys, ["type", "format", "nullable"]);
        assert_eq!(
            properties["prices"]["items"],
            yaml("{type: string, format: decimal}")
        );
        let marked: Vec<(&str, usize)> = counts.iter().collect();
        assert_eq!(
            marked,
            [(
                "string named like money or a quantity → `format: decimal`",
                3
            )]
        );
    }

    #[test]
    fn an_exception_keeps_the_string_and_says_why() {
        let not_money = [NotMoney {
            area: "client-trade",
            schema: "Order",
            field: "list[].stopLoss",
            reason: "`-` when no stop loss is set",
        }];
        let schema = yaml(
            "type: object\n\
             properties:\n  \
               stopLoss: {type: string}\n  \
               list:\n    \
                 type: array\n    \
                 items: {type: object, properties: {stopLoss: {type: string}}}\n",
        );
        for (area, schema_name, nested) in [
            (
                "client-trade",
                "Order",
                "{type: string, description: 'Text, not a decimal: `-` when no stop loss is set.', \
                 x-mm-not-money: '`-` when no stop loss is set'}",
            ),
            // The same field of another component, or of another area, is money.
            (
                "client-trade",
                "Position",
                "{type: string, format: decimal}",
            ),
            ("manager-trade", "Order", "{type: string, format: decimal}"),
        ] {
            let mut schema = schema.clone();
            let place = Place {
                area,
                schema: schema_name,
                not_money: &not_money,
            };
            mark(&place, &mut schema, &mut Counts::default());
            assert_eq!(
                schema["properties"]["list"]["items"]["properties"]["stopLoss"],
                yaml(nested),
                "{area} {schema_name}"
            );
            assert_eq!(
                schema["properties"]["stopLoss"],
                yaml("{type: string, format: decimal}")
            );
        }
    }
}
