//! The head's pipeline settings: rename stages, set their win probability, reorder,
//! add and remove them. Each row saves on its own, so an error stays next to its row.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

use super::action_error;
use crate::api::pipeline::{AddStage, DeleteStage, MoveStage, SaveStage, StageRow, pipeline_stages};
use crate::components::{AppFrame, ErrorNotice, FieldError, FormError};
use crate::domain::deal::Outcome;
use crate::i18n::Msg;
use crate::use_locale;

#[component]
pub fn PipelinePage() -> impl IntoView {
    let locale = use_locale();
    let changed = RwSignal::new(0u32);
    let data = Resource::new(move || changed.get(), |_| pipeline_stages());
    let add = ServerAction::<AddStage>::new();
    let add_error = action_error(add);
    super::reload_on_success(add, changed);
    view! {
        <Title text=format!("{} · {}", locale.t(Msg::PipelineSettings), locale.t(Msg::AppName))/>
        <AppFrame>
            <header class="page-head">
                <h1>{locale.t(Msg::PipelineSettings)}</h1>
                <p class="muted">{locale.t(Msg::PipelineSettingsHint)}</p>
            </header>
            <section class="panel">
                <Transition fallback=move || view! { <p class="muted">{locale.t(Msg::Loading)}</p> }>
                    {move || Suspend::new(async move {
                        match data.await {
                            Ok(rows) => {
                                let open = rows.iter().filter(|r| r.stage.outcome == Outcome::Open).count();
                                view! {
                                    <ol class="stage-rows" data-test="stages">
                                        {rows.into_iter().enumerate().map(|(i, row)| view! {
                                            <StageRowView row first=i == 0 last_open=i + 1 == open changed/>
                                        }).collect_view()}
                                    </ol>
                                }.into_any()
                            }
                            Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                        }
                    })}
                </Transition>
            </section>
            <section class="panel narrow" data-test="add-stage">
                <h2>{locale.t(Msg::AddStage)}</h2>
                <ActionForm action=add attr:class="form" attr:novalidate=true>
                    <label class="field">
                        <span>{locale.t(Msg::StageName)}</span>
                        <input name="name" maxlength="60"/>
                        <FieldError error=add_error field="name"/>
                    </label>
                    <label class="field">
                        <span>{locale.t(Msg::Probability)}</span>
                        <input name="probability" inputmode="numeric" value="50"/>
                        <FieldError error=add_error field="probability"/>
                    </label>
                    <FormError error=add_error/>
                    <button type="submit" class="btn btn-primary">{locale.t(Msg::AddStage)}</button>
                </ActionForm>
            </section>
            <p><A href="/board">{locale.t(Msg::NavBoard)}</A></p>
        </AppFrame>
    }
}

#[component]
fn StageRowView(row: StageRow, first: bool, last_open: bool, changed: RwSignal<u32>) -> impl IntoView {
    let locale = use_locale();
    let save = ServerAction::<SaveStage>::new();
    let shift = ServerAction::<MoveStage>::new();
    let delete = ServerAction::<DeleteStage>::new();
    let (save_error, shift_error, delete_error) = (action_error(save), action_error(shift), action_error(delete));
    super::reload_on_success(save, changed);
    super::reload_on_success(shift, changed);
    super::reload_on_success(delete, changed);
    let open = row.stage.outcome == Outcome::Open;
    let id = StoredValue::new(row.stage.id.clone());
    let label = row.stage.label(locale);
    let hidden = move || view! { <input type="hidden" name="stage" value=id.get_value()/> };
    let named = |msg: Msg| format!("{} «{}»", locale.t(msg), label);
    let (up_label, down_label, delete_label) = (named(Msg::MoveUp), named(Msg::MoveDown), named(Msg::Delete));
    view! {
        <li class="stage-row" data-test="stage-row">
            <ActionForm action=save attr:class="stage-form" attr:novalidate=true>
                {hidden()}
                <label class="field">
                    <span>{locale.t(Msg::StageName)}</span>
                    <input name="name" value=label maxlength="60"/>
                    <FieldError error=save_error field="name"/>
                </label>
                <label class="field stage-probability">
                    <span>{locale.t(Msg::Probability)}</span>
                    <input name="probability" inputmode="numeric" value=row.stage.probability.to_string() disabled=!open/>
                    <FieldError error=save_error field="probability"/>
                </label>
                <div class="stage-deals"><span class="muted">{locale.t(Msg::DealsHere)}</span><strong>{row.deals}</strong></div>
                <button type="submit" class="btn btn-small">{locale.t(Msg::Save)}</button>
            </ActionForm>
            {open.then(move || view! {
                <div class="stage-tools">
                    <ActionForm action=shift>
                        {hidden()}
                        <input type="hidden" name="direction" value="up"/>
                        <button type="submit" class="btn btn-small" disabled=first aria-label=up_label>"↑ "{locale.t(Msg::MoveUp)}</button>
                    </ActionForm>
                    <ActionForm action=shift>
                        {hidden()}
                        <input type="hidden" name="direction" value="down"/>
                        <button type="submit" class="btn btn-small" disabled=last_open aria-label=down_label>"↓ "{locale.t(Msg::MoveDown)}</button>
                    </ActionForm>
                    <ActionForm action=delete>
                        {hidden()}
                        <button type="submit" class="btn btn-small btn-danger" aria-label=delete_label>{locale.t(Msg::Delete)}</button>
                    </ActionForm>
                </div>
            })}
            <FieldError error=Signal::derive(move || shift_error.get().or(delete_error.get())) field="stage"/>
            <FormError error=save_error/>
        </li>
    }
}
