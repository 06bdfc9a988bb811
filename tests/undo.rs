//! The change log and undo: every kind of change is logged, and undoing it
//! returns the shop to how it was before that change.

use crate::common::*;
use shopkeeper::domain::{
    Money, MovementReason, NewOrder, OrderLine, OrderStatus, ShopSettings, ThemePreference,
};
use shopkeeper::store::orders::Placement;
use shopkeeper::store::{self, Store, changelog, undo};

/// What the shop holds, without the time stamps of edits and the history
/// tables that only ever grow (stock movements, status history, the log).
fn state(store: &Store) -> String {
    query_rows(
        store,
        &[
            "SELECT id, name, email, phone, phone_digits, address, city, postal_code, country, notes,
                archived, order_count, total_spent, first_order_date, last_order_date FROM customers ORDER BY id",
            "SELECT id, sku, name, category, description, price, cost, stock, reorder_level, archived, tax_rate_id,
                track_stock, lead_days, cover_days
         FROM products ORDER BY id",
            "SELECT id, customer_id, status, item_count, total, note, carrier, tracking FROM orders ORDER BY id",
            "SELECT order_id, product_id, quantity, unit_price FROM order_items ORDER BY id",
            "SELECT key, value FROM settings ORDER BY key",
            "SELECT order_date, status, orders, items, revenue FROM order_daily WHERE orders > 0 ORDER BY 1, 2",
        ],
    )
}

struct Shop {
    _dir: tempfile::TempDir,
    s: Store,
    ana: i64,
    mug: i64,
    tea: i64,
    since: i64,
}

fn shop() -> Shop {
    let (dir, path) = temp_db();
    let mut s = Store::open(&path).unwrap();
    let ana = add_customer(&mut s, "Ana Lima", "ana@example.com");
    let mug = add_product(&mut s, "MUG-1", "Blue mug", "12.50", 10);
    let tea = add_product(&mut s, "TEA-2", "Green tea", "4.00", 5);
    let since = changelog::latest_id(s.conn()).unwrap();
    Shop {
        _dir: dir,
        s,
        ana,
        mug,
        tea,
        since,
    }
}

/// Sets a product's own reorder days outside the change log's view of an edit.
fn s_write_days(s: &mut Store, id: i64, lead: Option<i64>, cover: Option<i64>) {
    s.write(|tx| store::reorder::set_product_days(tx, id, lead, cover))
        .unwrap();
}

/// The ids a change may refer to.
#[derive(Clone, Copy)]
struct Ids {
    ana: i64,
    mug: i64,
    tea: i64,
}

/// Makes a change, checks it was logged, undoes it and compares.
fn undone_to_same_state(shop: &mut Shop, change: impl FnOnce(&mut Store, Ids)) {
    let before = state(&shop.s);
    let logged = changelog::latest_id(shop.s.conn()).unwrap();
    let ids = Ids {
        ana: shop.ana,
        mug: shop.mug,
        tea: shop.tea,
    };
    change(&mut shop.s, ids);
    assert!(
        changelog::latest_id(shop.s.conn()).unwrap() > logged,
        "the change was logged"
    );
    assert_ne!(state(&shop.s), before, "the change changed something");
    let since = shop.since;
    let undone = shop.s.write(|tx| undo::undo_last(tx, since)).unwrap();
    assert!(undone.is_some());
    assert_eq!(state(&shop.s), before, "undo of {undone:?}");
    let report = store::check::run(shop.s.conn()).unwrap();
    assert!(
        report.ok(),
        "{:?}",
        report.findings.iter().filter(|f| !f.ok).collect::<Vec<_>>()
    );
}

fn order(customer: i64, lines: &[(i64, i64)]) -> NewOrder {
    NewOrder {
        customer_id: customer,
        lines: lines
            .iter()
            .map(|&(product_id, quantity)| OrderLine {
                product_id,
                quantity,
                unit_price: Money(1000),
                ..Default::default()
            })
            .collect(),
        note: None,
        ..Default::default()
    }
}

#[test]
fn undo_reverses_each_kind_of_customer_and_product_change() {
    let mut shop = shop();
    undone_to_same_state(&mut shop, |s, _| {
        add_customer(s, "Bo Berg", "bo@example.com");
    });
    undone_to_same_state(&mut shop, |s, ids| {
        let c = customer("Ana Lima-Souza", "ana.souza@example.com");
        s.write(|tx| store::customers::update(tx, ids.ana, &c))
            .unwrap();
    });
    undone_to_same_state(&mut shop, |s, ids| {
        s.write(|tx| store::customers::set_archived(tx, ids.ana, true))
            .unwrap();
    });
    undone_to_same_state(&mut shop, |s, ids| {
        s.write(|tx| store::customers::delete(tx, ids.ana)).unwrap();
    });
    undone_to_same_state(&mut shop, |s, _| {
        add_product(s, "JAM-3", "Jam", "3.00", 7);
    });
    undone_to_same_state(&mut shop, |s, ids| {
        let p = product("MUG-1B", "Big blue mug", "14.00", 0);
        s.write(|tx| store::products::update(tx, ids.mug, &p))
            .unwrap();
    });
    // An edit that changes the product's tax rate too, in the same write
    // as the form makes it: undone, the rate comes back.
    let vat = shop
        .s
        .write(|tx| store::tax::add_rate(tx, "VAT", shopkeeper::domain::Rate(20_000)))
        .unwrap();
    undone_to_same_state(&mut shop, |s, ids| {
        let p = product("MUG-1", "Blue mug", "12.50", 0);
        s.write(|tx| {
            store::products::update(tx, ids.mug, &p)?;
            store::tax::set_product_rate(tx, ids.mug, Some(vat))
        })
        .unwrap();
    });
    // An edit that changes its own reorder days and whether it tracks
    // stock, in the same write as the form makes it: both come back.
    undone_to_same_state(&mut shop, |s, ids| {
        let p = product("TEA-2", "Green tea", "4.00", 0);
        s.write(|tx| {
            store::products::update(tx, ids.tea, &p)?;
            store::platform::set_untracked(tx, ids.tea)?;
            store::reorder::set_product_days(tx, ids.tea, Some(3), Some(21))
        })
        .unwrap();
    });
    s_write_days(&mut shop.s, shop.tea, Some(4), None);
    undone_to_same_state(&mut shop, |s, ids| {
        let p = product("TEA-2", "Green tea", "4.50", 0);
        s.write(|tx| {
            store::products::update(tx, ids.tea, &p)?;
            store::reorder::set_product_days(tx, ids.tea, None, Some(9))
        })
        .unwrap();
    });
    undone_to_same_state(&mut shop, |s, ids| {
        s.write(|tx| store::products::set_archived(tx, ids.tea, true))
            .unwrap();
    });
    undone_to_same_state(&mut shop, |s, ids| {
        s.write(|tx| store::products::delete(tx, ids.tea)).unwrap();
    });
    undone_to_same_state(&mut shop, |s, ids| {
        s.write(|tx| {
            store::stock::adjust(tx, ids.mug, -4, MovementReason::Damaged, Some("dropped"))
        })
        .unwrap();
    });
    undone_to_same_state(&mut shop, |s, _| {
        let settings = ShopSettings {
            shop_name: "Corner Shop".into(),
            theme: ThemePreference::Dark,
            ..ShopSettings::default()
        };
        s.write(|tx| store::settings::save(tx, &settings)).unwrap();
    });
}

#[test]
fn undo_reverses_order_changes() {
    let mut shop = shop();
    let placed = {
        let o = order(shop.ana, &[(shop.mug, 2)]);
        shop.s
            .write(|tx| store::orders::place(tx, &o, &Placement::default()))
            .unwrap()
    };
    undone_to_same_state(&mut shop, |s, _| {
        s.write(|tx| store::orders::set_status(tx, placed, OrderStatus::Paid))
            .unwrap();
    });
    // Undoing a ship takes its carrier and tracking number off again.
    shop.s
        .write(|tx| store::orders::set_status(tx, placed, OrderStatus::Paid))
        .unwrap();
    undone_to_same_state(&mut shop, |s, _| {
        s.write(|tx| store::orders::ship(tx, placed, Some("UPS"), Some("1Z999AA10123456784")))
            .unwrap();
    });
    let since = shop.since;
    shop.s.write(|tx| undo::undo_last(tx, since)).unwrap();
    undone_to_same_state(&mut shop, |s, _| {
        s.write(|tx| store::orders::set_status(tx, placed, OrderStatus::Cancelled))
            .unwrap();
    });
    undone_to_same_state(&mut shop, |s, ids| {
        let lines = order(ids.ana, &[(ids.mug, 1), (ids.tea, 3)]).lines;
        s.write(|tx| store::orders::edit_lines(tx, placed, &lines, Some("gift")))
            .unwrap();
    });
    // Undoing a placement puts the goods back as cancelling would; the
    // order stays, cancelled, in the history.
    let mug_before = store::products::get(shop.s.conn(), shop.mug).unwrap().stock;
    let spent_before = store::customers::get(shop.s.conn(), shop.ana)
        .unwrap()
        .total_spent;
    let o = order(shop.ana, &[(shop.mug, 3)]);
    let second = shop
        .s
        .write(|tx| store::orders::place(tx, &o, &Placement::default()))
        .unwrap();
    assert_eq!(
        store::products::get(shop.s.conn(), shop.mug).unwrap().stock,
        mug_before - 3
    );
    let since = shop.since;
    let undone = shop.s.write(|tx| undo::undo_last(tx, since)).unwrap();
    assert!(undone.unwrap().contains("Placed order"));
    assert_eq!(
        store::products::get(shop.s.conn(), shop.mug).unwrap().stock,
        mug_before
    );
    assert_eq!(
        store::customers::get(shop.s.conn(), shop.ana)
            .unwrap()
            .total_spent,
        spent_before
    );
    let status: String = shop
        .s
        .conn()
        .query_row("SELECT status FROM orders WHERE id = ?1", [second], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(status, "cancelled");
    assert!(store::check::run(shop.s.conn()).unwrap().ok());
}

#[test]
fn undo_goes_back_one_change_at_a_time_within_the_session_and_is_logged() {
    let mut shop = shop();
    add_customer(&mut shop.s, "Bo Berg", "bo@example.com");
    add_customer(&mut shop.s, "Cy Chen", "cy@example.com");
    let since = shop.since;
    let first = shop.s.write(|tx| undo::undo_last(tx, since)).unwrap();
    assert_eq!(first.as_deref(), Some("Added customer Cy Chen"));
    let second = shop.s.write(|tx| undo::undo_last(tx, since)).unwrap();
    assert_eq!(second.as_deref(), Some("Added customer Bo Berg"));
    // The session began after Ana and the products were added: nothing more.
    let none = shop.s.write(|tx| undo::undo_last(tx, since)).unwrap();
    assert_eq!(none, None);
    let count =
        |entity: &str, id: i64| changelog::for_entity(shop.s.conn(), entity, id, 100).unwrap();
    let bo = count("customer", 2);
    assert_eq!(bo.len(), 2, "the change and its undo: {bo:?}");
    assert_eq!(bo[0].summary, "Undid: Added customer Bo Berg");
    assert!(bo[1].undone);
    assert!(bo.iter().all(|c| c.who == "this computer"));
    // An undo that is no longer possible is refused and changes nothing.
    let bo_id = add_customer(&mut shop.s, "Bo Berg", "bo@example.com");
    let o = order(bo_id, &[(shop.mug, 1)]);
    shop.s
        .write(|tx| store::orders::place(tx, &o, &Placement::default()))
        .unwrap();
    shop.s.write(|tx| undo::undo_last(tx, since)).unwrap(); // the order
    let before = state(&shop.s);
    let err = shop.s.write(|tx| undo::undo_last(tx, since)).unwrap_err();
    assert!(err.to_string().contains("cannot be undone"), "{err}");
    assert_eq!(state(&shop.s), before);
}

#[test]
fn an_import_is_logged_once_and_undo_points_to_the_backups() {
    let mut shop = shop();
    let file = shop._dir.path().join("people.csv");
    std::fs::write(
        &file,
        "name,email\nBo Berg,bo@example.com\nCy Chen,cy@example.com\n",
    )
    .unwrap();
    shopkeeper::import::run(
        &mut shop.s,
        shopkeeper::import::ImportKind::Customers,
        &file,
        shopkeeper::import::ImportOptions::default(),
        &mut |_, _| true,
    )
    .unwrap();
    let next = changelog::next_undo(shop.s.conn(), shop.since)
        .unwrap()
        .unwrap();
    assert_eq!(next.summary, "Imported 2 customers from people.csv");
    let before = state(&shop.s);
    let since = shop.since;
    let err = shop.s.write(|tx| undo::undo_last(tx, since)).unwrap_err();
    assert!(err.to_string().contains("File > Backups"), "{err}");
    assert_eq!(state(&shop.s), before);
}
