//! Products that do not track stock (products.track_stock: a gift card, a
//! download, a service): the product form and detail show and set it, our
//! own CSV import and the demo move no stock for them (as the window's
//! order paths do not), `shopkeeper check` agrees, and the products CSV
//! carries the flag and the product's own reorder days.

use std::path::{Path, PathBuf};

use crate::common::*;
use shopkeeper::demo::{self, DemoSize};
use shopkeeper::domain::{ReportKind, ReportSpec};
use shopkeeper::import::{self, ImportKind, ImportOptions};
use shopkeeper::store::{self, Store};

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

fn one<T: rusqlite::types::FromSql>(store: &Store, sql: &str) -> T {
    store.conn().query_row(sql, [], |r| r.get(0)).unwrap()
}

/// Ana, a mug with 10 in stock and a gift card (no stock) that does not track it.
fn shop(dir: &Path) -> (Store, i64, i64) {
    let mut s = Store::open(dir.join("shop.sqlite3")).unwrap();
    add_customer(&mut s, "Ana Lima", "ana@example.com");
    let mug = add_product(&mut s, "MUG-1", "Blue mug", "12.50", 10);
    let gift = add_product(&mut s, "GIFT-50", "Gift card", "50.00", 0);
    s.write(|tx| store::products::set_track_stock(tx, gift, false))
        .unwrap();
    (s, mug, gift)
}

fn moves(s: &Store, product: i64) -> i64 {
    one(
        s,
        &format!("SELECT count(*) FROM stock_movements WHERE product_id = {product}"),
    )
}

/// Our orders CSV sells a gift card with no stock (it is not refused for
/// stock) and moves none of it, both when the file is in date order (the
/// early writing) and when it is not (the careful path).
#[test]
fn our_orders_import_moves_no_stock_for_a_product_that_does_not_track_it() {
    for (name, text) in [
        (
            "in-order.csv",
            "order_ref,order_date,customer_email,status,sku,quantity,unit_price\n\
             W-1,2024-03-05 10:00,ana@example.com,delivered,GIFT-50,3,\n\
             W-1,2024-03-05 10:00,ana@example.com,delivered,MUG-1,2,\n\
             W-2,2024-03-06 10:00,ana@example.com,returned,GIFT-50,1,\n",
        ),
        (
            "out-of-order.csv",
            "order_ref,order_date,customer_email,status,sku,quantity,unit_price\n\
             W-2,2024-03-06 10:00,ana@example.com,returned,GIFT-50,1,\n\
             W-1,2024-03-05 10:00,ana@example.com,delivered,GIFT-50,3,\n\
             W-1,2024-03-05 10:00,ana@example.com,delivered,MUG-1,2,\n",
        ),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let (mut s, mug, gift) = shop(dir.path());
        let file = write(dir.path(), name, text);
        import::run(
            &mut s,
            ImportKind::Orders,
            &file,
            ImportOptions::default(),
            &mut |_, _| true,
        )
        .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(moves(&s, gift), 0, "{name}");
        let stock: (i64, i64) = s
            .conn()
            .query_row(
                "SELECT (SELECT stock FROM products WHERE id = ?1), (SELECT stock FROM products WHERE id = ?2)",
                [mug, gift],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        assert_eq!(stock, (8, 0), "{name}");
        assert_checks(&s);
    }
}

/// Demo orders added to a shop sell its gift card without a supplier
/// delivery or a sale's movement.
#[test]
fn demo_orders_move_no_stock_for_a_product_that_does_not_track_it() {
    let dir = tempfile::tempdir().unwrap();
    let (mut s, mug, gift) = shop(dir.path());
    let size = DemoSize {
        customers: 3,
        products: 0,
        orders: 300,
        seed: 7,
    };
    demo::fill(&mut s, size, |_, _| true).unwrap();
    let sold: i64 = one(
        &s,
        &format!("SELECT coalesce(sum(quantity), 0) FROM order_items WHERE product_id = {gift}"),
    );
    assert!(sold > 0, "the demo sold the gift card");
    assert_eq!(moves(&s, gift), 0);
    assert!(moves(&s, mug) > 1);
    assert_eq!(
        one::<i64>(&s, &format!("SELECT stock FROM products WHERE id = {gift}")),
        0
    );
    assert_checks(&s);
}

/// Whether a product tracks stock is set freely until it is ordered; then
/// it stays (its orders moved stock, or did not, by it), with a sentence.
#[test]
fn an_ordered_product_keeps_whether_it_tracks_stock() {
    use shopkeeper::store::orders::{self, Placement};
    let dir = tempfile::tempdir().unwrap();
    let (mut s, mug, gift) = shop(dir.path());
    s.write(|tx| store::products::set_track_stock(tx, gift, true))
        .unwrap();
    s.write(|tx| store::products::set_track_stock(tx, gift, false))
        .unwrap();
    let ana: i64 = one(&s, "SELECT id FROM customers");
    s.write(|tx| {
        orders::place(
            tx,
            &order(ana, vec![line(mug, 1, 1250)]),
            &Placement::default(),
        )
    })
    .unwrap();
    let err = s
        .write(|tx| store::products::set_track_stock(tx, mug, false))
        .unwrap_err();
    assert!(err.to_string().contains("was ordered"), "{err}");
    assert!(store::products::get(s.conn(), mug).unwrap().track_stock);
    // Setting it as it is is no change.
    s.write(|tx| store::products::set_track_stock(tx, mug, true))
        .unwrap();
    // A product with stock keeps tracking it until its stock is 0.
    let jar = add_product(&mut s, "JAR-1", "Jar", "3.00", 4);
    let err = s
        .write(|tx| store::products::set_track_stock(tx, jar, false))
        .unwrap_err();
    assert!(err.to_string().contains("has 4 in stock"), "{err}");
    assert!(store::products::get(s.conn(), jar).unwrap().track_stock);
    assert_checks(&s);
}

/// The products CSV carries `track_stock`, `lead_days` and `cover_days`:
/// written on export, read back on import (empty: tracks stock, the shop's
/// days), so a shop's catalogue round-trips; a bad value names its line.
#[test]
fn the_products_csv_carries_tracking_and_reorder_days() {
    let dir = tempfile::tempdir().unwrap();
    let (mut s, mug, _gift) = shop(dir.path());
    s.write(|tx| store::reorder::set_product_days(tx, mug, Some(3), None))
        .unwrap();
    // Its tax rate goes with it too ("Reduced 5.5%"); the gift card has none.
    s.write(|tx| {
        let reduced = store::tax::add_rate(tx, "Reduced", shopkeeper::domain::Rate(5_500))?;
        store::tax::set_product_rate(tx, mug, Some(reduced))
    })
    .unwrap();
    let out = dir.path().join("products.csv");
    shopkeeper::jobs::export_report(
        s.conn(),
        &ReportSpec::new(ReportKind::Products),
        &out,
        shopkeeper::export::Format::Csv,
        &shopkeeper::jobs::Progress::default(),
    )
    .unwrap();
    let text = std::fs::read_to_string(&out).unwrap();
    let mut lines = text.lines();
    assert_eq!(
        lines.next().unwrap(),
        "sku,name,category,price,cost,stock,reorder_level,description,archived,track_stock,lead_days,cover_days,tax_rate"
    );
    let rows: Vec<&str> = lines.collect();
    assert!(
        rows.contains(&"MUG-1,Blue mug,,12.50,0.00,10,2,,,yes,3,,Reduced 5.5%"),
        "{text}"
    );
    assert!(
        rows.contains(&"GIFT-50,Gift card,,50.00,0.00,0,2,,,no,,,"),
        "{text}"
    );

    // Into a new shop: the same catalogue.
    let other = tempfile::tempdir().unwrap();
    let mut t = Store::open(other.path().join("new.sqlite3")).unwrap();
    import::run(
        &mut t,
        ImportKind::Products,
        &out,
        ImportOptions::default(),
        &mut |_, _| true,
    )
    .unwrap();
    let catalogue =
        "SELECT p.sku, p.stock, p.track_stock, p.lead_days, p.cover_days, t.name, t.rate
         FROM products p LEFT JOIN tax_rates t ON t.id = p.tax_rate_id ORDER BY p.sku";
    assert_eq!(query_rows(&s, &[catalogue]), query_rows(&t, &[catalogue]));

    // Without the columns: tracks stock, the shop's days.
    let plain = write(
        other.path(),
        "plain.csv",
        "sku,name,price,track_stock,lead_days,cover_days\nTEA-1,Tea,4,,,\nDL-1,Download,9,No,0,30\n",
    );
    import::run(
        &mut t,
        ImportKind::Products,
        &plain,
        ImportOptions::default(),
        &mut |_, _| true,
    )
    .unwrap();
    let row = |sku: &str| -> (bool, Option<i64>, Option<i64>) {
        t.conn()
            .query_row(
                "SELECT track_stock, lead_days, cover_days FROM products WHERE sku = ?1",
                [sku],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .unwrap()
    };
    assert_eq!(row("TEA-1"), (true, None, None));
    assert_eq!(row("DL-1"), (false, Some(0), Some(30)));

    // Bad values are refused with their line and column; nothing is written.
    let bad = write(
        other.path(),
        "bad.csv",
        "sku,name,price,track_stock,lead_days,cover_days,stock\nA-1,A,1,maybe,,,\nB-1,B,1,,-1,,\nC-1,C,1,,,9999,\nD-1,D,1,no,,,2\n",
    );
    let err = import::run(
        &mut t,
        ImportKind::Products,
        &bad,
        ImportOptions::default(),
        &mut |_, _| true,
    )
    .unwrap_err();
    let import::ImportError::Rows { problems, .. } = err else {
        panic!("expected row problems, got: {err}");
    };
    let named: Vec<(u64, &str)> = problems
        .iter()
        .map(|p| (p.line, p.column.as_str()))
        .collect();
    assert_eq!(
        named,
        vec![
            (2, "track_stock"),
            (3, "lead_days"),
            (4, "cover_days"),
            (5, "stock")
        ],
        "{problems:?}"
    );
    assert_eq!(
        one::<i64>(
            &t,
            "SELECT count(*) FROM products WHERE sku IN ('A-1', 'B-1', 'C-1', 'D-1')"
        ),
        0
    );
}

/// The product form's "Tracks stock": untick it for a new gift card and it
/// is saved so; its detail says its stock is not tracked and offers no
/// stock adjustment.
#[test]
fn the_product_form_sets_whether_a_product_tracks_stock() {
    use crate::common::ui::{button, open_window, ready_store, shows, text_input};
    use egui_kittest::kittest::Queryable;
    let (_dir, s) = ready_store();
    let mut h = open_window(s);
    h.run();
    h.key_press_modifiers(egui::Modifiers::CTRL, egui::Key::Num2);
    h.run();
    h.get_by_label("New product").click();
    h.run();
    for (label, text) in [
        ("SKU", "GIFT-25"),
        ("Name", "Gift card"),
        ("Price ($)", "25"),
    ] {
        text_input(&h, label).focus();
        text_input(&h, label).type_text(text);
        h.run();
    }
    h.get_by_label("Tracks stock").click();
    h.run();
    assert!(shows(&h, "not tracked"));
    button(&h, "Save").click();
    h.run();
    let gift = store::products::find_by_sku(h.state().store().conn(), "GIFT-25")
        .unwrap()
        .expect("saved");
    assert!(!gift.track_stock);
    h.run_steps(3);
    assert!(shows(&h, "Not tracked (its orders move no stock)"));
    assert!(h.query_by_label("Adjust stock…").is_none());
}

/// A gift card that sold and has no stock is not for reordering: the
/// reorder list and the low-stock report leave a product that does not
/// track stock out (the mug beside it is listed).
#[test]
fn the_reorder_list_and_low_stock_leave_out_a_product_that_does_not_track_stock() {
    use shopkeeper::store::orders::{self, Placement};
    let dir = tempfile::tempdir().unwrap();
    let (mut s, mug, gift) = shop(dir.path());
    let ana: i64 = one(&s, "SELECT id FROM customers");
    let sale = order(ana, vec![line(mug, 9, 1250), line(gift, 4, 5000)]);
    s.write(|tx| orders::place(tx, &sale, &Placement::default()))
        .unwrap();
    let today: String = one(&s, "SELECT order_date FROM orders");
    let skus = |spec: &ReportSpec| -> Vec<String> {
        let (table, _) = store::reports::run(s.conn(), spec, usize::MAX).unwrap();
        table
            .rows
            .iter()
            .map(|r| r[0].plain(&Default::default()))
            .collect()
    };
    let mut reorder = ReportSpec::new(ReportKind::Reorder);
    reorder.from = Some(today.clone());
    reorder.to = Some(today);
    assert_eq!(skus(&reorder), vec!["MUG-1".to_owned()]);
    let mut low = ReportSpec::new(ReportKind::StockLevels);
    low.low_only = true;
    assert_eq!(skus(&low), vec!["MUG-1".to_owned()]);
}

/// The window's new order takes a gift card that does not track stock (it
/// has none) in any quantity: offered as "stock not tracked", placed, and
/// no stock moves.
#[test]
fn a_new_order_in_the_window_takes_a_product_that_does_not_track_stock() {
    use crate::common::ui::{button, open_window, ready_store, text_input};
    use egui_kittest::kittest::Queryable;
    let (_dir, mut s) = ready_store();
    add_customer(&mut s, "Ana Lima", "ana@example.com");
    let gift = add_product(&mut s, "GIFT-50", "Gift card", "50.00", 0);
    s.write(|tx| store::products::set_track_stock(tx, gift, false))
        .unwrap();
    let mut h = open_window(s);
    h.run();
    h.key_press_modifiers(egui::Modifiers::CTRL, egui::Key::Num3);
    h.run();
    h.get_by_label("New order").click();
    h.run();
    let type_into = |h: &mut crate::common::ui::Window, label: &str, text: &str| {
        text_input(h, label).focus();
        text_input(h, label).type_text(text);
        h.run();
    };
    type_into(&mut h, "Customer", "ana");
    h.get_by_label("Ana Lima  ·  ana@example.com").click();
    h.run();
    type_into(&mut h, "Add product", "gift");
    h.get_by_label("GIFT-50  Gift card  ·  $50.00  ·  stock not tracked")
        .click();
    h.run();
    text_input(&h, "GIFT-50 Gift card").focus();
    h.key_press(egui::Key::Backspace);
    text_input(&h, "GIFT-50 Gift card").type_text("3");
    h.run();
    button(&h, "Place order").click();
    h.run();
    let s = h.state().store();
    assert_eq!(
        one::<i64>(s, "SELECT coalesce(sum(quantity), 0) FROM order_items"),
        3,
        "{:?}",
        crate::common::ui::texts(&h)
    );
    assert_eq!(moves(s, gift), 0);
    assert_checks(s);
}

/// A catalogue naming two rates of one name ("VAT 20%", "VAT 5.5%") adds
/// them under names apart ("VAT", "VAT 5.5%"): the settings refuse two
/// rates of one name, so the shop could not save its settings until one
/// was renamed. The export names each as the file did, and a new shop
/// reads it back the same.
#[test]
fn a_catalogue_naming_two_rates_alike_adds_them_under_names_apart() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = Store::open(dir.path().join("shop.sqlite3")).unwrap();
    let file = write(
        dir.path(),
        "products.csv",
        "sku,name,price,tax_rate\nMUG-1,Mug,12,VAT 20%\nBOOK-1,Book,8.50,VAT 5.5%\nTEA-1,Tea,4,vat 5.5%\n",
    );
    import::run(
        &mut s,
        ImportKind::Products,
        &file,
        ImportOptions::default(),
        &mut |_, _| true,
    )
    .unwrap();
    let rates: Vec<(String, i64)> = s
        .conn()
        .prepare("SELECT name, rate FROM tax_rates ORDER BY id")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(
        rates,
        [("VAT".to_owned(), 20_000), ("VAT 5.5%".to_owned(), 5_500)]
    );
    let out = dir.path().join("out.csv");
    shopkeeper::jobs::export_report(
        s.conn(),
        &ReportSpec::new(ReportKind::Products),
        &out,
        shopkeeper::export::Format::Csv,
        &shopkeeper::jobs::Progress::default(),
    )
    .unwrap();
    let text = std::fs::read_to_string(&out).unwrap();
    for (sku, rate) in [
        ("MUG-1", "VAT 20%"),
        ("BOOK-1", "VAT 5.5%"),
        ("TEA-1", "VAT 5.5%"),
    ] {
        assert!(
            text.lines()
                .any(|l| l.starts_with(&format!("{sku},")) && l.ends_with(&format!(",{rate}"))),
            "{sku} as {rate}: {text}"
        );
    }
    let mut t = Store::open(dir.path().join("new.sqlite3")).unwrap();
    import::run(
        &mut t,
        ImportKind::Products,
        &out,
        ImportOptions::default(),
        &mut |_, _| true,
    )
    .unwrap();
    let catalogue = "SELECT p.sku, t.name, t.rate
         FROM products p LEFT JOIN tax_rates t ON t.id = p.tax_rate_id ORDER BY p.sku";
    assert_eq!(query_rows(&s, &[catalogue]), query_rows(&t, &[catalogue]));
}
