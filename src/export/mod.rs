//! Report tables to files: CSV (RFC 4180) and Excel (.xlsx). No egui, no SQL:
//! the caller feeds rows from `store::reports::for_each`. A file is written
//! through `files::SafeFile` (a temporary name beside the target, renamed only
//! when complete and only over a regular file the user may replace), so a
//! cancelled or failed export leaves nothing behind.

mod csv_file;
mod png;
pub use png::write_png;
mod xlsx_file;

use std::path::{Path, PathBuf};

use crate::domain::format::{DecimalMark, LocalFormat};
use crate::domain::{Cell, Currency, ReportKind};
use crate::files::{FileError, Replace, SafeFile};

/// What separates a CSV file's fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Separator {
    #[default]
    Comma,
    Semicolon,
}

impl Separator {
    pub const ALL: [Separator; 2] = [Separator::Comma, Separator::Semicolon];

    pub fn byte(self) -> u8 {
        match self {
            Separator::Comma => b',',
            Separator::Semicolon => b';',
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Separator::Comma => "Comma (,)",
            Separator::Semicolon => "Semicolon (;)",
        }
    }

    /// "," or ";" (the command line's `--csv-separator`).
    pub fn from_name(name: &str) -> Option<Self> {
        match name.trim() {
            "," | "comma" => Some(Separator::Comma),
            ";" | "semicolon" => Some(Separator::Semicolon),
            _ => None,
        }
    }
}

/// How a CSV file is written: its separator, whether it starts with a
/// UTF-8 byte order mark (so Excel on Windows reads "Martín" as such), and
/// whether its amounts and percents take a decimal comma (`1234,50`, only
/// in a file separated by ';', as the import reads such a file).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct CsvOptions {
    pub separator: Separator,
    pub bom: bool,
    pub decimal_comma: bool,
}

impl CsvOptions {
    /// What a shop's spreadsheet most likely expects: where the decimal mark
    /// is a comma, Excel separates with ';', wants the mark, and reads
    /// `30.59` as text or a date (30 September), so amounts take the comma;
    /// elsewhere plain RFC 4180 (',', no mark, a decimal point).
    pub fn for_format(format: LocalFormat) -> Self {
        match format.number.decimal {
            DecimalMark::Comma => CsvOptions {
                separator: Separator::Semicolon,
                bom: true,
                decimal_comma: true,
            },
            DecimalMark::Point => CsvOptions::default(),
        }
    }

    /// Whether numbers are written with a decimal comma: asked for, in a
    /// file whose fields ';' separates.
    pub fn writes_decimal_comma(self) -> bool {
        self.decimal_comma && self.separator == Separator::Semicolon
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    Csv,
    Xlsx,
}

impl Format {
    pub fn extension(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Xlsx => "xlsx",
        }
    }

    pub fn from_name(name: &str) -> Option<Self> {
        match name.trim().to_ascii_lowercase().as_str() {
            "csv" => Some(Format::Csv),
            "xlsx" | "excel" => Some(Format::Xlsx),
            _ => None,
        }
    }

    /// The format a file name asks for, from its extension.
    pub fn from_path(path: &Path) -> Option<Self> {
        path.extension()
            .and_then(|e| e.to_str())
            .and_then(Format::from_name)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("could not write {}: {detail}", path.display())]
    Io { path: PathBuf, detail: String },
    #[error("{0}")]
    TooBig(String),
    #[error("the export was cancelled; no file was written")]
    Cancelled,
    #[error("{0}")]
    Source(String),
    #[error("{0}")]
    File(#[from] FileError),
}

/// Something that takes a report's rows in order.
pub trait RowSink {
    fn row(&mut self, cells: &[Cell]) -> Result<(), ExportError>;
}

/// A CSV text cell a spreadsheet could take for a formula gets a leading `'`
/// (Excel files need none: their text cells are typed strings).
pub fn neutralise(text: &str) -> std::borrow::Cow<'_, str> {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        std::borrow::Cow::Owned(format!("'{text}"))
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}

/// Writes a report to `path` in `format`. `feed` pushes every row into the
/// sink it is given (and returns the sink's first error, or its own:
/// `ExportError::Cancelled` when the user cancelled, `Source` when reading failed).
/// Returns how many data rows were written.
pub fn write_report(
    path: &Path,
    format: Format,
    csv: CsvOptions,
    kind: ReportKind,
    currency: &Currency,
    replace: Replace,
    feed: impl FnOnce(&mut dyn RowSink) -> Result<(), ExportError>,
) -> Result<u64, ExportError> {
    let file = SafeFile::prepare(path, replace)?;
    let temp = file.temp();
    let io = |e: &dyn std::fmt::Display| ExportError::Io {
        path: path.to_path_buf(),
        detail: e.to_string(),
    };
    let rows = match format {
        Format::Csv => {
            let mut w = csv_file::CsvSink::create(temp, kind, currency, csv).map_err(|e| io(&e))?;
            feed(&mut w)?;
            w.finish().map_err(|e| io(&e))?
        }
        Format::Xlsx => {
            let mut w = xlsx_file::XlsxSink::new(kind, currency).map_err(|e| io(&e))?;
            feed(&mut w)?;
            w.finish(temp).map_err(|e| io(&e))?
        }
    };
    file.commit()?;
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_neutralised_and_the_rest_left_alone() {
        for bad in ["=1+1", "+33 1 23", "-2", "@SUM(A1)", "\tx", "\rx"] {
            assert!(neutralise(bad).starts_with('\''), "{bad:?}");
        }
        for good in ["Ana", "#000123", "2026-01-01", ""] {
            assert_eq!(neutralise(good), good);
        }
        assert_eq!(Format::from_path(Path::new("a/b.XLSX")), Some(Format::Xlsx));
        assert_eq!(Format::from_path(Path::new("b.csv")), Some(Format::Csv));
        assert_eq!(Format::from_path(Path::new("b.txt")), None);
    }

    #[test]
    fn a_percent_is_a_number_in_a_csv_file_and_a_name_is_still_guarded() {
        use crate::domain::{Cell, Money};
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("margin.csv");
        let row = [
            Cell::Text("-X1".into()),
            Cell::Text("-Tea".into()),
            Cell::Int(-1),
            Cell::Amount(Money(-300)),
            Cell::Amount(Money(100)),
            Cell::Amount(Money(-400)),
            Cell::Text("-35.5".into()),
            Cell::Amount(Money(0)),
        ];
        write_report(
            &path,
            Format::Csv,
            CsvOptions::default(),
            ReportKind::Margin,
            &Currency::default(),
            crate::files::Replace::Allowed,
            |sink| sink.row(&row),
        )
        .unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert_eq!(
            text.lines().nth(1),
            Some("'-X1,'-Tea,-1,-3.00,1.00,-4.00,-35.5,0.00"),
            "{text}"
        );
    }
}
