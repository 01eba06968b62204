//! Clients: search as you type, a client's card, and creating clients and deals.

use chrono::NaiveDate;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::ApiError;
use super::deals::{ActivityLine, DealCard, StageOption};
use crate::domain::{ClientId, DealId};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ClientRow {
    pub id: ClientId,
    pub name: String,
    pub inn: Option<String>,
    pub contact: String,
    pub phone: String,
    pub owner_name: String,
    pub open_deals: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ContactLine {
    pub id: String,
    pub name: String,
    pub position: String,
    pub phone: String,
    pub email: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ClientDetail {
    pub id: ClientId,
    pub name: String,
    pub inn: Option<String>,
    pub notes: String,
    pub owner_name: String,
    pub today: NaiveDate,
    pub contacts: Vec<ContactLine>,
    pub deals: Vec<DealCard>,
    pub stages: Vec<StageOption>,
    /// Newest first, across the client's deals and the client itself.
    pub activities: Vec<ClientActivity>,
}

/// One entry of a client's history: which deal it concerns, if any.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ClientActivity {
    pub line: ActivityLine,
    pub deal: Option<DealId>,
    pub deal_title: Option<String>,
}

/// How many clients one search returns; typing more narrows it.
pub const SEARCH_LIMIT: i64 = 50;

/// Clients matching `query` by name, INN, contact, phone or email. A manager searches
/// their own clients; a head the department's.
#[server]
pub async fn find_clients(query: String) -> Result<Vec<ClientRow>, ApiError> {
    use super::ssr::*;
    use crate::domain::client::search_pattern;
    use crate::domain::user::Role;
    respond(
        async {
            let viewer = viewer_with_role(&[Role::Head, Role::Manager])?;
            let dept = viewer.department_id.ok_or(ApiError::NotFound)?;
            let owner = (viewer.role == Role::Manager).then_some(viewer.user_id);
            let pattern = search_pattern(&query);
            Ok(store()?.search_clients(dept, owner, pattern.as_deref(), SEARCH_LIMIT).await?)
        }
        .await,
    )
}

#[server]
pub async fn open_client(client: ClientId) -> Result<ClientDetail, ApiError> {
    use super::ssr::*;
    respond(
        async {
            let viewer = viewer()?;
            let store = store()?;
            ssr::visible_client(&store, &viewer, client).await?;
            Ok(store.client_detail(client, today(&viewer)).await?)
        }
        .await,
    )
}

#[server]
pub async fn create_client(
    name: String,
    inn: String,
    contact_name: String,
    contact_position: String,
    contact_phone: String,
    contact_email: String,
    notes: String,
) -> Result<ClientId, ApiError> {
    use super::ssr::*;
    use crate::domain::client::NewClientForm;
    respond(
        async {
            let viewer = viewer()?;
            let form = NewClientForm::parse(&name, &inn, &contact_name, &contact_position, &contact_phone, &contact_email, &notes)
                .map_err(client_error)?;
            ssr::create_client(&store()?, &viewer, ClientId::new(), &form, None).await
        }
        .await,
    )
}

/// A client rule broken, as the field it concerns and a message.
pub fn client_error((field, e): (&'static str, crate::domain::client::ClientError)) -> ApiError {
    use crate::domain::client::ClientError;
    use crate::i18n::Msg;
    ApiError::invalid(
        field,
        match e {
            ClientError::NameEmpty => Msg::ErrClientName,
            ClientError::InnInvalid => Msg::ErrInnInvalid,
            ClientError::PhoneInvalid => Msg::ErrPhoneInvalid,
            ClientError::EmailInvalid => Msg::ErrEmailMalformed,
        },
    )
}

/// A new deal as entered, before the server checks the client, the stage and the title.
#[derive(Clone, Debug, PartialEq)]
pub struct DealDraft {
    pub id: DealId,
    pub client: ClientId,
    pub title: String,
    pub amount: crate::domain::Money,
    pub stage_id: String,
    pub expected_close_on: Option<NaiveDate>,
    pub next_step: String,
    pub next_step_due_on: Option<NaiveDate>,
    pub source: String,
}

/// A new deal for a client the viewer may see; it belongs to the client's owner.
#[server]
pub async fn create_deal(
    client: ClientId,
    title: String,
    amount: String,
    stage: String,
    expected_close_on: String,
    next_step: String,
    next_step_due_on: String,
    source: String,
) -> Result<DealId, ApiError> {
    use super::ssr::*;
    use crate::domain::Money;
    use crate::i18n::Msg;
    respond(
        async {
            let viewer = viewer()?;
            let amount = Money::parse(&amount).map_err(|_| ApiError::invalid("amount", Msg::ErrAmountInvalid))?;
            let date = |field: &str, raw: &str| match raw.trim() {
                "" => Ok(None),
                d => NaiveDate::parse_from_str(d, "%Y-%m-%d").map(Some).map_err(|_| ApiError::invalid(field, Msg::ErrDateInvalid)),
            };
            let draft = DealDraft {
                id: DealId::new(),
                client,
                title,
                amount,
                stage_id: stage,
                expected_close_on: date("expected_close_on", &expected_close_on)?,
                next_step,
                next_step_due_on: date("next_step_due_on", &next_step_due_on)?,
                source,
            };
            ssr::create_deal(&store()?, &viewer, draft, None).await
        }
        .await,
    )
}

/// Renames a client and sets its INN and notes.
#[server]
pub async fn update_client(client: ClientId, name: String, inn: String, notes: String) -> Result<(), ApiError> {
    use super::ssr::*;
    use crate::domain::client::ClientFields;
    respond(
        async {
            let viewer = viewer()?;
            let store = store()?;
            let form = ClientFields::parse(&name, &inn, &notes).map_err(client_error)?;
            ssr::update_client(&store, &viewer, client, &form, None).await
        }
        .await,
    )
}

/// Adds a contact person to a client (`contact` empty) or changes one of its contacts.
#[server]
pub async fn save_contact(
    client: ClientId,
    #[server(default)] contact: String,
    name: String,
    position: String,
    phone: String,
    email: String,
) -> Result<(), ApiError> {
    use super::ssr::*;
    use crate::domain::client::ContactForm;
    respond(
        async {
            let viewer = viewer()?;
            let store = store()?;
            let form = ContactForm::parse(&name, &position, &phone, &email).map_err(client_error)?;
            let (contact, create) = match contact.trim() {
                "" => (uuid::Uuid::now_v7().to_string(), true),
                id => (id.to_string(), false),
            };
            ssr::save_contact(&store, &viewer, client, &contact, create, &form, None).await
        }
        .await,
    )
}

#[server]
pub async fn remove_contact(client: ClientId, contact: String) -> Result<(), ApiError> {
    use super::ssr::*;
    respond(
        async {
            let viewer = viewer()?;
            let store = store()?;
            ssr::remove_contact(&store, &viewer, client, &contact, None).await
        }
        .await,
    )
}

/// A call, meeting or note about the client as a whole.
#[server]
pub async fn log_client_activity(client: ClientId, activity: String, body: String) -> Result<(), ApiError> {
    use super::ssr::*;
    use crate::domain::deal::ActivityKind;
    use crate::i18n::Msg;
    respond(
        async {
            let viewer = viewer()?;
            let kind = ActivityKind::parse(&activity).ok_or_else(|| ApiError::invalid("activity", Msg::ErrChooseOne))?;
            ssr::log_client_activity(&store()?, &viewer, client, kind, &body, None).await
        }
        .await,
    )
}

#[cfg(feature = "ssr")]
pub mod ssr {
    //! The write paths for clients, shared by the server functions and the sync.

    use super::DealDraft;
    use crate::api::{ApiError, Viewer};
    use crate::api::ssr::may_see;
    use crate::domain::client::NewClientForm;
    use crate::domain::deal::{ActivityKind, Outcome, text};
    use crate::domain::user::Role;
    use crate::domain::{ClientId, DealId, MutationId};
    use crate::i18n::Msg;
    use crate::store::{By, ClientScope, NewDealForm, Store, StoreError};

    /// A client with the id the creating device made; it belongs to its creator.
    pub async fn create_client(
        store: &Store,
        viewer: &Viewer,
        client: ClientId,
        form: &NewClientForm,
        mutation: Option<(MutationId, &'static str)>,
    ) -> Result<ClientId, ApiError> {
        if !matches!(viewer.role, Role::Head | Role::Manager) {
            return Err(ApiError::Forbidden);
        }
        let dept = viewer.department_id.ok_or(ApiError::NotFound)?;
        let by = By { user: viewer.user_id, mutation };
        store.create_client(client, dept, viewer.user_id, form, by).await.map_err(taken)
    }

    /// A deal for a client the viewer may see, in one of its department's open stages.
    pub async fn create_deal(
        store: &Store,
        viewer: &Viewer,
        draft: DealDraft,
        mutation: Option<(MutationId, &'static str)>,
    ) -> Result<DealId, ApiError> {
        let scope = visible_client(store, viewer, draft.client).await?;
        let title = text(&draft.title).map_err(|e| crate::api::deals::deal_error("title", e))?;
        crate::domain::deal::amount(draft.amount).map_err(|_| ApiError::invalid("amount", Msg::ErrAmountNegative))?;
        let stage = store
            .stages(scope.department_id)
            .await?
            .into_iter()
            .find(|s| s.id == draft.stage_id && s.outcome == Outcome::Open)
            .ok_or_else(|| ApiError::invalid("stage", Msg::ErrChooseOne))?;
        let form = NewDealForm {
            id: draft.id,
            client: draft.client,
            department: scope.department_id,
            owner: scope.owner_id,
            stage_id: &stage.id,
            title: &title,
            amount: draft.amount,
            expected_close_on: draft.expected_close_on,
            next_step: draft.next_step.trim(),
            next_step_due_on: draft.next_step_due_on,
            source: draft.source.trim(),
        };
        store.create_deal(form, By { user: viewer.user_id, mutation }).await.map_err(taken)
    }

    pub async fn log_client_activity(
        store: &Store,
        viewer: &Viewer,
        client: ClientId,
        kind: ActivityKind,
        body: &str,
        mutation: Option<(MutationId, &'static str)>,
    ) -> Result<(), ApiError> {
        visible_client(store, viewer, client).await?;
        if !ActivityKind::LOGGABLE.contains(&kind) {
            return Err(ApiError::invalid("activity", Msg::ErrChooseOne));
        }
        let body = text(body).map_err(|e| crate::api::deals::deal_error("body", e))?;
        Ok(store.add_client_activity(client, kind, &body, By { user: viewer.user_id, mutation }).await?)
    }


    /// A client's name, INN and notes, for a client the viewer may see.
    pub async fn update_client(
        store: &Store,
        viewer: &Viewer,
        client: ClientId,
        form: &crate::domain::client::ClientFields,
        mutation: Option<(MutationId, &'static str)>,
    ) -> Result<(), ApiError> {
        visible_client(store, viewer, client).await?;
        Ok(store.update_client(client, form, By { user: viewer.user_id, mutation }).await?)
    }

    /// A contact person saved on a client the viewer may see; one with no name, phone
    /// or e-mail is refused.
    pub async fn save_contact(
        store: &Store,
        viewer: &Viewer,
        client: ClientId,
        contact: &str,
        create: bool,
        form: &crate::domain::client::ContactForm,
        mutation: Option<(MutationId, &'static str)>,
    ) -> Result<(), ApiError> {
        visible_client(store, viewer, client).await?;
        if form.is_empty() {
            return Err(ApiError::invalid("name", Msg::ErrContactEmpty));
        }
        // One spelling of the id, whatever form it came in.
        let contact = uuid::Uuid::parse_str(contact).map_err(|_| ApiError::NotFound)?.to_string();
        store.save_contact(client, &contact, create, form, By { user: viewer.user_id, mutation }).await.map_err(taken)
    }

    pub async fn remove_contact(
        store: &Store,
        viewer: &Viewer,
        client: ClientId,
        contact: &str,
        mutation: Option<(MutationId, &'static str)>,
    ) -> Result<(), ApiError> {
        visible_client(store, viewer, client).await?;
        Ok(store.remove_contact(client, contact, By { user: viewer.user_id, mutation }).await?)
    }

    /// A new entity's id that is already taken (a device reused it): refused, not a 500.
    /// A pushed mutation's own receipt key passes through, for the sync to answer.
    fn taken(e: StoreError) -> ApiError {
        match e {
            StoreError::Conflict(what) if what.ends_with("_id") && !what.starts_with("sync_mutation") => {
                ApiError::invalid("id", Msg::ErrIdTaken)
            }
            other => other.into(),
        }
    }


    /// The client's scope if the viewer may see it; 404 otherwise (as for deals).
    pub async fn visible_client(store: &Store, viewer: &Viewer, client: ClientId) -> Result<ClientScope, ApiError> {
        let scope = store.client_scope(client).await?.ok_or(ApiError::NotFound)?;
        if may_see(viewer, scope.owner_id, scope.department_id) { Ok(scope) } else { Err(ApiError::NotFound) }
    }
}
