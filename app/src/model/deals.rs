//! Deals as the pages show them: lists, one deal's card, the board's stages.

use super::people::Person;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::domain::deal::{ActivityKind, Outcome};
use crate::domain::period::Month;
use crate::domain::{DealId, Money, UserId};
use crate::i18n::{Locale, Msg};

/// A pipeline stage as the UI offers it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StageOption {
    pub id: String,
    /// Built-in stages have a code and are named in the user's language.
    pub code: Option<String>,
    pub name: Option<String>,
    pub probability: i64,
    pub outcome: Outcome,
}

impl StageOption {
    pub fn label(&self, locale: Locale) -> String {
        let built_in = match self.code.as_deref() {
            Some("new") => Some(Msg::StageNew),
            Some("qualified") => Some(Msg::StageQualified),
            Some("proposal") => Some(Msg::StageProposal),
            Some("negotiation") => Some(Msg::StageNegotiation),
            Some("invoice") => Some(Msg::StageInvoice),
            Some("won") => Some(Msg::StageWon),
            Some("lost") => Some(Msg::StageLost),
            _ => None,
        };
        match (&self.name, built_in) {
            (Some(name), _) => name.clone(),
            (None, Some(msg)) => locale.t(msg).to_string(),
            (None, None) => self.code.clone().unwrap_or_default(),
        }
    }
}

/// A deal as lists show it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DealCard {
    pub id: DealId,
    pub title: String,
    pub client: String,
    pub owner_id: UserId,
    pub owner_name: String,
    pub amount: Money,
    pub stage: StageOption,
    pub next_step: String,
    pub next_step_due_on: Option<NaiveDate>,
    pub version: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PaymentLine {
    pub amount: Money,
    pub on: NaiveDate,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ActivityLine {
    pub kind: ActivityKind,
    pub body: String,
    pub at: DateTime<Utc>,
    pub user: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DealDetail {
    pub today: NaiveDate,
    pub card: DealCard,
    pub loss_reason: Option<String>,
    pub stages: Vec<StageOption>,
    pub expected: Vec<PaymentLine>,
    pub received: Vec<PaymentLine>,
    pub overdue: Money,
    pub activities: Vec<ActivityLine>,
    /// For a head: the department's managers, to hand the deal to. Empty for a manager.
    pub managers: Vec<Person>,
}

impl DealDetail {
    pub fn received_total(&self) -> Money {
        self.received.iter().map(|p| p.amount).sum()
    }

    pub fn expected_total(&self) -> Money {
        self.expected.iter().map(|p| p.amount).sum()
    }
}

/// How a deal list is ordered.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum DealSort {
    /// Next steps overdue or due today first, then by date, then deals without a step.
    #[default]
    Due,
    /// Biggest first.
    Amount,
}

/// What a deal list shows: the same in the page, its address and its CSV export.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct DealFilter {
    /// For a head: one manager's deals. A manager always gets their own.
    pub manager: Option<UserId>,
    pub stage: Option<String>,
    /// Only deals with money overdue.
    pub overdue: bool,
    /// Only deals expected to close in this month.
    pub close: Option<Month>,
    pub sort: DealSort,
}

impl DealFilter {
    /// From the page's query parameters (`manager`, `stage`, `overdue=1`, `close=YYYY-MM`,
    /// `sort=amount`).
    pub fn from_query(get: impl Fn(&str) -> Option<String>) -> DealFilter {
        DealFilter {
            manager: get("manager").and_then(|m| m.parse().ok()),
            stage: get("stage").filter(|s| !s.is_empty()),
            overdue: get("overdue").is_some_and(|o| o == "1"),
            close: get("close").as_deref().and_then(Month::parse_key),
            sort: if get("sort").as_deref() == Some("amount") { DealSort::Amount } else { DealSort::Due },
        }
    }

    /// The query string (without `?`) that gives this filter back.
    pub fn to_query(&self) -> String {
        let mut parts = Vec::new();
        if let Some(m) = self.manager {
            parts.push(format!("manager={m}"));
        }
        if let Some(s) = &self.stage {
            parts.push(format!("stage={s}"));
        }
        if self.overdue {
            parts.push("overdue=1".to_string());
        }
        if let Some(m) = self.close {
            parts.push(format!("close={}", m.key()));
        }
        if self.sort == DealSort::Amount {
            parts.push("sort=amount".to_string());
        }
        parts.join("&")
    }
}

/// One open stage on the board.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BoardColumn {
    pub stage: StageOption,
    /// All the stage's deals, even those not shown.
    pub count: i64,
    pub amount: Money,
    /// The biggest deals, at most the board shows.
    pub cards: Vec<DealCard>,
}

/// Deals closed one way (won or lost) in a period: how many and for how much.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ClosedSum {
    pub outcome: Outcome,
    pub count: i64,
    pub amount: Money,
}

/// How many live deals stand at a stage.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StageCount {
    pub stage_id: String,
    pub deals: i64,
}
