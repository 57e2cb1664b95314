//! Time zones by IANA name, read straight from the system's zone files.
//!
//! jiff's own lookup (`TimeZone::get`, and `TimeZone::system` when it finds a zone name) first
//! lists every file under `/usr/share/zoneinfo`: about 3.5 million instructions and dozens of
//! directory reads, which was almost half of a whole `unknot log` and is paid once per process.
//! A one-shot command needs one or two zones, so this reads the one file a name points to, in
//! the same directories jiff searches and in the same order (`TZDIR`, then the usual places).
//! Anything unusual (a name that differs from the file's only by case, a path, a POSIX rule in
//! `TZ`, a missing file) goes to jiff, so the answers are the same, only sooner. Zones read
//! here are kept for five minutes, as jiff keeps its own, so a long-running server still sees
//! an updated time zone database.

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use jiff::tz::TimeZone;

/// Where jiff looks for the zone files when `TZDIR` is not set, in its order.
const ZONEINFO_DIRECTORIES: &[&str] = &[
    "/usr/share/zoneinfo",
    "/usr/share/lib/zoneinfo",
    "/etc/zoneinfo",
];

/// How long a zone read from its file is reused (jiff's own cache lifetime).
const KEEP_FOR: Duration = Duration::from_secs(5 * 60);

/// Zones read from their files: name, zone, when read. A handful at most.
static CACHE: Mutex<Vec<(String, TimeZone, Instant)>> = Mutex::new(Vec::new());

/// The time zone with this IANA name (such as `Europe/Paris`), as `TimeZone::get` would give it.
///
/// # Errors
///
/// jiff's error when no zone has that name.
pub fn named(name: &str) -> Result<TimeZone, jiff::Error> {
    if name.eq_ignore_ascii_case("utc") {
        return Ok(TimeZone::UTC);
    }
    if let Some(tz) = cached(name) {
        return Ok(tz);
    }
    match read_zone_file(name) {
        Some(tz) => {
            remember(name, &tz);
            Ok(tz)
        }
        None => TimeZone::get(name),
    }
}

/// The computer's time zone, as `TimeZone::system` would give it: from `TZ` when it holds a
/// zone name, else from the name `/etc/localtime` links to. Other forms go to jiff.
pub fn system() -> TimeZone {
    let named_zone = match std::env::var_os("TZ") {
        Some(tz) => tz
            .to_str()
            .and_then(name_in_tz_variable)
            .map(str::to_string),
        None => std::fs::read_link("/etc/localtime")
            .ok()
            .and_then(|target| name_in_link(&target).map(str::to_string)),
    };
    named_zone
        .and_then(|name| named(&name).ok())
        .unwrap_or_else(TimeZone::system)
}

/// The zone name in a `TZ` value, when it is plainly one: `UTC`, or a name with a slash such as
/// `Europe/Paris` (a POSIX rule has no slash before its first comma, and a path starts with
/// one). Anything else is left to jiff's full reading of `TZ`.
fn name_in_tz_variable(tz: &str) -> Option<&str> {
    if tz.eq_ignore_ascii_case("utc") || (tz.contains('/') && plain_name(tz)) {
        Some(tz)
    } else {
        None
    }
}

/// The zone name at the end of `/etc/localtime`'s link target, after `zoneinfo/` (jiff's rule).
fn name_in_link(target: &Path) -> Option<&str> {
    let target = target.to_str()?;
    let at = target.rfind("zoneinfo/")?;
    Some(&target[at + "zoneinfo/".len()..])
}

/// True for names that can only mean a file below the zone directory: letters, digits and
/// `_+-` in slash-separated parts, none empty or a dot, and not jiff's skipped `posix/` and
/// `right/` trees.
fn plain_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 64
        && !name.starts_with("posix/")
        && !name.starts_with("right/")
        && name.split('/').all(|part| {
            !part.is_empty()
                && !part.starts_with('.')
                && part
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'+' | b'-'))
        })
}

/// The zone from its file in the first zone directory that exists, if the name is plain and
/// the file is there and valid.
fn read_zone_file(name: &str) -> Option<TimeZone> {
    if !plain_name(name) {
        return None;
    }
    let dir = zone_directory()?;
    let data = std::fs::read(dir.join(name)).ok()?;
    TimeZone::tzif(name, &data).ok()
}

/// `TZDIR` when it is a folder, else the first of jiff's usual folders that exists.
fn zone_directory() -> Option<PathBuf> {
    std::env::var_os("TZDIR")
        .map(PathBuf::from)
        .into_iter()
        .chain(ZONEINFO_DIRECTORIES.iter().map(PathBuf::from))
        .find(|d| d.is_dir())
}

fn cached(name: &str) -> Option<TimeZone> {
    let cache = CACHE.lock().ok()?;
    cache
        .iter()
        .find(|(n, _, at)| n == name && at.elapsed() < KEEP_FOR)
        .map(|(_, tz, _)| tz.clone())
}

fn remember(name: &str, tz: &TimeZone) {
    if let Ok(mut cache) = CACHE.lock() {
        cache.retain(|(n, _, at)| n != name && at.elapsed() < KEEP_FOR);
        if cache.len() < 64 {
            cache.push((name.to_string(), tz.clone(), Instant::now()));
        }
    }
}

#[cfg(test)]
mod tests {
    use jiff::Timestamp;

    use super::*;

    /// The same zone as jiff's: same name, same offsets across decades and DST changes.
    fn same_as_jiff(name: &str) {
        let ours = named(name).unwrap();
        let theirs = TimeZone::get(name).unwrap();
        assert_eq!(ours.iana_name(), theirs.iana_name(), "{name}");
        for secs in (0..60).map(|i| -1_000_000_000 + i * 60_000_000) {
            let t = Timestamp::from_second(secs).unwrap();
            assert_eq!(ours.to_offset(t), theirs.to_offset(t), "{name} at {t}");
        }
    }

    #[test]
    fn named_zones_match_jiffs_lookup() {
        for name in [
            "Europe/Paris",
            "America/New_York",
            "Australia/Lord_Howe",
            "Asia/Kolkata",
            "America/Argentina/Buenos_Aires",
            "Etc/GMT+5",
            "UTC",
        ] {
            same_as_jiff(name);
        }
    }

    #[test]
    fn unusual_names_fall_back_to_jiff() {
        // A different case is found by jiff's case-blind search, under the file's own name.
        let tz = named("europe/paris").unwrap();
        assert_eq!(
            tz.iana_name(),
            TimeZone::get("europe/paris").unwrap().iana_name()
        );
        assert!(named("Not/AZone").is_err());
        assert!(named("../../etc/passwd").is_err());
        assert!(named("").is_err());
    }

    #[test]
    fn only_plain_names_are_read_directly() {
        assert!(plain_name("Europe/Paris"));
        assert!(plain_name("Etc/GMT-14"));
        for bad in [
            "",
            "/etc/localtime",
            "../x",
            "Europe//Paris",
            "posix/Europe/Paris",
            "a/.b",
        ] {
            assert!(!plain_name(bad), "{bad}");
        }
        assert_eq!(name_in_tz_variable("Europe/Paris"), Some("Europe/Paris"));
        assert_eq!(name_in_tz_variable("utc"), Some("utc"));
        for left_to_jiff in [
            "EST5EDT",
            "CET-1CEST,M3.5.0,M10.5.0/3",
            ":Europe/Paris",
            "/usr/share/zoneinfo/UTC",
        ] {
            assert_eq!(name_in_tz_variable(left_to_jiff), None, "{left_to_jiff}");
        }
        assert_eq!(
            name_in_link(Path::new("../usr/share/zoneinfo/Europe/Paris")),
            Some("Europe/Paris")
        );
        assert_eq!(name_in_link(Path::new("/etc/somewhere")), None);
    }
}
