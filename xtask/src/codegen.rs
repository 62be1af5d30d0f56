//! `cargo xtask codegen [--check]`: runs the generator over `api-spec/` and writes (or, with
//! `--check`, compares) `sdk/src/services/`. Only files whose contents change are written.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::{sorted_entries, workspace_root};

/// Usage text of the subcommand.
pub const USAGE: &str = "\
usage: cargo xtask codegen [--check] [--specs DIR] [--out DIR] [--manifest FILE]

  --check          change nothing; fail if generated files differ from what the specs produce
  --specs DIR      spec folder (default: api-spec), holding <service>/<YYYY-MM-DD>.json
  --out DIR        output folder (default: sdk/src/services)
  --manifest FILE  SDK manifest whose [features] must name every service
                   (default: sdk/Cargo.toml, unless --out is given)";

/// The parsed arguments.
pub struct Options {
    check: bool,
    specs: PathBuf,
    out: PathBuf,
    manifest: Option<PathBuf>,
}

impl Options {
    /// Parses the arguments after `codegen`.
    pub fn parse(args: &[String]) -> Result<Self, String> {
        let root = workspace_root();
        let mut options = Options {
            check: false,
            specs: root.join("api-spec"),
            out: root.join("sdk/src/services"),
            manifest: Some(root.join("sdk/Cargo.toml")),
        };
        let mut custom_out = false;
        let mut manifest = None;
        let mut args = args.iter();
        while let Some(arg) = args.next() {
            let mut value = |name: &str| {
                args.next()
                    .map(PathBuf::from)
                    .ok_or_else(|| format!("{name} needs a value\n\n{USAGE}"))
            };
            match arg.as_str() {
                "--check" => options.check = true,
                "--specs" => options.specs = value("--specs")?,
                "--out" => {
                    options.out = value("--out")?;
                    custom_out = true;
                }
                "--manifest" => manifest = Some(value("--manifest")?),
                other => return Err(format!("unknown argument `{other}`\n\n{USAGE}")),
            }
        }
        if manifest.is_some() || custom_out {
            options.manifest = manifest;
        }
        Ok(options)
    }
}

/// Runs the generator.
pub fn codegen(options: &Options) -> Result<(), String> {
    let services = load_specs(&options.specs)?;
    let files = tencentcloud_codegen::generate(&services).map_err(|err| err.to_string())?;
    if let Some(manifest) = &options.manifest {
        check_features(manifest, &services)?;
    }
    let existing = existing_files(&options.out)?;

    let mut drift = Vec::new();
    for (path, contents) in &files {
        let target = options.out.join(path);
        match existing.get(path) {
            Some(current) if current == contents => continue,
            Some(_) => drift.push(format!("changed: {}", target.display())),
            None => drift.push(format!("missing: {}", target.display())),
        }
        if !options.check {
            if let Some(dir) = target.parent() {
                std::fs::create_dir_all(dir)
                    .map_err(|err| format!("cannot create {}: {err}", dir.display()))?;
            }
            std::fs::write(&target, contents)
                .map_err(|err| format!("cannot write {}: {err}", target.display()))?;
        }
    }
    for path in existing.keys().filter(|path| !files.contains_key(*path)) {
        let target = options.out.join(path);
        drift.push(format!("stale: {}", target.display()));
        if !options.check {
            std::fs::remove_file(&target)
                .map_err(|err| format!("cannot remove {}: {err}", target.display()))?;
        }
    }

    if options.check {
        if drift.is_empty() {
            println!("generated code is up to date ({} files)", files.len());
            return Ok(());
        }
        return Err(format!(
            "generated code differs from the specs:\n  {}\nrun `cargo xtask codegen` and commit the result",
            drift.join("\n  ")
        ));
    }
    remove_empty_dirs(&options.out);
    println!(
        "generated {} files from {} spec(s); {} changed",
        files.len(),
        services.len(),
        drift.len()
    );
    Ok(())
}

/// Loads `<specs>/<service>/<version>.json` in a stable order, reporting every spec error.
pub fn load_specs(specs: &Path) -> Result<Vec<tencentcloud_codegen::Service>, String> {
    let mut paths = Vec::new();
    let dirs = sorted_entries(specs)?;
    for dir in dirs.iter().filter(|p| p.is_dir()) {
        for file in sorted_entries(dir)? {
            if file.extension().is_some_and(|ext| ext == "json") {
                paths.push(file);
            }
        }
    }
    if paths.is_empty() {
        return Err(format!(
            "no specs found: expected {}/<service>/<YYYY-MM-DD>.json",
            specs.display()
        ));
    }
    // Loading is as much work as generating for the whole catalogue: one thread per core, each
    // a run of files, in order.
    let load = |path: &PathBuf| {
        // Name specs the same way wherever the folder is, so the generated headers are stable.
        let relative = path.strip_prefix(specs).unwrap_or(path);
        let display = format!("api-spec/{}", relative.display()).replace('\\', "/");
        tencentcloud_codegen::load(path, &display).map_err(|err| err.to_string())
    };
    let threads = std::thread::available_parallelism().map_or(1, usize::from);
    let chunk = paths.len().div_ceil(threads.clamp(1, 8));
    let loaded: Vec<Result<tencentcloud_codegen::Service, String>> = std::thread::scope(|scope| {
        let jobs: Vec<_> = paths
            .chunks(chunk)
            .map(|part| scope.spawn(move || part.iter().map(load).collect::<Vec<_>>()))
            .collect();
        jobs.into_iter()
            .flat_map(|job| {
                job.join()
                    .unwrap_or_else(|_| vec![Err("a loading thread panicked".to_owned())])
            })
            .collect()
    });
    let mut services = Vec::new();
    let mut errors = Vec::new();
    for result in loaded {
        match result {
            Ok(service) => services.push(service),
            Err(err) => errors.push(err),
        }
    }
    if !errors.is_empty() {
        return Err(format!("invalid spec:\n{}", errors.join("\n")));
    }
    Ok(services)
}

/// Every `.rs` file under `dir`, keyed by its `/`-separated path relative to `dir`.
fn existing_files(dir: &Path) -> Result<BTreeMap<String, String>, String> {
    let mut files = BTreeMap::new();
    if !dir.exists() {
        return Ok(files);
    }
    let mut stack = vec![dir.to_path_buf()];
    while let Some(current) = stack.pop() {
        for path in sorted_entries(&current)? {
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|ext| ext == "rs") {
                let contents = std::fs::read_to_string(&path)
                    .map_err(|err| format!("cannot read {}: {err}", path.display()))?;
                let relative = path.strip_prefix(dir).unwrap_or(&path);
                files.insert(relative.display().to_string().replace('\\', "/"), contents);
            }
        }
    }
    Ok(files)
}

fn remove_empty_dirs(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            remove_empty_dirs(&path);
            // Fails, as intended, when the folder still has files.
            let _ = std::fs::remove_dir(&path);
        }
    }
}

/// Every service needs a Cargo feature of its name in the SDK manifest.
fn check_features(
    manifest: &Path,
    services: &[tencentcloud_codegen::Service],
) -> Result<(), String> {
    let text = std::fs::read_to_string(manifest)
        .map_err(|err| format!("cannot read {}: {err}", manifest.display()))?;
    let mut in_features = false;
    let mut features = Vec::new();
    for line in text.lines().map(str::trim) {
        if line.starts_with('[') {
            in_features = line == "[features]";
        } else if in_features {
            if let Some((name, _)) = line.split_once('=') {
                features.push(name.trim().to_owned());
            }
        }
    }
    let missing: Vec<&str> = services
        .iter()
        .map(|s| s.name.as_str())
        .filter(|name| !features.iter().any(|f| f == name))
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    Err(format!(
        "{} has no Cargo feature for service(s) {}; add a line `<service> = []` under [features] for each",
        manifest.display(),
        missing.join(", ")
    ))
}
