//! The store in a SQL database, with `sqlx`: SQLite (feature `sqlite`, embedded) for one
//! receiver that must survive restarts, PostgreSQL (feature `postgres`) for several receivers
//! behind a load balancer.
//!
//! One table, one row per adjustment key. Every event reads the row, decides with the state
//! machine, and writes with a compare-and-swap: a new row by `INSERT ... ON CONFLICT DO
//! NOTHING`, a change by `UPDATE ... WHERE version = <the version read>`. A write that changed
//! no row lost a race, and the event is decided again on the row as the winner left it; so two
//! receivers racing on one key can never both claim it. Statements are single and
//! autocommitted, portable between the two databases (`$N` parameters, no `RETURNING`).

use std::fmt;
use std::str::FromStr;

use serde::de::IgnoredAny;

use super::machine::{self, Now, Record, State, Step, Token};
use super::{
    AdjustmentStore, Begin, Cancel, Claim, Fingerprint, Outcome, PruneSchedule, ReverseClaim,
    StoreError, StoreOptions, StoredAnswer, millis, now_ms,
};

/// The table's definition; [`SqlStore::migrate`] creates it. Times are milliseconds since the
/// Unix epoch, answers JSON text.
pub const SCHEMA: &str = "\
CREATE TABLE IF NOT EXISTS mm_sdk_adjustments (
    request_unique_no TEXT NOT NULL PRIMARY KEY,
    version BIGINT NOT NULL,
    state TEXT NOT NULL CHECK (state IN
        ('applying', 'applied', 'not_applied', 'tombstone', 'reversing', 'reversed')),
    fingerprint TEXT,
    token TEXT,
    lease_until BIGINT NOT NULL,
    answer TEXT,
    cancel_request_unique_no TEXT,
    cancel_token TEXT,
    cancel_lease_until BIGINT NOT NULL,
    cancel_answer TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
)";

const INDEX: &str = "\
CREATE INDEX IF NOT EXISTS mm_sdk_adjustments_updated_at ON mm_sdk_adjustments (updated_at)";

const SELECT: &str = "\
SELECT version, state, fingerprint, token, lease_until, answer, cancel_request_unique_no,
       cancel_token, cancel_lease_until, cancel_answer, created_at, updated_at
FROM mm_sdk_adjustments WHERE request_unique_no = $1";

/// `$2` (the version read, for [`UPDATE`]) is bound too, and unused.
const INSERT: &str = "\
INSERT INTO mm_sdk_adjustments (request_unique_no, version, state, fingerprint, token,
    lease_until, answer, cancel_request_unique_no, cancel_token, cancel_lease_until,
    cancel_answer, created_at, updated_at)
VALUES ($1, 0, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
ON CONFLICT (request_unique_no) DO NOTHING";

/// `$2` is the version read: the row changes only if no one changed it since.
const UPDATE: &str = "\
UPDATE mm_sdk_adjustments SET version = version + 1, state = $3, fingerprint = $4, token = $5,
    lease_until = $6, answer = $7, cancel_request_unique_no = $8, cancel_token = $9,
    cancel_lease_until = $10, cancel_answer = $11, created_at = $12, updated_at = $13
WHERE request_unique_no = $1 AND version = $2";

const PRUNE: &str = "\
DELETE FROM mm_sdk_adjustments
WHERE updated_at < $1 AND lease_until <= $2 AND cancel_lease_until <= $2";

/// Serializes concurrent `migrate` calls of several receivers on PostgreSQL, where two
/// concurrent `CREATE TABLE IF NOT EXISTS` can collide.
#[cfg(feature = "postgres")]
const MIGRATE_LOCK: &str = "SELECT pg_advisory_xact_lock(7236216104716113921)";

/// How many times an event is decided again after losing a race before giving up
/// ([`StoreError::Contended`]). Each loss means another request changed the row, and an
/// entry has few states to go through.
const MAX_ATTEMPTS: usize = 8;

/// A row: the version, then the [`Record`]'s columns.
type Row = (
    i64,
    String,
    Option<String>,
    Option<String>,
    i64,
    Option<String>,
    Option<String>,
    Option<String>,
    i64,
    Option<String>,
    i64,
    i64,
);

/// An [`AdjustmentStore`] in SQLite or PostgreSQL: durable, and shared by every receiver
/// using the same database. Create the table once with [`migrate`](Self::migrate).
///
/// ```no_run
/// # async fn run() -> Result<(), mm_sdk::callbacks::store::StoreError> {
/// use mm_sdk::callbacks::store::{SqlStore, StoreOptions};
///
/// let store = SqlStore::connect("sqlite://adjustments.db", StoreOptions::default()).await?;
/// store.migrate().await?;
/// # Ok(()) }
/// ```
pub struct SqlStore {
    pool: Pool,
    options: StoreOptions,
    pruning: PruneSchedule,
}

enum Pool {
    #[cfg(feature = "sqlite")]
    Sqlite(sqlx::SqlitePool),
    #[cfg(feature = "postgres")]
    Postgres(sqlx::PgPool),
}

/// Runs `$body` with `$pool` bound to whichever driver's pool the store has: the same
/// statements and binds, compiled once per database.
macro_rules! on_pool {
    ($store:expr, $pool:ident => $body:expr) => {
        match &$store.pool {
            #[cfg(feature = "sqlite")]
            Pool::Sqlite($pool) => $body,
            #[cfg(feature = "postgres")]
            Pool::Postgres($pool) => $body,
        }
    };
}

/// Binds a record's columns as `$3` to `$13` of [`INSERT`] and [`UPDATE`].
macro_rules! bind_record {
    ($query:expr, $columns:expr) => {{
        let c = $columns;
        $query
            .bind(c.state)
            .bind(c.fingerprint)
            .bind(c.token)
            .bind(c.lease_until)
            .bind(c.answer)
            .bind(c.cancel_request_unique_no)
            .bind(c.cancel_token)
            .bind(c.cancel_lease_until)
            .bind(c.cancel_answer)
            .bind(c.created_at)
            .bind(c.updated_at)
    }};
}

impl SqlStore {
    /// Connects to `url`: `sqlite://path/to/file.db` (created if missing, in WAL mode) or
    /// `postgres://user:password@host/database`, with the driver's default pool.
    ///
    /// PostgreSQL is reached without TLS (this build has none): keep it on a private network,
    /// or bring your own pool to `SqlStore::postgres` from an `sqlx` with a TLS feature.
    pub async fn connect(url: &str, options: StoreOptions) -> Result<Self, StoreError> {
        #[cfg(feature = "sqlite")]
        if url.starts_with("sqlite:") {
            let connect = sqlx::sqlite::SqliteConnectOptions::from_str(url)
                .map_err(database)?
                .create_if_missing(true)
                .journal_mode(sqlx::sqlite::SqliteJournalMode::Wal);
            let pool = sqlx::SqlitePool::connect_with(connect)
                .await
                .map_err(database)?;
            return Ok(Self::sqlite(pool, options));
        }
        #[cfg(feature = "postgres")]
        if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            let connect = sqlx::postgres::PgConnectOptions::from_str(url).map_err(database)?;
            let pool = sqlx::PgPool::connect_with(connect)
                .await
                .map_err(database)?;
            return Ok(Self::postgres(pool, options));
        }
        Err(StoreError::Database(
            format!(
                "not a database URL this build supports (sqlite: {}, postgres: {})",
                cfg!(feature = "sqlite"),
                cfg!(feature = "postgres")
            )
            .into(),
        ))
    }

    /// A store on an existing SQLite pool.
    #[cfg(feature = "sqlite")]
    pub fn sqlite(pool: sqlx::SqlitePool, options: StoreOptions) -> Self {
        Self::with_pool(Pool::Sqlite(pool), options)
    }

    /// A store on an existing PostgreSQL pool.
    #[cfg(feature = "postgres")]
    pub fn postgres(pool: sqlx::PgPool, options: StoreOptions) -> Self {
        Self::with_pool(Pool::Postgres(pool), options)
    }

    fn with_pool(pool: Pool, options: StoreOptions) -> Self {
        Self {
            pool,
            options,
            pruning: PruneSchedule::new(),
        }
    }

    /// Creates the table ([`SCHEMA`]) and its index if they are missing; safe to call on
    /// every start, by every receiver at once.
    pub async fn migrate(&self) -> Result<(), StoreError> {
        match &self.pool {
            #[cfg(feature = "sqlite")]
            Pool::Sqlite(pool) => {
                sqlx::query(SCHEMA).execute(pool).await.map_err(database)?;
                sqlx::query(INDEX).execute(pool).await.map_err(database)?;
            }
            #[cfg(feature = "postgres")]
            Pool::Postgres(pool) => {
                let mut tx = pool.begin().await.map_err(database)?;
                sqlx::query(MIGRATE_LOCK)
                    .execute(&mut *tx)
                    .await
                    .map_err(database)?;
                sqlx::query(SCHEMA)
                    .execute(&mut *tx)
                    .await
                    .map_err(database)?;
                sqlx::query(INDEX)
                    .execute(&mut *tx)
                    .await
                    .map_err(database)?;
                tx.commit().await.map_err(database)?;
            }
        }
        Ok(())
    }

    /// Decides `event` on the row of `key` and writes its outcome, again on the new row after
    /// each lost race.
    async fn step<T>(
        &self,
        key: &str,
        mut decide: impl FnMut(Option<&Record>, Now) -> Result<Step<T>, StoreError> + Send,
    ) -> Result<T, StoreError> {
        self.prune_if_due().await;
        for _ in 0..MAX_ATTEMPTS {
            let now = Now {
                at: now_ms(),
                lease: millis(self.options.lease),
            };
            let current = self.read(key).await?;
            let step = decide(current.as_ref().map(|(_, record)| record), now)?;
            let Some(record) = step.write else {
                return Ok(step.outcome);
            };
            let columns = Columns::of(&record)?;
            let expected = current.as_ref().map(|(version, _)| *version);
            if self.write(key, expected, columns).await? {
                return Ok(step.outcome);
            }
        }
        Err(StoreError::Contended {
            request_unique_no: key.to_owned(),
        })
    }

    async fn read(&self, key: &str) -> Result<Option<(i64, Record)>, StoreError> {
        let row: Option<Row> = on_pool!(self, pool => sqlx::query_as(SELECT)
            .bind(key)
            .fetch_optional(pool)
            .await
            .map_err(database)?);
        row.map(|row| record_of(key, row)).transpose()
    }

    /// Inserts the row (`expected` none) or updates the version read; whether it did.
    async fn write(
        &self,
        key: &str,
        expected: Option<i64>,
        columns: Columns,
    ) -> Result<bool, StoreError> {
        let sql = if expected.is_some() { UPDATE } else { INSERT };
        let version = expected.unwrap_or(0);
        let done = on_pool!(self, pool => bind_record!(
            sqlx::query(sql).bind(key).bind(version),
            columns
        )
        .execute(pool)
        .await
        .map_err(database)?
        .rows_affected());
        Ok(done == 1)
    }

    async fn prune_if_due(&self) {
        let now = now_ms();
        if self.pruning.due(now, self.options.prune_every)
            && let Err(error) = self.prune_at(now).await
        {
            // The event itself does not depend on it: log, and prune next time.
            tracing::warn!(%error, "pruning the adjustment store failed");
        }
    }

    async fn prune_at(&self, now: i64) -> Result<u64, StoreError> {
        let cutoff = now.saturating_sub(millis(self.options.retention));
        Ok(on_pool!(self, pool => sqlx::query(PRUNE)
            .bind(cutoff)
            .bind(now)
            .execute(pool)
            .await
            .map_err(database)?
            .rows_affected()))
    }
}

impl fmt::Debug for SqlStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let database = match &self.pool {
            #[cfg(feature = "sqlite")]
            Pool::Sqlite(_) => "sqlite",
            #[cfg(feature = "postgres")]
            Pool::Postgres(_) => "postgres",
        };
        f.debug_struct("SqlStore")
            .field("database", &database)
            .field("options", &self.options)
            .finish_non_exhaustive()
    }
}

impl AdjustmentStore for SqlStore {
    async fn begin(
        &self,
        request_unique_no: &str,
        fingerprint: &Fingerprint,
    ) -> Result<Begin, StoreError> {
        self.step(request_unique_no, move |current, now| {
            machine::begin(request_unique_no, current, fingerprint, now)
        })
        .await
    }

    async fn finish(&self, claim: &Claim, outcome: Outcome) -> Result<(), StoreError> {
        self.step(claim.request_unique_no(), move |current, now| {
            machine::finish(current, claim, outcome.clone(), now)
        })
        .await
    }

    async fn cancel(
        &self,
        reverse_request_unique_no: &str,
        cancel_request_unique_no: &str,
    ) -> Result<Cancel, StoreError> {
        self.step(reverse_request_unique_no, move |current, now| {
            machine::cancel(
                reverse_request_unique_no,
                current,
                cancel_request_unique_no,
                now,
            )
        })
        .await
    }

    async fn finish_cancel(
        &self,
        claim: &ReverseClaim,
        answer: StoredAnswer,
    ) -> Result<(), StoreError> {
        self.step(claim.request_unique_no(), move |current, now| {
            machine::finish_cancel(current, claim, answer.clone(), now)
        })
        .await
    }

    async fn prune(&self) -> Result<u64, StoreError> {
        let now = now_ms();
        self.pruning.pruned(now);
        self.prune_at(now).await
    }
}

/// A record's columns as bound: `$3` to `$13`.
struct Columns {
    state: &'static str,
    fingerprint: Option<String>,
    token: Option<String>,
    lease_until: i64,
    answer: Option<String>,
    cancel_request_unique_no: Option<String>,
    cancel_token: Option<String>,
    cancel_lease_until: i64,
    cancel_answer: Option<String>,
    created_at: i64,
    updated_at: i64,
}

impl Columns {
    fn of(record: &Record) -> Result<Self, StoreError> {
        Ok(Self {
            state: state_name(record.state),
            fingerprint: record.fingerprint.as_ref().map(|f| f.as_str().to_owned()),
            token: record.token.map(|token| token.to_string()),
            lease_until: record.lease_until,
            answer: json_text(record.answer.as_ref())?,
            cancel_request_unique_no: record.cancel_request_unique_no.clone(),
            cancel_token: record.cancel_token.map(|token| token.to_string()),
            cancel_lease_until: record.cancel_lease_until,
            cancel_answer: json_text(record.cancel_answer.as_ref())?,
            created_at: record.created_at,
            updated_at: record.updated_at,
        })
    }
}

fn record_of(key: &str, row: Row) -> Result<(i64, Record), StoreError> {
    let corrupt = |reason: String| StoreError::Corrupt {
        request_unique_no: key.to_owned(),
        reason,
    };
    let json = |text: Option<String>| {
        text.map(|text| match serde_json::from_str::<IgnoredAny>(&text) {
            Ok(_) => Ok(StoredAnswer::new(text)),
            Err(e) => Err(corrupt(format!("an answer is not JSON: {e}"))),
        })
        .transpose()
    };
    let (
        version,
        state,
        fingerprint,
        token,
        lease_until,
        answer,
        cancel_request_unique_no,
        cancel_token,
        cancel_lease_until,
        cancel_answer,
        created_at,
        updated_at,
    ) = row;
    let state = parse_state(&state).ok_or_else(|| corrupt(format!("unknown state {state:?}")))?;
    let claim_token = |text: Option<String>| {
        text.map(|text| {
            Token::parse(&text)
                .ok_or_else(|| corrupt(format!("a claim token is not 32 hex digits: {text:?}")))
        })
        .transpose()
    };
    let record = Record {
        state,
        fingerprint: fingerprint.map(Fingerprint::new),
        token: claim_token(token)?,
        lease_until,
        answer: json(answer)?,
        cancel_request_unique_no,
        cancel_token: claim_token(cancel_token)?,
        cancel_lease_until,
        cancel_answer: json(cancel_answer)?,
        created_at,
        updated_at,
    };
    Ok((version, record))
}

/// Every state, to read the `state` column back.
const STATES: [State; 6] = [
    State::Applying,
    State::Applied,
    State::NotApplied,
    State::Tombstone,
    State::Reversing,
    State::Reversed,
];

/// A state's name in the `state` column (and its `CHECK`).
fn state_name(state: State) -> &'static str {
    match state {
        State::Applying => "applying",
        State::Applied => "applied",
        State::NotApplied => "not_applied",
        State::Tombstone => "tombstone",
        State::Reversing => "reversing",
        State::Reversed => "reversed",
    }
}

fn parse_state(name: &str) -> Option<State> {
    STATES.into_iter().find(|state| state_name(*state) == name)
}

fn json_text(answer: Option<&StoredAnswer>) -> Result<Option<String>, StoreError> {
    answer
        .map(|answer| std::str::from_utf8(answer.as_bytes()).map(str::to_owned))
        .transpose()
        .map_err(database)
}

fn database(error: impl std::error::Error + Send + Sync + 'static) -> StoreError {
    StoreError::Database(Box::new(error))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_state_has_a_name_the_schema_allows() {
        for state in STATES {
            let name = state_name(state);
            assert_eq!(parse_state(name), Some(state));
            assert!(SCHEMA.contains(&format!("'{name}'")), "{name}");
        }
        assert_eq!(parse_state("other"), None);
    }
}
