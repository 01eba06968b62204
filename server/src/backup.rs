//! `pacer backup` and `pacer restore`.
//!
//! A backup is a consistent copy of a database that may be in use: SQLite copies it
//! inside one read transaction (`vacuum into`), so it holds every change committed
//! before the copy began, whole, and writers are not held up. It is written under a
//! temporary name, flushed to disk and only then given its name: a file with that name
//! is always a whole backup.
//!
//! A restore checks the file first (sound, with Pacer's migrations and none newer than
//! this build's), copies it beside the database the same way and migrates the copy,
//! keeps the current database as `<name>.before-restore-<time>` and puts the copy in
//! its place. Pacer must be stopped first: a restore refuses a database that anyone
//! has open.

use std::fs;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use anyhow::{Context, bail};
use app::store::prelude::*;
use app::store::{Holdings, Store};
use chrono::{DateTime, Utc};
use sqlx::sqlite::SqliteConnectOptions;

/// A database file and what it holds.
#[derive(Debug)]
pub struct Report {
    pub path: PathBuf,
    pub bytes: u64,
    pub holdings: Holdings,
}

/// What a restore did.
#[derive(Debug)]
pub struct Restored {
    /// The database as it is now.
    pub report: Report,
    /// Where the database it replaced was kept, if there was one.
    pub kept: Option<PathBuf>,
}

/// The file behind a database URL (`sqlite://pacer.db` → `pacer.db`).
pub fn database_path(url: &str) -> anyhow::Result<PathBuf> {
    Ok(SqliteConnectOptions::from_str(url).with_context(|| format!("reading the database URL {url}"))?.get_filename().to_path_buf())
}

/// Copies the database `database` into the new file `to`; never overwrites a file.
pub async fn backup(database: &Path, to: &Path) -> anyhow::Result<Report> {
    if to.exists() {
        bail!("{} already exists; a backup never overwrites a file", to.display());
    }
    let partial = beside(to, "partial");
    // What an interrupted backup left: never a whole one.
    remove_if_present(&partial)?;
    // Read-only: whatever goes wrong, a backup never writes to the database.
    let store = Store::open_existing(database, true).await.with_context(|| format!("opening {}", database.display()))?;
    let copied = store.back_up_into(&partial).await;
    store.close().await;
    copied.with_context(|| format!("copying {} to {}", database.display(), partial.display()))?;
    fs::File::open(&partial)?.sync_all()?;
    if to.exists() {
        bail!("{} appeared meanwhile; the backup is left in {}", to.display(), partial.display());
    }
    fs::rename(&partial, to).with_context(|| format!("naming the backup {}", to.display()))?;
    sync_folder_of(to)?;
    describe(to).await
}

/// Puts the backup `from` in the place of the database `database`, keeping the current
/// one aside; refused while the database is in use.
pub async fn restore(from: &Path, database: &Path, now: DateTime<Utc>) -> anyhow::Result<Restored> {
    if !from.is_file() {
        bail!("{} is not a file", from.display());
    }
    if database.exists() && fs::canonicalize(from)? == fs::canonicalize(database)? {
        bail!("{} is the database itself", from.display());
    }
    let staged = beside(database, "restoring");
    remove_database_files(&staged)?;
    let kept = match prepare(from, &staged, database, now).await {
        Ok(kept) => kept,
        Err(e) => {
            if let Err(left) = remove_database_files(&staged) {
                tracing::warn!(error = ?left, "restore: the staged copy stays");
            }
            return Err(e);
        }
    };
    fs::rename(&staged, database).with_context(|| format!("moving {} to {}", staged.display(), database.display()))?;
    sync_folder_of(database)?;
    Ok(Restored { report: describe(database).await?, kept })
}

/// The file `path` and what it holds, read without changing it.
async fn describe(path: &Path) -> anyhow::Result<Report> {
    let bytes = fs::metadata(path).with_context(|| format!("reading {}", path.display()))?.len();
    let store = Store::open_existing(path, true).await.with_context(|| format!("opening {}", path.display()))?;
    let holdings = store.holdings().await;
    store.close().await;
    Ok(Report { path: path.to_path_buf(), bytes, holdings: holdings? })
}

/// Everything before the swap: the checked copy staged and migrated, the current
/// database put aside.
async fn prepare(from: &Path, staged: &Path, database: &Path, now: DateTime<Utc>) -> anyhow::Result<Option<PathBuf>> {
    copy_checked(from, staged).await?;
    migrate_staged(staged).await?;
    if !database.exists() {
        return Ok(None);
    }
    put_aside(database, now).await.map(Some)
}

/// Copies `from` to `staged` if it is a sound Pacer database this build can take. The
/// copy is SQLite's own, so it has whatever `from`'s write-ahead log held.
async fn copy_checked(from: &Path, staged: &Path) -> anyhow::Result<()> {
    let store = Store::open_existing(from, true).await.with_context(|| format!("opening {}", from.display()))?;
    let copied = async {
        let problems = store.integrity_problems().await.with_context(|| format!("{} is not a database", from.display()))?;
        if !problems.is_empty() {
            bail!("{} is damaged: {}", from.display(), problems.join("; "));
        }
        store.schema().await.with_context(|| format!("{} cannot be restored", from.display()))?;
        store.back_up_into(staged).await.with_context(|| format!("copying {} to {}", from.display(), staged.display()))?;
        Ok(())
    }
    .await;
    store.close().await;
    copied
}

/// Brings the staged copy to this build's schema and leaves it one file, on disk.
async fn migrate_staged(staged: &Path) -> anyhow::Result<()> {
    let store = Store::open_existing(staged, false).await?;
    let migrated = store.migrate().await;
    store.close().await;
    migrated.with_context(|| format!("migrating {}", staged.display()))?;
    Store::seal_unused(staged).await?;
    fs::File::open(staged)?.sync_all()?;
    Ok(())
}

/// Moves the database to `<name>.before-restore-<time>`, once no one has it open.
async fn put_aside(database: &Path, now: DateTime<Utc>) -> anyhow::Result<PathBuf> {
    Store::seal_unused(database).await?;
    // A log beside the file now means someone opened it since: moving the file
    // would part it from that log.
    if let Some(log) = logs(database).into_iter().find(|l| l.exists()) {
        bail!("{} appeared; is Pacer running? Stop it first", log.display());
    }
    let aside = beside(database, &format!("before-restore-{}", now.format("%Y%m%d-%H%M%S")));
    if aside.exists() {
        bail!("{} already exists", aside.display());
    }
    fs::rename(database, &aside).with_context(|| format!("moving {} to {}", database.display(), aside.display()))?;
    Ok(aside)
}

/// `path` with `.suffix` added to its name.
fn beside(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(".");
    name.push(suffix);
    path.with_file_name(name)
}

/// SQLite's write-ahead log and its index, which live beside a database in WAL mode.
fn logs(database: &Path) -> [PathBuf; 2] {
    let with = |tail: &str| {
        let mut name = database.as_os_str().to_os_string();
        name.push(tail);
        PathBuf::from(name)
    };
    [with("-wal"), with("-shm")]
}

fn remove_database_files(database: &Path) -> anyhow::Result<()> {
    remove_if_present(database)?;
    logs(database).iter().try_for_each(|l| remove_if_present(l))
}

fn remove_if_present(path: &Path) -> anyhow::Result<()> {
    match fs::remove_file(path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e).with_context(|| format!("removing {}", path.display())),
        _ => Ok(()),
    }
}

/// Flushes the folder holding `path`, so that a rename survives a power cut.
fn sync_folder_of(path: &Path) -> anyhow::Result<()> {
    let folder = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    fs::File::open(folder)?.sync_all()?;
    Ok(())
}
