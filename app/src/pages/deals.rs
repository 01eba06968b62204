use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::{A, Form};
use leptos_router::hooks::{use_params_map, use_query_map};

use super::action_error;
use crate::api::ApiError;
use crate::api::deals::{
    DealCard, DealDetail, DealFilter, DealSort, ExpectPayment, StageOption, LogActivity, ReassignDeal, RecordPayment, SetDealStage, SetNextStep, my_day, open_deal,
};
use crate::components::{AppFrame, ErrorNotice, FieldError, FormError};
use crate::domain::{DealId, UserId};
use crate::domain::deal::{ActivityKind, Outcome};
use crate::domain::user::Role;
use crate::i18n::{Locale, Msg, format_date};
use crate::{use_locale, use_viewer};

/// "My day" for a manager; the department's open deals for a head.
#[component]
pub fn Deals() -> impl IntoView {
    let locale = use_locale();
    let is_head = use_viewer().is_some_and(|v| v.role == Role::Head);
    let query = use_query_map();
    let filter = move || DealFilter::from_query(|k| query.read().get(k));
    let data = Resource::new(filter, my_day);
    let title = if is_head { Msg::DepartmentDeals } else { Msg::MyDay };
    view! {
        <Title text=format!("{} · {}", locale.t(title), locale.t(Msg::AppName))/>
        <AppFrame>
            <header class="page-head">
                <h1>{locale.t(title)}</h1>
                <p class="muted">{locale.t(Msg::MyDayHint)}</p>
            </header>
            <Suspense fallback=move || view! { <p class="muted">{locale.t(Msg::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(list) => {
                            let today = list.today;
                            let current = filter();
                            let managers = (!list.managers.is_empty()).then(|| view! { <ManagerFilter managers=list.managers selected=current.manager base="/deals"/> });
                            let refine = view! { <ListFilter stages=list.stages current=current.clone()/> };
                            let body = if list.deals.is_empty() {
                                view! { <p class="notice">{locale.t(Msg::NoOpenDeals)}</p> }.into_any()
                            } else {
                                view! {
                                    <ul class="deal-list" data-test="deal-list">
                                        {list.deals.into_iter().map(|d| view! { <DealRow deal=d today show_owner=is_head/> }).collect_view()}
                                    </ul>
                                }.into_any()
                            };
                            let export = format!("/api/export/deals.csv?{}", current.to_query());
                            view! {
                                {managers}
                                {refine}
                                {body}
                                <p class="list-foot"><a href=export download rel="external" class="btn btn-small" data-test="export">{locale.t(Msg::Export)}</a></p>
                            }.into_any()
                        }
                        Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                    }
                })}
            </Suspense>
        </AppFrame>
    }
}

/// Narrows and orders the list: one stage, one month of expected closing, only deals
/// with money overdue; by due date or by amount. A plain GET form, so the address always says what is shown.
#[component]
fn ListFilter(stages: Vec<StageOption>, current: DealFilter) -> impl IntoView {
    let locale = use_locale();
    view! {
        <Form method="GET" action="" attr:class="list-filter" attr:data-test="list-filter">
            {current.manager.map(|m| view! { <input type="hidden" name="manager" value=m.to_string()/> })}
            <label class="field">
                <span>{locale.t(Msg::Stage)}</span>
                <select name="stage">
                    <option value="" selected=current.stage.is_none()>{locale.t(Msg::AllStages)}</option>
                    {stages.into_iter().map(|s| {
                        let on = current.stage.as_deref() == Some(s.id.as_str());
                        view! { <option value=s.id.clone() selected=on>{s.label(locale)}</option> }
                    }).collect_view()}
                </select>
            </label>
            <label class="field">
                <span>{locale.t(Msg::CloseMonth)}</span>
                <input type="month" name="close" value=current.close.map(|m| m.key()).unwrap_or_default()/>
            </label>
            <label class="field">
                <span>{locale.t(Msg::SortBy)}</span>
                <select name="sort">
                    <option value="" selected=current.sort == DealSort::Due>{locale.t(Msg::SortDue)}</option>
                    <option value="amount" selected=current.sort == DealSort::Amount>{locale.t(Msg::SortAmount)}</option>
                </select>
            </label>
            <label class="check">
                <input type="checkbox" name="overdue" value="1" checked=current.overdue/>
                <span>{locale.t(Msg::OnlyOverdue)}</span>
            </label>
            <button type="submit" class="btn btn-small">{locale.t(Msg::Show)}</button>
        </Form>
    }
}

/// The head's filter on a page at `base`: all managers or one.
#[component]
pub(super) fn ManagerFilter(managers: Vec<(UserId, String)>, selected: Option<UserId>, base: &'static str) -> impl IntoView {
    let locale = use_locale();
    view! {
        <nav class="filter" aria-label=locale.t(Msg::Manager) data-test="manager-filter">
            // Plain links: the router still navigates in place, and `aria-current` stays ours.
            <a href=base class="chip-link" aria-current=selected.is_none().then_some("true")>{locale.t(Msg::AllManagers)}</a>
            {managers.into_iter().map(|(id, name)| view! {
                <a href=format!("{base}?manager={id}") class="chip-link" aria-current=(selected == Some(id)).then_some("true")>{name}</a>
            }).collect_view()}
        </nav>
    }
}

/// A deal in a list: title, client (and owner), next step with its due date, amount, stage.
#[component]
pub(super) fn DealRow(deal: DealCard, today: chrono::NaiveDate, show_owner: bool) -> impl IntoView {
    let locale = use_locale();
    let due = due_label(locale, deal.next_step_due_on, today);
    let overdue = deal.next_step_due_on.is_some_and(|d| d < today);
    let step = if deal.next_step.is_empty() { locale.t(Msg::NoNextStep).to_string() } else { deal.next_step.clone() };
    view! {
        <li>
            <A href=format!("/deals/{}", deal.id) attr:class="deal-row">
                <div class="deal-row-main">
                    <div class="deal-title">{deal.title.clone()}</div>
                    <div class="deal-meta">{deal.client.clone()}{show_owner.then(|| format!(" · {}", deal.owner_name))}</div>
                    <div class="deal-step" class:overdue=overdue>{step}{due.map(|d| format!(" · {d}"))}</div>
                </div>
                <div class="deal-row-side">
                    <div class="deal-amount">{deal.amount.format(locale)}</div>
                    <span class="chip">{deal.stage.label(locale)}</span>
                </div>
            </A>
        </li>
    }
}

fn due_label(locale: Locale, due: Option<chrono::NaiveDate>, today: chrono::NaiveDate) -> Option<String> {
    due.map(|d| {
        if d == today {
            locale.t(Msg::DueToday).to_string()
        } else if d < today {
            format!("{} {}", locale.t(Msg::OverdueSince), format_date(locale, d))
        } else {
            format_date(locale, d)
        }
    })
}

/// One deal with everything a manager does to it from a phone: move the stage, log a
/// call or note, record a payment, set the next step.
#[component]
pub fn DealPage() -> impl IntoView {
    let locale = use_locale();
    let params = use_params_map();
    let set_stage = ServerAction::<SetDealStage>::new();
    let log = ServerAction::<LogActivity>::new();
    let pay = ServerAction::<RecordPayment>::new();
    let next = ServerAction::<SetNextStep>::new();
    let expect = ServerAction::<ExpectPayment>::new();
    let reassign = ServerAction::<ReassignDeal>::new();
    let data = Resource::new(
        move || {
            let versions = (
                set_stage.version().get(),
                log.version().get(),
                pay.version().get(),
                next.version().get(),
                expect.version().get(),
                reassign.version().get(),
            );
            (params.read().get("id"), versions)
        },
        |(id, ..)| async move {
            let id: DealId = id.and_then(|s| s.parse().ok()).ok_or(ApiError::NotFound)?;
            open_deal(id).await
        },
    );
    view! {
        <AppFrame>
            <Transition fallback=move || view! { <p class="muted">{locale.t(Msg::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(d) => view! { <DealView d set_stage log pay next expect reassign/> }.into_any(),
                        Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                    }
                })}
            </Transition>
        </AppFrame>
    }
}

#[component]
fn DealView(
    d: DealDetail,
    set_stage: ServerAction<SetDealStage>,
    log: ServerAction<LogActivity>,
    pay: ServerAction<RecordPayment>,
    next: ServerAction<SetNextStep>,
    expect: ServerAction<ExpectPayment>,
    reassign: ServerAction<ReassignDeal>,
) -> impl IntoView {
    let locale = use_locale();
    let id = d.card.id.to_string();
    let (id_stage, id_pay, id_next, id_log, id_expect) = (id.clone(), id.clone(), id.clone(), id.clone(), id);
    let expect_error = action_error(expect);
    let is_lost = d.card.stage.outcome == Outcome::Lost;
    let (stage_error, log_error, pay_error, next_error) =
        (action_error(set_stage), action_error(log), action_error(pay), action_error(next));
    let today = d.today.format("%Y-%m-%d").to_string();
    let due_value = d.card.next_step_due_on.map(|x| x.format("%Y-%m-%d").to_string()).unwrap_or_default();
    let received_total = d.received_total();
    let history = view! {
        <ul class="history" data-test="history">
            {d.activities.iter().map(|a| {
                            let body = activity_text(a, &d.stages, locale);
                            view! {
                                <li>
                                    <span class="chip">{locale.t(activity_label(a.kind))}</span>
                                    <span class="history-body">{body}</span>
                                    <span class="history-meta">{a.user.clone()}" · "{format_date(locale, a.at.date_naive())}</span>
                                </li>
                            }
                        }).collect_view()}
        </ul>
    };
    view! {
        <Title text=format!("{} · {}", d.card.title, locale.t(Msg::AppName))/>
        <header class="page-head">
            <h1>{d.card.title.clone()}</h1>
            <p class="muted">{d.card.client.clone()}" · "{d.card.owner_name.clone()}</p>
        </header>
        <section class="stats">
            <crate::components::StatCard label=locale.t(Msg::DealAmount) value=d.card.amount.format(locale)/>
            <crate::components::StatCard label=locale.t(Msg::Stage) value=d.card.stage.label(locale)
                hint=d.loss_reason.clone().unwrap_or_default()/>
            <crate::components::StatCard label=locale.t(Msg::Received) value=received_total.format(locale) tone="good"/>
            <crate::components::StatCard label=locale.t(Msg::Overdue) value=d.overdue.format(locale)
                tone={if d.overdue > crate::domain::Money::ZERO { "bad" } else { "" }}/>
        </section>
        <div class="grid-2">
            <div>
                <section class="panel" data-test="stage-form">
                    <h2>{locale.t(Msg::MoveStage)}</h2>
                    <ActionForm action=set_stage attr:class="form" attr:novalidate=true>
                        <input type="hidden" name="deal" value=id_stage/>
                        <div class="stage-picker" role="radiogroup" aria-label=locale.t(Msg::Stage)>
                            {d.stages.iter().map(|s| {
                                let checked = s.id == d.card.stage.id;
                                view! {
                                    <label class="stage-option">
                                        <input type="radio" name="stage" value=s.id.clone() checked=checked/>
                                        <span>{s.label(locale)}</span>
                                    </label>
                                }
                            }).collect_view()}
                        </div>
                        <FieldError error=stage_error field="stage"/>
                        <label class="field">
                            <span>{locale.t(Msg::LossReason)}</span>
                            <input type="text" name="loss_reason" maxlength="2000" value=d.loss_reason.clone().unwrap_or_default()/>
                            <FieldError error=stage_error field="loss_reason"/>
                        </label>
                        <FormError error=stage_error/>
                        <button type="submit" class="btn btn-primary">{locale.t(Msg::Save)}</button>
                    </ActionForm>
                </section>
                <section class="panel" data-test="payment-form">
                    <h2>{locale.t(Msg::RecordPayment)}</h2>
                    <ActionForm action=pay attr:class="form" attr:novalidate=true>
                        <input type="hidden" name="deal" value=id_pay/>
                        <div class="field-row">
                            <label class="field">
                                <span>{locale.t(Msg::PaymentAmount)}</span>
                                <input type="text" name="amount" inputmode="decimal" autocomplete="off" required/>
                                <FieldError error=pay_error field="amount"/>
                            </label>
                            <label class="field">
                                <span>{locale.t(Msg::ReceivedOn)}</span>
                                <input type="date" name="received_on" value=today.clone() max=today.clone() required/>
                                <FieldError error=pay_error field="received_on"/>
                            </label>
                        </div>
                        {is_lost.then(|| view! {
                            <label class="check">
                                <input type="checkbox" name="confirm_lost" value="yes"/>
                                <span>{locale.t(Msg::ConfirmLostPayment)}</span>
                            </label>
                        })}
                        <FieldError error=pay_error field="confirm_lost"/>
                        <FormError error=pay_error/>
                        <button type="submit" class="btn btn-primary">{locale.t(Msg::RecordPayment)}</button>
                    </ActionForm>
                </section>
                {(!d.managers.is_empty()).then(|| {
                    let error = action_error(reassign);
                    let owner = d.card.owner_id;
                    let deal = d.card.id.to_string();
                    let others = d.managers.iter().filter(|m| m.0 != owner).cloned().collect::<Vec<_>>();
                    view! {
                        <section class="panel" data-test="owner-form">
                            <h2>{locale.t(Msg::DealOwner)}": "{d.card.owner_name.clone()}</h2>
                            <ActionForm action=reassign attr:class="form" attr:novalidate=true>
                                <input type="hidden" name="deal" value=deal/>
                                <label class="field">
                                    <span>{locale.t(Msg::ReassignTo)}</span>
                                    <select name="owner">
                                        {others.into_iter().map(|(id, name)| view! { <option value=id.to_string()>{name}</option> }).collect_view()}
                                    </select>
                                    <FieldError error field="owner"/>
                                </label>
                                <FormError error/>
                                <button type="submit" class="btn">{locale.t(Msg::Reassign)}</button>
                            </ActionForm>
                        </section>
                    }
                })}
                <section class="panel" data-test="next-step-form">
                    <h2>{locale.t(Msg::NextStep)}</h2>
                    <ActionForm action=next attr:class="form" attr:novalidate=true>
                        <input type="hidden" name="deal" value=id_next/>
                        <label class="field">
                            <span>{locale.t(Msg::NextStep)}</span>
                            <input type="text" name="next_step" maxlength="2000" value=d.card.next_step.clone()/>
                            <FieldError error=next_error field="next_step"/>
                        </label>
                        <label class="field">
                            <span>{locale.t(Msg::DueOn)}</span>
                            <input type="date" name="due_on" value=due_value/>
                            <FieldError error=next_error field="due_on"/>
                        </label>
                        <FormError error=next_error/>
                        <button type="submit" class="btn btn-primary">{locale.t(Msg::Save)}</button>
                    </ActionForm>
                </section>
                <section class="panel" data-test="activity-form">
                    <h2>{locale.t(Msg::LogActivity)}</h2>
                    <ActionForm action=log attr:class="form" attr:novalidate=true>
                        <input type="hidden" name="deal" value=id_log/>
                        <ActivityFields error=log_error/>
                        <button type="submit" class="btn btn-primary">{locale.t(Msg::Log)}</button>
                    </ActionForm>
                </section>
            </div>
            <div>
                <section class="panel">
                    <h2>{locale.t(Msg::Payments)}</h2>
                    <PaymentLines title=locale.t(Msg::ExpectedPayments) lines=d.expected.clone()/>
                    <PaymentLines title=locale.t(Msg::ReceivedPayments) lines=d.received.clone()/>
                    {(!is_lost).then(|| view! {
                        <details class="reset" data-test="expect-form">
                            <summary class="btn btn-small">{locale.t(Msg::AddExpected)}</summary>
                            <ActionForm action=expect attr:class="form" attr:novalidate=true>
                                <input type="hidden" name="deal" value=id_expect/>
                                <div class="field-row">
                                    <label class="field">
                                        <span>{locale.t(Msg::PaymentAmount)}</span>
                                        <input type="text" name="amount" inputmode="decimal" autocomplete="off"/>
                                        <FieldError error=expect_error field="amount"/>
                                    </label>
                                    <label class="field">
                                        <span>{locale.t(Msg::ExpectedBy)}</span>
                                        <input type="date" name="due_on"/>
                                        <FieldError error=expect_error field="due_on"/>
                                    </label>
                                </div>
                                <FormError error=expect_error/>
                                <button type="submit" class="btn btn-primary">{locale.t(Msg::Save)}</button>
                            </ActionForm>
                        </details>
                    })}
                </section>
                <section class="panel">
                    <h2>{locale.t(Msg::History)}</h2>
                    {history}
                </section>
            </div>
        </div>
    }
}

#[component]
fn PaymentLines(title: &'static str, lines: Vec<crate::api::deals::PaymentLine>) -> impl IntoView {
    let locale = use_locale();
    view! {
        <h3 class="subhead">{title}</h3>
        {if lines.is_empty() {
            view! { <p class="muted">{locale.t(Msg::NoPaymentsYet)}</p> }.into_any()
        } else {
            view! {
                <ul class="plain-list">
                    {lines.into_iter().map(|p| view! {
                        <li><span>{format_date(locale, p.on)}</span><span class="num">{p.amount.format(locale)}</span></li>
                    }).collect_view()}
                </ul>
            }.into_any()
        }}
    }
}

/// What a call, meeting or note form asks: which of the three, and what happened.
#[component]
pub(super) fn ActivityFields(error: Signal<Option<ApiError>>) -> impl IntoView {
    let locale = use_locale();
    view! {
        <div class="stage-picker" role="radiogroup">
            {ActivityKind::LOGGABLE.into_iter().enumerate().map(|(i, k)| view! {
                <label class="stage-option">
                    <input type="radio" name="activity" value=k.as_str() checked=i == 0/>
                    <span>{locale.t(activity_label(k))}</span>
                </label>
            }).collect_view()}
        </div>
        <label class="field">
            <span>{locale.t(Msg::WhatHappened)}</span>
            <input type="text" name="body" maxlength="2000" autocomplete="off"/>
            <FieldError error field="body"/>
        </label>
        <FormError error/>
    }
}

/// An activity's text as people read it: payments as money, stage moves by the
/// stage's name in the reader's language.
pub(super) fn activity_text(a: &crate::api::deals::ActivityLine, stages: &[crate::api::deals::StageOption], locale: Locale) -> String {
    match a.kind {
        ActivityKind::Payment => {
            a.body.parse::<i64>().map(|k| crate::domain::Money::from_kopecks(k).format(locale)).unwrap_or_else(|_| a.body.clone())
        }
        ActivityKind::Stage => stages
            .iter()
            .find(|s| s.code.as_deref() == Some(a.body.as_str()) || s.name.as_deref() == Some(a.body.as_str()))
            .map(|s| s.label(locale))
            .unwrap_or_else(|| a.body.clone()),
        _ => a.body.clone(),
    }
}

pub(super) fn activity_label(kind: ActivityKind) -> Msg {
    match kind {
        ActivityKind::Call => Msg::ActivityCall,
        ActivityKind::Meeting => Msg::ActivityMeeting,
        ActivityKind::Note => Msg::ActivityNote,
        ActivityKind::Stage => Msg::ActivityStage,
        ActivityKind::Payment => Msg::ActivityPayment,
    }
}
