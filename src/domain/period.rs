//! A sales-by-date period in words: the key the report gives ('2026-03-02'
//! for a week, '2026-03' for a month) read as "Week of 2026-03-02" or
//! "March 2026", and whether the report's range covers only part of it (a
//! first or last period cut by the range, which must not read as a drop);
//! and a stored day read and written without chrono's format strings.

use chrono::{Datelike, NaiveDate};

use super::Period;

/// How much of a period a range covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Coverage {
    /// Days of the period inside the range.
    pub days: i64,
    /// Days of the whole period.
    pub of: i64,
}

impl Coverage {
    pub fn partial(&self) -> bool {
        self.days < self.of
    }
}

/// A stored day ('YYYY-MM-DD'). The stored form is read digit by digit
/// (charts and reports read thousands of them a frame, and chrono's
/// `parse_from_str` reads its format string again each time); anything
/// else is left to chrono, so both accept the same texts.
pub fn day(text: &str) -> Option<NaiveDate> {
    let b = text.as_bytes();
    let digits = |r: std::ops::Range<usize>| {
        b.get(r)?.iter().try_fold(0u32, |n, &c| {
            c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
        })
    };
    if b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && let (Some(y), Some(m), Some(d)) = (digits(0..4), digits(5..7), digits(8..10))
    {
        return NaiveDate::from_ymd_opt(i32::try_from(y).ok()?, m, d);
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()
}

/// A day as stored: 'YYYY-MM-DD' (what `format("%Y-%m-%d")` writes for
/// years 0 to 9999, without reading a format string).
pub fn ymd(d: NaiveDate) -> String {
    if (0..=9999).contains(&d.year()) {
        format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day())
    } else {
        d.format("%Y-%m-%d").to_string()
    }
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

impl Period {
    /// The first and last day of the period a report row stands for.
    pub fn bounds(self, key: &str) -> Option<(NaiveDate, NaiveDate)> {
        match self {
            Period::Day => day(key).map(|d| (d, d)),
            Period::Week => day(key).map(|d| (d, d + chrono::Duration::days(6))),
            Period::Month => {
                let first = day(&format!("{key}-01"))?;
                let next = first.checked_add_months(chrono::Months::new(1))?;
                Some((first, next - chrono::Duration::days(1)))
            }
            Period::Quarter => {
                let (year, q) = key.split_once("-Q")?;
                let q: u32 = q.parse().ok().filter(|q| (1..=4).contains(q))?;
                let first = day(&format!("{year}-{:02}-01", 3 * q - 2))?;
                let next = first.checked_add_months(chrono::Months::new(3))?;
                Some((first, next - chrono::Duration::days(1)))
            }
        }
    }

    /// Whether the period holds the day `today` (stored form): it is still
    /// going on, so its figures are only so far.
    pub fn holds(self, key: &str, today: &str) -> bool {
        match (self.bounds(key), day(today)) {
            (Some((first, last)), Some(today)) => first <= today && today <= last,
            _ => false,
        }
    }

    /// The period in words: "2026-03-02", "Week of 2026-03-02", "March 2026".
    pub fn label(self, key: &str) -> String {
        match self {
            Period::Day => key.to_owned(),
            Period::Week => format!("Week of {key}"),
            Period::Month => match self.bounds(key) {
                Some((first, _)) => {
                    let month = MONTHS.get(first.month0() as usize).copied().unwrap_or("");
                    format!("{month} {}", first.year())
                }
                None => key.to_owned(),
            },
            // "Q1 2026 (January–March)".
            Period::Quarter => match self.bounds(key) {
                Some((first, last)) => {
                    let month =
                        |d: NaiveDate| MONTHS.get(d.month0() as usize).copied().unwrap_or("");
                    let q = first.month0() / 3 + 1;
                    format!("Q{q} {} ({}–{})", first.year(), month(first), month(last))
                }
                None => key.to_owned(),
            },
        }
    }

    /// How much of the period the range `from..=to` ('YYYY-MM-DD') covers.
    pub fn coverage(self, key: &str, from: &str, to: &str) -> Option<Coverage> {
        let (start, end) = self.bounds(key)?;
        let (from, to) = (day(from)?, day(to)?);
        let of = (end - start).num_days() + 1;
        let days = ((end.min(to) - start.max(from)).num_days() + 1).clamp(0, of);
        Some(Coverage { days, of })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_read_and_written_as_chrono_does() {
        for text in [
            "2026-03-02",
            "2024-02-29",
            "2023-02-29",
            "2026-13-01",
            "2026-00-10",
            "2026-01-32",
            "0000-01-01",
            "9999-12-31",
            "2026-1-02",
            "2026-01-2",
            "+2026-01-02",
            "2026/01/02",
            "２０２６-01-02",
            "",
            "2026-01-02 ",
            "20260102",
        ] {
            let chrono = NaiveDate::parse_from_str(text, "%Y-%m-%d").ok();
            assert_eq!(day(text), chrono, "{text:?}");
            if let Some(d) = chrono {
                assert_eq!(ymd(d), d.format("%Y-%m-%d").to_string());
            }
        }
        let mut d = NaiveDate::from_ymd_opt(1999, 12, 25).unwrap();
        for _ in 0..800 {
            let text = ymd(d);
            assert_eq!(text, d.format("%Y-%m-%d").to_string());
            assert_eq!(day(&text), Some(d));
            d = d.succ_opt().unwrap();
        }
    }

    #[test]
    fn labels_in_words() {
        assert_eq!(Period::Day.label("2026-03-02"), "2026-03-02");
        assert_eq!(Period::Week.label("2026-03-02"), "Week of 2026-03-02");
        assert_eq!(Period::Month.label("2026-03"), "March 2026");
        assert_eq!(Period::Month.label("junk"), "junk");
        assert_eq!(Period::Quarter.label("2026-Q1"), "Q1 2026 (January–March)");
        assert_eq!(
            Period::Quarter.label("2025-Q4"),
            "Q4 2025 (October–December)"
        );
        assert_eq!(Period::Quarter.label("2026-Q5"), "2026-Q5");
        let q3 = Period::Quarter.bounds("2026-Q3").unwrap();
        assert_eq!(
            (q3.0.to_string(), q3.1.to_string()),
            ("2026-07-01".into(), "2026-09-30".into())
        );
        assert!(
            Period::Quarter
                .coverage("2026-Q1", "2026-02-01", "2026-12-31")
                .unwrap()
                .partial()
        );
    }

    #[test]
    fn partial_first_and_last_periods() {
        let c = |p: Period, k, f, t| Period::coverage(p, k, f, t).unwrap();
        // 2026-03-04 is a Wednesday: its week began on Monday the 2nd.
        assert_eq!(
            c(Period::Week, "2026-03-02", "2026-03-04", "2026-04-30"),
            Coverage { days: 5, of: 7 }
        );
        assert!(!c(Period::Week, "2026-03-09", "2026-03-04", "2026-04-30").partial());
        assert_eq!(
            c(Period::Month, "2026-02", "2026-01-10", "2026-02-10"),
            Coverage { days: 10, of: 28 }
        );
        assert!(!c(Period::Month, "2026-01", "2026-01-01", "2026-02-10").partial());
        assert!(!c(Period::Day, "2026-01-05", "2026-01-05", "2026-01-05").partial());
    }
}
