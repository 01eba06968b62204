//! Pacer at department scale: 50 managers, 100 000 deals, 300 000 payments and
//! 1 000 000 activities, generated straight into SQLite. Prints the server-side time
//! (median and p95) of the head's home page, pipeline board, plan and goals, a manager's
//! My day, home and goals, one deal's card and a client search, through the real router.
//! `cargo bench -p server --bench scale`

use app::domain::user::{Email, NewPassword, Role};
use app::domain::{DepartmentId, UserId};
use app::store::{NewUser, Store};
use axum::Router;
use axum::body::Body;
use chrono::{Duration, Utc};
use http::{Request, header};
use http_body_util::BodyExt;
use server::config::Config;
use server::{AppState, router};
use std::time::Instant;
use tower::ServiceExt;
use app::store::prelude::*;

const MANAGERS: usize = 50;
const DEALS: usize = 100_000;
const CLIENTS: usize = 30_000;
const PAYMENTS_PER_KIND: usize = 150_000;
const ACTIVITIES: usize = 1_000_000;
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
        let (dept, managers) = people(&store).await;
        generate(&store, dept, &managers).await;
        store.reindex_clients().await.unwrap();
        sqlx::query("analyze").execute(store.pool()).await.unwrap();
        println!("generated in {:.1} s", started.elapsed().as_secs_f64());
    }
    let managers: Vec<UserId> = sqlx::query_scalar::<_, String>("select user_id from app_user where role = 'manager' order by email")
        .fetch_all(store.pool())
        .await
        .unwrap()
        .into_iter()
        .map(|u| u.parse().unwrap())
        .collect();

    let config = Config { database_url: url, listen: "127.0.0.1:0".parse().unwrap(), site_root: "target/site".into(), secure_cookies: false };
    let app = router(AppState::new(store.clone(), &config));
    let head = login(&app, "head@scale.test").await;
    let manager = login(&app, "m7@scale.test").await;
    // This month's plan split by history, and a calls goal for the measured manager.
    let month = app::domain::period::Month::containing(Utc::now().date_naive()).key();
    post(&app, &head, set_plan_path(), &format!("period={month}&metric=received&target=500000000&method=history&history_months=3")).await;
    let goals: i64 = sqlx::query_scalar("select count(*) from goal").fetch_one(store.pool()).await.unwrap();
    if goals == 0 {
        let due = (Utc::now().date_naive() + Duration::days(20)).to_string();
        let body = format!("title=Call+forty+new+clients&metric=calls&target=40&due_on={due}&relevance=skill");
        post(&app, &manager, save_goal_path(), &body).await;
    }
    let deal: String = sqlx::query_scalar("select deal_id from deal where owner_id = ? limit 1")
        .bind(managers[7].to_string())
        .fetch_one(store.pool())
        .await
        .unwrap();

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
    let body = serde_json::json!({ "email": email, "password": "scale-password" }).to_string();
    let res = app
        .clone()
        .oneshot(Request::post("/api/auth/login").header(header::CONTENT_TYPE, "application/json").body(Body::from(body)).unwrap())
        .await
        .unwrap();
    res.headers().get(header::SET_COOKIE).unwrap().to_str().unwrap().split(';').next().unwrap().to_string()
}

async fn people(store: &Store) -> (DepartmentId, Vec<UserId>) {
    let org = store.ensure_organisation("Scale").await.unwrap();
    let dept = store.create_department(org, "Отдел продаж").await.unwrap();
    store.create_default_pipeline(dept).await.unwrap();
    let hash = app::auth::hash_password(&NewPassword::parse("scale-password".into()).unwrap()).await.unwrap();
    let add = |email: String, role| {
        let store = store.clone();
        let hash = hash.clone();
        async move {
            store
                .create_user(NewUser {
                    organisation_id: org,
                    department_id: Some(dept),
                    email: &Email::parse(&email).unwrap(),
                    name: &email,
                    role,
                    password_hash: &hash,
                })
                .await
                .unwrap()
        }
    };
    add("head@scale.test".into(), Role::Head).await;
    let mut managers = Vec::new();
    for i in 0..MANAGERS {
        managers.push(add(format!("m{i}@scale.test"), Role::Manager).await);
    }
    (dept, managers)
}

async fn generate(store: &Store, dept: DepartmentId, managers: &[UserId]) {
    let stages = store.stages(dept).await.unwrap();
    let today = Utc::now().date_naive();
    let now = Utc::now();
    let mut tx = store.pool().begin().await.unwrap();
    let dept_s = dept.to_string();
    let mut clients = Vec::with_capacity(CLIENTS);
    for i in 0..CLIENTS {
        let id = uuid::Uuid::now_v7().to_string();
        let owner = managers[i % managers.len()].to_string();
        sqlx::query("insert into client (client_id, department_id, owner_id, name, created_at, updated_at, updated_by) values (?, ?, ?, ?, ?, ?, ?)")
            .bind(&id).bind(&dept_s).bind(&owner).bind(format!("ООО «Клиент {i}»")).bind(now).bind(now).bind(&owner)
            .execute(&mut *tx).await.unwrap();
        clients.push((id, owner));
    }
    let mut deals = Vec::with_capacity(DEALS);
    for i in 0..DEALS {
        let id = uuid::Uuid::now_v7().to_string();
        let (client, owner) = &clients[i % CLIENTS];
        let stage = &stages[i % stages.len()];
        let created = now - Duration::days((i % 120) as i64);
        let due = today + Duration::days((i % 21) as i64 - 10);
        sqlx::query(
            "insert into deal (deal_id, department_id, client_id, owner_id, stage_id, title, amount, expected_close_on, next_step, \
             next_step_due_on, closed_on, created_at, updated_at, updated_by) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(&id).bind(&dept_s).bind(client).bind(owner).bind(&stage.id).bind(format!("Сделка {i}"))
        .bind(((i % 200) as i64 + 1) * 1_000_000).bind(due + Duration::days(20)).bind("Позвонить").bind(due)
        .bind((stage.outcome != app::domain::deal::Outcome::Open).then_some(created.date_naive()))
        .bind(created).bind(created).bind(owner)
        .execute(&mut *tx).await.unwrap();
        deals.push((id, client.clone(), owner.clone(), created));
    }
    for (table, key, date) in [("expected_payment", "expected_payment_id", "due_on"), ("received_payment", "received_payment_id", "received_on")] {
        let sql = format!("insert into {table} ({key}, deal_id, amount, {date}, created_at, updated_at, updated_by) values (?, ?, ?, ?, ?, ?, ?)");
        for i in 0..PAYMENTS_PER_KIND {
            let (deal, _, owner, _) = &deals[(i * 7) % DEALS];
            // One payment in twenty arrives only half paid, so about one deal in twenty
            // owes money and the overdue figure has real work to do.
            let part = if table == "received_payment" && i % 20 == 0 { 2 } else { 1 };
            sqlx::query(&sql)
                .bind(uuid::Uuid::now_v7().to_string()).bind(deal).bind(((i % 50) as i64 + 1) * 500_000 / part)
                .bind(today - Duration::days((i % 100) as i64)).bind(now).bind(now).bind(owner)
                .execute(&mut *tx).await.unwrap();
        }
    }
    for i in 0..ACTIVITIES {
        let (deal, client, owner, created) = &deals[i % DEALS];
        sqlx::query("insert into activity (activity_id, deal_id, client_id, user_id, kind, body, occurred_at) values (?, ?, ?, ?, 'call', 'Звонок', ?)")
            .bind(uuid::Uuid::now_v7().to_string()).bind(deal).bind(client).bind(owner)
            .bind(*created + Duration::hours((i / DEALS) as i64 * 30))
            .execute(&mut *tx).await.unwrap();
    }
    sqlx::query("update deal set touched_at = coalesce((select max(a.occurred_at) from activity a where a.deal_id = deal.deal_id), created_at)")
        .execute(&mut *tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();
}

fn months_ahead(n: usize) -> String {
    (0..n).fold(app::domain::period::Month::containing(chrono::Utc::now().date_naive()), |m, _| m.next()).key()
}
