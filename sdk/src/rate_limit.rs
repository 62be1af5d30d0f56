//! Client-side rate limiting: staying under each action's documented limit instead of collecting
//! `RequestLimitExceeded` errors.
//!
//! The service counts requests per action and per account in one-second windows (20 per second
//! for most DTS actions). The client keeps a token bucket per service, action and secret id,
//! shared by every client made from the same [`Config`](crate::Config) and by their clones, and a
//! request that would exceed it waits for its turn. So a program that polls 100 jobs at once
//! sends 18 `DescribeMigrateCheckJob` requests a second, and none is refused.
//!
//! The bucket refills at a fraction of the limit (the [utilization](RateLimits::utilization),
//! 90 % by default) and lets what is left over go out as a burst: for a limit of 100, 90
//! requests a second with bursts of 5; for a limit of 20, 18 a second one at a time. With that
//! split, no one-second window of arrivals holds more than the limit even when requests travel
//! up to 50 ms longer or shorter than one another. A bucket that holds a whole second's worth
//! would let twice the limit through in one window.
//!
//! Waits are fair: each request reserves the next free slot when it asks, so requests go out in
//! the order they asked, and a waiting request holds no lock.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Whether and how requests are paced to the actions' documented limits. Part of a
/// [`Config`](crate::Config); on by default.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RateLimits {
    enabled: bool,
    utilization: f64,
}

impl RateLimits {
    /// The default share of a limit that the bucket refills at.
    pub const DEFAULT_UTILIZATION: f64 = 0.9;

    /// Paces each action to its limit from the spec (the default).
    pub fn from_spec() -> Self {
        Self {
            enabled: true,
            utilization: Self::DEFAULT_UTILIZATION,
        }
    }

    /// No client-side pacing: every request goes out at once.
    pub fn disabled() -> Self {
        Self {
            enabled: false,
            utilization: Self::DEFAULT_UTILIZATION,
        }
    }

    /// Sets the share of each limit the bucket refills at, above 0 and at most 1; what the limit
    /// leaves over becomes the burst (at least one request).
    #[must_use]
    pub fn with_utilization(mut self, utilization: f64) -> Self {
        self.utilization = utilization;
        self
    }

    /// Whether requests are paced.
    pub fn is_enabled(&self) -> bool {
        self.enabled
    }

    /// The share of each limit the bucket refills at.
    pub fn utilization(&self) -> f64 {
        self.utilization
    }

    /// The bucket for a documented limit of `per_second` requests a second: its refill rate in
    /// requests per second and its burst. `None` when pacing is off or there is no limit.
    pub fn bucket_for(&self, per_second: Option<u32>) -> Option<(f64, u32)> {
        let limit = per_second.filter(|limit| self.enabled && *limit > 0)?;
        let rate = f64::from(limit) * self.utilization;
        // A window of arrivals may see the departures of 1.05 s when travel times differ by up to
        // 50 ms; what the limit leaves beyond that is the burst. Within 0..limit, so the
        // conversion after flooring is exact.
        let spare = (f64::from(limit) - rate * JITTER_WINDOW).floor().max(0.0) as u32;
        Some((rate, spare.max(1)))
    }

    pub(crate) fn check(&self) -> Result<(), String> {
        if self.utilization > 0.0 && self.utilization <= 1.0 {
            Ok(())
        } else {
            Err(format!(
                "utilization must be above 0 and at most 1, not {}",
                self.utilization
            ))
        }
    }
}

impl Default for RateLimits {
    fn default() -> Self {
        Self::from_spec()
    }
}

/// The span of departures that one second of arrivals can hold, as a multiple of a second.
const JITTER_WINDOW: f64 = 1.05;

/// The buckets of one action, by the secret id that signs.
type ActionBuckets = HashMap<String, Option<Bucket>>;

/// The buckets of one configuration, shared by its clients: by service, by action, then by the
/// secret id that signs (levels, so that a lookup needs no owned key, and action names known
/// only at run time work as well as generated ones).
#[derive(Debug, Default)]
pub(crate) struct RateLimiter {
    buckets: Mutex<HashMap<String, HashMap<String, ActionBuckets>>>,
}

/// A token bucket kept as the "theoretical arrival time" of the generic cell rate algorithm: the
/// time at which the bucket would be full again if no other request came.
#[derive(Debug)]
struct Bucket {
    next_free: Instant,
}

/// Runs `f` on the entry of `key` in `map`, inserting a default one first when there is none:
/// looked up by `&str`, so the key is copied only the first time.
fn with_entry<V: Default, R>(
    map: &mut HashMap<String, V>,
    key: &str,
    f: impl FnOnce(&mut V) -> R,
) -> Option<R> {
    if !map.contains_key(key) {
        map.insert(key.to_owned(), V::default());
    }
    map.get_mut(key).map(f)
}

impl RateLimiter {
    /// Reserves a slot for one request and returns how long to wait before sending it.
    ///
    /// `rate` is in requests per second and `burst` is how many may go out back to back.
    pub(crate) fn reserve(
        &self,
        service: &str,
        action: &str,
        secret_id: &str,
        (rate, burst): (f64, u32),
        now: Instant,
    ) -> Duration {
        let interval = Duration::from_secs_f64(1.0 / rate);
        let tolerance = interval.saturating_mul(burst.saturating_sub(1));
        let mut buckets = self
            .buckets
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let reserve = |bucket: &mut Option<Bucket>| {
            let bucket = bucket.get_or_insert(Bucket { next_free: now });
            let start = bucket.next_free.max(now);
            let send_at = start.checked_sub(tolerance).unwrap_or(now).max(now);
            bucket.next_free = start + interval;
            send_at - now
        };
        with_entry(&mut buckets, service, |actions| {
            with_entry(actions, action, |by_secret_id| {
                with_entry(by_secret_id, secret_id, reserve)
            })
        })
        .flatten()
        .flatten()
        // Unreachable: each entry is inserted when missing.
        .unwrap_or(Duration::ZERO)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(n: u64) -> Duration {
        Duration::from_millis(n)
    }

    /// The send times of `count` requests that all ask at `t0`.
    fn schedule(bucket: (f64, u32), count: usize) -> Vec<Duration> {
        let limiter = RateLimiter::default();
        let t0 = Instant::now();
        (0..count)
            .map(|_| limiter.reserve("dts", "DescribeMigrateCheckJob", "AKID", bucket, t0))
            .collect()
    }

    /// The most send times that fall in any window `[t, t + width)`.
    fn densest_window(times: &[Duration], width: Duration) -> usize {
        times
            .iter()
            .map(|start| {
                times
                    .iter()
                    .filter(|t| **t >= *start && **t < *start + width)
                    .count()
            })
            .max()
            .unwrap_or(0)
    }

    #[test]
    fn buckets_split_the_limit_into_rate_and_burst() {
        let limits = RateLimits::from_spec();
        assert_eq!(limits.bucket_for(Some(20)), Some((18.0, 1)));
        assert_eq!(limits.bucket_for(Some(100)), Some((90.0, 5)));
        let (rate, burst) = limits.bucket_for(Some(1)).unwrap();
        assert!((rate - 0.9).abs() < 1e-9);
        assert_eq!(burst, 1);
        assert_eq!(limits.bucket_for(None), None);
        assert_eq!(limits.bucket_for(Some(0)), None);
        assert_eq!(RateLimits::disabled().bucket_for(Some(20)), None);
        let (rate, burst) = RateLimits::from_spec()
            .with_utilization(1.0)
            .bucket_for(Some(20))
            .unwrap();
        assert_eq!((rate, burst), (20.0, 1));
    }

    #[test]
    fn no_window_holds_more_than_the_limit_even_with_arrival_jitter() {
        for limit in [1, 2, 5, 7, 15, 20, 50, 100] {
            let bucket = RateLimits::from_spec().bucket_for(Some(limit)).unwrap();
            let times = schedule(bucket, limit as usize * 4);
            // Travel times that differ by up to 50 ms: a window of 1.05 s of departures is the
            // worst a one-second window of arrivals can see.
            let worst = densest_window(&times, ms(1050));
            assert!(
                worst <= limit as usize,
                "limit {limit}: {worst} in a window"
            );
        }
    }

    #[test]
    fn burst_goes_at_once_then_requests_are_evenly_spaced() {
        let times = schedule((90.0, 5), 10);
        assert!(times[..5].iter().all(|t| t.is_zero()), "{times:?}");
        let interval = Duration::from_secs_f64(1.0 / 90.0);
        for pair in times[4..].windows(2) {
            let gap = pair[1] - pair[0];
            assert!(gap.abs_diff(interval) < Duration::from_micros(5), "{gap:?}");
        }
    }

    #[test]
    fn buckets_are_per_action_and_per_secret_id() {
        let limiter = RateLimiter::default();
        let t0 = Instant::now();
        let bucket = (1.0, 1);
        assert_eq!(
            limiter.reserve("dts", "A", "id1", bucket, t0),
            Duration::ZERO
        );
        assert_eq!(limiter.reserve("dts", "A", "id1", bucket, t0), ms(1000));
        assert_eq!(
            limiter.reserve("dts", "B", "id1", bucket, t0),
            Duration::ZERO
        );
        assert_eq!(
            limiter.reserve("dts", "A", "id2", bucket, t0),
            Duration::ZERO
        );
        assert_eq!(
            limiter.reserve("cvm", "A", "id1", bucket, t0),
            Duration::ZERO
        );
    }

    #[test]
    fn an_idle_bucket_refills() {
        let limiter = RateLimiter::default();
        let t0 = Instant::now();
        let bucket = (10.0, 1);
        assert_eq!(
            limiter.reserve("dts", "A", "id", bucket, t0),
            Duration::ZERO
        );
        assert_eq!(limiter.reserve("dts", "A", "id", bucket, t0), ms(100));
        // Much later, the next request goes at once and the schedule starts over.
        let later = t0 + Duration::from_secs(5);
        assert_eq!(
            limiter.reserve("dts", "A", "id", bucket, later),
            Duration::ZERO
        );
    }

    #[test]
    fn utilization_is_checked() {
        assert!(RateLimits::from_spec().check().is_ok());
        for bad in [0.0, -1.0, 1.5, f64::NAN] {
            let err = RateLimits::from_spec().with_utilization(bad).check();
            assert!(err.is_err(), "{bad}");
        }
    }
}
