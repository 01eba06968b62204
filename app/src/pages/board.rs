//! The pipeline board: open deals in columns by stage. A deal moves by drag and drop,
//! or, from the keyboard, with the stage list on its card; "lost" asks for the reason.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

use super::action_error;
use super::deals::ManagerFilter;
use crate::api::deals::{DealCard, SetDealStage, StageOption};
use crate::api::pipeline::{Board, pipeline_board};
use crate::components::{AppFrame, ErrorNotice, FieldError, FormError};
use crate::domain::deal::Outcome;
use crate::domain::user::Role;
use crate::domain::{DealId, UserId};
use crate::i18n::Msg;
use crate::{use_locale, use_viewer};

/// What the board does with a deal dropped or picked onto a stage.
#[derive(Clone, Copy)]
struct Mover {
    action: ServerAction<SetDealStage>,
    /// A deal waiting for its loss reason: (deal, lost stage id, deal title).
    losing: RwSignal<Option<(DealId, String, String)>>,
    /// The deal being dragged: id, its stage, its title.
    dragged: RwSignal<Option<(DealId, String, String)>>,
}

impl Mover {
    fn go(self, deal: DealId, title: String, from: &str, to: &StageOption) {
        if from == to.id {
            return;
        }
        if to.outcome == Outcome::Lost {
            self.losing.set(Some((deal, to.id.clone(), title)));
        } else {
            self.action.dispatch(SetDealStage { deal, stage: to.id.clone(), loss_reason: String::new() });
        }
    }

    fn drop_on(self, to: &StageOption) {
        if let Some((deal, from, title)) = self.dragged.get_untracked() {
            self.dragged.set(None);
            self.go(deal, title, &from, to);
        }
    }
}

#[component]
pub fn BoardPage() -> impl IntoView {
    let locale = use_locale();
    let is_head = use_viewer().is_some_and(|v| v.role == Role::Head);
    let query = use_query_map();
    let selected = move || query.read().get("manager").and_then(|m| m.parse::<UserId>().ok());
    let mover = Mover { action: ServerAction::<SetDealStage>::new(), losing: RwSignal::new(None), dragged: RwSignal::new(None) };
    let data = Resource::new(move || (selected(), mover.action.version().get()), |(manager, _)| pipeline_board(manager));
    let error = action_error(mover.action);
    // A successful move closes the loss-reason dialog.
    Effect::new(move || {
        if matches!(mover.action.value().get(), Some(Ok(()))) {
            mover.losing.set(None);
        }
    });
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
            <div class="form-error-slot">
                {move || mover.losing.get().is_none().then(|| view! { <FormError error/> })}
            </div>
            <Transition fallback=move || view! { <p class="muted">{locale.t(Msg::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(board) => view! { <BoardView board selected=selected() mover show_owner=is_head/> }.into_any(),
                        Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                    }
                })}
            </Transition>
            <LossDialog mover error/>
        </AppFrame>
    }
}

#[component]
fn BoardView(board: Board, selected: Option<UserId>, mover: Mover, show_owner: bool) -> impl IntoView {
    let locale = use_locale();
    let filter = (!board.managers.is_empty()).then(|| view! { <ManagerFilter managers=board.managers selected base="/board"/> });
    let stages: Vec<StageOption> =
        board.columns.iter().map(|c| c.stage.clone()).chain(board.closed.iter().map(|c| c.0.clone())).collect();
    let summary = move |count: i64, amount: crate::domain::Money| format!("{}: {count} · {}", locale.t(Msg::DealsCount), amount.format(locale));
    let columns = board
        .columns
        .into_iter()
        .map(|col| {
            let stage = col.stage.clone();
            let hidden = col.count - col.cards.len() as i64;
            let cards = col.cards.into_iter().map(|deal| view! { <BoardCard deal stages=stages.clone() mover show_owner/> }).collect_view();
            view! {
                <section class="board-col" data-test="board-column" data-stage=stage.id.clone()
                    on:dragover=|ev| ev.prevent_default()
                    on:drop=move |ev| { ev.prevent_default(); mover.drop_on(&stage); }>
                    <header class="board-col-head">
                        <h2>{col.stage.label(locale)}<span class="muted">" · "{col.stage.probability}"%"</span></h2>
                        <div class="muted" data-test="column-summary">{summary(col.count, col.amount)}</div>
                    </header>
                    <ul class="board-cards">{cards}</ul>
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
        {filter}
        <div class="board" data-test="board">{columns}</div>
        <div class="board-closed">{closed}</div>
    }
}

/// The deal a board event concerns, read from the card's `data-` attributes: the
/// handlers act on exactly what the card shows, whatever the list looked like when
/// they were attached.
fn card_of(ev: &leptos::ev::Event) -> Option<(DealId, String, String)> {
    use leptos::wasm_bindgen::JsCast;
    let card = ev.target()?.dyn_into::<leptos::web_sys::Element>().ok()?.closest("[data-deal]").ok()??;
    let deal = card.get_attribute("data-deal")?.parse().ok()?;
    Some((deal, card.get_attribute("data-stage")?, card.get_attribute("data-title")?))
}

#[component]
fn BoardCard(deal: DealCard, stages: Vec<StageOption>, mover: Mover, show_owner: bool) -> impl IntoView {
    let locale = use_locale();
    let id = deal.id;
    let (title, stage_id, stage_value) = (deal.title.clone(), deal.stage.id.clone(), deal.stage.id.clone());
    let label = format!("{} «{}», {}", locale.t(Msg::MoveTo), deal.title, deal.client);
    let options = stages
        .iter()
        .map(|s| view! { <option value=s.id.clone() selected=s.id == deal.stage.id>{s.label(locale)}</option> })
        .collect_view();
    let on_pick = move |ev: leptos::ev::Event| {
        let picked = event_target_value(&ev);
        if let (Some((deal, from, title)), Some(to)) = (card_of(&ev), stages.iter().find(|s| s.id == picked)) {
            mover.go(deal, title, &from, to);
        }
    };
    view! {
        <li class="board-card" draggable="true" data-test="board-card"
            data-deal=id.to_string() data-stage=stage_id data-title=title
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
            <div class="deal-meta">{deal.client}{show_owner.then(|| format!(" · {}", deal.owner_name))}</div>
            <div class="board-card-foot">
                <span class="deal-amount">{deal.amount.format(locale)}</span>
                // The value property, not only `selected`, so a patched card shows its own stage.
                <select class="board-move" aria-label=label prop:value=stage_value on:change=on_pick>
                    {options}
                </select>
            </div>
        </li>
    }
}

/// Asks why the deal was lost before moving it to "lost".
#[component]
fn LossDialog(mover: Mover, error: Signal<Option<crate::api::ApiError>>) -> impl IntoView {
    let locale = use_locale();
    let reason = NodeRef::<leptos::html::Input>::new();
    move || {
        mover.losing.get().map(|(deal, stage, title)| {
            let submit = move |ev: leptos::ev::SubmitEvent| {
                ev.prevent_default();
                let loss_reason = reason.get().map(|i| i.value()).unwrap_or_default();
                mover.action.dispatch(SetDealStage { deal, stage: stage.clone(), loss_reason });
            };
            view! {
                <div class="dialog-backdrop">
                    <form class="panel dialog" role="dialog" aria-modal="true" aria-labelledby="loss-title" on:submit=submit
                        data-test="loss-dialog" novalidate>
                        <h2 id="loss-title">{locale.t(Msg::LossDialogTitle)}</h2>
                        <p class="muted" data-test="loss-deal">{title.clone()}</p>
                        <label class="field">
                            <span>{locale.t(Msg::LossReasonShort)}</span>
                            <input name="loss_reason" node_ref=reason autofocus=true/>
                        </label>
                        <FieldError error field="loss_reason"/>
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
