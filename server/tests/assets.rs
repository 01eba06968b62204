//! The browser bundle served as a CDN would: content-hashed names kept for a year,
//! sent precompressed as the browser accepts them; the page, the service worker and its
//! offline page all name the same files.

use crate::common;

use common::{Answer, TestApp, spawn_app_serving};
use http::{Request, StatusCode, header};

/// A built site with a bundle: each file beside its brotli and gzip forms, as the
/// build writes them (their bytes here only need to differ, to tell which was sent).
fn site(hashed: bool) -> tempfile::TempDir {
    let site = tempfile::tempdir().unwrap();
    let pkg = site.path().join("pkg");
    std::fs::create_dir_all(&pkg).unwrap();
    let names = if hashed { ["pacer.0a1b2c.js", "pacer.3d4e5f.wasm", "pacer.6a7b8c.css"] } else { ["pacer.js", "pacer_bg.wasm", "pacer.css"] };
    for name in names {
        std::fs::write(pkg.join(name), format!("raw {name}")).unwrap();
        std::fs::write(pkg.join(format!("{name}.br")), format!("brotli {name}")).unwrap();
        std::fs::write(pkg.join(format!("{name}.gz")), format!("gzip {name}")).unwrap();
    }
    if hashed {
        let list = format!(r#"{{ "js": "{}", "wasm": "{}", "css": "{}" }}"#, names[0], names[1], names[2]);
        std::fs::write(pkg.join("bundle.json"), list).unwrap();
    }
    site
}

async fn fetch(app: &TestApp, path: &str, accept_encoding: &str) -> Answer {
    let req = Request::get(path).header(header::HOST, "127.0.0.1:3000").header(header::ACCEPT_ENCODING, accept_encoding);
    app.send(req.body(axum::body::Body::empty()).unwrap()).await
}

fn header<'a>(answer: &'a Answer, name: header::HeaderName) -> &'a str {
    answer.headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or_default()
}

#[tokio::test]
async fn hashed_files_are_kept_for_a_year_and_sent_precompressed_as_the_browser_accepts() {
    let site = site(true);
    let app = spawn_app_serving(site.path()).await;
    for (accepts, encoding, body) in [("br, gzip", "br", "brotli"), ("gzip", "gzip", "gzip"), ("identity", "", "raw")] {
        let wasm = fetch(&app, "/pkg/pacer.3d4e5f.wasm", accepts).await;
        assert_eq!(wasm.status, StatusCode::OK);
        assert_eq!(wasm.body, format!("{body} pacer.3d4e5f.wasm"), "{accepts}");
        assert_eq!(header(&wasm, header::CONTENT_ENCODING), encoding, "{accepts}");
        assert_eq!(header(&wasm, header::CONTENT_TYPE), "application/wasm");
        assert_eq!(header(&wasm, header::CACHE_CONTROL), "public, max-age=31536000, immutable");
    }
    // The page names the hashed files; the page itself is asked about every time.
    let login = app.get("/login", None).await;
    assert_eq!(login.status, StatusCode::OK);
    for path in ["/pkg/pacer.0a1b2c.js", "/pkg/pacer.3d4e5f.wasm", "/pkg/pacer.6a7b8c.css"] {
        assert!(login.body.contains(&format!("\"{path}\"")), "the page names {path}");
    }
    assert!(!login.body.contains("pacer_bg.wasm"));
    assert_ne!(header(&login, header::CACHE_CONTROL), "public, max-age=31536000, immutable");
    // The service worker keeps the same files for offline use, and its offline page uses the stylesheet.
    let worker = fetch(&app, "/sw.js", "identity").await.body;
    assert!(worker.contains(r#"const ASSETS = ["/pkg/pacer.0a1b2c.js","/pkg/pacer.3d4e5f.wasm","/pkg/pacer.6a7b8c.css","/pwa.js""#), "{worker}");
    assert!(worker.contains(r#"<link rel="stylesheet" href="/pkg/pacer.6a7b8c.css">"#));
}

#[tokio::test]
async fn a_site_built_without_hashes_keeps_its_plain_names_and_has_them_revalidated() {
    let site = site(false);
    let app = spawn_app_serving(site.path()).await;
    let wasm = fetch(&app, "/pkg/pacer_bg.wasm", "br").await;
    assert_eq!((wasm.status, wasm.body.as_str()), (StatusCode::OK, "brotli pacer_bg.wasm"));
    assert_eq!(header(&wasm, header::CACHE_CONTROL), "no-cache");
    let login = app.get("/login", None).await;
    assert!(login.body.contains("\"/pkg/pacer_bg.wasm\""));
}
