//! The demo organisation: one admin, one head, five managers, and three months of
//! clients, deals, payments and calls. Deterministic: the same seed and the same
//! day give the same data.

use anyhow::Context;
use app::domain::clock;
use app::domain::period::Month;
use app::domain::user::{Email, NewPassword, Role};
use app::domain::{ActivityId, ClientId, DealId, DepartmentId, Money, OrganisationId, PaymentId, UserId, inn};
use app::domain::client::NewClient;
use app::store::{BatchClient, CrmBatch, NewActivity, NewDeal, NewPayment, NewUser, Store};
use chrono::{DateTime, Duration, NaiveDate, NaiveTime, TimeZone, Utc};
use app::store::prelude::*;

/// The password of every demo account.
pub const PASSWORD: &str = "pacer-demo";

const PEOPLE: [(&str, &str, Role); 7] = [
    ("admin@pacer.demo", "Алексей Воронин", Role::Admin),
    ("head@pacer.demo", "Сергей Петров", Role::Head),
    ("anna@pacer.demo", "Анна Смирнова", Role::Manager),
    ("dmitry@pacer.demo", "Дмитрий Козлов", Role::Manager),
    ("ekaterina@pacer.demo", "Екатерина Волкова", Role::Manager),
    ("igor@pacer.demo", "Игорь Морозов", Role::Manager),
    ("olga@pacer.demo", "Ольга Новикова", Role::Manager),
];

const COMPANIES: [&str; 30] = [
    "Северсталь-Сервис", "ТехноЛайн", "СтройМаркет", "Альфа-Логистик", "Вектор", "Гранит", "Медиагрупп Восход",
    "ПромАвтоматика", "Уралэнергоремонт", "АгроИнвест", "Балтийский берег", "Сибирская кухня", "ЛесТорг",
    "Фармацевт Плюс", "Городские окна", "Нева-Транс", "Кедр", "ИнфоСистемы", "Ладога Пром", "Волжский кабель",
    "Мегаполис Девелопмент", "Экспресс Доставка", "Стандарт Качества", "Полимер-Юг", "Солнечный край",
    "Арктика Холод", "ДорСтрой", "ЦифраПро", "Русский лён", "Октава",
];
const FORMS: [&str; 3] = ["ООО", "АО", "ООО"];
const CONTACTS: [&str; 12] = [
    "Иван Кузнецов", "Мария Соколова", "Павел Лебедев", "Наталья Попова", "Андрей Фёдоров", "Елена Михайлова",
    "Николай Орлов", "Татьяна Зайцева", "Виктор Павлов", "Юлия Семёнова", "Роман Голубев", "Светлана Виноградова",
];
const POSITIONS: [&str; 5] = ["Генеральный директор", "Менеджер по закупкам", "Главный инженер", "Финансовый директор", "Руководитель ИТ"];
const DEALS: [&str; 10] = [
    "Поставка оборудования", "Годовой сервисный контракт", "Лицензии на 50 рабочих мест", "Внедрение CRM",
    "Пилотный проект", "Расширение поставки", "Обучение персонала", "Модернизация склада", "Комплексное обслуживание",
    "Поставка расходных материалов",
];
const NEXT_STEPS: [&str; 6] = [
    "Позвонить и согласовать КП", "Отправить договор на подпись", "Встреча с финансовым директором",
    "Уточнить сроки оплаты", "Презентация для закупок", "Напомнить о счёте",
];
const SOURCES: [&str; 4] = ["Сайт", "Рекомендация", "Холодный звонок", "Выставка"];
const LOSS_REASONS: [&str; 3] = ["Выбрали конкурента", "Нет бюджета", "Проект отложен"];
const NOTES: [&str; 4] = ["Обсудили условия поставки", "Клиент просит скидку 5%", "Отправил коммерческое предложение", "Согласовали график платежей"];

/// SplitMix64: tiny, deterministic, good enough to vary demo data.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + self.below((hi - lo + 1) as u64) as i64
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
}

pub async fn ensure_department(store: &Store, org: OrganisationId, name: &str) -> anyhow::Result<DepartmentId> {
    if let Some(d) = store.departments(org).await?.into_iter().find(|d| d.name == name) {
        return Ok(d.id);
    }
    let dept = store.create_department(org, name).await?;
    store.create_default_pipeline(dept).await?;
    Ok(dept)
}

/// Seeds the demo unless the database already has users. Returns the logins
/// (email, role, name) when it seeded.
pub async fn seed(store: &Store) -> anyhow::Result<Option<Vec<(String, Role, String)>>> {
    if !store.has_no_users().await? {
        return Ok(None);
    }
    let org = store.ensure_organisation("Демо-компания").await?;
    let dept = ensure_department(store, org, "Отдел продаж").await?;
    let hash = app::auth::hash_password(&NewPassword::parse(PASSWORD.into()).expect("demo password meets the policy"))
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let mut managers = Vec::new();
    let mut head = None;
    let mut logins = Vec::new();
    for (email, name, role) in PEOPLE {
        let email_v = Email::parse(email).expect("demo emails are valid");
        let id = store
            .create_user(NewUser {
                organisation_id: org,
                department_id: role.needs_department().then_some(dept),
                email: &email_v,
                name,
                role,
                password_hash: &hash,
            })
            .await?;
        if role == Role::Manager {
            managers.push(id);
        }
        if role == Role::Head {
            head = Some(id);
        }
        logins.push((email.to_string(), role, name.to_string()));
    }
    // The demo organisation keeps the default zone.
    let today = clock::today(clock::DEFAULT_ZONE, store.now());
    let batch = generate(&mut Rng(20_261_129), dept, &managers, &store.stages(dept).await?, today)?;
    store.insert_crm_batch(&batch).await.context("writing demo data")?;
    if let Some(head) = head {
        plan_this_month(store, org, dept, head, today).await.context("writing the demo plan")?;
        goals_and_reports(store, org, dept, head, &managers, today).await.context("writing demo goals and reports")?;
    }
    Ok(Some(logins))
}

/// A few goals (set by the head, one proposed by a manager) and reports: Anna reports
/// daily and missed one day, Dmitry weekly.
async fn goals_and_reports(store: &Store, org: OrganisationId, dept: DepartmentId, head: UserId, managers: &[UserId], today: NaiveDate) -> anyhow::Result<()> {
    use app::domain::goal::{GoalDraft, GoalMetric, GoalStatus, Relevance, check};
    use app::domain::report::{Cadence, due_days};
    let month = Month::containing(today);
    let month_end = month.next_first_day() - Duration::days(1);
    let [anna, dmitry, ekaterina, ..] = managers else { return Ok(()) };
    let goals = [
        (*anna, "Провести 25 звонков по новым клиентам", GoalMetric::Calls, 25, Relevance::Skill, "холодные звонки", GoalStatus::Active, head),
        (*ekaterina, "Закрыть три сделки с выигрышем в этом месяце", GoalMetric::WonCount, 3, Relevance::Plan, "план месяца", GoalStatus::Active, head),
        (*dmitry, "Пройти пять модулей курса по работе с возражениями", GoalMetric::Manual, 5, Relevance::Skill, "возражения по цене", GoalStatus::Proposed, *dmitry),
    ];
    for (user, title, metric, target, relevance, note, status, by) in goals {
        let draft = GoalDraft {
            title: title.into(),
            metric: Some(metric),
            target: Some(target),
            starts_on: Some(month.first_day()),
            due_on: Some(month_end.max(today + Duration::days(14))),
            relevance: Some(relevance),
            relevance_note: note.into(),
            ..GoalDraft::default()
        };
        let terms = check(&draft, today).map_err(|e| anyhow::anyhow!("demo goal: {e:?}"))?;
        store.insert_goal(dept, user, &terms, status, by).await?;
    }
    let since = today - Duration::days(7);
    store.set_cadence(*anna, Cadence::Daily, head, since).await?;
    store.set_cadence(*dmitry, Cadence::Weekly, head, since).await?;
    let calendar = store.calendar(org, since - Duration::days(7), today + Duration::days(7)).await?;
    let days = due_days(Cadence::Daily, &calendar, since, today);
    let mut tx = store.begin().await?;
    // Every working day but the first: one report missed, for the head to see.
    for day in days.iter().skip(1) {
        tx.submit_report(*anna, dept, *day, "Звонки по базе, две встречи", "Довести «Вектор» до счёта", "").await?;
    }
    for day in due_days(Cadence::Weekly, &calendar, since, today) {
        tx.submit_report(*dmitry, dept, day, "Три новых лида, одно КП", "Переговоры с «Уралтехснабом»", "Ждём ответа юристов клиента").await?;
    }
    tx.commit().await?;
    Ok(())
}

/// This month's plan as a head would set it, a little above the pace the month has
/// (or last month's money plus 15 % on its first working day), rounded up to
/// 100 000 ₽, split by the last three months' results.
async fn plan_this_month(store: &Store, org: OrganisationId, dept: DepartmentId, head: UserId, today: NaiveDate) -> anyhow::Result<()> {
    use app::domain::plan::{Metric, SplitMethod, history_window, results, split_month};
    let month = Month::containing(today);
    let (from, to) = history_window(month, 3);
    let facts = store.facts(dept, Metric::Received, from, to).await?;
    let last: i64 = facts.iter().filter(|f| f.month == month.previous()).map(|f| f.value).sum();
    let calendar = store.calendar(org, month.first_day(), month.next_first_day()).await?;
    let now: i64 = store.facts(dept, Metric::Received, month, month.next()).await?.iter().map(|f| f.value).sum();
    let (done, total) = (calendar.working_days(month.first_day(), today), calendar.working_days(month.first_day(), month.next_first_day()));
    let base = if done == 0 { last * 115 / 100 } else { now * i64::from(total) / i64::from(done) * 110 / 100 };
    let step = 10_000_000;
    let target = (base + step - 1) / step * step;
    let members = store.plan_members(dept).await?;
    let history = results(&facts, members.iter().map(|m| m.user_id));
    let availability: Vec<_> = members.iter().map(app::api::plan::ssr::availability).collect();
    let shares = split_month(target, Metric::Received.unit(), SplitMethod::History, &calendar, month, &availability, &history);
    let write = app::store::PlanWrite {
        month,
        metric: Metric::Received,
        target,
        method: SplitMethod::History,
        history_months: 3,
        quarter: None,
        shares: members.iter().map(|m| m.user_id).zip(shares).collect(),
    };
    store.save_plan(dept, head, &[write], "set_plan", serde_json::json!({ "period": month.key(), "method": "history" })).await?;
    Ok(())
}

fn at(date: NaiveDate, hour: u32) -> DateTime<Utc> {
    clock::DEFAULT_ZONE
        .from_local_datetime(&date.and_time(NaiveTime::from_hms_opt(hour, 0, 0).expect("valid hour")))
        .earliest()
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or_else(|| Utc.from_utc_datetime(&date.and_time(NaiveTime::MIN)))
}

fn generate(
    rng: &mut Rng,
    dept: DepartmentId,
    managers: &[UserId],
    stages: &[app::api::deals::StageOption],
    today: NaiveDate,
) -> anyhow::Result<CrmBatch> {
    let stage = |code: &str| {
        stages.iter().find(|s| s.code.as_deref() == Some(code)).map(|s| s.id.clone()).context("default pipeline stage")
    };
    let open_codes = ["new", "qualified", "proposal", "negotiation", "invoice"];
    // Clients date from before the three months the home pages show; deals are
    // spread over those months so every month has payments.
    let start = Month::containing(today).previous().previous().previous().first_day();
    let mut batch = CrmBatch::default();
    let mut company = 0usize;
    for (m, &owner) in managers.iter().enumerate() {
        // Managers differ in how well they do, so the head's table has a story.
        let skill = [4, 3, 5, 2, 3][m % 5];
        for _ in 0..6 {
            let name = format!("{} «{}»", FORMS[company % FORMS.len()], COMPANIES[company % COMPANIES.len()]);
            company += 1;
            let created = start + Duration::days(rng.range(0, 10));
            let client = ClientId::new();
            let digits: [u32; 9] = std::array::from_fn(|i| if i < 2 { [7, 7][i] } else { rng.below(10) as u32 });
            batch.clients.push(BatchClient {
                id: client,
                department_id: dept,
                owner_id: owner,
                client: NewClient {
                    name,
                    inn: Some(inn::complete_company(digits)),
                    contact_name: rng.pick(&CONTACTS).to_string(),
                    contact_position: rng.pick(&POSITIONS).to_string(),
                    contact_phone: format!("+7 9{:02} {:03}-{:02}-{:02}", rng.below(100), rng.below(1000), rng.below(100), rng.below(100)),
                    contact_email: format!("info{}@example.ru", company),
                    notes: String::new(),
                },
                created_at: at(created, 10),
            });
            for _ in 0..rng.range(1, 3) {
                let deal = DealId::new();
                let amount = Money::from_rubles(rng.range(8, 240) * 10_000);
                let opened = today - Duration::days(rng.range(3, 100));
                let roll = rng.range(0, 9);
                let (code, closed_on) = if roll < skill {
                    let closed = (opened + Duration::days(rng.range(3, 25))).min(today);
                    ("won", Some(closed))
                } else if roll == 9 {
                    ("lost", Some((opened + Duration::days(rng.range(5, 30))).min(today)))
                } else {
                    (*rng.pick(&open_codes), None)
                };
                let next_due = (code != "won" && code != "lost").then(|| today + Duration::days(rng.range(-4, 6)));
                batch.deals.push(NewDeal {
                    id: deal,
                    department_id: dept,
                    client_id: client,
                    owner_id: owner,
                    stage_id: stage(code)?,
                    title: rng.pick(&DEALS).to_string(),
                    amount,
                    // Open deals were expected to close 2 to 9 weeks after they opened; some are late.
                    expected_close_on: Some(closed_on.unwrap_or(opened + Duration::days(rng.range(14, 63)))),
                    next_step: if next_due.is_some() { rng.pick(&NEXT_STEPS).to_string() } else { String::new() },
                    next_step_due_on: next_due,
                    source: rng.pick(&SOURCES).to_string(),
                    loss_reason: (code == "lost").then(|| rng.pick(&LOSS_REASONS).to_string()),
                    closed_on,
                    created_at: at(opened, 9),
                });
                batch.activities.push(call(deal, client, owner, *rng.pick(&NOTES), at(opened, 11)));
                // Most open deals were worked on lately; the rest are stale for the head to chase.
                if next_due.is_some() && rng.below(5) < 3 {
                    let last = (today - Duration::days(rng.range(0, 12))).max(opened);
                    batch.activities.push(call(deal, client, owner, *rng.pick(&NOTES), at(last, 15)));
                }
                match code {
                    "won" => {
                        let closed = closed_on.expect("won deals are closed");
                        // Half pay in full at once; the rest in two parts, the second maybe still due.
                        let first_due = closed + Duration::days(rng.range(0, 7));
                        let (first, second) = if rng.below(2) == 0 {
                            (amount, Money::ZERO)
                        } else {
                            let half = Money::from_kopecks(amount.kopecks() / 2);
                            (half, amount - half)
                        };
                        let second_due = first_due + Duration::days(30);
                        batch.expected.push(payment(deal, first, first_due, owner, closed));
                        if second > Money::ZERO {
                            batch.expected.push(payment(deal, second, second_due, owner, closed));
                        }
                        // Most clients pay on time; some are late, which the head must see.
                        let late = rng.below(5) == 0;
                        let paid_on = first_due - Duration::days(rng.range(0, 3));
                        if !late && paid_on <= today {
                            batch.received.push(payment(deal, first, paid_on, owner, paid_on));
                            if second > Money::ZERO && second_due <= today && rng.below(3) > 0 {
                                batch.received.push(payment(deal, second, second_due, owner, second_due));
                            }
                        }
                    }
                    "invoice" => {
                        let due = today + Duration::days(rng.range(-6, 10));
                        batch.expected.push(payment(deal, amount, due, owner, opened));
                    }
                    _ => {}
                }
            }
        }
    }
    ensure_money_this_month(&mut batch, today);
    Ok(batch)
}

/// Early in a month the random dates may not have produced a payment yet; the demo
/// should still show one, so the first deal that is owed money gets paid this morning.
fn ensure_money_this_month(batch: &mut CrmBatch, today: NaiveDate) {
    let month = Month::containing(today);
    if batch.received.iter().any(|p| month.contains(p.on)) {
        return;
    }
    let owed = batch.expected.iter().find_map(|e| {
        let paid: Money = batch.received.iter().filter(|r| r.deal_id == e.deal_id).map(|r| r.amount).sum();
        let due: Money = batch.expected.iter().filter(|x| x.deal_id == e.deal_id).map(|x| x.amount).sum();
        (due > paid).then_some((e.deal_id, due - paid, e.created_by))
    });
    if let Some((deal, amount, by)) = owed {
        batch.received.push(payment(deal, amount, today, by, today));
    }
}

fn call(deal: DealId, client: ClientId, by: UserId, note: &str, when: DateTime<Utc>) -> NewActivity {
    NewActivity { id: ActivityId::new(), deal_id: Some(deal), client_id: client, user_id: by, kind: "call", body: note.to_string(), occurred_at: when }
}

fn payment(deal: DealId, amount: Money, on: NaiveDate, by: UserId, created: NaiveDate) -> NewPayment {
    NewPayment { id: PaymentId::new(), deal_id: deal, amount, on, created_at: at(created, 12), created_by: by }
}

#[cfg(test)]
mod tests {
    use super::*;
    use app::api::deals::StageOption;
    use app::store::DEFAULT_PIPELINE;
    use chrono::Datelike;

    fn stages() -> Vec<StageOption> {
        DEFAULT_PIPELINE
            .iter()
            .map(|(code, probability, outcome)| StageOption {
                id: code.to_string(),
                code: Some(code.to_string()),
                name: None,
                probability: *probability,
                outcome: *outcome,
            })
            .collect()
    }

    #[test]
    fn every_day_of_the_year_the_demo_shows_money_in_each_of_the_last_three_months() {
        let managers: Vec<UserId> = (0..5).map(|_| UserId::new()).collect();
        let mut day = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
        while day.year() == 2026 {
            let batch = generate(&mut Rng(20_261_129), DepartmentId::new(), &managers, &stages(), day).unwrap();
            let mut month = Month::containing(day);
            for _ in 0..3 {
                assert!(batch.received.iter().any(|p| month.contains(p.on)), "{day}: nothing received in {month:?}");
                month = month.previous();
            }
            assert!(batch.received.iter().all(|p| p.on <= day), "{day}: a payment from the future");
            day += Duration::days(1);
        }
    }
}
