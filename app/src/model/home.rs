//! The figures the home pages show.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

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
    /// Received this month plus the open deals expected by its end, weighted by stage.
    pub forecast: Money,
    /// Open deals with no activity for the department's "stale after" days.
    pub stale_deals: i64,
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

/// Money of one month: a bar of the "received by month" chart.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MonthTotal {
    pub month: Month,
    pub amount: Money,
}
