//! Every action of dts, cvm, vpc, cam, sts and csip (the largest service), sent to the emulator
//! with a request its checks accept and answered from its spec, is read by the SDK into the
//! action's generated output type: the emulator's made-up answers and the generated decoders
//! agree on every member, nested structures and lists included.

use std::future::Future;
use std::pin::Pin;

use serde_json::{Map, Value};
use tencentcloud_emulator::{Emulator, RateLimits};
use tencentcloud_sdk::generic::GenericClient;
use tencentcloud_sdk::runtime::Action;
use tencentcloud_sdk::{Config, GenericError, SdkError};

type Sent = Pin<Box<dyn Future<Output = Result<(), SdkError<GenericError>>> + Send>>;

/// One action: where it is, and how to send it and decode its answer.
struct Entry {
    service: &'static str,
    version: &'static str,
    action: &'static str,
    send: fn(GenericClient, &'static str, Map<String, Value>) -> Sent,
}

/// Sends `action` with `params` and reads the answer into `A`'s generated output type.
fn send<A: Action>(
    client: GenericClient,
    action: &'static str,
    params: Map<String, Value>,
) -> Sent {
    Box::pin(async move {
        client
            .call(action)
            .params(params)
            .send_as::<A::Output>()
            .await
            .map(drop)
    })
}

include!(concat!(env!("OUT_DIR"), "/sample_actions.rs"));

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_action_of_the_sample_services_is_answered_and_decoded() {
    let emulator = Emulator::builder()
        .rate_limits(RateLimits::Off)
        .start()
        .await
        .expect("the emulator starts");
    let config: Config = emulator.sdk_config().build().expect("a config");
    let mut failures = Vec::new();
    let mut counts = std::collections::BTreeMap::<&str, usize>::new();
    for entry in SAMPLE {
        let params = emulator
            .sample_request(entry.service, entry.version, entry.action)
            .unwrap_or_else(|| panic!("{} {} is not served", entry.service, entry.action));
        let client = GenericClient::new(config.clone(), entry.service, entry.version)
            .expect("a valid service");
        // DTS 2018-03-30 has a backend with state, which may refuse a made-up request (an
        // unknown job, say) with a service error; every other answer is made up from the spec.
        match (entry.send)(client, entry.action, params).await {
            Ok(()) => *counts.entry(entry.service).or_default() += 1,
            Err(SdkError::Service(err))
                if entry.version == "2018-03-30" && entry.service == "dts" =>
            {
                assert!(!err.code().is_empty());
                *counts.entry(entry.service).or_default() += 1;
            }
            Err(err) => failures.push(format!(
                "{} {} {}: {err}",
                entry.service, entry.version, entry.action
            )),
        }
    }
    println!("answered and decoded: {counts:?}");
    assert!(
        failures.is_empty(),
        "{} of {} actions failed:\n{}",
        failures.len(),
        SAMPLE.len(),
        failures.join("\n")
    );
    assert_eq!(counts.len(), 6, "{counts:?}");
    assert!(counts["csip"] >= 700, "{counts:?}");
}
