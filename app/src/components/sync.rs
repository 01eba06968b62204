//! What the outbox shows: how many changes wait and when the app last synced, a
//! request to sign in again when the session ended, and the changes the server did
//! not take, each with what the person can do about it.

use leptos::prelude::*;

use crate::api::deals::StageOption;
use crate::api::sync::Change;
use crate::domain::Money;
use crate::i18n::{Locale, Msg};
use crate::outbox::{Entry, EntryState, local_time, use_outbox};
use crate::use_locale;

/// The status line under the page title: pending count, last sync, and any change
/// needing attention. Empty until the device's outbox is read (after hydration).
#[component]
pub fn SyncStatus() -> impl IntoView {
    let locale = use_locale();
    let outbox = use_outbox();
    move || {
        let state = outbox.state.read();
        let (pending, attention, last) = (state.pending(), state.attention(), state.last_synced);
        let needs_login = outbox.needs_login.get();
        let entries: Vec<Entry> = state.entries.iter().filter(|e| !e.is_pending()).cloned().collect();
        drop(state);
        if pending == 0 && attention == 0 && last.is_none() && !needs_login {
            return None;
        }
        let last = last.map(|t| format!("{} {}", locale.t(Msg::SyncedAt), local_time(t)));
        Some(view! {
            <div class="sync-status" data-test="sync-status" role="status">
                {needs_login.then(|| view! {
                    <p class="sync-login" data-test="sync-login">
                        {locale.t(Msg::SyncSignInAgain)}" "<a href="/login" rel="external">{locale.t(Msg::LoginButton)}</a>
                    </p>
                })}
                <p class="sync-line">
                    {if pending > 0 {
                        view! { <span class="sync-pending">{locale.t(Msg::SyncPending)}": "<b data-test="pending-count">{pending}</b></span> }.into_any()
                    } else {
                        view! { <span class="sync-done" data-test="pending-count" data-count="0">{locale.t(Msg::SyncAllSent)}</span> }.into_any()
                    }}
                    {last.map(|l| view! { <span class="muted" data-test="last-synced">" · "{l}</span> })}
                </p>
                {(attention > 0).then(|| view! {
                    <details class="sync-attention" data-test="sync-attention">
                        <summary>{locale.t(Msg::SyncAttention)}": "{attention}</summary>
                        {entries.into_iter().map(|entry| view! { <AttentionItem entry stages=Vec::new()/> }).collect_view()}
                    </details>
                })}
            </div>
        })
    }
}

/// One change the server did not take: a conflict (keep mine / take theirs) or a
/// rejection with its reason (dismiss).
#[component]
pub fn AttentionItem(entry: Entry, stages: Vec<StageOption>) -> impl IntoView {
    let locale = use_locale();
    let outbox = use_outbox();
    let id = entry.mutation.id;
    let what = describe(&entry.mutation.change, locale, &stages);
    match entry.state {
        EntryState::Conflict { field, yours, theirs } => {
            let show = |v: &serde_json::Value| value_text(&field, v, locale, &stages);
            view! {
                <div class="attention-item conflict" data-test="conflict">
                    <p><b>{locale.t(Msg::ConflictTitle)}</b>" "{what}</p>
                    <p class="conflict-values">
                        <span>{locale.t(Msg::ConflictYours)}": "<b data-test="conflict-yours">{show(&yours)}</b></span>
                        <span>{locale.t(Msg::ConflictTheirs)}": "<b data-test="conflict-theirs">{show(&theirs)}</b></span>
                    </p>
                    <div class="actions">
                        <button type="button" class="btn btn-primary btn-small" data-test="keep-mine" on:click=move |_| outbox.keep_mine(id)>
                            {locale.t(Msg::KeepMine)}
                        </button>
                        <button type="button" class="btn btn-small" data-test="take-theirs" on:click=move |_| outbox.dismiss(id)>
                            {locale.t(Msg::TakeTheirs)}
                        </button>
                    </div>
                </div>
            }
            .into_any()
        }
        EntryState::Rejected { message } => view! {
            <div class="attention-item rejected" data-test="rejected">
                <p><b>{locale.t(Msg::RejectedTitle)}</b>" "{what}</p>
                <p class="field-error">{message}</p>
                <button type="button" class="btn btn-small" data-test="dismiss" on:click=move |_| outbox.dismiss(id)>{locale.t(Msg::DismissNotice)}</button>
            </div>
        }
        .into_any(),
        EntryState::Pending => ().into_any(),
    }
}

/// A change in words: what kind, and its main value.
pub fn describe(change: &Change, locale: Locale, stages: &[StageOption]) -> String {
    let (msg, detail) = match change {
        Change::SetDealStage { stage_id, .. } => (Msg::Stage, stage_name(stage_id, locale, stages)),
        Change::SetDealAmount { amount, .. } => (Msg::DealAmount, amount.format(locale)),
        Change::SetNextStep { next_step, .. } => (Msg::NextStep, next_step.clone()),
        Change::LogActivity { activity, body, .. } | Change::LogClientActivity { activity, body, .. } => {
            (crate::pages::activity_label(*activity), body.clone())
        }
        Change::RecordPayment { amount, .. } => (Msg::RecordPayment, amount.format(locale)),
        Change::ExpectPayment { amount, .. } => (Msg::AddExpected, amount.format(locale)),
        Change::CreateClient { client, .. } => (Msg::NewClient, client.name.clone()),
        Change::UpdateClient { name, .. } => (Msg::EditClient, name.clone()),
        Change::SaveContact { name, phone, .. } => (Msg::ContactPerson, if name.is_empty() { phone.clone() } else { name.clone() }),
        Change::RemoveContact { .. } => (Msg::Remove, locale.t(Msg::ContactPerson).to_string()),
        Change::CreateDeal { title, .. } => (Msg::NewDeal, title.clone()),
        Change::SubmitReport { done, .. } => (Msg::ReportTitle, done.clone()),
        Change::CheckInGoal { value, .. } => (Msg::GoalCheckIn, value.to_string()),
    };
    format!("{}: {detail}", locale.t(msg))
}

fn stage_name(id: &str, locale: Locale, stages: &[StageOption]) -> String {
    stages.iter().find(|s| s.id == id).map(|s| s.label(locale)).unwrap_or_else(|| id.to_string())
}

fn value_text(field: &str, v: &serde_json::Value, locale: Locale, stages: &[StageOption]) -> String {
    match (field, v) {
        ("amount", v) => v.as_i64().map(|k| Money::from_kopecks(k).format(locale)).unwrap_or_default(),
        (_, serde_json::Value::String(s)) => stage_name(s, locale, stages),
        (_, other) => other.to_string(),
    }
}
