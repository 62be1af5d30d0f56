//! The default credentials chain end to end: variables from a lookup function (the process
//! environment is never touched), credentials files in temporary directories, and a stand-in
//! metadata service or none at all.

mod credentials_support;

use std::collections::HashMap;
use std::path::Path;
use std::time::{Duration, Instant};

use credentials_support::{MetadataServer, Reply, TempDir, credentials_json, unix_now};
use tencentcloud_sdk::credentials::{
    CredentialsErrorKind, DefaultCredentialsChain, DefaultCredentialsChainBuilder,
    ENV_CREDENTIALS_FILE, ENV_SECRET_ID, ENV_SECRET_KEY, ENV_SESSION_TOKEN, InstanceRoleProvider,
    ProvideCredentials, SharedCredentialsProvider, check_environment,
};

const ROLE: &str = "app-role";
/// Every secret below starts with this, so one search finds any of them.
const SECRET_MARK: &str = "Zq8";

const FILE: &str = "\
# credentials for the tests
[default]
secret_id = AKIDfile
secret_key = Zq8-file-key

[prod]
secret_id = AKIDprod
secret_key = Zq8-prod-key
token = Zq8-prod-token
";

fn lookup(vars: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> + Send + Sync + 'static {
    let vars: HashMap<String, String> = vars
        .iter()
        .map(|(name, value)| ((*name).to_owned(), (*value).to_owned()))
        .collect();
    move |name| vars.get(name).cloned()
}

/// A machine whose home directory is `dir/home`, whose system file would be `dir/etc/credentials`
/// and which is not a CVM instance (nothing listens on port 1).
fn chain(dir: &TempDir, vars: &[(&str, &str)]) -> DefaultCredentialsChainBuilder {
    let home = dir.path().join("home").display().to_string();
    let mut vars = vars.to_vec();
    vars.push(("HOME", &home));
    DefaultCredentialsChain::builder()
        .lookup(lookup(&vars))
        .system_credentials_file(dir.path().join("etc/credentials"))
        .instance_role(unreachable_instance_role())
}

/// Nothing listens on port 1, so the connection is refused at once. The timeouts are long on
/// purpose: an error saying "could not connect" then shows that the chain gave up on the refusal
/// without waiting for any timeout, whereas with short ones a busy machine could let a timeout
/// fire first and change the error.
fn unreachable_instance_role() -> InstanceRoleProvider {
    InstanceRoleProvider::builder()
        .base_url("http://127.0.0.1:1/")
        .connect_timeout(Duration::from_secs(60))
        .request_timeout(Duration::from_secs(60))
        .build()
}

fn home_file(dir: &TempDir) -> String {
    dir.write("home/.tencentcloud/credentials", FILE)
        .display()
        .to_string()
}

fn assert_no_secret(shown: &str) {
    assert!(!shown.contains(SECRET_MARK), "a secret shows in: {shown}");
}

#[tokio::test]
async fn the_environment_comes_before_the_credentials_file() {
    let dir = TempDir::new("chain");
    home_file(&dir);
    let credentials = chain(
        &dir,
        &[
            (ENV_SECRET_ID, "AKIDenv"),
            (ENV_SECRET_KEY, "Zq8-env-key"),
            (ENV_SESSION_TOKEN, "Zq8-env-token"),
        ],
    )
    .build()
    .provide_credentials()
    .await
    .unwrap();
    assert_eq!(credentials.secret_id(), "AKIDenv");
    assert_eq!(credentials.secret_key(), "Zq8-env-key");
    assert_eq!(credentials.token(), Some("Zq8-env-token"));
}

#[tokio::test]
async fn the_home_credentials_file_is_read_when_the_environment_has_nothing() {
    let dir = TempDir::new("chain");
    home_file(&dir);
    dir.write("etc/credentials", &FILE.replace("AKIDfile", "AKIDsystem"));
    let credentials = chain(&dir, &[])
        .build()
        .provide_credentials()
        .await
        .unwrap();
    assert_eq!(credentials.secret_id(), "AKIDfile");
    assert_eq!(credentials.secret_key(), "Zq8-file-key");
    assert_eq!(credentials.token(), None);
}

#[tokio::test]
async fn the_system_credentials_file_is_the_last_file_tried() {
    let dir = TempDir::new("chain");
    dir.write("etc/credentials", &FILE.replace("AKIDfile", "AKIDsystem"));
    let credentials = chain(&dir, &[])
        .build()
        .provide_credentials()
        .await
        .unwrap();
    assert_eq!(credentials.secret_id(), "AKIDsystem");
}

#[tokio::test]
async fn the_profile_is_chosen_by_name() {
    let dir = TempDir::new("chain");
    home_file(&dir);
    let credentials = chain(&dir, &[])
        .profile("prod")
        .build()
        .provide_credentials()
        .await
        .unwrap();
    assert_eq!(credentials.secret_id(), "AKIDprod");
    assert_eq!(credentials.secret_key(), "Zq8-prod-key");
    assert_eq!(credentials.token(), Some("Zq8-prod-token"));
}

#[tokio::test]
async fn the_file_can_be_named_by_variable_or_given_to_the_builder() {
    let dir = TempDir::new("chain");
    home_file(&dir);
    let named = dir.write("named", &FILE.replace("AKIDfile", "AKIDnamed"));
    let named = named.display().to_string();
    let credentials = chain(&dir, &[(ENV_CREDENTIALS_FILE, &named)])
        .build()
        .provide_credentials()
        .await
        .unwrap();
    assert_eq!(credentials.secret_id(), "AKIDnamed");

    let given = dir.write("given", &FILE.replace("AKIDprod", "AKIDgiven"));
    let credentials = chain(&dir, &[(ENV_CREDENTIALS_FILE, &named)])
        .credentials_file(&given)
        .profile("prod")
        .build()
        .provide_credentials()
        .await
        .unwrap();
    assert_eq!(credentials.secret_id(), "AKIDgiven");
}

/// A metadata service that would hand out credentials, to prove that the chain stopped.
async fn working_metadata_service() -> MetadataServer {
    let expired_time = unix_now() + 3600;
    MetadataServer::with_role(ROLE, move |_| {
        Reply::ok(credentials_json(
            "AKIDrole",
            "Zq8-role-key",
            "Zq8-role-token",
            expired_time,
        ))
    })
    .await
}

fn role_at(server: &MetadataServer) -> InstanceRoleProvider {
    InstanceRoleProvider::builder()
        .base_url(&server.base_url)
        .build()
}

#[tokio::test]
async fn a_missing_profile_stops_the_chain_naming_the_profile_and_the_file() {
    let dir = TempDir::new("chain");
    let path = home_file(&dir);
    let server = working_metadata_service().await;
    let err = chain(&dir, &[])
        .profile("staging")
        .instance_role(role_at(&server))
        .build()
        .provide_credentials()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), CredentialsErrorKind::Invalid, "{err}");
    assert_eq!(err.provider(), Some("credentials file"));
    assert_eq!(
        err.to_string(),
        format!(
            "credentials: credentials file: {path} has no profile [staging] \
             (its profiles: default, prod)"
        )
    );
    assert_eq!(server.count(""), 0, "the instance role was not asked");
}

#[tokio::test]
async fn a_profile_without_its_key_stops_the_chain() {
    let dir = TempDir::new("chain");
    let path = dir.write(
        "home/.tencentcloud/credentials",
        "[default]\nsecret_id = AKIDfile\n",
    );
    let server = working_metadata_service().await;
    let err = chain(&dir, &[])
        .instance_role(role_at(&server))
        .build()
        .provide_credentials()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), CredentialsErrorKind::Invalid, "{err}");
    assert_eq!(
        err.to_string(),
        format!(
            "credentials: credentials file: profile [default] of {} has no secret_key",
            path.display()
        )
    );
    assert_eq!(server.count(""), 0);
}

#[tokio::test]
async fn a_half_set_environment_stops_the_chain_before_the_file() {
    let dir = TempDir::new("chain");
    home_file(&dir);
    let err = chain(&dir, &[(ENV_SECRET_ID, "AKIDenv")])
        .build()
        .provide_credentials()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), CredentialsErrorKind::Invalid, "{err}");
    assert_eq!(
        err.to_string(),
        "credentials: environment: TENCENTCLOUD_SECRET_KEY is not set, \
         but TENCENTCLOUD_SECRET_ID is set"
    );
}

#[tokio::test]
async fn stray_newlines_stop_the_chain_without_showing_the_secret() {
    let dir = TempDir::new("chain");
    home_file(&dir);
    let err = chain(
        &dir,
        &[
            (ENV_SECRET_ID, "AKIDenv"),
            (ENV_SECRET_KEY, "Zq8-env-key\n"),
        ],
    )
    .build()
    .provide_credentials()
    .await
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "credentials: environment: TENCENTCLOUD_SECRET_KEY has leading or trailing whitespace \
         (often a newline copied along with it)"
    );
    assert_no_secret(&format!("{err:?}"));

    let dir = TempDir::new("chain");
    let path = dir.write(
        "home/.tencentcloud/credentials",
        "[default]\r\nsecret_id = AKIDfile\r\nsecret_key = Zq8-file-key\r\r\n",
    );
    let err = chain(&dir, &[])
        .build()
        .provide_credentials()
        .await
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        format!(
            "credentials: credentials file: secret_key in profile [default] of {} has leading \
             or trailing whitespace (often a newline copied along with it)",
            path.display()
        )
    );
    assert_no_secret(&format!("{err:?}"));
}

#[tokio::test]
async fn nothing_found_lists_every_source_and_why() {
    let dir = TempDir::new("chain");
    let started = Instant::now();
    let err = chain(&dir, &[])
        .build()
        .provide_credentials()
        .await
        .unwrap_err();
    println!("nothing found after {:?}", started.elapsed());
    assert!(err.is_not_found(), "{err}");

    // The last source gave up because the connection was refused, not because a timeout ran out:
    // finding nothing takes no waiting.
    let home_file = dir.path().join("home/.tencentcloud/credentials");
    let system_file = dir.path().join("etc/credentials");
    let expected_start = format!(
        "no credentials found: \
         environment: TENCENTCLOUD_SECRET_ID is not set; \
         credentials file: {} does not exist, nor does {} (TENCENTCLOUD_CREDENTIALS_FILE is not set); \
         CVM instance role: metadata service unreachable at http://127.0.0.1:1/: could not connect (",
        home_file.display(),
        system_file.display()
    );
    let text = err.to_string();
    assert!(
        text.starts_with(&expected_start),
        "{text}\nexpected: {expected_start}"
    );
    assert!(
        text.ends_with(
            "); TKE OIDC role: TKE_REGION, TKE_PROVIDER_ID, TKE_WEB_IDENTITY_TOKEN_FILE and \
             TKE_ROLE_ARN are not set"
        ),
        "{text}"
    );

    let sources: Vec<_> = err.tried().iter().map(|tried| tried.provider()).collect();
    assert_eq!(
        sources,
        [
            Some("environment"),
            Some("credentials file"),
            Some("CVM instance role"),
            Some("TKE OIDC role")
        ]
    );
    assert!(err.tried().iter().all(|tried| tried.is_not_found()));
    assert_eq!(err.tried()[0].source_name(), ENV_SECRET_ID);
    assert_eq!(
        err.tried()[1].source_name(),
        home_file.display().to_string()
    );
}

#[tokio::test]
async fn the_instance_role_is_the_last_resort() {
    let dir = TempDir::new("chain");
    let server = working_metadata_service().await;
    let chain =
        SharedCredentialsProvider::new(chain(&dir, &[]).instance_role(role_at(&server)).build());
    let credentials = chain.provide_credentials().await.unwrap();
    assert_eq!(credentials.secret_id(), "AKIDrole");
    assert_eq!(credentials.token(), Some("Zq8-role-token"));
    assert!(credentials.expires_at().is_some());

    // The chain's provider caches: another call does not fetch again.
    chain.provide_credentials().await.unwrap();
    assert_eq!(server.count(ROLE), 1);
    assert_no_secret(&format!("{chain:?}"));
}

#[tokio::test]
async fn without_the_instance_role_and_the_web_identity_only_two_sources_are_listed() {
    let dir = TempDir::new("chain");
    let err = chain(&dir, &[])
        .without_instance_role()
        .without_web_identity()
        .build()
        .provide_credentials()
        .await
        .unwrap_err();
    assert_eq!(err.tried().len(), 2, "{err}");
    assert!(!err.to_string().contains("CVM"), "{err}");
    assert!(!err.to_string().contains("TKE"), "{err}");
}

#[test]
fn check_environment_fails_early_on_a_half_set_environment() {
    assert!(check_environment(lookup(&[])).is_ok());
    assert!(
        check_environment(lookup(&[(ENV_SECRET_ID, "AKIDx"), (ENV_SECRET_KEY, "key")])).is_ok()
    );
    let err = check_environment(lookup(&[(ENV_SECRET_KEY, "Zq8-env-key")])).unwrap_err();
    assert_eq!(err.kind(), CredentialsErrorKind::Invalid);
    assert_eq!(err.source_name(), ENV_SECRET_ID);
    let err = check_environment(lookup(&[
        (ENV_SECRET_ID, "AKIDx"),
        (ENV_SECRET_KEY, "Zq8 key"),
    ]))
    .unwrap_err();
    assert_eq!(err.source_name(), ENV_SECRET_KEY);
    assert!(err.to_string().contains("contains whitespace"), "{err}");
    assert_no_secret(&err.to_string());
}

/// Paths in messages are shown as they are (no secrets in them), so a directory name with
/// spaces must survive intact.
#[tokio::test]
async fn paths_with_spaces_are_named_whole() {
    let dir = TempDir::new("chain with spaces");
    let path = dir.write("my creds/file", "[default]\nsecret_id = AKIDx\n");
    let err = chain(&dir, &[])
        .credentials_file(&path)
        .build()
        .provide_credentials()
        .await
        .unwrap_err();
    assert!(
        err.source_name()
            .ends_with(&format!(" of {}", Path::new(&path).display())),
        "{err}"
    );
}
