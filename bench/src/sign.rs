//! `sign`: what it costs to sign a DescribeMigrateCheckJob request, and the hashing that any TC3
//! signature of it needs, measured in the same process.

use std::hint::black_box;
use std::time::Instant;

use hmac::{Hmac, KeyInit, Mac};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use tencentcloud_sdk::dts::v20180330::{DescribeMigrateCheckJobRequest, SERVICE};
use tencentcloud_sdk::runtime::{CONTENT_TYPE_JSON, Handle};
use tencentcloud_sdk::signer::{self, RequestSigner, SigningInput, SigningKey};
use tencentcloud_sdk::{Config, Credentials};

use crate::BenchResult;
use crate::stats::median;

/// The inputs, the same as `bench/python/sign_bench.py` signs.
const SECRET_ID: &str = "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE";
const SECRET_KEY: &str = "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE";
const REGION: &str = "ap-guangzhou";
const JOB_ID: &str = "dts-1kl0iy0v";
const HOST: &str = "dts.tencentcloudapi.com";
/// 2025-11-28T00:00:00Z.
const TIMESTAMP: u64 = 1_764_288_000;

/// Measures the four figures over `iterations` calls each, split into `batches` (plus one batch of
/// warm-up), and reports the median batch's nanoseconds per call.
pub fn run(iterations: u64, batches: u64) -> BenchResult<Value> {
    let credentials = Credentials::new(SECRET_ID, SECRET_KEY);
    let handle = Handle::new(
        Config::builder()
            .credentials(credentials.clone())
            .region(REGION)
            .build()?,
        &SERVICE,
    );
    let request = || {
        DescribeMigrateCheckJobRequest::builder()
            .job_id(black_box(JOB_ID))
            .build()
    };
    // The body the handle sends, so that the signer alone signs the same bytes.
    let signed = handle.sign_with(&request()?, &credentials, TIMESTAMP)?;
    let payload = signed.body().to_vec();
    let input = SigningInput {
        credentials: &credentials,
        service: SERVICE.name(),
        host: HOST,
        method: "POST",
        content_type: CONTENT_TYPE_JSON,
        canonical_query: "",
        payload: &payload,
        timestamp: TIMESTAMP,
    };
    let key = SigningKey::derive(SECRET_KEY, &signer::utc_date(TIMESTAMP), SERVICE.name());
    check_agreement(&input, &key, signed.headers())?;

    // The bound: the two SHA-256 hashes and the one HMAC-SHA256 of a signature, over inputs of the
    // same lengths, with nothing else.
    let steps = signer::sign(&input);
    let canonical_request = vec![b'c'; steps.canonical_request.len()];
    let string_to_sign = vec![b's'; steps.string_to_sign.len()];
    let signing_key = [0x5a_u8; 32];
    let bound = || {
        let payload_hash = Sha256::digest(black_box(&payload));
        let request_hash = Sha256::digest(black_box(&canonical_request));
        let signature = <Hmac<Sha256> as KeyInit>::new_from_slice(black_box(&signing_key))
            .map(|mac| mac.chain_update(black_box(&string_to_sign)).finalize());
        (payload_hash, request_hash, signature.is_ok())
    };

    // What the runtime does for each request: the key derived for the day and the fixed part of
    // the canonical request hashed once for the host.
    let request_signer = RequestSigner::new("POST", "", CONTENT_TYPE_JSON, HOST);
    let sdk_sign_ns = per_call_ns(iterations, batches, || {
        request_signer.authorization(
            &key,
            black_box(SECRET_ID),
            SERVICE.name(),
            black_box(&payload),
            black_box(TIMESTAMP),
        )
    });
    let sdk_build_and_sign_ns = per_call_ns(iterations, batches, || {
        request().map(|r| handle.sign_with(&r, &credentials, black_box(TIMESTAMP)))
    });
    let sdk_sign_uncached_ns = per_call_ns(iterations, batches, || {
        signer::authorization(black_box(&input))
    });
    let bound_ns = per_call_ns(iterations, batches, bound);

    Ok(json!({
        "sdk_sign_ns": sdk_sign_ns,
        "sdk_build_and_sign_ns": sdk_build_and_sign_ns,
        "sdk_sign_uncached_ns": sdk_sign_uncached_ns,
        "bound_ns": bound_ns,
        "iterations": iterations,
        "batches": batches,
        "payload_bytes": payload.len(),
        "canonical_request_bytes": canonical_request.len(),
        "string_to_sign_bytes": string_to_sign.len(),
    }))
}

/// The cached-key signer, the signer that derives its key, and the handle must give one header.
fn check_agreement(
    input: &SigningInput<'_>,
    key: &SigningKey,
    headers: &reqwest::header::HeaderMap,
) -> BenchResult<()> {
    let cached = signer::authorization_with_key(input, key);
    let derived = signer::authorization(input);
    if cached != derived {
        return Err(format!(
            "authorization_with_key gives `{cached}`, authorization gives `{derived}`"
        )
        .into());
    }
    let sent = headers
        .get(reqwest::header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok());
    if sent != Some(derived.as_str()) {
        return Err(format!(
            "Handle::sign_with sends Authorization {sent:?}, the signer gives `{derived}`"
        )
        .into());
    }
    Ok(())
}

/// Nanoseconds per call of `f`: one warm-up batch, then the median of `batches` timed batches of
/// `iterations / batches` calls each. What `f` returns goes through `black_box`, so that it is
/// computed in full.
fn per_call_ns<T>(iterations: u64, batches: u64, mut f: impl FnMut() -> T) -> f64 {
    let batches = batches.max(1);
    let size = (iterations / batches).max(1);
    let mut batch = || {
        let started = Instant::now();
        for _ in 0..size {
            black_box(f());
        }
        started.elapsed().as_nanos() as f64 / size as f64
    };
    batch();
    median((0..batches).map(|_| batch()).collect())
}
