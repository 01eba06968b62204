//! Sync bookkeeping: the receipts that make a pushed mutation apply once, and the
//! change log a pull reads (filled by the 0013 migration's triggers, so no write path
//! can forget it).

use chrono::{DateTime, Utc};
use sqlx::SqliteConnection;

use super::{Store, StoreResult, Tx, id};
use crate::domain::sync::{Answer, Pulled};
use crate::domain::{DepartmentId, MutationId, UserId};

/// Stores a mutation's answer; its id is the key, so an id is answered once.
/// Stores a push's answers as their mutations' receipts, in one statement: a
/// statement is a round trip to SQLite's thread, and a push holds up to 1 000.
async fn insert_receipts(conn: &mut SqliteConnection, at: DateTime<Utc>, user: UserId, receipts: &[(MutationId, &str, Answer)]) -> StoreResult<()> {
    let rows = receipts
        .iter()
        .map(|(mutation, kind, answer)| {
            Ok(serde_json::json!({ "id": mutation.to_string(), "kind": kind, "result": serde_json::to_string(answer)? }))
        })
        .collect::<Result<Vec<_>, serde_json::Error>>()
        .map_err(anyhow::Error::new)?;
    sqlx::query(
        "insert into sync_mutation (mutation_id, user_id, kind, result, at) \
         select json_extract(value, '$.id'), ?1, json_extract(value, '$.kind'), json_extract(value, '$.result'), ?2 from json_each(?3)",
    )
    .bind(user.to_string())
    .bind(at)
    .bind(serde_json::Value::from(rows).to_string())
    .execute(conn)
    .await?;
    Ok(())
}

/// Each entity's row as a pull shows it, built by SQLite as JSON; `{key}` is the SQL
/// expression of the entity's id, `{owner}` restricts to one owner when bound.
fn row_json(entity: &str) -> &'static str {
    match entity {
        "deal" => {
            "select json_object('id', d.deal_id, 'title', d.title, 'client_id', d.client_id, 'client', c.name, \
             'owner_id', d.owner_id, 'stage_id', d.stage_id, 'outcome', d.outcome, 'amount', d.amount, \
             'next_step', d.next_step, 'next_step_due_on', d.next_step_due_on, 'expected_close_on', d.expected_close_on, \
             'expected_total', cast(d.expected_total as integer), 'received_total', cast(d.received_total as integer), 'version', d.version, \
             'updated_at', d.updated_at, 'updated_by', d.updated_by) \
             from deal d join client c on c.client_id = d.client_id \
             where d.deal_id = {key} and d.deleted_at is null and d.department_id = {dept} and ({owner} is null or d.owner_id = {owner})"
        }
        "client" => {
            "select json_object('id', c.client_id, 'name', c.name, 'inn', c.inn, 'notes', c.notes, 'owner_id', c.owner_id, \
             'version', c.version, 'updated_at', c.updated_at, 'updated_by', c.updated_by) from client c \
             where c.client_id = {key} and c.deleted_at is null and c.department_id = {dept} and ({owner} is null or c.owner_id = {owner})"
        }
        "goal" => {
            "select json_object('id', g.goal_id, 'user_id', g.user_id, 'title', g.title, 'metric', g.metric, 'stage_id', g.stage_id, \
             'target', g.target, 'starts_on', g.starts_on, 'due_on', g.due_on, 'status', g.status, \
             'manual_progress', g.manual_progress, 'version', g.version, 'updated_at', g.updated_at) from goal g \
             where g.goal_id = {key} and g.department_id = {dept} and ({owner} is null or g.user_id = {owner})"
        }
        _ => {
            "select json_object('id', r.report_id, 'user_id', r.user_id, 'period_day', r.period_day, 'done', r.done, \
             'plan', r.plan, 'blockers', r.blockers, 'submitted_at', r.submitted_at) from report r \
             where r.report_id = {key} and r.department_id = {dept} and ({owner} is null or r.user_id = {owner})"
        }
    }
}

fn row_sql(entity: &str, key: &str) -> String {
    row_json(entity).replace("{key}", key).replace("{dept}", "?1").replace("{owner}", "?2")
}

/// Who a pull or a snapshot is for: a head sees the department, a manager their own.
#[derive(Clone, Copy, Debug)]
pub struct SyncScope {
    pub department: DepartmentId,
    pub owner: Option<UserId>,
}

/// The answer a mutation id got, and whose mutation it was.
#[derive(Clone, Debug, PartialEq)]
pub struct Receipt {
    pub user: UserId,
    pub answer: Answer,
}

/// One page of a pull: the changes, the cursor after them and whether more wait.
#[derive(Clone, Debug, PartialEq)]
pub struct PullPage {
    pub changes: Vec<Pulled>,
    pub cursor: i64,
    pub more: bool,
}

/// A push's bookkeeping, inside its unit of work: the receipts are read and written
/// in the same transaction as the changes they answer for, so a mutation and its
/// receipt commit together or not at all.
pub trait SyncTx {
    /// The answers these mutation ids already got, and whose mutations they were: one
    /// read for a whole push.
    fn receipts(&mut self, mutations: &[MutationId]) -> impl Future<Output = StoreResult<std::collections::HashMap<MutationId, Receipt>>> + Send;

    /// Remembers the answers a push's mutations got, so a repeat of an id gets its
    /// answer again. Stored in the push's transaction: a mutation and its receipt are
    /// committed together or not at all.
    fn save_receipts(&mut self, user: UserId, receipts: &[(MutationId, &str, Answer)]) -> impl Future<Output = StoreResult<()>> + Send;

    /// One entity's current row as a pull would show it, if the scope may see it.
    fn snapshot(&mut self, scope: SyncScope, entity: &str, key: &str) -> impl Future<Output = StoreResult<Option<serde_json::Value>>> + Send;
}

impl SyncTx for Tx {
    async fn receipts(&mut self, mutations: &[MutationId]) -> StoreResult<std::collections::HashMap<MutationId, Receipt>> {
        let keys = serde_json::to_string(&mutations).map_err(anyhow::Error::new)?;
        let rows: Vec<(String, String, String)> = sqlx::query_as(
            "select m.mutation_id, m.user_id, m.result from json_each(?) k join sync_mutation m on m.mutation_id = k.value",
        )
        .bind(keys)
        .fetch_all(self.conn().await?)
        .await?;
        rows.into_iter()
            .map(|(key, user, result)| {
                let answer = serde_json::from_str(&result).map_err(anyhow::Error::new)?;
                Ok((id(&key)?, Receipt { user: id(&user)?, answer }))
            })
            .collect()
    }

    async fn save_receipts(&mut self, user: UserId, receipts: &[(MutationId, &str, Answer)]) -> StoreResult<()> {
        let now = self.now();
        insert_receipts(self.conn().await?, now, user, receipts).await
    }

    async fn snapshot(&mut self, scope: SyncScope, entity: &str, key: &str) -> StoreResult<Option<serde_json::Value>> {
        let json: Option<String> = sqlx::query_scalar(&row_sql(entity, "?3"))
            .bind(scope.department.to_string())
            .bind(scope.owner.map(|o| o.to_string()))
            .bind(key)
            .fetch_optional(self.conn().await?)
            .await?;
        json.map(|j| serde_json::from_str(&j).map_err(|e| anyhow::Error::new(e).into())).transpose()
    }
}

/// What changed, for a device's pull.
pub trait SyncStore {
    /// What changed for `scope` after `cursor`: each entity once, at its latest state,
    /// oldest change first; a row the scope may no longer see comes as a tombstone.
    fn pull(&self, scope: SyncScope, cursor: i64, limit: i64) -> impl Future<Output = StoreResult<PullPage>> + Send;
}

impl SyncStore for Store {
    async fn pull(&self, scope: SyncScope, cursor: i64, limit: i64) -> StoreResult<PullPage> {
        // The owner's index for a manager, the department's for a head.
        let filter = if scope.owner.is_some() { "owner_id = ?2" } else { "department_id = ?1" };
        let rows = ["deal", "client", "goal", "report"]
            .map(|entity| format!("when '{entity}' then ({})", row_sql(entity, "l.entity_id")))
            .join(" ");
        let sql = format!(
            "with latest as (select entity, entity_id, max(seq) as seq from change_log where {filter} and seq > ?3 \
               group by entity, entity_id order by seq limit ?4) \
             select l.entity, l.entity_id, l.seq, case l.entity {rows} end from latest l order by l.seq"
        );
        let found: Vec<(String, String, i64, Option<String>)> = sqlx::query_as(&sql)
            .bind(scope.department.to_string())
            .bind(scope.owner.map(|o| o.to_string()))
            .bind(cursor)
            .bind(limit + 1)
            .fetch_all(&self.pool)
            .await?;
        let more = found.len() as i64 > limit;
        let mut next = cursor;
        let mut changes = Vec::with_capacity(found.len());
        for (entity, key, seq, row) in found.into_iter().take(limit as usize) {
            next = seq;
            let row = row.map(|j| serde_json::from_str(&j).map_err(anyhow::Error::new)).transpose()?;
            changes.push(Pulled { entity, id: key, deleted: row.is_none(), row });
        }
        Ok(PullPage { changes, cursor: next, more })
    }
}
