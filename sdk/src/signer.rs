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

use hmac::{Hmac, KeyInit, Mac};
use sha2::{Digest, Sha256};

use crate::Credentials;

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
pub fn authorization(input: &SigningInput<'_>) -> String {
    sign(input).authorization
}

/// Signs a request and returns every intermediate step along with the header.
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

/// The UTC calendar date (`YYYY-MM-DD`) of a Unix timestamp, as used in the credential scope.
pub fn utc_date(timestamp: u64) -> String {
    let (year, month, day) = civil_from_days(timestamp / 86_400);
    format!("{year:04}-{month:02}-{day:02}")
}

/// Converts days since 1970-01-01 into a proleptic Gregorian (year, month, day).
///
/// Works in 400-year eras of 146 097 days, counting years from March so that the leap day falls at
/// the end of the year.
fn civil_from_days(days: u64) -> (u64, u64, u64) {
    // Shift the epoch to 0000-03-01, the start of an era.
    let z = days + 719_468;
    let era = z / 146_097;
    let day_of_era = z % 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1_460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_from_march = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_from_march + 2) / 5 + 1;
    let month = if month_from_march < 10 {
        month_from_march + 3
    } else {
        month_from_march - 9
    };
    let year = year_of_era + era * 400 + u64::from(month <= 2);
    (year, month, day)
}

fn hmac_sha256(key: &[u8], message: &[u8]) -> [u8; 32] {
    // HMAC accepts keys of any length, so this constructor cannot fail.
    let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(key)
        .unwrap_or_else(|_| unreachable!("HMAC takes keys of any length"));
    mac.update(message);
    mac.finalize().into_bytes().into()
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
    }
}
