//! Waiting for the pre-flight check of a DTS migration job (`dts` 2018-03-30).
//!
//! After `CreateMigrateCheckJob`, the check runs on its own; [`Client::wait_for_migrate_check`]
//! polls `DescribeMigrateCheckJob` until the check is over and returns its
//! [`MigrateCheckVerdict`] inside a [`MigrateCheckOutcome`], or a [`WaitForMigrateCheckError`].

use std::fmt;
use std::future::{Future, IntoFuture};
use std::pin::Pin;
use std::time::Duration;

use tokio::time::Instant;

use super::{Backoff, NextPoll, PollSchedule, is_transient};
use crate::dts::v20180330::{
    CheckFlag, Client, DescribeMigrateCheckJob, DescribeMigrateCheckJobError,
    DescribeMigrateCheckJobRequest, DescribeMigrateCheckJobResponse, MigrateCheckStatus,
};
use crate::error::SdkError;
use crate::runtime::Action;

impl Client {
    /// Waits until the migration check of job `job_id` is over, polling `DescribeMigrateCheckJob`,
    /// and returns its verdict.
    ///
    /// Returns a [`WaitForMigrateCheck`] to configure (timeout, poll intervals, a progress
    /// callback) and then `.await`. Polls come at growing, jittered intervals, from about
    /// [`poll_interval`](WaitForMigrateCheck::poll_interval) (2 s by default) up to
    /// [`max_poll_interval`](WaitForMigrateCheck::max_poll_interval) (15 s), and never faster
    /// than the action's rate limit allows (20/s). The wait ends:
    ///
    /// - when `Status` is `finished`, with the verdict of `CheckFlag`:
    ///   [`Passed`](MigrateCheckVerdict::Passed), [`Failed`](MigrateCheckVerdict::Failed) (with
    ///   `ErrorCode` and `ErrorMessage`) or [`NotChecked`](MigrateCheckVerdict::NotChecked);
    /// - at once with [`NotChecked`](MigrateCheckVerdict::NotChecked) when `Status` is
    ///   `unavailable` and `CheckFlag` is 3: no check exists for the job, because
    ///   `CreateMigrateCheckJob` was never called, so waiting would not help;
    /// - with [`WaitForMigrateCheckError::Timeout`] when the
    ///   [`timeout`](WaitForMigrateCheck::timeout) (30 minutes by default) passes first, even in
    ///   the middle of a poll;
    /// - with [`WaitForMigrateCheckError::Call`] on an error that polling again would not fix
    ///   (`ResourceNotFound.JobNotExist`, `AuthFailure.*`, …). Throttling, internal errors,
    ///   network failures and gateway errors are retried instead (see
    ///   [`is_transient`](crate::waiters::is_transient));
    /// - with [`WaitForMigrateCheckError::UnknownVerdict`] when the check finished with a
    ///   `CheckFlag` this SDK does not know.
    ///
    /// Any other status (`starting`, `running`, values newer than this SDK, and `unavailable`
    /// with a verdict other than "not checked") means the check is not over: polling goes on.
    ///
    /// Must run inside a Tokio runtime with its timer enabled (as `#[tokio::main]` sets up).
    ///
    /// # Examples
    ///
    /// ```no_run
    /// # async fn example(client: &tencentcloud_sdk::dts::v20180330::Client) -> Result<(), Box<dyn std::error::Error>> {
    /// use std::time::Duration;
    /// use tencentcloud_sdk::waiters::dts::MigrateCheckVerdict;
    ///
    /// client
    ///     .create_migrate_check_job()
    ///     .job_id("dts-1kl0iy0v")
    ///     .send()
    ///     .await?;
    /// let outcome = client
    ///     .wait_for_migrate_check("dts-1kl0iy0v")
    ///     .timeout(Duration::from_secs(10 * 60))
    ///     .on_progress(|progress| {
    ///         println!("check {}: {}%", progress.status(), progress.percent());
    ///     })
    ///     .await?;
    /// match outcome.verdict() {
    ///     MigrateCheckVerdict::Passed => {
    ///         client.start_migrate_job().job_id("dts-1kl0iy0v").send().await?;
    ///     }
    ///     MigrateCheckVerdict::Failed { error_message, .. } => {
    ///         eprintln!("fix the job first: {error_message}");
    ///     }
    ///     other => eprintln!("check {other} (RequestId {})", outcome.request_id()),
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub fn wait_for_migrate_check(&self, job_id: impl Into<String>) -> WaitForMigrateCheck {
        WaitForMigrateCheck::new(self.clone(), job_id.into())
    }
}

type ProgressCallback = Box<dyn FnMut(&MigrateCheckProgress) + Send + 'static>;

/// A wait for a migration check, made by [`Client::wait_for_migrate_check`]: set options, then
/// `.await` it (it implements [`IntoFuture`]; the future is `Send`).
#[must_use = "nothing is polled until the waiter is awaited"]
pub struct WaitForMigrateCheck {
    client: Client,
    job_id: String,
    timeout: Duration,
    poll_interval: Duration,
    max_poll_interval: Duration,
    on_progress: Option<ProgressCallback>,
}

impl WaitForMigrateCheck {
    /// How long the wait lasts by default: 30 minutes.
    pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30 * 60);
    /// The default ceiling of the first delay between polls: 2 seconds.
    pub const DEFAULT_POLL_INTERVAL: Duration = Duration::from_secs(2);
    /// The default cap on the delay between polls: 15 seconds.
    pub const DEFAULT_MAX_POLL_INTERVAL: Duration = Duration::from_secs(15);

    fn new(client: Client, job_id: String) -> Self {
        Self {
            client,
            job_id,
            timeout: Self::DEFAULT_TIMEOUT,
            poll_interval: Self::DEFAULT_POLL_INTERVAL,
            max_poll_interval: Self::DEFAULT_MAX_POLL_INTERVAL,
            on_progress: None,
        }
    }

    /// How long to wait in all, from the moment the waiter is first polled, polls included
    /// (default [30 minutes](Self::DEFAULT_TIMEOUT)). A poll still in flight at the deadline is
    /// abandoned.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The ceiling of the first delay between polls (default
    /// [2 seconds](Self::DEFAULT_POLL_INTERVAL)); each next ceiling is 1.5 times the one before,
    /// up to [`max_poll_interval`](Self::max_poll_interval). With jitter, each delay falls between
    /// half its ceiling and the whole of it, and never below the rate-limit floor (50 ms). See
    /// [`PollSchedule`].
    pub fn poll_interval(mut self, interval: Duration) -> Self {
        self.poll_interval = interval;
        self
    }

    /// The cap on the delay between polls (default [15 seconds](Self::DEFAULT_MAX_POLL_INTERVAL)).
    pub fn max_poll_interval(mut self, interval: Duration) -> Self {
        self.max_poll_interval = interval;
        self
    }

    /// Calls `callback` after every poll that got an answer, the last one included, with where
    /// the check stands. Replaces an earlier callback.
    pub fn on_progress(
        mut self,
        callback: impl FnMut(&MigrateCheckProgress) + Send + 'static,
    ) -> Self {
        self.on_progress = Some(Box::new(callback));
        self
    }

    /// The job whose check is awaited.
    pub fn job_id(&self) -> &str {
        &self.job_id
    }

    async fn run(self) -> Result<MigrateCheckOutcome, WaitForMigrateCheckError> {
        let Self {
            client,
            job_id,
            timeout,
            poll_interval,
            max_poll_interval,
            mut on_progress,
        } = self;
        let start = Instant::now();
        let deadline = deadline_after(start, timeout);
        let request = DescribeMigrateCheckJobRequest::builder()
            .job_id(job_id.as_str())
            .build()
            .map_err(|err| WaitForMigrateCheckError::Call(SdkError::Build(err)))?;
        let schedule = PollSchedule::new(poll_interval, max_poll_interval)
            .with_rate_limit(<DescribeMigrateCheckJob as Action>::INFO.rate_limit);
        let mut backoff = Backoff::new(schedule);

        let mut polls: u32 = 0;
        let mut last_answer: Option<(DescribeMigrateCheckJobResponse, u8)> = None;
        let mut last_error = None;
        loop {
            polls = polls.saturating_add(1);
            let poll = client.handle().send(&request);
            match tokio::time::timeout_at(deadline, poll).await {
                // The deadline passed while the poll was in flight.
                Err(_) => break,
                Ok(Err(err)) if is_transient(&err) => last_error = Some(err),
                Ok(Err(err)) => return Err(WaitForMigrateCheckError::Call(err)),
                Ok(Ok(response)) => {
                    last_error = None;
                    let previous = last_answer.as_ref().map_or(0, |(_, percent)| *percent);
                    let percent = percent_of(&response, previous);
                    let elapsed = start.elapsed();
                    if let Some(callback) = on_progress.as_mut() {
                        callback(&MigrateCheckProgress {
                            status: response.status.clone(),
                            percent,
                            polls,
                            elapsed,
                        });
                    }
                    match judge(&response) {
                        Judgement::Pending => last_answer = Some((response, percent)),
                        Judgement::Over(verdict) => {
                            return Ok(MigrateCheckOutcome {
                                verdict,
                                response,
                                polls,
                                elapsed,
                            });
                        }
                        Judgement::UnknownFlag => {
                            return Err(WaitForMigrateCheckError::UnknownVerdict {
                                job_id,
                                response: Box::new(response),
                            });
                        }
                    }
                }
            }
            let remaining = deadline.saturating_duration_since(Instant::now());
            match backoff.next_poll(remaining) {
                NextPoll::In(delay) => tokio::time::sleep(delay).await,
                NextPoll::GiveUpIn(_) => {
                    tokio::time::sleep_until(deadline).await;
                    break;
                }
            }
        }
        let (last_response, last_percent) = match last_answer {
            Some((response, percent)) => (Some(response), Some(percent)),
            None => (None, None),
        };
        Err(WaitForMigrateCheckError::Timeout(Box::new(
            MigrateCheckTimeout {
                job_id,
                timeout,
                elapsed: start.elapsed(),
                polls,
                last_response,
                last_percent,
                last_error,
            },
        )))
    }
}

/// The deadline `timeout` after `start`; a timeout too long to represent waits "forever" (30
/// years) instead of overflowing.
fn deadline_after(start: Instant, timeout: Duration) -> Instant {
    const FOREVER: Duration = Duration::from_secs(30 * 365 * 24 * 60 * 60);
    start
        .checked_add(timeout)
        .or_else(|| start.checked_add(FOREVER))
        .unwrap_or(start)
}

/// The progress of an answer: `Progress` read as a percentage; when it cannot be read, 100 once
/// the check is finished, else the last readable value.
fn percent_of(response: &DescribeMigrateCheckJobResponse, previous: u8) -> u8 {
    response
        .progress_percent()
        .unwrap_or(if response.status.is_finished() {
            100
        } else {
            previous
        })
}

enum Judgement {
    /// The check is not over.
    Pending,
    /// The check is over (or will never run) with this verdict.
    Over(MigrateCheckVerdict),
    /// The check finished with a `CheckFlag` this SDK does not know.
    UnknownFlag,
}

fn judge(response: &DescribeMigrateCheckJobResponse) -> Judgement {
    match (&response.status, response.check_flag) {
        (MigrateCheckStatus::Finished, CheckFlag::Passed) => {
            Judgement::Over(MigrateCheckVerdict::Passed)
        }
        (MigrateCheckStatus::Finished, CheckFlag::Failed) => {
            Judgement::Over(MigrateCheckVerdict::Failed {
                error_code: response.error_code,
                error_message: response.error_message.clone(),
            })
        }
        (MigrateCheckStatus::Finished, CheckFlag::NotChecked)
        | (MigrateCheckStatus::Unavailable, CheckFlag::NotChecked) => {
            Judgement::Over(MigrateCheckVerdict::NotChecked)
        }
        (MigrateCheckStatus::Finished, CheckFlag::Unknown(_)) => Judgement::UnknownFlag,
        (
            MigrateCheckStatus::Unavailable
            | MigrateCheckStatus::Starting
            | MigrateCheckStatus::Running
            | MigrateCheckStatus::Unknown(_),
            _,
        ) => Judgement::Pending,
    }
}

impl fmt::Debug for WaitForMigrateCheck {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The client's Debug shows the configuration with its secrets redacted.
        f.debug_struct("WaitForMigrateCheck")
            .field("job_id", &self.job_id)
            .field("timeout", &self.timeout)
            .field("poll_interval", &self.poll_interval)
            .field("max_poll_interval", &self.max_poll_interval)
            .field(
                "on_progress",
                &self.on_progress.as_ref().map(|_| "<callback>"),
            )
            .field("client", &self.client)
            .finish()
    }
}

/// The future of a [`WaitForMigrateCheck`].
pub type WaitForMigrateCheckFuture =
    Pin<Box<dyn Future<Output = Result<MigrateCheckOutcome, WaitForMigrateCheckError>> + Send>>;

impl IntoFuture for WaitForMigrateCheck {
    type Output = Result<MigrateCheckOutcome, WaitForMigrateCheckError>;
    type IntoFuture = WaitForMigrateCheckFuture;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.run())
    }
}

/// Where the check stands after a poll, passed to the
/// [`on_progress`](WaitForMigrateCheck::on_progress) callback.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MigrateCheckProgress {
    status: MigrateCheckStatus,
    percent: u8,
    polls: u32,
    elapsed: Duration,
}

impl MigrateCheckProgress {
    /// The `Status` of the answer.
    pub fn status(&self) -> &MigrateCheckStatus {
        &self.status
    }

    /// The `Progress` of the answer, from 0 to 100. When it is missing or not a percentage, the
    /// last readable value stands in (0 before any), or 100 once the check is finished.
    pub fn percent(&self) -> u8 {
        self.percent
    }

    /// How many polls have been sent, this one included (polls that failed with a transient
    /// error count too).
    pub fn polls(&self) -> u32 {
        self.polls
    }

    /// The time since the wait began.
    pub fn elapsed(&self) -> Duration {
        self.elapsed
    }
}

/// The verdict of a migration check that is over.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum MigrateCheckVerdict {
    /// The check passed (`CheckFlag` 1): the job may be started.
    Passed,
    /// The check found a problem (`CheckFlag` 0): fix it (ModifyMigrateJob) and check again.
    Failed {
        /// The `ErrorCode` of the check (non-zero, such as -1).
        error_code: i64,
        /// The `ErrorMessage` of the check: what to fix.
        error_message: String,
    },
    /// The job has not been checked (`CheckFlag` 3): no check was created for it
    /// (`CreateMigrateCheckJob` was never called), or the check ended without a verdict.
    NotChecked,
}

impl MigrateCheckVerdict {
    /// Whether the check passed.
    pub fn is_passed(&self) -> bool {
        matches!(self, Self::Passed)
    }

    /// Whether the check found a problem.
    pub fn is_failed(&self) -> bool {
        matches!(self, Self::Failed { .. })
    }

    /// Whether the job has not been checked.
    pub fn is_not_checked(&self) -> bool {
        matches!(self, Self::NotChecked)
    }
}

impl fmt::Display for MigrateCheckVerdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Passed => f.write_str("passed"),
            Self::Failed {
                error_code,
                error_message,
            } => write!(f, "failed with error {error_code}: {error_message}"),
            Self::NotChecked => f.write_str("not checked"),
        }
    }
}

/// How a wait for a migration check ended: the verdict, the last answer and what it took.
#[derive(Debug, Clone, PartialEq)]
pub struct MigrateCheckOutcome {
    verdict: MigrateCheckVerdict,
    response: DescribeMigrateCheckJobResponse,
    polls: u32,
    elapsed: Duration,
}

impl MigrateCheckOutcome {
    /// The verdict.
    pub fn verdict(&self) -> &MigrateCheckVerdict {
        &self.verdict
    }

    /// Takes the verdict.
    pub fn into_verdict(self) -> MigrateCheckVerdict {
        self.verdict
    }

    /// Whether the check passed.
    pub fn is_passed(&self) -> bool {
        self.verdict.is_passed()
    }

    /// The answer that ended the wait.
    pub fn response(&self) -> &DescribeMigrateCheckJobResponse {
        &self.response
    }

    /// Takes the answer that ended the wait.
    pub fn into_response(self) -> DescribeMigrateCheckJobResponse {
        self.response
    }

    /// The RequestId of the answer that ended the wait.
    pub fn request_id(&self) -> &str {
        &self.response.request_id
    }

    /// How many polls were sent, including those that failed with a transient error.
    pub fn polls(&self) -> u32 {
        self.polls
    }

    /// How long the wait took.
    pub fn elapsed(&self) -> Duration {
        self.elapsed
    }
}

/// Why a wait for a migration check ended without a verdict.
#[derive(Debug)]
#[non_exhaustive]
pub enum WaitForMigrateCheckError {
    /// The timeout passed before the check was over.
    Timeout(Box<MigrateCheckTimeout>),
    /// A poll failed with an error that polling again would not fix, such as
    /// `ResourceNotFound.JobNotExist` or an `AuthFailure`.
    Call(SdkError<DescribeMigrateCheckJobError>),
    /// The check finished with a `CheckFlag` this SDK does not know. Rather than guess whether
    /// that means passed, the answer is handed over.
    #[non_exhaustive]
    UnknownVerdict {
        /// The job whose check finished.
        job_id: String,
        /// The answer with the unknown `CheckFlag`.
        response: Box<DescribeMigrateCheckJobResponse>,
    },
}

impl WaitForMigrateCheckError {
    /// The details of a timeout, when the wait timed out.
    pub fn as_timeout(&self) -> Option<&MigrateCheckTimeout> {
        match self {
            Self::Timeout(timeout) => Some(timeout),
            _ => None,
        }
    }

    /// The error of the failed poll, when a poll failed for good.
    pub fn as_call_error(&self) -> Option<&SdkError<DescribeMigrateCheckJobError>> {
        match self {
            Self::Call(err) => Some(err),
            _ => None,
        }
    }

    /// Whether the wait timed out.
    pub fn is_timeout(&self) -> bool {
        matches!(self, Self::Timeout(_))
    }
}

impl fmt::Display for WaitForMigrateCheckError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Timeout(timeout) => timeout.fmt(f),
            Self::Call(err) => err.fmt(f),
            Self::UnknownVerdict { job_id, response } => write!(
                f,
                "migration check of job {job_id} finished with CheckFlag {}, which this SDK does not know (RequestId: {})",
                response.check_flag, response.request_id
            ),
        }
    }
}

impl std::error::Error for WaitForMigrateCheckError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            // The call error is shown as this error; its cause comes next.
            Self::Call(err) => err.source(),
            // The timeout's text already includes its last error.
            Self::Timeout(_) | Self::UnknownVerdict { .. } => None,
        }
    }
}

/// What was known when a wait for a migration check timed out.
///
/// Its `Display` reads like
/// `migration check of job dts-1 not finished after 30s (12 polls; last status running, 40%)`,
/// followed by the last error when the polls after the last answer failed.
#[derive(Debug)]
pub struct MigrateCheckTimeout {
    job_id: String,
    timeout: Duration,
    elapsed: Duration,
    polls: u32,
    last_response: Option<DescribeMigrateCheckJobResponse>,
    last_percent: Option<u8>,
    last_error: Option<SdkError<DescribeMigrateCheckJobError>>,
}

impl MigrateCheckTimeout {
    /// The job whose check was awaited.
    pub fn job_id(&self) -> &str {
        &self.job_id
    }

    /// The timeout that passed.
    pub fn timeout(&self) -> Duration {
        self.timeout
    }

    /// How long the wait actually lasted (the timeout, give or take the timer's precision).
    pub fn elapsed(&self) -> Duration {
        self.elapsed
    }

    /// How many polls were sent, including any that failed or was cut off by the deadline.
    pub fn polls(&self) -> u32 {
        self.polls
    }

    /// The last answer received, if any.
    pub fn last_response(&self) -> Option<&DescribeMigrateCheckJobResponse> {
        self.last_response.as_ref()
    }

    /// The `Status` of the last answer, if any.
    pub fn last_status(&self) -> Option<&MigrateCheckStatus> {
        self.last_response.as_ref().map(|response| &response.status)
    }

    /// The progress of the last answer, as [`MigrateCheckProgress::percent`] gave it.
    pub fn last_percent(&self) -> Option<u8> {
        self.last_percent
    }

    /// The transient error of the last poll, when polls failed after the last answer (or no
    /// answer came at all).
    pub fn last_error(&self) -> Option<&SdkError<DescribeMigrateCheckJobError>> {
        self.last_error.as_ref()
    }
}

impl fmt::Display for MigrateCheckTimeout {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let plural = if self.polls == 1 { "" } else { "s" };
        write!(
            f,
            "migration check of job {} not finished after {:?} ({} poll{plural}; ",
            self.job_id, self.timeout, self.polls
        )?;
        match (self.last_status(), self.last_percent) {
            (Some(status), Some(percent)) => write!(f, "last status {status}, {percent}%")?,
            (Some(status), None) => write!(f, "last status {status}")?,
            (None, _) => f.write_str("no answer")?,
        }
        if let Some(err) = &self.last_error {
            write!(f, "; last error: {err}")?;
        }
        f.write_str(")")
    }
}

impl std::error::Error for MigrateCheckTimeout {}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(status: &str, flag: i64) -> DescribeMigrateCheckJobResponse {
        serde_json::from_value(serde_json::json!({
            "Status": status, "ErrorCode": -1, "ErrorMessage": "table t1 missing",
            "Progress": "", "CheckFlag": flag, "RequestId": "req-1"
        }))
        .unwrap_or_else(|err| panic!("a test answer decodes: {err}"))
    }

    fn verdict(status: &str, flag: i64) -> Option<MigrateCheckVerdict> {
        match judge(&answer(status, flag)) {
            Judgement::Over(verdict) => Some(verdict),
            Judgement::Pending => None,
            Judgement::UnknownFlag => Some(MigrateCheckVerdict::Failed {
                error_code: i64::MIN,
                error_message: "unknown".to_owned(),
            }),
        }
    }

    #[test]
    fn verdicts() {
        assert_eq!(verdict("finished", 1), Some(MigrateCheckVerdict::Passed));
        assert_eq!(
            verdict("finished", 0),
            Some(MigrateCheckVerdict::Failed {
                error_code: -1,
                error_message: "table t1 missing".to_owned()
            })
        );
        assert_eq!(
            verdict("finished", 3),
            Some(MigrateCheckVerdict::NotChecked)
        );
        assert_eq!(
            verdict("unavailable", 3),
            Some(MigrateCheckVerdict::NotChecked)
        );
        assert!(matches!(
            judge(&answer("finished", 7)),
            Judgement::UnknownFlag
        ));
        for status in ["starting", "running", "queued"] {
            for flag in [0, 1, 3, 7] {
                assert_eq!(verdict(status, flag), None, "{status} {flag}");
            }
        }
        for flag in [0, 1, 7] {
            assert_eq!(verdict("unavailable", flag), None, "unavailable {flag}");
        }
    }

    #[test]
    fn percent_falls_back_on_unreadable_progress() {
        let mut running = answer("running", 3);
        assert_eq!(percent_of(&running, 40), 40);
        running.progress = "55".to_owned();
        assert_eq!(percent_of(&running, 40), 55);
        assert_eq!(percent_of(&answer("finished", 1), 40), 100);
    }

    #[test]
    fn verdict_display() {
        assert_eq!(MigrateCheckVerdict::Passed.to_string(), "passed");
        assert_eq!(MigrateCheckVerdict::NotChecked.to_string(), "not checked");
        let failed = MigrateCheckVerdict::Failed {
            error_code: -1,
            error_message: "table t1 missing".to_owned(),
        };
        assert_eq!(failed.to_string(), "failed with error -1: table t1 missing");
        assert!(failed.is_failed() && !failed.is_passed() && !failed.is_not_checked());
    }

    #[test]
    fn timeout_display() {
        let mut timeout = MigrateCheckTimeout {
            job_id: "dts-1".to_owned(),
            timeout: Duration::from_secs(30),
            elapsed: Duration::from_secs(30),
            polls: 12,
            last_response: Some(answer("running", 3)),
            last_percent: Some(40),
            last_error: None,
        };
        assert_eq!(
            timeout.to_string(),
            "migration check of job dts-1 not finished after 30s (12 polls; last status running, 40%)"
        );
        timeout.polls = 1;
        timeout.last_response = None;
        timeout.last_percent = None;
        timeout.timeout = Duration::from_millis(250);
        assert_eq!(
            timeout.to_string(),
            "migration check of job dts-1 not finished after 250ms (1 poll; no answer)"
        );
    }

    #[test]
    fn overlong_timeouts_do_not_overflow() {
        let now = Instant::now();
        assert!(deadline_after(now, Duration::MAX) > now);
        assert_eq!(
            deadline_after(now, Duration::from_secs(1)),
            now + Duration::from_secs(1)
        );
    }
}
