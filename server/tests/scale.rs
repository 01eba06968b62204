//! The scale data set (`pacer seed-scale`), made small.

use crate::common;

use app::domain::client::search_pattern;
use app::domain::user::Role;
use app::store::prelude::*;
use common::{spawn_app, spawn_empty_app};
use http::StatusCode;
use server::scale::{self, Size};

#[tokio::test]
async fn a_small_scale_department_has_the_rows_asked_for_and_its_head_sees_home() {
    let app = spawn_empty_app().await;
    let logins = scale::seed(&app.store, Size::new(3, 200, 300, 1000).unwrap()).await.unwrap().expect("an empty database is filled");
    let log = std::fs::metadata(app.dir.path().join("pacer.db-wal")).map(|m| m.len()).unwrap_or(0);
    assert_eq!(log, 0, "the load leaves no write-ahead log behind");
    assert_eq!(logins.iter().filter(|(_, role)| *role == Role::Head).count(), 1);
    assert_eq!(logins.iter().filter(|(_, role)| *role == Role::Manager).count(), 3);
    assert_eq!(app.db().count("app_user").await, 4);
    assert_eq!(app.db().count("client").await, 60, "three clients to every ten deals");
    assert_eq!(app.db().count("deal").await, 200);
    assert_eq!(app.db().count("expected_payment").await, 150);
    assert_eq!(app.db().count("received_payment").await, 150);
    assert_eq!(app.db().count("activity").await, 1000);

    // The clients were indexed for search when the load finished.
    let dept = app.viewer(scale::HEAD).await.department_id.unwrap();
    let found = app.store.search_clients(dept, None, search_pattern("клиент").as_deref(), 100).await.unwrap();
    assert_eq!(found.len(), 60);

    let signed_in = app.login_json(scale::HEAD, scale::PASSWORD).await;
    assert_eq!(signed_in.status, StatusCode::OK, "{}", signed_in.body);
    let home = app.get("/", signed_in.session_cookie().as_deref()).await;
    assert_eq!(home.status, StatusCode::OK, "{}", home.body);
    assert!(home.body.contains(&scale::manager_email(2)), "the head's dashboard lists every manager");
}

#[tokio::test]
async fn a_database_with_users_gets_no_scale_data() {
    let app = spawn_app().await;
    let deals = app.db().count("deal").await;
    assert!(scale::seed(&app.store, Size::new(1, 10, 0, 0).unwrap()).await.unwrap().is_none());
    assert_eq!(app.db().count("deal").await, deals);
}

#[test]
fn a_department_needs_a_manager_and_a_deal() {
    assert!(Size::new(0, 10, 0, 0).is_err());
    assert!(Size::new(1, 0, 0, 0).is_err());
}
