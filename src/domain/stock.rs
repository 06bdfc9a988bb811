//! Why stock moved. Every change of a product's stock is a movement with one of
//! these reasons; the stored product stock is only a cache of their sum.

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MovementReason {
    /// The stock a product started with.
    Opening,
    /// An order took it.
    Sale,
    /// A pending order's lines were changed.
    OrderEdit,
    /// An order was cancelled and its goods put back.
    OrderCancelled,
    /// A delivered order came back.
    OrderReturned,
    /// Manual adjustments.
    Received,
    Correction,
    Damaged,
    Returned,
    Other,
    /// A change undone from the change log.
    Undo,
}

impl MovementReason {
    pub const ALL: [MovementReason; 11] = [
        MovementReason::Opening,
        MovementReason::Sale,
        MovementReason::OrderEdit,
        MovementReason::OrderCancelled,
        MovementReason::OrderReturned,
        MovementReason::Received,
        MovementReason::Correction,
        MovementReason::Damaged,
        MovementReason::Returned,
        MovementReason::Other,
        MovementReason::Undo,
    ];

    /// The reasons a user may pick for a manual adjustment.
    pub const MANUAL: [MovementReason; 5] = [
        MovementReason::Received,
        MovementReason::Correction,
        MovementReason::Damaged,
        MovementReason::Returned,
        MovementReason::Other,
    ];

    /// The value stored in the database.
    pub fn code(self) -> &'static str {
        match self {
            MovementReason::Opening => "opening",
            MovementReason::Sale => "sale",
            MovementReason::OrderEdit => "order_edit",
            MovementReason::OrderCancelled => "order_cancelled",
            MovementReason::OrderReturned => "order_returned",
            MovementReason::Received => "received",
            MovementReason::Correction => "correction",
            MovementReason::Damaged => "damaged",
            MovementReason::Returned => "returned",
            MovementReason::Other => "other",
            MovementReason::Undo => "undo",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.code() == code)
    }

    /// Words for the screen.
    pub fn label(self) -> &'static str {
        match self {
            MovementReason::Opening => "Opening stock",
            MovementReason::Sale => "Sale",
            MovementReason::OrderEdit => "Order edited",
            MovementReason::OrderCancelled => "Order cancelled",
            MovementReason::OrderReturned => "Order returned",
            MovementReason::Received => "Received",
            MovementReason::Correction => "Correction",
            MovementReason::Damaged => "Damaged",
            MovementReason::Returned => "Returned",
            MovementReason::Other => "Other",
            MovementReason::Undo => "Undo",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for r in MovementReason::ALL {
            assert_eq!(MovementReason::from_code(r.code()), Some(r));
        }
        assert_eq!(MovementReason::from_code("nope"), None);
    }
}
