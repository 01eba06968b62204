//! A real Pacer for tests: the real router over a fresh SQLite file in a temp dir,
//! with the demo department seeded (or empty, for tests that seed their own).

pub mod db;

pub use db::Db;

use app::domain::DepartmentId;
use app::domain::clock::Clock;
use app::domain::user::{Email, Role};
use app::model::clients::{ClientDetail, ClientRow};
use app::model::deals::{DealDetail, DealFilter, StageOption};
use app::model::people::Viewer;
use app::store::NewUser;
use app::store::Store;
use app::store::prelude::*;
use axum::Router;
use chrono::{DateTime, Utc};
use axum::body::Body;
use http::{Request, Response, StatusCode, header};
use http_body_util::BodyExt;
use server::config::Config;
use server::{AppState, demo, router};
use tempfile::TempDir;
use tower::ServiceExt;

pub const PASSWORD: &str = demo::PASSWORD;

pub struct TestApp {
    pub store: Store,
    /// The store's clock: the system's, or a fixed one for [`spawn_app_at`] to move.
    pub clock: Clock,
    pub router: Router,
    pub url: String,
    pub dir: TempDir,
}

pub fn config(url: &str) -> Config {
    Config {
        database_url: url.to_string(),
        listen: "127.0.0.1:0".parse().unwrap(),
        site_root: "target/site".into(),
        secure_cookies: false,
    }
}

pub async fn spawn_app() -> TestApp {
    let app = spawn_empty_app().await;
    demo::seed(&app.store).await.unwrap().expect("fresh database gets the demo");
    app
}

/// A Pacer whose database has its schema and nothing else.
pub async fn spawn_empty_app() -> TestApp {
    spawn(Clock::system(), None).await
}

/// The demo Pacer with its clock standing at `at` (the demo's data is dated from
/// there) until the test moves it with `app.clock.set(…)`.
pub async fn spawn_app_at(at: DateTime<Utc>) -> TestApp {
    let app = spawn(Clock::fixed(at), None).await;
    demo::seed(&app.store).await.unwrap().expect("fresh database gets the demo");
    app
}

/// The demo Pacer serving the browser files in `site_root`.
pub async fn spawn_app_serving(site_root: &std::path::Path) -> TestApp {
    let app = spawn(Clock::system(), Some(site_root)).await;
    demo::seed(&app.store).await.unwrap().expect("fresh database gets the demo");
    app
}

async fn spawn(clock: Clock, site_root: Option<&std::path::Path>) -> TestApp {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/pacer.db", dir.path().display());
    let store = Store::open(&url).await.unwrap().with_clock(clock.clone());
    let mut config = config(&url);
    if let Some(site_root) = site_root {
        config.site_root = site_root.to_path_buf();
    }
    let router = router(AppState::new(store.clone(), &config));
    TestApp { store, clock, router, url, dir }
}

pub struct Answer {
    pub status: StatusCode,
    pub headers: http::HeaderMap,
    pub body: String,
}

impl Answer {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }

    /// The `name=value` of the session cookie this answer sets.
    pub fn session_cookie(&self) -> Option<String> {
        self.headers
            .get_all(header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|c| c.starts_with("pacer_session=") && !c.starts_with("pacer_session=;"))
            .map(|c| c.split(';').next().unwrap().to_string())
    }
}

async fn answer(res: Response<Body>) -> Answer {
    let status = res.status();
    let headers = res.headers().clone();
    let bytes = res.into_body().collect().await.unwrap().to_bytes();
    Answer { status, headers, body: String::from_utf8_lossy(&bytes).into_owned() }
}

/// Sends `req` through `router`, for tasks of their own, which cannot borrow the app.
pub async fn send(router: &Router, req: Request<Body>) -> Answer {
    answer(router.clone().oneshot(req).await.unwrap()).await
}

impl TestApp {
    /// Today in the demo organisation's time zone, by the app's clock.
    pub fn today(&self) -> chrono::NaiveDate {
        app::domain::clock::today(app::domain::clock::DEFAULT_ZONE, self.store.now())
    }

    pub async fn send(&self, req: Request<Body>) -> Answer {
        send(&self.router, req).await
    }

    pub async fn get(&self, path: &str, cookie: Option<&str>) -> Answer {
        // As a browser navigating: it accepts HTML, which is how Leptos tells a page load from a fetch.
        let mut req = Request::get(path).header(header::HOST, "127.0.0.1:3000").header(header::ACCEPT, "text/html,*/*;q=0.8");
        if let Some(c) = cookie {
            req = req.header(header::COOKIE, c);
        }
        self.send(req.body(Body::empty()).unwrap()).await
    }

    /// Sends every request at once, each on its own task, as many browsers would;
    /// the answers come in the order they were sent.
    pub async fn send_together(&self, reqs: Vec<Request<Body>>) -> Vec<Answer> {
        let tasks: Vec<_> = reqs
            .into_iter()
            .map(|req| {
                let router = self.router.clone();
                tokio::spawn(async move { send(&router, req).await })
            })
            .collect();
        let mut answers = Vec::with_capacity(tasks.len());
        for task in tasks {
            answers.push(task.await.unwrap());
        }
        answers
    }

    pub async fn login_json(&self, email: &str, password: &str) -> Answer {
        self.send(login_request(email, password)).await
    }

    /// Signs in and returns the `pacer_session=…` cookie.
    pub async fn login(&self, email: &str) -> String {
        let a = self.login_json(email, PASSWORD).await;
        assert_eq!(a.status, StatusCode::OK, "{}", a.body);
        a.session_cookie().expect("login sets the session cookie")
    }

    /// Calls a server function the way the browser does (a same-origin form POST).
    pub async fn call(&self, path: &str, cookie: Option<&str>, form: &[(&str, &str)]) -> Answer {
        let body = form
            .iter()
            .map(|(k, v)| format!("{}={}", k, urlencode(v)))
            .collect::<Vec<_>>()
            .join("&");
        let mut req = Request::post(path)
            .header(header::HOST, "127.0.0.1:3000")
            .header(header::ORIGIN, "http://127.0.0.1:3000")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::ACCEPT, "application/json");
        if let Some(c) = cookie {
            req = req.header(header::COOKIE, c);
        }
        self.send(req.body(Body::from(body)).unwrap()).await
    }

    /// `POST /api/sync/push` with `mutations`, as the app's outbox sends it.
    pub async fn push(&self, cookie: Option<&str>, mutations: serde_json::Value) -> Answer {
        self.push_raw(cookie, serde_json::json!({ "schema": 1, "mutations": mutations })).await
    }

    /// One change made as a page makes it: pushed with a fresh mutation id. Returns the
    /// answer (`status` is `applied`, `conflict` or `rejected`).
    pub async fn change(&self, cookie: &str, change: serde_json::Value) -> serde_json::Value {
        let mut mutation = change;
        mutation["id"] = serde_json::json!(uuid::Uuid::now_v7().to_string());
        let answer = self.push(Some(cookie), serde_json::json!([mutation])).await;
        assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
        answer.json()["results"][0].clone()
    }

    pub async fn push_raw(&self, cookie: Option<&str>, body: serde_json::Value) -> Answer {
        self.send(push_request(cookie, body.to_string())).await
    }

    /// `GET /api/sync/pull?cursor=…`.
    pub async fn pull(&self, cookie: Option<&str>, cursor: &str) -> Answer {
        let mut req = Request::get(format!("/api/sync/pull?cursor={cursor}")).header(header::HOST, "127.0.0.1:3000");
        if let Some(c) = cookie {
            req = req.header(header::COOKIE, c);
        }
        self.send(req.body(Body::empty()).unwrap()).await
    }

    /// The id of the user who signs in as `email`.
    pub async fn user_id(&self, email: &str) -> String {
        let email = Email::parse(email).unwrap();
        let account = self.store.credentials(&email).await.unwrap();
        account.unwrap_or_else(|| panic!("no user {email:?}")).user_id.to_string()
    }

    /// The user who signs in as `email`, as the app sees them.
    pub async fn viewer(&self, email: &str) -> Viewer {
        self.store.viewer(self.user_id(email).await.parse().unwrap()).await.unwrap()
    }

    /// The demo department (the head's).
    pub async fn department(&self) -> DepartmentId {
        self.viewer("head@pacer.demo").await.department_id.unwrap()
    }

    /// The demo department's pipeline, in order.
    pub async fn stages(&self) -> Vec<StageOption> {
        self.store.stages(self.department().await).await.unwrap()
    }

    /// The id of the demo department's built-in stage `code` (`new`, …, `won`, `lost`).
    pub async fn stage_id(&self, code: &str) -> String {
        let stages = self.stages().await;
        stages.into_iter().find(|s| s.code.as_deref() == Some(code)).unwrap_or_else(|| panic!("no stage {code}")).id
    }

    /// A deal's page as the store gives it.
    pub async fn deal(&self, deal: &str) -> DealDetail {
        self.store.deal_detail(deal.parse().unwrap(), self.today()).await.unwrap()
    }

    /// The open deals of the user with `email`, by id.
    pub async fn open_deals_of(&self, email: &str) -> Vec<String> {
        let owner = self.viewer(email).await;
        let dept = owner.department_id.unwrap();
        let deals = self.store.open_deals(dept, Some(owner.user_id), &DealFilter::default(), self.today(), i64::MAX).await.unwrap();
        let mut ids: Vec<String> = deals.into_iter().map(|d| d.id.to_string()).collect();
        ids.sort();
        ids
    }

    /// The clients of the user with `email`, by name, as the client search lists them.
    pub async fn clients_of(&self, email: &str) -> Vec<ClientRow> {
        let owner = self.viewer(email).await;
        self.store.search_clients(owner.department_id.unwrap(), Some(owner.user_id), None, i64::MAX).await.unwrap()
    }

    /// A client's page as the store gives it.
    pub async fn client(&self, client: &str) -> ClientDetail {
        self.store.client_detail(client.parse().unwrap(), self.today()).await.unwrap()
    }

    /// A second department in the demo organisation, with its head
    /// (`rhead@pacer.demo`) and one manager (`rman@pacer.demo`): people of the same
    /// organisation to whom the demo department's ids are foreign.
    pub async fn other_department(&self) {
        let org = self.viewer("head@pacer.demo").await.organisation_id;
        let other = self
            .store
            .create_department(org, "Отдел регионов")
            .await
            .unwrap();
        let hash = app::auth::hash_password(
            &app::domain::user::NewPassword::parse(PASSWORD.into()).unwrap(),
        )
        .await
        .unwrap();
        for (email, name, role) in [
            ("rhead@pacer.demo", "Марина Белова", Role::Head),
            ("rman@pacer.demo", "Кирилл Жуков", Role::Manager),
        ] {
            let email = Email::parse(email).unwrap();
            let user = NewUser {
                organisation_id: org,
                department_id: Some(other),
                email: &email,
                name,
                role,
                password_hash: &hash,
            };
            self.store.create_user(user).await.unwrap();
        }
    }

    /// Uploads a CSV file for import as the head with `cookie`, with `owner` as the
    /// default owner of its rows.
    pub async fn upload_import(&self, cookie: &str, file: &[u8], owner: &str) -> Answer {
        let boundary = "pacer-test-boundary";
        let mut body = Vec::new();
        body.extend_from_slice(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"default_owner\"\r\n\r\n{owner}\r\n").as_bytes());
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"export.csv\"\r\nContent-Type: text/csv\r\n\r\n")
                .as_bytes(),
        );
        body.extend_from_slice(file);
        body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        self.send(
            Request::post("/api/import/upload")
                .header(header::HOST, "127.0.0.1:3000")
                .header(header::ORIGIN, "http://127.0.0.1:3000")
                .header(
                    header::CONTENT_TYPE,
                    format!("multipart/form-data; boundary={boundary}"),
                )
                .header(header::COOKIE, cookie)
                .body(Body::from(body))
                .unwrap(),
        )
        .await
    }

    /// Every page Anna and the head open, with `deal` and a client of Anna's, answers
    /// 200 without the internal error notice, and Anna's pull answers too.
    pub async fn every_page_answers(&self, deal: &str) {
        let client = self.clients_of("anna@pacer.demo").await[0].id.to_string();
        let manager_pages = ["/", "/deals", "/clients", "/goals", "/report", "/profile"];
        let head_pages = [
            "/",
            "/deals",
            "/clients",
            "/board",
            "/plan",
            "/pipeline",
            "/calendar",
            "/goals",
            "/reports",
            "/import",
            "/audit",
        ];
        let anna = self.login("anna@pacer.demo").await;
        let head = self.login("head@pacer.demo").await;
        let anna_id = self.user_id("anna@pacer.demo").await;
        let deal_page = format!("/deals/{deal}");
        let client_page = format!("/clients/{client}");
        let manager_page = format!("/managers/{anna_id}");
        let pages = manager_pages
            .iter()
            .map(|p| (&anna, *p))
            .chain([(&anna, deal_page.as_str()), (&anna, client_page.as_str())])
            .chain(head_pages.iter().map(|p| (&head, *p)))
            .chain([
                (&head, deal_page.as_str()),
                (&head, client_page.as_str()),
                (&head, manager_page.as_str()),
            ]);
        for (cookie, path) in pages {
            let page = self.get(path, Some(cookie)).await;
            assert_eq!(
                page.status,
                StatusCode::OK,
                "{path} answered {}",
                page.status
            );
            assert!(
                !page.body.contains("Что-то пошло не так"),
                "{path} shows the internal error notice"
            );
        }
        let pulled = self.pull(Some(&anna), "0").await;
        assert_eq!(pulled.status, StatusCode::OK, "{}", pulled.body);
    }

    /// The database itself, for what no page shows.
    pub fn db(&self) -> Db<'_> {
        Db(&self.store)
    }
}

/// `POST /api/auth/login` as the JSON API's clients send it.
pub fn login_request(email: &str, password: &str) -> Request<Body> {
    let body = serde_json::json!({ "email": email, "password": password }).to_string();
    Request::post("/api/auth/login")
        .header(header::HOST, "127.0.0.1:3000")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(body))
        .unwrap()
}

/// `POST /api/sync/push` with `body` as it is.
pub fn push_request(cookie: Option<&str>, body: String) -> Request<Body> {
    let mut req = Request::post("/api/sync/push")
        .header(header::HOST, "127.0.0.1:3000")
        .header(header::ORIGIN, "http://127.0.0.1:3000")
        .header(header::CONTENT_TYPE, "application/json");
    if let Some(c) = cookie {
        req = req.header(header::COOKIE, c);
    }
    req.body(Body::from(body)).unwrap()
}

/// Today in the demo organisation's time zone, for an app on the system's clock.
pub fn today() -> chrono::NaiveDate {
    chrono::Utc::now().with_timezone(&chrono_tz::Europe::Moscow).date_naive()
}

/// A pushed change's refusal: (reason, field, msg), empty where the answer has none.
pub fn rejected(answer: &serde_json::Value) -> (&str, &str, &str) {
    assert_eq!(answer["status"], "rejected", "{answer}");
    let s = |k: &str| answer[k].as_str().unwrap_or_default();
    (answer["reason"].as_str().unwrap(), s("field"), s("msg"))
}

/// A refusal that breaks a rule (what was a 422): (field, msg).
pub fn invalid(answer: &serde_json::Value) -> (&str, &str) {
    let (reason, field, msg) = rejected(answer);
    assert_eq!(reason, "invalid", "{answer}");
    (field, msg)
}

pub fn applied(answer: &serde_json::Value) {
    assert_eq!(answer["status"], "applied", "{answer}");
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}
