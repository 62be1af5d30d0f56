//! Error codes every Tencent Cloud API 3.0 action may answer with.
//!
//! They are generated once, as the variants of `tencentcloud_sdk::CommonError`, which each
//! action's error enum holds in its `Common` variant beside the codes its spec documents, so that
//! callers can tell throttling, signature and parameter problems apart without comparing strings,
//! in the same way for every action.

/// `(code, description)` pairs, in the order the variants are emitted.
pub const COMMON_ERRORS: &[(&str, &str)] = &[
    (
        "AuthFailure.InvalidAuthorization",
        "The `Authorization` header is malformed.",
    ),
    (
        "AuthFailure.InvalidSecretId",
        "The secret id is not a valid API key (for example, not a cloud API key).",
    ),
    (
        "AuthFailure.MFAFailure",
        "Multi-factor authentication failed.",
    ),
    (
        "AuthFailure.SecretIdNotFound",
        "The secret id does not exist or its key is disabled.",
    ),
    (
        "AuthFailure.SignatureExpire",
        "The request's timestamp is too far from the server's clock (more than five minutes).",
    ),
    (
        "AuthFailure.SignatureFailure",
        "The signature does not match: a wrong secret key or a request changed after signing.",
    ),
    (
        "AuthFailure.TokenFailure",
        "The session token is invalid or expired.",
    ),
    (
        "AuthFailure.UnauthorizedOperation",
        "The credentials are not allowed to call this action.",
    ),
    ("DryRunOperation", "A dry run would have succeeded."),
    ("FailedOperation", "The operation failed."),
    ("InternalError", "The service failed internally."),
    (
        "InvalidAction",
        "The action does not exist in this service version.",
    ),
    (
        "InvalidParameter",
        "A parameter is wrong: unknown, badly formed or of the wrong type.",
    ),
    (
        "InvalidParameterValue",
        "A parameter has a value the service does not accept.",
    ),
    ("InvalidRequest", "The request is malformed."),
    (
        "IpInBlacklist",
        "The caller's IP address is on the block list.",
    ),
    (
        "IpNotInWhitelist",
        "The caller's IP address is not on the allow list.",
    ),
    ("LimitExceeded", "A quota would be exceeded."),
    ("MissingParameter", "A required parameter is missing."),
    ("NoSuchProduct", "The product does not exist."),
    ("NoSuchVersion", "The API version does not exist."),
    (
        "RequestLimitExceeded",
        "Too many requests: the action's rate limit was exceeded.",
    ),
    (
        "RequestLimitExceeded.GlobalRegionUinLimitExceeded",
        "Too many requests from this account across regions.",
    ),
    (
        "RequestLimitExceeded.IPLimitExceeded",
        "Too many requests from this IP address.",
    ),
    (
        "RequestLimitExceeded.UinLimitExceeded",
        "Too many requests from this account.",
    ),
    (
        "RequestSizeLimitExceeded",
        "The request is larger than the service accepts.",
    ),
    ("ResourceInUse", "The resource is in use."),
    (
        "ResourceInsufficient",
        "Not enough resources are available.",
    ),
    ("ResourceNotFound", "The resource does not exist."),
    ("ResourceUnavailable", "The resource is not available now."),
    (
        "ResponseSizeLimitExceeded",
        "The answer would be larger than the service returns.",
    ),
    (
        "ServiceUnavailable",
        "The service is temporarily unavailable.",
    ),
    ("UnauthorizedOperation", "The operation is not authorized."),
    (
        "UnknownParameter",
        "The request has a parameter the action does not define.",
    ),
    (
        "UnsupportedOperation",
        "The operation is not supported in the resource's current state.",
    ),
    (
        "UnsupportedProtocol",
        "The protocol is not supported (for example HTTP where HTTPS is required).",
    ),
    (
        "UnsupportedRegion",
        "The action is not available in this region.",
    ),
];
