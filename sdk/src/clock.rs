//! The clock that timestamps signatures, corrected by what the service says the time is.
//!
//! The service refuses a signature more than five minutes away from its own clock
//! (`AuthFailure.SignatureExpire`). A machine whose clock drifted would fail every call, so on that
//! error the runtime reads the service's time from the answer's `Date` header, keeps the
//! difference, and signs with the corrected time from then on, as long as the difference is
//! plausible ([`MAX_CLOCK_CORRECTION`](crate::config::MAX_CLOCK_CORRECTION)): one answer from a
//! broken or hostile server must not move the clock by years.

use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// The offset between the service's clock and this machine's, shared by the clients of one
/// configuration.
#[derive(Debug, Default)]
pub(crate) struct Clock {
    /// Seconds to add to the local time.
    offset: AtomicI64,
}

impl Clock {
    /// The corrected time in seconds since the Unix epoch.
    pub(crate) fn now(&self) -> u64 {
        let local = local_unix_time();
        let offset = self.offset.load(Ordering::Relaxed);
        local.saturating_add_signed(offset)
    }

    /// Seconds added to the local time.
    pub(crate) fn offset(&self) -> i64 {
        self.offset.load(Ordering::Relaxed)
    }

    /// Takes the service's time, in seconds since the epoch, as the right one when it is within
    /// `bound` of the local clock, and returns the new offset; otherwise leaves the clock alone
    /// and returns the offset it refused.
    pub(crate) fn correct_within(&self, server_time: u64, bound: Duration) -> Result<i64, i64> {
        let local = i128::from(local_unix_time());
        let offset = i128::from(server_time) - local;
        let offset = i64::try_from(offset).unwrap_or(if offset < 0 { i64::MIN } else { i64::MAX });
        if offset.unsigned_abs() > bound.as_secs() {
            return Err(offset);
        }
        self.offset.store(offset, Ordering::Relaxed);
        Ok(offset)
    }
}

fn local_unix_time() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_secs())
}

#[cfg(test)]
mod tests {
    use super::*;

    const DAY: Duration = Duration::from_secs(86_400);

    #[test]
    fn correction_moves_the_clock() {
        let clock = Clock::default();
        let local = clock.now();
        let offset = clock.correct_within(local + 3600, DAY).unwrap();
        assert!((3599..=3601).contains(&offset), "{offset}");
        assert!(clock.now().abs_diff(local + 3600) <= 1);
        clock
            .correct_within(local.saturating_sub(600), DAY)
            .unwrap();
        assert!(clock.now().abs_diff(local - 600) <= 1);
        assert!((-601..=-599).contains(&clock.offset()));
    }

    #[test]
    fn an_implausible_time_leaves_the_clock_alone() {
        let clock = Clock::default();
        let local = clock.now();
        // 2000-01-01, as a lying `Date` header might say.
        let refused = clock.correct_within(946_684_800, DAY).unwrap_err();
        assert!(refused < -20 * 365 * 86_400, "{refused}");
        let refused = clock.correct_within(local + 2 * 86_400, DAY).unwrap_err();
        assert!(refused > 86_400, "{refused}");
        assert_eq!(clock.offset(), 0);
        assert!(clock.correct_within(u64::MAX, DAY).is_err());
        assert_eq!(clock.offset(), 0);
    }
}
