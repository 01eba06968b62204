//! People as the pages see them: the signed-in viewer, departments and users.

use serde::{Deserialize, Serialize};

use crate::domain::user::Role;
use crate::domain::{DepartmentId, OrganisationId, UserId};
use crate::i18n::Locale;

/// The signed-in person, as every page and server function sees them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Viewer {
    pub user_id: UserId,
    pub organisation_id: OrganisationId,
    pub department_id: Option<DepartmentId>,
    pub department_name: Option<String>,
    pub name: String,
    pub email: String,
    pub role: Role,
    /// The language the user chose; `None` follows the browser.
    pub locale: Option<Locale>,
    /// The organisation's IANA time zone: days and months are counted in it.
    pub time_zone: String,
}

/// A department as the admin pages list it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Department {
    pub id: DepartmentId,
    pub name: String,
    pub people: i64,
}

/// A user as the admin pages list it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct UserSummary {
    pub id: UserId,
    pub name: String,
    pub email: String,
    pub role: Role,
    pub department_id: Option<DepartmentId>,
    pub department_name: Option<String>,
    pub active: bool,
}

/// A person as a pick list shows them: a manager to filter by, hand a deal to, or set
/// a goal for.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Person {
    pub id: UserId,
    pub name: String,
}

/// A manager with the e-mail an import's owner column may name them by.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ManagerEmail {
    pub id: UserId,
    pub name: String,
    pub email: String,
}
