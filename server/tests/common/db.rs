//! The one place tests read the database directly, to check what no page shows: how
//! many rows a change left behind, columns no page reads, rollups against a recount,
//! and the few rows a test writes behind the application (a back-dated call, a fix by
//! hand). Everything else a test reads goes through the store's traits, as the app
//! does. This is what a second backend's tests port: the same named questions, asked
//! in its SQL.

use app::store::Store;
use chrono::{DateTime, NaiveDate, Utc};

/// The database behind a test's app: `app.db()`.
pub struct Db<'a>(pub &'a Store);

/// A payment row as stored, deleted ones included.
#[derive(Clone, Debug, PartialEq)]
pub struct PaymentRow {
    /// In kopecks.
    pub amount: i64,
    /// Due date of an expected payment, the day a received one arrived.
    pub on: NaiveDate,
    pub deleted: bool,
}

/// A deal's stored columns that its card does not show.
#[derive(Clone, Debug, PartialEq)]
pub struct DealRow {
    pub title: String,
    /// In kopecks.
    pub amount: i64,
    pub expected_close_on: Option<NaiveDate>,
    pub closed_on: Option<NaiveDate>,
    pub loss_reason: Option<String>,
}

/// A live deal with what the home figures are computed from.
#[derive(Clone, Debug, PartialEq)]
pub struct FigureDeal {
    pub id: String,
    /// In kopecks.
    pub amount: i64,
    /// Its stage's win probability, in percent.
    pub probability: i64,
    /// `open`, `won` or `lost`, from its stage.
    pub outcome: String,
    pub expected_close_on: Option<NaiveDate>,
    pub closed_on: Option<NaiveDate>,
    pub created_at: DateTime<Utc>,
    /// When its latest activity happened, if it has any.
    pub last_activity_at: Option<DateTime<Utc>>,
}

/// One entry of the audit log, whoever made it.
#[derive(Clone, Debug, PartialEq)]
pub struct AuditEntry {
    pub entity: String,
    pub entity_id: String,
    pub action: String,
}

type FigureDealRow = (String, i64, i64, String, Option<NaiveDate>, Option<NaiveDate>, DateTime<Utc>, Option<DateTime<Utc>>);

impl Db<'_> {
    /// Every row of `table`, deleted ones included.
    pub async fn count(&self, table: &str) -> i64 {
        sqlx::query_scalar(&format!("select count(*) from {table}")).fetch_one(self.0.pool()).await.unwrap()
    }

    /// Every deal `owner` (a user id) owns, whatever its outcome, deleted ones included.
    pub async fn deals_of(&self, owner: &str) -> Vec<String> {
        sqlx::query_scalar("select deal_id from deal where owner_id = ?").bind(owner).fetch_all(self.0.pool()).await.unwrap()
    }

    /// The first (by id) of the deals of the user with `email` whose stage's outcome is
    /// `outcome` (`open`, `won`, `lost`).
    pub async fn a_deal_of(&self, email: &str, outcome: &str) -> String {
        sqlx::query_scalar(
            "select d.deal_id from deal d join stage s on s.stage_id = d.stage_id join app_user u on u.user_id = d.owner_id \
             where u.email = ? and s.outcome = ? order by d.deal_id limit 1",
        )
        .bind(email)
        .bind(outcome)
        .fetch_one(self.0.pool())
        .await
        .unwrap()
    }

    /// The deal's stored row.
    pub async fn deal_row(&self, deal: &str) -> DealRow {
        self.deal_where("deal_id", deal).await
    }

    /// The deal titled `title` (the first, if several are).
    pub async fn deal_titled(&self, title: &str) -> DealRow {
        self.deal_where("title", title).await
    }

    async fn deal_where(&self, column: &str, value: &str) -> DealRow {
        let (title, amount, expected_close_on, closed_on, loss_reason) = sqlx::query_as(&format!(
            "select title, amount, expected_close_on, closed_on, loss_reason from deal where {column} = ? limit 1"
        ))
        .bind(value)
        .fetch_one(self.0.pool())
        .await
        .unwrap();
        DealRow { title, amount, expected_close_on, closed_on, loss_reason }
    }

    /// Live open deals, in every department.
    pub async fn open_deal_count(&self) -> i64 {
        sqlx::query_scalar("select count(*) from deal where outcome = 'open' and deleted_at is null").fetch_one(self.0.pool()).await.unwrap()
    }

    /// The month (`YYYY-MM`) in which most live open deals are expected to close, and how
    /// many are.
    pub async fn busiest_close_month(&self) -> (String, i64) {
        sqlx::query_as(
            "select substr(expected_close_on, 1, 7) m, count(*) from deal where outcome = 'open' and deleted_at is null \
             and expected_close_on is not null group by m order by count(*) desc limit 1",
        )
        .fetch_one(self.0.pool())
        .await
        .unwrap()
    }

    /// Live deals created on or after `since`, and of those, the ones won.
    pub async fn deals_created_since(&self, since: NaiveDate) -> (i64, i64) {
        let created = sqlx::query_scalar("select count(*) from deal where deleted_at is null and substr(created_at, 1, 10) >= ?")
            .bind(since.to_string())
            .fetch_one(self.0.pool())
            .await
            .unwrap();
        let won = sqlx::query_scalar(
            "select count(*) from deal d join stage s using (stage_id) \
             where d.deleted_at is null and s.outcome = 'won' and substr(d.created_at, 1, 10) >= ?",
        )
        .bind(since.to_string())
        .fetch_one(self.0.pool())
        .await
        .unwrap();
        (created, won)
    }

    /// The live deals `owner` (a user id) owns, with what the figures are computed from.
    pub async fn figure_deals_of(&self, owner: &str) -> Vec<FigureDeal> {
        let rows: Vec<FigureDealRow> = sqlx::query_as(
            "select d.deal_id, d.amount, s.probability, s.outcome, d.expected_close_on, d.closed_on, d.created_at, \
                    (select max(a.occurred_at) from activity a where a.deal_id = d.deal_id) \
             from deal d join stage s on s.stage_id = d.stage_id where d.owner_id = ? and d.deleted_at is null",
        )
        .bind(owner)
        .fetch_all(self.0.pool())
        .await
        .unwrap();
        rows.into_iter()
            .map(|(id, amount, probability, outcome, expected_close_on, closed_on, created_at, last_activity_at)| FigureDeal {
                id,
                amount,
                probability,
                outcome,
                expected_close_on,
                closed_on,
                created_at,
                last_activity_at,
            })
            .collect()
    }

    /// What the deal's live received payments add up to, in kopecks.
    pub async fn received_total(&self, deal: &str) -> i64 {
        self.received_payments(deal).await.iter().filter(|p| !p.deleted).map(|p| p.amount).sum()
    }

    /// What the deal's live expected payments add up to, in kopecks.
    pub async fn expected_total(&self, deal: &str) -> i64 {
        self.expected_payments(deal).await.iter().filter(|p| !p.deleted).map(|p| p.amount).sum()
    }

    /// Every payment received on the deal, deleted ones included.
    pub async fn received_payments(&self, deal: &str) -> Vec<PaymentRow> {
        self.payments("received_payment", "received_on", deal).await
    }

    /// Every payment expected on the deal, deleted ones included.
    pub async fn expected_payments(&self, deal: &str) -> Vec<PaymentRow> {
        self.payments("expected_payment", "due_on", deal).await
    }

    async fn payments(&self, table: &str, date: &str, deal: &str) -> Vec<PaymentRow> {
        let rows: Vec<(i64, NaiveDate, bool)> =
            sqlx::query_as(&format!("select amount, {date}, deleted_at is not null from {table} where deal_id = ?"))
                .bind(deal)
                .fetch_all(self.0.pool())
                .await
                .unwrap();
        rows.into_iter().map(|(amount, on, deleted)| PaymentRow { amount, on, deleted }).collect()
    }

    /// Writes what the bounds now refuse, as a database written before them may hold:
    /// each deal's amount at the largest 64-bit number and two payments received and
    /// expected of that size on each, so every total kept by the triggers overflows.
    pub async fn store_values_beyond_the_bounds(&self, deals: &[String], by: &str) {
        let now = chrono::Utc::now()
            .format("%Y-%m-%dT%H:%M:%S%.6fZ")
            .to_string();
        let today = super::today();
        for deal in deals {
            sqlx::query("update deal set amount = 9223372036854775807 where deal_id = ?")
                .bind(deal)
                .execute(self.0.pool())
                .await
                .unwrap();
            for (table, date) in [
                ("received_payment", "received_on"),
                ("expected_payment", "due_on"),
            ] {
                for _ in 0..2 {
                    sqlx::query(&format!(
                        "insert into {table} ({table}_id, deal_id, amount, {date}, created_at, updated_at, updated_by) \
                         values (?, ?, 9223372036854775807, ?, ?, ?, ?)"
                    ))
                    .bind(uuid::Uuid::now_v7().to_string())
                    .bind(deal)
                    .bind(today)
                    .bind(&now)
                    .bind(&now)
                    .bind(by)
                    .execute(self.0.pool())
                    .await
                    .unwrap();
                }
            }
        }
    }

    /// One line that changes when anything a person keeps changes: deals, clients,
    /// contacts, stages, plans, goals, people and their settings, the calendar,
    /// departments, activities, payments, reports, imports and the audit log.
    /// Sessions, sign-in counts and sync receipts are left out: asking leaves those.
    pub async fn department_fingerprint(&self) -> String {
        sqlx::query_scalar(
            "select (select count(*) || '/' || total(version) || '/' || total(amount) || '/' || group_concat(owner_id || stage_id, ',') from deal) \
             || '|' || (select count(*) || '/' || total(version) || '/' || group_concat(owner_id || name, ',') from client) \
             || '|' || (select count(*) from contact) \
             || '|' || (select group_concat(stage_id || name || probability || position, ',') from stage) \
             || '|' || (select count(*) || '/' || total(target) from plan_share) \
             || '|' || (select group_concat(status || target || user_id, ',') from goal) \
             || '|' || (select group_concat(email || active || role || password_hash || load_percent || report_cadence \
                                            || coalesce(works_from, ''), ',') from app_user) \
             || '|' || (select count(*) || '/' || group_concat(stale_after_days, ',') from department) \
             || '|' || (select count(*) from calendar_day) \
             || '|' || (select count(*) from activity) || '/' || (select count(*) from received_payment) \
             || '/' || (select count(*) from expected_payment) || '/' || (select count(*) from report) \
             || '|' || (select count(*) from import_batch where imported_at is not null) || '/' || (select count(*) from audit_log)",
        )
        .fetch_one(self.0.pool())
        .await
        .unwrap()
    }

    /// Activities anywhere whose text is `body`.
    pub async fn activities_saying(&self, body: &str) -> i64 {
        sqlx::query_scalar("select count(*) from activity where body = ?").bind(body).fetch_one(self.0.pool()).await.unwrap()
    }

    /// Activities on the deal whose text is `body`.
    pub async fn deal_activities_saying(&self, deal: &str, body: &str) -> i64 {
        sqlx::query_scalar("select count(*) from activity where deal_id = ? and body = ?")
            .bind(deal)
            .bind(body)
            .fetch_one(self.0.pool())
            .await
            .unwrap()
    }

    /// Writes a call by `user` on the deal as if it happened at `at` (RFC 3339), which no
    /// page can: to test how days are counted.
    pub async fn insert_call_at(&self, deal: &str, user: &str, at: &str, body: &str) {
        sqlx::query(
            "insert into activity (activity_id, deal_id, client_id, user_id, kind, body, occurred_at) \
             select ?, deal_id, client_id, ?, 'call', ?, ? from deal where deal_id = ?",
        )
        .bind(uuid::Uuid::now_v7().to_string())
        .bind(user)
        .bind(body)
        .bind(at)
        .bind(deal)
        .execute(self.0.pool())
        .await
        .unwrap();
    }

    /// Sessions stored under `hash`.
    pub async fn sessions_with_hash(&self, hash: &str) -> i64 {
        sqlx::query_scalar("select count(*) from session where session_hash = ?").bind(hash).fetch_one(self.0.pool()).await.unwrap()
    }

    /// The e-mails of the owners of the clients named `name`: one per client.
    pub async fn client_owner_emails(&self, name: &str) -> Vec<String> {
        sqlx::query_scalar("select u.email from client c join app_user u on u.user_id = c.owner_id where c.name = ?")
            .bind(name)
            .fetch_all(self.0.pool())
            .await
            .unwrap()
    }

    /// The whole audit log, whoever made each entry (the system included).
    pub async fn audit_log(&self) -> Vec<AuditEntry> {
        let rows: Vec<(String, String, String)> =
            sqlx::query_as("select entity, entity_id, action from audit_log order by audit_id").fetch_all(self.0.pool()).await.unwrap();
        rows.into_iter().map(|(entity, entity_id, action)| AuditEntry { entity, entity_id, action }).collect()
    }

    /// Audit entries about `entity_id` recording `action`.
    pub async fn audit_count(&self, entity_id: &str, action: &str) -> i64 {
        self.audit_log().await.iter().filter(|a| a.entity_id == entity_id && a.action == action).count() as i64
    }

    /// How many rows of a rollup the triggers keep differ from a recount of the rows it
    /// sums (both ways): 0 when they agree. `rollup` is `deal_rollup`,
    /// `received_rollup` or `funnel_rollup`.
    pub async fn rollup_drift(&self, rollup: &str) -> i64 {
        let (recount, kept) = match rollup {
            "deal_rollup" => (
                "select department_id, owner_id, stage_id, coalesce(substr(expected_close_on, 1, 7), ''), count(*), sum(amount) \
                 from deal where deleted_at is null group by 1, 2, 3, 4",
                "select department_id, owner_id, stage_id, close_month, deals, amount from deal_rollup where deals != 0",
            ),
            "received_rollup" => (
                "select d.department_id, substr(r.received_on, 1, 7), d.owner_id, sum(r.amount) from received_payment r \
                 join deal d on d.deal_id = r.deal_id where r.deleted_at is null and d.deleted_at is null group by 1, 2, 3",
                "select department_id, month, owner_id, amount from received_rollup where amount != 0",
            ),
            "funnel_rollup" => (
                "select department_id, owner_id, substr(created_at, 1, 7), coalesce(furthest_position, -1), outcome = 'won', count(*) \
                 from deal where deleted_at is null group by 1, 2, 3, 4, 5",
                "select department_id, owner_id, month, furthest, won, deals from funnel_rollup where deals != 0",
            ),
            other => panic!("no rollup {other}"),
        };
        sqlx::query_scalar(&format!("select (select count(*) from ({recount} except {kept})) + (select count(*) from ({kept} except {recount}))"))
            .fetch_one(self.0.pool())
            .await
            .unwrap()
    }

    /// Behind the application (a later sync tombstone, a fix by hand): deletes every
    /// third received payment.
    pub async fn delete_every_third_received_payment(&self) {
        sqlx::query("update received_payment set deleted_at = ? where rowid % 3 = 0").bind(Utc::now()).execute(self.0.pool()).await.unwrap();
    }

    /// Behind the application: doubles every fourth expected payment.
    pub async fn double_every_fourth_expected_payment(&self) {
        sqlx::query("update expected_payment set amount = amount * 2 where rowid % 4 = 0").execute(self.0.pool()).await.unwrap();
    }

    /// Behind the application: deletes every fifth deal, and `deal`.
    pub async fn delete_every_fifth_deal_and(&self, deal: &str) {
        sqlx::query("update deal set deleted_at = ? where rowid % 5 = 0 or deal_id = ?")
            .bind(Utc::now())
            .bind(deal)
            .execute(self.0.pool())
            .await
            .unwrap();
    }

    /// The ids of the pushed mutations the database keeps a receipt for.
    pub async fn mutation_receipts(&self) -> std::collections::HashSet<String> {
        let ids: Vec<String> = sqlx::query_scalar("select mutation_id from sync_mutation").fetch_all(self.0.pool()).await.unwrap();
        ids.into_iter().collect()
    }

    /// Live deals, clients and payments and their money, summed row by row here
    /// rather than by the store: (clients, deals, payments, deal amounts, received,
    /// expected), money in kopecks.
    pub async fn recount(&self) -> (i64, i64, i64, i64, i64, i64) {
        let amounts = |table: &str| format!("select amount from {table} where deleted_at is null");
        let column = |sql: String| async move { sqlx::query_scalar::<_, i64>(&sql).fetch_all(self.0.pool()).await.unwrap() };
        let clients = column("select 1 from client where deleted_at is null".into()).await.len() as i64;
        let deals = column(amounts("deal")).await;
        let received = column(amounts("received_payment")).await;
        let expected = column(amounts("expected_payment")).await;
        let sum = |v: &[i64]| v.iter().sum::<i64>();
        (clients, deals.len() as i64, (received.len() + expected.len()) as i64, sum(&deals), sum(&received), sum(&expected))
    }

    /// Behind the application, as in a database another program made: drops the record
    /// of which migrations ran.
    pub async fn forget_migrations(&self) {
        sqlx::query("drop table _sqlx_migrations").execute(self.0.pool()).await.unwrap();
    }

    /// Behind the application, as a newer Pacer would: records a migration this build
    /// does not have.
    pub async fn record_a_newer_migration(&self) {
        sqlx::query(
            "insert into _sqlx_migrations (version, description, success, checksum, execution_time) \
             values (99999999, 'from a newer Pacer', 1, x'00', 0)",
        )
        .execute(self.0.pool())
        .await
        .unwrap();
    }
}
