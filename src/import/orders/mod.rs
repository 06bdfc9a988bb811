//! Importing order lines. The file is read and checked on a helper thread;
//! while its orders come in date order, each one is handed over as soon as
//! its last line has been read, checked and composed into rows on a second
//! helper, and written by the window's thread, so reading, composing and
//! writing overlap. Anything unusual (a problem, a file not in date order,
//! an order number not above all before it, a reference the shop may hold
//! when it has too many to read) throws that early writing away and takes
//! the careful path: every row checked, the orders sorted by date, then
//! written, their rows composed on a helper thread while this one writes
//! them (and the checks of money and stock, which need the orders in date
//! order, run on another beside them: a problem they find throws the
//! writing away). Both paths run inside one transaction.

mod money;
mod read;
mod refund;
mod stamp;

use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::mpsc;
use std::time::Duration;

use super::{
    CsvIn, ImportError, ImportKind, ImportOptions, ImportSummary, Mapping, log_import,
    write_progress,
};
use crate::domain::{Currency, OrderLine, OrderStatus, Story, Terms};
use crate::store::bulk::BulkRefund;
use crate::store::bulk::{BulkOrder, BulkRows, BulkWriter, PlaceOrders, ProductRef};
use crate::store::{self, Store};
use read::{Batch, Known, LineIn, OrderIn, Parsed, Shared, parse};
pub use stamp::parse_order_date;

/// What every order of an import is written with.
struct Context<'a> {
    products: &'a [ProductRef],
    /// The shop's tax terms (`store::tax::base_terms`).
    base: &'a Terms,
    currency: &'a Currency,
    track: bool,
    now: &'a str,
}

/// Writes one order whose rows passed every check (money that does not work
/// out is refused, writing nothing of it; the careful way checks it first
/// with `money::check`), with the stock it takes when it takes stock (by the
/// window's rule: only where the order ended is known, so a cancelled or
/// returned one moves no stock), and its payment: what the file says was
/// paid, or else what its status says (`pricing::settle`). What the file
/// says was refunded of a paid, shipped or delivered order becomes one
/// refund of those units (back into stock or written off) and that amount,
/// on `refunded_on` (or else the order's date).
fn write_order(
    w: &mut impl PlaceOrders,
    o: &OrderIn,
    lines: &[LineIn],
    cx: &Context,
    buffer: &mut Vec<OrderLine>,
) -> Result<(), ImportError> {
    let terms = money::order_terms(o, lines, cx.products, cx.base, buffer);
    let mut units = refund::units(o, lines);
    // A refund of every unit and everything paid: the order ended returned
    // (by its status, on the refund's day), as the window makes it.
    let (mut status, mut all_back) = (o.status, false);
    if units.is_some()
        && let Ok(f) = crate::domain::pricing::figures(buffer, &terms)
        && refund::all_back(o, lines, &f)
    {
        (status, all_back) = (OrderStatus::Returned, true);
        units = None;
    }
    let at = match o.money.refunded_on() {
        Some(day) if day.as_str() > o.at.date() => format!("{day} 00:00:00"),
        _ => o.at.text().to_owned(),
    };
    // No status history: the file says only where the order ended up, not
    // when it got there. The order shows that it was imported instead.
    let placed = w.place(
        &BulkOrder {
            customer_id: o.customer,
            date: o.at.date(),
            time: o.at.time(),
            status,
            lines: buffer,
            note: None,
            external_ref: o.external_ref(),
            number: o.number,
            track_stock: cx.track,
            // A cancelled or returned order ended when it was refunded (one
            // whose refund gave everything back, when that refund was made).
            updated_at: if !all_back && (status.is_sale() || o.money.refunded_on().is_none()) {
                cx.now
            } else {
                &at
            },
            terms: &terms,
            discount_code: o.money.code(),
            ship_to: None,
            paid: o.money.paid(),
            method: o.money.method(),
            refund: units.as_deref().map(|units| BulkRefund {
                units,
                at: &at,
                amount: o.money.refunded(),
            }),
        },
        Story::EndOnly,
    )?;
    // The units a refund takes back, at its time.
    let (id, back) = placed;
    for m in back {
        w.movement(m, Some(id), None, &at)?;
    }
    Ok(())
}

/// Whether the orders of a batch handed over can be written early (on the
/// composing side of the early writing, with no connection): false when
/// one must go the careful way: its reference may have been imported before
/// (one the shop's references read at the start hold, or any at all when
/// the shop had too many to read), its number is not above every number in
/// the shop and written so far, it asks for more than is in stock, or its
/// money does not work out (once this returns false, everything written
/// early is undone).
fn write_early(
    rows: &mut BulkRows,
    batch: &Batch,
    taken: &store::bulk::ExternalRefs,
    cx: &Context,
    buffer: &mut Vec<OrderLine>,
) -> Result<bool, ImportError> {
    let (products, track) = (cx.products, cx.track);
    for o in &batch.orders {
        let lines = &batch.lines[o.lines.clone()];
        if let Some(r) = o.external_ref()
            && taken.maybe_contains(r)
        {
            return Ok(false);
        }
        if o.number.is_some_and(|n| n < rows.next_number()) {
            return Ok(false);
        }
        if track && o.status.is_sale() {
            let mut need: Vec<(usize, i64)> = Vec::with_capacity(lines.len());
            for l in lines {
                let p = l.product as usize;
                match need.iter_mut().find(|(q, _)| *q == p) {
                    Some((_, n)) => *n += l.quantity,
                    None => need.push((p, l.quantity)),
                }
            }
            for (p, n) in need {
                if products[p].track_stock && rows.stock(products[p].id)? < n {
                    return Ok(false);
                }
            }
        }
        // What the rows say was refunded must fit the order (a dry run and
        // the careful way check it too: `money::check`); the writer alone
        // would make what it could of it.
        if refund::check(o, lines).is_err() {
            return Ok(false);
        }
        // A cancelled or returned order's `refunded` must be everything paid
        // (its money checked whole: the writer gives back everything paid,
        // whatever the file says).
        if !o.status.is_sale()
            && o.money.refunded().is_some()
            && money::check(o, lines, products, cx.base, cx.currency, buffer).is_err()
        {
            return Ok(false);
        }
        // Money that does not work out is refused before anything of the
        // order is written; the careful way names its line.
        match write_order(rows, o, lines, cx, buffer) {
            Err(ImportError::Store(store::StoreError::Refused(_))) => return Ok(false),
            other => other?,
        }
    }
    Ok(true)
}

/// The early writing, from the first batch the reader handed over: each
/// batch is checked and its rows composed on a helper thread
/// (`write_early`) while this thread writes them, inside a savepoint (the
/// caller goes back to it unless the whole file proved in date order).
/// Returns the writer, for `finish`, and whether every order handed over
/// was written (otherwise the reader was told to hand over no more).
fn early<'c>(
    tx: &'c rusqlite::Connection,
    first: Batch,
    receive: mpsc::Receiver<Batch>,
    cx: &Context,
    shared: &Shared,
    (size, existing): (u64, u64),
    progress: &mut dyn FnMut(u64, u64) -> bool,
) -> Result<(BulkWriter<'c>, bool), ImportError> {
    store::bulk::mark(tx)?;
    // About 80 bytes a line, 2 lines an order.
    let expected = size / 80;
    let mut w = BulkWriter::new(tx, expected > existing)?;
    let taken = store::bulk::ExternalRefs::new(tx, (expected / 2) as usize)?;
    let mut cancelled = false;
    let taken = &taken;
    let written = w.with_helper(
        move |rows| {
            let mut buffer = Vec::with_capacity(8);
            let mut next = Some(first);
            while let Some(batch) = next.take().or_else(|| receive.recv().ok()) {
                if !write_early(rows, &batch, taken, cx, &mut buffer)? {
                    shared.wanted.store(false, Ordering::Relaxed);
                    return Ok(false);
                }
            }
            Ok::<bool, ImportError>(true)
        },
        || {
            let read = shared.read.load(Ordering::Relaxed);
            cancelled = !progress(read * 3 / 2, size.max(1) * 2);
            if cancelled {
                shared.cancel.store(true, Ordering::Relaxed);
            }
            !cancelled
        },
    );
    if cancelled {
        return Err(ImportError::Cancelled);
    }
    Ok((w, written?))
}

/// The checks only the whole file in date order allows: each order's money
/// (`money::check`) and, taking stock, each product's stock in the order
/// the orders happened.
fn check_all(
    orders: &[OrderIn],
    lines: &[LineIn],
    cx: &Context,
    problems: &mut super::Problems,
    buffer: &mut Vec<OrderLine>,
) {
    let products = cx.products;
    for o in orders.iter().filter(|o| !o.flawed) {
        let lines = &lines[o.lines.clone()];
        if let Err((line, column, why)) =
            money::check(o, lines, products, cx.base, cx.currency, buffer)
        {
            problems.add(line, column, why);
        }
    }
    let mut stock: Vec<i64> = products.iter().map(|p| p.stock).collect();
    if cx.track {
        for o in orders.iter().filter(|o| o.status.is_sale()) {
            for l in &lines[o.lines.clone()] {
                let p = l.product as usize;
                if !products[p].track_stock {
                    continue;
                }
                if stock[p] < l.quantity {
                    problems.add(
                        l.line,
                        "quantity",
                        format!(
                            "only {} of {} in stock for order {} on {} (asks for {}); add stock first, or import with --history to record past orders without moving stock",
                            stock[p], products[p].sku, o.reference, o.at.date(), l.quantity
                        ),
                    );
                } else {
                    stock[p] -= l.quantity;
                }
            }
        }
    }
}

/// The careful path: checks what only the whole file shows (references
/// imported before, each order's money, stock taken in date order), and
/// writes every order in date order, numbering them so. When nothing was
/// refused before, the money and stock are checked beside the writing, and
/// a problem they find undoes it (the caller's transaction is rolled back).
#[allow(clippy::too_many_arguments)]
fn careful(
    tx: &rusqlite::Connection,
    parsed: Parsed,
    cx: &Context,
    dry_run: bool,
    existing: u64,
    size: u64,
    progress: &mut dyn FnMut(u64, u64) -> bool,
) -> Result<(), ImportError> {
    let Parsed {
        rows,
        mut orders,
        mut lines,
        mut problems,
        refused,
        ..
    } = parsed;
    let taken = store::bulk::ExternalRefs::new(tx, orders.len())?;
    // Rows with other problems are named too, so one round shows them all.
    let references = orders
        .iter()
        .filter_map(|o| o.external_ref().map(|r| (o.line, r)))
        .chain(refused.iter().map(|(line, r)| (*line, &**r)));
    for (line, r) in references {
        if taken.contains(tx, r)? {
            problems.add(
                line,
                "order_ref",
                format!(
                    "an order with the reference {} was already imported",
                    super::echo(r)
                ),
            );
        }
    }
    // Nothing of this import is written yet: a number above the highest
    // one the shop had is free without asking.
    for o in &orders {
        if let Some(n) = o.number
            && u64::try_from(n).is_ok_and(|n| n <= existing)
            && store::bulk::order_number_taken(tx, n)?
        {
            problems.add(
                o.line,
                "order_number",
                format!(
                    "this shop already has an order {}; import into an empty database, \
                     or leave out the order_number column to number the orders anew",
                    super::echo(&o.reference)
                ),
            );
        }
    }
    // Take the orders in the order they happened (that is how they take
    // stock and are numbered), then gather each one's lines (in file
    // order) in that same order, so both are read front to back from here
    // on (a million lines read in a random order wait on memory).
    let mut by_date: Vec<(u64, u64, u32)> = orders
        .iter()
        .enumerate()
        .map(|(i, o)| (o.at.key(), o.line, i as u32))
        .collect();
    by_date.sort_unstable();
    let mut place = vec![0u32; orders.len()];
    for (rank, &(_, _, i)) in by_date.iter().enumerate() {
        place[i as usize] = rank as u32;
    }
    drop(by_date);
    // The same order as `by_date`: (date and time, first line) is unique.
    orders.sort_by_cached_key(|o| (o.at.key(), o.line));
    let mut count = vec![0usize; orders.len()];
    for l in &mut lines {
        l.order = place[l.order as usize];
        count[l.order as usize] += 1;
    }
    drop(place);
    lines.sort_unstable_by_key(|l| (l.order, l.line));
    let mut start = 0;
    for (o, n) in orders.iter_mut().zip(count) {
        o.lines = start..start + n;
        start += n;
    }
    let mut buffer: Vec<OrderLine> = Vec::with_capacity(8);
    if dry_run || !problems.is_empty() {
        check_all(&orders, &lines, cx, &mut problems, &mut buffer);
        problems.into_result()?;
        return Ok(());
    }
    let mut w = BulkWriter::new(tx, rows > existing)?;
    // An order without a number takes none the file gives another.
    if let Some(highest) = orders.iter().filter_map(|o| o.number).max() {
        w.number_above(highest);
    }
    // The rows are composed on a helper thread while this one writes them,
    // and the money and stock are checked on another beside them: a problem
    // the checks find is what is reported, and nothing written is kept.
    let placed = AtomicUsize::new(0);
    let mut cancelled = false;
    let mut next = 0;
    let (orders, lines) = (&orders, &lines);
    let (checked, written) = std::thread::scope(|scope| {
        let checks = scope.spawn(move || {
            let mut buffer = Vec::with_capacity(8);
            check_all(orders, lines, cx, &mut problems, &mut buffer);
            problems
        });
        let written = w.with_helper(
            |rows| {
                for (i, o) in orders.iter().enumerate() {
                    write_order(rows, o, &lines[o.lines.clone()], cx, &mut buffer)?;
                    placed.store(i + 1, Ordering::Relaxed);
                }
                Ok::<(), ImportError>(())
            },
            || {
                let i = placed.load(Ordering::Relaxed);
                if i >= next {
                    next = i + 20_000;
                    let (done, total) = write_progress(size, i, orders.len());
                    cancelled = !progress(done, total);
                }
                !cancelled
            },
        );
        let checked = checks
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (checked, written)
    });
    checked.into_result()?;
    if cancelled {
        return Err(ImportError::Cancelled);
    }
    written?;
    w.finish()?;
    Ok(())
}

/// Adds the rates a file names ("VAT 20%") that the shop has no rate of
/// that percent for, so reports name them as the file did.
fn learn_rates(
    tx: &rusqlite::Connection,
    rates: &[(Box<str>, crate::domain::Rate)],
) -> Result<(), ImportError> {
    let mut known: Vec<crate::domain::Rate> =
        store::tax::rates(tx)?.into_iter().map(|r| r.rate).collect();
    for (name, rate) in rates {
        if !known.contains(rate) {
            store::tax::add_rate_named_apart(tx, name, *rate)?;
            known.push(*rate);
        }
    }
    Ok(())
}

pub(super) fn import(
    store: &mut Store,
    csv: &mut CsvIn,
    m: &Mapping,
    currency: &Currency,
    options: ImportOptions,
    progress: &mut dyn FnMut(u64, u64) -> bool,
) -> Result<ImportSummary, ImportError> {
    let (size, name) = (csv.size, csv.name.clone());
    let track = !options.history;
    // The lookups, the checks and the writes share one write transaction, so
    // another window cannot change a customer or a stock figure in between;
    // every id written comes from those lookups.
    store
        .write_bulk(!options.dry_run, |tx| {
            let known = Known::load(tx)?;
            let now = store::now_local();
            let base = store::tax::base_terms(tx)?;
            let cx = Context {
                products: &known.products,
                base: &base,
                currency,
                track,
                now: &now,
            };
            let existing = store::bulk::order_count(tx)?;
            let shared = Shared {
                read: AtomicU64::new(0),
                cancel: AtomicBool::new(false),
                wanted: AtomicBool::new(!options.dry_run),
            };
            let (send, receive) = mpsc::sync_channel::<Batch>(4);
            let send = (!options.dry_run).then_some(send);
            let mut early_writer: Option<BulkWriter> = None;
            let mut failed: Option<ImportError> = None;
            // Reading and the early writing, together, are the first three
            // quarters of an import; a check is only reading.
            let report = |progress: &mut dyn FnMut(u64, u64) -> bool| {
                let read = shared.read.load(Ordering::Relaxed);
                let (done, total) = if options.dry_run {
                    (read, size.max(1))
                } else {
                    (read * 3 / 2, size.max(1) * 2)
                };
                if !progress(done, total) {
                    shared.cancel.store(true, Ordering::Relaxed);
                }
            };
            let parsed = std::thread::scope(|scope| {
                let (known, shared, cx) = (&known, &shared, &cx);
                let reader = scope.spawn(move || parse(csv, m, known, currency, shared, send));
                // The first batch, if the file starts in date order.
                let first = loop {
                    match receive.recv_timeout(Duration::from_millis(50)) {
                        Ok(batch) => break Some(batch),
                        Err(mpsc::RecvTimeoutError::Timeout) => report(progress),
                        Err(mpsc::RecvTimeoutError::Disconnected) => break None,
                    }
                };
                match first {
                    Some(first) if shared.wanted.load(Ordering::Relaxed) => {
                        match early(tx, first, receive, cx, shared, (size, existing), progress) {
                            Ok((w, _)) => early_writer = Some(w),
                            Err(e) => {
                                shared.cancel.store(true, Ordering::Relaxed);
                                failed = Some(e);
                            }
                        }
                    }
                    _ => drop(receive),
                }
                while !reader.is_finished() {
                    std::thread::sleep(Duration::from_millis(50));
                    report(progress);
                }
                reader
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            });
            if let Some(e) = failed {
                return Err(e);
            }
            let parsed = parsed?;
            let orders = parsed.orders.len() as u64;
            // Refunds the file gave no day: dated their order's day, said.
            let mut returned = vec![false; parsed.orders.len()];
            for l in &parsed.lines {
                if l.returned > 0
                    && let Some(r) = returned.get_mut(l.order as usize)
                {
                    *r = true;
                }
            }
            let undated = parsed
                .orders
                .iter()
                .zip(&returned)
                .filter(|(o, r)| refund::undated(o, **r))
                .count();
            let summary = format!(
                "Imported {} ({}{}) from {name}",
                crate::domain::format::count(orders as i64, "order", "orders"),
                crate::domain::format::count(parsed.rows as i64, "order line", "order lines"),
                if track { "" } else { ", as past orders" }
            );
            if let Some(w) = early_writer {
                if parsed.streamed && shared.wanted.load(Ordering::Relaxed) {
                    progress(size * 3 / 2, size.max(1) * 2);
                    w.finish()?;
                    learn_rates(tx, &parsed.rates)?;
                    store::bulk::keep_mark(tx)?;
                    log_import(tx, &summary)?;
                    return Ok((parsed.rows, orders, undated));
                }
                drop(w);
                store::bulk::back_to_mark(tx)?;
            }
            let rows = parsed.rows;
            let rates = parsed.rates.clone();
            careful(tx, parsed, &cx, options.dry_run, existing, size, progress)?;
            if !options.dry_run {
                learn_rates(tx, &rates)?;
                log_import(tx, &summary)?;
            }
            Ok((rows, orders, undated))
        })
        .map(|(rows, orders, undated)| ImportSummary {
            kind: ImportKind::Orders,
            rows,
            orders,
            dry_run: options.dry_run,
            ignored: Vec::new(),
            layout: None,
            notes: (undated > 0)
                .then(|| match undated {
                    1 => "1 refund had no refunded_on; it is dated its order's day.".to_owned(),
                    n => format!(
                        "{} had no refunded_on; they are dated their orders' days.",
                        crate::domain::format::count(n as i64, "refund", "refunds")
                    ),
                })
                .into_iter()
                .collect(),
        })
}
