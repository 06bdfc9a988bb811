//! Property test for an order's money: random orders with line and order
//! discounts, shipping and tax (prices with or without tax), then random
//! payments, shipping, partial refunds (back into stock or written off),
//! cancels, returns and undos against a real database file. After every
//! step `shopkeeper check` holds (total = revenue + shipping + tax, every
//! figure the sum of its lines, paid and refunded the sums of the payments,
//! refunded <= paid, stock the sum of its movements), each line's figures
//! equal `domain::pricing`'s recomputation from the lines as stored, and a
//! refused step changed nothing.

use crate::common::*;
use proptest::prelude::*;
use shopkeeper::domain::pricing::{self, Discount, Rate, Terms};
use shopkeeper::domain::{Money, NewOrder, OrderLine, OrderStatus};
use shopkeeper::store::orders::{self, NewPayment, Placement, RefundLine, RefundRequest};
use shopkeeper::store::{self, Store};

#[derive(Debug, Clone)]
enum Op {
    Place {
        lines: Vec<(usize, i64, i64, u8)>,
        discount: u8,
        shipping: i64,
        included: bool,
    },
    Pay {
        order: usize,
        part: u8,
    },
    MarkPaid {
        order: usize,
    },
    Status {
        order: usize,
        to: OrderStatus,
    },
    Refund {
        order: usize,
        units: Vec<(usize, i64, bool)>,
        shipping: bool,
        amount: Option<u8>,
    },
    Undo,
}

fn discount(kind: u8, base: i64) -> Discount {
    match kind % 4 {
        0 => Discount::None,
        1 => Discount::Percent(Rate(i64::from(kind) * 500)),
        2 => Discount::Amount(Money((base / 3).max(0))),
        _ => Discount::Percent(Rate(100_000)),
    }
}

fn op() -> impl Strategy<Value = Op> {
    let lines = prop::collection::vec((0usize..3, 1i64..5, 0i64..5000, 0u8..8), 1..4);
    prop_oneof![
        2 => (lines, 0u8..8, 0i64..1500, any::<bool>())
            .prop_map(|(lines, discount, shipping, included)| Op::Place { lines, discount, shipping, included }),
        1 => (0usize..3, 1u8..4).prop_map(|(order, part)| Op::Pay { order, part }),
        3 => (0usize..3).prop_map(|order| Op::MarkPaid { order }),
        3 => (0usize..3, prop::sample::select(OrderStatus::ALL.to_vec()))
            .prop_map(|(order, to)| Op::Status { order, to }),
        5 => (0usize..3, prop::collection::vec((0usize..4, 1i64..4, any::<bool>()), 0..3), any::<bool>(),
              prop::option::of(0u8..4))
            .prop_map(|(order, units, shipping, amount)| Op::Refund { order, units, shipping, amount }),
        1 => Just(Op::Undo),
    ]
}

/// Every order's lines as stored equal `pricing::figures` of the lines and
/// terms as stored.
fn lines_match_pricing(s: &Store) -> Result<(), String> {
    let ids: Vec<i64> = s
        .conn()
        .prepare("SELECT id FROM orders")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    for id in ids {
        let d = orders::detail(s.conn(), id).map_err(|e| e.to_string())?;
        let lines: Vec<OrderLine> = d
            .lines
            .iter()
            .map(|l| OrderLine {
                product_id: l.product_id,
                quantity: l.quantity,
                unit_price: l.unit_price,
                discount: l.discount,
                tax_rate: l.tax_rate,
                unit_cost: l.unit_cost,
            })
            .collect();
        let f = pricing::figures(&lines, &d.money.terms).map_err(|e| e.to_string())?;
        let stored: Vec<(i64, i64, i64)> = d
            .lines
            .iter()
            .map(|l| (l.discount_amount.0, l.tax.0, l.revenue.0))
            .collect();
        let computed: Vec<(i64, i64, i64)> = f
            .lines
            .iter()
            .map(|l| (l.discount + l.order_discount, l.tax, l.revenue))
            .collect();
        if stored != computed || d.money.total.0 != f.total || d.money.tax.0 != f.tax {
            return Err(format!(
                "order {id}: stored {stored:?} {:?}, computed {computed:?} {}",
                d.money.total, f.total
            ));
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(proptest_config(48))]

    #[test]
    fn money_stays_true(ops in prop::collection::vec(op(), 1..40)) {
        let (_dir, path) = temp_db();
        let mut s = Store::open(&path).unwrap();
        let customer = add_customer(&mut s, "Ana", "ana@example.com");
        let products: Vec<i64> = (0..3)
            .map(|i| add_product(&mut s, &format!("P-{i}"), &format!("Product {i}"), "5", 30))
            .collect();
        let rates = [Rate(0), Rate(20_000), Rate(5_500), Rate(8_875)];
        let mut placed: Vec<i64> = Vec::new();
        let since = 0;
        for op in ops {
            let before = dump(&s);
            let result: Result<(), String> = match &op {
                Op::Place { lines, discount: d, shipping, included } => {
                    let lines: Vec<OrderLine> = lines
                        .iter()
                        .map(|&(p, quantity, cents, k)| OrderLine {
                            product_id: products[p],
                            quantity,
                            unit_price: Money(cents),
                            discount: discount(k, quantity * cents),
                            tax_rate: rates[usize::from(k) % 4],
                            unit_cost: Money(cents / 2),
                        })
                        .collect();
                    let o = NewOrder {
                        customer_id: customer,
                        lines,
                        terms: Terms {
                            discount: discount(*d, 100),
                            shipping: Money(*shipping),
                            shipping_rate: rates[usize::from(*d) % 4],
                            tax_included: *included,
                            tax: None,
                        },
                        ..Default::default()
                    };
                    s.write(|tx| orders::place(tx, &o, &Placement::default()))
                        .map(|id| placed.push(id))
                        .map_err(|e| e.to_string())
                }
                Op::Pay { order, part } => match placed.get(*order) {
                    Some(&id) => {
                        let balance = orders::detail(s.conn(), id).unwrap().money.balance.0;
                        let p = NewPayment {
                            amount: Money(balance / i64::from(*part)),
                            method: "Card".into(),
                            date: "2026-05-01".into(),
                            note: None,
                        };
                        s.write(|tx| orders::record_payment(tx, id, &p).map(|_| ())).map_err(|e| e.to_string())
                    }
                    None => continue,
                },
                Op::MarkPaid { order } => match placed.get(*order) {
                    Some(&id) => s.write(|tx| orders::mark_paid(tx, id, "Cash", "2026-05-02")).map_err(|e| e.to_string()),
                    None => continue,
                },
                Op::Status { order, to } => match placed.get(*order) {
                    Some(&id) => s.write(|tx| orders::set_status(tx, id, *to)).map_err(|e| e.to_string()),
                    None => continue,
                },
                Op::Refund { order, units, shipping, amount } => match placed.get(*order) {
                    Some(&id) => {
                        let d = orders::detail(s.conn(), id).unwrap();
                        let items: Vec<i64> = s.conn()
                            .prepare("SELECT id FROM order_items WHERE order_id = ?1 ORDER BY id").unwrap()
                            .query_map([id], |r| r.get(0)).unwrap()
                            .collect::<Result<_, _>>().unwrap();
                        let mut lines = Vec::new();
                        for &(i, q, restock) in units {
                            if let Some(&item) = items.get(i % items.len().max(1))
                                && !lines.iter().any(|l: &RefundLine| l.order_item_id == item)
                            {
                                lines.push(RefundLine { order_item_id: item, quantity: q, restock });
                            }
                        }
                        let req = RefundRequest {
                            lines,
                            shipping: *shipping,
                            amount: amount.map(|k| Money((d.money.paid.0 - d.money.refunded.0) * i64::from(k) / 3)),
                            method: "Card".into(),
                            date: "2026-06-01".into(),
                            note: None,
                        };
                        s.write(|tx| orders::refund(tx, id, &req).map(|_| ())).map_err(|e| e.to_string())
                    }
                    None => continue,
                },
                Op::Undo => s
                    .write(|tx| store::undo::undo_last(tx, since))
                    .map(|_| ())
                    .map_err(|e| e.to_string()),
            };
            if result.is_err() {
                prop_assert_eq!(&before, &dump(&s), "a refused {:?} changed the database", op);
            }
            let report = store::check::run(s.conn()).unwrap();
            prop_assert!(report.ok(), "after {:?} ({:?}): {:#?}", op, result, report);
            if let Err(e) = lines_match_pricing(&s) {
                prop_assert!(false, "after {:?}: {}", op, e);
            }
        }
    }
}
