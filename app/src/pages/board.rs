//! The pipeline board: open deals in columns by stage. A deal moves by drag and drop,
//! or, from the keyboard, with the stage list on its card; "lost" asks for the reason.
//! A move is a change like any other: it goes through the outbox with the stage the
//! person saw, so a board left open while a manager moved the deal shows a conflict
//! instead of overwriting the manager's stage.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

use super::deals::ManagerFilter;
use crate::api::ApiError;
use crate::api::deals::{DealCard, StageOption, deal_error};
use crate::api::pipeline::{Board, pipeline_board};
use crate::api::sync::Change;
use crate::components::{AppFrame, AttentionItem, ErrorNotice, FieldError};
use crate::domain::deal::{self, Outcome};
use crate::domain::user::Role;
use crate::domain::{DealId, UserId};
use crate::i18n::Msg;
use crate::outbox::{Outbox, OutboxCtx, use_outbox};
use crate::{use_locale, use_viewer};

/// A deal as a board event sees it: id, the stage its card shows, its title.
type Moving = (DealId, String, String);

/// What the board does with a deal dropped or picked onto a stage.
#[derive(Clone, Copy)]
struct Mover {
    /// A deal waiting for its loss reason, and the lost stage's id.
    losing: RwSignal<Option<(Moving, String)>>,
    /// The deal being dragged.
    dragged: RwSignal<Option<Moving>>,
    /// The loss dialog's own check, made before anything is queued.
    error: RwSignal<Option<ApiError>>,
    outbox: OutboxCtx,
}

impl Mover {
    fn go(self, moving: Moving, to: &StageOption) {
        if moving.1 == to.id {
            return;
        }
        if to.outcome == Outcome::Lost {
            self.error.set(None);
            self.losing.set(Some((moving, to.id.clone())));
        } else {
            self.queue(moving, to.id.clone(), String::new());
        }
    }

    /// Queues the move against the stage the card showed.
    fn queue(self, (deal, seen, _): Moving, stage_id: String, loss_reason: String) {
        self.outbox.submit(Change::SetDealStage { deal_id: deal, stage_id, loss_reason, seen_stage_id: Some(seen) }, None);
    }

    fn drop_on(self, to: &StageOption) {
        if let Some(moving) = self.dragged.get_untracked() {
            self.dragged.set(None);
            self.go(moving, to);
        }
    }
}

/// The stage a deal stands at on this device: its latest waiting move, else the server's.
fn shown_stage(outbox: &Outbox, card: &DealCard) -> (String, bool) {
    let pending = outbox.for_deal(card.id).filter(|e| e.is_pending()).filter_map(|e| match &e.mutation.change {
        Change::SetDealStage { stage_id, .. } => Some(stage_id.clone()),
        _ => None,
    });
    match pending.last() {
        Some(stage) => (stage, true),
        None => (card.stage.id.clone(), false),
    }
}

#[component]
pub fn BoardPage() -> impl IntoView {
    let locale = use_locale();
    let is_head = use_viewer().is_some_and(|v| v.role == Role::Head);
    let query = use_query_map();
    let outbox = use_outbox();
    let selected = move || query.read().get("manager").and_then(|m| m.parse::<UserId>().ok());
    let mover = Mover { losing: RwSignal::new(None), dragged: RwSignal::new(None), error: RwSignal::new(None), outbox };
    // Loads again whenever a push was answered: the moves landed, or came back as conflicts.
    let data = Resource::new(move || (selected(), outbox.synced.get()), |(manager, _)| pipeline_board(manager));
    view! {
        <Title text=format!("{} · {}", locale.t(Msg::NavBoard), locale.t(Msg::AppName))/>
        <AppFrame>
            <header class="page-head page-head-row">
                <div>
                    <h1>{locale.t(Msg::NavBoard)}</h1>
                    <p class="muted">{locale.t(Msg::BoardHint)}</p>
                </div>
                {is_head.then(|| view! { <A href="/pipeline" attr:class="btn btn-small">{locale.t(Msg::PipelineSettings)}</A> })}
            </header>
            <Transition fallback=move || view! { <p class="muted">{locale.t(Msg::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(board) => view! { <BoardView board selected=selected() mover show_owner=is_head/> }.into_any(),
                        Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                    }
                })}
            </Transition>
            <LossDialog mover/>
        </AppFrame>
    }
}

/// The board's moves that the server did not take: a stage changed meanwhile (both
/// values, keep mine or take theirs), or a refusal with its reason.
#[component]
fn BoardAttention(stages: Vec<StageOption>) -> impl IntoView {
    let outbox = use_outbox();
    let stages = StoredValue::new(stages);
    move || {
        let entries: Vec<_> = outbox
            .state
            .read()
            .entries
            .iter()
            .filter(|e| !e.is_pending() && matches!(e.mutation.change, Change::SetDealStage { .. }))
            .cloned()
            .collect();
        (!entries.is_empty()).then(|| {
            stages.with_value(|stages| view! { <section class="panel attention" data-test="board-attention">
                {entries.into_iter().map(|e| view! { <AttentionItem entry=e stages=stages.to_vec()/> }).collect_view()}
            </section> })
        })
    }
}

#[component]
fn BoardView(board: Board, selected: Option<UserId>, mover: Mover, show_owner: bool) -> impl IntoView {
    let locale = use_locale();
    let outbox = use_outbox();
    let filter = (!board.managers.is_empty()).then(|| view! { <ManagerFilter managers=board.managers selected base="/board"/> });
    let stages: Vec<StageOption> =
        board.columns.iter().map(|c| c.stage.clone()).chain(board.closed.iter().map(|c| c.0.clone())).collect();
    let summary = move |count: i64, amount: crate::domain::Money| format!("{}: {count} · {}", locale.t(Msg::DealsCount), amount.format(locale));
    // Every card the board shows, once: a column lists those standing at its stage.
    let cards = StoredValue::new(board.columns.iter().flat_map(|c| c.cards.iter().cloned()).collect::<Vec<DealCard>>());
    let stages_all = StoredValue::new(stages.clone());
    let columns = board
        .columns
        .into_iter()
        .map(|col| {
            let stage = col.stage.clone();
            let hidden = col.count - col.cards.len() as i64;
            // A card stands where its waiting move put it, marked, until the server answers.
            let column_cards = move || {
                let outbox = outbox.state.read();
                cards.with_value(|cards| {
                    cards
                        .iter()
                        .filter_map(|card| {
                            let (at, pending) = shown_stage(&outbox, card);
                            (at == col.stage.id).then(|| view! { <BoardCard deal=card.clone() at pending stages=stages_all.get_value() mover show_owner/> })
                        })
                        .collect_view()
                })
            };
            let drop_stage = stage.clone();
            view! {
                <section class="board-col" data-test="board-column" data-stage=stage.id.clone()
                    on:dragover=|ev| ev.prevent_default()
                    on:drop=move |ev| { ev.prevent_default(); mover.drop_on(&drop_stage); }>
                    <header class="board-col-head">
                        <h2>{stage.label(locale)}<span class="muted">" · "{stage.probability}"%"</span></h2>
                        <div class="muted" data-test="column-summary">{summary(col.count, col.amount)}</div>
                    </header>
                    <ul class="board-cards">{column_cards}</ul>
                    {(hidden > 0).then(|| view! {
                        <p class="muted board-more">{format!("+{hidden} ")}<A href="/deals">{locale.t(Msg::BoardMoreInList)}</A></p>
                    })}
                </section>
            }
        })
        .collect_view();
    let closed = board
        .closed
        .into_iter()
        .map(|(stage, count, amount)| {
            let tone = if stage.outcome == Outcome::Won { "board-drop won" } else { "board-drop lost" };
            let label = stage.label(locale);
            view! {
                <section class=tone data-test="board-drop" data-stage=stage.id.clone()
                    on:dragover=|ev| ev.prevent_default()
                    on:drop=move |ev| { ev.prevent_default(); mover.drop_on(&stage); }>
                    <h2>{label}</h2>
                    <div class="muted">{format!("{}: {count} · {}", locale.t(Msg::DealsThisMonth), amount.format(locale))}</div>
                </section>
            }
        })
        .collect_view();
    view! {
        <BoardAttention stages/>
        {filter}
        <div class="board" data-test="board">{columns}</div>
        <div class="board-closed">{closed}</div>
    }
}

/// The deal a board event concerns, read from the card's `data-` attributes: the
/// handlers act on exactly what the card shows, whatever the list looked like when
/// they were attached.
fn card_of(ev: &leptos::ev::Event) -> Option<Moving> {
    use leptos::wasm_bindgen::JsCast;
    let card = ev.target()?.dyn_into::<leptos::web_sys::Element>().ok()?.closest("[data-deal]").ok()??;
    let deal = card.get_attribute("data-deal")?.parse().ok()?;
    Some((deal, card.get_attribute("data-stage")?, card.get_attribute("data-title")?))
}

#[component]
fn BoardCard(deal: DealCard, at: String, pending: bool, stages: Vec<StageOption>, mover: Mover, show_owner: bool) -> impl IntoView {
    let locale = use_locale();
    let id = deal.id;
    let title = deal.title.clone();
    let label = format!("{} «{}», {}", locale.t(Msg::MoveTo), deal.title, deal.client);
    let options = stages
        .iter()
        .map(|s| view! { <option value=s.id.clone() selected=s.id == at>{s.label(locale)}</option> })
        .collect_view();
    let on_pick = move |ev: leptos::ev::Event| {
        let picked = event_target_value(&ev);
        if let (Some(moving), Some(to)) = (card_of(&ev), stages.iter().find(|s| s.id == picked)) {
            mover.go(moving, to);
        }
    };
    view! {
        <li class="board-card" class:pending=pending draggable="true" data-test="board-card"
            data-deal=id.to_string() data-stage=at.clone() data-title=title
            on:dragstart=move |ev| {
                #[cfg(feature = "hydrate")]
                if let Some(dt) = ev.data_transfer() {
                    // Firefox starts a drag only when something is set.
                    let _ = dt.set_data("text/plain", &id.to_string());
                }
                mover.dragged.set(card_of(&ev));
            }
            on:dragend=move |_| mover.dragged.set(None)>
            <A href=format!("/deals/{id}") attr:class="board-card-title">{deal.title}</A>
            <div class="deal-meta">
                {deal.client}{show_owner.then(|| format!(" · {}", deal.owner_name))}
                {pending.then(|| view! { " "<span class="pending-mark" data-test="pending-mark">{locale.t(Msg::PendingMark)}</span> })}
            </div>
            <div class="board-card-foot">
                <span class="deal-amount">{deal.amount.format(locale)}</span>
                // The value property, not only `selected`, so a patched card shows its own stage.
                <select class="board-move" aria-label=label prop:value=at.clone() on:change=on_pick>
                    {options}
                </select>
            </div>
        </li>
    }
}

/// Asks why the deal was lost before moving it to "lost"; the reason is checked here,
/// by the same rule as on the server, before the move is queued.
#[component]
fn LossDialog(mover: Mover) -> impl IntoView {
    let locale = use_locale();
    let reason = NodeRef::<leptos::html::Input>::new();
    move || {
        mover.losing.get().map(|(moving, stage)| {
            let title = moving.2.clone();
            let submit = move |ev: leptos::ev::SubmitEvent| {
                ev.prevent_default();
                let loss_reason = reason.get().map(|i| i.value()).unwrap_or_default();
                if let Err(e) = deal::stage_move(Outcome::Lost, &loss_reason) {
                    return mover.error.set(Some(deal_error("loss_reason", e)));
                }
                mover.losing.set(None);
                mover.queue(moving.clone(), stage.clone(), loss_reason);
            };
            view! {
                <div class="dialog-backdrop">
                    <form class="panel dialog" role="dialog" aria-modal="true" aria-labelledby="loss-title" on:submit=submit
                        data-test="loss-dialog" novalidate>
                        <h2 id="loss-title">{locale.t(Msg::LossDialogTitle)}</h2>
                        <p class="muted" data-test="loss-deal">{title}</p>
                        <label class="field">
                            <span>{locale.t(Msg::LossReasonShort)}</span>
                            <input name="loss_reason" node_ref=reason autofocus=true/>
                        </label>
                        <FieldError error=mover.error field="loss_reason"/>
                        <div class="dialog-actions">
                            <button type="submit" class="btn btn-primary">{locale.t(Msg::MoveToLost)}</button>
                            <button type="button" class="btn" on:click=move |_| mover.losing.set(None)>{locale.t(Msg::Cancel)}</button>
                        </div>
                    </form>
                </div>
            }
        })
    }
}
