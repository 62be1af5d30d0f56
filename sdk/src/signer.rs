//! TC3-HMAC-SHA256, the request signature of Tencent Cloud API 3.0.
//!
//! The signer is a pure function of its inputs, so it can be used with any HTTP stack:
//!
//! ```
//! use tencentcloud_sdk::signer::{self, SigningInput};
//! use tencentcloud_sdk::Credentials;
//!
//! let credentials = Credentials::new("AKIDEXAMPLE", "example-key");
//! let payload = br#"{"JobId":"dts-1kl0iy0v"}"#;
//! let authorization = signer::authorization(&SigningInput {
//!     credentials: &credentials,
//!     service: "dts",
//!     host: "dts.tencentcloudapi.com",
//!     method: "POST",
//!     content_type: "application/json",
//!     canonical_query: "",
//!     payload,
//!     timestamp: 1_764_288_000,
//! });
//! assert!(authorization.starts_with(
//!     "TC3-HMAC-SHA256 Credential=AKIDEXAMPLE/2025-11-28/dts/tc3_request, SignedHeaders=content-type;host, Signature="
//! ));
//! ```
//!
//! The steps follow the published algorithm: a canonical request over the method, path `/`, the
//! query, the `content-type` and `host` headers and the SHA-256 of the payload; a string to sign
//! naming the algorithm, the timestamp, the credential scope (`<UTC date>/<service>/tc3_request`)
//! and the hash of the canonical request; and an HMAC-SHA256 chain that derives the signing key
//! from the secret key, the date and the service.
//!
//! The signing key depends only on the secret key, the UTC date and the service, so a client
//! derives it once a day ([`SigningKey::derive`]) and signs each request with
//! [`authorization_with_key`], or with a [`RequestSigner`] that has also hashed the part of the
//! canonical request every request to one host shares. Either streams the canonical request and
//! the string to sign straight into the hashes and allocates only the header it returns.

use hmac::{Hmac, KeyInit, Mac};
use sha2::{Digest, Sha256};

use crate::Credentials;
use crate::calendar::civil_from_days;

/// The algorithm name that starts every TC3 `Authorization` header.
pub const ALGORITHM: &str = "TC3-HMAC-SHA256";

/// The headers covered by the signature, in canonical order.
pub const SIGNED_HEADERS: &str = "content-type;host";

/// Everything the signature depends on.
#[derive(Debug, Clone, Copy)]
pub struct SigningInput<'a> {
    /// The key pair that signs; only the secret id and key are used (the session token travels in
    /// its own header and is not signed).
    pub credentials: &'a Credentials,
    /// The service's short name, as in the credential scope (`dts`).
    pub service: &'a str,
    /// The `Host` header exactly as sent, including a port when it is not the scheme's default.
    pub host: &'a str,
    /// `POST` or `GET`.
    pub method: &'a str,
    /// The `Content-Type` header exactly as sent.
    pub content_type: &'a str,
    /// The query string as sent, without the leading `?` (empty for POST).
    pub canonical_query: &'a str,
    /// The request body as sent (empty for GET).
    pub payload: &'a [u8],
    /// Seconds since the Unix epoch, also sent as `X-TC-Timestamp`.
    pub timestamp: u64,
}

/// The intermediate results of one signature, for debugging a mismatch step by step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SigningSteps {
    /// The canonical request that is hashed.
    pub canonical_request: String,
    /// The credential scope, `<date>/<service>/tc3_request`.
    pub credential_scope: String,
    /// The string that is signed with the derived key.
    pub string_to_sign: String,
    /// The hex signature.
    pub signature: String,
    /// The complete `Authorization` header value.
    pub authorization: String,
}

/// Signs a request and returns the `Authorization` header value.
///
/// Derives the signing key on every call; a client that signs many requests keeps a
/// [`SigningKey`] and calls [`authorization_with_key`] instead.
pub fn authorization(input: &SigningInput<'_>) -> String {
    let date = DateText::of(input.timestamp);
    let key = SigningKey::derive(input.credentials.secret_key(), date.as_str(), input.service);
    authorization_with_key(input, &key)
}

/// The key that signs every request of one secret key, UTC date and service: the end of the
/// HMAC-SHA256 chain `TC3<secret key>` → date → service → `tc3_request`.
///
/// `Debug` does not show it: whoever holds it can sign for that day.
#[derive(Clone)]
pub struct SigningKey {
    /// HMAC-SHA256 keyed with the derived key, ready to be cloned for each signature (the key's
    /// two padding blocks are already hashed).
    mac: Hmac<Sha256>,
    date: DateText,
}

impl SigningKey {
    /// Derives the key for `secret_key` on `date` (`YYYY-MM-DD`, the UTC date of the requests'
    /// timestamps) and `service` (`dts`).
    pub fn derive(secret_key: &str, date: &str, service: &str) -> Self {
        let mut prefixed = Vec::with_capacity(3 + secret_key.len());
        prefixed.extend_from_slice(b"TC3");
        prefixed.extend_from_slice(secret_key.as_bytes());
        let secret_date = hmac_sha256(&prefixed, date.as_bytes());
        let secret_service = hmac_sha256(&secret_date, service.as_bytes());
        let secret_signing = hmac_sha256(&secret_service, b"tc3_request");
        Self {
            mac: keyed(&secret_signing),
            date: DateText::from_text(date),
        }
    }

    /// Whether this key signs requests whose timestamp falls on `timestamp`'s UTC date.
    pub fn is_for_date_of(&self, timestamp: u64) -> bool {
        self.date == DateText::of(timestamp)
    }
}

impl std::fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SigningKey")
            .field("date", &self.date.as_str())
            .finish_non_exhaustive()
    }
}

/// Signs a request with a key derived beforehand and returns the `Authorization` header value,
/// the same as [`authorization`] gives when the key matches the credentials, the service and the
/// timestamp's date.
///
/// The credential scope names the key's date, so a key derived for another date than the
/// timestamp's gives a header the service refuses; check [`SigningKey::is_for_date_of`] first.
pub fn authorization_with_key(input: &SigningInput<'_>, key: &SigningKey) -> String {
    RequestSigner::new(
        input.method,
        input.canonical_query,
        input.content_type,
        input.host,
    )
    .authorization(
        key,
        input.credentials.secret_id(),
        input.service,
        input.payload,
        input.timestamp,
    )
}

/// Signs requests that share their method, query, content type and host, such as every POST a
/// client sends to one endpoint: the part of the canonical request they have in common is hashed
/// once, when the signer is made.
#[derive(Clone)]
pub struct RequestSigner {
    /// SHA-256 after the canonical request's fixed part: method, path, query, the two signed
    /// headers and the list of their names.
    prefix: Sha256,
}

impl RequestSigner {
    /// A signer for requests with this method, query string (without `?`), `Content-Type` and
    /// `Host` (as sent, with a port when it is not the scheme's default).
    pub fn new(method: &str, canonical_query: &str, content_type: &str, host: &str) -> Self {
        let mut prefix = Sha256::new();
        for part in [
            method.as_bytes(),
            b"\n/\n",
            canonical_query.as_bytes(),
            b"\ncontent-type:",
            content_type.as_bytes(),
            b"\nhost:",
            host.as_bytes(),
            b"\n\n",
            SIGNED_HEADERS.as_bytes(),
            b"\n",
        ] {
            prefix.update(part);
        }
        Self { prefix }
    }

    /// The `Authorization` header value of a request with this body, sent at `timestamp` by
    /// `secret_id` to `service`, signed with `key` (derived for that secret id's key, the
    /// timestamp's UTC date and the service).
    pub fn authorization(
        &self,
        key: &SigningKey,
        secret_id: &str,
        service: &str,
        payload: &[u8],
        timestamp: u64,
    ) -> String {
        // The key was derived for the timestamp's date, and the scope names that date.
        let date = &key.date;
        let mut timestamp_buffer = [0u8; 20];
        let timestamp = decimal(timestamp, &mut timestamp_buffer);

        // The canonical request ends with the payload's hash.
        let mut canonical = self.prefix.clone();
        canonical.update(hex_array(&Sha256::digest(payload).into()));
        let canonical_hash = hex_array(&canonical.finalize().into());

        // The string to sign, fed straight into the HMAC.
        let mut mac = key.mac.clone();
        for part in [
            ALGORITHM.as_bytes(),
            b"\n",
            timestamp,
            b"\n",
            date.as_str().as_bytes(),
            b"/",
            service.as_bytes(),
            b"/tc3_request\n",
            &canonical_hash,
        ] {
            mac.update(part);
        }
        let signature = hex_array(&mac.finalize().into_bytes().into());

        let mut header = String::with_capacity(
            AUTHORIZATION_FIXED_LEN + secret_id.len() + date.as_str().len() + service.len() + 64,
        );
        for part in [
            ALGORITHM,
            " Credential=",
            secret_id,
            "/",
            date.as_str(),
            "/",
            service,
            "/tc3_request, SignedHeaders=",
            SIGNED_HEADERS,
            ", Signature=",
            // Hex digits are ASCII.
            std::str::from_utf8(&signature).unwrap_or_default(),
        ] {
            header.push_str(part);
        }
        header
    }
}

impl std::fmt::Debug for RequestSigner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RequestSigner").finish_non_exhaustive()
    }
}

/// The length of the fixed text of an `Authorization` header.
const AUTHORIZATION_FIXED_LEN: usize = ALGORITHM.len()
    + " Credential=".len()
    + "//".len()
    + "/tc3_request, SignedHeaders=".len()
    + SIGNED_HEADERS.len()
    + ", Signature=".len();

/// Signs a request and returns every intermediate step along with the header.
///
/// Written step by step for reading and debugging, not for speed; [`authorization`] and
/// [`authorization_with_key`] give the same header faster.
pub fn sign(input: &SigningInput<'_>) -> SigningSteps {
    let date = utc_date(input.timestamp);
    let canonical_request = format!(
        "{method}\n/\n{query}\ncontent-type:{content_type}\nhost:{host}\n\n{signed}\n{payload_hash}",
        method = input.method,
        query = input.canonical_query,
        content_type = input.content_type,
        host = input.host,
        signed = SIGNED_HEADERS,
        payload_hash = hex(&Sha256::digest(input.payload)),
    );
    let credential_scope = format!("{date}/{}/tc3_request", input.service);
    let string_to_sign = format!(
        "{ALGORITHM}\n{}\n{credential_scope}\n{}",
        input.timestamp,
        hex(&Sha256::digest(canonical_request.as_bytes())),
    );

    let secret_date = hmac_sha256(
        format!("TC3{}", input.credentials.secret_key()).as_bytes(),
        date.as_bytes(),
    );
    let secret_service = hmac_sha256(&secret_date, input.service.as_bytes());
    let secret_signing = hmac_sha256(&secret_service, b"tc3_request");
    let signature = hex(&hmac_sha256(&secret_signing, string_to_sign.as_bytes()));

    let authorization = format!(
        "{ALGORITHM} Credential={}/{credential_scope}, SignedHeaders={SIGNED_HEADERS}, Signature={signature}",
        input.credentials.secret_id(),
    );
    SigningSteps {
        canonical_request,
        credential_scope,
        string_to_sign,
        signature,
        authorization,
    }
}

/// The canonical request of a request that signs any list of headers, for verifiers and for
/// clients that sign more headers than [`SIGNED_HEADERS`]: the method, path `/`, the query (without
/// `?`), a `name:value` line for each header, the names joined by `;`, and the hex SHA-256 of
/// the payload.
///
/// Names and values are written exactly as given and in the order given; the caller writes them
/// as the signature covers them (lowercase names, values trimmed). With `content-type` and
/// `host` only, this is the canonical request [`sign`] builds.
pub fn canonical_request(
    method: &str,
    canonical_query: &str,
    headers: &[(&str, &str)],
    payload: &[u8],
) -> String {
    let mut text = format!("{method}\n/\n{canonical_query}\n");
    for (name, value) in headers {
        text.push_str(name);
        text.push(':');
        text.push_str(value);
        text.push('\n');
    }
    text.push('\n');
    for (index, (name, _)) in headers.iter().enumerate() {
        if index > 0 {
            text.push(';');
        }
        text.push_str(name);
    }
    text.push('\n');
    text.push_str(&hex(&Sha256::digest(payload)));
    text
}

/// The hex signature of a canonical request (such as [`canonical_request`] gives) sent at
/// `timestamp` to `service` and signed with `secret_key`: the string to sign over the credential
/// scope `<UTC date of timestamp>/<service>/tc3_request`, under the key derived from the secret
/// key, that date and the service.
pub fn signature_of_canonical_request(
    secret_key: &str,
    service: &str,
    timestamp: u64,
    canonical_request: &str,
) -> String {
    let date = utc_date(timestamp);
    let key = SigningKey::derive(secret_key, &date, service);
    let string_to_sign = format!(
        "{ALGORITHM}\n{timestamp}\n{date}/{service}/tc3_request\n{}",
        hex(&Sha256::digest(canonical_request.as_bytes())),
    );
    let mut mac = key.mac;
    mac.update(string_to_sign.as_bytes());
    hex(&mac.finalize().into_bytes())
}

/// The UTC calendar date (`YYYY-MM-DD`) of a Unix timestamp, as used in the credential scope.
pub fn utc_date(timestamp: u64) -> String {
    let (year, month, day) = civil_from_days(timestamp / 86_400);
    format!("{year:04}-{month:02}-{day:02}")
}

fn keyed(key: &[u8]) -> Hmac<Sha256> {
    // HMAC accepts keys of any length, so this constructor cannot fail.
    <Hmac<Sha256> as KeyInit>::new_from_slice(key)
        .unwrap_or_else(|_| unreachable!("HMAC takes keys of any length"))
}

fn hmac_sha256(key: &[u8], message: &[u8]) -> [u8; 32] {
    let mut mac = keyed(key);
    mac.update(message);
    mac.finalize().into_bytes().into()
}

/// A `YYYY-MM-DD` date (years past 9999 take more digits) kept on the stack.
#[derive(Clone, Copy, PartialEq, Eq)]
struct DateText {
    bytes: [u8; 24],
    len: usize,
}

impl DateText {
    /// The UTC date of a Unix timestamp.
    fn of(timestamp: u64) -> Self {
        let (year, month, day) = civil_from_days(timestamp / 86_400);
        let mut text = Self {
            bytes: [0; 24],
            len: 0,
        };
        let mut year_digits = [0u8; 20];
        let year = decimal(year, &mut year_digits);
        for _ in year.len()..4 {
            text.push(b'0');
        }
        for &digit in year {
            text.push(digit);
        }
        for value in [month, day] {
            text.push(b'-');
            // Months and days have two digits; the conversion is exact.
            text.push(b'0' + (value / 10) as u8);
            text.push(b'0' + (value % 10) as u8);
        }
        text
    }

    /// A date given as text; longer text than fits is cut (a real date always fits).
    fn from_text(date: &str) -> Self {
        let mut text = Self {
            bytes: [0; 24],
            len: 0,
        };
        for &byte in date.as_bytes().iter().take(24) {
            text.push(byte);
        }
        text
    }

    fn push(&mut self, byte: u8) {
        if let Some(slot) = self.bytes.get_mut(self.len) {
            *slot = byte;
            self.len += 1;
        }
    }

    fn as_str(&self) -> &str {
        // Built from ASCII digits and `-`, or cut from a `str` at a byte that may split a
        // character; in that case the text is not a date anyway and nothing is shown.
        std::str::from_utf8(&self.bytes[..self.len]).unwrap_or_default()
    }
}

/// Writes `value` in decimal into `buffer` and returns the digits.
fn decimal(mut value: u64, buffer: &mut [u8; 20]) -> &[u8] {
    let mut start = buffer.len();
    loop {
        start -= 1;
        // A remainder below 10; the conversion is exact.
        buffer[start] = b'0' + (value % 10) as u8;
        value /= 10;
        if value == 0 {
            break;
        }
    }
    &buffer[start..]
}

/// The two lowercase hex digits of every byte.
const HEX_PAIRS: [[u8; 2]; 256] = {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut pairs = [[0u8; 2]; 256];
    let mut byte = 0;
    while byte < 256 {
        pairs[byte] = [DIGITS[byte >> 4], DIGITS[byte & 0x0f]];
        byte += 1;
    }
    pairs
};

/// Lowercase hex of a SHA-256 digest, on the stack.
fn hex_array(bytes: &[u8; 32]) -> [u8; 64] {
    let mut out = [0u8; 64];
    for (pair, byte) in out.chunks_exact_mut(2).zip(bytes) {
        pair.copy_from_slice(&HEX_PAIRS[usize::from(*byte)]);
    }
    out
}

fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for byte in bytes {
        out.push(char::from(DIGITS[usize::from(byte >> 4)]));
        out.push(char::from(DIGITS[usize::from(byte & 0x0f)]));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_around_midnight_and_leap_days() {
        assert_eq!(utc_date(0), "1970-01-01");
        assert_eq!(utc_date(1_764_287_999), "2025-11-27");
        assert_eq!(utc_date(1_764_288_000), "2025-11-28");
        assert_eq!(utc_date(951_782_400), "2000-02-29");
        assert_eq!(utc_date(951_868_800), "2000-03-01");
        assert_eq!(utc_date(4_107_542_400), "2100-03-01");
        assert_eq!(utc_date(4_107_542_399), "2100-02-28");
    }

    #[test]
    fn hex_is_lowercase_and_padded() {
        assert_eq!(hex(&[0x00, 0x0f, 0xa0, 0xff]), "000fa0ff");
        let mut digest = [0u8; 32];
        digest[0] = 0x0f;
        digest[31] = 0xa0;
        let text = hex_array(&digest);
        assert_eq!(&text[..4], b"0f00");
        assert_eq!(&text[60..], b"00a0");
    }

    #[test]
    fn stack_dates_match_the_formatted_ones() {
        for timestamp in [
            0,
            951_782_400,
            1_764_288_000,
            4_107_542_399,
            253_402_300_799,
            253_402_300_800,
            u64::MAX,
        ] {
            assert_eq!(
                DateText::of(timestamp).as_str(),
                utc_date(timestamp),
                "{timestamp}"
            );
        }
        let mut buffer = [0u8; 20];
        assert_eq!(decimal(0, &mut buffer), b"0");
        assert_eq!(decimal(u64::MAX, &mut buffer), b"18446744073709551615");
    }

    #[test]
    fn the_fast_path_gives_the_steps_header() {
        let credentials = Credentials::new("AKIDEXAMPLE", "example-key");
        let payloads: [&[u8]; 3] = [b"", br#"{"JobId":"dts-1kl0iy0v"}"#, &[0xff; 300]];
        for payload in payloads {
            for timestamp in [0, 1_764_288_000, 253_402_300_800] {
                let input = SigningInput {
                    credentials: &credentials,
                    service: "dts",
                    host: "dts.tencentcloudapi.com",
                    method: "POST",
                    content_type: "application/json",
                    canonical_query: "",
                    payload,
                    timestamp,
                };
                let key = SigningKey::derive("example-key", &utc_date(timestamp), "dts");
                assert!(key.is_for_date_of(timestamp));
                assert!(!key.is_for_date_of(timestamp + 86_400));
                assert_eq!(
                    authorization_with_key(&input, &key),
                    sign(&input).authorization
                );
                assert_eq!(authorization(&input), sign(&input).authorization);
            }
        }
        let key = SigningKey::derive("example-key", "2025-11-28", "dts");
        assert!(!format!("{key:?}").contains("example-key"));
    }

    #[test]
    fn a_canonical_request_of_two_headers_is_the_usual_one() {
        let credentials = Credentials::new("AKIDEXAMPLE", "example-key");
        let payload = br#"{"JobId":"dts-1kl0iy0v"}"#;
        let input = SigningInput {
            credentials: &credentials,
            service: "dts",
            host: "dts.tencentcloudapi.com",
            method: "POST",
            content_type: "application/json",
            canonical_query: "",
            payload,
            timestamp: 1_764_288_000,
        };
        let steps = sign(&input);
        let canonical = canonical_request(
            "POST",
            "",
            &[
                ("content-type", "application/json"),
                ("host", "dts.tencentcloudapi.com"),
            ],
            payload,
        );
        assert_eq!(canonical, steps.canonical_request);
        assert_eq!(
            signature_of_canonical_request("example-key", "dts", 1_764_288_000, &canonical),
            steps.signature
        );
        let more = canonical_request(
            "POST",
            "",
            &[("content-type", "a"), ("host", "h"), ("x-tc-action", "b")],
            b"",
        );
        assert!(more.starts_with(
            "POST\n/\n\ncontent-type:a\nhost:h\nx-tc-action:b\n\ncontent-type;host;x-tc-action\n"
        ));
    }
}
