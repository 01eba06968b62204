//! Files in and out: the CSV upload that starts an import (a plain multipart form, so
//! it works before the page's WASM has loaded) and the CSV exports of filtered lists.

use app::api::Viewer;
use app::api::deals::DealFilter;
use app::api::export::{clients_csv, deals_csv};
use app::domain::UserId;
use app::domain::import::{self, ImportError};
use app::domain::user::Role;
use app::i18n::Locale;
use axum::extract::{DefaultBodyLimit, Multipart, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Extension, Router};
use http::{StatusCode, header};
use serde::Deserialize;

use super::AppState;
use app::store::prelude::*;

/// The largest file accepted: a 10 000-row export is well under it.
pub const MAX_UPLOAD: usize = 8 * 1024 * 1024;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/import/upload", post(upload).layer(DefaultBodyLimit::max(MAX_UPLOAD + 64 * 1024)))
        .route("/export/deals.csv", get(export_deals))
        .route("/export/clients.csv", get(export_clients))
}

/// Why an upload went back to the import page, as its `error` parameter.
fn back(problem: &str) -> Response {
    Redirect::to(&format!("/import?error={problem}")).into_response()
}

async fn upload(State(state): State<AppState>, viewer: Option<Extension<Viewer>>, mut form: Multipart) -> Response {
    let Some(Extension(viewer)) = viewer else { return Redirect::to("/login").into_response() };
    let (Role::Head, Some(dept)) = (viewer.role, viewer.department_id) else { return StatusCode::FORBIDDEN.into_response() };
    let (mut file, mut owner): (Option<(String, Vec<u8>)>, Option<String>) = (None, None);
    loop {
        match form.next_field().await {
            Ok(Some(field)) => match field.name() {
                Some("file") => {
                    let name = field.file_name().unwrap_or("import.csv").chars().take(200).collect::<String>();
                    match field.bytes().await {
                        Ok(bytes) => file = Some((name, bytes.to_vec())),
                        Err(_) => return back("too_big"),
                    }
                }
                Some("default_owner") => owner = field.text().await.ok(),
                _ => {}
            },
            Ok(None) => break,
            Err(_) => return back("too_big"),
        }
    }
    let Some((name, bytes)) = file.filter(|(_, b)| !b.is_empty()) else { return back("no_file") };
    let managers = match state.store.department_managers(dept).await {
        Ok(m) => m,
        Err(e) => {
            tracing::error!(error = %e, "import: managers");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    let Some(owner) = owner.and_then(|o| o.trim().parse::<UserId>().ok()).filter(|o| managers.iter().any(|m| m.id == *o)) else {
        return back("owner");
    };
    let text = import::decode(&bytes);
    if let Err(e) = import::parse(&text) {
        return match e {
            ImportError::Empty | ImportError::NoHeader => back("empty"),
            ImportError::NoRows => back("no_rows"),
            ImportError::UnterminatedQuote { line } => back(&format!("quote&line={line}")),
            ImportError::TooManyRows { .. } => back("too_many"),
        };
    }
    match state.store.save_import_batch(dept, viewer.user_id, &name, &text, owner).await {
        Ok(id) => Redirect::to(&format!("/import/{id}")).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "import: save batch");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

#[derive(Deserialize)]
struct ClientsFilter {
    #[serde(default)]
    query: String,
}

/// The file is named for the day it was taken, in the organisation's time zone.
fn csv(name: &str, today: chrono::NaiveDate, result: Result<String, app::api::ApiError>) -> Response {
    match result {
        Ok(body) => (
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
                (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}-{today}.csv\"")),
            ],
            body,
        )
            .into_response(),
        Err(e) => e.status().into_response(),
    }
}

async fn export_deals(
    State(state): State<AppState>,
    viewer: Option<Extension<Viewer>>,
    Extension(locale): Extension<Locale>,
    Query(query): Query<std::collections::HashMap<String, String>>,
) -> Response {
    let Some(Extension(viewer)) = viewer else { return StatusCode::UNAUTHORIZED.into_response() };
    let filter = DealFilter::from_query(|k| query.get(k).cloned());
    csv("deals", app::api::ssr::today(&viewer, state.store.now()), deals_csv(&state.store, &viewer, &filter, locale).await)
}

async fn export_clients(
    State(state): State<AppState>,
    viewer: Option<Extension<Viewer>>,
    Extension(locale): Extension<Locale>,
    Query(filter): Query<ClientsFilter>,
) -> Response {
    let Some(Extension(viewer)) = viewer else { return StatusCode::UNAUTHORIZED.into_response() };
    csv("clients", app::api::ssr::today(&viewer, state.store.now()), clients_csv(&state.store, &viewer, &filter.query, locale).await)
}
