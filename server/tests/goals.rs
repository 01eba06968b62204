//! SMART goals and reports: the rules, who may set, approve and see them, and progress.

use crate::common;

use app::api::goal::{GoalList, SaveGoal, SetGoalStatus};
use app::api::home::Home;
use app::api::report::{MyReporting, SetCadence, TeamReporting};
use common::{TestApp, spawn_app};
use http::StatusCode;
use leptos::server_fn::ServerFn;
use serde_json::{Value, json};
use app::store::prelude::*;

fn in_days(days: i64) -> String {
    (chrono::Utc::now().with_timezone(&chrono_tz::Europe::Moscow).date_naive() + chrono::Duration::days(days)).to_string()
}

async fn goals(app: &TestApp, cookie: &str) -> Vec<Value> {
    let res = app.call(GoalList::PATH, Some(cookie), &[]).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    res.json()["goals"].as_array().unwrap().clone()
}

#[tokio::test]
async fn a_vague_goal_is_refused_and_a_smart_one_counts_its_own_progress() {
    let app = spawn_app().await;
    let head = app.login("head@pacer.demo").await;
    let anna = app.user_id("anna@pacer.demo").await;
    let due = in_days(20);
    // Vague: two words, no metric, no deadline. The first problem is named with its field.
    let vague = app.call(SaveGoal::PATH, Some(&head), &[("user", &anna), ("title", "Больше продавать")]).await;
    assert_eq!(vague.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(vague.json()["Invalid"], serde_json::json!({ "field": "title", "msg": "ErrGoalVague" }));
    let no_metric = [("user", anna.as_str()), ("title", "Провести 30 звонков новым клиентам"), ("target", "30"), ("due_on", due.as_str()), ("relevance", "skill")];
    assert_eq!(app.call(SaveGoal::PATH, Some(&head), &no_metric).await.json()["Invalid"]["msg"], "ErrGoalMetric");
    let no_deadline = [("user", anna.as_str()), ("title", "Провести 30 звонков новым клиентам"), ("metric", "calls"), ("target", "30"), ("relevance", "skill")];
    assert_eq!(app.call(SaveGoal::PATH, Some(&head), &no_deadline).await.json()["Invalid"], serde_json::json!({ "field": "due_on", "msg": "ErrGoalDeadline" }));
    let already = goals(&app, &head).await.len();
    assert!(!goals(&app, &head).await.iter().any(|g| g["title"] == "Больше продавать"));

    let smart = [
        ("user", anna.as_str()),
        ("title", "Провести 30 звонков новым клиентам"),
        ("metric", "calls"),
        ("target", "30"),
        ("due_on", due.as_str()),
        ("relevance", "skill"),
        ("relevance_note", "холодные звонки"),
    ];
    let saved = app.call(SaveGoal::PATH, Some(&head), &smart).await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    let all = goals(&app, &head).await;
    assert_eq!(all.len(), already + 1, "nothing refused was saved, the SMART one was");
    let title = "Провести 30 звонков новым клиентам";
    let before = all.iter().find(|g| g["title"] == title).unwrap()["progress"].as_i64().unwrap();
    // Anna logs a call on one of her deals: the goal counts it by itself.
    let anna_cookie = app.login("anna@pacer.demo").await;
    let deal = app.open_deals_of("anna@pacer.demo").await[0].clone();
    let call = app.change(&anna_cookie, json!({ "kind": "log_activity", "deal_id": deal, "activity": "call", "body": "Обсудили поставку" })).await;
    assert_eq!(call["status"], "applied", "{call}");
    let mine = goals(&app, &anna_cookie).await;
    assert!(mine.iter().all(|g| g["user_id"] == anna.as_str()), "a manager lists only their own goals");
    let goal = mine.iter().find(|g| g["title"] == title).unwrap();
    assert_eq!(goal["progress"].as_i64().unwrap(), before + 1);
    assert_eq!(goal["status"], "active", "set by the head, active at once");
}

#[tokio::test]
async fn a_manager_proposes_the_head_approves_and_nobody_else_sees_it() {
    let app = spawn_app().await;
    let olga = app.login("olga@pacer.demo").await;
    let due = in_days(10);
    let propose = [
        ("title", "Довести три сделки до счёта"),
        ("metric", "manual"),
        ("target", "3"),
        ("due_on", due.as_str()),
        ("relevance", "plan"),
    ];
    assert_eq!(app.call(SaveGoal::PATH, Some(&olga), &propose).await.status, StatusCode::OK);
    let mine = goals(&app, &olga).await;
    assert_eq!(mine[0]["status"], "proposed");
    let goal = mine[0]["id"].as_str().unwrap().to_string();
    // A manager cannot approve their own goal, nor see or touch another's.
    assert_eq!(app.call(SetGoalStatus::PATH, Some(&olga), &[("goal", &goal), ("status", "active")]).await.status, StatusCode::FORBIDDEN);
    let anna = app.login("anna@pacer.demo").await;
    assert!(!goals(&app, &anna).await.iter().any(|g| g["id"] == goal.as_str()));
    assert_eq!(app.call(SetGoalStatus::PATH, Some(&anna), &[("goal", &goal), ("status", "cancelled")]).await.status, StatusCode::NOT_FOUND);
    let peek = app.change(&anna, json!({ "kind": "check_in_goal", "goal_id": goal, "value": 3 })).await;
    assert_eq!((&peek["status"], &peek["reason"]), (&json!("rejected"), &json!("not_found")), "{peek}");
    // The head approves; Olga checks in her manual count.
    let head = app.login("head@pacer.demo").await;
    assert_eq!(app.call(SetGoalStatus::PATH, Some(&head), &[("goal", &goal), ("status", "active")]).await.status, StatusCode::OK);
    let checked = app.change(&olga, json!({ "kind": "check_in_goal", "goal_id": goal, "value": 2 })).await;
    assert_eq!(checked["status"], "applied", "{checked}");
    let after = goals(&app, &head).await;
    let g = after.iter().find(|g| g["id"] == goal.as_str()).unwrap();
    assert_eq!((g["status"].as_str(), g["progress"].as_i64(), g["percent"].as_i64()), (Some("active"), Some(2), Some(66)));
    let negative = app.change(&olga, json!({ "kind": "check_in_goal", "goal_id": goal, "value": -1 })).await;
    assert_eq!((&negative["status"], &negative["reason"], &negative["msg"]), (&json!("rejected"), &json!("invalid"), &json!("ErrCount")), "{negative}");
}

#[tokio::test]
async fn a_target_far_above_the_best_month_is_saved_with_a_warning() {
    let app = spawn_app().await;
    let head = app.login("head@pacer.demo").await;
    let igor = app.user_id("igor@pacer.demo").await;
    let due = in_days(29);
    let form = [
        ("user", igor.as_str()),
        ("title", "Получить оплаты на сто миллионов"),
        ("metric", "received"),
        ("target", "100 000 000"),
        ("due_on", due.as_str()),
        ("relevance", "plan"),
    ];
    let res = app.call(SaveGoal::PATH, Some(&head), &form).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    assert!(res.json().as_f64().unwrap() > 1.5, "stretch reported: {}", res.body);
    let listed = goals(&app, &head).await;
    assert!(listed.iter().find(|g| g["title"] == "Получить оплаты на сто миллионов").unwrap()["stretch"].as_f64().unwrap() > 1.5);
}

#[tokio::test]
async fn reports_follow_the_cadence_the_head_sets_and_stay_private() {
    let app = spawn_app().await;
    let head = app.login("head@pacer.demo").await;
    // Igor has no cadence in the demo.
    let igor = app.user_id("igor@pacer.demo").await;
    let cookie = app.login("igor@pacer.demo").await;
    // No cadence: nothing to send.
    // The device dates a report with its own today.
    let today = in_days(0);
    let report = |done: &str, plan: &str, blockers: &str| json!({ "kind": "submit_report", "written_on": today, "done": done, "plan": plan, "blockers": blockers });
    let none = app.change(&cookie, report("Звонки", "Встречи", "")).await;
    assert_eq!((&none["status"], &none["reason"], &none["msg"]), (&json!("rejected"), &json!("invalid"), &json!("ErrNoCadence")), "{none}");
    assert_eq!(app.call(SetCadence::PATH, Some(&cookie), &[("user", &igor), ("cadence", "daily")]).await.status, StatusCode::FORBIDDEN);
    assert_eq!(app.call(SetCadence::PATH, Some(&head), &[("user", &igor), ("cadence", "daily")]).await.status, StatusCode::OK);
    let mine = app.call(MyReporting::PATH, Some(&cookie), &[]).await.json();
    assert_eq!(mine["cadence"], "daily");
    // An empty "done" is refused next to it; a good report is sent, and sending again edits it.
    let empty = app.change(&cookie, report("  ", "Встречи", "")).await;
    assert_eq!(
        (&empty["status"], &empty["reason"], &empty["field"], &empty["msg"]),
        (&json!("rejected"), &json!("invalid"), &json!("done"), &json!("ErrTextEmpty")),
        "{empty}"
    );
    for done in ["Три звонка, одна встреча", "Три звонка, две встречи"] {
        let sent = app.change(&cookie, report(done, "Счёт для «Вектора»", "")).await;
        assert_eq!(sent["status"], "applied", "{sent}");
    }
    // Every report of Igor's, whatever its day.
    let (from, to) = (chrono::NaiveDate::from_ymd_opt(2000, 1, 1).unwrap(), chrono::NaiveDate::from_ymd_opt(2999, 12, 31).unwrap());
    let count = app.store.reports(app.department().await, Some(igor.parse().unwrap()), from, to).await.unwrap().len();
    assert_eq!(count, 1, "one report per day, however often it is sent");
    let mine = app.call(MyReporting::PATH, Some(&cookie), &[]).await.json();
    assert_eq!(mine["current"]["done"], "Три звонка, две встречи");
    assert_eq!(mine["state"]["due_today"], false);
    // The head sees it; managers cannot read the team's reports.
    let team = app.call(TeamReporting::PATH, Some(&head), &[]).await.json();
    let line = team["lines"].as_array().unwrap().iter().find(|l| l["user_id"] == igor.as_str()).unwrap().clone();
    assert_eq!(line["cadence"], "daily");
    assert_eq!(line["last"]["done"], "Три звонка, две встречи");
    assert_eq!(app.call(TeamReporting::PATH, Some(&cookie), &[]).await.status, StatusCode::FORBIDDEN);
    // The manager's home reminds them only when something is due or missed.
    let home = app.call(Home::PATH, Some(&cookie), &[]).await.json();
    assert_eq!(home["Manager"]["reports"]["state"]["due_today"], false);
}

#[tokio::test]
async fn a_goals_days_are_the_organisations_days_not_utc() {
    let app = spawn_app().await;
    let anna = app.user_id("anna@pacer.demo").await;
    let deal = app.db().deals_of(&anna).await[0].clone();
    // 1 March 2021 in Moscow (UTC+3) runs from 28 February 21:00 UTC to 1 March 21:00 UTC.
    for (at, body) in [("2021-02-28T21:30:00+00:00", "00:30 in Moscow on the 1st"), ("2021-02-28T20:30:00+00:00", "23:30 in Moscow on the 28th")] {
        app.db().insert_call_at(&deal, &anna, at, body).await;
    }
    let calls = |d: u32, m: u32| {
        let day = chrono::NaiveDate::from_ymd_opt(2021, m, d).unwrap();
        app.store.goal_count(anna.parse().unwrap(), app::domain::goal::GoalMetric::Calls, None, day, day, chrono_tz::Europe::Moscow)
    };
    assert_eq!(calls(1, 3).await.unwrap(), 1, "the call at 00:30 on the 1st is the 1st's");
    assert_eq!(calls(28, 2).await.unwrap(), 1, "the call at 23:30 on the 28th is the 28th's alone");
}
