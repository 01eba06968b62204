//! Clients: search, one client's card, and creating clients and their deals.

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::SqliteConnection;

use super::prelude::*;
use super::{Store, StoreError, StoreResult, Tx, audit_in, id};
use crate::model::clients::{ClientActivity, ClientDetail, ClientRow, ClientsAndDeals, ContactLine};
use crate::model::deals::ActivityLine;
use crate::domain::client::{ClientFields, ContactForm, NewClient, search_text};
use crate::domain::deal::ActivityKind;
use crate::domain::{ClientId, DealId, DepartmentId, Money, UserId};

/// How many entries a client's card shows of its history.
pub const CLIENT_HISTORY: i64 = 50;

/// Who owns a client and where it lives, for authorization.
#[derive(Clone, Copy, Debug)]
pub struct ClientScope {
    pub owner_id: UserId,
    pub department_id: DepartmentId,
}

pub struct NewDealForm<'a> {
    /// Made by the creating device, so an offline client knows it before the server.
    pub id: DealId,
    pub client: ClientId,
    pub department: DepartmentId,
    pub owner: UserId,
    pub stage_id: &'a str,
    pub title: &'a str,
    pub amount: Money,
    pub expected_close_on: Option<NaiveDate>,
    pub next_step: &'a str,
    pub next_step_due_on: Option<NaiveDate>,
    pub source: &'a str,
}

async fn client_scope_in(conn: impl sqlx::SqliteExecutor<'_>, client: ClientId) -> StoreResult<Option<ClientScope>> {
    let row: Option<(String, String)> =
        sqlx::query_as("select owner_id, department_id from client where client_id = ? and deleted_at is null")
            .bind(client.to_string())
            .fetch_optional(conn)
            .await?;
    row.map(|(o, d)| Ok(ClientScope { owner_id: id(&o)?, department_id: id(&d)? })).transpose()
}

/// Recomputes one client's search text from its name, INN and live contacts.
async fn reindex_client_in(conn: &mut SqliteConnection, client: ClientId) -> StoreResult<()> {
    let key = client.to_string();
    let (name, inn): (String, Option<String>) = sqlx::query_as("select name, inn from client where client_id = ?").bind(&key).fetch_one(&mut *conn).await?;
    let contacts: Vec<(String, String, String)> =
        sqlx::query_as("select name, phone, email from contact where client_id = ? and deleted_at is null").bind(&key).fetch_all(&mut *conn).await?;
    let mut parts: Vec<&str> = vec![&name];
    if let Some(inn) = &inn {
        parts.push(inn);
    }
    for (n, p, e) in &contacts {
        parts.extend([n.as_str(), p.as_str(), e.as_str()]);
    }
    sqlx::query("update client set search_text = ? where client_id = ?").bind(search_text(parts)).bind(&key).execute(conn).await?;
    Ok(())
}

/// Clients: search, a client's card and history, handing a manager's book over.
pub trait ClientStore {
    /// Hands all of `from`'s clients and their deals to `to`, in one transaction
    /// (when a manager leaves or a territory moves). Returns how many of each moved.
    fn reassign_all(&self, dept: DepartmentId, from: UserId, to: UserId, actor: UserId) -> impl Future<Output = StoreResult<ClientsAndDeals>> + Send;

    /// Fills `search_text` for clients that lack it (rows from before search existed,
    /// bulk inserts). One pass, batched in one transaction.
    fn reindex_clients(&self) -> impl Future<Output = StoreResult<()>> + Send;

    /// Clients of a department (or one owner) matching `pattern` (see
    /// [`crate::domain::client::search_pattern`]), by name.
    fn search_clients(
        &self,
        dept: DepartmentId,
        owner: Option<UserId>,
        pattern: Option<&str>,
        limit: i64,
    ) -> impl Future<Output = StoreResult<Vec<ClientRow>>> + Send;

    fn client_scope(&self, client: ClientId) -> impl Future<Output = StoreResult<Option<ClientScope>>> + Send;

    fn client_detail(&self, client: ClientId, today: NaiveDate) -> impl Future<Output = StoreResult<ClientDetail>> + Send;

    /// The client's history across all its deals, newest first.
    fn client_activities(&self, client: ClientId, limit: i64) -> impl Future<Output = StoreResult<Vec<ClientActivity>>> + Send;
}

impl ClientStore for Store {
    async fn reassign_all(&self, dept: DepartmentId, from: UserId, to: UserId, actor: UserId) -> StoreResult<ClientsAndDeals> {
        let now = self.now();
        let mut tx = self.pool.begin().await?;
        // Clients and deals move alike: same owner change, version bump and stamp.
        let mut moved = [0i64; 2];
        for (count, table) in moved.iter_mut().zip(["client", "deal"]) {
            *count = sqlx::query(&format!(
                "update {table} set owner_id = ?1, updated_at = ?2, updated_by = ?3, version = version + 1 \
                 where owner_id = ?4 and department_id = ?5 and deleted_at is null"
            ))
            .bind(to.to_string())
            .bind(now)
            .bind(actor.to_string())
            .bind(from.to_string())
            .bind(dept.to_string())
            .execute(&mut *tx)
            .await?
            .rows_affected() as i64;
        }
        let [clients, deals] = moved;
        audit_in(
            &mut tx,
            now,
            actor,
            "user",
            &from.to_string(),
            "reassign_all",
            serde_json::json!({ "to": to, "clients": clients, "deals": deals }),
        )
        .await?;
        tx.commit().await?;
        Ok(ClientsAndDeals { clients, deals })
    }

    async fn reindex_clients(&self) -> StoreResult<()> {
        let rows: Vec<(String, String, Option<String>)> =
            sqlx::query_as("select client_id, name, inn from client where search_text is null").fetch_all(&self.pool).await?;
        if rows.is_empty() {
            return Ok(());
        }
        let contacts: Vec<(String, String, String, String)> = sqlx::query_as(
            "select ct.client_id, ct.name, ct.phone, ct.email from contact ct join client c on c.client_id = ct.client_id \
             where c.search_text is null and ct.deleted_at is null",
        )
        .fetch_all(&self.pool)
        .await?;
        let mut tx = self.pool.begin().await?;
        for (client, name, inn) in rows {
            let mut parts: Vec<&str> = vec![&name];
            if let Some(inn) = &inn {
                parts.push(inn);
            }
            for (_, n, p, e) in contacts.iter().filter(|c| c.0 == client) {
                parts.extend([n.as_str(), p.as_str(), e.as_str()]);
            }
            sqlx::query("update client set search_text = ? where client_id = ?")
                .bind(search_text(parts))
                .bind(&client)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn search_clients(
        &self,
        dept: DepartmentId,
        owner: Option<UserId>,
        pattern: Option<&str>,
        limit: i64,
    ) -> StoreResult<Vec<ClientRow>> {
        let rows: Vec<(String, String, Option<String>, Option<String>, Option<String>, String, i64)> = sqlx::query_as(
            "select c.client_id, c.name, c.inn, \
                    (select ct.name from contact ct where ct.client_id = c.client_id and ct.deleted_at is null order by ct.created_at limit 1), \
                    (select ct.phone from contact ct where ct.client_id = c.client_id and ct.deleted_at is null order by ct.created_at limit 1), \
                    u.name, \
                    (select count(*) from deal d join stage s on s.stage_id = d.stage_id \
                       where d.client_id = c.client_id and d.deleted_at is null and s.outcome = 'open') \
             from client c join app_user u on u.user_id = c.owner_id \
             where c.department_id = ?1 and (?2 is null or c.owner_id = ?2) and c.deleted_at is null \
               and (?3 is null or instr(c.search_text, ?3) > 0) \
             order by c.name limit ?4",
        )
        .bind(dept.to_string())
        .bind(owner.map(|u| u.to_string()))
        .bind(pattern)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|(c, name, inn, contact, phone, owner_name, open_deals)| {
                Ok(ClientRow {
                    id: id(&c)?,
                    name,
                    inn,
                    contact: contact.unwrap_or_default(),
                    phone: phone.unwrap_or_default(),
                    owner_name,
                    open_deals,
                })
            })
            .collect()
    }

    async fn client_scope(&self, client: ClientId) -> StoreResult<Option<ClientScope>> {
        client_scope_in(&self.pool, client).await
    }

    async fn client_detail(&self, client: ClientId, today: NaiveDate) -> StoreResult<ClientDetail> {
        let key = client.to_string();
        let (name, inn, notes, owner_name, dept): (String, Option<String>, String, String, String) = sqlx::query_as(
            "select c.name, c.inn, c.notes, u.name, c.department_id from client c join app_user u on u.user_id = c.owner_id \
             where c.client_id = ?",
        )
        .bind(&key)
        .fetch_one(&self.pool)
        .await?;
        let contacts: Vec<(String, String, String, String, String)> = sqlx::query_as(
            "select contact_id, name, position, phone, email from contact where client_id = ? and deleted_at is null order by created_at",
        )
        .bind(&key)
        .fetch_all(&self.pool)
        .await?;
        let deals = self.client_deals(client).await?;
        Ok(ClientDetail {
            id: client,
            name,
            inn,
            notes,
            owner_name,
            today,
            contacts: contacts.into_iter().map(|(id, name, position, phone, email)| ContactLine { id, name, position, phone, email }).collect(),
            deals,
            stages: self.stages(id(&dept)?).await?,
            activities: self.client_activities(client, CLIENT_HISTORY).await?,
        })
    }

    async fn client_activities(&self, client: ClientId, limit: i64) -> StoreResult<Vec<ClientActivity>> {
        let rows: Vec<(String, String, DateTime<Utc>, String, Option<String>, Option<String>)> = sqlx::query_as(
            "select a.kind, a.body, a.occurred_at, u.name, a.deal_id, d.title from activity a \
             join app_user u on u.user_id = a.user_id left join deal d on d.deal_id = a.deal_id \
             where a.client_id = ? order by a.occurred_at desc limit ?",
        )
        .bind(client.to_string())
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|(kind, body, at, user, deal, title)| {
                Ok(ClientActivity {
                    line: ActivityLine { kind: ActivityKind::parse(&kind).unwrap_or(ActivityKind::Note), body, at, user },
                    deal: deal.map(|d| id(&d)).transpose()?,
                    deal_title: title,
                })
            })
            .collect()
    }
}

/// Clients inside a unit of work: the write contract's reads and writes; the caller commits.
pub trait ClientTx {
    fn client_scope(&mut self, client: ClientId) -> impl Future<Output = StoreResult<Option<ClientScope>>> + Send;

    /// A new client with id `client` (made by the creating device).
    fn create_client(
        &mut self,
        client: ClientId,
        dept: DepartmentId,
        owner: UserId,
        form: &NewClient,
        actor: UserId,
    ) -> impl Future<Output = StoreResult<ClientId>> + Send;

    fn create_deal(&mut self, form: NewDealForm<'_>, actor: UserId) -> impl Future<Output = StoreResult<DealId>> + Send;

    /// Renames the client and sets its INN and notes.
    fn update_client(&mut self, client: ClientId, form: &ClientFields, actor: UserId) -> impl Future<Output = StoreResult<()>> + Send;

    /// Changes this client's contact `contact_id`, or adds it under that id when the
    /// client has no such contact (an offline device makes the id).
    fn save_contact(
        &mut self,
        client: ClientId,
        contact_id: &str,
        form: &ContactForm,
        actor: UserId,
    ) -> impl Future<Output = StoreResult<()>> + Send;

    /// Removes one of this client's contacts (kept as a tombstone for sync).
    fn remove_contact(&mut self, client: ClientId, contact: &str, actor: UserId) -> impl Future<Output = StoreResult<()>> + Send;

    /// A call, meeting or note about the client itself, not one deal.
    fn add_client_activity(&mut self, client: ClientId, kind: ActivityKind, body: &str, actor: UserId) -> impl Future<Output = StoreResult<()>> + Send;
}

impl ClientTx for Tx {
    async fn client_scope(&mut self, client: ClientId) -> StoreResult<Option<ClientScope>> {
        client_scope_in(self.conn().await?, client).await
    }

    async fn create_client(
        &mut self,
        client: ClientId,
        dept: DepartmentId,
        owner: UserId,
        form: &NewClient,
        actor: UserId,
    ) -> StoreResult<ClientId> {
        let now = self.now();
        let search = search_text([
            form.name.as_str(),
            form.inn.as_deref().unwrap_or_default(),
            &form.contact_name,
            &form.contact_phone,
            &form.contact_email,
        ]);
        let mut tx = self.conn().await?;
        sqlx::query(
            "insert into client (client_id, department_id, owner_id, name, inn, notes, search_text, created_at, updated_at, updated_by) \
             values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(client.to_string())
        .bind(dept.to_string())
        .bind(owner.to_string())
        .bind(&form.name)
        .bind(&form.inn)
        .bind(&form.notes)
        .bind(search)
        .bind(now)
        .bind(now)
        .bind(actor.to_string())
        .execute(&mut *tx)
        .await?;
        if !(form.contact_name.is_empty() && form.contact_phone.is_empty() && form.contact_email.is_empty()) {
            sqlx::query(
                "insert into contact (contact_id, client_id, name, position, phone, email, created_at, updated_at) values (?, ?, ?, ?, ?, ?, ?, ?)",
            )
            .bind(uuid::Uuid::now_v7().to_string())
            .bind(client.to_string())
            .bind(&form.contact_name)
            .bind(&form.contact_position)
            .bind(&form.contact_phone)
            .bind(&form.contact_email)
            .bind(now)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        }
        audit_in(&mut tx, now, actor, "client", &client.to_string(), "create", serde_json::json!({ "name": form.name, "inn": form.inn })).await?;
        Ok(client)
    }

    async fn create_deal(&mut self, form: NewDealForm<'_>, actor: UserId) -> StoreResult<DealId> {
        let deal = form.id;
        let now = self.now();
        let mut tx = self.conn().await?;
        sqlx::query(
            "insert into deal (deal_id, department_id, client_id, owner_id, stage_id, title, amount, expected_close_on, \
             next_step, next_step_due_on, source, created_at, updated_at, updated_by, touched_at) \
             values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(deal.to_string())
        .bind(form.department.to_string())
        .bind(form.client.to_string())
        .bind(form.owner.to_string())
        .bind(form.stage_id)
        .bind(form.title)
        .bind(form.amount.kopecks())
        .bind(form.expected_close_on)
        .bind(form.next_step)
        .bind(form.next_step_due_on)
        .bind(form.source)
        .bind(now)
        .bind(now)
        .bind(actor.to_string())
        .bind(now)
        .execute(&mut *tx)
        .await?;
        audit_in(&mut tx, now, actor, "deal", &deal.to_string(), "create", serde_json::json!({ "title": form.title, "amount": form.amount })).await?;
        Ok(deal)
    }

    async fn update_client(&mut self, client: ClientId, form: &ClientFields, actor: UserId) -> StoreResult<()> {
        let now = self.now();
        let mut tx = self.conn().await?;
        sqlx::query(
            "update client set name = ?, inn = ?, notes = ?, search_text = null, updated_at = ?, updated_by = ?, version = version + 1 \
             where client_id = ? and deleted_at is null",
        )
        .bind(&form.name)
        .bind(&form.inn)
        .bind(&form.notes)
        .bind(now)
        .bind(actor.to_string())
        .bind(client.to_string())
        .execute(&mut *tx)
        .await?;
        audit_in(&mut tx, now, actor, "client", &client.to_string(), "update", serde_json::json!({ "name": form.name, "inn": form.inn })).await?;
        reindex_client_in(tx, client).await
    }

    async fn save_contact(
        &mut self,
        client: ClientId,
        contact_id: &str,
        form: &ContactForm,
        actor: UserId,
    ) -> StoreResult<()> {
        let now = self.now();
        let mut tx = self.conn().await?;
        let updated = sqlx::query(
            "update contact set name = ?, position = ?, phone = ?, email = ?, updated_at = ?, version = version + 1 \
             where contact_id = ? and client_id = ? and deleted_at is null",
        )
        .bind(&form.name)
        .bind(&form.position)
        .bind(&form.phone)
        .bind(&form.email)
        .bind(now)
        .bind(contact_id)
        .bind(client.to_string())
        .execute(&mut *tx)
        .await?
        .rows_affected()
            > 0;
        if !updated {
            // Removed from this client, or an id of another client's contact.
            let holder: Option<String> = sqlx::query_scalar("select client_id from contact where contact_id = ?").bind(contact_id).fetch_optional(&mut *tx).await?;
            match holder {
                Some(c) if c != client.to_string() => return Err(StoreError::Conflict("contact.contact_id".into())),
                Some(_) => return Err(StoreError::NotFound),
                None => {}
            }
            sqlx::query(
                "insert into contact (contact_id, client_id, name, position, phone, email, created_at, updated_at) values (?, ?, ?, ?, ?, ?, ?, ?)",
            )
            .bind(contact_id)
            .bind(client.to_string())
            .bind(&form.name)
            .bind(&form.position)
            .bind(&form.phone)
            .bind(&form.email)
            .bind(now)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        }
        sqlx::query("update client set search_text = null where client_id = ?").bind(client.to_string()).execute(&mut *tx).await?;
        let action = if updated { "update_contact" } else { "add_contact" };
        audit_in(&mut tx, now, actor, "client", &client.to_string(), action, serde_json::json!({ "contact": contact_id, "name": form.name })).await?;
        reindex_client_in(tx, client).await
    }

    async fn remove_contact(&mut self, client: ClientId, contact: &str, actor: UserId) -> StoreResult<()> {
        let now = self.now();
        let mut tx = self.conn().await?;
        let name: Option<String> = sqlx::query_scalar(
            "update contact set deleted_at = ?, updated_at = ?, version = version + 1 \
             where contact_id = ? and client_id = ? and deleted_at is null returning name",
        )
        .bind(now)
        .bind(now)
        .bind(contact)
        .bind(client.to_string())
        .fetch_optional(&mut *tx)
        .await?;
        let name = name.ok_or(StoreError::NotFound)?;
        sqlx::query("update client set search_text = null where client_id = ?").bind(client.to_string()).execute(&mut *tx).await?;
        audit_in(&mut tx, now, actor, "client", &client.to_string(), "remove_contact", serde_json::json!({ "contact": contact, "name": name })).await?;
        reindex_client_in(tx, client).await
    }

    async fn add_client_activity(&mut self, client: ClientId, kind: ActivityKind, body: &str, actor: UserId) -> StoreResult<()> {
        let now = self.now();
        let tx = self.conn().await?;
        sqlx::query("insert into activity (activity_id, deal_id, client_id, user_id, kind, body, occurred_at) values (?, null, ?, ?, ?, ?, ?)")
            .bind(uuid::Uuid::now_v7().to_string())
            .bind(client.to_string())
            .bind(actor.to_string())
            .bind(kind.as_str())
            .bind(body)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        Ok(())
    }
}
