use crate::model::people::Person;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::{A, Form};
use leptos_router::hooks::{use_params_map, use_query_map};

use super::action_error;
use crate::api::ApiError;
use crate::api::deals::{DealCard, DealDetail, DealFilter, DealSort, ReassignDeal, StageOption, deal_error, my_day, open_deal};
use crate::api::sync::Change;
use crate::components::{AppFrame, AttentionItem, ErrorNotice, FieldError, FormError};
use crate::domain::deal::{self, ActivityKind, Outcome};
use crate::domain::user::Role;
use crate::domain::{DealId, Money, UserId};
use crate::domain::period::Month;
use crate::i18n::{Locale, Msg, format_date, month_title};
use crate::outbox::{DealOverlay, device_today, fields, reset, use_outbox};
use crate::{use_locale, use_viewer};
use chrono::NaiveDate;
use leptos::ev::SubmitEvent;

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
                            let refine = view! { <ListFilter stages=list.stages current=current.clone() today/> };
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
/// with money overdue; by due date or by amount. A plain GET form, so the address always
/// says what is shown. Folded under one line that names what is active, so on a phone
/// the deals come first.
#[component]
fn ListFilter(stages: Vec<StageOption>, current: DealFilter, today: NaiveDate) -> impl IntoView {
    let locale = use_locale();
    let stage_name = current.stage.as_deref().and_then(|id| stages.iter().find(|s| s.id == id)).map(|s| s.label(locale));
    let active: Vec<String> = [
        stage_name,
        current.close.map(|m| month_title(locale, m.year(), m.number())),
        (current.sort == DealSort::Amount).then(|| locale.t(Msg::SortAmount).to_string()),
        current.overdue.then(|| locale.t(Msg::OnlyOverdue).to_string()),
    ]
    .into_iter()
    .flatten()
    .collect();
    let summary = if active.is_empty() { locale.t(Msg::Filters).to_string() } else { format!("{}: {}", locale.t(Msg::Filters), active.join(" · ")) };
    // Expected closings lie months back (late deals) to a year ahead; a month asked for
    // in the address stays on the list whatever it is.
    let this_month = Month::containing(today);
    let mut months: Vec<Month> = std::iter::successors(Some(this_month.previous().previous().previous()), |m| Some(m.next())).take(16).collect();
    if let Some(asked) = current.close.filter(|m| !months.contains(m)) {
        months.push(asked);
        months.sort();
    }
    view! {
        <details class="list-filter-box" data-test="filters">
            <summary class:active=!active.is_empty()>{summary}</summary>
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
                    <select name="close">
                        <option value="" selected=current.close.is_none()>{locale.t(Msg::AnyMonth)}</option>
                        {months.into_iter().map(|m| {
                            view! { <option value=m.key() selected=current.close == Some(m)>{month_title(locale, m.year(), m.number())}</option> }
                        }).collect_view()}
                    </select>
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
        </details>
    }
}

/// The head's filter on a page at `base`: all managers or one.
#[component]
pub(super) fn ManagerFilter(managers: Vec<Person>, selected: Option<UserId>, base: &'static str) -> impl IntoView {
    let locale = use_locale();
    view! {
        <nav class="filter" aria-label=locale.t(Msg::Manager) data-test="manager-filter">
            // Plain links: the router still navigates in place, and `aria-current` stays ours.
            <a href=base class="chip-link" aria-current=selected.is_none().then_some("true")>{locale.t(Msg::AllManagers)}</a>
            {managers.into_iter().map(|Person { id, name }| view! {
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

/// One deal with everything a manager does to it from a phone: move the stage, change
/// the amount, log a call or note, record a payment, set the next step. Every change
/// goes through the outbox, so it works without a network and shows at once.
#[component]
pub fn DealPage() -> impl IntoView {
    let locale = use_locale();
    let params = use_params_map();
    let outbox = use_outbox();
    let reassign = ServerAction::<ReassignDeal>::new();
    let data = Resource::new(
        move || (params.read().get("id"), outbox.synced.get(), reassign.version().get()),
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
                        Ok(d) => view! { <DealView d reassign/> }.into_any(),
                        // A deal this person can no longer see still shows what of theirs
                        // was refused on it, and why.
                        Err(e) => view! {
                            {params.read_untracked().get("id").and_then(|s| s.parse::<DealId>().ok()).map(|deal| view! { <DealAttention deal stages=Vec::new()/> })}
                            <ErrorNotice error=e/>
                        }.into_any(),
                    }
                })}
            </Transition>
        </AppFrame>
    }
}

/// A form's error, set by the device's own checks before a change is queued.
type FormErr = RwSignal<Option<ApiError>>;

#[component]
fn DealView(d: DealDetail, reassign: ServerAction<ReassignDeal>) -> impl IntoView {
    let locale = use_locale();
    let outbox = use_outbox();
    let deal = d.card.id;
    let version = Some(d.card.version);
    let stages = StoredValue::new(d.stages.clone());
    let overlay = Memo::new(move |_| DealOverlay::of(&outbox.state.read(), deal));
    // What the person sees now: the server's values under their own waiting changes.
    let server_stage = d.card.stage.id.clone();
    let shown_stage = {
        let server_stage = server_stage.clone();
        move || overlay.read().stage.clone().unwrap_or_else(|| server_stage.clone())
    };
    let server_amount = d.card.amount;
    let shown_amount = move || overlay.read().amount.unwrap_or(server_amount);
    let stage_of = move |id: &str| stages.with_value(|s| s.iter().find(|s| s.id == id).cloned());
    let outcome = {
        let shown_stage = shown_stage.clone();
        move || stage_of(&shown_stage()).map_or(Outcome::Open, |s| s.outcome)
    };
    let (stage_error, amount_error, log_error, pay_error, next_error, expect_error): (FormErr, FormErr, FormErr, FormErr, FormErr, FormErr) =
        (RwSignal::new(None), RwSignal::new(None), RwSignal::new(None), RwSignal::new(None), RwSignal::new(None), RwSignal::new(None));
    let server_today = d.today;
    let today = d.today.format("%Y-%m-%d").to_string();
    let due_value = d.card.next_step_due_on.map(|x| x.format("%Y-%m-%d").to_string()).unwrap_or_default();
    let received_total = d.received_total();
    let expected_total = d.expected_total();

    let on_stage = {
        let shown_stage = shown_stage.clone();
        move |ev: SubmitEvent| {
            ev.prevent_default();
            let f = fields(&ev);
            let (stage_id, loss_reason) = (f.get("stage"), f.get("loss_reason"));
            let Some(stage) = stage_of(&stage_id) else { return stage_error.set(Some(ApiError::invalid("stage", Msg::ErrChooseOne))) };
            if let Err(e) = deal::stage_move(stage.outcome, &loss_reason) {
                return stage_error.set(Some(deal_error("loss_reason", e)));
            }
            stage_error.set(None);
            let seen_stage_id = Some(shown_stage());
            if seen_stage_id.as_deref() != Some(stage_id.as_str()) {
                outbox.submit(Change::SetDealStage { deal_id: deal, stage_id, loss_reason, seen_stage_id }, version);
            }
        }
    };
    let on_amount = move |ev: SubmitEvent| {
        ev.prevent_default();
        let f = fields(&ev);
        let amount = match f.money("amount") {
            Ok(a) => a,
            Err(e) => return amount_error.set(Some(e)),
        };
        if let Err(e) = deal::amount(amount) {
            return amount_error.set(Some(deal_error("amount", e)));
        }
        amount_error.set(None);
        let seen = shown_amount();
        if amount != seen {
            outbox.submit(Change::SetDealAmount { deal_id: deal, amount, seen_amount: Some(seen) }, version);
        }
    };
    let on_pay = {
        let outcome = outcome.clone();
        move |ev: SubmitEvent| {
            ev.prevent_default();
            let f = fields(&ev);
            let (amount, received_on) = match (f.money("amount"), f.date("received_on")) {
                (Ok(a), Ok(d)) => (a, d),
                (Err(e), _) | (_, Err(e)) => return pay_error.set(Some(e)),
            };
            let confirm_lost = f.has("confirm_lost");
            let so_far = received_total + overlay.read().received.iter().map(|p| p.0).sum();
            if let Err(e) = deal::received_payment(amount, received_on, device_today(server_today), outcome(), confirm_lost, so_far) {
                return pay_error.set(Some(deal_error(deal::payment_field(e, "received_on"), e)));
            }
            pay_error.set(None);
            outbox.submit(Change::RecordPayment { deal_id: deal, amount, received_on, confirm_lost }, version);
            reset(&ev);
        }
    };
    let on_next = move |ev: SubmitEvent| {
        ev.prevent_default();
        let f = fields(&ev);
        let due_on = match f.optional_date("due_on") {
            Ok(d) => d,
            Err(e) => return next_error.set(Some(e)),
        };
        let next_step = match deal::text(&f.get("next_step")) {
            Ok(t) => t,
            Err(e) => return next_error.set(Some(deal_error("next_step", e))),
        };
        if let Err(e) = deal::due_date(due_on, device_today(server_today)) {
            return next_error.set(Some(deal_error("due_on", e)));
        }
        next_error.set(None);
        outbox.submit(Change::SetNextStep { deal_id: deal, next_step, due_on }, version);
    };
    let on_log = move |ev: SubmitEvent| {
        ev.prevent_default();
        let f = fields(&ev);
        let Some(activity) = ActivityKind::parse(&f.get("activity")).filter(|k| ActivityKind::LOGGABLE.contains(k)) else {
            return log_error.set(Some(ApiError::invalid("activity", Msg::ErrChooseOne)));
        };
        let body = match deal::text(&f.get("body")) {
            Ok(t) => t,
            Err(e) => return log_error.set(Some(deal_error("body", e))),
        };
        log_error.set(None);
        outbox.submit(Change::LogActivity { deal_id: deal, activity, body }, version);
        reset(&ev);
    };
    let on_expect = {
        let outcome = outcome.clone();
        move |ev: SubmitEvent| {
            ev.prevent_default();
            let f = fields(&ev);
            let (amount, due_on) = match (f.money("amount"), f.date("due_on")) {
                (Ok(a), Ok(d)) => (a, d),
                (Err(e), _) | (_, Err(e)) => return expect_error.set(Some(e)),
            };
            let so_far = expected_total + overlay.read().expected.iter().map(|p| p.0).sum();
            if let Err(e) = deal::expected_payment(amount, due_on, device_today(server_today), outcome(), so_far) {
                return expect_error.set(Some(deal_error(deal::payment_field(e, "due_on"), e)));
            }
            expect_error.set(None);
            outbox.submit(Change::ExpectPayment { deal_id: deal, amount, due_on }, version);
            reset(&ev);
        }
    };

    let stage_label = {
        let shown_stage = shown_stage.clone();
        move || stage_of(&shown_stage()).map(|s| s.label(locale)).unwrap_or_default()
    };
    let pending_mark = move |on: bool| on.then(|| view! { <span class="pending-mark" data-test="pending-mark">{locale.t(Msg::PendingMark)}</span> });
    let history = {
        let stages = d.stages.clone();
        let lines = d.activities.iter().map(|a| {
            let body = activity_text(a, &stages, locale);
            view! {
                <li>
                    <span class="chip">{locale.t(activity_label(a.kind))}</span>
                    <span class="history-body">{body}</span>
                    <span class="history-meta">{a.user.clone()}" · "{format_date(locale, a.at.date_naive())}</span>
                </li>
            }
        }).collect_view();
        view! {
            <ul class="history" data-test="history">
                {move || overlay.read().activities.iter().rev().map(|(kind, body)| view! {
                    <li class="pending" data-test="pending-activity">
                        <span class="chip">{locale.t(activity_label(*kind))}</span>
                        <span class="history-body">{body.clone()}</span>
                        {pending_mark(true)}
                    </li>
                }).collect_view()}
                {lines}
            </ul>
        }
    };
    let is_lost_now = {
        let outcome = outcome.clone();
        Signal::derive(move || outcome() == Outcome::Lost)
    };
    view! {
        <Title text=format!("{} · {}", d.card.title, locale.t(Msg::AppName))/>
        <header class="page-head">
            <h1>{d.card.title.clone()}</h1>
            <p class="muted">{d.card.client.clone()}" · "{d.card.owner_name.clone()}</p>
        </header>
        <DealAttention deal stages=d.stages.clone()/>
        <section class="stats">
            <div class="stat" data-test="stat-amount">
                <div class="stat-label">{locale.t(Msg::DealAmount)}</div>
                <div class="stat-value">{move || shown_amount().format(locale)}</div>
                {move || pending_mark(overlay.read().amount.is_some())}
            </div>
            <div class="stat" data-test="stat-stage">
                <div class="stat-label">{locale.t(Msg::Stage)}</div>
                <div class="stat-value">{stage_label}</div>
                {move || pending_mark(overlay.read().stage.is_some())}
                {d.loss_reason.clone().map(|r| view! { <div class="stat-hint">{r}</div> })}
            </div>
            <div class="stat good" data-test="stat-received">
                <div class="stat-label">{locale.t(Msg::Received)}</div>
                <div class="stat-value">{move || (received_total + overlay.read().received.iter().map(|p| p.0).sum::<Money>()).format(locale)}</div>
                {move || pending_mark(!overlay.read().received.is_empty())}
            </div>
            <crate::components::StatCard label=locale.t(Msg::Overdue) value=d.overdue.format(locale)
                tone={if d.overdue > Money::ZERO { "bad" } else { "" }}/>
        </section>
        <div class="grid-2">
            <div>
                <section class="panel" data-test="stage-form">
                    <h2>{locale.t(Msg::MoveStage)}</h2>
                    <form class="form" novalidate on:submit=on_stage>
                        <div class="stage-picker" role="radiogroup" aria-label=locale.t(Msg::Stage)>
                            {d.stages.iter().map(|s| {
                                let checked = s.id == server_stage;
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
                    </form>
                </section>
                <section class="panel" data-test="payment-form">
                    <h2>{locale.t(Msg::RecordPayment)}</h2>
                    <form class="form" novalidate on:submit=on_pay>
                        <div class="field-row">
                            <label class="field">
                                <span>{locale.t(Msg::PaymentAmount)}</span>
                                <input type="text" name="amount" inputmode="decimal" autocomplete="off" required/>
                                <FieldError error=pay_error field="amount"/>
                            </label>
                            <label class="field">
                                <span>{locale.t(Msg::ReceivedOn)}</span>
                                <input type="date" name="received_on" value=today.clone() required/>
                                <FieldError error=pay_error field="received_on"/>
                            </label>
                        </div>
                        {move || is_lost_now.get().then(|| view! {
                            <label class="check">
                                <input type="checkbox" name="confirm_lost" value="yes"/>
                                <span>{locale.t(Msg::ConfirmLostPayment)}</span>
                            </label>
                        })}
                        <FieldError error=pay_error field="confirm_lost"/>
                        <FormError error=pay_error/>
                        <button type="submit" class="btn btn-primary">{locale.t(Msg::RecordPayment)}</button>
                    </form>
                </section>
                {(!d.managers.is_empty()).then(|| {
                    let error = action_error(reassign);
                    let owner = d.card.owner_id;
                    let deal = d.card.id.to_string();
                    let others = d.managers.iter().filter(|m| m.id != owner).cloned().collect::<Vec<_>>();
                    view! {
                        <section class="panel" data-test="owner-form">
                            <h2>{locale.t(Msg::DealOwner)}": "{d.card.owner_name.clone()}</h2>
                            <ActionForm action=reassign attr:class="form" attr:novalidate=true>
                                <input type="hidden" name="deal" value=deal/>
                                <label class="field">
                                    <span>{locale.t(Msg::ReassignTo)}</span>
                                    <select name="owner">
                                        {others.into_iter().map(|Person { id, name }| view! { <option value=id.to_string()>{name}</option> }).collect_view()}
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
                    <h2>{locale.t(Msg::NextStep)}{move || pending_mark(overlay.read().next_step.is_some())}</h2>
                    <form class="form" novalidate on:submit=on_next>
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
                    </form>
                </section>
                <section class="panel" data-test="activity-form">
                    <h2>{locale.t(Msg::LogActivity)}</h2>
                    <form class="form" novalidate on:submit=on_log>
                        <ActivityFields error=log_error/>
                        <button type="submit" class="btn btn-primary">{locale.t(Msg::Log)}</button>
                    </form>
                </section>
                <section class="panel" data-test="amount-form">
                    <h2>{locale.t(Msg::ChangeAmount)}</h2>
                    <form class="form" novalidate on:submit=on_amount>
                        <label class="field">
                            <span>{locale.t(Msg::DealAmount)}</span>
                            <input type="text" name="amount" inputmode="decimal" autocomplete="off" value=d.card.amount.plain()/>
                            <FieldError error=amount_error field="amount"/>
                        </label>
                        <button type="submit" class="btn btn-primary">{locale.t(Msg::Save)}</button>
                    </form>
                </section>
            </div>
            <div>
                <section class="panel">
                    <h2>{locale.t(Msg::Payments)}</h2>
                    <PaymentLines title=locale.t(Msg::ExpectedPayments) lines=d.expected.clone() pending=Signal::derive(move || overlay.read().expected.clone())/>
                    <PaymentLines title=locale.t(Msg::ReceivedPayments) lines=d.received.clone() pending=Signal::derive(move || overlay.read().received.clone())/>
                    {move || (!is_lost_now.get()).then(|| view! {
                        <details class="reset" data-test="expect-form">
                            <summary class="btn btn-small">{locale.t(Msg::AddExpected)}</summary>
                            <form class="form" novalidate on:submit=on_expect.clone()>
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
                            </form>
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

/// This deal's changes that the server did not take: a conflict to decide, or a
/// rejection to read. They stay until the person acts.
#[component]
fn DealAttention(deal: DealId, stages: Vec<StageOption>) -> impl IntoView {
    let outbox = use_outbox();
    let stages = StoredValue::new(stages);
    move || {
        let entries: Vec<_> = outbox.state.read().for_deal(deal).filter(|e| !e.is_pending()).cloned().collect();
        (!entries.is_empty()).then(|| {
            stages.with_value(|stages| view! { <section class="panel attention" data-test="deal-attention">
                {entries.into_iter().map(|e| view! { <AttentionItem entry=e stages=stages.to_vec()/> }).collect_view()}
            </section> })
        })
    }
}

#[component]
fn PaymentLines(
    title: &'static str,
    lines: Vec<crate::api::deals::PaymentLine>,
    #[prop(into)] pending: Signal<Vec<(Money, NaiveDate)>>,
) -> impl IntoView {
    let locale = use_locale();
    let empty = lines.is_empty();
    view! {
        <h3 class="subhead">{title}</h3>
        <ul class="plain-list">
            {move || pending.get().into_iter().map(|(amount, on)| view! {
                <li class="pending" data-test="pending-payment">
                    <span>{format_date(locale, on)}" "<span class="pending-mark">{locale.t(Msg::PendingMark)}</span></span>
                    <span class="num">{amount.format(locale)}</span>
                </li>
            }).collect_view()}
            {lines.into_iter().map(|p| view! {
                <li><span>{format_date(locale, p.on)}</span><span class="num">{p.amount.format(locale)}</span></li>
            }).collect_view()}
        </ul>
        {move || (empty && pending.read().is_empty()).then(|| view! { <p class="muted">{locale.t(Msg::NoPaymentsYet)}</p> })}
    }
}

/// What a call, meeting or note form asks: which of the three, and what happened.
#[component]
pub(super) fn ActivityFields(#[prop(into)] error: Signal<Option<ApiError>>) -> impl IntoView {
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

pub fn activity_label(kind: ActivityKind) -> Msg {
    match kind {
        ActivityKind::Call => Msg::ActivityCall,
        ActivityKind::Meeting => Msg::ActivityMeeting,
        ActivityKind::Note => Msg::ActivityNote,
        ActivityKind::Stage => Msg::ActivityStage,
        ActivityKind::Payment => Msg::ActivityPayment,
    }
}
