//! A circuit breaker for the clinic server's database: while PostgreSQL is out of reach, one
//! request at a time tries it and every other is answered 503 at once, instead of each waiting
//! out the pool's connection timeout (`unknot_store::POSTGRES_WAIT`).
//!
//! Closed, every request goes through. A 503 from the database opens it for [`OPEN_FOR`]:
//! requests in that time are refused without touching the pool. After it, the first request
//! is let through as a probe (the rest keep being refused); the probe's success closes the
//! breaker and its failure opens it again. Any success closes it.

use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// How long the breaker stays open before the next probe.
pub(crate) const OPEN_FOR: Duration = Duration::from_millis(500);

/// What to do with a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Admit {
    /// Closed: go ahead.
    Go,
    /// Open, and this request is the one that tries the database.
    Probe,
    /// Open: answer 503 now.
    Refuse,
}

/// The breaker's state: 0 when closed, else the time (ms since the epoch) until which it is
/// open. One atomic, so requests on every thread see one state without a lock.
#[derive(Debug, Default)]
pub(crate) struct Breaker {
    open_until: AtomicI64,
}

/// Milliseconds since the epoch, now.
pub(crate) fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

fn window() -> i64 {
    i64::try_from(OPEN_FOR.as_millis()).unwrap_or(500)
}

impl Breaker {
    /// Whether a request arriving at `now` may go ahead.
    pub(crate) fn admit(&self, now: i64) -> Admit {
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

    /// Records how a request that went ahead ended: `reachable` is false when the database
    /// was out of reach (a 503).
    pub(crate) fn record(&self, reachable: bool, now: i64) {
        if reachable {
            self.open_until.store(0, Ordering::Release);
        } else {
            self.open_until.store(now + window(), Ordering::Release);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failure_opens_it_one_probe_follows_and_a_success_closes_it() {
        let b = Breaker::default();
        assert_eq!(b.admit(1_000), Admit::Go);
        b.record(false, 1_000);
        assert_eq!(b.admit(1_001), Admit::Refuse);
        assert_eq!(b.admit(1_499), Admit::Refuse);
        // After the window exactly one request probes; the others are still refused.
        assert_eq!(b.admit(1_500), Admit::Probe);
        assert_eq!(b.admit(1_501), Admit::Refuse);
        // The probe fails: open again from then.
        b.record(false, 1_700);
        assert_eq!(b.admit(2_100), Admit::Refuse);
        assert_eq!(b.admit(2_200), Admit::Probe);
        b.record(true, 2_250);
        assert_eq!(b.admit(2_251), Admit::Go);
    }
}
