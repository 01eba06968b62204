//! Clients: search as you type, a client's card, and creating clients and deals.

use chrono::NaiveDate;
use leptos::prelude::*;

use super::ApiError;
use crate::domain::client::ClientInput;
use crate::domain::{ClientId, DealId};
#[cfg(feature = "ssr")]
use crate::store::prelude::*;

pub use crate::model::clients::{ClientActivity, ClientDetail, ClientRow, ContactLine};

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
            // Another person's client answers as one that does not exist.
            store.client_scope(client).await?.filter(|s| may_see(&viewer, s.owner_id, s.department_id)).ok_or(ApiError::NotFound)?;
            Ok(store.client_detail(client, today(&viewer, store.now())).await?)
        }
        .await,
    )
}

/// The message for a broken client rule.
pub fn client_msg(e: crate::domain::client::ClientError) -> crate::i18n::Msg {
    use crate::domain::client::ClientError;
    use crate::i18n::Msg;
    match e {
        ClientError::NameEmpty => Msg::ErrClientName,
        ClientError::InnInvalid => Msg::ErrInnInvalid,
        ClientError::PhoneInvalid => Msg::ErrPhoneInvalid,
        ClientError::EmailInvalid => Msg::ErrEmailMalformed,
        ClientError::TooLong => Msg::ErrTooLong,
    }
}

/// A client rule broken, as the field it concerns and a message.
pub fn client_error((field, e): (&'static str, crate::domain::client::ClientError)) -> ApiError {
    ApiError::invalid(field, client_msg(e))
}

/// A change to one client, or under it (a new deal, a note, a contact person).
#[derive(Clone, Debug, PartialEq)]
pub enum ClientChange {
    /// A client with the id its creating device made, and an optional first contact.
    Create(ClientInput),
    /// A deal for the client; it belongs to the client's owner.
    CreateDeal {
        deal_id: DealId,
        title: String,
        amount: crate::domain::Money,
        stage_id: String,
        expected_close_on: Option<NaiveDate>,
        next_step: String,
        next_step_due_on: Option<NaiveDate>,
        source: String,
    },
    LogActivity { activity: crate::domain::deal::ActivityKind, body: String },
    Update { name: String, inn: String, notes: String },
    /// Adds the contact with this id (made by the device) or changes the client's one.
    SaveContact { contact_id: uuid::Uuid, name: String, position: String, phone: String, email: String },
    RemoveContact { contact_id: uuid::Uuid },
}

#[cfg(feature = "ssr")]
pub mod ssr {
    //! The one write function for clients.

    use super::{ClientChange, client_msg};
    use crate::api::Viewer;
    use crate::api::deals::deal_msg;
    use crate::api::ssr::may_see;
    use crate::api::write::WriteError;
    use crate::domain::ClientId;
    use crate::domain::client::{ClientError, ClientFields, ContactForm, NewClient};
    use crate::domain::deal::{ActivityKind, NewDeal, Outcome, text};
    use crate::domain::user::Role;
    use crate::i18n::Msg;
    use crate::store::prelude::*;
    use crate::store::{ClientScope, NewDealForm, StoreError, Tx};

    fn invalid((field, e): (&'static str, ClientError)) -> WriteError {
        WriteError::invalid(field, client_msg(e))
    }

    /// Checks and stores one change to a client; returns its new version where the
    /// change has one (a new client or deal is at version 1).
    pub async fn apply(tx: &mut Tx, viewer: &Viewer, client: ClientId, change: ClientChange) -> Result<Option<i64>, WriteError> {
        let actor = viewer.user_id;
        match change {
            ClientChange::Create(input) => {
                if !matches!(viewer.role, Role::Head | Role::Manager) {
                    return Err(WriteError::Forbidden);
                }
                let dept = viewer.department_id.ok_or(WriteError::NotFound)?;
                let form = NewClient::parse(&input)
                    .map_err(invalid)?;
                tx.create_client(client, dept, actor, &form, actor).await.map_err(taken("client_id"))?;
                Ok(Some(1))
            }
            ClientChange::CreateDeal { deal_id, title, amount, stage_id, expected_close_on, next_step, next_step_due_on, source } => {
                let scope = visible(tx, viewer, client).await?;
                let today = crate::api::ssr::today(viewer, tx.now());
                let deal = NewDeal::parse(&title, amount, expected_close_on, &next_step, next_step_due_on, &source, today)
                    .map_err(|(field, e)| WriteError::invalid(field, deal_msg(e)))?;
                let stage = tx
                    .stages(scope.department_id)
                    .await?
                    .into_iter()
                    .find(|s| s.id == stage_id && s.outcome == Outcome::Open)
                    .ok_or(WriteError::invalid("stage_id", Msg::ErrChooseOne))?;
                let form = NewDealForm {
                    id: deal_id,
                    client,
                    department: scope.department_id,
                    owner: scope.owner_id,
                    stage_id: &stage.id,
                    title: &deal.title,
                    amount: deal.amount,
                    expected_close_on: deal.expected_close_on,
                    next_step: &deal.next_step,
                    next_step_due_on: deal.next_step_due_on,
                    source: &deal.source,
                };
                tx.create_deal(form, actor).await.map_err(taken("deal_id"))?;
                Ok(Some(1))
            }
            ClientChange::LogActivity { activity, body } => {
                visible(tx, viewer, client).await?;
                if !ActivityKind::LOGGABLE.contains(&activity) {
                    return Err(WriteError::invalid("activity", Msg::ErrChooseOne));
                }
                let body = text(&body).map_err(|e| WriteError::invalid("body", deal_msg(e)))?;
                tx.add_client_activity(client, activity, &body, actor).await?;
                Ok(None)
            }
            ClientChange::Update { name, inn, notes } => {
                visible(tx, viewer, client).await?;
                let form = ClientFields::parse(&name, &inn, &notes).map_err(invalid)?;
                tx.update_client(client, &form, actor).await?;
                Ok(None)
            }
            ClientChange::SaveContact { contact_id, name, position, phone, email } => {
                visible(tx, viewer, client).await?;
                let form = ContactForm::parse(&name, &position, &phone, &email).map_err(invalid)?;
                if form.is_empty() {
                    return Err(WriteError::invalid("name", Msg::ErrContactEmpty));
                }
                tx.save_contact(client, &contact_id.to_string(), &form, actor).await.map_err(taken("contact_id"))?;
                Ok(None)
            }
            ClientChange::RemoveContact { contact_id } => {
                visible(tx, viewer, client).await?;
                tx.remove_contact(client, &contact_id.to_string(), actor).await?;
                Ok(None)
            }
        }
    }

    /// A new entity's id that is already taken (a device reused it): refused at the
    /// id's field, not a failure.
    fn taken(field: &'static str) -> impl Fn(StoreError) -> WriteError {
        move |e| match e {
            StoreError::Conflict(what) if what.ends_with("_id") => WriteError::invalid(field, Msg::ErrIdTaken),
            other => other.into(),
        }
    }

    /// The client's scope if the viewer may see it; not found otherwise (as for deals).
    async fn visible(tx: &mut Tx, viewer: &Viewer, client: ClientId) -> Result<ClientScope, WriteError> {
        tx.client_scope(client).await?.filter(|s| may_see(viewer, s.owner_id, s.department_id)).ok_or(WriteError::NotFound)
    }
}
