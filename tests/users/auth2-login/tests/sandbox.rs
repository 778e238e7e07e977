//! The crate's one operation against the sandbox: a code the sandbox never issued is refused
//! with upstream's code for it, as a typed API error.

use mm_sdk::sandbox::{Config, Sandbox};
use mm_sdk::{AuthCode, ErrorKind};
use mm_sdk_test_support::bounded;

#[tokio::test]
async fn an_unknown_code_is_refused_as_upstream_does() {
    bounded(async {
        let sandbox = Sandbox::start(Config::default()).await.unwrap();
        let mm = mm_sdk::sandbox::builder(&sandbox).build().unwrap();
        let config = sandbox.config();
        let app = &config.auth2_app;
        let refused = mm_user_auth2_login::tokens_for(
            &mm,
            &app.id,
            &app.secret,
            &AuthCode::new("never-issued"),
        )
        .await
        .unwrap_err();
        match refused.kind() {
            ErrorKind::Api(api) => assert_eq!(api.code, "GATEWAY_CODE_015", "{refused}"),
            other => panic!("expected the API's refusal, got {other:?}"),
        }
    })
    .await;
}
