//! Where "now" and new ids come from.
//!
//! Core never reads the clock; this crate reads it once per operation through a [`Clock`], so
//! a test (or a demo that fills months of history) can fix time and step it. A fixed clock also
//! makes new ids reproducible: the same operations at the same instants give the same ids, which
//! is what lets the parity test compare exports from the terminal and the API byte for byte.

use std::sync::{Arc, Mutex};

use jiff::Timestamp;

/// The source of the current time.
#[derive(Debug, Clone, Default)]
pub struct Clock {
    fixed: Option<Arc<Mutex<Timestamp>>>,
}

impl Clock {
    /// The computer's clock.
    pub fn system() -> Clock {
        Clock { fixed: None }
    }

    /// A clock stopped at `at` until [`Clock::set`] moves it.
    pub fn fixed(at: Timestamp) -> Clock {
        Clock {
            fixed: Some(Arc::new(Mutex::new(at))),
        }
    }

    /// Now.
    pub fn now(&self) -> Timestamp {
        match &self.fixed {
            Some(t) => t.lock().map(|t| *t).unwrap_or_else(|p| *p.into_inner()),
            None => Timestamp::now(),
        }
    }

    /// Moves a fixed clock to `at` (a system clock ignores this).
    pub fn set(&self, at: Timestamp) {
        if let Some(t) = &self.fixed
            && let Ok(mut t) = t.lock()
        {
            *t = at;
        }
    }

    /// True for a fixed clock.
    pub fn is_fixed(&self) -> bool {
        self.fixed.is_some()
    }
}

/// Makes ids for new records: UUIDv7, so ids sort by creation time and index well.
///
/// With a system clock the random part is random. With a fixed clock it is derived from the
/// instant and how many ids were made at that instant, so a replay makes the same ids.
#[derive(Debug, Clone, Default)]
pub struct Ids {
    replay: Option<Arc<Mutex<(i64, u64)>>>,
}

impl Ids {
    /// Ids for `clock`: random with the system clock, reproducible with a fixed one.
    pub fn for_clock(clock: &Clock) -> Ids {
        Ids {
            replay: clock
                .is_fixed()
                .then(|| Arc::new(Mutex::new((i64::MIN, 0)))),
        }
    }

    /// A new id made at `now`.
    pub fn next(&self, now: Timestamp) -> String {
        let Some(state) = &self.replay else {
            return uuid::Uuid::now_v7().to_string();
        };
        let ms = now.as_millisecond();
        let n = match state.lock() {
            Ok(mut s) => {
                if s.0 != ms {
                    *s = (ms, 0);
                }
                s.1 += 1;
                s.1
            }
            Err(_) => 0,
        };
        let mut bits = [0u8; 10];
        let a = mix(ms as u64 ^ n.rotate_left(32)).to_le_bytes();
        let b = mix(n ^ 0x5eed).to_le_bytes();
        bits[..8].copy_from_slice(&a);
        bits[8..].copy_from_slice(&b[..2]);
        uuid::Builder::from_unix_timestamp_millis(ms.max(0) as u64, &bits)
            .into_uuid()
            .to_string()
    }
}

/// SplitMix64's finaliser: spreads the bits of a counter evenly.
fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixed_clock_ids_replay_and_differ() {
        let t = Timestamp::from_second(1_770_000_000).unwrap_or_default();
        let (a, b) = (
            Ids::for_clock(&Clock::fixed(t)),
            Ids::for_clock(&Clock::fixed(t)),
        );
        let first = a.next(t);
        assert_eq!(first, b.next(t));
        assert_ne!(first, a.next(t));
        assert!(uuid::Uuid::parse_str(&first).is_ok_and(|u| u.get_version_num() == 7));
    }

    #[test]
    fn system_ids_are_random() {
        let ids = Ids::for_clock(&Clock::system());
        let now = Timestamp::now();
        assert_ne!(ids.next(now), ids.next(now));
    }
}
