//! How numbers are written for people: counts of nouns ("1 customer", "3
//! customers"), with digits grouped by thousands.

/// The noun that goes with `n`: `one` for exactly one, `many` otherwise
/// (English: "0 customers", "1 customer", "2 customers").
pub fn noun<'a>(n: i64, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 { one } else { many }
}

/// "1 customer", "12,345 customers": a count with its noun, the one way
/// messages count things (the window groups digits the shop's way, see
/// `ui::widgets::count`).
pub fn count(n: i64, one: &str, many: &str) -> String {
    format!("{} {}", group(n, ','), noun(n, one, many))
}

/// "1,234,567" with `separator` between groups of three digits.
pub fn group(n: i64, separator: char) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if n < 0 {
        out.push('-');
    }
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(separator);
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_of_nouns() {
        assert_eq!(count(0, "customer", "customers"), "0 customers");
        assert_eq!(count(1, "customer", "customers"), "1 customer");
        assert_eq!(count(2, "order line", "order lines"), "2 order lines");
        assert_eq!(count(12345, "row", "rows"), "12,345 rows");
        assert_eq!(group(-1000, '.'), "-1.000");
        assert_eq!(group(999, ','), "999");
    }
}
