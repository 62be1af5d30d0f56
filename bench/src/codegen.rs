//! `codegen`: the generator's time over `api-spec/`, and the importer's and the generator's over
//! the official CLI's two reference descriptions of DTS, all in memory (nothing is written or
//! compiled).

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::Instant;

use serde_json::{Value, json};
use tencentcloud_codegen::tccli::{self, Source};

use crate::BenchResult;
use crate::stats::median;

/// The reference descriptions, under `<shared>/reference/`.
const REFERENCES: [(&str, &str); 2] = [
    ("en", "tccli-dts-v20180330-en"),
    ("zh", "tccli-dts-v20180330-zh"),
];

/// The workspace's `api-spec/`.
pub fn default_specs() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../api-spec")
}

/// Times each piece of work `runs` times after one untimed run, and reports the medians.
pub fn run(shared: &Path, specs: &Path, runs: usize) -> BenchResult<Value> {
    let spec_files = spec_files(specs)?;
    let mut generated_files = 0;
    let all_specs_ms = median_ms(runs, || {
        let mut services = Vec::with_capacity(spec_files.len());
        for (path, display) in &spec_files {
            services.push(tencentcloud_codegen::load(path, display)?);
        }
        generated_files = tencentcloud_codegen::generate(&services)?.len();
        Ok(())
    })?;

    let mut report = json!({
        "codegen_all_specs_ms": all_specs_ms,
        "specs": spec_files.len(),
        "generated_files": generated_files,
        "runs": runs,
    });
    for (lang, folder) in REFERENCES {
        let dir = shared.join("reference").join(folder);
        let read = |name: &str| {
            let path = dir.join(name);
            std::fs::read_to_string(&path)
                .map_err(|err| format!("cannot read {}: {err}", path.display()))
        };
        let (api, examples) = (read("api.json")?, read("examples.json")?);
        let api_name = format!("{folder}/api.json");
        let examples_name = format!("{folder}/examples.json");
        let ms = median_ms(runs, || {
            let import = tccli::import(
                Source {
                    display: &api_name,
                    text: &api,
                },
                Some(Source {
                    display: &examples_name,
                    text: &examples,
                }),
                None,
            )?;
            let service =
                tencentcloud_codegen::parse(&import.json, "api-spec/dts/2018-03-30.json")?;
            black_box(tencentcloud_codegen::generate(&[service])?);
            Ok(())
        })?;
        report[format!("import_generate_{lang}_ms")] = json!(ms);
    }
    Ok(report)
}

/// Every `<specs>/<service>/<version>.json`, sorted, with the name the generator gives it (as
/// `cargo xtask codegen` names it).
fn spec_files(specs: &Path) -> BenchResult<Vec<(PathBuf, String)>> {
    let sorted = |dir: &Path| -> BenchResult<Vec<PathBuf>> {
        let mut paths = std::fs::read_dir(dir)
            .map_err(|err| format!("cannot read {}: {err}", dir.display()))?
            .map(|entry| entry.map(|entry| entry.path()))
            .collect::<Result<Vec<_>, _>>()?;
        paths.sort();
        Ok(paths)
    };
    let mut files = Vec::new();
    for service in sorted(specs)?.into_iter().filter(|path| path.is_dir()) {
        for file in sorted(&service)? {
            if file.extension().is_some_and(|ext| ext == "json") {
                let relative = file.strip_prefix(specs).unwrap_or(&file);
                let display = format!("api-spec/{}", relative.display()).replace('\\', "/");
                files.push((file, display));
            }
        }
    }
    if files.is_empty() {
        return Err(format!("no specs in {}/<service>/<version>.json", specs.display()).into());
    }
    Ok(files)
}

/// The median of `runs` timed runs of `work`, in milliseconds, after one untimed run.
fn median_ms(runs: usize, mut work: impl FnMut() -> BenchResult<()>) -> BenchResult<f64> {
    work()?;
    let mut samples = Vec::with_capacity(runs);
    for _ in 0..runs {
        let started = Instant::now();
        work()?;
        samples.push(started.elapsed().as_secs_f64() * 1_000.0);
    }
    Ok(median(samples))
}
