//! The window on narrow and wide screens and what it shows (issue 17, items
//! 2, 4, 6, 7): tables that scroll sideways and keep their column widths,
//! toolbars that wrap whole controls, the detail as an overlay on a narrow
//! window, the export path box taking the keyboard every time, reports with
//! human headers and labelled periods, and Trends' linked charts.

use crate::common::ui::*;
use crate::common::*;
use egui::accesskit::Role;
use egui_kittest::kittest::{NodeT, Queryable};
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
    let last = h.get_by_role_and_label(Role::Button, "status");
    last.scroll_to_me();
    h.run_steps(4);
    let status = rect_of(&h.get_by_role_and_label(Role::Button, "status"));
    assert!(
        status.0 >= 150.0 && status.2 <= 1024.0,
        "the last column's header scrolled into view: {status:?}"
    );
}
