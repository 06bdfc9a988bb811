//! An order's documents to a PDF file: the one path the window and the
//! command line share (`shopkeeper invoice`, `packing-slip`, `invoices`,
//! `credit-note`). Everything that can be refused is asked before anything
//! is written: the order (unknown, cancelled; for a credit note: no refund,
//! no invoice), the file (a folder, a device, an existing file
//! without leave to replace it); only then is an invoice or credit-note
//! number given (in one transaction) and the file written (`files::SafeFile`: a temporary name,
//! then renamed). A batch reads one order at a time. `print` is the
//! window's job (one order, or the orders its filter shows).

use std::path::Path;

use crate::store::orders::OrderQuery;

use super::Progress;
use crate::documents::{Book, Fonts, Shop};
use crate::files::{Replace, SafeFile};
use crate::store::invoices::{self, OrderDocument};
use crate::store::orders::order_number;
use crate::store::{self, Store, StoreError};

/// Which document of an order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Which {
    Invoice,
    PackingSlip,
}

impl Which {
    pub fn label(self) -> &'static str {
        match self {
            Which::Invoice => "invoice",
            Which::PackingSlip => "packing slip",
        }
    }
}

/// What to print: one order's document or the orders a filter shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    Order(i64),
    /// A refund's credit note (the refund's payments row).
    Refund(i64),
    Shown(OrderQuery),
}

/// A request to print, carried out by the app (dialog, then job).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Print {
    pub which: Which,
    pub target: Target,
    /// The name the save dialog offers.
    pub name: String,
}

/// What was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    /// The invoice's number (invoices only).
    pub number: Option<String>,
    pub documents: u64,
    pub pages: usize,
}

/// "1 page", "3 pages".
pub fn pages_text(pages: usize) -> String {
    if pages == 1 {
        "1 page".into()
    } else {
        format!("{pages} pages")
    }
}

/// Today, as the shop's local calendar day.
pub fn today() -> String {
    chrono::Local::now().format("%Y-%m-%d").to_string()
}

/// The name the save dialog offers: `INV-00042 Isla Thomas.pdf`,
/// `Packing slip #000042 Isla Thomas.pdf` (without characters a file name may not hold).
pub fn default_file_name(
    which: Which,
    order_id: i64,
    number: Option<&str>,
    customer: &str,
) -> String {
    let first = match (which, number) {
        (Which::Invoice, Some(n)) => n.to_owned(),
        (Which::Invoice, None) => format!("Invoice {}", order_number(order_id)),
        (Which::PackingSlip, _) => format!("Packing slip {}", order_number(order_id)),
    };
    let name: String = format!("{first} {customer}")
        .chars()
        .map(|c| {
            if "/\\:*?\"<>|".contains(c) || c.is_control() {
                '_'
            } else {
                c
            }
        })
        .collect();
    format!("{}.pdf", name.trim())
}

/// Refuses an order that gets no documents (cancelled).
fn check_order(store: &Store, order_id: i64) -> Result<(), String> {
    let d = store::orders::detail(store.conn(), order_id).map_err(|e| e.to_string())?;
    if d.summary.status == crate::domain::OrderStatus::Cancelled {
        return Err(format!(
            "order {} is cancelled, so it gets no invoice or packing slip; nothing was written",
            order_number(order_id)
        ));
    }
    Ok(())
}

/// Gives an invoice number to each of `ids` that has none, in the order
/// they were placed (one transaction; cancelling through `progress` while
/// it runs gives none). The progress counts them before `pages` more.
/// Returns how many were given.
fn issue(
    store: &mut Store,
    ids: &[i64],
    progress: &Progress,
    pages: usize,
) -> Result<usize, String> {
    let missing =
        invoices::without_invoice_by_date(store.conn(), ids).map_err(|e| e.to_string())?;
    if missing.is_empty() {
        return Ok(0);
    }
    if store.read_only() {
        return Err(format!(
            "{} has no invoice number yet and the database is open read-only, so none can be given; open a copy you may write to",
            if missing.len() == 1 {
                format!("order {}", order_number(missing[0]))
            } else {
                format!("{} orders", missing.len())
            }
        ));
    }
    let date = today();
    let total = (missing.len() + pages) as u64;
    store
        .write(|conn| {
            for (i, id) in missing.iter().enumerate() {
                if progress.cancelled() {
                    return Err(StoreError::Cancelled);
                }
                invoices::issue_invoice(conn, *id, &date)?;
                progress.set(i as u64 + 1, total);
            }
            Ok(())
        })
        .map_err(|e| e.to_string())?;
    Ok(missing.len())
}

/// The most orders one PDF of a range holds: more than a busy shop's week.
/// A tryout printed every order of a 1M-order shop: each was given an
/// invoice number dated that day, for a PDF no viewer would open.
pub const MOST_ORDERS: usize = 5_000;

/// The refusal of a range of more than [`MOST_ORDERS`].
pub fn too_many(orders: usize) -> String {
    format!(
        "{orders} orders are in that range, and one PDF takes at most {MOST_ORDERS}: choose a shorter range (From and To); nothing was written and no invoice number was given"
    )
}

type ShopParts = (
    String,
    crate::domain::invoice::ShopIdentity,
    crate::domain::Currency,
    Option<(crate::domain::invoice::LogoKind, Vec<u8>)>,
    crate::domain::format::DateStyle,
    String,
);

fn book_for(parts: &ShopParts) -> Result<Book<'_>, String> {
    let shop = Shop {
        name: &parts.0,
        identity: &parts.1,
        currency: &parts.2,
        date_style: parts.4,
        logo: parts.3.as_ref().map(|(k, b)| (*k, b.as_slice())),
        country: &parts.5,
    };
    Book::new(shop, Fonts::shared()).map_err(|e| e.to_string())
}

fn shop_parts(store: &Store) -> Result<ShopParts, String> {
    let conn = store.conn();
    let settings = store::settings::load(conn).map_err(|e| e.to_string())?;
    let identity = invoices::identity(conn).map_err(|e| e.to_string())?;
    let logo = invoices::logo(conn).map_err(|e| e.to_string())?;
    Ok((
        settings.shop_name,
        identity,
        settings.currency,
        logo,
        settings.date_style,
        settings.country,
    ))
}

fn save(file: SafeFile, bytes: &[u8]) -> Result<(), String> {
    std::fs::write(file.temp(), bytes).map_err(|e| {
        format!(
            "could not write {}: {e}; nothing was written. Check the disk has room and that you may write there.",
            file.temp().display()
        )
    })?;
    file.commit().map_err(|e| e.to_string())
}

/// Writes one order's invoice (giving it its number first, if it has none)
/// or packing slip to `path`.
pub fn write_order(
    store: &mut Store,
    order_id: i64,
    which: Which,
    path: &Path,
    replace: Replace,
) -> Result<Written, String> {
    check_order(store, order_id)?;
    let file = SafeFile::prepare(path, replace).map_err(|e| e.to_string())?;
    if which == Which::Invoice {
        issue(store, &[order_id], &Progress::default(), 0)?;
    }
    let parts = shop_parts(store)?;
    let mut book = book_for(&parts)?;
    let doc = invoices::document(store.conn(), order_id).map_err(|e| e.to_string())?;
    add(&mut book, &doc, which);
    let pages = book.pages();
    let bytes = book.finish().map_err(|e| e.to_string())?;
    save(file, &bytes)?;
    Ok(Written {
        number: doc.invoice.map(|i| i.number),
        documents: 1,
        pages,
    })
}

/// Writes the credit note of a refund (a payments row of kind 'refund';
/// given its number, and the order its invoice, the first time) to `path`.
pub fn write_credit_note(
    store: &mut Store,
    payment_id: i64,
    path: &Path,
    replace: Replace,
) -> Result<Written, String> {
    let file = SafeFile::prepare(path, replace).map_err(|e| e.to_string())?;
    let given = invoices::credit_note_of(store.conn(), payment_id).map_err(|e| e.to_string())?;
    let note = match given {
        Some(issued) => invoices::CreditNote {
            issued,
            payment_id: Some(payment_id),
        },
        None if store.read_only() => {
            return Err("the database is open read-only, so no credit note can be given; open a copy you may write to".into());
        }
        None => {
            let date = today();
            store
                .write(|conn| invoices::issue_credit_note(conn, payment_id, &date))
                .map_err(|e| format!("{e}; nothing was written"))?
        }
    };
    let order_id =
        invoices::order_of_payment(store.conn(), payment_id).map_err(|e| e.to_string())?;
    let refund = store::orders::payments(store.conn(), order_id)
        .map_err(|e| e.to_string())?
        .into_iter()
        .find(|p| p.id == payment_id)
        .ok_or_else(|| {
            "that refund is gone; it may have been undone in another window".to_owned()
        })?;
    let parts = shop_parts(store)?;
    let mut book = book_for(&parts)?;
    let doc = invoices::document(store.conn(), order_id).map_err(|e| e.to_string())?;
    let units = store::orders::refund_units(store.conn(), payment_id).map_err(|e| e.to_string())?;
    book.credit_note(&doc, &note, &refund, &units);
    let pages = book.pages();
    let bytes = book.finish().map_err(|e| e.to_string())?;
    save(file, &bytes)?;
    Ok(Written {
        number: Some(note.issued.number),
        documents: 1,
        pages,
    })
}

/// The refund of an order whose credit note `shopkeeper credit-note` prints:
/// the `nth` (1 for the first), or the only one. Refused, saying why, when
/// the order has no refund, was cancelled before it was invoiced (it needs
/// no credit note), or has several and `nth` does not say which.
///
/// A refund of an order never invoiced is not refused: a credit note names
/// the invoice it corrects, so the order is given its invoice number with
/// the note, and [`given_with`] says so.
/// After a credit note: " Order #000005 was given invoice number INV-00004
/// with it, …" when the order had no invoice before (`had_invoice`), naming
/// where its invoice is written (`where_`: "Invoice…", or the command).
pub fn given_with(store: &Store, order: i64, had_invoice: bool, where_: &str) -> String {
    match invoices::invoice_of(store.conn(), order) {
        Ok(Some(invoice)) if !had_invoice => format!(
            " Order {} was given invoice number {} with it, which the credit note names; its invoice ({where_}) carries that number.",
            order_number(order),
            invoice.number
        ),
        _ => String::new(),
    }
}

pub fn refund_to_credit(store: &Store, order_id: i64, nth: Option<usize>) -> Result<i64, String> {
    let conn = store.conn();
    let order = order_number(order_id);
    let refunds: Vec<_> = store::orders::payments(conn, order_id)
        .map_err(|e| e.to_string())?
        .into_iter()
        .filter(|p| p.refund)
        .collect();
    if refunds.is_empty() {
        return Err(format!(
            "order {order} has no refund, so it has no credit note; nothing was written"
        ));
    }
    if invoices::invoice_of(conn, order_id)
        .map_err(|e| e.to_string())?
        .is_none()
    {
        let status = store::orders::status_of(conn, order_id).map_err(|e| e.to_string())?;
        if status == crate::domain::OrderStatus::Cancelled {
            // It can get no invoice now, so the message must not ask for one.
            return Err(format!(
                "order {order} was cancelled before it was invoiced, so its refund needs no credit note (a credit note corrects an invoice); nothing was written"
            ));
        }
        // Otherwise it is given its invoice number with the note, as in
        // the window (`given_with`).
    }
    let currency = store::settings::load(conn)
        .map_err(|e| e.to_string())?
        .currency;
    let list = || {
        refunds
            .iter()
            .enumerate()
            .map(|(i, r)| format!("{}: {} on {}", i + 1, currency.format(r.amount), r.date))
            .collect::<Vec<_>>()
            .join(", ")
    };
    match nth {
        None if refunds.len() == 1 => Ok(refunds[0].id),
        None => Err(format!(
            "order {order} has {} refunds ({}); say which with --refund 1 to {}; nothing was written",
            refunds.len(),
            list(),
            refunds.len()
        )),
        Some(n) => refunds.get(n.wrapping_sub(1)).map(|r| r.id).ok_or_else(|| {
            let which = if refunds.len() == 1 {
                "--refund 1".to_owned()
            } else {
                format!("--refund 1 to {}", refunds.len())
            };
            format!(
                "order {order} has no refund {n}; its refunds are {}; give {which}; nothing was written",
                list()
            )
        }),
    }
}

fn add(book: &mut Book, doc: &OrderDocument, which: Which) {
    match which {
        Which::Invoice => book.invoice(doc),
        Which::PackingSlip => book.packing_slip(doc),
    }
}

/// Writes the documents of `ids` (in that order) into one PDF, a page (or
/// more) per order: the range the window's job and `shopkeeper invoices`
/// print (at most [`MOST_ORDERS`]). Cancelling through `progress` writes no
/// file; invoice numbers given before it stay with their orders, and the
/// message says so.
pub fn write_orders(
    store: &mut Store,
    ids: &[i64],
    which: Which,
    path: &Path,
    replace: Replace,
    progress: &Progress,
) -> Result<Written, String> {
    if ids.is_empty() {
        return Err("there are no orders to print in that range (cancelled orders are left out); nothing was written".into());
    }
    if ids.len() > MOST_ORDERS {
        return Err(too_many(ids.len()));
    }
    let file = SafeFile::prepare(path, replace).map_err(|e| e.to_string())?;
    progress.set(0, ids.len() as u64);
    let given = match which {
        Which::Invoice => issue(store, ids, progress, ids.len())?,
        Which::PackingSlip => 0,
    };
    let cancelled = || {
        if given == 0 {
            StoreError::Cancelled.to_string()
        } else {
            format!(
                "it was cancelled and no PDF was written; the {given} orders given their invoice numbers keep them"
            )
        }
    };
    let total = (given + ids.len()) as u64;
    let parts = shop_parts(store)?;
    let mut book = book_for(&parts)?;
    for (i, id) in ids.iter().enumerate() {
        if progress.cancelled() {
            return Err(cancelled());
        }
        let doc = invoices::document(store.conn(), *id).map_err(|e| e.to_string())?;
        add(&mut book, &doc, which);
        progress.set((given + i + 1) as u64, total);
    }
    let pages = book.pages();
    let bytes = book.finish().map_err(|e| e.to_string())?;
    if progress.cancelled() {
        return Err(cancelled());
    }
    save(file, &bytes)?;
    Ok(Written {
        number: None,
        documents: ids.len() as u64,
        pages,
    })
}

/// The window's job: writes the PDF `print` asks for and says what it did
/// (the window keeps its path for "Open").
pub fn print(
    store: &mut Store,
    progress: &Progress,
    print: &Print,
    path: &Path,
    replace: Replace,
) -> Result<String, String> {
    let written = match &print.target {
        Target::Order(id) => write_order(store, *id, print.which, path, replace)?,
        Target::Refund(payment) => {
            // A credit note names the invoice it corrects: an order without
            // one is given its number with the note, and the message says so
            // (the customer has not had that invoice yet).
            let conn = store.conn();
            let order = invoices::order_of_payment(conn, *payment).map_err(|e| e.to_string())?;
            let had_invoice = invoices::invoice_of(conn, order)
                .map_err(|e| e.to_string())?
                .is_some();
            let written = write_credit_note(store, *payment, path, replace)?;
            let given = given_with(store, order, had_invoice, "Invoice…");
            return Ok(format!(
                "Saved credit note {} to {}. Press Open to print it.{given}",
                written.number.unwrap_or_default(),
                path.display()
            ));
        }
        Target::Shown(query) => {
            let conn = store.conn();
            let total = store::orders::count(conn, query).map_err(|e| e.to_string())?;
            if total > MOST_ORDERS {
                return Err(too_many(total));
            }
            let ids: Vec<i64> = store::orders::page(conn, query, 0, total, total)
                .map_err(|e| e.to_string())?
                .into_iter()
                .filter(|o| o.status != crate::domain::OrderStatus::Cancelled)
                .map(|o| o.id)
                .collect();
            write_orders(store, &ids, print.which, path, replace, progress)?
        }
    };
    let what = match (print.which, written.documents) {
        (Which::Invoice, 1) => match &written.number {
            Some(n) => format!("invoice {n}"),
            None => "1 invoice".to_owned(),
        },
        (Which::PackingSlip, 1) => "the packing slip".to_owned(),
        (Which::Invoice, n) => format!("{n} invoices"),
        (Which::PackingSlip, n) => format!("{n} packing slips"),
    };
    Ok(format!(
        "Saved {what} ({}) to {}. Press Open to print it.",
        pages_text(written.pages),
        path.display()
    ))
}
