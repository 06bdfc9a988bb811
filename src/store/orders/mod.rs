//! Orders: placing them with their lines and stock movements, moving them
//! through their statuses, editing a pending order (`write`), the lists the
//! panels page through (`list`, which also finds an order by number or
//! reference), one order's detail (`detail`), its payments and refunds
//! (`money`) and the shop's payment methods (`methods`). Every
//! write runs inside the caller's one transaction.

mod base;
mod detail;
mod list;
mod methods;
mod money;
mod refund;
mod revert;
mod write;

pub use base::{refresh_customer, snapshot};
pub use detail::{LineDetail, MovementDetail, OrderDetail, OrderMoney, StatusChange, detail};
pub(crate) use detail::{customer_ship_to, keep_ship_to};
pub use list::{
    CustomerOrder, OrderQuery, OrderSort, OrderSummary, count, customer_history,
    customer_order_count, customer_orders, find_terms, page,
};
pub use methods::{methods, set_methods};
pub use money::{NewPayment, PaymentRow, mark_paid, payments, record_payment, refund_units};
pub use refund::{RefundLine, RefundRequest, refund, refund_default};
pub(crate) use revert::{order_in, restore_shipping, revert_status, status_in, status_of};
pub use write::{
    Placement, Shortage, edit, edit_lines, last_carrier, place, set_shipping, set_status, ship,
};
pub(crate) use write::{edit_unlogged, set_status_unlogged};

/// "#000123": how an order number is shown.
pub fn order_number(id: i64) -> String {
    format!("#{id:06}")
}
