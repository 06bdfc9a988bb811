//! Excel: numbers as numeric cells in the currency's format, dates as date
//! cells, text as typed string cells (written as it is: unlike CSV, Excel
//! never reads a string cell as a formula), a bold frozen header with an
//! autofilter, sensible column widths.

use std::path::Path;

use rust_xlsxwriter::{ExcelDateTime, Format, Workbook, XlsxError};

use super::{ExportError, RowSink};
use crate::domain::{Cell, CellKind, Currency, ReportKind};

/// Excel's last row, less the header.
const MAX_ROWS: u32 = 1_048_575;

pub struct XlsxSink {
    workbook: Workbook,
    kind: ReportKind,
    money: Format,
    date: Format,
    /// Sales by month's periods ("2026-01"): the month's first day, shown as the month.
    month: Format,
    /// A percent: one decimal.
    percent: Format,
    scale: f64,
    row: u32,
}

impl XlsxSink {
    pub fn new(kind: ReportKind, currency: &Currency) -> Result<Self, XlsxError> {
        let mut workbook = Workbook::new();
        let money = Format::new().set_num_format(money_format(currency));
        let date = Format::new().set_num_format("yyyy-mm-dd");
        let bold = Format::new().set_bold();
        let sheet = workbook.add_worksheet_with_constant_memory()?;
        sheet.set_name(kind.name().get(..31).unwrap_or(kind.name()))?;
        for (col, (name, cell)) in kind.columns().iter().enumerate() {
            let col = col as u16;
            let width = match (cell, *name) {
                (_, "product" | "customer") => 30.0,
                (_, "email") => 28.0,
                (CellKind::Date, _) => 12.0,
                (CellKind::Amount, _) => 14.0,
                (CellKind::Int | CellKind::Percent, _) => 10.0,
                (CellKind::Text, _) => 16.0,
            };
            sheet.set_column_width(col, width)?;
            sheet.write_string_with_format(0, col, *name, &bold)?;
        }
        sheet.set_freeze_panes(1, 0)?;
        Ok(XlsxSink {
            workbook,
            kind,
            money,
            date,
            month: Format::new().set_num_format("yyyy-mm"),
            percent: Format::new().set_num_format("0.0"),
            scale: 10f64.powi(currency.decimals.min(3) as i32),
            row: 0,
        })
    }

    pub fn finish(mut self, path: &Path) -> Result<u64, XlsxError> {
        let last_col = (self.kind.columns().len() as u16).saturating_sub(1);
        let last_row = self.row.max(1);
        let sheet = self.workbook.worksheet_from_index(0)?;
        sheet.autofilter(0, 0, last_row, last_col)?;
        self.workbook.save(path)?;
        Ok(u64::from(self.row))
    }

    fn write(&mut self, cells: &[Cell]) -> Result<(), XlsxError> {
        let row = self.row + 1;
        let columns = self.kind.columns();
        let sheet = self.workbook.worksheet_from_index(0)?;
        for (col, (cell, (_, kind))) in cells.iter().zip(columns).enumerate() {
            let col = col as u16;
            match cell {
                Cell::Empty => {}
                Cell::Int(n) => {
                    sheet.write_number(row, col, *n as f64)?;
                }
                Cell::Amount(m) => {
                    sheet.write_number_with_format(
                        row,
                        col,
                        m.0 as f64 / self.scale,
                        &self.money,
                    )?;
                }
                Cell::Text(t) if *kind == CellKind::Date => {
                    let month = (t.len() == 7)
                        .then(|| ExcelDateTime::parse_from_str(&format!("{t}-01")).ok())
                        .flatten();
                    match (ExcelDateTime::parse_from_str(t), month) {
                        (Ok(d), _) => {
                            sheet.write_datetime_with_format(row, col, &d, &self.date)?;
                        }
                        (Err(_), Some(m)) => {
                            sheet.write_datetime_with_format(row, col, &m, &self.month)?;
                        }
                        (Err(_), None) => {
                            sheet.write_string(row, col, t)?;
                        }
                    }
                }
                // A percent is a number, with its one decimal.
                Cell::Text(t)
                    if *kind == CellKind::Percent
                        && let Ok(v) = t.parse::<f64>() =>
                {
                    sheet.write_number_with_format(row, col, v, &self.percent)?;
                }
                // A typed string cell: Excel never reads it as a formula,
                // so it needs no guard (only CSV does).
                Cell::Text(t) => {
                    sheet.write_string(row, col, t)?;
                }
            }
        }
        self.row = row;
        Ok(())
    }
}

impl RowSink for XlsxSink {
    fn row(&mut self, cells: &[Cell]) -> Result<(), ExportError> {
        if self.row >= MAX_ROWS {
            return Err(ExportError::TooBig(
                "this report has more rows than Excel can hold (1,048,575); export it to CSV instead".into(),
            ));
        }
        self.write(cells)
            .map_err(|e| ExportError::Source(e.to_string()))
    }
}

/// Excel's number format of an amount: the currency's decimals, with its
/// symbol where the shop writes it ("12,50 €" in a French shop: a tryout's
/// file read "€12,50"); Excel shows the marks of the computer it runs on.
fn money_format(currency: &Currency) -> String {
    let decimals = currency.decimals.min(3) as usize;
    let digits = if decimals == 0 {
        "#,##0".to_owned()
    } else {
        format!("#,##0.{}", "0".repeat(decimals))
    };
    let symbol = currency.symbol.replace('"', "");
    if symbol.trim().is_empty() {
        return digits;
    }
    use crate::domain::format::SymbolPlace;
    match currency.style.symbol {
        SymbolPlace::Before => format!("\"{symbol}\"{digits}"),
        SymbolPlace::BeforeSpace => format!("\"{} \"{digits}", symbol.trim_end()),
        SymbolPlace::After => format!("{digits}\"{symbol}\""),
        SymbolPlace::AfterSpace => format!("{digits}\" {}\"", symbol.trim_start()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::format::SymbolPlace;

    #[test]
    fn the_symbol_stands_where_the_shop_writes_it() {
        let mut c = Currency::default();
        assert_eq!(money_format(&c), "\"$\"#,##0.00");
        c.symbol = "€".into();
        c.style.symbol = SymbolPlace::AfterSpace;
        assert_eq!(money_format(&c), "#,##0.00\" €\"");
        c.style.symbol = SymbolPlace::After;
        assert_eq!(money_format(&c), "#,##0.00\"€\"");
        c.symbol = "Fr.".into();
        c.style.symbol = SymbolPlace::BeforeSpace;
        assert_eq!(money_format(&c), "\"Fr. \"#,##0.00");
        c.symbol = "¥".into();
        c.decimals = 0;
        c.style.symbol = SymbolPlace::Before;
        assert_eq!(money_format(&c), "\"¥\"#,##0");
    }
}
