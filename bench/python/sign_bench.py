"""What the official Python SDK spends building and signing one DescribeMigrateCheckJob request.

usage: sign_bench.py --iterations N [--warmup M]

Nothing is sent. Two figures, in nanoseconds per request:

- build_and_sign_ns: AbstractClient._build_req_with_tc3_signature on a fresh RequestInternal, the
  step of every call that picks the content type, fills the X-TC-* headers, serializes the
  parameters to JSON, signs them (through _get_tc3_signature) and sets Authorization;
- sign_only_ns: AbstractClient._get_tc3_signature alone, given a request already holding its JSON
  body and headers: the payload hash, the canonical request and its hash, the string to sign, then
  Sign.sign_tc3 (the key derived from the secret key, date and service, and the final HMAC).

Both run with fixed credentials and a fixed timestamp, so every iteration does the same work, and
only after the Authorization header the SDK builds has been checked against one computed here from
the TC3 specification with hashlib and hmac alone. Prints one JSON line on stdout; notes go to
stderr.
"""

import argparse
import contextlib
import datetime
import hashlib
import hmac
import importlib.metadata
import itertools
import json
import platform
import sys
import time
import types

from tencentcloud.common import abstract_client, credential
from tencentcloud.common.http.request import RequestInternal
from tencentcloud.common.profile.client_profile import ClientProfile
from tencentcloud.common.profile.http_profile import HttpProfile
from tencentcloud.dts.v20180330 import dts_client

# The same inputs as the Rust side (bench/src/sign.rs), so both sign the same request.
SECRET_ID = "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE"
SECRET_KEY = "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE"
REGION = "ap-guangzhou"
ACTION = "DescribeMigrateCheckJob"
PARAMS = {"JobId": "dts-1kl0iy0v"}
HOST = "dts.tencentcloudapi.com"
SERVICE = "dts"
TIMESTAMP = 1_764_288_000  # 2025-11-28T00:00:00Z
# The body the SDK must send: json.dumps with its default separators.
EXPECTED_BODY = '{"JobId": "dts-1kl0iy0v"}'


def make_client():
    """A DTS client as a user makes one: TC3 over POST, the service's default host, no breaker."""
    profile = ClientProfile(
        signMethod="TC3-HMAC-SHA256",
        httpProfile=HttpProfile(reqMethod="POST"),
        disable_region_breaker=True,
    )
    return dts_client.DtsClient(credential.Credential(SECRET_ID, SECRET_KEY), REGION, profile)


def fresh_request(client):
    """The RequestInternal the SDK's _call makes for each call, before signing."""
    return RequestInternal(client._get_endpoint(), "POST", client._requestPath, header={})


@contextlib.contextmanager
def fixed_clock(timestamp):
    """Makes the SDK's abstract_client, and only it, read `timestamp` as the current time.

    The SDK calls time.time() through the name `time` in its own module; that name is swapped for
    an object whose time() is a C-level callable (the __next__ of an endless repeat), as cheap as
    the real time.time(), so the clock does not add Python-level work to what is measured. If the
    SDK ever read the time another way, check_signing would see another timestamp and stop.
    """
    real = abstract_client.time
    abstract_client.time = types.SimpleNamespace(time=itertools.repeat(float(timestamp)).__next__)
    try:
        yield
    finally:
        abstract_client.time = real


def utc_date(timestamp):
    return datetime.datetime.fromtimestamp(timestamp, datetime.timezone.utc).strftime("%Y-%m-%d")


def tc3_authorization(secret_id, secret_key, service, host, content_type, payload, timestamp):
    """The Authorization header of a POST to / per the TC3-HMAC-SHA256 specification, written
    from the specification rather than from the SDK."""
    date = utc_date(timestamp)
    canonical_request = "\n".join([
        "POST",
        "/",
        "",  # no query string for POST
        f"content-type:{content_type}\nhost:{host}\n",
        "content-type;host",
        hashlib.sha256(payload.encode()).hexdigest(),
    ])
    scope = f"{date}/{service}/tc3_request"
    string_to_sign = "\n".join([
        "TC3-HMAC-SHA256",
        str(timestamp),
        scope,
        hashlib.sha256(canonical_request.encode()).hexdigest(),
    ])
    key = ("TC3" + secret_key).encode()
    for part in (date, service, "tc3_request"):
        key = hmac.new(key, part.encode(), hashlib.sha256).digest()
    signature = hmac.new(key, string_to_sign.encode(), hashlib.sha256).hexdigest()
    return (f"TC3-HMAC-SHA256 Credential={secret_id}/{scope}, "
            f"SignedHeaders=content-type;host, Signature={signature}")


def check_signing(client):
    """Builds one request at the fixed time and compares it with what the specification says.

    Returns the signed request (for sign_only_ns); exits with status 1 if the SDK's request is not
    the expected one, so that nothing is measured that does not sign.
    """
    request = fresh_request(client)
    client._build_req_with_tc3_signature(ACTION, PARAMS, request)
    expected = {
        "body": EXPECTED_BODY,
        "Host": HOST,
        "Content-Type": "application/json",
        "X-TC-Action": ACTION,
        "X-TC-Timestamp": str(TIMESTAMP),
        "X-TC-Region": REGION,
        "Authorization": tc3_authorization(SECRET_ID, SECRET_KEY, SERVICE, HOST,
                                           "application/json", EXPECTED_BODY, TIMESTAMP),
    }
    seen = {name: request.header.get(name) for name in expected if name != "body"}
    seen["body"] = request.data
    wrong = {name: (seen[name], value) for name, value in expected.items() if seen[name] != value}
    if wrong:
        for name, (got, want) in wrong.items():
            print(f"sign_bench: {name}: the SDK gave {got!r}, expected {want!r}", file=sys.stderr)
        sys.exit(1)
    print("sign_bench: the SDK's Authorization matches the TC3 specification:\n  "
          + seen["Authorization"], file=sys.stderr)
    return request


def time_per_call(body, iterations, warmup):
    """Runs body() `warmup` times, then `iterations` times on the clock; nanoseconds per run."""
    for _ in range(warmup):
        body()
    started = time.perf_counter_ns()
    for _ in range(iterations):
        body()
    return (time.perf_counter_ns() - started) / iterations


def positive_int(text):
    value = int(text)
    if value <= 0:
        raise argparse.ArgumentTypeError(f"{text}: must be above 0")
    return value


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--iterations", type=positive_int, required=True,
                        help="timed requests for each figure")
    parser.add_argument("--warmup", type=int, default=None,
                        help="untimed requests before each figure [iterations / 10, at least 1000]")
    args = parser.parse_args()
    warmup = args.warmup if args.warmup is not None else max(args.iterations // 10, 1000)

    client = make_client()
    with fixed_clock(TIMESTAMP):
        signed = check_signing(client)

        def build_and_sign():
            client._build_req_with_tc3_signature(ACTION, PARAMS, fresh_request(client))

        date = utc_date(TIMESTAMP)

        def sign_only():
            # The arguments _build_req_with_tc3_signature passes to it.
            client._get_tc3_signature(PARAMS, signed, date, SERVICE, SECRET_KEY, None)

        build_and_sign_ns = time_per_call(build_and_sign, args.iterations, warmup)
        sign_only_ns = time_per_call(sign_only, args.iterations, warmup)

    versions = {name: importlib.metadata.version(name)
                for name in ("tencentcloud-sdk-python-common", "tencentcloud-sdk-python-dts")}
    print(json.dumps({
        "build_and_sign_ns": build_and_sign_ns,
        "sign_only_ns": sign_only_ns,
        "iterations": args.iterations,
        "python": platform.python_version(),
        "sdk": f"tencentcloud-sdk-python-common {versions['tencentcloud-sdk-python-common']}",
        "notes": (
            "build_and_sign_ns: DtsClient._build_req_with_tc3_signature (abstract_client.py) on a "
            "new RequestInternal per iteration: content type, X-TC-* headers, json.dumps of the "
            "params, _get_tc3_signature, Authorization; sign_only_ns: _get_tc3_signature alone on "
            "the signed request: two hashlib.sha256 (payload, canonical request), the string to "
            "sign, Sign.sign_tc3 (key derived each call: 3 HMAC-SHA256, then the signature's). "
            f"POST application/json to {HOST}, {ACTION} {json.dumps(PARAMS)}, fixed credentials "
            f"and timestamp {TIMESTAMP}; {warmup} warm-up runs each; Authorization checked "
            "against an independent TC3 computation first. "
            f"tencentcloud-sdk-python-dts {versions['tencentcloud-sdk-python-dts']}; "
            f"{platform.python_implementation()} {platform.python_version()}."
        ),
    }))


if __name__ == "__main__":
    main()
