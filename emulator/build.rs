//! Embeds every spec under `api-spec/` so the emulator answers for each service the SDK has.

use std::path::{Path, PathBuf};
use std::{env, fs, io};

fn main() -> io::Result<()> {
    let manifest = PathBuf::from(env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default());
    let specs = manifest.join("../api-spec");
    println!("cargo::rerun-if-changed={}", specs.display());

    let mut files = Vec::new();
    collect(&specs, &mut files)?;
    files.sort();

    let mut out = String::from("&[\n");
    for file in &files {
        let shown = file.strip_prefix(&manifest).unwrap_or(file);
        let shown = shown.to_string_lossy().replace('\\', "/");
        let shown = shown.trim_start_matches("../");
        println!("cargo::rerun-if-changed={}", file.display());
        out.push_str(&format!(
            "    ({shown:?}, include_str!({:?})),\n",
            file.display().to_string()
        ));
    }
    out.push_str("]\n");
    let target = PathBuf::from(env::var_os("OUT_DIR").unwrap_or_default()).join("specs.rs");
    fs::write(target, out)
}

/// The spec files below `dir`: `<service>/<version>.json`, skipping the schema and other files.
fn collect(dir: &Path, files: &mut Vec<PathBuf>) -> io::Result<()> {
    for entry in fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            for inner in fs::read_dir(&path)? {
                let inner = inner?.path();
                if inner.extension().is_some_and(|ext| ext == "json") {
                    files.push(inner);
                }
            }
        }
    }
    Ok(())
}
