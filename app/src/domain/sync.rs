//! The offline sync's rules, without I/O: when a queued change conflicts with what the
//! server has, and the order an outbox sends in, and the answers the protocol gives.

use serde::{Deserialize, Serialize};

use crate::i18n::Msg;

/// A change to a guarded field (a stage, an amount) conflicts when the server's value
/// moved away from the value the person saw, unless it already is what they want:
/// then both sides agree and there is nothing to ask. A change made without a seen
/// value (`None`: "keep mine" after a conflict) overwrites.
pub fn conflicts<T: PartialEq + ?Sized>(seen: Option<&T>, server: &T, mine: &T) -> bool {
    seen.is_some_and(|seen| server != seen && server != mine)
}

/// What became of one mutation.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Answer {
    /// Stored; `version` is the entity's new version where it has one.
    Applied {
        #[serde(default)]
        version: Option<i64>,
    },
    /// This id was answered before: `first` is that answer, and nothing was done again.
    Duplicate { first: Box<Answer> },
    /// A guarded field changed on the server since the person saw it. Nothing was
    /// stored; `theirs` is the server's value, `row` the server's current row.
    Conflict { field: String, yours: serde_json::Value, theirs: serde_json::Value, row: serde_json::Value },
    /// Never to be applied as sent; `message` is in the person's language.
    Rejected {
        reason: Reason,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        field: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        msg: Option<Msg>,
        message: String,
    },
}

/// Why a mutation was rejected.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    /// The entity does not exist or is not this person's to see (for example, the deal
    /// was handed to another manager).
    NotFound,
    /// The person's role may not make this change.
    Forbidden,
    /// A value breaks a rule; `field` and `msg` say which and why.
    Invalid,
    /// The mutation could not be read (unknown kind, missing field).
    Malformed,
}

/// One entity's latest state (or its tombstone).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Pulled {
    /// `deal`, `client`, `goal` or `report`.
    pub entity: String,
    pub id: String,
    /// Gone for this person: deleted, or handed to someone else.
    pub deleted: bool,
    /// The current row when not deleted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub row: Option<serde_json::Value>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn a_field_nobody_else_touched_is_no_conflict() {
        assert!(!conflicts(Some(&"proposal"), &"proposal", &"invoice"));
    }

    #[test]
    fn a_field_changed_by_someone_else_is_a_conflict() {
        assert!(conflicts(Some(&"proposal"), &"negotiation", &"invoice"));
    }

    #[test]
    fn the_same_change_made_twice_is_no_conflict() {
        assert!(!conflicts(Some(&"proposal"), &"invoice", &"invoice"));
    }

    #[test]
    fn keep_mine_overwrites() {
        assert!(!conflicts(None, &"negotiation", &"invoice"));
    }

    proptest! {
        #[test]
        fn conflict_exactly_when_the_server_holds_a_third_value(seen in 0u8..4, server in 0u8..4, mine in 0u8..4) {
            prop_assert_eq!(conflicts(Some(&seen), &server, &mine), server != seen && server != mine);
        }
    }
}
