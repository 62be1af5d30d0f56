//! `multipart/form-data` bodies, for the few actions that upload a file (a member of type
//! `binary`).
//!
//! The parts are written as the official SDKs write them: each member is a part named after
//! it; bytes are a file part whose file name is the member's name; lists and objects are JSON
//! with `Content-Type: application/json`; strings are their text and other values their JSON
//! text.

use serde_json::Value;

/// One member as a part.
pub(crate) enum Part<'a> {
    Text(&'a str),
    Json(&'a Value),
    File(&'a [u8]),
}

/// A fresh boundary: 32 random hexadecimal digits, which no part realistically contains.
pub(crate) fn boundary() -> String {
    let mut rng = fastrand::Rng::new();
    format!("{:016x}{:016x}", rng.u64(..), rng.u64(..))
}

/// The body for `parts`, separated by `boundary`.
pub(crate) fn body<'a>(
    parts: impl Iterator<Item = (&'a str, Part<'a>)>,
    boundary: &str,
) -> Vec<u8> {
    let mut body = Vec::new();
    for (name, part) in parts {
        body.extend_from_slice(b"--");
        body.extend_from_slice(boundary.as_bytes());
        body.extend_from_slice(b"\r\nContent-Disposition: form-data; name=\"");
        body.extend_from_slice(name.as_bytes());
        body.push(b'"');
        let json;
        let content: &[u8] = match part {
            Part::File(bytes) => {
                body.extend_from_slice(b"; filename=\"");
                body.extend_from_slice(name.as_bytes());
                body.extend_from_slice(b"\"\r\n");
                bytes
            }
            Part::Text(text) => {
                body.extend_from_slice(b"\r\n");
                text.as_bytes()
            }
            Part::Json(value) => {
                body.extend_from_slice(b"\r\n");
                if value.is_array() || value.is_object() {
                    body.extend_from_slice(b"Content-Type: application/json\r\n");
                }
                json = value.to_string();
                json.as_bytes()
            }
        };
        body.extend_from_slice(b"\r\n");
        body.extend_from_slice(content);
        body.extend_from_slice(b"\r\n");
    }
    if !body.is_empty() {
        body.extend_from_slice(b"--");
        body.extend_from_slice(boundary.as_bytes());
        body.extend_from_slice(b"--\r\n");
    }
    body
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_are_written_as_the_official_sdks_write_them() {
        let list = serde_json::json!(["a", "b"]);
        let number = serde_json::json!(7);
        let parts = vec![
            ("File", Part::File(b"\x00\x01")),
            ("Name", Part::Text("scan")),
            ("Tags", Part::Json(&list)),
            ("Size", Part::Json(&number)),
        ];
        let body = body(parts.into_iter(), "b0");
        let expected: &[u8] = b"--b0\r\nContent-Disposition: form-data; name=\"File\"; filename=\"File\"\r\n\r\n\x00\x01\r\n\
--b0\r\nContent-Disposition: form-data; name=\"Name\"\r\n\r\nscan\r\n\
--b0\r\nContent-Disposition: form-data; name=\"Tags\"\r\nContent-Type: application/json\r\n\r\n[\"a\",\"b\"]\r\n\
--b0\r\nContent-Disposition: form-data; name=\"Size\"\r\n\r\n7\r\n\
--b0--\r\n";
        assert_eq!(body, expected);
    }

    #[test]
    fn no_parts_is_an_empty_body_and_boundaries_differ() {
        assert!(body(std::iter::empty(), "x").is_empty());
        let first = boundary();
        assert_eq!(first.len(), 32);
        assert_ne!(first, boundary());
    }
}
