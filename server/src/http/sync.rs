//! The sync API (docs/sync-protocol.md): `POST /api/sync/push` and
//! `GET /api/sync/pull?cursor=…`. Fixed, versioned URLs: installed apps of older
//! builds keep calling them.

use app::api::sync::{MAX_BATCH, PushResponse, SCHEMA, ssr};
use app::api::{ApiError, Viewer};
use app::i18n::Locale;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Query, State};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Extension, Json, Router};
use http::{HeaderValue, StatusCode, header};
use serde::Deserialize;

use super::AppState;
use super::auth_api::error_response;

/// Room for a full batch of long notes.
const MAX_BODY: usize = 4 * 1024 * 1024;

pub fn router() -> Router<AppState> {
    Router::new().route("/push", post(push).layer(DefaultBodyLimit::max(MAX_BODY))).route("/pull", get(pull))
}

/// The envelope is read loosely, so that one unreadable mutation is answered on its
/// own instead of failing the whole batch.
#[derive(Deserialize)]
struct PushBody {
    schema: u32,
    mutations: Vec<serde_json::Value>,
}

fn refuse(status: StatusCode, error: &str) -> Response {
    no_store((status, Json(serde_json::json!({ "error": error, "schema": SCHEMA }))).into_response())
}

fn no_store(mut res: Response) -> Response {
    res.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}

async fn push(
    State(state): State<AppState>,
    viewer: Option<Extension<Viewer>>,
    Extension(locale): Extension<Locale>,
    body: Bytes,
) -> Response {
    let Some(Extension(viewer)) = viewer else { return no_store(error_response(ApiError::Unauthenticated, locale)) };
    let Ok(body) = serde_json::from_slice::<PushBody>(&body) else { return refuse(StatusCode::BAD_REQUEST, "malformed") };
    if body.schema != SCHEMA {
        return refuse(StatusCode::BAD_REQUEST, "schema");
    }
    if body.mutations.len() > MAX_BATCH {
        return refuse(StatusCode::PAYLOAD_TOO_LARGE, "too_many");
    }
    match ssr::push(&state.store, &viewer, body.mutations).await {
        Ok(results) => no_store(Json(PushResponse { schema: SCHEMA, results }).into_response()),
        Err(e) => no_store(error_response(e, locale)),
    }
}

#[derive(Deserialize)]
struct PullQuery {
    #[serde(default)]
    cursor: String,
}

async fn pull(
    State(state): State<AppState>,
    viewer: Option<Extension<Viewer>>,
    Extension(locale): Extension<Locale>,
    Query(query): Query<PullQuery>,
) -> Response {
    let Some(Extension(viewer)) = viewer else { return no_store(error_response(ApiError::Unauthenticated, locale)) };
    match ssr::pull(&state.store, &viewer, &query.cursor).await {
        Ok(page) => no_store(Json(page).into_response()),
        Err(e) => no_store(error_response(e, locale)),
    }
}
