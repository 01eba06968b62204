//! The stable JSON auth API for API clients and the offline app:
//! `POST /api/auth/login`, `POST /api/auth/logout`, `GET /api/auth/me`.

use app::api::ssr::RequestMeta;
use app::api::{ApiError, Viewer};
use app::auth;
use app::i18n::Locale;
use axum::extract::{DefaultBodyLimit, State};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Extension, Json, Router};
use http::{HeaderValue, StatusCode, header};
use serde::Deserialize;

use super::AppState;
use app::store::prelude::*;

/// An e-mail and a password of at most 128 characters, with room to spare.
const MAX_BODY: usize = 4 * 1024;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/login", post(login))
        .route("/logout", post(logout))
        .route("/me", get(me))
        .layer(DefaultBodyLimit::max(MAX_BODY))
}

#[derive(Deserialize)]
struct LoginBody {
    email: String,
    password: String,
}

async fn login(
    State(state): State<AppState>,
    Extension(meta): Extension<RequestMeta>,
    Extension(locale): Extension<Locale>,
    Json(body): Json<LoginBody>,
) -> Response {
    match auth::login(&state.store, &body.email, &body.password, &meta).await {
        Ok(signed) => match state.store.viewer(signed.user_id).await {
            Ok(viewer) => {
                let cookie = auth::session_cookie(&signed.token, meta.secure_cookies);
                ([(header::SET_COOKIE, cookie)], Json(viewer)).into_response()
            }
            Err(e) => error_response(e.into(), locale),
        },
        Err(e) => error_response(e, locale),
    }
}

async fn logout(State(state): State<AppState>, Extension(meta): Extension<RequestMeta>) -> Response {
    if let Some(hash) = &meta.session_hash {
        if let Err(e) = state.store.delete_session(hash).await {
            return error_response(e.into(), Locale::default());
        }
    }
    ([(header::SET_COOKIE, auth::clear_session_cookie(meta.secure_cookies))], StatusCode::NO_CONTENT).into_response()
}

async fn me(viewer: Option<Extension<Viewer>>, Extension(locale): Extension<Locale>) -> Response {
    match viewer {
        Some(Extension(v)) => Json(v).into_response(),
        None => error_response(ApiError::Unauthenticated, locale),
    }
}

/// `{"error": <ApiError>, "message": "<in the request's language>"}` with the matching status.
pub(super) fn error_response(error: ApiError, locale: Locale) -> Response {
    let message = error.general().or_else(|| match &error {
        ApiError::Invalid { msg, .. } => Some(*msg),
        ApiError::BadCredentials => error.for_field("password"),
        _ => None,
    });
    let mut res = (
        error.status(),
        Json(serde_json::json!({ "error": error, "message": message.map(|m| locale.t(m)) })),
    )
        .into_response();
    if let ApiError::TooManyAttempts { retry_after_secs } = error {
        if let Ok(v) = HeaderValue::from_str(&retry_after_secs.to_string()) {
            res.headers_mut().insert(header::RETRY_AFTER, v);
        }
    }
    res
}
