//! Every operation of the specs, sent once: the plain ones from their documented examples
//! through the one call path, the hand-written ones through `mm-sdk`'s methods. What the
//! conformance and sandbox-contract tests send.

use std::net::{IpAddr, Ipv4Addr};

use mm_sdk::client_api::{
    ApiKeyChanges, ApiPermissionCode, Confirmation, Device, GoogleCredential, LoginName, SignUp,
    SocialProvider, VerifyCodeKind, VerifyCodeRequest,
};
use mm_sdk::manager_api::{BalanceAdjustment, ProfilePart, Registration};
use mm_sdk::{
    AccessToken, AppSecret, AuthCode, GoogleToken, LoginToken, MultiMarkets, Password,
    RefreshToken, SendToken, VerifyCode,
};
use mm_sdk_codegen::model::{self, Source};
use mm_sdk_core::{Api, Args, Error, Operation, Runtime};
use serde_json::Value;

use crate::Loaded;

/// The per-call token the plain operations are sent with, where they take one.
pub const TOKEN: &str = "login-token";

/// An operation of the specs with its model and its first request example.
#[derive(Debug)]
pub struct Sendable {
    /// The generated operation.
    pub op: &'static Operation,
    /// What the codegen says of it.
    pub model: model::Operation,
    /// Its documented request examples (`{}` for an operation without a body).
    pub requests: Vec<Value>,
    /// Its documented response examples.
    pub responses: Vec<Value>,
}

impl Sendable {
    /// The values of its arguments (headers and query parameters the call passes), by
    /// index: each one's example, or `example`.
    pub fn header_values(&self) -> Vec<Option<String>> {
        let mut values: Vec<(usize, Option<String>)> = self
            .model
            .headers
            .iter()
            .map(|h| (&h.source, &h.example))
            .chain(self.model.query.iter().map(|q| (&q.source, &q.example)))
            .filter_map(|(source, example)| match source {
                Source::Argument(index) => Some((
                    *index,
                    Some(example.clone().unwrap_or_else(|| "example".into())),
                )),
                _ => None,
            })
            .collect();
        values.sort_by_key(|(index, _)| *index);
        values.into_iter().map(|(_, value)| value).collect()
    }

    /// Sends it with request example `index` through `runtime`, with `token` where it takes
    /// one per call.
    pub async fn send(&self, runtime: &Runtime, index: usize, token: &str) -> Result<Value, Error> {
        let values = self.header_values();
        let headers: Vec<Option<&str>> = values.iter().map(Option::as_deref).collect();
        let args = Args {
            credential: self.op.credential.is_per_call().then_some(token),
            arguments: &headers,
        };
        // A traced request's example is what goes on the wire, `{trace, data}`: the call
        // takes its `data` and writes the trace itself.
        let request = match self.op.encoding {
            mm_sdk_core::Encoding::Traced => &self.requests[index]["data"],
            _ => &self.requests[index],
        };
        let body = serde_json::to_vec(request).expect("JSON");
        mm_sdk_core::call_json(runtime, self.op, args, &body).await
    }
}

/// Every operation of `areas`, in spec order, with its examples. Panics naming an operation
/// that has a body but no request example, or no generated operation.
pub fn sendable(areas: &[Loaded]) -> Vec<Sendable> {
    let mut all = Vec::new();
    for loaded in areas {
        let api = loaded.model.api.as_str().to_owned();
        for model in &loaded.model.operations {
            let op = mm_sdk_generated::operations()
                .find(|op| op.api.as_str() == api && op.id == model.id)
                .unwrap_or_else(|| panic!("{api} `{}` is not generated", model.id));
            let documented = crate::examples::documented(&loaded.spec, &model.id);
            let requests = if model.body.empty {
                vec![Value::Object(Default::default())]
            } else {
                documented.requests
            };
            assert!(
                !requests.is_empty(),
                "{api} `{}` has no request example: every operation needs one",
                model.id
            );
            all.push(Sendable {
                op,
                model: model.clone(),
                requests,
                responses: documented.responses,
            });
        }
    }
    all
}

/// The outcome of one hand-written call.
#[derive(Debug)]
pub struct CuratedCall {
    /// The API of the operation it sends.
    pub api: Api,
    /// The operation's `operationId` (unique within its API only).
    pub id: &'static str,
    /// What the method returned, its value dropped.
    pub result: Result<(), mm_sdk::Error>,
}

impl CuratedCall {
    /// `"<api> <operationId>"`, unique across the specs.
    pub fn key(&self) -> String {
        format!("{} {}", self.api.as_str(), self.id)
    }
}

/// The outcomes of [`call_curated`] so far, and the API of the calls being made.
struct Outcomes {
    api: Api,
    calls: Vec<CuratedCall>,
}

impl Outcomes {
    fn check(&mut self, id: &'static str, result: Result<(), mm_sdk::Error>) {
        self.calls.push(CuratedCall {
            api: self.api,
            id,
            result,
        });
    }
}

/// Calls every operation marked `x-mm-curated` through its hand-written method, returning each
/// one's outcome. `mm` needs a Manager token, Auth2 app credentials and an Open API key.
pub async fn call_curated(mm: &MultiMarkets) -> Vec<CuratedCall> {
    let session = LoginToken::new(TOKEN);
    let password = Password::from_plain("a password");
    let mut out = Outcomes {
        api: Api::Client,
        calls: Vec::new(),
    };

    // Client API.
    let c = mm.client();
    let email = LoginName::Email("someone@example.com".into());
    out.check(
        "login",
        c.login(&email, &password, Device::PcWeb).await.map(drop),
    );
    out.check(
        "third_login_config",
        c.third_login_config(SocialProvider::Google).await.map(drop),
    );
    let google = GoogleCredential::IdToken(GoogleToken::new("google-id-token"));
    out.check("google_verify", c.google_verify(&google).await.map(drop));
    let to = VerifyCodeRequest::to(VerifyCodeKind::EmailRegister, "someone@example.com");
    out.check("send_verify_code", c.send_verify_code(&to).await.map(drop));
    let sign_up = SignUp::email(
        "someone@example.com",
        VerifyCode::new("123456"),
        SendToken::new("send-token"),
        "CN",
    )
    .password(password.clone());
    let ip = IpAddr::V4(Ipv4Addr::new(203, 0, 113, 10));
    out.check(
        "register_customer",
        c.register_customer(sign_up, ip).await.map(drop),
    );
    out.check(
        "replacement_token",
        c.exchange_one_time_token(&session).await.map(drop),
    );
    let confirm = Confirmation::new().google(VerifyCode::new("123456"));
    out.check(
        "apply_api",
        c.apply_api(&session, "bot", &confirm).await.map(drop),
    );
    let changes = ApiKeyChanges::new()
        .tag("bot")
        .enable(ApiPermissionCode::ContractTrade);
    out.check(
        "set_api_permissions",
        c.set_api_permissions(&session, 3, &changes, &confirm).await,
    );
    out.check("delete_api", c.delete_api(&session, 3).await);

    // Manager API.
    out.api = Api::Manager;
    let m = mm.manager();
    out.check(
        "authorize",
        m.authorize("app-id", &AppSecret::new("app-secret"))
            .await
            .map(drop),
    );
    let registration =
        Registration::email("someone@example.com", "+86", password, "CN", 1).account("USDT", "1");
    out.check(
        "register_customer",
        m.register_customer(registration).await.map(drop),
    );
    out.check(
        "customer_info",
        m.customer_info(1176, "86001175", ProfilePart::BaseInfo)
            .await
            .map(drop),
    );
    let bonus = BalanceAdjustment::new("86000020", "USDT", 5.into())
        .account_id(1000450)
        .remark("test");
    out.check("balance_update", m.update_balance(&bonus).await);

    // Auth2 API.
    out.api = Api::Auth2;
    let a = mm.auth2();
    out.check("auth_code", a.auth_code(&session, "mall-x").await.map(drop));
    let code = AuthCode::new("f25bcfc4-0b0c-48ac-adab-ef45714d9543");
    out.check("access_token", a.exchange_code(&code).await.map(drop));
    let access = AccessToken::new("access-token");
    out.check("user_info", a.user_info(&access).await.map(drop));
    let tokens = mm_sdk::auth2::Tokens {
        access,
        refresh: RefreshToken::new("refresh-token"),
    };
    out.check("refresh_token", a.refresh(&tokens).await.map(drop));

    out.calls
}

/// `"<api> <operationId>"` of every operation marked `x-mm-curated`, sorted.
pub fn curated_operation_ids(areas: &[Loaded]) -> Vec<String> {
    let mut ids: Vec<String> = areas
        .iter()
        .flat_map(|loaded| {
            let api = loaded.model.api.as_str();
            loaded
                .model
                .operations
                .iter()
                .filter(|op| op.curated.is_some())
                .map(move |op| format!("{api} {}", op.id))
        })
        .collect();
    ids.sort();
    ids
}
