//! The real App driven through egui_kittest, without a GPU: find widgets by
//! their labels, type and click, then check the database and the screen.
//! Labels are matched exactly, and a number only within its row, field or
//! figure, so that the same number elsewhere on screen cannot pass a test.

use crate::common::ui::*;
use crate::common::*;
use egui::accesskit::Role;
use egui_kittest::kittest::{NodeT, Queryable};
use shopkeeper::domain::{MovementReason, ReportKind, ReportSpec};
use shopkeeper::store::{self, Store};
use shopkeeper::ui::{Panel, ScriptedDialogs};

#[test]
fn a_new_customer_typed_into_the_form_is_saved_and_listed() {
    let (_dir, s) = ready_store();
    let mut h = open_window(s);
    h.run();
    h.get_by_label("New customer").click();
    h.run();
    let name = text_input(&h, "Name");
    name.focus();
    name.type_text("Ana Lima");
    h.run();
    let email = text_input(&h, "Email");
    email.focus();
    email.type_text("ana@example.com");
    h.run();
    text_input(&h, "City").focus();
    text_input(&h, "City").type_text("Lisbon");
    h.run();
    // Enter in the form saves it.
    h.key_press(egui::Key::Enter);
    h.run();

    assert_eq!(customer_count(&h), 1);
    let c = store::customers::find_by_email(h.state().store().conn(), "ana@example.com")
        .unwrap()
        .expect("saved");
    assert_eq!(c.name, "Ana Lima");
    assert_eq!(c.city.as_deref(), Some("Lisbon"));
    // The form closed and the customer is in the table (and its detail).
    assert!(
        h.query_by_role_and_label(Role::TextInput, "Email")
            .is_none()
    );
    assert!(
        has_row(&h, &["Ana Lima", "ana@example.com", "0", "$0.00", "Lisbon"]),
        "her row in the table: {:?}",
        rows_with(&h, "ana@example.com")
    );

    // Search finds her.
    let search = text_input(&h, "Search");
    search.focus();
    search.type_text("lima");
    h.run();
    assert!(shows(&h, "1 shown"));

    // The middle of a word finds nothing, and the list says how to search
    // (it said only "0 shown"); the hint's own examples find her.
    clear(&mut h, "Search");
    text_input(&h, "Search").type_text("ple.com");
    h.run();
    assert!(shows(&h, "0 shown"));
    // ... and that archived customers are hidden while "Show archived" is not ticked.
    assert!(
        texts(&h).iter().any(|t| t
            .starts_with("No customer has a name, email or phone with words starting so")
            && t.ends_with("archived customers are found with \"Show archived\" ticked.")),
        "{:?}",
        texts(&h)
    );
    for found in ["example", "ana.lima", "ana@ex"] {
        clear(&mut h, "Search");
        text_input(&h, "Search").type_text(found);
        h.run();
        assert!(shows(&h, "1 shown"), "{found}: {:?}", texts(&h));
    }
}

#[test]
fn an_invalid_email_shows_its_error_and_writes_nothing() {
    let (_dir, s) = ready_store();
    let mut h = open_window(s);
    h.run();
    h.get_by_label("New customer").click();
    h.run();
    text_input(&h, "Name").focus();
    text_input(&h, "Name").type_text("Bob");
    h.run();
    text_input(&h, "Email").focus();
    text_input(&h, "Email").type_text("bob@");
    h.run();
    assert_eq!(
        field_error(&h, "Email").as_deref(),
        Some("that is not a valid email address, for example ana@example.com"),
        "the error shows under the field"
    );
    let save = h.get_by_role_and_label(Role::Button, "Save");
    assert!(save.accesskit_node().is_disabled(), "Save is disabled");
    save.click();
    h.run();
    h.key_press(egui::Key::Enter);
    h.run();
    assert_eq!(customer_count(&h), 0, "nothing was written");
    // The form is still open with the typed values.
    assert_eq!(text_input(&h, "Email").value().as_deref(), Some("bob@"));
}

#[test]
fn a_duplicate_email_is_refused_in_the_form() {
    let (_dir, mut s) = ready_store();
    add_customer(&mut s, "Ana", "ana@example.com");
    let mut h = open_window(s);
    h.run();
    h.get_by_label("New customer").click();
    h.run();
    text_input(&h, "Name").focus();
    text_input(&h, "Name").type_text("Ana Two");
    text_input(&h, "Email").focus();
    text_input(&h, "Email").type_text("ANA@example.com");
    h.run();
    assert_eq!(
        field_error(&h, "Email").as_deref(),
        Some("another customer already has this email address")
    );
    h.key_press(egui::Key::Enter);
    h.run();
    assert_eq!(customer_count(&h), 1);
}

#[test]
fn ctrl_2_shows_the_products_panel() {
    let (_dir, mut s) = ready_store();
    add_product(&mut s, "MUG-1", "Blue mug", "12.50", 10);
    let mut h = open_window(s);
    h.run();
    assert_eq!(h.state().panel(), Panel::Customers);
    h.key_press_modifiers(egui::Modifiers::CTRL, egui::Key::Num2);
    h.run();
    assert_eq!(h.state().panel(), Panel::Products);
    assert!(
        has_row(&h, &["MUG-1", "Blue mug", "$12.50", "10", "2"]),
        "{:?}",
        rows_with(&h, "MUG-1")
    );
    h.key_press_modifiers(egui::Modifiers::CTRL, egui::Key::Num1);
    h.run();
    assert_eq!(h.state().panel(), Panel::Customers);
}

/// A chord pressed and released within one frame (a barcode scanner, remote
/// desktop, automation): Ctrl goes down, 3 goes down and up, Ctrl goes up, all
/// before the frame is drawn. The frame's own modifiers then say "none", so
/// only the key event's modifiers can tell it was Ctrl+3.
#[test]
fn a_chord_pressed_and_released_within_one_frame_still_switches_the_panel() {
    let (_dir, s) = ready_store();
    let mut h = open_window(s);
    h.run();
    assert_eq!(h.state().panel(), Panel::Customers);
    let ctrl = egui::Modifiers::COMMAND | egui::Modifiers::CTRL;
    let key = |key, pressed, modifiers| egui::Event::Key {
        key,
        physical_key: None,
        pressed,
        repeat: false,
        modifiers,
    };
    let events = &mut h.input_mut().events;
    events.push(egui::Event::ModifiersChanged(ctrl));
    events.push(key(egui::Key::Num3, true, ctrl));
    events.push(key(egui::Key::Num3, false, ctrl));
    events.push(egui::Event::ModifiersChanged(egui::Modifiers::NONE));
    h.step();
    assert_eq!(h.state().panel(), Panel::Orders);
    // The same chord with Ctrl still held at the end of the frame.
    let events = &mut h.input_mut().events;
    events.push(egui::Event::ModifiersChanged(ctrl));
    events.push(key(egui::Key::Num2, true, ctrl));
    h.step();
    assert_eq!(h.state().panel(), Panel::Products);
}

/// The window on `s`, with Products > `product` > "Adjust stock…" open.
fn adjust_stock_of(s: Store, product: &str) -> Window {
    let mut h = open_window(s);
    h.run();
    h.key_press_modifiers(egui::Modifiers::CTRL, egui::Key::Num2);
    h.run();
    h.get_by_label(product).click();
    h.run();
    h.get_by_label("Adjust stock…").click();
    h.run();
    h
}

/// Under "Low stock only", a delivery takes a product off the list while its
/// detail stays open: the detail says so (a month-end tryout, clicking where
/// the next row had been, put that row's delivery on the product still shown).
#[test]
fn a_product_no_longer_listed_says_so_in_its_detail() {
    let (_dir, mut s) = ready_store();
    add_product(&mut s, "MUG-1", "Blue mug", "12.50", 1);
    add_product(&mut s, "TEA-1", "Green tea", "4.50", 0);
    let mut h = open_window(s);
    h.run();
    h.key_press_modifiers(egui::Modifiers::CTRL, egui::Key::Num2);
    h.run();
    h.get_by_label("Low stock only").click();
    h.run_steps(3);
    h.get_by_label("Blue mug").click();
    h.run();
    let note = "Not in the list as it is searched and filtered now.";
    assert!(!shows(&h, note), "{:?}", texts(&h));
    h.get_by_label("Adjust stock…").click();
    h.run();
    text_input(&h, "Quantity").focus();
    text_input(&h, "Quantity").type_text("20");
    h.run();
    h.get_by_role_and_label(Role::Button, "Save").click();
    h.run_steps(3);
    assert!(shows(&h, note), "{:?}", texts(&h));
    // Shown whole again, it is listed.
    h.get_by_label("Low stock only").click();
    h.run_steps(3);
    assert!(!shows(&h, note), "{:?}", texts(&h));
}

#[test]
fn a_stock_adjustment_changes_the_stock_and_adds_a_movement() {
    let (_dir, mut s) = ready_store();
    let id = add_product(&mut s, "MUG-1", "Blue mug", "12.50", 10);
    let mut h = adjust_stock_of(s, "Blue mug");
    let qty = text_input(&h, "Quantity");
    qty.focus();
    qty.type_text("-4");
    h.run();
    assert!(
        h.query_by_label("New stock: 6 (was 10)").is_some(),
        "the form previews the result"
    );
    // Units taken out are not "Received" (the reason for units in): the
    // reason not picked yet follows the quantity.
    assert_eq!(
        h.get_by_role_and_label(Role::ComboBox, "Reason")
            .value()
            .as_deref(),
        Some("Correction")
    );
    h.get_by_role_and_label(Role::Button, "Save").click();
    h.run();

    let conn = h.state().store().conn();
    assert_eq!(store::products::get(conn, id).unwrap().stock, 6);
    let moves = store::stock::movements_page(conn, id, 0, 10).unwrap();
    assert_eq!(moves.len(), 2);
    assert_eq!(moves[0].change, -4);
    assert_eq!(moves[0].stock_after, 6);
    assert_eq!(moves[0].reason, MovementReason::Correction);
    // The table and the detail show the new stock; the movement is listed.
    assert!(
        has_row(&h, &["MUG-1", "Blue mug", "$12.50", "6", "2"]),
        "{:?}",
        rows_with(&h, "MUG-1")
    );
    assert_eq!(beside(&h, "In stock"), "6 (reorder level 2)");
    let moved = rows_with(&h, "-4");
    assert_eq!(moved.len(), 1, "{moved:?}");
    assert!(
        moved[0].windows(2).any(|w| w == ["-4", "6"]),
        "taken out 4, 6 after: {moved:?}"
    );
    assert!(store::check::run(conn).unwrap().ok());
}

#[test]
fn taking_out_more_than_the_stock_is_refused_in_the_dialog() {
    let (_dir, mut s) = ready_store();
    let id = add_product(&mut s, "MUG-1", "Blue mug", "12.50", 3);
    let mut h = adjust_stock_of(s, "Blue mug");
    text_input(&h, "Quantity").focus();
    text_input(&h, "Quantity").type_text("-5");
    h.run();
    assert_eq!(
        field_error(&h, "Quantity").as_deref(),
        Some("only 3 in stock; cannot take out 5")
    );
    h.key_press(egui::Key::Enter);
    h.run();
    let conn = h.state().store().conn();
    assert_eq!(store::products::get(conn, id).unwrap().stock, 3);
    assert_eq!(store::stock::movement_count(conn, id).unwrap(), 1);
}

/// A reason picked that does not fit the quantity's direction ("Received"
/// for units taken out) is named in the dialog, and nothing is written.
#[test]
fn a_reason_against_the_quantity_is_refused_in_the_dialog() {
    let (_dir, mut s) = ready_store();
    let id = add_product(&mut s, "MUG-1", "Blue mug", "12.50", 10);
    let mut h = adjust_stock_of(s, "Blue mug");
    h.get_by_role_and_label(Role::ComboBox, "Reason").click();
    h.run();
    h.get_by_role_and_label(Role::Button, "Received").click();
    h.run();
    text_input(&h, "Quantity").focus();
    text_input(&h, "Quantity").type_text("-2");
    h.run();
    assert_eq!(
        field_error(&h, "Quantity").as_deref(),
        Some(
            "\"Received\" adds to the stock; for units taken out choose Damaged, Correction or Other"
        )
    );
    h.key_press(egui::Key::Enter);
    h.run();
    let conn = h.state().store().conn();
    assert_eq!(store::products::get(conn, id).unwrap().stock, 10);
    assert_eq!(store::stock::movement_count(conn, id).unwrap(), 1);
}

/// The Reason list opens above its dialog however often it is opened: after
/// a click into Quantity it opened behind the dialog's backdrop, and a
/// click on a reason there closed the dialog, losing what was typed.
#[test]
fn the_reason_list_opens_above_its_dialog_every_time() {
    let (_dir, mut s) = ready_store();
    add_product(&mut s, "MUG-1", "Blue mug", "12.50", 10);
    let mut h = adjust_stock_of(s, "Blue mug");
    for (typed, reason) in [("-2", "Damaged"), ("3", "Received"), ("4", "Other")] {
        clear(&mut h, "Quantity");
        text_input(&h, "Quantity").type_text(typed);
        h.run();
        h.get_by_role_and_label(Role::ComboBox, "Reason").click();
        h.run();
        h.get_by_role_and_label(Role::Button, reason).click();
        h.run();
        assert!(
            h.query_by_label("Adjust stock: Blue mug").is_some(),
            "picking {reason} closed the dialog"
        );
        assert_eq!(
            h.get_by_role_and_label(Role::ComboBox, "Reason")
                .value()
                .as_deref(),
            Some(reason)
        );
    }
}

#[test]
fn a_new_product_is_saved_with_its_opening_stock() {
    let (_dir, s) = ready_store();
    let mut h = open_window(s);
    h.run();
    h.key_press_modifiers(egui::Modifiers::CTRL, egui::Key::Num2);
    h.run();
    h.get_by_label("New product").click();
    h.run();
    for (label, text) in [
        ("SKU", "TEA-9"),
        ("Name", "Green tea"),
        ("Price ($)", "12.555"),
    ] {
        text_input(&h, label).focus();
        text_input(&h, label).type_text(text);
        h.run();
    }
    assert_eq!(
        field_error(&h, "Price ($)").as_deref(),
        Some("use at most 2 digits after the decimal point")
    );
    h.key_press(egui::Key::Enter);
    h.run();
    assert_eq!(
        store::settings::counts(h.state().store().conn())
            .unwrap()
            .products,
        0
    );
    // Fix the price and set the opening stock.
    text_input(&h, "Price ($)").focus();
    h.key_press(egui::Key::Backspace);
    h.run();
    let stock = text_input(&h, "Opening stock");
    stock.focus();
    h.key_press(egui::Key::Backspace);
    stock.type_text("7");
    h.run();
    h.get_by_role_and_label(Role::Button, "Save").click();
    h.run();
    let p = store::products::find_by_sku(h.state().store().conn(), "tea-9")
        .unwrap()
        .expect("saved");
    assert_eq!(p.price.0, 1255);
    assert_eq!(p.stock, 7);
}

#[test]
fn an_empty_database_offers_demo_data() {
    let (_dir, path) = temp_db();
    let s = Store::open(&path).unwrap();
    let mut h = open_window(s);
    h.run();
    assert!(h.query_by_label("Welcome to Shopkeeper").is_some());
    h.get_by_label("Start empty").click();
    h.run();
    assert!(h.query_by_label("Welcome to Shopkeeper").is_none());
    assert!(store::settings::flag(h.state().store().conn(), "welcome_done").unwrap());
}

/// The welcome asks how the shop writes money and dates, starting from the
/// computer's region; a German shopkeeper's new shop writes "1.234,56 €",
/// and another way can be picked before anything is priced.
#[test]
fn the_welcome_sets_the_shops_money_and_dates_from_the_computers_region() {
    let (_dir, path) = temp_db();
    let mut h = window(
        Store::open(&path).unwrap(),
        WindowOptions {
            locale: "de-DE",
            ..Default::default()
        },
    );
    h.run();
    assert!(shows(
        &h,
        "1.234,56\u{a0}€  ·  31.03.2026  ·  File > Settings… changes it later"
    ));
    h.get_by_label("Start empty").click();
    h.run();
    let s = store::settings::load(h.state().store().conn()).unwrap();
    assert_eq!(s.currency.symbol, "€");
    assert_eq!(
        s.currency.style.decimal,
        shopkeeper::domain::format::DecimalMark::Comma
    );
    assert_eq!(
        s.date_style,
        shopkeeper::domain::format::DateStyle::DayMonthYearDots
    );
    assert!(!shows(&h, "Welcome to Shopkeeper"));

    // Another region, another choice: Japan's yen have no cents.
    let (_dir2, path) = temp_db();
    let mut h = open_window(Store::open(&path).unwrap());
    h.run();
    assert!(shows(
        &h,
        "$1,234.56  ·  2026-03-31  ·  File > Settings… changes it later"
    ));
    h.get_by_label("Money and dates are written as in").click();
    h.run();
    h.get_by_label("Japan").scroll_to_me();
    h.run();
    h.get_by_label("Japan").click();
    h.run();
    assert!(shows(
        &h,
        "¥1,234  ·  2026-03-31  ·  File > Settings… changes it later"
    ));
    h.get_by_label("Start empty").click();
    h.run();
    let s = store::settings::load(h.state().store().conn()).unwrap();
    assert_eq!((s.currency.symbol.as_str(), s.currency.decimals), ("¥", 0));
}

/// The welcome also says where the shop is: a US shopkeeper's new shop is in
/// the US, prints on Letter paper, starts its new customers there and writes
/// their towns the US way (a tryout found A4 and "45402 Dayton, OH"); a
/// German one stays on A4.
#[test]
fn the_welcome_sets_the_shops_country_and_paper() {
    use shopkeeper::domain::invoice::Paper;
    // A new shop started empty on a computer of `locale`: its country and paper.
    let started = |locale: &'static str| {
        let (dir, path) = temp_db();
        let mut h = window(
            Store::open(&path).unwrap(),
            WindowOptions {
                locale,
                ..Default::default()
            },
        );
        h.run();
        h.get_by_label("Start empty").click();
        h.run();
        let conn = h.state().store().conn();
        let country = store::settings::load(conn).unwrap().country;
        let paper = store::invoices::identity(conn).unwrap().paper;
        (dir, path, h, country, paper)
    };
    let (_dir, path, mut h, country, paper) = started("en_US.UTF-8");
    assert_eq!((country.as_str(), paper), ("US", Paper::Letter));
    h.get_by_label("New customer").click();
    h.run();
    assert_eq!(
        text_input(&h, "Country")
            .accesskit_node()
            .value()
            .as_deref(),
        Some("United States")
    );
    // A customer typed without a country is written the shop's way.
    let mut other = Store::open(&path).unwrap();
    let customer = shopkeeper::domain::CustomerDraft {
        name: "Mary Johnson".into(),
        address: "45 Elm Street".into(),
        city: "Dayton, OH".into(),
        postal_code: "45402".into(),
        ..Default::default()
    }
    .validate()
    .unwrap();
    let id = other
        .write(|tx| store::customers::insert(tx, &customer))
        .unwrap();
    let product = add_product(&mut other, "YARN-1", "Yarn", "9.00", 5);
    let order_id = other
        .write(|tx| {
            store::orders::place(
                tx,
                &order(id, vec![line(product, 1, 900)]),
                &Default::default(),
            )
        })
        .unwrap();
    let detail = store::orders::detail(h.state().store().conn(), order_id).unwrap();
    assert_eq!(
        detail.ship_to,
        "Mary Johnson\n45 Elm Street\nDayton, OH 45402"
    );

    let (_dir2, _, _, country, paper) = started("de-DE");
    assert_eq!((country.as_str(), paper), ("DE", Paper::A4));
}

/// A demo shop opened from the welcome writes money and dates as chosen.
#[test]
fn a_demo_shop_from_the_welcome_writes_money_as_chosen() {
    let (dir, path) = temp_db();
    let mut h = window(
        Store::open(&path).unwrap(),
        WindowOptions {
            locale: "fr_FR.UTF-8",
            ..Default::default()
        },
    );
    h.run();
    h.get_by_label("Open a demo shop").click();
    wait_for(&mut h, "the demo shop", |h| {
        h.state().store().path() == dir.path().join("shop-demo.sqlite3")
    });
    let s = store::settings::load(h.state().store().conn()).unwrap();
    assert_eq!(s.currency.symbol, "€");
    assert_eq!(s.currency.decimals, 2);
    assert_eq!(
        s.currency.style.grouping,
        shopkeeper::domain::format::Grouping::Space
    );
    // And so does the shop it was opened from.
    let first = Store::open(&path).unwrap();
    assert_eq!(
        store::settings::load(first.conn()).unwrap().currency.symbol,
        "€"
    );
}

#[test]
fn a_demo_shop_from_the_welcome_is_made_in_the_background_in_its_own_file() {
    let (dir, path) = temp_db();
    let s = Store::open(&path).unwrap();
    let mut h = open_window(s);
    h.run();
    h.get_by_label("Open a demo shop").click();
    // The worker thread fills its own connection, then reports back.
    let size = shopkeeper::demo::DemoSize::default();
    let loaded = format!(
        "Demo shop ready: {} customers, {} products and {} orders, all made up.",
        size.customers, size.products, size.orders
    );
    wait_for(&mut h, "the demo data", |h| shows(h, &loaded));
    assert!(customer_count(&h) > 0);
    let demo = dir.path().join("shop-demo.sqlite3");
    assert_eq!(h.state().store().path(), demo.as_path());
    assert!(shows(&h, "DEMO"));
    // The shop the window opened on is still empty.
    let first = Store::open(&path).unwrap();
    assert_eq!(
        store::settings::counts(first.conn()).unwrap(),
        Default::default()
    );
}

#[test]
fn a_demo_shop_never_goes_into_a_real_shop() {
    let (_dir, mut s) = ready_store();
    add_customer(&mut s, "Ana Lima", "ana@example.com");
    let real = s.path().to_path_buf();
    let before = dump(&s);
    let mut h = open_window(s);
    h.run();
    assert!(!shows(&h, "DEMO"));
    h.get_by_label("File").click();
    h.run();
    h.get_by_label("Open a demo shop…").click();
    wait_for(&mut h, "the demo shop", |h| {
        h.query_all_by_role(Role::Label)
            .any(|n| n.value().is_some_and(|v| v.starts_with("Demo shop ready")))
    });
    let demo = real.with_file_name("shop-demo.sqlite3");
    assert_eq!(h.state().store().path(), demo.as_path());
    assert!(shows(&h, "DEMO"), "{:?}", texts(&h));
    assert_eq!(
        dump(&Store::open(&real).unwrap()),
        before,
        "the real shop is untouched"
    );
    // In a demo shop, another is not made inside it.
    h.get_by_label("File").click();
    h.run();
    h.get_by_label("Open a demo shop…").click();
    h.run_steps(3);
    assert!(shows(
        &h,
        "This is a demo shop already. File > Open database… takes you back to your shop."
    ));
    assert_eq!(h.state().store().path(), demo.as_path());
    assert!(!demo.with_file_name("shop-demo-demo.sqlite3").exists());
}

/// Opens the new-order form and fills it as a user would: finds Ana Lima by
/// `customer`, adds the mug (with `in_stock` in stock) found by `product`,
/// and types `quantity`.
fn fill_new_order(h: &mut Window, customer: &str, product: &str, in_stock: i64, quantity: &str) {
    h.run();
    h.key_press_modifiers(egui::Modifiers::CTRL, egui::Key::Num3);
    h.run();
    h.get_by_label("New order").click();
    h.run();
    text_input(h, "Customer").focus();
    text_input(h, "Customer").type_text(customer);
    h.run();
    h.get_by_label("Ana Lima  ·  ana@example.com").click();
    h.run();
    text_input(h, "Add product").focus();
    text_input(h, "Add product").type_text(product);
    h.run();
    h.get_by_label(&format!(
        "MUG-1  Blue mug  ·  $12.50  ·  {in_stock} in stock"
    ))
    .click();
    h.run();
    text_input(h, "MUG-1 Blue mug").focus();
    h.key_press(egui::Key::Backspace);
    text_input(h, "MUG-1 Blue mug").type_text(quantity);
    h.run();
}

#[test]
fn an_order_placed_in_the_window_takes_stock_and_cancelling_puts_it_back() {
    let (_dir, mut s) = ready_store();
    add_customer(&mut s, "Ana Lima", "ana@example.com");
    let mug = add_product(&mut s, "MUG-1", "Blue mug", "12.50", 10);
    let mut h = open_window(s);
    fill_new_order(&mut h, "ana", "mug", 10, "3");
    assert!(
        h.query_by_label("Total: $37.50").is_some(),
        "the total follows the typing"
    );
    h.get_by_role_and_label(Role::Button, "Place order").click();
    h.run();

    let conn = h.state().store().conn();
    assert_eq!(store::settings::counts(conn).unwrap().orders, 1);
    assert_eq!(store::products::get(conn, mug).unwrap().stock, 7);
    let id: i64 = conn
        .query_row("SELECT id FROM orders", [], |r| r.get(0))
        .unwrap();
    assert!(shows(
        &h,
        &format!(
            "Order {} placed for $37.50.",
            store::orders::order_number(id)
        )
    ));

    // The Products panel shows the stock fall.
    h.key_press_modifiers(egui::Modifiers::CTRL, egui::Key::Num2);
    h.run();
    assert!(
        has_row(&h, &["MUG-1", "Blue mug", "$12.50", "7", "2"]),
        "{:?}",
        rows_with(&h, "MUG-1")
    );

    // Back to the order (still selected) and cancel it.
    h.key_press_modifiers(egui::Modifiers::CTRL, egui::Key::Num3);
    h.run();
    h.get_by_label("Cancel order…").click();
    h.run();
    h.get_by_label("Cancel the order").click();
    h.run();
    let conn = h.state().store().conn();
    assert_eq!(store::products::get(conn, mug).unwrap().stock, 10);
    assert!(store::check::run(conn).unwrap().ok());
    h.key_press_modifiers(egui::Modifiers::CTRL, egui::Key::Num2);
    h.run();
    assert!(
        has_row(&h, &["MUG-1", "Blue mug", "$12.50", "10", "2"]),
        "the stock is back: {:?}",
        rows_with(&h, "MUG-1")
    );
}

#[test]
fn an_order_for_more_than_the_stock_cannot_be_placed() {
    let (_dir, mut s) = ready_store();
    add_customer(&mut s, "Ana Lima", "ana@example.com");
    add_product(&mut s, "MUG-1", "Blue mug", "12.50", 2);
    let mut h = open_window(s);
    fill_new_order(&mut h, "lima", "MUG", 2, "5");
    assert!(h.query_by_label("only 2 in stock").is_some());
    let place = h.get_by_role_and_label(Role::Button, "Place order");
    assert!(place.accesskit_node().is_disabled());
    place.click();
    h.run();
    assert_eq!(
        store::settings::counts(h.state().store().conn())
            .unwrap()
            .orders,
        0
    );
}

fn shop_with_sales() -> (tempfile::TempDir, Store) {
    let (dir, mut s) = ready_store();
    let ana = add_customer(&mut s, "Ana Lima", "ana@example.com");
    let mug = add_product(&mut s, "MUG-1", "Blue mug", "12.50", 10);
    for (date, qty) in [("2026-01-05", 2), ("2026-01-07", 1)] {
        let o = order(ana, vec![line(mug, qty, 1250)]);
        let how = store::orders::Placement {
            at: Some((date.into(), "09:00:00".into())),
            log: false,
            ..Default::default()
        };
        s.write(|tx| store::orders::place(tx, &o, &how)).unwrap();
    }
    (dir, s)
}

#[test]
fn the_reports_panel_shows_sales_by_date_with_a_totals_row() {
    let (_dir, s) = shop_with_sales();
    let mut h = open_window(s);
    h.run();
    h.key_press_modifiers(egui::Modifiers::CTRL, egui::Key::Num5);
    h.run_steps(3);
    assert_eq!(h.state().panel(), Panel::Reports);
    // Sales by date is the first report, over all time.
    wait_for(&mut h, "the report's totals row", |h| shows(h, "Total"));
    assert_eq!(
        h.get_by_role_and_label(Role::ComboBox, "Report")
            .value()
            .as_deref(),
        Some("Sales by date")
    );
    // 2 orders, 3 mugs at $12.50 in all.
    assert!(
        has_row(
            &h,
            &[
                "Total", "2", "3", "$37.50", "$0.00", "$37.50", "$0.00", "$0.00", "$37.50", "$0.00"
            ]
        ),
        "the totals row: {:?}",
        rows_with(&h, "Total")
    );
    // The SQL behind it can be shown, exactly as it runs.
    h.get_by_label("Show SQL").click();
    h.run_steps(3);
    // All time opens by month (by day it listed every day since the first sale).
    let sql = store::reports::sql(&ReportSpec {
        by: shopkeeper::domain::Period::Month,
        ..ReportSpec::new(ReportKind::SalesByDate)
    });
    assert!(sql.contains("FROM order_daily"));
    assert!(
        h.query_all_by_value(&sql).next().is_some(),
        "the SQL shown is not {sql}"
    );
}

#[test]
fn exporting_from_the_window_writes_what_the_command_line_writes() {
    let (dir, s) = shop_with_sales();
    let db = s.path().to_path_buf();
    let dialogs = ScriptedDialogs::default();
    let out = dir.path().join("from-window.csv");
    dialogs.push(&out);
    let mut h = window_with(s, dialogs.clone());
    h.run();
    h.key_press_modifiers(egui::Modifiers::CTRL, egui::Key::Num5);
    h.run_steps(3);
    h.get_by_label("Export…").click();
    wait_for(&mut h, "the exported file", |_| out.exists());
    assert!(out.exists(), "the window wrote the file");
    assert_eq!(dialogs.asked.lock().unwrap().as_slice(), ["Export report"]);

    let cli = dir.path().join("from-cli.csv");
    let ok = std::process::Command::new(env!("CARGO_BIN_EXE_shopkeeper"))
        .arg("--db")
        .arg(&db)
        // The window opens all time by month.
        .args(["export", "sales-by-date", "--by", "month", "--out"])
        .arg(&cli)
        .status()
        .unwrap();
    assert!(ok.success());
    assert_eq!(std::fs::read(&out).unwrap(), std::fs::read(&cli).unwrap());
}

#[test]
fn an_export_follows_the_sort_on_screen_and_the_screen_keeps_it() {
    let (dir, s) = shop_with_sales();
    let dialogs = ScriptedDialogs::default();
    let out = dir.path().join("sorted.csv");
    dialogs.push(&out);
    let mut h = window_with(s, dialogs);
    h.run();
    h.key_press_modifiers(egui::Modifiers::CTRL, egui::Key::Num5);
    h.run_steps(3);
    report_by(&mut h, "day");
    wait_for(&mut h, "the report's totals row by day", |h| {
        shows(h, "Total") && h.query_by_role_and_label(Role::Button, "Date").is_some()
    });
    // By revenue (its header in words; the file keeps "revenue"), smallest
    // first: the empty days, then Jan 7, then Jan 5.
    h.get_by_label("Revenue").click();
    h.run_steps(2);
    wait_for(&mut h, "the sorted rows", |h| {
        h.query_by_label("Revenue ⏶").is_some() && !rows_with(h, "2026-01-06").is_empty()
    });
    h.get_by_label("Export…").click();
    wait_for(&mut h, "the exported file", |_| out.exists());
    h.run_steps(3);
    let text = std::fs::read_to_string(&out).unwrap();
    let dates: Vec<&str> = text
        .lines()
        .skip(1)
        .map(|l| l.split(',').next().unwrap())
        .collect();
    assert_eq!(dates[0], "2026-01-06", "{text}");
    assert_eq!(&dates[dates.len() - 2..], ["2026-01-07", "2026-01-05"]);
    assert!(
        h.query_by_label("Revenue ⏶").is_some(),
        "the screen keeps its sort: {:?}",
        texts(&h)
    );
}

#[test]
fn the_next_export_opens_in_the_folder_of_the_last() {
    let (dir, s) = shop_with_sales();
    let accountant = dir.path().join("for the accountant");
    std::fs::create_dir(&accountant).unwrap();
    let out = accountant.join("october.csv");
    // The second dialog cannot open, so the app's own path box asks.
    let dialogs = ScriptedDialogs {
        unavailable: true,
        ..Default::default()
    };
    dialogs.push(&out);
    let mut h = window_with(s, dialogs.clone());
    h.run();
    h.key_press_modifiers(egui::Modifiers::CTRL, egui::Key::Num5);
    h.run_steps(3);
    h.get_by_label("Export…").click();
    wait_for(&mut h, "the exported file", |_| out.exists());
    h.run_steps(3);

    h.get_by_label("Export…").click();
    h.run_steps(3);
    assert_eq!(
        dialogs.folders.lock().unwrap().as_slice(),
        [None, Some(accountant.clone())],
        "the first dialog opens where the system chooses, the next in the folder just used"
    );
    let typed = text_input(&h, "File").value().unwrap_or_default();
    assert!(
        typed.starts_with(&accountant.display().to_string()),
        "the path box offers the same folder: {typed}"
    );
}

#[test]
fn without_a_system_dialog_the_app_asks_for_the_path_itself() {
    let (dir, s) = shop_with_sales();
    let dialogs = ScriptedDialogs {
        unavailable: true,
        ..Default::default()
    };
    let mut h = window_with(s, dialogs);
    h.run();
    h.key_press_modifiers(egui::Modifiers::CTRL, egui::Key::Num5);
    h.run_steps(3);
    h.get_by_label("Export…").click();
    h.run_steps(3);
    assert!(shows(
        &h,
        "No file dialog is available on this system, so type the full path of the file."
    ));
    let out = dir.path().join("typed.xlsx");
    let field = text_input(&h, "File");
    field.focus();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    text_input(&h, "File").type_text(&out.display().to_string());
    h.run_steps(2);
    h.get_by_role_and_label(Role::Button, "OK").click();
    wait_for(&mut h, "the typed file", |_| out.exists());
    assert!(out.exists());
    assert!(
        std::fs::read(&out).unwrap().starts_with(b"PK"),
        "an xlsx file (a zip), from its name"
    );
}

#[test]
fn the_path_box_asks_before_replacing_a_file() {
    let (dir, s) = shop_with_sales();
    let dialogs = ScriptedDialogs {
        unavailable: true,
        ..Default::default()
    };
    let mut h = window_with(s, dialogs);
    h.run();
    h.key_press_modifiers(egui::Modifiers::CTRL, egui::Key::Num5);
    h.run_steps(3);
    let out = dir.path().join("existing.csv");
    std::fs::write(&out, "keep me").unwrap();
    let question = format!(
        "{} already exists. Replace it? What it holds now will be lost.",
        out.display()
    );
    h.get_by_label("Export…").click();
    h.run_steps(3);
    let field = text_input(&h, "File");
    field.focus();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    text_input(&h, "File").type_text(&out.display().to_string());
    h.run_steps(2);
    h.get_by_role_and_label(Role::Button, "OK").click();
    h.run_steps(3);
    assert!(shows(&h, &question), "{:?}", texts(&h));
    // Keeping it goes back to the path, and nothing was written.
    h.get_by_label("Choose another name").click();
    h.run_steps(3);
    assert!(!shows(&h, &question));
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "keep me");
    h.get_by_role_and_label(Role::Button, "OK").click();
    h.run_steps(3);
    assert!(shows(&h, &question), "{:?}", texts(&h));
    h.get_by_label("Replace it").click();
    wait_for(&mut h, "the replaced file", |_| {
        std::fs::read_to_string(&out).is_ok_and(|t| t != "keep me")
    });
    assert!(std::fs::read_to_string(&out).unwrap().starts_with("date,"));
}

#[test]
fn a_file_reached_by_adding_its_extension_is_asked_about_too() {
    let (dir, s) = shop_with_sales();
    let dialogs = ScriptedDialogs::default();
    // The system dialog was asked about "sales", not about "sales.csv".
    dialogs.push(dir.path().join("sales"));
    let mut h = window_with(s, dialogs);
    h.run();
    h.key_press_modifiers(egui::Modifiers::CTRL, egui::Key::Num5);
    h.run_steps(3);
    let out = dir.path().join("sales.csv");
    std::fs::write(&out, "keep me").unwrap();
    h.get_by_label("Export…").click();
    h.run_steps(3);
    let question = format!(
        "{} already exists. Replace it? What it holds now will be lost.",
        out.display()
    );
    assert!(shows(&h, &question), "{:?}", texts(&h));
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "keep me");
    h.get_by_label("Replace it").click();
    wait_for(&mut h, "the replaced file", |_| {
        std::fs::read_to_string(&out).is_ok_and(|t| t != "keep me")
    });
}

#[test]
fn trends_follow_the_range_and_the_granularity() {
    let (_dir, s) = shop_with_sales();
    let mut h = open_window(s);
    h.run();
    h.key_press_modifiers(egui::Modifiers::CTRL, egui::Key::Num4);
    h.run_steps(3);
    assert_eq!(h.state().panel(), Panel::Trends);
    // The last 90 days hold no sales.
    assert_eq!(figure(&h, "Revenue after refunds"), "$0.00");
    assert_eq!(figure(&h, "Average order"), "$0.00");
    assert_eq!(figure(&h, "Items sold"), "0");
    assert!(h.query_by_label("$37.50").is_none());
    h.get_by_label("All time").click();
    h.run_steps(3);
    assert_eq!(
        figure(&h, "Revenue after refunds"),
        "$37.50",
        "revenue of all time"
    );
    assert_eq!(figure(&h, "Orders"), "2");
    assert_eq!(figure(&h, "Average order"), "$18.75");
    assert_eq!(figure(&h, "Items sold"), "3");
    assert!(h.query_by_label("7-day average").is_some());
    h.get_by_label("Monthly").click();
    h.run_steps(3);
    assert!(h.query_by_label("3-month average").is_some());
    assert_eq!(
        figure(&h, "Revenue after refunds"),
        "$37.50",
        "the figures keep the range"
    );
    assert_eq!(figure(&h, "Items sold"), "3");
    // Where the money comes from, once worked out in the background.
    wait_for(&mut h, "the top products", |h| shows(h, "Top 10 products"));
    assert!(shows(&h, "Top 10 products"));
}

/// Opens File > Import > `item` with the dialog answering `file`.
fn open_import(h: &mut Window, item: &str) {
    h.get_by_label("File").click();
    h.run_steps(2);
    h.get_by_label("Import").click();
    h.run_steps(2);
    h.get_by_label(item).click();
    h.run_steps(2);
}

#[test]
fn importing_customers_from_the_file_menu_shows_the_rows_then_imports_them() {
    let (dir, s) = ready_store();
    let file = dir.path().join("people.csv");
    std::fs::write(
        &file,
        "Name;E-mail address;City\r\nAna Lima;ana@example.com;Porto\r\nBo Berg;bo@example.com;Malmö\r\n"
            .replace("E-mail address", "Email"),
    )
    .unwrap();
    let dialogs = ScriptedDialogs::default();
    dialogs.push(&file);
    let mut h = window_with(s, dialogs.clone());
    h.run();
    open_import(&mut h, "Customers…");
    assert_eq!(
        dialogs.asked.lock().unwrap().as_slice(),
        ["Import customers".to_owned()]
    );
    // The preview shows the rows and what each column becomes.
    h.run_steps(2);
    assert!(h.query_by_label("Import customers").is_some());
    assert!(h.query_by_label("Ana Lima").is_some());
    // Above each column, which of ours it fills.
    let email = h.get_by_role_and_label(Role::ComboBox, "Email");
    assert_eq!(email.accesskit_node().value().as_deref(), Some("email"));
    let ready = "Every row was checked: 2 customers are ready to import.";
    wait_for(&mut h, "the check of the file", |h| shows(h, ready));
    assert!(shows(&h, ready));
    assert_eq!(customer_count(&h), 0, "checking writes nothing");
    h.get_by_role_and_label(Role::Button, "Import").click();
    wait_for(&mut h, "2 customers in the database", |h| {
        customer_count(h) == 2
    });
    wait_for(&mut h, "the import's message", |h| {
        shows(h, "Imported 2 customers.")
    });
    assert!(shows(&h, "Imported 2 customers."));
    // An absence is matched loosely on purpose: no variant may remain.
    assert!(
        h.query_by_label_contains("are ready to import").is_none(),
        "dialog closed"
    );
    // The Customers list shows them.
    assert!(h.query_by_label("bo@example.com").is_some());
}

#[test]
fn the_import_dialog_maps_columns_by_hand_and_remembers_them() {
    let (dir, s) = ready_store();
    let file = dir.path().join("people.csv");
    std::fs::write(&file, "Who,Mail,Town\nAna Lima,ana@example.com,Porto\n").unwrap();
    let again = dir.path().join("more.csv");
    std::fs::write(&again, "Who,Mail,Town\nBo Berg,bo@example.com,Malmö\n").unwrap();
    let dialogs = ScriptedDialogs::default();
    dialogs.push(&file);
    dialogs.push(&again);
    let mut h = window_with(s, dialogs);
    h.run();
    open_import(&mut h, "Customers…");
    h.run_steps(2);
    let value = |h: &Window, column: &str| {
        h.get_by_role_and_label(Role::ComboBox, column)
            .accesskit_node()
            .value()
    };
    // Guessed from the names: "Mail" is the email, "Town" the city; "Who"
    // means nothing to Shopkeeper, so the name is missing.
    assert_eq!(value(&h, "Mail").as_deref(), Some("email"));
    assert_eq!(value(&h, "Town").as_deref(), Some("city"));
    assert_eq!(value(&h, "Who").as_deref(), Some("ignore"));
    assert!(
        h.query_by_label_contains("missing required columns: name")
            .is_some(),
        "{:?}",
        texts(&h)
    );
    assert!(
        h.get_by_role_and_label(Role::Button, "Import")
            .accesskit_node()
            .is_disabled()
    );
    h.get_by_role_and_label(Role::ComboBox, "Who").click();
    h.run_steps(2);
    h.get_by_label("name").click();
    h.run_steps(2);
    assert_eq!(value(&h, "Who").as_deref(), Some("name"));
    let ready = "Every row was checked: 1 customer is ready to import.";
    wait_for(&mut h, "the check of the mapped file", |h| shows(h, ready));
    assert_eq!(customer_count(&h), 0, "checking writes nothing");
    h.get_by_role_and_label(Role::Button, "Import").click();
    wait_for(&mut h, "the import's message", |h| {
        shows(h, "Imported 1 customer.")
    });
    assert_eq!(customer_count(&h), 1);
    assert!(h.query_by_label("Porto").is_some(), "{:?}", texts(&h));
    // The next file with the same header comes with the same choice.
    open_import(&mut h, "Customers…");
    h.run_steps(2);
    assert_eq!(value(&h, "Who").as_deref(), Some("name"));
    let ready = "Every row was checked: 1 customer is ready to import.";
    wait_for(&mut h, "the check of the second file", |h| shows(h, ready));
    h.get_by_role_and_label(Role::Button, "Import").click();
    wait_for(&mut h, "2 customers in the database", |h| {
        customer_count(h) == 2
    });
}

#[test]
fn an_import_with_many_bad_rows_keeps_its_title_and_buttons_in_a_small_window() {
    let (dir, mut s) = ready_store();
    add_customer(&mut s, "Ana Lima", "ana@example.com");
    add_product(&mut s, "MUG-1", "Blue mug", "12.50", 100);
    let file = dir.path().join("orders.csv");
    let mut text = String::from("order_ref,order_date,customer_email,sku,quantity\n");
    for i in 0..30 {
        text.push_str(&format!("W{i},2024-01-01,who{i}@example.com,MUG-1,1\n"));
    }
    std::fs::write(&file, text).unwrap();
    let dialogs = ScriptedDialogs::default();
    dialogs.push(&file);
    let mut h = window(
        s,
        WindowOptions {
            dialogs,
            size: egui::vec2(1024.0, 600.0),
            ..Default::default()
        },
    );
    h.run();
    open_import(&mut h, "Orders (one row per order line)…");
    wait_for(&mut h, "the check of the file", |h| {
        shows(h, "30 problems were found, so nothing can be imported yet.")
    });
    h.run_steps(2);
    let title = h.get_by_label("Import orders").rect();
    let close = h.get_by_role_and_label(Role::Button, "Close").rect();
    assert!(title.min.y >= 0.0, "the title at {title:?}");
    assert!(close.max.y <= 600.0, "Close at {close:?}");
}

#[test]
fn an_import_with_bad_rows_lists_them_and_cannot_be_imported() {
    let (dir, mut s) = ready_store();
    add_customer(&mut s, "Ana Lima", "ana@example.com");
    add_product(&mut s, "MUG-1", "Blue mug", "12.50", 1);
    let file = dir.path().join("orders.csv");
    std::fs::write(
        &file,
        "order_ref,order_date,customer_email,sku,quantity\n\
         W1,2024-01-01,ana@example.com,MUG-1,5\n\
         W2,2024-01-02,who@example.com,MUG-1,1\n",
    )
    .unwrap();
    let before = dump(&s);
    let dialogs = ScriptedDialogs::default();
    dialogs.push(&file);
    let mut h = window_with(s, dialogs);
    h.run();
    open_import(&mut h, "Orders (one row per order line)…");
    wait_for(&mut h, "the check of the file", |h| {
        shows(h, "2 problems were found, so nothing can be imported yet.")
    });
    let short = [
        "2",
        "quantity",
        "only 1 of MUG-1 in stock for order W1 on 2024-01-01 (asks for 5); add stock first, \
         or import with --history to record past orders without moving stock",
    ];
    let unknown = [
        "3",
        "customer_email",
        "no customer has the email who@example.com; import or add the customer first",
    ];
    assert!(has_row(&h, &short), "{:?}", rows_with(&h, "2"));
    assert!(has_row(&h, &unknown), "{:?}", rows_with(&h, "3"));
    assert!(
        h.get_by_role_and_label(Role::Button, "Import")
            .accesskit_node()
            .is_disabled()
    );
    // As past orders, the stock does not matter; the unknown customer still does.
    h.get_by_label("Past orders: record them without taking stock")
        .click();
    wait_for(&mut h, "the second check", |h| {
        shows(h, "1 problem was found, so nothing can be imported yet.")
    });
    assert!(has_row(&h, &unknown), "{:?}", rows_with(&h, "3"));
    assert!(!has_row(&h, &short));
    // An absence is matched loosely on purpose: no variant may remain.
    assert!(h.query_by_label_contains("only 1 of MUG-1").is_none());
    h.get_by_role_and_label(Role::Button, "Close").click();
    h.run_steps(2);
    assert_eq!(dump(h.state().store()), before);
}

/// A shop of Ana and a mug whose orders come from `csv`, in a window with
/// the order shown as `label` open in Orders.
fn imported_order_open(csv: &str, label: &str) -> (tempfile::TempDir, Window) {
    let (dir, mut s) = ready_store();
    add_customer(&mut s, "Ana Lima", "ana@example.com");
    add_product(&mut s, "MUG-1", "Blue mug", "12.50", 10);
    let file = dir.path().join("orders.csv");
    std::fs::write(&file, csv).unwrap();
    shopkeeper::import::run(
        &mut s,
        shopkeeper::import::ImportKind::Orders,
        &file,
        shopkeeper::import::ImportOptions::default(),
        &mut |_, _| true,
    )
    .unwrap();
    let mut h = open_window(s);
    h.key_press_modifiers(egui::Modifiers::CTRL, egui::Key::Num3);
    h.run();
    h.get_by_label(label).click();
    h.run();
    (dir, h)
}

/// One imported by its number alone (no reference) says so too: it showed
/// an empty status history.
#[test]
fn an_order_imported_by_its_number_alone_says_it_was_imported() {
    let (_dir, h) = imported_order_open(
        "order_number,order_date,customer_email,status,sku,quantity\n#000500,2024-01-02,ana@example.com,shipped,MUG-1,1\n",
        "#000500",
    );
    assert!(
        h.query_by_label("Imported as shipped; the file said nothing of its earlier steps.")
            .is_some(),
        "{:?}",
        texts(&h)
    );
}

/// An imported order has no invented status history: its detail says it
/// came from a file with the status the file gave it.
#[test]
fn an_imported_order_says_it_was_imported() {
    let (_dir, mut h) = imported_order_open(
        "order_ref,order_date,customer_email,sku,quantity\nWEB-77,2024-01-01,ana@example.com,MUG-1,2\n",
        "WEB-77",
    );
    assert!(
        h.query_by_label("Imported as delivered; the file said nothing of its earlier steps.")
            .is_some()
    );
    // Its later steps are history as usual, after the status it came with.
    h.get_by_label("Mark returned…").click();
    h.run();
    h.get_by_role_and_label(Role::Button, "Mark returned")
        .click();
    h.run();
    assert!(
        h.query_by_label("Imported as delivered; the file said nothing of its earlier steps.")
            .is_some()
    );
    let conn = h.state().store().conn();
    let id: i64 = conn
        .query_row("SELECT id FROM orders", [], |r| r.get(0))
        .unwrap();
    let history = store::orders::detail(conn, id).unwrap().history;
    let returned = history.last().expect("a step after the import");
    assert_eq!(returned.to, shopkeeper::domain::OrderStatus::Returned);

    let at = returned.at.get(..16).unwrap_or(&returned.at);
    assert!(shows(&h, &format!("{at}  Returned")));
}

#[test]
fn back_up_now_and_restore_a_backup_from_the_file_menu() {
    use shopkeeper::store::backup;
    let (dir, mut s) = ready_store();
    add_customer(&mut s, "Ana Lima", "ana@example.com");
    let day = chrono::NaiveDate::from_ymd_opt(2026, 11, 20).unwrap();
    let daily = backup::automatic(&s, day.and_hms_opt(9, 0, 0).unwrap()).unwrap();
    add_customer(&mut s, "Bo Berg", "bo@example.com");
    let copy = dir.path().join("my-copy.sqlite3");
    let dialogs = ScriptedDialogs::default();
    dialogs.push(&copy);
    let mut h = window_with(s, dialogs);
    h.run();

    h.get_by_label("File").click();
    h.run_steps(2);
    h.get_by_label("Back up now…").click();
    let backed_up = format!(
        "Backed up the shop to {} and checked the copy.",
        copy.display()
    );
    wait_for(&mut h, "the backup", |h| shows(h, &backed_up));
    backup::verify(&copy).unwrap();
    assert_eq!(
        store::settings::counts(Store::open(&copy).unwrap().conn())
            .unwrap()
            .customers,
        2
    );

    h.get_by_label("File").click();
    h.run_steps(2);
    h.get_by_label("Backups…").click();
    h.run_steps(4);
    assert!(h.query_by_label("2026-11-20 09:00").is_some());
    h.get_by_label("Restore…").click();
    h.run_steps(2);
    h.get_by_label("Restore this backup").click();
    // The database as it was before the restore is kept, and named.
    let db = h.state().store().path().to_path_buf();
    let restored = || {
        backup::list(&db)
            .into_iter()
            .find(|b| b.kind == backup::Kind::BeforeRestore)
            .map(|kept| {
                format!(
                    "Restored the backup {}. The database as it was before is kept at {}.",
                    daily.display(),
                    kept.path.display()
                )
            })
    };
    wait_for(&mut h, "the restore", |h| {
        restored().is_some_and(|m| shows(h, &m))
    });
    assert_eq!(customer_count(&h), 1, "back to the backup's one customer");
    assert!(
        has_row(&h, &["Ana Lima", "ana@example.com", "0", "$0.00"]),
        "{:?}",
        rows_with(&h, "Ana Lima")
    );
    assert!(h.query_by_label("Bo Berg").is_none());
}

#[test]
fn edit_undo_reverses_the_last_change_and_the_detail_lists_changes() {
    let (_dir, mut s) = ready_store();
    let id = add_customer(&mut s, "Ana Lima", "ana@example.com");
    let mug = add_product(&mut s, "MUG-1", "Blue mug", "12.50", 5);
    let one = order(id, vec![line(mug, 1, 1250)]);
    s.write(|tx| store::orders::place(tx, &one, &Default::default()))
        .unwrap();
    let mut h = open_window(s);
    h.run();
    // Before any change in this session there is nothing to undo.
    h.get_by_label("Edit").click();
    h.run_steps(2);
    assert!(button(&h, "Undo Ctrl+Z").accesskit_node().is_disabled());
    h.key_press(egui::Key::Escape);
    h.run_steps(2);
    // Archive Ana from her detail.
    h.get_by_label("Ana Lima").click();
    h.run_steps(3);
    assert!(
        h.query_by_label("Changes (1)").is_some(),
        "added with her first change"
    );
    h.get_by_label("Archive").click();
    h.run_steps(3);
    assert!(h.query_by_label("Changes (2)").is_some());
    assert!(
        store::customers::get(h.state().store().conn(), id)
            .unwrap()
            .archived
    );
    h.get_by_label("Edit").click();
    h.run_steps(2);
    button(&h, "Undo: Archived customer Ana Lima Ctrl+Z").click();
    h.run_steps(3);
    assert!(shows(&h, "Undid \"Archived customer Ana Lima\"."));
    assert!(
        !store::customers::get(h.state().store().conn(), id)
            .unwrap()
            .archived
    );
    assert!(
        h.query_by_label("Changes (3)").is_some(),
        "the undo is logged too"
    );
}

/// Issue 16: a Shopify orders export chosen from File > Import is named,
/// its statuses shown, checked ("7 new, 0 already here") and imported as it is.
#[test]
fn a_shopify_orders_export_is_recognised_and_imported_from_the_window() {
    let (_dir, s) = ready_store();
    let file = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/platform/shopify_orders.csv");
    let dialogs = ScriptedDialogs::default();
    dialogs.push(&file);
    dialogs.push(&file);
    let mut h = window_with(s, dialogs.clone());
    h.run();
    open_import(&mut h, "Orders (one row per order line)…");
    h.run_steps(2);
    assert!(shows(&h, "Recognised as a Shopify orders export"));
    assert!(shows(&h, "paid / fulfilled -> Shipped"));
    assert!(
        h.query_by_label("Past orders: record them without taking stock")
            .is_none(),
        "a platform's orders are always past orders"
    );
    let ready = "Orders: 7 new, 0 already here.";
    wait_for(&mut h, "the check of the file", |h| shows(h, ready));
    assert!(shows(
        &h,
        "Every row was checked: 7 orders from 9 rows are ready to import."
    ));
    h.get_by_role_and_label(Role::Button, "Import").click();
    wait_for(&mut h, "7 orders in the database", |h| {
        store::settings::counts(h.state().store().conn())
            .unwrap()
            .orders
            == 7
    });
    wait_for(&mut h, "the import's message", |h| {
        h.query_by_label_contains("from a Shopify orders export")
            .is_some()
    });
    // The same file again: nothing new, so nothing to import.
    h.run_steps(3);
    open_import(&mut h, "Orders (one row per order line)…");
    wait_for(&mut h, "the second check", |h| {
        shows(h, "Orders: 0 new, 7 already here.")
    });
    assert!(
        button(&h, "Import").accesskit_node().is_disabled(),
        "{:?}",
        texts(&h)
    );
}

#[test]
fn ctrl_f_goes_to_the_search_of_customers_and_products() {
    let (_dir, mut s) = ready_store();
    add_customer(&mut s, "Ana Lima", "ana@example.com");
    add_product(&mut s, "MUG-1", "Blue mug", "12.50", 10);
    let mut h = open_window(s);
    h.run();
    for (panel, typed) in [(egui::Key::Num1, "ana"), (egui::Key::Num2, "mug")] {
        h.key_press_modifiers(egui::Modifiers::CTRL, panel);
        h.run();
        h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::F);
        h.run();
        h.event(egui::Event::Text(typed.into()));
        h.run();
        assert_eq!(
            text_input(&h, "Search").accesskit_node().value().as_deref(),
            Some(typed)
        );
    }
}

/// Ctrl+N opens the panel's new customer, product or order form (a
/// keyboard tryout taking phone orders found no shortcut for it), and not
/// a second one over a form already open.
#[test]
fn ctrl_n_opens_the_panels_new_form() {
    let (_dir, s) = ready_store();
    let mut h = open_window(s);
    h.run();
    for (panel, field) in [
        (egui::Key::Num1, "Name"),
        (egui::Key::Num2, "SKU"),
        (egui::Key::Num3, "Customer"),
    ] {
        h.key_press_modifiers(egui::Modifiers::CTRL, panel);
        h.run();
        assert!(h.query_by_label(field).is_none(), "{field}");
        h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::N);
        h.run_steps(2);
        assert!(
            h.query_by_label(field).is_some(),
            "{field}: {:?}",
            texts(&h)
        );
        h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::N);
        h.run_steps(2);
        assert_eq!(h.query_all_by_label(field).count(), 1, "{field}");
        h.key_press(egui::Key::Escape);
        h.run_steps(2);
    }
}

/// Ctrl+F a second time chooses what the search or find box holds, so the
/// next thing typed replaces it: a tryout found "999999999998" after
/// finding 999999 and then 999998, and "martifern" in Customers.
#[test]
fn ctrl_f_again_replaces_what_was_searched() {
    let (_dir, mut s) = ready_store();
    add_customer(&mut s, "Ana Lima", "ana@example.com");
    add_product(&mut s, "MUG-1", "Blue mug", "12.50", 10);
    let mut h = open_window(s);
    h.run();
    for (panel, field, first, next) in [
        (egui::Key::Num1, "Search", "marti", "fern"),
        (egui::Key::Num2, "Search", "mug", "cup"),
        (egui::Key::Num3, "Find order", "999999", "999998"),
    ] {
        h.key_press_modifiers(egui::Modifiers::CTRL, panel);
        h.run();
        for typed in [first, next] {
            h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::F);
            h.run();
            h.event(egui::Event::Text(typed.into()));
            h.run();
            assert_eq!(
                text_input(&h, field).accesskit_node().value().as_deref(),
                Some(typed),
                "{field}"
            );
            // The keyboard goes elsewhere between the two finds.
            h.key_press(egui::Key::Escape);
            h.run();
        }
    }
}

/// A change Undo cannot reverse (a cancel that gave the money back) says
/// why, once: Undo stops there, so the next Ctrl+Z has nothing left rather
/// than the same refusal again, and the changes before it stay.
#[test]
fn undo_stops_at_a_change_it_cannot_reverse() {
    let (dir, mut s) = ready_store();
    let ana = add_customer(&mut s, "Ana Lima", "ana@example.com");
    let mug = add_product(&mut s, "MUG-1", "Blue mug", "12.50", 5);
    let one = order(ana, vec![line(mug, 1, 1250)]);
    let placed = s
        .write(|tx| store::orders::place(tx, &one, &Default::default()))
        .unwrap();
    s.write(|tx| store::orders::mark_paid(tx, placed, "Card", "2026-03-02"))
        .unwrap();
    let mut h = open_window(s);
    h.run();
    // This session: Ana archived, then her paid order cancelled (its
    // payment given back), through another connection to the same file.
    let mut other = Store::open(dir.path().join("shop.sqlite3")).unwrap();
    other
        .write(|tx| store::customers::set_archived(tx, ana, true))
        .unwrap();
    other
        .write(|tx| {
            store::orders::set_status(tx, placed, shopkeeper::domain::OrderStatus::Cancelled)
        })
        .unwrap();
    drop(other);
    h.key_press_modifiers(
        egui::Modifiers::CTRL | egui::Modifiers::COMMAND,
        egui::Key::Z,
    );
    h.run_steps(3);
    assert!(
        texts(&h)
            .iter()
            .any(|t| t.contains("a refund cannot be undone. Undo stops there")),
        "{:?}",
        texts(&h)
    );
    h.key_press_modifiers(
        egui::Modifiers::CTRL | egui::Modifiers::COMMAND,
        egui::Key::Z,
    );
    h.run_steps(3);
    assert!(
        shows(&h, "Nothing left to undo in this session."),
        "{:?}",
        texts(&h)
    );
    assert!(
        store::customers::get(h.state().store().conn(), ana)
            .unwrap()
            .archived
    );
}

/// Enter on the form's focused Cancel button cancels: it used to save the
/// form (Enter was taken for "save" wherever the keyboard was).
#[test]
fn enter_on_a_forms_cancel_button_cancels() {
    let (_dir, s) = ready_store();
    let mut h = open_window(s);
    h.run();
    h.get_by_label("New customer").click();
    h.run();
    let name = text_input(&h, "Name");
    name.focus();
    name.type_text("Ana Lima");
    h.run();
    button(&h, "Cancel").focus();
    h.run();
    h.key_press(egui::Key::Enter);
    h.run_steps(3);
    assert_eq!(customer_count(&h), 0);
}

/// Sales by date opens over all time by month, and a range picked from the
/// presets comes by day for a week or a month, by month for longer (a
/// tryout's shop opened on 969 days of mostly nothing).
#[test]
fn a_report_range_comes_by_the_period_that_suits_it() {
    let (_dir, s) = shop_with_sales();
    let mut h = open_window(s);
    h.run();
    h.key_press_modifiers(egui::Modifiers::CTRL, egui::Key::Num5);
    h.run_steps(3);
    let by = |h: &Window| {
        h.get_by_role_and_label(Role::ComboBox, "By")
            .value()
            .unwrap_or_default()
    };
    assert_eq!(by(&h), "month");
    for (preset, wanted) in [
        ("Last month", "day"),
        ("Last 12 months", "month"),
        ("This week", "day"),
        ("All time", "month"),
    ] {
        h.get_by_label(preset).click();
        h.run_steps(2);
        assert_eq!(by(&h), wanted, "{preset}");
    }
    // By quarter, for a quarterly tax return: its quarters in words.
    report_by(&mut h, "quarter");
    wait_for(&mut h, "the report by quarter", |h| {
        h.query_by_role_and_label(Role::Button, "Quarter").is_some()
    });
    assert!(
        shows(&h, "Q1 2026 (January–March) (partial)") && shows(&h, "Q2 2026 (April–June)"),
        "{:?}",
        texts(&h)
    );
}
