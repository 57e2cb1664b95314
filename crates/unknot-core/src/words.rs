//! Numbers in plain words: a count with the right form of its noun ("1 exercise", "3
//! exercises"), so no edge prints "1 years".

/// `n` and the noun in the form that fits it.
pub fn count(n: impl Into<u64>, one: &str, many: &str) -> String {
    let n = n.into();
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_and_many() {
        assert_eq!(count(1u32, "year", "years"), "1 year");
        assert_eq!(count(0u32, "year", "years"), "0 years");
        assert_eq!(count(12u64, "exercise", "exercises"), "12 exercises");
    }
}
