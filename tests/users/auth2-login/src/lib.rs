//! A third-party platform that signs its users in with their trading account: the Auth2 API
//! is all it compiles of the SDK (`mm-sdk = { features = ["auth2"] }`).
// Its doctests run on their own (`scripts/features.sh`), with no other crate of the workspace
// enabling more of `mm-sdk`: a workspace-wide build, which enables everything, leaves them out.
#![cfg_attr(
    mm_sdk_alone,
    doc = r#"
With only `auth2` enabled, the Client API's groups are not compiled: its trading types are
not there.

```compile_fail
use mm_sdk::client::trade::OrderAddMarketOrderRequest;
```

The Auth2 API's are:

```
use mm_sdk::auth2::login::AccessTokenRequest;
```
"#
)]

use mm_sdk::auth2::login::AccessTokenRequest;
use mm_sdk::extras::auth2_login::Tokens;
use mm_sdk::{AuthCode, Error, MultiMarkets};

/// Exchanges the code the user's browser came back with for their tokens, with the platform's
/// app credentials.
pub async fn tokens_for(
    mm: &MultiMarkets,
    app_id: &str,
    app_secret: &str,
    code: &AuthCode,
) -> Result<Tokens, Error> {
    let request = AccessTokenRequest::new(app_id, app_secret, code.expose_secret());
    let pair = mm.auth2().login().access_token(&request).await?;
    Ok(Tokens::from(pair))
}
