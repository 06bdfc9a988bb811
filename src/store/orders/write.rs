//! Writing orders: placing one with its lines, figures (`domain::pricing`)
//! and stock movements, moving it to another status, changing a pending
//! order, and the undo counterparts of those. Payments and refunds are in
//! `money`. Every write runs inside the caller's transaction.

use std::collections::BTreeMap;

use rusqlite::{Connection, OptionalExtension, params};

pub use super::base::refresh_customer;
use super::base::{head, history, snapshot, write_status};
use super::{money, order_number, refund};
use crate::domain::check_text;
use crate::domain::pricing::{self, LineFigures};
use crate::domain::stock as stock_rules;
use crate::domain::{
    Discount, Figures, Money, NewOrder, OrderLine, OrderStatus, Rate, StockMove, Story, Terms,
};
use crate::store::changelog::{self, Action, Entity};
use crate::store::{Result, StoreError, now_local, stock};

/// How an order is placed: now and pending from the window; imports and demo
/// data give a date, a status and a reference.
#[derive(Debug, Clone)]
pub struct Placement {
    /// Local date 'YYYY-MM-DD' and time 'HH:MM:SS'; None for now.
    pub at: Option<(String, String)>,
    pub status: OrderStatus,
    pub external_ref: Option<String>,
    /// False for past orders recorded without moving stock (`import --history`).
    pub track_stock: bool,
    /// What was paid and how, when known (an import's `paid` column);
    /// otherwise `pricing::settle` works it out from the status.
    pub paid: Option<(Money, String)>,
    /// Whether the change log (and so undo) records it: orders placed in the
    /// window are logged, imported and demo ones are not.
    pub log: bool,
}

impl Default for Placement {
    fn default() -> Self {
        Placement {
            at: None,
            status: OrderStatus::Pending,
            external_ref: None,
            track_stock: true,
            paid: None,
            log: true,
        }
    }
}

/// A product an order asked more of than the shop has.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shortage {
    pub product_id: i64,
    pub sku: String,
    pub name: String,
    pub wanted: i64,
    pub available: i64,
}

impl std::fmt::Display for Shortage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} ({}): {} asked, only {} in stock",
            self.name, self.sku, self.wanted, self.available
        )
    }
}

fn shortage_error(shortages: Vec<Shortage>) -> StoreError {
    let list: Vec<String> = shortages.iter().map(ToString::to_string).collect();
    StoreError::Refused(format!(
        "not enough stock, nothing was saved: {}",
        list.join("; ")
    ))
}

/// Checks that every product can give the quantity asked (summed per
/// product); one that does not track stock (a gift card) always can.
pub(super) fn check_stock(conn: &Connection, wanted: &BTreeMap<i64, i64>) -> Result<()> {
    let mut shortages = Vec::new();
    let mut stmt = conn.prepare_cached("SELECT stock, sku, name FROM products WHERE id = ?1")?;
    for (&product_id, &qty) in wanted {
        if qty <= 0 || !crate::store::platform::tracks_stock(conn, product_id)? {
            continue;
        }
        let (stock, sku, name): (i64, String, String) = stmt
            .query_row([product_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .optional()?
            .ok_or_else(|| StoreError::NotFound(format!("product {product_id}")))?;
        if qty > stock {
            shortages.push(Shortage {
                product_id,
                sku,
                name,
                wanted: qty,
                available: stock,
            });
        }
    }
    if shortages.is_empty() {
        Ok(())
    } else {
        Err(shortage_error(shortages))
    }
}

/// Writes an order's stock movements (worked out by `domain::stock`) at
/// `at`; a product that does not track stock moves none.
pub(super) fn apply_moves(
    conn: &Connection,
    order_id: i64,
    moves: impl IntoIterator<Item = StockMove>,
    at: &str,
) -> Result<()> {
    for m in moves {
        if !crate::store::platform::tracks_stock(conn, m.product_id)? {
            continue;
        }
        stock::apply(
            conn,
            m.product_id,
            m.change,
            m.reason,
            Some(order_id),
            None,
            at,
        )?;
    }
    Ok(())
}

fn insert_lines(
    conn: &Connection,
    order_id: i64,
    lines: &[OrderLine],
    figures: &[LineFigures],
) -> Result<()> {
    let mut stmt = conn.prepare_cached(
        "INSERT INTO order_items (order_id, product_id, quantity, unit_price, line_total, discount,
                                  discount_percent, order_discount, tax_rate, tax, revenue, unit_cost)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
    )?;
    for (l, f) in lines.iter().zip(figures) {
        stmt.execute(params![
            order_id,
            l.product_id,
            l.quantity,
            l.unit_price.0,
            f.gross,
            f.discount,
            l.discount.percent().map(|p| p.0),
            f.order_discount,
            l.tax_rate.0,
            f.tax,
            f.revenue,
            l.unit_cost.0
        ])?;
    }
    Ok(())
}

fn priced(order: &NewOrder) -> Result<Figures> {
    order
        .figures()
        .map_err(|e| StoreError::Refused(format!("{e}; nothing was saved")))
}

/// Places an order: the order, its lines at the prices as sold, one stock
/// movement per line and the first status, all in the caller's transaction.
/// Refuses (writing nothing) when any product has too little stock.
pub fn place(conn: &Connection, order: &NewOrder, how: &Placement) -> Result<i64> {
    if order.lines.is_empty() {
        return Err(StoreError::Refused(
            "an order needs at least one line".into(),
        ));
    }
    let figures = priced(order)?;
    let exists: Option<i64> = conn
        .prepare_cached("SELECT id FROM customers WHERE id = ?1")?
        .query_row([order.customer_id], |r| r.get(0))
        .optional()?;
    if exists.is_none() {
        return Err(StoreError::NotFound(format!(
            "customer {}",
            order.customer_id
        )));
    }
    let takes_stock = how.track_stock;
    if takes_stock {
        check_stock(conn, &stock_rules::per_product(&order.lines))?;
    }
    let now = now_local();
    let (date, time) = match &how.at {
        Some((d, t)) => (d.clone(), t.clone()),
        None => (now[..10].to_owned(), now[11..].to_owned()),
    };
    let at = format!("{date} {time}");
    let t = &order.terms;
    conn.prepare_cached(
        "INSERT INTO orders (customer_id, order_date, order_time, status, item_count, total, note,
                             external_ref, stock_tracked, created_at, updated_at,
                             gross_sales, discounts, order_discount, discount_percent, discount_code,
                             revenue, shipping, shipping_tax, shipping_rate, tax, tax_included, cost,
                             balance, ship_to)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18,
                 ?19, ?20, ?21, ?22, ?23, ?24)",
    )?
    .execute(params![
        order.customer_id,
        date,
        time,
        how.status.code(),
        figures.items,
        figures.total,
        order.note,
        how.external_ref,
        takes_stock,
        at,
        figures.gross_sales,
        figures.discounts,
        figures.order_discount,
        t.discount.percent().map(|p| p.0),
        order.discount_code,
        figures.revenue,
        figures.shipping,
        figures.shipping_tax,
        t.shipping_rate.0,
        figures.tax,
        t.tax_included,
        figures.cost,
        pricing::balance(how.status, figures.total, 0, 0),
        order.ship_to,
    ])
    .map_err(|e| {
        crate::store::unique_violation(
            e,
            "order_ref",
            "an order with this reference already exists",
        )
    })?;
    let order_id = conn.last_insert_rowid();
    insert_lines(conn, order_id, &order.lines, &figures.lines)?;
    if takes_stock {
        // An order recorded as already cancelled or returned has its goods back.
        let (taken, back) = stock_rules::placing(&order.lines, how.status, Story::Whole);
        apply_moves(conn, order_id, taken, &at)?;
        apply_moves(conn, order_id, back, &at)?;
    }
    history(conn, order_id, None, how.status, &at)?;
    // Money already paid (and given back) for an order recorded where it ended.
    let (paid, refunded) = pricing::settle(
        how.status,
        figures.total,
        how.paid.as_ref().map(|(m, _)| m.0),
    );
    if paid > 0 || refunded > 0 {
        let method = how.paid.as_ref().map_or("Other", |(_, m)| m.as_str());
        refund::settle_placed(conn, order_id, &date, method, paid, refunded, &at)?;
    }
    refresh_customer(conn, order.customer_id)?;
    if how.log {
        let after = snapshot(conn, order_id)?;
        changelog::record(
            conn,
            Entity::Order,
            Some(order_id),
            Action::Place,
            &format!(
                "Placed order {} ({} items)",
                order_number(order_id),
                figures.items
            ),
            None,
            after.as_deref(),
        )?;
    }
    Ok(order_id)
}

/// A line as sold from a row of (product_id, quantity, unit_price,
/// discount, discount_percent, tax_rate, unit_cost), as the order's lines
/// and a change-log snapshot give them.
pub(super) fn line_from_row(r: &rusqlite::Row) -> rusqlite::Result<OrderLine> {
    Ok(OrderLine {
        product_id: r.get(0)?,
        quantity: r.get(1)?,
        unit_price: Money(r.get(2)?),
        discount: Discount::stored(r.get(3)?, r.get(4)?),
        tax_rate: Rate(r.get(5)?),
        unit_cost: Money(r.get(6)?),
    })
}

/// An order's lines as sold.
pub(super) fn lines_of(conn: &Connection, order_id: i64) -> Result<Vec<OrderLine>> {
    let rows = conn
        .prepare_cached(
            "SELECT product_id, quantity, unit_price, discount, discount_percent, tax_rate, unit_cost
             FROM order_items WHERE order_id = ?1 ORDER BY id",
        )?
        .query_map([order_id], line_from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// The units of each line still with the customer (sold and not returned),
/// for the stock a cancel or return gives back.
pub(super) fn kept_lines(conn: &Connection, order_id: i64) -> Result<Vec<OrderLine>> {
    let rows = conn
        .prepare_cached(
            "SELECT product_id, quantity - returned FROM order_items
             WHERE order_id = ?1 AND quantity > returned ORDER BY id",
        )?
        .query_map([order_id], |r| {
            Ok(OrderLine {
                product_id: r.get(0)?,
                quantity: r.get(1)?,
                ..OrderLine::default()
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// An order's terms as stored (the shipping charge as the customer saw it).
pub(super) fn terms_of(conn: &Connection, order_id: i64) -> Result<Terms> {
    conn.prepare_cached(
        "SELECT order_discount, discount_percent, shipping, shipping_tax, shipping_rate, tax_included
         FROM orders WHERE id = ?1",
    )?
    .query_row([order_id], |r| {
        let included: bool = r.get(5)?;
        let shipping: i64 = r.get(2)?;
        let shipping_tax: i64 = r.get(3)?;
        Ok(Terms {
            discount: Discount::stored(r.get(0)?, r.get(1)?),
            shipping: Money(if included {
                shipping + shipping_tax
            } else {
                shipping
            }),
            shipping_rate: Rate(r.get(4)?),
            tax_included: included,
            tax: None,
        })
    })
    .optional()?
    .ok_or_else(|| StoreError::NotFound(format!("order {}", order_number(order_id))))
}

/// Moves an order to another status. Only the allowed moves are accepted;
/// cancelling or returning puts every unit still out back into stock and
/// gives back what was paid, in the same transaction; becoming paid records
/// a payment of what is owed.
pub fn set_status(conn: &Connection, order_id: i64, to: OrderStatus) -> Result<()> {
    let before = snapshot(conn, order_id)?;
    let from = head(conn, order_id)?.status;
    set_status_unlogged(conn, order_id, to)?;
    let after = snapshot(conn, order_id)?;
    changelog::record(
        conn,
        Entity::Order,
        Some(order_id),
        Action::Status,
        // In words the window's own font draws (it has no arrow), and
        // that read right after "Undid": "Order #000012: shipped (was paid)".
        &format!(
            "Order {}: {} (was {})",
            order_number(order_id),
            to.label().to_lowercase(),
            from.label().to_lowercase()
        ),
        before.as_deref(),
        after.as_deref(),
    )?;
    Ok(())
}

fn refuse_move(order_id: i64, from: OrderStatus) -> StoreError {
    let allowed: Vec<&str> = from.next().iter().map(|s| s.label()).collect();
    let hint = if allowed.is_empty() {
        "it cannot change any more".to_owned()
    } else {
        format!("it can only become {}", allowed.join(" or "))
    };
    StoreError::Refused(format!(
        "order {} is {}: {hint}",
        order_number(order_id),
        from.label().to_lowercase()
    ))
}

/// `set_status` without a change-log entry (undo writes its own).
pub(crate) fn set_status_unlogged(conn: &Connection, order_id: i64, to: OrderStatus) -> Result<()> {
    let h = head(conn, order_id)?;
    if !h.status.can_move_to(to) {
        return Err(refuse_move(order_id, h.status));
    }
    let now = now_local();
    // Cancelling or returning: one movement per product, however many lines
    // it has, for the units not returned already.
    let moves = if h.stock_tracked {
        stock_rules::moving(&kept_lines(conn, order_id)?, h.status, to)
    } else {
        Vec::new()
    };
    match to {
        OrderStatus::Paid => {
            // What is still owed is paid now, in one payment.
            money::pay_balance(conn, order_id, "Other", &now[..10], &now)?;
        }
        OrderStatus::Cancelled | OrderStatus::Returned => {
            // Whatever was paid and not yet given back goes back.
            refund::give_back_rest(conn, order_id, to, &now)?;
        }
        _ => {}
    }
    apply_moves(conn, order_id, moves, &now)?;
    write_status(conn, order_id, h.status, to, &now)?;
    money::refresh(conn, order_id)?;
    refresh_customer(conn, h.customer_id)?;
    Ok(())
}

/// Replaces a pending order's lines, terms, note and shipping address (the
/// customer stays). The difference in quantity of each product is written
/// as stock movements; more than is in stock is refused.
pub fn edit(conn: &Connection, order_id: i64, order: &NewOrder) -> Result<()> {
    let before = snapshot(conn, order_id)?;
    edit_unlogged(conn, order_id, order)?;
    let after = snapshot(conn, order_id)?;
    changelog::record(
        conn,
        Entity::Order,
        Some(order_id),
        Action::Edit,
        &format!("Order {}: lines changed", order_number(order_id)),
        before.as_deref(),
        after.as_deref(),
    )?;
    Ok(())
}

/// Replaces a pending order's lines and note, keeping its terms.
pub fn edit_lines(
    conn: &Connection,
    order_id: i64,
    lines: &[OrderLine],
    note: Option<&str>,
) -> Result<()> {
    let (discount_code, ship_to): (Option<String>, Option<String>) = conn
        .prepare_cached("SELECT discount_code, ship_to FROM orders WHERE id = ?1")?
        .query_row([order_id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?
        .unwrap_or_default();
    let order = NewOrder {
        customer_id: head(conn, order_id)?.customer_id,
        lines: lines.to_vec(),
        note: note.map(str::to_owned),
        terms: terms_of(conn, order_id)?,
        discount_code,
        ship_to,
    };
    edit(conn, order_id, &order)
}

/// `edit` without a change-log entry (undo writes its own).
pub(crate) fn edit_unlogged(conn: &Connection, order_id: i64, order: &NewOrder) -> Result<()> {
    let h = head(conn, order_id)?;
    if h.status != OrderStatus::Pending {
        return Err(StoreError::Refused(format!(
            "order {} is {}; only pending orders can be changed",
            order_number(order_id),
            h.status.label().to_lowercase()
        )));
    }
    if order.lines.is_empty() {
        return Err(StoreError::Refused(
            "an order needs at least one line; cancel it instead".into(),
        ));
    }
    // An issued invoice keeps its figures: its number must not come to
    // stand for other lines.
    if let Some(invoice) = crate::store::invoice_numbers::invoice_of(conn, order_id)? {
        return Err(StoreError::Refused(format!(
            "order {} has its invoice {} already, and an invoice keeps what it says; cancel the order and place a new one instead",
            order_number(order_id),
            invoice.number
        )));
    }
    let figures = priced(order)?;
    let paid: i64 = conn
        .prepare_cached("SELECT paid FROM orders WHERE id = ?1")?
        .query_row([order_id], |r| r.get(0))?;
    if paid > figures.total {
        // A pending order has no refund: what can be done instead. Amounts
        // the shop's way (this reaches the window as it is).
        let currency = crate::store::settings::load(conn)?.currency;
        return Err(StoreError::Refused(format!(
            "{} was paid on order {}, more than its new total of {}; keep lines worth at least what was paid, or cancel the order (which gives back what was paid)",
            currency.format(Money(paid)),
            order_number(order_id),
            currency.format(Money(figures.total))
        )));
    }
    let now = now_local();
    if h.stock_tracked {
        let moves = stock_rules::editing(&lines_of(conn, order_id)?, &order.lines);
        check_stock(conn, &stock_rules::taken(&moves))?;
        apply_moves(conn, order_id, moves, &now)?;
    }
    conn.prepare_cached("DELETE FROM order_items WHERE order_id = ?1")?
        .execute([order_id])?;
    insert_lines(conn, order_id, &order.lines, &figures.lines)?;
    let t = &order.terms;
    conn.prepare_cached(
        "UPDATE orders SET item_count = ?2, total = ?3, note = ?4, updated_at = ?5,
             gross_sales = ?6, discounts = ?7, order_discount = ?8, discount_percent = ?9,
             discount_code = ?10, revenue = ?11, shipping = ?12, shipping_tax = ?13,
             shipping_rate = ?14, tax = ?15, tax_included = ?16, cost = ?17, ship_to = ?18
         WHERE id = ?1",
    )?
    .execute(params![
        order_id,
        figures.items,
        figures.total,
        order
            .note
            .as_deref()
            .map(str::trim)
            .filter(|n| !n.is_empty()),
        now,
        figures.gross_sales,
        figures.discounts,
        figures.order_discount,
        t.discount.percent().map(|p| p.0),
        order.discount_code,
        figures.revenue,
        figures.shipping,
        figures.shipping_tax,
        t.shipping_rate.0,
        figures.tax,
        t.tax_included,
        figures.cost,
        order.ship_to,
    ])?;
    money::refresh(conn, order_id)?;
    refresh_customer(conn, h.customer_id)?;
    Ok(())
}

/// Ships a paid order: its carrier and tracking number are kept (both optional).
pub fn ship(
    conn: &Connection,
    order_id: i64,
    carrier: Option<&str>,
    tracking: Option<&str>,
) -> Result<()> {
    let (carrier, tracking) = shipping_texts(carrier, tracking)?;
    set_status(conn, order_id, OrderStatus::Shipped)?;
    conn.prepare_cached("UPDATE orders SET carrier = ?2, tracking = ?3 WHERE id = ?1")?
        .execute(params![order_id, carrier, tracking])?;
    Ok(())
}

/// A carrier and tracking number as kept: checked, trimmed, empty as none.
fn shipping_texts(
    carrier: Option<&str>,
    tracking: Option<&str>,
) -> Result<(Option<String>, Option<String>)> {
    for (what, text) in [("the carrier", carrier), ("the tracking number", tracking)] {
        if let Some(t) = text {
            check_text(t.trim(), false)
                .map_err(|why| StoreError::Refused(format!("{what}: {why}")))?;
            if t.chars().count() > 200 {
                return Err(StoreError::Refused(format!("{what} is too long")));
            }
        }
    }
    let clean = |t: Option<&str>| {
        t.map(str::trim)
            .filter(|t| !t.is_empty())
            .map(str::to_owned)
    };
    Ok((clean(carrier), clean(tracking)))
}

/// Corrects a shipped order's carrier and tracking number (a typo, a
/// parcel sent again), its status left as it is; undone as any change is.
pub fn set_shipping(
    conn: &Connection,
    order_id: i64,
    carrier: Option<&str>,
    tracking: Option<&str>,
) -> Result<()> {
    let (carrier, tracking) = shipping_texts(carrier, tracking)?;
    let status = head(conn, order_id)?.status;
    if !matches!(status, OrderStatus::Shipped | OrderStatus::Delivered) {
        return Err(StoreError::Refused(format!(
            "order {} is {}; its carrier and tracking number are given when it is shipped",
            order_number(order_id),
            status.label().to_lowercase()
        )));
    }
    let before = snapshot(conn, order_id)?;
    conn.prepare_cached("UPDATE orders SET carrier = ?2, tracking = ?3 WHERE id = ?1")?
        .execute(params![order_id, carrier, tracking])?;
    let after = snapshot(conn, order_id)?;
    changelog::record(
        conn,
        Entity::Order,
        Some(order_id),
        Action::Update,
        &format!(
            "Order {}: carrier and tracking changed",
            order_number(order_id)
        ),
        before.as_deref(),
        after.as_deref(),
    )?;
    Ok(())
}

/// The carrier named by the newest of the shop's last 1,000 orders that
/// names one, for the next shipment's dialog to offer (a tryout typed DHL
/// each time). Read from the orders themselves, so an undone shipment takes
/// its carrier with it; the newest 1,000 only, so a shop that never names
/// one reads no more than those.
pub fn last_carrier(conn: &Connection) -> Result<Option<String>> {
    Ok(conn
        .prepare_cached(
            "SELECT carrier FROM (SELECT carrier FROM orders ORDER BY id DESC LIMIT 1000)
             WHERE carrier IS NOT NULL LIMIT 1",
        )?
        .query_row([], |r| r.get(0))
        .optional()?)
}
