use leptos::prelude::*;

use crate::api::ApiError;
use crate::use_locale;

/// The message for one field from the last submission, shown right under it.
#[component]
pub fn FieldError(#[prop(into)] error: Signal<Option<ApiError>>, field: &'static str) -> impl IntoView {
    let locale = use_locale();
    move || {
        error.get().and_then(|e| e.for_field(field)).map(|msg| {
            view! { <p class="field-error" role="alert" data-field=field>{locale.t(msg)}</p> }
        })
    }
}

/// A message for the form as a whole (session expired, no network, not allowed).
#[component]
pub fn FormError(#[prop(into)] error: Signal<Option<ApiError>>) -> impl IntoView {
    let locale = use_locale();
    move || {
        error.get().and_then(|e| e.general()).map(|msg| view! { <p class="form-error" role="alert">{locale.t(msg)}</p> })
    }
}

/// A labelled one-line input with its field's error under it. `kind` is the input type
/// (which also picks the phone keyboard for `tel`, the e-mail one for `email`).
#[component]
pub fn TextField(
    #[prop(into)] error: Signal<Option<ApiError>>,
    name: &'static str,
    label: crate::i18n::Msg,
    #[prop(default = "text")] kind: &'static str,
    #[prop(optional, into)] value: String,
) -> impl IntoView {
    let locale = use_locale();
    view! {
        <label class="field">
            <span>{locale.t(label)}</span>
            <input type=kind name=name value=value autocomplete="off"/>
            <FieldError error field=name/>
        </label>
    }
}
