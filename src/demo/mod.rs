//! Realistic, reproducible demo data: believable customers in several
//! countries, a catalogue of products with prices and stock (`people`), and orders with
//! their money (`money`: tax, discounts, shipping, payments, refunds). The
//! same seed always gives the same shop.

use crate::domain::{Money, StockMove};
use crate::store::{self, Store, StoreError};

mod money;
mod people;
mod words;
pub use people::{customer, product};

/// A small, fast, reproducible random number generator (SplitMix64).
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed ^ 0x9E37_79B9_7F4A_7C15)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (n > 0).
    pub fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next_u64()) * u128::from(n.max(1))) >> 64) as u64
    }

    /// A number in `lo..=hi`.
    pub fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + self.below((hi - lo + 1).max(1) as u64) as i64
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }

    /// A float in [0, 1).
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// How much demo data to make.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DemoSize {
    pub customers: u64,
    pub products: u64,
    pub orders: u64,
    pub seed: u64,
}

impl Default for DemoSize {
    fn default() -> Self {
        DemoSize {
            customers: 500,
            products: 120,
            orders: 5_000,
            seed: 42,
        }
    }
}

/// How many days of history demo orders cover (three years).
const HISTORY_DAYS: i64 = 3 * 365;

/// The settings flag that marks a database as a demo shop (the window says
/// DEMO while one is open).
pub const DEMO_FLAG: &str = "demo_shop";

/// Makes an empty database a demo shop: adds demo customers, products and
/// orders and marks it as a demo shop, in one transaction. A database that
/// holds any customer, product or order is refused and left as it was:
/// demo data never mixes with a real shop's. `progress` as for `fill`.
pub fn fill_new(
    store: &mut Store,
    size: DemoSize,
    progress: impl FnMut(u64, u64) -> bool,
) -> Result<(), StoreError> {
    // Every id the demo writes comes from the database in this transaction:
    // foreign keys need no looking up per row (`check` still proves them).
    store.write_bulk(true, |tx| {
        let c = store::settings::counts(tx)?;
        if c.customers + c.products + c.orders > 0 {
            use crate::domain::format::count;
            return Err(StoreError::Refused(format!(
                "this database already holds {}, {} and {}; \
                 demo data only goes into an empty database",
                count(c.customers, "customer", "customers"),
                count(c.products, "product", "products"),
                count(c.orders, "order", "orders")
            )));
        }
        store::settings::set_flag(tx, DEMO_FLAG, true)?;
        add(tx, size, chrono::Local::now().naive_local(), progress)
    })
}

/// Whether the database is a demo shop (made by `fill_new`).
pub fn is_demo_shop(store: &Store) -> bool {
    store::settings::flag(store.conn(), DEMO_FLAG).unwrap_or(false)
}

/// Adds demo customers, products and orders in one transaction, beside
/// whatever the database holds (the command line's `demo --into-existing`).
/// `progress` is called now and then with (done, total); returning false
/// cancels, and then nothing is kept.
pub fn fill(
    store: &mut Store,
    size: DemoSize,
    progress: impl FnMut(u64, u64) -> bool,
) -> Result<(), StoreError> {
    fill_until(store, size, chrono::Local::now().naive_local(), progress)
}

/// `fill` as if the clock said `now` (the shop's local time): the orders run
/// up to that moment and their stories stop there.
pub fn fill_until(
    store: &mut Store,
    size: DemoSize,
    now: chrono::NaiveDateTime,
    progress: impl FnMut(u64, u64) -> bool,
) -> Result<(), StoreError> {
    // As in `fill_new`: the ids written come from this transaction.
    store.write_trusted(|tx| add(tx, size, now, progress))
}

fn add(
    tx: &rusqlite::Connection,
    size: DemoSize,
    now: chrono::NaiveDateTime,
    mut progress: impl FnMut(u64, u64) -> bool,
) -> Result<(), StoreError> {
    let total = size.customers + size.products + size.orders;
    let today = now.date();
    let mut rng = Rng::new(size.seed);
    // With orders, the shop opened three years ago: customers and opening
    // stock date from then, so every movement follows the one before it.
    let opened = if size.orders > 0 {
        format!("{} 09:00:00", today - chrono::Duration::days(HISTORY_DAYS))
    } else {
        store::now_local()
    };
    // Continue numbering after existing rows, so demo data can be added twice.
    let counts = store::settings::counts(tx)?;
    let (offset_c, offset_p) = (counts.customers as u64, counts.products as u64);
    let empty = counts.customers + counts.products + counts.orders == 0;
    let reduced = money::set_up_tax(tx, empty)?;
    for i in 0..size.customers {
        let c = customer(&mut rng, offset_c + i);
        store::customers::insert_at(tx, &c, &opened)?;
        if i % 5000 == 0 && !progress(i, total) {
            return Err(StoreError::Cancelled);
        }
    }
    for i in 0..size.products {
        let p = product(&mut rng, offset_p + i);
        let id = store::products::insert_at(tx, &p, &opened)?;
        money::product_added(tx, id, &p, reduced)?;
        if i % 2000 == 0 && !progress(size.customers + i, total) {
            return Err(StoreError::Cancelled);
        }
    }
    if size.orders > 0 {
        let done = size.customers + size.products;
        orders(tx, &mut rng, size.orders, today, now, |n| {
            progress(done + n, total)
        })?;
    }
    progress(total, total);
    Ok(())
}

/// The relative number of orders on a day: growth over the years, a weekly
/// rhythm and seasonal peaks (Black Friday to Christmas, a January lull).
fn day_weight(day: chrono::NaiveDate, index: i64, days: i64) -> f64 {
    use chrono::Datelike;
    let growth = 0.55 + 0.9 * index as f64 / days.max(1) as f64;
    let weekly =
        [1.12, 1.05, 1.0, 1.02, 0.95, 0.78, 0.9][day.weekday().num_days_from_monday() as usize];
    // The peak: Black Friday (after the fourth Thursday of November) to Cyber Monday.
    let peak = chrono::NaiveDate::from_ymd_opt(day.year(), 11, 1).is_some_and(|f| {
        let thursday = (3 + 7 - f.weekday().num_days_from_monday()) % 7;
        let black_friday = f + chrono::Duration::days(i64::from(thursday) + 22);
        (0..4).contains(&(day - black_friday).num_days())
    });
    let season = match (day.month(), day.day()) {
        _ if peak => 2.1,
        (11, d) if d >= 24 => 1.5,
        (12, d) if d <= 20 => 1.8,
        (12, _) => 1.1,
        (11, _) => 1.25,
        (1, _) => 0.8,
        (2, _) => 0.85,
        (7 | 8, _) => 0.9,
        (5, d) if d <= 12 => 1.2,
        _ => 1.0,
    };
    growth * weekly * season
}

/// Splits `n` orders over the days by weight (largest remainders), reproducibly.
fn orders_per_day(n: u64, weights: &[f64]) -> Vec<u64> {
    let total: f64 = weights.iter().sum();
    let exact: Vec<f64> = weights.iter().map(|w| n as f64 * w / total).collect();
    let mut counts: Vec<u64> = exact.iter().map(|e| e.floor() as u64).collect();
    let mut left = n - counts.iter().sum::<u64>();
    let mut order: Vec<usize> = (0..weights.len()).collect();
    order.sort_by(|&a, &b| {
        let fa = exact[a] - exact[a].floor();
        let fb = exact[b] - exact[b].floor();
        fb.total_cmp(&fa).then(a.cmp(&b))
    });
    for i in order {
        if left == 0 {
            break;
        }
        counts[i] += 1;
        left -= 1;
    }
    counts
}

fn stamp(t: chrono::NaiveDateTime) -> String {
    use chrono::{Datelike, Timelike};
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02}:{:02}",
        t.year(),
        t.month(),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

/// A restock waiting for its time: the goods of an order cancelled or
/// returned later on, as the window's rule gives them back.
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Restock {
    at: chrono::NaiveDateTime,
    order_id: i64,
    back: StockMove,
}

fn orders(
    tx: &rusqlite::Connection,
    rng: &mut Rng,
    n: u64,
    today: chrono::NaiveDate,
    now: chrono::NaiveDateTime,
    mut progress: impl FnMut(u64) -> bool,
) -> Result<(), StoreError> {
    use crate::domain::{MovementReason, OrderLine, OrderStatus, Story};
    use crate::store::bulk::BulkOrder;
    use std::cmp::Reverse;
    use std::collections::BinaryHeap;

    let products = store::bulk::product_stock(tx)?;
    let customers = store::bulk::customer_ids(tx)?;
    if products.is_empty() || customers.is_empty() {
        return Err(StoreError::Refused(
            "demo orders need customers and products; add some (or leave out --customers 0 / --products 0)".into(),
        ));
    }
    let start = today - chrono::Duration::days(HISTORY_DAYS - 1);
    let days: Vec<chrono::NaiveDate> = (0..HISTORY_DAYS)
        .map(|i| start + chrono::Duration::days(i))
        .collect();
    let hours: [u32; 24] = [
        1, 1, 0, 0, 0, 1, 2, 4, 6, 8, 9, 10, 12, 12, 10, 9, 9, 10, 12, 14, 15, 12, 8, 4,
    ];
    let hour_total: u32 = hours.iter().sum();
    // Today so far, in "order-seconds": each second weighs its hour's share,
    // so today gets the orders of the hours that have passed, no more.
    let so_far = {
        use chrono::Timelike;
        let secs = now.time().num_seconds_from_midnight();
        let (hour, into) = ((secs / 3600) as usize, u64::from(secs % 3600));
        hours[..hour]
            .iter()
            .map(|&w| u64::from(w) * 3600)
            .sum::<u64>()
            + u64::from(hours[hour.min(23)]) * into
    };
    let weights: Vec<f64> = days
        .iter()
        .enumerate()
        .map(|(i, d)| {
            let w = day_weight(*d, i as i64, HISTORY_DAYS);
            if *d == today {
                w * so_far as f64 / (f64::from(hour_total) * 3600.0)
            } else {
                w
            }
        })
        .collect();
    let per_day = orders_per_day(n, &weights);
    let existing = store::settings::counts(tx)?.orders as u64;
    let mut w = store::bulk::BulkWriter::new(tx, n > existing)?;
    let mut till = money::Till::new(tx, rng)?;
    let mut waiting: BinaryHeap<Reverse<Restock>> = BinaryHeap::new();
    let mut done = 0u64;
    let mut lines: Vec<OrderLine> = Vec::with_capacity(5);
    let mut picked: Vec<usize> = Vec::with_capacity(5);

    let flush = |w: &mut store::bulk::BulkWriter,
                 waiting: &mut BinaryHeap<Reverse<Restock>>,
                 until: chrono::NaiveDateTime|
     -> Result<(), StoreError> {
        while waiting.peek().is_some_and(|Reverse(r)| r.at <= until) {
            let Some(Reverse(r)) = waiting.pop() else {
                break;
            };
            w.movement(r.back, Some(r.order_id), None, &stamp(r.at))?;
        }
        Ok(())
    };

    for (index, (day, &count)) in days.iter().zip(&per_day).enumerate() {
        // The customer base grows: a third of the customers shop from the
        // start, the others arrive over the years.
        let known = ((customers.len() as f64) * (0.35 + 0.65 * index as f64 / days.len() as f64))
            .ceil() as usize;
        let known = known.clamp(1, customers.len());
        let age = (today - *day).num_days();
        let mut times: Vec<u32> = (0..count)
            .map(|_| {
                if *day == today {
                    // A moment of the hours so far, each weighed as above.
                    let mut x = rng.below(so_far.max(1));
                    let mut h = 0;
                    while h < 23 && x >= u64::from(hours[h]) * 3600 {
                        x -= u64::from(hours[h]) * 3600;
                        h += 1;
                    }
                    return h as u32 * 3600 + (x / u64::from(hours[h].max(1))) as u32;
                }
                let mut x = rng.below(u64::from(hour_total)) as u32;
                let mut h = 0;
                while x >= hours[h] {
                    x -= hours[h];
                    h += 1;
                }
                h as u32 * 3600 + rng.below(3600) as u32
            })
            .collect();
        times.sort_unstable();
        for secs in times {
            let Some(placed) = day.and_hms_opt(secs / 3600, (secs / 60) % 60, secs % 60) else {
                continue;
            };
            if placed > now {
                continue;
            }
            flush(&mut w, &mut waiting, placed)?;
            // Who buys: a few loyal customers buy often.
            let c = customers[((known as f64) * rng.unit().powf(1.25)) as usize % known];
            let n_lines = match rng.below(100) {
                0..45 => 1,
                45..73 => 2,
                73..88 => 3,
                88..96 => 4,
                _ => 5,
            };
            lines.clear();
            picked.clear();
            while picked.len() < n_lines.min(products.len()) {
                let p = ((products.len() as f64) * rng.unit().powf(1.6)) as usize % products.len();
                if !picked.contains(&p) {
                    picked.push(p);
                }
            }
            let at = stamp(placed);
            for &p in &picked {
                let quantity = match rng.below(100) {
                    0..70 => 1,
                    70..90 => 2,
                    90..97 => 3,
                    _ => rng.range(4, 6),
                };
                // Receive more before selling what is not there (a product
                // that does not track stock sells without).
                if w.tracks(products[p].0) && w.stock(products[p].0)? < quantity {
                    let received = products[p].3 * 3 + rng.range(60, 180);
                    let delivery = StockMove {
                        product_id: products[p].0,
                        change: received,
                        reason: MovementReason::Received,
                    };
                    w.movement(delivery, None, Some("supplier delivery"), &at)?;
                }
                let mut price = products[p].1;
                if rng.below(100) < 8 {
                    price = price * 9 / 10;
                }
                lines.push(OrderLine {
                    product_id: products[p].0,
                    quantity,
                    unit_price: Money(price),
                    ..OrderLine::default()
                });
            }
            let sale = till.dress(&mut lines, *day);
            // Its story so far: recent orders are still on their way.
            let mins =
                |rng: &mut Rng, lo: i64, hi: i64| chrono::Duration::minutes(rng.range(lo, hi));
            let paid = placed + mins(rng, 5, 180);
            let shipped = paid + mins(rng, 12 * 60, 48 * 60);
            let delivered = shipped + mins(rng, 2 * 1440, 5 * 1440);
            let mut path: Vec<(OrderStatus, chrono::NaiveDateTime)> =
                vec![(OrderStatus::Pending, placed)];
            // Every random draw happens whatever the clock says, so a seed
            // always gives the same shop.
            let roll = rng.below(1000);
            let cancel_after = mins(rng, 30, 30 * 60);
            let back = delivered + mins(rng, 3 * 1440, 20 * 1440);
            let slow_shipping = age <= 1 && rng.below(2) == 0;
            if roll < 40 {
                // Cancelled while pending or paid.
                if roll < 20 && paid <= now {
                    path.push((OrderStatus::Paid, paid));
                }
                let last = path.last().map_or(placed, |p| p.1);
                path.push((OrderStatus::Cancelled, (last + cancel_after).min(now)));
            } else {
                for (status, when) in [
                    (OrderStatus::Paid, paid),
                    (OrderStatus::Shipped, shipped),
                    (OrderStatus::Delivered, delivered),
                ] {
                    if when <= now && !(slow_shipping && status == OrderStatus::Shipped) {
                        path.push((status, when));
                    } else {
                        break;
                    }
                }
                if path.last().is_some_and(|p| p.0 == OrderStatus::Delivered)
                    && roll >= 970
                    && back <= now
                {
                    path.push((OrderStatus::Returned, back));
                }
            }
            let (status, last_at) = path
                .last()
                .copied()
                .unwrap_or((OrderStatus::Pending, placed));
            let delivered = (status == OrderStatus::Delivered).then_some(last_at);
            let refund = till.refund(&lines, delivered, now);
            let refund_at = refund.as_ref().map(|(_, t)| stamp(*t));
            let date = at[..10].to_owned();
            let time = at[11..].to_owned();
            let (id, back) = w.place(
                &BulkOrder {
                    number: None,
                    customer_id: c,
                    date: &date,
                    time: &time,
                    status,
                    lines: &lines,
                    note: None,
                    external_ref: None,
                    track_stock: true,
                    updated_at: &stamp(last_at),
                    terms: &sale.terms,
                    discount_code: sale.code,
                    ship_to: None,
                    paid: None,
                    method: Some(sale.method),
                    refund: refund
                        .as_ref()
                        .zip(refund_at.as_deref())
                        .map(|((units, _), at)| store::bulk::BulkRefund {
                            units,
                            at,
                            amount: None,
                        }),
                },
                Story::Whole,
            )?;
            let mut from = None;
            for (s, when) in &path {
                w.status(id, from, *s, &stamp(*when))?;
                from = Some(*s);
            }
            // A cancelled or returned order's goods come back when it ended;
            // a refund's units when it was made.
            let back_at = refund.as_ref().map_or(last_at, |(_, t)| *t);
            for back in back {
                // Units written off leave the shelf after they came back.
                let later = i64::from(back.reason == MovementReason::Damaged);
                waiting.push(Reverse(Restock {
                    at: back_at + chrono::Duration::seconds(later),
                    order_id: id,
                    back,
                }));
            }
            done += 1;
            if done.is_multiple_of(10_000) && !progress(done) {
                return Err(StoreError::Cancelled);
            }
        }
    }
    flush(&mut w, &mut waiting, chrono::NaiveDateTime::MAX)?;
    w.finish()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Black Friday: 27 November 2026, 28 November 2025, 29 November 2024.
    #[test]
    fn the_peak_is_black_friday_to_cyber_monday() {
        let day = |y, m, d| chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap();
        let weight = |d| day_weight(d, 0, 1) / day_weight(day(2026, 11, 4), 0, 1);
        assert!(weight(day(2026, 11, 26)) < 1.3 && weight(day(2026, 11, 27)) > 1.5);
        assert!(weight(day(2026, 11, 30)) > 1.4);
        assert!(weight(day(2025, 11, 27)) < weight(day(2025, 11, 28)));
        assert!(weight(day(2024, 11, 28)) < weight(day(2024, 11, 29)));
    }

    #[test]
    fn demo_data_is_valid_and_reproducible() {
        let mut a = Rng::new(7);
        let mut b = Rng::new(7);
        for i in 0..200 {
            let ca = customer(&mut a, i);
            assert_eq!(ca, customer(&mut b, i));
            if let Some(e) = &ca.email {
                assert!(crate::domain::customer::check_email(e).is_ok(), "{e}");
            }
            let p = product(&mut a, i);
            assert_eq!(p, product(&mut b, i));
            assert!(p.price.0 > 0 && p.cost.0 <= p.price.0 && p.stock >= 0);
        }
    }
}
