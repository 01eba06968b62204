//! Deals: the manager's "My day", one deal's card, and the changes a manager makes
//! from a phone. Every change goes through [`ssr::apply`], the one write path that
//! the offline sync will also use.

use chrono::{DateTime, NaiveDate, Utc};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::ApiError;
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
pub struct DealList {
    pub today: NaiveDate,
    pub deals: Vec<DealCard>,
    /// For a head: the department's managers, to filter by. Empty for a manager.
    pub managers: Vec<(UserId, String)>,
    /// The open stages, to filter by.
    pub stages: Vec<StageOption>,
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
    pub managers: Vec<(UserId, String)>,
}

impl DealDetail {
    pub fn received_total(&self) -> Money {
        self.received.iter().map(|p| p.amount).sum()
    }
}

/// A change to one deal: the unit the server applies, checks and logs.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum DealChange {
    /// `seen` is the stage the person saw; a different one on the server is a conflict.
    SetStage { stage_id: String, loss_reason: String, seen: Option<String> },
    /// `seen` guards the amount as it does the stage.
    SetAmount { amount: Money, seen: Option<Money> },
    LogActivity { activity: ActivityKind, body: String },
    RecordPayment { amount: Money, received_on: NaiveDate, confirm_lost: bool },
    ExpectPayment { amount: Money, due_on: NaiveDate },
    SetNextStep { next_step: String, due_on: Option<NaiveDate> },
    /// The head hands the deal to another manager of the department.
    SetOwner { owner_id: UserId },
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

/// How many deals a list returns at most; the rest are reached by filters.
pub const LIST_LIMIT: i64 = 200;

/// Open deals, those whose next step is overdue or due today first. A manager gets
/// their own (whatever `manager` says); a head the department's, or one manager's.
#[server]
pub async fn my_day(#[server(default)] filter: DealFilter) -> Result<DealList, ApiError> {
    use super::ssr::*;
    use crate::domain::user::Role;
    respond(
        async {
            let viewer = viewer_with_role(&[Role::Head, Role::Manager])?;
            let store = store()?;
            let today = today(&viewer);
            let ListScope { department: dept, owner, managers } = list_scope(&store, &viewer, filter.manager).await?;
            let deals = store.open_deals(dept, owner, &filter, today, LIST_LIMIT).await?;
            let stages = store.stages(dept).await?.into_iter().filter(|s| s.outcome == Outcome::Open).collect();
            Ok(DealList { today, deals, managers, stages })
        }
        .await,
    )
}

#[server]
pub async fn open_deal(deal: DealId) -> Result<DealDetail, ApiError> {
    use super::ssr::*;
    respond(
        async {
            let viewer = viewer()?;
            let store = store()?;
            let scope = ssr::visible_scope(&store, &viewer, deal).await?;
            let today = today(&viewer);
            let mut detail = store.deal_detail(deal, today).await?;
            if viewer.role == crate::domain::user::Role::Head {
                detail.managers = store.department_managers(scope.department_id).await?;
            }
            Ok(detail)
        }
        .await,
    )
}

#[server]
pub async fn set_deal_stage(deal: DealId, stage: String, loss_reason: String) -> Result<(), ApiError> {
    respond_change(deal, Ok(DealChange::SetStage { stage_id: stage, loss_reason, seen: None })).await
}

#[server]
pub async fn log_activity(deal: DealId, activity: String, body: String) -> Result<(), ApiError> {
    let change = ActivityKind::parse(&activity)
        .filter(|k| ActivityKind::LOGGABLE.contains(k))
        .map(|activity| DealChange::LogActivity { activity, body })
        .ok_or_else(|| ApiError::invalid("activity", Msg::ErrChooseOne));
    respond_change(deal, change).await
}

#[server]
pub async fn record_payment(
    deal: DealId,
    amount: String,
    received_on: String,
    #[server(default)] confirm_lost: Option<String>,
) -> Result<(), ApiError> {
    let change = Money::parse(&amount).map_err(|_| ApiError::invalid("amount", Msg::ErrAmountInvalid)).and_then(|amount| {
        let received_on = NaiveDate::parse_from_str(received_on.trim(), "%Y-%m-%d")
            .map_err(|_| ApiError::invalid("received_on", Msg::ErrDateInvalid))?;
        Ok(DealChange::RecordPayment { amount, received_on, confirm_lost: confirm_lost.is_some() })
    });
    respond_change(deal, change).await
}

/// An expected payment: what the client should pay, and by when (the basis of "overdue").
#[server]
pub async fn expect_payment(deal: DealId, amount: String, due_on: String) -> Result<(), ApiError> {
    let change = Money::parse(&amount).map_err(|_| ApiError::invalid("amount", Msg::ErrAmountInvalid)).and_then(|amount| {
        let due_on =
            NaiveDate::parse_from_str(due_on.trim(), "%Y-%m-%d").map_err(|_| ApiError::invalid("due_on", Msg::ErrDateInvalid))?;
        Ok(DealChange::ExpectPayment { amount, due_on })
    });
    respond_change(deal, change).await
}

/// The head hands one deal to another manager of the department.
#[server]
pub async fn reassign_deal(deal: DealId, owner: String) -> Result<(), ApiError> {
    let change = owner.trim().parse::<UserId>().map(|owner_id| DealChange::SetOwner { owner_id }).map_err(|_| ApiError::invalid("owner", Msg::ErrChooseOne));
    respond_change(deal, change).await
}

#[server]
pub async fn set_next_step(deal: DealId, next_step: String, due_on: String) -> Result<(), ApiError> {
    let due_on = match due_on.trim() {
        "" => Ok(None),
        raw => NaiveDate::parse_from_str(raw, "%Y-%m-%d").map(Some).map_err(|_| ApiError::invalid("due_on", Msg::ErrDateInvalid)),
    };
    respond_change(deal, due_on.map(|due_on| DealChange::SetNextStep { next_step, due_on })).await
}

/// A deal rule broken, as the field it concerns and a message.
pub fn deal_error(field: &str, e: crate::domain::deal::DealError) -> ApiError {
    use crate::domain::deal::DealError;
    let msg = match e {
        DealError::LossReasonRequired => Msg::ErrLossReasonRequired,
        DealError::TextEmpty => Msg::ErrTextEmpty,
        DealError::TextTooLong => Msg::ErrTextTooLong,
        DealError::AmountNotPositive => Msg::ErrAmountPositive,
        DealError::AmountNegative => Msg::ErrAmountNegative,
        DealError::DateInFuture => Msg::ErrDateInFuture,
        DealError::PaymentOnLostDeal => Msg::ErrPaymentOnLostDeal,
        DealError::ExpectedOnClosedLostDeal => Msg::ErrExpectedOnLostDeal,
    };
    ApiError::invalid(field, msg)
}

/// Applies a change for the signed-in viewer and sets the status on failure.
#[cfg(feature = "ssr")]
async fn respond_change(deal: DealId, change: Result<DealChange, ApiError>) -> Result<(), ApiError> {
    use super::ssr::*;
    respond(
        async {
            let viewer = viewer()?;
            ssr::apply(&store()?, &viewer, deal, change?, None).await.map(|_| ())
        }
        .await,
    )
}

#[cfg(feature = "ssr")]
pub mod ssr {
    //! The one write path for deals.

    use super::{DealChange, deal_error};
    use crate::api::{ApiError, Viewer};
    use crate::domain::DealId;
    use crate::domain::deal::{self, ActivityKind, DealError};
    use crate::domain::user::Role;
    use crate::api::ssr::may_see;
    use crate::i18n::Msg;
    use crate::domain::MutationId;
    use crate::store::{By, DealScope, Store};

    /// The deal's scope if the viewer may see it; 404 otherwise, so that ids of
    /// other people's deals cannot be told from ids that do not exist.
    pub async fn visible_scope(store: &Store, viewer: &Viewer, deal: DealId) -> Result<DealScope, ApiError> {
        let scope = store.deal_scope(deal).await?.ok_or(ApiError::NotFound)?;
        if may_see(viewer, scope.owner_id, scope.department_id) { Ok(scope) } else { Err(ApiError::NotFound) }
    }

    /// Checks and stores one change; returns the deal's new version. A change pushed by
    /// the offline sync names its mutation, whose receipt is stored with the change.
    pub async fn apply(
        store: &Store,
        viewer: &Viewer,
        deal: DealId,
        change: DealChange,
        mutation: Option<(MutationId, &'static str)>,
    ) -> Result<i64, ApiError> {
        let scope = visible_scope(store, viewer, deal).await?;
        let today = crate::api::ssr::today(viewer);
        let by = By { user: viewer.user_id, mutation };
        let version = match change {
            DealChange::SetStage { stage_id, loss_reason, seen } => {
                let stage = store
                    .stages(scope.department_id)
                    .await?
                    .into_iter()
                    .find(|s| s.id == stage_id)
                    .ok_or_else(|| ApiError::invalid("stage", Msg::ErrChooseOne))?;
                let reason = deal::stage_move(stage.outcome, &loss_reason).map_err(|e| deal_error("loss_reason", e))?;
                store.change_stage(deal, &stage, reason.as_deref(), today, by, seen.as_deref()).await?
            }
            DealChange::SetAmount { amount, seen } => {
                deal::amount(amount).map_err(|e| deal_error("amount", e))?;
                store.set_amount(deal, amount, by, seen).await?
            }
            DealChange::LogActivity { activity, body } => {
                if !ActivityKind::LOGGABLE.contains(&activity) {
                    return Err(ApiError::invalid("activity", Msg::ErrChooseOne));
                }
                let body = deal::text(&body).map_err(|e| deal_error("body", e))?;
                store.add_activity(deal, activity, &body, by).await?
            }
            DealChange::RecordPayment { amount, received_on, confirm_lost } => {
                deal::received_payment(amount, received_on, today, scope.outcome, confirm_lost).map_err(|e| {
                    let field = match e {
                        DealError::DateInFuture => "received_on",
                        DealError::PaymentOnLostDeal => "confirm_lost",
                        _ => "amount",
                    };
                    deal_error(field, e)
                })?;
                store.add_received_payment(deal, amount, received_on, by).await?
            }
            DealChange::ExpectPayment { amount, due_on } => {
                deal::expected_payment(amount, scope.outcome).map_err(|e| deal_error("amount", e))?;
                store.add_expected_payment(deal, amount, due_on, by).await?
            }
            DealChange::SetNextStep { next_step, due_on } => {
                let next_step = deal::text(&next_step).map_err(|e| deal_error("next_step", e))?;
                store.set_next_step(deal, &next_step, due_on, by).await?
            }
            DealChange::SetOwner { owner_id } => {
                if viewer.role != Role::Head {
                    return Err(ApiError::Forbidden);
                }
                let managers = store.department_managers(scope.department_id).await?;
                if owner_id == scope.owner_id || !managers.iter().any(|m| m.0 == owner_id) {
                    return Err(ApiError::invalid("owner", Msg::ErrChooseOne));
                }
                store.set_deal_owner(deal, owner_id, viewer.user_id).await?
            }
        };
        Ok(version)
    }

}
