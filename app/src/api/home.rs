//! The home page: what each role needs to see first.

use chrono::NaiveDate;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::ApiError;
use crate::domain::period::Month;
use crate::domain::{DealId, Money, UserId};

/// One manager's line on the head's home page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ManagerFigures {
    pub user_id: UserId,
    pub name: String,
    pub received: Money,
    pub won_deals: i64,
    pub open_deals: i64,
    pub pipeline: Money,
    pub overdue: Money,
}

/// A deal whose next step is due.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NextStep {
    pub deal_id: DealId,
    pub title: String,
    pub client: String,
    pub amount: Money,
    pub next_step: String,
    pub due_on: NaiveDate,
}


/// How many months the "received by month" chart shows.
pub const CHART_MONTHS: usize = 4;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DepartmentHome {
    pub department: String,
    pub month: Month,
    pub managers: Vec<ManagerFigures>,
    pub by_month: Vec<(Month, Money)>,
}

impl DepartmentHome {
    /// The department's figures: the sum over its managers.
    pub fn totals(&self) -> (Money, i64, i64, Money, Money) {
        self.managers.iter().fold((Money::ZERO, 0, 0, Money::ZERO, Money::ZERO), |t, m| {
            (t.0 + m.received, t.1 + m.won_deals, t.2 + m.open_deals, t.3 + m.pipeline, t.4 + m.overdue)
        })
    }
}

/// One manager's view of their month; the head sees the same card for each manager.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ManagerHome {
    pub month: Month,
    pub today: NaiveDate,
    pub figures: ManagerFigures,
    pub by_month: Vec<(Month, Money)>,
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

#[server]
pub async fn home() -> Result<HomeData, ApiError> {
    use super::ssr::*;
    use crate::domain::user::Role;
    respond(
        async {
            let viewer = viewer()?;
            let store = store()?;
            let today = today(&viewer);
            let month = Month::containing(today);
            match (viewer.role, viewer.department_id) {
                (Role::Admin, _) => {
                    let users = store.users(viewer.organisation_id).await?;
                    Ok(HomeData::Admin(AdminHome {
                        departments: store.departments(viewer.organisation_id).await?.len(),
                        active_users: users.iter().filter(|u| u.active).count(),
                    }))
                }
                (_, None) => Ok(HomeData::NoDepartment),
                (Role::Head, Some(dept)) => Ok(HomeData::Head(DepartmentHome {
                    department: viewer.department_name.clone().unwrap_or_default(),
                    month,
                    managers: store.manager_figures(dept, None, month, today).await?,
                    by_month: store.received_by_month(dept, None, month, CHART_MONTHS).await?,
                })),
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
    let today = super::ssr::today(viewer);
    let month = Month::containing(today);
    // Scoped to the viewer's department: a manager of another department is "not found".
    let figures = store.manager_figures(dept, Some(user), month, today).await?.into_iter().next().ok_or(ApiError::NotFound)?;
    Ok(ManagerHome {
        month,
        today,
        figures,
        by_month: store.received_by_month(dept, Some(user), month, CHART_MONTHS).await?,
        next_steps: store.due_next_steps(user, today, 20).await?,
    })
}
