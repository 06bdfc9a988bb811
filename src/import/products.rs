//! Our products layout: every row checked, then all written in one
//! transaction. Beside the form's fields, whether each product tracks stock
//! (`track_stock`, empty: yes) and its own lead time and cover days for the
//! reorder list (`lead_days`, `cover_days`, empty: the shop's), and its tax
//! rate (`tax_rate`, "VAT 20%"; empty: no tax; no column: the shop's default).

use std::collections::HashMap;

use crate::domain::{Currency, NewProduct, ProductDraft, fold};
use crate::store::{self, Store};

use super::{
    CsvIn, ImportError, ImportKind, ImportOptions, ImportSummary, Mapping, Problems, echo,
    log_import, read_rows, write_progress,
};

pub(super) fn import(
    store: &mut Store,
    csv: &mut CsvIn,
    m: &Mapping,
    currency: &Currency,
    default_reorder: i64,
    options: ImportOptions,
    progress: &mut dyn FnMut(u64, u64) -> bool,
) -> Result<ImportSummary, ImportError> {
    let mut problems = Problems::default();
    let mut rows: Vec<(u64, bool, NewProduct, Extras)> = Vec::new();
    let mut skus: HashMap<String, u64> = HashMap::new();
    // A file separated by semicolons writes amounts with a decimal comma.
    let decimal = if csv.delimiter == b';' { ',' } else { '.' };
    let count = read_rows(csv, m, &mut problems, progress, |line, r, problems| {
        // Amounts as the file writes them, handed to the form's rules as the
        // form writes them.
        let mut amount = |column: usize, field: &'static str| {
            let text = m.get(column, r);
            if text.trim().is_empty() {
                return String::new();
            }
            match currency.parse_in_file(text, decimal) {
                Ok(money) => currency.format_plain(money),
                Err(e) => {
                    problems.add(line, field, super::amount_problem(text, &e, decimal));
                    "0".into()
                }
            }
        };
        let (price, cost) = (amount(3, "price"), amount(4, "cost"));
        let or = |text: &str, default: String| {
            if text.trim().is_empty() {
                default
            } else {
                text.to_owned()
            }
        };
        let draft = ProductDraft {
            sku: m.get(0, r).to_owned(),
            name: m.get(1, r).to_owned(),
            category: m.get(2, r).to_owned(),
            price,
            cost,
            stock: or(m.get(5, r), "0".into()),
            reorder_level: or(m.get(6, r), default_reorder.to_string()),
            description: m.get(7, r).to_owned(),
        };
        let archived = super::parse_archived(m.get(8, r))
            .map_err(|e| problems.add(line, "archived", e))
            .unwrap_or(false);
        let extras = Extras::read(m, r, line, problems);
        if !extras.track_stock && !matches!(m.get(5, r).trim(), "" | "0") {
            problems.add(
                line,
                "stock",
                "a product that does not track stock has none; leave stock empty or 0",
            );
        }
        match draft.validate(currency) {
            Err(e) => problems.fields(line, &e),
            Ok(p) => rows.push((line, archived, p, extras)),
        }
        let sku = draft.sku.trim();
        if !sku.is_empty()
            && let Some(first) = skus.insert(fold(sku), line)
        {
            problems.add(
                line,
                "sku",
                format!("{} is already on line {first} of this file", echo(sku)),
            );
        }
    })?;
    let (size, name) = (csv.size, csv.name.clone());
    store.write_as(|tx| {
        for (line, _, p, _) in &rows {
            if store::products::sku_taken(tx, &p.sku, None)? {
                problems.add(
                    *line,
                    "sku",
                    format!("a product with SKU {} already exists", echo(&p.sku)),
                );
            }
        }
        problems.into_result()?;
        if options.dry_run {
            return Ok(());
        }
        let now = store::now_local();
        for (i, (_, archived, p, extras)) in rows.iter().enumerate() {
            if i % 2000 == 0 {
                let (done, total) = write_progress(size, i, rows.len());
                if !progress(done, total) {
                    return Err(ImportError::Cancelled);
                }
            }
            let id = store::products::insert_at(tx, p, &now)?;
            if *archived {
                store::products::archive_imported(tx, id)?;
            }
            if !extras.track_stock {
                store::products::set_track_stock(tx, id, false)?;
            }
            if extras.lead_days.is_some() || extras.cover_days.is_some() {
                store::reorder::set_product_days(tx, id, extras.lead_days, extras.cover_days)?;
            }
            // The file's rate (found among the shop's, or added to them),
            // or none; without the column, the shop's default (insert_at).
            if let Some(rate) = &extras.rate {
                let id_of_rate = match rate {
                    Some((name, rate)) => {
                        Some(store::tax::rate_for_import(tx, name.as_deref(), *rate)?)
                    }
                    None => None,
                };
                store::tax::set_product_rate(tx, id, id_of_rate)?;
            }
        }
        let what = crate::domain::format::count(rows.len() as i64, "product", "products");
        log_import(tx, &format!("Imported {what} from {name}"))?;
        Ok(())
    })?;
    Ok(ImportSummary {
        kind: ImportKind::Products,
        rows: count,
        orders: 0,
        dry_run: options.dry_run,
        ignored: Vec::new(),
        layout: None,
        notes: Vec::new(),
    })
}

/// A row's `track_stock`, `lead_days`, `cover_days` and `tax_rate`.
struct Extras {
    track_stock: bool,
    lead_days: Option<i64>,
    cover_days: Option<i64>,
    /// None: the file has no `tax_rate` column (the shop's default rate);
    /// Some(None): no tax; else the rate and the name it was given.
    rate: Option<Option<(Option<Box<str>>, crate::domain::Rate)>>,
}

impl Extras {
    fn read(m: &Mapping, r: &csv::StringRecord, line: u64, problems: &mut Problems) -> Extras {
        let track = m.get(9, r);
        let track_stock = if track.trim().is_empty() {
            true
        } else {
            match super::parse_archived(track) {
                // "yes" tracks stock, as "yes" archives.
                Ok(yes) => yes,
                Err(e) => {
                    problems.add(line, "track_stock", e);
                    true
                }
            }
        };
        let mut days = |column: usize, field: &'static str| -> Option<i64> {
            let t = m.get(column, r).trim();
            if t.is_empty() {
                return None;
            }
            match t.parse::<i64>() {
                Ok(d) if (0..=store::reorder::MAX_DAYS).contains(&d) => Some(d),
                _ => {
                    problems.add(
                        line,
                        field,
                        format!(
                            "{} is not a number of days from 0 to {}; leave it empty for the shop's",
                            echo(t),
                            store::reorder::MAX_DAYS
                        ),
                    );
                    None
                }
            }
        };
        let (lead_days, cover_days) = (days(10, "lead_days"), days(11, "cover_days"));
        let rate = m.has(12).then(|| {
            let text = m.get(12, r).trim();
            if text.is_empty() {
                return None;
            }
            let mut named = Vec::new();
            match super::tax_rate(text, &mut named) {
                Ok(rate) => Some((named.pop().map(|(name, _)| name), rate)),
                Err(e) => {
                    problems.add(line, "tax_rate", e);
                    None
                }
            }
        });
        Extras {
            track_stock,
            lead_days,
            cover_days,
            rate,
        }
    }
}
