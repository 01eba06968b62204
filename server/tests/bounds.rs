//! Bounds on what a person or a device may send, and pages that keep answering
//! whatever the database holds: one typo with a dozen extra zeros must not take the
//! department's pages down.

use app::api::plan::SetPlan;
use http::StatusCode;
use leptos::server_fn::ServerFn;
use serde_json::{Value, json};

use crate::common::{self, TestApp, applied, invalid, spawn_app};
use app::domain::limits::MAX_AMOUNT;
use app::store::prelude::*;

const MAX: i64 = MAX_AMOUNT.kopecks();

fn all_applied(answer: &common::Answer) {
    assert!(answer.json()["results"].as_array().unwrap().iter().all(|r| r["status"] == "applied"), "{}", answer.body);
}

fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}


#[tokio::test]
async fn a_typo_sized_amount_a_date_from_the_year_one_or_megabytes_of_text_are_refused_next_to_their_field()
 {
    let app = spawn_app().await;
    let anna = app.login("anna@pacer.demo").await;
    let deal = app.db().a_deal_of("anna@pacer.demo", "open").await;
    let before = app.db().deal_row(&deal).await;
    let client = app.clients_of("anna@pacer.demo").await[0].id.to_string();

    let too_large = app
        .change(
            &anna,
            json!({ "kind": "set_deal_amount", "deal_id": deal, "amount": i64::MAX }),
        )
        .await;
    assert_eq!(invalid(&too_large), ("amount", "ErrAmountTooLarge"));
    let paid = |amount: i64, on: &str| json!({ "kind": "record_payment", "deal_id": deal, "amount": amount, "received_on": on });
    let today = common::today().to_string();
    assert_eq!(
        invalid(&app.change(&anna, paid(MAX + 1, &today)).await),
        ("amount", "ErrAmountTooLarge")
    );
    assert_eq!(
        invalid(&app.change(&anna, paid(100, "0001-01-01")).await),
        ("received_on", "ErrDateTooEarly")
    );
    let far =
        json!({ "kind": "expect_payment", "deal_id": deal, "amount": 100, "due_on": "2999-01-01" });
    assert_eq!(
        invalid(&app.change(&anna, far).await),
        ("due_on", "ErrDateTooLate")
    );
    let next = json!({ "kind": "set_next_step", "deal_id": deal, "next_step": "Позвонить", "due_on": "0001-01-01" });
    assert_eq!(
        invalid(&app.change(&anna, next).await),
        ("due_on", "ErrDateTooEarly")
    );

    let notes = "заметка ".repeat(250_000);
    let update = json!({ "kind": "update_client", "client_id": client, "name": "ООО Ромашка", "notes": notes });
    assert_eq!(
        invalid(&app.change(&anna, update).await),
        ("notes", "ErrTooLong")
    );
    let contact = json!({
        "kind": "save_contact", "client_id": client, "contact_id": new_id(),
        "name": "Я".repeat(700_000), "position": "Директор",
    });
    assert_eq!(
        invalid(&app.change(&anna, contact).await),
        ("name", "ErrTooLong")
    );
    let title = json!({
        "kind": "create_deal", "deal_id": new_id(), "client_id": client, "title": "Я".repeat(201),
        "amount": 100, "stage_id": app.stage_id("new").await,
    });
    assert_eq!(
        invalid(&app.change(&anna, title).await),
        ("title", "ErrNameTooLong")
    );
    let dmitry = app.login("dmitry@pacer.demo").await;
    let goals = app.store.goals(app.department().await, None, common::today()).await.unwrap();
    let manual = goals.iter().find(|g| g.terms.metric == app::domain::goal::GoalMetric::Manual).expect("Dmitry's manual goal");
    let check_in = json!({ "kind": "check_in_goal", "goal_id": manual.id.to_string(), "value": 1_000_001 });
    assert_eq!(invalid(&app.change(&dmitry, check_in).await), ("value", "ErrCountTooLarge"));
    let report = json!({ "kind": "submit_report", "written_on": "0001-01-01", "done": "Звонки", "plan": "Встречи" });
    assert_eq!(
        invalid(&app.change(&anna, report).await),
        ("written_on", "ErrDateTooEarly")
    );

    assert_eq!(
        app.db().deal_row(&deal).await.amount,
        before.amount,
        "the amount is as it was"
    );
    assert_eq!(
        app.db()
            .received_payments(&deal)
            .await
            .iter()
            .filter(|p| p.on.to_string() == "0001-01-01")
            .count(),
        0
    );
    let detail = app.client(&client).await;
    assert!(
        detail.notes.len() < 10_000,
        "the megabytes of notes were not stored"
    );
    assert!(
        detail
            .contacts
            .iter()
            .all(|c| c.name.chars().count() <= 200)
    );
}

#[tokio::test]
async fn the_payments_on_one_deal_add_up_to_at_most_the_largest_amount() {
    let app = spawn_app().await;
    let anna = app.login("anna@pacer.demo").await;
    let deal = app.db().a_deal_of("anna@pacer.demo", "open").await;
    let already = app.db().received_total(&deal).await;
    let today = common::today().to_string();
    let paid = |amount: i64| json!({ "kind": "record_payment", "deal_id": deal, "amount": amount, "received_on": today });
    applied(&app.change(&anna, paid(MAX - already)).await);
    assert_eq!(
        invalid(&app.change(&anna, paid(1)).await),
        ("amount", "ErrPaymentsTooLarge")
    );
    let total = app.db().received_total(&deal).await;
    assert_eq!(
        total, MAX,
        "exactly the largest amount, and not a kopeck more"
    );
}

/// Sets every open deal of `email` to the largest amount and records and expects the
/// largest payment on it, through the push as a phone would.
async fn fill_to_the_bounds(app: &TestApp, email: &str, extra_deals: usize) {
    let cookie = app.login(email).await;
    let client = app.clients_of(email).await[0].id.to_string();
    let new_stage = app.stage_id("new").await;
    let mut mutations: Vec<Value> = (0..extra_deals)
        .map(|i| {
            json!({
                "id": new_id(), "kind": "create_deal", "deal_id": new_id(), "client_id": client,
                "title": format!("Крупная сделка {i}"), "amount": MAX, "stage_id": new_stage,
            })
        })
        .collect();
    let answer = app
        .push(
            Some(&cookie),
            json!(mutations.drain(..).collect::<Vec<_>>()),
        )
        .await;
    all_applied(&answer);
    let today = common::today().to_string();
    for deal in app.open_deals_of(email).await {
        let received = app.db().received_total(&deal).await;
        let expected = app.db().expected_total(&deal).await;
        mutations.push(
            json!({ "id": new_id(), "kind": "set_deal_amount", "deal_id": deal, "amount": MAX }),
        );
        if received < MAX {
            mutations.push(json!({ "id": new_id(), "kind": "record_payment", "deal_id": deal, "amount": MAX - received, "received_on": today }));
        }
        if expected < MAX {
            mutations.push(json!({ "id": new_id(), "kind": "expect_payment", "deal_id": deal, "amount": MAX - expected, "due_on": today }));
        }
    }
    let answer = app.push(Some(&cookie), json!(mutations)).await;
    all_applied(&answer);
}

#[tokio::test]
async fn the_largest_allowed_values_in_many_rows_keep_every_page_answering() {
    let app = spawn_app().await;
    fill_to_the_bounds(&app, "anna@pacer.demo", 60).await;
    fill_to_the_bounds(&app, "dmitry@pacer.demo", 10).await;
    let head = app.login("head@pacer.demo").await;
    let month = common::today().format("%Y-%m").to_string();
    let plan = app
        .call(
            SetPlan::PATH,
            Some(&head),
            &[
                ("period", &month),
                ("metric", "received"),
                ("target", "1000000000000"),
                ("method", "equal"),
                ("history_months", "3"),
            ],
        )
        .await;
    assert_eq!(plan.status, StatusCode::OK, "{}", plan.body);
    let deal = app.open_deals_of("anna@pacer.demo").await.remove(0);
    app.every_page_answers(&deal).await;
}

#[tokio::test]
async fn values_stored_before_the_bounds_do_not_take_the_pages_down() {
    // What the abuse in the hardening report left behind: amounts of i64::MAX and two
    // payments of that size on one deal. Pages kept answering 500 until the database
    // was edited by hand; now they show huge figures instead.
    let app = spawn_app().await;
    let deals: Vec<String> = app
        .open_deals_of("anna@pacer.demo")
        .await
        .into_iter()
        .take(3)
        .collect();
    let anna_id = app.user_id("anna@pacer.demo").await;
    app.db()
        .store_values_beyond_the_bounds(&deals, &anna_id)
        .await;
    app.every_page_answers(&deals[0]).await;
}
