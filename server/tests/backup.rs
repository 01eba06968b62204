//! `pacer backup` and `pacer restore` on a database Pacer is writing to: a backup
//! holds whole pushes only, a restore puts back exactly what the backup holds and
//! keeps what it replaced.

use crate::common;

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use app::domain::Money;
use app::store::prelude::*;
use app::store::{Holdings, Schema, Store};
use common::{Db, TestApp, push_request, spawn_app};
use http::StatusCode;
use serde_json::json;
use server::backup;

/// Pushes each writer sends; a backup is taken while they go on.
const BATCHES: usize = 25;

/// One push: a new client, a deal for it and a payment received on the deal, which
/// the database keeps together or not at all.
#[derive(Clone, Debug)]
struct Batch {
    mutations: [String; 3],
    client: String,
    deal: String,
    amount: i64,
    paid: i64,
}

impl Batch {
    /// The `n`th push of writer `writer`; amounts differ from push to push.
    fn new(writer: usize, n: usize) -> Batch {
        let id = || uuid::Uuid::now_v7().to_string();
        let amount = 1_000_00 * (writer as i64 * 100 + n as i64 + 1);
        Batch { mutations: [id(), id(), id()], client: id(), deal: id(), amount, paid: amount / 4 }
    }

    fn body(&self, stage: &str) -> String {
        let [m1, m2, m3] = &self.mutations;
        let (client, deal) = (&self.client, &self.deal);
        json!({ "schema": 1, "mutations": [
            { "id": m1, "kind": "create_client", "client_id": client, "name": format!("ООО Резерв {client}") },
            { "id": m2, "kind": "create_deal", "deal_id": deal, "client_id": client, "title": "Копия", "amount": self.amount, "stage_id": stage },
            { "id": m3, "kind": "record_payment", "deal_id": deal, "amount": self.paid, "received_on": common::today() },
        ]})
        .to_string()
    }

    /// How many of its mutations `receipts` holds.
    fn kept_in(&self, receipts: &HashSet<String>) -> usize {
        self.mutations.iter().filter(|m| receipts.contains(*m)).count()
    }
}

/// A manager pushing `BATCHES` batches one after another, counting those done.
fn start_writer(app: &TestApp, cookie: String, stage: String, writer: usize, done: Arc<AtomicUsize>) -> tokio::task::JoinHandle<Vec<Batch>> {
    let router = app.router.clone();
    tokio::spawn(async move {
        let mut sent = Vec::new();
        for n in 0..BATCHES {
            let batch = Batch::new(writer, n);
            let answer = common::send(&router, push_request(Some(&cookie), batch.body(&stage))).await;
            assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
            for result in answer.json()["results"].as_array().unwrap() {
                common::applied(result);
            }
            sent.push(batch);
            done.fetch_add(1, Ordering::SeqCst);
        }
        sent
    })
}

/// `base` with `batches` added.
fn plus(base: Holdings, batches: &[&Batch]) -> Holdings {
    let n = batches.len() as i64;
    let sum = |f: fn(&Batch) -> i64| Money::from_kopecks(batches.iter().map(|b| f(b)).sum());
    Holdings {
        clients: base.clients + n,
        deals: base.deals + n,
        payments: base.payments + n,
        deal_amounts: base.deal_amounts + sum(|b| b.amount),
        received: base.received + sum(|b| b.paid),
        expected: base.expected,
    }
}

fn database(app: &TestApp) -> PathBuf {
    app.dir.path().join("pacer.db")
}

/// The database file at `path`, opened read-only.
async fn open(path: &Path) -> Store {
    Store::open_existing(path, true).await.unwrap()
}

/// What a copy holds, checked three ways: sound, its figures as the store counts them
/// equal to a recount row by row, and its rollups equal to their rows.
async fn sound_holdings(path: &Path) -> Holdings {
    let store = open(path).await;
    assert_eq!(store.integrity_problems().await.unwrap(), Vec::<String>::new());
    assert_eq!(store.schema().await.unwrap(), Schema::Current);
    let h = store.holdings().await.unwrap();
    let db = Db(&store);
    let counted = (h.clients, h.deals, h.payments, h.deal_amounts.kopecks(), h.received.kopecks(), h.expected.kopecks());
    assert_eq!(db.recount().await, counted, "{}", path.display());
    for rollup in ["deal_rollup", "received_rollup", "funnel_rollup"] {
        assert_eq!(db.rollup_drift(rollup).await, 0, "{rollup} in {}", path.display());
    }
    store.close().await;
    h
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_taken_while_managers_push_holds_whole_pushes_and_restores_exactly() {
    let app = spawn_app().await;
    let before = app.store.holdings().await.unwrap();
    let stage = app.stage_id("new").await;
    let done = Arc::new(AtomicUsize::new(0));
    let mut writers = Vec::new();
    for (n, email) in ["anna@pacer.demo", "dmitry@pacer.demo"].into_iter().enumerate() {
        writers.push(start_writer(&app, app.login(email).await, stage.clone(), n, done.clone()));
    }

    // Backups while both write: each waits for a few more pushes to be done.
    let mut midway = Vec::new();
    for n in 0..4 {
        while done.load(Ordering::SeqCst) < 3 + n * 4 {
            tokio::time::sleep(std::time::Duration::from_millis(2)).await;
        }
        let file = app.dir.path().join(format!("midway-{n}.db"));
        backup::backup(&database(&app), &file).await.unwrap();
        midway.push(file);
    }
    let mut sent = Vec::new();
    for writer in writers {
        sent.push(writer.await.unwrap());
    }
    assert_eq!(done.load(Ordering::SeqCst), 2 * BATCHES);

    let mut partial = 0;
    for file in &midway {
        let held = sound_holdings(file).await;
        let store = open(file).await;
        let receipts = Db(&store).mutation_receipts().await;
        store.close().await;
        // Each push is in the copy whole or not at all, and each writer's pushes that
        // are in it are the first ones it sent.
        let mut kept = Vec::new();
        for batches in &sent {
            let whole: Vec<bool> = batches
                .iter()
                .map(|b| {
                    let n = b.kept_in(&receipts);
                    assert!(n == 0 || n == 3, "a push split by the backup in {}", file.display());
                    n == 3
                })
                .collect();
            let prefix = whole.iter().take_while(|w| **w).count();
            assert!(whole[prefix..].iter().all(|w| !w), "pushes kept out of order in {}", file.display());
            kept.extend(&batches[..prefix]);
        }
        partial += usize::from(kept.len() < 2 * BATCHES);
        assert_eq!(held, plus(before, &kept), "{}", file.display());

        // Restored into a new database, the backup gives back exactly what it holds.
        let restored_at = app.dir.path().join(format!("restored-{}", file.file_name().unwrap().to_string_lossy()));
        let restored = backup::restore(file, &restored_at, chrono::Utc::now()).await.unwrap();
        assert_eq!(restored.kept, None, "there was nothing to keep");
        assert_eq!(restored.report.holdings, held);
        assert_eq!(sound_holdings(&restored_at).await, held);
    }

    assert!(partial > 0, "some backups were taken while pushes went on");

    // Taken after the writers stopped, a backup holds everything the live database does.
    let after = app.dir.path().join("after.db");
    let report = backup::backup(&database(&app), &after).await.unwrap();
    let live = app.store.holdings().await.unwrap();
    assert_eq!(live, plus(before, &sent.iter().flatten().collect::<Vec<_>>()));
    assert_eq!(report.holdings, live);
    assert_eq!(report.bytes, std::fs::metadata(&after).unwrap().len());
    assert_eq!(sound_holdings(&after).await, live);
}

#[tokio::test]
async fn a_backup_never_overwrites_a_file() {
    let app = spawn_app().await;
    let file = app.dir.path().join("taken.db");
    std::fs::write(&file, "a file someone keeps").unwrap();
    let refused = backup::backup(&database(&app), &file).await.unwrap_err();
    assert!(refused.to_string().contains("already exists"), "{refused:#}");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "a file someone keeps");
}

#[tokio::test]
async fn a_restore_refuses_a_database_in_use_and_keeps_the_one_it_replaces() {
    let app = spawn_app().await;
    let file = app.dir.path().join("monday.db");
    let monday = backup::backup(&database(&app), &file).await.unwrap().holdings;
    let anna = app.login("anna@pacer.demo").await;
    let stage = app.stage_id("new").await;
    let answer = app.send(push_request(Some(&anna), Batch::new(0, 0).body(&stage))).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    let tuesday = app.store.holdings().await.unwrap();
    assert_ne!(tuesday, monday);

    // Pacer still has the database open.
    let refused = backup::restore(&file, &database(&app), chrono::Utc::now()).await.unwrap_err();
    assert!(refused.to_string().contains("stop Pacer first"), "{refused:#}");
    assert_eq!(app.store.holdings().await.unwrap(), tuesday, "the database in use is untouched");

    app.store.close().await;
    let at = chrono::DateTime::parse_from_rfc3339("2026-03-02T09:30:00Z").unwrap().to_utc();
    let restored = backup::restore(&file, &database(&app), at).await.unwrap();
    let kept = restored.kept.expect("the replaced database is kept");
    assert_eq!(kept, app.dir.path().join("pacer.db.before-restore-20260302-093000"));
    assert_eq!(restored.report.holdings, monday);
    assert_eq!(sound_holdings(&kept).await, tuesday);
    // Pacer opens the restored database as usual.
    let reopened = Store::open(&app.url).await.unwrap();
    assert_eq!(reopened.holdings().await.unwrap(), monday);
    reopened.close().await;
}

#[tokio::test]
async fn a_restore_refuses_what_is_not_a_pacer_database_this_build_can_take() {
    let app = spawn_app().await;
    let target = app.dir.path().join("target.db");
    let refuse = |from: PathBuf, why: &'static str| {
        let target = target.clone();
        async move {
            let refused = backup::restore(&from, &target, chrono::Utc::now()).await.unwrap_err();
            assert!(format!("{refused:#}").contains(why), "{}: {refused:#}", from.display());
            assert!(!target.exists(), "nothing was put in place");
        }
    };

    let text = app.dir.path().join("notes.db");
    std::fs::write(&text, "not a database at all, just some notes").unwrap();
    refuse(text, "not a database").await;

    let other = app.dir.path().join("other.db");
    let foreign = Store::open(&format!("sqlite://{}", other.display())).await.unwrap();
    Db(&foreign).forget_migrations().await;
    foreign.close().await;
    refuse(other, "not a Pacer database").await;

    let newer = app.dir.path().join("newer.db");
    backup::backup(&database(&app), &newer).await.unwrap();
    let store = Store::open_existing(&newer, false).await.unwrap();
    Db(&store).record_a_newer_migration().await;
    store.close().await;
    refuse(newer, "newer Pacer").await;

    refuse(app.dir.path().join("missing.db"), "not a file").await;
}
