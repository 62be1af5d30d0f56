//! `cargo xtask bench`: measures the SDK against its peers and its bounds, prints a table and
//! writes `target/bench/report.json`.
//!
//! The measurements run in `tencentcloud-bench` (built with `--release`), against a
//! `tencentcloud-emulator` started here, beside the official Python SDK's scripts in
//! `bench/python/` and the official Node.js SDK's in `bench/node/`. Targets are reported, not enforced: the run fails only when a figure could not
//! be measured or is not valid (more than 1 % of calls failed, say).

use std::fmt::Write as _;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdout, Command, Output, Stdio};
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use serde_json::{Value, json};

/// Usage text of the subcommand.
pub const USAGE: &str = "\
usage: cargo xtask bench [--quick] [--shared DIR] [--python FILE] [--node-modules DIR]

  --quick          a smoke run: few iterations, 1 s call runs, 20,000 calls for memory, no
                   compile times
  --shared DIR     the shared material, for the reference tccli descriptions (default: ../shared)
  --python FILE    the interpreter with the official Python SDK (default: $TENCENTCLOUD_INTEROP_PYTHON,
                   else a virtualenv made once in target/bench/venv)
  --node-modules DIR
                   a node_modules folder with the official Node.js SDK (default:
                   $TENCENTCLOUD_BENCH_NODE_MODULES, else `npm ci` of bench/node's lock file
                   into target/bench/node, done again only when the lock file changes)

Prints a table and writes target/bench/report.json.";

/// The key pair the emulator accepts and the clients sign with.
const SECRET_ID: &str = "AKIDbenchmark00000000000000000000000";
const SECRET_KEY: &str = "bench-secret-key";
const REGION: &str = "ap-guangzhou";

/// The concurrencies of the call figures.
const CONCURRENCIES: [u32; 3] = [1, 16, 64];
/// The concurrency of the DescribeMigrateJobs runs, and the jobs each of their answers lists.
const LIST_CONCURRENCY: u32 = 16;
const LISTED_JOBS: u32 = 100;
/// The package of the official Node.js SDK that `bench/node/calls_bench.js` loads.
const NODE_SDK: &str = "tencentcloud-sdk-nodejs";
/// More failed calls than this share make a call figure invalid.
const MAX_ERROR_SHARE: f64 = 0.01;
/// RSS growth from 20 % to 100 % of the memory run that still counts as flat.
const FLAT_GROWTH_KB: f64 = 256.0;

/// The spec whose change the incremental compile time follows, and its generated module.
const TOUCHED_SPEC: &str = "api-spec/dts/2018-03-30.json";
const TOUCHED_MODULE: &str = "sdk/src/services/dts/v20180330/mod.rs";

/// The parsed arguments.
pub struct Options {
    quick: bool,
    shared: PathBuf,
    python: Option<PathBuf>,
    node_modules: Option<PathBuf>,
}

impl Options {
    /// Parses the arguments after `bench`.
    pub fn parse(args: &[String]) -> Result<Self, String> {
        let mut options = Options {
            quick: false,
            shared: crate::workspace_root().join("../shared"),
            python: None,
            node_modules: None,
        };
        let mut args = args.iter();
        while let Some(arg) = args.next() {
            let mut value = |name: &str| {
                args.next()
                    .map(PathBuf::from)
                    .ok_or_else(|| format!("{name} needs a value\n\n{USAGE}"))
            };
            match arg.as_str() {
                "--quick" => options.quick = true,
                "--shared" => options.shared = value("--shared")?,
                "--python" => options.python = Some(value("--python")?),
                "--node-modules" => options.node_modules = Some(value("--node-modules")?),
                other => return Err(format!("unknown argument `{other}`\n\n{USAGE}")),
            }
        }
        Ok(options)
    }
}

/// How much of everything a run does.
struct Scale {
    sign_iterations: u64,
    python_sign_iterations: u64,
    call_seconds: u32,
    warmup_calls: u32,
    memory_calls: u64,
    codegen_runs: u32,
    /// Runs of each command of the CLI, and of tccli's help.
    command_runs: u32,
    tccli_runs: u32,
}

impl Scale {
    fn of(quick: bool) -> Self {
        if quick {
            Scale {
                sign_iterations: 30_000,
                python_sign_iterations: 2_000,
                call_seconds: 1,
                warmup_calls: 200,
                memory_calls: 20_000,
                codegen_runs: 1,
                command_runs: 20,
                tccli_runs: 3,
            }
        } else {
            Scale {
                sign_iterations: 600_000,
                python_sign_iterations: 50_000,
                call_seconds: 5,
                warmup_calls: 1_000,
                memory_calls: 100_000,
                codegen_runs: 3,
                command_runs: 200,
                tccli_runs: 20,
            }
        }
    }
}

/// Runs every measurement, prints the table and writes the report.
pub fn bench(options: &Options) -> Result<(), String> {
    let started = Instant::now();
    let root = crate::workspace_root();
    let out = root.join("target/bench");
    std::fs::create_dir_all(&out)
        .map_err(|err| format!("cannot create {}: {err}", out.display()))?;
    let scale = Scale::of(options.quick);

    progress("building tencentcloud-bench and tencentcloud-emulator (release)");
    let runner = Runner {
        binaries: build_binaries(&root)?,
        python: python(&root, options)?,
        scripts: root.join("bench/python"),
        node_modules: node_modules(&root, options)?,
        node_scripts: root.join("bench/node"),
        tccli: tccli(&root)?,
    };
    let measuring = Instant::now();
    let mut measured = runner.measure(&scale, &options.shared)?;
    if !options.quick {
        measured.compile = Some(compile_times(&root)?);
    }

    let (figures, problems) = measured.figures(&scale)?;
    println!("{}", table(&figures, options.quick));
    let notes = |peer: fn(&CallRuns) -> &str| -> serde_json::Map<String, Value> {
        measured
            .calls
            .iter()
            .chain(std::iter::once(&measured.list))
            .map(|runs| (runs.label(), json!(peer(runs))))
            .collect()
    };
    let report = json!({
        "machine": machine(),
        "quick": options.quick,
        "unix_time": SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs()),
        "python": {
            "interpreter": runner.python.display().to_string(),
            "version": measured.python_sign["python"],
            "sdk": measured.python_sign["sdk"],
            "sign_notes": measured.python_sign["notes"],
            "calls_notes": notes(|runs| &runs.python_notes),
        },
        "node": {
            "node_modules": runner.node_modules.display().to_string(),
            "calls_notes": notes(|runs| &runs.node_notes),
        },
        "figures": figures.iter().map(Figure::to_json).collect::<Vec<_>>(),
        "problems": problems,
    });
    let report_path = out.join("report.json");
    let text = serde_json::to_string_pretty(&report)
        .map_err(|err| format!("cannot write the report: {err}"))?;
    std::fs::write(&report_path, text + "\n")
        .map_err(|err| format!("cannot write {}: {err}", report_path.display()))?;
    eprintln!(
        "bench: wrote {}; {:.0} s in all, {:.0} s after the build",
        report_path.display(),
        started.elapsed().as_secs_f64(),
        measuring.elapsed().as_secs_f64(),
    );
    if problems.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "invalid measurements:\n  {}",
            problems.join("\n  ")
        ))
    }
}

fn progress(step: &str) {
    eprintln!("bench: {step}");
}

/// The programs the measurements run in.
struct Runner {
    binaries: Binaries,
    /// The interpreter with the official Python SDK.
    python: PathBuf,
    /// `bench/python/`.
    scripts: PathBuf,
    /// The `node_modules` folder with the official Node.js SDK.
    node_modules: PathBuf,
    /// `bench/node/`.
    node_scripts: PathBuf,
    /// The official CLI, `tccli`, at the catalogue's pinned version.
    tccli: PathBuf,
}

impl Runner {
    /// Everything but the compile times, against one emulator.
    fn measure(&self, scale: &Scale, shared: &Path) -> Result<Measured, String> {
        let emulator = Emulator::start(&self.binaries.emulator)?;
        let url = emulator.url.as_str();
        let target = [
            "--url",
            url,
            "--secret-id",
            SECRET_ID,
            "--secret-key",
            SECRET_KEY,
        ];
        let jobs = LISTED_JOBS.to_string();
        let setup = self.bench(&concat(&[&["setup"], &target, &["--jobs", &jobs]]))?;
        let job_id = text(&setup, "job_id", "setup")?;
        let check_job = ["--action", "DescribeMigrateCheckJob", "--job-id", job_id];
        let list_jobs = ["--action", "DescribeMigrateJobs", "--limit", &jobs];

        progress("signing");
        let iterations = scale.sign_iterations.to_string();
        let sign = self.bench(&["sign", "--iterations", &iterations])?;
        let iterations = scale.python_sign_iterations.to_string();
        let python_sign = self.python("sign_bench.py", &["--iterations", &iterations])?;

        let calls = CONCURRENCIES
            .into_iter()
            .map(|concurrency| self.calls(&target, &check_job, concurrency, scale))
            .collect::<Result<_, _>>()?;
        let list = self.calls(&target, &list_jobs, LIST_CONCURRENCY, scale)?;

        progress("memory");
        let memory_calls = scale.memory_calls.to_string();
        let memory = self.bench(&concat(&[
            &["memory"],
            &target,
            &["--job-id", job_id, "--calls", &memory_calls],
        ]))?;
        progress("command-line clients");
        let cli = self.commands(&target, job_id, scale)?;
        drop(emulator);

        progress("code generation");
        let shared = shared.display().to_string();
        let runs = scale.codegen_runs.to_string();
        let codegen = self.bench(&["codegen", "--shared", &shared, "--runs", &runs])?;
        Ok(Measured {
            sign,
            python_sign,
            calls,
            list,
            memory,
            codegen,
            cli,
            compile: None,
        })
    }

    /// The CLI's and tccli's help for one action, and a CLI call against the emulator, each run
    /// again and again by `bench/python/commands_bench.py`.
    fn commands(&self, target: &[&str], job_id: &str, scale: &Scale) -> Result<CliRuns, String> {
        let home = crate::workspace_root().join("target/bench/home");
        std::fs::create_dir_all(&home)
            .map_err(|err| format!("cannot create {}: {err}", home.display()))?;
        let cli = self.binaries.cli.display().to_string();
        let tccli = self.tccli.display().to_string();
        let runs = scale.command_runs.to_string();
        let tccli_runs = scale.tccli_runs.to_string();
        let help = ["dts", "DescribeMigrateCheckJob", "help"];
        let ours = self.commands_bench(&runs, &concat(&[&[&cli], &help]), &[])?;
        let theirs = self.commands_bench(
            &tccli_runs,
            &concat(&[&[&tccli], &help, &["--version", "2018-03-30"]]),
            &[],
        )?;
        // target is `--url URL --secret-id ID --secret-key KEY`.
        let call = concat(&[
            &[&cli, "dts", "DescribeMigrateCheckJob", "--JobId", job_id],
            &["--endpoint", target[1], "--region", REGION],
        ]);
        let env = [
            ("TENCENTCLOUD_SECRET_ID", target[3]),
            ("TENCENTCLOUD_SECRET_KEY", target[5]),
        ];
        let call = self.commands_bench(&runs, &call, &env)?;
        let size = std::fs::metadata(&self.binaries.cli)
            .map_err(|err| format!("cannot read {}: {err}", self.binaries.cli.display()))?
            .len();
        Ok(CliRuns {
            help: ours,
            tccli_help: theirs,
            call,
            size,
        })
    }

    fn commands_bench(
        &self,
        runs: &str,
        command: &[&str],
        env: &[(&str, &str)],
    ) -> Result<Value, String> {
        let mut python = Command::new(&self.python);
        python
            .arg(self.scripts.join("commands_bench.py"))
            .args(["--runs", runs, "--"])
            .args(command)
            // Neither CLI may find a configuration of this machine's user.
            .env("HOME", crate::workspace_root().join("target/bench/home"))
            .envs(env.iter().copied());
        run_json(&mut python, "commands_bench.py")
    }

    /// The four clients one after the other, calling `action` (its flags) at one concurrency.
    fn calls(
        &self,
        target: &[&str],
        action: &[&str],
        concurrency: u32,
        scale: &Scale,
    ) -> Result<CallRuns, String> {
        let name = action.get(1).copied().unwrap_or_default();
        progress(&format!("{name} calls at concurrency {concurrency}"));
        let concurrency_text = concurrency.to_string();
        let seconds = scale.call_seconds.to_string();
        let warmup = scale.warmup_calls.to_string();
        let load = [
            "--concurrency",
            &concurrency_text,
            "--duration",
            &seconds,
            "--warmup-calls",
            &warmup,
        ];
        let rust = |client| {
            self.bench(&concat(&[
                &["calls"],
                target,
                action,
                &load,
                &["--client", client],
            ]))
        };
        let sdk = rust("sdk")?;
        let floor = rust("reqwest")?;
        let peer_args = concat(&[target, &["--region", REGION], action, &load]);
        let python = self.python("calls_bench.py", &peer_args)?;
        let node = self.node("calls_bench.js", &peer_args)?;
        let notes = |run: &Value| run["notes"].as_str().unwrap_or_default().to_owned();
        Ok(CallRuns {
            action: name.to_owned(),
            concurrency,
            sdk: CallRun::read(&sdk, "sdk")?,
            reqwest: CallRun::read(&floor, "reqwest")?,
            python: CallRun::read(&python, "calls_bench.py")?,
            node: CallRun::read(&node, "calls_bench.js")?,
            python_notes: notes(&python),
            node_notes: notes(&node),
        })
    }

    /// Runs a `tencentcloud-bench` subcommand.
    fn bench(&self, args: &[&str]) -> Result<Value, String> {
        let what = args.first().copied().unwrap_or("tencentcloud-bench");
        run_json(Command::new(&self.binaries.bench).args(args), what)
    }

    /// Runs a script of `bench/node/` with the Node.js SDK on its module path.
    fn node(&self, script: &str, args: &[&str]) -> Result<Value, String> {
        run_json(
            Command::new("node")
                .arg(self.node_scripts.join(script))
                .args(args)
                .env("NODE_PATH", &self.node_modules),
            script,
        )
    }

    /// Runs a script of `bench/python/`.
    fn python(&self, script: &str, args: &[&str]) -> Result<Value, String> {
        run_json(
            Command::new(&self.python)
                .arg(self.scripts.join(script))
                .args(args),
            script,
        )
    }
}

/// The arguments of a command, from groups of them.
fn concat<'a>(groups: &[&[&'a str]]) -> Vec<&'a str> {
    groups.concat()
}

/// The release binaries the measurements run in.
struct Binaries {
    bench: PathBuf,
    emulator: PathBuf,
    cli: PathBuf,
}

/// Builds the three binaries with `--release` in the workspace's target folder (so that the next run
/// builds incrementally) and finds them in Cargo's messages.
fn build_binaries(root: &Path) -> Result<Binaries, String> {
    let output = Command::new(cargo())
        .args([
            "build",
            "--release",
            "--package",
            "tencentcloud-bench",
            "--package",
            "tencentcloud-emulator",
            "--package",
            "tencentcloud-cli",
            "--message-format=json-render-diagnostics",
        ])
        .current_dir(root)
        .stderr(Stdio::inherit())
        .output()
        .map_err(|err| format!("cannot run cargo: {err}"))?;
    if !output.status.success() {
        return Err(format!("cargo build --release failed ({})", output.status));
    }
    let executable = |name: &str| {
        String::from_utf8_lossy(&output.stdout)
            .lines()
            .filter_map(|line| serde_json::from_str::<Value>(line).ok())
            .filter(|message| message["target"]["name"] == name)
            .find_map(|message| message["executable"].as_str().map(PathBuf::from))
            .ok_or_else(|| format!("cargo build did not report the `{name}` executable"))
    };
    Ok(Binaries {
        bench: executable("tencentcloud-bench")?,
        emulator: executable("tencentcloud-emulator")?,
        cli: executable("tencentcloud")?,
    })
}

/// `cargo` as the one running this task.
fn cargo() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned())
}

/// The interpreter with the official Python SDK: `--python`, else `TENCENTCLOUD_INTEROP_PYTHON`,
/// else `target/bench/venv`, made with the interop test's script when it cannot import the SDK.
fn python(root: &Path, options: &Options) -> Result<PathBuf, String> {
    if let Some(python) = &options.python {
        return Ok(python.clone());
    }
    if let Some(python) = std::env::var_os("TENCENTCLOUD_INTEROP_PYTHON") {
        return Ok(PathBuf::from(python));
    }
    let venv = root.join("target/bench/venv");
    let python = venv.join("bin/python");
    let ready = Command::new(&python)
        .args(["-c", "import tencentcloud.dts.v20180330"])
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|status| status.success());
    if ready {
        return Ok(python);
    }
    progress("making the Python virtualenv in target/bench/venv");
    let output = Command::new("bash")
        .arg(root.join("emulator/tests/interop/setup-venv.sh"))
        .arg(&venv)
        .stderr(Stdio::inherit())
        .output()
        .map_err(|err| format!("cannot run setup-venv.sh: {err}"))?;
    if !output.status.success() {
        return Err(format!("setup-venv.sh failed ({})", output.status));
    }
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .last()
        .map(PathBuf::from)
        .ok_or_else(|| "setup-venv.sh printed no interpreter".to_owned())
}

/// The official CLI at the catalogue's pinned versions (`api-spec/catalogue.json`), with its
/// dependencies, in a virtualenv of its own under `target/bench/` made the first time.
fn tccli(root: &Path) -> Result<PathBuf, String> {
    let pins = crate::catalogue::pins(root)?;
    let venv = root
        .join("target/bench")
        .join(format!("tccli-{}-sdk-{}", pins.tccli, pins.python_sdk));
    let packages = [
        format!("tccli=={}", pins.tccli),
        format!("tencentcloud-sdk-python=={}", pins.python_sdk),
    ];
    if !venv.join(".installed").exists() {
        progress(&format!(
            "installing tccli {} into {}",
            pins.tccli,
            venv.display()
        ));
    }
    let python = crate::python_venv(&venv, &packages, false)?;
    let tccli = python.with_file_name("tccli");
    Ok(tccli)
}

/// The `node_modules` folder with the official Node.js SDK: `--node-modules`, else
/// `TENCENTCLOUD_BENCH_NODE_MODULES`, else `target/bench/node/node_modules`, installed there
/// with `npm ci` from `bench/node`'s lock file unless the installed lock file is the same.
fn node_modules(root: &Path, options: &Options) -> Result<PathBuf, String> {
    let given = options
        .node_modules
        .clone()
        .or_else(|| std::env::var_os("TENCENTCLOUD_BENCH_NODE_MODULES").map(PathBuf::from));
    if let Some(dir) = given {
        if !dir.join(NODE_SDK).join("package.json").is_file() {
            return Err(format!("{} holds no {NODE_SDK}", dir.display()));
        }
        return Ok(dir);
    }
    let source = root.join("bench/node");
    let install = root.join("target/bench/node");
    let read = |path: &Path| {
        std::fs::read(path).map_err(|err| format!("cannot read {}: {err}", path.display()))
    };
    let lock = read(&source.join("package-lock.json"))?;
    let modules = install.join("node_modules");
    let installed = std::fs::read(install.join("package-lock.json")).ok();
    if installed.as_ref() == Some(&lock) && modules.join(NODE_SDK).join("package.json").is_file() {
        return Ok(modules);
    }
    progress("installing the Node.js SDK into target/bench/node (npm ci)");
    std::fs::create_dir_all(&install)
        .map_err(|err| format!("cannot create {}: {err}", install.display()))?;
    for file in ["package.json", "package-lock.json"] {
        let to = install.join(file);
        std::fs::copy(source.join(file), &to)
            .map_err(|err| format!("cannot copy {file} to {}: {err}", to.display()))?;
    }
    let status = Command::new("npm")
        .args(["ci", "--no-audit", "--no-fund", "--loglevel=error"])
        .current_dir(&install)
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .status()
        .map_err(|err| format!("cannot run npm (is Node.js installed?): {err}"))?;
    if !status.success() {
        return Err(format!("npm ci in {} failed ({status})", install.display()));
    }
    Ok(modules)
}

/// The emulator binary, serving on loopback; killed when dropped.
struct Emulator {
    child: Child,
    url: String,
    /// Kept open, so that the emulator never writes to a closed pipe.
    _stdout: BufReader<ChildStdout>,
}

impl Emulator {
    /// Starts it with the bench key pair, rate limits off and checks that pass in 100 ms, and reads
    /// its URL.
    fn start(binary: &Path) -> Result<Self, String> {
        let mut child = Command::new(binary)
            .args([
                "--addr",
                "127.0.0.1:0",
                "--secret-id",
                SECRET_ID,
                "--secret-key",
                SECRET_KEY,
                "--rate-limits",
                "off",
                "--checks",
                "pass",
                "--check-duration",
                "100ms",
            ])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .spawn()
            .map_err(|err| format!("cannot start {}: {err}", binary.display()))?;
        let stdout = child.stdout.take();
        let mut emulator = Emulator {
            child,
            url: String::new(),
            _stdout: BufReader::new(stdout.ok_or("the emulator's stdout is not a pipe")?),
        };
        emulator
            ._stdout
            .read_line(&mut emulator.url)
            .map_err(|err| format!("cannot read the emulator's URL: {err}"))?;
        emulator.url.truncate(emulator.url.trim_end().len());
        if !emulator.url.starts_with("http://") {
            return Err(format!(
                "the emulator printed `{}` instead of its URL",
                emulator.url
            ));
        }
        Ok(emulator)
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Runs `command` to its end with its output captured, which is shown only when it fails.
fn run(command: &mut Command, what: &str) -> Result<Output, String> {
    let output = command
        .stdin(Stdio::null())
        .output()
        .map_err(|err| format!("cannot run {what}: {err}"))?;
    if output.status.success() {
        Ok(output)
    } else {
        Err(format!(
            "{what} failed ({}):\n{}{}",
            output.status,
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        ))
    }
}

/// Runs a measurement and reads the JSON line it prints last.
fn run_json(command: &mut Command, what: &str) -> Result<Value, String> {
    let output = run(command, what)?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    let line = stdout
        .lines()
        .rfind(|line| !line.trim().is_empty())
        .ok_or_else(|| format!("{what} printed nothing"))?;
    serde_json::from_str(line).map_err(|err| format!("{what} printed `{line}`, not JSON: {err}"))
}

fn number(value: &Value, key: &str, what: &str) -> Result<f64, String> {
    value[key]
        .as_f64()
        .filter(|number| number.is_finite())
        .ok_or_else(|| format!("{what} gave no number `{key}`: {value}"))
}

fn text<'a>(value: &'a Value, key: &str, what: &str) -> Result<&'a str, String> {
    value[key]
        .as_str()
        .ok_or_else(|| format!("{what} gave no text `{key}`: {value}"))
}

/// One client's run at one concurrency.
struct CallRun {
    calls: f64,
    errors: f64,
    calls_per_second: f64,
    /// The client process's CPU time (user + system, every thread) per successful call.
    cpu_us_per_call: f64,
    p50_ms: f64,
    p99_ms: f64,
    /// The jobs its probe's DescribeMigrateJobs answer listed (`None` for other actions).
    listed_jobs: Option<f64>,
}

impl CallRun {
    fn read(value: &Value, what: &str) -> Result<Self, String> {
        let calls = number(value, "calls", what)?;
        Ok(CallRun {
            calls,
            errors: number(value, "errors", what)?,
            calls_per_second: number(value, "calls_per_second", what)?,
            // Without a successful call there is no figure, and `problem` says so.
            cpu_us_per_call: if calls < 1.0 {
                f64::NAN
            } else {
                number(value, "cpu_us_per_call", what)?
            },
            p50_ms: number(value, "p50_ms", what)?,
            p99_ms: number(value, "p99_ms", what)?,
            listed_jobs: value["listed_jobs"].as_f64(),
        })
    }

    /// Why the run does not count, if it does not.
    fn problem(&self, client: &str, runs: &CallRuns) -> Option<String> {
        let what = format!("{client}, {}", runs.label());
        let attempted = self.calls + self.errors;
        if self.calls < 1.0 {
            Some(format!("{what}: no successful call"))
        } else if self.errors / attempted > MAX_ERROR_SHARE {
            Some(format!(
                "{what}: {} of {attempted} calls failed",
                self.errors
            ))
        } else if runs.action == "DescribeMigrateJobs"
            && self.listed_jobs != Some(f64::from(LISTED_JOBS))
        {
            Some(format!(
                "{what}: the answers listed {:?} jobs, not {LISTED_JOBS}",
                self.listed_jobs
            ))
        } else {
            None
        }
    }
}

/// The four clients calling one action at one concurrency.
struct CallRuns {
    action: String,
    concurrency: u32,
    sdk: CallRun,
    reqwest: CallRun,
    python: CallRun,
    node: CallRun,
    python_notes: String,
    node_notes: String,
}

impl CallRuns {
    /// `DescribeMigrateCheckJob, concurrency 16`.
    fn label(&self) -> String {
        format!("{}, concurrency {}", self.action, self.concurrency)
    }

    fn runs(&self) -> [(&'static str, &CallRun); 4] {
        [
            ("sdk", &self.sdk),
            ("reqwest", &self.reqwest),
            ("python", &self.python),
            ("node", &self.node),
        ]
    }
}

/// Seconds of a clean release build of the SDK and of its rebuild after one spec changed, and
/// of debug builds of the SDK crate alone with one service each.
struct CompileTimes {
    clean: f64,
    incremental: f64,
    /// `(service, actions, seconds, peak RSS in kB)`; the first has no service at all.
    services: Vec<(&'static str, usize, f64, Option<f64>)>,
}

/// The services whose debug build is timed: none (the runtime alone), then the largest (csip,
/// 751 actions) and two others the issue names.
const TIMED_SERVICES: [&str; 4] = ["", "csip", "vpc", "cvm"];

/// Builds the SDK in a target folder of its own, after removing it, then touches one spec,
/// regenerates, touches the spec's generated module (as a changed spec rewrites it; unchanged
/// output is not rewritten) and builds again.
fn compile_times(root: &Path) -> Result<CompileTimes, String> {
    let target = root.join("target/bench/clean-build");
    if target.exists() {
        std::fs::remove_dir_all(&target)
            .map_err(|err| format!("cannot remove {}: {err}", target.display()))?;
    }
    let build = || {
        let started = Instant::now();
        run(
            Command::new(cargo())
                .args(["build", "--release", "--package", "tencentcloud-sdk"])
                .current_dir(root)
                .env("CARGO_TARGET_DIR", &target),
            "cargo build --release -p tencentcloud-sdk",
        )?;
        Ok::<_, String>(started.elapsed().as_secs_f64())
    };
    progress("compile time: clean release build of tencentcloud-sdk (minutes)");
    let clean = build()?;

    progress("compile time: rebuild after one spec changed");
    touch(&root.join(TOUCHED_SPEC))?;
    run(
        Command::new(cargo())
            .args(["run", "--quiet", "--package", "xtask", "--", "codegen"])
            .current_dir(root),
        "cargo xtask codegen",
    )?;
    touch(&root.join(TOUCHED_MODULE))?;
    let incremental = build()?;

    // Debug builds of the SDK crate alone (its dependencies built first, without incremental
    // compilation, as a dependency is built): what each service adds to the runtime's own time.
    let debug_target = root.join("target/bench/service-builds");
    let mut services = Vec::new();
    for service in TIMED_SERVICES {
        let mut args = vec![
            "build",
            "--quiet",
            "--lib",
            "--package",
            "tencentcloud-sdk",
            "--no-default-features",
        ];
        if !service.is_empty() {
            args.extend(["--features", service]);
        }
        run(
            Command::new(cargo())
                .args(&args)
                .current_dir(root)
                .env("CARGO_TARGET_DIR", &debug_target)
                .env("CARGO_INCREMENTAL", "0"),
            "cargo build -p tencentcloud-sdk",
        )?;
        touch(&root.join("sdk/src/lib.rs"))?;
        progress(&format!(
            "compile time: debug build of the SDK with {}",
            if service.is_empty() {
                "no service"
            } else {
                service
            }
        ));
        let started = Instant::now();
        // `/usr/bin/time` gives the compiler's peak memory where it is installed.
        let timed = Path::new("/usr/bin/time").exists();
        let mut command = if timed {
            let mut command = Command::new("/usr/bin/time");
            command.args(["-f", "max-rss-kb=%M"]).arg(cargo());
            command
        } else {
            Command::new(cargo())
        };
        let output = command
            .args(&args)
            .current_dir(root)
            .env("CARGO_TARGET_DIR", &debug_target)
            .env("CARGO_INCREMENTAL", "0")
            .output()
            .map_err(|err| format!("cannot run cargo: {err}"))?;
        let seconds = started.elapsed().as_secs_f64();
        if !output.status.success() {
            return Err(format!(
                "the debug build with {service:?} failed:\n{}",
                String::from_utf8_lossy(&output.stderr)
            ));
        }
        let rss = String::from_utf8_lossy(&output.stderr)
            .lines()
            .find_map(|line| line.strip_prefix("max-rss-kb=")?.trim().parse().ok());
        services.push((service, actions_of(root, service)?, seconds, rss));
    }
    Ok(CompileTimes {
        clean,
        incremental,
        services,
    })
}

/// The number of actions of a service across its spec versions (0 for none).
fn actions_of(root: &Path, service: &str) -> Result<usize, String> {
    if service.is_empty() {
        return Ok(0);
    }
    let mut actions = 0;
    for file in crate::sorted_entries(&root.join("api-spec").join(service))? {
        let text = std::fs::read_to_string(&file)
            .map_err(|err| format!("cannot read {}: {err}", file.display()))?;
        let spec: Value = serde_json::from_str(&text)
            .map_err(|err| format!("{}: not JSON: {err}", file.display()))?;
        actions += spec["actions"].as_array().map_or(0, Vec::len);
    }
    Ok(actions)
}

fn touch(path: &Path) -> Result<(), String> {
    std::fs::File::options()
        .append(true)
        .open(path)
        .and_then(|file| file.set_modified(SystemTime::now()))
        .map_err(|err| format!("cannot touch {}: {err}", path.display()))
}

/// What each measurement printed.
struct Measured {
    sign: Value,
    python_sign: Value,
    calls: Vec<CallRuns>,
    /// DescribeMigrateJobs answers listing [`LISTED_JOBS`] jobs, at [`LIST_CONCURRENCY`].
    list: CallRuns,
    memory: Value,
    codegen: Value,
    cli: CliRuns,
    compile: Option<CompileTimes>,
}

/// What `commands_bench.py` printed for the command-line clients, and the CLI's size.
struct CliRuns {
    help: Value,
    tccli_help: Value,
    call: Value,
    size: u64,
}

impl Measured {
    /// The figures in table order, and the reasons any of them is invalid.
    fn figures(&self, scale: &Scale) -> Result<(Vec<Figure>, Vec<String>), String> {
        let mut problems = Vec::new();
        let sign = |key| number(&self.sign, key, "sign");
        let python_sign = |key| number(&self.python_sign, key, "sign_bench.py");
        let mut figures = vec![
            Figure::new(
                "sign: build + sign DescribeMigrateCheckJob (request, JSON, headers)",
                "ns",
                sign("sdk_build_and_sign_ns")?,
            )
            .against(
                "Python SDK",
                python_sign("build_and_sign_ns")?,
                Ratio::Faster,
            )
            .target("≥ 25× faster", |ratio, _| ratio >= 25.0),
            Figure::new(
                "sign: signature alone, key derived each time",
                "ns",
                sign("sdk_sign_uncached_ns")?,
            )
            .against("Python SDK", python_sign("sign_only_ns")?, Ratio::Faster),
            Figure::new(
                "sign: signature alone, cached key (the runtime's path)",
                "ns",
                sign("sdk_sign_ns")?,
            )
            .against("SHA-256 ×2 + HMAC-SHA256", sign("bound_ns")?, Ratio::Times)
            .target("≤ 1.5× the bound", |ratio, _| ratio <= 1.5),
        ];

        for runs in self.calls.iter().chain(std::iter::once(&self.list)) {
            for (client, run) in runs.runs() {
                problems.extend(run.problem(client, runs));
            }
        }
        for runs in &self.calls {
            let c = runs.concurrency;
            let (sdk, reqwest, python, node) = (&runs.sdk, &runs.reqwest, &runs.python, &runs.node);
            let row = |figure: &str, unit, value| {
                Figure::new(format!("{figure}, concurrency {c}"), unit, value)
            };
            let mut calls_vs_python = row("calls/s", "calls/s", sdk.calls_per_second).against(
                "Python SDK",
                python.calls_per_second,
                Ratio::Times,
            );
            let mut calls_vs_floor = row("calls/s", "calls/s", sdk.calls_per_second).against(
                "bare reqwest",
                reqwest.calls_per_second,
                Ratio::Times,
            );
            let mut p50_vs_floor =
                row("p50", "ms", sdk.p50_ms).against("bare reqwest", reqwest.p50_ms, Ratio::Times);
            if c == 64 {
                calls_vs_python = calls_vs_python.target("≥ 10×", |ratio, _| ratio >= 10.0);
                calls_vs_floor = calls_vs_floor.target("≥ 0.9×", |ratio, _| ratio >= 0.9);
            }
            if c == 1 {
                p50_vs_floor =
                    p50_vs_floor.target("≤ 1.15× the floor", |ratio, _| ratio <= 1.15);
            }
            let cpu = |peer, value| {
                row("client CPU per call", "µs", sdk.cpu_us_per_call).against(
                    peer,
                    value,
                    Ratio::Faster,
                )
            };
            figures.extend([
                calls_vs_python,
                row("calls/s", "calls/s", sdk.calls_per_second).against(
                    "Node.js SDK",
                    node.calls_per_second,
                    Ratio::Times,
                ),
                calls_vs_floor,
                cpu("Python SDK", python.cpu_us_per_call)
                    .target("≥ 35× less", |ratio, _| ratio >= 35.0),
                cpu("Node.js SDK", node.cpu_us_per_call)
                    .target("≥ 20× less", |ratio, _| ratio >= 20.0),
                row("client CPU per call", "µs", sdk.cpu_us_per_call).against(
                    "bare reqwest",
                    reqwest.cpu_us_per_call,
                    Ratio::Times,
                ),
                p50_vs_floor,
                row("p99", "ms", sdk.p99_ms).against("bare reqwest", reqwest.p99_ms, Ratio::Times),
                row("p50", "ms", sdk.p50_ms).against("Python SDK", python.p50_ms, Ratio::Faster),
                row("p99", "ms", sdk.p99_ms).against("Python SDK", python.p99_ms, Ratio::Faster),
            ]);
        }

        let list = &self.list;
        let row = |figure: &str, unit, value| {
            Figure::new(
                format!(
                    "DescribeMigrateJobs, {LISTED_JOBS} jobs per answer: {figure}, concurrency {}",
                    list.concurrency
                ),
                unit,
                value,
            )
        };
        let cpu = list.sdk.cpu_us_per_call;
        figures.extend([
            row("client CPU per call", "µs", cpu)
                .against("Python SDK", list.python.cpu_us_per_call, Ratio::Faster)
                .target("≥ 15× less", |ratio, _| ratio >= 15.0),
            row("client CPU per call", "µs", cpu).against(
                "Node.js SDK",
                list.node.cpu_us_per_call,
                Ratio::Faster,
            ),
            row("client CPU per call", "µs", cpu).against(
                "bare reqwest",
                list.reqwest.cpu_us_per_call,
                Ratio::Times,
            ),
            row("calls/s", "calls/s", list.sdk.calls_per_second).against(
                "Python SDK",
                list.python.calls_per_second,
                Ratio::Times,
            ),
            row("calls/s", "calls/s", list.sdk.calls_per_second).against(
                "bare reqwest",
                list.reqwest.calls_per_second,
                Ratio::Times,
            ),
        ]);

        let memory = |key| number(&self.memory, key, "memory");
        let memory_errors = memory("errors")?;
        if memory_errors / scale.memory_calls as f64 > MAX_ERROR_SHARE {
            problems.push(format!(
                "memory: {memory_errors} of {} calls failed",
                scale.memory_calls
            ));
        }
        figures.push(Figure::new(
            format!(
                "memory: peak RSS, {} calls",
                thousands(scale.memory_calls as f64)
            ),
            "kB",
            memory("peak_rss_kb")?,
        ));
        figures.push(
            Figure::new(
                "memory: RSS growth after warm-up (20 % → 100 % of the calls)",
                "kB",
                memory("growth_after_warmup_kb")?,
            )
            .target(format!("flat: ≤ {FLAT_GROWTH_KB} kB"), |_, value| {
                value <= FLAT_GROWTH_KB
            }),
        );

        let codegen = |key: &str| number(&self.codegen, key, "codegen");
        figures.push(Figure::new(
            "codegen: every spec in api-spec/ (load + generate, in memory)",
            "ms",
            codegen("codegen_all_specs_ms")?,
        ));
        for lang in ["en", "zh"] {
            figures.push(Figure::new(
                format!("codegen: import + generate reference tccli-dts-v20180330-{lang}"),
                "ms",
                codegen(&format!("import_generate_{lang}_ms"))?,
            ));
        }

        let cli = |value: &Value, key: &str| number(value, key, "commands_bench.py");
        let help = &self.cli.help;
        let tccli_help = &self.cli.tccli_help;
        figures.push(
            Figure::new(
                "cli: CPU of `tencentcloud dts DescribeMigrateCheckJob help`",
                "ms",
                cli(help, "cpu_ms")?,
            )
            .against("tccli", cli(tccli_help, "cpu_ms")?, Ratio::Faster)
            .target("≥ 100× less", |ratio, _| ratio >= 100.0),
        );
        figures.push(
            Figure::new("cli: wall time of that help", "ms", cli(help, "wall_ms")?).against(
                "tccli",
                cli(tccli_help, "wall_ms")?,
                Ratio::Faster,
            ),
        );
        figures.push(
            Figure::new("cli: peak RSS of that help", "kB", cli(help, "max_rss_kb")?).against(
                "tccli",
                cli(tccli_help, "max_rss_kb")?,
                Ratio::Times,
            ),
        );
        figures.push(Figure::new(
            "cli: CPU of a DescribeMigrateCheckJob call against the emulator",
            "ms",
            cli(&self.cli.call, "cpu_ms")?,
        ));
        figures.push(Figure::new(
            "cli: wall time of that call",
            "ms",
            cli(&self.cli.call, "wall_ms")?,
        ));
        figures.push(Figure::new(
            "cli: peak RSS of that call",
            "kB",
            cli(&self.cli.call, "max_rss_kb")?,
        ));
        figures.push(Figure::new(
            "cli: size of the release binary (every service embedded)",
            "MB",
            self.cli.size as f64 / 1e6,
        ));

        let (clean, incremental) = match &self.compile {
            Some(times) => (Some(times.clean), Some(times.incremental)),
            None => (None, None),
        };
        figures.push(Figure::maybe(
            "compile: clean `cargo build --release -p tencentcloud-sdk`",
            "s",
            clean,
        ));
        figures.push(Figure::maybe(
            "compile: rebuild after one spec changed",
            "s",
            incremental,
        ));
        if let Some(times) = &self.compile {
            let runtime = times
                .services
                .first()
                .map_or(0.0, |(_, _, seconds, _)| *seconds);
            for (service, actions, seconds, rss) in &times.services {
                let name = if service.is_empty() {
                    "compile: debug build of the SDK crate, no service".to_owned()
                } else {
                    format!(
                        "compile: debug build of the SDK crate with {service} ({actions} actions)"
                    )
                };
                let mut figure = Figure::new(name, "s", *seconds);
                if !service.is_empty() {
                    figure = figure.target("≤ 20 s", |_, value| value <= 20.0);
                }
                figures.push(figure);
                if let Some(rss) = rss {
                    let mut figure = Figure::new(
                        format!(
                            "compile: peak RSS of that build ({})",
                            if service.is_empty() {
                                "no service"
                            } else {
                                service
                            }
                        ),
                        "kB",
                        *rss,
                    );
                    if !service.is_empty() {
                        figure = figure.target("≤ 2 GB", |_, value| value <= 2_000_000.0);
                    }
                    figures.push(figure);
                }
                if *actions > 0 {
                    let per_action = (seconds - runtime) * 1000.0 / *actions as f64;
                    figures.push(
                        Figure::new(
                            format!("compile: cost per action ({service})"),
                            "ms",
                            per_action,
                        )
                        .target("≤ 15 ms", |_, value| value <= 15.0),
                    );
                }
            }
        }
        Ok((figures, problems))
    }
}

/// How a figure compares with its peer.
#[derive(Clone, Copy)]
enum Ratio {
    /// peer ÷ value: how many times less time this SDK takes.
    Faster,
    /// value ÷ peer.
    Times,
}

/// One measured figure, with what it is compared with and the target it has, if any.
struct Figure {
    name: String,
    unit: &'static str,
    /// `None` when the figure was not measured in this run (compile times with `--quick`).
    value: Option<f64>,
    peer: Option<(&'static str, f64, Ratio)>,
    target: Option<(String, bool)>,
}

impl Figure {
    fn new(name: impl Into<String>, unit: &'static str, value: f64) -> Self {
        Self::maybe(name, unit, Some(value))
    }

    fn maybe(name: impl Into<String>, unit: &'static str, value: Option<f64>) -> Self {
        Figure {
            name: name.into(),
            unit,
            value,
            peer: None,
            target: None,
        }
    }

    fn against(mut self, peer: &'static str, value: f64, ratio: Ratio) -> Self {
        self.peer = Some((peer, value, ratio));
        self
    }

    /// Sets the target, met when `met(ratio, value)` holds (the ratio is 0 without a peer).
    fn target(mut self, text: impl Into<String>, met: impl Fn(f64, f64) -> bool) -> Self {
        let met = self
            .value
            .is_some_and(|value| met(self.ratio().unwrap_or(0.0), value));
        self.target = Some((text.into(), met));
        self
    }

    fn ratio(&self) -> Option<f64> {
        let value = self.value?;
        let (_, peer, ratio) = self.peer?;
        Some(match ratio {
            Ratio::Faster => peer / value,
            Ratio::Times => value / peer,
        })
    }

    fn to_json(&self) -> Value {
        json!({
            "name": self.name,
            "unit": self.unit,
            "value": self.value,
            "peer": self.peer.map(|(name, _, _)| name),
            "peer_value": self.peer.map(|(_, value, _)| value),
            "ratio": self.ratio(),
            "ratio_is": self.peer.map(|(_, _, ratio)| match ratio {
                Ratio::Faster => "peer/value",
                Ratio::Times => "value/peer",
            }),
            "target": self.target.as_ref().map(|(text, _)| text),
            "met": self.target.as_ref().map(|(_, met)| met),
        })
    }

    /// The cells of its table row.
    fn cells(&self) -> [String; 6] {
        let value = match self.value {
            Some(value) => format!("{} {}", amount(value), self.unit),
            None => "skipped (--quick)".to_owned(),
        };
        let peer = self.peer.map_or_else(String::new, |(name, value, _)| {
            format!("{name}: {} {}", amount(value), self.unit)
        });
        let ratio = match (self.ratio(), self.peer) {
            (Some(ratio), Some((_, _, Ratio::Faster))) => format!("{}× faster", amount(ratio)),
            (Some(ratio), _) => format!("{}×", amount(ratio)),
            (None, _) => String::new(),
        };
        let (target, met) = match &self.target {
            Some((text, met)) => (text.clone(), if *met { "yes" } else { "**no**" }.to_owned()),
            None => (String::new(), String::new()),
        };
        [self.name.clone(), value, peer, ratio, target, met]
    }
}

/// The figures as a Markdown table, with the conditions of the call figures under it.
fn table(figures: &[Figure], quick: bool) -> String {
    let header = ["figure", "this SDK", "peer", "ratio", "target", "met?"].map(String::from);
    let rows: Vec<[String; 6]> = std::iter::once(header)
        .chain(figures.iter().map(Figure::cells))
        .collect();
    let mut widths = [0; 6];
    for row in &rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    for (index, row) in rows.iter().enumerate() {
        let cells: Vec<String> = row
            .iter()
            .zip(widths)
            .map(|(cell, width)| format!("{cell:width$}"))
            .collect();
        let _ = writeln!(out, "| {} |", cells.join(" | "));
        if index == 0 {
            let rule: Vec<String> = widths.iter().map(|&width| "-".repeat(width)).collect();
            let _ = writeln!(out, "|-{}-|", rule.join("-|-"));
        }
    }
    let _ = write!(
        out,
        "\nCalls: DescribeMigrateCheckJob (and DescribeMigrateJobs where named) over loopback \
         against tencentcloud-emulator with its rate limits off (--rate-limits off); the SDK with \
         client-side rate limits and retries off (RateLimits::disabled, RetryConfig::disabled); \
         bare reqwest (with the SDK's connection settings and time limit per request) posts \
         bytes the SDK signed once and reads the answer without decoding it; \
         the Python SDK runs one client per worker, the Node.js SDK one client for all its \
         workers. Client CPU is the user + system time of the client's whole process during \
         the timed run, divided by its successful calls. {} machine, {} cores.{}",
        std::env::consts::OS,
        cores(),
        if quick {
            " Quick run: short runs, no compile times."
        } else {
            ""
        }
    );
    out
}

/// A number with three significant digits, or all its digits when it has more, thousands
/// separated. (The bounds are where rounding would carry into the next size: 9.996 shows as 10.0.)
fn amount(value: f64) -> String {
    match value.abs() {
        v if v >= 999.5 => thousands(value),
        v if v >= 99.95 => format!("{value:.0}"),
        v if v >= 9.995 => format!("{value:.1}"),
        v if v >= 0.9995 || v == 0.0 => format!("{value:.2}"),
        v => {
            // Below 1, e.g. 0.0351 → 4 decimals; float to integer of a small logarithm.
            let decimals = (2 - v.log10().floor() as i32).clamp(3, 9) as usize;
            format!("{value:.decimals$}")
        }
    }
}

fn thousands(value: f64) -> String {
    let digits = format!("{:.0}", value.abs());
    let mut out = String::new();
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index) % 3 == 0 {
            out.push(',');
        }
        out.push(digit);
    }
    if value < 0.0 {
        out.insert(0, '-');
    }
    out
}

fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, usize::from)
}

/// The machine the figures come from.
fn machine() -> Value {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|info| {
            info.lines()
                .find_map(|line| line.strip_prefix("model name"))
                .and_then(|rest| rest.split_once(':'))
                .map(|(_, name)| name.trim().to_owned())
        });
    let kernel = std::fs::read_to_string("/proc/sys/kernel/osrelease")
        .ok()
        .map(|release| release.trim().to_owned());
    json!({
        "cores": cores(),
        "os": std::env::consts::OS,
        "arch": std::env::consts::ARCH,
        "cpu": cpu,
        "kernel": kernel,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts() {
        assert_eq!(amount(1_234_567.8), "1,234,568");
        assert_eq!(amount(999.6), "1,000");
        assert_eq!(amount(123.4), "123");
        assert_eq!(amount(12.34), "12.3");
        assert_eq!(amount(9.996), "10.0");
        assert_eq!(amount(1.234), "1.23");
        assert_eq!(amount(0.5), "0.500");
        assert_eq!(amount(0.03512), "0.0351");
        assert_eq!(amount(0.0), "0.00");
        assert_eq!(amount(-2_048.0), "-2,048");
    }

    #[test]
    fn ratios_and_targets() {
        let faster = Figure::new("sign", "ns", 1_000.0)
            .against("Python SDK", 30_000.0, Ratio::Faster)
            .target("≥ 25× faster", |ratio, _| ratio >= 25.0);
        assert_eq!(faster.ratio(), Some(30.0));
        assert_eq!(faster.cells()[3], "30.0× faster");
        assert_eq!(faster.cells()[5], "yes");
        let times = Figure::new("p50", "ms", 0.12)
            .against("bare reqwest", 0.1, Ratio::Times)
            .target("≤ 1.15×", |ratio, _| ratio <= 1.15);
        assert_eq!(times.cells()[5], "**no**");
        let skipped = Figure::maybe("compile", "s", None);
        assert_eq!(skipped.cells()[1], "skipped (--quick)");
        assert_eq!(skipped.to_json()["value"], Value::Null);
    }
}
