//! The department's "fact" and forecast for a period, and stale deals. Planning
//! compares its plans against [`fact`], so this is the one definition of it.

use chrono::{DateTime, Duration, NaiveDate, Utc};

use super::Money;
use super::period::Month;

/// The fact of a period: the money received in it (payment dates inside the period).
pub fn fact(received: impl IntoIterator<Item = (Money, NaiveDate)>, period: Month) -> Money {
    received.into_iter().filter(|(_, on)| period.contains(*on)).map(|(amount, _)| amount).sum()
}

/// An open deal as the forecast sees it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OpenDeal {
    pub amount: Money,
    /// Chance of winning at the deal's stage, 0..=100 percent.
    pub probability: u8,
    pub expected_close_on: Option<NaiveDate>,
}

/// Whether an open deal counts towards `period`'s forecast: it is expected to close
/// before the period ends (late deals are still expected, so they count too), or has
/// no expected date at all.
pub fn counts_for(deal: &OpenDeal, period: Month) -> bool {
    deal.expected_close_on.is_none_or(|d| d < period.next_first_day())
}

/// Σ amount × probability over the deals that count for `period`, in kopecks, rounded
/// half up once at the end (not per deal, so many small deals do not lose money).
pub fn weighted_pipeline(deals: &[OpenDeal], period: Month) -> Money {
    let hundredths: i128 = deals
        .iter()
        .filter(|d| counts_for(d, period))
        .map(|d| i128::from(d.amount.kopecks()) * i128::from(d.probability.min(100)))
        .sum();
    Money::from_kopecks(i64::try_from((hundredths + 50) / 100).unwrap_or(i64::MAX))
}

/// The forecast for `period`: what already came in plus what the open deals promise.
pub fn forecast(fact: Money, deals: &[OpenDeal], period: Month) -> Money {
    fact + weighted_pipeline(deals, period)
}

/// A deal is stale when nothing happened on it for `after_days` days: no call, note,
/// payment or stage change since its last activity (or since it was created).
pub fn is_stale(last_touched: DateTime<Utc>, now: DateTime<Utc>, after_days: u32) -> bool {
    now - last_touched >= Duration::days(i64::from(after_days))
}

/// The allowed range for the head's "stale after N days" setting.
pub const STALE_DAYS: std::ops::RangeInclusive<u32> = 1..=365;

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, day).unwrap()
    }

    fn nov() -> Month {
        Month::containing(d(11, 1))
    }

    #[test]
    fn fact_counts_only_payments_inside_the_period() {
        let received = [(Money::from_rubles(100), d(10, 31)), (Money::from_rubles(200), d(11, 1)), (Money::from_rubles(300), d(11, 30)), (Money::from_rubles(400), d(12, 1))];
        assert_eq!(fact(received, nov()), Money::from_rubles(500));
    }

    #[test]
    fn the_forecast_weighs_open_deals_by_their_stage() {
        let deals = [
            OpenDeal { amount: Money::from_rubles(1_000_000), probability: 60, expected_close_on: Some(d(11, 20)) },
            OpenDeal { amount: Money::from_rubles(500_000), probability: 10, expected_close_on: None },
            // Expected next month: not part of November's forecast.
            OpenDeal { amount: Money::from_rubles(9_000_000), probability: 80, expected_close_on: Some(d(12, 5)) },
        ];
        assert_eq!(forecast(Money::from_rubles(200_000), &deals, nov()), Money::from_rubles(200_000 + 600_000 + 50_000));
    }

    #[test]
    fn weighting_rounds_once_half_up() {
        let deals = [OpenDeal { amount: Money::from_kopecks(1), probability: 50, expected_close_on: None }; 3];
        assert_eq!(weighted_pipeline(&deals, nov()), Money::from_kopecks(2));
    }

    #[test]
    fn a_deal_is_stale_after_exactly_n_quiet_days() {
        let now = DateTime::from_timestamp(1_800_000_000, 0).unwrap();
        assert!(!is_stale(now - Duration::days(13), now, 14));
        assert!(is_stale(now - Duration::days(14), now, 14));
    }

    proptest! {
        #[test]
        fn the_forecast_is_between_the_fact_and_the_fact_plus_the_whole_pipeline(
            fact_k in 0i64..10_000_000_000,
            deals in proptest::collection::vec((0i64..1_000_000_000, 0u8..=100, proptest::option::of(0i64..120)), 0..30),
        ) {
            let deals: Vec<OpenDeal> = deals.into_iter().map(|(a, p, off)| OpenDeal {
                amount: Money::from_kopecks(a),
                probability: p,
                expected_close_on: off.map(|o| d(10, 1) + Duration::days(o)),
            }).collect();
            let fact = Money::from_kopecks(fact_k);
            let f = forecast(fact, &deals, nov());
            let all: Money = deals.iter().filter(|x| counts_for(x, nov())).map(|x| x.amount).sum();
            prop_assert!(f >= fact);
            prop_assert!(f <= fact + all);
        }
    }
}
