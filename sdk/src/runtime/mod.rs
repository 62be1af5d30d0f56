//! The narrow interface between generated service code and the hand-written runtime.
//!
//! Generated code describes each action with [`Action`], each service version with [`ServiceInfo`],
//! and sends requests through a [`Handle`]. List actions page with a [`Paginator`]. Users rarely
//! need this module directly, except to name the paginator types.

mod decode;
mod handle;
mod paginate;

pub use decode::decode_response;
pub use handle::{CONTENT_TYPE_JSON, Handle, REQUEST_CLIENT, SignedRequest};
pub use paginate::{Items, PageIndex, Paginated, Paginator};

pub use crate::error::{BuildError, ErrorKind};

use serde::Serialize;
use serde::de::DeserializeOwned;

/// A service version: the name in the credential scope, the API version and the host prefix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ServiceInfo {
    /// The service's short name as used in the credential scope (`dts`).
    pub name: &'static str,
    /// The API version sent as `X-TC-Version` (`2018-03-30`).
    pub version: &'static str,
    /// The first label of the service's host (`dts` in `dts.tencentcloudapi.com`).
    pub endpoint_prefix: &'static str,
}

/// A request type of one action of one service version.
pub trait Action: Serialize + Send + Sync {
    /// The action's name, sent as `X-TC-Action`.
    const NAME: &'static str;
    /// The documented rate limit in requests per second, when the spec gives one.
    const RATE_LIMIT: Option<u32>;
    /// Whether sending the request twice has the same effect as sending it once, whatever it
    /// holds. The spec says so with its `idempotent` key; without one, actions that only read
    /// (named `Describe…`, `Get…`, `List…` or `Inquire…`) are idempotent and the others are not.
    const IDEMPOTENT: bool;
    /// The decoded answer.
    type Output: DeserializeOwned + Send;
    /// The action's error enum.
    type Error: ErrorKind;

    /// The request's `ClientToken`, for actions that take one: the service carries out the
    /// requests that share a token only once, so repeating a request that holds one is harmless.
    ///
    /// `None` when the action has no such member or the request leaves it unset.
    fn client_token(&self) -> Option<&str> {
        None
    }

    /// Whether this request may be sent again after a failure that leaves its outcome unknown,
    /// such as an `InternalError` or a connection lost once the request was sent: the runtime
    /// retries such failures only when this holds.
    ///
    /// It holds for [idempotent](Self::IDEMPOTENT) actions, and for any request carrying a
    /// non-empty [client token](Self::client_token). Failures showing that the service did not
    /// act on the request, such as throttling, may be retried whatever this says.
    fn safe_to_repeat(&self) -> bool {
        Self::IDEMPOTENT || self.client_token().is_some_and(|token| !token.is_empty())
    }
}

/// Stands in for a secret member (a database password, say) in generated `Debug` output: it shows
/// `<redacted>` when the member holds a value and `None` when it is unset.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Redacted {
    present: bool,
}

impl Redacted {
    /// The stand-in for `value`, which may be an `Option` or a plain value.
    pub fn of<T: MaybeSet>(value: &T) -> Self {
        Self {
            present: value.is_set(),
        }
    }
}

impl std::fmt::Debug for Redacted {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.present { "<redacted>" } else { "None" })
    }
}

/// Whether a member holds a value, for [`Redacted`]: an `Option` may be unset, a `String` is set.
pub trait MaybeSet {
    /// Whether there is a value to hide.
    fn is_set(&self) -> bool;
}

impl<T> MaybeSet for Option<T> {
    fn is_set(&self) -> bool {
        self.is_some()
    }
}

impl MaybeSet for String {
    fn is_set(&self) -> bool {
        true
    }
}

/// A value outside a closed enum's list, refused when converting into that enum.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownValue {
    enum_name: &'static str,
    value: String,
}

impl UnknownValue {
    /// Records that `value` is not one of `enum_name`'s values.
    pub fn new(enum_name: &'static str, value: &str) -> Self {
        Self {
            enum_name,
            value: value.to_owned(),
        }
    }

    /// The value that was refused.
    pub fn value(&self) -> &str {
        &self.value
    }
}

impl std::fmt::Display for UnknownValue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "`{}` is not a value of {}", self.value, self.enum_name)
    }
}

impl std::error::Error for UnknownValue {}

/// Reads a percentage such as `"30"` (as the service sends progress) into a number from 0 to 100.
///
/// Surrounding whitespace and a trailing `%` are accepted, and fractions are rounded down; anything
/// else, including values outside 0..=100, gives `None`.
pub fn parse_percent(text: &str) -> Option<u8> {
    let text = text.trim();
    let text = text.strip_suffix('%').unwrap_or(text).trim_end();
    if let Ok(whole) = text.parse::<u8>() {
        return (whole <= 100).then_some(whole);
    }
    let value: f64 = text.parse().ok()?;
    if (0.0..=100.0).contains(&value) {
        // In range, so the conversion is exact after flooring.
        Some(value.floor() as u8)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::parse_percent;

    #[test]
    fn percentages() {
        assert_eq!(parse_percent("30"), Some(30));
        assert_eq!(parse_percent("100"), Some(100));
        assert_eq!(parse_percent(" 7% "), Some(7));
        assert_eq!(parse_percent("99.9"), Some(99));
        assert_eq!(parse_percent("0"), Some(0));
        assert_eq!(parse_percent("101"), None);
        assert_eq!(parse_percent("-1"), None);
        assert_eq!(parse_percent(""), None);
        assert_eq!(parse_percent("NaN"), None);
        assert_eq!(parse_percent("abc"), None);
    }
}
