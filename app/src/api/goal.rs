//! SMART goals: the head sets them for managers; a manager proposes their own, which
//! the head approves; progress of data-backed goals counts itself.

use crate::model::people::Person;
use chrono::NaiveDate;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::ApiError;
use super::deals::StageOption;
use crate::domain::goal::{GoalMetric, GoalStatus, Relevance};
use crate::domain::{GoalId, Money, UserId};
use crate::i18n::Locale;
#[cfg(feature = "ssr")]
use crate::store::prelude::*;

/// A goal's figure in words: money for money metrics, a plain number otherwise.
pub fn format_goal_value(metric: GoalMetric, value: i64, locale: Locale) -> String {
    if metric.is_money() { Money::from_kopecks(value).format(locale) } else { value.to_string() }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GoalLine {
    pub id: GoalId,
    pub user_id: UserId,
    pub user_name: String,
    pub title: String,
    pub metric: GoalMetric,
    pub stage: Option<StageOption>,
    pub target: i64,
    pub progress: i64,
    pub percent: u32,
    pub starts_on: NaiveDate,
    pub due_on: NaiveDate,
    pub relevance: Relevance,
    pub relevance_note: String,
    pub status: GoalStatus,
    /// How many times the target exceeds the person's best month (scaled), when over 1.5.
    pub stretch: Option<f64>,
    pub mine: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GoalsView {
    pub today: NaiveDate,
    pub is_head: bool,
    pub goals: Vec<GoalLine>,
    /// Whom a goal can be set for (a head: the managers; a manager: themselves).
    pub people: Vec<Person>,
    pub stages: Vec<StageOption>,
}

/// A head sees the department's goals, a manager their own.
#[server]
pub async fn goal_list() -> Result<GoalsView, ApiError> {
    use super::ssr::*;
    use crate::domain::user::Role;
    respond(
        async {
            let viewer = viewer_with_role(&[Role::Head, Role::Manager])?;
            let store = store()?;
            let today = today(&viewer, store.now());
            let scope = list_scope(&store, &viewer, None).await?;
            let stages = store.stages(scope.department).await?;
            let rows = store.goals(scope.department, scope.owner, today).await?;
            let mut goals = Vec::with_capacity(rows.len());
            // One count per goal: a department keeps tens of live goals, not thousands.
            for row in rows {
                goals.push(ssr::line(&store, row, &stages, &viewer, today).await?);
            }
            let people = if viewer.role == Role::Head { scope.managers } else { vec![Person { id: viewer.user_id, name: viewer.name.clone() }] };
            Ok(GoalsView { today, is_head: viewer.role == Role::Head, goals, people, stages })
        }
        .await,
    )
}

/// A goal is set: by the head for a manager of the department (active at once), or by a
/// manager for themselves (proposed, until the head approves). Refused, field by field,
/// unless it is SMART. Returns the stretch warning, if any.
#[server]
pub async fn save_goal(
    #[server(default)] user: Option<UserId>,
    title: String,
    #[server(default)] metric: String,
    #[server(default)] stage: String,
    #[server(default)] target: String,
    #[server(default)] due_on: String,
    #[server(default)] relevance: String,
    #[server(default)] relevance_note: String,
) -> Result<Option<f64>, ApiError> {
    use super::ssr::*;
    use crate::domain::goal::{GoalDraft, check, stretch};
    use crate::domain::user::Role;
    use crate::i18n::Msg;
    respond(
        async {
            let viewer = viewer_with_role(&[Role::Head, Role::Manager])?;
            let dept = viewer.department_id.ok_or(ApiError::NotFound)?;
            let store = store()?;
            let today = today(&viewer, store.now());
            let (owner, status) = match viewer.role {
                Role::Head => {
                    let user = user.ok_or_else(|| ApiError::invalid("user", Msg::ErrChooseOne))?;
                    if !store.department_managers(dept).await?.iter().any(|m| m.id == user) {
                        return Err(ApiError::invalid("user", Msg::ErrChooseOne));
                    }
                    (user, GoalStatus::Active)
                }
                _ => (viewer.user_id, GoalStatus::Proposed),
            };
            let metric = GoalMetric::parse(metric.trim());
            let stage = stage.trim().to_string();
            if metric == Some(GoalMetric::StageMoves) && !stage.is_empty() && !store.stages(dept).await?.iter().any(|s| s.id == stage) {
                return Err(ApiError::invalid("stage", Msg::ErrChooseOne));
            }
            let target = match metric {
                Some(m) if m.is_money() => Money::parse(&target).ok().map(Money::kopecks),
                _ => target.trim().parse::<i64>().ok(),
            };
            let draft = GoalDraft {
                title,
                metric,
                stage_id: (!stage.is_empty()).then_some(stage),
                target,
                starts_on: None,
                due_on: NaiveDate::parse_from_str(due_on.trim(), "%Y-%m-%d").ok(),
                relevance: Relevance::parse(relevance.trim()),
                relevance_note,
            };
            let terms = check(&draft, today).map_err(|errors| {
                let (field, e) = errors[0];
                ApiError::invalid(field, ssr::goal_message(e))
            })?;
            store.insert_goal(dept, owner, &terms, status, viewer.user_id).await?;
            let best = store.best_month(owner, terms.metric, terms.stage_id.as_deref(), today).await?;
            Ok(stretch(terms.target, best, terms.starts_on, terms.due_on))
        }
        .await,
    )
}

/// The head approves a proposed goal or cancels any goal of the department; a manager may
/// withdraw their own proposal.
#[server]
pub async fn set_goal_status(goal: GoalId, status: String) -> Result<(), ApiError> {
    use super::ssr::*;
    use crate::domain::user::Role;
    use crate::i18n::Msg;
    respond(
        async {
            let viewer = viewer_with_role(&[Role::Head, Role::Manager])?;
            let store = store()?;
            let row = store.goal(goal).await?.ok_or(ApiError::NotFound)?;
            if !may_see(&viewer, row.user_id, row.department_id) {
                return Err(ApiError::NotFound);
            }
            let status = GoalStatus::parse(status.trim()).ok_or_else(|| ApiError::invalid("status", Msg::ErrChooseOne))?;
            let allowed = match viewer.role {
                Role::Head => status == GoalStatus::Cancelled || (status == GoalStatus::Active && row.status == GoalStatus::Proposed),
                _ => status == GoalStatus::Cancelled && row.status == GoalStatus::Proposed,
            };
            if !allowed {
                return Err(ApiError::Forbidden);
            }
            store.set_goal_status(goal, status, viewer.user_id).await?;
            Ok(())
        }
        .await,
    )
}

/// The message for a refused check-in, the same on the device and the server.
pub fn check_in_msg(e: crate::domain::goal::CheckInError) -> crate::i18n::Msg {
    use crate::i18n::Msg;
    match e {
        crate::domain::goal::CheckInError::Negative => Msg::ErrCount,
        crate::domain::goal::CheckInError::TooLarge => Msg::ErrCountTooLarge,
    }
}

#[cfg(feature = "ssr")]
pub mod ssr {
    use crate::store::prelude::*;
    use chrono::NaiveDate;

    use super::GoalLine;
    use crate::api::deals::StageOption;
    use crate::api::write::WriteError;
    use crate::api::{ApiError, Viewer};
    use crate::domain::goal::{GoalError, GoalMetric, percent, stretch};
    use crate::i18n::Msg;
    use crate::store::{GoalRow, Store, Tx};

    /// A manager's own count on their own manual goal (proposed or active, not
    /// cancelled); returns the goal's new version.
    pub async fn check_in(tx: &mut Tx, viewer: &Viewer, goal: crate::domain::GoalId, value: i64) -> Result<i64, WriteError> {
        use crate::domain::goal::GoalStatus;
        use crate::domain::user::Role;
        if viewer.role != Role::Manager {
            return Err(WriteError::Forbidden);
        }
        let row = tx.goal(goal).await?.filter(|g| g.user_id == viewer.user_id).ok_or(WriteError::NotFound)?;
        if row.terms.metric != GoalMetric::Manual || row.status == GoalStatus::Cancelled {
            return Err(WriteError::invalid("value", Msg::ErrNotManualGoal));
        }
        crate::domain::goal::check_in_value(value).map_err(|e| WriteError::invalid("value", super::check_in_msg(e)))?;
        Ok(tx.check_in_goal(goal, value, viewer.user_id).await?)
    }

    pub fn goal_message(e: GoalError) -> Msg {
        match e {
            GoalError::Vague => Msg::ErrGoalVague,
            GoalError::TooLong => Msg::ErrGoalTitleTooLong,
            GoalError::TargetTooLarge => Msg::ErrGoalTargetTooLarge,
            GoalError::DeadlineTooFar => Msg::ErrDateTooLate,
            GoalError::NoteTooLong => Msg::ErrTextTooLong,
            GoalError::NoMetric => Msg::ErrGoalMetric,
            GoalError::NoStage => Msg::ErrGoalStage,
            GoalError::NoTarget => Msg::ErrGoalTarget,
            GoalError::NoRelevance => Msg::ErrGoalRelevance,
            GoalError::NoDeadline => Msg::ErrGoalDeadline,
            GoalError::DeadlinePast => Msg::ErrGoalDeadlinePast,
        }
    }

    /// A goal with its progress counted up to today (or its deadline).
    pub async fn line(store: &Store, row: GoalRow, stages: &[StageOption], viewer: &Viewer, today: NaiveDate) -> Result<GoalLine, ApiError> {
        let t = &row.terms;
        let progress = if t.metric == GoalMetric::Manual {
            row.manual_progress
        } else {
            let zone = crate::api::ssr::zone(viewer);
            store.goal_count(row.user_id, t.metric, t.stage_id.as_deref(), t.starts_on, t.due_on.min(today), zone).await?
        };
        let best = store.best_month(row.user_id, t.metric, t.stage_id.as_deref(), today).await?;
        Ok(GoalLine {
            id: row.id,
            user_id: row.user_id,
            user_name: row.user_name,
            title: t.title.clone(),
            metric: t.metric,
            stage: t.stage_id.as_ref().and_then(|s| stages.iter().find(|x| &x.id == s).cloned()),
            target: t.target,
            progress,
            percent: percent(progress, t.target),
            starts_on: t.starts_on,
            due_on: t.due_on,
            relevance: t.relevance,
            relevance_note: t.relevance_note.clone(),
            status: row.status,
            stretch: stretch(t.target, best, t.starts_on, t.due_on),
            mine: row.user_id == viewer.user_id,
        })
    }
}
