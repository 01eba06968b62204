//! The offline sync's rules, without I/O: when a queued change conflicts with what the
//! server has, and the order an outbox sends in.

/// A change to a guarded field (a stage, an amount) conflicts when the server's value
/// moved away from the value the person saw, unless it already is what they want:
/// then both sides agree and there is nothing to ask. A change made without a seen
/// value (`None`: "keep mine" after a conflict) overwrites.
pub fn conflicts<T: PartialEq + ?Sized>(seen: Option<&T>, server: &T, mine: &T) -> bool {
    seen.is_some_and(|seen| server != seen && server != mine)
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
