//! `shopkeeper export REPORT ...`: a report to a CSV or Excel file, the
//! same bytes the window writes; an option the report does not take is
//! refused, naming the ones it takes.

use std::path::Path;

use anyhow::{Context, Result};

use super::{Command, open_to_read, replace};

/// Runs `export` (any other command is refused).
pub(super) fn run(path: &Path, command: &Command) -> Result<i32> {
    let Command::Export {
        report,
        from,
        to,
        by,
        customer,
        product,
        low,
        limit,
        segment,
        format,
        csv_separator,
        csv_bom,
        csv_decimal_comma,
        out,
        force,
    } = command
    else {
        anyhow::bail!("not an export");
    };
    use crate::domain::{Period, ReportKind, ReportSpec};
    use crate::export::{CsvOptions, Format, Separator};
    let kind = ReportKind::from_name(report).with_context(|| {
        let names: Vec<&str> = ReportKind::ALL.iter().map(|k| k.name()).collect();
        format!(
            "there is no report called \"{report}\"; choose one of {}",
            names.join(", ")
        )
    })?;
    let given = [
        ("--from", from.is_some()),
        ("--to", to.is_some()),
        ("--by", by.is_some()),
        ("--customer", customer.is_some()),
        ("--product", product.is_some()),
        ("--low", *low),
        ("--limit", limit.is_some()),
        ("--segment", segment.is_some()),
    ];
    let takes = export_options(kind);
    let unused: Vec<&str> = given
        .iter()
        .filter(|(name, on)| *on && !takes.contains(name))
        .map(|(name, _)| *name)
        .collect();
    if !unused.is_empty() {
        let takes = if takes.is_empty() {
            "it takes no options besides --format and --out".to_owned()
        } else {
            format!("it takes {}", takes.join(", "))
        };
        anyhow::bail!(
            "{} {} not used by the {} report, so nothing was written; {takes}",
            unused.join(" and "),
            if unused.len() == 1 { "is" } else { "are" },
            kind.name()
        );
    }
    // margin is by product, or by category or month with `--by`.
    let margin = [
        ReportKind::Margin,
        ReportKind::MarginByCategory,
        ReportKind::MarginByMonth,
    ];
    let (kind, by) = match (kind, by.as_deref().map(str::trim)) {
        (k, None) if margin.contains(&k) => (kind, Period::Day),
        (k, Some("product")) if margin.contains(&k) => (ReportKind::Margin, Period::Day),
        (k, Some("category")) if margin.contains(&k) => (ReportKind::MarginByCategory, Period::Day),
        (k, Some("month")) if margin.contains(&k) => (ReportKind::MarginByMonth, Period::Day),
        (k, Some(other)) if margin.contains(&k) => {
            anyhow::bail!("--by \"{other}\" is not product, category or month")
        }
        (_, by) => {
            let by = by.unwrap_or("day");
            let period = Period::from_name(by)
                .with_context(|| format!("--by \"{by}\" is not day, week, month or quarter"))?;
            (kind, period)
        }
    };
    let format = match format {
        Some(f) => Format::from_name(f)
            .with_context(|| format!("--format \"{f}\" is not csv or xlsx"))?,
        None => Format::from_path(out).with_context(|| {
            format!(
                "cannot tell the format of {} from its name; end it in .csv or .xlsx, or pass --format",
                out.display()
            )
        })?,
    };
    if format != Format::Csv && (*csv_bom || *csv_decimal_comma || csv_separator.is_some()) {
        anyhow::bail!(
            "--csv-separator, --csv-bom and --csv-decimal-comma are only for CSV files, so nothing was written; \
             leave them out for an Excel file"
        );
    }
    let separator = match csv_separator {
        Some(s) => Separator::from_name(s).with_context(|| {
            format!("--csv-separator \"{s}\" is not ',' or ';', so nothing was written")
        })?,
        None => Separator::Comma,
    };
    if *csv_decimal_comma && separator != Separator::Semicolon {
        anyhow::bail!(
            "--csv-decimal-comma needs --csv-separator ';' (a decimal comma in a ',' file \
             reads as two fields), so nothing was written"
        );
    }
    let csv = CsvOptions {
        separator,
        bom: *csv_bom,
        decimal_comma: *csv_decimal_comma,
    };
    let spec = ReportSpec {
        kind,
        from: from.clone(),
        to: to.clone(),
        by,
        customer: customer.clone(),
        product: product.clone(),
        low_only: *low,
        limit: *limit,
        segment: segment.clone(),
        sort: None,
    };
    let store = open_to_read(path)?;
    store.read_mapped();
    store.read_once();
    let started = std::time::Instant::now();
    let rows = crate::jobs::export_report_with(
        store.conn(),
        &spec,
        out,
        format,
        csv,
        replace(*force),
        &crate::jobs::Progress::default(),
    )
    .map_err(anyhow::Error::msg)?;
    println!(
        "Wrote {} of {} to {} in {:.2} s.",
        crate::domain::format::count(rows as i64, "row", "rows"),
        kind.name(),
        out.display(),
        started.elapsed().as_secs_f64()
    );
    Ok(0)
}

/// The options of `export` each report takes (the others are refused, not ignored).
fn export_options(kind: crate::domain::ReportKind) -> Vec<&'static str> {
    use crate::domain::ReportKind;
    let mut options = Vec::new();
    if kind.as_of() {
        // The year of --to against the year before; reorder and dead stock as of a day.
        options.push("--to");
    } else if kind.uses_dates() {
        options.extend(["--from", "--to"]);
    }
    options.extend(match kind {
        ReportKind::SalesByDate
        | ReportKind::Tax
        | ReportKind::PaymentsByMethod
        | ReportKind::Margin
        | ReportKind::MarginByCategory
        | ReportKind::MarginByMonth => &["--by"][..],
        ReportKind::CustomerHistory | ReportKind::CustomerData => &["--customer"],
        ReportKind::InventoryMovements => &["--product"],
        ReportKind::StockLevels => &["--low"],
        ReportKind::TopProducts | ReportKind::TopCustomers => &["--limit"],
        ReportKind::Segments => &["--segment"],
        _ => &[],
    });
    options
}
