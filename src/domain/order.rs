//! Order statuses and the moves allowed between them.

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum OrderStatus {
    Pending,
    Paid,
    Shipped,
    Delivered,
    Cancelled,
    Returned,
}

impl OrderStatus {
    pub const ALL: [OrderStatus; 6] = [
        OrderStatus::Pending,
        OrderStatus::Paid,
        OrderStatus::Shipped,
        OrderStatus::Delivered,
        OrderStatus::Cancelled,
        OrderStatus::Returned,
    ];

    pub fn code(self) -> &'static str {
        match self {
            OrderStatus::Pending => "pending",
            OrderStatus::Paid => "paid",
            OrderStatus::Shipped => "shipped",
            OrderStatus::Delivered => "delivered",
            OrderStatus::Cancelled => "cancelled",
            OrderStatus::Returned => "returned",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        let code = code.trim();
        Self::ALL
            .into_iter()
            .find(|s| s.code().eq_ignore_ascii_case(code))
    }

    pub fn label(self) -> &'static str {
        match self {
            OrderStatus::Pending => "Pending",
            OrderStatus::Paid => "Paid",
            OrderStatus::Shipped => "Shipped",
            OrderStatus::Delivered => "Delivered",
            OrderStatus::Cancelled => "Cancelled",
            OrderStatus::Returned => "Returned",
        }
    }

    /// The statuses this one may move to.
    pub fn next(self) -> &'static [OrderStatus] {
        use OrderStatus::*;
        match self {
            Pending => &[Paid, Cancelled],
            Paid => &[Shipped, Cancelled],
            Shipped => &[Delivered],
            Delivered => &[Returned],
            Cancelled | Returned => &[],
        }
    }

    pub fn can_move_to(self, to: OrderStatus) -> bool {
        self.next().contains(&to)
    }

    /// Whether the order counts as a sale (everything but cancelled and returned).
    pub fn is_sale(self) -> bool {
        !matches!(self, OrderStatus::Cancelled | OrderStatus::Returned)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use OrderStatus::*;

    #[test]
    fn allowed_transitions() {
        assert!(Pending.can_move_to(Paid));
        assert!(Paid.can_move_to(Shipped));
        assert!(Shipped.can_move_to(Delivered));
        assert!(Pending.can_move_to(Cancelled));
        assert!(Paid.can_move_to(Cancelled));
        assert!(Delivered.can_move_to(Returned));
        assert!(!Shipped.can_move_to(Cancelled));
        assert!(!Pending.can_move_to(Delivered));
        assert!(!Cancelled.can_move_to(Pending));
        assert!(!Returned.can_move_to(Delivered));
        for s in OrderStatus::ALL {
            assert!(!s.can_move_to(s));
            assert_eq!(OrderStatus::from_code(s.code()), Some(s));
        }
    }
}
