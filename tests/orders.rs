//! Orders on real SQLite files: placing, the status workflow, stock that
//! follows every step, edits of pending orders, and the lists.

use crate::common::*;
use shopkeeper::domain::{Money, OrderStatus};
use shopkeeper::store::orders::{self, OrderQuery, Placement};
use shopkeeper::store::{self, Store, StoreError};

fn stock(s: &Store, id: i64) -> i64 {
    store::products::get(s.conn(), id).unwrap().stock
}

struct Shop {
    _dir: tempfile::TempDir,
    s: Store,
    ana: i64,
    mug: i64,
    tea: i64,
}

fn shop() -> Shop {
    let (dir, path) = temp_db();
    let mut s = Store::open(&path).unwrap();
    let ana = add_customer(&mut s, "Ana Lima", "ana@example.com");
    let mug = add_product(&mut s, "MUG-1", "Blue mug", "12.50", 10);
    let tea = add_product(&mut s, "TEA-1", "Green tea", "4.99", 3);
    Shop {
        _dir: dir,
        s,
        ana,
        mug,
        tea,
    }
}

#[test]
fn placing_an_order_writes_lines_movements_and_history_together() {
    let Shop {
        mut s,
        ana,
        mug,
        tea,
        ..
    } = shop();
    let o = order(ana, vec![line(mug, 2, 1250), line(tea, 3, 499)]);
    let id = s
        .write(|tx| orders::place(tx, &o, &Placement::default()))
        .unwrap();
    assert_eq!(orders::order_number(id), format!("#{id:06}"));
    assert_eq!((stock(&s, mug), stock(&s, tea)), (8, 0));
    let d = orders::detail(s.conn(), id).unwrap();
    assert_eq!(d.summary.status, OrderStatus::Pending);
    assert_eq!(d.summary.total, Money(2 * 1250 + 3 * 499));
    assert_eq!(d.summary.item_count, 5);
    assert_eq!(d.lines.len(), 2);
    assert_eq!(d.movements.len(), 2);
    assert_eq!(d.history.len(), 1);
    let c = store::customers::get(s.conn(), ana).unwrap();
    assert_eq!((c.order_count, c.total_spent), (1, Money(3997)));
    assert!(c.first_order_date.is_some());
    assert_checks(&s);
}

#[test]
fn an_order_asking_for_more_than_the_stock_writes_nothing_and_says_what_is_short() {
    let Shop {
        mut s,
        ana,
        mug,
        tea,
        ..
    } = shop();
    let before = dump(&s);
    let o = order(ana, vec![line(mug, 1, 1250), line(tea, 4, 499)]);
    let err = s
        .write(|tx| orders::place(tx, &o, &Placement::default()))
        .unwrap_err();
    let msg = err.to_string();
    assert!(msg.contains("Green tea") && msg.contains("only 3"), "{msg}");
    assert_eq!(before, dump(&s));
    // Two lines of one product add up.
    let o = order(ana, vec![line(tea, 2, 499), line(tea, 2, 499)]);
    assert!(
        s.write(|tx| orders::place(tx, &o, &Placement::default()))
            .is_err()
    );
    assert_eq!(before, dump(&s));
}

#[test]
fn the_workflow_allows_only_its_moves_and_restocks_on_cancel_and_return() {
    let Shop {
        mut s, ana, mug, ..
    } = shop();
    let o = order(ana, vec![line(mug, 4, 1250)]);
    let a = s
        .write(|tx| orders::place(tx, &o, &Placement::default()))
        .unwrap();
    let b = s
        .write(|tx| orders::place(tx, &o, &Placement::default()))
        .unwrap();
    assert_eq!(stock(&s, mug), 2);

    // Pending cannot jump to delivered; nothing changes.
    let before = dump(&s);
    let err = s
        .write(|tx| orders::set_status(tx, a, OrderStatus::Delivered))
        .unwrap_err();
    assert!(matches!(err, StoreError::Refused(_)));
    assert!(err.to_string().contains("Paid or Cancelled"), "{err}");
    assert_eq!(before, dump(&s));

    for st in [
        OrderStatus::Paid,
        OrderStatus::Shipped,
        OrderStatus::Delivered,
    ] {
        s.write(|tx| orders::set_status(tx, a, st)).unwrap();
    }
    // Shipped or delivered orders cannot be cancelled.
    assert!(
        s.write(|tx| orders::set_status(tx, a, OrderStatus::Cancelled))
            .is_err()
    );
    s.write(|tx| orders::set_status(tx, a, OrderStatus::Returned))
        .unwrap();
    assert_eq!(stock(&s, mug), 6, "the return put 4 back");
    // Returned is final.
    assert!(
        s.write(|tx| orders::set_status(tx, a, OrderStatus::Delivered))
            .is_err()
    );

    s.write(|tx| orders::set_status(tx, b, OrderStatus::Paid))
        .unwrap();
    s.write(|tx| orders::set_status(tx, b, OrderStatus::Cancelled))
        .unwrap();
    assert_eq!(stock(&s, mug), 10, "the cancel put 4 back");
    assert!(
        s.write(|tx| orders::set_status(tx, b, OrderStatus::Cancelled))
            .is_err(),
        "only once"
    );
    assert_eq!(stock(&s, mug), 10);

    let d = orders::detail(s.conn(), a).unwrap();
    let path: Vec<OrderStatus> = d.history.iter().map(|h| h.to).collect();
    assert_eq!(
        path,
        [
            OrderStatus::Pending,
            OrderStatus::Paid,
            OrderStatus::Shipped,
            OrderStatus::Delivered,
            OrderStatus::Returned
        ]
    );
    let c = store::customers::get(s.conn(), ana).unwrap();
    assert_eq!(
        (c.order_count, c.total_spent),
        (2, Money(0)),
        "neither counts as a sale"
    );
    assert_checks(&s);
}

#[test]
fn a_pending_order_can_be_edited_and_stock_follows_the_difference() {
    let Shop {
        mut s,
        ana,
        mug,
        tea,
        ..
    } = shop();
    let o = order(ana, vec![line(mug, 2, 1250)]);
    let id = s
        .write(|tx| orders::place(tx, &o, &Placement::default()))
        .unwrap();
    s.write(|tx| {
        orders::edit_lines(
            tx,
            id,
            &[line(mug, 5, 1200), line(tea, 1, 499)],
            Some("gift"),
        )
    })
    .unwrap();
    assert_eq!((stock(&s, mug), stock(&s, tea)), (5, 2));
    let d = orders::detail(s.conn(), id).unwrap();
    assert_eq!(d.summary.total, Money(5 * 1200 + 499));
    assert_eq!(d.note.as_deref(), Some("gift"));
    // Taking more than there is is refused; nothing changes.
    let before = dump(&s);
    assert!(
        s.write(|tx| orders::edit_lines(tx, id, &[line(mug, 11, 1200)], None))
            .is_err()
    );
    assert_eq!(before, dump(&s));
    s.write(|tx| orders::edit_lines(tx, id, &[line(mug, 1, 1200)], None))
        .unwrap();
    assert_eq!((stock(&s, mug), stock(&s, tea)), (9, 3));
    // Once paid, lines are fixed.
    s.write(|tx| orders::set_status(tx, id, OrderStatus::Paid))
        .unwrap();
    assert!(
        s.write(|tx| orders::edit_lines(tx, id, &[line(mug, 2, 1200)], None))
            .is_err()
    );
    assert_checks(&s);
}

#[test]
fn a_price_change_never_changes_an_existing_order() {
    let Shop {
        mut s, ana, mug, ..
    } = shop();
    let o = order(ana, vec![line(mug, 2, 1250)]);
    let id = s
        .write(|tx| orders::place(tx, &o, &Placement::default()))
        .unwrap();
    let mut p = product("MUG-1", "Blue mug", "99.00", 0);
    p.reorder_level = 2;
    s.write(|tx| store::products::update(tx, mug, &p)).unwrap();
    let d = orders::detail(s.conn(), id).unwrap();
    assert_eq!(d.lines[0].unit_price, Money(1250));
    assert_eq!(d.summary.total, Money(2500));
}

#[test]
fn the_order_list_filters_counts_and_pages_from_either_end() {
    let Shop {
        mut s, ana, mug, ..
    } = shop();
    let bea = add_customer(&mut s, "Bea Souza", "bea@example.com");
    s.write(|tx| {
        shopkeeper::store::stock::adjust(
            tx,
            mug,
            500,
            shopkeeper::domain::MovementReason::Received,
            None,
        )
    })
    .unwrap();
    let mut ids = Vec::new();
    for i in 0..30 {
        let who = if i % 3 == 0 { bea } else { ana };
        let how = Placement {
            at: Some((format!("2026-01-{:02}", i + 1), "10:00:00".into())),
            log: false,
            ..Default::default()
        };
        let o = order(who, vec![line(mug, 1, 100 + i)]);
        ids.push(s.write(|tx| orders::place(tx, &o, &how)).unwrap());
    }
    for id in &ids[..5] {
        s.write(|tx| orders::set_status(tx, *id, OrderStatus::Cancelled))
            .unwrap();
    }
    let all = OrderQuery::default();
    let total = orders::count(s.conn(), &all).unwrap();
    assert_eq!(total, 30);
    // Newest first, and pages read from the far end match.
    let first = orders::page(s.conn(), &all, 0, 30, total).unwrap();
    assert_eq!(first[0].order_date, "2026-01-30");
    for offset in [0, 7, 14, 16, 25, 29] {
        let p = orders::page(s.conn(), &all, offset, 4, total).unwrap();
        let expect: Vec<i64> = first[offset..(offset + 4).min(30)]
            .iter()
            .map(|o| o.id)
            .collect();
        assert_eq!(
            p.iter().map(|o| o.id).collect::<Vec<_>>(),
            expect,
            "offset {offset}"
        );
    }
    let cancelled = OrderQuery {
        status: Some(OrderStatus::Cancelled),
        ..Default::default()
    };
    assert_eq!(orders::count(s.conn(), &cancelled).unwrap(), 5);
    // Not yet shipped: pending or paid, counted by the daily summary and by
    // the orders alike, and paged through the summary.
    for id in &ids[5..8] {
        s.write(|tx| orders::set_status(tx, *id, OrderStatus::Paid))
            .unwrap();
    }
    for id in &ids[8..10] {
        s.write(|tx| orders::set_status(tx, *id, OrderStatus::Paid))
            .unwrap();
        s.write(|tx| orders::ship(tx, *id, None, None)).unwrap();
    }
    let open = OrderQuery {
        not_shipped: true,
        ..Default::default()
    };
    assert_eq!(orders::count(s.conn(), &open).unwrap(), 23);
    let listed = orders::page(s.conn(), &open, 0, 100, 23).unwrap();
    assert_eq!(listed.len(), 23);
    assert!(
        listed
            .iter()
            .all(|o| matches!(o.status, OrderStatus::Pending | OrderStatus::Paid))
    );
    let deep = orders::page(s.conn(), &open, 20, 4, 23).unwrap();
    assert_eq!(
        deep.iter().map(|o| o.id).collect::<Vec<_>>(),
        listed[20..].iter().map(|o| o.id).collect::<Vec<_>>()
    );
    let open_of_souza = OrderQuery {
        not_shipped: true,
        customer_search: "souza".into(),
        ..Default::default()
    };
    let of_souza = orders::page(s.conn(), &open_of_souza, 0, 100, 30).unwrap();
    assert_eq!(
        orders::count(s.conn(), &open_of_souza).unwrap(),
        of_souza.len()
    );
    assert!(
        of_souza
            .iter()
            .all(|o| o.customer_id == bea && o.status != OrderStatus::Shipped)
    );
    let range = OrderQuery {
        from: Some("2026-01-10".into()),
        to: Some("2026-01-19".into()),
        ..Default::default()
    };
    assert_eq!(orders::count(s.conn(), &range).unwrap(), 10);
    let by_customer = OrderQuery {
        customer_search: "souza".into(),
        ..Default::default()
    };
    assert_eq!(orders::count(s.conn(), &by_customer).unwrap(), 10);
    let n = orders::page(s.conn(), &by_customer, 0, 100, 10).unwrap();
    assert!(n.iter().all(|o| o.customer_id == bea));
    assert_eq!(
        orders::customer_orders(s.conn(), bea, 0, 100)
            .unwrap()
            .len(),
        10
    );
    assert_checks(&s);
}

/// Issue 17 item 9: the demo's last day is as busy as the hours that have
/// passed (not a whole day's orders squeezed before "now"), and its newest
/// orders are on their way while the old ones were delivered.
#[test]
fn the_demo_shop_is_believable_to_its_last_day() {
    let size = shopkeeper::demo::DemoSize {
        customers: 300,
        products: 40,
        orders: 40_000,
        seed: 3,
    };
    let day = |s: &Store, sql: &str| -> i64 { s.conn().query_row(sql, [], |r| r.get(0)).unwrap() };
    for (now, share) in [("00:20:00", 0.0..0.03), ("14:00:00", 0.3..0.75)] {
        let (_d, path) = temp_db();
        let mut s = Store::open(&path).unwrap();
        let now = chrono::NaiveDateTime::parse_from_str(
            &format!("2026-03-11 {now}"),
            "%Y-%m-%d %H:%M:%S",
        )
        .unwrap();
        shopkeeper::demo::fill_until(&mut s, size, now, |_, _| true).unwrap();
        assert_checks(&s);
        assert_eq!(store::settings::counts(s.conn()).unwrap().orders, 40_000);
        let today = day(
            &s,
            "SELECT count(*) FROM orders WHERE order_date = '2026-03-11'",
        );
        let week = day(
            &s,
            "SELECT count(*) FROM orders WHERE order_date BETWEEN '2026-03-04' AND '2026-03-10'",
        );
        let ratio = today as f64 / (week as f64 / 7.0);
        assert!(
            share.contains(&ratio),
            "at {now}: {today} today, {week} in the week before"
        );
        let late = day(
            &s,
            &format!("SELECT count(*) FROM orders WHERE order_date || ' ' || order_time > '{now}'"),
        );
        assert_eq!(late, 0, "no order after now");
        if today > 0 {
            let first = day(
                &s,
                "SELECT min(order_time) < '12:00:00' FROM orders WHERE order_date = '2026-03-11'",
            );
            assert_eq!(first, 1, "today's orders spread over the morning too");
        }
        // The last two days: some pending, paid and shipped; nothing older
        // than a month still pending, and most old orders delivered.
        let recent = |status: &str| {
            day(
                &s,
                &format!(
                    "SELECT count(*) FROM orders WHERE order_date >= '2026-03-09' AND status = '{status}'"
                ),
            )
        };
        for status in ["pending", "paid", "shipped"] {
            assert!(
                recent(status) > 0,
                "at {now}: no {status} order in the last days"
            );
        }
        let old_pending = day(
            &s,
            "SELECT count(*) FROM orders WHERE order_date < '2026-02-01' AND status IN ('pending', 'paid', 'shipped')",
        );
        assert_eq!(old_pending, 0);
        let delivered = day(
            &s,
            "SELECT avg(status = 'delivered') > 0.85 FROM orders WHERE order_date < '2026-02-01'",
        );
        assert_eq!(delivered, 1);
    }
}

#[test]
fn demo_orders_are_consistent_and_reproducible() {
    let (_d, a) = temp_db();
    let b = a.with_file_name("b.sqlite3");
    let size = shopkeeper::demo::DemoSize {
        customers: 200,
        products: 40,
        orders: 3000,
        seed: 5,
    };
    for p in [&a, &b] {
        let mut s = Store::open(p).unwrap();
        shopkeeper::demo::fill(&mut s, size, |_, _| true).unwrap();
        assert_checks(&s);
        assert_eq!(store::settings::counts(s.conn()).unwrap().orders, 3000);
    }
    let sa = Store::open(&a).unwrap();
    let sb = Store::open(&b).unwrap();
    // Deep pages (found through the daily summary) match a plain walk of the list.
    for q in [
        OrderQuery::default(),
        OrderQuery {
            direction: shopkeeper::store::Direction::Ascending,
            ..Default::default()
        },
        OrderQuery {
            status: Some(OrderStatus::Delivered),
            from: Some("2024-06-01".into()),
            ..Default::default()
        },
    ] {
        let total = orders::count(sa.conn(), &q).unwrap();
        let all: Vec<i64> = orders::page(sa.conn(), &q, 0, total, total)
            .unwrap()
            .iter()
            .map(|o| o.id)
            .collect();
        assert_eq!(all.len(), total);
        for offset in [1001, 1500, total / 2, total.saturating_sub(50)] {
            let page: Vec<i64> = orders::page(sa.conn(), &q, offset, 100, total)
                .unwrap()
                .iter()
                .map(|o| o.id)
                .collect();
            assert_eq!(
                page,
                all[offset..(offset + 100).min(total)],
                "{q:?} at {offset}"
            );
        }
    }
    // A customer's count comes from their row; it matches their orders.
    let q = OrderQuery {
        customer_search: "a".into(),
        ..Default::default()
    };
    let n = orders::count(sa.conn(), &q).unwrap();
    assert_eq!(orders::page(sa.conn(), &q, 0, 10_000, n).unwrap().len(), n);
    let sum = |s: &Store| -> (i64, i64) {
        s.conn()
            .query_row(
                "SELECT sum(total), sum(length(status)) FROM orders",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap()
    };
    assert_eq!(sum(&sa), sum(&sb));
    // Every status shows up, with most orders delivered.
    let delivered: i64 = sa
        .conn()
        .query_row(
            "SELECT count(*) FROM orders WHERE status = 'delivered'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(delivered > 2500, "{delivered}");
    for st in ["cancelled", "returned"] {
        let n: i64 = sa
            .conn()
            .query_row("SELECT count(*) FROM orders WHERE status = ?1", [st], |r| {
                r.get(0)
            })
            .unwrap();
        assert!(n > 0, "{st}");
    }
}

#[test]
fn payment_methods_are_set_in_order_without_blanks_or_repeats_and_never_emptied() {
    let (_dir, path) = temp_db();
    let mut s = Store::open(&path).unwrap();
    assert_eq!(
        orders::methods(s.conn()).unwrap(),
        ["Cash", "Card", "Bank transfer", "PayPal", "Other"]
    );
    let list: Vec<String> = [" Stripe ", "", "cash", "Cash", "stripe"]
        .map(str::to_owned)
        .to_vec();
    s.write(|tx| orders::set_methods(tx, &list)).unwrap();
    assert_eq!(orders::methods(s.conn()).unwrap(), ["Stripe", "cash"]);
    let refused = s.write(|tx| orders::set_methods(tx, &[" ".to_owned()]));
    assert!(
        refused
            .unwrap_err()
            .to_string()
            .contains("at least one payment method")
    );
    let refused = s.write(|tx| orders::set_methods(tx, &["Card\u{1b}".to_owned()]));
    assert!(refused.is_err());
    assert_eq!(orders::methods(s.conn()).unwrap(), ["Stripe", "cash"]);
}

#[test]
fn demo_orders_carry_discounts_shipping_tax_payments_and_refunds() {
    let (_d, path) = temp_db();
    let mut s = Store::open(&path).unwrap();
    let size = shopkeeper::demo::DemoSize {
        customers: 200,
        products: 60,
        orders: 3000,
        seed: 11,
    };
    shopkeeper::demo::fill_new(&mut s, size, |_, _| true).unwrap();
    assert_checks(&s);
    let rates: Vec<String> = store::tax::rates(s.conn())
        .unwrap()
        .iter()
        .map(|r| r.label())
        .collect();
    assert_eq!(rates, ["Reduced (5.5%)", "VAT (20%)"]);
    let share = |sql: &str| -> f64 {
        s.conn()
            .query_row(
                &format!("SELECT avg(CASE WHEN {sql} THEN 1.0 ELSE 0.0 END) FROM orders"),
                [],
                |r| r.get(0),
            )
            .unwrap()
    };
    let discounted = share("discounts > 0");
    assert!((0.10..0.20).contains(&discounted), "{discounted}");
    assert!(share("discount_code IS NOT NULL") > 0.03);
    assert!(share("order_discount = 0 AND discounts > 0") > 0.02);
    let shipping = share("shipping > 0");
    assert!((0.55..0.85).contains(&shipping), "{shipping}");
    assert!(share("shipping_tax > 0") > 0.5);
    assert!(share("tax > 0") > 0.95);
    assert!(share("cost > 0") > 0.95);
    let returned = share("status = 'returned'");
    assert!((0.005..0.05).contains(&returned), "{returned}");
    // Some units of some delivered orders came back, into stock or written off.
    let partly = share("status = 'delivered' AND refunded > 0");
    assert!((0.005..0.05).contains(&partly), "{partly}");
    let count = |sql: &str| -> i64 { s.conn().query_row(sql, [], |r| r.get(0)).unwrap() };
    assert!(count("SELECT count(*) FROM stock_movements WHERE reason = 'damaged'") > 0);
    assert!(
        count(
            "SELECT count(*) FROM refund_items r JOIN order_items i ON i.id = r.order_item_id
             JOIN orders o ON o.id = i.order_id WHERE o.status = 'delivered' AND r.restocked"
        ) > 0
    );
    assert!(
        count("SELECT count(*) FROM order_items WHERE returned > 0 AND returned < quantity") > 0
    );
    // Paid by several methods, card the most.
    let methods: Vec<(String, i64)> = s
        .conn()
        .prepare("SELECT method, count(*) FROM payments WHERE kind = 'payment' GROUP BY 1 ORDER BY 2 DESC")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert!(methods.len() >= 4, "{methods:?}");
    assert_eq!(methods[0].0, "Card");
}

/// Orders of a customer search that finds most orders page by walking the
/// sort's index (small pages), of one that finds few by reading and sorting
/// them (a page of 100): the same orders in the same order, for every sort
/// and direction, from either end.
#[test]
fn a_customer_filter_pages_alike_by_walking_an_index_or_sorting() {
    let Shop {
        mut s, ana, mug, ..
    } = shop();
    let bea = add_customer(&mut s, "Bea Souza", "bea@example.com");
    s.write(|tx| {
        shopkeeper::store::stock::adjust(
            tx,
            mug,
            500,
            shopkeeper::domain::MovementReason::Received,
            None,
        )
    })
    .unwrap();
    for i in 0..30 {
        let who = if i % 4 == 0 { bea } else { ana };
        let how = Placement {
            at: Some((format!("2026-01-{:02}", i % 9 + 1), "10:00:00".into())),
            log: false,
            ..Default::default()
        };
        let o = order(who, vec![line(mug, 1 + i % 3, 100 + (i * 7) % 5)]);
        let id = s.write(|tx| orders::place(tx, &o, &how)).unwrap();
        if i % 5 == 0 {
            s.write(|tx| orders::set_status(tx, id, OrderStatus::Cancelled))
                .unwrap();
        }
    }
    use shopkeeper::store::Direction;
    use shopkeeper::store::orders::OrderSort;
    let sorts = [
        OrderSort::Date,
        OrderSort::Number,
        OrderSort::Status,
        OrderSort::Items,
        OrderSort::Total,
    ];
    for sort in sorts {
        for direction in [Direction::Ascending, Direction::Descending] {
            let q = OrderQuery {
                customer_search: "lima".into(),
                sort,
                direction,
                ..Default::default()
            };
            let total = orders::count(s.conn(), &q).unwrap();
            assert_eq!(total, 22);
            let all: Vec<i64> = orders::page(s.conn(), &q, 0, 100, total)
                .unwrap()
                .iter()
                .map(|o| o.id)
                .collect();
            assert_eq!(all.len(), total);
            for offset in 0..total {
                let page: Vec<i64> = orders::page(s.conn(), &q, offset, 2, total)
                    .unwrap()
                    .iter()
                    .map(|o| o.id)
                    .collect();
                let end = (offset + 2).min(total);
                assert_eq!(page, all[offset..end], "{sort:?} {direction:?} {offset}");
            }
        }
    }
}

#[test]
fn a_pending_order_cut_below_what_was_paid_says_what_can_be_done() {
    let Shop {
        _dir,
        mut s,
        ana,
        mug,
        ..
    } = shop();
    let id = s
        .write(|tx| {
            orders::place(
                tx,
                &order(ana, vec![line(mug, 3, 1250)]),
                &Placement::default(),
            )
        })
        .unwrap();
    let payment = orders::NewPayment {
        amount: Money(3000),
        method: "Cash".into(),
        date: "2026-03-02".into(),
        note: None,
    };
    s.write(|tx| orders::record_payment(tx, id, &payment))
        .unwrap();
    let before = dump(&s);
    let err = s
        .write(|tx| orders::edit(tx, id, &order(ana, vec![line(mug, 1, 1250)])))
        .unwrap_err();
    let text = err.to_string();
    // A pending order has no refund to record: the way out is named.
    assert!(
        text.contains("30.00 was paid")
            && text.contains("cancel the order")
            && !text.contains("refund first"),
        "{text}"
    );
    assert_eq!(dump(&s), before);
}
