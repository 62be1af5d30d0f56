// Drives the DTS check flow against the emulator with the official Node.js SDK's CommonClient,
// unmodified, then a generic call to a catalogue service (cvm).
//
// usage: node check_flow.js URL SECRET_ID SECRET_KEY
//
// NODE_PATH must name the node_modules folder that holds tencentcloud-sdk-nodejs-common
// (setup-node.sh prints it). Prints one JSON object per step on stdout and exits non-zero at the
// first step that does not behave as the cloud would.
//
// Settings a user needs to point this SDK at the emulator: `profile.httpProfile.endpoint` set to
// the emulator's `127.0.0.1:PORT` and `protocol` to `http://`. The SDK names the credential
// scope's service after the endpoint's first label (`127` here), so the emulator runs with
// `--default-service dts`; to reach another service, use the endpoint `<service>.localhost:PORT`
// with an HTTP agent that resolves it to 127.0.0.1 (below, for cvm).

"use strict";

const crypto = require("crypto");
const http = require("http");
const { CommonClient } = require("tencentcloud-sdk-nodejs-common");

const POLL_DEADLINE_MS = 30000;
const REGION = "ap-guangzhou";

function report(step, facts) {
  process.stdout.write(JSON.stringify({ step, ...facts }) + "\n");
}

function fail(step, why) {
  report(step, { ok: false, why });
  process.exit(1);
}

// Resolves every name to the loopback address, so that `cvm.localhost` reaches the emulator.
function loopbackLookup(hostname, options, callback) {
  if (typeof options === "function") {
    callback = options;
    options = {};
  }
  if (options && options.all) {
    callback(null, [{ address: "127.0.0.1", family: 4 }]);
  } else {
    callback(null, "127.0.0.1", 4);
  }
}

function makeClient(endpoint, version, secretId, secretKey, extra = {}) {
  return new CommonClient(endpoint, version, {
    credential: { secretId, secretKey },
    region: REGION,
    profile: { httpProfile: { endpoint, protocol: "http://", ...extra } },
  });
}

function jobParams(name) {
  return {
    JobName: name,
    MigrateOption: { RunMode: 1, MigrateType: 2, MigrateObject: 1 },
    SrcDatabaseType: "mysql",
    SrcAccessType: "extranet",
    SrcInfo: { Ip: "203.0.113.7", Port: 3306, User: "root", Password: "pw" },
    DstDatabaseType: "mysql",
    DstAccessType: "cdb",
    DstInfo: { Region: REGION, InstanceId: "cdb-e78e0nnv", User: "root", Password: "pw" },
  };
}

async function createJob(client, name) {
  const answer = await client.request("CreateMigrateJob", jobParams(name));
  return answer.JobId;
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function checkJob(client, jobId) {
  await client.request("CreateMigrateCheckJob", { JobId: jobId });
  const deadline = Date.now() + POLL_DEADLINE_MS;
  const seen = [];
  while (Date.now() < deadline) {
    const answer = await client.request("DescribeMigrateCheckJob", { JobId: jobId });
    seen.push([answer.Status, Number(answer.Progress)]);
    if (answer.Status === "finished") {
      return { answer, seen };
    }
    await sleep(50);
  }
  fail("poll", `the check of ${jobId} did not finish within ${POLL_DEADLINE_MS} ms`);
  return undefined;
}

async function expectError(step, code, call) {
  try {
    await call();
  } catch (err) {
    if (err.code !== code) {
      fail(step, `expected ${code}, got ${err.code}: ${err.message}`);
    }
    report(step, { ok: true, code: err.code, request_id: err.requestId });
    return;
  }
  fail(step, `expected ${code}, but the call succeeded`);
}

const sha256Hex = (data) => crypto.createHash("sha256").update(data).digest("hex");
const hmac = (key, data) => crypto.createHmac("sha256", key).update(data).digest();

// A TC3-HMAC-SHA256 Authorization header over `signedBody`, written here rather than taken from
// the SDK so that the request can be sent with another body.
function tc3Authorization({ secretId, secretKey, service, host, timestamp, signedBody }) {
  const date = new Date(timestamp * 1000).toISOString().slice(0, 10);
  const canonical = [
    "POST",
    "/",
    "",
    `content-type:application/json\nhost:${host}\n`,
    "content-type;host",
    sha256Hex(signedBody),
  ].join("\n");
  const scope = `${date}/${service}/tc3_request`;
  const toSign = ["TC3-HMAC-SHA256", String(timestamp), scope, sha256Hex(canonical)].join("\n");
  const key = hmac(hmac(hmac("TC3" + secretKey, date), service), "tc3_request");
  const signature = crypto.createHmac("sha256", key).update(toSign).digest("hex");
  return `TC3-HMAC-SHA256 Credential=${secretId}/${scope}, SignedHeaders=content-type;host, Signature=${signature}`;
}

// Sends a hand-signed StartMigrateJob whose body may differ from the one signed.
function sendSigned(url, secretId, secretKey, signedBody, sentBody) {
  const target = new URL(url);
  const timestamp = Math.floor(Date.now() / 1000);
  const headers = {
    "Content-Type": "application/json",
    Host: target.host,
    "X-TC-Action": "StartMigrateJob",
    "X-TC-Version": "2018-03-30",
    "X-TC-Region": REGION,
    "X-TC-Timestamp": String(timestamp),
    Authorization: tc3Authorization({
      secretId,
      secretKey,
      service: "dts",
      host: target.host,
      timestamp,
      signedBody,
    }),
  };
  return new Promise((resolve, reject) => {
    const request = http.request(
      { hostname: target.hostname, port: target.port, path: "/", method: "POST", headers },
      (answer) => {
        let text = "";
        answer.setEncoding("utf8");
        answer.on("data", (chunk) => (text += chunk));
        answer.on("end", () => {
          try {
            resolve(JSON.parse(text).Response);
          } catch (err) {
            reject(new Error(`not JSON (${answer.statusCode}): ${text}`));
          }
        });
      },
    );
    request.on("error", reject);
    request.end(sentBody);
  });
}

async function main() {
  const [url, secretId, secretKey] = process.argv.slice(2, 5);
  const endpoint = url.split("://", 2)[1];
  const client = makeClient(endpoint, "2018-03-30", secretId, secretKey);

  // A check that passes, then the start it allows.
  const jobId = await createJob(client, "node-interop");
  report("create", { ok: typeof jobId === "string" && jobId.startsWith("dts-"), job_id: jobId });
  let { answer, seen } = await checkJob(client, jobId);
  const statuses = seen.map(([status]) => status);
  const progress = seen.map(([, value]) => value);
  if (answer.CheckFlag !== 1 || answer.ErrorMessage !== "ok") {
    fail("check", `expected a passed check, got ${JSON.stringify(answer)}`);
  }
  const rising = progress.every((value, at) => at === 0 || progress[at - 1] <= value);
  if (!rising || !statuses.includes("running")) {
    fail("check", `progress must rise through running: ${JSON.stringify(seen)}`);
  }
  report("check", { ok: true, polls: seen.length, statuses: [...new Set(statuses)].sort() });
  const started = await client.request("StartMigrateJob", { JobId: jobId });
  report("start", { ok: true, request_id: started.RequestId });

  // A check that fails, and the start it refuses.
  const failing = await createJob(client, "node-interop-fail-check");
  ({ answer } = await checkJob(client, failing));
  if (answer.CheckFlag !== 0 || answer.ErrorCode === 0 || !answer.ErrorMessage) {
    fail("failed-check", `expected a failed check, got ${JSON.stringify(answer)}`);
  }
  report("failed-check", { ok: true, error_code: answer.ErrorCode });
  await expectError("start-refused", "FailedOperation.NotAllowOperation", () =>
    client.request("StartMigrateJob", { JobId: failing }),
  );

  // Signed for one body, sent with another; the same request sent with its own body is served
  // (the job was started above, so the service refuses it, but only after the gateway's checks).
  const signedBody = JSON.stringify({ JobId: jobId });
  const tamperedBody = JSON.stringify({ JobId: "dts-tampered" });
  const control = await sendSigned(url, secretId, secretKey, signedBody, signedBody);
  const controlCode = control.Error ? control.Error.Code : "ok";
  if (controlCode.startsWith("AuthFailure")) {
    fail("tampered-body", `the untampered request was refused: ${JSON.stringify(control)}`);
  }
  const tampered = await sendSigned(url, secretId, secretKey, signedBody, tamperedBody);
  const tamperedCode = tampered.Error ? tampered.Error.Code : "ok";
  if (tamperedCode !== "AuthFailure.SignatureFailure") {
    fail("tampered-body", `expected AuthFailure.SignatureFailure, got ${JSON.stringify(tampered)}`);
  }
  report("tampered-body", { ok: true, code: tamperedCode, untampered: controlCode });

  // A wrong secret key and an unknown secret id.
  await expectError("wrong-key", "AuthFailure.SignatureFailure", () =>
    makeClient(endpoint, "2018-03-30", secretId, secretKey + "x").request("StartMigrateJob", {
      JobId: jobId,
    }),
  );
  await expectError("unknown-id", "AuthFailure.SecretIdNotFound", () =>
    makeClient(endpoint, "2018-03-30", "AKIDunknown", secretKey).request("StartMigrateJob", {
      JobId: jobId,
    }),
  );

  // The same SDK in GET mode: parameters flattened into the signed query string.
  const getter = makeClient(endpoint, "2018-03-30", secretId, secretKey, { reqMethod: "GET" });
  const got = await createJob(getter, "node-interop-get");
  report("get-create", { ok: typeof got === "string" && got.startsWith("dts-"), job_id: got });
  const jobs = await getter.request("DescribeMigrateJobs", { JobId: got });
  if (jobs.TotalCount !== 1 || jobs.JobList[0].JobName !== "node-interop-get") {
    fail("get-describe", `expected the job made with GET, got ${JSON.stringify(jobs)}`);
  }
  report("get-describe", { ok: true, total: jobs.TotalCount });

  // A catalogue service through the generic client: the endpoint's first label names it.
  const port = new URL(url).port;
  const agent = new http.Agent({ keepAlive: false, lookup: loopbackLookup });
  const cvm = makeClient(`cvm.localhost:${port}`, "2017-03-12", secretId, secretKey, { agent });
  const instances = await cvm.request("DescribeInstances", { Limit: 1 });
  if (typeof instances.RequestId !== "string" || instances.RequestId.length !== 36) {
    fail("cvm-describe-instances", `expected a success, got ${JSON.stringify(instances)}`);
  }
  report("cvm-describe-instances", { ok: true, request_id: instances.RequestId });
  report("done", { ok: true });
}

main().catch((err) => fail("error", `${err.code || ""} ${err.message || err}`));
