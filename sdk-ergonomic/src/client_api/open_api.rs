//! The Open API (`/openapi-c/...`): the customer's calls authenticated by an API key and a
//! SHA1withRSA signature of each request instead of a login token.

use mm_sdk_generated::client::prelude::*;
use mm_sdk_generated::client::types;
use serde::Serialize;
use serde_json::Value;

use super::{ClientApi, invalid, unix_millis};
use crate::call::{Idempotency, call};
use crate::error::Error;
use crate::open_api_sign::OpenApiKey;

/// What is signed of `body`: its JSON value, as the generated client will send it.
fn signable(body: &impl Serialize) -> Result<Value, Error> {
    serde_json::to_value(body)
        .map_err(|e| invalid(format!("the request body cannot be signed: {e}")))
}

/// The `timestamp` and `signature` headers for a body sent now. Computed again for every
/// attempt, so that a retry is not refused as outside the time window.
fn stamp(key: &OpenApiKey, body: &Value) -> (String, String) {
    let timestamp = unix_millis();
    (timestamp.to_string(), key.sign(body, timestamp))
}

/// The Order Process page's resource group of the trading interfaces (`group`).
const TRADE_GROUP: &str = "tradeApi";

impl ClientApi<'_> {
    /// The token for the Open API message WebSocket (account, position and trade pushes)
    /// (`getMsgPushToken`). Signed with the configured [`OpenApiKey`]. A read: retried on
    /// transient failures.
    pub async fn open_msg_token(&self) -> Result<String, Error> {
        let mm = self.mm;
        let key = mm.open_api_key()?;
        let settings = mm.settings();
        let body = types::EmptyRequest(serde_json::Map::new());
        let signed = signable(&body)?;
        call("open_msg_token", Idempotency::Read, mm.retry(), |trace| {
            let (timestamp, signature) = stamp(key, &signed);
            mm.client_client()
                .open_msg_token()
                .company_id(mm.company_id())
                .trace(trace.as_str())
                .timestamp(timestamp)
                .api_key(key.api_key())
                .signature(signature)
                .version(settings.api_version.as_str())
                .lang(settings.lang.as_str())
                .body(body.clone())
                .send()
        })
        .await
    }

    /// The products (symbols) visible to a customer group, with what is needed to trade
    /// them: `symbol_id`, `symbol_digits` (prices are sent multiplied by 10^digits), spreads,
    /// trading hours (`getSymbolBaseList`). Step 1 of the Open API order process. A read:
    /// retried on transient failures.
    pub async fn open_symbol_base_info(
        &self,
        customer_group_id: i64,
    ) -> Result<Vec<types::SymbolBaseInfo>, Error> {
        let mm = self.mm;
        let key = mm.open_api_key()?;
        let settings = mm.settings();
        let body = types::SymbolBaseListRequest { customer_group_id };
        let signed = signable(&body)?;
        call(
            "open_symbol_base_info",
            Idempotency::Read,
            mm.retry(),
            |trace| {
                let (timestamp, signature) = stamp(key, &signed);
                mm.client_client()
                    .open_symbol_base_info()
                    .company_id(mm.company_id())
                    .trace(trace.as_str())
                    .timestamp(timestamp)
                    .api_key(key.api_key())
                    .signature(signature)
                    .version(settings.api_version.as_str())
                    .lang(settings.lang.as_str())
                    .body(body.clone())
                    .send()
            },
        )
        .await
    }

    /// The profile and trading accounts of the customer the API key belongs to
    /// (`findCustomerInfo`). Step 2 of the Open API order process: take `account_id`,
    /// `digits` and `currency` of the account to trade with. A read: retried on transient
    /// failures.
    pub async fn open_customer_info(&self) -> Result<types::CustomerInfo, Error> {
        let mm = self.mm;
        let key = mm.open_api_key()?;
        let settings = mm.settings();
        let body = types::EmptyRequest(serde_json::Map::new());
        let signed = signable(&body)?;
        call(
            "open_customer_info",
            Idempotency::Read,
            mm.retry(),
            |trace| {
                let (timestamp, signature) = stamp(key, &signed);
                mm.client_client()
                    .open_customer_info()
                    .company_id(mm.company_id())
                    .trace(trace.as_str())
                    .timestamp(timestamp)
                    .api_key(key.api_key())
                    .signature(signature)
                    .version(settings.api_version.as_str())
                    .lang(settings.lang.as_str())
                    .body(body.clone())
                    .send()
            },
        )
        .await
    }

    /// Places a full-position (cross-margin) contract order (`CfdMMOrderApiService.addMarketOrder`,
    /// resource group `tradeApi`). Prices are integers sent as strings: the price times
    /// 10^`symbol_digits`. Places an order: never retried after a failure that may have
    /// reached the server (upstream has no idempotency key); on a timeout, look for the order
    /// in the trade messages before trying again.
    ///
    /// ```no_run
    /// # async fn run(mm: mm_sdk::MultiMarkets) -> Result<(), mm_sdk::Error> {
    /// use mm_sdk::client_api::ContractOrderRequest;
    ///
    /// // The Order Process page's market buy of 0.1 lot.
    /// let order = ContractOrderRequest::builder()
    ///     .trade_type(2)
    ///     .biz_type(1)
    ///     .direction(1)
    ///     .symbol_id(8390)
    ///     .account_id(Some(1034124))
    ///     .account_currency("CNY")
    ///     .account_digits(2)
    ///     .request_num("0.100000")
    ///     .request_price("167655")
    ///     .request_time(1698299972000_i64)
    ///     .try_into()
    ///     .expect("every required field is set");
    /// let executed = mm.client().open_contract_order(&order).await?;
    /// # Ok(()) }
    /// ```
    pub async fn open_contract_order(
        &self,
        order: &types::ContractOrderRequest,
    ) -> Result<types::ContractOrderResult, Error> {
        let mm = self.mm;
        let key = mm.open_api_key()?;
        let settings = mm.settings();
        let signed = signable(order)?;
        call(
            "open_contract_order",
            Idempotency::Write,
            mm.retry(),
            |trace| {
                let (timestamp, signature) = stamp(key, &signed);
                mm.client_client()
                    .open_contract_order()
                    .company_id(mm.company_id())
                    .trace(trace.as_str())
                    .timestamp(timestamp)
                    .api_key(key.api_key())
                    .signature(signature)
                    .version(settings.api_version.as_str())
                    .group(TRADE_GROUP)
                    .lang(settings.lang.as_str())
                    .body(order.clone())
                    .send()
            },
        )
        .await
    }
}
