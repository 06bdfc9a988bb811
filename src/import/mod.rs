//! Importing a shop's existing spreadsheets (CSV) of customers, products and
//! order lines. Every row is checked first; any problem refuses the whole file
//! with each bad row's line, column and reason, and the database is left as it
//! was. A good file is written in one transaction: all of it or none. Columns
//! Shopkeeper does not know are ignored (and named in the summary), unless a
//! mapping (`columns`: the dialog's choice, `--map`, or the one remembered
//! for the header) says which of ours they feed; rows of only separators are
//! skipped; every value a message repeats is cut short. A Shopify or
//! WooCommerce export is told from its header and read as it is
//! (`platform`); a mapping does not apply to it.

pub mod columns;
mod csv_in;
mod customers;
mod mapping;
mod orders;
mod platform;
mod problems;
mod products;
mod run;

use std::path::Path;

use crate::store::{self, Store, StoreError};

pub use columns::Columns;
pub use csv_in::CsvIn;
use mapping::normalise;
pub use mapping::{MAX_COLUMNS, Mapping};
pub use orders::parse_order_date;
pub use platform::{Format, Layout};
use problems::Problems;
pub use problems::{ECHO_CHARS, ECHO_NAMES, MAX_PROBLEMS, Problem, echo, names, problems_message};
pub use run::{remembered, run, run_as, run_mapped, run_with};

/// What a file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ImportKind {
    Customers,
    Products,
    Orders,
}

impl ImportKind {
    pub const ALL: [ImportKind; 3] = [
        ImportKind::Customers,
        ImportKind::Products,
        ImportKind::Orders,
    ];

    /// The name on the command line.
    pub fn name(self) -> &'static str {
        match self {
            ImportKind::Customers => "customers",
            ImportKind::Products => "products",
            ImportKind::Orders => "orders",
        }
    }

    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|k| k.name().eq_ignore_ascii_case(name.trim()))
    }

    pub fn label(self) -> &'static str {
        match self {
            ImportKind::Customers => "Customers",
            ImportKind::Products => "Products",
            ImportKind::Orders => "Orders (one row per order line)",
        }
    }

    /// The columns a file may have, and whether each is required.
    pub fn columns(self) -> &'static [(&'static str, bool)] {
        match self {
            ImportKind::Customers => &[
                ("name", true),
                ("email", false),
                ("phone", false),
                ("address", false),
                ("city", false),
                ("postal_code", false),
                ("country", false),
                ("notes", false),
                ("customer_number", false),
                ("archived", false),
            ],
            ImportKind::Products => &[
                ("sku", true),
                ("name", true),
                ("category", false),
                ("price", true),
                ("cost", false),
                ("stock", false),
                ("reorder_level", false),
                ("description", false),
                ("archived", false),
                // Empty: tracks stock; the shop's lead time and cover days.
                ("track_stock", false),
                ("lead_days", false),
                ("cover_days", false),
                // "VAT 20%" or "20%"; empty: no tax; no column: the shop's
                // default rate, as a product made in the window.
                ("tax_rate", false),
            ],
            ImportKind::Orders => &[
                // An order is named by its number or its reference (one of
                // the two columns), its customer by number or email.
                ("order_ref", false),
                ("order_date", true),
                ("customer_email", false),
                ("status", false),
                ("sku", true),
                ("quantity", true),
                ("unit_price", false),
                ("order_number", false),
                ("customer_number", false),
                // Money: the line's discount; the order's, on its first
                // line or repeated equal (`orders::money`).
                ("line_discount", false),
                ("order_discount", false),
                ("discount_code", false),
                ("shipping", false),
                ("tax", false),
                ("paid", false),
                ("payment_method", false),
                // The line's tax rate as sold and the units refunded; the
                // order's shipping rate, tax terms and refund.
                ("tax_rate", false),
                ("returned", false),
                ("restocked", false),
                ("shipping_tax_rate", false),
                ("prices_include_tax", false),
                ("refunded", false),
                ("refunded_on", false),
                ("unit_cost", false),
            ],
        }
    }
}

/// Why an amount of a file was refused, naming the amount as the file wrote
/// it and the file's decimal separator (a file separated by semicolons
/// writes `12,50`): "\"12.555\": use at most 2 digits after the decimal point".
pub(super) fn amount_problem(text: &str, e: &crate::domain::MoneyError, decimal: char) -> String {
    use crate::domain::MoneyError;
    let why = match (e, decimal) {
        (MoneyError::TooManyDecimals(n), ',') => {
            format!("use at most {n} digits after the decimal comma")
        }
        (MoneyError::NotANumber, ',') => {
            "use digits and one decimal comma only, for example 12,50".to_owned()
        }
        _ => e.to_string(),
    };
    match e {
        // These name what they were given already.
        MoneyError::Ambiguous { .. } | MoneyError::OtherCurrency { .. } => why,
        _ => format!("\"{}\": {why}", echo(text.trim())),
    }
}

/// A tax rate as a file writes it ("VAT 20%" or "20%"; empty: none, 0 %).
/// A name given beside the percent is added to `named` (once), for the shop
/// to learn.
pub(super) fn tax_rate(
    text: &str,
    named: &mut Vec<(Box<str>, crate::domain::Rate)>,
) -> Result<crate::domain::Rate, String> {
    use crate::domain::Rate;
    let t = text.trim();
    if t.is_empty() {
        return Ok(Rate(0));
    }
    let (name, percent) = match t.rsplit_once(' ') {
        Some((name, percent)) => (name.trim(), percent),
        None => ("", t),
    };
    if !percent.ends_with('%') {
        return Err(format!(
            "\"{}\" is not a tax rate; write it as 20% or VAT 20%",
            echo(t)
        ));
    }
    let rate = Rate::parse(percent)?;
    if rate.0 > 100_000 {
        return Err("a tax rate is at most 100%".into());
    }
    if !name.is_empty() {
        crate::domain::check_text(name, false)?;
        if name.chars().count() > 64 {
            return Err("keep the rate's name under 64 characters".into());
        }
        if !named.iter().any(|(n, r)| *r == rate && **n == *name) {
            named.push((name.into(), rate));
        }
    }
    Ok(rate)
}

/// An `archived` cell: empty, "no", "false" or "0" is not archived; "yes",
/// "true" or "1" is.
fn parse_archived(text: &str) -> Result<bool, String> {
    match text.trim().to_ascii_lowercase().as_str() {
        "" | "no" | "false" | "0" => Ok(false),
        "yes" | "true" | "1" => Ok(true),
        other => Err(format!("\"{other}\" is not yes or no")),
    }
}

/// Why a file was not imported. In every case nothing was written.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("{path} could not be read: {detail}")]
    Unreadable { path: String, detail: String },
    #[error("{path} is not a CSV file Shopkeeper can read: {detail}")]
    NotCsv { path: String, detail: String },
    #[error("{}", columns_message(.missing, .duplicated))]
    Columns {
        missing: Vec<String>,
        duplicated: Vec<String>,
    },
    #[error("the file has a header but no rows to import")]
    Empty,
    #[error("{} in the file, so nothing was imported. Fix {} and import it again.", problems_message(.problems.len() + .more), if .problems.len() + .more == 1 { "it" } else { "them" })]
    Rows { problems: Vec<Problem>, more: usize },
    #[error("{0}; nothing was imported")]
    Map(String),
    #[error("the import was cancelled; nothing was imported")]
    Cancelled,
    #[error("{0}")]
    Store(StoreError),
}

impl From<StoreError> for ImportError {
    /// A cancelled store task is the import's own cancellation.
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Cancelled => ImportError::Cancelled,
            other => ImportError::Store(other),
        }
    }
}

fn columns_message(missing: &[String], duplicated: &[String]) -> String {
    let mut parts = Vec::new();
    if !missing.is_empty() {
        parts.push(format!("missing required columns: {}", names(missing)));
    }
    if !duplicated.is_empty() {
        parts.push(format!("columns named twice: {}", names(duplicated)));
    }
    format!(
        "the file's columns do not fit, so nothing was imported ({})",
        parts.join("; ")
    )
}

impl ImportError {
    /// The message with every listed problem on its own line, for printing.
    pub fn full(&self) -> String {
        match self {
            ImportError::Rows { problems, more } => {
                let mut s = self.to_string();
                for p in problems {
                    s.push_str("\n  ");
                    s.push_str(&p.to_string());
                }
                if *more > 0 {
                    s.push_str(&format!("\n  … and {more} more"));
                }
                s
            }
            other => other.to_string(),
        }
    }
}

/// The first rows of a file and how its columns are understood, for a look
/// before importing.
#[derive(Debug, Clone)]
pub struct Preview {
    pub headers: Vec<String>,
    /// For each file column, the field it feeds (None: the column is ignored).
    pub fields: Vec<Option<&'static str>>,
    pub rows: Vec<(u64, Vec<String>)>,
    pub delimiter: char,
    /// Why the columns do not fit, if they do not.
    pub column_problem: Option<String>,
    /// The platform's export the header was recognised as ("Shopify orders export").
    pub layout: Option<&'static str>,
    /// What that layout does with the rows (statuses, made-up SKUs, currency).
    pub notes: Vec<String>,
}

/// Reads the header and the first `max_rows` rows of `path`.
pub fn preview(path: &Path, kind: ImportKind, max_rows: usize) -> Result<Preview, ImportError> {
    preview_as(path, kind, max_rows, None)
}

/// `preview`, with the user's word on whose layout the file is in.
pub fn preview_as(
    path: &Path,
    kind: ImportKind,
    max_rows: usize,
    format: Option<Format>,
) -> Result<Preview, ImportError> {
    let mut csv = CsvIn::open(path)?;
    let layout = platform::detect(&csv.headers, format)?;
    let (fields, column_problem) = match (layout, Mapping::new(kind, &csv.headers)) {
        (Some(l), _) => (platform::preview_fields(l, &csv.headers), None),
        (None, Ok(m)) => (
            (0..csv.headers.len())
                .map(|i| m.field_of(kind, i))
                .collect(),
            None,
        ),
        (None, Err(e)) => (
            csv.headers
                .iter()
                .map(|h| {
                    let key = normalise(h);
                    kind.columns()
                        .iter()
                        .find(|(c, _)| *c == key)
                        .map(|(c, _)| *c)
                })
                .collect(),
            Some(e.to_string()),
        ),
    };
    let mut rows = Vec::new();
    while rows.len() < max_rows {
        match csv.next_row() {
            None => break,
            Some(Ok(row)) => rows.push((row.line, row.fields.iter().map(str::to_owned).collect())),
            Some(Err((line, reason))) => rows.push((line, vec![format!("({reason})")])),
        }
    }
    let notes = layout.map_or_else(Vec::new, |l| {
        platform::preview_notes(l, &csv.headers, &rows)
    });
    Ok(Preview {
        headers: csv.headers.clone(),
        fields,
        rows,
        delimiter: char::from(csv.delimiter),
        column_problem,
        layout: layout.map(Layout::name),
        notes,
    })
}

/// How to import.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ImportOptions {
    /// Orders: record them as past orders that never move stock.
    pub history: bool,
    /// Check everything, write nothing.
    pub dry_run: bool,
}

/// What an import did (or, in a dry run, would do).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportSummary {
    pub kind: ImportKind,
    pub rows: u64,
    /// Orders created from the rows (orders files only).
    pub orders: u64,
    pub dry_run: bool,
    /// The file's columns that were ignored.
    pub ignored: Vec<String>,
    /// The platform's export the file was read as, if it was one.
    pub layout: Option<&'static str>,
    /// What a platform's import found ("3 new, 2 already here", currency, statuses).
    pub notes: Vec<String>,
}

impl ImportSummary {
    pub fn message(&self) -> String {
        let count =
            |n: u64, one: &str, many: &str| crate::domain::format::count(n as i64, one, many);
        let what = match self.kind {
            ImportKind::Customers => count(self.rows, "customer", "customers"),
            ImportKind::Products => count(self.rows, "product", "products"),
            ImportKind::Orders => format!(
                "{} ({})",
                count(self.orders, "order", "orders"),
                count(self.rows, "order line", "order lines")
            ),
        };
        let ignored = match self.ignored.len() {
            0 => String::new(),
            1 => format!(" The column {} was ignored.", names(&self.ignored)),
            _ => format!(" The columns {} were ignored.", names(&self.ignored)),
        };
        let mut notes = String::new();
        for n in &self.notes {
            notes.push(' ');
            notes.push_str(n);
        }
        let from = self
            .layout
            .map_or(String::new(), |l| format!(" from a {l}"));
        if self.dry_run {
            format!(
                "The file is ready: {what} would be imported{from}. Nothing was written.{ignored}{notes}"
            )
        } else {
            format!("Imported {what}{from}.{ignored}{notes}")
        }
    }
}

/// Reads every row, handing each well-formed one to `each`; rows that cannot
/// be read or have the wrong number of fields become problems. A row of only
/// separators and spaces (spreadsheets write them) is skipped.
fn read_rows(
    csv: &mut CsvIn,
    mapping: &Mapping,
    problems: &mut Problems,
    progress: &mut dyn FnMut(u64, u64) -> bool,
    mut each: impl FnMut(u64, &csv::StringRecord, &mut Problems),
) -> Result<u64, ImportError> {
    let size = csv.size.max(1);
    let mut rows = 0u64;
    while let Some(next) = csv.next_row() {
        rows += 1;
        match next {
            Err((line, reason)) => problems.add(line, "", reason),
            Ok(row) => {
                if row.fields.iter().all(|f| f.trim().is_empty()) {
                    rows -= 1;
                    continue;
                }
                if rows.is_multiple_of(20_000) && !progress(row.offset, size * 2) {
                    return Err(ImportError::Cancelled);
                }
                if row.fields.len() != mapping.width {
                    problems.add(
                        row.line,
                        "",
                        format!(
                            "this row has {} fields but the header has {}; check for a missing or extra {}",
                            row.fields.len(),
                            mapping.width,
                            "separator or an unclosed quote"
                        ),
                    );
                    continue;
                }
                each(row.line, row.fields, problems);
            }
        }
    }
    if rows == 0 {
        return Err(ImportError::Empty);
    }
    Ok(rows)
}

/// One entry in the change log for a whole import (an import is not undone
/// row by row; the backup taken before it brings the shop back).
fn log_import(conn: &rusqlite::Connection, summary: &str) -> Result<(), ImportError> {
    store::changelog::record(
        conn,
        store::changelog::Entity::Import,
        None,
        store::changelog::Action::Import,
        summary,
        None,
        None,
    )?;
    Ok(())
}

/// Progress through the writing half, as (done, total) on the same scale as reading.
fn write_progress(size: u64, i: usize, n: usize) -> (u64, u64) {
    let size = size.max(1);
    (size + size * i as u64 / n.max(1) as u64, size * 2)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn order_dates() {
        let ok = |t: &str| parse_order_date(t).unwrap();
        assert_eq!(ok("2024-03-05"), ("2024-03-05".into(), "00:00:00".into()));
        assert_eq!(
            ok(" 2024-03-05 14:30 "),
            ("2024-03-05".into(), "14:30:00".into())
        );
        assert_eq!(
            ok("2024-03-05T14:30:59"),
            ("2024-03-05".into(), "14:30:59".into())
        );
        assert_eq!(
            ok("2024-02-29 00:00:00"),
            ("2024-02-29".into(), "00:00:00".into())
        );
        for bad in [
            "",
            "2023-02-29",
            "2024-13-01",
            "2024-1-5",
            "05/03/2024",
            "2024-03-05 24:00",
            "2024-03-05 14:3",
            "2024-03-05X14:30",
            "2024-03-05 14:30:60",
            "20240305",
            "2024-03-05 14:30:00Z",
            "2024-03-05 ١٤:30",
        ] {
            assert!(parse_order_date(bad).is_err(), "{bad:?} was accepted");
        }
    }

    #[test]
    fn headers_match_ignoring_case_spaces_and_order() {
        let headers: Vec<String> = ["Postal Code", " NAME ", "e-mail"].map(String::from).into();
        // A column Shopkeeper does not know is ignored, and named.
        let m = Mapping::new(ImportKind::Customers, &headers).unwrap();
        assert_eq!(m.ignored, vec!["e-mail".to_owned()]);
        assert_eq!(m.field_of(ImportKind::Customers, 2), None);
        let headers: Vec<String> = ["e-mail", "Postal code"].map(String::from).into();
        match Mapping::new(ImportKind::Customers, &headers) {
            Err(ImportError::Columns {
                missing,
                duplicated,
            }) => {
                assert_eq!(missing, vec!["name".to_owned()]);
                assert!(duplicated.is_empty());
            }
            other => panic!("{other:?}"),
        }
        let headers: Vec<String> = ["Postal Code", " NAME "].map(String::from).into();
        let m = Mapping::new(ImportKind::Customers, &headers).unwrap();
        assert_eq!(m.field_of(ImportKind::Customers, 0), Some("postal_code"));
        assert_eq!(m.field_of(ImportKind::Customers, 1), Some("name"));
    }
}
