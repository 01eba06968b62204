//! The figures the home pages show: each manager's month, money by month, next steps
//! due and the conversion funnel. Read from the rollups SQLite triggers keep, never by
//! scanning the department's history.

use chrono::NaiveDate;

use super::prelude::*;
use super::{Store, StoreResult, id};
use crate::domain::funnel::PathCount;
use crate::domain::period::Month;
use crate::domain::{DepartmentId, Money, UserId};
use crate::model::home::{ManagerFigures, MonthTotal, NextStep};

#[derive(sqlx::FromRow)]
struct FiguresRow {
    user_id: String,
    name: String,
    received: i64,
    won: i64,
    open: i64,
    pipeline: i64,
    weighted: i64,
}

/// The home pages' figures.
pub trait FigureStore {
    /// Figures per active manager of `dept` for `month`, in one query.
    ///
    /// Overdue follows [`crate::domain::payment::overdue_amount`]: per deal, what was
    /// expected before `today` less everything received, never below zero; lost deals
    /// owe nothing. The forecast follows [`crate::domain::forecast::forecast`] and stale
    /// deals [`crate::domain::forecast::is_stale`] with the department's setting, reading
    /// `deal.touched_at` (the last activity, kept on every write).
    fn manager_figures(
        &self,
        dept: DepartmentId,
        only: Option<UserId>,
        month: Month,
        today: NaiveDate,
    ) -> impl Future<Output = StoreResult<Vec<ManagerFigures>>> + Send;

    /// Received per month for the `months` months ending with `last`, oldest first,
    /// for the whole department or one owner.
    fn received_by_month(
        &self,
        dept: DepartmentId,
        owner: Option<UserId>,
        last: Month,
        months: usize,
    ) -> impl Future<Output = StoreResult<Vec<MonthTotal>>> + Send;

    /// Open deals of `owner` whose next step is due by `today`, earliest first.
    fn due_next_steps(&self, owner: UserId, today: NaiveDate, limit: i64) -> impl Future<Output = StoreResult<Vec<NextStep>>> + Send;

    /// Deals of the department created in the months from `since` on, counted by the
    /// furthest open stage they entered (its index among the open stages, in pipeline
    /// order) and whether they were won; from the trigger-kept rollup.
    fn funnel_paths(&self, dept: DepartmentId, since: Month) -> impl Future<Output = StoreResult<Vec<PathCount>>> + Send;
}

impl FigureStore for Store {
    async fn manager_figures(
        &self,
        dept: DepartmentId,
        only: Option<UserId>,
        month: Month,
        today: NaiveDate,
    ) -> StoreResult<Vec<ManagerFigures>> {
        let stale_days = self.stale_after_days(dept).await?;
        let stale_cutoff = self.now() - chrono::Duration::days(i64::from(stale_days));
        // One owner is a literal condition, not `(? is null or …)`, so SQLite can use the
        // owner index instead of scanning the department.
        let owner = if only.is_some() { "and x.owner_id = ?4" } else { "" };
        // Each part reads a rollup or a partial index kept by the 0005 migration's
        // triggers, so the cost does not grow with the department's history. The planner
        // cannot tell how selective those partial indexes are, so they are named.
        // The three reads are independent and each takes its own connection, so the
        // two that count deal by deal (stale deals, money overdue) run side by side.
        let figures_sql = format!(
            "with pipeline as materialized ( \
                 select x.owner_id, sum(x.deals) as n, total(x.amount) as pipeline, \
                   total(case when x.close_month = '' or x.close_month <= ?5 then x.amount * s.probability else 0 end) as hundredths \
                 from deal_rollup x join stage s on s.stage_id = x.stage_id \
                 where x.department_id = ?1 {owner} and s.outcome = 'open' group by x.owner_id), \
             won as materialized ( \
                 select x.owner_id, count(*) as n from deal x \
                 where x.department_id = ?1 {owner} and x.deleted_at is null and x.outcome = 'won' \
                   and x.closed_on >= ?2 and x.closed_on < ?3 group by x.owner_id), \
             received as materialized ( \
                 select x.owner_id, x.amount as total from received_rollup x \
                 where x.department_id = ?1 and x.month = ?5 {owner}) \
             select u.user_id, u.name, cast(coalesce(r.total, 0) as integer) as received, coalesce(w.n, 0) as won, coalesce(p.n, 0) as open, \
                    cast(coalesce(p.pipeline, 0) as integer) as pipeline, cast((coalesce(p.hundredths, 0) + 50) / 100 as integer) as weighted \
             from app_user u \
             left join pipeline p on p.owner_id = u.user_id \
             left join won w on w.owner_id = u.user_id \
             left join received r on r.owner_id = u.user_id \
             where u.department_id = ?1 and u.role = 'manager' and u.active and (?4 is null or u.user_id = ?4) \
             order by coalesce(r.total, 0) desc, u.name"
        );
        let figures = sqlx::query_as::<_, FiguresRow>(&figures_sql)
            .bind(dept.to_string())
            .bind(month.first_day())
            .bind(month.next_first_day())
            .bind(only.map(|u| u.to_string()))
            .bind(month.key())
            .fetch_all(&self.pool);
        let one_owner = owner.replace("?4", "?3");
        let stale_sql = format!(
            "select x.owner_id, count(*) from deal x indexed by deal_stale_idx \
             where x.department_id = ?1 {owner} and x.deleted_at is null and x.outcome = 'open' \
               and x.touched_at <= ?2 group by x.owner_id",
            owner = one_owner,
        );
        let stale = sqlx::query_as::<_, (String, i64)>(&stale_sql)
            .bind(dept.to_string())
            .bind(stale_cutoff)
            .bind(only.map(|u| u.to_string()))
            .fetch_all(&self.pool);
        let overdue_sql = format!(
            "select x.owner_id, cast(total(max((select total(e.amount) from expected_payment e \
                 where e.deal_id = x.deal_id and e.deleted_at is null and e.due_on < ?2) - x.received_total, 0)) as integer) \
             from deal x indexed by deal_unpaid_idx \
             where x.department_id = ?1 {owner} and x.deleted_at is null and x.outcome != 'lost' \
               and x.expected_total > x.received_total group by x.owner_id",
            owner = one_owner,
        );
        let overdue = sqlx::query_as::<_, (String, i64)>(&overdue_sql)
            .bind(dept.to_string())
            .bind(today)
            .bind(only.map(|u| u.to_string()))
            .fetch_all(&self.pool);
        let (rows, stale, overdue) = tokio::try_join!(figures, stale, overdue)?;
        let of = |counts: &[(String, i64)], user: &str| counts.iter().find(|c| c.0 == user).map_or(0, |c| c.1);
        rows.into_iter()
            .map(|r| {
                let received = Money::from_kopecks(r.received);
                Ok(ManagerFigures {
                    user_id: id(&r.user_id)?,
                    name: r.name,
                    received,
                    won_deals: r.won,
                    open_deals: r.open,
                    pipeline: Money::from_kopecks(r.pipeline),
                    overdue: Money::from_kopecks(of(&overdue, &r.user_id)),
                    forecast: received + Money::from_kopecks(r.weighted),
                    stale_deals: of(&stale, &r.user_id),
                })
            })
            .collect()
    }

    async fn received_by_month(
        &self,
        dept: DepartmentId,
        owner: Option<UserId>,
        last: Month,
        months: usize,
    ) -> StoreResult<Vec<MonthTotal>> {
        let mut periods = vec![last];
        while periods.len() < months {
            let earliest = *periods.last().expect("starts non-empty");
            periods.push(earliest.previous());
        }
        periods.reverse();
        let owner_filter = if owner.is_some() { "and owner_id = ?4" } else { "" };
        let sql = format!(
            "select month, cast(total(amount) as integer) from received_rollup \
             where department_id = ?1 {owner_filter} and month >= ?2 and month <= ?3 group by month"
        );
        let mut query = sqlx::query_as::<_, (String, i64)>(&sql)
            .bind(dept.to_string())
            .bind(periods[0].key())
            .bind(last.key());
        // SQLite refuses a value for a parameter the statement does not have.
        if let Some(owner) = owner {
            query = query.bind(owner.to_string());
        }
        let rows = query.fetch_all(&self.pool).await?;
        Ok(periods
            .into_iter()
            .map(|m| {
                let key = m.key();
                let total = rows.iter().find(|(ym, _)| *ym == key).map(|(_, t)| *t).unwrap_or(0);
                MonthTotal { month: m, amount: Money::from_kopecks(total) }
            })
            .collect())
    }

    async fn due_next_steps(&self, owner: UserId, today: NaiveDate, limit: i64) -> StoreResult<Vec<NextStep>> {
        let rows: Vec<(String, String, String, i64, String, NaiveDate)> = sqlx::query_as(
            "select d.deal_id, d.title, c.name, d.amount, d.next_step, d.next_step_due_on from deal d \
             join stage s on s.stage_id = d.stage_id join client c on c.client_id = d.client_id \
             where d.owner_id = ? and d.deleted_at is null and s.outcome = 'open' \
               and d.next_step_due_on is not null and d.next_step_due_on <= ? \
             order by d.next_step_due_on, d.amount desc limit ?",
        )
        .bind(owner.to_string())
        .bind(today)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|(deal, title, client, amount, next_step, due_on)| {
                Ok(NextStep { deal_id: id(&deal)?, title, client, amount: Money::from_kopecks(amount), next_step, due_on })
            })
            .collect()
    }

    async fn funnel_paths(&self, dept: DepartmentId, since: Month) -> StoreResult<Vec<PathCount>> {
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
