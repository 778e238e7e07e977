//! One callback receiver process, as an integrator runs several behind a load balancer: the
//! SDK's `Receiver` with the PostgreSQL adjustment store, and a wallet whose ledger is in the
//! same database, keyed by `requestUniqueNo` (as the store's docs advise), so that a retried
//! claim after a crash finds what the dead process already moved.
//!
//! Configured by the environment (tests/several_receivers.rs starts it):
//! `MM_TEST_POSTGRES_URL` the database, `MM_SCALE_OUT_SCHEMA` the schema holding the store's
//! table and the ledger (the test creates the ledger), `MM_SCALE_OUT_NAME` this receiver's
//! name in the ledger, `MM_SCALE_OUT_LEASE_MS` the store's lease; `MM_SDK_TEST_FAILPOINT`, read
//! by the SDK itself, may pause it half-way through an adjustment.
//!
//! Prints `listening <url>` once it serves, and exits when its standard input closes: a test
//! that dies takes its receivers with it.

use std::error::Error;
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use mm_sdk::callbacks::receiver::{
    Adjustment, AdjustmentCancel, Receiver, Refusal, Reversal, WasApplied, WebhookContext,
    WebhookHandler,
};
use mm_sdk::callbacks::store::sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use mm_sdk::callbacks::store::sqlx::{self, PgPool};
use mm_sdk::callbacks::store::{SqlStore, StoreOptions};
use mm_sdk::callbacks::types::{UserAmount, UserAmountQuery};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// The company the receivers serve (the test's webhooks carry it).
const COMPANY: i64 = 421;

/// Moves money in the ledger, once per `requestUniqueNo`, and records each call it gets in
/// `calls` in the same statement: what the test counts.
#[derive(Debug)]
struct Wallet {
    pool: PgPool,
    name: String,
}

/// The ledger row is inserted only if absent; the call is recorded with whether it was.
const APPLY: &str = "\
WITH moved AS (
    INSERT INTO ledger (request_unique_no, amount, applied_by) VALUES ($1, $2, $3)
    ON CONFLICT (request_unique_no) DO NOTHING RETURNING 1)
INSERT INTO calls (request_unique_no, kind, receiver, retry, moved)
SELECT $1, 'apply', $3, $4, EXISTS (SELECT 1 FROM moved)";

/// The ledger row is marked reversed only if applied and not yet reversed.
const REVERSE: &str = "\
WITH undone AS (
    UPDATE ledger SET reversed_by = $2
    WHERE request_unique_no = $1 AND reversed_by IS NULL RETURNING 1)
INSERT INTO calls (request_unique_no, kind, receiver, retry, moved)
SELECT $1, 'reverse', $2, $3, EXISTS (SELECT 1 FROM undone)
RETURNING moved";

impl WebhookHandler for Wallet {
    async fn user_amount(
        &self,
        _cx: &WebhookContext,
        _query: &UserAmountQuery,
    ) -> Result<UserAmount, Refusal> {
        Err(Refusal::new("NOT_SERVED", "balances are not served here"))
    }

    async fn apply(
        &self,
        _cx: &WebhookContext,
        adjustment: &Adjustment,
        retry: bool,
    ) -> Result<(), Refusal> {
        sqlx::query(APPLY)
            .bind(adjustment.request_unique_no())
            .bind(adjustment.amount().to_string())
            .bind(&self.name)
            .bind(retry)
            .execute(&self.pool)
            .await
            .map_err(|e| Refusal::uncertain(format!("the ledger failed: {e}")))?;
        // Applied now or by an earlier claim: either way it is in the ledger once.
        Ok(())
    }

    async fn reverse(
        &self,
        _cx: &WebhookContext,
        cancel: &AdjustmentCancel,
        applied: WasApplied,
    ) -> Result<Reversal, Refusal> {
        let undone: bool = sqlx::query_scalar(REVERSE)
            .bind(cancel.reverse_request_unique_no())
            .bind(&self.name)
            .bind(applied == WasApplied::Maybe)
            .fetch_one(&self.pool)
            .await
            .map_err(|e| Refusal::uncertain(format!("the ledger failed: {e}")))?;
        Ok(if undone {
            Reversal::Reversed
        } else {
            Reversal::NotApplied
        })
    }
}

fn setting(name: &str) -> Result<String, Box<dyn Error>> {
    std::env::var(name).map_err(|_| format!("{name} is not set").into())
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn Error>> {
    let url = setting("MM_TEST_POSTGRES_URL")?;
    let schema = setting("MM_SCALE_OUT_SCHEMA")?;
    let name = setting("MM_SCALE_OUT_NAME")?;
    let lease = Duration::from_millis(setting("MM_SCALE_OUT_LEASE_MS")?.parse()?);

    let connect = PgConnectOptions::from_str(&url)?.options([("search_path", schema.as_str())]);
    let pool = PgPoolOptions::new()
        .max_connections(8)
        .connect_with(connect)
        .await?;
    let store = SqlStore::postgres(pool.clone(), StoreOptions::default().lease(lease));
    store.migrate().await?;
    let receiver = Receiver::builder()
        .webhooks(Arc::new(store), Arc::new(Wallet { pool, name }))
        .company_id(COMPANY)
        .build();

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let address = listener.local_addr()?;
    let app = axum::Router::new().fallback_service(receiver);
    let server = tokio::spawn(async move { axum::serve(listener, app).await });
    let mut stdout = tokio::io::stdout();
    stdout
        .write_all(format!("listening http://{address}/\n").as_bytes())
        .await?;
    stdout.flush().await?;

    // Until the test lets go of standard input (or dies).
    let (mut stdin, mut sink) = (tokio::io::stdin(), Vec::new());
    tokio::select! {
        read = stdin.read_to_end(&mut sink) => { read?; }
        served = server => { served??; }
    }
    Ok(())
}
