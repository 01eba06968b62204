//! Plans: who may see and change them, how they split, and the pace each person sees.

use crate::common;

use app::api::calendar::{CalendarYear, SetCalendarDay};
use app::api::home::Home;
use app::api::plan::{AcceptRebalance, DepartmentPlan, DismissRebalance, EditPlanShare, SetCapacity, SetPlan};
use app::domain::period::Month;
use app::domain::plan::Metric;
use app::store::prelude::*;
use chrono::Datelike;
use common::{TestApp, spawn_app};
use http::StatusCode;
use leptos::server_fn::ServerFn;
use serde_json::Value;

fn shares(month: &Value) -> Vec<(String, i64)> {
    month["shares"].as_array().unwrap().iter().map(|s| (s["user_id"].as_str().unwrap().to_string(), s["target"].as_i64().unwrap())).collect()
}

fn total(month: &Value) -> i64 {
    month["pace"]["plan"].as_i64().unwrap()
}

async fn plan(app: &TestApp, head: &str, period: &str) -> Value {
    let res = app.call(DepartmentPlan::PATH, Some(head), &[("period", period)]).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    res.json()
}

#[tokio::test]
async fn the_demo_month_has_a_plan_and_each_manager_sees_only_their_own_share() {
    let app = spawn_app().await;
    let head = app.login("head@pacer.demo").await;
    let view = app.call(DepartmentPlan::PATH, Some(&head), &[]).await.json();
    let month = &view["months"][0];
    let shares = shares(month);
    assert_eq!(shares.len(), 5);
    assert_eq!(shares.iter().map(|s| s.1).sum::<i64>(), total(month), "the shares add up to the department plan");
    for email in ["anna@pacer.demo", "olga@pacer.demo"] {
        let cookie = app.login(email).await;
        let me = app.user_id(email).await;
        let home = app.call(Home::PATH, Some(&cookie), &[]).await.json();
        let mine = &home["Manager"]["plan"]["pace"];
        let share = shares.iter().find(|s| s.0 == me).unwrap().1;
        assert_eq!(mine["plan"].as_i64(), Some(share), "{email} sees their share, not the department's");
        // The head's figures for them match what they see.
        let line = month["shares"].as_array().unwrap().iter().find(|s| s["user_id"] == me.as_str()).unwrap();
        assert_eq!(&line["pace"], mine);
        // A manager reads no plan but their own and changes none.
        assert_eq!(app.call(DepartmentPlan::PATH, Some(&cookie), &[]).await.status, StatusCode::FORBIDDEN);
        let grab = app.call(EditPlanShare::PATH, Some(&cookie), &[("month", month["month"].as_str().unwrap()), ("user", &me), ("target", "1")]).await;
        assert_eq!(grab.status, StatusCode::FORBIDDEN);
        let set = [("period", "2027-01"), ("metric", "received"), ("target", "1"), ("method", "equal"), ("history_months", "3")];
        assert_eq!(app.call(SetPlan::PATH, Some(&cookie), &set).await.status, StatusCode::FORBIDDEN);
        assert_eq!(app.call(SetCapacity::PATH, Some(&cookie), &[("user", &me), ("load", "10")]).await.status, StatusCode::FORBIDDEN);
    }
}

#[tokio::test]
async fn a_quarter_plan_splits_into_months_by_working_days_and_onto_managers_by_history() {
    let app = spawn_app().await;
    let head = app.login("head@pacer.demo").await;
    // Next year's first quarter, whatever today is: January's holidays are known.
    let quarter = format!("{}-Q1", common::today().year() + 1);
    let set = [("period", quarter.as_str()), ("metric", "received"), ("target", "3 000 000"), ("method", "history"), ("history_months", "3")];
    let res = app.call(SetPlan::PATH, Some(&head), &set).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let view = plan(&app, &head, &quarter).await;
    let months = view["months"].as_array().unwrap();
    assert_eq!(months.len(), 3);
    let targets: Vec<i64> = months.iter().map(total).collect();
    assert_eq!(targets.iter().sum::<i64>(), 300_000_000, "exactly the quarter, in kopecks");
    let days: Vec<i64> = months.iter().map(|m| m["pace"]["days_total"].as_i64().unwrap()).collect();
    assert!(days[0] < days[2], "January's holidays leave it fewer working days than March: {days:?}");
    assert!(targets[0] < targets[2], "and so a smaller part of the quarter: {targets:?}");
    for m in months {
        assert_eq!(shares(m).iter().map(|s| s.1).sum::<i64>(), total(m));
    }

    // By history: whoever brought more in the last three months carries more of this
    // month's plan. The demo department's history moves with today, so this does too.
    let this_month = Month::containing(common::today());
    let set = [
        ("period", this_month.key()),
        ("metric", "received".into()),
        ("target", "3 000 000".into()),
        ("method", "history".into()),
        ("history_months", "3".into()),
    ];
    let set: Vec<(&str, &str)> = set.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let res = app.call(SetPlan::PATH, Some(&head), &set).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let (from, to) = app::domain::plan::history_window(this_month, 3);
    let mut by_manager = std::collections::BTreeMap::new();
    for fact in app.store.facts(app.department().await, Metric::Received, from, to).await.unwrap() {
        *by_manager.entry(fact.user.to_string()).or_insert(0) += fact.value;
    }
    let history: Vec<(String, i64)> = by_manager.into_iter().collect();
    let view = plan(&app, &head, &this_month.key()).await;
    let month = shares(&view["months"][0]);
    let best = history.iter().max_by_key(|h| h.1).expect("the demo department has received money in the last three months");
    let worst = history.iter().min_by_key(|h| h.1).unwrap();
    let share_of = |u: &str| month.iter().find(|s| s.0 == u).unwrap().1;
    assert!(
        best.1 > worst.1,
        "the demo managers' histories differ: {history:?}"
    );
    assert!(share_of(&best.0) > share_of(&worst.0),
        "{history:?} → {month:?}"
    );
}

#[tokio::test]
async fn editing_a_share_spreads_the_difference_or_moves_the_department_plan() {
    let app = spawn_app().await;
    let head = app.login("head@pacer.demo").await;
    let set = [("period", "2027-02"), ("metric", "won_count"), ("target", "20"), ("method", "equal"), ("history_months", "3")];
    assert_eq!(app.call(SetPlan::PATH, Some(&head), &set).await.status, StatusCode::OK);
    let before = plan(&app, &head, "2027-02").await;
    let month = &before["months"][0];
    assert_eq!(shares(month).iter().map(|s| s.1).collect::<Vec<_>>(), vec![4; 5]);
    let anna = app.user_id("anna@pacer.demo").await;
    let edit = |target: &'static str, spread: bool| {
        let (app, head, anna) = (&app, head.clone(), anna.clone());
        async move {
            let mut form = vec![("month", "2027-02"), ("user", anna.as_str()), ("target", target)];
            if spread {
                form.push(("spread", "true"));
            }
            app.call(EditPlanShare::PATH, Some(&head), &form).await
        }
    };
    assert_eq!(edit("8", true).await.status, StatusCode::OK);
    let spread = plan(&app, &head, "2027-02").await;
    let after = shares(&spread["months"][0]);
    assert_eq!(total(&spread["months"][0]), 20, "the department plan stays");
    assert_eq!(after.iter().find(|s| s.0 == anna).unwrap().1, 8);
    assert_eq!(after.iter().map(|s| s.1).collect::<Vec<_>>().iter().filter(|v| **v == 3).count(), 4);
    assert_eq!(edit("10", false).await.status, StatusCode::OK);
    assert_eq!(total(&plan(&app, &head, "2027-02").await["months"][0]), 22, "the department plan grows by the difference");
    // More than the whole plan cannot be spread; a fraction of a deal is not a count.
    let above = edit("23", true).await;
    assert_eq!(above.json()["Invalid"], serde_json::json!({ "field": "target", "msg": "ErrShareAbovePlan" }));
    assert_eq!(edit("2.5", false).await.json()["Invalid"]["msg"], "ErrCount");
    // Someone outside the plan is not found.
    let head_id = app.user_id("head@pacer.demo").await;
    let outsider = app.call(EditPlanShare::PATH, Some(&head), &[("month", "2027-02"), ("user", &head_id), ("target", "1")]).await;
    assert_eq!(outsider.status, StatusCode::NOT_FOUND);
    // Each change is in the plan's history, newest first.
    let history = plan(&app, &head, "2027-02").await["history"].as_array().unwrap().iter().map(|h| h["action"].as_str().unwrap().to_string()).collect::<Vec<_>>();
    assert_eq!(history, ["edit_share", "edit_share", "set_plan"]);
}

#[tokio::test]
async fn a_part_timer_and_a_late_starter_get_smaller_shares_and_bad_input_is_refused() {
    let app = spawn_app().await;
    let head = app.login("head@pacer.demo").await;
    let (anna, olga) = (app.user_id("anna@pacer.demo").await, app.user_id("olga@pacer.demo").await);
    assert_eq!(app.call(SetCapacity::PATH, Some(&head), &[("user", &anna), ("load", "50 %")]).await.status, StatusCode::OK);
    // March 2027: Olga starts on the 16th, halfway through its 22 working days.
    assert_eq!(app.call(SetCapacity::PATH, Some(&head), &[("user", &olga), ("load", "100"), ("works_from", "2027-03-16")]).await.status, StatusCode::OK);
    let set = [("period", "2027-03"), ("metric", "received"), ("target", "800 000"), ("method", "equal"), ("history_months", "3")];
    assert_eq!(app.call(SetPlan::PATH, Some(&head), &set).await.status, StatusCode::OK);
    let view = plan(&app, &head, "2027-03").await;
    let s = shares(&view["months"][0]);
    let share_of = |u: &str| s.iter().find(|x| x.0 == u).unwrap().1;
    let full = s.iter().map(|x| x.1).max().unwrap();
    assert!((share_of(&anna) - full / 2).abs() <= 100, "half time, half the share (to the ruble): {} of {full}", share_of(&anna));
    assert!(s.iter().all(|x| x.1 % 100 == 0), "shares are whole rubles: {s:?}");
    assert!(share_of(&olga) < full && share_of(&olga) > full / 3, "about half the month: {} of {full}", share_of(&olga));
    assert_eq!(s.iter().map(|x| x.1).sum::<i64>(), 80_000_000);
    let members = view["members"].as_array().unwrap();
    assert!(members.iter().any(|m| m["user_id"] == anna.as_str() && m["load_percent"] == 50));

    for (form, field, msg) in [
        (vec![("user", anna.as_str()), ("load", "0")], "load", "ErrLoad"),
        (vec![("user", anna.as_str()), ("load", "100"), ("works_from", "16.03")], "works_from", "ErrDate",
        ),
        (
            vec![
                ("user", anna.as_str()),
                ("load", "100"),
                ("works_from", "1999-03-16"),
            ],
            "works_from",
            "ErrDateOutOfRange",
        ),
    ] {
        assert_eq!(app.call(SetCapacity::PATH, Some(&head), &form).await.json()["Invalid"], serde_json::json!({ "field": field, "msg": msg }));
    }
    for (target, history, field, msg) in
        [("много", "3", "target", "ErrAmount"), ("-5", "3", "target", "ErrAmount"), ("100", "0", "history_months", "ErrHistoryMonths")]
    {
        let form = [("period", "2027-04"), ("metric", "received"), ("target", target), ("method", "equal"), ("history_months", history)];
        assert_eq!(app.call(SetPlan::PATH, Some(&head), &form).await.json()["Invalid"], serde_json::json!({ "field": field, "msg": msg }));
    }
    assert!(plan(&app, &head, "2027-04").await["months"].as_array().unwrap().is_empty(), "nothing half-saved");
}

#[tokio::test]
async fn a_manager_who_starts_after_a_planned_month_leaves_its_plan_readable() {
    let app = spawn_app().await;
    let head = app.login("head@pacer.demo").await;
    let olga = app.user_id("olga@pacer.demo").await;
    let set = [("period", "2027-03"), ("metric", "received"), ("target", "800 000"), ("method", "equal"), ("history_months", "3")];
    assert_eq!(app.call(SetPlan::PATH, Some(&head), &set).await.status, StatusCode::OK);
    // After the split, Olga's first day moves past the month: her share stays, her days go.
    let later = [("user", olga.as_str()), ("load", "100"), ("works_from", "2027-05-03")];
    assert_eq!(app.call(SetCapacity::PATH, Some(&head), &later).await.status, StatusCode::OK);
    let view = plan(&app, &head, "2027-03").await;
    let line = view["months"][0]["shares"].as_array().unwrap().iter().find(|s| s["user_id"] == olga.as_str()).unwrap().clone();
    assert_eq!((line["pace"]["days_total"].as_i64(), line["pace"]["days_left"].as_i64()), (Some(0), Some(0)));
}

#[tokio::test]
async fn behind_plan_the_head_gets_a_rebalancing_that_keeps_the_department_total() {
    let app = spawn_app().await;
    let head = app.login("head@pacer.demo").await;
    let view = plan(&app, &head, "").await;
    let month = view["months"][0]["month"].as_str().unwrap().to_string();
    // A plan far above what anyone could bring puts the department behind.
    let set = [("period", month.as_str()), ("metric", "received"), ("target", "900 000 000"), ("method", "equal"), ("history_months", "3")];
    assert_eq!(app.call(SetPlan::PATH, Some(&head), &set).await.status, StatusCode::OK);
    let view = plan(&app, &head, &month).await;
    let pace = &view["months"][0]["pace"];
    if pace["days_done"].as_i64() == Some(0) || pace["days_left"].as_i64() == Some(0) {
        // First working day of the month (nothing expected yet) or none left: no proposal.
        assert!(view["proposal"].is_null());
        return;
    }
    let proposal = view["proposal"]["lines"].as_array().expect("the department is behind, so a proposal is shown").clone();
    let proposed: Vec<i64> = proposal.iter().map(|l| l[4].as_i64().unwrap()).collect();
    assert_eq!(proposed.iter().sum::<i64>(), 90_000_000_000);
    for l in &proposal {
        assert!(l[4].as_i64() >= l[3].as_i64(), "nobody is asked for less than they brought");
    }
    assert_eq!(app.call(AcceptRebalance::PATH, Some(&head), &[("month", &month)]).await.status, StatusCode::OK);
    let after = plan(&app, &head, &month).await;
    assert_eq!(total(&after["months"][0]), 90_000_000_000, "the department plan did not move");
    let now: Vec<i64> = shares(&after["months"][0]).iter().map(|s| s.1).collect();
    assert_eq!(now, proposed);
    // Dismissed, it stays away for the day.
    assert_eq!(app.call(DismissRebalance::PATH, Some(&head), &[("month", &month)]).await.status, StatusCode::OK);
    assert!(plan(&app, &head, &month).await["proposal"].is_null());
    let anna = app.login("anna@pacer.demo").await;
    assert_eq!(app.call(AcceptRebalance::PATH, Some(&anna), &[("month", &month)]).await.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_admin_keeps_the_working_calendar_and_plans_count_by_it() {
    let app = spawn_app().await;
    let admin = app.login("admin@pacer.demo").await;
    let year = app.call(CalendarYear::PATH, Some(&admin), &[("year", "2026")]).await.json();
    assert_eq!(year["working_days"], 247, "Russia's 2026 production calendar");
    // A working Saturday in 2027 adds a day to March's plan.
    let head = app.login("head@pacer.demo").await;
    let set = [("period", "2027-03"), ("metric", "received"), ("target", "100 000"), ("method", "equal"), ("history_months", "3")];
    assert_eq!(app.call(SetPlan::PATH, Some(&head), &set).await.status, StatusCode::OK);
    let days = |v: Value| v["months"][0]["pace"]["days_total"].as_i64().unwrap();
    let before = days(plan(&app, &head, "2027-03").await);
    let res = app.call(SetCalendarDay::PATH, Some(&admin), &[("day", "2027-03-13"), ("kind", "workday"), ("name", "Перенос")]).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    assert_eq!(days(plan(&app, &head, "2027-03").await), before + 1);
    // Cleared again, it is an ordinary Saturday.
    assert_eq!(app.call(SetCalendarDay::PATH, Some(&admin), &[("day", "2027-03-13")]).await.status, StatusCode::OK);
    assert_eq!(days(plan(&app, &head, "2027-03").await), before);
    // Only the admin edits it; a bad date is refused next to the field.
    assert_eq!(app.call(SetCalendarDay::PATH, Some(&head), &[("day", "2027-03-13"), ("kind", "holiday")]).await.status, StatusCode::FORBIDDEN);
    let bad = app.call(SetCalendarDay::PATH, Some(&admin), &[("day", "13.03.2027"), ("kind", "holiday")]).await;
    assert_eq!(bad.json()["Invalid"], serde_json::json!({ "field": "day", "msg": "ErrDate" }));
}
