//! The benchmark compares like with like: both sides decode the same answers, the server
//! counts connections, and a shared client reuses them.

use std::sync::Arc;

use mm_sdk_bench::calls::{Call, Clients, Outcome, Side};
use mm_sdk_bench::server::{Server, USER_INFO_PATH};
use mm_sdk_bench::{decode, fixtures};
use mm_sdk_test_support::bounded;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn both_sides_decode_the_documented_answers() {
    bounded(async {
        let clients = Clients::start().unwrap();
        let expected = [
            (Call::UserInfo, "86021063", 1),
            (Call::Login, "86001175", 1),
            (Call::CustomerList, "86000000", fixtures::LARGE_PAGE_ROWS),
        ];
        for (call, customer_no, rows) in expected {
            let expected = Outcome {
                customer_no: customer_no.into(),
                rows,
            };
            for side in Side::BOTH {
                assert_eq!(
                    clients.call(side, call).await.unwrap(),
                    expected,
                    "{side:?} {call:?}"
                );
            }
        }
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn both_sides_send_the_same_headers() {
    bounded(async {
        let clients = Clients::start_recording().unwrap();
        for call in Call::ALL {
            for side in Side::BOTH {
                clients.call(side, call).await.unwrap();
            }
            let sent = |side| clients.server(side).header_names(call.path());
            let mut sdk = sent(Side::Sdk);
            // The SDK names itself; a hand-written client need not.
            assert!(sdk.remove("user-agent"), "{call:?}: {sdk:?}");
            assert_eq!(sent(Side::Baseline), sdk, "{call:?}");
        }
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_shared_client_reuses_its_connections() {
    bounded(async {
        let clients = Arc::new(Clients::start().unwrap());
        for side in Side::BOTH {
            for _ in 0..200 {
                clients.call(side, Call::UserInfo).await.unwrap();
            }
            // A connection goes back to the pool a moment after its answer is read, so the next
            // call now and then opens another: a few, never one per call.
            let sequential = clients.connections(side);
            assert!(
                (1..10).contains(&sequential),
                "{side:?}: {sequential} connections for 200 sequential calls"
            );
            let tasks: Vec<_> = (0..8)
                .map(|_| {
                    let clients = Arc::clone(&clients);
                    tokio::spawn(async move {
                        for _ in 0..25 {
                            clients.call(side, Call::UserInfo).await?;
                        }
                        Ok::<_, String>(())
                    })
                })
                .collect();
            for task in tasks {
                task.await.unwrap().unwrap();
            }
            let concurrent = clients.connections(side) - sequential;
            assert!(
                concurrent < 20,
                "{side:?}: {concurrent} new connections for 200 calls, 8 at a time"
            );
        }
    })
    .await;
}

#[tokio::test]
async fn the_server_counts_every_connection() {
    bounded(async {
        let server = Server::start().unwrap();
        assert_eq!(server.connections(), 0);
        for expected in 1..=3 {
            // A new client has no pooled connection: each opens one.
            let answer = reqwest::Client::new()
                .post(format!("{}{USER_INFO_PATH}", server.base_url()))
                .body("{}")
                .send()
                .await
                .unwrap();
            assert_eq!(answer.headers()["content-type"], "application/json");
            assert_eq!(answer.text().await.unwrap(), fixtures::USER_INFO);
            assert_eq!(server.connections(), expected);
        }
    })
    .await;
}

#[test]
fn the_large_page_is_about_a_megabyte_of_distinct_customers() {
    let page = fixtures::customer_page(fixtures::LARGE_PAGE_ROWS);
    assert!(
        (900_000..1_500_000).contains(&page.len()),
        "{} bytes",
        page.len()
    );
    let sdk = decode::sdk_customer_page(&page).unwrap();
    let baseline = decode::baseline_customer_page(&page).unwrap();
    assert_eq!(sdk.records.len(), fixtures::LARGE_PAGE_ROWS);
    assert_eq!(baseline.records.len(), fixtures::LARGE_PAGE_ROWS);
    for (s, b) in sdk.records.iter().zip(&baseline.records) {
        assert_eq!(s.customer_no.as_str(), b.customer_no);
        assert_eq!(s.email, b.email);
        assert_eq!(s.remark, b.remark);
        assert_eq!(s.update_time.map(i64::from), b.update_time);
    }
    let last = &sdk.records[fixtures::LARGE_PAGE_ROWS - 1];
    assert_eq!(
        last.customer_no.as_str(),
        format!("{}", 86_000_000 + fixtures::LARGE_PAGE_ROWS - 1)
    );
    assert_eq!(
        sdk.records[3].remark, None,
        "every fourth optional text is null"
    );
    assert_eq!(sdk.records[2].remark.as_deref(), Some("remark-2"));
}

#[test]
fn the_positions_page_is_over_a_megabyte_of_distinct_positions_decoded_alike() {
    let page = fixtures::position_page(fixtures::POSITION_PAGE_ROWS);
    assert!(
        (1_048_576..1_500_000).contains(&page.len()),
        "{} bytes",
        page.len()
    );
    assert_eq!(
        decode::positions_agree(&page),
        Ok(fixtures::POSITION_PAGE_ROWS)
    );
    // The money fields are there, a third of them as JSON numbers, the others as strings.
    let json: serde_json::Value = serde_json::from_slice(&page).unwrap();
    let rows = json["data"].as_array().unwrap();
    for field in fixtures::POSITION_MONEY_FIELDS {
        let number = fixtures::POSITION_NUMBER_FIELDS.contains(&field);
        assert!(
            rows.iter()
                .all(|row| row[field].is_number() == number && row[field].is_string() != number),
            "{field}"
        );
    }
    // Distinct, realistic values: some losses, exact prices, null texts now and then.
    let sdk = decode::sdk_positions_page(&page).unwrap();
    let baseline = decode::baseline_positions_page(&page).unwrap();
    assert!(sdk.iter().any(|row| row.profit.unwrap().is_sign_negative()));
    assert!(sdk.iter().any(|row| row.profit.unwrap().is_sign_positive()));
    assert_eq!(baseline[0].open_price, "1.07345");
    assert_eq!(sdk[0].open_price.unwrap().to_string(), "1.07345");
    assert_eq!(baseline[3].remark, None);
    let prices: std::collections::HashSet<_> = baseline.iter().map(|row| &row.open_price).collect();
    assert!(
        prices.len() > fixtures::POSITION_PAGE_ROWS / 2,
        "{}",
        prices.len()
    );
}

#[test]
fn both_decoders_refuse_a_failure_envelope() {
    let failure = br#"{"msg":"no","fail":true,"trace":"","code":"500","data":null,
        "bizCode":"","tm":0,"msgParams":null,"ok":false}"#;
    assert!(decode::sdk_user_info(failure).is_err());
    assert!(decode::baseline_user_info(failure).is_err());
}
