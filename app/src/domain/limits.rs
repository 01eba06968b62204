//! The bounds on what a person, a device or a client's file may send. Every amount,
//! date and text Pacer stores is checked against one of these, on the phone before
//! a change is queued and on the server before it is kept, so no stored value can
//! make a page fail. `docs/sync-protocol.md` lists them for client authors.

use chrono::{Months, NaiveDate};

use super::Money;

/// The largest amount one deal, payment, plan or goal may hold: one trillion rubles.
/// Far above any contract a sales department signs, so a real figure is never refused;
/// low enough that a typo with a dozen extra zeros is caught, and that the payments
/// on one deal (also held to this bound) and any product with a percentage stay
/// far inside 64-bit kopecks.
pub const MAX_AMOUNT: Money = Money::from_rubles(1_000_000_000_000);

/// The largest count a goal may target or a check-in may report (calls, meetings).
pub const MAX_COUNT: i64 = 1_000_000;

/// Names: of a company, a contact, a deal, a person, a department; a position; a
/// deal's source.
pub const NAME_LEN: usize = 200;

/// Free text: a note, a next step, a loss reason, an activity, a client's notes, a
/// report's fields.
pub const TEXT_LEN: usize = 2000;

/// A phone as people write it, with spaces, brackets and an extension.
pub const PHONE_LEN: usize = 40;

/// How far back a date may lie: a payment received, an expected payment long
/// overdue, a deal closed last decade in an imported file.
pub const YEARS_BACK: u32 = 10;

/// How far ahead a date may lie: a deal's expected close, a payment's due date, a
/// next step.
pub const YEARS_AHEAD: u32 = 10;

/// Whether `text`, trimmed, has at most `max` characters.
pub fn fits(text: &str, max: usize) -> bool {
    // Counting stops at the first character past the bound, so a megabyte of text
    // costs no more to refuse than a short one.
    text.trim().chars().nth(max).is_none()
}

/// The sum of `values`, stopping at the ends of `i64` instead of overflowing: a
/// value stored before the bounds existed must not take a page down.
pub fn total(values: impl IntoIterator<Item = i64>) -> i64 {
    values.into_iter().fold(0i64, i64::saturating_add)
}

/// Whether an amount is between zero and [`MAX_AMOUNT`].
pub fn amount_fits(amount: Money) -> bool {
    (Money::ZERO..=MAX_AMOUNT).contains(&amount)
}

/// What a date field means, which decides its window around the organisation's today.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum When {
    /// Something that happened (money received, a deal closed): up to
    /// [`YEARS_BACK`] years ago, and not after today.
    Happened,
    /// Something planned or due: from [`YEARS_BACK`] years ago (an old debt) to
    /// [`YEARS_AHEAD`] years ahead.
    Due,
}

/// Why a date is outside its window.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum DateBound {
    #[error("the date is too far in the past")]
    TooEarly,
    #[error("the date is in the future")]
    InFuture,
    #[error("the date is too far in the future")]
    TooLate,
}

impl When {
    /// Checks `on` against this window around `today` (the organisation's today, not
    /// the device's: a phone with a wrong clock does not move the window).
    pub fn check(self, on: NaiveDate, today: NaiveDate) -> Result<(), DateBound> {
        let earliest = today
            .checked_sub_months(Months::new(12 * YEARS_BACK))
            .unwrap_or(NaiveDate::MIN);
        if on < earliest {
            return Err(DateBound::TooEarly);
        }
        match self {
            When::Happened if on > today => Err(DateBound::InFuture),
            When::Due
                if on
                    > today
                        .checked_add_months(Months::new(12 * YEARS_AHEAD))
                        .unwrap_or(NaiveDate::MAX) =>
            {
                Err(DateBound::TooLate)
            }
            _ => Ok(()),
        }
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
    fn a_trillion_rubles_fits_and_a_kopeck_more_does_not() {
        assert!(amount_fits(MAX_AMOUNT));
        assert!(amount_fits(Money::ZERO));
        assert!(!amount_fits(Money::from_kopecks(MAX_AMOUNT.kopecks() + 1)));
        assert!(!amount_fits(Money::from_kopecks(i64::MAX)));
        assert!(!amount_fits(Money::from_kopecks(-1)));
    }

    #[test]
    fn text_is_measured_in_characters_after_trimming() {
        assert!(fits(&"я".repeat(TEXT_LEN), TEXT_LEN));
        assert!(fits(&format!("  {}  ", "я".repeat(TEXT_LEN)), TEXT_LEN));
        assert!(!fits(&"я".repeat(TEXT_LEN + 1), TEXT_LEN));
        assert!(fits("", NAME_LEN));
    }

    #[test]
    fn a_payment_from_the_year_one_is_refused() {
        let today = d(2026, 12, 3);
        assert_eq!(
            When::Happened.check(d(1, 1, 1), today),
            Err(DateBound::TooEarly)
        );
        assert_eq!(When::Happened.check(d(2016, 12, 3), today), Ok(()));
        assert_eq!(
            When::Happened.check(d(2016, 12, 2), today),
            Err(DateBound::TooEarly)
        );
        assert_eq!(When::Happened.check(today, today), Ok(()));
        assert_eq!(
            When::Happened.check(d(2026, 12, 4), today),
            Err(DateBound::InFuture)
        );
    }

    #[test]
    fn a_due_date_may_be_overdue_or_years_ahead_but_not_in_another_century() {
        let today = d(2026, 12, 3);
        assert_eq!(When::Due.check(d(2020, 1, 1), today), Ok(()));
        assert_eq!(When::Due.check(d(2036, 12, 3), today), Ok(()));
        assert_eq!(
            When::Due.check(d(2036, 12, 4), today),
            Err(DateBound::TooLate)
        );
        assert_eq!(
            When::Due.check(d(9999, 12, 31), today),
            Err(DateBound::TooLate)
        );
        assert_eq!(
            When::Due.check(d(1900, 1, 1), today),
            Err(DateBound::TooEarly)
        );
    }

    proptest! {
        #[test]
        fn the_window_never_panics_at_the_calendar_edges(days in i32::MIN / 400..i32::MAX / 400, offset in -40_000i64..40_000) {
            let Some(today) = NaiveDate::from_num_days_from_ce_opt(days) else { return Ok(()) };
            let on = today.checked_add_signed(chrono::Duration::days(offset)).unwrap_or(today);
            let _ = When::Happened.check(on, today);
            let _ = When::Due.check(on, today);
        }
    }
}
