//! Signing in and out, sessions, throttling and request hygiene (origins, headers,
//! body sizes), through the real router.

use crate::common;

use app::api::account::{ChangePassword, Logout};
use app::api::admin::{CreateDepartment, DeactivateUser};
use app::store::prelude::*;
use axum::body::Body;
use common::{PASSWORD, login_request, spawn_app};
use http::{Request, StatusCode, header};
use leptos::server_fn::ServerFn;

#[tokio::test]
async fn login_sets_an_http_only_same_site_cookie_with_a_long_random_id() {
    let app = spawn_app().await;
    let a = app.login_json("head@pacer.demo", PASSWORD).await;
    assert_eq!(a.status, StatusCode::OK);
    assert_eq!(a.json()["role"], "head");
    let raw = a.headers.get(header::SET_COOKIE).unwrap().to_str().unwrap();
    assert!(raw.contains("HttpOnly") && raw.contains("SameSite=Lax") && raw.contains("Path=/"), "{raw}");
    let id = a.session_cookie().unwrap().trim_start_matches("pacer_session=").to_string();
    assert!(id.len() >= 43, "at least 256 bits: {id}");
    // The database keeps only a hash of it.
    assert_eq!(app.db().sessions_with_hash(&id).await, 0);
}

#[tokio::test]
async fn wrong_password_and_unknown_email_both_answer_401() {
    let app = spawn_app().await;
    let wrong = app.login_json("head@pacer.demo", "not-it-at-all").await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert!(wrong.session_cookie().is_none());
    let unknown = app.login_json("nobody@pacer.demo", PASSWORD).await;
    assert_eq!(unknown.status, StatusCode::UNAUTHORIZED);
    // The same message for both, so an attacker cannot tell which addresses exist.
    assert_eq!(wrong.json()["message"], unknown.json()["message"]);
}

#[tokio::test]
async fn the_message_follows_the_browser_language() {
    let app = spawn_app().await;
    let body = serde_json::json!({ "email": "head@pacer.demo", "password": "wrong-wrong" }).to_string();
    let a = app
        .send(
            Request::post("/api/auth/login")
                .header(header::CONTENT_TYPE, "application/json")
                .header(header::ACCEPT_LANGUAGE, "en-GB,en;q=0.9")
                .body(Body::from(body))
                .unwrap(),
        )
        .await;
    assert_eq!(a.json()["message"], "Wrong email or password.");
}

#[tokio::test]
async fn repeated_failures_lock_the_account_even_for_the_right_password() {
    let app = spawn_app().await;
    for _ in 0..5 {
        assert_eq!(app.login_json("olga@pacer.demo", "guess-guess").await.status, StatusCode::UNAUTHORIZED);
    }
    let locked = app.login_json("olga@pacer.demo", PASSWORD).await;
    assert_eq!(locked.status, StatusCode::TOO_MANY_REQUESTS);
    let retry: u64 = locked.headers.get(header::RETRY_AFTER).unwrap().to_str().unwrap().parse().unwrap();
    assert!(retry > 0 && retry <= 15 * 60);
    assert!(locked.json()["message"].as_str().unwrap().contains("попыток"));
    // Other accounts are not affected.
    assert_eq!(app.login_json("anna@pacer.demo", PASSWORD).await.status, StatusCode::OK);
}

/// How many of `answers` have `status`.
fn answered(answers: &[common::Answer], status: StatusCode) -> usize {
    answers.iter().filter(|a| a.status == status).count()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_passwords_sent_at_once_get_five_checks_and_the_rest_are_refused() {
    let app = spawn_app().await;
    let guesses = (0..12).map(|i| login_request("olga@pacer.demo", &format!("guess-{i:02}"))).collect();
    let answers = app.send_together(guesses).await;
    // Each attempt is counted before its password is checked, so the sixth and later
    // see the five before them even though none of those has finished.
    assert_eq!(answered(&answers, StatusCode::UNAUTHORIZED), 5, "{:?}", answers.iter().map(|a| a.status).collect::<Vec<_>>());
    assert_eq!(answered(&answers, StatusCode::TOO_MANY_REQUESTS), 7);
    assert_eq!(app.login_json("olga@pacer.demo", PASSWORD).await.status, StatusCode::TOO_MANY_REQUESTS, "locked for the owner too");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_address_sending_wrong_passwords_at_once_gets_thirty_checks() {
    let app = spawn_app().await;
    // Every account tried once, so only the address's count can refuse.
    let guesses = (0..36).map(|i| login_request(&format!("nobody{i}@pacer.demo"), "guess-guess")).collect();
    let answers = app.send_together(guesses).await;
    assert_eq!(answered(&answers, StatusCode::UNAUTHORIZED), 30);
    assert_eq!(answered(&answers, StatusCode::TOO_MANY_REQUESTS), 6);
    assert_eq!(app.login_json("anna@pacer.demo", PASSWORD).await.status, StatusCode::TOO_MANY_REQUESTS, "the address is locked");
}

#[tokio::test]
async fn successful_sign_ins_from_one_address_do_not_use_up_its_allowance() {
    let app = spawn_app().await;
    // An office behind one address signs in all morning.
    for _ in 0..40 {
        assert_eq!(app.login_json("anna@pacer.demo", PASSWORD).await.status, StatusCode::OK);
    }
    assert_eq!(app.login_json("anna@pacer.demo", "typo-typo").await.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_session_survives_a_server_restart() {
    let app = spawn_app().await;
    let cookie = app.login("anna@pacer.demo").await;
    app.store.close().await;
    let store = app::store::Store::open(&app.url).await.unwrap();
    let restarted = server::router(server::AppState::new(store, &common::config(&app.url)));
    let res = tower::ServiceExt::oneshot(
        restarted,
        Request::get("/api/auth/me").header(header::COOKIE, &cookie).body(Body::empty()).unwrap(),
    )
    .await
    .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
}

#[tokio::test]
async fn logout_ends_the_session() {
    let app = spawn_app().await;
    let cookie = app.login("anna@pacer.demo").await;
    assert_eq!(app.get("/api/auth/me", Some(&cookie)).await.status, StatusCode::OK);
    let out = app.call(Logout::PATH, Some(&cookie), &[]).await;
    assert_eq!(out.status, StatusCode::OK);
    assert_eq!(app.get("/api/auth/me", Some(&cookie)).await.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn signing_in_again_replaces_the_old_session() {
    let app = spawn_app().await;
    let old = app.login("anna@pacer.demo").await;
    let body = serde_json::json!({ "email": "anna@pacer.demo", "password": PASSWORD }).to_string();
    let again = app
        .send(
            Request::post("/api/auth/login")
                .header(header::CONTENT_TYPE, "application/json")
                .header(header::COOKIE, &old)
                .body(Body::from(body))
                .unwrap(),
        )
        .await;
    let new = again.session_cookie().unwrap();
    assert_ne!(new, old);
    assert_eq!(app.get("/api/auth/me", Some(&old)).await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(app.get("/api/auth/me", Some(&new)).await.status, StatusCode::OK);
}

#[tokio::test]
async fn changing_the_password_ends_the_other_sessions_only() {
    let app = spawn_app().await;
    let phone = app.login("dmitry@pacer.demo").await;
    let laptop = app.login("dmitry@pacer.demo").await;
    let changed = app
        .call(ChangePassword::PATH, Some(&laptop), &[("current", PASSWORD), ("new", "a-new-secret"), ("repeat", "a-new-secret")])
        .await;
    assert_eq!(changed.status, StatusCode::OK, "{}", changed.body);
    assert_eq!(app.get("/api/auth/me", Some(&laptop)).await.status, StatusCode::OK);
    assert_eq!(app.get("/api/auth/me", Some(&phone)).await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(app.login_json("dmitry@pacer.demo", PASSWORD).await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(app.login_json("dmitry@pacer.demo", "a-new-secret").await.status, StatusCode::OK);
}

#[tokio::test]
async fn a_wrong_current_password_or_a_short_new_one_is_pointed_at_its_field() {
    let app = spawn_app().await;
    let cookie = app.login("dmitry@pacer.demo").await;
    let wrong = app.call(ChangePassword::PATH, Some(&cookie), &[("current", "nope-nope"), ("new", "long-enough"), ("repeat", "long-enough")]).await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(wrong.json()["Invalid"]["field"], "current");
    let short = app.call(ChangePassword::PATH, Some(&cookie), &[("current", PASSWORD), ("new", "short"), ("repeat", "short")]).await;
    assert_eq!(short.json()["Invalid"]["field"], "new");
    assert_eq!(short.json()["Invalid"]["msg"], "ErrPasswordTooShort");
    let mismatch = app.call(ChangePassword::PATH, Some(&cookie), &[("current", PASSWORD), ("new", "long-enough"), ("repeat", "long-enougH")]).await;
    assert_eq!(mismatch.json()["Invalid"]["field"], "repeat");
}

#[tokio::test]
async fn a_deactivated_user_is_signed_out_and_cannot_sign_in_but_their_deals_stay() {
    let app = spawn_app().await;
    let admin = app.login("admin@pacer.demo").await;
    let igor = app.login("igor@pacer.demo").await;
    let igor_id = app.user_id("igor@pacer.demo").await;
    let deals_before = app.db().deals_of(&igor_id).await.len();
    let done = app.call(DeactivateUser::PATH, Some(&admin), &[("user", &igor_id)]).await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    assert_eq!(app.get("/api/auth/me", Some(&igor)).await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(app.login_json("igor@pacer.demo", PASSWORD).await.status, StatusCode::UNAUTHORIZED);
    let deals_after = app.db().deals_of(&igor_id).await.len();
    assert!(deals_before > 0);
    assert_eq!(deals_after, deals_before);
}

#[tokio::test]
async fn a_cross_site_post_is_refused_before_it_does_anything() {
    let app = spawn_app().await;
    let cookie = app.login("anna@pacer.demo").await;
    let res = app
        .send(
            Request::post(Logout::PATH)
                .header(header::HOST, "127.0.0.1:3000")
                .header(header::ORIGIN, "http://evil.example")
                .header(header::COOKIE, &cookie)
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    assert_eq!(app.get("/api/auth/me", Some(&cookie)).await.status, StatusCode::OK, "still signed in");
    let sneaky = app
        .send(
            Request::post("/api/auth/login")
                .header(header::CONTENT_TYPE, "application/json")
                .header("sec-fetch-site", "cross-site")
                .body(Body::from(r#"{"email":"anna@pacer.demo","password":"pacer-demo"}"#))
                .unwrap(),
        )
        .await;
    assert_eq!(sneaky.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn logging_out_through_get_changes_nothing() {
    let app = spawn_app().await;
    let cookie = app.login("anna@pacer.demo").await;
    let res = app.get(Logout::PATH, Some(&cookie)).await;
    assert_ne!(res.status, StatusCode::OK);
    assert_eq!(app.get("/api/auth/me", Some(&cookie)).await.status, StatusCode::OK);
}

#[tokio::test]
async fn pages_carry_a_nonce_csp_and_the_other_security_headers() {
    let app = spawn_app().await;
    let page = app.get("/login", None).await;
    assert_eq!(page.status, StatusCode::OK);
    let csp = page.headers.get(header::CONTENT_SECURITY_POLICY).unwrap().to_str().unwrap();
    assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
    let nonce = csp.split("'nonce-").nth(1).unwrap().split('\'').next().unwrap();
    assert!(page.body.contains(&format!("nonce=\"{nonce}\"")), "inline scripts carry the nonce");
    assert!(!csp.contains("unsafe-inline"));
    assert_eq!(page.headers.get(header::X_CONTENT_TYPE_OPTIONS).unwrap(), "nosniff");
    assert_eq!(page.headers.get(header::REFERRER_POLICY).unwrap(), "same-origin");
    assert!(page.body.contains(r#"<link rel="manifest" href="/manifest.webmanifest">"#));
    // Another request, another nonce.
    let again = app.get("/login", None).await;
    assert_ne!(again.headers.get(header::CONTENT_SECURITY_POLICY).unwrap().to_str().unwrap(), csp);
}

#[tokio::test]
async fn the_page_language_follows_the_browser_then_the_profile() {
    let app = spawn_app().await;
    let req = |cookie: Option<&str>| {
        let mut r = Request::get("/login").header(header::ACCEPT_LANGUAGE, "en-US,en;q=0.9");
        if let Some(c) = cookie {
            r = r.header(header::COOKIE, c);
        }
        r.body(Body::empty()).unwrap()
    };
    let page = app.send(req(None)).await;
    assert!(page.body.contains(r#"<html lang="en""#));
    assert!(page.body.contains("Sign in"));
    // A user who chose Russian gets Russian whatever the browser says.
    let cookie = app.login("anna@pacer.demo").await;
    let set = app.call(app::api::account::SetLocale::PATH, Some(&cookie), &[("locale", "ru")]).await;
    assert_eq!(set.status, StatusCode::OK, "{}", set.body);
    let home = app.send(Request::get("/profile").header(header::ACCEPT_LANGUAGE, "en-US").header(header::COOKIE, &cookie).body(Body::empty()).unwrap()).await;
    assert!(home.body.contains(r#"<html lang="ru""#));
    assert!(home.body.contains("Сменить пароль"));
}

#[tokio::test]
async fn a_signed_out_visitor_is_sent_to_the_login_page() {
    let app = spawn_app().await;
    let res = app.get("/", None).await;
    assert!(res.status.is_redirection(), "{}", res.status);
    assert_eq!(res.headers.get(header::LOCATION).unwrap(), "/login");
}

/// The names of the organisation's departments, in order.
async fn department_names(app: &common::TestApp) -> Vec<String> {
    let org = app.viewer("admin@pacer.demo").await.organisation_id;
    app.store.departments(org).await.unwrap().into_iter().map(|d| d.name).collect()
}

#[tokio::test]
async fn a_server_function_call_over_the_limit_is_refused_with_413_and_changes_nothing() {
    let app = spawn_app().await;
    let admin = app.login("admin@pacer.demo").await;
    let before = department_names(&app).await;
    // Fields a server function does not know are ignored, so only the size tells
    // these two calls apart.
    let over = "x".repeat(server::http::SERVER_FN_BODY);
    let refused = app.call(CreateDepartment::PATH, Some(&admin), &[("name", "Отдел рекордов"), ("padding", &over)]).await;
    assert_eq!(refused.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", refused.body);
    assert_eq!(department_names(&app).await, before);

    let under = "x".repeat(server::http::SERVER_FN_BODY - 1024);
    let taken = app.call(CreateDepartment::PATH, Some(&admin), &[("name", "Отдел рекордов"), ("padding", &under)]).await;
    assert_eq!(taken.status, StatusCode::OK, "{}", taken.body);
    assert_eq!(department_names(&app).await.len(), before.len() + 1);
}

#[tokio::test]
async fn a_push_over_the_limit_is_refused_with_413_and_changes_nothing() {
    let app = spawn_app().await;
    let anna = app.login("anna@pacer.demo").await;
    let push = |padding: usize| {
        let client = uuid::Uuid::now_v7().to_string();
        let mutation = serde_json::json!({ "id": uuid::Uuid::now_v7().to_string(), "kind": "create_client", "client_id": client, "name": format!("ООО Крупное {client}") });
        // Unknown fields are ignored (docs/sync-protocol.md), so only the size differs.
        serde_json::json!({ "schema": 1, "mutations": [mutation], "padding": "x".repeat(padding) }).to_string()
    };
    let (clients, receipts) = (app.db().count("client").await, app.db().count("sync_mutation").await);
    // The push limit is 4 MiB.
    let refused = app.send(common::push_request(Some(&anna), push(4 * 1024 * 1024))).await;
    assert_eq!(refused.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", refused.body);
    assert_eq!((app.db().count("client").await, app.db().count("sync_mutation").await), (clients, receipts));

    let taken = app.send(common::push_request(Some(&anna), push(1024 * 1024))).await;
    assert_eq!(taken.status, StatusCode::OK, "{}", taken.body);
    assert_eq!(app.db().count("client").await, clients + 1);
}

#[tokio::test]
async fn a_sign_in_over_the_limit_is_refused_with_413() {
    let app = spawn_app().await;
    let refused = app.login_json("anna@pacer.demo", &"x".repeat(8 * 1024)).await;
    assert_eq!(refused.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", refused.body);
}

#[tokio::test]
async fn health_check_answers_ok() {
    let app = spawn_app().await;
    let res = app.get("/healthz", None).await;
    assert_eq!(res.status, StatusCode::OK);
}
