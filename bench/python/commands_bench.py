"""Runs one command again and again and reports what each run cost: CPU, wall time and peak RSS.

usage: commands_bench.py --runs N [--warmup W] -- COMMAND [ARG...]

The command runs W times untimed (to warm the page cache), then N times, each with its output
thrown away. Each run's CPU time is the user + system time the kernel charged to it, read with
getrusage(RUSAGE_CHILDREN) before and after the run; its wall time is measured around the wait.
Peak RSS is the largest resident set of any run (ru_maxrss of the children), so one invocation of
this script must measure one command only.

Prints one JSON line: runs, cpu_ms (median), cpu_ms_mean, wall_ms (median), max_rss_kb. Exits
with status 1 when a run fails or prints nothing, with its stderr on ours.
"""

import argparse
import json
import resource
import statistics
import subprocess
import sys
import time


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, required=True)
    parser.add_argument("--warmup", type=int, default=1)
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command or args.runs < 1:
        parser.error("a command and at least one run are needed")

    for _ in range(args.warmup):
        run_once(command)
    cpu, wall = [], []
    for _ in range(args.runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        run_once(command)
        wall.append((time.perf_counter() - started) * 1000.0)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        used = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        cpu.append(used * 1000.0)
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(json.dumps({
        "runs": args.runs,
        "cpu_ms": statistics.median(cpu),
        "cpu_ms_mean": statistics.fmean(cpu),
        "wall_ms": statistics.median(wall),
        "max_rss_kb": peak,
    }))


def run_once(command):
    done = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL)
    if done.returncode != 0 or not done.stdout:
        sys.stderr.write(done.stderr.decode("utf-8", "replace"))
        sys.exit(f"{command[0]} failed with status {done.returncode}")


if __name__ == "__main__":
    main()
