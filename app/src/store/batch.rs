//! Rows written as one batch: an import's clients and deals, the demo department's
//! payments and activities. Each row is complete as given; the batch goes in whole.

use chrono::{DateTime, NaiveDate, Utc};

use super::prelude::*;
use super::{Store, StoreResult};
use crate::domain::client::NewClient;
use crate::domain::{ActivityId, ClientId, DealId, DepartmentId, Money, PaymentId, UserId};

/// A checked new client with its contact, as a batch writes it.
pub struct BatchClient {
    pub id: ClientId,
    pub department_id: DepartmentId,
    pub owner_id: UserId,
    pub client: NewClient,
    pub created_at: DateTime<Utc>,
}

pub struct NewDeal {
    pub id: DealId,
    pub department_id: DepartmentId,
    pub client_id: ClientId,
    pub owner_id: UserId,
    pub stage_id: String,
    pub title: String,
    pub amount: Money,
    pub expected_close_on: Option<NaiveDate>,
    pub next_step: String,
    pub next_step_due_on: Option<NaiveDate>,
    pub source: String,
    pub loss_reason: Option<String>,
    pub closed_on: Option<NaiveDate>,
    pub created_at: DateTime<Utc>,
}

pub struct NewPayment {
    pub id: PaymentId,
    pub deal_id: DealId,
    pub amount: Money,
    /// Due date of an expected payment, or the date a received one arrived.
    pub on: NaiveDate,
    pub created_at: DateTime<Utc>,
    pub created_by: UserId,
}

pub struct NewActivity {
    pub id: ActivityId,
    pub deal_id: Option<DealId>,
    pub client_id: ClientId,
    pub user_id: UserId,
    pub kind: &'static str,
    pub body: String,
    pub occurred_at: DateTime<Utc>,
}

/// Rows written together: all of them or none.
#[derive(Default)]
pub struct CrmBatch {
    pub clients: Vec<BatchClient>,
    pub deals: Vec<NewDeal>,
    pub expected: Vec<NewPayment>,
    pub received: Vec<NewPayment>,
    pub activities: Vec<NewActivity>,
}

/// The rows of `batch`, written inside the caller's transaction.
pub(super) async fn insert_crm_batch_in(tx: &mut sqlx::SqliteConnection, batch: &CrmBatch) -> StoreResult<()> {
    for c in &batch.clients {
        sqlx::query(
            "insert into client (client_id, department_id, owner_id, name, inn, notes, created_at, updated_at, updated_by) \
             values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(c.id.to_string())
        .bind(c.department_id.to_string())
        .bind(c.owner_id.to_string())
        .bind(&c.client.name)
        .bind(&c.client.inn)
        .bind(&c.client.notes)
        .bind(c.created_at)
        .bind(c.created_at)
        .bind(c.owner_id.to_string())
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "insert into contact (contact_id, client_id, name, position, phone, email, created_at, updated_at) \
             values (?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(uuid::Uuid::now_v7().to_string())
        .bind(c.id.to_string())
        .bind(&c.client.contact_name)
        .bind(&c.client.contact_position)
        .bind(&c.client.contact_phone)
        .bind(&c.client.contact_email)
        .bind(c.created_at)
        .bind(c.created_at)
        .execute(&mut *tx)
        .await?;
    }
    for d in &batch.deals {
        sqlx::query(
            "insert into deal (deal_id, department_id, client_id, owner_id, stage_id, title, amount, expected_close_on, \
             next_step, next_step_due_on, source, loss_reason, closed_on, created_at, updated_at, updated_by) \
             values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(d.id.to_string())
        .bind(d.department_id.to_string())
        .bind(d.client_id.to_string())
        .bind(d.owner_id.to_string())
        .bind(&d.stage_id)
        .bind(&d.title)
        .bind(d.amount.kopecks())
        .bind(d.expected_close_on)
        .bind(&d.next_step)
        .bind(d.next_step_due_on)
        .bind(&d.source)
        .bind(&d.loss_reason)
        .bind(d.closed_on)
        .bind(d.created_at)
        .bind(d.created_at)
        .bind(d.owner_id.to_string())
        .execute(&mut *tx)
        .await?;
    }
    for (table, key, date, rows) in [
        ("expected_payment", "expected_payment_id", "due_on", &batch.expected),
        ("received_payment", "received_payment_id", "received_on", &batch.received),
    ] {
        let sql = format!(
            "insert into {table} ({key}, deal_id, amount, {date}, created_at, updated_at, updated_by) values (?, ?, ?, ?, ?, ?, ?)"
        );
        for p in rows {
            sqlx::query(&sql)
                .bind(p.id.to_string())
                .bind(p.deal_id.to_string())
                .bind(p.amount.kopecks())
                .bind(p.on)
                .bind(p.created_at)
                .bind(p.created_at)
                .bind(p.created_by.to_string())
                .execute(&mut *tx)
                .await?;
        }
    }
    for a in &batch.activities {
        sqlx::query(
            "insert into activity (activity_id, deal_id, client_id, user_id, kind, body, occurred_at) values (?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(a.id.to_string())
        .bind(a.deal_id.map(|d| d.to_string()))
        .bind(a.client_id.to_string())
        .bind(a.user_id.to_string())
        .bind(a.kind)
        .bind(&a.body)
        .bind(a.occurred_at)
        .execute(&mut *tx)
        .await?;
    }
    sqlx::query(
        "update deal set touched_at = coalesce((select max(a.occurred_at) from activity a where a.deal_id = deal.deal_id), created_at) \
         where touched_at is null",
    )
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// Rows written together: all of them or none.
pub trait BatchStore {
    /// Writes the whole batch in one transaction: an error leaves nothing behind.
    fn insert_crm_batch(&self, batch: &CrmBatch) -> impl Future<Output = StoreResult<()>> + Send;
}

impl BatchStore for Store {
    async fn insert_crm_batch(&self, batch: &CrmBatch) -> StoreResult<()> {
        let mut tx = self.pool.begin().await?;
        insert_crm_batch_in(&mut tx, batch).await?;
        tx.commit().await?;
        self.reindex_clients().await?;
        Ok(())
    }
}
