//! Server-side time of Pacer's pages and API on the demo department:
//! `cargo bench -p server --bench pages`. Prints median and p95 per request kind.
//! (A bench binary rather than timed assertions in tests: numbers inform, they never fail a build.)

use app::domain::deal::Outcome;
use app::domain::user::Email;
use app::model::deals::DealFilter;
use app::store::Store;
use app::store::prelude::*;
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
    sync(&app, &store_of(&url).await, &manager, &head).await;
}

async fn store_of(url: &str) -> Store {
    Store::open(url).await.unwrap()
}

/// A day offline sent at once: a manager's outbox of 1 000 mutations over their deals
/// (notes, payments, next steps, stage moves, amounts) in one push; then the pulls.
async fn sync(app: &axum::Router, store: &Store, manager: &str, head: &str) {
    let anna = store.user_by_email(&Email::parse("anna@pacer.demo").unwrap()).await.unwrap().expect("the demo has Anna");
    let dept = store.viewer(anna).await.unwrap().department_id.expect("a manager has a department");
    let today = chrono::Utc::now().date_naive();
    let open = store.open_deals(dept, Some(anna), &DealFilter::default(), today, 1000).await.unwrap();
    let deals: Vec<String> = open.iter().map(|d| d.id.to_string()).collect();
    let stages: Vec<String> = store.stages(dept).await.unwrap().into_iter().filter(|s| s.outcome == Outcome::Open).map(|s| s.id).collect();
    let send = |body: String, path: &'static str, cookie: &str| {
        let req = if path.starts_with("/api/sync/push") {
            Request::post(path).header(header::CONTENT_TYPE, "application/json").header(header::COOKIE, cookie).body(Body::from(body))
        } else {
            Request::get(path).header(header::COOKIE, cookie).body(Body::empty())
        };
        let app = app.clone();
        async move {
            let start = Instant::now();
            let res = app.oneshot(req.unwrap()).await.unwrap();
            assert!(res.status().is_success(), "{path}: {}", res.status());
            let body = res.into_body().collect().await.unwrap().to_bytes();
            (start.elapsed(), body)
        }
    };
    let mut times = Vec::new();
    for _ in 0..10 {
        let mutations: Vec<serde_json::Value> = (0..1000)
            .map(|i| {
                let id = uuid::Uuid::now_v7().to_string();
                let deal = &deals[i % deals.len()];
                match i % 10 {
                    0..=3 => serde_json::json!({ "id": id, "kind": "log_activity", "deal_id": deal, "activity": "note", "body": format!("Заметка {i}") }),
                    4 | 5 => serde_json::json!({ "id": id, "kind": "record_payment", "deal_id": deal, "amount": 1000 + i, "received_on": today }),
                    6 | 7 => serde_json::json!({ "id": id, "kind": "set_next_step", "deal_id": deal, "next_step": format!("Позвонить {i}"), "due_on": today }),
                    8 => serde_json::json!({ "id": id, "kind": "set_deal_stage", "deal_id": deal, "stage_id": stages[i % stages.len()] }),
                    _ => serde_json::json!({ "id": id, "kind": "set_deal_amount", "deal_id": deal, "amount": 100_000 * (i as i64) }),
                }
            })
            .collect();
        let body = serde_json::json!({ "schema": 1, "mutations": mutations }).to_string();
        let (took, answer) = send(body, "/api/sync/push", manager).await;
        let answer: serde_json::Value = serde_json::from_slice(&answer).unwrap();
        assert!(answer["results"].as_array().unwrap().iter().all(|r| r["status"] == "applied"), "every mutation applied");
        times.push(took);
    }
    times.sort();
    println!("{:<40} {:>10} {:>10}", "POST /api/sync/push, 1 000 mutations", fmt(times[5]), fmt(times[9]));
    for (name, cookie) in [("GET /api/sync/pull from 0 as head", head), ("GET /api/sync/pull from 0 as manager", manager)] {
        let mut times = Vec::new();
        for _ in 0..20 {
            times.push(send(String::new(), "/api/sync/pull?cursor=0", cookie).await.0);
        }
        times.sort();
        println!("{name:<40} {:>10} {:>10}", fmt(times[10]), fmt(times[19]));
    }
}

fn fmt(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}
