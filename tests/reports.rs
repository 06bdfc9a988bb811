//! Reports on a small shop whose figures were worked out by hand: a week that
//! spans two months, a cancelled order, a returned order, a price changed
//! after a sale. Then the files: CSV and Excel read back to the same values.

use crate::common::*;
use shopkeeper::domain::{
    Cell, Money, NewOrder, OrderLine, OrderStatus, Period, ReportKind, ReportSpec,
};
use shopkeeper::export::Format;
use shopkeeper::jobs::{Progress, export_report};
use shopkeeper::store::orders::{self, Placement};
use shopkeeper::store::{self, Store};

struct Golden {
    _dir: tempfile::TempDir,
    s: Store,
}

fn at(date: &str) -> Placement {
    Placement {
        at: Some((date.into(), "10:00:00".into())),
        log: false,
        ..Default::default()
    }
}

/// The hand-worked shop (see the module comment).
fn golden() -> Golden {
    let (dir, path) = temp_db();
    let mut s = Store::open(&path).unwrap();
    let ana = add_customer(&mut s, "Ana Lima", "ana@example.com");
    let bea = add_customer(&mut s, "Bea Souza", "bea@example.com");
    let mut mug = product("MUG-1", "Blue mug", "10.00", 10);
    mug.cost = Money(400);
    let mut tea = product("TEA-1", "Green tea", "5.00", 10);
    tea.cost = Money(200);
    let (mug_id, tea_id) = s
        .write(|tx| {
            Ok((
                store::products::insert_at(tx, &mug, "2026-01-01 09:00:00")?,
                store::products::insert_at(tx, &tea, "2026-01-01 09:00:00")?,
            ))
        })
        .unwrap();
    let order = |customer_id, product_id, quantity, cents| NewOrder {
        customer_id,
        lines: vec![OrderLine {
            product_id,
            quantity,
            unit_price: Money(cents),
            ..Default::default()
        }],
        note: None,
        ..Default::default()
    };
    let mut place =
        |o: NewOrder, date: &str| s.write(|tx| orders::place(tx, &o, &at(date))).unwrap();
    let o1 = place(order(ana, mug_id, 2, 1000), "2026-01-28"); // Wed: sale 20.00
    let o2 = place(order(bea, tea_id, 1, 500), "2026-01-30"); // Fri: sale 5.00
    let o3 = place(order(ana, mug_id, 1, 1000), "2026-02-01"); // Sun: cancelled
    let o4 = place(order(bea, tea_id, 3, 500), "2026-02-02"); // Mon: returned
    for (id, path) in [
        (
            o1,
            &[
                OrderStatus::Paid,
                OrderStatus::Shipped,
                OrderStatus::Delivered,
            ][..],
        ),
        (
            o2,
            &[
                OrderStatus::Paid,
                OrderStatus::Shipped,
                OrderStatus::Delivered,
            ][..],
        ),
        (o3, &[OrderStatus::Cancelled][..]),
        (
            o4,
            &[
                OrderStatus::Paid,
                OrderStatus::Shipped,
                OrderStatus::Delivered,
                OrderStatus::Returned,
            ][..],
        ),
    ] {
        for st in path {
            s.write(|tx| orders::set_status(tx, id, *st)).unwrap();
        }
    }
    // The mug's price goes up after it sold at 10.00.
    let mut dearer = product("MUG-1", "Blue mug", "12.00", 0);
    dearer.cost = Money(400);
    s.write(|tx| store::products::update(tx, mug_id, &dearer))
        .unwrap();
    let o5 = order(ana, mug_id, 1, 1200);
    s.write(|tx| orders::place(tx, &o5, &at("2026-02-03")))
        .unwrap(); // Tue: pending 12.00
    Golden { _dir: dir, s }
}

fn text(t: &str) -> Cell {
    Cell::Text(t.into())
}

fn spec(kind: ReportKind) -> ReportSpec {
    ReportSpec {
        kind,
        from: Some("2026-01-28".into()),
        to: Some("2026-02-03".into()),
        ..ReportSpec::new(kind)
    }
}

/// A sales-by-date row of a shop without discounts, shipping, tax or
/// refunds: gross sales, revenue and total are the same amount.
fn plain_sales(date: &str, orders: i64, items: i64, cents: i64) -> Vec<Cell> {
    let m = |c| Cell::Amount(Money(c));
    vec![
        text(date),
        Cell::Int(orders),
        Cell::Int(items),
        m(cents),
        m(0),
        m(cents),
        m(0),
        m(0),
        m(cents),
        m(0),
    ]
}

fn run(s: &Store, spec: &ReportSpec) -> shopkeeper::domain::ReportTable {
    store::reports::run(s.conn(), spec, 10_000).unwrap().0
}

#[test]
fn sales_by_day_has_every_day_and_counts_only_sales() {
    let g = golden();
    let t = run(&g.s, &spec(ReportKind::SalesByDate));
    let day = |d: &str, o: i64, i: i64, c: i64| plain_sales(d, o, i, c);
    assert_eq!(
        t.rows,
        vec![
            day("2026-01-28", 1, 2, 2000),
            day("2026-01-29", 0, 0, 0),
            day("2026-01-30", 1, 1, 500),
            day("2026-01-31", 0, 0, 0),
            day("2026-02-01", 0, 0, 0),
            day("2026-02-02", 0, 0, 0),
            day("2026-02-03", 1, 1, 1200),
        ]
    );
    let mut total = plain_sales("Total", 3, 4, 3700);
    total[0] = text("Total");
    assert_eq!(t.totals().unwrap(), total);
}

/// Issue 17 item 8: weeks start on the shop's first day of the week, on
/// screen, in files and in the SQL shown alike (one query).
#[test]
fn sales_by_week_start_on_the_shops_first_day_of_the_week() {
    use shopkeeper::domain::format::WeekStart;
    let mut g = golden();
    let mut sp = spec(ReportKind::SalesByDate);
    sp.by = Period::Week;
    for (start, first, second) in [
        (WeekStart::Sunday, "2026-01-25", "2026-02-01"),
        (WeekStart::Saturday, "2026-01-24", "2026-01-31"),
        (WeekStart::Monday, "2026-01-26", "2026-02-02"),
    ] {
        let mut settings = store::settings::load(g.s.conn()).unwrap();
        settings.week_start = start;
        g.s.write(|tx| store::settings::save(tx, &settings))
            .unwrap();
        let t = run(&g.s, &sp);
        let periods: Vec<&Cell> = t.rows.iter().map(|r| &r[0]).collect();
        assert_eq!(periods, [&text(first), &text(second)], "{start:?}");
        let orders: Vec<&Cell> = t.rows.iter().map(|r| &r[1]).collect();
        assert_eq!(orders, [&Cell::Int(2), &Cell::Int(1)], "{start:?}");
    }
}

#[test]
fn sales_by_week_start_on_monday_across_months_and_by_month() {
    let g = golden();
    let mut sp = spec(ReportKind::SalesByDate);
    sp.by = Period::Week;
    let t = run(&g.s, &sp);
    assert_eq!(
        t.rows,
        vec![
            plain_sales("2026-01-26", 2, 3, 2500),
            plain_sales("2026-02-02", 1, 1, 1200),
        ]
    );
    sp.by = Period::Month;
    let t = run(&g.s, &sp);
    assert_eq!(
        t.rows,
        vec![
            plain_sales("2026-01", 2, 3, 2500),
            plain_sales("2026-02", 1, 1, 1200),
        ]
    );
}

/// By quarter (a quarterly VAT, GST or sales-tax return): the quarter's
/// months added up, keyed "2026-Q1", the same in sales by date (worked out
/// in Rust) and the tax and payments reports (in SQL).
#[test]
fn sales_and_tax_by_quarter_add_up_their_months() {
    let g = golden();
    let mut sp = spec(ReportKind::SalesByDate);
    sp.to = Some("2026-04-02".into());
    sp.by = Period::Month;
    let months = run(&g.s, &sp);
    sp.by = Period::Quarter;
    let quarters = run(&g.s, &sp);
    let keys: Vec<&Cell> = quarters.rows.iter().map(|r| &r[0]).collect();
    assert_eq!(keys, [&text("2026-Q1"), &text("2026-Q2")]);
    assert_eq!(quarters.totals(), months.totals());
    // The first quarter is January to March.
    let q1: i64 = months
        .rows
        .iter()
        .filter(|r| matches!(&r[0], Cell::Text(m) if m.as_str() < "2026-04"))
        .map(|r| match r[1] {
            Cell::Int(n) => n,
            _ => 0,
        })
        .sum();
    assert_eq!(quarters.rows[0][1], Cell::Int(q1));
    for kind in [ReportKind::Tax, ReportKind::PaymentsByMethod] {
        let mut t = spec(kind);
        t.to = Some("2026-04-02".into());
        t.by = Period::Quarter;
        let by_quarter = run(&g.s, &t);
        t.by = Period::Month;
        let by_month = run(&g.s, &t);
        assert_eq!(by_quarter.totals(), by_month.totals(), "{kind:?}");
        assert!(
            by_quarter
                .rows
                .iter()
                .all(|r| matches!(&r[0], Cell::Text(k) if k.starts_with("2026-Q"))),
            "{kind:?}: {:?}",
            by_quarter.rows
        );
    }
}

#[test]
fn top_products_and_customers_use_prices_as_sold() {
    let g = golden();
    let t = run(&g.s, &spec(ReportKind::TopProducts));
    assert_eq!(
        t.rows,
        vec![
            vec![
                text("MUG-1"),
                text("Blue mug"),
                Cell::Int(3),
                Cell::Amount(Money(3200))
            ],
            vec![
                text("TEA-1"),
                text("Green tea"),
                Cell::Int(1),
                Cell::Amount(Money(500))
            ],
        ]
    );
    let t = run(&g.s, &spec(ReportKind::TopCustomers));
    assert_eq!(
        t.rows,
        vec![
            vec![
                text("Ana Lima"),
                text("ana@example.com"),
                Cell::Int(2),
                Cell::Amount(Money(3200))
            ],
            vec![
                text("Bea Souza"),
                text("bea@example.com"),
                Cell::Int(1),
                Cell::Amount(Money(500))
            ],
        ]
    );
    let mut one = spec(ReportKind::TopProducts);
    one.limit = Some(1);
    assert_eq!(run(&g.s, &one).rows.len(), 1);
}

#[test]
fn customer_history_lists_every_order_with_its_status() {
    let g = golden();
    let mut sp = spec(ReportKind::CustomerHistory);
    sp.customer = Some("ANA@example.com".into());
    let t = run(&g.s, &sp);
    let statuses: Vec<&Cell> = t.rows.iter().map(|r| &r[2]).collect();
    assert_eq!(
        statuses,
        [&text("delivered"), &text("cancelled"), &text("pending")]
    );
    assert_eq!(t.rows[0][0], text("#000001"));
    assert_eq!(t.rows[0][4], Cell::Amount(Money(2000)));
    // By number too.
    sp.customer = Some("2".into());
    assert_eq!(run(&g.s, &sp).rows.len(), 2);
}

#[test]
fn stock_levels_and_movements() {
    let g = golden();
    let t = run(&g.s, &ReportSpec::new(ReportKind::StockLevels));
    assert_eq!(
        t.rows,
        vec![
            vec![
                text("MUG-1"),
                text("Blue mug"),
                text(""),
                Cell::Int(7),
                Cell::Int(2),
                Cell::Amount(Money(2800))
            ],
            vec![
                text("TEA-1"),
                text("Green tea"),
                text(""),
                Cell::Int(9),
                Cell::Int(2),
                Cell::Amount(Money(1800))
            ],
        ]
    );
    let mut low = ReportSpec::new(ReportKind::StockLevels);
    low.low_only = true;
    assert!(run(&g.s, &low).rows.is_empty());

    let mut sp = ReportSpec::new(ReportKind::InventoryMovements);
    sp.product = Some("mug-1".into());
    sp.from = Some("2026-01-01".into());
    let t = run(&g.s, &sp);
    let changes: Vec<(Cell, Cell)> = t
        .rows
        .iter()
        .map(|r| (r[3].clone(), r[4].clone()))
        .collect();
    assert_eq!(
        changes,
        [
            (Cell::Int(10), text("opening")),
            (Cell::Int(-2), text("sale")),
            (Cell::Int(-1), text("sale")),
            (Cell::Int(-1), text("sale")),
            (Cell::Int(1), text("order_cancelled")),
        ]
    );
    assert_eq!(
        t.totals().unwrap()[3],
        Cell::Int(7),
        "the changes add up to the stock"
    );
}

#[test]
fn bad_parameters_are_named_and_write_no_file() {
    let g = golden();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("x.csv");
    let cases = [
        (
            ReportSpec {
                from: Some("2026-13-01".into()),
                ..ReportSpec::new(ReportKind::SalesByDate)
            },
            "2026-13-01",
        ),
        (
            ReportSpec {
                customer: Some("nobody@example.com".into()),
                ..ReportSpec::new(ReportKind::CustomerHistory)
            },
            "nobody@example.com",
        ),
        (
            ReportSpec {
                product: Some("NOPE".into()),
                ..ReportSpec::new(ReportKind::InventoryMovements)
            },
            "NOPE",
        ),
        (
            ReportSpec {
                from: Some("2026-03-01".into()),
                to: Some("2026-02-01".into()),
                ..ReportSpec::new(ReportKind::SalesByDate)
            },
            "after",
        ),
    ];
    for (sp, named) in cases {
        let err =
            export_report(g.s.conn(), &sp, &out, Format::Csv, &Progress::default()).unwrap_err();
        assert!(err.contains(named), "{err}");
        assert!(
            std::fs::read_dir(dir.path()).unwrap().next().is_none(),
            "no file, not even a partial one"
        );
    }
}

#[test]
fn csv_reads_back_to_the_same_values() {
    let g = golden();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("sales.csv");
    let sp = spec(ReportKind::SalesByDate);
    let rows = export_report(g.s.conn(), &sp, &out, Format::Csv, &Progress::default()).unwrap();
    assert_eq!(rows, 7);
    let bytes = std::fs::read(&out).unwrap();
    assert!(
        bytes.starts_with(
            b"date,orders,items,gross_sales,discounts,revenue,shipping,tax,total,refunds\r\n"
        ),
        "header and CRLF"
    );
    let mut r = csv::Reader::from_path(&out).unwrap();
    let back: Vec<Vec<String>> = r
        .records()
        .map(|x| x.unwrap().iter().map(String::from).collect())
        .collect();
    let currency = store::settings::currency(g.s.conn()).unwrap();
    let t = run(&g.s, &sp);
    let expected: Vec<Vec<String>> = t
        .rows
        .iter()
        .map(|row| row.iter().map(|c| c.plain(&currency)).collect())
        .collect();
    assert_eq!(back, expected);
    assert_eq!(
        back[0],
        [
            "2026-01-28",
            "1",
            "2",
            "20.00",
            "0.00",
            "20.00",
            "0.00",
            "0.00",
            "20.00",
            "0.00"
        ]
    );
    assert!(
        !String::from_utf8_lossy(&bytes).contains("Total"),
        "files hold data rows only"
    );
}

#[test]
fn xlsx_reads_back_with_numbers_and_dates() {
    use calamine::{Data, Reader, Xlsx, open_workbook};
    let g = golden();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("history.xlsx");
    let mut sp = spec(ReportKind::CustomerHistory);
    sp.customer = Some("ana@example.com".into());
    export_report(g.s.conn(), &sp, &out, Format::Xlsx, &Progress::default()).unwrap();
    let mut book: Xlsx<_> = open_workbook(&out).unwrap();
    let sheet = book.worksheet_range("customer-history").unwrap();
    let rows: Vec<Vec<Data>> = sheet.rows().map(|r| r.to_vec()).collect();
    assert_eq!(rows.len(), 4, "header + 3 orders");
    assert_eq!(rows[0][0], Data::String("order".into()));
    assert_eq!(rows[1][0], Data::String("#000001".into()));
    match &rows[1][1] {
        Data::DateTime(d) => assert_eq!(d.as_f64(), 46050.0, "Excel day number of 2026-01-28"),
        other => panic!("the date is a date cell, not {other:?}"),
    }
    assert_eq!(rows[1][3], Data::Float(2.0));
    assert_eq!(rows[1][4], Data::Float(20.0));
}

#[test]
fn text_that_looks_like_a_formula_is_neutralised_numbers_are_not() {
    let (_dir, path) = temp_db();
    let mut s = Store::open(&path).unwrap();
    let evil = add_customer(&mut s, "=HYPERLINK(\"http://x\")", "");
    let mug = add_product(&mut s, "@MUG", "+Blue mug", "10", 5);
    let o = NewOrder {
        customer_id: evil,
        lines: vec![OrderLine {
            product_id: mug,
            quantity: 2,
            unit_price: Money(1000),
            ..Default::default()
        }],
        note: None,
        ..Default::default()
    };
    s.write(|tx| orders::place(tx, &o, &Placement::default()))
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("top.csv");
    export_report(
        s.conn(),
        &ReportSpec::new(ReportKind::TopCustomers),
        &out,
        Format::Csv,
        &Progress::default(),
    )
    .unwrap();
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(text.contains("\"'=HYPERLINK(\"\"http://x\"\")\""), "{text}");
    let out = dir.path().join("moves.csv");
    export_report(
        s.conn(),
        &ReportSpec::new(ReportKind::InventoryMovements),
        &out,
        Format::Csv,
        &Progress::default(),
    )
    .unwrap();
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(text.contains("'@MUG,'+Blue mug,-2,sale"), "{text}");
    let out = dir.path().join("moves.xlsx");
    export_report(
        s.conn(),
        &ReportSpec::new(ReportKind::InventoryMovements),
        &out,
        Format::Xlsx,
        &Progress::default(),
    )
    .unwrap();
    use calamine::{Data, Reader, Xlsx, open_workbook};
    let mut book: Xlsx<_> = open_workbook(&out).unwrap();
    let sheet = book.worksheet_range("inventory-movements").unwrap();
    let row: Vec<Data> = sheet.rows().nth(2).unwrap().to_vec();
    // Excel's text cells are typed strings: no guard needed (issue 13).
    assert_eq!(row[1], Data::String("@MUG".into()));
    assert_eq!(row[3], Data::Float(-2.0));
}

#[test]
fn a_cancelled_export_leaves_no_file() {
    let g = golden();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("lines.csv");
    let p = Progress::default();
    p.cancel();
    let err = export_report(
        g.s.conn(),
        &ReportSpec::new(ReportKind::OrderLines),
        &out,
        Format::Csv,
        &p,
    )
    .unwrap_err();
    assert!(err.contains("cancelled"), "{err}");
    assert!(std::fs::read_dir(dir.path()).unwrap().next().is_none());
}

#[test]
fn the_command_line_writes_the_same_bytes() {
    let g = golden();
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.csv");
    let b = dir.path().join("b.csv");
    let mut sp = spec(ReportKind::SalesByDate);
    sp.by = Period::Week;
    export_report(g.s.conn(), &sp, &a, Format::Csv, &Progress::default()).unwrap();
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_shopkeeper"))
        .arg("--db")
        .arg(g.s.path())
        .args([
            "export",
            "sales-by-date",
            "--from",
            "2026-01-28",
            "--to",
            "2026-02-03",
            "--by",
            "week",
            "--out",
        ])
        .arg(&b)
        .status()
        .unwrap();
    assert!(status.success());
    assert_eq!(std::fs::read(&a).unwrap(), std::fs::read(&b).unwrap());
}

#[test]
fn xlsx_text_is_typed_so_it_has_no_formula_guard_and_sales_dates_are_dates() {
    use calamine::{Data, Reader, Xlsx, open_workbook};
    let (_dir, path) = temp_db();
    let mut s = Store::open(&path).unwrap();
    let mut c = customer("Ana Lima", "ana@example.com");
    c.phone = Some("+44 231 820 3399".into());
    let ana = s.write(|tx| store::customers::insert(tx, &c)).unwrap();
    let mug = add_product(&mut s, "MUG-1", "Blue mug", "10", 5);
    s.write(|tx| orders::place(tx, &order(ana, vec![line(mug, 1, 1000)]), &at("2026-01-28")))
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("customers.xlsx");
    export_report(
        s.conn(),
        &ReportSpec::new(ReportKind::Customers),
        &out,
        Format::Xlsx,
        &Progress::default(),
    )
    .unwrap();
    let mut book: Xlsx<_> = open_workbook(&out).unwrap();
    let sheet = book.worksheet_range("customers").unwrap();
    let row: Vec<Data> = sheet.rows().nth(1).unwrap().to_vec();
    assert_eq!(row[3], Data::String("+44 231 820 3399".into()));
    // CSV keeps the guard.
    let csv = dir.path().join("customers.csv");
    export_report(
        s.conn(),
        &ReportSpec::new(ReportKind::Customers),
        &csv,
        Format::Csv,
        &Progress::default(),
    )
    .unwrap();
    assert!(
        std::fs::read_to_string(&csv)
            .unwrap()
            .contains("'+44 231 820 3399")
    );

    let out = dir.path().join("sales.xlsx");
    let sp = ReportSpec {
        from: Some("2026-01-28".into()),
        to: Some("2026-01-29".into()),
        ..ReportSpec::new(ReportKind::SalesByDate)
    };
    export_report(s.conn(), &sp, &out, Format::Xlsx, &Progress::default()).unwrap();
    let mut book: Xlsx<_> = open_workbook(&out).unwrap();
    let sheet = book.worksheet_range("sales-by-date").unwrap();
    let row: Vec<Data> = sheet.rows().nth(1).unwrap().to_vec();
    match &row[0] {
        Data::DateTime(d) => assert_eq!(d.as_f64(), 46050.0, "Excel day number of 2026-01-28"),
        other => panic!("the date is a date cell, not {other:?}"),
    }
    // By month, the period is the month's first day, shown as the month.
    let by_month = ReportSpec {
        by: Period::Month,
        ..sp
    };
    // (A file of its own: an existing file is never replaced without being told.)
    let out = dir.path().join("sales-by-month.xlsx");
    export_report(
        s.conn(),
        &by_month,
        &out,
        Format::Xlsx,
        &Progress::default(),
    )
    .unwrap();
    let mut book: Xlsx<_> = open_workbook(&out).unwrap();
    let sheet = book.worksheet_range("sales-by-date").unwrap();
    let row: Vec<Data> = sheet.rows().nth(1).unwrap().to_vec();
    match &row[0] {
        Data::DateTime(d) => assert_eq!(d.as_f64(), 46023.0, "Excel day number of 2026-01-01"),
        other => panic!("the month is a date cell, not {other:?}"),
    }
}

#[test]
fn stock_after_runs_in_the_order_shown_even_with_a_back_dated_order() {
    let (_dir, path) = temp_db();
    let mut s = Store::open(&path).unwrap();
    let ana = add_customer(&mut s, "Ana Lima", "ana@example.com");
    let mug = s
        .write(|tx| {
            store::products::insert_at(
                tx,
                &product("MUG-1", "Blue mug", "10", 10),
                "2026-01-01 09:00:00",
            )
        })
        .unwrap();
    s.write(|tx| orders::place(tx, &order(ana, vec![line(mug, 2, 1000)]), &at("2026-02-10")))
        .unwrap();
    // Typed in later, dated earlier.
    s.write(|tx| orders::place(tx, &order(ana, vec![line(mug, 1, 1000)]), &at("2026-02-05")))
        .unwrap();
    let mut sp = ReportSpec::new(ReportKind::InventoryMovements);
    sp.product = Some("MUG-1".into());
    sp.from = Some("2026-01-01".into());
    sp.to = Some("2026-12-31".into());
    let t = run(&s, &sp);
    let rows: Vec<(Cell, Cell, Cell)> = t
        .rows
        .iter()
        .map(|r| (r[0].clone(), r[3].clone(), r[6].clone()))
        .collect();
    assert_eq!(
        rows,
        [
            (text("2026-01-01"), Cell::Int(10), Cell::Int(10)),
            (text("2026-02-05"), Cell::Int(-1), Cell::Int(9)),
            (text("2026-02-10"), Cell::Int(-2), Cell::Int(7)),
        ]
    );
    // A range that starts later still starts from the stock before it.
    sp.from = Some("2026-02-06".into());
    let t = run(&s, &sp);
    assert_eq!(t.rows.len(), 1);
    assert_eq!(t.rows[0][6], Cell::Int(7));
}

/// `inventory-movements` in its own order is streamed with its running
/// stock summed as it goes; sorted, the report runs its query (the window
/// function). Both give the same rows, whatever the range or product, with
/// orders typed in out of date order and a cancellation.
#[test]
fn streamed_movements_give_the_rows_of_the_query() {
    let (_dir, path) = temp_db();
    let mut s = Store::open(&path).unwrap();
    let ana = add_customer(&mut s, "Ana Lima", "ana@example.com");
    let mut ids = Vec::new();
    for (sku, stock) in [("MUG-1", 40), ("TEA-1", 30), ("PEN-1", 20)] {
        let id = s
            .write(|tx| {
                store::products::insert_at(
                    tx,
                    &product(sku, sku, "10", stock),
                    "2026-01-01 09:00:00",
                )
            })
            .unwrap();
        ids.push(id);
    }
    // Typed in this order: each date after the first is earlier than some
    // typed before it.
    let days = [
        "2026-03-10",
        "2026-02-05",
        "2026-03-01",
        "2026-01-20",
        "2026-04-02",
        "2026-02-05",
        "2026-03-10",
    ];
    let mut placed = Vec::new();
    for (n, day) in days.into_iter().enumerate() {
        let lines = vec![
            line(ids[n % 3], 1 + n as i64 % 2, 1000),
            line(ids[(n + 1) % 3], 1, 1000),
        ];
        let id = s
            .write(|tx| orders::place(tx, &order(ana, lines), &at(day)))
            .unwrap();
        placed.push(id);
    }
    s.write(|tx| orders::set_status(tx, placed[2], OrderStatus::Cancelled))
        .unwrap();
    let ranges = [
        (None, None, None),
        (Some("2026-02-05"), None, None),
        (Some("2026-02-06"), Some("2026-03-10"), None),
        (Some("2026-03-01"), Some("2026-03-09"), None),
        (None, None, Some("TEA-1")),
        (Some("2026-02-10"), Some("2026-12-31"), Some("MUG-1")),
    ];
    for (from, to, product) in ranges {
        let mut sp = ReportSpec::new(ReportKind::InventoryMovements);
        sp.from = from.map(Into::into);
        sp.to = to.map(Into::into);
        sp.product = product.map(Into::into);
        let streamed = run(&s, &sp).rows;
        sp.sort = Some(shopkeeper::domain::ReportSort {
            column: 0,
            descending: false,
        });
        let mut queried = run(&s, &sp).rows;
        let mut sorted = streamed.clone();
        sorted.sort();
        queried.sort();
        assert!(!streamed.is_empty(), "{from:?} {to:?} {product:?}");
        assert_eq!(sorted, queried, "{from:?} {to:?} {product:?}");
        let dates: Vec<&Cell> = streamed.iter().map(|r| &r[0]).collect();
        assert!(dates.is_sorted(), "in date order: {dates:?}");
    }
}

/// `sales-by-date` in its own order walks the days over the daily
/// summaries; sorted by its period, it runs its query. On a demo shop (with
/// discounts, shipping, tax and refunds), both give the same rows for every
/// period, first day of the week and range.
#[test]
fn walked_sales_by_date_give_the_rows_of_the_query() {
    use shopkeeper::domain::format::WeekStart;
    let (_dir, mut s) = demo_store(100, 20, 1500, 5);
    let all_time = ReportSpec::new(ReportKind::SalesByDate);
    let (all, _) = store::reports::run(s.conn(), &all_time, 100_000).unwrap();
    assert!(
        all.rows.iter().any(|r| r[9] != Cell::Amount(Money(0))),
        "the demo has refunds"
    );
    let ranges = [
        (None, None),
        (Some("2025-12-31"), Some("2026-03-01")),
        (Some("2026-02-28"), Some("2026-02-28")),
        (Some("2020-01-01"), Some("2020-02-01")),
    ];
    for start in [WeekStart::Sunday, WeekStart::Saturday, WeekStart::Monday] {
        let mut settings = store::settings::load(s.conn()).unwrap();
        settings.week_start = start;
        s.write(|tx| store::settings::save(tx, &settings)).unwrap();
        for by in [Period::Day, Period::Week, Period::Month] {
            for (from, to) in ranges {
                let mut sp = ReportSpec::new(ReportKind::SalesByDate);
                sp.by = by;
                sp.from = from.map(Into::into);
                sp.to = to.map(Into::into);
                let walked = run(&s, &sp).rows;
                sp.sort = Some(shopkeeper::domain::ReportSort {
                    column: 0,
                    descending: false,
                });
                let queried = run(&s, &sp).rows;
                assert!(!walked.is_empty());
                assert_eq!(walked, queried, "{start:?} {by:?} {from:?} {to:?}");
            }
        }
    }
}

#[test]
fn every_report_sorts_by_every_column_in_sql() {
    let g = golden();
    for kind in ReportKind::ALL {
        let mut sp = spec(kind);
        sp.customer = Some("ana@example.com".into());
        let plain = run(&g.s, &sp);
        for column in 0..kind.columns().len() {
            for descending in [false, true] {
                sp.sort = Some(shopkeeper::domain::ReportSort { column, descending });
                let sorted = run(&g.s, &sp);
                assert_eq!(sorted.rows.len(), plain.rows.len(), "{kind:?} {column}");
                let keys: Vec<&Cell> = sorted.rows.iter().map(|r| &r[column]).collect();
                let mut want = keys.clone();
                want.sort();
                if descending {
                    want.reverse();
                }
                assert_eq!(keys, want, "{kind:?} by column {column}");
            }
        }
    }
}

/// `export margin --by category` is the margin by category the window
/// shows; a period is refused for it, and a category for the tax report.
#[test]
fn the_command_line_writes_margin_by_category_and_refuses_other_groupings() {
    let m = crate::numbers::money_shop();
    let dir = tempfile::tempdir().unwrap();
    let cli = |args: &[&str], out: &std::path::Path| {
        std::process::Command::new(env!("CARGO_BIN_EXE_shopkeeper"))
            .arg("--db")
            .arg(m.s.path())
            .arg("export")
            .args(args)
            .arg("--out")
            .arg(out)
            .output()
            .unwrap()
    };
    let a = dir.path().join("a.csv");
    let done = cli(&["margin", "--by", "category"], &a);
    assert!(done.status.success(), "{done:?}");
    let b = dir.path().join("b.csv");
    export_report(
        m.s.conn(),
        &ReportSpec::new(ReportKind::MarginByCategory),
        &b,
        Format::Csv,
        &Progress::default(),
    )
    .unwrap();
    assert_eq!(std::fs::read(&a).unwrap(), std::fs::read(&b).unwrap());
    assert!(
        std::fs::read_to_string(&a)
            .unwrap()
            .starts_with("category,quantity,revenue,cost,margin,margin_percent,revenue_without_cost\r\nKitchen,3,27.02,12.00,15.02,55.6,0.00\r\n")
    );
    for (args, said) in [
        (
            &["margin", "--by", "week"][..],
            "--by \"week\" is not product, category or month",
        ),
        (
            &["tax", "--by", "category"][..],
            "--by \"category\" is not day, week, month or quarter",
        ),
    ] {
        let out = dir.path().join("refused.csv");
        let done = cli(args, &out);
        assert!(!done.status.success());
        let err = String::from_utf8_lossy(&done.stderr);
        assert!(err.contains(said), "{err}");
        assert!(!out.exists(), "nothing written");
    }
}

/// Every report's totals added up apart (for a report longer than the
/// screen) are those of all its rows read for the screen, and count them;
/// read with only a few rows, the screen's table says it was cut.
#[test]
fn totals_apart_are_the_totals_of_every_row() {
    let (_dir, s) = demo_store(60, 15, 400, 11);
    for kind in ReportKind::ALL {
        let mut spec = ReportSpec::new(kind);
        if matches!(kind, ReportKind::CustomerHistory | ReportKind::CustomerData) {
            spec.customer = Some("1".into());
        }
        let (all, _) = store::reports::run(s.conn(), &spec, 100_000).unwrap();
        assert!(!all.truncated, "{kind:?}");
        let apart = store::reports::totals_lightly(s.conn(), &spec).unwrap();
        assert_eq!(apart.rows, all.rows.len() as u64, "{kind:?}");
        assert_eq!(apart.finish(), all.totals(), "{kind:?}");
        if all.rows.len() > 3 {
            let (cut, _) = store::reports::run(s.conn(), &spec, 3).unwrap();
            assert!(cut.truncated && cut.rows.len() == 3, "{kind:?}");
        }
    }
}
