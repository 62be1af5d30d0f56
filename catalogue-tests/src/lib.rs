//! Nothing but tests: see `tests/wire.rs`, `tests/streams.rs` and `tests/every_answer.rs`. The
//! crate exists so that the SDK is built with the features of the services the tests call, in
//! the workspace's own builds.
