//! The browser entry point: hydrates the server-rendered page.

use app::api::Boot;
use app::{App, BOOT_ELEMENT_ID};
use leptos::prelude::*;
use wasm_bindgen::prelude::wasm_bindgen;

#[wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    let boot = read_boot();
    leptos::mount::hydrate_body(move || {
        provide_context(boot);
        view! { <App/> }
    });
    // Lets tests (and curious people) see that the page is interactive.
    if let Some(root) = document().document_element() {
        let _ = root.set_attribute("data-hydrated", "true");
    }
}

/// The [`Boot`] the server embedded in the page. A page without it (which Pacer never
/// serves) hydrates as signed out rather than failing.
fn read_boot() -> Boot {
    document()
        .get_element_by_id(BOOT_ELEMENT_ID)
        .and_then(|el| el.text_content())
        .and_then(|json| serde_json::from_str(&json).ok())
        .unwrap_or(Boot { viewer: None, locale: Default::default() })
}
