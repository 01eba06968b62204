//! Widgets shared by the pages.

mod chart;
pub mod frame;
mod form;
mod sync;

pub use chart::{BarChart, FunnelBar, FunnelChart};
pub use frame::{AppFrame, LanguageSwitch};
pub use form::{FieldError, FormError, TextField};
pub use sync::{AttentionItem, SyncStatus};

use leptos::prelude::*;

use crate::api::ApiError;
use crate::i18n::Msg;
use crate::use_locale;

/// A page-level failure (not found, not allowed, no network) in the user's language.
#[component]
pub fn ErrorNotice(error: ApiError) -> impl IntoView {
    let locale = use_locale();
    let msg = error.general().unwrap_or(Msg::ErrInternal);
    view! { <p class="notice notice-error" role="alert">{locale.t(msg)}</p> }
}

/// A headline figure: a label, a value, and an optional hint below.
#[component]
pub fn StatCard(
    #[prop(into)] label: String,
    value: String,
    #[prop(optional)] hint: Option<String>,
    #[prop(optional)] tone: &'static str,
) -> impl IntoView {
    view! {
        <div class=format!("stat {tone}")>
            <div class="stat-label">{label}</div>
            <div class="stat-value">{value}</div>
            {hint.map(|h| view! { <div class="stat-hint">{h}</div> })}
        </div>
    }
}
