//! One number everywhere (issue 13): what "orders", "spent", "revenue" and
//! "items" count, compared across every place that shows them, on a customer
//! and a product with cancelled and returned orders beside their sales.

use crate::common::ui::*;
use crate::common::*;
use egui_kittest::kittest::Queryable;
use shopkeeper::domain::{Cell, Money, OrderStatus, ReportKind, ReportSpec};
use shopkeeper::store::orders::{self, Placement};
use shopkeeper::store::{self, Store};

fn at(date: &str) -> Placement {
    Placement {
        at: Some((date.into(), "10:00:00".into())),
        log: false,
        ..Default::default()
    }
}

/// Ana: two delivered orders (20.00 and 10.00), one cancelled (10.00), one
/// returned (30.00), one pending (10.00). The mug sold in all of them.
fn shop(s: &mut Store) -> (i64, i64) {
    let ana = add_customer(s, "Ana Lima", "ana@example.com");
    let mug = add_product(s, "MUG-1", "Blue mug", "10.00", 50);
    let steps: [(i64, &str, &[OrderStatus]); 5] = [
        (
            2,
            "2026-01-05",
            &[
                OrderStatus::Paid,
                OrderStatus::Shipped,
                OrderStatus::Delivered,
            ],
        ),
        (1, "2026-01-06", &[OrderStatus::Cancelled]),
        (
            3,
            "2026-01-07",
            &[
                OrderStatus::Paid,
                OrderStatus::Shipped,
                OrderStatus::Delivered,
                OrderStatus::Returned,
            ],
        ),
        (
            1,
            "2026-01-08",
            &[
                OrderStatus::Paid,
                OrderStatus::Shipped,
                OrderStatus::Delivered,
            ],
        ),
        (1, "2026-01-09", &[]),
    ];
    for (qty, date, path) in steps {
        let id = s
            .write(|tx| orders::place(tx, &order(ana, vec![line(mug, qty, 1000)]), &at(date)))
            .unwrap();
        for st in path {
            s.write(|tx| orders::set_status(tx, id, *st)).unwrap();
        }
    }
    (ana, mug)
}

fn spec(kind: ReportKind) -> ReportSpec {
    ReportSpec {
        kind,
        from: Some("2026-01-01".into()),
        to: Some("2026-01-31".into()),
        customer: Some("ana@example.com".into()),
        ..ReportSpec::new(kind)
    }
}

#[test]
fn a_customers_history_totals_its_sales_apart_from_cancelled_and_returned() {
    let (_dir, mut s) = ready_store();
    let (ana, _) = shop(&mut s);
    // Sales: 20 + 10 + 10 (pending counts) = 40.00.
    let c = store::customers::get(s.conn(), ana).unwrap();
    assert_eq!(c.total_spent, Money(4000));
    let top = store::reports::run(s.conn(), &spec(ReportKind::TopCustomers), 100)
        .unwrap()
        .0;
    assert_eq!(top.rows[0][3], Cell::Amount(Money(4000)));
    let history = store::reports::run(s.conn(), &spec(ReportKind::CustomerHistory), 100)
        .unwrap()
        .0;
    assert_eq!(history.rows.len(), 5, "the history lists every order");
    let names: Vec<&str> = history.columns().iter().map(|(n, _)| *n).collect();
    let totals = history.totals().unwrap();
    let at_col = |name: &str| names.iter().position(|n| *n == name).unwrap();
    assert_eq!(totals[at_col("sales")], Cell::Amount(Money(4000)));
    assert_eq!(
        totals[at_col("cancelled_or_returned")],
        Cell::Amount(Money(4000)),
        "10.00 cancelled and 30.00 returned, shown apart"
    );
}

#[test]
fn a_customers_orders_and_spent_agree_everywhere() {
    let (_dir, mut s) = ready_store();
    let (ana, _) = shop(&mut s);
    // Sales: 20 + 10 + 10 (pending counts) = 40.00 in 3 orders.
    let c = store::customers::get(s.conn(), ana).unwrap();
    assert_eq!((c.sale_count, c.total_spent), (3, Money(4000)));
    assert_eq!(c.order_count, 5, "every order, for the orders list");
    let top = store::reports::run(s.conn(), &spec(ReportKind::TopCustomers), 100)
        .unwrap()
        .0;
    assert_eq!(top.rows[0][2..], [Cell::Int(3), Cell::Amount(Money(4000))]);
    let history = store::reports::run(s.conn(), &spec(ReportKind::CustomerHistory), 100)
        .unwrap()
        .0;
    assert_eq!(history.rows.len(), 5, "the history lists every order");
    let names: Vec<&str> = history.columns().iter().map(|(n, _)| *n).collect();
    let totals = history.totals().unwrap();
    let at_col = |name: &str| names.iter().position(|n| *n == name).unwrap();
    assert_eq!(totals[at_col("sales")], Cell::Amount(Money(4000)));
    assert_eq!(
        totals[at_col("cancelled_or_returned")],
        Cell::Amount(Money(4000)),
        "10.00 cancelled and 30.00 returned, shown apart"
    );
    assert!(store::check::run(s.conn()).unwrap().ok());

    // The window: the list and the detail say the same.
    let mut h = open_window(s);
    h.run();
    assert!(
        has_row(&h, &["Ana Lima", "ana@example.com", "3", "$40.00"]),
        "{:?}",
        rows_with(&h, "Ana Lima")
    );
    h.get_by_label("Ana Lima").click();
    h.run();
    assert_eq!(beside(&h, "Orders"), "3");
    assert_eq!(beside(&h, "Total spent"), "$40.00");
}

#[test]
fn a_products_sales_list_shows_each_orders_status_and_its_header_counts_sales() {
    let (_dir, mut s) = ready_store();
    shop(&mut s);
    let mut h = open_window(s);
    h.run();
    h.key_press_modifiers(egui::Modifiers::CTRL, egui::Key::Num2);
    h.run();
    h.get_by_label("Blue mug").click();
    h.run();
    assert_eq!(beside(&h, "Sold"), "4 units in 3 orders, $40.00");
    for (number, status) in [
        ("#000001", "Delivered"),
        ("#000002", "Cancelled"),
        ("#000003", "Returned"),
        ("#000005", "Pending"),
    ] {
        let rows = rows_with(&h, number);
        assert!(
            rows.iter().any(|r| r.iter().any(|t| t == status)),
            "{number} shows {status}: {rows:?}"
        );
    }
}
