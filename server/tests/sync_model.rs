//! The sync protocol against a model: two managers and their head queue changes on
//! shared deals, send them in batches, lose responses and retry, replay old
//! mutations, pull, and have deals handed between them, in random interleavings.
//! Every answer must be the one the model predicts: each acknowledged mutation
//! applied exactly once, a conflict exactly when the policy says, and a pull never
//! showing a manager anything that is not theirs.

use crate::common;

use std::collections::{HashMap, VecDeque};

use common::{TestApp, spawn_app};
use proptest::prelude::*;
use serde_json::{Value, json};
use app::store::prelude::*;

const PEOPLE: [&str; 3] = ["anna@pacer.demo", "dmitry@pacer.demo", "head@pacer.demo"];
const HEAD: usize = 2;
const STAGES: [&str; 5] = ["new", "qualified", "proposal", "negotiation", "invoice"];
const AMOUNTS: [i64; 3] = [100_000_00, 200_000_00, 300_000_00];

#[derive(Clone, Debug)]
enum What {
    Note,
    Payment,
    Stage(usize),
    Amount(usize),
}

#[derive(Clone, Debug)]
enum Op {
    /// Someone makes a change on their device (it waits in their outbox).
    Queue { who: usize, deal: usize, what: What },
    /// Their device sends the first `n` waiting changes; `lost` drops the response.
    Send { who: usize, n: usize, lost: bool },
    /// A change already answered is sent again (an old tab, a retry after a crash).
    Replay { who: usize },
    Pull { who: usize },
    /// The head hands a deal to the other manager.
    HandOver { deal: usize },
}

fn op() -> impl Strategy<Value = Op> {
    let what = prop_oneof![Just(What::Note), Just(What::Payment), (0..STAGES.len()).prop_map(What::Stage), (0..AMOUNTS.len()).prop_map(What::Amount)];
    prop_oneof![
        4 => (0..3usize, 0..3usize, what).prop_map(|(who, deal, what)| Op::Queue { who, deal, what }),
        3 => (0..3usize, 1..4usize, proptest::bool::weighted(0.3)).prop_map(|(who, n, lost)| Op::Send { who, n, lost }),
        1 => (0..3usize).prop_map(|who| Op::Replay { who }),
        1 => (0..3usize).prop_map(|who| Op::Pull { who }),
        1 => (0..3usize).prop_map(|deal| Op::HandOver { deal }),
    ]
}

#[derive(Clone, Debug, PartialEq)]
struct Deal {
    id: String,
    owner: usize,
    stage: String,
    amount: i64,
}

/// What the server should answer the first time it sees a mutation.
#[derive(Clone, Debug, PartialEq)]
enum Expect {
    Applied,
    Conflict(Value),
    NotFound,
}

struct Queued {
    id: String,
    body: Value,
    deal: usize,
    what: What,
    /// For stage and amount: the target value.
    target: Value,
}

struct Device {
    cookie: String,
    outbox: VecDeque<Queued>,
    answered: Vec<Queued>,
    /// The stage and amount this device last saw per deal.
    seen: HashMap<usize, (String, i64)>,
}

struct World {
    app: TestApp,
    stages: Vec<String>,
    users: Vec<String>,
    deals: Vec<Deal>,
    devices: Vec<Device>,
    /// The first answer per mutation id, as the model predicted it.
    first: HashMap<String, Expect>,
    /// Notes and payments queued, by the value that identifies them, with their fate.
    appended: Vec<(usize, &'static str, String, String)>,
    counter: i64,
}

/// The deal's owner, stage and amount, as its card shows them.
async fn deal_row(app: &TestApp, id: &str) -> (String, String, i64) {
    let card = app.deal(id).await.card;
    (card.owner_id.to_string(), card.stage.id, card.amount.kopecks())
}

async fn setup() -> World {
    let app = spawn_app().await;
    let mut stages = Vec::new();
    for code in STAGES {
        stages.push(app.stage_id(code).await);
    }
    let mut users = Vec::new();
    let mut devices = Vec::new();
    for email in PEOPLE {
        users.push(app.user_id(email).await);
        devices.push(Device { cookie: app.login(email).await, outbox: VecDeque::new(), answered: Vec::new(), seen: HashMap::new() });
    }
    // Two of Anna's open deals and one of Dmitry's.
    let mut deals = Vec::new();
    for (owner, n) in [(0usize, 2usize), (1, 1)] {
        let ids = app.open_deals_of(PEOPLE[owner]).await;
        for id in ids.into_iter().take(n) {
            let (_, stage, amount) = deal_row(&app, &id).await;
            deals.push(Deal { id, owner, stage, amount });
        }
    }
    // Everyone starts from what the server had: as after a first pull.
    for device in &mut devices {
        for (i, d) in deals.iter().enumerate() {
            device.seen.insert(i, (d.stage.clone(), d.amount));
        }
    }
    World { app, stages, users, deals, devices, first: HashMap::new(), appended: Vec::new(), counter: 0 }
}

impl World {
    fn queue(&mut self, who: usize, deal: usize, what: What) {
        let id = uuid::Uuid::now_v7().to_string();
        let d = &self.deals[deal];
        let (seen_stage, seen_amount) = self.devices[who].seen[&deal].clone();
        self.counter += 1;
        let (body, target) = match &what {
            What::Note => {
                let text = format!("note {id}");
                self.appended.push((deal, "note", id.clone(), text.clone()));
                (json!({ "id": id, "kind": "log_activity", "deal_id": d.id, "activity": "note", "body": text }), Value::Null)
            }
            What::Payment => {
                // Each payment's amount is unique, so the database shows how often it landed.
                let amount = 10_000 + self.counter;
                self.appended.push((deal, "payment", id.clone(), amount.to_string()));
                (json!({ "id": id, "kind": "record_payment", "deal_id": d.id, "amount": amount, "received_on": "2026-01-05" }), Value::Null)
            }
            What::Stage(s) => {
                let stage = self.stages[*s].clone();
                (json!({ "id": id, "kind": "set_deal_stage", "deal_id": d.id, "stage_id": stage, "seen_stage_id": seen_stage }), json!(stage))
            }
            What::Amount(a) => (
                json!({ "id": id, "kind": "set_deal_amount", "deal_id": d.id, "amount": AMOUNTS[*a], "seen_amount": seen_amount }),
                json!(AMOUNTS[*a]),
            ),
        };
        self.devices[who].outbox.push_back(Queued { id, body, deal, what, target });
    }

    /// The model's answer for a mutation the server sees for the first time; applies it.
    fn decide(&mut self, who: usize, q: &Queued) -> Expect {
        let deal = &mut self.deals[q.deal];
        if who != HEAD && deal.owner != who {
            return Expect::NotFound;
        }
        let seen = &q.body;
        match q.what {
            What::Note | What::Payment => Expect::Applied,
            What::Stage(_) => {
                let target = q.target.as_str().unwrap();
                if deal.stage == target {
                    Expect::Applied
                } else if deal.stage != seen["seen_stage_id"].as_str().unwrap() {
                    Expect::Conflict(json!(deal.stage))
                } else {
                    deal.stage = target.to_string();
                    Expect::Applied
                }
            }
            What::Amount(_) => {
                let target = q.target.as_i64().unwrap();
                if deal.amount == target {
                    Expect::Applied
                } else if deal.amount != seen["seen_amount"].as_i64().unwrap() {
                    Expect::Conflict(json!(deal.amount))
                } else {
                    deal.amount = target;
                    Expect::Applied
                }
            }
        }
    }

    fn check(expect: &Expect, answer: &Value) {
        match expect {
            Expect::Applied => assert_eq!(answer["status"], "applied", "{answer}"),
            Expect::Conflict(theirs) => {
                assert_eq!(answer["status"], "conflict", "{answer}");
                assert_eq!(&answer["theirs"], theirs, "{answer}");
            }
            Expect::NotFound => {
                assert_eq!(answer["status"], "rejected", "{answer}");
                assert_eq!(answer["reason"], "not_found", "{answer}");
            }
        }
    }

    async fn send(&mut self, who: usize, n: usize, lost: bool) {
        let n = n.min(self.devices[who].outbox.len());
        if n == 0 {
            return;
        }
        let batch: Vec<Value> = self.devices[who].outbox.iter().take(n).map(|q| q.body.clone()).collect();
        let res = self.app.push(Some(&self.devices[who].cookie), json!(batch)).await;
        assert_eq!(res.status, http::StatusCode::OK, "{}", res.body);
        let results = res.json()["results"].as_array().unwrap().clone();
        assert_eq!(results.len(), n);
        for (i, answer) in results.iter().enumerate() {
            let q = &self.devices[who].outbox[i];
            assert_eq!(answer["id"], json!(q.id));
            match self.first.get(&q.id).cloned() {
                // Sent before and its answer lost: the first answer again, nothing redone.
                Some(expect) => {
                    assert_eq!(answer["status"], "duplicate", "{answer}");
                    Self::check(&expect, &answer["first"]);
                }
                None => {
                    let q = Queued { id: q.id.clone(), body: q.body.clone(), deal: q.deal, what: q.what.clone(), target: q.target.clone() };
                    let expect = self.decide(who, &q);
                    Self::check(&expect, answer);
                    self.first.insert(q.id.clone(), expect);
                }
            }
        }
        if lost {
            return;
        }
        for _ in 0..n {
            let q = self.devices[who].outbox.pop_front().unwrap();
            // The device learns the server's value from its own change or the conflict.
            let seen = self.devices[who].seen.get_mut(&q.deal).unwrap();
            match (&q.what, &self.first[&q.id]) {
                (What::Stage(_), Expect::Applied) => seen.0 = q.target.as_str().unwrap().to_string(),
                (What::Stage(_), Expect::Conflict(theirs)) => seen.0 = theirs.as_str().unwrap().to_string(),
                (What::Amount(_), Expect::Applied) => seen.1 = q.target.as_i64().unwrap(),
                (What::Amount(_), Expect::Conflict(theirs)) => seen.1 = theirs.as_i64().unwrap(),
                _ => {}
            }
            self.devices[who].answered.push(q);
        }
    }

    async fn replay(&mut self, who: usize) {
        let Some(q) = self.devices[who].answered.last() else { return };
        let res = self.app.push(Some(&self.devices[who].cookie), json!([q.body.clone()])).await;
        let answer = &res.json()["results"][0];
        assert_eq!(answer["status"], "duplicate", "{answer}");
        Self::check(&self.first[&q.id], &answer["first"]);
    }

    async fn pull(&mut self, who: usize) {
        let mut cursor = "0".to_string();
        let mut rows: HashMap<String, Value> = HashMap::new();
        loop {
            let page = self.app.pull(Some(&self.devices[who].cookie), &cursor).await.json();
            for c in page["changes"].as_array().unwrap() {
                if c["entity"] == "deal" {
                    rows.insert(c["id"].as_str().unwrap().to_string(), c.clone());
                }
                if who != HEAD && c["deleted"] == false {
                    let owner = if c["entity"] == "deal" || c["entity"] == "client" { &c["row"]["owner_id"] } else { &c["row"]["user_id"] };
                    assert_eq!(owner, &json!(self.users[who]), "a manager pulled someone else's row: {c}");
                }
            }
            cursor = page["cursor"].as_str().unwrap().to_string();
            if page["more"] == false {
                break;
            }
        }
        for (i, deal) in self.deals.iter().enumerate() {
            let visible = who == HEAD || deal.owner == who;
            match rows.get(&deal.id) {
                Some(c) if visible => {
                    assert_eq!(c["row"]["stage_id"], json!(deal.stage));
                    assert_eq!(c["row"]["amount"], json!(deal.amount));
                    self.devices[who].seen.insert(i, (deal.stage.clone(), deal.amount));
                }
                Some(c) => assert_eq!(c["deleted"], true, "{c}"),
                None => assert!(!visible, "a visible deal is missing from the pull"),
            }
        }
    }

    async fn hand_over(&mut self, deal: usize) {
        let d = &mut self.deals[deal];
        d.owner = 1 - d.owner;
        let (to, head) = (self.users[d.owner].parse().unwrap(), self.users[HEAD].parse().unwrap());
        let mut tx = self.app.store.begin().await.unwrap();
        tx.set_deal_owner(d.id.parse().unwrap(), to, head).await.unwrap();
        tx.commit().await.unwrap();
    }

    async fn settle(&mut self) {
        for who in 0..3 {
            while !self.devices[who].outbox.is_empty() {
                self.send(who, 3, false).await;
            }
        }
        for (deal, kind, id, value) in &self.appended {
            let (db, deal) = (self.app.db(), &self.deals[*deal].id);
            let n = match *kind {
                "note" => db.deal_activities_saying(deal, value).await,
                _ => db.received_payments(deal).await.iter().filter(|p| p.amount.to_string() == *value).count() as i64,
            };
            let expected = i64::from(self.first.get(id) == Some(&Expect::Applied));
            assert_eq!(n, expected, "{kind} {id} stored {n} times");
        }
        for deal in &self.deals {
            let (owner, stage, amount) = deal_row(&self.app, &deal.id).await;
            assert_eq!((owner, stage, amount), (self.users[deal.owner].clone(), deal.stage.clone(), deal.amount));
        }
    }
}

async fn run(ops: Vec<Op>) {
    let mut world = setup().await;
    for op in ops {
        match op {
            Op::Queue { who, deal, what } => world.queue(who, deal, what),
            Op::Send { who, n, lost } => world.send(who, n, lost).await,
            Op::Replay { who } => world.replay(who).await,
            Op::Pull { who } => world.pull(who).await,
            Op::HandOver { deal } => world.hand_over(deal).await,
        }
    }
    world.settle().await;
    for who in 0..3 {
        world.pull(who).await;
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn every_acknowledged_change_lands_exactly_once_and_conflicts_follow_the_policy(ops in proptest::collection::vec(op(), 1..60)) {
        tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(run(ops));
    }
}
