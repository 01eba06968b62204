//! Middleware: who is asking, in which language, from where; refusal of cross-site
//! writes; bodies read whole within their limit; security headers on every response.

use app::api::ssr::RequestMeta;
use app::auth::{LOCALE_COOKIE, SESSION_COOKIE, cookie_value, token_hash};
use app::i18n::Locale;
use axum::body::{Body, Bytes};
use axum::extract::{ConnectInfo, FromRequest, Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use std::net::SocketAddr;

use super::AppState;
use app::store::prelude::*;

/// Resolves the session cookie to a [`app::api::Viewer`] once per request, and the
/// page language: the user's choice, else the language cookie, else the browser's.
pub async fn resolve_session(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let headers = req.headers();
    let cookies = headers.get(header::COOKIE).and_then(|v| v.to_str().ok()).unwrap_or_default();
    let session_hash = cookie_value(cookies, SESSION_COOKIE).filter(|t| !t.is_empty()).map(token_hash);
    let viewer = match &session_hash {
        Some(hash) => match state.store.session_viewer(hash, state.store.now()).await {
            Ok(v) => v,
            Err(e) => {
                tracing::error!(error = %e, "session lookup failed");
                return StatusCode::SERVICE_UNAVAILABLE.into_response();
            }
        },
        None => None,
    };
    let locale = viewer
        .as_ref()
        .and_then(|v| v.locale)
        .or_else(|| cookie_value(cookies, LOCALE_COOKIE).and_then(Locale::parse))
        .unwrap_or_else(|| {
            Locale::from_accept_language(headers.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()).unwrap_or_default())
        });
    let meta = RequestMeta {
        client_ip: req
            .extensions()
            .get::<ConnectInfo<SocketAddr>>()
            .map(|ConnectInfo(addr)| addr.ip().to_string())
            .unwrap_or_else(|| "unknown".into()),
        user_agent: headers.get(header::USER_AGENT).and_then(|v| v.to_str().ok()).map(|s| s.chars().take(300).collect()),
        session_hash,
        secure_cookies: state.settings.secure_cookies,
    };
    let extensions = req.extensions_mut();
    extensions.insert(meta);
    extensions.insert(locale);
    if let Some(viewer) = viewer {
        extensions.insert(viewer);
    }
    next.run(req).await
}

/// Server functions have no CSRF tokens of their own, so every state-changing request
/// must come from Pacer's own pages: `Origin` must name this host, or, without it,
/// `Sec-Fetch-Site` must say same-origin. Clients that send neither (curl, other
/// servers) carry no browser cookies by accident and pass.
pub async fn refuse_cross_site(req: Request, next: Next) -> Response {
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) || is_same_site(req.headers()) {
        next.run(req).await
    } else {
        tracing::warn!(uri = %req.uri(), "refused a cross-site request");
        (StatusCode::FORBIDDEN, "cross-site request refused").into_response()
    }
}

fn is_same_site(headers: &HeaderMap) -> bool {
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok());
    if let Some(origin) = headers.get(header::ORIGIN) {
        let origin = origin.to_str().unwrap_or_default();
        let authority = origin.strip_prefix("https://").or_else(|| origin.strip_prefix("http://"));
        return matches!((authority, host), (Some(a), Some(h)) if a.eq_ignore_ascii_case(h));
    }
    match headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        Some(site) => site == "same-origin" || site == "none",
        None => true,
    }
}

/// Reads a request's whole body before its handler runs, within the limit an outer
/// [`axum::extract::DefaultBodyLimit`] sets. A longer body is answered 413 and reaches
/// no handler, so nothing of it is written.
pub async fn read_whole_body(req: Request, next: Next) -> Response {
    let (parts, body) = req.into_parts();
    match Bytes::from_request(Request::from_parts(parts.clone(), body), &()).await {
        Ok(bytes) => next.run(Request::from_parts(parts, Body::from(bytes))).await,
        Err(rejection) => rejection.into_response(),
    }
}

/// Headers every response carries. Pages set their own nonce-based CSP; anything
/// else gets a strict default.
pub async fn security_headers(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("same-origin"));
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert("cross-origin-opener-policy", HeaderValue::from_static("same-origin"));
    h.insert("permissions-policy", HeaderValue::from_static("camera=(), microphone=(), geolocation=()"));
    if !h.contains_key(header::CONTENT_SECURITY_POLICY) {
        h.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static("default-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'none'"),
        );
    }
    let is_html = h.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_some_and(|v| v.starts_with("text/html"));
    if is_html && !h.contains_key(header::CACHE_CONTROL) {
        // Pages carry personal figures: never store them in shared caches.
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("private, no-cache"));
    }
    if state.settings.secure_cookies {
        h.insert(header::STRICT_TRANSPORT_SECURITY, HeaderValue::from_static("max-age=31536000"));
    }
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, HeaderValue::from_static(v));
        }
        h
    }

    #[test]
    fn same_origin_requests_pass_and_foreign_origins_do_not() {
        assert!(is_same_site(&headers(&[("host", "127.0.0.1:3000"), ("origin", "http://127.0.0.1:3000")])));
        assert!(!is_same_site(&headers(&[("host", "127.0.0.1:3000"), ("origin", "http://evil.example")])));
        assert!(!is_same_site(&headers(&[("host", "127.0.0.1:3000"), ("origin", "null")])));
        assert!(!is_same_site(&headers(&[("host", "127.0.0.1:3000"), ("sec-fetch-site", "cross-site")])));
        assert!(is_same_site(&headers(&[("host", "127.0.0.1:3000"), ("sec-fetch-site", "same-origin")])));
    }
}
