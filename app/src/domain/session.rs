//! Session lifetime rules.

use chrono::{DateTime, Duration, Utc};

/// A session unused this long ends: a phone left in a drawer signs out.
pub const IDLE_TIMEOUT: Duration = Duration::days(14);
/// No session lives longer than this, however active.
pub const ABSOLUTE_TIMEOUT: Duration = Duration::days(60);
/// `last_seen_at` is written at most this often, so page views don't all write.
pub const TOUCH_INTERVAL: Duration = Duration::minutes(1);

pub fn is_alive(created_at: DateTime<Utc>, last_seen_at: DateTime<Utc>, now: DateTime<Utc>) -> bool {
    now - last_seen_at < IDLE_TIMEOUT && now - created_at < ABSOLUTE_TIMEOUT
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_idle_session_dies_even_if_young() {
        let now = Utc::now();
        assert!(is_alive(now - Duration::days(3), now - Duration::days(1), now));
        assert!(!is_alive(now - Duration::days(20), now - Duration::days(15), now));
    }

    #[test]
    fn an_active_session_dies_at_the_absolute_limit() {
        let now = Utc::now();
        assert!(!is_alive(now - Duration::days(61), now - Duration::minutes(1), now));
    }
}
