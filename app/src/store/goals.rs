//! SMART goals and reports: rows, the counts goals are measured by, and the cadence.

use chrono::{DateTime, Duration, NaiveDate, Utc};

use super::{Store, StoreError, StoreResult, Tx, audit_in, id};
use crate::domain::goal::{GoalMetric, GoalStatus, GoalTerms, Relevance};
use crate::domain::report::{Cadence, CadenceSetting};
use crate::domain::{DepartmentId, GoalId, ReportId, UserId};

/// A goal as stored, with its owner's name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GoalRow {
    pub id: GoalId,
    pub department_id: DepartmentId,
    pub user_id: UserId,
    pub user_name: String,
    pub terms: GoalTerms,
    pub status: GoalStatus,
    pub manual_progress: i64,
    pub version: i64,
}

type RawGoal = (String, String, String, String, String, String, Option<String>, i64, NaiveDate, NaiveDate, String, String, String, i64, i64);

const GOAL_SELECT: &str = "select g.goal_id, g.department_id, g.user_id, u.name, g.title, g.metric, g.stage_id, g.target, \
     g.starts_on, g.due_on, g.relevance, g.relevance_note, g.status, g.manual_progress, g.version \
     from goal g join app_user u on u.user_id = g.user_id";

fn goal_row(r: RawGoal) -> StoreResult<GoalRow> {
    let bad = |what: &str| StoreError::Other(anyhow::anyhow!("malformed goal {what}"));
    Ok(GoalRow {
        id: id(&r.0)?,
        department_id: id(&r.1)?,
        user_id: id(&r.2)?,
        user_name: r.3,
        terms: GoalTerms {
            title: r.4,
            metric: GoalMetric::parse(&r.5).ok_or_else(|| bad("metric"))?,
            stage_id: r.6,
            target: r.7,
            starts_on: r.8,
            due_on: r.9,
            relevance: Relevance::parse(&r.10).ok_or_else(|| bad("relevance"))?,
            relevance_note: r.11,
        },
        status: GoalStatus::parse(&r.12).ok_or_else(|| bad("status"))?,
        manual_progress: r.13,
        version: r.14,
    })
}

/// A report as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReportRow {
    pub user_id: UserId,
    pub user_name: String,
    pub period_day: NaiveDate,
    pub done: String,
    pub plan: String,
    pub blockers: String,
    pub submitted_at: DateTime<Utc>,
}

async fn goal_in(conn: impl sqlx::SqliteExecutor<'_>, goal: GoalId) -> StoreResult<Option<GoalRow>> {
    let row: Option<RawGoal> =
        sqlx::query_as(&format!("{GOAL_SELECT} where g.goal_id = ?")).bind(goal.to_string()).fetch_optional(conn).await?;
    row.map(goal_row).transpose()
}

/// A manager of the department with how often they report.
#[derive(Clone, Debug, PartialEq)]
pub struct ManagerCadence {
    pub id: UserId,
    pub name: String,
    pub setting: CadenceSetting,
}

async fn cadence_in(conn: impl sqlx::SqliteExecutor<'_>, user: UserId) -> StoreResult<CadenceSetting> {
    let (c, since): (String, Option<NaiveDate>) = sqlx::query_as("select report_cadence, report_since from app_user where user_id = ?")
        .bind(user.to_string())
        .fetch_one(conn)
        .await?;
    Ok(CadenceSetting { cadence: Cadence::parse(&c).unwrap_or_default(), since })
}

/// Personal goals and the managers' reports with their cadence.
pub trait GoalStore {
    fn insert_goal(
        &self,
        dept: DepartmentId,
        user: UserId,
        terms: &GoalTerms,
        status: GoalStatus,
        actor: UserId,
    ) -> impl Future<Output = StoreResult<GoalId>> + Send;

    fn goal(&self, goal: GoalId) -> impl Future<Output = StoreResult<Option<GoalRow>>> + Send;

    /// The department's (or one manager's) goals that are proposed or active, and those
    /// that ended within the last 30 days; by deadline.
    fn goals(&self, dept: DepartmentId, user: Option<UserId>, today: NaiveDate) -> impl Future<Output = StoreResult<Vec<GoalRow>>> + Send;

    /// Changes a goal's status (approve, cancel). Audited.
    fn set_goal_status(&self, goal: GoalId, status: GoalStatus, actor: UserId) -> impl Future<Output = StoreResult<()>> + Send;

    /// What a goal's metric counts for `user` in `[from, to]` (whole days in the
    /// organisation's time zone `tz`: a call at 00:30 Moscow time on the 1st is the 1st's).
    fn goal_count(
        &self,
        user: UserId,
        metric: GoalMetric,
        stage: Option<&str>,
        from: NaiveDate,
        to: NaiveDate,
        tz: chrono_tz::Tz,
    ) -> impl Future<Output = StoreResult<i64>> + Send;

    /// The user's best calendar month of the last twelve for a goal's metric (0 without history).
    fn best_month(&self, user: UserId, metric: GoalMetric, stage: Option<&str>, today: NaiveDate) -> impl Future<Output = StoreResult<i64>> + Send;

    /// The department's active managers with their reporting cadence and the day it was set.
    fn cadences(&self, dept: DepartmentId) -> impl Future<Output = StoreResult<Vec<ManagerCadence>>> + Send;

    /// A user's cadence and the day it was set.
    fn cadence(&self, user: UserId) -> impl Future<Output = StoreResult<CadenceSetting>> + Send;

    /// Sets how often `user` reports, counting from `today`.
    fn set_cadence(&self, user: UserId, cadence: Cadence, actor: UserId, today: NaiveDate) -> impl Future<Output = StoreResult<()>> + Send;

    /// The department's reports (or one user's) for days in `[from, to]`, newest first.
    fn reports(&self, dept: DepartmentId, user: Option<UserId>, from: NaiveDate, to: NaiveDate) -> impl Future<Output = StoreResult<Vec<ReportRow>>> + Send;
}

impl GoalStore for Store {
    async fn insert_goal(
        &self,
        dept: DepartmentId,
        user: UserId,
        terms: &GoalTerms,
        status: GoalStatus,
        actor: UserId,
    ) -> StoreResult<GoalId> {
        let goal = GoalId::new();
        let now = self.now();
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "insert into goal (goal_id, department_id, user_id, title, metric, stage_id, target, starts_on, due_on, relevance, \
             relevance_note, status, proposed_by, created_at, updated_at, updated_by) \
             values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?14, ?13)",
        )
        .bind(goal.to_string())
        .bind(dept.to_string())
        .bind(user.to_string())
        .bind(&terms.title)
        .bind(terms.metric.as_str())
        .bind(&terms.stage_id)
        .bind(terms.target)
        .bind(terms.starts_on)
        .bind(terms.due_on)
        .bind(terms.relevance.as_str())
        .bind(&terms.relevance_note)
        .bind(status.as_str())
        .bind(actor.to_string())
        .bind(now)
        .execute(&mut *tx)
        .await?;
        let detail = serde_json::json!({ "title": terms.title, "status": status.as_str(), "target": terms.target });
        audit_in(&mut tx, now, actor, "goal", &goal.to_string(), "create", detail).await?;
        tx.commit().await?;
        Ok(goal)
    }

    async fn goal(&self, goal: GoalId) -> StoreResult<Option<GoalRow>> {
        goal_in(&self.pool, goal).await
    }

    async fn goals(&self, dept: DepartmentId, user: Option<UserId>, today: NaiveDate) -> StoreResult<Vec<GoalRow>> {
        let rows: Vec<RawGoal> = sqlx::query_as(&format!(
            "{GOAL_SELECT} where g.department_id = ?1 and (?2 is null or g.user_id = ?2) and g.status != 'cancelled' \
             and g.due_on >= ?3 order by g.due_on, u.name"
        ))
        .bind(dept.to_string())
        .bind(user.map(|u| u.to_string()))
        .bind(today - Duration::days(30))
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter().map(goal_row).collect()
    }

    async fn set_goal_status(&self, goal: GoalId, status: GoalStatus, actor: UserId) -> StoreResult<()> {
        let now = self.now();
        let mut tx = self.pool.begin().await?;
        sqlx::query("update goal set status = ?, updated_at = ?, updated_by = ?, version = version + 1 where goal_id = ?")
            .bind(status.as_str())
            .bind(now)
            .bind(actor.to_string())
            .bind(goal.to_string())
            .execute(&mut *tx)
            .await?;
        audit_in(&mut tx, now, actor, "goal", &goal.to_string(), "set_status", serde_json::json!({ "status": status.as_str() })).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn goal_count(
        &self,
        user: UserId,
        metric: GoalMetric,
        stage: Option<&str>,
        from: NaiveDate,
        to: NaiveDate,
        tz: chrono_tz::Tz,
    ) -> StoreResult<i64> {
        let next = to + Duration::days(1);
        // Activities and stage entries carry instants; the window's edges are local midnights.
        let instant = |day: NaiveDate| {
            use chrono::TimeZone;
            tz.from_local_datetime(&day.and_time(chrono::NaiveTime::MIN)).earliest().map(|t| t.with_timezone(&chrono::Utc))
        };
        // As a prefix both stored forms (sqlx's `…+00:00`, SQLite's `…Z`) compare right against.
        let text = |t: Option<chrono::DateTime<chrono::Utc>>| t.unwrap_or_default().format("%Y-%m-%dT%H:%M:%S").to_string();
        let (since, until) = (text(instant(from)), text(instant(next)));
        let user = user.to_string();
        let value: Option<i64> = match metric {
            GoalMetric::Manual => Some(0),
            GoalMetric::Received => {
                sqlx::query_scalar(
                    "select cast(total(r.amount) as integer) from deal d join received_payment r on r.deal_id = d.deal_id \
                     where d.owner_id = ?1 and d.deleted_at is null and r.deleted_at is null and r.received_on >= ?2 and r.received_on < ?3",
                )
                .bind(&user)
                .bind(from)
                .bind(next)
                .fetch_one(&self.pool)
                .await?
            }
            GoalMetric::WonAmount | GoalMetric::WonCount => {
                let value = if metric == GoalMetric::WonAmount { "cast(total(amount) as integer)" } else { "count(*)" };
                sqlx::query_scalar(&format!(
                    "select {value} from deal where owner_id = ?1 and deleted_at is null and outcome = 'won' \
                     and closed_on >= ?2 and closed_on < ?3"
                ))
                .bind(&user)
                .bind(from)
                .bind(next)
                .fetch_one(&self.pool)
                .await?
            }
            GoalMetric::Calls => {
                sqlx::query_scalar(
                    "select count(*) from activity where user_id = ?1 and kind = 'call' and occurred_at >= ?2 and occurred_at < ?3",
                )
                .bind(&user)
                .bind(&since)
                .bind(&until)
                .fetch_one(&self.pool)
                .await?
            }
            GoalMetric::StageMoves => {
                sqlx::query_scalar(
                    "select count(*) from deal_stage_entry e join deal d on d.deal_id = e.deal_id \
                     where e.stage_id = ?4 and e.entered_at >= ?2 and e.entered_at < ?3 and d.owner_id = ?1 and d.deleted_at is null",
                )
                .bind(&user)
                .bind(&since)
                .bind(&until)
                .bind(stage.unwrap_or_default())
                .fetch_one(&self.pool)
                .await?
            }
        };
        Ok(value.unwrap_or(0))
    }

    async fn best_month(&self, user: UserId, metric: GoalMetric, stage: Option<&str>, today: NaiveDate) -> StoreResult<i64> {
        let since = today - Duration::days(366);
        let user = user.to_string();
        let value: Option<i64> = match metric {
            GoalMetric::Manual => None,
            GoalMetric::Received => {
                sqlx::query_scalar("select cast(max(amount) as integer) from received_rollup where owner_id = ?1 and month >= ?2")
                    .bind(&user)
                    .bind(since.to_string()[..7].to_string())
                    .fetch_one(&self.pool)
                    .await?
            }
            GoalMetric::WonAmount | GoalMetric::WonCount => {
                let value = if metric == GoalMetric::WonAmount { "cast(total(amount) as integer)" } else { "count(*)" };
                sqlx::query_scalar(&format!(
                    "select max(v) from (select {value} v from deal where owner_id = ?1 and deleted_at is null and outcome = 'won' \
                     and closed_on >= ?2 group by substr(closed_on, 1, 7))"
                ))
                .bind(&user)
                .bind(since)
                .fetch_one(&self.pool)
                .await?
            }
            GoalMetric::Calls => {
                sqlx::query_scalar(
                    "select max(v) from (select count(*) v from activity where user_id = ?1 and kind = 'call' and occurred_at >= ?2 \
                     group by substr(occurred_at, 1, 7))",
                )
                .bind(&user)
                .bind(since.to_string())
                .fetch_one(&self.pool)
                .await?
            }
            GoalMetric::StageMoves => {
                sqlx::query_scalar(
                    "select max(v) from (select count(*) v from deal_stage_entry e join deal d on d.deal_id = e.deal_id \
                     where e.stage_id = ?3 and e.entered_at >= ?2 and d.owner_id = ?1 group by substr(e.entered_at, 1, 7))",
                )
                .bind(&user)
                .bind(since.to_string())
                .bind(stage.unwrap_or_default())
                .fetch_one(&self.pool)
                .await?
            }
        };
        Ok(value.unwrap_or(0))
    }

    async fn cadences(&self, dept: DepartmentId) -> StoreResult<Vec<ManagerCadence>> {
        let rows: Vec<(String, String, String, Option<NaiveDate>)> = sqlx::query_as(
            "select user_id, name, report_cadence, report_since from app_user              where department_id = ? and role = 'manager' and active order by name",
        )
        .bind(dept.to_string())
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|(u, name, c, since)| Ok(ManagerCadence { id: id(&u)?, name, setting: CadenceSetting { cadence: Cadence::parse(&c).unwrap_or_default(), since } }))
            .collect()
    }

    async fn cadence(&self, user: UserId) -> StoreResult<CadenceSetting> {
        cadence_in(&self.pool, user).await
    }

    async fn set_cadence(&self, user: UserId, cadence: Cadence, actor: UserId, today: NaiveDate) -> StoreResult<()> {
        let now = self.now();
        let mut tx = self.pool.begin().await?;
        sqlx::query("update app_user set report_cadence = ?, report_since = ?, updated_at = ?, version = version + 1 where user_id = ?")
            .bind(cadence.as_str())
            .bind(today)
            .bind(now)
            .bind(user.to_string())
            .execute(&mut *tx)
            .await?;
        audit_in(&mut tx, now, actor, "user", &user.to_string(), "set_cadence", serde_json::json!({ "cadence": cadence.as_str() })).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn reports(&self, dept: DepartmentId, user: Option<UserId>, from: NaiveDate, to: NaiveDate) -> StoreResult<Vec<ReportRow>> {
        let rows: Vec<(String, String, NaiveDate, String, String, String, DateTime<Utc>)> = sqlx::query_as(
            "select r.user_id, u.name, r.period_day, r.done, r.plan, r.blockers, r.submitted_at from report r \
             join app_user u on u.user_id = r.user_id \
             where r.department_id = ?1 and (?2 is null or r.user_id = ?2) and r.period_day >= ?3 and r.period_day <= ?4 \
             order by r.period_day desc, u.name",
        )
        .bind(dept.to_string())
        .bind(user.map(|u| u.to_string()))
        .bind(from)
        .bind(to)
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|(u, user_name, period_day, done, plan, blockers, submitted_at)| {
                Ok(ReportRow { user_id: id(&u)?, user_name, period_day, done, plan, blockers, submitted_at })
            })
            .collect()
    }
}

/// Goals and reports inside a unit of work: the write contract's reads and writes; the caller commits.
pub trait GoalTx {
    fn goal(&mut self, goal: GoalId) -> impl Future<Output = StoreResult<Option<GoalRow>>> + Send;

    /// A user's cadence and the day it was set.
    fn cadence(&mut self, user: UserId) -> impl Future<Output = StoreResult<CadenceSetting>> + Send;

    /// The manager's own count on a manual goal. Audited.
    fn check_in_goal(&mut self, goal: GoalId, value: i64, actor: UserId) -> impl Future<Output = StoreResult<i64>> + Send;

    /// Writes the user's report for `period_day`, replacing one already sent for that day
    /// (sending again edits it; it never makes two).
    fn submit_report(
        &mut self,
        user: UserId,
        dept: DepartmentId,
        period_day: NaiveDate,
        done: &str,
        plan: &str,
        blockers: &str,
    ) -> impl Future<Output = StoreResult<()>> + Send;
}

impl GoalTx for Tx {
    async fn goal(&mut self, goal: GoalId) -> StoreResult<Option<GoalRow>> {
        goal_in(self.conn().await?, goal).await
    }

    async fn cadence(&mut self, user: UserId) -> StoreResult<CadenceSetting> {
        cadence_in(self.conn().await?, user).await
    }

    async fn check_in_goal(&mut self, goal: GoalId, value: i64, actor: UserId) -> StoreResult<i64> {
        let now = self.now();
        let mut tx = self.conn().await?;
        let version: i64 = sqlx::query_scalar(
            "update goal set manual_progress = ?, updated_at = ?, updated_by = ?, version = version + 1 where goal_id = ? returning version",
        )
        .bind(value)
        .bind(now)
        .bind(actor.to_string())
        .bind(goal.to_string())
        .fetch_one(&mut *tx)
        .await?;
        audit_in(&mut tx, now, actor, "goal", &goal.to_string(), "check_in", serde_json::json!({ "value": value })).await?;
        Ok(version)
    }

    async fn submit_report(
        &mut self,
        user: UserId,
        dept: DepartmentId,
        period_day: NaiveDate,
        done: &str,
        plan: &str,
        blockers: &str,
    ) -> StoreResult<()> {
        let now = self.now();
        let tx = self.conn().await?;
        sqlx::query(
            "insert into report (report_id, user_id, department_id, period_day, done, plan, blockers, submitted_at) \
             values (?, ?, ?, ?, ?, ?, ?, ?) \
             on conflict (user_id, period_day) do update set done = excluded.done, plan = excluded.plan, \
               blockers = excluded.blockers, submitted_at = excluded.submitted_at",
        )
        .bind(ReportId::new().to_string())
        .bind(user.to_string())
        .bind(dept.to_string())
        .bind(period_day)
        .bind(done)
        .bind(plan)
        .bind(blockers)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        Ok(())
    }
}
