//! Who may ask for what, all at once: every server function and every sync mutation
//! kind, asked signed out, by the head and a manager of another department, by a
//! manager of this department and by the admin, with ids that are not theirs. No
//! answer carries another person's data, and nothing in the department changes.
//!
//! A new server function must be added to [`functions`]: the test fails on any the
//! router serves that the table does not list.

use std::collections::BTreeSet;

use app::api::account::{ChangePassword, Login, Logout, SetLocale};
use app::api::admin::{AdminOverview, CreateDepartment, CreateUser, DeactivateUser, ResetPassword};
use app::api::audit::AuditLog;
use app::api::calendar::{CalendarYear, SetCalendarDay};
use app::api::clients::{FindClients, OpenClient};
use app::api::deals::{MyDay, OpenDeal, ReassignDeal};
use app::api::goal::{GoalList, SaveGoal, SetGoalStatus};
use app::api::home::{Home, ManagerCard, ReassignAll, SetStaleDays, Team};
use app::api::import::{ImportOwners, PreviewImport, RunImport};
use app::api::pipeline::{
    AddStage, DeleteStage, MoveStage, PipelineBoard, PipelineStages, SaveStage,
};
use app::api::plan::{
    AcceptRebalance, DepartmentPlan, DismissRebalance, EditPlanShare, SetCapacity, SetPlan,
};
use app::api::report::{MyReporting, SetCadence, TeamReporting};
use app::domain::goal::GoalMetric;
use app::domain::user::Role;
use app::store::prelude::*;
use http::StatusCode;
use leptos::server_fn::ServerFn;
use serde_json::{Value, json};

use crate::common::{self, TestApp, spawn_app};

/// What a function may do for whom.
#[derive(Clone, Copy, Debug)]
enum Rule {
    /// The caller's own account (sign in and out, language, password): only the
    /// signed-out refusal is checked, where one applies.
    Own { needs_session: bool },
    /// Reads the caller's own scope: these roles get it, others are refused.
    Reads(&'static [Role]),
    /// Writes in the caller's own scope: others than these roles are refused (the
    /// roles themselves would change their own department, which is theirs to do).
    Writes(&'static [Role]),
    /// Names an id of the demo department: every caller here is refused.
    Foreign,
    /// Names a person whom these roles choose from a list of their own department's
    /// people (a head setting a manager's goal): naming one from elsewhere is refused
    /// as a choice not offered. Other staff act on themselves only (a manager's goal
    /// is always their own proposal, whoever the request names), which is theirs to do.
    Chooses(&'static [Role]),
}

const ALL: &[Role] = &[Role::Admin, Role::Head, Role::Manager];
const STAFF: &[Role] = &[Role::Head, Role::Manager];
const HEAD: &[Role] = &[Role::Head];
const MANAGER: &[Role] = &[Role::Manager];
const ADMIN: &[Role] = &[Role::Admin];

/// The demo department's ids the callers try: Dmitry's deal, client and manual goal,
/// Dmitry and Anna themselves, a stage, an import batch and this month.
struct Ids {
    deal: String,
    client: String,
    goal: String,
    dmitry: String,
    anna: String,
    stage: String,
    batch: String,
    month: String,
    today: String,
}

fn functions(ids: &Ids) -> Vec<(&'static str, Vec<(&'static str, String)>, Rule)> {
    let s = |v: &str| v.to_string();
    let soon = (common::today() + chrono::Duration::days(20)).to_string();
    vec![
        (
            Login::PATH,
            vec![("email", s("anna@pacer.demo")), ("password", s("wrong"))],
            Rule::Own {
                needs_session: false,
            },
        ),
        (
            Logout::PATH,
            vec![],
            Rule::Own {
                needs_session: false,
            },
        ),
        (
            SetLocale::PATH,
            vec![("locale", s("en"))],
            Rule::Own {
                needs_session: false,
            },
        ),
        (
            ChangePassword::PATH,
            vec![("current", s("x")), ("new", s("y")), ("repeat", s("y"))],
            Rule::Own {
                needs_session: true,
            },
        ),
        (AdminOverview::PATH, vec![], Rule::Reads(ADMIN)),
        (
            CreateDepartment::PATH,
            vec![("name", s("Отдел захвата"))],
            Rule::Writes(ADMIN),
        ),
        (
            CreateUser::PATH,
            vec![
                ("name", s("Захватчик")),
                ("email", s("x@pacer.demo")),
                ("role", s("head")),
                ("department", s("")),
                ("password", s("long-enough-1")),
            ],
            Rule::Writes(ADMIN),
        ),
        (
            DeactivateUser::PATH,
            vec![("user", ids.dmitry.clone())],
            Rule::Writes(ADMIN),
        ),
        (
            ResetPassword::PATH,
            vec![
                ("user", ids.dmitry.clone()),
                ("password", s("long-enough-1")),
            ],
            Rule::Writes(ADMIN),
        ),
        (AuditLog::PATH, vec![], Rule::Reads(HEAD)),
        (CalendarYear::PATH, vec![], Rule::Reads(ALL)),
        (
            SetCalendarDay::PATH,
            vec![
                ("day", ids.today.clone()),
                ("kind", s("holiday")),
                ("name", s("Захват")),
            ],
            Rule::Writes(ADMIN),
        ),
        (
            FindClients::PATH,
            vec![("query", s(""))],
            Rule::Reads(STAFF),
        ),
        (
            OpenClient::PATH,
            vec![("client", ids.client.clone())],
            Rule::Foreign,
        ),
        (MyDay::PATH, vec![], Rule::Reads(STAFF)),
        (
            OpenDeal::PATH,
            vec![("deal", ids.deal.clone())],
            Rule::Foreign,
        ),
        (
            ReassignDeal::PATH,
            vec![("deal", ids.deal.clone()), ("owner", ids.anna.clone())],
            Rule::Foreign,
        ),
        (GoalList::PATH, vec![], Rule::Reads(STAFF)),
        (
            SaveGoal::PATH,
            vec![
                ("user", ids.dmitry.clone()),
                ("title", s("Провести десять встреч с новыми клиентами")),
                ("metric", s("manual")),
                ("target", s("10")),
                ("due_on", soon),
                ("relevance", s("plan")),
            ],
            Rule::Chooses(HEAD),
        ),
        (
            SetGoalStatus::PATH,
            vec![("goal", ids.goal.clone()), ("status", s("cancelled"))],
            Rule::Foreign,
        ),
        (Home::PATH, vec![], Rule::Reads(ALL)),
        (
            ManagerCard::PATH,
            vec![("user", ids.dmitry.clone())],
            Rule::Foreign,
        ),
        (
            SetStaleDays::PATH,
            vec![("days", s("3"))],
            Rule::Writes(HEAD),
        ),
        (
            ReassignAll::PATH,
            vec![("from", ids.dmitry.clone()), ("to", ids.anna.clone())],
            Rule::Foreign,
        ),
        (Team::PATH, vec![], Rule::Reads(HEAD)),
        (
            PreviewImport::PATH,
            vec![("batch", ids.batch.clone())],
            Rule::Foreign,
        ),
        (
            RunImport::PATH,
            vec![("batch", ids.batch.clone()), ("mapping", s(""))],
            Rule::Foreign,
        ),
        (ImportOwners::PATH, vec![], Rule::Reads(HEAD)),
        (PipelineBoard::PATH, vec![], Rule::Reads(STAFF)),
        (PipelineStages::PATH, vec![], Rule::Reads(HEAD)),
        (
            SaveStage::PATH,
            vec![
                ("stage", ids.stage.clone()),
                ("name", s("Захвачено")),
                ("probability", s("50")),
            ],
            Rule::Foreign,
        ),
        (
            MoveStage::PATH,
            vec![("stage", ids.stage.clone()), ("direction", s("down"))],
            Rule::Foreign,
        ),
        (
            AddStage::PATH,
            vec![("name", s("Захват")), ("probability", s("50"))],
            Rule::Writes(HEAD),
        ),
        (
            DeleteStage::PATH,
            vec![("stage", ids.stage.clone())],
            Rule::Foreign,
        ),
        (DepartmentPlan::PATH, vec![], Rule::Reads(HEAD)),
        (
            SetPlan::PATH,
            vec![
                ("period", ids.month.clone()),
                ("metric", s("received")),
                ("target", s("1")),
                ("method", s("equal")),
                ("history_months", s("3")),
            ],
            Rule::Writes(HEAD),
        ),
        (
            EditPlanShare::PATH,
            vec![
                ("month", ids.month.clone()),
                ("user", ids.dmitry.clone()),
                ("target", s("1")),
            ],
            Rule::Foreign,
        ),
        (
            AcceptRebalance::PATH,
            vec![("month", ids.month.clone())],
            Rule::Writes(HEAD),
        ),
        (
            DismissRebalance::PATH,
            vec![("month", ids.month.clone())],
            Rule::Writes(HEAD),
        ),
        (
            SetCapacity::PATH,
            vec![("user", ids.dmitry.clone()), ("load", s("50"))],
            Rule::Foreign,
        ),
        (MyReporting::PATH, vec![], Rule::Reads(MANAGER)),
        (TeamReporting::PATH, vec![], Rule::Reads(HEAD)),
        (
            SetCadence::PATH,
            vec![("user", ids.dmitry.clone()), ("cadence", s("weekly"))],
            Rule::Foreign,
        ),
    ]
}

/// The callers: nobody, then people to whom the demo department's ids are foreign.
const CALLERS: [(&str, Role); 4] = [
    ("rhead@pacer.demo", Role::Head),
    ("rman@pacer.demo", Role::Manager),
    ("anna@pacer.demo", Role::Manager),
    ("admin@pacer.demo", Role::Admin),
];

/// What only Dmitry's pages and the head's show: his clients' names.
async fn dmitrys_secrets(app: &TestApp) -> Vec<String> {
    let mut others = BTreeSet::new();
    for email in [
        "anna@pacer.demo",
        "ekaterina@pacer.demo",
        "igor@pacer.demo",
        "olga@pacer.demo",
    ] {
        others.extend(app.clients_of(email).await.into_iter().map(|c| c.name));
    }
    let secrets: Vec<String> = app
        .clients_of("dmitry@pacer.demo")
        .await
        .into_iter()
        .map(|c| c.name)
        .filter(|n| !others.contains(n))
        .collect();
    assert!(
        secrets.len() >= 3,
        "Dmitry has clients of his own: {secrets:?}"
    );
    secrets
}

async fn setup() -> (TestApp, Ids) {
    let app = spawn_app().await;
    app.other_department().await;
    let head = app.login("head@pacer.demo").await;
    let dmitry = app.user_id("dmitry@pacer.demo").await;
    let upload = app
        .upload_import(
            &head,
            "Компания;Сумма\nООО Захват;100\n".as_bytes(),
            &dmitry,
        )
        .await;
    let batch = upload.headers[http::header::LOCATION]
        .to_str()
        .unwrap()
        .rsplit('/')
        .next()
        .unwrap()
        .to_string();
    let goals = app
        .store
        .goals(app.department().await, None, common::today())
        .await
        .unwrap();
    let goal = goals
        .into_iter()
        .find(|g| g.terms.metric == GoalMetric::Manual)
        .expect("Dmitry's manual goal")
        .id
        .to_string();
    let ids = Ids {
        deal: app.open_deals_of("dmitry@pacer.demo").await.remove(0),
        client: app.clients_of("dmitry@pacer.demo").await[0].id.to_string(),
        goal,
        dmitry,
        anna: app.user_id("anna@pacer.demo").await,
        stage: app.stage_id("proposal").await,
        batch,
        month: common::today().format("%Y-%m").to_string(),
        today: common::today().to_string(),
    };
    (app, ids)
}

fn leaks<'a>(body: &str, secrets: &'a [String]) -> Vec<&'a String> {
    secrets
        .iter()
        .filter(|s| body.contains(s.as_str()))
        .collect()
}

#[tokio::test]
async fn every_server_function_refuses_whoever_may_not_and_tells_nothing() {
    let (app, ids) = setup().await;
    let table = functions(&ids);
    let served: BTreeSet<&str> = leptos::server_fn::axum::server_fn_paths()
        .map(|(path, _)| path)
        .collect();
    let listed: BTreeSet<&str> = table.iter().map(|row| row.0).collect();
    assert_eq!(
        served, listed,
        "every server function is in the matrix, and only those"
    );

    let secrets = dmitrys_secrets(&app).await;
    let before = app.db().department_fingerprint().await;
    let mut wrong = Vec::new();
    for (path, args, rule) in &table {
        let form: Vec<(&str, &str)> = args.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let signed_out = !matches!(
            rule,
            Rule::Own {
                needs_session: false
            }
        );
        if signed_out {
            let answer = app.call(path, None, &form).await;
            if answer.status != StatusCode::UNAUTHORIZED {
                wrong.push(format!(
                    "{path} signed out: {} {}",
                    answer.status, answer.body
                ));
            }
        }
        for (email, role) in CALLERS {
            let expect: Option<&[StatusCode]> = match rule {
                Rule::Own { .. } => continue,
                Rule::Reads(roles) if roles.contains(&role) => Some(&[StatusCode::OK]),
                Rule::Writes(roles) if roles.contains(&role) => continue,
                Rule::Reads(_) | Rule::Writes(_) => Some(&[StatusCode::FORBIDDEN]),
                Rule::Foreign => Some(&[StatusCode::FORBIDDEN, StatusCode::NOT_FOUND]),
                Rule::Chooses(roles) if roles.contains(&role) => {
                    Some(&[StatusCode::UNPROCESSABLE_ENTITY])
                }
                Rule::Chooses(_) if STAFF.contains(&role) => continue,
                Rule::Chooses(_) => Some(&[StatusCode::FORBIDDEN]),
            };
            let cookie = app.login(email).await;
            let answer = app.call(path, Some(&cookie), &form).await;
            if let Some(expect) = expect
                && !expect.contains(&answer.status)
            {
                wrong.push(format!(
                    "{path} as {email}: {} (expected {expect:?}) {}",
                    answer.status, answer.body
                ));
            }
            let leaked = leaks(&answer.body, &secrets);
            if !leaked.is_empty() {
                wrong.push(format!(
                    "{path} as {email} shows Dmitry's clients {leaked:?}"
                ));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "{} answers broke the rules:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
    assert_eq!(
        app.db().department_fingerprint().await,
        before,
        "nothing in the department changed"
    );
}

/// Every sync mutation kind, naming Dmitry's things.
fn mutations(ids: &Ids) -> Vec<Value> {
    let id = || uuid::Uuid::now_v7().to_string();
    let (deal, client, today) = (&ids.deal, &ids.client, &ids.today);
    vec![
        json!({ "kind": "set_deal_stage", "deal_id": deal, "stage_id": ids.stage }),
        json!({ "kind": "set_deal_amount", "deal_id": deal, "amount": 100 }),
        json!({ "kind": "set_next_step", "deal_id": deal, "next_step": "Захват" }),
        json!({ "kind": "log_activity", "deal_id": deal, "activity": "note", "body": "Захват" }),
        json!({ "kind": "record_payment", "deal_id": deal, "amount": 100, "received_on": today }),
        json!({ "kind": "expect_payment", "deal_id": deal, "amount": 100, "due_on": today }),
        json!({ "kind": "create_deal", "deal_id": id(), "client_id": client, "title": "Захват", "amount": 100, "stage_id": ids.stage }),
        json!({ "kind": "log_client_activity", "client_id": client, "activity": "note", "body": "Захват" }),
        json!({ "kind": "update_client", "client_id": client, "name": "Захвачено" }),
        json!({ "kind": "save_contact", "client_id": client, "contact_id": id(), "name": "Захватчик" }),
        json!({ "kind": "remove_contact", "client_id": client, "contact_id": id() }),
        json!({ "kind": "check_in_goal", "goal_id": ids.goal, "value": 1 }),
    ]
}

#[tokio::test]
async fn every_sync_mutation_on_someone_elses_things_is_refused_as_not_found() {
    let (app, ids) = setup().await;
    // Every kind that names an id; the other two (a new client, one's own report)
    // name nobody else's and are checked by role in the sync tests.
    let before = app.db().department_fingerprint().await;
    let with_ids = |m: &Value| {
        let mut m = m.clone();
        m["id"] = json!(uuid::Uuid::now_v7().to_string());
        m
    };
    let all: Vec<Value> = mutations(&ids).iter().map(with_ids).collect();
    assert_eq!(
        app.push(None, json!(all)).await.status,
        StatusCode::UNAUTHORIZED
    );
    for (email, _) in CALLERS {
        let cookie = app.login(email).await;
        let all: Vec<Value> = mutations(&ids).iter().map(with_ids).collect();
        let answer = app.push(Some(&cookie), json!(all)).await;
        assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
        for (sent, result) in mutations(&ids)
            .iter()
            .zip(answer.json()["results"].as_array().unwrap())
        {
            let reason = (result["status"].as_str(), result["reason"].as_str());
            assert!(
                matches!(reason, (Some("rejected"), Some("not_found" | "forbidden"))),
                "{} as {email}: {result}",
                sent["kind"]
            );
        }
    }
    assert_eq!(
        app.db().department_fingerprint().await,
        before,
        "nothing in the department changed"
    );
}
