//! The audit log the head reads: who changed what in the department, and when.

use chrono::NaiveDateTime;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::ApiError;
use super::deals::StageOption;
#[cfg(feature = "ssr")]
use crate::store::prelude::*;

/// One change, with the time in the organisation's time zone.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AuditLine {
    pub id: i64,
    pub at: NaiveDateTime,
    pub user: String,
    pub entity: String,
    pub entity_id: String,
    pub action: String,
    pub detail: serde_json::Value,
    pub subject: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AuditPage {
    pub lines: Vec<AuditLine>,
    /// To name the stages entries refer to by id.
    pub stages: Vec<StageOption>,
    /// The id to ask for older entries with, when there are more.
    pub older: Option<i64>,
}

pub const AUDIT_PAGE: i64 = 100;

#[server]
pub async fn audit_log(#[server(default)] before: Option<i64>) -> Result<AuditPage, ApiError> {
    use super::ssr::*;
    use crate::domain::clock;
    use crate::domain::user::Role;
    respond(
        async {
            let head = viewer_with_role(&[Role::Head])?;
            let dept = head.department_id.ok_or(ApiError::NotFound)?;
            let store = store()?;
            let tz = zone(&head);
            let rows = store.audit_entries(dept, before, AUDIT_PAGE + 1).await?;
            let more = rows.len() as i64 > AUDIT_PAGE;
            let lines: Vec<AuditLine> = rows
                .into_iter()
                .take(AUDIT_PAGE as usize)
                .map(|r| AuditLine {
                    id: r.audit_id,
                    at: clock::local(tz, r.at),
                    user: r.user_name.unwrap_or_default(),
                    entity: r.entity,
                    entity_id: r.entity_id,
                    action: r.action,
                    detail: serde_json::from_str(&r.detail).unwrap_or_default(),
                    subject: r.subject,
                })
                .collect();
            let older = if more { lines.last().map(|l| l.id) } else { None };
            Ok(AuditPage { lines, stages: store.stages(dept).await?, older })
        }
        .await,
    )
}
