//! Rules for the pipeline the head edits: stage names, win probabilities, and order.
//! Won and lost stay the last two stages whatever the head does, so "open" always
//! means "before them" on the board and in the forecast.

use super::deal::Outcome;

pub const NAME_MAX: usize = 60;

#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum StageError {
    #[error("the stage name is empty")]
    NameEmpty,
    #[error("the stage name is too long")]
    NameTooLong,
    #[error("another stage has this name")]
    NameTaken,
    #[error("the probability must be a whole number from 0 to 100")]
    ProbabilityInvalid,
    #[error("deals stand at this stage")]
    HasDeals,
    #[error("the pipeline needs at least one open stage")]
    LastOpenStage,
    #[error("won and lost stages cannot be removed or moved")]
    ClosedStage,
}

/// A stage's name, trimmed; unique among `others` (their names as shown in either
/// language), compared without case and with ё read as е.
pub fn stage_name(input: &str, others: &[String]) -> Result<String, StageError> {
    let name = input.split_whitespace().collect::<Vec<_>>().join(" ");
    if name.is_empty() {
        return Err(StageError::NameEmpty);
    }
    if name.chars().count() > NAME_MAX {
        return Err(StageError::NameTooLong);
    }
    let key = super::client::fold(&name);
    if others.iter().any(|o| super::client::fold(o.trim()) == key) {
        return Err(StageError::NameTaken);
    }
    Ok(name)
}

/// A win probability as people type it: "40", "40 %", "40%".
pub fn probability(input: &str) -> Result<i64, StageError> {
    let digits = input.trim().trim_end_matches('%').trim();
    match digits.parse::<i64>() {
        Ok(p) if (0..=100).contains(&p) => Ok(p),
        _ => Err(StageError::ProbabilityInvalid),
    }
}

/// The stage ids in their new order after moving `id` one place up (towards the start)
/// or down among the open stages; `None` when it cannot move that way. Won and lost
/// stages keep their places after the open ones.
pub fn reorder(stages: &[(String, Outcome)], id: &str, up: bool) -> Option<Vec<String>> {
    let mut open: Vec<&String> = stages.iter().filter(|s| s.1 == Outcome::Open).map(|s| &s.0).collect();
    let at = open.iter().position(|s| *s == id)?;
    let to = if up { at.checked_sub(1)? } else { Some(at + 1).filter(|t| *t < open.len())? };
    open.swap(at, to);
    Some(open.into_iter().chain(stages.iter().filter(|s| s.1 != Outcome::Open).map(|s| &s.0)).cloned().collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn pipeline(open: usize) -> Vec<(String, Outcome)> {
        (0..open)
            .map(|i| (format!("s{i}"), Outcome::Open))
            .chain([("won".to_string(), Outcome::Won), ("lost".to_string(), Outcome::Lost)])
            .collect()
    }

    #[test]
    fn names_are_trimmed_unique_in_any_case_and_not_too_long() {
        let others = vec!["Новая".to_string(), "New".to_string(), "Счёт выставлен".to_string()];
        assert_eq!(stage_name("  Демо   проведено ", &others), Ok("Демо проведено".to_string()));
        assert_eq!(stage_name("   ", &others), Err(StageError::NameEmpty));
        assert_eq!(stage_name("НОВАЯ", &others), Err(StageError::NameTaken));
        assert_eq!(stage_name("new", &others), Err(StageError::NameTaken));
        assert_eq!(stage_name("счет выставлен", &others), Err(StageError::NameTaken));
        assert_eq!(stage_name(&"я".repeat(NAME_MAX + 1), &others), Err(StageError::NameTooLong));
        assert!(stage_name(&"я".repeat(NAME_MAX), &others).is_ok());
    }

    #[test]
    fn probabilities_are_whole_percents() {
        assert_eq!(probability("40"), Ok(40));
        assert_eq!(probability(" 40 % "), Ok(40));
        assert_eq!(probability("0"), Ok(0));
        assert_eq!(probability("100%"), Ok(100));
        for bad in ["", "101", "-1", "40.5", "сорок"] {
            assert_eq!(probability(bad), Err(StageError::ProbabilityInvalid), "{bad}");
        }
    }

    #[test]
    fn the_first_open_stage_cannot_go_up_nor_the_last_go_down_nor_closed_ones_move() {
        let p = pipeline(3);
        assert_eq!(reorder(&p, "s0", true), None);
        assert_eq!(reorder(&p, "s2", false), None);
        assert_eq!(reorder(&p, "won", true), None);
        assert_eq!(reorder(&p, "s1", true).unwrap(), ["s1", "s0", "s2", "won", "lost"]);
    }

    proptest! {
        #[test]
        fn a_move_is_a_swap_that_keeps_closed_stages_last_and_undoes(open in 1usize..9, pick in 0usize..9, up: bool) {
            let p = pipeline(open);
            let id = format!("s{}", pick % open);
            if let Some(order) = reorder(&p, &id, up) {
                let mut sorted = order.clone();
                sorted.sort();
                let mut all: Vec<String> = p.iter().map(|s| s.0.clone()).collect();
                all.sort();
                prop_assert_eq!(sorted, all);
                prop_assert_eq!(&order[open..], &["won".to_string(), "lost".to_string()]);
                let moved: Vec<(String, Outcome)> = order.iter().map(|id| (id.clone(), p.iter().find(|s| &s.0 == id).unwrap().1)).collect();
                let back = reorder(&moved, &id, !up).unwrap();
                prop_assert_eq!(back, p.iter().map(|s| s.0.clone()).collect::<Vec<_>>());
            }
        }
    }
}
