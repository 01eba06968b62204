//! The sync contract: what an offline client pushes to `POST /api/sync/push` and
//! reads from `GET /api/sync/pull`. These types are the wire format of
//! `docs/sync-protocol.md`; old cached clients depend on them, so fields are only
//! ever added, and a breaking change gets a new `schema`.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::domain::client::ClientInput;
use crate::domain::deal::ActivityKind;
use crate::domain::{ClientId, DealId, GoalId, Money, MutationId};
#[cfg(feature = "ssr")]
use crate::i18n::Msg;
#[cfg(feature = "ssr")]
use crate::store::prelude::*;

pub use crate::domain::sync::{Answer, Pulled, Reason};

/// The protocol version this server speaks.
pub const SCHEMA: u32 = 1;

/// The most mutations one push may carry; an outbox with more sends several pushes.
pub const MAX_BATCH: usize = 1000;

/// How many changed rows one pull returns at most; `more` says when to pull again.
pub const PULL_LIMIT: i64 = 500;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PushRequest {
    pub schema: u32,
    pub mutations: Vec<Mutation>,
}

/// One change a person made, as queued on their device.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Mutation {
    /// Made by the client (UUID v7); the idempotency key.
    pub id: MutationId,
    /// The version of the entity the change was made against, when it had one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base_version: Option<i64>,
    #[serde(flatten)]
    pub change: Change,
}

/// What a mutation does. The `kind` names are part of the contract.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Change {
    /// Move a deal to a stage. `seen_stage_id` is the stage the person saw: if the
    /// server's stage differs from it (and from the new one), this is a conflict.
    SetDealStage {
        deal_id: DealId,
        stage_id: String,
        #[serde(default)]
        loss_reason: String,
        #[serde(default)]
        seen_stage_id: Option<String>,
    },
    /// Set a deal's amount (kopecks). Guarded like the stage, by `seen_amount`.
    SetDealAmount {
        deal_id: DealId,
        amount: Money,
        #[serde(default)]
        seen_amount: Option<Money>,
    },
    /// Set the next step and its date; last writer wins.
    SetNextStep {
        deal_id: DealId,
        next_step: String,
        #[serde(default)]
        due_on: Option<NaiveDate>,
    },
    /// A call, meeting or note on a deal; append-only, never a conflict.
    LogActivity { deal_id: DealId, activity: ActivityKind, body: String },
    /// Money received on a deal; append-only.
    RecordPayment {
        deal_id: DealId,
        amount: Money,
        received_on: NaiveDate,
        /// The person confirmed money on a lost deal.
        #[serde(default)]
        confirm_lost: bool,
    },
    /// Money the client should pay by a date; append-only.
    ExpectPayment { deal_id: DealId, amount: Money, due_on: NaiveDate },
    /// A new client with an optional first contact; the id is made by the client.
    CreateClient {
        client_id: ClientId,
        #[serde(flatten)]
        client: ClientInput,
    },
    /// A new deal for a client; it belongs to the client's owner.
    CreateDeal {
        deal_id: DealId,
        client_id: ClientId,
        title: String,
        amount: Money,
        stage_id: String,
        #[serde(default)]
        expected_close_on: Option<NaiveDate>,
        #[serde(default)]
        next_step: String,
        #[serde(default)]
        next_step_due_on: Option<NaiveDate>,
        #[serde(default)]
        source: String,
    },
    /// A call, meeting or note about a client as a whole; append-only.
    LogClientActivity { client_id: ClientId, activity: ActivityKind, body: String },
    /// A client's name, INN and notes; last writer wins.
    UpdateClient {
        client_id: ClientId,
        name: String,
        #[serde(default)]
        inn: String,
        #[serde(default)]
        notes: String,
    },
    /// Adds a contact person with this id (made by the device) or changes the client's
    /// contact that has it; last writer wins.
    SaveContact {
        client_id: ClientId,
        contact_id: uuid::Uuid,
        #[serde(default)]
        name: String,
        #[serde(default)]
        position: String,
        #[serde(default)]
        phone: String,
        #[serde(default)]
        email: String,
    },
    /// Removes one of the client's contacts.
    RemoveContact { client_id: ClientId, contact_id: uuid::Uuid },
    /// The report for the period that `written_on` (the device's date) falls in;
    /// sending it again for the same period replaces it.
    SubmitReport {
        written_on: NaiveDate,
        done: String,
        plan: String,
        #[serde(default)]
        blockers: String,
    },
    /// The manager's own count on a manual goal; last writer wins.
    CheckInGoal { goal_id: GoalId, value: i64 },
}

impl Change {
    /// The `kind` on the wire.
    pub fn kind(&self) -> &'static str {
        match self {
            Change::SetDealStage { .. } => "set_deal_stage",
            Change::SetDealAmount { .. } => "set_deal_amount",
            Change::SetNextStep { .. } => "set_next_step",
            Change::LogActivity { .. } => "log_activity",
            Change::RecordPayment { .. } => "record_payment",
            Change::ExpectPayment { .. } => "expect_payment",
            Change::CreateClient { .. } => "create_client",
            Change::CreateDeal { .. } => "create_deal",
            Change::LogClientActivity { .. } => "log_client_activity",
            Change::UpdateClient { .. } => "update_client",
            Change::SaveContact { .. } => "save_contact",
            Change::RemoveContact { .. } => "remove_contact",
            Change::SubmitReport { .. } => "submit_report",
            Change::CheckInGoal { .. } => "check_in_goal",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PushResponse {
    pub schema: u32,
    /// One per mutation, in the order they were sent.
    pub results: Vec<MutationResult>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MutationResult {
    pub id: MutationId,
    #[serde(flatten)]
    pub answer: Answer,
}

impl Answer {
    /// The answer as first given, through any number of `duplicate` wrappers.
    pub fn first(&self) -> &Answer {
        match self {
            Answer::Duplicate { first } => first.first(),
            other => other,
        }
    }
}

/// What `GET /api/sync/pull?cursor=…` answers.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PullResponse {
    pub schema: u32,
    /// Pass it back as `cursor` next time.
    pub cursor: String,
    /// More changes wait: pull again at once with the new cursor.
    pub more: bool,
    pub changes: Vec<Pulled>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_mutation_reads_as_the_protocol_page_writes_it() {
        let json = r#"{"id":"0192f0c4-8a4e-7cc3-9b1e-3c2d4e5f6a7b","base_version":3,"kind":"set_deal_stage",
            "deal_id":"0192f0c4-8a4e-7cc3-9b1e-3c2d4e5f6a7c","stage_id":"s-invoice","seen_stage_id":"s-proposal"}"#;
        let m: Mutation = serde_json::from_str(json).unwrap();
        assert_eq!(m.base_version, Some(3));
        assert!(matches!(&m.change, Change::SetDealStage { stage_id, seen_stage_id: Some(seen), loss_reason, .. }
            if stage_id == "s-invoice" && seen == "s-proposal" && loss_reason.is_empty()));
        let back: Mutation = serde_json::from_value(serde_json::to_value(&m).unwrap()).unwrap();
        assert_eq!(back, m);
    }

    #[test]
    fn answers_carry_their_status() {
        let dup = Answer::Duplicate { first: Box::new(Answer::Applied { version: Some(4) }) };
        let json = serde_json::to_value(MutationResult { id: MutationId::new(), answer: dup.clone() }).unwrap();
        assert_eq!(json["status"], "duplicate");
        assert_eq!(json["first"]["status"], "applied");
        assert_eq!(json["first"]["version"], 4);
        assert_eq!(dup.first(), &Answer::Applied { version: Some(4) });
    }
}

#[cfg(feature = "ssr")]
pub mod ssr {
    //! Applying a push and answering a pull. Every mutation goes through the write
    //! contract ([`crate::api::write`]), the same function a server function uses.

    use super::*;
    use crate::api::write::{self, WriteError};
    use crate::api::{ApiError, Viewer};
    use crate::domain::user::Role;
    use crate::i18n::Locale;
    use crate::store::{PullPage, Receipt, Store, SyncScope, Tx};

    /// What a viewer syncs: a manager their own rows, a head the department's.
    pub fn scope(viewer: &Viewer) -> Result<SyncScope, ApiError> {
        let department = viewer.department_id.ok_or(ApiError::Forbidden)?;
        match viewer.role {
            Role::Manager => Ok(SyncScope { department, owner: Some(viewer.user_id) }),
            Role::Head => Ok(SyncScope { department, owner: None }),
            Role::Admin => Err(ApiError::Forbidden),
        }
    }

    /// Applies `mutations` in order and answers each. The whole push is one
    /// transaction and each mutation a savepoint in it: a refused mutation undoes only
    /// itself, and every answer is stored as its id's receipt beside what it did, so a
    /// retry of the push is answered `duplicate` and never applies anything twice.
    /// A mutation that cannot even be read is rejected as malformed; it still needs an
    /// id (the request is refused as a whole otherwise, before anything is applied).
    /// A store failure fails the push as a whole: nothing of it was kept.
    pub async fn push(store: &Store, viewer: &Viewer, mutations: Vec<serde_json::Value>) -> Result<Vec<MutationResult>, ApiError> {
        let ids = mutations
            .iter()
            .map(|m| m.get("id").and_then(|id| id.as_str()).and_then(|id| id.parse::<MutationId>().ok()))
            .collect::<Option<Vec<_>>>()
            .ok_or_else(|| ApiError::invalid("id", Msg::ErrSyncMalformed))?;
        let locale = viewer.locale.unwrap_or_default();
        let mut tx = store.begin().await?;
        // Ids answered before, read at once; an id repeated within this push finds the
        // answer its first occurrence got here.
        let mut known = tx.receipts(&ids).await?;
        let mut results = Vec::with_capacity(mutations.len());
        let mut receipts = Vec::new();
        for (id, raw) in ids.into_iter().zip(mutations) {
            let answer = match known.get(&id).cloned() {
                Some(Receipt { user, answer: first }) if user == viewer.user_id => Answer::Duplicate { first: Box::new(first) },
                // Someone else's id: say nothing about their mutation.
                Some(_) => rejected(Reason::Malformed, None, Msg::ErrIdTaken, locale),
                None => {
                    let (kind, answer) = match serde_json::from_value::<Mutation>(raw) {
                        Ok(mutation) => (mutation.change.kind(), apply(&mut tx, viewer, mutation.change).await?),
                        Err(e) => {
                            tracing::info!(error = %e, "sync: malformed mutation");
                            ("malformed", rejected(Reason::Malformed, None, Msg::ErrSyncMalformed, locale))
                        }
                    };
                    receipts.push((id, kind, answer.clone()));
                    answer
                }
            };
            known.entry(id).or_insert_with(|| Receipt { user: viewer.user_id, answer: answer.first().clone() });
            results.push(MutationResult { id, answer });
        }
        tx.save_receipts(viewer.user_id, &receipts).await?;
        tx.commit().await?;
        Ok(results)
    }

    /// One mutation, in a savepoint of its own: kept when applied, undone otherwise.
    async fn apply(tx: &mut Tx, viewer: &Viewer, change: Change) -> Result<Answer, ApiError> {
        tx.savepoint().await?;
        match write::apply(tx, viewer, change.clone().into()).await {
            Ok(version) => {
                tx.release().await?;
                Ok(Answer::Applied { version })
            }
            Err(refusal) => {
                tx.roll_back().await?;
                answer(tx, viewer, &change, refusal).await
            }
        }
    }

    /// A refused write as the protocol answers it.
    async fn answer(tx: &mut Tx, viewer: &Viewer, change: &Change, refusal: WriteError) -> Result<Answer, ApiError> {
        let locale = viewer.locale.unwrap_or_default();
        Ok(match refusal {
            WriteError::Stale => conflict(tx, viewer, change).await?,
            WriteError::Invalid { field, msg } => rejected(Reason::Invalid, Some(field.to_string()), msg, locale),
            WriteError::NotFound => rejected(Reason::NotFound, None, Msg::ErrSyncGone, locale),
            WriteError::Forbidden => rejected(Reason::Forbidden, None, Msg::ErrSyncForbidden, locale),
            WriteError::Store(e) => return Err(e.into()),
        })
    }

    fn rejected(reason: Reason, field: Option<String>, msg: Msg, locale: Locale) -> Answer {
        Answer::Rejected { reason, field, msg: Some(msg), message: locale.t(msg).to_string() }
    }

    /// The conflict answer: the field, both values, and the deal as the server has it.
    async fn conflict(tx: &mut Tx, viewer: &Viewer, change: &Change) -> Result<Answer, ApiError> {
        let (deal, field, yours) = match change {
            Change::SetDealStage { deal_id, stage_id, .. } => (deal_id, "stage_id", serde_json::json!(stage_id)),
            Change::SetDealAmount { deal_id, amount, .. } => (deal_id, "amount", serde_json::json!(amount)),
            _ => return Err(ApiError::Internal),
        };
        let Some(row) = tx.snapshot(scope(viewer)?, "deal", &deal.to_string()).await? else {
            return Ok(rejected(Reason::NotFound, None, Msg::ErrSyncGone, viewer.locale.unwrap_or_default()));
        };
        let theirs = row.get(field).cloned().unwrap_or_default();
        Ok(Answer::Conflict { field: field.to_string(), yours, theirs, row })
    }

    /// The changes after `cursor` ("" or "0" for everything) that the viewer may see.
    pub async fn pull(store: &Store, viewer: &Viewer, cursor: &str) -> Result<PullResponse, ApiError> {
        let from = match cursor.trim() {
            "" => 0,
            c => c.parse::<i64>().ok().filter(|c| *c >= 0).ok_or_else(|| ApiError::invalid("cursor", Msg::ErrSyncMalformed))?,
        };
        let PullPage { changes, cursor: next, more } = store.pull(scope(viewer)?, from, PULL_LIMIT).await?;
        Ok(PullResponse { schema: SCHEMA, cursor: next.to_string(), more, changes })
    }
}
