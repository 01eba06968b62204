//! Reports on a cadence: the manager's form ("done, plan, blockers") and the head's view
//! of who reports how often, who is due and who is late.

use leptos::prelude::*;
use leptos_meta::Title;

use super::action_error;
use crate::api::report::{MyReports, ReportText, SetCadence, TeamReports, my_reporting, team_reporting};
use crate::components::{AppFrame, ErrorNotice, FieldError, FormError};
use crate::domain::report::Cadence;
use crate::i18n::{Locale, Msg, format_date};
use crate::use_locale;

fn cadence_label(c: Cadence) -> Msg {
    match c {
        Cadence::None => Msg::CadenceNone,
        Cadence::Daily => Msg::CadenceDaily,
        Cadence::Weekly => Msg::CadenceWeekly,
    }
}

fn missed(locale: Locale, n: usize) -> String {
    locale.t(Msg::ReportsOverdue).replace("{n}", &n.to_string())
}

/// A report as the head reads it.
#[component]
fn ReportCard(report: ReportText, #[prop(optional)] with_name: bool) -> impl IntoView {
    let locale = use_locale();
    view! {
        <article class="report" data-test="report">
            <div class="muted">
                {with_name.then(|| format!("{} · ", report.user_name))}
                {locale.t(Msg::ReportFor).replace("{day}", &format_date(locale, report.period_day))}
                {format!(" · {}", report.submitted_at.format("%H:%M"))}
            </div>
            <p><strong>{locale.t(Msg::ReportDone)}": "</strong>{report.done}</p>
            <p><strong>{locale.t(Msg::ReportPlan)}": "</strong>{report.plan}</p>
            {(!report.blockers.is_empty()).then(|| view! { <p class="warn"><strong>{locale.t(Msg::ReportBlockers)}": "</strong>{report.blockers}</p> })}
        </article>
    }
}

/// The manager's report page.
#[component]
pub fn ReportPage() -> impl IntoView {
    let locale = use_locale();
    let outbox = crate::outbox::use_outbox();
    let data = Resource::new(move || outbox.synced.get(), |_| my_reporting());
    view! {
        <Title text=format!("{} · {}", locale.t(Msg::ReportTitle), locale.t(Msg::AppName))/>
        <AppFrame>
            <header class="page-head"><h1>{locale.t(Msg::ReportTitle)}</h1></header>
            <Transition fallback=move || view! { <p class="muted">{locale.t(Msg::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(mine) => view! { <ReportForm mine/> }.into_any(),
                        Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                    }
                })}
            </Transition>
        </AppFrame>
    }
}

#[component]
fn ReportForm(mine: MyReports) -> impl IntoView {
    use crate::api::sync::Change;
    use crate::outbox::{device_today, fields};
    let locale = use_locale();
    let outbox = crate::outbox::use_outbox();
    let error: RwSignal<Option<crate::api::ApiError>> = RwSignal::new(None);
    let Some(day) = mine.period_day else {
        return view! { <p class="notice" data-test="no-cadence">{locale.t(Msg::ReportNoCadence)}</p> }.into_any();
    };
    let waiting = move || outbox.state.read().entries.iter().any(|e| e.is_pending() && matches!(e.mutation.change, Change::SubmitReport { .. }));
    let sent = mine.current.is_some();
    let today = mine.today;
    let (done, plan, blockers) = mine.current.map(|r| (r.done, r.plan, r.blockers)).unwrap_or_default();
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let f = fields(&ev);
        let text = |field: &str| {
            crate::domain::deal::text(&f.get(field)).map_err(|e| crate::api::deals::deal_error(field, e))
        };
        let checked = text("done").and_then(|done| Ok((done, text("plan")?)));
        let blockers = if f.get("blockers").trim().is_empty() { Ok(String::new()) } else { text("blockers") };
        match (checked, blockers) {
            (Ok((done, plan)), Ok(blockers)) => {
                error.set(None);
                outbox.submit(Change::SubmitReport { written_on: device_today(today), done, plan, blockers }, None);
            }
            (Err(e), _) | (_, Err(e)) => error.set(Some(e)),
        }
    };
    view! {
        {(!mine.state.overdue.is_empty()).then(|| view! { <p class="notice notice-error">{missed(locale, mine.state.overdue.len())}</p> })}
        <section class="panel narrow" data-test="report-form">
            <h2>{locale.t(Msg::ReportFor).replace("{day}", &format_date(locale, day))}</h2>
            <p class="muted">{locale.t(cadence_label(mine.cadence))}</p>
            <form class="form" novalidate on:submit=on_submit>
                <label class="field">
                    <span>{locale.t(Msg::ReportDone)}</span>
                    <textarea name="done" rows="3" maxlength="2000">{done}</textarea>
                    <FieldError error field="done"/>
                </label>
                <label class="field">
                    <span>{locale.t(Msg::ReportPlan)}</span>
                    <textarea name="plan" rows="3" maxlength="2000">{plan}</textarea>
                    <FieldError error field="plan"/>
                </label>
                <label class="field">
                    <span>{locale.t(Msg::ReportBlockers)}</span>
                    <textarea name="blockers" rows="2" maxlength="2000">{blockers}</textarea>
                    <FieldError error field="blockers"/>
                </label>
                <FormError error/>
                {move || if waiting() {
                    Some(view! { <p class="form-ok" role="status" data-test="report-waiting">{locale.t(Msg::ReportWaiting)}</p> }.into_any())
                } else {
                    sent.then(|| view! { <p class="form-ok" role="status" data-test="report-sent">{locale.t(Msg::ReportSent)}</p> }.into_any())
                }}
                <button type="submit" class="btn btn-primary">{locale.t(Msg::SendReport)}</button>
            </form>
        </section>
    }
    .into_any()
}

/// The head's reports page.
#[component]
pub fn ReportsPage() -> impl IntoView {
    let locale = use_locale();
    let changed = RwSignal::new(0u32);
    let data = Resource::new(move || changed.get(), |_| team_reporting());
    view! {
        <Title text=format!("{} · {}", locale.t(Msg::ReportsTitle), locale.t(Msg::AppName))/>
        <AppFrame>
            <header class="page-head"><h1>{locale.t(Msg::ReportsTitle)}</h1></header>
            <Transition fallback=move || view! { <p class="muted">{locale.t(Msg::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(team) => view! { <TeamView team changed/> }.into_any(),
                        Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                    }
                })}
            </Transition>
        </AppFrame>
    }
}

#[component]
fn TeamView(team: TeamReports, changed: RwSignal<u32>) -> impl IntoView {
    let locale = use_locale();
    let recent = if team.recent.is_empty() {
        view! { <p class="muted">{locale.t(Msg::NoReports)}</p> }.into_any()
    } else {
        team.recent.into_iter().map(|r| view! { <ReportCard report=r with_name=true/> }).collect_view().into_any()
    };
    view! {
        <section class="panel wide">
            <table class="table" data-test="report-lines">
                <thead>
                    <tr>
                        <th>{locale.t(Msg::Manager)}</th>
                        <th>{locale.t(Msg::CadenceLabel)}</th>
                        <th>{locale.t(Msg::ReportDueColumn)}</th>
                        <th class="num">{locale.t(Msg::ReportsOverdueShort)}</th>
                        <th>{locale.t(Msg::LastReport)}</th>
                    </tr>
                </thead>
                <tbody>
                    {team.lines.into_iter().map(|l| view! {
                        <tr data-test="report-line">
                            <td data-label=locale.t(Msg::Manager)>{l.name.clone()}</td>
                            <td data-label=locale.t(Msg::CadenceLabel)><CadencePicker user=l.user_id name=l.name cadence=l.cadence changed/></td>
                            <td data-label=locale.t(Msg::ReportDueColumn)>{l.state.due_today.then(|| view! { <span class="pace pace-close">{locale.t(Msg::ReportDueToday)}</span> })}</td>
                            <td class="num" class:warn=!l.state.overdue.is_empty() data-label=locale.t(Msg::ReportsOverdueShort)>{l.state.overdue.len()}</td>
                            <td data-label=locale.t(Msg::LastReport)>{l.last.map(|r| format_date(locale, r.period_day))}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </section>
        <section class="panel wide" data-test="recent-reports">
            <h2>{locale.t(Msg::RecentReports)}</h2>
            {recent}
        </section>
    }
}

#[component]
fn CadencePicker(user: crate::domain::UserId, name: String, cadence: Cadence, changed: RwSignal<u32>) -> impl IntoView {
    let locale = use_locale();
    let action = ServerAction::<SetCadence>::new();
    let error = action_error(action);
    super::reload_on_success(action, changed);
    view! {
        <ActionForm action attr:class="inline-form">
            <input type="hidden" name="user" value=user.to_string()/>
            <select name="cadence" aria-label=format!("{} · {name}", locale.t(Msg::CadenceLabel))>
                {Cadence::ALL.into_iter().map(|c| view! { <option value=c.as_str() selected=c == cadence>{locale.t(cadence_label(c))}</option> }).collect_view()}
            </select>
            <button type="submit" class="btn btn-small">{locale.t(Msg::Save)}</button>
            <FieldError error field="cadence"/>
        </ActionForm>
    }
}
