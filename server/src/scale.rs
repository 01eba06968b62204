//! The scale data set: one department as big as a busy one gets, for load tests over
//! HTTP, the scale bench and side-by-side comparisons with other CRMs. Its shape follows
//! from each row's number, not from chance: the same sizes give the same department,
//! but for ids and the day it was made.

use anyhow::Context;
use app::domain::deal::Outcome;
use app::domain::user::{Email, NewPassword, Role};
use app::domain::{ActivityId, ClientId, DealId, DepartmentId, Money, PaymentId, UserId};
use app::model::deals::StageOption;
use app::store::prelude::*;
use app::store::{BulkClient, NewActivity, NewDeal, NewPayment, NewUser, Store};
use chrono::Duration;

/// The password of every account the scale data set creates.
pub const PASSWORD: &str = "scale-password";

const MANAGERS: usize = 50;
const DEALS: usize = 100_000;
const PAYMENTS: usize = 300_000;
const ACTIVITIES: usize = 1_000_000;

/// How big a department to make. It has a head, and three clients to every ten deals.
#[derive(clap::Args, Clone, Copy, Debug)]
pub struct Size {
    /// Managers, each owning an equal share of the clients and deals
    #[arg(long, default_value_t = MANAGERS, value_parser = at_least_one)]
    managers: usize,
    /// Deals, over all stages of the pipeline
    #[arg(long, default_value_t = DEALS, value_parser = at_least_one)]
    deals: usize,
    /// Payments on the deals, half expected and half received
    #[arg(long, default_value_t = PAYMENTS)]
    payments: usize,
    /// Calls logged on the deals
    #[arg(long, default_value_t = ACTIVITIES)]
    activities: usize,
}

fn at_least_one(s: &str) -> Result<usize, String> {
    match s.parse() {
        Ok(0) => Err("must be at least 1".into()),
        Ok(n) => Ok(n),
        Err(e) => Err(format!("{e}")),
    }
}

impl Default for Size {
    /// The department the scale bench measures.
    fn default() -> Size {
        Size { managers: MANAGERS, deals: DEALS, payments: PAYMENTS, activities: ACTIVITIES }
    }
}

impl Size {
    /// Payments and activities belong to deals and deals to managers, so a department
    /// without managers or deals cannot be made.
    pub fn new(managers: usize, deals: usize, payments: usize, activities: usize) -> anyhow::Result<Size> {
        anyhow::ensure!(managers > 0 && deals > 0, "the scale data set needs at least one manager and one deal");
        Ok(Size { managers, deals, payments, activities })
    }

    pub fn managers(&self) -> usize {
        self.managers
    }

    pub fn deals(&self) -> usize {
        self.deals
    }

    pub fn clients(&self) -> usize {
        (self.deals * 3 / 10).max(1)
    }

    pub fn payments(&self) -> usize {
        self.payments
    }

    pub fn activities(&self) -> usize {
        self.activities
    }
}

/// The head's login.
pub const HEAD: &str = "head@scale.test";

/// The login of manager `n` (from 0).
pub fn manager_email(n: usize) -> String {
    format!("m{n}@scale.test")
}

/// Makes the department unless the database already has users. Returns the logins
/// (email, role), the head first, when it did.
pub async fn seed(store: &Store, size: Size) -> anyhow::Result<Option<Vec<(String, Role)>>> {
    if !store.has_no_users().await? {
        return Ok(None);
    }
    let org = store.ensure_organisation("Scale").await?;
    let dept = crate::demo::ensure_department(store, org, "Отдел продаж").await?;
    let hash = app::auth::hash_password(&NewPassword::parse(PASSWORD.into()).expect("the scale password meets the policy"))
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let logins: Vec<(String, Role)> =
        std::iter::once((HEAD.to_string(), Role::Head)).chain((0..size.managers).map(|n| (manager_email(n), Role::Manager))).collect();
    let mut managers = Vec::with_capacity(size.managers);
    for (email, role) in &logins {
        let user = store
            .create_user(NewUser {
                organisation_id: org,
                department_id: Some(dept),
                email: &Email::parse(email).expect("scale emails are valid"),
                name: email,
                role: *role,
                password_hash: &hash,
            })
            .await?;
        if *role == Role::Manager {
            managers.push(user);
        }
    }
    write(store, dept, &managers, &store.stages(dept).await?, size).await.context("writing the scale data")?;
    Ok(Some(logins))
}

/// Client `c` belongs to manager `c mod managers`; deal `d` to client `d mod clients`,
/// at stage `d mod stages`, opened `d mod 120` days ago with its next step due within
/// ten days either side of today. Payments fall on every seventh deal over the last 100
/// days, one received in twenty only half paid (so the overdue figure has work to do);
/// calls go round the deals, 30 hours apart on each.
async fn write(store: &Store, dept: DepartmentId, managers: &[UserId], stages: &[StageOption], size: Size) -> anyhow::Result<()> {
    let now = store.now();
    let today = app::domain::clock::today(app::domain::clock::DEFAULT_ZONE, now);
    let clients: Vec<ClientId> = (0..size.clients()).map(|_| ClientId::new()).collect();
    let deals: Vec<DealId> = (0..size.deals).map(|_| DealId::new()).collect();
    let client_of = |d: usize| d % clients.len();
    let owner_of_client = |c: usize| managers[c % managers.len()];
    let owner_of = |d: usize| owner_of_client(client_of(d));
    let opened = |d: usize| now - Duration::days((d % 120) as i64);

    let mut load = store.bulk_load().await?;
    load.insert_clients(clients.iter().enumerate().map(|(c, &id)| BulkClient {
        id,
        department_id: dept,
        owner_id: owner_of_client(c),
        name: format!("ООО «Клиент {c}»"),
        created_at: now,
    }))
    .await?;
    load.insert_deals(deals.iter().enumerate().map(|(d, &id)| {
        let stage = &stages[d % stages.len()];
        let due = today + Duration::days((d % 21) as i64 - 10);
        NewDeal {
            id,
            department_id: dept,
            client_id: clients[client_of(d)],
            owner_id: owner_of(d),
            stage_id: stage.id.clone(),
            title: format!("Сделка {d}"),
            amount: Money::from_kopecks(((d % 200) as i64 + 1) * 1_000_000),
            expected_close_on: Some(due + Duration::days(20)),
            next_step: "Позвонить".into(),
            next_step_due_on: Some(due),
            source: String::new(),
            loss_reason: None,
            closed_on: (stage.outcome != Outcome::Open).then(|| opened(d).date_naive()),
            created_at: opened(d),
        }
    }))
    .await?;
    let payment = |p: usize, part: i64| {
        let d = (p * 7) % deals.len();
        NewPayment {
            id: PaymentId::new(),
            deal_id: deals[d],
            amount: Money::from_kopecks(((p % 50) as i64 + 1) * 500_000 / part),
            on: today - Duration::days((p % 100) as i64),
            created_at: now,
            created_by: owner_of(d),
        }
    };
    let expected = size.payments / 2;
    load.insert_expected_payments((0..expected).map(|p| payment(p, 1))).await?;
    load.insert_received_payments((0..size.payments - expected).map(|p| payment(p, if p % 20 == 0 { 2 } else { 1 }))).await?;
    load.insert_activities((0..size.activities).map(|a| {
        let d = a % deals.len();
        NewActivity {
            id: ActivityId::new(),
            deal_id: Some(deals[d]),
            client_id: clients[client_of(d)],
            user_id: owner_of(d),
            kind: "call",
            body: "Звонок".into(),
            occurred_at: opened(d) + Duration::hours((a / deals.len()) as i64 * 30),
        }
    }))
    .await?;
    load.finish().await?;
    Ok(())
}
