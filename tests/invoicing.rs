//! Numbers given by the order writes themselves (issue 15 item 2): an order
//! that becomes paid gets its invoice number when the shop asks for it (mark
//! paid, a payment that pays it in full, a move to paid), and a refund of an
//! invoiced order gets its credit note; each in the write's own transaction
//! (a number that cannot be given undoes the payment), consecutive without
//! gaps, also from two connections at once.

use egui_kittest::kittest::Queryable;

use shopkeeper::domain::{Money, OrderStatus};
use shopkeeper::store::orders::{NewPayment, RefundLine, RefundRequest};
use shopkeeper::store::{self, Store, invoices};

use crate::common::{add_customer, add_product, assert_checks, line, order, temp_db};

fn pending(s: &mut Store, customer: i64, product: i64, cents: i64) -> i64 {
    s.write(|tx| {
        store::orders::place(
            tx,
            &order(customer, vec![line(product, 1, cents)]),
            &Default::default(),
        )
    })
    .unwrap()
}

fn when_paid(s: &mut Store, on: bool) {
    let mut identity = invoices::identity(s.conn()).unwrap();
    identity.invoice_when_paid = on;
    s.write(|tx| invoices::save_identity(tx, &identity))
        .unwrap();
}

fn seq(s: &Store, order_id: i64) -> Option<i64> {
    invoices::invoice_of(s.conn(), order_id)
        .unwrap()
        .map(|i| i.seq)
}

fn payment(amount: i64) -> NewPayment {
    NewPayment {
        amount: Money(amount),
        method: "Card".into(),
        date: "2026-03-02".into(),
        note: None,
    }
}

#[test]
fn an_order_gets_its_invoice_number_when_paid_if_the_shop_asks() {
    let (_dir, path) = temp_db();
    let mut s = Store::open(&path).unwrap();
    let c = add_customer(&mut s, "Isla Thomas", "isla@example.com");
    let p = add_product(&mut s, "MUG-1", "Mug", "12.50", 100);
    // Off (the default): paying gives no number.
    let before = pending(&mut s, c, p, 1250);
    s.write(|tx| store::orders::mark_paid(tx, before, "Cash", "2026-03-02"))
        .unwrap();
    assert_eq!(seq(&s, before), None);

    when_paid(&mut s, true);
    assert!(invoices::identity(s.conn()).unwrap().invoice_when_paid);
    // Mark paid.
    let marked = pending(&mut s, c, p, 1250);
    s.write(|tx| store::orders::mark_paid(tx, marked, "Cash", "2026-03-02"))
        .unwrap();
    assert_eq!(seq(&s, marked), Some(1));
    // Two payments: the one that pays it in full gives the number.
    let in_parts = pending(&mut s, c, p, 1250);
    s.write(|tx| store::orders::record_payment(tx, in_parts, &payment(250)))
        .unwrap();
    assert_eq!(seq(&s, in_parts), None, "still 10.00 to pay");
    s.write(|tx| store::orders::record_payment(tx, in_parts, &payment(1000)))
        .unwrap();
    assert_eq!(seq(&s, in_parts), Some(2));
    // A move to paid.
    let moved = pending(&mut s, c, p, 1250);
    s.write(|tx| store::orders::set_status(tx, moved, OrderStatus::Paid))
        .unwrap();
    assert_eq!(seq(&s, moved), Some(3));
    // Shipping it later keeps the number; a pending or cancelled order has none.
    s.write(|tx| store::orders::set_status(tx, moved, OrderStatus::Shipped))
        .unwrap();
    assert_eq!(seq(&s, moved), Some(3));
    let waiting = pending(&mut s, c, p, 1250);
    let cancelled = pending(&mut s, c, p, 1250);
    s.write(|tx| store::orders::set_status(tx, cancelled, OrderStatus::Cancelled))
        .unwrap();
    assert_eq!((seq(&s, waiting), seq(&s, cancelled)), (None, None));
    // The order paid before the setting gets the next one on demand: no gap.
    let issued = s
        .write(|tx| invoices::issue_invoice(tx, before, "2026-03-03"))
        .unwrap();
    assert_eq!(issued.seq, 4);
    assert_eq!(
        invoices::invoice_of(s.conn(), marked)
            .unwrap()
            .unwrap()
            .number,
        "INV-00001"
    );
    // The date is the day it was given (today).
    let today = chrono::Local::now().format("%Y-%m-%d").to_string();
    assert_eq!(
        invoices::invoice_of(s.conn(), marked)
            .unwrap()
            .unwrap()
            .issued_on,
        today
    );
    assert_checks(&s);
}

/// A number that cannot be given fails the whole write: the order stays
/// pending and unpaid.
#[test]
fn a_payment_whose_invoice_number_cannot_be_given_is_not_recorded() {
    let (_dir, path) = temp_db();
    let mut s = Store::open(&path).unwrap();
    let c = add_customer(&mut s, "Isla Thomas", "isla@example.com");
    let p = add_product(&mut s, "MUG-1", "Mug", "12.50", 100);
    when_paid(&mut s, true);
    let id = pending(&mut s, c, p, 1250);
    // A prefix too long for the schema (past the form's checks).
    s.conn()
        .execute(
            "UPDATE settings SET value = ?1 WHERE key = 'invoice_prefix'",
            ["X".repeat(120)],
        )
        .unwrap();
    for attempt in 0..3 {
        let e = match attempt {
            0 => s.write(|tx| store::orders::mark_paid(tx, id, "Cash", "2026-03-02")),
            1 => s
                .write(|tx| store::orders::record_payment(tx, id, &payment(1250)))
                .map(|_| ()),
            _ => s.write(|tx| store::orders::set_status(tx, id, OrderStatus::Paid)),
        }
        .unwrap_err();
        assert!(!e.to_string().is_empty());
        let d = store::orders::detail(s.conn(), id).unwrap();
        assert_eq!(d.summary.status, OrderStatus::Pending, "attempt {attempt}");
        assert!(d.payments.is_empty(), "attempt {attempt}");
        assert_eq!(seq(&s, id), None);
    }
    assert_checks(&s);
}

#[test]
fn two_connections_paying_at_once_get_consecutive_numbers() {
    let (_dir, path) = temp_db();
    let mut s = Store::open(&path).unwrap();
    let c = add_customer(&mut s, "Ana", "ana@example.com");
    let p = add_product(&mut s, "P-1", "Pen", "1.00", 10_000);
    when_paid(&mut s, true);
    let ids: Vec<i64> = (0..40).map(|_| pending(&mut s, c, p, 100)).collect();
    drop(s);
    let barrier = std::sync::Arc::new(std::sync::Barrier::new(2));
    let threads: Vec<_> = [0, 1]
        .into_iter()
        .map(|half| {
            let path = path.clone();
            let barrier = std::sync::Arc::clone(&barrier);
            let mine: Vec<i64> = ids.iter().copied().skip(half).step_by(2).collect();
            std::thread::spawn(move || {
                let mut s = Store::open(&path).unwrap();
                barrier.wait();
                for (i, id) in mine.iter().enumerate() {
                    if i % 2 == 0 {
                        s.write(|tx| store::orders::mark_paid(tx, *id, "Cash", "2026-01-06"))
                            .unwrap();
                    } else {
                        s.write(|tx| store::orders::set_status(tx, *id, OrderStatus::Paid))
                            .unwrap();
                    }
                }
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    let s = Store::open(&path).unwrap();
    let mut seqs: Vec<i64> = ids.iter().filter_map(|id| seq(&s, *id)).collect();
    seqs.sort_unstable();
    assert_eq!(
        seqs,
        (1..=40).collect::<Vec<i64>>(),
        "consecutive, none twice"
    );
}

/// A refund of money on an invoiced order gets its credit note in the same
/// write (its own sequence, naming the invoice); a refund of an order never
/// invoiced gets one only when asked for.
#[test]
fn a_refund_of_an_invoiced_order_gets_its_credit_note() {
    let (_dir, path) = temp_db();
    let mut s = Store::open(&path).unwrap();
    let c = add_customer(&mut s, "Isla Thomas", "isla@example.com");
    let p = add_product(&mut s, "MUG-1", "Mug", "12.50", 100);
    let id = s
        .write(|tx| {
            store::orders::place(tx, &order(c, vec![line(p, 3, 1250)]), &Default::default())
        })
        .unwrap();
    s.write(|tx| store::orders::mark_paid(tx, id, "Card", "2026-03-02"))
        .unwrap();
    let item: i64 = s
        .conn()
        .query_row(
            "SELECT id FROM order_items WHERE order_id = ?1",
            [id],
            |r| r.get(0),
        )
        .unwrap();
    let one = RefundRequest {
        lines: vec![RefundLine {
            order_item_id: item,
            quantity: 1,
            restock: true,
        }],
        method: "Card".into(),
        date: "2026-03-09".into(),
        ..Default::default()
    };
    // Not invoiced: no credit note by itself.
    let uninvoiced = s.write(|tx| store::orders::refund(tx, id, &one)).unwrap();
    assert_eq!(
        invoices::credit_note_of(s.conn(), uninvoiced).unwrap(),
        None
    );
    // Invoiced: the next refund comes with CN-00001 ...
    s.write(|tx| invoices::issue_invoice(tx, id, "2026-03-09"))
        .unwrap();
    let second = s.write(|tx| store::orders::refund(tx, id, &one)).unwrap();
    let note = invoices::credit_note_of(s.conn(), second).unwrap().unwrap();
    assert_eq!((note.number.as_str(), note.seq), ("CN-00001", 1));
    // ... the earlier one gets the next when asked; cancelling gives the rest back with CN-00003.
    let earlier = s
        .write(|tx| invoices::issue_credit_note(tx, uninvoiced, "2026-03-10"))
        .unwrap();
    assert_eq!(earlier.issued.seq, 2);
    s.write(|tx| store::orders::set_status(tx, id, OrderStatus::Cancelled))
        .unwrap();
    let notes = invoices::credit_notes(s.conn(), id).unwrap();
    assert_eq!(
        notes.iter().map(|n| n.issued.seq).collect::<Vec<_>>(),
        [1, 2, 3]
    );
    let rest = store::orders::payments(s.conn(), id)
        .unwrap()
        .into_iter()
        .rfind(|p| p.refund)
        .unwrap();
    assert_eq!(notes[2].payment_id, Some(rest.id));
    assert_eq!(rest.amount, Money(1250));
    assert_checks(&s);
}

/// Settings > Shop identity: the box that turns it on, then "Mark paid" in
/// the window gives the number.
#[test]
fn the_shop_turns_it_on_in_settings() {
    use crate::common::ui::{button, open_window, ready_store};
    let (_dir, s) = ready_store();
    let mut h = open_window(s);
    h.run();
    h.get_by_label("File").click();
    h.run();
    button(&h, "Settings…").click();
    h.run();
    h.get_by_label("Shop identity").click();
    h.run();
    // At the foot of the page's scroll area: reached with the keyboard.
    h.get_by_label("Give an order its invoice number when it is paid")
        .focus();
    h.run();
    h.key_press(egui::Key::Space);
    h.run();
    button(&h, "Save").click();
    h.run();
    let s = Store::open(h.state().store().path()).unwrap();
    assert!(invoices::identity(s.conn()).unwrap().invoice_when_paid);
}

/// An order recorded shipped but part paid (as an import records one) gets
/// no number when recorded, and gets it with the payment that pays the rest.
#[test]
fn a_shipped_order_paid_in_full_later_gets_its_number() {
    let (_dir, path) = temp_db();
    let mut s = Store::open(&path).unwrap();
    let c = add_customer(&mut s, "Isla Thomas", "isla@example.com");
    let p = add_product(&mut s, "MUG-1", "Mug", "12.50", 100);
    when_paid(&mut s, true);
    let how = store::orders::Placement {
        status: OrderStatus::Shipped,
        paid: Some((Money(500), "Card".into())),
        log: false,
        ..Default::default()
    };
    let id = s
        .write(|tx| store::orders::place(tx, &order(c, vec![line(p, 1, 1250)]), &how))
        .unwrap();
    assert_eq!(seq(&s, id), None);
    s.write(|tx| store::orders::record_payment(tx, id, &payment(750)))
        .unwrap();
    assert_eq!(seq(&s, id), Some(1));
    assert_eq!(
        store::orders::detail(s.conn(), id).unwrap().summary.status,
        OrderStatus::Shipped
    );
    assert_checks(&s);
}
