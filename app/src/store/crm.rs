//! Clients, deals, payments and activities: bulk writes and the home-page summaries.

use chrono::{DateTime, NaiveDate, Utc};

use super::{Store, StoreResult, Tx, id};
use crate::domain::deal::Outcome;
use crate::domain::period::Month;
use crate::model::deals::StageOption;
use crate::model::home::{ManagerFigures, MonthTotal, NextStep};
use crate::domain::{ActivityId, ClientId, DealId, DepartmentId, Money, PaymentId, UserId};


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

pub struct NewClient {
    pub id: ClientId,
    pub department_id: DepartmentId,
    pub owner_id: UserId,
    pub name: String,
    pub inn: Option<String>,
    pub contact_name: String,
    pub contact_position: String,
    pub contact_phone: String,
    pub contact_email: String,
    pub notes: String,
    pub created_at: DateTime<Utc>,
}

pub struct NewDeal {
    pub id: DealId,
    pub department_id: DepartmentId,
    pub client_id: ClientId,
    pub owner_id: UserId,
    pub stage_id: String,
    pub title: String,
    pub amount: Money,
    pub expected_close_on: Option<NaiveDate>,
    pub next_step: String,
    pub next_step_due_on: Option<NaiveDate>,
    pub source: String,
    pub loss_reason: Option<String>,
    pub closed_on: Option<NaiveDate>,
    pub created_at: DateTime<Utc>,
}

pub struct NewPayment {
    pub id: PaymentId,
    pub deal_id: DealId,
    pub amount: Money,
    /// Due date of an expected payment, or the date a received one arrived.
    pub on: NaiveDate,
    pub created_at: DateTime<Utc>,
    pub created_by: UserId,
}

pub struct NewActivity {
    pub id: ActivityId,
    pub deal_id: Option<DealId>,
    pub client_id: ClientId,
    pub user_id: UserId,
    pub kind: &'static str,
    pub body: String,
    pub occurred_at: DateTime<Utc>,
}

/// Rows written together: all of them or none.
#[derive(Default)]
pub struct CrmBatch {
    pub clients: Vec<NewClient>,
    pub deals: Vec<NewDeal>,
    pub expected: Vec<NewPayment>,
    pub received: Vec<NewPayment>,
    pub activities: Vec<NewActivity>,
}

#[derive(sqlx::FromRow)]
struct FiguresRow {
    user_id: String,
    name: String,
    received: i64,
    won: i64,
    open: i64,
    pipeline: i64,
    overdue: i64,
    weighted: i64,
    stale: i64,
}

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

impl Store {
    pub async fn create_default_pipeline(&self, dept: DepartmentId) -> StoreResult<()> {
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

    pub async fn stages(&self, dept: DepartmentId) -> StoreResult<Vec<StageOption>> {
        stages_in(&self.pool, dept).await
    }

    /// Writes the whole batch in one transaction: an error leaves nothing behind.
    pub async fn insert_crm_batch(&self, batch: &CrmBatch) -> StoreResult<()> {
        let mut tx = self.pool.begin().await?;
        insert_crm_batch_in(&mut tx, batch).await?;
        tx.commit().await?;
        self.reindex_clients().await?;
        Ok(())
    }


    /// Figures per active manager of `dept` for `month`, in one query.
    ///
    /// Overdue follows [`crate::domain::payment::overdue_amount`]: per deal, what was
    /// expected before `today` less everything received, never below zero; lost deals
    /// owe nothing. The forecast follows [`crate::domain::forecast::forecast`] and stale
    /// deals [`crate::domain::forecast::is_stale`] with the department's setting, reading
    /// `deal.touched_at` (the last activity, kept on every write).
    pub async fn manager_figures(
        &self,
        dept: DepartmentId,
        only: Option<UserId>,
        month: Month,
        today: NaiveDate,
    ) -> StoreResult<Vec<ManagerFigures>> {
        let stale_days = self.stale_after_days(dept).await?;
        let stale_cutoff = Utc::now() - chrono::Duration::days(i64::from(stale_days));
        // One owner is a literal condition, not `(? is null or …)`, so SQLite can use the
        // owner index instead of scanning the department.
        let owner = if only.is_some() { "and x.owner_id = ?5" } else { "" };
        // Each part reads a rollup or a partial index kept by the 0005 migration's
        // triggers, so the cost does not grow with the department's history. The planner
        // cannot tell how selective those partial indexes are, so they are named.
        let rows: Vec<FiguresRow> = sqlx::query_as(&format!(
            "with pipeline as materialized ( \
                 select x.owner_id, sum(x.deals) as n, sum(x.amount) as pipeline, \
                   sum(case when x.close_month = '' or x.close_month <= ?7 then x.amount * s.probability else 0 end) as hundredths \
                 from deal_rollup x join stage s on s.stage_id = x.stage_id \
                 where x.department_id = ?1 {owner} and s.outcome = 'open' group by x.owner_id), \
             stale as materialized ( \
                 select x.owner_id, count(*) as n from deal x indexed by deal_stale_idx \
                 where x.department_id = ?1 {owner} and x.deleted_at is null and x.outcome = 'open' \
                   and x.touched_at <= ?6 group by x.owner_id), \
             won as materialized ( \
                 select x.owner_id, count(*) as n from deal x \
                 where x.department_id = ?1 {owner} and x.deleted_at is null and x.outcome = 'won' \
                   and x.closed_on >= ?2 and x.closed_on < ?3 group by x.owner_id), \
             received as materialized ( \
                 select x.owner_id, x.amount as total from received_rollup x \
                 where x.department_id = ?1 and x.month = ?7 {owner}), \
             overdue as materialized ( \
                 select x.owner_id, sum(max((select coalesce(sum(e.amount), 0) from expected_payment e \
                     where e.deal_id = x.deal_id and e.deleted_at is null and e.due_on < ?4) - x.received_total, 0)) as total \
                 from deal x indexed by deal_unpaid_idx \
                 where x.department_id = ?1 {owner} and x.deleted_at is null and x.outcome != 'lost' \
                   and x.expected_total > x.received_total group by x.owner_id) \
             select u.user_id, u.name, coalesce(r.total, 0) as received, coalesce(w.n, 0) as won, coalesce(p.n, 0) as open, \
                    coalesce(p.pipeline, 0) as pipeline, coalesce(v.total, 0) as overdue, \
                    (coalesce(p.hundredths, 0) + 50) / 100 as weighted, coalesce(t.n, 0) as stale \
             from app_user u \
             left join pipeline p on p.owner_id = u.user_id \
             left join stale t on t.owner_id = u.user_id \
             left join won w on w.owner_id = u.user_id \
             left join received r on r.owner_id = u.user_id \
             left join overdue v on v.owner_id = u.user_id \
             where u.department_id = ?1 and u.role = 'manager' and u.active and (?5 is null or u.user_id = ?5) \
             order by coalesce(r.total, 0) desc, u.name"
        ))
        .bind(dept.to_string())
        .bind(month.first_day())
        .bind(month.next_first_day())
        .bind(today)
        .bind(only.map(|u| u.to_string()))
        .bind(stale_cutoff)
        .bind(month.key())
        .fetch_all(&self.pool)
        .await?;
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
                    overdue: Money::from_kopecks(r.overdue),
                    forecast: received + Money::from_kopecks(r.weighted),
                    stale_deals: r.stale,
                })
            })
            .collect()
    }

    /// After how many quiet days the department's deals count as stale.
    pub async fn stale_after_days(&self, dept: DepartmentId) -> StoreResult<u32> {
        let days: i64 = sqlx::query_scalar("select stale_after_days from department where department_id = ?")
            .bind(dept.to_string())
            .fetch_one(&self.pool)
            .await?;
        Ok(u32::try_from(days).unwrap_or(14))
    }

    pub async fn set_stale_after_days(&self, dept: DepartmentId, days: u32) -> StoreResult<()> {
        sqlx::query("update department set stale_after_days = ?, updated_at = ?, version = version + 1 where department_id = ?")
            .bind(i64::from(days))
            .bind(Utc::now())
            .bind(dept.to_string())
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Received per month for the `months` months ending with `last`, oldest first,
    /// for the whole department or one owner.
    pub async fn received_by_month(
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
            "select month, sum(amount) from received_rollup \
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

    /// Open deals of `owner` whose next step is due by `today`, earliest first.
    pub async fn due_next_steps(&self, owner: UserId, today: NaiveDate, limit: i64) -> StoreResult<Vec<NextStep>> {
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
}

/// The rows of `batch`, written inside the caller's transaction.
pub(super) async fn insert_crm_batch_in(tx: &mut sqlx::SqliteConnection, batch: &CrmBatch) -> StoreResult<()> {
    for c in &batch.clients {
        sqlx::query(
            "insert into client (client_id, department_id, owner_id, name, inn, notes, created_at, updated_at, updated_by) \
             values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(c.id.to_string())
        .bind(c.department_id.to_string())
        .bind(c.owner_id.to_string())
        .bind(&c.name)
        .bind(&c.inn)
        .bind(&c.notes)
        .bind(c.created_at)
        .bind(c.created_at)
        .bind(c.owner_id.to_string())
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "insert into contact (contact_id, client_id, name, position, phone, email, created_at, updated_at) \
             values (?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(uuid::Uuid::now_v7().to_string())
        .bind(c.id.to_string())
        .bind(&c.contact_name)
        .bind(&c.contact_position)
        .bind(&c.contact_phone)
        .bind(&c.contact_email)
        .bind(c.created_at)
        .bind(c.created_at)
        .execute(&mut *tx)
        .await?;
    }
    for d in &batch.deals {
        sqlx::query(
            "insert into deal (deal_id, department_id, client_id, owner_id, stage_id, title, amount, expected_close_on, \
             next_step, next_step_due_on, source, loss_reason, closed_on, created_at, updated_at, updated_by) \
             values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(d.id.to_string())
        .bind(d.department_id.to_string())
        .bind(d.client_id.to_string())
        .bind(d.owner_id.to_string())
        .bind(&d.stage_id)
        .bind(&d.title)
        .bind(d.amount.kopecks())
        .bind(d.expected_close_on)
        .bind(&d.next_step)
        .bind(d.next_step_due_on)
        .bind(&d.source)
        .bind(&d.loss_reason)
        .bind(d.closed_on)
        .bind(d.created_at)
        .bind(d.created_at)
        .bind(d.owner_id.to_string())
        .execute(&mut *tx)
        .await?;
    }
    for (table, key, date, rows) in [
        ("expected_payment", "expected_payment_id", "due_on", &batch.expected),
        ("received_payment", "received_payment_id", "received_on", &batch.received),
    ] {
        let sql = format!(
            "insert into {table} ({key}, deal_id, amount, {date}, created_at, updated_at, updated_by) values (?, ?, ?, ?, ?, ?, ?)"
        );
        for p in rows {
            sqlx::query(&sql)
                .bind(p.id.to_string())
                .bind(p.deal_id.to_string())
                .bind(p.amount.kopecks())
                .bind(p.on)
                .bind(p.created_at)
                .bind(p.created_at)
                .bind(p.created_by.to_string())
                .execute(&mut *tx)
                .await?;
        }
    }
    for a in &batch.activities {
        sqlx::query(
            "insert into activity (activity_id, deal_id, client_id, user_id, kind, body, occurred_at) values (?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(a.id.to_string())
        .bind(a.deal_id.map(|d| d.to_string()))
        .bind(a.client_id.to_string())
        .bind(a.user_id.to_string())
        .bind(a.kind)
        .bind(&a.body)
        .bind(a.occurred_at)
        .execute(&mut *tx)
        .await?;
    }
    sqlx::query(
        "update deal set touched_at = coalesce((select max(a.occurred_at) from activity a where a.deal_id = deal.deal_id), created_at) \
         where touched_at is null",
    )
    .execute(&mut *tx)
    .await?;
    Ok(())
}

impl Tx {
    pub async fn stages(&mut self, dept: DepartmentId) -> StoreResult<Vec<StageOption>> {
        stages_in(self.conn(), dept).await
    }
}
