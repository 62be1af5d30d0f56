//! Credentials and settings of a call, found where tccli finds them: the command line, then the
//! environment, then the profile's two files in `~/.tccli`, then the SDK's default chain.
//!
//! A profile `NAME` is `~/.tccli/NAME.configure` (`_sys_param` with `region`, `output`,
//! `language`...; per service `{"endpoint", "version"}`; `waiter` with `timeout` and `interval`)
//! and `~/.tccli/NAME.credential` (`secretId`, `secretKey`, `token`, `role-arn`,
//! `role-session-name`, and `type: "cvm-role"` for the CVM instance's role). Either file may be
//! missing. As in tccli, the environment's credentials and region count only when no
//! `--profile` was given: a profile named on the command line is used as it is.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use serde_json::{Map, Value};
use tencentcloud_sdk::credentials::{
    AssumeRoleProvider, Credentials, CredentialsChain, DefaultCredentialsChain,
    InstanceRoleProvider, ProfileFileProvider, SharedCredentialsProvider, WebIdentityProvider,
};

use crate::args::Globals;
use crate::error::CliError;
use crate::suggest;

/// The member of a `.configure` file that holds the settings which are not a service's.
pub const SYS_PARAM: &str = "_sys_param";
/// The member of a `.configure` file that holds the waiter defaults.
pub const WAITER: &str = "waiter";
/// The profile used when none is named.
pub const DEFAULT_PROFILE: &str = "default";

const ENV_PROFILE: &str = "TCCLI_PROFILE";
const ENV_SECRET_ID: &str = "TENCENTCLOUD_SECRET_ID";
const ENV_SECRET_KEY: &str = "TENCENTCLOUD_SECRET_KEY";
/// tccli's name for the session token; the SDK's own name is read when it is not set.
const ENV_TOKEN: &str = "TENCENTCLOUD_TOKEN";
const ENV_SESSION_TOKEN: &str = "TENCENTCLOUD_SESSION_TOKEN";
const ENV_ROLE_ARN: &str = "TENCENTCLOUD_ROLE_ARN";
const ENV_ROLE_SESSION_NAME: &str = "TENCENTCLOUD_ROLE_SESSION_NAME";
const ENV_REGION: &str = "TENCENTCLOUD_REGION";
const STS_DEFAULT_HOST: &str = "sts.tencentcloudapi.com";

/// What a call needs from the configuration: credentials and the settings of the profile.
pub struct Settings {
    /// Where credentials come from.
    pub credentials: SharedCredentialsProvider,
    /// The region: `--region`, else `TENCENTCLOUD_REGION` (when no `--profile` was given), else
    /// the profile's.
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
    let profile = Profile::load(globals.profile.as_deref())?;
    settings_from(globals, &profile, &|name| std::env::var(name).ok())
}

/// `~/.tccli`, when the home folder is known.
pub fn dir() -> Option<PathBuf> {
    std::env::var_os("HOME")
        .or_else(|| std::env::var_os("USERPROFILE"))
        .filter(|home| !home.is_empty())
        .map(|home| PathBuf::from(home).join(".tccli"))
}

/// One profile's two files, as read. Never printed whole: the credential file holds secrets.
pub struct Profile {
    /// Its name.
    pub name: String,
    /// Whether it was named by `--profile` (rather than `TCCLI_PROFILE` or the default).
    pub named: bool,
    /// `~/.tccli/<name>.configure`.
    pub configure_path: PathBuf,
    /// `~/.tccli/<name>.credential`.
    pub credential_path: PathBuf,
    /// The `.configure` file's object (empty when the file is missing).
    pub configure: Map<String, Value>,
    /// The `.credential` file's object (empty when the file is missing).
    pub credential: Map<String, Value>,
    /// Whether either file exists.
    pub exists: bool,
}

impl Profile {
    /// Reads the profile `--profile` names, else `TCCLI_PROFILE`, else `default`. A profile
    /// other than `default` must exist; `default` may be missing (nothing is configured).
    pub fn load(given: Option<&str>) -> Result<Self, CliError> {
        let named = given.is_some();
        let name = chosen_name(given)?;
        let Some(dir) = dir() else {
            if name == DEFAULT_PROFILE {
                return Ok(Self::empty(name, named, PathBuf::new()));
            }
            return Err(CliError::usage(format!(
                "cannot read profile `{name}`: HOME is not set"
            )));
        };
        let profile = Self::read(&dir, name, named)?;
        if !profile.exists && profile.name != DEFAULT_PROFILE {
            let known = names(&dir);
            return Err(CliError::usage(format!(
                "profile `{}` does not exist in {}{}; `tencentcloud configure --profile {}` makes it",
                profile.name,
                dir.display(),
                suggest::did_you_mean(&profile.name, known.iter().map(String::as_str)),
                profile.name
            )));
        }
        Ok(profile)
    }

    /// Reads the files of profile `name` in `dir`; missing files are empty objects.
    pub fn read(dir: &Path, name: String, named: bool) -> Result<Self, CliError> {
        let mut profile = Self::empty(name, named, dir.to_owned());
        let configure = read_object(&profile.configure_path)?;
        let credential = read_object(&profile.credential_path)?;
        profile.exists = configure.is_some() || credential.is_some();
        profile.configure = configure.unwrap_or_default();
        profile.credential = credential.unwrap_or_default();
        Ok(profile)
    }

    fn empty(name: String, named: bool, dir: PathBuf) -> Self {
        Self {
            configure_path: dir.join(format!("{name}.configure")),
            credential_path: dir.join(format!("{name}.credential")),
            name,
            named,
            configure: Map::new(),
            credential: Map::new(),
            exists: false,
        }
    }

    /// A text of the credential file (`secretId`, `role-arn`...); empty counts as missing.
    pub fn credential_text(&self, key: &str) -> Result<Option<String>, CliError> {
        text(self.credential.get(key), key, &self.credential_path)
    }

    /// A text of the configure file's `_sys_param` (`region`, `output`...).
    pub fn sys_text(&self, key: &str) -> Result<Option<String>, CliError> {
        let value = self.configure.get(SYS_PARAM).and_then(|sys| sys.get(key));
        text(value, &format!("{SYS_PARAM}.{key}"), &self.configure_path)
    }

    /// What the configure file says of each service: every object member but `_sys_param` and
    /// `waiter`.
    pub fn services(&self) -> Result<HashMap<String, ServiceSettings>, CliError> {
        let mut services = HashMap::new();
        for (name, value) in &self.configure {
            let Value::Object(members) = value else {
                continue;
            };
            if name == SYS_PARAM || name == WAITER {
                continue;
            }
            let field = |field: &str| {
                text(
                    members.get(field),
                    &format!("{name}.{field}"),
                    &self.configure_path,
                )
            };
            let settings = ServiceSettings {
                endpoint: field("endpoint")?,
                version: field("version")?,
            };
            services.insert(name.clone(), settings);
        }
        Ok(services)
    }

    /// A number of seconds of the configure file's `waiter` (`timeout`, `interval`).
    pub fn waiter_seconds(&self, key: &str) -> Result<Option<f64>, CliError> {
        match self
            .configure
            .get(WAITER)
            .and_then(|waiter| waiter.get(key))
        {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Number(number)) => Ok(number.as_f64()),
            Some(_) => Err(CliError::usage(format!(
                "{}: `{WAITER}.{key}` must be a number of seconds",
                self.configure_path.display()
            ))),
        }
    }
}

/// The profile's name: `given` (`--profile`), else `TCCLI_PROFILE`, else `default`.
pub fn chosen_name(given: Option<&str>) -> Result<String, CliError> {
    let name = match given {
        Some(name) => name.to_owned(),
        None => std::env::var(ENV_PROFILE)
            .ok()
            .filter(|name| !name.is_empty())
            .unwrap_or_else(|| DEFAULT_PROFILE.to_owned()),
    };
    check_name(&name)?;
    Ok(name)
}

/// Refuses profile names that are empty or would reach outside `~/.tccli`.
pub fn check_name(name: &str) -> Result<(), CliError> {
    let bad = name.is_empty()
        || name.starts_with('.')
        || name.contains(['/', '\\'])
        || name.chars().any(char::is_control);
    if bad {
        return Err(CliError::usage(format!(
            "`{name}` cannot be a profile name: it must not be empty, start with `.` or hold `/`"
        )));
    }
    Ok(())
}

/// The profiles in `dir`: the names of its `.configure` and `.credential` files, sorted.
pub fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|entry| {
            let file = entry.file_name().into_string().ok()?;
            let name = file
                .strip_suffix(".configure")
                .or_else(|| file.strip_suffix(".credential"))?;
            check_name(name).is_ok().then(|| name.to_owned())
        })
        .collect();
    names.sort();
    names.dedup();
    names
}

/// The JSON object of the file at `path`, `None` when there is no such file. A file that is not
/// a JSON object is an error naming it; its content is never quoted (it may hold secrets).
pub fn read_object(path: &Path) -> Result<Option<Map<String, Value>>, CliError> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(err) => {
            return Err(CliError::failed(format!(
                "cannot read {}: {err}",
                path.display()
            )));
        }
    };
    match serde_json::from_str::<Value>(&text) {
        Ok(Value::Object(object)) => Ok(Some(object)),
        Ok(_) => Err(CliError::usage(format!(
            "{} is JSON but not an object; fix it, or remove it and run `tencentcloud configure`",
            path.display()
        ))),
        Err(err) => Err(CliError::usage(format!(
            "{} is not valid JSON (line {}, column {}); fix it, or remove it and run `tencentcloud configure`",
            path.display(),
            err.line(),
            err.column()
        ))),
    }
}

/// A text member of a file: a non-empty string, or nothing (missing, null or empty).
fn text(value: Option<&Value>, key: &str, path: &Path) -> Result<Option<String>, CliError> {
    match value {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(text)) => Ok(Some(text.clone()).filter(|text| !text.is_empty())),
        Some(_) => Err(CliError::usage(format!(
            "{}: `{key}` must be a string",
            path.display()
        ))),
    }
}

/// Settings from the command line, the profile, and environment variables looked up by `env`.
fn settings_from(
    globals: &Globals,
    profile: &Profile,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<Settings, CliError> {
    // As in tccli, a profile named by --profile is not overridden by the environment.
    let env = |name: &str| match profile.named {
        true => None,
        false => env(name).filter(|value| !value.is_empty()),
    };
    let services = profile.services()?;
    let sts_endpoint = sts_endpoint(globals, services.get("sts"));
    let region = globals.region.clone().or_else(|| env(ENV_REGION));
    Ok(Settings {
        credentials: source(globals, profile, &env)?.provider(sts_endpoint.as_deref()),
        region: or_try(region, || profile.sys_text("region"))?,
        output: or_try(globals.output.clone(), || profile.sys_text("output"))?,
        language: or_try(globals.language.clone(), || profile.sys_text("language"))?,
        services,
        waiter_timeout: profile.waiter_seconds("timeout")?,
        waiter_interval: profile.waiter_seconds("interval")?,
    })
}

/// `value`, else what `otherwise` finds.
fn or_try(
    value: Option<String>,
    otherwise: impl FnOnce() -> Result<Option<String>, CliError>,
) -> Result<Option<String>, CliError> {
    match value {
        Some(value) => Ok(Some(value)),
        None => otherwise(),
    }
}

/// Where AssumeRole is sent: the profile's `sts.endpoint`; else `--endpoint` when it is a URL
/// (an emulator serves every service at one URL); else the SDK's default.
fn sts_endpoint(globals: &Globals, sts: Option<&ServiceSettings>) -> Option<String> {
    let url = |endpoint: &str| match endpoint.contains("://") {
        true => endpoint.to_owned(),
        false => format!("https://{endpoint}"),
    };
    let profile = sts
        .and_then(|sts| sts.endpoint.as_deref())
        .filter(|host| *host != STS_DEFAULT_HOST);
    match (profile, globals.endpoint.as_deref()) {
        (Some(endpoint), _) => Some(url(endpoint)),
        (None, Some(endpoint)) if endpoint.contains("://") => Some(endpoint.to_owned()),
        _ => None,
    }
}

/// Where the credentials of a call come from.
#[derive(Debug, PartialEq)]
enum Source {
    /// A key pair (and token) given on the command line, in the environment or in the file.
    Static(Credentials),
    /// The CVM instance's role.
    CvmRole,
    /// A role assumed through STS, signed with credentials from `source`.
    AssumeRole {
        role_arn: String,
        session_name: String,
        source: Box<Source>,
    },
    /// The SDK's default chain; without its environment step when a profile was named.
    Default { environment: bool },
}

impl Source {
    fn provider(self, sts_endpoint: Option<&str>) -> SharedCredentialsProvider {
        match self {
            Source::Static(credentials) => SharedCredentialsProvider::new(credentials),
            Source::CvmRole => SharedCredentialsProvider::new(InstanceRoleProvider::new()),
            Source::Default { environment: true } => {
                SharedCredentialsProvider::new(DefaultCredentialsChain::new())
            }
            Source::Default { environment: false } => SharedCredentialsProvider::new(
                CredentialsChain::first_try(ProfileFileProvider::new())
                    .or_else(InstanceRoleProvider::new())
                    .or_else(WebIdentityProvider::from_tke_env()),
            ),
            Source::AssumeRole {
                role_arn,
                session_name,
                source,
            } => {
                let mut builder = AssumeRoleProvider::builder(role_arn, session_name)
                    .source(source.provider(sts_endpoint));
                if let Some(url) = sts_endpoint {
                    builder = builder.endpoint(url);
                }
                SharedCredentialsProvider::new(builder.build())
            }
        }
    }
}

/// Chooses the source of credentials. `env` already answers nothing when a profile was named.
fn source(
    globals: &Globals,
    profile: &Profile,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<Source, CliError> {
    let env_pair = env(ENV_SECRET_ID).zip(env(ENV_SECRET_KEY));
    let env_role = env(ENV_ROLE_ARN);
    let given_keys = globals.secret_id.is_some() || globals.secret_key.is_some();
    // As in tccli, `type: cvm-role` in the file counts only when nothing else was given.
    let file_cvm_role = profile.credential_text("type")?.as_deref() == Some("cvm-role")
        && !given_keys
        && globals.role_arn.is_none()
        && globals.role_session_name.is_none()
        && env_pair.is_none()
        && env_role.is_none();
    let role_arn = or_try(globals.role_arn.clone().or(env_role), || {
        profile.credential_text("role-arn")
    })?;
    let cvm_role = globals.use_cvm_role || file_cvm_role;
    let keys = match cvm_role {
        true => None,
        false => static_credentials(globals, profile, env_pair, env)?,
    };
    if let Some(role_arn) = role_arn {
        let session_name = globals
            .role_session_name
            .clone()
            .or_else(|| env(ENV_ROLE_SESSION_NAME));
        let session_name = or_try(session_name, || {
            profile.credential_text("role-session-name")
        })?
        .unwrap_or_else(session_name_now);
        let source = match keys {
            Some(credentials) => Source::Static(credentials),
            None if cvm_role => Source::CvmRole,
            None => Source::Default {
                environment: !profile.named,
            },
        };
        return Ok(Source::AssumeRole {
            role_arn,
            session_name,
            source: Box::new(source),
        });
    }
    if globals.role_session_name.is_some() {
        return Err(CliError::usage(
            "--role-session-name needs --role-arn, the role to assume",
        ));
    }
    Ok(match keys {
        Some(credentials) => Source::Static(credentials),
        None if cvm_role => Source::CvmRole,
        None => Source::Default {
            environment: !profile.named,
        },
    })
}

/// The key pair: each of `--secretId` and `--secretKey`, else the environment's pair, else the
/// file's. The token goes with the pair it was found with, unless `--token` is given.
fn static_credentials(
    globals: &Globals,
    profile: &Profile,
    env_pair: Option<(String, String)>,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<Option<Credentials>, CliError> {
    let (stored_id, stored_key, stored_token) = match env_pair {
        Some((id, key)) => (
            Some(id),
            Some(key),
            env(ENV_TOKEN).or_else(|| env(ENV_SESSION_TOKEN)),
        ),
        None => (
            profile.credential_text("secretId")?,
            profile.credential_text("secretKey")?,
            profile.credential_text("token")?,
        ),
    };
    let given_keys = globals.secret_id.is_some() || globals.secret_key.is_some();
    let id = globals.secret_id.clone().or(stored_id);
    let key = globals.secret_key.clone().or(stored_key);
    let token = match given_keys {
        true => globals.token.clone(),
        false => globals.token.clone().or(stored_token),
    };
    match (id, key) {
        (Some(id), Some(key)) => {
            let credentials = Credentials::new(id, key);
            Ok(Some(match token {
                Some(token) => credentials.with_token(token),
                None => credentials,
            }))
        }
        (None, None) if globals.token.is_some() => Err(CliError::usage(
            "--token needs the secret id and key it goes with",
        )),
        (None, None) => Ok(None),
        (Some(_), None) => Err(CliError::usage(missing(
            "secret key",
            "--secretKey",
            profile,
        ))),
        (None, Some(_)) => Err(CliError::usage(missing("secret id", "--secretId", profile))),
    }
}

fn missing(what: &str, option: &str, profile: &Profile) -> String {
    format!(
        "the {what} is missing: give {option}, or run `tencentcloud configure --profile {}`",
        profile.name
    )
}

/// The session name used when a role is assumed without one: `tencentcloud-cli-` and the time
/// in seconds, which tells the calls apart in the audit logs.
fn session_name_now() -> String {
    let seconds = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|since| since.as_secs())
        .unwrap_or_default();
    format!("tencentcloud-cli-{seconds}")
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn profile(named: bool, configure: Value, credential: Value) -> Profile {
        let object = |value: Value| value.as_object().cloned().unwrap_or_default();
        let mut profile = Profile::empty("p".to_owned(), named, PathBuf::from("/home/u/.tccli"));
        profile.configure = object(configure);
        profile.credential = object(credential);
        profile
    }

    fn env_of<'a>(pairs: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |name| {
            pairs
                .iter()
                .find(|(key, _)| *key == name)
                .map(|(_, value)| (*value).to_owned())
        }
    }

    /// The source chosen, with the environment seen as `settings_from` shows it.
    fn source_of(globals: &Globals, profile: &Profile, pairs: &[(&str, &str)]) -> Source {
        let lookup = env_of(pairs);
        let seen = |name: &str| if profile.named { None } else { lookup(name) };
        source(globals, profile, &seen).unwrap()
    }

    const ENV_KEYS: &[(&str, &str)] = &[
        (ENV_SECRET_ID, "AKIDenv"),
        (ENV_SECRET_KEY, "envkey"),
        (ENV_TOKEN, "envtoken"),
    ];

    #[test]
    fn command_line_then_environment_then_file() {
        let file = profile(
            false,
            json!({}),
            json!({"secretId": "AKIDfile", "secretKey": "filekey"}),
        );
        let globals = Globals {
            secret_id: Some("AKIDcli".into()),
            secret_key: Some("clikey".into()),
            ..Globals::default()
        };
        assert_eq!(
            source_of(&globals, &file, ENV_KEYS),
            Source::Static(Credentials::new("AKIDcli", "clikey"))
        );
        assert_eq!(
            source_of(&Globals::default(), &file, ENV_KEYS),
            Source::Static(Credentials::new("AKIDenv", "envkey").with_token("envtoken"))
        );
        assert_eq!(
            source_of(&Globals::default(), &file, &[]),
            Source::Static(Credentials::new("AKIDfile", "filekey"))
        );
        // A profile named by --profile ignores the environment.
        let named = profile(
            true,
            json!({}),
            json!({"secretId": "AKIDfile", "secretKey": "filekey"}),
        );
        assert_eq!(
            source_of(&Globals::default(), &named, ENV_KEYS),
            Source::Static(Credentials::new("AKIDfile", "filekey"))
        );
        let empty = profile(true, json!({}), json!({}));
        assert_eq!(
            source_of(&Globals::default(), &empty, ENV_KEYS),
            Source::Default { environment: false }
        );
        let empty = profile(false, json!({}), json!({}));
        assert_eq!(
            source_of(&Globals::default(), &empty, &[]),
            Source::Default { environment: true }
        );
    }

    #[test]
    fn roles() {
        let file = profile(
            false,
            json!({}),
            json!({"secretId": "AKIDfile", "secretKey": "filekey", "role-arn": "qcs::cam::uin/1:roleName/r"}),
        );
        let Source::AssumeRole {
            role_arn,
            session_name,
            source: signer,
        } = source_of(&Globals::default(), &file, &[])
        else {
            panic!("a role");
        };
        assert_eq!(role_arn, "qcs::cam::uin/1:roleName/r");
        assert!(session_name.starts_with("tencentcloud-cli-"));
        assert_eq!(
            *signer,
            Source::Static(Credentials::new("AKIDfile", "filekey"))
        );

        let cvm = profile(
            false,
            json!({}),
            json!({"type": "cvm-role", "secretId": "AKIDold", "secretKey": "old"}),
        );
        assert_eq!(source_of(&Globals::default(), &cvm, &[]), Source::CvmRole);
        // Keys from the environment win over the file's `type`, as in tccli.
        assert!(matches!(
            source_of(&Globals::default(), &cvm, ENV_KEYS),
            Source::Static(_)
        ));
        let flag = Globals {
            use_cvm_role: true,
            ..Globals::default()
        };
        let Source::AssumeRole { source: signer, .. } = source_of(&flag, &file, ENV_KEYS) else {
            panic!("a role");
        };
        assert_eq!(*signer, Source::CvmRole);

        let globals = Globals {
            role_session_name: Some("s".into()),
            ..Globals::default()
        };
        let empty = profile(false, json!({}), json!({}));
        let env = |_: &str| None;
        assert!(source(&globals, &empty, &env).is_err());
    }

    #[test]
    fn half_a_pair_is_refused_without_showing_it() {
        let file = profile(false, json!({}), json!({"secretId": "AKIDfile"}));
        let env = |_: &str| None;
        let err = source(&Globals::default(), &file, &env).unwrap_err();
        assert!(err.to_string().contains("secret key is missing"), "{err}");
        assert!(!err.to_string().contains("AKIDfile"));
        let file = profile(false, json!({}), json!({"secretKey": 3}));
        let err = source(&Globals::default(), &file, &env).unwrap_err();
        assert_eq!(
            err.to_string(),
            "/home/u/.tccli/p.credential: `secretKey` must be a string"
        );
    }

    #[test]
    fn settings_of_the_configure_file() {
        let file = profile(
            false,
            json!({
                "_sys_param": {"region": "ap-beijing", "output": "table", "language": "en-US"},
                "cvm": {"endpoint": "cvm.ap-beijing.tencentcloudapi.com", "version": "2017-03-12"},
                "sts": {"endpoint": "sts.internal.example"},
                "waiter": {"timeout": 60, "interval": 2.5}
            }),
            json!({"secretId": "AKIDfile", "secretKey": "filekey"}),
        );
        let settings = settings_from(&Globals::default(), &file, &env_of(&[])).unwrap();
        assert_eq!(settings.region.as_deref(), Some("ap-beijing"));
        assert_eq!(settings.output.as_deref(), Some("table"));
        assert_eq!(settings.language.as_deref(), Some("en-US"));
        assert_eq!(
            settings.services["cvm"].version.as_deref(),
            Some("2017-03-12")
        );
        assert_eq!(settings.waiter_timeout, Some(60.0));
        assert_eq!(settings.waiter_interval, Some(2.5));
        let env = env_of(&[(ENV_REGION, "ap-shanghai")]);
        assert_eq!(
            settings_from(&Globals::default(), &file, &env)
                .unwrap()
                .region
                .as_deref(),
            Some("ap-shanghai")
        );
        let globals = Globals {
            region: Some("ap-chengdu".into()),
            ..Globals::default()
        };
        assert_eq!(
            settings_from(&globals, &file, &env)
                .unwrap()
                .region
                .as_deref(),
            Some("ap-chengdu")
        );

        let emulator = Globals {
            endpoint: Some("http://127.0.0.1:9".into()),
            ..Globals::default()
        };
        let sts = ServiceSettings {
            endpoint: Some("sts.internal.example".into()),
            version: None,
        };
        assert_eq!(
            sts_endpoint(&emulator, Some(&sts)).as_deref(),
            Some("https://sts.internal.example")
        );
        assert_eq!(
            sts_endpoint(&emulator, None).as_deref(),
            Some("http://127.0.0.1:9")
        );
        let host = Globals {
            endpoint: Some("cvm.tencentcloudapi.com".into()),
            ..Globals::default()
        };
        assert_eq!(sts_endpoint(&host, None), None);
    }

    #[test]
    fn profile_names_stay_in_the_folder() {
        for bad in ["", "../x", ".hidden", "a/b", "a\\b"] {
            assert!(check_name(bad).is_err(), "{bad}");
        }
        assert!(check_name("prod-1").is_ok());
    }
}
