//! TC3-HMAC-SHA256 authentication as the gateway does it: read the `Authorization` header,
//! find the secret key of its secret id, sign the request that actually arrived, and compare.
//!
//! `SignedHeaders` may name more headers than `content-type;host` (such as
//! `content-type;host;x-tc-action`): the canonical headers are built from the received values of
//! whatever was listed, in the order listed, each `name:value` with the value trimmed and
//! lowercased as the cloud documents. A list without `content-type` and `host`, with a name
//! given twice, a name that is not a lowercase header name, or `authorization`, is
//! `AuthFailure.InvalidAuthorization`; a listed header the request does not carry (or carries
//! twice) is `AuthFailure.SignatureFailure`, since the request is not the one that was signed.
//!
//! The signature over `Host` is accepted as received and, when it has a port, without it: some
//! official SDKs (Node.js) send `Host: 127.0.0.1:PORT` but sign `host:127.0.0.1`. The cloud's
//! hosts have no port, so it never sees the difference.

use hyper::HeaderMap;
use tencentcloud_sdk::Credentials;
use tencentcloud_sdk::signer::{self, ALGORITHM};

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
    /// Every header, for those `SignedHeaders` lists.
    pub headers: &'a HeaderMap,
    pub query: &'a str,
    pub body: &'a [u8],
    /// Whether `X-TC-Content-SHA256: UNSIGNED-PAYLOAD` asked for the body to be left out.
    pub unsigned_payload: bool,
    pub timestamp: u64,
}

/// Reads `SignedHeaders`: lowercase names separated by `;`, each once, `content-type` and `host`
/// among them.
pub(crate) fn signed_header_names(list: &str) -> Result<Vec<&str>, ApiError> {
    let invalid = |why: String| {
        ApiError::new(
            "AuthFailure.InvalidAuthorization",
            format!("SignedHeaders `{list}` {why}."),
        )
    };
    let mut names: Vec<&str> = Vec::new();
    for name in list.split(';') {
        let readable = !name.is_empty()
            && name
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"-_.".contains(&b));
        if !readable {
            return Err(invalid(format!(
                "has `{name}`, which is not a lowercase header name"
            )));
        }
        if name == "authorization" {
            return Err(invalid(
                "lists `authorization`, which cannot sign itself".to_owned(),
            ));
        }
        if names.contains(&name) {
            return Err(invalid(format!("lists `{name}` twice")));
        }
        names.push(name);
    }
    for required in ["content-type", "host"] {
        if !names.contains(&required) {
            return Err(invalid(format!("must list `{required}`")));
        }
    }
    Ok(names)
}

/// `host` without its `:port`, when it has one (`127.0.0.1:8080`, `[::1]:8080`).
pub(crate) fn host_without_port(host: &str) -> Option<&str> {
    let (name, port) = host.rsplit_once(':')?;
    let is_port = !port.is_empty() && port.bytes().all(|b| b.is_ascii_digit());
    let is_name = !name.is_empty() && (!name.contains(':') || name.ends_with(']'));
    (is_port && is_name).then_some(name)
}

/// The service a request is for: the credential scope's when the emulator serves it (as the
/// cloud would, whose hosts name the scope's service), else the first label of `Host` when it
/// names a served service (`dts.localhost:8080`), else `default` (the emulator's default
/// service, see [`Builder::default_service`](crate::Builder::default_service)).
pub(crate) fn choose_service<'a>(
    scope: &'a str,
    host: &'a str,
    default: Option<&'a str>,
    served: impl Fn(&str) -> bool,
) -> Option<&'a str> {
    if served(scope) {
        return Some(scope);
    }
    let name = host_without_port(host).unwrap_or(host);
    let is_ip = name.parse::<std::net::Ipv4Addr>().is_ok() || name.starts_with('[');
    if let Some((label, _)) = name.split_once('.') {
        if !is_ip && !label.is_empty() && served(label) {
            return Some(label);
        }
    }
    default.filter(|service| served(service))
}

/// Checks the signature of a request made with `credentials`.
pub(crate) fn verify(
    auth: &Authorization<'_>,
    credentials: &Credentials,
    received: &Received<'_>,
) -> Result<(), ApiError> {
    let failure = |why: String| ApiError::new("AuthFailure.SignatureFailure", format!("{why}."));
    let names = signed_header_names(auth.signed_headers)?;
    let expected_date = signer::utc_date(received.timestamp);
    if auth.date != expected_date {
        return Err(failure(format!(
            "The credential scope's date {} is not the UTC date of X-TC-Timestamp ({expected_date})",
            auth.date
        )));
    }
    let mut values: Vec<String> = Vec::with_capacity(names.len());
    for name in &names {
        let mut sent = received.headers.get_all(*name).iter();
        let (Some(value), None) = (sent.next(), sent.next()) else {
            return Err(failure(format!(
                "The signed header `{name}` is not in the request exactly once"
            )));
        };
        let Ok(value) = value.to_str() else {
            return Err(failure(format!(
                "The signed header `{name}` is not readable text"
            )));
        };
        values.push(value.trim().to_ascii_lowercase());
    }
    let payload: &[u8] = if received.unsigned_payload {
        b"UNSIGNED-PAYLOAD"
    } else {
        received.body
    };
    // The Host as received, then without its port (some SDKs sign the host name alone).
    let host_at = names.iter().position(|name| *name == "host");
    let mut hosts = vec![None];
    if let Some(at) = host_at {
        if let Some(bare) = host_without_port(&values[at]) {
            hosts.push(Some(bare.to_owned()));
        }
    }
    for host in hosts {
        let headers: Vec<(&str, &str)> = names
            .iter()
            .zip(&values)
            .enumerate()
            .map(|(at, (name, value))| match (&host, Some(at) == host_at) {
                (Some(bare), true) => (*name, bare.as_str()),
                _ => (*name, value.as_str()),
            })
            .collect();
        let canonical =
            signer::canonical_request(received.method, received.query, &headers, payload);
        let signature = signer::signature_of_canonical_request(
            credentials.secret_key(),
            auth.service,
            received.timestamp,
            &canonical,
        );
        if same_bytes(signature.as_bytes(), auth.signature.as_bytes()) {
            return Ok(());
        }
    }
    Err(failure(
        "The signature does not match the request: the secret key is wrong, or the request \
         (body, Host, Content-Type or another signed header) changed after it was signed"
            .to_owned(),
    ))
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

    const STAMP: u64 = 1_764_288_000;
    const BODY: &[u8] = br#"{"Limit":10}"#;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.append(*name, value.parse().unwrap());
        }
        map
    }

    fn usual_headers() -> HeaderMap {
        headers(&[
            ("content-type", "application/json"),
            ("host", "127.0.0.1:8080"),
            ("x-tc-action", "DescribeInstances"),
        ])
    }

    fn received(headers: &HeaderMap) -> Received<'_> {
        Received {
            method: "POST",
            headers,
            query: "",
            body: BODY,
            unsigned_payload: false,
            timestamp: STAMP,
        }
    }

    /// Verifies an `Authorization` header against the request.
    fn check(authorization: &str, headers: &HeaderMap) -> Result<(), String> {
        let credentials = Credentials::new("AKIDx", "key");
        let auth = parse(authorization).map_err(|e| e.code)?;
        verify(&auth, &credentials, &received(headers)).map_err(|e| e.code)
    }

    /// Signed the usual way, by the SDK, over this Host.
    fn signed_over_host(host: &str) -> String {
        signer::authorization(&signer::SigningInput {
            credentials: &Credentials::new("AKIDx", "key"),
            service: "dts",
            host,
            method: "POST",
            content_type: "application/json",
            canonical_query: "",
            payload: BODY,
            timestamp: STAMP,
        })
    }

    /// Signed over any list of (name, canonical value).
    fn signed_over(list: &[(&str, &str)]) -> String {
        let canonical = signer::canonical_request("POST", "", list, BODY);
        let signature = signer::signature_of_canonical_request("key", "dts", STAMP, &canonical);
        let names: Vec<&str> = list.iter().map(|(name, _)| *name).collect();
        format!(
            "{ALGORITHM} Credential=AKIDx/2025-11-28/dts/tc3_request, SignedHeaders={}, \
             Signature={signature}",
            names.join(";")
        )
    }

    #[test]
    fn the_host_may_be_signed_with_or_without_its_port() {
        let sent = usual_headers();
        assert_eq!(check(&signed_over_host("127.0.0.1:8080"), &sent), Ok(()));
        assert_eq!(check(&signed_over_host("127.0.0.1"), &sent), Ok(()));
        for other in ["127.0.0.2", "127.0.0.1:8081", "localhost:8080"] {
            assert_eq!(
                check(&signed_over_host(other), &sent),
                Err("AuthFailure.SignatureFailure".to_owned()),
                "{other}"
            );
        }
        let bare = headers(&[("content-type", "application/json"), ("host", "127.0.0.1")]);
        assert_eq!(check(&signed_over_host("127.0.0.1"), &bare), Ok(()));
        assert!(check(&signed_over_host("127.0.0.1:8080"), &bare).is_err());
    }

    #[test]
    fn ports_come_off_names_and_addresses_only() {
        assert_eq!(host_without_port("127.0.0.1:8080"), Some("127.0.0.1"));
        assert_eq!(host_without_port("dts.localhost:80"), Some("dts.localhost"));
        assert_eq!(host_without_port("[::1]:8080"), Some("[::1]"));
        for host in ["127.0.0.1", "[::1]", "host:", ":80", "host:8x", "::1"] {
            assert_eq!(host_without_port(host), None, "{host}");
        }
    }

    #[test]
    fn extra_signed_headers_are_verified() {
        let sent = usual_headers();
        let list = [
            ("content-type", "application/json"),
            ("host", "127.0.0.1:8080"),
            ("x-tc-action", "describeinstances"),
        ];
        assert_eq!(check(&signed_over(&list), &sent), Ok(()));
        // In another order than the usual one, as long as it is the order listed.
        let reordered = [list[2], list[0], list[1]];
        assert_eq!(check(&signed_over(&reordered), &sent), Ok(()));
        // An extra header changed after signing.
        let mut changed = sent.clone();
        changed.insert("x-tc-action", "DeleteInstances".parse().unwrap());
        assert_eq!(
            check(&signed_over(&list), &changed),
            Err("AuthFailure.SignatureFailure".to_owned())
        );
        // A listed header the request does not carry, or carries twice.
        let mut without = sent.clone();
        without.remove("x-tc-action");
        assert_eq!(
            check(&signed_over(&list), &without),
            Err("AuthFailure.SignatureFailure".to_owned())
        );
        let mut twice = sent.clone();
        twice.append("x-tc-action", "describeinstances".parse().unwrap());
        assert_eq!(
            check(&signed_over(&list), &twice),
            Err("AuthFailure.SignatureFailure".to_owned())
        );
        // Values are trimmed and lowercased, as the signature covers them.
        let spaced = headers(&[
            ("content-type", " Application/JSON "),
            ("host", "127.0.0.1:8080"),
            ("x-tc-action", "DescribeInstances "),
        ]);
        assert_eq!(check(&signed_over(&list), &spaced), Ok(()));
    }

    #[test]
    fn signed_header_lists_need_content_type_and_host_once_each() {
        assert_eq!(
            signed_header_names("content-type;host;x-tc-action").unwrap(),
            ["content-type", "host", "x-tc-action"]
        );
        for list in [
            "host",
            "content-type",
            "content-type;x-tc-action",
            "host;x-tc-action",
            "content-type;host;host",
            "content-type;host;X-TC-Action",
            "content-type;;host",
            "content-type;host;authorization",
            "content-type;host;x tc",
        ] {
            let err = signed_header_names(list).expect_err(list);
            assert_eq!(err.code, "AuthFailure.InvalidAuthorization", "{list}");
        }
        // And a request signed over such a list is refused before any signature is computed.
        let sent = usual_headers();
        let without_host = [("content-type", "application/json")];
        assert_eq!(
            check(&signed_over(&without_host), &sent),
            Err("AuthFailure.InvalidAuthorization".to_owned())
        );
        let without_type = [("host", "127.0.0.1:8080")];
        assert_eq!(
            check(&signed_over(&without_type), &sent),
            Err("AuthFailure.InvalidAuthorization".to_owned())
        );
    }

    #[test]
    fn the_service_comes_from_the_scope_then_the_host_then_the_default() {
        let served = |name: &str| ["dts", "cvm"].contains(&name);
        let choose = |scope, host, default| choose_service(scope, host, default, served);
        assert_eq!(choose("dts", "127.0.0.1:8080", None), Some("dts"));
        assert_eq!(
            choose("cvm", "dts.localhost:8080", Some("dts")),
            Some("cvm")
        );
        assert_eq!(choose("dts", "localhost", Some("cvm")), Some("dts"));
        assert_eq!(
            choose("127", "cvm.localhost:8080", Some("dts")),
            Some("cvm")
        );
        assert_eq!(choose("cvm", "cvm.localhost", None), Some("cvm"));
        assert_eq!(choose("127", "127.0.0.1:8080", Some("dts")), Some("dts"));
        assert_eq!(
            choose("localhost", "localhost:8080", Some("cvm")),
            Some("cvm")
        );
        assert_eq!(choose("127", "127.0.0.1:8080", None), None);
        assert_eq!(choose("vpc", "vpc.localhost:8080", None), None);
        assert_eq!(choose("127", "127.0.0.1", Some("vpc")), None);
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
