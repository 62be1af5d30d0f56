//! Per-second rate limits, counted per secret id and action as the cloud counts them.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// The limit, in requests per second per secret id, of an action whose spec documents none: the
/// cloud's common default.
pub const DEFAULT_RATE_LIMIT: u32 = 20;

/// Which request rates the emulator allows, per secret id and action.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum RateLimits {
    /// Each action's documented limit from its spec (`rateLimit`); actions without one get
    /// [`DEFAULT_RATE_LIMIT`] (20) requests per second, as in the cloud.
    #[default]
    FromSpec,
    /// Each action's documented limit from its spec; actions without one get this many requests
    /// per second instead of [`DEFAULT_RATE_LIMIT`]. 0 refuses every call to them.
    FromSpecOr(u32),
    /// The same limit, in requests per second, for every action.
    PerSecond(u32),
    /// No limit at all (for load tests).
    Off,
}

impl RateLimits {
    /// The limit for an action whose spec documents `documented` requests per second.
    pub(crate) fn for_action(self, documented: Option<u32>) -> Option<u32> {
        match self {
            Self::FromSpec => Some(documented.unwrap_or(DEFAULT_RATE_LIMIT)),
            Self::FromSpecOr(default) => Some(documented.unwrap_or(default)),
            Self::PerSecond(limit) => Some(limit),
            Self::Off => None,
        }
    }
}

/// The requests let through in the last second, per (secret id, action).
///
/// A sliding window: a request is refused when `limit` requests were already let through in the
/// second before it. Refused requests do not count.
#[derive(Debug, Default)]
pub(crate) struct Limiter {
    windows: Mutex<HashMap<(String, String), VecDeque<Instant>>>,
}

const WINDOW: Duration = Duration::from_secs(1);

impl Limiter {
    /// Whether one more request fits; counts it when it does.
    pub(crate) fn admit(&self, secret_id: &str, action: &str, limit: u32, now: Instant) -> bool {
        let mut windows = self
            .windows
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let key = (secret_id.to_owned(), action.to_owned());
        let window = windows.entry(key).or_default();
        while window
            .front()
            .is_some_and(|&seen| now.saturating_duration_since(seen) >= WINDOW)
        {
            window.pop_front();
        }
        if window.len() >= limit as usize {
            return false;
        }
        window.push_back(now);
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allows_the_limit_within_a_second_then_refuses() {
        let limiter = Limiter::default();
        let start = Instant::now();
        for i in 0..20 {
            let at = start + Duration::from_millis(i * 10);
            assert!(
                limiter.admit("id", "DescribeMigrateCheckJob", 20, at),
                "request {i}"
            );
        }
        let at = start + Duration::from_millis(500);
        assert!(!limiter.admit("id", "DescribeMigrateCheckJob", 20, at));
        // Other actions and other secret ids have their own windows.
        assert!(limiter.admit("id", "DescribeMigrateJobs", 20, at));
        assert!(limiter.admit("other", "DescribeMigrateCheckJob", 20, at));
        // One second after the first request, its slot is free again, and only its slot.
        let later = start + Duration::from_millis(1_000);
        assert!(limiter.admit("id", "DescribeMigrateCheckJob", 20, later));
        assert!(!limiter.admit("id", "DescribeMigrateCheckJob", 20, later));
    }

    #[test]
    fn the_default_limit_counts_like_a_documented_one() {
        let limiter = Limiter::default();
        let limit = RateLimits::FromSpec.for_action(None).unwrap_or(u32::MAX);
        let now = Instant::now();
        let admitted = (0..limit + 5)
            .filter(|_| limiter.admit("id", "AccessDevices", limit, now))
            .count();
        assert_eq!(admitted, DEFAULT_RATE_LIMIT as usize);
        assert!(limiter.admit("id", "AccessDevices", limit, now + WINDOW));
    }

    #[test]
    fn settings_pick_the_limit() {
        assert_eq!(RateLimits::FromSpec.for_action(Some(20)), Some(20));
        assert_eq!(RateLimits::FromSpec.for_action(Some(100)), Some(100));
        assert_eq!(RateLimits::FromSpec.for_action(Some(5)), Some(5));
        // Undocumented actions get the cloud's common default, or the one chosen.
        assert_eq!(
            RateLimits::FromSpec.for_action(None),
            Some(DEFAULT_RATE_LIMIT)
        );
        assert_eq!(DEFAULT_RATE_LIMIT, 20);
        assert_eq!(RateLimits::FromSpecOr(500).for_action(None), Some(500));
        assert_eq!(RateLimits::FromSpecOr(500).for_action(Some(20)), Some(20));
        assert_eq!(RateLimits::PerSecond(5).for_action(None), Some(5));
        assert_eq!(RateLimits::Off.for_action(None), None);
        assert_eq!(RateLimits::PerSecond(5).for_action(Some(20)), Some(5));
        assert_eq!(RateLimits::Off.for_action(Some(20)), None);
    }
}
