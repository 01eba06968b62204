//! The department's pipeline: its stages in order with their win probabilities, the
//! head's edits of them (each audited) and the "stale after" setting. The stage rules
//! themselves live in [`crate::domain::pipeline`].


use super::{Store, StoreResult, Tx, audit_in};
use crate::domain::deal::Outcome;
use crate::domain::{DepartmentId, UserId};
use crate::model::deals::{StageCount, StageOption};

/// The pipeline every new department starts with: code, win probability in percent, outcome.
pub const DEFAULT_PIPELINE: [(&str, i64, Outcome); 7] = [
    ("new", 10, Outcome::Open),
    ("qualified", 20, Outcome::Open),
    ("proposal", 40, Outcome::Open),
    ("negotiation", 60, Outcome::Open),
    ("invoice", 80, Outcome::Open),
    ("won", 100, Outcome::Won),
    ("lost", 0, Outcome::Lost),
];

async fn stages_in(conn: impl sqlx::SqliteExecutor<'_>, dept: DepartmentId) -> StoreResult<Vec<StageOption>> {
    let rows: Vec<(String, Option<String>, Option<String>, i64, String)> = sqlx::query_as(
        "select stage_id, code, name, probability, outcome from stage where department_id = ? order by position",
    )
    .bind(dept.to_string())
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, code, name, probability, outcome)| StageOption {
            id,
            code,
            name,
            probability,
            outcome: Outcome::parse(&outcome).unwrap_or(Outcome::Open),
        })
        .collect())
}

/// The department's pipeline stages and its settings.
pub trait StageStore {
    fn create_default_pipeline(&self, dept: DepartmentId) -> impl Future<Output = StoreResult<()>> + Send;

    fn stages(&self, dept: DepartmentId) -> impl Future<Output = StoreResult<Vec<StageOption>>> + Send;

    /// After how many quiet days the department's deals count as stale.
    fn stale_after_days(&self, dept: DepartmentId) -> impl Future<Output = StoreResult<u32>> + Send;

    fn set_stale_after_days(&self, dept: DepartmentId, days: u32) -> impl Future<Output = StoreResult<()>> + Send;

    /// Live deals per stage of the department, from the rollup.
    fn deals_per_stage(&self, dept: DepartmentId) -> impl Future<Output = StoreResult<Vec<StageCount>>> + Send;

    /// Whether any deal, even a deleted one, still points at the stage.
    fn stage_in_use(&self, dept: DepartmentId, stage: &str) -> impl Future<Output = StoreResult<bool>> + Send;

    /// Names a stage and sets its win probability.
    fn update_stage(&self, dept: DepartmentId, stage: &str, name: &str, probability: i64, actor: UserId) -> impl Future<Output = StoreResult<()>> + Send;

    /// Puts the department's stages in `order` (every stage id, once).
    fn reorder_stages(&self, dept: DepartmentId, order: &[String], actor: UserId) -> impl Future<Output = StoreResult<()>> + Send;

    /// Adds an open stage after the last open one, before won and lost.
    fn add_stage(&self, dept: DepartmentId, name: &str, probability: i64, actor: UserId) -> impl Future<Output = StoreResult<String>> + Send;

    /// Removes a stage no deal points at.
    fn delete_stage(&self, dept: DepartmentId, stage: &str, actor: UserId) -> impl Future<Output = StoreResult<()>> + Send;
}

impl StageStore for Store {
    async fn create_default_pipeline(&self, dept: DepartmentId) -> StoreResult<()> {
        let mut tx = self.pool.begin().await?;
        for (position, (code, probability, outcome)) in DEFAULT_PIPELINE.iter().enumerate() {
            sqlx::query("insert into stage (stage_id, department_id, code, position, probability, outcome) values (?, ?, ?, ?, ?, ?)")
                .bind(uuid::Uuid::now_v7().to_string())
                .bind(dept.to_string())
                .bind(code)
                .bind(position as i64)
                .bind(probability)
                .bind(outcome.as_str())
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn stages(&self, dept: DepartmentId) -> StoreResult<Vec<StageOption>> {
        stages_in(&self.pool, dept).await
    }

    async fn stale_after_days(&self, dept: DepartmentId) -> StoreResult<u32> {
        let days: i64 = sqlx::query_scalar("select stale_after_days from department where department_id = ?")
            .bind(dept.to_string())
            .fetch_one(&self.pool)
            .await?;
        Ok(u32::try_from(days).unwrap_or(14))
    }

    async fn set_stale_after_days(&self, dept: DepartmentId, days: u32) -> StoreResult<()> {
        let now = self.now();
        sqlx::query("update department set stale_after_days = ?, updated_at = ?, version = version + 1 where department_id = ?")
            .bind(i64::from(days))
            .bind(now)
            .bind(dept.to_string())
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn deals_per_stage(&self, dept: DepartmentId) -> StoreResult<Vec<StageCount>> {
        let rows: Vec<(String, i64)> = sqlx::query_as("select stage_id, sum(deals) from deal_rollup where department_id = ? group by stage_id")
            .bind(dept.to_string())
            .fetch_all(&self.pool)
            .await?;
        Ok(rows.into_iter().map(|(stage_id, deals)| StageCount { stage_id, deals }).collect())
    }

    async fn stage_in_use(&self, dept: DepartmentId, stage: &str) -> StoreResult<bool> {
        Ok(sqlx::query_scalar("select exists(select 1 from deal where department_id = ? and stage_id = ?)")
            .bind(dept.to_string())
            .bind(stage)
            .fetch_one(&self.pool)
            .await?)
    }

    async fn update_stage(&self, dept: DepartmentId, stage: &str, name: &str, probability: i64, actor: UserId) -> StoreResult<()> {
        let now = self.now();
        let mut tx = self.pool.begin().await?;
        let done = sqlx::query("update stage set name = ?, probability = ? where stage_id = ? and department_id = ?")
            .bind(name)
            .bind(probability)
            .bind(stage)
            .bind(dept.to_string())
            .execute(&mut *tx)
            .await?;
        if done.rows_affected() == 0 {
            return Err(super::StoreError::NotFound);
        }
        audit_in(&mut tx, now, actor, "stage", stage, "update", serde_json::json!({ "name": name, "probability": probability })).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn reorder_stages(&self, dept: DepartmentId, order: &[String], actor: UserId) -> StoreResult<()> {
        let now = self.now();
        let mut tx = self.pool.begin().await?;
        for (position, stage) in order.iter().enumerate() {
            sqlx::query("update stage set position = ? where stage_id = ? and department_id = ?")
                .bind(position as i64)
                .bind(stage)
                .bind(dept.to_string())
                .execute(&mut *tx)
                .await?;
        }
        // How far each deal got is kept by position: recount it from the stage history.
        sqlx::query(
            "update deal set furthest_position = (select max(s.position) from deal_stage_entry e \
               join stage s on s.stage_id = e.stage_id where e.deal_id = deal.deal_id and s.outcome = 'open') \
             where department_id = ?",
        )
        .bind(dept.to_string())
        .execute(&mut *tx)
        .await?;
        audit_in(&mut tx, now, actor, "department", &dept.to_string(), "reorder_stages", serde_json::json!({ "order": order })).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn add_stage(&self, dept: DepartmentId, name: &str, probability: i64, actor: UserId) -> StoreResult<String> {
        let now = self.now();
        let mut tx = self.pool.begin().await?;
        let position: i64 = sqlx::query_scalar(
            "select coalesce(max(position), -1) + 1 from stage where department_id = ? and outcome = 'open'",
        )
        .bind(dept.to_string())
        .fetch_one(&mut *tx)
        .await?;
        sqlx::query("update stage set position = position + 1 where department_id = ? and position >= ?")
            .bind(dept.to_string())
            .bind(position)
            .execute(&mut *tx)
            .await?;
        let id = uuid::Uuid::now_v7().to_string();
        sqlx::query("insert into stage (stage_id, department_id, name, position, probability, outcome) values (?, ?, ?, ?, ?, 'open')")
            .bind(&id)
            .bind(dept.to_string())
            .bind(name)
            .bind(position)
            .bind(probability)
            .execute(&mut *tx)
            .await?;
        audit_in(&mut tx, now, actor, "stage", &id, "create", serde_json::json!({ "name": name, "probability": probability })).await?;
        tx.commit().await?;
        Ok(id)
    }

    async fn delete_stage(&self, dept: DepartmentId, stage: &str, actor: UserId) -> StoreResult<()> {
        let now = self.now();
        let mut tx = self.pool.begin().await?;
        let name: Option<(Option<String>, Option<String>)> =
            sqlx::query_as("delete from stage where stage_id = ? and department_id = ? returning code, name")
                .bind(stage)
                .bind(dept.to_string())
                .fetch_optional(&mut *tx)
                .await?;
        let (code, name) = name.ok_or(super::StoreError::NotFound)?;
        audit_in(&mut tx, now, actor, "stage", stage, "delete", serde_json::json!({ "code": code, "name": name })).await?;
        tx.commit().await?;
        Ok(())
    }
}

/// The pipeline inside a unit of work.
pub trait StageTx {
    fn stages(&mut self, dept: DepartmentId) -> impl Future<Output = StoreResult<Vec<StageOption>>> + Send;
}

impl StageTx for Tx {
    async fn stages(&mut self, dept: DepartmentId) -> StoreResult<Vec<StageOption>> {
        if let Some((read, stages)) = &self.stages
            && *read == dept
        {
            return Ok(stages.clone());
        }
        let stages = stages_in(self.read_conn(), dept).await?;
        self.stages = Some((dept, stages.clone()));
        Ok(stages)
    }
}
