//! The arithmetic of the Trends panel, as plain functions: key figures and
//! their change against the previous period, series from the sales-by-date
//! report less the refunds of each period, the margin from the margin
//! report, moving averages, and dates as plot coordinates.

use chrono::NaiveDate;

use super::{Cell, Money, Period, ReportTable};

/// The figures of a date range. Revenue and tax are after the refunds
/// dated in the range.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Figures {
    pub revenue: Money,
    pub tax: Money,
    pub orders: i64,
    pub items: i64,
    pub new_customers: i64,
}

impl Figures {
    /// Average order value (rounded to the nearest minor unit).
    pub fn average_order(&self) -> Money {
        if self.orders == 0 {
            Money(0)
        } else {
            Money((self.revenue.0 * 2 + self.orders) / (self.orders * 2))
        }
    }
}

/// The change from `before` to `now` in percent; None when there was nothing before.
pub fn change(now: i64, before: i64) -> Option<f64> {
    (before != 0).then(|| (now - before) as f64 * 100.0 / before.abs() as f64)
}

/// The range of the same length just before `from..=to`.
pub fn previous_range(from: NaiveDate, to: NaiveDate) -> (NaiveDate, NaiveDate) {
    let days = (to - from).num_days() + 1;
    let prev_to = from - chrono::Duration::days(1);
    (prev_to - chrono::Duration::days(days - 1), prev_to)
}

/// One period of the revenue series.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Point {
    /// As the report writes it: '2026-01-05', or '2026-01' by month.
    pub period: String,
    pub orders: i64,
    pub items: i64,
    /// After the refunds dated in the period.
    pub revenue: Money,
}

/// The series of a sales-by-date table, each period's revenue less the
/// revenue part of its refunds (`refunds`: per period, as the table names them).
pub fn series(table: &ReportTable, refunds: &[(String, Money)]) -> Vec<Point> {
    let column = |name: &str| table.columns().iter().position(|(n, _)| *n == name);
    let (Some(orders), Some(items), Some(revenue)) =
        (column("orders"), column("items"), column("revenue"))
    else {
        return Vec::new();
    };
    let refunds: std::collections::HashMap<&str, i64> =
        refunds.iter().map(|(p, m)| (p.as_str(), m.0)).collect();
    table
        .rows
        .iter()
        .filter_map(
            |r| match (r.first(), r.get(orders), r.get(items), r.get(revenue)) {
                (
                    Some(Cell::Text(p)),
                    Some(Cell::Int(o)),
                    Some(Cell::Int(i)),
                    Some(Cell::Amount(m)),
                ) => {
                    let back = refunds.get(p.as_str()).copied().unwrap_or(0);
                    Some(Point {
                        period: p.clone(),
                        orders: *o,
                        items: *i,
                        revenue: Money(m.0 - back),
                    })
                }
                _ => None,
            },
        )
        .collect()
}

/// The revenue per category of a margin-by-category report, for bars: a
/// bar shows what came in, so refunds not tied to a product, or a category
/// with more refunded than sold in the range, have none.
pub fn category_revenue(table: &ReportTable) -> Vec<(String, Money)> {
    let Some(revenue) = table.columns().iter().position(|(n, _)| *n == "revenue") else {
        return Vec::new();
    };
    table
        .rows
        .iter()
        .filter_map(|row| match (row.first(), row.get(revenue)) {
            (Some(Cell::Text(n)), Some(Cell::Amount(m))) if m.0 > 0 => Some((n.clone(), *m)),
            _ => None,
        })
        .collect()
}

/// The margin of a margin report (by product or category): the margin of
/// the sales sold at a known cost, and the revenue of those sales (None
/// when no sale had a known cost).
pub fn margin(table: &ReportTable) -> Option<(Money, Money)> {
    let column = |name: &str| table.columns().iter().position(|(n, _)| *n == name);
    let (margin, cost) = (column("margin")?, column("cost")?);
    let mut found = false;
    let (mut m, mut c) = (0i64, 0i64);
    for row in &table.rows {
        if let (Some(Cell::Amount(a)), Some(Cell::Amount(b))) = (row.get(margin), row.get(cost)) {
            found = true;
            m += a.0;
            c += b.0;
        }
    }
    found.then_some((Money(m), Money(m + c)))
}

/// The trailing moving average over `window` periods (None until the window is full).
pub fn moving_average(values: &[f64], window: usize) -> Vec<Option<f64>> {
    let window = window.max(1);
    let mut out = Vec::with_capacity(values.len());
    let mut sum = 0.0;
    for (i, v) in values.iter().enumerate() {
        sum += v;
        if i >= window {
            sum -= values[i - window];
        }
        out.push((i + 1 >= window).then(|| sum / window as f64));
    }
    out
}

/// The window of the moving average drawn for a granularity.
pub fn average_window(by: Period) -> usize {
    match by {
        Period::Day => 7,
        Period::Week => 4,
        Period::Month => 3,
        // Trends offers no quarters (`TRENDS`); a year of them.
        Period::Quarter => 4,
    }
}

/// A period's start as a day number (days since 1970-01-01), the plot's x.
pub fn period_day(period: &str) -> Option<f64> {
    let date = match period.len() {
        10 => super::period::day(period)?,
        7 => super::period::day(&format!("{period}-01"))?,
        _ => return None,
    };
    Some((date - NaiveDate::from_ymd_opt(1970, 1, 1)?).num_days() as f64)
}

/// A day number back to 'YYYY-MM-DD'.
pub fn day_label(day: f64) -> String {
    NaiveDate::from_ymd_opt(1970, 1, 1)
        .and_then(|d| d.checked_add_signed(chrono::TimeDelta::try_days(day.round() as i64)?))
        .map(super::period::ymd)
        .unwrap_or_default()
}

/// Keeps at most `max` points by taking, from each run of points, the one
/// with the largest value (so peaks stay visible).
pub fn thin(points: &[[f64; 2]], max: usize) -> Vec<[f64; 2]> {
    if points.len() <= max || max == 0 {
        return points.to_vec();
    }
    let per = points.len().div_ceil(max);
    points
        .chunks(per)
        .filter_map(|c| c.iter().copied().max_by(|a, b| a[1].total_cmp(&b[1])))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changes_and_averages() {
        assert_eq!(change(150, 100), Some(50.0));
        assert_eq!(change(50, 100), Some(-50.0));
        assert_eq!(change(5, 0), None);
        let f = Figures {
            revenue: Money(1001),
            tax: Money(0),
            orders: 2,
            items: 3,
            new_customers: 1,
        };
        assert_eq!(f.average_order(), Money(501));
        assert_eq!(Figures::default().average_order(), Money(0));
        let ma = moving_average(&[1.0, 2.0, 3.0, 4.0], 2);
        assert_eq!(ma, vec![None, Some(1.5), Some(2.5), Some(3.5)]);
    }

    #[test]
    fn previous_range_has_the_same_length() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        assert_eq!(
            previous_range(d("2026-03-01"), d("2026-03-31")),
            (d("2026-01-29"), d("2026-02-28"))
        );
        assert_eq!(
            previous_range(d("2026-01-10"), d("2026-01-10")),
            (d("2026-01-09"), d("2026-01-09"))
        );
    }

    #[test]
    fn days_and_labels() {
        assert_eq!(period_day("1970-01-02"), Some(1.0));
        assert_eq!(period_day("1970-02"), Some(31.0));
        assert_eq!(day_label(31.0), "1970-02-01");
        let pts: Vec<[f64; 2]> = (0..10).map(|i| [i as f64, (i % 3) as f64]).collect();
        let t = thin(&pts, 4);
        assert!(t.len() <= 4);
        assert!(t.iter().all(|p| p[1] == 2.0 || p[0] == 9.0));
    }
}
