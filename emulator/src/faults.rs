//! Failures injected on purpose, so that retry and timeout logic can be tested against the
//! kinds of trouble a real endpoint gives.

use std::fmt;
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Duration;

/// One kind of failure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Fault {
    /// HTTP 502 with an HTML body, as a load balancer sends when the service behind it fails.
    BadGateway,
    /// HTTP 503 with an HTML body.
    ServiceUnavailable,
    /// The API's `InternalError`; the request was not carried out.
    InternalError,
    /// The API's `RequestLimitExceeded`, whatever the real rate.
    RequestLimitExceeded,
    /// The connection closes without an answer; the request was not carried out.
    DropConnection,
    /// The request is carried out, then the connection closes without an answer, as when a
    /// network fails on the way back. Retrying a create after this makes a second resource.
    DropAfterProcessing,
    /// The answer comes after this delay, otherwise unchanged.
    Delay(Duration),
}

impl fmt::Display for Fault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::BadGateway => f.write_str("502"),
            Self::ServiceUnavailable => f.write_str("503"),
            Self::InternalError => f.write_str("internal-error"),
            Self::RequestLimitExceeded => f.write_str("limit"),
            Self::DropConnection => f.write_str("drop"),
            Self::DropAfterProcessing => f.write_str("drop-after"),
            Self::Delay(delay) => write!(f, "delay:{}ms", delay.as_millis()),
        }
    }
}

/// Which faults to inject, and how often.
///
/// Each request draws once: with the probabilities given, it meets one of the faults, otherwise
/// it is served normally. With a seed the sequence of draws repeats from run to run.
///
/// ```
/// use std::time::Duration;
/// use tencentcloud_emulator::{Fault, Faults};
///
/// let faults = Faults::none()
///     .with(Fault::BadGateway, 0.05)
///     .with(Fault::Delay(Duration::from_millis(300)), 0.10)
///     .seed(7);
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Faults {
    rules: Vec<(Fault, f64)>,
    seed: Option<u64>,
    actions: Vec<String>,
}

impl Faults {
    /// No faults.
    pub fn none() -> Self {
        Self::default()
    }

    /// Adds a fault met by `fraction` of requests (between 0 and 1).
    pub fn with(mut self, fault: Fault, fraction: f64) -> Self {
        self.rules.push((fault, fraction));
        self
    }

    /// Makes the draws repeatable.
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = Some(seed);
        self
    }

    /// Limits the faults to requests for these actions (by default every request may meet one).
    pub fn only_actions<I, S>(mut self, actions: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.actions = actions.into_iter().map(Into::into).collect();
        self
    }

    /// Whether no fault can happen.
    pub fn is_none(&self) -> bool {
        self.rules.iter().all(|&(_, fraction)| fraction == 0.0)
    }

    /// Reads one `--fault` option: `KIND=FRACTION`, where KIND is `502`, `503`,
    /// `internal-error`, `limit`, `drop`, `drop-after` or `delay:<N>ms`.
    pub fn parse_rule(text: &str) -> Result<(Fault, f64), String> {
        let (kind, fraction) = text
            .split_once('=')
            .ok_or_else(|| format!("`{text}`: a fault is KIND=FRACTION, such as 502=0.1"))?;
        let fraction: f64 = fraction
            .parse()
            .map_err(|_| format!("`{text}`: `{fraction}` is not a number"))?;
        let fault = match kind {
            "502" => Fault::BadGateway,
            "503" => Fault::ServiceUnavailable,
            "internal-error" => Fault::InternalError,
            "limit" => Fault::RequestLimitExceeded,
            "drop" => Fault::DropConnection,
            "drop-after" => Fault::DropAfterProcessing,
            _ => {
                let millis = kind
                    .strip_prefix("delay:")
                    .and_then(|rest| rest.strip_suffix("ms"))
                    .and_then(|millis| millis.parse().ok())
                    .ok_or_else(|| {
                        format!(
                            "`{kind}` is not a fault: use 502, 503, internal-error, limit, drop, \
                             drop-after or delay:<N>ms"
                        )
                    })?;
                Fault::Delay(Duration::from_millis(millis))
            }
        };
        Ok((fault, fraction))
    }

    /// Checks that the fractions are probabilities that add up to at most 1.
    pub(crate) fn validate(&self) -> Result<(), String> {
        let mut total = 0.0;
        for &(fault, fraction) in &self.rules {
            if !(0.0..=1.0).contains(&fraction) {
                return Err(format!(
                    "fault {fault}: the fraction {fraction} is not between 0 and 1"
                ));
            }
            total += fraction;
        }
        if total > 1.0 + 1e-9 {
            return Err(format!(
                "the fault fractions add up to {total}, more than 1"
            ));
        }
        Ok(())
    }
}

/// How many requests met each fault so far; see
/// [`Emulator::faults_injected`](crate::Emulator::faults_injected).
///
/// A request counts once it has drawn a fault, which the emulator then applies without
/// exception: a delay counts as soon as it begins, even if the client gives up before it ends.
/// Requests for actions left out by [`Faults::only_actions`] never draw, so never count.
///
/// Every fault the [`Faults`] were given is listed, in the order it was added, even while its
/// count is zero. `Display` writes each with its count, named as `--fault` names it:
/// `502: 12, 503: 9, delay:300ms: 4` (or `none` when no fault was given).
///
/// ```
/// use std::time::Duration;
/// use tencentcloud_emulator::{Fault, FaultCounts};
///
/// let counts = FaultCounts::default();
/// assert_eq!(counts.total(), 0);
/// assert_eq!(counts.get(Fault::Delay(Duration::from_millis(300))), 0);
/// assert_eq!(counts.to_string(), "none");
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FaultCounts {
    /// Each distinct fault given, in the order it was first added, and its count.
    counts: Vec<(Fault, u64)>,
}

impl FaultCounts {
    /// Zero for each distinct fault of `faults`.
    fn listing(faults: &Faults) -> Self {
        let mut counts: Vec<(Fault, u64)> = Vec::new();
        for &(fault, _) in &faults.rules {
            if !counts.iter().any(|&(listed, _)| listed == fault) {
                counts.push((fault, 0));
            }
        }
        Self { counts }
    }

    /// Counts one more request that met `fault`.
    fn record(&mut self, fault: Fault) {
        match self.counts.iter_mut().find(|(listed, _)| *listed == fault) {
            Some((_, count)) => *count += 1,
            None => self.counts.push((fault, 1)),
        }
    }

    /// How many requests met any fault.
    pub fn total(&self) -> u64 {
        self.counts.iter().map(|&(_, count)| count).sum()
    }

    /// How many requests met exactly `fault` (for [`Fault::Delay`], a delay of exactly that
    /// length; see [`FaultCounts::delays`] for all of them).
    pub fn get(&self, fault: Fault) -> u64 {
        self.counts
            .iter()
            .find(|&&(listed, _)| listed == fault)
            .map_or(0, |&(_, count)| count)
    }

    /// How many requests were answered HTTP 502 ([`Fault::BadGateway`]).
    pub fn bad_gateway(&self) -> u64 {
        self.get(Fault::BadGateway)
    }

    /// How many requests were answered HTTP 503 ([`Fault::ServiceUnavailable`]).
    pub fn service_unavailable(&self) -> u64 {
        self.get(Fault::ServiceUnavailable)
    }

    /// How many requests were answered `InternalError` ([`Fault::InternalError`]).
    pub fn internal_error(&self) -> u64 {
        self.get(Fault::InternalError)
    }

    /// How many requests were answered `RequestLimitExceeded` on purpose
    /// ([`Fault::RequestLimitExceeded`]; refusals by the real rate limits are not faults).
    pub fn request_limit_exceeded(&self) -> u64 {
        self.get(Fault::RequestLimitExceeded)
    }

    /// How many connections were closed before the request was carried out
    /// ([`Fault::DropConnection`]).
    pub fn drop_connection(&self) -> u64 {
        self.get(Fault::DropConnection)
    }

    /// How many connections were closed after the request was handed to the service
    /// ([`Fault::DropAfterProcessing`]).
    pub fn drop_after_processing(&self) -> u64 {
        self.get(Fault::DropAfterProcessing)
    }

    /// How many requests were delayed, whatever the length of the delay ([`Fault::Delay`]).
    pub fn delays(&self) -> u64 {
        self.counts
            .iter()
            .filter(|(fault, _)| matches!(fault, Fault::Delay(_)))
            .map(|&(_, count)| count)
            .sum()
    }

    /// Each fault given and how many requests met it, in the order the faults were added.
    pub fn iter(&self) -> impl Iterator<Item = (Fault, u64)> + '_ {
        self.counts.iter().copied()
    }
}

impl fmt::Display for FaultCounts {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.counts.is_empty() {
            return f.write_str("none");
        }
        for (index, (fault, count)) in self.counts.iter().enumerate() {
            if index > 0 {
                f.write_str(", ")?;
            }
            write!(f, "{fault}: {count}")?;
        }
        Ok(())
    }
}

/// Draws the fault, if any, of each request, and counts the faults drawn.
#[derive(Debug)]
pub(crate) struct FaultPicker {
    faults: Faults,
    draws: Mutex<Draws>,
}

/// What changes with each draw.
#[derive(Debug)]
struct Draws {
    rng: fastrand::Rng,
    counts: FaultCounts,
}

impl FaultPicker {
    pub(crate) fn new(faults: Faults) -> Self {
        let rng = faults
            .seed
            .map_or_else(fastrand::Rng::new, fastrand::Rng::with_seed);
        let counts = FaultCounts::listing(&faults);
        Self {
            faults,
            draws: Mutex::new(Draws { rng, counts }),
        }
    }

    /// The fault a request for `action` meets, if any; it is counted as met.
    pub(crate) fn pick(&self, action: Option<&str>) -> Option<Fault> {
        if self.faults.is_none() {
            return None;
        }
        let actions = &self.faults.actions;
        if !actions.is_empty() && !action.is_some_and(|action| actions.iter().any(|a| a == action))
        {
            return None;
        }
        let mut draws = self.lock();
        let draw = draws.rng.f64();
        let mut bound = 0.0;
        for &(fault, fraction) in &self.faults.rules {
            bound += fraction;
            if draw < bound {
                draws.counts.record(fault);
                return Some(fault);
            }
        }
        None
    }

    /// How many requests met each fault so far.
    pub(crate) fn counts(&self) -> FaultCounts {
        self.lock().counts.clone()
    }

    /// The draws, even if a thread panicked while holding the lock (nothing in a draw can
    /// leave them half-changed).
    fn lock(&self) -> MutexGuard<'_, Draws> {
        self.draws.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options_read_every_kind() {
        assert_eq!(
            Faults::parse_rule("502=0.25"),
            Ok((Fault::BadGateway, 0.25))
        );
        assert_eq!(
            Faults::parse_rule("delay:150ms=1"),
            Ok((Fault::Delay(Duration::from_millis(150)), 1.0))
        );
        for kind in ["503", "internal-error", "limit", "drop", "drop-after"] {
            let (fault, _) = Faults::parse_rule(&format!("{kind}=0.1")).expect(kind);
            assert_eq!(fault.to_string(), kind);
        }
        assert!(Faults::parse_rule("504=0.1").is_err());
        assert!(Faults::parse_rule("502").is_err());
        assert!(Faults::parse_rule("502=lots").is_err());
        assert!(Faults::parse_rule("delay:1s=0.1").is_err());
    }

    #[test]
    fn fractions_must_be_probabilities() {
        assert!(
            Faults::none()
                .with(Fault::BadGateway, 0.6)
                .validate()
                .is_ok()
        );
        assert!(
            Faults::none()
                .with(Fault::BadGateway, 0.6)
                .with(Fault::DropConnection, 0.6)
                .validate()
                .is_err()
        );
        assert!(
            Faults::none()
                .with(Fault::BadGateway, -0.1)
                .validate()
                .is_err()
        );
        assert!(
            Faults::none()
                .with(Fault::BadGateway, f64::NAN)
                .validate()
                .is_err()
        );
    }

    #[test]
    fn draws_follow_the_fractions_and_repeat_with_a_seed() {
        let faults = Faults::none()
            .with(Fault::BadGateway, 0.2)
            .with(Fault::DropConnection, 0.3)
            .seed(11);
        let draws = |picker: &FaultPicker| -> Vec<Option<Fault>> {
            (0..10_000).map(|_| picker.pick(Some("X"))).collect()
        };
        let picker = FaultPicker::new(faults.clone());
        let first = draws(&picker);
        assert_eq!(first, draws(&FaultPicker::new(faults)));
        let count = |fault| first.iter().filter(|&&f| f == Some(fault)).count() as u64;
        // 10 000 draws: the counts are within a few standard deviations of 2 000 and 3 000.
        assert!((1_800..2_200).contains(&count(Fault::BadGateway)));
        assert!((2_750..3_250).contains(&count(Fault::DropConnection)));
        // The picker counted exactly what it handed out.
        let counts = picker.counts();
        assert_eq!(counts.bad_gateway(), count(Fault::BadGateway));
        assert_eq!(counts.drop_connection(), count(Fault::DropConnection));
        assert_eq!(counts.total(), first.iter().flatten().count() as u64);
    }

    #[test]
    fn counts_list_every_fault_given_once_in_order() {
        let short = Fault::Delay(Duration::from_millis(100));
        let long = Fault::Delay(Duration::from_millis(300));
        let picker = FaultPicker::new(
            Faults::none()
                .with(Fault::ServiceUnavailable, 0.0)
                .with(long, 0.5)
                .with(Fault::BadGateway, 0.0)
                .with(short, 0.5)
                .with(long, 0.0),
        );
        assert_eq!(
            picker.counts().to_string(),
            "503: 0, delay:300ms: 0, 502: 0, delay:100ms: 0"
        );
        for _ in 0..50 {
            assert!(matches!(picker.pick(None), Some(Fault::Delay(_))));
        }
        let counts = picker.counts();
        assert_eq!(counts.delays(), 50);
        assert_eq!(counts.get(short) + counts.get(long), 50);
        assert_eq!(counts.total(), 50);
        assert_eq!(counts.service_unavailable(), 0);
        assert_eq!(counts.get(Fault::DropAfterProcessing), 0);
        let listed: Vec<Fault> = counts.iter().map(|(fault, _)| fault).collect();
        assert_eq!(
            listed,
            [Fault::ServiceUnavailable, long, Fault::BadGateway, short]
        );
        assert_eq!(
            counts.to_string(),
            format!(
                "503: 0, delay:300ms: {}, 502: 0, delay:100ms: {}",
                counts.get(long),
                counts.get(short)
            )
        );
        assert_eq!(
            FaultPicker::new(Faults::none()).counts().to_string(),
            "none"
        );
    }

    #[test]
    fn faults_can_be_limited_to_actions() {
        let picker = FaultPicker::new(
            Faults::none()
                .with(Fault::InternalError, 1.0)
                .only_actions(["StartMigrateJob"]),
        );
        assert_eq!(
            picker.pick(Some("StartMigrateJob")),
            Some(Fault::InternalError)
        );
        assert_eq!(picker.pick(Some("DescribeMigrateJobs")), None);
        assert_eq!(picker.pick(None), None);
    }
}
