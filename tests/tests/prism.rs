//! Conformance with an independent peer: every operation of every spec sent to a Prism mock
//! server of its spec, which validates each request (path, headers, body) against it and
//! answers HTTP 422 with the violations when it does not match. Every operation goes from its
//! documented examples through the one call path, and every flow of `mm_sdk::extras` sends its
//! operations too.
//!
//! Prism answers with responses it makes up from the schemas (`fail: true` among them, so many
//! calls end in an API error); what counts here is that no request was refused.
//!
//! Needs Prism: `npm ci --prefix conformance`. CI runs it with `--ignored prism::`.

use std::time::Duration;

use mm_sdk::{
    AppSecret, Endpoints, Environment, ErrorKind, ManagerToken, MultiMarkets, OpenApiKey,
    QuoteToken, RetryPolicy,
};
use mm_sdk_core::{Builder, Runtime};
use mm_sdk_tests::every_operation::{TOKEN, call_flows, sendable};
use mm_sdk_tests::prism::Prism;
use mm_sdk_tests::{areas, bounded_for};
use url::Url;

/// A PKCS#8 RSA test key (never used anywhere real).
const TEST_KEY: &str = include_str!("../../sdk-ergonomic/tests/fixtures/open_api_key.pkcs8.b64");

/// Whether Prism accepted the request: it answered, whatever it made up.
fn refused(error: &mm_sdk::Error) -> bool {
    // Prism's made-up answers: failure envelopes, or data the SDK finds odd.
    !matches!(
        error.kind(),
        ErrorKind::Api(_) | ErrorKind::Decode { .. } | ErrorKind::MissingData
    )
}

fn runtime(base: Url) -> Runtime {
    Builder::<Runtime>::new(Environment::custom(Endpoints::same_host(base)))
        .company_id("421")
        .manager_token(ManagerToken::new("manager-token"))
        .quote_token(QuoteToken::new("quote-token"))
        .open_api_key(OpenApiKey::new("api-key", TEST_KEY).unwrap())
        .recv_window(Duration::from_secs(5))
        .retry(RetryPolicy::NEVER)
        .build()
        .unwrap()
}

#[tokio::test]
#[ignore = "needs Prism: `npm ci --prefix conformance`; CI runs it with --ignored prism::"]
async fn every_operation_is_valid_for_prism() {
    // Prism takes seconds to start, once per area.
    bounded_for(Duration::from_secs(900), async {
        let mut problems = Vec::new();
        let mut sent = 0;
        for loaded in areas() {
            let spec = format!("openapi/{}.yaml", loaded.area.name);
            let prism = Prism::start(&spec).unwrap();
            let base = Url::parse(&prism.base_url()).unwrap();
            if let Some(problem) = control(&prism, &loaded).await {
                problems.push(problem);
            }

            let runtime = runtime(base.clone());
            let operations = sendable(std::slice::from_ref(&loaded));
            for operation in &operations {
                for index in 0..operation.requests.len() {
                    sent += 1;
                    if let Err(error) = operation.send(&runtime, index, TOKEN).await
                        && refused(&error)
                    {
                        problems.push(format!("{spec} `{}`: {error}", operation.op.id));
                    }
                }
            }

            let mm = MultiMarkets::builder(Environment::custom(Endpoints::same_host(base)))
                .company_id("421")
                .manager_token(ManagerToken::new("manager-token"))
                .app_credentials("app-id", AppSecret::new("app-secret"))
                .open_api_key(OpenApiKey::new("api-key", TEST_KEY).unwrap())
                .timeout(Duration::from_secs(20))
                .retry(RetryPolicy::NEVER)
                .build()
                .unwrap();
            for call in call_flows(&mm).await {
                // Each flow's call goes to the area that holds its operation.
                let here =
                    call.api == loaded.model.api && operations.iter().any(|o| o.op.id == call.id);
                if !here {
                    continue;
                }
                sent += 1;
                if let Err(error) = call.result
                    && refused(&error)
                {
                    problems.push(format!("{spec} `{}` ({}): {error}", call.id, call.flow));
                }
            }
        }
        assert!(
            problems.is_empty(),
            "Prism refused:\n{}",
            problems.join("\n")
        );
        assert!(sent >= mm_sdk_generated::operations().count());
    })
    .await;
}

/// The control: Prism does refuse a request that breaks the spec (no headers at all) for the
/// area's first operation that takes a JSON body and requires a header.
async fn control(prism: &Prism, loaded: &mm_sdk_tests::Loaded) -> Option<String> {
    let op = loaded.model.operations.iter().find(|op| {
        op.encoding == mm_sdk_codegen::model::Encoding::Json
            && op.headers.iter().any(|h| h.required)
    })?;
    let refused = reqwest::Client::new()
        .post(format!("{}{}", prism.base_url(), op.path))
        .json(&serde_json::json!({}))
        .send()
        .await
        .ok()?;
    (refused.status() != 422).then(|| {
        format!(
            "Prism accepted `{}` without its required headers: the control failed",
            op.id
        )
    })
}
