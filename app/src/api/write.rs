//! The write contract. Every change a person makes is a [`Write`]: a typed change to
//! one resource, applied by that resource's one function (authorize → domain check →
//! store) inside the caller's unit of work, which also holds the audit row, the
//! version bump and, for a pushed mutation, its receipt. Pages write through the
//! outbox, whose sync push applies a batch of writes in one transaction (a savepoint
//! each); a server function that writes applies one with [`apply_one`]. A new kind of
//! change is a variant here, a rule in `domain`, and a store method on `Tx`.

use chrono::NaiveDate;

use super::clients::ClientChange;
use super::deals::DealChange;
use super::sync::Change;
use super::{ApiError, Viewer};
use crate::domain::{ClientId, DealId, GoalId};
use crate::i18n::Msg;
use crate::store::{Store, StoreError, Tx};

/// A change to one resource, as the write contract applies it.
#[derive(Clone, Debug, PartialEq)]
pub enum Write {
    Deal(DealId, DealChange),
    Client(ClientId, ClientChange),
    /// The manager's report for the period `written_on` (the device's date) falls in.
    Report { written_on: NaiveDate, done: String, plan: String, blockers: String },
    /// The manager's own count on a manual goal.
    GoalCheckIn { goal: GoalId, value: i64 },
}

impl From<Change> for Write {
    /// Where each kind of pushed mutation goes: the one place the protocol's kinds meet
    /// the resources.
    fn from(change: Change) -> Write {
        use Change as C;
        let deal = |id, change| Write::Deal(id, change);
        match change {
            C::SetDealStage { deal_id, stage_id, loss_reason, seen_stage_id } => {
                deal(deal_id, DealChange::SetStage { stage_id, loss_reason, seen: seen_stage_id })
            }
            C::SetDealAmount { deal_id, amount, seen_amount } => deal(deal_id, DealChange::SetAmount { amount, seen: seen_amount }),
            C::SetNextStep { deal_id, next_step, due_on } => deal(deal_id, DealChange::SetNextStep { next_step, due_on }),
            C::LogActivity { deal_id, activity, body } => deal(deal_id, DealChange::LogActivity { activity, body }),
            C::RecordPayment { deal_id, amount, received_on, confirm_lost } => {
                deal(deal_id, DealChange::RecordPayment { amount, received_on, confirm_lost })
            }
            C::ExpectPayment { deal_id, amount, due_on } => deal(deal_id, DealChange::ExpectPayment { amount, due_on }),
            C::CreateClient { client_id, client } => Write::Client(client_id, ClientChange::Create(client)),
            C::CreateDeal { deal_id, client_id, title, amount, stage_id, expected_close_on, next_step, next_step_due_on, source } => {
                Write::Client(
                    client_id,
                    ClientChange::CreateDeal { deal_id, title, amount, stage_id, expected_close_on, next_step, next_step_due_on, source },
                )
            }
            C::LogClientActivity { client_id, activity, body } => Write::Client(client_id, ClientChange::LogActivity { activity, body }),
            C::UpdateClient { client_id, name, inn, notes } => Write::Client(client_id, ClientChange::Update { name, inn, notes }),
            C::SaveContact { client_id, contact_id, name, position, phone, email } => {
                Write::Client(client_id, ClientChange::SaveContact { contact_id, name, position, phone, email })
            }
            C::RemoveContact { client_id, contact_id } => Write::Client(client_id, ClientChange::RemoveContact { contact_id }),
            C::SubmitReport { written_on, done, plan, blockers } => Write::Report { written_on, done, plan, blockers },
            C::CheckInGoal { goal_id, value } => Write::GoalCheckIn { goal: goal_id, value },
        }
    }
}

/// Why a write was not stored, in the protocol's terms (`docs/sync-protocol.md`):
/// `field` is spelled as the mutation spells it.
#[derive(Debug)]
pub enum WriteError {
    /// Not there, or not this person's to see (the two are never told apart).
    NotFound,
    /// The person's role may not make this change.
    Forbidden,
    /// A rule broken: which field, and the message saying why.
    Invalid { field: &'static str, msg: Msg },
    /// A guarded field (a stage, an amount) changed since the person saw it.
    Stale,
    /// The store failed; nothing of this write was kept.
    Store(StoreError),
}

impl WriteError {
    pub fn invalid(field: &'static str, msg: Msg) -> WriteError {
        WriteError::Invalid { field, msg }
    }
}

impl From<StoreError> for WriteError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => WriteError::NotFound,
            StoreError::Stale => WriteError::Stale,
            other => WriteError::Store(other),
        }
    }
}

impl From<WriteError> for ApiError {
    fn from(e: WriteError) -> Self {
        match e {
            WriteError::NotFound => ApiError::NotFound,
            WriteError::Forbidden => ApiError::Forbidden,
            WriteError::Invalid { field, msg } => ApiError::invalid(field, msg),
            WriteError::Stale => ApiError::Stale,
            WriteError::Store(e) => e.into(),
        }
    }
}

/// Applies one write for `viewer` inside `tx`; returns the entity's new version where
/// it has one. On an error the caller rolls back what the write did.
pub async fn apply(tx: &mut Tx, viewer: &Viewer, write: Write) -> Result<Option<i64>, WriteError> {
    match write {
        Write::Deal(deal, change) => super::deals::ssr::apply(tx, viewer, deal, change).await.map(Some),
        Write::Client(client, change) => super::clients::ssr::apply(tx, viewer, client, change).await,
        Write::Report { written_on, done, plan, blockers } => {
            super::report::ssr::submit(tx, viewer, written_on, &done, &plan, &blockers).await.map(|_| None)
        }
        Write::GoalCheckIn { goal, value } => super::goal::ssr::check_in(tx, viewer, goal, value).await.map(Some),
    }
}

/// One write in a unit of work of its own, for a server function.
pub async fn apply_one(store: &Store, viewer: &Viewer, write: Write) -> Result<Option<i64>, ApiError> {
    let mut tx = store.begin().await?;
    let version = apply(&mut tx, viewer, write).await?;
    tx.commit().await?;
    Ok(version)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Money;

    #[test]
    fn each_pushed_kind_reaches_its_resource_with_its_values() {
        let (deal, client) = (DealId::new(), ClientId::new());
        let stage = Change::SetDealStage { deal_id: deal, stage_id: "s2".into(), loss_reason: String::new(), seen_stage_id: Some("s1".into()) };
        assert_eq!(
            Write::from(stage),
            Write::Deal(deal, DealChange::SetStage { stage_id: "s2".into(), loss_reason: String::new(), seen: Some("s1".into()) })
        );
        let new_deal = DealId::new();
        let create = Change::CreateDeal {
            deal_id: new_deal,
            client_id: client,
            title: "Пилот".into(),
            amount: Money::from_rubles(100),
            stage_id: "s1".into(),
            expected_close_on: None,
            next_step: String::new(),
            next_step_due_on: None,
            source: String::new(),
        };
        assert!(matches!(Write::from(create), Write::Client(c, ClientChange::CreateDeal { deal_id, .. }) if c == client && deal_id == new_deal));
        let goal = GoalId::new();
        assert_eq!(Write::from(Change::CheckInGoal { goal_id: goal, value: 7 }), Write::GoalCheckIn { goal, value: 7 });
    }
}
