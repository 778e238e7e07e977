//! The crate's one operation against the sandbox, before and after a registration.

use mm_sdk::Password;
use mm_sdk::extras::back_office::Registration;
use mm_sdk::sandbox::{Config, Sandbox};
use mm_sdk_test_support::bounded;

#[tokio::test]
async fn the_count_of_customers_follows_registrations() {
    bounded(async {
        let sandbox = Sandbox::start(Config::default()).await.unwrap();
        let mm = mm_sdk::sandbox::builder(&sandbox).build().unwrap();
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
