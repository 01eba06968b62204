//! The home page: what each role needs to see first.

use chrono::NaiveDate;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use crate::model::people::Person;

use super::ApiError;
use crate::domain::period::Month;
use crate::api::deals::StageOption;
use crate::domain::funnel::Step;
use crate::domain::{Money, UserId};
use crate::model::clients::ClientsAndDeals;
#[cfg(feature = "ssr")]
use crate::store::prelude::*;

pub use crate::model::home::{ManagerFigures, MonthTotal, NextStep};

/// A column of the head's managers table to order it by: biggest first, names A to Z.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum ManagerSort {
    #[default]
    Received,
    Forecast,
    Won,
    Open,
    Pipeline,
    Overdue,
    Stale,
    Name,
}

impl ManagerSort {
    pub const ALL: [ManagerSort; 8] = [
        ManagerSort::Name,
        ManagerSort::Received,
        ManagerSort::Forecast,
        ManagerSort::Won,
        ManagerSort::Open,
        ManagerSort::Pipeline,
        ManagerSort::Overdue,
        ManagerSort::Stale,
    ];

    /// The key in the page's address.
    pub fn key(self) -> &'static str {
        match self {
            ManagerSort::Received => "received",
            ManagerSort::Forecast => "forecast",
            ManagerSort::Won => "won",
            ManagerSort::Open => "open",
            ManagerSort::Pipeline => "pipeline",
            ManagerSort::Overdue => "overdue",
            ManagerSort::Stale => "stale",
            ManagerSort::Name => "name",
        }
    }

    pub fn parse(key: &str) -> Option<ManagerSort> {
        ManagerSort::ALL.into_iter().find(|s| s.key() == key)
    }
}

/// Orders the managers by `by`, biggest first (names alphabetically), ties by name.
pub fn sort_managers(list: &mut [ManagerFigures], by: ManagerSort) {
    let value = |m: &ManagerFigures| -> i64 {
        match by {
            ManagerSort::Received => m.received.kopecks(),
            ManagerSort::Forecast => m.forecast.kopecks(),
            ManagerSort::Won => m.won_deals,
            ManagerSort::Open => m.open_deals,
            ManagerSort::Pipeline => m.pipeline.kopecks(),
            ManagerSort::Overdue => m.overdue.kopecks(),
            ManagerSort::Stale => m.stale_deals,
            ManagerSort::Name => 0,
        }
    };
    list.sort_by(|a, b| value(b).cmp(&value(a)).then_with(|| a.name.cmp(&b.name)));
}

/// How many months back the head can look at.
pub const HISTORY_MONTHS: usize = 24;

/// How many months the "received by month" chart shows.
pub const CHART_MONTHS: usize = 4;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DepartmentHome {
    pub department: String,
    /// The month shown, and the current one (a past month's forecast is its fact).
    pub month: Month,
    pub current: Month,
    pub sort: ManagerSort,
    pub managers: Vec<ManagerFigures>,
    pub by_month: Vec<MonthTotal>,
    pub stale_after_days: u32,
    /// Conversion by stage of the deals created since `funnel_since`: each open stage,
    /// then "won", with how many got that far.
    pub funnel: Vec<(StageOption, Step)>,
    pub funnel_since: NaiveDate,
    /// The department's pace to the month's plan, once the head set one.
    pub plan: Option<super::plan::MyPlan>,
}

/// How many months of new deals the conversion funnel looks at (this one included).
pub const FUNNEL_MONTHS: usize = 3;

/// The department's figures: the sums over its managers.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Totals {
    pub received: Money,
    pub won_deals: i64,
    pub open_deals: i64,
    pub pipeline: Money,
    pub overdue: Money,
    pub forecast: Money,
    pub stale_deals: i64,
}

impl DepartmentHome {
    pub fn totals(&self) -> Totals {
        self.managers.iter().fold(Totals::default(), |t, m| Totals {
            received: t.received + m.received,
            won_deals: t.won_deals + m.won_deals,
            open_deals: t.open_deals + m.open_deals,
            pipeline: t.pipeline + m.pipeline,
            overdue: t.overdue + m.overdue,
            forecast: t.forecast + m.forecast,
            stale_deals: t.stale_deals + m.stale_deals,
        })
    }
}

/// One manager's view of their month; the head sees the same card for each manager.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ManagerHome {
    pub month: Month,
    pub today: NaiveDate,
    /// Their share of this month's plan and the pace to it, once the head set a plan.
    pub plan: Option<super::plan::MyPlan>,
    /// Their reporting, when the manager looks at their own home.
    pub reports: Option<super::report::MyReports>,
    pub figures: ManagerFigures,
    pub by_month: Vec<MonthTotal>,
    pub next_steps: Vec<NextStep>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AdminHome {
    pub departments: usize,
    pub active_users: usize,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum HomeData {
    Head(DepartmentHome),
    Manager(ManagerHome),
    Admin(AdminHome),
    /// A head or manager not (or no longer) attached to a department.
    NoDepartment,
}

/// The signed-in person's home. A head may pick a past `month` ("YYYY-MM", up to
/// [`HISTORY_MONTHS`] back) and the order of the managers' table.
#[server]
pub async fn home(#[server(default)] month: Option<String>, #[server(default)] sort: Option<String>) -> Result<HomeData, ApiError> {
    use super::ssr::*;
    use crate::domain::user::Role;
    respond(
        async {
            let viewer = viewer()?;
            let store = store()?;
            let today = today(&viewer, store.now());
            let current = Month::containing(today);
            let earliest = (0..HISTORY_MONTHS).fold(current, |m, _| m.previous());
            let month = month
                .as_deref()
                .and_then(Month::parse_key)
                .filter(|m| *m <= current && *m >= earliest)
                .unwrap_or(current);
            match (viewer.role, viewer.department_id) {
                (Role::Admin, _) => {
                    let users = store.users(viewer.organisation_id).await?;
                    Ok(HomeData::Admin(AdminHome {
                        departments: store.departments(viewer.organisation_id).await?.len(),
                        active_users: users.iter().filter(|u| u.active).count(),
                    }))
                }
                (_, None) => Ok(HomeData::NoDepartment),
                (Role::Head, Some(dept)) => {
                    let since = (1..FUNNEL_MONTHS).fold(month, |m, _| m.previous()).first_day();
                    let sort = sort.as_deref().and_then(ManagerSort::parse).unwrap_or_default();
                    // Independent reads, each on its own connection: the page waits for
                    // the slowest, not for their sum.
                    let (mut managers, by_month, stale_after_days, funnel, plan) = tokio::try_join!(
                        async { Ok::<_, ApiError>(store.manager_figures(dept, None, month, today).await?) },
                        async { Ok(store.received_by_month(dept, None, month, CHART_MONTHS).await?) },
                        async { Ok(store.stale_after_days(dept).await?) },
                        ssr::funnel(&store, dept, since),
                        super::plan::ssr::department_pace(&store, &viewer, dept, month, today),
                    )?;
                    if month < current {
                        // A closed month promises nothing more: its forecast is what came in.
                        for m in &mut managers {
                            m.forecast = m.received;
                        }
                    }
                    sort_managers(&mut managers, sort);
                    Ok(HomeData::Head(DepartmentHome {
                        department: viewer.department_name.clone().unwrap_or_default(),
                        month,
                        current,
                        sort,
                        managers,
                        by_month,
                        stale_after_days,
                        funnel,
                        funnel_since: since,
                        plan,
                    }))
                }
                (Role::Manager, Some(_)) => Ok(HomeData::Manager(manager_home(&store, &viewer, viewer.user_id).await?)),
            }
        }
        .await,
    )
}

/// One manager's card. A manager may open only their own; a head, those of their
/// department; anyone else gets 404, so ids cannot be probed.
#[server]
pub async fn manager_card(user: UserId) -> Result<ManagerHome, ApiError> {
    use super::ssr::*;
    use crate::domain::user::Role;
    respond(
        async {
            let viewer = viewer_with_role(&[Role::Head, Role::Manager])?;
            if viewer.role == Role::Manager && user != viewer.user_id {
                return Err(ApiError::NotFound);
            }
            manager_home(&store()?, &viewer, user).await
        }
        .await,
    )
}

#[cfg(feature = "ssr")]
async fn manager_home(store: &crate::store::Store, viewer: &super::Viewer, user: UserId) -> Result<ManagerHome, ApiError> {
    let dept = viewer.department_id.ok_or(ApiError::NotFound)?;
    let today = super::ssr::today(viewer, store.now());
    let month = Month::containing(today);
    // Scoped to the viewer's department: a manager of another department is "not found".
    let figures = store.manager_figures(dept, Some(user), month, today).await?.into_iter().next().ok_or(ApiError::NotFound)?;
    Ok(ManagerHome {
        month,
        today,
        plan: super::plan::ssr::my_plan(store, viewer, dept, user, today).await?,
        reports: if user == viewer.user_id { Some(super::report::ssr::mine(store, viewer, dept).await?) } else { None },
        figures,
        by_month: store.received_by_month(dept, Some(user), month, CHART_MONTHS).await?,
        next_steps: store.due_next_steps(user, today, 20).await?,
    })
}

/// The head sets after how many quiet days a deal of the department counts as stale.
#[server]
pub async fn set_stale_days(days: String) -> Result<(), ApiError> {
    use super::ssr::*;
    use crate::domain::forecast::STALE_DAYS;
    use crate::domain::user::Role;
    use crate::i18n::Msg;
    respond(
        async {
            let head = viewer_with_role(&[Role::Head])?;
            let dept = head.department_id.ok_or(ApiError::NotFound)?;
            let days: u32 = days
                .trim()
                .parse()
                .ok()
                .filter(|d| STALE_DAYS.contains(d))
                .ok_or_else(|| ApiError::invalid("days", Msg::ErrStaleDays))?;
            let store = store()?;
            store.set_stale_after_days(dept, days).await?;
            store
                .audit(head.organisation_id, Some(head.user_id), "department", &dept.to_string(), "set_stale_days", serde_json::json!({ "days": days }))
                .await?;
            Ok(())
        }
        .await,
    )
}

/// The head hands all of one manager's clients and deals to another manager of the
/// department. Both must be active managers of the head's department (else 404).
#[server]
pub async fn reassign_all(from: UserId, to: UserId) -> Result<ClientsAndDeals, ApiError> {
    use super::ssr::*;
    use crate::domain::user::Role;
    use crate::i18n::Msg;
    respond(
        async {
            let head = viewer_with_role(&[Role::Head])?;
            let dept = head.department_id.ok_or(ApiError::NotFound)?;
            let store = store()?;
            let managers = store.department_managers(dept).await?;
            let known = |id: UserId| managers.iter().any(|m| m.id == id);
            if !known(from) {
                return Err(ApiError::NotFound);
            }
            if !known(to) || to == from {
                return Err(ApiError::invalid("to", Msg::ErrChooseOne));
            }
            Ok(store.reassign_all(dept, from, to, head.user_id).await?)
        }
        .await,
    )
}

/// The head's department's active managers, by name.
#[server]
pub async fn team() -> Result<Vec<Person>, ApiError> {
    use super::ssr::*;
    use crate::domain::user::Role;
    respond(
        async {
            let head = viewer_with_role(&[Role::Head])?;
            let dept = head.department_id.ok_or(ApiError::NotFound)?;
            Ok(store()?.department_managers(dept).await?)
        }
        .await,
    )
}

#[cfg(feature = "ssr")]
mod ssr {
    use crate::store::prelude::*;
    use chrono::NaiveDate;

    use crate::api::ApiError;
    use crate::api::deals::StageOption;
    use crate::domain::period::Month;
    use crate::domain::DepartmentId;
    use crate::domain::deal::Outcome;
    use crate::domain::funnel::{PathCount, Step, funnel as steps};
    use crate::store::Store;

    /// The funnel of the department's deals created since `since` (the first day of a
    /// month; months are counted in UTC), stage by stage.
    pub async fn funnel(store: &Store, dept: DepartmentId, since: NaiveDate) -> Result<Vec<(StageOption, Step)>, ApiError> {
        let stages = store.stages(dept).await?;
        let open: Vec<&StageOption> = stages.iter().filter(|s| s.outcome == Outcome::Open).collect();
        let paths: Vec<PathCount> = store
            .funnel_paths(dept, Month::containing(since))
            .await?;
        let won = stages.iter().find(|s| s.outcome == Outcome::Won).cloned();
        let labels: Vec<StageOption> = open.iter().map(|s| (*s).clone()).chain(won).collect();
        Ok(labels.into_iter().zip(steps(open.len(), &paths)).collect())
    }
}
