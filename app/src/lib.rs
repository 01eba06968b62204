//! Pacer's shared crate: domain logic, the Leptos UI and its server functions.
//! Built with `ssr` into the server and with `hydrate` into the browser bundle.
#![recursion_limit = "256"]

pub mod api;
#[cfg(feature = "ssr")]
pub mod auth;
pub mod bundle;
mod components;
pub mod domain;
pub mod i18n;
pub mod model;
pub mod outbox;
mod pages;
#[cfg(feature = "ssr")]
pub mod store;

use leptos::prelude::*;
use leptos_meta::{MetaTags, Title, provide_meta_context};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

use api::Boot;
use i18n::{Locale, Msg};

/// The id of the element that carries [`Boot`] from the server to the client.
pub const BOOT_ELEMENT_ID: &str = "pacer-boot";

/// The HTML document. On the server it also sets the page's Content-Security-Policy,
/// whose nonce is the one on the page's own scripts. The bundle's names come from the
/// server's context ([`bundle::Bundle`]).
pub fn shell(_options: LeptosOptions) -> impl IntoView {
    let bundle = use_context::<bundle::Bundle>().unwrap_or_default();
    let boot = server_boot();
    let locale = boot.locale;
    // `</` would end the script element early; JSON allows the escaped slash.
    let boot_json = serde_json::to_string(&boot).unwrap_or_default().replace("</", "<\\/");
    provide_context(boot);
    view! {
        <!DOCTYPE html>
        <html lang=locale.code()>
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover"/>
                <meta name="theme-color" content="#1d4ed8"/>
                <meta name="description" content=locale.t(Msg::AppTagline)/>
                <link rel="manifest" href="/manifest.webmanifest"/>
                <link rel="icon" type="image/png" href="/icons/icon-192.png"/>
                <link rel="apple-touch-icon" href="/icons/icon-192.png"/>
                <link rel="stylesheet" href=format!("/pkg/{}", bundle.css)/>
                <script type="application/json" id=BOOT_ELEMENT_ID inner_html=boot_json></script>
                <Hydration bundle/>
                <script src="/pwa.js" defer></script>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

#[cfg(feature = "ssr")]
fn server_boot() -> Boot {
    use leptos_axum::ResponseOptions;
    if let (Some(res), Some(nonce)) = (use_context::<ResponseOptions>(), leptos::nonce::use_nonce()) {
        if let Ok(value) = http::HeaderValue::from_str(&content_security_policy(&nonce)) {
            res.insert_header(http::header::CONTENT_SECURITY_POLICY, value);
        }
    }
    let parts = use_context::<http::request::Parts>();
    let viewer = api::ssr::current_viewer();
    let locale = parts.as_ref().and_then(|p| p.extensions.get::<Locale>().copied()).unwrap_or_default();
    Boot { viewer, locale }
}

#[cfg(not(feature = "ssr"))]
fn server_boot() -> Boot {
    use_context::<Boot>().unwrap_or(Boot { viewer: None, locale: Locale::default() })
}

/// No inline script runs without the page's nonce; WebAssembly may compile; nothing
/// may frame the app.
#[cfg(feature = "ssr")]
pub fn content_security_policy(nonce: &str) -> String {
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; style-src 'self'; \
         img-src 'self' data:; connect-src 'self'; manifest-src 'self'; worker-src 'self'; \
         object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
    )
}

/// Loads the bundle and hydrates the page: the script and the WebAssembly are fetched
/// at once, side by side (the module's own import would fetch the WebAssembly only
/// after the script ran).
#[component]
fn Hydration(bundle: bundle::Bundle) -> impl IntoView {
    let nonce = leptos::nonce::use_nonce();
    let [js, wasm, _] = bundle.paths();
    let start = format!("import({js:?}).then((pacer) => pacer.default({{ module_or_path: {wasm:?} }}).then(() => pacer.hydrate()));");
    view! {
        <link rel="modulepreload" href=js crossorigin="anonymous"/>
        <link rel="preload" href=wasm r#as="fetch" r#type="application/wasm" crossorigin="anonymous"/>
        <script type="module" nonce=nonce>{start}</script>
    }
}

/// The routed application.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    outbox::provide_outbox(use_viewer().map(|v| v.user_id));
    let locale = use_locale();
    view! {
        <Title text=locale.t(Msg::AppName)/>
        <Router>
            <Routes fallback=pages::NotFound>
                <Route path=path!("/login") view=pages::Login/>
                <Route path=path!("/") view=pages::Home/>
                <Route path=path!("/managers/:id") view=pages::ManagerPage/>
                <Route path=path!("/clients") view=pages::Clients/>
                <Route path=path!("/clients/:id") view=pages::ClientPage/>
                <Route path=path!("/deals") view=pages::Deals/>
                <Route path=path!("/deals/:id") view=pages::DealPage/>
                <Route path=path!("/board") view=pages::BoardPage/>
                <Route path=path!("/pipeline") view=pages::PipelinePage/>
                <Route path=path!("/plan") view=pages::PlanPage/>
                <Route path=path!("/calendar") view=pages::CalendarPage/>
                <Route path=path!("/goals") view=pages::GoalsPage/>
                <Route path=path!("/report") view=pages::ReportPage/>
                <Route path=path!("/reports") view=pages::ReportsPage/>
                <Route path=path!("/import") view=pages::ImportPage/>
                <Route path=path!("/audit") view=pages::AuditPage/>
                <Route path=path!("/import/:id") view=pages::ImportBatchPage/>
                <Route path=path!("/profile") view=pages::Profile/>
                <Route path=path!("/admin") view=pages::Admin/>
            </Routes>
        </Router>
    }
}

/// The language this page is rendered in.
pub fn use_locale() -> Locale {
    use_context::<Boot>().map(|b| b.locale).unwrap_or_default()
}

/// The signed-in user, if any.
pub fn use_viewer() -> Option<api::Viewer> {
    use_context::<Boot>().and_then(|b| b.viewer)
}

/// A full page load: used after signing in or out and after switching language, so
/// the server renders the page anew for the new session or language.
pub fn reload_to(path: &str) {
    #[cfg(feature = "hydrate")]
    if let Some(window) = web_sys::window() {
        let _ = window.location().set_href(path);
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = path;
}
