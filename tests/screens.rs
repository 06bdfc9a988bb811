//! The window on narrow and wide screens and what it shows (issue 17, items
//! 2, 4, 6, 7): tables that scroll sideways and keep their column widths,
//! toolbars that wrap whole controls, the detail as an overlay on a narrow
//! window, the export path box taking the keyboard every time, reports with
//! human headers and labelled periods, and Trends' linked charts.

use crate::common::ui::*;
use crate::common::*;
use egui::accesskit::Role;
use egui_kittest::kittest::{NodeT, Queryable};
use shopkeeper::domain::OrderStatus;
use shopkeeper::store;

fn shop_with_sales() -> (tempfile::TempDir, store::Store) {
    let (dir, mut s) = ready_store();
    let ana = add_customer(&mut s, "Ana Lima", "ana@example.com");
    let isla = add_customer(&mut s, "Isla Moreno", "isla@example.com");
    let mug = add_product(&mut s, "MUG-1", "Blue mug", "12.50", 10);
    for (c, date, qty) in [
        (ana, "2026-03-04", 2),
        (isla, "2026-03-10", 1),
        (ana, "2026-04-02", 1),
    ] {
        let o = order(c, vec![line(mug, qty, 1250)]);
        let how = store::orders::Placement {
            at: Some((date.into(), "09:00:00".into())),
            ..Default::default()
        };
        s.write(|tx| store::orders::place(tx, &o, &how)).unwrap();
    }
    (dir, s)
}

fn no_dialogs() -> shopkeeper::ui::ScriptedDialogs {
    shopkeeper::ui::ScriptedDialogs {
        unavailable: true,
        ..Default::default()
    }
}

#[test]
fn the_export_path_box_takes_the_keyboard_every_time_it_opens() {
    let (dir, s) = shop_with_sales();
    let mut h = window_with(s, no_dialogs());
    h.run();
    h.key_press_modifiers(egui::Modifiers::CTRL, egui::Key::Num5);
    h.run_steps(3);
    for (time, name) in [
        ("first", "one.csv"),
        ("second", "two.csv"),
        ("third", "three.csv"),
    ] {
        h.get_by_label("Export…").click();
        h.run_steps(3);
        assert!(
            text_input(&h, "File").is_focused(),
            "the {time} time the path box opens, its field has the keyboard"
        );
        // Typed straight away, without a click: the field had the keyboard.
        h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
        let out = dir.path().join(name);
        h.event(egui::Event::Text(out.display().to_string()));
        h.key_press(egui::Key::Enter);
        wait_for(&mut h, "the exported file", |_| out.exists());
        assert!(h.query_by_role_and_label(Role::TextInput, "File").is_none());
    }
    // Cancelled, it takes the keyboard again too.
    h.get_by_label("Export…").click();
    h.run_steps(3);
    h.get_by_role_and_label(Role::Button, "Cancel").click();
    h.run_steps(3);
    h.get_by_label("Export…").click();
    h.run_steps(3);
    assert!(text_input(&h, "File").is_focused(), "after a cancel");
}

/// Where a node is on screen: (left, top, right, bottom).
fn rect_of(node: &egui_kittest::Node<'_>) -> (f64, f64, f64, f64) {
    let b = node.accesskit_node().bounding_box().expect("on screen");
    (b.x0, b.y0, b.x1, b.y1)
}

fn narrow(s: store::Store) -> Window {
    window(
        s,
        WindowOptions {
            size: egui::vec2(1024.0, 600.0),
            ..Default::default()
        },
    )
}

#[test]
fn on_a_narrow_window_the_detail_lies_over_the_list_and_leaves_its_toolbar_free() {
    let (_dir, s) = shop_with_sales();
    let mut h = narrow(s);
    h.run();
    h.key_press_modifiers(egui::Modifiers::CTRL, egui::Key::Num2);
    h.run_steps(3);
    h.get_by_role_and_label(Role::Label, "Blue mug").click();
    h.run_steps(4);
    // The detail's left edge (its first button) and top (its close button).
    let left = rect_of(&h.get_by_role_and_label(Role::Button, "Adjust stock…")).0;
    let top = rect_of(&h.get_by_role_and_label(Role::Button, "×")).1;
    let detail = (left, top);
    for control in ["Low stock only", "Show archived", "Search"] {
        let c = rect_of(&h.get_by_label(control));
        assert!(
            c.2 <= 1024.0 && (c.2 <= detail.0 || c.3 <= detail.1),
            "{control} at {c:?} is not under the detail (its button at {detail:?})"
        );
    }

    // Orders: "For customer" stays one line beside its field.
    h.key_press_modifiers(egui::Modifiers::CTRL, egui::Key::Num3);
    h.run_steps(3);
    h.get_by_role_and_label(Role::Label, "#000003").click();
    h.run_steps(4);
    let label = rect_of(&h.get_by_role_and_label(Role::Label, "For customer"));
    let field = rect_of(&text_input(&h, "For customer"));
    assert!(label.3 - label.1 < 24.0, "one line: {label:?}");
    assert!(
        (label.1 + label.3 - field.1 - field.3).abs() < 4.0,
        "beside its field: {label:?} {field:?}"
    );
    assert!(field.2 <= 1024.0, "on screen: {field:?}");
}

#[test]
fn a_wide_report_scrolls_sideways_to_its_last_column() {
    let (_dir, s) = shop_with_sales();
    let mut h = narrow(s);
    h.run();
    h.key_press_modifiers(egui::Modifiers::CTRL, egui::Key::Num5);
    h.run_steps(3);
    h.get_by_role_and_label(Role::ComboBox, "Report").click();
    h.run_steps(2);
    h.get_by_label("Order lines").click();
    wait_for(&mut h, "the order lines", |h| shows(h, "#000003"));
    let last = h.get_by_role_and_label(Role::Button, "Status");
    last.scroll_to_me();
    h.run_steps(4);
    let status = rect_of(&h.get_by_role_and_label(Role::Button, "Status"));
    assert!(
        status.0 >= 150.0 && status.2 <= 1024.0,
        "the last column's header scrolled into view: {status:?}"
    );
}

/// A report longer than the screen holds shows its first rows, but its
/// row count and totals row are of every row (they were of the rows shown:
/// the payments of a million orders read a tenth of their total).
#[test]
fn a_report_longer_than_the_screen_totals_every_row() {
    let (_dir, s) = shop_with_sales();
    let mut h = open_window(s);
    h.state_mut().set_screen_rows(2);
    h.run();
    reports(&mut h, "Order lines");
    h.key_press(egui::Key::Escape);
    wait_for(&mut h, "every row added up", |h| shows(h, "3 rows"));
    assert!(
        shows(&h, "showing the first 2; Export writes them all"),
        "{:?}",
        texts(&h)
    );
    // Two of the three lines on screen, all three totalled: 2 + 1 + 1 mugs
    // at 12.50.
    assert_eq!(rows_with(&h, "#000001").len(), 1);
    assert_eq!(rows_with(&h, "#000003").len(), 0);
    let total = rows_with(&h, "Total");
    assert!(
        total
            .iter()
            .any(|row| row.contains(&"4".to_owned()) && row.contains(&"$50.00".to_owned())),
        "{total:?}"
    );

    // Sales by day over all time: one row a day since the first sale.
    reports(&mut h, "Sales by date");
    h.key_press(egui::Key::Escape);
    wait_for(&mut h, "sales by day added up", |h| {
        rows_with(h, "Total")
            .iter()
            .any(|row| row.starts_with(&["Total".into(), "3".into(), "4".into(), "$50.00".into()]))
    });

    // A report the screen holds whole counts and totals its rows as before.
    reports(&mut h, "Top customers");
    h.key_press(egui::Key::Escape);
    wait_for(&mut h, "the top customers", |h| shows(h, "2 rows"));
    assert!(!shows(&h, "showing the first 2; Export writes them all"));
    assert!(!shows(&h, "Adding up every row…"));
}

/// A total of a billion ("$999,999,999.90") is read whole: its column
/// starts wide enough for it, not only for its header and rows.
#[test]
fn a_big_total_is_not_cut() {
    let (_dir, mut s) = ready_store();
    let ana = add_customer(&mut s, "Ana Lima", "ana@example.com");
    let press = add_product(&mut s, "PRESS-1", "Printing press", "99999999.99", 10);
    let o = order(ana, vec![line(press, 10, 9_999_999_999)]);
    s.write(|tx| store::orders::place(tx, &o, &Default::default()))
        .unwrap();
    let mut h = open_window(s);
    h.run();
    reports(&mut h, "Sales by date");
    h.key_press(egui::Key::Escape);
    report_by(&mut h, "day");
    // The day's row, not the month's (the same figures) before it.
    wait_for(&mut h, "the sales by day", |h| {
        shows(h, "$999,999,999.90") && h.query_by_role_and_label(Role::Button, "Date").is_some()
    });
    h.run_steps(2);
    // The totals row's first one (gross sales; revenue and total follow).
    let found: Vec<_> = h
        .query_all_by_label("$999,999,999.90")
        .map(|n| rect_of(&n))
        .collect();
    let bottom = found.iter().map(|r| r.1).fold(f64::MIN, f64::max);
    let total = found
        .into_iter()
        .filter(|r| r.1 == bottom)
        .min_by(|a, b| a.0.total_cmp(&b.0))
        .expect("the totals row");
    // Right-aligned in its column with room to spare; cut, it filled the
    // column from its left edge, ending in "…".
    let column = rect_of(&h.get_by_role_and_label(Role::Button, "Gross sales"));
    assert!(
        total.0 > column.0 + 2.0,
        "the gross sales total {total:?} fills its column from {column:?}: cut"
    );

    // Its refunds say which refunds they are (Payments by method counts
    // more: those of orders returned whole too).
    h.get_by_role_and_label(Role::Button, "Refunds").hover();
    h.run_steps(12);
    assert!(
        texts(&h).iter().any(
            |t| t.starts_with("Refunds paid in the period on orders that still count as sales")
        ),
        "{:?}",
        texts(&h)
    );
}

/// A customer's number in a report reads as the number it is ("1500", not
/// "1,500"), under a header that says it is one.
#[test]
fn customer_numbers_read_as_numbers() {
    let (_dir, mut s) = ready_store();
    // The next customer is number 1500.
    s.write(|tx| {
        Ok(tx.execute_batch(
            "INSERT INTO customers (id, name, created_at, updated_at)
             VALUES (1499, 'Placeholder', '2026-01-01 09:00:00', '2026-01-01 09:00:00')",
        )?)
    })
    .unwrap();
    let ana = add_customer(&mut s, "Ana Lima", "ana@example.com");
    assert_eq!(ana, 1500);
    let mug = add_product(&mut s, "MUG-1", "Blue mug", "12.50", 10);
    s.write(|tx| {
        store::orders::place(
            tx,
            &order(ana, vec![line(mug, 1, 1250)]),
            &Default::default(),
        )
    })
    .unwrap();
    let mut h = open_window(s);
    h.run();
    for report in ["Customer lifetime value", "Customer segments (RFM)"] {
        reports(&mut h, report);
        h.key_press(egui::Key::Escape);
        wait_for(&mut h, report, |h| shows(h, "1500"));
        assert!(!shows(&h, "1,500"), "{report}: {:?}", texts(&h));
        assert!(
            h.query_by_role_and_label(Role::Button, "Customer number")
                .is_some(),
            "{report}: {:?}",
            texts(&h)
        );
        // As wide as a number's column, not a name's: 220 points of
        // digits pushed "Days between orders" out of sight at 1366.
        let left = |label: &str| {
            h.query_by_role_and_label(Role::Button, label)
                .and_then(|n| n.accesskit_node().bounding_box())
                .map(|b| b.x0)
                .unwrap_or_else(|| panic!("{report}: no {label} header"))
        };
        let width = left("Name") - left("Customer number");
        assert!(width < 160.0, "{report}: Customer number is {width} wide");
    }
}

/// The reorder list and dead stock say what they go by (the shop's days,
/// set in Insights > Products): "Sold recently" said nothing of its days.
#[test]
fn the_stock_lists_say_what_they_go_by() {
    let (_dir, s) = shop_with_sales();
    let mut h = open_window(s);
    h.run();
    h.key_press_modifiers(egui::Modifiers::CTRL, egui::Key::Num5);
    h.run_steps(3);
    for (report, says) in [
        (
            "What to reorder",
            "sold recently: the last 30 days (less refunds); listed when",
        ),
        ("Dead stock", "in stock, no sale in 90 days or more"),
    ] {
        pick_report(&mut h, report);
        wait_for(&mut h, report, |h| {
            texts(h).iter().any(|t| t.starts_with(says))
        });
    }
}

/// A movement's reason in words is read whole ("Back from the or…").
#[test]
fn a_movements_reason_is_not_cut() {
    let (_dir, mut s) = shop_with_sales();
    for to in [
        OrderStatus::Paid,
        OrderStatus::Shipped,
        OrderStatus::Delivered,
        OrderStatus::Returned,
    ] {
        s.write(|tx| store::orders::set_status(tx, 1, to)).unwrap();
    }
    let mut h = open_window(s);
    h.run();
    h.key_press_modifiers(egui::Modifiers::CTRL, egui::Key::Num5);
    h.run_steps(3);
    pick_report(&mut h, "Inventory movements");
    wait_for(&mut h, "the movements", |h| shows(h, "Back from the order"));
    let reason = rect_of(&h.get_by_label("Back from the order"));
    let next = rect_of(&h.get_by_role_and_label(Role::Button, "Order"));
    // Cut, it filled its column: it ended 10 points (the spacing between
    // columns) before the next one.
    assert!(
        reason.2 < next.0 - 14.0,
        "the reason {reason:?} fills its column up to the next, {next:?}: cut"
    );
}

fn reports(h: &mut Window, report: &str) {
    h.key_press_modifiers(egui::Modifiers::CTRL, egui::Key::Num5);
    h.run_steps(3);
    h.get_by_role_and_label(Role::ComboBox, "Report").click();
    h.run_steps(2);
    // The list's entry (it can be chosen, so it is toggled or not), not a
    // column of the same name ("Tax") of the report already shown, whose
    // rows may have come in the background meanwhile.
    h.query_all_by_label(report)
        .find(|n| n.accesskit_node().toggled().is_some())
        .unwrap_or_else(|| panic!("no entry {report} in the list of reports"))
        .click();
    h.run_steps(2);
}

/// The tax report's "This month" and "Last month" come by month, for a
/// return (a German tryout's "This month" of VAT came by day); its weeks by
/// day; Sales by date keeps a month by day.
#[test]
fn the_tax_report_takes_a_month_by_month() {
    let (_dir, s) = shop_with_sales();
    let mut h = open_window(s);
    h.run();
    reports(&mut h, "Tax");
    let by = |h: &Window| {
        h.get_by_role_and_label(Role::ComboBox, "By")
            .value()
            .unwrap_or_default()
    };
    for (preset, want) in [
        ("This month", "month"),
        ("Last week", "day"),
        ("Last month", "month"),
    ] {
        h.get_by_label(preset).click();
        h.run_steps(2);
        assert_eq!(by(&h), want, "{preset}");
    }
    reports(&mut h, "Sales by date");
    h.get_by_label("Last month").click();
    h.run_steps(2);
    assert_eq!(by(&h), "day");
}

/// The report shown, by month: its months in words, the first (the shop's
/// first order on the 4th) partial, under the header "Month".
#[track_caller]
fn by_month_reads_months_in_words(h: &mut Window) {
    h.get_by_role_and_label(Role::ComboBox, "By").click();
    h.run_steps(2);
    h.get_by_label("month").click();
    wait_for(h, "the report by month", |h| shows(h, "April 2026"));
    assert!(shows(h, "March 2026 (partial)"), "{:?}", texts(h));
    assert!(!shows(h, "2026-03"), "{:?}", texts(h));
    assert!(h.query_by_role_and_label(Role::Button, "Month").is_some());
}

fn today() -> String {
    chrono::Local::now().format("%Y-%m-%d").to_string()
}

#[test]
fn reports_on_screen_read_in_words_and_show_the_values_they_ran_with() {
    let (_dir, s) = shop_with_sales();
    let mut h = open_window(s);
    h.run();
    reports(&mut h, "Order lines");
    wait_for(&mut h, "the order lines", |h| shows(h, "#000003"));
    for header in ["Unit price", "Line total", "SKU", "Product", "Status"] {
        assert!(
            h.query_by_role_and_label(Role::Button, header).is_some(),
            "the header {header:?}: {:?}",
            texts(&h)
        );
    }
    assert!(
        h.query_by_role_and_label(Role::Button, "unit_price")
            .is_none()
    );

    // Sales by month: the first month (the shop's first order on the 4th) is partial.
    reports(&mut h, "Sales by date");
    by_month_reads_months_in_words(&mut h);
    h.get_by_role_and_label(Role::ComboBox, "By").click();
    h.run_steps(2);
    h.get_by_label("week").click();
    wait_for(&mut h, "sales by week", |h| shows(h, "Week of 2026-03-09"));
    assert!(shows(&h, "Week of 2026-03-02 (partial)"), "{:?}", texts(&h));

    // Tax by month reads its months the same way (it read "2026-03"); by
    // way of a report without a "Tax" column, which would be found too.
    reports(&mut h, "Top customers");
    reports(&mut h, "Tax");
    by_month_reads_months_in_words(&mut h);

    h.get_by_label("Show SQL").click();
    h.run_steps(3);
    let ran = format!("Ran with :from = '2026-03-04', :to = '{}'", today());
    assert!(shows(&h, &ran), "{:?}", texts(&h));
}

#[test]
fn sales_by_week_fits_a_1366_wide_window() {
    use crate::common::ui::{WindowOptions, window};
    let (_dir, s) = shop_with_sales();
    let mut h = window(
        s,
        WindowOptions {
            size: egui::vec2(1366.0, 768.0),
            ..Default::default()
        },
    );
    h.run();
    reports(&mut h, "Sales by date");
    h.get_by_role_and_label(Role::ComboBox, "By").click();
    h.run_steps(2);
    h.get_by_label("week").click();
    wait_for(&mut h, "sales by week", |h| shows(h, "Week of 2026-03-09"));
    // Its last column in sight, without scrolling sideways (every column
    // 110 points wide put Refunds past the edge).
    // Its header starts the column; the amounts below it are right-aligned
    // in at least 100 points.
    let refunds = h.get_by_role_and_label(Role::Button, "Refunds").rect();
    assert!(
        refunds.min.x + 100.0 <= 1366.0 - 8.0,
        "Refunds at {refunds:?}"
    );
}

#[test]
fn the_customer_history_report_finds_a_customer_by_name() {
    let (_dir, s) = shop_with_sales();
    let mut h = open_window(s);
    h.run();
    reports(&mut h, "Customer order history");
    h.run_steps(3);
    // Nothing typed yet: a hint, not an error.
    assert!(shows(
        &h,
        "Type a customer's name, email or phone above, then pick them."
    ));
    assert!(
        !texts(&h).iter().any(|t| t.contains("choose the customer")),
        "{:?}",
        texts(&h)
    );
    let field = text_input(&h, "Customer");
    field.focus();
    field.type_text("Isla");
    h.run_steps(3);
    h.get_by_label("Isla Moreno  ·  isla@example.com").click();
    wait_for(&mut h, "Isla's orders", |h| shows(h, "#000002"));
    // Named with the email, which tells apart customers of one name.
    assert!(
        shows(&h, "Isla Moreno  ·  isla@example.com"),
        "{:?}",
        texts(&h)
    );
    assert!(!shows(&h, "#000001"), "only Isla's orders");
    h.get_by_label("Show SQL").click();
    h.run_steps(3);
    let ran = format!(
        "Ran with :from = '2026-03-04', :to = '{}', :customer = 2",
        today()
    );
    assert!(shows(&h, &ran), "{:?}", texts(&h));

    // Enter takes the first match.
    h.get_by_label("Change").click();
    h.run_steps(2);
    let field = text_input(&h, "Customer");
    field.focus();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    text_input(&h, "Customer").type_text("ana");
    h.run_steps(3);
    h.key_press(egui::Key::Enter);
    wait_for(&mut h, "Ana's orders", |h| shows(h, "#000003"));
    assert!(
        texts(&h).iter().any(|t| t.starts_with("Ana Lima  ·  ")),
        "{:?}",
        texts(&h)
    );
}

fn overlaps(a: (f64, f64, f64, f64), b: (f64, f64, f64, f64)) -> bool {
    a.0 < b.2 && b.0 < a.2 && a.1 < b.3 && b.1 < a.3
}

#[test]
fn trends_charts_share_their_x_axis_and_keep_the_legend_off_the_points() {
    let (_dir, s) = shop_with_sales();
    let mut h = open_window(s);
    h.run();
    h.key_press_modifiers(egui::Modifiers::CTRL, egui::Key::Num4);
    h.run_steps(3);
    h.get_by_label("All time").click();
    h.run_steps(2);
    h.get_by_label("Weekly").click();
    h.run_steps(4);
    // The saved PNG is this block: its title names the range.
    let title = format!("Sales, 2026-03-04 to {}, by week", today());
    assert!(shows(&h, &title), "{:?}", texts(&h));
    let revenue = rect_of(&h.get_by_label("Revenue chart"));
    let orders = rect_of(&h.get_by_label("Orders chart"));
    assert!(
        (revenue.0 - orders.0).abs() < 1.0 && (revenue.2 - orders.2).abs() < 1.0,
        "one x axis: revenue {revenue:?}, orders {orders:?}"
    );
    // The legend stands beside the title line, over no point; the first
    // week (from Wednesday 4 March) is partial, and says so.
    for entry in ["4-week average", "Previous period", "Partial week"] {
        let e = rect_of(&h.get_by_label(entry));
        assert!(
            !overlaps(e, revenue),
            "{entry} at {e:?} over the chart {revenue:?}"
        );
    }
    // Hiding the average is the legend's toggle.
    h.get_by_label("4-week average").click();
    h.run_steps(2);
    assert!(h.query_by_label("4-week average").is_some());
}

#[test]
fn a_list_shows_the_columns_the_user_chose_and_keeps_the_choice() {
    let (_dir, s) = shop_with_sales();
    let mut h = open_window(s);
    h.run();
    assert!(h.query_by_role_and_label(Role::Button, "Phone").is_some());
    h.get_by_label("Columns").click();
    h.run_steps(2);
    h.get_by_role_and_label(Role::CheckBox, "Phone").click();
    h.run_steps(2);
    // The menu stays open for the next tick.
    h.get_by_role_and_label(Role::CheckBox, "City").click();
    h.key_press(egui::Key::Escape);
    h.run_steps(3);
    assert!(h.query_by_role_and_label(Role::Button, "Phone").is_none());
    assert!(h.query_by_role_and_label(Role::Button, "City").is_none());
    assert!(
        has_row(&h, &["Isla Moreno", "isla@example.com", "1", "$12.50"]),
        "{:?}",
        texts(&h)
    );
    // Kept when the panel is left and opened again.
    h.key_press_modifiers(egui::Modifiers::CTRL, egui::Key::Num2);
    h.run_steps(2);
    h.key_press_modifiers(egui::Modifiers::CTRL, egui::Key::Num1);
    h.run_steps(3);
    assert!(h.query_by_role_and_label(Role::Button, "Phone").is_none());
    assert!(
        h.query_by_role_and_label(Role::Button, "Total spent")
            .is_some()
    );
}

/// A customer with a long email and address (in Madrid), whose detail is
/// as wide as a detail gets.
fn add_long_customer(s: &mut store::Store, name: &str, email: &str) {
    let long = shopkeeper::domain::CustomerDraft {
        name: name.into(),
        email: email.into(),
        address: "58 Avenida de la Constitución".into(),
        postal_code: "28001".into(),
        city: "Madrid".into(),
        country: "Spain".into(),
        ..Default::default()
    }
    .validate()
    .unwrap();
    s.write(|tx| store::customers::insert(tx, &long)).unwrap();
}

/// With a customer's detail open, the list keeps their orders and total
/// spent in sight: on a wide screen (its last column fills what is left)
/// and on an ordinary laptop's 1366x768, where the columns after them
/// (phone, city, country) are the ones that scroll.
#[test]
fn a_list_fills_a_window_made_wider_and_its_last_column_stays_in_view() {
    let (_dir, mut s) = shop_with_sales();
    // A long address widens the detail as far as it goes.
    add_long_customer(
        &mut s,
        "Isla Moreno-Fernández",
        "isla.moreno.fernandez713@hotmail.es",
    );
    let mut h = open_window(s);
    h.run();
    for (width, height) in [(1920.0, 1080.0), (1366.0, 768.0)] {
        h.set_size(egui::vec2(width, height));
        h.run_steps(3);
        if h.query_by_role_and_label(Role::Button, "Edit…").is_none() {
            h.get_by_role_and_label(Role::Label, "Isla Moreno-Fernández")
                .click();
            h.run_steps(6);
        }
        // Isla Moreno's total in the list.
        let spent = rect_of(&h.get_by_role_and_label(Role::Label, "$12.50"));
        // The detail's first button stands at its left edge.
        let detail = rect_of(&h.get_by_role_and_label(Role::Button, "New order…")).0;
        for column in ["Orders", "Total spent"] {
            // The list's header, not the panel's button in the navigation.
            let header = h
                .query_all_by_role_and_label(Role::Button, column)
                .map(|n| rect_of(&n))
                .max_by(|a, b| a.0.total_cmp(&b.0))
                .expect("the column's header");
            assert!(
                header.2 <= detail,
                "{column} at {header:?} is left of the detail at {detail} ({width}x{height})"
            );
        }
        assert!(
            spent.2 <= detail,
            "Total spent at {spent:?} is left of the detail at {detail} ({width}x{height})"
        );
    }
}

#[test]
fn a_detail_over_the_list_keeps_its_content_inside_it() {
    let (_dir, mut s) = shop_with_sales();
    add_long_customer(
        &mut s,
        "Alejandro Fernández",
        "alejandro.fernandez713@hotmail.es",
    );
    // Ana's order of a wide total, in her detail's order history.
    let ana: i64 = s
        .conn()
        .query_row(
            "SELECT id FROM customers WHERE name = 'Ana Lima'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let lamp = add_product(&mut s, "LAMP-1", "Lamp", "1234.56", 5);
    let o = order(ana, vec![line(lamp, 1, 123_456)]);
    s.write(|tx| store::orders::place(tx, &o, &Default::default()))
        .unwrap();
    let mut h = narrow(s);
    h.run();
    h.get_by_role_and_label(Role::Label, "Alejandro Fernández")
        .click();
    h.run_steps(4);
    for button in ["New order…", "Edit…", "Export history…", "Delete…"] {
        let b = rect_of(&h.get_by_role_and_label(Role::Button, button));
        assert!(
            b.2 <= 1024.0 - 8.0,
            "{button} at {b:?} inside the window's detail"
        );
    }
    // The history's total is in sight whole (its items may be cut short).
    h.get_by_role_and_label(Role::Label, "Ana Lima").click();
    h.run_steps(4);
    let total = h
        .query_all_by_role_and_label(Role::Label, "$1,234.56")
        .map(|n| rect_of(&n))
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .expect("the history's total");
    assert!(total.2 <= 1024.0 - 8.0, "the order's total at {total:?}");
}

/// Year over year compares the year of its end date with the year before,
/// and the reorder list and dead stock stand on one day: the panel asks
/// only for that day (a "From" would be ignored), drops a start date chosen
/// for another report, and says the day the report stands on.
#[test]
fn reports_of_one_day_ask_for_that_day_and_no_start_date() {
    use chrono::Datelike;
    let (_dir, s) = shop_with_sales();
    let mut h = open_window(s);
    h.run();
    reports(&mut h, "Sales by date");
    assert!(h.query_by_role_and_label(Role::CheckBox, "From").is_some());
    // Last month: a start and an end date.
    h.get_by_label("Last month").click();
    h.run_steps(2);
    let today = chrono::Local::now().date_naive();
    let end = today.with_day(1).unwrap() - chrono::Duration::days(1);
    for report in [
        "This year against last, by week",
        "What to reorder",
        "Dead stock",
    ] {
        pick_report(&mut h, report);
        wait_for(&mut h, report, |h| {
            h.query_by_label_contains(&format!("{report}, as of "))
                .is_some()
        });
        assert!(
            h.query_by_role_and_label(Role::CheckBox, "From").is_none(),
            "{report}: no start date asked for: {:?}",
            texts(&h)
        );
        assert!(h.query_by_role_and_label(Role::CheckBox, "As of").is_some());
        assert!(
            h.query_by_label("Last month").is_none(),
            "no ranges offered"
        );
    }
    h.get_by_label("Show SQL").click();
    h.run_steps(3);
    let ran = format!("Ran with :to = '{}'", end.format("%Y-%m-%d"));
    assert!(shows(&h, &ran), "{:?}", texts(&h));
}

/// With days written the shop's way (31/12/2026), the Reports panel's
/// periods and Trends' title write them so too, as every other date on
/// screen (they stayed 2026-03-04); files keep ISO days.
#[test]
fn report_periods_and_the_trends_title_write_days_the_shops_way() {
    let (_dir, mut s) = shop_with_sales();
    let mut settings = store::settings::load(s.conn()).unwrap();
    settings.date_style = shopkeeper::domain::format::DateStyle::DayMonthYear;
    s.write(|tx| store::settings::save(tx, &settings)).unwrap();
    let mut h = open_window(s);
    h.run();
    reports(&mut h, "Sales by date");
    // All time opens by month; by day its days are written the shop's way.
    wait_for(&mut h, "the report's months", |h| {
        shows(h, "March 2026 (partial)")
    });
    report_by(&mut h, "day");
    wait_for(&mut h, "the report's rows", |h| shows(h, "04/03/2026"));
    assert!(!shows(&h, "2026-03-04"), "{:?}", texts(&h));
    h.key_press_modifiers(egui::Modifiers::CTRL, egui::Key::Num4);
    h.run_steps(3);
    h.get_by_label("All time").click();
    h.run_steps(2);
    h.get_by_label("Weekly").click();
    h.run_steps(4);
    let dmy = chrono::Local::now().format("%d/%m/%Y").to_string();
    let title = format!("Sales, 04/03/2026 to {dmy}, by week");
    assert!(shows(&h, &title), "{:?}", texts(&h));
}

/// A shop writing a decimal comma reads Trends' margin percent its way
/// ("(52,0%)"), as every other percent on screen.
#[test]
fn the_trends_margin_writes_the_shops_decimal_mark() {
    let (dir, mut s) = ready_store();
    let ana = add_customer(&mut s, "Ana Lima", "ana@example.com");
    let mug = add_product(&mut s, "MUG-1", "Blue mug", "12.50", 10);
    // 25.00 of mugs that cost 12.00: a margin of 13.00, 52 %.
    let mut two = line(mug, 2, 1250);
    two.unit_cost = shopkeeper::domain::Money(600);
    let how = store::orders::Placement {
        at: Some(("2026-03-04".into(), "09:00:00".into())),
        ..Default::default()
    };
    s.write(|tx| store::orders::place(tx, &order(ana, vec![two]), &how))
        .unwrap();
    use_decimal_comma(&mut s);
    let mut h = open_window(s);
    h.run();
    h.key_press_modifiers(egui::Modifiers::CTRL, egui::Key::Num4);
    h.run_steps(3);
    h.get_by_label("All time").click();
    wait_for(&mut h, "the margin", |h| {
        texts(h).iter().any(|t| t.starts_with("Margin "))
    });
    let margin = texts(&h)
        .into_iter()
        .find(|t| t.starts_with("Margin "))
        .unwrap_or_default();
    assert!(margin.contains("(52,0%)"), "{margin}");
    drop(dir);
}

/// With an order's detail open beside the list, the list's last column
/// (Status) is still whole left of the detail: the customer's name gives
/// way instead (the Status column read "Shi" and "Pai" at 1280 and 1366).
#[test]
fn the_orders_status_stays_in_sight_beside_the_detail() {
    for width in [1280.0, 1366.0] {
        let (_dir, mut s) = ready_store();
        let ana = add_customer(&mut s, "Ana Lima", "ana@example.com");
        let mug = add_product(&mut s, "MUG-1", "Blue mug", "12.50", 10);
        let pending = order(ana, vec![line(mug, 1, 1250)]);
        s.write(|tx| store::orders::place(tx, &pending, &Default::default()))
            .unwrap();
        let mut h = window(
            s,
            WindowOptions {
                size: egui::vec2(width, 768.0),
                ..Default::default()
            },
        );
        h.run();
        h.key_press_modifiers(egui::Modifiers::CTRL, egui::Key::Num3);
        h.run_steps(3);
        h.get_by_role_and_label(Role::Label, "#000001").click();
        h.run_steps(4);
        let detail = rect_of(&h.get_by_role_and_label(Role::Label, "Order #000001")).0;
        let status = h
            .query_all_by_role_and_label(Role::Label, "Pending")
            .map(|n| rect_of(&n))
            .fold(None, |left: Option<(f64, f64, f64, f64)>, r| match left {
                Some(l) if l.0 <= r.0 => Some(l),
                _ => Some(r),
            })
            .expect("the order's status in the list");
        assert!(
            status.2 <= detail,
            "at {width}: the list's Pending ends at {} beyond the detail at {detail}",
            status.2
        );
    }
}

/// The tax report names tax an import gave as an amount in full, refunds
/// too ("Tax as given (ref…" was cut), and its Rate header says what the
/// names mean.
#[test]
fn the_tax_report_names_tax_as_given_whole_and_says_what_it_is() {
    use shopkeeper::domain::{Money, NewOrder, Terms};
    use shopkeeper::store::orders::{self, Placement};
    let (_dir, mut s) = ready_store();
    let ana = add_customer(&mut s, "Ana Lima", "ana@example.com");
    let mug = add_product(&mut s, "MUG-1", "Blue mug", "12.50", 10);
    let given = NewOrder {
        terms: Terms {
            tax: Some(Money(250)),
            ..Terms::default()
        },
        ..order(ana, vec![line(mug, 2, 1250)])
    };
    let how = Placement {
        at: Some(("2026-03-04".into(), "09:00:00".into())),
        ..Default::default()
    };
    let id = s.write(|tx| orders::place(tx, &given, &how)).unwrap();
    s.write(|tx| orders::mark_paid(tx, id, "Card", "2026-03-04"))
        .unwrap();
    refund_one(&mut s, id, "2026-03-05");
    let mut h = window(
        s,
        WindowOptions {
            size: egui::vec2(1024.0, 600.0),
            ..Default::default()
        },
    );
    h.run();
    // By way of a report without a "Tax" column (Sales by date, shown
    // first, has one, which would be found too).
    reports(&mut h, "Top customers");
    reports(&mut h, "Tax");
    wait_for(&mut h, "the tax report", |h| {
        shows(h, "Tax as given (refunds)")
    });
    let name = rect_of(&h.get_by_role_and_label(Role::Label, "Tax as given (refunds)"));
    let next = rect_of(&h.get_by_role_and_label(Role::Button, "Percent"));
    assert!(
        name.2 <= next.0,
        "the name {name:?} runs into Percent at {next:?}"
    );
    h.get_by_role_and_label(Role::Button, "Rate").hover();
    h.run_steps(12);
    assert!(
        texts(&h)
            .iter()
            .any(|t| t.contains("\"Tax as given\": tax an imported order gave as an amount")),
        "{:?}",
        texts(&h)
    );
}

/// Margin by month names its months in words, as every other report does
/// ("2026-03" read as a code in a tryout); "This week" is offered beside
/// "This month".
#[test]
fn margin_by_month_reads_months_in_words() {
    let (_dir, s) = shop_with_sales();
    let mut h = open_window(s);
    h.run();
    reports(&mut h, "Margin by month");
    h.get_by_label("All time").click();
    wait_for(&mut h, "margin by month", |h| shows(h, "April 2026"));
    assert!(!shows(&h, "2026-04"), "{:?}", texts(&h));
    assert!(h.query_by_label("This week").is_some());
    assert!(h.query_by_label("Last week").is_some());
}

/// An order's lines with every column (a line discount, tax, a unit
/// returned) fit the detail at 1280: "Returned" was cut ("Retu…").
#[test]
fn an_orders_lines_with_every_column_fit_the_detail() {
    use shopkeeper::domain::{Discount, Money, OrderLine, Rate};
    use shopkeeper::store::orders;
    let (_dir, mut s) = ready_store();
    let ana = add_customer(&mut s, "Ana Lima", "ana@example.com");
    let tea = add_product(&mut s, "TEA-EG", "Earl Grey 250g", "12.00", 10);
    let pot = add_product(&mut s, "POT-CI", "Cast Iron Teapot", "34.99", 10);
    let taxed = |product, quantity, cents, discount| OrderLine {
        tax_rate: Rate(20_000),
        discount,
        ..line(product, quantity, cents)
    };
    let o = order(
        ana,
        vec![
            taxed(tea, 2, 1200, Discount::Amount(Money(240))),
            taxed(pot, 1, 3499, Discount::None),
        ],
    );
    let id = s
        .write(|tx| orders::place(tx, &o, &Default::default()))
        .unwrap();
    s.write(|tx| orders::mark_paid(tx, id, "Card", &today()))
        .unwrap();
    refund_one(&mut s, id, &today());
    let mut h = open_window(s);
    h.run();
    h.key_press_modifiers(egui::Modifiers::CTRL, egui::Key::Num3);
    h.run_steps(3);
    h.get_by_role_and_label(Role::Label, "#000001").click();
    h.run_steps(4);
    let header = rect_of(&h.get_by_role_and_label(Role::Label, "Returned"));
    // Inside the window's margin and the room of the detail's scroll bar,
    // which a longer order (its payments, history, movements) shows.
    assert!(header.2 <= 1280.0 - 24.0, "Returned ends at {header:?}");
}

/// Choosing Excel greys the CSV options out rather than hiding them, so
/// Export… stays where it was (a tryout clicked beside it).
#[test]
fn export_stays_put_when_excel_is_chosen() {
    let (_dir, s) = shop_with_sales();
    let mut h = open_window(s);
    h.run();
    reports(&mut h, "Sales by date");
    let before = rect_of(&h.get_by_role_and_label(Role::Button, "Export…"));
    h.get_by_role_and_label(Role::ComboBox, "Export as").click();
    h.run_steps(2);
    h.get_by_label("Excel (.xlsx)").click();
    h.run_steps(3);
    let after = rect_of(&h.get_by_role_and_label(Role::Button, "Export…"));
    assert!(
        (after.0 - before.0).abs() < 1.0 && after.1 == before.1,
        "{before:?} moved to {after:?}"
    );
    let separator = h.get_by_role_and_label(Role::ComboBox, "Separator");
    assert!(separator.accesskit_node().is_disabled());
}
