//! The pipeline board: who sees which deals in it, and what a move does to its columns.

use crate::common;

use app::api::pipeline::{AddStage, DeleteStage, MoveStage, PipelineBoard, PipelineStages, SaveStage};
use common::spawn_app;
use http::StatusCode;
use leptos::server_fn::ServerFn;
use serde_json::Value;
use app::store::prelude::*;

fn column_counts(board: &Value) -> Vec<(String, i64)> {
    board["columns"].as_array().unwrap().iter().map(|c| (c["stage"]["id"].as_str().unwrap().to_string(), c["count"].as_i64().unwrap())).collect()
}

fn owners(board: &Value) -> Vec<String> {
    board["columns"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|c| c["cards"].as_array().unwrap().iter().map(|d| d["owner_id"].as_str().unwrap().to_string()))
        .collect()
}

#[tokio::test]
async fn a_manager_sees_only_their_own_deals_on_the_board_whatever_they_ask() {
    let app = spawn_app().await;
    let anna = app.login("anna@pacer.demo").await;
    let anna_id = app.user_id("anna@pacer.demo").await;
    let dmitry_id = app.user_id("dmitry@pacer.demo").await;
    for ask in [vec![], vec![("manager", dmitry_id.as_str())]] {
        let board = app.call(PipelineBoard::PATH, Some(&anna), &ask).await;
        assert_eq!(board.status, StatusCode::OK, "{}", board.body);
        let board = board.json();
        let seen = owners(&board);
        assert!(!seen.is_empty());
        assert!(seen.iter().all(|o| *o == anna_id), "only Anna's deals");
        assert!(board["managers"].as_array().unwrap().is_empty());
        let open = app.open_deals_of("anna@pacer.demo").await.len() as i64;
        assert_eq!(column_counts(&board).iter().map(|c| c.1).sum::<i64>(), open, "the columns count all of Anna's open deals");
    }
    assert_eq!(app.call(PipelineBoard::PATH, None, &[]).await.status, StatusCode::UNAUTHORIZED);
    let admin = app.login("admin@pacer.demo").await;
    assert_eq!(app.call(PipelineBoard::PATH, Some(&admin), &[]).await.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_head_sees_the_department_and_a_move_shifts_a_deal_between_columns() {
    let app = spawn_app().await;
    let head = app.login("head@pacer.demo").await;
    let board = app.call(PipelineBoard::PATH, Some(&head), &[]).await.json();
    let seen = owners(&board);
    let distinct: std::collections::HashSet<_> = seen.iter().collect();
    assert!(distinct.len() >= 4, "the whole department's managers");
    assert!(board["managers"].as_array().unwrap().len() >= 4);
    let before = column_counts(&board);
    let (from, to) = (&before[0].0, &before[1].0);
    let deal = board["columns"][0]["cards"][0]["id"].as_str().unwrap().to_string();
    // The head moves a manager's deal, as on the board.
    let moved = app.change(&head, serde_json::json!({ "kind": "set_deal_stage", "deal_id": deal, "stage_id": to, "loss_reason": "", "seen_stage_id": from })).await;
    assert_eq!(moved["status"], "applied", "{moved}");
    let after = column_counts(&app.call(PipelineBoard::PATH, Some(&head), &[]).await.json());
    assert_eq!(after[0], (from.clone(), before[0].1 - 1));
    assert_eq!(after[1], (to.clone(), before[1].1 + 1));
    // Won this month counts on the "won" drop zone.
    let won_zone = |b: &Value| b["closed"].as_array().unwrap().iter().find(|c| c[0]["outcome"] == "won").map(|c| c[1].as_i64().unwrap()).unwrap();
    let won_before = won_zone(&board);
    let won = board["closed"].as_array().unwrap().iter().find(|c| c[0]["outcome"] == "won").unwrap()[0]["id"].as_str().unwrap().to_string();
    let closed = app.change(&head, serde_json::json!({ "kind": "set_deal_stage", "deal_id": deal, "stage_id": won, "loss_reason": "", "seen_stage_id": to })).await;
    assert_eq!(closed["status"], "applied", "{closed}");
    assert_eq!(won_zone(&app.call(PipelineBoard::PATH, Some(&head), &[]).await.json()), won_before + 1);
}

#[tokio::test]
async fn a_move_on_a_stale_board_is_a_conflict_and_keeps_the_managers_stage() {
    let app = spawn_app().await;
    let head = app.login("head@pacer.demo").await;
    // The head's board shows a deal at some stage.
    let board = app.call(PipelineBoard::PATH, Some(&head), &[]).await.json();
    let card = &board["columns"][0]["cards"][0];
    let (deal, seen) = (card["id"].as_str().unwrap().to_string(), card["stage"]["id"].as_str().unwrap().to_string());
    let owner = app.store.viewer(card["owner_id"].as_str().unwrap().parse().unwrap()).await.unwrap().email;
    let stage_of = |i: usize| board["columns"][i]["stage"]["id"].as_str().unwrap().to_string();
    let (managers, heads) = (stage_of(2), stage_of(1));
    // Meanwhile the manager moves it from the phone.
    let manager = app.login(&owner).await;
    let moved = app.change(&manager, serde_json::json!({ "kind": "set_deal_stage", "deal_id": deal, "stage_id": managers, "seen_stage_id": seen })).await;
    assert_eq!(moved["status"], "applied", "{moved}");
    // The head drags the card as the old board shows it: both values come back, nothing is overwritten.
    let drag = app.change(&head, serde_json::json!({ "kind": "set_deal_stage", "deal_id": deal, "stage_id": heads, "seen_stage_id": seen })).await;
    assert_eq!(drag["status"], "conflict", "{drag}");
    assert_eq!(drag["yours"], serde_json::json!(heads));
    assert_eq!(drag["theirs"], serde_json::json!(managers));
    let now = app.call(PipelineBoard::PATH, Some(&head), &[]).await.json();
    let column_of = |b: &Value| {
        b["columns"].as_array().unwrap().iter().find(|c| c["cards"].as_array().unwrap().iter().any(|d| d["id"] == deal.as_str())).map(|c| c["stage"]["id"].clone())
    };
    assert_eq!(column_of(&now), Some(serde_json::json!(managers)), "the manager's stage stands");
}

fn invalid(answer: &common::Answer) -> (String, String) {
    let v = answer.json();
    (v["Invalid"]["field"].as_str().unwrap_or_default().to_string(), v["Invalid"]["msg"].as_str().unwrap_or_default().to_string())
}

fn stage_ids(stages: &Value) -> Vec<String> {
    stages.as_array().unwrap().iter().map(|r| r["stage"]["id"].as_str().unwrap().to_string()).collect()
}

#[tokio::test]
async fn only_the_head_edits_the_pipeline_and_bad_values_are_refused_by_field() {
    let app = spawn_app().await;
    let head = app.login("head@pacer.demo").await;
    let stages = app.call(PipelineStages::PATH, Some(&head), &[]).await.json();
    let first = stage_ids(&stages)[0].clone();
    let anna = app.login("anna@pacer.demo").await;
    for (path, form) in [
        (PipelineStages::PATH, vec![]),
        (SaveStage::PATH, vec![("stage", first.as_str()), ("name", "Лид"), ("probability", "5")]),
        (MoveStage::PATH, vec![("stage", first.as_str()), ("direction", "down")]),
        (AddStage::PATH, vec![("name", "Демо"), ("probability", "30")]),
        (DeleteStage::PATH, vec![("stage", first.as_str())]),
    ] {
        assert_eq!(app.call(path, Some(&anna), &form).await.status, StatusCode::FORBIDDEN, "{path}");
    }
    let bad = |name: &'static str, probability: &'static str| {
        let (app, head, first) = (&app, &head, &first);
        async move { invalid(&app.call(SaveStage::PATH, Some(head), &[("stage", first), ("name", name), ("probability", probability)]).await) }
    };
    assert_eq!(bad("  ", "10").await, ("name".into(), "ErrStageNameEmpty".into()));
    // "Квалификация" is the built-in second stage's Russian name; "won" its English one.
    assert_eq!(bad("квалификация", "10").await, ("name".into(), "ErrStageNameTaken".into()));
    assert_eq!(bad("Won", "10").await, ("name".into(), "ErrStageNameTaken".into()));
    assert_eq!(bad("Лид", "120").await, ("probability".into(), "ErrProbability".into()));
    let ok = app.call(SaveStage::PATH, Some(&head), &[("stage", &first), ("name", "  Лид "), ("probability", "5 %")]).await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.body);
    let stages = app.call(PipelineStages::PATH, Some(&head), &[]).await.json();
    assert_eq!(stages[0]["stage"]["name"], "Лид");
    assert_eq!(stages[0]["stage"]["probability"], 5);
    // The manager's board shows the new name.
    let board = app.call(PipelineBoard::PATH, Some(&anna), &[]).await.json();
    assert_eq!(board["columns"][0]["stage"]["name"], "Лид");
}

#[tokio::test]
async fn stages_are_added_before_won_and_lost_reordered_and_removed_only_when_empty() {
    let app = spawn_app().await;
    let head = app.login("head@pacer.demo").await;
    let before = stage_ids(&app.call(PipelineStages::PATH, Some(&head), &[]).await.json());
    let added = app.call(AddStage::PATH, Some(&head), &[("name", "Демо проведено"), ("probability", "50")]).await;
    assert_eq!(added.status, StatusCode::OK, "{}", added.body);
    let stages = app.call(PipelineStages::PATH, Some(&head), &[]).await.json();
    let rows = stages.as_array().unwrap();
    assert_eq!(rows.len(), before.len() + 1);
    let new_at = rows.len() - 3;
    assert_eq!(rows[new_at]["stage"]["name"], "Демо проведено");
    assert_eq!(rows[new_at + 1]["stage"]["outcome"], "won");
    assert_eq!(rows[new_at + 2]["stage"]["outcome"], "lost");
    let new_id = rows[new_at]["stage"]["id"].as_str().unwrap().to_string();
    // Up one place, and the board's columns follow.
    assert_eq!(app.call(MoveStage::PATH, Some(&head), &[("stage", &new_id), ("direction", "up")]).await.status, StatusCode::OK);
    let order = stage_ids(&app.call(PipelineStages::PATH, Some(&head), &[]).await.json());
    assert_eq!(order[new_at - 1], new_id);
    let board = app.call(PipelineBoard::PATH, Some(&head), &[]).await.json();
    assert_eq!(column_counts(&board).iter().map(|c| c.0.clone()).collect::<Vec<_>>(), order[..order.len() - 2].to_vec());
    // Won and lost neither move nor go; a stage with deals stays.
    let won = order[order.len() - 2].clone();
    assert_eq!(invalid(&app.call(MoveStage::PATH, Some(&head), &[("stage", &won), ("direction", "up")]).await).1, "ErrClosedStage");
    assert_eq!(invalid(&app.call(DeleteStage::PATH, Some(&head), &[("stage", &won)]).await).1, "ErrClosedStage");
    assert_eq!(invalid(&app.call(DeleteStage::PATH, Some(&head), &[("stage", &order[0])]).await).1, "ErrStageHasDeals");
    assert_eq!(app.call(DeleteStage::PATH, Some(&head), &[("stage", &new_id)]).await.status, StatusCode::OK);
    assert_eq!(stage_ids(&app.call(PipelineStages::PATH, Some(&head), &[]).await.json()), before);
    // Every edit is in the audit log.
    let audited = app.db().audit_log().await.into_iter().filter(|a| {
        ["stage", "department"].contains(&a.entity.as_str()) && ["create", "reorder_stages", "delete"].contains(&a.action.as_str())
    });
    assert_eq!(audited.count(), 3);
}

#[tokio::test]
async fn a_head_cannot_touch_another_departments_stages() {
    use app::domain::user::{Email, NewPassword, Role};
    use app::store::NewUser;
    let app = spawn_app().await;
    let org = app.store.ensure_organisation("ignored").await.unwrap();
    let other = app.store.create_department(org, "Отдел регионов").await.unwrap();
    app.store.create_default_pipeline(other).await.unwrap();
    let hash = app::auth::hash_password(&NewPassword::parse(common::PASSWORD.into()).unwrap()).await.unwrap();
    app.store
        .create_user(NewUser { organisation_id: org, department_id: Some(other), email: &Email::parse("rhead@pacer.demo").unwrap(), name: "Марина Белова", role: Role::Head, password_hash: &hash })
        .await
        .unwrap();
    let head = app.login("head@pacer.demo").await;
    let mine = stage_ids(&app.call(PipelineStages::PATH, Some(&head), &[]).await.json());
    let intruder = app.login("rhead@pacer.demo").await;
    assert_eq!(app.call(SaveStage::PATH, Some(&intruder), &[("stage", &mine[0]), ("name", "Взлом"), ("probability", "1")]).await.status, StatusCode::NOT_FOUND);
    assert_eq!(app.call(DeleteStage::PATH, Some(&intruder), &[("stage", &mine[2])]).await.status, StatusCode::NOT_FOUND);
    assert_eq!(app.call(MoveStage::PATH, Some(&intruder), &[("stage", &mine[2]), ("direction", "up")]).await.status, StatusCode::NOT_FOUND);
    assert_eq!(stage_ids(&app.call(PipelineStages::PATH, Some(&head), &[]).await.json()), mine);
    let theirs = app.call(PipelineStages::PATH, Some(&intruder), &[]).await.json();
    assert!(stage_ids(&theirs).iter().all(|s| !mine.contains(s)));
}

#[tokio::test]
async fn the_conversion_funnel_counts_how_far_deals_got_even_after_they_move_back() {
    use app::api::home::Home;
    let app = spawn_app().await;
    let head = app.login("head@pacer.demo").await;
    let funnel = |home: &Value| -> Vec<i64> { home["Head"]["funnel"].as_array().unwrap().iter().map(|s| s[1]["reached"].as_i64().unwrap()).collect() };
    let home = app.call(Home::PATH, Some(&head), &[]).await.json();
    let before = funnel(&home);
    let since = home["Head"]["funnel_since"].as_str().unwrap().parse().unwrap();
    let (created, won) = app.db().deals_created_since(since).await;
    assert_eq!(before[0], created, "every new deal entered the pipeline");
    assert_eq!(*before.last().unwrap(), won);
    assert!(before.windows(2).all(|w| w[1] <= w[0]), "a funnel narrows: {before:?}");

    // A new deal at the first stage, moved to the fourth and back to the second: it
    // still counts as having reached the fourth.
    let board = app.call(PipelineBoard::PATH, Some(&head), &[]).await.json();
    let stages: Vec<String> = board["columns"].as_array().unwrap().iter().map(|c| c["stage"]["id"].as_str().unwrap().to_string()).collect();
    let client = app.store.search_clients(app.department().await, None, None, 1).await.unwrap()[0].id.to_string();
    // The device makes the deal's id; 100 000 ₽ in kopecks.
    let deal = uuid::Uuid::now_v7().to_string();
    let made = app
        .change(&head, serde_json::json!({
            "kind": "create_deal", "deal_id": deal, "client_id": client, "title": "Пилот", "amount": 10_000_000, "stage_id": stages[0],
            "expected_close_on": null, "next_step": "", "next_step_due_on": null, "source": "",
        }))
        .await;
    assert_eq!(made["status"], "applied", "{made}");
    for stage in [&stages[3], &stages[1]] {
        let moved = app.change(&head, serde_json::json!({ "kind": "set_deal_stage", "deal_id": deal, "stage_id": stage, "loss_reason": "" })).await;
        assert_eq!(moved["status"], "applied", "{moved}");
    }
    let after = funnel(&app.call(Home::PATH, Some(&head), &[]).await.json());
    for k in 0..=3 {
        assert_eq!(after[k], before[k] + 1, "stage {k}: {before:?} → {after:?}");
    }
    assert_eq!(after[4], before[4]);
    // Reordering the pipeline recounts from the history, and nothing changes for a swap of untouched stages.
    let moved = app.call(MoveStage::PATH, Some(&head), &[("stage", &stages[4]), ("direction", "up")]).await;
    assert_eq!(moved.status, StatusCode::OK);
    let reordered = funnel(&app.call(Home::PATH, Some(&head), &[]).await.json());
    assert_eq!(reordered[0], after[0]);
    assert!(reordered.windows(2).all(|w| w[1] <= w[0]), "{reordered:?}");
}
