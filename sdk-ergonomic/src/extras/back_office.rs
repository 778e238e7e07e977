//! The white-label operator's back office (Manager API): customers and funds, with what the
//! configuration knows filled in and money sent exactly.

use mm_sdk_core::enums::TradeType;
use mm_sdk_core::ids::{AccountId, CustomerNo};
use mm_sdk_core::{AppSecret, Decimal, Error, ErrorKind, ManagerToken};

use super::invalid;
use crate::manager::auth::AuthorizeRequest;
use crate::manager::customer::{
    CustomerDetail, CustomerInfoRequest, RegisterCustomerRequest, TradeTypeCurrency,
};
use crate::manager::funds::BalanceUpdateRequest;
use crate::manager::products::{Product, ProductListRequest};
use crate::password::Password;

/// Which part of a customer's profile [`BackOffice::customer_info`] asks for (`type`).
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
    pub fn into_body(self) -> Result<RegisterCustomerRequest, Error> {
        if self.accounts.is_empty() {
            return Err(invalid(
                "a registration needs at least one account (`Registration::account`)",
            ));
        }
        let body = RegisterCustomerRequest::new(
            self.country,
            self.customer_group_id,
            self.password.expose_md5_hex(),
            self.register_source,
        )
        .trade_type_currency_list(
            self.accounts
                .into_iter()
                .map(|(currency, trade_type)| TradeTypeCurrency::new(currency, trade_type))
                .collect::<Vec<_>>(),
        );
        Ok(match self.contact {
            Contact::Email { email, area } => body.email(email).email_area(area),
            Contact::Phone { phone, area } => body.phone(phone).phone_area(area),
        })
    }
}

/// A credit (positive `amount`) or debit (negative) of a customer's trading account, for
/// [`BackOffice::adjust_balance`]. Upstream's fixed values are filled in: business type 4
/// (balance adjustment), `TradeType::CfdCrossMargin` and a withdrawable amount, as the
/// docs' page has them, unless changed here.
#[derive(Debug, Clone, PartialEq)]
pub struct BalanceAdjustment {
    customer_no: CustomerNo,
    currency: String,
    amount: Decimal,
    trade_type: TradeType,
    account_id: Option<AccountId>,
    withdrawable: bool,
    remark: Option<String>,
}

impl BalanceAdjustment {
    /// `amount` of `currency` (e.g. `USDT`) for customer `customer_no`, e.g.
    /// `Decimal::new(2550, 2)` for 25.50: sent digit for digit.
    pub fn new(
        customer_no: impl Into<CustomerNo>,
        currency: impl Into<String>,
        amount: Decimal,
    ) -> Self {
        Self {
            customer_no: customer_no.into(),
            currency: currency.into(),
            amount,
            trade_type: TradeType::CfdCrossMargin,
            account_id: None,
            withdrawable: true,
            remark: None,
        }
    }

    /// The account's trade type (`tradeType`): cross-margin contracts (the default), isolated
    /// margin, spot...
    pub fn trade_type(mut self, trade_type: TradeType) -> Self {
        self.trade_type = trade_type;
        self
    }

    /// The account to adjust (`accountId` from `mm.manager().funds().get_balance`), when the
    /// customer has several in this currency and trade type.
    pub fn account_id(mut self, account_id: impl Into<AccountId>) -> Self {
        self.account_id = Some(account_id.into());
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
    pub fn to_body(&self) -> Result<BalanceUpdateRequest, Error> {
        if self.amount.is_zero() {
            return Err(invalid("a balance adjustment needs a non-zero amount"));
        }
        let mut body = BalanceUpdateRequest::new(
            self.currency.as_str(),
            self.amount,
            4,
            self.customer_no.clone(),
            self.trade_type,
            self.withdrawable,
        );
        body.account_id = self.account_id;
        body.remark = self.remark.clone();
        Ok(body)
    }
}

/// The operator's back office; get it from
/// [`MultiMarkets::back_office`](crate::MultiMarkets::back_office). Calls need the configured
/// [`ManagerToken`], except [`authorize`](Self::authorize), which obtains one.
#[derive(Debug, Clone, Copy)]
pub struct BackOffice<'a> {
    pub(crate) mm: &'a crate::MultiMarkets,
}

impl BackOffice<'_> {
    /// Obtains a Manager API token with the operator's app id and secret
    /// (`mm.manager().auth().authorize`). Use it with
    /// [`Builder::manager_token`](crate::Builder::manager_token). Upstream documents no
    /// lifetime: authorize again when a call fails with [`Error::is_auth`].
    pub async fn authorize(
        &self,
        app_id: &str,
        app_secret: &AppSecret,
    ) -> Result<ManagerToken, Error> {
        let body = AuthorizeRequest::new(app_id, app_secret.expose_secret());
        let company = self.mm.manager().auth().authorize(&body).await?;
        // The rest of the answer repeats the app secret: keep only the token.
        let token = company.token.ok_or_else(|| {
            Error::from(ErrorKind::Decode {
                path: "data.token".into(),
                message: "`authorize` answered without a token".into(),
            })
        })?;
        Ok(ManagerToken::new(token.expose_secret()))
    }

    /// Registers a customer, opens their accounts and completes KYC in one call
    /// (`mm.manager().customer().register_customer`); returns the new customer number. Never
    /// retried after a failure that may have reached the server: it could register the
    /// customer twice.
    pub async fn register_customer(&self, registration: Registration) -> Result<CustomerNo, Error> {
        let body = registration.into_body()?;
        let customer_no = self
            .mm
            .manager()
            .customer()
            .register_customer(&body)
            .await?;
        Ok(CustomerNo::from(customer_no))
    }

    /// One customer's details (`mm.manager().customer().customer_info`): `id` and
    /// `customer_no` as in a [`CustomerSummary`](crate::manager::customer::CustomerSummary), `part` the part of the profile wanted.
    ///
    /// ```no_run
    /// # async fn run(mm: mm_sdk::MultiMarkets) -> Result<(), mm_sdk::Error> {
    /// use mm_sdk::extras::back_office::ProfilePart;
    ///
    /// let detail = mm.back_office().customer_info(1176, "86001175", ProfilePart::TradeAccount).await?;
    /// # Ok(()) }
    /// ```
    pub async fn customer_info(
        &self,
        id: i64,
        customer_no: impl Into<CustomerNo>,
        part: ProfilePart,
    ) -> Result<CustomerDetail, Error> {
        let body = CustomerInfoRequest::new(customer_no, id.to_string(), part.as_str());
        self.mm.manager().customer().customer_info(&body).await
    }

    /// Credits or debits a customer's account (`mm.manager().funds().balance_update`). Moves
    /// money: never retried after a failure that may have reached the server (upstream has
    /// no idempotency key). On a timeout, read the balances
    /// (`mm.manager().funds().get_balance`) before trying again.
    #[doc(alias = "balance_update")]
    pub async fn adjust_balance(&self, adjustment: &BalanceAdjustment) -> Result<(), Error> {
        let body = adjustment.to_body()?;
        let confirmed = self.mm.manager().funds().balance_update(&body).await?;
        match confirmed {
            serde_json::Value::Bool(true) => Ok(()),
            other => Err(ErrorKind::Decode {
                path: "data".into(),
                message: format!("expected `true`, the adjustment's confirmation, got `{other}`"),
            }
            .into()),
        }
    }

    /// The company's products, optionally for one trade type
    /// (`mm.manager().products().product_list`, with the configured company id).
    pub async fn products(&self, trade_type: Option<TradeType>) -> Result<Vec<Product>, Error> {
        let mut body = ProductListRequest::new(self.mm.config().company_id());
        body.trade_type = trade_type;
        self.mm.manager().products().product_list(&body).await
    }
}
