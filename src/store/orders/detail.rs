//! One order's detail: its lines and money, its payments and refunds, its
//! status history and the stock it moved.

use rusqlite::{Connection, OptionalExtension};

use super::list::{SUMMARY_COLUMNS, summary};
use super::money::{PaymentRow, payments};
use super::write::terms_of;
use super::{OrderSummary, order_number};
use crate::domain::{Discount, Money, MovementReason, OrderStatus, Rate, Terms};
use crate::store::{Result, StoreError};

/// One line of an order's detail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineDetail {
    /// The order line's own id (what a refund names).
    pub item_id: i64,
    pub product_id: i64,
    pub sku: String,
    pub name: String,
    pub quantity: i64,
    pub unit_price: Money,
    /// quantity x unit price.
    pub line_total: Money,
    pub discount: Discount,
    /// The line's discount and its share of the order's, in money.
    pub discount_amount: Money,
    /// The line's own discount alone, in money (`discount_amount` less
    /// its share of the order's discount).
    pub line_discount: Money,
    pub tax_rate: Rate,
    pub tax: Money,
    pub revenue: Money,
    pub unit_cost: Money,
    /// Units that came back.
    pub returned: i64,
    /// The product's stock now.
    pub stock: i64,
    /// Whether the product tracks stock (a gift card does not).
    pub track_stock: bool,
}

/// An order's money as stored (see `domain::pricing`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OrderMoney {
    pub gross_sales: Money,
    pub discounts: Money,
    pub revenue: Money,
    pub shipping: Money,
    pub tax: Money,
    pub total: Money,
    pub cost: Money,
    pub paid: Money,
    pub refunded: Money,
    pub balance: Money,
    pub discount_code: Option<String>,
    /// The order's own shipping address, when it has one.
    pub own_ship_to: Option<String>,
    /// The order's terms (discount, shipping charge, rates) as sold.
    pub terms: Terms,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusChange {
    pub from: Option<OrderStatus>,
    pub to: OrderStatus,
    pub at: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MovementDetail {
    pub at: String,
    pub sku: String,
    pub change: i64,
    pub reason: MovementReason,
    pub stock_after: i64,
}

/// Everything the order detail shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderDetail {
    pub summary: OrderSummary,
    pub note: Option<String>,
    pub customer_email: Option<String>,
    /// Where it goes: its own address, else the customer's.
    pub ship_to: String,
    pub carrier: Option<String>,
    pub tracking: Option<String>,
    pub money: OrderMoney,
    pub payments: Vec<PaymentRow>,
    pub lines: Vec<LineDetail>,
    pub history: Vec<StatusChange>,
    pub movements: Vec<MovementDetail>,
    /// Its invoice was issued.
    pub invoiced: bool,
    /// Its invoice's number and day, once issued.
    pub invoice: Option<(String, String)>,
}

/// Where an order goes when it has no address of its own: the customer's
/// name and address (`[name, address, postal code, city, country]`) as the
/// lines of a label, in the format of the shop's country. A customer with
/// no address has no ship-to: their name alone read as one ("Ship to
/// us@example.com", an imported order's email standing as its name).
pub(crate) fn ship_to_text(customer: [String; 5], shop_country: &str) -> String {
    let [name, address, postal_code, city, country] = customer;
    let where_to =
        crate::domain::address::lines("", &address, &postal_code, &city, &country, shop_country);
    if where_to.is_empty() {
        return String::new();
    }
    let mut to = vec![name];
    to.extend(where_to);
    to.join("\n")
}

/// Gives a customer's orders that went out or are over (shipped,
/// delivered, returned, cancelled) and follow the customer's address an
/// address of their own: the one they had, `before`, when the customer's
/// name or address is about to change (or just changed) to `after`. A
/// delivered order's "Ship to" had moved to where the customer lives now.
/// Orders still to send follow the customer, as they will go there.
pub(crate) fn keep_ship_to(
    conn: &Connection,
    customer_id: i64,
    before: &str,
    after: &str,
) -> Result<()> {
    if before == after {
        return Ok(());
    }
    conn.prepare_cached(
        "UPDATE orders SET ship_to = ?2
         WHERE customer_id = ?1 AND ship_to IS NULL
           AND status IN ('shipped', 'delivered', 'returned', 'cancelled')",
    )?
    .execute(rusqlite::params![customer_id, before])?;
    Ok(())
}

/// What a customer's orders without an address of their own ship to now.
pub(crate) fn customer_ship_to(conn: &Connection, customer_id: i64) -> Result<String> {
    Ok(conn
        .prepare_cached(
            "SELECT name, address, postal_code, city, country,
                    (SELECT value FROM settings WHERE key = 'country')
             FROM customers WHERE id = ?1",
        )?
        .query_row([customer_id], |r| {
            let part = |i| r.get::<_, Option<String>>(i).map(Option::unwrap_or_default);
            Ok(ship_to_text(
                [part(0)?, part(1)?, part(2)?, part(3)?, part(4)?],
                &part(5)?,
            ))
        })
        .optional()?
        .unwrap_or_default())
}

pub fn detail(conn: &Connection, order_id: i64) -> Result<OrderDetail> {
    type Head = (
        OrderSummary,
        Option<String>,
        Option<String>,
        String,
        Option<String>,
        Option<String>,
        OrderMoney,
    );
    let (summary, note, customer_email, ship_to, carrier, tracking, mut money): Head = conn
        .prepare_cached(&format!(
            "SELECT {SUMMARY_COLUMNS}, o.note, c.email,
                    o.ship_to, o.carrier, o.tracking, o.gross_sales, o.discounts, o.revenue, o.shipping, o.tax,
                    o.cost, o.paid, o.refunded, o.balance, o.discount_code, o.ship_to,
                    c.name, c.address, c.postal_code, c.city, c.country,
                    (SELECT value FROM settings WHERE key = 'country')
             FROM orders o JOIN customers c ON c.id = o.customer_id WHERE o.id = ?1"
        ))?
        .query_row([order_id], |r| {
            Ok((
                summary(r)?,
                r.get(10)?,
                r.get(11)?,
                // The order's own address, or else the customer's.
                match r.get::<_, Option<String>>(12)? {
                    Some(own) => own,
                    None => {
                        let part = |i| r.get::<_, Option<String>>(i).map(Option::unwrap_or_default);
                        ship_to_text([part(26)?, part(27)?, part(28)?, part(29)?, part(30)?], &part(31)?)
                    }
                },
                r.get(13)?,
                r.get(14)?,
                OrderMoney {
                    gross_sales: Money(r.get(15)?),
                    discounts: Money(r.get(16)?),
                    revenue: Money(r.get(17)?),
                    shipping: Money(r.get(18)?),
                    tax: Money(r.get(19)?),
                    total: Money(r.get(7)?),
                    cost: Money(r.get(20)?),
                    paid: Money(r.get(21)?),
                    refunded: Money(r.get(22)?),
                    balance: Money(r.get(23)?),
                    discount_code: r.get(24)?,
                    own_ship_to: r.get(25)?,
                    terms: Terms::default(),
                },
            ))
        })
        .optional()?
        .ok_or_else(|| StoreError::NotFound(format!("order {}", order_number(order_id))))?;
    money.terms = terms_of(conn, order_id)?;
    let lines = conn
        .prepare_cached(
            "SELECT i.product_id, p.sku, p.name, i.quantity, i.unit_price, i.line_total, p.stock,
                    i.discount, i.discount_percent, i.order_discount, i.tax_rate, i.tax, i.revenue,
                    i.unit_cost, i.returned, i.id, p.track_stock
             FROM order_items i JOIN products p ON p.id = i.product_id WHERE i.order_id = ?1 ORDER BY i.id",
        )?
        .query_map([order_id], |r| {
            let discount: i64 = r.get(7)?;
            let order_discount: i64 = r.get(9)?;
            Ok(LineDetail {
                item_id: r.get(15)?,
                product_id: r.get(0)?,
                sku: r.get(1)?,
                name: r.get(2)?,
                quantity: r.get(3)?,
                unit_price: Money(r.get(4)?),
                line_total: Money(r.get(5)?),
                stock: r.get(6)?,
                discount: Discount::stored(discount, r.get(8)?),
                discount_amount: Money(discount + order_discount),
                line_discount: Money(discount),
                tax_rate: Rate(r.get(10)?),
                tax: Money(r.get(11)?),
                revenue: Money(r.get(12)?),
                unit_cost: Money(r.get(13)?),
                returned: r.get(14)?,
                track_stock: r.get(16)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let history = conn
        .prepare_cached(
            "SELECT from_status, to_status, changed_at FROM order_status_history WHERE order_id = ?1 ORDER BY id",
        )?
        .query_map([order_id], |r| {
            Ok(StatusChange {
                from: r.get(0)?,
                to: r.get(1)?,
                at: r.get(2)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let movements = conn
        .prepare_cached(
            "SELECT m.created_at, p.sku, m.change, m.reason, m.stock_after
             FROM stock_movements m JOIN products p ON p.id = m.product_id WHERE m.order_id = ?1 ORDER BY m.id",
        )?
        .query_map([order_id], |r| {
            Ok(MovementDetail {
                at: r.get(0)?,
                sku: r.get(1)?,
                change: r.get(2)?,
                reason: r.get(3)?,
                stock_after: r.get(4)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let invoice = conn
        .prepare_cached(
            "SELECT number, issued_on FROM invoices WHERE order_id = ?1 AND kind = 'invoice'",
        )?
        .query_row([order_id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    Ok(OrderDetail {
        summary,
        note,
        customer_email,
        ship_to,
        carrier,
        tracking,
        money,
        payments: payments(conn, order_id)?,
        lines,
        history,
        movements,
        invoiced: invoice.is_some(),
        invoice,
    })
}
