//! Temporary credentials kept between calls and fetched again before they expire, shared by the
//! providers that get them from a service (the CVM metadata service, STS).
//!
//! The rules, the same for every such provider:
//!
//! - credentials with more than the refresh margin left are handed out as they are;
//! - only one fetch runs at a time;
//! - once inside the margin, the first caller fetches while the callers arriving during that
//!   fetch go on with the cached credentials, which are still valid;
//! - when such an early refresh fails, a warning is logged and the cached credentials stay in use
//!   until they expire; the refresh is not tried again for [`RETRY_AFTER_FAILURE`];
//! - with nothing usable cached, callers wait for the fetch under way, and when it fails they all
//!   get its error instead of each trying again.

use std::future::Future;
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant, SystemTime};

use super::{CredentialsError, describe_time};
use crate::Credentials;

/// After a failed early refresh, the cached credentials are used this long before trying again.
pub(super) const RETRY_AFTER_FAILURE: Duration = Duration::from_secs(10);

/// How a provider gets new credentials. [`Refreshing`] makes sure that only one call of
/// [`fetch`](Self::fetch) runs at a time.
pub(super) trait Fetch: Send + Sync + 'static {
    /// Gets new, checked credentials with an expiry time, or says why not.
    fn fetch(&self) -> impl Future<Output = Result<Credentials, CredentialsError>> + Send + '_;
}

/// A cache of credentials driving a [`Fetch`] (see the module docs for the rules).
pub(super) struct Refreshing<F> {
    fetcher: F,
    /// What the credentials are, for the warning of a failed refresh ("CVM instance role
    /// credentials").
    what: &'static str,
    refresh_margin: Duration,
    cached: Mutex<Option<Credentials>>,
    /// Held while credentials are fetched; holds the last failure since the last success.
    refresh: tokio::sync::Mutex<Option<Failure>>,
}

struct Failure {
    at: Instant,
    error: CredentialsError,
}

impl<F: Fetch> Refreshing<F> {
    pub(super) fn new(fetcher: F, what: &'static str, refresh_margin: Duration) -> Self {
        Self {
            fetcher,
            what,
            refresh_margin,
            cached: Mutex::new(None),
            refresh: tokio::sync::Mutex::new(None),
        }
    }

    /// The fetcher, for the provider's `Debug`.
    pub(super) fn fetcher(&self) -> &F {
        &self.fetcher
    }

    /// When the cached credentials expire, if any are cached.
    pub(super) fn cached_until(&self) -> Option<SystemTime> {
        self.cached().and_then(|cached| cached.expires_at())
    }

    /// Cached credentials, or new ones.
    pub(super) async fn provide(&self) -> Result<Credentials, CredentialsError> {
        let asked_at = Instant::now();
        if let Some(cached) = self.cached() {
            let now = SystemTime::now();
            if self.is_fresh(&cached, now) {
                return Ok(cached);
            }
            if is_unexpired(&cached, now) {
                return Ok(self.refresh_early(cached).await);
            }
        }
        // Nothing usable is cached: fetch, or wait for the fetch under way.
        let mut last_failure = self.refresh.lock().await;
        if let Some(cached) = self
            .cached()
            .filter(|cached| is_unexpired(cached, SystemTime::now()))
        {
            return Ok(cached);
        }
        if let Some(failure) = last_failure
            .as_ref()
            .filter(|failure| failure.at >= asked_at)
        {
            // The fetch this call waited for failed: report that rather than trying again.
            return Err(failure.error.clone());
        }
        self.refresh(&mut last_failure).await
    }

    /// The cached credentials are due for a refresh but still valid: one caller refreshes while
    /// the others go on with them, and they stay in use if the refresh fails.
    async fn refresh_early(&self, cached: Credentials) -> Credentials {
        let Ok(mut last_failure) = self.refresh.try_lock() else {
            return cached;
        };
        if let Some(newer) = self
            .cached()
            .filter(|newer| self.is_fresh(newer, SystemTime::now()))
        {
            return newer;
        }
        let failed_lately = last_failure
            .as_ref()
            .is_some_and(|failure| failure.at.elapsed() < RETRY_AFTER_FAILURE);
        if failed_lately {
            return cached;
        }
        match self.refresh(&mut last_failure).await {
            Ok(fresh) => fresh,
            Err(error) => {
                let valid_until = cached.expires_at().map(describe_time).unwrap_or_default();
                tracing::warn!(
                    %error,
                    %valid_until,
                    "could not refresh the {}; using the cached ones until they expire",
                    self.what
                );
                cached
            }
        }
    }

    /// Fetches credentials and caches them, or remembers the failure.
    async fn refresh(
        &self,
        last_failure: &mut Option<Failure>,
    ) -> Result<Credentials, CredentialsError> {
        let result = self.fetcher.fetch().await;
        match &result {
            Ok(credentials) => {
                *self.lock_cache() = Some(credentials.clone());
                *last_failure = None;
            }
            Err(error) => {
                *last_failure = Some(Failure {
                    at: Instant::now(),
                    error: error.clone(),
                });
            }
        }
        result
    }

    fn cached(&self) -> Option<Credentials> {
        self.lock_cache().clone()
    }

    fn lock_cache(&self) -> MutexGuard<'_, Option<Credentials>> {
        // The cache is only ever replaced whole, so a panic elsewhere cannot leave it torn.
        self.cached.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// More than the refresh margin is left before the credentials expire.
    fn is_fresh(&self, credentials: &Credentials, now: SystemTime) -> bool {
        match credentials.expires_at() {
            Some(at) => at
                .duration_since(now)
                .is_ok_and(|left| left > self.refresh_margin),
            None => true,
        }
    }
}

fn is_unexpired(credentials: &Credentials, now: SystemTime) -> bool {
    credentials.expires_at().is_none_or(|at| at > now)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    /// Hands out numbered credentials valid for `lifetime`, or fails once `fail_from` calls
    /// were made; counts its calls.
    struct Numbered {
        calls: AtomicUsize,
        lifetime: Duration,
        fail_from: usize,
    }

    impl Fetch for Numbered {
        fn fetch(&self) -> impl Future<Output = Result<Credentials, CredentialsError>> + Send + '_ {
            let n = self.calls.fetch_add(1, Ordering::SeqCst);
            async move {
                tokio::time::sleep(Duration::from_millis(50)).await;
                if n >= self.fail_from {
                    return Err(CredentialsError::unavailable("test service", "is down"));
                }
                Ok(Credentials::new(format!("AKID{n}"), "Zq8-key")
                    .with_token("Zq8-token")
                    .with_expiry(SystemTime::now() + self.lifetime))
            }
        }
    }

    fn cache(lifetime: Duration, margin: Duration, fail_from: usize) -> Arc<Refreshing<Numbered>> {
        let fetcher = Numbered {
            calls: AtomicUsize::new(0),
            lifetime,
            fail_from,
        };
        Arc::new(Refreshing::new(fetcher, "test credentials", margin))
    }

    fn calls(cache: &Refreshing<Numbered>) -> usize {
        cache.fetcher().calls.load(Ordering::SeqCst)
    }

    #[tokio::test]
    async fn fresh_credentials_are_fetched_once() {
        let cache = cache(
            Duration::from_secs(3600),
            Duration::from_secs(60),
            usize::MAX,
        );
        for _ in 0..3 {
            assert_eq!(cache.provide().await.unwrap().secret_id(), "AKID0");
        }
        assert_eq!(calls(&cache), 1);
        assert!(cache.cached_until().is_some());
    }

    #[tokio::test]
    async fn credentials_inside_the_margin_are_refreshed() {
        let cache = cache(Duration::from_secs(30), Duration::from_secs(60), usize::MAX);
        assert_eq!(cache.provide().await.unwrap().secret_id(), "AKID0");
        assert_eq!(cache.provide().await.unwrap().secret_id(), "AKID1");
        assert_eq!(calls(&cache), 2);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn waiters_share_one_fetch_and_one_failure() {
        let cache = cache(Duration::from_secs(3600), Duration::from_secs(60), 0);
        let tasks: Vec<_> = (0..20)
            .map(|_| {
                let cache = Arc::clone(&cache);
                tokio::spawn(async move { cache.provide().await })
            })
            .collect();
        for task in tasks {
            let err = task.await.unwrap().unwrap_err();
            assert_eq!(err.source_name(), "test service");
        }
        assert_eq!(calls(&cache), 1);
        // A later call tries again.
        assert!(cache.provide().await.is_err());
        assert_eq!(calls(&cache), 2);
    }

    #[tokio::test]
    async fn a_failed_early_refresh_keeps_the_cached_credentials_for_a_while() {
        let cache = cache(Duration::from_secs(30), Duration::from_secs(60), 1);
        let first = cache.provide().await.unwrap();
        assert_eq!(cache.provide().await.unwrap(), first);
        assert_eq!(calls(&cache), 2, "a refresh was tried");
        assert_eq!(cache.provide().await.unwrap(), first);
        assert_eq!(calls(&cache), 2, "and not tried again right away");
    }
}
