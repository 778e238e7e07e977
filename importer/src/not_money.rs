//! The fields of the imported areas named like money ([`crate::money::is_money_name`]) that
//! hold something a decimal cannot read: each stays a string, and its spec says why in
//! `x-mm-not-money`. Kept here, by area, component and field, so that a re-import keeps them;
//! the import refuses an exception that no longer finds its field (upstream moved or renamed
//! it), so none outlives its reason.

use crate::Error;
use crate::area::Area;
use crate::money;

/// A field named like money that is not a decimal, and why.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NotMoney {
    /// The area spec: `openapi/<area>.yaml`.
    pub area: &'static str,
    /// The component (`components.schemas`), as the import names it.
    pub schema: &'static str,
    /// The field's path in the component: `price`, `list[].price` for the items of a list,
    /// `account.price` for a nested object, `rates{}.price` for the values of a map.
    pub field: &'static str,
    /// What the field holds instead (`x-mm-not-money`).
    pub reason: &'static str,
}

/// Upstream writes `-` in a closing record's take-profit and stop-loss price where none was
/// set (its export says so of these two records).
const DASH_WHEN_UNSET: &str =
    "upstream writes `-` here when the order had none set, which no decimal reads";

/// Upstream's percentages travel as text with a `%` sign (`26.61%`, `-0.01%`, `0.00%` in its
/// examples).
const PERCENT_SIGN: &str = "a percentage written with its `%` sign (`26.61%` in upstream's examples), which no decimal reads";

/// The exceptions of the committed specs: what `cargo xtask import` applies.
pub const NOT_MONEY: &[NotMoney] = &[
    NotMoney {
        area: "client-basic",
        schema: "QueryEquityPremiumRateVo",
        field: "premiumRate",
        reason: PERCENT_SIGN,
    },
    NotMoney {
        area: "client-customer-basic",
        schema: "QueryCustomerAssetsInfoData",
        field: "closeProportion",
        reason: PERCENT_SIGN,
    },
    NotMoney {
        area: "client-index",
        schema: "FundNetValueCompareDto",
        field: "marketPriceChangeQuote",
        reason: "the change of the market price in percent with its `%` sign (`0.00%`), or `-` \
                 where there is none: no decimal reads either",
    },
    NotMoney {
        area: "client-market-maker",
        schema: "GetUnclaimedMarketAmountData",
        field: "longIncomePercent",
        reason: PERCENT_SIGN,
    },
    NotMoney {
        area: "client-market-maker",
        schema: "GetUnclaimedMarketAmountData",
        field: "shortIncomePercent",
        reason: PERCENT_SIGN,
    },
    NotMoney {
        area: "client-market-maker",
        schema: "MarketIncomeReportData",
        field: "percent",
        reason: PERCENT_SIGN,
    },
    NotMoney {
        area: "client-trade-contract",
        schema: "CfdMmOrderQueryHistoryCloseOrderListData",
        field: "list[].stopLoss",
        reason: DASH_WHEN_UNSET,
    },
    NotMoney {
        area: "client-trade-contract",
        schema: "CfdMmOrderQueryHistoryCloseOrderListData",
        field: "list[].takeProfit",
        reason: DASH_WHEN_UNSET,
    },
    NotMoney {
        area: "client-trade-contract",
        schema: "CfdWbwOrderQueryHistoryCloseOrderListData",
        field: "list[].stopLoss",
        reason: DASH_WHEN_UNSET,
    },
    NotMoney {
        area: "client-trade-contract",
        schema: "CfdWbwOrderQueryHistoryCloseOrderListData",
        field: "list[].takeProfit",
        reason: DASH_WHEN_UNSET,
    },
];

/// Refuses an exception of `not_money` that marked no field of `areas` (what the import made):
/// its field is gone or has moved, and the exception with it.
pub(crate) fn check_all_used(not_money: &[NotMoney], areas: &[Area]) -> Result<(), Error> {
    for exception in not_money {
        let used = areas
            .iter()
            .find(|area| area.name == exception.area)
            .and_then(|area| area.spec["components"]["schemas"].get(exception.schema))
            .is_some_and(|schema| {
                let mut found = false;
                let mut schema = schema.clone();
                money::visit_fields(&mut schema, &mut |field, _, property| {
                    found |= field == exception.field
                        && property["x-mm-not-money"].as_str() == Some(exception.reason);
                });
                found
            });
        if !used {
            return Err(Error::new(format!(
                "importer/src/not_money.rs: the exception for `{}` of `{}` in `openapi/{}.yaml` \
                 finds no string field named like money there: upstream has moved, renamed or \
                 retyped it; remove the exception or give the field's new place",
                exception.field, exception.schema, exception.area
            )));
        }
    }
    Ok(())
}
