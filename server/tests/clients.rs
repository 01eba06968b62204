//! Clients: search, who sees which client, creating clients and deals.

use crate::common;

use app::api::clients::{FindClients, OpenClient};
use app::api::deals::MyDay;
use common::{TestApp, applied, invalid, rejected, spawn_app};
use http::StatusCode;
use leptos::server_fn::ServerFn;
use serde_json::{Value, json};

fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

/// The user's first client by name: its id, name, INN and phone.
async fn a_client_of(app: &TestApp, email: &str) -> (String, String, String, String) {
    let client = app.clients_of(email).await.into_iter().next().unwrap();
    (client.id.to_string(), client.name, client.inn.unwrap(), client.phone)
}

fn names(answer: &common::Answer) -> Vec<String> {
    answer.json().as_array().unwrap().iter().map(|c| c["name"].as_str().unwrap().to_string()).collect()
}

#[tokio::test]
async fn search_finds_a_client_by_any_case_name_inn_and_phone_digits() {
    let app = spawn_app().await;
    let anna = app.login("anna@pacer.demo").await;
    let (_, name, inn, phone) = a_client_of(&app, "anna@pacer.demo").await;
    // "ООО «Вектор»" → "вектор": a Cyrillic word typed in lower case.
    let word = name.split(['«', '»']).nth(1).unwrap().to_lowercase();
    for query in [word.as_str(), &inn[..6], &phone.chars().filter(char::is_ascii_digit).collect::<String>()[1..8]] {
        let found = app.call(FindClients::PATH, Some(&anna), &[("query", query)]).await;
        assert_eq!(found.status, StatusCode::OK);
        assert!(names(&found).contains(&name), "{query:?} did not find {name}");
    }
    let nothing = app.call(FindClients::PATH, Some(&anna), &[("query", "несуществующая компания")]).await;
    assert!(names(&nothing).is_empty());
}

#[tokio::test]
async fn a_manager_never_finds_or_opens_another_managers_client() {
    let app = spawn_app().await;
    let anna = app.login("anna@pacer.demo").await;
    let (dmitry_client, dmitry_name, dmitry_inn, _) = a_client_of(&app, "dmitry@pacer.demo").await;
    assert!(!names(&app.call(FindClients::PATH, Some(&anna), &[("query", "")]).await).contains(&dmitry_name));
    assert!(names(&app.call(FindClients::PATH, Some(&anna), &[("query", &dmitry_inn)]).await).is_empty());
    assert_eq!(app.call(OpenClient::PATH, Some(&anna), &[("client", &dmitry_client)]).await.status, StatusCode::NOT_FOUND);
    let deal = new_id();
    let made = app
        .change(
            &anna,
            json!({ "kind": "create_deal", "deal_id": deal, "client_id": dmitry_client, "title": "Перехват", "amount": 100_000, "stage_id": "x",
                    "expected_close_on": null, "next_step": "", "next_step_due_on": null, "source": "" }),
        )
        .await;
    assert_eq!(rejected(&made).0, "not_found");
    // The head sees both.
    let head = app.login("head@pacer.demo").await;
    assert!(names(&app.call(FindClients::PATH, Some(&head), &[("query", &dmitry_inn)]).await).contains(&dmitry_name));
}

#[tokio::test]
async fn a_new_client_is_checked_then_found_and_its_new_deal_lands_in_my_day() {
    let app = spawn_app().await;
    let olga = app.login("olga@pacer.demo").await;
    let create = |inn: &'static str, phone: &'static str| {
        let app = &app;
        let olga = olga.clone();
        // The device makes the new client's id.
        let client = new_id();
        let change = json!({
            "kind": "create_client", "client_id": client, "name": "ООО «Звезда»", "inn": inn, "contact_name": "Пётр Зуев",
            "contact_position": "Директор", "contact_phone": phone, "contact_email": "zuev@zvezda.ru", "notes": "",
        });
        async move { (client, app.change(&olga, change).await) }
    };
    let (_, bad_inn) = create("7707083894", "+7 916 000-11-22").await;
    assert_eq!(invalid(&bad_inn).0, "inn");
    let (_, bad_phone) = create("", "12-34").await;
    assert_eq!(invalid(&bad_phone).0, "contact_phone");
    let (client, made) = create("7707083893", "+7 916 000-11-22").await;
    applied(&made);
    assert!(names(&app.call(FindClients::PATH, Some(&olga), &[("query", "ЗВЁЗД")]).await).contains(&"ООО «Звезда»".to_string()), "ё is е");
    assert!(names(&app.call(FindClients::PATH, Some(&olga), &[("query", "ЗВЕЗДА")]).await).contains(&"ООО «Звезда»".to_string()));
    assert!(names(&app.call(FindClients::PATH, Some(&olga), &[("query", "зуев")]).await).contains(&"ООО «Звезда»".to_string()));

    let detail = app.call(OpenClient::PATH, Some(&olga), &[("client", &client)]).await.json();
    let stage = detail["stages"][0]["id"].as_str().unwrap().to_string();
    let new_deal = |title: &str, amount: Value, next_step: &str, due: Option<&str>, source: &str| {
        json!({ "kind": "create_deal", "deal_id": new_id(), "client_id": client, "title": title, "amount": amount, "stage_id": stage,
                "expected_close_on": null, "next_step": next_step, "next_step_due_on": due, "source": source })
    };
    // An amount typed as nothing is read on the device; the protocol gets no kopecks and refuses the mutation.
    let no_amount = app.change(&olga, new_deal("Поставка", json!(""), "", None, "")).await;
    assert_eq!(rejected(&no_amount), ("malformed", "", "ErrSyncMalformed"));
    let list = app.call(MyDay::PATH, Some(&olga), &[]).await.json();
    let today = list["today"].as_str().unwrap().to_string();
    // 250 000 ₽ in kopecks.
    applied(&app.change(&olga, new_deal("Поставка кабеля", json!(25_000_000), "Позвонить Петру", Some(today.as_str()), "Сайт")).await);
    let list = app.call(MyDay::PATH, Some(&olga), &[]).await.json();
    let titles: Vec<&str> = list["deals"].as_array().unwrap().iter().map(|d| d["title"].as_str().unwrap()).collect();
    assert!(titles.contains(&"Поставка кабеля"));
    let opened = app.call(OpenClient::PATH, Some(&olga), &[("client", &client)]).await.json();
    assert_eq!(opened["deals"][0]["amount"], 25_000_000);
}

#[tokio::test]
async fn a_manager_keeps_their_clients_details_contacts_and_history_and_nobody_elses() {
    let app = spawn_app().await;
    let anna = app.login("anna@pacer.demo").await;
    let (client, name, inn, _) = a_client_of(&app, "anna@pacer.demo").await;
    // Bad values are refused by field; good ones are saved.
    let bad = app.change(&anna, json!({ "kind": "update_client", "client_id": client, "name": name, "inn": "1234567890", "notes": "" })).await;
    assert_eq!(invalid(&bad).0, "inn");
    applied(&app.change(&anna, json!({ "kind": "update_client", "client_id": client, "name": name, "inn": inn, "notes": "Платят в конце месяца" })).await);
    // A contact id the device has just made adds a contact.
    let contact = |name: &str, position: &str, phone: &str| {
        json!({ "kind": "save_contact", "client_id": client, "contact_id": new_id(), "name": name, "position": position, "phone": phone, "email": "" })
    };
    let bad = app.change(&anna, contact("Олег", "", "12")).await;
    assert_eq!(invalid(&bad).0, "phone");
    let empty = app.change(&anna, contact(" ", "", "")).await;
    assert_eq!(invalid(&empty).0, "name");
    let added = contact("Олег Тихонов", "Снабженец", "+7 (903) 555-01-77");
    applied(&app.change(&anna, added.clone()).await);
    // The new contact's phone finds the client at once.
    assert_eq!(names(&app.call(FindClients::PATH, Some(&anna), &[("query", "9035550177")]).await), vec![name.clone()]);
    applied(&app.change(&anna, json!({ "kind": "log_client_activity", "client_id": client, "activity": "call", "body": "Обсудили договор на год" })).await);
    let card = app.call(OpenClient::PATH, Some(&anna), &[("client", &client)]).await.json();
    assert_eq!(card["notes"], "Платят в конце месяца");
    assert_eq!(card["activities"][0]["line"]["body"], "Обсудили договор на год");
    assert!(card["activities"][0]["deal"].is_null());
    let contact = card["contacts"].as_array().unwrap().iter().find(|c| c["name"] == "Олег Тихонов").unwrap()["id"].as_str().unwrap().to_string();
    assert_eq!(json!(contact), added["contact_id"], "the contact keeps the id the device made");

    // Dmitry can do none of it to Anna's client, and cannot tell it exists.
    let dmitry = app.login("dmitry@pacer.demo").await;
    for change in [
        json!({ "kind": "update_client", "client_id": client, "name": "Чужой", "inn": "", "notes": "" }),
        json!({ "kind": "save_contact", "client_id": client, "contact_id": contact, "name": "X", "position": "", "phone": "", "email": "" }),
        json!({ "kind": "remove_contact", "client_id": client, "contact_id": contact }),
        json!({ "kind": "log_client_activity", "client_id": client, "activity": "note", "body": "Подсмотрел" }),
    ] {
        let answer = app.change(&dmitry, change.clone()).await;
        assert_eq!(rejected(&answer).0, "not_found", "{change}");
    }
    // Nor through one of his own clients with Anna's contact id.
    let (his, ..) = a_client_of(&app, "dmitry@pacer.demo").await;
    let through_his = app.change(&dmitry, json!({ "kind": "remove_contact", "client_id": his, "contact_id": contact })).await;
    assert_eq!(rejected(&through_his).0, "not_found");
    applied(&app.change(&anna, json!({ "kind": "remove_contact", "client_id": client, "contact_id": contact })).await);
    assert!(names(&app.call(FindClients::PATH, Some(&anna), &[("query", "9035550177")]).await).is_empty(), "a removed contact no longer finds the client");
}
