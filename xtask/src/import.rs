//! `cargo xtask import-tccli`: converts the official Tencent Cloud CLI's description of one
//! service version into a spec, printed to stdout or written to `--out`.

use std::collections::BTreeMap;
use std::path::PathBuf;

use tencentcloud_codegen::tccli::{self, Source};

/// Usage text of the subcommand.
pub const USAGE: &str = "\
usage: cargo xtask import-tccli <api.json> [--examples <examples.json>] [--out FILE] [--title TEXT]
                                [--facts-only] [--error-codes errorcodes.py]

  <api.json>       tccli's description of one service version
                   (tccli/services/<service>/v<YYYYMMDD>/api.json)
  --examples FILE  its examples.json; examples that do not fit the types are left out and reported
  --out FILE       write the spec here (save it as api-spec/<service>/<YYYY-MM-DD>.json)
                   instead of printing it
  --title TEXT     service title (default: the file's serviceNameCN, else the service name)
  --facts-only     keep names, types, required flags, nullability, structure, host and status,
                   and leave out the official descriptions and examples (as the catalogue does;
                   examples.json is then read only for the members its answers show as null)
  --error-codes F  the official Python SDK's errorcodes.py of the same version, whose codes
                   become the service's error enum

Warnings go to stderr; the exit code is 0 when the spec was produced, even with warnings.";

/// The parsed arguments.
pub struct Options {
    api: PathBuf,
    examples: Option<PathBuf>,
    out: Option<PathBuf>,
    title: Option<String>,
    facts_only: bool,
    error_codes: Option<PathBuf>,
}

impl Options {
    /// Parses the arguments after `import-tccli`.
    pub fn parse(args: &[String]) -> Result<Self, String> {
        let mut api = None;
        let mut examples = None;
        let mut out = None;
        let mut title = None;
        let mut facts_only = false;
        let mut error_codes = None;
        let mut args = args.iter();
        while let Some(arg) = args.next() {
            let mut value = |name: &str| {
                args.next()
                    .cloned()
                    .ok_or_else(|| format!("{name} needs a value\n\n{USAGE}"))
            };
            match arg.as_str() {
                "--examples" => examples = Some(PathBuf::from(value("--examples")?)),
                "--out" => out = Some(PathBuf::from(value("--out")?)),
                "--title" => title = Some(value("--title")?),
                "--facts-only" => facts_only = true,
                "--error-codes" => error_codes = Some(PathBuf::from(value("--error-codes")?)),
                other if other.starts_with("--") || api.is_some() => {
                    return Err(format!("unknown argument `{other}`\n\n{USAGE}"));
                }
                other => api = Some(PathBuf::from(other)),
            }
        }
        let api = api.ok_or_else(|| format!("missing <api.json>\n\n{USAGE}"))?;
        Ok(Options {
            api,
            examples,
            out,
            title,
            facts_only,
            error_codes,
        })
    }
}

/// Runs the import; warnings go to stderr, errors are returned.
pub fn import_tccli(options: &Options) -> Result<(), String> {
    let read = |path: &PathBuf| {
        std::fs::read_to_string(path)
            .map_err(|err| format!("cannot read {}: {err}", path.display()))
    };
    let api_text = read(&options.api)?;
    let api_display = options.api.display().to_string();
    let examples = match &options.examples {
        Some(path) => Some((read(path)?, path.display().to_string())),
        None => None,
    };
    let error_codes = match &options.error_codes {
        Some(path) => Some((read(path)?, path.display().to_string())),
        None => None,
    };
    let import_options = tccli::Options {
        title: options.title.as_deref(),
        facts_only: options.facts_only,
        origin: None,
        error_codes: error_codes
            .as_ref()
            .map(|(text, display)| Source { display, text }),
        skip_generate: false,
    };
    let imported = tccli::import_with(
        Source {
            display: &api_display,
            text: &api_text,
        },
        examples
            .as_ref()
            .map(|(text, display)| Source { display, text }),
        &import_options,
    )
    .map_err(|errors| format!("import failed:\n{errors}"))?;

    for warning in &imported.warnings {
        eprintln!("warning: {warning}");
    }
    eprintln!("{}", summary(&imported));
    match &options.out {
        Some(out) => {
            if let Some(dir) = out.parent().filter(|d| !d.as_os_str().is_empty()) {
                std::fs::create_dir_all(dir)
                    .map_err(|err| format!("cannot create {}: {err}", dir.display()))?;
            }
            std::fs::write(out, &imported.json)
                .map_err(|err| format!("cannot write {}: {err}", out.display()))?;
            eprintln!("wrote {}", out.display());
        }
        None => print!("{}", imported.json),
    }
    let spec = &imported.spec;
    eprintln!(
        "next: save the spec as api-spec/{}/{}.json, add `{} = []` under [features] in sdk/Cargo.toml, then run `cargo xtask codegen`",
        spec.service, spec.version, spec.service
    );
    Ok(())
}

/// One line: what was imported, and the warnings counted by kind.
fn summary(imported: &tccli::Import) -> String {
    let mut kinds: BTreeMap<tccli::WarningKind, usize> = BTreeMap::new();
    for warning in &imported.warnings {
        *kinds.entry(warning.kind).or_default() += 1;
    }
    let counts: Vec<String> = kinds
        .iter()
        .map(|(kind, count)| format!("{count} {}", kind.label()))
        .collect();
    let spec = &imported.spec;
    let mut line = format!(
        "imported {} {}: {} actions, {} structures, {} examples ({} left out); {} warning(s)",
        spec.service,
        spec.version,
        spec.actions.len(),
        spec.structures.len(),
        imported.examples_kept(),
        imported.examples_dropped(),
        imported.warnings.len()
    );
    if !counts.is_empty() {
        line.push_str(&format!(": {}", counts.join(", ")));
    }
    line
}
