//! The narrow interface between generated service code and the hand-written runtime.
//!
//! Generated code describes each action with [`Action`], each service version with [`ServiceInfo`],
//! and sends requests through a [`Handle`]. List actions page with a [`Paginator`]. Users rarely
//! need this module directly, except to name the paginator types.

pub(crate) mod decode;
pub(crate) mod handle;
mod members;
mod multipart;
mod paginate;
mod stream;
mod wire;

pub use bytes::Bytes;
pub use decode::decode_response;
pub use handle::{CONTENT_TYPE_JSON, Handle, REQUEST_CLIENT, Sending, SignedRequest, Streaming};
pub(crate) use members::short_type_name;
pub use members::{Call, Input, IntoMember, Member, Params, Request, redact_member, redact_within};
pub use paginate::{Items, PageIndex, Paginated, Paginator};
pub use stream::{Event, EventStream};
pub use wire::{Fields, Response, Slot, Writer, deserialize_fields};

/// The derives of generated structures and error enums (see `tencentcloud-sdk-derive`).
pub use tencentcloud_sdk_derive::{ErrorCode, Fields, Input};

pub use crate::__action as action;
pub use crate::__setter as setter;
pub use crate::error::{BuildError, ErrorKind};

use std::borrow::Cow;

use crate::config::ConfigError;

#[doc(hidden)]
pub use serde;
pub use serde::de::MapAccess;
#[doc(hidden)]
pub use serde_json;

/// A service version: the name in the credential scope, the API version and the host prefix.
///
/// Generated code makes one per version with [`ServiceInfo::new`]; a
/// [`GenericClient`](crate::generic::GenericClient) makes one from names known only at run time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceInfo {
    name: Cow<'static, str>,
    version: Cow<'static, str>,
    endpoint_prefix: Cow<'static, str>,
}

impl ServiceInfo {
    /// A service version known when the program is compiled.
    pub const fn new(
        name: &'static str,
        version: &'static str,
        endpoint_prefix: &'static str,
    ) -> Self {
        Self {
            name: Cow::Borrowed(name),
            version: Cow::Borrowed(version),
            endpoint_prefix: Cow::Borrowed(endpoint_prefix),
        }
    }

    /// A service version named at run time, reached at `<name>.tencentcloudapi.com`.
    ///
    /// The name must be a host label (lowercase letters, digits and `-`) and the version a
    /// date such as `2017-03-12`; the error names the one at fault.
    pub fn named(
        name: impl Into<Cow<'static, str>>,
        version: impl Into<Cow<'static, str>>,
    ) -> Result<Self, ConfigError> {
        let (name, version) = (name.into(), version.into());
        let label = |text: &str| {
            !text.is_empty()
                && text.len() <= 63
                && text
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        };
        if !label(&name) {
            return Err(ConfigError::new(
                "service",
                format!("`{name}` is not a service name (lowercase letters, digits and `-`)"),
            ));
        }
        let date = version.len() == 10
            && version.bytes().enumerate().all(|(i, b)| match i {
                4 | 7 => b == b'-',
                _ => b.is_ascii_digit(),
            });
        if !date {
            return Err(ConfigError::new(
                "version",
                format!("`{version}` is not an API version (a date such as 2017-03-12)"),
            ));
        }
        Ok(Self {
            endpoint_prefix: name.clone(),
            name,
            version,
        })
    }

    /// The service's short name as used in the credential scope (`dts`).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The API version sent as `X-TC-Version` (`2018-03-30`).
    pub fn version(&self) -> &str {
        &self.version
    }

    /// The first label of the service's host (`dts` in `dts.tencentcloudapi.com`).
    pub fn endpoint_prefix(&self) -> &str {
        &self.endpoint_prefix
    }
}

/// Whether an action's name says it only reads, and so may be sent again after a failure that
/// leaves its outcome unknown: `Describe`, `Get`, `List` or `Inquire` followed by the next word
/// (`DescribeInstances`, `GetUser`) or by nothing. `Getaway` and `Listener` are not reads.
///
/// Generated actions whose spec says nothing of idempotency follow the same rule (the code
/// generator has its own copy, and a test holds the two to the same answers), and so do
/// [generic calls](crate::generic).
pub fn is_read_action(name: &str) -> bool {
    ["Describe", "Get", "List", "Inquire"].iter().any(|verb| {
        let Some(rest) = name.strip_prefix(verb) else {
            return false;
        };
        rest.chars()
            .next()
            .is_none_or(|next| next.is_ascii_uppercase())
    })
}

/// Wire name of the request member that makes a repeated request harmless.
pub const CLIENT_TOKEN: &str = "ClientToken";

/// What the runtime needs to know about an action to send it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct ActionInfo {
    /// The action's name, sent as `X-TC-Action`.
    pub name: &'static str,
    /// Whether sending the request twice has the same effect as sending it once, whatever it
    /// holds. The spec says so with its `idempotent` key; without one, actions that only read
    /// (named `Describe…`, `Get…`, `List…` or `Inquire…`) are idempotent and the others are not.
    pub idempotent: bool,
    /// The documented rate limit in requests per second, when the spec gives one.
    pub rate_limit: Option<u32>,
    /// The wire names of the members a request must set.
    pub required: &'static [&'static str],
    /// Whether the action takes a `ClientToken` string: the service carries out the requests
    /// that share a non-empty token only once, so repeating a request that holds one is
    /// harmless.
    pub client_token: bool,
    /// Whether requests are signed. A few actions (those that make temporary credentials from
    /// another proof of identity) are sent without a signature.
    pub signed: bool,
    /// Whether requests go as `multipart/form-data` (actions that upload a file) rather than
    /// JSON.
    pub multipart: bool,
}

impl ActionInfo {
    /// An action that is signed, sent as JSON, not idempotent, without limits or required
    /// members; the other methods change one of these.
    pub const fn new(name: &'static str) -> Self {
        Self {
            name,
            idempotent: false,
            rate_limit: None,
            required: &[],
            client_token: false,
            signed: true,
            multipart: false,
        }
    }

    /// Marks the action idempotent.
    pub const fn idempotent(mut self) -> Self {
        self.idempotent = true;
        self
    }

    /// Sets the documented rate limit.
    pub const fn rate_limit(mut self, per_second: u32) -> Self {
        self.rate_limit = Some(per_second);
        self
    }

    /// Sets the required members.
    pub const fn required(mut self, members: &'static [&'static str]) -> Self {
        self.required = members;
        self
    }

    /// Marks the action as taking a `ClientToken`.
    pub const fn client_token(mut self) -> Self {
        self.client_token = true;
        self
    }

    /// Marks the action as sent without a signature.
    pub const fn unsigned(mut self) -> Self {
        self.signed = false;
        self
    }

    /// Marks the action as sent as `multipart/form-data`.
    pub const fn multipart(mut self) -> Self {
        self.multipart = true;
        self
    }
}

/// One action of one service version. Generated code implements it on a type named after the
/// action (`DescribeInstances`), which is never built: it only names the action in
/// [`Request`], [`Call`] and [`Sending`]. See [`action!`](crate::runtime::action).
pub trait Action: Sized + Send + Sync + 'static {
    /// How to send the action.
    const INFO: ActionInfo;
    /// The decoded answer.
    type Output: Response + serde::de::DeserializeOwned;
    /// The error enum of the action (often shared by every action of its service).
    type Error: ErrorKind;
    /// The action's own call type, which wraps a [`Call`] and adds a setter per member.
    type Call<T>: From<Call<Self, T>>;
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
