//! How the slow parts of DTS unfold over time: pre-flight checks, and migrations step by step.
//!
//! Nothing here keeps time itself. A check or a migration remembers when it began, and its
//! stage or progress at any later moment is worked out from that moment alone, so it only ever
//! moves forward as the clock does.

use std::time::{Duration, Instant};

use serde_json::{Value, json};

use super::params::{Stamp, fraction, parse_cloud_datetime};
use super::{CheckPolicy, FAIL_CHECK_MARKER};
use crate::backend::cloud_datetime;

/// One step of an emulated migration, as `MigrateStepDetailInfo` reports it.
#[derive(Debug)]
struct StepDef {
    /// `StepId`.
    id: &'static str,
    /// `StepName`.
    name: &'static str,
}

/// Every step a migration may go through, in order; a migration type uses a prefix of them.
static STEPS: [StepDef; 5] = [
    StepDef {
        id: "prepare",
        name: "Prepare the migration",
    },
    StepDef {
        id: "structure",
        name: "Copy the schema to the target",
    },
    StepDef {
        id: "dumper",
        name: "Export the full data from the source",
    },
    StepDef {
        id: "loader",
        name: "Import the full data into the target",
    },
    StepDef {
        id: "incremental",
        name: "Sync incremental changes",
    },
];

/// What a migration copies (`MigrateOption.MigrateType`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum MigrateKind {
    /// 1: the schema only.
    Structure,
    /// 2: the schema and a full copy of the data; also assumed when `MigrateType` is absent.
    Full,
    /// 3: a full copy, then incremental changes until CompleteMigrateJob.
    FullAndIncremental,
}

impl MigrateKind {
    /// The kind a job's `MigrateOption` asks for.
    pub fn of(option: &Value) -> Self {
        match option.get("MigrateType").and_then(Value::as_i64) {
            Some(1) => Self::Structure,
            Some(3) => Self::FullAndIncremental,
            _ => Self::Full,
        }
    }

    /// The steps of this kind of migration.
    fn steps(self) -> &'static [StepDef] {
        match self {
            Self::Structure => &STEPS[..2],
            Self::Full => &STEPS[..4],
            Self::FullAndIncremental => &STEPS,
        }
    }

    /// How many steps share the migration's duration; the incremental step, when there is
    /// one, lasts until the job is completed or stopped.
    fn timed_steps(self) -> usize {
        match self {
            Self::FullAndIncremental => self.steps().len() - 1,
            _ => self.steps().len(),
        }
    }
}

/// How far a migration has got.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Point {
    /// A scheduled job waiting for its `ExpectTime`.
    Waiting,
    /// Copying, with the share of the timed steps done (0 to less than 1).
    Copying(f64),
    /// Syncing incremental changes after the full copy.
    Incremental,
    /// Every step done.
    Finished,
}

/// A started migration.
#[derive(Debug, Clone, Copy)]
pub(super) struct Run {
    /// When StartMigrateJob was called.
    pub started: Stamp,
    /// How long a scheduled job waits for its `ExpectTime`; zero otherwise.
    pub delay: Duration,
    /// What it copies.
    pub kind: MigrateKind,
}

impl Run {
    /// How far the migration has got at `now`, if nothing stops it.
    pub fn point(&self, now: Instant, total: Duration) -> Point {
        let elapsed = self.started.elapsed(now);
        if elapsed < self.delay {
            return Point::Waiting;
        }
        let copying = elapsed - self.delay;
        if copying < total {
            Point::Copying(fraction(copying, total))
        } else if self.kind == MigrateKind::FullAndIncremental {
            Point::Incremental
        } else {
            Point::Finished
        }
    }

    /// The wall-clock time at which step `index` starts.
    fn step_start(&self, index: usize, total: Duration) -> u64 {
        let timed = self.kind.timed_steps().max(1);
        let share = index.min(timed) as f64 / timed as f64;
        let offset = self.delay.as_secs_f64() + total.as_secs_f64() * share;
        self.started.unix.saturating_add(offset as u64)
    }

    /// The wall-clock time at which the timed steps end.
    pub fn copy_end(&self, total: Duration) -> u64 {
        self.started.unix_after(self.delay.saturating_add(total))
    }

    /// `MigrateDetailInfo` at `point`; with `failed`, the step in progress is shown as failed.
    pub fn detail(&self, point: Point, failed: bool, total: Duration) -> Value {
        let steps = self.kind.steps();
        let timed = self.kind.timed_steps().max(1);
        // The step in progress (from 0), and the overall and current-step percentages.
        let (current, progress, step_progress) = match point {
            Point::Waiting => (None, 0, 0),
            Point::Copying(share) => {
                let scaled = share * timed as f64;
                let index = (scaled as usize).min(timed - 1);
                (Some(index), percent(share), percent(scaled - index as f64))
            }
            Point::Incremental => (Some(steps.len() - 1), 100, 100),
            Point::Finished => (Some(steps.len()), 100, 100),
        };
        let step_status = |index: usize| match current {
            None => 4,
            Some(now) if index < now => 1,
            Some(now) if index == now && failed => 2,
            Some(now) if index == now => 3,
            Some(_) => 4,
        };
        let step_info: Vec<Value> = steps
            .iter()
            .enumerate()
            .map(|(index, step)| {
                let status = step_status(index);
                let mut info = json!({
                    "StepNo": index + 1,
                    "StepName": step.name,
                    "StepId": step.id,
                    "Status": status,
                });
                if status != 4 {
                    info["StartTime"] = cloud_datetime(self.step_start(index, total)).into();
                }
                info
            })
            .collect();
        let step_now = current.map_or(0, |index| (index + 1).min(steps.len()));
        json!({
            "StepAll": steps.len(),
            "StepNow": step_now,
            "Progress": progress.to_string(),
            "CurrentStepProgress": step_progress.to_string(),
            "MasterSlaveDistance": 0,
            "SecondsBehindMaster": 0,
            "StepInfo": step_info,
        })
    }
}

/// A share from 0 to 1 as a whole percentage below 100 (only a finished step shows 100).
fn percent(share: f64) -> u64 {
    ((share * 100.0).floor().max(0.0) as u64).min(99)
}

/// A pre-flight check.
#[derive(Debug, Clone)]
pub(super) struct Check {
    /// When CreateMigrateCheckJob was called.
    pub started: Stamp,
    /// Why it fails, decided when it was created; `None` when it passes.
    pub failure: Option<String>,
}

/// Where a check stands at some moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum CheckStage {
    /// The first tenth of its duration, at 0%.
    Starting,
    /// Under way, at 1% to 99%.
    Running(u64),
    /// Over; the verdict is known.
    Finished,
}

impl Check {
    /// The stage at `now` of a check that takes `total`.
    pub fn stage(&self, now: Instant, total: Duration) -> CheckStage {
        let share = fraction(self.started.elapsed(now), total);
        if share >= 1.0 {
            CheckStage::Finished
        } else if share < 0.1 {
            CheckStage::Starting
        } else {
            CheckStage::Running(percent(share).max(1))
        }
    }
}

/// Why a check of a job called `name`, migrating from an `engine` source, fails under
/// `policy`; `None` when it passes.
pub(super) fn check_failure(name: &str, engine: &str, policy: CheckPolicy) -> Option<String> {
    let cause = match policy {
        CheckPolicy::PassAll => return None,
        CheckPolicy::FailAll => "the emulator is set to fail every check".to_owned(),
        CheckPolicy::ByJobName if name.to_ascii_lowercase().contains(FAIL_CHECK_MARKER) => {
            format!("the job name contains \"{FAIL_CHECK_MARKER}\"")
        }
        CheckPolicy::ByJobName => return None,
    };
    Some(format!(
        "{} (emulated failure: {cause}).",
        source_problem(engine)
    ))
}

/// A realistic check failure for a source engine.
fn source_problem(engine: &str) -> &'static str {
    match engine {
        "redis" => {
            "The source instance refuses the SYNC and PSYNC commands the migration replicates \
             with; allow them for the migration and check again"
        }
        "mongodb" => {
            "The source account lacks the readAnyDatabase role needed to read every database; \
             grant it and check again"
        }
        "postgresql" => {
            "The source account lacks the REPLICATION attribute needed to read the write-ahead \
             log; grant it and check again"
        }
        "sqlserver" => {
            "The source account is not a member of the sysadmin role the migration needs; add \
             it and check again"
        }
        _ => {
            "The source account lacks the REPLICATION SLAVE and REPLICATION CLIENT privileges \
             needed to read the binary log; grant them and check again"
        }
    }
}

/// How long a scheduled job (`RunMode` 2) waits for its `ExpectTime`; zero for others.
pub(super) fn schedule_delay(option: &Value, unix_time: u64) -> Duration {
    if option.get("RunMode").and_then(Value::as_i64) != Some(2) {
        return Duration::ZERO;
    }
    let expected = option
        .get("ExpectTime")
        .and_then(Value::as_str)
        .and_then(parse_cloud_datetime);
    Duration::from_secs(expected.map_or(0, |at| at.saturating_sub(unix_time)))
}
