//! The Manager API: the white-label operator's back office (customers, funds).

use futures::Stream;
use mm_sdk_core::{AppSecret, Decimal, Error, ErrorKind, ManagerToken};

use crate::password::Password;

pub use mm_sdk_generated::manager::types::{
    AccountBalance, CompanyAsset, CustomerDetail, CustomerGroup, CustomerPage, CustomerSummary,
    DictionaryEntry, Product,
};
pub use mm_sdk_generated::manager::*;

/// Which part of a customer's profile [`ManagerApi::customer_info`] asks for (`type`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ProfilePart {
    /// Basic data, `baseInfo`.
    BaseInfo,
    /// Trading accounts, `tradeAccount`.
    TradeAccount,
    /// KYC data, `kyc`.
    Kyc,
    /// Full KYC data, `allKyc`.
    AllKyc,
    /// Bank cards, `bankList`.
    BankList,
    /// Wallet addresses, `walletList`.
    WalletList,
    /// Everything else, `otherInfo`.
    OtherInfo,
}

impl ProfilePart {
    /// The value sent as `type`.
    pub fn as_str(self) -> &'static str {
        match self {
            ProfilePart::BaseInfo => "baseInfo",
            ProfilePart::TradeAccount => "tradeAccount",
            ProfilePart::Kyc => "kyc",
            ProfilePart::AllKyc => "allKyc",
            ProfilePart::BankList => "bankList",
            ProfilePart::WalletList => "walletList",
            ProfilePart::OtherInfo => "otherInfo",
        }
    }
}

/// A customer to register with `addCusAndOpenAccountAndKyc`: by email or by phone, with the
/// trading accounts to open.
#[derive(Debug, Clone)]
pub struct Registration {
    contact: Contact,
    password: Password,
    country: String,
    customer_group_id: i64,
    register_source: i32,
    accounts: Vec<(String, String)>,
}

#[derive(Debug, Clone)]
enum Contact {
    Email { email: String, area: String },
    Phone { phone: String, area: String },
}

impl Registration {
    /// A customer identified by email; `area` is the area code upstream files it under
    /// (`+86`), `country` an ISO code (`CN`).
    pub fn email(
        email: impl Into<String>,
        area: impl Into<String>,
        password: Password,
        country: impl Into<String>,
        customer_group_id: i64,
    ) -> Self {
        Self::new(
            Contact::Email {
                email: email.into(),
                area: area.into(),
            },
            password,
            country.into(),
            customer_group_id,
        )
    }

    /// A customer identified by phone number (without its area code) and area code (`+86`).
    pub fn phone(
        phone: impl Into<String>,
        area: impl Into<String>,
        password: Password,
        country: impl Into<String>,
        customer_group_id: i64,
    ) -> Self {
        Self::new(
            Contact::Phone {
                phone: phone.into(),
                area: area.into(),
            },
            password,
            country.into(),
            customer_group_id,
        )
    }

    fn new(contact: Contact, password: Password, country: String, customer_group_id: i64) -> Self {
        Self {
            contact,
            password,
            country,
            customer_group_id,
            register_source: 1,
            accounts: Vec::new(),
        }
    }

    /// Opens a trading account in `currency` (`USDT`) for trade type `trade_type` (`"1"`);
    /// call once per account. At least one is required.
    pub fn account(mut self, currency: impl Into<String>, trade_type: impl Into<String>) -> Self {
        self.accounts.push((currency.into(), trade_type.into()));
        self
    }

    /// The `registerSource` code; 1 (the docs' value) by default.
    pub fn register_source(mut self, source: i32) -> Self {
        self.register_source = source;
        self
    }

    /// The request body: refused before sending when no account is asked for.
    pub fn into_body(self) -> Result<types::RegisterCustomerRequest, Error> {
        let invalid = |why: &str| Error::from(ErrorKind::InvalidInput(why.into()));
        if self.accounts.is_empty() {
            return Err(invalid(
                "a registration needs at least one account (`Registration::account`)",
            ));
        }
        let mut body = types::RegisterCustomerRequest::builder()
            .country(self.country)
            .customer_group_id(self.customer_group_id)
            .pwd(self.password.expose_md5_hex())
            .register_source(self.register_source)
            .trade_type_currency_list(
                self.accounts
                    .into_iter()
                    .map(|(all_currency, trade_type)| types::TradeTypeCurrency {
                        all_currency,
                        trade_type,
                    })
                    .collect::<Vec<_>>(),
            );
        body = match self.contact {
            Contact::Email { email, area } => body.email(Some(email)).email_area(Some(area)),
            Contact::Phone { phone, area } => body.phone(Some(phone)).phone_area(Some(area)),
        };
        types::RegisterCustomerRequest::try_from(body).map_err(|e| invalid(&e.to_string()))
    }
}

/// A credit (positive `amount`) or debit (negative) of a customer's trading account, for
/// [`ManagerApi::update_balance`]. Upstream's fixed values are filled in: business type 4
/// (balance adjustment), trade type 1 (perpetual contracts) and a withdrawable amount, as the
/// docs' page has them, unless changed here.
#[derive(Debug, Clone, PartialEq)]
pub struct BalanceAdjustment {
    customer_no: String,
    currency: String,
    amount: Decimal,
    trade_type: i32,
    account_id: Option<i64>,
    withdrawable: bool,
    remark: Option<String>,
}

impl BalanceAdjustment {
    /// `amount` of `currency` (e.g. `USDT`) for customer `customer_no`, e.g.
    /// `Decimal::new(2550, 2)` for 25.50: sent digit for digit.
    pub fn new(
        customer_no: impl Into<String>,
        currency: impl Into<String>,
        amount: Decimal,
    ) -> Self {
        Self {
            customer_no: customer_no.into(),
            currency: currency.into(),
            amount,
            trade_type: 1,
            account_id: None,
            withdrawable: true,
            remark: None,
        }
    }

    /// The account's trade type (`tradeType`): 1 perpetual (the default), 2 isolated, 5 spot.
    pub fn trade_type(mut self, trade_type: i32) -> Self {
        self.trade_type = trade_type;
        self
    }

    /// The account to adjust (`accountId` from [`ManagerApi::balances`]), when the customer
    /// has several in this currency and trade type.
    pub fn account_id(mut self, account_id: i64) -> Self {
        self.account_id = Some(account_id);
        self
    }

    /// Whether the credited amount may be withdrawn (`withdraw`); true by default.
    pub fn withdrawable(mut self, withdrawable: bool) -> Self {
        self.withdrawable = withdrawable;
        self
    }

    /// A free-text remark (`remark`), e.g. your own reference for the adjustment.
    pub fn remark(mut self, remark: impl Into<String>) -> Self {
        self.remark = Some(remark.into());
        self
    }

    /// The request body: refused before sending if the amount is zero.
    pub fn to_body(&self) -> Result<types::BalanceUpdateRequest, Error> {
        if self.amount.is_zero() {
            return Err(ErrorKind::InvalidInput(
                "a balance adjustment needs a non-zero amount".to_owned(),
            )
            .into());
        }
        Ok(types::BalanceUpdateRequest {
            customer_no: self.customer_no.clone(),
            account_id: self.account_id,
            account_currency: self.currency.clone(),
            trade_type: self.trade_type,
            business_type: 4,
            amount: self.amount.into(),
            withdraw: self.withdrawable,
            remark: self.remark.clone(),
        })
    }
}

/// The Manager API; get it from [`MultiMarkets::manager`](crate::MultiMarkets::manager).
///
/// Every operation of the Manager API is a method of this handle, from the traits of
/// [`mm_sdk::manager_api`](crate::manager_api) (bring them into scope with `use mm_sdk::prelude::*`);
/// the methods below are the hand-written ones. Calls need the configured [`ManagerToken`],
/// except [`authorize`](Self::authorize), which obtains one.
#[derive(Debug, Clone, Copy)]
pub struct ManagerApi<'a> {
    pub(crate) mm: &'a crate::MultiMarkets,
}

impl ManagerApi<'_> {
    fn runtime(&self) -> &mm_sdk_core::Runtime {
        self.mm.runtime()
    }

    /// Registers a customer, opens their accounts and completes KYC in one call
    /// (`addCusAndOpenAccountAndKyc`); returns the new customer number. Never retried after a
    /// failure that may have reached the server: it could register the customer twice.
    pub async fn register_customer(&self, registration: Registration) -> Result<String, Error> {
        calls::register_customer(self.runtime(), &registration.into_body()?).await
    }

    /// Every customer of the company, fetched page by page (`page_size` at a time, with
    /// `customer_list`) as the stream is read. Stops after the last page, or at the first
    /// error.
    pub fn customers(
        &self,
        page_size: i32,
    ) -> impl Stream<Item = Result<CustomerSummary, Error>> + '_ {
        let runtime = self.runtime();
        let pages = futures::stream::try_unfold(Some(1), move |next| async move {
            let Some(current) = next else {
                return Ok::<_, Error>(None);
            };
            let request = types::CustomerListRequest {
                current: Some(current),
                size: Some(page_size),
                customer_no: None,
            };
            let page = calls::customer_list(runtime, &request).await?;
            let seen = (i64::from(current) - 1) * i64::from(page_size) + page.records.len() as i64;
            let more = !page.records.is_empty() && seen < page.total;
            Ok(Some((
                futures::stream::iter(page.records.into_iter().map(Ok)),
                more.then_some(current + 1),
            )))
        });
        futures::TryStreamExt::try_flatten(pages)
    }

    /// Credits or debits a customer's account (`balance_update`). Moves money: never
    /// retried after a failure that may have reached the server (upstream has no idempotency
    /// key). On a timeout, read the balances (`get_balance`) before trying again.
    #[doc(alias = "balance_update")]
    pub async fn update_balance(&self, adjustment: &BalanceAdjustment) -> Result<(), Error> {
        let confirmed = calls::balance_update(self.runtime(), &adjustment.to_body()?).await?;
        match confirmed {
            serde_json::Value::Bool(true) => Ok(()),
            other => Err(ErrorKind::Decode {
                path: "data".into(),
                message: format!("expected `true`, the adjustment's confirmation, got `{other}`"),
            }
            .into()),
        }
    }

    /// Obtains a Manager API token with the operator's app id and secret (`authorize`). Use it
    /// with [`Builder::manager_token`](crate::Builder::manager_token). Upstream documents no
    /// lifetime: authorize again when a call fails with [`Error::is_auth`].
    pub async fn authorize(
        &self,
        app_id: &str,
        app_secret: &AppSecret,
    ) -> Result<ManagerToken, Error> {
        let body = types::AuthorizeRequest {
            app_id: app_id.to_owned(),
            app_secret: app_secret.expose_secret().to_owned(),
        };
        let company = calls::authorize(self.runtime(), &body).await?;
        // The rest of the answer repeats the app secret: keep only the token.
        Ok(ManagerToken::new(company.token))
    }

    /// One customer's details (`customer_info`): `id` and `customer_no` as in a
    /// [`CustomerSummary`], `part` the part of the profile wanted. A read: retried on transient
    /// failures.
    ///
    /// ```no_run
    /// # async fn run(mm: mm_sdk::MultiMarkets) -> Result<(), mm_sdk::Error> {
    /// use mm_sdk::manager_api::ProfilePart;
    ///
    /// let detail = mm.manager().customer_info(1176, "86001175", ProfilePart::TradeAccount).await?;
    /// # Ok(()) }
    /// ```
    pub async fn customer_info(
        &self,
        id: i64,
        customer_no: &str,
        part: ProfilePart,
    ) -> Result<CustomerDetail, Error> {
        let body = types::CustomerInfoRequest {
            customer_no: customer_no.to_owned(),
            id: id.to_string(),
            type_: part.as_str().to_owned(),
        };
        calls::customer_info(self.runtime(), &body).await
    }

    /// The company's products, optionally for one trade type: `product_list` with the
    /// configured company id in the body.
    pub async fn products(&self, trade_type: Option<i32>) -> Result<Vec<Product>, Error> {
        let body = types::ProductListRequest {
            company_id: self.runtime().settings().company_id.clone(),
            trace: None,
            trade_type,
        };
        calls::product_list(self.runtime(), &body).await
    }

    /// One page of the company's customers (`current` counts from 1).
    #[deprecated(
        since = "0.2.0",
        note = "use `customer_list`, or `customers` for a stream"
    )]
    pub async fn customer_page(&self, current: i32, size: i32) -> Result<CustomerPage, Error> {
        let body = types::CustomerListRequest {
            current: Some(current),
            size: Some(size),
            customer_no: None,
        };
        calls::customer_list(self.runtime(), &body).await
    }

    /// The balances of a customer's accounts for one trade type.
    #[deprecated(since = "0.2.0", note = "use `get_balance`")]
    pub async fn balances(
        &self,
        customer_no: &str,
        trade_type: i32,
    ) -> Result<Vec<AccountBalance>, Error> {
        let body = types::GetBalanceRequest {
            customer_no: customer_no.to_owned(),
            trade_type,
        };
        calls::get_balance(self.runtime(), &body).await
    }

    /// The entries of one universal dictionary (`parentCode`, e.g. `USDT`).
    #[deprecated(since = "0.2.0", note = "use `universal_dictionaries`")]
    pub async fn dictionaries(&self, parent_code: &str) -> Result<Vec<DictionaryEntry>, Error> {
        let body = types::DictionaryRequest {
            parent_code: parent_code.to_owned(),
        };
        calls::universal_dictionaries(self.runtime(), &body).await
    }

    /// The company's customer groups, optionally only those of one trade type or of one
    /// customer.
    #[deprecated(since = "0.2.0", note = "use `customer_group`")]
    pub async fn customer_groups(
        &self,
        trade_type: Option<i32>,
        customer_no: Option<&str>,
    ) -> Result<Vec<CustomerGroup>, Error> {
        let body = types::CustomerGroupRequest {
            customer_no: customer_no.map(str::to_owned),
            trade_type,
        };
        calls::customer_group(self.runtime(), &body).await
    }
}
