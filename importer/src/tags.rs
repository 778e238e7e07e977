//! Upstream's tags, and what each becomes: our tag, the area (the spec) its operations go to,
//! and the group a new operation gets.

/// Upstream's tag (or, for the untagged Manager export, the service module of the bizType)
/// → our tag, the area it goes to, and the group of a new operation (`x-mm-group`; an
/// operation the specs already have keeps the group they give it).
pub(crate) const TAGS: &[(&str, &str, &str, &str)] = &[
    // Client API
    (
        "Customer/Basic",
        "customer-basic",
        "client-customer-basic",
        "customer",
    ),
    (
        "Customer",
        "customer-general",
        "client-customer-account",
        "customer",
    ),
    ("Customer/Social", "customer-social", "client-auth", "auth"),
    ("Customer/Auth", "customer-auth", "client-auth", "auth"),
    (
        "Customer/Bank Card",
        "customer-bank-card",
        "client-customer-account",
        "customer",
    ),
    (
        "Customer/Extended",
        "customer-extended",
        "client-customer-account",
        "customer",
    ),
    (
        "Customer/Products",
        "customer-products",
        "client-customer-account",
        "customer",
    ),
    (
        "Customer/Wallet",
        "customer-wallet",
        "client-customer-account",
        "customer",
    ),
    (
        "Customer/Verification",
        "customer-verification",
        "client-customer-account",
        "customer",
    ),
    (
        "Customer/KYC",
        "customer-kyc",
        "client-customer-services",
        "customer",
    ),
    (
        "Customer/Open API",
        "customer-open-api",
        "client-customer-services",
        "customer",
    ),
    (
        "Customer/Agent",
        "customer-agent",
        "client-customer-services",
        "customer",
    ),
    (
        "Customer/Credit Card",
        "customer-credit-card",
        "client-customer-services",
        "customer",
    ),
    ("Basic", "basic", "client-basic", "basic"),
    ("Message", "message", "client-message", "message"),
    ("Funds", "funds-general", "client-funds-deposit", "funds"),
    (
        "Funds/Deposit",
        "funds-deposit",
        "client-funds-deposit",
        "funds",
    ),
    (
        "Funds/Proposal",
        "funds-proposal",
        "client-funds-deposit",
        "funds",
    ),
    ("Funds/Rate", "funds-rate", "client-funds-deposit", "funds"),
    (
        "Funds/Withdrawal",
        "funds-withdrawal",
        "client-funds-withdrawal",
        "funds",
    ),
    ("Trade", "trade-general", "client-trade-spot", "trade"),
    (
        "Trade/Full Margin Contract",
        "trade-full-margin-contract",
        "client-trade-contract",
        "trade",
    ),
    (
        "Trade/Isolated Margin Contract",
        "trade-isolated-margin-contract",
        "client-trade-contract",
        "trade",
    ),
    (
        "Trade/Leveraged",
        "trade-leveraged",
        "client-trade-contract",
        "trade",
    ),
    ("Trade/Spot", "trade-spot", "client-trade-spot", "trade"),
    ("Trade/Stock", "trade-stock", "client-trade-spot", "trade"),
    ("Index", "index-general", "client-index", "index"),
    ("Index/Report", "index-report", "client-index", "index"),
    (
        "Index/Subscription",
        "index-subscription",
        "client-index",
        "index",
    ),
    (
        "Index/Management",
        "index-management",
        "client-index",
        "index",
    ),
    ("Index/Query", "index-query", "client-index", "index"),
    (
        "Index/Redemption",
        "index-redemption",
        "client-index",
        "index",
    ),
    (
        "Credit Card",
        "credit-card-general",
        "client-credit-card",
        "credit_card",
    ),
    (
        "Credit Card/Operation",
        "credit-card-operation",
        "client-credit-card",
        "credit_card",
    ),
    (
        "Credit Card/Query",
        "credit-card-query",
        "client-credit-card",
        "credit_card",
    ),
    (
        "Market Maker",
        "market-maker",
        "client-market-maker",
        "market_maker",
    ),
    // Manager API export (untagged upstream: by the bizType's service module)
    (
        "module:tradeapi",
        "trading-admin",
        "manager-admin",
        "trading",
    ),
    ("module:report", "trade-report", "manager-admin", "report"),
    (
        "module:customer",
        "customer-admin",
        "manager-admin",
        "customer",
    ),
    (
        "module:message",
        "message-admin",
        "manager-admin",
        "message",
    ),
    (
        "module:config",
        "configuration",
        "manager-admin",
        "configuration",
    ),
    ("module:fund", "funds-admin", "manager-admin", "funds"),
    ("module:admin", "auth-admin", "manager-admin", "auth"),
    // Manager API, quant variant (Chinese tags: account management, customer management,
    // basic data, authentication, product data)
    ("账户管理", "account-management", "manager-quant", "account"),
    (
        "客户管理",
        "customer-management",
        "manager-quant",
        "customer",
    ),
    (
        "基础数据",
        "quant-basic-data",
        "manager-quant",
        "basic_data",
    ),
    ("认证鉴权", "quant-auth", "manager-quant", "auth"),
    ("产品数据", "quant-product", "manager-quant", "products"),
    // Auth2 API (untagged)
    ("auth2", "auth2-imported", "auth2-imported", "login"),
];

/// What upstream's tag `upstream` becomes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Tag {
    /// Our tag (the slug of upstream's).
    pub(crate) tag: &'static str,
    /// The area spec its operations go to.
    pub(crate) area: &'static str,
    /// The group (`x-mm-group`) of a new operation.
    pub(crate) group: &'static str,
}

/// What upstream's tag `upstream` (as [`crate::export::Operation::upstream_tag`] gives it)
/// becomes; `None` for a tag [`TAGS`] does not list.
pub(crate) fn find(upstream: &str) -> Option<Tag> {
    TAGS.iter()
        .find(|(t, ..)| *t == upstream)
        .map(|&(_, tag, area, group)| Tag { tag, area, group })
}
