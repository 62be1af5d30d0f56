"""One DTS action in a loop through the official Python SDK: calls per second, latency, CPU per call.

usage: calls_bench.py --url http://127.0.0.1:PORT --secret-id ID --secret-key KEY
                      --region ap-guangzhou --concurrency C
                      (--duration SECONDS | --calls N) [--warmup-calls W]
                      [--action DescribeMigrateCheckJob --job-id dts-xxxx
                       | --action DescribeMigrateJobs [--limit 100]]
                      [--mode auto|threads|async]

C workers, each with its own client (the SDK does not document its clients as thread-safe, and a
client holds one connection pool), call at once until the duration has passed or the calls are
spent. Two ways to run them:

- threads: dts_client.DtsClient (requests underneath) on C threads released by one barrier;
- async: dts_client_async.DtsClient (httpx underneath) on C tasks of one asyncio loop. The SDK
  ships this client, but it needs httpx, which only the SDK's `async` extra installs.

auto (the default) takes async when httpx can be imported, threads otherwise. Both keep
connections alive, with no region breaker and no retries, so each call is one request. Warm-up
calls (max(W, 4 C), on the same clients) open the connections before the timed run, as the Rust
side does; before them, one probe call checks that the target answers (and, for
DescribeMigrateJobs, counts the jobs it lists). A call that raises is an error: counted, not timed.

CPU time is time.process_time() (user + system CPU of this process, all threads) from the start to
the end of the timed run; cpu_us_per_call divides it by the successful calls. Prints one JSON line
on stdout, human notes on stderr, and exits with status 1 when more than 1 % of the calls failed.
"""

import argparse
import asyncio
import importlib.metadata
import importlib.util
import json
import math
import os
import platform
import sys
import threading
import time
from fractions import Fraction

from tencentcloud.common import credential
from tencentcloud.common.profile.client_profile import ClientProfile
from tencentcloud.common.profile.http_profile import HttpProfile
from tencentcloud.dts.v20180330 import dts_client, models

SDK_PACKAGES = ("tencentcloud-sdk-python-common", "tencentcloud-sdk-python-dts")
# Above this share of failed calls the figures describe failures, not calls.
MAX_ERROR_SHARE = Fraction(1, 100)


class Budget:
    """Hands out the calls of one run: as long as a deadline is ahead, or a number in all."""

    def __init__(self, seconds=None, calls=None):
        self.seconds = seconds
        self.remaining = calls
        self.started_ns = None
        self.started_cpu = None
        self.deadline_ns = None
        self._lock = threading.Lock()

    def start(self):
        """Marks the start of the run; the deadline counts from here."""
        self.started_cpu = time.process_time()
        self.started_ns = time.perf_counter_ns()
        if self.seconds is not None:
            self.deadline_ns = self.started_ns + round(self.seconds * 1e9)

    def claim(self):
        """Whether the caller may start another call."""
        if self.deadline_ns is not None:
            return time.perf_counter_ns() < self.deadline_ns
        with self._lock:
            if self.remaining <= 0:
                return False
            self.remaining -= 1
            return True

    def elapsed(self):
        """Seconds since the start: on the clock, and of CPU used by this process (all threads)."""
        return ((time.perf_counter_ns() - self.started_ns) / 1e9,
                time.process_time() - self.started_cpu)


class Tally:
    """What one worker saw: the latency of each successful call, and the failures."""

    def __init__(self):
        self.latencies_ns = []
        self.errors = 0
        self.first_error = None

    def failed(self, err):
        self.errors += 1
        if self.first_error is None:
            self.first_error = f"{type(err).__name__}: {err}"


class Action:
    """How to make one call of the measured action, with a new request per call, as a caller
    building it each time would."""

    def __init__(self, args):
        self.name = args.action
        self.job_id = args.job_id
        self.limit = args.limit

    def request(self):
        if self.name == "DescribeMigrateCheckJob":
            request = models.DescribeMigrateCheckJobRequest()
            request.JobId = self.job_id
        else:
            request = models.DescribeMigrateJobsRequest()
            request.Limit = self.limit
        return request

    def call(self, client):
        """Calls the action with the sync client (or starts it with the async one)."""
        return getattr(client, self.name)(self.request())

    def listed(self, answer):
        """The number of jobs a DescribeMigrateJobs answer lists; None for other actions."""
        if self.name != "DescribeMigrateJobs":
            return None
        return len(answer.JobList or [])


def client_profile(url):
    """POST with TC3 to the emulator, keep-alive on, no region breaker, no retries."""
    scheme, _, host = url.partition("://")
    return ClientProfile(
        signMethod="TC3-HMAC-SHA256",
        # keepAlive=True: the sync client adds "Connection: Keep-Alive" (its requests.Session pools
        # connections either way); the async client keeps no idle connection without it.
        httpProfile=HttpProfile(protocol=scheme, endpoint=host, reqMethod="POST", keepAlive=True),
        disable_region_breaker=True,
        retryer=None,  # the SDK then uses NoopRetryer: one attempt per call
    )


# --- threads -----------------------------------------------------------------------------------

def run_threads(clients, action, budget):
    """Runs one client per thread until the budget is spent; the tally and budget.elapsed()."""
    barrier = threading.Barrier(len(clients), action=budget.start)
    tallies = [Tally() for _ in clients]

    def work(client, tally):
        barrier.wait()
        while budget.claim():
            sent = time.perf_counter_ns()
            try:
                action.call(client)
            except Exception as err:  # any failure of the call counts as an error
                tally.failed(err)
            else:
                tally.latencies_ns.append(time.perf_counter_ns() - sent)

    threads = [threading.Thread(target=work, args=pair) for pair in zip(clients, tallies)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return combine(tallies), budget.elapsed()


def connections_opened(clients):
    """How many connections the clients' requests sessions opened in all, or None if unknown.

    Reads urllib3's per-pool counter through the SDK's internals (ApiRequest.conn._session).
    """
    opened = 0
    try:
        for client in clients:
            for adapter in client.request.conn._session.adapters.values():
                pools = adapter.poolmanager.pools
                opened += sum(pools[key].num_connections for key in pools.keys())
    except AttributeError:
        return None
    return opened


def measure_threads(args, budget):
    cred = credential.Credential(args.secret_id, args.secret_key)
    clients = [dts_client.DtsClient(cred, args.region, client_profile(args.url))
               for _ in range(args.concurrency)]
    action = Action(args)
    listed = probe(lambda: action.listed(action.call(clients[0])), action)
    warmup, _ = run_threads(clients, action, Budget(calls=warmup_calls(args)))
    check_warmup(warmup)
    tally, elapsed = run_threads(clients, action, budget)
    opened = connections_opened(clients)
    notes = [
        f"{args.concurrency} threads (GIL; switch interval {sys.getswitchinterval() * 1e3:g} ms), "
        "each with its own dts_client.DtsClient and so its own requests.Session (urllib3 pool of "
        "10 per host, one connection in use per client)",
        f"{opened} connections opened over warm-up and run" if opened is not None else
        "connections opened: unknown",
    ]
    return tally, elapsed, listed, notes


# --- async -------------------------------------------------------------------------------------

async def run_tasks(clients, action, budget):
    """Runs one client per task on this loop until the budget is spent."""
    async def work(client, tally):
        while budget.claim():
            sent = time.perf_counter_ns()
            try:
                await action.call(client)
            except Exception as err:  # any failure of the call counts as an error
                tally.failed(err)
            else:
                tally.latencies_ns.append(time.perf_counter_ns() - sent)

    tallies = [Tally() for _ in clients]
    # No task runs before gather yields to the loop, so they all start together.
    budget.start()
    await asyncio.gather(*(work(client, tally) for client, tally in zip(clients, tallies)))
    return combine(tallies), budget.elapsed()


async def measure_async_on_loop(args, budget):
    from tencentcloud.dts.v20180330 import dts_client_async

    cred = credential.Credential(args.secret_id, args.secret_key)
    clients = [dts_client_async.DtsClient(cred, args.region, client_profile(args.url))
               for _ in range(args.concurrency)]
    action = Action(args)
    try:
        try:
            listed = action.listed(await action.call(clients[0]))
        except Exception as err:  # the probe's failure stops the run, with its reason
            probe_failed(action, err)
        warmup, _ = await run_tasks(clients, action, Budget(calls=warmup_calls(args)))
        check_warmup(warmup)
        tally, elapsed = await run_tasks(clients, action, budget)
        pooled = pooled_connections(clients)
    finally:
        for client in clients:
            await client.close()
    notes = [
        f"{args.concurrency} asyncio tasks on one thread, each with its own "
        f"dts_client_async.DtsClient and so its own httpx.AsyncClient (httpx "
        f"{importlib.metadata.version('httpx')})",
        f"{pooled} connections pooled at the end" if pooled is not None else
        "pooled connections: unknown",
    ]
    return tally, elapsed, listed, notes


def pooled_connections(clients):
    """How many connections the clients' httpx pools hold, or None if unknown (httpx internals)."""
    try:
        return sum(len(client.http_client._transport._pool.connections) for client in clients)
    except AttributeError:
        return None


def measure_async(args, budget):
    return asyncio.run(measure_async_on_loop(args, budget))


# --- results -----------------------------------------------------------------------------------

def combine(tallies):
    total = Tally()
    for tally in tallies:
        total.latencies_ns += tally.latencies_ns
        total.errors += tally.errors
        total.first_error = total.first_error or tally.first_error
    return total


def probe(call, action):
    """Makes the probe call; stops the run with the reason when it fails. Returns what it lists."""
    try:
        return call()
    except Exception as err:  # the probe's failure stops the run, with its reason
        probe_failed(action, err)


def probe_failed(action, err):
    print(f"calls_bench: the probe call of {action.name} failed: {type(err).__name__}: {err}",
          file=sys.stderr)
    sys.exit(1)


def warmup_calls(args):
    return max(args.warmup_calls, 4 * args.concurrency)


def too_many_errors(tally):
    return tally.errors > MAX_ERROR_SHARE * (tally.errors + len(tally.latencies_ns))


def check_warmup(tally):
    """Stops before the timed run when no warm-up call succeeded (a wrong URL, key or job id);
    reports any other warm-up failures and goes on, leaving the verdict to the timed run."""
    if tally.errors:
        print(f"calls_bench: {tally.errors} of {tally.errors + len(tally.latencies_ns)} warm-up "
              f"calls failed, the first with {tally.first_error}", file=sys.stderr)
    if not tally.latencies_ns:
        sys.exit(1)


def percentile(sorted_values, p):
    """The nearest-rank percentile p (0 < p <= 100) of sorted values: the smallest value with at
    least p % of the values at or below it. None when there are no values."""
    if not sorted_values:
        return None
    # Fraction(str(p)) keeps p exact, so that e.g. 99 % of 100 values is rank 99, not 100.
    rank = math.ceil(Fraction(str(p)) * len(sorted_values) / 100)
    return sorted_values[min(max(rank, 1), len(sorted_values)) - 1]


def millis(nanoseconds):
    return None if nanoseconds is None else nanoseconds / 1e6


def pick_mode(parser, mode):
    has_httpx = importlib.util.find_spec("httpx") is not None
    if mode == "async" and not has_httpx:
        parser.error("--mode async needs httpx, which the SDK's extra installs: "
                     "pip install 'tencentcloud-sdk-python-common[async]'")
    if mode != "auto":
        return mode
    return "async" if has_httpx else "threads"


def positive(kind):
    def parse(text):
        value = kind(text)
        if not value > 0 or not math.isfinite(value):
            raise argparse.ArgumentTypeError(f"{text}: must be above 0")
        return value
    parse.__name__ = kind.__name__  # argparse names the type in its message: "invalid int value"
    return parse


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", required=True, help="the emulator's URL, http://127.0.0.1:PORT")
    parser.add_argument("--secret-id", required=True)
    parser.add_argument("--secret-key", required=True)
    parser.add_argument("--region", required=True)
    parser.add_argument("--action", choices=("DescribeMigrateCheckJob", "DescribeMigrateJobs"),
                        default="DescribeMigrateCheckJob",
                        help="the action to call [DescribeMigrateCheckJob]")
    parser.add_argument("--job-id", help="a DTS job with a check (for DescribeMigrateCheckJob)")
    parser.add_argument("--limit", type=positive(int), default=100,
                        help="the Limit of DescribeMigrateJobs [100]")
    parser.add_argument("--concurrency", type=positive(int), required=True)
    budget = parser.add_mutually_exclusive_group(required=True)
    budget.add_argument("--duration", type=positive(float), help="seconds during which calls start")
    budget.add_argument("--calls", type=positive(int), help="calls in all")
    parser.add_argument("--warmup-calls", type=int, default=200,
                        help="untimed calls before the run, at least 4 per worker [200]")
    parser.add_argument("--mode", choices=("auto", "threads", "async"), default="auto",
                        help="threads with the sync client, or tasks with the async client "
                             "(needs httpx); auto takes async when httpx is there [auto]")
    args = parser.parse_args()
    scheme, _, host = args.url.partition("://")
    if scheme not in ("http", "https") or not host:
        parser.error(f"--url {args.url}: give http://HOST:PORT")
    if args.action == "DescribeMigrateCheckJob" and not args.job_id:
        parser.error("--action DescribeMigrateCheckJob needs --job-id")
    return args, pick_mode(parser, args.mode)


def main():
    args, mode = parse_args()
    if mode != args.mode:
        print(f"calls_bench: mode {mode} (httpx {'found' if mode == 'async' else 'not installed'})",
              file=sys.stderr)
    # A proxy from the environment would sit between the SDK and the emulator on loopback; both
    # the SDK and requests/httpx read these variables, so this process drops them.
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY"):
        os.environ.pop(name, None)
        os.environ.pop(name.lower(), None)

    budget = Budget(seconds=args.duration, calls=args.calls)
    measure = measure_async if mode == "async" else measure_threads
    tally, (seconds, cpu_seconds), listed, notes = measure(args, budget)

    latencies = sorted(tally.latencies_ns)
    ok = len(latencies)
    if tally.first_error:
        print(f"calls_bench: first error of {tally.errors}: {tally.first_error}", file=sys.stderr)
    print(json.dumps({
        "client": "python",
        "action": args.action,
        "mode": mode,
        "concurrency": args.concurrency,
        "calls": ok,
        "errors": tally.errors,
        "seconds": seconds,
        "calls_per_second": ok / seconds,
        "cpu_seconds": cpu_seconds,
        "cpu_us_per_call": cpu_seconds * 1e6 / ok if ok else None,
        "p50_ms": millis(percentile(latencies, 50)),
        "p99_ms": millis(percentile(latencies, 99)),
        "listed_jobs": listed,
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "sdk": ", ".join(f"{name} {importlib.metadata.version(name)}" for name in SDK_PACKAGES),
        "notes": "; ".join(notes + [
            f"this process used {cpu_seconds / seconds:.2f} CPU cores during the run",
            "keep-alive on (HttpProfile.keepAlive=True), region breaker off, no retryer",
            f"{warmup_calls(args)} warm-up calls first",
            "calls and calls_per_second count successful calls only",
            ", ".join(f"{name} {importlib.metadata.version(name)}" for name in SDK_PACKAGES),
            f"{platform.python_implementation()} {platform.python_version()}",
        ]),
    }))
    if not ok:
        print("calls_bench: no call succeeded", file=sys.stderr)
        sys.exit(1)
    if too_many_errors(tally):
        print(f"calls_bench: {tally.errors} errors in {tally.errors + ok} calls, above "
              f"{float(MAX_ERROR_SHARE):.0%}", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
