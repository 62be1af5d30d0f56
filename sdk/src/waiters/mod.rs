//! Waiters: futures that poll a describe action until a long-running operation is over.
//!
//! A waiter sends the same read-only request again and again, sleeping between polls on a
//! [`PollSchedule`] (exponential growth, a cap, jitter, and a floor that keeps it under the
//! action's rate limit), retries the errors that [`is_transient`] deems temporary, and gives up
//! at a deadline. The service-specific waiters are methods on the service clients, listed at the
//! end of this page.
//!
//! Waiters sleep with Tokio's timer, so they must run inside a Tokio runtime with the time driver
//! enabled, which `#[tokio::main]` and `#[tokio::test]` provide (the HTTP client needs Tokio
//! anyway).
//!
//! The building blocks are public so that the same polling can be written for other actions:
//!
//! ```
//! use std::time::Duration;
//! use tencentcloud_sdk::waiters::{Backoff, NextPoll, PollSchedule};
//!
//! let schedule = PollSchedule::new(Duration::from_secs(2), Duration::from_secs(15))
//!     .with_rate_limit(Some(20));
//! let mut backoff = Backoff::new(schedule);
//! match backoff.next_poll(Duration::from_secs(60)) {
//!     NextPoll::In(delay) => assert!(delay >= Duration::from_secs(1) && delay <= Duration::from_secs(2)),
//!     NextPoll::GiveUpIn(_) => unreachable!("a minute leaves room for a poll"),
//! }
//! ```
//!
//! # Waiters by service
//!
#![cfg_attr(
    feature = "dts",
    doc = "- `dts` 2018-03-30: [`Client::wait_for_migrate_check`](crate::dts::v20180330::Client::wait_for_migrate_check), in [`waiters::dts`](self::dts)."
)]
#![cfg_attr(
    not(feature = "dts"),
    doc = "None in this build: each is compiled with its service's Cargo feature (`dts`)."
)]

use std::time::Duration;

use crate::error::SdkError;

#[cfg(feature = "dts")]
#[cfg_attr(docsrs, doc(cfg(feature = "dts")))]
pub mod dts;

/// How much each delay grows over the one before, before the cap and jitter apply.
pub const GROWTH: f64 = 1.5;

/// Beyond this many delays the growth factor is not raised further; the cap has long been reached
/// by then (1.5^64 is about 2·10^11), and it keeps the arithmetic finite.
const MAX_EXPONENT: u32 = 64;

/// When to poll: exponential backoff with "equal jitter", capped, and never faster than a floor.
///
/// The delay after the `n`th poll (counting from 0) has the *ceiling*
/// `min(max, initial × 1.5ⁿ)`; the delay itself is drawn uniformly from the upper half of it,
/// `[ceiling / 2, ceiling]` ("equal jitter": polls of many waiters spread out, yet every delay
/// is at least half the planned one, unlike full jitter which may draw a delay close to zero).
/// Finally no delay is shorter than the [floor](Self::floor), which wins over the cap: a floor
/// derived from the action's rate limit ([`with_rate_limit`](Self::with_rate_limit)) guarantees
/// the waiter alone never exceeds that limit.
///
/// The schedule only computes delays; a [`Backoff`] walks through them with its own random source.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PollSchedule {
    initial: Duration,
    max: Duration,
    floor: Duration,
}

impl PollSchedule {
    /// A schedule whose first delay is at most `initial` and whose delays never exceed `max`
    /// (unless the floor is higher). There is no floor until one is set.
    pub const fn new(initial: Duration, max: Duration) -> Self {
        Self {
            initial,
            max,
            floor: Duration::ZERO,
        }
    }

    /// Sets the floor to one request's share of a rate limit given in requests per second, as in
    /// [`ActionInfo::rate_limit`](crate::runtime::ActionInfo::rate_limit): 50 ms for 20/s. No limit
    /// (`None` or `Some(0)`) means no floor.
    pub fn with_rate_limit(self, per_second: Option<u32>) -> Self {
        self.with_floor(rate_limit_floor(per_second))
    }

    /// Sets the shortest delay between two polls.
    pub const fn with_floor(mut self, floor: Duration) -> Self {
        self.floor = floor;
        self
    }

    /// The ceiling of the first delay.
    pub const fn initial(&self) -> Duration {
        self.initial
    }

    /// The cap on every delay (the floor wins when it is higher).
    pub const fn max(&self) -> Duration {
        self.max
    }

    /// The shortest delay between two polls.
    pub const fn floor(&self) -> Duration {
        self.floor
    }

    /// The planned delay after the `n`th poll (from 0), before jitter:
    /// `min(max, initial × 1.5ⁿ)`, raised to the floor.
    pub fn ceiling(&self, n: u32) -> Duration {
        let grown = self.initial.as_secs_f64() * GROWTH.powi(exponent(n));
        let capped = grown.min(self.max.as_secs_f64());
        // `capped` is finite and between 0 and `max`, so the conversion succeeds; `max` is the
        // answer should it ever not.
        let ceiling = Duration::try_from_secs_f64(capped).unwrap_or(self.max);
        ceiling.max(self.floor)
    }

    /// The shortest and the longest delay jitter can choose after the `n`th poll.
    pub fn bounds(&self, n: u32) -> (Duration, Duration) {
        let ceiling = self.ceiling(n);
        ((ceiling / 2).max(self.floor), ceiling)
    }

    /// The delay after the `n`th poll for a uniform random `unit` in `[0, 1)`: `unit` 0 gives the
    /// lower bound, values near 1 the ceiling.
    fn jittered(&self, n: u32, unit: f64) -> Duration {
        let ceiling = self.ceiling(n);
        let half = ceiling / 2;
        // `unit` is clamped so that the product stays within `ceiling - half`.
        let spread = (ceiling - half).mul_f64(unit.clamp(0.0, 1.0));
        (half + spread).max(self.floor)
    }
}

fn exponent(n: u32) -> i32 {
    // At most MAX_EXPONENT, which fits an i32.
    i32::try_from(n.min(MAX_EXPONENT)).unwrap_or(i32::MAX)
}

/// One request's share of a rate limit in requests per second: `1 s / per_second`, or zero when
/// there is no limit (`None` or `Some(0)`).
pub fn rate_limit_floor(per_second: Option<u32>) -> Duration {
    match per_second {
        Some(limit) if limit > 0 => Duration::from_secs(1) / limit,
        _ => Duration::ZERO,
    }
}

/// What a waiter does after a poll, given the time left before its deadline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NextPoll {
    /// Sleep this long, then poll again; the poll starts before the deadline.
    In(Duration),
    /// The next poll would not start before the deadline: sleep this long (the time left), then
    /// give up. Never longer than the time left, so a waiter does not oversleep its deadline.
    GiveUpIn(Duration),
}

/// Walks through a [`PollSchedule`]: each call gives the next jittered delay.
#[derive(Debug, Clone)]
pub struct Backoff {
    schedule: PollSchedule,
    rng: fastrand::Rng,
    delays: u32,
}

impl Backoff {
    /// Starts at the first delay of `schedule`, with a randomly seeded jitter.
    pub fn new(schedule: PollSchedule) -> Self {
        Self::from_rng(schedule, fastrand::Rng::new())
    }

    /// Starts at the first delay of `schedule`, with jitter from a fixed seed: the same seed gives
    /// the same delays, for tests.
    pub fn with_seed(schedule: PollSchedule, seed: u64) -> Self {
        Self::from_rng(schedule, fastrand::Rng::with_seed(seed))
    }

    fn from_rng(schedule: PollSchedule, rng: fastrand::Rng) -> Self {
        Self {
            schedule,
            rng,
            delays: 0,
        }
    }

    /// The schedule followed.
    pub fn schedule(&self) -> &PollSchedule {
        &self.schedule
    }

    /// How many delays have been handed out.
    pub fn delays(&self) -> u32 {
        self.delays
    }

    /// The next delay, within [`PollSchedule::bounds`] of its position.
    pub fn next_delay(&mut self) -> Duration {
        let delay = self.schedule.jittered(self.delays, self.rng.f64());
        self.delays = self.delays.saturating_add(1);
        delay
    }

    /// The next delay, weighed against the time `remaining` before the deadline: a poll only
    /// when it would start before the deadline, otherwise the remaining time to sleep before
    /// giving up.
    pub fn next_poll(&mut self, remaining: Duration) -> NextPoll {
        let delay = self.next_delay();
        if delay < remaining {
            NextPoll::In(delay)
        } else {
            NextPoll::GiveUpIn(remaining)
        }
    }
}

/// Whether polling again may succeed where this error failed: throttling, a passing outage,
/// or a network problem. Waiters retry such errors until their deadline and return the others
/// at once.
///
/// These are the errors the runtime retries for a request that is safe to repeat (see
/// [`retry::classify`](crate::retry::classify)), which every poll is: by the time a waiter sees
/// one, the call's own retries have run out, and the waiter keeps going on its own schedule.
///
/// Transient:
///
/// - service errors whose code is in the `RequestLimitExceeded`, `InternalError` or
///   `ServiceUnavailable` family (the code itself or `<family>.<detail>`; see
///   [`is_transient_code`]);
/// - every [`Transport`](SdkError::Transport) error (timeouts, refused or broken connections);
/// - answers that are not API responses with HTTP 429, 502, 503 or 504 (a gateway or proxy
///   reporting overload or an unreachable backend).
///
/// Final: every other error: a request that could not be built, missing credentials, a missing
/// resource, `AuthFailure.*`, bad parameters, other unusable answers.
pub fn is_transient<E>(err: &SdkError<E>) -> bool {
    crate::retry::classify(err, true).is_retry()
}

/// Whether an error code names a temporary condition: its family (the part before the first
/// `.`) is `RequestLimitExceeded`, `InternalError` or `ServiceUnavailable`. Families rather than
/// a list of codes, so that an action's own sub-codes (`InternalError.DatabaseError`) and codes
/// newer than this SDK are covered too.
pub fn is_transient_code(code: &str) -> bool {
    matches!(
        crate::retry::code_family(code),
        "RequestLimitExceeded" | "InternalError" | "ServiceUnavailable"
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::{InvalidResponse, InvalidResponseKind, ServiceError};

    const MS: Duration = Duration::from_millis(1);

    fn ms(n: u64) -> Duration {
        Duration::from_millis(n)
    }

    #[test]
    fn ceiling_grows_by_half_each_time() {
        let schedule = PollSchedule::new(ms(100), Duration::from_secs(60));
        assert_eq!(schedule.ceiling(0), ms(100));
        assert_eq!(schedule.ceiling(1), ms(150));
        assert_eq!(schedule.ceiling(2), ms(225));
        // 100 ms × 1.5³ = 337.5 ms, up to float rounding.
        let third = schedule.ceiling(3);
        assert!(third.abs_diff(Duration::from_micros(337_500)) < Duration::from_micros(1));
        for n in 0..30 {
            assert!(schedule.ceiling(n + 1) >= schedule.ceiling(n));
        }
    }

    #[test]
    fn cap_bounds_every_delay() {
        let schedule = PollSchedule::new(ms(100), ms(400));
        // 100 ms × 1.5⁴ = 506 ms is the first ceiling over the cap.
        assert!(schedule.ceiling(3) < ms(400));
        assert_eq!(schedule.ceiling(4), ms(400));
        assert_eq!(schedule.ceiling(100), ms(400));
        assert_eq!(schedule.ceiling(u32::MAX), ms(400));
        let mut backoff = Backoff::with_seed(schedule, 7);
        for _ in 0..200 {
            assert!(backoff.next_delay() <= ms(400));
        }
        // A cap below the first interval bounds the first delay too.
        let inverted = PollSchedule::new(Duration::from_secs(10), ms(300));
        assert_eq!(inverted.ceiling(0), ms(300));
    }

    #[test]
    fn floor_comes_from_the_rate_limit_and_wins_over_the_cap() {
        assert_eq!(rate_limit_floor(Some(20)), ms(50));
        assert_eq!(rate_limit_floor(Some(1)), Duration::from_secs(1));
        assert_eq!(rate_limit_floor(Some(0)), Duration::ZERO);
        assert_eq!(rate_limit_floor(None), Duration::ZERO);

        let schedule = PollSchedule::new(MS, ms(2)).with_rate_limit(Some(20));
        assert_eq!(schedule.floor(), ms(50));
        assert_eq!(schedule.ceiling(0), ms(50));
        assert_eq!(schedule.bounds(5), (ms(50), ms(50)));
        let mut backoff = Backoff::with_seed(schedule, 1);
        for _ in 0..100 {
            assert_eq!(backoff.next_delay(), ms(50));
        }

        // Above the floor, the lower half of the jitter is still cut by it.
        let schedule = PollSchedule::new(ms(80), ms(80)).with_rate_limit(Some(20));
        assert_eq!(schedule.bounds(0), (ms(50), ms(80)));
        let mut backoff = Backoff::with_seed(schedule, 3);
        for _ in 0..200 {
            let delay = backoff.next_delay();
            assert!((ms(50)..=ms(80)).contains(&delay), "{delay:?}");
        }
    }

    #[test]
    fn jitter_stays_in_the_upper_half_and_varies() {
        let schedule = PollSchedule::new(ms(1000), Duration::from_secs(8));
        let mut backoff = Backoff::with_seed(schedule, 42);
        let mut first_delays = Vec::new();
        for n in 0..12 {
            let delay = backoff.next_delay();
            let (low, high) = schedule.bounds(n);
            assert_eq!(low, schedule.ceiling(n) / 2);
            assert!(low <= delay && delay <= high, "delay {n}: {delay:?}");
        }
        for seed in 0..50 {
            let mut backoff = Backoff::with_seed(schedule, seed);
            first_delays.push(backoff.next_delay());
        }
        first_delays.sort();
        first_delays.dedup();
        assert!(
            first_delays.len() > 40,
            "jitter hardly varies: {first_delays:?}"
        );
        // The extremes of the random unit map onto the bounds.
        assert_eq!(schedule.jittered(0, 0.0), ms(500));
        assert_eq!(schedule.jittered(0, 1.0), ms(1000));
        assert_eq!(schedule.jittered(0, 0.5), ms(750));
    }

    #[test]
    fn the_same_seed_gives_the_same_delays() {
        let schedule = PollSchedule::new(ms(100), Duration::from_secs(5));
        let mut a = Backoff::with_seed(schedule, 99);
        let mut b = Backoff::with_seed(schedule, 99);
        let left: Vec<_> = (0..20).map(|_| a.next_delay()).collect();
        let right: Vec<_> = (0..20).map(|_| b.next_delay()).collect();
        assert_eq!(left, right);
        assert_eq!(a.delays(), 20);
    }

    #[test]
    fn a_zero_interval_stays_at_the_floor() {
        let schedule = PollSchedule::new(Duration::ZERO, Duration::ZERO);
        assert_eq!(schedule.ceiling(u32::MAX), Duration::ZERO);
        let schedule = schedule.with_floor(ms(5));
        let mut backoff = Backoff::with_seed(schedule, 0);
        assert_eq!(backoff.next_delay(), ms(5));
    }

    #[test]
    fn the_deadline_clamps_the_last_sleep() {
        let schedule = PollSchedule::new(ms(100), ms(100)).with_rate_limit(Some(20));
        // Every delay is between 50 and 100 ms.
        let mut backoff = Backoff::with_seed(schedule, 5);
        match backoff.next_poll(Duration::from_secs(1)) {
            NextPoll::In(delay) => assert!((ms(50)..=ms(100)).contains(&delay)),
            other => panic!("expected a poll, got {other:?}"),
        }
        assert_eq!(backoff.next_poll(ms(30)), NextPoll::GiveUpIn(ms(30)));
        assert_eq!(
            backoff.next_poll(Duration::ZERO),
            NextPoll::GiveUpIn(Duration::ZERO)
        );
        // A poll exactly at the deadline does not happen.
        let mut exact = Backoff::with_seed(PollSchedule::new(ms(10), ms(10)).with_floor(ms(10)), 0);
        assert_eq!(exact.next_poll(ms(10)), NextPoll::GiveUpIn(ms(10)));
        // Whatever the draw, the sleep never passes the deadline.
        let mut backoff = Backoff::with_seed(schedule, 11);
        for left in 0..150 {
            let remaining = ms(left);
            match backoff.next_poll(remaining) {
                NextPoll::In(delay) => assert!(delay < remaining),
                NextPoll::GiveUpIn(sleep) => assert_eq!(sleep, remaining),
            }
        }
    }

    fn service(code: &str) -> SdkError<()> {
        SdkError::Service(ServiceError::new(
            (),
            code.to_owned(),
            "message".to_owned(),
            "req".to_owned(),
            "DescribeMigrateCheckJob".into(),
            200,
        ))
    }

    fn unusable(status: u16, kind: InvalidResponseKind) -> SdkError<()> {
        SdkError::InvalidResponse(InvalidResponse::new(
            "DescribeMigrateCheckJob".into(),
            status,
            kind,
            None,
            b"<html>",
        ))
    }

    #[test]
    fn transient_errors() {
        for code in [
            "RequestLimitExceeded",
            "RequestLimitExceeded.UinLimitExceeded",
            "RequestLimitExceeded.IPLimitExceeded",
            "RequestLimitExceeded.SomethingNew",
            "InternalError",
            "InternalError.DatabaseError",
            "ServiceUnavailable",
        ] {
            assert!(is_transient(&service(code)), "{code}");
        }
        for status in [429, 502, 503, 504] {
            assert!(is_transient(&unusable(
                status,
                InvalidResponseKind::HttpStatus
            )));
        }
    }

    #[test]
    fn final_errors() {
        for code in [
            "ResourceNotFound.JobNotExist",
            "AuthFailure.SignatureFailure",
            "AuthFailure.SecretIdNotFound",
            "InvalidParameter",
            "LimitExceeded",
            "FailedOperation.NotAllowOperation",
            "ResourceUnavailable",
            "InternalErrorish",
            "",
        ] {
            assert!(!is_transient(&service(code)), "{code:?}");
        }
        assert!(!is_transient(&unusable(
            500,
            InvalidResponseKind::HttpStatus
        )));
        assert!(!is_transient(&unusable(
            403,
            InvalidResponseKind::HttpStatus
        )));
        assert!(!is_transient(&unusable(200, InvalidResponseKind::NotJson)));
        assert!(!is_transient(&unusable(
            200,
            InvalidResponseKind::Shape("Response.Status".to_owned())
        )));
        assert!(!is_transient::<()>(&SdkError::Build(
            crate::error::BuildError::missing("DescribeMigrateCheckJobRequest", "JobId")
        )));
    }
}
