//! Two windows (or a window and a command) on one database: writes wait for
//! each other instead of failing, nothing is lost, and each sees the other's
//! changes.

use crate::common::*;
use shopkeeper::domain::MovementReason;
use shopkeeper::store::orders::Placement;
use shopkeeper::store::{self, Store};

#[test]
fn two_stores_writing_at_once_lose_nothing() {
    let (_dir, path) = temp_db();
    let mut setup = Store::open(&path).unwrap();
    let buyer = add_customer(&mut setup, "Ana Lima", "ana@example.com");
    let mug = add_product(&mut setup, "MUG-1", "Blue mug", "12.50", 0);
    drop(setup);
    let writers: Vec<_> = (0..2)
        .map(|w| {
            let path = path.clone();
            std::thread::spawn(move || {
                let mut s = Store::open(&path).unwrap();
                for i in 0..150 {
                    let c = customer(
                        &format!("Writer {w} no {i}"),
                        &format!("w{w}-{i}@example.com"),
                    );
                    s.write(|tx| store::customers::insert(tx, &c))
                        .unwrap_or_else(|e| panic!("writer {w}: {e}"));
                    s.write(|tx| store::stock::adjust(tx, mug, 2, MovementReason::Received, None))
                        .unwrap_or_else(|e| panic!("writer {w}: {e}"));
                    let sale = order(buyer, vec![line(mug, 1, 1250)]);
                    s.write(|tx| store::orders::place(tx, &sale, &Placement::default()))
                        .unwrap_or_else(|e| panic!("writer {w}: {e}"));
                }
            })
        })
        .collect();
    for w in writers {
        w.join().expect("a writer failed");
    }
    let s = Store::open(&path).unwrap();
    let counts = store::settings::counts(s.conn()).unwrap();
    assert_eq!(counts.customers, 1 + 300);
    assert_eq!(counts.orders, 300);
    // Each writer received 2 and sold 1, 150 times.
    let mug = store::products::get(s.conn(), mug).unwrap();
    assert_eq!(mug.stock, 300);
    assert!(store::check::run(s.conn()).unwrap().ok());
}

#[test]
fn the_window_shows_another_window_s_changes_within_a_second() {
    use crate::common::ui::*;
    use egui_kittest::kittest::Queryable;

    let (_dir, mut mine) = ready_store();
    let path = mine.path().to_path_buf();
    add_customer(&mut mine, "Ana Lima", "ana@example.com");
    let mut h = open_window(mine);
    h.run();
    assert!(h.query_by_label("Ana Lima").is_some());
    // Another window adds a customer.
    let mut other = Store::open(&path).unwrap();
    add_customer(&mut other, "Bo Berg", "bo@example.com");
    // A second of the window's time (60 frames) is enough to show it.
    let mut seen_after = None;
    for frame in 0..60 {
        h.step();
        if h.query_by_label("Bo Berg").is_some() {
            seen_after = Some(frame);
            break;
        }
    }
    assert!(
        seen_after.is_some(),
        "the other window's customer did not appear within a second"
    );
    assert!(
        shows(&h, "2 customers · 0 products · 0 orders"),
        "{:?}",
        texts(&h)
    );
}
