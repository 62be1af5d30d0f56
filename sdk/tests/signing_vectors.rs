//! Checks the TC3-HMAC-SHA256 signer against vectors produced by an independent implementation.
//!
//! The vectors live outside the repository, in `<workspace>/../shared/vectors/tc3-signing.json`;
//! set `TC3_VECTORS` to test against another file. A missing or unreadable file fails the tests:
//! they never pass vacuously.

use std::path::{Path, PathBuf};

use serde::Deserialize;
use tencentcloud_sdk::Credentials;
use tencentcloud_sdk::signer::{self, SigningInput, SigningSteps};

/// The environment variable that overrides the location of the vector file.
const VECTORS_ENV: &str = "TC3_VECTORS";

#[derive(Debug, Deserialize)]
struct VectorFile {
    #[serde(default)]
    made_with: Option<String>,
    vectors: Vec<Vector>,
}

#[derive(Debug, Deserialize)]
struct Vector {
    name: String,
    secret_id: String,
    secret_key: String,
    token: Option<String>,
    service: String,
    timestamp: u64,
    host: String,
    method: String,
    content_type: String,
    query: String,
    payload: String,
    expected: Expected,
}

#[derive(Debug, Deserialize)]
struct Expected {
    authorization: String,
}

impl Vector {
    fn credentials(&self) -> Credentials {
        let credentials = Credentials::new(&self.secret_id, &self.secret_key);
        match &self.token {
            Some(token) => credentials.with_token(token),
            None => credentials,
        }
    }

    fn input<'a>(&'a self, credentials: &'a Credentials) -> SigningInput<'a> {
        SigningInput {
            credentials,
            service: &self.service,
            host: &self.host,
            method: &self.method,
            content_type: &self.content_type,
            canonical_query: &self.query,
            payload: self.payload.as_bytes(),
            timestamp: self.timestamp,
        }
    }
}

/// The vector file and the number of entries in its `vectors` array, counted independently of the
/// typed parse so that a vector silently dropped by deserialisation would be noticed.
struct Loaded {
    path: PathBuf,
    file: VectorFile,
    count_in_file: usize,
}

fn vectors_path() -> PathBuf {
    match std::env::var_os(VECTORS_ENV) {
        Some(path) if !path.is_empty() => PathBuf::from(path),
        _ => Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/vectors/tc3-signing.json"),
    }
}

fn load() -> Loaded {
    let path = vectors_path();
    let text = std::fs::read_to_string(&path).unwrap_or_else(|error| {
        panic!(
            "cannot read the TC3 signing vectors at {}: {error}\n\
             (set {VECTORS_ENV} to the path of tc3-signing.json to use another location)",
            path.display()
        )
    });
    let raw: serde_json::Value = serde_json::from_str(&text)
        .unwrap_or_else(|error| panic!("{} is not valid JSON: {error}", path.display()));
    let count_in_file = raw
        .get("vectors")
        .and_then(serde_json::Value::as_array)
        .map(Vec::len)
        .unwrap_or_else(|| panic!("{} has no `vectors` array", path.display()));
    let file: VectorFile = serde_json::from_value(raw).unwrap_or_else(|error| {
        panic!(
            "{} does not have the expected vector shape: {error}",
            path.display()
        )
    });
    Loaded {
        path,
        file,
        count_in_file,
    }
}

/// The parts of a TC3 `Authorization` header, in the order they appear.
#[derive(Debug, PartialEq, Eq)]
struct HeaderParts<'a> {
    algorithm: &'a str,
    secret_id: &'a str,
    scope: &'a str,
    signed_headers: &'a str,
    signature: &'a str,
}

impl<'a> HeaderParts<'a> {
    /// Splits `ALG Credential=<id>/<date>/<service>/tc3_request, SignedHeaders=<h>, Signature=<s>`.
    fn parse(header: &'a str) -> Result<Self, String> {
        let (algorithm, rest) = header
            .split_once(' ')
            .ok_or("no space after the algorithm")?;
        let mut fields = rest.split(", ");
        let credential = field(fields.next(), "Credential=")?;
        let signed_headers = field(fields.next(), "SignedHeaders=")?;
        let signature = field(fields.next(), "Signature=")?;
        if let Some(extra) = fields.next() {
            return Err(format!("unexpected trailing field {extra:?}"));
        }
        // The scope is the last three `/`-separated components: date, service and `tc3_request`.
        let mut slashes = credential.rmatch_indices('/').map(|(index, _)| index);
        let scope_start = slashes.nth(2).ok_or_else(|| {
            format!("credential {credential:?} has no <id>/<date>/<service>/tc3_request scope")
        })?;
        Ok(Self {
            algorithm,
            secret_id: &credential[..scope_start],
            scope: &credential[scope_start + 1..],
            signed_headers,
            signature,
        })
    }
}

fn field<'a>(field: Option<&'a str>, prefix: &str) -> Result<&'a str, String> {
    let field = field.ok_or_else(|| format!("missing {prefix} field"))?;
    field
        .strip_prefix(prefix)
        .ok_or_else(|| format!("expected a {prefix} field, found {field:?}"))
}

/// Names the first part of the header that differs, or `None` when the headers are identical.
fn first_difference(expected: &str, got: &str) -> Option<String> {
    if expected == got {
        return None;
    }
    let expected_parts = match HeaderParts::parse(expected) {
        Ok(parts) => parts,
        Err(error) => return Some(format!("the expected header is malformed ({error})")),
    };
    let got_parts = match HeaderParts::parse(got) {
        Ok(parts) => parts,
        Err(error) => {
            return Some(format!(
                "our header is malformed ({error}): expected {expected}, got {got}"
            ));
        }
    };
    let comparisons = [
        ("algorithm", expected_parts.algorithm, got_parts.algorithm),
        (
            "credential secret id",
            expected_parts.secret_id,
            got_parts.secret_id,
        ),
        ("credential scope", expected_parts.scope, got_parts.scope),
        (
            "SignedHeaders",
            expected_parts.signed_headers,
            got_parts.signed_headers,
        ),
        ("Signature", expected_parts.signature, got_parts.signature),
    ];
    let difference = comparisons
        .iter()
        .find(|(_, expected, got)| expected != got)
        .map(|(part, expected, got)| format!("{part} differs: expected {expected}, got {got}"));
    Some(difference.unwrap_or_else(|| {
        format!(
            "every part matches but the layout differs (separators or spacing): \
             expected {expected:?}, got {got:?}"
        )
    }))
}

fn mismatch_report(vector: &Vector, difference: &str, steps: &SigningSteps) -> String {
    format!(
        "vector {name}: {difference}\n\
         expected: {expected}\n\
         got:      {got}\n\
         --- our canonical request ---\n{canonical}\n\
         --- our string to sign ---\n{string_to_sign}\n\
         --- end ---",
        name = vector.name,
        expected = vector.expected.authorization,
        got = steps.authorization,
        canonical = steps.canonical_request,
        string_to_sign = steps.string_to_sign,
    )
}

#[test]
fn signer_matches_every_vector() {
    let loaded = load();
    let mut checked = 0usize;
    for vector in &loaded.file.vectors {
        let credentials = vector.credentials();
        let steps = signer::sign(&vector.input(&credentials));
        if let Some(difference) =
            first_difference(&vector.expected.authorization, &steps.authorization)
        {
            panic!("{}", mismatch_report(vector, &difference, &steps));
        }
        checked += 1;
    }
    println!(
        "checked {checked} TC3 signing vectors from {} (made with: {})",
        loaded.path.display(),
        loaded.file.made_with.as_deref().unwrap_or("unknown"),
    );
    assert!(checked > 0, "{} holds no vectors", loaded.path.display());
    assert_eq!(
        checked,
        loaded.count_in_file,
        "checked {checked} vectors but {} lists {}",
        loaded.path.display(),
        loaded.count_in_file
    );
}

#[test]
fn vectors_cover_methods_tokens_and_midnight() {
    let loaded = load();
    let vectors = &loaded.file.vectors;
    let path = loaded.path.display();

    let count =
        |predicate: &dyn Fn(&Vector) -> bool| vectors.iter().filter(|v| predicate(v)).count();
    let gets = count(&|v| v.method == "GET");
    let posts = count(&|v| v.method == "POST");
    let with_token = count(&|v| v.token.is_some());
    let without_token = count(&|v| v.token.is_none());
    assert!(gets > 0, "{path} has no GET vector");
    assert!(posts > 0, "{path} has no POST vector");
    assert!(with_token > 0, "{path} has no vector with a session token");
    assert!(
        without_token > 0,
        "{path} has no vector without a session token"
    );
    for vector in vectors {
        assert!(
            vector.method == "GET" || vector.method == "POST",
            "vector {} has method {:?}, expected GET or POST",
            vector.name,
            vector.method
        );
    }

    // The last second of a UTC day and the first second of the next must both be present, so an
    // off-by-one in the date of the credential scope cannot go unnoticed.
    let midnight = vectors
        .iter()
        .filter(|v| (v.timestamp + 1) % 86_400 == 0)
        .find_map(|before| {
            vectors
                .iter()
                .find(|after| after.timestamp == before.timestamp + 1)
                .map(|after| (before, after))
        });
    let (before, after) = midnight.unwrap_or_else(|| {
        panic!(
            "{path} has no pair of vectors on either side of a UTC midnight \
             (timestamps T and T+1 with T+1 a multiple of 86400)"
        )
    });
    let (date_before, date_after) = (
        signer::utc_date(before.timestamp),
        signer::utc_date(after.timestamp),
    );
    assert_ne!(
        date_before, date_after,
        "vectors {} ({}) and {} ({}) should fall on different UTC dates",
        before.name, before.timestamp, after.name, after.timestamp
    );
    println!(
        "midnight pair: {} at {} ({date_before}) and {} at {} ({date_after})",
        before.name, before.timestamp, after.name, after.timestamp
    );

    for vector in vectors {
        let parts = HeaderParts::parse(&vector.expected.authorization).unwrap_or_else(|error| {
            panic!(
                "vector {}: expected authorization is malformed ({error}): {}",
                vector.name, vector.expected.authorization
            )
        });
        let date = parts.scope.split('/').next().unwrap_or_default();
        assert_eq!(
            date,
            signer::utc_date(vector.timestamp),
            "vector {}: the date of the expected credential scope {} is not the UTC date of timestamp {}",
            vector.name,
            parts.scope,
            vector.timestamp
        );
    }
    println!(
        "coverage: {gets} GET, {posts} POST, {with_token} with token, {without_token} without, \
         of {} vectors",
        vectors.len()
    );
}

#[test]
fn tampered_input_does_not_match() {
    let loaded = load();
    let vector = loaded
        .file
        .vectors
        .first()
        .unwrap_or_else(|| panic!("{} holds no vectors", loaded.path.display()));
    let credentials = vector.credentials();
    let input = vector.input(&credentials);
    let expected = &vector.expected.authorization;

    // The untampered input matches, so any difference below comes from the tampering alone.
    assert_eq!(
        first_difference(expected, &signer::authorization(&input)),
        None,
        "vector {} does not match even untampered",
        vector.name
    );

    // One byte of the payload changed (or, for an empty payload, one byte added).
    let mut payload = vector.payload.as_bytes().to_vec();
    match payload.last_mut() {
        Some(last) => *last ^= 0x01,
        None => payload.push(b' '),
    }
    let tampered_payload = signer::authorization(&SigningInput {
        payload: &payload,
        ..input
    });
    let difference = first_difference(expected, &tampered_payload)
        .unwrap_or_else(|| panic!("vector {}: a changed payload still matches", vector.name));
    assert!(
        difference.starts_with("Signature differs"),
        "vector {}: a changed payload should change only the signature, but {difference}",
        vector.name
    );

    // One second later.
    let tampered_timestamp = signer::authorization(&SigningInput {
        timestamp: input.timestamp + 1,
        ..input
    });
    let difference = first_difference(expected, &tampered_timestamp)
        .unwrap_or_else(|| panic!("vector {}: a later timestamp still matches", vector.name));
    let expected_signature = HeaderParts::parse(expected).map(|parts| parts.signature);
    let tampered_signature = HeaderParts::parse(&tampered_timestamp).map(|parts| parts.signature);
    assert_ne!(
        expected_signature, tampered_signature,
        "vector {}: a later timestamp should change the signature ({difference})",
        vector.name
    );
}
