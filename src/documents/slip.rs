//! The packing slip: no prices; the order's number, date and reference,
//! where it goes, and each line's SKU, name and quantity with a box to tick.

use super::Shop;
use super::flow::{BODY, Column, Flow, MARGIN};
use super::invoice::head;
use super::page::Sheet;
use super::text::Fonts;
use crate::store::invoices::OrderDocument;
use crate::store::orders::order_number;

pub(super) fn packing_slip(
    shop: &Shop,
    fonts: &Fonts,
    order: &OrderDocument,
    logo: Option<(f32, f32)>,
) -> Vec<Sheet> {
    let s = &order.detail.summary;
    let mut flow = Flow::new(shop, fonts, format!("Packing slip {}", order_number(s.id)));
    let mut facts = vec![
        ("Order", order_number(s.id)),
        ("Order date", shop.date(&s.order_date)),
    ];
    if let Some(r) = &s.external_ref {
        facts.push(("Reference", r.clone()));
    }
    if let Some(c) = &order.detail.carrier {
        facts.push(("Carrier", c.clone()));
    }
    if let Some(t) = &order.detail.tracking {
        facts.push(("Tracking", t.clone()));
    }
    let ship: Vec<String> = order
        .detail
        .ship_to
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect();
    // A customer with no address: the parcel is still for them.
    let ship = if ship.is_empty() {
        order
            .detail
            .summary
            .customer_name
            .lines()
            .map(str::to_owned)
            .collect()
    } else {
        ship
    };
    head(
        &mut flow,
        shop,
        logo,
        "PACKING SLIP",
        &facts,
        &[("Ship to", &ship)],
    );
    let right = flow.right();
    let cols = [
        Column {
            title: "SKU",
            left: MARGIN,
            right: MARGIN + 100.0,
            right_aligned: false,
        },
        Column {
            title: "Item",
            left: MARGIN + 110.0,
            right: right - 80.0,
            right_aligned: false,
        },
        Column {
            title: "Qty",
            left: 0.0,
            right: right - 40.0,
            right_aligned: true,
        },
        Column {
            title: "Packed",
            left: 0.0,
            right,
            right_aligned: true,
        },
    ];
    flow.start_table(&cols);
    let mut units = 0;
    for l in &order.detail.lines {
        units += l.quantity;
        let top = flow.row(&[
            (cols[0], fonts.wrap(&l.sku, BODY, 96.0)),
            (
                cols[1],
                fonts.wrap(&l.name, BODY, cols[1].right - cols[1].left - 6.0),
            ),
            (cols[2], vec![l.quantity.to_string()]),
        ]);
        flow.sheet().square(right - 16.0, top + 3.0, 10.0);
    }
    flow.end_table();
    flow.rule(0.8);
    flow.line(MARGIN, BODY, &{
        let lines = order.detail.lines.len() as i64;
        let noun = crate::domain::format::noun;
        format!(
            "{lines} {}, {units} {}",
            noun(lines, "line", "lines"),
            noun(units, "unit", "units")
        )
    });
    flow.finish()
}
