//! The command line of an action call, read the way tccli reads it: global options spelled as
//! tccli spells them, and the action's members as `--Member value`.
//!
//! A member's value is one word, or several words for a list (`--InstanceIds ins-1 ins-2`), or
//! JSON (`--InstanceIds '["ins-1","ins-2"]'`). A member inside a structure or a list is named by
//! its path (`--Filters.0.Name zone`). Which words are JSON and which are text is decided later,
//! from the spec (see `request.rs`); here words are only gathered.

use crate::error::CliError;
use crate::suggest;

/// The global options of a call, as tccli names them.
#[derive(Debug, Default, Clone)]
pub struct Globals {
    /// `--version`: the service's API version (the newest when absent).
    pub version: Option<String>,
    /// `--region`.
    pub region: Option<String>,
    /// `--profile`: the name of the tccli profile (`default` when absent).
    pub profile: Option<String>,
    /// `--endpoint`: a host (`cvm.tencentcloudapi.com`) or a URL (`http://127.0.0.1:8080`).
    pub endpoint: Option<String>,
    /// `--language`: `zh-CN` or `en-US`.
    pub language: Option<String>,
    /// `--timeout`: seconds, for each request.
    pub timeout: Option<String>,
    /// `--filter`: a JMESPath expression over the answer.
    pub filter: Option<String>,
    /// `--output`: `json`, `table` or `text`.
    pub output: Option<String>,
    /// `--cli-input-json`: `file://path`, `-` for stdin, or the JSON itself.
    pub cli_input_json: Option<String>,
    /// `--generate-cli-skeleton`: print a request with every member, and send nothing.
    pub generate_cli_skeleton: bool,
    /// `--waiter`: JSON `{"expr", "to", "timeout", "interval"}`.
    pub waiter: Option<String>,
    /// `--use-cvm-role`: take credentials from the CVM instance's role.
    pub use_cvm_role: bool,
    /// `--role-arn`: assume this role through STS.
    pub role_arn: Option<String>,
    /// `--role-session-name`: the session name of the assumed role.
    pub role_session_name: Option<String>,
    /// `--secretId`.
    pub secret_id: Option<String>,
    /// `--secretKey`.
    pub secret_key: Option<String>,
    /// `--token`: the session token of temporary credentials.
    pub token: Option<String>,
    /// `--https-proxy`.
    pub https_proxy: Option<String>,
}

/// A parsed command line: global options, members with their words, and whether help was asked.
#[derive(Debug, Default)]
pub struct CommandLine {
    /// Global options.
    pub globals: Globals,
    /// Members in the order given: their path (`Filters.0.Name`) and their words.
    pub members: Vec<(String, Vec<String>)>,
    /// `help`, `--help` or `-h` was given.
    pub help: bool,
    /// Positional words that are neither `help` nor a value (for commands that take them).
    pub positional: Vec<String>,
}

/// The global options: their name, and whether they take a value.
const GLOBAL_OPTIONS: &[(&str, bool)] = &[
    ("version", true),
    ("region", true),
    ("profile", true),
    ("endpoint", true),
    ("language", true),
    ("timeout", true),
    ("filter", true),
    ("output", true),
    ("cli-input-json", true),
    ("generate-cli-skeleton", false),
    ("cli-unfold-argument", false),
    ("waiter", true),
    ("use-cvm-role", false),
    ("role-arn", true),
    ("role-session-name", true),
    ("secretId", true),
    ("secretKey", true),
    ("token", true),
    ("https-proxy", true),
    ("request-client", true),
    ("detail", false),
];

/// Names of the global options, for completion and suggestions.
pub fn global_option_names() -> impl Iterator<Item = &'static str> {
    GLOBAL_OPTIONS.iter().map(|(name, _)| *name)
}

/// Reads `words` (what follows `<service> <Action>`). `is_list` says whether a member path
/// names a list, which takes every following word up to the next option.
pub fn parse(words: &[String], is_list: impl Fn(&str) -> bool) -> Result<CommandLine, CliError> {
    let mut line = CommandLine::default();
    let mut words = words.iter().peekable();
    while let Some(word) = words.next() {
        if word == "help" || word == "--help" || word == "-h" {
            line.help = true;
            continue;
        }
        let Some(option) = word.strip_prefix("--") else {
            line.positional.push(word.clone());
            continue;
        };
        if option.is_empty() {
            return Err(CliError::usage("`--` must be followed by an option name"));
        }
        let (name, inline) = match option.split_once('=') {
            Some((name, value)) => (name, Some(value.to_owned())),
            None => (option, None),
        };
        if let Some((_, takes_value)) = GLOBAL_OPTIONS.iter().find(|(known, _)| *known == name) {
            if !takes_value {
                if inline.is_some() {
                    return Err(CliError::usage(format!("--{name} takes no value")));
                }
                set_flag(&mut line.globals, name);
                continue;
            }
            let value = match inline {
                Some(value) => value,
                None => words
                    .next_if(|next| !next.starts_with("--"))
                    .cloned()
                    .ok_or_else(|| CliError::usage(format!("--{name} needs a value")))?,
            };
            set_option(&mut line.globals, name, value);
            continue;
        }
        if !name.starts_with(|c: char| c.is_ascii_alphabetic()) {
            return Err(CliError::usage(format!("`--{name}` is not an option")));
        }
        let mut values: Vec<String> = inline.into_iter().collect();
        if values.is_empty() {
            if is_list(name) {
                while let Some(next) = words.next_if(|next| !next.starts_with("--")) {
                    values.push(next.clone());
                }
            } else if let Some(next) = words.next_if(|next| !next.starts_with("--")) {
                values.push(next.clone());
            }
        }
        if values.is_empty() && !is_list(name) {
            return Err(CliError::usage(format!("--{name} needs a value")));
        }
        line.members.push((name.to_owned(), values));
    }
    Ok(line)
}

fn set_flag(globals: &mut Globals, name: &str) {
    match name {
        "generate-cli-skeleton" => globals.generate_cli_skeleton = true,
        "use-cvm-role" => globals.use_cvm_role = true,
        // Flattened members are always understood; --detail is what help shows anyway.
        _ => {}
    }
}

fn set_option(globals: &mut Globals, name: &str, value: String) {
    let slot = match name {
        "version" => &mut globals.version,
        "region" => &mut globals.region,
        "profile" => &mut globals.profile,
        "endpoint" => &mut globals.endpoint,
        "language" => &mut globals.language,
        "timeout" => &mut globals.timeout,
        "filter" => &mut globals.filter,
        "output" => &mut globals.output,
        "cli-input-json" => &mut globals.cli_input_json,
        "waiter" => &mut globals.waiter,
        "role-arn" => &mut globals.role_arn,
        "role-session-name" => &mut globals.role_session_name,
        "secretId" => &mut globals.secret_id,
        "secretKey" => &mut globals.secret_key,
        "token" => &mut globals.token,
        "https-proxy" => &mut globals.https_proxy,
        // tccli picks its HTTP library with --request-client; there is one here.
        _ => return,
    };
    *slot = Some(value);
}

/// The error for an option that is neither global nor a member of the action.
pub fn unknown_option<'a>(name: &str, members: impl IntoIterator<Item = &'a str>) -> CliError {
    let mut candidates: Vec<&str> = members.into_iter().collect();
    candidates.extend(global_option_names().map(|name| -> &str { name }));
    let close: Vec<String> = suggest::closest(name, candidates)
        .into_iter()
        .map(|name| format!("`--{name}`"))
        .collect();
    let hint = if close.is_empty() {
        String::new()
    } else {
        format!(" (did you mean {}?)", close.join(", "))
    };
    CliError::usage(format!("unknown option `--{name}`{hint}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<String> {
        text.split_whitespace().map(str::to_owned).collect()
    }

    #[test]
    fn globals_and_members() {
        let line = parse(
            &words("--region ap-guangzhou --Limit 10 --InstanceIds a b --Filters.0.Name zone --output=table"),
            |name| name == "InstanceIds",
        )
        .unwrap();
        assert_eq!(line.globals.region.as_deref(), Some("ap-guangzhou"));
        assert_eq!(line.globals.output.as_deref(), Some("table"));
        assert_eq!(
            line.members,
            [
                ("Limit".to_owned(), words("10")),
                ("InstanceIds".to_owned(), words("a b")),
                ("Filters.0.Name".to_owned(), words("zone")),
            ]
        );
    }

    #[test]
    fn missing_values_are_refused() {
        let err = parse(&words("--region"), |_| false).unwrap_err();
        assert_eq!(err.to_string(), "--region needs a value");
        let err = parse(&words("--Limit --region x"), |_| false).unwrap_err();
        assert_eq!(err.to_string(), "--Limit needs a value");
        assert!(parse(&words("--InstanceIds"), |_| true).is_ok());
        assert!(parse(&words("--use-cvm-role=1"), |_| false).is_err());
    }

    #[test]
    fn help_anywhere() {
        assert!(parse(&words("help"), |_| false).unwrap().help);
        assert!(parse(&words("--Limit 1 --help"), |_| false).unwrap().help);
    }
}
