//! Orders' money in the window (issue 14): finding an order by number or
//! reference, a new order with discounts and shipping, paying, refunding
//! part of an order, cancelling a shipped one, and Settings > Tax and
//! payments, all through the real App.

use egui::accesskit::Role;
use egui_kittest::kittest::{NodeT, Queryable};
use shopkeeper::domain::{Money, OrderStatus};
use shopkeeper::store::orders::{self, Placement};
use shopkeeper::store::{self, Store};

use crate::common::ui::{
    Window, beside, button, clear, field_error, has_row, open_window, product_detail, ready_store,
    rows_with, shows, text_input, texts,
};
use crate::common::{add_customer, add_product, assert_checks, line, order, use_decimal_comma};

/// A shop with Ana Lima and 10 blue mugs at $12.50.
fn shop() -> (tempfile::TempDir, Store, i64, i64) {
    let (dir, mut s) = ready_store();
    let ana = add_customer(&mut s, "Ana Lima", "ana@example.com");
    let mug = add_product(&mut s, "MUG-1", "Blue mug", "12.50", 10);
    (dir, s, ana, mug)
}

/// Places an order of `qty` mugs in the store (as the window would).
fn place(s: &mut Store, ana: i64, mug: i64, qty: i64, how: &Placement) -> i64 {
    s.write(|tx| orders::place(tx, &order(ana, vec![line(mug, qty, 1250)]), how))
        .unwrap()
}

fn orders_panel(h: &mut Window) {
    h.run();
    h.key_press_modifiers(egui::Modifiers::CTRL, egui::Key::Num3);
    h.run();
}

/// Opens order `id`'s detail from the table.
fn open_order(h: &mut Window, id: i64) {
    orders_panel(h);
    h.get_by_label(&orders::order_number(id)).click();
    h.run();
}

fn type_into(h: &mut Window, label: &str, text: &str) {
    text_input(h, label).focus();
    text_input(h, label).type_text(text);
    h.run();
}

/// File > Settings… > "Tax and payments" opened.
fn open_tax_settings(h: &mut Window) {
    h.get_by_label("File").click();
    h.run();
    h.get_by_label("Settings…").click();
    h.run();
    h.get_by_label("Tax and payments").click();
}

/// Orders > New order, Ana Lima chosen, one blue mug added.
fn new_order_of_a_mug_for_ana(h: &mut Window) {
    orders_panel(h);
    h.get_by_label("New order").click();
    h.run();
    type_into(h, "Customer", "ana");
    h.get_by_label("Ana Lima  ·  ana@example.com").click();
    h.run();
    type_into(h, "Add product", "mug");
    h.get_by_label("MUG-1  Blue mug  ·  $12.50  ·  10 in stock")
        .click();
    h.run();
}

fn row_of(conn: &rusqlite::Connection, sql: &str, id: i64) -> (i64, i64, i64, String) {
    conn.query_row(sql, [id], |r| {
        Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
    })
    .unwrap()
}

#[test]
fn an_order_is_found_by_its_number_or_its_reference_as_typed() {
    let (_dir, mut s, ana, mug) = shop();
    for _ in 0..6 {
        place(&mut s, ana, mug, 1, &Placement::default());
    }
    let imported = Placement {
        external_ref: Some("SHOP-1001".into()),
        log: false,
        ..Placement::default()
    };
    let shop_order = place(&mut s, ana, mug, 1, &imported);
    let mut h = open_window(s);
    orders_panel(&mut h);
    assert!(shows(&h, "7 orders"), "{:?}", texts(&h));

    // Ctrl+F puts the cursor in the find box.
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::F);
    h.run();
    assert!(
        text_input(&h, "Find order").accesskit_node().is_focused(),
        "Ctrl+F focuses the find box"
    );
    text_input(&h, "Find order").type_text("#000005");
    h.run_steps(3);
    assert!(shows(&h, "1 order"), "{:?}", texts(&h));
    assert_eq!(rows_with(&h, "#000005").len(), 1);
    assert!(rows_with(&h, "#000004").is_empty());

    // Without '#' and zeros too.
    for typed in ["5", "000005"] {
        clear(&mut h, "Find order");
        type_into(&mut h, "Find order", typed);
        h.run_steps(3);
        assert!(shows(&h, "1 order"), "{typed}: {:?}", texts(&h));
        assert_eq!(rows_with(&h, "#000005").len(), 1, "{typed}");
    }

    // The start of a reference, as typed.
    clear(&mut h, "Find order");
    type_into(&mut h, "Find order", "SHOP-10");
    h.run_steps(3);
    assert!(shows(&h, "1 order"), "{:?}", texts(&h));
    assert_eq!(
        rows_with(&h, &orders::order_number(shop_order)).len(),
        1,
        "{:?}",
        texts(&h)
    );
    // Typed in small letters, it finds the reference in capitals too.
    clear(&mut h, "Find order");
    type_into(&mut h, "Find order", "shop-10");
    h.run_steps(3);
    assert!(shows(&h, "1 order"), "{:?}", texts(&h));
    assert_eq!(
        rows_with(&h, &orders::order_number(shop_order)).len(),
        1,
        "{:?}",
        texts(&h)
    );
    // Enter opens the one order found, and the keyboard goes to its first
    // action (Tab went back to the menu bar).
    h.key_press(egui::Key::Enter);
    h.run_steps(3);
    assert!(
        shows(&h, &format!("Order {}", orders::order_number(shop_order))),
        "{:?}",
        texts(&h)
    );
    assert!(
        button(&h, "Mark paid…").accesskit_node().is_focused(),
        "the first action has the keyboard"
    );
    // Enter on it opens its dialog, and that Enter pays nothing by itself.
    h.key_press(egui::Key::Enter);
    h.run_steps(3);
    assert!(
        shows(
            &h,
            &format!("Mark order {} paid", orders::order_number(shop_order))
        ),
        "{:?}",
        texts(&h)
    );
    let paid = orders::detail(h.state().store().conn(), shop_order)
        .unwrap()
        .money
        .paid;
    assert_eq!(paid, Money(0));
    h.key_press(egui::Key::Escape);
    h.run_steps(3);
    // The dialog closed, and the keyboard is back on the button that opened
    // it (it had gone nowhere: the next Tab started at the File menu).
    assert!(
        button(&h, "Mark paid…").accesskit_node().is_focused(),
        "the keyboard is back where the dialog was opened from"
    );
    h.key_press(egui::Key::Enter);
    h.run_steps(3);
    assert!(shows(
        &h,
        &format!("Mark order {} paid", orders::order_number(shop_order))
    ));
    h.key_press(egui::Key::Escape);
    h.run_steps(2);
    clear(&mut h, "Find order");
    type_into(&mut h, "Find order", "#999");
    h.run_steps(3);
    assert!(shows(&h, "0 orders"), "{:?}", texts(&h));
    // And says what it looks for.
    assert!(
        texts(&h)
            .iter()
            .any(|t| t.starts_with("No order has that number")),
        "{:?}",
        texts(&h)
    );
}

#[test]
fn finding_an_order_reads_the_indexes_not_every_order() {
    let (_dir, mut s, ana, mug) = shop();
    place(&mut s, ana, mug, 1, &Placement::default());
    let conn = s.conn();
    let mut plan = Vec::new();
    let mut stmt = conn
        .prepare(
            "EXPLAIN QUERY PLAN SELECT o.id FROM orders o
             WHERE (o.id = ?1 OR (o.external_ref >= ?2 AND o.external_ref < ?3)
                    OR (o.external_ref >= ?4 AND o.external_ref < ?5)
                    OR (o.external_ref >= ?6 AND o.external_ref < ?7))",
        )
        .unwrap();
    let mut rows = stmt
        .query(rusqlite::params![
            5,
            "Shop",
            "Shop\u{10FFFF}",
            "SHOP",
            "SHOP\u{10FFFF}",
            "shop",
            "shop\u{10FFFF}"
        ])
        .unwrap();
    while let Some(r) = rows.next().unwrap() {
        plan.push(r.get::<_, String>(3).unwrap());
    }
    assert!(
        plan.iter().all(|p| !p.starts_with("SCAN")),
        "no scan of the orders: {plan:?}"
    );
    for (typed, found) in [("#000001", 1), ("1", 1), (" 0001 ", 1), ("#2", 0), ("", 1)] {
        let q = orders::OrderQuery {
            find: typed.into(),
            ..Default::default()
        };
        assert_eq!(orders::count(conn, &q).unwrap(), found, "{typed:?}");
        assert_eq!(orders::page(conn, &q, 0, 10, found).unwrap().len(), found);
    }
}

#[test]
fn an_order_with_a_line_discount_an_order_discount_and_shipping_shows_its_total() {
    let (_dir, s, _ana, mug) = shop();
    let mut h = open_window(s);
    new_order_of_a_mug_for_ana(&mut h);
    text_input(&h, "MUG-1 Blue mug").focus();
    h.key_press(egui::Key::Backspace);
    text_input(&h, "MUG-1 Blue mug").type_text("2");
    h.run();
    assert!(shows(&h, "Total: $25.00"), "{:?}", texts(&h));
    // 2 x 12.50 = 25.00, less 10% (2.50), less 5.00 off the order, plus 4.90.
    type_into(&mut h, "Discount on MUG-1", "10%");
    type_into(&mut h, "Order discount", "5.00");
    type_into(&mut h, "Code", "SPRING");
    type_into(&mut h, "Shipping ($)", "4.90");
    h.run();
    assert!(shows(&h, "Total: $22.40"), "{:?}", texts(&h));
    // As the invoice writes it: the line after its 10 %, then the order's 5.00.
    assert_eq!(beside(&h, "Subtotal"), "$22.50");
    assert_eq!(beside(&h, "Discount on the order"), "−$5.00");
    button(&h, "Place order").click();
    h.run();
    let conn = h.state().store().conn();
    let (total, discounts, shipping, code) = row_of(
        conn,
        "SELECT total, discounts, shipping, discount_code FROM orders WHERE id = ?1",
        1,
    );
    assert_eq!(
        (total, discounts, shipping, code.as_str()),
        (2240, 750, 490, "SPRING")
    );
    assert_eq!(store::products::get(conn, mug).unwrap().stock, 8);
    assert_checks(h.state().store());
    // The detail shows the breakdown.
    h.run();
    assert_eq!(beside(&h, "Discounts (code SPRING)"), "−$7.50");
    assert_eq!(beside(&h, "Balance"), "$22.40");
}

#[test]
fn a_message_under_a_line_moves_no_field_and_reads_on_one_line() {
    let (_dir, s, _ana, _mug) = shop();
    let mut h = open_window(s);
    new_order_of_a_mug_for_ana(&mut h);
    let fields = ["Add product", "Discount on MUG-1", "Order discount"];
    let at = |h: &Window| -> Vec<egui::Rect> {
        fields.iter().map(|f| text_input(h, f).rect()).collect()
    };
    let before = at(&h);
    // 15 of a product with 10 in stock.
    text_input(&h, "MUG-1 Blue mug").focus();
    h.key_press(egui::Key::Backspace);
    text_input(&h, "MUG-1 Blue mug").type_text("15");
    h.run_steps(3);
    let message = h.get_by_label("only 10 in stock");
    // The form grows downwards: nothing above or beside the message moves
    // (a centred dialog moved up, a narrow column pushed the next field).
    let after = at(&h);
    assert_eq!(
        before[..2],
        after[..2],
        "the line's own fields and the search stay put"
    );
    assert!(
        after[2].min.y > before[2].min.y,
        "what is below the line moves down"
    );
    // One line of text, not a word a line.
    let line_height = text_input(&h, "Add product").rect().height();
    assert!(
        message.rect().height() < line_height,
        "{:?} against {line_height}",
        message.rect()
    );
}

#[test]
fn a_bad_line_discount_is_named_and_nothing_is_placed() {
    let (_dir, s, _ana, _mug) = shop();
    let mut h = open_window(s);
    new_order_of_a_mug_for_ana(&mut h);
    type_into(&mut h, "Discount on MUG-1", "12.555");
    assert!(
        field_error(&h, "Discount on MUG-1").is_some_and(|e| e.contains("decimal")),
        "{:?}",
        texts(&h)
    );
    let place = button(&h, "Place order");
    assert!(place.accesskit_node().is_disabled());
    place.click();
    h.run();
    let counts = store::settings::counts(h.state().store().conn()).unwrap();
    assert_eq!(counts.orders, 0);
}

#[test]
fn mark_paid_records_one_payment_of_the_balance() {
    let (_dir, mut s, ana, mug) = shop();
    let id = place(&mut s, ana, mug, 2, &Placement::default());
    let mut h = open_window(s);
    open_order(&mut h, id);
    assert_eq!(beside(&h, "Balance"), "$25.00");
    h.get_by_label("Mark paid…").click();
    h.run();
    button(&h, "Mark paid").click();
    h.run();
    let conn = h.state().store().conn();
    let (paid, balance, _, status) = row_of(
        conn,
        "SELECT paid, balance, 0, status FROM orders WHERE id = ?1",
        id,
    );
    assert_eq!((paid, balance, status.as_str()), (2500, 0, "paid"));
    let p = orders::payments(conn, id).unwrap();
    assert_eq!(p.len(), 1);
    assert_eq!((p[0].amount, p[0].method.as_str()), (Money(2500), "Cash"));
    assert_checks(h.state().store());
    h.run();
    assert_eq!(beside(&h, "Amount paid"), "$25.00");
    assert_eq!(beside(&h, "Balance"), "$0.00");
    // The note saying so lies over the list, not over the detail's figures.
    let note = h
        .get_by_label("Payment of $25.00 recorded on order #000001.")
        .rect();
    let figures = h.get_by_label("Balance").rect();
    assert!(
        note.max.x < figures.min.x,
        "the note {note:?} is left of the figures {figures:?}"
    );
}

#[test]
fn a_payment_of_more_than_the_balance_is_refused_in_the_dialog() {
    let (_dir, mut s, ana, mug) = shop();
    let id = place(&mut s, ana, mug, 1, &Placement::default());
    let mut h = open_window(s);
    open_order(&mut h, id);
    h.get_by_label("Record payment…").click();
    h.run();
    clear(&mut h, "Amount");
    type_into(&mut h, "Amount", "20.00");
    assert_eq!(
        field_error(&h, "Amount").as_deref(),
        Some("only $12.50 is left to pay on this order")
    );
    clear(&mut h, "Amount");
    type_into(&mut h, "Amount", "2.555");
    assert!(field_error(&h, "Amount").is_some_and(|e| e.contains("decimal")));
    let record = button(&h, "Record payment");
    assert!(record.accesskit_node().is_disabled());
    record.click();
    h.run();
    clear(&mut h, "Amount");
    type_into(&mut h, "Amount", "2.50");
    button(&h, "Record payment").click();
    h.run();
    let conn = h.state().store().conn();
    let (paid, balance, _, status) = row_of(
        conn,
        "SELECT paid, balance, 0, status FROM orders WHERE id = ?1",
        id,
    );
    assert_eq!((paid, balance, status.as_str()), (250, 1000, "pending"));
}

/// A paid order of 3 mugs (stock 7 left).
fn paid_order() -> (tempfile::TempDir, Store, i64, i64) {
    let (dir, mut s, ana, mug) = shop();
    let id = place(&mut s, ana, mug, 3, &Placement::default());
    s.write(|tx| orders::mark_paid(tx, id, "Card", "2026-01-05"))
        .unwrap();
    (dir, s, id, mug)
}

#[test]
fn a_partial_refund_of_one_unit_puts_it_back_into_stock() {
    let (_dir, s, id, mug) = paid_order();
    let mut h = open_window(s);
    open_order(&mut h, id);
    h.get_by_label("Refund…").click();
    h.run();
    // More units than are left: named, and nothing can be refunded.
    clear(&mut h, "MUG-1 Blue mug");
    type_into(&mut h, "MUG-1 Blue mug", "4");
    assert!(
        shows(&h, "MUG-1 Blue mug: only 3 left to refund, 4 asked"),
        "{:?}",
        texts(&h)
    );
    assert!(button(&h, "Refund").accesskit_node().is_disabled());
    clear(&mut h, "MUG-1 Blue mug");
    type_into(&mut h, "MUG-1 Blue mug", "1");
    h.run();
    // The amount defaults to the unit's share, and says what it holds.
    assert_eq!(
        text_input(&h, "Refund amount").value().as_deref(),
        Some("12.50")
    );
    assert!(shows(&h, "Goods $12.50, tax $0.00"), "{:?}", texts(&h));
    // An amount with too many decimals is refused.
    clear(&mut h, "Refund amount");
    type_into(&mut h, "Refund amount", "12.555");
    assert!(button(&h, "Refund").accesskit_node().is_disabled());
    button(&h, "Refund").click();
    h.run();
    assert_eq!(
        orders::payments(h.state().store().conn(), id)
            .unwrap()
            .len(),
        1
    );
    clear(&mut h, "Refund amount");
    type_into(&mut h, "Refund amount", "12.50");
    button(&h, "Refund").click();
    h.run();
    let conn = h.state().store().conn();
    assert_eq!(store::products::get(conn, mug).unwrap().stock, 8);
    let (refunded, paid, balance, status) = row_of(
        conn,
        "SELECT refunded, paid, balance, status FROM orders WHERE id = ?1",
        id,
    );
    assert_eq!(
        (refunded, paid, balance, status.as_str()),
        (1250, 3750, 0, "paid")
    );
    let returned: i64 = conn
        .query_row(
            "SELECT returned FROM order_items WHERE order_id = ?1",
            [id],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(returned, 1);
    assert!(store::check::run(conn).unwrap().ok());
    h.run();
    assert_eq!(beside(&h, "Refunded"), "$12.50");
    // What the shop kept, beside a balance of nothing owed.
    assert_eq!(beside(&h, "Net paid"), "$25.00");
    assert_eq!(beside(&h, "Balance"), "$0.00");
    assert!(
        has_row(&h, &["MUG-1 Blue mug", "3", "$12.50", "$37.50", "1"]),
        "{:?}",
        rows_with(&h, "MUG-1 Blue mug")
    );
}

#[test]
fn a_refund_of_more_than_was_paid_is_refused_in_the_dialog() {
    let (_dir, s, id, _mug) = paid_order();
    let mut h = open_window(s);
    open_order(&mut h, id);
    h.get_by_label("Refund…").click();
    h.run();
    clear(&mut h, "Refund amount");
    type_into(&mut h, "Refund amount", "40.00");
    assert_eq!(
        field_error(&h, "Refund amount").as_deref(),
        Some("$37.50 was paid and not yet refunded; a refund cannot be more")
    );
    assert!(button(&h, "Refund").accesskit_node().is_disabled());
}

#[test]
fn a_shipped_order_can_be_cancelled_and_says_what_happens_first() {
    let (_dir, mut s, id, mug) = paid_order();
    s.write(|tx| orders::ship(tx, id, Some("UPS"), Some("1Z999")))
        .unwrap();
    let mut h = open_window(s);
    open_order(&mut h, id);
    assert_eq!(beside(&h, "Shipped with"), "UPS, tracking 1Z999");
    h.get_by_label("Cancel order…").click();
    h.run();
    assert!(
        texts(&h).iter().any(|t| t.contains("shipped")
            && t.contains("3 units")
            && t.contains("$37.50 paid is recorded as refunded")),
        "{:?}",
        texts(&h)
    );
    h.get_by_label("Cancel the order").click();
    h.run();
    assert_ended_whole(&h, id, mug, "cancelled");
}

/// Paid order `id` (three mugs, 37.50) ended as `status`: its mugs back in
/// stock (10), all it paid refunded, and `check` holding.
#[track_caller]
fn assert_ended_whole(h: &Window, id: i64, mug: i64, status: &str) {
    let conn = h.state().store().conn();
    assert_eq!(store::products::get(conn, mug).unwrap().stock, 10);
    let (refunded, paid, _, ended) = row_of(
        conn,
        "SELECT refunded, paid, 0, status FROM orders WHERE id = ?1",
        id,
    );
    assert_eq!((refunded, paid, ended.as_str()), (3750, 3750, status));
    assert!(store::check::run(conn).unwrap().ok());
}

/// "Mark returned…" says, as cancelling does, that what was paid goes back
/// (today, on the method it was paid with) and that the sale leaves its
/// order date's figures, before it does it.
#[test]
fn marking_returned_says_the_money_goes_back_and_the_sale_leaves_its_date() {
    let (_dir, mut s, id, mug) = paid_order();
    s.write(|tx| orders::ship(tx, id, None, None)).unwrap();
    s.write(|tx| orders::set_status(tx, id, OrderStatus::Delivered))
        .unwrap();
    let date = orders::detail(s.conn(), id).unwrap().summary.order_date;
    let mut h = open_window(s);
    open_order(&mut h, id);
    h.get_by_label("Mark returned…").click();
    h.run();
    assert!(
        texts(&h)
            .iter()
            .any(|t| t.contains("3 units go back into stock")
                && t.contains("$37.50 paid is recorded as refunded today")
                && t.contains(&format!("the figures of its order date ({date}) change"))
                && t.contains("use Refund… instead")),
        "{:?}",
        texts(&h)
    );
    h.get_by_role_and_label(Role::Button, "Mark returned")
        .click();
    h.run();
    assert_ended_whole(&h, id, mug, "returned");
}

/// Once its invoice is issued, the order's detail names it (and its day).
#[test]
fn an_invoiced_orders_detail_names_its_invoice() {
    let (_dir, mut s, id, _mug) = paid_order();
    s.write(|tx| store::invoices::issue_invoice(tx, id, "2026-01-06"))
        .unwrap();
    let mut h = open_window(s);
    open_order(&mut h, id);
    assert_eq!(beside(&h, "Invoice"), "INV-00001, 2026-01-06");
}

/// Before its invoice is given, the detail says so in the same row, so the
/// buttons below it stay where they are when it is (a tryout clicked the
/// wrong one as they moved down).
#[test]
fn an_orders_detail_keeps_its_invoice_row_before_one_is_given() {
    let (_dir, s, id, _mug) = paid_order();
    let mut h = open_window(s);
    open_order(&mut h, id);
    assert_eq!(beside(&h, "Invoice"), "none yet");
}

#[test]
fn ship_keeps_the_carrier_and_tracking() {
    let (_dir, s, id, _mug) = paid_order();
    let mut h = open_window(s);
    open_order(&mut h, id);
    h.get_by_label("Ship…").click();
    h.run();
    type_into(&mut h, "Carrier", "DHL");
    type_into(&mut h, "Tracking number", "JD0001");
    h.get_by_label("Mark shipped").click();
    h.run();
    let conn = h.state().store().conn();
    let d = orders::detail(conn, id).unwrap();
    assert_eq!(d.summary.status, OrderStatus::Shipped);
    assert_eq!(d.carrier.as_deref(), Some("DHL"));
    assert_eq!(d.tracking.as_deref(), Some("JD0001"));
}

/// Add rate gives the keyboard to the new rate's name: typing names it,
/// and Tab goes on to its percent.
#[test]
fn a_rate_added_in_settings_takes_the_typing() {
    let (_dir, s, _ana, _mug) = shop();
    let mut h = open_window(s);
    h.run();
    open_tax_settings(&mut h);
    h.run();
    button(&h, "Add rate").click();
    h.run_steps(4);
    assert!(text_input(&h, "Rate 1 name").accesskit_node().is_focused());
    h.event(egui::Event::Text("Reduced".into()));
    h.run();
    h.key_press(egui::Key::Tab);
    h.run();
    h.event(egui::Event::Text("5.5".into()));
    h.run();
    assert_eq!(
        text_input(&h, "Rate 1 name").value().as_deref(),
        Some("Reduced")
    );
    assert_eq!(
        text_input(&h, "Rate 1 percent").value().as_deref(),
        Some("5.5")
    );
}

#[test]
fn a_tax_rate_added_in_settings_is_the_default_of_a_new_product() {
    let (_dir, s, _ana, _mug) = shop();
    let mut h = open_window(s);
    h.run();
    open_tax_settings(&mut h);
    h.run();
    button(&h, "Add rate").click();
    h.run_steps(8);
    type_into(&mut h, "Rate 1 name", "VAT");
    type_into(&mut h, "Rate 1 percent", "20.5555");
    assert!(
        shows(
            &h,
            "Tax rate 1 (VAT): \"20.5555\": at most three decimals in a percent."
        ),
        "{:?}",
        texts(&h)
    );
    assert!(button(&h, "Save").accesskit_node().is_disabled());
    clear(&mut h, "Rate 1 percent");
    type_into(&mut h, "Rate 1 percent", "20");
    h.get_by_role_and_label(Role::ComboBox, "Rate for new products")
        .click();
    h.run();
    h.get_by_label("VAT (20%)").click();
    h.run();
    h.get_by_role_and_label(Role::ComboBox, "Shipping tax")
        .click();
    h.run();
    h.get_by_label("VAT (20%)").click();
    h.run();
    button(&h, "Save").click();
    h.run();
    let conn = h.state().store().conn();
    let rates = store::tax::rates(conn).unwrap();
    assert_eq!(rates.len(), 1);
    assert_eq!((rates[0].name.as_str(), rates[0].rate.0), ("VAT", 20_000));
    let t = store::tax::settings(conn).unwrap();
    assert_eq!(t.default_rate, Some(rates[0].id));
    assert_eq!(t.shipping_rate, Some(rates[0].id));

    // A new product gets it, and its detail says so.
    h.key_press_modifiers(egui::Modifiers::CTRL, egui::Key::Num2);
    h.run();
    h.get_by_label("New product").click();
    h.run();
    assert_eq!(
        h.get_by_role_and_label(Role::ComboBox, "Tax rate")
            .value()
            .as_deref(),
        Some("VAT (20%)")
    );
    type_into(&mut h, "SKU", "TEA-1");
    type_into(&mut h, "Name", "Green tea");
    type_into(&mut h, "Price ($)", "10");
    button(&h, "Save").click();
    h.run();
    let conn = h.state().store().conn();
    let tea = store::products::find_by_sku(conn, "TEA-1")
        .unwrap()
        .expect("saved");
    assert_eq!(
        store::tax::product_rate(conn, tea.id).unwrap(),
        Some(rates[0].id)
    );
    h.run();
    assert_eq!(beside(&h, "Tax rate"), "VAT (20%)");

    // An order line of it takes the rate, so the order carries its tax.
    let conn = h.state().store().conn();
    let (rate, cost) = store::tax::line_terms(conn, tea.id).unwrap();
    let mut o = order(1, vec![line(tea.id, 1, 1000)]);
    o.lines[0].tax_rate = rate;
    o.lines[0].unit_cost = cost;
    let f = o.figures().unwrap();
    assert_eq!((f.tax, f.total), (200, 1200));
}

#[test]
fn payment_methods_edited_in_settings_are_offered_when_paying() {
    let (_dir, mut s, ana, mug) = shop();
    let id = place(&mut s, ana, mug, 1, &Placement::default());
    let mut h = open_window(s);
    h.run();
    open_tax_settings(&mut h);
    h.run();
    clear(&mut h, "Payment methods");
    type_into(&mut h, "Payment methods", "Stripe, Cash");
    button(&h, "Save").click();
    h.run();
    assert_eq!(
        orders::methods(h.state().store().conn()).unwrap(),
        ["Stripe", "Cash"]
    );
    h.run();
    assert!(
        shows(&h, "Saved the settings."),
        "saying so: {:?}",
        texts(&h)
    );
    open_order(&mut h, id);
    h.get_by_label("Mark paid…").click();
    h.run();
    assert_eq!(
        h.get_by_role_and_label(Role::ComboBox, "Method")
            .value()
            .as_deref(),
        Some("Stripe")
    );
}

#[test]
fn a_rate_renamed_in_settings_keeps_its_orders_and_the_default_cannot_be_archived() {
    let (_dir, mut s, ana, mug) = shop();
    let vat = s
        .write(|tx| {
            let id = store::tax::add_rate(tx, "VAT", shopkeeper::domain::Rate(20_000))?;
            store::tax::save_settings(
                tx,
                &store::tax::TaxSettings {
                    default_rate: Some(id),
                    ..Default::default()
                },
            )?;
            store::tax::set_product_rate(tx, mug, Some(id))?;
            Ok(id)
        })
        .unwrap();
    let mut o = order(ana, vec![line(mug, 1, 1250)]);
    o.lines[0].tax_rate = shopkeeper::domain::Rate(20_000);
    let id = s
        .write(|tx| orders::place(tx, &o, &Placement::default()))
        .unwrap();
    let mut h = open_window(s);
    h.run();
    open_tax_settings(&mut h);
    h.run_steps(8);
    h.get_by_label("Archived").click();
    h.run();
    assert!(
        shows(
            &h,
            "The rate for new products is archived: choose another one, or keep it."
        ),
        "{:?}",
        texts(&h)
    );
    assert!(button(&h, "Save").accesskit_node().is_disabled());
    h.get_by_label("Archived").click();
    h.run();
    clear(&mut h, "Rate 1 name");
    type_into(&mut h, "Rate 1 name", "Standard");
    clear(&mut h, "Rate 1 percent");
    type_into(&mut h, "Rate 1 percent", "19");
    button(&h, "Save").click();
    h.run();
    let conn = h.state().store().conn();
    let rates = store::tax::rates(conn).unwrap();
    assert_eq!(
        (rates[0].id, rates[0].name.as_str(), rates[0].rate.0),
        (vat, "Standard", 19_000)
    );
    // The order keeps the rate it was sold at.
    let d = orders::detail(conn, id).unwrap();
    assert_eq!(d.lines[0].tax_rate.0, 20_000);
    assert_eq!(d.money.tax, Money(250));
}

#[test]
fn a_new_order_of_many_lines_keeps_place_order_in_a_small_window() {
    use crate::common::ui::{WindowOptions, window};
    let (_dir, mut s, _ana, _mug) = shop();
    for i in 0..14 {
        add_product(&mut s, &format!("TEA-{i:02}"), "Green tea", "4.50", 10);
    }
    let mut h = window(
        s,
        WindowOptions {
            size: egui::vec2(1024.0, 600.0),
            ..Default::default()
        },
    );
    orders_panel(&mut h);
    h.get_by_label("New order").click();
    h.run();
    for i in 0..14 {
        type_into(&mut h, "Add product", &format!("TEA-{i:02}"));
        h.get_by_label(&format!("TEA-{i:02}  Green tea  ·  $4.50  ·  10 in stock"))
            .click();
        h.run();
    }
    let place = button(&h, "Place order").rect();
    assert!(
        place.max.y <= 600.0 && place.min.y >= 0.0,
        "Place order is out of the window: {place:?}"
    );
    // No customer yet: the total so far, 14 x 4.50.
    assert!(shows(&h, "Total: $63.00"), "{:?}", texts(&h));
}

#[test]
fn the_ship_dialog_opens_with_the_keyboard_in_the_carrier_field() {
    let (_dir, s, id, _mug) = paid_order();
    let mut h = open_window(s);
    open_order(&mut h, id);
    h.get_by_label("Ship…").click();
    h.run();
    h.run();
    // Typed straight away, without clicking the field first.
    h.event(egui::Event::Text("DHL".into()));
    h.run();
    h.get_by_label("Mark shipped").click();
    h.run();
    let d = orders::detail(h.state().store().conn(), id).unwrap();
    assert_eq!(d.carrier.as_deref(), Some("DHL"));
}

#[test]
fn with_prices_including_tax_the_new_order_shows_shipping_as_charged() {
    use shopkeeper::domain::Rate;
    let (_dir, mut s, _ana, mug) = shop();
    s.write(|tx| {
        let vat = store::tax::add_rate(tx, "VAT", Rate(20_000))?;
        store::tax::save_settings(
            tx,
            &store::tax::TaxSettings {
                prices_include_tax: true,
                default_rate: Some(vat),
                shipping_rate: Some(vat),
            },
        )?;
        store::tax::set_product_rate(tx, mug, Some(vat))
    })
    .unwrap();
    let mut h = open_window(s);
    new_order_of_a_mug_for_ana(&mut h);
    type_into(&mut h, "Shipping ($)", "6.00");
    h.run();
    // 12.50 + 6.00, each with its 20 % inside it (2.08 + 1.00).
    assert_eq!(beside(&h, "Subtotal"), "$12.50");
    assert_eq!(beside(&h, "Shipping"), "$6.00");
    assert_eq!(beside(&h, "Tax (included)"), "$3.08");
    assert!(shows(&h, "Total: $18.50"), "{:?}", texts(&h));

    // Placed, its detail says which figures hold the tax: gross sales do,
    // revenue and shipping do not (10.42 + 5.00 + 3.08 = 18.50).
    button(&h, "Place order").click();
    h.run();
    h.run();
    assert_eq!(beside(&h, "Gross sales (with tax)"), "$12.50");
    assert_eq!(beside(&h, "Revenue (without tax)"), "$10.42");
    assert_eq!(beside(&h, "Shipping (without tax)"), "$5.00");
    assert_eq!(beside(&h, "Total"), "$18.50");
    // The lines show their own tax (2.08); the shipping's is said apart,
    // so the line taxes and the order's add up on screen.
    assert_eq!(beside(&h, "    of it on shipping"), "$1.00");
}

#[test]
fn ticking_prices_include_tax_says_what_the_prices_will_mean() {
    let (_dir, s, _ana, _mug) = shop();
    let mut h = open_window(s);
    h.run();
    open_tax_settings(&mut h);
    h.run();
    assert!(!texts(&h).iter().any(|t| t.starts_with("Once saved")));
    h.get_by_label("Prices include tax").click();
    h.run();
    assert!(
        texts(&h)
            .iter()
            .any(|t| t.starts_with("Once saved, the products' prices are read as holding the tax")),
        "{:?}",
        texts(&h)
    );
}

/// A shop writing a decimal comma reads the warning's example its way.
#[test]
fn the_prices_include_tax_warning_writes_the_shops_decimal_mark() {
    let (_dir, mut s, _ana, _mug) = shop();
    use_decimal_comma(&mut s);
    let mut h = open_window(s);
    h.run();
    open_tax_settings(&mut h);
    h.run();
    h.get_by_label("Prices include tax").click();
    h.run();
    assert!(
        texts(&h)
            .iter()
            .any(|t| t.contains("a price of 12,00 at 20 % is 10,00 and 2,00 of tax")),
        "{:?}",
        texts(&h)
    );
}

#[test]
fn a_products_detail_says_what_it_sold_after_discounts_and_what_refunds_took_back() {
    use shopkeeper::domain::{Discount, Rate};
    let (_dir, mut s, ana, mug) = shop();
    // Two mugs of 12.50 less 10 %: 22.50; one comes back, 11.25 of it.
    let mut two = line(mug, 2, 1250);
    two.discount = Discount::Percent(Rate(10_000));
    two.unit_cost = Money(600);
    paid_with_one_unit_back(&mut s, ana, two);
    let mut h = product_detail(s, "Blue mug");
    // It said 25.00: the list price of the units.
    assert_eq!(beside(&h, "Sold"), "2 units in 1 order, $22.50");
    assert_eq!(beside(&h, "Refunded"), "1 unit, $11.25");

    // The order says its margin is as sold (22.50 - 12.00), as the Margin
    // report takes the refund off; cancelled, it has none.
    h.key_press_modifiers(egui::Modifiers::CTRL, egui::Key::Num3);
    h.run();
    h.get_by_label("#000001").click();
    h.run();
    assert_eq!(beside(&h, "Margin as sold"), "$10.50 (46.7%)");
    assert!(h.query_by_label("Margin").is_none());
    h.get_by_label("Cancel order…").click();
    h.run();
    h.get_by_label("Cancel the order").click();
    h.run();
    h.run();
    assert!(shows(&h, "Cancelled"), "{:?}", texts(&h));
    assert!(
        h.query_by_label("Margin as sold").is_none() && h.query_by_label("Cost as sold").is_none(),
        "a cancelled order sold nothing"
    );
}

#[test]
fn an_orders_lines_show_every_column_in_its_detail_in_a_small_window() {
    use crate::common::ui::{WindowOptions, window};
    use shopkeeper::domain::{Discount, Rate};
    let (_dir, mut s, ana, _mug) = shop();
    let tea = add_product(
        &mut s,
        "TEA-01",
        "Earl Grey tea 250g, loose leaf",
        "8.99",
        10,
    );
    // Discounted, taxed, one unit refunded: every column of the lines.
    let mut l = line(tea, 3, 899);
    l.discount = Discount::Percent(Rate(10_000));
    l.tax_rate = Rate(20_000);
    let id = paid_with_one_unit_back(&mut s, ana, l);
    let mut h = window(
        s,
        WindowOptions {
            size: egui::vec2(1024.0, 600.0),
            ..Default::default()
        },
    );
    open_order(&mut h, id);
    // The detail's right edge: its close button.
    let edge = button(&h, "×").rect().max.x;
    for header in [
        "Product", "Qty", "Price", "Discount", "Tax", "Amount", "Returned",
    ] {
        // The lines' header: the last of its name (the money above has a Tax).
        let r = h
            .query_all_by_label(header)
            .last()
            .unwrap_or_else(|| panic!("{header} is shown"))
            .rect();
        assert!(
            r.max.x <= edge,
            "{header} at {r:?} is past the detail's edge {edge}"
        );
    }
}

#[test]
fn an_order_taken_on_another_day_keeps_the_time_typed() {
    let (_dir, s, _ana, _mug) = shop();
    let mut h = open_window(s);
    new_order_of_a_mug_for_ana(&mut h);
    h.get_by_label("Taken earlier (set its day and time)")
        .click();
    h.run();
    // A time that is not one: said, and the order cannot be placed.
    type_into(&mut h, "at", "25:99");
    h.run();
    assert!(
        texts(&h)
            .iter()
            .any(|t| t.contains("\"25:99\" is not a time")),
        "{:?}",
        texts(&h)
    );
    assert!(button(&h, "Place order").accesskit_node().is_disabled());
    // Later than now today: refused (an order is not taken in the future).
    let later = chrono::Local::now() + chrono::Duration::minutes(2);
    if later.date_naive() == chrono::Local::now().date_naive() {
        clear(&mut h, "at");
        type_into(&mut h, "at", &later.format("%H:%M").to_string());
        h.run();
        assert!(
            texts(&h)
                .iter()
                .any(|t| t.contains("an order cannot be taken in the future")),
            "{:?}",
            texts(&h)
        );
        assert!(button(&h, "Place order").accesskit_node().is_disabled());
    }
    // The first minute of the day is never later than now.
    clear(&mut h, "at");
    type_into(&mut h, "at", "00:00");
    h.run();
    button(&h, "Place order").click();
    h.run();
    let (time, day): (String, String) = h
        .state()
        .store()
        .conn()
        .query_row("SELECT order_time, order_date FROM orders", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    // The hour it counts in (Insights > Time) is the one typed.
    assert_eq!(time, "00:00:00");
    assert_eq!(day, chrono::Local::now().format("%Y-%m-%d").to_string());
}

#[test]
fn an_orders_margin_leaves_out_lines_of_unknown_cost() {
    let (_dir, mut s, ana, _mug) = shop();
    let gift = add_product(&mut s, "GIFT-25", "Gift card", "25.00", 10);
    let bag = add_product(&mut s, "BAG-1", "Tote bag", "9.95", 10);
    let mut tote = line(bag, 1, 995);
    tote.unit_cost = Money(310);
    let id = s
        .write(|tx| {
            orders::place(
                tx,
                &order(ana, vec![line(gift, 1, 2500), tote]),
                &Placement::default(),
            )
        })
        .unwrap();
    let mut h = open_window(s);
    open_order(&mut h, id);
    // 9.95 - 3.10, over the tote bag alone: the gift card's 25.00 has no
    // cost, so no margin (it showed 31.85, 91.1 %).
    assert_eq!(beside(&h, "Margin"), "$6.85 (68.8%) of $9.95");
}

/// Places an order of `l` for `customer`, pays it by card and refunds one
/// unit of it back into stock (the shop's only order); its id.
fn paid_with_one_unit_back(s: &mut Store, customer: i64, l: shopkeeper::domain::OrderLine) -> i64 {
    use shopkeeper::store::orders::{RefundLine, RefundRequest};
    let id = s
        .write(|tx| orders::place(tx, &order(customer, vec![l]), &Placement::default()))
        .unwrap();
    s.write(|tx| orders::mark_paid(tx, id, "Card", "2026-03-02"))
        .unwrap();
    let item: i64 = s
        .conn()
        .query_row("SELECT id FROM order_items", [], |r| r.get(0))
        .unwrap();
    let req = RefundRequest {
        lines: vec![RefundLine {
            order_item_id: item,
            quantity: 1,
            restock: true,
        }],
        method: "Card".into(),
        date: "2026-03-03".into(),
        ..Default::default()
    };
    s.write(|tx| orders::refund(tx, id, &req)).unwrap();
    id
}

/// Shipping given back once is not offered again: the box is gone from the
/// next refund (ticking it again gave nothing and a puzzling refusal).
#[test]
fn shipping_refunded_once_is_not_offered_again() {
    let (dir, mut s, ana, mug) = shop();
    let mut o = order(ana, vec![line(mug, 2, 1250)]);
    o.terms.shipping = Money(495);
    let id = s
        .write(|tx| orders::place(tx, &o, &Placement::default()))
        .unwrap();
    s.write(|tx| orders::mark_paid(tx, id, "Card", "2026-01-05"))
        .unwrap();
    let mut h = open_window(s);
    open_order(&mut h, id);
    h.get_by_label("Refund…").click();
    h.run();
    assert!(h.query_by_label("Refund the shipping too").is_some());
    drop(h);
    let mut s = Store::open(dir.path().join("shop.sqlite3")).unwrap();
    let req = orders::RefundRequest {
        shipping: true,
        method: "Card".into(),
        date: "2026-01-06".into(),
        ..Default::default()
    };
    s.write(|tx| orders::refund(tx, id, &req)).unwrap();
    let mut h = open_window(s);
    open_order(&mut h, id);
    h.get_by_label("Refund…").click();
    h.run();
    // The dialog is open (its amount field), without the shipping's box.
    assert!(h.query_by_label("Refund amount").is_some());
    assert!(
        h.query_by_label("Refund the shipping too").is_none(),
        "{:?}",
        texts(&h)
    );
}

/// Enter in a field of the money dialogs saves, as their button does (it
/// only left the field), but not while what is typed does not read.
#[test]
fn enter_saves_a_payment_a_ship_and_a_refund() {
    let (_dir, mut s, ana, mug) = shop();
    let id = place(&mut s, ana, mug, 2, &Placement::default());
    let mut h = open_window(s);
    open_order(&mut h, id);
    h.get_by_label("Record payment…").click();
    h.run();
    clear(&mut h, "Amount");
    type_into(&mut h, "Amount", "2.555");
    h.key_press(egui::Key::Enter);
    h.run();
    assert!(h.query_by_label("Record payment").is_some(), "still open");
    clear(&mut h, "Amount");
    type_into(&mut h, "Amount", "25.00");
    h.key_press(egui::Key::Enter);
    h.run_steps(3);
    let status = |h: &Window| orders::detail(h.state().store().conn(), id).unwrap();
    assert_eq!(status(&h).money.paid, Money(2500));
    h.get_by_label("Ship…").click();
    h.run();
    type_into(&mut h, "Tracking number", "JD0002");
    h.key_press(egui::Key::Enter);
    h.run_steps(3);
    let d = status(&h);
    assert_eq!(
        (d.summary.status, d.tracking.as_deref()),
        (OrderStatus::Shipped, Some("JD0002"))
    );
    h.get_by_label("Refund…").click();
    h.run();
    clear(&mut h, "Refund amount");
    type_into(&mut h, "Refund amount", "5.00");
    h.key_press(egui::Key::Enter);
    h.run_steps(3);
    assert_eq!(status(&h).money.refunded, Money(500));
}

/// In a shop that writes a decimal comma, the amounts a money dialog starts
/// with are written so too ("12,50", not "12.50").
#[test]
fn money_dialogs_start_with_amounts_the_shops_way() {
    let (_dir, mut s, ana, mug) = shop();
    use_decimal_comma(&mut s);
    let id = place(&mut s, ana, mug, 1, &Placement::default());
    let mut h = open_window(s);
    open_order(&mut h, id);
    h.get_by_label("Record payment…").click();
    h.run();
    assert_eq!(
        text_input(&h, "Amount").accesskit_node().value().as_deref(),
        Some("12,50")
    );
}

/// A customer's detail says why its history lists more orders than it
/// counts (one cancelled), and shows a part refund beside its order's
/// total, which Total spent takes off: 37.50 - 12.50.
#[test]
fn a_customers_history_shows_what_was_refunded_and_not_counted() {
    let (_dir, mut s, ana, mug) = shop();
    paid_with_one_unit_back(&mut s, ana, line(mug, 3, 1250));
    let gone = place(&mut s, ana, mug, 1, &Placement::default());
    s.write(|tx| orders::set_status(tx, gone, OrderStatus::Cancelled))
        .unwrap();
    let mut h = open_window(s);
    h.run();
    h.key_press_modifiers(egui::Modifiers::CTRL, egui::Key::Num1);
    h.run_steps(3);
    h.get_by_label("Ana Lima").click();
    h.run_steps(4);
    assert_eq!(beside(&h, "Orders"), "1 (and 1 cancelled or returned)");
    assert_eq!(beside(&h, "Total spent"), "$25.00");
    assert!(shows(&h, "$37.50 (−$12.50)"), "{:?}", texts(&h));
}

/// A customer's history says what each order bought, for the caller who
/// asks "the one with the tea in it": one line by its name, more units with
/// their number, the lines in order; the hover lists them one per line.
#[test]
fn a_customers_history_says_what_each_order_bought() {
    let (_dir, mut s, ana, mug) = shop();
    let tea = add_product(&mut s, "TEA-1", "Sencha tea", "4.00", 10);
    place(&mut s, ana, mug, 3, &Placement::default());
    s.write(|tx| {
        orders::place(
            tx,
            &order(ana, vec![line(tea, 1, 400), line(mug, 2, 1250)]),
            &Placement::default(),
        )
    })
    .unwrap();
    let mut h = open_window(s);
    h.run();
    h.key_press_modifiers(egui::Modifiers::CTRL, egui::Key::Num1);
    h.run_steps(3);
    h.get_by_label("Ana Lima").click();
    h.run_steps(4);
    assert!(h.query_by_label("Bought").is_some(), "{:?}", texts(&h));
    assert!(shows(&h, "3 × Blue mug"), "{:?}", texts(&h));
    assert!(shows(&h, "Sencha tea, 2 × Blue mug"), "{:?}", texts(&h));
}

/// Enter after Find order never changes an order by itself: on a shipped
/// order the keyboard goes to the first action that opens a dialog, not to
/// Mark delivered (a second Enter marked it delivered). The payment dialogs
/// take the keyboard: Record payment's amount is ready to type over, and
/// Enter in Mark paid saves it as its button does.
#[test]
fn enter_after_find_order_opens_a_dialog_and_never_changes_the_order() {
    let (_dir, mut s, ana, mug) = shop();
    let shipped = place(&mut s, ana, mug, 1, &Placement::default());
    let pending = place(&mut s, ana, mug, 2, &Placement::default());
    s.write(|tx| {
        orders::mark_paid(tx, shipped, "Card", "2026-03-02")?;
        orders::ship(tx, shipped, None, None)
    })
    .unwrap();
    let mut h = open_window(s);
    orders_panel(&mut h);
    let status = |h: &Window, id: i64| {
        orders::detail(h.state().store().conn(), id)
            .unwrap()
            .summary
            .status
    };
    assert_eq!(status(&h, shipped), OrderStatus::Shipped);
    type_into(&mut h, "Find order", &shipped.to_string());
    h.run_steps(3);
    h.key_press(egui::Key::Enter);
    h.run_steps(3);
    for action in [
        "Mark delivered",
        "Cancel order…",
        "Mark returned…",
        "Refund…",
    ] {
        assert!(
            h.query_all_by_label(action)
                .all(|b| !b.accesskit_node().is_focused()),
            "{action} took the keyboard"
        );
    }
    h.key_press(egui::Key::Enter);
    h.run_steps(3);
    assert_eq!(status(&h, shipped), OrderStatus::Shipped, "{:?}", texts(&h));
    h.key_press(egui::Key::Escape);
    h.run_steps(2);
    clear(&mut h, "Find order");
    h.run_steps(3);

    // Record payment: the amount has the keyboard, its text chosen.
    open_order(&mut h, pending);
    h.get_by_label("Record payment…").click();
    h.run_steps(3);
    assert!(
        text_input(&h, "Amount").accesskit_node().is_focused(),
        "{:?}",
        texts(&h)
    );
    text_input(&h, "Amount").type_text("5");
    h.run();
    h.key_press(egui::Key::Enter);
    h.run_steps(3);
    let paid = |h: &Window| {
        orders::detail(h.state().store().conn(), pending)
            .unwrap()
            .money
            .paid
    };
    assert_eq!(paid(&h), Money(500), "{:?}", texts(&h));
    // Mark paid: Enter pays what is left.
    h.get_by_label("Mark paid…").click();
    h.run_steps(3);
    assert!(shows(
        &h,
        &format!("Mark order {} paid", orders::order_number(pending))
    ));
    h.key_press(egui::Key::Enter);
    h.run_steps(3);
    assert_eq!(paid(&h), Money(2500), "{:?}", texts(&h));
    assert_eq!(status(&h, pending), OrderStatus::Paid);
}

/// The order's lines read as its invoice does: each after its own discount,
/// then the order's discount once (a tryout found the detail putting the
/// order's share into each line's discount while the invoice did not).
#[test]
fn the_order_detail_lines_read_as_the_invoice() {
    use shopkeeper::domain::{Discount, Rate};
    let (_dir, mut s, ana, mug) = shop();
    let tea = add_product(&mut s, "TEA-1", "Green tea", "7.99", 10);
    let mut first = line(mug, 2, 1250);
    first.discount = Discount::Percent(Rate(10_000));
    let mut o = order(ana, vec![first, line(tea, 1, 799)]);
    o.terms.discount = Discount::Amount(Money(200));
    o.discount_code = Some("SPRING".into());
    let id = s
        .write(|tx| orders::place(tx, &o, &Placement::default()))
        .unwrap();
    let mut h = open_window(s);
    open_order(&mut h, id);
    // 25.00 less 10 %, the tea as sold, then 2.00 off: 22.50 + 7.99 - 2.00.
    assert!(
        has_row(&h, &["MUG-1 Blue mug", "2", "$12.50", "−$2.50", "$22.50"]),
        "{:?}",
        rows_with(&h, "MUG-1 Blue mug")
    );
    assert!(
        has_row(&h, &["TEA-1 Green tea", "1", "$7.99", "$7.99"]),
        "{:?}",
        rows_with(&h, "TEA-1 Green tea")
    );
    assert!(
        has_row(&h, &["Order discount (SPRING)", "−$2.00"]),
        "{:?}",
        rows_with(&h, "Order discount (SPRING)")
    );
    assert!(
        has_row(&h, &["Goods", "3", "$28.49"]),
        "{:?}",
        rows_with(&h, "Goods")
    );
}

/// A customer search in the new-order form that finds no one says so and
/// how to search (a tryout typed "AmeliaBr" and saw nothing happen).
#[test]
fn a_new_order_says_when_no_customer_matches() {
    let (_dir, s, _, _) = shop();
    let mut h = open_window(s);
    orders_panel(&mut h);
    h.get_by_label("New order").click();
    h.run();
    type_into(&mut h, "Customer", "Zorro");
    h.run_steps(2);
    assert!(
        shows(&h, shopkeeper::ui::widgets::picker::NO_MATCH),
        "{:?}",
        texts(&h)
    );
    clear(&mut h, "Customer");
    type_into(&mut h, "Customer", "ana");
    h.run_steps(2);
    assert!(!shows(&h, shopkeeper::ui::widgets::picker::NO_MATCH));
    assert!(
        h.query_all_by_label("Ana Lima  ·  ana@example.com")
            .next()
            .is_some(),
        "{:?}",
        texts(&h)
    );
}

/// Typing in Add product drops its matches down over the form: listed in
/// it, they pushed the lines, note, discount and Place order down and back
/// as one typed (a tryout). A match is still picked with a click, and the
/// keyboard goes back to the field for the next product.
#[test]
fn typing_a_product_leaves_the_order_form_where_it_was() {
    let (_dir, s, _, _) = shop();
    let mut h = open_window(s);
    orders_panel(&mut h);
    h.get_by_label("New order").click();
    h.run();
    type_into(&mut h, "Customer", "ana");
    h.get_by_label("Ana Lima  ·  ana@example.com").click();
    h.run_steps(2);
    let top = |h: &Window, label: &str| {
        text_input(h, label)
            .accesskit_node()
            .bounding_box()
            .map(|b| b.y0)
            .unwrap()
    };
    let before = (top(&h, "Note"), top(&h, "Order discount"));
    type_into(&mut h, "Add product", "mug");
    h.run_steps(2);
    let offered = "MUG-1  Blue mug  ·  $12.50  ·  10 in stock";
    assert!(
        h.query_all_by_label(offered).next().is_some(),
        "{:?}",
        texts(&h)
    );
    assert_eq!((top(&h, "Note"), top(&h, "Order discount")), before);
    h.get_by_label(offered).click();
    h.run_steps(3);
    assert!(
        h.query_all_by_label(offered).next().is_none(),
        "{:?}",
        texts(&h)
    );
    assert!(shows(&h, "MUG-1 Blue mug"), "{:?}", texts(&h));
    assert!(text_input(&h, "Add product").accesskit_node().is_focused());
}

/// Escape in the new order's "Add product" (where the keyboard goes after
/// each line added from the keyboard) asks whether to discard the order, as
/// in every other field, and a second Escape answers "Keep editing" (a
/// tryout pressed it twice and read that as nothing happening).
#[test]
fn escape_in_add_product_asks_to_discard_the_new_order() {
    let (_dir, s, _ana, _mug) = shop();
    let mut h = open_window(s);
    h.run();
    orders_panel(&mut h);
    h.get_by_label("New order").click();
    h.run();
    type_into(&mut h, "Customer", "ana");
    h.key_press(egui::Key::Enter);
    h.run();
    h.run();
    // A line added from the keyboard: the field has it again after.
    assert!(text_input(&h, "Add product").is_focused());
    text_input(&h, "Add product").type_text("mug");
    h.run();
    h.key_press(egui::Key::Enter);
    h.run();
    h.run();
    assert!(text_input(&h, "Add product").is_focused());
    h.key_press(egui::Key::Escape);
    h.run();
    h.run();
    assert!(shows(&h, "Discard your changes?"), "{:?}", texts(&h));
    h.key_press(egui::Key::Escape);
    h.run();
    h.run();
    assert!(!shows(&h, "Discard your changes?"));
    assert!(
        shows(&h, "Total: $12.50"),
        "still open with its line: {:?}",
        texts(&h)
    );
}

/// A shop without products is not warned that their prices will be read
/// anew when "Prices include tax" is ticked: there are none (a tryout read
/// the warning in a new shop).
#[test]
fn a_shop_without_products_is_not_warned_about_their_prices() {
    let (_dir, s) = ready_store();
    let mut h = open_window(s);
    h.run();
    open_tax_settings(&mut h);
    h.run();
    h.get_by_label("Prices include tax").click();
    h.run();
    assert!(
        !texts(&h).iter().any(|t| t.starts_with("Once saved")),
        "{:?}",
        texts(&h)
    );
}

/// A taxed product's "Sold" says it is without tax on the line itself (only
/// its hover said so, and a tryout read it as with tax).
#[test]
fn a_taxed_products_sales_say_they_are_without_tax() {
    let (_dir, mut s, ana, mug) = shop();
    let rate = s
        .write(|tx| store::tax::add_rate(tx, "VAT", shopkeeper::domain::Rate(20_000)))
        .unwrap();
    s.write(|tx| store::tax::set_product_rate(tx, mug, Some(rate)))
        .unwrap();
    let mut two = line(mug, 2, 1250);
    two.tax_rate = shopkeeper::domain::Rate(20_000);
    s.write(|tx| store::orders::place(tx, &order(ana, vec![two]), &Default::default()))
        .unwrap();
    let h = product_detail(s, "Blue mug");
    assert_eq!(beside(&h, "Sold"), "2 units in 1 order, $25.00 without tax");
}

/// The Orders list says when a sale was part refunded, beside its status,
/// with the amount on hover (a tryout read a refunded order as before).
#[test]
fn the_orders_list_says_a_sale_was_part_refunded() {
    let (_dir, mut s, ana, mug) = shop();
    let id = paid_with_one_unit_back(&mut s, ana, line(mug, 2, 1250));
    let kept = s
        .write(|tx| {
            orders::place(
                tx,
                &order(ana, vec![line(mug, 1, 1250)]),
                &Placement::default(),
            )
        })
        .unwrap();
    let mut h = open_window(s);
    h.run();
    h.key_press_modifiers(egui::Modifiers::CTRL, egui::Key::Num3);
    h.run();
    let row = |h: &Window, id: i64| {
        rows_with(h, &format!("#{id:06}"))
            .into_iter()
            .next()
            .unwrap_or_default()
    };
    let refunded = row(&h, id);
    assert_eq!(
        refunded.last().map(String::as_str),
        Some("· refund"),
        "{refunded:?}"
    );
    let plain = row(&h, kept);
    assert_eq!(
        plain.last().map(String::as_str),
        Some("Pending"),
        "{plain:?}"
    );
}

/// From the keyboard: Enter in "Units to refund" refunds, as Enter in the
/// amount does (a keyboard tryout typed 1, pressed Enter, and nothing
/// happened); Escape in the date's calendar closes the calendar, not the
/// dialog with what was chosen in it.
#[test]
fn enter_in_the_units_refunds_and_escape_in_the_calendar_keeps_the_dialog() {
    let (_dir, s, id, mug) = paid_order();
    let mut h = open_window(s);
    open_order(&mut h, id);
    h.get_by_label("Refund…").click();
    h.run();
    clear(&mut h, "MUG-1 Blue mug");
    type_into(&mut h, "MUG-1 Blue mug", "1");
    let title = format!("Refund order {}", orders::order_number(id));
    // The calendar opened and closed again with Escape. (The dialog's date:
    // the Orders toolbar behind it has its unticked From and To greyed out.)
    enabled_calendar(&h).click();
    h.run_steps(2);
    assert!(shows(&h, "Mo"), "the calendar is open: {:?}", texts(&h));
    h.key_press(egui::Key::Escape);
    h.run_steps(2);
    assert!(!shows(&h, "Mo"), "the calendar closed: {:?}", texts(&h));
    assert!(shows(&h, &title), "the dialog stays: {:?}", texts(&h));
    assert!(
        enabled_calendar(&h).accesskit_node().is_focused(),
        "the keyboard stays on the date"
    );
    assert_eq!(
        text_input(&h, "MUG-1 Blue mug").value().as_deref(),
        Some("1")
    );
    // Enter in the units refunds that unit at its default amount.
    text_input(&h, "MUG-1 Blue mug").focus();
    h.run();
    h.key_press(egui::Key::Enter);
    h.run_steps(3);
    assert!(!shows(&h, &title), "{:?}", texts(&h));
    let conn = h.state().store().conn();
    assert_eq!(store::products::get(conn, mug).unwrap().stock, 8);
    let (refunded, paid, _, status) = row_of(
        conn,
        "SELECT refunded, paid, 0, status FROM orders WHERE id = ?1",
        id,
    );
    assert_eq!((refunded, paid, status.as_str()), (1250, 3750, "paid"));
}

/// The Ship dialog offers the carrier of the shop's last shipment (a tryout
/// typed DHL for each order); an order's own carrier comes first.
#[test]
fn ship_offers_the_last_carrier() {
    let (_dir, mut s, ana, mug) = shop();
    let first = place(&mut s, ana, mug, 1, &Placement::default());
    let second = place(&mut s, ana, mug, 1, &Placement::default());
    for id in [first, second] {
        s.write(|tx| orders::mark_paid(tx, id, "Card", "2026-01-05"))
            .unwrap();
    }
    let mut h = open_window(s);
    open_order(&mut h, first);
    h.get_by_label("Ship…").click();
    h.run();
    assert_eq!(text_input(&h, "Carrier").value().as_deref(), Some(""));
    type_into(&mut h, "Carrier", "DHL");
    h.get_by_label("Mark shipped").click();
    h.run();
    open_order(&mut h, second);
    h.get_by_label("Ship…").click();
    h.run();
    assert_eq!(text_input(&h, "Carrier").value().as_deref(), Some("DHL"));
    // Offered, it is chosen whole: a carrier typed (after a click into the
    // field too) replaces it (a tryout shipped with "CorreosCorreos").
    h.run();
    h.event(egui::Event::Text("Correos".into()));
    h.run();
    assert_eq!(
        text_input(&h, "Carrier").value().as_deref(),
        Some("Correos")
    );
    h.key_press(egui::Key::Escape);
    h.run_steps(2);
    h.get_by_label("Ship…").click();
    h.run_steps(2);
    text_input(&h, "Carrier").click();
    h.run();
    h.event(egui::Event::Text("Correos".into()));
    h.run();
    h.get_by_label("Mark shipped").click();
    h.run();
    let d = orders::detail(h.state().store().conn(), second).unwrap();
    assert_eq!(d.carrier.as_deref(), Some("Correos"));
}

/// The order's actions stand in one place whatever facts the order has: an
/// order without an email or reference had Ship… a line higher, and a
/// month-end tryout's click meant for it landed on Invoice….
#[test]
fn the_actions_do_not_move_with_the_facts() {
    let (_dir, mut s, ana, mug) = shop();
    let bo = add_customer(&mut s, "Bo Berg", "");
    let with_everything = Placement {
        external_ref: Some("WEB-1".into()),
        log: false,
        ..Placement::default()
    };
    let first = place(&mut s, ana, mug, 1, &with_everything);
    let second = s
        .write(|tx| {
            orders::place(
                tx,
                &order(bo, vec![line(mug, 1, 1250)]),
                &Placement::default(),
            )
        })
        .unwrap();
    for id in [first, second] {
        s.write(|tx| orders::mark_paid(tx, id, "Card", "2026-01-05"))
            .unwrap();
    }
    let mut h = open_window(s);
    let mut tops = Vec::new();
    for id in [first, second] {
        open_order(&mut h, id);
        h.run();
        tops.push(button(&h, "Ship…").rect().min.y);
    }
    assert_eq!(tops[0], tops[1], "{tops:?}");
}

/// A shipped order's carrier and tracking number are corrected with "Edit
/// shipping…" (a month-end tryout's "CorreosCorreos" could not be), its
/// status kept, and undone as any change is; an order not shipped is refused.
#[test]
fn a_shipped_orders_carrier_and_tracking_are_corrected() {
    let (_dir, mut s, ana, mug) = shop();
    let id = place(&mut s, ana, mug, 1, &Placement::default());
    let waiting = place(&mut s, ana, mug, 1, &Placement::default());
    s.write(|tx| orders::mark_paid(tx, id, "Card", "2026-01-05"))
        .unwrap();
    s.write(|tx| orders::ship(tx, id, Some("CorreosCorreos"), Some("RR123")))
        .unwrap();
    let e = s
        .write(|tx| orders::set_shipping(tx, waiting, Some("DHL"), None))
        .unwrap_err();
    assert!(e.to_string().contains("is pending"), "{e}");
    let mut h = open_window(s);
    open_order(&mut h, id);
    h.get_by_label("Edit shipping…").click();
    h.run_steps(2);
    assert!(shows(
        &h,
        &format!("Shipping of order {}", orders::order_number(id))
    ));
    h.event(egui::Event::Text("Correos".into()));
    h.run();
    h.get_by_role_and_label(Role::Button, "Save").click();
    h.run_steps(2);
    let d = orders::detail(h.state().store().conn(), id).unwrap();
    assert_eq!(
        (
            d.carrier.as_deref(),
            d.tracking.as_deref(),
            d.summary.status
        ),
        (Some("Correos"), Some("RR123"), OrderStatus::Shipped)
    );
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    h.run_steps(3);
    let d = orders::detail(h.state().store().conn(), id).unwrap();
    assert_eq!(d.carrier.as_deref(), Some("CorreosCorreos"));
    assert_checks(h.state().store());
}

/// The refund dialog keeps its fields and its button where they are as
/// units are typed: the line saying what the amount holds (goods, tax)
/// had pushed Note down under the mouse, and the hint going away had moved
/// Refund up.
#[test]
fn the_refund_dialog_stays_still_as_units_are_typed() {
    let (_dir, s, id, _mug) = paid_order();
    let mut h = open_window(s);
    open_order(&mut h, id);
    h.get_by_label("Refund…").click();
    h.run_steps(2);
    let where_now = |h: &Window| {
        (
            text_input(h, "Note").rect().min.y,
            button(h, "Refund").rect().min.y,
        )
    };
    let before = where_now(&h);
    clear(&mut h, "MUG-1 Blue mug");
    type_into(&mut h, "MUG-1 Blue mug", "1");
    h.run_steps(3);
    assert!(
        texts(&h).iter().any(|t| t.starts_with("Goods ")),
        "{:?}",
        texts(&h)
    );
    assert_eq!(where_now(&h), before);
}

/// A product's actions stand under its heading, in one place for every
/// product: Adjust stock… had been a line lower for a product with a
/// refund (its Refunded line), a category or a description, and a
/// Black Friday tryout's click meant for it opened Changes.
#[test]
fn a_products_actions_do_not_move_with_its_facts() {
    let (_dir, mut s, ana, mug) = shop();
    let mut plain = crate::common::product("PEN-1", "Plain pen", "1.00", 10);
    plain.category = None;
    plain.description = None;
    let pen = s
        .write(|tx| shopkeeper::store::products::insert(tx, &plain))
        .unwrap();
    let mut full = crate::common::product("CUP-1", "Full cup", "5.00", 10);
    full.category = Some("Kitchen".into());
    full.description = Some("A cup\nwith two lines".into());
    let cup = s
        .write(|tx| shopkeeper::store::products::insert(tx, &full))
        .unwrap();
    paid_with_one_unit_back(&mut s, ana, line(cup, 2, 500));
    let _ = (mug, pen);
    let mut h = open_window(s);
    h.run();
    h.key_press_modifiers(egui::Modifiers::CTRL, egui::Key::Num2);
    h.run_steps(3);
    let mut tops = Vec::new();
    for name in ["Plain pen", "Full cup"] {
        h.get_by_label(name).click();
        h.run_steps(4);
        tops.push(button(&h, "Adjust stock…").rect().min.y);
    }
    assert!(texts(&h).iter().any(|t| t == "Refunded"), "{:?}", texts(&h));
    assert_eq!(tops[0], tops[1]);
}

/// "Erase personal data…" in a customer's detail asks first, saying what
/// goes and what stays; "Erase" then leaves the order under "Erased
/// customer", the customer out of the list, and a message.
#[test]
fn a_customer_is_erased_from_their_detail_after_a_question() {
    let (_dir, mut s, ana, mug) = shop();
    let id = place(&mut s, ana, mug, 1, &Placement::default());
    // Not while an order is still to send (its address is needed).
    s.write(|tx| orders::set_status(tx, id, OrderStatus::Cancelled))
        .unwrap();
    let mut h = open_window(s);
    h.run();
    h.key_press_modifiers(egui::Modifiers::CTRL, egui::Key::Num1);
    h.run_steps(3);
    h.get_by_label("Ana Lima").click();
    h.run_steps(4);
    h.get_by_label("Their data").click();
    h.run_steps(2);
    h.get_by_label("Erase personal data…").click();
    h.run_steps(2);
    assert!(shows(&h, "Erase personal data?"), "{:?}", texts(&h));
    h.get_by_role_and_label(Role::Button, "Erase").click();
    h.run_steps(4);
    assert!(
        texts(&h)
            .iter()
            .any(|t| t.starts_with("Personal data erased")),
        "{:?}",
        texts(&h)
    );
    assert!(!shows(&h, "Ana Lima"), "{:?}", texts(&h));
    let conn = h.state().store().conn();
    let d = orders::detail(conn, id).unwrap();
    assert_eq!(d.summary.customer_name, store::customers::ERASED);
    assert_checks(h.state().store());
}

/// Shipping a day's orders by keyboard: Down from the find box chooses an
/// order in the list, and Enter there takes the keyboard to its first
/// action (Ship… on a paid order), as Enter does for an order found by
/// its number.
#[test]
fn enter_on_an_order_chosen_with_down_goes_to_its_actions() {
    let (_dir, mut s, ana, mug) = shop();
    for _ in 0..3 {
        let id = place(&mut s, ana, mug, 1, &Placement::default());
        s.write(|tx| orders::mark_paid(tx, id, "Card", "2026-03-02"))
            .unwrap();
    }
    let mut h = open_window(s);
    orders_panel(&mut h);
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::F);
    h.run();
    h.key_press(egui::Key::ArrowDown);
    h.run_steps(3);
    assert!(!button(&h, "Ship…").accesskit_node().is_focused());
    h.key_press(egui::Key::Enter);
    h.run_steps(3);
    assert!(
        button(&h, "Ship…").accesskit_node().is_focused(),
        "{:?}",
        texts(&h)
    );
}

/// The Orders toolbar stays where it is as its filters change: "Today" had
/// moved from x 593 to 619 with "Not yet shipped" chosen, and to 831 once
/// "Yesterday" ticked From and To (a click meant for it opened a calendar).
#[test]
fn the_orders_toolbar_does_not_move_as_its_filters_change() {
    let (_dir, mut s, ana, mug) = shop();
    place(&mut s, ana, mug, 1, &Placement::default());
    let mut h = open_window(s);
    orders_panel(&mut h);
    h.run_steps(2);
    let today_at = |h: &Window| h.get_by_label("Today").rect().min;
    let before = today_at(&h);
    h.get_by_label("Yesterday").click();
    h.run_steps(3);
    assert_eq!(today_at(&h), before, "after Yesterday");
    h.get_by_role(Role::ComboBox).click();
    h.run_steps(2);
    h.get_by_label("Not yet shipped").click();
    h.run_steps(3);
    assert_eq!(today_at(&h), before, "after Not yet shipped");
}

/// The one date button not greyed out (behind a dialog, the Orders
/// toolbar's unticked From and To keep their room, greyed out).
fn enabled_calendar(h: &Window) -> egui_kittest::Node<'_> {
    h.query_all_by_label_contains("📆")
        .find(|b| !b.accesskit_node().is_disabled())
        .expect("a date button")
}
