//! The daily tax summary (`tax_daily`, migration 16) that the tax report
//! reads: the report by day, week and month equals the same report worked
//! out here from the orders and their lines (as the report read them before
//! the summary), on a demo shop written by the bulk writer and through every
//! order change in the window's paths and their undo; and `shopkeeper check`
//! names the summary when it is corrupted.

use shopkeeper::domain::{Money, OrderStatus, Period, Rate, ReportKind, ReportSpec, Terms};
use shopkeeper::store::{self, Store};

use crate::common::*;

const SALE: &str = "status NOT IN ('cancelled', 'returned')";

/// The tax report's table as the store gives it, all time.
fn tax_table(s: &Store, by: Period) -> shopkeeper::domain::ReportTable {
    let spec = ReportSpec {
        from: Some("2000-01-01".into()),
        to: Some("2100-01-01".into()),
        by,
        ..ReportSpec::new(ReportKind::Tax)
    };
    store::reports::run(s.conn(), &spec, 100_000).unwrap().0
}

/// The tax report as the store gives it, all time, its cells as text.
fn reported(s: &Store, by: Period) -> Vec<Vec<String>> {
    let t = tax_table(s, by);
    t.rows
        .iter()
        .map(|r| r.iter().map(|c| format!("{c:?}")).collect())
        .collect()
}

/// The same report from the orders and their lines, not the summary.
fn from_lines(s: &Store, by: Period) -> Vec<Vec<String>> {
    let period = |c: &str| {
        match by {
        Period::Day => c.to_owned(),
        Period::Week => format!("date({c}, '-6 days', 'weekday 1')"),
        Period::Month => format!("substr({c}, 1, 7)"),
        Period::Quarter => format!(
            "substr({c}, 1, 4) || CASE WHEN substr({c}, 6, 2) <= '03' THEN '-Q1'
                WHEN substr({c}, 6, 2) <= '06' THEN '-Q2' WHEN substr({c}, 6, 2) <= '09' THEN '-Q3' ELSE '-Q4' END"
        ),
    }
    };
    let sql = format!(
        "WITH parts AS (
    SELECT {po} AS period, i.tax_rate AS rate, i.revenue AS taxable, i.tax AS tax
    FROM orders o JOIN order_items i ON i.order_id = o.id
    WHERE o.{SALE}
    UNION ALL
    SELECT {po}, o.shipping_rate, o.shipping, o.shipping_tax
    FROM orders o
    WHERE o.{SALE} AND (o.shipping <> 0 OR o.shipping_tax <> 0)),
rated AS (
    SELECT period, 0 AS k, CASE WHEN rate = 0 AND tax <> 0 THEN -1 ELSE rate END AS key,
           sum(taxable) AS taxable, sum(tax) AS tax
    FROM parts GROUP BY period, key)
SELECT period, k, key, taxable, tax
FROM rated",
        po = period("o.order_date"),
    );
    let mut rows: Vec<(String, i64, i64, i64, i64)> = s
        .conn()
        .prepare(&sql)
        .unwrap()
        .query_map([], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    // The refunds of orders that stay sales, each split per rate as its
    // credit note splits it (the documents' own code), taken off per period
    // and rate.
    let refunds: Vec<(i64, i64, String)> = s
        .conn()
        .prepare(&format!(
            "SELECT p.id, p.order_id, {pp} FROM payments p JOIN orders o ON o.id = p.order_id
             WHERE p.kind = 'refund' AND o.{SALE}",
            pp = period("p.paid_on")
        ))
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let mut back: std::collections::BTreeMap<(String, i64), (i64, i64)> = Default::default();
    for (payment, order_id, period) in refunds {
        let doc = store::invoices::document(s.conn(), order_id).unwrap();
        let units = store::orders::refund_units(s.conn(), payment).unwrap();
        let row = store::orders::payments(s.conn(), order_id)
            .unwrap()
            .into_iter()
            .find(|p| p.id == payment)
            .unwrap();
        for (rate, (taxable, tax)) in
            shopkeeper::documents::refund_tax_per_rate(&doc, &units, row.parts)
        {
            // A part at no rate giving back tax is filed apart, as its sale.
            let key = if rate.0 == 0 && tax.0 != 0 {
                -1
            } else {
                rate.0
            };
            let sums = back.entry((period.clone(), key)).or_default();
            sums.0 += taxable.0;
            sums.1 += tax.0;
        }
    }
    for ((period, rate), (taxable, tax)) in back {
        if taxable != 0 || tax != 0 {
            rows.push((period, 1, rate, -taxable, -tax));
        }
    }
    rows.sort_by(|a, b| a.0.cmp(&b.0).then(b.2.cmp(&a.2)).then(a.1.cmp(&b.1)));
    rows.into_iter()
        .map(|(period, k, rate, taxable, tax)| {
            let refunds = if k == 1 { " (refunds)" } else { "" };
            let (name, percent) = if rate == -1 {
                // Tax an import gave as an amount, with no rate.
                ("Tax as given".to_owned(), String::new())
            } else {
                let name: Option<String> = s
                    .conn()
                    .query_row(
                        "SELECT name FROM tax_rates WHERE rate = ?1 ORDER BY archived, id LIMIT 1",
                        [rate],
                        |r| r.get(0),
                    )
                    .ok();
                let fallback = if rate == 0 { "No tax" } else { "Tax" };
                (
                    name.unwrap_or_else(|| fallback.to_owned()),
                    if rate % 1000 == 0 {
                        (rate / 1000).to_string()
                    } else {
                        format!("{}.{:03}", rate / 1000, rate % 1000)
                            .trim_end_matches('0')
                            .to_owned()
                    },
                )
            };
            vec![
                format!("{:?}", shopkeeper::domain::Cell::Text(period)),
                format!(
                    "{:?}",
                    shopkeeper::domain::Cell::Text(format!("{name}{refunds}"))
                ),
                format!("{:?}", shopkeeper::domain::Cell::Text(percent)),
                format!("{:?}", shopkeeper::domain::Cell::Amount(Money(taxable))),
                format!("{:?}", shopkeeper::domain::Cell::Amount(Money(tax))),
                format!(
                    "{:?}",
                    shopkeeper::domain::Cell::Amount(Money(taxable + tax))
                ),
            ]
        })
        .collect()
}

#[track_caller]
fn agree(s: &Store, step: &str) {
    for by in Period::ALL {
        assert_eq!(reported(s, by), from_lines(s, by), "{step}, by {by:?}");
        assert_eq!(
            refunds_reported(s, by),
            refunds_paid(s, by),
            "{step}, by {by:?}"
        );
    }
    assert_checks(s);
}

/// Per period, what the report's refund rows take off, all rates together.
fn refunds_reported(s: &Store, by: Period) -> Vec<(String, i64, i64)> {
    let t = tax_table(s, by);
    let mut sums: std::collections::BTreeMap<String, (i64, i64)> = Default::default();
    for r in &t.rows {
        use shopkeeper::domain::Cell;
        if let (Cell::Text(period), Cell::Text(name), Cell::Amount(taxable), Cell::Amount(tax)) =
            (&r[0], &r[1], &r[3], &r[4])
            && name.ends_with("(refunds)")
        {
            let e = sums.entry(period.clone()).or_default();
            e.0 += taxable.0;
            e.1 += tax.0;
        }
    }
    sums.into_iter().map(|(p, (a, b))| (p, a, b)).collect()
}

/// Per period, what the refunds of sales gave back, from the payments
/// alone (not split per rate): the refund rows must add up to it.
fn refunds_paid(s: &Store, by: Period) -> Vec<(String, i64, i64)> {
    let period = match by {
        Period::Day => "p.paid_on".to_owned(),
        Period::Week => "date(p.paid_on, '-6 days', 'weekday 1')".to_owned(),
        Period::Month => "substr(p.paid_on, 1, 7)".to_owned(),
        Period::Quarter => "substr(p.paid_on, 1, 4) || CASE WHEN substr(p.paid_on, 6, 2) <= '03' THEN '-Q1'
            WHEN substr(p.paid_on, 6, 2) <= '06' THEN '-Q2' WHEN substr(p.paid_on, 6, 2) <= '09' THEN '-Q3' ELSE '-Q4' END"
            .to_owned(),
    };
    s.conn()
        .prepare(&format!(
            "SELECT {period}, -sum(p.revenue + p.shipping), -sum(p.tax)
             FROM payments p JOIN orders o ON o.id = p.order_id
             WHERE p.kind = 'refund' AND o.{SALE}
             GROUP BY 1 HAVING sum(p.revenue + p.shipping) <> 0 OR sum(p.tax) <> 0 ORDER BY 1"
        ))
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

/// A demo shop (its orders written by the bulk writer, the summary's
/// triggers dropped and its sums added once) reports tax as its lines do.
#[test]
fn a_demo_shop_reports_tax_as_its_lines_say() {
    let (_dir, path) = temp_db();
    let mut s = Store::open(&path).unwrap();
    shopkeeper::demo::fill(
        &mut s,
        shopkeeper::demo::DemoSize {
            customers: 200,
            products: 30,
            orders: 2000,
            seed: 16,
        },
        |_, _| true,
    )
    .unwrap();
    let rows = reported(&s, Period::Month);
    assert!(
        rows.iter().any(|r| r[1].contains("Reduced")) && rows.iter().any(|r| r[1].contains("VAT")),
        "the demo sells at both its rates: {rows:?}"
    );
    agree(&s, "demo");
}

/// The summary follows every order change through the store's own paths,
/// in the same transaction: place (with taxed lines and taxed shipping),
/// edit, edit lines, pay, cancel, ship, refund, and undo of each.
#[test]
fn the_tax_summary_follows_every_order_change() {
    use shopkeeper::store::orders::{self, Placement};
    use shopkeeper::store::{changelog, tax};
    let (_dir, path) = temp_db();
    let mut s = Store::open(&path).unwrap();
    s.write(|tx| tax::add_rate(tx, "VAT", Rate(20_000)))
        .unwrap();
    s.write(|tx| tax::add_rate(tx, "Reduced", Rate(5_500)))
        .unwrap();
    let ana = add_customer(&mut s, "Ana Lima", "ana@example.com");
    let mug = add_product(&mut s, "MUG-1", "Blue mug", "12.50", 50);
    let tea = add_product(&mut s, "TEA-2", "Green tea", "4.00", 50);
    let since = changelog::latest_id(s.conn()).unwrap();
    let at = |date: &str| Placement {
        at: Some((date.into(), "10:00:00".into())),
        ..Default::default()
    };
    let taxed = |product, quantity, cents, rate| shopkeeper::domain::OrderLine {
        tax_rate: Rate(rate),
        ..line(product, quantity, cents)
    };
    let shipped = |lines, shipping: i64, rate: i64| shopkeeper::domain::NewOrder {
        terms: Terms {
            shipping: Money(shipping),
            shipping_rate: Rate(rate),
            ..Terms::default()
        },
        ..order(ana, lines)
    };
    let first = shipped(
        vec![taxed(mug, 2, 1250, 20_000), taxed(tea, 3, 400, 5_500)],
        495,
        20_000,
    );
    let a = s
        .write(|tx| orders::place(tx, &first, &at("2026-03-02")))
        .unwrap();
    agree(&s, "placed");
    let b = s
        .write(|tx| orders::place(tx, &first, &at("2026-03-02")))
        .unwrap();
    agree(&s, "a second order the same day");
    let free = order(ana, vec![line(mug, 1, 0)]);
    let c = s
        .write(|tx| orders::place(tx, &free, &at("2026-03-09")))
        .unwrap();
    agree(&s, "a line of nothing untaxed, listed at no tax");
    s.write(|tx| orders::edit_lines(tx, a, &[taxed(mug, 3, 1250, 5_500)], None))
        .unwrap();
    agree(&s, "lines edited to another rate");
    for (shipping, rate, step) in [
        (300, 5_500, "order edited: shipping at another rate"),
        (0, 5_500, "order edited: no more shipping"),
        (300, 20_000, "order edited: shipping again"),
    ] {
        let edited = shipped(vec![taxed(tea, 4, 400, 20_000)], shipping, rate);
        s.write(|tx| orders::edit(tx, b, &edited)).unwrap();
        agree(&s, step);
    }
    s.write(|tx| orders::mark_paid(tx, a, "Card", "2026-03-02"))
        .unwrap();
    agree(&s, "paid");
    s.write(|tx| orders::set_status(tx, c, OrderStatus::Cancelled))
        .unwrap();
    agree(&s, "cancelled");
    // Delivered, then every change undone, back to nothing sold.
    deliver_then_undo_all(&mut s, b, since, agree);
    assert!(reported(&s, Period::Day).is_empty(), "nothing sold");
    // Refunds (which cannot be undone): a unit with the shipping, then the
    // rest, which returns the order and takes its lines out.
    pay_then_refund_in_two_steps(&mut s, &first, &at("2026-03-09"), agree);
}

/// `shopkeeper check` names a kept tax summary that differs from the
/// orders: a sum off by a cent, a row of nothing sold.
#[test]
fn check_catches_a_corrupted_tax_summary() {
    let (_dir, path) = temp_db();
    let mut s = Store::open(&path).unwrap();
    let ana = add_customer(&mut s, "Ana Lima", "ana@example.com");
    let mug = add_product(&mut s, "MUG-1", "Blue mug", "12.50", 50);
    s.write(|tx| {
        shopkeeper::store::orders::place(
            tx,
            &order(ana, vec![line(mug, 2, 1250)]),
            &Default::default(),
        )
    })
    .unwrap();
    assert_checks(&s);
    let name = "the daily tax summary matches the orders";
    for (corrupt, repair) in [
        (
            "UPDATE tax_daily SET tax = tax + 1",
            "UPDATE tax_daily SET tax = tax - 1",
        ),
        (
            "UPDATE tax_daily SET parts = parts + 1",
            "UPDATE tax_daily SET parts = parts - 1",
        ),
        (
            "INSERT INTO tax_daily (day, rate, taxable, tax, parts) VALUES ('1999-01-01', 0, 0, 0, 1)",
            "DELETE FROM tax_daily WHERE day = '1999-01-01'",
        ),
    ] {
        assert_eq!(s.conn().execute(corrupt, []).unwrap(), 1, "{corrupt}");
        assert_eq!(failed_checks(&s), vec![name], "{corrupt}");
        s.conn().execute(repair, []).unwrap();
        assert!(failed_checks(&s).is_empty(), "{repair}");
    }
}

/// Refunds of every shape come off the tax report per rate as their credit
/// notes split them: an amount alone (split like the goods), the shipping
/// alone, units of both rates with more than their share, and goods sold
/// without tax beside shipping that was not taxed.
#[test]
fn refunds_of_every_shape_come_off_per_rate_as_their_credit_notes_say() {
    use shopkeeper::store::orders::{self, Placement, RefundLine, RefundRequest};
    let (_dir, path) = temp_db();
    let mut s = Store::open(&path).unwrap();
    s.write(|tx| store::tax::add_rate(tx, "VAT", Rate(20_000)))
        .unwrap();
    s.write(|tx| store::tax::add_rate(tx, "Reduced", Rate(5_500)))
        .unwrap();
    let ana = add_customer(&mut s, "Ana Lima", "ana@example.com");
    let mug = add_product(&mut s, "MUG-1", "Blue mug", "12.50", 50);
    let tea = add_product(&mut s, "TEA-2", "Green tea", "4.00", 50);
    let card = add_product(&mut s, "GIFT-1", "Gift card", "25.00", 50);
    let taxed = |product, quantity, cents, rate| shopkeeper::domain::OrderLine {
        tax_rate: Rate(rate),
        ..line(product, quantity, cents)
    };
    let how = Placement {
        at: Some(("2026-03-02".into(), "10:00:00".into())),
        ..Default::default()
    };
    let place = |s: &mut Store, lines, shipping_rate: i64| {
        let o = shopkeeper::domain::NewOrder {
            terms: Terms {
                shipping: Money(495),
                shipping_rate: Rate(shipping_rate),
                ..Terms::default()
            },
            ..order(ana, lines)
        };
        let id = s.write(|tx| orders::place(tx, &o, &how)).unwrap();
        s.write(|tx| orders::mark_paid(tx, id, "Card", "2026-03-02"))
            .unwrap();
        let items: Vec<i64> = s
            .conn()
            .prepare("SELECT id FROM order_items WHERE order_id = ?1 ORDER BY id")
            .unwrap()
            .query_map([id], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        (id, items)
    };
    let refund =
        |s: &mut Store, id, lines: Vec<(i64, i64)>, shipping, amount: Option<i64>, day: &str| {
            let req = RefundRequest {
                lines: lines
                    .into_iter()
                    .map(|(order_item_id, quantity)| RefundLine {
                        order_item_id,
                        quantity,
                        restock: true,
                    })
                    .collect(),
                shipping,
                amount: amount.map(Money),
                method: "Card".into(),
                date: day.into(),
                ..Default::default()
            };
            s.write(|tx| orders::refund(tx, id, &req)).unwrap();
        };
    let lines = vec![taxed(mug, 3, 1250, 20_000), taxed(tea, 5, 400, 5_500)];
    let (a, items) = place(&mut s, lines.clone(), 20_000);
    refund(&mut s, a, vec![], false, Some(1000), "2026-03-03");
    agree(&s, "an amount alone");
    refund(&mut s, a, vec![], true, None, "2026-03-04");
    agree(&s, "the shipping alone");
    refund(
        &mut s,
        a,
        vec![(items[0], 1), (items[1], 2)],
        false,
        Some(2200),
        "2026-03-05",
    );
    agree(&s, "units of both rates and more than their share");
    let (b, items) = place(
        &mut s,
        vec![line(card, 1, 2500), taxed(mug, 1, 1250, 20_000)],
        0,
    );
    refund(&mut s, b, vec![(items[0], 1)], true, None, "2026-03-06");
    agree(&s, "a gift card and shipping without tax");
    // Goods worth nothing, taxed shipping: an amount given back alone has
    // nothing to be split by, and comes off at no rate (it was left out).
    let (c, _) = place(&mut s, vec![taxed(mug, 1, 0, 20_000)], 20_000);
    refund(&mut s, c, vec![], false, Some(300), "2026-03-07");
    agree(&s, "an amount alone of an order of goods worth nothing");
    let rows = reported(&s, Period::Day);
    for want in ["VAT (refunds)", "Reduced (refunds)", "No tax (refunds)"] {
        assert!(rows.iter().any(|r| r[1].contains(want)), "{want}: {rows:?}");
    }
}

/// Tax a platform gave as an amount, with no rate, is its own row: sales of
/// the same day that carried no tax are not counted as taxable in it (they
/// were, filed together at no rate), and a refund of the taxed order comes
/// off under it.
#[test]
fn tax_given_as_an_amount_is_kept_apart_from_sales_without_tax() {
    use shopkeeper::domain::Cell;
    use shopkeeper::store::orders::{self, Placement};
    let (_dir, path) = temp_db();
    let mut s = Store::open(&path).unwrap();
    let ana = add_customer(&mut s, "Ana Lima", "ana@example.com");
    let mug = add_product(&mut s, "MUG-1", "Blue mug", "12.50", 50);
    let tea = add_product(&mut s, "TEA-2", "Green tea", "4.00", 50);
    let how = Placement {
        at: Some(("2026-03-02".into(), "10:00:00".into())),
        ..Default::default()
    };
    let given = shopkeeper::domain::NewOrder {
        terms: Terms {
            tax: Some(Money(250)),
            ..Terms::default()
        },
        ..order(ana, vec![line(mug, 2, 1250)])
    };
    let a = s.write(|tx| orders::place(tx, &given, &how)).unwrap();
    s.write(|tx| orders::place(tx, &order(ana, vec![line(tea, 3, 400)]), &how))
        .unwrap();
    agree(&s, "a day with tax as given and a sale without tax");
    let day = |s: &Store| -> Vec<(String, i64, i64)> {
        tax_table(s, Period::Day)
            .rows
            .iter()
            .map(|r| match (&r[1], &r[3], &r[4]) {
                (Cell::Text(name), Cell::Amount(taxable), Cell::Amount(tax)) => {
                    (name.clone(), taxable.0, tax.0)
                }
                other => panic!("{other:?}"),
            })
            .collect()
    };
    assert_eq!(
        day(&s),
        vec![
            ("No tax".to_owned(), 1200, 0),
            ("Tax as given".to_owned(), 2500, 250)
        ]
    );
    s.write(|tx| orders::mark_paid(tx, a, "Card", "2026-03-02"))
        .unwrap();
    refund_one(&mut s, a, "2026-03-02");
    agree(&s, "a unit of the order with tax as given refunded");
    assert_eq!(
        day(&s),
        vec![
            ("No tax".to_owned(), 1200, 0),
            ("Tax as given".to_owned(), 2500, 250),
            ("Tax as given (refunds)".to_owned(), -1250, -125)
        ]
    );
}
