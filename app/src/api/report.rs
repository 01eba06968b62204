//! Reports on a cadence: a manager sends "done, plan, blockers" from the phone; the head
//! sets each manager's cadence and sees who is due and who is late.

use chrono::{NaiveDate, NaiveDateTime};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::ApiError;
use crate::domain::UserId;
use crate::domain::report::{Cadence, ReportState};
#[cfg(feature = "ssr")]
use crate::store::prelude::*;

/// How far back overdue reports are counted.
pub const OVERDUE_WINDOW_DAYS: i64 = 30;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReportText {
    pub user_name: String,
    pub period_day: NaiveDate,
    pub done: String,
    pub plan: String,
    pub blockers: String,
    /// In the organisation's time zone.
    pub submitted_at: NaiveDateTime,
}

/// A manager's own reporting: the cadence, the day a report now would cover, what was
/// already sent for it, and what is due or late.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MyReports {
    /// Today in the organisation, when the page was made.
    pub today: NaiveDate,
    pub cadence: Cadence,
    pub period_day: Option<NaiveDate>,
    pub current: Option<ReportText>,
    pub state: ReportState,
}

/// One manager's line on the head's reports page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReportLine {
    pub user_id: UserId,
    pub name: String,
    pub cadence: Cadence,
    pub state: ReportState,
    pub last: Option<ReportText>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TeamReports {
    pub today: NaiveDate,
    pub lines: Vec<ReportLine>,
    /// The reports of the last week, newest first.
    pub recent: Vec<ReportText>,
}

/// The signed-in manager's reporting.
#[server]
pub async fn my_reporting() -> Result<MyReports, ApiError> {
    use super::ssr::*;
    use crate::domain::user::Role;
    respond(
        async {
            let viewer = viewer_with_role(&[Role::Manager])?;
            let dept = viewer.department_id.ok_or(ApiError::NotFound)?;
            Ok(ssr::mine(&store()?, &viewer, dept).await?)
        }
        .await,
    )
}

/// The head's view of the department's reporting.
#[server]
pub async fn team_reporting() -> Result<TeamReports, ApiError> {
    use super::ssr::*;
    use crate::domain::report::{CadenceSetting, state};
    use crate::store::ManagerCadence;
    respond(
        async {
            let (head, dept) = head()?;
            let store = store()?;
            let today = today(&head, store.now());
            let since = today - chrono::Duration::days(OVERDUE_WINDOW_DAYS);
            let calendar = store.calendar(head.organisation_id, since, today + chrono::Duration::days(7)).await?;
            let reports = store.reports(dept, None, since, today + chrono::Duration::days(7)).await?;
            let tz = zone(&head);
            let lines = store
                .cadences(dept)
                .await?
                .into_iter()
                .map(|ManagerCadence { id: user_id, name, setting: CadenceSetting { cadence, since: set_on } }| {
                    let mine: Vec<_> = reports.iter().filter(|r| r.user_id == user_id).collect();
                    let days: Vec<NaiveDate> = mine.iter().map(|r| r.period_day).collect();
                    ReportLine {
                        user_id,
                        name,
                        cadence,
                        state: state(cadence, &calendar, &days, set_on.map_or(since, |d| d.max(since)), today),
                        last: mine.first().map(|r| ssr::text(r, tz)),
                    }
                })
                .collect();
            let week_ago = today - chrono::Duration::days(7);
            let recent = reports.iter().filter(|r| r.period_day >= week_ago).map(|r| ssr::text(r, tz)).collect();
            Ok(TeamReports { today, lines, recent })
        }
        .await,
    )
}

/// The head sets how often a manager of the department reports.
#[server]
pub async fn set_cadence(user: UserId, cadence: String) -> Result<(), ApiError> {
    use super::ssr::*;
    use crate::i18n::Msg;
    respond(
        async {
            let (head, dept) = head()?;
            let store = store()?;
            if !store.department_managers(dept).await?.iter().any(|m| m.id == user) {
                return Err(ApiError::NotFound);
            }
            let cadence = Cadence::parse(cadence.trim()).ok_or_else(|| ApiError::invalid("cadence", Msg::ErrChooseOne))?;
            store.set_cadence(user, cadence, head.user_id, today(&head, store.now())).await?;
            Ok(())
        }
        .await,
    )
}

#[cfg(feature = "ssr")]
pub mod ssr {
    use super::{MyReports, OVERDUE_WINDOW_DAYS, ReportText};
    use crate::api::write::WriteError;
    use crate::api::{ApiError, Viewer};
    use crate::domain::DepartmentId;
    use crate::domain::clock;
    use crate::domain::report::{CadenceSetting, period_day, state};
    use crate::store::prelude::*;
    use crate::store::{ReportRow, Store, Tx};

    /// Stores a manager's report for the period that `written_on` falls in (a date
    /// from the device, never later than today in the organisation).
    pub async fn submit(
        tx: &mut Tx,
        viewer: &Viewer,
        written_on: chrono::NaiveDate,
        done: &str,
        plan: &str,
        blockers: &str,
    ) -> Result<(), WriteError> {
        use crate::domain::user::Role;
        use crate::i18n::Msg;
        if viewer.role != Role::Manager {
            return Err(WriteError::Forbidden);
        }
        let dept = viewer.department_id.ok_or(WriteError::NotFound)?;
        let today = crate::api::ssr::today(viewer, tx.now());
        // A device's date ahead of the organisation's counts as today; one from a past
        // decade is refused rather than filed under a period nobody will look at.
        let written_on = written_on.min(today);
        if crate::domain::limits::When::Happened
            .check(written_on, today)
            .is_err()
        {
            return Err(WriteError::invalid("written_on", Msg::ErrDateTooEarly));
        }
        let cadence = tx.cadence(viewer.user_id).await?.cadence;
        let week = chrono::Duration::days(7);
        let calendar = tx.calendar(viewer.organisation_id, written_on - week, written_on + week).await?;
        let day = period_day(cadence, &calendar, written_on).ok_or(WriteError::invalid("done", Msg::ErrNoCadence))?;
        let text = |field: &'static str, s: &str| crate::domain::deal::text(s).map_err(|e| WriteError::invalid(field, crate::api::deals::deal_msg(e)));
        let (done, plan) = (text("done", done)?, text("plan", plan)?);
        let blockers = if blockers.trim().is_empty() { String::new() } else { text("blockers", blockers)? };
        tx.submit_report(viewer.user_id, dept, day, &done, &plan, &blockers).await?;
        Ok(())
    }

    pub fn text(r: &ReportRow, tz: chrono_tz::Tz) -> ReportText {
        ReportText {
            user_name: r.user_name.clone(),
            period_day: r.period_day,
            done: r.done.clone(),
            plan: r.plan.clone(),
            blockers: r.blockers.clone(),
            submitted_at: clock::local(tz, r.submitted_at),
        }
    }

    pub async fn mine(store: &Store, viewer: &Viewer, dept: DepartmentId) -> Result<MyReports, ApiError> {
        let today = crate::api::ssr::today(viewer, store.now());
        let since = today - chrono::Duration::days(OVERDUE_WINDOW_DAYS);
        let CadenceSetting { cadence, since: set_on } = store.cadence(viewer.user_id).await?;
        let since = set_on.map_or(since, |d| d.max(since));
        let week = chrono::Duration::days(7);
        let calendar = store.calendar(viewer.organisation_id, since.min(today - week), today + week).await?;
        let day = period_day(cadence, &calendar, today);
        // The report now due can be for a day before the cadence was set: a weekly
        // cadence set on a Sunday is reported for that week's Friday.
        let from = day.map_or(since, |d| d.min(since));
        let reports = store.reports(dept, Some(viewer.user_id), from, today + week).await?;
        let days: Vec<_> = reports.iter().map(|r| r.period_day).collect();
        Ok(MyReports {
            today,
            cadence,
            period_day: day,
            current: reports.iter().find(|r| Some(r.period_day) == day).map(|r| text(r, crate::api::ssr::zone(viewer))),
            state: state(cadence, &calendar, &days, since, today),
        })
    }
}
