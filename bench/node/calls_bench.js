"use strict";
/**
 * One DTS action in a loop through the official Node.js SDK: calls per second, latency, and the
 * CPU time this process spends per call.
 *
 * usage: node calls_bench.js --url http://127.0.0.1:PORT --secret-id ID --secret-key KEY
 *                            --region ap-guangzhou --concurrency C
 *                            (--duration SECONDS | --calls N) [--warmup-calls W]
 *                            [--action DescribeMigrateCheckJob --job-id dts-xxxx
 *                             | --action DescribeMigrateJobs [--limit 100]]
 *
 * It mirrors bench/python/calls_bench.py. One dts.v20180330.Client serves C async workers on this
 * process's single event loop (the SDK's clients hold no per-call state, so sharing one is the
 * ordinary use), over one keep-alive http.Agent. Each call builds its request object afresh.
 * One probe call checks the target answers (and, for DescribeMigrateJobs, counts the jobs it
 * lists); max(W, 4 C) warm-up calls then open the connections; then the timed run.
 *
 * How it reaches the emulator: the SDK takes the first label of its endpoint as the service of
 * the TC3 credential scope, and signs the Host without its port, so it is given the endpoint
 * `dts.localhost` (port 80, a name reserved for loopback) with protocol `http://`, and its agent
 * opens every connection to the host and port of --url instead. The request on the wire is then
 * the one the SDK sends to the cloud, Host header included, with the signature the emulator
 * checks.
 *
 * CPU time is process.cpuUsage() (user + system, all of this process's threads: the event loop,
 * V8's garbage collector and compiler threads, libuv's pool) from the start to the end of the
 * timed run, divided by the successful calls. A call that throws is an error: counted, not timed.
 * Prints one JSON line on stdout, notes on stderr, and exits with status 1 when no call succeeded
 * or more than 1 % of the calls failed.
 */

const http = require("node:http");
const net = require("node:net");
const { parseArgs } = require("node:util");

/** Above this share of failed calls the figures describe failures, not calls. */
const MAX_ERROR_SHARE = 0.01;
/** The SDK package (bench/node/package.json pins it). */
const SDK_PACKAGE = "tencentcloud-sdk-nodejs";
/** The host name the SDK is given; see the header comment. */
const ENDPOINT = "dts.localhost";

const USAGE = `usage: node calls_bench.js --url http://127.0.0.1:PORT --secret-id ID --secret-key KEY
                          --region REGION --concurrency C (--duration SECONDS | --calls N)
                          [--warmup-calls W] [--action DescribeMigrateCheckJob --job-id ID
                          | --action DescribeMigrateJobs [--limit N]]`;

/** What the bench fails with: a message for stderr, and exit status 1 (2 for bad arguments). */
class BenchError extends Error {
  constructor(message, status = 1) {
    super(message);
    this.status = status;
  }
}

/** A keep-alive agent that opens every connection to one address, whatever the URL names. */
class FixedTargetAgent extends http.Agent {
  constructor(host, port) {
    super({ keepAlive: true });
    this.target = { host, port };
  }

  createConnection(options, callback) {
    return net.createConnection({ ...options, ...this.target }, callback);
  }
}

/** Reads and checks the arguments. */
function parseOptions(argv) {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      options: {
        url: { type: "string" },
        "secret-id": { type: "string" },
        "secret-key": { type: "string" },
        region: { type: "string" },
        action: { type: "string", default: "DescribeMigrateCheckJob" },
        "job-id": { type: "string" },
        limit: { type: "string", default: "100" },
        concurrency: { type: "string" },
        duration: { type: "string" },
        calls: { type: "string" },
        "warmup-calls": { type: "string", default: "200" },
      },
    }));
  } catch (err) {
    throw new BenchError(`${err.message}\n${USAGE}`, 2);
  }
  for (const name of ["url", "secret-id", "secret-key", "region", "concurrency"]) {
    if (values[name] === undefined) {
      throw new BenchError(`--${name} is required\n${USAGE}`, 2);
    }
  }
  let url;
  try {
    url = new URL(values.url);
  } catch {
    throw new BenchError(`--url ${values.url}: give http://HOST:PORT`, 2);
  }
  if (url.protocol !== "http:" || !url.port) {
    throw new BenchError(`--url ${values.url}: give http://HOST:PORT`, 2);
  }
  if ((values.duration === undefined) === (values.calls === undefined)) {
    throw new BenchError(`give one of --duration SECONDS or --calls N\n${USAGE}`, 2);
  }
  const action = ACTIONS[values.action];
  if (action === undefined) {
    throw new BenchError(
      `--action ${values.action}: use one of ${Object.keys(ACTIONS).join(", ")}`,
      2,
    );
  }
  const options = {
    // The brackets of an IPv6 literal are URL syntax, not part of the address.
    host: url.hostname.replace(/^\[(.*)\]$/, "$1"),
    port: Number(url.port),
    secretId: values["secret-id"],
    secretKey: values["secret-key"],
    region: values.region,
    actionName: values.action,
    action,
    jobId: values["job-id"],
    limit: positiveInteger(values.limit, "--limit"),
    concurrency: positiveInteger(values.concurrency, "--concurrency"),
    seconds: values.duration === undefined ? undefined : positiveNumber(values.duration, "--duration"),
    calls: values.calls === undefined ? undefined : positiveInteger(values.calls, "--calls"),
    warmupCalls: nonNegativeInteger(values["warmup-calls"], "--warmup-calls"),
  };
  if (action.needsJobId && options.jobId === undefined) {
    throw new BenchError(`--action ${values.action} needs --job-id`, 2);
  }
  return options;
}

function positiveNumber(text, flag) {
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0) {
    throw new BenchError(`${flag} ${text}: must be a number above 0`, 2);
  }
  return value;
}

function positiveInteger(text, flag) {
  const value = positiveNumber(text, flag);
  if (!Number.isSafeInteger(value)) {
    throw new BenchError(`${flag} ${text}: must be a whole number`, 2);
  }
  return value;
}

function nonNegativeInteger(text, flag) {
  return text === "0" ? 0 : positiveInteger(text, flag);
}

/**
 * The actions the bench can call: how to make one call, and what a probe answer must hold. The
 * request object is built afresh for every call, as a caller building it each time would.
 */
const ACTIONS = {
  DescribeMigrateCheckJob: {
    needsJobId: true,
    call: (client, options) => client.DescribeMigrateCheckJob({ JobId: options.jobId }),
    /** Nothing to count: the probe only has to succeed. */
    listed: () => null,
  },
  DescribeMigrateJobs: {
    needsJobId: false,
    call: (client, options) => client.DescribeMigrateJobs({ Limit: options.limit }),
    /** The number of jobs the answer lists. */
    listed: (answer) => (Array.isArray(answer.JobList) ? answer.JobList.length : 0),
  },
};

/** Hands out the calls of one run: as long as a deadline is ahead, or a number in all. */
class Budget {
  constructor({ seconds, calls }) {
    this.seconds = seconds;
    this.remaining = calls;
  }

  /** Marks the start of the run: the deadline and the CPU time count from here. */
  start() {
    this.startedCpu = process.cpuUsage();
    this.startedNs = process.hrtime.bigint();
    if (this.seconds !== undefined) {
      this.deadlineNs = this.startedNs + BigInt(Math.round(this.seconds * 1e9));
    }
  }

  /** Whether the caller may start another call. */
  claim() {
    if (this.deadlineNs !== undefined) {
      return process.hrtime.bigint() < this.deadlineNs;
    }
    if (this.remaining <= 0) {
      return false;
    }
    this.remaining -= 1;
    return true;
  }

  /** Seconds since the start: on the clock, and of CPU used by this process. */
  elapsed() {
    const wall = Number(process.hrtime.bigint() - this.startedNs) / 1e9;
    const cpu = process.cpuUsage(this.startedCpu);
    return { seconds: wall, cpuSeconds: (cpu.user + cpu.system) / 1e6 };
  }
}

/** What a run saw: the latency of each successful call, and the failures. */
class Tally {
  constructor() {
    this.latenciesNs = [];
    this.errors = 0;
    this.firstError = null;
  }

  failed(err) {
    this.errors += 1;
    if (this.firstError === null) {
      this.firstError = describeError(err);
    }
  }
}

function describeError(err) {
  if (err instanceof Error) {
    const code = err.code ? ` (${err.code})` : "";
    return `${err.name}${code}: ${err.message}`;
  }
  return String(err);
}

/** Runs the action on `concurrency` workers of this event loop until the budget is spent. */
async function run(client, options, budget) {
  const tally = new Tally();
  async function work() {
    while (budget.claim()) {
      const sent = process.hrtime.bigint();
      try {
        await options.action.call(client, options);
        tally.latenciesNs.push(process.hrtime.bigint() - sent);
      } catch (err) {
        tally.failed(err);
      }
    }
  }
  // No worker runs before this function awaits, so they all start together.
  budget.start();
  await Promise.all(Array.from({ length: options.concurrency }, work));
  return { tally, ...budget.elapsed() };
}

/** The nearest-rank percentile p (0 < p <= 100) of sorted values, or null for none. */
function percentile(sorted, p) {
  if (sorted.length === 0) {
    return null;
  }
  // p * n / 100 in integers where p is whole, so that 99 % of 100 values is rank 99, not 100.
  const rank = Math.ceil((p * sorted.length) / 100);
  return sorted[Math.min(Math.max(rank, 1), sorted.length) - 1];
}

function millis(nanoseconds) {
  return nanoseconds === null ? null : Number(nanoseconds) / 1e6;
}

/** The client, as a user makes one, pointed at the emulator (see the header comment). */
function makeClient(options, agent) {
  const { v20180330 } = require(`${SDK_PACKAGE}/tencentcloud/services/dts/v20180330`);
  return new v20180330.Client({
    credential: { secretId: options.secretId, secretKey: options.secretKey },
    region: options.region,
    profile: {
      signMethod: "TC3-HMAC-SHA256",
      httpProfile: { protocol: "http://", endpoint: ENDPOINT, reqMethod: "POST", agent },
    },
  });
}

function sdkVersion() {
  try {
    return require(`${SDK_PACKAGE}/package.json`).version;
  } catch {
    return "unknown";
  }
}

async function main() {
  const options = parseOptions(process.argv.slice(2));
  let client;
  const agent = new FixedTargetAgent(options.host, options.port);
  try {
    client = makeClient(options, agent);
  } catch (err) {
    throw new BenchError(
      `cannot load ${SDK_PACKAGE} (${describeError(err)}); run \`npm ci\` in bench/node, or set ` +
        "NODE_PATH to a node_modules folder that holds it",
    );
  }
  try {
    return await measure(client, options, agent);
  } finally {
    agent.destroy();
  }
}

/** The probe, the warm-up and the timed run; the JSON line to print and whether it is valid. */
async function measure(client, options, agent) {
  let listed;
  try {
    listed = options.action.listed(await options.action.call(client, options));
  } catch (err) {
    throw new BenchError(`the probe call of ${options.actionName} failed: ${describeError(err)}`);
  }

  const warmupCalls = Math.max(options.warmupCalls, 4 * options.concurrency);
  const warmup = await run(client, options, new Budget({ calls: warmupCalls }));
  if (warmup.tally.errors > 0) {
    console.error(
      `calls_bench.js: ${warmup.tally.errors} of ${warmupCalls} warm-up calls failed, the first ` +
        `with ${warmup.tally.firstError}`,
    );
  }
  if (warmup.tally.latenciesNs.length === 0) {
    throw new BenchError("calls_bench.js: no warm-up call succeeded");
  }

  const { tally, seconds, cpuSeconds } = await run(client, options, new Budget(options));
  const latencies = tally.latenciesNs.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const ok = latencies.length;
  const sockets = Object.values(agent.freeSockets).reduce((sum, list) => sum + list.length, 0);
  if (tally.firstError !== null) {
    console.error(`calls_bench.js: first error of ${tally.errors}: ${tally.firstError}`);
  }
  const line = {
    client: "node",
    action: options.actionName,
    concurrency: options.concurrency,
    calls: ok,
    errors: tally.errors,
    seconds,
    calls_per_second: ok / seconds,
    cpu_seconds: cpuSeconds,
    cpu_us_per_call: ok > 0 ? (cpuSeconds * 1e6) / ok : null,
    p50_ms: millis(percentile(latencies, 50)),
    p99_ms: millis(percentile(latencies, 99)),
    listed_jobs: listed,
    node: process.version,
    sdk: `${SDK_PACKAGE} ${sdkVersion()}`,
    notes: [
      `${options.concurrency} async workers on one event loop sharing one ` +
        "dts.v20180330.Client and one keep-alive http.Agent",
      `${sockets} idle connections pooled at the end`,
      `this process used ${(cpuSeconds / seconds).toFixed(2)} CPU cores during the run`,
      `${warmupCalls} warm-up calls first`,
      "calls and calls_per_second count successful calls only",
      `${SDK_PACKAGE} ${sdkVersion()}`,
      `Node.js ${process.version}`,
    ].join("; "),
  };
  let problem = null;
  if (ok === 0) {
    problem = "no call succeeded";
  } else if (tally.errors > MAX_ERROR_SHARE * (tally.errors + ok)) {
    problem = `${tally.errors} errors in ${tally.errors + ok} calls, above 1 %`;
  }
  return { line, problem };
}

main().then(
  ({ line, problem }) => {
    console.log(JSON.stringify(line));
    if (problem !== null) {
      console.error(`calls_bench.js: ${problem}`);
      process.exitCode = 1;
    }
  },
  (err) => {
    console.error(err instanceof BenchError ? err.message : err);
    process.exitCode = err instanceof BenchError ? err.status : 1;
  },
);
