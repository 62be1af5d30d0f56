//! Help texts, written from the spec: the services, a service's actions, and an action's
//! members with their types, the structures they hold, and the link to the official reference,
//! which describes what each action and member does.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::io::Write as _;

use crate::catalogue::{self, Action, Member, SERVICES, ServiceEntry, Spec, Type, VersionEntry};
use crate::error::CliError;

/// Writes `text` to stdout. A closed pipe (`| head`) is not an error.
pub fn print(text: &str) -> Result<(), CliError> {
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Ok(()) => Ok(()),
        Err(err) if err.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(err) => Err(CliError::failed(format!("cannot write the output: {err}"))),
    }
}

/// The global options and what they do, for the help texts.
const OPTIONS: &[(&str, &str)] = &[
    (
        "--version YYYY-MM-DD",
        "the service's API version (default: the newest)",
    ),
    (
        "--region REGION",
        "the region (default: TENCENTCLOUD_REGION unless --profile is given, then the profile's)",
    ),
    (
        "--profile NAME",
        "the profile in ~/.tccli (default: TCCLI_PROFILE, then `default`)",
    ),
    (
        "--endpoint HOST|URL",
        "send to this host, or to a URL such as http://127.0.0.1:8080",
    ),
    (
        "--language zh-CN|en-US",
        "the language of the service's messages",
    ),
    ("--timeout SECONDS", "the time limit of each request"),
    (
        "--output json|table|text",
        "how the answer is printed (default: json)",
    ),
    (
        "--filter EXPRESSION",
        "print what a JMESPath expression selects from the answer",
    ),
    (
        "--cli-input-json file://PATH|-",
        "read the members from a JSON file or stdin",
    ),
    (
        "--generate-cli-skeleton",
        "print a request with every member, and send nothing",
    ),
    (
        "--waiter JSON",
        "call again until {\"expr\": ..., \"to\": ...} holds; also timeout, interval",
    ),
    (
        "--secretId, --secretKey, --token",
        "credentials for this call",
    ),
    ("--use-cvm-role", "credentials of the CVM instance's role"),
    (
        "--role-arn ARN --role-session-name NAME",
        "assume a role through STS",
    ),
    ("--https-proxy URL", "send through this proxy"),
];

/// `tencentcloud help`: how to call, the options, and every service.
pub fn services() -> String {
    let mut out = String::new();
    let actions: usize = SERVICES
        .iter()
        .flat_map(|entry| entry.versions)
        .map(|version| version.actions)
        .sum();
    let _ = writeln!(
        out,
        "tencentcloud: calls any action of the Tencent Cloud API ({} services, {actions} actions).\n",
        SERVICES.len()
    );
    out.push_str(
        "Usage:\n\
         \x20 tencentcloud <service> <Action> [--Member value ...] [options]\n\
         \x20 tencentcloud <service> help                 the actions of a service\n\
         \x20 tencentcloud <service> <Action> help        the members of an action\n\
         \x20 tencentcloud configure [list|get|set ...]   credentials and settings (~/.tccli)\n\
         \x20 tencentcloud completion bash|zsh|fish       a shell completion script\n\n\
         Members take one value, several for a list (--InstanceIds ins-1 ins-2), or JSON\n\
         (--Filters '[{\"Name\": \"zone\", \"Values\": [\"ap-guangzhou-3\"]}]'). Members inside lists\n\
         and structures can be given one by one: --Filters.0.Name zone.\n\n",
    );
    options(&mut out);
    out.push_str("\nServices (version: the newest; others with --version):\n");
    let width = SERVICES
        .iter()
        .map(|entry| entry.name.len())
        .max()
        .unwrap_or(0);
    for entry in SERVICES {
        let others: Vec<&str> = entry.versions[1..]
            .iter()
            .map(|version| version.version)
            .collect();
        let _ = write!(out, "  {:width$}  {}", entry.name, entry.newest().version);
        if !others.is_empty() {
            let _ = write!(out, "  (also {})", others.join(", "));
        }
        out.push('\n');
    }
    out
}

fn options(out: &mut String) {
    out.push_str("Options:\n");
    let width = OPTIONS
        .iter()
        .map(|(name, _)| name.len())
        .max()
        .unwrap_or(0);
    for (name, what) in OPTIONS {
        let _ = writeln!(out, "  {name:width$}  {what}");
    }
}

/// `tencentcloud <service> help`: the service's actions.
pub fn service(entry: &ServiceEntry, version: Option<&str>) -> Result<String, CliError> {
    let version = entry.version(version)?;
    let spec = version.load()?;
    let mut out = String::new();
    let _ = write!(out, "{} {}", entry.name, version.version);
    if let Some(title) = &spec.title {
        let _ = write!(out, ": {title}");
    }
    out.push('\n');
    let others: Vec<&str> = entry
        .versions
        .iter()
        .filter(|other| other.version != version.version)
        .map(|other| other.version)
        .collect();
    if !others.is_empty() {
        let _ = writeln!(
            out,
            "Other versions: {} (choose with --version)",
            others.join(", ")
        );
    }
    let _ = writeln!(
        out,
        "\nUsage: tencentcloud {} <Action> [--Member value ...] [options]\n\
         \x20      tencentcloud {} <Action> help\n\n{} actions:",
        entry.name,
        entry.name,
        spec.actions.len()
    );
    let width = spec
        .actions
        .iter()
        .map(|action| action.name.len())
        .max()
        .unwrap_or(0);
    for action in &spec.actions {
        let _ = write!(out, "  {}", action.name);
        let mut notes = Vec::new();
        if let Some(summary) = &action.summary {
            notes.push(summary.clone());
        }
        if let Some(status) = &action.status {
            notes.push(format!("({status})"));
        }
        if !notes.is_empty() {
            let _ = write!(
                out,
                "{}  {}",
                " ".repeat(width - action.name.len()),
                notes.join(" ")
            );
        }
        out.push('\n');
    }
    if entry.name == "dts" {
        out.push_str(
            "\nWaiters:\n  wait-migrate-check --JobId ID   waits for a migration check's verdict\n",
        );
    }
    Ok(out)
}

/// `tencentcloud <service> <Action> help`: the members of the request and the answer.
pub fn action(
    entry: &ServiceEntry,
    version: &VersionEntry,
    spec: &Spec,
    action: &Action,
) -> String {
    let mut out = String::new();
    let _ = write!(
        out,
        "{} {} (version {}",
        entry.name, action.name, version.version
    );
    let newest = entry.newest();
    let newest_lacks = || {
        newest
            .load()
            .is_ok_and(|spec| !spec.has_action(&action.name))
    };
    if newest.version != version.version && newest_lacks() {
        let newest = newest.version;
        let _ = write!(out, "; the newest, {newest}, has no {}", action.name);
    }
    out.push_str(")\n");
    if let Some(summary) = &action.summary {
        let _ = writeln!(out, "{summary}");
    }
    if let Some(status) = &action.status {
        let _ = writeln!(out, "The service marks this action {status}.");
    }
    let _ = writeln!(
        out,
        "Reference: {}",
        catalogue::reference_url(entry.name, version.version, &action.name)
    );
    let _ = writeln!(
        out,
        "\nUsage: tencentcloud {} {}{} [options]",
        entry.name,
        action.name,
        usage_members(&action.input)
    );
    out.push_str("\nMembers:\n");
    if action.input.is_empty() {
        out.push_str("  (none)\n");
    }
    members(&mut out, spec, &action.input, "--", "required");
    let mut structures = BTreeSet::new();
    for member in &action.input {
        collect_structures(spec, member.ty(), &mut structures);
    }
    if !structures.is_empty() {
        out.push_str("\nStructures (give them as JSON, or member by member: --List.0.Member):\n");
        for name in &structures {
            let _ = writeln!(out, "  {name}");
            let fields = spec.structure(name);
            if fields.is_empty() {
                out.push_str("    (no members)\n");
            }
            members(&mut out, spec, fields, "    ", "required");
        }
    }
    out.push_str("\nAnswer:\n");
    let request_id = Member::request_id();
    let answer: Vec<&Member> = action.output.iter().chain([&request_id]).collect();
    members(&mut out, spec, answer, "  ", "always");
    out
}

/// ` --Name <String> [--Other <Integer>]`: required members first, then optional ones.
fn usage_members(input: &[Member]) -> String {
    let mut out = String::new();
    for member in input.iter().filter(|member| member.required()) {
        let _ = write!(out, " --{} <{}>", member.name(), member.ty().display());
    }
    if input.iter().any(|member| !member.required()) {
        out.push_str(" [--Member value ...]");
    }
    out
}

/// One line per member: its name, type and `mark` when it is required (or always present),
/// then its description and the values of its enum.
fn members<'m>(
    out: &mut String,
    spec: &Spec,
    members: impl IntoIterator<Item = &'m Member>,
    lead: &str,
    mark: &str,
) {
    let members: Vec<&Member> = members.into_iter().collect();
    let lead = if lead == "--" { "  --" } else { lead };
    let width = members
        .iter()
        .map(|member| member.name().len())
        .max()
        .unwrap_or(0);
    let type_width = members
        .iter()
        .map(|member| member.ty().display().len())
        .max()
        .unwrap_or(0);
    let indent = " ".repeat(lead.len() + 4);
    for member in members {
        let required = if member.required() { mark } else { "" };
        let line = format!(
            "{lead}{:width$}  {:type_width$}  {required}",
            member.name(),
            member.ty().display()
        );
        let _ = writeln!(out, "{}", line.trim_end());
        if let Some(description) = member.description() {
            for line in wrap(description, 88usize.saturating_sub(indent.len())) {
                let _ = writeln!(out, "{indent}{line}");
            }
        }
        let ty = member.ty();
        if let Type::Enum(name) = ty.item().unwrap_or(ty) {
            if let Some(values) = spec.enums.get(name).map(|def| &def.values) {
                let values: Vec<String> = values
                    .iter()
                    .map(|value| {
                        value
                            .as_str()
                            .map_or_else(|| value.to_string(), str::to_owned)
                    })
                    .collect();
                for line in wrap(
                    &format!("One of: {}", values.join(", ")),
                    88usize.saturating_sub(indent.len()),
                ) {
                    let _ = writeln!(out, "{indent}{line}");
                }
            }
        }
    }
}

/// Every structure reachable from `ty`, once each.
fn collect_structures<'s>(spec: &'s Spec, ty: Type<'s>, seen: &mut BTreeSet<&'s str>) {
    match ty {
        Type::List(_) => {
            if let Some(item) = ty.item() {
                collect_structures(spec, item, seen);
            }
        }
        Type::Struct(name) if seen.insert(name) => {
            for field in spec.structure(name) {
                collect_structures(spec, field.ty(), seen);
            }
        }
        _ => {}
    }
}

/// Splits text into lines of at most `width` characters, at spaces.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    for paragraph in text.lines() {
        let mut line = String::new();
        for word in paragraph.split_whitespace() {
            if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
                lines.push(std::mem::take(&mut line));
            }
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
        }
        if !line.is_empty() {
            lines.push(line);
        }
    }
    lines
}
