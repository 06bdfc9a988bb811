//! Customers: create, edit, archive, delete, the sorted, searchable list
//! the Customers panel pages through, and the order form's customer picker.
//! Each email is written with its key (`domain::fold`, in `email_key`), which
//! a unique index holds: one email whatever its case.

use std::sync::LazyLock;

use rusqlite::{Connection, OptionalExtension, Row, params};

use super::changelog::{self, Action, Entity};
use super::{Direction, Result, StoreError, fts_query, now_local, unique_violation};
use crate::domain::{Customer, Money, NewCustomer, fold};

const DUPLICATE_EMAIL: &str = "another customer already has this email address";

/// The columns the customer list can be sorted by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CustomerSort {
    #[default]
    Name,
    Email,
    Phone,
    City,
    Country,
    Orders,
    Spent,
}

impl CustomerSort {
    fn column(self) -> &'static str {
        match self {
            CustomerSort::Name => "c.name COLLATE NOCASE",
            CustomerSort::Email => "c.email COLLATE NOCASE",
            CustomerSort::Phone => "c.phone",
            CustomerSort::City => "c.city COLLATE NOCASE",
            CustomerSort::Country => "c.country COLLATE NOCASE",
            CustomerSort::Orders => "c.sale_count",
            CustomerSort::Spent => "c.total_spent",
        }
    }

    /// The index in this sort's order (then by number, with `archived`).
    fn index(self) -> &'static str {
        match self {
            CustomerSort::Name => "customers_by_name",
            CustomerSort::Email => "customers_by_email",
            CustomerSort::Phone => "customers_by_phone",
            CustomerSort::City => "customers_by_city",
            CustomerSort::Country => "customers_by_country",
            CustomerSort::Orders => "customers_by_sales",
            CustomerSort::Spent => "customers_by_spent",
        }
    }
}

/// What the customer list shows: a search, whether archived ones are included, the order.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CustomerQuery {
    pub search: String,
    pub show_archived: bool,
    pub sort: CustomerSort,
    pub direction: Direction,
}

/// One line of the customer list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomerRow {
    pub id: i64,
    pub name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub city: Option<String>,
    pub country: Option<String>,
    /// Orders that count as sales (what the list shows as "Orders").
    pub sale_count: i64,
    pub total_spent: Money,
    pub archived: bool,
}

fn filter_sql(q: &CustomerQuery) -> (String, Option<String>) {
    let mut clauses = Vec::new();
    if !q.show_archived {
        clauses.push("c.archived = 0".to_owned());
    }
    let fts = fts_query(&q.search);
    if fts.is_some() {
        clauses.push(
            "c.id IN (SELECT rowid FROM customers_fts WHERE customers_fts MATCH :fts)".to_owned(),
        );
    }
    let sql = if clauses.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", clauses.join(" AND "))
    };
    (sql, fts)
}

/// How many customers the query finds.
pub fn count(conn: &Connection, q: &CustomerQuery) -> Result<usize> {
    let (filter, fts) = filter_sql(q);
    let sql = format!("SELECT count(*) FROM customers c {filter}");
    let mut stmt = conn.prepare_cached(&sql)?;
    let n: i64 = match &fts {
        Some(f) => stmt.query_row(&[(":fts", f)], |r| r.get(0))?,
        None => stmt.query_row([], |r| r.get(0))?,
    };
    Ok(usize::try_from(n).unwrap_or(0))
}

/// Rows `offset..offset+limit` of the query's result, in its order.
pub fn page(
    conn: &Connection,
    q: &CustomerQuery,
    offset: usize,
    limit: usize,
) -> Result<Vec<CustomerRow>> {
    let (filter, fts) = filter_sql(q);
    let dir = q.direction.sql();
    let indexed = match &fts {
        Some(f) if walk_the_index(conn, f, offset.saturating_add(limit))? => {
            format!(" INDEXED BY {}", q.sort.index())
        }
        _ => String::new(),
    };
    let sql = format!(
        "SELECT c.id, c.name, c.email, c.phone, c.city, c.country, c.sale_count, c.total_spent, c.archived
         FROM customers c{indexed} {filter}
         ORDER BY {col} {dir}, c.id {dir}
         LIMIT :limit OFFSET :offset",
        col = q.sort.column()
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let limit = i64::try_from(limit).unwrap_or(i64::MAX);
    let offset = i64::try_from(offset).unwrap_or(i64::MAX);
    let map = |r: &Row| {
        Ok(CustomerRow {
            id: r.get(0)?,
            name: r.get(1)?,
            email: r.get(2)?,
            phone: r.get(3)?,
            city: r.get(4)?,
            country: r.get(5)?,
            sale_count: r.get(6)?,
            total_spent: Money(r.get(7)?),
            archived: r.get(8)?,
        })
    };
    let rows = match &fts {
        Some(f) => stmt
            .query_map(
                rusqlite::named_params! {":fts": f, ":limit": limit, ":offset": offset},
                map,
            )?
            .collect::<rusqlite::Result<Vec<_>>>()?,
        None => stmt
            .query_map(
                rusqlite::named_params! {":limit": limit, ":offset": offset},
                map,
            )?
            .collect::<rusqlite::Result<Vec<_>>>()?,
    };
    Ok(rows)
}

/// Whether a search's page comes sooner by walking the sort's index past
/// the customers not found (about `rows` x all / found entries) than by
/// reading every one found and sorting them (SQLite's choice: 30,000 rows
/// for "m", 30 ms, when the first 100 by name are in the first 350 entries).
fn walk_the_index(conn: &Connection, fts: &str, rows: usize) -> Result<bool> {
    let found: i64 = conn
        .prepare_cached("SELECT count(*) FROM customers_fts WHERE customers_fts MATCH ?1")?
        .query_row([fts], |r| r.get(0))?;
    let all: i64 = conn
        .prepare_cached("SELECT coalesce(max(id), 0) FROM customers")?
        .query_row([], |r| r.get(0))?;
    let found = u128::try_from(found).unwrap_or(0);
    let rows = u128::try_from(rows).unwrap_or(u128::MAX);
    let all = u128::try_from(all).unwrap_or(0);
    Ok(found.saturating_mul(found).saturating_mul(2) > rows.saturating_mul(all))
}

/// A customer's own columns (what a user typed, whether archived, when
/// created): the one list that `get` reads, the change log's snapshot holds
/// and undo writes back, so a new column is read, logged and undone alike.
const OWN: [&str; 10] = [
    "name",
    "email",
    "phone",
    "address",
    "city",
    "postal_code",
    "country",
    "notes",
    "archived",
    "created_at",
];

/// Kept from the customer's orders (`orders::refresh_customer`): read, never
/// restored. `created_at` is written once, when the customer is made.
const FIGURES: [&str; 7] = [
    "order_count",
    "sale_count",
    "total_spent",
    "first_order_date",
    "last_order_date",
    "first_sale_date",
    "last_sale_date",
];

/// `SELECT id, <own>, <figures> FROM customers`
static SELECT: LazyLock<String> = LazyLock::new(|| {
    format!(
        "SELECT id, {}, {} FROM customers",
        OWN.join(", "),
        FIGURES.join(", ")
    )
});

fn from_row(r: &Row) -> rusqlite::Result<Customer> {
    Ok(Customer {
        id: r.get("id")?,
        name: r.get("name")?,
        email: r.get("email")?,
        phone: r.get("phone")?,
        address: r.get("address")?,
        city: r.get("city")?,
        postal_code: r.get("postal_code")?,
        country: r.get("country")?,
        notes: r.get("notes")?,
        archived: r.get("archived")?,
        created_at: r.get("created_at")?,
        order_count: r.get("order_count")?,
        sale_count: r.get("sale_count")?,
        total_spent: Money(r.get("total_spent")?),
        first_order_date: r.get("first_order_date")?,
        last_order_date: r.get("last_order_date")?,
        first_sale_date: r.get("first_sale_date")?,
        last_sale_date: r.get("last_sale_date")?,
    })
}

pub fn get(conn: &Connection, id: i64) -> Result<Customer> {
    conn.prepare_cached(&format!("{} WHERE id = ?1", *SELECT))?
        .query_row([id], from_row)
        .optional()?
        .ok_or_else(|| StoreError::NotFound(format!("customer {id}")))
}

/// The customer with this email (ignoring case and spaces around it, by
/// `domain::fold`), if any.
pub fn find_by_email(conn: &Connection, email: &str) -> Result<Option<Customer>> {
    Ok(conn
        .prepare_cached(&format!("{} WHERE email_key = ?1", *SELECT))?
        .query_row([fold(email)], from_row)
        .optional()?)
}

/// Whether another customer (not `except`) already uses this email, ignoring
/// case and spaces around it.
pub fn email_taken(conn: &Connection, email: &str, except: Option<i64>) -> Result<bool> {
    let found: Option<i64> = conn
        .prepare_cached("SELECT id FROM customers WHERE email_key = ?1")?
        .query_row([fold(email)], |r| r.get(0))
        .optional()?;
    Ok(found.is_some_and(|id| Some(id) != except))
}

/// Creates a customer from the window's form (logged in the change log).
pub fn insert(conn: &Connection, c: &NewCustomer) -> Result<i64> {
    let id = insert_at(conn, c, &now_local())?;
    let after = snapshot(conn, id)?;
    changelog::record(
        conn,
        Entity::Customer,
        Some(id),
        Action::Create,
        &format!("Added customer {}", c.name),
        None,
        after.as_deref(),
    )?;
    Ok(id)
}

/// Creates a customer as of `now` ('YYYY-MM-DD HH:MM:SS'), for imports and demo data.
pub fn insert_at(conn: &Connection, c: &NewCustomer, now: &str) -> Result<i64> {
    insert_numbered(conn, None, c, now)
}

/// Whether a customer has this number.
pub fn number_taken(conn: &Connection, number: i64) -> Result<bool> {
    Ok(conn
        .prepare_cached("SELECT 1 FROM customers WHERE id = ?1")?
        .query_row([number], |_| Ok(()))
        .optional()?
        .is_some())
}

/// `insert_at` with the customer's number given (an import of our own
/// customers file keeps their numbers); `None` takes the next one.
pub fn insert_numbered(
    conn: &Connection,
    number: Option<i64>,
    c: &NewCustomer,
    now: &str,
) -> Result<i64> {
    conn.prepare_cached(
        "INSERT INTO customers (id, name, email, phone, phone_digits, address, city, postal_code, country, notes, created_at, updated_at, email_key)
         VALUES (?11, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10, ?12)",
    )?
    .execute(params![
        c.name,
        c.email,
        c.phone,
        c.phone.as_deref().map(phone_digits),
        c.address,
        c.city,
        c.postal_code,
        c.country,
        c.notes,
        now,
        number,
        c.email.as_deref().map(fold)
    ])
    .map_err(|e| unique_violation(e, "email", DUPLICATE_EMAIL))?;
    Ok(conn.last_insert_rowid())
}

pub fn update(conn: &Connection, id: i64, c: &NewCustomer) -> Result<()> {
    let before = snapshot(conn, id)?;
    let ship_to = super::orders::customer_ship_to(conn, id)?;
    let n = conn
        .prepare_cached(
            "UPDATE customers SET name = ?2, email = ?3, phone = ?4, phone_digits = ?11, address = ?5,
                 city = ?6, postal_code = ?7, country = ?8, notes = ?9, updated_at = ?10, email_key = ?12
             WHERE id = ?1",
        )?
        .execute(params![
            id,
            c.name,
            c.email,
            c.phone,
            c.address,
            c.city,
            c.postal_code,
            c.country,
            c.notes,
            now_local(),
            c.phone.as_deref().map(phone_digits),
            c.email.as_deref().map(fold)
        ])
        .map_err(|e| unique_violation(e, "email", DUPLICATE_EMAIL))?;
    if n == 0 {
        return Err(StoreError::NotFound(format!("customer {id}")));
    }
    let moved = super::orders::customer_ship_to(conn, id)?;
    super::orders::keep_ship_to(conn, id, &ship_to, &moved)?;
    let after = snapshot(conn, id)?;
    changelog::record(
        conn,
        Entity::Customer,
        Some(id),
        Action::Update,
        &format!("Edited customer {}", c.name),
        before.as_deref(),
        after.as_deref(),
    )?;
    Ok(())
}

/// The name an erased customer's orders go on with.
pub const ERASED: &str = "Erased customer";

/// Erases a customer's personal data for good, as a request to be
/// forgotten asks: their name (now `ERASED`), email, phone, address and
/// notes; the addresses their orders were given of their own; and the
/// change log's record of them (each change kept the values before and
/// after it), so no undo brings them back. Their orders stay, with every
/// figure, for the shop's accounts; issued invoices and credit notes keep
/// who they were made out to (the law has the shop keep them). The caller
/// runs it with SQLite's secure delete on (`Store::erase_customer`), so the
/// bytes of what is removed are overwritten in the file too.
pub fn erase(conn: &Connection, id: i64) -> Result<()> {
    let c = get(conn, id)?;
    let erased_before: bool = conn
        .prepare_cached(
            "SELECT EXISTS (SELECT 1 FROM change_log
                            WHERE entity = 'customer' AND entity_id = ?1 AND action = 'erase')",
        )?
        .query_row([id], |r| r.get(0))?;
    if erased_before {
        return Err(StoreError::Refused(format!(
            "customer {id}'s personal data was erased already; nothing was changed"
        )));
    }
    // An order still to send needs where it goes (a tryout's paid order
    // was left with "Ship to: Erased customer").
    let open: Vec<i64> = conn
        .prepare_cached(
            "SELECT id FROM orders WHERE customer_id = ?1 AND status IN ('pending', 'paid')
             ORDER BY id LIMIT 6",
        )?
        .query_map([id], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    if !open.is_empty() {
        let numbers: Vec<String> = open
            .iter()
            .take(5)
            .map(|o| super::orders::order_number(*o))
            .collect();
        return Err(StoreError::Refused(format!(
            "{} has orders still to send ({}{}): ship or cancel them first, then erase; nothing was erased",
            c.name,
            numbers.join(", "),
            if open.len() > 5 { ", …" } else { "" }
        )));
    }
    // An invoiced order keeps where it went, as its invoice printed it (the
    // law has the shop keep its invoices); the others forget it.
    let went_to = super::orders::customer_ship_to(conn, id)?;
    conn.prepare_cached(
        "UPDATE orders SET ship_to = ?2
         WHERE customer_id = ?1 AND ship_to IS NULL
           AND id IN (SELECT order_id FROM invoices WHERE kind = 'invoice')",
    )?
    .execute(params![id, went_to])?;
    conn.prepare_cached(
        "UPDATE orders SET ship_to = NULL
         WHERE customer_id = ?1 AND ship_to IS NOT NULL
           AND id NOT IN (SELECT order_id FROM invoices WHERE kind = 'invoice')",
    )?
    .execute([id])?;
    conn.prepare_cached("DELETE FROM change_log WHERE entity = 'customer' AND entity_id = ?1")?
        .execute([id])?;
    // Their orders' entries keep what they did, without where they went.
    conn.prepare_cached(
        "UPDATE change_log SET
             before = CASE WHEN before IS NULL THEN NULL ELSE json_replace(before, '$.ship_to', NULL) END,
             after = CASE WHEN after IS NULL THEN NULL ELSE json_replace(after, '$.ship_to', NULL) END
         WHERE entity = 'order' AND entity_id IN (SELECT id FROM orders WHERE customer_id = ?1)",
    )?
    .execute([id])?;
    conn.prepare_cached(
        "UPDATE customers SET name = ?2, email = NULL, email_key = NULL, phone = NULL,
             phone_digits = NULL, address = NULL, city = NULL, postal_code = NULL,
             country = NULL, notes = NULL, archived = 1, updated_at = ?3
         WHERE id = ?1",
    )?
    .execute(params![id, ERASED, now_local()])?;
    // The search index drops what it held of them (contentless, it keeps a
    // deleted row's words until its segments are merged).
    conn.execute_batch("INSERT INTO customers_fts (customers_fts) VALUES ('optimize')")?;
    changelog::record(
        conn,
        Entity::Customer,
        Some(id),
        Action::Erase,
        "Erased a customer's personal data",
        None,
        None,
    )?;
    Ok(())
}

/// Hides (or shows again) a customer; their orders stay.
pub fn set_archived(conn: &Connection, id: i64, archived: bool) -> Result<()> {
    let before = snapshot(conn, id)?;
    let n = conn.execute(
        "UPDATE customers SET archived = ?2, updated_at = ?3 WHERE id = ?1",
        params![id, archived, now_local()],
    )?;
    if n == 0 {
        return Err(StoreError::NotFound(format!("customer {id}")));
    }
    let name = get(conn, id)?.name;
    let after = snapshot(conn, id)?;
    changelog::record(
        conn,
        Entity::Customer,
        Some(id),
        if archived {
            Action::Archive
        } else {
            Action::Unarchive
        },
        &format!(
            "{} customer {name}",
            if archived { "Archived" } else { "Restored" }
        ),
        before.as_deref(),
        after.as_deref(),
    )?;
    Ok(())
}

pub fn has_orders(conn: &Connection, id: i64) -> Result<bool> {
    Ok(conn
        .prepare_cached("SELECT 1 FROM orders WHERE customer_id = ?1 LIMIT 1")?
        .query_row([id], |_| Ok(()))
        .optional()?
        .is_some())
}

/// Deletes a customer who never ordered; one with orders is refused (archive them instead).
pub fn delete(conn: &Connection, id: i64) -> Result<()> {
    if has_orders(conn, id)? {
        return Err(StoreError::Refused(
            "this customer has orders, so they can only be archived, not deleted".into(),
        ));
    }
    let before = snapshot(conn, id)?;
    let n = conn.execute("DELETE FROM customers WHERE id = ?1", [id])?;
    if n == 0 {
        return Err(StoreError::NotFound(format!("customer {id}")));
    }
    let name: Option<String> = match &before {
        Some(b) => conn.query_row("SELECT json_extract(?1, '$.name')", [b], |r| r.get(0))?,
        None => None,
    };
    changelog::record(
        conn,
        Entity::Customer,
        Some(id),
        Action::Delete,
        &format!("Deleted customer {}", name.unwrap_or_default()),
        before.as_deref(),
        None,
    )?;
    Ok(())
}

/// A customer's own columns as JSON, for the change log (None if there is
/// no such customer).
pub fn snapshot(conn: &Connection, id: i64) -> Result<Option<String>> {
    static SQL: LazyLock<String> = LazyLock::new(|| {
        let pairs: Vec<String> = OWN.iter().map(|c| format!("'{c}', {c}")).collect();
        format!(
            "SELECT json_object({}) FROM customers WHERE id = ?1",
            pairs.join(", ")
        )
    });
    Ok(conn
        .prepare_cached(&SQL)?
        .query_row([id], |r| r.get(0))
        .optional()?)
}

/// `col = json_extract(?2, '$.col')` for each own column a restore writes back.
fn from_snapshot(columns: &[&str]) -> Vec<String> {
    columns
        .iter()
        .map(|c| format!("json_extract(?2, '$.{c}')"))
        .collect()
}

/// Writes a snapshot back over an existing customer (undo of an edit or an
/// archive); the day it was created stays.
pub(crate) fn restore(conn: &Connection, id: i64, snapshot: &str) -> Result<()> {
    static SQL: LazyLock<String> = LazyLock::new(|| {
        let columns: Vec<&str> = OWN.into_iter().filter(|c| *c != "created_at").collect();
        let sets: Vec<String> = columns
            .iter()
            .zip(from_snapshot(&columns))
            .map(|(c, v)| format!("{c} = {v}"))
            .collect();
        format!(
            "UPDATE customers SET {}, updated_at = ?3 WHERE id = ?1",
            sets.join(", ")
        )
    });
    let ship_to = super::orders::customer_ship_to(conn, id)?;
    conn.prepare_cached(&SQL)?
        .execute(params![id, snapshot, now_local()])
        .map_err(|e| unique_violation(e, "email", RESTORED_EMAIL))?;
    let moved = super::orders::customer_ship_to(conn, id)?;
    super::orders::keep_ship_to(conn, id, &ship_to, &moved)?;
    refresh_phone_digits(conn, id)
}

/// Makes a deleted customer again from its snapshot, with its old id (undo of a delete).
pub(crate) fn reinsert(conn: &Connection, id: i64, snapshot: &str) -> Result<()> {
    static SQL: LazyLock<String> = LazyLock::new(|| {
        format!(
            "INSERT INTO customers (id, {}, updated_at) SELECT ?1, {}, ?3",
            OWN.join(", "),
            from_snapshot(&OWN).join(", ")
        )
    });
    conn.prepare_cached(&SQL)?
        .execute(params![id, snapshot, now_local()])
        .map_err(|e| unique_violation(e, "email", RESTORED_EMAIL))?;
    refresh_phone_digits(conn, id)
}

/// Removes a customer without logging it (undo of a create, which logs itself).
pub(crate) fn remove_unlogged(conn: &Connection, id: i64) -> Result<()> {
    conn.execute("DELETE FROM customers WHERE id = ?1", [id])?;
    Ok(())
}

const RESTORED_EMAIL: &str = "another customer has this email now";

/// Writes a restored customer's searchable phone digits and email key again.
fn refresh_phone_digits(conn: &Connection, id: i64) -> Result<()> {
    let (phone, email): (Option<String>, Option<String>) = conn.query_row(
        "SELECT phone, email FROM customers WHERE id = ?1",
        [id],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    conn.execute(
        "UPDATE customers SET phone_digits = ?2, email_key = ?3 WHERE id = ?1",
        params![
            id,
            phone.as_deref().map(phone_digits),
            email.as_deref().map(fold)
        ],
    )
    .map_err(|e| unique_violation(e, "email", RESTORED_EMAIL))?;
    Ok(())
}

/// Keys every email that has no key yet, after the update to version 6
/// (see `store::fill_keys`). Returns how many were keyed.
pub fn fill_email_keys(conn: &Connection) -> Result<usize> {
    super::fill_keys(conn, "customers", "email", "email_key")
}

/// The digits of a phone number from each group of digits on, so that a
/// search for the number finds it from any group: "+1 (555) 010-0199" ->
/// "15550100199 5550100199 0100199 0199".
pub fn phone_digits(phone: &str) -> String {
    let groups: Vec<&str> = phone
        .split(|c: char| !c.is_ascii_digit())
        .filter(|g| !g.is_empty())
        .collect();
    (0..groups.len())
        .map(|i| groups[i..].concat())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Finds a customer by id or email, as typed on the command line.
pub fn find(conn: &Connection, key: &str) -> Result<Option<Customer>> {
    if let Ok(id) = key.trim().trim_start_matches('#').parse::<i64>() {
        return match get(conn, id) {
            Ok(c) => Ok(Some(c)),
            Err(StoreError::NotFound(_)) => Ok(None),
            Err(e) => Err(e),
        };
    }
    find_by_email(conn, key)
}

/// A customer offered by the order form's picker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomerPick {
    pub id: i64,
    pub name: String,
    pub email: Option<String>,
}

/// A short list of customers for the order form's picker (word-prefix
/// search), by name; those whose words match the search whole come first
/// (Enter takes the first). Of many matches, the first 500 by name are
/// ranked so.
pub fn pick_customers(conn: &Connection, search: &str, limit: usize) -> Result<Vec<CustomerPick>> {
    let Some(fts) = fts_query(search) else {
        return Ok(Vec::new());
    };
    let mut rows = conn
        .prepare_cached(
            "SELECT c.id, c.name, c.email, c.phone FROM customers c
             WHERE c.archived = 0 AND c.id IN (SELECT rowid FROM customers_fts WHERE customers_fts MATCH ?1)
             ORDER BY c.name COLLATE NOCASE, c.id LIMIT 500",
        )?
        .query_map(params![fts], |r| {
            let pick = CustomerPick {
                id: r.get(0)?,
                name: r.get(1)?,
                email: r.get(2)?,
            };
            let phone: Option<String> = r.get(3)?;
            let whole = crate::domain::customer::whole_words_match(
                search,
                &[
                    &pick.name,
                    pick.email.as_deref().unwrap_or(""),
                    phone.as_deref().unwrap_or(""),
                ],
            );
            Ok((!whole, pick))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    // Stable: by name within each group.
    rows.sort_by_key(|(partial, _)| *partial);
    Ok(rows.into_iter().take(limit).map(|(_, p)| p).collect())
}

/// Marks an imported row archived, as the file said (the import is one
/// entry in the change log, not one per row).
pub fn archive_imported(conn: &Connection, id: i64) -> Result<()> {
    conn.prepare_cached("UPDATE customers SET archived = 1 WHERE id = ?1")?
        .execute([id])?;
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn phone_digits_from_each_group() {
        assert_eq!(
            super::phone_digits("+1 (555) 010-0199"),
            "15550100199 5550100199 0100199 0199"
        );
        assert_eq!(super::phone_digits("none"), "");
    }
}
