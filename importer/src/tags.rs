//! Upstream's tags, and what each becomes: our tag, the area (the spec) its operations go to,
//! and the group a new operation gets.

use crate::export::Operation;

/// The API and upstream's tag (or, for an untagged Manager operation, the service module of the
/// bizType) → our tag, the area it goes to, and the group of a new operation (`x-mm-group`; an
/// operation the specs already have keeps the group they give it). A tag is the API's: the
/// Business export reuses the Client export's names for other things.
pub(crate) const TAGS: &[(&str, &str, &str, &str, &str)] = &[
    // Client API
    (
        "client",
        "Customer/Basic",
        "customer-basic",
        "client-customer-basic",
        "customer",
    ),
    (
        "client",
        "Customer",
        "customer-general",
        "client-customer-account",
        "customer",
    ),
    (
        "client",
        "Customer/Social",
        "customer-social",
        "client-auth",
        "auth",
    ),
    (
        "client",
        "Customer/Auth",
        "customer-auth",
        "client-auth",
        "auth",
    ),
    (
        "client",
        "Customer/Bank Card",
        "customer-bank-card",
        "client-customer-account",
        "customer",
    ),
    (
        "client",
        "Customer/Extended",
        "customer-extended",
        "client-customer-account",
        "customer",
    ),
    (
        "client",
        "Customer/Products",
        "customer-products",
        "client-customer-account",
        "customer",
    ),
    (
        "client",
        "Customer/Wallet",
        "customer-wallet",
        "client-customer-account",
        "customer",
    ),
    (
        "client",
        "Customer/Verification",
        "customer-verification",
        "client-customer-account",
        "customer",
    ),
    (
        "client",
        "Customer/KYC",
        "customer-kyc",
        "client-customer-services",
        "customer",
    ),
    (
        "client",
        "Customer/Open API",
        "customer-open-api",
        "client-customer-services",
        "customer",
    ),
    (
        "client",
        "Customer/Agent",
        "customer-agent",
        "client-customer-services",
        "customer",
    ),
    (
        "client",
        "Customer/Credit Card",
        "customer-credit-card",
        "client-customer-services",
        "customer",
    ),
    ("client", "Basic", "basic", "client-basic", "basic"),
    ("client", "Message", "message", "client-message", "message"),
    (
        "client",
        "Funds",
        "funds-general",
        "client-funds-deposit",
        "funds",
    ),
    (
        "client",
        "Funds/Deposit",
        "funds-deposit",
        "client-funds-deposit",
        "funds",
    ),
    (
        "client",
        "Funds/Proposal",
        "funds-proposal",
        "client-funds-deposit",
        "funds",
    ),
    (
        "client",
        "Funds/Rate",
        "funds-rate",
        "client-funds-deposit",
        "funds",
    ),
    (
        "client",
        "Funds/Withdrawal",
        "funds-withdrawal",
        "client-funds-withdrawal",
        "funds",
    ),
    (
        "client",
        "Trade",
        "trade-general",
        "client-trade-spot",
        "trade",
    ),
    (
        "client",
        "Trade/Full Margin Contract",
        "trade-full-margin-contract",
        "client-trade-contract",
        "trade",
    ),
    (
        "client",
        "Trade/Isolated Margin Contract",
        "trade-isolated-margin-contract",
        "client-trade-contract",
        "trade",
    ),
    (
        "client",
        "Trade/Leveraged",
        "trade-leveraged",
        "client-trade-contract",
        "trade",
    ),
    (
        "client",
        "Trade/Spot",
        "trade-spot",
        "client-trade-spot",
        "trade",
    ),
    (
        "client",
        "Trade/Stock",
        "trade-stock",
        "client-trade-spot",
        "trade",
    ),
    ("client", "Index", "index-general", "client-index", "index"),
    (
        "client",
        "Index/Report",
        "index-report",
        "client-index",
        "index",
    ),
    (
        "client",
        "Index/Subscription",
        "index-subscription",
        "client-index",
        "index",
    ),
    (
        "client",
        "Index/Management",
        "index-management",
        "client-index",
        "index",
    ),
    (
        "client",
        "Index/Query",
        "index-query",
        "client-index",
        "index",
    ),
    (
        "client",
        "Index/Redemption",
        "index-redemption",
        "client-index",
        "index",
    ),
    (
        "client",
        "Credit Card",
        "credit-card-general",
        "client-credit-card",
        "credit_card",
    ),
    (
        "client",
        "Credit Card/Operation",
        "credit-card-operation",
        "client-credit-card",
        "credit_card",
    ),
    (
        "client",
        "Credit Card/Query",
        "credit-card-query",
        "client-credit-card",
        "credit_card",
    ),
    (
        "client",
        "Market Maker",
        "market-maker",
        "client-market-maker",
        "market_maker",
    ),
    // Client API, Chinese edition: the tags of the operations the English export lacks
    // (customer wallets, deposits, withdrawals, Telegram binding under the message service).
    (
        "client",
        "客户接口/客户钱包管理",
        "customer-wallet",
        "client-customer-account",
        "customer",
    ),
    (
        "client",
        "资金接口/客户存款接口",
        "funds-deposit",
        "client-funds-deposit",
        "funds",
    ),
    (
        "client",
        "资金接口/客户取款接口",
        "funds-withdrawal",
        "client-funds-withdrawal",
        "funds",
    ),
    (
        "client",
        "消息接口/AllTick",
        "message-telegram",
        "client-message",
        "message",
    ),
    // Manager API export (untagged upstream: by the bizType's service module)
    (
        "manager",
        "module:tradeapi",
        "trading-admin",
        "manager-admin",
        "trading",
    ),
    (
        "manager",
        "module:report",
        "trade-report",
        "manager-admin",
        "report",
    ),
    (
        "manager",
        "module:customer",
        "customer-admin",
        "manager-admin",
        "customer",
    ),
    (
        "manager",
        "module:message",
        "message-admin",
        "manager-admin",
        "message",
    ),
    (
        "manager",
        "module:config",
        "configuration",
        "manager-admin",
        "configuration",
    ),
    (
        "manager",
        "module:fund",
        "funds-admin",
        "manager-admin",
        "funds",
    ),
    (
        "manager",
        "module:admin",
        "auth-admin",
        "manager-admin",
        "auth",
    ),
    // An untagged operation is looked up by its module and service first: the admin module's
    // webhook service is not authorization.
    (
        "manager",
        "module:admin.CompanyWebhookDubboService",
        "webhooks-admin",
        "manager-admin",
        "webhooks",
    ),
    // Manager API, extended file (Chinese tags: contract trading, full margin and isolated
    // margin; basic risk settings; order-flow risk settings)
    (
        "manager",
        "合约交易相关/全仓合约交易",
        "contract-full-margin",
        "manager-contract",
        "contract_trading",
    ),
    (
        "manager",
        "合约交易相关/逐仓合约交易",
        "contract-isolated-margin",
        "manager-contract",
        "contract_trading",
    ),
    (
        "manager",
        "合约交易相关",
        "contract-symbols",
        "manager-contract",
        "products",
    ),
    (
        "manager",
        "基础风控设置",
        "risk-settings",
        "manager-risk",
        "risk",
    ),
    (
        "manager",
        "射单风控设置",
        "risk-thresholds",
        "manager-risk",
        "risk",
    ),
    // Manager API, quant variant (Chinese tags: account management, customer management,
    // basic data, authentication, product data)
    (
        "manager",
        "账户管理",
        "account-management",
        "manager-quant",
        "account",
    ),
    (
        "manager",
        "客户管理",
        "customer-management",
        "manager-quant",
        "customer",
    ),
    (
        "manager",
        "基础数据",
        "quant-basic-data",
        "manager-quant",
        "basic_data",
    ),
    ("manager", "认证鉴权", "quant-auth", "manager-quant", "auth"),
    (
        "manager",
        "产品数据",
        "quant-product",
        "manager-quant",
        "products",
    ),
    // Auth2 API (untagged)
    (
        "auth2",
        "auth2",
        "auth2-imported",
        "auth2-imported",
        "login",
    ),
    // Manager API, Business export: its tags (an operation the specs have keeps its group)
    ("manager", "Auth", "auth-admin", "manager-admin", "auth"),
    (
        "manager",
        "Basic",
        "basic-admin",
        "manager-admin",
        "configuration",
    ),
    (
        "manager",
        "Product",
        "product-admin",
        "manager-admin",
        "configuration",
    ),
    (
        "manager",
        "Customer",
        "customer-admin",
        "manager-admin",
        "customer",
    ),
    ("manager", "Fund", "funds-admin", "manager-admin", "funds"),
    (
        "manager",
        "Trade",
        "trading-admin",
        "manager-admin",
        "trading",
    ),
    (
        "manager",
        "Trade/Spot",
        "trade-report",
        "manager-admin",
        "report",
    ),
    (
        "manager",
        "Message",
        "message-admin",
        "manager-admin",
        "message",
    ),
    (
        "manager",
        "Activities",
        "activities-admin",
        "manager-admin",
        "funds",
    ),
    (
        "manager",
        "Markets/HTTP",
        "markets-http",
        "manager-admin",
        "quote",
    ),
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

/// What upstream's tag `upstream` (as [`crate::export::Operation::upstream_tag`] gives it) of
/// an operation of `api` becomes; `None` for a tag [`TAGS`] does not list.
pub(crate) fn find(api: &str, upstream: &str) -> Option<Tag> {
    TAGS.iter()
        .find(|(a, t, ..)| *a == api && *t == upstream)
        .map(|&(_, _, tag, area, group)| Tag { tag, area, group })
}

/// What the tag of `op` becomes: for an untagged operation, its module and service
/// (`module:admin.CompanyWebhookDubboService`) where [`TAGS`] lists them, else its module.
pub(crate) fn of(op: &Operation) -> Option<Tag> {
    let api = op.export().api;
    let upstream = op.upstream_tag();
    let by_service = upstream.starts_with("module:").then(|| {
        let last = op.upstream_path.rsplit('/').next().unwrap_or_default();
        let parts: Vec<&str> = last.split('.').collect();
        parts
            .len()
            .checked_sub(2)
            .and_then(|i| parts.get(i))
            .and_then(|service| find(api, &format!("{upstream}.{service}")))
    });
    by_service.flatten().or_else(|| find(api, &upstream))
}
