use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map};

use super::action_error;
use super::deals::DealRow;
use crate::api::ApiError;
use crate::api::clients::{ClientDetail, CreateClient, CreateDeal, find_clients, open_client};
use crate::components::{AppFrame, ErrorNotice, FieldError, FormError};
use crate::domain::ClientId;
use crate::domain::deal::Outcome;
use crate::i18n::Msg;
use crate::use_locale;

/// Clients with a search box that answers as you type, and the new-client form.
#[component]
pub fn Clients() -> impl IntoView {
    let locale = use_locale();
    let query = RwSignal::new(String::new());
    let is_head = crate::use_viewer().is_some_and(|v| v.role == crate::domain::user::Role::Head);
    let results = Resource::new(move || query.get(), find_clients);
    view! {
        <Title text=format!("{} · {}", locale.t(Msg::Clients), locale.t(Msg::AppName))/>
        <AppFrame>
            <header class="page-head page-head-row">
                <h1>{locale.t(Msg::Clients)}</h1>
                <div class="head-actions">
                    {is_head.then(|| view! { <A href="/import" attr:class="btn btn-small">{locale.t(Msg::ImportTitle)}</A> })}
                    <a href=move || format!("/api/export/clients.csv?query={}", encode(&query.get())) download rel="external" class="btn btn-small" data-test="export">
                        {locale.t(Msg::Export)}
                    </a>
                </div>
            </header>
            <input
                type="search"
                class="search"
                name="q"
                autocomplete="off"
                placeholder=locale.t(Msg::SearchClients)
                aria-label=locale.t(Msg::SearchClients)
                prop:value=move || query.get()
                on:input=move |ev| query.set(event_target_value(&ev))
            />
            <Transition fallback=move || view! { <p class="muted">{locale.t(Msg::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match results.await {
                        Ok(rows) if rows.is_empty() => view! { <p class="notice">{locale.t(Msg::NoClientsFound)}</p> }.into_any(),
                        Ok(rows) => view! {
                            <ul class="deal-list" data-test="client-list">
                                {rows.into_iter().map(|c| view! {
                                    <li>
                                        <A href=format!("/clients/{}", c.id) attr:class="deal-row">
                                            <div class="deal-row-main">
                                                <div class="deal-title">{c.name}</div>
                                                <div class="deal-meta">
                                                    {[c.contact, c.phone, c.inn.map(|i| format!("{} {i}", locale.t(Msg::Inn))).unwrap_or_default()]
                                                        .into_iter().filter(|s| !s.is_empty()).collect::<Vec<_>>().join(" · ")}
                                                </div>
                                            </div>
                                            <div class="deal-row-side">
                                                <span class="chip">{locale.t(Msg::OpenDeals)}": "{c.open_deals}</span>
                                                <div class="deal-meta">{c.owner_name}</div>
                                            </div>
                                        </A>
                                    </li>
                                }).collect_view()}
                            </ul>
                        }.into_any(),
                        Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                    }
                })}
            </Transition>
            <NewClientForm/>
        </AppFrame>
    }
}

/// A query string value: letters and digits as they are, everything else %-encoded.
fn encode(s: &str) -> String {
    s.bytes().map(|b| if b.is_ascii_alphanumeric() { (b as char).to_string() } else { format!("%{b:02X}") }).collect()
}

#[component]
fn NewClientForm() -> impl IntoView {
    let locale = use_locale();
    let create = ServerAction::<CreateClient>::new();
    let error = action_error(create);
    let navigate = use_navigate();
    Effect::new(move || {
        if let Some(Ok(id)) = create.value().get() {
            navigate(&format!("/clients/{id}"), Default::default());
        }
    });
    let field = move |name: &'static str, label: Msg, kind: &'static str, mode: &'static str| {
        view! {
            <label class="field">
                <span>{locale.t(label)}</span>
                <input type=kind name=name inputmode=mode autocomplete="off"/>
                <FieldError error field=name/>
            </label>
        }
    };
    view! {
        <details class="panel new-client" data-test="new-client">
            <summary class="btn btn-primary">{locale.t(Msg::NewClient)}</summary>
            <ActionForm action=create attr:class="form" attr:novalidate=true>
                {field("name", Msg::CompanyName, "text", "text")}
                <label class="field">
                    <span>{locale.t(Msg::Inn)}</span>
                    <input type="text" name="inn" inputmode="numeric" autocomplete="off" aria-describedby="inn-hint"/>
                    <small id="inn-hint" class="muted">{locale.t(Msg::InnHint)}</small>
                    <FieldError error field="inn"/>
                </label>
                <div class="field-row">
                    {field("contact_name", Msg::ContactPerson, "text", "text")}
                    {field("contact_position", Msg::Position, "text", "text")}
                </div>
                <div class="field-row">
                    {field("contact_phone", Msg::Phone, "tel", "tel")}
                    {field("contact_email", Msg::Email, "email", "email")}
                </div>
                {field("notes", Msg::Notes, "text", "text")}
                <FormError error/>
                <button type="submit" class="btn btn-primary">{locale.t(Msg::Create)}</button>
            </ActionForm>
        </details>
    }
}

/// One client: contacts, deals, and a form for a new deal.
#[component]
pub fn ClientPage() -> impl IntoView {
    let locale = use_locale();
    let params = use_params_map();
    let create = ServerAction::<CreateDeal>::new();
    let data = Resource::new(
        move || (params.read().get("id"), create.version().get()),
        |(id, _)| async move {
            let id: ClientId = id.and_then(|s| s.parse().ok()).ok_or(ApiError::NotFound)?;
            open_client(id).await
        },
    );
    view! {
        <AppFrame>
            <Transition fallback=move || view! { <p class="muted">{locale.t(Msg::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(c) => view! { <ClientView c create/> }.into_any(),
                        Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                    }
                })}
            </Transition>
        </AppFrame>
    }
}

#[component]
fn ClientView(c: ClientDetail, create: ServerAction<CreateDeal>) -> impl IntoView {
    let locale = use_locale();
    let error = action_error(create);
    let id = c.id.to_string();
    let today = c.today;
    let deals = c.deals.into_iter().map(|d| view! { <DealRow deal=d today show_owner=false/> }).collect_view();
    let open_stages: Vec<_> = c.stages.into_iter().filter(|s| s.outcome == Outcome::Open).collect();
    view! {
        <Title text=format!("{} · {}", c.name, locale.t(Msg::AppName))/>
        <header class="page-head">
            <h1>{c.name.clone()}</h1>
            <p class="muted">
                {c.inn.clone().map(|i| format!("{} {i} · ", locale.t(Msg::Inn)))}{c.owner_name.clone()}
            </p>
        </header>
        <div class="grid-2">
            <div>
                <section class="panel">
                    <h2>{locale.t(Msg::Deals)}</h2>
                    <ul class="deal-list" data-test="client-deals">{deals}</ul>
                </section>
                <section class="panel" data-test="new-deal">
                    <h2>{locale.t(Msg::NewDeal)}</h2>
                    <ActionForm action=create attr:class="form" attr:novalidate=true>
                        <input type="hidden" name="client" value=id/>
                        <label class="field">
                            <span>{locale.t(Msg::DealTitle)}</span>
                            <input type="text" name="title" maxlength="2000" autocomplete="off"/>
                            <FieldError error field="title"/>
                        </label>
                        <div class="field-row">
                            <label class="field">
                                <span>{locale.t(Msg::DealAmount)}</span>
                                <input type="text" name="amount" inputmode="decimal" autocomplete="off"/>
                                <FieldError error field="amount"/>
                            </label>
                            <label class="field">
                                <span>{locale.t(Msg::Stage)}</span>
                                <select name="stage">
                                    {open_stages.iter().map(|s| view! { <option value=s.id.clone()>{s.label(locale)}</option> }).collect_view()}
                                </select>
                                <FieldError error field="stage"/>
                            </label>
                        </div>
                        <div class="field-row">
                            <label class="field">
                                <span>{locale.t(Msg::ExpectedClose)}</span>
                                <input type="date" name="expected_close_on" min=today.format("%Y-%m-%d").to_string()/>
                                <FieldError error field="expected_close_on"/>
                            </label>
                            <label class="field">
                                <span>{locale.t(Msg::Source)}</span>
                                <input type="text" name="source" autocomplete="off"/>
                            </label>
                        </div>
                        <div class="field-row">
                            <label class="field">
                                <span>{locale.t(Msg::NextStep)}</span>
                                <input type="text" name="next_step" autocomplete="off"/>
                            </label>
                            <label class="field">
                                <span>{locale.t(Msg::DueOn)}</span>
                                <input type="date" name="next_step_due_on"/>
                                <FieldError error field="next_step_due_on"/>
                            </label>
                        </div>
                        <FormError error/>
                        <button type="submit" class="btn btn-primary">{locale.t(Msg::Create2)}</button>
                    </ActionForm>
                </section>
            </div>
            <section class="panel">
                <h2>{locale.t(Msg::Contacts)}</h2>
                <ul class="history">
                    {c.contacts.into_iter().map(|ct| view! {
                        <li>
                            <span class="history-body"><strong>{ct.name}</strong>" "{ct.position}</span>
                            <span class="history-meta">
                                {(!ct.phone.is_empty()).then(|| view! { <a href=format!("tel:{}", ct.phone.replace([' ', '(', ')', '-'], ""))>{ct.phone.clone()}</a> })}
                                " "
                                {(!ct.email.is_empty()).then(|| view! { <a href=format!("mailto:{}", ct.email)>{ct.email.clone()}</a> })}
                            </span>
                        </li>
                    }).collect_view()}
                </ul>
                {(!c.notes.is_empty()).then(|| view! { <p class="muted">{c.notes.clone()}</p> })}
            </section>
        </div>
    }
}
