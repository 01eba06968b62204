//! CSV import of clients and deals for the head: the uploaded file (stored by the
//! upload route as a batch), a preview under a column mapping, and the all-or-nothing
//! import of the batch.

use crate::model::people::Person;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use super::ApiError;
use crate::domain::import::{Field, ImportError, RowError};
use crate::model::clients::ClientsAndDeals;
#[cfg(feature = "ssr")]
use crate::store::prelude::*;

/// What the head sees before importing: the file's columns with a few sample values,
/// the mapping in force, and either what will be created or every failing row.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ImportPreview {
    pub file_name: String,
    pub headers: Vec<String>,
    /// The first rows, cell by cell, to recognise the columns by.
    pub samples: Vec<Vec<String>>,
    pub rows: usize,
    pub mapping: Vec<Option<Field>>,
    pub clients: usize,
    pub deals: usize,
    pub errors: Vec<RowError>,
    /// When the batch was already imported: how many clients and deals it created.
    pub imported: Option<ClientsAndDeals>,
    pub default_owner: String,
}

/// How many sample rows the mapping step shows.
pub const SAMPLE_ROWS: usize = 5;

/// The mapping as it travels in the page's address: field keys, comma-separated, an
/// empty key for a column left out. Empty as a whole means "Pacer's suggestion".
pub fn mapping_key(mapping: &[Option<Field>]) -> String {
    mapping.iter().map(|f| f.map(Field::as_str).unwrap_or_default()).collect::<Vec<_>>().join(",")
}

pub fn parse_mapping(key: &str) -> Vec<Option<Field>> {
    key.split(',').map(Field::parse).collect()
}

/// A file that cannot be read as a table, as the upload route reports it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct UploadProblem {
    pub error: ImportError,
}

#[server]
pub async fn preview_import(batch: String, #[server(default)] mapping: String) -> Result<ImportPreview, ApiError> {
    use super::ssr::*;
    respond(
        async {
            let (head, dept) = head()?;
            let store = store()?;
            let batch = store.import_batch(dept, &batch).await?.ok_or(ApiError::NotFound)?;
            ssr::preview(&store, dept, &batch, &mapping, today(&head, store.now())).await.map(|(preview, _)| preview)
        }
        .await,
    )
}

/// Imports the batch under `mapping`, all or nothing. Returns how many clients and
/// deals were created; refuses (422, field "file") while any row fails.
#[server]
pub async fn run_import(batch: String, mapping: String) -> Result<ClientsAndDeals, ApiError> {
    use super::ssr::*;
    use crate::i18n::Msg;
    respond(
        async {
            let (head, dept) = head()?;
            let store = store()?;
            let found = store.import_batch(dept, &batch).await?.ok_or(ApiError::NotFound)?;
            if found.imported.is_some() {
                return Err(ApiError::invalid("file", Msg::ErrImportedAlready));
            }
            let today = today(&head, store.now());
            let (preview, prepared) = ssr::preview(&store, dept, &found, &mapping, today).await?;
            if !prepared.errors.is_empty() || preview.rows == 0 {
                return Err(ApiError::invalid("file", Msg::ErrImportHasErrors));
            }
            Ok(store.import(dept, &found.id, &prepared, today, head.user_id).await?)
        }
        .await,
    )
}

/// The department's managers, to pick the owner of rows that name none.
#[server]
pub async fn import_owners() -> Result<Vec<Person>, ApiError> {
    use super::ssr::*;
    respond(
        async {
            let (_, dept) = head()?;
            Ok(store()?.department_managers(dept).await?)
        }
        .await,
    )
}

#[cfg(feature = "ssr")]
pub mod ssr {
    use super::{ImportPreview, SAMPLE_ROWS, parse_mapping};
    use crate::api::ApiError;
    use crate::domain::DepartmentId;
    use crate::domain::import::{self, Context, Prepared};
    use crate::i18n::Locale;
    use crate::store::prelude::*;
    use crate::store::{ImportBatch, Store};

    /// Parses the batch's text under `mapping` (or the suggestion) and checks every row.
    pub async fn preview(
        store: &Store,
        dept: DepartmentId,
        batch: &ImportBatch,
        mapping: &str,
        today: chrono::NaiveDate,
    ) -> Result<(ImportPreview, Prepared), ApiError> {
        // The text was parsed once at upload; a stored batch always parses.
        let table = import::parse(&batch.content).map_err(|_| ApiError::NotFound)?;
        let mut mapping = if mapping.trim().is_empty() { import::suggest(&table.headers) } else { parse_mapping(mapping) };
        mapping.resize(table.headers.len(), None);
        let stages = store.stages(dept).await?;
        let managers = store.department_manager_emails(dept).await?;
        let ctx = Context {
            // Every stage by its name in either language.
            stages: stages.iter().flat_map(|s| Locale::ALL.map(|l| (s.label(l), s.id.clone()))).collect(),
            owners: managers.iter().map(|m| (vec![m.email.clone(), m.name.clone()], m.id.to_string())).collect(),
            default_owner: batch.default_owner_id.to_string(),
            today,
        };
        let prepared = import::prepare(&table, &mapping, &ctx);
        let default_owner = managers.iter().find(|m| m.id == batch.default_owner_id).map(|m| m.name.clone()).unwrap_or_default();
        Ok((
            ImportPreview {
                file_name: batch.file_name.clone(),
                samples: table.rows.iter().take(SAMPLE_ROWS).map(|r| r.cells.clone()).collect(),
                rows: table.rows.len(),
                headers: table.headers,
                mapping,
                clients: prepared.clients.len(),
                deals: prepared.deals.len(),
                errors: prepared.errors.clone(),
                imported: batch.imported,
                default_owner,
            },
            prepared,
        ))
    }
}
