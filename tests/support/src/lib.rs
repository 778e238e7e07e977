//! Helpers for the workspace's tests. The time bounds depend on nothing of the SDK, so that
//! `mm-sdk-core`, and a crate testing a narrow set of `mm-sdk`'s features, can use them
//! without enabling more. Features add the rest: `sandbox` adds [`sandbox`], which makes
//! customers and keys through the SDK, and `server` adds [`server`], small local servers.

#[cfg(feature = "sandbox")]
pub mod sandbox;
#[cfg(feature = "server")]
pub mod server;

use std::future::Future;
use std::time::Duration;

/// How long a test that talks to a server may take before it fails.
pub const TEST_LIMIT: Duration = Duration::from_secs(120);

/// Runs `test` to its end, or fails once it has taken [`TEST_LIMIT`]: no test hangs.
pub async fn bounded<T>(test: impl Future<Output = T>) -> T {
    bounded_for(TEST_LIMIT, test).await
}

/// Runs `test` to its end, or fails once it has taken `limit`.
pub async fn bounded_for<T>(limit: Duration, test: impl Future<Output = T>) -> T {
    match tokio::time::timeout(limit, test).await {
        Ok(output) => output,
        Err(_) => panic!("the test did not finish within {limit:?}"),
    }
}
