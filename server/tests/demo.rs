//! The demo department and the figures the home pages show from it.

use crate::common;

use app::domain::Money;
use app::domain::deal::Outcome;
use app::domain::payment::{Expected, overdue_amount};
use app::domain::period::Month;
use app::model::home::MonthTotal;
use common::db::PaymentRow;
use common::spawn_app;
use leptos::server_fn::ServerFn;
use app::store::prelude::*;

#[tokio::test]
async fn seeding_twice_adds_nothing_the_second_time() {
    let app = spawn_app().await;
    let deals = app.db().count("deal").await;
    assert!(deals >= 40, "a realistic amount of demo deals: {deals}");
    assert!(server::demo::seed(&app.store).await.unwrap().is_none());
    let again = app.db().count("deal").await;
    assert_eq!(again, deals);
}

#[tokio::test]
async fn every_demo_month_has_payments_received() {
    let app = spawn_app().await;
    let dept = app.store.departments(app.store.ensure_organisation("x").await.unwrap()).await.unwrap()[0].id;
    let today = chrono::Utc::now().with_timezone(&chrono_tz::Europe::Moscow).date_naive();
    let months = app.store.received_by_month(dept, None, Month::containing(today), 3).await.unwrap();
    for MonthTotal { month, amount: total } in months {
        assert!(total > Money::ZERO, "{month:?} has no payments");
    }
}

/// Everything the dashboard shows for each manager, recomputed from the raw rows with
/// the domain rules. The store reads rollups kept by triggers for speed; whatever was
/// written before, the two must agree.
async fn assert_figures_follow_the_domain_rules(app: &common::TestApp) -> (bool, bool) {
    use app::domain::forecast::{OpenDeal, forecast, is_stale};
    let db = app.db();
    let dept = app.store.departments(app.store.ensure_organisation("x").await.unwrap()).await.unwrap()[0].id;
    let today = chrono::Utc::now().with_timezone(&chrono_tz::Europe::Moscow).date_naive();
    let month = Month::containing(today);
    let days = app.store.stale_after_days(dept).await.unwrap();
    let figures = app.store.manager_figures(dept, None, month, today).await.unwrap();
    let chart = app.store.received_by_month(dept, None, month, 3).await.unwrap();
    let now = chrono::Utc::now();
    let live = |payments: Vec<PaymentRow>| payments.into_iter().filter(|p| !p.deleted).collect::<Vec<_>>();
    let (mut any_overdue, mut any_stale) = (false, false);
    let mut department_received = Money::ZERO;
    for m in &figures {
        let deals = db.figure_deals_of(&m.user_id.to_string()).await;
        let (mut overdue, mut received, mut stale, mut won, mut pipeline) = (Money::ZERO, Money::ZERO, 0, 0, Money::ZERO);
        let mut open = Vec::new();
        for deal in &deals {
            let expected = live(db.expected_payments(&deal.id).await);
            let paid = live(db.received_payments(&deal.id).await);
            let paid_total = Money::from_kopecks(paid.iter().map(|p| p.amount).sum());
            received += Money::from_kopecks(paid.iter().filter(|p| month.contains(p.on)).map(|p| p.amount).sum());
            if deal.outcome != "lost" {
                let expected: Vec<Expected> =
                    expected.into_iter().map(|p| Expected { amount: Money::from_kopecks(p.amount), due_on: p.on }).collect();
                overdue += overdue_amount(&expected, paid_total, today);
            }
            match deal.outcome.as_str() {
                "open" => {
                    open.push(OpenDeal { amount: Money::from_kopecks(deal.amount), probability: deal.probability as u8, expected_close_on: deal.expected_close_on });
                    pipeline += Money::from_kopecks(deal.amount);
                    stale += i64::from(is_stale(deal.last_activity_at.unwrap_or(deal.created_at), now, days));
                }
                "won" => won += i64::from(deal.closed_on.is_some_and(|d| month.contains(d))),
                _ => {}
            }
        }
        assert_eq!(m.received, received, "received, {}", m.name);
        assert_eq!(m.overdue, overdue, "overdue, {}", m.name);
        assert_eq!(m.forecast, forecast(received, &open, month), "forecast, {}", m.name);
        assert_eq!((m.open_deals, m.pipeline), (open.len() as i64, pipeline), "pipeline, {}", m.name);
        assert_eq!(m.stale_deals, stale, "stale, {}", m.name);
        assert_eq!(m.won_deals, won, "won, {}", m.name);
        assert!(m.forecast >= m.received);
        department_received += received;
        any_overdue |= overdue > Money::ZERO;
        any_stale |= stale > 0;
    }
    // The rollups behind them hold exactly what a recount of the rows gives.
    for name in ["deal_rollup", "received_rollup", "funnel_rollup"] {
        assert_eq!(db.rollup_drift(name).await, 0, "{name} differs from a recount");
    }
    // Every manager is active in these tests, so the chart's month is the table's sum.
    assert_eq!(chart.last().unwrap().amount, department_received, "the chart's last bar");
    (any_overdue, any_stale)
}

#[tokio::test]
async fn the_demo_figures_follow_the_domain_rules_and_have_something_to_show() {
    let app = spawn_app().await;
    let (any_overdue, any_stale) = assert_figures_follow_the_domain_rules(&app).await;
    assert!(any_overdue, "the demo shows the head some overdue payments");
    assert!(any_stale, "the demo has quiet deals for the head to chase");
}

/// Reassignment, payments, stage moves, new and deleted rows all go through the rollups'
/// triggers; the figures stay equal to a recount after each kind of write.
#[tokio::test]
async fn the_figures_stay_true_after_every_kind_of_write() {
    use app::api::deals::ReassignDeal;
    use serde_json::json;
    use app::api::home::ReassignAll;
    let app = spawn_app().await;
    let today = chrono::Utc::now().with_timezone(&chrono_tz::Europe::Moscow).date_naive();
    let olga = app.login("olga@pacer.demo").await;
    let olga_id = app.user_id("olga@pacer.demo").await;
    let deals = app.open_deals_of("olga@pacer.demo").await;
    let stages = app.stages().await;
    let won = stages.iter().find(|s| s.outcome == Outcome::Won).unwrap().id.clone();
    let lost = stages.iter().find(|s| s.outcome == Outcome::Lost).unwrap().id.clone();
    let ok = |a: common::Answer| assert_eq!(a.status, http::StatusCode::OK, "{}", a.body);
    let applied = |a: serde_json::Value| assert_eq!(a["status"], "applied", "{a}");
    applied(app.change(&olga, json!({ "kind": "record_payment", "deal_id": deals[0], "amount": 100_000, "received_on": today.to_string() })).await);
    let overdue_day = (today - chrono::Duration::days(3)).to_string();
    applied(app.change(&olga, json!({ "kind": "expect_payment", "deal_id": deals[1], "amount": 5_000_000, "due_on": overdue_day })).await);
    applied(app.change(&olga, json!({ "kind": "set_deal_stage", "deal_id": deals[2], "stage_id": won, "loss_reason": "" })).await);
    applied(app.change(&olga, json!({ "kind": "set_deal_stage", "deal_id": deals[1], "stage_id": lost, "loss_reason": "Ушли к конкуренту" })).await);
    assert_figures_follow_the_domain_rules(&app).await;
    let head = app.login("head@pacer.demo").await;
    let igor = app.user_id("igor@pacer.demo").await;
    // One paid deal to another manager, then the whole book.
    let anna = app.user_id("anna@pacer.demo").await;
    ok(app.call(ReassignDeal::PATH, Some(&head), &[("deal", &deals[0]), ("owner", &anna)]).await);
    assert_figures_follow_the_domain_rules(&app).await;
    ok(app.call(ReassignAll::PATH, Some(&head), &[("from", &olga_id), ("to", &igor)]).await);
    assert_figures_follow_the_domain_rules(&app).await;
    // Rows removed or edited behind the application (a later sync tombstone, a fix by hand).
    let db = app.db();
    db.delete_every_third_received_payment().await;
    db.double_every_fourth_expected_payment().await;
    // Including the deal paid today: its money leaves the month with it.
    db.delete_every_fifth_deal_and(&deals[0]).await;
    assert_figures_follow_the_domain_rules(&app).await;
}

#[tokio::test]
async fn the_head_looks_back_at_a_closed_month_and_orders_the_managers_by_any_column() {
    use app::api::home::Home;
    let app = spawn_app().await;
    let head = app.login("head@pacer.demo").await;
    let dept = app.store.departments(app.store.ensure_organisation("x").await.unwrap()).await.unwrap()[0].id;
    let today = chrono::Utc::now().with_timezone(&chrono_tz::Europe::Moscow).date_naive();
    let last = Month::containing(today).previous();
    let home = app.call(Home::PATH, Some(&head), &[("month", &last.key()), ("sort", "overdue")]).await.json();
    let managers = home["Head"]["managers"].as_array().unwrap();
    let received: i64 = managers.iter().map(|m| m["received"].as_i64().unwrap()).sum();
    let chart = app.store.received_by_month(dept, None, last, 1).await.unwrap();
    assert_eq!(Money::from_kopecks(received), chart[0].amount, "last month's fact");
    assert!(managers.iter().all(|m| m["forecast"] == m["received"]), "a closed month's forecast is its fact");
    let overdue: Vec<i64> = managers.iter().map(|m| m["overdue"].as_i64().unwrap()).collect();
    assert!(overdue.windows(2).all(|w| w[0] >= w[1]), "by overdue money, biggest first: {overdue:?}");
    let names = app.call(Home::PATH, Some(&head), &[("sort", "name")]).await.json();
    let names: Vec<String> = names["Head"]["managers"].as_array().unwrap().iter().map(|m| m["name"].as_str().unwrap().to_string()).collect();
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names, sorted);
    // The future, or gibberish, shows the current month.
    for month in ["2999-01", "вчера"] {
        let home = app.call(Home::PATH, Some(&head), &[("month", month)]).await.json();
        assert_eq!(home["Head"]["month"], home["Head"]["current"], "{month}");
    }
}
