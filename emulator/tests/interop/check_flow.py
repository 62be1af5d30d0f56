"""Drives the DTS check flow against the emulator with the official Python SDK, unmodified.

usage: check_flow.py URL SECRET_ID SECRET_KEY

Prints one JSON object per step on stdout and exits non-zero at the first step that does not
behave as the cloud would.
"""

import json
import sys
import time

from tencentcloud.common import credential
from tencentcloud.common.common_client import CommonClient
from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException
from tencentcloud.common.profile.client_profile import ClientProfile
from tencentcloud.common.profile.http_profile import HttpProfile
from tencentcloud.dts.v20180330 import dts_client, models

POLL_DEADLINE_SECONDS = 30


def report(step, **facts):
    print(json.dumps({"step": step, **facts}), flush=True)


def fail(step, why):
    report(step, ok=False, why=why)
    sys.exit(1)


def make_client(url, secret_id, secret_key, method="POST"):
    scheme, host = url.split("://", 1)
    profile = ClientProfile(
        httpProfile=HttpProfile(protocol=scheme, endpoint=host, reqMethod=method)
    )
    return dts_client.DtsClient(
        credential.Credential(secret_id, secret_key), "ap-guangzhou", profile
    )


def create_job(client, name):
    request = models.CreateMigrateJobRequest()
    request.from_json_string(json.dumps({
        "JobName": name,
        "MigrateOption": {"RunMode": 1, "MigrateType": 2, "MigrateObject": 1},
        "SrcDatabaseType": "mysql",
        "SrcAccessType": "extranet",
        "SrcInfo": {"Ip": "203.0.113.7", "Port": 3306, "User": "root", "Password": "pw"},
        "DstDatabaseType": "mysql",
        "DstAccessType": "cdb",
        "DstInfo": {"Region": "ap-guangzhou", "InstanceId": "cdb-e78e0nnv",
                    "User": "root", "Password": "pw"},
    }))
    return client.CreateMigrateJob(request).JobId


def check_job(client, job_id):
    request = models.CreateMigrateCheckJobRequest()
    request.JobId = job_id
    client.CreateMigrateCheckJob(request)
    describe = models.DescribeMigrateCheckJobRequest()
    describe.JobId = job_id
    deadline = time.monotonic() + POLL_DEADLINE_SECONDS
    seen = []
    while time.monotonic() < deadline:
        answer = client.DescribeMigrateCheckJob(describe)
        seen.append((answer.Status, int(answer.Progress)))
        if answer.Status == "finished":
            return answer, seen
        time.sleep(0.05)
    fail("poll", f"the check of {job_id} did not finish within {POLL_DEADLINE_SECONDS} s")


def start_job(client, job_id):
    request = models.StartMigrateJobRequest()
    request.JobId = job_id
    return client.StartMigrateJob(request)


def expect_error(step, code, call):
    try:
        call()
    except TencentCloudSDKException as err:
        if err.code != code:
            fail(step, f"expected {code}, got {err.code}: {err.message}")
        report(step, ok=True, code=err.code, request_id=err.requestId)
        return
    fail(step, f"expected {code}, but the call succeeded")


def main():
    url, secret_id, secret_key = sys.argv[1:4]
    client = make_client(url, secret_id, secret_key)

    # A check that passes, then the start it allows.
    job_id = create_job(client, "python-interop")
    report("create", ok=job_id.startswith("dts-"), job_id=job_id)
    answer, seen = check_job(client, job_id)
    statuses = [status for status, _ in seen]
    progress = [value for _, value in seen]
    if answer.CheckFlag != 1 or answer.ErrorMessage != "ok":
        fail("check", f"expected a passed check, got {answer.to_json_string()}")
    if progress != sorted(progress) or "running" not in statuses:
        fail("check", f"progress must rise through running: {seen}")
    report("check", ok=True, polls=len(seen), statuses=sorted(set(statuses)))
    started = start_job(client, job_id)
    report("start", ok=True, request_id=started.RequestId)

    # A check that fails, and the start it refuses.
    failing = create_job(client, "python-interop-fail-check")
    answer, _ = check_job(client, failing)
    if answer.CheckFlag != 0 or answer.ErrorCode == 0 or not answer.ErrorMessage:
        fail("failed-check", f"expected a failed check, got {answer.to_json_string()}")
    report("failed-check", ok=True, error_code=answer.ErrorCode)
    expect_error("start-refused", "FailedOperation.NotAllowOperation",
                 lambda: start_job(client, failing))

    # A body changed after signing: the SDK signs as usual, then the transport sends other bytes.
    original_send = client.request.send_request

    def tampering_send(request):
        request.data = request.data.replace(job_id, "dts-tampered")
        return original_send(request)

    client.request.send_request = tampering_send
    expect_error("tampered-body", "AuthFailure.SignatureFailure",
                 lambda: start_job(client, job_id))
    client.request.send_request = original_send

    # A wrong secret key and an unknown secret id.
    expect_error("wrong-key", "AuthFailure.SignatureFailure",
                 lambda: start_job(make_client(url, secret_id, secret_key + "x"), job_id))
    expect_error("unknown-id", "AuthFailure.SecretIdNotFound",
                 lambda: start_job(make_client(url, "AKIDunknown", secret_key), job_id))
    # The same SDK in GET mode: parameters flattened into the signed query string.
    getter = make_client(url, secret_id, secret_key, method="GET")
    got = create_job(getter, "python-interop-get")
    report("get-create", ok=got.startswith("dts-"), job_id=got)
    listing = models.DescribeMigrateJobsRequest()
    listing.JobId = got
    jobs = getter.DescribeMigrateJobs(listing)
    if jobs.TotalCount != 1 or jobs.JobList[0].JobName != "python-interop-get":
        fail("get-describe", f"expected the job made with GET, got {jobs.to_json_string()}")
    if jobs.JobList[0].SrcInfo.Port != 3306:
        fail("get-describe", "the port sent as text in the query must come back as a number")
    report("get-describe", ok=True, total=jobs.TotalCount)

    # A catalogue service through the SDK's generic client.
    scheme, host = url.split("://", 1)
    cvm = CommonClient(
        "cvm", "2017-03-12", credential.Credential(secret_id, secret_key), "ap-guangzhou",
        ClientProfile(httpProfile=HttpProfile(protocol=scheme, endpoint=host)),
    )
    instances = cvm.call_json("DescribeInstances", {"Limit": 1})
    request_id = instances.get("Response", {}).get("RequestId", "")
    if len(request_id) != 36 or "Error" in instances["Response"]:
        fail("cvm-describe-instances", f"expected a success, got {instances}")
    report("cvm-describe-instances", ok=True, request_id=request_id)
    report("done", ok=True)


if __name__ == "__main__":
    main()
