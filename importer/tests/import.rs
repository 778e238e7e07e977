//! The import on two small exports made up in upstream's style (`fixtures/import/`): a
//! Client-like one with tags and an untagged Manager-like one, with a hand-kept spec of each API
//! and a callback spec. The golden tests snapshot everything the import makes (each area spec,
//! its example files, the README's section); the others show one rule each.

mod common;

use common::{
    CLIENT, MANAGER, as_specs, document, exports, ids, import, operation, try_import,
    try_import_except, try_import_with, try_import_worded,
};
use mm_sdk_importer::Output;
use mm_sdk_importer::area::PageFields;
use mm_sdk_importer::enums::EnumField;
use mm_sdk_importer::export::Document;
use mm_sdk_importer::not_money::NotMoney;
use mm_sdk_importer::prose::Prose;
use serde_yaml_ng::{Mapping, Value};

#[test]
fn golden_area_specs() {
    let output = import(&exports(), &[]);
    let names: Vec<&str> = output.areas.iter().map(|a| a.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "client-basic",
            "client-customer-basic",
            "client-trade-spot",
            "manager-admin"
        ]
    );
    for area in &output.areas {
        let text = area.text().unwrap_or_else(|e| panic!("{e}"));
        insta::assert_snapshot!(format!("area-{}", area.name), text);
    }
}

#[test]
fn golden_example_files() {
    let output = import(&exports(), &[]);
    for area in &output.areas {
        let mut files = String::new();
        for example in &area.examples {
            assert!(
                example
                    .path
                    .starts_with(&format!("{}/", area.examples_dir())),
                "{} is outside the area's folder",
                example.path
            );
            let text = example.text().unwrap_or_else(|e| panic!("{e}"));
            files.push_str(&format!("=== {}\n{text}", example.path));
        }
        insta::assert_snapshot!(format!("examples-{}", area.name), files);
    }
}

#[test]
fn golden_readme_section() {
    let output = import(&exports(), &[]);
    insta::assert_snapshot!("readme-section", output.readme_section);
    // The section replaces the one a README has, and nothing else.
    let readme = format!(
        "# Specs\n\nBefore.\n\n{}\nAfter.\n",
        mm_sdk_importer::readme::SECTION_START.to_owned()
            + "\nold\n"
            + mm_sdk_importer::readme::SECTION_END
    );
    let replaced = mm_sdk_importer::readme::replace_section(&readme, &output.readme_section);
    assert_eq!(
        replaced,
        format!("# Specs\n\nBefore.\n\n{}After.\n", output.readme_section)
    );
}

#[test]
fn skips_with_why() {
    let output = import(&exports(), &[]);
    let skipped: Vec<(String, &str)> = output
        .skipped
        .iter()
        .map(|s| (format!("{} {}", s.method, s.path), s.reason.as_str()))
        .collect();
    let reason = |operation: &str| {
        skipped
            .iter()
            .find(|(o, _)| o == operation)
            .map(|(_, r)| *r)
            .unwrap_or_else(|| panic!("`{operation}` is not skipped: {skipped:#?}"))
    };
    assert_eq!(
        reason("POST /global/customer.app.CustomerWebApiService.getCustomerInfo"),
        "already in the hand-kept `client.yaml` as `customer_info` (`POST \
         /api/global/customer.app.CustomerWebApiService.getCustomerInfo`), which keeps priority"
    );
    assert!(
        reason("POST /global/customer.admin.CustomerAdminApiService.getBalance")
            .starts_with("already in the hand-kept `manager.yaml` as `get_balance`")
    );
    assert!(reason("HEAD /").contains("pseudo-operation"));
    assert!(reason("POST /external-balance-query").ends_with(
        "it is `external_balance_query` in `callbacks/callbacks.yaml` (`mm_sdk::callbacks`)"
    ));
    assert!(
        reason("GET /global/config.app.PublicConfigService.regionOfIp")
            .starts_with("`GET` with parameters outside the headers (`ip` in query)")
    );
    assert!(
        reason("POST /global/customer.app.CustomerFileWebApiService.uploadAvatar")
            .starts_with("a `multipart/form-data` file upload")
    );
    assert_eq!(skipped.len(), 6, "{skipped:#?}");
    let counts: Vec<(usize, usize, usize)> = output
        .exports
        .iter()
        .map(|e| (e.operations, e.imported, e.skipped))
        .collect();
    assert_eq!(counts, [(17, 12, 5), (4, 3, 1)]);
}

#[test]
fn ids_are_qualified_where_names_collide() {
    let output = import(&exports(), &[]);
    let ids = ids(&output);
    let id = |path: &str| {
        ids.iter()
            .find(|(p, _)| p == &format!("post {path}"))
            .map(|(_, id)| id.as_str())
            .unwrap_or_else(|| panic!("no `{path}`: {ids:#?}"))
    };
    // The same last name: the service qualifies each.
    assert_eq!(
        id("/api/global/tradeapi.app.SpotOrderApiService.queryOrderList"),
        "spot_order_query_order_list"
    );
    assert_eq!(
        id("/api/global/tradeapi.app.StockOrderApiService.queryOrderList"),
        "stock_order_query_order_list"
    );
    // The hand-kept spec has `now`: the previous segment qualifies it.
    assert_eq!(id("/api/global/thirdExt/now"), "third_ext_now");
    // A name no other has stays as it is.
    assert_eq!(
        id("/api/global/tradeapi.app.SpotOrderApiService.cancelOrder"),
        "cancel_order"
    );
}

#[test]
fn ids_do_not_depend_on_the_order_of_the_paths() {
    let output = import(&exports(), &[]);
    let reversed: Vec<Document> = exports().into_iter().map(reverse_paths).collect();
    let again = import(&reversed, &[]);
    assert_eq!(ids(&output), ids(&again));
    assert!(!ids(&output).is_empty());
}

/// `document` with its paths in the opposite order.
fn reverse_paths(document: Document) -> Document {
    let export = document.export();
    let mut value = document.value().clone();
    let paths: Vec<(Value, Value)> = value["paths"]
        .as_mapping()
        .into_iter()
        .flatten()
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    let reversed: Mapping = paths.into_iter().rev().collect();
    value["paths"] = Value::Mapping(reversed);
    Document::new(export, value)
}

#[test]
fn a_reimport_keeps_each_operations_group() {
    let first = import(&exports(), &[]);
    let path = "/api/global/customer.app.CustomerProfileWebApiService.updateNickName";
    assert_eq!(
        operation(&first, "client-customer-basic", path)["x-mm-group"],
        "customer"
    );

    // Upstream re-tags it: it moves to the tag's area, and keeps its group.
    let mut client = document("client-export.yaml", CLIENT);
    let mut value = client.value().clone();
    value["paths"]["/global/customer.app.CustomerProfileWebApiService.updateNickName"]["post"]["tags"] =
        Value::Sequence(vec!["Customer/Auth".into()]);
    client = Document::new(client.export(), value);
    let exports = [client, document("manager-export.yaml", MANAGER)];
    let again = import(&exports, &as_specs(&first));
    let moved = operation(&again, "client-auth", path);
    assert_eq!(moved["x-mm-group"], "customer");
    assert_eq!(moved["tags"][0], "customer-auth");

    // Without the specs of the first import, the operation is new: it gets its tag's group.
    let fresh = import(&exports, &[]);
    assert_eq!(operation(&fresh, "client-auth", path)["x-mm-group"], "auth");
}

#[test]
fn importing_again_gives_the_same_specs() {
    let first = import(&exports(), &[]);
    let again = import(&exports(), &as_specs(&first));
    assert_eq!(first.readme_section, again.readme_section);
    for (a, b) in first.areas.iter().zip(&again.areas) {
        assert_eq!(a.text(), b.text(), "{}", a.name);
        let files = |area: &mm_sdk_importer::area::Area| {
            area.examples
                .iter()
                .map(|e| (e.path.clone(), e.text()))
                .collect::<Vec<_>>()
        };
        assert_eq!(files(a), files(b), "{}", a.name);
    }
}

#[test]
fn headers_credentials_and_effects() {
    let output = import(&exports(), &[]);
    let names = |op: &Value| -> Vec<String> {
        op["parameters"]
            .as_sequence()
            .into_iter()
            .flatten()
            .map(|p| p["name"].as_str().unwrap_or_default().to_owned())
            .collect()
    };

    // No headers upstream: the Global Unified Request Header's but `group`, and, for a write,
    // `idempotency-key`.
    let update = operation(
        &output,
        "client-customer-basic",
        "/api/global/customer.app.CustomerProfileWebApiService.updateNickName",
    );
    assert_eq!(
        names(update),
        [
            "companyId",
            "token",
            "lang",
            "trace",
            "version",
            "idempotency-key"
        ]
    );
    // Under the gateway's `/global/{bizType}`, an Open API key may call it too, by the route
    // the area's root declares.
    assert_eq!(
        update["x-mm-credential"],
        serde_yaml_ng::from_str::<Value>("[client-login, open-api-signature]").unwrap()
    );
    let root = &output
        .areas
        .iter()
        .find(|area| area.name == "client-customer-basic")
        .expect("the area")
        .spec["x-mm-open-api"];
    assert_eq!(root["from"], "/api/global/");
    assert_eq!(root["to"], "/openapi-c/global/");
    let required: Vec<&str> = root["headers"]
        .as_sequence()
        .unwrap()
        .iter()
        .filter(|header| header["required"] == true)
        .filter_map(|header| header["name"].as_str())
        .collect();
    assert_eq!(
        required,
        ["companyId", "trace", "timestamp", "apiKey", "signature"]
    );
    assert_eq!(update["x-mm-effect"], "write");
    assert_eq!(update["x-mm-returns"], "nothing");

    // A write that lists its headers gets `idempotency-key`; `group` is always sent as
    // `tradeApi`.
    let cancel = operation(
        &output,
        "client-trade-spot",
        "/api/global/tradeapi.app.SpotOrderApiService.cancelOrder",
    );
    assert_eq!(
        names(cancel),
        ["companyId", "token", "group", "idempotency-key"]
    );
    let group = &cancel["parameters"][2];
    assert_eq!(group["required"], true);
    assert_eq!(group["schema"]["enum"][0], "tradeApi");

    // A read gets no `idempotency-key`.
    let list = operation(
        &output,
        "client-trade-spot",
        "/api/global/tradeapi.app.SpotOrderApiService.queryOrderList",
    );
    assert_eq!(names(list), ["companyId", "token", "group"]);
    assert_eq!(list["x-mm-effect"], "read");

    // The Open API: `/openapi-c`, signed, no `idempotency-key`.
    let signed = operation(
        &output,
        "client-basic",
        "/openapi-c/global/config.app.AppSymbolDubboService.listSymbolBrief",
    );
    assert_eq!(names(signed), ["apiKey", "signature", "timestamp"]);
    assert_eq!(signed["x-mm-credential"], "open-api-signature");

    // The Manager API: `/openapi-b`, its tag the bizType's module, no `idempotency-key`.
    let freeze = operation(
        &output,
        "manager-admin",
        "/openapi-b/global/customer.admin.CustomerAdminApiService.freezeCustomer",
    );
    assert_eq!(names(freeze), ["companyId", "token"]);
    assert_eq!(freeze["x-mm-credential"], "manager-token");
    assert_eq!(freeze["x-mm-effect"], "write");
    assert_eq!(freeze["tags"][0], "customer-admin");
    assert_eq!(freeze["x-mm-group"], "customer");
}

#[test]
fn schemas_as_the_conventions_write_them() {
    let output = import(&exports(), &[]);
    let components = |area: &str| -> Value {
        let area = output
            .areas
            .iter()
            .find(|a| a.name == area)
            .unwrap_or_else(|| panic!("no `{area}`"));
        area.spec["components"]["schemas"].clone()
    };
    let customer = components("client-customer-basic");
    let card = &customer["ProfileCardVo"];
    assert_eq!(card["properties"]["creditLimit"]["type"], "number");
    assert_eq!(card["properties"]["creditLimit"]["format"], "decimal");
    assert_eq!(
        card["properties"]["level"]["enum"],
        Value::Sequence(vec!["GOLD".into(), "SILVER".into()])
    );
    // A `$ref` with siblings is the `$ref` alone.
    assert_eq!(
        card["properties"]["owner"],
        serde_yaml_ng::from_str::<Value>("$ref: '#/components/schemas/ProfileQuery'")
            .unwrap_or_default()
    );
    // The envelope component is spelled out per operation.
    let envelope = &customer["GetProfileCardResponse"];
    assert_eq!(
        envelope["required"],
        Value::Sequence(vec!["code".into(), "ok".into(), "tm".into()])
    );

    // The hand-kept spec has an `OrderVo`: this area's is named after its group.
    let trade = components("client-trade-spot");
    assert!(trade.get("OrderVo").is_none());
    assert_eq!(
        trade["TradeOrderVo"]["properties"]["price"]["format"],
        "decimal"
    );
}

#[test]
fn an_unknown_tag_names_its_export_and_operation() {
    let client = document("client-export.yaml", CLIENT);
    let mut value = client.value().clone();
    value["paths"]["/global/thirdExt/now"]["post"]["tags"] =
        Value::Sequence(vec!["Gadgets".into()]);
    let exports = [Document::new(client.export(), value)];
    let error = try_import(&exports, &[]).map(|_| ()).unwrap_err();
    assert_eq!(
        error.to_string(),
        "MultiMarkets-ClientAPI.openapi.en.yaml: `POST /global/thirdExt/now`: upstream tag \
         `Gadgets` has no area"
    );
}

/// A YAML value written in flow style.
fn yaml(text: &str) -> Value {
    serde_yaml_ng::from_str(text).unwrap_or_else(|e| panic!("{text}: {e}"))
}

/// Each style of paging gets its `x-mm-paging`: rows beside the count of all rows or of pages,
/// rows without a count, the data the rows. An answer that holds no list gets none, and its
/// description and the README say why; an answer that is a page without page fields in the
/// request is not paged.
#[test]
fn paging_is_found_from_the_request_and_the_answer() {
    let output = import(&exports(), &[]);
    let paging = |area: &str, path: &str| operation(&output, area, path)["x-mm-paging"].clone();
    let spot = "/api/global/tradeapi.app.SpotOrderApiService.";
    assert_eq!(
        paging("client-trade-spot", &format!("{spot}queryTradeRecordPage")),
        yaml("{page: current, size: size, first: 1, items: data.records, total: data.total}")
    );
    assert_eq!(
        paging("client-trade-spot", &format!("{spot}queryOrderList")),
        yaml("{page: current, size: size, first: 1, items: data.list, total: data.total}")
    );
    assert_eq!(
        paging(
            "client-trade-spot",
            "/api/global/tradeapi.app.StockOrderApiService.queryDealPage"
        ),
        yaml("{page: current, size: size, first: 1, items: data.list, pages: data.totalPage}")
    );
    let customer = "/api/global/customer.app.";
    assert_eq!(
        paging(
            "client-customer-basic",
            &format!("{customer}CustomerMessageService.queryMessagePage")
        ),
        yaml("{page: pageNum, size: pageSize, first: 1, items: data}")
    );
    assert_eq!(
        paging(
            "client-customer-basic",
            &format!("{customer}CustomerProfileWebApiService.queryLoginLogList")
        ),
        yaml("{page: current, size: size, first: 1, items: data.records}")
    );

    let month = operation(
        &output,
        "client-customer-basic",
        &format!("{customer}CustomerProfileWebApiService.queryMonthTotal"),
    );
    assert!(month.get("x-mm-paging").is_none());
    let why = "its request has page fields (`current`, `size`), but its answer's `records` is \
               not a list";
    let description = month["x-mm-source"].as_str().unwrap_or_default();
    assert!(
        description.contains(&format!("Not paged (no `x-mm-paging`): {why}.")),
        "{description}"
    );
    assert!(
        output.readme_section.contains(&format!(
            "| `client-customer-basic.yaml` | `query_month_total` | {why} |"
        )),
        "{}",
        output.readme_section
    );
    assert!(output.readme_section.contains(
        "| `{page: current, size: size, first: 1, items: data.list, total: data.total}` | 1 |"
    ));

    let snapshot = operation(
        &output,
        "manager-admin",
        "/openapi-b/global/tradeapi.admin.PositionAdminApiService.queryPositionSnapshot",
    );
    assert!(snapshot.get("x-mm-paging").is_none());

    let counted: Vec<(&str, usize)> = output
        .counts
        .iter()
        .filter(|(what, _)| what.contains("`x-mm-paging`"))
        .collect();
    assert_eq!(
        counted,
        [
            (
                "`x-mm-paging`: rows in a page object, beside the count of all rows",
                2
            ),
            (
                "`x-mm-paging`: rows in a page object, beside the count of pages",
                1
            ),
            ("`x-mm-paging`: rows in a page object, with no count", 1),
            (
                "`x-mm-paging`: the data is the list of rows, with no count",
                1
            ),
            (
                "page fields in the request, no page in the answer → no `x-mm-paging`",
                1
            ),
        ]
    );
}

/// Page fields that are not integers, or an answer whose data has no list of rows, leave an
/// operation without `x-mm-paging`, and say why.
#[test]
fn page_fields_without_integers_or_rows_are_not_paged() {
    let client = document("client-export.yaml", CLIENT);
    let mut value = client.value().clone();
    let request = |path: &str| format!("/global/{path}");
    value["paths"][request("tradeapi.app.SpotOrderApiService.queryOrderList").as_str()]["post"]["requestBody"]
        ["content"]["application/json"]["schema"]["properties"]["current"] = yaml("{type: string}");
    value["paths"][request("customer.app.CustomerProfileWebApiService.queryMonthTotal").as_str()]
        ["post"]["responses"]["200"]["content"]["application/json"]["schema"]["properties"]["data"]
        ["properties"] = yaml("{totalAmount: {type: string}}");
    let exports = [
        Document::new(client.export(), value),
        document("manager-export.yaml", MANAGER),
    ];
    let output = import(&exports, &[]);
    let unpaged: Vec<(String, String)> = output
        .areas
        .iter()
        .flat_map(|area| &area.page_fields)
        .filter_map(|fields| match fields {
            PageFields::Unpaged { id, why } => Some((id.clone(), why.clone())),
            PageFields::Paged { .. } => None,
        })
        .collect();
    assert_eq!(
        unpaged,
        [
            (
                "query_month_total".to_owned(),
                "its request has page fields (`current`, `size`), but its answer has no list \
                 of rows (`records`, `list`, `rows`, `items`)"
                    .to_owned()
            ),
            (
                "spot_order_query_order_list".to_owned(),
                "its request has page fields (`current`, `size`), but they are not integers"
                    .to_owned()
            ),
        ]
    );
}

/// `totalAmount` of the fixture's `QueryMonthTotalData` as the import writes it, with
/// `not_money` as the exceptions.
fn total_amount(not_money: &[NotMoney]) -> Value {
    let output = try_import_except(&exports(), &[], not_money).unwrap_or_else(|e| panic!("{e}"));
    let area = output
        .areas
        .iter()
        .find(|a| a.name == "client-customer-basic")
        .expect("the area");
    area.spec["components"]["schemas"]["QueryMonthTotalData"]["properties"]["totalAmount"].clone()
}

#[test]
fn a_field_named_like_money_is_a_decimal_unless_an_exception_says_why_not() {
    let decimal: Value = serde_yaml_ng::from_str(
        "{type: string, format: decimal, description: '`totalAmount`: a decimal.'}",
    )
    .unwrap();
    assert_eq!(total_amount(&[]), decimal);
    let exception = NotMoney {
        area: "client-customer-basic",
        schema: "QueryMonthTotalData",
        field: "totalAmount",
        reason: "a sum written with its currency (`12.5 USD`)",
    };
    let kept: Value = serde_yaml_ng::from_str(
        "{type: string, description: '`totalAmount`: text. Text, not a decimal: a sum written \
         with its currency (`12.5 USD`).', x-mm-not-money: 'a sum written with its currency \
         (`12.5 USD`)'}",
    )
    .unwrap();
    assert_eq!(total_amount(&[exception]), kept);
}

#[test]
fn an_exception_that_finds_no_field_is_refused() {
    for (schema, field) in [
        ("QueryMonthTotalData", "grandTotal"),
        ("QueryMonthTotalRequest", "totalAmount"),
        // A field the rule does not find.
        ("QueryMonthTotalRequest", "size"),
    ] {
        let stale = NotMoney {
            area: "client-customer-basic",
            schema,
            field,
            reason: "gone",
        };
        let error = try_import_except(&exports(), &[], &[stale])
            .err()
            .unwrap_or_else(|| panic!("`{schema}` `{field}` is refused"))
            .to_string();
        assert!(
            error.contains("importer/src/not_money.rs")
                && error.contains(&format!("`{field}` of `{schema}`")),
            "{error}"
        );
    }
}

#[test]
fn a_listed_field_gets_its_enum_and_an_entry_that_finds_none_is_refused() {
    let entry = |field: &str| EnumField {
        area: "client-customer-basic".into(),
        schema: "QueryMonthTotalRequest".into(),
        field: field.into(),
        name: Some("PageSize".into()),
        not: None,
    };
    let output =
        try_import_with(&exports(), &[], &[], &[entry("size")]).unwrap_or_else(|e| panic!("{e}"));
    let area = output
        .areas
        .iter()
        .find(|a| a.name == "client-customer-basic")
        .expect("the area");
    let size = &area.spec["components"]["schemas"]["QueryMonthTotalRequest"]["properties"]["size"];
    assert_eq!(size["x-mm-enum"].as_str(), Some("PageSize"), "{size:?}");

    for (field, what) in [("pageSize", "is not there"), ("size[]", "is not there")] {
        let error = try_import_with(&exports(), &[], &[], &[entry(field)])
            .err()
            .unwrap_or_else(|| panic!("`{field}` is refused"))
            .to_string();
        assert!(
            error.contains("openapi/import/enums.yaml")
                && error.contains(&format!("`{field}` of `QueryMonthTotalRequest`"))
                && error.contains(what),
            "{error}"
        );
    }
}

/// The words of `openapi/import/prose/` for the fixtures: one operation's title and
/// description, and `orderId`'s sentence, one for `CancelOrderData` and one for the others.
fn words() -> Prose {
    Prose::parse(
        "/api/global/tradeapi.app.SpotOrderApiService.queryOrderList:\n  \
           summary: List the customer's spot orders\n  \
           description: Reads the customer's spot orders, newest first.\n",
        "orderId:\n  \
           client-trade-spot:CancelOrderData: Id of the order the call cancelled.\n  \
           \"*\": Id of the order.\n\
         cancelled: Whether the order is cancelled now.\n",
    )
    .unwrap_or_else(|e| panic!("{e}"))
}

/// `(summary, description)` of the operation at `path`, and the description of `field` of
/// `component`, in `area` of `output`.
fn worded(output: &Output, path: &str, component: &str, field: &str) -> [Option<String>; 3] {
    let area = output
        .areas
        .iter()
        .find(|a| a.name == "client-trade-spot")
        .expect("the area");
    let text = |v: &Value| v.as_str().map(str::to_owned);
    let op = operation(output, "client-trade-spot", path);
    [
        text(&op["summary"]),
        text(&op["description"]),
        text(&area.spec["components"]["schemas"][component]["properties"][field]["description"]),
    ]
}

#[test]
fn the_words_written_here_are_the_specs_and_a_reimport_keeps_every_one() {
    let query = "/api/global/tradeapi.app.SpotOrderApiService.queryOrderList";
    let first =
        try_import_worded(&exports(), &[], &[], &[], &words()).unwrap_or_else(|e| panic!("{e}"));
    let op = operation(&first, "client-trade-spot", query);
    assert_eq!(
        op["summary"].as_str(),
        Some("List the customer's spot orders")
    );
    assert_eq!(
        op["description"].as_str(),
        Some("Reads the customer's spot orders, newest first.")
    );
    assert!(
        op["x-mm-source"]
            .as_str()
            .is_some_and(|s| s.starts_with("Imported from upstream's")),
        "the provenance is kept apart, where the codegen does not render it: {op:?}"
    );
    let [_, _, cancelled] = worded(&first, query, "CancelOrderData", "orderId");
    assert_eq!(
        cancelled.as_deref(),
        Some("Id of the order the call cancelled.")
    );
    let [_, _, request] = worded(&first, query, "CancelOrderRequest", "orderId");
    assert_eq!(request.as_deref(), Some("Id of the order."));
    let [_, _, reason] = worded(&first, query, "CancelOrderRequest", "reason");
    assert_eq!(
        reason.as_deref(),
        Some("`reason`: text."),
        "a field no sentence covers is described by its facts"
    );

    // Imported again over its own output, as `cargo xtask import` does: the same words.
    let again = try_import_worded(&exports(), &as_specs(&first), &[], &[], &words())
        .unwrap_or_else(|e| panic!("{e}"));
    for (path, component, field) in [
        (query, "CancelOrderData", "orderId"),
        (query, "CancelOrderData", "cancelled"),
        (query, "CancelOrderRequest", "orderId"),
    ] {
        assert_eq!(
            worded(&again, path, component, field),
            worded(&first, path, component, field)
        );
    }
    for (a, b) in first.areas.iter().zip(&again.areas) {
        assert_eq!(
            a.text().ok(),
            b.text().ok(),
            "{} changed on re-import",
            a.name
        );
    }
    assert!(
        again.readme_section.contains("| operations | 1 |"),
        "the README counts the operations described here"
    );
}

#[test]
fn words_that_say_nothing_are_refused() {
    for (operations, fields, what) in [
        (
            "/a:\n  summary: ''\n  description: Does a.\n",
            "{}",
            "empty summary",
        ),
        ("{}", "orderId: ' '\n", "empty sentence"),
        ("{}", "orderId: {}\n", "empty sentence"),
        ("/a:\n  summary: A\n", "{}", "description"),
    ] {
        let error = Prose::parse(operations, fields)
            .err()
            .unwrap_or_else(|| panic!("{operations} / {fields} is refused"))
            .to_string();
        assert!(
            error.contains("openapi/import/prose/") && error.contains(what),
            "{error}"
        );
    }
}
