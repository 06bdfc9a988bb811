//! Orders: placing them with their lines and stock movements, moving them
//! through their statuses, editing a pending order (`write`), the lists the
//! panels page through (`list`) and one order's detail (`detail`). Every
//! write runs inside the caller's one transaction.

mod detail;
mod list;
mod write;

pub use detail::{LineDetail, MovementDetail, OrderDetail, StatusChange, detail};
pub use list::{
    OrderQuery, OrderSort, OrderSummary, count, customer_order_count, customer_orders, page,
};
pub use write::{Placement, Shortage, edit_lines, place, refresh_customer, set_status, snapshot};
pub(crate) use write::{
    edit_lines_unlogged, lines_in, revert_status, set_status_unlogged, status_in, status_of,
};

/// "#000123": how an order number is shown.
pub fn order_number(id: i64) -> String {
    format!("#{id:06}")
}
