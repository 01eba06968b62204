//! Widgets shared by the pages.

mod chart;
pub mod frame;
mod form;

pub use chart::BarChart;
pub use frame::{AppFrame, LanguageSwitch};
pub use form::{FieldError, FormError};

use leptos::prelude::*;

/// A headline figure: a label, a value, and an optional hint below.
#[component]
pub fn StatCard(
    label: &'static str,
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
