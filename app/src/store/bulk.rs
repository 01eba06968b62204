//! Bulk writes for load tests: the scale data set (`pacer seed-scale`, the scale bench)
//! writes a department's worth of rows, a million activities among them, through these.
//! Pacer's own writes never do: nothing here is audited, versioned for sync clients or
//! checked the way a form is, and a load holds the database's one writer until it ends.
//!
//! Rows go in as multi-row `insert`s of up to [`ROWS_PER_STATEMENT`] rows, all in one
//! transaction, and every full statement of a table is the same prepared statement. The
//! triggers keep the rollups exact as on any other write.

use chrono::{DateTime, Utc};
use sqlx::query_builder::Separated;
use sqlx::{QueryBuilder, Sqlite, SqliteConnection};

use super::prelude::*;
use super::{NewActivity, NewDeal, NewPayment, Store, StoreResult, Tx};
use crate::domain::{ClientId, DepartmentId, UserId};

/// Rows per `insert`: the widest table (deal, 16 columns) stays far below SQLite's
/// limit of 32 766 bound values per statement, and longer statements gain nothing.
const ROWS_PER_STATEMENT: usize = 500;

/// A client as a load test needs it: no contacts, no notes.
pub struct BulkClient {
    pub id: ClientId,
    pub department_id: DepartmentId,
    pub owner_id: UserId,
    pub name: String,
    pub created_at: DateTime<Utc>,
}

/// An open bulk load: what is written through it appears at once, on [`BulkLoad::finish`];
/// dropped unfinished, it leaves nothing behind.
pub struct BulkLoad {
    store: Store,
    tx: Tx,
}

impl Store {
    /// Starts a bulk load: one unit of work, holding the write lock until the load finishes.
    pub async fn bulk_load(&self) -> StoreResult<BulkLoad> {
        Ok(BulkLoad { store: self.clone(), tx: self.begin().await? })
    }
}

impl BulkLoad {
    pub async fn insert_clients(&mut self, rows: impl IntoIterator<Item = BulkClient>) -> StoreResult<()> {
        let into = "insert into client (client_id, department_id, owner_id, name, created_at, updated_at, updated_by) ";
        insert(self.tx.conn().await?, into, rows, |mut row, c| {
            row.push_bind(c.id.to_string())
                .push_bind(c.department_id.to_string())
                .push_bind(c.owner_id.to_string())
                .push_bind(&c.name)
                .push_bind(c.created_at)
                .push_bind(c.created_at)
                .push_bind(c.owner_id.to_string());
        })
        .await
    }

    /// Deals as their owners made them: created and last updated by the owner.
    pub async fn insert_deals(&mut self, rows: impl IntoIterator<Item = NewDeal>) -> StoreResult<()> {
        let into = "insert into deal (deal_id, department_id, client_id, owner_id, stage_id, title, amount, expected_close_on, \
                    next_step, next_step_due_on, source, loss_reason, closed_on, created_at, updated_at, updated_by) ";
        insert(self.tx.conn().await?, into, rows, |mut row, d| {
            row.push_bind(d.id.to_string())
                .push_bind(d.department_id.to_string())
                .push_bind(d.client_id.to_string())
                .push_bind(d.owner_id.to_string())
                .push_bind(&d.stage_id)
                .push_bind(&d.title)
                .push_bind(d.amount.kopecks())
                .push_bind(d.expected_close_on)
                .push_bind(&d.next_step)
                .push_bind(d.next_step_due_on)
                .push_bind(&d.source)
                .push_bind(&d.loss_reason)
                .push_bind(d.closed_on)
                .push_bind(d.created_at)
                .push_bind(d.created_at)
                .push_bind(d.owner_id.to_string());
        })
        .await
    }

    pub async fn insert_expected_payments(&mut self, rows: impl IntoIterator<Item = NewPayment>) -> StoreResult<()> {
        let into = "insert into expected_payment (expected_payment_id, deal_id, amount, due_on, created_at, updated_at, updated_by) ";
        insert(self.tx.conn().await?, into, rows, push_payment).await
    }

    pub async fn insert_received_payments(&mut self, rows: impl IntoIterator<Item = NewPayment>) -> StoreResult<()> {
        let into =
            "insert into received_payment (received_payment_id, deal_id, amount, received_on, created_at, updated_at, updated_by) ";
        insert(self.tx.conn().await?, into, rows, push_payment).await
    }

    pub async fn insert_activities(&mut self, rows: impl IntoIterator<Item = NewActivity>) -> StoreResult<()> {
        let into = "insert into activity (activity_id, deal_id, client_id, user_id, kind, body, occurred_at) ";
        insert(self.tx.conn().await?, into, rows, |mut row, a| {
            row.push_bind(a.id.to_string())
                .push_bind(a.deal_id.map(|d| d.to_string()))
                .push_bind(a.client_id.to_string())
                .push_bind(a.user_id.to_string())
                .push_bind(a.kind)
                .push_bind(&a.body)
                .push_bind(a.occurred_at);
        })
        .await
    }

    /// Stamps each new deal's last touch, commits, makes the new clients searchable,
    /// refreshes the query planner's statistics, which a load changes wholesale, and
    /// empties the write-ahead log.
    pub async fn finish(mut self) -> StoreResult<()> {
        sqlx::query(
            "update deal set touched_at = coalesce((select max(a.occurred_at) from activity a where a.deal_id = deal.deal_id), created_at) \
             where touched_at is null",
        )
        .execute(self.tx.conn().await?)
        .await?;
        self.tx.commit().await?;
        self.store.reindex_clients().await?;
        sqlx::query("analyze").execute(&self.store.pool).await?;
        // The whole load went through the log, and SQLite keeps the file at that size
        // (as big as the data) until the last connection closes, which a running
        // process may never do.
        sqlx::query("pragma wal_checkpoint(truncate)").execute(&self.store.pool).await?;
        Ok(())
    }
}

fn push_payment<'a>(mut row: Separated<'_, 'a, Sqlite, &'static str>, p: &'a NewPayment) {
    row.push_bind(p.id.to_string())
        .push_bind(p.deal_id.to_string())
        .push_bind(p.amount.kopecks())
        .push_bind(p.on)
        .push_bind(p.created_at)
        .push_bind(p.created_at)
        .push_bind(p.created_by.to_string());
}

/// Writes `rows` after `into` (an `insert into table (columns) `), [`ROWS_PER_STATEMENT`]
/// at a time; `push` binds one row's values in the columns' order.
async fn insert<T>(
    conn: &mut SqliteConnection,
    into: &str,
    rows: impl IntoIterator<Item = T>,
    push: impl for<'q, 'a> Fn(Separated<'q, 'a, Sqlite, &'static str>, &'a T),
) -> StoreResult<()> {
    let mut rows = rows.into_iter();
    let mut chunk = Vec::with_capacity(ROWS_PER_STATEMENT);
    loop {
        chunk.clear();
        chunk.extend(rows.by_ref().take(ROWS_PER_STATEMENT));
        if chunk.is_empty() {
            return Ok(());
        }
        let mut statement = QueryBuilder::new(into);
        statement.push_values(&chunk, |row, value| push(row, value));
        statement.build().execute(&mut *conn).await?;
    }
}
