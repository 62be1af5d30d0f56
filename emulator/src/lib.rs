//! A local Tencent Cloud API 3.0 endpoint for tests, driven by the same specs as the SDK.
//!
//! The emulator checks requests the way the cloud's gateway does — the TC3-HMAC-SHA256
//! signature recomputed from the bytes that arrived, the clock, the secret id and session token,
//! the version, the action, and every parameter against the spec — and answers in the cloud's
//! format with a fresh `RequestId`. DTS 2018-03-30 behaves like the service: migration jobs and
//! their checks move through their states over time, and subscriptions keep their settings.
//! Every other action of every spec in `api-spec/` answers with its example when its spec has
//! one, else with an answer made up from the spec (every member of its type, nested structures
//! and lists included, the same for the same request), and a test can choose what any action
//! answers ([`Builder::script`], [`Script`]). Each action's documented rate limit applies per
//! secret id ([`DEFAULT_RATE_LIMIT`], 20 a second, for those without one; see [`RateLimits`]),
//! and faults (HTTP 502/503, `InternalError`, throttling, dropped connections, delays) can be
//! injected on purpose.
//!
//! Official SDKs talk to it unchanged: point their endpoint at [`Emulator::url`].
//!
//! For tests of retries and clock handling, the emulator's clock can run ahead of or behind
//! real time ([`Builder::clock_offset`]): the signature window, the dates in answers and the
//! `Date` header of every answer follow it. What really happened is visible without going
//! through the API, where faults would get in the way: how many requests reached the service
//! and were carried out ([`Emulator::calls`], [`Emulator::executed`]), which faults were
//! injected ([`Emulator::faults_injected`]) and which DTS migration jobs exist
//! ([`Emulator::migrate_jobs`]).
//!
//! ```no_run
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! use std::time::Duration;
//! use tencentcloud_emulator::Emulator;
//! use tencentcloud_sdk::dts::v20180330::Client;
//!
//! let emulator = Emulator::builder()
//!     .check_duration(Duration::from_millis(200))
//!     .start()
//!     .await?;
//! let client = Client::new(emulator.sdk_config().build()?);
//! let job = client.describe_migrate_jobs().send().await?;
//! assert_eq!(job.total_count, 0);
//! assert_eq!(emulator.executed("DescribeMigrateJobs"), 1);
//! # Ok(())
//! # }
//! ```
//!
//! The binary `tencentcloud-emulator` serves the same from a shell; see its `--help`.
#![warn(missing_docs)]

mod auth;
pub mod backend;
mod catalog;
mod clock;
pub mod dts;
mod faults;
mod gateway;
mod limits;
mod scripted;
mod server;

use std::collections::HashMap;
use std::fmt;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tencentcloud_sdk::{ConfigBuilder, Credentials};
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;

pub use auth::MAX_CLOCK_SKEW;
pub use catalog::SpecError;
pub use dts::{CheckPolicy, Dts, DtsSettings, FAIL_CHECK_MARKER, MigrateJobSummary};
pub use faults::{Fault, FaultCounts, Faults};
pub use limits::{DEFAULT_RATE_LIMIT, RateLimits};
pub use scripted::{Reply, Script};

use crate::backend::Backend;
use crate::clock::Clock;
use crate::faults::FaultPicker;
use crate::gateway::Gateway;
use crate::limits::Limiter;

/// The region [`Emulator::sdk_config`] sets.
pub const DEFAULT_REGION: &str = "ap-guangzhou";

/// Settings of an emulator before it starts; see [`Emulator::builder`].
#[derive(Debug)]
pub struct Builder {
    addr: SocketAddr,
    credentials: Vec<Credentials>,
    dts: DtsSettings,
    rate_limits: RateLimits,
    faults: Faults,
    specs: Vec<(String, String)>,
    clock_offset: i64,
    default_service: Option<String>,
    log: bool,
    scripts: Vec<(String, String, Script)>,
    connections: server::ConnectionLimits,
}

impl Default for Builder {
    fn default() -> Self {
        Self {
            addr: SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
            credentials: Vec::new(),
            dts: DtsSettings::default(),
            rate_limits: RateLimits::default(),
            faults: Faults::none(),
            specs: Vec::new(),
            clock_offset: 0,
            default_service: None,
            log: false,
            scripts: Vec::new(),
            connections: server::ConnectionLimits::default(),
        }
    }
}

impl Builder {
    /// Where to listen; by default `127.0.0.1:0`, a free port on loopback.
    pub fn addr(mut self, addr: SocketAddr) -> Self {
        self.addr = addr;
        self
    }

    /// Accepts requests signed with this key pair. Give it a session token
    /// ([`Credentials::with_token`]) to act as temporary credentials: requests must then carry
    /// exactly that token in `X-TC-Token`. Call it once per pair; each secret id is its own
    /// account. Without any, the emulator makes up one pair, see [`Emulator::credentials`].
    pub fn credentials(mut self, credentials: Credentials) -> Self {
        self.credentials.push(credentials);
        self
    }

    /// How long a DTS migration check takes from creation to its verdict (3 s by default).
    pub fn check_duration(mut self, duration: Duration) -> Self {
        self.dts.check_duration = duration;
        self
    }

    /// How long a started DTS migration runs before it succeeds or is ready to complete
    /// (5 s by default).
    pub fn migration_duration(mut self, duration: Duration) -> Self {
        self.dts.migration_duration = duration;
        self
    }

    /// Which DTS checks fail; by default those of jobs whose name contains
    /// [`FAIL_CHECK_MARKER`].
    pub fn checks(mut self, policy: CheckPolicy) -> Self {
        self.dts.checks = policy;
        self
    }

    /// Which request rates are allowed; by default each action's documented limit, and
    /// [`DEFAULT_RATE_LIMIT`] requests per second for actions without one
    /// ([`RateLimits::FromSpec`]).
    pub fn rate_limits(mut self, limits: RateLimits) -> Self {
        self.rate_limits = limits;
        self
    }

    /// Faults to inject; none by default.
    pub fn faults(mut self, faults: Faults) -> Self {
        self.faults = faults;
        self
    }

    /// Serves one more spec besides those of `api-spec/` built in (or replaces the built-in
    /// one of the same service version). Its actions answer with their examples. `name` is how
    /// messages refer to it.
    pub fn spec(mut self, name: impl Into<String>, text: impl Into<String>) -> Self {
        self.specs.push((name.into(), text.into()));
        self
    }

    /// Runs the emulator's clock `seconds` ahead of real time (behind it when negative); 0 by
    /// default. The clock is what `X-TC-Timestamp` must be within [`MAX_CLOCK_SKEW`] of
    /// (`AuthFailure.SignatureExpire` otherwise), what backends see as
    /// [`Call::unix_time`](backend::Call::unix_time) (so the dates in answers, such as a job's
    /// `CreateTime`), and what the `Date` header of every answer shows. Durations are not
    /// affected. [`Builder::start`] refuses an offset that puts the clock before 1970 or after
    /// 9999.
    ///
    /// With an offset of 3600, a client signing with its own clock is refused, and one that
    /// corrected its clock from the `Date` header, or signs with [`Emulator::unix_time`], is
    /// served.
    pub fn clock_offset(mut self, seconds: i64) -> Self {
        self.clock_offset = seconds;
        self
    }

    /// Answers `action` of `service` (any version) with `script` instead of the service's
    /// behaviour or the answer made up from its spec, once the request passed every check of
    /// the gateway. A later script for the same action replaces an earlier one; see also
    /// [`Emulator::script`] to change it while the emulator runs.
    pub fn script(
        mut self,
        service: impl Into<String>,
        action: impl Into<String>,
        script: Script,
    ) -> Self {
        self.scripts.push((service.into(), action.into(), script));
        self
    }

    /// The service (its short name, such as `dts`) of requests whose credential scope names no
    /// service the emulator serves and whose `Host` does not start with one (`dts.localhost`):
    /// SDKs that take the scope's service from the endpoint's first label sign `127` when
    /// pointed at `127.0.0.1:PORT`. None by default (such requests are `InvalidAction`);
    /// [`Builder::start`] refuses a service the emulator does not serve. The signature is still
    /// verified over the scope's service as sent.
    pub fn default_service(mut self, service: impl Into<String>) -> Self {
        self.default_service = Some(service.into());
        self
    }

    /// Writes a line per request to stderr: action, region, result code and RequestId.
    pub fn log_requests(mut self, log: bool) -> Self {
        self.log = log;
        self
    }

    /// How long a client may take to send a request's head (request line and headers, at most
    /// 64 KiB), and how long a kept-alive connection may stay idle between requests; 10 s by
    /// default. The connection is closed when it runs out. [`Builder::start`] refuses 0.
    pub fn header_timeout(mut self, timeout: Duration) -> Self {
        self.connections.header_timeout = timeout;
        self
    }

    /// How long a client may take to send a request's whole body once its head arrived; 10 s
    /// by default. A body that is late is answered `408 Request Timeout` (plain text, not the
    /// cloud's JSON: the request was never read) and the connection is closed. The same bound
    /// applies to a client that stops reading its answers: once an answer has waited that long
    /// for it, its connection is closed. [`Builder::start`] refuses 0.
    pub fn body_timeout(mut self, timeout: Duration) -> Self {
        self.connections.body_timeout = timeout;
        self
    }

    /// How many connections are served at once; 512 by default, below the common limit of
    /// 1,024 open files. One more is answered `503 Service Unavailable` with
    /// `Connection: close` and closed at once. [`Builder::start`] refuses 0.
    pub fn max_connections(mut self, max: usize) -> Self {
        self.connections.max_connections = max;
        self
    }

    /// Binds the address and starts serving on the current tokio runtime.
    pub async fn start(self) -> Result<Emulator, StartError> {
        self.faults.validate().map_err(StartError::Settings)?;
        self.connections.validate().map_err(StartError::Settings)?;
        let clock = Clock::new(self.clock_offset).map_err(StartError::Settings)?;
        let catalog = catalog::Catalog::load(&self.specs).map_err(StartError::Spec)?;
        if let Some(service) = self.default_service.as_deref() {
            if !catalog.has_service(service) {
                return Err(StartError::Settings(format!(
                    "the default service `{service}` is not one the emulator serves"
                )));
            }
        }
        let mut credentials = self.credentials;
        if credentials.is_empty() {
            credentials.push(made_up_credentials());
        }
        for pair in &credentials {
            pair.validate()
                .map_err(|err| StartError::Settings(err.to_string()))?;
        }
        let listener = TcpListener::bind(self.addr)
            .await
            .map_err(|err| StartError::Bind(self.addr, err))?;
        let addr = listener
            .local_addr()
            .map_err(|err| StartError::Bind(self.addr, err))?;

        let dts = Arc::new(Dts::new(self.dts));
        let mut backends: HashMap<(String, String), Arc<dyn Backend>> = HashMap::new();
        backends.insert(
            ("dts".to_owned(), "2018-03-30".to_owned()),
            Arc::clone(&dts) as Arc<dyn Backend>,
        );
        let gateway = Arc::new(Gateway {
            catalog,
            credentials: credentials
                .iter()
                .map(|pair| (pair.secret_id().to_owned(), pair.clone()))
                .collect(),
            backends,
            rate_limits: self.rate_limits,
            limiter: Limiter::default(),
            faults: FaultPicker::new(self.faults),
            clock,
            default_service: self.default_service,
            counts: Mutex::new(HashMap::new()),
            log: self.log,
            scripts: Mutex::new(
                self.scripts
                    .into_iter()
                    .map(|(service, action, script)| ((service, action), script))
                    .collect(),
            ),
        });
        let (shutdown, stop) = watch::channel(false);
        let task = tokio::spawn(server::run(
            listener,
            Arc::clone(&gateway),
            self.connections,
            stop,
        ));
        Ok(Emulator {
            addr,
            url: server::url_of(addr),
            credentials,
            gateway,
            dts,
            shutdown,
            task: Some(task),
        })
    }
}

/// A running emulator. Dropping it stops the server.
pub struct Emulator {
    addr: SocketAddr,
    url: String,
    credentials: Vec<Credentials>,
    gateway: Arc<Gateway>,
    /// The DTS backend, also in the gateway's, for [`Emulator::migrate_jobs`].
    dts: Arc<Dts>,
    shutdown: watch::Sender<bool>,
    task: Option<JoinHandle<()>>,
}

impl fmt::Debug for Emulator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Emulator")
            .field("url", &self.url)
            .field("credentials", &self.credentials)
            .finish_non_exhaustive()
    }
}

impl Emulator {
    /// Settings for a new emulator.
    pub fn builder() -> Builder {
        Builder::default()
    }

    /// Starts an emulator with the default settings on a free loopback port.
    pub async fn start() -> Result<Self, StartError> {
        Self::builder().start().await
    }

    /// The URL to send requests to, such as `http://127.0.0.1:40123` (requests go to `/`).
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The address it listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The first key pair it accepts (the made-up one when none was given).
    pub fn credentials(&self) -> &Credentials {
        // `start` always keeps at least one pair.
        &self.credentials[0]
    }

    /// An SDK configuration aimed at this emulator: its URL, its first key pair and the region
    /// [`DEFAULT_REGION`]. Change anything before `build()`.
    pub fn sdk_config(&self) -> ConfigBuilder {
        tencentcloud_sdk::Config::builder()
            .endpoint(self.url.clone())
            .credentials(self.credentials().clone())
            .region(DEFAULT_REGION)
    }

    /// Answers `action` of `service` with `script` from now on (see [`Builder::script`]).
    pub fn script(&self, service: impl Into<String>, action: impl Into<String>, script: Script) {
        self.gateway
            .lock_scripts()
            .insert((service.into(), action.into()), script);
    }

    /// A request every check of the emulator accepts for `action` of `service` at `version`:
    /// the action's required members, with made-up values of their types (nested structures
    /// included). `None` when the emulator serves no such action. For smoke tests of a whole
    /// service, or a start when writing a request by hand.
    pub fn sample_request(
        &self,
        service: &str,
        version: &str,
        action: &str,
    ) -> Option<serde_json::Map<String, serde_json::Value>> {
        let spec = self.gateway.catalog.service(service, version).ok()??;
        let action = catalog::action(spec, action)?;
        Some(catalog::synthesize_request(spec, action))
    }

    /// Takes the script of `action` of `service` away: it answers as before again.
    pub fn unscript(&self, service: &str, action: &str) {
        self.gateway
            .lock_scripts()
            .remove(&(service.to_owned(), action.to_owned()));
    }

    /// How many requests for `action` (its name, as in `X-TC-Action`) reached the service so
    /// far: they passed every check of the gateway (signature, clock, token, version, action,
    /// parameters, rate limit) and were handed to the service, whatever it answered (an error
    /// such as `ResourceNotFound.JobNotExist` counts).
    ///
    /// Faults: a request whose answer [`Fault::DropAfterProcessing`] dropped counts; one
    /// delayed by [`Fault::Delay`] counts once the delay is over and it reaches the service
    /// (not if its client closed the connection first); a request that met any other fault
    /// never reached the gateway's checks and does not count.
    pub fn calls(&self, action: &str) -> u64 {
        self.gateway.counts(action).reached
    }

    /// How many requests for `action` the service carried out so far: of those counted by
    /// [`Emulator::calls`], the ones it answered with success, so that a create made its
    /// resource. Those whose answer [`Fault::DropAfterProcessing`] then dropped count too:
    /// the client never learns of them, but they happened.
    pub fn executed(&self, action: &str) -> u64 {
        self.gateway.counts(action).executed
    }

    /// How many requests met each injected fault so far; see [`FaultCounts`].
    pub fn faults_injected(&self) -> FaultCounts {
        self.gateway.faults.counts()
    }

    /// The DTS migration jobs that the account of `secret_id` has in `region`, oldest first,
    /// read from the emulator's state rather than through the API (so faults and rate limits
    /// do not get in the way, and nothing changes). See [`Dts::migrate_jobs`].
    pub fn migrate_jobs(&self, secret_id: &str, region: &str) -> Vec<MigrateJobSummary> {
        self.dts.migrate_jobs(secret_id, region)
    }

    /// The emulator's clock now, in seconds since the Unix epoch: real time plus
    /// [`Builder::clock_offset`]. Signing with it is always within the allowed skew.
    pub fn unix_time(&self) -> u64 {
        self.gateway.clock.unix_now()
    }

    /// Stops accepting, closes every connection and waits until the server is gone.
    pub async fn shutdown(mut self) {
        let _ = self.shutdown.send(true);
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }

    /// Serves until the server stops (it stops only through [`Emulator::shutdown`] or a
    /// panic), for binaries.
    pub async fn serve_forever(mut self) {
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        let _ = self.shutdown.send(true);
        if let Some(task) = self.task.take() {
            task.abort();
        }
    }
}

/// Why an emulator did not start.
#[derive(Debug)]
#[non_exhaustive]
pub enum StartError {
    /// The address could not be bound.
    Bind(SocketAddr, std::io::Error),
    /// A spec could not be read.
    Spec(SpecError),
    /// A setting is out of range.
    Settings(String),
}

impl fmt::Display for StartError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Bind(addr, err) => write!(f, "cannot listen on {addr}: {err}"),
            Self::Spec(err) => write!(f, "cannot read a spec: {err}"),
            Self::Settings(why) => write!(f, "bad setting: {why}"),
        }
    }
}

impl std::error::Error for StartError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Bind(_, err) => Some(err),
            Self::Spec(err) => Some(err),
            Self::Settings(_) => None,
        }
    }
}

/// Reads a duration as the command-line tools take it: `500ms` or `3s` (fractions allowed,
/// `0.5s`).
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let parsed = if let Some(millis) = text.strip_suffix("ms") {
        millis.parse().ok().map(Duration::from_millis)
    } else if let Some(seconds) = text.strip_suffix('s') {
        seconds
            .parse()
            .ok()
            .and_then(|seconds| Duration::try_from_secs_f64(seconds).ok())
    } else {
        None
    };
    parsed.ok_or_else(|| format!("`{text}` is not a duration such as 500ms or 3s"))
}

/// A random key pair in the cloud's shapes (`AKID` and 32 more characters; a 32-character key).
fn made_up_credentials() -> Credentials {
    let text = |len: usize| -> String {
        std::iter::repeat_with(fastrand::alphanumeric)
            .take(len)
            .collect()
    };
    Credentials::new(format!("AKID{}", text(32)), text(32))
}
