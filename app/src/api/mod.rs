//! Server functions by resource, and the types that cross the wire.
//! Every server function: authenticate → authorize → parse → domain → store → return.

pub mod account;
pub mod admin;
pub mod audit;
pub mod calendar;
pub mod clients;
pub mod deals;
#[cfg(feature = "ssr")]
pub mod export;
pub mod goal;
pub mod home;
pub mod import;
pub mod pipeline;
pub mod plan;
pub mod report;
pub mod sync;
#[cfg(feature = "ssr")]
pub mod write;

use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

use crate::i18n::{Locale, Msg};

pub use crate::model::people::Viewer;

/// What the server hands the client at first render: who is signed in and in which
/// language the page was rendered. Read once at hydration so both sides agree.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Boot {
    pub viewer: Option<Viewer>,
    pub locale: Locale,
}

/// An error a server function returns. It carries message keys, never SQL or
/// internal text: the client shows it in the user's language next to `field`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, thiserror::Error)]
pub enum ApiError {
    #[error("not signed in")]
    Unauthenticated,
    /// Wrong e-mail or password (deliberately not saying which).
    #[error("bad credentials")]
    BadCredentials,
    #[error("forbidden")]
    Forbidden,
    #[error("not found")]
    NotFound,
    #[error("invalid {field}: {msg:?}")]
    Invalid { field: String, msg: Msg },
    #[error("too many attempts, retry in {retry_after_secs}s")]
    TooManyAttempts { retry_after_secs: u64 },
    /// A guarded field (a stage, an amount) changed since the person saw it.
    #[error("changed meanwhile")]
    Stale,
    #[error("internal error")]
    Internal,
    /// The request never got a proper answer (network, decoding).
    #[error("transport: {0}")]
    Transport(String),
}

impl ApiError {
    pub fn invalid(field: &str, msg: Msg) -> Self {
        ApiError::Invalid { field: field.to_string(), msg }
    }

    /// The message for a field, if this error is about it.
    pub fn for_field(&self, name: &str) -> Option<Msg> {
        match self {
            ApiError::Invalid { field, msg } if field == name => Some(*msg),
            ApiError::BadCredentials if name == "password" => Some(Msg::ErrBadCredentials),
            _ => None,
        }
    }

    /// The message for the form as a whole (anything not tied to one field).
    pub fn general(&self) -> Option<Msg> {
        match self {
            ApiError::Invalid { .. } | ApiError::BadCredentials => None,
            ApiError::Unauthenticated => Some(Msg::ErrUnauthenticated),
            ApiError::Forbidden => Some(Msg::ErrForbidden),
            ApiError::NotFound => Some(Msg::ErrNotFound),
            ApiError::TooManyAttempts { .. } => Some(Msg::ErrTooManyAttempts),
            ApiError::Stale => Some(Msg::ErrChangedMeanwhile),
            ApiError::Internal => Some(Msg::ErrInternal),
            ApiError::Transport(_) => Some(Msg::ErrNetwork),
        }
    }

    pub fn status(&self) -> http::StatusCode {
        use http::StatusCode;
        match self {
            ApiError::Unauthenticated | ApiError::BadCredentials => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden => StatusCode::FORBIDDEN,
            ApiError::NotFound => StatusCode::NOT_FOUND,
            ApiError::Invalid { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::TooManyAttempts { .. } => StatusCode::TOO_MANY_REQUESTS,
            ApiError::Stale => StatusCode::CONFLICT,
            ApiError::Internal | ApiError::Transport(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

impl FromServerFnError for ApiError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        ApiError::Transport(value.to_string())
    }
}

#[cfg(feature = "ssr")]
pub mod ssr {
    //! Server-side helpers every server function uses.

    use super::{ApiError, Viewer};
    use crate::store::prelude::*;
    use crate::domain::user::Role;
    use crate::store::{Store, StoreError};
    use leptos::prelude::*;
    use leptos_axum::ResponseOptions;

    /// Facts about the request that the server's middleware resolved once.
    #[derive(Clone, Debug, Default)]
    pub struct RequestMeta {
        pub client_ip: String,
        pub user_agent: Option<String>,
        /// Hash of the presented session id, if any (for sign-out and rotation).
        pub session_hash: Option<String>,
        pub secure_cookies: bool,
    }

    pub fn store() -> Result<Store, ApiError> {
        use_context::<Store>().ok_or_else(|| {
            tracing::error!("store missing from server context");
            ApiError::Internal
        })
    }

    fn parts() -> Option<http::request::Parts> {
        use_context::<http::request::Parts>()
    }

    pub fn request_meta() -> RequestMeta {
        parts().and_then(|p| p.extensions.get::<RequestMeta>().cloned()).unwrap_or_default()
    }

    pub fn current_viewer() -> Option<Viewer> {
        parts().and_then(|p| p.extensions.get::<Viewer>().cloned())
    }

    /// The signed-in viewer or 401.
    pub fn viewer() -> Result<Viewer, ApiError> {
        current_viewer().ok_or(ApiError::Unauthenticated)
    }

    /// The signed-in viewer if they hold one of `roles`, else 403.
    pub fn viewer_with_role(roles: &[Role]) -> Result<Viewer, ApiError> {
        let v = viewer()?;
        if roles.contains(&v.role) { Ok(v) } else { Err(ApiError::Forbidden) }
    }

    pub fn set_cookie(cookie: &str) {
        if let (Some(res), Ok(value)) = (use_context::<ResponseOptions>(), http::HeaderValue::from_str(cookie)) {
            res.append_header(http::header::SET_COOKIE, value);
        }
    }

    /// The signed-in head and their department, else 403 (404 for a head without one).
    pub fn head() -> Result<(Viewer, crate::domain::DepartmentId), ApiError> {
        let head = viewer_with_role(&[Role::Head])?;
        let dept = head.department_id.ok_or(ApiError::NotFound)?;
        Ok((head, dept))
    }

    /// Whose rows a list shows: a manager their own (whatever they ask for); a head the
    /// department's, or one manager's when asked (another department's id finds nothing),
    /// with the department's managers to filter by.
    pub struct ListScope {
        pub department: crate::domain::DepartmentId,
        pub owner: Option<crate::domain::UserId>,
        pub managers: Vec<crate::model::people::Person>,
    }

    pub async fn list_scope(store: &Store, viewer: &Viewer, manager: Option<crate::domain::UserId>) -> Result<ListScope, ApiError> {
        let department = viewer.department_id.ok_or(ApiError::NotFound)?;
        match viewer.role {
            Role::Manager => Ok(ListScope { department, owner: Some(viewer.user_id), managers: Vec::new() }),
            Role::Head => Ok(ListScope { department, owner: manager, managers: store.department_managers(department).await? }),
            Role::Admin => Err(ApiError::Forbidden),
        }
    }

    /// Whether the viewer may see something owned by `owner` in `department`: a manager
    /// their own, a head their department's, an admin no one's sales data.
    pub fn may_see(viewer: &Viewer, owner: crate::domain::UserId, department: crate::domain::DepartmentId) -> bool {
        match viewer.role {
            Role::Manager => owner == viewer.user_id,
            Role::Head => Some(department) == viewer.department_id,
            Role::Admin => false,
        }
    }

    /// The viewer's organisation's time zone.
    pub fn zone(viewer: &Viewer) -> chrono_tz::Tz {
        crate::domain::clock::zone(&viewer.time_zone)
    }

    /// Today's date in the viewer's organisation at `now`, the store's instant
    /// ([`Store::now`], [`Tx::now`]).
    pub fn today(viewer: &Viewer, now: chrono::DateTime<chrono::Utc>) -> chrono::NaiveDate {
        crate::domain::clock::today(zone(viewer), now)
    }

    /// Sets the HTTP status that matches the error, so API clients and tests see
    /// 401/403/404/422/429 rather than a blanket 500.
    ///
    /// Only for a server-function request: the same function called while a page is
    /// rendered on the server shares the page's response, whose status the page owns.
    pub fn respond<T>(result: Result<T, ApiError>) -> Result<T, ApiError> {
        if let Err(e) = &result {
            let is_call = parts().is_some_and(|p| p.uri.path().starts_with("/api/"));
            if let (true, Some(res)) = (is_call, use_context::<ResponseOptions>()) {
                res.set_status(e.status());
            }
        }
        result
    }

    impl From<StoreError> for ApiError {
        fn from(e: StoreError) -> Self {
            match e {
                StoreError::NotFound => ApiError::NotFound,
                StoreError::Stale => ApiError::Stale,
                // Callers that expect a conflict map it to a field message first.
                StoreError::Conflict(what) => {
                    tracing::error!(constraint = what, "unexpected uniqueness conflict");
                    ApiError::Internal
                }
                StoreError::Other(err) => {
                    tracing::error!(error = ?err, "store failure");
                    ApiError::Internal
                }
            }
        }
    }
}
