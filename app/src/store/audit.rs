//! Reading the audit log: what the people of a department changed, newest first.

use chrono::{DateTime, Utc};

use super::{Store, StoreResult};
use crate::domain::{DepartmentId, OrganisationId, UserId};

#[derive(sqlx::FromRow)]
pub struct AuditRow {
    pub audit_id: i64,
    pub at: DateTime<Utc>,
    pub user_name: Option<String>,
    pub entity: String,
    pub entity_id: String,
    pub action: String,
    pub detail: String,
    /// The deal's title or the client's name the entry is about, when it still exists.
    pub subject: Option<String>,
}

/// The audit log: who changed what, when. Entries are appended inside the change they record.
pub trait AuditStore {
    /// Entries made by the department's people, older than `before` (an audit id) when
    /// given, at most `limit`.
    fn audit_entries(&self, dept: DepartmentId, before: Option<i64>, limit: i64) -> impl Future<Output = StoreResult<Vec<AuditRow>>> + Send;

    /// Appends to the audit log the head and admin can read.
    fn audit(
        &self,
        org: OrganisationId,
        actor: Option<UserId>,
        entity: &str,
        entity_id: &str,
        action: &str,
        detail: serde_json::Value,
    ) -> impl Future<Output = StoreResult<()>> + Send;
}

impl AuditStore for Store {
    async fn audit_entries(&self, dept: DepartmentId, before: Option<i64>, limit: i64) -> StoreResult<Vec<AuditRow>> {
        Ok(sqlx::query_as(
            "select a.audit_id, a.at, u.name as user_name, a.entity, a.entity_id, a.action, a.detail, \
               case a.entity when 'deal' then (select title from deal where deal_id = a.entity_id) \
                             when 'client' then (select name from client where client_id = a.entity_id) end as subject \
             from audit_log a join app_user u on u.user_id = a.user_id \
             where u.department_id = ?1 and (?2 is null or a.audit_id < ?2) \
             order by a.audit_id desc limit ?3",
        )
        .bind(dept.to_string())
        .bind(before)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?)
    }

    async fn audit(
        &self,
        org: OrganisationId,
        actor: Option<UserId>,
        entity: &str,
        entity_id: &str,
        action: &str,
        detail: serde_json::Value,
    ) -> StoreResult<()> {
        let now = self.now();
        sqlx::query("insert into audit_log (organisation_id, user_id, entity, entity_id, action, detail, at) values (?, ?, ?, ?, ?, ?, ?)")
            .bind(org.to_string())
            .bind(actor.map(|u| u.to_string()))
            .bind(entity)
            .bind(entity_id)
            .bind(action)
            .bind(detail.to_string())
            .bind(now)
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}
