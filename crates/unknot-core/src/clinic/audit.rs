//! The audit log's chain: each record's hash covers the one before it, so changing, removing or
//! reordering any record breaks every hash after it, and [`verify`] finds the first break.
//!
//! The hash is SHA-256 over the previous hash and a fixed text form of the record's fields
//! (each on its own line, newlines inside fields escaped), so the same record always hashes the
//! same on any engine.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// The hash before the first record.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// What an audit record says happened.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    /// Position in the chain, from 1.
    pub seq: i64,
    /// When, in milliseconds since the epoch.
    pub at_ms: i64,
    /// Who acted: an account id, `anonymous`, or `system`.
    pub actor: String,
    /// The clinic, when the action was in one.
    pub clinic: Option<String>,
    /// The patient whose data was touched, when there was one.
    pub patient: Option<String>,
    /// What was done (`sign_in`, `read`, `write`, `export`, `invite`, `grant`, `revoke`…).
    pub action: String,
    /// What it was done to (a route, a record).
    pub target: String,
    /// The network address the request came from.
    pub address: String,
    /// How it ended (`ok`, `refused`, `failed`).
    pub outcome: String,
}

/// A stored record: the event with its chain hashes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Record {
    /// The event.
    #[serde(flatten)]
    pub event: Event,
    /// The previous record's hash ([`GENESIS`] for the first).
    pub prev_hash: String,
    /// This record's hash.
    pub hash: String,
}

fn line(out: &mut String, field: &str) {
    out.push_str(&field.replace('\\', "\\\\").replace('\n', "\\n"));
    out.push('\n');
}

/// The hash of `event` after `prev_hash`, as lower-case hex.
pub fn hash(prev_hash: &str, event: &Event) -> String {
    let mut text = String::new();
    line(&mut text, prev_hash);
    line(&mut text, &event.seq.to_string());
    line(&mut text, &event.at_ms.to_string());
    line(&mut text, &event.actor);
    line(&mut text, event.clinic.as_deref().unwrap_or(""));
    line(&mut text, event.patient.as_deref().unwrap_or(""));
    line(&mut text, &event.action);
    line(&mut text, &event.target);
    line(&mut text, &event.address);
    line(&mut text, &event.outcome);
    let digest = Sha256::digest(text.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// Makes the record that follows `prev` (or starts the chain).
pub fn append(prev: Option<&Record>, mut event: Event) -> Record {
    event.seq = prev.map_or(1, |p| p.event.seq + 1);
    let prev_hash = prev.map_or(GENESIS.to_string(), |p| p.hash.clone());
    Record {
        hash: hash(&prev_hash, &event),
        prev_hash,
        event,
    }
}

/// Where a chain is broken.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[error("the audit log is broken at record {seq}: {reason}")]
pub struct Broken {
    /// The first record that does not follow.
    pub seq: i64,
    /// What is wrong with it.
    pub reason: String,
}

/// Checks a whole chain, oldest first: numbers in order from 1, each record's previous hash the
/// hash before it, and each hash the one its content gives.
pub fn verify(records: &[Record]) -> Result<(), Broken> {
    let mut prev = GENESIS.to_string();
    for (i, r) in records.iter().enumerate() {
        let broken = |reason: &str| Broken {
            seq: r.event.seq,
            reason: reason.to_string(),
        };
        if r.event.seq != i as i64 + 1 {
            return Err(broken("a record is missing or out of order"));
        }
        if r.prev_hash != prev {
            return Err(broken("it does not follow the record before it"));
        }
        if hash(&prev, &r.event) != r.hash {
            return Err(broken("its content was changed after it was written"));
        }
        prev = r.hash.clone();
    }
    Ok(())
}

/// What an event means to the person whose record it touched, in plain words ("opened your
/// visit summary"), for their own access log. Unknown actions fall back to the stored words.
pub fn in_words(action: &str, target: &str) -> String {
    match (action, target) {
        ("read", t) => format!("opened your {t}"),
        ("preview", _) => "looked at your pages as you see them".to_string(),
        ("export", t) => format!("downloaded {}", your(t)),
        ("invite", "patient") => "invited you".to_string(),
        ("invite", "new link") => "sent you a new invitation link".to_string(),
        ("grant", "invitation accepted") => "accepted the invitation".to_string(),
        ("revoke", "care") => "ended the care relationship".to_string(),
        ("erase", "account") => "erased the account".to_string(),
        ("sign_in", _) => "signed in".to_string(),
        (a, t) => format!("{} {t}", a.replace('_', " ")),
    }
}

/// "your backup", unless the target already says whose.
fn your(target: &str) -> String {
    if target.starts_with("your ") {
        target.to_string()
    } else {
        format!("your {target}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(action: &str) -> Event {
        Event {
            seq: 0,
            at_ms: 1_700_000_000_000,
            actor: "acc-1".into(),
            clinic: Some("clinic-1".into()),
            patient: None,
            action: action.into(),
            target: "/sign-in".into(),
            address: "127.0.0.1".into(),
            outcome: "ok".into(),
        }
    }

    fn chain(n: usize) -> Vec<Record> {
        let mut out: Vec<Record> = Vec::new();
        for i in 0..n {
            let next = append(out.last(), event(&format!("action-{i}")));
            out.push(next);
        }
        out
    }

    #[test]
    fn a_clean_chain_verifies() {
        assert_eq!(verify(&chain(5)), Ok(()));
        assert_eq!(verify(&[]), Ok(()));
    }

    #[test]
    fn any_change_is_found_at_its_record() {
        let mut c = chain(5);
        c[2].event.outcome = "refused".into();
        assert_eq!(verify(&c).map_err(|b| b.seq), Err(3));
        let mut c = chain(5);
        c.remove(1);
        assert_eq!(verify(&c).map_err(|b| b.seq), Err(3));
        let mut c = chain(5);
        c[4].event.actor = "someone-else".into();
        c[4].hash = hash(&c[4].prev_hash, &c[4].event);
        assert_eq!(
            verify(&c),
            Ok(()),
            "a record rewritten with its hash still chains"
        );
        c[3].event.actor = "x".into();
        assert_eq!(verify(&c).map_err(|b| b.seq), Err(4));
    }

    #[test]
    fn events_read_as_plain_words() {
        assert_eq!(
            in_words("read", "visit summary"),
            "opened your visit summary"
        );
        assert_eq!(
            in_words("export", "FHIR record"),
            "downloaded your FHIR record"
        );
        assert_eq!(
            in_words("grant", "invitation accepted"),
            "accepted the invitation"
        );
        assert_eq!(in_words("made_up", "thing"), "made up thing");
    }
}
