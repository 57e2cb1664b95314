//! A FHIR search's parameters, read strictly against what the resource type declares: each
//! value parsed into a filter (tokens, references, dates with their prefixes), the page size
//! and cursor, and the includes; and the filters applied to the resources a handler found.
//! Pure: no store, no clock.

use jiff::Timestamp;
use jiff::civil::{Date, DateTime};
use unknot_core::InputError;
use unknot_export::fhir::server::ParamType;

use super::{Field, Item, Param};

/// The page size when a search names none.
pub(crate) const DEFAULT_COUNT: usize = 50;
/// The largest page a search may ask for (a larger `_count` is lowered to this, as FHIR
/// allows a server to do).
pub(crate) const MAX_COUNT: usize = 200;

/// A search, read.
#[derive(Debug, Clone, Default)]
pub(crate) struct Search {
    /// Every filter; all must hold (a parameter given twice is both).
    pub(crate) filters: Vec<Filter>,
    /// The page size.
    pub(crate) count: usize,
    /// Where the page starts: after this sort key.
    pub(crate) after: Option<(i64, String)>,
    /// The includes asked for, as the reference name they follow (`patient`).
    pub(crate) includes: Vec<String>,
    /// The request's pairs, without the cursor, in order (for the self and next links).
    pub(crate) pairs: Vec<(String, String)>,
}

/// One parameter's test: any of its comma-separated values may match.
#[derive(Debug, Clone)]
pub(crate) struct Filter {
    /// What it tests.
    pub(crate) field: Field,
    /// The alternatives.
    pub(crate) any_of: Vec<Test>,
}

/// One value of a parameter.
#[derive(Debug, Clone)]
pub(crate) enum Test {
    /// A code, with the system it must come from when one was named (`system|code`).
    Token(Option<String>, String),
    /// A reference's type and id.
    Reference(Option<String>, String),
    /// A date's comparison: the instant must fall in `[from, to)` for `eq`, and so on.
    Date(Prefix, Timestamp, Timestamp),
}

/// A date parameter's comparison.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Prefix {
    /// Within the given day, month, year or second.
    Eq,
    /// After it.
    Gt,
    /// Within it or after.
    Ge,
    /// Before it.
    Lt,
    /// Within it or before.
    Le,
}

impl Search {
    /// Reads `pairs` for a type whose parameters are `params` and includes `includes`. Strict:
    /// an unknown parameter, a modifier, an include the type does not offer, or a value that
    /// does not parse is refused, naming it.
    pub(crate) fn parse(
        params: &[Param],
        includes: &[&str],
        pairs: &[(String, String)],
    ) -> Result<Search, InputError> {
        let mut s = Search {
            count: DEFAULT_COUNT,
            ..Search::default()
        };
        for (name, value) in pairs {
            if name != "_cursor" {
                s.pairs.push((name.clone(), value.clone()));
            }
            match name.as_str() {
                "_count" => s.count = count(value)?,
                "_cursor" => s.after = Some(cursor(value)?),
                "_include" => {
                    if !includes.contains(&value.as_str()) {
                        return Err(InputError::malformed(
                            "_include",
                            value,
                            format!("this type includes only: {}", or_none(includes)),
                        ));
                    }
                    let follows = value.split_once(':').map_or("", |(_, p)| p);
                    s.includes.push(follows.to_string());
                }
                // The web edge has already answered the format (json only).
                "_format" => {}
                _ => s.filters.push(filter(params, name, value)?),
            }
        }
        Ok(s)
    }

    /// True when `item` passes every filter.
    pub(crate) fn matches(&self, item: &Item) -> bool {
        self.filters.iter().all(|f| f.matches(item))
    }

    /// The ids a `_id` filter allows, when there is one (handlers may load only these).
    pub(crate) fn ids(&self) -> Option<Vec<&str>> {
        self.values_of(Field::Id)
    }

    /// The patients a `patient` filter allows, when there is one.
    pub(crate) fn patients(&self) -> Option<Vec<&str>> {
        self.values_of(Field::Patient)
    }

    fn values_of(&self, field: Field) -> Option<Vec<&str>> {
        let f = self.filters.iter().find(|f| f.field == field)?;
        Some(
            f.any_of
                .iter()
                .filter_map(|t| match t {
                    Test::Token(_, v) | Test::Reference(_, v) => Some(v.as_str()),
                    Test::Date(..) => None,
                })
                .collect(),
        )
    }
}

fn or_none(list: &[&str]) -> String {
    if list.is_empty() {
        "nothing".into()
    } else {
        list.join(", ")
    }
}

fn count(value: &str) -> Result<usize, InputError> {
    match value.parse::<usize>() {
        Ok(n) => Ok(n.min(MAX_COUNT)),
        Err(_) => Err(InputError::malformed(
            "_count",
            value,
            "give a whole number of results a page (0 to 200)",
        )),
    }
}

/// The cursor: the sort key of the last result of the page before, as base64url text. Opaque
/// to clients; a page after it starts with the next key, so results made between two pages
/// neither repeat nor shift the rest.
pub(crate) fn encode_cursor(key: &(i64, String)) -> String {
    data_encoding::BASE64URL_NOPAD.encode(format!("{}.{}", key.0, key.1).as_bytes())
}

fn cursor(value: &str) -> Result<(i64, String), InputError> {
    let bad = || InputError::malformed("_cursor", value, "use the link[next] the server gave");
    let bytes = data_encoding::BASE64URL_NOPAD
        .decode(value.as_bytes())
        .map_err(|_| bad())?;
    let text = String::from_utf8(bytes).map_err(|_| bad())?;
    let (ms, id) = text.split_once('.').ok_or_else(bad)?;
    Ok((ms.parse().map_err(|_| bad())?, id.to_string()))
}

fn filter(params: &[Param], name: &str, value: &str) -> Result<Filter, InputError> {
    let Some(p) = params.iter().find(|p| p.spec.name == name) else {
        let known: Vec<&str> = params.iter().map(|p| p.spec.name).collect();
        let (shown, why) = match name.split_once(':') {
            Some(_) => (name, "modifiers are not supported".to_string()),
            None => (
                name,
                format!(
                    "not a search parameter of this type; it takes {}, _count and _include",
                    known.join(", ")
                ),
            ),
        };
        return Err(InputError::malformed("search parameter", shown, why));
    };
    let any_of = value
        .split(',')
        .map(|v| test(p, v))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Filter {
        field: p.field,
        any_of,
    })
}

fn test(p: &Param, v: &str) -> Result<Test, InputError> {
    let name = p.spec.name;
    if v.is_empty() {
        return Err(InputError::malformed(name, v, "give a value"));
    }
    Ok(match p.spec.kind {
        ParamType::Token | ParamType::String => match v.split_once('|') {
            Some((system, code)) => Test::Token(Some(system.to_string()), code.to_string()),
            None => Test::Token(None, v.to_string()),
        },
        ParamType::Reference => match v.rsplit_once('/') {
            Some((kind, id)) => Test::Reference(Some(kind.to_string()), id.to_string()),
            None => Test::Reference(None, v.to_string()),
        },
        ParamType::Date => {
            let (prefix, rest) = prefix(v);
            let (from, to) = date_range(rest).ok_or_else(|| {
                InputError::malformed(
                    name,
                    v,
                    "use a prefix (eq, gt, ge, lt, le) and a date: 2026-03, 2026-03-01 or \
                     2026-03-01T08:00:00Z",
                )
            })?;
            Test::Date(prefix, from, to)
        }
    })
}

fn prefix(v: &str) -> (Prefix, &str) {
    let known = [
        ("eq", Prefix::Eq),
        ("gt", Prefix::Gt),
        ("ge", Prefix::Ge),
        ("lt", Prefix::Lt),
        ("le", Prefix::Le),
    ];
    for (text, p) in known {
        if let Some(rest) = v.strip_prefix(text) {
            return (p, rest);
        }
    }
    (Prefix::Eq, v)
}

/// The instants a date names: a year, a month or a day (in UTC, as the server has no zone of
/// its own), or an instant with its offset (to the second).
fn date_range(v: &str) -> Option<(Timestamp, Timestamp)> {
    let utc = |d: DateTime| {
        d.to_zoned(jiff::tz::TimeZone::UTC)
            .ok()
            .map(|z| z.timestamp())
    };
    let day = |y: i16, m: i8, d: i8| Date::new(y, m, d).ok();
    match v.len() {
        4 => {
            let y: i16 = v.parse().ok()?;
            let start = day(y, 1, 1)?;
            Some((
                utc(start.into())?,
                utc(day(y.checked_add(1)?, 1, 1)?.into())?,
            ))
        }
        7 => {
            let (y, m) = v.split_once('-')?;
            let start = day(y.parse().ok()?, m.parse().ok()?, 1)?;
            let end = start.checked_add(jiff::Span::new().months(1)).ok()?;
            Some((utc(start.into())?, utc(end.into())?))
        }
        10 => {
            let start: Date = v.parse().ok()?;
            let end = start.tomorrow().ok()?;
            Some((utc(start.into())?, utc(end.into())?))
        }
        _ => {
            let t: Timestamp = v.parse().ok()?;
            Some((t, t.checked_add(jiff::SignedDuration::from_secs(1)).ok()?))
        }
    }
}

impl Filter {
    fn matches(&self, item: &Item) -> bool {
        self.any_of.iter().any(|t| t.matches(self.field, item))
    }
}

impl Test {
    fn matches(&self, field: Field, item: &Item) -> bool {
        match (self, field) {
            (Test::Token(_, v), Field::Id) => item.id == *v,
            (Test::Token(_, v), Field::Status) => item.status == Some(v.as_str()),
            (Test::Token(system, v), Field::Code) => item
                .code
                .is_some_and(|(s, c)| c == v && system.as_ref().is_none_or(|x| x == s)),
            (Test::Reference(kind, id), Field::Patient) => {
                kind.as_deref().is_none_or(|k| k == "Patient")
                    && item.patient.as_deref() == Some(id.as_str())
            }
            (Test::Reference(kind, id), Field::Ref(name)) => item.refs.iter().any(|(n, r)| {
                *n == name
                    && r.rsplit_once('/').is_some_and(|(rk, rid)| {
                        rid == id && kind.as_deref().is_none_or(|k| k == rk)
                    })
            }),
            (Test::Date(p, from, to), Field::Date) => {
                item.date.is_some_and(|t| p.holds(t, *from, *to))
            }
            (Test::Date(p, from, to), Field::LastUpdated) => {
                item.last_updated.is_some_and(|t| p.holds(t, *from, *to))
            }
            _ => false,
        }
    }
}

impl Prefix {
    /// Whether instant `t` compares to the range `[from, to)` as the prefix says.
    fn holds(self, t: Timestamp, from: Timestamp, to: Timestamp) -> bool {
        match self {
            Prefix::Eq => from <= t && t < to,
            Prefix::Gt => t >= to,
            Prefix::Ge => t >= from,
            Prefix::Lt => t < from,
            Prefix::Le => t < to,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_name_ranges_and_prefixes_compare_against_them() {
        let (from, to) = date_range("2026-03").unwrap();
        assert_eq!(from.to_string(), "2026-03-01T00:00:00Z");
        assert_eq!(to.to_string(), "2026-04-01T00:00:00Z");
        let t: Timestamp = "2026-03-15T10:00:00Z".parse().unwrap();
        assert!(Prefix::Eq.holds(t, from, to));
        assert!(Prefix::Ge.holds(t, from, to));
        assert!(Prefix::Le.holds(t, from, to));
        assert!(!Prefix::Gt.holds(t, from, to));
        assert!(!Prefix::Lt.holds(t, from, to));
        let (f, t2) = date_range("2026-03-01T08:00:00+01:00").unwrap();
        assert_eq!(f.to_string(), "2026-03-01T07:00:00Z");
        assert_eq!(t2.to_string(), "2026-03-01T07:00:01Z");
        assert!(date_range("2026-13").is_none());
        assert!(date_range("yesterday").is_none());
        assert!(date_range("2026").is_some());
    }

    #[test]
    fn cursors_round_trip_and_garbage_is_refused() {
        let key = (1_772_345_678_000, "abc-123".to_string());
        assert_eq!(cursor(&encode_cursor(&key)).unwrap(), key);
        assert!(cursor("not a cursor!").is_err());
        assert!(cursor(&data_encoding::BASE64URL_NOPAD.encode(b"12")).is_err());
    }

    #[test]
    fn counts_are_bounded() {
        assert_eq!(count("1000").unwrap(), MAX_COUNT);
        assert_eq!(count("0").unwrap(), 0);
        assert!(count("-1").is_err());
        assert!(count("ten").is_err());
    }
}
