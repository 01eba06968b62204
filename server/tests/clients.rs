//! Clients: search, who sees which client, creating clients and deals.

mod common;

use app::api::clients::{CreateClient, CreateDeal, FindClients, OpenClient};
use app::api::deals::MyDay;
use common::{TestApp, spawn_app};
use http::StatusCode;
use leptos::server_fn::ServerFn;

async fn a_client_of(app: &TestApp, email: &str) -> (String, String, String, String) {
    sqlx::query_as(
        "select c.client_id, c.name, c.inn, ct.phone from client c join app_user u on u.user_id = c.owner_id \
         join contact ct on ct.client_id = c.client_id where u.email = ? order by c.name limit 1",
    )
    .bind(email)
    .fetch_one(app.store.pool())
    .await
    .unwrap()
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
    let deal = app
        .call(
            CreateDeal::PATH,
            Some(&anna),
            &[("client", &dmitry_client), ("title", "Перехват"), ("amount", "1000"), ("stage", "x"), ("expected_close_on", ""), ("next_step", ""), ("next_step_due_on", ""), ("source", "")],
        )
        .await;
    assert_eq!(deal.status, StatusCode::NOT_FOUND);
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
        async move {
            app.call(
                CreateClient::PATH,
                Some(&olga),
                &[("name", "ООО «Звезда»"), ("inn", inn), ("contact_name", "Пётр Зуев"), ("contact_position", "Директор"), ("contact_phone", phone), ("contact_email", "zuev@zvezda.ru"), ("notes", "")],
            )
            .await
        }
    };
    let bad_inn = create("7707083894", "+7 916 000-11-22").await;
    assert_eq!(bad_inn.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad_inn.json()["Invalid"]["field"], "inn");
    let bad_phone = create("", "12-34").await;
    assert_eq!(bad_phone.json()["Invalid"]["field"], "contact_phone");
    let made = create("7707083893", "+7 916 000-11-22").await;
    assert_eq!(made.status, StatusCode::OK, "{}", made.body);
    let client = made.json().as_str().unwrap().to_string();
    assert!(names(&app.call(FindClients::PATH, Some(&olga), &[("query", "ЗВЁЗД")]).await).contains(&"ООО «Звезда»".to_string()), "ё is е");
    assert!(names(&app.call(FindClients::PATH, Some(&olga), &[("query", "ЗВЕЗДА")]).await).contains(&"ООО «Звезда»".to_string()));
    assert!(names(&app.call(FindClients::PATH, Some(&olga), &[("query", "зуев")]).await).contains(&"ООО «Звезда»".to_string()));

    let detail = app.call(OpenClient::PATH, Some(&olga), &[("client", &client)]).await.json();
    let stage = detail["stages"][0]["id"].as_str().unwrap().to_string();
    let no_amount = app
        .call(CreateDeal::PATH, Some(&olga), &[("client", &client), ("title", "Поставка"), ("amount", ""), ("stage", &stage), ("expected_close_on", ""), ("next_step", ""), ("next_step_due_on", ""), ("source", "")])
        .await;
    assert_eq!(no_amount.json()["Invalid"]["field"], "amount");
    let list = app.call(MyDay::PATH, Some(&olga), &[]).await.json();
    let today = list["today"].as_str().unwrap().to_string();
    let deal = app
        .call(
            CreateDeal::PATH,
            Some(&olga),
            &[("client", &client), ("title", "Поставка кабеля"), ("amount", "250 000"), ("stage", &stage), ("expected_close_on", ""), ("next_step", "Позвонить Петру"), ("next_step_due_on", &today), ("source", "Сайт")],
        )
        .await;
    assert_eq!(deal.status, StatusCode::OK, "{}", deal.body);
    let list = app.call(MyDay::PATH, Some(&olga), &[]).await.json();
    let titles: Vec<&str> = list["deals"].as_array().unwrap().iter().map(|d| d["title"].as_str().unwrap()).collect();
    assert!(titles.contains(&"Поставка кабеля"));
    let opened = app.call(OpenClient::PATH, Some(&olga), &[("client", &client)]).await.json();
    assert_eq!(opened["deals"][0]["amount"], 25_000_000);
}

#[tokio::test]
async fn a_manager_keeps_their_clients_details_contacts_and_history_and_nobody_elses() {
    use app::api::clients::{LogClientActivity, RemoveContact, SaveContact, UpdateClient};
    let app = spawn_app().await;
    let anna = app.login("anna@pacer.demo").await;
    let (client, name, inn, _) = a_client_of(&app, "anna@pacer.demo").await;
    // Bad values are refused by field; good ones are saved.
    let bad = app.call(UpdateClient::PATH, Some(&anna), &[("client", &client), ("name", &name), ("inn", "1234567890"), ("notes", "")]).await;
    assert_eq!(bad.json()["Invalid"]["field"], "inn");
    let ok = app.call(UpdateClient::PATH, Some(&anna), &[("client", &client), ("name", &name), ("inn", &inn), ("notes", "Платят в конце месяца")]).await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.body);
    let bad = app.call(SaveContact::PATH, Some(&anna), &[("client", &client), ("name", "Олег"), ("position", ""), ("phone", "12"), ("email", "")]).await;
    assert_eq!(bad.json()["Invalid"]["field"], "phone");
    let empty = app.call(SaveContact::PATH, Some(&anna), &[("client", &client), ("name", " "), ("position", ""), ("phone", ""), ("email", "")]).await;
    assert_eq!(empty.json()["Invalid"]["field"], "name");
    let added = app
        .call(SaveContact::PATH, Some(&anna), &[("client", &client), ("name", "Олег Тихонов"), ("position", "Снабженец"), ("phone", "+7 (903) 555-01-77"), ("email", "")])
        .await;
    assert_eq!(added.status, StatusCode::OK, "{}", added.body);
    // The new contact's phone finds the client at once.
    assert_eq!(names(&app.call(FindClients::PATH, Some(&anna), &[("query", "9035550177")]).await), vec![name.clone()]);
    let logged = app.call(LogClientActivity::PATH, Some(&anna), &[("client", &client), ("activity", "call"), ("body", "Обсудили договор на год")]).await;
    assert_eq!(logged.status, StatusCode::OK, "{}", logged.body);
    let card = app.call(OpenClient::PATH, Some(&anna), &[("client", &client)]).await.json();
    assert_eq!(card["notes"], "Платят в конце месяца");
    assert_eq!(card["activities"][0]["line"]["body"], "Обсудили договор на год");
    assert!(card["activities"][0]["deal"].is_null());
    let contact = card["contacts"].as_array().unwrap().iter().find(|c| c["name"] == "Олег Тихонов").unwrap()["id"].as_str().unwrap().to_string();

    // Dmitry can do none of it to Anna's client, and cannot tell it exists.
    let dmitry = app.login("dmitry@pacer.demo").await;
    for (path, form) in [
        (UpdateClient::PATH, vec![("client", client.as_str()), ("name", "Чужой"), ("inn", ""), ("notes", "")]),
        (SaveContact::PATH, vec![("client", client.as_str()), ("contact", contact.as_str()), ("name", "X"), ("position", ""), ("phone", ""), ("email", "")]),
        (RemoveContact::PATH, vec![("client", client.as_str()), ("contact", contact.as_str())]),
        (LogClientActivity::PATH, vec![("client", client.as_str()), ("activity", "note"), ("body", "Подсмотрел")]),
    ] {
        assert_eq!(app.call(path, Some(&dmitry), &form).await.status, StatusCode::NOT_FOUND, "{path}");
    }
    // Nor through one of his own clients with Anna's contact id.
    let (his, ..) = a_client_of(&app, "dmitry@pacer.demo").await;
    assert_eq!(app.call(RemoveContact::PATH, Some(&dmitry), &[("client", &his), ("contact", &contact)]).await.status, StatusCode::NOT_FOUND);
    assert_eq!(app.call(RemoveContact::PATH, Some(&anna), &[("client", &client), ("contact", &contact)]).await.status, StatusCode::OK);
    assert!(names(&app.call(FindClients::PATH, Some(&anna), &[("query", "9035550177")]).await).is_empty(), "a removed contact no longer finds the client");
}
