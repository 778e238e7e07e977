//! The Client API gateway's `idempotency-key`, as upstream's "Global Unified Request Header"
//! documents it: the answer to a key is kept for 24 hours and given again to a request with
//! the same key, operation and company, without running the operation again; a request whose
//! key is still being answered is refused with `GGATEWAY_CODE_018` ("request frequency too
//! fast"), which the SDK retries.

use std::collections::HashMap;
use std::sync::Mutex;

use serde_json::Value;

use crate::envelope::Failure;

/// How long an answer is kept: upstream's 24 hours, on the sandbox's clock.
const KEPT_MS: i64 = 24 * 60 * 60 * 1000;

/// The kept answers, by company, path and key.
#[derive(Debug, Default)]
pub(crate) struct Replays {
    entries: Mutex<HashMap<(String, String, String), Entry>>,
}

#[derive(Debug, Clone)]
enum Entry {
    /// A request with this key is being answered.
    Pending,
    /// Its answer, and when it was given (ms on the sandbox's clock).
    Answered {
        answer: Result<Value, Failure>,
        at_ms: i64,
    },
}

/// What to do with a request that carries a key.
pub(crate) enum Claim {
    /// The first with this key: answer it, then [`Replays::keep`] the answer.
    First,
    /// A repeat: this is the first request's answer (or the "too fast" refusal).
    Repeat(Result<Value, Failure>),
}

impl Replays {
    /// Claims `key` for `path` of `company` at `now_ms`.
    pub(crate) fn claim(&self, company: &str, path: &str, key: &str, now_ms: i64) -> Claim {
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        entries.retain(|_, entry| match entry {
            Entry::Pending => true,
            Entry::Answered { at_ms, .. } => now_ms - *at_ms < KEPT_MS,
        });
        let id = (company.to_owned(), path.to_owned(), key.to_owned());
        match entries.get(&id) {
            Some(Entry::Pending) => Claim::Repeat(Err(Failure::too_fast())),
            Some(Entry::Answered { answer, .. }) => Claim::Repeat(answer.clone()),
            None => {
                entries.insert(id, Entry::Pending);
                Claim::First
            }
        }
    }

    /// Keeps the answer to the first request with `key`.
    pub(crate) fn keep(
        &self,
        company: &str,
        path: &str,
        key: &str,
        answer: &Result<Value, Failure>,
        now_ms: i64,
    ) {
        let id = (company.to_owned(), path.to_owned(), key.to_owned());
        let entry = Entry::Answered {
            answer: answer.clone(),
            at_ms: now_ms,
        };
        self.entries
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(id, entry);
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn a_repeat_gets_the_first_answer_until_it_expires() {
        let replays = Replays::default();
        let path = "/api/global/x";
        assert!(matches!(replays.claim("1", path, "k", 0), Claim::First));
        // While the first is being answered.
        assert!(matches!(
            replays.claim("1", path, "k", 1),
            Claim::Repeat(Err(failure)) if failure.code == "GATEWAY_CODE_018"
        ));
        replays.keep("1", path, "k", &Ok(json!({"orderId": 7})), 2);
        assert!(matches!(
            replays.claim("1", path, "k", 3),
            Claim::Repeat(Ok(answer)) if answer == json!({"orderId": 7})
        ));
        // Another key, path or company is another request.
        assert!(matches!(replays.claim("1", path, "k2", 3), Claim::First));
        assert!(matches!(replays.claim("1", "/api/y", "k", 3), Claim::First));
        assert!(matches!(replays.claim("2", path, "k", 3), Claim::First));
        // After 24 hours the key is forgotten.
        assert!(matches!(
            replays.claim("1", path, "k", 2 + KEPT_MS),
            Claim::First
        ));
    }
}
