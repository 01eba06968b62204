//! The department's pipeline: the board of open deals by stage, and the stages
//! themselves, which the head edits.

use crate::model::people::Person;
use chrono::NaiveDate;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use super::ApiError;
use super::deals::StageOption;
use crate::domain::{Money, UserId};
pub use crate::model::deals::BoardColumn;
#[cfg(feature = "ssr")]
use crate::store::prelude::*;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Board {
    pub today: NaiveDate,
    pub columns: Vec<BoardColumn>,
    /// The won and lost stages, where deals are dropped to close them, with what was
    /// won and lost this month.
    pub closed: Vec<(StageOption, i64, Money)>,
    /// For a head: the department's managers, to filter by. Empty for a manager.
    pub managers: Vec<Person>,
}

/// Cards per column: the board shows the biggest deals; the list and filters reach the rest.
pub const BOARD_CARDS: i64 = 50;

/// The pipeline board: a head sees the department (or one manager), a manager their own deals.
#[server]
pub async fn pipeline_board(#[server(default)] manager: Option<UserId>) -> Result<Board, ApiError> {
    use super::ssr::*;
    use crate::domain::deal::Outcome;
    use crate::domain::period::Month;
    use crate::domain::user::Role;
    respond(
        async {
            let viewer = viewer_with_role(&[Role::Head, Role::Manager])?;
            let store = store()?;
            let today = today(&viewer, store.now());
            let ListScope { department: dept, owner, managers } = list_scope(&store, &viewer, manager).await?;
            let stages = store.stages(dept).await?;
            let columns = store
                .board(dept, owner, &stages, BOARD_CARDS)
                .await?;
            let month = Month::containing(today);
            let closed_now = store.closed_between(dept, owner, month.first_day(), month.next_first_day()).await?;
            let closed = stages
                .into_iter()
                .filter(|s| s.outcome != Outcome::Open)
                .map(|s| {
                    let (n, amount) = closed_now.iter().find(|c| c.outcome == s.outcome).map(|c| (c.count, c.amount)).unwrap_or((0, Money::ZERO));
                    (s, n, amount)
                })
                .collect();
            Ok(Board { today, columns, closed, managers })
        }
        .await,
    )
}

/// A stage as the head edits it: how many live deals stand there.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StageRow {
    pub stage: StageOption,
    pub deals: i64,
}

/// The department's stages in order, for the head's pipeline settings.
#[server]
pub async fn pipeline_stages() -> Result<Vec<StageRow>, ApiError> {
    use super::ssr::*;
    respond(
        async {
            let (_, dept) = head()?;
            let store = store()?;
            let counts = store.deals_per_stage(dept).await?;
            Ok(store
                .stages(dept)
                .await?
                .into_iter()
                .map(|stage| {
                    let deals = counts.iter().find(|c| c.stage_id == stage.id).map(|c| c.deals).unwrap_or(0);
                    StageRow { stage, deals }
                })
                .collect())
        }
        .await,
    )
}

/// Renames a stage and sets its win probability. Won and lost keep 100 % and 0 %.
#[server]
pub async fn save_stage(stage: String, name: String, probability: String) -> Result<(), ApiError> {
    use super::ssr::*;
    use crate::domain::deal::Outcome;
    use crate::domain::pipeline;
    respond(
        async {
            let (head, dept) = head()?;
            let store = store()?;
            let stages = store.stages(dept).await?;
            let current = stages.iter().find(|s| s.id == stage).ok_or(ApiError::NotFound)?;
            let others = ssr::names_of(stages.iter().filter(|s| s.id != stage));
            let name = pipeline::stage_name(&name, &others).map_err(|e| ssr::stage_error("name", e))?;
            let probability = match current.outcome {
                Outcome::Open => pipeline::probability(&probability).map_err(|e| ssr::stage_error("probability", e))?,
                _ => current.probability,
            };
            store.update_stage(dept, &stage, &name, probability, head.user_id).await?;
            Ok(())
        }
        .await,
    )
}

/// Moves an open stage one place earlier (`direction` = "up") or later.
#[server]
pub async fn move_stage(stage: String, direction: String) -> Result<(), ApiError> {
    use super::ssr::*;
    use crate::domain::pipeline::{self, StageError};
    respond(
        async {
            let (head, dept) = head()?;
            let store = store()?;
            let stages: Vec<_> = store.stages(dept).await?.into_iter().map(|s| (s.id, s.outcome)).collect();
            if !stages.iter().any(|s| s.0 == stage) {
                return Err(ApiError::NotFound);
            }
            let order = pipeline::reorder(&stages, &stage, direction == "up")
                .ok_or_else(|| ssr::stage_error("stage", StageError::ClosedStage))?;
            store.reorder_stages(dept, &order, head.user_id).await?;
            Ok(())
        }
        .await,
    )
}

/// Adds an open stage before won and lost.
#[server]
pub async fn add_stage(name: String, probability: String) -> Result<(), ApiError> {
    use super::ssr::*;
    use crate::domain::pipeline;
    respond(
        async {
            let (head, dept) = head()?;
            let store = store()?;
            let stages = store.stages(dept).await?;
            let name = pipeline::stage_name(&name, &ssr::names_of(stages.iter())).map_err(|e| ssr::stage_error("name", e))?;
            let probability = pipeline::probability(&probability).map_err(|e| ssr::stage_error("probability", e))?;
            store.add_stage(dept, &name, probability, head.user_id).await?;
            Ok(())
        }
        .await,
    )
}

/// Removes an open stage with no deals, as long as another open stage remains.
#[server]
pub async fn delete_stage(stage: String) -> Result<(), ApiError> {
    use super::ssr::*;
    use crate::domain::deal::Outcome;
    use crate::domain::pipeline::StageError;
    respond(
        async {
            let (head, dept) = head()?;
            let store = store()?;
            let stages = store.stages(dept).await?;
            let current = stages.iter().find(|s| s.id == stage).ok_or(ApiError::NotFound)?;
            if current.outcome != Outcome::Open {
                return Err(ssr::stage_error("stage", StageError::ClosedStage));
            }
            if stages.iter().filter(|s| s.outcome == Outcome::Open).count() < 2 {
                return Err(ssr::stage_error("stage", StageError::LastOpenStage));
            }
            if store.stage_in_use(dept, &stage).await? {
                return Err(ssr::stage_error("stage", StageError::HasDeals));
            }
            store.delete_stage(dept, &stage, head.user_id).await?;
            Ok(())
        }
        .await,
    )
}

#[cfg(feature = "ssr")]
mod ssr {
    use super::StageOption;
    use crate::api::ApiError;
    use crate::domain::pipeline::StageError;
    use crate::i18n::{Locale, Msg};

    /// Every name a stage goes by, in both languages, for the uniqueness check.
    pub fn names_of<'a>(stages: impl Iterator<Item = &'a StageOption>) -> Vec<String> {
        stages.flat_map(|s| Locale::ALL.map(|l| s.label(l))).collect()
    }

    pub fn stage_error(field: &str, e: StageError) -> ApiError {
        let msg = match e {
            StageError::NameEmpty => Msg::ErrStageNameEmpty,
            StageError::NameTooLong => Msg::ErrStageNameTooLong,
            StageError::NameTaken => Msg::ErrStageNameTaken,
            StageError::ProbabilityInvalid => Msg::ErrProbability,
            StageError::HasDeals => Msg::ErrStageHasDeals,
            StageError::LastOpenStage => Msg::ErrLastOpenStage,
            StageError::ClosedStage => Msg::ErrClosedStage,
        };
        ApiError::invalid(field, msg)
    }
}
