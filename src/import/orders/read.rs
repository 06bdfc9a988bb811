//! Reading an orders file (on the helper thread): every row checked on its
//! own, the rows gathered into orders, and, while the file stays in date
//! order, each complete order handed over to the writer.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc;

use crate::domain::{
    Currency, MAX_AMOUNT, MAX_QUANTITY, Money, OrderStatus, check_text, parse_count,
};
use crate::import::{CsvIn, ImportError, Mapping, Problems, echo, read_rows};
use crate::store::{self, bulk::ProductRef};

use super::money::{Interner, OrderMoney, Packed, read_row};
use super::stamp::{Stamp, parse_stamp_in};

/// An order gathered from the rows sharing its `order_number` (when the
/// file gives one) or else its `order_ref`.
#[derive(Clone)]
pub(super) struct OrderIn {
    /// What names it in the file: its number ("#000012") or its reference.
    pub(super) reference: Box<str>,
    /// The number it keeps, from the file's `order_number`.
    pub(super) number: Option<i64>,
    /// A numbered order's `order_ref`, if any (kept apart from its number).
    pub(super) external: Option<Box<str>>,
    /// The file line of its first row.
    pub(super) line: u64,
    /// 'YYYY-MM-DD HH:MM:SS'
    pub(super) at: Stamp,
    pub(super) customer: i64,
    pub(super) status: OrderStatus,
    /// The sum of its lines so far, at most `MAX_AMOUNT`.
    pub(super) total: i64,
    /// Its rows in `LineIn`s, once they are sorted by order.
    pub(super) lines: std::ops::Range<usize>,
    /// Its discount, shipping, tax and payment, as its rows give them.
    pub(super) money: OrderMoney,
    /// One of its rows had a problem (reported at its line), so it lacks
    /// that row: its money is not checked further, which would only report
    /// what the missing row explains (a payment over a total without it).
    pub(super) flawed: bool,
}

impl OrderIn {
    /// The reference it is stored with: a numbered order's own `order_ref`
    /// (none when empty), otherwise what names it.
    pub(super) fn external_ref(&self) -> Option<&str> {
        match self.number {
            Some(_) => self.external.as_deref(),
            None => Some(&self.reference),
        }
    }
}

/// One order line from the file.
#[derive(Clone, Copy)]
pub(super) struct LineIn {
    pub(super) order: u32,
    pub(super) line: u64,
    pub(super) product: u32,
    pub(super) quantity: i64,
    pub(super) price: i64,
    pub(super) discount: Packed,
    /// Its tax rate in thousandths, when the file has a `tax_rate` column
    /// (-1: it has not).
    pub(super) rate: i64,
    /// Units refunded, and how many of them went back into stock.
    pub(super) returned: i64,
    pub(super) restocked: i64,
    /// Its unit cost as sold (-1: its product's).
    pub(super) cost: i64,
}

/// FNV-1a: a quick hash for the import's own maps of references and SKUs,
/// which hold what the file says (no one gains by making them collide).
#[derive(Default, Clone, Copy)]
pub(super) struct FastHash;

pub(super) struct Fnv(u64);

impl std::hash::BuildHasher for FastHash {
    type Hasher = Fnv;
    fn build_hasher(&self) -> Fnv {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl std::hash::Hasher for Fnv {
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// Lowercases `text` into `buf`, without allocating for ASCII text.
fn lower_into(buf: &mut String, text: &str) {
    buf.clear();
    if text.is_ascii() {
        buf.push_str(text);
        buf.make_ascii_lowercase();
    } else {
        buf.extend(text.chars().flat_map(char::to_lowercase));
    }
}

/// What the shop already holds that rows name: customers by email, products by SKU.
pub(super) struct Known {
    pub(super) emails: HashMap<String, i64, FastHash>,
    pub(super) numbers: std::collections::HashSet<i64>,
    pub(super) products: Vec<ProductRef>,
    pub(super) by_sku: HashMap<String, u32, FastHash>,
    /// How the shop writes dates, which a file's dates may follow too.
    pub(super) date_style: crate::domain::format::DateStyle,
}

impl Known {
    pub(super) fn load(conn: &rusqlite::Connection) -> Result<Known, ImportError> {
        let emails = store::bulk::customer_emails(conn)?;
        let skus = store::bulk::products_by_sku(conn)?;
        let mut products = Vec::with_capacity(skus.len());
        let mut by_sku = HashMap::with_capacity_and_hasher(skus.len(), FastHash);
        for (key, p) in skus {
            by_sku.insert(key, products.len() as u32);
            products.push(p);
        }
        Ok(Known {
            emails: emails.into_iter().collect(),
            numbers: store::bulk::customer_numbers(conn)?,
            products,
            by_sku,
            date_style: store::settings::load(conn)?.date_style,
        })
    }
}

/// Every row of the file, read and checked on its own.
pub(super) struct Parsed {
    pub(super) rows: u64,
    pub(super) orders: Vec<OrderIn>,
    pub(super) lines: Vec<LineIn>,
    pub(super) problems: Problems,
    /// The references of rows that had problems and began no order (with the
    /// first such line), so a reference imported before is named for them too.
    pub(super) refused: Vec<(u64, Box<str>)>,
    /// Every order was handed to the writer, in date order.
    pub(super) streamed: bool,
    /// The tax rates the file names ("VAT 20%"), for the shop to learn.
    pub(super) rates: Vec<(Box<str>, crate::domain::Rate)>,
}

/// Orders handed from the reading thread to the writing one; each order's
/// `lines` index this batch's own lines.
#[derive(Default)]
pub(super) struct Batch {
    pub(super) orders: Vec<OrderIn>,
    pub(super) lines: Vec<LineIn>,
}

/// How many orders go over to the writer at a time.
const BATCH_ORDERS: usize = 2000;

/// What the two threads tell each other besides batches.
pub(super) struct Shared {
    /// Bytes of the file read so far.
    pub(super) read: AtomicU64,
    pub(super) cancel: AtomicBool,
    /// The writer still takes batches.
    pub(super) wanted: AtomicBool,
}

/// The reading side of the early writing: hands over each order once a row
/// of the next one shows it complete, as long as the file stays in date
/// order, each order's rows together and no row has a problem.
pub(super) struct Handover<'a> {
    pub(super) send: Option<mpsc::SyncSender<Batch>>,
    pub(super) shared: &'a Shared,
    /// The order being read: its index, where its lines start, its reference.
    pub(super) open: Option<(u32, usize, Box<str>)>,
    pub(super) batch: Batch,
}

impl Handover<'_> {
    fn on(&self) -> bool {
        self.send.is_some()
    }

    fn stop(&mut self) {
        self.send = None;
        self.batch = Batch::default();
    }

    /// Order `index` was just started; the one before it is complete.
    fn started(&mut self, index: u32, reference: &str, orders: &[OrderIn], lines: &[LineIn]) {
        if !self.on() {
            return;
        }
        if !self.shared.wanted.load(Ordering::Relaxed) {
            return self.stop();
        }
        if let Some((previous, _, _)) = &self.open
            && orders[index as usize].at < orders[*previous as usize].at
        {
            return self.stop();
        }
        self.close(orders, lines);
        self.open = Some((index, lines.len(), reference.into()));
        if self.batch.orders.len() >= BATCH_ORDERS {
            self.send_batch();
        }
    }

    /// A row belongs to order `index`, begun earlier.
    fn continued(&mut self, index: u32) {
        if self.open.as_ref().is_none_or(|(open, _, _)| *open != index) {
            self.stop();
        }
    }

    fn close(&mut self, orders: &[OrderIn], lines: &[LineIn]) {
        if let Some((index, from, reference)) = self.open.take() {
            let start = self.batch.lines.len();
            self.batch.lines.extend_from_slice(&lines[from..]);
            let mut order = orders[index as usize].clone();
            order.reference = reference;
            order.lines = start..self.batch.lines.len();
            self.batch.orders.push(order);
        }
    }

    fn send_batch(&mut self) {
        let batch = std::mem::take(&mut self.batch);
        if let Some(send) = &self.send
            && send.send(batch).is_err()
        {
            self.stop();
        }
    }

    /// The file is read: hands over the last order.
    fn finish(&mut self, orders: &[OrderIn], lines: &[LineIn]) -> bool {
        if self.on() {
            self.close(orders, lines);
            self.send_batch();
        }
        self.on()
    }
}

/// Reads and checks every row (on the reading thread). With `send`, orders
/// are handed over as they complete while that is safe.
pub(super) fn parse(
    csv: &mut CsvIn,
    m: &Mapping,
    known: &Known,
    currency: &Currency,
    shared: &Shared,
    send: Option<mpsc::SyncSender<Batch>>,
) -> Result<Parsed, ImportError> {
    let today = chrono::Local::now().format("%Y-%m-%d").to_string();
    let mut problems = Problems::default();
    // About 80 bytes a line: room for the lines and orders of the whole file.
    let guess = usize::try_from(csv.size / 80).unwrap_or(0).min(1 << 24);
    let mut orders: Vec<OrderIn> = Vec::with_capacity(guess / 2);
    let mut lines: Vec<LineIn> = Vec::with_capacity(guess);
    let mut by_ref: HashMap<Box<str>, u32, FastHash> =
        HashMap::with_capacity_and_hasher(guess / 2, FastHash);
    let mut handover = Handover {
        send,
        shared,
        open: None,
        batch: Batch::default(),
    };
    let mut key = String::new();
    let mut refused: Vec<(u64, Box<str>)> = Vec::new();
    let mut refused_seen: HashMap<Box<str>, (), FastHash> = HashMap::with_hasher(FastHash);
    let mut names = Interner::default();
    // A file separated by semicolons writes amounts with a decimal comma.
    let decimal = if csv.delimiter == b';' { ',' } else { '.' };
    let mut progress = |done: u64, _: u64| {
        shared.read.store(done, Ordering::Relaxed);
        !shared.cancel.load(Ordering::Relaxed)
    };
    let rows = read_rows(csv, m, &mut problems, &mut progress, |line, r, problems| {
        let before = problems.list.len() + problems.more;
        let reference = m.get(0, r).trim();
        let number_text = m.get(7, r).trim();
        let number = if number_text.is_empty() {
            None
        } else {
            let digits = number_text.strip_prefix('#').unwrap_or(number_text);
            match digits.parse::<i64>() {
                Ok(n) if n > 0 && digits.bytes().all(|b| b.is_ascii_digit()) => Some(n),
                _ => {
                    problems.add(
                        line,
                        "order_number",
                        format!(
                            "\"{}\" is not an order number; write it as #000123 or 123",
                            echo(number_text)
                        ),
                    );
                    None
                }
            }
        };
        if reference.is_empty() && number.is_none() && number_text.is_empty() {
            if m.has(7) {
                problems.add(
                    line,
                    "order_number",
                    "an order number or reference is required",
                );
            } else {
                problems.add(line, "order_ref", "an order reference is required");
            }
        } else if let Err(why) = check_text(reference, false) {
            problems.add(line, "order_ref", why);
        } else if reference.chars().count() > 64 {
            problems.add(line, "order_ref", "keep the reference under 64 characters");
        }
        let at = parse_stamp_in(m.get(1, r), known.date_style)
            .map_err(|e| problems.add(line, "order_date", e))
            .ok();
        if let Some(at) = &at
            && at.date() > today.as_str()
        {
            problems.add(
                line,
                "order_date",
                format!("{} is in the future", at.date()),
            );
        }
        let email = m.get(2, r).trim();
        lower_into(&mut key, email);
        let customer_number = m.get(8, r).trim();
        let customer = if !customer_number.is_empty() {
            let found = customer_number
                .parse::<i64>()
                .ok()
                .filter(|n| known.numbers.contains(n));
            if found.is_none() {
                problems.add(
                    line,
                    "customer_number",
                    format!(
                        "no customer has the number {}; import or add the customer first",
                        echo(customer_number)
                    ),
                );
            }
            found
        } else if email.is_empty() {
            if m.has(8) {
                problems.add(
                    line,
                    "customer_number",
                    "the customer's number or email is required",
                );
            } else {
                problems.add(line, "customer_email", "the customer's email is required");
            }
            None
        } else if let Err(why) = check_text(email, false) {
            problems.add(line, "customer_email", why);
            None
        } else {
            let found = known.emails.get(&key).copied();
            if found.is_none() {
                problems.add(
                    line,
                    "customer_email",
                    format!(
                        "no customer has the email {}; import or add the customer first",
                        echo(email)
                    ),
                );
            }
            found
        };
        let status_text = m.get(3, r).trim();
        let status = if status_text.is_empty() {
            Some(OrderStatus::Delivered)
        } else {
            lower_into(&mut key, status_text);
            let s = OrderStatus::from_code(&key);
            if s.is_none() {
                problems.add(
                    line,
                    "status",
                    format!("\"{}\" is not a status; use pending, paid, shipped, delivered, cancelled or returned", echo(status_text)),
                );
            }
            s
        };
        let sku = m.get(4, r).trim();
        lower_into(&mut key, sku);
        let product = if sku.is_empty() {
            problems.add(line, "sku", "a SKU is required");
            None
        } else if let Err(why) = check_text(sku, false) {
            problems.add(line, "sku", why);
            None
        } else {
            let found = known.by_sku.get(&key).copied();
            if found.is_none() {
                problems.add(
                    line,
                    "sku",
                    format!(
                        "no product has the SKU {}; import or add the product first",
                        echo(sku)
                    ),
                );
            }
            found
        };
        let quantity = match parse_count(m.get(5, r), false) {
            Ok(0) => {
                problems.add(line, "quantity", "the quantity must be at least 1");
                None
            }
            Ok(q) if q > MAX_QUANTITY => {
                problems.add(
                    line,
                    "quantity",
                    format!("at most {MAX_QUANTITY} units fit in one order line"),
                );
                None
            }
            Ok(q) => Some(q),
            Err(e) => {
                problems.add(line, "quantity", e);
                None
            }
        };
        let price_text = m.get(6, r);
        let price = if price_text.trim().is_empty() {
            product.map(|p| known.products[p as usize].price)
        } else {
            currency
                .parse_in_file(price_text, decimal)
                .map(|p| p.0)
                .map_err(|e| {
                    problems.add(
                        line,
                        "unit_price",
                        crate::import::amount_problem(price_text, &e, decimal),
                    )
                })
                .ok()
        };
        let line_total = match (quantity, price) {
            (Some(q), Some(p)) if q * p > MAX_AMOUNT => {
                problems.add(line, "quantity", over_the_bound(currency));
                None
            }
            (Some(q), Some(p)) => Some(q * p),
            _ => None,
        };
        let (own, money) = read_row(m, r, line, currency, decimal, &mut names, problems);
        if problems.list.len() + problems.more > before {
            if !reference.is_empty()
                && !by_ref.contains_key(reference)
                && !refused_seen.contains_key(reference)
            {
                refused_seen.insert(reference.into(), ());
                refused.push((line, reference.into()));
            }
            // The order begun by an earlier row lacks this one.
            let named = match number {
                Some(n) => std::borrow::Cow::Owned(format!("#{n:06}")),
                None => std::borrow::Cow::Borrowed(reference),
            };
            if let Some(&i) = by_ref.get(named.as_ref()) {
                orders[i as usize].flawed = true;
            }
            handover.stop();
            return;
        }
        let (
            Some(at),
            Some(customer),
            Some(status),
            Some(product),
            Some(quantity),
            Some(price),
            Some(line_total),
        ) = (at, customer, status, product, quantity, price, line_total)
        else {
            return;
        };
        // Numbered orders are gathered by number, the rest by reference.
        let named: std::borrow::Cow<'_, str> = match number {
            Some(n) => format!("#{n:06}").into(),
            None => reference.into(),
        };
        let order = match by_ref.get(named.as_ref()) {
            Some(&i) => {
                let o = &orders[i as usize];
                let first = o.line;
                if o.at != at {
                    problems.add(
                        line,
                        "order_date",
                        format!(
                            "differs from line {first} of the same order ({})",
                            o.at.text()
                        ),
                    );
                } else if o.customer != customer {
                    // The column the customer was read from on this line.
                    let column = if m.get(8, r).trim().is_empty() {
                        "customer_email"
                    } else {
                        "customer_number"
                    };
                    problems.add(
                        line,
                        column,
                        format!("differs from line {first} of the same order"),
                    );
                } else if o.status != status {
                    problems.add(
                        line,
                        "status",
                        format!(
                            "differs from line {first} of the same order ({})",
                            o.status.code()
                        ),
                    );
                } else if o.total + line_total > MAX_AMOUNT {
                    problems.add(line, "quantity", over_the_bound(currency));
                } else if let Err((column, theirs)) =
                    orders[i as usize].money.merge(&money, currency, &mut names)
                {
                    problems.add(
                        line,
                        column,
                        format!("differs from an earlier line of the same order ({theirs})"),
                    );
                } else {
                    orders[i as usize].total += line_total;
                    handover.continued(i);
                    lines.push(LineIn {
                        order: i,
                        line,
                        product,
                        quantity,
                        price,
                        discount: own.discount,
                        rate: own.rate,
                        returned: own.returned,
                        restocked: own.restocked,
                        cost: own.cost,
                    });
                    return;
                }
                orders[i as usize].flawed = true;
                return handover.stop();
            }
            None => {
                let i = orders.len() as u32;
                by_ref.insert(named.as_ref().into(), i);
                orders.push(OrderIn {
                    reference: Box::default(),
                    number,
                    external: number
                        .filter(|_| !reference.is_empty())
                        .map(|_| reference.into()),
                    line,
                    at,
                    customer,
                    status,
                    total: line_total,
                    lines: 0..0,
                    money,
                    flawed: false,
                });
                handover.started(i, &named, &orders, &lines);
                i
            }
        };
        lines.push(LineIn {
            order,
            line,
            product,
            quantity,
            price,
            discount: own.discount,
            rate: own.rate,
            returned: own.returned,
            restocked: own.restocked,
            cost: own.cost,
        });
    })?;
    let streamed = handover.finish(&orders, &lines) && problems.is_empty();
    // Each order keeps one copy of its reference: the map's.
    for (reference, i) in by_ref {
        orders[i as usize].reference = reference;
    }
    Ok(Parsed {
        rows,
        orders,
        lines,
        problems,
        refused,
        streamed,
        rates: names.rates,
    })
}

/// Why an order line or order is refused for its size.
pub(super) fn over_the_bound(currency: &Currency) -> String {
    format!(
        "the order's total would be over {}, the most one order may be; split it into several orders",
        currency.format(Money(MAX_AMOUNT))
    )
}
