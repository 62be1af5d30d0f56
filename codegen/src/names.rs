//! Conversion of wire names found in API specs into Rust identifiers.
//!
//! Wire names come in many shapes: `PascalCase` parameter names, dotted error
//! codes such as `ResourceNotFound.JobNotExist`, region names such as
//! `ap-guangzhou` and enum values such as `NOT_CHECKED`. [`words`] splits all of
//! them into words, [`snake_case`] and [`pascal_case`] join those words in the
//! Rust conventions, and [`field_ident`] / [`type_ident`] turn the result into a
//! [`proc_macro2::Ident`] that is safe to emit even when it collides with a
//! keyword.
//!
//! Only ASCII letters and digits ever end up inside a word. Every other
//! character, including non-ASCII letters and digits, acts as a separator and is
//! dropped. None of the functions in this module panic, whatever the input.

use std::borrow::Cow;

use proc_macro2::{Ident, Span};

/// Mixed-case acronyms that form a single word whenever they start at a word
/// boundary and are not directly followed by a lowercase letter or a digit.
const SPECIAL_WORDS: &[&str] = &["IPv4", "IPv6"];

/// Keywords that can be used as raw identifiers (`r#type`) in edition 2024:
/// the strict keywords plus the reserved ones.
const RAW_KEYWORDS: &[&str] = &[
    // Strict keywords.
    "as", "async", "await", "break", "const", "continue", "dyn", "else", "enum", "extern", "false",
    "fn", "for", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref",
    "return", "static", "struct", "trait", "true", "type", "unsafe", "use", "where", "while",
    // Reserved keywords.
    "abstract", "become", "box", "do", "final", "gen", "macro", "override", "priv", "try", "typeof",
    "unsized", "virtual", "yield",
];

/// Keywords that are not allowed as raw identifiers; they get a trailing
/// underscore instead.
const NON_RAW_KEYWORDS: &[&str] = &["crate", "self", "Self", "super"];

/// Splits a wire name into words, keeping the original case of each word.
///
/// Any character that is not an ASCII letter or digit separates words and is
/// dropped (non-ASCII letters included). Inside a run of letters and digits a
/// new word starts where a lowercase letter or digit is followed by an
/// uppercase letter (`JobId`, `Md5Sum`), and at the last uppercase letter of an
/// uppercase run that is followed by a lowercase letter (`VPCId`). Digits and
/// lowercase letters following digits stay in the current word (`Sha256`,
/// `3rd`). The acronyms in `SPECIAL_WORDS` (`IPv4`, `IPv6`) are kept whole.
pub fn words(name: &str) -> Vec<String> {
    let mut out = Vec::new();
    for segment in name.split(|c: char| !c.is_ascii_alphanumeric()) {
        split_segment(segment, &mut out);
    }
    out
}

/// Splits a run of ASCII letters and digits into words, appending them to
/// `out`.
fn split_segment(segment: &str, out: &mut Vec<String>) {
    let bytes = segment.as_bytes();
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        if i == start {
            if let Some(special) = special_word_at(segment, i) {
                out.push(special.to_owned());
                i += special.len();
                start = i;
                continue;
            }
            i += 1;
            continue;
        }
        let prev = bytes[i - 1];
        let cur = bytes[i];
        let next = bytes.get(i + 1).copied();
        let boundary = cur.is_ascii_uppercase()
            && ((prev.is_ascii_lowercase() || prev.is_ascii_digit())
                || (prev.is_ascii_uppercase() && next.is_some_and(|n| n.is_ascii_lowercase())));
        if boundary {
            push_word(segment, start, i, out);
            // Re-examine position `i` as the start of a new word so that special
            // acronyms are recognised there.
            start = i;
        } else {
            i += 1;
        }
    }
    push_word(segment, start, bytes.len(), out);
}

/// Returns the special acronym starting at byte `at` of `segment`, if any.
fn special_word_at(segment: &str, at: usize) -> Option<&'static str> {
    let rest = segment.get(at..)?;
    SPECIAL_WORDS.iter().copied().find(|special| {
        rest.starts_with(special)
            && !rest
                .as_bytes()
                .get(special.len())
                .is_some_and(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
    })
}

/// Appends `segment[start..end]` to `out` unless it is empty.
fn push_word(segment: &str, start: usize, end: usize, out: &mut Vec<String>) {
    match segment.get(start..end) {
        Some(word) if !word.is_empty() => out.push(word.to_owned()),
        _ => {}
    }
}

/// Converts a wire name to `snake_case`: its [`words`] lowercased and joined
/// with `_`.
pub fn snake_case(name: &str) -> String {
    words(name)
        .iter()
        .map(|w| w.to_ascii_lowercase())
        .collect::<Vec<_>>()
        .join("_")
}

/// Converts a wire name to `PascalCase`: each of its [`words`] with the first
/// character uppercased and the rest lowercased, joined without separator.
///
/// The result may start with a digit (`3rd` stays `3rd`); callers check it
/// with [`is_valid_identifier`].
pub fn pascal_case(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for word in words(name) {
        let mut chars = word.chars();
        if let Some(first) = chars.next() {
            out.push(first.to_ascii_uppercase());
            out.extend(chars.map(|c| c.to_ascii_lowercase()));
        }
    }
    out
}

/// Whether `name` can be a generated type name: a PascalCase identifier (starting with an
/// uppercase ASCII letter) that is not a keyword.
pub fn is_type_name(name: &str) -> bool {
    is_valid_identifier(name)
        && name.bytes().next().is_some_and(|b| b.is_ascii_uppercase())
        && !is_keyword(name)
}

/// Reports whether `s` is a plain ASCII identifier: non-empty, starting with a
/// letter or `_`, continuing with letters, digits or `_`, and not just `_`.
///
/// Keywords count as valid; [`field_ident`] and [`type_ident`] escape them.
pub fn is_valid_identifier(s: &str) -> bool {
    let mut bytes = s.bytes();
    let Some(first) = bytes.next() else {
        return false;
    };
    s != "_"
        && (first.is_ascii_alphabetic() || first == b'_')
        && bytes.all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

/// Reports whether `s` is a strict or reserved Rust keyword in edition 2024.
///
/// Weak keywords such as `union` or `raw` are usable as identifiers and are
/// not reported.
pub fn is_keyword(s: &str) -> bool {
    RAW_KEYWORDS.contains(&s) || NON_RAW_KEYWORDS.contains(&s)
}

/// Builds the identifier for a field or method name, normally `snake_case`.
///
/// Keywords become raw identifiers (`type` -> `r#type`), except `crate`,
/// `self`, `Self` and `super`, which cannot be raw and get a trailing
/// underscore instead (`self_`).
///
/// Precondition: `is_valid_identifier(snake)`. If it does not hold the
/// function still does not panic: every character other than an ASCII letter,
/// digit or `_` is replaced by `_`, a leading `_` is added to a name that is
/// empty or starts with a digit, and a lone `_` becomes `__`.
pub fn field_ident(snake: &str) -> Ident {
    escaped_ident(snake)
}

/// Builds the identifier for a type or enum variant name, normally
/// `PascalCase`.
///
/// `Self` becomes `Self_`. Other keywords only occur when the name is not
/// actually PascalCase; they are escaped exactly as in [`field_ident`], which
/// also describes the precondition and what happens when it is violated.
pub fn type_ident(pascal: &str) -> Ident {
    escaped_ident(pascal)
}

/// Shared implementation of [`field_ident`] and [`type_ident`].
fn escaped_ident(name: &str) -> Ident {
    let name = sanitize(name);
    let span = Span::call_site();
    if NON_RAW_KEYWORDS.contains(&name.as_ref()) {
        Ident::new(&format!("{name}_"), span)
    } else if RAW_KEYWORDS.contains(&name.as_ref()) {
        Ident::new_raw(&name, span)
    } else {
        Ident::new(&name, span)
    }
}

/// Turns an arbitrary string into one satisfying [`is_valid_identifier`],
/// borrowing it unchanged when it already does.
fn sanitize(name: &str) -> Cow<'_, str> {
    if is_valid_identifier(name) {
        return Cow::Borrowed(name);
    }
    let mut out: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if out.is_empty() || out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert(0, '_');
    }
    if out == "_" {
        out.push('_');
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(name: &str) -> Vec<String> {
        words(name)
    }

    #[test]
    fn words_camel_boundaries() {
        assert_eq!(w("JobId"), ["Job", "Id"]);
        assert_eq!(w("Md5Sum"), ["Md5", "Sum"]);
        assert_eq!(w("jobId"), ["job", "Id"]);
    }

    #[test]
    fn words_uppercase_runs() {
        assert_eq!(w("VPCId"), ["VPC", "Id"]);
        assert_eq!(w("HTTPServer"), ["HTTP", "Server"]);
        assert_eq!(w("VpcID"), ["Vpc", "ID"]);
        assert_eq!(w("ABC"), ["ABC"]);
        assert_eq!(w("A"), ["A"]);
    }

    #[test]
    fn words_digits() {
        assert_eq!(w("Ipv6"), ["Ipv6"]);
        assert_eq!(w("Sha256Sum"), ["Sha256", "Sum"]);
        assert_eq!(w("V2"), ["V2"]);
        assert_eq!(w("3rd"), ["3rd"]);
        assert_eq!(w("X509Cert"), ["X509", "Cert"]);
    }

    #[test]
    fn words_special_acronyms() {
        assert_eq!(w("IPv6Addr"), ["IPv6", "Addr"]);
        assert_eq!(w("SrcIPv6"), ["Src", "IPv6"]);
        assert_eq!(w("IPv6"), ["IPv6"]);
        assert_eq!(w("IPv4"), ["IPv4"]);
        assert_eq!(w("SrcIPv4Addr"), ["Src", "IPv4", "Addr"]);
        assert_eq!(w("Md5IPv6"), ["Md5", "IPv6"]);
    }

    #[test]
    fn words_separators() {
        assert_eq!(w(""), Vec::<String>::new());
        assert_eq!(w("__X__"), ["X"]);
        assert_eq!(
            w("ResourceNotFound.JobNotExist"),
            ["Resource", "Not", "Found", "Job", "Not", "Exist"]
        );
        assert_eq!(w("ap-guangzhou"), ["ap", "guangzhou"]);
        assert_eq!(w("NOT_CHECKED"), ["NOT", "CHECKED"]);
        assert_eq!(w("a b"), ["a", "b"]);
        assert_eq!(w("..--"), Vec::<String>::new());
    }

    #[test]
    fn words_non_ascii_is_separator() {
        assert_eq!(w("JobéId"), ["Job", "Id"]);
        assert_eq!(w("日本語"), Vec::<String>::new());
        assert_eq!(w("Aé"), ["A"]);
        assert_eq!(snake_case("ÄÖÜ"), "");
        assert_eq!(pascal_case("straße"), "StraE");
    }

    #[test]
    fn snake_case_examples() {
        let cases = [
            ("JobId", "job_id"),
            ("SrcInfoMulti", "src_info_multi"),
            ("IPv6Addr", "ipv6_addr"),
            ("VpcID", "vpc_id"),
            ("Md5Sum", "md5_sum"),
            ("RequestId", "request_id"),
            ("DescribeMigrateCheckJob", "describe_migrate_check_job"),
            ("TagFilters", "tag_filters"),
            ("Type", "type"),
            ("ABC", "abc"),
            ("A", "a"),
            ("X509Cert", "x509_cert"),
            ("", ""),
        ];
        for (input, expected) in cases {
            assert_eq!(snake_case(input), expected, "snake_case({input:?})");
        }
    }

    #[test]
    fn pascal_case_examples() {
        let cases = [
            (
                "ResourceNotFound.JobNotExist",
                "ResourceNotFoundJobNotExist",
            ),
            ("unavailable", "Unavailable"),
            ("ap-guangzhou", "ApGuangzhou"),
            (
                "FailedOperation.NotAllowOperation",
                "FailedOperationNotAllowOperation",
            ),
            ("IPv6Addr", "Ipv6Addr"),
            ("VpcID", "VpcId"),
            (
                "RequestLimitExceeded.IPLimitExceeded",
                "RequestLimitExceededIpLimitExceeded",
            ),
            ("NOT_CHECKED", "NotChecked"),
            ("3rd", "3rd"),
            ("", ""),
        ];
        for (input, expected) in cases {
            assert_eq!(pascal_case(input), expected, "pascal_case({input:?})");
        }
    }

    #[test]
    fn valid_identifiers() {
        for s in ["a", "_a", "a1", "job_id", "A_B", "__", "type", "Self"] {
            assert!(is_valid_identifier(s), "{s:?} should be valid");
        }
        for s in ["", "_", "1a", "3rd", "a-b", "a.b", "é", "aé", " a"] {
            assert!(!is_valid_identifier(s), "{s:?} should be invalid");
        }
    }

    #[test]
    fn keywords() {
        for s in [
            "type", "match", "async", "await", "dyn", "try", "gen", "abstract", "become", "box",
            "do", "final", "macro", "override", "priv", "typeof", "unsized", "virtual", "yield",
            "self", "Self", "super", "crate", "extern",
        ] {
            assert!(is_keyword(s), "{s:?} should be a keyword");
        }
        for s in ["union", "raw", "safe", "macro_rules", "Type", "job_id", ""] {
            assert!(!is_keyword(s), "{s:?} should not be a keyword");
        }
    }

    fn field(wire: &str) -> String {
        field_ident(&snake_case(wire)).to_string()
    }

    #[test]
    fn field_idents() {
        assert_eq!(field("JobId"), "job_id");
        assert_eq!(field("Self"), "self_");
        assert_eq!(field("Type"), "r#type");
        assert_eq!(field("Match"), "r#match");
        assert_eq!(field("Async"), "r#async");
        assert_eq!(field("Crate"), "crate_");
        assert_eq!(field("Super"), "super_");
        assert_eq!(field("Gen"), "r#gen");
        assert_eq!(field("Extern"), "r#extern");
        assert_eq!(field("Union"), "union");
        assert_eq!(field_ident("Self").to_string(), "Self_");
    }

    #[test]
    fn type_idents() {
        assert_eq!(type_ident("Self").to_string(), "Self_");
        assert_eq!(
            type_ident(&pascal_case("NOT_CHECKED")).to_string(),
            "NotChecked"
        );
        assert_eq!(type_ident("Type").to_string(), "Type");
        assert_eq!(type_ident("type").to_string(), "r#type");
        assert_eq!(type_ident("self").to_string(), "self_");
    }

    #[test]
    fn idents_do_not_panic_on_invalid_input() {
        assert_eq!(field_ident("").to_string(), "__");
        assert_eq!(field_ident("_").to_string(), "__");
        assert_eq!(field_ident("3rd").to_string(), "_3rd");
        assert_eq!(field_ident("a-b").to_string(), "a_b");
        assert_eq!(field_ident("é").to_string(), "__");
        assert_eq!(type_ident("Ab.C").to_string(), "Ab_C");
    }
}
