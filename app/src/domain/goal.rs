//! SMART goals: Specific (words that say what), Measurable (a count Pacer keeps, or a
//! manual check-in), Achievable (a warning when far above the person's best),
//! Relevant (to the plan or a skill) and Time-bound (a window with a deadline).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::limits;

/// What a goal counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GoalMetric {
    /// Money received on their deals (kopecks).
    Received,
    /// The amount of deals won (kopecks).
    WonAmount,
    /// Deals won.
    WonCount,
    /// Deals moved into one stage.
    StageMoves,
    /// Calls logged.
    Calls,
    /// The manager's own count, checked in by hand.
    Manual,
}

impl GoalMetric {
    pub const ALL: [GoalMetric; 6] =
        [GoalMetric::Received, GoalMetric::WonAmount, GoalMetric::WonCount, GoalMetric::StageMoves, GoalMetric::Calls, GoalMetric::Manual];

    pub fn as_str(self) -> &'static str {
        match self {
            GoalMetric::Received => "received",
            GoalMetric::WonAmount => "won_amount",
            GoalMetric::WonCount => "won_count",
            GoalMetric::StageMoves => "stage_moves",
            GoalMetric::Calls => "calls",
            GoalMetric::Manual => "manual",
        }
    }

    pub fn parse(s: &str) -> Option<GoalMetric> {
        GoalMetric::ALL.into_iter().find(|m| m.as_str() == s)
    }

    pub fn is_money(self) -> bool {
        matches!(self, GoalMetric::Received | GoalMetric::WonAmount)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Relevance {
    /// Serves the department plan.
    Plan,
    /// Builds a skill.
    Skill,
}

impl Relevance {
    pub fn as_str(self) -> &'static str {
        match self {
            Relevance::Plan => "plan",
            Relevance::Skill => "skill",
        }
    }

    pub fn parse(s: &str) -> Option<Relevance> {
        match s {
            "plan" => Some(Relevance::Plan),
            "skill" => Some(Relevance::Skill),
            _ => None,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GoalStatus {
    /// A manager proposed it; the head has not approved it yet.
    Proposed,
    Active,
    Cancelled,
}

impl GoalStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            GoalStatus::Proposed => "proposed",
            GoalStatus::Active => "active",
            GoalStatus::Cancelled => "cancelled",
        }
    }

    pub fn parse(s: &str) -> Option<GoalStatus> {
        match s {
            "proposed" => Some(GoalStatus::Proposed),
            "active" => Some(GoalStatus::Active),
            "cancelled" => Some(GoalStatus::Cancelled),
            _ => None,
        }
    }
}

/// What is wrong with a goal as written; each names the letter of SMART it misses.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum GoalError {
    /// S: too few words to say what exactly.
    Vague,
    /// S: longer than a goal needs.
    TooLong,
    /// M: no way to count it.
    NoMetric,
    /// M: a stage goal without the stage.
    NoStage,
    /// M: no target, or not a positive number.
    NoTarget,
    /// M: a target above the largest amount or count Pacer keeps.
    TargetTooLarge,
    /// R: neither the plan nor a skill.
    NoRelevance,
    /// T: no deadline.
    NoDeadline,
    /// T: the deadline is before the start, or already past.
    DeadlinePast,
    /// T: the deadline is more than ten years ahead.
    DeadlineTooFar,
    /// R: the note on relevance is longer than free text may be.
    NoteTooLong,
}

/// A goal as typed, before the rules.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct GoalDraft {
    pub title: String,
    pub metric: Option<GoalMetric>,
    pub stage_id: Option<String>,
    pub target: Option<i64>,
    pub starts_on: Option<NaiveDate>,
    pub due_on: Option<NaiveDate>,
    pub relevance: Option<Relevance>,
    pub relevance_note: String,
}

/// A goal that passed the rules.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GoalTerms {
    pub title: String,
    pub metric: GoalMetric,
    pub stage_id: Option<String>,
    pub target: i64,
    pub starts_on: NaiveDate,
    pub due_on: NaiveDate,
    pub relevance: Relevance,
    pub relevance_note: String,
}

/// Words a specific goal needs at least ("Больше продавать" is two).
pub const MIN_WORDS: usize = 3;
pub const MAX_TITLE: usize = 300;

/// Checks a draft against SMART, as of `today`; every problem is reported with the field
/// it concerns. A goal starts today unless a start is given.
pub fn check(draft: &GoalDraft, today: NaiveDate) -> Result<GoalTerms, Vec<(&'static str, GoalError)>> {
    let mut errors = Vec::new();
    let title = draft.title.split_whitespace().collect::<Vec<_>>().join(" ");
    let words = title.split(' ').filter(|w| w.chars().any(char::is_alphanumeric)).count();
    if title.chars().count() > MAX_TITLE {
        errors.push(("title", GoalError::TooLong));
    } else if words < MIN_WORDS {
        errors.push(("title", GoalError::Vague));
    }
    match draft.metric {
        None => errors.push(("metric", GoalError::NoMetric)),
        Some(GoalMetric::StageMoves) if draft.stage_id.as_deref().is_none_or(str::is_empty) => errors.push(("stage", GoalError::NoStage)),
        Some(_) => {}
    }
    match draft.target {
        None => errors.push(("target", GoalError::NoTarget)),
        Some(t) if t <= 0 => errors.push(("target", GoalError::NoTarget)),
        Some(t) if t > max_target(draft.metric) => {
            errors.push(("target", GoalError::TargetTooLarge))
        }
        Some(_) => {}
    }
    let starts_on = draft.starts_on.unwrap_or(today);
    match draft.due_on {
        None => errors.push(("due_on", GoalError::NoDeadline)),
        Some(due) if due < starts_on || due < today => {
            errors.push(("due_on", GoalError::DeadlinePast))
        }
        Some(due) if limits::When::Due.check(due, today).is_err() => {
            errors.push(("due_on", GoalError::DeadlineTooFar))
        }
        Some(_) => {}
    }
    if !limits::fits(&draft.relevance_note, limits::TEXT_LEN) {
        errors.push(("relevance_note", GoalError::NoteTooLong));
    }
    if draft.relevance.is_none() {
        errors.push(("relevance", GoalError::NoRelevance));
    }
    match (errors.is_empty(), draft.metric, draft.target, draft.due_on, draft.relevance) {
        (true, Some(metric), Some(target), Some(due_on), Some(relevance)) => Ok(GoalTerms {
            title,
            metric,
            stage_id: (metric == GoalMetric::StageMoves).then(|| draft.stage_id.clone()).flatten(),
            target,
            starts_on,
            due_on,
            relevance,
            relevance_note: draft.relevance_note.trim().to_string(),
        }),
        _ => Err(errors),
    }
}

/// The largest target a goal on `metric` may have: an amount in kopecks for money,
/// a count otherwise.
pub fn max_target(metric: Option<GoalMetric>) -> i64 {
    if metric.is_some_and(GoalMetric::is_money) {
        limits::MAX_AMOUNT.kopecks()
    } else {
        limits::MAX_COUNT
    }
}

/// Achievable: how many times the goal's target exceeds the person's best month,
/// scaled to the goal's length (a 15-day goal is held to half a best month). `None`
/// when it is within `1.5×`, or there is no history to compare with.
pub fn stretch(target: i64, best_month: i64, starts_on: NaiveDate, due_on: NaiveDate) -> Option<f64> {
    if best_month <= 0 {
        return None;
    }
    let days = (due_on - starts_on).num_days() + 1;
    let reachable = best_month as f64 * days as f64 / 30.0;
    let ratio = target as f64 / reachable;
    (ratio > 1.5).then_some(ratio)
}

/// Progress in percent (0..=100) of `value` toward `target`.
pub fn percent(value: i64, target: i64) -> u32 {
    if target <= 0 {
        return 100;
    }
    u32::try_from((i128::from(value.max(0)) * 100 / i128::from(target)).min(100)).unwrap_or(100)
}

/// Why a manager's check-in on a manual goal is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CheckInError {
    /// Below zero.
    Negative,
    /// Above [`limits::MAX_COUNT`].
    TooLarge,
}

/// Checks what a manager reports done on a manual goal: a count from zero to
/// [`limits::MAX_COUNT`].
pub fn check_in_value(value: i64) -> Result<(), CheckInError> {
    match value {
        v if v < 0 => Err(CheckInError::Negative),
        v if v > limits::MAX_COUNT => Err(CheckInError::TooLarge),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn a_check_in_is_a_count_from_zero_to_a_million() {
        assert_eq!(check_in_value(0), Ok(()));
        assert_eq!(check_in_value(limits::MAX_COUNT), Ok(()));
        assert_eq!(check_in_value(-1), Err(CheckInError::Negative));
        assert_eq!(check_in_value(limits::MAX_COUNT + 1), Err(CheckInError::TooLarge));
        assert_eq!(check_in_value(i64::MAX), Err(CheckInError::TooLarge));
    }

    fn good() -> GoalDraft {
        GoalDraft {
            title: "Провести 40 звонков новым клиентам".into(),
            metric: Some(GoalMetric::Calls),
            target: Some(40),
            due_on: Some(d(2026, 12, 25)),
            relevance: Some(Relevance::Skill),
            relevance_note: "холодные звонки".into(),
            ..GoalDraft::default()
        }
    }

    #[test]
    fn a_smart_goal_passes_and_starts_today() {
        let terms = check(&good(), d(2026, 11, 29)).unwrap();
        assert_eq!(terms.starts_on, d(2026, 11, 29));
        assert_eq!(terms.metric, GoalMetric::Calls);
        assert_eq!(terms.stage_id, None);
    }

    #[test]
    fn a_vague_goal_is_refused_for_every_missing_letter() {
        let vague = GoalDraft { title: "Больше продавать".into(), ..GoalDraft::default() };
        let errors = check(&vague, d(2026, 11, 29)).unwrap_err();
        assert_eq!(errors, vec![
            ("title", GoalError::Vague),
            ("metric", GoalError::NoMetric),
            ("target", GoalError::NoTarget),
            ("due_on", GoalError::NoDeadline),
            ("relevance", GoalError::NoRelevance),
        ]);
        let late = GoalDraft { due_on: Some(d(2026, 11, 28)), ..good() };
        assert_eq!(check(&late, d(2026, 11, 29)).unwrap_err(), vec![("due_on", GoalError::DeadlinePast)]);
        let stage = GoalDraft { metric: Some(GoalMetric::StageMoves), ..good() };
        assert_eq!(check(&stage, d(2026, 11, 29)).unwrap_err(), vec![("stage", GoalError::NoStage)]);
        let dashes = GoalDraft { title: "— — — —".into(), ..good() };
        assert_eq!(check(&dashes, d(2026, 11, 29)).unwrap_err(), vec![("title", GoalError::Vague)]);
    }

    #[test]
    fn a_target_far_above_the_best_month_is_flagged() {
        // Best month 100 calls; a month-long goal of 140 is a stretch, not a warning.
        assert_eq!(stretch(140, 100, d(2026, 12, 1), d(2026, 12, 30)), None);
        let ratio = stretch(400, 100, d(2026, 12, 1), d(2026, 12, 30)).unwrap();
        assert!((ratio - 4.0).abs() < 1e-9);
        // Half a month is held to half the best month.
        assert!(stretch(100, 100, d(2026, 12, 1), d(2026, 12, 15)).is_some());
        assert_eq!(stretch(100, 0, d(2026, 12, 1), d(2026, 12, 15)), None, "no history, no warning");
    }

    proptest! {
        #[test]
        fn percent_stays_between_0_and_100(value in any::<i64>(), target in any::<i64>()) {
            let p = percent(value, target);
            prop_assert!(p <= 100);
            if target > 0 && value >= target {
                prop_assert_eq!(p, 100);
            }
        }
    }
}
