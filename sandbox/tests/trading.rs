//! The sandbox's model of the isolated-margin contract and of deposit and withdrawal
//! proposals, driven through the SDK: positions open and close with exact money, margin is
//! taken and given back, and each refusal is upstream's code.

use mm_sdk::client::funds;
use mm_sdk::client::trade as contract;
use mm_sdk::enums::{ContractOrderStatus, OpenClose, OrderType, PositionStatusText};
use mm_sdk::extras::back_office::BalanceAdjustment;
use mm_sdk::ids::{AccountId, CustomerNo, OrderId, PositionId, SymbolId};
use mm_sdk::manager::funds::GetBalanceRequest;
use mm_sdk::{Decimal, DecimalNumber, LoginToken, MultiMarkets};
use mm_sdk_sandbox::{Config, Sandbox};
use mm_sdk_test_support::bounded;
use mm_sdk_test_support::sandbox::{self as support, api_code};

/// The isolated-margin contract's trade type, as upstream's docs say to send it.
const TRADE_TYPE: i64 = 2;
/// A product quoted under trade type 2 in the docs' `product_list` (BTC/USDT_PRD).
const SYMBOL: i64 = 969;

fn decimal(text: &str) -> Decimal {
    Decimal::from_str_exact(text).unwrap_or_else(|e| panic!("`{text}`: {e}"))
}

/// A sandbox, a client for it, and a signed-in customer with a USDT account of trade type 2.
struct Trader {
    sandbox: Sandbox,
    mm: MultiMarkets,
    customer_no: CustomerNo,
    account_id: AccountId,
    token: LoginToken,
}

impl Trader {
    /// A customer whose account holds `balance` USDT, credited through the Manager API.
    async fn with(balance: &str) -> Self {
        let sandbox = Sandbox::start(Config::default()).await.unwrap();
        let mm = mm_sdk::sandbox::builder(&sandbox).build().unwrap();
        let (customer_no, account_id, token) = customer(&mm, "trader@example.com").await;
        let credit = BalanceAdjustment::new(&customer_no, "USDT", decimal(balance))
            .trade_type(mm_sdk::enums::TradeType::from(TRADE_TYPE));
        mm.back_office().adjust_balance(&credit).await.unwrap();
        Self {
            sandbox,
            mm,
            customer_no,
            account_id,
            token,
        }
    }

    /// The account's balance as the sandbox holds it, checked against what the Manager API
    /// reports.
    async fn balance(&self) -> Decimal {
        let request = GetBalanceRequest::new(
            self.customer_no.as_str(),
            mm_sdk::enums::TradeType::from(TRADE_TYPE),
        );
        let reported = self
            .mm
            .manager()
            .funds()
            .get_balance(&request)
            .await
            .unwrap();
        let held = self
            .sandbox
            .balance(&self.customer_no, self.account_id)
            .unwrap();
        assert_eq!(reported[0].balance, held);
        held
    }

    async fn place(
        &self,
        order: contract::OrderAddMarketOrderRequest,
    ) -> Result<contract::OrderAddMarketOrderData, mm_sdk::Error> {
        self.mm
            .client()
            .trade()
            .order_add_market_order(&self.token, &order)
            .await
    }

    async fn position(
        &self,
        position_id: PositionId,
    ) -> Result<contract::PositionQueryPositionDetailData, mm_sdk::Error> {
        let request = contract::PositionQueryPositionDetailRequest::new(position_id, TRADE_TYPE);
        self.mm
            .client()
            .trade()
            .position_query_position_detail(&self.token, &request)
            .await
    }

    async fn open_positions(&self) -> contract::PositionQueryPositionPageData {
        let request = contract::PositionQueryPositionPageRequest::new(TRADE_TYPE);
        self.mm
            .client()
            .trade()
            .position_query_position_page(&self.token, &request)
            .await
            .unwrap()
    }

    async fn order(
        &self,
        order_id: OrderId,
    ) -> Result<contract::CfdWbwOrderQueryOrderDetailData, mm_sdk::Error> {
        let request = contract::CfdWbwOrderQueryOrderDetailRequest::new(order_id, TRADE_TYPE);
        self.mm
            .client()
            .trade()
            .cfd_wbw_order_query_order_detail(&self.token, &request)
            .await
    }

    async fn cancel(
        &self,
        order_id: OrderId,
    ) -> Result<contract::OrderCloseTradePboOrderData, mm_sdk::Error> {
        let request = contract::OrderCloseTradePboOrderRequest::new(order_id, TRADE_TYPE);
        self.mm
            .client()
            .trade()
            .order_close_trade_pbo_order(&self.token, &request)
            .await
    }

    async fn withdraw(
        &self,
        amount: &str,
    ) -> Result<funds::FundsCustomerWithdrawProposalDto, mm_sdk::Error> {
        let request = funds::CreateWithdrawProposalRequest::new(1, TRADE_TYPE, "bank")
            .account_currency("USDT")
            .amount(DecimalNumber::from(decimal(amount)));
        self.mm
            .client()
            .funds()
            .create_withdraw_proposal(&self.token, &request)
            .await
    }
}

/// Registers a customer by email with a USDT account of trade type 2 and logs them in: their
/// customer number, account id and login token.
async fn customer(mm: &MultiMarkets, email: &str) -> (CustomerNo, AccountId, LoginToken) {
    let (customer_no, session) = support::customer(mm, email, &TRADE_TYPE.to_string()).await;
    let request = GetBalanceRequest::new(
        customer_no.as_str(),
        mm_sdk::enums::TradeType::from(TRADE_TYPE),
    );
    let account_id = mm.manager().funds().get_balance(&request).await.unwrap()[0].account_id;
    (customer_no, account_id, session.token)
}

/// An order of product `SYMBOL`: `biz_type` 1 opens at the market, 2 closes, 10 is a limit;
/// `direction` 1 buys, 2 sells.
fn order(biz_type: i32, direction: i64, quantity: &str) -> contract::OrderAddMarketOrderRequest {
    contract::OrderAddMarketOrderRequest::new(
        "USDT",
        6,
        biz_type,
        direction,
        1_i64,
        decimal(quantity),
        Decimal::ZERO,
        1_700_000_000_000_i64,
        SYMBOL,
        TRADE_TYPE,
    )
    .source("sandbox-test")
}

/// `order` of another product.
fn of_symbol(
    mut order: contract::OrderAddMarketOrderRequest,
    symbol_id: impl Into<SymbolId>,
) -> contract::OrderAddMarketOrderRequest {
    order.symbol_id = symbol_id.into();
    order
}

/// `order` at a limit price.
fn at_price(
    mut order: contract::OrderAddMarketOrderRequest,
    price: &str,
) -> contract::OrderAddMarketOrderRequest {
    order.request_price = decimal(price);
    order
}

fn price(value: &Option<Decimal>) -> Decimal {
    value.expect("a price")
}

#[tokio::test]
async fn an_open_position_is_listed_and_closing_it_books_its_exact_profit() {
    bounded(async {
        let trader = Trader::with("1000").await;

        let opened = trader
            .place(order(1, 1, "2").cross_level_num(10))
            .await
            .unwrap();
        let position_id = opened.position_id.expect("the position opened");
        let open_price = price(&opened.execute_price);
        assert_eq!(price(&opened.open_price), open_price);
        assert_eq!(opened.open_or_close, Some(OpenClose::Open));
        assert_eq!(opened.source.as_deref(), Some("sandbox-test"));
        // The margin, the value over the leverage, is taken from the balance.
        let margin = open_price * decimal("2") / decimal("10");
        assert_eq!(trader.balance().await, decimal("1000") - margin);

        let open = trader.open_positions().await;
        assert_eq!(open.len(), 1);
        assert_eq!(open[0].position_id, Some(position_id));
        assert_eq!(open[0].status, Some(PositionStatusText::Open));
        assert_eq!(price(&open[0].open_price), open_price);
        assert_eq!(open[0].open_margin, Some(margin));

        // A bought position is closed by a sell of its whole quantity.
        let closed = trader
            .place(order(2, 2, "2").position_id(position_id))
            .await
            .unwrap();
        assert_eq!(closed.open_or_close, Some(OpenClose::Close));
        let close_price = price(&closed.execute_price);
        // With no market-data subscriber the quote stands still: the buy filled at the ask,
        // the sell at the bid, two points lower.
        assert!(close_price < open_price, "{close_price} < {open_price}");
        let profit = (close_price - open_price) * decimal("2");
        assert_eq!(closed.profit, Some(profit));
        assert_eq!(trader.balance().await, decimal("1000") + profit);

        assert!(trader.open_positions().await.is_empty());
        let detail = trader.position(position_id).await.unwrap();
        assert_eq!(detail.status, Some(PositionStatusText::Completed));
        assert_eq!(price(&detail.close_price), close_price);
        assert_eq!(detail.profit, Some(profit));

        // The capital flow holds every change, newest first.
        let request = contract::OrderQueryCapitalFlowListRequest::new(TRADE_TYPE);
        let flow = trader
            .mm
            .client()
            .trade()
            .order_query_capital_flow_list(&trader.token, &request)
            .await
            .unwrap();
        let kinds: Vec<_> = flow
            .records
            .iter()
            .map(|r| r.business_type1.unwrap())
            .collect();
        assert_eq!(kinds, [6004, 5002, 5001, 4001]);
        assert_eq!(flow.records[0].amount_after, Some(decimal("1000") + profit));
    })
    .await;
}

#[tokio::test]
async fn a_resting_limit_order_holds_its_margin_until_it_is_cancelled() {
    bounded(async {
        let trader = Trader::with("500").await;
        // A buy limited to 1 point (the lowest price) cannot fill: it rests.
        let resting = trader
            .place(at_price(order(10, 1, "3"), "1").cross_level_num(1))
            .await
            .unwrap();
        assert_eq!(resting.position_id, None);
        let order_id = resting.order_id.unwrap();
        let limit = decimal("0.001");
        assert_eq!(
            trader.balance().await,
            decimal("500") - limit * decimal("3")
        );
        let detail = trader.order(order_id).await.unwrap();
        assert_eq!(
            (detail.status, detail.busii_type),
            (
                Some(ContractOrderStatus::Received),
                Some(OrderType::LimitPending)
            )
        );

        trader.cancel(order_id).await.unwrap();
        assert_eq!(trader.balance().await, decimal("500"));
        assert_eq!(
            trader.order(order_id).await.unwrap().status,
            Some(ContractOrderStatus::Cancelled)
        );
        assert_eq!(api_code(trader.cancel(order_id).await), "CFDWBWE000007");

        // A limit the quote already meets fills at once, at the quote.
        let filled = trader
            .place(at_price(order(10, 1, "1"), "999999999"))
            .await
            .unwrap();
        assert!(filled.position_id.is_some());
        assert!(price(&filled.execute_price) < decimal("999999.999"));
        let request = contract::OrderQueryOrderPageRequest::new(TRADE_TYPE);
        let orders = trader
            .mm
            .client()
            .trade()
            .order_query_order_page(&trader.token, &request)
            .await
            .unwrap()
            .into_result()
            .expect("a page of orders");
        let statuses: Vec<_> = orders.records.iter().map(|o| o.status.unwrap()).collect();
        assert_eq!(
            (orders.total, statuses),
            (
                Some(2),
                vec![ContractOrderStatus::Filled, ContractOrderStatus::Cancelled]
            )
        );
    })
    .await;
}

#[tokio::test]
async fn orders_of_an_unknown_product_or_beyond_the_balance_are_refused() {
    bounded(async {
        let trader = Trader::with("100").await;
        let unknown = trader.place(of_symbol(order(1, 1, "1"), 999_999)).await;
        assert_eq!(api_code(unknown), "CFDWBWE000013");
        // Symbol 2 is quoted under trade types 1 and 3, not 2.
        let other_trade_type = trader.place(of_symbol(order(1, 1, "1"), 2)).await;
        assert_eq!(api_code(other_trade_type), "CFDWBWE000013");
        let too_large = trader.place(order(1, 2, "1000000")).await;
        assert_eq!(api_code(too_large), "FS540013");
        let leverage = trader.place(order(1, 1, "1").cross_level_num(101)).await;
        assert_eq!(api_code(leverage), "CFDWBWE000029");
        let no_quantity = trader.place(order(1, 1, "0")).await;
        assert_eq!(api_code(no_quantity), "CFDWBWE000007");
        // Nothing was taken, nothing opened.
        assert_eq!(trader.balance().await, decimal("100"));
        assert!(trader.open_positions().await.is_empty());
    })
    .await;
}

#[tokio::test]
async fn unknown_orders_and_positions_are_refused() {
    bounded(async {
        let trader = Trader::with("1000").await;
        assert_eq!(
            api_code(trader.position(PositionId::new(42)).await),
            "CFDWBWE000008"
        );
        let close = trader.place(order(2, 2, "1").position_id(42_i64)).await;
        assert_eq!(api_code(close), "CFDWBWE000008");
        assert_eq!(
            api_code(trader.order(OrderId::new(42)).await),
            "USCUSTOMER_API_0000003"
        );
        assert_eq!(
            api_code(trader.cancel(OrderId::new(42)).await),
            "USCUSTOMER_API_0000003"
        );

        // Another customer's position and order are unknown to this one.
        let opened = trader.place(order(1, 1, "1")).await.unwrap();
        let (position_id, order_id) = (opened.position_id.unwrap(), opened.order_id.unwrap());
        let (_, _, stranger) = customer(&trader.mm, "stranger@example.com").await;
        let request = contract::PositionQueryPositionDetailRequest::new(position_id, TRADE_TYPE);
        let theirs = trader
            .mm
            .client()
            .trade()
            .position_query_position_detail(&stranger, &request)
            .await;
        assert_eq!(api_code(theirs), "CFDWBWE000008");
        let request = contract::CfdWbwOrderQueryOrderDetailRequest::new(order_id, TRADE_TYPE);
        let theirs = trader
            .mm
            .client()
            .trade()
            .cfd_wbw_order_query_order_detail(&stranger, &request)
            .await;
        assert_eq!(api_code(theirs), "USCUSTOMER_API_0000003");

        // A position closes whole, by the opposite side, once.
        let partial = trader
            .place(order(2, 2, "0.5").position_id(position_id))
            .await;
        assert_eq!(api_code(partial), "CFDWBWE000023");
        let same_side = trader
            .place(order(2, 1, "1").position_id(position_id))
            .await;
        assert_eq!(api_code(same_side), "CFDWBWE000007");
        trader
            .place(order(2, 2, "1").position_id(position_id))
            .await
            .unwrap();
        let again = trader
            .place(order(2, 2, "1").position_id(position_id))
            .await;
        assert_eq!(api_code(again), "CFDWBWE000008");
    })
    .await;
}

#[tokio::test]
async fn a_withdrawal_takes_its_amount_and_one_beyond_the_balance_is_refused() {
    bounded(async {
        let trader = Trader::with("100").await;
        let proposal = trader.withdraw("30.5").await.unwrap();
        // Exact, and with the six digits of the account's currency.
        assert_eq!(proposal.amount, Some(decimal("30.5")));
        assert_eq!(
            proposal.amount.map(|a| a.to_string()).as_deref(),
            Some("30.500000")
        );
        assert_eq!(proposal.withdraw_view_status, 1);
        assert_eq!(trader.balance().await, decimal("69.5"));

        assert_eq!(api_code(trader.withdraw("69.500001").await), "FS52005");
        assert_eq!(trader.balance().await, decimal("69.5"));
        // Margin held by a position is not there to withdraw.
        trader.place(order(1, 1, "1")).await.unwrap();
        assert_eq!(api_code(trader.withdraw("69.5").await), "FS52005");

        let page = trader
            .mm
            .client()
            .funds()
            .query_withdraw_page_list(&trader.token, &Default::default())
            .await
            .unwrap();
        assert_eq!(page.total, Some(1));
        assert_eq!(page.records[0].proposal_no, proposal.proposal_no);
        assert_eq!(page.records[0].account_id, Some(trader.account_id));
    })
    .await;
}

#[tokio::test]
async fn deposit_proposals_are_listed_and_a_paid_one_credits_the_balance() {
    bounded(async {
        let trader = Trader::with("10").await;
        let request = funds::CreateCustomerDepositReqDto::new(
            "USDT",
            1,
            "web",
            "bank-transfer",
            "bank",
            "USDT",
            "m-1",
            TRADE_TYPE,
        )
        .deposit_amount(DecimalNumber::from(decimal("50")));
        let created = trader
            .mm
            .client()
            .funds()
            .create_deposit_proposal(&trader.token, &request)
            .await
            .unwrap();
        let proposal_no = created.proposal_no.expect("a proposal number");
        // Not paid yet: the balance waits.
        assert_eq!(trader.balance().await, decimal("10"));
        let query =
            |no: &str| funds::QueryCustomerDepositProposalReqDto::new(TRADE_TYPE).proposal_no(no);
        let pending = trader
            .mm
            .client()
            .funds()
            .query_deposit_proposal(&trader.token, &query(&proposal_no))
            .await
            .unwrap();
        assert_eq!(pending.deposit_status, Some(1));
        assert_eq!(
            pending.intend_amount.map(|a| a.to_string()).as_deref(),
            Some("50.000000")
        );
        let unknown = trader
            .mm
            .client()
            .funds()
            .query_deposit_proposal(&trader.token, &query("D99999999999999"))
            .await;
        assert_eq!(api_code(unknown), "FS404");

        trader
            .sandbox
            .simulate_deposit(&trader.customer_no, trader.account_id, decimal("25"))
            .unwrap();
        assert_eq!(trader.balance().await, decimal("35"));
        let page = trader
            .mm
            .client()
            .funds()
            .query_deposit_page_list(&trader.token, &Default::default())
            .await
            .unwrap();
        let listed: Vec<_> = page
            .records
            .iter()
            .map(|d| {
                (
                    d.deposit_status.unwrap(),
                    d.final_amount.unwrap().to_string(),
                )
            })
            .collect();
        assert_eq!(
            listed,
            [(2, "25.000000".to_owned()), (1, "0.000000".to_owned())]
        );
    })
    .await;
}

/// A withdrawal sent again with its idempotency key (as the SDK does after a timeout) is
/// answered with the first proposal and takes the money once; a new key is a new withdrawal.
#[tokio::test]
async fn a_repeated_idempotency_key_is_answered_once() {
    bounded(async {
        let trader = Trader::with("100").await;
        // `create_withdraw_proposal`'s path (openapi/client-funds-withdrawal.yaml): the SDK no
        // longer exposes its operation table, and this test must send the request itself.
        let path = "/api/global/fund.app.WithdrawAppDubboService.createWithdrawProposal";
        let url = trader.sandbox.base_url().join(path).unwrap();
        let body = serde_json::json!({
            "tradeType": TRADE_TYPE, "customerGroupId": 1, "accountCurrency": "USDT",
            "amount": 30, "withdrawMethod": "bank"
        });
        let http = reqwest::Client::new();
        let send = |key: &'static str| {
            http.post(url.clone())
                .header("companyId", trader.sandbox.config().company_id.as_str())
                .header("token", trader.token.expose_secret())
                .header("trace", format!("trace-{key}"))
                .header("lang", "en-US")
                .header("version", "0.0.1")
                .header("idempotency-key", key)
                .json(&body)
                .send()
        };
        let first: serde_json::Value = send("key-1").await.unwrap().json().await.unwrap();
        let again: serde_json::Value = send("key-1").await.unwrap().json().await.unwrap();
        assert_eq!(first["ok"], true, "{first}");
        assert_eq!(again["data"], first["data"]);
        assert_eq!(trader.balance().await, decimal("70"));

        let other: serde_json::Value = send("key-2").await.unwrap().json().await.unwrap();
        assert_ne!(other["data"]["proposalNo"], first["data"]["proposalNo"]);
        assert_eq!(trader.balance().await, decimal("40"));
    })
    .await;
}
