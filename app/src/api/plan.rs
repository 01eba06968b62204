//! Plans: the head sets the department's plan for a month or a quarter and splits it
//! onto the managers; everyone sees the pace to it.

use chrono::{NaiveDate, NaiveDateTime};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::ApiError;
use crate::domain::period::Month;
use crate::domain::plan::{Metric, Pace, PlanPeriod, SplitMethod};
use crate::domain::{Money, UserId};
use crate::i18n::Locale;
#[cfg(feature = "ssr")]
use crate::store::prelude::*;

/// A plan figure in words: money for money metrics (to the ruble: expectations and
/// forecasts are estimates, and shares are split in whole rubles), a plain number of
/// deals otherwise.
pub fn format_value(metric: Metric, value: i64, locale: Locale) -> String {
    if metric.is_money() {
        // Widened, so a total near the 64-bit edge still rounds instead of overflowing.
        let rubles = (i128::from(value) + 50).div_euclid(100);
        Money::from_kopecks(i64::try_from(rubles * 100).unwrap_or(i64::MAX)).format(locale)
    } else {
        value.to_string()
    }
}

/// One manager's line in a month's plan.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ShareLine {
    pub user_id: UserId,
    pub name: String,
    pub target: i64,
    pub pace: Pace,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MonthView {
    pub month: Month,
    pub metric: Metric,
    pub method: SplitMethod,
    pub history_months: u32,
    pub pace: Pace,
    pub shares: Vec<ShareLine>,
}

/// A manager's capacity, which every split takes into account.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MemberLine {
    pub user_id: UserId,
    pub name: String,
    pub load_percent: u32,
    pub works_from: Option<NaiveDate>,
}

/// A proposed new split of the current month: per manager, share now, fact, proposed
/// share, and what they would need per remaining working day.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Proposal {
    pub month: Month,
    pub lines: Vec<(UserId, String, i64, i64, i64, i64)>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HistoryLine {
    /// In the organisation's time zone.
    pub at: NaiveDateTime,
    pub who: String,
    pub action: String,
    pub month: Month,
    pub target: Option<i64>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PlanView {
    pub period: PlanPeriod,
    pub today: NaiveDate,
    /// The months of the period that have a plan.
    pub months: Vec<MonthView>,
    pub members: Vec<MemberLine>,
    pub proposal: Option<Proposal>,
    pub history: Vec<HistoryLine>,
}

impl PlanView {
    /// The period's total target and fact (the months' sums).
    pub fn totals(&self) -> (i64, i64) {
        self.months.iter().fold((0, 0), |(t, f), m| (t + m.pace.plan, f + m.pace.fact))
    }
}

/// A manager's share of this month's plan and their pace to it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MyPlan {
    pub metric: Metric,
    pub pace: Pace,
}

/// The head's plan page for `period` (`YYYY-MM` or `YYYY-Qn`; this month by default).
#[server]
pub async fn department_plan(#[server(default)] period: Option<String>) -> Result<PlanView, ApiError> {
    use super::ssr::*;
    respond(
        async {
            let (head, dept) = head()?;
            let store = store()?;
            let today = today(&head, store.now());
            let period = period.as_deref().and_then(PlanPeriod::parse_key).unwrap_or(PlanPeriod::Month(Month::containing(today)));
            ssr::view(&store, &head, dept, period, today).await
        }
        .await,
    )
}

/// The head sets (or replaces) the plan for a month or a quarter and splits it: a
/// quarter into its months by working days, each month onto the managers by `method`.
#[server]
pub async fn set_plan(period: String, metric: String, target: String, method: String, history_months: String) -> Result<(), ApiError> {
    use super::ssr::*;
    use crate::domain::plan::{HISTORY_MONTHS, history_window, results, split_plan};
    use crate::i18n::Msg;
    respond(
        async {
            let (head, dept) = head()?;
            let store = store()?;
            let period = PlanPeriod::parse_key(&period).ok_or_else(|| ApiError::invalid("period", Msg::ErrPeriod))?;
            let metric = Metric::parse(&metric).ok_or_else(|| ApiError::invalid("metric", Msg::ErrChooseOne))?;
            let target = ssr::parse_target(metric, &target, "target")?;
            let method = SplitMethod::parse(&method).ok_or_else(|| ApiError::invalid("method", Msg::ErrChooseOne))?;
            let history_months: u32 = history_months
                .trim()
                .parse()
                .ok()
                .filter(|n| HISTORY_MONTHS.contains(n))
                .ok_or_else(|| ApiError::invalid("history_months", Msg::ErrHistoryMonths))?;
            let months = period.months();
            let (first, last) = (months[0], months[months.len() - 1]);
            let calendar = store.calendar(head.organisation_id, first.first_day(), last.next_first_day()).await?;
            let members = store.plan_members(dept).await?;
            if members.is_empty() {
                return Err(ApiError::invalid("target", Msg::ErrNoManagers));
            }
            let (history_from, history_to) = history_window(first, history_months);
            let facts = store.facts(dept, metric, history_from, history_to).await?;
            let history = results(&facts, members.iter().map(|m| m.user_id));
            let availability: Vec<_> = members.iter().map(ssr::availability).collect();
            let quarter = matches!(period, PlanPeriod::Quarter { .. }).then(|| period.key());
            let writes = split_plan(target, metric.unit(), method, period, &calendar, &availability, &history)
                .into_iter()
                .map(|split| crate::store::PlanWrite {
                    month: split.month,
                    metric,
                    target: split.target,
                    method,
                    history_months,
                    quarter: quarter.clone(),
                    shares: members.iter().map(|m| m.user_id).zip(split.shares).collect(),
                })
                .collect::<Vec<_>>();
            let detail = serde_json::json!({ "period": period.key(), "method": method.as_str() });
            store.save_plan(dept, head.user_id, &writes, "set_plan", detail).await?;
            Ok(())
        }
        .await,
    )
}

/// The head changes one manager's share of a month: the others absorb the difference
/// (`spread`), or the department plan moves by it.
#[server]
pub async fn edit_plan_share(month: String, user: UserId, target: String, #[server(default)] spread: bool) -> Result<(), ApiError> {
    use super::ssr::*;
    use crate::domain::plan::{EditMode, ShareError, edit_share};
    use crate::i18n::Msg;
    respond(
        async {
            let (head, dept) = head()?;
            let store = store()?;
            let month = Month::parse_key(&month).ok_or(ApiError::NotFound)?;
            let plan = store.month_plans(dept, &[month]).await?.into_iter().next().ok_or(ApiError::NotFound)?;
            let index = plan.shares.iter().position(|s| s.0 == user).ok_or(ApiError::NotFound)?;
            let value = ssr::parse_target(plan.metric, &target, "target")?;
            let current: Vec<i64> = plan.shares.iter().map(|s| s.2).collect();
            let mode = if spread { EditMode::SpreadOverOthers } else { EditMode::ChangeTotal };
            let shares = edit_share(&current, index, value, mode, plan.metric.unit()).map_err(|e| {
                ApiError::invalid("target", match e {
                    ShareError::Negative => Msg::ErrAmount,
                    ShareError::AbovePlan => Msg::ErrShareAbovePlan,
                    ShareError::NoOthers => Msg::ErrShareNoOthers,
                })
            })?;
            let write = plan.by_hand(plan.shares.iter().map(|s| s.0).zip(shares).collect());
            let detail = serde_json::json!({ "user": user.to_string(), "spread": spread, "from": current[index], "to": value });
            store.save_plan(dept, head.user_id, &[write], "edit_share", detail).await?;
            Ok(())
        }
        .await,
    )
}

/// The head accepts this month's rebalancing proposal as it stands now.
#[server]
pub async fn accept_rebalance(month: String) -> Result<(), ApiError> {
    use super::ssr::*;
    use crate::i18n::Msg;
    respond(
        async {
            let (head, dept) = head()?;
            let store = store()?;
            let today = today(&head, store.now());
            let month = Month::parse_key(&month).filter(|m| m.contains(today)).ok_or(ApiError::NotFound)?;
            let view = ssr::view(&store, &head, dept, PlanPeriod::Month(month), today).await?;
            let proposal = view.proposal.ok_or_else(|| ApiError::invalid("proposal", Msg::ErrNothingToRebalance))?;
            let plan = store.month_plans(dept, &[month]).await?.into_iter().next().ok_or(ApiError::NotFound)?;
            let write = plan.by_hand(proposal.lines.iter().map(|l| (l.0, l.4)).collect());
            store.save_plan(dept, head.user_id, &[write], "rebalance", serde_json::json!({})).await?;
            Ok(())
        }
        .await,
    )
}

/// The head sets this month's rebalancing proposal aside for today.
#[server]
pub async fn dismiss_rebalance(month: String) -> Result<(), ApiError> {
    use super::ssr::*;
    respond(
        async {
            let (head, dept) = head()?;
            let month = Month::parse_key(&month).ok_or(ApiError::NotFound)?;
            let store = store()?;
            Ok(store.dismiss_rebalance(dept, head.user_id, month, today(&head, store.now())).await?)
        }
        .await,
    )
}

/// The head sets a manager's load (percent of full time) and first working day; plans
/// split afterwards take them into account.
#[server]
pub async fn set_capacity(user: UserId, load: String, #[server(default)] works_from: String) -> Result<(), ApiError> {
    use super::ssr::*;
    use crate::domain::plan::LOAD_PERCENT;
    use crate::i18n::Msg;
    respond(
        async {
            let (head, dept) = head()?;
            let store = store()?;
            if !store.plan_members(dept).await?.iter().any(|m| m.user_id == user) {
                return Err(ApiError::NotFound);
            }
            let load: u32 = load
                .trim()
                .trim_end_matches('%')
                .trim()
                .parse()
                .ok()
                .filter(|l| LOAD_PERCENT.contains(l))
                .ok_or_else(|| ApiError::invalid("load", Msg::ErrLoad))?;
            let works_from = match works_from.trim() {
                "" => None,
                s => {
                    let day = NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| ApiError::invalid("works_from", Msg::ErrDate))?;
                    crate::domain::limits::When::Due
                        .check(day, today(&head, store.now()))
                        .map_err(|_| ApiError::invalid("works_from", Msg::ErrDateOutOfRange))?;
                    Some(day)
                }
            };
            store.set_capacity(user, head.user_id, load, works_from).await?;
            Ok(())
        }
        .await,
    )
}

#[cfg(feature = "ssr")]
pub mod ssr {
    use crate::store::prelude::*;
    use chrono::NaiveDate;

    use super::{HistoryLine, MemberLine, MonthView, MyPlan, PlanView, Proposal, ShareLine};
    use crate::api::{ApiError, Viewer};
    use crate::domain::clock;
    use crate::domain::period::Month;
    use crate::domain::plan::{Availability, Metric, Pace, PlanPeriod, fact_in, month_pace, offers_rebalance, propose};
    use crate::domain::{DepartmentId, Money, UserId};
    use crate::i18n::Msg;
    use crate::store::{MyShare, PlanChange, PlanMember, Store};

    /// A target as typed: money for money metrics, a whole number of deals otherwise.
    pub fn parse_target(metric: Metric, input: &str, field: &str) -> Result<i64, ApiError> {
        use crate::domain::limits::{MAX_AMOUNT, MAX_COUNT};
        let (value, max, too_large) = if metric.is_money() {
            let amount = Money::parse(input).ok().filter(|m| *m >= Money::ZERO).ok_or_else(|| ApiError::invalid(field, Msg::ErrAmount))?;
            (amount.kopecks(), MAX_AMOUNT.kopecks(), Msg::ErrAmountTooLarge)
        } else {
            let count = input.trim().parse::<i64>().ok().filter(|n| *n >= 0).ok_or_else(|| ApiError::invalid(field, Msg::ErrCount))?;
            (count, MAX_COUNT, Msg::ErrCountTooLarge)
        };
        if value > max {
            Err(ApiError::invalid(field, too_large))
        } else {
            Ok(value)
        }
    }

    /// A member as the plan's splits weigh them.
    pub fn availability(member: &PlanMember) -> Availability {
        Availability { load_percent: member.load_percent, works_from: member.works_from }
    }

    pub async fn view(store: &Store, head: &Viewer, dept: DepartmentId, period: PlanPeriod, today: NaiveDate) -> Result<PlanView, ApiError> {
        let months = period.months();
        let (first, last) = (months[0], months[months.len() - 1]);
        let calendar = store.calendar(head.organisation_id, first.first_day(), last.next_first_day()).await?;
        let plans = store.month_plans(dept, &months).await?;
        let members = store.plan_members(dept).await?;
        let metric = plans.first().map(|p| p.metric).unwrap_or_default();
        let facts = store.facts(dept, metric, first, last.next()).await?;
        let works_from = |u: UserId| members.iter().find(|x| x.user_id == u).and_then(|x| x.works_from);
        let mut views = Vec::new();
        let mut proposal = None;
        for plan in &plans {
            let m = plan.month;
            let dept_pace = month_pace(plan.target, fact_in(&facts, None, m), &calendar, m, None, today);
            let shares: Vec<ShareLine> = plan
                .shares
                .iter()
                .map(|(u, name, target)| ShareLine {
                    user_id: *u,
                    name: name.clone(),
                    target: *target,
                    pace: month_pace(*target, fact_in(&facts, Some(*u), m), &calendar, m, works_from(*u), today),
                })
                .collect();
            if offers_rebalance(m, &dept_pace, plan.dismissed_on, today) {
                let paces: Vec<Pace> = shares.iter().map(|s| s.pace).collect();
                proposal = propose(plan.target, &paces, plan.metric.unit()).map(|new| Proposal {
                    month: m,
                    lines: shares.iter().zip(new).map(|(s, n)| (s.user_id, s.name.clone(), s.target, s.pace.fact, n.share, n.per_day)).collect(),
                });
            }
            views.push(MonthView { month: m, metric: plan.metric, method: plan.method, history_months: plan.history_months, pace: dept_pace, shares });
        }
        let tz = crate::api::ssr::zone(head);
        let history = store
            .plan_history(dept, &months, 30)
            .await?
            .into_iter()
            .map(|PlanChange { at, who, action, detail, month }| {
                let detail: serde_json::Value = serde_json::from_str(&detail).unwrap_or_default();
                HistoryLine {
                    at: clock::local(tz, at),
                    who,
                    action,
                    month,
                    target: detail.get("target").and_then(serde_json::Value::as_i64),
                }
            })
            .collect();
        Ok(PlanView {
            period,
            today,
            months: views,
            members: members
                .into_iter()
                .map(|m| MemberLine { user_id: m.user_id, name: m.name, load_percent: m.load_percent, works_from: m.works_from })
                .collect(),
            proposal,
            history,
        })
    }

    /// The department's pace to the plan of `month`, if it has one.
    pub async fn department_pace(store: &Store, viewer: &Viewer, dept: DepartmentId, month: Month, today: NaiveDate) -> Result<Option<MyPlan>, ApiError> {
        let Some(plan) = store.month_plans(dept, &[month]).await?.into_iter().next() else { return Ok(None) };
        let calendar = store.calendar(viewer.organisation_id, month.first_day(), month.next_first_day()).await?;
        let fact = fact_in(&store.facts(dept, plan.metric, month, month.next()).await?, None, month);
        Ok(Some(MyPlan { metric: plan.metric, pace: month_pace(plan.target, fact, &calendar, month, None, today) }))
    }

    /// A manager's share of the month's plan and pace, if the month has a plan that
    /// includes them.
    pub async fn my_plan(store: &Store, viewer: &Viewer, dept: DepartmentId, user: UserId, today: NaiveDate) -> Result<Option<MyPlan>, ApiError> {
        let month = Month::containing(today);
        let Some(MyShare { metric, share, .. }) = store.my_share(dept, user, month).await? else { return Ok(None) };
        let calendar = store.calendar(viewer.organisation_id, month.first_day(), month.next_first_day()).await?;
        let fact = fact_in(&store.facts(dept, metric, month, month.next()).await?, Some(user), month);
        let from = store.plan_members(dept).await?.into_iter().find(|m| m.user_id == user).and_then(|m| m.works_from);
        Ok(Some(MyPlan { metric, pace: month_pace(share, fact, &calendar, month, from, today) }))
    }
}
