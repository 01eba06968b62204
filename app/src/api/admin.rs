//! The admin's pages: departments and users. Admin only; everything is scoped to
//! the admin's organisation, so ids from another organisation answer 404.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::ApiError;
#[cfg(feature = "ssr")]
use crate::domain::user::Role;
use crate::domain::{DepartmentId, UserId};
#[cfg(feature = "ssr")]
use crate::store::prelude::*;

pub use crate::model::people::{Department, UserSummary};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AdminData {
    pub departments: Vec<Department>,
    pub users: Vec<UserSummary>,
}

#[server]
pub async fn admin_overview() -> Result<AdminData, ApiError> {
    use super::ssr::*;
    respond(
        async {
            let admin = viewer_with_role(&[Role::Admin])?;
            let store = store()?;
            Ok(AdminData {
                departments: store.departments(admin.organisation_id).await?,
                users: store.users(admin.organisation_id).await?,
            })
        }
        .await,
    )
}

#[server]
pub async fn create_department(name: String) -> Result<DepartmentId, ApiError> {
    use super::ssr::*;
    use crate::i18n::Msg;
    use crate::store::StoreError;
    respond(
        async {
            let admin = viewer_with_role(&[Role::Admin])?;
            let name = name.trim();
            if name.is_empty() || name.chars().count() > 100 {
                return Err(ApiError::invalid("name", Msg::ErrNameEmpty));
            }
            let store = store()?;
            let dept = store.create_department(admin.organisation_id, name).await.map_err(|e| match e {
                StoreError::Conflict(_) => ApiError::invalid("name", Msg::ErrDepartmentTaken),
                other => other.into(),
            })?;
            store.create_default_pipeline(dept).await?;
            store
                .audit(admin.organisation_id, Some(admin.user_id), "department", &dept.to_string(), "create", serde_json::json!({ "name": name }))
                .await?;
            Ok(dept)
        }
        .await,
    )
}

#[server]
pub async fn create_user(
    name: String,
    email: String,
    role: String,
    department: String,
    password: String,
) -> Result<UserId, ApiError> {
    use super::ssr::*;
    use crate::domain::user::{Email, EmailError, NewPassword, PersonName};
    use crate::i18n::Msg;
    use crate::store::{NewUser, StoreError};
    respond(
        async {
            let admin = viewer_with_role(&[Role::Admin])?;
            let store = store()?;
            let name = PersonName::parse(&name).ok_or_else(|| ApiError::invalid("name", Msg::ErrNameEmpty))?;
            let email = Email::parse(&email).map_err(|e| {
                ApiError::invalid("email", if e == EmailError::Empty { Msg::ErrEmailEmpty } else { Msg::ErrEmailMalformed })
            })?;
            let role = Role::parse(&role).ok_or_else(|| ApiError::invalid("role", Msg::ErrRoleInvalid))?;
            let department = match department.trim() {
                "" => None,
                raw => {
                    let dept: DepartmentId = raw.parse().map_err(|_| ApiError::invalid("department", Msg::ErrDepartmentRequired))?;
                    if !store.department_in_org(admin.organisation_id, dept).await? {
                        return Err(ApiError::invalid("department", Msg::ErrDepartmentRequired));
                    }
                    Some(dept)
                }
            };
            if role.needs_department() && department.is_none() {
                return Err(ApiError::invalid("department", Msg::ErrDepartmentRequired));
            }
            let password = NewPassword::parse(password).map_err(|e| ApiError::invalid("password", super::account::password_msg(e)))?;
            let hash = crate::auth::hash_password(&password).await?;
            let user = store
                .create_user(NewUser {
                    organisation_id: admin.organisation_id,
                    department_id: department,
                    email: &email,
                    name: name.as_str(),
                    role,
                    password_hash: &hash,
                })
                .await
                .map_err(|e| match e {
                    StoreError::Conflict(_) => ApiError::invalid("email", Msg::ErrEmailTaken),
                    other => other.into(),
                })?;
            store
                .audit(
                    admin.organisation_id,
                    Some(admin.user_id),
                    "user",
                    &user.to_string(),
                    "create",
                    serde_json::json!({ "email": email.as_str(), "role": role.as_str() }),
                )
                .await?;
            Ok(user)
        }
        .await,
    )
}

#[server]
pub async fn deactivate_user(user: UserId) -> Result<(), ApiError> {
    use super::ssr::*;
    use crate::i18n::Msg;
    respond(
        async {
            let admin = viewer_with_role(&[Role::Admin])?;
            if user == admin.user_id {
                return Err(ApiError::invalid("user", Msg::ErrCannotDeactivateSelf));
            }
            let store = store()?;
            store.deactivate_user(admin.organisation_id, user).await?;
            store.audit(admin.organisation_id, Some(admin.user_id), "user", &user.to_string(), "deactivate", serde_json::json!({})).await?;
            Ok(())
        }
        .await,
    )
}

#[server]
pub async fn reset_password(user: UserId, password: String) -> Result<(), ApiError> {
    use super::ssr::*;
    use crate::domain::user::NewPassword;
    respond(
        async {
            let admin = viewer_with_role(&[Role::Admin])?;
            let store = store()?;
            if !store.user_in_org(admin.organisation_id, user).await? {
                return Err(ApiError::NotFound);
            }
            let password = NewPassword::parse(password).map_err(|e| ApiError::invalid("password", super::account::password_msg(e)))?;
            let hash = crate::auth::hash_password(&password).await?;
            store.set_password(user, &hash, None).await?;
            store.audit(admin.organisation_id, Some(admin.user_id), "user", &user.to_string(), "reset_password", serde_json::json!({})).await?;
            Ok(())
        }
        .await,
    )
}
