use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;

use super::action_error;
use crate::api::account::Login as LoginFn;
use crate::components::{FieldError, FormError, LanguageSwitch};
use crate::i18n::Msg;
use crate::{reload_to, use_locale, use_viewer};

#[component]
pub fn Login() -> impl IntoView {
    let locale = use_locale();
    if use_viewer().is_some() {
        return view! { <Redirect path="/"/> }.into_any();
    }
    let login = ServerAction::<LoginFn>::new();
    let error = action_error(login);
    Effect::new(move || {
        if let Some(Ok(())) = login.value().get() {
            reload_to("/");
        }
    });
    view! {
        <Title text=format!("{} · {}", locale.t(Msg::LoginTitle), locale.t(Msg::AppName))/>
        <div class="login-page">
            <div class="login-card">
                <div class="login-top">
                    <div class="brand">
                        <span class="logo" aria-hidden="true">"P"</span>
                        <span class="brand-name">{locale.t(Msg::AppName)}</span>
                    </div>
                    <LanguageSwitch/>
                </div>
                <h1>{locale.t(Msg::LoginTitle)}</h1>
                <p class="muted">{locale.t(Msg::LoginSubtitle)}</p>
                <ActionForm action=login attr:class="form" attr:novalidate=true>
                    <label class="field">
                        <span>{locale.t(Msg::Email)}</span>
                        <input type="email" name="email" autocomplete="username" inputmode="email" required
                            class:invalid=move || error.get().and_then(|e| e.for_field("email")).is_some()/>
                        <FieldError error field="email"/>
                    </label>
                    <label class="field">
                        <span>{locale.t(Msg::Password)}</span>
                        <input type="password" name="password" autocomplete="current-password" required
                            class:invalid=move || error.get().and_then(|e| e.for_field("password")).is_some()/>
                        <FieldError error field="password"/>
                    </label>
                    <FormError error/>
                    <button type="submit" class="btn btn-primary btn-block" disabled=move || login.pending().get()>
                        {move || if login.pending().get() { locale.t(Msg::LoginInProgress) } else { locale.t(Msg::LoginButton) }}
                    </button>
                </ActionForm>
            </div>
        </div>
    }
    .into_any()
}
