//! Plain types and the rules they obey. No I/O here: the store, the UI and the
//! command line all validate through these functions, so a rule holds everywhere.

pub mod address;
pub mod customer;
pub mod format;
pub mod invoice;
pub mod money;
pub mod order;
pub mod period;
pub mod pricing;
pub mod product;
pub mod regional;
pub mod report;
pub mod segments;
pub mod settings;
pub mod stock;
pub mod text;
pub mod trends;

pub use customer::{Customer, CustomerDraft, NewCustomer};
pub use money::{Currency, Money, MoneyError};
pub use order::{NewOrder, OrderDraft, OrderErrors, OrderLine, OrderLineDraft, OrderStatus};
pub use pricing::{Discount, Figures, Rate, Terms};
pub use product::{NewProduct, Product, ProductDraft};
pub use report::{
    Cell, CellKind, Period, ReportKind, ReportSort, ReportSpec, ReportTable, TotalsSum,
};
pub use settings::{SettingsDraft, ShopSettings, ThemePreference};
pub use stock::{MovementReason, StockMove, Story};
pub use text::{MAX_AMOUNT, MAX_QUANTITY, check_text, fold};

/// Validation problems of a form, one message per field, in the order the
/// fields appear. The field names are the draft's field names.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FieldErrors(pub Vec<(&'static str, String)>);

impl FieldErrors {
    pub fn add(&mut self, field: &'static str, message: impl Into<String>) {
        self.0.push((field, message.into()));
    }

    pub fn get(&self, field: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(f, _)| *f == field)
            .map(|(_, m)| m.as_str())
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl std::fmt::Display for FieldErrors {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let parts: Vec<String> = self.0.iter().map(|(k, m)| format!("{k}: {m}")).collect();
        f.write_str(&parts.join("; "))
    }
}

impl std::error::Error for FieldErrors {}

/// Trims a text field; an empty one becomes None.
pub fn optional(text: &str) -> Option<String> {
    let t = text.trim();
    (!t.is_empty()).then(|| t.to_owned())
}

/// Parses a whole number typed by the user, refusing signs when `allow_negative` is false.
pub fn parse_count(text: &str, allow_negative: bool) -> Result<i64, String> {
    let t = text.trim();
    if t.is_empty() {
        return Err("enter a whole number".into());
    }
    let digits = t.strip_prefix(['-', '+']).unwrap_or(t);
    if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) {
        return Err("use a whole number, for example 12".into());
    }
    let value: i64 = t
        .parse()
        .map_err(|_| "that number is too large".to_string())?;
    if value.unsigned_abs() > 1_000_000_000 {
        return Err("that number is too large".into());
    }
    if value < 0 && !allow_negative {
        return Err("cannot be negative".into());
    }
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts() {
        assert_eq!(parse_count("12", false), Ok(12));
        assert_eq!(parse_count(" 0 ", false), Ok(0));
        assert!(parse_count("-1", false).is_err());
        assert_eq!(parse_count("-3", true), Ok(-3));
        assert_eq!(parse_count("+3", true), Ok(3));
        assert!(parse_count("1.5", true).is_err());
        assert!(parse_count("", true).is_err());
        assert!(parse_count("-", true).is_err());
        assert!(parse_count("99999999999999999999", true).is_err());
    }
}
