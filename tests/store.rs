//! The store on real SQLite files: customers, products, stock, settings, checks.

use crate::common::*;
use shopkeeper::domain::{Money, MovementReason, ShopSettings, ThemePreference};
use shopkeeper::store::customers::{CustomerQuery, CustomerSort};
use shopkeeper::store::products::{ProductQuery, ProductSort};
use shopkeeper::store::{self, Direction, Store, StoreError};

#[test]
fn a_new_database_is_created_with_the_pragmas_set() {
    let (_dir, path) = temp_db();
    let store = Store::open(&path).unwrap();
    let conn = store.conn();
    let mode: String = conn
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
    let sync: i64 = conn
        .query_row("PRAGMA synchronous", [], |r| r.get(0))
        .unwrap();
    assert_eq!(sync, 2, "synchronous=FULL");
    let fk: i64 = conn
        .query_row("PRAGMA foreign_keys", [], |r| r.get(0))
        .unwrap();
    assert_eq!(fk, 1);
    let trusted: i64 = conn
        .query_row("PRAGMA trusted_schema", [], |r| r.get(0))
        .unwrap();
    assert_eq!(trusted, 0);
    let app: i32 = conn
        .query_row("PRAGMA application_id", [], |r| r.get(0))
        .unwrap();
    assert_eq!(app, store::APPLICATION_ID);
    let version: usize = conn
        .query_row("PRAGMA user_version", [], |r| r.get::<_, i64>(0))
        .unwrap() as usize;
    assert_eq!(version, store::latest_version());
    drop(store);
    // Opening again is fine and changes nothing.
    let again = Store::open(&path).unwrap();
    assert!(again.path().ends_with("shop.sqlite3"));
}

/// A bulk write (a demo, an import) trusts the ids it writes and skips
/// foreign-key enforcement (its CHECK constraints stay: a slip in a bulk
/// writer fails the write instead of keeping a row `check` would refuse);
/// afterwards, whether it kept its rows or refused the file, every other
/// write is checked as before.
#[test]
fn a_bulk_write_leaves_constraints_enforced() {
    let (_dir, path) = temp_db();
    let mut store = Store::open(&path).unwrap();
    let small = shopkeeper::demo::DemoSize {
        customers: 20,
        products: 10,
        orders: 60,
        seed: 7,
    };
    shopkeeper::demo::fill_new(&mut store, small, |_, _| true).unwrap();
    assert_checks(&store);
    // The second fill is refused (the shop is not empty): nothing is written.
    assert!(shopkeeper::demo::fill_new(&mut store, small, |_, _| true).is_err());
    let pragma = |name: &str| -> i64 {
        store
            .conn()
            .query_row(&format!("PRAGMA {name}"), [], |r| r.get(0))
            .unwrap()
    };
    assert_eq!(pragma("foreign_keys"), 1);
    assert_eq!(pragma("ignore_check_constraints"), 0);
    let refused = |store: &mut Store, sql: &'static str| {
        let r = store.write(|tx| Ok(tx.execute_batch(sql)?));
        assert!(r.is_err(), "{sql} was written");
    };
    refused(&mut store, "UPDATE orders SET total = -1 WHERE id = 1");
    refused(
        &mut store,
        "UPDATE orders SET order_date = '1969-12-31' WHERE id = 1",
    );
    refused(&mut store, "UPDATE payments SET kind = 'gift' WHERE id = 1");
    refused(
        &mut store,
        "UPDATE order_items SET order_id = 999999 WHERE id = 1",
    );
    assert_checks(&store);
}

#[test]
fn customers_are_created_edited_and_found() {
    let (_dir, path) = temp_db();
    let mut s = Store::open(&path).unwrap();
    let ana = add_customer(&mut s, "Ana Lima", "ana@example.com");
    add_customer(&mut s, "Bruno Costa", "bruno@example.com");
    add_customer(&mut s, "Élodie Martin", "");

    let c = store::customers::get(s.conn(), ana).unwrap();
    assert_eq!(c.name, "Ana Lima");
    assert_eq!(c.email.as_deref(), Some("ana@example.com"));

    // The same email in another case is refused, and nothing is written.
    let before = dump(&s);
    let dup = customer("Another Ana", "ANA@Example.com");
    let err = s
        .write(|tx| store::customers::insert(tx, &dup))
        .unwrap_err();
    match err {
        StoreError::Invalid(e) => assert!(e.get("email").is_some()),
        e => panic!("unexpected {e:?}"),
    }
    assert_eq!(before, dump(&s));
    assert!(store::customers::email_taken(s.conn(), "ANA@example.COM", None).unwrap());
    assert!(!store::customers::email_taken(s.conn(), "ana@example.com", Some(ana)).unwrap());

    // Edit keeps the id and updates the search index.
    let edited = customer("Ana Lima-Souza", "ana@example.com");
    s.write(|tx| store::customers::update(tx, ana, &edited))
        .unwrap();
    let q = CustomerQuery {
        search: "souza".into(),
        ..Default::default()
    };
    let found = store::customers::page(s.conn(), &q, 0, 10).unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].id, ana);

    // Search ignores accents and matches word prefixes of name, email and phone.
    let q = CustomerQuery {
        search: "elo".into(),
        ..Default::default()
    };
    assert_eq!(store::customers::count(s.conn(), &q).unwrap(), 1);
    let q = CustomerQuery {
        search: "bruno@exa".into(),
        ..Default::default()
    };
    assert_eq!(store::customers::count(s.conn(), &q).unwrap(), 1);
    let q = CustomerQuery {
        search: "\"; DROP TABLE customers; --".into(),
        ..Default::default()
    };
    assert_eq!(store::customers::count(s.conn(), &q).unwrap(), 0);
}

#[test]
fn customer_phone_search_works_with_or_without_punctuation() {
    let (_dir, path) = temp_db();
    let mut s = Store::open(&path).unwrap();
    let mut c = customer("Phone Person", "");
    c.phone = Some("+1 (555) 010-0199".into());
    s.write(|tx| store::customers::insert(tx, &c)).unwrap();
    for search in [
        "555",
        "5550100",
        "15550100199",
        "0100199",
        "010-0199",
        "(555) 010",
    ] {
        let q = CustomerQuery {
            search: search.into(),
            ..Default::default()
        };
        assert_eq!(
            store::customers::count(s.conn(), &q).unwrap(),
            1,
            "{search}"
        );
    }
    // Digits from the middle of a group do not match.
    let q = CustomerQuery {
        search: "5501".into(),
        ..Default::default()
    };
    assert_eq!(store::customers::count(s.conn(), &q).unwrap(), 0);
}

#[test]
fn customer_list_sorts_pages_and_hides_archived() {
    let (_dir, path) = temp_db();
    let mut s = Store::open(&path).unwrap();
    for (i, name) in ["delta", "Alpha", "charlie", "Bravo"].iter().enumerate() {
        add_customer(&mut s, name, &format!("{name}{i}@example.com"));
    }
    let q = CustomerQuery::default();
    let names: Vec<String> = store::customers::page(s.conn(), &q, 0, 10)
        .unwrap()
        .into_iter()
        .map(|c| c.name)
        .collect();
    assert_eq!(
        names,
        ["Alpha", "Bravo", "charlie", "delta"],
        "case-insensitive"
    );
    let q = CustomerQuery {
        direction: Direction::Descending,
        ..Default::default()
    };
    let page = store::customers::page(s.conn(), &q, 1, 2).unwrap();
    assert_eq!(
        page.iter().map(|c| c.name.as_str()).collect::<Vec<_>>(),
        ["charlie", "Bravo"]
    );

    let bravo = store::customers::page(s.conn(), &CustomerQuery::default(), 1, 1).unwrap()[0].id;
    s.write(|tx| store::customers::set_archived(tx, bravo, true))
        .unwrap();
    assert_eq!(
        store::customers::count(s.conn(), &CustomerQuery::default()).unwrap(),
        3
    );
    let all = CustomerQuery {
        show_archived: true,
        sort: CustomerSort::Email,
        ..Default::default()
    };
    assert_eq!(store::customers::count(s.conn(), &all).unwrap(), 4);
    assert!(
        store::customers::page(s.conn(), &all, 0, 10)
            .unwrap()
            .iter()
            .any(|c| c.archived)
    );
}

#[test]
fn a_customer_without_orders_can_be_deleted_one_with_orders_cannot() {
    let (_dir, path) = temp_db();
    let mut s = Store::open(&path).unwrap();
    let a = add_customer(&mut s, "Ana", "");
    let b = add_customer(&mut s, "Bea", "");
    s.write(|tx| store::customers::delete(tx, a)).unwrap();
    assert!(matches!(
        store::customers::get(s.conn(), a),
        Err(StoreError::NotFound(_))
    ));
    // Give Bea an order (written directly: the orders API comes with orders).
    s.conn()
        .execute(
            "INSERT INTO orders (customer_id, order_date, order_time, status, created_at, updated_at)
             VALUES (?1, '2026-01-02', '10:00:00', 'pending', 'x', 'x')",
            [b],
        )
        .unwrap();
    let before = dump(&s);
    let err = s.write(|tx| store::customers::delete(tx, b)).unwrap_err();
    assert!(matches!(err, StoreError::Refused(_)), "{err:?}");
    assert!(err.to_string().contains("archived"));
    assert_eq!(before, dump(&s));
}

#[test]
fn products_keep_unique_skus_and_opening_stock_is_a_movement() {
    let (_dir, path) = temp_db();
    let mut s = Store::open(&path).unwrap();
    let mug = add_product(&mut s, "MUG-1", "Blue mug", "12.50", 10);
    let p = store::products::get(s.conn(), mug).unwrap();
    assert_eq!(p.price, Money(1250));
    assert_eq!(p.stock, 10);
    let moves = store::stock::movements_page(s.conn(), mug, 0, 10).unwrap();
    assert_eq!(moves.len(), 1);
    assert_eq!(moves[0].reason, MovementReason::Opening);
    assert_eq!(moves[0].stock_after, 10);

    let before = dump(&s);
    let dup = product("mug-1", "Other", "1", 0);
    let err = s.write(|tx| store::products::insert(tx, &dup)).unwrap_err();
    assert!(
        matches!(&err, StoreError::Invalid(e) if e.get("sku").is_some()),
        "{err:?}"
    );
    assert_eq!(before, dump(&s));

    // Editing never changes stock.
    let mut edited = product("MUG-1", "Big blue mug", "14", 999);
    edited.reorder_level = 4;
    s.write(|tx| store::products::update(tx, mug, &edited))
        .unwrap();
    let p = store::products::get(s.conn(), mug).unwrap();
    assert_eq!(
        (p.name.as_str(), p.price, p.stock, p.reorder_level),
        ("Big blue mug", Money(1400), 10, 4)
    );
}

#[test]
fn stock_adjustments_write_movements_and_never_go_below_zero() {
    let (_dir, path) = temp_db();
    let mut s = Store::open(&path).unwrap();
    let id = add_product(&mut s, "TEA-1", "Green tea", "4.99", 5);
    let after = s
        .write(|tx| {
            store::stock::adjust(
                tx,
                id,
                12,
                MovementReason::Received,
                Some("supplier delivery"),
            )
        })
        .unwrap();
    assert_eq!(after, 17);
    let after = s
        .write(|tx| store::stock::adjust(tx, id, -2, MovementReason::Damaged, None))
        .unwrap();
    assert_eq!(after, 15);

    let before = dump(&s);
    let err = s
        .write(|tx| store::stock::adjust(tx, id, -16, MovementReason::Correction, None))
        .unwrap_err();
    assert!(err.to_string().contains("only 15"), "{err}");
    assert_eq!(before, dump(&s));
    let err = s
        .write(|tx| store::stock::adjust(tx, id, 0, MovementReason::Correction, None))
        .unwrap_err();
    assert!(matches!(err, StoreError::Refused(_)));
    // A reason against the change's direction: units out "received", in "damaged".
    for (change, reason) in [(-2, MovementReason::Received), (2, MovementReason::Damaged)] {
        let err = s
            .write(|tx| store::stock::adjust(tx, id, change, reason, None))
            .unwrap_err();
        assert!(matches!(err, StoreError::Refused(_)), "{err}");
    }
    let err = s
        .write(|tx| store::stock::adjust(tx, id, 3, MovementReason::Sale, None))
        .unwrap_err();
    assert!(
        matches!(err, StoreError::Refused(_)),
        "a sale is not a manual reason"
    );
    assert_eq!(before, dump(&s));

    let moves = store::stock::movements_page(s.conn(), id, 0, 10).unwrap();
    let summary: Vec<(i64, MovementReason, i64)> = moves
        .iter()
        .map(|m| (m.change, m.reason, m.stock_after))
        .collect();
    assert_eq!(
        summary,
        [
            (-2, MovementReason::Damaged, 15),
            (12, MovementReason::Received, 17),
            (5, MovementReason::Opening, 5)
        ],
        "newest first, with the stock after each"
    );
    assert_eq!(moves[1].note.as_deref(), Some("supplier delivery"));
    assert!(store::check::run(s.conn()).unwrap().ok());
}

#[test]
fn product_list_filters_low_stock_and_sorts() {
    let (_dir, path) = temp_db();
    let mut s = Store::open(&path).unwrap();
    add_product(&mut s, "B-1", "Banana bowl", "9", 1); // reorder level 2: low
    add_product(&mut s, "A-1", "Apple jar", "3", 50);
    add_product(&mut s, "C-1", "Cherry cup", "5", 2); // at the level: low
    let low = ProductQuery {
        low_only: true,
        ..Default::default()
    };
    let skus: Vec<String> = store::products::page(s.conn(), &low, 0, 10)
        .unwrap()
        .into_iter()
        .map(|p| p.sku)
        .collect();
    assert_eq!(skus, ["B-1", "C-1"]);
    let by_price = ProductQuery {
        sort: ProductSort::Price,
        direction: Direction::Descending,
        ..Default::default()
    };
    let skus: Vec<String> = store::products::page(s.conn(), &by_price, 0, 10)
        .unwrap()
        .into_iter()
        .map(|p| p.sku)
        .collect();
    assert_eq!(skus, ["B-1", "C-1", "A-1"]);
    let search = ProductQuery {
        search: "cher".into(),
        ..Default::default()
    };
    assert_eq!(store::products::count(s.conn(), &search).unwrap(), 1);
    let search = ProductQuery {
        search: "a-1".into(),
        ..Default::default()
    };
    assert_eq!(
        store::products::count(s.conn(), &search).unwrap(),
        1,
        "SKU search"
    );
}

#[test]
fn settings_round_trip() {
    use shopkeeper::domain::format::{
        DateStyle, DecimalMark, Grouping, NumberStyle, SymbolPlace, WeekStart,
    };
    let (_dir, path) = temp_db();
    let mut s = Store::open(&path).unwrap();
    assert_eq!(
        store::settings::load(s.conn()).unwrap(),
        ShopSettings::default()
    );
    let new = ShopSettings {
        shop_name: "Corner Crafts".into(),
        currency: shopkeeper::domain::Currency {
            symbol: "€".into(),
            decimals: 2,
            style: NumberStyle {
                decimal: DecimalMark::Comma,
                grouping: Grouping::Space,
                symbol: SymbolPlace::AfterSpace,
            },
        },
        default_reorder_level: 8,
        theme: ThemePreference::Dark,
        country: "FR".into(),
        date_style: DateStyle::DayMonthYear,
        week_start: WeekStart::Sunday,
    };
    s.write(|tx| store::settings::save(tx, &new)).unwrap();
    drop(s);
    let s = Store::open(&path).unwrap();
    assert_eq!(store::settings::load(s.conn()).unwrap(), new);
    assert!(!store::settings::amounts_exist(s.conn()).unwrap());
}

#[test]
fn demo_data_is_consistent() {
    let (_dir, path) = temp_db();
    let mut s = Store::open(&path).unwrap();
    let size = shopkeeper::demo::DemoSize {
        customers: 300,
        products: 50,
        orders: 0,
        seed: 1,
    };
    shopkeeper::demo::fill(&mut s, size, |_, _| true).unwrap();
    let counts = store::settings::counts(s.conn()).unwrap();
    assert_eq!((counts.customers, counts.products), (300, 50));
    let report = store::check::run(s.conn()).unwrap();
    assert!(report.ok(), "{report:?}");
    // A second run adds more without clashing emails or SKUs.
    shopkeeper::demo::fill(&mut s, size, |_, _| true).unwrap();
    assert_eq!(store::settings::counts(s.conn()).unwrap().customers, 600);
    // A cancelled run leaves nothing behind.
    let before = dump(&s);
    assert!(shopkeeper::demo::fill(&mut s, size, |_, _| false).is_err());
    assert_eq!(before, dump(&s));
}

fn journal_mode(s: &Store) -> String {
    s.conn()
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap()
}

/// A new demo shop is written straight into the file (out of WAL mode, the
/// file being its connection's alone) and ends back in WAL mode, whole; with
/// another connection open, or cancelled, it is an ordinary write.
#[test]
fn a_new_demo_shop_leaves_the_file_in_wal_mode() {
    let size = shopkeeper::demo::DemoSize {
        customers: 200,
        products: 30,
        orders: 400,
        seed: 3,
    };
    let (_dir, path) = temp_db();
    let mut s = Store::open(&path).unwrap();
    shopkeeper::demo::fill_new(&mut s, size, |_, _| true).unwrap();
    assert_eq!(journal_mode(&s), "wal");
    assert!(!path.with_extension("sqlite3-journal").exists());
    assert_eq!(store::settings::counts(s.conn()).unwrap().orders, 400);
    assert_checks(&s);
    drop(s);

    // Another connection open (a window's reader): it stays in WAL mode,
    // the reader sees the same shop.
    let (_dir2, path2) = temp_db();
    let mut writer = Store::open(&path2).unwrap();
    let reader = Store::open(&path2).unwrap();
    shopkeeper::demo::fill_new(&mut writer, size, |_, _| true).unwrap();
    assert_eq!(journal_mode(&writer), "wal");
    assert_eq!(store::settings::counts(reader.conn()).unwrap().orders, 400);
    assert_checks(&reader);

    // Cancelled: nothing kept, back in WAL mode.
    let (_dir3, path3) = temp_db();
    let mut s = Store::open(&path3).unwrap();
    let before = dump(&s);
    assert!(shopkeeper::demo::fill_new(&mut s, size, |_, _| false).is_err());
    assert_eq!(journal_mode(&s), "wal");
    assert_eq!(before, dump(&s));
}

/// While another program writes a large change out of WAL mode (a demo or
/// an import from the command line, alone with the file), opening the shop
/// says it is busy, and changes nothing; once it has finished, it opens.
#[test]
fn a_shop_being_written_out_of_wal_mode_opens_as_busy() {
    let (_dir, path) = temp_db();
    add_customer(
        &mut Store::open(&path).unwrap(),
        "Ana Lima",
        "ana@example.com",
    );
    let writer = rusqlite::Connection::open(&path).unwrap();
    writer
        .query_row("PRAGMA journal_mode = DELETE", [], |_| Ok(()))
        .unwrap();
    // A write that has spilled to the file holds it whole.
    writer
        .execute_batch(
            "PRAGMA cache_size = 1; BEGIN;
             CREATE TABLE filler (x BLOB);
             WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 400)
             INSERT INTO filler SELECT randomblob(4000) FROM n;",
        )
        .unwrap();
    let Err(err) = Store::open(&path) else {
        panic!("opened while another program writes");
    };
    assert!(matches!(err, store::OpenError::Busy { .. }), "{err}");
    assert!(err.to_string().contains("is busy"), "{err}");
    writer.execute_batch("ROLLBACK").unwrap();
    drop(writer);
    let s = Store::open(&path).unwrap();
    assert_eq!(journal_mode(&s), "wal");
    assert_eq!(store::settings::counts(s.conn()).unwrap().customers, 1);
}

#[test]
fn check_finds_stock_that_does_not_match_its_movements() {
    let (_dir, path) = temp_db();
    let mut s = Store::open(&path).unwrap();
    let id = add_product(&mut s, "X-1", "Thing", "1", 4);
    assert!(store::check::run(s.conn()).unwrap().ok());
    // Tamper behind the store's back.
    s.conn()
        .execute("UPDATE products SET stock = 9 WHERE id = ?1", [id])
        .unwrap();
    let report = store::check::run(s.conn()).unwrap();
    assert!(!report.ok());
    let bad: Vec<&str> = report
        .findings
        .iter()
        .filter(|f| !f.ok)
        .map(|f| f.name)
        .collect();
    assert!(
        bad.contains(&"stock equals the sum of its movements"),
        "{bad:?}"
    );
}

#[test]
fn the_bulk_writer_refunds_some_units_back_into_stock_or_written_off() {
    use shopkeeper::domain::{OrderStatus, Story, Terms};
    use shopkeeper::store::bulk::{BulkOrder, BulkRefund, BulkWriter};
    let (_dir, path) = temp_db();
    let mut s = Store::open(&path).unwrap();
    let c = add_customer(&mut s, "Ana", "ana@example.com");
    let mug = add_product(&mut s, "MUG-1", "Mug", "10", 10);
    let tea = add_product(&mut s, "TEA-1", "Tea", "4", 10);
    let lines = [line(mug, 3, 1000), line(tea, 2, 400)];
    let terms = Terms {
        shipping: Money(500),
        ..Terms::default()
    };
    let order = |status, refund| BulkOrder {
        customer_id: c,
        date: "2024-03-01",
        time: "10:00:00",
        status,
        lines: &lines,
        note: None,
        external_ref: None,
        number: None,
        track_stock: true,
        updated_at: "2024-03-04 10:00:00",
        terms: &terms,
        discount_code: None,
        ship_to: None,
        paid: None,
        method: Some("Card"),
        refund,
    };
    let write = |s: &mut Store, o: BulkOrder| {
        s.write(|tx| {
            let mut w = BulkWriter::new(tx, false)?;
            let (id, back) = w.place(&o, Story::Whole)?;
            for m in back {
                w.movement(m, Some(id), None, "2024-03-10 12:00:00")?;
            }
            w.finish()
        })
    };
    // Two mugs back on the shelf, one tea written off, ten days later.
    let units = [(0, 2, true), (1, 1, false)];
    let refund = BulkRefund {
        units: &units,
        at: "2024-03-10 12:00:00",
        amount: None,
    };
    write(&mut s, order(OrderStatus::Delivered, Some(refund))).unwrap();
    assert_checks(&s);
    let money: (String, i64, i64, i64) = s
        .conn()
        .query_row(
            "SELECT status, paid, refunded, balance FROM orders",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .unwrap();
    assert_eq!(money, ("delivered".into(), 4300, 2400, 0));
    let refund_row: (String, String, i64) = s
        .conn()
        .query_row(
            "SELECT paid_on, method, revenue FROM payments WHERE kind = 'refund'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    assert_eq!(refund_row, ("2024-03-10".into(), "Card".into(), 2400));
    let stock = |s: &Store, id: i64| store::products::get(s.conn(), id).unwrap().stock;
    assert_eq!((stock(&s, mug), stock(&s, tea)), (9, 8));

    // Refused, writing nothing: a refund of an order that is no sale, a
    // line twice, a line it does not have, more units than the line has,
    // more money than was paid.
    let before = dump(&s);
    type Units<'a> = &'a [(usize, i64, bool)];
    let cases: [(OrderStatus, Units, Option<Money>); 5] = [
        (OrderStatus::Cancelled, &[(0, 1, true)], None),
        (OrderStatus::Delivered, &[(0, 1, true), (0, 1, false)], None),
        (OrderStatus::Delivered, &[(5, 1, true)], None),
        (OrderStatus::Delivered, &[(0, 4, true)], None),
        (OrderStatus::Delivered, &[(0, 1, true)], Some(Money(4301))),
    ];
    for (status, units, amount) in cases {
        let refund = BulkRefund {
            units,
            at: "2024-03-10 12:00:00",
            amount,
        };
        let err = write(&mut s, order(status, Some(refund))).unwrap_err();
        assert!(matches!(err, StoreError::Refused(_)), "{err}");
        assert_eq!(dump(&s), before);
    }
}

/// A command that reads much of the file once (`export`) has SQLite map the
/// file instead of copying its pages into the cache.
#[test]
fn a_store_read_mapped_maps_the_file() {
    let (_dir, path) = temp_db();
    let store = Store::open(&path).unwrap();
    let before: i64 = store
        .conn()
        .query_row("PRAGMA mmap_size", [], |r| r.get(0))
        .unwrap();
    store.read_mapped();
    let after: i64 = store
        .conn()
        .query_row("PRAGMA mmap_size", [], |r| r.get(0))
        .unwrap();
    assert_eq!(before, 0);
    assert!(after > 1_000_000_000, "mmap_size {after}");
}

/// A search that finds most customers pages by walking the sort's index
/// (small pages), one that finds few reads and sorts them (a page of 100):
/// both give the same customers in the same order, for every sort and
/// direction, archived ones left out unless asked for.
#[test]
fn a_search_pages_alike_by_walking_an_index_or_sorting() {
    let (_dir, path) = temp_db();
    let mut s = Store::open(&path).unwrap();
    let mut ids = Vec::new();
    for (i, name) in [
        "Ana Lima",
        "Ana Souza",
        "Bea Ana",
        "ana Lima",
        "Ana Cruz",
        "Caio Reis",
    ]
    .into_iter()
    .enumerate()
    {
        let mut c = customer(name, &format!("c{i}@example.com"));
        c.city = Some(["Porto", "Braga", "Lisboa"][i % 3].into());
        ids.push(s.write(|tx| store::customers::insert(tx, &c)).unwrap());
    }
    s.write(|tx| store::customers::set_archived(tx, ids[4], true))
        .unwrap();
    let sorts = [
        CustomerSort::Name,
        CustomerSort::Email,
        CustomerSort::Phone,
        CustomerSort::City,
        CustomerSort::Country,
        CustomerSort::Orders,
        CustomerSort::Spent,
    ];
    for sort in sorts {
        for direction in [Direction::Ascending, Direction::Descending] {
            for show_archived in [false, true] {
                let q = CustomerQuery {
                    search: "ana".into(),
                    show_archived,
                    sort,
                    direction,
                };
                let all: Vec<i64> = store::customers::page(s.conn(), &q, 0, 100)
                    .unwrap()
                    .iter()
                    .map(|c| c.id)
                    .collect();
                assert_eq!(all.len(), if show_archived { 5 } else { 4 });
                assert_eq!(store::customers::count(s.conn(), &q).unwrap(), all.len());
                for offset in 0..all.len() {
                    let page: Vec<i64> = store::customers::page(s.conn(), &q, offset, 1)
                        .unwrap()
                        .iter()
                        .map(|c| c.id)
                        .collect();
                    assert_eq!(
                        page,
                        all[offset..=offset],
                        "{sort:?} {direction:?} {offset}"
                    );
                }
            }
        }
    }
}

/// The order form's customer picker puts those whose words match the search
/// whole before those a word merely starts with: Enter takes the first, and
/// a tryout's "schulz835" took Hannah Schulz (hannah.schulz83584@...) over
/// Lea Schulz (lea.schulz835@...).
#[test]
fn the_customer_picker_puts_whole_word_matches_first() {
    let (_dir, path) = temp_db();
    let mut s = Store::open(&path).unwrap();
    add_customer(&mut s, "Hannah Schulz", "hannah.schulz83584@gmx.de");
    let lea = add_customer(&mut s, "Lea Schulz", "lea.schulz835@gmx.de");
    let picks = store::customers::pick_customers(s.conn(), "schulz835", 8).unwrap();
    let names: Vec<&str> = picks.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["Lea Schulz", "Hannah Schulz"]);
    assert_eq!(picks[0].id, lea);
    // Otherwise by name, as before.
    let picks = store::customers::pick_customers(s.conn(), "schulz", 8).unwrap();
    let names: Vec<&str> = picks.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["Hannah Schulz", "Lea Schulz"]);
}

/// `shopkeeper check` hands on each finding as it is made (the command line
/// prints it then), the same findings in the same order as its report.
#[test]
fn the_check_hands_on_each_finding_as_it_is_made() {
    let (_dir, path) = temp_db();
    let mut s = Store::open(&path).unwrap();
    let ana = add_customer(&mut s, "Ana Lima", "ana@example.com");
    let mug = add_product(&mut s, "MUG-1", "Blue mug", "12.50", 5);
    s.write(|tx| {
        store::orders::place(
            tx,
            &order(ana, vec![line(mug, 2, 1250)]),
            &Default::default(),
        )
    })
    .unwrap();
    let mut seen = Vec::new();
    let report = store::check::run_showing(s.conn(), |f, _| seen.push(f.clone())).unwrap();
    assert!(report.ok());
    assert!(seen.len() > 10);
    assert_eq!(seen, report.findings);
}
