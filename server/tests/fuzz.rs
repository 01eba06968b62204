//! Random and mangled input through the real router: the sync push gets every kind
//! of mutation with fields replaced, dropped or added at random (and bodies that are
//! not a batch at all), the import gets random tables. Whatever comes in, the server
//! answers without a 500, a refused mutation leaves the department exactly as it was,
//! a replayed batch is answered from its receipts, the rollups still equal a recount
//! and every page still opens.

use http::StatusCode;
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::TestRunner;
use serde_json::{Value, json};

use crate::common::{TestApp, spawn_app, today};

/// How many batches and files each test throws: enough to reach every kind and
/// every field a few dozen times, few enough for the test command.
const BATCHES: usize = 300;
const FILES: usize = 60;

/// Any JSON a client could send in a field's place, the awkward ones weighted up.
fn any_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        prop_oneof![Just(i64::MAX), Just(i64::MIN), Just(-1), Just(0), Just(100_000_000_000_001)].prop_map(Value::from),
        any::<f64>().prop_filter("JSON has no NaN or infinity", |f| f.is_finite()).prop_map(Value::from),
        ".{0,40}".prop_map(Value::from),
        (any::<char>(), 150usize..5000).prop_map(|(c, n)| Value::from(c.to_string().repeat(n))),
        "[0-9]{1,5}-[0-9]{1,2}-[0-9]{1,2}".prop_map(Value::from),
        Just(Value::from(uuid::Uuid::now_v7().to_string())),
    ];
    leaf.prop_recursive(2, 8, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::from),
            prop::collection::btree_map("[a-z_]{1,12}", inner, 0..4).prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// What is done to a well-formed mutation before it is sent.
#[derive(Clone, Debug)]
enum Mangle {
    Keep,
    Replace(usize, Value),
    Drop(usize),
    Add(String, Value),
    Whole(Value),
}

fn mangle() -> impl Strategy<Value = Mangle> {
    prop_oneof![
        1 => Just(Mangle::Keep),
        6 => (any::<usize>(), any_value()).prop_map(|(i, v)| Mangle::Replace(i, v)),
        2 => any::<usize>().prop_map(Mangle::Drop),
        1 => ("[a-z_]{1,12}", any_value()).prop_map(|(k, v)| Mangle::Add(k, v)),
        1 => any_value().prop_map(Mangle::Whole),
    ]
}

fn apply(mut mutation: Value, how: &Mangle) -> Value {
    let keys: Vec<String> = mutation.as_object().map(|o| o.keys().cloned().collect()).unwrap_or_default();
    match how {
        Mangle::Keep => {}
        Mangle::Replace(i, v) => mutation[&keys[i % keys.len()]] = v.clone(),
        Mangle::Drop(i) => {
            mutation.as_object_mut().unwrap().remove(&keys[i % keys.len()]);
        }
        Mangle::Add(k, v) => mutation[k] = v.clone(),
        Mangle::Whole(v) => return v.clone(),
    }
    mutation
}

/// Well-formed mutations of every kind on Anna's own deal and client.
fn templates(deal: &str, client: &str, stage: &str, goal: &str) -> Vec<Value> {
    let id = || uuid::Uuid::now_v7().to_string();
    let today = today().to_string();
    vec![
        json!({ "kind": "set_deal_stage", "deal_id": deal, "stage_id": stage, "loss_reason": "", "seen_stage_id": null }),
        json!({ "kind": "set_deal_amount", "deal_id": deal, "amount": 150_000_00, "seen_amount": null }),
        json!({ "kind": "set_next_step", "deal_id": deal, "next_step": "Позвонить", "due_on": today }),
        json!({ "kind": "log_activity", "deal_id": deal, "activity": "call", "body": "Обсудили сроки" }),
        json!({ "kind": "record_payment", "deal_id": deal, "amount": 10_000_00, "received_on": today, "confirm_lost": false }),
        json!({ "kind": "expect_payment", "deal_id": deal, "amount": 20_000_00, "due_on": today }),
        json!({ "kind": "create_client", "client_id": id(), "name": "ООО Проба", "inn": "", "notes": "", "contact_name": "Иван",
                "contact_position": "", "contact_phone": "+7 900 000-00-00", "contact_email": "" }),
        json!({ "kind": "create_deal", "deal_id": id(), "client_id": client, "title": "Пилот", "amount": 100, "stage_id": stage,
                "expected_close_on": today, "next_step": "", "next_step_due_on": null, "source": "" }),
        json!({ "kind": "log_client_activity", "client_id": client, "activity": "note", "body": "Заметка" }),
        json!({ "kind": "update_client", "client_id": client, "name": "ООО Ромашка", "inn": "", "notes": "Заметки" }),
        json!({ "kind": "save_contact", "client_id": client, "contact_id": id(), "name": "Пётр", "position": "Директор",
                "phone": "", "email": "" }),
        json!({ "kind": "remove_contact", "client_id": client, "contact_id": id() }),
        json!({ "kind": "submit_report", "written_on": today, "done": "Звонки", "plan": "Встречи", "blockers": "" }),
        json!({ "kind": "check_in_goal", "goal_id": goal, "value": 3 }),
    ]
}

/// One generated value from `strategy`, reproducible from the runner's seed.
fn sample<S: Strategy>(runner: &mut TestRunner, strategy: &S) -> S::Value {
    strategy.new_tree(runner).expect("a value").current()
}

async fn rollups_agree(app: &TestApp) {
    for rollup in ["deal_rollup", "received_rollup", "funnel_rollup"] {
        assert_eq!(app.db().rollup_drift(rollup).await, 0, "{rollup} differs from a recount");
    }
}

#[tokio::test]
async fn mangled_mutations_are_answered_one_by_one_and_a_refused_one_changes_nothing() {
    let app = spawn_app().await;
    let anna = app.login("anna@pacer.demo").await;
    let deal = app.db().a_deal_of("anna@pacer.demo", "open").await;
    let client = app.clients_of("anna@pacer.demo").await[0].id.to_string();
    let stage = app.stage_id("proposal").await;
    let goal = uuid::Uuid::now_v7().to_string();
    let mut runner = TestRunner::deterministic();
    let batch = prop::collection::vec((any::<prop::sample::Index>(), mangle()), 1..5);
    let mut sent = Vec::new();
    let mut seen = std::collections::BTreeMap::<String, usize>::new();
    for round in 0..BATCHES {
        let picks = sample(&mut runner, &batch);
        let kinds = templates(&deal, &client, &stage, &goal);
        let mutations: Vec<Value> = picks
            .iter()
            .map(|(pick, how)| {
                let mut m = apply(pick.get(&kinds).clone(), how);
                // A mutation that is still an object gets a readable id, so that it
                // reaches the mutation's own checks; one replaced whole has none, and
                // its batch is refused whole.
                if m.is_object() {
                    m["id"] = json!(uuid::Uuid::now_v7().to_string());
                }
                m
            })
            .collect();
        let before = app.db().department_fingerprint().await;
        let answer = app.push(Some(&anna), json!(mutations)).await;
        assert!(
            [StatusCode::OK, StatusCode::UNPROCESSABLE_ENTITY, StatusCode::BAD_REQUEST].contains(&answer.status),
            "round {round}: {} for {mutations:?}: {}",
            answer.status,
            answer.body
        );
        if answer.status != StatusCode::OK {
            assert_eq!(app.db().department_fingerprint().await, before, "round {round}: a refused batch wrote nothing");
            continue;
        }
        let results = answer.json()["results"].as_array().cloned().unwrap_or_default();
        assert_eq!(results.len(), mutations.len(), "round {round}: one answer per mutation: {}", answer.body);
        let statuses: Vec<&str> = results.iter().map(|r| r["status"].as_str().unwrap_or("?")).collect();
        for status in &statuses {
            assert!(["applied", "rejected", "conflict"].contains(status), "round {round}: {status} in {}", answer.body);
        }
        for status in &statuses {
            *seen.entry(status.to_string()).or_default() += 1;
        }
        if statuses.iter().all(|s| *s != "applied") {
            assert_eq!(app.db().department_fingerprint().await, before, "round {round}: refused mutations wrote nothing: {}", answer.body);
        }
        sent.push((mutations, results));
    }

    // The mangling reaches both sides of the checks, so the assertions above bite.
    assert!(seen.get("applied").copied().unwrap_or(0) >= 30 && seen.get("rejected").copied().unwrap_or(0) >= 100, "{seen:?}");

    // Replayed, every batch is answered from its receipts with what it got the first time.
    let before = app.db().department_fingerprint().await;
    for (mutations, first) in sent.iter().step_by(7) {
        let again = app.push(Some(&anna), json!(mutations)).await;
        assert_eq!(again.status, StatusCode::OK, "{}", again.body);
        for (result, first) in again.json()["results"].as_array().unwrap().iter().zip(first) {
            assert_eq!(result["status"], "duplicate", "{result}");
            let mut first = first.clone();
            first.as_object_mut().unwrap().remove("id");
            assert_eq!(result["first"], first);
        }
    }
    assert_eq!(app.db().department_fingerprint().await, before, "a replay writes nothing");
    rollups_agree(&app).await;
    app.every_page_answers(&deal).await;
}

#[tokio::test]
async fn bodies_that_are_not_a_batch_get_a_clear_refusal() {
    let app = spawn_app().await;
    let anna = app.login("anna@pacer.demo").await;
    let before = app.db().department_fingerprint().await;
    let mut runner = TestRunner::deterministic();
    let body = prop_oneof![
        any_value(),
        any_value().prop_map(|m| json!({ "schema": 1, "mutations": m })),
        (any_value(), prop::collection::vec(any_value(), 0..3)).prop_map(|(s, m)| json!({ "schema": s, "mutations": m })),
    ];
    for round in 0..BATCHES {
        let body = sample(&mut runner, &body);
        let answer = app.push_raw(Some(&anna), body.clone()).await;
        assert!(
            answer.status.is_client_error() || answer.status == StatusCode::OK,
            "round {round}: {} for {body}: {}",
            answer.status,
            answer.body
        );
        if answer.status == StatusCode::OK {
            for result in answer.json()["results"].as_array().unwrap() {
                assert_ne!(result["status"], "applied", "round {round}: {body} applied something: {result}");
            }
        }
    }
    assert_eq!(app.db().department_fingerprint().await, before, "nothing was written");
}

#[tokio::test]
async fn random_tables_to_import_are_previewed_or_refused_and_never_half_imported() {
    let app = spawn_app().await;
    let head = app.login("head@pacer.demo").await;
    let owner = app.user_id("anna@pacer.demo").await;
    let mut runner = TestRunner::deterministic();
    let cell = prop_oneof![
        "[А-Яа-я ]{0,20}",
        "[0-9 ,.]{0,16}",
        "[0-9]{1,4}[./-][0-9]{1,2}[./-][0-9]{1,4}",
        ".{0,30}",
        Just("\"".to_string()),
        Just("999999999999999999999".to_string()),
        (any::<char>(), 150usize..3000).prop_map(|(c, n)| c.to_string().repeat(n)),
    ];
    let headers = prop::sample::subsequence(
        vec!["Компания", "ИНН", "Контакт", "Телефон", "Email", "Сделка", "Сумма", "Этап", "Дата закрытия", "Ответственный", "Источник", "Заметки"],
        1..8,
    );
    let file = (headers, prop::collection::vec(prop::collection::vec(cell, 0..10), 0..12), prop::sample::select(vec![";", ",", "\t"]), any::<bool>());
    for round in 0..FILES {
        let (headers, rows, delimiter, cp1251) = sample(&mut runner, &file);
        let mut text = headers.join(delimiter);
        for row in rows {
            text.push('\n');
            text.push_str(&row.join(delimiter));
        }
        let bytes = if cp1251 { encoding_rs::WINDOWS_1251.encode(&text).0.into_owned() } else { text.into_bytes() };
        let before = app.db().department_fingerprint().await;
        let upload = app.upload_import(&head, &bytes, &owner).await;
        assert!(upload.status.is_redirection() || upload.status.is_client_error(), "round {round}: upload {} {}", upload.status, upload.body);
        let Some(location) = upload.headers.get(http::header::LOCATION) else { continue };
        let preview_page = app.get(location.to_str().unwrap(), Some(&head)).await;
        assert_eq!(preview_page.status, StatusCode::OK, "round {round}: the preview opens");
        let batch = location.to_str().unwrap().rsplit('/').next().unwrap().to_string();
        let run = app.call(<app::api::import::RunImport as leptos::server_fn::ServerFn>::PATH, Some(&head), &[("batch", &batch), ("mapping", "")]).await;
        assert!(run.status == StatusCode::OK || run.status.is_client_error(), "round {round}: import {} {}", run.status, run.body);
        if run.status != StatusCode::OK {
            let after = app.db().department_fingerprint().await;
            assert_eq!(after, before, "round {round}: a refused import wrote nothing");
        }
    }
    rollups_agree(&app).await;
}
