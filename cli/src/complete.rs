//! Shell completion: `tencentcloud completion bash|zsh|fish` prints a script, and the script
//! asks the hidden `tencentcloud __complete <words...> <current>` at every Tab.
//!
//! `__complete` is given the words of the command line after the program's name, the last
//! being the word under completion (empty after a space), and prints the candidates that start
//! with it, one a line; when none does, those that start with it in another case. It reads only
//! the embedded catalogue, decoding only the service that the line names, and never prints an
//! error: a line it cannot read has no candidates.

use crate::args;
use crate::catalogue::{self, SERVICES, ServiceEntry, Type};
use crate::error::CliError;
use crate::help;

/// The hidden command the completion scripts call.
pub const COMPLETE_COMMAND: &str = "__complete";

/// Prints the completion script of a shell, or how to install one.
pub fn script(words: &[String]) -> Result<(), CliError> {
    match words.first().map(String::as_str) {
        None | Some("help" | "--help" | "-h") => help::print(HELP),
        Some("bash") => help::print(BASH),
        Some("zsh") => help::print(ZSH),
        Some("fish") => help::print(FISH),
        Some(other) => Err(CliError::usage(format!(
            "no completion for the shell `{other}`: choose bash, zsh or fish"
        ))),
    }
}

const HELP: &str = "\
tencentcloud completion bash|zsh|fish: prints a script that completes tencentcloud's command
lines in that shell: services, actions, --Member names, options, and the values of --output,
--language and --version.

bash (needs bash 4; add the line to ~/.bashrc to keep it):
  source <(tencentcloud completion bash)

zsh (a file in a folder of $fpath, with compinit run in ~/.zshrc):
  mkdir -p ~/.zfunc && tencentcloud completion zsh > ~/.zfunc/_tencentcloud
  and in ~/.zshrc, before compinit:  fpath=(~/.zfunc $fpath)
  or for this shell only, after compinit:  source <(tencentcloud completion zsh)

fish:
  tencentcloud completion fish > ~/.config/fish/completions/tencentcloud.fish
";

const BASH: &str = r#"# bash completion for tencentcloud: source <(tencentcloud completion bash)
_tencentcloud() {
    local IFS=$'\n'
    COMPREPLY=($("${COMP_WORDS[0]}" __complete "${COMP_WORDS[@]:1:COMP_CWORD}" 2>/dev/null))
}
complete -o bashdefault -o default -F _tencentcloud tencentcloud
"#;

const ZSH: &str = r#"#compdef tencentcloud
# zsh completion for tencentcloud: see `tencentcloud completion help`.
compdef _tencentcloud tencentcloud

_tencentcloud() {
    local -a candidates
    candidates=(${(f)"$(${words[1]} __complete "${(@)words[2,CURRENT]}" 2>/dev/null)"})
    if (( ${#candidates} )); then
        compadd -a candidates
    else
        _files
    fi
}

# Autoloaded from $fpath, this file is the function's first run; sourced, it only defines it.
if [[ "$funcstack[1]" == "_tencentcloud" ]]; then
    _tencentcloud "$@"
fi
"#;

const FISH: &str = r#"# fish completion for tencentcloud: see `tencentcloud completion help`.
function __tencentcloud_complete
    set -l words (commandline -opc)
    set -l current (commandline -ct)
    $words[1] __complete $words[2..-1] "$current" 2>/dev/null
end
complete -c tencentcloud -f -a '(__tencentcloud_complete)'
"#;

/// Prints the candidates for the word being completed: `words` are the words typed after the
/// program's name, the last one being that word.
pub fn candidates(words: &[String]) -> Result<(), CliError> {
    let (current, before) = match words.split_last() {
        Some((current, before)) => (current.as_str(), before),
        None => ("", words),
    };
    let mut out = String::new();
    for candidate in filter(all(before), current) {
        out.push_str(&candidate);
        out.push('\n');
    }
    // Completion never fails: a closed or full stdout only means no candidates.
    let _ = help::print(&out);
    Ok(())
}

/// The candidates that start with `current`; when none does, those that do in another case.
fn filter(candidates: Vec<String>, current: &str) -> Vec<String> {
    let exact: Vec<String> = candidates
        .iter()
        .filter(|name| name.starts_with(current))
        .cloned()
        .collect();
    if !exact.is_empty() {
        return exact;
    }
    let lower = current.to_lowercase();
    candidates
        .into_iter()
        .filter(|name| name.to_lowercase().starts_with(&lower))
        .collect()
}

/// Every candidate after the words `before`, unfiltered.
fn all(before: &[String]) -> Vec<String> {
    let Some((first, rest)) = before.split_first() else {
        let top = ["help", "configure", "completion"].map(str::to_owned);
        return SERVICES
            .iter()
            .map(|entry| entry.name.to_owned())
            .chain(top)
            .collect();
    };
    match (first.as_str(), rest) {
        ("completion", []) => words(&["bash", "zsh", "fish", "help"]),
        ("configure", []) => words(&["list", "get", "set"]),
        ("help" | "completion" | "configure", _) => Vec::new(),
        (service, rest) => match catalogue::service(service) {
            Ok(entry) => in_service(entry, rest),
            Err(_) => Vec::new(),
        },
    }
}

fn words(list: &[&str]) -> Vec<String> {
    list.iter().map(|word| (*word).to_owned()).collect()
}

/// Candidates after `<service>`: its actions, then an action's options and their values.
fn in_service(entry: &'static ServiceEntry, rest: &[String]) -> Vec<String> {
    let Some((action, options)) = rest.split_first() else {
        let mut names = action_names(entry);
        names.push("help".to_owned());
        if entry.name == "dts" {
            names.push("wait-migrate-check".to_owned());
        }
        return names;
    };
    if options.iter().any(|word| word == "help") || action == "help" {
        return Vec::new();
    }
    let previous = options.last().map(String::as_str).unwrap_or_default();
    if action == "wait-migrate-check" && entry.name == "dts" {
        let unused = [
            "version",
            "waiter",
            "cli-input-json",
            "generate-cli-skeleton",
            "cli-unfold-argument",
        ];
        let own = ["JobId", "interval"].into_iter();
        let globals = args::global_option_names().filter(|name| !unused.contains(name));
        return values(entry, previous, None)
            .unwrap_or_else(|| unused_options(own.chain(globals), options));
    }
    let version = version_option(options);
    let Ok((_, spec)) = entry.version_with(version, None, action) else {
        return Vec::new();
    };
    let Ok(action) = spec.action(entry.name, action) else {
        return Vec::new();
    };
    if let Some(values) = values(entry, previous, Some((&spec, action))) {
        return values;
    }
    let members = action.input.iter().map(|member| member.name());
    let globals = args::global_option_names().map(|name| -> &str { name });
    unused_options(members.chain(globals), options)
}

/// `--name` for each name not already among `typed`.
fn unused_options<'a>(names: impl Iterator<Item = &'a str>, typed: &[String]) -> Vec<String> {
    names
        .map(|name| format!("--{name}"))
        .filter(|option| !typed.contains(option))
        .collect()
}

/// The values that may follow the option `previous`, when it takes one: `Some(empty)` for a
/// value that cannot be guessed (a region, a member's text), `None` when `previous` is not an
/// option that takes a value.
fn values(
    entry: &ServiceEntry,
    previous: &str,
    action: Option<(&catalogue::Spec, &catalogue::Action)>,
) -> Option<Vec<String>> {
    const FLAGS: [&str; 4] = [
        "generate-cli-skeleton",
        "cli-unfold-argument",
        "use-cvm-role",
        "detail",
    ];
    let name = previous
        .strip_prefix("--")
        .filter(|name| !name.is_empty() && !name.contains('='))?;
    let known = match name {
        "output" => words(&["json", "table", "text"]),
        "language" => words(&["zh-CN", "en-US"]),
        "version" => entry
            .versions
            .iter()
            .map(|version| version.version.to_owned())
            .collect(),
        _ if FLAGS.contains(&name) => return None,
        _ => match action.and_then(|(spec, action)| Some((spec, action.member(name)?))) {
            Some((spec, member)) => match member.ty() {
                Type::Boolean => words(&["true", "false"]),
                Type::Enum(ty) => spec.enums.get(ty).map_or_else(Vec::new, |ty| {
                    ty.values
                        .iter()
                        .map(|value| {
                            value
                                .as_str()
                                .map_or_else(|| value.to_string(), str::to_owned)
                        })
                        .collect()
                }),
                // A list takes several words and then options again.
                Type::List(_) => return None,
                _ => Vec::new(),
            },
            None => Vec::new(),
        },
    };
    Some(known)
}

/// The value of `--version` among the options typed so far.
fn version_option(options: &[String]) -> Option<&str> {
    let mut words = options.iter();
    while let Some(word) = words.next() {
        if word == "--version" {
            return words.next().map(String::as_str);
        }
        if let Some(version) = word.strip_prefix("--version=") {
            return Some(version);
        }
    }
    None
}

/// The actions of every version of the service, sorted, once each.
fn action_names(entry: &ServiceEntry) -> Vec<String> {
    let mut names: Vec<String> = entry
        .versions
        .iter()
        .filter_map(|version| version.action_names().ok())
        .flatten()
        .collect();
    names.sort();
    names.dedup();
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    fn complete(line: &str) -> Vec<String> {
        let mut words: Vec<String> = line.split(' ').map(str::to_owned).collect();
        let current = words.pop().unwrap_or_default();
        filter(all(&words), &current)
    }

    #[test]
    fn levels() {
        assert_eq!(complete("cv"), ["cvm"]);
        assert!(complete("").contains(&"completion".to_owned()));
        assert!(
            complete("cvm DescribeIn")
                .iter()
                .all(|name| name.starts_with("DescribeIn"))
        );
        assert!(complete("dts ").contains(&"wait-migrate-check".to_owned()));
        // An action only an older version has.
        assert!(
            complete("dts DescribeMigrateCheck").contains(&"DescribeMigrateCheckJob".to_owned())
        );
        assert_eq!(complete("cvm DescribeInstances --Fil"), ["--Filters"]);
        assert_eq!(
            complete("cvm DescribeInstances --output t"),
            ["table", "text"]
        );
        assert!(complete("cvm DescribeInstances --Limit ").is_empty());
        assert_eq!(complete("dts wait-migrate-check --Job"), ["--JobId"]);
        assert_eq!(complete("completion f"), ["fish"]);
        assert!(complete("nosuch ").is_empty());
        assert!(complete("cvm NoSuch --").is_empty());
    }

    #[test]
    fn case_is_a_fallback() {
        assert!(complete("cvm describeinst").contains(&"DescribeInstances".to_owned()));
        assert!(complete("cvm describeinstances --Fil").is_empty());
    }
}
