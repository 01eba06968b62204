//! Server-side time of Pacer's pages and API on the demo department:
//! `cargo bench -p server --bench pages`. Prints median and p95 per request kind.
//! (A bench binary rather than timed assertions in tests: numbers inform, they never fail a build.)

use app::store::Store;
use axum::body::Body;
use http::{Request, header};
use http_body_util::BodyExt;
use server::config::Config;
use server::{AppState, demo, router};
use std::time::{Duration, Instant};
use tower::ServiceExt;

const ROUNDS: usize = 300;

#[tokio::main]
async fn main() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/bench.db", dir.path().display());
    let store = Store::open(&url).await.unwrap();
    demo::seed(&store).await.unwrap();
    let config = Config {
        database_url: url.clone(),
        listen: "127.0.0.1:0".parse().unwrap(),
        site_root: "target/site".into(),
        secure_cookies: false,
    };
    let app = router(AppState::new(store, &config));

    let login = |email: &'static str| {
        let app = app.clone();
        async move {
            let body = serde_json::json!({ "email": email, "password": demo::PASSWORD }).to_string();
            let res = app
                .oneshot(Request::post("/api/auth/login").header(header::CONTENT_TYPE, "application/json").body(Body::from(body)).unwrap())
                .await
                .unwrap();
            res.headers().get(header::SET_COOKIE).unwrap().to_str().unwrap().split(';').next().unwrap().to_string()
        }
    };
    let head = login("head@pacer.demo").await;
    let manager = login("anna@pacer.demo").await;

    println!("{:<40} {:>10} {:>10}", "request", "median", "p95");
    for (name, path, cookie) in [
        ("GET /login (signed out)", "/login", None),
        ("GET / as head (department home)", "/", Some(&head)),
        ("GET / as manager (my month)", "/", Some(&manager)),
        ("GET /profile as manager", "/profile", Some(&manager)),
        ("GET /api/auth/me as manager", "/api/auth/me", Some(&manager)),
    ] {
        let mut times = Vec::with_capacity(ROUNDS);
        for _ in 0..ROUNDS {
            let mut req = Request::get(path).header(header::ACCEPT, "text/html");
            if let Some(c) = cookie {
                req = req.header(header::COOKIE, c.as_str());
            }
            let start = Instant::now();
            let res = app.clone().oneshot(req.body(Body::empty()).unwrap()).await.unwrap();
            assert!(res.status().is_success(), "{path}: {}", res.status());
            let _ = res.into_body().collect().await.unwrap();
            times.push(start.elapsed());
        }
        times.sort();
        let pick = |q: f64| times[((times.len() as f64 - 1.0) * q).round() as usize];
        println!("{name:<40} {:>10} {:>10}", fmt(pick(0.5)), fmt(pick(0.95)));
    }
}

fn fmt(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}
