//! `tencentcloud configure`: makes, changes and shows the profiles of `~/.tccli`, in tccli's
//! files and with tccli's keys.
//!
//! ```text
//! tencentcloud configure [--profile NAME]                  ask for the keys, region and output
//! tencentcloud configure set KEY VALUE [KEY VALUE...]      change a profile
//! tencentcloud configure get KEY...                        show settings (secrets masked)
//! tencentcloud configure list [--all]                      show a profile, or every profile
//! tencentcloud configure remove [--profile NAME]           delete a profile's files
//! ```
//!
//! `~/.tccli` is made readable by its owner only (0700) and every file is written as a new file
//! of mode 0600 that replaces the old one, so that no reader ever sees a half-written file or a
//! file others may read.

use std::fs::{DirBuilder, OpenOptions};
use std::io::Write;
use std::path::Path;
use std::time::{SystemTime, UNIX_EPOCH};

use serde_json::{Map, Number, Value};

use crate::catalogue;
use crate::error::CliError;
use crate::help;
use crate::profile::{self, Profile, SYS_PARAM, WAITER};
use crate::prompt::Prompter;
use crate::suggest;

/// The keys of a `.credential` file that `set` and `get` take as they are.
const CREDENTIAL_KEYS: &[&str] = &[
    "secretId",
    "secretKey",
    "token",
    "role-arn",
    "role-session-name",
];
/// The keys whose values are never shown whole.
const SECRET_KEYS: &[&str] = &["secretId", "secretKey", "token"];
/// The key standing for `type: "cvm-role"` in the `.credential` file.
const USE_CVM_ROLE: &str = "use-cvm-role";
/// The keys of `_sys_param` in a `.configure` file.
const SYS_KEYS: &[&str] = &[
    "region",
    "output",
    "language",
    "arrayCount",
    "warning",
    "request-client",
];
const SERVICE_FIELDS: &[&str] = &["endpoint", "version"];
const WAITER_FIELDS: &[&str] = &["timeout", "interval"];
const COMMANDS: &[&str] = &["set", "get", "list", "remove", "help"];
const OUTPUTS: &[&str] = &["json", "table", "text"];

const HELP: &str = "\
tencentcloud configure: the profiles of ~/.tccli, shared with tccli

  tencentcloud configure [--profile NAME]
      ask for the SecretId, SecretKey (not shown as typed), region and output; Enter keeps
      the value in brackets. When stdin is not a terminal, the four answers are read from it,
      one a line.
  tencentcloud configure set KEY VALUE [KEY VALUE...] [--profile NAME]
      change settings; an empty VALUE (\"\") removes one
  tencentcloud configure get KEY... [--profile NAME]
      show settings; secretId, secretKey and token show only their last 4 characters
  tencentcloud configure list [--profile NAME | --all]
      show a profile's settings, or those of every profile
  tencentcloud configure remove [--profile NAME]
      delete the profile's two files

Keys:
  secretId, secretKey, token      the credentials (NAME.credential)
  role-arn, role-session-name     a role to assume through STS with them
  use-cvm-role true|false         use the CVM instance's role instead
  region, output (json, table, text), language (zh-CN, en-US), arrayCount, warning,
  request-client                  settings of every call (NAME.configure)
  SERVICE.endpoint, SERVICE.version
                                  a service's host (or URL) and API version, as cvm.version
  waiter.timeout, waiter.interval the waiters' defaults, in seconds

The profile is --profile NAME, else TCCLI_PROFILE, else `default`: ~/.tccli/NAME.configure and
~/.tccli/NAME.credential.
";

/// Runs `tencentcloud configure ...` (the words after `configure`).
pub fn run(words: &[String]) -> Result<(), CliError> {
    let line = Line::parse(words)?;
    if line.help || line.command.as_deref() == Some("help") {
        return help::print(HELP);
    }
    if line.all && line.command.as_deref() != Some("list") {
        return Err(CliError::usage("--all goes with `configure list`"));
    }
    let dir = profile::dir()
        .ok_or_else(|| CliError::usage("HOME is not set: there is no ~/.tccli to configure"))?;
    let name = profile::chosen_name(line.profile.as_deref())?;
    let profile = Profile::read(&dir, name, line.profile.is_some())?;
    let words = line.words.as_slice();
    match line.command.as_deref() {
        None => interactive(&dir, profile),
        Some("set") => set(&dir, profile, words),
        Some("get") => get(&profile, words),
        Some("list") if line.all => no_words("list", words).and_then(|()| list_all(&dir)),
        Some("list") => no_words("list", words).and_then(|()| help::print(&listing(&profile)?)),
        Some("remove") => no_words("remove", words).and_then(|()| remove(&profile)),
        Some(other) => Err(CliError::usage(format!(
            "`configure {other}` is not a command{}; `tencentcloud configure help` lists them",
            suggest::did_you_mean(other, COMMANDS.iter().copied())
        ))),
    }
}

/// The words of `configure`: a command, its words, and the options anywhere among them.
#[derive(Default)]
struct Line {
    command: Option<String>,
    words: Vec<String>,
    profile: Option<String>,
    all: bool,
    help: bool,
}

impl Line {
    fn parse(words: &[String]) -> Result<Self, CliError> {
        let mut line = Line::default();
        let mut words = words.iter();
        while let Some(word) = words.next() {
            match word.as_str() {
                "--help" | "-h" => line.help = true,
                "--all" => line.all = true,
                "--profile" => {
                    let name = words
                        .next()
                        .ok_or_else(|| CliError::usage("--profile needs a value"))?;
                    line.profile = Some(name.clone());
                }
                _ if word.starts_with("--profile=") => {
                    line.profile = Some(word["--profile=".len()..].to_owned());
                }
                _ if word.starts_with("--") => {
                    let name = &word[2..];
                    return Err(CliError::usage(format!(
                        "`{word}` is not an option of configure{}",
                        suggest::did_you_mean(name, ["profile", "all", "help"])
                    )));
                }
                _ if line.command.is_none() => line.command = Some(word.clone()),
                _ => line.words.push(word.clone()),
            }
        }
        Ok(line)
    }
}

fn no_words(command: &str, words: &[String]) -> Result<(), CliError> {
    match words.first() {
        Some(word) => Err(CliError::usage(format!(
            "`configure {command}` takes no `{word}`"
        ))),
        None => Ok(()),
    }
}

/// A key of `set` and `get`.
#[derive(Clone, Copy)]
enum Key<'a> {
    /// A member of the `.credential` file.
    Credential(&'static str),
    /// `use-cvm-role`: the `.credential` file's `type`.
    UseCvmRole,
    /// A member of the `.configure` file's `_sys_param`.
    Sys(&'static str),
    /// `<service>.endpoint` or `<service>.version`.
    Service(&'a str, &'static str),
    /// `waiter.timeout` or `waiter.interval`.
    Waiter(&'static str),
}

impl<'a> Key<'a> {
    fn parse(name: &'a str) -> Result<Self, CliError> {
        let known = |list: &[&'static str]| list.iter().copied().find(|known| *known == name);
        if let Some(key) = known(CREDENTIAL_KEYS) {
            return Ok(Key::Credential(key));
        }
        if let Some(key) = known(SYS_KEYS) {
            return Ok(Key::Sys(key));
        }
        if name == USE_CVM_ROLE {
            return Ok(Key::UseCvmRole);
        }
        let Some((prefix, field)) = name.split_once('.') else {
            let simple = CREDENTIAL_KEYS
                .iter()
                .chain(SYS_KEYS)
                .copied()
                .chain([USE_CVM_ROLE]);
            let dotted = [
                "waiter.timeout",
                "waiter.interval",
                "cvm.endpoint",
                "cvm.version",
            ];
            return Err(CliError::usage(format!(
                "unknown key `{name}`{}; `tencentcloud configure help` lists the keys",
                suggest::did_you_mean(name, simple.chain(dotted))
            )));
        };
        let fields = if prefix == WAITER {
            WAITER_FIELDS
        } else {
            SERVICE_FIELDS
        };
        let Some(field) = fields.iter().copied().find(|known| *known == field) else {
            return Err(CliError::usage(format!(
                "unknown key `{name}`: after `{prefix}.` comes {}{}",
                fields.join(" or "),
                suggest::did_you_mean(field, fields.iter().copied())
            )));
        };
        if prefix == WAITER {
            return Ok(Key::Waiter(field));
        }
        catalogue::service(prefix)?;
        Ok(Key::Service(prefix, field))
    }

    /// The value stored for `text`, checked; `None` for an empty text (the setting is removed).
    fn value(self, name: &str, text: &str) -> Result<Option<Value>, CliError> {
        if text.is_empty() {
            return Ok(None);
        }
        if text.chars().any(char::is_control) {
            return Err(CliError::usage(format!(
                "the value of `{name}` holds a control character"
            )));
        }
        let one_of = |allowed: &[&str]| match allowed.contains(&text) {
            true => Ok(Some(Value::String(text.to_owned()))),
            false => Err(CliError::usage(format!(
                "{name} must be {}, not `{text}`",
                allowed.join(", ")
            ))),
        };
        match self {
            Key::Sys("output") => one_of(OUTPUTS),
            Key::Sys("language") => one_of(&["zh-CN", "en-US"]),
            Key::Sys("warning") => one_of(&["on", "off"]),
            Key::UseCvmRole => match text.to_ascii_lowercase().as_str() {
                "true" => Ok(Some(Value::String("cvm-role".to_owned()))),
                "false" => Ok(None),
                _ => Err(CliError::usage(format!(
                    "{name} must be true or false, not `{text}`"
                ))),
            },
            Key::Sys("arrayCount") => text
                .parse::<u64>()
                .map(|count| Some(Value::from(count)))
                .map_err(|_| {
                    CliError::usage(format!("arrayCount must be a whole number, not `{text}`"))
                }),
            Key::Waiter(_) => seconds(text).map(Some).ok_or_else(|| {
                CliError::usage(format!(
                    "{name} must be a positive number of seconds, not `{text}`"
                ))
            }),
            Key::Service(service, "version") => {
                let entry = catalogue::service(service)?;
                if !entry.versions.iter().any(|version| version.version == text) {
                    let known: Vec<&str> = entry
                        .versions
                        .iter()
                        .map(|version| version.version)
                        .collect();
                    return Err(CliError::usage(format!(
                        "{service} has no version `{text}`; it has {}",
                        known.join(", ")
                    )));
                }
                Ok(Some(Value::String(text.to_owned())))
            }
            Key::Service(..) if text.contains(char::is_whitespace) => Err(CliError::usage(
                format!("{name} must be a host or a URL, without spaces"),
            )),
            _ => Ok(Some(Value::String(text.to_owned()))),
        }
    }
}

/// A positive number of seconds as JSON: whole when it is whole.
fn seconds(text: &str) -> Option<Value> {
    if let Ok(whole) = text.parse::<u64>() {
        return (whole > 0).then(|| Value::from(whole));
    }
    let value = text
        .parse::<f64>()
        .ok()
        .filter(|value| value.is_finite() && *value > 0.0)?;
    Number::from_f64(value).map(Value::Number)
}

/// `configure set KEY VALUE...`: every pair is checked before anything is written.
fn set(dir: &Path, profile: Profile, words: &[String]) -> Result<(), CliError> {
    if words.is_empty() || words.len() % 2 != 0 {
        return Err(CliError::usage(
            "`configure set` takes keys and values in pairs, such as `configure set region ap-guangzhou output json`",
        ));
    }
    let Profile {
        mut configure,
        mut credential,
        configure_path,
        credential_path,
        ..
    } = profile;
    let (mut configure_changed, mut credential_changed) = (false, false);
    for pair in words.chunks(2) {
        let (name, text) = (&pair[0], &pair[1]);
        let key = Key::parse(name)?;
        let value = key.value(name, text)?;
        match key {
            Key::Credential(member) => {
                put(&mut credential, member, value);
                credential_changed = true;
            }
            Key::UseCvmRole => {
                put(&mut credential, "type", value);
                credential_changed = true;
            }
            Key::Sys(member) => {
                put(
                    object_in(&mut configure, SYS_PARAM, &configure_path)?,
                    member,
                    value,
                );
                configure_changed = true;
            }
            Key::Service(service, member) => {
                put(
                    object_in(&mut configure, service, &configure_path)?,
                    member,
                    value,
                );
                configure_changed = true;
            }
            Key::Waiter(member) => {
                put(
                    object_in(&mut configure, WAITER, &configure_path)?,
                    member,
                    value,
                );
                configure_changed = true;
            }
        }
    }
    if credential_changed {
        write_object(dir, &credential_path, &credential)?;
    }
    if configure_changed {
        object_in(&mut configure, SYS_PARAM, &configure_path)?;
        write_object(dir, &configure_path, &configure)?;
    }
    Ok(())
}

fn put(object: &mut Map<String, Value>, key: &str, value: Option<Value>) {
    match value {
        Some(value) => object.insert(key.to_owned(), value),
        None => object.remove(key),
    };
}

/// The object `object[key]`, made when missing; an error naming the file when it is not one.
fn object_in<'m>(
    object: &'m mut Map<String, Value>,
    key: &str,
    path: &Path,
) -> Result<&'m mut Map<String, Value>, CliError> {
    match object
        .entry(key)
        .or_insert_with(|| Value::Object(Map::new()))
    {
        Value::Object(inner) => Ok(inner),
        _ => Err(CliError::usage(format!(
            "{}: `{key}` is not an object; fix or remove the file",
            path.display()
        ))),
    }
}

/// `configure get KEY...`: `key = value` lines, secrets masked.
fn get(profile: &Profile, words: &[String]) -> Result<(), CliError> {
    if words.is_empty() {
        return Err(CliError::usage(
            "`configure get` needs keys, such as `configure get region`",
        ));
    }
    let mut text = String::new();
    for name in words {
        let value = lookup(profile, Key::parse(name)?).ok_or_else(|| {
            CliError::failed(format!("`{name}` is not set in profile `{}`", profile.name))
        })?;
        text.push_str(&format!("{name} = {}\n", shown(name, &value)));
    }
    help::print(&text)
}

fn lookup(profile: &Profile, key: Key<'_>) -> Option<Value> {
    let section = |name: &str| profile.configure.get(name).and_then(Value::as_object);
    let (object, member) = match key {
        Key::Credential(member) => (Some(&profile.credential), member),
        Key::UseCvmRole => {
            let cvm = profile.credential.get("type").and_then(Value::as_str) == Some("cvm-role");
            return Some(Value::Bool(cvm));
        }
        Key::Sys(member) => (section(SYS_PARAM), member),
        Key::Service(service, member) => (section(service), member),
        Key::Waiter(member) => (section(WAITER), member),
    };
    object?
        .get(member)
        .filter(|value| !value.is_null() && value.as_str() != Some(""))
        .cloned()
}

/// A value as `get` and `list` show it: secrets masked, text as it is, the rest as JSON.
fn shown(name: &str, value: &Value) -> String {
    match value {
        Value::String(text) if SECRET_KEYS.contains(&name) => mask(text),
        Value::String(text) => text.clone(),
        other if SECRET_KEYS.contains(&name) => mask(&other.to_string()),
        other => other.to_string(),
    }
}

/// A secret as tccli shows it: 16 asterisks and its last 4 characters (none of them when it is
/// too short for 4 to say little).
pub fn mask(secret: &str) -> String {
    let chars: Vec<char> = secret.chars().collect();
    let tail: String = match chars.len() {
        12.. => chars[chars.len() - 4..].iter().collect(),
        _ => String::new(),
    };
    format!("{}{tail}", "*".repeat(16))
}

/// `configure list`: the profile's settings, in tccli's layout.
fn listing(profile: &Profile) -> Result<String, CliError> {
    let mut text = String::from("credential:\n");
    let line = |text: &mut String, name: &str, key: Key<'_>| {
        if let Some(value) = lookup(profile, key) {
            text.push_str(&format!("{name} = {}\n", shown(name, &value)));
        }
    };
    for key in CREDENTIAL_KEYS {
        line(&mut text, key, Key::Credential(key));
    }
    if profile.credential_text("type")?.as_deref() == Some("cvm-role") {
        line(&mut text, USE_CVM_ROLE, Key::UseCvmRole);
    }
    text.push_str("configure:\n");
    for key in SYS_KEYS {
        line(&mut text, key, Key::Sys(key));
    }
    let mut sections: Vec<&String> = profile.configure.keys().collect();
    sections.sort();
    for section in sections {
        match section.as_str() {
            SYS_PARAM => {}
            WAITER => {
                for field in WAITER_FIELDS {
                    line(&mut text, &format!("{WAITER}.{field}"), Key::Waiter(field));
                }
            }
            service => {
                for field in ["version", "endpoint"] {
                    line(
                        &mut text,
                        &format!("{service}.{field}"),
                        Key::Service(service, field),
                    );
                }
            }
        }
    }
    Ok(text)
}

/// `configure list --all`: every profile, each under `[name]`.
fn list_all(dir: &Path) -> Result<(), CliError> {
    let mut text = String::new();
    for name in profile::names(dir) {
        let profile = Profile::read(dir, name, true)?;
        text.push_str(&format!("[{}]\n{}\n", profile.name, listing(&profile)?));
    }
    help::print(&text)
}

/// `configure remove`: deletes both files of the profile.
fn remove(profile: &Profile) -> Result<(), CliError> {
    if !profile.exists {
        return Err(CliError::failed(format!(
            "profile `{}` does not exist",
            profile.name
        )));
    }
    for path in [&profile.configure_path, &profile.credential_path] {
        match std::fs::remove_file(path) {
            Ok(()) => {}
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => {}
            Err(err) => {
                return Err(CliError::failed(format!(
                    "cannot remove {}: {err}",
                    path.display()
                )));
            }
        }
    }
    Ok(())
}

/// `configure`: asks for the key pair, the region and the output format.
fn interactive(dir: &Path, profile: Profile) -> Result<(), CliError> {
    let prompter = Prompter::new();
    let say = |text: &str| match prompter.is_terminal() {
        true => help::print(text),
        false => Ok(()),
    };
    let mut credential = profile.credential.clone();
    if let Some(kind) = profile
        .credential_text("type")?
        .filter(|kind| kind != "default")
    {
        say(&format!(
            "Profile `{}` uses {kind} credentials; saving a SecretId and SecretKey replaces them.\n",
            profile.name
        ))?;
        if prompter.is_terminal()
            && !prompter
                .ask("Continue? [y/N]: ", false)?
                .is_some_and(|answer| answer.eq_ignore_ascii_case("y"))
        {
            return say("Nothing was changed.\n");
        }
        for member in ["type", "expiresAt", "sso", "oauth"] {
            credential.remove(member);
        }
    }
    let old_id = profile.credential_text("secretId")?;
    let old_key = profile.credential_text("secretKey")?;
    let shown = |value: &Option<String>| value.as_deref().map_or_else(|| "None".to_owned(), mask);
    let id = prompter
        .ask(
            &format!("TencentCloud API secretId [{}]: ", shown(&old_id)),
            false,
        )?
        .filter(|answer| !answer.is_empty())
        .or(old_id.clone());
    let key = prompter
        .ask(
            &format!("TencentCloud API secretKey [{}]: ", shown(&old_key)),
            true,
        )?
        .filter(|answer| !answer.is_empty())
        .or(old_key.clone());
    let region = profile
        .sys_text("region")?
        .unwrap_or_else(|| "ap-guangzhou".to_owned());
    let region = prompter
        .ask(&format!("Default region name [{region}]: "), false)?
        .filter(|answer| !answer.is_empty())
        .unwrap_or(region);
    let output = profile
        .sys_text("output")?
        .filter(|output| OUTPUTS.contains(&output.as_str()))
        .unwrap_or_else(|| "json".to_owned());
    let output = loop {
        let answer = prompter.ask(&format!("Default output format [{output}]: "), false)?;
        match answer.filter(|answer| !answer.is_empty()) {
            None => break output,
            Some(answer) if OUTPUTS.contains(&answer.as_str()) => break answer,
            Some(answer) if prompter.is_terminal() => {
                say(&format!("`{answer}` is not json, table or text.\n"))?
            }
            Some(answer) => {
                return Err(CliError::usage(format!(
                    "output must be json, table or text, not `{answer}`"
                )));
            }
        }
    };

    if id != old_id || key != old_key {
        // A session token belongs to the pair it came with.
        credential.remove("token");
    }
    put(&mut credential, "secretId", id.clone().map(Value::String));
    put(&mut credential, "secretKey", key.clone().map(Value::String));
    let mut configure = profile.configure.clone();
    let sys = object_in(&mut configure, SYS_PARAM, &profile.configure_path)?;
    sys.insert("region".to_owned(), Value::String(region));
    sys.insert("output".to_owned(), Value::String(output));
    write_object(dir, &profile.credential_path, &credential)?;
    write_object(dir, &profile.configure_path, &configure)?;
    if id.is_none() || key.is_none() {
        eprintln!(
            "tencentcloud: warning: profile `{}` has no SecretId or SecretKey; calls will look for credentials elsewhere",
            profile.name
        );
    }
    help::print(&format!(
        "Saved profile `{}` in {}.\n",
        profile.name,
        dir.display()
    ))
}

/// Writes `object` to `path` in `dir` (made 0700 when missing): a new file of mode 0600 in the
/// same folder, renamed over the old one once complete.
fn write_object(dir: &Path, path: &Path, object: &Map<String, Value>) -> Result<(), CliError> {
    let failed =
        |err: std::io::Error| CliError::failed(format!("cannot write {}: {err}", path.display()));
    private_dir(dir)
        .map_err(|err| CliError::failed(format!("cannot make {}: {err}", dir.display())))?;
    let mut value = Value::Object(object.clone());
    value.sort_all_objects();
    let text = format!("{value:#}\n");
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|since| since.subsec_nanos())
        .unwrap_or_default();
    let file_name = path
        .file_name()
        .map(|name| name.to_string_lossy())
        .unwrap_or_default();
    let temporary = dir.join(format!(".{file_name}.{}.{nanos}.tmp", std::process::id()));
    let written = (|| {
        let mut options = OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let mut file = options.open(&temporary)?;
        file.write_all(text.as_bytes())?;
        file.sync_all()?;
        std::fs::rename(&temporary, path)
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&temporary);
    }
    written.map_err(failed)
}

/// Makes `dir` if needed, and makes it its owner's only (0700), as tccli does.
fn private_dir(dir: &Path) -> std::io::Result<()> {
    let mut builder = DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        if std::fs::metadata(dir)?.permissions().mode() & 0o777 != 0o700 {
            std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_keep_only_four_characters_of_long_secrets() {
        assert_eq!(mask("AKIDabcdefghijklmnop1234"), "****************1234");
        assert_eq!(mask("short"), "****************");
    }

    #[test]
    fn keys() {
        assert!(matches!(
            Key::parse("secretKey"),
            Ok(Key::Credential("secretKey"))
        ));
        assert!(matches!(
            Key::parse("cvm.version"),
            Ok(Key::Service("cvm", "version"))
        ));
        assert!(matches!(
            Key::parse("waiter.interval"),
            Ok(Key::Waiter("interval"))
        ));
        let err = Key::parse("regoin")
            .err()
            .map(|err| err.to_string())
            .unwrap_or_default();
        assert!(err.contains("did you mean `region`"), "{err}");
        let err = Key::parse("cvm.endpiont")
            .err()
            .map(|err| err.to_string())
            .unwrap_or_default();
        assert!(err.contains("did you mean `endpoint`"), "{err}");
        let err = Key::parse("cvmm.version")
            .err()
            .map(|err| err.to_string())
            .unwrap_or_default();
        assert!(err.contains("`cvm`"), "{err}");
    }

    #[test]
    fn values_are_checked() {
        let value = |name: &str, text: &str| Key::parse(name).and_then(|key| key.value(name, text));
        assert!(value("output", "yaml").is_err());
        assert_eq!(
            value("arrayCount", "10").ok().flatten(),
            Some(Value::from(10))
        );
        assert_eq!(
            value("waiter.timeout", "1.5").ok().flatten(),
            Some(serde_json::json!(1.5))
        );
        assert!(value("waiter.timeout", "0").is_err());
        assert_eq!(
            value("use-cvm-role", "TRUE").ok().flatten(),
            Some(Value::from("cvm-role"))
        );
        assert!(value("dts.version", "2018-03-30").is_ok());
        assert!(value("dts.version", "1999-01-01").is_err());
        assert_eq!(value("region", "").ok().flatten(), None);
    }
}
