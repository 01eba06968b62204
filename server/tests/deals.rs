//! Deals from a manager's phone: who may read and change which deal, and what each change does.

use crate::common;

use app::api::deals::{MyDay, OpenDeal};
use app::api::home::Home;
use common::{TestApp, applied, invalid, rejected, spawn_app};
use http::StatusCode;
use leptos::server_fn::ServerFn;
use serde_json::{Value, json};

/// The user's first open deal, by id.
async fn an_open_deal_of(app: &TestApp, email: &str) -> String {
    app.open_deals_of(email).await[0].clone()
}

async fn version(app: &TestApp, deal: &str) -> i64 {
    app.deal(deal).await.card.version
}

#[tokio::test]
async fn a_manager_can_neither_read_nor_change_another_managers_deal_by_its_id() {
    let app = spawn_app().await;
    let anna = app.login("anna@pacer.demo").await;
    let deal = an_open_deal_of(&app, "dmitry@pacer.demo").await;
    let before = version(&app, &deal).await;
    let won = app.stage_id("won").await;
    let res = app.call(OpenDeal::PATH, Some(&anna), &[("deal", &deal)]).await;
    assert_eq!(res.status, StatusCode::NOT_FOUND, "{}", res.body);
    let attempts = [
        json!({ "kind": "set_deal_stage", "deal_id": deal, "stage_id": won, "loss_reason": "" }),
        json!({ "kind": "record_payment", "deal_id": deal, "amount": 100_000, "received_on": "2026-01-05" }),
        json!({ "kind": "log_activity", "deal_id": deal, "activity": "note", "body": "чужая сделка" }),
        json!({ "kind": "set_next_step", "deal_id": deal, "next_step": "украсть", "due_on": null }),
    ];
    for change in attempts {
        let answer = app.change(&anna, change.clone()).await;
        assert_eq!(rejected(&answer).0, "not_found", "{change}: {answer}");
    }
    assert_eq!(version(&app, &deal).await, before, "nothing changed");
    let payments = app.db().received_payments(&deal).await.iter().filter(|p| p.amount == 100_000).count();
    assert_eq!(payments, 0);
    // An id that does not exist looks exactly the same.
    let missing = app.call(OpenDeal::PATH, Some(&anna), &[("deal", &app::domain::DealId::new().to_string())]).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert_eq!(missing.body, app.call(OpenDeal::PATH, Some(&anna), &[("deal", &deal)]).await.body);
}

#[tokio::test]
async fn my_day_lists_only_the_managers_open_deals_due_steps_first() {
    let app = spawn_app().await;
    let anna = app.login("anna@pacer.demo").await;
    let list = app.call(MyDay::PATH, Some(&anna), &[]).await.json();
    let today = list["today"].as_str().unwrap().to_string();
    let deals = list["deals"].as_array().unwrap();
    assert!(!deals.is_empty());
    let anna_id = app.user_id("anna@pacer.demo").await;
    let mut seen_later = false;
    for d in deals {
        assert_eq!(d["owner_id"], anna_id.as_str());
        assert_eq!(d["stage"]["outcome"], "open");
        let due = d["next_step_due_on"].as_str();
        let due_now = due.is_some_and(|x| x <= today.as_str());
        assert!(!(seen_later && due_now), "a due step came after a later one");
        seen_later |= !due_now;
    }
    // The head gets the whole department's open deals.
    let head = app.login("head@pacer.demo").await;
    let all = app.call(MyDay::PATH, Some(&head), &[]).await;
    assert_eq!(all.status, StatusCode::OK, "{}", all.body);
    let all = all.json();
    assert!(all["deals"].as_array().unwrap().len() > deals.len());
    // The admin has no department deals.
    let admin = app.login("admin@pacer.demo").await;
    assert_eq!(app.call(MyDay::PATH, Some(&admin), &[]).await.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_payment_received_counts_in_the_heads_month_at_once() {
    let app = spawn_app().await;
    let head = app.login("head@pacer.demo").await;
    let received = |home: serde_json::Value| -> i64 {
        home["Head"]["managers"].as_array().unwrap().iter().map(|m| m["received"].as_i64().unwrap()).sum()
    };
    let before = received(app.call(Home::PATH, Some(&head), &[]).await.json());
    let olga = app.login("olga@pacer.demo").await;
    let deal = an_open_deal_of(&app, "olga@pacer.demo").await;
    let list = app.call(MyDay::PATH, Some(&olga), &[]).await.json();
    let today = list["today"].as_str().unwrap().to_string();
    // 12 345,50 ₽ as the device sends it: in kopecks.
    applied(&app.change(&olga, json!({ "kind": "record_payment", "deal_id": deal, "amount": 1_234_550, "received_on": today })).await);
    let after = received(app.call(Home::PATH, Some(&head), &[]).await.json());
    assert_eq!(after - before, 1_234_550);
    // The deal's history and the audit log say who did it.
    let detail = app.call(OpenDeal::PATH, Some(&olga), &[("deal", &deal)]).await.json();
    assert_eq!(detail["activities"][0]["kind"], "payment");
    assert_eq!(detail["activities"][0]["user"], "Ольга Новикова");
    assert_eq!(app.db().audit_count(&deal, "record_payment").await, 1);
}

#[tokio::test]
async fn bad_payments_are_refused_with_a_message_at_their_field() {
    let app = spawn_app().await;
    let olga = app.login("olga@pacer.demo").await;
    let deal = an_open_deal_of(&app, "olga@pacer.demo").await;
    let payments = || async { app.db().received_payments(&deal).await.len() };
    let before = payments().await;
    let pay = |amount: Value, received_on: &str| {
        let (app, olga, deal) = (&app, &olga, &deal);
        let change = json!({ "kind": "record_payment", "deal_id": deal, "amount": amount, "received_on": received_on });
        async move { app.change(olga, change).await }
    };
    // What a person types is read on the device; a value that is not kopecks or not a date never reaches the rules.
    assert_eq!(rejected(&pay(json!("сто"), "2026-01-01").await), ("malformed", "", "ErrSyncMalformed"));
    assert_eq!(rejected(&pay(json!(0), "2026-01-01").await), ("invalid", "amount", "ErrAmountPositive"));
    assert_eq!(rejected(&pay(json!(10_000), "2999-01-01").await), ("invalid", "received_on", "ErrDateInFuture"));
    assert_eq!(rejected(&pay(json!(10_000), "вчера").await), ("malformed", "", "ErrSyncMalformed"));
    assert_eq!(payments().await, before, "nothing refused was stored");
}

#[tokio::test]
async fn a_lost_deal_needs_a_reason_and_a_payment_on_it_needs_confirmation() {
    let app = spawn_app().await;
    let igor = app.login("igor@pacer.demo").await;
    let deal = an_open_deal_of(&app, "igor@pacer.demo").await;
    let lost = app.stage_id("lost").await;
    let no_reason = app.change(&igor, json!({ "kind": "set_deal_stage", "deal_id": deal, "stage_id": lost, "loss_reason": "  " })).await;
    assert_eq!(invalid(&no_reason).0, "loss_reason");
    applied(&app.change(&igor, json!({ "kind": "set_deal_stage", "deal_id": deal, "stage_id": lost, "loss_reason": "Выбрали конкурента" })).await);
    let detail = app.call(OpenDeal::PATH, Some(&igor), &[("deal", &deal)]).await.json();
    assert_eq!(detail["card"]["stage"]["outcome"], "lost");
    assert_eq!(detail["loss_reason"], "Выбрали конкурента");
    let today = detail["today"].as_str().unwrap().to_string();
    let unconfirmed = app.change(&igor, json!({ "kind": "record_payment", "deal_id": deal, "amount": 50_000, "received_on": today })).await;
    assert_eq!(invalid(&unconfirmed).0, "confirm_lost");
    let confirmed = app.change(&igor, json!({ "kind": "record_payment", "deal_id": deal, "amount": 50_000, "received_on": today, "confirm_lost": true })).await;
    applied(&confirmed);
    // A stage of another department is not a choice.
    let foreign = app.change(&igor, json!({ "kind": "set_deal_stage", "deal_id": deal, "stage_id": "not-a-stage", "loss_reason": "" })).await;
    assert_eq!(invalid(&foreign).0, "stage_id");
}

#[tokio::test]
async fn the_head_works_on_any_deal_of_the_department_and_each_change_bumps_its_version() {
    let app = spawn_app().await;
    let head = app.login("head@pacer.demo").await;
    let deal = an_open_deal_of(&app, "ekaterina@pacer.demo").await;
    let v0 = version(&app, &deal).await;
    let res = app.change(&head, json!({ "kind": "set_next_step", "deal_id": deal, "next_step": "Созвониться втроём", "due_on": "2026-12-01" })).await;
    applied(&res);
    assert_eq!(res["version"], v0 + 1);
    let res = app.change(&head, json!({ "kind": "log_activity", "deal_id": deal, "activity": "meeting", "body": "Разобрали сделку с Екатериной" })).await;
    applied(&res);
    assert_eq!(res["version"], v0 + 2);
    assert_eq!(version(&app, &deal).await, v0 + 2);
    let detail = app.call(OpenDeal::PATH, Some(&head), &[("deal", &deal)]).await.json();
    assert_eq!(detail["card"]["next_step"], "Созвониться втроём");
    assert_eq!(detail["activities"][0]["kind"], "meeting");
    let empty = app.change(&head, json!({ "kind": "log_activity", "deal_id": deal, "activity": "call", "body": "" })).await;
    assert_eq!(invalid(&empty).0, "body");
    let odd = app.change(&head, json!({ "kind": "log_activity", "deal_id": deal, "activity": "payment", "body": "x" })).await;
    assert_eq!(invalid(&odd).0, "activity");
}

#[tokio::test]
async fn the_head_filters_deals_by_manager_but_a_manager_cannot_peek_through_the_filter() {
    let app = spawn_app().await;
    let head = app.login("head@pacer.demo").await;
    let olga = app.user_id("olga@pacer.demo").await;
    let list = app.call(MyDay::PATH, Some(&head), &[("filter[manager]", &olga)]).await.json();
    assert_eq!(list["managers"].as_array().unwrap().len(), 5);
    let deals = list["deals"].as_array().unwrap();
    assert!(!deals.is_empty());
    assert!(deals.iter().all(|d| d["owner_id"] == olga.as_str()));
    // A manager asking for someone else's list still gets their own.
    let anna = app.login("anna@pacer.demo").await;
    let anna_id = app.user_id("anna@pacer.demo").await;
    let peek = app.call(MyDay::PATH, Some(&anna), &[("filter[manager]", &olga)]).await.json();
    assert!(peek["managers"].as_array().unwrap().is_empty());
    assert!(peek["deals"].as_array().unwrap().iter().all(|d| d["owner_id"] == anna_id.as_str()));
}

#[tokio::test]
async fn an_expected_payment_past_its_date_shows_as_overdue_until_it_is_paid() {
    let app = spawn_app().await;
    let dmitry = app.login("dmitry@pacer.demo").await;
    let deal = an_open_deal_of(&app, "dmitry@pacer.demo").await;
    let before = app.call(OpenDeal::PATH, Some(&dmitry), &[("deal", &deal)]).await.json();
    let today = chrono::NaiveDate::parse_from_str(before["today"].as_str().unwrap(), "%Y-%m-%d").unwrap();
    let yesterday = (today - chrono::Duration::days(1)).format("%Y-%m-%d").to_string();
    applied(&app.change(&dmitry, json!({ "kind": "expect_payment", "deal_id": deal, "amount": 7_000_000, "due_on": yesterday })).await);
    let after = app.call(OpenDeal::PATH, Some(&dmitry), &[("deal", &deal)]).await.json();
    assert_eq!(after["overdue"].as_i64().unwrap() - before["overdue"].as_i64().unwrap(), 7_000_000);
    // Paying it clears exactly that much.
    applied(&app.change(&dmitry, json!({ "kind": "record_payment", "deal_id": deal, "amount": 7_000_000, "received_on": today.to_string() })).await);
    let settled = app.call(OpenDeal::PATH, Some(&dmitry), &[("deal", &deal)]).await.json();
    assert_eq!(settled["overdue"], before["overdue"]);
    // Not on someone else's deal, not on a lost deal, not zero.
    let anna = app.login("anna@pacer.demo").await;
    let foreign = app.change(&anna, json!({ "kind": "expect_payment", "deal_id": deal, "amount": 100, "due_on": yesterday })).await;
    assert_eq!(rejected(&foreign).0, "not_found");
    let zero = app.change(&dmitry, json!({ "kind": "expect_payment", "deal_id": deal, "amount": 0, "due_on": yesterday })).await;
    assert_eq!(invalid(&zero).0, "amount");
    let lost_deal = app.db().a_deal_of("dmitry@pacer.demo", "lost").await;
    let lost = app.change(&dmitry, json!({ "kind": "expect_payment", "deal_id": lost_deal, "amount": 10_000, "due_on": yesterday })).await;
    assert_eq!(invalid(&lost).1, "ErrExpectedOnLostDeal");
}

#[tokio::test]
async fn only_the_head_hands_one_deal_to_another_manager_of_the_department() {
    use app::api::deals::ReassignDeal;
    let app = spawn_app().await;
    let deal = an_open_deal_of(&app, "anna@pacer.demo").await;
    let anna = app.login("anna@pacer.demo").await;
    let dmitry_id = app.user_id("dmitry@pacer.demo").await;
    assert_eq!(app.call(ReassignDeal::PATH, Some(&anna), &[("deal", &deal), ("owner", &dmitry_id)]).await.status, StatusCode::FORBIDDEN);
    let head = app.login("head@pacer.demo").await;
    let head_id = app.user_id("head@pacer.demo").await;
    let anna_id = app.user_id("anna@pacer.demo").await;
    for bad in [head_id.as_str(), anna_id.as_str(), "not-an-id"] {
        let a = app.call(ReassignDeal::PATH, Some(&head), &[("deal", &deal), ("owner", bad)]).await;
        assert_eq!(a.json()["Invalid"]["field"], "owner", "{bad}");
    }
    let before = version(&app, &deal).await;
    let done = app.call(ReassignDeal::PATH, Some(&head), &[("deal", &deal), ("owner", &dmitry_id)]).await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    assert_eq!(version(&app, &deal).await, before + 1);
    // Anna no longer sees it; Dmitry does, in his day.
    assert_eq!(app.call(OpenDeal::PATH, Some(&anna), &[("deal", &deal)]).await.status, StatusCode::NOT_FOUND);
    let dmitry = app.login("dmitry@pacer.demo").await;
    assert_eq!(app.call(OpenDeal::PATH, Some(&dmitry), &[("deal", &deal)]).await.status, StatusCode::OK);
    let day = app.call(MyDay::PATH, Some(&dmitry), &[]).await.json();
    assert!(day["deals"].as_array().unwrap().iter().any(|d| d["id"] == deal.as_str()));
}

#[tokio::test]
async fn the_list_narrows_to_a_stage_or_to_overdue_money_and_sorts_by_amount() {
    use app::domain::Money;
    use app::domain::payment::{Expected, overdue_amount};
    let app = spawn_app().await;
    let head = app.login("head@pacer.demo").await;
    let all = app.call(MyDay::PATH, Some(&head), &[]).await;
    assert_eq!(all.status, StatusCode::OK, "{}", all.body);
    let all = all.json();
    let stage = all["stages"][1]["id"].as_str().unwrap().to_string();
    let at_stage = app.call(MyDay::PATH, Some(&head), &[("filter[stage]", &stage)]).await.json();
    let deals = at_stage["deals"].as_array().unwrap();
    assert!(!deals.is_empty());
    assert!(deals.iter().all(|d| d["stage"]["id"] == stage.as_str()));

    let by_amount = app.call(MyDay::PATH, Some(&head), &[("filter[sort]", "Amount")]).await.json();
    let amounts: Vec<i64> = by_amount["deals"].as_array().unwrap().iter().map(|d| d["amount"].as_i64().unwrap()).collect();
    assert!(amounts.windows(2).all(|w| w[0] >= w[1]), "biggest first");

    // Exactly the open deals that owe money past its date, by the domain rule.
    let today = chrono::Utc::now().with_timezone(&chrono_tz::Europe::Moscow).date_naive();
    let mut owing = Vec::new();
    for d in all["deals"].as_array().unwrap() {
        let id = d["id"].as_str().unwrap();
        let expected: Vec<Expected> =
            app.db().expected_payments(id).await.iter().map(|p| Expected { amount: Money::from_kopecks(p.amount), due_on: p.on }).collect();
        let received: i64 = app.db().received_payments(id).await.iter().map(|p| p.amount).sum();
        if overdue_amount(&expected, Money::from_kopecks(received), today) > Money::ZERO {
            owing.push(id.to_string());
        }
    }
    let overdue = app.call(MyDay::PATH, Some(&head), &[("filter[overdue]", "true")]).await.json();
    let mut listed: Vec<String> = overdue["deals"].as_array().unwrap().iter().map(|d| d["id"].as_str().unwrap().to_string()).collect();
    listed.sort();
    owing.sort();
    assert!(!owing.is_empty(), "the demo has overdue money");
    assert_eq!(listed, owing);
    // The export of the same filter holds the same deals.
    let csv = app.get(&format!("/api/export/deals.csv?stage={stage}"), Some(&head)).await.body;
    assert_eq!(csv.lines().count() - 1, deals.len());
}

#[tokio::test]
async fn the_list_narrows_to_deals_expected_to_close_in_one_month_for_the_screen_and_the_export() {
    let app = spawn_app().await;
    let head = app.login("head@pacer.demo").await;
    // The busiest month of expected closings among the demo's open deals.
    let (month, count) = app.db().busiest_close_month().await;
    let open = app.db().open_deal_count().await;
    assert!(count > 1 && count < open, "the demo spreads closings over months");
    let list = app.call(MyDay::PATH, Some(&head), &[("filter[close]", &month)]).await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.body);
    let deals = list.json()["deals"].as_array().unwrap().clone();
    assert_eq!(deals.len() as i64, count);
    for d in &deals {
        let close = app.db().deal_row(d["id"].as_str().unwrap()).await.expected_close_on.unwrap().to_string();
        assert!(close.starts_with(&month), "{close} is in {month}");
    }
    // The page's address and the export say the same.
    let csv = app.get(&format!("/api/export/deals.csv?close={month}"), Some(&head)).await.body;
    assert_eq!(csv.lines().count() - 1, deals.len());
    // Nonsense in the address is no filter at all rather than an error.
    let any = app.get("/api/export/deals.csv?close=someday", Some(&head)).await.body;
    assert_eq!(any.lines().count() as i64 - 1, open.min(app::api::deals::LIST_LIMIT));
}
