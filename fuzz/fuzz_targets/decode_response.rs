//! Any bytes and any HTTP status, decoded as the answer to a few actions of different shapes.
//!
//! The first byte of the input chooses the action (low two bits) and whether the status is 200
//! (bit 7 clear) or the next two bytes (bit 7 set); the rest is the body. The decoder must give a
//! value or an error, never panic, and:
//!
//! - a value only comes from a 200 answer, serializes, and decodes again to the same value when
//!   put back in a `{"Response": ...}` envelope;
//! - a service error keeps its code, message and RequestId, and shows all three;
//! - an unusable answer keeps at most 200 characters of the body (plus an ellipsis), and its
//!   message stays within a fixed bound, whatever the body's length.

#![no_main]

use std::fmt::Debug;

use libfuzzer_sys::fuzz_target;
use serde::Serialize;
use tencentcloud_sdk::SdkError;
use tencentcloud_sdk::dts::v20180330::{
    DescribeMigrateCheckJobRequest, DescribeMigrateJobsRequest, DescribeSubscribeConfRequest,
    DescribeSubscribesRequest,
};
use tencentcloud_sdk::runtime::{Action, decode_response};

/// The most characters of the body an unusable answer keeps, ellipsis included.
const EXCERPT_MAX_CHARS: usize = 201;
/// The longest message an unusable answer may give: 301 characters of explanation and 101 of
/// RequestId at up to 4 bytes each, 201 excerpt characters Debug-escaped at up to 10 bytes each,
/// and some fixed text.
const MESSAGE_MAX_BYTES: usize = 4096;

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let (status, body) = match rest {
        [high, low, body @ ..] if selector & 0x80 != 0 => (u16::from_be_bytes([*high, *low]), body),
        _ => (200, rest),
    };
    match selector & 0x03 {
        0 => check::<DescribeMigrateCheckJobRequest>(status, body, |e| e.code()),
        1 => check::<DescribeMigrateJobsRequest>(status, body, |e| e.code()),
        2 => check::<DescribeSubscribesRequest>(status, body, |e| e.code()),
        _ => check::<DescribeSubscribeConfRequest>(status, body, |e| e.code()),
    }
});

fn check<A>(status: u16, body: &[u8], kind_code: fn(&A::Error) -> &str)
where
    A: Action,
    A::Output: Serialize + PartialEq + Debug,
{
    match decode_response::<A>(status, body) {
        Ok(output) => {
            assert_eq!(status, 200, "a value decoded from a non-200 answer");
            let json = serde_json::to_string(&output).expect("a decoded value serializes");
            let again = format!(r#"{{"Response":{json}}}"#);
            match decode_response::<A>(200, again.as_bytes()) {
                Ok(decoded) => assert_eq!(decoded, output, "the value changed on a round trip"),
                Err(err) => panic!("the re-serialized value does not decode: {err}\n{again}"),
            }
        }
        Err(err) => {
            let shown = err.to_string();
            match &err {
                SdkError::Service(service) => {
                    assert_eq!(kind_code(service.kind()), service.code());
                    assert!(shown.contains(service.code()));
                    assert!(shown.contains(service.message()));
                    assert!(shown.contains(service.request_id()));
                    assert_eq!(err.request_id(), Some(service.request_id()));
                }
                SdkError::InvalidResponse(invalid) => {
                    assert!(invalid.body_excerpt().chars().count() <= EXCERPT_MAX_CHARS);
                    // The excerpt, serde's explanation and the RequestId are each clipped, so
                    // the message has a fixed bound whatever the body's length.
                    assert!(
                        shown.len() <= MESSAGE_MAX_BYTES,
                        "{} bytes of message for {} bytes of body",
                        shown.len(),
                        body.len()
                    );
                }
                other => panic!("decoding gave an error of another kind: {other:?}"),
            }
        }
    }
}
