//! Calls against the emulator.

mod support;

#[test]
fn dts_call_prints_the_answer() {
    let cloud = support::start();
    let answer = cloud.call(&["dts", "DescribeMigrateJobs", "--version", "2018-03-30"]).json();
    assert_eq!(answer["TotalCount"], 0);
    assert!(answer["RequestId"].is_string());
}
