//! Deals: the manager's "My day", one deal's card, and the changes made to a deal.
//! Every change is a [`DealChange`] applied by [`ssr::apply`] through the write
//! contract (`api::write`), whether it came from the outbox's push or the head's
//! hand-over.

use crate::model::people::Person;
use chrono::NaiveDate;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::ApiError;
use crate::domain::deal::ActivityKind;
#[cfg(feature = "ssr")]
use crate::domain::deal::Outcome;
use crate::domain::{DealId, Money, UserId};
use crate::i18n::Msg;
#[cfg(feature = "ssr")]
use crate::store::prelude::*;

pub use crate::model::deals::{ActivityLine, DealCard, DealDetail, DealFilter, DealSort, PaymentLine, StageOption};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DealList {
    pub today: NaiveDate,
    pub deals: Vec<DealCard>,
    /// For a head: the department's managers, to filter by. Empty for a manager.
    pub managers: Vec<Person>,
    /// The open stages, to filter by.
    pub stages: Vec<StageOption>,
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
            let today = today(&viewer, store.now());
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
            let today = today(&viewer, store.now());
            let mut detail = store.deal_detail(deal, today).await?;
            if viewer.role == crate::domain::user::Role::Head {
                detail.managers = store.department_managers(scope.department_id).await?;
            }
            Ok(detail)
        }
        .await,
    )
}

/// The head hands one deal to another manager of the department.
#[server]
pub async fn reassign_deal(deal: DealId, owner: String) -> Result<(), ApiError> {
    use super::ssr::*;
    use super::write::{Write, apply_one};
    respond(
        async {
            let viewer = viewer()?;
            let owner_id = owner.trim().parse::<UserId>().map_err(|_| ApiError::invalid("owner", Msg::ErrChooseOne))?;
            apply_one(&store()?, &viewer, Write::Deal(deal, DealChange::SetOwner { owner_id })).await.map(|_| ())
        }
        .await,
    )
}

/// The message for a broken deal rule.
pub fn deal_msg(e: crate::domain::deal::DealError) -> Msg {
    use crate::domain::deal::DealError;
    match e {
        DealError::LossReasonRequired => Msg::ErrLossReasonRequired,
        DealError::TextEmpty => Msg::ErrTextEmpty,
        DealError::TextTooLong => Msg::ErrTextTooLong,
        DealError::AmountNotPositive => Msg::ErrAmountPositive,
        DealError::AmountNegative => Msg::ErrAmountNegative,
        DealError::DateInFuture => Msg::ErrDateInFuture,
        DealError::PaymentOnLostDeal => Msg::ErrPaymentOnLostDeal,
        DealError::ExpectedOnClosedLostDeal => Msg::ErrExpectedOnLostDeal,
        DealError::AmountTooLarge => Msg::ErrAmountTooLarge,
        DealError::PaymentsTooLarge => Msg::ErrPaymentsTooLarge,
        DealError::DateTooEarly => Msg::ErrDateTooEarly,
        DealError::DateTooLate => Msg::ErrDateTooLate,
        DealError::NameTooLong => Msg::ErrNameTooLong,
    }
}

/// A deal rule broken, as the field it concerns and a message.
pub fn deal_error(field: &str, e: crate::domain::deal::DealError) -> ApiError {
    ApiError::invalid(field, deal_msg(e))
}

#[cfg(feature = "ssr")]
pub mod ssr {
    //! The one write function for deals.

    use super::{DealChange, deal_msg};
    use crate::api::ssr::may_see;
    use crate::api::write::WriteError;
    use crate::api::{ApiError, Viewer};
    use crate::domain::DealId;
    use crate::domain::deal::{self, ActivityKind, DealError};
    use crate::domain::user::Role;
    use crate::i18n::Msg;
    use crate::store::prelude::*;
    use crate::store::{DealScope, Store, Tx};

    /// The deal's scope if the viewer may see it; 404 otherwise, so that ids of
    /// other people's deals cannot be told from ids that do not exist.
    pub async fn visible_scope(store: &Store, viewer: &Viewer, deal: DealId) -> Result<DealScope, ApiError> {
        let scope = store.deal_scope(deal).await?.ok_or(ApiError::NotFound)?;
        if may_see(viewer, scope.owner_id, scope.department_id) { Ok(scope) } else { Err(ApiError::NotFound) }
    }

    fn invalid(field: &'static str) -> impl Fn(DealError) -> WriteError {
        move |e| WriteError::invalid(field, deal_msg(e))
    }

    /// Checks and stores one change to a deal the viewer may see; returns the deal's
    /// new version.
    pub async fn apply(tx: &mut Tx, viewer: &Viewer, deal: DealId, change: DealChange) -> Result<i64, WriteError> {
        let scope = tx.deal_scope(deal).await?.filter(|s| may_see(viewer, s.owner_id, s.department_id)).ok_or(WriteError::NotFound)?;
        let today = crate::api::ssr::today(viewer, tx.now());
        let actor = viewer.user_id;
        let version = match change {
            DealChange::SetStage { stage_id, loss_reason, seen } => {
                let stage = tx
                    .stages(scope.department_id)
                    .await?
                    .into_iter()
                    .find(|s| s.id == stage_id)
                    .ok_or(WriteError::invalid("stage_id", Msg::ErrChooseOne))?;
                let reason = deal::stage_move(stage.outcome, &loss_reason).map_err(invalid("loss_reason"))?;
                tx.change_stage(deal, &stage, reason.as_deref(), today, actor, seen.as_deref()).await?
            }
            DealChange::SetAmount { amount, seen } => {
                deal::amount(amount).map_err(invalid("amount"))?;
                tx.set_amount(deal, amount, actor, seen).await?
            }
            DealChange::LogActivity { activity, body } => {
                if !ActivityKind::LOGGABLE.contains(&activity) {
                    return Err(WriteError::invalid("activity", Msg::ErrChooseOne));
                }
                let body = deal::text(&body).map_err(invalid("body"))?;
                tx.add_activity(deal, activity, &body, actor).await?
            }
            DealChange::RecordPayment { amount, received_on, confirm_lost } => {
                deal::received_payment(amount, received_on, today, scope.outcome, confirm_lost, scope.received_total)
                    .map_err(|e| WriteError::invalid(deal::payment_field(e, "received_on"), deal_msg(e)))?;
                tx.add_received_payment(deal, amount, received_on, actor).await?
            }
            DealChange::ExpectPayment { amount, due_on } => {
                deal::expected_payment(amount, due_on, today, scope.outcome, scope.expected_total)
                    .map_err(|e| WriteError::invalid(deal::payment_field(e, "due_on"), deal_msg(e)))?;
                tx.add_expected_payment(deal, amount, due_on, actor).await?
            }
            DealChange::SetNextStep { next_step, due_on } => {
                let next_step = deal::text(&next_step).map_err(invalid("next_step"))?;
                deal::due_date(due_on, today).map_err(invalid("due_on"))?;
                tx.set_next_step(deal, &next_step, due_on, actor).await?
            }
            DealChange::SetOwner { owner_id } => {
                if viewer.role != Role::Head {
                    return Err(WriteError::Forbidden);
                }
                let managers = tx.department_managers(scope.department_id).await?;
                if owner_id == scope.owner_id || !managers.iter().any(|m| m.id == owner_id) {
                    return Err(WriteError::invalid("owner", Msg::ErrChooseOne));
                }
                tx.set_deal_owner(deal, owner_id, actor).await?
            }
        };
        Ok(version)
    }
}
