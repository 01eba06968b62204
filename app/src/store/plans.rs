//! Plans, their shares, the facts they are measured against, and the working calendar.

use chrono::{DateTime, NaiveDate, Utc};

use super::{Store, StoreResult, audit_in, id};
use crate::domain::period::Month;
use crate::domain::plan::{Fact, Metric, SplitMethod};
use crate::domain::{DepartmentId, UserId};

/// A department's plan for one month, with each manager's share.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MonthPlan {
    pub month: Month,
    pub metric: Metric,
    pub target: i64,
    pub method: SplitMethod,
    pub history_months: u32,
    pub quarter: Option<String>,
    pub dismissed_on: Option<NaiveDate>,
    pub version: i64,
    /// (manager, name, share), by name.
    pub shares: Vec<(UserId, String, i64)>,
}

/// A manager as plans see them: name, load and first working day.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlanMember {
    pub user_id: UserId,
    pub name: String,
    pub load_percent: u32,
    pub works_from: Option<NaiveDate>,
}

/// What to write for one month of a plan.
pub struct PlanWrite {
    pub month: Month,
    pub metric: Metric,
    pub target: i64,
    pub method: SplitMethod,
    pub history_months: u32,
    pub quarter: Option<String>,
    pub shares: Vec<(UserId, i64)>,
}

impl MonthPlan {
    /// This month's plan with `shares` set by hand; the department plan is their sum.
    pub fn by_hand(&self, shares: Vec<(UserId, i64)>) -> PlanWrite {
        PlanWrite {
            month: self.month,
            metric: self.metric,
            target: crate::domain::limits::total(shares.iter().map(|s| s.1)),
            method: SplitMethod::Manual,
            history_months: self.history_months,
            quarter: self.quarter.clone(),
            shares,
        }
    }
}

/// One manager's share of a month's plan.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MyShare {
    pub metric: Metric,
    /// The department's target.
    pub total: i64,
    pub share: i64,
}

/// One audited change of a plan: when, by whom, what (`action`, its JSON `detail`), for which month.
#[derive(Clone, Debug, PartialEq)]
pub struct PlanChange {
    pub at: DateTime<Utc>,
    pub who: String,
    pub action: String,
    pub detail: String,
    pub month: Month,
}

/// The audit entity id of a department's month plan.
pub fn plan_entity(dept: DepartmentId, month: Month) -> String {
    format!("{dept}:{}", month.key())
}

/// Sales plans by month, each manager's share and capacity, and the facts they are measured by.
pub trait PlanStore {
    /// The department's active managers with their load and first working day.
    fn plan_members(&self, dept: DepartmentId) -> impl Future<Output = StoreResult<Vec<PlanMember>>> + Send;

    /// Sets a manager's load and first working day (the caller checked the department).
    fn set_capacity(&self, user: UserId, actor: UserId, load_percent: u32, works_from: Option<NaiveDate>) -> impl Future<Output = StoreResult<()>> + Send;

    /// The department's plans for `months` (those that exist), in month order.
    fn month_plans(&self, dept: DepartmentId, months: &[Month]) -> impl Future<Output = StoreResult<Vec<MonthPlan>>> + Send;

    /// One manager's share of the month's plan, with the plan's metric and target.
    fn my_share(&self, dept: DepartmentId, user: UserId, month: Month) -> impl Future<Output = StoreResult<Option<MyShare>>> + Send;

    /// Writes the months of a plan and their shares (replacing what was there) and
    /// audits `action` with `detail` on each month, in one transaction.
    fn save_plan(
        &self,
        dept: DepartmentId,
        actor: UserId,
        months: &[PlanWrite],
        action: &str,
        detail: serde_json::Value,
    ) -> impl Future<Output = StoreResult<()>> + Send;

    /// Hides the month's rebalancing proposal for `today`. Audited.
    fn dismiss_rebalance(&self, dept: DepartmentId, actor: UserId, month: Month, today: NaiveDate) -> impl Future<Output = StoreResult<()>> + Send;

    /// The fact of `metric` per manager and month for the months `[from, to)` of the
    /// department: received money from the rollup, won deals by closing date.
    fn facts(&self, dept: DepartmentId, metric: Metric, from: Month, to: Month) -> impl Future<Output = StoreResult<Vec<Fact>>> + Send;

    /// The plan's change history for `months`, newest first.
    fn plan_history(
        &self,
        dept: DepartmentId,
        months: &[Month],
        limit: i64,
    ) -> impl Future<Output = StoreResult<Vec<PlanChange>>> + Send;
}

impl PlanStore for Store {
    async fn plan_members(&self, dept: DepartmentId) -> StoreResult<Vec<PlanMember>> {
        let rows: Vec<(String, String, i64, Option<NaiveDate>)> = sqlx::query_as(
            "select user_id, name, load_percent, works_from from app_user \
             where department_id = ? and role = 'manager' and active order by name",
        )
        .bind(dept.to_string())
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|(u, name, load, works_from)| {
                Ok(PlanMember { user_id: id(&u)?, name, load_percent: u32::try_from(load).unwrap_or(100), works_from })
            })
            .collect()
    }

    async fn set_capacity(&self, user: UserId, actor: UserId, load_percent: u32, works_from: Option<NaiveDate>) -> StoreResult<()> {
        let now = self.now();
        let mut tx = self.pool.begin().await?;
        sqlx::query("update app_user set load_percent = ?, works_from = ?, updated_at = ?, version = version + 1 where user_id = ?")
            .bind(load_percent)
            .bind(works_from)
            .bind(now)
            .bind(user.to_string())
            .execute(&mut *tx)
            .await?;
        let detail = serde_json::json!({ "load_percent": load_percent, "works_from": works_from });
        audit_in(&mut tx, now, actor, "user", &user.to_string(), "set_capacity", detail).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn month_plans(&self, dept: DepartmentId, months: &[Month]) -> StoreResult<Vec<MonthPlan>> {
        let (Some(first), Some(last)) = (months.iter().min(), months.iter().max()) else { return Ok(Vec::new()) };
        type PlanRow = (String, String, i64, String, i64, Option<String>, Option<NaiveDate>, i64);
        let plans: Vec<PlanRow> = sqlx::query_as(
            "select month, metric, target, method, history_months, quarter, dismissed_on, version from plan \
             where department_id = ?1 and month >= ?2 and month <= ?3 order by month",
        )
        .bind(dept.to_string())
        .bind(first.key())
        .bind(last.key())
        .fetch_all(&self.pool)
        .await?;
        let shares: Vec<(String, String, String, i64)> = sqlx::query_as(
            "select s.month, s.user_id, u.name, s.target from plan_share s join app_user u on u.user_id = s.user_id \
             where s.department_id = ?1 and s.month >= ?2 and s.month <= ?3 order by u.name",
        )
        .bind(dept.to_string())
        .bind(first.key())
        .bind(last.key())
        .fetch_all(&self.pool)
        .await?;
        let mut out = Vec::new();
        for (month, metric, target, method, history_months, quarter, dismissed_on, version) in plans {
            let Some(m) = Month::parse_key(&month).filter(|m| months.contains(m)) else { continue };
            let shares =
                shares.iter().filter(|s| s.0 == month).map(|s| Ok((id(&s.1)?, s.2.clone(), s.3))).collect::<StoreResult<Vec<_>>>()?;
            out.push(MonthPlan {
                month: m,
                metric: Metric::parse(&metric).unwrap_or_default(),
                target,
                method: SplitMethod::parse(&method).unwrap_or_default(),
                history_months: u32::try_from(history_months).unwrap_or(3),
                quarter,
                dismissed_on,
                version,
                shares,
            });
        }
        Ok(out)
    }

    async fn my_share(&self, dept: DepartmentId, user: UserId, month: Month) -> StoreResult<Option<MyShare>> {
        let row: Option<(String, i64, i64)> = sqlx::query_as(
            "select p.metric, p.target, s.target from plan p join plan_share s on s.department_id = p.department_id and s.month = p.month \
             where p.department_id = ? and p.month = ? and s.user_id = ?",
        )
        .bind(dept.to_string())
        .bind(month.key())
        .bind(user.to_string())
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(|(metric, total, share)| MyShare { metric: Metric::parse(&metric).unwrap_or_default(), total, share }))
    }

    async fn save_plan(
        &self,
        dept: DepartmentId,
        actor: UserId,
        months: &[PlanWrite],
        action: &str,
        detail: serde_json::Value,
    ) -> StoreResult<()> {
        let now = self.now();
        let mut tx = self.pool.begin().await?;
        for m in months {
            sqlx::query(
                "insert into plan (department_id, month, metric, target, method, history_months, quarter, updated_at, updated_by) \
                 values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) \
                 on conflict (department_id, month) do update set metric = excluded.metric, target = excluded.target, \
                   method = excluded.method, history_months = excluded.history_months, quarter = excluded.quarter, \
                   dismissed_on = null, updated_at = excluded.updated_at, updated_by = excluded.updated_by, version = plan.version + 1",
            )
            .bind(dept.to_string())
            .bind(m.month.key())
            .bind(m.metric.as_str())
            .bind(m.target)
            .bind(m.method.as_str())
            .bind(m.history_months)
            .bind(&m.quarter)
            .bind(now)
            .bind(actor.to_string())
            .execute(&mut *tx)
            .await?;
            sqlx::query("delete from plan_share where department_id = ? and month = ?")
                .bind(dept.to_string())
                .bind(m.month.key())
                .execute(&mut *tx)
                .await?;
            for (user, target) in &m.shares {
                sqlx::query("insert into plan_share (department_id, month, user_id, target) values (?, ?, ?, ?)")
                    .bind(dept.to_string())
                    .bind(m.month.key())
                    .bind(user.to_string())
                    .bind(target)
                    .execute(&mut *tx)
                    .await?;
            }
            let mut detail = detail.clone();
            detail["target"] = m.target.into();
            detail["metric"] = m.metric.as_str().into();
            detail["shares"] = m.shares.iter().map(|(u, t)| serde_json::json!([u.to_string(), t])).collect();
            audit_in(&mut tx, now, actor, "plan", &plan_entity(dept, m.month), action, detail).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn dismiss_rebalance(&self, dept: DepartmentId, actor: UserId, month: Month, today: NaiveDate) -> StoreResult<()> {
        let now = self.now();
        let mut tx = self.pool.begin().await?;
        let changed = sqlx::query("update plan set dismissed_on = ? where department_id = ? and month = ?")
            .bind(today)
            .bind(dept.to_string())
            .bind(month.key())
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if changed == 0 {
            return Err(super::StoreError::NotFound);
        }
        audit_in(&mut tx, now, actor, "plan", &plan_entity(dept, month), "dismiss_rebalance", serde_json::json!({})).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn facts(&self, dept: DepartmentId, metric: Metric, from: Month, to: Month) -> StoreResult<Vec<Fact>> {
        let rows: Vec<(String, String, i64)> = match metric {
            Metric::Received => {
                sqlx::query_as(
                    "select owner_id, month, cast(amount as integer) from received_rollup where department_id = ?1 and month >= ?2 and month < ?3",
                )
                .bind(dept.to_string())
                .bind(from.key())
                .bind(to.key())
                .fetch_all(&self.pool)
                .await?
            }
            Metric::WonAmount | Metric::WonCount => {
                let value = if metric == Metric::WonAmount { "cast(total(amount) as integer)" } else { "count(*)" };
                sqlx::query_as(&format!(
                    "select owner_id, substr(closed_on, 1, 7), {value} from deal indexed by deal_closed_on_idx \
                     where department_id = ?1 and deleted_at is null and closed_on >= ?2 and closed_on < ?3 and outcome = 'won' \
                     group by 1, 2"
                ))
                .bind(dept.to_string())
                .bind(from.first_day())
                .bind(to.first_day())
                .fetch_all(&self.pool)
                .await?
            }
        };
        rows.into_iter()
            .filter_map(|(u, m, value)| Month::parse_key(&m).map(|month| (u, month, value)))
            .map(|(u, month, value)| Ok(Fact { user: id(&u)?, month, value }))
            .collect()
    }

    async fn plan_history(
        &self,
        dept: DepartmentId,
        months: &[Month],
        limit: i64,
    ) -> StoreResult<Vec<PlanChange>> {
        if months.is_empty() {
            return Ok(Vec::new());
        }
        // One read for the whole period (a quarter is three entity ids).
        let marks = vec!["?"; months.len()].join(", ");
        let sql = format!(
            "select a.at, coalesce(u.name, ''), a.action, a.detail, a.entity_id from audit_log a \
             left join app_user u on u.user_id = a.user_id \
             where a.entity = 'plan' and a.entity_id in ({marks}) order by a.audit_id desc limit ?"
        );
        let mut query = sqlx::query_as::<_, (chrono::DateTime<Utc>, String, String, String, String)>(&sql);
        for month in months {
            query = query.bind(plan_entity(dept, *month));
        }
        let found = query.bind(limit).fetch_all(&self.pool).await?;
        let rows = found
            .into_iter()
            .filter_map(|(at, who, action, detail, entity)| {
                let month = entity.rsplit(':').next().and_then(Month::parse_key)?;
                Some(PlanChange { at, who, action, detail, month })
            })
            .collect();
        Ok(rows)
    }
}
