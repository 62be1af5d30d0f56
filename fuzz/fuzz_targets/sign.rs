//! Arbitrary signer inputs: any strings for the credentials, service, host, method, content type
//! and query, any payload bytes, any `u64` timestamp (years far beyond 9999 included).
//!
//! Signing must not panic, and its output must hold together: the header names the secret id, the
//! credential scope and the signed headers and ends in 64 lowercase hex digits; the scope's date is
//! a real calendar date that is the timestamp's UTC day; equal inputs sign equally; the session
//! token is not signed; a changed payload byte or secret key character changes the signature.

#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use tencentcloud_sdk::Credentials;
use tencentcloud_sdk::signer::{self, ALGORITHM, SIGNED_HEADERS, SigningInput, SigningSteps};

#[derive(Debug, Arbitrary)]
struct Input<'a> {
    timestamp: u64,
    position: u16,
    secret_id: &'a str,
    secret_key: &'a str,
    token: Option<&'a str>,
    service: &'a str,
    host: &'a str,
    method: &'a str,
    content_type: &'a str,
    canonical_query: &'a str,
    payload: &'a [u8],
}

fuzz_target!(|input: Input<'_>| {
    let credentials = Credentials::new(input.secret_id, input.secret_key);
    let signing = SigningInput {
        credentials: &credentials,
        service: input.service,
        host: input.host,
        method: input.method,
        content_type: input.content_type,
        canonical_query: input.canonical_query,
        payload: input.payload,
        timestamp: input.timestamp,
    };
    let steps = signer::sign(&signing);
    check_steps(&input, &steps);

    // Deterministic, and the header alone is the same as the one among the steps.
    assert_eq!(signer::sign(&signing), steps);
    assert_eq!(signer::authorization(&signing), steps.authorization);

    // The session token travels in its own header and is not signed.
    if let Some(token) = input.token {
        let with_token = credentials.clone().with_token(token);
        let signed = signer::sign(&SigningInput {
            credentials: &with_token,
            ..signing
        });
        assert_eq!(signed, steps);
    }

    // One payload byte changed: another signature.
    if !input.payload.is_empty() {
        let mut payload = input.payload.to_vec();
        let at = usize::from(input.position) % payload.len();
        payload[at] ^= 0x01;
        let changed = signer::sign(&SigningInput {
            payload: &payload,
            ..signing
        });
        assert_ne!(
            changed.signature, steps.signature,
            "payload byte {at} changed"
        );
    }

    // One character of the secret key changed (or one added to an empty key): another signature.
    // What is added is never a NUL: HMAC pads short keys with zero bytes, so `k` and `k\0` sign
    // alike.
    let mut key: Vec<char> = input.secret_key.chars().collect();
    if key.is_empty() {
        key.push('k');
    } else {
        let at = usize::from(input.position) % key.len();
        key[at] = if key[at] == 'a' { 'b' } else { 'a' };
    }
    let other_key = Credentials::new(input.secret_id, key.into_iter().collect::<String>());
    let changed = signer::sign(&SigningInput {
        credentials: &other_key,
        ..signing
    });
    assert_ne!(changed.signature, steps.signature, "secret key changed");
    // The signature is all that depends on the key.
    assert_eq!(changed.canonical_request, steps.canonical_request);
    assert_eq!(changed.string_to_sign, steps.string_to_sign);
});

fn check_steps(input: &Input<'_>, steps: &SigningSteps) {
    assert!(is_lower_hex_64(&steps.signature), "{:?}", steps.signature);

    let date = signer::utc_date(input.timestamp);
    check_date(&date, input.timestamp);
    assert_eq!(
        steps.credential_scope,
        format!("{date}/{}/tc3_request", input.service)
    );

    let prefix = format!("{ALGORITHM} Credential={}/", input.secret_id);
    assert!(steps.authorization.starts_with(&prefix));
    assert!(
        steps
            .authorization
            .contains("SignedHeaders=content-type;host")
    );
    assert_eq!(
        steps.authorization,
        format!(
            "{prefix}{}, SignedHeaders={SIGNED_HEADERS}, Signature={}",
            steps.credential_scope, steps.signature
        )
    );

    let string_head = format!(
        "{ALGORITHM}\n{}\n{}\n",
        input.timestamp, steps.credential_scope
    );
    let hashed = steps
        .string_to_sign
        .strip_prefix(&string_head)
        .expect("the string to sign starts with the algorithm, timestamp and scope");
    assert!(is_lower_hex_64(hashed), "{hashed:?}");

    let request_head = format!(
        "{}\n/\n{}\ncontent-type:{}\nhost:{}\n\n{SIGNED_HEADERS}\n",
        input.method, input.canonical_query, input.content_type, input.host
    );
    let payload_hash = steps
        .canonical_request
        .strip_prefix(&request_head)
        .expect("the canonical request lists method, path, query and headers");
    assert!(is_lower_hex_64(payload_hash), "{payload_hash:?}");
}

fn is_lower_hex_64(text: &str) -> bool {
    text.len() == 64 && text.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// `date` must read `Y-MM-DD` (at least four year digits), be a real day of the proleptic
/// Gregorian calendar, and be the day that holds `timestamp`.
fn check_date(date: &str, timestamp: u64) {
    let mut parts = date.split('-');
    let (Some(year), Some(month), Some(day), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        panic!("not a date: {date:?}");
    };
    assert!(
        year.len() >= 4 && month.len() == 2 && day.len() == 2,
        "{date:?}"
    );
    let number = |text: &str| -> i128 {
        assert!(text.bytes().all(|b| b.is_ascii_digit()), "{date:?}");
        text.parse().unwrap_or_else(|_| panic!("{date:?}"))
    };
    let (year, month, day) = (number(year), number(month), number(day));
    assert!((1..=12).contains(&month), "{date:?}");
    assert!(day >= 1 && day <= days_in_month(year, month), "{date:?}");
    assert_eq!(
        days_from_civil(year, month, day),
        i128::from(timestamp / 86_400),
        "{date:?} is not the day of {timestamp}"
    );
}

fn is_leap(year: i128) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i128, month: i128) -> i128 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days from 1970-01-01 to a date, for any year from 1970 on: whole 400-year cycles (146 097
/// days each), then whole years and months counted one by one.
fn days_from_civil(year: i128, month: i128, day: i128) -> i128 {
    let cycles = (year - 1970) / 400;
    let mut days = cycles * 146_097;
    for y in 1970 + cycles * 400..year {
        days += if is_leap(y) { 366 } else { 365 };
    }
    for m in 1..month {
        days += days_in_month(year, m);
    }
    days + day - 1
}
