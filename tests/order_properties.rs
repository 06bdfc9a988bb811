//! Property test: random sequences of place, edit, pay, ship, deliver, cancel,
//! return and adjust against a real database file. After every step the
//! shop's invariants hold, and a refused step changed nothing.

use crate::common::*;
use proptest::prelude::*;
use shopkeeper::domain::{Money, MovementReason, NewOrder, OrderLine, OrderStatus};
use shopkeeper::store::orders::{self, Placement};
use shopkeeper::store::{self, Store};

#[derive(Debug, Clone)]
enum Op {
    Place {
        customer: usize,
        lines: Vec<(usize, i64, i64)>,
    },
    Edit {
        order: usize,
        lines: Vec<(usize, i64, i64)>,
    },
    Status {
        order: usize,
        to: OrderStatus,
    },
    Adjust {
        product: usize,
        change: i64,
    },
}

fn lines() -> impl Strategy<Value = Vec<(usize, i64, i64)>> {
    prop::collection::vec((0usize..4, 1i64..6, 0i64..3000), 1..4)
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        3 => (0usize..2, lines()).prop_map(|(customer, lines)| Op::Place { customer, lines }),
        1 => (0usize..8, lines()).prop_map(|(order, lines)| Op::Edit { order, lines }),
        4 => (0usize..8, prop::sample::select(OrderStatus::ALL.to_vec()))
            .prop_map(|(order, to)| Op::Status { order, to }),
        1 => (0usize..4, -8i64..12).prop_map(|(product, change)| Op::Adjust { product, change }),
    ]
}

fn to_lines(products: &[i64], lines: &[(usize, i64, i64)]) -> Vec<OrderLine> {
    lines
        .iter()
        .map(|&(p, quantity, cents)| OrderLine {
            product_id: products[p],
            quantity,
            unit_price: Money(cents),
            ..Default::default()
        })
        .collect()
}

proptest! {
    #![proptest_config(proptest_config(64))]

    #[test]
    fn stock_and_totals_stay_true(ops in prop::collection::vec(op(), 1..40)) {
        let (_dir, path) = temp_db();
        let mut s = Store::open(&path).unwrap();
        let customers = [add_customer(&mut s, "Ana", "ana@example.com"), add_customer(&mut s, "Bea", "")];
        let products: Vec<i64> = (0..4)
            .map(|i| add_product(&mut s, &format!("P-{i}"), &format!("Product {i}"), "5", [0, 3, 8, 20][i]))
            .collect();
        let mut placed: Vec<i64> = Vec::new();
        for op in ops {
            let before = dump(&s);
            let result = match &op {
                Op::Place { customer, lines } => {
                    let o = NewOrder { customer_id: customers[*customer], lines: to_lines(&products, lines), note: None , ..Default::default() };
                    s.write(|tx| orders::place(tx, &o, &Placement::default())).map(|id| placed.push(id))
                }
                Op::Edit { order, lines } => match placed.get(*order) {
                    Some(&id) => {
                        let l = to_lines(&products, lines);
                        s.write(|tx| orders::edit_lines(tx, id, &l, None))
                    }
                    None => continue,
                },
                Op::Status { order, to } => match placed.get(*order) {
                    Some(&id) => s.write(|tx| orders::set_status(tx, id, *to)),
                    None => continue,
                },
                Op::Adjust { product, change } => s
                    .write(|tx| store::stock::adjust(tx, products[*product], *change, MovementReason::Correction, None))
                    .map(|_| ()),
            };
            if result.is_err() {
                prop_assert_eq!(&before, &dump(&s), "a refused {:?} changed the database", op);
            }
            let report = store::check::run(s.conn()).unwrap();
            prop_assert!(report.ok(), "after {:?}: {:#?}", op, report);
            let negative: i64 = s.conn().query_row("SELECT count(*) FROM products WHERE stock < 0", [], |r| r.get(0)).unwrap();
            prop_assert_eq!(negative, 0);
        }
    }
}

/// The failure cases proptest saved beside this file are found, so they are
/// run again before any new case (the one binary's layout would otherwise make
/// proptest look for them elsewhere; see `proptest_config`).
#[test]
fn saved_failure_cases_are_found() {
    let persistence = proptest_config(1)
        .failure_persistence
        .expect("failures are persisted");
    let saved = persistence.load_persisted_failures2(Some(file!()));
    assert!(!saved.is_empty(), "no saved case found for {}", file!());
}
