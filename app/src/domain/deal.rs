//! Deal rules: what a change to a deal must satisfy before it is stored.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::Money;
use super::limits::{self, DateBound, When};

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
pub const MAX_TEXT: usize = limits::TEXT_LEN;

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
    #[error("an amount is above the largest Pacer keeps")]
    AmountTooLarge,
    #[error("the payments on one deal would add up to more than the largest amount")]
    PaymentsTooLarge,
    #[error("the date is too far in the past")]
    DateTooEarly,
    #[error("the date is too far in the future")]
    DateTooLate,
    #[error("a name is too long")]
    NameTooLong,
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
    } else if !limits::fits(t, MAX_TEXT) {
        Err(DealError::TextTooLong)
    } else {
        Ok(t.to_string())
    }
}

/// Trims free text that may be left empty (a first next step) and checks its length.
pub fn optional_text(input: &str) -> Result<String, DealError> {
    bounded(input, MAX_TEXT, DealError::TextTooLong)
}

/// Trims a name that may be left empty (a deal's source) and checks its length.
pub fn optional_name(input: &str) -> Result<String, DealError> {
    bounded(input, limits::NAME_LEN, DealError::NameTooLong)
}

fn bounded(input: &str, max: usize, too_long: DealError) -> Result<String, DealError> {
    let t = input.trim();
    if limits::fits(t, max) { Ok(t.to_string()) } else { Err(too_long) }
}

/// Checks a deal's amount: zero (not yet known) up to [`limits::MAX_AMOUNT`].
pub fn amount(amount: Money) -> Result<(), DealError> {
    if amount < Money::ZERO {
        Err(DealError::AmountNegative)
    } else if !limits::amount_fits(amount) {
        Err(DealError::AmountTooLarge)
    } else {
        Ok(())
    }
}

/// Checks a date of something planned (a close, a due payment, a next step) against
/// its window around the organisation's `today`.
pub fn due_date(on: Option<NaiveDate>, today: NaiveDate) -> Result<(), DealError> {
    on.map_or(Ok(()), |on| When::Due.check(on, today).map_err(date_error))
}

fn date_error(e: DateBound) -> DealError {
    match e {
        DateBound::TooEarly => DealError::DateTooEarly,
        DateBound::InFuture => DealError::DateInFuture,
        DateBound::TooLate => DealError::DateTooLate,
    }
}

/// A positive amount that, added to what the deal already holds of its kind, stays
/// within the largest amount: the payments on one deal are themselves an amount.
fn payment_amount(amount: Money, so_far: Money) -> Result<(), DealError> {
    if amount <= Money::ZERO {
        Err(DealError::AmountNotPositive)
    } else if !limits::amount_fits(amount) {
        Err(DealError::AmountTooLarge)
    } else if !limits::amount_fits(so_far + amount) {
        Err(DealError::PaymentsTooLarge)
    } else {
        Ok(())
    }
}

/// Checks a payment received on `on` for a deal whose stage has `outcome` and which
/// has received `so_far`.
pub fn received_payment(
    amount: Money,
    on: NaiveDate,
    today: NaiveDate,
    outcome: Outcome,
    confirmed: bool,
    so_far: Money,
) -> Result<(), DealError> {
    payment_amount(amount, so_far)?;
    When::Happened.check(on, today).map_err(date_error)?;
    if outcome == Outcome::Lost && !confirmed {
        Err(DealError::PaymentOnLostDeal)
    } else {
        Ok(())
    }
}

/// Checks an expected payment due on `due_on`: a positive amount, and not on a lost
/// deal (nothing more will come from it; a late payment is recorded as received
/// instead). `so_far` is what the deal already expects.
pub fn expected_payment(amount: Money, due_on: NaiveDate, today: NaiveDate, outcome: Outcome, so_far: Money) -> Result<(), DealError> {
    payment_amount(amount, so_far)?;
    When::Due.check(due_on, today).map_err(date_error)?;
    if outcome == Outcome::Lost {
        Err(DealError::ExpectedOnClosedLostDeal)
    } else {
        Ok(())
    }
}

/// The field a payment's error belongs next to, as forms and the protocol name it.
pub fn payment_field(e: DealError, date_field: &'static str) -> &'static str {
    match e {
        DealError::DateInFuture | DealError::DateTooEarly | DealError::DateTooLate => date_field,
        DealError::PaymentOnLostDeal => "confirm_lost",
        _ => "amount",
    }
}

/// A new deal's fields, checked; errors name the field as the form and the protocol do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewDeal {
    pub title: String,
    pub amount: Money,
    pub expected_close_on: Option<NaiveDate>,
    pub next_step: String,
    pub next_step_due_on: Option<NaiveDate>,
    pub source: String,
}

impl NewDeal {
    #[allow(clippy::too_many_arguments)]
    pub fn parse(
        title: &str,
        amount: Money,
        expected_close_on: Option<NaiveDate>,
        next_step: &str,
        next_step_due_on: Option<NaiveDate>,
        source: &str,
        today: NaiveDate,
    ) -> Result<NewDeal, (&'static str, DealError)> {
        // The name's bound first, so any title over it gets the same message.
        let title = optional_name(title).and_then(|t| text(&t)).map_err(|e| ("title", e))?;
        self::amount(amount).map_err(|e| ("amount", e))?;
        due_date(expected_close_on, today).map_err(|e| ("expected_close_on", e))?;
        let next_step = optional_text(next_step).map_err(|e| ("next_step", e))?;
        due_date(next_step_due_on, today).map_err(|e| ("next_step_due_on", e))?;
        let source = optional_name(source).map_err(|e| ("source", e))?;
        Ok(NewDeal {
            title,
            amount,
            expected_close_on,
            next_step,
            next_step_due_on,
            source,
        })
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

    const NONE: Money = Money::ZERO;

    #[test]
    fn a_payment_must_be_positive_and_not_from_the_future() {
        let m = Money::from_rubles(1000);
        assert_eq!(received_payment(Money::ZERO, d(1), d(2), Outcome::Open, false, NONE), Err(DealError::AmountNotPositive));
        assert_eq!(received_payment(m, d(3), d(2), Outcome::Open, false, NONE), Err(DealError::DateInFuture));
        assert_eq!(received_payment(m, d(2), d(2), Outcome::Won, false, NONE), Ok(()));
    }

    #[test]
    fn a_payment_on_a_lost_deal_needs_confirmation() {
        let m = Money::from_rubles(1000);
        assert_eq!(received_payment(m, d(1), d(2), Outcome::Lost, false, NONE), Err(DealError::PaymentOnLostDeal));
        assert_eq!(received_payment(m, d(1), d(2), Outcome::Lost, true, NONE), Ok(()));
    }

    #[test]
    fn a_payment_from_the_year_one_or_of_a_typo_sized_amount_is_refused() {
        let m = Money::from_rubles(1000);
        let year_one = NaiveDate::from_ymd_opt(1, 1, 1).unwrap();
        assert_eq!(
            received_payment(m, year_one, d(2), Outcome::Open, false, NONE),
            Err(DealError::DateTooEarly)
        );
        let huge = Money::from_kopecks(i64::MAX);
        assert_eq!(
            received_payment(huge, d(1), d(2), Outcome::Open, false, NONE),
            Err(DealError::AmountTooLarge)
        );
        assert_eq!(
            received_payment(limits::MAX_AMOUNT, d(1), d(2), Outcome::Open, false, NONE),
            Ok(())
        );
    }

    #[test]
    fn the_payments_on_one_deal_add_up_to_at_most_the_largest_amount() {
        let half = Money::from_kopecks(limits::MAX_AMOUNT.kopecks() / 2);
        assert_eq!(
            received_payment(half, d(1), d(2), Outcome::Open, false, half),
            Ok(())
        );
        let more = half + Money::from_kopecks(1);
        assert_eq!(
            received_payment(more, d(1), d(2), Outcome::Open, false, more),
            Err(DealError::PaymentsTooLarge)
        );
        assert_eq!(expected_payment(more, d(9), d(2), Outcome::Open, more),
            Err(DealError::PaymentsTooLarge)
        );
    }

    #[test]
    fn a_lost_deal_expects_no_money_and_amounts_are_positive() {
        let m = Money::from_rubles(10);
        assert_eq!(
            expected_payment(m, d(9), d(2), Outcome::Lost, NONE), Err(DealError::ExpectedOnClosedLostDeal));
        assert_eq!(expected_payment(Money::ZERO, d(9), d(2), Outcome::Open, NONE), Err(DealError::AmountNotPositive));
        assert_eq!(expected_payment(m, d(9), d(2), Outcome::Won, NONE), Ok(()));
        let far = NaiveDate::from_ymd_opt(2999, 1, 1).unwrap();
        assert_eq!(
            expected_payment(m, far, d(2), Outcome::Open, NONE),
            Err(DealError::DateTooLate)
        );
        assert_eq!(payment_field(DealError::DateTooLate, "due_on"), "due_on");
        assert_eq!(
            payment_field(DealError::PaymentsTooLarge, "due_on"),
            "amount"
        );
    }

    #[test]
    fn a_deal_amount_may_be_zero_but_not_negative_nor_above_a_trillion_rubles() {
        assert_eq!(amount(Money::ZERO), Ok(()));
        assert_eq!(amount(Money::from_kopecks(-1)), Err(DealError::AmountNegative)
        );
        assert_eq!(amount(limits::MAX_AMOUNT), Ok(()));
        assert_eq!(
            amount(Money::from_kopecks(i64::MAX)),
            Err(DealError::AmountTooLarge)
        );
    }

    #[test]
    fn a_new_deal_names_the_field_that_breaks_a_bound() {
        let ok = |title: &str, source: &str, next: &str, close| {
            NewDeal::parse(
                title,
                Money::from_rubles(5),
                close,
                next,
                None,
                source,
                d(2),
            )
        };
        assert!(ok("Пилот", "", "", None).is_ok());
        assert_eq!(
            ok(&"я".repeat(limits::NAME_LEN + 1), "", "", None),
            Err(("title", DealError::NameTooLong))
        );
        assert_eq!(
            ok(&"я".repeat(MAX_TEXT + 1), "", "", None),
            Err(("title", DealError::NameTooLong)),
            "any title over the name's bound gets the same message"
        );
        assert_eq!(ok("  ", "", "", None), Err(("title", DealError::TextEmpty)));
        assert_eq!(
            ok("Пилот", &"x".repeat(limits::NAME_LEN + 1), "", None),
            Err(("source", DealError::NameTooLong))
        );
        assert_eq!(
            ok("Пилот", "", &"x".repeat(MAX_TEXT + 1), None),
            Err(("next_step", DealError::TextTooLong))
        );
        let year_one = NaiveDate::from_ymd_opt(1, 1, 1);
        assert_eq!(
            ok("Пилот", "", "", year_one),
            Err(("expected_close_on", DealError::DateTooEarly)));
    }

    #[test]
    fn text_is_trimmed_and_bounded() {
        assert_eq!(text("  позвонить  "), Ok("позвонить".into()));
        assert_eq!(text(""), Err(DealError::TextEmpty));
        assert_eq!(text(&"я".repeat(MAX_TEXT + 1)), Err(DealError::TextTooLong));
    }
}
