//! The demo's money: the shop's tax (prices without tax; "VAT" at 20% by
//! default and on shipping, "Reduced" at 5.5% on the pantry's food), and
//! for each order its discounts, shipping charge, how it was paid and, now
//! and then, a refund of some of its units. The shares are those of a small
//! shop: about one order in seven discounted (a line, or the whole order,
//! often with a code), about seven in ten paying for shipping, most paid by
//! card, and about three delivered orders in a hundred partly refunded,
//! some units back on the shelf and some written off.
//!
//! Its draws come from a random stream of their own, so the rest of the
//! demo (who buys what, when, and where each order ended) is the same with
//! or without them.

use std::collections::HashMap;

use super::Rng;
use crate::domain::{Discount, Money, NewProduct, OrderLine, Rate, Terms};
use crate::store::{self, StoreError};

/// The category whose products are taxed at the reduced rate.
const REDUCED_CATEGORY: &str = "Pantry";

/// Gives an empty shop the demo's tax rates and settings; returns the
/// reduced rate's id (None: the shop keeps its own tax settings).
pub(super) fn set_up_tax(
    tx: &rusqlite::Connection,
    empty: bool,
) -> Result<Option<i64>, StoreError> {
    if !empty || !store::tax::rates(tx)?.is_empty() {
        return Ok(None);
    }
    let vat = store::tax::add_rate(tx, "VAT", Rate(20_000))?;
    let reduced = store::tax::add_rate(tx, "Reduced", Rate(5_500))?;
    store::tax::save_settings(
        tx,
        &store::tax::TaxSettings {
            prices_include_tax: false,
            default_rate: Some(vat),
            shipping_rate: Some(vat),
        },
    )?;
    Ok(Some(reduced))
}

/// A new product's rate: the reduced one for food (the others keep the default).
pub(super) fn product_added(
    tx: &rusqlite::Connection,
    id: i64,
    p: &NewProduct,
    reduced: Option<i64>,
) -> Result<(), StoreError> {
    if let Some(reduced) = reduced
        && p.category.as_deref() == Some(REDUCED_CATEGORY)
    {
        store::tax::set_product_rate(tx, id, Some(reduced))?;
    }
    Ok(())
}

/// An order's money, as `Till::dress` decides it.
pub(super) struct Sale {
    pub(super) terms: Terms,
    pub(super) code: Option<&'static str>,
    pub(super) method: &'static str,
}

/// A refund of some units: (line, units, back into stock), and when.
pub(super) type Refund = (Vec<(usize, i64, bool)>, chrono::NaiveDateTime);

/// Decides each demo order's money.
pub(super) struct Till {
    rng: Rng,
    base: Terms,
    /// Each product's tax rate and cost.
    products: HashMap<i64, (Rate, Money)>,
}

impl Till {
    /// `rng` is the demo's; the till draws from a stream of its own beside it.
    pub(super) fn new(tx: &rusqlite::Connection, rng: &Rng) -> Result<Self, StoreError> {
        Ok(Till {
            rng: Rng(rng.0 ^ 0x6d6f_6e65_7921),
            base: store::tax::base_terms(tx)?,
            products: store::bulk::product_terms(tx)?,
        })
    }

    /// Gives the lines their products' tax rates and costs and, now and
    /// then, a discount; decides the order's discount, shipping and method.
    pub(super) fn dress(&mut self, lines: &mut [OrderLine], day: chrono::NaiveDate) -> Sale {
        use chrono::Datelike;
        for l in lines.iter_mut() {
            let (rate, cost) = self
                .products
                .get(&l.product_id)
                .copied()
                .unwrap_or_default();
            l.tax_rate = rate;
            l.unit_cost = cost;
        }
        let rng = &mut self.rng;
        let goods: i64 = lines.iter().map(|l| l.quantity * l.unit_price.0).sum();
        let items: i64 = lines.iter().map(|l| l.quantity).sum();
        let black_friday = day.month() == 11 && day.day() >= 24;
        let (which, line, percent) = (rng.below(1000), rng.below(lines.len() as u64), rng.below(3));
        let mut discount = Discount::None;
        let mut code = None;
        match which {
            // A line marked down: 10, 15 or 20% off.
            0..60 => {
                let off = Rate([10_000, 15_000, 20_000][percent as usize]);
                if let Some(l) = lines.get_mut(line as usize) {
                    l.discount = Discount::Percent(off);
                }
            }
            // A welcome code, or Black Friday's in its week.
            60..100 if black_friday => {
                discount = Discount::Percent(Rate(20_000));
                code = Some("BLACKFRIDAY");
            }
            60..100 => {
                discount = Discount::Percent(Rate(10_000));
                code = Some("WELCOME10");
            }
            // Five off a basket over twenty-five.
            100..125 if goods > 2500 => {
                discount = Discount::Amount(Money(500));
                code = Some("SAVE5");
            }
            // A discount given by hand: a regular, a late parcel.
            100..150 => {
                discount = Discount::Percent(Rate([5_000, 10_000, 15_000][percent as usize]))
            }
            _ => {}
        }
        // Free over 150.00 or now and then (a promotion, a pickup); else by size.
        let (free, express) = (rng.below(100), rng.below(100));
        let shipping = if goods >= 15_000 || free < 18 {
            0
        } else if express < 12 {
            990
        } else if items <= 1 {
            390
        } else if items <= 3 {
            490
        } else {
            690
        };
        let method = match rng.below(100) {
            0..58 => "Card",
            58..85 => "PayPal",
            85..95 => "Bank transfer",
            _ => "Cash",
        };
        Sale {
            terms: Terms {
                discount,
                shipping: Money(shipping),
                ..self.base.clone()
            },
            code,
            method,
        }
    }

    /// Now and then, a delivered order's customer sends some units back
    /// (never all of them: that is a return) a few days later, before `now`.
    pub(super) fn refund(
        &mut self,
        lines: &[OrderLine],
        delivered: Option<chrono::NaiveDateTime>,
        now: chrono::NaiveDateTime,
    ) -> Option<Refund> {
        // Every draw happens whatever the order, so the stream stays the same.
        let rng = &mut self.rng;
        let (roll, line, units, restock) = (
            rng.below(1000),
            rng.below(lines.len() as u64) as usize,
            rng.next_u64(),
            rng.below(100) < 60,
        );
        let later = chrono::Duration::minutes(rng.range(2 * 1440, 25 * 1440));
        let items: i64 = lines.iter().map(|l| l.quantity).sum();
        let at = delivered? + later;
        if roll >= 50 || items < 2 || at > now {
            return None;
        }
        let l = lines.get(line)?;
        // Never the whole order: at most one unit less than it has.
        let most = l.quantity.min(items - 1);
        let n = 1 + (units % most.max(1) as u64) as i64;
        Some((vec![(line, n, restock)], at))
    }
}
