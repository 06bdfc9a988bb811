//! CSV: RFC 4180 (comma, CRLF, quotes where needed), UTF-8, a header row of the
//! column names, amounts as plain decimals with the currency's digits. On
//! request (`CsvOptions`) a semicolon separates the fields, a byte order
//! mark starts the file and amounts take a decimal comma, as Excel wants
//! them where the comma is the decimal mark.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;

use super::{CsvOptions, ExportError, RowSink, neutralise};
use crate::domain::{Cell, CellKind, Currency, ReportKind};

pub struct CsvSink {
    writer: csv::Writer<BufWriter<File>>,
    kind: ReportKind,
    currency: Currency,
    rows: u64,
    line: Vec<String>,
    decimal_comma: bool,
}

impl CsvSink {
    pub fn create(
        path: &Path,
        kind: ReportKind,
        currency: &Currency,
        options: CsvOptions,
    ) -> Result<Self, csv::Error> {
        let file = File::create(path)?;
        let mut out = BufWriter::with_capacity(1 << 20, file);
        if options.bom {
            out.write_all("\u{feff}".as_bytes())?;
        }
        let mut writer = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .delimiter(options.separator.byte())
            .from_writer(out);
        writer.write_record(kind.columns().iter().map(|(name, _)| *name))?;
        Ok(CsvSink {
            writer,
            kind,
            currency: currency.clone(),
            rows: 0,
            line: Vec::new(),
            decimal_comma: options.writes_decimal_comma(),
        })
    }

    pub fn finish(mut self) -> Result<u64, std::io::Error> {
        self.writer.flush()?;
        let inner = self
            .writer
            .into_inner()
            .map_err(|e| std::io::Error::other(e.to_string()))?;
        let file = inner
            .into_inner()
            .map_err(|e| std::io::Error::other(e.to_string()))?;
        file.sync_all()?;
        Ok(self.rows)
    }
}

impl RowSink for CsvSink {
    fn row(&mut self, cells: &[Cell]) -> Result<(), ExportError> {
        self.line.clear();
        let kinds = self.kind.columns().iter().map(|(_, kind)| *kind);
        for (c, kind) in cells
            .iter()
            .zip(kinds.chain(std::iter::repeat(CellKind::Text)))
        {
            let number = |text: String| {
                if self.decimal_comma {
                    text.replace('.', ",")
                } else {
                    text
                }
            };
            self.line.push(match c {
                // A percent the report worked out ("-12.5") is a number, not
                // something a spreadsheet could take for a formula.
                Cell::Text(t) if kind == CellKind::Percent && t.parse::<f64>().is_ok() => {
                    number(t.clone())
                }
                Cell::Text(t) => neutralise(t).into_owned(),
                Cell::Amount(_) => number(c.plain(&self.currency)),
                other => other.plain(&self.currency),
            });
        }
        self.writer
            .write_record(&self.line)
            .map_err(|e| ExportError::Source(e.to_string()))?;
        self.rows += 1;
        Ok(())
    }
}
