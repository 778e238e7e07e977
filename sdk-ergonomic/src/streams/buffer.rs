//! The bounded queue between a connection's task and the consumer's `Stream`.
//!
//! A feed can outrun its consumer. The queue never grows past its capacity; what happens when
//! it is full is the stream's [`Overflow`] policy: drop the oldest events and tell the
//! consumer how many (market data, where a stale tick is worthless), or stop reading the
//! socket until there is room (business events, which must not be lost).

use std::collections::VecDeque;
use std::pin::Pin;
use std::sync::{Arc, Mutex, MutexGuard};
use std::task::{Context, Poll, Waker};

/// What a stream does when its consumer falls behind and its buffer is full.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Overflow {
    /// Drop the oldest buffered events; the consumer next sees a `Lagged { missed }` event
    /// counting them. Memory stays bounded and the feed stays current.
    DropOldest,
    /// Stop reading from the socket until the consumer makes room. Nothing is dropped; the
    /// server sees a slow reader (heartbeats still go out).
    Backpressure,
}

#[derive(Debug)]
struct State<T> {
    queue: VecDeque<T>,
    /// Events dropped since the consumer last heard of it.
    missed: u64,
    ended: bool,
    consumer: Option<Waker>,
    producer: Option<Waker>,
    /// The consumer is gone: producing is pointless.
    closed: bool,
}

/// The shared queue. The producer is the connection task; the consumer is the user's stream.
#[derive(Debug)]
pub(crate) struct Buffer<T> {
    state: Mutex<State<T>>,
    capacity: usize,
    overflow: Overflow,
}

impl<T> Buffer<T> {
    pub(crate) fn new(capacity: usize, overflow: Overflow) -> Arc<Self> {
        Arc::new(Self {
            state: Mutex::new(State {
                queue: VecDeque::with_capacity(capacity.min(1024)),
                missed: 0,
                ended: false,
                consumer: None,
                producer: None,
                closed: false,
            }),
            capacity: capacity.max(1),
            overflow,
        })
    }

    fn lock(&self) -> MutexGuard<'_, State<T>> {
        // Nothing panics while holding the lock; a poisoned lock still holds a whole queue.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Queues `item`. Under [`Overflow::DropOldest`] a full queue drops its oldest item;
    /// under [`Overflow::Backpressure`] nothing is dropped: the producer stops reading while
    /// the queue is full (see [`Buffer::is_full`]), so it outgrows its capacity by at most
    /// the items of one frame.
    pub(crate) fn push(&self, item: T) {
        let waker = {
            let mut state = self.lock();
            if self.overflow == Overflow::DropOldest
                && state.queue.len() >= self.capacity
                && state.queue.pop_front().is_some()
            {
                state.missed += 1;
            }
            state.queue.push_back(item);
            state.consumer.take()
        };
        if let Some(waker) = waker {
            waker.wake();
        }
    }

    /// Marks the end of the stream; the consumer sees it after the queued items.
    pub(crate) fn end(&self) {
        let waker = {
            let mut state = self.lock();
            state.ended = true;
            state.consumer.take()
        };
        if let Some(waker) = waker {
            waker.wake();
        }
    }

    /// Whether the consumer dropped its stream.
    pub(crate) fn is_closed(&self) -> bool {
        self.lock().closed
    }

    /// Resolves when another item may be pushed without loss: at once under
    /// [`Overflow::DropOldest`], once the queue has room under [`Overflow::Backpressure`].
    pub(crate) fn room(&self) -> Room<'_, T> {
        Room { buffer: self }
    }

    /// Whether a push now would need to wait (backpressure) or drop (drop-oldest).
    pub(crate) fn is_full(&self) -> bool {
        self.lock().queue.len() >= self.capacity
    }

    pub(crate) fn overflow(&self) -> Overflow {
        self.overflow
    }

    /// The consumer's side: the next item, the number of dropped items first if any.
    pub(crate) fn poll_next(&self, cx: &mut Context<'_>) -> Poll<Next<T>> {
        let (next, waker) = {
            let mut state = self.lock();
            if state.missed > 0 {
                let missed = std::mem::take(&mut state.missed);
                (Poll::Ready(Next::Lagged(missed)), None)
            } else if let Some(item) = state.queue.pop_front() {
                (Poll::Ready(Next::Item(item)), state.producer.take())
            } else if state.ended {
                (Poll::Ready(Next::End), None)
            } else {
                state.consumer = Some(cx.waker().clone());
                (Poll::Pending, None)
            }
        };
        if let Some(waker) = waker {
            waker.wake();
        }
        next
    }

    /// The consumer is gone.
    pub(crate) fn close(&self) {
        let waker = {
            let mut state = self.lock();
            state.closed = true;
            state.queue.clear();
            state.producer.take()
        };
        if let Some(waker) = waker {
            waker.wake();
        }
    }

    /// Items waiting (for tests and the lag policy's documentation).
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.lock().queue.len()
    }
}

/// What the consumer gets next.
#[derive(Debug)]
pub(crate) enum Next<T> {
    Item(T),
    Lagged(u64),
    End,
}

/// The future of [`Buffer::room`].
#[derive(Debug)]
pub(crate) struct Room<'a, T> {
    buffer: &'a Buffer<T>,
}

impl<T> Future for Room<'_, T> {
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.buffer.overflow == Overflow::DropOldest {
            return Poll::Ready(());
        }
        let mut state = self.buffer.lock();
        if state.queue.len() < self.buffer.capacity || state.closed {
            Poll::Ready(())
        } else {
            state.producer = Some(cx.waker().clone());
            Poll::Pending
        }
    }
}

#[cfg(test)]
mod tests {
    use std::task::Waker;

    use super::*;

    fn next<T>(buffer: &Buffer<T>) -> Poll<Next<T>> {
        buffer.poll_next(&mut Context::from_waker(Waker::noop()))
    }

    #[test]
    fn drop_oldest_keeps_the_newest_and_counts_the_rest() {
        let buffer = Buffer::new(3, Overflow::DropOldest);
        for i in 0..10 {
            buffer.push(i);
        }
        assert_eq!(buffer.len(), 3);
        assert!(matches!(next(&buffer), Poll::Ready(Next::Lagged(7))));
        for expected in 7..10 {
            assert!(matches!(next(&buffer), Poll::Ready(Next::Item(i)) if i == expected));
        }
        assert!(next(&buffer).is_pending());
        buffer.end();
        assert!(matches!(next(&buffer), Poll::Ready(Next::End)));
    }

    #[test]
    fn backpressure_makes_the_producer_wait_for_room() {
        let buffer = Buffer::new(2, Overflow::Backpressure);
        let mut cx = Context::from_waker(Waker::noop());
        buffer.push(1);
        assert!(Pin::new(&mut buffer.room()).poll(&mut cx).is_ready());
        buffer.push(2);
        assert!(Pin::new(&mut buffer.room()).poll(&mut cx).is_pending());
        // A frame's worth of items beyond the capacity is kept, never dropped.
        buffer.push(3);
        assert!(matches!(next(&buffer), Poll::Ready(Next::Item(1))));
        assert!(Pin::new(&mut buffer.room()).poll(&mut cx).is_pending());
        assert!(matches!(next(&buffer), Poll::Ready(Next::Item(2))));
        assert!(Pin::new(&mut buffer.room()).poll(&mut cx).is_ready());
        assert!(matches!(next(&buffer), Poll::Ready(Next::Item(3))));
    }
}
