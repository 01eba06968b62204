//! The organisation's working calendar: Monday to Friday, minus its holidays, plus the
//! weekend days it works (Russia moves days off by decree, so a Saturday can be a
//! working day).

use std::collections::BTreeMap;

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};

/// What an entry in the calendar makes of its day.
/// A day the calendar marks, with the holiday's (or moved working day's) name.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CalendarEntry {
    pub day: NaiveDate,
    pub kind: DayKind,
    pub name: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DayKind {
    /// A day off, whatever the weekday.
    Holiday,
    /// A working day, whatever the weekday.
    Workday,
}

impl DayKind {
    pub fn as_str(self) -> &'static str {
        match self {
            DayKind::Holiday => "holiday",
            DayKind::Workday => "workday",
        }
    }

    pub fn parse(s: &str) -> Option<DayKind> {
        match s {
            "holiday" => Some(DayKind::Holiday),
            "workday" => Some(DayKind::Workday),
            _ => None,
        }
    }
}

/// Which days are worked. Days without an entry follow the weekday.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct WorkCalendar {
    exceptions: BTreeMap<NaiveDate, DayKind>,
}

impl WorkCalendar {
    pub fn new(entries: impl IntoIterator<Item = (NaiveDate, DayKind)>) -> WorkCalendar {
        WorkCalendar { exceptions: entries.into_iter().collect() }
    }

    pub fn is_working(&self, day: NaiveDate) -> bool {
        match self.exceptions.get(&day) {
            Some(DayKind::Holiday) => false,
            Some(DayKind::Workday) => true,
            None => !matches!(day.weekday(), Weekday::Sat | Weekday::Sun),
        }
    }

    /// Working days in `[from, to)`.
    pub fn working_days(&self, from: NaiveDate, to: NaiveDate) -> u32 {
        if to <= from {
            return 0;
        }
        // Whole weeks have five weekdays; walk only the remainder, then apply the
        // exceptions that fall inside.
        let days = (to - from).num_days();
        let weeks = days / 7;
        let mut count = weeks * 5;
        let mut day = from + Duration::days(weeks * 7);
        while day < to {
            if !matches!(day.weekday(), Weekday::Sat | Weekday::Sun) {
                count += 1;
            }
            day += Duration::days(1);
        }
        for (day, kind) in self.exceptions.range(from..to) {
            let weekend = matches!(day.weekday(), Weekday::Sat | Weekday::Sun);
            match (kind, weekend) {
                (DayKind::Holiday, false) => count -= 1,
                (DayKind::Workday, true) => count += 1,
                _ => {}
            }
        }
        u32::try_from(count).unwrap_or(0)
    }
}

/// Russia's public holidays for `year`, as the calendar is seeded: the fixed days of the
/// Labour Code (art. 112), a holiday falling on a weekend moved to the next working
/// day, and the transfers the government decreed for that year where Pacer knows them.
/// The admin corrects the rest when the decree comes out.
pub fn russian_holidays(year: i32) -> Vec<(NaiveDate, DayKind, &'static str)> {
    let d = |m: u32, day: u32| NaiveDate::from_ymd_opt(year, m, day).expect("fixed holidays exist every year");
    let mut out: Vec<(NaiveDate, DayKind, &'static str)> = Vec::new();
    for day in 1..=6 {
        out.push((d(1, day), DayKind::Holiday, "Новогодние каникулы"));
    }
    out.push((d(1, 7), DayKind::Holiday, "Рождество Христово"));
    out.push((d(1, 8), DayKind::Holiday, "Новогодние каникулы"));
    let fixed = [
        (d(2, 23), "День защитника Отечества"),
        (d(3, 8), "Международный женский день"),
        (d(5, 1), "Праздник Весны и Труда"),
        (d(5, 9), "День Победы"),
        (d(6, 12), "День России"),
        (d(11, 4), "День народного единства"),
    ];
    let taken = |out: &Vec<(NaiveDate, DayKind, &str)>, day: NaiveDate| out.iter().any(|(d, _, _)| *d == day);
    for (day, name) in fixed {
        out.push((day, DayKind::Holiday, name));
    }
    for (day, name) in fixed {
        if matches!(day.weekday(), Weekday::Sat | Weekday::Sun) {
            let mut moved = day + Duration::days(1);
            while matches!(moved.weekday(), Weekday::Sat | Weekday::Sun) || taken(&out, moved) {
                moved += Duration::days(1);
            }
            out.push((moved, DayKind::Holiday, name));
        }
    }
    // Decreed transfers of the January weekend days.
    if year == 2026 {
        out.push((d(1, 9), DayKind::Holiday, "Перенос с 3 января"));
        out.push((d(12, 31), DayKind::Holiday, "Перенос с 4 января"));
    }
    out.sort_by_key(|e| e.0);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn russia(year: i32) -> WorkCalendar {
        WorkCalendar::new(russian_holidays(year).into_iter().map(|(d, k, _)| (d, k)))
    }

    #[test]
    fn russia_2026_has_the_official_number_of_working_days() {
        // The 2026 production calendar: 247 working days; 15 in January, 19 in
        // February, 21 in March, 19 in May, 21 in June, 22 in December.
        let cal = russia(2026);
        assert_eq!(cal.working_days(d(2026, 1, 1), d(2027, 1, 1)), 247);
        let month = |m: u32| cal.working_days(d(2026, m, 1), if m == 12 { d(2027, 1, 1) } else { d(2026, m + 1, 1) });
        assert_eq!([month(1), month(2), month(3), month(5), month(6), month(12)], [15, 19, 21, 19, 21, 22]);
        assert!(!cal.is_working(d(2026, 3, 9)), "8 March is a Sunday, so Monday 9 March is off");
        assert!(!cal.is_working(d(2026, 5, 11)), "9 May is a Saturday, so Monday 11 May is off");
        assert!(cal.is_working(d(2026, 11, 5)));
    }

    #[test]
    fn a_working_saturday_counts_and_a_holiday_on_a_weekend_does_not_count_twice() {
        let cal = WorkCalendar::new([(d(2026, 11, 7), DayKind::Workday), (d(2026, 11, 8), DayKind::Holiday)]);
        // Mon 2 .. Sun 8 November: five weekdays plus the working Saturday.
        assert_eq!(cal.working_days(d(2026, 11, 2), d(2026, 11, 9)), 6);
        assert!(cal.is_working(d(2026, 11, 7)));
    }

    proptest! {
        #[test]
        fn working_days_counts_exactly_the_working_days(
            start in 0i64..3000,
            len in 0i64..120,
            marks in proptest::collection::vec((0i64..150, any::<bool>()), 0..20),
        ) {
            let from = d(2024, 1, 1) + Duration::days(start);
            let to = from + Duration::days(len);
            let cal = WorkCalendar::new(marks.into_iter().map(|(o, h)| {
                (from + Duration::days(o), if h { DayKind::Holiday } else { DayKind::Workday })
            }));
            let walked = (0..len).filter(|i| cal.is_working(from + Duration::days(*i))).count() as u32;
            prop_assert_eq!(cal.working_days(from, to), walked);
            // Splitting a range anywhere adds up.
            let mid = from + Duration::days(len / 3);
            prop_assert_eq!(cal.working_days(from, mid) + cal.working_days(mid, to), walked);
        }
    }
}
