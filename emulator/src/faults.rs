//! Failures injected on purpose, so that retry and timeout logic can be tested against the
//! kinds of trouble a real endpoint gives.

use std::fmt;
use std::sync::Mutex;
use std::time::Duration;

/// One kind of failure.
#[derive(Debug, Clone, Copy, PartialEq)]
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

/// Draws the fault, if any, of each request.
#[derive(Debug)]
pub(crate) struct FaultPicker {
    faults: Faults,
    rng: Mutex<fastrand::Rng>,
}

impl FaultPicker {
    pub(crate) fn new(faults: Faults) -> Self {
        let rng = faults
            .seed
            .map_or_else(fastrand::Rng::new, fastrand::Rng::with_seed);
        Self {
            faults,
            rng: Mutex::new(rng),
        }
    }

    /// The fault a request for `action` meets, if any.
    pub(crate) fn pick(&self, action: Option<&str>) -> Option<Fault> {
        if self.faults.is_none() {
            return None;
        }
        let actions = &self.faults.actions;
        if !actions.is_empty() && !action.is_some_and(|action| actions.iter().any(|a| a == action))
        {
            return None;
        }
        let draw = self
            .rng
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .f64();
        let mut bound = 0.0;
        for &(fault, fraction) in &self.faults.rules {
            bound += fraction;
            if draw < bound {
                return Some(fault);
            }
        }
        None
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
        let first = draws(&FaultPicker::new(faults.clone()));
        assert_eq!(first, draws(&FaultPicker::new(faults)));
        let count = |fault| first.iter().filter(|&&f| f == Some(fault)).count();
        // 10 000 draws: the counts are within a few standard deviations of 2 000 and 3 000.
        assert!((1_800..2_200).contains(&count(Fault::BadGateway)));
        assert!((2_750..3_250).contains(&count(Fault::DropConnection)));
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
