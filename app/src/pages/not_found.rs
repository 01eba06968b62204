use leptos::prelude::*;
use leptos_router::components::A;

use crate::i18n::Msg;
use crate::use_locale;

#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
        res.set_status(http::StatusCode::NOT_FOUND);
    }
    let locale = use_locale();
    view! {
        <div class="login-page">
            <div class="login-card">
                <h1>{locale.t(Msg::NotFoundTitle)}</h1>
                <A href="/" attr:class="btn btn-primary">{locale.t(Msg::BackHome)}</A>
            </div>
        </div>
    }
}
