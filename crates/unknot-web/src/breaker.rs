//! A circuit breaker for the clinic server's database: while PostgreSQL is out of reach, one
//! request at a time checks it and every other is answered 503 at once, instead of each waiting
//! out the pool's connection timeout (`unknot_store::POSTGRES_WAIT`).
//!
//! Closed, every request goes through. A request that found the server unreachable (a lost
//! connection, none made in time: `StoreError::is_unreachable`, not a busy moment such as a
//! deadlock) opens it for [`OPEN_FOR`]: requests in that time are refused without touching
//! the pool. After it, the first request checks the database with one trivial query before it
//! runs (the rest keep being refused): an answer closes the breaker, none opens it again. Time
//! is measured on a monotonic clock, so a step of the wall clock cannot hold it open.

use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// How long the breaker stays open before the next check.
pub(crate) const OPEN_FOR: Duration = Duration::from_millis(500);

/// What to do with a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Admit {
    /// Closed: go ahead.
    Go,
    /// Open, and this request checks the database first.
    Probe,
    /// Open: answer 503 now.
    Refuse,
}

/// The breaker's state: 0 when closed, else the time (ms on [`now_ms`]'s clock) until which
/// it is open. One atomic, so requests on every thread see one state without a lock.
#[derive(Debug, Default)]
pub(crate) struct Breaker {
    open_until: AtomicU64,
}

/// Milliseconds on a monotonic clock (from the first call in this process), never 0.
pub(crate) fn now_ms() -> u64 {
    static START: OnceLock<Instant> = OnceLock::new();
    let start = *START.get_or_init(Instant::now);
    u64::try_from(start.elapsed().as_millis()).unwrap_or(u64::MAX - 1) + 1
}

fn window() -> u64 {
    u64::try_from(OPEN_FOR.as_millis()).unwrap_or(500)
}

impl Breaker {
    /// Whether a request arriving at `now` may go ahead.
    pub(crate) fn admit(&self, now: u64) -> Admit {
        let until = self.open_until.load(Ordering::Acquire);
        if until == 0 {
            return Admit::Go;
        }
        if now < until {
            return Admit::Refuse;
        }
        // The window has passed: the one request that moves it on is the probe.
        match self.open_until.compare_exchange(
            until,
            now + window(),
            Ordering::AcqRel,
            Ordering::Acquire,
        ) {
            Ok(_) => Admit::Probe,
            Err(_) => Admit::Refuse,
        }
    }

    /// The database answered: close.
    pub(crate) fn reached(&self) {
        self.open_until.store(0, Ordering::Release);
    }

    /// The database server was out of reach at `now`: open (again).
    pub(crate) fn unreachable(&self, now: u64) {
        self.open_until.store(now + window(), Ordering::Release);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_outage_opens_it_one_probe_follows_and_an_answer_closes_it() {
        let b = Breaker::default();
        assert_eq!(b.admit(1_000), Admit::Go);
        b.unreachable(1_000);
        assert_eq!(b.admit(1_001), Admit::Refuse);
        assert_eq!(b.admit(1_499), Admit::Refuse);
        // After the window exactly one request probes; the others are still refused.
        assert_eq!(b.admit(1_500), Admit::Probe);
        assert_eq!(b.admit(1_501), Admit::Refuse);
        // The probe finds it still down: open again from then.
        b.unreachable(1_700);
        assert_eq!(b.admit(2_100), Admit::Refuse);
        assert_eq!(b.admit(2_200), Admit::Probe);
        b.reached();
        assert_eq!(b.admit(2_251), Admit::Go);
    }

    #[test]
    fn the_clock_only_moves_forward_and_is_never_zero() {
        let a = now_ms();
        let b = now_ms();
        assert!(a >= 1 && b >= a);
    }
}
