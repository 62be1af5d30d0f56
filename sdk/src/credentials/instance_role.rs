//! Credentials of the CAM role attached to the CVM instance, from the metadata service.

use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, SystemTime};

use serde_json::Value;

use super::refreshing::{Fetch, Refreshing};
use super::{
    CredentialsError, ProvideCredentials, ProvideFuture, check_value, describe_time, expiry_time,
};
use crate::Credentials;

/// Where the metadata service of a CVM instance lists the instance's role and its credentials.
const DEFAULT_BASE_URL: &str =
    "http://metadata.tencentyun.com/latest/meta-data/cam/security-credentials/";
const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(1);
const DEFAULT_REQUEST_TIMEOUT: Duration = Duration::from_secs(2);
const DEFAULT_REFRESH_MARGIN: Duration = Duration::from_secs(5 * 60);
/// Answers are a few hundred bytes; anything much longer is not the metadata service.
const MAX_ANSWER_BYTES: usize = 64 * 1024;

/// Temporary credentials of the CAM role attached to the CVM instance the program runs on.
///
/// The metadata service names the role (`GET <base URL>`, unless the role is given to the
/// builder) and hands out its credentials (`GET <base URL><role>`: `TmpSecretId`,
/// `TmpSecretKey`, `Token` and `ExpiredTime`). They are cached and fetched again once less than
/// the refresh margin (5 minutes by default) is left before they expire. Only one fetch runs at
/// a time: callers arriving while credentials are being fetched either keep using the cached
/// ones, if they are still valid, or wait for the fetch. When an early refresh fails, the cached
/// credentials are used until they expire, a warning is logged, and the refresh is tried again
/// 10 seconds later at the earliest.
///
/// Requests to the metadata service bypass any proxy and use short timeouts (1 second to
/// connect, 2 seconds in all, by default) so that a program that does not run on CVM finds out
/// quickly. Not found when the metadata service cannot be reached or names no role; otherwise
/// failures are reported as [`Unavailable`](super::CredentialsErrorKind::Unavailable). Errors
/// never quote the service's answers, which hold the secret key.
///
/// Clones share the cache.
#[derive(Clone)]
pub struct InstanceRoleProvider {
    inner: Arc<Refreshing<InstanceRole>>,
}

/// What fetches the credentials; [`Refreshing`] runs one fetch at a time.
struct InstanceRole {
    settings: Settings,
    /// Kept between fetches.
    state: Mutex<FetchState>,
}

#[derive(Debug, Clone)]
struct Settings {
    base_url: String,
    role_name: Option<String>,
    connect_timeout: Duration,
    request_timeout: Duration,
    refresh_margin: Duration,
}

#[derive(Default)]
struct FetchState {
    client: Option<reqwest::Client>,
    discovered_role: Option<String>,
}

impl InstanceRoleProvider {
    /// The role of this instance, from the metadata service at its usual address, with the
    /// default timeouts and refresh margin.
    pub fn new() -> Self {
        Self::builder().build()
    }

    /// Starts choosing the address, role, timeouts and refresh margin.
    pub fn builder() -> InstanceRoleProviderBuilder {
        InstanceRoleProviderBuilder::default()
    }
}

impl InstanceRole {
    fn state(&self) -> std::sync::MutexGuard<'_, FetchState> {
        // Each field is only ever replaced whole, so a panic elsewhere cannot leave it torn.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    async fn fetch_credentials(&self) -> Result<Credentials, CredentialsError> {
        let settings = &self.settings;
        let base = checked_base_url(&settings.base_url)?;
        let (client, discovered) = {
            let mut state = self.state();
            let client = match &state.client {
                Some(client) => client.clone(),
                None => {
                    let client = build_client(settings)?;
                    state.client = Some(client.clone());
                    client
                }
            };
            (client, state.discovered_role.clone())
        };
        let role = match (&settings.role_name, discovered) {
            (Some(role), _) => {
                if !is_role_name(role) {
                    return Err(CredentialsError::invalid(
                        format!("role name {role:?}"),
                        "is not a CAM role name (letters, digits and +=,.@_- only)",
                    ));
                }
                role.clone()
            }
            (None, Some(role)) => role,
            (None, None) => {
                let role = discover_role(&client, &base, settings).await?;
                self.state().discovered_role = Some(role.clone());
                role
            }
        };

        let url = format!("{base}{role}");
        let answer = get(&client, &url).await.map_err(|failure| {
            CredentialsError::unavailable(
                "metadata service",
                format!("unreachable at {url}: {}", failure.describe(settings)),
            )
        })?;
        if answer.status == 404 && settings.role_name.is_none() {
            // The role was detached or replaced: ask for its name again next time.
            self.state().discovered_role = None;
        }
        if !(200..300).contains(&answer.status) {
            return Err(CredentialsError::unavailable(
                "metadata service",
                format!(
                    "answered HTTP {} for the credentials of role {role} at {url}",
                    answer.status
                ),
            ));
        }
        let credentials = parse_credentials(&answer.body, &role, SystemTime::now())?;
        let expires_at = credentials
            .expires_at()
            .map(describe_time)
            .unwrap_or_default();
        tracing::debug!(
            %role,
            %expires_at,
            "fetched CVM instance role credentials"
        );
        Ok(credentials)
    }
}

impl Fetch for InstanceRole {
    fn fetch(&self) -> impl Future<Output = Result<Credentials, CredentialsError>> + Send + '_ {
        self.fetch_credentials()
    }
}

impl Default for InstanceRoleProvider {
    fn default() -> Self {
        Self::new()
    }
}

impl fmt::Debug for InstanceRoleProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let settings = &self.inner.fetcher().settings;
        let cached_until = self.inner.cached_until();
        f.debug_struct("InstanceRoleProvider")
            .field("base_url", &settings.base_url)
            .field("role_name", &settings.role_name)
            .field("connect_timeout", &settings.connect_timeout)
            .field("request_timeout", &settings.request_timeout)
            .field("refresh_margin", &settings.refresh_margin)
            .field("cached_until", &cached_until)
            .finish()
    }
}

impl ProvideCredentials for InstanceRoleProvider {
    fn provide_credentials(&self) -> ProvideFuture<'_> {
        Box::pin(self.inner.provide())
    }

    fn name(&self) -> &str {
        "CVM instance role"
    }
}

/// Chooses the address, role, timeouts and refresh margin of an [`InstanceRoleProvider`].
#[derive(Debug, Clone)]
pub struct InstanceRoleProviderBuilder {
    settings: Settings,
}

impl Default for InstanceRoleProviderBuilder {
    fn default() -> Self {
        Self {
            settings: Settings {
                base_url: DEFAULT_BASE_URL.to_owned(),
                role_name: None,
                connect_timeout: DEFAULT_CONNECT_TIMEOUT,
                request_timeout: DEFAULT_REQUEST_TIMEOUT,
                refresh_margin: DEFAULT_REFRESH_MARGIN,
            },
        }
    }
}

impl InstanceRoleProviderBuilder {
    /// The address listing the role, by default
    /// `http://metadata.tencentyun.com/latest/meta-data/cam/security-credentials/` (a local
    /// server in tests). A missing final `/` is added.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        let mut url = url.into();
        if !url.ends_with('/') {
            url.push('/');
        }
        self.settings.base_url = url;
        self
    }

    /// Uses this role instead of asking the metadata service which one is attached.
    pub fn role_name(mut self, name: impl Into<String>) -> Self {
        self.settings.role_name = Some(name.into());
        self
    }

    /// The time allowed to connect to the metadata service (default 1 second).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.settings.connect_timeout = timeout;
        self
    }

    /// The time allowed for a whole request to the metadata service, connection included
    /// (default 2 seconds).
    pub fn request_timeout(mut self, timeout: Duration) -> Self {
        self.settings.request_timeout = timeout;
        self
    }

    /// How long before they expire credentials are fetched again (default 5 minutes). Keep it
    /// well below the lifetime of the credentials, or they are fetched again on every call.
    pub fn refresh_margin(mut self, margin: Duration) -> Self {
        self.settings.refresh_margin = margin;
        self
    }

    /// Makes the provider. Nothing is fetched before credentials are first asked for.
    pub fn build(self) -> InstanceRoleProvider {
        let margin = self.settings.refresh_margin;
        let fetcher = InstanceRole {
            settings: self.settings,
            state: Mutex::new(FetchState::default()),
        };
        InstanceRoleProvider {
            inner: Arc::new(Refreshing::new(
                fetcher,
                "CVM instance role credentials",
                margin,
            )),
        }
    }
}

fn checked_base_url(base: &str) -> Result<String, CredentialsError> {
    match reqwest::Url::parse(base) {
        Ok(url) if matches!(url.scheme(), "http" | "https") => Ok(base.to_owned()),
        _ => Err(CredentialsError::invalid(
            format!("metadata service URL {base}"),
            "is not an http:// or https:// URL",
        )),
    }
}

fn build_client(settings: &Settings) -> Result<reqwest::Client, CredentialsError> {
    let builder = crate::config::http_client_builder().map_err(|err| {
        CredentialsError::unavailable("HTTP client for the metadata service", err.to_string())
    })?;
    builder
        .connect_timeout(settings.connect_timeout)
        .timeout(settings.request_timeout)
        .no_proxy()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .map_err(|err| {
            CredentialsError::unavailable(
                "HTTP client for the metadata service",
                format!("could not be created ({})", root_cause(&err)),
            )
        })
}

/// Asks the metadata service which role is attached to the instance.
async fn discover_role(
    client: &reqwest::Client,
    base: &str,
    settings: &Settings,
) -> Result<String, CredentialsError> {
    let answer = get(client, base).await.map_err(|failure| {
        let reason = format!("unreachable at {base}: {}", failure.describe(settings));
        if failure.is_unreachable() {
            CredentialsError::not_found("metadata service", reason)
        } else {
            CredentialsError::unavailable("metadata service", reason)
        }
    })?;
    let no_role = |why: &str| {
        CredentialsError::not_found(
            "metadata service",
            format!("at {base} names no CAM role for this instance ({why})"),
        )
    };
    match answer.status {
        200..=299 => {}
        404 => return Err(no_role("HTTP 404")),
        status => {
            return Err(CredentialsError::unavailable(
                "metadata service",
                format!("answered HTTP {status} at {base}"),
            ));
        }
    }
    let not_a_role = || {
        CredentialsError::unavailable(
            "metadata service",
            format!("answered something that is not a role name at {base}"),
        )
    };
    let text = std::str::from_utf8(&answer.body).map_err(|_| not_a_role())?;
    let Some(role) = text.lines().map(str::trim).find(|line| !line.is_empty()) else {
        return Err(no_role("empty answer"));
    };
    if !is_role_name(role) {
        return Err(not_a_role());
    }
    Ok(role.to_owned())
}

/// CAM role names: letters, digits and `+=,.@_-`, at most 128 of them.
fn is_role_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 128
        && name != "."
        && name != ".."
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "+=,.@_-".contains(c))
}

struct Answer {
    status: u16,
    body: Vec<u8>,
}

enum GetFailure {
    Transport(reqwest::Error),
    TooLong,
}

impl GetFailure {
    /// The service is not there (or not answering), as opposed to answering badly.
    fn is_unreachable(&self) -> bool {
        match self {
            Self::Transport(err) => err.is_connect() || err.is_timeout(),
            Self::TooLong => false,
        }
    }

    fn describe(&self, settings: &Settings) -> String {
        match self {
            Self::Transport(err) if err.is_timeout() && err.is_connect() => {
                format!("connect timeout after {:?}", settings.connect_timeout)
            }
            Self::Transport(err) if err.is_timeout() => {
                format!("no complete answer within {:?}", settings.request_timeout)
            }
            Self::Transport(err) if err.is_connect() => {
                format!("could not connect ({})", root_cause(err))
            }
            Self::Transport(err) => format!("request failed ({})", root_cause(err)),
            Self::TooLong => format!("answer longer than {MAX_ANSWER_BYTES} bytes"),
        }
    }
}

/// One GET, with the answer read whole (up to [`MAX_ANSWER_BYTES`]).
async fn get(client: &reqwest::Client, url: &str) -> Result<Answer, GetFailure> {
    let mut response = client
        .get(url)
        .send()
        .await
        .map_err(GetFailure::Transport)?;
    let status = response.status().as_u16();
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(GetFailure::Transport)? {
        if body.len() + chunk.len() > MAX_ANSWER_BYTES {
            return Err(GetFailure::TooLong);
        }
        body.extend_from_slice(&chunk);
    }
    Ok(Answer { status, body })
}

/// The innermost error's message ("Connection refused (os error 111)"), without the URL and
/// wrapping that reqwest adds.
fn root_cause(err: &(dyn std::error::Error + 'static)) -> String {
    let mut current = err;
    while let Some(source) = current.source() {
        current = source;
    }
    current.to_string()
}

/// Reads the credentials answer. Its text holds the secret key, so errors name fields and
/// problems but never quote it.
fn parse_credentials(
    body: &[u8],
    role: &str,
    now: SystemTime,
) -> Result<Credentials, CredentialsError> {
    let bad = |problem: String| {
        CredentialsError::unavailable(
            "metadata service",
            format!("answered for role {role} {problem}"),
        )
    };
    let value: Value = serde_json::from_slice(body).map_err(|err| {
        bad(format!(
            "with text that is not valid JSON (error at line {}, column {})",
            err.line(),
            err.column()
        ))
    })?;
    let Value::Object(object) = value else {
        return Err(bad("with JSON that is not an object".to_owned()));
    };
    match object.get("Code").and_then(Value::as_str) {
        Some("Success") => {}
        Some(code) if is_plain_code(code) => {
            return Err(bad(format!("with Code {code} instead of Success")));
        }
        Some(_) => return Err(bad("with an unexpected Code".to_owned())),
        None => return Err(bad("without a Code".to_owned())),
    }
    let text = |field: &str| -> Result<&str, CredentialsError> {
        let found = object
            .get(field)
            .and_then(Value::as_str)
            .ok_or_else(|| bad(format!("without {field} as a string")))?;
        check_value(format!("{field} from the metadata service"), found)?;
        Ok(found)
    };
    let secret_id = text("TmpSecretId")?;
    let secret_key = text("TmpSecretKey")?;
    let token = text("Token")?;
    let expires_at = expiry_time(object.get("ExpiredTime"))
        .ok_or_else(|| bad("without ExpiredTime as a number of seconds".to_owned()))?;
    if expires_at <= now {
        return Err(bad(format!(
            "with credentials that expired at {} (is the system clock right?)",
            describe_time(expires_at)
        )));
    }
    Ok(Credentials::new(secret_id, secret_key)
        .with_token(token)
        .with_expiry(expires_at))
}

/// A `Code` worth quoting: short, and made of the characters error codes use.
fn is_plain_code(code: &str) -> bool {
    code.len() <= 64
        && code
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::credentials::CredentialsErrorKind;
    use std::time::UNIX_EPOCH;

    const KEY: &str = "Zq8tmpSecretKeyValue";

    fn now() -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(1_700_000_000)
    }

    fn parse(body: &str) -> Result<Credentials, CredentialsError> {
        parse_credentials(body.as_bytes(), "app-role", now())
    }

    #[test]
    fn reads_a_good_answer() {
        let body = format!(
            r#"{{"TmpSecretId":"AKIDtmp","TmpSecretKey":"{KEY}","Token":"tok-1","ExpiredTime":1700003600,"Expiration":"2023-11-14T23:13:20Z","Code":"Success"}}"#
        );
        let credentials = parse(&body).unwrap();
        assert_eq!(credentials.secret_id(), "AKIDtmp");
        assert_eq!(credentials.secret_key(), KEY);
        assert_eq!(credentials.token(), Some("tok-1"));
        assert_eq!(
            credentials.expires_at(),
            Some(UNIX_EPOCH + Duration::from_secs(1_700_003_600))
        );
    }

    #[test]
    fn bad_answers_name_the_problem_never_the_secret() {
        let cases = [
            (
                format!(r#"{{"TmpSecretKey":"{KEY}","Code":"Succ"#),
                "not valid JSON",
            ),
            (format!(r#"["{KEY}"]"#), "not an object"),
            (format!(r#"{{"TmpSecretKey":"{KEY}"}}"#), "without a Code"),
            (
                format!(r#"{{"TmpSecretKey":"{KEY}","Code":"InternalError"}}"#),
                "with Code InternalError instead of Success",
            ),
            (
                format!(r#"{{"TmpSecretKey":"{KEY}","Code":"{KEY} !"}}"#),
                "with an unexpected Code",
            ),
            (
                format!(
                    r#"{{"TmpSecretId":"AKIDtmp","TmpSecretKey":{{"v":"{KEY}"}},"Token":"t","ExpiredTime":1700003600,"Code":"Success"}}"#
                ),
                "without TmpSecretKey as a string",
            ),
            (
                format!(
                    r#"{{"TmpSecretId":"AKIDtmp","TmpSecretKey":"{KEY}","ExpiredTime":1700003600,"Code":"Success"}}"#
                ),
                "without Token as a string",
            ),
            (
                format!(
                    r#"{{"TmpSecretId":"AKIDtmp","TmpSecretKey":"{KEY}","Token":"t","ExpiredTime":"soon","Code":"Success"}}"#
                ),
                "without ExpiredTime as a number of seconds",
            ),
            (
                format!(
                    r#"{{"TmpSecretId":"AKIDtmp","TmpSecretKey":"{KEY}","Token":"t","ExpiredTime":1699999999,"Code":"Success"}}"#
                ),
                "expired at unix time 1699999999",
            ),
            (
                format!(
                    r#"{{"TmpSecretId":"AKIDtmp","TmpSecretKey":"{KEY}\n","Token":"t","ExpiredTime":1700003600,"Code":"Success"}}"#
                ),
                "TmpSecretKey from the metadata service has leading or trailing whitespace",
            ),
        ];
        for (body, expected) in cases {
            let err = parse(&body).unwrap_err();
            let shown = format!("{err} {err:?}");
            assert!(shown.contains(expected), "{shown} lacks {expected}");
            assert!(!shown.contains("Zq8"), "{shown}");
            assert!(!err.is_not_found(), "{shown}");
        }
    }

    #[test]
    fn role_names_are_checked() {
        for good in ["app-role", "CVM_QcsRole", "a.b@c+d=e,f"] {
            assert!(is_role_name(good), "{good}");
        }
        for bad in ["", ".", "..", "a/b", "a b", "<html>", &"r".repeat(129)] {
            assert!(!is_role_name(bad), "{bad}");
        }
    }

    #[tokio::test]
    async fn bad_settings_are_invalid() {
        let err = InstanceRoleProvider::builder()
            .base_url("ftp://example.com/")
            .build()
            .provide_credentials()
            .await
            .unwrap_err();
        assert_eq!(err.kind(), CredentialsErrorKind::Invalid, "{err}");

        let err = InstanceRoleProvider::builder()
            .base_url("http://127.0.0.1:1")
            .role_name("../admin")
            .build()
            .provide_credentials()
            .await
            .unwrap_err();
        assert_eq!(err.kind(), CredentialsErrorKind::Invalid, "{err}");
        assert!(err.to_string().contains("is not a CAM role name"), "{err}");
    }

    #[test]
    fn builder_adds_the_final_slash_and_debug_shows_settings() {
        let provider = InstanceRoleProvider::builder()
            .base_url("http://127.0.0.1:9/meta")
            .role_name("app-role")
            .build();
        let shown = format!("{provider:?}");
        assert!(shown.contains("\"http://127.0.0.1:9/meta/\""), "{shown}");
        assert!(shown.contains("app-role"), "{shown}");
    }
}
