//! What a service's behaviour is given, and what it answers.
//!
//! The server checks everything the API gateway checks (signature, version, action, parameter
//! types, rate limits) before a call reaches a [`Backend`], so a backend sees only well-formed
//! parameters of an action its spec defines, and answers with the members of the action's
//! output. The server then checks that answer against the spec as well.

use std::time::Instant;

use serde_json::{Map, Value};

/// One call that passed the gateway's checks.
#[derive(Debug, Clone)]
pub struct Call<'a> {
    /// The action's name, as in `X-TC-Action`.
    pub action: &'a str,
    /// The request's parameters, already checked against the action's input in the spec:
    /// every required member is present, every member is known and has the right JSON type.
    pub params: &'a Map<String, Value>,
    /// `X-TC-Region`.
    pub region: &'a str,
    /// The account the caller's secret id belongs to. Resources are kept apart per account and
    /// region, as in the cloud.
    pub account: &'a str,
    /// A monotonic reading of the clock, for timing state changes.
    pub now: Instant,
    /// Seconds since the Unix epoch on the emulator's clock (real time plus
    /// [`Builder::clock_offset`](crate::Builder::clock_offset)), for the dates in answers.
    pub unix_time: u64,
}

/// A service error answer: `{"Response": {"Error": {"Code", "Message"}, "RequestId"}}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    /// The error code, such as `ResourceNotFound.JobNotExist`.
    pub code: String,
    /// What went wrong, for a person.
    pub message: String,
}

impl ApiError {
    /// An error with the given code and message.
    pub fn new(code: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            code: code.into(),
            message: message.into(),
        }
    }
}

/// The members of a successful answer, without `RequestId` (the server adds it).
pub type Answer = Map<String, Value>;

/// The behaviour of one service version.
pub trait Backend: Send + Sync + 'static {
    /// Carries out one call. Returning `None` leaves the answer to the server, which makes one
    /// from the spec (the action's first example, or a minimal answer of the right shape).
    fn call(&self, call: &Call<'_>) -> Option<Result<Answer, ApiError>>;
}

/// A date and time as the cloud writes it, `YYYY-MM-DD hh:mm:ss`, in China Standard Time
/// (UTC+8), where the API's answers are dated.
pub fn cloud_datetime(unix_time: u64) -> String {
    let local = unix_time + 8 * 3600;
    let date = tencentcloud_sdk::signer::utc_date(local);
    let seconds = local % 86_400;
    format!(
        "{date} {:02}:{:02}:{:02}",
        seconds / 3600,
        seconds / 60 % 60,
        seconds % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn datetimes_are_china_standard_time() {
        assert_eq!(cloud_datetime(0), "1970-01-01 08:00:00");
        // 2025-11-27 16:00:00 UTC is already the 28th in Beijing.
        assert_eq!(cloud_datetime(1_764_259_200), "2025-11-28 00:00:00");
        assert_eq!(cloud_datetime(1_764_259_199), "2025-11-27 23:59:59");
    }
}
