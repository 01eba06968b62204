//! The demo department and the figures the home pages show from it.

mod common;

use app::domain::Money;
use app::domain::payment::{Expected, overdue_amount};
use app::domain::period::Month;
use chrono::NaiveDate;
use common::spawn_app;

#[tokio::test]
async fn seeding_twice_adds_nothing_the_second_time() {
    let app = spawn_app().await;
    let deals: i64 = sqlx::query_scalar("select count(*) from deal").fetch_one(app.store.pool()).await.unwrap();
    assert!(deals >= 40, "a realistic amount of demo deals: {deals}");
    assert!(server::demo::seed(&app.store).await.unwrap().is_none());
    let again: i64 = sqlx::query_scalar("select count(*) from deal").fetch_one(app.store.pool()).await.unwrap();
    assert_eq!(again, deals);
}

#[tokio::test]
async fn every_demo_month_has_payments_received() {
    let app = spawn_app().await;
    let dept = app.store.departments(app.store.ensure_organisation("x").await.unwrap()).await.unwrap()[0].id;
    let today = chrono::Utc::now().with_timezone(&chrono_tz::Europe::Moscow).date_naive();
    let months = app.store.received_by_month(dept, None, Month::containing(today), 3).await.unwrap();
    for (month, total) in months {
        assert!(total > Money::ZERO, "{month:?} has no payments");
    }
}

/// The store computes overdue money in SQL for speed; it must agree with the domain
/// rule for every manager.
#[tokio::test]
async fn overdue_figures_agree_with_the_domain_rule() {
    let app = spawn_app().await;
    let pool = app.store.pool();
    let dept = app.store.departments(app.store.ensure_organisation("x").await.unwrap()).await.unwrap()[0].id;
    let today = chrono::Utc::now().with_timezone(&chrono_tz::Europe::Moscow).date_naive();
    let figures = app.store.manager_figures(dept, None, Month::containing(today), today).await.unwrap();
    let mut any_overdue = false;
    for m in figures {
        let deals: Vec<String> = sqlx::query_scalar(
            "select d.deal_id from deal d join stage s on s.stage_id = d.stage_id where d.owner_id = ? and s.outcome != 'lost'",
        )
        .bind(m.user_id.to_string())
        .fetch_all(pool)
        .await
        .unwrap();
        let mut expected_total = Money::ZERO;
        for deal in deals {
            let expected: Vec<(i64, NaiveDate)> =
                sqlx::query_as("select amount, due_on from expected_payment where deal_id = ?").bind(&deal).fetch_all(pool).await.unwrap();
            let received: i64 = sqlx::query_scalar("select coalesce(sum(amount), 0) from received_payment where deal_id = ?")
                .bind(&deal)
                .fetch_one(pool)
                .await
                .unwrap();
            let expected: Vec<Expected> =
                expected.into_iter().map(|(a, d)| Expected { amount: Money::from_kopecks(a), due_on: d }).collect();
            expected_total += overdue_amount(&expected, Money::from_kopecks(received), today);
        }
        assert_eq!(m.overdue, expected_total, "{}", m.name);
        any_overdue |= m.overdue > Money::ZERO;
    }
    assert!(any_overdue, "the demo shows the head some overdue payments");
}

/// The forecast and stale counts from SQL must agree with the domain rules.
#[tokio::test]
async fn forecast_and_stale_figures_agree_with_the_domain_rules() {
    use app::domain::forecast::{OpenDeal, forecast, is_stale};
    let app = spawn_app().await;
    let pool = app.store.pool();
    let dept = app.store.departments(app.store.ensure_organisation("x").await.unwrap()).await.unwrap()[0].id;
    let today = chrono::Utc::now().with_timezone(&chrono_tz::Europe::Moscow).date_naive();
    let month = Month::containing(today);
    let days = app.store.stale_after_days(dept).await.unwrap();
    let figures = app.store.manager_figures(dept, None, month, today).await.unwrap();
    let now = chrono::Utc::now();
    let mut any_stale = false;
    for m in figures {
        let open: Vec<(i64, i64, Option<NaiveDate>, chrono::DateTime<chrono::Utc>, Option<chrono::DateTime<chrono::Utc>>)> = sqlx::query_as(
            "select d.amount, s.probability, d.expected_close_on, d.created_at, \
                    (select max(a.occurred_at) from activity a where a.deal_id = d.deal_id) \
             from deal d join stage s on s.stage_id = d.stage_id where d.owner_id = ? and s.outcome = 'open'",
        )
        .bind(m.user_id.to_string())
        .fetch_all(pool)
        .await
        .unwrap();
        let deals: Vec<OpenDeal> = open
            .iter()
            .map(|(a, p, close, ..)| OpenDeal { amount: Money::from_kopecks(*a), probability: *p as u8, expected_close_on: *close })
            .collect();
        assert_eq!(m.forecast, forecast(m.received, &deals, month), "{}", m.name);
        let stale = open.iter().filter(|(.., created, last)| is_stale(last.unwrap_or(*created), now, days)).count() as i64;
        assert_eq!(m.stale_deals, stale, "{}", m.name);
        any_stale |= stale > 0;
        assert!(m.forecast >= m.received);
    }
    assert!(any_stale, "the demo has quiet deals for the head to chase");
}
