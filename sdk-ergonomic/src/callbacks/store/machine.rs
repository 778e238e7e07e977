//! The state machine of one adjustment (the table in the [`store`](super) docs), shared by
//! every store: given the entry as it is, each event decides the outcome and the entry to
//! write. The stores only make "read, decide, write" atomic (a lock, or a compare-and-swap on
//! a version).

use std::fmt;

use super::{Begin, Cancel, Claim, Fingerprint, Outcome, ReverseClaim, StoreError, StoredAnswer};

/// Where an adjustment stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum State {
    /// Claimed, being applied.
    Applying,
    /// Applied; its answer is recorded.
    Applied,
    /// Answered without moving money.
    NotApplied,
    /// Its cancel came first: it will be refused.
    Tombstone,
    /// Claimed for reversal, being reversed.
    Reversing,
    /// Reversed; the cancel's answer is recorded.
    Reversed,
}

/// One adjustment's entry, as stored (a row of the SQL table).
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Record {
    pub state: State,
    /// The adjustment's fingerprint; none for a tombstone.
    pub fingerprint: Option<Fingerprint>,
    /// The holder of the last claim to apply.
    pub token: Option<Token>,
    /// When that claim runs out (ms).
    pub lease_until: i64,
    /// The adjustment's answer, once finished.
    pub answer: Option<StoredAnswer>,
    /// The first cancel's own key.
    pub cancel_request_unique_no: Option<String>,
    /// The holder of the last claim to reverse.
    pub cancel_token: Option<Token>,
    /// When that claim runs out (ms).
    pub cancel_lease_until: i64,
    /// The cancel's answer, once reversed.
    pub cancel_answer: Option<StoredAnswer>,
    pub created_at: i64,
    pub updated_at: i64,
}

/// The outcome of an event, and the entry to write for it (none: nothing changes).
#[derive(Debug)]
pub(super) struct Step<T> {
    pub write: Option<Record>,
    pub outcome: T,
}

impl<T> Step<T> {
    fn keep(outcome: T) -> Self {
        Self {
            write: None,
            outcome,
        }
    }

    fn write(record: Record, outcome: T) -> Self {
        Self {
            write: Some(record),
            outcome,
        }
    }
}

/// The time of an event and the lease it grants (ms).
#[derive(Debug, Clone, Copy)]
pub(super) struct Now {
    pub at: i64,
    pub lease: i64,
}

impl Now {
    fn lease_end(self) -> i64 {
        self.at.saturating_add(self.lease)
    }
}

/// An adjustment arrived.
pub(super) fn begin(
    key: &str,
    current: Option<&Record>,
    fingerprint: &Fingerprint,
    now: Now,
) -> Result<Step<Begin>, StoreError> {
    let Some(record) = current else {
        let token = Token::new();
        let record = Record {
            state: State::Applying,
            fingerprint: Some(fingerprint.clone()),
            token: Some(token),
            lease_until: now.lease_end(),
            answer: None,
            cancel_request_unique_no: None,
            cancel_token: None,
            cancel_lease_until: 0,
            cancel_answer: None,
            created_at: now.at,
            updated_at: now.at,
        };
        return Ok(Step::write(
            record,
            Begin::Claimed(claim(key, token, false)),
        ));
    };
    if record
        .fingerprint
        .as_ref()
        .is_some_and(|stored| stored != fingerprint)
    {
        return Err(StoreError::Conflict {
            request_unique_no: key.to_owned(),
        });
    }
    Ok(match record.state {
        State::Applying if record.lease_until > now.at => Step::keep(Begin::InProgress),
        State::Applying => {
            let token = Token::new();
            let mut next = record.clone();
            next.token = Some(token);
            next.lease_until = now.lease_end();
            next.updated_at = now.at;
            Step::write(next, Begin::Claimed(claim(key, token, true)))
        }
        State::Applied | State::NotApplied => {
            Step::keep(Begin::Answered(answer(key, record.answer.as_ref())?))
        }
        State::Tombstone | State::Reversing | State::Reversed => Step::keep(Begin::Cancelled),
    })
}

/// The holder of a claim to apply says how it ended.
pub(super) fn finish(
    current: Option<&Record>,
    claim: &Claim,
    outcome: Outcome,
    now: Now,
) -> Result<Step<()>, StoreError> {
    let lost = || StoreError::ClaimLost {
        request_unique_no: claim.request_unique_no.clone(),
    };
    let record = current
        .filter(|record| record.token == Some(claim.token))
        .ok_or_else(lost)?;
    let (state, value) = match outcome {
        Outcome::Applied(value) => (State::Applied, value),
        Outcome::NotApplied(value) => (State::NotApplied, value),
    };
    match (record.state, state) {
        (State::Applying, _) => {
            let mut next = record.clone();
            next.state = state;
            next.answer = Some(value);
            next.lease_until = now.at;
            next.updated_at = now.at;
            Ok(Step::write(next, ()))
        }
        // Already recorded by this holder: a retried `finish`.
        (State::Applied, State::Applied) | (State::NotApplied, State::NotApplied) => {
            Ok(Step::keep(()))
        }
        // Applied, then cancelled: the cancel found it applied, so it was recorded.
        (State::Reversing | State::Reversed, State::Applied) if record.answer.is_some() => {
            Ok(Step::keep(()))
        }
        _ => Err(lost()),
    }
}

/// A cancel of adjustment `key` arrived.
pub(super) fn cancel(
    key: &str,
    current: Option<&Record>,
    cancel_key: &str,
    now: Now,
) -> Result<Step<Cancel>, StoreError> {
    let Some(record) = current else {
        let record = Record {
            state: State::Tombstone,
            fingerprint: None,
            token: None,
            lease_until: 0,
            answer: None,
            cancel_request_unique_no: Some(cancel_key.to_owned()),
            cancel_token: None,
            cancel_lease_until: 0,
            cancel_answer: None,
            created_at: now.at,
            updated_at: now.at,
        };
        return Ok(Step::write(record, Cancel::NeverArrived));
    };
    let reverse = |retry: bool| {
        let token = Token::new();
        let mut next = record.clone();
        next.state = State::Reversing;
        next.cancel_token = Some(token);
        next.cancel_lease_until = now.lease_end();
        next.updated_at = now.at;
        if next.cancel_request_unique_no.is_none() {
            next.cancel_request_unique_no = Some(cancel_key.to_owned());
        }
        let claim = ReverseClaim {
            request_unique_no: key.to_owned(),
            token,
            retry,
        };
        // Reversing after Applied keeps the adjustment's answer: it was certainly applied.
        let outcome = if record.answer.is_some() {
            Cancel::Reverse(claim)
        } else {
            Cancel::ReverseIfApplied(claim)
        };
        Step::write(next, outcome)
    };
    Ok(match record.state {
        State::Tombstone => Step::keep(Cancel::NeverArrived),
        State::NotApplied => Step::keep(Cancel::NotApplied),
        State::Applying if record.lease_until > now.at => Step::keep(Cancel::InProgress),
        State::Applying | State::Applied => reverse(false),
        State::Reversing if record.cancel_lease_until > now.at => Step::keep(Cancel::InProgress),
        State::Reversing => reverse(true),
        State::Reversed => Step::keep(Cancel::Answered(answer(
            key,
            record.cancel_answer.as_ref(),
        )?)),
    })
}

/// The holder of a claim to reverse gives the cancel's answer.
pub(super) fn finish_cancel(
    current: Option<&Record>,
    claim: &ReverseClaim,
    value: StoredAnswer,
    now: Now,
) -> Result<Step<()>, StoreError> {
    let record = current
        .filter(|record| record.cancel_token == Some(claim.token))
        .ok_or_else(|| StoreError::ClaimLost {
            request_unique_no: claim.request_unique_no.clone(),
        })?;
    if record.state == State::Reversed {
        return Ok(Step::keep(()));
    }
    let mut next = record.clone();
    next.state = State::Reversed;
    next.cancel_answer = Some(value);
    next.cancel_lease_until = now.at;
    next.updated_at = now.at;
    Ok(Step::write(next, ()))
}

/// Whether an entry may be pruned: unchanged since before `cutoff`, and holding no live claim.
pub(super) fn prunable(record: &Record, cutoff: i64, now: i64) -> bool {
    record.updated_at < cutoff && record.lease_until <= now && record.cancel_lease_until <= now
}

fn claim(key: &str, token: Token, retry: bool) -> Claim {
    Claim {
        request_unique_no: key.to_owned(),
        token,
        retry,
    }
}

fn answer(key: &str, answer: Option<&StoredAnswer>) -> Result<StoredAnswer, StoreError> {
    answer.cloned().ok_or_else(|| StoreError::Corrupt {
        request_unique_no: key.to_owned(),
        reason: "a finished entry without its answer".into(),
    })
}

/// A claim holder's identity: random, unique across processes sharing a database. Stored as
/// 32 hex digits; kept as a number in memory, so that a claim costs no allocation.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) struct Token(u128);

impl Token {
    fn new() -> Self {
        Self(fastrand::u128(..))
    }

    /// A token as stored: exactly 32 hex digits.
    #[cfg(any(feature = "sqlite", feature = "postgres"))]
    pub fn parse(text: &str) -> Option<Self> {
        if text.len() != 32 || !text.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        u128::from_str_radix(text, 16).ok().map(Self)
    }
}

impl fmt::Display for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:032x}", self.0)
    }
}

/// As stored, so that a claim in a log matches its row.
impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Token({self})")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: Now = Now {
        at: 1_000,
        lease: 100,
    };

    fn fp(text: &str) -> Fingerprint {
        Fingerprint::new(text)
    }

    const TOKEN: Token = Token(0x0123_4567_89ab_cdef_0000_0000_0000_002a);

    #[test]
    fn a_token_is_written_as_32_hex_digits() {
        assert_eq!(TOKEN.to_string(), "0123456789abcdef000000000000002a");
        assert_eq!(
            format!("{TOKEN:?}"),
            "Token(0123456789abcdef000000000000002a)"
        );
        assert_eq!(Token(1).to_string(), format!("{}1", "0".repeat(31)));
    }

    #[test]
    #[cfg(any(feature = "sqlite", feature = "postgres"))]
    fn a_token_is_read_back_from_its_32_hex_digits() {
        let token = TOKEN;
        let text = token.to_string();
        assert_eq!(Token::parse(&text), Some(token));
        assert_eq!(
            Token::parse("0123456789ABCDEF000000000000002A"),
            Some(token)
        );
        for bad in [
            "",
            "2a",
            "+123456789abcdef000000000000002a",
            "0123456789abcdef000000000000002g",
        ] {
            assert_eq!(Token::parse(bad), None, "{bad:?}");
        }
    }

    fn claimed(step: Step<Begin>) -> (Record, Claim) {
        match step {
            Step {
                write: Some(record),
                outcome: Begin::Claimed(claim),
            } => (record, claim),
            other => panic!("not a claim: {other:?}"),
        }
    }

    #[test]
    fn a_taken_over_claim_cannot_finish() {
        let (record, first) = claimed(begin("k", None, &fp("a"), NOW).unwrap());
        let later = Now {
            at: NOW.at + 200,
            ..NOW
        };
        let (record, second) = claimed(begin("k", Some(&record), &fp("a"), later).unwrap());
        assert!(second.is_retry());
        assert!(matches!(
            finish(
                Some(&record),
                &first,
                Outcome::Applied(StoredAnswer::new("1")),
                later
            ),
            Err(StoreError::ClaimLost { .. })
        ));
        assert!(
            finish(
                Some(&record),
                &second,
                Outcome::Applied(StoredAnswer::new("1")),
                later
            )
            .unwrap()
            .write
            .is_some()
        );
    }

    #[test]
    fn an_expired_claim_is_reversed_only_if_applied() {
        let (record, _) = claimed(begin("k", None, &fp("a"), NOW).unwrap());
        let later = Now {
            at: NOW.at + 200,
            ..NOW
        };
        let step = cancel("k", Some(&record), "c", later).unwrap();
        assert!(matches!(step.outcome, Cancel::ReverseIfApplied(_)));
        let record = step.write.unwrap();
        assert!(matches!(
            begin("k", Some(&record), &fp("a"), later).unwrap().outcome,
            Begin::Cancelled
        ));
    }

    #[test]
    fn live_claims_are_not_pruned() {
        let (record, _) = claimed(begin("k", None, &fp("a"), NOW).unwrap());
        assert!(!prunable(&record, NOW.at + 1, NOW.at + 1));
        assert!(prunable(&record, NOW.at + 1, NOW.at + 200));
    }
}
