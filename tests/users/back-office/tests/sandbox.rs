//! The crate's one operation against the sandbox, before and after a registration.

use mm_sdk::extras::back_office::Registration;
use mm_sdk::{Endpoints, Environment, ManagerToken, MultiMarkets, Password};
use mm_sdk_sandbox::{Config, Sandbox};
use mm_sdk_test_support::bounded;

#[tokio::test]
async fn the_count_of_customers_follows_registrations() {
    bounded(async {
        let sandbox = Sandbox::start(Config::default()).await.unwrap();
        let config = sandbox.config();
        let mm = MultiMarkets::builder(Environment::custom(Endpoints::same_host(
            sandbox.base_url(),
        )))
        .company_id(config.company_id.as_str())
        .manager_token(ManagerToken::new(config.manager_token.as_str()))
        .build()
        .unwrap();
        assert_eq!(mm_user_back_office::customer_count(&mm).await.unwrap(), 0);
        let password = Password::from_plain("a password");
        let registration =
            Registration::email("first@example.com", "+86", password, "CN", 1).account("USDT", "1");
        mm.back_office()
            .register_customer(registration)
            .await
            .unwrap();
        assert_eq!(mm_user_back_office::customer_count(&mm).await.unwrap(), 1);
    })
    .await;
}
