//! CSV import and export: real amoCRM- and Bitrix24-style files (Russian headers,
//! Windows-1251, `;`), a broken file that must import nothing, and who may do what.

use crate::common;

use app::api::import::{PreviewImport, RunImport};
use common::{TestApp, spawn_app};
use http::{StatusCode, header};
use leptos::server_fn::ServerFn;

const AMOCRM: &[u8] = include_bytes!("fixtures/amocrm-deals.csv");
const BITRIX24: &[u8] = include_bytes!("fixtures/bitrix24-companies.csv");
const BROKEN: &[u8] = include_bytes!("fixtures/broken.csv");

/// Posts the upload form as a browser does; returns the answer (a redirect).
async fn upload(app: &TestApp, cookie: &str, file: &[u8], owner: &str) -> common::Answer {
    app.upload_import(cookie, file, owner)
    .await
}

fn location(a: &common::Answer) -> String {
    a.headers.get(header::LOCATION).unwrap().to_str().unwrap().to_string()
}

async fn count(app: &TestApp, table: &str) -> i64 {
    app.db().count(table).await
}

async fn batch_of(app: &TestApp, head: &str, file: &[u8], owner: &str) -> String {
    let up = upload(app, head, file, owner).await;
    assert_eq!(up.status, StatusCode::SEE_OTHER, "{}", up.body);
    location(&up).strip_prefix("/import/").unwrap().to_string()
}

#[tokio::test]
async fn an_amocrm_export_in_cp1251_imports_its_clients_and_deals_once() {
    let app = spawn_app().await;
    let head = app.login("head@pacer.demo").await;
    let olga = app.user_id("olga@pacer.demo").await;
    let (clients, deals) = (count(&app, "client").await, count(&app, "deal").await);
    let batch = batch_of(&app, &head, AMOCRM, &olga).await;

    let preview = app.call(PreviewImport::PATH, Some(&head), &[("batch", &batch)]).await;
    assert_eq!(preview.status, StatusCode::OK, "{}", preview.body);
    let preview = preview.json();
    assert_eq!(preview["headers"][1], "Название сделки", "decoded from Windows-1251");
    assert_eq!((preview["clients"].as_i64(), preview["deals"].as_i64()), (Some(4), Some(7)));
    assert!(preview["errors"].as_array().unwrap().is_empty(), "{}", preview["errors"]);
    let mapping = preview["mapping"].as_array().unwrap().iter().map(|f| f.as_str().unwrap_or_default().to_string()).collect::<Vec<_>>().join(",");
    assert!(mapping.starts_with(",deal_title,deal_amount,owner,"), "{mapping}");

    let done = app.call(RunImport::PATH, Some(&head), &[("batch", &batch), ("mapping", &mapping)]).await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    assert_eq!(done.json(), serde_json::json!({ "clients": 4, "deals": 7 }));
    assert_eq!(count(&app, "client").await, clients + 4);
    assert_eq!(count(&app, "deal").await, deals + 7);
    // Owners come from the file's e-mails; the row without one goes to the chosen default.
    let owner_of = |name: &'static str| {
        let app = &app;
        async move { app.db().client_owner_emails(name).await.into_iter().next().unwrap_or_else(|| panic!("no client {name}")) }
    };
    assert_eq!(owner_of("ООО «Вектор»").await, "anna@pacer.demo");
    assert_eq!(owner_of("ООО «Северный ветер»").await, "olga@pacer.demo");
    // A won deal is closed; an amount with kopecks survives.
    let won = app.db().deal_titled("Годовой контракт на сервис").await;
    assert_eq!(won.closed_on.map(|d| d.to_string()).as_deref(), Some("2025-12-25"));
    assert_eq!(won.amount, 78_000_000);
    assert_eq!(app.db().deal_titled("Лицензии 1С на 25 мест").await.amount, 32_000_050);
    // A lost deal keeps the reason from the file; an open one never gets one.
    assert_eq!(app.db().deal_titled("Поставка серверов").await.loss_reason, None);
    assert_eq!(app.db().deal_titled("Шумоизоляция переговорных").await.loss_reason.as_deref(), Some("Выбрали подрядчика дешевле"));
    // The imported clients are found by the search box (here by INN).
    let anna = app.login("anna@pacer.demo").await;
    let found = app.call(app::api::clients::FindClients::PATH, Some(&anna), &[("query", "7728145300")]).await.json();
    assert_eq!(found[0]["name"], "ООО «Вектор»");

    // Twice is refused, and nothing doubles.
    let again = app.call(RunImport::PATH, Some(&head), &[("batch", &batch), ("mapping", &mapping)]).await;
    assert_eq!(again.json()["Invalid"]["msg"], "ErrImportedAlready");
    assert_eq!(count(&app, "deal").await, deals + 7);
    let audited = app.db().audit_log().await.iter().filter(|a| a.entity == "import").count();
    assert_eq!(audited, 1);
}

#[tokio::test]
async fn a_bitrix24_companies_export_imports_clients_with_owners_by_full_name() {
    let app = spawn_app().await;
    let head = app.login("head@pacer.demo").await;
    let anna = app.user_id("anna@pacer.demo").await;
    let batch = batch_of(&app, &head, BITRIX24, &anna).await;
    let preview = app.call(PreviewImport::PATH, Some(&head), &[("batch", &batch)]).await.json();
    assert_eq!((preview["clients"].as_i64(), preview["deals"].as_i64()), (Some(5), Some(0)), "{preview}");
    let mapping = preview["mapping"].as_array().unwrap().iter().map(|f| f.as_str().unwrap_or_default().to_string()).collect::<Vec<_>>().join(",");
    let deals = count(&app, "deal").await;
    assert_eq!(app.call(RunImport::PATH, Some(&head), &[("batch", &batch), ("mapping", &mapping)]).await.json(), serde_json::json!({ "clients": 5, "deals": 0 }));
    assert_eq!(count(&app, "deal").await, deals);
    let mut owners = std::collections::BTreeSet::new();
    for name in ["ООО «Ромашка»", "ИП Соколов А. В.", "ООО «Стройресурс»", "АО «Кубань Агро»", "ООО «Ёлка Девелопмент»"] {
        owners.extend(app.db().client_owner_emails(name).await);
    }
    assert!(owners.len() >= 2, "owners by the file's full names: {owners:?}");
}

#[tokio::test]
async fn a_broken_file_lists_every_failing_row_and_imports_nothing() {
    let app = spawn_app().await;
    let head = app.login("head@pacer.demo").await;
    let anna = app.user_id("anna@pacer.demo").await;
    let batch = batch_of(&app, &head, BROKEN, &anna).await;
    let preview = app.call(PreviewImport::PATH, Some(&head), &[("batch", &batch)]).await.json();
    let errors = preview["errors"].as_array().unwrap();
    let found: Vec<(i64, String)> = errors.iter().map(|e| (e["line"].as_i64().unwrap(), e["reason"].as_str().unwrap().to_string())).collect();
    assert_eq!(
        found,
        vec![(2, "inn_invalid".into()), (3, "stage_unknown".into()), (4, "amount_invalid".into()), (5, "date_invalid".into())]
    );
    let (clients, deals) = (count(&app, "client").await, count(&app, "deal").await);
    let mapping = preview["mapping"].as_array().unwrap().iter().map(|f| f.as_str().unwrap_or_default().to_string()).collect::<Vec<_>>().join(",");
    let refused = app.call(RunImport::PATH, Some(&head), &[("batch", &batch), ("mapping", &mapping)]).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(refused.json()["Invalid"]["msg"], "ErrImportHasErrors");
    assert_eq!((count(&app, "client").await, count(&app, "deal").await), (clients, deals), "nothing half-imported");
    // Leaving the bad columns out of the mapping lets the rest through.
    let mut fields: Vec<String> = mapping.split(',').map(str::to_string).collect();
    for f in fields.iter_mut() {
        if ["inn", "deal_stage", "deal_amount", "deal_close_date"].contains(&f.as_str()) {
            f.clear();
        }
    }
    let relaxed = app.call(PreviewImport::PATH, Some(&head), &[("batch", &batch), ("mapping", &fields.join(","))]).await.json();
    assert!(relaxed["errors"].as_array().unwrap().is_empty(), "{relaxed}");
}

#[tokio::test]
async fn files_that_are_not_tables_go_back_with_a_reason_and_only_the_head_imports() {
    let app = spawn_app().await;
    let head = app.login("head@pacer.demo").await;
    let anna_id = app.user_id("anna@pacer.demo").await;
    assert_eq!(location(&upload(&app, &head, b"", &anna_id).await), "/import?error=no_file");
    assert_eq!(location(&upload(&app, &head, "ИНН;Компания\r\n".as_bytes(), &anna_id).await), "/import?error=no_rows");
    assert_eq!(location(&upload(&app, &head, "Компания;ИНН\r\n\"ООО Ромашка;1\r\n".as_bytes(), &anna_id).await), "/import?error=quote&line=2");
    let head_id = app.user_id("head@pacer.demo").await;
    assert_eq!(location(&upload(&app, &head, AMOCRM, &head_id).await), "/import?error=owner", "the default owner is a manager");
    let anna = app.login("anna@pacer.demo").await;
    assert_eq!(upload(&app, &anna, AMOCRM, &anna_id).await.status, StatusCode::FORBIDDEN);
    let batch = batch_of(&app, &head, AMOCRM, &anna_id).await;
    assert_eq!(app.call(PreviewImport::PATH, Some(&anna), &[("batch", &batch)]).await.status, StatusCode::FORBIDDEN);
    assert_eq!(app.call(RunImport::PATH, Some(&anna), &[("batch", &batch), ("mapping", "")]).await.status, StatusCode::FORBIDDEN);
    assert_eq!(app.call(PreviewImport::PATH, Some(&head), &[("batch", "not-a-batch")]).await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn exports_hold_exactly_the_rows_the_viewer_may_see() {
    let app = spawn_app().await;
    let get_csv = |cookie: Option<String>, path: &'static str| {
        let app = &app;
        async move { app.get(path, cookie.as_deref()).await }
    };
    assert_eq!(get_csv(None, "/api/export/deals.csv").await.status, StatusCode::UNAUTHORIZED);
    let anna = app.login("anna@pacer.demo").await;
    let mine = get_csv(Some(anna.clone()), "/api/export/deals.csv").await;
    assert_eq!(mine.status, StatusCode::OK);
    assert!(mine.headers[header::CONTENT_DISPOSITION].to_str().unwrap().starts_with("attachment; filename=\"deals-"));
    let text = mine.body.trim_start_matches('\u{feff}');
    let mut lines = text.lines();
    assert_eq!(lines.next().unwrap(), "Компания;Название сделки;Бюджет;Этап сделки;Ответственный;Следующий шаг;Срок");
    let rows: Vec<&str> = lines.collect();
    let open = app.open_deals_of("anna@pacer.demo").await.len();
    assert_eq!(rows.len(), open);
    assert!(rows.iter().all(|r| r.contains(";Анна Смирнова;")), "only Anna's deals");
    // Asking for another manager's list changes nothing for a manager.
    let dmitry = app.user_id("dmitry@pacer.demo").await;
    let path: &'static str = Box::leak(format!("/api/export/deals.csv?manager={dmitry}").into_boxed_str());
    assert_eq!(get_csv(Some(anna.clone()), path).await.body, mine.body);
    // The head gets Dmitry's when asking for him.
    let head = app.login("head@pacer.demo").await;
    let his = get_csv(Some(head.clone()), path).await.body;
    assert!(his.lines().skip(1).all(|r| r.contains(";Дмитрий Козлов;")));
    assert!(his.lines().count() > 1);
    // Clients: a search's rows, and the head's whole department without one.
    let all = get_csv(Some(head), "/api/export/clients.csv").await.body;
    assert_eq!(all.lines().count() as i64 - 1, count(&app, "client").await);
    let found = get_csv(Some(anna), "/api/export/clients.csv?query=%D0%BE%D0%BE%D0%BE").await.body;
    assert!(found.lines().skip(1).all(|r| r.contains(";Анна Смирнова;")));
}
