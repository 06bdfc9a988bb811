//! Writing a Shopify orders export (`shopify_orders` reads and checks it):
//! the shop's currency first (a shop with no orders takes the file's; any
//! other is refused), then each order not imported before (by its Shopify
//! name) with its customer (by email; a guest by billing name; else one
//! "Guest") and its products (by SKU, else by name; made from the line item
//! when the shop has none, one without a SKU not tracking stock), as past
//! orders that leave stock as it is. All in one transaction.

use std::collections::HashMap;

use super::cols::Cols;
use super::shopify_orders::{
    BILLING, BILLING_NAME, BILLING_PHONE, CURRENCY, EMAIL, ITEM, OrderIn, Paid, Read, SKU,
};
use super::shopify_products::made_sku;
use super::{summary, write_or_check};
use crate::domain::{
    Currency, CustomerDraft, Discount, Money, OrderLine, OrderStatus, ProductDraft, Rate, Story,
    Terms, fold,
};
use crate::import::{CsvIn, ImportError, ImportKind, ImportOptions, ImportSummary, Problems, echo};
use crate::store::bulk::{BulkOrder, BulkRefund, BulkWriter};
use crate::store::{self, Store};

/// The symbol and decimals of a currency code.
fn symbol_of(code: &str) -> (String, u32) {
    let (symbol, decimals) = match code {
        "USD" => ("$", 2),
        "EUR" => ("€", 2),
        "GBP" => ("£", 2),
        "JPY" => ("¥", 0),
        "KRW" => ("₩", 0),
        "INR" => ("₹", 2),
        "CAD" => ("CA$", 2),
        "AUD" => ("A$", 2),
        "NZD" => ("NZ$", 2),
        "HKD" => ("HK$", 2),
        "SGD" => ("S$", 2),
        "MXN" => ("MX$", 2),
        "BRL" => ("R$", 2),
        "PLN" => ("zł", 2),
        "CZK" => ("Kč", 2),
        "SEK" | "NOK" | "DKK" => ("kr", 2),
        other => (other, 2),
    };
    (symbol.to_owned(), decimals)
}

/// Whether the shop's money is the file's currency ("$" is any dollar).
fn same_currency(shop: &Currency, code: &str) -> bool {
    let (symbol, _) = symbol_of(code);
    let mine = shop.symbol.trim();
    mine == symbol || mine.eq_ignore_ascii_case(code) || (mine == "$" && symbol.ends_with('$'))
}

/// What the writing found and made, for the summary.
#[derive(Default)]
struct Made {
    new: u64,
    here: u64,
    lines: u64,
    customers: u64,
    products: u64,
    untracked: u64,
    currency: Option<String>,
    statuses: Vec<(OrderStatus, u64)>,
}

/// Finds or makes each new order's customer and products.
struct Finder<'a> {
    tx: &'a rusqlite::Connection,
    c: &'a Cols,
    currency: &'a Currency,
    now: String,
    emails: HashMap<String, i64>,
    guests: HashMap<String, i64>,
    skus: HashMap<String, (i64, Money)>,
    names: HashMap<String, (i64, Money)>,
}

impl Finder<'_> {
    fn customer(
        &mut self,
        o: &OrderIn,
        customers: &[CustomerDraft],
        made: &mut Made,
        p: &mut Problems,
    ) -> Result<i64, ImportError> {
        let Some(mut draft) = customers.get(o.customer as usize).cloned() else {
            return Ok(0);
        };
        let email = draft.email.trim().to_owned();
        if !email.is_empty() {
            if let Some(&id) = self.emails.get(&fold(&email)) {
                return Ok(id);
            }
        } else {
            if draft.name.trim().is_empty() {
                draft = crate::domain::CustomerDraft {
                    name: "Guest".to_owned(),
                    ..Default::default()
                };
            }
            let name = draft.name.trim().to_owned();
            if let Some(&id) = self.guests.get(&name) {
                return Ok(id);
            }
            if let Some(id) = store::platform::guest_by_name(self.tx, &name)? {
                self.guests.insert(name, id);
                return Ok(id);
            }
        }
        let new = match draft.validate() {
            Ok(n) => n,
            Err(errors) => {
                for (field, why) in &errors.0 {
                    let column = match *field {
                        "email" => EMAIL,
                        "phone" => BILLING_PHONE,
                        "address" => BILLING[0],
                        "city" => BILLING[3],
                        "postal_code" => BILLING[4],
                        "country" => BILLING[6],
                        _ => BILLING_NAME,
                    };
                    p.add(o.line, self.c.name(column), why.clone());
                }
                return Ok(0);
            }
        };
        let id = store::customers::insert_at(self.tx, &new, &self.now)?;
        made.customers += 1;
        match &new.email {
            Some(e) => self.emails.insert(fold(e), id),
            None => self.guests.insert(new.name.clone(), id),
        };
        Ok(id)
    }

    fn product(
        &mut self,
        l: &super::shopify_orders::LineIn,
        (name, sku): (&str, &str),
        made: &mut Made,
        p: &mut Problems,
    ) -> Result<(i64, Money), ImportError> {
        let no_sku = sku.is_empty();
        if !no_sku {
            if let Some(&found) = self.skus.get(&fold(sku)) {
                return Ok(found);
            }
        } else {
            let key = fold(name);
            if let Some(&found) = self.names.get(&key) {
                return Ok(found);
            }
            if let Some(found) = store::platform::product_by_name(self.tx, name)? {
                self.names.insert(key, found);
                return Ok(found);
            }
        }
        let sku = if sku.is_empty() {
            let base = match made_sku(name, &[]) {
                b if b.is_empty() => "item".to_owned(),
                b => b,
            };
            let mut sku = base.clone();
            let mut k = 2;
            while self.skus.contains_key(&fold(&sku))
                || store::products::sku_taken(self.tx, &sku, None)?
            {
                sku = format!("{base}-{k}");
                k += 1;
            }
            sku
        } else {
            sku.to_owned()
        };
        let draft = ProductDraft {
            sku,
            name: name.to_owned(),
            price: self.currency.format_plain(Money(l.price)),
            stock: "0".into(),
            reorder_level: "0".into(),
            ..Default::default()
        };
        let product = match draft.validate(self.currency) {
            Ok(n) => n,
            Err(errors) => {
                for (field, why) in &errors.0 {
                    let column = if *field == "sku" { SKU } else { ITEM };
                    p.add(l.line, self.c.name(column), why.clone());
                }
                return Ok((0, Money::ZERO));
            }
        };
        let id = store::products::insert_at(self.tx, &product, &self.now)?;
        made.products += 1;
        if l.untracked {
            store::platform::set_untracked(self.tx, id)?;
            made.untracked += 1;
        }
        self.skus.insert(fold(&product.sku), (id, Money::ZERO));
        if no_sku {
            self.names.insert(fold(name), (id, Money::ZERO));
        }
        Ok((id, Money::ZERO))
    }
}

/// An order ready to write (its lines' products are in `write`'s
/// `products`, one per line item of `Read::lines`).
struct Ready {
    index: u32,
    customer: i64,
    paid: i64,
    refund: i64,
}

/// An order's lines as ours, into `buffer`, and its terms.
fn order_lines(
    o: &OrderIn,
    read: &Read,
    products: &[(i64, Money)],
    (order_discount, included): (i64, bool),
    buffer: &mut Vec<OrderLine>,
) -> Terms {
    buffer.clear();
    let items = &read.lines[o.lines.clone()];
    for (l, &(product_id, cost)) in items.iter().zip(&products[o.lines.clone()]) {
        buffer.push(OrderLine {
            product_id,
            quantity: l.quantity,
            unit_price: Money(l.price),
            discount: Discount::Amount(Money(l.discount)),
            tax_rate: Rate::ZERO,
            unit_cost: cost,
        });
    }
    let mut terms = Terms {
        discount: Discount::Amount(Money(order_discount)),
        shipping: Money(o.shipping),
        shipping_rate: Rate::ZERO,
        tax_included: included,
        tax: None,
    };
    // The rate its tax names give, on its taxable line items (and its
    // shipping, when that is what the rate gives), when that rate comes to
    // the file's Taxes within a cent a line item: the tax report and the
    // invoice then give it per rate. The amount stays as given either way;
    // otherwise it is tax as given, at no rate (two rates on different
    // goods, say, which the export does not tell apart).
    if o.rate.0 > 0 && o.taxes > 0 {
        let slack = items.len() as i64 + 1;
        for l in buffer.iter_mut().zip(items).filter(|(_, i)| i.taxable) {
            l.0.tax_rate = o.rate;
        }
        let comes_to = |terms: &Terms| {
            crate::domain::pricing::figures(buffer, terms)
                .is_ok_and(|f| (f.tax - o.taxes).abs() <= slack)
        };
        let on_shipping = Terms {
            shipping_rate: o.rate,
            ..terms.clone()
        };
        if o.shipping > 0 && comes_to(&on_shipping) {
            terms = on_shipping;
        } else if !comes_to(&terms) {
            for l in buffer.iter_mut() {
                l.tax_rate = Rate::ZERO;
            }
        }
    }
    terms.tax = Some(Money(o.taxes));
    terms
}

/// Takes the file's currency, or refuses it.
fn currency(
    tx: &rusqlite::Connection,
    code: &str,
    o: &OrderIn,
    c: &Cols,
    made: &mut Made,
    p: &mut Problems,
) -> Result<(), ImportError> {
    let mut settings = store::settings::load(tx)?;
    if code.is_empty() || same_currency(&settings.currency, code) {
        return Ok(());
    }
    let (symbol, decimals) = symbol_of(code);
    if store::platform::has_orders(tx)? {
        p.add(
            o.line,
            c.name(CURRENCY),
            format!(
                "the file's orders are in {}, but this shop's money is in {}; import them into a \
                 shop in {} (or a new shop, which takes the file's currency)",
                echo(code),
                settings.currency.symbol,
                echo(code)
            ),
        );
        return Ok(());
    }
    if decimals != settings.currency.decimals && store::settings::amounts_exist(tx)? {
        p.add(
            o.line,
            c.name(CURRENCY),
            format!(
                "the file's orders are in {}, written with {decimals} decimals, but this shop's \
                 prices have {}; set the shop's currency in Settings first",
                echo(code),
                settings.currency.decimals
            ),
        );
        return Ok(());
    }
    settings.currency.symbol = symbol.clone();
    settings.currency.decimals = decimals;
    store::settings::save(tx, &settings)?;
    made.currency = Some(format!(
        "The shop had no orders yet, so it takes the file's currency: {code} ({symbol})."
    ));
    Ok(())
}

#[allow(clippy::too_many_arguments)]
pub(super) fn write(
    store: &mut Store,
    csv: &CsvIn,
    c: &Cols,
    read: Read,
    checked: Vec<(i64, bool)>,
    file_currency: &str,
    options: ImportOptions,
) -> Result<ImportSummary, ImportError> {
    let name = csv.name.clone();
    let money = store::settings::currency(store.conn())?.plain_style();
    let (orders, customers) = (&read.orders, &read.shared.customers);
    let made = write_or_check(store, options.dry_run, |tx| {
        let mut made = Made::default();
        let mut p = Problems::default();
        if let Some(first) = orders.first() {
            currency(tx, file_currency, first, c, &mut made, &mut p)?;
        }
        p.into_result()?;
        let mut p = Problems::default();
        let taken = store::bulk::ExternalRefs::new(tx, orders.len())?;
        let mut finder = Finder {
            tx,
            c,
            currency: &money,
            now: store::now_local(),
            emails: store::bulk::customer_emails(tx)?,
            guests: HashMap::new(),
            skus: store::bulk::products_by_sku(tx)?
                .into_iter()
                .map(|(k, r)| (k, (r.id, r.cost)))
                .collect(),
            names: HashMap::new(),
        };
        let mut ready = Vec::new();
        // Each line item's product, in `read.lines`' order.
        let mut products: Vec<(i64, Money)> = vec![(0, Money::ZERO); read.lines.len()];
        let mut lines: Vec<OrderLine> = Vec::with_capacity(8);
        for (index, (o, &money_of)) in orders.iter().zip(&checked).enumerate() {
            if taken.contains(tx, &o.name)? {
                made.here += 1;
                continue;
            }
            let customer = finder.customer(o, customers, &mut made, &mut p)?;
            for i in o.lines.clone() {
                let l = &read.lines[i];
                let texts = (read.shared.get(l.name), read.shared.get(l.sku));
                products[i] = finder.product(l, texts, &mut made, &mut p)?;
            }
            let terms = order_lines(o, &read, &products, money_of, &mut lines);
            let total = match crate::domain::pricing::figures(&lines, &terms) {
                Ok(f) => f.total,
                Err(e) => {
                    p.add(o.line, "", format!("order {}: {e}", echo(&o.name)));
                    continue;
                }
            };
            let paid = match o.paid {
                Paid::Nothing => 0,
                Paid::All => total,
                Paid::AllBut(owed) => (total - owed).clamp(0, total),
            };
            made.lines += o.lines.len() as u64;
            ready.push(Ready {
                index: index as u32,
                customer,
                paid,
                refund: o.refund.min(paid),
            });
        }
        p.into_result()?;
        // 'YYYY-MM-DD HH:MM:SS' sorts as the day, then the time.
        ready.sort_by(|a, b| {
            let (x, y) = (&orders[a.index as usize], &orders[b.index as usize]);
            (&x.at, x.line).cmp(&(&y.at, y.line))
        });
        let existing = store::bulk::order_count(tx)?;
        let mut w = BulkWriter::new(tx, ready.len() as u64 > existing)?;
        for r in &ready {
            let o = &orders[r.index as usize];
            let terms = order_lines(o, &read, &products, checked[r.index as usize], &mut lines);
            let at: &str = &o.at;
            let ended = o.ended.as_deref().unwrap_or(at);
            w.place(
                &BulkOrder {
                    customer_id: r.customer,
                    date: o.date(),
                    time: o.time(),
                    status: o.status,
                    lines: &lines,
                    note: (!o.note.is_empty()).then_some(&*o.note),
                    external_ref: Some(&o.name),
                    number: None,
                    track_stock: false,
                    updated_at: if o.status.is_sale() { at } else { ended },
                    terms: &terms,
                    discount_code: Some(read.shared.get(o.code)).filter(|c| !c.is_empty()),
                    ship_to: Some(read.shared.get(o.ship_to)).filter(|s| !s.is_empty()),
                    paid: Some(Money(r.paid)),
                    method: Some(read.shared.get(o.method)).filter(|m| !m.is_empty()),
                    refund: (r.refund > 0).then_some(BulkRefund {
                        units: &[],
                        at,
                        amount: Some(Money(r.refund)),
                    }),
                },
                Story::EndOnly,
            )?;
            match made.statuses.iter_mut().find(|(s, _)| *s == o.status) {
                Some((_, n)) => *n += 1,
                None => made.statuses.push((o.status, 1)),
            }
            made.new += 1;
        }
        w.finish()?;
        if made.new > 0 {
            let what = crate::domain::format::count(made.new as i64, "order", "orders");
            super::super::log_import(
                tx,
                &format!("Imported {what} from {name} (Shopify, as past orders)"),
            )?;
        }
        Ok(made)
    })?;
    Ok(summary(
        ImportKind::Orders,
        made.lines,
        made.new,
        options.dry_run,
        notes(&made),
    ))
}

fn notes(made: &Made) -> Vec<String> {
    let count = |n: u64, one: &str, many: &str| crate::domain::format::count(n as i64, one, many);
    let mut notes = vec![format!(
        "Orders: {}.",
        super::new_and_here(made.new, made.here)
    )];
    if made.customers + made.products > 0 {
        let mut s = format!(
            "New from the orders: {} and {}",
            count(made.customers, "customer", "customers"),
            count(made.products, "product", "products")
        );
        if made.untracked > 0 {
            s.push_str(&format!(
                " ({} not track stock)",
                count(made.untracked, "does", "do")
            ));
        }
        s.push('.');
        notes.push(s);
    }
    if !made.statuses.is_empty() {
        let mut statuses = made.statuses.clone();
        statuses.sort();
        let list: Vec<String> = statuses
            .iter()
            .map(|(s, n)| format!("{n} {}", s.label().to_lowercase()))
            .collect();
        notes.push(format!("Statuses: {}.", list.join(", ")));
    }
    notes.extend(made.currency.clone());
    notes
}
