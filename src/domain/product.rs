//! Products: the form as typed (`ProductDraft`), the checked form (`NewProduct`)
//! and the stored row (`Product`).

use super::{Currency, FieldErrors, Money, check_text, optional, parse_count};

/// What the user typed into the product form.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProductDraft {
    pub sku: String,
    pub name: String,
    pub category: String,
    pub description: String,
    pub price: String,
    pub cost: String,
    /// The opening stock; only used when the product is created. Later changes
    /// go through stock adjustments.
    pub stock: String,
    pub reorder_level: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewProduct {
    pub sku: String,
    pub name: String,
    pub category: Option<String>,
    pub description: Option<String>,
    pub price: Money,
    pub cost: Money,
    pub stock: i64,
    pub reorder_level: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Product {
    pub id: i64,
    pub sku: String,
    pub name: String,
    pub category: Option<String>,
    pub description: Option<String>,
    pub price: Money,
    pub cost: Money,
    pub stock: i64,
    pub reorder_level: i64,
    pub archived: bool,
    pub created_at: String,
    /// False for a product whose orders move no stock (a gift card).
    pub track_stock: bool,
}

impl Product {
    /// At or below its reorder level: time to order more (never for a
    /// product that does not track stock).
    pub fn is_low(&self) -> bool {
        self.track_stock && self.stock <= self.reorder_level
    }
}

impl ProductDraft {
    pub fn new_with_reorder_level(level: i64) -> Self {
        ProductDraft {
            stock: "0".into(),
            reorder_level: level.to_string(),
            cost: String::new(),
            ..Default::default()
        }
    }

    pub fn validate(&self, currency: &Currency) -> Result<NewProduct, FieldErrors> {
        let mut errors = FieldErrors::default();
        // Control characters first: a field that holds one gets only that message.
        for (field, value, multi_line) in [
            ("sku", &self.sku, false),
            ("name", &self.name, false),
            ("category", &self.category, false),
            ("description", &self.description, true),
        ] {
            if let Err(why) = check_text(value.trim(), multi_line) {
                errors.add(field, why);
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let sku = self.sku.trim();
        if sku.is_empty() {
            errors.add("sku", "a SKU is required");
        } else if sku.chars().count() > 64 {
            errors.add("sku", "keep the SKU under 64 characters");
        } else if sku.chars().any(char::is_whitespace) {
            errors.add("sku", "a SKU cannot contain spaces");
        }
        let name = self.name.trim();
        if name.is_empty() {
            errors.add("name", "a name is required");
        } else if name.chars().count() > 200 {
            errors.add("name", "keep the name under 200 characters");
        }
        let price = currency
            .parse(&self.price)
            .map_err(|e| errors.add("price", e.to_string()))
            .ok();
        let cost = if self.cost.trim().is_empty() {
            Some(Money::ZERO)
        } else {
            currency
                .parse(&self.cost)
                .map_err(|e| errors.add("cost", e.to_string()))
                .ok()
        };
        let stock = parse_count(&self.stock, false)
            .map_err(|e| errors.add("stock", e))
            .ok();
        let reorder_level = parse_count(&self.reorder_level, false)
            .map_err(|e| errors.add("reorder_level", e))
            .ok();
        match (price, cost, stock, reorder_level) {
            (Some(price), Some(cost), Some(stock), Some(reorder_level)) if errors.is_empty() => {
                Ok(NewProduct {
                    sku: sku.to_owned(),
                    name: name.to_owned(),
                    category: optional(&self.category),
                    description: optional(&self.description),
                    price,
                    cost,
                    stock,
                    reorder_level,
                })
            }
            _ => Err(errors),
        }
    }

    pub fn from_product(p: &Product, currency: &Currency) -> Self {
        ProductDraft {
            sku: p.sku.clone(),
            name: p.name.clone(),
            category: p.category.clone().unwrap_or_default(),
            description: p.description.clone().unwrap_or_default(),
            price: currency.format_input(p.price),
            cost: currency.format_input(p.cost),
            stock: p.stock.to_string(),
            reorder_level: p.reorder_level.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn good() -> ProductDraft {
        ProductDraft {
            sku: " MUG-01 ".into(),
            name: "Blue mug".into(),
            price: "12.5".into(),
            cost: "4".into(),
            stock: "10".into(),
            reorder_level: "3".into(),
            ..Default::default()
        }
    }

    #[test]
    fn a_good_product_validates() {
        let p = good().validate(&Currency::default()).unwrap();
        assert_eq!(p.sku, "MUG-01");
        assert_eq!(p.price, Money(1250));
        assert_eq!(p.cost, Money(400));
        assert_eq!(p.stock, 10);
        assert_eq!(p.category, None);
    }

    #[test]
    fn each_bad_field_has_its_message() {
        let c = Currency::default();
        let mut d = good();
        d.sku = "".into();
        assert!(d.validate(&c).unwrap_err().get("sku").is_some());
        let mut d = good();
        d.price = "12.555".into();
        assert!(
            d.validate(&c)
                .unwrap_err()
                .get("price")
                .unwrap()
                .contains("2 digits")
        );
        let mut d = good();
        d.stock = "-2".into();
        assert!(d.validate(&c).unwrap_err().get("stock").is_some());
        let mut d = good();
        d.reorder_level = "1.5".into();
        assert!(d.validate(&c).unwrap_err().get("reorder_level").is_some());
        let mut d = good();
        d.cost = "-1".into();
        assert!(d.validate(&c).unwrap_err().get("cost").is_some());
        let mut d = good();
        d.name = " ".into();
        d.price = "".into();
        let e = d.validate(&c).unwrap_err();
        assert!(e.get("name").is_some() && e.get("price").is_some());
    }
}
