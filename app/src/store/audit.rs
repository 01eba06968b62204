//! Reading the audit log: what the people of a department changed, newest first.

use chrono::{DateTime, Utc};

use super::{Store, StoreResult};
use crate::domain::DepartmentId;

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

impl Store {
    /// Entries made by the department's people, older than `before` (an audit id) when
    /// given, at most `limit`.
    pub async fn audit_entries(&self, dept: DepartmentId, before: Option<i64>, limit: i64) -> StoreResult<Vec<AuditRow>> {
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
}
