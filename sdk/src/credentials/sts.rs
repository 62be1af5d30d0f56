//! What the providers that ask STS (Security Token Service) for role credentials share: the
//! client, the checks of their settings, the reading of the answer and the wording of failures.

use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde_json::Value;

use super::{CredentialsError, SharedCredentialsProvider, check_value, describe_time, expiry_time};
use crate::generic::GenericClient;
use crate::{Config, Credentials, GenericError, InvalidResponseKind, RetryConfig, SdkError};

/// The service name and API version of STS.
const SERVICE: &str = "sts";
const VERSION: &str = "2018-08-13";
/// The region the STS calls are sent to unless told otherwise, as in the official SDKs.
pub(super) const DEFAULT_REGION: &str = "ap-guangzhou";
/// What the role credentials are asked to last, unless told otherwise.
pub(super) const DEFAULT_DURATION: Duration = Duration::from_secs(7200);
/// The longest lifetime STS gives role credentials.
pub(super) const MAX_DURATION: Duration = Duration::from_secs(43_200);
/// How long before they expire role credentials are fetched again, unless told otherwise.
pub(super) const DEFAULT_REFRESH_MARGIN: Duration = Duration::from_secs(5 * 60);
/// The time allowed for a whole STS call, retries included, unless told otherwise.
pub(super) const DEFAULT_TIMEOUT: Duration = Duration::from_secs(20);
/// STS answers are about a kilobyte; anything much longer is not STS.
const MAX_ANSWER_BYTES: u64 = 64 * 1024;
/// How far beyond the asked lifetime an `ExpiredTime` may lie: a machine clock that is behind
/// by up to a day still works, a time further out is not believed.
const EXPIRY_SLACK: Duration = Duration::from_secs(24 * 60 * 60);
/// The prefix of the session names this SDK makes up, followed by the time in microseconds.
const SESSION_NAME_PREFIX: &str = "tencentcloud-rust-sdk-";

/// Where and how an STS call is sent.
#[derive(Clone, Debug)]
pub(super) struct Target {
    pub(super) region: String,
    pub(super) endpoint: Option<String>,
    pub(super) timeout: Duration,
}

impl Default for Target {
    fn default() -> Self {
        Self {
            region: DEFAULT_REGION.to_owned(),
            endpoint: None,
            timeout: DEFAULT_TIMEOUT,
        }
    }
}

/// A client of STS for `action`, signing with `source` (or not signing at all, when the calls are
/// sent [`unsigned`](crate::generic::GenericCall::unsigned), in which case `source` is never
/// asked).
pub(super) fn client(
    action: &'static str,
    target: &Target,
    source: SharedCredentialsProvider,
) -> Result<GenericClient, CredentialsError> {
    let config_error = |err: crate::ConfigError| {
        CredentialsError::invalid(
            err.setting(),
            format!("cannot be used for STS {action}: {err}"),
        )
    };
    let mut builder = Config::builder()
        .credentials_provider(source)
        .region(target.region.clone())
        .timeout(target.timeout)
        .operation_timeout(Some(target.timeout))
        .max_response_size(MAX_ANSWER_BYTES)
        .retry(RetryConfig::standard());
    if let Some(endpoint) = &target.endpoint {
        builder = builder.endpoint(endpoint.clone());
    }
    let config = builder.build().map_err(config_error)?;
    GenericClient::new(config, SERVICE, VERSION).map_err(config_error)
}

/// Checks a role session name: 2 to 128 letters, digits and `+=,.@_-`.
pub(super) fn check_session_name(name: &str) -> Result<(), CredentialsError> {
    let length = name.chars().count();
    if !(2..=128).contains(&length) {
        return Err(CredentialsError::invalid(
            "session_name",
            format!("must be 2 to 128 characters long, not {length}"),
        ));
    }
    let allowed = |c: char| c.is_ascii_alphanumeric() || "+=,.@_-".contains(c);
    if !name.chars().all(allowed) {
        return Err(CredentialsError::invalid(
            "session_name",
            "may only hold letters, digits and +=,.@_-",
        ));
    }
    Ok(())
}

/// A session name for this moment: the SDK's prefix and the time in microseconds.
pub(super) fn generated_session_name(now: SystemTime) -> String {
    let micros = now
        .duration_since(UNIX_EPOCH)
        .map(|since| since.as_micros())
        .unwrap_or_default();
    format!("{SESSION_NAME_PREFIX}{micros}")
}

/// Checks the lifetime asked for and the refresh margin, and gives `DurationSeconds`.
pub(super) fn check_duration(
    duration: Duration,
    margin: Duration,
) -> Result<u64, CredentialsError> {
    if duration.is_zero() || duration > MAX_DURATION {
        return Err(CredentialsError::invalid(
            "duration",
            format!(
                "must be from 1 to {} seconds, not {duration:?}",
                MAX_DURATION.as_secs()
            ),
        ));
    }
    if duration.subsec_nanos() != 0 {
        return Err(CredentialsError::invalid(
            "duration",
            format!("must be a whole number of seconds, not {duration:?}"),
        ));
    }
    if margin >= duration {
        return Err(CredentialsError::invalid(
            "refresh_margin",
            format!(
                "({margin:?}) must be shorter than the duration ({duration:?}), or the \
                 credentials would be fetched again on every call"
            ),
        ));
    }
    Ok(duration.as_secs())
}

/// `text` with every byte outside the unreserved characters of RFC 3986 (letters, digits and
/// `-._~`) written as `%XX`.
pub(super) fn url_encode(text: &str) -> String {
    let mut encoded = String::with_capacity(text.len() * 3);
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            encoded.push(char::from(byte));
        } else {
            encoded.push('%');
            encoded.push(hex_digit(byte >> 4));
            encoded.push(hex_digit(byte & 0x0f));
        }
    }
    encoded
}

fn hex_digit(value: u8) -> char {
    char::from(b"0123456789ABCDEF"[usize::from(value & 0x0f)])
}

/// Reads the `Response` object of an `AssumeRole…` answer into credentials.
///
/// `source` names the call in errors ("STS AssumeRole"), `longest` is the lifetime asked for.
/// The answer holds the secret key and the token, so errors name fields but never quote values.
pub(super) fn read_credentials(
    source: &'static str,
    response: &Value,
    now: SystemTime,
    longest: Duration,
) -> Result<Credentials, CredentialsError> {
    let bad =
        |problem: String| CredentialsError::unavailable(source, format!("answered {problem}"));
    let Some(Value::Object(found)) = response.get("Credentials") else {
        return Err(bad("without Credentials as an object".to_owned()));
    };
    let text = |field: &'static str| -> Result<&str, CredentialsError> {
        let value = found
            .get(field)
            .and_then(Value::as_str)
            .ok_or_else(|| bad(format!("without Credentials.{field} as a string")))?;
        check_value(field, value)
            .map_err(|err| bad(format!("a Credentials.{field} that {}", err.reason())))?;
        Ok(value)
    };
    let secret_id = text("TmpSecretId")?;
    let secret_key = text("TmpSecretKey")?;
    let token = text("Token")?;
    let expires_at = expiry_time(response.get("ExpiredTime"))
        .ok_or_else(|| bad("without ExpiredTime as a number of seconds".to_owned()))?;
    if expires_at <= now {
        return Err(bad(format!(
            "credentials that expired at {} (is the system clock right?)",
            describe_time(expires_at)
        )));
    }
    if expires_at > now + longest + EXPIRY_SLACK {
        return Err(bad(format!(
            "an ExpiredTime ({}) much further away than the {} seconds asked for",
            describe_time(expires_at),
            longest.as_secs()
        )));
    }
    let credentials = Credentials::new(secret_id, secret_key)
        .with_token(token)
        .with_expiry(expires_at);
    credentials
        .validate()
        .map_err(|err| bad(format!("unusable credentials ({})", err.reason())))?;
    Ok(credentials)
}

/// The `RequestId` of an answer, when it looks like one (it is only used in logs).
pub(super) fn request_id(response: &Value) -> &str {
    response
        .get("RequestId")
        .and_then(Value::as_str)
        .filter(|id| is_plain(id))
        .unwrap_or_default()
}

/// Text from the service worth quoting: short, made of the characters codes and ids use.
fn is_plain(text: &str) -> bool {
    !text.is_empty()
        && text.len() <= 128
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
}

/// Turns a failed STS call into a credentials error naming `source` ("STS AssumeRole"). The
/// message of a service error is kept, with `secret` (a value sent in the request that the
/// service might echo) blotted out of it; the body of an unusable answer never is, since it may
/// hold credentials.
pub(super) fn describe_failure(
    source: &'static str,
    err: SdkError<GenericError>,
    secret: Option<&str>,
) -> CredentialsError {
    let request_id = |id: Option<&str>| match id.filter(|id| is_plain(id)) {
        Some(id) => format!("RequestId: {id}"),
        None => "no RequestId".to_owned(),
    };
    match err {
        SdkError::Service(service) => {
            let code = if is_plain(service.code()) {
                service.code()
            } else {
                "an unexpected error code"
            };
            let mut message = service.message().to_owned();
            if let Some(secret) = secret.filter(|secret| !secret.is_empty()) {
                message = message.replace(secret, "<redacted>");
            }
            let message = message.chars().take(200).collect::<String>();
            CredentialsError::unavailable(
                source,
                format!(
                    "failed with {code}: {message} ({}, HTTP {})",
                    request_id(Some(service.request_id())),
                    service.http_status()
                ),
            )
        }
        SdkError::InvalidResponse(invalid) => {
            let what = match invalid.kind() {
                InvalidResponseKind::HttpStatus => "an error status without an API error",
                InvalidResponseKind::Empty => "an empty body",
                InvalidResponseKind::NotJson => "a body that is not JSON",
                InvalidResponseKind::Truncated => "a truncated body",
                InvalidResponseKind::Shape(_) => "JSON that is not an API answer",
                InvalidResponseKind::TooLarge { .. } => "a body longer than 64 KiB",
                InvalidResponseKind::ImplausibleDate { .. } => {
                    "a signature error with an implausible Date header"
                }
            };
            CredentialsError::unavailable(
                source,
                format!(
                    "answered {what} (HTTP {}, {})",
                    invalid.http_status(),
                    request_id(invalid.request_id())
                ),
            )
        }
        SdkError::Credentials(err) if err.is_not_found() => CredentialsError::invalid(
            format!("source credentials for {source}"),
            format!("were not found ({err})"),
        ),
        SdkError::Credentials(err) => err,
        SdkError::Transport(err) => {
            CredentialsError::unavailable(source, format!("could not be reached: {err}"))
        }
        SdkError::Timeout(err) => {
            CredentialsError::unavailable(source, format!("did not answer in time: {err}"))
        }
        SdkError::Build(err) => {
            CredentialsError::invalid(source, format!("request could not be made: {err}"))
        }
    }
}

/// A stand-in credentials source for clients whose calls are all sent unsigned: never asked.
pub(super) struct NoCredentials(pub(super) &'static str);

impl fmt::Debug for NoCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("NoCredentials")
    }
}

impl super::ProvideCredentials for NoCredentials {
    fn provide_credentials(&self) -> super::ProvideFuture<'_> {
        Box::pin(std::future::ready(Err(CredentialsError::invalid(
            self.0,
            "is sent unsigned and takes no credentials",
        ))))
    }

    fn name(&self) -> &str {
        "no credentials"
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::credentials::CredentialsErrorKind;
    use serde_json::json;

    fn now() -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(1_700_000_000)
    }

    fn answer(credentials: Value, expired_time: Value) -> Value {
        json!({
            "Credentials": credentials,
            "ExpiredTime": expired_time,
            "Expiration": "2023-11-14T23:13:20Z",
            "RequestId": "r-1",
        })
    }

    #[test]
    fn reads_a_good_answer() {
        let response = answer(
            json!({"TmpSecretId": "AKIDtmp", "TmpSecretKey": "Zq8-key", "Token": "Zq8-token"}),
            json!(1_700_007_200),
        );
        let credentials =
            read_credentials("STS AssumeRole", &response, now(), DEFAULT_DURATION).unwrap();
        assert_eq!(credentials.secret_id(), "AKIDtmp");
        assert_eq!(credentials.secret_key(), "Zq8-key");
        assert_eq!(credentials.token(), Some("Zq8-token"));
        assert_eq!(
            credentials.expires_at(),
            Some(UNIX_EPOCH + Duration::from_secs(1_700_007_200))
        );
        assert_eq!(request_id(&response), "r-1");
    }

    #[test]
    fn bad_answers_name_the_field_never_the_value() {
        let good = json!({"TmpSecretId": "AKIDtmp", "TmpSecretKey": "Zq8-key", "Token": "Zq8-t"});
        let without = |field: &str| {
            let mut credentials = good.clone();
            credentials.as_object_mut().unwrap().remove(field);
            credentials
        };
        let with = |field: &str, value: Value| {
            let mut credentials = good.clone();
            credentials[field] = value;
            credentials
        };
        let cases = [
            (
                answer(json!("Zq8-key"), json!(1_700_007_200)),
                "without Credentials as an object",
            ),
            (
                answer(without("TmpSecretKey"), json!(1_700_007_200)),
                "without Credentials.TmpSecretKey as a string",
            ),
            (
                answer(with("Token", json!("")), json!(1_700_007_200)),
                "a Credentials.Token that is empty",
            ),
            (
                answer(
                    with("TmpSecretKey", json!("Zq8-key\n")),
                    json!(1_700_007_200),
                ),
                "a Credentials.TmpSecretKey that has leading or trailing whitespace",
            ),
            (
                answer(with("TmpSecretId", json!(17)), json!(1_700_007_200)),
                "without Credentials.TmpSecretId as a string",
            ),
            (
                answer(good.clone(), json!("soon")),
                "without ExpiredTime as a number",
            ),
            (
                answer(good.clone(), json!(-5)),
                "without ExpiredTime as a number",
            ),
            (
                answer(good.clone(), json!(1e300)),
                "without ExpiredTime as a number",
            ),
            (
                answer(good.clone(), json!(1_699_999_000)),
                "expired at unix time 1699999000",
            ),
            (
                answer(good.clone(), json!(1_800_000_000)),
                "much further away than the 7200 seconds asked for",
            ),
        ];
        for (response, expected) in cases {
            let err =
                read_credentials("STS AssumeRole", &response, now(), DEFAULT_DURATION).unwrap_err();
            let shown = format!("{err} {err:?}");
            assert_eq!(err.kind(), CredentialsErrorKind::Unavailable, "{shown}");
            assert_eq!(err.source_name(), "STS AssumeRole", "{shown}");
            assert!(shown.contains(expected), "{shown} lacks {expected}");
            assert!(!shown.contains("Zq8"), "{shown}");
        }
    }

    #[test]
    fn session_names_durations_and_margins_are_checked() {
        for good in ["ab", "app-session", "a+b=c,d.e@f_g-h", &"s".repeat(128)] {
            check_session_name(good).unwrap();
        }
        for bad in ["", "a", "has space", "slash/", "ü-nicode", &"s".repeat(129)] {
            let err = check_session_name(bad).unwrap_err();
            assert_eq!(err.source_name(), "session_name", "{bad}");
        }
        check_session_name(&generated_session_name(SystemTime::now())).unwrap();

        let minute = Duration::from_secs(60);
        assert_eq!(check_duration(DEFAULT_DURATION, minute).unwrap(), 7200);
        assert_eq!(check_duration(MAX_DURATION, minute).unwrap(), 43_200);
        for (duration, named) in [
            (Duration::ZERO, "duration"),
            (MAX_DURATION + Duration::from_secs(1), "duration"),
            (Duration::from_millis(90_500), "duration"),
            (minute, "refresh_margin"),
        ] {
            let err = check_duration(duration, minute).unwrap_err();
            assert_eq!(err.source_name(), named, "{err}");
        }
    }

    #[test]
    fn url_encoding_keeps_only_unreserved_characters() {
        assert_eq!(url_encode("aZ09-._~"), "aZ09-._~");
        assert_eq!(
            url_encode(r#"{"version":"2.0", "a/b":"é"}"#),
            "%7B%22version%22%3A%222.0%22%2C%20%22a%2Fb%22%3A%22%C3%A9%22%7D"
        );
    }
}
