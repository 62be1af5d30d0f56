//! Credentials and settings, as tccli finds them. (Being written: see the issue.)

use std::collections::HashMap;

use tencentcloud_sdk::credentials::{DefaultCredentialsChain, SharedCredentialsProvider};

use crate::args::Globals;
use crate::error::CliError;

/// What a call needs from the configuration: credentials and the settings of the profile.
pub struct Settings {
    /// Where credentials come from.
    pub credentials: SharedCredentialsProvider,
    /// The region: `--region`, else `TENCENTCLOUD_REGION`, else the profile's.
    pub region: Option<String>,
    /// The output format: `--output`, else the profile's.
    pub output: Option<String>,
    /// The language of messages: `--language`, else the profile's.
    pub language: Option<String>,
    /// Per service: the endpoint and version the profile sets.
    pub services: HashMap<String, ServiceSettings>,
    /// The profile's waiter defaults (`timeout`, `interval`, in seconds).
    pub waiter_timeout: Option<f64>,
    /// See `waiter_timeout`.
    pub waiter_interval: Option<f64>,
}

/// What a profile's `.configure` file says of one service.
#[derive(Debug, Default, Clone)]
pub struct ServiceSettings {
    /// Its endpoint.
    pub endpoint: Option<String>,
    /// Its API version.
    pub version: Option<String>,
}

/// Reads the settings for a call.
pub fn settings(globals: &Globals) -> Result<Settings, CliError> {
    Ok(Settings {
        credentials: SharedCredentialsProvider::new(DefaultCredentialsChain::new()),
        region: globals
            .region
            .clone()
            .or_else(|| std::env::var("TENCENTCLOUD_REGION").ok()),
        output: globals.output.clone(),
        language: globals.language.clone(),
        services: HashMap::new(),
        waiter_timeout: None,
        waiter_interval: None,
    })
}
