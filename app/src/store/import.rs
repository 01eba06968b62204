//! Uploaded CSV batches and their all-or-nothing import.

use chrono::NaiveDate;

use super::batch::{BatchClient, CrmBatch, NewDeal, insert_crm_batch_in};
use super::prelude::*;
use super::{Store, StoreError, StoreResult, audit_in, id};
use crate::domain::deal::Outcome;
use crate::domain::import::Prepared;
use crate::domain::{ClientId, DealId, DepartmentId, UserId};
use crate::model::clients::ClientsAndDeals;
use crate::model::people::ManagerEmail;

#[derive(Clone, Debug)]
pub struct ImportBatch {
    pub id: String,
    pub file_name: String,
    pub content: String,
    pub default_owner_id: UserId,
    /// What it created, once imported.
    pub imported: Option<ClientsAndDeals>,
}

/// Uploaded CSV batches and their all-or-nothing import.
pub trait ImportStore {
    fn save_import_batch(
        &self,
        dept: DepartmentId,
        actor: UserId,
        file_name: &str,
        content: &str,
        default_owner: UserId,
    ) -> impl Future<Output = StoreResult<String>> + Send;

    /// The department's batch `id`; another department's is not found.
    fn import_batch(&self, dept: DepartmentId, batch: &str) -> impl Future<Output = StoreResult<Option<ImportBatch>>> + Send;

    /// Active managers of the department with their e-mails, to match owner cells.
    fn department_manager_emails(&self, dept: DepartmentId) -> impl Future<Output = StoreResult<Vec<ManagerEmail>>> + Send;

    /// Writes every client and deal of `prepared` and marks the batch imported, in one
    /// transaction; a batch already imported is refused. Won and lost deals close on
    /// their expected date (or `today`). Returns what it created.
    fn import(
        &self,
        dept: DepartmentId,
        batch: &str,
        prepared: &Prepared,
        today: NaiveDate,
        actor: UserId,
    ) -> impl Future<Output = StoreResult<ClientsAndDeals>> + Send;
}

impl ImportStore for Store {
    async fn save_import_batch(
        &self,
        dept: DepartmentId,
        actor: UserId,
        file_name: &str,
        content: &str,
        default_owner: UserId,
    ) -> StoreResult<String> {
        let now = self.now();
        let id = uuid::Uuid::now_v7().to_string();
        sqlx::query(
            "insert into import_batch (import_id, department_id, user_id, file_name, content, default_owner_id, created_at) \
             values (?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(&id)
        .bind(dept.to_string())
        .bind(actor.to_string())
        .bind(file_name)
        .bind(content)
        .bind(default_owner.to_string())
        .bind(now)
        .execute(&self.pool)
        .await?;
        Ok(id)
    }

    async fn import_batch(&self, dept: DepartmentId, batch: &str) -> StoreResult<Option<ImportBatch>> {
        let row: Option<(String, String, String, String, Option<i64>, Option<i64>)> = sqlx::query_as(
            "select import_id, file_name, content, default_owner_id, clients, deals from import_batch \
             where import_id = ? and department_id = ?",
        )
        .bind(batch)
        .bind(dept.to_string())
        .fetch_optional(&self.pool)
        .await?;
        row.map(|(id_, file_name, content, owner, clients, deals)| {
            Ok(ImportBatch {
                id: id_,
                file_name,
                content,
                default_owner_id: id(&owner)?,
                imported: clients.zip(deals).map(|(clients, deals)| ClientsAndDeals { clients, deals }),
            })
        })
        .transpose()
    }

    async fn department_manager_emails(&self, dept: DepartmentId) -> StoreResult<Vec<ManagerEmail>> {
        let rows: Vec<(String, String, String)> = sqlx::query_as(
            "select user_id, name, email from app_user where department_id = ? and role = 'manager' and active order by name",
        )
        .bind(dept.to_string())
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter().map(|(u, name, email)| Ok(ManagerEmail { id: id(&u)?, name, email })).collect()
    }

    async fn import(
        &self,
        dept: DepartmentId,
        batch: &str,
        prepared: &Prepared,
        today: NaiveDate,
        actor: UserId,
    ) -> StoreResult<ClientsAndDeals> {
        let now = self.now();
        let outcomes: Vec<(String, Outcome)> = self.stages(dept).await?.into_iter().map(|s| (s.id, s.outcome)).collect();
        let client_ids: Vec<ClientId> = prepared.clients.iter().map(|_| ClientId::new()).collect();
        let mut rows = CrmBatch::default();
        for (c, client_id) in prepared.clients.iter().zip(&client_ids) {
            rows.clients.push(BatchClient {
                id: *client_id,
                department_id: dept,
                owner_id: id(&c.owner_id)?,
                client: c.client.clone(),
                created_at: now,
            });
        }
        for d in &prepared.deals {
            let outcome = outcomes.iter().find(|o| o.0 == d.stage_id).map(|o| o.1).ok_or(StoreError::NotFound)?;
            let client_id = *client_ids.get(d.client_key).ok_or(StoreError::NotFound)?;
            rows.deals.push(NewDeal {
                id: DealId::new(),
                department_id: dept,
                client_id,
                owner_id: id(&d.owner_id)?,
                stage_id: d.stage_id.clone(),
                title: d.title.clone(),
                amount: d.amount,
                expected_close_on: d.expected_close_on,
                next_step: d.next_step.clone(),
                next_step_due_on: None,
                source: d.source.clone(),
                loss_reason: (outcome == Outcome::Lost && !d.loss_reason.is_empty()).then(|| d.loss_reason.clone()),
                closed_on: (outcome != Outcome::Open).then(|| d.expected_close_on.unwrap_or(today)),
                created_at: now,
            });
        }
        let (clients, deals) = (rows.clients.len() as i64, rows.deals.len() as i64);
        let mut tx = self.pool.begin().await?;
        // Claim the batch first: a second import of it finds nothing to claim.
        let claimed = sqlx::query(
            "update import_batch set imported_at = ?, clients = ?, deals = ? \
             where import_id = ? and department_id = ? and imported_at is null",
        )
        .bind(now)
        .bind(clients)
        .bind(deals)
        .bind(batch)
        .bind(dept.to_string())
        .execute(&mut *tx)
        .await?;
        if claimed.rows_affected() == 0 {
            return Err(StoreError::Conflict("import_batch.imported_at".into()));
        }
        insert_crm_batch_in(&mut tx, &rows).await?;
        audit_in(&mut tx, now, actor, "import", batch, "import", serde_json::json!({ "clients": clients, "deals": deals })).await?;
        tx.commit().await?;
        self.reindex_clients().await?;
        Ok(ClientsAndDeals { clients, deals })
    }
}
