//! The offline sync protocol: every mutation kind, exactly-once delivery, conflicts,
//! rejections, and what a pull may show to whom.

use crate::common;

use app::domain::goal::GoalMetric;
use app::store::prelude::*;

use common::{TestApp, spawn_app};
use http::StatusCode;
use serde_json::{Value, json};

fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

/// The user's first open deal, by id.
async fn open_deal_of(app: &TestApp, email: &str) -> String {
    app.open_deals_of(email).await[0].clone()
}

async fn deal_stage(app: &TestApp, deal: &str) -> String {
    app.deal(deal).await.card.stage.id
}

async fn deal_amount(app: &TestApp, deal: &str) -> i64 {
    app.deal(deal).await.card.amount.kopecks()
}

async fn deal_version(app: &TestApp, deal: &str) -> i64 {
    app.deal(deal).await.card.version
}

/// The demo's one goal measured by hand (Dmitry's).
async fn manual_goal(app: &TestApp) -> String {
    let goals = app.store.goals(app.department().await, None, common::today()).await.unwrap();
    goals.into_iter().find(|g| g.terms.metric == GoalMetric::Manual).expect("the demo has a manual goal").id.to_string()
}

/// The user's first client by name.
async fn a_client_of(app: &TestApp, email: &str) -> String {
    app.clients_of(email).await[0].id.to_string()
}

fn results(answer: &common::Answer) -> Vec<Value> {
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    answer.json()["results"].as_array().unwrap().clone()
}

#[tokio::test]
async fn every_kind_of_manager_change_is_applied_once_and_the_head_pulls_it() {
    let app = spawn_app().await;
    let anna = app.login("anna@pacer.demo").await;
    let dmitry = app.login("dmitry@pacer.demo").await;
    let deal = open_deal_of(&app, "anna@pacer.demo").await;
    let seen_stage = deal_stage(&app, &deal).await;
    let seen_amount = deal_amount(&app, &deal).await;
    let invoice = app.stage_id("invoice").await;
    let first = app.stage_id("new").await;
    let (client, new_deal) = (new_id(), new_id());
    let goal = manual_goal(&app).await;
    let today = common::today();
    let batch = json!([
        { "id": new_id(), "kind": "set_deal_stage", "deal_id": deal, "stage_id": invoice, "seen_stage_id": seen_stage },
        { "id": new_id(), "kind": "set_deal_amount", "deal_id": deal, "amount": 123_456_00, "seen_amount": seen_amount },
        { "id": new_id(), "kind": "set_next_step", "deal_id": deal, "next_step": "Отправить счёт", "due_on": today },
        { "id": new_id(), "kind": "log_activity", "deal_id": deal, "activity": "note", "body": "Из подвала: клиент согласен" },
        { "id": new_id(), "kind": "record_payment", "deal_id": deal, "amount": 50_000_00, "received_on": today },
        { "id": new_id(), "kind": "expect_payment", "deal_id": deal, "amount": 73_456_00, "due_on": today },
        { "id": new_id(), "kind": "create_client", "client_id": client, "name": "ООО Подвал", "contact_name": "Иван", "contact_phone": "+7 900 000-00-00" },
        { "id": new_id(), "kind": "create_deal", "deal_id": new_deal, "client_id": client, "title": "Поставка стеллажей", "amount": 90_000_00, "stage_id": first },
        { "id": new_id(), "kind": "log_client_activity", "client_id": client, "activity": "call", "body": "Первый звонок" },
        { "id": new_id(), "kind": "submit_report", "written_on": today, "done": "Три встречи", "plan": "Счёт Подвалу" },
    ]);
    let answered = results(&app.push(Some(&anna), batch.clone()).await);
    assert_eq!(answered.len(), 10);
    for (sent, got) in batch.as_array().unwrap().iter().zip(&answered) {
        assert_eq!(got["id"], sent["id"], "answers come in the order sent");
        assert_eq!(got["status"], "applied", "{}: {got}", sent["kind"]);
    }
    assert_eq!(deal_stage(&app, &deal).await, invoice);
    assert_eq!(deal_amount(&app, &deal).await, 123_456_00);
    assert_eq!(app.deal(&new_deal).await.card.owner_id.to_string(), app.user_id("anna@pacer.demo").await);
    // The manual goal is Dmitry's: only he checks in on it.
    let mine = results(&app.push(Some(&dmitry), json!([{ "id": new_id(), "kind": "check_in_goal", "goal_id": goal, "value": 2 }])).await);
    assert_eq!(mine[0]["status"], "applied");
    assert_eq!(app.store.goal(goal.parse().unwrap()).await.unwrap().unwrap().manual_progress, 2);

    // The whole batch again, as after a response lost on the way back: nothing twice.
    let again = results(&app.push(Some(&anna), batch).await);
    for (first, repeat) in answered.iter().zip(&again) {
        assert_eq!(repeat["status"], "duplicate");
        assert_eq!(repeat["first"]["status"], first["status"]);
        assert_eq!(repeat["first"]["version"], first["version"]);
    }
    let db = app.db();
    assert_eq!(db.received_payments(&deal).await.iter().filter(|p| p.amount == 50_000_00).count(), 1);
    assert_eq!(db.expected_payments(&deal).await.iter().filter(|p| p.amount == 73_456_00).count(), 1);
    assert_eq!(db.deal_activities_saying(&deal, "Из подвала: клиент согласен").await, 1);
    assert_eq!(app.clients_of("anna@pacer.demo").await.iter().filter(|c| c.id.to_string() == client).count(), 1);
    let client_history = app.store.client_activities(client.parse().unwrap(), i64::MAX).await.unwrap();
    assert_eq!(client_history.iter().filter(|a| a.deal.is_none()).count(), 1);

    // The head's pull shows the changed deal, the new client and deal, and the report.
    let head = app.login("head@pacer.demo").await;
    let mut cursor = "0".to_string();
    let mut pulled = Vec::new();
    loop {
        let page = app.pull(Some(&head), &cursor).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        let page = page.json();
        pulled.extend(page["changes"].as_array().unwrap().clone());
        cursor = page["cursor"].as_str().unwrap().to_string();
        if page["more"] == false {
            break;
        }
    }
    let row = |entity: &str, id: &str| pulled.iter().rev().find(|c| c["entity"] == entity && c["id"] == id).cloned();
    let changed = row("deal", &deal).expect("the changed deal is pulled");
    assert_eq!(changed["row"]["stage_id"], json!(invoice));
    assert_eq!(changed["row"]["amount"], 123_456_00);
    assert_eq!(changed["row"]["next_step"], "Отправить счёт");
    assert_eq!(changed["row"]["received_total"].as_i64().unwrap() >= 50_000_00, true);
    assert_eq!(row("client", &client).unwrap()["row"]["name"], "ООО Подвал");
    assert_eq!(row("deal", &new_deal).unwrap()["row"]["title"], "Поставка стеллажей");
    assert!(pulled.iter().any(|c| c["entity"] == "report" && c["row"]["done"] == "Три встречи"));
    // Nothing new since: an empty page with the same cursor.
    let after = app.pull(Some(&head), &cursor).await.json();
    assert_eq!(after["changes"], json!([]));
    assert_eq!(after["cursor"], json!(cursor));
}

#[tokio::test]
async fn a_stage_changed_meanwhile_is_a_conflict_the_manager_resolves() {
    let app = spawn_app().await;
    let anna = app.login("anna@pacer.demo").await;
    let head = app.login("head@pacer.demo").await;
    let deal = open_deal_of(&app, "anna@pacer.demo").await;
    let seen = deal_stage(&app, &deal).await;
    // Two open stages other than the one the deal is in.
    let mut others = Vec::new();
    for code in ["new", "qualified", "proposal", "negotiation", "invoice"] {
        let id = app.stage_id(code).await;
        if id != seen {
            others.push(id);
        }
    }
    let (heads, annas) = (others[0].clone(), others[1].clone());
    // While Anna is offline, the head moves the deal.
    let moved = results(&app.push(Some(&head), json!([{ "id": new_id(), "kind": "set_deal_stage", "deal_id": deal, "stage_id": heads, "seen_stage_id": seen }])).await);
    assert_eq!(moved[0]["status"], "applied");
    // Anna's queued move was made against the stage she saw.
    let id = new_id();
    let mine = json!([{ "id": id, "kind": "set_deal_stage", "deal_id": deal, "stage_id": annas, "seen_stage_id": seen }]);
    let answer = results(&app.push(Some(&anna), mine.clone()).await);
    assert_eq!(answer[0]["status"], "conflict", "{}", answer[0]);
    assert_eq!(answer[0]["field"], "stage_id");
    assert_eq!(answer[0]["yours"], json!(annas));
    assert_eq!(answer[0]["theirs"], json!(heads));
    assert_eq!(answer[0]["row"]["stage_id"], json!(heads));
    assert_eq!(deal_stage(&app, &deal).await, heads, "a conflict stores nothing");
    // Sent again, it is the same conflict, not a second attempt.
    let again = results(&app.push(Some(&anna), mine).await);
    assert_eq!(again[0]["status"], "duplicate");
    assert_eq!(again[0]["first"]["status"], "conflict");
    // "Keep mine": a new mutation made against the server's value.
    let keep = results(&app.push(Some(&anna), json!([{ "id": new_id(), "kind": "set_deal_stage", "deal_id": deal, "stage_id": annas, "seen_stage_id": heads }])).await);
    assert_eq!(keep[0]["status"], "applied");
    assert_eq!(deal_stage(&app, &deal).await, annas);
    // Notes never conflict, whatever version they were made against.
    let note = results(&app.push(Some(&anna), json!([{ "id": new_id(), "base_version": 1, "kind": "log_activity", "deal_id": deal, "activity": "note", "body": "ok" }])).await);
    assert_eq!(note[0]["status"], "applied");
    // An amount changed meanwhile is a conflict as well; the same amount is not.
    let amount = deal_amount(&app, &deal).await;
    results(&app.push(Some(&head), json!([{ "id": new_id(), "kind": "set_deal_amount", "deal_id": deal, "amount": amount + 100 }])).await);
    let stale = results(&app.push(Some(&anna), json!([
        { "id": new_id(), "kind": "set_deal_amount", "deal_id": deal, "amount": amount + 500, "seen_amount": amount },
        { "id": new_id(), "kind": "set_deal_amount", "deal_id": deal, "amount": amount + 100, "seen_amount": amount },
    ])).await);
    assert_eq!(stale[0]["status"], "conflict");
    assert_eq!(stale[0]["theirs"], amount + 100);
    assert_eq!(stale[1]["status"], "applied", "both sides already agree");
}

#[tokio::test]
async fn a_deal_handed_to_someone_else_rejects_queued_changes_and_leaves_the_old_owners_pull() {
    let app = spawn_app().await;
    let anna = app.login("anna@pacer.demo").await;
    let deal = open_deal_of(&app, "anna@pacer.demo").await;
    let start = app.pull(Some(&anna), "0").await.json();
    assert!(start["changes"].as_array().unwrap().iter().any(|c| c["id"] == json!(deal)));
    let cursor = start["cursor"].as_str().unwrap().to_string();
    let dmitry: app::domain::UserId = app.user_id("dmitry@pacer.demo").await.parse().unwrap();
    let head: app::domain::UserId = app.user_id("head@pacer.demo").await.parse().unwrap();
    let mut tx = app.store.begin().await.unwrap();
    tx.set_deal_owner(deal.parse().unwrap(), dmitry, head).await.unwrap();
    tx.commit().await.unwrap();

    let answer = results(&app.push(Some(&anna), json!([{ "id": new_id(), "kind": "log_activity", "deal_id": deal, "activity": "note", "body": "поздно" }])).await);
    assert_eq!(answer[0]["status"], "rejected");
    assert_eq!(answer[0]["reason"], "not_found");
    assert_eq!(answer[0]["message"], "Недоступно: запись удалили или передали другому сотруднику.");
    let gone = app.pull(Some(&anna), &cursor).await.json();
    let tomb = gone["changes"].as_array().unwrap().iter().find(|c| c["id"] == json!(deal)).cloned().expect("a tombstone");
    assert_eq!(tomb["deleted"], true);
    assert!(tomb.get("row").is_none(), "nothing of Dmitry's deal leaks: {tomb}");
}

#[tokio::test]
async fn the_protocol_refuses_what_it_cannot_trust() {
    let app = spawn_app().await;
    let anna = app.login("anna@pacer.demo").await;
    let others = open_deal_of(&app, "dmitry@pacer.demo").await;
    let before = deal_version(&app, &others).await;
    // Not signed in: 401, and the client keeps its outbox.
    assert_eq!(app.push(None, json!([])).await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(app.pull(None, "0").await.status, StatusCode::UNAUTHORIZED);
    // Another manager's deal by its id: rejected as if it did not exist.
    let res = results(&app.push(Some(&anna), json!([
        { "id": new_id(), "kind": "set_next_step", "deal_id": others, "next_step": "украсть" },
        { "id": new_id(), "kind": "teleport_deal", "deal_id": others },
        { "id": new_id(), "kind": "log_activity", "deal_id": open_deal_of(&app, "anna@pacer.demo").await, "activity": "payment", "body": "1" },
        { "id": new_id(), "kind": "record_payment", "deal_id": open_deal_of(&app, "anna@pacer.demo").await, "amount": -5, "received_on": "2026-01-05" },
        { "id": new_id(), "kind": "check_in_goal", "goal_id": manual_goal(&app).await, "value": 1 },
        { "id": new_id(), "kind": "create_deal", "deal_id": new_id(), "client_id": a_client_of(&app, "anna@pacer.demo").await, "title": "x", "amount": 1, "stage_id": "nope" },
    ])).await);
    assert_eq!(res[0]["reason"], "not_found");
    assert_eq!(res[1]["reason"], "malformed");
    assert_eq!((res[2]["reason"].clone(), res[2]["field"].clone()), (json!("invalid"), json!("activity")));
    assert_eq!((res[3]["reason"].clone(), res[3]["field"].clone()), (json!("invalid"), json!("amount")));
    assert_eq!(res[4]["reason"], "not_found", "Dmitry's goal");
    assert_eq!(res[5]["field"], "stage_id", "a field is named as the mutation names it");
    assert_eq!(deal_version(&app, &others).await, before);
    // Envelope errors: the whole request, before anything is applied.
    assert_eq!(app.push_raw(Some(&anna), json!({ "schema": 2, "mutations": [] })).await.status, StatusCode::BAD_REQUEST);
    let no_id = app.push(Some(&anna), json!([{ "kind": "log_activity" }])).await;
    assert_eq!(no_id.status, StatusCode::UNPROCESSABLE_ENTITY);
    let too_many: Vec<Value> = (0..1001).map(|_| json!({ "id": new_id(), "kind": "x" })).collect();
    assert_eq!(app.push(Some(&anna), json!(too_many)).await.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(app.pull(Some(&anna), "abc").await.status, StatusCode::UNPROCESSABLE_ENTITY);
    // A mutation id is one person's: someone else reusing it learns nothing.
    let id = new_id();
    results(&app.push(Some(&anna), json!([{ "id": id, "kind": "log_activity", "deal_id": open_deal_of(&app, "anna@pacer.demo").await, "activity": "note", "body": "мой" }])).await);
    let dmitry = app.login("dmitry@pacer.demo").await;
    let stolen = results(&app.push(Some(&dmitry), json!([{ "id": id, "kind": "log_activity", "deal_id": others, "activity": "note", "body": "чужой id" }])).await);
    assert_eq!(stolen[0]["status"], "rejected");
    // The same id twice in one push (a retry appended to the batch): once.
    let twice = json!({ "id": new_id(), "kind": "log_activity", "deal_id": open_deal_of(&app, "anna@pacer.demo").await, "activity": "note", "body": "дважды" });
    let both = results(&app.push(Some(&anna), json!([twice.clone(), twice])).await);
    assert_eq!((both[0]["status"].clone(), both[1]["status"].clone()), (json!("applied"), json!("duplicate")));
    assert_eq!(app.db().activities_saying("дважды").await, 1);
    // An admin has no sales data to sync.
    let admin = app.login("admin@pacer.demo").await;
    assert_eq!(app.pull(Some(&admin), "0").await.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_managers_pull_holds_only_their_own_rows() {
    let app = spawn_app().await;
    let anna = app.login("anna@pacer.demo").await;
    let anna_id = app.user_id("anna@pacer.demo").await;
    let page = app.pull(Some(&anna), "0").await.json();
    let changes = page["changes"].as_array().unwrap();
    assert!(changes.iter().any(|c| c["entity"] == "deal"), "Anna has deals");
    for c in changes {
        let owner = match c["entity"].as_str().unwrap() {
            "deal" | "client" => &c["row"]["owner_id"],
            _ => &c["row"]["user_id"],
        };
        assert_eq!(owner, &json!(anna_id), "{c}");
    }
}

#[tokio::test]
async fn a_clients_details_and_contacts_change_offline_once_each() {
    let app = spawn_app().await;
    let anna = app.login("anna@pacer.demo").await;
    let client = a_client_of(&app, "anna@pacer.demo").await;
    let contact = new_id();
    let batch = json!([
        { "id": new_id(), "kind": "update_client", "client_id": client, "name": "ООО «Новое имя»", "notes": "Переехали" },
        { "id": new_id(), "kind": "save_contact", "client_id": client, "contact_id": contact, "name": "Пётр Сидоров", "phone": "+7 900 111-22-33" },
        { "id": new_id(), "kind": "save_contact", "client_id": client, "contact_id": contact, "name": "Пётр Сидоров", "position": "Закупки", "phone": "+7 900 111-22-33" },
    ]);
    for answer in results(&app.push(Some(&anna), batch.clone()).await) {
        assert_eq!(answer["status"], "applied", "{answer}");
    }
    for answer in results(&app.push(Some(&anna), batch).await) {
        assert_eq!(answer["status"], "duplicate", "{answer}");
    }
    let card = app.client(&client).await;
    assert_eq!(card.name, "ООО «Новое имя»");
    let saved: Vec<_> = card.contacts.iter().filter(|c| c.id == contact).collect();
    assert_eq!(saved.len(), 1, "one contact, edited once");
    assert_eq!(saved[0].position, "Закупки");
    let removed = results(&app.push(Some(&anna), json!([
        { "id": new_id(), "kind": "remove_contact", "client_id": client, "contact_id": contact },
        { "id": new_id(), "kind": "save_contact", "client_id": client, "contact_id": new_id(), "name": "" },
    ])).await);
    assert_eq!(removed[0]["status"], "applied");
    assert_eq!((removed[1]["reason"].clone(), removed[1]["field"].clone()), (json!("invalid"), json!("name")), "an empty contact is refused");
    assert_eq!(app.client(&client).await.contacts.iter().filter(|c| c.id == contact).count(), 0);
    // An edit queued before the removal finds the contact gone; another client's contact id is taken.
    let others = app.clients_of("anna@pacer.demo").await;
    let other = others.iter().map(|c| c.id.to_string()).find(|c| *c != client).expect("Anna has another client");
    let kept = new_id();
    let late = results(&app.push(Some(&anna), json!([
        { "id": new_id(), "kind": "save_contact", "client_id": client, "contact_id": contact, "name": "Пётр" },
        { "id": new_id(), "kind": "remove_contact", "client_id": client, "contact_id": contact },
        { "id": new_id(), "kind": "save_contact", "client_id": "00000000-0000-7000-8000-000000000001", "contact_id": contact, "name": "Пётр" },
        { "id": new_id(), "kind": "save_contact", "client_id": client, "contact_id": "not-a-uuid", "name": "Пётр" },
        { "id": new_id(), "kind": "save_contact", "client_id": client, "contact_id": kept, "name": "Ирина" },
        { "id": new_id(), "kind": "save_contact", "client_id": other, "contact_id": kept, "name": "Ирина" },
    ])).await);
    assert_eq!(late[0]["reason"], "not_found", "{}", late[0]);
    assert_eq!(late[1]["reason"], "not_found");
    assert_eq!(late[2]["reason"], "not_found", "a client that does not exist");
    assert_eq!(late[3]["reason"], "malformed");
    assert_eq!(late[4]["status"], "applied");
    assert_eq!((late[5]["field"].clone(), late[5]["msg"].clone()), (json!("contact_id"), json!("ErrIdTaken")), "{}", late[5]);
    // Another manager's client is refused as if it did not exist.
    let dmitry = app.login("dmitry@pacer.demo").await;
    let theirs = results(&app.push(Some(&dmitry), json!([
        { "id": new_id(), "kind": "update_client", "client_id": client, "name": "Чужое" },
    ])).await);
    assert_eq!(theirs[0]["reason"], "not_found");
}
