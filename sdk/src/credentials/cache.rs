//! Keeping what a provider found, so that its sources are not read again for every request.

use std::sync::RwLock;
use std::time::{Duration, SystemTime};

use super::{Credentials, ProvideCredentials, ProvideFuture};

/// Remembers the credentials another provider gave, and asks it again only when they are about to
/// expire.
///
/// Credentials without an expiry (from the environment or a file) are read once; temporary ones
/// are asked for again from [`refresh_margin`](Self::with_refresh_margin) before their expiry,
/// by one caller at a time while the others wait for its result. Failures are not kept: the
/// next request asks again.
///
/// A [`Config`](crate::Config) built without credentials wraps its
/// [`DefaultCredentialsChain`](super::DefaultCredentialsChain) in one, so that the chain does
/// not read the environment and the credentials file before every request.
#[derive(Debug)]
pub struct CachedProvider<P> {
    inner: P,
    cached: RwLock<Option<Credentials>>,
    /// Held while the inner provider is being asked, so only one caller asks.
    refreshing: tokio::sync::Mutex<()>,
    refresh_margin: Duration,
}

impl<P: ProvideCredentials> CachedProvider<P> {
    /// How long before their expiry credentials are asked for again, by default.
    pub const DEFAULT_REFRESH_MARGIN: Duration = Duration::from_secs(5 * 60);

    /// Keeps what `inner` gives.
    pub fn new(inner: P) -> Self {
        Self {
            inner,
            cached: RwLock::new(None),
            refreshing: tokio::sync::Mutex::new(()),
            refresh_margin: Self::DEFAULT_REFRESH_MARGIN,
        }
    }

    /// Sets how long before their expiry credentials are asked for again.
    #[must_use]
    pub fn with_refresh_margin(mut self, margin: Duration) -> Self {
        self.refresh_margin = margin;
        self
    }

    /// The kept credentials, when they are not about to expire.
    fn fresh(&self) -> Option<Credentials> {
        let cached = self
            .cached
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let credentials = cached.as_ref()?;
        let fresh = credentials.expires_at().is_none_or(|at| {
            at.duration_since(SystemTime::now())
                .is_ok_and(|left| left > self.refresh_margin)
        });
        fresh.then(|| credentials.clone())
    }
}

impl<P: ProvideCredentials> ProvideCredentials for CachedProvider<P> {
    fn provide_credentials(&self) -> ProvideFuture<'_> {
        Box::pin(async move {
            if let Some(credentials) = self.fresh() {
                return Ok(credentials);
            }
            let _asking = self.refreshing.lock().await;
            // Another caller may have asked while this one waited.
            if let Some(credentials) = self.fresh() {
                return Ok(credentials);
            }
            let credentials = self.inner.provide_credentials().await?;
            *self
                .cached
                .write()
                .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(credentials.clone());
            Ok(credentials)
        })
    }

    fn name(&self) -> &str {
        self.inner.name()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::credentials::CredentialsError;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    /// Hands out numbered credentials, each valid for `lifetime` (or forever), counting calls.
    #[derive(Debug)]
    struct Counting {
        calls: Arc<AtomicUsize>,
        lifetime: Option<Duration>,
        fail: bool,
    }

    impl ProvideCredentials for Counting {
        fn provide_credentials(&self) -> ProvideFuture<'_> {
            let n = self.calls.fetch_add(1, Ordering::SeqCst);
            let outcome = if self.fail {
                Err(CredentialsError::unavailable("test", "down"))
            } else {
                let credentials = Credentials::new(format!("AKID{n}"), "key");
                Ok(match self.lifetime {
                    Some(lifetime) => credentials.with_expiry(SystemTime::now() + lifetime),
                    None => credentials,
                })
            };
            Box::pin(async move {
                tokio::time::sleep(Duration::from_millis(20)).await;
                outcome
            })
        }
    }

    fn counting(
        lifetime: Option<Duration>,
        fail: bool,
    ) -> (CachedProvider<Counting>, Arc<AtomicUsize>) {
        let calls = Arc::new(AtomicUsize::new(0));
        let provider = CachedProvider::new(Counting {
            calls: Arc::clone(&calls),
            lifetime,
            fail,
        });
        (provider, calls)
    }

    #[tokio::test]
    async fn credentials_without_expiry_are_read_once() {
        let (provider, calls) = counting(None, false);
        for _ in 0..5 {
            let credentials = provider.provide_credentials().await.unwrap();
            assert_eq!(credentials.secret_id(), "AKID0");
        }
        assert_eq!(calls.load(Ordering::SeqCst), 1);
    }

    #[tokio::test]
    async fn concurrent_first_callers_share_one_read() {
        let (provider, calls) = counting(None, false);
        let provider = Arc::new(provider);
        let mut tasks = Vec::new();
        for _ in 0..20 {
            let provider = Arc::clone(&provider);
            tasks.push(tokio::spawn(async move {
                provider
                    .provide_credentials()
                    .await
                    .map(|c| c.secret_id().to_owned())
            }));
        }
        for task in tasks {
            assert_eq!(task.await.unwrap().unwrap(), "AKID0");
        }
        assert_eq!(calls.load(Ordering::SeqCst), 1);
    }

    #[tokio::test]
    async fn credentials_near_their_expiry_are_asked_for_again() {
        let (provider, calls) = counting(Some(Duration::from_secs(60)), false);
        let provider = provider.with_refresh_margin(Duration::from_secs(120));
        let first = provider.provide_credentials().await.unwrap();
        let second = provider.provide_credentials().await.unwrap();
        assert_eq!((first.secret_id(), second.secret_id()), ("AKID0", "AKID1"));

        let (provider, calls_far) = counting(Some(Duration::from_secs(3600)), false);
        provider.provide_credentials().await.unwrap();
        provider.provide_credentials().await.unwrap();
        assert_eq!(calls.load(Ordering::SeqCst), 2);
        assert_eq!(calls_far.load(Ordering::SeqCst), 1);
    }

    #[tokio::test]
    async fn failures_are_not_kept() {
        let (provider, calls) = counting(None, true);
        assert!(provider.provide_credentials().await.is_err());
        assert!(provider.provide_credentials().await.is_err());
        assert_eq!(calls.load(Ordering::SeqCst), 2);
    }
}
