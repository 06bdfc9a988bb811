//! A sales-by-date period in words: the key the report gives ('2026-03-02'
//! for a week, '2026-03' for a month) read as "Week of 2026-03-02" or
//! "March 2026", and whether the report's range covers only part of it (a
//! first or last period cut by the range, which must not read as a drop).

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

fn day(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()
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
    fn labels_in_words() {
        assert_eq!(Period::Day.label("2026-03-02"), "2026-03-02");
        assert_eq!(Period::Week.label("2026-03-02"), "Week of 2026-03-02");
        assert_eq!(Period::Month.label("2026-03"), "March 2026");
        assert_eq!(Period::Month.label("junk"), "junk");
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
