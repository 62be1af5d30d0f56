//! Credentials from the INI credentials file.

use std::fmt;
use std::io::ErrorKind;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::{
    CredentialsError, ENV_CREDENTIALS_FILE, Lookup, ProvideCredentials, ProvideFuture, check_value,
    process_environment,
};
use crate::Credentials;

/// The profile read when none is chosen.
const DEFAULT_PROFILE: &str = "default";
/// The file read when neither `TENCENTCLOUD_CREDENTIALS_FILE` nor the one in the home
/// directory exists.
const SYSTEM_FILE: &str = "/etc/tencentcloud/credentials";

/// Credentials from an INI file such as:
///
/// ```ini
/// # ~/.tencentcloud/credentials
/// [default]
/// secret_id = AKID...
/// secret_key = ...
///
/// [prod]
/// secret_id = AKID...
/// secret_key = ...
/// token = ...        ; optional: the session token of temporary credentials
/// ```
///
/// The file is the one given to the builder, else the one named by
/// `TENCENTCLOUD_CREDENTIALS_FILE`, else `~/.tencentcloud/credentials` if it exists, else
/// `/etc/tencentcloud/credentials`. It is read each time credentials are asked for, so edits are
/// picked up.
///
/// Lines starting with `#` or `;` are comments. Spaces and tabs around keys and values are
/// ignored, as are a pair of quotes around a value, a byte-order mark and `\r\n` line ends; key
/// names are case-insensitive and unknown keys are ignored. Any other whitespace or control
/// character left in a value (a stray `\r`, a space inside a key) makes the credentials invalid.
///
/// Not found when none of the default files exists. Invalid when a file given explicitly (to the
/// builder or by `TENCENTCLOUD_CREDENTIALS_FILE`) does not exist, and when the file cannot be
/// read, is malformed, lacks the profile or a key of it: the message names the file, the profile,
/// the key or the line, never a value.
#[derive(Clone)]
pub struct ProfileFileProvider {
    path: Option<PathBuf>,
    profile: String,
    lookup: Lookup,
    custom_lookup: bool,
    system_path: PathBuf,
}

impl ProfileFileProvider {
    /// The `[default]` profile of the default file.
    pub fn new() -> Self {
        Self::builder().build()
    }

    /// Starts choosing the file and the profile.
    pub fn builder() -> ProfileFileProviderBuilder {
        ProfileFileProviderBuilder::default()
    }

    /// The `region` the profile gives, if the file exists, has the profile and the profile sets
    /// one. [`ConfigBuilder`](crate::ConfigBuilder) asks for it when it is given no region.
    pub fn region(&self) -> Result<Option<String>, CredentialsError> {
        Ok(self.region_and_place()?.map(|(region, _)| region))
    }

    /// The region and where it was found (`profile [default] of /root/.tencentcloud/credentials`).
    pub(crate) fn region_and_place(&self) -> Result<Option<(String, String)>, CredentialsError> {
        let (path, text) = match self.find() {
            Ok(found) => found,
            Err(err) if err.is_not_found() => return Ok(None),
            Err(err) => return Err(err),
        };
        let sections = parse(&text).map_err(|err| {
            CredentialsError::invalid(path.display().to_string(), err.to_string())
        })?;
        let region = sections
            .iter()
            .filter(|section| section.name == self.profile)
            .flat_map(|section| &section.entries)
            .find(|entry| entry.key.eq_ignore_ascii_case("region"))
            .map(|entry| entry.value)
            .filter(|region| !region.is_empty());
        Ok(region.map(|region| {
            let place = format!("profile [{}] of {}", self.profile, path.display());
            (region.to_owned(), place)
        }))
    }

    fn load(&self) -> Result<Credentials, CredentialsError> {
        let (path, text) = self.find()?;
        let sections = parse(&text).map_err(|err| {
            CredentialsError::invalid(path.display().to_string(), err.to_string())
        })?;
        credentials_from(&sections, &self.profile, &path)
    }

    /// Picks the file and reads it.
    fn find(&self) -> Result<(PathBuf, String), CredentialsError> {
        if let Some(path) = &self.path {
            return read_chosen(path, "was given as the credentials file");
        }
        if let Some(path) = (self.lookup)(ENV_CREDENTIALS_FILE).filter(|path| !path.is_empty()) {
            return read_chosen(
                Path::new(&path),
                &format!("is named by {ENV_CREDENTIALS_FILE}"),
            );
        }
        let home_file =
            home_dir(&*self.lookup).map(|home| home.join(".tencentcloud").join("credentials"));
        for path in home_file.iter().chain([&self.system_path]) {
            if let Some(text) = read(path)? {
                return Ok((path.clone(), text));
            }
        }
        let system = self.system_path.display();
        Err(match home_file {
            Some(home_file) => CredentialsError::not_found(
                home_file.display().to_string(),
                format!("does not exist, nor does {system} ({ENV_CREDENTIALS_FILE} is not set)"),
            ),
            None => CredentialsError::not_found(
                system.to_string(),
                format!("does not exist (HOME is not set, nor is {ENV_CREDENTIALS_FILE})"),
            ),
        })
    }
}

impl Default for ProfileFileProvider {
    fn default() -> Self {
        Self::new()
    }
}

impl fmt::Debug for ProfileFileProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ProfileFileProvider")
            .field("path", &self.path)
            .field("profile", &self.profile)
            .field("custom_lookup", &self.custom_lookup)
            .field("system_path", &self.system_path)
            .finish()
    }
}

impl ProvideCredentials for ProfileFileProvider {
    fn provide_credentials(&self) -> ProvideFuture<'_> {
        Box::pin(std::future::ready(self.load()))
    }

    fn name(&self) -> &str {
        "credentials file"
    }
}

/// Chooses the file and the profile of a [`ProfileFileProvider`].
#[derive(Clone, Default)]
pub struct ProfileFileProviderBuilder {
    path: Option<PathBuf>,
    profile: Option<String>,
    lookup: Option<Lookup>,
    system_path: Option<PathBuf>,
}

impl ProfileFileProviderBuilder {
    /// Reads this file instead of looking for one; it must exist.
    pub fn path(mut self, path: impl Into<PathBuf>) -> Self {
        self.path = Some(path.into());
        self
    }

    /// Reads the section `[name]` instead of `[default]`.
    pub fn profile(mut self, name: impl Into<String>) -> Self {
        self.profile = Some(name.into());
        self
    }

    /// Looks up `TENCENTCLOUD_CREDENTIALS_FILE` and `HOME` with `lookup` instead of in the
    /// process environment (for tests).
    pub fn lookup(self, lookup: impl Fn(&str) -> Option<String> + Send + Sync + 'static) -> Self {
        self.shared_lookup(Arc::new(lookup))
    }

    pub(super) fn shared_lookup(mut self, lookup: Lookup) -> Self {
        self.lookup = Some(lookup);
        self
    }

    /// The last file tried, `/etc/tencentcloud/credentials` unless changed here (for tests and
    /// unusual installations).
    pub fn system_path(mut self, path: impl Into<PathBuf>) -> Self {
        self.system_path = Some(path.into());
        self
    }

    /// Makes the provider.
    pub fn build(self) -> ProfileFileProvider {
        ProfileFileProvider {
            path: self.path,
            profile: self.profile.unwrap_or_else(|| DEFAULT_PROFILE.to_owned()),
            custom_lookup: self.lookup.is_some(),
            lookup: self.lookup.unwrap_or_else(process_environment),
            system_path: self
                .system_path
                .unwrap_or_else(|| PathBuf::from(SYSTEM_FILE)),
        }
    }
}

impl fmt::Debug for ProfileFileProviderBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ProfileFileProviderBuilder")
            .field("path", &self.path)
            .field("profile", &self.profile)
            .field("custom_lookup", &self.lookup.is_some())
            .field("system_path", &self.system_path)
            .finish()
    }
}

fn home_dir(lookup: &dyn Fn(&str) -> Option<String>) -> Option<PathBuf> {
    ["HOME", "USERPROFILE"]
        .into_iter()
        .find_map(|name| lookup(name).filter(|home| !home.is_empty()))
        .map(PathBuf::from)
}

/// Reads a file that was asked for by name: its absence is a configuration mistake.
fn read_chosen(path: &Path, why: &str) -> Result<(PathBuf, String), CredentialsError> {
    match read(path)? {
        Some(text) => Ok((path.to_owned(), text)),
        None => Err(CredentialsError::invalid(
            path.display().to_string(),
            format!("does not exist, but {why}"),
        )),
    }
}

/// The text of the file, or `None` when it does not exist.
fn read(path: &Path) -> Result<Option<String>, CredentialsError> {
    match std::fs::read(path) {
        Ok(bytes) => {
            warn_if_shared(path);
            String::from_utf8(bytes).map(Some).map_err(|_| {
                CredentialsError::invalid(path.display().to_string(), "is not UTF-8 text")
            })
        }
        Err(err) if matches!(err.kind(), ErrorKind::NotFound | ErrorKind::NotADirectory) => {
            Ok(None)
        }
        Err(err) => Err(CredentialsError::invalid(
            path.display().to_string(),
            format!("could not be read ({err})"),
        )),
    }
}

/// Logs a warning, once per file and process, when a credentials file can be read or written by
/// its group or by others, as ssh does for a private key: the file holds secret keys.
fn warn_if_shared(path: &Path) {
    #[cfg(unix)]
    {
        use std::collections::HashSet;
        use std::os::unix::fs::PermissionsExt;
        use std::sync::{Mutex, OnceLock, PoisonError};

        static WARNED: OnceLock<Mutex<HashSet<PathBuf>>> = OnceLock::new();
        let Ok(metadata) = std::fs::metadata(path) else {
            return;
        };
        let mode = metadata.permissions().mode() & 0o777;
        if mode & 0o077 == 0 {
            return;
        }
        let first_time = WARNED
            .get_or_init(Mutex::default)
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(path.to_owned());
        if first_time {
            tracing::warn!(
                file = %path.display(),
                mode = format_args!("{mode:03o}"),
                "the credentials file can be read by others than its owner; \
                 restrict it with `chmod 600`"
            );
        }
    }
    #[cfg(not(unix))]
    let _ = path;
}

/// A `[name]` section and its `key = value` lines, in file order.
#[derive(Debug)]
struct Section<'a> {
    name: &'a str,
    entries: Vec<Entry<'a>>,
}

#[derive(Debug)]
struct Entry<'a> {
    key: &'a str,
    value: &'a str,
    /// 1-based, for error messages.
    line: usize,
}

/// A line the parser does not understand. Holds its number, never its text (it may hold a
/// secret).
#[derive(Debug, PartialEq, Eq)]
struct SyntaxError {
    line: usize,
    problem: &'static str,
}

impl fmt::Display for SyntaxError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {} {}", self.line, self.problem)
    }
}

/// Splits the file into sections; see [`ProfileFileProvider`] for the rules.
fn parse(text: &str) -> Result<Vec<Section<'_>>, SyntaxError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut sections: Vec<Section<'_>> = Vec::new();
    for (index, line) in text.split('\n').enumerate() {
        let number = index + 1;
        let error = |problem| SyntaxError {
            line: number,
            problem,
        };
        let line = line.strip_suffix('\r').unwrap_or(line);
        let content = line.trim();
        if content.is_empty() || is_comment(content) {
            continue;
        }
        if let Some(header) = content.strip_prefix('[') {
            let Some((name, rest)) = header.split_once(']') else {
                return Err(error("opens a [section] header without closing it"));
            };
            let rest = rest.trim();
            if !rest.is_empty() && !is_comment(rest) {
                return Err(error("has text after its [section] header"));
            }
            let name = name.trim();
            if name.is_empty() {
                return Err(error("has a [section] header without a name"));
            }
            sections.push(Section {
                name,
                entries: Vec::new(),
            });
            continue;
        }
        let Some((key, value)) = line.split_once('=') else {
            return Err(error(
                "is not a [section] header, a key = value line or a comment",
            ));
        };
        let key = key.trim();
        if key.is_empty() {
            return Err(error("has no key before its '='"));
        }
        let Some(section) = sections.last_mut() else {
            return Err(error("has a key = value line before any [section] header"));
        };
        section.entries.push(Entry {
            key,
            value: unquote(value.trim_matches([' ', '\t'])),
            line: number,
        });
    }
    Ok(sections)
}

fn is_comment(content: &str) -> bool {
    content.starts_with(['#', ';'])
}

/// Removes one pair of matching quotes around a value.
fn unquote(value: &str) -> &str {
    ['"', '\'']
        .into_iter()
        .find_map(|quote| value.strip_prefix(quote)?.strip_suffix(quote))
        .unwrap_or(value)
}

/// The credentials of one profile, checked.
fn credentials_from(
    sections: &[Section<'_>],
    profile: &str,
    path: &Path,
) -> Result<Credentials, CredentialsError> {
    let file = path.display();
    if !sections.iter().any(|section| section.name == profile) {
        let mut names: Vec<&str> = Vec::new();
        for section in sections {
            if !names.contains(&section.name) {
                names.push(section.name);
            }
        }
        let found = if names.is_empty() {
            "it has no profiles".to_owned()
        } else {
            format!("its profiles: {}", names.join(", "))
        };
        return Err(CredentialsError::invalid(
            file.to_string(),
            format!("has no profile [{profile}] ({found})"),
        ));
    }
    let place = format!("profile [{profile}] of {file}");
    let value = |key: &str| -> Result<Option<&str>, CredentialsError> {
        let mut entries = sections
            .iter()
            .filter(|section| section.name == profile)
            .flat_map(|section| &section.entries)
            .filter(|entry| entry.key.eq_ignore_ascii_case(key));
        match (entries.next(), entries.next()) {
            (Some(first), Some(second)) => Err(CredentialsError::invalid(
                place.clone(),
                format!(
                    "sets {key} twice (lines {} and {})",
                    first.line, second.line
                ),
            )),
            (first, _) => Ok(first.map(|entry| entry.value)),
        }
    };
    let required = |key: &str| -> Result<&str, CredentialsError> {
        let found = value(key)?
            .ok_or_else(|| CredentialsError::invalid(place.clone(), format!("has no {key}")))?;
        check_value(format!("{key} in {place}"), found)?;
        Ok(found)
    };
    let mut credentials = Credentials::new(required("secret_id")?, required("secret_key")?);
    if let Some(token) = value("token")?.filter(|token| !token.is_empty()) {
        check_value(format!("token in {place}"), token)?;
        credentials = credentials.with_token(token);
    }
    Ok(credentials)
}

#[cfg(test)]
mod tests {
    use super::super::tests::lookup;
    use super::*;
    use crate::credentials::CredentialsErrorKind;
    use std::sync::atomic::{AtomicUsize, Ordering};

    const SECRET: &str = "Zq8-secret-key";

    fn from_text(text: &str, profile: &str) -> Result<Credentials, CredentialsError> {
        let sections =
            parse(text).map_err(|err| CredentialsError::invalid("file", err.to_string()))?;
        credentials_from(&sections, profile, Path::new("/cfg/credentials"))
    }

    fn assert_invalid_without_secret(err: &CredentialsError, expected: &str) {
        let shown = format!("{err} {err:?}");
        assert_eq!(err.kind(), CredentialsErrorKind::Invalid, "{shown}");
        assert!(shown.contains(expected), "{shown} lacks {expected}");
        assert!(!shown.contains(SECRET), "{shown}");
        assert!(!shown.contains("Zq8"), "{shown}");
    }

    #[test]
    fn reads_profiles_with_comments_spacing_and_quotes() {
        let text = "\u{feff}# written by hand\r\n\
                    ; another comment\r\n\
                    \r\n\
                    [default]\r\n\
                    secret_id = AKIDdefault\r\n\
                    \tsecret_key\t=\tdefault-key  \r\n\
                    region = ap-guangzhou\r\n\
                    \r\n\
                    [ prod ]   # the live account\n\
                    SECRET_ID=\"AKIDprod\"\n\
                    Secret_Key='prod-key'\n\
                    token = prod-token\n";
        let default = from_text(text, "default").unwrap();
        assert_eq!(default.secret_id(), "AKIDdefault");
        assert_eq!(default.secret_key(), "default-key");
        assert_eq!(default.token(), None);

        let prod = from_text(text, "prod").unwrap();
        assert_eq!(prod.secret_id(), "AKIDprod");
        assert_eq!(prod.secret_key(), "prod-key");
        assert_eq!(prod.token(), Some("prod-token"));
    }

    #[test]
    fn repeated_sections_merge_and_empty_token_is_none() {
        let text = "[default]\nsecret_id = AKIDa\n[other]\nsecret_id = AKIDb\n[default]\nsecret_key = k\ntoken =\n";
        let credentials = from_text(text, "default").unwrap();
        assert_eq!(credentials.secret_id(), "AKIDa");
        assert_eq!(credentials.secret_key(), "k");
        assert_eq!(credentials.token(), None);
    }

    #[test]
    fn missing_profile_names_it_the_file_and_the_profiles_there() {
        let text = "[default]\nsecret_id = AKIDa\nsecret_key = k\n[dev]\n";
        let err = from_text(text, "prod").unwrap_err();
        assert_invalid_without_secret(
            &err,
            "/cfg/credentials has no profile [prod] (its profiles: default, dev)",
        );
        let err = from_text("# nothing yet\n", "default").unwrap_err();
        assert_invalid_without_secret(&err, "has no profile [default] (it has no profiles)");
    }

    #[test]
    fn missing_empty_or_repeated_keys_are_named() {
        let err = from_text(&format!("[default]\nsecret_key = {SECRET}\n"), "default").unwrap_err();
        assert_invalid_without_secret(
            &err,
            "profile [default] of /cfg/credentials has no secret_id",
        );

        let err = from_text("[default]\nsecret_id = AKIDa\n", "default").unwrap_err();
        assert_invalid_without_secret(&err, "has no secret_key");

        let err =
            from_text("[default]\nsecret_id = AKIDa\nsecret_key =   \n", "default").unwrap_err();
        assert_invalid_without_secret(
            &err,
            "secret_key in profile [default] of /cfg/credentials is empty",
        );

        let text = format!(
            "[default]\nsecret_id = AKIDa\nsecret_key = {SECRET}\n\nsecret_key = {SECRET}x\n"
        );
        let err = from_text(&text, "default").unwrap_err();
        assert_invalid_without_secret(&err, "sets secret_key twice (lines 3 and 5)");
    }

    #[test]
    fn stray_carriage_returns_and_inner_whitespace_are_refused() {
        let cases = [
            (
                format!("[default]\nsecret_id = AKIDa\nsecret_key = {SECRET}\r\r\n"),
                "has leading or trailing whitespace",
            ),
            (
                format!("[default]\nsecret_id = AKIDa\nsecret_key = {SECRET}\u{a0}\n"),
                "has leading or trailing whitespace",
            ),
            (
                format!("[default]\nsecret_id = AKIDa\nsecret_key = Zq8 {SECRET}\n"),
                "contains whitespace",
            ),
            (
                format!("[default]\nsecret_id = AKIDa\nsecret_key = {SECRET}\rZq8\n"),
                "contains whitespace",
            ),
            (
                format!("[default]\nsecret_id = AKIDa\nsecret_key = {SECRET} # old one\n"),
                "contains whitespace",
            ),
            (
                format!("[default]\nsecret_id = AKIDa\nsecret_key = {SECRET}\ntoken = Zq8\u{0}\n"),
                "token in profile [default]",
            ),
        ];
        for (text, expected) in cases {
            let err = from_text(&text, "default").unwrap_err();
            assert_invalid_without_secret(&err, expected);
        }
    }

    #[test]
    fn syntax_errors_give_the_line_never_its_text() {
        let cases = [
            (
                format!("[default]\nsecret_id = AKIDa\n{SECRET}\n"),
                3,
                "is not a [section] header",
            ),
            (
                format!("secret_key = {SECRET}\n[default]\n"),
                1,
                "before any [section] header",
            ),
            ("[default\n".to_owned(), 1, "without closing it"),
            ("[]\n".to_owned(), 1, "without a name"),
            (
                "[default] secret\n".to_owned(),
                1,
                "text after its [section] header",
            ),
            (
                format!("[default]\n = {SECRET}\n"),
                2,
                "no key before its '='",
            ),
        ];
        for (text, line, problem) in cases {
            let err = parse(&text).unwrap_err();
            assert_eq!(err.line, line, "{text:?}");
            assert!(err.problem.contains(problem), "{err}");
            assert!(!err.to_string().contains("Zq8"), "{err}");
        }
    }

    /// A fresh directory under the system's temporary directory, removed when dropped.
    struct TempDir(PathBuf);

    impl TempDir {
        fn new() -> Self {
            static NEXT: AtomicUsize = AtomicUsize::new(0);
            let path = std::env::temp_dir().join(format!(
                "tencentcloud-sdk-profile-unit-{}-{}",
                std::process::id(),
                NEXT.fetch_add(1, Ordering::Relaxed)
            ));
            std::fs::create_dir_all(&path).unwrap();
            Self(path)
        }

        fn write(&self, name: &str, contents: impl AsRef<[u8]>) -> PathBuf {
            let path = self.0.join(name);
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent).unwrap();
            }
            std::fs::write(&path, contents).unwrap();
            path
        }
    }

    impl Drop for TempDir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    const GOOD: &str = "[default]\nsecret_id = AKIDfile\nsecret_key = file-key\n[prod]\nsecret_id = AKIDprod\nsecret_key = prod-key\n";

    #[tokio::test]
    async fn finds_the_file_in_order() {
        let dir = TempDir::new();
        let home = dir.0.join("home");
        let system = dir.write("etc/credentials", GOOD.replace("AKIDfile", "AKIDsystem"));
        let home_str = home.display().to_string();
        let provider = |vars: &[(&str, &str)]| {
            ProfileFileProvider::builder()
                .lookup(lookup(vars))
                .system_path(&system)
                .build()
        };

        // Only the system file exists.
        let found = provider(&[("HOME", &home_str)])
            .provide_credentials()
            .await
            .unwrap();
        assert_eq!(found.secret_id(), "AKIDsystem");

        // The home file wins over it.
        dir.write("home/.tencentcloud/credentials", GOOD);
        let found = provider(&[("HOME", &home_str)])
            .provide_credentials()
            .await
            .unwrap();
        assert_eq!(found.secret_id(), "AKIDfile");

        // TENCENTCLOUD_CREDENTIALS_FILE wins over both.
        let named = dir.write("named", GOOD.replace("AKIDfile", "AKIDnamed"));
        let named_str = named.display().to_string();
        let found = provider(&[("HOME", &home_str), (ENV_CREDENTIALS_FILE, &named_str)])
            .provide_credentials()
            .await
            .unwrap();
        assert_eq!(found.secret_id(), "AKIDnamed");

        // An explicit path wins over everything, and the profile is chosen.
        let explicit = dir.write("explicit", GOOD.replace("AKIDprod", "AKIDexplicit"));
        let found = ProfileFileProvider::builder()
            .lookup(lookup(&[
                ("HOME", &home_str),
                (ENV_CREDENTIALS_FILE, &named_str),
            ]))
            .path(&explicit)
            .profile("prod")
            .build()
            .provide_credentials()
            .await
            .unwrap();
        assert_eq!(found.secret_id(), "AKIDexplicit");
    }

    #[tokio::test]
    async fn absent_default_files_are_not_found_but_absent_chosen_files_are_invalid() {
        let dir = TempDir::new();
        let home = dir.0.join("home");
        let system = dir.0.join("etc/credentials");
        let home_str = home.display().to_string();
        let builder = || ProfileFileProvider::builder().system_path(&system);

        let err = builder()
            .lookup(lookup(&[("HOME", &home_str)]))
            .build()
            .provide_credentials()
            .await
            .unwrap_err();
        assert!(err.is_not_found(), "{err}");
        let expected = format!(
            "{} does not exist, nor does {} (TENCENTCLOUD_CREDENTIALS_FILE is not set)",
            home.join(".tencentcloud/credentials").display(),
            system.display()
        );
        assert_eq!(err.to_string(), format!("credentials: {expected}"));

        let err = builder()
            .lookup(lookup(&[]))
            .build()
            .provide_credentials()
            .await
            .unwrap_err();
        assert!(err.is_not_found(), "{err}");
        assert!(err.to_string().contains("HOME is not set"), "{err}");

        let missing = dir.0.join("missing").display().to_string();
        let err = builder()
            .lookup(lookup(&[
                ("HOME", &home_str),
                (ENV_CREDENTIALS_FILE, &missing),
            ]))
            .build()
            .provide_credentials()
            .await
            .unwrap_err();
        assert_eq!(err.kind(), CredentialsErrorKind::Invalid, "{err}");
        assert!(
            err.to_string()
                .contains("is named by TENCENTCLOUD_CREDENTIALS_FILE"),
            "{err}"
        );

        let err = builder()
            .lookup(lookup(&[]))
            .path(&missing)
            .build()
            .provide_credentials()
            .await
            .unwrap_err();
        assert_eq!(err.kind(), CredentialsErrorKind::Invalid, "{err}");
        assert!(
            err.to_string()
                .contains("was given as the credentials file"),
            "{err}"
        );
    }

    #[tokio::test]
    async fn unreadable_or_binary_files_are_invalid() {
        let dir = TempDir::new();
        let binary = dir.write("binary", b"[default]\nsecret_key = \xff\xfe\n");
        let err = ProfileFileProvider::builder()
            .path(&binary)
            .build()
            .provide_credentials()
            .await
            .unwrap_err();
        assert_eq!(err.kind(), CredentialsErrorKind::Invalid);
        assert!(err.to_string().ends_with("is not UTF-8 text"), "{err}");

        let err = ProfileFileProvider::builder()
            .path(&dir.0)
            .build()
            .provide_credentials()
            .await
            .unwrap_err();
        assert_eq!(err.kind(), CredentialsErrorKind::Invalid);
        assert!(err.to_string().contains("could not be read"), "{err}");

        let broken = dir.write("broken", format!("[default]\n{SECRET}\n"));
        let err = ProfileFileProvider::builder()
            .path(&broken)
            .build()
            .provide_credentials()
            .await
            .unwrap_err();
        assert_invalid_without_secret(&err, "line 2 is not a [section] header");
        assert!(
            err.to_string().contains(&broken.display().to_string()),
            "{err}"
        );
    }
}
