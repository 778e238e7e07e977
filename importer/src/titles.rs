//! Titles in our words for the imported operations whose only title upstream is not English
//! (the Chinese exports'), and for a few whose English title says less than the call does.
//! An operation's `summary` is its title here where it has one; otherwise the words of its
//! bizType's method (`queryOrderPage` → "Query order page."). Upstream's Chinese titles are
//! read to write these, never copied.

/// Our path → our title (a sentence without its full stop).
const TITLES: &[(&str, &str)] = &[
    // Client API, Chinese edition: what the English export lacks.
    (
        "/api/global/customer.app.CustomerWalletWebApiService.batchAddByChain",
        "Add several of the customer's wallet addresses, one per chain",
    ),
    (
        "/api/global/customer.app.CustomerWalletWebApiService.batchUpdateByChain",
        "Change several of the customer's wallet addresses, one per chain",
    ),
    (
        "/api/global/fund.app.DepositAppDubboService.queryDepositProposal",
        "Read one of the customer's deposit proposals",
    ),
    (
        "/api/global/fund.app.WithdrawAppDubboService.queryWithdrawProposal",
        "Read one of the customer's withdrawal proposals",
    ),
    (
        "/api/global/message.app.CustomerTgBindApiService.createTgQrCode",
        "Create the address (shown as a QR code) that binds a Telegram account to the customer",
    ),
    (
        "/api/global/message.app.CustomerTgBindApiService.queryCustomerTgBindList",
        "List the Telegram accounts bound to the customer",
    ),
    (
        "/api/global/message.app.CustomerTgBindApiService.queryCustomerTgBindListByPage",
        "List the Telegram accounts bound to the customer, a page at a time",
    ),
    (
        "/api/global/message.app.CustomerTgBindApiService.unbindTg",
        "Unbind a Telegram account from the customer",
    ),
    // Manager API, extended file: contract trading on a customer's behalf.
    (
        "/openapi-b/tradeapi.admin.CfdMMOrderApiService.addMarketOrder",
        "Place an order for a customer's full-margin contract account",
    ),
    (
        "/openapi-b/tradeapi.business.CfdWBWOrderApiService.addMarketOrder",
        "Place an order for an isolated-margin contract account",
    ),
    (
        "/openapi-b/tradeapi.business.CfdMMOrderApiService.updateOrder",
        "Set the stop loss and take profit of a full-margin position",
    ),
    (
        "/openapi-b/tradeapi.business.CfdWBWOrderApiService.updateOrder",
        "Set the stop loss and take profit of an isolated-margin position",
    ),
    (
        "/openapi-b/tradeapi.business.CfdMMOrderApiService.queryOrderPage",
        "List the orders of a full-margin contract account",
    ),
    (
        "/openapi-b/tradeapi.business.CfdWBWOrderApiService.queryOrderPage",
        "List the orders of an isolated-margin contract account",
    ),
    (
        "/openapi-b/tradeapi.business.CfdMMOrderApiService.queryTradeRecordPage",
        "Page through the trade records of full-margin contracts",
    ),
    (
        "/openapi-b/tradeapi.business.CfdWBWOrderApiService.queryTradeRecordPage",
        "Page through the trade records of isolated-margin contracts",
    ),
    (
        "/openapi-b/tradeapi.business.CfdMMOrderApiService.setCrossLevelNum",
        "Set a customer's leverage on a symbol, for all its full-margin positions",
    ),
    (
        "/openapi-b/tradeapi.business.CfdWBWOrderApiService.setCrossLevelNum",
        "Set the leverage on a symbol for isolated-margin positions",
    ),
    (
        "/openapi-b/tradeapi.business.CfdMMOrderApiService.queryCapitalFlowList",
        "Page through the capital flows of full-margin contract accounts",
    ),
    (
        "/openapi-b/tradeapi.business.CfdWBWOrderApiService.queryCapitalFlowList",
        "Page through the capital flows of an isolated-margin contract account",
    ),
    (
        "/openapi-b/tradeapi.business.CfdMMPositionApiService.queryPositionPage",
        "List full-margin contract positions",
    ),
    (
        "/openapi-b/tradeapi.business.CfdWBWPositionApiService.queryPositionPage",
        "List isolated-margin contract positions",
    ),
    (
        "/openapi-b/tradeapi.business.CfdWBWPositionApiService.updateOccupyTheMargin",
        "Add margin to an isolated-margin position, or take some back",
    ),
    (
        "/openapi-b/config.admin.AdminSymbolDubboService.getSymbolDetail",
        "Read the details of one symbol",
    ),
    // Manager API, extended file: risk settings and figures.
    (
        "/openapi-b/config.admin.AdminSymbolDubboService.getSymbolDetail3",
        "Read a symbol's details, where its profit-and-loss threshold is set",
    ),
    (
        "/openapi-b/config.admin.AdminSymbolDubboService.getSymbolDetail4",
        "Read a symbol's details, where its net-position threshold is set",
    ),
    (
        "/openapi-b/config.admin.AdminMarginConfigService.saveMarginConf",
        "Add a margin configuration record",
    ),
    (
        "/openapi-b/config.admin.AdminMarginConfigService.pageView",
        "Page through the margin configuration records",
    ),
    (
        "/openapi-b/config.admin.AdminMarginConfigService.removeMarginConf",
        "Delete a margin configuration record",
    ),
    (
        "/openapi-b/config.admin.AdminMarginConfigService.updateMarginConf",
        "Change a margin configuration record",
    ),
    (
        "/openapi-b/config.admin.AdminTradeConfigService.saveParamConf",
        "Add a trading parameter record (per customer, group, symbol or symbol group)",
    ),
    (
        "/openapi-b/config.admin.AdminTradeConfigService.pageView",
        "Page through the trading parameter records",
    ),
    (
        "/openapi-b/config.admin.AdminTradeConfigService.removeParamConf",
        "Delete a trading parameter record",
    ),
    (
        "/openapi-b/config.admin.AdminTradeConfigService.updateParamConf",
        "Change a trading parameter record",
    ),
    (
        "/openapi-b/rtcReport.admin.AdminCompanyQueryService.queryCompanyPnl",
        "The company's total profit and loss on contracts, per asset",
    ),
    (
        "/openapi-b/rtcReport.admin.AdminCompanyQueryService.queryCompanySymbolPnl",
        "The company's total profit and loss on contracts, per symbol",
    ),
    (
        "/openapi-b/rtcReport.admin.AdminCompanyQueryService.queryCompanySymbolNetPosition",
        "The company's net position, per symbol",
    ),
    (
        "/openapi-b/rtcReport.admin.AdminCompanyQueryService.queryCompanySymbolPosition",
        "The company's open volume, per symbol",
    ),
    (
        "/openapi-b/rtcReport.admin.AdminCompanyQueryService.queryCustomerPnl",
        "A customer's total profit and loss on contracts",
    ),
    (
        "/openapi-b/rtcReport.admin.AdminCompanyQueryService.queryCustomerSymbolPnl",
        "A customer's profit and loss on contracts, per symbol",
    ),
    (
        "/openapi-b/rtcReport.admin.AdminCompanyQueryService.queryCustomerSymbolNetPosition",
        "A customer's net position, per symbol",
    ),
    (
        "/openapi-b/rtcReport.admin.AdminCompanyQueryService.queryCustomerSymbolPosition",
        "A customer's open volume, per symbol",
    ),
    (
        "/openapi-b/admin.admin.CompanyWebhookDubboService.subscribe",
        "Register the addresses on the company's server that the platform calls: balance \
         query, adjustment, and cancellation of an adjustment",
    ),
    // Manager API, quant variant.
    (
        "/openapi-b/customer.admin.WhiteCustomerAdminApiService.destroy",
        "Close a customer",
    ),
    (
        "/openapi-b/customer.admin.WhiteCustomerAdminDriectAccService.add",
        "Open a trading account for a customer",
    ),
    (
        "/openapi-b/customer.admin.WhiteCustomerAdminDriectAccService.update",
        "Change a customer's trading account",
    ),
    (
        "/openapi-b/customer.admin.WhiteCustomerAdminDriectAccService.list",
        "List a customer's trading accounts",
    ),
    (
        "/openapi-b/customer.admin.WhiteCustomerAdminDriectAccService.delete",
        "Delete a customer's trading account",
    ),
];

/// Our title of the operation at `path` (ours), where we wrote one.
pub(crate) fn title(path: &str) -> Option<&'static str> {
    TITLES.iter().find(|(p, _)| *p == path).map(|(_, t)| *t)
}

/// Whether upstream's `title` can be quoted as it is: English, which our descriptions are in.
pub(crate) fn is_english(title: &str) -> bool {
    title.is_ascii()
}
