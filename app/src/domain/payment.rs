//! Payment rules shared by the dashboards and, later, the plan's "fact".

use chrono::NaiveDate;

use super::Money;

/// An expected payment: an amount the client should pay by a date.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Expected {
    pub amount: Money,
    pub due_on: NaiveDate,
}

/// What is overdue on one deal today: everything expected before today that the
/// payments received so far do not cover. Received money pays the earliest
/// expectations first, so the result is never negative and never more than was due.
pub fn overdue_amount(expected: &[Expected], received_total: Money, today: NaiveDate) -> Money {
    let due: Money = expected.iter().filter(|e| e.due_on < today).map(|e| e.amount).sum();
    if received_total >= due { Money::ZERO } else { due - received_total }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, day).unwrap()
    }

    #[test]
    fn a_payment_due_today_is_not_yet_overdue() {
        let e = [Expected { amount: Money::from_rubles(100), due_on: d(10) }];
        assert_eq!(overdue_amount(&e, Money::ZERO, d(10)), Money::ZERO);
        assert_eq!(overdue_amount(&e, Money::ZERO, d(11)), Money::from_rubles(100));
    }

    #[test]
    fn a_partial_payment_reduces_what_is_overdue() {
        let e = [
            Expected { amount: Money::from_rubles(100), due_on: d(1) },
            Expected { amount: Money::from_rubles(50), due_on: d(20) },
        ];
        assert_eq!(overdue_amount(&e, Money::from_rubles(30), d(15)), Money::from_rubles(70));
    }

    proptest! {
        #[test]
        fn overdue_is_between_zero_and_what_was_due(
            amounts in proptest::collection::vec((1i64..10_000_000, 1u32..28), 0..8),
            received in 0i64..50_000_000,
            today in 1u32..28,
        ) {
            let expected: Vec<Expected> = amounts.iter()
                .map(|&(a, day)| Expected { amount: Money::from_kopecks(a), due_on: d(day) })
                .collect();
            let due: Money = expected.iter().filter(|e| e.due_on < d(today)).map(|e| e.amount).sum();
            let overdue = overdue_amount(&expected, Money::from_kopecks(received), d(today));
            prop_assert!(overdue >= Money::ZERO);
            prop_assert!(overdue <= due);
            prop_assert_eq!(overdue == Money::ZERO, Money::from_kopecks(received) >= due);
        }
    }
}
