//! An order of a Shopify orders export, its money checked against the
//! file's own sums (the rule is in `shopify_orders`): the line items less
//! Discount Amount against Subtotal, then Subtotal, Shipping and Taxes
//! against Total, a cent per line item allowed.

use super::shopify_orders::{LINE_DISCOUNT, LineIn, OrderIn, SUBTOTAL, TOTAL};
use crate::domain::Currency;
use crate::import::echo;

/// Checks an order's money against the file's own sums; the order discount
/// it works out to, and whether its prices include tax.
pub(super) fn check_money(
    o: &OrderIn,
    lines: &[LineIn],
    currency: &Currency,
) -> Result<(i64, bool), (u64, usize, String)> {
    let n = lines.len().max(1) as i64;
    let amount = |v: i64| currency.format_plain(crate::domain::Money(v.abs()));
    let mut gross = 0i64;
    let mut own = 0i64;
    for l in lines {
        let g = l.quantity.saturating_mul(l.price);
        if l.discount > g {
            return Err((
                l.line,
                LINE_DISCOUNT,
                "the discount is more than the line item is worth".into(),
            ));
        }
        gross = gross.saturating_add(g);
        own += l.discount;
    }
    let goods = gross - o.discount;
    if (goods - o.subtotal).abs() > n {
        return Err((
            o.line,
            SUBTOTAL,
            format!(
                "order {}'s line items come to {} after its Discount Amount, but its Subtotal is {} \
                 (a difference of {}); export the order again from Shopify",
                echo(&o.name),
                amount(goods),
                amount(o.subtotal),
                amount(goods - o.subtotal)
            ),
        ));
    }
    let order_discount = (gross - own - o.subtotal).max(0);
    let excluded = o.subtotal + o.shipping + o.taxes;
    if (excluded - o.total).abs() <= n {
        return Ok((order_discount, false));
    }
    if o.taxes > 0 && (o.subtotal + o.shipping - o.total).abs() <= n {
        return Ok((order_discount, true));
    }
    Err((
        o.line,
        TOTAL,
        format!(
            "order {}'s Subtotal, Shipping and Taxes come to {}, but its Total is {} (a difference \
             of {}); export the order again from Shopify",
            echo(&o.name),
            amount(excluded),
            amount(o.total),
            amount(excluded - o.total)
        ),
    ))
}
