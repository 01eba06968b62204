//! Money as an integer count of kopecks. Never floating point.

use serde::{Deserialize, Serialize};
use std::iter::Sum;
use std::ops::{Add, AddAssign, Sub};

use crate::i18n::Locale;

/// An amount in minor units (kopecks for RUB). Can be negative only as an
/// intermediate result (a gap to a plan); stored amounts are checked at the edge.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Money(i64);

impl Money {
    pub const ZERO: Money = Money(0);

    pub const fn from_kopecks(kopecks: i64) -> Self {
        Money(kopecks)
    }

    pub const fn from_rubles(rubles: i64) -> Self {
        Money(rubles * 100)
    }

    pub const fn kopecks(self) -> i64 {
        self.0
    }

    /// Formats for the locale: `1 250 000 ₽` in Russian (no-break spaces between groups),
    /// `₽1,250,000` in English. Kopecks are shown only when there are some.
    pub fn format(self, locale: Locale) -> String {
        let (group, decimal) = match locale {
            Locale::Ru => ('\u{a0}', ','),
            Locale::En => (',', '.'),
        };
        let negative = self.0 < 0;
        let abs = self.0.unsigned_abs();
        let (whole, frac) = (abs / 100, abs % 100);
        let digits = whole.to_string();
        let mut grouped = String::with_capacity(digits.len() + digits.len() / 3);
        for (i, ch) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i) % 3 == 0 {
                grouped.push(group);
            }
            grouped.push(ch);
        }
        if frac != 0 {
            grouped.push(decimal);
            grouped.push_str(&format!("{frac:02}"));
        }
        let sign = if negative { "−" } else { "" };
        match locale {
            Locale::Ru => format!("{sign}{grouped}\u{a0}₽"),
            Locale::En => format!("{sign}₽{grouped}"),
        }
    }

    /// As a form field holds it: digits, and kopecks after a point only when there are
    /// some (`1250000`, `1250000.50`); [`Money::parse`] reads it back.
    pub fn plain(self) -> String {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        match abs % 100 {
            0 => format!("{sign}{}", abs / 100),
            frac => format!("{sign}{}.{frac:02}", abs / 100),
        }
    }

    /// Parses what a person types: `1 250 000`, `1250000,50`, `1,250,000.50`, `1250000 ₽`.
    pub fn parse(input: &str) -> Result<Money, MoneyError> {
        let cleaned: String = input
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '₽' && *c != '\u{a0}' && *c != '\u{202f}')
            .collect();
        if cleaned.is_empty() {
            return Err(MoneyError::Empty);
        }
        if cleaned.starts_with('-') || cleaned.starts_with('−') {
            return Err(MoneyError::Negative);
        }
        // The last ',' or '.' followed by one or two digits is the decimal separator;
        // every other separator groups thousands.
        let sep_pos = cleaned.rfind([',', '.']);
        let (whole, frac) = match sep_pos {
            Some(pos) if cleaned.len() - pos - 1 <= 2 => (&cleaned[..pos], &cleaned[pos + 1..]),
            _ => (cleaned.as_str(), ""),
        };
        let whole: String = whole.chars().filter(|c| *c != ',' && *c != '.').collect();
        if whole.is_empty() && frac.is_empty() {
            return Err(MoneyError::Malformed);
        }
        if !whole.chars().all(|c| c.is_ascii_digit()) || !frac.chars().all(|c| c.is_ascii_digit()) {
            return Err(MoneyError::Malformed);
        }
        let rubles: i64 = if whole.is_empty() { 0 } else { whole.parse().map_err(|_| MoneyError::TooLarge)? };
        let kopecks: i64 = match frac.len() {
            0 => 0,
            1 => frac.parse::<i64>().map_err(|_| MoneyError::Malformed)? * 10,
            _ => frac.parse().map_err(|_| MoneyError::Malformed)?,
        };
        rubles
            .checked_mul(100)
            .and_then(|k| k.checked_add(kopecks))
            .map(Money)
            .ok_or(MoneyError::TooLarge)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum MoneyError {
    #[error("empty amount")]
    Empty,
    #[error("negative amount")]
    Negative,
    #[error("not a number")]
    Malformed,
    #[error("amount too large")]
    TooLarge,
}

// Sums and differences saturate instead of overflowing: every stored amount is
// bounded (`limits::MAX_AMOUNT`), but a department's totals add up rows without a
// bound on their number, and a page must show a (huge) figure rather than fail.

impl Add for Money {
    type Output = Money;
    fn add(self, rhs: Money) -> Money {
        Money(self.0.saturating_add(rhs.0))
    }
}

impl AddAssign for Money {
    fn add_assign(&mut self, rhs: Money) {
        *self = *self + rhs;
    }
}

impl Sub for Money {
    type Output = Money;
    fn sub(self, rhs: Money) -> Money {
        Money(self.0.saturating_sub(rhs.0))
    }
}

impl Sum for Money {
    fn sum<I: Iterator<Item = Money>>(iter: I) -> Money {
        iter.fold(Money::ZERO, Add::add)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn russian_format_groups_thousands_with_no_break_spaces() {
        assert_eq!(Money::from_rubles(1_250_000).format(Locale::Ru), "1\u{a0}250\u{a0}000\u{a0}₽");
    }

    #[test]
    fn english_format_uses_commas_and_a_leading_sign() {
        assert_eq!(Money::from_rubles(1_250_000).format(Locale::En), "₽1,250,000");
    }

    #[test]
    fn kopecks_are_shown_only_when_present() {
        assert_eq!(Money::from_kopecks(150).format(Locale::Ru), "1,50\u{a0}₽");
        assert_eq!(Money::from_kopecks(100).format(Locale::En), "₽1");
        assert_eq!(Money::from_kopecks(5).format(Locale::En), "₽0.05");
    }

    #[test]
    fn negative_gap_keeps_its_sign() {
        assert_eq!(Money::from_rubles(-45_000).format(Locale::Ru), "−45\u{a0}000\u{a0}₽");
    }

    #[test]
    fn parse_accepts_what_people_type() {
        assert_eq!(Money::parse("1 250 000"), Ok(Money::from_rubles(1_250_000)));
        assert_eq!(Money::parse("1250000,5"), Ok(Money::from_kopecks(125_000_050)));
        assert_eq!(Money::parse("1,250,000.25 ₽"), Ok(Money::from_kopecks(125_000_025)));
        assert_eq!(Money::parse("45000"), Ok(Money::from_rubles(45_000)));
    }

    #[test]
    fn parse_refuses_garbage_and_negatives() {
        assert_eq!(Money::parse(""), Err(MoneyError::Empty));
        assert_eq!(Money::parse("-5"), Err(MoneyError::Negative));
        assert_eq!(Money::parse("12abc"), Err(MoneyError::Malformed));
        assert_eq!(Money::parse("99999999999999999999"), Err(MoneyError::TooLarge));
    }

    #[test]
    fn sums_saturate_instead_of_overflowing() {
        let max = Money::from_kopecks(i64::MAX);
        assert_eq!(max + Money::from_kopecks(1), max);
        assert_eq!([max, max, max].into_iter().sum::<Money>(), max);
        assert_eq!(
            Money::from_kopecks(i64::MIN) - Money::from_kopecks(1),
            Money::from_kopecks(i64::MIN)
        );
        assert_eq!(max.format(Locale::En), "₽92,233,720,368,547,758.07");
    }

    proptest! {
        #[test]
        fn formatting_then_parsing_gives_the_same_amount(k in 0i64..1_000_000_000_000) {
            let m = Money::from_kopecks(k);
            prop_assert_eq!(Money::parse(&m.format(Locale::Ru)), Ok(m));
            prop_assert_eq!(Money::parse(&m.format(Locale::En)), Ok(m));
            prop_assert_eq!(Money::parse(&m.plain()), Ok(m));
        }
    }
}
