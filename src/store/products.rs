//! Products: create, edit, archive, delete, the sorted, searchable list
//! the Products panel pages through, and what each product sold. Stock is
//! never written here directly: a new product's opening stock goes through
//! `stock::apply`. Each SKU is written with its key (`domain::fold`, in
//! `sku_key`), which a unique index holds: one SKU whatever its case.

use std::sync::LazyLock;

use rusqlite::{Connection, OptionalExtension, Row, params};

use super::changelog::{self, Action, Entity};
use super::{Direction, Result, StoreError, fts_query, now_local, stock, unique_violation};
use crate::domain::{Money, MovementReason, NewProduct, OrderStatus, Product, fold};

const DUPLICATE_SKU: &str = "another product already has this SKU";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ProductSort {
    #[default]
    Sku,
    Name,
    Category,
    Price,
    Stock,
    ReorderLevel,
}

impl ProductSort {
    fn column(self) -> &'static str {
        match self {
            ProductSort::Sku => "p.sku COLLATE NOCASE",
            ProductSort::Name => "p.name COLLATE NOCASE",
            ProductSort::Category => "p.category COLLATE NOCASE",
            ProductSort::Price => "p.price",
            ProductSort::Stock => "p.stock",
            ProductSort::ReorderLevel => "p.reorder_level",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ProductQuery {
    pub search: String,
    pub show_archived: bool,
    /// Only products at or below their reorder level.
    pub low_only: bool,
    pub sort: ProductSort,
    pub direction: Direction,
}

fn filter_sql(q: &ProductQuery) -> (String, Option<String>) {
    let mut clauses = Vec::new();
    if !q.show_archived {
        clauses.push("p.archived = 0".to_owned());
    }
    if q.low_only {
        clauses.push("p.track_stock = 1 AND p.stock <= p.reorder_level".to_owned());
    }
    let fts = fts_query(&q.search);
    if fts.is_some() {
        clauses.push(
            "p.id IN (SELECT rowid FROM products_fts WHERE products_fts MATCH :fts)".to_owned(),
        );
    }
    let sql = if clauses.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", clauses.join(" AND "))
    };
    (sql, fts)
}

pub fn count(conn: &Connection, q: &ProductQuery) -> Result<usize> {
    let (filter, fts) = filter_sql(q);
    let mut stmt = conn.prepare_cached(&format!("SELECT count(*) FROM products p {filter}"))?;
    let n: i64 = match &fts {
        Some(f) => stmt.query_row(&[(":fts", f)], |r| r.get(0))?,
        None => stmt.query_row([], |r| r.get(0))?,
    };
    Ok(usize::try_from(n).unwrap_or(0))
}

/// Whether product `id` is among those `q` lists (its search and filters,
/// whatever the sort): a lookup by the primary key.
pub fn matches(conn: &Connection, q: &ProductQuery, id: i64) -> Result<bool> {
    let (filter, fts) = filter_sql(q);
    let and = if filter.is_empty() { "WHERE" } else { "AND" };
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT EXISTS (SELECT 1 FROM products p {filter} {and} p.id = :id)"
    ))?;
    let found: bool = match &fts {
        Some(f) => stmt.query_row(rusqlite::named_params! {":fts": f, ":id": id}, |r| r.get(0))?,
        None => stmt.query_row(rusqlite::named_params! {":id": id}, |r| r.get(0))?,
    };
    Ok(found)
}

/// A product's own columns: the one list that reads use, the change log's
/// snapshot holds and undo writes back, so a new column is read, logged and
/// undone alike. `stock` is restored only through a stock movement.
const OWN: [&str; 14] = [
    "sku",
    "name",
    "category",
    "description",
    "price",
    "cost",
    "stock",
    "reorder_level",
    "archived",
    "created_at",
    "tax_rate_id",
    "track_stock",
    "lead_days",
    "cover_days",
];

/// Columns a snapshot written before they existed does not hold: undo
/// leaves them as they are.
const LATER: [&str; 4] = ["tax_rate_id", "track_stock", "lead_days", "cover_days"];

/// `p.id, p.<own>…`, for reads of `products p`.
static COLUMNS: LazyLock<String> = LazyLock::new(|| {
    let own: Vec<String> = OWN.iter().map(|c| format!("p.{c}")).collect();
    format!("p.id, {}", own.join(", "))
});

fn from_row(r: &Row) -> rusqlite::Result<Product> {
    Ok(Product {
        id: r.get("id")?,
        sku: r.get("sku")?,
        name: r.get("name")?,
        category: r.get("category")?,
        description: r.get("description")?,
        price: Money(r.get("price")?),
        cost: Money(r.get("cost")?),
        stock: r.get("stock")?,
        reorder_level: r.get("reorder_level")?,
        archived: r.get("archived")?,
        created_at: r.get("created_at")?,
        track_stock: r.get("track_stock")?,
    })
}

pub fn page(
    conn: &Connection,
    q: &ProductQuery,
    offset: usize,
    limit: usize,
) -> Result<Vec<Product>> {
    let (filter, fts) = filter_sql(q);
    let dir = q.direction.sql();
    let sql = format!(
        "SELECT {columns} FROM products p {filter}
         ORDER BY {col} {dir}, p.id {dir}
         LIMIT :limit OFFSET :offset",
        col = q.sort.column(),
        columns = *COLUMNS
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let limit = i64::try_from(limit).unwrap_or(i64::MAX);
    let offset = i64::try_from(offset).unwrap_or(i64::MAX);
    let rows = match &fts {
        Some(f) => stmt
            .query_map(
                rusqlite::named_params! {":fts": f, ":limit": limit, ":offset": offset},
                from_row,
            )?
            .collect::<rusqlite::Result<Vec<_>>>()?,
        None => stmt
            .query_map(
                rusqlite::named_params! {":limit": limit, ":offset": offset},
                from_row,
            )?
            .collect::<rusqlite::Result<Vec<_>>>()?,
    };
    Ok(rows)
}

pub fn get(conn: &Connection, id: i64) -> Result<Product> {
    conn.prepare_cached(&format!(
        "SELECT {} FROM products p WHERE p.id = ?1",
        *COLUMNS
    ))?
    .query_row([id], from_row)
    .optional()?
    .ok_or_else(|| StoreError::NotFound(format!("product {id}")))
}

/// The product with this SKU (ignoring case and spaces around it, by
/// `domain::fold`), if any.
pub fn find_by_sku(conn: &Connection, sku: &str) -> Result<Option<Product>> {
    Ok(conn
        .prepare_cached(&format!(
            "SELECT {} FROM products p WHERE p.sku_key = ?1",
            *COLUMNS
        ))?
        .query_row([fold(sku)], from_row)
        .optional()?)
}

pub fn sku_taken(conn: &Connection, sku: &str, except: Option<i64>) -> Result<bool> {
    Ok(find_by_sku(conn, sku)?.is_some_and(|p| Some(p.id) != except))
}

/// Creates a product; its opening stock becomes its first stock movement.
pub fn insert(conn: &Connection, p: &NewProduct) -> Result<i64> {
    let id = insert_at(conn, p, &now_local())?;
    let after = snapshot(conn, id)?;
    changelog::record(
        conn,
        Entity::Product,
        Some(id),
        Action::Create,
        &format!("Added product {} ({})", p.name, p.sku),
        None,
        after.as_deref(),
    )?;
    Ok(id)
}

/// Creates a product as of `now` ('YYYY-MM-DD HH:MM:SS'), its opening stock moved at that time.
pub fn insert_at(conn: &Connection, p: &NewProduct, now: &str) -> Result<i64> {
    conn.prepare_cached(
        "INSERT INTO products (sku, name, category, description, price, cost, stock, reorder_level, created_at, updated_at, sku_key)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, 0, ?7, ?8, ?8, ?9)",
    )?
    .execute(params![
        p.sku,
        p.name,
        p.category,
        p.description,
        p.price.0,
        p.cost.0,
        p.reorder_level,
        now,
        fold(&p.sku)
    ])
    .map_err(|e| unique_violation(e, "sku", DUPLICATE_SKU))?;
    let id = conn.last_insert_rowid();
    super::tax::default_for_new(conn, id)?;
    if p.stock > 0 {
        stock::apply(conn, id, p.stock, MovementReason::Opening, None, None, now)?;
    }
    Ok(id)
}

/// Changes a product's details. Stock is not touched: adjust it with a movement.
pub fn update(conn: &Connection, id: i64, p: &NewProduct) -> Result<()> {
    let before = snapshot(conn, id)?;
    let n = conn
        .prepare_cached(
            "UPDATE products SET sku = ?2, name = ?3, category = ?4, description = ?5, price = ?6,
                 cost = ?7, reorder_level = ?8, updated_at = ?9, sku_key = ?10
             WHERE id = ?1",
        )?
        .execute(params![
            id,
            p.sku,
            p.name,
            p.category,
            p.description,
            p.price.0,
            p.cost.0,
            p.reorder_level,
            now_local(),
            fold(&p.sku)
        ])
        .map_err(|e| unique_violation(e, "sku", DUPLICATE_SKU))?;
    if n == 0 {
        return Err(StoreError::NotFound(format!("product {id}")));
    }
    let after = snapshot(conn, id)?;
    changelog::record(
        conn,
        Entity::Product,
        Some(id),
        Action::Update,
        &format!("Edited product {} ({})", p.name, p.sku),
        before.as_deref(),
        after.as_deref(),
    )?;
    Ok(())
}

pub fn set_archived(conn: &Connection, id: i64, archived: bool) -> Result<()> {
    let before = snapshot(conn, id)?;
    let n = conn.execute(
        "UPDATE products SET archived = ?2, updated_at = ?3 WHERE id = ?1",
        params![id, archived, now_local()],
    )?;
    if n == 0 {
        return Err(StoreError::NotFound(format!("product {id}")));
    }
    let p = get(conn, id)?;
    let after = snapshot(conn, id)?;
    changelog::record(
        conn,
        Entity::Product,
        Some(id),
        if archived {
            Action::Archive
        } else {
            Action::Unarchive
        },
        &format!(
            "{} product {} ({})",
            if archived { "Archived" } else { "Restored" },
            p.name,
            p.sku
        ),
        before.as_deref(),
        after.as_deref(),
    )?;
    Ok(())
}

/// Sets whether a product tracks stock (a gift card, a download or a
/// service does not: its orders take and give back none). Refused, writing
/// nothing, for a product that was ordered (its orders' stock movements
/// follow what it was when they were placed), and for one that has stock
/// (it would stay on the shelf unseen).
pub fn set_track_stock(conn: &Connection, id: i64, track: bool) -> Result<()> {
    let (now, stock): (bool, i64) = conn
        .prepare_cached("SELECT track_stock, stock FROM products WHERE id = ?1")?
        .query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?
        .ok_or_else(|| StoreError::NotFound(format!("product {id}")))?;
    if now == track {
        return Ok(());
    }
    if was_ordered(conn, id)? {
        return Err(StoreError::Refused(format!(
            "this product was ordered, so whether it tracks stock stays as it is ({}); \
             add a new product for the other way",
            if now {
                "it tracks stock"
            } else {
                "it does not track stock"
            }
        )));
    }
    if !track && stock != 0 {
        return Err(StoreError::Refused(format!(
            "this product has {stock} in stock; adjust its stock to 0 first, \
             or keep it tracking stock"
        )));
    }
    conn.prepare_cached("UPDATE products SET track_stock = ?2 WHERE id = ?1")?
        .execute(params![id, track])?;
    Ok(())
}

/// Whether any order ever included this product.
pub fn was_ordered(conn: &Connection, id: i64) -> Result<bool> {
    Ok(conn
        .prepare_cached("SELECT 1 FROM order_items WHERE product_id = ?1 LIMIT 1")?
        .query_row([id], |_| Ok(()))
        .optional()?
        .is_some())
}

/// Deletes a product that was never ordered, with its stock movements.
pub fn delete(conn: &Connection, id: i64) -> Result<()> {
    if was_ordered(conn, id)? {
        return Err(StoreError::Refused(
            "this product was ordered, so it can only be archived, not deleted".into(),
        ));
    }
    let before = snapshot(conn, id)?;
    conn.execute("DELETE FROM stock_movements WHERE product_id = ?1", [id])?;
    let n = conn.execute("DELETE FROM products WHERE id = ?1", [id])?;
    if n == 0 {
        return Err(StoreError::NotFound(format!("product {id}")));
    }
    let label: Option<String> = match &before {
        Some(b) => conn.query_row(
            "SELECT json_extract(?1, '$.name') || ' (' || json_extract(?1, '$.sku') || ')'",
            [b],
            |r| r.get(0),
        )?,
        None => None,
    };
    changelog::record(
        conn,
        Entity::Product,
        Some(id),
        Action::Delete,
        &format!("Deleted product {}", label.unwrap_or_default()),
        before.as_deref(),
        None,
    )?;
    Ok(())
}

/// A product's own columns as JSON, for the change log (None if there is
/// no such product).
pub fn snapshot(conn: &Connection, id: i64) -> Result<Option<String>> {
    static SQL: LazyLock<String> = LazyLock::new(|| {
        let pairs: Vec<String> = OWN.iter().map(|c| format!("'{c}', {c}")).collect();
        format!(
            "SELECT json_object({}) FROM products WHERE id = ?1",
            pairs.join(", ")
        )
    });
    Ok(conn
        .prepare_cached(&SQL)?
        .query_row([id], |r| r.get(0))
        .optional()?)
}

/// `json_extract(?2, '$.col')` for each column. A snapshot written before
/// products had a tax rate (or a tracking flag, or their own reorder days)
/// has no such key: that column stays as it is.
fn from_snapshot(columns: &[&str]) -> Vec<String> {
    columns
        .iter()
        .map(|c| {
            if LATER.contains(c) {
                format!(
                    "CASE WHEN json_type(?2, '$.{c}') IS NULL THEN {c} ELSE json_extract(?2, '$.{c}') END"
                )
            } else {
                format!("json_extract(?2, '$.{c}')")
            }
        })
        .collect()
}

const RESTORED_SKU: &str = "another product has this SKU now";

/// Writes a snapshot back over an existing product (undo of an edit or an
/// archive): everything but the stock, which only moves through movements,
/// and the day it was created.
pub(crate) fn restore(conn: &Connection, id: i64, snapshot: &str) -> Result<()> {
    let tracked: Option<bool> = conn.query_row(
        "SELECT json_extract(?1, '$.track_stock')",
        [snapshot],
        |r| r.get(0),
    )?;
    if let Some(track) = tracked {
        set_track_stock(conn, id, track)?;
    }
    static SQL: LazyLock<String> = LazyLock::new(|| {
        let columns: Vec<&str> = OWN
            .into_iter()
            .filter(|c| !matches!(*c, "stock" | "created_at"))
            .collect();
        let sets: Vec<String> = columns
            .iter()
            .zip(from_snapshot(&columns))
            .map(|(c, v)| format!("{c} = {v}"))
            .collect();
        format!(
            "UPDATE products SET {}, updated_at = ?3 WHERE id = ?1",
            sets.join(", ")
        )
    });
    conn.prepare_cached(&SQL)?
        .execute(params![id, snapshot, now_local()])
        .map_err(|e| unique_violation(e, "sku", RESTORED_SKU))?;
    refresh_sku_key(conn, id)
}

/// Writes a restored product's SKU key again.
fn refresh_sku_key(conn: &Connection, id: i64) -> Result<()> {
    let sku: String =
        conn.query_row("SELECT sku FROM products WHERE id = ?1", [id], |r| r.get(0))?;
    conn.execute(
        "UPDATE products SET sku_key = ?2 WHERE id = ?1",
        params![id, fold(&sku)],
    )
    .map_err(|e| unique_violation(e, "sku", RESTORED_SKU))?;
    Ok(())
}

/// Keys every SKU that has no key yet, after the update to version 6
/// (see `store::fill_keys`). Returns how many were keyed.
pub fn fill_sku_keys(conn: &Connection) -> Result<usize> {
    super::fill_keys(conn, "products", "sku", "sku_key")
}

/// Makes a deleted product again from its snapshot, with its old id (undo of
/// a delete); its stock comes back as one movement noted `note`.
pub(crate) fn reinsert(conn: &Connection, id: i64, snapshot: &str, note: &str) -> Result<()> {
    static SQL: LazyLock<String> = LazyLock::new(|| {
        let values: Vec<String> = OWN
            .iter()
            .zip(from_snapshot(&OWN))
            .map(|(c, v)| match *c {
                "stock" => "0".to_owned(),
                // No row to keep a rate or days from: the snapshot's, or none.
                "tax_rate_id" | "lead_days" | "cover_days" => format!("json_extract(?2, '$.{c}')"),
                "track_stock" => "coalesce(json_extract(?2, '$.track_stock'), 1)".to_owned(),
                _ => v,
            })
            .collect();
        format!(
            "INSERT INTO products (id, {}, updated_at) SELECT ?1, {}, ?3",
            OWN.join(", "),
            values.join(", ")
        )
    });
    conn.prepare_cached(&SQL)?
        .execute(params![id, snapshot, now_local()])
        .map_err(|e| unique_violation(e, "sku", RESTORED_SKU))?;
    refresh_sku_key(conn, id)?;
    let stock: i64 = conn.query_row("SELECT json_extract(?1, '$.stock')", [snapshot], |r| {
        r.get(0)
    })?;
    if stock > 0 {
        stock::apply(
            conn,
            id,
            stock,
            MovementReason::Undo,
            None,
            Some(note),
            &now_local(),
        )?;
    }
    Ok(())
}

/// What a product sold: over orders that count as sales, its units and
/// their revenue as sold (after discounts, without tax), and what refunds
/// of those orders took back of them (units, and their share of revenue),
/// so that revenue less refunded is Top products' and Margin's revenue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ProductSales {
    pub orders: i64,
    pub units: i64,
    pub revenue: Money,
    pub refunded_units: i64,
    pub refunded: Money,
}

pub fn product_sales(conn: &Connection, product_id: i64) -> Result<ProductSales> {
    let mut sales = conn
        .prepare_cached(&format!(
            "SELECT count(DISTINCT i.order_id), coalesce(sum(i.quantity), 0), coalesce(sum(i.revenue), 0)
             FROM order_items i JOIN orders o ON o.id = i.order_id
             WHERE i.product_id = ?1 AND {}",
            super::codes::sale("o.status")
        ))?
        .query_row([product_id], |r| {
            Ok(ProductSales {
                orders: r.get(0)?,
                units: r.get(1)?,
                revenue: Money(r.get(2)?),
                ..ProductSales::default()
            })
        })?;
    // The refunds, from the product's sums over all time (migration 17).
    if let Some((units, revenue)) = conn
        .prepare_cached(
            "SELECT refunded, refund_revenue FROM product_totals WHERE product_id = ?1",
        )?
        .query_row([product_id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?
    {
        sales.refunded_units = units;
        sales.refunded = Money(revenue);
    }
    Ok(sales)
}

/// One sale of a product, for its detail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProductSale {
    pub order_id: i64,
    pub order_date: String,
    pub customer_name: String,
    pub status: OrderStatus,
    pub quantity: i64,
    pub unit_price: Money,
}

pub fn product_sale_count(conn: &Connection, product_id: i64) -> Result<usize> {
    let n: i64 = conn
        .prepare_cached("SELECT count(*) FROM order_items WHERE product_id = ?1")?
        .query_row([product_id], |r| r.get(0))?;
    Ok(usize::try_from(n).unwrap_or(0))
}

/// A product's order lines, newest order first.
pub fn product_sale_page(
    conn: &Connection,
    product_id: i64,
    offset: usize,
    limit: usize,
) -> Result<Vec<ProductSale>> {
    let rows = conn
        .prepare_cached(
            "SELECT o.id, o.order_date, c.name, o.status, i.quantity, i.unit_price
             FROM order_items i JOIN orders o ON o.id = i.order_id JOIN customers c ON c.id = o.customer_id
             WHERE i.product_id = ?1 ORDER BY i.order_id DESC, i.id DESC LIMIT ?2 OFFSET ?3",
        )?
        .query_map(
            params![
                product_id,
                i64::try_from(limit).unwrap_or(i64::MAX),
                i64::try_from(offset).unwrap_or(i64::MAX)
            ],
            |r| {
                Ok(ProductSale {
                    order_id: r.get(0)?,
                    order_date: r.get(1)?,
                    customer_name: r.get(2)?,
                    status: r.get(3)?,
                    quantity: r.get(4)?,
                    unit_price: Money(r.get(5)?),
                })
            },
        )?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// Marks an imported row archived, as the file said (the import is one
/// entry in the change log, not one per row).
pub fn archive_imported(conn: &Connection, id: i64) -> Result<()> {
    conn.prepare_cached("UPDATE products SET archived = 1 WHERE id = ?1")?
        .execute([id])?;
    Ok(())
}
