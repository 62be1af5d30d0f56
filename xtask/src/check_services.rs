//! `cargo xtask check-services`: compile-checks the SDK with each service's feature alone, and
//! prints a table of what each cost and which failed.
//!
//! Every service is checked on its own (`cargo check -p tencentcloud-sdk --no-default-features
//! --features <service>`), so that a service that only compiles beside another, or that breaks
//! the build, is found and named. All runs share one target folder, so the runtime and the
//! dependencies are checked once.

use std::path::Path;
use std::process::Command;
use std::time::Instant;

/// Usage text of the subcommand.
pub const USAGE: &str = "\
usage: cargo xtask check-services [--sample | SERVICE...] [--target-dir DIR]

  (no service)      every service of the SDK, one after the other
  --sample          the services CI checks: dts, cvm, vpc, cam, sts, hunyuan, csip, and those the
                    first importer could not take (as, ccc, cdwch, cdwpg, dnspod, pts, tcss)
  SERVICE...        these services
  --target-dir DIR  where cargo builds (default: target/check-services)

Prints one line per service (versions, actions, seconds, result), then the failures with the
compiler's first errors; the exit code is 1 when any service fails.";

/// The services CI checks: the default one, the best known, the largest, and those the first
/// version of the importer refused.
pub const SAMPLE: &[&str] = &[
    "dts", "cvm", "vpc", "cam", "sts", "hunyuan", "csip", "as", "ccc", "cdwch", "cdwpg", "dnspod",
    "pts", "tcss",
];

/// The parsed arguments.
pub struct Options {
    services: Vec<String>,
    target_dir: Option<String>,
}

impl Options {
    /// Parses the arguments after `check-services`.
    pub fn parse(args: &[String]) -> Result<Self, String> {
        let mut options = Options {
            services: Vec::new(),
            target_dir: None,
        };
        let mut args = args.iter();
        while let Some(arg) = args.next() {
            match arg.as_str() {
                "--sample" => options
                    .services
                    .extend(SAMPLE.iter().map(|s| (*s).to_owned())),
                "--target-dir" => {
                    let dir = args
                        .next()
                        .ok_or_else(|| format!("--target-dir needs a value\n\n{USAGE}"))?;
                    options.target_dir = Some(dir.clone());
                }
                other if other.starts_with("--") => {
                    return Err(format!("unknown argument `{other}`\n\n{USAGE}"));
                }
                other => options.services.push(other.to_owned()),
            }
        }
        Ok(options)
    }
}

/// One service of the SDK, as its specs describe it.
struct Service {
    name: String,
    versions: usize,
    actions: usize,
}

/// The services with specs in `api-spec/`, with their versions and actions.
fn services(root: &Path) -> Result<Vec<Service>, String> {
    let mut found = Vec::new();
    for dir in crate::sorted_entries(&root.join("api-spec"))? {
        if !dir.is_dir() {
            continue;
        }
        let mut service = Service {
            name: String::new(),
            versions: 0,
            actions: 0,
        };
        for file in crate::sorted_entries(&dir)? {
            if file.extension().is_none_or(|e| e != "json") {
                continue;
            }
            let text = std::fs::read_to_string(&file)
                .map_err(|err| format!("cannot read {}: {err}", file.display()))?;
            let spec: serde_json::Value = serde_json::from_str(&text)
                .map_err(|err| format!("{}: not JSON: {err}", file.display()))?;
            service.name = spec["service"].as_str().unwrap_or_default().to_owned();
            service.versions += 1;
            service.actions += spec["actions"].as_array().map_or(0, Vec::len);
        }
        if service.versions > 0 {
            found.push(service);
        }
    }
    Ok(found)
}

/// Runs the command.
pub fn check_services(options: &Options) -> Result<(), String> {
    let root = crate::workspace_root();
    let all = services(&root)?;
    let chosen: Vec<&Service> = if options.services.is_empty() {
        all.iter().collect()
    } else {
        let mut chosen = Vec::new();
        for name in &options.services {
            let service = all
                .iter()
                .find(|s| &s.name == name)
                .ok_or_else(|| format!("no service `{name}` in api-spec/"))?;
            chosen.push(service);
        }
        chosen
    };
    let target_dir = options
        .target_dir
        .clone()
        .unwrap_or_else(|| root.join("target/check-services").display().to_string());

    // The runtime and the dependencies first, so that each service's time is its own.
    let warm = check(&root, &target_dir, None)?;
    if !warm.0 {
        return Err(format!(
            "the SDK does not compile without services:\n{}",
            warm.2
        ));
    }
    println!(
        "{:<14} {:>8} {:>8} {:>9}  result",
        "service", "versions", "actions", "seconds"
    );
    let started = Instant::now();
    let mut failures = Vec::new();
    let mut total_actions = 0;
    for service in &chosen {
        let (ok, seconds, errors) = check(&root, &target_dir, Some(&service.name))?;
        total_actions += service.actions;
        println!(
            "{:<14} {:>8} {:>8} {:>9.1}  {}",
            service.name,
            service.versions,
            service.actions,
            seconds,
            if ok { "ok" } else { "FAILED" }
        );
        if !ok {
            failures.push(format!("{}:\n{errors}", service.name));
        }
    }
    println!(
        "{} service(s), {} actions: {} ok, {} failed, in {:.0} s",
        chosen.len(),
        total_actions,
        chosen.len() - failures.len(),
        failures.len(),
        started.elapsed().as_secs_f64()
    );
    if failures.is_empty() {
        Ok(())
    } else {
        Err(format!("failures:\n\n{}", failures.join("\n\n")))
    }
}

/// `cargo check` of the SDK with `feature` alone (or none): whether it passed, how long it
/// took, and the compiler's first errors when it did not.
fn check(
    root: &Path,
    target_dir: &str,
    feature: Option<&str>,
) -> Result<(bool, f64, String), String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let mut command = Command::new(cargo);
    command
        .current_dir(root)
        .args([
            "check",
            "--quiet",
            "-p",
            "tencentcloud-sdk",
            "--lib",
            "--no-default-features",
        ])
        .args(["--target-dir", target_dir])
        .env("CARGO_TERM_COLOR", "never");
    if let Some(feature) = feature {
        command.args(["--features", feature]);
    }
    // The SDK is checked afresh for each service, so each time is what that service costs.
    let lib = root.join("sdk/src/lib.rs");
    std::fs::File::options()
        .append(true)
        .open(&lib)
        .and_then(|file| file.set_modified(std::time::SystemTime::now()))
        .map_err(|err| format!("cannot touch {}: {err}", lib.display()))?;
    let started = Instant::now();
    let output = command
        .output()
        .map_err(|err| format!("cannot run cargo: {err}"))?;
    let seconds = started.elapsed().as_secs_f64();
    let stderr = String::from_utf8_lossy(&output.stderr);
    // The first errors say what is wrong; thousands more would drown them.
    let errors: String = stderr
        .lines()
        .filter(|line| !line.trim().is_empty())
        .take(40)
        .collect::<Vec<_>>()
        .join("\n");
    Ok((output.status.success(), seconds, errors))
}
