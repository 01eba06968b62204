//! Sign-in throttling: repeated failures for one account or one address are first
//! slowed down, then refused for a while.

use chrono::{DateTime, Duration, Utc};

/// How failures are counted for one key (an e-mail or an IP address).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Policy {
    /// Failures inside one window that trigger the lock.
    pub max_failures: u32,
    pub window: Duration,
    pub lock: Duration,
}

/// One account: five tries in fifteen minutes, then fifteen minutes of refusal.
pub const PER_ACCOUNT: Policy = Policy { max_failures: 5, window: Duration::minutes(15), lock: Duration::minutes(15) };
/// One address: an office behind one NAT shares it, so the limit is higher.
pub const PER_ADDRESS: Policy = Policy { max_failures: 30, window: Duration::minutes(15), lock: Duration::minutes(15) };

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Failures {
    pub count: u32,
    pub window_started_at: DateTime<Utc>,
    pub locked_until: Option<DateTime<Utc>>,
}

impl Policy {
    /// `Err(retry_after)` while the key is locked.
    pub fn check(&self, record: Option<&Failures>, now: DateTime<Utc>) -> Result<(), Duration> {
        match record.and_then(|r| r.locked_until) {
            Some(until) if until > now => Err(until - now),
            _ => Ok(()),
        }
    }

    /// The record after one more failure at `now`.
    pub fn record_failure(&self, record: Option<Failures>, now: DateTime<Utc>) -> Failures {
        let fresh = Failures { count: 0, window_started_at: now, locked_until: None };
        let mut r = match record {
            Some(r) if now - r.window_started_at < self.window && r.locked_until.is_none_or(|u| u > now) => r,
            _ => fresh,
        };
        r.count += 1;
        if r.count >= self.max_failures {
            r.locked_until = Some(now + self.lock);
        }
        r
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

    fn t(minutes: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_800_000_000, 0).unwrap() + Duration::minutes(minutes)
    }

    #[test]
    fn the_fifth_failure_locks_the_account_for_fifteen_minutes() {
        let mut r = None;
        for i in 0..4 {
            r = Some(PER_ACCOUNT.record_failure(r, t(i)));
            assert_eq!(PER_ACCOUNT.check(r.as_ref(), t(i)), Ok(()));
        }
        let locked = PER_ACCOUNT.record_failure(r, t(4));
        assert_eq!(PER_ACCOUNT.check(Some(&locked), t(5)), Err(Duration::minutes(14)));
        assert_eq!(PER_ACCOUNT.check(Some(&locked), t(19)), Ok(()));
    }

    #[test]
    fn failures_outside_the_window_start_a_new_count() {
        let r = PER_ACCOUNT.record_failure(None, t(0));
        let r = PER_ACCOUNT.record_failure(Some(r), t(16));
        assert_eq!(r.count, 1);
    }

    #[test]
    fn after_a_lock_expires_counting_starts_again() {
        let mut r = None;
        for i in 0..5 {
            r = Some(PER_ACCOUNT.record_failure(r, t(i)));
        }
        let after = PER_ACCOUNT.record_failure(r, t(25));
        assert_eq!(after.count, 1);
        assert_eq!(after.locked_until, None);
    }

    #[test]
    fn repeated_failures_are_slowed_down() {
        assert_eq!(PER_ACCOUNT.delay(1), std::time::Duration::ZERO);
        assert!(PER_ACCOUNT.delay(4) > PER_ACCOUNT.delay(3));
        assert_eq!(PER_ACCOUNT.delay(100), PER_ACCOUNT.delay(10));
    }
}
