//! The head's edits of the department's pipeline. Every edit is audited; the stage
//! rules themselves live in [`crate::domain::pipeline`].

use super::{Store, StoreResult, audit_in};
use crate::domain::funnel::PathCount;
use crate::domain::period::Month;
use crate::model::deals::StageCount;
use crate::domain::{DepartmentId, UserId};

impl Store {
    /// Live deals per stage of the department, from the rollup.
    pub async fn deals_per_stage(&self, dept: DepartmentId) -> StoreResult<Vec<StageCount>> {
        let rows: Vec<(String, i64)> = sqlx::query_as("select stage_id, sum(deals) from deal_rollup where department_id = ? group by stage_id")
            .bind(dept.to_string())
            .fetch_all(&self.pool)
            .await?;
        Ok(rows.into_iter().map(|(stage_id, deals)| StageCount { stage_id, deals }).collect())
    }

    /// Whether any deal, even a deleted one, still points at the stage.
    pub async fn stage_in_use(&self, dept: DepartmentId, stage: &str) -> StoreResult<bool> {
        Ok(sqlx::query_scalar("select exists(select 1 from deal where department_id = ? and stage_id = ?)")
            .bind(dept.to_string())
            .bind(stage)
            .fetch_one(&self.pool)
            .await?)
    }

    /// Names a stage and sets its win probability.
    pub async fn update_stage(&self, dept: DepartmentId, stage: &str, name: &str, probability: i64, actor: UserId) -> StoreResult<()> {
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
        audit_in(&mut tx, actor, "stage", stage, "update", serde_json::json!({ "name": name, "probability": probability })).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Puts the department's stages in `order` (every stage id, once).
    pub async fn reorder_stages(&self, dept: DepartmentId, order: &[String], actor: UserId) -> StoreResult<()> {
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
        audit_in(&mut tx, actor, "department", &dept.to_string(), "reorder_stages", serde_json::json!({ "order": order })).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Adds an open stage after the last open one, before won and lost.
    pub async fn add_stage(&self, dept: DepartmentId, name: &str, probability: i64, actor: UserId) -> StoreResult<String> {
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
        audit_in(&mut tx, actor, "stage", &id, "create", serde_json::json!({ "name": name, "probability": probability })).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Removes a stage no deal points at.
    pub async fn delete_stage(&self, dept: DepartmentId, stage: &str, actor: UserId) -> StoreResult<()> {
        let mut tx = self.pool.begin().await?;
        let name: Option<(Option<String>, Option<String>)> =
            sqlx::query_as("delete from stage where stage_id = ? and department_id = ? returning code, name")
                .bind(stage)
                .bind(dept.to_string())
                .fetch_optional(&mut *tx)
                .await?;
        let (code, name) = name.ok_or(super::StoreError::NotFound)?;
        audit_in(&mut tx, actor, "stage", stage, "delete", serde_json::json!({ "code": code, "name": name })).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Deals of the department created in the months from `since` on, counted by the
    /// furthest open stage they entered (its index among the open stages, in pipeline
    /// order) and whether they were won; from the trigger-kept rollup.
    pub async fn funnel_paths(&self, dept: DepartmentId, since: Month) -> StoreResult<Vec<PathCount>> {
        let rows: Vec<(Option<i64>, bool, i64)> = sqlx::query_as(
            "select case when g.furthest < 0 then null else \
                      (select count(*) from stage s where s.department_id = ?1 and s.outcome = 'open' and s.position < g.furthest) end, \
                    g.won, g.n \
             from (select furthest, won, sum(deals) as n from funnel_rollup \
                   where department_id = ?1 and month >= ?2 group by 1, 2 having sum(deals) > 0) g",
        )
        .bind(dept.to_string())
        .bind(since.key())
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|(furthest, won, deals)| PathCount {
                furthest: furthest.and_then(|i| usize::try_from(i).ok()),
                won,
                deals: u64::try_from(deals).unwrap_or(0),
            })
            .collect())
    }
}
