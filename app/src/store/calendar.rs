//! The organisation's working calendar: holidays and moved working days, seeded with
//! Russia's official ones the first time a year is read.

use chrono::NaiveDate;

use super::{Store, StoreResult, Tx, audit_in};
use crate::domain::calendar::{CalendarEntry, DayKind, WorkCalendar, russian_holidays};
use crate::domain::{OrganisationId, UserId};

async fn calendar_rows(conn: impl sqlx::SqliteExecutor<'_>, org: OrganisationId, from: NaiveDate, to: NaiveDate) -> StoreResult<WorkCalendar> {
    let rows: Vec<(NaiveDate, String)> = sqlx::query_as("select day, kind from calendar_day where organisation_id = ? and day >= ? and day < ?")
        .bind(org.to_string())
        .bind(from)
        .bind(to)
        .fetch_all(conn)
        .await?;
    Ok(WorkCalendar::new(rows.into_iter().filter_map(|(d, k)| DayKind::parse(&k).map(|k| (d, k)))))
}

async fn year_seeded(conn: impl sqlx::SqliteExecutor<'_>, org: OrganisationId, year: i32) -> StoreResult<bool> {
    let seeded: Option<i64> = sqlx::query_scalar("select 1 from calendar_year where organisation_id = ? and year = ?")
        .bind(org.to_string())
        .bind(year)
        .fetch_optional(conn)
        .await?;
    Ok(seeded.is_some())
}

/// Fills a year's public holidays the first time the organisation's calendar reaches it.
async fn seed_year_in(conn: &mut sqlx::SqliteConnection, org: OrganisationId, year: i32) -> StoreResult<()> {
    let fresh = sqlx::query("insert or ignore into calendar_year (organisation_id, year) values (?, ?)")
        .bind(org.to_string())
        .bind(year)
        .execute(&mut *conn)
        .await?
        .rows_affected()
        == 1;
    if fresh {
        for (day, kind, name) in russian_holidays(year) {
            sqlx::query("insert or ignore into calendar_day (organisation_id, day, kind, name) values (?, ?, ?, ?)")
                .bind(org.to_string())
                .bind(day)
                .bind(kind.as_str())
                .bind(name)
                .execute(&mut *conn)
                .await?;
        }
    }
    Ok(())
}

/// The organisation's working calendar.
pub trait CalendarStore {
    /// The organisation's calendar for the days of `[from, to)`. Russia's public holidays
    /// of each year are written the first time the year is asked for; after that, the
    /// admin's edits stand.
    fn calendar(&self, org: OrganisationId, from: NaiveDate, to: NaiveDate) -> impl Future<Output = StoreResult<WorkCalendar>> + Send;

    /// The calendar's entries in `year`, by date.
    fn calendar_entries(&self, org: OrganisationId, year: i32) -> impl Future<Output = StoreResult<Vec<CalendarEntry>>> + Send;

    /// Marks `day` a holiday or a working day (replacing what it was), or clears it
    /// back to its weekday with `None`. Audited.
    fn set_calendar_day(
        &self,
        org: OrganisationId,
        actor: UserId,
        day: NaiveDate,
        kind: Option<DayKind>,
        name: &str,
    ) -> impl Future<Output = StoreResult<()>> + Send;
}

impl CalendarStore for Store {
    async fn calendar(&self, org: OrganisationId, from: NaiveDate, to: NaiveDate) -> StoreResult<WorkCalendar> {
        use chrono::Datelike;
        for year in from.year()..=to.year() {
            self.seed_year(org, year).await?;
        }
        calendar_rows(&self.pool, org, from, to).await
    }

    async fn calendar_entries(&self, org: OrganisationId, year: i32) -> StoreResult<Vec<CalendarEntry>> {
        self.seed_year(org, year).await?;
        let rows: Vec<(NaiveDate, String, String)> = sqlx::query_as(
            "select day, kind, name from calendar_day where organisation_id = ? and day >= ? and day < ? order by day",
        )
        .bind(org.to_string())
        .bind(format!("{year:04}-01-01"))
        .bind(format!("{:04}-01-01", year + 1))
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.into_iter().filter_map(|(day, k, name)| DayKind::parse(&k).map(|kind| CalendarEntry { day, kind, name })).collect())
    }

    async fn set_calendar_day(
        &self,
        org: OrganisationId,
        actor: UserId,
        day: NaiveDate,
        kind: Option<DayKind>,
        name: &str,
    ) -> StoreResult<()> {
        let now = self.now();
        use chrono::Datelike;
        self.seed_year(org, day.year()).await?;
        let mut tx = self.pool.begin().await?;
        match kind {
            Some(kind) => {
                sqlx::query(
                    "insert into calendar_day (organisation_id, day, kind, name) values (?, ?, ?, ?) \
                     on conflict (organisation_id, day) do update set kind = excluded.kind, name = excluded.name",
                )
                .bind(org.to_string())
                .bind(day)
                .bind(kind.as_str())
                .bind(name)
                .execute(&mut *tx)
                .await?;
            }
            None => {
                sqlx::query("delete from calendar_day where organisation_id = ? and day = ?")
                    .bind(org.to_string())
                    .bind(day)
                    .execute(&mut *tx)
                    .await?;
            }
        }
        let detail = serde_json::json!({ "day": day, "kind": kind.map(DayKind::as_str), "name": name });
        audit_in(&mut tx, now, actor, "calendar", &org.to_string(), "set_calendar_day", detail).await?;
        tx.commit().await?;
        Ok(())
    }
}

impl Store {
    async fn seed_year(&self, org: OrganisationId, year: i32) -> StoreResult<()> {
        // Read first: pages ask for the calendar on every view, and a write would take
        // the database's one writer lock each time.
        if year_seeded(&self.pool, org, year).await? {
            return Ok(());
        }
        let mut tx = self.pool.begin().await?;
        seed_year_in(&mut tx, org, year).await?;
        tx.commit().await?;
        Ok(())
    }
}

/// The calendar inside a unit of work.
pub trait CalendarTx {
    /// The working calendar over `[from, to)`, read (and first filled) inside the unit of work.
    fn calendar(&mut self, org: OrganisationId, from: NaiveDate, to: NaiveDate) -> impl Future<Output = StoreResult<WorkCalendar>> + Send;
}

impl CalendarTx for Tx {
    async fn calendar(&mut self, org: OrganisationId, from: NaiveDate, to: NaiveDate) -> StoreResult<WorkCalendar> {
        use chrono::Datelike;
        for year in from.year()..=to.year() {
            seed_year_in(self.conn().await?, org, year).await?;
        }
        calendar_rows(self.conn().await?, org, from, to).await
    }
}
