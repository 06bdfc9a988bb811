//! Our customers layout: every row checked, then all written in one transaction.

use std::collections::HashMap;

use crate::domain::{CustomerDraft, NewCustomer, fold};
use crate::store::{self, Store};

use super::{
    CsvIn, ImportError, ImportKind, ImportOptions, ImportSummary, Mapping, Problems, echo,
    log_import, read_rows, write_progress,
};

pub(super) fn import(
    store: &mut Store,
    csv: &mut CsvIn,
    m: &Mapping,
    options: ImportOptions,
    progress: &mut dyn FnMut(u64, u64) -> bool,
) -> Result<ImportSummary, ImportError> {
    let mut problems = Problems::default();
    let mut rows: Vec<(u64, Option<i64>, bool, NewCustomer)> = Vec::new();
    let mut emails: HashMap<String, u64> = HashMap::new();
    let mut numbers: HashMap<i64, u64> = HashMap::new();
    let count = read_rows(csv, m, &mut problems, progress, |line, r, problems| {
        let draft = CustomerDraft {
            name: m.get(0, r).to_owned(),
            email: m.get(1, r).to_owned(),
            phone: m.get(2, r).to_owned(),
            address: m.get(3, r).to_owned(),
            city: m.get(4, r).to_owned(),
            postal_code: m.get(5, r).to_owned(),
            country: m.get(6, r).to_owned(),
            notes: m.get(7, r).to_owned(),
        };
        // Our own customers file names each customer's number (what an
        // orders file refers to); the customer keeps it.
        let number_text = m.get(8, r).trim();
        let number = if number_text.is_empty() {
            None
        } else {
            match number_text.parse::<i64>() {
                Ok(n) if n > 0 && number_text.bytes().all(|b| b.is_ascii_digit()) => {
                    if let Some(first) = numbers.insert(n, line) {
                        problems.add(
                            line,
                            "customer_number",
                            format!("{n} is already on line {first} of this file"),
                        );
                    }
                    Some(n)
                }
                _ => {
                    problems.add(
                        line,
                        "customer_number",
                        format!("\"{number_text}\" is not a customer number; write it as a whole number, such as 12"),
                    );
                    None
                }
            }
        };
        let archived = super::parse_archived(m.get(9, r))
            .map_err(|e| problems.add(line, "archived", e))
            .unwrap_or(false);
        match draft.validate() {
            Err(e) => problems.fields(line, &e),
            Ok(c) => rows.push((line, number, archived, c)),
        }
        // Even a row with other problems claims its email, so a later twin is caught now.
        let email = draft.email.trim();
        if !email.is_empty()
            && let Some(first) = emails.insert(fold(email), line)
        {
            problems.add(
                line,
                "email",
                format!("{} is already on line {first} of this file", echo(email)),
            );
        }
    })?;
    let (size, name) = (csv.size, csv.name.clone());
    store.write_as(|tx| {
        for (line, number, _, c) in &rows {
            if let Some(n) = number
                && store::customers::number_taken(tx, *n)?
            {
                problems.add(
                    *line,
                    "customer_number",
                    format!(
                        "this shop already has a customer number {n}; import into an empty database, \
                         or leave out the customer_number column to number the customers anew"
                    ),
                );
            }
            if let Some(email) = &c.email
                && store::customers::email_taken(tx, email, None)?
            {
                problems.add(
                    *line,
                    "email",
                    format!("a customer with {} already exists", echo(email)),
                );
            }
        }
        problems.into_result()?;
        if options.dry_run {
            return Ok(());
        }
        let now = store::now_local();
        for (i, (_, number, archived, c)) in rows.iter().enumerate() {
            if i % 5000 == 0 {
                let (done, total) = write_progress(size, i, rows.len());
                if !progress(done, total) {
                    return Err(ImportError::Cancelled);
                }
            }
            let id = store::customers::insert_numbered(tx, *number, c, &now)?;
            if *archived {
                store::customers::archive_imported(tx, id)?;
            }
        }
        log_import(
            tx,
            &format!(
                "Imported {} from {name}",
                crate::domain::format::count(rows.len() as i64, "customer", "customers")
            ),
        )?;
        Ok(())
    })?;
    Ok(ImportSummary {
        kind: ImportKind::Customers,
        rows: count,
        orders: 0,
        dry_run: options.dry_run,
        ignored: Vec::new(),
        layout: None,
        notes: Vec::new(),
    })
}
