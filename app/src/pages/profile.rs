use leptos::prelude::*;
use leptos_meta::Title;

use super::action_error;
use crate::api::account::ChangePassword;
use crate::components::frame::role_label;
use crate::components::{AppFrame, FieldError, FormError, LanguageSwitch};
use crate::i18n::Msg;
use crate::{use_locale, use_viewer};

#[component]
pub fn Profile() -> impl IntoView {
    let locale = use_locale();
    let change = ServerAction::<ChangePassword>::new();
    let error = action_error(change);
    let done = move || matches!(change.value().get(), Some(Ok(())));
    let form = NodeRef::<leptos::html::Form>::new();
    Effect::new(move || {
        // Clear the password fields once the change went through; keep them on error.
        if done() {
            if let Some(f) = form.get() {
                f.reset();
            }
        }
    });
    let viewer = use_viewer();
    view! {
        <Title text=format!("{} · {}", locale.t(Msg::ProfileTitle), locale.t(Msg::AppName))/>
        <AppFrame>
            <header class="page-head"><h1>{locale.t(Msg::ProfileTitle)}</h1></header>
            {viewer.clone().map(|v| view! {
                <section class="panel">
                    <dl class="facts">
                        <dt>{locale.t(Msg::FullName)}</dt><dd>{v.name.clone()}</dd>
                        <dt>{locale.t(Msg::Email)}</dt><dd>{v.email.clone()}</dd>
                        <dt>{locale.t(Msg::Role)}</dt><dd>{locale.t(role_label(v.role))}</dd>
                        <dt>{locale.t(Msg::Department)}</dt><dd>{v.department_name.clone().unwrap_or_else(|| "—".into())}</dd>
                        <dt>{locale.t(Msg::Language)}</dt><dd><LanguageSwitch/></dd>
                    </dl>
                </section>
            })}
            <section class="panel narrow">
                <h2>{locale.t(Msg::ChangePassword)}</h2>
                <ActionForm action=change node_ref=form attr:class="form" attr:novalidate=true>
                    <label class="field">
                        <span>{locale.t(Msg::CurrentPassword)}</span>
                        <input type="password" name="current" autocomplete="current-password" required/>
                        <FieldError error field="current"/>
                    </label>
                    <label class="field">
                        <span>{locale.t(Msg::NewPasswordLabel)}</span>
                        <input type="password" name="new" autocomplete="new-password" minlength="8" required/>
                        <FieldError error field="new"/>
                    </label>
                    <label class="field">
                        <span>{locale.t(Msg::RepeatPassword)}</span>
                        <input type="password" name="repeat" autocomplete="new-password" required/>
                        <FieldError error field="repeat"/>
                    </label>
                    <FormError error/>
                    {move || done().then(|| view! { <p class="form-ok" role="status">{locale.t(Msg::PasswordChanged)}</p> })}
                    <button type="submit" class="btn btn-primary" disabled=move || change.pending().get()>{locale.t(Msg::Save)}</button>
                </ActionForm>
            </section>
        </AppFrame>
    }
}
