//! The organisation's clock: its days, weeks, months and quarters turn at midnight in
//! Moscow (UTC+3), not at the server's midnight (UTC) nor the phone's. Each test stands
//! the store's clock a minute before such a midnight, acts, then moves it across.

use crate::common;

use app::api::deals::{MyDay, OpenDeal};
use app::api::home::Home;
use app::api::plan::{DepartmentPlan, SetPlan};
use app::api::report::{MyReporting, SetCadence};
use chrono::{DateTime, TimeZone, Utc};
use common::{TestApp, applied, invalid, spawn_app_at};
use http::StatusCode;
use leptos::server_fn::ServerFn;
use serde_json::{Value, json};

/// An instant given as UTC wall-clock time.
fn utc(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, h, min, 0).unwrap()
}

async fn call(app: &TestApp, path: &str, cookie: &str, form: &[(&str, &str)]) -> Value {
    let res = app.call(path, Some(cookie), form).await;
    assert_eq!(res.status, StatusCode::OK, "{path}: {}", res.body);
    res.json()
}

/// The manager's home: (the month it shows, deals won in it, money received in it).
async fn month_figures(app: &TestApp, cookie: &str) -> (String, i64, i64) {
    let home = call(app, Home::PATH, cookie, &[]).await;
    let mine = &home["Manager"];
    let figures = &mine["figures"];
    (mine["month"].as_str().unwrap().to_string(), figures["won_deals"].as_i64().unwrap(), figures["received"].as_i64().unwrap())
}

#[tokio::test]
async fn a_day_ends_at_midnight_in_moscow_when_it_is_still_nine_in_the_evening_in_utc() {
    // 23:59 on Tuesday 31 March 2026 in Moscow.
    let app = spawn_app_at(utc(2026, 3, 31, 20, 59)).await;
    let anna = app.login("anna@pacer.demo").await;
    let deal = app.db().a_deal_of("anna@pacer.demo", "open").await;
    assert_eq!(call(&app, MyDay::PATH, &anna, &[]).await["today"], "2026-03-31");

    // A payment expected today is not late yet; one dated tomorrow has not happened yet.
    applied(&app.change(&anna, json!({ "kind": "expect_payment", "deal_id": deal, "amount": 70_000, "due_on": "2026-03-31" })).await);
    let overdue = |detail: Value| detail["overdue"].as_i64().unwrap();
    assert_eq!(overdue(call(&app, OpenDeal::PATH, &anna, &[("deal", &deal)]).await), 0);
    let paid_tomorrow = json!({ "kind": "record_payment", "deal_id": deal, "amount": 30_000, "received_on": "2026-04-01" });
    assert_eq!(invalid(&app.change(&anna, paid_tomorrow.clone()).await), ("received_on", "ErrDateInFuture"));

    // A minute later it is 1 April in Moscow, though still 31 March in UTC.
    app.clock.set(utc(2026, 3, 31, 21, 0));
    assert_eq!(call(&app, MyDay::PATH, &anna, &[]).await["today"], "2026-04-01");
    assert_eq!(overdue(call(&app, OpenDeal::PATH, &anna, &[("deal", &deal)]).await), 70_000, "yesterday's expected payment is late");
    applied(&app.change(&anna, paid_tomorrow).await);
    assert_eq!(overdue(call(&app, OpenDeal::PATH, &anna, &[("deal", &deal)]).await), 40_000);
}

#[tokio::test]
async fn a_deal_won_a_minute_before_midnight_counts_in_the_month_it_was_won_in_moscow() {
    let app = spawn_app_at(utc(2026, 3, 31, 20, 59)).await;
    let anna = app.login("anna@pacer.demo").await;
    let won = app.stage_id("won").await;
    let open = app.open_deals_of("anna@pacer.demo").await;
    let win = |deal: &str, seen: &str| json!({ "kind": "set_deal_stage", "deal_id": deal, "stage_id": won, "seen_stage_id": seen });

    let (month, won_in_march, received_in_march) = month_figures(&app, &anna).await;
    assert_eq!(month, "2026-03");
    let first = app.deal(&open[0]).await.card.stage.id;
    applied(&app.change(&anna, win(&open[0], &first)).await);
    applied(&app.change(&anna, json!({ "kind": "record_payment", "deal_id": open[0], "amount": 25_000, "received_on": "2026-03-31" })).await);
    assert_eq!(month_figures(&app, &anna).await, ("2026-03".into(), won_in_march + 1, received_in_march + 25_000));

    // Past midnight in Moscow the home shows April, which has nothing won yet; the next
    // win is April's, and March keeps its own.
    app.clock.set(utc(2026, 3, 31, 21, 1));
    assert_eq!(month_figures(&app, &anna).await, ("2026-04".into(), 0, 0));
    let second = app.deal(&open[1]).await.card.stage.id;
    applied(&app.change(&anna, win(&open[1], &second)).await);
    assert_eq!(month_figures(&app, &anna).await, ("2026-04".into(), 1, 0));
    let head = app.login("head@pacer.demo").await;
    let march = call(&app, Home::PATH, &head, &[("month", "2026-03")]).await;
    let annas = |home: &Value| home["Head"]["managers"].as_array().unwrap().iter().find(|m| m["name"] == "Анна Смирнова").cloned().unwrap();
    assert_eq!(annas(&march)["won_deals"].as_i64(), Some(won_in_march + 1), "the deal won at 23:59 stays March's");
}

#[tokio::test]
async fn a_quarter_closes_at_midnight_in_moscow_on_its_last_day() {
    let app = spawn_app_at(utc(2026, 3, 31, 20, 59)).await;
    let head = app.login("head@pacer.demo").await;
    let set = [("period", "2026-Q1"), ("metric", "received"), ("target", "3 000 000"), ("method", "equal"), ("history_months", "3")];
    call(&app, SetPlan::PATH, &head, &set).await;
    let days_left = |view: &Value| view["months"].as_array().unwrap().iter().map(|m| m["pace"]["days_left"].as_i64().unwrap()).collect::<Vec<_>>();

    let view = call(&app, DepartmentPlan::PATH, &head, &[("period", "2026-Q1")]).await;
    assert_eq!(days_left(&view), [0, 0, 1], "31 March is the quarter's last working day, and it is still today");
    assert_eq!(call(&app, DepartmentPlan::PATH, &head, &[]).await["period"], json!({ "Month": "2026-03" }));

    app.clock.set(utc(2026, 3, 31, 21, 0));
    let view = call(&app, DepartmentPlan::PATH, &head, &[("period", "2026-Q1")]).await;
    assert_eq!(days_left(&view), [0, 0, 0], "the quarter is over");
    assert_eq!(call(&app, DepartmentPlan::PATH, &head, &[]).await["period"], json!({ "Month": "2026-04" }), "the plan page opens on the new quarter's first month");
}

#[tokio::test]
async fn a_weekly_report_written_late_on_sunday_in_moscow_is_last_weeks() {
    // 23:59 on Sunday 29 March 2026 in Moscow; the week's report was due on Friday the 27th.
    let app = spawn_app_at(utc(2026, 3, 29, 20, 59)).await;
    let head = app.login("head@pacer.demo").await;
    let igor_id = app.user_id("igor@pacer.demo").await;
    call(&app, SetCadence::PATH, &head, &[("user", &igor_id), ("cadence", "weekly")]).await;
    let igor = app.login("igor@pacer.demo").await;

    let mine = call(&app, MyReporting::PATH, &igor, &[]).await;
    assert_eq!((&mine["today"], &mine["period_day"]), (&json!("2026-03-29"), &json!("2026-03-27")));
    let report = json!({ "kind": "submit_report", "written_on": "2026-03-29", "done": "Пять встреч", "plan": "Два договора", "blockers": "" });
    applied(&app.change(&igor, report).await);
    assert_eq!(call(&app, MyReporting::PATH, &igor, &[]).await["current"]["period_day"], "2026-03-27");

    // Monday 00:00 in Moscow: a new week, whose report is due on Friday 3 April and not written yet.
    app.clock.set(utc(2026, 3, 29, 21, 0));
    let mine = call(&app, MyReporting::PATH, &igor, &[]).await;
    assert_eq!((&mine["today"], &mine["period_day"], &mine["current"]), (&json!("2026-03-30"), &json!("2026-04-03"), &Value::Null));
}
