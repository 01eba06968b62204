//! The reporting cadence: how often a manager reports (done, plan, blockers), which
//! days a report is due on, and which are overdue.

use chrono::{Datelike, Duration, NaiveDate};
use serde::{Deserialize, Serialize};

use super::calendar::WorkCalendar;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Cadence {
    #[default]
    None,
    /// A short report every working day.
    Daily,
    /// One report a week, due on its last working day.
    Weekly,
}

impl Cadence {
    pub const ALL: [Cadence; 3] = [Cadence::None, Cadence::Daily, Cadence::Weekly];

    pub fn as_str(self) -> &'static str {
        match self {
            Cadence::None => "none",
            Cadence::Daily => "daily",
            Cadence::Weekly => "weekly",
        }
    }

    pub fn parse(s: &str) -> Option<Cadence> {
        Cadence::ALL.into_iter().find(|c| c.as_str() == s)
    }
}

/// The last working day of the week (Monday to Sunday) holding `day`, if it has one.
fn week_due_day(calendar: &WorkCalendar, day: NaiveDate) -> Option<NaiveDate> {
    let monday = day - Duration::days(i64::from(day.weekday().num_days_from_monday()));
    (0..7).rev().map(|i| monday + Duration::days(i)).find(|d| calendar.is_working(*d))
}

/// How often a manager reports, and the day that was set: no report is due before it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CadenceSetting {
    pub cadence: Cadence,
    pub since: Option<NaiveDate>,
}

/// The day a report written on `today` reports on: today for a daily report, the week's
/// due day for a weekly one; `None` without a cadence.
pub fn period_day(cadence: Cadence, calendar: &WorkCalendar, today: NaiveDate) -> Option<NaiveDate> {
    match cadence {
        Cadence::None => None,
        Cadence::Daily => Some(today),
        Cadence::Weekly => week_due_day(calendar, today),
    }
}

/// The days in `[from, to)` a report is due on.
pub fn due_days(cadence: Cadence, calendar: &WorkCalendar, from: NaiveDate, to: NaiveDate) -> Vec<NaiveDate> {
    let days = from.iter_days().take_while(|d| *d < to);
    match cadence {
        Cadence::None => Vec::new(),
        Cadence::Daily => days.filter(|d| calendar.is_working(*d)).collect(),
        Cadence::Weekly => days.filter(|d| week_due_day(calendar, *d) == Some(*d)).collect(),
    }
}

/// Where a manager stands with their reports as of `today`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportState {
    /// Today is a due day and its report is not in yet.
    pub due_today: bool,
    /// Due days since `since`, before today, without a report; oldest first.
    pub overdue: Vec<NaiveDate>,
}

pub fn state(cadence: Cadence, calendar: &WorkCalendar, submitted: &[NaiveDate], since: NaiveDate, today: NaiveDate) -> ReportState {
    let missing = |d: &NaiveDate| !submitted.contains(d);
    ReportState {
        due_today: due_days(cadence, calendar, today, today + Duration::days(1)).iter().any(missing),
        overdue: due_days(cadence, calendar, since, today).into_iter().filter(missing).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::calendar::{DayKind, russian_holidays};
    use proptest::prelude::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn russia() -> WorkCalendar {
        WorkCalendar::new(russian_holidays(2026).into_iter().chain(russian_holidays(2027)).map(|(d, k, _)| (d, k)))
    }

    #[test]
    fn daily_reports_are_due_on_working_days_only() {
        // Mon 2 .. Sun 8 November 2026; the 4th is a holiday.
        let days = due_days(Cadence::Daily, &russia(), d(2026, 11, 2), d(2026, 11, 9));
        assert_eq!(days, vec![d(2026, 11, 2), d(2026, 11, 3), d(2026, 11, 5), d(2026, 11, 6)]);
    }

    #[test]
    fn a_weekly_report_is_due_on_the_weeks_last_working_day() {
        let cal = russia();
        assert_eq!(due_days(Cadence::Weekly, &cal, d(2026, 11, 2), d(2026, 11, 16)), vec![d(2026, 11, 6), d(2026, 11, 13)]);
        // 31 December 2026 and 1 January 2027 are days off, so that week's report is due
        // on Wednesday the 30th.
        assert_eq!(period_day(Cadence::Weekly, &cal, d(2026, 12, 28)), Some(d(2026, 12, 30)));
        // A working Saturday moves it there.
        let saturday = WorkCalendar::new([(d(2026, 11, 14), DayKind::Workday)]);
        assert_eq!(period_day(Cadence::Weekly, &saturday, d(2026, 11, 10)), Some(d(2026, 11, 14)));
        assert_eq!(period_day(Cadence::None, &cal, d(2026, 11, 10)), None);
    }

    #[test]
    fn missed_days_are_overdue_and_today_is_only_due() {
        let cal = russia();
        let s = state(Cadence::Daily, &cal, &[d(2026, 11, 2)], d(2026, 11, 2), d(2026, 11, 5));
        assert_eq!(s.overdue, vec![d(2026, 11, 3)]);
        assert!(s.due_today);
        let done = state(Cadence::Daily, &cal, &[d(2026, 11, 2), d(2026, 11, 3), d(2026, 11, 5)], d(2026, 11, 2), d(2026, 11, 5));
        assert_eq!(done, ReportState { due_today: false, overdue: vec![] });
        assert_eq!(state(Cadence::Daily, &cal, &[], d(2026, 11, 2), d(2026, 11, 4)).due_today, false, "a holiday asks for nothing");
    }

    proptest! {
        #[test]
        fn every_due_day_is_a_working_day_and_weekly_is_at_most_one_a_week(start in 0i64..700, len in 0i64..60) {
            let cal = russia();
            let from = d(2026, 1, 1) + Duration::days(start);
            let to = from + Duration::days(len);
            let daily = due_days(Cadence::Daily, &cal, from, to);
            prop_assert_eq!(daily.len() as u32, cal.working_days(from, to));
            let weekly = due_days(Cadence::Weekly, &cal, from, to);
            prop_assert!(weekly.iter().all(|d| cal.is_working(*d) && daily.contains(d)));
            prop_assert!(weekly.windows(2).all(|w| w[0].iso_week() != w[1].iso_week()));
            // A report on its period day clears it.
            for day in &weekly {
                prop_assert_eq!(period_day(Cadence::Weekly, &cal, *day), Some(*day));
            }
        }
    }
}
