//! The installable app: the service worker, generated per build so that each deploy
//! installs a new one, and the build id every page carries so the worker never mixes
//! the HTML of one build with the WASM of another.

use app::bundle::Bundle;
use axum::Router;
use axum::http::{HeaderValue, header};
use axum::response::IntoResponse;
use axum::routing::get;
use std::hash::{Hash, Hasher};
use std::path::Path;
use std::sync::Arc;

/// The files the worker keeps for offline use besides the bundle's three. Page
/// navigations are kept as they are visited.
const FILES: [&str; 5] = ["/pwa.js", "/manifest.webmanifest", "/icons/icon-192.png", "/icons/icon-512.png", "/icons/icon-maskable-512.png"];

/// Every file the worker keeps, the bundle's first.
pub fn assets(bundle: &Bundle) -> Vec<String> {
    bundle.paths().into_iter().chain(FILES.iter().map(|f| f.to_string())).collect()
}

/// The build id: a hash of the assets as they are on disk when the server starts.
pub fn build_id(site_root: &Path, bundle: &Bundle) -> String {
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    for asset in assets(bundle) {
        asset.hash(&mut hasher);
        std::fs::read(site_root.join(asset.trim_start_matches('/'))).unwrap_or_default().hash(&mut hasher);
    }
    format!("{:016x}", hasher.finish())
}

/// The worker's source with this build's id and asset list.
pub fn worker_source(build: &str, bundle: &Bundle) -> String {
    let assets = serde_json::to_string(&assets(bundle)).expect("a list of strings serialises");
    let [_, _, css] = bundle.paths();
    include_str!("sw.js").replace("__BUILD__", build).replace("__ASSETS__", &assets).replace("__CSS__", &css)
}

pub fn router<S: Clone + Send + Sync + 'static>(build: &str, bundle: &Bundle) -> Router<S> {
    let source: Arc<str> = worker_source(build, bundle).into();
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
