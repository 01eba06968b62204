//! Backups: a consistent copy of a live database, and the checks a copy passes before
//! it takes a database's place. Copying and checking are SQLite's own (`vacuum into`,
//! `integrity_check`, sqlx's record of migrations), so they are the SQLite [`Store`]'s
//! methods; what a database holds is an area every backend answers.

use std::path::Path;
use std::time::Duration;

use sqlx::sqlite::{SqliteConnectOptions, SqlitePoolOptions};
use sqlx::{Connection, SqliteConnection};

use super::{MIGRATOR, Store, StoreError, StoreResult};
use crate::domain::Money;

/// What a database holds, counted: enough to see that a copy lost nothing. Deleted
/// rows are left out, as every page leaves them out.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Holdings {
    pub clients: i64,
    pub deals: i64,
    /// Received and expected payments together.
    pub payments: i64,
    /// What the deals are worth together.
    pub deal_amounts: Money,
    pub received: Money,
    pub expected: Money,
}

/// How a database's schema stands against this build's migrations.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Schema {
    /// Every migration of this build is applied.
    Current,
    /// An older build's: migrating it applies the `missing` newer migrations.
    Older { missing: usize },
}

/// Why this build cannot take a database.
#[derive(Debug, thiserror::Error)]
pub enum SchemaError {
    #[error("it is not a Pacer database (it has no record of Pacer's migrations)")]
    NotPacer,
    #[error("a newer Pacer made it (it has migration {0}, which this build does not know); upgrade Pacer first")]
    Newer(i64),
    #[error("its migration {0} differs from this build's, so it is not this Pacer's database")]
    Altered(i64),
    #[error("its migration {0} stopped part-way")]
    Unfinished(i64),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Counting what a database holds.
pub trait BackupStore {
    /// Live clients, deals and payments, and their money, from one snapshot.
    fn holdings(&self) -> impl Future<Output = StoreResult<Holdings>> + Send;
}

impl BackupStore for Store {
    async fn holdings(&self) -> StoreResult<Holdings> {
        // One statement reads one snapshot, however writers go on meanwhile.
        let (clients, deals, deal_amounts, received_count, received, expected_count, expected): (i64, i64, i64, i64, i64, i64, i64) =
            sqlx::query_as(
                "select (select count(*) from client where deleted_at is null), \
                        (select count(*) from deal where deleted_at is null), \
                        (select coalesce(sum(amount), 0) from deal where deleted_at is null), \
                        (select count(*) from received_payment where deleted_at is null), \
                        (select coalesce(sum(amount), 0) from received_payment where deleted_at is null), \
                        (select count(*) from expected_payment where deleted_at is null), \
                        (select coalesce(sum(amount), 0) from expected_payment where deleted_at is null)",
            )
            .fetch_one(&self.pool)
            .await?;
        Ok(Holdings {
            clients,
            deals,
            payments: received_count + expected_count,
            deal_amounts: Money::from_kopecks(deal_amounts),
            received: Money::from_kopecks(received),
            expected: Money::from_kopecks(expected),
        })
    }
}

impl Store {
    /// Opens the database file at `path` as it is: nothing is created or migrated, and
    /// with `read_only` nothing can be written.
    pub async fn open_existing(path: &Path, read_only: bool) -> anyhow::Result<Store> {
        let options = SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(false)
            .read_only(read_only)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(5));
        let pool = SqlitePoolOptions::new().max_connections(2).connect_with(options).await?;
        Ok(Store { pool, clock: crate::domain::clock::Clock::system() })
    }

    /// Copies the whole database into the new file `path` (`vacuum into`). The copy is
    /// read in one transaction, so it holds every change committed before it began,
    /// whole, and nothing of those after, while writers carry on. It is a plain file
    /// without a write-ahead log. SQLite does not flush it to disk; the caller does.
    pub async fn back_up_into(&self, path: &Path) -> StoreResult<()> {
        let path = path.to_str().ok_or_else(|| anyhow::anyhow!("the path is not UTF-8: {}", path.display()))?;
        sqlx::query("vacuum into ?").bind(path).execute(&self.pool).await?;
        Ok(())
    }

    /// What `pragma integrity_check` finds wrong; nothing for a sound file.
    pub async fn integrity_problems(&self) -> StoreResult<Vec<String>> {
        let found: Vec<String> = sqlx::query_scalar("pragma integrity_check").fetch_all(&self.pool).await?;
        Ok(found.into_iter().filter(|line| line != "ok").collect())
    }

    /// Whether this build can take the database: each migration it records must be one
    /// of this build's, unchanged and finished. An older build's database will do
    /// (migrating brings it up to date); a newer build's or another program's will not.
    pub async fn schema(&self) -> Result<Schema, SchemaError> {
        let recorded: bool =
            sqlx::query_scalar("select exists (select 1 from sqlite_master where type = 'table' and name = '_sqlx_migrations')")
                .fetch_one(&self.pool)
                .await
                .map_err(StoreError::from)?;
        if !recorded {
            return Err(SchemaError::NotPacer);
        }
        let applied: Vec<(i64, Vec<u8>, bool)> = sqlx::query_as("select version, checksum, success from _sqlx_migrations order by version")
            .fetch_all(&self.pool)
            .await
            .map_err(StoreError::from)?;
        if applied.is_empty() {
            return Err(SchemaError::NotPacer);
        }
        let ours: Vec<_> = MIGRATOR.iter().filter(|m| !m.migration_type.is_down_migration()).collect();
        for (version, checksum, success) in &applied {
            let Some(known) = ours.iter().find(|m| m.version == *version) else { return Err(SchemaError::Newer(*version)) };
            if *known.checksum != *checksum.as_slice() {
                return Err(SchemaError::Altered(*version));
            }
            if !success {
                return Err(SchemaError::Unfinished(*version));
            }
        }
        Ok(match ours.len() - applied.len() {
            0 => Schema::Current,
            missing => Schema::Older { missing },
        })
    }

    /// Makes the database file at `path` hold everything by itself, so that it can be
    /// moved: its write-ahead log is folded in and it is left in rollback-journal mode
    /// (Pacer turns WAL back on when it opens it). SQLite does that only for a
    /// connection that has the database to itself, so this fails at once while anyone
    /// else, a running Pacer, has it open.
    pub async fn seal_unused(path: &Path) -> anyhow::Result<()> {
        let options = SqliteConnectOptions::new().filename(path).create_if_missing(false).busy_timeout(Duration::ZERO);
        let mut conn = SqliteConnection::connect_with(&options).await?;
        let mode = sqlx::query_scalar::<_, String>("pragma journal_mode = delete").fetch_one(&mut conn).await;
        conn.close().await?;
        match mode {
            Ok(mode) if mode.eq_ignore_ascii_case("delete") => Ok(()),
            Ok(mode) => anyhow::bail!("{} stays in {mode} mode; is Pacer running on it? Stop it first", path.display()),
            Err(sqlx::Error::Database(e)) if e.message().contains("locked") => {
                anyhow::bail!("{} is in use; stop Pacer first", path.display())
            }
            Err(e) => Err(e.into()),
        }
    }
}
