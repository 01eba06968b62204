//! The HTTP stack: Leptos pages and server functions, the JSON auth API, static
//! assets, and the middleware every request passes (session, CSRF, headers).

mod auth_api;
mod files;
mod middleware;
mod pwa;
mod sync;

use app::store::Store;
use app::bundle::Bundle;
use app::{App, shell};
use axum::Router;
use axum::extract::{DefaultBodyLimit, FromRef};
use axum::routing::get;
use leptos::config::LeptosOptions;
use leptos::prelude::provide_context;
use leptos_axum::{LeptosRoutes, file_and_error_handler_with_context, generate_route_list};
use std::sync::Arc;
use tower_http::compression::CompressionLayer;
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;

use crate::config::Config;

/// The largest request body a server function takes. Their arguments are a few form
/// fields; the longest, a deal's text of 2 000 characters, is 12 KB as percent-encoded
/// Cyrillic. Files and sync batches have routes and limits of their own.
pub const SERVER_FN_BODY: usize = 64 * 1024;

#[derive(Clone, FromRef)]
pub struct AppState {
    pub store: Store,
    pub leptos_options: LeptosOptions,
    pub settings: Arc<Settings>,
}

/// Settings the request handlers need.
#[derive(Debug)]
pub struct Settings {
    pub secure_cookies: bool,
}

impl AppState {
    pub fn new(store: Store, config: &Config) -> Self {
        let leptos_options = LeptosOptions::builder()
            .output_name("pacer")
            .site_root(config.site_root.to_string_lossy().to_string())
            .site_pkg_dir("pkg")
            .site_addr(config.listen)
            .build();
        AppState { store, leptos_options, settings: Arc::new(Settings { secure_cookies: config.secure_cookies }) }
    }
}

pub fn router(state: AppState) -> Router {
    let routes = generate_route_list(App);
    let site_root = std::path::Path::new(&*state.leptos_options.site_root).to_path_buf();
    let pkg_dir = site_root.join("pkg");
    let bundle = Bundle::read(&pkg_dir);
    let context = {
        let (store, bundle) = (state.store.clone(), bundle.clone());
        move || {
            provide_context(store.clone());
            provide_context(bundle.clone());
        }
    };
    let build = pwa::build_id(&site_root, &bundle);
    // A hashed name never changes content: browsers and CDNs keep it for a year
    // without asking. Plain names (a build without hashes) are asked about each time.
    let pkg_caching = http::HeaderValue::from_static(if bundle.is_hashed() { "public, max-age=31536000, immutable" } else { "no-cache" });
    let build_header = http::HeaderValue::from_str(&build).expect("a hex build id is a valid header");
    // Pages and server functions. A server function reads its body itself and takes
    // a cut one for a decoding error (500), so the whole body is read first, within
    // the limit the outer layer sets, and a longer one is answered 413 before any
    // server function runs.
    let leptos = Router::new()
        .leptos_routes_with_context(&state, routes, context.clone(), {
            let options = state.leptos_options.clone();
            move || shell(options.clone())
        })
        .layer(axum::middleware::from_fn(middleware::read_whole_body))
        .layer(DefaultBodyLimit::max(SERVER_FN_BODY));
    Router::new()
        .merge(pwa::router(&build, &bundle))
        .nest("/api/auth", auth_api::router())
        .nest("/api/sync", sync::router())
        .nest("/api", files::router())
        .merge(leptos)
        .fallback(file_and_error_handler_with_context::<AppState, _>(context, shell))
        .layer(axum::middleware::from_fn_with_state(state.clone(), middleware::resolve_session))
        .layer(axum::middleware::from_fn(middleware::refuse_cross_site))
        // The build compressed the bundle once, at its best (brotli 11, gzip 9): sent
        // as it is to a browser that takes it, instead of compressed per request.
        .nest_service(
            "/pkg",
            tower::ServiceBuilder::new()
                .layer(SetResponseHeaderLayer::overriding(http::header::CACHE_CONTROL, pkg_caching))
                .service(ServeDir::new(pkg_dir).precompressed_br().precompressed_gzip()),
        )
        .route("/healthz", get(|| async { "ok" }))
        // Which build answered: the service worker keeps pages of its own build only.
        .layer(SetResponseHeaderLayer::overriding(http::HeaderName::from_static("x-pacer-build"), build_header))
        .layer(axum::middleware::from_fn_with_state(state.clone(), middleware::security_headers))
        .layer(CompressionLayer::new())
        // The limit for any route that sets none of its own (axum's default is 2 MB).
        .layer(DefaultBodyLimit::max(SERVER_FN_BODY))
        .with_state(state)
}
