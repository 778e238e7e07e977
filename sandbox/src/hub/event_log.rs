//! The Data Push event log and its groups: every event the sandbox produces is appended with
//! its time on the sandbox's clock; each group has a cursor, the index of the next event to
//! deliver to it, which one connection at a time holds.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};

use serde_json::{Value, json};
use tokio::sync::watch;

use super::lock;

/// How long upstream keeps an event (168 hours), in milliseconds: older ones are skipped.
pub(crate) const RETENTION_MS: i64 =
    mm_sdk_api_streams::protocol::data_push::RETENTION.as_millis() as i64;

/// One event of the log.
#[derive(Debug, Clone)]
pub(crate) struct Event {
    /// Its position in the log, from 0; never reused.
    pub(crate) index: u64,
    time_ms: i64,
    /// The frame that delivers it: `{"data":{...},"eventType":"<type>"}`.
    pub(crate) frame: String,
}

/// The events still kept: those of the last 168 hours.
#[derive(Debug, Default)]
struct Events {
    /// The index of the first event kept.
    first: u64,
    kept: VecDeque<Event>,
}

impl Events {
    fn end(&self) -> u64 {
        self.first + self.kept.len() as u64
    }
}

/// A group's place in the log, and the signal that tells its current connection to give
/// way.
#[derive(Debug)]
struct Group {
    cursor: Arc<tokio::sync::Mutex<u64>>,
    owner: watch::Sender<bool>,
}

/// A connection's membership of a group.
#[derive(Debug)]
pub(crate) struct Membership {
    /// The group's name (a made-up one for a connection that named none).
    pub(crate) name: String,
    anonymous: bool,
    /// The group's cursor: the connection delivers once it holds the lock.
    pub(crate) cursor: Arc<tokio::sync::Mutex<u64>>,
    /// Turns `true` when another connection takes the group over.
    pub(crate) kicked: watch::Receiver<bool>,
}

/// The log, its groups, and a signal of its end for connections waiting for new events.
#[derive(Debug)]
pub(crate) struct EventLog {
    events: Mutex<Events>,
    end: watch::Sender<u64>,
    groups: Mutex<HashMap<String, Group>>,
}

impl Default for EventLog {
    fn default() -> Self {
        Self {
            events: Mutex::default(),
            end: watch::channel(0).0,
            groups: Mutex::default(),
        }
    }
}

impl EventLog {
    /// Appends an event produced at `now_ms` (the sandbox's clock), forgetting those older
    /// than 168 hours, and wakes the connections waiting for it.
    pub(crate) fn append(&self, now_ms: i64, event_type: &str, data: Value) {
        let frame = json!({ "data": data, "eventType": event_type }).to_string();
        let end = {
            let mut events = lock(&self.events);
            while events
                .kept
                .front()
                .is_some_and(|e| e.time_ms < now_ms.saturating_sub(RETENTION_MS))
            {
                events.kept.pop_front();
                events.first += 1;
            }
            let index = events.end();
            events.kept.push_back(Event {
                index,
                time_ms: now_ms,
                frame,
            });
            events.end()
        };
        self.end.send_replace(end);
    }

    /// The first event at or after `cursor` that is not older than 168 hours at `now_ms`.
    pub(crate) fn next(&self, cursor: u64, now_ms: i64) -> Option<Event> {
        let events = lock(&self.events);
        let from = cursor.saturating_sub(events.first);
        let from = usize::try_from(from).unwrap_or(usize::MAX);
        events
            .kept
            .iter()
            .skip(from)
            .find(|e| e.time_ms >= now_ms.saturating_sub(RETENTION_MS))
            .cloned()
    }

    /// A signal that changes whenever an event is appended.
    pub(crate) fn subscribe(&self) -> watch::Receiver<u64> {
        self.end.subscribe()
    }

    /// Joins `group` (a fresh anonymous one for `None`): a group seen for the first time
    /// starts at the end of the log; a group with a connection tells it to give way.
    pub(crate) fn join(&self, group: Option<String>) -> Membership {
        let (name, anonymous) = match group {
            Some(name) => (name, false),
            None => (format!("anonymous-{}", uuid::Uuid::new_v4()), true),
        };
        let (owner, kicked) = watch::channel(false);
        let mut groups = lock(&self.groups);
        let cursor = match groups.get_mut(&name) {
            Some(group) => {
                group.owner.send_replace(true);
                group.owner = owner;
                group.cursor.clone()
            }
            None => {
                let cursor = Arc::new(tokio::sync::Mutex::new(lock(&self.events).end()));
                groups.insert(
                    name.clone(),
                    Group {
                        cursor: cursor.clone(),
                        owner,
                    },
                );
                cursor
            }
        };
        Membership {
            name,
            anonymous,
            cursor,
            kicked,
        }
    }

    /// Ends a membership: an anonymous group is forgotten (nobody can resume it).
    pub(crate) fn leave(&self, membership: &Membership) {
        if membership.anonymous {
            lock(&self.groups).remove(&membership.name);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_group_starts_at_the_end_and_old_events_are_skipped() {
        let log = EventLog::default();
        log.append(1_000, "register", json!({"n": 0}));
        let member = log.join(Some("g".into()));
        assert!(
            log.next(*member.cursor.try_lock().expect("free"), 1_000)
                .is_none()
        );
        log.append(2_000, "register", json!({"n": 1}));
        let next = log.next(1, 2_000).expect("the event after joining");
        assert_eq!(next.index, 1);
        assert_eq!(next.frame, r#"{"data":{"n":1},"eventType":"register"}"#);
        assert!(log.next(1, 2_000 + RETENTION_MS + 1).is_none());
    }

    #[test]
    fn joining_a_taken_group_kicks_its_owner() {
        let log = EventLog::default();
        let first = log.join(Some("g".into()));
        assert!(!*first.kicked.borrow());
        let second = log.join(Some("g".into()));
        assert!(*first.kicked.borrow());
        assert!(!*second.kicked.borrow());
        assert!(Arc::ptr_eq(&first.cursor, &second.cursor));
        let anonymous = log.join(None);
        log.leave(&anonymous);
        assert_eq!(lock(&log.groups).len(), 1);
    }
}
