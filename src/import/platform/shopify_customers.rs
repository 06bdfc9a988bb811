//! Shopify's customers export (Customers > Export), in its older layout
//! (Address1, Zip, ...) and its newer one ("Default Address Address1", ...).
//! A customer is named by First Name and Last Name (else the company, else
//! the email); the address lines become the address, the province joins the
//! city, tags join the note. A customer whose email (or, without an email,
//! whose name) is already in the shop is left as it is.

use std::collections::HashMap;

use super::cols::{Col, Cols, col, needed};
use super::{Mapping, rows, summary, write_or_check};
use crate::domain::{CustomerDraft, NewCustomer, fold};
use crate::import::{CsvIn, ImportError, ImportKind, ImportOptions, ImportSummary, Problems, echo};
use crate::store::{self, Store};

const FIRST: usize = 0;
const LAST: usize = 1;
const EMAIL: usize = 2;
const COMPANY: usize = 3;
const ADDRESS1: usize = 4;
const ADDRESS2: usize = 5;
const CITY: usize = 6;
const PROVINCE: usize = 7;
const COUNTRY: usize = 8;
const ZIP: usize = 9;
const PHONE: usize = 10;
const ADDRESS_PHONE: usize = 11;
const TAGS: usize = 12;
const NOTE: usize = 13;

pub(super) const COLUMNS: &[Col] = &[
    needed(&["First Name"], "name"),
    needed(&["Last Name"], "name"),
    needed(&["Email"], "email"),
    col(&["Company", "Default Address Company"], "address"),
    col(&["Address1", "Default Address Address1"], "address"),
    col(&["Address2", "Default Address Address2"], "address"),
    col(&["City", "Default Address City"], "city"),
    col(
        &["Province", "Province Code", "Default Address Province Code"],
        "city",
    ),
    col(
        &["Country", "Country Code", "Default Address Country Code"],
        "country",
    ),
    col(&["Zip", "Default Address Zip"], "postal_code"),
    col(&["Phone"], "phone"),
    col(&["Default Address Phone"], "phone"),
    col(&["Tags"], "notes"),
    col(&["Note"], "notes"),
];

/// Shopify writes a `'` before a phone number or a postal code so that a
/// spreadsheet keeps its leading zeros.
pub(super) fn unquote(text: &str) -> &str {
    text.strip_prefix('\'').unwrap_or(text).trim()
}

/// A phone number the customer form takes stays the phone; any other
/// ("call after 5pm") goes into the notes as Shopify had it, so nothing is
/// lost and the import is not refused for it.
pub(super) fn keep_phone(draft: &mut CustomerDraft) {
    let phone = draft.phone.trim();
    if phone.is_empty()
        || phone
            .chars()
            .all(|c| c.is_ascii_digit() || " +-().#/x".contains(c))
    {
        return;
    }
    let note = format!("Phone: {phone}");
    draft.notes = lines(&[&draft.notes, &note]);
    draft.phone.clear();
}

/// A platform's SKU as ours: runs of spaces inside it become one '-' (the
/// same at every import, so a later export finds the same product).
pub(super) fn our_sku(sku: &str) -> String {
    sku.split_whitespace().collect::<Vec<_>>().join("-")
}

/// Lines joined by a line break, empty ones left out.
pub(super) fn lines(parts: &[&str]) -> String {
    parts
        .iter()
        .map(|p| p.trim())
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

fn draft(c: &Cols, r: &csv::StringRecord) -> CustomerDraft {
    let person = format!("{} {}", c.get(FIRST, r), c.get(LAST, r));
    let name = [person.trim(), c.get(COMPANY, r), c.get(EMAIL, r)]
        .into_iter()
        .find(|n| !n.is_empty())
        .unwrap_or("")
        .to_owned();
    let city = match (c.get(CITY, r), c.get(PROVINCE, r)) {
        (city, "") => city.to_owned(),
        ("", province) => province.to_owned(),
        (city, province) => format!("{city}, {province}"),
    };
    let phone = match unquote(c.get(PHONE, r)) {
        "" => unquote(c.get(ADDRESS_PHONE, r)),
        p => p,
    };
    let tags = c.get(TAGS, r);
    let tags = if tags.is_empty() {
        String::new()
    } else {
        format!("Tags: {tags}")
    };
    let mut draft = CustomerDraft {
        name,
        email: c.get(EMAIL, r).to_owned(),
        phone: phone.to_owned(),
        address: lines(&[c.get(COMPANY, r), c.get(ADDRESS1, r), c.get(ADDRESS2, r)]),
        city,
        postal_code: unquote(c.get(ZIP, r)).to_owned(),
        country: c.get(COUNTRY, r).to_owned(),
        notes: lines(&[c.get(NOTE, r), &tags]),
    };
    keep_phone(&mut draft);
    draft
}

/// The file's column a field of ours comes from, for problems.
fn column(c: &Cols, field: &str) -> String {
    let i = match field {
        "name" => FIRST,
        "email" => EMAIL,
        "phone" => PHONE,
        "address" => ADDRESS1,
        "city" => CITY,
        "postal_code" => ZIP,
        "country" => COUNTRY,
        _ => NOTE,
    };
    c.name(i).to_owned()
}

pub(super) fn import(
    store: &mut Store,
    csv: &mut CsvIn,
    c: &Cols,
    width: &Mapping,
    options: ImportOptions,
    progress: &mut dyn FnMut(u64, u64) -> bool,
) -> Result<ImportSummary, ImportError> {
    let mut problems = Problems::default();
    let mut list: Vec<(u64, NewCustomer)> = Vec::new();
    let mut emails: HashMap<String, u64> = HashMap::new();
    rows(csv, width, &mut problems, progress, |line, r, problems| {
        let d = draft(c, r);
        match d.validate() {
            Ok(n) => list.push((line, n)),
            Err(errors) => {
                for (field, why) in &errors.0 {
                    let why = if *field == "name" && d.name.is_empty() {
                        "a customer needs a First Name, Last Name, Company or Email".to_owned()
                    } else {
                        why.clone()
                    };
                    problems.add(line, &column(c, field), why);
                }
            }
        }
        let email = d.email.trim();
        if !email.is_empty()
            && let Some(first) = emails.insert(fold(email), line)
        {
            problems.add(
                line,
                c.name(EMAIL),
                format!("{} is already on line {first} of this file", echo(email)),
            );
        }
    })?;
    problems.into_result()?;
    let name = csv.name.clone();
    let (new, here) = write_or_check(store, options.dry_run, |tx| {
        let known = store::bulk::customer_emails(tx)?;
        let now = store::now_local();
        let (mut new, mut here) = (0u64, 0u64);
        for (_, n) in &list {
            let there = match &n.email {
                Some(e) => known.contains_key(&fold(e)),
                None => store::platform::guest_by_name(tx, &n.name)?.is_some(),
            };
            if there {
                here += 1;
            } else {
                store::customers::insert_at(tx, n, &now)?;
                new += 1;
            }
        }
        let what = crate::domain::format::count(new as i64, "customer", "customers");
        if new > 0 {
            super::super::log_import(tx, &format!("Imported {what} from {name} (Shopify)"))?;
        }
        Ok((new, here))
    })?;
    Ok(summary(
        ImportKind::Customers,
        new,
        0,
        options.dry_run,
        vec![format!("Customers: {}.", super::new_and_here(new, here))],
    ))
}
