//! Organisations, departments, users, sessions and sign-in failures.

use chrono::{DateTime, Utc};

use super::{Store, StoreError, StoreResult, Tx, id};
use crate::model::people::Viewer;
use crate::model::people::{Department, Person, UserSummary};
use crate::domain::throttle::{Failures, Policy};
use crate::domain::user::{Email, Role};
use crate::domain::{DepartmentId, OrganisationId, UserId};
use crate::i18n::Locale;

pub struct NewUser<'a> {
    pub organisation_id: OrganisationId,
    pub department_id: Option<DepartmentId>,
    pub email: &'a Email,
    pub name: &'a str,
    pub role: Role,
    pub password_hash: &'a str,
}

/// What a sign-in needs to know about an account.
pub struct Credentials {
    pub user_id: UserId,
    pub password_hash: String,
    pub active: bool,
}

#[derive(sqlx::FromRow)]
struct ViewerRow {
    user_id: String,
    organisation_id: String,
    department_id: Option<String>,
    department_name: Option<String>,
    name: String,
    email: String,
    role: String,
    locale: Option<String>,
    time_zone: String,
}

impl ViewerRow {
    fn into_viewer(self) -> StoreResult<Viewer> {
        Ok(Viewer {
            user_id: id(&self.user_id)?,
            organisation_id: id(&self.organisation_id)?,
            department_id: self.department_id.as_deref().map(id).transpose()?,
            department_name: self.department_name,
            name: self.name,
            email: self.email,
            role: parse_role(&self.role)?,
            locale: self.locale.as_deref().and_then(Locale::parse),
            time_zone: self.time_zone,
        })
    }
}

#[derive(sqlx::FromRow)]
struct UserRow {
    user_id: String,
    name: String,
    email: String,
    role: String,
    department_id: Option<String>,
    department_name: Option<String>,
    active: bool,
}

fn parse_role(s: &str) -> StoreResult<Role> {
    Role::parse(s).ok_or_else(|| StoreError::Other(anyhow::anyhow!("unknown role in database: {s}")))
}

const VIEWER_COLUMNS: &str = "u.user_id, u.organisation_id, u.department_id, d.name as department_name, \
     u.name, u.email, u.role, u.locale, (select o.time_zone from organisation o where o.organisation_id = u.organisation_id) as time_zone";

async fn department_managers_in(conn: impl sqlx::SqliteExecutor<'_>, dept: DepartmentId) -> StoreResult<Vec<Person>> {
    let rows: Vec<(String, String)> = sqlx::query_as(
        "select user_id, name from app_user where department_id = ? and role = 'manager' and active order by name",
    )
    .bind(dept.to_string())
    .fetch_all(conn)
    .await?;
    rows.into_iter().map(|(u, name)| Ok(Person { id: id(&u)?, name })).collect()
}

/// Organisations, departments, users, their sign-in and sessions.
pub trait PeopleStore {
    /// The organisation this installation serves, created on first use.
    fn ensure_organisation(&self, name: &str) -> impl Future<Output = StoreResult<OrganisationId>> + Send;

    fn create_department(&self, org: OrganisationId, name: &str) -> impl Future<Output = StoreResult<DepartmentId>> + Send;

    fn departments(&self, org: OrganisationId) -> impl Future<Output = StoreResult<Vec<Department>>> + Send;

    /// Whether `dept` belongs to `org` (ids from a form are never trusted).
    fn department_in_org(&self, org: OrganisationId, dept: DepartmentId) -> impl Future<Output = StoreResult<bool>> + Send;

    fn create_user(&self, new: NewUser<'_>) -> impl Future<Output = StoreResult<UserId>> + Send;

    fn users(&self, org: OrganisationId) -> impl Future<Output = StoreResult<Vec<UserSummary>>> + Send;

    /// Whether no user exists yet (a fresh installation).
    fn has_no_users(&self) -> impl Future<Output = StoreResult<bool>> + Send;

    fn credentials(&self, email: &Email) -> impl Future<Output = StoreResult<Option<Credentials>>> + Send;

    /// The user who signs in with `email`, active or not.
    fn user_by_email(&self, email: &Email) -> impl Future<Output = StoreResult<Option<UserId>>> + Send;

    fn password_hash(&self, user: UserId) -> impl Future<Output = StoreResult<String>> + Send;

    /// Replaces the password and ends every session of the user except `keep`
    /// (the one that made the change, if it was the user themself).
    fn set_password(&self, user: UserId, hash: &str, keep: Option<&str>) -> impl Future<Output = StoreResult<()>> + Send;

    fn set_locale(&self, user: UserId, locale: Locale) -> impl Future<Output = StoreResult<()>> + Send;

    /// Deactivates a user of `org`: they can no longer sign in and their sessions end;
    /// their clients, deals and payments stay.
    fn deactivate_user(&self, org: OrganisationId, user: UserId) -> impl Future<Output = StoreResult<()>> + Send;

    /// Whether `user` belongs to `org`.
    fn user_in_org(&self, org: OrganisationId, user: UserId) -> impl Future<Output = StoreResult<bool>> + Send;

    fn viewer(&self, user: UserId) -> impl Future<Output = StoreResult<Viewer>> + Send;

    /// The active managers of a department, by name.
    fn department_managers(&self, dept: DepartmentId) -> impl Future<Output = StoreResult<Vec<Person>>> + Send;

    fn create_session(&self, hash: &str, user: UserId, user_agent: Option<&str>) -> impl Future<Output = StoreResult<()>> + Send;

    /// The viewer behind a live session, touching it; dead or unknown sessions give
    /// `None` (and dead ones are removed). One query on the common path.
    fn session_viewer(&self, hash: &str, now: DateTime<Utc>) -> impl Future<Output = StoreResult<Option<Viewer>>> + Send;

    fn delete_session(&self, hash: &str) -> impl Future<Output = StoreResult<()>> + Send;

    /// Counts a sign-in attempt for `key` before its password is checked, by
    /// [`Policy::reserve`], and returns the record with it. Reading and writing the
    /// count is one step: attempts made at the same moment each see the ones before.
    fn reserve_login_attempt(
        &self,
        key: &str,
        policy: &Policy,
        now: DateTime<Utc>,
    ) -> impl Future<Output = StoreResult<Failures>> + Send;

    /// Gives back the attempt `reserved` counted for `key` (it succeeded, and only
    /// failures count against an address). Nothing changes once a new window began.
    fn release_login_attempt(&self, key: &str, reserved: &Failures) -> impl Future<Output = StoreResult<()>> + Send;

    fn clear_login_failures(&self, key: &str) -> impl Future<Output = StoreResult<()>> + Send;
}

impl PeopleStore for Store {
    async fn ensure_organisation(&self, name: &str) -> StoreResult<OrganisationId> {
        let now = self.now();
        if let Some(existing) = sqlx::query_scalar::<_, String>("select organisation_id from organisation order by created_at limit 1")
            .fetch_optional(&self.pool)
            .await?
        {
            return id(&existing);
        }
        let org = OrganisationId::new();
        sqlx::query("insert into organisation (organisation_id, name, created_at) values (?, ?, ?)")
            .bind(org.to_string())
            .bind(name)
            .bind(now)
            .execute(&self.pool)
            .await?;
        Ok(org)
    }

    async fn create_department(&self, org: OrganisationId, name: &str) -> StoreResult<DepartmentId> {
        let dept = DepartmentId::new();
        let now = self.now();
        sqlx::query(
            "insert into department (department_id, organisation_id, name, name_key, created_at, updated_at) values (?, ?, ?, ?, ?, ?)",
        )
        .bind(dept.to_string())
        .bind(org.to_string())
        .bind(name)
        .bind(name.to_lowercase())
        .bind(now)
        .bind(now)
        .execute(&self.pool)
        .await?;
        Ok(dept)
    }

    async fn departments(&self, org: OrganisationId) -> StoreResult<Vec<Department>> {
        let rows: Vec<(String, String, i64)> = sqlx::query_as(
            "select d.department_id, d.name, \
                    (select count(*) from app_user u where u.department_id = d.department_id and u.active) \
             from department d where d.organisation_id = ? order by d.name",
        )
        .bind(org.to_string())
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter().map(|(d, name, people)| Ok(Department { id: id(&d)?, name, people })).collect()
    }

    async fn department_in_org(&self, org: OrganisationId, dept: DepartmentId) -> StoreResult<bool> {
        let found: Option<i64> = sqlx::query_scalar("select 1 from department where department_id = ? and organisation_id = ?")
            .bind(dept.to_string())
            .bind(org.to_string())
            .fetch_optional(&self.pool)
            .await?;
        Ok(found.is_some())
    }

    async fn create_user(&self, new: NewUser<'_>) -> StoreResult<UserId> {
        let user = UserId::new();
        let now = self.now();
        sqlx::query(
            "insert into app_user (user_id, organisation_id, department_id, email, name, role, password_hash, created_at, updated_at) \
             values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(user.to_string())
        .bind(new.organisation_id.to_string())
        .bind(new.department_id.map(|d| d.to_string()))
        .bind(new.email.as_str())
        .bind(new.name)
        .bind(new.role.as_str())
        .bind(new.password_hash)
        .bind(now)
        .bind(now)
        .execute(&self.pool)
        .await?;
        Ok(user)
    }

    async fn users(&self, org: OrganisationId) -> StoreResult<Vec<UserSummary>> {
        let rows: Vec<UserRow> = sqlx::query_as(
            "select u.user_id, u.name, u.email, u.role, u.department_id, d.name as department_name, u.active \
             from app_user u left join department d on d.department_id = u.department_id \
             where u.organisation_id = ? order by u.active desc, d.name, u.role, u.name",
        )
        .bind(org.to_string())
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|r| {
                Ok(UserSummary {
                    id: id(&r.user_id)?,
                    role: parse_role(&r.role)?,
                    department_id: r.department_id.as_deref().map(id).transpose()?,
                    name: r.name,
                    email: r.email,
                    department_name: r.department_name,
                    active: r.active,
                })
            })
            .collect()
    }

    async fn has_no_users(&self) -> StoreResult<bool> {
        let any: Option<i64> = sqlx::query_scalar("select 1 from app_user limit 1").fetch_optional(&self.pool).await?;
        Ok(any.is_none())
    }

    async fn credentials(&self, email: &Email) -> StoreResult<Option<Credentials>> {
        let row: Option<(String, String, bool)> =
            sqlx::query_as("select user_id, password_hash, active from app_user where email = ?")
                .bind(email.as_str())
                .fetch_optional(&self.pool)
                .await?;
        row.map(|(u, password_hash, active)| Ok(Credentials { user_id: id(&u)?, password_hash, active })).transpose()
    }

    async fn user_by_email(&self, email: &Email) -> StoreResult<Option<UserId>> {
        let user: Option<String> =
            sqlx::query_scalar("select user_id from app_user where email = ?").bind(email.as_str()).fetch_optional(&self.pool).await?;
        user.as_deref().map(id).transpose()
    }

    async fn password_hash(&self, user: UserId) -> StoreResult<String> {
        Ok(sqlx::query_scalar("select password_hash from app_user where user_id = ?")
            .bind(user.to_string())
            .fetch_one(&self.pool)
            .await?)
    }

    async fn set_password(&self, user: UserId, hash: &str, keep: Option<&str>) -> StoreResult<()> {
        let now = self.now();
        let mut tx = self.pool.begin().await?;
        let done = sqlx::query("update app_user set password_hash = ?, updated_at = ?, version = version + 1 where user_id = ?")
            .bind(hash)
            .bind(now)
            .bind(user.to_string())
            .execute(&mut *tx)
            .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        sqlx::query("delete from session where user_id = ? and session_hash is not ?")
            .bind(user.to_string())
            .bind(keep)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn set_locale(&self, user: UserId, locale: Locale) -> StoreResult<()> {
        let now = self.now();
        sqlx::query("update app_user set locale = ?, updated_at = ? where user_id = ?")
            .bind(locale.code())
            .bind(now)
            .bind(user.to_string())
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn deactivate_user(&self, org: OrganisationId, user: UserId) -> StoreResult<()> {
        let now = self.now();
        let mut tx = self.pool.begin().await?;
        let done = sqlx::query(
            "update app_user set active = 0, updated_at = ?, version = version + 1 where user_id = ? and organisation_id = ?",
        )
        .bind(now)
        .bind(user.to_string())
        .bind(org.to_string())
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        sqlx::query("delete from session where user_id = ?").bind(user.to_string()).execute(&mut *tx).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn user_in_org(&self, org: OrganisationId, user: UserId) -> StoreResult<bool> {
        let found: Option<i64> = sqlx::query_scalar("select 1 from app_user where user_id = ? and organisation_id = ?")
            .bind(user.to_string())
            .bind(org.to_string())
            .fetch_optional(&self.pool)
            .await?;
        Ok(found.is_some())
    }

    async fn viewer(&self, user: UserId) -> StoreResult<Viewer> {
        let row: ViewerRow = sqlx::query_as(&format!(
            "select {VIEWER_COLUMNS} from app_user u left join department d on d.department_id = u.department_id \
             where u.user_id = ?"
        ))
        .bind(user.to_string())
        .fetch_one(&self.pool)
        .await?;
        row.into_viewer()
    }

    async fn department_managers(&self, dept: DepartmentId) -> StoreResult<Vec<Person>> {
        department_managers_in(&self.pool, dept).await
    }

    async fn create_session(&self, hash: &str, user: UserId, user_agent: Option<&str>) -> StoreResult<()> {
        let now = self.now();
        sqlx::query("insert into session (session_hash, user_id, created_at, last_seen_at, user_agent) values (?, ?, ?, ?, ?)")
            .bind(hash)
            .bind(user.to_string())
            .bind(now)
            .bind(now)
            .bind(user_agent)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn session_viewer(&self, hash: &str, now: DateTime<Utc>) -> StoreResult<Option<Viewer>> {
        #[derive(sqlx::FromRow)]
        struct Row {
            created_at: DateTime<Utc>,
            last_seen_at: DateTime<Utc>,
            active: bool,
            #[sqlx(flatten)]
            viewer: ViewerRow,
        }
        let row: Option<Row> = sqlx::query_as(&format!(
            "select s.created_at, s.last_seen_at, u.active, {VIEWER_COLUMNS} from session s \
             join app_user u on u.user_id = s.user_id \
             left join department d on d.department_id = u.department_id where s.session_hash = ?"
        ))
        .bind(hash)
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else { return Ok(None) };
        if !row.active || !crate::domain::session::is_alive(row.created_at, row.last_seen_at, now) {
            self.delete_session(hash).await?;
            return Ok(None);
        }
        if now - row.last_seen_at >= crate::domain::session::TOUCH_INTERVAL {
            sqlx::query("update session set last_seen_at = ? where session_hash = ?")
                .bind(now)
                .bind(hash)
                .execute(&self.pool)
                .await?;
        }
        row.viewer.into_viewer().map(Some)
    }

    async fn delete_session(&self, hash: &str) -> StoreResult<()> {
        sqlx::query("delete from session where session_hash = ?").bind(hash).execute(&self.pool).await?;
        Ok(())
    }

    async fn reserve_login_attempt(&self, key: &str, policy: &Policy, now: DateTime<Utc>) -> StoreResult<Failures> {
        // A unit of work takes the write lock before the read, so no other attempt reads
        // the count between this one's read and write.
        let mut tx = self.begin().await?;
        let row: Option<(i64, DateTime<Utc>, Option<DateTime<Utc>>)> =
            sqlx::query_as("select failures, window_started_at, locked_until from login_failure where failure_key = ?")
                .bind(key)
                .fetch_optional(tx.conn().await?)
                .await?;
        let record = row.map(|(count, window_started_at, locked_until)| Failures {
            count: u32::try_from(count).unwrap_or(u32::MAX),
            window_started_at,
            locked_until,
        });
        let reserved = policy.reserve(record, now);
        if Some(reserved) != record {
            sqlx::query(
                "insert into login_failure (failure_key, failures, window_started_at, locked_until) values (?, ?, ?, ?) \
                 on conflict (failure_key) do update set failures = excluded.failures, \
                 window_started_at = excluded.window_started_at, locked_until = excluded.locked_until",
            )
            .bind(key)
            .bind(i64::from(reserved.count))
            .bind(reserved.window_started_at)
            .bind(reserved.locked_until)
            .execute(tx.conn().await?)
            .await?;
        }
        tx.commit().await?;
        Ok(reserved)
    }

    async fn release_login_attempt(&self, key: &str, reserved: &Failures) -> StoreResult<()> {
        sqlx::query("update login_failure set failures = failures - 1 where failure_key = ? and window_started_at = ? and failures > 0")
            .bind(key)
            .bind(reserved.window_started_at)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn clear_login_failures(&self, key: &str) -> StoreResult<()> {
        sqlx::query("delete from login_failure where failure_key = ?").bind(key).execute(&self.pool).await?;
        Ok(())
    }
}

/// People inside a unit of work.
pub trait PeopleTx {
    /// The active managers of a department, by name.
    fn department_managers(&mut self, dept: DepartmentId) -> impl Future<Output = StoreResult<Vec<Person>>> + Send;
}

impl PeopleTx for Tx {
    async fn department_managers(&mut self, dept: DepartmentId) -> StoreResult<Vec<Person>> {
        department_managers_in(self.conn().await?, dept).await
    }
}
