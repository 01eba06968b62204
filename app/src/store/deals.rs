//! Deals: lists, one deal's card, and the changes made to it. Every change bumps the
//! deal's version, writes an activity and an audit entry, all in one transaction.

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::SqliteConnection;

use super::prelude::*;
use super::{Script, Store, StoreError, StoreResult, Tx, id};
use crate::domain::deal::{ActivityKind, Outcome};
use crate::domain::payment::{Expected, overdue_amount};
use crate::domain::sync::conflicts;
use crate::domain::{DealId, DepartmentId, Money, UserId};
use crate::model::deals::{
    ActivityLine, BoardColumn, ClosedSum, DealCard, DealDetail, DealFilter, DealSort, PaymentLine,
    StageOption,
};

#[derive(Clone, Copy, PartialEq, Eq)]
enum PaymentKind {
    Expected,
    Received,
}

/// What authorization needs to know about a deal.
#[derive(Clone, Copy, Debug)]
pub struct DealScope {
    pub owner_id: UserId,
    pub department_id: DepartmentId,
    pub outcome: Outcome,
    /// What the deal has received and expects so far, for the bound on its payments.
    pub received_total: Money,
    pub expected_total: Money,
}

#[derive(sqlx::FromRow)]
struct CardRow {
    deal_id: String,
    title: String,
    client: String,
    owner_id: String,
    owner_name: String,
    amount: i64,
    stage_id: String,
    code: Option<String>,
    stage_name: Option<String>,
    probability: i64,
    outcome: String,
    next_step: String,
    next_step_due_on: Option<NaiveDate>,
    version: i64,
}

impl CardRow {
    fn into_card(self) -> StoreResult<DealCard> {
        Ok(DealCard {
            id: id(&self.deal_id)?,
            title: self.title,
            client: self.client,
            owner_id: id(&self.owner_id)?,
            owner_name: self.owner_name,
            amount: Money::from_kopecks(self.amount),
            stage: StageOption {
                id: self.stage_id,
                code: self.code,
                name: self.stage_name,
                probability: self.probability,
                outcome: Outcome::parse(&self.outcome).unwrap_or(Outcome::Open),
            },
            next_step: self.next_step,
            next_step_due_on: self.next_step_due_on,
            version: self.version,
        })
    }
}

const CARD_SELECT: &str = "select d.deal_id, d.title, c.name as client, d.owner_id, u.name as owner_name, d.amount, \
     d.stage_id, s.code, s.name as stage_name, s.probability, s.outcome, d.next_step, d.next_step_due_on, d.version \
     from deal d join client c on c.client_id = d.client_id join app_user u on u.user_id = d.owner_id \
     join stage s on s.stage_id = d.stage_id";

/// Logs an activity on the deal (the change's last statement stamps its last touch).
fn activity<'q>(script: Script<'q>, deal: DealId, kind: ActivityKind, body: &'q str, actor: UserId, at: DateTime<Utc>) -> Script<'q> {
    script
        .then(
            "insert into activity (activity_id, deal_id, client_id, user_id, kind, body, occurred_at) \
             select ?, deal_id, client_id, ?, ?, ?, ? from deal where deal_id = ?",
        )
        .bind(uuid::Uuid::now_v7().to_string())
        .bind(actor.to_string())
        .bind(kind.as_str())
        .bind(body)
        .bind(at)
        .bind(deal.to_string())
}

/// A change's last statement: sets `fields` (`column = ?, ` each, their values bound
/// by `values`), bumps the deal's version and stamps who changed it, and its last touch
/// when the change logged an activity.
fn touch<'q>(
    script: Script<'q>,
    fields: &str,
    values: impl FnOnce(Script<'q>) -> Script<'q>,
    deal: DealId,
    actor: UserId,
    now: DateTime<Utc>,
    touched: bool,
) -> Script<'q> {
    let touched_at = if touched { ", touched_at = max(coalesce(touched_at, ''), ?)" } else { "" };
    let script = values(script.then(&format!(
        "update deal set {fields}version = version + 1, updated_at = ?, updated_by = ?{touched_at} \
         where deal_id = ? and deleted_at is null returning version"
    )))
    .bind(now)
    .bind(actor.to_string());
    let script = if touched { script.bind(now) } else { script };
    script.bind(deal.to_string())
}

/// Runs a change's statements in one round trip; the deal's new version.
async fn run(script: Script<'_>, tx: &mut Tx) -> StoreResult<i64> {
    script.run(tx).await?.ok_or(StoreError::NotFound)
}

/// A deal's guarded fields, as read with its scope.
pub(super) struct DealRead {
    stage_id: String,
    amount: Money,
    version: i64,
}

async fn deal_scope_in(conn: &mut SqliteConnection, deal: DealId) -> StoreResult<Option<(DealScope, DealRead)>> {
    let row: Option<(String, String, String, i64, i64, String, i64, i64)> = sqlx::query_as(
        "select d.owner_id, d.department_id, s.outcome, cast(d.received_total as integer), cast(d.expected_total as integer), \
         d.stage_id, d.amount, d.version \
         from deal d join stage s on s.stage_id = d.stage_id where d.deal_id = ? and d.deleted_at is null",
    )
    .bind(deal.to_string())
    .fetch_optional(conn)
    .await?;
    row.map(|(owner, dept, outcome, received, expected, stage_id, amount, version)| {
        let scope = DealScope { owner_id: id(&owner)?, department_id: id(&dept)?, outcome: Outcome::parse(&outcome).unwrap_or(Outcome::Open),
            received_total: Money::from_kopecks(received),
            expected_total: Money::from_kopecks(expected) };
        Ok((scope, DealRead { stage_id, amount: Money::from_kopecks(amount), version }))
    })
    .transpose()
}

/// Deals: lists, the board, one deal's card.
pub trait DealStore {
    /// Who owns the deal, in which department, and whether it is open.
    fn deal_scope(&self, deal: DealId) -> impl Future<Output = StoreResult<Option<DealScope>>> + Send;

    /// Open deals of a department (or one owner) that pass `filter`: by default next
    /// steps overdue or due today first, then by due date, then those without a step.
    fn open_deals(
        &self,
        dept: DepartmentId,
        owner: Option<UserId>,
        filter: &DealFilter,
        today: NaiveDate,
        limit: i64,
    ) -> impl Future<Output = StoreResult<Vec<DealCard>>> + Send;

    /// The pipeline board's open columns: per stage, how many deals and how much money
    /// (from the rollup), and its `per_stage` biggest deals.
    fn board(
        &self,
        dept: DepartmentId,
        owner: Option<UserId>,
        stages: &[StageOption],
        per_stage: i64,
    ) -> impl Future<Output = StoreResult<Vec<BoardColumn>>> + Send;

    /// Deals won and lost with a closing date in `[from, to)`: count and amount.
    fn closed_between(
        &self,
        dept: DepartmentId,
        owner: Option<UserId>,
        from: NaiveDate,
        to: NaiveDate,
    ) -> impl Future<Output = StoreResult<Vec<ClosedSum>>> + Send;

    /// All deals of a client, open ones first.
    fn client_deals(&self, client: crate::domain::ClientId) -> impl Future<Output = StoreResult<Vec<DealCard>>> + Send;

    fn deal_detail(&self, deal: DealId, today: NaiveDate) -> impl Future<Output = StoreResult<DealDetail>> + Send;
}

impl DealStore for Store {
    async fn deal_scope(&self, deal: DealId) -> StoreResult<Option<DealScope>> {
        Ok(deal_scope_in(&mut *self.pool.acquire().await?, deal).await?.map(|(scope, _)| scope))
    }

    async fn open_deals(
        &self,
        dept: DepartmentId,
        owner: Option<UserId>,
        filter: &DealFilter,
        today: NaiveDate,
        limit: i64,
    ) -> StoreResult<Vec<DealCard>> {
        // Literal conditions (not `? is null or …`) so SQLite picks the matching index.
        let mut binds = vec![dept.to_string()];
        let mut conditions = String::new();
        if let Some(owner) = owner {
            binds.push(owner.to_string());
            conditions.push_str(&format!(" and d.owner_id = ?{}", binds.len()));
        }
        if let Some(stage) = &filter.stage {
            binds.push(stage.clone());
            conditions.push_str(&format!(" and d.stage_id = ?{}", binds.len()));
        }
        if let Some(month) = filter.close {
            binds.push(month.first_day().to_string());
            binds.push(month.next_first_day().to_string());
            conditions.push_str(&format!(" and d.expected_close_on >= ?{} and d.expected_close_on < ?{}", binds.len() - 1, binds.len()));
        }
        if filter.overdue {
            // What `domain::payment::overdue_amount` counts: expected before today beyond
            // everything received.
            binds.push(today.to_string());
            conditions.push_str(&format!(
                " and d.expected_total > d.received_total and (select total(e.amount) from expected_payment e \
                   where e.deal_id = d.deal_id and e.deleted_at is null and e.due_on < ?{}) > d.received_total",
                binds.len()
            ));
        }
        let order = match filter.sort {
            // Overdue and today's steps come first simply by date order; the expression
            // is the one the 0006 migration indexes.
            DealSort::Due => "coalesce(d.next_step_due_on, '9999-12-31'), d.amount desc",
            DealSort::Amount => "d.amount desc",
        };
        let sql = format!(
            "{CARD_SELECT} where d.department_id = ?1 {conditions} and d.deleted_at is null and d.outcome = 'open' \
             order by {order} limit ?{}",
            binds.len() + 1
        );
        let mut query = sqlx::query_as::<_, CardRow>(&sql);
        for b in &binds {
            query = query.bind(b);
        }
        let rows = query.bind(limit).fetch_all(&self.pool).await?;
        rows.into_iter().map(CardRow::into_card).collect()
    }

    async fn board(
        &self,
        dept: DepartmentId,
        owner: Option<UserId>,
        stages: &[StageOption],
        per_stage: i64,
    ) -> StoreResult<Vec<BoardColumn>> {
        let totals: Vec<(String, i64, i64)> = sqlx::query_as(
            "select stage_id, sum(deals), cast(total(amount) as integer) from deal_rollup \
             where department_id = ?1 and (?2 is null or owner_id = ?2) group by stage_id",
        )
        .bind(dept.to_string())
        .bind(owner.map(|u| u.to_string()))
        .fetch_all(&self.pool)
        .await?;
        let owner_filter = if owner.is_some() { "and d.owner_id = ?2" } else { "" };
        let sql = format!(
            "{CARD_SELECT} where d.department_id = ?1 {owner_filter} and d.stage_id = ?3 and d.deleted_at is null \
             order by d.amount desc limit ?4"
        );
        let mut columns = Vec::new();
        // One indexed query per open stage: a department has a handful, and each reads
        // only the rows it shows.
        for stage in stages.iter().filter(|s| s.outcome == Outcome::Open).cloned() {
            let rows: Vec<CardRow> = sqlx::query_as(&sql)
                .bind(dept.to_string())
                .bind(owner.map(|u| u.to_string()))
                .bind(&stage.id)
                .bind(per_stage)
                .fetch_all(&self.pool)
                .await?;
            let cards = rows.into_iter().map(CardRow::into_card).collect::<StoreResult<Vec<_>>>()?;
            let (count, amount) = totals.iter().find(|t| t.0 == stage.id).map(|t| (t.1, t.2)).unwrap_or((0, 0));
            columns.push(BoardColumn { stage, count, amount: Money::from_kopecks(amount), cards });
        }
        Ok(columns)
    }

    async fn closed_between(
        &self,
        dept: DepartmentId,
        owner: Option<UserId>,
        from: NaiveDate,
        to: NaiveDate,
    ) -> StoreResult<Vec<ClosedSum>> {
        let rows: Vec<(String, i64, i64)> = sqlx::query_as(
            "select outcome, count(*), cast(total(amount) as integer) from deal where department_id = ?1 and deleted_at is null \
             and closed_on >= ?2 and closed_on < ?3 and outcome != 'open' and (?4 is null or owner_id = ?4) group by outcome",
        )
        .bind(dept.to_string())
        .bind(from)
        .bind(to)
        .bind(owner.map(|u| u.to_string()))
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .filter_map(|(o, count, a)| Outcome::parse(&o).map(|outcome| ClosedSum { outcome, count, amount: Money::from_kopecks(a) }))
            .collect())
    }

    async fn client_deals(&self, client: crate::domain::ClientId) -> StoreResult<Vec<DealCard>> {
        let rows: Vec<CardRow> = sqlx::query_as(&format!(
            "{CARD_SELECT} where d.client_id = ? and d.deleted_at is null \
             order by case s.outcome when 'open' then 0 when 'won' then 1 else 2 end, d.created_at desc"
        ))
        .bind(client.to_string())
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter().map(CardRow::into_card).collect()
    }

    async fn deal_detail(&self, deal: DealId, today: NaiveDate) -> StoreResult<DealDetail> {
        let key = deal.to_string();
        let card: CardRow = sqlx::query_as(&format!("{CARD_SELECT} where d.deal_id = ? and d.deleted_at is null"))
            .bind(&key)
            .fetch_one(&self.pool)
            .await?;
        let (dept, loss_reason): (String, Option<String>) =
            sqlx::query_as("select department_id, loss_reason from deal where deal_id = ?").bind(&key).fetch_one(&self.pool).await?;
        let lines = |table: &'static str, date: &'static str| {
            let key = key.clone();
            async move {
                let rows: Vec<(i64, NaiveDate)> = sqlx::query_as(&format!(
                    "select amount, {date} from {table} where deal_id = ? and deleted_at is null order by {date}"
                ))
                .bind(key)
                .fetch_all(&self.pool)
                .await?;
                Ok::<_, StoreError>(rows.into_iter().map(|(a, on)| PaymentLine { amount: Money::from_kopecks(a), on }).collect::<Vec<_>>())
            }
        };
        let expected = lines("expected_payment", "due_on").await?;
        let received = lines("received_payment", "received_on").await?;
        let activities: Vec<(String, String, DateTime<Utc>, String)> = sqlx::query_as(
            "select a.kind, a.body, a.occurred_at, u.name from activity a join app_user u on u.user_id = a.user_id \
             where a.deal_id = ? order by a.occurred_at desc limit 100",
        )
        .bind(&key)
        .fetch_all(&self.pool)
        .await?;
        let due: Vec<Expected> = expected.iter().map(|p| Expected { amount: p.amount, due_on: p.on }).collect();
        let received_total: Money = received.iter().map(|p| p.amount).sum();
        let card = card.into_card()?;
        let overdue = if card.stage.outcome == Outcome::Lost { Money::ZERO } else { overdue_amount(&due, received_total, today) };
        Ok(DealDetail {
            today,
            card,
            loss_reason,
            stages: self.stages(id(&dept)?).await?,
            expected,
            received,
            overdue,
            activities: activities
                .into_iter()
                .map(|(kind, body, at, user)| ActivityLine { kind: ActivityKind::parse(&kind).unwrap_or(ActivityKind::Note), body, at, user })
                .collect(),
            managers: Vec::new(),
        })
    }
}

/// Deals inside a unit of work: the write contract's reads and writes; the caller commits.
pub trait DealTx {
    fn deal_scope(&mut self, deal: DealId) -> impl Future<Output = StoreResult<Option<DealScope>>> + Send;

    /// Moves the deal to `stage`. With `seen` (the stage the person saw), a stage
    /// changed meanwhile by someone else is refused as [`StoreError::Stale`], and a
    /// move to where the deal already is changes nothing.
    fn change_stage(
        &mut self,
        deal: DealId,
        stage: &StageOption,
        loss_reason: Option<&str>,
        today: NaiveDate,
        actor: UserId,
        seen: Option<&str>,
    ) -> impl Future<Output = StoreResult<i64>> + Send;

    /// Sets the deal's amount, guarded like [`DealTx::change_stage`] by the amount the
    /// person saw.
    fn set_amount(&mut self, deal: DealId, amount: Money, actor: UserId, seen: Option<Money>) -> impl Future<Output = StoreResult<i64>> + Send;

    fn add_activity(&mut self, deal: DealId, kind: ActivityKind, body: &str, actor: UserId) -> impl Future<Output = StoreResult<i64>> + Send;

    /// A payment received on `on`: also logged in the deal's history.
    fn add_received_payment(&mut self, deal: DealId, amount: Money, on: NaiveDate, actor: UserId) -> impl Future<Output = StoreResult<i64>> + Send;

    /// A payment expected by `due_on`.
    fn add_expected_payment(&mut self, deal: DealId, amount: Money, due_on: NaiveDate, actor: UserId) -> impl Future<Output = StoreResult<i64>> + Send;

    fn set_next_step(&mut self, deal: DealId, next_step: &str, due_on: Option<NaiveDate>, actor: UserId) -> impl Future<Output = StoreResult<i64>> + Send;

    /// Hands the deal to `owner`; its received money moves with it (see the 0005 triggers).
    fn set_deal_owner(&mut self, deal: DealId, owner: UserId, actor: UserId) -> impl Future<Output = StoreResult<i64>> + Send;
}

impl DealTx for Tx {
    async fn deal_scope(&mut self, deal: DealId) -> StoreResult<Option<DealScope>> {
        let Some((scope, read)) = deal_scope_in(self.read_conn(), deal).await? else { return Ok(None) };
        self.deal_read = Some((deal, read));
        Ok(Some(scope))
    }

    async fn change_stage(
        &mut self,
        deal: DealId,
        stage: &StageOption,
        loss_reason: Option<&str>,
        today: NaiveDate,
        actor: UserId,
        seen: Option<&str>,
    ) -> StoreResult<i64> {
        let now = self.now();
        let DealRead { stage_id: current, version, .. } = self.guarded(deal).await?;
        if seen.is_some() && current == stage.id {
            return Ok(version);
        }
        if conflicts(seen, current.as_str(), stage.id.as_str()) {
            return Err(StoreError::Stale);
        }
        let closed_on = (stage.outcome != Outcome::Open).then_some(today);
        let label = stage.code.clone().or_else(|| stage.name.clone()).unwrap_or_default();
        let script = activity(Script::new(), deal, ActivityKind::Stage, &label, actor, now)
            .audit(now, actor, "deal", deal.to_string(), "set_stage", serde_json::json!({ "stage": stage.id, "loss_reason": loss_reason }));
        let fields = "stage_id = ?, loss_reason = ?, closed_on = ?, ";
        run(touch(script, fields, |s| s.bind(&stage.id).bind(loss_reason).bind(closed_on), deal, actor, now, true), self).await
    }

    async fn set_amount(&mut self, deal: DealId, amount: Money, actor: UserId, seen: Option<Money>) -> StoreResult<i64> {
        let now = self.now();
        let DealRead { amount: current, version, .. } = self.guarded(deal).await?;
        if seen.is_some() && current == amount {
            return Ok(version);
        }
        if conflicts(seen.as_ref(), &current, &amount) {
            return Err(StoreError::Stale);
        }
        let script = Script::new().audit(now, actor, "deal", deal.to_string(), "set_amount", serde_json::json!({ "from": current, "to": amount }));
        run(touch(script, "amount = ?, ", |s| s.bind(amount.kopecks()), deal, actor, now, false), self).await
    }

    async fn add_activity(&mut self, deal: DealId, kind: ActivityKind, body: &str, actor: UserId) -> StoreResult<i64> {
        let now = self.now();
        let script = activity(Script::new(), deal, kind, body, actor, now);
        run(touch(script, "", |s| s, deal, actor, now, true), self).await
    }

    async fn add_received_payment(&mut self, deal: DealId, amount: Money, on: NaiveDate, actor: UserId) -> StoreResult<i64> {
        self.add_payment(PaymentKind::Received, deal, amount, on, actor).await
    }

    async fn add_expected_payment(&mut self, deal: DealId, amount: Money, due_on: NaiveDate, actor: UserId) -> StoreResult<i64> {
        self.add_payment(PaymentKind::Expected, deal, amount, due_on, actor).await
    }

    async fn set_next_step(&mut self, deal: DealId, next_step: &str, due_on: Option<NaiveDate>, actor: UserId) -> StoreResult<i64> {
        let now = self.now();
        let script = Script::new()
            .audit(now, actor, "deal", deal.to_string(), "set_next_step", serde_json::json!({ "next_step": next_step, "due_on": due_on }));
        run(touch(script, "next_step = ?, next_step_due_on = ?, ", |s| s.bind(next_step).bind(due_on), deal, actor, now, false), self).await
    }

    async fn set_deal_owner(&mut self, deal: DealId, owner: UserId, actor: UserId) -> StoreResult<i64> {
        let now = self.now();
        let names: (String, String) = sqlx::query_as(
            "select (select name from app_user where user_id = d.owner_id), (select name from app_user where user_id = ?) \
             from deal d where d.deal_id = ?",
        )
        .bind(owner.to_string())
        .bind(deal.to_string())
        .fetch_one(self.read_conn())
        .await?;
        // The owner on its own statement: its triggers move the deal's money and sync
        // rows to the new owner before the version is bumped.
        let script = Script::new()
            .then("update deal set owner_id = ? where deal_id = ?")
            .bind(owner.to_string())
            .bind(deal.to_string())
            .audit(now, actor, "deal", deal.to_string(), "set_owner", serde_json::json!({ "from": names.0, "to": names.1, "to_id": owner }));
        run(touch(script, "", |s| s, deal, actor, now, false), self).await
    }
}

impl Tx {
    /// The deal's guarded fields: as its scope read them just before, or read now.
    async fn guarded(&mut self, deal: DealId) -> StoreResult<DealRead> {
        if let Some((read, fields)) = self.deal_read.take()
            && read == deal
        {
            return Ok(fields);
        }
        let (stage_id, amount, version): (String, i64, i64) = sqlx::query_as("select stage_id, amount, version from deal where deal_id = ?")
            .bind(deal.to_string())
            .fetch_one(self.read_conn())
            .await?;
        Ok(DealRead { stage_id, amount: Money::from_kopecks(amount), version })
    }

    async fn add_payment(&mut self, kind: PaymentKind, deal: DealId, amount: Money, on: NaiveDate, actor: UserId) -> StoreResult<i64> {
        let (table, key, date, action) = match kind {
            PaymentKind::Expected => ("expected_payment", "expected_payment_id", "due_on", "expect_payment"),
            PaymentKind::Received => ("received_payment", "received_payment_id", "received_on", "record_payment"),
        };
        let mut audit = serde_json::json!({ "amount": amount });
        audit[date] = serde_json::json!(on);
        let now = self.now();
        let insert = format!(
            "insert into {table} ({key}, deal_id, amount, {date}, created_at, updated_at, updated_by) values (?, ?, ?, ?, ?, ?, ?)"
        );
        let mut script = Script::new()
            .then(&insert)
            .bind(uuid::Uuid::now_v7().to_string())
            .bind(deal.to_string())
            .bind(amount.kopecks())
            .bind(on)
            .bind(now)
            .bind(now)
            .bind(actor.to_string());
        let body = amount.kopecks().to_string();
        let received = kind == PaymentKind::Received;
        if received {
            script = activity(script, deal, ActivityKind::Payment, &body, actor, now);
        }
        let script = script.audit(now, actor, "deal", deal.to_string(), action, audit);
        run(touch(script, "", |s| s, deal, actor, now, received), self).await
    }
}
