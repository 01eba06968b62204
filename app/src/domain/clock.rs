//! The organisation's clock. Dates everywhere else in the domain are already in the
//! organisation's time zone; this is where an instant becomes such a date.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use chrono_tz::Tz;
use std::sync::{Arc, Mutex};

/// Where "now" comes from: the system's clock, or one that stands still where it is
/// set (tests put it a minute before midnight in Moscow and move it on). Every instant
/// Pacer stores or counts days from is read from the store's clock, so "today" has
/// one source.
#[derive(Clone, Debug, Default)]
pub struct Clock {
    fixed: Option<Arc<Mutex<DateTime<Utc>>>>,
}

impl Clock {
    pub fn system() -> Clock {
        Clock::default()
    }

    /// A clock that reads `at` until it is set again.
    pub fn fixed(at: DateTime<Utc>) -> Clock {
        Clock { fixed: Some(Arc::new(Mutex::new(at))) }
    }

    pub fn now(&self) -> DateTime<Utc> {
        match &self.fixed {
            Some(at) => *at.lock().unwrap_or_else(|e| e.into_inner()),
            None => Utc::now(),
        }
    }

    /// Moves a fixed clock (and every copy of it) to `at`; the system's clock cannot be set.
    pub fn set(&self, at: DateTime<Utc>) {
        let fixed = self.fixed.as_ref().expect("only a fixed clock can be set");
        *fixed.lock().unwrap_or_else(|e| e.into_inner()) = at;
    }
}

/// The zone of an organisation that has none we can read: new organisations keep
/// Moscow time (the schema's default), so a missing or mistyped name means the same.
pub const DEFAULT_ZONE: Tz = chrono_tz::Europe::Moscow;

/// The organisation's time zone from its IANA name (`Europe/Moscow`), or
/// [`DEFAULT_ZONE`] when the name is not one.
pub fn zone(name: &str) -> Tz {
    name.parse().unwrap_or(DEFAULT_ZONE)
}

/// The date in `zone` at the instant `now`.
pub fn today(zone: Tz, now: DateTime<Utc>) -> NaiveDate {
    now.with_timezone(&zone).date_naive()
}

/// The wall-clock time in `zone` at the instant `at`, as people there read it.
pub fn local(zone: Tz, at: DateTime<Utc>) -> NaiveDateTime {
    at.with_timezone(&zone).naive_local()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use proptest::prelude::*;

    fn utc(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, h, min, 0).unwrap()
    }

    #[test]
    fn an_unknown_or_empty_zone_name_means_moscow() {
        for bad in ["", "Moscow", "Europe/Mordor", "UTC+3"] {
            assert_eq!(zone(bad), chrono_tz::Europe::Moscow, "{bad:?}");
        }
    }

    #[test]
    fn a_valid_zone_name_is_kept() {
        assert_eq!(zone("Asia/Vladivostok"), chrono_tz::Asia::Vladivostok);
        assert_eq!(zone("Europe/Kaliningrad"), chrono_tz::Europe::Kaliningrad);
        assert_eq!(zone("UTC"), chrono_tz::UTC);
    }

    #[test]
    fn half_past_midnight_in_moscow_is_already_the_next_day() {
        // 21:30 UTC on 30 November is 00:30 on 1 December in Moscow (UTC+3).
        let at = utc(2026, 11, 30, 21, 30);
        assert_eq!(today(DEFAULT_ZONE, at), NaiveDate::from_ymd_opt(2026, 12, 1).unwrap());
        assert_eq!(today(chrono_tz::UTC, at), NaiveDate::from_ymd_opt(2026, 11, 30).unwrap());
        assert_eq!(local(DEFAULT_ZONE, at).to_string(), "2026-12-01 00:30:00");
    }

    #[test]
    fn vladivostok_starts_its_day_seven_hours_before_moscow() {
        // 15:00 UTC: 18:00 in Moscow, 01:00 the next day in Vladivostok (UTC+10).
        let at = utc(2026, 3, 8, 15, 0);
        assert_eq!(today(zone("Europe/Moscow"), at), NaiveDate::from_ymd_opt(2026, 3, 8).unwrap());
        assert_eq!(today(zone("Asia/Vladivostok"), at), NaiveDate::from_ymd_opt(2026, 3, 9).unwrap());
    }

    #[test]
    fn a_fixed_clock_stands_still_until_set_and_its_copies_move_with_it() {
        let clock = Clock::fixed(utc(2026, 3, 31, 20, 59));
        let copy = clock.clone();
        assert_eq!(copy.now(), utc(2026, 3, 31, 20, 59));
        clock.set(utc(2026, 3, 31, 21, 0));
        assert_eq!(copy.now(), utc(2026, 3, 31, 21, 0));
        assert_eq!(today(DEFAULT_ZONE, copy.now()), NaiveDate::from_ymd_opt(2026, 4, 1).unwrap());
    }

    #[test]
    fn the_system_clock_reads_the_time() {
        let before = Utc::now();
        let read = Clock::system().now();
        assert!(before <= read && read <= Utc::now());
    }

    proptest! {
        #[test]
        fn today_is_the_date_of_the_local_time(seconds in 0i64..4_000_000_000, pick in 0usize..4) {
            let zones = [DEFAULT_ZONE, chrono_tz::UTC, chrono_tz::Asia::Vladivostok, chrono_tz::America::New_York];
            let at = DateTime::<Utc>::from_timestamp(seconds, 0).unwrap();
            let z = zones[pick];
            prop_assert_eq!(today(z, at), local(z, at).date());
            // No zone is more than a day away from UTC.
            let utc_day = at.date_naive();
            prop_assert!((today(z, at) - utc_day).num_days().abs() <= 1);
        }
    }
}
