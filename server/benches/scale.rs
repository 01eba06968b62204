//! Pacer at department scale: the scale data set (`pacer seed-scale`: 50 managers,
//! 100 000 deals, 300 000 payments and 1 000 000 activities). Prints the server-side time
//! (median and p95) of the head's home page, pipeline board, plan and goals, a manager's
//! My day, home and goals, one deal's card and a client search, through the real router.
//! `cargo bench -p server --bench scale`

use app::domain::UserId;
use app::domain::user::Email;
use app::model::deals::DealFilter;
use app::store::Store;
use axum::Router;
use axum::body::Body;
use chrono::{Duration, Utc};
use http::{Request, header};
use http_body_util::BodyExt;
use server::config::Config;
use server::scale::{self, Size};
use server::{AppState, router};
use std::time::Instant;
use tower::ServiceExt;
use app::store::prelude::*;

const ROUNDS: usize = 30;

#[tokio::main]
async fn main() {
    // PACER_SCALE_DB keeps the generated database between runs (it takes a while to make).
    let dir = tempfile::tempdir().unwrap();
    let path = std::env::var("PACER_SCALE_DB").unwrap_or_else(|_| format!("{}/scale.db", dir.path().display()));
    let fresh = !std::path::Path::new(&path).exists();
    let url = format!("sqlite://{path}");
    let store = Store::open(&url).await.unwrap();
    if fresh {
        let started = Instant::now();
        scale::seed(&store, Size::default()).await.unwrap().expect("a new database has no users");
        println!("generated in {:.1} s", started.elapsed().as_secs_f64());
    }
    let measured = scale::manager_email(7);
    let manager_id = user(&store, &measured).await;
    let dept = store.viewer(manager_id).await.unwrap().department_id.expect("a manager has a department");
    let today = Utc::now().date_naive();

    let config = Config { database_url: url, listen: "127.0.0.1:0".parse().unwrap(), site_root: "target/site".into(), secure_cookies: false };
    let app = router(AppState::new(store.clone(), &config));
    let head = login(&app, scale::HEAD).await;
    let manager = login(&app, &measured).await;
    // This month's plan split by history, and a calls goal for the measured manager.
    let month = app::domain::period::Month::containing(today).key();
    post(&app, &head, set_plan_path(), &format!("period={month}&metric=received&target=500000000&method=history&history_months=3")).await;
    if store.goals(dept, Some(manager_id), today).await.unwrap().is_empty() {
        let due = (today + Duration::days(20)).to_string();
        let body = format!("title=Call+forty+new+clients&metric=calls&target=40&due_on={due}&relevance=skill");
        post(&app, &manager, save_goal_path(), &body).await;
    }
    let deal = store.open_deals(dept, Some(manager_id), &DealFilter::default(), today, 1).await.unwrap()[0].id;

    println!("{:<44} {:>10} {:>10}", "request (server side)", "median", "p95");
    let pages = [
        ("head: home (department dashboard)", "/".to_string(), &head, None),
        ("head: department's open deals", "/deals".to_string(), &head, None),
        ("head: open deals closing next month", format!("/deals?close={}", months_ahead(1)), &head, None),
        ("head: open deals closing in 6 months (none)", format!("/deals?close={}", months_ahead(6)), &head, None),
        ("head: pipeline board", "/board".to_string(), &head, None),
        ("manager: pipeline board (own deals)", "/board".to_string(), &manager, None),
        ("manager: My day", "/deals".to_string(), &manager, None),
        ("manager: home (my month)", "/".to_string(), &manager, None),
        ("manager: one deal's card", format!("/deals/{deal}"), &manager, None),
        ("head: plan page (this month, 50 shares)", "/plan".to_string(), &head, None),
        ("head: goals page", "/goals".to_string(), &head, None),
        ("manager: goals page (calls counted)", "/goals".to_string(), &manager, None),
        ("head: client search \"ооо 12\"", "/api/find_clients".to_string(), &head, Some("query=%D0%BE%D0%BE%D0%BE+12")),
    ];
    for (name, path, cookie, form) in pages {
        let mut times = Vec::with_capacity(ROUNDS);
        for _ in 0..ROUNDS {
            let req = match form {
                None => Request::get(&path).header(header::ACCEPT, "text/html").header(header::COOKIE, cookie.as_str()).body(Body::empty()),
                Some(f) => Request::post(find_clients_path())
                    .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                    .header(header::ACCEPT, "application/json")
                    .header(header::COOKIE, cookie.as_str())
                    .body(Body::from(f)),
            }
            .unwrap();
            let start = Instant::now();
            let res = app.clone().oneshot(req).await.unwrap();
            assert!(res.status().is_success(), "{name}: {}", res.status());
            let _ = res.into_body().collect().await.unwrap();
            times.push(start.elapsed());
        }
        times.sort();
        let ms = |q: f64| times[((times.len() as f64 - 1.0) * q).round() as usize].as_secs_f64() * 1000.0;
        println!("{name:<44} {:>7.2} ms {:>7.2} ms", ms(0.5), ms(0.95));
    }
}

fn set_plan_path() -> &'static str {
    use leptos::server_fn::ServerFn;
    app::api::plan::SetPlan::PATH
}

fn save_goal_path() -> &'static str {
    use leptos::server_fn::ServerFn;
    app::api::goal::SaveGoal::PATH
}

async fn post(app: &Router, cookie: &str, path: &str, body: &str) {
    let req = Request::post(path)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT, "application/json")
        .header(header::COOKIE, cookie)
        .body(Body::from(body.to_string()))
        .unwrap();
    let res = app.clone().oneshot(req).await.unwrap();
    let status = res.status();
    let text = res.into_body().collect().await.unwrap().to_bytes();
    assert!(status.is_success(), "{path}: {status} {}", String::from_utf8_lossy(&text));
}

fn find_clients_path() -> &'static str {
    use leptos::server_fn::ServerFn;
    app::api::clients::FindClients::PATH
}

async fn login(app: &Router, email: &str) -> String {
    let body = serde_json::json!({ "email": email, "password": scale::PASSWORD }).to_string();
    let res = app
        .clone()
        .oneshot(Request::post("/api/auth/login").header(header::CONTENT_TYPE, "application/json").body(Body::from(body)).unwrap())
        .await
        .unwrap();
    res.headers().get(header::SET_COOKIE).unwrap().to_str().unwrap().split(';').next().unwrap().to_string()
}

async fn user(store: &Store, email: &str) -> UserId {
    store.user_by_email(&Email::parse(email).unwrap()).await.unwrap().expect("the scale data set has this login")
}

fn months_ahead(n: usize) -> String {
    (0..n).fold(app::domain::period::Month::containing(chrono::Utc::now().date_naive()), |m, _| m.next()).key()
}
