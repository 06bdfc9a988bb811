//! The window on narrow and wide screens and what it shows (issue 17, items
//! 2, 4, 6, 7): tables that scroll sideways and keep their column widths,
//! toolbars that wrap whole controls, the detail as an overlay on a narrow
//! window, the export path box taking the keyboard every time, reports with
//! human headers and labelled periods, and Trends' linked charts.

use crate::common::ui::*;
use crate::common::*;
use egui::accesskit::Role;
use egui_kittest::kittest::Queryable;
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
