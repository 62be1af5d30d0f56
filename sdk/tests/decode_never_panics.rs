//! Whatever bytes come back from the network, decoding gives a value or an error, never a panic.
//!
//! Deterministic: every truncation and a set of single-byte changes of real answers, plus
//! pseudo-random bodies from a fixed seed.

use tencentcloud_sdk::dts::v20180330::DescribeMigrateCheckJob;
use tencentcloud_sdk::runtime::decode_response;

const ANSWERS: &[&str] = &[
    r#"{"Response":{"CheckFlag":1,"ErrorCode":0,"ErrorMessage":"ok","Progress":"100","RequestId":"336448b0-2a45-4be4-8356-c245eab5784f","Status":"finished"}}"#,
    r#"{"Response":{"Error":{"Code":"ResourceNotFound.JobNotExist","Message":"任务不存在"},"RequestId":"r-1"}}"#,
];

fn decode(status: u16, body: &[u8]) -> bool {
    decode_response::<DescribeMigrateCheckJob>(status, body).is_ok()
}

#[test]
fn every_truncation_is_an_error() {
    for answer in ANSWERS {
        let bytes = answer.as_bytes();
        for end in 0..bytes.len() {
            assert!(
                !decode(200, &bytes[..end]),
                "a truncated body decoded: {end} bytes"
            );
        }
        // The complete success answer decodes; the error answer is a service error.
        let _ = decode(200, bytes);
    }
}

#[test]
fn single_byte_changes_never_panic() {
    const REPLACEMENTS: &[u8] = b"\"{}[]:,0-\\n \xff\x00";
    let mut decoded = 0;
    let mut cases = 0;
    for answer in ANSWERS {
        let bytes = answer.as_bytes();
        for position in 0..bytes.len() {
            for &replacement in REPLACEMENTS {
                let mut body = bytes.to_vec();
                body[position] = replacement;
                for status in [200, 502] {
                    cases += 1;
                    decoded += usize::from(decode(status, &body));
                }
            }
        }
    }
    println!("{cases} mutated bodies, {decoded} still decoded as a success");
    assert!(cases > 1000);
}

#[test]
fn random_bodies_never_panic() {
    // xorshift64*, fixed seed: the same bodies every run.
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move || {
        state ^= state >> 12;
        state ^= state << 25;
        state ^= state >> 27;
        state.wrapping_mul(0x2545_F491_4F6C_DD1D)
    };
    const ALPHABET: &[u8] =
        b"{}[]\":,0123456789.-eEtruefalsnl \\uResponseErrorCodeMessageRequestId\xc3\xa9\xff";
    for _ in 0..5_000 {
        let len = (next() % 96) as usize;
        let body: Vec<u8> = (0..len)
            .map(|_| ALPHABET[(next() % ALPHABET.len() as u64) as usize])
            .collect();
        let _ = decode(200, &body);
    }
}
