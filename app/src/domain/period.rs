//! Calendar periods. Dates here are already in the organisation's time zone.

use chrono::{Datelike, Months, NaiveDate};
use serde::{Deserialize, Serialize};

/// A calendar month. It travels as its key, `YYYY-MM`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Month {
    first_day: NaiveDate,
}

impl Month {
    pub fn containing(date: NaiveDate) -> Month {
        Month { first_day: date.with_day(1).expect("day 1 exists in every month") }
    }

    pub fn first_day(self) -> NaiveDate {
        self.first_day
    }

    /// The first day of the next month: periods are half-open `[first, next_first)`.
    pub fn next_first_day(self) -> NaiveDate {
        self.first_day + Months::new(1)
    }

    pub fn next(self) -> Month {
        Month { first_day: self.next_first_day() }
    }

    pub fn previous(self) -> Month {
        Month { first_day: self.first_day - Months::new(1) }
    }

    pub fn contains(self, date: NaiveDate) -> bool {
        self.first_day <= date && date < self.next_first_day()
    }

    pub fn year(self) -> i32 {
        self.first_day.year()
    }

    /// 1..=12
    pub fn number(self) -> u32 {
        self.first_day.month()
    }

    /// `YYYY-MM`: the prefix of every ISO date in the month, so text comparison of keys
    /// orders months and a date's first seven characters name its month.
    pub fn key(self) -> String {
        format!("{:04}-{:02}", self.year(), self.number())
    }

    /// The month a [`Month::key`] names; `None` for anything else.
    pub fn parse_key(key: &str) -> Option<Month> {
        let key = key.trim();
        if key.len() != 7 {
            return None;
        }
        NaiveDate::parse_from_str(&format!("{key}-01"), "%Y-%m-%d").ok().map(Month::containing)
    }
}

impl TryFrom<String> for Month {
    type Error = String;

    fn try_from(key: String) -> Result<Month, String> {
        Month::parse_key(&key).ok_or_else(|| format!("not a month: {key}"))
    }
}

impl From<Month> for String {
    fn from(month: Month) -> String {
        month.key()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn december_is_followed_by_january() {
        let dec = Month::containing(d(2026, 12, 31));
        assert_eq!(dec.next_first_day(), d(2027, 1, 1));
        assert_eq!(Month::containing(d(2027, 1, 5)).previous(), dec);
    }

    #[test]
    fn only_a_month_key_parses() {
        assert_eq!(Month::parse_key(" 2026-02 "), Some(Month::containing(d(2026, 2, 14))));
        for bad in ["", "2026-13", "2026-2", "2026-02-01", "февраль", "2026-00"] {
            assert_eq!(Month::parse_key(bad), None, "{bad}");
        }
    }

    proptest! {
        #[test]
        fn every_day_belongs_to_exactly_its_month(days in 0i64..20_000) {
            let date = d(2000, 1, 1) + chrono::Duration::days(days);
            let month = Month::containing(date);
            prop_assert!(month.contains(date));
            prop_assert!(!month.previous().contains(date));
            prop_assert!(!Month::containing(month.next_first_day()).contains(date));
            prop_assert_eq!(month.key(), date.to_string()[..7].to_string());
            prop_assert!(month.previous().key() < month.key());
            prop_assert_eq!(month.previous().next(), month);
            prop_assert_eq!(Month::parse_key(&month.key()), Some(month));
            prop_assert_eq!(serde_json::to_string(&month).unwrap(), format!("\"{}\"", month.key()));
            prop_assert_eq!(serde_json::from_str::<Month>(&format!("\"{}\"", month.key())).unwrap(), month);
        }
    }
}
