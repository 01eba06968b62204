use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map};

use super::deals::{ActivityFields, DealRow, activity_label, activity_text};
use crate::api::ApiError;
use crate::api::clients::{ClientDetail, ContactLine, client_error, find_clients, open_client};
use crate::api::deals::deal_error;
use crate::api::sync::Change;
use crate::components::{AppFrame, ErrorNotice, FieldError, FormError, TextField};
use crate::domain::ClientId;
use crate::domain::client::{ClientInput, NewClient};
use crate::domain::deal::{ActivityKind, NewDeal, Outcome};
use crate::i18n::{Msg, format_date};
use crate::outbox::{device_today, fields, reset, use_outbox};
use crate::use_locale;
use leptos::ev::SubmitEvent;

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
    let outbox = use_outbox();
    let error: RwSignal<Option<ApiError>> = RwSignal::new(None);
    // The client just queued: its page opens once the server has it.
    let queued: RwSignal<Option<ClientId>> = RwSignal::new(None);
    let waiting = move |id: ClientId| {
        outbox.state.read().entries.iter().any(|e| matches!(e.mutation.change, Change::CreateClient { client_id, .. } if client_id == id))
    };
    let navigate = use_navigate();
    Effect::new(move || {
        if let Some(id) = queued.get() {
            if !waiting(id) {
                queued.set(None);
                navigate(&format!("/clients/{id}"), Default::default());
            }
        }
    });
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let f = fields(&ev);
        let get = |k: &str| f.get(k);
        let client = ClientInput {
            name: get("name"),
            inn: get("inn"),
            contact_name: get("contact_name"),
            contact_position: get("contact_position"),
            contact_phone: get("contact_phone"),
            contact_email: get("contact_email"),
            notes: get("notes"),
        };
        if let Err(e) = NewClient::parse(&client) {
            return error.set(Some(client_error(e)));
        }
        error.set(None);
        let client_id = ClientId::new();
        outbox.submit(Change::CreateClient { client_id, client }, None);
        queued.set(Some(client_id));
        reset(&ev);
    };
    view! {
        <details class="panel new-client" data-test="new-client">
            <summary class="btn btn-primary">{locale.t(Msg::NewClient)}</summary>
            {move || queued.get().is_some().then(|| view! {
                <p class="form-ok" role="status" data-test="client-waiting">{locale.t(Msg::ClientWaiting)}</p>
            })}
            <form class="form" novalidate on:submit=on_submit>
                <TextField error name="name" label=Msg::CompanyName/>
                <label class="field">
                    <span>{locale.t(Msg::Inn)}</span>
                    <input type="text" name="inn" inputmode="numeric" autocomplete="off" aria-describedby="inn-hint"/>
                    <small id="inn-hint" class="muted">{locale.t(Msg::InnHint)}</small>
                    <FieldError error field="inn"/>
                </label>
                <div class="field-row">
                    <TextField error name="contact_name" label=Msg::ContactPerson/>
                    <TextField error name="contact_position" label=Msg::Position/>
                </div>
                <div class="field-row">
                    <TextField error name="contact_phone" label=Msg::Phone kind="tel"/>
                    <TextField error name="contact_email" label=Msg::Email kind="email"/>
                </div>
                <TextField error name="notes" label=Msg::Notes/>
                <FormError error/>
                <button type="submit" class="btn btn-primary">{locale.t(Msg::Create)}</button>
            </form>
        </details>
    }
}

/// One client: contacts, deals, and a form for a new deal.
#[component]
pub fn ClientPage() -> impl IntoView {
    let locale = use_locale();
    let params = use_params_map();
    let outbox = use_outbox();
    let data = Resource::new(
        move || (params.read().get("id"), outbox.synced.get()),
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
                        Ok(c) => view! { <ClientView c/> }.into_any(),
                        Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                    }
                })}
            </Transition>
        </AppFrame>
    }
}

#[component]
fn ClientView(c: ClientDetail) -> impl IntoView {
    let locale = use_locale();
    let outbox = use_outbox();
    let (error, log_error, edit_error): (RwSignal<Option<ApiError>>, RwSignal<Option<ApiError>>, RwSignal<Option<ApiError>>) =
        (RwSignal::new(None), RwSignal::new(None), RwSignal::new(None));
    let client_id = c.id;
    let today = c.today;
    let stages = StoredValue::new(c.stages.clone());
    let on_deal = move |ev: SubmitEvent| {
        ev.prevent_default();
        let f = fields(&ev);
        let checked = (|| {
            let amount = f.money("amount")?;
            let stage_id = f.get("stage");
            let form = NewDeal::parse(
                &f.get("title"),
                amount,
                f.optional_date("expected_close_on")?,
                &f.get("next_step"),
                f.optional_date("next_step_due_on")?,
                &f.get("source"),
                device_today(today),
            )
            .map_err(|(field, e)| deal_error(field, e))?;
            if !stages.with_value(|s| {
                s.iter().any(|s| s.id == stage_id && s.outcome == Outcome::Open)
            }) {
                return Err(ApiError::invalid("stage", Msg::ErrChooseOne));
            }
            Ok(Change::CreateDeal {
                deal_id: crate::domain::DealId::new(),
                client_id,
                title: form.title,
                amount: form.amount,
                stage_id,
                expected_close_on: form.expected_close_on,
                next_step: form.next_step,
                next_step_due_on: form.next_step_due_on,
                source: form.source,
            })
        })();
        match checked {
            Ok(change) => {
                error.set(None);
                outbox.submit(change, None);
                reset(&ev);
            }
            Err(e) => error.set(Some(e)),
        }
    };
    let on_log = move |ev: SubmitEvent| {
        ev.prevent_default();
        let f = fields(&ev);
        let Some(activity) = ActivityKind::parse(&f.get("activity")).filter(|k| ActivityKind::LOGGABLE.contains(k)) else {
            return log_error.set(Some(ApiError::invalid("activity", Msg::ErrChooseOne)));
        };
        match crate::domain::deal::text(&f.get("body")) {
            Ok(body) => {
                log_error.set(None);
                outbox.submit(Change::LogClientActivity { client_id, activity, body }, None);
                reset(&ev);
            }
            Err(e) => log_error.set(Some(deal_error("body", e))),
        }
    };
    let on_edit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let f = fields(&ev);
        let (name, inn, notes) = (f.get("name"), f.get("inn"), f.get("notes"));
        match crate::domain::client::ClientFields::parse(&name, &inn, &notes) {
            Ok(_) => {
                edit_error.set(None);
                outbox.submit(Change::UpdateClient { client_id, name, inn, notes }, None);
            }
            Err(e) => edit_error.set(Some(client_error(e))),
        }
    };
    let server_name = c.name.clone();
    let pending_name = move || {
        outbox.state.read().entries.iter().filter(|e| e.is_pending()).fold(None, |last, e| match &e.mutation.change {
            Change::UpdateClient { client_id: c, name, .. } if *c == client_id => Some(name.trim().to_string()),
            _ => last,
        })
    };
    // This client's changes still waiting: new deals and logged activities.
    let pending_deals = move || {
        outbox.state.read().entries.iter().filter(|e| e.is_pending()).filter_map(|e| match &e.mutation.change {
            Change::CreateDeal { client_id: c, title, amount, .. } if *c == client_id => Some((title.clone(), *amount)),
            _ => None,
        }).collect::<Vec<_>>()
    };
    let pending_log = move || {
        outbox.state.read().entries.iter().filter(|e| e.is_pending()).filter_map(|e| match &e.mutation.change {
            Change::LogClientActivity { client_id: c, activity, body } if *c == client_id => Some((*activity, body.clone())),
            _ => None,
        }).collect::<Vec<_>>()
    };
    let today = c.today;
    let deals = c.deals.into_iter().map(|d| view! { <DealRow deal=d today show_owner=false/> }).collect_view();
    let open_stages: Vec<_> = c.stages.iter().filter(|s| s.outcome == Outcome::Open).cloned().collect();
    view! {
        <Title text=format!("{} · {}", c.name, locale.t(Msg::AppName))/>
        <header class="page-head">
            <h1>
                {move || pending_name().unwrap_or_else(|| server_name.clone())}
                {move || pending_name().is_some().then(|| view! { <span class="pending-mark">{locale.t(Msg::PendingMark)}</span> })}
            </h1>
            <p class="muted">
                {c.inn.clone().map(|i| format!("{} {i} · ", locale.t(Msg::Inn)))}{c.owner_name.clone()}
            </p>
        </header>
        <div class="grid-2">
            <div>
                <section class="panel">
                    <h2>{locale.t(Msg::Deals)}</h2>
                    <ul class="deal-list" data-test="client-deals">
                        {move || pending_deals().into_iter().map(|(title, amount)| view! {
                            <li class="pending" data-test="pending-deal">
                                <div class="deal-row">
                                    <div class="deal-row-main">
                                        <div class="deal-title">{title}</div>
                                        <span class="pending-mark">{locale.t(Msg::PendingMark)}</span>
                                    </div>
                                    <div class="deal-row-side"><div class="deal-amount">{amount.format(locale)}</div></div>
                                </div>
                            </li>
                        }).collect_view()}
                        {deals}
                    </ul>
                </section>
                <section class="panel" data-test="new-deal">
                    <h2>{locale.t(Msg::NewDeal)}</h2>
                    <form class="form" novalidate on:submit=on_deal>
                        <label class="field">
                            <span>{locale.t(Msg::DealTitle)}</span>
                            <input type="text" name="title" maxlength="200" autocomplete="off"/>
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
                    </form>
                </section>
            </div>
            <div>
                <section class="panel" data-test="contacts">
                    <h2>{locale.t(Msg::Contacts)}</h2>
                    <Contacts client=client_id contacts=c.contacts.clone()/>
                    <details class="inline-edit" data-test="add-contact">
                        <summary class="btn btn-small">{locale.t(Msg::AddContact)}</summary>
                        <ContactForm client=client_id contact=None/>
                    </details>
                    {(!c.notes.is_empty()).then(|| view! { <p class="muted client-notes">{c.notes.clone()}</p> })}
                    <details class="inline-edit" data-test="edit-client">
                        <summary class="btn btn-small">{locale.t(Msg::EditClient)}</summary>
                        <form class="form" novalidate on:submit=on_edit>
                            <label class="field">
                                <span>{locale.t(Msg::CompanyName)}</span>
                                <input type="text" name="name" value=c.name.clone() autocomplete="off"/>
                                <FieldError error=edit_error field="name"/>
                            </label>
                            <label class="field">
                                <span>{locale.t(Msg::Inn)}</span>
                                <input type="text" name="inn" value=c.inn.clone().unwrap_or_default() inputmode="numeric" autocomplete="off"/>
                                <FieldError error=edit_error field="inn"/>
                            </label>
                            <label class="field">
                                <span>{locale.t(Msg::Notes)}</span>
                                <textarea name="notes" rows="3">{c.notes.clone()}</textarea>
                            </label>
                            <FormError error=edit_error/>
                            <button type="submit" class="btn btn-primary">{locale.t(Msg::Save)}</button>
                        </form>
                    </details>
                </section>
                <section class="panel" data-test="client-history">
                    <h2>{locale.t(Msg::ClientHistory)}</h2>
                    <form class="form" novalidate on:submit=on_log>
                        <ActivityFields error=log_error/>
                        <button type="submit" class="btn btn-primary">{locale.t(Msg::Log)}</button>
                    </form>
                    <ul class="history">
                        {move || pending_log().into_iter().map(|(kind, body)| view! {
                            <li class="pending" data-test="pending-activity">
                                <span class="chip">{locale.t(activity_label(kind))}</span>
                                <span class="history-body">{body}</span>
                                <span class="pending-mark">{locale.t(Msg::PendingMark)}</span>
                            </li>
                        }).collect_view()}
                        {c.activities.iter().map(|a| view! {
                            <li>
                                <span class="chip">{locale.t(activity_label(a.line.kind))}</span>
                                <span class="history-body">{activity_text(&a.line, &c.stages, locale)}</span>
                                <span class="history-meta">
                                    {a.line.user.clone()}" · "{format_date(locale, a.line.at.date_naive())}
                                    {a.deal.map(|d| {
                                        let title = a.deal_title.clone().unwrap_or_default();
                                        view! { " · "<A href=format!("/deals/{d}")>{title}</A> }
                                    })}
                                </span>
                            </li>
                        }).collect_view()}
                    </ul>
                </section>
            </div>
        </div>
    }
}

/// The client's contact people as this device will show them once its waiting
/// changes land: edited ones with their new details, new ones added, removed ones gone.
#[component]
fn Contacts(client: ClientId, contacts: Vec<ContactLine>) -> impl IntoView {
    let outbox = use_outbox();
    let shown = move || {
        let mut list: Vec<(ContactLine, bool)> = contacts.iter().cloned().map(|c| (c, false)).collect();
        for e in outbox.state.read().entries.iter().filter(|e| e.is_pending()) {
            match &e.mutation.change {
                Change::SaveContact { client_id, contact_id, name, position, phone, email } if *client_id == client => {
                    let contact_id = contact_id.to_string();
                    let line = ContactLine { id: contact_id.clone(), name: name.trim().into(), position: position.trim().into(), phone: phone.trim().into(), email: email.trim().into() };
                    match list.iter_mut().find(|(c, _)| c.id == *contact_id) {
                        Some(entry) => *entry = (line, true),
                        None => list.push((line, true)),
                    }
                }
                Change::RemoveContact { client_id, contact_id } if *client_id == client => list.retain(|(c, _)| c.id != contact_id.to_string()),
                _ => {}
            }
        }
        list
    };
    view! {
        <ul class="history">
            {move || shown().into_iter().map(|(contact, pending)| view! { <ContactRow client contact pending/> }).collect_view()}
        </ul>
    }
}

/// A contact person with their phone and e-mail as links, editable in place.
#[component]
fn ContactRow(client: ClientId, contact: ContactLine, pending: bool) -> impl IntoView {
    let locale = use_locale();
    let outbox = use_outbox();
    let id = contact.id.parse::<uuid::Uuid>().ok();
    let remove = move |_| {
        if let Some(contact_id) = id {
            outbox.submit(Change::RemoveContact { client_id: client, contact_id }, None);
        }
    };
    view! {
        <li data-test="contact" class:pending=pending>
            <span class="history-body"><strong>{contact.name.clone()}</strong>" "{contact.position.clone()}</span>
            {pending.then(|| view! { <span class="pending-mark">{locale.t(Msg::PendingMark)}</span> })}
            <span class="history-meta">
                {(!contact.phone.is_empty()).then(|| view! { <a href=format!("tel:{}", contact.phone.replace([' ', '(', ')', '-'], ""))>{contact.phone.clone()}</a> })}
                " "
                {(!contact.email.is_empty()).then(|| view! { <a href=format!("mailto:{}", contact.email)>{contact.email.clone()}</a> })}
            </span>
            <details class="inline-edit">
                <summary class="btn btn-small btn-ghost">{locale.t(Msg::Edit)}</summary>
                <ContactForm client contact=Some(contact)/>
                <button type="button" class="btn btn-small btn-danger" on:click=remove>{locale.t(Msg::Remove)}</button>
            </details>
        </li>
    }
}

/// A new contact (`contact` = None) or the fields of an existing one.
#[component]
fn ContactForm(client: ClientId, contact: Option<ContactLine>) -> impl IntoView {
    let locale = use_locale();
    let outbox = use_outbox();
    let error: RwSignal<Option<ApiError>> = RwSignal::new(None);
    let is_new = contact.is_none();
    let c = contact.unwrap_or(ContactLine { id: String::new(), name: String::new(), position: String::new(), phone: String::new(), email: String::new() });
    let existing = c.id.parse::<uuid::Uuid>().ok();
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let f = fields(&ev);
        let (name, position, phone, email) = (f.get("name"), f.get("position"), f.get("phone"), f.get("email"));
        match crate::domain::client::ContactForm::parse(&name, &position, &phone, &email) {
            Err(e) => error.set(Some(client_error(e))),
            Ok(form) if form.is_empty() => error.set(Some(ApiError::invalid("name", Msg::ErrContactEmpty))),
            Ok(_) => {
                error.set(None);
                // A new contact's id is made here, so the change can be sent again safely.
                let Some(contact_id) = (if is_new { Some(uuid::Uuid::now_v7()) } else { existing }) else { return };
                outbox.submit(Change::SaveContact { client_id: client, contact_id, name, position, phone, email }, None);
                if is_new {
                    reset(&ev);
                }
            }
        }
    };
    view! {
        <form class="form" novalidate on:submit=on_submit>
            <div class="field-row">
                <TextField error name="name" label=Msg::ContactPerson value=c.name/>
                <TextField error name="position" label=Msg::Position value=c.position/>
            </div>
            <div class="field-row">
                <TextField error name="phone" label=Msg::Phone kind="tel" value=c.phone/>
                <TextField error name="email" label=Msg::Email kind="email" value=c.email/>
            </div>
            <FormError error/>
            <button type="submit" class="btn btn-primary">{locale.t(Msg::Save)}</button>
        </form>
    }
}
