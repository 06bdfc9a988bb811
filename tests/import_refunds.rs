//! What an orders file says was paid and refunded, checked as the window
//! checks a payment and a refund: a refund over its units' share gives back
//! the shipping first, a refund of everything makes the order returned, and
//! a payment over the total or a refund over what was paid is refused at
//! its line, writing nothing.

use crate::common::*;
use crate::import::{problems, refused, run, shop_with_tax, write};
use shopkeeper::import::ImportKind;
use shopkeeper::store::Store;

const HEADER: &str = "order_ref,order_date,customer_email,status,sku,quantity,unit_price,shipping,returned,restocked,refunded,refunded_on,paid\n";

/// (status, paid, refunded, balance) of an order.
type OrderMoney = (String, i64, i64, i64);
/// (day, amount, revenue, tax, shipping) of a refund.
type Refund = (String, i64, i64, i64, i64);

/// The one order's money, and its refunds.
fn money(store: &Store) -> (OrderMoney, Vec<Refund>) {
    let order = store
        .conn()
        .query_row(
            "SELECT status, paid, refunded, balance FROM orders",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .unwrap();
    let refunds = store
        .conn()
        .prepare(
            "SELECT paid_on, amount, revenue, tax, shipping FROM payments
             WHERE kind = 'refund' ORDER BY id",
        )
        .unwrap()
        .query_map([], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    (order, refunds)
}

#[test]
fn a_refund_over_its_units_share_gives_back_the_shipping_first() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = shop_with_tax(&dir.path().join("shop.sqlite3"));
    // Two mugs of 10.00 at 20 % and 5.00 of shipping at 20 % (30.00); one mug
    // comes back with the shipping: 12.00 for the mug, 6.00 for the shipping.
    let file = write(
        dir.path(),
        "orders.csv",
        format!("{HEADER}W1,2024-03-05 10:00,ana@example.com,delivered,MUG-1,2,10.00,5.00,1,1,18.00,2024-03-07,\n")
            .as_bytes(),
    );
    run(&mut store, ImportKind::Orders, &file).unwrap();
    assert_checks(&store);
    let (order, refunds) = money(&store);
    assert_eq!(order, ("delivered".into(), 3000, 1800, 0));
    assert_eq!(refunds, [("2024-03-07".into(), 1800, 1000, 300, 500)]);
}

#[test]
fn a_refund_of_every_unit_and_everything_paid_makes_the_order_returned() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = shop_with_tax(&dir.path().join("shop.sqlite3"));
    let file = write(
        dir.path(),
        "orders.csv",
        format!("{HEADER}W1,2024-03-05 10:00,ana@example.com,shipped,MUG-1,2,10.00,5.00,2,2,30.00,2024-03-09,\n")
            .as_bytes(),
    );
    run(&mut store, ImportKind::Orders, &file).unwrap();
    assert_checks(&store);
    let (order, refunds) = money(&store);
    // As a returned order: everything paid given back, on the refund's day.
    assert_eq!(order, ("returned".into(), 3000, 3000, 0));
    assert_eq!(refunds, [("2024-03-09".into(), 3000, 2000, 500, 500)]);
    // So it counts in no sale.
    let sales: i64 = store
        .conn()
        .query_row(
            "SELECT coalesce(sum(orders), 0) FROM order_daily WHERE status <> 'returned'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(sales, 0);
    // Without a refunded amount, every unit back (no shipping) is all of it
    // too, on the order's day when the file gives no refund date.
    let file = write(
        dir.path(),
        "more.csv",
        format!("{HEADER}W2,2024-03-06 11:00,bo@example.com,delivered,TEA-2,1,4.50,,1,1,,,\n")
            .as_bytes(),
    );
    run(&mut store, ImportKind::Orders, &file).unwrap();
    assert_checks(&store);
    let (status, day): (String, String) = store
        .conn()
        .query_row(
            "SELECT o.status, p.paid_on FROM orders o JOIN payments p ON p.order_id = o.id
             WHERE o.external_ref = 'W2' AND p.kind = 'refund'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!((status.as_str(), day.as_str()), ("returned", "2024-03-06"));
}

#[test]
fn a_payment_over_the_total_or_a_refund_over_what_was_paid_is_refused_at_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = shop_with_tax(&dir.path().join("shop.sqlite3"));
    // W1's total is 12.00: paid 50.00 is too much. W2 paid its total by its
    // status (12.00): a refund of 50.00 is more. Both in date order (the
    // early writing) and a dry run name them.
    let file = write(
        dir.path(),
        "orders.csv",
        format!(
            "{HEADER}W1,2024-03-05 10:00,ana@example.com,pending,MUG-1,1,10.00,,,,,,50.00\n\
             W2,2024-03-06 10:00,ana@example.com,delivered,MUG-1,1,10.00,,,,50.00,2024-03-07,\n"
        )
        .as_bytes(),
    );
    let err = refused(&mut store, ImportKind::Orders, &file);
    let p = problems(&err);
    let found: Vec<(u64, &str)> = p.iter().map(|(l, c, _)| (*l, c.as_str())).collect();
    assert_eq!(found, [(2, "paid"), (3, "refunded")], "{p:?}");
    assert!(p[0].2.contains("more than the order's total"), "{p:?}");
    assert!(p[1].2.contains("more than was paid"), "{p:?}");
    assert!(
        err.to_string().contains("2 problems were found") && err.to_string().contains("Fix them"),
        "{err}"
    );
    // One problem: "Fix it".
    let one = write(
        dir.path(),
        "one.csv",
        format!("{HEADER}W1,2024-03-05 10:00,ana@example.com,pending,MUG-1,1,10.00,,,,,,50.00\n")
            .as_bytes(),
    );
    let err = refused(&mut store, ImportKind::Orders, &one);
    assert!(err.to_string().contains("Fix it and"), "{err}");
}

#[test]
fn refunds_that_do_not_fit_their_order_are_refused_in_a_file_in_date_order_too() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = shop_with_tax(&dir.path().join("shop.sqlite3"));
    // Each file is one good order then one bad, in date order: the orders
    // are written early, as they are read, and the bad one must undo them
    // (it used to be written, its refund changed, while a dry run refused it).
    let good = "W1,2024-03-04 10:00,ana@example.com,delivered,MUG-1,1,10.00,,,,,,\n";
    for (row, column, says) in [
        (
            "W2,2024-03-05 10:00,ana@example.com,pending,MUG-1,1,10.00,,,,5.00,2024-03-06,",
            "refunded",
            "a pending order has nothing to refund",
        ),
        (
            "W2,2024-03-05 10:00,ana@example.com,delivered,MUG-1,2,10.00,,1,,5.00,2024-03-01,",
            "refunded_on",
            "before the order's date",
        ),
        (
            "W2,2024-03-05 10:00,ana@example.com,delivered,MUG-1,2,10.00,,1,2,,,",
            "restocked",
            "more than the units returned",
        ),
        (
            "W2,2024-03-05 10:00,ana@example.com,delivered,MUG-1,2,10.00,,2,1,,,",
            "restocked",
            "write 2 or 0",
        ),
        (
            "W2,2024-03-05 10:00,ana@example.com,delivered,MUG-1,2,10.00,,1,1,12.00,2099-01-01,",
            "refunded_on",
            "in the future",
        ),
        // A cancelled order gave back all it was paid (12.00), not 5.00.
        (
            "W2,2024-03-05 10:00,ana@example.com,cancelled,MUG-1,1,10.00,,,,5.00,2024-03-06,12.00",
            "refunded",
            "gave back everything paid, $12.00",
        ),
        (
            "W2,2024-03-05 10:00,ana@example.com,cancelled,MUG-1,1,10.00,,,,12.00,2024-03-01,12.00",
            "refunded_on",
            "before the order's date",
        ),
        // The day of a refund that is not there.
        (
            "W2,2024-03-05 10:00,ana@example.com,delivered,MUG-1,1,10.00,,,,,2024-03-06,",
            "refunded_on",
            "no refunded amount",
        ),
    ] {
        let file = write(
            dir.path(),
            "orders.csv",
            format!("{HEADER}{good}{row}\n").as_bytes(),
        );
        let err = refused(&mut store, ImportKind::Orders, &file);
        let p = problems(&err);
        assert_eq!(p.len(), 1, "{row}: {p:?}");
        assert_eq!((p[0].0, p[0].1.as_str()), (3, column), "{row}: {p:?}");
        assert!(p[0].2.contains(says), "{row}: {p:?}");
        let orders: i64 = store
            .conn()
            .query_row("SELECT count(*) FROM orders", [], |r| r.get(0))
            .unwrap();
        assert_eq!(orders, 0, "{row}: nothing is written");
    }
}

#[test]
fn a_customer_that_differs_between_lines_names_the_column_it_came_from() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = shop_with_tax(&dir.path().join("shop.sqlite3"));
    let file = write(
        dir.path(),
        "orders.csv",
        b"order_number,order_date,customer_number,status,sku,quantity,unit_price\n\
          7,2024-03-05,1,delivered,MUG-1,1,10.00\n\
          7,2024-03-05,2,delivered,TEA-2,1,4.50\n",
    );
    let p = problems(&refused(&mut store, ImportKind::Orders, &file));
    assert_eq!(
        p.iter()
            .map(|(l, c, _)| (*l, c.as_str()))
            .collect::<Vec<_>>(),
        [(3, "customer_number")],
        "{p:?}"
    );
}

#[test]
fn the_window_splits_a_refund_over_its_units_share_the_same_way() {
    use shopkeeper::domain::Money;
    use shopkeeper::store::orders::{self, RefundLine, RefundRequest};
    let dir = tempfile::tempdir().unwrap();
    let mut store = shop_with_tax(&dir.path().join("shop.sqlite3"));
    let file = write(
        dir.path(),
        "orders.csv",
        format!("{HEADER}W1,2024-03-05 10:00,ana@example.com,delivered,MUG-1,2,10.00,5.00,,,,,\n")
            .as_bytes(),
    );
    run(&mut store, ImportKind::Orders, &file).unwrap();
    let (order, item): (i64, i64) = store
        .conn()
        .query_row("SELECT order_id, id FROM order_items", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    // One mug back, the shipping not ticked, 18.00 typed.
    let req = RefundRequest {
        lines: vec![RefundLine {
            order_item_id: item,
            quantity: 1,
            restock: true,
        }],
        shipping: false,
        amount: Some(Money(1800)),
        method: "Card".into(),
        date: "2024-03-07".into(),
        ..Default::default()
    };
    store.write(|tx| orders::refund(tx, order, &req)).unwrap();
    assert_checks(&store);
    let (_, refunds) = money(&store);
    assert_eq!(refunds, [("2024-03-07".into(), 1800, 1000, 300, 500)]);
}

#[test]
fn an_amount_refunded_with_no_units_is_split_like_the_goods_in_a_file_and_in_the_window() {
    use shopkeeper::domain::Money;
    use shopkeeper::store::orders::{self, RefundRequest};
    let dir = tempfile::tempdir().unwrap();
    let mut store = shop_with_tax(&dir.path().join("shop.sqlite3"));
    // Ten mugs of 10.00 at 20 % (100.00 + 20.00) and 5.00 of shipping at
    // 20 %; 60.00 given back with no units: 50.00 of revenue, 10.00 of tax
    // (it was 60.00 of revenue and no tax). W2, the same order, gets its
    // 60.00 back in the window.
    let file = write(
        dir.path(),
        "orders.csv",
        format!(
            "{HEADER}W1,2024-03-05 10:00,ana@example.com,delivered,MUG-1,10,10.00,5.00,,,60.00,2024-03-07,\n\
             W2,2024-03-05 11:00,ana@example.com,delivered,MUG-1,10,10.00,5.00,,,,,\n"
        )
        .as_bytes(),
    );
    run(&mut store, ImportKind::Orders, &file).unwrap();
    let w2: i64 = store
        .conn()
        .query_row("SELECT id FROM orders WHERE external_ref = 'W2'", [], |r| {
            r.get(0)
        })
        .unwrap();
    let req = RefundRequest {
        amount: Some(Money(6000)),
        method: "Card".into(),
        date: "2024-03-07".into(),
        ..Default::default()
    };
    store.write(|tx| orders::refund(tx, w2, &req)).unwrap();
    assert_checks(&store);
    let refunds: Vec<(i64, i64, i64, i64)> = store
        .conn()
        .prepare("SELECT amount, revenue, tax, shipping FROM payments WHERE kind = 'refund' ORDER BY order_id")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(refunds, [(6000, 5000, 1000, 0), (6000, 5000, 1000, 0)]);
}

#[test]
fn a_row_refused_for_its_own_problem_brings_no_second_problem_about_its_order() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = shop_with_tax(&dir.path().join("shop.sqlite3"));
    // Two mugs of 10.00 at 20 % and 5.00 of shipping: 30.00, all paid. The
    // second row's shipping differs: that is the one problem. Without that
    // row the order would come to 18.00, and the 30.00 paid was reported
    // as more than its total too.
    let file = write(
        dir.path(),
        "orders.csv",
        format!(
            "{HEADER}W1,2024-03-05 10:00,ana@example.com,delivered,MUG-1,1,10.00,5.00,,,,,30.00\n\
             W1,2024-03-05 10:00,ana@example.com,delivered,MUG-1,1,10.00,6.00,,,,,\n"
        )
        .as_bytes(),
    );
    let err = refused(&mut store, ImportKind::Orders, &file);
    let p = problems(&err);
    assert_eq!(p.len(), 1, "{p:?}");
    assert_eq!((p[0].0, p[0].1.as_str()), (3, "shipping"), "{p:?}");
}

#[test]
fn a_refund_without_its_day_is_dated_its_orders_day_and_the_import_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = shop_with_tax(&dir.path().join("shop.sqlite3"));
    let file = write(
        dir.path(),
        "orders.csv",
        format!(
            "{HEADER}W1,2024-03-05 10:00,ana@example.com,delivered,MUG-1,2,10.00,,1,1,,,\n\
             W2,2024-03-06 10:00,ana@example.com,delivered,MUG-1,1,10.00,,,,5.00,2024-03-08,\n"
        )
        .as_bytes(),
    );
    let summary = run(&mut store, ImportKind::Orders, &file).unwrap();
    // W1's unit back has no day: it is the order's (it was, without a word).
    assert!(
        summary
            .message()
            .contains("1 refund had no refunded_on; it is dated its order's day."),
        "{}",
        summary.message()
    );
    let (_, refunds) = money(&store);
    assert_eq!(refunds[0].0, "2024-03-05");
    assert_checks(&store);
}

/// An imported order has no status history (the file says only where it
/// ended up); moving it on in the window starts its history from that
/// status, and `check` takes such a history as whole.
#[test]
fn an_imported_order_moved_on_in_the_window_passes_the_checks() {
    use shopkeeper::domain::OrderStatus;
    use shopkeeper::store::orders;
    let dir = tempfile::tempdir().unwrap();
    let mut store = shop_with_tax(&dir.path().join("shop.sqlite3"));
    let file = write(
        dir.path(),
        "orders.csv",
        format!(
            "{HEADER}W1,2024-03-05 10:00,ana@example.com,pending,MUG-1,1,10.00,,,,,,\n\
             W2,2024-03-06 10:00,ana@example.com,shipped,MUG-1,1,10.00,,,,,,\n\
             W3,2024-03-07 10:00,ana@example.com,paid,MUG-1,1,10.00,,,,,,\n"
        )
        .as_bytes(),
    );
    run(&mut store, ImportKind::Orders, &file).unwrap();
    assert_checks(&store);
    let id = |store: &Store, r: &str| -> i64 {
        store
            .conn()
            .query_row("SELECT id FROM orders WHERE external_ref = ?1", [r], |r| {
                r.get(0)
            })
            .unwrap()
    };
    let (w1, w2, w3) = (id(&store, "W1"), id(&store, "W2"), id(&store, "W3"));
    store
        .write(|tx| orders::mark_paid(tx, w1, "Card", "2024-03-08"))
        .unwrap();
    store
        .write(|tx| orders::set_status(tx, w2, OrderStatus::Cancelled))
        .unwrap();
    store
        .write(|tx| orders::set_status(tx, w3, OrderStatus::Shipped))
        .unwrap();
    store
        .write(|tx| orders::set_status(tx, w3, OrderStatus::Delivered))
        .unwrap();
    assert_checks(&store);
}
