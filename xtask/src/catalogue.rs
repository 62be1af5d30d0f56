//! `cargo xtask import-catalogue`: rewrites every catalogue spec in `api-spec/` from the official
//! CLI's descriptions (the PyPI package `tccli`) and the official Python SDK's error codes (the
//! PyPI package `tencentcloud-sdk-python`), facts only, and the SDK's service features.
//!
//! The versions are pinned in `api-spec/catalogue.json`. Given no folder, the command installs
//! the pinned packages into a virtualenv under `target/catalogue/` and reads them there, so the
//! next release is a one-line change of the pins and one command. `--check` writes nothing and
//! fails when the committed catalogue is not exactly what the pinned packages give.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use tencentcloud_codegen::tccli::{self, Source, WarningKind};

/// Usage text of the subcommand.
pub const USAGE: &str = "\
usage: cargo xtask import-catalogue [SERVICES] [--python-sdk DIR] [--check]

  SERVICES          tccli's services folder (tccli/services, holding <service>/v<YYYYMMDD>/api.json);
                    default: the pinned tccli, installed into target/catalogue/ from PyPI
  --python-sdk DIR  the official Python SDK's package folder (holding <service>/v<YYYYMMDD>/errorcodes.py);
                    default: the pinned tencentcloud-sdk-python, installed beside tccli
  --check           write nothing; fail if any catalogue spec or the service features differ

The pinned versions are in api-spec/catalogue.json. Specs written by hand (without an `origin`)
are left alone, as is api-spec/dts/2018-03-30.json.";

/// The file with the pinned package versions.
pub const PINS: &str = "api-spec/catalogue.json";
/// Lines around the generated service features in `sdk/Cargo.toml`.
const FEATURES_BEGIN: &str =
    "# One feature per service, written by `cargo xtask import-catalogue` (do not edit by hand):";
const FEATURES_END: &str = "# End of the service features.";

/// The parsed arguments.
pub struct Options {
    services: Option<PathBuf>,
    python_sdk: Option<PathBuf>,
    check: bool,
}

impl Options {
    /// Parses the arguments after `import-catalogue`.
    pub fn parse(args: &[String]) -> Result<Self, String> {
        let mut options = Options {
            services: None,
            python_sdk: None,
            check: false,
        };
        let mut args = args.iter();
        while let Some(arg) = args.next() {
            match arg.as_str() {
                "--check" => options.check = true,
                "--python-sdk" => {
                    let value = args
                        .next()
                        .ok_or_else(|| format!("--python-sdk needs a value\n\n{USAGE}"))?;
                    options.python_sdk = Some(PathBuf::from(value));
                }
                other if other.starts_with("--") || options.services.is_some() => {
                    return Err(format!("unknown argument `{other}`\n\n{USAGE}"));
                }
                other => options.services = Some(PathBuf::from(other)),
            }
        }
        Ok(options)
    }
}

/// The pinned versions.
#[derive(Debug, Clone)]
pub struct Pins {
    /// The `tccli` release.
    pub tccli: String,
    /// The `tencentcloud-sdk-python` release of the same day.
    pub python_sdk: String,
}

/// Reads `api-spec/catalogue.json`.
pub fn pins(root: &Path) -> Result<Pins, String> {
    let path = root.join(PINS);
    let text = std::fs::read_to_string(&path)
        .map_err(|err| format!("cannot read {}: {err}", path.display()))?;
    let value: serde_json::Value = serde_json::from_str(&text)
        .map_err(|err| format!("{}: not JSON: {err}", path.display()))?;
    let field = |name: &str| {
        value[name]
            .as_str()
            .filter(|v| !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit() || b == b'.'))
            .map(str::to_owned)
            .ok_or_else(|| {
                format!(
                    "{}: `{name}` must be a version such as \"3.1.189\"",
                    path.display()
                )
            })
    };
    Ok(Pins {
        tccli: field("tccli")?,
        python_sdk: field("tencentcloud-sdk-python")?,
    })
}

/// The folders of the pinned packages: tccli's `services` and the Python SDK's `tencentcloud`,
/// installed into a virtualenv under `target/catalogue/` unless one is there already.
pub fn installed(root: &Path, pins: &Pins) -> Result<(PathBuf, PathBuf), String> {
    let venv = root
        .join("target/catalogue")
        .join(format!("tccli-{}-sdk-{}", pins.tccli, pins.python_sdk));
    // Only the descriptions and the error codes are read: the packages' own dependencies
    // are not needed.
    let packages = [
        format!("tccli=={}", pins.tccli),
        format!("tencentcloud-sdk-python=={}", pins.python_sdk),
    ];
    let python = crate::python_venv(&venv, &packages, true)?;
    let output = Command::new(&python)
        .args([
            "-c",
            "import sysconfig; print(sysconfig.get_paths()['purelib'])",
        ])
        .output()
        .map_err(|err| format!("cannot run {}: {err}", python.display()))?;
    let site = PathBuf::from(String::from_utf8_lossy(&output.stdout).trim());
    Ok((site.join("tccli/services"), site.join("tencentcloud")))
}

/// One service version found in tccli's folder.
struct Found {
    /// tccli's folder name (`autoscaling`), which is also the Python SDK's.
    folder: String,
    /// `v20180419`.
    version_folder: String,
    api: PathBuf,
}

/// Every `<service>/v<YYYYMMDD>/api.json`, in name order.
fn discover(services: &Path) -> Result<Vec<Found>, String> {
    let mut found = Vec::new();
    for service in crate::sorted_entries(services)? {
        if !service.is_dir() {
            continue;
        }
        let folder = file_name(&service);
        for version in crate::sorted_entries(&service)? {
            let api = version.join("api.json");
            let version_folder = file_name(&version);
            if version.is_dir() && version_folder.starts_with('v') && api.is_file() {
                found.push(Found {
                    folder: folder.clone(),
                    version_folder,
                    api,
                });
            }
        }
    }
    if found.is_empty() {
        return Err(format!(
            "no service descriptions under {}: expected <service>/v<YYYYMMDD>/api.json",
            services.display()
        ));
    }
    Ok(found)
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// What importing the whole catalogue gave.
pub struct Catalogue {
    /// Spec text by path relative to `api-spec/` (`cvm/2017-03-12.json`).
    pub specs: BTreeMap<String, String>,
    /// The service names, for the features.
    pub services: BTreeSet<String>,
    /// Warnings, counted by kind.
    pub warnings: BTreeMap<WarningKind, usize>,
    /// Actions, structures and members imported.
    pub counts: [usize; 3],
}

/// Imports every service version of `services`, with error codes from `python_sdk`.
pub fn import_all(services: &Path, python_sdk: &Path, origin: &str) -> Result<Catalogue, String> {
    let found = discover(services)?;
    let threads = std::thread::available_parallelism()
        .map_or(1, usize::from)
        .clamp(1, 8);
    let chunk = found.len().div_ceil(threads);
    let results: Vec<Result<Vec<tccli::Import>, String>> = std::thread::scope(|scope| {
        let jobs: Vec<_> = found
            .chunks(chunk.max(1))
            .map(|part| {
                scope.spawn(move || {
                    part.iter()
                        .map(|f| import_one(f, python_sdk, origin))
                        .collect()
                })
            })
            .collect();
        jobs.into_iter()
            .map(|job| {
                job.join()
                    .unwrap_or_else(|_| Err("an import thread panicked".to_owned()))
            })
            .collect()
    });
    let mut catalogue = Catalogue {
        specs: BTreeMap::new(),
        services: BTreeSet::new(),
        warnings: BTreeMap::new(),
        counts: [0; 3],
    };
    let mut failures = Vec::new();
    for result in results {
        match result {
            Ok(imports) => {
                for import in imports {
                    let spec = &import.spec;
                    let path = format!("{}/{}.json", spec.service, spec.version);
                    catalogue.services.insert(spec.service.clone());
                    catalogue.counts[0] += spec.actions.len();
                    catalogue.counts[1] += spec.structures.len();
                    catalogue.counts[2] += spec
                        .actions
                        .iter()
                        .map(|a| a.input.len() + a.output.len())
                        .chain(spec.structures.iter().map(|s| s.members.len()))
                        .sum::<usize>();
                    for warning in &import.warnings {
                        *catalogue.warnings.entry(warning.kind).or_default() += 1;
                    }
                    if catalogue.specs.insert(path.clone(), import.json).is_some() {
                        failures.push(format!("two service versions give {path}"));
                    }
                }
            }
            Err(err) => failures.push(err),
        }
    }
    if !failures.is_empty() {
        return Err(format!(
            "the catalogue import failed:\n{}",
            failures.join("\n")
        ));
    }
    Ok(catalogue)
}

/// Imports one service version, facts only.
fn import_one(found: &Found, python_sdk: &Path, origin: &str) -> Result<tccli::Import, String> {
    let read = |path: &Path| {
        std::fs::read_to_string(path)
            .map_err(|err| format!("cannot read {}: {err}", path.display()))
    };
    let api_text = read(&found.api)?;
    let api_display = found.api.display().to_string();
    let examples_path = found.api.with_file_name("examples.json");
    let examples_text = if examples_path.is_file() {
        Some(read(&examples_path)?)
    } else {
        None
    };
    let examples_display = examples_path.display().to_string();
    let codes_path = python_sdk
        .join(&found.folder)
        .join(&found.version_folder)
        .join("errorcodes.py");
    let codes_text = read(&codes_path)?;
    let codes_display = codes_path.display().to_string();
    let options = tccli::Options {
        title: None,
        facts_only: true,
        origin: Some(origin),
        error_codes: Some(Source {
            display: &codes_display,
            text: &codes_text,
        }),
        skip_generate: true,
    };
    tccli::import_with(
        Source {
            display: &api_display,
            text: &api_text,
        },
        examples_text.as_deref().map(|text| Source {
            display: &examples_display,
            text,
        }),
        &options,
    )
    .map_err(|errors| errors.to_string())
}

/// The hand-written spec that the catalogue never replaces.
const HAND_WRITTEN: &str = "dts/2018-03-30.json";

/// Runs the command.
pub fn import_catalogue(options: &Options) -> Result<(), String> {
    let root = crate::workspace_root();
    let pins = pins(&root)?;
    let (services, python_sdk) = match (&options.services, &options.python_sdk) {
        (Some(services), Some(sdk)) => (services.clone(), sdk.clone()),
        (services, sdk) => {
            let (installed_services, installed_sdk) = installed(&root, &pins)?;
            (
                services.clone().unwrap_or(installed_services),
                sdk.clone().unwrap_or(installed_sdk),
            )
        }
    };
    let origin = format!(
        "the official CLI's description (tccli {}) and the official Python SDK's error codes (tencentcloud-sdk-python {})",
        pins.tccli, pins.python_sdk
    );
    let started = std::time::Instant::now();
    let mut catalogue = import_all(&services, &python_sdk, &origin)?;
    catalogue.specs.remove(HAND_WRITTEN);
    let specs_dir = root.join("api-spec");
    let mut drift = Vec::new();

    // Catalogue specs are those with an origin; a hand-written spec is never touched.
    let mut existing = BTreeMap::new();
    for dir in crate::sorted_entries(&specs_dir)?
        .iter()
        .filter(|p| p.is_dir())
    {
        for file in crate::sorted_entries(dir)? {
            if file.extension().is_some_and(|e| e == "json") {
                let relative = format!("{}/{}", file_name(dir), file_name(&file));
                let text = std::fs::read_to_string(&file)
                    .map_err(|err| format!("cannot read {}: {err}", file.display()))?;
                existing.insert(relative, text);
            }
        }
    }
    for (path, text) in &catalogue.specs {
        match existing.get(path) {
            Some(current) if current == text => continue,
            Some(current) if !current.contains("\"origin\"") => {
                return Err(format!(
                    "api-spec/{path} is written by hand; the catalogue will not replace it"
                ));
            }
            Some(_) => drift.push(format!("changed: api-spec/{path}")),
            None => drift.push(format!("missing: api-spec/{path}")),
        }
        if !options.check {
            let target = specs_dir.join(path);
            if let Some(dir) = target.parent() {
                std::fs::create_dir_all(dir)
                    .map_err(|err| format!("cannot create {}: {err}", dir.display()))?;
            }
            std::fs::write(&target, text)
                .map_err(|err| format!("cannot write {}: {err}", target.display()))?;
        }
    }
    for (path, text) in &existing {
        if text.contains("\"origin\"") && !catalogue.specs.contains_key(path) {
            drift.push(format!("stale: api-spec/{path}"));
            if !options.check {
                let target = specs_dir.join(path);
                std::fs::remove_file(&target)
                    .map_err(|err| format!("cannot remove {}: {err}", target.display()))?;
            }
        }
    }

    let manifest = root.join("sdk/Cargo.toml");
    let manifest_text = std::fs::read_to_string(&manifest)
        .map_err(|err| format!("cannot read {}: {err}", manifest.display()))?;
    let features = with_features(&manifest_text, &catalogue.services)?;
    if features != manifest_text {
        drift.push("changed: the service features of sdk/Cargo.toml".to_owned());
        if !options.check {
            std::fs::write(&manifest, &features)
                .map_err(|err| format!("cannot write {}: {err}", manifest.display()))?;
        }
    }

    let warnings: Vec<String> = catalogue
        .warnings
        .iter()
        .map(|(kind, count)| format!("{count} {}", kind.label()))
        .collect();
    println!(
        "imported {} service versions of {} services from tccli {} in {:.1} s: {} actions, {} structures, {} members; notes: {}",
        catalogue.specs.len() + 1,
        catalogue.services.len(),
        pins.tccli,
        started.elapsed().as_secs_f64(),
        catalogue.counts[0],
        catalogue.counts[1],
        catalogue.counts[2],
        if warnings.is_empty() {
            "none".to_owned()
        } else {
            warnings.join(", ")
        }
    );
    if options.check {
        if drift.is_empty() {
            println!("the catalogue is what tccli {} gives", pins.tccli);
            return Ok(());
        }
        return Err(format!(
            "the committed catalogue differs from tccli {}:\n  {}\nrun `cargo xtask import-catalogue`, then `cargo xtask codegen`, and commit the result",
            pins.tccli,
            drift.join("\n  ")
        ));
    }
    println!(
        "{} file(s) changed; now run `cargo xtask codegen`",
        drift.len()
    );
    Ok(())
}

/// The manifest with its service features replaced by one per service, between the marker
/// lines (added at the end of `[features]` when absent).
fn with_features(manifest: &str, services: &BTreeSet<String>) -> Result<String, String> {
    let mut block = vec![FEATURES_BEGIN.to_owned()];
    block.extend(services.iter().map(|name| format!("{name} = []")));
    block.push(FEATURES_END.to_owned());
    let block = block.join("\n");
    if let (Some(start), Some(end)) = (manifest.find(FEATURES_BEGIN), manifest.find(FEATURES_END)) {
        if end < start {
            return Err("sdk/Cargo.toml: the service feature markers are out of order".to_owned());
        }
        let end = end + FEATURES_END.len();
        return Ok(format!("{}{block}{}", &manifest[..start], &manifest[end..]));
    }
    // First run: the block replaces the service lines written by hand after `[features]`.
    let Some(section) = manifest.find("[features]\n") else {
        return Err("sdk/Cargo.toml has no [features] section".to_owned());
    };
    let body_start = section + "[features]\n".len();
    let body_end = manifest[body_start..]
        .find("\n[")
        .map_or(manifest.len(), |i| body_start + i + 1);
    let kept: Vec<&str> = manifest[body_start..body_end]
        .lines()
        .filter(|line| {
            let name = line.split('=').next().unwrap_or("").trim();
            !services.contains(name)
        })
        .collect();
    let mut body = kept.join("\n");
    while body.ends_with('\n') {
        body.pop();
    }
    Ok(format!(
        "{}{body}\n{block}\n\n{}",
        &manifest[..body_start],
        &manifest[body_end..]
    ))
}
