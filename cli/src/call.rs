//! One action call: read the command line against the spec, build the request, send it through
//! the SDK's generic client, and print the answer.

use std::pin::Pin;
use std::time::Duration;

use futures_core::Stream;

use serde_json::{Map, Value};
use tencentcloud_sdk::generic::GenericClient;
use tencentcloud_sdk::{Config, Language, SdkError};

use crate::args::{self, CommandLine, Globals};
use crate::catalogue::{self, ServiceEntry, Spec, VersionEntry};
use crate::error::CliError;
use crate::output::{self, Output};
use crate::profile::{self, Settings};
use crate::{help, request, waiter};

/// Runs `tencentcloud <service> <action> <words...>`.
pub fn run(entry: &'static ServiceEntry, action: &str, words: &[String]) -> Result<(), CliError> {
    // A first reading finds the global options; members are only known once the version is.
    let first = args::parse(words, |_| true)?;
    if first.help {
        let (version, spec) = entry.version_with(first.globals.version.as_deref(), None, action)?;
        let action = spec.action(entry.name, action)?;
        return help::print(&help::action(entry, version, &spec, action));
    }
    let settings = profile::settings(&first.globals)?;
    let preferred = settings
        .services
        .get(entry.name)
        .and_then(|service| service.version.as_deref());
    let (version, spec) =
        entry.version_with(first.globals.version.as_deref(), preferred, action)?;
    let action_spec = spec.action(entry.name, action)?;
    let line = args::parse(words, |path| request::is_list(&spec, action_spec, path))?;
    if let Some(word) = line.positional.first() {
        return Err(CliError::usage(format!(
            "unexpected `{word}`: values follow a `--Member` option"
        )));
    }
    if line.globals.generate_cli_skeleton {
        let skeleton = request::skeleton(&spec, action_spec);
        return help::print(&output::json(&Value::Object(skeleton)));
    }
    if action_spec.multipart {
        return Err(CliError::usage(format!(
            "{} sends a file as multipart/form-data, which this CLI cannot send; the SDK can",
            action_spec.name
        )));
    }
    let params = request::build(&spec, action_spec, &line)?;
    let output = Output::new(settings.output.as_deref(), line.globals.filter.as_deref())?;
    let waiter = line
        .globals
        .waiter
        .as_deref()
        .map(|text| waiter::Spec::parse(text, &settings))
        .transpose()?;
    let call = Call::new(entry, version, &spec, &line, &settings)?;
    let runtime = runtime()?;
    if action_spec.stream && params.get("Stream") == Some(&Value::Bool(true)) {
        if line.globals.waiter.is_some() {
            return Err(CliError::usage(
                "--waiter cannot wait on a streamed answer (--Stream true)",
            ));
        }
        return runtime.block_on(call.stream(action_spec, &params, &output));
    }
    let answer = runtime.block_on(async {
        match &waiter {
            Some(waiter) => waiter::poll(waiter, || call.send(action_spec, &params)).await,
            None => call.send(action_spec, &params).await,
        }
    })?;
    help::print(&output.render(&answer)?)
}

/// A tokio runtime on this thread: a command sends one call at a time.
pub fn runtime() -> Result<tokio::runtime::Runtime, CliError> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|err| CliError::internal(format!("cannot start the async runtime: {err}")))
}

/// A client ready to send requests to one service version.
pub struct Call {
    client: GenericClient,
}

impl Call {
    /// The client for a call of `spec`'s service with these options and settings.
    pub fn new(
        entry: &ServiceEntry,
        version: &VersionEntry,
        spec: &Spec,
        line: &CommandLine,
        settings: &Settings,
    ) -> Result<Self, CliError> {
        let config = config(entry.name, &spec.host, &line.globals, settings)?;
        let client = GenericClient::new(config, entry.name.to_owned(), version.version.to_owned())
            .map_err(|err| CliError::usage(err.to_string()))?;
        Ok(Self { client })
    }

    /// Sends one request and gives the answer's `Response` object.
    pub async fn send(
        &self,
        action: &catalogue::Action,
        params: &Map<String, Value>,
    ) -> Result<Value, CliError> {
        let mut call = self
            .client
            .call(action.name.clone())
            .params(params)
            .idempotent(action.idempotent || has_client_token(params));
        if action.unsigned {
            call = call.unsigned();
        }
        call.send().await.map_err(|err| service_error(&err))
    }

    /// Sends a request whose answer is a stream of events, and prints each event as it comes:
    /// in the JSON format, one line of JSON per event.
    pub async fn stream(
        &self,
        action: &catalogue::Action,
        params: &Map<String, Value>,
        output: &Output,
    ) -> Result<(), CliError> {
        let mut events = self
            .client
            .call(action.name.clone())
            .params(params)
            .send_stream()
            .await
            .map_err(|err| service_error(&err))?;
        while let Some(event) = std::future::poll_fn(|cx| Pin::new(&mut events).poll_next(cx)).await
        {
            let event = event.map_err(|err| service_error(&err))?;
            help::print(&output.render_event(&event.data)?)?;
        }
        Ok(())
    }
}

fn has_client_token(params: &Map<String, Value>) -> bool {
    params
        .get("ClientToken")
        .and_then(Value::as_str)
        .is_some_and(|token| !token.is_empty())
}

/// The message of a failed call: the code, message and RequestId when the service answered.
pub fn service_error<E>(err: &SdkError<E>) -> CliError {
    match (err.code(), err.request_id()) {
        (Some(code), Some(request_id)) => CliError::failed(format!(
            "{code}: {} (RequestId {request_id})",
            err.message().unwrap_or_default()
        )),
        _ => CliError::failed(err.to_string()),
    }
}

/// The SDK configuration for a call of `service` (whose host's first label is `host`).
pub fn config(
    service: &str,
    host: &str,
    globals: &Globals,
    settings: &Settings,
) -> Result<Config, CliError> {
    let mut builder = Config::builder().credentials_provider(settings.credentials.clone());
    if let Some(region) = &settings.region {
        builder = builder.region(region.clone());
    }
    let profile_endpoint = settings
        .services
        .get(service)
        .and_then(|service| service.endpoint.as_deref());
    let default_host = format!("{host}.tencentcloudapi.com");
    match globals.endpoint.as_deref().or(profile_endpoint) {
        // The profile of `tencentcloud configure` names the default host: the SDK's own choice
        // (regional hosts where they are needed) is the same.
        Some(endpoint) if endpoint == default_host => {}
        Some(endpoint) if endpoint.contains("://") => builder = builder.endpoint(endpoint),
        Some(endpoint) => builder = builder.endpoint(format!("https://{endpoint}")),
        None => {}
    }
    if let Some(language) = &settings.language {
        builder = builder.language(language_of(language)?);
    }
    if let Some(timeout) = &globals.timeout {
        builder = builder.timeout(seconds("--timeout", timeout)?);
    }
    if let Some(proxy) = &globals.https_proxy {
        builder = builder.proxy(proxy.clone());
    }
    builder
        .build()
        .map_err(|err| CliError::usage(err.to_string()))
}

fn language_of(text: &str) -> Result<Language, CliError> {
    match text {
        "zh-CN" => Ok(Language::ZhCn),
        "en-US" => Ok(Language::EnUs),
        other => Err(CliError::usage(format!(
            "--language must be zh-CN or en-US, not `{other}`"
        ))),
    }
}

/// A positive number of seconds, as `--timeout` and the waiter take it.
pub fn seconds(option: &str, text: &str) -> Result<Duration, CliError> {
    text.parse::<f64>()
        .ok()
        .filter(|value| value.is_finite() && *value > 0.0 && *value < 1e9)
        .map(Duration::from_secs_f64)
        .ok_or_else(|| {
            CliError::usage(format!(
                "{option} must be a positive number of seconds, not `{text}`"
            ))
        })
}

/// The reference page of an action, for messages.
#[allow(dead_code)]
pub fn reference(entry: &ServiceEntry, version: &VersionEntry, action: &str) -> String {
    catalogue::reference_url(entry.name, version.version, action)
}
