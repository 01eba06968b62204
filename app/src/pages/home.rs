use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::api::ApiError;
use crate::api::home::{AdminHome, DepartmentHome, HomeData, ManagerHome, ManagerSort, ReassignAll, SetStaleDays, home, manager_card, team};
use crate::components::{AppFrame, BarChart, ErrorNotice, FieldError, FormError, FunnelBar, FunnelChart, StatCard};
use crate::domain::UserId;
use crate::domain::plan::PaceStatus;
use crate::i18n::{Msg, format_date, month_title};
use crate::model::clients::ClientsAndDeals;
use crate::model::people::Person;
use crate::use_locale;

#[component]
pub fn Home() -> impl IntoView {
    let locale = use_locale();
    let query = use_query_map();
    let data = Resource::new(move || (query.read().get("month"), query.read().get("sort")), |(month, sort)| home(month, sort));
    view! {
        <Title text=locale.t(Msg::AppName)/>
        <AppFrame>
            <Suspense fallback=move || view! { <p class="muted">{locale.t(Msg::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(HomeData::Head(d)) => view! { <HeadHome data=d/> }.into_any(),
                        Ok(HomeData::Manager(m)) => view! { <ManagerView data=m title=None/> }.into_any(),
                        Ok(HomeData::Admin(a)) => view! { <AdminHomeView data=a/> }.into_any(),
                        Ok(HomeData::NoDepartment) => view! { <p class="notice">{locale.t(Msg::NoDepartment)}</p> }.into_any(),
                        Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                    }
                })}
            </Suspense>
        </AppFrame>
    }
}

/// The head's card for one manager of the department.
#[component]
pub fn ManagerPage() -> impl IntoView {
    let locale = use_locale();
    let is_head = crate::use_viewer().is_some_and(|v| v.role == crate::domain::user::Role::Head);
    let params = use_params_map();
    let data = Resource::new(
        move || params.read().get("id"),
        |id| async move {
            let id: UserId = id.and_then(|s| s.parse().ok()).ok_or(ApiError::NotFound)?;
            manager_card(id).await
        },
    );
    view! {
        <AppFrame>
            <Suspense fallback=move || view! { <p class="muted">{locale.t(Msg::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(m) => {
                            let name = m.figures.name.clone();
                            let from = m.figures.user_id;
                            view! {
                                <Title text=format!("{name} · {}", locale.t(Msg::AppName))/>
                                <ManagerView data=m title=Some(name)/>
                                {is_head.then(|| view! { <ReassignForm from/> })}
                            }.into_any()
                        }
                        Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                    }
                })}
            </Suspense>
        </AppFrame>
    }
}


#[component]
fn HeadHome(data: DepartmentHome) -> impl IntoView {
    let locale = use_locale();
    let t = data.totals();
    let stale_days = data.stale_after_days;
    let title = month_title(locale, data.month.year(), data.month.number());
    let (sort, month_key, next_month) = (data.sort, data.month.key(), data.month.next());
    // Pipeline, overdue and stale are facts of today; only received and won belong to a
    // past month, so say so rather than pass today's figures off as that month's.
    let past = data.month < data.current;
    let now = move |msg: Msg| if past { format!("{} ({})", locale.t(msg), locale.t(Msg::AsOfToday)) } else { locale.t(msg).to_string() };
    let month_href = move |m: crate::domain::period::Month| format!("/?month={}&sort={}", m.key(), sort.key());
    let rows = data
        .managers
        .into_iter()
        .map(|m| {
            let href = format!("/managers/{}", m.user_id);
            view! {
                <tr>
                    <td data-label=locale.t(Msg::Manager)><A href=href>{m.name}</A></td>
                    <td class="num" data-label=locale.t(Msg::Received)>{m.received.format(locale)}</td>
                    <td class="num" data-label=locale.t(Msg::Forecast)>{m.forecast.format(locale)}</td>
                    <td class="num" data-label=locale.t(Msg::Won)>{m.won_deals}</td>
                    <td class="num" data-label=locale.t(Msg::OpenDeals)>{m.open_deals}</td>
                    <td class="num" data-label=locale.t(Msg::Pipeline)>{m.pipeline.format(locale)}</td>
                    <td class="num" class:warn=!m.overdue.kopecks().eq(&0) data-label=locale.t(Msg::Overdue)>
                        {m.overdue.format(locale)}
                    </td>
                    <td class="num" class:warn=m.stale_deals != 0 data-label=locale.t(Msg::Stale)>{m.stale_deals}</td>
                </tr>
            }
        })
        .collect_view();
    let funnel: Vec<FunnelBar> = data
        .funnel
        .iter()
        .map(|(stage, step)| FunnelBar { label: stage.label(locale), reached: step.reached, percent_of_previous: step.percent_of_previous })
        .collect();
    view! {
        <header class="page-head page-head-row">
            <div>
                <h1>{data.department}</h1>
                <nav class="month-nav" aria-label=locale.t(Msg::Month) data-test="month-nav">
                    <A href=month_href(data.month.previous()) attr:class="btn btn-small" attr:aria-label=locale.t(Msg::PreviousMonth)>"←"</A>
                    <span class="month-title">{title}</span>
                    {(data.month < data.current).then(|| view! {
                        <A href=month_href(next_month) attr:class="btn btn-small" attr:aria-label=locale.t(Msg::NextMonth)>"→"</A>
                    })}
                </nav>
            </div>
            <div class="head-actions">
                <A href="/board" attr:class="btn btn-small">{locale.t(Msg::NavBoard)}</A>
                <A href="/audit" attr:class="btn btn-small">{locale.t(Msg::AuditTitle)}</A>
            </div>
        </header>
        <section class="stats">
            <StatCard label=locale.t(Msg::ReceivedThisMonth) value=t.received.format(locale) tone="good"
                hint=format!("{}: {}", locale.t(Msg::WonThisMonth), t.won_deals)/>
            <StatCard label=locale.t(Msg::ForecastThisMonth) value=t.forecast.format(locale)
                hint=locale.t(Msg::ForecastHint).to_string()/>
            <StatCard label=now(Msg::OpenPipeline) value=t.pipeline.format(locale)
                hint=format!("{}: {}", locale.t(Msg::OpenDeals), t.open_deals)/>
            <StatCard label=now(Msg::OverduePayments) value=t.overdue.format(locale)
                tone={if t.overdue.kopecks() > 0 { "bad" } else { "" }}
                hint=format!("{}: {} ({} {stale_days})", locale.t(Msg::StaleDeals), t.stale_deals, locale.t(Msg::StaleHint))/>
        </section>
        {past.then(|| view! { <p class="muted" data-test="past-month-note">{locale.t(Msg::PastMonthNote)}</p> })}
        {data.plan.map(|plan| {
            let p = plan.pace;
            let v = move |x: i64| crate::api::plan::format_value(plan.metric, x, locale);
            let percent = p.percent();
            view! {
                <A href=format!("/plan?period={month_key}") attr:class="plan-strip" attr:data-test="plan-strip">
                    <span><strong>{locale.t(Msg::PlanTitle)}": "</strong>{v(p.fact)}" / "{v(p.plan)}{format!(" ({percent} %)")}</span>
                    <span>{locale.t(Msg::PlanPerDay)}": "<strong>{v(p.per_day)}</strong></span>
                    <super::plan::PaceChip status=p.status/>
                </A>
            }
        })}
        <section class="panel wide">
                <h2>{locale.t(Msg::Managers)}</h2>
                <table class="table" data-test="managers">
                    <thead>
                        <tr>
                            {ManagerSort::ALL.into_iter().map(|by| {
                                let label = locale.t(match by {
                                    ManagerSort::Name => Msg::Manager,
                                    ManagerSort::Received => Msg::Received,
                                    ManagerSort::Forecast => Msg::Forecast,
                                    ManagerSort::Won => Msg::Won,
                                    ManagerSort::Open => Msg::OpenDeals,
                                    ManagerSort::Pipeline => Msg::Pipeline,
                                    ManagerSort::Overdue => Msg::Overdue,
                                    ManagerSort::Stale => Msg::Stale,
                                });
                                let on = by == sort;
                                let order = if by == ManagerSort::Name { "ascending" } else { "descending" };
                                view! {
                                    <th class:num=by != ManagerSort::Name aria-sort=on.then_some(order)>
                                        <A href=format!("/?month={month_key}&sort={}", by.key()) attr:class="sort-link">{label}{on.then_some(" ▾")}</A>
                                    </th>
                                }
                            }).collect_view()}
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
        </section>
        <div class="grid-2">
            <section class="panel">
                <BarChart data=data.by_month title=locale.t(Msg::ReceivedByMonth)/>
            </section>
            <section class="panel">
                <FunnelChart steps=funnel title=format!("{} {}", locale.t(Msg::ConversionSince), format_date(locale, data.funnel_since))/>
            </section>
        </div>
        <StaleSetting days=stale_days/>
    }
}

/// The head's "stale after N days" setting.
#[component]
fn StaleSetting(days: u32) -> impl IntoView {
    let locale = use_locale();
    let action = ServerAction::<SetStaleDays>::new();
    let error = super::action_error(action);
    Effect::new(move || {
        if let Some(Ok(())) = action.value().get() {
            crate::reload_to("/");
        }
    });
    view! {
        <section class="panel">
            <ActionForm action attr:class="form" attr:novalidate=true>
                <label class="field">
                    <span>{locale.t(Msg::StaleSetting)}</span>
                    <input type="number" name="days" min="1" max="365" inputmode="numeric" value=days.to_string()/>
                    <FieldError error field="days"/>
                </label>
                <FormError error/>
                <button type="submit" class="btn">{locale.t(Msg::Save)}</button>
            </ActionForm>
        </section>
    }
}

#[component]
fn ManagerView(data: ManagerHome, title: Option<String>) -> impl IntoView {
    let locale = use_locale();
    let f = &data.figures;
    let heading = title.unwrap_or_else(|| format!("{}, {}", locale.t(Msg::HomeGreeting), first_name(&f.name)));
    let steps = if data.next_steps.is_empty() {
        view! { <p class="muted">{locale.t(Msg::NextStepsEmpty)}</p> }.into_any()
    } else {
        let today = data.today;
        data.next_steps
            .into_iter()
            .map(|s| {
                let overdue = s.due_on < today;
                let due = if overdue {
                    format!("{} {}", locale.t(Msg::OverdueSince), format_date(locale, s.due_on))
                } else {
                    locale.t(Msg::DueToday).to_string()
                };
                view! {
                    <li class="step" class:overdue=overdue>
                        <div class="step-main">
                            <A href=format!("/deals/{}", s.deal_id) attr:class="step-title">{s.next_step}</A>
                            <div class="step-meta">{s.client}" · "{s.title}</div>
                        </div>
                        <div class="step-side">
                            <div class="step-amount">{s.amount.format(locale)}</div>
                            <div class="step-due">{due}</div>
                        </div>
                    </li>
                }
            })
            .collect_view()
            .into_any()
    };
    let plan = match data.plan {
        Some(plan) => {
            let p = plan.pace;
            let v = move |x: i64| crate::api::plan::format_value(plan.metric, x, locale);
            let percent = move |x: i64| crate::domain::plan::attainment(x, p.plan).clamp(0, 100).to_string();
            let days = locale.t(Msg::WorkingDaysLeft).replace("{left}", &p.days_left.to_string()).replace("{total}", &p.days_total.to_string());
            view! {
                <section class=format!("today-plan today-{:?}", p.status).to_lowercase() data-test="today-plan">
                    {if p.status == PaceStatus::Done {
                        view! {
                            <div class="today-label">{locale.t(Msg::PlanMadeHeadline)}</div>
                            <div class="today-value" data-test="per-day">{v(p.fact)}</div>
                            <div class="today-hint">{locale.t(Msg::PlanMadeHint).replace("{fact}", &v(p.fact)).replace("{plan}", &v(p.plan))}</div>
                        }.into_any()
                    } else {
                        view! {
                            <div class="today-label">{locale.t(Msg::YourPlanToday)}</div>
                            <div class="today-value" data-test="per-day">{v(p.per_day)}</div>
                            <div class="today-hint">
                                {locale.t(Msg::YourPlanHint).replace("{fact}", &v(p.fact)).replace("{plan}", &v(p.plan))}
                            </div>
                        }.into_any()
                    }}
                    <div class="today-foot">
                        <super::plan::PaceChip status=p.status/>
                        <span class="muted">{days}</span>
                    </div>
                    // Drawn as SVG: the page's CSP allows no inline styles.
                    <svg class="today-bar" viewBox="0 0 100 10" preserveAspectRatio="none" aria-hidden="true">
                        <rect class="today-track" x="0" y="2" width="100" height="6" rx="3"></rect>
                        <rect class="today-fill" x="0" y="2" width=percent(p.fact) height="6" rx="3"></rect>
                        <rect class="today-expected" x=percent(p.expected) y="0" width="0.8" height="10"></rect>
                    </svg>
                </section>
            }.into_any()
        }
        None => view! { <p class="notice" data-test="no-personal-plan">{locale.t(Msg::NoPersonalPlan)}</p> }.into_any(),
    };
    // With a cadence, the report is one tap away; due or missed ones say so.
    let report = data.reports.filter(|r| r.period_day.is_some()).map(|r| {
        let missed = (!r.state.overdue.is_empty()).then(|| locale.t(Msg::ReportsOverdue).replace("{n}", &r.state.overdue.len().to_string()));
        let headline = if r.state.due_today {
            Msg::ReportDueToday
        } else if r.current.is_some() {
            Msg::ReportSentShort
        } else {
            Msg::ReportTitle
        };
        view! {
            <A href="/report" attr:class="report-due" attr:data-test="report-due">
                <strong>{locale.t(headline)}</strong>
                {missed.map(|m| view! { <span class="warn">{m}</span> })}
                <span aria-hidden="true">"→"</span>
            </A>
        }
    });
    view! {
        <header class="page-head">
            <h1>{heading}</h1>
            <p class="muted">{locale.t(Msg::ThisMonth)}": "{month_title(locale, data.month.year(), data.month.number())}</p>
        </header>
        {plan}
        {report}
        <section class="stats">
            <StatCard label=locale.t(Msg::ReceivedThisMonth) value=f.received.format(locale) tone="good"
                hint=format!("{}: {}", locale.t(Msg::WonThisMonth), f.won_deals)/>
            <StatCard label=locale.t(Msg::ForecastThisMonth) value=f.forecast.format(locale)
                hint=locale.t(Msg::ForecastHint).to_string()/>
            <StatCard label=locale.t(Msg::OpenPipeline) value=f.pipeline.format(locale)
                hint=format!("{}: {} · {}: {}", locale.t(Msg::OpenDeals), f.open_deals, locale.t(Msg::Stale), f.stale_deals)/>
            <StatCard label=locale.t(Msg::OverduePayments) value=f.overdue.format(locale)
                tone={if f.overdue.kopecks() > 0 { "bad" } else { "" }}/>
        </section>
        <div class="grid-2">
            <section class="panel">
                <h2>{locale.t(Msg::NextSteps)}</h2>
                <ul class="steps" data-test="next-steps">{steps}</ul>
            </section>
            <section class="panel">
                <BarChart data=data.by_month.clone() title=locale.t(Msg::ReceivedByMonth)/>
            </section>
        </div>
    }
}

#[component]
fn AdminHomeView(data: AdminHome) -> impl IntoView {
    let locale = use_locale();
    view! {
        <header class="page-head"><h1>{locale.t(Msg::NavAdmin)}</h1></header>
        <section class="stats">
            <StatCard label=locale.t(Msg::Departments) value=data.departments.to_string()/>
            <StatCard label=locale.t(Msg::ActiveUsers) value=data.active_users.to_string()/>
        </section>
        <p class="notice">{locale.t(Msg::AdminHomeHint)}" "<A href="/admin">{locale.t(Msg::NavAdmin)}</A></p>
    }
}

fn first_name(full: &str) -> &str {
    full.split_whitespace().next().unwrap_or(full)
}


/// The head hands a manager's whole book to a colleague.
#[component]
fn ReassignForm(from: UserId) -> impl IntoView {
    let locale = use_locale();
    let action = ServerAction::<ReassignAll>::new();
    let error = super::action_error(action);
    let colleagues = Resource::new(|| (), |_| team());
    let done = move || {
        action.value().get().and_then(|r| r.ok()).map(|ClientsAndDeals { clients: c, deals: d }| {
            locale.t(Msg::Reassigned).replace("{c}", &c.to_string()).replace("{d}", &d.to_string())
        })
    };
    view! {
        <section class="panel narrow" data-test="reassign">
            <h2>{locale.t(Msg::ReassignTitle)}</h2>
            <p class="muted">{locale.t(Msg::ReassignHint)}</p>
            <ActionForm action attr:class="form" attr:novalidate=true>
                <input type="hidden" name="from" value=from.to_string()/>
                <label class="field">
                    <span>{locale.t(Msg::ReassignTo)}</span>
                    <select name="to">
                        <Suspense fallback=|| ()>
                            {move || Suspend::new(async move {
                                colleagues.await.map(|list| list.into_iter().filter(|p| p.id != from)
                                    .map(|Person { id, name }| view! { <option value=id.to_string()>{name}</option> }).collect_view()).ok()
                            })}
                        </Suspense>
                    </select>
                    <FieldError error field="to"/>
                </label>
                <FormError error/>
                {move || done().map(|t| view! { <p class="form-ok" role="status">{t}</p> })}
                // It moves a whole book of business: one more click to be sure.
                <details class="reset">
                    <summary class="btn btn-danger">{locale.t(Msg::Reassign)}</summary>
                    <p>{locale.t(Msg::ReassignConfirm)}</p>
                    <button type="submit" class="btn btn-danger" data-test="reassign-confirm">{locale.t(Msg::Reassign)}</button>
                </details>
            </ActionForm>
        </section>
    }
}
