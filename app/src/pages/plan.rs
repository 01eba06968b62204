//! The head's plan: set the department's plan for a month or a quarter, split it onto
//! the managers, watch the pace, edit a share, take or leave a rebalancing proposal.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

use super::action_error;
use crate::api::plan::{
    AcceptRebalance, DismissRebalance, EditPlanShare, MemberLine, MonthView, PlanView, Proposal, SetCapacity, SetPlan, department_plan, format_value,
};
use crate::components::{AppFrame, ErrorNotice, FieldError, FormError, StatCard};
use crate::domain::period::Month;
use crate::domain::plan::{Metric, Pace, PaceStatus, PlanPeriod, SplitMethod};
use crate::i18n::{Locale, Msg, format_date, month_title};
use crate::use_locale;

/// The period in words: "ноябрь 2026" or "4 квартал 2026".
pub fn period_title(locale: Locale, period: PlanPeriod) -> String {
    match period {
        PlanPeriod::Month(m) => month_title(locale, m.year(), m.number()),
        PlanPeriod::Quarter { year, quarter } => {
            locale.t(Msg::QuarterTitle).replace("{q}", &quarter.to_string()).replace("{y}", &year.to_string())
        }
    }
}

fn metric_label(metric: Metric) -> Msg {
    match metric {
        Metric::Received => Msg::MetricReceived,
        Metric::WonAmount => Msg::MetricWonAmount,
        Metric::WonCount => Msg::MetricWonCount,
    }
}

/// The status as a coloured chip.
#[component]
pub fn PaceChip(status: PaceStatus) -> impl IntoView {
    let locale = use_locale();
    let (class, msg) = match status {
        PaceStatus::Done => ("pace pace-done", Msg::StatusDone),
        PaceStatus::OnTrack => ("pace pace-ok", Msg::StatusOnTrack),
        PaceStatus::Close => ("pace pace-close", Msg::StatusClose),
        PaceStatus::Behind => ("pace pace-behind", Msg::StatusBehind),
    };
    view! { <span class=class data-test="pace-status">{locale.t(msg)}</span> }
}

#[component]
pub fn PlanPage() -> impl IntoView {
    let locale = use_locale();
    let query = use_query_map();
    let changed = RwSignal::new(0u32);
    let data = Resource::new(move || (query.read().get("period"), changed.get()), |(period, _)| department_plan(period));
    view! {
        <Title text=format!("{} · {}", locale.t(Msg::PlanTitle), locale.t(Msg::AppName))/>
        <AppFrame>
            <Transition fallback=move || view! { <p class="muted">{locale.t(Msg::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(view) => view! { <PlanBody data=view changed/> }.into_any(),
                        Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                    }
                })}
            </Transition>
        </AppFrame>
    }
}

#[component]
fn PlanBody(data: PlanView, changed: RwSignal<u32>) -> impl IntoView {
    let locale = use_locale();
    let period = data.period;
    let (month_period, quarter_period, previous, next) = match period {
        PlanPeriod::Month(m) => (period, PlanPeriod::quarter_of(m), PlanPeriod::Month(m.previous()), PlanPeriod::Month(m.next())),
        PlanPeriod::Quarter { year, quarter } => {
            let first = period.months()[0];
            let prev = if quarter == 1 { PlanPeriod::Quarter { year: year - 1, quarter: 4 } } else { PlanPeriod::Quarter { year, quarter: quarter - 1 } };
            let next = if quarter == 4 { PlanPeriod::Quarter { year: year + 1, quarter: 1 } } else { PlanPeriod::Quarter { year, quarter: quarter + 1 } };
            let this_month = Month::containing(data.today);
            let month = if period.months().contains(&this_month) { this_month } else { first };
            (PlanPeriod::Month(month), period, prev, next)
        }
    };
    let is_quarter = matches!(period, PlanPeriod::Quarter { .. });
    let href = |p: PlanPeriod| format!("/plan?period={}", p.key());
    let (total, fact) = data.totals();
    let metric = data.months.first().map(|m| m.metric).unwrap_or_default();
    let method = data.months.first().map(|m| m.method).unwrap_or_default();
    let history_months = data.months.first().map(|m| m.history_months).unwrap_or(3);
    let has_plan = !data.months.is_empty();
    view! {
        <header class="page-head page-head-row">
            <div>
                <h1>{locale.t(Msg::PlanTitle)}</h1>
                <nav class="month-nav" aria-label=locale.t(Msg::PlanFor) data-test="period-nav">
                    <A href=href(previous) attr:class="btn btn-small" attr:aria-label=locale.t(Msg::PreviousMonth)>"←"</A>
                    <span class="month-title" data-test="period-title">{period_title(locale, period)}</span>
                    <A href=href(next) attr:class="btn btn-small" attr:aria-label=locale.t(Msg::NextMonth)>"→"</A>
                </nav>
            </div>
            <nav class="filter" aria-label=locale.t(Msg::PlanFor)>
                <a href=href(month_period) class="chip-link" aria-current=(!is_quarter).then_some("true")>{locale.t(Msg::PeriodMonth)}</a>
                <a href=href(quarter_period) class="chip-link" aria-current=is_quarter.then_some("true")>{locale.t(Msg::PeriodQuarter)}</a>
            </nav>
        </header>
        {if has_plan {
            view! {
                <section class="stats">
                    <StatCard label=locale.t(Msg::PlanTarget) value=format_value(metric, total, locale) hint=locale.t(metric_label(metric)).to_string()/>
                    <StatCard label=locale.t(Msg::PlanFact) value=format_value(metric, fact, locale) tone="good"
                        hint=format!("{} %", if total > 0 { crate::domain::plan::attainment(fact, total) } else { 0 })/>
                </section>
            }.into_any()
        } else {
            view! { <p class="notice" data-test="no-plan">{locale.t(Msg::NoPlanYet)}</p> }.into_any()
        }}
        {data.proposal.map(|p| view! { <ProposalPanel proposal=p metric changed/> })}
        {data.months.into_iter().map(|m| view! { <MonthPanel month=m changed show_title=is_quarter/> }).collect_view()}
        <div class="grid-2">
            <SetPlanForm period metric total=has_plan.then_some(total) method history_months changed/>
            <TeamCapacity members=data.members changed/>
        </div>
        {(!data.history.is_empty()).then(|| view! {
            <section class="panel">
                <h2>{locale.t(Msg::PlanHistory)}</h2>
                <ul class="history" data-test="plan-history">
                    {data.history.into_iter().map(|h| {
                        let what = locale.t(match h.action.as_str() {
                            "set_plan" => Msg::HistSetPlan,
                            "edit_share" => Msg::HistEditShare,
                            "rebalance" => Msg::HistRebalance,
                            _ => Msg::HistDismiss,
                        });
                        let at = h.at;
                        view! {
                            <li>
                                <span class="muted">{format!("{} {}", format_date(locale, at.date()), at.format("%H:%M"))}</span>
                                " · "{h.who}" · "{what}" · "{month_title(locale, h.month.year(), h.month.number())}
                                {h.target.map(|t| format!(": {}", format_value(metric, t, locale)))}
                            </li>
                        }
                    }).collect_view()}
                </ul>
            </section>
        })}
    }
}

/// Figures of a pace in the shared order: plan, fact, expected, per day, forecast.
fn pace_cells(locale: Locale, metric: Metric, p: &Pace) -> impl IntoView + use<> {
    let v = move |x: i64| format_value(metric, x, locale);
    view! {
        <td class="num" data-label=locale.t(Msg::PlanShare)>{v(p.plan)}</td>
        <td class="num" data-label=locale.t(Msg::PlanFact)>{v(p.fact)}</td>
        <td class="num" data-label=locale.t(Msg::PlanExpected)>{v(p.expected)}</td>
        <td class="num" data-label=locale.t(Msg::PlanPerDay)><strong>{v(p.per_day)}</strong></td>
        <td class="num" data-label=locale.t(Msg::PlanForecast)>{v(p.forecast)}</td>
        <td data-label=locale.t(Msg::PlanStatus)><PaceChip status=p.status/></td>
    }
}

#[component]
fn MonthPanel(month: MonthView, changed: RwSignal<u32>, show_title: bool) -> impl IntoView {
    let locale = use_locale();
    let metric = month.metric;
    let p = month.pace;
    let key = month.month.key();
    let days = locale.t(Msg::WorkingDaysLeft).replace("{left}", &p.days_left.to_string()).replace("{total}", &p.days_total.to_string());
    let title = month_title(locale, month.month.year(), month.month.number());
    view! {
        <section class="panel wide" data-test="month-plan" data-month=key.clone()>
            <div class="panel-head">
                <h2>{if show_title { title } else { locale.t(Msg::Managers).to_string() }}</h2>
                <span class="muted">{days}</span>
                <PaceChip status=p.status/>
            </div>
            <table class="table" data-test="shares">
                <thead>
                    <tr>
                        <th>{locale.t(Msg::Manager)}</th>
                        <th class="num">{locale.t(Msg::PlanShare)}</th>
                        <th class="num">{locale.t(Msg::PlanFact)}</th>
                        <th class="num">{locale.t(Msg::PlanExpected)}</th>
                        <th class="num">{locale.t(Msg::PlanPerDay)}</th>
                        <th class="num">{locale.t(Msg::PlanForecast)}</th>
                        <th>{locale.t(Msg::PlanStatus)}</th>
                        <th></th>
                    </tr>
                </thead>
                <tbody>
                    {month.shares.into_iter().map(|s| {
                        let key = key.clone();
                        view! {
                            <tr data-test="share-row">
                                <td data-label=locale.t(Msg::Manager)>{s.name.clone()}</td>
                                {pace_cells(locale, metric, &s.pace)}
                                <td><ShareEditor month=key user=s.user_id name=s.name target=s.target metric changed/></td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
                <tfoot>
                    <tr class="total-row">
                        <td>{locale.t(Msg::PlanTitle)}</td>
                        {pace_cells(locale, metric, &p)}
                        <td></td>
                    </tr>
                </tfoot>
            </table>
        </section>
    }
}

/// Changes one manager's share; the difference goes to the others unless the head
/// chooses to move the department plan.
#[component]
fn ShareEditor(month: String, user: crate::domain::UserId, name: String, target: i64, metric: Metric, changed: RwSignal<u32>) -> impl IntoView {
    let locale = use_locale();
    let action = ServerAction::<EditPlanShare>::new();
    let error = action_error(action);
    super::reload_on_success(action, changed);
    let value = if metric.is_money() { crate::domain::Money::from_kopecks(target).plain() } else { target.to_string() };
    view! {
        <details class="share-edit">
            <summary class="btn btn-small" aria-label=format!("{} · {name}", locale.t(Msg::EditShare))>{locale.t(Msg::EditShare)}</summary>
            <ActionForm action attr:class="form" attr:novalidate=true>
                <input type="hidden" name="month" value=month/>
                <input type="hidden" name="user" value=user.to_string()/>
                <label class="field">
                    <span>{format!("{} · {name}", locale.t(Msg::PlanShare))}</span>
                    <input name="target" inputmode="decimal" value=value/>
                    <FieldError error field="target"/>
                </label>
                <label class="check">
                    <input type="checkbox" name="spread" value="true" checked=true/>
                    <span>{locale.t(Msg::SpreadOverOthers)}</span>
                </label>
                <FormError error/>
                <button type="submit" class="btn btn-small btn-primary">{locale.t(Msg::Save)}</button>
            </ActionForm>
        </details>
    }
}

#[component]
fn ProposalPanel(proposal: Proposal, metric: Metric, changed: RwSignal<u32>) -> impl IntoView {
    let locale = use_locale();
    let accept = ServerAction::<AcceptRebalance>::new();
    let dismiss = ServerAction::<DismissRebalance>::new();
    let error = Signal::derive(move || accept.value().get().and_then(|r| r.err()).or(dismiss.value().get().and_then(|r| r.err())));
    super::reload_on_success(accept, changed);
    super::reload_on_success(dismiss, changed);
    let v = move |x: i64| format_value(metric, x, locale);
    let (accept_key, dismiss_key) = (proposal.month.key(), proposal.month.key());
    view! {
        <section class="panel wide proposal" data-test="proposal">
            <h2>{locale.t(Msg::ProposalTitle)}</h2>
            <p class="muted">{locale.t(Msg::ProposalHint)}</p>
            <table class="table">
                <thead>
                    <tr>
                        <th>{locale.t(Msg::Manager)}</th>
                        <th class="num">{locale.t(Msg::ProposalNow)}</th>
                        <th class="num">{locale.t(Msg::PlanFact)}</th>
                        <th class="num">{locale.t(Msg::ProposalNew)}</th>
                        <th class="num">{locale.t(Msg::PlanPerDay)}</th>
                    </tr>
                </thead>
                <tbody>
                    {proposal.lines.into_iter().map(|(_, name, now, fact, new, per_day)| view! {
                        <tr>
                            <td data-label=locale.t(Msg::Manager)>{name}</td>
                            <td class="num" data-label=locale.t(Msg::ProposalNow)>{v(now)}</td>
                            <td class="num" data-label=locale.t(Msg::PlanFact)>{v(fact)}</td>
                            <td class="num" class:warn={new > now} data-label=locale.t(Msg::ProposalNew)><strong>{v(new)}</strong></td>
                            <td class="num" data-label=locale.t(Msg::PlanPerDay)>{v(per_day)}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
            <div class="row-actions">
                <ActionForm action=accept>
                    <input type="hidden" name="month" value=accept_key/>
                    <button type="submit" class="btn btn-primary">{locale.t(Msg::Accept)}</button>
                </ActionForm>
                <ActionForm action=dismiss>
                    <input type="hidden" name="month" value=dismiss_key/>
                    <button type="submit" class="btn">{locale.t(Msg::Dismiss)}</button>
                </ActionForm>
            </div>
            <FieldError error field="proposal"/>
            <FormError error/>
        </section>
    }
}

#[component]
fn SetPlanForm(
    period: PlanPeriod,
    metric: Metric,
    total: Option<i64>,
    method: SplitMethod,
    history_months: u32,
    changed: RwSignal<u32>,
) -> impl IntoView {
    let locale = use_locale();
    let action = ServerAction::<SetPlan>::new();
    let error = action_error(action);
    super::reload_on_success(action, changed);
    let value = total.map(|t| if metric.is_money() { crate::domain::Money::from_kopecks(t).plain() } else { t.to_string() }).unwrap_or_default();
    view! {
        <section class="panel" data-test="set-plan">
            <h2>{format!("{} {}", locale.t(Msg::PlanFor), period_title(locale, period))}</h2>
            <ActionForm action attr:class="form" attr:novalidate=true>
                <input type="hidden" name="period" value=period.key()/>
                <label class="field">
                    <span>{locale.t(Msg::PlanMetric)}</span>
                    <select name="metric">
                        {Metric::ALL.into_iter().map(|m| view! {
                            <option value=m.as_str() selected=m == metric>{locale.t(metric_label(m))}</option>
                        }).collect_view()}
                    </select>
                </label>
                <label class="field">
                    <span>{locale.t(Msg::PlanTarget)}</span>
                    <input name="target" inputmode="decimal" value=value/>
                    <small class="muted">{locale.t(Msg::PlanTargetHint)}</small>
                    <FieldError error field="target"/>
                </label>
                <label class="field">
                    <span>{locale.t(Msg::SplitMethodLabel)}</span>
                    <select name="method">
                        {[(SplitMethod::Equal, Msg::SplitEqual), (SplitMethod::History, Msg::SplitHistory), (SplitMethod::Manual, Msg::SplitManual)]
                            .into_iter()
                            .map(|(m, msg)| view! { <option value=m.as_str() selected=m == method>{locale.t(msg)}</option> })
                            .collect_view()}
                    </select>
                </label>
                <label class="field">
                    <span>{locale.t(Msg::HistoryMonths)}</span>
                    <input name="history_months" inputmode="numeric" value=history_months.to_string()/>
                    <FieldError error field="history_months"/>
                </label>
                <FormError error/>
                <button type="submit" class="btn btn-primary">{locale.t(Msg::SavePlan)}</button>
            </ActionForm>
        </section>
    }
}

#[component]
fn TeamCapacity(members: Vec<MemberLine>, changed: RwSignal<u32>) -> impl IntoView {
    let locale = use_locale();
    view! {
        <section class="panel" data-test="capacity">
            <h2>{locale.t(Msg::TeamCapacity)}</h2>
            <p class="muted">{locale.t(Msg::TeamCapacityHint)}</p>
            <ul class="capacity-rows">
                {members.into_iter().map(|m| view! { <CapacityRow member=m changed/> }).collect_view()}
            </ul>
        </section>
    }
}

#[component]
fn CapacityRow(member: MemberLine, changed: RwSignal<u32>) -> impl IntoView {
    let locale = use_locale();
    let action = ServerAction::<SetCapacity>::new();
    let error = action_error(action);
    super::reload_on_success(action, changed);
    view! {
        <li>
            <ActionForm action attr:class="capacity-form" attr:novalidate=true>
                <input type="hidden" name="user" value=member.user_id.to_string()/>
                <strong class="capacity-name">{member.name.clone()}</strong>
                <label class="field">
                    <span>{locale.t(Msg::LoadPercent)}</span>
                    <input name="load" inputmode="numeric" value=member.load_percent.to_string()
                        aria-label=format!("{} · {}", locale.t(Msg::LoadPercent), member.name)/>
                    <FieldError error field="load"/>
                </label>
                <label class="field">
                    <span>{locale.t(Msg::WorksFrom)}</span>
                    <input type="date" name="works_from" value=member.works_from.map(|d| d.to_string()).unwrap_or_default()/>
                    <FieldError error field="works_from"/>
                </label>
                <button type="submit" class="btn btn-small">{locale.t(Msg::Save)}</button>
                <FormError error/>
            </ActionForm>
        </li>
    }
}
