//! Deposit and withdrawal proposals of the Client API (`client-funds-deposit.yaml`,
//! `client-funds-withdrawal.yaml`), recorded per customer (in `model::proposals`) and shown as
//! upstream's answers show them. A deposit proposal waits for a payment the sandbox has no
//! page for ([`Sandbox::simulate_deposit`](crate::Sandbox) stands for a paid one); a
//! withdrawal proposal takes its amount from the balance when it is made and waits for a
//! review the sandbox never makes.

use rust_decimal::Decimal;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::client_api::signed_in;
use crate::context::{Call, Shared};
use crate::envelope::Failure;
use crate::examples::overwrite;
use crate::model::money::{self, Entry};
use crate::model::proposals::{Deposit, Holder, Withdrawal, deposit_no, withdrawal_no};
use crate::model::state::State;
use crate::page::within;

impl Holder {
    /// The fields of a proposal every answer shares.
    fn fields(&self, company_id: i64, proposal_no: String) -> Value {
        json!({
            "companyId": company_id,
            "customerNo": self.customer_no,
            "customerGroupId": self.customer_group_id,
            "country": self.country,
            "accountId": self.account_id,
            "tradeType": self.trade_type,
            "proposalNo": proposal_no,
            "status": 1,
            "remark": self.remark.clone().unwrap_or_default(),
            "createBy": self.customer_no,
            "createTime": self.create_time,
            "updateTime": self.create_time,
        })
    }
}

impl Deposit {
    /// A row of `query_deposit_page_list`, and `query_deposit_proposal`'s answer.
    fn view(&self, company_id: i64) -> Value {
        let mut view = self.holder.fields(company_id, deposit_no(self.seq));
        let amount = money::amount(self.amount);
        let paid = money::amount(if self.paid {
            self.amount
        } else {
            Decimal::ZERO
        });
        // Pending (1) until paid, then successful (2).
        let status = if self.paid { 2 } else { 1 };
        overwrite(
            &mut view,
            json!({
                "depositCurrency": self.holder.currency,
                "paymentCurrency": self.payment_currency,
                "intendAmount": amount,
                "toPaymentRate": "1",
                "toPaymentAmount": amount,
                "fromPaymentAmount": paid,
                "actualAmount": paid,
                "depositFee": money::amount(Decimal::ZERO),
                "finalAmount": paid,
                "paymentCode": self.channel_code,
                "paymentType": self.channel_type,
                "checkStatus": status,
                "depositStatus": status,
                "paymentStatus": status,
                "notifyStatus": self.paid,
            }),
        );
        view
    }
}

impl Withdrawal {
    /// `create_withdraw_proposal`'s answer, and a row of `query_withdraw_page_list`: waiting
    /// for review (1), its transfer pending (1).
    fn view(&self, company_id: i64) -> Value {
        let mut view = self.holder.fields(company_id, withdrawal_no(self.seq));
        let amount = money::amount(self.amount);
        overwrite(
            &mut view,
            json!({
                "id": self.seq,
                "accountCurrency": self.holder.currency,
                "withdrawCurrency": self.withdraw_currency,
                "amount": amount,
                "rate": "1",
                "withdrawFee": money::amount(Decimal::ZERO),
                "finalAmount": amount,
                "accountDeductAmount": amount,
                "withdrawMethod": self.method,
                "withdrawType": self.withdraw_type.unwrap_or(1),
                "bankAccountName": self.bank_account_name.clone().unwrap_or_default(),
                "bankName": self.bank_name.clone().unwrap_or_default(),
                "bankCardNo": self.bank_card_no.clone().unwrap_or_default(),
                "blockchainName": self.blockchain_name.clone().unwrap_or_default(),
                "checkStatus": 1,
                "transferStatus": 1,
                "withdrawViewStatus": 1,
            }),
        );
        view
    }
}

/// `amount` if it is given and positive.
fn positive(amount: Option<Decimal>, field: &str) -> Result<Decimal, Failure> {
    amount
        .filter(|a| *a > Decimal::ZERO)
        .ok_or_else(|| Failure::invalid(format!("`{field}` must be a positive amount")))
}

/// A deposit paid through the trading UI (what [`Sandbox::simulate_deposit`](crate::Sandbox)
/// stands for): credits the account and records the paid proposal.
pub(crate) fn pay_in(
    state: &mut State,
    customer_no: &str,
    account_id: i64,
    amount: Decimal,
    now: i64,
) -> Result<Deposit, Failure> {
    let seq = state.proposals.next_deposit();
    let customer = state.existing_customer_mut(customer_no)?;
    let (customer_group_id, country) = (customer.customer_group_id, customer.country.clone());
    let account = customer.account_by_id_mut(account_id)?;
    account.post(Entry::Deposit, amount, None, now)?;
    let deposit = Deposit {
        seq,
        holder: Holder {
            customer_no: customer_no.to_owned(),
            customer_group_id,
            country,
            account_id,
            trade_type: account.trade_type,
            currency: account.currency.clone(),
            remark: None,
            create_time: now,
        },
        payment_currency: account.currency.clone(),
        amount,
        channel_code: "sandbox".into(),
        channel_type: "bank".into(),
        paid: true,
    };
    state.proposals.deposits.push(deposit.clone());
    Ok(deposit)
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct CreateDeposit {
    account_id: Option<i64>,
    trade_type: i64,
    customer_group_id: i64,
    account_currency: Option<String>,
    payment_currency: Option<String>,
    payment_channel_code: String,
    payment_channel_type: String,
    deposit_amount: Option<Decimal>,
    country: Option<String>,
    remark: Option<String>,
}

/// `create_deposit_proposal`: records a deposit waiting for its payment and answers its
/// number. The balance changes only once it is paid.
pub(crate) fn create_deposit(shared: &Shared, call: &Call<'_>) -> Result<Value, Failure> {
    let customer_no = signed_in(shared, call)?;
    let request: CreateDeposit = call.body()?;
    let amount = positive(request.deposit_amount, "depositAmount")?;
    shared.change(|state, now| {
        let seq = state.proposals.next_deposit();
        let customer = state.existing_customer_mut(&customer_no)?;
        let country = request.country.unwrap_or_else(|| customer.country.clone());
        let account = customer.account_mut(
            request.account_id,
            request.trade_type,
            request.account_currency.as_deref(),
        )?;
        let holder = Holder {
            customer_no: customer_no.clone(),
            customer_group_id: request.customer_group_id,
            country,
            account_id: account.account_id,
            trade_type: account.trade_type,
            currency: account.currency.clone(),
            remark: request.remark,
            create_time: now,
        };
        state.proposals.deposits.push(Deposit {
            seq,
            payment_currency: request
                .payment_currency
                .unwrap_or_else(|| holder.currency.clone()),
            holder,
            amount,
            channel_code: request.payment_channel_code,
            channel_type: request.payment_channel_type,
            paid: false,
        });
        Ok(json!({ "proposalNo": deposit_no(seq) }))
    })
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct DepositQuery {
    proposal_no: Option<String>,
}

/// `query_deposit_proposal`: one of the customer's deposit proposals, by number.
pub(crate) fn deposit(shared: &Shared, call: &Call<'_>) -> Result<Value, Failure> {
    let customer_no = signed_in(shared, call)?;
    let request: DepositQuery = call.body()?;
    let proposal_no = request
        .proposal_no
        .ok_or_else(|| Failure::invalid("`proposalNo` names the proposal"))?;
    shared.read(|state| {
        state
            .proposals
            .deposits
            .iter()
            .find(|d| d.holder.customer_no == customer_no && deposit_no(d.seq) == proposal_no)
            .map(|d| d.view(shared.company_id()))
            .ok_or_else(|| Failure::no_proposal(&proposal_no))
    })
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct DepositPage {
    deposit_currency: Option<String>,
    payment_currency: Option<String>,
    deposit_status: Option<String>,
    start_time: Option<i64>,
    end_time: Option<i64>,
}

/// `query_deposit_page_list`: the customer's deposit proposals, newest first, filtered as
/// asked (`depositStatus` 1 pending, 2 paid).
pub(crate) fn deposits(shared: &Shared, call: &Call<'_>) -> Result<Vec<Value>, Failure> {
    let customer_no = signed_in(shared, call)?;
    let request: DepositPage = call.body()?;
    let status = request.deposit_status.as_deref().filter(|s| !s.is_empty());
    shared.read(|state| {
        let rows = state
            .proposals
            .deposits
            .iter()
            .rev()
            .filter(|d| d.holder.customer_no == customer_no)
            .filter(|d| {
                let currency = request.deposit_currency.as_deref();
                currency.is_none_or(|c| d.holder.currency == c)
            })
            .filter(|d| {
                let currency = request.payment_currency.as_deref();
                currency.is_none_or(|c| d.payment_currency == c)
            })
            .filter(|d| status.is_none_or(|s| s == if d.paid { "2" } else { "1" }))
            .filter(|d| within(d.holder.create_time, request.start_time, request.end_time))
            .map(|d| d.view(shared.company_id()));
        Ok(rows.collect())
    })
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct CreateWithdrawal {
    account_id: Option<i64>,
    trade_type: i64,
    customer_group_id: i64,
    country: Option<String>,
    account_currency: Option<String>,
    withdraw_currency: Option<String>,
    amount: Option<Decimal>,
    withdraw_type: Option<i32>,
    withdraw_method: String,
    bank_account_name: Option<String>,
    bank_name: Option<String>,
    bank_card_no: Option<String>,
    blockchain_name: Option<String>,
    remark: Option<String>,
}

/// `create_withdraw_proposal`: takes the amount from the balance at once and records the
/// proposal, waiting for review. An amount above the balance is refused (`FS52005`).
pub(crate) fn create_withdrawal(shared: &Shared, call: &Call<'_>) -> Result<Value, Failure> {
    let customer_no = signed_in(shared, call)?;
    let request: CreateWithdrawal = call.body()?;
    let amount = positive(request.amount, "amount")?;
    shared.change(|state, now| {
        let seq = state.proposals.next_withdrawal();
        let customer = state.existing_customer_mut(&customer_no)?;
        let country = request.country.unwrap_or_else(|| customer.country.clone());
        let account = customer.account_mut(
            request.account_id,
            request.trade_type,
            request.account_currency.as_deref(),
        )?;
        if amount > account.balance {
            return Err(Failure::withdrawal_exceeds_balance());
        }
        account.post(Entry::Withdrawal, -amount, None, now)?;
        let holder = Holder {
            customer_no: customer_no.clone(),
            customer_group_id: request.customer_group_id,
            country,
            account_id: account.account_id,
            trade_type: account.trade_type,
            currency: account.currency.clone(),
            remark: request.remark,
            create_time: now,
        };
        let withdrawal = Withdrawal {
            seq,
            withdraw_currency: request
                .withdraw_currency
                .unwrap_or_else(|| holder.currency.clone()),
            holder,
            amount,
            method: request.withdraw_method,
            withdraw_type: request.withdraw_type,
            bank_account_name: request.bank_account_name,
            bank_name: request.bank_name,
            bank_card_no: request.bank_card_no,
            blockchain_name: request.blockchain_name,
        };
        let answer = withdrawal.view(shared.company_id());
        state.proposals.withdrawals.push(withdrawal);
        Ok(answer)
    })
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct WithdrawalPage {
    withdraw_type: Option<i32>,
    account_currency: Option<String>,
    withdraw_currency: Option<String>,
    start_time: Option<i64>,
    end_time: Option<i64>,
}

/// `query_withdraw_page_list`: the customer's withdrawal proposals, newest first, filtered as
/// asked.
pub(crate) fn withdrawals(shared: &Shared, call: &Call<'_>) -> Result<Vec<Value>, Failure> {
    let customer_no = signed_in(shared, call)?;
    let request: WithdrawalPage = call.body()?;
    shared.read(|state| {
        let rows = state
            .proposals
            .withdrawals
            .iter()
            .rev()
            .filter(|w| w.holder.customer_no == customer_no)
            .filter(|w| {
                let kind = request.withdraw_type;
                kind.is_none_or(|t| w.withdraw_type.unwrap_or(1) == t)
            })
            .filter(|w| {
                let currency = request.account_currency.as_deref();
                currency.is_none_or(|c| w.holder.currency == c)
            })
            .filter(|w| {
                let currency = request.withdraw_currency.as_deref();
                currency.is_none_or(|c| w.withdraw_currency == c)
            })
            .filter(|w| within(w.holder.create_time, request.start_time, request.end_time))
            .map(|w| w.view(shared.company_id()));
        Ok(rows.collect())
    })
}
