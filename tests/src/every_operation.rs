//! Every operation of the specs, sent once from its documented examples through the one call
//! path; and every flow of `mm_sdk::extras`, called once. What the conformance and
//! sandbox-contract tests send.

use std::net::{IpAddr, Ipv4Addr};

use mm_sdk::extras::Device;
use mm_sdk::extras::api_keys::{ApiKeyChanges, ApiPermissionCode, Confirmation};
use mm_sdk::extras::auth2_login::Tokens;
use mm_sdk::extras::back_office::{BalanceAdjustment, ProfilePart, Registration};
use mm_sdk::extras::sign_up::{
    GoogleCredential, SignUp, SocialProvider, VerifyCodeKind, VerifyCodeRequest,
};
use mm_sdk::extras::web_iframe::LoginName;
use mm_sdk::{
    AccessToken, AppSecret, AuthCode, GoogleToken, LoginToken, MultiMarkets, Password,
    RefreshToken, SendToken, VerifyCode,
};
use mm_sdk_codegen::model::{self, Source};
use mm_sdk_core::{Api, Call, ClientAccess, Error, Operation, Runtime};
use serde_json::Value;

use crate::Loaded;

/// The per-call token the plain operations are sent with, where they take one.
pub const TOKEN: &str = "login-token";

/// An operation of the specs with its model and its first request example.
#[derive(Debug)]
pub struct Sendable {
    /// The generated operation.
    pub op: &'static Operation<'static>,
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
        let arguments: Vec<Option<&str>> = values.iter().map(Option::as_deref).collect();
        let token = self.op.credential.is_per_call().then_some(token);
        // A traced request's example is what goes on the wire, `{trace, data}`: the call
        // takes its `data` and writes the trace itself.
        let request = match self.op.encoding {
            mm_sdk_core::Encoding::Traced => &self.requests[index]["data"],
            _ => &self.requests[index],
        };
        let body = serde_json::to_vec(request).expect("JSON");
        Call::json(runtime, self.op, token, arguments, &body).await
    }

    /// Sends it with request example `index` through `runtime` by its Open API route, signed
    /// with the runtime's Open API key (an operation without that route fails).
    pub async fn send_signed(&self, runtime: &Runtime, index: usize) -> Result<Value, Error> {
        let values = self.header_values();
        let arguments: Vec<Option<&str>> = values.iter().map(Option::as_deref).collect();
        let body = serde_json::to_vec(&self.requests[index]).expect("JSON");
        Call::json(runtime, self.op, None, arguments, &body)
            .with_access(ClientAccess::OpenApiKey)
            .await
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

/// The outcome of one call of a flow.
#[derive(Debug)]
pub struct FlowCall {
    /// The flow's handle and method, as `extras` names them: `web_iframe.login`.
    pub flow: &'static str,
    /// The API of the operation it sends.
    pub api: Api,
    /// The operation's `operationId` (unique within its API only).
    pub id: &'static str,
    /// What the method returned, its value dropped.
    pub result: Result<(), mm_sdk::Error>,
}

impl FlowCall {
    /// `"<api> <operationId>"`, unique across the specs.
    pub fn key(&self) -> String {
        format!("{} {}", self.api.as_str(), self.id)
    }
}

/// The outcomes of [`call_flows`] so far.
#[derive(Default)]
struct Outcomes(Vec<FlowCall>);

impl Outcomes {
    fn check<T>(
        &mut self,
        flow: &'static str,
        (api, id): (Api, &'static str),
        result: Result<T, mm_sdk::Error>,
    ) {
        self.0.push(FlowCall {
            flow,
            api,
            id,
            result: result.map(drop),
        });
    }
}

/// Calls every flow of `mm_sdk::extras` that sends an operation, once, returning each one's
/// outcome. `mm` needs a Manager token, Auth2 app credentials and an Open API key.
pub async fn call_flows(mm: &MultiMarkets) -> Vec<FlowCall> {
    let session = LoginToken::new(TOKEN);
    let password = Password::from_plain("a password");
    let mut out = Outcomes::default();
    let client = |id| (Api::Client, id);
    let manager = |id| (Api::Manager, id);
    let auth2 = |id| (Api::Auth2, id);

    // The web iframe.
    let email = LoginName::Email("someone@example.com".into());
    let iframe = mm.web_iframe();
    out.check(
        "web_iframe.login",
        client("login"),
        iframe.login(&email, &password, Device::PcWeb).await,
    );
    out.check(
        "web_iframe.exchange_one_time_token",
        client("replacement_token"),
        iframe.exchange_one_time_token(&session).await,
    );

    // Customers who register themselves.
    let sign_up = mm.sign_up();
    out.check(
        "sign_up.third_login_config",
        client("third_login_config"),
        sign_up.third_login_config(SocialProvider::Google).await,
    );
    let google = GoogleCredential::IdToken(GoogleToken::new("google-id-token"));
    out.check(
        "sign_up.google_verify",
        client("google_verify"),
        sign_up.google_verify(&google).await,
    );
    let to = VerifyCodeRequest::to(VerifyCodeKind::EmailRegister, "someone@example.com");
    out.check(
        "sign_up.send_verify_code",
        client("send_verify_code"),
        sign_up.send_verify_code(&to).await,
    );
    let registration = SignUp::email(
        "someone@example.com",
        VerifyCode::new("123456"),
        SendToken::new("send-token"),
        "CN",
    )
    .password(password.clone());
    let ip = IpAddr::V4(Ipv4Addr::new(203, 0, 113, 10));
    out.check(
        "sign_up.register",
        client("register_customer"),
        sign_up.register(registration, ip).await,
    );

    // API keys.
    let keys = mm.api_keys();
    let confirm = Confirmation::new().google(VerifyCode::new("123456"));
    out.check(
        "api_keys.create",
        client("apply_api"),
        keys.create(&session, "bot", &confirm).await,
    );
    let changes = ApiKeyChanges::new()
        .tag("bot")
        .enable(ApiPermissionCode::ContractTrade);
    out.check(
        "api_keys.set_permissions",
        client("set_api_permissions"),
        keys.set_permissions(&session, 3, &changes, &confirm).await,
    );
    out.check(
        "api_keys.delete",
        client("delete_api"),
        keys.delete(&session, 3).await,
    );

    // The back office.
    let office = mm.back_office();
    out.check(
        "back_office.authorize",
        manager("authorize"),
        office
            .authorize("app-id", &AppSecret::new("app-secret"))
            .await,
    );
    let registration =
        Registration::email("someone@example.com", "+86", password, "CN", 1).account("USDT", "1");
    out.check(
        "back_office.register_customer",
        manager("register_customer"),
        office.register_customer(registration).await,
    );
    out.check(
        "back_office.customer_info",
        manager("customer_info"),
        office
            .customer_info(1176, "86001175", ProfilePart::BaseInfo)
            .await,
    );
    let bonus = BalanceAdjustment::new("86000020", "USDT", 5.into())
        .account_id(1000450)
        .remark("test");
    out.check(
        "back_office.adjust_balance",
        manager("balance_update"),
        office.adjust_balance(&bonus).await,
    );
    out.check(
        "back_office.products",
        manager("product_list"),
        office
            .products(Some(mm_sdk::enums::TradeType::CfdCrossMargin))
            .await,
    );

    // Auth2 login.
    let login = mm.auth2_login();
    out.check(
        "auth2_login.issue_code",
        auth2("auth_code"),
        login.issue_code(&session, "mall-x").await,
    );
    let code = AuthCode::new("f25bcfc4-0b0c-48ac-adab-ef45714d9543");
    out.check(
        "auth2_login.exchange_code",
        auth2("access_token"),
        login.exchange_code(&code).await,
    );
    let access = AccessToken::new("access-token");
    out.check(
        "auth2_login.user_info",
        auth2("user_info"),
        login.user_info(&access).await,
    );
    let tokens = Tokens {
        access,
        refresh: RefreshToken::new("refresh-token"),
    };
    out.check(
        "auth2_login.refresh",
        auth2("refresh_token"),
        login.refresh(&tokens).await,
    );

    out.0
}

/// Every public method of a flow handle of `mm_sdk::extras` that calls an operation (an
/// `async fn`, or one returning a `Stream`), as `<module>.<method>`, sorted.
pub fn flow_methods() -> Vec<String> {
    let dir = crate::workspace_root().join("sdk-ergonomic/src/extras");
    let mut methods = Vec::new();
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|e| e == "rs"))
        .collect();
    files.sort();
    for file in files {
        let module = file.file_stem().unwrap().to_string_lossy().into_owned();
        let text = std::fs::read_to_string(&file).unwrap();
        let parsed = syn::parse_file(&text).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        for item in parsed.items {
            let syn::Item::Impl(imp) = item else { continue };
            if imp.trait_.is_some() {
                continue;
            }
            for item in imp.items {
                let syn::ImplItem::Fn(f) = item else { continue };
                let streams = matches!(&f.sig.output, syn::ReturnType::Type(_, ty)
                    if quote_type(ty).contains("Stream"));
                if matches!(f.vis, syn::Visibility::Public(_))
                    && (f.sig.asyncness.is_some() || streams)
                {
                    methods.push(format!("{module}.{}", f.sig.ident));
                }
            }
        }
    }
    methods.sort();
    methods
}

fn quote_type(ty: &syn::Type) -> String {
    quote::ToTokens::to_token_stream(ty).to_string()
}
