//! TC3-HMAC-SHA256 authentication as the gateway does it: read the `Authorization` header,
//! find the secret key of its secret id, sign the request that actually arrived, and compare.

use tencentcloud_sdk::Credentials;
use tencentcloud_sdk::signer::{self, ALGORITHM, SIGNED_HEADERS, SigningInput};

use crate::backend::ApiError;

/// How far `X-TC-Timestamp` may be from the emulator's clock (real time plus
/// [`Builder::clock_offset`](crate::Builder::clock_offset)), in seconds.
pub const MAX_CLOCK_SKEW: u64 = 300;

/// The parts of an `Authorization` header.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Authorization<'a> {
    pub secret_id: &'a str,
    pub date: &'a str,
    pub service: &'a str,
    pub signed_headers: &'a str,
    pub signature: &'a str,
}

/// Reads `TC3-HMAC-SHA256 Credential=<id>/<date>/<service>/tc3_request,
/// SignedHeaders=<names>, Signature=<hex>`.
pub(crate) fn parse(header: &str) -> Result<Authorization<'_>, ApiError> {
    let malformed = |why: &str| {
        ApiError::new(
            "AuthFailure.InvalidAuthorization",
            format!("The Authorization header is malformed: {why}."),
        )
    };
    let (algorithm, rest) = header
        .trim()
        .split_once(' ')
        .ok_or_else(|| malformed("it has no algorithm"))?;
    if algorithm != ALGORITHM {
        return Err(malformed(&format!(
            "the algorithm must be {ALGORITHM}, not `{algorithm}`"
        )));
    }
    let (mut credential, mut signed_headers, mut signature) = (None, None, None);
    for part in rest.split(',') {
        let (key, value) = part
            .trim()
            .split_once('=')
            .ok_or_else(|| malformed("its parts must be Key=Value"))?;
        let slot = match key {
            "Credential" => &mut credential,
            "SignedHeaders" => &mut signed_headers,
            "Signature" => &mut signature,
            _ => return Err(malformed(&format!("`{key}` is not one of its parts"))),
        };
        if slot.replace(value).is_some() {
            return Err(malformed(&format!("`{key}` is given twice")));
        }
    }
    let credential = credential.ok_or_else(|| malformed("Credential is missing"))?;
    let signed_headers = signed_headers.ok_or_else(|| malformed("SignedHeaders is missing"))?;
    let signature = signature.ok_or_else(|| malformed("Signature is missing"))?;

    let scope: Vec<&str> = credential.split('/').collect();
    let [secret_id, date, service, terminator] = scope[..] else {
        return Err(malformed(
            "Credential must be <SecretId>/<date>/<service>/tc3_request",
        ));
    };
    if terminator != "tc3_request" || secret_id.is_empty() || service.is_empty() {
        return Err(malformed(
            "Credential must be <SecretId>/<date>/<service>/tc3_request",
        ));
    }
    if signature.len() != 64 || !signature.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(malformed("Signature must be 64 hex digits"));
    }
    Ok(Authorization {
        secret_id,
        date,
        service,
        signed_headers,
        signature,
    })
}

/// What was received, as the signature covers it.
pub(crate) struct Received<'a> {
    pub method: &'a str,
    pub host: &'a str,
    pub content_type: &'a str,
    pub query: &'a str,
    pub body: &'a [u8],
    /// Whether `X-TC-Content-SHA256: UNSIGNED-PAYLOAD` asked for the body to be left out.
    pub unsigned_payload: bool,
    pub timestamp: u64,
}

/// Checks the signature of a request made with `credentials`.
pub(crate) fn verify(
    auth: &Authorization<'_>,
    credentials: &Credentials,
    received: &Received<'_>,
) -> Result<(), ApiError> {
    let failure = |why: String| ApiError::new("AuthFailure.SignatureFailure", format!("{why}."));
    if auth.signed_headers != SIGNED_HEADERS {
        return Err(ApiError::new(
            "AuthFailure.InvalidAuthorization",
            format!(
                "The emulator verifies signatures over SignedHeaders={SIGNED_HEADERS} only, not `{}`.",
                auth.signed_headers
            ),
        ));
    }
    let expected_date = signer::utc_date(received.timestamp);
    if auth.date != expected_date {
        return Err(failure(format!(
            "The credential scope's date {} is not the UTC date of X-TC-Timestamp ({expected_date})",
            auth.date
        )));
    }
    let payload: &[u8] = if received.unsigned_payload {
        b"UNSIGNED-PAYLOAD"
    } else {
        received.body
    };
    let steps = signer::sign(&SigningInput {
        credentials,
        service: auth.service,
        host: received.host,
        method: received.method,
        content_type: received.content_type,
        canonical_query: received.query,
        payload,
        timestamp: received.timestamp,
    });
    if !same_bytes(steps.signature.as_bytes(), auth.signature.as_bytes()) {
        return Err(failure(
            "The signature does not match the request: the secret key is wrong, or the request \
             (body, Host or Content-Type) changed after it was signed"
                .to_owned(),
        ));
    }
    Ok(())
}

/// Compares in time that depends only on the length, as a signature check should.
fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Checks `X-TC-Timestamp` against the emulator's clock.
pub(crate) fn check_clock(timestamp: u64, now: u64) -> Result<(), ApiError> {
    let skew = timestamp.abs_diff(now);
    if skew > MAX_CLOCK_SKEW {
        return Err(ApiError::new(
            "AuthFailure.SignatureExpire",
            format!(
                "X-TC-Timestamp {timestamp} is {skew} s from the server's clock ({now}); at most \
                 {MAX_CLOCK_SKEW} s are allowed."
            ),
        ));
    }
    Ok(())
}

/// Checks `X-TC-Token` against the token the credentials were issued with, if any.
pub(crate) fn check_token(credentials: &Credentials, sent: Option<&str>) -> Result<(), ApiError> {
    let failure = |why: &str| ApiError::new("AuthFailure.TokenFailure", why.to_owned());
    match (credentials.token(), sent) {
        (None, None) => Ok(()),
        (Some(expected), Some(sent)) if same_bytes(expected.as_bytes(), sent.as_bytes()) => Ok(()),
        (Some(_), Some(_)) => Err(failure(
            "The session token is not valid for this secret id.",
        )),
        (Some(_), None) => Err(failure(
            "This secret id is temporary and needs its session token in X-TC-Token.",
        )),
        (None, Some(_)) => Err(failure(
            "This secret id is permanent and takes no session token; remove X-TC-Token.",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = "TC3-HMAC-SHA256 Credential=AKIDx/2025-11-28/dts/tc3_request, \
        SignedHeaders=content-type;host, \
        Signature=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    #[test]
    fn reads_a_well_formed_header() {
        let auth = parse(GOOD).expect("well formed");
        assert_eq!(auth.secret_id, "AKIDx");
        assert_eq!(auth.date, "2025-11-28");
        assert_eq!(auth.service, "dts");
        assert_eq!(auth.signed_headers, "content-type;host");
    }

    #[test]
    fn refuses_malformed_headers() {
        for header in [
            "",
            "TC3-HMAC-SHA256",
            "HMAC-SHA256 Credential=a/b/c/tc3_request, SignedHeaders=x, Signature=00",
            &GOOD.replace("tc3_request", "tc4_request"),
            &GOOD.replace("Credential=AKIDx/", "Credential="),
            &GOOD.replace("Signature=0123", "Signature=zz23"),
            &GOOD.replace(", SignedHeaders=content-type;host", ""),
            &format!("{GOOD}, Signature=00"),
            &GOOD.replace("SignedHeaders=", "Signed="),
        ] {
            let err = parse(header).expect_err(header);
            assert_eq!(err.code, "AuthFailure.InvalidAuthorization", "{header}");
        }
    }

    #[test]
    fn clock_skew_is_limited_both_ways() {
        assert!(check_clock(1_000, 1_300).is_ok());
        assert!(check_clock(1_300, 1_000).is_ok());
        assert_eq!(
            check_clock(1_000, 1_301).map_err(|e| e.code),
            Err("AuthFailure.SignatureExpire".to_owned())
        );
        assert!(check_clock(1_302, 1_001).is_err());
    }

    #[test]
    fn tokens_must_match_what_was_issued() {
        let permanent = Credentials::new("id", "key");
        let temporary = Credentials::new("id", "key").with_token("Zq9-session");
        assert!(check_token(&permanent, None).is_ok());
        assert!(check_token(&temporary, Some("Zq9-session")).is_ok());
        for (credentials, sent) in [
            (&temporary, None),
            (&temporary, Some("Zq9-other")),
            (&permanent, Some("Zq9-session")),
        ] {
            let err = check_token(credentials, sent).expect_err("mismatch");
            assert_eq!(err.code, "AuthFailure.TokenFailure");
            assert!(!err.message.contains("Zq9"), "no token in messages");
        }
    }
}
