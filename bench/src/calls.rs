//! The benchmarked calls, made either through the SDK or through the hand-written baseline,
//! against the same local server.

use mm_sdk::extras::Device;
use mm_sdk::extras::web_iframe::LoginName;
use mm_sdk::manager::customer::CustomerListRequest;
use mm_sdk::{AccessToken, Endpoints, Environment, ManagerToken, MultiMarkets, Password};

use crate::baseline::Baseline;
use crate::fixtures::LARGE_PAGE_ROWS;
use crate::server::Server;

const COMPANY_ID: &str = "421";
const MANAGER_TOKEN: &str = "8f3c2a1e-manager-token";
const ACCESS_TOKEN: &str = "6f60d5e7-9b31-429c-84f1-a0a927d40961";
const PHONE: &str = "13429837442";
const PASSWORD_MD5: &str = "dc483e80a7a0bd9ef71d8cf973673924";

/// Who makes the call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// The hand-written baseline.
    Baseline,
    /// `mm_sdk::MultiMarkets`.
    Sdk,
}

impl Side {
    /// Both sides, baseline first.
    pub const BOTH: [Side; 2] = [Side::Baseline, Side::Sdk];

    /// Both sides in the order of round `round`: baseline first in even rounds, the SDK first
    /// in odd ones, so neither always runs on a machine the other has just warmed.
    pub fn in_turn(round: u32) -> [Side; 2] {
        if round.is_multiple_of(2) {
            Side::BOTH
        } else {
            [Side::Sdk, Side::Baseline]
        }
    }

    /// The name of this side's benchmark in every criterion group.
    pub fn name(self) -> &'static str {
        match self {
            Side::Baseline => "baseline",
            Side::Sdk => "sdk",
        }
    }
}

/// A benchmarked operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Call {
    /// Auth2 `user_info`: small request, small answer.
    UserInfo,
    /// Client API `login`: small request, a 1.5 kB answer.
    Login,
    /// Manager API `customer_list` with a page of [`LARGE_PAGE_ROWS`] customers (about 1 MB).
    CustomerList,
}

impl Call {
    /// Every benchmarked operation.
    pub const ALL: [Call; 3] = [Call::UserInfo, Call::Login, Call::CustomerList];

    /// A short name, as used in benchmark ids.
    pub fn name(self) -> &'static str {
        match self {
            Call::UserInfo => "user_info",
            Call::Login => "login",
            Call::CustomerList => "customer_list",
        }
    }

    /// The path it is sent to.
    pub fn path(self) -> &'static str {
        match self {
            Call::UserInfo => crate::server::USER_INFO_PATH,
            Call::Login => crate::server::LOGIN_PATH,
            Call::CustomerList => crate::server::CUSTOMER_LIST_PATH,
        }
    }

    /// The criterion group of this call in `benches/calls.rs`.
    pub fn criterion_group(self) -> String {
        format!("call_{}", self.name())
    }
}

/// Both clients, each pointed at its own server so that each one's connections are counted
/// apart.
#[derive(Debug)]
pub struct Clients {
    baseline: Baseline,
    sdk: MultiMarkets,
    baseline_server: Server,
    sdk_server: Server,
    access: AccessToken,
    password: Password,
}

/// What a call returns, reduced to what both sides decode alike: for checking that they agree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    /// The customer number of the answer (the first row's, for a page).
    pub customer_no: String,
    /// How many rows the answer holds (1 for a single customer).
    pub rows: usize,
}

impl Clients {
    /// Starts the two servers and builds a client of each kind.
    pub fn start() -> Result<Self, String> {
        Self::start_with(Server::start)
    }

    /// The same, with servers that record the headers they are sent (for the tests).
    pub fn start_recording() -> Result<Self, String> {
        Self::start_with(Server::start_recording)
    }

    fn start_with(server: fn() -> std::io::Result<Server>) -> Result<Self, String> {
        let baseline_server = server().map_err(|e| format!("cannot start a server: {e}"))?;
        let sdk_server = server().map_err(|e| format!("cannot start a server: {e}"))?;
        let baseline = Baseline::new(&baseline_server.base_url(), COMPANY_ID, MANAGER_TOKEN)
            .map_err(|e| format!("cannot build the baseline client: {e:?}"))?;
        let url = url(&sdk_server.base_url())?;
        let sdk = MultiMarkets::builder(Environment::custom(Endpoints::same_host(url)))
            .company_id(COMPANY_ID)
            .manager_token(ManagerToken::new(MANAGER_TOKEN))
            .build()
            .map_err(|e| format!("cannot build the SDK client: {e}"))?;
        Ok(Self {
            baseline,
            sdk,
            baseline_server,
            sdk_server,
            access: AccessToken::new(ACCESS_TOKEN),
            password: Password::from_md5_hex(PASSWORD_MD5)
                .map_err(|e| format!("bad password digest: {e}"))?,
        })
    }

    /// Makes `call` through `side`.
    pub async fn call(&self, side: Side, call: Call) -> Result<Outcome, String> {
        let fail = |e: &dyn std::fmt::Debug| format!("{side:?} {}: {e:?}", call.name());
        let rows = LARGE_PAGE_ROWS as i32;
        match (side, call) {
            (Side::Baseline, Call::UserInfo) => {
                let user = self
                    .baseline
                    .user_info(ACCESS_TOKEN)
                    .await
                    .map_err(|e| fail(&e))?;
                Ok(Outcome::one(user.customer_no))
            }
            (Side::Sdk, Call::UserInfo) => {
                let user = self
                    .sdk
                    .auth2_login()
                    .user_info(&self.access)
                    .await
                    .map_err(|e| fail(&e))?;
                Ok(Outcome::one(user.customer_no.into()))
            }
            (Side::Baseline, Call::Login) => {
                let data = self
                    .baseline
                    .login(PHONE, PASSWORD_MD5)
                    .await
                    .map_err(|e| fail(&e))?;
                Ok(Outcome::one(data.customer_no))
            }
            (Side::Sdk, Call::Login) => {
                let name = LoginName::Phone {
                    area: None,
                    number: PHONE.into(),
                };
                let session = self
                    .sdk
                    .web_iframe()
                    .login(&name, &self.password, Device::MobileWeb)
                    .await
                    .map_err(|e| fail(&e))?;
                Ok(Outcome::one(session.customer.customer_no.into()))
            }
            (Side::Baseline, Call::CustomerList) => {
                let page = self
                    .baseline
                    .customer_page(1, rows)
                    .await
                    .map_err(|e| fail(&e))?;
                Ok(Outcome::page(
                    page.records.first().map(|c| c.customer_no.as_str()),
                    page.records.len(),
                ))
            }
            (Side::Sdk, Call::CustomerList) => {
                let request = CustomerListRequest::new().current(1).size(rows);
                let page = self
                    .sdk
                    .manager()
                    .customer()
                    .customer_list(&request)
                    .await
                    .map_err(|e| fail(&e))?;
                Ok(Outcome::page(
                    page.records.first().map(|c| c.customer_no.as_str()),
                    page.records.len(),
                ))
            }
        }
    }

    /// Connections `side`'s server has accepted so far.
    pub fn connections(&self, side: Side) -> u64 {
        self.server(side).connections()
    }

    /// The server `side` calls.
    pub fn server(&self, side: Side) -> &Server {
        match side {
            Side::Baseline => &self.baseline_server,
            Side::Sdk => &self.sdk_server,
        }
    }
}

impl Outcome {
    fn one(customer_no: String) -> Self {
        Self {
            customer_no,
            rows: 1,
        }
    }

    fn page(first: Option<&str>, rows: usize) -> Self {
        Self {
            customer_no: first.map(str::to_owned).unwrap_or_default(),
            rows,
        }
    }
}

fn url(base: &str) -> Result<url::Url, String> {
    url::Url::parse(base).map_err(|e| format!("bad server URL `{base}`: {e}"))
}
