//! A typed, async client for Tencent Cloud API 3.0.
//!
//! Each service version lives at `tencentcloud_sdk::<service>::v<YYYYMMDD>`, behind a Cargo
//! feature named after the service. Its code is generated from the JSON descriptions in
//! `api-spec/` by `cargo xtask codegen`; the runtime it calls (signing, credentials, endpoints,
//! HTTP and errors) is written by hand in this crate.
//!
//! ```no_run
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! use tencentcloud_sdk::dts::v20180330::Client;
//! use tencentcloud_sdk::{Config, Credentials};
//!
//! let client = Client::new(
//!     Config::builder()
//!         .credentials(Credentials::from_env()?)
//!         .region("ap-guangzhou")
//!         .build()?,
//! );
//! let check = client
//!     .describe_migrate_check_job()
//!     .job_id("dts-1kl0iy0v")
//!     .send()
//!     .await?;
//! println!(
//!     "{} {}% passed={}",
//!     check.status,
//!     check.progress_percent().unwrap_or(0),
//!     check.check_flag.is_passed()
//! );
//! # Ok(())
//! # }
//! ```
//!
//! Every action has a method on its service's `Client` returning a call to fill in and `send`;
//! its docs give the rate limit, the error codes (variants of the action's error enum, so no
//! string compares; codes any action may return are a [`CommonError`]) and an example. List actions also page: `into_paginator()` turns the call
//! into a stream of pages or, with `.items()`, of items (see [`runtime::Paginator`]).
//! Long-running operations have waiters that poll until they are over (see [`waiters`]).
#![cfg_attr(docsrs, feature(doc_cfg))]
#![warn(missing_docs)]

// Generated code names this crate by its absolute path, which also works inside it.
extern crate self as tencentcloud_sdk;

pub mod calendar;
mod clock;
pub mod config;
pub mod credentials;
pub mod endpoint;
pub mod error;
pub mod generic;
pub mod rate_limit;
pub mod retry;
pub mod runtime;
pub mod signer;
pub mod waiters;

#[rustfmt::skip]
mod services;

pub use config::{Config, ConfigBuilder, ConfigError, Language};
pub use credentials::{Credentials, CredentialsError};
pub use error::{
    BuildError, ErrorMetadata, GenericError, InvalidResponse, InvalidResponseKind, SdkError,
    ServiceError, TimeoutError, TransportError,
};
pub use rate_limit::RateLimits;
pub use retry::RetryConfig;
#[allow(unused_imports)]
pub use services::*;

/// Compiles the Rust examples in the workspace README as doctests.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct ReadmeDoctests;
