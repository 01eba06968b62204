//! Deal rules: what a change to a deal must satisfy before it is stored.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::Money;

/// What a pipeline stage means for the deals in it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    Open,
    Won,
    Lost,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Open => "open",
            Outcome::Won => "won",
            Outcome::Lost => "lost",
        }
    }

    pub fn parse(s: &str) -> Option<Outcome> {
        [Outcome::Open, Outcome::Won, Outcome::Lost].into_iter().find(|o| o.as_str() == s)
    }
}

/// The kinds of activity a person logs by hand (stage changes and payments are logged by Pacer).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ActivityKind {
    Call,
    Meeting,
    Note,
    Stage,
    Payment,
}

impl ActivityKind {
    pub const LOGGABLE: [ActivityKind; 3] = [ActivityKind::Call, ActivityKind::Meeting, ActivityKind::Note];

    pub fn as_str(self) -> &'static str {
        match self {
            ActivityKind::Call => "call",
            ActivityKind::Meeting => "meeting",
            ActivityKind::Note => "note",
            ActivityKind::Stage => "stage",
            ActivityKind::Payment => "payment",
        }
    }

    pub fn parse(s: &str) -> Option<ActivityKind> {
        [ActivityKind::Call, ActivityKind::Meeting, ActivityKind::Note, ActivityKind::Stage, ActivityKind::Payment]
            .into_iter()
            .find(|k| k.as_str() == s)
    }
}

/// Longest free text Pacer keeps in one field (a note, a next step, a loss reason).
pub const MAX_TEXT: usize = 2000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum DealError {
    #[error("a lost deal needs a reason")]
    LossReasonRequired,
    #[error("text is empty")]
    TextEmpty,
    #[error("text is too long")]
    TextTooLong,
    #[error("a payment must be more than zero")]
    AmountNotPositive,
    #[error("an amount cannot be negative")]
    AmountNegative,
    #[error("a payment cannot be received in the future")]
    DateInFuture,
    #[error("recording a payment on a lost deal needs confirmation")]
    PaymentOnLostDeal,
    #[error("a lost deal expects no more money")]
    ExpectedOnClosedLostDeal,
}

/// Checks a move to a stage with `outcome`; returns the loss reason to store (only for lost deals).
pub fn stage_move(outcome: Outcome, loss_reason: &str) -> Result<Option<String>, DealError> {
    match outcome {
        Outcome::Lost => {
            let reason = text(loss_reason).map_err(|_| DealError::LossReasonRequired)?;
            Ok(Some(reason))
        }
        _ => Ok(None),
    }
}

/// Trims free text and checks it is neither empty nor too long.
pub fn text(input: &str) -> Result<String, DealError> {
    let t = input.trim();
    if t.is_empty() {
        Err(DealError::TextEmpty)
    } else if t.chars().count() > MAX_TEXT {
        Err(DealError::TextTooLong)
    } else {
        Ok(t.to_string())
    }
}

/// Checks a deal's amount: zero (not yet known) or more.
pub fn amount(amount: Money) -> Result<(), DealError> {
    if amount < Money::ZERO { Err(DealError::AmountNegative) } else { Ok(()) }
}

/// Checks a payment received on `on` for a deal whose stage has `outcome`.
pub fn received_payment(amount: Money, on: NaiveDate, today: NaiveDate, outcome: Outcome, confirmed: bool) -> Result<(), DealError> {
    if amount <= Money::ZERO {
        Err(DealError::AmountNotPositive)
    } else if on > today {
        Err(DealError::DateInFuture)
    } else if outcome == Outcome::Lost && !confirmed {
        Err(DealError::PaymentOnLostDeal)
    } else {
        Ok(())
    }
}

/// Checks an expected payment: a positive amount, and not on a lost deal (nothing
/// more will come from it; a late payment is recorded as received instead).
pub fn expected_payment(amount: Money, outcome: Outcome) -> Result<(), DealError> {
    if amount <= Money::ZERO {
        Err(DealError::AmountNotPositive)
    } else if outcome == Outcome::Lost {
        Err(DealError::ExpectedOnClosedLostDeal)
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, day).unwrap()
    }

    #[test]
    fn moving_to_lost_needs_a_reason() {
        assert_eq!(stage_move(Outcome::Lost, "  "), Err(DealError::LossReasonRequired));
        assert_eq!(stage_move(Outcome::Lost, " Нет бюджета "), Ok(Some("Нет бюджета".into())));
        assert_eq!(stage_move(Outcome::Open, "whatever"), Ok(None));
        assert_eq!(stage_move(Outcome::Won, ""), Ok(None));
    }

    #[test]
    fn a_payment_must_be_positive_and_not_from_the_future() {
        let m = Money::from_rubles(1000);
        assert_eq!(received_payment(Money::ZERO, d(1), d(2), Outcome::Open, false), Err(DealError::AmountNotPositive));
        assert_eq!(received_payment(m, d(3), d(2), Outcome::Open, false), Err(DealError::DateInFuture));
        assert_eq!(received_payment(m, d(2), d(2), Outcome::Won, false), Ok(()));
    }

    #[test]
    fn a_payment_on_a_lost_deal_needs_confirmation() {
        let m = Money::from_rubles(1000);
        assert_eq!(received_payment(m, d(1), d(2), Outcome::Lost, false), Err(DealError::PaymentOnLostDeal));
        assert_eq!(received_payment(m, d(1), d(2), Outcome::Lost, true), Ok(()));
    }

    #[test]
    fn a_lost_deal_expects_no_money_and_amounts_are_positive() {
        assert_eq!(expected_payment(Money::from_rubles(10), Outcome::Lost), Err(DealError::ExpectedOnClosedLostDeal));
        assert_eq!(expected_payment(Money::ZERO, Outcome::Open), Err(DealError::AmountNotPositive));
        assert_eq!(expected_payment(Money::from_rubles(10), Outcome::Won), Ok(()));
    }

    #[test]
    fn a_deal_amount_may_be_zero_but_not_negative() {
        assert_eq!(amount(Money::ZERO), Ok(()));
        assert_eq!(amount(Money::from_kopecks(-1)), Err(DealError::AmountNegative));
    }

    #[test]
    fn text_is_trimmed_and_bounded() {
        assert_eq!(text("  позвонить  "), Ok("позвонить".into()));
        assert_eq!(text(""), Err(DealError::TextEmpty));
        assert_eq!(text(&"я".repeat(MAX_TEXT + 1)), Err(DealError::TextTooLong));
    }
}
