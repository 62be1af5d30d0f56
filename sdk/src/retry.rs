//! Retries: which failures are tried again, and how long to wait in between.
//!
//! Every call is retried by default, up to [`RetryConfig::DEFAULT_MAX_ATTEMPTS`] attempts in all,
//! with exponential backoff and *full jitter*: the wait before retry `n` (counting from 1) is drawn
//! uniformly from `[0, min(max_backoff, initial_backoff × 2ⁿ⁻¹)]`, so that many clients that fail
//! together do not come back together. Each attempt is signed again with a fresh timestamp.
//!
//! Whether a failure is retried depends on what it proves about the request ([`classify`]):
//!
//! | failure | retried |
//! |---|---|
//! | the connection could not be made (refused, DNS, TLS, connect timeout) | always: nothing was sent |
//! | `RequestLimitExceeded*`, HTTP 429 | always: the request was turned away before it ran |
//! | HTTP 503, `ServiceUnavailable*` | always: the service declined to take the request |
//! | the connection broke or timed out after the request was sent | only if safe to repeat |
//! | HTTP 502 or 504 (a gateway lost the service's answer) | only if safe to repeat |
//! | `InternalError*` | only if safe to repeat |
//! | anything else (bad parameters, missing resources, `AuthFailure.*`, …) | never |
//!
//! An action is *safe to repeat* when it only reads (its name starts with `Describe`, `Get`,
//! `List` or `Inquire`), when its spec marks it idempotent, or when the request carries a client
//! token (see [`Request::safe_to_repeat`](crate::runtime::Request::safe_to_repeat)). A create that
//! may have reached the service is therefore never sent twice: a second attempt could make a
//! second resource.
//!
//! `AuthFailure.SignatureExpire` is not a retry in this sense: it means the local clock is off, so
//! the runtime takes the service's time from the answer's `Date` header, keeps the offset for
//! later requests, and sends the request once more, even when retries are disabled.

use std::time::Duration;

use crate::error::{InvalidResponseKind, SdkError};

/// How often and how patiently failed calls are tried again. Part of a [`Config`](crate::Config).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryConfig {
    max_attempts: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
}

impl RetryConfig {
    /// Attempts per call by default, the first included.
    pub const DEFAULT_MAX_ATTEMPTS: u32 = 4;
    /// The ceiling of the first wait by default.
    pub const DEFAULT_INITIAL_BACKOFF: Duration = Duration::from_millis(200);
    /// No wait is longer than this by default.
    pub const DEFAULT_MAX_BACKOFF: Duration = Duration::from_secs(10);

    /// The default: 4 attempts, waits drawn below 200 ms, 400 ms, 800 ms, … up to 10 s.
    pub fn standard() -> Self {
        Self {
            max_attempts: Self::DEFAULT_MAX_ATTEMPTS,
            initial_backoff: Self::DEFAULT_INITIAL_BACKOFF,
            max_backoff: Self::DEFAULT_MAX_BACKOFF,
        }
    }

    /// No retries: every call makes one attempt (a clock-skew correction still gets its one resend).
    pub fn disabled() -> Self {
        Self {
            max_attempts: 1,
            ..Self::standard()
        }
    }

    /// Sets the number of attempts per call, the first included; 1 disables retries. Must be at
    /// least 1, which [`ConfigBuilder::build`](crate::ConfigBuilder::build) checks.
    #[must_use]
    pub fn with_max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts;
        self
    }

    /// Sets the ceiling of the first wait; each later ceiling doubles, up to the maximum.
    #[must_use]
    pub fn with_initial_backoff(mut self, backoff: Duration) -> Self {
        self.initial_backoff = backoff;
        self
    }

    /// Sets the longest wait between two attempts.
    #[must_use]
    pub fn with_max_backoff(mut self, backoff: Duration) -> Self {
        self.max_backoff = backoff;
        self
    }

    /// Attempts per call, the first included.
    pub fn max_attempts(&self) -> u32 {
        self.max_attempts
    }

    /// The ceiling of the first wait.
    pub fn initial_backoff(&self) -> Duration {
        self.initial_backoff
    }

    /// The longest wait between two attempts.
    pub fn max_backoff(&self) -> Duration {
        self.max_backoff
    }

    /// The ceiling of the wait before retry `retry` (1 for the first retry):
    /// `min(max_backoff, initial_backoff × 2^(retry-1))`.
    pub fn ceiling(&self, retry: u32) -> Duration {
        let doublings = retry.saturating_sub(1).min(63);
        let factor = 1u64 << doublings;
        let nanos = self
            .initial_backoff
            .as_nanos()
            .saturating_mul(u128::from(factor));
        let max = self.max_backoff.as_nanos();
        Duration::from_nanos(u64::try_from(nanos.min(max)).unwrap_or(u64::MAX))
    }

    /// Draws the wait before retry `retry` with full jitter: uniform in `[0, ceiling(retry)]`.
    pub fn backoff(&self, retry: u32, rng: &mut fastrand::Rng) -> Duration {
        let ceiling = self.ceiling(retry);
        let nanos = u64::try_from(ceiling.as_nanos()).unwrap_or(u64::MAX);
        Duration::from_nanos(rng.u64(0..=nanos))
    }

    /// Checks the settings; the message names what is wrong.
    pub(crate) fn check(&self) -> Result<(), String> {
        if self.max_attempts == 0 {
            return Err("max_attempts must be at least 1 (1 disables retries)".to_owned());
        }
        if self.initial_backoff > self.max_backoff {
            return Err(format!(
                "initial_backoff ({:?}) is longer than max_backoff ({:?})",
                self.initial_backoff, self.max_backoff
            ));
        }
        Ok(())
    }
}

impl Default for RetryConfig {
    fn default() -> Self {
        Self::standard()
    }
}

/// What a failure says about trying again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum RetryDecision {
    /// Try again: the reason is logged with the retry.
    Retry(&'static str),
    /// The failure is temporary, but the request may have been carried out and the action is not
    /// safe to repeat, so it is not sent again.
    MayHaveRun(&'static str),
    /// Trying again would not help.
    Final,
}

impl RetryDecision {
    /// Whether the call should be tried again.
    pub fn is_retry(self) -> bool {
        matches!(self, Self::Retry(_))
    }
}

/// Decides whether a failed attempt is tried again, given whether the request is safe to repeat
/// (see the [module docs](self) for the table).
pub fn classify<E>(err: &SdkError<E>, safe_to_repeat: bool) -> RetryDecision {
    let unless_unsafe = |reason| {
        if safe_to_repeat {
            RetryDecision::Retry(reason)
        } else {
            RetryDecision::MayHaveRun(reason)
        }
    };
    match err {
        SdkError::Transport(transport) if transport.is_connect() => {
            RetryDecision::Retry("connection failed")
        }
        SdkError::Transport(transport) if transport.is_timeout() => {
            unless_unsafe("attempt timed out")
        }
        SdkError::Transport(_) => unless_unsafe("connection broke"),
        SdkError::InvalidResponse(invalid)
            if *invalid.kind() == InvalidResponseKind::HttpStatus =>
        {
            match invalid.http_status() {
                429 => RetryDecision::Retry("HTTP 429"),
                503 => RetryDecision::Retry("HTTP 503"),
                502 => unless_unsafe("HTTP 502"),
                504 => unless_unsafe("HTTP 504"),
                _ => RetryDecision::Final,
            }
        }
        SdkError::Service(service) => match code_family(service.code()) {
            "RequestLimitExceeded" => RetryDecision::Retry("throttled"),
            "ServiceUnavailable" => RetryDecision::Retry("service unavailable"),
            "InternalError" => unless_unsafe("internal error"),
            _ => RetryDecision::Final,
        },
        _ => RetryDecision::Final,
    }
}

/// The part of an error code before the first `.`: families rather than lists of codes, so that an
/// action's own sub-codes (`InternalError.DatabaseError`) and codes newer than this SDK count too.
pub(crate) fn code_family(code: &str) -> &str {
    code.split_once('.').map_or(code, |(family, _)| family)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(n: u64) -> Duration {
        Duration::from_millis(n)
    }

    #[test]
    fn ceilings_double_up_to_the_cap() {
        let retry = RetryConfig::standard()
            .with_initial_backoff(ms(100))
            .with_max_backoff(ms(1000));
        let ceilings: Vec<_> = (1..=6).map(|n| retry.ceiling(n)).collect();
        assert_eq!(
            ceilings,
            [ms(100), ms(200), ms(400), ms(800), ms(1000), ms(1000)]
        );
        assert_eq!(retry.ceiling(u32::MAX), ms(1000));
        // Retry 0 does not exist; it is treated as the first.
        assert_eq!(retry.ceiling(0), ms(100));
    }

    #[test]
    fn full_jitter_stays_within_the_ceiling_and_spreads_over_it() {
        let retry = RetryConfig::standard();
        let mut rng = fastrand::Rng::with_seed(3);
        let draws: Vec<_> = (0..2000).map(|_| retry.backoff(2, &mut rng)).collect();
        assert!(draws.iter().all(|d| *d <= ms(400)));
        // Full jitter reaches both ends of the range, unlike equal jitter.
        assert!(draws.iter().any(|d| *d < ms(40)), "no short wait drawn");
        assert!(draws.iter().any(|d| *d > ms(360)), "no long wait drawn");
        let mean = draws.iter().sum::<Duration>() / 2000;
        assert!(mean > ms(170) && mean < ms(230), "mean {mean:?}");
    }

    #[test]
    fn settings_are_checked() {
        assert!(RetryConfig::standard().check().is_ok());
        assert!(RetryConfig::disabled().check().is_ok());
        let zero = RetryConfig::standard().with_max_attempts(0).check();
        assert!(zero.unwrap_err().contains("max_attempts"));
        let inverted = RetryConfig::standard()
            .with_initial_backoff(Duration::from_secs(20))
            .check();
        assert!(inverted.unwrap_err().contains("initial_backoff"));
    }

    use crate::error::{InvalidResponse, InvalidResponseKind, ServiceError, TransportError};

    fn service(code: &str) -> SdkError<()> {
        SdkError::Service(ServiceError::new(
            (),
            code.to_owned(),
            "message".to_owned(),
            "req".to_owned(),
            "CreateMigrateJob".into(),
            200,
        ))
    }

    fn page(status: u16) -> SdkError<()> {
        SdkError::InvalidResponse(InvalidResponse::new(
            "CreateMigrateJob".into(),
            status,
            InvalidResponseKind::HttpStatus,
            None,
            b"<html>busy</html>",
        ))
    }

    /// Whether a failure is retried for an action that is safe to repeat, and for one that is not.
    fn retried(err: &SdkError<()>) -> (bool, bool) {
        (
            classify(err, true).is_retry(),
            classify(err, false).is_retry(),
        )
    }

    #[test]
    fn refusals_are_retried_for_every_action() {
        for err in [
            service("RequestLimitExceeded"),
            service("RequestLimitExceeded.UinLimitExceeded"),
            service("ServiceUnavailable"),
            page(429),
            page(503),
        ] {
            assert_eq!(retried(&err), (true, true), "{err}");
        }
    }

    #[test]
    fn what_may_have_run_is_retried_only_when_safe() {
        for err in [
            service("InternalError"),
            service("InternalError.DatabaseError"),
            page(502),
            page(504),
        ] {
            assert_eq!(retried(&err), (true, false), "{err}");
            assert!(matches!(
                classify(&err, false),
                RetryDecision::MayHaveRun(_)
            ));
        }
    }

    #[test]
    fn other_failures_are_final() {
        for err in [
            service("ResourceNotFound.JobNotExist"),
            service("AuthFailure.SignatureFailure"),
            service("AuthFailure.SignatureExpire"),
            service("InvalidParameter"),
            service("LimitExceeded.MaxUnusedJobs"),
            page(500),
            page(404),
            SdkError::Build(crate::BuildError::missing("Request", "JobId")),
        ] {
            assert_eq!(classify(&err, true), RetryDecision::Final, "{err}");
        }
    }

    #[tokio::test]
    async fn a_refused_connection_is_retried_even_for_a_create() {
        // Nothing listens on a port just released, so the connection is refused.
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}/", listener.local_addr().unwrap());
        drop(listener);
        let http = crate::config::http_client_builder()
            .unwrap()
            .build()
            .unwrap();
        let source = http.post(&url).send().await.unwrap_err();
        let err: SdkError<()> =
            SdkError::Transport(TransportError::new("CreateMigrateJob".into(), url, source));
        assert_eq!(retried(&err), (true, true), "{err}");
    }

    #[test]
    fn families() {
        assert_eq!(code_family("InternalError.DatabaseError"), "InternalError");
        assert_eq!(code_family("RequestLimitExceeded"), "RequestLimitExceeded");
        assert_eq!(code_family(""), "");
    }
}
