//! The crate's one operation against the sandbox, for a customer registered and signed in
//! through the flows.

use mm_sdk::Password;
use mm_sdk::extras::Device;
use mm_sdk::extras::back_office::Registration;
use mm_sdk::extras::web_iframe::LoginName;
use mm_sdk::sandbox::{Config, Sandbox};
use mm_sdk_test_support::bounded;

#[tokio::test]
async fn a_new_customer_holds_no_position() {
    bounded(async {
        let sandbox = Sandbox::start(Config::default()).await.unwrap();
        let mm = mm_sdk::sandbox::builder(&sandbox).build().unwrap();
        let password = Password::from_plain("a password");
        let registration =
            Registration::email("trader@example.com", "+86", password.clone(), "CN", 1)
                .account("USDT", "2");
        mm.back_office()
            .register_customer(registration)
            .await
            .unwrap();
        let name = LoginName::Email("trader@example.com".into());
        let session = mm
            .web_iframe()
            .login(&name, &password, Device::PcWeb)
            .await
            .unwrap();
        let open = mm_user_full::open_positions(&mm, &session.token)
            .await
            .unwrap();
        assert_eq!(open, 0);
    })
    .await;
}
