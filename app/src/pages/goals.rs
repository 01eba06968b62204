//! Goals: the head sets SMART goals for managers and approves those they propose; a
//! manager sees their goals' progress, proposes new ones and checks in manual ones.

use leptos::prelude::*;
use leptos_meta::Title;

use super::action_error;
use crate::api::sync::Change;
use crate::api::goal::{GoalLine, GoalsView, SaveGoal, SetGoalStatus, format_goal_value, goal_list};
use crate::components::{AppFrame, ErrorNotice, FieldError, FormError};
use crate::domain::goal::{GoalMetric, GoalStatus, Relevance};
use crate::i18n::{Msg, format_date};
use crate::use_locale;

fn metric_label(m: GoalMetric) -> Msg {
    match m {
        GoalMetric::Received => Msg::GoalMetricReceived,
        GoalMetric::WonAmount => Msg::GoalMetricWonAmount,
        GoalMetric::WonCount => Msg::GoalMetricWonCount,
        GoalMetric::StageMoves => Msg::GoalMetricStageMoves,
        GoalMetric::Calls => Msg::GoalMetricCalls,
        GoalMetric::Manual => Msg::GoalMetricManual,
    }
}

#[component]
pub fn GoalsPage() -> impl IntoView {
    let locale = use_locale();
    let changed = RwSignal::new(0u32);
    let outbox = crate::outbox::use_outbox();
    let data = Resource::new(move || (changed.get(), outbox.synced.get()), |_| goal_list());
    // Lives outside the list so its answer (and a stretch warning) outlasts the reload.
    let save = ServerAction::<SaveGoal>::new();
    super::reload_on_success(save, changed);
    view! {
        <Title text=format!("{} · {}", locale.t(Msg::GoalsTitle), locale.t(Msg::AppName))/>
        <AppFrame>
            <header class="page-head">
                <h1>{locale.t(Msg::GoalsTitle)}</h1>
                <p class="muted">{locale.t(Msg::GoalsHint)}</p>
            </header>
            <Transition fallback=move || view! { <p class="muted">{locale.t(Msg::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(view) => view! { <GoalsBody data=view changed save/> }.into_any(),
                        Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                    }
                })}
            </Transition>
        </AppFrame>
    }
}

#[component]
fn GoalsBody(data: GoalsView, changed: RwSignal<u32>, save: ServerAction<SaveGoal>) -> impl IntoView {
    let locale = use_locale();
    let is_head = data.is_head;
    let list = if data.goals.is_empty() {
        view! { <p class="muted" data-test="no-goals">{locale.t(Msg::NoGoals)}</p> }.into_any()
    } else {
        view! {
            <ul class="goals" data-test="goals">
                {data.goals.into_iter().map(|g| view! { <GoalCard goal=g is_head changed/> }).collect_view()}
            </ul>
        }
        .into_any()
    };
    view! {
        <section class="panel wide">{list}</section>
        <GoalForm people=data.people stages=data.stages is_head action=save today=data.today/>
    }
}

#[component]
fn GoalCard(goal: GoalLine, is_head: bool, changed: RwSignal<u32>) -> impl IntoView {
    let locale = use_locale();
    let status = ServerAction::<SetGoalStatus>::new();
    let outbox = crate::outbox::use_outbox();
    let check_error: RwSignal<Option<crate::api::ApiError>> = RwSignal::new(None);
    super::reload_on_success(status, changed);
    let goal_id = goal.id;
    let waiting = move || {
        outbox.state.read().entries.iter().filter(|e| e.is_pending()).fold(None, |last, e| match e.mutation.change {
            Change::CheckInGoal { goal_id: g, value } if g == goal_id => Some(value),
            _ => last,
        })
    };
    let on_check_in = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let value = crate::outbox::fields(&ev).get("value").trim().parse::<i64>().map_err(|_| Msg::ErrCount);
        match value.and_then(|v| crate::domain::goal::check_in_value(v).map(|()| v).map_err(crate::api::goal::check_in_msg)) {
            Ok(value) => {
                check_error.set(None);
                outbox.submit(Change::CheckInGoal { goal_id, value }, None);
            }
            Err(msg) => check_error.set(Some(crate::api::ApiError::invalid("value", msg))),
        }
    };
    let v = move |x: i64| format_goal_value(goal.metric, x, locale);
    let measure = match &goal.stage {
        Some(stage) => format!("{}: {}", locale.t(metric_label(goal.metric)), stage.label(locale)),
        None => locale.t(metric_label(goal.metric)).to_string(),
    };
    let why = format!(
        "{}{}",
        locale.t(match goal.relevance {
            Relevance::Plan => Msg::RelevancePlan,
            Relevance::Skill => Msg::RelevanceSkill,
        }),
        if goal.relevance_note.is_empty() { String::new() } else { format!(": {}", goal.relevance_note) }
    );
    let proposed = goal.status == GoalStatus::Proposed;
    let id = goal.id.to_string();
    let (approve_id, cancel_id) = (id.clone(), id);
    let manual = goal.metric == GoalMetric::Manual && goal.mine && !is_head;
    let stretch = goal.stretch.map(|x| locale.t(Msg::GoalStretch).replace("{x}", &format!("{x:.1}")));
    view! {
        <li class="goal" data-test="goal">
            <div class="goal-head">
                <strong class="goal-title">{goal.title.clone()}</strong>
                <span class=if proposed { "pace pace-close" } else { "pace pace-ok" }>
                    {locale.t(if proposed { Msg::GoalProposed } else { Msg::GoalActive })}
                </span>
            </div>
            <div class="goal-meta muted">
                {is_head.then(|| format!("{} · ", goal.user_name))}
                {measure}" · "{why}" · "{locale.t(Msg::GoalUntil)}" "{format_date(locale, goal.due_on)}
            </div>
            <div class="goal-progress">
                <span data-test="goal-progress">{v(goal.progress)}" / "{v(goal.target)}</span>
                <meter min="0" max="100" value=goal.percent.to_string()>{format!("{} %", goal.percent)}</meter>
                <span>{format!("{} %", goal.percent)}</span>
            </div>
            {stretch.map(|s| view! { <p class="goal-warning" role="note">{s}</p> })}
            <div class="row-actions">
                {(is_head && proposed).then(|| view! {
                    <ActionForm action=status>
                        <input type="hidden" name="goal" value=approve_id/>
                        <input type="hidden" name="status" value="active"/>
                        <button type="submit" class="btn btn-small btn-primary">{locale.t(Msg::Approve)}</button>
                    </ActionForm>
                })}
                {(is_head || proposed).then(|| view! {
                    <ActionForm action=status>
                        <input type="hidden" name="goal" value=cancel_id/>
                        <input type="hidden" name="status" value="cancelled"/>
                        <button type="submit" class="btn btn-small">{locale.t(Msg::CancelGoal)}</button>
                    </ActionForm>
                })}
                {manual.then(|| view! {
                    <form class="inline-form" novalidate on:submit=on_check_in>
                        <label class="field">
                            <span>{locale.t(Msg::GoalProgressValue)}</span>
                            <input name="value" inputmode="numeric" value=goal.progress.to_string()/>
                        </label>
                        <button type="submit" class="btn btn-small">{locale.t(Msg::CheckIn)}</button>
                        {move || waiting().map(|v| view! {
                            <span class="muted" data-test="goal-waiting">{v}<span class="pending-mark">{locale.t(Msg::PendingMark)}</span></span>
                        })}
                        <FieldError error=check_error field="value"/>
                    </form>
                })}
            </div>
        </li>
    }
}

#[component]
fn GoalForm(
    people: Vec<crate::model::people::Person>,
    stages: Vec<crate::api::deals::StageOption>,
    is_head: bool,
    action: ServerAction<SaveGoal>,
    today: chrono::NaiveDate,
) -> impl IntoView {
    let locale = use_locale();
    let error = action_error(action);
    let saved = move || {
        action.value().get().and_then(|r| r.ok()).map(|stretch| {
            let warning = stretch.map(|x| locale.t(Msg::GoalStretch).replace("{x}", &format!("{x:.1}")));
            view! {
                <p class="form-ok" role="status">{locale.t(Msg::GoalSaved)}</p>
                {warning.map(|w| view! { <p class="goal-warning" role="note" data-test="stretch-warning">{w}</p> })}
            }
        })
    };
    let open_stages = stages.into_iter().filter(|s| s.outcome == crate::domain::deal::Outcome::Open || s.outcome == crate::domain::deal::Outcome::Won);
    view! {
        <section class="panel narrow" data-test="goal-form">
            <h2>{locale.t(if is_head { Msg::NewGoal } else { Msg::ProposeGoal })}</h2>
            {(!is_head).then(|| view! { <p class="muted">{locale.t(Msg::ProposeGoalHint)}</p> })}
            <ActionForm action attr:class="form" attr:novalidate=true>
                {is_head.then(|| view! {
                    <label class="field">
                        <span>{locale.t(Msg::GoalFor)}</span>
                        <select name="user">
                            {people.into_iter().map(|crate::model::people::Person { id, name }| view! { <option value=id.to_string()>{name}</option> }).collect_view()}
                        </select>
                        <FieldError error field="user"/>
                    </label>
                })}
                <label class="field">
                    <span>{locale.t(Msg::GoalTitle)}</span>
                    <input name="title" maxlength="300"/>
                    <FieldError error field="title"/>
                </label>
                <label class="field">
                    <span>{locale.t(Msg::GoalMetricLabel)}</span>
                    <select name="metric">
                        <option value="">{locale.t(Msg::ChooseMetric)}</option>
                        {GoalMetric::ALL.into_iter().map(|m| view! { <option value=m.as_str()>{locale.t(metric_label(m))}</option> }).collect_view()}
                    </select>
                    <FieldError error field="metric"/>
                </label>
                <label class="field">
                    <span>{locale.t(Msg::GoalStage)}</span>
                    <select name="stage">
                        <option value="">"—"</option>
                        {open_stages.map(|s| view! { <option value=s.id.clone()>{s.label(locale)}</option> }).collect_view()}
                    </select>
                    <FieldError error field="stage"/>
                </label>
                <label class="field">
                    <span>{locale.t(Msg::GoalTarget)}</span>
                    <input name="target" inputmode="decimal"/>
                    <FieldError error field="target"/>
                </label>
                <label class="field">
                    <span>{locale.t(Msg::GoalDue)}</span>
                    <input type="date" name="due_on" min=today.to_string()/>
                    <FieldError error field="due_on"/>
                </label>
                <fieldset class="field">
                    <legend>{locale.t(Msg::GoalRelevance)}</legend>
                    <label class="check"><input type="radio" name="relevance" value="plan"/><span>{locale.t(Msg::RelevancePlan)}</span></label>
                    <label class="check"><input type="radio" name="relevance" value="skill"/><span>{locale.t(Msg::RelevanceSkill)}</span></label>
                    <FieldError error field="relevance"/>
                </fieldset>
                <label class="field">
                    <span>{locale.t(Msg::RelevanceNote)}</span>
                    <input name="relevance_note" maxlength="200"/>
                </label>
                <FormError error/>
                {saved}
                <button type="submit" class="btn btn-primary">{locale.t(Msg::SaveGoal)}</button>
            </ActionForm>
        </section>
    }
}
