//! Sign-in throttling: attempts for one account or one address are counted before
//! their password is checked; the ones past the allowance are refused for a while,
//! and failures are answered ever more slowly.
//!
//! Counting first is what makes the limit hold for attempts sent all at once: each
//! one sees those before it, finished or not (the store counts atomically).

use chrono::{DateTime, Duration, Utc};

/// How attempts are counted for one key (an e-mail or an IP address).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Policy {
    /// Attempts checked inside one window; the next one is refused and locks the key.
    pub max_failures: u32,
    pub window: Duration,
    pub lock: Duration,
}

/// One account: five tries in fifteen minutes, then fifteen minutes of refusal.
pub const PER_ACCOUNT: Policy = Policy { max_failures: 5, window: Duration::minutes(15), lock: Duration::minutes(15) };
/// One address: an office behind one NAT shares it, so the limit is higher.
pub const PER_ADDRESS: Policy = Policy { max_failures: 30, window: Duration::minutes(15), lock: Duration::minutes(15) };

/// What is counted for one key in its current window: failed attempts and those still
/// being checked (a success clears an account's count and gives an address's back).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Failures {
    pub count: u32,
    pub window_started_at: DateTime<Utc>,
    pub locked_until: Option<DateTime<Utc>>,
}

impl Policy {
    /// The record after one more attempt at `now`, counted before its password is
    /// checked. A new window starts when the old one is over or its lock has expired;
    /// an attempt past the allowance locks the key; attempts while it is locked change
    /// nothing, so they do not lengthen the lock.
    pub fn reserve(&self, record: Option<Failures>, now: DateTime<Utc>) -> Failures {
        let fresh = Failures { count: 0, window_started_at: now, locked_until: None };
        let mut r = match record {
            Some(r) if r.locked_until.is_some_and(|until| until > now) => return r,
            Some(r) if r.locked_until.is_none() && now - r.window_started_at < self.window => r,
            _ => fresh,
        };
        r.count += 1;
        if r.count > self.max_failures {
            r.locked_until = Some(now + self.lock);
        }
        r
    }

    /// Whether a reserved attempt may have its password checked: `Err(retry_after)`
    /// while the key is locked.
    pub fn admit(&self, reserved: &Failures, now: DateTime<Utc>) -> Result<(), Duration> {
        match reserved.locked_until {
            Some(until) if until > now => Err(until - now),
            _ => Ok(()),
        }
    }

    /// How long to hold the answer to a failed attempt: nothing for the first two
    /// (people mistype), then a growing pause that makes guessing slow.
    pub fn delay(&self, failures: u32) -> std::time::Duration {
        let extra = failures.saturating_sub(2).min(8);
        std::time::Duration::from_millis(250 * u64::from(extra))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn t(minutes: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_800_000_000, 0).unwrap() + Duration::minutes(minutes)
    }

    /// `n` attempts at `at`, the record after them.
    fn attempts(policy: &Policy, mut r: Option<Failures>, n: u32, at: DateTime<Utc>) -> Failures {
        for _ in 0..n {
            r = Some(policy.reserve(r, at));
        }
        r.unwrap()
    }

    #[test]
    fn five_attempts_are_checked_and_the_sixth_locks_the_account_for_fifteen_minutes() {
        let mut r = None;
        for i in 0..5 {
            let reserved = PER_ACCOUNT.reserve(r, t(i));
            assert_eq!(PER_ACCOUNT.admit(&reserved, t(i)), Ok(()), "attempt {}", i + 1);
            r = Some(reserved);
        }
        let sixth = PER_ACCOUNT.reserve(r, t(5));
        assert_eq!(PER_ACCOUNT.admit(&sixth, t(5)), Err(Duration::minutes(15)));
        assert_eq!(PER_ACCOUNT.admit(&sixth, t(6)), Err(Duration::minutes(14)));
    }

    #[test]
    fn attempts_while_locked_do_not_lengthen_the_lock() {
        let locked = attempts(&PER_ACCOUNT, None, 6, t(0));
        let later = PER_ACCOUNT.reserve(Some(locked), t(10));
        assert_eq!(later, locked);
        assert_eq!(PER_ACCOUNT.admit(&later, t(10)), Err(Duration::minutes(5)));
    }

    #[test]
    fn attempts_outside_the_window_start_a_new_count() {
        let r = attempts(&PER_ACCOUNT, None, 4, t(0));
        let r = PER_ACCOUNT.reserve(Some(r), t(16));
        assert_eq!((r.count, r.window_started_at), (1, t(16)));
    }

    #[test]
    fn after_a_lock_expires_counting_starts_again() {
        let locked = attempts(&PER_ACCOUNT, None, 6, t(0));
        let after = PER_ACCOUNT.reserve(Some(locked), t(15));
        assert_eq!(after.count, 1);
        assert_eq!(after.locked_until, None);
        assert_eq!(PER_ACCOUNT.admit(&after, t(15)), Ok(()));
    }

    #[test]
    fn an_address_is_allowed_thirty_attempts() {
        let r = attempts(&PER_ADDRESS, None, 30, t(0));
        assert_eq!(PER_ADDRESS.admit(&r, t(0)), Ok(()));
        assert!(PER_ADDRESS.admit(&PER_ADDRESS.reserve(Some(r), t(1)), t(1)).is_err());
    }

    #[test]
    fn repeated_failures_are_slowed_down() {
        assert_eq!(PER_ACCOUNT.delay(1), std::time::Duration::ZERO);
        assert!(PER_ACCOUNT.delay(4) > PER_ACCOUNT.delay(3));
        assert_eq!(PER_ACCOUNT.delay(100), PER_ACCOUNT.delay(10));
    }

    proptest! {
        #[test]
        fn no_more_attempts_than_the_allowance_are_checked_in_one_window(
            mut seconds in proptest::collection::vec(0i64..15 * 60, 1..80),
        ) {
            seconds.sort_unstable();
            let mut r = None;
            let mut checked = 0;
            for s in seconds {
                let now = t(0) + Duration::seconds(s);
                let reserved = PER_ACCOUNT.reserve(r, now);
                checked += u32::from(PER_ACCOUNT.admit(&reserved, now).is_ok());
                r = Some(reserved);
            }
            prop_assert!(checked <= PER_ACCOUNT.max_failures);
        }
    }
}
