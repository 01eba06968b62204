//! The organisation's working calendar, which the admin keeps: holidays and working
//! weekend days. Plans count working days by it.

#[cfg(feature = "ssr")]
use chrono::NaiveDate;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::ApiError;
use crate::domain::calendar::CalendarEntry;
#[cfg(feature = "ssr")]
use crate::domain::calendar::DayKind;
#[cfg(feature = "ssr")]
use crate::store::prelude::*;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct YearCalendar {
    pub year: i32,
    pub working_days: u32,
    pub entries: Vec<CalendarEntry>,
}

/// The exceptions of `year` (this year by default). Anyone signed in may read them.
#[server]
pub async fn calendar_year(#[server(default)] year: Option<i32>) -> Result<YearCalendar, ApiError> {
    use super::ssr::*;
    use chrono::Datelike;
    respond(
        async {
            let viewer = viewer()?;
            let store = store()?;
            let year = year.filter(|y| (2000..=2100).contains(y)).unwrap_or_else(|| today(&viewer, store.now()).year());
            let (from, to) = (NaiveDate::from_ymd_opt(year, 1, 1), NaiveDate::from_ymd_opt(year + 1, 1, 1));
            let (Some(from), Some(to)) = (from, to) else { return Err(ApiError::NotFound) };
            let calendar = store.calendar(viewer.organisation_id, from, to).await?;
            Ok(YearCalendar {
                year,
                working_days: calendar.working_days(from, to),
                entries: store.calendar_entries(viewer.organisation_id, year).await?,
            })
        }
        .await,
    )
}

/// The admin marks a day as a holiday or a working day (`kind`), or makes it an
/// ordinary day again (`kind` empty).
#[server]
pub async fn set_calendar_day(day: String, #[server(default)] kind: String, #[server(default)] name: String) -> Result<(), ApiError> {
    use super::ssr::*;
    use crate::domain::user::Role;
    use crate::i18n::Msg;
    respond(
        async {
            let admin = viewer_with_role(&[Role::Admin])?;
            let store = store()?;
            let day = NaiveDate::parse_from_str(day.trim(), "%Y-%m-%d").map_err(|_| ApiError::invalid("day", Msg::ErrDate))?;
            if crate::domain::limits::When::Due.check(day, today(&admin, store.now())).is_err() {
                return Err(ApiError::invalid("day", Msg::ErrDateOutOfRange));
            }
            let kind = match kind.trim() {
                "" => None,
                k => Some(DayKind::parse(k).ok_or_else(|| ApiError::invalid("kind", Msg::ErrChooseOne))?),
            };
            let name = name.trim();
            if !crate::domain::limits::fits(name, crate::domain::limits::NAME_LEN) {
                return Err(ApiError::invalid("name", Msg::ErrNameTooLong));
            }
            store.set_calendar_day(admin.organisation_id, admin.user_id, day, kind, name).await?;
            Ok(())
        }
        .await,
    )
}
