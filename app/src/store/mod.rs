//! The one store interface: every read and write of Pacer's data goes through it,
//! area by area. Each area is a trait — reads and admin writes on the store
//! ([`DealStore`], [`ClientStore`], …), the write contract's reads and writes inside a
//! unit of work ([`DealTx`], [`ClientTx`], …) — answering in domain and read-model
//! types (`crate::model`), never in server-function types. [`Store`] and [`Tx`] are
//! the SQLite implementation (sqlx, embedded); another database implements the same
//! traits. Rows map to those types here and nowhere else.
//!
//! Call sites bring the areas in with `use crate::store::prelude::*`.

mod audit;
mod backup;
mod batch;
mod bulk;
mod calendar;
mod clients;
mod deals;
mod figures;
mod goals;
mod import;
mod people;
mod plans;
mod stages;
mod sync;

pub use audit::*;
pub use backup::*;
pub use batch::*;
pub use bulk::*;
pub use calendar::*;
pub use clients::*;
pub use deals::*;
pub use figures::*;
pub use goals::*;
pub use import::*;
pub use people::*;
pub use plans::*;
pub use stages::*;
pub use sync::*;

/// The store's areas, to call their methods: `use crate::store::prelude::*`.
pub mod prelude {
    pub use super::{
        AuditStore, BackupStore, BatchStore, CalendarStore, CalendarTx, ClientStore, ClientTx, DealStore, DealTx, FigureStore,
        GoalStore, GoalTx, ImportStore, PeopleStore, PeopleTx, PlanStore, StageStore, StageTx, SyncStore, SyncTx,
    };
}

/// Everything Pacer keeps, area by area: what the app holds.
pub trait Backend:
    AuditStore
    + BackupStore
    + BatchStore
    + CalendarStore
    + ClientStore
    + DealStore
    + FigureStore
    + GoalStore
    + ImportStore
    + PeopleStore
    + PlanStore
    + StageStore
    + SyncStore
    + Clone
    + Send
    + Sync
    + 'static
{
}

impl Backend for Store {}

/// One unit of work's areas: what the write contract reads and writes, together.
pub trait UnitOfWork: CalendarTx + ClientTx + DealTx + GoalTx + PeopleTx + StageTx + SyncTx + Send {}

impl UnitOfWork for Tx {}

use crate::domain::clock::Clock;
use chrono::{DateTime, Utc};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::SqlitePool;
use std::str::FromStr;
use std::time::Duration;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("not found")]
    NotFound,
    /// A uniqueness rule was violated; the string names the index.
    #[error("conflict on {0}")]
    Conflict(String),
    /// A guarded field changed since the writer saw it; nothing was written.
    #[error("changed meanwhile")]
    Stale,
    #[error(transparent)]
    Other(#[from] anyhow::Error),
}

impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> Self {
        match e {
            sqlx::Error::RowNotFound => StoreError::NotFound,
            sqlx::Error::Database(db) if db.is_unique_violation() => {
                // SQLite reports "UNIQUE constraint failed: table.column"; keep the table.column part.
                let what = db.message().rsplit(": ").next().unwrap_or_default().to_string();
                StoreError::Conflict(what)
            }
            other => StoreError::Other(anyhow::Error::new(other)),
        }
    }
}

pub type StoreResult<T> = Result<T, StoreError>;

/// This build's schema, step by step; each database records the steps it has taken.
static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../migrations/sqlite");

#[derive(Clone, Debug)]
pub struct Store {
    pool: SqlitePool,
    clock: Clock,
}

impl Store {
    /// Opens (creating if needed) the database at `url` and brings its schema up to date.
    pub async fn open(url: &str) -> anyhow::Result<Store> {
        let options = SqliteConnectOptions::from_str(url)?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(5))
            // The default 2 MB page cache makes every dashboard read go to the OS.
            .pragma("cache_size", "-32768")
            .pragma("mmap_size", "268435456")
            .pragma("temp_store", "memory");
        let pool = SqlitePoolOptions::new().max_connections(8).connect_with(options).await?;
        let store = Store { pool, clock: Clock::system() };
        store.migrate().await?;
        Ok(store)
    }

    pub async fn migrate(&self) -> anyhow::Result<()> {
        MIGRATOR.run(&self.pool).await?;
        self.reindex_clients().await?;
        // Refreshes the planner's statistics where a migration or growth made them stale
        // (cheap: SQLite limits the work), as SQLite advises for long-running processes.
        sqlx::query("pragma optimize = 0x10002").execute(&self.pool).await?;
        Ok(())
    }

    /// The same store reading "now" from `clock`.
    pub fn with_clock(self, clock: Clock) -> Store {
        Store { clock, ..self }
    }

    /// The instant every write is stamped with and every "today" is counted from.
    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    pub fn pool(&self) -> &SqlitePool {
        &self.pool
    }

    /// Starts a unit of work: everything done through the [`Tx`] is stored together on
    /// [`Tx::commit`], or not at all. It takes the write lock at once, so what it reads
    /// cannot change under it before it writes.
    pub async fn begin(&self) -> StoreResult<Tx> {
        let tx = self.pool.begin_with("begin immediate").await?;
        Ok(Tx { tx, kept: false, starting: false, stages: None, deal_read: None, clock: self.clock.clone() })
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// One unit of work: the write contract's reads and writes, in one transaction. A
/// batch of pushed mutations shares one, each inside its own savepoint.
///
/// Every statement is a round trip to SQLite's thread and a push applies up to 1 000
/// changes, so a change's savepoint is taken with its first write, and a kept
/// change's savepoint is released with the next one's start.
pub struct Tx {
    tx: sqlx::Transaction<'static, sqlx::Sqlite>,
    /// A kept change's savepoint is still open: released with the next change's start,
    /// or by the commit.
    kept: bool,
    /// A change has started and its savepoint waits for the change's first write.
    starting: bool,
    /// The department's stages, read once per unit of work: it holds the write lock,
    /// so they cannot change under it, and a push may move 1 000 deals.
    stages: Option<(crate::domain::DepartmentId, Vec<crate::model::deals::StageOption>)>,
    /// A deal's guarded fields as the last statement read them, for the write that
    /// follows that read; any other statement forgets them.
    deal_read: Option<(crate::domain::DealId, deals::DealRead)>,
    clock: Clock,
}

impl Tx {
    /// The store's "now" (see [`Store::now`]).
    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    pub async fn commit(self) -> StoreResult<()> {
        Ok(self.tx.commit().await?)
    }

    /// Marks where one change starts: [`Tx::release`] keeps what it did,
    /// [`Tx::roll_back`] undoes only that.
    pub async fn savepoint(&mut self) -> StoreResult<()> {
        self.starting = true;
        Ok(())
    }

    /// Keeps what the change did.
    pub async fn release(&mut self) -> StoreResult<()> {
        if !std::mem::take(&mut self.starting) {
            self.kept = true;
        }
        Ok(())
    }

    pub async fn roll_back(&mut self) -> StoreResult<()> {
        self.deal_read = None;
        // A change refused before its first write has nothing to undo.
        if !std::mem::take(&mut self.starting) {
            sqlx::query("rollback to change; release change").execute(&mut *self.tx).await?;
        }
        Ok(())
    }

    /// The statements that take a waiting change's savepoint (and release the change
    /// kept before it), to run in front of the next statement; empty when no change
    /// waits. Whoever takes them runs them at once: a roll back counts on it.
    fn change_start(&mut self) -> &'static str {
        self.deal_read = None;
        match (std::mem::take(&mut self.starting), std::mem::take(&mut self.kept)) {
            (false, kept) => {
                self.kept = kept;
                ""
            }
            (true, true) => "release change; savepoint change; ",
            (true, false) => "savepoint change; ",
        }
    }

    /// The connection, for any statement of the unit of work: a change waiting for its
    /// savepoint gets it first.
    async fn conn(&mut self) -> StoreResult<&mut sqlx::SqliteConnection> {
        let start = self.change_start();
        if !start.is_empty() {
            sqlx::query(start).execute(&mut *self.tx).await?;
        }
        Ok(&mut self.tx)
    }

    /// The connection, for a read only: a change waiting for its savepoint keeps
    /// waiting, as a read has nothing to undo.
    fn read_conn(&mut self) -> &mut sqlx::SqliteConnection {
        self.deal_read = None;
        &mut self.tx
    }
}

/// The audit entry's statement: entity, entity id, action, detail, time, actor.
const AUDIT_INSERT: &str = "insert into audit_log (organisation_id, user_id, entity, entity_id, action, detail, at) \
     select organisation_id, user_id, ?, ?, ?, ?, ? from app_user where user_id = ?";

/// Appends an audit entry inside the caller's transaction; the organisation is the actor's.
async fn audit_in(
    conn: &mut sqlx::SqliteConnection,
    at: DateTime<Utc>,
    actor: crate::domain::UserId,
    entity: &str,
    entity_id: &str,
    action: &str,
    detail: serde_json::Value,
) -> StoreResult<()> {
    Script::new().audit(at, actor, entity, entity_id.to_string(), action, detail).execute(conn).await
}

/// Statements sent to SQLite's thread together, in one round trip: a change to a deal
/// is several (the write, the version, its activity and audit entry), and each would
/// be a round trip of its own, while a push applies up to 1 000 changes. Each
/// statement's `?`s take the values bound after it, in order.
struct Script<'q> {
    sql: String,
    args: sqlx::sqlite::SqliteArguments<'q>,
    unbound: Option<sqlx::error::BoxDynError>,
}

impl<'q> Script<'q> {
    fn new() -> Script<'q> {
        Script { sql: String::new(), args: Default::default(), unbound: None }
    }

    fn then(mut self, sql: &str) -> Self {
        if !self.sql.is_empty() {
            self.sql.push_str("; ");
        }
        self.sql.push_str(sql);
        self
    }

    fn bind<T: 'q + sqlx::Encode<'q, sqlx::Sqlite> + sqlx::Type<sqlx::Sqlite>>(mut self, value: T) -> Self {
        use sqlx::Arguments;
        if let Err(e) = self.args.add(value) {
            self.unbound.get_or_insert(e);
        }
        self
    }

    /// An audit entry, as [`audit_in`] appends it.
    fn audit(
        self,
        at: DateTime<Utc>,
        actor: crate::domain::UserId,
        entity: &'q str,
        entity_id: String,
        action: &'q str,
        detail: serde_json::Value,
    ) -> Self {
        self.then(AUDIT_INSERT)
            .bind(entity)
            .bind(entity_id)
            .bind(action)
            .bind(detail.to_string())
            .bind(at)
            .bind(actor.to_string())
    }

    /// Runs the statements in order, after a waiting change's savepoint; answers the
    /// first value the last statement returns. Statements after the first that returns
    /// a value would not run: that one comes last.
    async fn run<T>(self, tx: &mut Tx) -> StoreResult<Option<T>>
    where
        T: Send + Unpin,
        (T,): for<'r> sqlx::FromRow<'r, sqlx::sqlite::SqliteRow>,
    {
        if let Some(e) = self.unbound {
            return Err(sqlx::Error::Encode(e).into());
        }
        let sql = format!("{}{}", tx.change_start(), self.sql);
        Ok(sqlx::query_scalar_with(&sql, self.args).fetch_optional(&mut *tx.tx).await?)
    }

    /// Runs the statements on `conn` as they are, outside a pushed change.
    async fn execute(self, conn: &mut sqlx::SqliteConnection) -> StoreResult<()> {
        let Script { sql, args, unbound } = self;
        if let Some(e) = unbound {
            return Err(sqlx::Error::Encode(e).into());
        }
        sqlx::query_with(&sql, args).execute(conn).await?;
        Ok(())
    }
}

/// Parses an id column. Ids are written only by Pacer, so a bad one is corruption.
fn id<T: FromStr>(s: &str) -> StoreResult<T> {
    s.parse().map_err(|_| StoreError::Other(anyhow::anyhow!("malformed id in database: {s}")))
}
