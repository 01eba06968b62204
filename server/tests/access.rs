//! Who may see and change what: every role against every other role's ids.

use crate::common;

use app::api::admin::{AdminOverview, CreateDepartment, CreateUser, DeactivateUser, ResetPassword};
use app::api::home::{Home, ManagerCard};
use common::{PASSWORD, spawn_app};
use http::StatusCode;
use leptos::server_fn::ServerFn;

#[tokio::test]
async fn nobody_signed_out_reads_anything() {
    let app = spawn_app().await;
    assert_eq!(app.call(Home::PATH, None, &[]).await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(app.call(AdminOverview::PATH, None, &[]).await.status, StatusCode::UNAUTHORIZED);
    let anna = app.user_id("anna@pacer.demo").await;
    assert_eq!(app.call(ManagerCard::PATH, None, &[("user", &anna)]).await.status, StatusCode::UNAUTHORIZED);
    // Nor changes anything: every change goes through the sync push, which wants a session.
    let deal = app.db().deals_of(&anna).await[0].clone();
    let version = || async { app.deal(&deal).await.card.version };
    let before = version().await;
    let id = uuid::Uuid::now_v7().to_string();
    let push = app.push(None, serde_json::json!([{ "id": id, "kind": "set_next_step", "deal_id": deal, "next_step": "Без входа", "due_on": null }])).await;
    assert_eq!(push.status, StatusCode::UNAUTHORIZED, "{}", push.body);
    assert_eq!(push.json()["error"], "Unauthenticated");
    assert_eq!(version().await, before, "nothing changed");
    assert_eq!(app.pull(None, "0").await.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_manager_sees_their_own_card_and_never_another_managers() {
    let app = spawn_app().await;
    let cookie = app.login("anna@pacer.demo").await;
    let anna = app.user_id("anna@pacer.demo").await;
    let dmitry = app.user_id("dmitry@pacer.demo").await;

    let own = app.call(ManagerCard::PATH, Some(&cookie), &[("user", &anna)]).await;
    assert_eq!(own.status, StatusCode::OK, "{}", own.body);
    assert_eq!(own.json()["figures"]["name"], "Анна Смирнова");

    let other = app.call(ManagerCard::PATH, Some(&cookie), &[("user", &dmitry)]).await;
    assert_eq!(other.status, StatusCode::NOT_FOUND);
    assert!(!other.body.contains("Козлов"));

    let home = app.call(Home::PATH, Some(&cookie), &[]).await;
    let home = home.json();
    assert!(home.get("Manager").is_some(), "{home}");
    // The manager's own next steps only.
    let dmitry_deals = app.db().deals_of(&dmitry).await;
    for step in home["Manager"]["next_steps"].as_array().unwrap() {
        assert!(!dmitry_deals.contains(&step["deal_id"].as_str().unwrap().to_string()));
    }
}

#[tokio::test]
async fn a_head_sees_the_department_and_each_of_its_managers() {
    let app = spawn_app().await;
    let cookie = app.login("head@pacer.demo").await;
    let home = app.call(Home::PATH, Some(&cookie), &[]).await.json();
    let managers = home["Head"]["managers"].as_array().unwrap();
    assert_eq!(managers.len(), 5);
    let olga = app.user_id("olga@pacer.demo").await;
    let card = app.call(ManagerCard::PATH, Some(&cookie), &[("user", &olga)]).await;
    assert_eq!(card.status, StatusCode::OK);
    // The head is not a manager: asking for their own "card" finds nothing.
    let head = app.user_id("head@pacer.demo").await;
    assert_eq!(app.call(ManagerCard::PATH, Some(&cookie), &[("user", &head)]).await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_head_of_another_department_cannot_see_this_departments_managers() {
    let app = spawn_app().await;
    app.other_department().await;
    let cookie = app.login("rhead@pacer.demo").await;
    let anna = app.user_id("anna@pacer.demo").await;
    assert_eq!(app.call(ManagerCard::PATH, Some(&cookie), &[("user", &anna)]).await.status, StatusCode::NOT_FOUND);
    let home = app.call(Home::PATH, Some(&cookie), &[]).await.json();
    let managers = home["Head"]["managers"].as_array().unwrap();
    assert_eq!(managers.len(), 1);
    assert_eq!(managers[0]["name"], "Кирилл Жуков");
    // And the demo head cannot see the new department's manager.
    let head = app.login("head@pacer.demo").await;
    let kirill = app.user_id("rman@pacer.demo").await;
    assert_eq!(app.call(ManagerCard::PATH, Some(&head), &[("user", &kirill)]).await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn only_the_admin_manages_departments_and_users() {
    let app = spawn_app().await;
    let anna = app.user_id("anna@pacer.demo").await;
    for email in ["head@pacer.demo", "dmitry@pacer.demo"] {
        let cookie = app.login(email).await;
        assert_eq!(app.call(AdminOverview::PATH, Some(&cookie), &[]).await.status, StatusCode::FORBIDDEN);
        assert_eq!(app.call(CreateDepartment::PATH, Some(&cookie), &[("name", "Захват")]).await.status, StatusCode::FORBIDDEN);
        let create = app
            .call(
                CreateUser::PATH,
                Some(&cookie),
                &[("name", "Кто-то"), ("email", "x@pacer.demo"), ("role", "admin"), ("department", ""), ("password", "long-enough")],
            )
            .await;
        assert_eq!(create.status, StatusCode::FORBIDDEN);
        assert_eq!(app.call(DeactivateUser::PATH, Some(&cookie), &[("user", &anna)]).await.status, StatusCode::FORBIDDEN);
        assert_eq!(
            app.call(ResetPassword::PATH, Some(&cookie), &[("user", &anna), ("password", "taken-over")]).await.status,
            StatusCode::FORBIDDEN
        );
    }
    assert_eq!(app.login_json("anna@pacer.demo", PASSWORD).await.status, StatusCode::OK, "anna untouched");
}

#[tokio::test]
async fn the_admin_creates_users_with_checked_fields() {
    let app = spawn_app().await;
    let cookie = app.login("admin@pacer.demo").await;
    let overview = app.call(AdminOverview::PATH, Some(&cookie), &[]).await.json();
    let dept = overview["departments"][0]["id"].as_str().unwrap().to_string();
    let try_create = |name: &'static str, email: &'static str, role: &'static str, dept: String, password: &'static str| {
        let app = &app;
        let cookie = cookie.clone();
        async move {
            app.call(
                CreateUser::PATH,
                Some(&cookie),
                &[("name", name), ("email", email), ("role", role), ("department", &dept), ("password", password)],
            )
            .await
        }
    };
    let dup = try_create("Анна Вторая", "ANNA@pacer.demo", "manager", dept.clone(), "long-enough").await;
    assert_eq!(dup.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(dup.json()["Invalid"]["field"], "email");
    assert_eq!(dup.json()["Invalid"]["msg"], "ErrEmailTaken");
    let bad = try_create("Пётр", "petr-at-demo", "manager", dept.clone(), "long-enough").await;
    assert_eq!(bad.json()["Invalid"]["msg"], "ErrEmailMalformed");
    let nodept = try_create("Пётр", "petr@pacer.demo", "manager", String::new(), "long-enough").await;
    assert_eq!(nodept.json()["Invalid"]["field"], "department");
    let foreign = try_create("Пётр", "petr@pacer.demo", "manager", app::domain::DepartmentId::new().to_string(), "long-enough").await;
    assert_eq!(foreign.json()["Invalid"]["field"], "department");
    let ok = try_create("Пётр Ильин", "petr@pacer.demo", "manager", dept.clone(), "long-enough").await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.body);
    assert_eq!(app.login_json("petr@pacer.demo", "long-enough").await.status, StatusCode::OK);

    let taken = app.call(CreateDepartment::PATH, Some(&cookie), &[("name", "отдел ПРОДАЖ")]).await;
    assert_eq!(taken.json()["Invalid"]["msg"], "ErrDepartmentTaken");
}

#[tokio::test]
async fn the_admin_resets_a_password_and_the_users_sessions_end() {
    let app = spawn_app().await;
    let admin = app.login("admin@pacer.demo").await;
    let olga_session = app.login("olga@pacer.demo").await;
    let olga = app.user_id("olga@pacer.demo").await;
    let reset = app.call(ResetPassword::PATH, Some(&admin), &[("user", &olga), ("password", "fresh-start-1")]).await;
    assert_eq!(reset.status, StatusCode::OK, "{}", reset.body);
    assert_eq!(app.get("/api/auth/me", Some(&olga_session)).await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(app.login_json("olga@pacer.demo", "fresh-start-1").await.status, StatusCode::OK);
    let unknown = app.call(ResetPassword::PATH, Some(&admin), &[("user", &app::domain::UserId::new().to_string()), ("password", "whatever-1")]).await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    // The admin cannot lock themself out.
    let me = app.user_id("admin@pacer.demo").await;
    let self_off = app.call(DeactivateUser::PATH, Some(&admin), &[("user", &me)]).await;
    assert_eq!(self_off.status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn only_the_head_sets_when_deals_go_stale() {
    use app::api::home::SetStaleDays;
    let app = spawn_app().await;
    let manager = app.login("anna@pacer.demo").await;
    assert_eq!(app.call(SetStaleDays::PATH, Some(&manager), &[("days", "3")]).await.status, StatusCode::FORBIDDEN);
    let head = app.login("head@pacer.demo").await;
    let bad = app.call(SetStaleDays::PATH, Some(&head), &[("days", "0")]).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad.json()["Invalid"]["field"], "days");
    let before: i64 = app.call(Home::PATH, Some(&head), &[]).await.json()["Head"]["managers"]
        .as_array().unwrap().iter().map(|m| m["stale_deals"].as_i64().unwrap()).sum();
    assert_eq!(app.call(SetStaleDays::PATH, Some(&head), &[("days", "1")]).await.status, StatusCode::OK);
    let home = app.call(Home::PATH, Some(&head), &[]).await.json();
    assert_eq!(home["Head"]["stale_after_days"], 1);
    let after: i64 = home["Head"]["managers"].as_array().unwrap().iter().map(|m| m["stale_deals"].as_i64().unwrap()).sum();
    assert!(after > before, "a shorter quiet period finds more stale deals ({before} → {after})");
}

#[tokio::test]
async fn the_head_hands_a_leaving_managers_book_to_a_colleague_in_one_action() {
    use app::api::deals::MyDay;
    use app::api::home::ReassignAll;
    let app = spawn_app().await;
    let igor = app.user_id("igor@pacer.demo").await;
    let olga = app.user_id("olga@pacer.demo").await;
    let igor_deals = app.db().deals_of(&igor).await.len() as i64;
    let olga_deals = app.db().deals_of(&olga).await.len() as i64;
    // A manager cannot do it.
    let anna = app.login("anna@pacer.demo").await;
    assert_eq!(app.call(ReassignAll::PATH, Some(&anna), &[("from", &igor), ("to", &olga)]).await.status, StatusCode::FORBIDDEN);
    let head = app.login("head@pacer.demo").await;
    // Not to someone outside the department's managers, nor to themself.
    let head_id = app.user_id("head@pacer.demo").await;
    assert_eq!(app.call(ReassignAll::PATH, Some(&head), &[("from", &igor), ("to", &head_id)]).await.json()["Invalid"]["field"], "to");
    assert_eq!(app.call(ReassignAll::PATH, Some(&head), &[("from", &igor), ("to", &igor)]).await.json()["Invalid"]["field"], "to");
    let done = app.call(ReassignAll::PATH, Some(&head), &[("from", &igor), ("to", &olga)]).await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    assert_eq!(done.json()["deals"].as_i64().unwrap(), igor_deals);
    let now_olga = app.db().deals_of(&olga).await.len() as i64;
    assert_eq!(now_olga, olga_deals + igor_deals);
    let igor_session = app.login("igor@pacer.demo").await;
    let list = app.call(MyDay::PATH, Some(&igor_session), &[]).await.json();
    assert!(list["deals"].as_array().unwrap().is_empty(), "Igor has nothing left");
}

#[tokio::test]
async fn the_audit_log_is_the_heads_and_holds_only_their_departments_changes() {
    use app::api::audit::AuditLog;
    let app = spawn_app().await;
    let anna = app.login("anna@pacer.demo").await;
    assert_eq!(app.call(AuditLog::PATH, Some(&anna), &[]).await.status, StatusCode::FORBIDDEN);
    assert_eq!(app.call(AuditLog::PATH, None, &[]).await.status, StatusCode::UNAUTHORIZED);
    let deal = app.db().deals_of(&app.user_id("anna@pacer.demo").await).await[0].clone();
    let set = app.change(&anna, serde_json::json!({ "kind": "set_next_step", "deal_id": deal, "next_step": "Отправить КП", "due_on": null })).await;
    assert_eq!(set["status"], "applied", "{set}");
    let head = app.login("head@pacer.demo").await;
    let log = app.call(AuditLog::PATH, Some(&head), &[]).await.json();
    let first = &log["lines"][0];
    assert_eq!(first["action"], "set_next_step");
    assert_eq!(first["user"], "Анна Смирнова");
    assert_eq!(first["detail"]["next_step"], "Отправить КП");
    assert!(first["subject"].as_str().is_some_and(|s| !s.is_empty()), "names the deal");
    // A head of another department sees none of it.
    app.other_department().await;
    let rhead = app.login("rhead@pacer.demo").await;
    assert!(app.call(AuditLog::PATH, Some(&rhead), &[]).await.json()["lines"].as_array().unwrap().is_empty());
}
