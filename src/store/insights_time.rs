//! The queries of Insights > Time, each also a report (`year-over-year`,
//! `weekday-hour`), so the plots, the files and `shopkeeper export` read the
//! same rows.
//! - This year against last: revenue after refunds by the one rule for
//!   money (sales at their order date, refunds of sales at theirs, taken
//!   off), from the daily summaries, per week of the year of the end date and
//!   of the year before. Week 1 is 1-7 January, week 2 8-14 January and so
//!   on; week 52 takes the year's last eight or nine days, so that each week
//!   meets the same days of the year before. The week of the end date meets
//!   last year's same week up to the same date (a week of one day so far
//!   against a whole one read as a fall, and made the totals of the report
//!   compare different days).
//! - Sales by weekday and hour: the orders that count as sales and their
//!   revenue as sold, by the weekday and hour they were taken (a refund has
//!   a day but no hour, so it is not spread over the hours), every one of the
//!   168 hours of the week listed, from the shop's first day of the week.
//!   It reads the hourly sales summary (`order_hourly`, see that module):
//!   at most 24 rows per day of the range.

use super::{codes, money_reports};
use crate::domain::ReportKind;

/// The query of a time report (None: not one of them).
pub(super) fn report_sql(kind: ReportKind) -> Option<String> {
    let sale = codes::sale("status");
    let sql = match kind {
        ReportKind::YearOverYear => format!(
            "WITH RECURSIVE bounds AS (
    SELECT CAST(substr(:to, 1, 4) AS INTEGER) AS this,
           printf('%04d-01-01', CAST(substr(:to, 1, 4) AS INTEGER) - 1) AS first,
           min((CAST(strftime('%j', :to) AS INTEGER) - 1) / 7 + 1, 52) AS running,
           date(:to, '-1 year') AS same_day),
days(day, revenue) AS (
    SELECT order_date, revenue FROM order_daily
    WHERE order_date BETWEEN (SELECT first FROM bounds) AND :to AND {sale}
    UNION ALL
    SELECT paid_on, -revenue FROM refund_daily
    WHERE paid_on BETWEEN (SELECT first FROM bounds) AND :to AND {sale}),
weekly AS (
    SELECT CAST(substr(day, 1, 4) AS INTEGER) AS year,
           min((CAST(strftime('%j', day) AS INTEGER) - 1) / 7 + 1, 52) AS week,
           sum(revenue) AS revenue
    FROM days
    -- The week still running is compared with the same days last year.
    WHERE NOT (substr(day, 1, 4) < substr(:to, 1, 4)
               AND min((CAST(strftime('%j', day) AS INTEGER) - 1) / 7 + 1, 52) = (SELECT running FROM bounds)
               AND day > (SELECT same_day FROM bounds))
    GROUP BY 1, 2),
weeks(week) AS (SELECT 1 UNION ALL SELECT week + 1 FROM weeks WHERE week < 52)
SELECT w.week, date(printf('%04d-01-01', b.this), printf('+%d days', 7 * (w.week - 1))),
       CASE WHEN date(printf('%04d-01-01', b.this), printf('+%d days', 7 * (w.week - 1))) <= :to
            THEN coalesce(t.revenue, 0) END,
       coalesce(l.revenue, 0)
FROM weeks w CROSS JOIN bounds b
LEFT JOIN weekly t ON t.year = b.this AND t.week = w.week
LEFT JOIN weekly l ON l.year = b.this - 1 AND l.week = w.week
ORDER BY w.week"
        ),
        // The hourly summary holds only the orders that count as sales.
        ReportKind::WeekdayHour => format!(
            "WITH RECURSIVE hours(h) AS (SELECT 0 UNION ALL SELECT h + 1 FROM hours WHERE h < 23),
weekdays(d) AS (SELECT 0 UNION ALL SELECT d + 1 FROM weekdays WHERE d < 6),
sold AS (
    SELECT CAST(strftime('%w', order_date) AS INTEGER) AS d, hour AS h, sum(orders) AS orders,
           sum(revenue) AS revenue
    FROM order_hourly
    WHERE order_date BETWEEN :from AND :to
    GROUP BY 1, 2)
SELECT CASE w.d WHEN 0 THEN 'Sunday' WHEN 1 THEN 'Monday' WHEN 2 THEN 'Tuesday' WHEN 3 THEN 'Wednesday'
                WHEN 4 THEN 'Thursday' WHEN 5 THEN 'Friday' ELSE 'Saturday' END,
       hours.h, coalesce(s.orders, 0), coalesce(s.revenue, 0)
FROM weekdays w CROSS JOIN hours
LEFT JOIN sold s ON s.d = w.d AND s.h = hours.h
ORDER BY (w.d - {start} + 7) % 7, hours.h",
            start = money_reports::week_start(),
        ),
        _ => return None,
    };
    Some(sql)
}
