//! Clients as the pages show them: search rows and one client's card.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::deals::{ActivityLine, DealCard, StageOption};
use crate::domain::{ClientId, DealId};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ClientRow {
    pub id: ClientId,
    pub name: String,
    pub inn: Option<String>,
    pub contact: String,
    pub phone: String,
    pub owner_name: String,
    pub open_deals: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ContactLine {
    pub id: String,
    pub name: String,
    pub position: String,
    pub phone: String,
    pub email: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ClientDetail {
    pub id: ClientId,
    pub name: String,
    pub inn: Option<String>,
    pub notes: String,
    pub owner_name: String,
    pub today: NaiveDate,
    pub contacts: Vec<ContactLine>,
    pub deals: Vec<DealCard>,
    pub stages: Vec<StageOption>,
    /// Newest first, across the client's deals and the client itself.
    pub activities: Vec<ClientActivity>,
}

/// One entry of a client's history: which deal it concerns, if any.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ClientActivity {
    pub line: ActivityLine,
    pub deal: Option<DealId>,
    pub deal_title: Option<String>,
}

/// How many clients and deals one change made or moved: an import, a hand-over of a
/// manager's whole book.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClientsAndDeals {
    pub clients: i64,
    pub deals: i64,
}
