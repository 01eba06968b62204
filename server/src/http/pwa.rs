//! The installable app: the service worker, generated per build so that each deploy
//! installs a new one, and the build id every page carries so the worker never mixes
//! the HTML of one build with the WASM of another.

use axum::Router;
use axum::http::{HeaderValue, header};
use axum::response::IntoResponse;
use axum::routing::get;
use std::hash::{Hash, Hasher};
use std::path::Path;
use std::sync::Arc;

/// The files the worker keeps for offline use. Page navigations are kept as they are visited.
pub const ASSETS: [&str; 8] = [
    "/pkg/pacer.js",
    "/pkg/pacer_bg.wasm",
    "/pkg/pacer.css",
    "/pwa.js",
    "/manifest.webmanifest",
    "/icons/icon-192.png",
    "/icons/icon-512.png",
    "/icons/icon-maskable-512.png",
];

/// The build id: a hash of the assets as they are on disk when the server starts.
pub fn build_id(site_root: &Path) -> String {
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    for asset in ASSETS {
        asset.hash(&mut hasher);
        std::fs::read(site_root.join(asset.trim_start_matches('/'))).unwrap_or_default().hash(&mut hasher);
    }
    format!("{:016x}", hasher.finish())
}

/// The worker's source with this build's id and asset list.
pub fn worker_source(build: &str) -> String {
    let assets = serde_json::to_string(&ASSETS).expect("a list of strings serialises");
    include_str!("sw.js").replace("__BUILD__", build).replace("__ASSETS__", &assets)
}

pub fn router<S: Clone + Send + Sync + 'static>(build: &str) -> Router<S> {
    let source: Arc<str> = worker_source(build).into();
    Router::new().route(
        "/sw.js",
        get(move || {
            let source = source.clone();
            async move {
                (
                    [
                        (header::CONTENT_TYPE, HeaderValue::from_static("text/javascript; charset=utf-8")),
                        // The browser must see a new build at once.
                        (header::CACHE_CONTROL, HeaderValue::from_static("no-cache")),
                    ],
                    source.to_string(),
                )
                    .into_response()
            }
        }),
    )
}
