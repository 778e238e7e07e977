//! Keeping an Auth2 token pair fresh under concurrent use.

use std::fmt;
use std::time::Duration;

use tokio::sync::Mutex;
use tokio::time::Instant;

use super::Tokens;
use mm_sdk_core::AccessToken;
use mm_sdk_core::Error;

/// Hands out a valid access token to any number of concurrent tasks, renewing the pair before
/// it gets old, with at most one refresh in flight: tasks that need a token while a refresh
/// runs wait for it and get the new token.
///
/// Upstream documents no token lifetime, so the holder renews the pair once it is older than
/// `refresh_after` (pick it below the lifetime your operator tells you), and on demand with
/// [`TokenHolder::refresh_rejected`] when the API refuses a token.
pub struct TokenHolder {
    mm: crate::MultiMarkets,
    refresh_after: Duration,
    state: Mutex<State>,
}

struct State {
    tokens: Tokens,
    obtained: Instant,
}

impl TokenHolder {
    /// Holds `tokens`, obtained just now, renewing them once older than `refresh_after`.
    pub fn new(mm: crate::MultiMarkets, tokens: Tokens, refresh_after: Duration) -> Self {
        Self {
            mm,
            refresh_after,
            state: Mutex::new(State {
                tokens,
                obtained: Instant::now(),
            }),
        }
    }

    /// A current access token, renewing the pair first if it is due.
    pub async fn access_token(&self) -> Result<AccessToken, Error> {
        let mut state = self.state.lock().await;
        if state.obtained.elapsed() >= self.refresh_after {
            self.refresh(&mut state).await?;
        }
        Ok(state.tokens.access.clone())
    }

    /// Renews the pair because the API refused `rejected`, unless another task already
    /// renewed it since; returns the token to use now.
    pub async fn refresh_rejected(&self, rejected: &AccessToken) -> Result<AccessToken, Error> {
        let mut state = self.state.lock().await;
        if state.tokens.access == *rejected {
            self.refresh(&mut state).await?;
        }
        Ok(state.tokens.access.clone())
    }

    /// The pair held now, e.g. to persist it.
    pub async fn tokens(&self) -> Tokens {
        self.state.lock().await.tokens.clone()
    }

    // Runs with the lock held: this is what keeps refreshes to one at a time.
    async fn refresh(&self, state: &mut State) -> Result<(), Error> {
        let tokens = self.mm.auth2_login().refresh(&state.tokens).await?;
        tracing::debug!("auth2 tokens renewed");
        state.tokens = tokens;
        state.obtained = Instant::now();
        Ok(())
    }
}

impl fmt::Debug for TokenHolder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenHolder")
            .field("refresh_after", &self.refresh_after)
            .finish_non_exhaustive()
    }
}
